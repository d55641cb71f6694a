"""The management review pack (9.3) as a PDF an auditor can check input by input.

`render_pdf(data)` prints a `PackData` and nothing else: no database, no clock. The same
PackData gives the same bytes, which is what lets a closed review's stored pack be checked
against its SHA-256 and regenerated from its snapshot.

Order of the pack: cover, contents, readiness by clause and leadership evidence, input a),
the other inputs in the edition's order, the policy in force and the five responsibilities,
decisions and actions, overall conclusion, distribution, sign-off, and the index of the
records cited (each row from a record leads with its reference). An input with no data
says why in words; commentary and conclusions left empty become ruled lines to write on, so
the draft taken into the meeting doubles as the minute sheet.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.tables import CellStyle

from qms_desktop.reports import charts, fonts, styles
from qms_desktop.reports.styles import PageSetup, ReportDocument, escape, make_style, text
from qms_desktop.review_data import InputSection, PackData, Table

# --- Look ---------------------------------------------------------------------------------------

AMBER_FILL = colors.HexColor("#FFF3D6")
AMBER_INK = colors.HexColor("#8A5A00")
WARNING_MARKS = frozenset({"overdue", "failing", "gap", "not assigned"})
AMBER_MARKS = frozenset({"warning", "attention"})

COVER_KICKER = make_style("pack_cover_kicker", fontSize=12, leading=16,
                          textColor=styles.MUTED_INK, spaceAfter=2)
COVER_TITLE = make_style("pack_cover_title", fontName=fonts.BOLD, fontSize=30, leading=36,
                         textColor=styles.ACCENT, spaceAfter=4)
COVER_SUBTITLE = make_style("pack_cover_subtitle", fontSize=14, leading=19, spaceAfter=10)
# make_style sets font and ink itself, so headings name them rather than inherit them.
SECTION = make_style("pack_section", fontName=fonts.BOLD, fontSize=16, leading=20,
                     textColor=styles.ACCENT, spaceBefore=14, spaceAfter=8, keepWithNext=1)
INPUT_HEADING = make_style("pack_input", fontName=fonts.BOLD, fontSize=13, leading=17,
                           textColor=styles.ACCENT, spaceBefore=16, spaceAfter=6,
                           keepWithNext=1)
SUBHEADING = make_style("pack_sub", fontName=fonts.BOLD, fontSize=9.5, leading=12.5,
                        spaceBefore=8, spaceAfter=4, keepWithNext=1)
CONTINUED = make_style("pack_continued", fontName=fonts.BOLD, fontSize=9.5, leading=12.5,
                       textColor=styles.ACCENT, spaceAfter=2)
LONG_CAPTION = make_style("pack_long_caption", fontName=fonts.BOLD, fontSize=9.5,
                          leading=12.5, spaceBefore=8, spaceAfter=4)
BULLET = make_style("pack_bullet", leftIndent=12, bulletIndent=2, spaceAfter=3,
                    bulletFontName=fonts.REGULAR)
LABEL = make_style("pack_label", fontName=fonts.BOLD, fontSize=8.5, leading=11,
                   textColor=styles.MUTED_INK)
BOX_LABEL = make_style("pack_box_label", fontName=fonts.BOLD, fontSize=9, leading=12,
                       textColor=styles.ACCENT)
NOTICE = make_style("pack_notice", fontSize=9.5, leading=13)
# Space between entries comes from spaceBefore, so a wrapped title keeps its lines close.
TOC_LEVEL0 = make_style("pack_toc0", fontName=fonts.BOLD, fontSize=10.5, leading=14,
                        spaceBefore=14, leftIndent=0)
TOC_LEVEL1 = make_style("pack_toc1", fontSize=9.5, leading=12.5, spaceBefore=4.5,
                        leftIndent=14)
SIGN_NAME = make_style("pack_sign_name", fontName=fonts.BOLD, fontSize=10.5, leading=13)
SIGN_CAPTION = make_style("pack_sign_caption", fontSize=8, leading=10,
                          textColor=styles.MUTED_INK)

RULED_LINE_GAP = 8 * mm
COMMENTARY_LINES = 4
CONCLUSION_LINES = 3
OVERALL_LINES = 3
CHART_GAP = 6 * mm
LONG_TABLE_ROWS = 25


# --- The document --------------------------------------------------------------------------------


class _Heading(Paragraph):
    """A heading that goes into the contents and the PDF outline; never split."""

    def __init__(self, title: str, style: Any, level: int, key: str) -> None:
        super().__init__(escape(title), style)
        self.toc_title = title
        self.toc_level = level
        self.toc_key = key
        self.page: int | None = None  # the page it was drawn on, for _Continued

    def split(self, _avail_width: float, _avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        super().draw()
        self.page = self.canv.getPageNumber()
        # The canvas holds pages back until the end, and a bookmark names the page the PDF
        # writer is on, so the bookmark is set when this page is written out. It opens the
        # page at the top of the heading, keeping the reader's zoom.
        top = self.canv.absolutePosition(0, self.height)[1]
        self.canv.when_complete(functools.partial(_bookmark, self.toc_key, top))


class _Continued(Paragraph):
    """A "continued" heading, printed only on a page after the one its heading is on;
    elsewhere it takes no room."""

    def __init__(self, title: str, style: Any, heading: _Heading) -> None:
        super().__init__(escape(title), style)
        self.heading = heading
        self.shown = False

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        canvas = getattr(self, "canv", None)
        self.shown = bool(canvas is not None and self.heading.page is not None
                          and canvas.getPageNumber() != self.heading.page)
        if not self.shown:
            return avail_width, 0.0
        width, height = super().wrap(avail_width, avail_height)
        return float(width), float(height)

    def getSpaceBefore(self) -> float:
        return super().getSpaceBefore() if self.shown else 0.0

    def getSpaceAfter(self) -> float:
        return super().getSpaceAfter() if self.shown else 0.0

    def split(self, _avail_width: float, _avail_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        if self.shown:
            super().draw()


def _bookmark(key: str, top: float, canvas: Any) -> None:
    canvas.bookmarkPage(key, fit="XYZ", left=0, top=top, zoom=0)


ContentsLine = tuple[_Heading, list[str], float]


class _Contents(Flowable):
    """The contents page in one layout pass.

    Its lines are the headings of the story, known before layout starts, so its height is
    known too; only the page numbers are not, and those are written onto the held contents
    page once the last page is laid out (see `styles._NumberedCanvas.when_complete`). This
    replaces reportlab's TableOfContents, whose multiBuild lays the whole pack out twice.
    A contents longer than the page goes on over the next.
    """

    NUMBER_COLUMN = 9 * mm
    DOT_GAP = 4.0

    def __init__(self, entries: list[_Heading] | None = None,
                 pages: dict[str, int] | None = None) -> None:
        super().__init__()
        self.entries: list[_Heading] = [] if entries is None else entries
        # Shared by the parts of a split contents: filled in as the headings are laid out.
        self.pages: dict[str, int] = {} if pages is None else pages
        self._lines: list[ContentsLine] = []

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self._lines = [self._line(entry, avail_width) for entry in self.entries]
        self.height = sum(block for _entry, _lines, block in self._lines)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        used, fits = 0.0, 0
        for entry in self.entries:
            used += self._line(entry, avail_width)[2]
            if used > avail_height:
                break
            fits += 1
        if fits == 0:
            return []
        return [_Contents(self.entries[:fits], self.pages),
                _Contents(self.entries[fits:], self.pages)]

    def _line(self, entry: _Heading, width: float) -> ContentsLine:
        style = _toc_style(entry)
        room = width - style.leftIndent - self.NUMBER_COLUMN - self.DOT_GAP
        lines = wrap_text(entry.toc_title, room, style.fontName, style.fontSize).split("\n")
        return entry, lines, style.spaceBefore + style.leading * len(lines)

    def draw(self) -> None:
        canvas = self.canv
        right = self.width
        y = self.height
        for entry, lines, block in self._lines:
            style = _toc_style(entry)
            top = y
            y -= style.spaceBefore
            canvas.setFont(style.fontName, style.fontSize)
            canvas.setFillColor(style.textColor)
            for line in lines:
                y -= style.leading
                canvas.drawString(style.leftIndent, y + style.leading - style.fontSize, line)
            baseline = y + style.leading - style.fontSize
            dots_from = style.leftIndent + stringWidth(lines[-1], style.fontName,
                                                       style.fontSize) + self.DOT_GAP
            dots_to = right - self.NUMBER_COLUMN
            if dots_to > dots_from:
                canvas.setFillColor(styles.MUTED_INK)
                dot_width = stringWidth(" .", style.fontName, style.fontSize)
                count = int((dots_to - dots_from) / dot_width)
                canvas.drawRightString(dots_to, baseline, " ." * count)
            canvas.linkRect("", entry.toc_key, (0, y, right, top - style.spaceBefore),
                            relative=1, thickness=0)
            number_at = canvas.absolutePosition(right, baseline)
            font = (style.fontName, style.fontSize)
            canvas.when_complete(functools.partial(self._draw_page_number, entry.toc_key,
                                                   number_at, font))
            y = top - block

    def _draw_page_number(self, key: str, at: tuple[float, float], font: tuple[str, float],
                          canvas: Any) -> None:
        canvas.setFont(*font)
        canvas.setFillColor(styles.INK)
        canvas.drawRightString(at[0], at[1], str(self.pages.get(key, "")))


def _toc_style(entry: _Heading) -> Any:
    return TOC_LEVEL0 if entry.toc_level == 0 else TOC_LEVEL1


class _PackDocument(ReportDocument):
    def __init__(self, out: Any, setup: PageSetup, contents: _Contents) -> None:
        super().__init__(out, setup)
        self.contents = contents

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _Heading):
            self.contents.pages[flowable.toc_key] = self.page
            self.canv.addOutlineEntry(flowable.toc_title, flowable.toc_key,
                                      flowable.toc_level, closed=False)


def render_pdf(data: PackData) -> bytes:
    """The pack as PDF bytes: A4, DejaVu Sans embedded, identical for identical data."""
    setup = PageSetup(
        organisation=data.organisation,
        title=f"Management review {_date(data.meeting_on)}".strip(),
        generated_at=_generated_at(data.generated_at),
        draft=data.is_draft,
        footer_note=(f"{data.reconstruction} · " if data.reconstruction else "")
        + f"Pack version {data.pack_version}",
        subject="Management review pack (ISO 9001 clause 9.3)",
        left_margin=20 * mm,
        right_margin=20 * mm,
        top_margin=24 * mm,
        bottom_margin=22 * mm,
    )
    out = io.BytesIO()
    builder = _StoryBuilder(data, setup.frame_width)
    story = builder.story()
    _PackDocument(out, setup, builder.contents_page).build(story)
    return out.getvalue()


def generated_words(value: str) -> str:
    """The stored "generated at" in the footer's wording: "6 December 2026, 09:24"."""
    return styles.format_timestamp(_generated_at(value))


