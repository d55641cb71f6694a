"""The five duties (5.3) on the Responsibilities screen, driven like a user would."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qms_desktop import records, responsibilities
from qms_desktop.clauses import DUTIES
from qms_desktop.models import DutyAssignment, Person, PersonRole, Role
from ui.screens.responsibilities.raci_editor import RaciEditor
from ui.screens.responsibilities.responsibilities_screen import (
    NOBODY,
    DutyCard,
    ResponsibilitiesScreen,
)


@pytest.fixture
def make_screen(show: Any, store: object) -> Any:
    def make() -> ResponsibilitiesScreen:
        return show(ResponsibilitiesScreen(), (1200, 760))

    return make


def choose(qtbot: QtBot, card: DutyCard, text: str, date: str = "") -> None:
    card.holder_combo.setFocus()
    qtbot.keyClicks(card.holder_combo, text)
    if date:
        card.date_edit.line_edit.selectAll()
        qtbot.keyClicks(card.date_edit.line_edit, date)


def click_save(qtbot: QtBot, screen: ResponsibilitiesScreen) -> None:
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)


def test_empty_database_shows_five_gaps(make_screen: Any) -> None:
    screen = make_screen()
    assert screen.summary_label.text() == "0 of 5 duties assigned · 5 gaps"
    assert [card.gap_text() for card in screen.cards] == [
        f"{duty.clause}: nobody is assigned to {duty.gap_phrase}." for duty in DUTIES
    ]
    card = screen.card("customer_focus")
    assert card.status_label.text() == (
        "Gap — 5.3 d: nobody is assigned to promote customer focus."
    )
    assert card.title_label.text() == "<b>Customer focus is promoted</b>"
    assert card.holder_combo.currentText() == NOBODY
    assert not card.date_edit.isEnabled()
    assert not screen.save_button.isEnabled()
    assert isinstance(screen.raci_editor, RaciEditor)


def test_assigning_a_person_with_a_date_closes_the_gap(
    qtbot: QtBot, make_screen: Any
) -> None:
    zoe = records.create(Person, full_name="Zoë Lindqvist")
    records.create(Person, full_name="Ada Okafor")
    screen = make_screen()
    card = screen.card("customer_focus")

    choose(qtbot, card, "Zo", "2025-02-14")
    assert card.holder_combo.currentText() == "Zoë Lindqvist"
    assert screen.has_unsaved_changes()
    assert screen.save_button.isEnabled()
    assert card.status_label.text() == "Changed: press Save to keep it."

    with qtbot.waitSignal(screen.status_message) as signal:
        click_save(qtbot, screen)

    found = responsibilities.assignment("customer_focus")
    assert found is not None
    assert found.person_id == zoe.id
    assert found.communicated_on == dt.date(2025, 2, 14)
    assert card.gap_text() == ""
    assert card.status_label.text() == "✓ Held by Zoë Lindqvist, told on 14 February 2025."
    assert screen.summary_label.text() == "1 of 5 duties assigned · 4 gaps"
    assert signal.args == ["1 of 5 duties assigned · 4 gaps"]
    assert not screen.has_unsaved_changes()
    assert not screen.save_button.isEnabled()


def test_a_role_with_nobody_in_it_is_a_gap(qtbot: QtBot, make_screen: Any) -> None:
    records.create(Role, title="Customer Champion")
    manager = records.create(Role, title="Quality Manager")
    zoe = records.create(Person, full_name="Zoë Lindqvist")
    records.create(PersonRole, person=zoe, role=manager)
    screen = make_screen()
    card = screen.card("customer_focus")
    labels = [card.holder_combo.itemText(i) for i in range(card.holder_combo.count())]
    assert "Role: Quality Manager (Zoë Lindqvist)" in labels
    assert "Role: Customer Champion (nobody)" in labels

    # Typed without the space (a space opens the list); roles are listed by title.
    choose(qtbot, card, "Role:", "2025-02-14")
    assert card.holder_combo.currentText() == "Role: Customer Champion (nobody)"
    click_save(qtbot, screen)

    assert card.gap_text() == "5.3 d: the role Customer Champion has nobody in it."
    assert "has nobody in it" in card.status_label.text()
    assert screen.summary_label.text() == "1 of 5 duties assigned · 5 gaps"


def test_a_holder_without_a_date_is_still_a_gap(qtbot: QtBot, make_screen: Any) -> None:
    records.create(Person, full_name="Ada Okafor")
    screen = make_screen()
    card = screen.card("conformity")
    choose(qtbot, card, "Ada")
    click_save(qtbot, screen)
    assert "when it was communicated is not recorded" in card.gap_text()


def test_a_future_date_is_shown_inline_and_nothing_is_saved(
    qtbot: QtBot, make_screen: Any
) -> None:
    records.create(Person, full_name="Ada Okafor")
    screen = make_screen()
    card = screen.card("reporting")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    choose(qtbot, card, "Ada", tomorrow.isoformat())

    with qtbot.waitSignal(screen.status_message) as signal:
        click_save(qtbot, screen)

    assert card.error_text() == "The communication date is in the future."
    assert signal.args == ["Not saved: 5.3 c. See the message in red."]
    assert responsibilities.assignment("reporting") is None
    assert screen.has_unsaved_changes()  # what was typed stays for correcting

    card.date_edit.line_edit.selectAll()
    qtbot.keyClicks(card.date_edit.line_edit, "2025-01-02")
    assert card.error_text() == ""
    assert screen.save() is True
    assert responsibilities.assignment("reporting").communicated_on == dt.date(2025, 1, 2)


def test_choosing_nobody_removes_the_assignment(qtbot: QtBot, make_screen: Any) -> None:
    ada = records.create(Person, full_name="Ada Okafor")
    responsibilities.assign_duty("conformity", person=ada, communicated_on=dt.date(2025, 1, 1))
    screen = make_screen()
    card = screen.card("conformity")
    assert card.holder_combo.currentText() == "Ada Okafor"
    assert card.gap_text() == ""
    card.holder_combo.setFocus()
    qtbot.keyClick(card.holder_combo, Qt.Key.Key_Home)
    assert card.holder_combo.currentText() == NOBODY
    click_save(qtbot, screen)
    assert responsibilities.assignment("conformity") is None
    assert DutyAssignment.select().count() == 1  # archived, kept in the history


def test_revert_and_reload_keep_or_drop_edits(qtbot: QtBot, make_screen: Any) -> None:
    records.create(Person, full_name="Ada Okafor")
    screen = make_screen()
    card = screen.card("conformity")
    choose(qtbot, card, "Ada", "2025-01-01")
    records.create(Person, full_name="Bea Newcomer")
    screen.reload()  # a person added elsewhere appears; the edit stays
    assert card.holder_combo.findText("Bea Newcomer") >= 0
    assert card.holder_combo.currentText() == "Ada Okafor"
    assert screen.has_unsaved_changes()
    qtbot.mouseClick(screen.revert_button, Qt.MouseButton.LeftButton)
    assert card.holder_combo.currentText() == NOBODY
    assert card.date_edit.text() == ""
    assert not screen.has_unsaved_changes()


def test_a_holder_who_left_is_shown_until_replaced(make_screen: Any) -> None:
    ada = records.create(Person, full_name="Ada Okafor")
    responsibilities.assign_duty("conformity", person=ada, communicated_on=dt.date(2025, 1, 1))
    records.update(ada, active=False, left_on=dt.date(2025, 3, 1))
    screen = make_screen()
    card = screen.card("conformity")
    assert card.holder_combo.currentText() == "Ada Okafor (no longer active)"
    assert card.gap_text() == "5.3 a: Ada Okafor has left; assign someone else."
    assert not screen.has_unsaved_changes()


def test_raci_tab_forwards_status_messages(qtbot: QtBot, make_screen: Any) -> None:
    screen = make_screen()
    qtbot.mouseClick(screen.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=screen.tabs.tabBar().tabRect(1).center())
    assert screen.tabs.currentIndex() == 1
    with qtbot.waitSignal(screen.status_message) as signal:
        screen.raci_editor.status_message.emit("hello")
    assert signal.args == ["hello"]
