"""The management review pack as one self-contained HTML file.

Same sections in the same order as the PDF (`review_pack`), for reading on screen, with a
screen reader, or printing from a browser. Everything is inline: CSS in a <style>, charts as
hand-built <svg> from the same numbers the PDF draws; no scripts, no external files. All
text from the records is escaped.
"""

from __future__ import annotations

import re
from html import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from qms_desktop.reports import charts, fonts
from qms_desktop.reports.review_pack import (
    NO_SCOPE,
    WARNING_MARKS,
    _cover_subtitle,
    _date,
    conclusion_items,
    cover_details,
    draft_words,
    generated_words,
    input_heading,
)
from qms_desktop.review_data import Chart, InputSection, PackData, Table

AMBER_MARKS = frozenset({"warning", "attention"})

CSS = """
:root { --ink:#1F2933; --muted:#5F6B7A; --accent:#1F4E79; --accent-fill:#E1EAF4;
  --rule:#C9D1DA; --shade:#EEF2F6; --light:#F7F9FB; --warn:#FCEBEA; --warn-ink:#A12622;
  --amber:#FFF3D6; --amber-ink:#8A5A00; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
  font-size: 15px; line-height: 1.45; margin: 0; background: #fff; }
.page { max-width: 920px; margin: 0 auto; padding: 24px 32px 64px; }
.masthead { display: flex; justify-content: space-between; font-size: 12px;
  color: var(--muted); border-bottom: 1px solid var(--rule); padding-bottom: 6px; }
.masthead strong { color: var(--ink); }
.draft-banner { background: var(--amber); color: var(--amber-ink); font-weight: bold;
  text-align: center; padding: 6px; letter-spacing: .08em;
  border-bottom: 2px solid var(--amber-ink); }
.kicker { color: var(--muted); font-size: 17px; margin: 28px 0 0; }
h1 { color: var(--accent); font-size: 40px; margin: 0 0 4px; }
.subtitle { font-size: 20px; margin: 0 0 14px; }
h2 { color: var(--accent); font-size: 24px; margin: 40px 0 10px; }
h3 { color: var(--accent); font-size: 19px; margin: 32px 0 8px; }
h4 { font-size: 14px; margin: 16px 0 6px; }
.status { padding: 8px 12px; border-left: 4px solid; margin: 12px 0; }
.status.draft { background: var(--amber); color: var(--amber-ink); }
.status.final { background: var(--accent-fill); color: var(--accent); }
.notice { padding: 8px 12px; border-left: 4px solid; margin: 8px 0; }
.notice.empty { background: var(--amber); border-color: var(--amber-ink);
  color: var(--amber-ink); }
.notice.warn { background: var(--warn); border-color: var(--warn-ink); color: var(--warn-ink); }
.notice.ok { background: var(--accent-fill); border-color: var(--accent); color: var(--accent); }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 12px; }
caption { text-align: left; font-weight: bold; padding: 6px 0; }
thead th { background: var(--shade); border-bottom: 1.5px solid var(--accent); }
th, td { text-align: left; vertical-align: top; padding: 4px 6px;
  border-bottom: 1px solid var(--rule); }
table.details th { width: 11em; color: var(--muted); font-size: 12px; background: none; }
tr.mark-warn td, tr.mark-warn th { background: var(--warn); }
tr.mark-amber td, tr.mark-amber th { background: var(--amber); }
.box { border: 1px solid var(--rule); background: var(--light); padding: 6px 12px 10px;
  margin: 8px 0; }
.box h4 { color: var(--accent); margin: 2px 0 4px; }
/* The lines take their own height: with none, they ran over the next heading. */
.ruled { margin: 0 0 4px; }
.ruled span { display: block; height: 2em; border-bottom: 1px solid var(--rule); }
.charts { display: flex; flex-wrap: wrap; gap: 16px; margin: 8px 0; }
/* Every chart the same size: a growing last figure drew a lone chart twice as big. */
.charts figure { margin: 0; flex: 0 1 calc(50% - 8px); min-width: 300px; }
figure svg { width: 100%; height: auto; }
nav ol { padding-left: 1.2em; }
nav li { margin: 2px 0; }
.signature { border-top: 1px solid var(--rule); padding-top: 8px; margin: 22px 0;
  max-width: 520px; }
.signature .line { border-bottom: 1px solid var(--ink); height: 2.4em; margin-bottom: 4px; }
.signature .label { font-size: 12px; color: var(--muted); }
.policy p { margin: 0 0 8px; }
/* A reference or a date is one word: "KPI-2026-005" split at a hyphen reads as two. */
.nb, th.ref { white-space: nowrap; }
@media print {
  body { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  /* Fixed, the banner was drawn over the first lines of every later page; the page's own
     top margin carries the word DRAFT where the browser prints margin boxes. */
  .draft-banner { position: static; }
  .new-page { break-before: page; }
  h2, h3, h4, caption { break-after: avoid; }
  tr, figure, .box, .signature { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 18mm 16mm; }
"""


