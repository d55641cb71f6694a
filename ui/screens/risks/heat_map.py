"""The risk heat map: a size×size grid coloured by the matrix bands, with a count per cell.

Likelihood runs up the side (lowest at the bottom) and impact along the bottom, as on paper.
A click, or Enter/Space on the keyboard cursor, asks for the register to show that cell.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from qms_desktop.risks import HeatMap, RiskMatrix
from ui.kit.theme import blend

Cell = tuple[int, int]  # (likelihood, impact), both from 1

CELL_MIN_WIDTH = 40
CELL_MAX_WIDTH = 84
CELL_MIN_HEIGHT = 24  # a count still reads; the list below gets the room on a short window
CELL_MAX_HEIGHT = 46
LABEL_MAX_CHARS = 16  # the likelihood labels' room, in average characters
GAP = 3  # between cells: the window shows through as a grid line
EMPTY_TINT = 0.30  # how much of the band colour an empty cell keeps


def readable_text_colour(background: QColor) -> QColor:
    """Black or white, whichever reads better on `background` (WCAG relative luminance)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * channel(background.red())
        + 0.7152 * channel(background.green())
        + 0.0722 * channel(background.blue())
    )
    return QColor("#1b1b1b") if luminance > 0.22 else QColor("#ffffff")


class HeatMapGrid(QWidget):
    """The painted grid. `cell_rect` tells where a cell is (tests click its centre)."""

    cell_activated = Signal(int, int)  # likelihood, impact

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix = RiskMatrix.default(5)
        self._counts: dict[Cell, int] = {}
        self._noun = ("risk", "risks")
        self._kind = "risk"
        self._cursor: Cell = (1, 1)
        self._selected: Cell | None = None
        self._hover: Cell | None = None
        self._stagger = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        # Cells from their least to their largest height, as the splitter above the list
        # gives the room; never taller than the largest cells.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Heat map")
        self._update_accessible_text()

    # --- Data -------------------------------------------------------------------------------

    def set_data(self, matrix: RiskMatrix, counts: dict[Cell, int], noun: tuple[str, str],
                 kind: str = "risk") -> None:
        size_changed = matrix.size != self._matrix.size
        self._matrix = matrix
        self._counts = dict(counts)
        self._noun = noun
        self._kind = kind
        if size_changed:
            self._cursor = (1, 1)
            self._selected = None
        self.updateGeometry()
        self._fit_height()
        self._update_accessible_text()
        self.update()

    def set_selected(self, cell: Cell | None) -> None:
        self._selected = cell
        if cell is not None:
            self._cursor = cell
        self._update_accessible_text()
        self.update()

    def selected(self) -> Cell | None:
        return self._selected

    def cursor_cell(self) -> Cell:
        return self._cursor

    def count(self, likelihood: int, impact: int) -> int:
        return self._counts.get((likelihood, impact), 0)

    def cell_label(self, likelihood: int, impact: int) -> str:
        """"Likely × Major": the cell's name in the matrix's own words."""
        matrix = self._matrix
        return f"{matrix.likelihood_labels[likelihood - 1]} × {matrix.impact_labels[impact - 1]}"

    def cell_description(self, likelihood: int, impact: int) -> str:
        """"Likely × Major: 3 risks, High" (the tooltip and the accessible text)."""
        number = self.count(likelihood, impact)
        noun = self._noun[0] if number == 1 else self._noun[1]
        band = self._matrix.band(likelihood * impact)
        band_text = f", {band.label}" if band is not None else ""
        return f"{self.cell_label(likelihood, impact)}: {number} {noun}{band_text}"

    # --- Geometry ---------------------------------------------------------------------------

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        return font

    def _left_margin(self) -> int:
        """Room for the axis title and the likelihood labels."""
        metrics = QFontMetrics(self._label_font())
        widest = max(metrics.horizontalAdvance(t) for t in self._matrix.likelihood_labels)
        # A long custom label is elided when drawn rather than pushing the grid aside.
        widest = min(widest, metrics.horizontalAdvance("x") * LABEL_MAX_CHARS)
        return metrics.height() + 8 + widest + 10  # axis title, labels, gap

    def _cell_width(self) -> int:
        n = self._matrix.size
        width = (self.width() - self._left_margin() - 4) // n
        return max(min(width, CELL_MAX_WIDTH), 12)

    def staggered(self, cell_width: int | None = None) -> bool:
        """Whether the impact labels take two rows, every other one on the lower row: then
        each has two columns' width, where one column is too narrow for the longest."""
        width = self._cell_width() if cell_width is None else cell_width
        metrics = QFontMetrics(self._label_font())
        return any(metrics.horizontalAdvance(t) > width for t in self._matrix.impact_labels)

    def _margins(self, cell_width: int | None = None) -> tuple[int, int]:
        """(left, bottom): room for the likelihood labels and the impact labels (one row or
        two, then the axis title)."""
        height = QFontMetrics(self._label_font()).height()
        rows = 3 if self.staggered(cell_width) else 2
        return self._left_margin(), height * rows + 12

    def _cell_size(self) -> tuple[int, int]:
        width = self._cell_width()
        _left, bottom = self._margins(width)
        n = self._matrix.size
        height = (self.height() - bottom - 4) // n
        return width, max(min(height, CELL_MAX_HEIGHT), 12)

    def _grid_origin(self) -> QPoint:
        left, _bottom = self._margins()
        return QPoint(left, 4)

    def cell_rect(self, likelihood: int, impact: int) -> QRect:
        """Where the cell is drawn, in widget coordinates."""
        width, height = self._cell_size()
        origin = self._grid_origin()
        row = self._matrix.size - likelihood  # the lowest likelihood at the bottom
        return QRect(
            origin.x() + (impact - 1) * width + GAP // 2,
            origin.y() + row * height + GAP // 2,
            width - GAP,
            height - GAP,
        )

    def cell_at(self, point: QPoint) -> Cell | None:
        n = self._matrix.size
        for likelihood in range(1, n + 1):
            for impact in range(1, n + 1):
                if self.cell_rect(likelihood, impact).adjusted(-2, -2, 2, 2).contains(point):
                    return likelihood, impact
        return None

    def sizeHint(self) -> QSize:
        left, bottom = self._margins()
        n = self._matrix.size
        return QSize(left + n * 68 + 4, bottom + n * 40 + 8)

    def minimumSizeHint(self) -> QSize:
        left, bottom = self._margins()
        n = self._matrix.size
        return QSize(left + n * CELL_MIN_WIDTH + 4, bottom + n * CELL_MIN_HEIGHT + 4)

    def _fit_height(self) -> None:
        """No taller than the largest cells need (a taller grid would only add empty room);
        the bottom margin follows whether the labels stagger at the width now."""
        stagger = self.staggered()
        if stagger != self._stagger:
            self._stagger = stagger
            self.updateGeometry()
        self.setMaximumHeight(self._margins()[1] + self._matrix.size * CELL_MAX_HEIGHT + 8)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def axis_label_rects(self) -> list[tuple[QRect, str, str]]:
        """Where each axis label is drawn: (area, the label as drawn, its whole text); the
        likelihood labels first, lowest at the bottom, then the impact labels."""
        n = self._matrix.size
        metrics = QFontMetrics(self._label_font())
        width, height = self._cell_size()
        origin = self._grid_origin()
        title_width = metrics.height() + 8
        found = []
        for likelihood in range(1, n + 1):
            rect = self.cell_rect(likelihood, 1)
            area = QRect(title_width, rect.top(), origin.x() - title_width - 8, rect.height())
            text = self._matrix.likelihood_labels[likelihood - 1]
            found.append((area, metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                   area.width()), text))
        stagger = self.staggered(width)
        grid_bottom = origin.y() + n * height
        for impact in range(1, n + 1):
            rect = self.cell_rect(1, impact)
            room = width * 2 - GAP if stagger else width
            # The last label may not reach past the widget's edge.
            room = min(room, 2 * (self.width() - rect.center().x()) - 2)
            lower = stagger and impact % 2 == 0
            area = QRect(rect.center().x() - room // 2,
                         grid_bottom + 2 + (metrics.height() if lower else 0),
                         room, metrics.height())
            text = self._matrix.impact_labels[impact - 1]
            found.append((area, metrics.elidedText(text, Qt.TextElideMode.ElideRight,
                                                   area.width()), text))
        return found

    def _label_at(self, point: QPoint) -> str:
        """The whole text of a cut axis label under `point` (its tooltip), or ""."""
        for area, shown, text in self.axis_label_rects():
            if shown != text and area.contains(point):
                return text
        return ""

    # --- Painting ---------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        ground = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = blend(ground, text, 0.65)
        n = self._matrix.size
        count_font = QFont(self.font())
        count_font.setBold(True)
        count_font.setPointSizeF(count_font.pointSizeF() * 1.1)

        for likelihood in range(1, n + 1):
            for impact in range(1, n + 1):
                rect = QRectF(self.cell_rect(likelihood, impact))
                colour = QColor(self._matrix.colour(likelihood * impact, self._kind) or "#888888")
                number = self.count(likelihood, impact)
                fill = colour if number else blend(ground, colour, EMPTY_TINT)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawRoundedRect(rect, 4, 4)
                if number:
                    painter.setPen(readable_text_colour(fill))
                    painter.setFont(count_font)
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(number))
                if (likelihood, impact) == self._selected:
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.setPen(QPen(text, 3))
                    painter.drawRoundedRect(rect.adjusted(1.5, 1.5, -1.5, -1.5), 4, 4)
                elif (likelihood, impact) == self._hover:
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.setPen(QPen(blend(ground, text, 0.5), 1.5))
                    painter.drawRoundedRect(rect.adjusted(0.75, 0.75, -0.75, -0.75), 4, 4)
                if self.hasFocus() and (likelihood, impact) == self._cursor:
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
                    pen.setStyle(Qt.PenStyle.DashLine)
                    painter.setPen(pen)
                    painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 5, 5)
        self._paint_axes(painter, text, muted)
        painter.end()

    def _paint_axes(self, painter: QPainter, text: QColor, muted: QColor) -> None:
        n = self._matrix.size
        label_font = self._label_font()
        metrics = QFontMetrics(label_font)
        painter.setFont(label_font)
        width, height = self._cell_size()
        origin = self._grid_origin()
        painter.setPen(text)
        for index, (area, shown, _whole) in enumerate(self.axis_label_rects()):
            align = (Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter if index < n
                     else Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            painter.drawText(area, align, shown)
        rows = 2 if self.staggered(width) else 1
        grid_bottom = origin.y() + n * height
        # Axis titles, in the muted colour so the labels lead.
        painter.setPen(muted)
        impact_area = QRect(origin.x(), grid_bottom + metrics.height() * rows + 4, n * width,
                            metrics.height())
        painter.drawText(impact_area, Qt.AlignmentFlag.AlignHCenter, "Impact →")
        painter.save()
        painter.translate(2, origin.y() + n * height / 2)
        painter.rotate(-90)
        painter.drawText(
            QRect(-n * height // 2, 0, n * height, metrics.height()),
            Qt.AlignmentFlag.AlignHCenter,
            "Likelihood →",
        )
        painter.restore()

    # --- Events -----------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            label = self._label_at(event.pos()) if cell is None else ""
            if label:
                QToolTip.showText(event.globalPos(), label, self)
            elif cell is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.cell_description(*cell), self,
                                  self.cell_rect(*cell))
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell != self._hover:
            self._hover = cell
            self.setCursor(Qt.CursorShape.PointingHandCursor if cell else
                           Qt.CursorShape.ArrowCursor)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and cell is not None:
            self._cursor = cell
            self._update_accessible_text()
            self.cell_activated.emit(*cell)
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        likelihood, impact = self._cursor
        n = self._matrix.size
        key = event.key()
        moves = {
            Qt.Key.Key_Up: (1, 0),
            Qt.Key.Key_Down: (-1, 0),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Left: (0, -1),
        }
        if key in moves:
            step_l, step_i = moves[Qt.Key(key)]
            self._cursor = (
                min(max(likelihood + step_l, 1), n),
                min(max(impact + step_i, 1), n),
            )
            self._update_accessible_text()
            self.update()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.cell_activated.emit(*self._cursor)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def _update_accessible_text(self) -> None:
        likelihood, impact = self._cursor
        if likelihood > self._matrix.size or impact > self._matrix.size:
            return
        self.setAccessibleDescription(
            f"{self.cell_description(likelihood, impact)}. Arrow keys move between cells; "
            "Enter shows that cell's entries in the list."
        )


class HeatMapWidget(QWidget):
    """The grid with its Before treatment / After treatment toggle, and a disclosure button
    that folds the grid away when the list needs the room (a short window)."""

    cell_activated = Signal(int, int, bool)  # likelihood, impact, after treatment
    residual_changed = Signal(bool)
    folded_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Risk heat map")
        self._heat_map: HeatMap | None = None
        self._kind = "risk"
        self.before_button = QPushButton("Before treatment")
        self.after_button = QPushButton("After treatment")
        self.before_button.setAccessibleName("Show scores before treatment")
        self.after_button.setAccessibleName("Show scores after treatment")
        self.before_button.setToolTip("Where the entries sit as first rated (inherent)")
        self.after_button.setToolTip("Where the entries sit after their treatment (residual); "
                                     "untreated ones stay where they were")
        self.toggle = QButtonGroup(self)
        self.toggle.setExclusive(True)
        for button in (self.before_button, self.after_button):
            button.setCheckable(True)
            button.setAutoDefault(False)
            self.toggle.addButton(button)
        self.before_button.setChecked(True)
        # One segmented control: the chosen half takes the selection colour in any palette.
        segment = (
            "QPushButton {{ border: 1px solid palette(mid); padding: 4px 14px;"
            " background: palette(button); color: palette(button-text); {corners} }}"
            "QPushButton:checked {{ background: palette(highlight);"
            " color: palette(highlighted-text); border-color: palette(highlight); }}"
            "QPushButton:focus {{ border: 2px solid palette(highlight); }}"
        )
        self.before_button.setStyleSheet(segment.format(
            corners="border-top-left-radius: 5px; border-bottom-left-radius: 5px;"
        ))
        self.after_button.setStyleSheet(segment.format(
            corners="border-top-right-radius: 5px; border-bottom-right-radius: 5px;"
            " border-left: none;"
        ))
        self.grid = HeatMapGrid()
        self.fold_button = QToolButton()
        self.fold_button.setCheckable(True)
        self.fold_button.setAutoRaise(True)
        self.fold_button.setText("Heat map")
        self.fold_button.setAccessibleName("Fold the heat map away")
        self.fold_button.toggled.connect(self.set_folded)
        self.set_folded(False)

        toggle_row = QHBoxLayout()
        toggle_row.setSpacing(0)
        toggle_row.addWidget(self.fold_button)
        toggle_row.addSpacing(4)
        toggle_row.addWidget(self.before_button)
        toggle_row.addWidget(self.after_button)
        toggle_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(toggle_row)
        layout.addWidget(self.grid, 1)

        self.after_button.toggled.connect(self._toggled)
        self.grid.cell_activated.connect(self._cell_activated)

    def is_residual(self) -> bool:
        return self.after_button.isChecked()

    def is_folded(self) -> bool:
        return self.fold_button.isChecked()

    def set_folded(self, folded: bool) -> None:
        """Fold the grid and its toggle away (the list below gets the room) or show them."""
        if self.fold_button.isChecked() != folded:
            self.fold_button.setChecked(folded)  # comes back here through `toggled`
            return
        self.fold_button.setArrowType(Qt.ArrowType.RightArrow if folded else
                                      Qt.ArrowType.DownArrow)
        # Open, the map shows what the arrow folds; folded, the button says what it opens.
        # (Beside the treatment toggle its name would not fit a 1024-wide window.)
        self.fold_button.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon if folded else
            Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.fold_button.setToolTip("Show the heat map" if folded else
                                    "Fold the heat map away to give the list more room")
        self.fold_button.setAccessibleName("Show the heat map" if folded else
                                           "Fold the heat map away")
        for part in (self.grid, self.before_button, self.after_button):
            part.setVisible(not folded)
        self.folded_changed.emit(folded)

    def set_heat_map(self, heat_map: HeatMap, matrix: RiskMatrix, noun: tuple[str, str],
                     kind: str = "risk") -> None:
        self._heat_map = heat_map
        self._matrix = matrix
        self._noun = noun
        self._kind = kind
        self._show()

    def count(self, likelihood: int, impact: int) -> int:
        """The count shown in a cell in the current view."""
        return self.grid.count(likelihood, impact)

    def _show(self) -> None:
        if self._heat_map is None:
            return
        counts = self._heat_map.residual if self.is_residual() else self._heat_map.inherent
        self.grid.set_data(self._matrix, counts, self._noun, self._kind)

    def _toggled(self, _checked: bool) -> None:
        self._show()
        self.residual_changed.emit(self.is_residual())

    def _cell_activated(self, likelihood: int, impact: int) -> None:
        self.cell_activated.emit(likelihood, impact, self.is_residual())
