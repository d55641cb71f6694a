"""Internal audit papers (9.2): the blank checklist taken on site, and the report after.

The blank checklist is for an auditor working on paper: each question numbered with its
clause and what to look for, six tick boxes for the outcome and ruled lines for notes, with
room at the end for questions asked on the day. The report gives the managers concerned
the summary, the results by outcome, every finding with its notes, the nonconformities it
raised and the evidence attached. Both use the house page frame (organisation on every
page, "Page n of m", embedded DejaVu fonts) and come out byte-identical for the same
records and `generated_at`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from qms_desktop import attachments, audits, clock, organisation
from qms_desktop.models import (
    AUDIT_STATES,
    FINDING_OUTCOMES,
    NC_STATES,
    SEVERITIES,
    Audit,
    Finding,
    Nonconformity,
)
from qms_desktop.reports import fonts, styles
from qms_desktop.reports.styles import (
    PageSetup,
    ReportDocument,
    Target,
    escape,
    format_date,
    text,
)

# The tick-box labels of the paper checklist, in the order of FINDING_OUTCOMES.
TICK_LABELS = {
    "conforms": "Conforms",
    "minor": "Minor",
    "major": "Major",
    "observation": "Observation",
    "opportunity": "Opportunity",
    "not_applicable": "N/A",
}
NOTE_LINES = 4
SPARE_QUESTIONS = 2
INFO_LABEL_WIDTH = 32 * mm

INTRO = styles.make_style("audit_intro", fontSize=9.5, leading=13, textColor=styles.MUTED_INK,
                          spaceAfter=8)
QUESTION = styles.make_style("audit_question", fontName=fonts.BOLD, fontSize=10, leading=13.5)
QUESTION_NUMBER = styles.make_style("audit_question_number", fontName=fonts.BOLD, fontSize=10,
                                    leading=13.5, textColor=styles.ACCENT)
CLAUSE = styles.make_style("audit_clause", fontSize=8.5, leading=13.5,
                           textColor=styles.MUTED_INK)
GUIDANCE = styles.make_style("audit_guidance", fontName=fonts.ITALIC, fontSize=8.5,
                             leading=11.5, textColor=styles.MUTED_INK)
WARNING = styles.make_style("audit_warning", fontSize=9, leading=12,
                            textColor=styles.WARNING_INK)
SECTION = ParagraphStyle("audit_section", parent=styles.HEADING1, keepWithNext=0)
CELL_BOLD = styles.make_style("audit_cell_bold", fontName=fonts.BOLD, fontSize=8.5,
                              leading=10.5)
CELL_MUTED = styles.make_style("audit_cell_muted", fontSize=8, leading=10,
                               textColor=styles.MUTED_INK)


def _now(generated_at: dt.datetime | None) -> dt.datetime:
    return generated_at or clock.now()


def _setup(audit: Audit, title: str, generated_at: dt.datetime | None) -> PageSetup:
    fonts.register_fonts(slanted=True)  # the guidance under each question is oblique
    org = organisation.get_organisation()
    return PageSetup(
        organisation=org.name if org is not None else "",
        title=f"{title}: {audit.title}",
        generated_at=_now(generated_at),
        subject="Internal audit (ISO 9001 9.2)",
        footer_note="Internal audit (9.2)",
    )


def _what_is_audited(audit: Audit) -> str:
    parts = []
    process = audit.process
    if process is not None:
        parts.append(process.display_name())
    if audit.clause:
        parts.append(f"clause {audit.clause}")
    return " · ".join(parts) or "Not set"


def _info_table(rows: list[tuple[str, Any]], width: float) -> Table:
    data = [[text(label, CELL_BOLD), value if isinstance(value, Flowable)
             else text(value or "—", styles.TABLE_CELL)] for label, value in rows]
    return Table(
        data,
        colWidths=[INFO_LABEL_WIDTH, width - INFO_LABEL_WIDTH],
        hAlign="LEFT",
        style=styles.base_table_style(
            ("BACKGROUND", (0, 0), (-1, 0), None),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, styles.RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, styles.ACCENT),
            ("BACKGROUND", (0, 0), (0, -1), styles.SHADE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ),
    )


# --- Drawn pieces of the paper checklist ----------------------------------------------------


class TickBoxes(Flowable):
    """A row of empty squares, each followed by its outcome label."""

    BOX = 3.6 * mm
    GAP = 2 * mm
    SIZE = 8.5

    def __init__(self, labels: list[str]) -> None:
        super().__init__()
        self.labels = labels

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.BOX + 2 * mm
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        slot = self.width / len(self.labels)
        canvas.saveState()
        canvas.setLineWidth(0.7)
        canvas.setStrokeColor(styles.INK)
        canvas.setFillColor(styles.INK)
        canvas.setFont(fonts.REGULAR, self.SIZE)
        bottom = 1 * mm
        for index, label in enumerate(self.labels):
            left = index * slot
            canvas.rect(left, bottom, self.BOX, self.BOX, stroke=1, fill=0)
            canvas.drawString(left + self.BOX + self.GAP, bottom + 0.8 * mm, label)
        canvas.restoreState()


class RuledLines(Flowable):
    """Lines to write on, the first one starting after a small caption."""

    SPACING = 7.5 * mm

    def __init__(self, count: int, caption: str = "Notes") -> None:
        super().__init__()
        self.count = count
        self.caption = caption

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.count * self.SPACING + 1 * mm
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(fonts.REGULAR, 7.5)
        canvas.setFillColor(styles.MUTED_INK)
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.5)
        top = self.height
        canvas.drawString(0, top - self.SPACING + 1.2 * mm, self.caption)
        caption_width = canvas.stringWidth(self.caption, fonts.REGULAR, 7.5) + 2 * mm
        for line in range(1, self.count + 1):
            y = top - line * self.SPACING
            canvas.line(caption_width if line == 1 else 0, y, self.width, y)
        canvas.restoreState()


def _question_block(number: str, clause: str, question: str, guidance: str) -> KeepTogether:
    heading = Table(
        [[text(number, QUESTION_NUMBER), text(question or " ", QUESTION),
          text(f"Clause {clause}" if clause else "", CLAUSE)]],
        colWidths=[10 * mm, None, 24 * mm],
        hAlign="LEFT",
        style=styles.base_table_style(
            ("BACKGROUND", (0, 0), (-1, 0), styles.SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0, styles.SHADE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (2, 0), (2, 0), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ),
    )
    parts: list[Flowable] = [heading, Spacer(1, 1.5 * mm)]
    if guidance:
        parts.append(Paragraph(f"<b>What to look for:</b> {_escape(guidance)}", GUIDANCE))
        parts.append(Spacer(1, 2 * mm))
    parts.append(TickBoxes([TICK_LABELS[key] for key, _ in FINDING_OUTCOMES]))
    parts.append(RuledLines(NOTE_LINES))
    parts.append(Spacer(1, 5 * mm))
    return KeepTogether(parts)


def _escape(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _plan_rows(audit: Audit) -> list[tuple[str, Any]]:
    return [
        ("Audit", audit.title),
        ("Process / clause", _what_is_audited(audit)),
        ("Auditor", auditor.display_name() if (auditor := audit.auditor) is not None else ""),
        ("Planned for", format_date(audit.planned_on) if audit.planned_on else ""),
        ("Scope", audit.scope),
        ("Criteria", audit.criteria),
    ]


def write_blank_checklist(
    path_or_file: Target, audit: Audit, generated_at: dt.datetime | None = None
) -> None:
    """The checklist of `audit` to print and fill in by hand on site."""
    audit = Audit.get_by_id(audit.id)
    setup = _setup(audit, "Audit checklist", generated_at)
    width = setup.frame_width
    outcome_words = ", ".join(TICK_LABELS[key] for key in audits.NEEDS_NOTES)
    story: list[Flowable] = [
        text("Internal audit checklist", styles.TITLE),
        text(f"Tick one outcome for each question and write down what was seen: the "
             f"documents, records and people sampled. {outcome_words} always need notes.",
             INTRO),
        _info_table(
            [*_plan_rows(audit), ("Date held", ""), ("People met", "")], width
        ),
        Spacer(1, 4 * mm),
        _outcome_key(width),
        Spacer(1, 5 * mm),
    ]
    questions = audits.findings(audit)
    if not questions:
        story.append(text("No checklist has been copied into this audit yet: the questions "
                          "below are left blank to write in.", styles.BODY))
        story.append(Spacer(1, 3 * mm))
    for finding in questions:
        story.append(_question_block(f"Q{finding.position}", finding.clause, finding.question,
                                     finding.guidance))
    story.append(CondPageBreak(60 * mm))
    story.append(text("Questions asked on the day", styles.HEADING2))
    last = max((f.position for f in questions), default=0)
    for extra in range(1, SPARE_QUESTIONS + 1 + (4 if not questions else 0)):
        story.append(_question_block(f"Q{last + extra}", "", "", ""))
    story.append(_signature_line(width))
    ReportDocument(path_or_file, setup).build(story)


def _outcome_key(width: float) -> Table:
    rows = [[text("Outcome", styles.TABLE_HEADER), text("Meaning", styles.TABLE_HEADER)]]
    meanings = {
        "conforms": "The requirement is met; evidence seen.",
        "minor": "A requirement is not met in a single or limited way.",
        "major": "A requirement is not met at all, or the failure is systematic or repeated.",
        "observation": "Not yet a nonconformity, but could become one.",
        "opportunity": "It works, and could work better.",
        "not_applicable": "The question does not apply here (say why in the notes).",
    }
    for key, label in FINDING_OUTCOMES:
        rows.append([text(label, CELL_BOLD), text(meanings[key], styles.TABLE_CELL)])
    return Table(rows, colWidths=[48 * mm, width - 48 * mm], hAlign="LEFT",
                 style=styles.base_table_style())


def _signature_line(width: float) -> Table:
    blank = ""
    return Table(
        [[text("Auditor's signature", CELL_MUTED), blank, text("Date", CELL_MUTED), blank]],
        colWidths=[32 * mm, width - 32 * mm - 14 * mm - 40 * mm, 14 * mm, 40 * mm],
        rowHeights=[12 * mm],
        hAlign="LEFT",
        style=styles.base_table_style(
            ("BACKGROUND", (0, 0), (-1, 0), None),
            ("LINEBELOW", (0, 0), (-1, 0), 0, None),
            ("LINEBELOW", (1, 0), (1, 0), 0.6, styles.INK),
            ("LINEBELOW", (3, 0), (3, 0), 0.6, styles.INK),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ),
    )


# --- The report after the audit -------------------------------------------------------------


def write_audit_report(
    path_or_file: Target, audit: Audit, generated_at: dt.datetime | None = None
) -> None:
    """The audit's results for the managers concerned: summary, counts, findings, NCs."""
    audit = Audit.get_by_id(audit.id)
    setup = _setup(audit, "Audit report", generated_at)
    width = setup.frame_width
    found = audits.findings(audit)
    status = dict(AUDIT_STATES).get(audit.status, audit.status)
    rows = _plan_rows(audit)
    rows.insert(4, ("Held on", format_date(audit.held_on) if audit.held_on else "Not yet"))
    rows.insert(5, ("Status", status))
    story: list[Flowable] = [
        text("Internal audit report", styles.TITLE),
        text(audit.title, styles.HEADING2),
        _info_table(rows, width),
    ]
    problem = audits.impartiality_problem(audit)
    if problem:
        story += [Spacer(1, 3 * mm), text(f"Impartiality: {problem}", WARNING)]

    story.append(text("Summary", styles.HEADING1))
    if audit.summary:
        story.append(Paragraph(_escape(audit.summary), styles.BODY))
    else:
        story.append(text("The audit has not been completed; there is no summary yet.",
                          INTRO))

    story.append(text("Results", styles.HEADING1))
    story.append(_results_table(audits.results(audit), len(found)))

    # Not kept with the next flowable: the table may start on this page and run on.
    story += [CondPageBreak(40 * mm), text("Findings", SECTION)]
    if found:
        story.append(_findings_table(found, width))
    else:
        story.append(text("No checklist has been copied into this audit.", styles.BODY))

    raised = _raised(found)
    story.append(text("Nonconformities raised", styles.HEADING1))
    if raised:
        story.append(_nonconformity_table(raised, width))
    else:
        story.append(text("None.", styles.BODY))

    evidence = attachments.attachments_for(audit)
    if evidence:
        story.append(text("Evidence attached to the audit", styles.HEADING1))
        for item in evidence:
            story.append(text(f"• {item.file_name} ({_size(item.size)})", styles.BODY))
    ReportDocument(path_or_file, setup).build(story)


