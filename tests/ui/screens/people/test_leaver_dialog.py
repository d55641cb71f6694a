"""Someone leaves: their responsibilities pass to a successor through the dialog."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from qms_desktop import records, responsibilities
from qms_desktop.models import Action, DutyAssignment, Person, Process
from ui.screens.people import leaver_dialog
from ui.screens.people.leaver_dialog import LeaverDialog, offer_leaver_dialog


@pytest.fixture
def team(store: object) -> dict[str, Any]:
    leaver = records.create(Person, full_name="Mara Quist")
    successor = records.create(Person, full_name="Bo Lindgren")
    other = records.create(Person, full_name="Cleo Adeyemi")
    records.create(Person, full_name="Dan Former", active=False)
    process = records.create(Process, name="Purchasing", owner=leaver)
    action = records.create(Action, title="Re-qualify the paint supplier", owner=leaver)
    done = records.create(Action, title="Old action", owner=leaver, status="done")
    responsibilities.assign_duty(
        "customer_focus", person=leaver, communicated_on=dt.date(2025, 1, 10)
    )
    return {
        "leaver": leaver, "successor": successor, "other": other,
        "process": process, "action": action, "done": done,
    }


def click_ok(qtbot: QtBot, dialog: LeaverDialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def reread(record: Any) -> Any:
    return type(record).get_by_id(record.id)


def test_lists_what_the_person_answers_for(qtbot: QtBot, show: Any, team: dict[str, Any]) -> None:
    dialog = show(LeaverDialog(team["leaver"]), None)
    assert dialog.windowTitle() == "Mara Quist is leaving"
    rows = [
        (dialog.table.item(row, 0).text(), dialog.table.item(row, 1).text())
        for row in range(dialog.table.rowCount())
    ]
    assert rows == [
        ("Duty (5.3)", "Customer focus is promoted"),
        ("Process", "Purchasing"),
        ("Open action", "Re-qualify the paint supplier"),
    ]
    # Successors are the active people other than the leaver.
    combo = dialog.row_combos[0]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "— choose —", "Bo Lindgren", "Cleo Adeyemi",
    ]
    assert dialog.date_edit.date() == dt.date.today()


def test_give_everything_to_one_successor(qtbot: QtBot, show: Any, team: dict[str, Any]) -> None:
    dialog = show(LeaverDialog(team["leaver"]), None)
    dialog.everyone_combo.setFocus()
    qtbot.keyClicks(dialog.everyone_combo, "Bo")
    assert all(dialog.successor_of(row) == team["successor"] for row in range(3))
    editor: QLineEdit = dialog.date_edit.line_edit
    editor.selectAll()
    qtbot.keyClicks(editor, "2025-06-30")

    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)

    leaver = reread(team["leaver"])
    assert not leaver.active
    assert leaver.left_on == dt.date(2025, 6, 30)
    assert reread(team["process"]).owner_id == team["successor"].id
    assert reread(team["action"]).owner_id == team["successor"].id
    assert reread(team["done"]).owner_id == team["leaver"].id  # closed actions stay as they were
    duty = DutyAssignment.get(DutyAssignment.duty == "customer_focus")
    assert duty.person_id == team["successor"].id
    assert dialog.moved == 3


def test_rows_can_go_to_different_people(qtbot: QtBot, show: Any, team: dict[str, Any]) -> None:
    dialog = show(LeaverDialog(team["leaver"]), None)
    qtbot.keyClicks(dialog.everyone_combo, "Bo")
    qtbot.keyClicks(dialog.row_combos[1], "Cleo")
    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)
    assert reread(team["process"]).owner_id == team["other"].id
    assert reread(team["action"]).owner_id == team["successor"].id


def test_a_row_without_successor_changes_nothing(
    qtbot: QtBot, show: Any, team: dict[str, Any]
) -> None:
    dialog = show(LeaverDialog(team["leaver"]), None)
    qtbot.keyClicks(dialog.row_combos[0], "Bo")
    qtbot.keyClicks(dialog.row_combos[2], "Cleo")

    click_ok(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_text() == (
        "Choose who takes over 1 responsibility, starting with: Process Purchasing."
    )
    assert dialog.row_combos[1].hasFocus()
    assert reread(team["leaver"]).active
    assert reread(team["process"]).owner_id == team["leaver"].id
    assert reread(team["action"]).owner_id == team["leaver"].id
    duty = DutyAssignment.get(DutyAssignment.duty == "customer_focus")
    assert duty.person_id == team["leaver"].id

    # Choosing the missing one clears the message; OK then goes through.
    qtbot.keyClicks(dialog.row_combos[1], "Bo")
    assert dialog.error_text() == ""
    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)
    assert not reread(team["leaver"]).active


def test_an_unreadable_leaving_date_is_refused(
    qtbot: QtBot, show: Any, team: dict[str, Any]
) -> None:
    dialog = show(LeaverDialog(team["leaver"]), None)
    qtbot.keyClicks(dialog.everyone_combo, "Bo")
    dialog.date_edit.line_edit.clear()
    click_ok(qtbot, dialog)
    assert dialog.error_text() == "Enter the leaving date."
    qtbot.keyClicks(dialog.date_edit.line_edit, "2025-13")
    click_ok(qtbot, dialog)
    assert "year-month-day" in dialog.error_text()
    assert reread(team["leaver"]).active


def test_nobody_to_hand_over_just_records_the_date(qtbot: QtBot, show: Any, store: object) -> None:
    person = records.create(Person, full_name="Ivo Short")
    dialog = show(LeaverDialog(person), None)
    assert "has no responsibilities to hand over" in dialog.intro_label.text()
    assert dialog.table.isHidden()
    assert dialog.everyone_combo.isHidden()
    with qtbot.waitSignal(dialog.accepted):
        click_ok(qtbot, dialog)
    person = reread(person)
    assert not person.active
    assert person.left_on == dt.date.today()


def test_offer_leaver_dialog(
    qtbot: QtBot, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def give_to_bo(dialog: LeaverDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.everyone_combo.setCurrentIndex(dialog.everyone_combo.findText("Bo Lindgren"))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(leaver_dialog.LeaverDialog, "exec", give_to_bo)
    assert offer_leaver_dialog(team["leaver"]) is True
    assert not reread(team["leaver"]).active

    monkeypatch.setattr(
        leaver_dialog.LeaverDialog, "exec", lambda _d: QDialog.DialogCode.Rejected
    )
    assert offer_leaver_dialog(team["successor"]) is False
    assert reread(team["successor"]).active
