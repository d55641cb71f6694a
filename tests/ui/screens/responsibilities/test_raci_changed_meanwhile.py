"""A RACI letter someone else changed while the matrix showed the old one: typing over it
is refused naming who and when; Compare shows both letters, Reload shows theirs and the
next letter typed lands."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qms_desktop import raci, records
from qms_desktop.models import Process, Role
from tests.ui.interact import click
from ui.screens.responsibilities.raci_editor import RaciEditor


@pytest.fixture
def editor(show: Any, store: object) -> RaciEditor:
    sales = records.create(Process, name="Sales")
    buyer = records.create(Role, title="Buyer")
    records.create(Role, title="Director")
    raci.set_letter(sales, buyer, "C")
    return show(RaciEditor(), (1024, 640))


def _select(qtbot: QtBot, editor: RaciEditor, row: int, column: int) -> None:
    rect = editor.table.visualRect(editor.model.index(row, column))
    qtbot.mouseClick(editor.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _letter(process: str, role: str) -> str:
    return raci.load().letter(Process.get(Process.name == process).id,
                              Role.get(Role.title == role).id)


def _by_maria(letter: str) -> None:
    with records.history_as(who="Maria Khan"):
        raci.set_letter(Process.get(Process.name == "Sales"), Role.get(Role.title == "Buyer"),
                        letter)


def test_a_letter_changed_meanwhile_is_named_and_reload_takes_theirs(
    qtbot: QtBot, editor: RaciEditor
) -> None:
    _by_maria("I")  # the matrix still shows C
    _select(qtbot, editor, 0, 1)  # Sales × Buyer
    with qtbot.waitSignal(editor.status_message) as said:
        qtbot.keyClick(editor.table, Qt.Key.Key_R)

    bar = editor.changed_bar
    assert bar.isVisible()
    assert said.args[0].startswith("Not saved. Changed by Maria Khan ")
    assert bar.text() == said.args[0]
    assert _letter("Sales", "Buyer") == "I"

    click(qtbot, bar.compare_button)
    dialog = editor.compare_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.rows() == [("Sales · Buyer", "R", "I")]
    click(qtbot, dialog.back_button)

    click(qtbot, bar.reload_button)
    assert not bar.isVisible()
    assert editor.model.index(0, 1).data() == "I"
    _select(qtbot, editor, 0, 1)
    qtbot.keyClick(editor.table, Qt.Key.Key_R)
    assert _letter("Sales", "Buyer") == "R"


def test_a_letter_in_another_cell_goes_through(qtbot: QtBot, editor: RaciEditor) -> None:
    _by_maria("I")
    _select(qtbot, editor, 0, 2)  # Sales × Director
    qtbot.keyClick(editor.table, Qt.Key.Key_A)
    assert not editor.changed_bar.isVisible()
    assert (_letter("Sales", "Buyer"), _letter("Sales", "Director")) == ("I", "A")
