"""The 5 whys saved by someone else while I was typing mine: the editor says who and when,
keeps what I typed, and offers Compare and Reload; after Reload my next save lands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from qms_desktop import nonconformities, records
from qms_desktop.models import Nonconformity
from tests.ui.interact import click
from ui.screens.nonconformities.nonconformities_screen import ROOT_TAB, NonconformitiesScreen

TODAY = dt.date.today()


@pytest.fixture
def nc_screen(show: Any, store: object) -> Iterator[NonconformitiesScreen]:
    yield show(NonconformitiesScreen(), (1024, 640))


def _opened(screen: NonconformitiesScreen, *answers: str) -> Nonconformity:
    nc = nonconformities.create_nonconformity("Scratched panels shipped", TODAY, "internal")
    nonconformities.set_why_chain(nc, list(answers))
    screen.reload()
    assert screen.show_record(nc.id)
    screen.tabs.setCurrentIndex(ROOT_TAB)
    return nc


def _retype(qtbot: QtBot, screen: NonconformitiesScreen, index: int, text: str) -> None:
    edit = screen.whys.edits[index]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _save_refused(qtbot: QtBot, screen: NonconformitiesScreen) -> None:
    """Save, and wait until the bar is laid out and scrolled into the window."""
    bar = screen.whys.changed_bar
    click(qtbot, screen.whys.save_button)

    def in_view() -> bool:
        corner = bar.reload_button.mapTo(screen, bar.reload_button.rect().bottomRight())
        return bar.height() >= bar.minimumSizeHint().height() and screen.rect().contains(corner)

    qtbot.waitUntil(in_view)


def _stored(nc: Nonconformity) -> list[str]:
    return [s.answer for s in nonconformities.why_chain(nc)]


def test_a_why_saved_meanwhile_is_named_and_reload_takes_theirs(
    qtbot: QtBot, nc_screen: NonconformitiesScreen
) -> None:
    nc = _opened(nc_screen, "Rubbed in transit", "No separators")
    whys = nc_screen.whys
    _retype(qtbot, nc_screen, 1, "Separators ran out")
    with records.history_as(who="Maria Khan"):
        nonconformities.set_why_chain(nc, ["Rubbed in transit", "Box too small"])

    _save_refused(qtbot, nc_screen)

    assert whys.changed_bar.isVisible()
    text = whys.changed_bar.text()
    assert text.startswith("Not saved. Changed by Maria Khan ")
    assert text.endswith(" since you opened it.")
    assert _stored(nc) == ["Rubbed in transit", "Box too small"]
    assert whys.edits[1].text() == "Separators ran out"  # kept until I choose
    assert whys.has_unsaved_changes()

    click(qtbot, whys.changed_bar.compare_button)
    dialog = whys.compare_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.rows() == [("Why 2", "Separators ran out", "Box too small")]
    click(qtbot, dialog.back_button)
    assert whys.edits[1].text() == "Separators ran out"

    click(qtbot, whys.changed_bar.reload_button)
    assert not whys.changed_bar.isVisible()
    assert [e.text() for e in whys.edits] == ["Rubbed in transit", "Box too small"]
    assert not whys.has_unsaved_changes()

    _retype(qtbot, nc_screen, 1, "Box too small for separators")
    click(qtbot, whys.save_button)
    assert not whys.changed_bar.isVisible()
    assert _stored(nc) == ["Rubbed in transit", "Box too small for separators"]


def test_the_screens_save_names_the_refusal(
    qtbot: QtBot, nc_screen: NonconformitiesScreen
) -> None:
    nc = _opened(nc_screen, "Rubbed in transit")
    _retype(qtbot, nc_screen, 0, "Rubbed on the truck")
    with records.history_as(who="Maria Khan"):
        nonconformities.set_why_chain(nc, ["Packed without film"])
    with qtbot.waitSignal(nc_screen.status_message) as said:
        assert not nc_screen.save()
    assert said.args[0].startswith("Not saved. Changed by Maria Khan ")
    assert _stored(nc) == ["Packed without film"]


def test_look_of_the_refusal_at_1024_by_640(
    qtbot: QtBot, nc_screen: NonconformitiesScreen, tmp_path: Path
) -> None:
    nc = _opened(nc_screen, "Rubbed in transit", "No separators", "Supplier out of stock")
    _retype(qtbot, nc_screen, 2, "Ordered too late")
    with records.history_as(who="Maria Khan"):
        nonconformities.set_why_chain(nc, ["Rubbed in transit", "No separators",
                                           "Supplier changed"])
    _save_refused(qtbot, nc_screen)  # the bar and its buttons scrolled into the window
    bar = nc_screen.whys.changed_bar
    for widget in (bar.message, bar.compare_button):
        corner = widget.mapTo(nc_screen, widget.rect().bottomRight())
        assert nc_screen.rect().contains(corner), widget.accessibleName()
    nc_screen.grab().save(str(tmp_path / "whys_changed.png"))
    assert "Your edits are kept until you choose." in bar.findChildren(QLabel)[1].text()
