"""A duty given to someone else while I was choosing its holder: the card says who and when,
keeps my choice, and offers Compare and Reload; after Reload my next save lands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qms_desktop import records, responsibilities
from qms_desktop.models import Person
from tests.ui.interact import click
from ui.screens.responsibilities.responsibilities_screen import DutyCard, ResponsibilitiesScreen

TOLD = dt.date(2025, 1, 2)


@pytest.fixture
def screen(show: Any, store: object) -> ResponsibilitiesScreen:
    for name in ("Ada Okafor", "Bea Lund", "Cai Moreno"):
        records.create(Person, full_name=name)
    ada = Person.get(Person.full_name == "Ada Okafor")
    responsibilities.assign_duty("conformity", person=ada, communicated_on=TOLD)
    return show(ResponsibilitiesScreen(), (1024, 640))


def _choose(qtbot: QtBot, card: DutyCard, text: str) -> None:
    card.holder_combo.setFocus()
    qtbot.keyClicks(card.holder_combo, text)
    assert card.holder_combo.currentText().startswith(text)


def _holder(key: str) -> str:
    found = responsibilities.assignment(key)
    return "" if found is None or found.person is None else found.person.full_name


def _given_by_maria(name: str) -> None:
    with records.history_as(who="Maria Khan"):
        responsibilities.assign_duty("conformity", communicated_on=TOLD,
                                     person=Person.get(Person.full_name == name))


def test_a_duty_changed_meanwhile_is_named_and_reload_takes_theirs(
    qtbot: QtBot, screen: ResponsibilitiesScreen
) -> None:
    card = screen.card("conformity")
    _choose(qtbot, card, "Cai")
    _given_by_maria("Bea Lund")
    screen.reload()  # as the live change feed does: my choice stays

    with qtbot.waitSignal(screen.status_message) as said:
        click(qtbot, screen.save_button)

    assert card.changed_bar.isVisible()
    text = card.changed_bar.text()
    assert text.startswith("Not saved. Changed by Maria Khan ")
    assert text.endswith(" since you opened it.")
    assert said.args[0] == card.refusal_text()
    assert _holder("conformity") == "Bea Lund"
    assert card.holder_combo.currentText() == "Cai Moreno"  # kept until I choose
    assert screen.has_unsaved_changes()

    click(qtbot, card.changed_bar.compare_button)
    dialog = card.compare_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.rows() == [("Held by", "Cai Moreno", "Bea Lund")]
    click(qtbot, dialog.back_button)
    assert card.holder_combo.currentText() == "Cai Moreno"

    click(qtbot, card.changed_bar.reload_button)
    assert not card.changed_bar.isVisible()
    assert card.holder_combo.currentText() == "Bea Lund"
    assert not screen.has_unsaved_changes()

    # (End: typing "Cai" again this soon would go on the combo's search of a moment ago.)
    card.holder_combo.setFocus()
    qtbot.keyClick(card.holder_combo, Qt.Key.Key_End)
    assert card.holder_combo.currentText() == "Cai Moreno"
    click(qtbot, screen.save_button)
    assert not card.changed_bar.isVisible()
    assert _holder("conformity") == "Cai Moreno"


def test_a_change_of_another_duty_does_not_stop_mine(
    qtbot: QtBot, screen: ResponsibilitiesScreen
) -> None:
    card = screen.card("reporting")
    _choose(qtbot, card, "Cai")
    _given_by_maria("Bea Lund")
    click(qtbot, screen.save_button)
    assert not card.changed_bar.isVisible()
    assert (_holder("conformity"), _holder("reporting")) == ("Bea Lund", "Cai Moreno")


def test_look_of_the_refusal_on_a_card_at_1024_by_640(
    qtbot: QtBot, screen: ResponsibilitiesScreen, tmp_path: Path
) -> None:
    card = screen.card("conformity")
    _choose(qtbot, card, "Cai")
    _given_by_maria("Bea Lund")
    click(qtbot, screen.save_button)
    bar = card.changed_bar

    def in_view() -> bool:
        corner = bar.reload_button.mapTo(screen, bar.reload_button.rect().bottomRight())
        return bar.height() >= bar.minimumSizeHint().height() and screen.rect().contains(corner)

    qtbot.waitUntil(in_view)  # the screen scrolls to the card that was not saved
    assert bar.message.width() >= bar.message.fontMetrics().horizontalAdvance("Not saved.")
    screen.grab().save(str(tmp_path / "duty_changed.png"))
    qtbot.keyClick(card.holder_combo, Qt.Key.Key_Escape)
