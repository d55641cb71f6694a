"""Vector charts for the review pack, drawn with reportlab.graphics from a `Chart`.

Every string names the house font: reportlab.graphics falls back to Helvetica, which is not
embedded and has no "₹" or "Ł". The drawing itself carries the font too, because the
renderer sets the drawing's font on the canvas before anything else is drawn.

Charts are drawn by hand from shapes rather than with reportlab's chart widgets: a missing
period must break the line (not be joined over, nor drop to zero), thresholds are lines of
their own colour, and the output stays small and fast for a pack with dozens of charts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from qms_desktop.reports import fonts, styles
from qms_desktop.review_data import Chart

fonts.register_fonts()

# Series colours, chosen to stay apart in print and for the common colour-vision deficiencies.
SERIES_COLOURS = ("#1F4E79", "#D9822B", "#2A9D8F", "#8E5BA6", "#6B7B2B", "#B5446E")
TARGET_COLOUR = "#2E7D32"
WARNING_COLOUR = "#D08C00"
FAILURE_COLOUR = "#C62828"
AXIS_COLOUR = "#5F6B7A"
GRID_COLOUR = "#E3E8EE"
EMPTY_CELL_COLOUR = "#FFFFFF"

TITLE_SIZE = 8.5
LABEL_SIZE = 7.0
LEGEND_SIZE = 7.0
CELL_SIZE = 8.0

LINE_HEIGHT = 150.0
BAR_HEIGHT = 150.0


def colour(value: str) -> colors.Color:
    return colors.HexColor(value)


# --- Shared helpers: numbers, labels, legend ------------------------------------------------


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high, about `count` of them."""
    if high < low:
        low, high = high, low
    if math.isclose(high, low):
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    if len(ticks) < 2:
        ticks.append(round(first + step, 10))
    return ticks


def format_number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def value_range(chart: Chart) -> tuple[float, float]:
    """The y range: every value and threshold, from zero when zero is not far off."""
    values = [v for series in chart.series.values() for v in series if v is not None]
    values += [v for v in (chart.target, chart.warning, chart.failure) if v is not None]
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    if chart.kind == "bar" or (low >= 0 and low <= (high - low)):
        low = min(low, 0.0)
    if high <= low:
        high = low + 1
    return low, high


def label_step(labels: Sequence[str], slot: float, size: float = LABEL_SIZE) -> int:
    """Show every n-th x label so that none overlap."""
    if not labels:
        return 1
    widest: float = max(stringWidth(label, fonts.REGULAR, size) for label in labels) + 4
    return max(1, math.ceil(widest / max(slot, 1e-6)))


def fit(text: str, width: float, font: str = fonts.REGULAR, size: float = LABEL_SIZE) -> str:
    """`text` shortened with an ellipsis until it fits `width`."""
    if stringWidth(text, font, size) <= width:
        return text
    while len(text) > 1 and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _string(x: float, y: float, text: str, *, size: float = LABEL_SIZE, bold: bool = False,
            anchor: str = "start", fill: str = styles.INK.hexval()) -> String:
    return String(x, y, text, fontName=fonts.BOLD if bold else fonts.REGULAR, fontSize=size,
                  fillColor=colors.HexColor(fill) if isinstance(fill, str) else fill,
                  textAnchor=anchor)


def _new_drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # The renderer starts from the drawing's font: without these it would set Helvetica.
    drawing.initialFontName = fonts.REGULAR
    drawing.initialFontSize = LABEL_SIZE
    return drawing


LegendEntry = tuple[str, str, str]  # label, colour, "line" | "dash" | "box"


