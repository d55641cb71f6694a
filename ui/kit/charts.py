"""Qt Charts in the window's palette, so a chart reads in light and dark."""

from __future__ import annotations

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QPainter, QPalette

from ui.kit.theme import blend


def style_chart(chart: QChart, palette: QPalette) -> None:
    """Chart colours from the window's palette, so it reads in light and dark."""
    text = palette.color(QPalette.ColorRole.WindowText)
    base = palette.color(QPalette.ColorRole.Base)
    grid = blend(base, text, 0.15)
    chart.setBackgroundBrush(base)
    chart.setBackgroundRoundness(0)
    chart.setPlotAreaBackgroundVisible(False)
    chart.setTitleBrush(text)
    chart.setMargins(QMargins(6, 6, 6, 6))
    chart.legend().setLabelColor(text)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    for axis in chart.axes():
        axis.setLabelsColor(text)
        axis.setLinePenColor(grid)
        axis.setGridLineColor(grid)
        axis.setTitleBrush(text)


def chart_view(chart: QChart, name: str) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setAccessibleName(name)
    view.setMinimumHeight(180)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return view