def _generated_at(value: str) -> dt.datetime:
    try:
        # What the product stores; strptime below (and its module) only for anything else.
        return dt.datetime.fromisoformat(value).replace(microsecond=0)
    except ValueError:
        pass
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
    return dt.datetime(2000, 1, 1)


def _date(value: str) -> str:
    """A stored YYYY-MM-DD as "28 December 2026"; anything else as it is."""
    try:
        return styles.format_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def draft_words(data: PackData) -> str:
    """What a draft is, for its cover; only a frozen pack calls itself the record."""
    if data.status == "planned":
        return ("prepared for the meeting: commentary, conclusions and decisions are written "
                "in during the meeting.")
    return ("the meeting was held; this pack is final only when top management closes the "
            "review and it is frozen.")


NO_SCOPE = "No scope of the quality management system has been approved yet."


def cover_details(data: PackData) -> list[tuple[str, str]]:
    """The review's particulars on the cover, PDF and HTML alike."""
    period = (f"{_date(data.period_start)} to {_date(data.period_end)}"
              if data.period_start or data.period_end else "Not set")
    return [
        ("Meeting date", _date(data.meeting_on) or "Not set"),
        ("Review period", period),
        # The inputs c1 to c7 set this period beside the one before it, of the same length.
        *([("Compared with", data.previous_period_label())]
          if data.previous_period_start else []),
        ("Standard", data.edition),
        ("Place", data.place or "Not recorded"),
        ("Chair", data.chair_line() or "Not recorded"),
        ("Minute-taker", data.minute_taker or "Not recorded"),
        ("Pack version", str(data.pack_version)),
        ("Generated at", generated_words(data.generated_at)),
    ]