def _legend(group: Group, entries: list[LegendEntry], x: float, top: float,
            width: float) -> float:
    """Draw the legend entries flowing left to right; returns the height used."""
    if not entries:
        return 0.0
    row_height = LEGEND_SIZE + 4
    cursor, row = x, 0
    for label, hex_colour, kind in entries:
        # A long name (a KPI's) wraps onto more rows rather than lose its end.
        lines = wrap_words(label, width - 24, LEGEND_SIZE)
        item_width = 14 + max(stringWidth(t, fonts.REGULAR, LEGEND_SIZE) for t in lines) + 10
        if cursor > x and (len(lines) > 1 or cursor + item_width > x + width):
            cursor, row = x, row + 1
        y = top - row * row_height - LEGEND_SIZE
        mid = y + LEGEND_SIZE * 0.35
        if kind == "box":
            group.add(Rect(cursor, y, 8, 7, fillColor=colour(hex_colour), strokeColor=None))
        else:
            group.add(Line(cursor, mid, cursor + 10, mid, strokeColor=colour(hex_colour),
                           strokeWidth=1.6 if kind == "line" else 1.0,
                           strokeDashArray=[3, 2] if kind == "dash" else None))
        for line_number, line in enumerate(lines):
            group.add(_string(cursor + 14, y - line_number * row_height, line,
                              size=LEGEND_SIZE))
        if len(lines) > 1:
            cursor, row = x + width, row + len(lines) - 1
        else:
            cursor += item_width
    return (row + 1) * row_height


def wrap_words(text: str, width: float, size: float = LABEL_SIZE) -> list[str]:
    """`text` in lines no wider than `width`, broken between words (a single word too wide
    for a line is shortened with an ellipsis)."""
    lines: list[str] = []
    for word in text.split() or [""]:
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and stringWidth(joined, fonts.REGULAR, size) <= width:
            lines[-1] = joined
        else:
            lines.append(fit(word, width, size=size))
    return lines


def ordered_series(chart: Chart) -> list[tuple[str, list[float | None]]]:
    """Series by name: a PackData read back from its JSON snapshot has its keys sorted, and
    the pack must come out the same (colours included) before and after."""
    return sorted(chart.series.items())


def threshold_entries(chart: Chart) -> list[tuple[str, float, str]]:
    unit = f" {chart.unit}" if chart.unit else ""
    named = (("Target", chart.target, TARGET_COLOUR),
             ("Warning", chart.warning, WARNING_COLOUR),
             ("Failure", chart.failure, FAILURE_COLOUR))
    return [(f"{name} {format_number(value)}{unit}", value, hexc)
            for name, value, hexc in named if value is not None]


