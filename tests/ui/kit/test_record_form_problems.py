"""A field's problem shows beside it and in sight, however far down a short form it is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from qms_desktop.catalogue import PEOPLE
from qms_desktop.models import Person
from ui.kit.record_form import OptionalDateEdit, RecordForm


def in_sight(form: RecordForm, widget: Any) -> bool:
    viewport = form.scroll_area.viewport()
    top = widget.mapTo(viewport, QPoint(0, 0)).y()
    return widget.isVisible() and top >= 0 and top + widget.height() <= viewport.height()


def test_an_unreadable_date_at_the_bottom_is_shown_beside_its_field_in_sight(
        qtbot: QtBot, show: Any, store: object) -> None:
    form = show(RecordForm(PEOPLE), (230, 260))
    form.start_new()
    qtbot.keyClicks(form.editor("full_name"), "Ada Lovelace")
    left_on = form.editor("left_on")
    assert isinstance(left_on, OptionalDateEdit)
    qtbot.keyClicks(left_on.line_edit, "2025-31-01")
    form.scroll_area.verticalScrollBar().setValue(0)  # the user scrolled back up to the name
    assert not in_sight(form, left_on)

    assert form.save() is None
    message = form.field_problem_label("left_on")
    assert message.text().startswith("Use a date like")
    assert in_sight(form, message)
    assert in_sight(form, left_on)
    assert left_on.line_edit.hasFocus()
    assert Person.select().count() == 0
    # The message belongs to this field: it sits right under it.
    gap = message.mapTo(form, QPoint(0, 0)).y() - (
        left_on.mapTo(form, QPoint(0, 0)).y() + left_on.height())
    assert 0 <= gap <= 12
    qtbot.keyClick(left_on.line_edit, Qt.Key.Key_Backspace)
    assert not message.isVisible()