def _cover_subtitle(data: PackData) -> str:
    """The review's name with its date written out, without repeating "Management review"."""
    title = data.review_title.replace(data.meeting_on, _date(data.meeting_on)) \
        if data.meeting_on else data.review_title
    rest = title.removeprefix("Management review").strip(" -—:")
    if not rest:
        return _date(data.meeting_on)
    if data.meeting_on and _date(data.meeting_on) not in rest:
        rest += f" — {_date(data.meeting_on)}"
    return rest


CONCLUSION_ORDER = ("Suitability", "Adequacy", "Effectiveness", "Alignment with strategy")


def conclusion_items(data: PackData) -> list[tuple[str, str]]:
    """The overall conclusion in the standard's order, whatever order the dict arrived in
    (a JSON snapshot has its keys sorted)."""
    known = [(k, data.conclusion[k]) for k in CONCLUSION_ORDER if k in data.conclusion]
    others = sorted((k, v) for k, v in data.conclusion.items() if k not in CONCLUSION_ORDER)
    return known + others


def input_heading(section: InputSection) -> str:
    return f"{section.code}) {section.title}"


class _StoryBuilder:
    def __init__(self, data: PackData, width: float) -> None:
        self.data = data
        self.width = width
        self.contents_page = _Contents()
        # Reference -> the pages its rows were drawn on, filled in as the tables are drawn.
        self.cited_pages: dict[str, set[int]] = {}

    def heading(self, title: str, style: Any = SECTION, level: int = 0) -> _Heading:
        entries = self.contents_page.entries
        heading = _Heading(title, style, level, f"section-{len(entries) + 1}")
        entries.append(heading)
        return heading

    def story(self) -> list[Flowable]:
        data = self.data
        story: list[Flowable] = []
        story += self.cover()
        story.append(PageBreak())
        story += self.contents()
        story.append(PageBreak())
        story += self.readiness()
        story += self.leadership()
        first = [s for s in data.inputs if s.code == "a"]
        rest = [s for s in data.inputs if s.code != "a"]
        story.append(PageBreak())
        story.append(self.heading("Review inputs"))
        story.append(text(
            "Each required input for the review period, with its data, trends against "
            "target and the commentary and conclusion of the meeting.", styles.BODY))
        for index, section in enumerate(first + rest):
            story += self.input_section(section, first=index == 0)
        story.append(PageBreak())
        story += self.policy()
        story += self.duties()
        story.append(CondPageBreak(80 * mm))
        story += self.decisions()
        story.append(CondPageBreak(110 * mm))
        story += self.conclusion()
        story.append(CondPageBreak(60 * mm))
        story += self.distribution()
        story.append(PageBreak())
        story += self.sign_off()
        if data.cited:
            story.append(PageBreak())
            story += self.index()
        return story

    # --- Cover and contents -------------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        data = self.data
        story: list[Flowable] = [Spacer(1, 10 * mm)]
        if data.organisation:
            story.append(text(data.organisation, COVER_KICKER))
        story.append(text("Management review", COVER_TITLE))
        story.append(text(_cover_subtitle(data), COVER_SUBTITLE))
        story.append(self._status_banner())
        if data.dates_line():
            story += [Spacer(1, 2 * mm), text(data.dates_line(), styles.SMALL)]
        story.append(Spacer(1, 5 * mm))
        story.append(self._key_values(cover_details(data)))
        # No approved scope is said, not left out: a missing line reads as an oversight.
        story.append(Spacer(1, 4 * mm))
        story.append(text("Scope of the quality management system", SUBHEADING))
        story.append(text(_short(data.scope, 520) if data.scope.strip() else NO_SCOPE,
                          styles.SMALL))
        story.append(Spacer(1, 3 * mm))
        story += self._attendees()
        return story

    def _status_banner(self) -> Flowable:
        if self.data.reconstruction:
            words = (f"<b>{escape(self.data.reconstruction)}</b> — the records as the change "
                     "history says they stood then, rebuilt on request.")
            fill, ink = AMBER_FILL, AMBER_INK
        elif self.data.is_draft:
            words = f"<b>DRAFT</b> — {escape(draft_words(self.data))}"
            fill, ink = AMBER_FILL, AMBER_INK
        else:
            words = ("<b>Record of the meeting</b> — the final pack, retained as the record of "
                     "this management review.")
            fill, ink = styles.ACCENT_FILL, styles.ACCENT
        style = make_style("pack_banner", fontSize=9.5, leading=13, textColor=ink)
        return PdfTable([[Paragraph(words, style)]], colWidths=[self.width], style=_plain([
            ("BACKGROUND", (0, 0), (-1, -1), fill),
            ("LINEBEFORE", (0, 0), (0, -1), 3, ink),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))

    def _key_values(self, pairs: list[tuple[str, str]]) -> Flowable:
        rows = [[text(key, LABEL), text(value, styles.BODY)] for key, value in pairs]
        return PdfTable(rows, colWidths=[38 * mm, self.width - 38 * mm], hAlign="LEFT",
                        style=_plain([
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("LINEBELOW", (0, 0), (-1, -1), 0.25, styles.RULE),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("TOPPADDING", (0, 0), (-1, -1), 3),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                        ]))

    def _attendees(self) -> list[Flowable]:
        present = [a for a in self.data.attendees if a.present]
        apologies = [a for a in self.data.attendees if not a.present]
        story: list[Flowable] = [text("Attendees", SUBHEADING)]
        if present:
            rows = [[a.name_line(), a.role, "Yes" if a.top_management else ""] for a in present]
            story.append(self.table(Table("", ["Name", "Role", "Top management"], rows,
                                          ["top" if a.top_management else "" for a in present]),
                                    show_title=False))
        else:
            story.append(text("No attendance recorded yet.", NOTICE))
        story.append(text("Apologies", SUBHEADING))
        if apologies:
            rows = [[a.name_line(), a.role, "Yes" if a.top_management else ""]
                    for a in apologies]
            story.append(self.table(Table("", ["Name", "Role", "Top management"], rows),
                                    show_title=False))
        else:
            story.append(text("None recorded.", NOTICE))
        return story

    def contents(self) -> list[Flowable]:
        return [text("Contents", SECTION), Spacer(1, 2 * mm), self.contents_page]

    # --- Readiness and leadership -------------------------------------------------------------

    def readiness(self) -> list[Flowable]:
        findings = self.data.readiness
        story: list[Flowable] = [self.heading("Readiness summary by clause")]
        if not findings:
            story.append(self.notice(
                "No gaps or points needing attention were found when this pack was generated.",
                styles.ACCENT_FILL, styles.ACCENT))
            return story
        gaps = sum(1 for f in findings if f.severity == "gap")
        story.append(text(
            f"{gaps} {'gap' if gaps == 1 else 'gaps'} and {len(findings) - gaps} "
            f"{'point' if len(findings) - gaps == 1 else 'points'} needing attention, by clause. "
            "Gaps are what a certification auditor would raise.", styles.BODY))
        rows = [[f.clause, "Gap" if f.severity == "gap" else "Attention", f.text]
                for f in findings]
        story.append(self.table(Table("", ["Clause", "Severity", "Finding"], rows,
                                      [f.severity for f in findings]), show_title=False))
        return story

    def leadership(self) -> list[Flowable]:
        data = self.data
        story: list[Flowable] = [self.heading("Leadership evidence (5.1)")]
        story.append(text("What top management did in the review period, from the records' "
                          "change history.", styles.BODY))
        if data.leadership_warning:
            story.append(self.notice(data.leadership_warning, styles.WARNING_FILL,
                                     styles.WARNING_INK, prefix="Warning: "))
            story.append(Spacer(1, 3 * mm))
        if data.leadership.rows:
            story += self.captioned(data.leadership)
        return [CondPageBreak(60 * mm), *_keep_heading_with_table(story)]

    # --- Inputs ---------------------------------------------------------------------------------

    def input_section(self, section: InputSection, first: bool = False) -> list[Flowable]:
        story: list[Flowable] = []
        heading = self.heading(input_heading(section), INPUT_HEADING, level=1)
        story.append(heading)
        if not section.has_data:
            reason = section.empty_reason or "No data was recorded for the review period."
            story.append(self.notice(reason, AMBER_FILL, AMBER_INK,
                                     prefix="No data for this input. "))
        if section.summary:
            story += [Paragraph(escape(line), BULLET, bulletText="•")
                      for line in section.summary]
        story += self.comparison(section)
        for table in section.tables:
            story += self.captioned(table)
        story = _keep_heading_with_table(story)
        if not first:
            story.insert(0, CondPageBreak(70 * mm))
        story += self.charts(section)
        # The two boxes travel together; on a page after their input's heading they name
        # the input, or a reader of that page could not tell what they answer.
        boxes: list[Flowable] = [
            _Continued(f"{input_heading(section)} (continued)", CONTINUED, heading),
            Spacer(1, 2 * mm),
            self.writing_box("Commentary", section.commentary, COMMENTARY_LINES),
            Spacer(1, 2 * mm),
            self.writing_box("Conclusion", section.conclusion, CONCLUSION_LINES),
        ]
        story.append(KeepTogether(boxes))
        return story

    def comparison(self, section: InputSection) -> list[Flowable]:
        """This period against the previous one, or a plain sentence when there is no
        earlier data: a column of zeros would read as real figures."""
        label = self.data.previous_period_label()
        note = section.comparison_note(label)
        if note:
            return [Spacer(1, 1 * mm), text(note, NOTICE)]
        table = section.comparison_table(label)
        return [] if table is None else self.captioned(table)

    def charts(self, section: InputSection) -> list[Flowable]:
        story: list[Flowable] = []
        lines = [c for c in section.charts if c.kind == "line"]
        others = [c for c in section.charts if c.kind != "line"]
        for chart in others:
            story += [Spacer(1, 3 * mm), charts.draw(chart, self.width)]
        if len(lines) == 1:
            story += [Spacer(1, 3 * mm), charts.draw(lines[0], self.width)]
        elif lines:
            half = (self.width - CHART_GAP) / 2
            drawings = [charts.draw(c, half) for c in lines]
            rows = [drawings[i:i + 2] + [""] * (2 - len(drawings[i:i + 2]))
                    for i in range(0, len(drawings), 2)]
            story.append(Spacer(1, 3 * mm))
            story.append(PdfTable(rows, colWidths=[half + CHART_GAP, half], hAlign="LEFT",
                                  style=_plain([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                         ("TOPPADDING", (0, 0), (-1, -1), 0),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                                         ("VALIGN", (0, 0), (-1, -1), "TOP")])))
        return story

    # --- Policy, duties, decisions, conclusion, distribution, sign-off ----------------------------

    def policy(self) -> list[Flowable]:
        data = self.data
        story: list[Flowable] = [self.heading("Quality policy in force (5.2)")]
        if not data.policy_text:
            story.append(self.notice("No quality policy is in force: none has been approved.",
                                     styles.WARNING_FILL, styles.WARNING_INK))
            return story
        meta = [("Version", data.policy_version or "Not numbered"),
                ("Approval", data.policy_approval or "Not approved")]
        story.append(self._key_values(meta))
        story.append(Spacer(1, 4 * mm))
        for line in data.policy_text.splitlines():
            line = line.strip()
            if not line:
                continue
            bullet = next((b for b in ("- ", "* ", "• ", "– ") if line.startswith(b)), None)
            if bullet:
                story.append(Paragraph(escape(line[len(bullet):].strip()), BULLET,
                                       bulletText="•"))
            else:
                story.append(text(line, styles.BODY))
        return story

    def duties(self) -> list[Flowable]:
        rows = self.data.duties
        marks = ["not assigned" if (len(r) < 3 or not r[2] or r[2] == "Not assigned") else ""
                 for r in rows]
        return [
            CondPageBreak(60 * mm),
            self.heading("Responsibilities and authorities (5.3)"),
            text("The five duties top management must assign, and who holds each.",
                 styles.BODY),
            self.table(Table("", ["Clause", "Duty", "Held by"],
                             [[*r[:3], *[""] * (3 - len(r[:3]))] for r in rows], marks),
                       show_title=False),
        ]

    def decisions(self) -> list[Flowable]:
        table = self.data.decisions
        story: list[Flowable] = [self.heading("Decisions and actions")]
        story.append(text("Decisions on improvement opportunities, changes to the QMS and "
                          "resource needs, each with an owner and a due date.", styles.BODY))
        if table.rows:
            story.append(self.table(table, show_title=False))
        elif self.data.is_draft:
            blank = Table("", table.headers or ["Type", "Decision", "Owner", "Due", "Answers"],
                          [[""] * len(table.headers or range(5)) for _ in range(6)])
            story.append(self.table(blank, show_title=False, row_height=10 * mm))
        else:
            story.append(self.notice("No decisions were recorded at this review.",
                                     styles.WARNING_FILL, styles.WARNING_INK))
        return story

    def conclusion(self) -> list[Flowable]:
        data = self.data
        story: list[Flowable] = [self.heading("Overall conclusion")]
        story.append(text("Is the quality management system still suitable, adequate and "
                          "effective, and aligned with the strategy?", styles.BODY))
        for label, value in conclusion_items(data):
            story.append(self.writing_box(label, value, OVERALL_LINES))
            story.append(Spacer(1, 2 * mm))
        story.append(text("Next review", SUBHEADING))
        if data.next_review_on:
            story.append(text(_date(data.next_review_on), styles.BODY))
        else:
            story.append(self.ruled_lines(1, label="Date of the next review:"))
        return story

    def distribution(self) -> list[Flowable]:
        names = self.data.distribution
        story: list[Flowable] = [self.heading("Distribution list")]
        if names:
            story += [Paragraph(escape(name), BULLET, bulletText=f"{i}.")
                      for i, name in enumerate(names, start=1)]
        else:
            story.append(text("No distribution recorded.", NOTICE))
            if self.data.is_draft:
                story.append(self.ruled_lines(3))
        return story

    def sign_off(self) -> list[Flowable]:
        data = self.data
        story: list[Flowable] = [self.heading("Sign-off")]
        if data.signed_by and not data.is_draft:
            return story + self.signed_closure()
        story.append(text(
            "To be signed by the chair and by top management present, to confirm that this "
            "review was held and its conclusions and decisions agreed.", styles.BODY))
        story.append(Spacer(1, 4 * mm))
        signers: list[tuple[str, str]] = []
        if data.chair:
            signers.append((data.chair_line(), "Chair"))
        for attendee in data.attendees:
            if attendee.present and attendee.top_management and attendee.name != data.chair:
                signers.append((attendee.name_line(), attendee.role or "Top management"))
        if not signers:
            signers = [("", "Chair"), ("", "Top management")]
        story += [self.signature_block(name, role) for name, role in signers]
        if data.chain_head:
            story.append(text(
                "Change history chain head when this review closed: " + data.chain_head
                + ". A copy of the database whose history no longer leads to this value "
                "was altered after the review closed.", styles.MUTED))
        return story

    def signed_closure(self) -> list[Flowable]:
        """The signature given in the application when the review was closed, and the
        fingerprints that tie this page to the frozen snapshot and the change history."""
        data = self.data
        rows = [
            ("Signed by", data.signer_line()),
            ("Meaning", data.signature_meaning),
            ("Signed", data.signed_at),
        ]
        if data.snapshot_sha256:
            rows.append(("Snapshot SHA-256", data.snapshot_sha256))
        if data.chain_head:
            rows.append(("History chain head", data.chain_head))
        label_width = 36 * mm
        # A fingerprint is one word of 64 characters: small enough to stay on one line.
        value_styles = {"Signed by": SIGN_NAME, "Snapshot SHA-256": styles.SMALL,
                        "History chain head": styles.SMALL}
        table = PdfTable(
            [[text(label, LABEL), text(value, value_styles.get(label, styles.BODY))]
             for label, value in rows],
            colWidths=[label_width, self.width - label_width], hAlign="LEFT",
            style=_plain([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEABOVE", (0, 0), (-1, 0), 0.4, styles.RULE),
            ]))
        return [
            text("Closed and signed in the application by top management when the review was "
                 "closed; this frozen pack is the record of the review.", styles.BODY),
            Spacer(1, 3 * mm),
            KeepTogether([table]),
            *self.closing_record(),
            Spacer(1, 3 * mm),
            text("The snapshot SHA-256 is the fingerprint of the data this pack was printed "
                 "from, stored with it at closing. The fingerprint of this PDF file itself is "
                 "shown by the application beside the closed review and by export-pack (a file "
                 "cannot print its own). A copy of the database whose change history no longer "
                 "leads to the chain head was altered after the review closed.", styles.MUTED),
        ]

    def closing_record(self) -> list[Flowable]:
        """What the closing check flagged, and the signer's reason for closing anyway."""
        data = self.data
        if not data.closing_flags:
            return []
        story: list[Flowable] = [Spacer(1, 3 * mm),
                                 text("Flagged when the review was closed", SUBHEADING)]
        story += [Paragraph(escape(flag), BULLET, bulletText="•") for flag in data.closing_flags]
        if data.closing_reason:
            story.append(self.notice(data.closing_reason, styles.WARNING_FILL, styles.WARNING_INK,
                                     prefix="Reason given by the signer:"))
        return [KeepTogether(story[:3]), *story[3:]]

    # --- Index of the records cited -------------------------------------------------------------

    def index(self) -> list[Flowable]:
        """Every record the tables cite, by reference, with the pages it is cited on, so an
        auditor can pick a sample here and find it. The pages are known once the tables
        before it are drawn, so the index is made when it is laid out."""
        return [
            self.heading("Index of records cited"),
            text("Every record the tables of this pack cite, by its reference, with the "
                 "pages it is cited on.", styles.BODY),
            _Deferred(self._index_table),
        ]

    def _index_table(self) -> Flowable:
        rows = [[c.reference, c.kind, c.title, _pages(self.cited_pages.get(c.reference, set()))]
                for c in self.data.cited]
        return self.table(Table("", ["Reference", "Kind", "Title", "Page"], rows),
                          show_title=False)

    def signature_block(self, name: str, role: str) -> Flowable:
        label_width = 22 * mm
        line_width = self.width - label_width
        name_cell: Any = text(name, SIGN_NAME) if name else ""
        rows = [
            [text("Name", LABEL), name_cell],
            ["", text(role, SIGN_CAPTION)],
            [text("Signature", LABEL), ""],
            [text("Date", LABEL), ""],
        ]
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LINEBELOW", (1, 2), (1, 2), 0.6, styles.INK),
            ("LINEBELOW", (1, 3), (1, 3), 0.6, styles.INK),
            ("LINEABOVE", (0, 0), (-1, 0), 0.4, styles.RULE),
        ]
        if not name:
            commands.append(("LINEBELOW", (1, 0), (1, 0), 0.6, styles.INK))
        block = PdfTable(rows, colWidths=[label_width, line_width * 0.7],
                         rowHeights=[9 * mm, None, 14 * mm, 11 * mm], hAlign="LEFT",
                         style=_plain(commands))
        return KeepTogether([block, Spacer(1, 8 * mm)])

    # --- Building blocks ------------------------------------------------------------------------

    def notice(self, words: str, fill: colors.Color, ink: colors.Color,
               prefix: str = "") -> Flowable:
        style = make_style("pack_notice_ink", parent=NOTICE, textColor=ink)
        markup = (f"<b>{escape(prefix.strip())}</b> " if prefix else "") + escape(words)
        return PdfTable([[Paragraph(markup, style)]], colWidths=[self.width], style=_plain([
            ("BACKGROUND", (0, 0), (-1, -1), fill),
            ("LINEBEFORE", (0, 0), (0, -1), 3, ink),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ]))

    def ruled_lines(self, count: int, label: str = "") -> Flowable:
        return _RuledLines(count, RULED_LINE_GAP, label)

    def writing_box(self, label: str, value: str, blank_lines: int) -> Flowable:
        """A labelled box with the meeting's words, or ruled lines to write them on."""
        content: list[Flowable] = [text(label, BOX_LABEL)]
        if value.strip():
            content += [text(part.strip(), styles.BODY) for part in value.splitlines()
                        if part.strip()]
        else:
            content.append(self.ruled_lines(blank_lines))
        box = PdfTable([[content]], colWidths=[self.width], style=_plain([
            ("BOX", (0, 0), (-1, -1), 0.5, styles.RULE),
            ("BACKGROUND", (0, 0), (-1, -1), styles.LIGHT_SHADE),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        return box

    def table(self, table: Table, show_title: bool = True,
              row_height: float | None = None) -> Flowable:
        """A data table: header repeated on each page, long ones split, rows marked.

        Cells are plain strings broken into lines here, not Paragraphs: a string cell is
        drawn directly, while a Paragraph is parsed, measured again by the table and then
        drawn word by word, which made the long tables of a large pack several times slower.
        """
        headers = table.headers or [""]
        rows = table.rows
        if table.cites():
            # The record each row comes from, first, as the index of records cited lists it.
            headers = ["Reference", *headers]
            references = table.references + [""] * (len(rows) - len(table.references))
            rows = [[ref, *row] for ref, row in zip(references, rows, strict=False)]
        columns = len(headers)
        widths = _column_widths(headers, rows, self.width)
        room = [w - CELL_PADDING for w in widths]
        body: list[list[str]] = [
            [wrap_text(h, r, fonts.BOLD, CELL_FONT_SIZE) for h, r in zip(headers, room,
                                                                      strict=True)]]
        for row in rows:
            body.append([_cell_text(str(row[index]) if index < len(row) else "", room[index])
                         for index in range(columns)])
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, 0), styles.SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, styles.ACCENT),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, styles.RULE),
        ]
        for index, mark in enumerate(table.marks[:len(table.rows)], start=1):
            mark = mark.lower()
            if mark in WARNING_MARKS:
                commands.append(("BACKGROUND", (0, index), (-1, index), styles.WARNING_FILL))
            elif mark in AMBER_MARKS:
                commands.append(("BACKGROUND", (0, index), (-1, index), AMBER_FILL))
        # Every body cell shares one cell style and every header cell another, instead of a
        # style per cell built from per-cell commands: less to set up, and the table skips
        # the font and colour changes between cells when drawing. So `commands` holds only
        # backgrounds and lines: reportlab applies a cell command (FONT, ALIGN, padding) by
        # changing the cell's style in place, which here would change every table after.
        cell_styles = [[HEADER_CELL] * columns] + [[BODY_CELL] * columns for _ in table.rows]
        grid = _DataTable(body, colWidths=widths, rowHeights=_row_heights(body, row_height),
                        repeatRows=1, hAlign="LEFT", style=TableStyle(commands),
                        cellStyles=cell_styles, normalizedData=1)
        if table.cites():
            grid.cited_pages = self.cited_pages
        if show_title and table.title:
            return KeepTogether([text(table.title, SUBHEADING), grid])
        return grid

    def captioned(self, table: Table) -> list[Flowable]:
        """A titled table: a short one moves whole to the next page rather than split; a
        long one starts where it is, its caption never left alone at the foot of a page."""
        if len(table.rows) <= LONG_TABLE_ROWS:
            return [self.table(table)]
        return [CondPageBreak(45 * mm),
                text(f"{table.title} ({len(table.rows)} rows)", LONG_CAPTION),
                self.table(table, show_title=False)]


