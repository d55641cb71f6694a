"""Quality objectives (6.2) and the KPIs that monitor them (9.1), in three tabs.

Objectives: the register, with the gaps an auditor would write up. KPIs: the register, and
for the chosen KPI its trend chart, status, trends and missing periods, with a nonconformity
or an action one click away when it fails. Enter readings: a period's values for every KPI,
typed like a spreadsheet column. The rules live in `qms_desktop.kpis`; this screen arranges.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import kpis
from qms_desktop.models import Kpi
from qms_desktop.objective_registers import KPIS, OBJECTIVES
from ui.kit import action_dialog
from ui.kit.fitting import ElidedLabel
from ui.kit.header import title_and_clause
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.permission import hold_refused, write_refusal
from ui.kit.register_screen import RegisterScreen
from ui.kit.scrolling import scrolling
from ui.kit.theme import error_color, muted_color, set_text_color
from ui.kit.widgets import bold, screen_layout
from ui.screens.objectives.kpi_chart import KpiChart, status_chip_style
from ui.screens.objectives.readings_grid import ReadingsGrid

OBJECTIVES_TAB, KPIS_TAB, READINGS_TAB = range(3)
KPI_LIST_MIN_HEIGHT = 110  # three KPIs, however short the window
KPI_LIST_HEIGHT = 170  # five KPIs above the chart when there is room
KPI_PANEL_HEIGHT = 340  # its status, trends and chart: twice the list's height
ACTION_DAYS = 30  # a new action is first due this many days ahead


def trend_words(trend: kpis.Trend) -> str:
    """ "↑ improving over 12 periods": the arrow shows where the values go."""
    if trend.verdict in ("improving", "worsening"):
        arrow = "↑" if trend.slope > 0 else "↓"
    elif trend.verdict == "steady":
        arrow = "→"
    else:
        needed = kpis.min_trend_readings(trend.periods)
        return (f"no trend over {trend.periods} periods yet "
                f"({trend.points} of the {needed} readings it needs)")
    return f"{arrow} {trend.verdict} over {trend.periods} periods"


# --- Raise an action on a KPI -----------------------------------------------------------------


class RaiseActionDialog(action_dialog.RaiseActionDialog):
    """An action to bring a failing KPI back on target, owned by the KPI's owner."""

    def __init__(self, kpi: Kpi, parent: QWidget | None = None) -> None:
        super().__init__(
            kpi, about=f"An action to bring “{kpi.name}” back on target. It goes into the "
            "action tracker with this KPI as its source.", button="Raise action",
            due_in_days=ACTION_DAYS, title=f"Bring {kpi.name} back on target",
            owner_id=kpi.__data__.get("owner") or "", parent=parent)
        self.kpi = kpi


# --- The chosen KPI: chart, status, trends ------------------------------------------------------


