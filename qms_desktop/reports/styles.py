"""The look of every report: named paragraph styles, colours, and the shared page frame.

`ReportDocument` is a Platypus document with a header (organisation, document title), a
footer ("Generated ...", "Page n of m"), an optional DRAFT marking on every page, and
repeatable bytes: the caller passes the "generated at" time instead of the clock being read,
and reportlab's invariant mode removes everything else that changes between runs, so the
same records and the same `generated_at` give a byte-identical PDF.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, TableStyle

from qms_desktop import formatting
from qms_desktop.reports import fonts
from qms_desktop.reports.marking import draw_marking

fonts.register_fonts()

# Where a PDF goes: a path, or a binary file object such as io.BytesIO.
Target = str | os.PathLike[str] | IO[bytes]

# --- Colours ------------------------------------------------------------------------------

INK = colors.HexColor("#1F2933")
MUTED_INK = colors.HexColor("#5F6B7A")
ACCENT = colors.HexColor("#1F4E79")
ACCENT_FILL = colors.HexColor("#E1EAF4")
RULE = colors.HexColor("#C9D1DA")
SHADE = colors.HexColor("#EEF2F6")
LIGHT_SHADE = colors.HexColor("#F7F9FB")
WARNING_FILL = colors.HexColor("#FCEBEA")
WARNING_INK = colors.HexColor("#A12622")
MARKING_INK = colors.HexColor("#F6E2E0")

# --- Paragraph styles -------------------------------------------------------------------------


def make_style(name: str, **overrides: Any) -> ParagraphStyle:
    """A style in the house font and ink; bulletFontName too, or bullets stay Helvetica."""
    values: dict[str, Any] = {
        "fontName": fonts.REGULAR,
        "bulletFontName": fonts.REGULAR,
        "fontSize": 10,
        "leading": 14,
        "textColor": INK,
    }
    values.update(overrides)
    return ParagraphStyle(name, **values)


TITLE = make_style("title", fontName=fonts.BOLD, fontSize=22, leading=27, textColor=ACCENT,
               spaceAfter=6)
HEADING1 = make_style("heading1", fontName=fonts.BOLD, fontSize=15, leading=19, textColor=ACCENT,
                  spaceBefore=14, spaceAfter=6, keepWithNext=1)
HEADING2 = make_style("heading2", fontName=fonts.BOLD, fontSize=12, leading=15, spaceBefore=10,
                  spaceAfter=4, keepWithNext=1)
BODY = make_style("body", spaceAfter=6)
SMALL = make_style("small", fontSize=8.5, leading=11)
MUTED = make_style("muted", fontSize=8.5, leading=11, textColor=MUTED_INK)
TABLE_HEADER = make_style("table_header", fontName=fonts.BOLD, fontSize=8.5, leading=10.5)
TABLE_CELL = make_style("table_cell", fontSize=8.5, leading=10.5)
TABLE_CELL_CENTRE = make_style("table_cell_centre", fontSize=8.5, leading=10.5,
                           alignment=TA_CENTER)

STYLES: dict[str, ParagraphStyle] = {
    s.name: s
    for s in (TITLE, HEADING1, HEADING2, BODY, SMALL, MUTED, TABLE_HEADER, TABLE_CELL,
              TABLE_CELL_CENTRE)
}


def escape(value: str) -> str:
    """`value` safe inside paragraph markup: & < > escaped, quotes left alone (as
    xml.sax.saxutils.escape, which would also load urllib.request and ssl, 40 ms a pack)."""
    return html.escape(value, quote=False)


def text(value: object, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text: user data is escaped, never read as markup."""
    return Paragraph(escape(str(value)), style)


def base_table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """Hairline rules, shaded header row, every cell in the house font; `commands` added."""
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8.5),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            *commands,
        ]
    )


# --- Dates, written the same way whatever the machine's locale ---------------------------------

# One wording with the window's: qms_desktop.formatting.
format_date = formatting.long_date
format_timestamp = formatting.timestamp


def _pdf_date(value: dt.datetime) -> str:
    stamp = f"D:{value:%Y%m%d%H%M%S}"
    offset = value.utcoffset()
    if offset is None:
        return stamp
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{stamp}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


# --- The page frame -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSetup:
    """What is printed around the content of every page.

    `generated_at` is printed in the footer and stored as the PDF's creation date; pass the
    stored time when regenerating a document that must come out identical.
    """

    organisation: str
    title: str
    generated_at: dt.datetime
    pagesize: tuple[float, float] = A4
    draft: bool = False
    watermark: str = ""  # any other marking across every page, e.g. "SUPERSEDED"
    show_header: bool = True
    footer_note: str = ""
    subject: str = ""
    left_margin: float = 18 * mm
    right_margin: float = 18 * mm
    top_margin: float = 22 * mm
    bottom_margin: float = 20 * mm

    @property
    def marking(self) -> str:
        return self.watermark or ("DRAFT" if self.draft else "")

    @property
    def frame_width(self) -> float:
        return float(self.pagesize[0] - self.left_margin - self.right_margin)

    @property
    def frame_height(self) -> float:
        return float(self.pagesize[1] - self.top_margin - self.bottom_margin)

    @property
    def header_y(self) -> float:
        return float(self.pagesize[1] - 12 * mm)

    @property
    def footer_y(self) -> float:
        return float(10 * mm)


