"""Suppliers (8.4): the register, who is due for re-evaluation, each supplier's evaluations and
its score per quarter.

The register is the generic register screen over `support_registers.SUPPLIERS`; this screen
adds the re-evaluation banner above the list and the chosen supplier's evaluations below it.
An evaluation goes through `suppliers.evaluate`, which also sets the next re-evaluation date.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, organisation, suppliers
from qms_desktop.models import Person, Supplier
from qms_desktop.support_registers import SUPPLIERS
from ui.kit.form_dialog import FormDialog
from ui.kit.header import title_font
from ui.kit.live import ChangeSource
from ui.kit.permission import hold_refused, write_refusal
from ui.kit.pickers import people_choices
from ui.kit.register_screen import RegisterScreen
from ui.kit.tables import AnyIndex, LateDateDelegate, cell_date, column_of
from ui.kit.widgets import muted_label

LIST_MIN_ROWS = 6  # rows of the list the evaluations leave on a short window
EVALUATION_COLUMNS = ("Evaluated on", "Quality", "Delivery", "Price", "Responsiveness", "Score",
                      "Evaluated by", "Notes")


def banner_text(count: int) -> str:
    if count == 1:
        return "1 supplier is due for re-evaluation."
    return f"{count} suppliers are due for re-evaluation."


class TrendChart(QChartView):
    """Average score per quarter, 1 to 5; a quarter without an evaluation is a gap, not zero."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName("Score per quarter")
        # Short enough to leave the list its rows on a 640-high window; the axis keeps 1 to 5.
        self.setMinimumHeight(140)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.segments: list[list[tuple[str, float]]] = []

    def show_trend(self, trend: list[suppliers.QuarterScore]) -> None:
        chart = QChart()
        chart.legend().hide()
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = palette.color(QPalette.ColorRole.Mid)
        accent = palette.color(QPalette.ColorRole.Highlight)
        if palette.color(QPalette.ColorRole.Window).lightness() < 128:
            accent = accent.lighter(140)
        # "Q3 '25": short enough to stay readable when many quarters are shown.
        labels = [f"Q{(q.quarter.month - 1) // 3 + 1} '{q.quarter.year % 100:02d}" for q in trend]
        x_axis = QCategoryAxis()
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x_axis.setRange(-0.5, len(labels) - 0.5)
        for position, label in enumerate(labels):
            x_axis.append(label, position)
        # Narrow quarters would only show "…": then the caption names the range instead.
        x_axis.setLabelsVisible(len(labels) <= 5)
        first, last = trend[0].label, trend[-1].label
        # Beside the evaluations the chart may be narrow and a long title is cut: the range
        # goes in the tooltip.
        chart.setTitle("Score per quarter" if trend else "")
        self.setToolTip(f"Average score per quarter, {first} to {last}" if trend else "")
        chart.setTitleBrush(text)
        y_axis = QValueAxis()
        y_axis.setRange(suppliers.MIN_SCORE, suppliers.MAX_SCORE)
        y_axis.setTickCount(suppliers.MAX_SCORE - suppliers.MIN_SCORE + 1)
        y_axis.setLabelFormat("%.0f")
        for axis in (x_axis, y_axis):
            axis.setLabelsColor(text)
            axis.setGridLineColor(grid)
            axis.setLinePenColor(grid)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

        # One line per run of quarters with evaluations, so a missing quarter breaks the line.
        self.segments = []
        run: list[tuple[str, float]] = []
        points = QScatterSeries()
        points.setMarkerSize(9)
        points.setColor(accent)
        points.setBorderColor(accent)
        for index, quarter in enumerate(trend):
            if quarter.average is None:
                if run:
                    self.segments.append(run)
                run = []
                continue
            run.append((labels[index], quarter.average))
            points.append(index, quarter.average)
        if run:
            self.segments.append(run)
        positions = {label: i for i, label in enumerate(labels)}
        for segment in self.segments:
            line = QLineSeries()
            line.setPen(QPen(QColor(accent), 2.5))
            for label, average in segment:
                line.append(positions[label], average)
            chart.addSeries(line)
            line.attachAxis(x_axis)
            line.attachAxis(y_axis)
        chart.addSeries(points)
        points.attachAxis(x_axis)
        points.attachAxis(y_axis)
        self.setChart(chart)
        described = ", ".join(
            f"{q.label}: {q.average:.2f}" if q.average is not None else f"{q.label}: none"
            for q in trend
        )
        self.setAccessibleDescription(f"Average score per quarter. {described}")


