"""Two people moving the same action's due date: the second is told who moved it first and
may compare the dates or take theirs, with what they typed kept until they choose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pytestqt.qtbot import QtBot

from qms_desktop import actions, records
from qms_desktop.models import Action, Person, Risk
from tests.ui.interact import click, click_row
from ui.screens.actions.actions_screen import ActionsScreen

TODAY = dt.date.today()


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def test_a_due_date_moved_meanwhile_is_refused_with_compare_and_reload(
        qtbot: QtBot, show: Any, store: object) -> None:
    ada = records.create(Person, full_name="Ada Lovelace")
    risk = records.create(Risk, title="Late parts", kind="risk")
    action = actions.raise_action(risk, "Find a second supplier", ada, _days(3))
    screen = show(ActionsScreen())
    click_row(qtbot, screen, action.id)
    click(qtbot, screen.move_button)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    due = dialog.fields["due_on"]
    due.line_edit.clear()
    qtbot.keyClicks(due.line_edit, _days(9).isoformat())
    qtbot.keyClicks(dialog.fields["reason"], "Quotes come late")

    with records.history_as(who="Maria Khan"):
        actions.reschedule(Action.get_by_id(action.id), _days(14), "Supplier on holiday")
    click(qtbot, dialog.ok_button)

    assert dialog.isVisible()
    assert dialog.changed_bar.text().startswith("Not saved. Changed by Maria Khan at ")
    assert due.text() == _days(9).isoformat()
    assert Action.get_by_id(action.id).due_on == _days(14)

    click(qtbot, dialog.changed_bar.compare_button)
    qtbot.waitUntil(lambda: dialog.compare_dialog is not None
                    and dialog.compare_dialog.isVisible())
    assert dialog.compare_dialog is not None
    assert dialog.compare_dialog.rows() == [
        ("New due date", _days(9).isoformat(), _days(14).isoformat())]
    click(qtbot, dialog.compare_dialog.reload_button)
    assert due.text() == _days(14).isoformat()

    due.line_edit.clear()
    qtbot.keyClicks(due.line_edit, _days(20).isoformat())
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button)
    assert Action.get_by_id(action.id).due_on == _days(20)
