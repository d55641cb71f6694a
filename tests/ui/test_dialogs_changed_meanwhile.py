"""Screens' small dialogs when someone else saved the same record while one was open: the
save is refused naming who and when, Compare lists the fields theirs beside mine, Reload
takes theirs, and what was typed stays until the user chooses. The form dialog does it for
every screen; these drive three of them with real widgets, and look at the refusal and the
comparison in a 1024 x 640 window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import actions, clock, feedback, nonconformities, records, resources
from qms_desktop.models import (
    Action,
    Feedback,
    Nonconformity,
    Organisation,
    Person,
    PersonRole,
    ResourceRequest,
    Role,
)
from tests.ui.interact import click, screenshot, type_date
from ui.kit.form_dialog import FormDialog
from ui.kit.record_changed import ChangesDialog
from ui.screens.feedback.feedback_screen import FeedbackScreen
from ui.screens.nonconformities.nonconformities_screen import ACTIONS_TAB, NonconformitiesScreen
from ui.screens.resources.resources_screen import DecideDialog, ResourcesScreen

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
TODAY = MORNING.date()
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def _by_maria(change: Any) -> Any:
    """Another person's save, through the services, at 10:42."""
    with records.history_as(who="Maria Khan"):
        return change()


def _compare(qtbot: QtBot, dialog: FormDialog) -> ChangesDialog:
    click(qtbot, dialog.changed_bar.compare_button)
    qtbot.waitUntil(lambda: dialog.compare_dialog is not None
                    and dialog.compare_dialog.isVisible())
    assert dialog.compare_dialog is not None
    return dialog.compare_dialog


def _move_dialog_refused(qtbot: QtBot, show: Any, size: tuple[int, int]
                         ) -> tuple[NonconformitiesScreen, FormDialog, Action]:
    """The nonconformity screen's "Move the due date" with a date and a reason typed, Maria's
    move of the same action meanwhile, and Move pressed."""
    nc = nonconformities.create_nonconformity("Scrap above target", _days(-10), "kpi")
    action = nonconformities.raise_action(nc, "Retrain the night shift", None, _days(3))
    screen = show(NonconformitiesScreen(), size)
    assert screen.show_record(nc.id)
    screen.tabs.setCurrentIndex(ACTIONS_TAB)
    screen.actions_table.selectRow(0)
    click(qtbot, screen.reschedule_button)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    type_date(qtbot, dialog.fields["due_on"], _days(9))
    qtbot.keyClicks(dialog.fields["reason"], "Trainer ill")
    _by_maria(lambda: actions.reschedule(Action.get_by_id(action.id), _days(14),
                                         "Shift pattern changes"))
    click(qtbot, dialog.ok_button)
    return screen, dialog, action


