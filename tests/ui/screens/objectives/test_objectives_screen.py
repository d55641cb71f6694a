"""The objectives and KPIs screen driven like a user would, over a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from qms_desktop import kpis, records
from qms_desktop.models import Action, Kpi, Nonconformity, Objective, Person, Reading
from tests.ui.interact import click_row_at
from tests.ui.screens.objectives.test_readings_grid import type_in_cell
from ui.kit.register_screen import RegisterScreen
from ui.screens.objectives import objectives_screen
from ui.screens.objectives.kpi_chart import chart_data
from ui.screens.objectives.objectives_screen import (
    KPIS_TAB,
    OBJECTIVES_TAB,
    READINGS_TAB,
    ObjectivesScreen,
    RaiseActionDialog,
    trend_words,
)


@pytest.fixture
def make_screen(show: Any, store: object) -> Iterator[Any]:
    def make() -> ObjectivesScreen:
        return show(ObjectivesScreen())

    yield make


def _type(qtbot: QtBot, register: RegisterScreen, field: str, text: str) -> None:
    editor = register.form.editor(field)
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, text)


def _choose(register: RegisterScreen, field: str, label: str) -> None:
    combo = register.form.editor(field)
    assert isinstance(combo, QComboBox)
    index = combo.findText(label)
    assert index >= 0, label
    combo.setCurrentIndex(index)


def _click_row(qtbot: QtBot, register: RegisterScreen, text: str) -> None:
    model = register.model
    click_row_at(qtbot, register,
                 next(r for r in range(model.rowCount()) if model.index(r, 0).data() == text))


def _kpi(name: str = "On-time delivery", **values: Any) -> Kpi:
    values = {"unit": "%", "target": 95.0, "warning_threshold": 92.0,
              "failure_threshold": 88.0, "frequency": "monthly", **values}
    return records.create(Kpi, name=name, **values)


def test_trend_words() -> None:
    assert trend_words(kpis.Trend(12, 12, 0.8, "improving")) == "↑ improving over 12 periods"
    assert trend_words(kpis.Trend(6, 6, 0.8, "worsening")) == "↑ worsening over 6 periods"
    assert trend_words(kpis.Trend(3, 3, 0.0, "steady")) == "→ steady over 3 periods"
    assert trend_words(kpis.Trend(3, 1, 0.0, "not enough data")) == (
        "no trend over 3 periods yet (1 of the 3 readings it needs)")
    assert trend_words(kpis.Trend(12, 4, 0.0, "not enough data")) == (
        "no trend over 12 periods yet (4 of the 6 readings it needs)")


def test_a_kpi_with_two_readings_shows_no_trend_and_only_its_own_missing_months(
        qtbot: QtBot, make_screen: Any) -> None:
    kpi = _kpi()
    last = kpis.last_complete_period("monthly")
    two_before = kpis.previous_period(kpis.previous_period(last, "monthly"), "monthly")
    kpis.save_reading(kpi, two_before, 90.0)
    kpis.save_reading(kpi, last, 96.0)
    screen = make_screen()
    screen.show_tab(KPIS_TAB)
    _click_row(qtbot, screen.kpi_register, kpi.name)
    text = screen.kpi_panel.trend_label.text()
    assert "improving" not in text and "steady" not in text
    assert "no trend over 3 periods yet (2 of the 3 readings it needs)" in text
    # Only the month between the two readings is missing, not the year before the KPI began.
    between = kpis.previous_period(last, "monthly")
    assert screen.kpi_panel.missing_label.text() == (
        f"Missing: {kpis.period_label(between, 'monthly')}")


def test_a_year_of_readings_from_the_keyboard(qtbot: QtBot, make_screen: Any) -> None:
    records.create(Person, full_name="Asha Rao")
    screen = make_screen()

    # An objective, through the Objectives tab.
    objectives = screen.objectives
    qtbot.mouseClick(objectives.new_button, Qt.MouseButton.LeftButton)
    _type(qtbot, objectives, "title", "Deliver on time")
    _choose(objectives, "owner", "Asha Rao")
    qtbot.mouseClick(objectives.save_button, Qt.MouseButton.LeftButton)
    objective = Objective.get(Objective.title == "Deliver on time")

    # A monthly KPI that measures it, through the KPIs tab.
    screen.show_tab(KPIS_TAB)
    register = screen.kpi_register
    qtbot.mouseClick(register.new_button, Qt.MouseButton.LeftButton)
    _type(qtbot, register, "name", "On-time delivery")
    _type(qtbot, register, "unit", "%")
    _type(qtbot, register, "target", "95")
    _type(qtbot, register, "warning_threshold", "92")
    _type(qtbot, register, "failure_threshold", "88")
    _choose(register, "objective", "Deliver on time")
    assert register.form.values()["direction"] == "higher"
    assert register.form.values()["frequency"] == "monthly"
    qtbot.mouseClick(register.save_button, Qt.MouseButton.LeftButton)
    kpi = Kpi.get(Kpi.name == "On-time delivery")
    assert kpi.objective_id == objective.id
    _kpi("Right first time", objective=objective)  # a second row to move down to

    # Thirteen months from the keyboard; the fifth is left empty.
    screen.show_tab(READINGS_TAB)
    grid = screen.readings
    periods = kpis.recent_periods("monthly", 13)
    for _ in periods[1:]:
        qtbot.mouseClick(grid.previous_button, Qt.MouseButton.LeftButton)
    assert grid.period == periods[0]
    values = [93, 94, 96, 95, None, 91, 89, 92, 90, 88, 86, 87, 96]
    for number, (period, value) in enumerate(zip(periods, values, strict=True)):
        assert grid.period == period
        assert grid.table.hasFocus()
        assert grid.table.currentIndex().row() == 0  # "On-time delivery" sorts first
        if value is not None:
            editor = type_in_cell(qtbot, grid, str(value))
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            assert grid.table.currentIndex().row() == 1
            qtbot.keyClick(grid.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
            label = kpis.period_label(period, "monthly")
            assert grid.message_label.text() == f"Saved 1 reading for {label}."
        if number < len(periods) - 1:
            qtbot.mouseClick(grid.next_button, Qt.MouseButton.LeftButton)
    assert not grid.next_button.isEnabled()

    stored = dict(
        Reading.select(Reading.period_start, Reading.value)
        .where(Reading.kpi == kpi)
        .tuples()
    )
    skipped = periods[4]
    assert len(stored) == 12
    assert set(stored) == set(periods) - {skipped}
    assert stored[periods[-1]] == 96.0
    assert skipped not in stored

    # The chart breaks the line at the empty month instead of drawing a zero.
    data = chart_data(kpi)
    assert data.missing == [skipped]
    assert [len(run) for run in data.segments] == [4, 8]
    assert all(value != 0 for run in data.segments for _, value in run)
    gap = data.periods.index(skipped)
    assert data.segments[0][-1][0] == gap - 1
    assert data.segments[1][0][0] == gap + 1

    screen.show_tab(KPIS_TAB)
    _click_row(qtbot, register, "On-time delivery")
    chart = screen.kpi_panel.chart
    assert len(chart.reading_series) == 2
    assert [s.count() for s in chart.reading_series] == [4, 8]
    assert set(chart.threshold_series) == {"target", "warning", "failing"}
    assert screen.kpi_panel.chip_label.text() == "On target"
    assert screen.kpi_panel.missing_label.text() == (
        f"Missing: {kpis.period_label(skipped, 'monthly')}"
    )


@pytest.mark.parametrize(
    ("value", "status"), [(85.0, "Failing"), (91.0, "Warning"), (96.0, "On target")]
)
def test_status_chip(qtbot: QtBot, make_screen: Any, value: float, status: str) -> None:
    kpi = _kpi()
    kpis.save_reading(kpi, kpis.recent_periods("monthly", 2)[0], 95.0)
    kpis.save_reading(kpi, kpis.last_complete_period("monthly"), value)
    screen = make_screen()
    screen.show_tab(KPIS_TAB)
    _click_row(qtbot, screen.kpi_register, kpi.name)
    panel = screen.kpi_panel
    assert panel.chip_label.text() == status
    failing = status == "Failing"
    assert panel.action_button.isVisible() == failing
    assert panel.nonconformity_button.isVisible() == failing
    assert panel.trend_label.text().startswith("Trend: ")


def test_raise_action_and_nonconformity_on_a_failing_kpi(
    qtbot: QtBot, make_screen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = records.create(Person, full_name="Ben Okafor")
    kpi = _kpi(owner=owner)
    kpis.save_reading(kpi, kpis.last_complete_period("monthly"), 85.0)
    screen = make_screen()
    screen.show_tab(KPIS_TAB)
    _click_row(qtbot, screen.kpi_register, kpi.name)
    panel = screen.kpi_panel
    assert panel.chip_label.text() == "Failing"

    def fill_in(dialog: RaiseActionDialog) -> int:
        dialog.show()
        assert dialog.owner_combo.currentText() == "Ben Okafor"
        dialog.title_edit.selectAll()
        qtbot.keyClicks(dialog.title_edit, "Find why deliveries slipped")
        dialog.due_edit.line_edit.clear()
        qtbot.keyClicks(dialog.due_edit.line_edit, "2030-01-31")
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        return int(dialog.result())

    monkeypatch.setattr(RaiseActionDialog, "exec", fill_in)
    with qtbot.waitSignal(screen.status_message) as message:
        qtbot.mouseClick(panel.action_button, Qt.MouseButton.LeftButton)
    assert "Find why deliveries slipped" in message.args[0]
    action = Action.get(Action.title == "Find why deliveries slipped")
    assert (action.source_table, action.source_id) == ("kpi", kpi.id)
    assert action.owner_id == owner.id
    assert action.due_on == dt.date(2030, 1, 31)

    monkeypatch.setattr(objectives_screen.QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(panel.nonconformity_button, Qt.MouseButton.LeftButton)
    found = Nonconformity.get()
    assert found.source == "kpi"
    assert kpi.name in found.title

    # A second click does not record the same failure twice.
    told: list[str] = []
    monkeypatch.setattr(objectives_screen.QMessageBox, "information",
                        lambda _parent, _title, text: told.append(text))
    qtbot.mouseClick(panel.nonconformity_button, Qt.MouseButton.LeftButton)
    assert Nonconformity.select().count() == 1
    assert told and found.title in told[0]


def test_raise_action_needs_a_due_date(qtbot: QtBot, store: object) -> None:
    kpi = _kpi()
    dialog = RaiseActionDialog(kpi)
    qtbot.addWidget(dialog)
    dialog.due_edit.line_edit.clear()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.error_label.text() == "Give a due date."
    assert Action.select().count() == 0


def test_thresholds_in_the_wrong_order_are_shown_inline(qtbot: QtBot,
                                                         make_screen: Any) -> None:
    screen = make_screen()
    screen.show_tab(KPIS_TAB)
    register = screen.kpi_register
    screen.new_record()
    _type(qtbot, register, "name", "Scrap rate")
    _choose(register, "direction", "Lower is better")
    _type(qtbot, register, "target", "2")
    _type(qtbot, register, "warning_threshold", "5")
    _type(qtbot, register, "failure_threshold", "4")
    assert not screen.save()
    assert "target ≤ warning ≤ failing" in register.form.error_text("warning_threshold")
    assert Kpi.select().count() == 0
    _type(qtbot, register, "failure_threshold", "6")
    assert screen.save()
    assert Kpi.get().failure_threshold == 6.0


def test_flagged_filter_and_gaps_column(qtbot: QtBot, make_screen: Any) -> None:
    owner = records.create(Person, full_name="Asha Rao")
    due = dt.date.today() + dt.timedelta(days=60)
    sound = records.create(Objective, title="Sound", owner=owner, due_on=due)
    sound_kpi = _kpi(objective=sound)
    for period in kpis.recent_periods("monthly", 2):
        kpis.save_reading(sound_kpi, period, 96.0)
    records.create(Objective, title="Unmeasured", due_on=due)
    screen = make_screen()
    objectives = screen.objectives
    model = objectives.model
    gaps = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Gaps"
    assert gaps == {"Sound": "", "Unmeasured": "not measurable: no KPI; no owner"}
    objectives.filter_combo.setCurrentIndex(objectives.filter_combo.findText("Flagged"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Unmeasured"]
    assert objectives.count_label.text() == "1 objective"


def test_tabs_delegate_and_ask_before_leaving_changes(
    qtbot: QtBot, make_screen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = make_screen()
    assert screen.current_page() is screen.objectives
    screen.new_record()
    _type(qtbot, screen.objectives, "title", "Grow repeat orders")
    assert screen.has_unsaved_changes()
    monkeypatch.setattr(objectives_screen.QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.Cancel)
    screen.show_tab(KPIS_TAB)
    assert screen.tabs.currentIndex() == OBJECTIVES_TAB
    monkeypatch.setattr(objectives_screen.QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.Save)
    screen.show_tab(READINGS_TAB)
    assert screen.tabs.currentIndex() == READINGS_TAB
    assert Objective.get().title == "Grow repeat orders"
    assert not screen.has_unsaved_changes()
    assert screen.readings.stack.currentWidget() is screen.readings.empty_label


def test_every_tab_has_an_empty_state(make_screen: Any) -> None:
    screen = make_screen()
    assert "Press New" in screen.objectives.empty_label.text()
    screen.show_tab(KPIS_TAB)
    assert "Press New" in screen.kpi_register.empty_label.text()
    assert "Choose a KPI" in screen.kpi_panel.empty_label.text()
    screen.show_tab(READINGS_TAB)
    assert "KPIs tab" in screen.readings.empty_label.text()


def test_chart_period_labels_fit_whole_under_the_chart(qtbot: QtBot, show: Any) -> None:
    from ui.screens.objectives.kpi_chart import KpiChart, label_step

    assert label_step(24, 700, 56) == 3  # nine labels fit: every third period
    assert label_step(24, 300, 56) == 6
    assert label_step(6, 2000, 56) == 1
    kpi = _kpi()
    for period in kpis.recent_periods("monthly", 24):
        kpis.save_reading(kpi, period, 95.0)
    chart = show(KpiChart(), (420, 260))
    chart.show_kpi(kpi)
    qtbot.wait(50)
    narrow = chart.shown_labels()
    chart.resize(1200, 260)
    qtbot.wait(50)
    wide = chart.shown_labels()
    assert 1 < len(narrow) < len(wide) <= 12
    assert all(label.startswith("20") and len(label) == 7 for label in narrow + wide)
