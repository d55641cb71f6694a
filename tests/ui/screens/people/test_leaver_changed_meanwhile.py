"""Someone's leaving recorded while another person records it too: the hand over is refused
naming who and when, with Compare and Reload; the successors chosen and the leaving date
stay until the user chooses, and Reload reads again what the leaver still answers for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from qms_desktop import actions, clock, records, responsibilities
from qms_desktop.models import Action, Person, Process
from tests.ui.interact import click, type_date
from ui.kit.record_changed import ChangesDialog
from ui.screens.people.leaver_dialog import LeaverDialog

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."
LAST_DAY = dt.date(2026, 3, 31)
THEIR_DAY = dt.date(2026, 3, 20)


def _refused(qtbot: QtBot, show: Any) -> tuple[LeaverDialog, dict[str, Any]]:
    """Mara leaves, everything to Bo, her last day typed; meanwhile Maria gives Mara's open
    action to Cleo and records Mara's leaving date herself; then OK."""
    mara = records.create(Person, full_name="Mara Quist")
    records.create(Person, full_name="Bo Lindgren")
    cleo = records.create(Person, full_name="Cleo Adeyemi")
    process = records.create(Process, name="Purchasing", owner=mara)
    action = records.create(Action, title="Re-qualify the paint supplier", owner=mara)
    responsibilities.assign_duty("customer_focus", person=mara,
                                 communicated_on=dt.date(2025, 1, 10))
    dialog = show(LeaverDialog(Person.get_by_id(mara.id)), None)
    dialog.everyone_combo.setCurrentIndex(dialog.everyone_combo.findText("Bo Lindgren"))
    type_date(qtbot, dialog.date_edit, LAST_DAY)
    with records.history_as(who="Maria Khan"):
        actions.edit(Action.get_by_id(action.id), action.title, Person.get_by_id(cleo.id))
        records.update(Person.get_by_id(mara.id), left_on=THEIR_DAY)
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    return dialog, {"mara": mara, "process": process, "action": action}


def test_the_refusal_names_who_and_when_and_nothing_is_handed_over(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        dialog, made = _refused(qtbot, show)
        assert dialog.isVisible()
        assert dialog.changed_choice.bar.text() == REFUSAL
        assert not dialog.error_label.isVisible()
        assert [dialog.row_combos[row].currentText() for row in range(3)] == ["Bo Lindgren"] * 3
        assert dialog.date_edit.date() == LAST_DAY
    assert Person.get_by_id(made["mara"].id).active  # nothing written
    assert Process.get_by_id(made["process"].id).owner.full_name == "Mara Quist"


def test_compare_shows_their_leaving_date_beside_mine(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        dialog, _made = _refused(qtbot, show)
        click(qtbot, dialog.changed_choice.bar.compare_button)
        compared = dialog.changed_choice.compare_dialog
        assert isinstance(compared, ChangesDialog)
        qtbot.waitUntil(compared.isVisible)
        assert compared.rows() == [("Active", "No", "Yes"),
                                   ("Leaving date", LAST_DAY.isoformat(),
                                    THEIR_DAY.isoformat())]
        qtbot.keyClick(compared, Qt.Key.Key_Escape)  # back to my choices
        qtbot.waitUntil(lambda: not compared.isVisible())
    assert dialog.changed_choice.bar.isVisible()
    assert dialog.table.rowCount() == 3


def test_reload_reads_what_she_answers_for_again_and_the_hand_over_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        dialog, made = _refused(qtbot, show)
        click(qtbot, dialog.changed_choice.bar.reload_button)
        assert not dialog.changed_choice.bar.isVisible()
        # The action is Cleo's now, so it is no longer Mara's to hand over.
        assert [dialog.table.item(row, 1).text() for row in range(dialog.table.rowCount())] == [
            "Customer focus is promoted", "Purchasing"]
        assert [combo.currentText() for combo in dialog.row_combos] == ["Bo Lindgren"] * 2
        assert "2 things" in dialog.intro_label.text()
        assert dialog.date_edit.date() == THEIR_DAY  # their change
        with qtbot.waitSignal(dialog.accepted):
            click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    mara = Person.get_by_id(made["mara"].id)
    assert (mara.active, mara.left_on) == (False, THEIR_DAY)
    assert Process.get_by_id(made["process"].id).owner.full_name == "Bo Lindgren"
    assert Action.get_by_id(made["action"].id).owner.full_name == "Cleo Adeyemi"