def test_moving_a_due_date_someone_moved_meanwhile_offers_compare_and_reload(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        _screen, dialog, action = _move_dialog_refused(qtbot, show, (1280, 800))

        assert dialog.isVisible()
        assert dialog.changed_bar.text() == REFUSAL
        assert dialog.text("due_on") == _days(9).isoformat()
        assert dialog.text("reason") == "Trainer ill"
        assert Action.get_by_id(action.id).due_on == _days(14)

        compared = _compare(qtbot, dialog)
        assert compared.rows() == [("New due date", _days(9).isoformat(),
                                    _days(14).isoformat())]
        click(qtbot, compared.back_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
        assert dialog.text("due_on") == _days(9).isoformat()  # still mine

        click(qtbot, dialog.changed_bar.reload_button)
        assert dialog.text("due_on") == _days(14).isoformat()
        assert dialog.text("reason") == "Trainer ill"  # the reason is not theirs to replace
        assert not dialog.changed_bar.isVisible()

        type_date(qtbot, dialog.fields["due_on"], _days(20))
        with qtbot.waitSignal(dialog.accepted):
            click(qtbot, dialog.ok_button)
    moved = Action.get_by_id(action.id)
    assert moved.due_on == _days(20)
    assert [(m.old_due, m.new_due, m.reason) for m in actions.due_date_history(moved)] == [
        (_days(3), _days(14), "Shift pattern changes"),
        (_days(14), _days(20), "Trainer ill")]


def test_closing_feedback_someone_closed_meanwhile_compares_and_reloads_theirs(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        item = feedback.record_feedback("complaint", "Acme Ltd", _days(-3),
                                        "Wrong labels on 40 parcels")
        screen = show(FeedbackScreen(), (1280, 800))
        assert screen.show_record(item.id)
        click(qtbot, screen.response_panel.close_button)
        dialog = screen.dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.keyClicks(dialog.fields["response"], "Replaced the labels")
        _by_maria(lambda: feedback.close(Feedback.get_by_id(item.id), "Credit note sent",
                                         _days(-1)))
        click(qtbot, dialog.ok_button)

        assert dialog.changed_bar.text() == REFUSAL
        assert dialog.text("response") == "Replaced the labels"
        compared = _compare(qtbot, dialog)
        assert compared.rows() == [("Response", "Replaced the labels", "Credit note sent"),
                                   ("Closed on", TODAY.isoformat(), _days(-1).isoformat())]
        click(qtbot, compared.reload_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
        assert (dialog.text("response"), dialog.text("closed_on")) == (
            "Credit note sent", _days(-1).isoformat())
        click(qtbot, dialog.ok_button)  # now the service sees it closed, and says so
        assert dialog.error_text("closed_on") == f"Already closed on {_days(-1)}."
    assert Feedback.get_by_id(item.id).response == "Credit note sent"


def test_a_new_action_refused_over_its_nonconformity_keeps_the_typed_title(
        qtbot: QtBot, show: Any, store: object) -> None:
    """Adding the first action moves the screen's nonconformity to "action under way":
    that write is what meets Maria's change, of a record the dialog does not show."""
    with clock.stopped_at(MORNING):
        nc = nonconformities.create_nonconformity("Scrap above target", _days(-10), "kpi")
        screen = show(NonconformitiesScreen(), (1280, 800))
        assert screen.show_record(nc.id)
        screen.tabs.setCurrentIndex(ACTIONS_TAB)
        click(qtbot, screen.add_action_button)
        dialog = screen.dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.keyClicks(dialog.fields["title"], "Retrain the night shift")

        def maria() -> None:
            mine = Nonconformity.get_by_id(nc.id)
            nonconformities.update_nonconformity(mine, title="Scrap above target in March")
            nonconformities.raise_action(mine, "Check the cutter", None, _days(5))
        _by_maria(maria)
        click(qtbot, dialog.ok_button)

        assert dialog.changed_bar.text() == REFUSAL
        compared = _compare(qtbot, dialog)
        # The nonconformity's title under its own name, not the caption of the action's.
        assert compared.rows() == [("Title", "Scrap above target",
                                    "Scrap above target in March")]
        click(qtbot, compared.reload_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
        assert dialog.text("title") == "Retrain the night shift"
        with qtbot.waitSignal(dialog.accepted):
            click(qtbot, dialog.ok_button)
    assert sorted(a.title for a in Action.select().where(Action.source_id == nc.id)) == [
        "Check the cutter", "Retrain the night shift"]


def test_a_dialog_with_its_own_submit_offers_the_same_choice(
        qtbot: QtBot, show: Any, store: object) -> None:
    records.create(Organisation, name="Acme Gauges", currency="EUR")
    anna = records.create(Person, full_name="Anna Director")
    role = records.create(Role, title="Director", is_top_management=True)
    records.create(PersonRole, person=anna, role=role)
    request = records.create(ResourceRequest, title="Torque wrench", amount_minor=30000,
                             currency="EUR", requested_on=TODAY)
    screen = show(ResourcesScreen(), (1280, 800))
    tab = screen.requests_tab
    screen.show_tab("requests")
    tab.reload()
    tab.table.selectRow(0)
    click(qtbot, tab.decide_button)
    dialog = tab.dialog
    assert isinstance(dialog, DecideDialog)
    qtbot.waitExposed(dialog)
    click(qtbot, dialog.choice_buttons["deferred"])
    qtbot.keyClicks(dialog.note_edit, "Next year's budget")
    with clock.stopped_at(MORNING):
        _by_maria(lambda: resources.decide(ResourceRequest.get_by_id(request.id), "approved",
                                           Person.get_by_id(anna.id), TODAY))
        click(qtbot, dialog.ok_button)

        assert dialog.isVisible()
        assert dialog.changed_bar.text() == REFUSAL
        assert dialog.note_edit.toPlainText() == "Next year's budget"
        screenshot(dialog, "decide-refused")
        assert dialog.height() <= 640
        compared = _compare(qtbot, dialog)
        screenshot(compared, "decide-compare")
    assert ("Decision", "Deferred", "Approved") in compared.rows()
    assert ("Decision note", "Next year's budget", "") in compared.rows()
    click(qtbot, compared.reload_button)
    qtbot.waitUntil(lambda: not compared.isVisible())
    # Its fields are its own widgets, not the record's: they keep what was typed, and the
    # request it saves from is theirs now, so deciding again goes over their decision.
    assert dialog.choice_buttons["deferred"].isChecked()
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button)
    stored = ResourceRequest.get_by_id(request.id)
    assert (stored.decision, stored.decision_note) == ("deferred", "Next year's budget")


def _inside(widget: QWidget, window: QRect) -> bool:
    return window.contains(widget.frameGeometry())


def test_the_refusal_and_the_comparison_fit_a_1024_by_640_window(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, dialog, _action = _move_dialog_refused(qtbot, show, (1024, 640))
        qtbot.waitUntil(dialog.changed_bar.isVisible)
        screenshot(dialog, "move-due-date-refused-1024x640")
        window = QRect(0, 0, 1024, 640)
        assert dialog.height() <= window.height()
        bar = dialog.changed_bar
        for part in (bar.message, bar.compare_button, bar.reload_button, dialog.ok_button):
            assert dialog.rect().contains(
                QRect(part.mapTo(dialog, part.rect().topLeft()), part.size())), part
            assert part.width() >= part.sizeHint().width(), part
        assert bar.message.height() >= bar.message.heightForWidth(bar.message.width())

        compared = _compare(qtbot, dialog)
        screenshot(compared, "move-due-date-compare-1024x640")
        assert compared.width() <= window.width() and compared.height() <= window.height()
        table = compared.table
        for column in range(3):
            item = table.item(0, column)
            assert item is not None
            wanted = table.fontMetrics().horizontalAdvance(item.text())
            assert table.columnWidth(column) > wanted, column  # not cut short
        del screen
