"""Customer feedback and satisfaction (9.1.2): what customers said, our answer, the trend.

The "Feedback" tab is the generic register screen with a panel under the form for the chosen
item: the response and closing, and for a complaint the one-step "Raise nonconformity". The
"Satisfaction" tab keeps one survey result per period and draws the score over time. The rules
live in `qms_desktop.feedback`; this screen only arranges them.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCharts import QBarCategoryAxis, QChart, QLineSeries, QValueAxis
from PySide6.QtCore import QDate, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import (
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import feedback, formatting
from qms_desktop.clock import today
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.improvement_registers import FEEDBACK
from qms_desktop.models import Feedback, SatisfactionResult
from ui.kit.charts import chart_view, style_chart
from ui.kit.form_dialog import FormDialog
from ui.kit.header import title_and_clause
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.permission import hold_refused, refused_line, write_refusal
from ui.kit.record_changed import ChangedBar, ChangesDialog, differences, stored_now
from ui.kit.register_screen import RegisterScreen
from ui.kit.tables import empty_state, fill_table, make_table, selected_id
from ui.kit.text import short_date
from ui.kit.theme import muted_color, set_text_color, show_read_only, success_color, warning_color
from ui.kit.widgets import (
    bold,
    chip,
    muted_text,
    problem_label,
    problems_text,
    screen_layout,
    show_problem,
)

FEEDBACK_TAB, SATISFACTION_TAB = 0, 1
NONCONFORMITIES_KEY = "nonconformities"
TREND_HUE = "#2f6fb3"


# --- The chosen item: response, closing, nonconformity --------------------------------------------


class ResponsePanel(QFrame):
    """Under the form: where the item stands, the answer given, and what can be done next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Response and closing")
        self.heading = bold(QLabel("Response"))
        self.state_chip = QLabel()
        self.state_chip.setAccessibleName("Feedback status")
        self.response_label = QLabel()
        self.response_label.setWordWrap(True)
        self.response_label.setAccessibleName("Our response")
        self.response_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.nc_label = muted_text(QLabel())
        self.nc_label.setWordWrap(False)
        self.nc_label.setAccessibleName("Nonconformity raised")
        self.open_nc_button = QPushButton()
        self.open_nc_button.setFlat(True)
        self.open_nc_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_nc_button.setAccessibleName("Open the nonconformity")
        link_font = QFont(self.open_nc_button.font())
        link_font.setUnderline(True)
        self.open_nc_button.setFont(link_font)
        self.open_nc_button.setStyleSheet(
            f"QPushButton {{ color: {self.palette().color(QPalette.ColorRole.Link).name()};"
            " border: none; padding: 2px 0; text-align: left; }"
        )
        self.raise_button = QPushButton("Raise nonconformity")
        self.raise_button.setAccessibleName("Raise a nonconformity from this complaint")
        self.raise_button.setToolTip("Open a nonconformity (10.2) from this complaint, linked "
                                     "both ways")
        self.close_button = QPushButton("Close…")
        self.close_button.setAccessibleName("Record the response and close")
        self.reopen_button = QPushButton("Reopen")
        self.reopen_button.setAccessibleName("Reopen the feedback")

        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addWidget(self.state_chip)
        head.addStretch(1)
        nc_row = QHBoxLayout()
        nc_row.setSpacing(6)
        nc_row.addWidget(self.nc_label)
        nc_row.addWidget(self.open_nc_button)
        nc_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.raise_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.response_label)
        layout.addLayout(nc_row)
        layout.addLayout(buttons)
        # The register's line under New says why a role that may only read cannot use them.
        self.write_refusal = write_refusal("feedback")
        hold_refused(self.write_refusal, self.close_button, self.reopen_button)
        hold_refused(self.write_refusal or write_refusal("nonconformity"), self.raise_button)

    def show_item(self, item: Feedback | None) -> None:
        self.setEnabled(item is not None)
        palette = self.palette()
        if item is None:
            self.state_chip.hide()
            self.response_label.setText("Save the feedback first; then record the answer "
                                        "given to the customer here.")
            set_text_color(self.response_label, muted_color(palette))
            self.nc_label.hide()
            self.open_nc_button.hide()
            self.raise_button.hide()
            self.close_button.setEnabled(False)
            self.reopen_button.setEnabled(False)
            return
        closed = item.closed_on is not None
        chip(self.state_chip, f"Closed {short_date(item.closed_on)}" if closed else "Open",
             "#2e8b45" if closed else "#d99a00")
        self.state_chip.show()
        if closed:
            self.response_label.setText(item.response)
            set_text_color(self.response_label, palette.color(QPalette.ColorRole.WindowText))
        else:
            self.response_label.setText(
                "No response recorded yet." + ("" if self.write_refusal else
                                               " Press Close… once the customer has had an "
                                               "answer."))
            set_text_color(self.response_label, muted_color(palette))
        complaint = item.kind == feedback.COMPLAINT
        nc = item.nonconformity if item.nonconformity_id else None
        self.nc_label.setVisible(complaint)
        self.open_nc_button.setVisible(nc is not None)
        self.raise_button.setVisible(complaint and nc is None)
        if nc is not None:
            self.nc_label.setText("Nonconformity raised:")
            self.open_nc_button.setText(f"{nc.reference} →")
            self.open_nc_button.setToolTip(f"Open {nc.reference}: {nc.title}")
        elif complaint:
            self.nc_label.setText("No nonconformity raised from this complaint.")
        self.close_button.setEnabled(not closed)
        self.reopen_button.setEnabled(closed)


