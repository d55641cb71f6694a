"""Workbooks the import writes: an empty template to fill in, and the problems beside their rows.

Both are written beside the target and moved into place (`files.written_in_place_of`), with
xlsxwriter, whose text is never read back as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from qms_desktop import files
from qms_desktop.export import column_letter
from qms_desktop.importing.plan import LISTS_SHEET, Import, Problem
from qms_desktop.importing.reading import NOTE_MARK
from qms_desktop.importing.targets import ARCHIVED, STAMPS, Target

TEMPLATE_ROWS = 1_000  # rows the drop-down lists reach down to
PROBLEMS_HEADING = "Problems"


def template_columns(target: Target) -> list[Any]:
    """A template's columns: the export's, less those the records layer fills in."""
    return [c for c in target.columns if c.name not in (*STAMPS, "archived_at", ARCHIVED)]


def write_template(target: Target, out: Path) -> None:
    """An empty workbook with the register's headings, a row of notes, and drop-down lists for
    the columns that take listed values."""
    import xlsxwriter

    out = Path(out)
    columns = template_columns(target)
    with files.written_in_place_of(out) as partial:
        workbook = xlsxwriter.Workbook(str(partial), {"strings_to_formulas": False,
                                                      "strings_to_numbers": False,
                                                      "strings_to_urls": False})
        try:
            sheet = workbook.add_worksheet(target.name)
            lists = workbook.add_worksheet(LISTS_SHEET)
            bold = workbook.add_format({"bold": True})
            note_format = workbook.add_format({"italic": True, "font_color": "#555555",
                                               "text_wrap": True, "valign": "top"})
            sheet.freeze_panes(2, 0)
            list_column = 0
            for at, column in enumerate(columns):
                sheet.write_string(0, at, column.heading, bold)
                sheet.write_string(1, at, NOTE_MARK + column.note(), note_format)
                sheet.set_column(at, at, max(14, min(40, len(column.heading) + 4)))
                if column.kind == "choice":
                    offered = [label for _key, label in column.choices]
                elif column.kind == "bool":
                    offered = ["Yes", "No"]
                else:
                    continue
                for row, label in enumerate(offered):
                    lists.write_string(row, list_column, label)
                letter = column_letter(list_column)
                sheet.data_validation(2, at, TEMPLATE_ROWS + 1, at, {
                    "validate": "list",
                    "source": f"='{LISTS_SHEET}'!${letter}$1:${letter}${len(offered)}",
                    "error_title": column.heading,
                    "error_message": "Choose one of the listed values.",
                })
                list_column += 1
            sheet.set_row(1, 45)
            lists.hide()
            workbook.close()
        except BaseException:
            workbook.fileclosed = True
            raise


def save_problems(plan: Import, problems: list[Problem], out: Path) -> None:
    """The rows that have problems, each with its problems in a first column, sheet by sheet
    as in the file; problems of a whole sheet come first."""
    import xlsxwriter

    out = Path(out)
    by_sheet: dict[str, dict[int, list[Problem]]] = defaultdict(lambda: defaultdict(list))
    for problem in problems:
        by_sheet[problem.sheet][problem.row].append(problem)
    with files.written_in_place_of(out) as partial:
        workbook = xlsxwriter.Workbook(str(partial), {"strings_to_formulas": False,
                                                      "strings_to_numbers": False,
                                                      "strings_to_urls": False})
        try:
            bold = workbook.add_format({"bold": True})
            wrap = workbook.add_format({"text_wrap": True, "valign": "top",
                                        "font_color": "#9C0006"})
            dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
            times = workbook.add_format({"num_format": "yyyy-mm-dd h:mm:ss"})
            for table in plan.tables:
                rows = by_sheet.get(table.name)
                if not rows:
                    continue
                sheet = workbook.add_worksheet(table.name[:31])
                sheet.freeze_panes(1, 2)
                sheet.set_column(0, 0, 60)
                sheet.write_string(0, 0, PROBLEMS_HEADING, bold)
                sheet.write_string(0, 1, "Row", bold)
                for at, heading in enumerate(table.headings, start=2):
                    sheet.write_string(0, at, heading, bold)
                line = 1
                for whole in rows.get(0, []):
                    sheet.write_string(line, 0, whole.message, wrap)
                    line += 1
                for number, cells in zip(table.row_numbers, table.rows, strict=True):
                    found = rows.get(number)
                    if not found:
                        continue
                    text = "\n".join(f"{p.column}: {p.message}" if p.column else p.message
                                     for p in found)
                    sheet.write_string(line, 0, text, wrap)
                    sheet.write_number(line, 1, number)
                    for at, value in enumerate(cells, start=2):
                        _write(sheet, line, at, value, dates, times)
                    line += 1
            if not workbook.worksheets():
                workbook.add_worksheet(PROBLEMS_HEADING).write_string(0, 0, "No problems.")
            workbook.close()
        except BaseException:
            workbook.fileclosed = True
            raise


def _write(sheet: Any, row: int, column: int, value: Any, dates: Any, times: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, column, value, times)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, value, dates)
    else:
        sheet.write_string(row, column, str(value))
