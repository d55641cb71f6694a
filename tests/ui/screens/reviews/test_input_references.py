"""The reviews screen shows each input's rows led by their records' references, as the pack
prints them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from qms_desktop.review_data import InputSection, Table
from ui.screens.reviews.inputs_tab import InputSectionWidget


def _headers(table: QTableWidget) -> list[str]:
    return [table.model().headerData(c, Qt.Orientation.Horizontal)
            for c in range(table.columnCount())]


def _cell(table: QTableWidget, row: int, column: int) -> str:
    return str(table.model().index(row, column).data())


def test_rows_from_records_lead_with_their_reference(qtbot: QtBot) -> None:
    widget = InputSectionWidget("c4", "Nonconformities and corrective actions")
    qtbot.addWidget(widget)
    section = InputSection("c4", "Nonconformities and corrective actions", True, tables=[
        Table("Nonconformities in the period", ["Title", "Status"],
              [["Wrong label", "Open"], ["Burr on flange", "Closed"]],
              references=["NC-2026-001", "NC-2026-002"]),
        Table("Against the previous period", ["Measure", "This period"], [["Raised", "2"]]),
    ])
    widget.load(section, "", "")
    cited, plain = widget.findChildren(QTableWidget)
    assert _headers(cited) == ["Reference", "Title", "Status"]
    assert [_cell(cited, r, 0) for r in range(cited.rowCount())] == [
        "NC-2026-001", "NC-2026-002"]
    assert _cell(cited, 1, 1) == "Burr on flange"
    assert _headers(plain) == ["Measure", "This period"]  # a table of no records: as it was
