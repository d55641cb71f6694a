"""People pickers: top management first and marked, nobody as the first item."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from qms_desktop import records
from qms_desktop.models import Person, PersonRole, Role
from ui.kit.pickers import chosen_person, fill_people, people_top_first, select_person


def test_top_management_comes_first_and_a_leaver_still_shows(qtbot: QtBot, store: object) -> None:
    director = records.create(Role, title="Director", is_top_management=True)
    zoe = records.create(Person, full_name="Zoe Boss")
    records.create(PersonRole, person=zoe, role=director)
    ada = records.create(Person, full_name="Ada Worker")
    gone = records.create(Person, full_name="Gus Gone", active=False)
    assert [(p.full_name, top) for p, top in people_top_first()] == [
        ("Zoe Boss", True), ("Ada Worker", False)]

    combo = QComboBox()
    qtbot.addWidget(combo)
    fill_people(combo, "Nobody", separate=True)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts == ["Nobody", "Zoe Boss — top management", "", "Ada Worker"]
    assert chosen_person(combo) is None
    select_person(combo, ada)
    assert chosen_person(combo) == ada

    fill_people(combo, "Nobody", chosen=gone, mark_top=False)
    assert combo.currentText() == "Gus Gone"
    assert chosen_person(combo) == gone
    assert combo.itemText(1) == "Zoe Boss"
