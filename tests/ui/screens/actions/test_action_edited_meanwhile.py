"""The Actions screen's own editor (what will be done, owner) when someone else saved the
same action after it was chosen: the save is refused naming who and when, with Reload and
Compare as in every form; what was typed stays until the user chooses, and after Reload
the next save goes over their version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pytestqt.qtbot import QtBot

from qms_desktop import actions, clock, records
from qms_desktop.models import Action, Person, Risk
from tests.ui.interact import click, click_row, retype, screenshot
from ui.kit.record_changed import ChangesDialog
from ui.screens.actions.actions_screen import ActionsScreen

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."
THEIRS = "Find a second supplier by May"


def _refused(qtbot: QtBot, show: Any, size: tuple[int, int] = (1280, 800)
             ) -> tuple[ActionsScreen, Action]:
    """Ada's action chosen, its title retyped and Ben made owner, Maria's new title saved
    meanwhile, and Save pressed."""
    ada = records.create(Person, full_name="Ada Lovelace")
    records.create(Person, full_name="Ben Okafor")
    risk = records.create(Risk, title="Late parts", kind="risk")
    action = actions.raise_action(risk, "Find a second supplier", ada, clock.today())
    screen = show(ActionsScreen(), size)
    click_row(qtbot, screen, action.id)
    retype(qtbot, screen.title_edit, "Find two suppliers")
    screen.owner_combo.setCurrentIndex(screen.owner_combo.findText("Ben Okafor"))
    with records.history_as(who="Maria Khan"):
        actions.edit(Action.get_by_id(action.id), THEIRS, Person.get_by_id(ada.id))
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    return screen, action


def _compare(qtbot: QtBot, screen: ActionsScreen) -> ChangesDialog:
    click(qtbot, screen.changed_choice.bar.compare_button)
    qtbot.waitUntil(lambda: screen.changed_choice.compare_dialog is not None
                    and screen.changed_choice.compare_dialog.isVisible())
    assert screen.changed_choice.compare_dialog is not None
    return screen.changed_choice.compare_dialog


def test_the_refusal_names_who_and_when_and_keeps_what_was_typed(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, action = _refused(qtbot, show)

        bar = screen.changed_choice.bar
        assert bar.isVisible() and bar.text() == REFUSAL
        assert bar.reload_button.isVisible() and bar.compare_button.isVisible()
        assert not screen.edit_error.isVisible()  # said once, in the bar
        assert screen.title_edit.text() == "Find two suppliers"
        assert screen.owner_combo.currentText() == "Ben Okafor"
        assert screen.save_button.isEnabled()
    stored = Action.get_by_id(action.id)
    assert (stored.title, stored.owner.full_name) == (THEIRS, "Ada Lovelace")


def test_compare_shows_theirs_beside_mine_and_going_back_keeps_mine(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _action = _refused(qtbot, show)
        qtbot.keyClicks(screen.title_edit, " now")  # typed after the refusal: still mine

        compared = _compare(qtbot, screen)
        assert compared.rows() == [("Action", "Find two suppliers now", THEIRS),
                                   ("Owner", "Ben Okafor", "Ada Lovelace")]
        click(qtbot, compared.back_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
    assert screen.title_edit.text() == "Find two suppliers now"
    assert screen.owner_combo.currentText() == "Ben Okafor"
    assert screen.changed_choice.bar.isVisible()


def test_reload_takes_their_title_keeps_my_owner_and_the_next_save_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, action = _refused(qtbot, show)
        click(qtbot, screen.changed_choice.bar.reload_button)

    assert not screen.changed_choice.bar.isVisible()
    assert screen.title_edit.text() == THEIRS  # their change
    assert screen.heading_label.text() == THEIRS  # the heading too, not the old title
    assert screen.owner_combo.currentText() == "Ben Okafor"  # they left the owner alone
    assert screen.has_unsaved_changes()
    with qtbot.waitSignal(screen.status_message) as said:
        click(qtbot, screen.save_button)
    assert said.args == [f"Saved “{THEIRS}”."]
    stored = Action.get_by_id(action.id)
    assert (stored.title, stored.owner.full_name) == (THEIRS, "Ben Okafor")
    assert not screen.changed_choice.bar.isVisible()


def test_reload_from_the_comparison_and_revert_both_read_their_version(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, action = _refused(qtbot, show)
        compared = _compare(qtbot, screen)
        click(qtbot, compared.reload_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
    assert screen.title_edit.text() == THEIRS

    click(qtbot, screen.revert_button)  # back to the action as stored: theirs, Ada
    assert (screen.title_edit.text(), screen.owner_combo.currentText()) == (
        THEIRS, "Ada Lovelace")
    retype(qtbot, screen.title_edit, "Find two suppliers")
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    assert Action.get_by_id(action.id).title == "Find two suppliers"


def test_revert_after_a_refusal_shows_their_version_and_a_save_over_it_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    """Before, Revert put back the copy as first read, so every later save was refused
    again until another row was chosen."""
    with clock.stopped_at(MORNING):
        screen, action = _refused(qtbot, show)
        click(qtbot, screen.revert_button)
    assert not screen.changed_choice.bar.isVisible()
    assert screen.title_edit.text() == THEIRS
    assert screen.heading_label.text() == THEIRS
    retype(qtbot, screen.title_edit, "Find two suppliers")
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    assert Action.get_by_id(action.id).title == "Find two suppliers"


def test_the_bar_fits_beside_the_list_in_a_small_window(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _action = _refused(qtbot, show, (1024, 640))
    bar = screen.changed_choice.bar
    screenshot(screen, "actions_edited_meanwhile_1024x640")
    assert bar.isVisible()
    for button in (bar.reload_button, bar.compare_button):
        assert button.width() >= button.sizeHint().width()
        right = button.mapTo(bar, button.rect().bottomRight()).x()
        assert right <= bar.contentsRect().right()
    assert bar.message.height() >= bar.message.heightForWidth(bar.message.width())
