"""Spreadsheets made for the import's tests, core and window alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl


def workbook(path: Path, rows: list[list[Any]], title: str = "Suppliers") -> Path:
    """An xlsx file at `path` whose one sheet, `title`, holds `rows` (the first the headings)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