class KpiPanel(QWidget):
    """Everything about one KPI's readings: status chip, trends, missing periods, chart."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kpi: Kpi | None = None
        self.summary: kpis.KpiSummary | None = None
        self.setAccessibleName("KPI performance")

        # A long KPI name is cut to the room beside its status, whole in its tooltip.
        self.heading_label = bold(ElidedLabel())
        self.heading_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                         QSizePolicy.Policy.Preferred)
        self.heading_label.setAccessibleName("KPI shown")
        self.chip_label = QLabel()
        self.chip_label.setAccessibleName("KPI status")
        self.latest_label = QLabel()
        self.latest_label.setAccessibleName("Latest reading")
        self.latest_label.setWordWrap(True)  # goes under the name when the list side is narrow
        self.nonconformity_button = QPushButton("Raise non&conformity…")
        self.nonconformity_button.setAccessibleName("Raise nonconformity")
        self.nonconformity_button.setToolTip("Record the failure as a nonconformity (10.2)")
        self.action_button = QPushButton("Raise ac&tion…")
        self.action_button.setAccessibleName("Raise action")
        self.action_button.setToolTip("Add an action with this KPI as its source")
        # A role that may only read: the KPI register's line under New says why, so do the tips.
        hold_refused(write_refusal("nonconformity"), self.nonconformity_button)
        hold_refused(write_refusal("action"), self.action_button)
        self.trend_label = QLabel()
        self.trend_label.setAccessibleName("KPI trends")
        self.trend_label.setWordWrap(True)
        self.missing_label = QLabel()
        self.missing_label.setAccessibleName("Missing periods")
        self.missing_label.setWordWrap(True)

        self.chart = KpiChart()
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_label.setAccessibleName("No chart")
        set_text_color(self.empty_label, muted_color(self.palette()))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.chart)
        self.stack.addWidget(self.empty_label)

        status_row = QHBoxLayout()
        status_row.setSpacing(10)
        status_row.addWidget(self.heading_label)
        status_row.addWidget(self.chip_label)
        status_row.addStretch(1)
        # The buttons show only for a failing KPI, on a row of their own: beside the name and
        # status they would not fit the list's side of a 1024-wide window.
        button_row = QHBoxLayout()
        button_row.setSpacing(10)
        button_row.addStretch(1)
        button_row.addWidget(self.nonconformity_button)
        button_row.addWidget(self.action_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(status_row)
        layout.addWidget(self.latest_label)
        layout.addWidget(self.trend_label)
        layout.addWidget(self.missing_label)
        layout.addLayout(button_row)
        layout.addWidget(self.stack, 1)

        self.nonconformity_button.clicked.connect(self.raise_nonconformity)
        self.action_button.clicked.connect(self.raise_action)
        self.show_kpi(None)

    def show_kpi(self, kpi: Kpi | None) -> None:
        self.kpi = kpi
        self.summary = kpis.summarise(kpi) if kpi is not None else None
        summary = self.summary
        details = (self.chip_label, self.latest_label, self.trend_label, self.missing_label)
        if kpi is None or summary is None:
            self.heading_label.setText("")
            for widget in details:
                widget.hide()
            self._set_failing(False)
            self.chart.show_kpi(None)
            self.empty_label.setText("Choose a KPI in the list to see its readings, trend and "
                                     "thresholds here.")
            self.stack.setCurrentWidget(self.empty_label)
            return
        for widget in details:
            widget.show()
        self.heading_label.setText(kpi.name)
        status = summary.status
        self.chip_label.setText(kpis.STATUS_LABELS[status])
        self.chip_label.setStyleSheet(status_chip_style(self.palette(), status))
        unit = f" {kpi.unit}" if kpi.unit else ""
        if summary.latest_period is not None and summary.latest_value is not None:
            self.latest_label.setText(
                f"Latest {summary.latest_value:g}{unit} in "
                f"{kpis.period_label(summary.latest_period, kpi.frequency)}"
            )
        else:
            self.latest_label.setText("No readings yet")
        self.trend_label.setText(
            "Trend: " + "   ·   ".join(trend_words(summary.trends[w])
                                       for w in kpis.TREND_WINDOWS)
        )
        if summary.missing:
            labels = ", ".join(kpis.period_label(p, kpi.frequency) for p in summary.missing)
            self.missing_label.setText(f"Missing: {labels}")
            set_text_color(self.missing_label, error_color(self.palette()))
        else:
            self.missing_label.setText("Missing: none in the last 12 periods")
            set_text_color(self.missing_label, muted_color(self.palette()))
        self._set_failing(status == kpis.FAILING)
        self.chart.show_kpi(kpi)
        if self.chart.data is None or self.chart.data.empty:
            self.empty_label.setText("No readings yet. Type them in the Enter readings tab, "
                                     "period by period; the chart appears here.")
            self.stack.setCurrentWidget(self.empty_label)
        else:
            self.stack.setCurrentWidget(self.chart)

    def refresh(self) -> None:
        if self.kpi is not None:
            self.show_kpi(Kpi.get_or_none(Kpi.id == self.kpi.id))

    def _set_failing(self, failing: bool) -> None:
        self.nonconformity_button.setVisible(failing)
        self.action_button.setVisible(failing)

    def raise_nonconformity(self) -> None:
        summary = self.summary
        kpi = self.kpi
        if kpi is None or summary is None or summary.latest_period is None or (
            summary.latest_value is None
        ):
            return
        label = kpis.period_label(summary.latest_period, kpi.frequency)
        earlier = kpis.raised_nonconformity(kpi, summary.latest_period)
        if earlier is not None:
            QMessageBox.information(
                self, "Already raised",
                f"“{earlier.title}” was raised on {earlier.raised_on}; it is in "
                f"Nonconformities. Nothing new was recorded.",
            )
            self.status_message.emit(f"Already raised: “{earlier.title}”.")
            return
        answer = QMessageBox.question(
            self,
            "Raise nonconformity",
            f"Record “{kpi.name}” failing in {label} ({summary.latest_value:g}"
            f"{' ' + kpi.unit if kpi.unit else ''}) as a nonconformity?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        found = kpis.raise_nonconformity(kpi, summary.latest_period, summary.latest_value)
        self.status_message.emit(f"Raised nonconformity “{found.title}”.")

    def raise_action(self) -> None:
        if self.kpi is None:
            return
        dialog = RaiseActionDialog(self.kpi, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.action is not None:
            self.status_message.emit(f"Raised action “{dialog.title_edit.text().strip()}”.")


# --- The screen -------------------------------------------------------------------------------


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = ("objective", "kpi", "reading", "action", "process", "person")


class ObjectivesScreen(QWidget):
    """Objectives, KPIs and readings; the window's Edit menu acts on the tab shown."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Objectives and KPIs")
        self._tab = OBJECTIVES_TAB
        self._switching = False

        title_row, self.title_label, self.clause_label = title_and_clause(
            "Objectives and KPIs", "Clause 6.2 and 9.1")
        set_text_color(self.clause_label, muted_color(self.palette()))

        self.objectives = self._embedded(RegisterScreen(OBJECTIVES))
        self.kpi_register = self._embedded(RegisterScreen(KPIS))
        self.kpi_panel = KpiPanel()
        # The chart under the list, a handle between them; the chart's texts scroll rather
        # than push the window taller than a 1024 x 640 laptop's screen.
        self.kpi_register.list_stack.setMinimumHeight(KPI_LIST_MIN_HEIGHT)
        kpi_split = self.kpi_register.split_list(scrolling(self.kpi_panel), above=False)
        kpi_split.setStretchFactor(0, 1)
        kpi_split.setStretchFactor(1, 2)
        kpi_split.setSizes([KPI_LIST_HEIGHT, KPI_PANEL_HEIGHT])
        self.kpi_register.splitter.setSizes([780, 420])
        self.objectives.splitter.setSizes([780, 420])
        self.readings = ReadingsGrid()

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Objectives and KPIs tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.objectives, "&Objectives")
        self.tabs.addTab(self.kpi_register, "&KPIs")
        self.tabs.addTab(self.readings, "&Enter readings")
        self.tabs.setTabToolTip(OBJECTIVES_TAB, "Quality objectives and their plans (6.2)")
        self.tabs.setTabToolTip(KPIS_TAB, "What is measured and how it is doing (9.1)")
        self.tabs.setTabToolTip(READINGS_TAB, "Type a period's readings for every KPI")

        screen_layout(self, title_row, self.tabs, spacing=8, bottom=12)

        for page in (self.objectives, self.kpi_register, self.kpi_panel, self.readings):
            page.status_message.connect(self.status_message)
        self.kpi_register.record_shown.connect(self._kpi_shown)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.readings.saved.connect(lambda _period: self.kpi_panel.refresh())
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    @staticmethod
    def _embedded(screen: RegisterScreen) -> RegisterScreen:
        # The tab names the register and the screen's header gives the clauses.
        screen.title_label.hide()
        screen.clause_label.hide()
        layout = screen.layout()
        if layout is not None:
            layout.setContentsMargins(4, 12, 4, 4)
        return screen

    # --- What the main window calls ---------------------------------------------------------

    def current_page(self) -> RegisterScreen | ReadingsGrid:
        return (self.objectives, self.kpi_register, self.readings)[self.tabs.currentIndex()]

    def reload(self) -> None:
        self.objectives.reload()
        self.kpi_register.reload()
        self.kpi_panel.refresh()
        self.readings.reload()

    def new_record(self) -> None:
        page = self.current_page()
        if isinstance(page, RegisterScreen):
            page.new_record()
        else:
            self.readings.focus_first_cell()
            self.status_message.emit("Readings are typed in the grid; add KPIs in the KPIs tab.")

    def focus_search(self) -> None:
        page = self.current_page()
        if isinstance(page, RegisterScreen):
            page.focus_search()
        else:
            self.readings.focus_first_cell()

    def save(self) -> bool:
        return self.current_page().save()

    def has_unsaved_changes(self) -> bool:
        return self.current_page().has_unsaved_changes()

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    # --- Internals ----------------------------------------------------------------------------

    def _kpi_shown(self, record: object) -> None:
        self.kpi_panel.show_kpi(record if isinstance(record, Kpi) else None)

    def _tab_changed(self, index: int) -> None:
        if self._switching:
            return
        leaving = (self.objectives, self.kpi_register, self.readings)[self._tab]
        if leaving.has_unsaved_changes() and not self._confirm_leave(leaving):
            self._switching = True
            self.tabs.setCurrentIndex(self._tab)
            self._switching = False
            return
        self._tab = index
        # Each tab reads what the others may have changed: new KPIs, readings, links.
        if index == OBJECTIVES_TAB:
            self.objectives.reload()
        elif index == KPIS_TAB:
            self.kpi_register.reload()
            self.kpi_panel.refresh()
        else:
            self.readings.reload()

    def _confirm_leave(self, page: RegisterScreen | ReadingsGrid) -> bool:
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "Save the changes on this tab first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return page.save()
        if answer == QMessageBox.StandardButton.Discard:
            page.revert()
            return True
        return False