class SuppliersScreen(RegisterScreen):
    """The suppliers register with evaluations, the trend and the re-evaluation banner."""

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(SUPPLIERS, parent, changes=changes)
        self.dialog: FormDialog | None = None
        self._supplier: Supplier | None = None

        due = column_of(SUPPLIERS, "reevaluation_due_on")

        def late(index: AnyIndex) -> bool:
            day = cell_date(index, due)
            return index.column() == due and day is not None and day <= clock.today()

        self.table.setItemDelegate(LateDateDelegate(late, self.table))

        self._build_due_banner()
        self._build_evaluations()
        self.add_above_list(self.due_banner)
        # The evaluations under the list with a handle between them: on a short window the
        # list keeps LIST_MIN_ROWS rows to choose from (`_share_height`), the rest is theirs.
        self.list_split = self.split_list(self.evaluations_panel, above=False)
        self.list_split.setStretchFactor(0, 1)
        self.list_split.setStretchFactor(1, 1)
        self.list_split.splitterMoved.connect(self._height_chosen)
        self.list_split.installEventFilter(self)
        self._height_set_by_user = False
        self._share_timer = QTimer(self)
        self._share_timer.setSingleShot(True)
        self._share_timer.setInterval(0)
        self._share_timer.timeout.connect(self._share_height)

        self.splitter.setSizes([860, 400])
        self.record_shown.connect(self._show_supplier)
        self.form.saved.connect(self._follow_criticality)
        self.due_button.clicked.connect(self.show_due)
        self.evaluate_button.clicked.connect(self.evaluate)
        self._refresh_banner()
        self._show_supplier(self.form.record)

    # --- Building --------------------------------------------------------------------------

    def _build_due_banner(self) -> None:
        self.due_banner = QFrame()
        self.due_banner.setObjectName("dueBanner")
        self.due_banner.setAccessibleName("Suppliers due for re-evaluation")
        self.due_banner.setStyleSheet(
            "QFrame#dueBanner { background: palette(base); border: 1px solid palette(mid);"
            " border-left: 4px solid #d08a00; border-radius: 6px; }"
        )
        self.due_label = QLabel()
        self.due_label.setWordWrap(True)
        self.due_button = QPushButton("Show &due")
        self.due_button.setAccessibleName("Show suppliers due for re-evaluation")
        row = QHBoxLayout(self.due_banner)
        row.setContentsMargins(14, 8, 8, 8)
        row.addWidget(self.due_label, 1)
        row.addWidget(self.due_button)

    def _build_evaluations(self) -> None:
        self.evaluations_panel = QWidget()
        self.evaluations_panel.setAccessibleName("Evaluations of the chosen supplier")
        layout = QVBoxLayout(self.evaluations_panel)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self.evaluations_title = QLabel("Evaluations")
        self.evaluations_title.setFont(title_font(self.evaluations_title.font(), 1.1))
        self.evaluate_button = QPushButton("E&valuate…")
        self.evaluate_button.setAccessibleName("Evaluate the supplier")
        self.evaluate_button.setToolTip("Score quality, delivery, price and responsiveness")
        top.addWidget(self.evaluations_title, 1)
        top.addWidget(self.evaluate_button)
        # The register's line under New already says why; Evaluate… names its own table.
        self.evaluate_refusal = write_refusal("supplier_evaluation")
        hold_refused(self.evaluate_refusal, self.evaluate_button)
        layout.addLayout(top)

        self.evaluations_table = QTableWidget(0, len(EVALUATION_COLUMNS))
        self.evaluations_table.setHorizontalHeaderLabels(list(EVALUATION_COLUMNS))
        self.evaluations_table.setAccessibleName("Evaluations")
        self.evaluations_table.verticalHeader().hide()
        self.evaluations_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.evaluations_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.evaluations_table.setAlternatingRowColors(True)
        self.evaluations_table.setShowGrid(False)
        self.evaluations_table.setTabKeyNavigation(False)
        self.evaluations_table.horizontalHeader().setStretchLastSection(True)
        self.evaluations_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.evaluations_table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.trend_chart = TrendChart()
        self.no_evaluations = muted_label()
        self.no_evaluations.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.evaluation_stack = QStackedWidget()
        both = QWidget()
        row = QHBoxLayout(both)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.evaluations_table, 3)
        row.addWidget(self.trend_chart, 2)
        self.evaluation_stack.addWidget(both)
        self.evaluation_stack.addWidget(self.no_evaluations)
        layout.addWidget(self.evaluation_stack, 1)

    # --- Sharing the height between the list and the evaluations ---------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # (The register screen filters its table's events from before the splitter exists.)
        if watched is getattr(self, "list_split", None) \
                and event.type() == QEvent.Type.Resize and not self._height_set_by_user:
            # Once the splitter has shared its new height out itself (it does after this).
            self._share_timer.start()
        return super().eventFilter(watched, event)

    def _height_chosen(self, *_args: object) -> None:
        self._height_set_by_user = True

    def _share_height(self) -> None:
        """The list gets at least LIST_MIN_ROWS rows, more while the evaluations keep the
        height they like; the evaluations never less than they need."""
        split = self.list_split
        total = sum(split.sizes())
        if total <= 0:
            return
        rows = self.table.verticalHeader().defaultSectionSize()
        list_room = rows * LIST_MIN_ROWS + 2 * rows  # the header and a scroll bar
        least = self.evaluations_panel.minimumSizeHint().height()
        liked = max(least, self.evaluations_panel.sizeHint().height())
        evaluations = max(least, min(liked, total - split.handleWidth() - list_room))
        split.setSizes([total - evaluations, evaluations])

    def _size_columns(self) -> None:
        super()._size_columns()
        # "What they provide" can be long; keep the score and the due date in view.
        provides = column_of(SUPPLIERS, "provides")
        header = self.table.horizontalHeader()
        header.resizeSection(provides, min(header.sectionSize(provides), 200))

    # --- What the main window calls ---------------------------------------------------------

    def reload(self) -> None:
        super().reload()
        self._refresh_banner()
        self._show_supplier(self.form.record)

    def show_due(self) -> None:
        self.filter_combo.setCurrentIndex(self.filter_combo.findData("due"))

    # --- The chosen supplier ---------------------------------------------------------------

    def _refresh_banner(self) -> None:
        due = suppliers.due_for_reevaluation(clock.today())
        self.due_label.setText(banner_text(len(due)))
        self.due_banner.setToolTip("\n".join(f"{r.supplier.name}: {r.reason}" for r in due))
        self.due_banner.setVisible(bool(due))

    def _show_supplier(self, record: Any) -> None:
        self._supplier = record if isinstance(record, Supplier) else None
        supplier = self._supplier
        self.evaluate_button.setEnabled(supplier is not None and supplier.archived_at is None)
        self.evaluations_table.setRowCount(0)
        if supplier is None:
            self.evaluations_title.setText("Evaluations")
            self.no_evaluations.setText(
                "Choose a supplier to see its evaluations." if self.write_refusal else
                "Choose a supplier to see its evaluations, or press New to add one.")
            self.evaluation_stack.setCurrentWidget(self.no_evaluations)
            return
        self.evaluations_title.setText(f"Evaluations of {supplier.name}")
        found = suppliers.evaluations_of(supplier)
        if not found:
            self.no_evaluations.setText(
                f"{supplier.name} has not been evaluated yet."
                + ("" if self.evaluate_refusal else " Press Evaluate… to score it."))
            self.evaluation_stack.setCurrentWidget(self.no_evaluations)
            return
        self.evaluations_table.setRowCount(len(found))
        for row, evaluation in enumerate(found):
            by = evaluation.evaluated_by.display_name() if evaluation.evaluated_by else ""
            values = (str(evaluation.evaluated_on), str(evaluation.quality),
                      str(evaluation.delivery), str(evaluation.price),
                      str(evaluation.responsiveness), f"{suppliers.score(evaluation):.2f}",
                      by, evaluation.notes)
            for column, value in enumerate(values):
                self.evaluations_table.setItem(row, column, QTableWidgetItem(value))
        self.trend_chart.show_trend(suppliers.performance_trend(supplier))
        self.evaluation_stack.setCurrentIndex(0)

    def _follow_criticality(self, record: Any) -> None:
        # The re-evaluation date follows the criticality (suppliers.set_criticality).
        if isinstance(record, Supplier):
            suppliers.set_criticality(record, record.criticality)
            self._refresh_banner()

    def evaluate(self) -> None:
        supplier = self._supplier
        if supplier is None:
            return
        dialog = FormDialog(
            f"Evaluate {supplier.name}",
            "Score each criterion from 1 (poor) to 5 (excellent). The next re-evaluation "
            "date follows from the score and the supplier's criticality.",
            "&Save evaluation",
            self,
            on_submit=lambda v: self._evaluate(supplier, v),
        )
        dialog.add_date("evaluated_on", "&Evaluated on", clock.today())
        for key, label in suppliers.CRITERIA:
            dialog.add_score(key, f"&{label}")
        dialog.add_text("notes", "&Notes", placeholder="What went well, what did not")
        me = organisation.current_person()
        dialog.add_choice("evaluated_by", "Evaluated &by", people_choices(),
                          me.id if me else None)
        dialog.accepted.connect(lambda: self._after_evaluation(supplier))
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _evaluate(self, supplier: Supplier, values: dict[str, Any]) -> Any:
        by = Person.get_or_none(Person.id == values["evaluated_by"]) \
            if values["evaluated_by"] else None
        return suppliers.evaluate(
            supplier, values["evaluated_on"], values["quality"], values["delivery"],
            values["price"], values["responsiveness"], notes=values["notes"], evaluated_by=by,
        )

    def _after_evaluation(self, supplier: Supplier) -> None:
        self.dialog = None
        fresh = Supplier.get_by_id(supplier.id)
        score = suppliers.latest_score(fresh)
        self.status_message.emit(
            f"Evaluated {fresh.name}: {score:.2f}. Next evaluation due "
            f"{fresh.reevaluation_due_on}." if score is not None else f"Evaluated {fresh.name}."
        )
        self.form.load_record(fresh)
        self.model.refresh()
        self._refresh_banner()
        self._show_supplier(fresh)