def render_html(data: PackData) -> str:
    """The whole pack as one HTML document string."""
    return _Builder(data).build()


def _e(value: object) -> str:
    return escape(str(value), quote=True)


# A reference (ACT-2026-014, NC-2026-017) or an ISO date or month inside a cell's text.
_ONE_WORD = re.compile(r"\b(?:[A-Z]{2,4}-\d{4}-\d{2,}|\d{4}-\d{2}(?:-\d{2})?)\b")


def _cell(value: object) -> str:
    """A table cell's text, escaped, its references and dates kept from breaking at their
    hyphens (the pattern has no character that escaping changes)."""
    return _ONE_WORD.sub(lambda m: f'<span class="nb">{m.group()}</span>', _e(value))


class _Builder:
    def __init__(self, data: PackData) -> None:
        self.data = data
        self.parts: list[str] = []
        self.toc: list[tuple[int, str, str]] = []  # level, id, title
        self._ids = 0
        # Reference -> the sections (id, title) whose tables cite it, in order, for the index.
        self.cited_in: dict[str, list[tuple[str, str]]] = {}
        self.section = ("", "")  # the section being written: its id and title

    def anchor(self, title: str, level: int) -> str:
        self._ids += 1
        ident = f"s{self._ids}"
        self.toc.append((level, ident, title))
        self.section = (ident, title)
        return ident

    def build(self) -> str:
        data = self.data
        body: list[str] = []
        body.append(self.cover())
        sections: list[str] = [self.readiness(), self.leadership(), self.inputs(),
                               self.policy(), self.duties(), self.decisions(),
                               self.conclusion(), self.distribution(), self.sign_off()]
        if data.cited:
            sections.append(self.index())  # last: it lists where the others cite records
        body.append(self.contents())
        body += sections
        title = f"Management review {_date(data.meeting_on)} — {data.organisation}"
        page_mark = ('@page { @top-center { content: "DRAFT"; color: #8A5A00; '
                     "font: bold 9pt sans-serif; letter-spacing: .08em; } }\n"
                     if data.is_draft else "")
        banner = (f'<div class="draft-banner" role="note">DRAFT — {_e(draft_words(data))}'
                  '</div>\n') if data.is_draft else ""
        masthead = (f'<div class="masthead"><strong>{_e(data.organisation)}</strong>'
                    f'<span>Pack version {data.pack_version} · Generated '
                    f'{_e(generated_words(data.generated_at))}'
                    f'{" · DRAFT" if data.is_draft else ""}</span></div>')
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(title)}</title>\n<style>{CSS}{page_mark}</style>\n</head>\n"
            f"<body>\n{banner}"
            f"<div class=\"page\">\n{masthead}\n<main>\n" + "\n".join(body)
            + "\n</main>\n</div>\n</body>\n</html>\n"
        )

    # --- Cover and contents -------------------------------------------------------------------

    def cover(self) -> str:
        data = self.data
        details = cover_details(data)
        if data.reconstruction:
            status = (f'<p class="status draft"><strong>{_e(data.reconstruction)}</strong> — '
                      'the records as the change history says they stood then, rebuilt on '
                      'request.</p>')
        elif data.is_draft:
            status = (f'<p class="status draft"><strong>DRAFT</strong> — '
                      f'{_e(draft_words(data))}</p>')
        else:
            status = ('<p class="status final"><strong>Record of the meeting</strong> — the '
                      'final pack, retained as the record of this management review.</p>')
        rows = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>'
                       for k, v in details)
        out = [
            '<header class="cover">',
            f'<p class="kicker">{_e(data.organisation)}</p>' if data.organisation else "",
            "<h1>Management review</h1>",
            f'<p class="subtitle">{_e(_cover_subtitle(data))}</p>',
            status,
            f'<p class="dates">{_e(data.dates_line())}</p>' if data.dates_line() else "",
            f'<table class="details"><caption>Review details</caption><tbody>{rows}'
            "</tbody></table>",
        ]
        scope = data.scope.strip().split(chr(10) * 2)[0] if data.scope.strip() else NO_SCOPE
        out.append(f"<h4>Scope of the quality management system</h4><p>{_e(scope)}</p>")
        present = [a for a in data.attendees if a.present]
        apologies = [a for a in data.attendees if not a.present]
        for heading, people in (("Attendees", present), ("Apologies", apologies)):
            out.append(f"<h4>{heading}</h4>")
            if people:
                out.append(self.table(Table(heading, ["Name", "Role", "Top management"],
                                            [[a.name_line(), a.role, "Yes" if a.top_management
                                              else ""] for a in people]), caption=False))
            else:
                out.append("<p>None recorded.</p>" if heading == "Apologies" else
                           "<p>No attendance recorded yet.</p>")
        out.append("</header>")
        return "\n".join(p for p in out if p)

    def contents(self) -> str:
        items: list[str] = []
        open_sub = False
        for level, ident, title in self.toc:
            if level == 1 and not open_sub:
                items[-1] = items[-1].removesuffix("</li>") + "<ol>"
                open_sub = True
            elif level == 0 and open_sub:
                items.append("</ol></li>")
                open_sub = False
            items.append(f'<li><a href="#{ident}">{_e(title)}</a></li>')
        if open_sub:
            items.append("</ol></li>")
        return ('<nav class="new-page" aria-labelledby="contents-heading">'
                '<h2 id="contents-heading">Contents</h2><ol>' + "".join(items) + "</ol></nav>")

    def h2(self, title: str, new_page: bool = False) -> str:
        ident = self.anchor(title, 0)
        cls = ' class="new-page"' if new_page else ""
        return f'<h2 id="{ident}"{cls}>{_e(title)}</h2>'

    # --- Sections -------------------------------------------------------------------------------

    def readiness(self) -> str:
        findings = self.data.readiness
        out = ['<section>', self.h2("Readiness summary by clause", new_page=True)]
        if not findings:
            out.append('<p class="notice ok">No gaps or points needing attention were found '
                       'when this pack was generated.</p>')
        else:
            out.append(self.table(Table(
                "Findings by clause", ["Clause", "Severity", "Finding"],
                [[f.clause, "Gap" if f.severity == "gap" else "Attention", f.text]
                 for f in findings], [f.severity for f in findings])))
        out.append("</section>")
        return "\n".join(out)

    def leadership(self) -> str:
        data = self.data
        out = ["<section>", self.h2("Leadership evidence (5.1)"),
               "<p>What top management did in the review period, from the records' change "
               "history.</p>"]
        if data.leadership_warning:
            out.append(f'<p class="notice warn"><strong>Warning:</strong> '
                       f"{_e(data.leadership_warning)}</p>")
        if data.leadership.rows:
            out.append(self.table(data.leadership))
        out.append("</section>")
        return "\n".join(out)

    def inputs(self) -> str:
        data = self.data
        ordered = ([s for s in data.inputs if s.code == "a"]
                   + [s for s in data.inputs if s.code != "a"])
        out = ["<section>", self.h2("Review inputs", new_page=True),
               "<p>Each required input for the review period, with its data, trends against "
               "target and the commentary and conclusion of the meeting.</p>"]
        out += [self.input_section(s) for s in ordered]
        out.append("</section>")
        return "\n".join(out)

    def input_section(self, section: InputSection) -> str:
        title = input_heading(section)
        ident = self.anchor(title, 1)
        out = [f'<section aria-labelledby="{ident}">', f'<h3 id="{ident}">{_e(title)}</h3>']
        if not section.has_data:
            reason = section.empty_reason or "No data was recorded for the review period."
            out.append(f'<p class="notice empty"><strong>No data for this input.</strong> '
                       f"{_e(reason)}</p>")
        if section.summary:
            out.append("<ul>" + "".join(f"<li>{_e(s)}</li>" for s in section.summary)
                       + "</ul>")
        # This period against the previous one, or a sentence where there is no earlier data.
        label = self.data.previous_period_label()
        comparison = section.comparison_table(label)
        if section.comparison_note(label):
            out.append(f"<p><em>{_e(section.comparison_note(label))}</em></p>")
        elif comparison is not None:
            out.append(self.table(comparison))
        out += [self.table(t) for t in section.tables]
        if section.charts:
            out.append('<div class="charts">' + "".join(
                f"<figure>{svg_chart(c)}</figure>" for c in section.charts) + "</div>")
        out.append(self.box("Commentary", section.commentary, 4))
        out.append(self.box("Conclusion", section.conclusion, 3))
        out.append("</section>")
        return "\n".join(out)

    def policy(self) -> str:
        data = self.data
        out = ["<section>", self.h2("Quality policy in force (5.2)", new_page=True)]
        if not data.policy_text:
            out.append('<p class="notice warn">No quality policy is in force: none has been '
                       "approved.</p>")
        else:
            out.append('<table class="details"><tbody>'
                       f'<tr><th scope="row">Version</th><td>'
                       f'{_e(data.policy_version or "Not numbered")}</td></tr>'
                       f'<tr><th scope="row">Approval</th><td>'
                       f'{_e(data.policy_approval or "Not approved")}</td></tr></tbody></table>')
            lines = [line.strip() for line in data.policy_text.splitlines() if line.strip()]
            out.append('<div class="policy">' + "".join(f"<p>{_e(line)}</p>" for line in lines)
                       + "</div>")
        out.append("</section>")
        return "\n".join(out)

    def duties(self) -> str:
        rows = [[*r[:3], *[""] * (3 - len(r[:3]))] for r in self.data.duties]
        marks = ["gap" if not r[2] or r[2] == "Not assigned" else "" for r in rows]
        return "\n".join([
            "<section>", self.h2("Responsibilities and authorities (5.3)"),
            "<p>The five duties top management must assign, and who holds each.</p>",
            self.table(Table("The five duties", ["Clause", "Duty", "Held by"], rows, marks)),
            "</section>"])

    def decisions(self) -> str:
        table = self.data.decisions
        out = ["<section>", self.h2("Decisions and actions"),
               "<p>Decisions on improvement opportunities, changes to the QMS and resource "
               "needs, each with an owner and a due date.</p>"]
        if table.rows:
            out.append(self.table(table))
        elif self.data.is_draft:
            headers = table.headers or ["Type", "Decision", "Owner", "Due", "Answers"]
            out.append(self.table(Table("Decisions (to be written in the meeting)", headers,
                                        [[""] * len(headers) for _ in range(6)])))
        else:
            out.append('<p class="notice warn">No decisions were recorded at this review.</p>')
        out.append("</section>")
        return "\n".join(out)

    def conclusion(self) -> str:
        data = self.data
        out = ["<section>", self.h2("Overall conclusion"),
               "<p>Is the quality management system still suitable, adequate and effective, "
               "and aligned with the strategy?</p>"]
        out += [self.box(label, value, 3) for label, value in conclusion_items(data)]
        out.append("<h4>Next review</h4>")
        out.append(f"<p>{_e(_date(data.next_review_on))}</p>" if data.next_review_on else
                   '<p>Date of the next review:</p><div class="ruled"><span></span></div>')
        out.append("</section>")
        return "\n".join(out)

    def distribution(self) -> str:
        names = self.data.distribution
        out = ["<section>", self.h2("Distribution list")]
        out.append("<ol>" + "".join(f"<li>{_e(n)}</li>" for n in names) + "</ol>" if names
                   else "<p>No distribution recorded.</p>")
        out.append("</section>")
        return "\n".join(out)

    def signed_closure(self) -> str:
        """The signature given in the application at closing, as on the PDF's page."""
        data = self.data
        rows = [("Signed by", f"<strong>{_e(data.signer_line())}</strong>"),
                ("Meaning", _e(data.signature_meaning)), ("Signed", _e(data.signed_at))]
        if data.snapshot_sha256:
            rows.append(("Snapshot SHA-256", f"<code>{_e(data.snapshot_sha256)}</code>"))
        if data.chain_head:
            rows.append(("History chain head", f"<code>{_e(data.chain_head)}</code>"))
        return "\n".join([
            "<p>Closed and signed in the application by top management when the review was "
            "closed; this frozen pack is the record of the review.</p>",
            '<table class="signed">' + "".join(
                f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows)
            + "</table>",
            self.closing_record(),
            '<p class="label">The snapshot SHA-256 is the fingerprint of the data this pack was '
            "printed from, stored with it at closing. The PDF's own fingerprint is shown by the "
            "application beside the closed review and by export-pack. A copy of the database "
            "whose change history no longer leads to the chain head was altered after the "
            "review closed.</p>",
        ])

    def closing_record(self) -> str:
        """What the closing check flagged, and the signer's reason for closing anyway."""
        data = self.data
        if not data.closing_flags:
            return ""
        out = ["<h4>Flagged when the review was closed</h4>",
               "<ul>" + "".join(f"<li>{_e(flag)}</li>" for flag in data.closing_flags) + "</ul>"]
        if data.closing_reason:
            out.append('<p class="notice warn"><strong>Reason given by the signer:</strong> '
                       f"{_e(data.closing_reason)}</p>")
        return "\n".join(out)

    def sign_off(self) -> str:
        data = self.data
        signers: list[tuple[str, str]] = []
        if data.chair:
            signers.append((data.chair_line(), "Chair"))
        signers += [(a.name_line(), a.role or "Top management") for a in data.attendees
                    if a.present and a.top_management and a.name != data.chair]
        if not signers:
            signers = [("", "Chair"), ("", "Top management")]
        out = ["<section>", self.h2("Sign-off", new_page=True)]
        if data.signed_by and not data.is_draft:
            return "\n".join([*out, self.signed_closure(), "</section>"])
        out.append("<p>To be signed by the chair and by top management present, to confirm "
                   "that this review was held and its conclusions and decisions agreed.</p>")
        for name, role in signers:
            out.append(
                '<div class="signature">'
                f'<p><span class="label">Name</span><br><strong>{_e(name) or "&nbsp;"}'
                f'</strong><br><span class="label">{_e(role)}</span></p>'
                '<div class="line"></div><div class="label">Signature</div>'
                '<div class="line"></div><div class="label">Date</div></div>')
        if data.chain_head:
            out.append('<p class="label">Change history chain head when this review closed: '
                       f"{_e(data.chain_head)}. A copy of the database whose history no "
                       "longer leads to this value was altered after the review closed.</p>")
        out.append("</section>")
        return "\n".join(out)

    # --- Building blocks ------------------------------------------------------------------------

    def box(self, label: str, value: str, lines: int) -> str:
        if value.strip():
            inner = "".join(f"<p>{_e(p.strip())}</p>" for p in value.splitlines() if p.strip())
        else:
            inner = ('<div class="ruled" role="presentation">' + "<span></span>" * lines
                     + "</div>")
        return f'<div class="box"><h4>{_e(label)}</h4>{inner}</div>'

    def index(self) -> str:
        """Every record the tables cite, by reference, with the sections citing it; each
        reference leads to the first row that cites it."""
        rows = []
        for cited in self.data.cited:
            where = self.cited_in.get(cited.reference, [])
            places = ", ".join(f'<a href="#{ident}">{_e(title)}</a>' for ident, title in where)
            link = (f'<a href="#{_reference_id(cited.reference)}">{_e(cited.reference)}</a>'
                    if where else _e(cited.reference))
            rows.append(f'<tr><th scope="row" class="ref">{link}</th><td>{_e(cited.kind)}</td>'
                        f"<td>{_e(cited.title)}</td><td>{places}</td></tr>")
        return "\n".join([
            '<section class="index">', self.h2("Index of records cited", new_page=True),
            "<p>Every record the tables of this pack cite, by its reference, with the sections "
            "it is cited in.</p>",
            '<table><thead><tr><th scope="col">Reference</th><th scope="col">Kind</th>'
            '<th scope="col">Title</th><th scope="col">Cited in</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>",
            "</section>"])

    def table(self, table: Table, caption: bool = True) -> str:
        if table.cites():
            return self._citing_table(table, caption)
        head = "".join(f'<th scope="col">{_e(h)}</th>' for h in table.headers)
        rows = []
        for index, row in enumerate(table.rows):
            mark = table.marks[index].lower() if index < len(table.marks) else ""
            cls = (' class="mark-warn"' if mark in WARNING_MARKS or mark == "gap"
                   else ' class="mark-amber"' if mark in AMBER_MARKS else "")
            cells = [str(c) for c in row] + [""] * (len(table.headers) - len(row))
            first, rest = cells[0] if cells else "", cells[1:]
            rows.append(f'<tr{cls}><th scope="row">{_cell(first)}</th>'
                        + "".join(f"<td>{_cell(c)}</td>" for c in rest) + "</tr>")
        cap = f"<caption>{_e(table.title)}</caption>" if caption and table.title else ""
        return (f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>" + "".join(rows)
                + "</tbody></table>")


    def _citing_table(self, table: Table, caption: bool) -> str:
        """A table whose rows come from records: each row led by its record's reference,
        the first citing row of each the target of the index's link."""
        head = "".join(f'<th scope="col">{_e(h)}</th>' for h in ["Reference", *table.headers])
        rows = []
        for index, row in enumerate(table.rows):
            mark = table.marks[index].lower() if index < len(table.marks) else ""
            cls = (' class="mark-warn"' if mark in WARNING_MARKS or mark == "gap"
                   else ' class="mark-amber"' if mark in AMBER_MARKS else "")
            reference = table.references[index] if index < len(table.references) else ""
            anchor = ""
            if reference:
                places = self.cited_in.setdefault(reference, [])
                if not places:
                    anchor = f' id="{_reference_id(reference)}"'
                if self.section not in places:
                    places.append(self.section)
            cells = [str(c) for c in row] + [""] * (len(table.headers) - len(row))
            rows.append(f'<tr{cls}><th scope="row" class="ref"{anchor}>{_e(reference)}</th>'
                        + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>")
        cap = f"<caption>{_e(table.title)}</caption>" if caption and table.title else ""
        return (f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>" + "".join(rows)
                + "</tbody></table>")


def _reference_id(reference: str) -> str:
    return "ref-" + "".join(c if c.isalnum() or c == "-" else "_" for c in reference)


# --- Charts as inline SVG ------------------------------------------------------------------------


def _text(x: float, y: float, value: str, *, size: float = 11, anchor: str = "start",
          fill: str = charts.AXIS_COLOUR, bold: bool = False, extra: str = "") -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}"{weight}{extra}>{_e(value)}</text>')


