"""Objectives and KPIs on a small laptop: the chart shares the height with the KPI list,
and a short or narrow chart keeps its values and threshold names whole."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QScrollArea, QSplitter

from qms_desktop import kpis, records
from qms_desktop.models import Kpi
from ui.screens.objectives.kpi_chart import SHORT_CHART_HEIGHT, KpiChart
from ui.screens.objectives.objectives_screen import (
    KPI_LIST_MIN_HEIGHT,
    KPIS_TAB,
    ObjectivesScreen,
)

# What a 1024 x 640 window leaves a screen: beside the sidebar, between menu and status bars.
SMALL = (800, 520)


@pytest.fixture
def kpi(store: object) -> Kpi:
    found = records.create(Kpi, name="Average days to close a nonconformity on the shop floor",
                           unit="days", target=45.0, warning_threshold=60.0,
                           failure_threshold=75.0, frequency="monthly")
    for period in kpis.recent_periods("monthly", 12):
        kpis.save_reading(found, period, 40.0 + period.month)
    return found


def test_the_kpi_list_and_chart_share_a_short_window(qtbot, show: Any, kpi: Kpi) -> None:  # type: ignore[no-untyped-def]
    screen = show(ObjectivesScreen(), SMALL)
    screen.show_tab(KPIS_TAB)
    register = screen.kpi_register
    assert register.show_record(kpi.id)
    qtbot.waitUntil(lambda: screen.kpi_panel.kpi is not None)
    # The screen is no taller than the window, with the list and the chart each in view.
    qtbot.waitUntil(lambda: screen.height() == SMALL[1])
    assert screen.minimumSizeHint().height() <= SMALL[1]
    split = register.list_splitter
    assert isinstance(split, QSplitter) and split.orientation().name == "Vertical"
    assert register.list_stack.height() >= KPI_LIST_MIN_HEIGHT
    area = split.widget(1)
    assert isinstance(area, QScrollArea)  # the chart's texts scroll rather than push
    assert screen.kpi_panel.chart.isVisible()
    # The long name is cut beside its status, whole in its tooltip.
    heading = screen.kpi_panel.heading_label
    qtbot.waitUntil(lambda: heading.full_text() == kpi.name)
    if heading.is_elided():
        assert heading.toolTip() == kpi.name


def test_a_short_narrow_chart_keeps_its_values_and_names_whole(qtbot, show: Any, kpi: Kpi) -> None:  # type: ignore[no-untyped-def]
    chart = show(KpiChart(), (900, 420))
    chart.show_kpi(kpi)
    assert chart.x_axis is not None and chart.y_axis is not None
    names = sorted(series.name() for series in chart.threshold_series.values())
    assert names == ["Failing at 75", "Target 45", "Warning at 60"]
    assert chart.x_axis.isTitleVisible()
    tall_ticks = chart.y_axis.tickCount()

    chart.resize(360, SHORT_CHART_HEIGHT - 60)
    qtbot.waitUntil(lambda: not chart.x_axis.isTitleVisible())
    assert chart.y_axis.tickCount() < tall_ticks
    names = sorted(series.name() for series in chart.threshold_series.values())
    assert names == ["Failing", "Target", "Warning"]

    chart.resize(900, 420)
    qtbot.waitUntil(chart.x_axis.isTitleVisible)
    assert chart.y_axis.tickCount() == tall_ticks
    assert "Warning at 60" in [series.name() for series in chart.threshold_series.values()]