def _results_table(counts: dict[str, int], total: int) -> Table:
    rows: list[list[Any]] = [[text("Outcome", styles.TABLE_HEADER),
                              text("Findings", styles.TABLE_HEADER)]]
    commands: list[tuple[Any, ...]] = [("ALIGN", (1, 0), (1, -1), "RIGHT")]
    for key, label in audits.OUTCOME_LABELS.items():
        if key == audits.UNANSWERED and not counts.get(key):
            continue
        rows.append([text(label, styles.TABLE_CELL), str(counts.get(key, 0))])
        if key in audits.NONCONFORMING and counts.get(key):
            commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                             styles.WARNING_FILL))
    rows.append([text("Questions in all", CELL_BOLD), str(total)])
    commands += [("LINEABOVE", (0, -1), (-1, -1), 0.8, styles.ACCENT),
                 ("FONT", (1, -1), (1, -1), fonts.BOLD, 8.5)]
    return Table(rows, colWidths=[70 * mm, 24 * mm], hAlign="LEFT",
                 style=styles.base_table_style(*commands))


def _findings_table(found: list[Finding], width: float) -> Table:
    header = [text(h, styles.TABLE_HEADER) for h in
              ("#", "Clause", "Question and what was seen", "Outcome", "Follow-up")]
    rows: list[list[Any]] = [header]
    commands: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    for finding in found:
        question: list[Flowable] = [text(finding.question, styles.TABLE_CELL)]
        if finding.notes:
            question.append(Paragraph(f"<b>Seen:</b> {_escape(finding.notes)}",
                                      styles.TABLE_CELL))
        follow_up = []
        if _nc_id(finding) is not None:
            nc = Nonconformity.get_by_id(_nc_id(finding))
            follow_up.append(text(nc.reference, CELL_BOLD))
        for item in attachments.attachments_for(finding):
            follow_up.append(text(item.file_name, CELL_MUTED))
        outcome = audits.OUTCOME_LABELS.get(finding.outcome, finding.outcome)
        rows.append([
            text(f"Q{finding.position}", styles.TABLE_CELL),
            text(finding.clause, styles.TABLE_CELL),
            question,
            text(outcome, CELL_BOLD if finding.outcome in audits.NONCONFORMING
                 else styles.TABLE_CELL),
            follow_up or "",
        ])
        if finding.outcome in audits.NONCONFORMING:
            commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                             styles.WARNING_FILL))
    fixed = 10 * mm + 16 * mm + 30 * mm + 36 * mm
    return Table(rows, colWidths=[10 * mm, 16 * mm, width - fixed, 30 * mm, 36 * mm],
                 repeatRows=1, hAlign="LEFT", style=styles.base_table_style(*commands))