def svg_text_width(value: str, size: float) -> float:
    """The width a browser gives `value` at `size` in the house font."""
    return float(stringWidth(value, fonts.REGULAR, size))


def svg_chart(chart: Chart) -> str:
    if chart.kind == "heatmap":
        return _svg_heatmap(chart)
    return _svg_xy(chart)


def _svg_open(width: float, height: float, title: str) -> str:
    return (f'<svg viewBox="0 0 {width:.0f} {height:.0f}" '
            f'role="img" aria-label="{_e(title)}" font-family="DejaVu Sans, Arial, sans-serif">'
            f"<title>{_e(title)}</title>")


def _svg_named_bars(chart: Chart) -> str:
    """Bars across, one row per name with the whole name at its left, as in the PDF: upright
    bars could label only a few of thirteen suppliers."""
    width, row, size = 440.0, 18.0, 10.0
    series = charts.ordered_series(chart)
    thresholds = charts.threshold_entries(chart)
    parts = [_text(0, 14, charts.fit(chart.title, width, fonts.BOLD, 10.5), size=13,
                   fill="#1F2933", bold=True)]
    x = 0.0
    legend = [(name, charts.SERIES_COLOURS[i % len(charts.SERIES_COLOURS)], "bar")
              for i, (name, _v) in enumerate(series)]
    legend += [(label, colour, "dash") for label, _value, colour in thresholds]
    for label, colour, kind in legend:
        if kind == "bar":
            parts.append(f'<rect x="{x:.1f}" y="24" width="10" height="9" fill="{colour}"/>')
        else:
            parts.append(f'<line x1="{x:.1f}" y1="28" x2="{x + 12:.1f}" y2="28" '
                         f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 3"/>')
        parts.append(_text(x + 16, 32, label, size=10.5))
        x += 16 + svg_text_width(label, 10.5) + 16
    top = 44.0
    bottom = top + row * len(chart.labels)
    names = min(max(svg_text_width(n, size) for n in chart.labels) + 8, width * 0.45)
    low, high = charts.value_range(chart)
    ticks = charts.nice_ticks(min(low, 0.0), high)
    right = width - 10

    def x_of(value: float) -> float:
        return names + (value - ticks[0]) / ((ticks[-1] - ticks[0]) or 1) * (right - names)

    for tick in ticks:
        parts.append(f'<line x1="{x_of(tick):.1f}" y1="{top}" x2="{x_of(tick):.1f}" '
                     f'y2="{bottom}" stroke="{charts.GRID_COLOUR}"/>')
        parts.append(_text(x_of(tick), bottom + 14, charts.format_number(tick), size=size,
                           anchor="middle"))
    band = row * 0.72 / max(len(series), 1)
    start = x_of(max(ticks[0], 0.0))
    for position, name in enumerate(chart.labels):
        y = top + row * position
        parts.append(_text(names - 6, y + row / 2 + 3.5, charts.fit(name, names - 8),
                           size=size, anchor="end", fill="#1F2933"))
        for index, (_name, values) in enumerate(series):
            value = values[position] if position < len(values) else None
            if value is None:
                continue
            colour = charts.SERIES_COLOURS[index % len(charts.SERIES_COLOURS)]
            parts.append(f'<rect x="{start:.1f}" y="{y + row * 0.14 + band * index:.1f}" '
                         f'width="{max(x_of(value) - start, 0.5):.1f}" '
                         f'height="{band - 1:.1f}" fill="{colour}"><title>{_e(name)}: '
                         f"{charts.format_number(value)}</title></rect>")
    for _label, value, colour in thresholds:
        parts.append(f'<line x1="{x_of(value):.1f}" y1="{top}" x2="{x_of(value):.1f}" '
                     f'y2="{bottom}" stroke="{colour}" stroke-width="1.5" '
                     'stroke-dasharray="6 4"/>')
    parts.append(f'<line x1="{names}" y1="{top}" x2="{names}" y2="{bottom}" '
                 f'stroke="{charts.AXIS_COLOUR}"/>')
    return _svg_open(width, bottom + 22, chart.title) + "".join(parts) + "</svg>"


def _svg_xy(chart: Chart) -> str:
    width, height = 440.0, 250.0
    if chart.kind == "bar" and chart.labels and charts.named_labels(chart.labels) and (
            charts.label_step(chart.labels, 0.75 * (width - 40) / len(chart.labels)) > 1):
        return _svg_named_bars(chart)
    parts: list[str] = []
    thresholds = charts.threshold_entries(chart)
    series = charts.ordered_series(chart)
    legend = [(name, charts.SERIES_COLOURS[i % len(charts.SERIES_COLOURS)], chart.kind)
              for i, (name, _v) in enumerate(series)]
    legend += [(label, colour, "dash") for label, _value, colour in thresholds]
    parts.append(_text(0, 14, charts.fit(chart.title, width, fonts.BOLD, 10.5), size=13,
                       fill="#1F2933", bold=True))
    x, y = 0.0, 32.0
    for label, colour, kind in legend:
        # A long name wraps onto more rows, as in the PDF, rather than lose its end.
        lines = charts.wrap_words(label, (width - 32) / 1.3, 8.5)
        item = 18 + max(stringWidth(t, fonts.REGULAR, 8.5) for t in lines) * 1.3 + 14
        if x > 0 and (len(lines) > 1 or x + item > width):
            x, y = 0.0, y + 15
        if kind == "bar":
            parts.append(f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="10" height="9" '
                         f'fill="{colour}"/>')
        else:
            dash = ' stroke-dasharray="4 3"' if kind == "dash" else ""
            parts.append(f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 12:.1f}" '
                         f'y2="{y - 4:.1f}" stroke="{colour}" stroke-width="2"{dash}/>')
        for number, line in enumerate(lines):
            parts.append(_text(x + 16, y + 15 * number, line, size=10.5))
        if len(lines) > 1:
            x, y = width, y + 15 * (len(lines) - 1)
        else:
            x += item
    top = y + 14
    bottom = height - 22
    low, high = charts.value_range(chart)
    ticks = charts.nice_ticks(low, high)
    low, high = ticks[0], ticks[-1]
    labels = [charts.format_number(t) for t in ticks]
    left = max(len(s) for s in labels) * 7 + 10
    right = width - 6

    def y_of(value: float) -> float:
        return bottom - (value - low) / ((high - low) or 1) * (bottom - top)

    for tick, label in zip(ticks, labels, strict=True):
        parts.append(f'<line x1="{left}" y1="{y_of(tick):.1f}" x2="{right}" '
                     f'y2="{y_of(tick):.1f}" stroke="{charts.GRID_COLOUR}"/>')
        parts.append(_text(left - 4, y_of(tick) + 4, label, size=10, anchor="end"))
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" '
                 f'stroke="{charts.AXIS_COLOUR}"/>')
    count = max(len(chart.labels), 1)
    slot = (right - left) / count
    centres = [left + slot * (i + 0.5) for i in range(count)]
    if chart.kind == "bar":
        group = slot * 0.72
        bar = group / max(len(series), 1)
        zero = y_of(max(low, 0.0))
        for index, (_name, values) in enumerate(series):
            colour = charts.SERIES_COLOURS[index % len(charts.SERIES_COLOURS)]
            for position, value in enumerate(values[:count]):
                if value is None:
                    continue
                bx = left + slot * position + (slot - group) / 2 + bar * index
                ty = y_of(value)
                parts.append(f'<rect x="{bx:.1f}" y="{min(ty, zero):.1f}" '
                             f'width="{max(bar - 1, 0.5):.1f}" height="{abs(zero - ty):.1f}" '
                             f'fill="{colour}"><title>{_e(chart.labels[position])}: '
                             f"{charts.format_number(value)}</title></rect>")
    else:
        for index, (_name, values) in enumerate(series):
            colour = charts.SERIES_COLOURS[index % len(charts.SERIES_COLOURS)]
            runs: list[list[str]] = [[]]
            for cx, value in zip(centres, values, strict=False):
                if value is None:
                    runs.append([])
                    continue
                runs[-1].append(f"{cx:.1f},{y_of(value):.1f}")
                parts.append(f'<circle cx="{cx:.1f}" cy="{y_of(value):.1f}" r="2.6" '
                             f'fill="{colour}"/>')
            for run in runs:
                if len(run) > 1:
                    parts.append(f'<polyline points="{" ".join(run)}" fill="none" '
                                 f'stroke="{colour}" stroke-width="2" '
                                 'stroke-linejoin="round"/>')
    for _label, value, colour in thresholds:
        parts.append(f'<line x1="{left}" y1="{y_of(value):.1f}" x2="{right}" '
                     f'y2="{y_of(value):.1f}" stroke="{colour}" stroke-width="1.5" '
                     'stroke-dasharray="6 4"/>')
    step = charts.label_step(chart.labels, slot * 0.75)
    last = len(chart.labels) - 1
    for index, (label, cx) in enumerate(zip(chart.labels, centres, strict=False)):
        if (last - index) % step == 0:
            shown = charts.fit(label, slot * step * 0.75)
            # Kept inside the drawing: the last supplier's name ran off its right edge.
            half = svg_text_width(shown, 10) / 2
            cx = min(max(cx, half), width - half)
            parts.append(_text(cx, bottom + 15, shown, size=10, anchor="middle"))
    return _svg_open(width, height, chart.title) + "".join(parts) + "</svg>"