class _DataTable(PdfTable):
    """A table of plain-string cells whose text goes into one PDF text object per table
    part. Table draws each string on its own (a text object opened, set up and closed per
    line), which was most of the time a long pack took; in one object the same text is
    written a third faster. Backgrounds and rules are drawn by Table as ever; only the
    strings are gathered and written after them.
    """

    # Reference -> pages, for a table whose first column is the reference of each row's record.
    cited_pages: dict[str, set[int]] | None = None

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(avail_width, avail_height)
        for part in parts:
            if isinstance(part, _DataTable):
                part.cited_pages = self.cited_pages
        return parts

    def draw(self) -> None:
        self._strings: list[tuple[float, float, str, CellStyle]] = []
        super().draw()
        canvas = self.canv
        if self.cited_pages is not None:
            page = canvas.getPageNumber()
            for row in self._cellvalues[1:]:  # the first row is the header, on every part
                reference = str(row[0]).replace("\n", "")
                if reference:
                    self.cited_pages.setdefault(reference, set()).add(page)
        text = canvas.beginText()
        current: CellStyle | None = None
        for x, y, line, style in self._strings:
            if style is not current:
                text.setFont(style.fontname, style.fontsize, style.leading)
                text.setFillColor(style.color)
                current = style
            text.setTextOrigin(x, y)
            text.textOut(line)
        canvas.drawText(text)

    def _drawCell(self, cellval: Any, cellstyle: CellStyle, pos: tuple[float, float],
                  size: tuple[float, float]) -> None:
        # Only what `table()` makes: strings in top-left aligned cells; anything else is
        # drawn by Table itself.
        if not (isinstance(cellval, str) and cellstyle.valign == "TOP"
                and cellstyle.alignment == "LEFT"):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        x = pos[0] + cellstyle.leftPadding
        # Where Table puts a top-aligned string's first baseline.
        y = pos[1] + size[1] - cellstyle.topPadding - cellstyle.fontsize
        for line in cellval.split("\n"):
            if line:
                self._strings.append((x, y, line, cellstyle))
            y -= cellstyle.leading