def _nc_id(finding: Finding) -> str | None:
    value = finding.__data__.get("nonconformity")
    return None if value is None else str(value)


def _raised(found: list[Finding]) -> list[tuple[Finding, Nonconformity]]:
    return [(f, Nonconformity.get_by_id(_nc_id(f))) for f in found if _nc_id(f) is not None]


def _nonconformity_table(raised: list[tuple[Finding, Nonconformity]], width: float) -> Table:
    rows: list[list[Any]] = [[text(h, styles.TABLE_HEADER) for h in
                              ("Reference", "From", "Title", "Severity", "Status")]]
    for finding, nc in raised:
        rows.append([
            text(nc.reference, CELL_BOLD),
            text(f"Q{finding.position}", styles.TABLE_CELL),
            text(nc.title, styles.TABLE_CELL),
            text(dict(SEVERITIES).get(nc.severity, nc.severity), styles.TABLE_CELL),
            text(dict(NC_STATES).get(nc.status, nc.status), styles.TABLE_CELL),
        ])
    fixed = 30 * mm + 12 * mm + 22 * mm + 30 * mm
    return Table(rows, colWidths=[30 * mm, 12 * mm, width - fixed, 22 * mm, 30 * mm],
                 repeatRows=1, hAlign="LEFT",
                 style=styles.base_table_style(("VALIGN", (0, 0), (-1, -1), "TOP")))


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
