"""The action tracker and the start-up reminder, driven like a user would, over a real database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import actions, nonconformities, records
from qms_desktop.models import Action, Person, Risk
from qms_desktop.support_registers import ACTION_TRACKER
from tests.ui.interact import click, click_row
from ui.kit.form_dialog import FormDialog
from ui.kit.record_form import OptionalDateEdit
from ui.kit.tables import column_of
from ui.screens.actions.actions_screen import ActionsScreen
from ui.shell.reminder import ReminderBar

TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def tracker(store: object) -> dict[str, Any]:
    ada = records.create(Person, full_name="Ada Lovelace")
    bob = records.create(Person, full_name="Bob Marley")
    records.set_setting(records.USER_NAME_KEY, "Ada Lovelace")
    problem = nonconformities.create_nonconformity("Wrong label on pallet", days(-20))
    risk = records.create(Risk, title="Late parts", kind="risk")
    made = {
        "relabel": actions.raise_action(problem, "Relabel stock", ada, days(-4)),
        "second": actions.raise_action(risk, "Find a second supplier", ada, days(3)),
        "train": actions.raise_action(problem, "Train the packers", bob, days(-2)),
        "audit": actions.raise_action(risk, "Audit the supplier", ada, days(30)),
        "old": actions.raise_action(risk, "Old check", ada, days(-40)),
    }
    actions.complete(made["old"], days(-30), "Checked", today=TODAY)
    return {"ada": ada, "bob": bob, "nc": problem, "risk": risk, **made}


@pytest.fixture
def screen(show: Any, tracker: dict[str, Any]) -> ActionsScreen:
    return show(ActionsScreen())


def titles(query: Any) -> list[str]:
    return [a.title for a in query]


def choose(qtbot: QtBot, screen: ActionsScreen, action: Action) -> None:
    assert screen.model.row_of(action.id) >= 0
    click_row(qtbot, screen, action.id)
    assert screen.action is not None and screen.action.id == action.id


def type_into(qtbot: QtBot, widget: Any, text: str) -> None:
    if isinstance(widget, OptionalDateEdit):
        widget.line_edit.clear()
        qtbot.keyClicks(widget.line_edit, text)
    elif isinstance(widget, QPlainTextEdit):
        widget.clear()
        qtbot.keyClicks(widget, text)
    else:
        widget.clear()
        qtbot.keyClicks(widget, text)


def dialog_of(screen: ActionsScreen) -> FormDialog:
    assert screen.dialog is not None and screen.dialog.isVisible()
    return screen.dialog


def test_filters_combine_and_match_the_tracker_queries(qtbot, screen, tracker):
    ada = tracker["ada"]
    assert screen.person_combo.isHidden()  # the user is a person: no picker needed
    assert sorted(screen.visible_titles()) == sorted(titles(actions.open_actions()))
    click(qtbot, screen.mine_button)
    assert screen.visible_titles() == titles(actions.open_actions(actions.mine(ada)))
    click(qtbot, screen.overdue_button)
    assert screen.visible_titles() == titles(actions.overdue(TODAY, actions.mine(ada)))
    assert screen.visible_titles() == ["Relabel stock"]
    click(qtbot, screen.week_button)  # overdue and this week exclude each other
    assert not screen.overdue_button.isChecked()
    assert screen.visible_titles() == titles(actions.due_this_week(TODAY, actions.mine(ada)))
    click(qtbot, screen.mine_button)
    screen.source_combo.setCurrentIndex(screen.source_combo.findText("Nonconformity"))
    click(qtbot, screen.week_button)
    assert screen.visible_titles() == titles(
        actions.open_actions(actions.by_source("nonconformity")))
    screen.status_combo.setCurrentIndex(screen.status_combo.findData(""))
    screen.source_combo.setCurrentIndex(0)
    qtbot.keyClicks(screen.search_edit, "check")
    assert screen.visible_titles() == ["Old check"]


def test_nothing_chosen_shows_only_the_hint_and_no_live_buttons(qtbot, screen):
    assert screen.action is None
    assert screen.nothing_label.isVisible()
    assert not screen.details.isVisible()
    for button in (screen.move_button, screen.done_button, screen.cancel_button,
                   screen.reopen_button, screen.save_button):
        assert not button.isEnabled()


def test_mine_offers_a_person_picker_when_the_user_is_nobody_on_file(qtbot, tracker, store):
    records.set_setting(records.USER_NAME_KEY, "Someone Else")
    made = ActionsScreen()
    qtbot.addWidget(made)
    assert not made.person_combo.isHidden()
    made.person_combo.setCurrentIndex(made.person_combo.findText("Bob Marley"))
    click(qtbot, made.mine_button)
    assert made.visible_titles() == ["Train the packers"]


def test_overdue_due_date_is_red_and_show_filter_preselects(qtbot, screen, tracker):
    screen.show_filter("overdue")
    assert screen.overdue_button.isChecked()
    assert screen.visible_titles() == titles(actions.overdue(TODAY))
    screen.show_filter("this_week")
    assert screen.week_button.isChecked() and not screen.overdue_button.isChecked()
    assert screen.visible_titles() == ["Find a second supplier"]
    screen.show_filter("mine")
    assert screen.mine_button.isChecked()


def test_moving_the_due_date_twice_keeps_the_original_and_lists_both_moves(
        qtbot, screen, tracker):
    relabel = tracker["relabel"]
    choose(qtbot, screen, relabel)
    for new_due, reason in ((days(5), "Labels on order"), (days(12), "Printer broken")):
        click(qtbot, screen.move_button)
        dialog = dialog_of(screen)
        type_into(qtbot, dialog.fields["due_on"], new_due.isoformat())
        type_into(qtbot, dialog.fields["reason"], reason)
        click(qtbot, dialog.ok_button)
        assert not dialog.isVisible()
    stored = Action.get_by_id(relabel.id)
    assert stored.due_on == days(12) and stored.original_due_on == days(-4)
    assert screen.original_value.text() == days(-4).isoformat()
    assert screen.history_list.count() == 2
    lines = [screen.history_list.item(i).text() for i in range(2)]
    assert "Labels on order" in lines[0] and "Printer broken" in lines[1]
    row = screen.model.row_of(relabel.id)
    moved_column = column_of(ACTION_TRACKER, "moved_from")
    assert screen.model.index(row, moved_column).data() == days(-4).isoformat()


def test_moving_needs_a_reason(qtbot, screen, tracker):
    choose(qtbot, screen, tracker["second"])
    click(qtbot, screen.move_button)
    dialog = dialog_of(screen)
    type_into(qtbot, dialog.fields["due_on"], days(9).isoformat())
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "why" in dialog.error_text("reason").lower()
    assert Action.get_by_id(tracker["second"].id).due_on == days(3)


def test_mark_done_without_evidence_says_so_and_saves_nothing(qtbot, screen, tracker):
    choose(qtbot, screen, tracker["relabel"])
    click(qtbot, screen.done_button)
    dialog = dialog_of(screen)
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "what shows it was done" in dialog.error_text("evidence")
    stored = Action.get_by_id(tracker["relabel"].id)
    assert (stored.status, stored.done_on, stored.evidence) == ("open", None, "")
    type_into(qtbot, dialog.fields["evidence"], "New labels photographed")
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    assert Action.get_by_id(tracker["relabel"].id).status == "done"
    # Done actions leave the open list; the details still show the one just closed.
    assert "Relabel stock" not in screen.visible_titles()
    assert screen.status_value.text() == "Done"
    assert screen.reopen_button.isEnabled() and not screen.done_button.isEnabled()


def test_cancel_and_reopen(qtbot, screen, tracker):
    choose(qtbot, screen, tracker["audit"])
    click(qtbot, screen.cancel_button)
    dialog = dialog_of(screen)
    click(qtbot, dialog.ok_button)
    assert dialog.error_text("reason")
    type_into(qtbot, dialog.fields["reason"], "Supplier dropped")
    click(qtbot, dialog.ok_button)
    assert Action.get_by_id(tracker["audit"].id).status == "cancelled"
    click(qtbot, screen.reopen_button)
    click(qtbot, dialog_of(screen).ok_button)
    assert Action.get_by_id(tracker["audit"].id).status == "open"


def test_source_reads_in_words_and_opens_its_record(qtbot, screen, tracker):
    nc = tracker["nc"]
    row = screen.model.row_of(tracker["relabel"].id)
    cell = screen.model.index(row, column_of(ACTION_TRACKER, "raised_from")).data()
    assert cell == f"Nonconformity {nc.reference}"
    all_cells = [screen.model.index(r, column_of(ACTION_TRACKER, "raised_from")).data()
                 for r in range(screen.model.rowCount())]
    assert all("_" not in text for text in all_cells)
    choose(qtbot, screen, tracker["relabel"])
    assert screen.source_value.text() == f"Nonconformity {nc.reference}"
    assert screen.source_button.text() == "Open the nonconformity"
    with qtbot.waitSignal(screen.open_record) as signal:
        click(qtbot, screen.source_button)
    assert signal.args == ["nonconformities", nc.id]
    choose(qtbot, screen, tracker["second"])
    assert screen.source_value.text() == "Risk: Late parts"
    with qtbot.waitSignal(screen.open_record) as signal:
        click(qtbot, screen.source_button)
    assert signal.args == ["risks", tracker["risk"].id]


def test_new_action_is_raised_here_and_edits_are_saved(qtbot, screen, tracker):
    screen.new_record()
    dialog = dialog_of(screen)
    click(qtbot, dialog.ok_button)
    assert dialog.error_text("title")
    type_into(qtbot, dialog.fields["title"], "Tidy the stores")
    click(qtbot, dialog.ok_button)
    made = Action.get(Action.title == "Tidy the stores")
    assert (made.source_table, made.owner_id) == ("", tracker["ada"].id)
    assert screen.action is not None and screen.action.id == made.id
    assert screen.source_value.text().startswith("Raised here")
    assert screen.source_button.isHidden()
    type_into(qtbot, screen.title_edit, "Tidy the stores and the yard")
    assert screen.has_unsaved_changes()
    assert screen.save()
    assert Action.get_by_id(made.id).title == "Tidy the stores and the yard"
    assert not screen.has_unsaved_changes()


def test_an_emptied_title_is_not_saved_and_the_service_says_why(qtbot, screen, tracker):
    choose(qtbot, screen, tracker["relabel"])
    type_into(qtbot, screen.title_edit, "   ")
    with qtbot.waitSignal(screen.status_message) as signal:
        assert not screen.save()
    assert signal.args == ["Not saved: Say what will be done."]
    assert screen.edit_error.text() == "Say what will be done."
    assert screen.title_edit.hasFocus()
    assert Action.get_by_id(tracker["relabel"].id).title == "Relabel stock"


# --- The reminder ------------------------------------------------------------------------------


def test_reminder_shows_the_counts_and_opens_the_overdue_list(qtbot, tracker):
    bar = ReminderBar()
    qtbot.addWidget(bar)
    bar.show()
    assert bar.isVisible()
    assert bar.text_label.text() == "2 actions are overdue and 1 is due this week."
    with qtbot.waitSignal(bar.show_actions) as signal:
        click(qtbot, bar.show_button)
    assert signal.args == ["overdue"]
    click(qtbot, bar.close_button)
    assert not bar.isVisible()


def test_reminder_hides_when_nothing_is_due(qtbot, store):
    window = QWidget()  # as in the main window: the bar sits in a shown parent
    bar = ReminderBar(window)
    QVBoxLayout(window).addWidget(bar)
    qtbot.addWidget(window)
    window.show()
    assert not bar.isVisible()
    ada = records.create(Person, full_name="Ada")
    risk = records.create(Risk, title="Late parts", kind="risk")
    actions.raise_action(risk, "Call the supplier", ada, days(2))
    bar.refresh()
    assert bar.isVisible()
    assert bar.text_label.text() == "1 action is due this week."
    with qtbot.waitSignal(bar.show_actions) as signal:
        click(qtbot, bar.show_button)
    assert signal.args == ["this_week"]


def test_at_1024_wide_the_list_shows_owner_and_due_date_beside_the_details(
        qtbot, show, sample_store):  # type: ignore[no-untyped-def]
    """What a 1024 x 640 window leaves the screen: the long titles give way, so each action's
    owner and due date are read without scrolling the list sideways."""
    screen = show(ActionsScreen(), (820, 560))
    table = screen.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 5)
    header = table.horizontalHeader()
    due = next(c for c in range(header.count())
               if table.model().headerData(c, Qt.Orientation.Horizontal) == "Due")
    qtbot.waitUntil(lambda: header.sectionViewportPosition(due) >= 0)
    dates = [str(table.model().index(row, due).data()) for row in range(table.model().rowCount())]
    widest = max(table.fontMetrics().horizontalAdvance(text) for text in dates)
    # The cell's text (bold when late, hence the margin) ends inside the list.
    assert header.sectionViewportPosition(due) + widest * 1.1 + 8 <= table.viewport().width()
    assert header.sectionSize(0) >= 160  # the title still reads