class _Deferred(Flowable):
    """A flowable made when it is first laid out, from what the pages before it recorded."""

    def __init__(self, make: Callable[[], Flowable]) -> None:
        super().__init__()
        self._make = make
        self._made: Flowable | None = None

    def _flowable(self) -> Flowable:
        if self._made is None:
            self._made = self._make()
        return self._made

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self._flowable().wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = self._flowable().split(avail_width, avail_height)
        return parts

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self._flowable().drawOn(canvas, x, y, _sW)


def _pages(pages: set[int]) -> str:
    """ "4", "4, 7", "4-6, 9": the pages a record is cited on."""
    runs: list[list[int]] = []
    for page in sorted(pages):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


class _RuledLines(Flowable):
    """Blank lines to write on: the draft pack is also the minute sheet."""

    def __init__(self, count: int, gap: float, label: str = "") -> None:
        super().__init__()
        self.count = count
        self.gap = gap
        self.label = label

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.count * self.gap + 2
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.5)
        start = 0.0
        if self.label:
            canvas.setFont(fonts.REGULAR, 9)
            canvas.setFillColor(styles.MUTED_INK)
            canvas.drawString(0, self.gap * (self.count - 1) + 3, self.label)
            start = stringWidth(self.label, fonts.REGULAR, 9) + 6
        for index in range(self.count):
            y = self.height - (index + 1) * self.gap + 1
            canvas.line(start if index == 0 else 0, y, self.width, y)
        canvas.restoreState()