# --- Satisfaction results and their trend ---------------------------------------------------------


class SatisfactionPanel(QWidget):
    """One result per period (a second one for the same period replaces it) and the trend."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Customer satisfaction results")
        self._dirty = False
        self._loading = False
        self.points: list[feedback.SatisfactionPoint] = []
        # The results as listed when the typing began: a save over one someone changed or
        # entered since is refused (feedback.record_satisfaction), and the bar offers theirs.
        self._read: list[SatisfactionResult] = []
        self._listed: list[SatisfactionResult] = []  # as the table lists them now
        self.refused: RecordChanged | None = None
        self.compare_dialog: ChangesDialog | None = None

        self.table = make_table("Satisfaction results", [
            "Period", "Score", "Out of", "Percent", "Change", "Responses", "Method"
        ])
        self.write_refusal = write_refusal("satisfaction_result")
        self.empty = empty_state(
            "No survey results yet." if self.write_refusal else
            "No survey results yet. Enter the first period's score on the right and press "
            "Save result."
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.period_edit = QDateEdit()
        self.period_edit.setDisplayFormat("yyyy-MM")
        self.period_edit.setCalendarPopup(True)
        self.score_edit = QDoubleSpinBox()
        self.score_edit.setRange(0, 1000)
        self.score_edit.setDecimals(1)
        self.score_edit.setSingleStep(0.1)
        self.scale_edit = QDoubleSpinBox()
        self.scale_edit.setRange(0, 1000)
        self.scale_edit.setDecimals(0)
        self.scale_edit.setValue(10)
        self.responses_edit = QSpinBox()
        self.responses_edit.setRange(0, 1_000_000)
        self.method_edit = QLineEdit()
        self.method_edit.setPlaceholderText("e.g. phone survey, web form")
        self.problem = problem_label("Satisfaction result: problem")
        self.changed_bar = ChangedBar()
        self.new_button = QPushButton("New period")
        self.new_button.setAccessibleName("Start a new satisfaction result")
        self.save_button = QPushButton("Save result")
        self.save_button.setAccessibleName("Save the satisfaction result")

        form = QFormLayout()
        form.setSpacing(8)
        for caption, widget, name in (
            ("&Period", self.period_edit, "Period (year and month)"),
            ("Sc&ore", self.score_edit, "Score"),
            ("Out o&f", self.scale_edit, "Out of"),
            ("Res&ponses", self.responses_edit, "Number of responses"),
            ("&Method", self.method_edit, "Method"),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            widget.setAccessibleName(name)
            form.addRow(label, widget)
        entry_buttons = QHBoxLayout()
        entry_buttons.addWidget(self.new_button)
        entry_buttons.addStretch(1)
        entry_buttons.addWidget(self.save_button)
        entry = QFrame()
        entry.setFrameShape(QFrame.Shape.StyledPanel)
        entry.setAccessibleName("Satisfaction result entry")
        entry_layout = QVBoxLayout(entry)
        entry_layout.setContentsMargins(12, 10, 12, 10)
        entry_layout.setSpacing(8)
        self.entry_title = bold(QLabel("New result"))
        entry_layout.addWidget(self.entry_title)
        entry_layout.addWidget(muted_text(QLabel("A second result for the same month replaces the "
                                            "first.")))
        entry_layout.addLayout(form)
        entry_layout.addWidget(self.problem)
        entry_layout.addWidget(self.changed_bar)
        entry_layout.addLayout(entry_buttons)
        entry_layout.addWidget(refused_line(self.write_refusal, self.new_button,
                                            self.save_button))
        hold_refused(self.write_refusal, self.period_edit, self.score_edit, self.scale_edit,
                     self.responses_edit)
        if self.write_refusal:
            show_read_only(self.method_edit, True)
        entry_layout.addStretch(1)

        self.chart = QChart()
        self.series = QLineSeries()
        self.series.setName("Satisfaction (% of the scale)")
        self.series.setPointsVisible(True)
        self.series.setPointLabelsVisible(True)
        self.series.setPointLabelsFormat("@yPoint%")
        self.chart.addSeries(self.series)
        self.x_axis = QBarCategoryAxis()  # one label under each period's point
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0, 100)
        self.y_axis.setLabelFormat("%d%%")
        self.y_axis.setTickCount(6)
        self.chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.x_axis)
        self.series.attachAxis(self.y_axis)
        self.chart.setTitle("Customer satisfaction over time")
        self.chart.legend().hide()
        self.chart_view = chart_view(self.chart, "Satisfaction trend chart")
        self.trend_label = muted_text(QLabel())
        self.trend_label.setAccessibleName("Satisfaction trend in words")

        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        top.addWidget(self.stack)
        top.addWidget(entry)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([700, 400])
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_view, 1)
        chart_layout.addWidget(self.trend_label)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(top)
        split.addWidget(chart_box)
        split.setSizes([300, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.addWidget(split, 1)

        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.start_new)
        self.changed_bar.reload_requested.connect(self.reload_theirs)
        self.changed_bar.compare_requested.connect(self.compare)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        for signal in (self.period_edit.dateChanged, self.score_edit.valueChanged,
                       self.scale_edit.valueChanged, self.responses_edit.valueChanged,
                       self.method_edit.textChanged):
            signal.connect(self._edited)
        self.start_new()
        self.reload()

    # --- Data -----------------------------------------------------------------------------

    def reload(self) -> None:
        self.points = feedback.satisfaction_trend()
        rows = list(
            SatisfactionResult.live()
            .order_by(SatisfactionResult.period_start.desc())
        )
        self._listed = rows
        if not self._dirty:
            self._read = rows
        changes = {p.period_start: p for p in self.points}
        blocked = self.table.blockSignals(True)
        try:
            fill_table(self.table, [
                (r.id, [
                    f"{formatting.month_year(r.period_start)}", f"{r.score:g}", f"{r.scale_max:g}",
                    f"{changes[r.period_start].percent:g}%" if r.period_start in changes else "",
                    self._change_text(changes.get(r.period_start)), f"{r.responses:,}",
                    r.method,
                ]) for r in rows
            ])
        finally:
            self.table.blockSignals(blocked)
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        self._draw()

    @staticmethod
    def _change_text(point: feedback.SatisfactionPoint | None) -> str:
        if point is None or point.change is None:
            return "—"
        return f"{point.change:+g} pts"

    def _draw(self) -> None:
        self.series.clear()
        self.x_axis.clear()
        for index, point in enumerate(self.points):
            self.series.append(QPointF(index, point.percent))
        if self.points:
            self.x_axis.append([formatting.short_month_year(p.period_start)
                                for p in self.points])
            latest = self.points[-1]
            change = "" if latest.change is None else (
                f", {latest.change:+g} points since the period before"
            )
            self.trend_label.setText(
                f"Latest: {formatting.month_year(latest.period_start)}, {latest.score:g} out of "
                f"{latest.scale_max:g} ({latest.percent:g}%) from {latest.responses} "
                f"responses{change}."
            )
            set_text_color(self.trend_label, muted_color(self.palette()) if latest.change is None
                           else (success_color(self.palette()) if latest.change >= 0
                                 else warning_color(self.palette())))
        else:
            self.trend_label.setText("The trend shows once results are entered.")
        style_chart(self.chart, self.palette())
        pen = QPen(QColor(TREND_HUE), 2.4)
        self.series.setPen(pen)
        self.series.setPointLabelsColor(self.palette().color(QPalette.ColorRole.WindowText))
        self.chart.legend().hide()

    def chart_points(self) -> list[tuple[dt.date, float]]:
        """What the chart draws: (period, percent of the scale), oldest first."""
        periods = [p.period_start for p in self.points]
        return [(periods[round(point.x())], point.y()) for point in self.series.points()]

    # --- Entry ----------------------------------------------------------------------------

    def start_new(self) -> None:
        self._loading = True
        try:
            now = today()
            self.period_edit.setDate(QDate(now.year, now.month, 1))
            self.score_edit.setValue(0)
            self.scale_edit.setValue(10)
            self.responses_edit.setValue(0)
            self.method_edit.clear()
        finally:
            self._loading = False
        self.entry_title.setText("New result")
        self.table.clearSelection()
        show_problem(self.problem, "")
        self._dirty = False
        self._read = self._listed
        self.refused = None
        self.changed_bar.hide()

    def _row_chosen(self) -> None:
        result_id = selected_id(self.table)
        result = SatisfactionResult.get_or_none(SatisfactionResult.id == result_id)
        if result is None:
            return
        # What is shown now is what a save goes over: this result as just read.
        self._read = [result if r.id == result.id else r for r in self._listed]
        self.refused = None
        self.changed_bar.hide()
        self._loading = True
        try:
            start = result.period_start
            self.period_edit.setDate(QDate(start.year, start.month, 1))
            self.score_edit.setValue(result.score)
            self.scale_edit.setValue(result.scale_max)
            self.responses_edit.setValue(result.responses)
            self.method_edit.setText(result.method)
        finally:
            self._loading = False
        self.entry_title.setText(f"Result for {formatting.month_year(start)}")
        show_problem(self.problem, "")
        self._dirty = False

    def typed(self) -> dict[str, object]:
        """The entry's fields by the result's field names, as typed."""
        return {"period_start": self.period(), "score": self.score_edit.value(),
                "scale_max": self.scale_edit.value(), "responses": self.responses_edit.value(),
                "method": self.method_edit.text().strip()}

    def compare(self) -> None:
        """The result as typed beside the one stored now; "Reload theirs" takes theirs."""
        refused = self.refused
        stored = None if refused is None else stored_now(refused)
        found = [] if refused is None or stored is None else differences(
            refused, stored, typed=self.typed())
        self.compare_dialog = ChangesDialog.offer(found, self, self.reload_theirs)

    def reload_theirs(self) -> None:
        """Drop the typing and show the period's result as stored now; the next save goes
        over it."""
        refused, self.refused = self.refused, None
        stored = None if refused is None else stored_now(refused)
        self._dirty = False
        self.changed_bar.hide()
        self.reload()
        if stored is None:
            self.start_new()
            return
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == stored.id:
                self.table.selectRow(row)
        self._row_chosen()  # shown even when that row was already the selected one

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self._dirty = True
            show_problem(self.problem, "")

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def period(self) -> dt.date:
        chosen = self.period_edit.date()
        return dt.date(chosen.year(), chosen.month(), 1)

    def save(self) -> bool:
        try:
            result = feedback.record_satisfaction(
                self.period(), self.score_edit.value(), self.responses_edit.value(),
                scale_max=self.scale_edit.value(), method=self.method_edit.text(),
                read=self._read,
            )
        except RecordChanged as refused:
            show_problem(self.problem, "")
            self.refused = refused
            self.changed_bar.show_refusal(refused)
            self.status_message.emit(self.changed_bar.text())
            return False
        except ValidationError as error:
            show_problem(self.problem, problems_text(error))
            return False
        self._dirty = False
        self.changed_bar.hide()
        self.reload()
        for row in range(self.table.rowCount()):
            if selected_id(self.table) == result.id:
                break
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == result.id:
                self.table.selectRow(row)
        self.status_message.emit(
            f"Saved the satisfaction result for {formatting.month_year(result.period_start)}"
            f": {result.score:g} out of {result.scale_max:g}.")
        return True


# --- The screen ---------------------------------------------------------------------------------


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = ("feedback", "satisfaction_result", "action", "nonconformity", "person")


class FeedbackScreen(QWidget):
    """Customer feedback and the satisfaction trend, in two tabs."""

    status_message = Signal(str)
    open_record = Signal(str, str)  # screen key, record id: asks the window to show it

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Customer feedback")
        self._item: Feedback | None = None
        self.dialog: FormDialog | None = None

        title_row, self.title_label, self.clause_label = title_and_clause(
            "Customer feedback", "Clause 9.1.2")
        muted_text(self.clause_label)

        self.register_screen = RegisterScreen(FEEDBACK)
        self.register_screen.title_label.hide()
        self.register_screen.clause_label.hide()
        inner = self.register_screen.layout()
        if inner is not None:
            inner.setContentsMargins(4, 12, 4, 4)
        self.register_screen.splitter.setSizes([700, 460])
        self.response_panel = ResponsePanel()
        self.register_screen.add_below_form(self.response_panel)
        self.satisfaction = SatisfactionPanel()

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Customer feedback tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.register_screen, "Feedback")
        self.tabs.addTab(self.satisfaction, "Satisfaction")
        self.tabs.setTabToolTip(FEEDBACK_TAB, "Complaints, compliments, suggestions, surveys")
        self.tabs.setTabToolTip(SATISFACTION_TAB, "Survey results per period and their trend")

        screen_layout(self, title_row, self.tabs, spacing=8, bottom=12)

        self.register_screen.status_message.connect(self.status_message)
        self.satisfaction.status_message.connect(self.status_message)
        self.register_screen.record_shown.connect(self._record_shown)
        self.response_panel.raise_button.clicked.connect(self.raise_nonconformity)
        self.response_panel.open_nc_button.clicked.connect(self.open_nonconformity)
        self.response_panel.close_button.clicked.connect(self.close_item)
        self.response_panel.reopen_button.clicked.connect(self.reopen_item)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.register_screen.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # newest first
        self._record_shown(self.register_screen.form.record)
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    # --- What the main window calls -------------------------------------------------------

    def reload(self) -> None:
        self.register_screen.reload()
        self.satisfaction.reload()
        self._refresh_item()

    def new_record(self) -> None:
        if self.tabs.currentIndex() == SATISFACTION_TAB:
            self.satisfaction.start_new()
            self.satisfaction.period_edit.setFocus()
        else:
            self.register_screen.new_record()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(FEEDBACK_TAB)
        self.register_screen.focus_search()

    def save(self) -> bool:
        if self.tabs.currentIndex() == SATISFACTION_TAB:
            return self.satisfaction.has_unsaved_changes() and self.satisfaction.save()
        return self.register_screen.save()

    def has_unsaved_changes(self) -> bool:
        return (self.register_screen.has_unsaved_changes()
                or self.satisfaction.has_unsaved_changes())

    def show_record(self, record_id: str) -> bool:
        self.tabs.setCurrentIndex(FEEDBACK_TAB)
        return self.register_screen.show_record(record_id)

    # --- The chosen item ------------------------------------------------------------------

    def _record_shown(self, record: object) -> None:
        self._item = record if isinstance(record, Feedback) else None
        self.response_panel.show_item(self._item)

    def _refresh_item(self) -> None:
        if self._item is not None:
            self._item = Feedback.get_or_none(Feedback.id == self._item.id)
        self.response_panel.show_item(self._item)

    def raise_nonconformity(self) -> None:
        item = self._item
        if item is None:
            return
        answer = QMessageBox.question(
            self, "Raise a nonconformity",
            f"Raise a nonconformity from the complaint of {item.customer}? It gets the next "
            "NC reference and stays linked to this complaint.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            nc = feedback.raise_nonconformity(item)
        except ValidationError as error:
            self.status_message.emit(problems_text(error))
            return
        self.register_screen.reload()
        self._refresh_item()
        self.status_message.emit(f"Raised {nc.reference} from the complaint of {item.customer}.")
        self.response_panel.open_nc_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_nonconformity(self) -> None:
        if self._item is not None and self._item.nonconformity_id:
            self.open_record.emit(NONCONFORMITIES_KEY, str(self._item.nonconformity_id))

    def close_item(self) -> None:
        item = self._item
        if item is None:
            return
        dialog = FormDialog("Close the feedback", f"What did {item.customer} hear back from "
                            "you? The response is kept with the feedback.", "Close", self)
        dialog.add_text("response", "&Response", placeholder="e.g. “Apologised, replaced the 40 "
                             "labels, credit note sent”")
        dialog.add_date("closed_on", "Closed &on", today())
        dialog.set_submit(lambda v: feedback.close(item, v["response"], v["closed_on"]))
        dialog.accepted.connect(lambda: self._after_change(f"Closed the feedback from "
                                                           f"{item.customer}."))
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def reopen_item(self) -> None:
        item = self._item
        if item is None:
            return
        feedback.reopen(item)
        self._after_change(f"Reopened the feedback from {item.customer}.")

    def _after_change(self, message: str) -> None:
        self.register_screen.reload()
        self._refresh_item()
        self.status_message.emit(message)

    def _tab_changed(self, index: int) -> None:
        if index == SATISFACTION_TAB:
            self.satisfaction.reload()