class _NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say "Page n of m", and anything
    else known only then (a contents page's numbers) can be written onto its page."""

    def __init__(self, *args: Any, setup: PageSetup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup = setup
        self._held_pages: list[dict[str, Any]] = []
        self._on_complete: dict[int, list[Callable[[Canvas], None]]] = {}
        self.setDateFormatter(lambda *_parts: _pdf_date(setup.generated_at))

    def when_complete(self, draw: Callable[[Canvas], None]) -> None:
        """Call `draw(canvas)` on this page once every page is laid out."""
        self._on_complete.setdefault(len(self._held_pages), []).append(draw)

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for index, state in enumerate(self._held_pages):
            self.__dict__.update(state)
            self._draw_page_number(total)
            for draw in self._on_complete.get(index, []):
                self.saveState()
                draw(self)
                self.restoreState()
            super().showPage()
        super().save()

    def _draw_page_number(self, total: int) -> None:
        setup = self._setup
        self.saveState()
        self.setFont(fonts.REGULAR, 7.5)
        self.setFillColor(MUTED_INK)
        self.drawRightString(
            setup.pagesize[0] - setup.right_margin,
            setup.footer_y,
            f"Page {self._pageNumber} of {total}",
        )
        self.restoreState()


class ReportDocument(BaseDocTemplate):
    """A Platypus document in the house frame; build it with `build(story)`.

    `frames` replaces the single body frame of the first page template; place them inside
    `setup`'s margins (`left_margin`, `bottom_margin`, `frame_width`, `frame_height`).

    More page templates (a cover, a landscape section) can be added with
    `addPageTemplates`, reusing `body_frame()` and `decorate_page`.
    """

    def __init__(
        self,
        target: Target,
        setup: PageSetup,
        frames: list[Frame] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            os.fspath(target) if isinstance(target, os.PathLike) else target,
            pagesize=setup.pagesize,
            leftMargin=setup.left_margin,
            rightMargin=setup.right_margin,
            topMargin=setup.top_margin,
            bottomMargin=setup.bottom_margin,
            title=setup.title,
            author=setup.organisation,
            subject=setup.subject,
            creator="QMS Desktop",
            invariant=1,
            initialFontName=fonts.REGULAR,
            initialFontSize=10,
            initialLeading=14,
            **kwargs,
        )
        self.setup = setup
        self.addPageTemplates(
            [PageTemplate(id="normal", frames=frames or [self.body_frame()],
                          onPage=self.decorate_page, pagesize=setup.pagesize)]
        )

    def body_frame(self, frame_id: str = "body") -> Frame:
        return Frame(self.leftMargin, self.bottomMargin, self.width, self.height,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                     id=frame_id)

    def build(self, flowables: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("canvasmaker", functools.partial(_NumberedCanvas, setup=self.setup))
        super().build(flowables, **kwargs)

    def decorate_page(self, canvas: Canvas, _doc: Any) -> None:
        """Marking, header and footer; drawn before the content, so the marking sits behind."""
        setup = self.setup
        width, height = setup.pagesize
        left, right = setup.left_margin, width - setup.right_margin
        canvas.saveState()
        if setup.marking:
            _draw_marking(canvas, setup.marking, width, height)
        canvas.setLineWidth(0.4)
        canvas.setStrokeColor(RULE)
        if setup.show_header:
            canvas.setFont(fonts.BOLD, 8.5)
            canvas.setFillColor(INK)
            canvas.drawString(left, setup.header_y, setup.organisation)
            canvas.setFont(fonts.REGULAR, 8.5)
            canvas.setFillColor(MUTED_INK)
            header_right = setup.title + (f"  ·  {setup.marking}" if setup.marking else "")
            canvas.drawRightString(right, setup.header_y, header_right)
            canvas.line(left, setup.header_y - 2.5 * mm, right, setup.header_y - 2.5 * mm)
        canvas.line(left, setup.footer_y + 4 * mm, right, setup.footer_y + 4 * mm)
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.setFillColor(MUTED_INK)
        parts = [] if setup.show_header else [setup.organisation]
        parts += [setup.footer_note, f"Generated {format_timestamp(setup.generated_at)}"]
        if setup.marking and not setup.show_header:
            parts.append(setup.marking)
        canvas.drawString(left, setup.footer_y, "  ·  ".join(p for p in parts if p))
        canvas.restoreState()


def _draw_marking(canvas: Canvas, marking: str, width: float, height: float) -> None:
    # Strokes, not text: copying text from a draft must not pick up "DR AF T".
    draw_marking(canvas, marking, width, height, MARKING_INK)


def build_pdf(target: Target, story: list[Any], setup: PageSetup) -> None:
    ReportDocument(target, setup).build(story)
