"""A KPI's readings over time, with its target and thresholds, as a Qt chart.

`chart_data` decides what is drawn and is plain Python, so tests can check it: the readings
are split into runs of consecutive periods, and a period with no reading is a gap between two
runs, never a point at zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from qms_desktop import kpis
from qms_desktop.models import Kpi
from ui.kit.theme import NEUTRAL_HUE, blend, chip_style, is_dark

# The most periods one chart shows; older readings stay in the database and the export.
MAX_PERIODS = 24
# Enough for the thresholds and a year's readings to read on a 1024 x 640 laptop.
CHART_MIN_HEIGHT = 160
# Below this height the chart drops the "Period" title and shows fewer values up its side,
# so the values stay whole instead of turning into "…".
SHORT_CHART_HEIGHT = 260
# A legend entry's marker and the gaps around it, in pixels.
LEGEND_MARKER_ROOM = 34
# The most period labels under the chart; fewer when the chart is too narrow for them.
MAX_LABELS = 12
# Space left between two period labels, in pixels.
LABEL_GAP = 18

# Hues for light palettes, then for dark ones: readings, target, warning, failing.
LIGHT_HUES = {"readings": "#2f6fb0", "target": "#2e7d32", "warning": "#b26a00",
              "failing": "#c62828"}
DARK_HUES = {"readings": "#82b1ff", "target": "#81c784", "warning": "#ffb74d",
             "failing": "#ef9a9a"}
STATUS_HUES = {kpis.ON_TARGET: "target", kpis.WARNING: "warning", kpis.FAILING: "failing"}


# --- Colours shared with the readings grid and the status chip -------------------------------


def hue(palette: QPalette, name: str) -> QColor:
    return QColor((DARK_HUES if is_dark(palette) else LIGHT_HUES)[name])


def status_tint(palette: QPalette, status: str) -> QColor | None:
    """A background for a cell of `status` that keeps the palette's text readable."""
    if status not in STATUS_HUES:
        return None
    base = palette.color(QPalette.ColorRole.Base)
    colour = hue(palette, STATUS_HUES[status])
    share = 0.3 if is_dark(palette) else 0.16
    return blend(base, colour, share)


def status_chip_style(palette: QPalette, status: str) -> str:
    """A small rounded label in the colour of `status` (grey for no data)."""
    colour = hue(palette, STATUS_HUES[status]) if status in STATUS_HUES else NEUTRAL_HUE
    return chip_style(palette, colour, bold=True)


# --- What is drawn ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartData:
    periods: list[dt.date]  # the x axis, oldest first; x of a period is its index here
    labels: list[str]  # one per period
    segments: list[list[tuple[int, float]]]  # runs of consecutive readings
    missing: list[dt.date]  # periods on the axis with no reading
    target: float | None
    warning: float | None
    failure: float | None

    @property
    def empty(self) -> bool:
        return not self.segments