def _plain(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style that names the house font: reportlab sets the cell font on the canvas
    for every cell, and its default is Helvetica."""
    return TableStyle([("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8.5), *commands])


# --- Tables: widths and cells ---------------------------------------------------------------------

CELL_PADDING = 8.0


RIGID_UP_TO = 32 * mm


def _column_widths(headers: list[str], rows: list[list[str]], width: float) -> list[float]:
    """Short columns (dates, statuses, numbers) get what they need, unwrapped; the wordy
    columns share what is left in proportion to how much text they hold; and no column is
    narrower than its longest word, when the table has room for that."""
    widths = _shared_widths(headers, rows, width)
    sample = rows[:200]
    floors = [min(_longest_word(header, [r[i] for r in sample if i < len(r)]) + CELL_PADDING,
                  LONGEST_WHOLE_WORD * width)
              for i, header in enumerate(headers)]
    if sum(floors) > width:
        return widths
    # A wordy column's proportional share could be narrower than one of its words ("Improv/
    # ement" in a Type column): raise it to its floor, taken from the columns above theirs.
    while True:
        short = [i for i, (w, f) in enumerate(zip(widths, floors, strict=True)) if w < f - 0.01]
        if not short:
            return widths
        wanted = sum(floors[i] - widths[i] for i in short)
        givers = [i for i in range(len(widths)) if i not in short and widths[i] > floors[i]]
        spare = sum(widths[i] - floors[i] for i in givers)
        for i in short:
            widths[i] = floors[i]
        for i in givers:
            widths[i] -= wanted * (widths[i] - floors[i]) / spare


# A word wider than this share of the table (a web address) is cut rather than kept whole.
LONGEST_WHOLE_WORD = 0.3


def _shared_widths(headers: list[str], rows: list[list[str]], width: float) -> list[float]:
    sample = rows[:200]
    regular = _measurer(fonts.REGULAR, CELL_FONT_SIZE)
    bold = _measurer(fonts.BOLD, CELL_FONT_SIZE)
    needs = []
    for index, header in enumerate(headers):
        values = [str(r[index]) for r in sample if index < len(r)]
        lengths = sorted(regular(v) for v in values)
        typical = lengths[int(len(lengths) * 0.9)] if lengths else 0.0
        if typical + CELL_PADDING <= RIGID_UP_TO:
            # A short column (a date, a status) is never cut mid-word, even for the odd
            # longer value the 90th percentile leaves out ("Achieved" among "On track").
            longest_word = _longest_word(header, values) - 1.0
        else:
            longest_word = max((bold(w) for w in header.split()), default=0.0)
        # One point spare: a word exactly as wide as its cell would still wrap.
        needs.append(max(typical, longest_word, 10.0) + CELL_PADDING + 1.0)
    total = sum(needs)
    if total <= width:
        # Spare width goes to the wordy columns, so short ones (a count under "Observations")
        # stay tight and a title is not wrapped to five lines beside them.
        spare = width - total
        wordy = [n if n > RIGID_UP_TO else 0.0 for n in needs]
        share = sum(wordy) or total
        return [n + spare * (w if sum(wordy) else n) / share
                for n, w in zip(needs, wordy, strict=True)]
    rigid = [n <= RIGID_UP_TO for n in needs]
    fixed = sum(n for n, r in zip(needs, rigid, strict=True) if r)
    flexible = total - fixed
    if not flexible:
        return [n * width / total for n in needs]
    # The wordy columns need room to wrap in; the short ones (a date, "Overdue", a header
    # word) give way to them, but are never squeezed below their longest word.
    wordy_minimum = min(flexible, WORDY_SHARE * width)
    room = width - wordy_minimum
    if fixed > room:
        floors = [min(n, _longest_word(header, [r[i] for r in sample if i < len(r)])
                      + CELL_PADDING) for i, (header, n) in enumerate(zip(headers, needs,
                                                                          strict=True))]
        floor_total = sum(f for f, r in zip(floors, rigid, strict=True) if r)
        if floor_total > room:
            # Many short columns: the wordy ones make do with less before anything breaks.
            room = width - min(flexible, WORDY_LEAST * width)
            if floor_total > room:
                return [n * width / total for n in needs]
        # The short columns all at their floor already leave the room wanted: no squeeze.
        squeeze = max(0.0, fixed - room) / max(fixed - floor_total, 1e-9)
        needs = [n - (n - f) * squeeze if r else n
                 for n, f, r in zip(needs, floors, rigid, strict=True)]
        fixed = sum(n for n, r in zip(needs, rigid, strict=True) if r)
    left = width - fixed
    return [n if r else n * left / flexible for n, r in zip(needs, rigid, strict=True)]


WORDY_SHARE = 0.35
WORDY_LEAST = 0.2


def _longest_word(header: str, values: list[str]) -> float:
    """The widest unbreakable word of a column: its header (bold) or any of its cells."""
    bold = _measurer(fonts.BOLD, CELL_FONT_SIZE)
    regular = _measurer(fonts.REGULAR, CELL_FONT_SIZE)
    widest = max((bold(w) for w in header.split()), default=0.0)
    for value in values:
        for word in str(value).split():
            widest = max(widest, regular(word))
    return widest + 1.0


def _keep_heading_with_table(story: list[Flowable]) -> list[Flowable]:
    """A heading and its lead-in travel with the first table after them, so a heading is
    never left at the foot of a page with its table on the next."""
    for index, flowable in enumerate(story):
        if isinstance(flowable, KeepTogether):
            # Flattened: a KeepTogether inside another measures as endless and would always
            # start a new page.
            return [KeepTogether([*story[:index], *flowable._content]), *story[index + 1:]]
        if isinstance(flowable, CondPageBreak):
            return story
    return story


CELL_FONT_SIZE = 8.5
CELL_LEADING = 10.5
VERTICAL_PADDING = 6.0  # 3 points above and below


def _cell_style(name: str, font: str) -> CellStyle:
    style = CellStyle(name)
    style.fontname = font
    style.fontsize = CELL_FONT_SIZE
    style.leading = CELL_LEADING
    style.color = styles.INK
    style.valign = "TOP"
    style.leftPadding = style.rightPadding = CELL_PADDING / 2
    style.topPadding = style.bottomPadding = VERTICAL_PADDING / 2
    return style


BODY_CELL = _cell_style("pack_body_cell", fonts.REGULAR)
HEADER_CELL = _cell_style("pack_header_cell", fonts.BOLD)


def _row_heights(body: list[list[str]], minimum: float | None) -> list[float]:
    """Every row's height from its line count, given to the table so it measures nothing."""
    heights: list[float] = []
    for row in body:
        lines = max((cell.count("\n") + 1 for cell in row), default=1)
        height = lines * CELL_LEADING + VERTICAL_PADDING
        heights.append(max(height, minimum) if minimum and heights else height)
    return heights


def wrap_text(value: str, width: float, font: str = fonts.REGULAR,
              size: float = CELL_FONT_SIZE) -> str:
    """`value` with line breaks where it must wrap to fit `width`.

    Breaks between words; a word wider than the whole line (a long reference or web
    address) is cut between characters rather than left to run over the next column. The
    writer's own line breaks are kept, blank lines included.
    """
    measure = _measurer(font, size)
    # Tabs and carriage returns have no glyph in the font and would print as boxes.
    value = value.rstrip().replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if "\n" not in value and measure(value) <= width:
        return value
    space = measure(" ")
    lines: list[str] = []
    for paragraph in value.split("\n"):
        line: list[str] = []
        used = -space
        # Split at plain spaces only: a no-break space keeps "12 500" or "ISO 9001" whole.
        for word in filter(None, paragraph.split(" ")):
            word_width = measure(word)
            if word_width > width:
                if line:
                    lines.append(" ".join(line))
                pieces = _cut_word(word, width, measure)
                lines += pieces[:-1]
                line, used = [pieces[-1]], measure(pieces[-1])
            elif used + space + word_width <= width or not line:
                line.append(word)
                used += space + word_width
            else:
                lines.append(" ".join(line))
                line, used = [word], word_width
        lines.append(" ".join(line))
    return "\n".join(lines)


MAX_CELL_LINES = 30


def _cell_text(value: str, width: float) -> str:
    """A table cell's text in lines; an essay is cut short, as a row taller than a page
    cannot be printed at all (the whole text stays in the register)."""
    lines = wrap_text(value, width).split("\n")
    if len(lines) <= MAX_CELL_LINES:
        return "\n".join(lines)
    return "\n".join([*lines[:MAX_CELL_LINES - 1], "…"])


def _cut_word(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and measure(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    pieces.append(piece)
    return pieces


@functools.cache
def _measurer(font: str, size: float) -> Callable[[str], float]:
    """The font's own width function: pdfmetrics.stringWidth looks the font up by name
    on every call, and a large pack measures tens of thousands of strings."""
    face = pdfmetrics.getFont(font)

    def measure(value: str) -> float:
        return float(face.stringWidth(value, size))

    return measure


def _short(value: str, limit: int) -> str:
    first = value.strip().split("\n\n")[0].strip()
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + " …"
