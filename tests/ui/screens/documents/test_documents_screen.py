"""Documents screen driven like a user would, over a real database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qms_desktop import records
from qms_desktop.models import (
    Document,
)
from ui.screens.documents.documents_screen import DocumentsScreen

TODAY = dt.date.today()

def click(qtbot: QtBot, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot: QtBot, screen: Any, record_id: str) -> None:
    row = screen.model.row_of(record_id)
    rect = screen.table.visualRect(screen.model.index(row, 0))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def cell(screen: Any, record_id: str, column: int) -> str:
    return screen.model.index(screen.model.row_of(record_id), column).data()


def test_documents_review_overdue_filter_and_policy_note(qtbot, show, store):
    late = records.create(Document, kind="procedure", reference="QP-01", title="Purchasing",
                          review_due_on=TODAY - dt.timedelta(days=3))
    records.create(Document, kind="record", reference="R-01", title="Calibration log",
                   review_due_on=TODAY + dt.timedelta(days=40))
    policy = records.create(Document, kind="policy", reference="POL", title="Quality policy")
    screen = show(DocumentsScreen())
    assert screen.model.rowCount() == 3
    screen.filter_combo.setCurrentIndex(screen.filter_combo.findText("Review overdue"))
    assert [screen.model.record_id(r) for r in range(screen.model.rowCount())] == [late.id]
    screen.filter_combo.setCurrentIndex(screen.filter_combo.findText("Records"))
    assert screen.model.rowCount() == 1
    screen.filter_combo.setCurrentIndex(0)
    click_row(qtbot, screen, late.id)
    assert screen.own_screen_note.isHidden()
    click_row(qtbot, screen, policy.id)
    assert not screen.own_screen_note.isHidden()
    with qtbot.waitSignal(screen.open_record) as signal:
        click(qtbot, screen.own_screen_button)
    assert signal.args == ["policy", policy.id]