def label_step(count: int, width: float, label_width: float) -> int:
    """Label every n-th period so that the labels fit side by side in `width` pixels."""
    fit = max(1, min(MAX_LABELS, int(width // max(1.0, label_width + LABEL_GAP))))
    return max(1, -(-count // fit))


def segments_of(periods: list[dt.date], values: dict[dt.date, float]) -> list[
        list[tuple[int, float]]]:
    """Split the readings into runs: a period without a reading ends a run."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for x, period in enumerate(periods):
        if period in values:
            current.append((x, values[period]))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def chart_data(kpi: Kpi, values: dict[dt.date, float] | None = None,
               today: dt.date | None = None) -> ChartData:
    """The last periods up to the last complete one (or the latest reading, if later)."""
    values = kpis.readings_of(kpi) if values is None else values
    frequency = kpi.frequency
    periods: list[dt.date] = []
    if values:
        end = max(kpis.last_complete_period(frequency, today), max(values))
        period = end
        while len(periods) < MAX_PERIODS and period >= min(values):
            periods.append(period)
            period = kpis.previous_period(period, frequency)
        periods.reverse()
    return ChartData(
        periods=periods,
        labels=[kpis.period_label(p, frequency) for p in periods],
        segments=segments_of(periods, values),
        missing=[p for p in periods if p not in values],
        target=kpi.target,
        warning=kpi.warning_threshold,
        failure=kpi.failure_threshold,
    )


# --- The chart --------------------------------------------------------------------------------


class KpiChart(QChartView):
    """The readings as a line broken at missing periods, with dashed threshold lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(CHART_MIN_HEIGHT)
        self.setAccessibleName("KPI trend chart")
        self.data: ChartData | None = None
        self.reading_series: list[QLineSeries] = []
        self.threshold_series: dict[str, QLineSeries] = {}
        self.x_axis: QCategoryAxis | None = None
        self.y_axis: QValueAxis | None = None
        self._y_range = (0.0, 1.0)
        self._short = False  # whether the y axis has its values for a short chart
        self._unit = ""
        self.setChart(self._new_chart())

    def show_kpi(self, kpi: Kpi | None, values: dict[dt.date, float] | None = None) -> None:
        self.data = chart_data(kpi, values) if kpi is not None else None
        self._unit = kpi.unit if kpi is not None else ""
        old = self.chart()
        self.setChart(self._new_chart())
        old.deleteLater()
        if self.data is not None and not self.data.empty:
            self._draw(self.data)
        description = "No readings to chart." if self.data is None or self.data.empty else (
            f"{len(self.data.periods)} periods from {self.data.labels[0]} to "
            f"{self.data.labels[-1]}; "
            + (f"missing {', '.join(self._missing_labels())}." if self.data.missing
               else "no period missing.")
        )
        self.setAccessibleDescription(description)

    def _missing_labels(self) -> list[str]:
        assert self.data is not None
        return [self.data.labels[self.data.periods.index(p)] for p in self.data.missing]

    def _new_chart(self) -> QChart:
        chart = QChart()
        palette = self.palette()
        chart.setBackgroundBrush(QBrush(palette.color(QPalette.ColorRole.Base)))
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(6, 6, 6, 6))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().setLabelColor(palette.color(QPalette.ColorRole.Text))
        self.reading_series = []
        self.threshold_series = {}
        self.x_axis = None
        self.y_axis = None
        return chart

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_axes()
        self._label_periods()

    def _fit_axes(self) -> None:
        """Fewer values up the side and no "Period" title on a short chart; the thresholds'
        names without their values when the legend would cut them (the form shows them)."""
        if self.x_axis is None or self.y_axis is None:
            return
        metrics = QFontMetrics(self.chart().legend().font())
        whole = sum(metrics.horizontalAdvance(series.property("caption_long") or series.name())
                    + LEGEND_MARKER_ROOM for series in self.threshold_series.values())
        whole += metrics.horizontalAdvance("Readings") + LEGEND_MARKER_ROOM
        narrow = whole > self.width() - 24
        for series in self.threshold_series.values():
            series.setName(series.property("caption_short" if narrow else "caption_long"))
        short = self.height() < SHORT_CHART_HEIGHT
        self.x_axis.setTitleVisible(not short)
        if short != self._short:
            self._short = short
            self.y_axis.setRange(*self._y_range)
            self.y_axis.setTickCount(3 if short else 5)
            self.y_axis.applyNiceNumbers()  # may add a tick for round values

    def shown_labels(self) -> list[str]:
        return list(self.x_axis.categoriesLabels()) if self.x_axis is not None else []

    def _label_periods(self) -> None:
        """Put as many period labels under the chart as fit whole, evenly spaced."""
        data, axis = self.data, self.x_axis
        if data is None or axis is None or not data.periods:
            return
        metrics = QFontMetrics(axis.labelsFont())
        label_width = max(metrics.horizontalAdvance(label) for label in data.labels)
        plot = self.chart().plotArea().width()
        width = plot if plot > 0 else self.viewport().width() - 90
        step = label_step(len(data.periods), width, label_width)
        wanted = [data.labels[x] for x in range(0, len(data.periods), step)]
        if list(axis.categoriesLabels()) == wanted:
            return
        for label in axis.categoriesLabels():
            axis.remove(label)
        for x in range(0, len(data.periods), step):
            axis.append(data.labels[x], x)
        axis.setRange(-0.5, len(data.periods) - 0.5)

    def _draw(self, data: ChartData) -> None:
        chart = self.chart()
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        grid = palette.color(QPalette.ColorRole.Mid)
        grid.setAlpha(90)
        last = len(data.periods) - 1

        x_axis = QCategoryAxis()
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x_axis.setTruncateLabels(False)  # a label is shown whole or not at all
        self.x_axis = x_axis
        self._label_periods()
        x_axis.setRange(-0.5, last + 0.5)
        x_axis.setLabelsColor(text)
        x_axis.setGridLineColor(grid)
        x_axis.setLinePenColor(grid)
        x_axis.setTitleText("Period")
        x_axis.setTitleBrush(QBrush(text))

        y_axis = QValueAxis()
        low, high = self._value_range(data)
        self._y_range = (low, high)
        y_axis.setRange(low, high)
        y_axis.applyNiceNumbers()
        self.y_axis = y_axis
        self._short = False
        y_axis.setLabelFormat("%g")
        y_axis.setLabelsColor(text)
        y_axis.setGridLineColor(grid)
        y_axis.setLinePenColor(grid)
        y_axis.setTitleText(self._unit)
        y_axis.setTitleBrush(QBrush(text))
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        self._fit_axes()

        lines = (("target", "Target", data.target), ("warning", "Warning at", data.warning),
                 ("failing", "Failing at", data.failure))
        for key, caption, value in lines:
            if value is None:
                continue
            series = QLineSeries()
            series.setProperty("caption_long", f"{caption} {value:g}")
            series.setProperty("caption_short", caption.removesuffix(" at"))
            series.setName(f"{caption} {value:g}")
            pen = QPen(hue(palette, key), 1.6, Qt.PenStyle.DashLine)
            series.setPen(pen)
            series.append(QPointF(-0.5, value))
            series.append(QPointF(last + 0.5, value))
            self._attach(series, x_axis, y_axis)
            self.threshold_series[key] = series

        colour = hue(palette, "readings")
        for number, run in enumerate(data.segments):
            series = QLineSeries()
            series.setName("Readings")
            series.setPen(QPen(colour, 2.4))
            series.setColor(colour)
            series.setPointsVisible(True)
            series.setMarkerSize(7)
            for x, value in run:
                series.append(QPointF(x, value))
            self._attach(series, x_axis, y_axis)
            if number:  # one legend entry for all the runs
                for marker in chart.legend().markers(series):
                    marker.setVisible(False)
            self.reading_series.append(series)
        font = QFont(chart.legend().font())
        chart.legend().setFont(font)

    def _attach(self, series: QLineSeries, x_axis: QCategoryAxis, y_axis: QValueAxis) -> None:
        self.chart().addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)

    @staticmethod
    def _value_range(data: ChartData) -> tuple[float, float]:
        values = [v for run in data.segments for _, v in run]
        values += [v for v in (data.target, data.warning, data.failure) if v is not None]
        low, high = min(values), max(values)
        margin = (high - low) * 0.12 or max(abs(high) * 0.1, 1.0)
        return low - margin, high + margin
