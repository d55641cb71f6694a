"""Choosing people: who can be picked, and the drop-down that offers them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from qms_desktop import organisation, policy, registers
from qms_desktop.models import Person
from ui.kit.record_form import NONE_LABEL

TOP_MANAGEMENT_MARK = "top management"


def active_people() -> list[Person]:
    return list(organisation.active_people())


def people_choices() -> list[tuple[str, str]]:
    return registers.link_choices(Person)


def people_combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(NONE_LABEL, "")
    for person_id, label in registers.link_choices(Person):
        combo.addItem(label, person_id)
    return combo


def people_top_first() -> list[tuple[Person, bool]]:
    """Active people with whether each is top management, top management first."""
    people = [(p, policy.is_top_management(p)) for p in active_people()]
    people.sort(key=lambda pair: (not pair[1], pair[0].full_name.lower()))
    return people


def fill_people(combo: QComboBox, prompt: str, people: list[tuple[Person, bool]] | None = None,
                chosen: Person | None = None, *, mark_top: bool = True,
                separate: bool = False) -> None:
    """People in `combo` (item data: their id), top management first and marked (and set
    apart by a line when `separate`); the prompt item means nobody. Someone chosen who has
    since left still shows."""
    combo.clear()
    combo.addItem(prompt, None)
    people = people_top_first() if people is None else people
    for index, (person, top) in enumerate(people):
        if separate and index and people[index - 1][1] and not top:
            combo.insertSeparator(combo.count())
        shown = f"{person.full_name} — {TOP_MANAGEMENT_MARK}" if top and mark_top \
            else person.full_name
        combo.addItem(shown, person.id)
        combo.setItemData(combo.count() - 1, top, Qt.ItemDataRole.UserRole + 1)
    if chosen is not None:
        found = combo.findData(chosen.id)
        if found < 0:
            combo.addItem(chosen.full_name, chosen.id)
            found = combo.count() - 1
        combo.setCurrentIndex(found)


def chosen_person(combo: QComboBox) -> Person | None:
    person_id = combo.currentData()
    return Person.get_or_none(Person.id == person_id) if person_id else None


def select_person(combo: QComboBox, person: Person) -> None:
    index = combo.findData(person.id)
    if index >= 0:
        combo.setCurrentIndex(index)