def _svg_heatmap(chart: Chart) -> str:
    size = max(chart.size, 1)
    cell = 44.0
    grid = cell * size
    width = 2 * (grid + 40) + 40
    height = 30 + 22 + grid + 50
    parts = [_text(0, 16, chart.title, size=13, fill="#1F2933", bold=True)]
    for index, (caption, cells) in enumerate((("Before treatment", chart.cells_before),
                                              ("After treatment", chart.cells_after))):
        left = 40 + index * (grid + 80)
        top = 52.0
        parts.append(_text(left + grid / 2, top - 8, caption, size=12, anchor="middle",
                           fill="#1F2933", bold=True))
        for likelihood in range(1, size + 1):
            y = top + (size - likelihood) * cell
            parts.append(_text(left - 6, y + cell / 2 + 4, str(likelihood), size=10,
                               anchor="end"))
            for impact in range(1, size + 1):
                x = left + (impact - 1) * cell
                key = f"{likelihood},{impact}"
                fill = chart.band_colours.get(key, "#ffffff")
                count = cells.get(key, 0)
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell}" height="{cell}" '
                             f'fill="{_e(fill)}" stroke="#ffffff" stroke-width="2">'
                             f"<title>Likelihood {likelihood}, impact {impact}: {count}</title>"
                             "</rect>")
                if count:
                    ink = "#1F2933" if charts.is_light(fill) else "#FFFFFF"
                    parts.append(_text(x + cell / 2, y + cell / 2 + 5, str(count), size=13,
                                       anchor="middle", fill=ink, bold=True))
        for impact in range(1, size + 1):
            label = chart.labels[impact - 1] if impact - 1 < len(chart.labels) else str(impact)
            parts.append(_text(left + (impact - 0.5) * cell, top + grid + 14,
                               charts.fit(label, cell, size=7), size=9, anchor="middle"))
        parts.append(_text(left + grid / 2, top + grid + 32, "Impact", size=10,
                           anchor="middle"))
        parts.append(_text(left - 24, top + grid / 2, "Likelihood", size=10, anchor="middle",
                           extra=f' transform="rotate(-90 {left - 24:.1f} '
                                 f'{top + grid / 2:.1f})"'))
    return _svg_open(width, height, chart.title) + "".join(parts) + "</svg>"
