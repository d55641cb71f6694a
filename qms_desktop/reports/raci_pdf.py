"""The RACI matrix on A4 landscape: processes and QMS activities by roles (5.3).

Role names are turned upright when the columns get narrow, so ten or more roles fit across
the page. Rows that break a rule (no A, two A's, no R) are shaded and say what is wrong in
the last column; the header row repeats on every page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from qms_desktop import clock, organisation, raci
from qms_desktop.reports import fonts, styles
from qms_desktop.reports.styles import PageSetup, ReportDocument, Target, text

MEANINGS = (
    ("R", "Responsible", "does the work"),
    ("A", "Accountable", "answers for the result; one per row"),
    ("C", "Consulted", "asked before"),
    ("I", "Informed", "told after"),
)
PROCESS_COLUMN = 62 * mm
PROBLEM_COLUMN = 55 * mm
WIDEST_ROLE_COLUMN = 26 * mm
# Below this width a role name is set upright, reading bottom to top.
UPRIGHT_BELOW = 21 * mm
UPRIGHT_HEADER_LENGTH = 34 * mm

INTRO = styles.make_style("raci_intro", fontSize=9.5, leading=13, textColor=styles.MUTED_INK,
                          spaceAfter=8)
GROUP = styles.make_style("raci_group", fontName=fonts.BOLD, fontSize=8, leading=10,
                          textColor=styles.ACCENT)
PROBLEM = styles.make_style("raci_problem", fontSize=8, leading=10, textColor=styles.WARNING_INK)
SUMMARY_OK = styles.make_style("raci_summary", fontSize=9.5, leading=13, spaceBefore=8,
                               spaceAfter=8)
SUMMARY_PROBLEM = styles.make_style("raci_summary_problem", fontName=fonts.BOLD, fontSize=9.5,
                                    leading=13, spaceBefore=8, spaceAfter=8,
                                    textColor=styles.WARNING_INK)
CENTRED_HEADER = styles.make_style("raci_centred_header", fontName=fonts.BOLD, fontSize=8,
                                   leading=9.5, alignment=1)


def write_raci_pdf(
    path_or_file: Target,
    matrix: raci.Matrix | None = None,
    generated_at: dt.datetime | None = None,
) -> None:
    """Print the RACI matrix (the current one by default) on A4 landscape pages.

    Pass `generated_at` to get the same bytes for the same data; otherwise it is now.
    """
    matrix = matrix if matrix is not None else raci.load()
    org = organisation.get_organisation()
    setup = PageSetup(
        organisation=org.name if org is not None else "",
        title="RACI matrix",
        generated_at=generated_at or clock.now(),
        pagesize=landscape(A4),
        subject="Roles, responsibilities and authorities (ISO 9001 5.3)",
        left_margin=15 * mm,
        right_margin=15 * mm,
        top_margin=20 * mm,
        bottom_margin=18 * mm,
    )
    found = raci.problems(matrix)
    story: list[Flowable] = [
        text("Responsibilities: RACI matrix", styles.TITLE),
        text("Who is Responsible, Accountable, Consulted and Informed for each process and "
             "QMS activity. Every row needs exactly one A and at least one R.", INTRO),
        _legend(),
    ]
    if not matrix.rows or not matrix.columns:
        story.append(Spacer(1, 6 * mm))
        story.append(text("No processes or roles are recorded yet, so there is no matrix to "
                          "print.", styles.BODY))
    else:
        story.append(_summary(matrix, found))
        story.append(_matrix_table(matrix, found, setup.frame_width))
    ReportDocument(path_or_file, setup).build(story)


def _legend() -> Table:
    cells: list[Any] = []
    widths: list[float] = []
    for letter, word, meaning in MEANINGS:
        cells += [letter, Paragraph(f"<b>{word}</b>: {meaning}", styles.SMALL)]
        widths += [6 * mm, stringWidth(f"{word}: {meaning}", fonts.REGULAR, 8.5) + 12 * mm]
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8.5),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for column in range(0, len(cells), 2):
        commands += [
            ("FONT", (column, 0), (column, 0), fonts.BOLD, 9),
            ("ALIGN", (column, 0), (column, 0), "CENTER"),
            ("BOX", (column, 0), (column, 0), 0.5, styles.ACCENT),
            ("TEXTCOLOR", (column, 0), (column, 0), styles.ACCENT),
        ]
    commands.append(("BACKGROUND", (2, 0), (2, 0), styles.ACCENT_FILL))
    return Table([cells], colWidths=widths, hAlign="LEFT", style=TableStyle(commands))


def _summary(matrix: raci.Matrix, found: dict[str, list[str]]) -> Paragraph:
    rows, roles = len(matrix.rows), len(matrix.columns)
    counts = (f"{rows} {'row' if rows == 1 else 'rows'} by {roles} "
              f"{'role' if roles == 1 else 'roles'}.")
    if not found:
        return text(f"{counts} Every row has one A and at least one R.", SUMMARY_OK)
    broken = len(found)
    verb = "row breaks" if broken == 1 else "rows break"
    return text(f"{counts} {broken} {verb} a rule: shaded below, with the problem in the last "
                "column.", SUMMARY_PROBLEM)


class _UprightLabel(Flowable):
    """A column heading turned 90°, wrapped onto as many lines as the column is wide."""

    def __init__(self, label: str, size: float = 8, longest: float = UPRIGHT_HEADER_LENGTH):
        super().__init__()
        self.label = label
        self.size = size
        self.leading = size * 1.2
        self.longest = longest
        self.lines: list[str] = []

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        lines = simpleSplit(self.label, fonts.BOLD, self.size, self.longest) or [""]
        room = max(1, int(avail_width // self.leading))
        if len(lines) > room:
            lines = lines[:room]
            lines[-1] += "…"
        self.lines = [_truncate(line, self.size, self.longest) for line in lines]
        self.width = avail_width
        self.height = max(stringWidth(line, fonts.BOLD, self.size) for line in self.lines)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(fonts.BOLD, self.size)
        canvas.setFillColor(styles.INK)
        canvas.rotate(90)
        # Rotated, the page's x runs down the y axis: the first line is the leftmost.
        left = (self.width - len(self.lines) * self.leading) / 2
        for index, line in enumerate(self.lines):
            baseline = left + index * self.leading + self.size * 0.95
            canvas.drawString(0, -baseline, line)
        canvas.restoreState()


def _truncate(line: str, size: float, longest: float) -> str:
    while len(line) > 1 and stringWidth(line, fonts.BOLD, size) > longest:
        line = line[:-2] + "…"
    return line


def _matrix_table(matrix: raci.Matrix, found: dict[str, list[str]], width: float) -> Table:
    roles = matrix.columns
    problem_width = PROBLEM_COLUMN if found else 0
    role_width = min(WIDEST_ROLE_COLUMN, (width - PROCESS_COLUMN - problem_width) / len(roles))
    process_width = width - problem_width - role_width * len(roles)
    upright = role_width < UPRIGHT_BELOW

    def role_heading(title: str) -> Flowable:
        return _UprightLabel(title) if upright else text(title, CENTRED_HEADER)

    header: list[Any] = [text("Process or QMS activity", styles.TABLE_HEADER)]
    header += [role_heading(str(role.title)) for role in roles]
    if found:
        header.append(text("Problem", styles.TABLE_HEADER))
    data: list[list[Any]] = [header]
    last = len(header) - 1
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
        ("FONT", (1, 1), (len(roles), -1), fonts.BOLD, 9),
        ("ALIGN", (1, 1), (len(roles), -1), "CENTER"),
    ]
    commands += [("LINEBEFORE", (c, 0), (c, -1), 0.25, styles.RULE)
                 for c in range(1, len(roles) + 1)]
    if found:
        commands.append(("LINEBEFORE", (last, 0), (last, -1), 0.25, styles.RULE))

    groups = (
        ("Processes", [p for p in matrix.rows if not p.is_activity]),
        ("QMS activities", [p for p in matrix.rows if p.is_activity]),
    )
    for title, processes in groups:
        if not processes:
            continue
        row = len(data)
        data.append([text(title.upper(), GROUP)] + [""] * last)
        commands += [
            ("SPAN", (0, row), (-1, row)),
            ("LINEBEFORE", (1, row), (-1, row), 0, colors.white),
            ("TOPPADDING", (0, row), (-1, row), 7),
        ]
        for index, process in enumerate(processes):
            row = len(data)
            letters = matrix.row_letters(process.id)
            cells: list[Any] = [text(process.display_name(), styles.TABLE_CELL), *letters]
            problems = found.get(process.id)
            if found:
                cells.append(text(_sentence(problems), PROBLEM) if problems else "")
            data.append(cells)
            if problems:
                commands.append(("BACKGROUND", (0, row), (-1, row), styles.WARNING_FILL))
            elif index % 2:
                commands.append(("BACKGROUND", (0, row), (-1, row), styles.LIGHT_SHADE))
            commands += [
                ("BACKGROUND", (column, row), (column, row), styles.ACCENT_FILL)
                for column, letter in enumerate(letters, start=1)
                if letter == "A" and not problems
            ]
    widths = [process_width] + [role_width] * len(roles) + ([problem_width] if found else [])
    return Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT",
                 style=styles.base_table_style(*commands))


def _sentence(problems: list[str] | None) -> str:
    if not problems:
        return ""
    joined = "; ".join(problems)
    return joined[0].upper() + joined[1:] + "."