class _Plot:
    """The plot rectangle with its y scale and axis drawn: shared by line and bar charts."""

    def __init__(self, drawing: Drawing, chart: Chart, top: float, bottom: float) -> None:
        low, high = value_range(chart)
        self.ticks = nice_ticks(low, high)
        self.low, self.high = self.ticks[0], self.ticks[-1]
        tick_labels = [format_number(t) for t in self.ticks]
        label_width = max(stringWidth(t, fonts.REGULAR, LABEL_SIZE) for t in tick_labels)
        self.left = label_width + 6 + (10 if chart.unit else 0)
        self.right = drawing.width - 4
        self.bottom = bottom
        self.top = top
        group = Group()
        for tick, label in zip(self.ticks, tick_labels, strict=True):
            y = self.y(tick)
            group.add(Line(self.left, y, self.right, y, strokeColor=colour(GRID_COLOUR),
                           strokeWidth=0.5))
            group.add(_string(self.left - 3, y - 2.4, label, anchor="end",
                              fill=AXIS_COLOUR))
        if chart.unit:
            unit = String(0, 0, fit(chart.unit, self.top - self.bottom),
                          fontName=fonts.REGULAR, fontSize=LABEL_SIZE,
                          fillColor=colour(AXIS_COLOUR), textAnchor="middle")
            turned = Group(unit)
            turned.translate(LABEL_SIZE, (self.top + self.bottom) / 2)
            turned.rotate(90)
            group.add(turned)
        group.add(Line(self.left, self.bottom, self.right, self.bottom,
                       strokeColor=colour(AXIS_COLOUR), strokeWidth=0.7))
        drawing.add(group)

    def y(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.bottom + (value - self.low) / span * (self.top - self.bottom)

    def x_labels(self, drawing: Drawing, labels: Sequence[str], centres: list[float],
                 slot: float) -> None:
        step = label_step(labels, slot)
        last = len(labels) - 1
        for index, (label, x) in enumerate(zip(labels, centres, strict=True)):
            # Thin from the end so the latest period is always labelled.
            if (last - index) % step:
                continue
            shown = fit(label, slot * step - 2)
            drawing.add(_string(x, self.bottom - LABEL_SIZE - 3, shown, anchor="middle",
                                fill=AXIS_COLOUR))


def _header(drawing: Drawing, chart: Chart, entries: list[LegendEntry]) -> float:
    """Title and legend at the top; returns the y where the plot may start."""
    top: float = drawing.height - TITLE_SIZE
    drawing.add(_string(0, top, fit(chart.title, drawing.width, fonts.BOLD, TITLE_SIZE),
                        size=TITLE_SIZE, bold=True))
    legend = Group()
    used = _legend(legend, entries, 0, top - 5, drawing.width)
    drawing.add(legend)
    return top - 5 - used - 8


# --- The three kinds -------------------------------------------------------------------------


def line_chart(chart: Chart, width: float, height: float = LINE_HEIGHT) -> Drawing:
    drawing = _new_drawing(width, height)
    series = ordered_series(chart)
    thresholds = threshold_entries(chart)
    entries: list[LegendEntry] = [
        (name, SERIES_COLOURS[i % len(SERIES_COLOURS)], "line")
        for i, (name, _values) in enumerate(series)
    ]
    entries += [(label, hexc, "dash") for label, _value, hexc in thresholds]
    plot_top = _header(drawing, chart, entries)
    plot = _Plot(drawing, chart, plot_top, LABEL_SIZE + 8)
    count = max(len(chart.labels), 1)
    slot = (plot.right - plot.left) / count
    centres = [plot.left + slot * (i + 0.5) for i in range(count)]
    for _label, level, hexc in thresholds:
        drawing.add(Line(plot.left, plot.y(level), plot.right, plot.y(level),
                         strokeColor=colour(hexc), strokeWidth=1.0,
                         strokeDashArray=[4, 2.5]))
    for index, (_name, values) in enumerate(series):
        stroke = colour(SERIES_COLOURS[index % len(SERIES_COLOURS)])
        run: list[float] = []
        for x, value in zip(centres, values, strict=False):
            if value is None:
                _flush_run(drawing, run, stroke)
                run = []
                continue
            run += [x, plot.y(value)]
            drawing.add(Circle(x, plot.y(value), 1.8, fillColor=stroke, strokeColor=None))
        _flush_run(drawing, run, stroke)
    if not any(v is not None for _name, values in series for v in values):
        drawing.add(_string((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2,
                            "No readings in the period", size=LEGEND_SIZE + 1,
                            anchor="middle", fill=AXIS_COLOUR))
    plot.x_labels(drawing, chart.labels, centres, slot)
    return drawing


def _flush_run(drawing: Drawing, run: list[float], stroke: colors.Color) -> None:
    if len(run) >= 4:
        drawing.add(PolyLine(run, strokeColor=stroke, strokeWidth=1.5, strokeLineJoin=1,
                             strokeLineCap=1))


def named_labels(labels: Sequence[str]) -> bool:
    """Labels that name things (suppliers) rather than periods ("2026-01", "Q1 2026")."""
    return not all(any(ch.isdigit() for ch in label) for label in labels)


BAR_ROW = 12.0


def named_bars(chart: Chart, width: float) -> Drawing:
    """Bars across the page, one row per name with the name whole at its left: upright bars
    could label only every few of thirteen suppliers."""
    series = ordered_series(chart)
    thresholds = threshold_entries(chart)
    entries: list[LegendEntry] = [
        (name, SERIES_COLOURS[i % len(SERIES_COLOURS)], "box")
        for i, (name, _values) in enumerate(series)
    ]
    entries += [(label, hexc, "dash") for label, _value, hexc in thresholds]
    legend_rows = _legend(Group(), entries, 0, 0, width) if entries else 0.0
    axis = LABEL_SIZE + 8
    header = TITLE_SIZE + 5 + legend_rows + 8
    drawing = _new_drawing(width, header + BAR_ROW * len(chart.labels) + axis)
    plot_top = _header(drawing, chart, entries)
    names_width = min(max((stringWidth(n, fonts.REGULAR, LABEL_SIZE) for n in chart.labels),
                          default=0.0) + 6, width * 0.45)
    low, high = value_range(chart)
    ticks = nice_ticks(min(low, 0.0), high)
    left, right = names_width, width - 8
    span = (ticks[-1] - ticks[0]) or 1.0

    def x_of(value: float) -> float:
        return left + (value - ticks[0]) / span * (right - left)

    for tick in ticks:
        drawing.add(Line(x_of(tick), axis, x_of(tick), plot_top,
                         strokeColor=colour(GRID_COLOUR), strokeWidth=0.5))
        drawing.add(_string(x_of(tick), axis - LABEL_SIZE - 2, format_number(tick),
                            anchor="middle", fill=AXIS_COLOUR))
    bar_height = BAR_ROW * 0.72 / max(len(series), 1)
    for row, name in enumerate(chart.labels):
        y_top = plot_top - row * BAR_ROW
        drawing.add(_string(left - 4, y_top - BAR_ROW / 2 - 2.4, fit(name, left - 6),
                            anchor="end"))
        for index, (_name, values) in enumerate(series):
            value = values[row] if row < len(values) else None
            if value is None:
                continue
            y = y_top - BAR_ROW * 0.14 - bar_height * (index + 1)
            drawing.add(Rect(x_of(0.0 if ticks[0] <= 0 else ticks[0]), y,
                             max(x_of(value) - x_of(max(ticks[0], 0.0)), 0.4),
                             bar_height - 0.6, strokeColor=None,
                             fillColor=colour(SERIES_COLOURS[index % len(SERIES_COLOURS)])))
    for _label, value, hexc in thresholds:
        drawing.add(Line(x_of(value), axis, x_of(value), plot_top, strokeColor=colour(hexc),
                         strokeWidth=1.0, strokeDashArray=[4, 2.5]))
    drawing.add(Line(left, axis, left, plot_top, strokeColor=colour(AXIS_COLOUR),
                     strokeWidth=0.7))
    return drawing


def bar_chart(chart: Chart, width: float, height: float = BAR_HEIGHT) -> Drawing:
    if chart.labels and named_labels(chart.labels) and label_step(
            chart.labels, (width - 40) / len(chart.labels)) > 1:
        return named_bars(chart, width)
    drawing = _new_drawing(width, height)
    series = ordered_series(chart)
    thresholds = threshold_entries(chart)
    entries: list[LegendEntry] = [
        (name, SERIES_COLOURS[i % len(SERIES_COLOURS)], "box")
        for i, (name, _values) in enumerate(series)
    ]
    entries += [(label, hexc, "dash") for label, _value, hexc in thresholds]
    plot_top = _header(drawing, chart, entries)
    plot = _Plot(drawing, chart, plot_top, LABEL_SIZE + 8)
    count = max(len(chart.labels), 1)
    slot = (plot.right - plot.left) / count
    group_width = slot * 0.72
    bar_width = group_width / max(len(series), 1)
    zero = plot.y(max(plot.low, 0.0))
    for index, (_name, values) in enumerate(series):
        fill = colour(SERIES_COLOURS[index % len(SERIES_COLOURS)])
        for position, value in enumerate(values[:count]):
            if value is None:
                continue
            x = plot.left + slot * position + (slot - group_width) / 2 + bar_width * index
            top = plot.y(value)
            drawing.add(Rect(x, min(zero, top), max(bar_width - 0.6, 0.4), abs(top - zero),
                             fillColor=fill, strokeColor=None))
    for _label, value, hexc in thresholds:
        drawing.add(Line(plot.left, plot.y(value), plot.right, plot.y(value),
                         strokeColor=colour(hexc), strokeWidth=1.0,
                         strokeDashArray=[4, 2.5]))
    centres = [plot.left + slot * (i + 0.5) for i in range(count)]
    plot.x_labels(drawing, chart.labels, centres, slot)
    return drawing


def heat_map(chart: Chart, width: float) -> Drawing:
    """Before and after treatment side by side; likelihood up the side, impact along."""
    size = max(chart.size, 1)
    gap = 28.0
    axis = 22.0  # room for the likelihood numbers and the turned axis title
    grid_width = (width - gap - 2 * axis) / 2
    cell = min(grid_width / size, 26.0)
    label_room = 3 * (LABEL_SIZE + 2) + 6
    height = TITLE_SIZE + 10 + (TITLE_SIZE + 6) + cell * size + label_room
    drawing = _new_drawing(width, height)
    drawing.add(_string(0, height - TITLE_SIZE, fit(chart.title, width, fonts.BOLD,
                                                     TITLE_SIZE), size=TITLE_SIZE, bold=True))
    bottom = label_room
    pairs = (("Before treatment", chart.cells_before), ("After treatment", chart.cells_after))
    for index, (caption, cells) in enumerate(pairs):
        left = axis + index * (axis + cell * size + gap)
        _grid(drawing, chart, cells, left, bottom, cell, size, caption)
    return drawing


def _grid(drawing: Drawing, chart: Chart, cells: dict[str, int], left: float, bottom: float,
          cell: float, size: int, caption: str) -> None:
    top = bottom + cell * size
    drawing.add(_string(left + cell * size / 2, top + 5, caption, size=TITLE_SIZE - 0.5,
                        bold=True, anchor="middle"))
    for likelihood in range(1, size + 1):
        y = bottom + (likelihood - 1) * cell
        drawing.add(_string(left - 3, y + cell / 2 - 2.5, str(likelihood), anchor="end",
                            fill=AXIS_COLOUR))
        for impact in range(1, size + 1):
            x = left + (impact - 1) * cell
            key = f"{likelihood},{impact}"
            fill = chart.band_colours.get(key, EMPTY_CELL_COLOUR)
            drawing.add(Rect(x, y, cell, cell, fillColor=colour(fill),
                             strokeColor=colors.white, strokeWidth=1.2))
            count = cells.get(key, 0)
            if count:
                drawing.add(_string(x + cell / 2, y + cell / 2 - CELL_SIZE * 0.35,
                                    str(count), size=CELL_SIZE, bold=True, anchor="middle",
                                    fill=_ink_on(fill)))
    turned = Group(String(0, 0, "Likelihood", fontName=fonts.REGULAR, fontSize=LABEL_SIZE,
                          fillColor=colour(AXIS_COLOUR), textAnchor="middle"))
    turned.translate(left - 13, bottom + cell * size / 2)
    turned.rotate(90)
    drawing.add(turned)
    # Impact labels: the given words when they fit a cell, else the numbers with the words
    # under the ends of the scale.
    words = list(chart.labels[:size])
    fits = bool(words) and all(
        stringWidth(w, fonts.REGULAR, LABEL_SIZE - 0.5) <= cell - 1 for w in words)
    for impact in range(1, size + 1):
        x = left + (impact - 0.5) * cell
        shown = words[impact - 1] if fits else str(impact)
        drawing.add(_string(x, bottom - LABEL_SIZE - 2, shown, size=LABEL_SIZE - 0.5,
                            anchor="middle", fill=AXIS_COLOUR))
    line2 = bottom - 2 * (LABEL_SIZE + 2) - 1
    if words and not fits:
        span = cell * size
        drawing.add(_string(left, line2, fit(f"1 = {words[0]}", span / 2 - 2),
                            size=LABEL_SIZE - 0.5, fill=AXIS_COLOUR))
        drawing.add(_string(left + span, line2, fit(f"{size} = {words[-1]}", span / 2 - 2),
                            size=LABEL_SIZE - 0.5, anchor="end", fill=AXIS_COLOUR))
        line2 -= LABEL_SIZE + 2
    drawing.add(_string(left + cell * size / 2, line2, "Impact", anchor="middle",
                        fill=AXIS_COLOUR))


def is_light(hex_colour: str) -> bool:
    """Whether dark text reads better than white on this fill."""
    c = colour(hex_colour)
    return bool(0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue > 0.55)


def _ink_on(hex_colour: str) -> colors.Color:
    return styles.INK if is_light(hex_colour) else colors.white


def draw(chart: Chart, width: float) -> Drawing:
    """The chart as a Drawing `width` points wide."""
    if chart.kind == "heatmap":
        return heat_map(chart, width)
    if chart.kind == "bar":
        return bar_chart(chart, width)
    if chart.kind == "line":
        return line_chart(chart, width)
    raise ValueError(f"unknown chart kind {chart.kind!r}")
