"""Choosing people: who can be picked, and the drop-down that offers them."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from qms_desktop import organisation, registers
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
