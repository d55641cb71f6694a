"""The one form dialog: problems under their fields, what was typed kept, a result on success."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qms_desktop.errors import ValidationError
from ui.kit.form_dialog import MINIMUM_WIDTH, FormDialog


def make(show: Any, on_submit: Any) -> FormDialog:
    dialog = FormDialog("Move the due date", "Say why.", "&Move", on_submit=on_submit)
    dialog.add_date("due_on", "&New due date", dt.date(2026, 3, 1))
    dialog.add_line("reason", "&Reason", placeholder="Why the date moves")
    return show(dialog, None)


def test_a_problem_shows_under_its_field_and_keeps_the_text(qtbot: QtBot, show: Any) -> None:
    seen: list[dict[str, Any]] = []

    def refuse(values: dict[str, Any]) -> None:
        seen.append(values)
        raise ValidationError({"reason": "Say why the date moves.", "other": "Not saved."})

    dialog = make(show, refuse)
    assert dialog.width() >= MINIMUM_WIDTH
    qtbot.keyClicks(dialog.fields["reason"], "x")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert seen == [{"due_on": dt.date(2026, 3, 1), "reason": "x"}]
    assert dialog.isVisible()
    assert dialog.error_text("reason") == "Say why the date moves."
    assert dialog.error_text("due_on") == ""
    assert dialog.general_error.text() == "Not saved."
    assert dialog.text("reason") == "x"


def test_an_unreadable_date_is_refused_before_the_service_runs(qtbot: QtBot, show: Any) -> None:
    calls: list[object] = []
    dialog = make(show, calls.append)
    edit = dialog.fields["due_on"]
    edit.line_edit.clear()
    qtbot.keyClicks(edit.line_edit, "2026-13")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert calls == []
    assert dialog.error_text("due_on")
    assert dialog.isVisible()


def test_success_closes_and_keeps_the_result(qtbot: QtBot, show: Any) -> None:
    dialog = make(show, lambda values: f"moved to {values['due_on']}")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value == "moved to 2026-03-01"
