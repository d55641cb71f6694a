"""Acting on widgets as a user does, shared by the window's tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot: QtBot, screen: Any, record_id: str) -> None:
    """Click the first cell of a register screen's row for `record_id`."""
    row = screen.model.row_of(record_id)
    rect = screen.table.visualRect(screen.model.index(row, 0))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def cell(screen: Any, record_id: str, column: int) -> str:
    """The text of a register screen's cell."""
    return screen.model.index(screen.model.row_of(record_id), column).data()
