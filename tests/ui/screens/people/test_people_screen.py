"""People: ticking the roles a person holds, and the leaving hand-over reached from here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qms_desktop import db, policy, records, responsibilities
from qms_desktop.models import Person, Process, Role
from ui.screens.people import people_screen
from ui.screens.people.people_screen import PeopleScreen


@pytest.fixture
def screen(show: Any, store: db.Store) -> PeopleScreen:
    records.create(Role, title="Managing Director", is_top_management=True)
    records.create(Role, title="Quality Manager")
    records.create(Person, full_name="Meera Iyer")
    records.create(Person, full_name="Tom Berg")
    return show(PeopleScreen(), (1100, 700))


def _select(qtbot: QtBot, screen: PeopleScreen, name: str) -> Person:
    person = Person.get(Person.full_name == name)
    assert screen.show_record(person.id)
    qtbot.waitUntil(lambda: screen.roles_panel.person is not None
                    and screen.roles_panel.person.id == person.id)
    return person


def _item(screen: PeopleScreen, title: str):
    items = screen.roles_panel.roles_list
    return next(items.item(i) for i in range(items.count()) if items.item(i).text()
                .startswith(title))


def test_ticking_a_role_makes_the_person_hold_it(qtbot: QtBot, screen: PeopleScreen) -> None:
    assert not screen.roles_panel.roles_list.isEnabled()  # nobody selected yet
    person = _select(qtbot, screen, "Meera Iyer")
    item = _item(screen, "Managing Director")
    assert "top management" in item.text()
    rect = screen.roles_panel.roles_list.visualItemRect(item)
    with qtbot.waitSignal(screen.status_message):
        item.setCheckState(Qt.CheckState.Checked)
    assert policy.is_top_management(person)
    assert [r.title for r in responsibilities.roles_of(person)] == ["Managing Director"]
    assert rect.isValid()
    item.setCheckState(Qt.CheckState.Unchecked)
    assert not policy.is_top_management(person)


def test_marking_someone_as_leaving_hands_over(
    qtbot: QtBot, screen: PeopleScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = _select(qtbot, screen, "Meera Iyer")
    successor = Person.get(Person.full_name == "Tom Berg")
    records.create(Process, name="Dispatch", owner=person)
    seen: list[str] = []

    def hand_over_to_tom(leaver: Person, _parent: object) -> bool:
        seen.append(leaver.full_name)
        responsibilities.hand_over(leaver, {}, successor, dt.date.today())
        return True

    monkeypatch.setattr(people_screen, "offer_leaver_dialog", hand_over_to_tom)
    qtbot.mouseClick(screen.roles_panel.leaver_button, Qt.MouseButton.LeftButton)
    assert seen == ["Meera Iyer"]
    assert not Person.get_by_id(person.id).active
    assert Process.get(Process.name == "Dispatch").owner_id == successor.id
