"""The readings grid driven from the keyboard, over a real database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from qms_desktop import kpis, records
from qms_desktop.models import Kpi, Reading
from ui.screens.objectives.readings_grid import (
    VALUE_COLUMN,
    ReadingsGrid,
    ReadingsModel,
    parse_reading,
)


def _kpi(name: str, **values: Any) -> Kpi:
    values = {"target": 95.0, "warning_threshold": 92.0, "failure_threshold": 88.0,
              "frequency": "monthly", **values}
    return records.create(Kpi, name=name, **values)


@pytest.fixture
def make_grid(show: Any, store: object) -> Iterator[Any]:
    def make() -> ReadingsGrid:
        return show(ReadingsGrid(), (1000, 600))

    yield make


def type_in_cell(qtbot: QtBot, grid: ReadingsGrid, text: str) -> QLineEdit:
    """Type like a user: the first key opens the cell's editor, the rest go into it."""
    qtbot.keyClick(grid.table, text[0])
    editor = grid.delegate.editor
    assert editor is not None
    qtbot.keyClicks(editor, text[1:])
    return editor


def test_parse_reading() -> None:
    assert parse_reading("95") == (True, 95.0)
    assert parse_reading(" 95,5 ") == (True, 95.5)
    assert parse_reading("") == (True, None)
    assert parse_reading("abc") == (False, None)
    assert parse_reading("nan") == (False, None)


def test_model_passes_the_model_tester(qtmodeltester: Any, store: object) -> None:
    _kpi("On time")
    _kpi("Complaints", direction="lower", target=2.0, warning_threshold=4.0,
         failure_threshold=6.0)
    model = ReadingsModel()
    model.load("monthly", kpis.last_complete_period("monthly"))
    qtmodeltester.check(model)


def test_lists_active_kpis_of_the_frequency(make_grid: Any) -> None:
    _kpi("On time")
    _kpi("Scrap", frequency="quarterly")
    records.archive(_kpi("Old"))
    grid = make_grid()
    assert grid.period == kpis.last_complete_period("monthly")
    assert grid.period_combo.currentText() == kpis.period_label(grid.period, "monthly")
    assert [grid.model.kpi(r).name for r in range(grid.model.rowCount())] == ["On time"]
    assert grid.set_frequency("quarterly")
    assert [grid.model.kpi(r).name for r in range(grid.model.rowCount())] == ["Scrap"]
    assert grid.period == kpis.last_complete_period("quarterly")
    assert grid.set_frequency("weekly")
    assert grid.stack.currentWidget() is grid.empty_label
    assert "KPIs tab" in grid.empty_label.text()


def test_enter_moves_down_and_save_writes_the_period(qtbot: QtBot, make_grid: Any) -> None:
    first, second, third = _kpi("A on time"), _kpi("B delivery"), _kpi("C yield")
    grid = make_grid()
    grid.focus_first_cell()
    editor = type_in_cell(qtbot, grid, "96")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert grid.table.currentIndex().row() == 1
    assert grid.delegate.editor is None
    editor = type_in_cell(qtbot, grid, "91,5")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert grid.table.currentIndex().row() == 2
    assert grid.has_unsaved_changes()
    # The status column follows what was typed.
    assert grid.model.index(0, VALUE_COLUMN + 1).data() == "On target"
    assert grid.model.index(1, VALUE_COLUMN + 1).data() == "Warning"
    with qtbot.waitSignal(grid.status_message) as message:
        qtbot.keyClick(grid.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    label = kpis.period_label(grid.period, "monthly")
    assert message.args == [f"Saved 2 readings for {label}."]
    assert grid.message_label.text() == f"Saved 2 readings for {label}."
    assert not grid.has_unsaved_changes()
    assert kpis.readings_of(first) == {grid.period: 96.0}
    assert kpis.readings_of(second) == {grid.period: 91.5}
    assert kpis.readings_of(third) == {}


def test_letters_are_refused_and_nothing_is_saved(qtbot: QtBot, make_grid: Any) -> None:
    kpi = _kpi("On time")
    grid = make_grid()
    grid.focus_first_cell()
    editor = type_in_cell(qtbot, grid, "9a")
    assert "not a number" in grid.message_label.text()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert grid.delegate.editor is editor  # still editing: Enter was refused
    assert "“9a” is not a number" in grid.message_label.text()
    assert grid.has_unsaved_changes()
    assert not grid.save()
    assert Reading.select().where(Reading.kpi == kpi).count() == 0
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert grid.message_label.text() == ""
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert grid.delegate.editor is None
    assert not grid.has_unsaved_changes()
    assert Reading.select().where(Reading.kpi == kpi).count() == 0


def test_delete_clears_a_saved_reading_which_is_archived(qtbot: QtBot,
                                                          make_grid: Any) -> None:
    kpi = _kpi("On time")
    period = kpis.last_complete_period("monthly")
    kpis.save_reading(kpi, period, 94.0)
    grid = make_grid()
    assert grid.model.index(0, VALUE_COLUMN).data() == "94"
    grid.focus_first_cell()
    qtbot.keyClick(grid.table, Qt.Key.Key_Delete)
    assert grid.model.index(0, VALUE_COLUMN).data() == ""  # empty, not zero
    assert "missing" in grid.message_label.text()
    assert grid.save()
    assert "Cleared 1 reading" in grid.message_label.text()
    reading = Reading.get(Reading.kpi == kpi)
    assert reading.archived_at is not None
    assert kpis.readings_of(kpi) == {}


def test_future_periods_are_refused(qtbot: QtBot, make_grid: Any) -> None:
    _kpi("On time")
    grid = make_grid()
    latest = grid.period
    assert not grid.next_button.isEnabled()
    assert not grid.set_period(kpis.next_period(latest, "monthly"))
    assert "has not ended yet" in grid.message_label.text()
    assert grid.period == latest
    qtbot.mouseClick(grid.previous_button, Qt.MouseButton.LeftButton)
    assert grid.period == kpis.previous_period(latest, "monthly")
    assert grid.next_button.isEnabled()
    assert grid.table.hasFocus()
    assert grid.table.currentIndex().row() == 0


def test_leaving_a_period_with_typing_asks(qtbot: QtBot, make_grid: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    kpi = _kpi("On time")
    grid = make_grid()
    grid.focus_first_cell()
    editor = type_in_cell(qtbot, grid, "90")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    asked: list[str] = []

    def answer(*args: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert not grid.previous_period()
    assert grid.period == kpis.last_complete_period("monthly")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Save)
    assert grid.previous_period()
    assert len(asked) == 1
    assert kpis.readings_of(kpi) == {kpis.last_complete_period("monthly"): 90.0}
