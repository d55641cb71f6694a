"""A reading saved by someone else while I typed mine in the grid: the grid says who and
when, keeps my typing, and offers Compare and Reload; after Reload my next save lands."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qms_desktop import kpis, records
from qms_desktop.models import Kpi
from tests.ui.interact import click
from ui.screens.objectives.readings_grid import ReadingsGrid


def _kpi(name: str) -> Kpi:
    return records.create(Kpi, name=name, target=95.0, frequency="monthly")


@pytest.fixture
def grid(show: Any, store: object) -> ReadingsGrid:
    _kpi("A on time")
    _kpi("B yield")
    return show(ReadingsGrid(), (1024, 640))


def _type(qtbot: QtBot, grid: ReadingsGrid, row: int, text: str) -> None:
    grid.table.setCurrentIndex(grid.model.index(row, 4))
    grid.table.setFocus()
    qtbot.keyClick(grid.table, text[0])
    editor = grid.delegate.editor
    assert editor is not None
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def _by_maria(grid: ReadingsGrid, row: int, value: float) -> None:
    with records.history_as(who="Maria Khan"):
        kpis.save_period(grid.period, {grid.model.kpi(row).id: value})


def test_a_reading_saved_meanwhile_is_named_and_reload_takes_theirs(
    qtbot: QtBot, grid: ReadingsGrid
) -> None:
    on_time = grid.model.kpi(0)
    _type(qtbot, grid, 0, "96")
    _by_maria(grid, 0, 93.0)
    grid.reload()  # as the live change feed does: the typing stays

    with qtbot.waitSignal(grid.status_message) as said:
        click(qtbot, grid.save_button)

    assert grid.changed_bar.isVisible()
    assert said.args[0].startswith("Not saved. Changed by Maria Khan ")
    assert grid.changed_bar.text() == said.args[0]
    assert kpis.readings_of(on_time) == {grid.period: 93.0}
    assert grid.model.value(0) == 96.0  # kept until I choose

    click(qtbot, grid.changed_bar.compare_button)
    dialog = grid.compare_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.rows() == [("A on time", "96", "93")]
    click(qtbot, dialog.reload_button)  # "Reload theirs"

    assert not grid.changed_bar.isVisible()
    assert grid.model.value(0) == 93.0
    assert not grid.has_unsaved_changes()
    _type(qtbot, grid, 0, "97")
    click(qtbot, grid.save_button)
    assert not grid.changed_bar.isVisible()
    assert kpis.readings_of(on_time) == {grid.period: 97.0}


def test_a_reading_of_another_kpi_saved_meanwhile_does_not_stop_mine(
    qtbot: QtBot, grid: ReadingsGrid
) -> None:
    _type(qtbot, grid, 1, "98")
    _by_maria(grid, 0, 93.0)
    click(qtbot, grid.save_button)
    assert not grid.changed_bar.isVisible()
    assert kpis.readings_of(grid.model.kpi(1)) == {grid.period: 98.0}
    assert kpis.readings_of(grid.model.kpi(0)) == {grid.period: 93.0}
