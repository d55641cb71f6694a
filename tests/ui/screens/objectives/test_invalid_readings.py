"""A reading stored as text or infinity by another program shows as invalid in the window.

The readings grid says "invalid" and lets the user type the real value over it; the KPI
chart draws the valid readings and leaves the invalid one out.
"""

from __future__ import annotations

import math
import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qms_desktop import db, kpis, records
from qms_desktop.models import Kpi
from ui.screens.objectives.kpi_chart import KpiChart, chart_data
from ui.screens.objectives.readings_grid import VALUE_COLUMN, ReadingsGrid


def _store_behind_the_rules(store: db.Store, kpi: Kpi, value: Any) -> None:
    """What another program (or an old version) might have left in the file."""
    period = kpis.last_complete_period("monthly")
    kpis.save_reading(kpi, period, 93.0)
    with sqlite3.connect(store.path) as other:
        other.execute("UPDATE reading SET value = ? WHERE kpi_id = ? AND period_start = ?",
                      (value, kpi.id, period.isoformat()))
    other.close()


def _kpi() -> Kpi:
    return records.create(Kpi, name="On time", target=95.0, warning_threshold=92.0,
                          failure_threshold=88.0, frequency="monthly")


@pytest.mark.parametrize("value", ["abc", math.inf, "NaN"])
def test_the_grid_shows_an_invalid_reading_and_takes_a_real_one_over_it(
    qtbot: QtBot, show: Any, store: db.Store, value: Any
) -> None:
    kpi = _kpi()
    _store_behind_the_rules(store, kpi, value)
    grid = show(ReadingsGrid(), (1000, 600))
    assert grid.model.index(0, VALUE_COLUMN).data() == "invalid"
    assert grid.model.index(0, VALUE_COLUMN + 1).data() == "Invalid reading"
    assert "not a number" in grid.model.index(0, VALUE_COLUMN).data(
        Qt.ItemDataRole.ToolTipRole)
    assert not grid.has_unsaved_changes()

    grid.focus_first_cell()
    qtbot.keyClick(grid.table, "9")
    editor = grid.delegate.editor
    assert editor is not None
    qtbot.keyClicks(editor, "4")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    with qtbot.waitSignal(grid.status_message):
        qtbot.keyClick(grid.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert kpis.readings_of(kpi) == {grid.period: 94.0}
    assert kpis.invalid_readings(kpi) == []


def test_the_chart_leaves_an_invalid_reading_out(qtbot: QtBot, show: Any,
                                                 store: db.Store) -> None:
    kpi = _kpi()
    earlier = kpis.recent_periods("monthly", 3)[0]
    kpis.save_reading(kpi, earlier, 91.0)
    _store_behind_the_rules(store, kpi, math.inf)
    data = chart_data(kpi)
    assert all(math.isfinite(v) for v in kpis.readings_of(kpi).values())
    assert data is not None
    chart = show(KpiChart(), (420, 260))
    chart.show_kpi(kpi)  # draws the valid reading; the infinite one would break the axis
    qtbot.waitUntil(lambda: bool(chart.shown_labels()))
