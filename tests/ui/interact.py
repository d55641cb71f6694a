"""Acting on widgets as a user does, shared by the window's tests."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

# Set QMS_SCREENSHOTS to a folder to keep pictures of the screens at the interesting moments.
SCREENSHOTS = os.environ.get("QMS_SCREENSHOTS", "")


def screenshot(widget: QWidget, name: str) -> None:
    """Save `widget` as NAME.png in the QMS_SCREENSHOTS folder; nothing when it is not set."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SCREENSHOTS) / f"{name}.png"))


def click(qtbot: QtBot, widget: QWidget) -> None:
    """Click `widget`, which must be enabled: a click on a disabled button does nothing, and
    the test would go on as if it had."""
    assert widget.isEnabled(), f"{widget.accessibleName() or widget.toolTip()} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot: QtBot, screen: Any, record_id: str) -> None:
    """Click the first cell of a register screen's row for `record_id`."""
    click_row_at(qtbot, screen, screen.model.row_of(record_id))


def click_row_at(qtbot: QtBot, screen: Any, row: int) -> None:
    """Click the first cell of row `row` of a screen's table."""
    rect = screen.table.visualRect(screen.model.index(row, 0))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def cell(screen: Any, record_id: str, column: int) -> str:
    """The text of a register screen's cell."""
    return screen.model.index(screen.model.row_of(record_id), column).data()


def retype(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select all of a field's text with the keyboard, delete it and type `text`."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    qtbot.keyClicks(widget, text)


def type_date(qtbot: QtBot, edit: Any, day: dt.date) -> None:
    """Type `day` into a date field of the kit (its `line_edit`), as a user would."""
    edit.line_edit.clear()
    qtbot.keyClicks(edit.line_edit, day.isoformat())


def add_in_register(qtbot: QtBot, screen: Any, field: str, text: str) -> None:
    """Add a record on a register screen: New, type `text` into `field`, Save."""
    click(qtbot, screen.new_button)
    qtbot.keyClicks(screen.form.editor(field), text)
    click(qtbot, screen.save_button)
