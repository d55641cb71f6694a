"""Nonconformities and corrective action (10.2): react, find the cause, act, check, close.

The register (list and form) is the generic register screen; its form becomes the first tab,
"What happened", of the selected nonconformity's tabs: the root cause (5 whys and a fishbone),
similar cases, the corrective actions, and the effectiveness review with closing. A last tab
shows the trends of the past twelve months. The rules live in `qms_desktop.nonconformities`
and `qms_desktop.actions`; this screen only arranges them.

Dialogs open window-modal with `open()`, never `exec()`, so tests drive them like a user.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import actions, formatting, nonconformities
from qms_desktop.clock import today
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.improvement_registers import NONCONFORMITIES
from qms_desktop.models import (
    EFFECTIVENESS_VERDICTS,
    FISHBONE_CATEGORIES,
    NC_SOURCES,
    NC_STATES,
    SEVERITIES,
    Action,
    EffectivenessReview,
    FishboneCause,
    Nonconformity,
    Person,
    WhyStep,
    is_live,
)
from ui.kit.charts import chart_view, style_chart
from ui.kit.form_dialog import FormDialog
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.permission import hold_refused
from ui.kit.pickers import people_combo
from ui.kit.record_changed import ChangedBar, ChangesDialog, Difference
from ui.kit.register_screen import RegisterScreen
from ui.kit.scrolling import scrolling
from ui.kit.tables import empty_state, fill_table, make_table, selected_id
from ui.kit.text import short_date
from ui.kit.theme import (
    muted_color,
    set_text_color,
    success_color,
    warning_color,
)
from ui.kit.widgets import (
    ElidedLabel,
    bold,
    chip,
    muted_text,
    problem_label,
    problems_text,
    show_problem,
)
from ui.screens.nonconformities.fishbone import Bone, Cause, FishboneView

STATUS_LABELS = dict(NC_STATES)
STATUS_HUES = {"open": "#d99a00", "action": "#2f6fb3", "closed": "#2e8b45"}
SEVERITY_LABELS = dict(SEVERITIES)
VERDICT_LABELS = dict(EFFECTIVENESS_VERDICTS)
ACTION_STATUS_LABELS = actions.STATUS_LABELS
TREND_MONTHS = 12
WHAT_TAB, ROOT_TAB, SIMILAR_TAB, ACTIONS_TAB, CLOSING_TAB, TRENDS_TAB = range(6)


# --- The 5 whys -------------------------------------------------------------------------------


class WhyChainEditor(QWidget):
    """A vertical chain of "Why?" rows: Enter asks the next why, Save keeps the chain."""

    dirty_changed = Signal(bool)
    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("5 whys")
        self._nc: Nonconformity | None = None
        self._saved: list[str] = []
        # The chain as shown, with its row versions: a save over someone else's change of
        # it since is refused (set_why_chain), and the bar offers theirs.
        self._read: list[WhyStep] = []
        self._dirty = False
        self.edits: list[QLineEdit] = []
        self._rows: list[QWidget] = []

        self.heading = bold(QLabel("5 whys"))
        self.problem_label = muted_text(QLabel())
        self.problem_label.setAccessibleName("Problem the whys start from")
        self.rows_widget = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_widget)
        self.rows_layout.setContentsMargins(0, 0, 8, 0)
        self.rows_layout.setSpacing(6)
        self.rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(self.rows_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area = scroll  # not `scroll`: that would hide QWidget.scroll()
        self.message = problem_label("5 whys: problem")
        self.changed_bar = ChangedBar()
        self.compare_dialog: ChangesDialog | None = None
        self.hint = muted_text(QLabel(
            f"Type the answer and press Enter to ask why again (at most "
            f"{nonconformities.MAX_WHYS}). The last answer is the root cause."
        ))
        self.revert_button = QPushButton("Revert")
        self.revert_button.setAccessibleName("Revert the 5 whys")
        self.save_button = QPushButton("Save whys")
        self.save_button.setAccessibleName("Save the 5 whys")
        self.save_button.setToolTip("Save the chain (Ctrl+S)")

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.revert_button)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.problem_label)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.changed_bar)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)

        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.changed_bar.reload_requested.connect(self.reload_theirs)
        self.changed_bar.compare_requested.connect(self.compare)
        self._update_buttons()

    # --- Data -----------------------------------------------------------------------------

    def load(self, nc: Nonconformity | None) -> None:
        self._nc = nc
        self._read = nonconformities.why_chain(nc) if nc else []
        self._saved = [s.answer for s in self._read]
        self.changed_bar.hide()
        self.problem_label.setText(f"Problem: {nc.title}" if nc else "")
        self._build_rows(self._saved or [""])
        show_problem(self.message, "")
        self._update_dirty()

    def revert(self) -> None:
        self.load(self._nc)

    def answers(self) -> list[str]:
        """What would be saved: every row, without the empty row waiting at the end."""
        texts = [edit.text() for edit in self.edits]
        while texts and not texts[-1].strip():
            texts.pop()
        return texts

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def save(self) -> bool:
        if self._nc is None or not self._dirty:
            return False
        try:
            nonconformities.set_why_chain(self._nc, self.answers(), read=self._read)
        except RecordChanged as refused:
            show_problem(self.message, "")
            self.changed_bar.show_refusal(refused)
            QTimer.singleShot(0, self._bring_bar_into_view)  # once the layout has room for it
            return False
        except ValidationError as error:
            show_problem(self.message, problems_text(error))
            first_empty = next((e for e in self.edits if not e.text().strip()), None)
            if first_empty is not None:
                first_empty.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.load(self._nc)
        self.saved.emit()
        return True

    def _bring_bar_into_view(self) -> None:
        """The tab scrolls in a short window: scroll so that the bar's buttons show."""
        parent = self.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(self.changed_bar, 0, 0)
            parent = parent.parentWidget()

    def not_saved_text(self) -> str:
        """Why the last save was refused, as the status line says it."""
        return self.changed_bar.text() or "Not saved: answer each why or remove it."

    def differences(self) -> list[Difference]:
        """Each why where the chain as typed and the chain as stored now differ."""
        mine = self.answers()
        theirs = [s.answer for s in nonconformities.why_chain(self._nc)] if self._nc else []
        found = []
        for index in range(max(len(mine), len(theirs))):
            typed = mine[index] if index < len(mine) else ""
            stored = theirs[index] if index < len(theirs) else ""
            if typed.strip() != stored:
                found.append((f"Why {index + 1}", typed, stored))
        return found

    def compare(self) -> None:
        """My whys beside theirs; "Reload theirs" takes theirs."""
        self.compare_dialog = ChangesDialog.offer(self.differences(), self, self.reload_theirs)

    def reload_theirs(self) -> None:
        """Drop my edits and show the chain as stored now; the next save goes over it."""
        self.load(self._nc)

    # --- Rows -----------------------------------------------------------------------------

    def _build_rows(self, answers: list[str]) -> None:
        for row in self._rows:
            self.rows_layout.removeWidget(row)
            row.deleteLater()
        self._rows, self.edits = [], []
        for answer in answers:
            self._add_row(answer)

    def _add_row(self, answer: str = "") -> QLineEdit:
        number = len(self.edits) + 1
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(8)
        label = bold(QLabel(f"Why {number}?"))
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance("Why 7?") + 8)
        edit = QLineEdit(answer)
        edit.setPlaceholderText(
            "Because… (why did it happen?)" if number == 1 else "Because… (why did that happen?)"
        )
        edit.setAccessibleName(f"Why {number}")
        label.setBuddy(edit)
        remove = QToolButton()
        remove.setText("✕")
        remove.setAccessibleName(f"Remove why {number}")
        remove.setToolTip("Remove this why")
        remove.setAutoRaise(True)
        line.addWidget(label)
        line.addWidget(edit, 1)
        line.addWidget(remove)
        self.rows_layout.insertWidget(self.rows_layout.count() - 1, row)
        self._rows.append(row)
        self.edits.append(edit)
        edit.returnPressed.connect(partial(self._enter, edit))
        edit.textChanged.connect(self._edited)
        remove.clicked.connect(partial(self._remove, row))
        return edit

    def _enter(self, edit: QLineEdit) -> None:
        index = self.edits.index(edit)
        number = index + 1
        if not edit.text().strip():
            show_problem(self.message, f"Answer why {number} before asking the next why.")
            return
        show_problem(self.message, "")
        if index + 1 < len(self.edits):
            self.edits[index + 1].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if len(self.edits) >= nonconformities.MAX_WHYS:
            show_problem(self.message, f"{nonconformities.MAX_WHYS} whys is the most; a longer "
                                       "chain usually mixes several causes. Use the fishbone.")
            return
        new = self._add_row()
        new.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll_area.ensureWidgetVisible(new)

    def _remove(self, row: QWidget) -> None:
        index = self._rows.index(row)
        answers = [e.text() for e in self.edits]
        del answers[index]
        self._build_rows(answers or [""])
        self.edits[min(index, len(self.edits) - 1)].setFocus(Qt.FocusReason.OtherFocusReason)
        self._edited()

    def _edited(self, *_args: object) -> None:
        if not self.message.isHidden():
            show_problem(self.message, "")
        self._update_dirty()

    def _update_dirty(self) -> None:
        dirty = self._nc is not None and [a.strip() for a in self.answers()] != self._saved
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self._dirty)
        self.revert_button.setEnabled(self._dirty)
        self.setEnabled(self._nc is not None)


# --- Trends -------------------------------------------------------------------------------------


class TrendsPanel(QWidget):
    """Raised and closed per month, and where they came from, over the last twelve months."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Nonconformity trends")
        self.months: list[nonconformities.MonthCount] = []
        self.by_process: dict[str, int] = {}
        self.by_source: dict[str, int] = {}
        self.period_label = muted_text(QLabel())
        self.month_chart = QChart()
        self.process_chart = QChart()
        self.source_chart = QChart()
        self.month_view = chart_view(self.month_chart, "Raised and closed per month")
        self.process_view = chart_view(self.process_chart, "Nonconformities per process")
        self.source_view = chart_view(self.source_chart, "Nonconformities per source")
        lower = QHBoxLayout()
        lower.setSpacing(12)
        lower.addWidget(self.process_view, 1)
        lower.addWidget(self.source_view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.period_label)
        layout.addWidget(self.month_view, 1)
        layout.addLayout(lower, 1)

    def refresh(self, end: dt.date | None = None) -> None:
        end = end or today()
        month = end.month - (TREND_MONTHS - 1)
        start = dt.date(end.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        self.months = nonconformities.trend_by_month(start, end)
        self.by_process = nonconformities.counts_by_process(start, end)
        self.by_source = nonconformities.counts_by_source(start, end)
        raised = sum(m.raised for m in self.months)
        closed = sum(m.closed for m in self.months)
        self.period_label.setText(
            f"{formatting.month_year(start)} to {formatting.month_year(end)}: "
            f"{raised} raised, {closed} closed."
        )
        palette = self.palette()
        self._bars(self.month_chart, "Raised and closed per month",
                   [formatting.SHORT_MONTHS[m.month.month - 1]
                    + (f" {m.month:%y}" if m.month.month == 1 or i == 0 else "")
                    for i, m in enumerate(self.months)],
                   [("Raised", [m.raised for m in self.months], "#d9822b"),
                    ("Closed", [m.closed for m in self.months], "#2e8b45")])
        processes = dict(list(self.by_process.items())[:8])
        self._bars(self.process_chart, "Per process", list(reversed(processes)),
                   [("Raised", list(reversed(processes.values())), "#2f6fb3")],
                   horizontal=True)
        sources = dict(NC_SOURCES)
        # Horizontal bars are drawn from the bottom up: reverse so the lists read downwards.
        self._bars(self.source_chart, "Per source",
                   [sources[k] for k in reversed(self.by_source)],
                   [("Raised", list(reversed(self.by_source.values())), "#7a5cc7")],
                   horizontal=True)
        for chart in (self.month_chart, self.process_chart, self.source_chart):
            style_chart(chart, palette)
        self.process_chart.legend().hide()
        self.source_chart.legend().hide()

    @staticmethod
    def _bars(chart: QChart, title: str, categories: list[str],
              sets: list[tuple[str, list[int], str]], horizontal: bool = False) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        for name, values, hue in sets:
            bar_set = QBarSet(name)
            bar_set.append([float(v) for v in values])
            bar_set.setColor(QColor(hue))
            bar_set.setBorderColor(QColor(hue))
            series.append(bar_set)
        chart.addSeries(series)
        chart.setTitle(title)
        category_axis = QBarCategoryAxis()
        category_axis.append(categories or ["—"])
        value_axis = QValueAxis()
        highest = max((v for _, values, _ in sets for v in values), default=0)
        value_axis.setRange(0, max(highest, 1) + (1 if highest < 5 else 2))
        value_axis.setLabelFormat("%d")
        value_axis.setTickCount(min(max(highest, 1) + 2, 6))
        if horizontal:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(category_axis)
        series.attachAxis(value_axis)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)


# --- The screen ---------------------------------------------------------------------------------


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = (
    "nonconformity", "why_step", "fishbone_cause", "effectiveness_review", "action", "person",
    "process", "finding", "feedback", "supplier", "attachment",
)


class NonconformitiesScreen(QWidget):
    """The nonconformity register and, for the one selected, its whole 10.2 loop."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Nonconformities")
        self._nc: Nonconformity | None = None
        self.dialog: FormDialog | None = None

        self.register_screen = RegisterScreen(NONCONFORMITIES)
        self.form = self.register_screen.form
        self._build_details()
        self._build_what_happened()
        self._build_root_cause()
        self._build_similar()
        self._build_actions()
        self._build_closing()
        # A role that may only read (a viewer; an auditor may): the register's line under New
        # says why, and so do these buttons' tips.
        self.write_refusal = self.register_screen.write_refusal
        hold_refused(self.write_refusal, self.whys, self.add_cause_button, self.root_button,
                     self.remove_cause_button, self.add_action_button, self.done_button,
                     self.reschedule_button, self.add_review_button, self.close_button,
                     self.reopen_button)
        if self.write_refusal:
            self.whys.hint.hide()  # how to type whys, to a role that cannot
        self.trends = TrendsPanel()
        self.tabs.addTab(scrolling(self.trends), "Trends")
        self.tabs.setTabToolTip(TRENDS_TAB, "Nonconformities of the last twelve months")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.register_screen)

        self.register_screen.status_message.connect(self.status_message)
        self.register_screen.record_shown.connect(self._record_shown)
        self.tabs.currentChanged.connect(self._tab_changed)
        # Newest first, with the title narrow enough to leave the other columns in view.
        self.register_screen.model.modelReset.connect(self._size_list)
        self.register_screen.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self._record_shown(self.form.record)
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    # --- Building -------------------------------------------------------------------------

    def _build_details(self) -> None:
        self.reference_label = bold(ElidedLabel(), 1.25)
        self.reference_label.setAccessibleName("Nonconformity shown")
        self.reference_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_chip = QLabel()
        self.status_chip.setAccessibleName("Status")
        self.severity_chip = QLabel()
        self.severity_chip.setAccessibleName("Severity")
        self.summary_label = muted_text(QLabel())
        self.summary_label.setAccessibleName("Where it stands")
        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(self.reference_label, 1, Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.severity_chip, 0, Qt.AlignmentFlag.AlignVCenter)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Nonconformity tabs")
        self.tabs.setDocumentMode(True)
        self.details = QWidget()
        self.details.setAccessibleName("Selected nonconformity")
        # Room for the six tabs; a 1024-wide window leaves the list the rest to read titles in.
        self.details.setMinimumWidth(560)
        details_layout = QVBoxLayout(self.details)
        details_layout.setContentsMargins(16, 0, 0, 0)
        details_layout.setSpacing(4)
        details_layout.addLayout(head)
        details_layout.addWidget(self.summary_label)
        details_layout.addWidget(self.tabs, 1)

        splitter = self.register_screen.splitter
        form_panel = splitter.widget(1)
        assert form_panel is not None  # the register screen's form, beside its list
        splitter.replaceWidget(1, self.details)
        self._form_panel = form_panel
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([430, 800])

    def _page(self, title: str, tip: str) -> QVBoxLayout:
        page = QWidget()
        page.setAccessibleName(title)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        self.tabs.addTab(scrolling(page), title)
        self.tabs.setTabToolTip(self.tabs.count() - 1, tip)
        return layout

    def _build_what_happened(self) -> None:
        panel_layout = self._form_panel.layout()
        if panel_layout is not None:
            panel_layout.setContentsMargins(12, 12, 12, 12)
        self._form_panel.setMinimumWidth(0)
        # The header above the tabs names the record; the form need not say it again.
        self.form.title_label.hide()
        self.tabs.addTab(self._form_panel, "What happened")
        self.tabs.setTabToolTip(WHAT_TAB, "What was found, the correction and the containment")

    def _build_root_cause(self) -> None:
        layout = self._page("Root cause", "5 whys and the fishbone of causes")
        self.add_cause_button = QPushButton("Add cause…")
        self.add_cause_button.setAccessibleName("Add a cause to the fishbone")
        self.root_button = QPushButton("Mark as root cause")
        self.root_button.setAccessibleName("Mark or unmark the chosen cause as root cause")
        self.remove_cause_button = QPushButton("Remove cause")
        self.remove_cause_button.setAccessibleName("Remove the chosen cause")
        self.fishbone_hint = muted_text(QLabel())
        self.fishbone_hint.setAccessibleName("About the fishbone")
        tools = QHBoxLayout()
        tools.setSpacing(8)
        tools.addWidget(bold(QLabel("Fishbone")))
        tools.addSpacing(8)
        tools.addWidget(self.add_cause_button)
        tools.addWidget(self.root_button)
        tools.addWidget(self.remove_cause_button)
        tools.addStretch(1)
        self.fishbone = FishboneView()
        fish = QWidget()
        fish_layout = QVBoxLayout(fish)
        fish_layout.setContentsMargins(0, 0, 0, 0)
        fish_layout.setSpacing(6)
        fish_layout.addLayout(tools)
        fish_layout.addWidget(self.fishbone, 1)
        fish_layout.addWidget(self.fishbone_hint)

        self.whys = WhyChainEditor()
        self.root_summary = QLabel()
        self.root_summary.setWordWrap(True)
        self.root_summary.setAccessibleName("Root causes found")
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(fish)
        split.addWidget(self.whys)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([400, 190])
        layout.addWidget(split, 1)
        layout.addWidget(self.root_summary)

        self.add_cause_button.clicked.connect(self.add_cause)
        self.root_button.clicked.connect(self._toggle_current_root)
        self.remove_cause_button.clicked.connect(self._remove_current_cause)
        self.fishbone.root_toggle_requested.connect(self.toggle_root)
        self.fishbone.remove_requested.connect(self.remove_cause)
        self.fishbone.current_changed.connect(self._update_cause_buttons)
        self.whys.saved.connect(self._whys_saved)

    def _build_similar(self) -> None:
        layout = self._page("Similar cases", "Earlier nonconformities that may be the same")
        intro = muted_text(QLabel(
            "Earlier nonconformities on the same process, with a root cause in the same fishbone "
            "category, or whose root causes share words with this one. Press Enter to open one."
        ))
        self.similar_table = make_table(
            "Similar cases", ["Reference", "Title", "Raised", "Status", "Why it may be similar"]
        )
        self.similar_empty = empty_state("")
        self.similar_stack = QStackedWidget()
        self.similar_stack.addWidget(self.similar_table)
        self.similar_stack.addWidget(self.similar_empty)
        layout.addWidget(intro)
        layout.addWidget(self.similar_stack, 1)
        self.similar_table.activated.connect(self._open_similar)

    def _build_actions(self) -> None:
        layout = self._page("Actions", "Corrective actions and their evidence")
        self.add_action_button = QPushButton("Add corrective action…")
        self.add_action_button.setAccessibleName("Add a corrective action")
        self.done_button = QPushButton("Mark done…")
        self.done_button.setAccessibleName("Mark the chosen action done")
        self.reschedule_button = QPushButton("Reschedule…")
        self.reschedule_button.setAccessibleName("Move the chosen action's due date")
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.add_action_button)
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.reschedule_button)
        buttons.addStretch(1)
        self.actions_table = make_table(
            "Corrective actions", ["Action", "Owner", "Due", "Status", "Done on", "Evidence"]
        )
        self.actions_empty = empty_state("")
        self.actions_stack = QStackedWidget()
        self.actions_stack.addWidget(self.actions_table)
        self.actions_stack.addWidget(self.actions_empty)
        layout.addLayout(buttons)
        layout.addWidget(self.actions_stack, 1)
        self.add_action_button.clicked.connect(self.add_action)
        self.done_button.clicked.connect(self.mark_done)
        self.reschedule_button.clicked.connect(self.reschedule_action)
        self.actions_table.itemSelectionChanged.connect(self._update_action_buttons)

    def _build_closing(self) -> None:
        # A short tab title: all six tabs fit a 1024-wide window without scroll arrows.
        layout = self._page("Closing",
                            "Effectiveness: did the actions work? Then close the nonconformity")
        self.add_review_button = QPushButton("Add effectiveness review…")
        self.add_review_button.setAccessibleName("Add an effectiveness review")
        reviews_head = QHBoxLayout()
        reviews_head.addWidget(bold(QLabel("Effectiveness reviews")))
        reviews_head.addStretch(1)
        reviews_head.addWidget(self.add_review_button)
        self.reviews_table = make_table(
            "Effectiveness reviews", ["Reviewed on", "Verdict", "By", "Evidence"]
        )
        self.reviews_empty = empty_state("")
        self.reviews_stack = QStackedWidget()
        self.reviews_stack.addWidget(self.reviews_table)
        self.reviews_stack.addWidget(self.reviews_empty)

        self.closing_frame = QFrame()
        self.closing_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.closing_frame.setAccessibleName("Closing")
        self.closing_state = bold(QLabel())
        self.closing_state.setWordWrap(True)
        self.closing_state.setAccessibleName("Closing state")
        self.blockers_label = QLabel()
        self.blockers_label.setWordWrap(True)
        self.blockers_label.setAccessibleName("What stands in the way of closing")
        self.blockers_label.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button = QPushButton("Close…")
        self.close_button.setAccessibleName("Close the nonconformity")
        self.reopen_button = QPushButton("Reopen")
        self.reopen_button.setAccessibleName("Reopen the nonconformity")
        closing_buttons = QHBoxLayout()
        closing_buttons.addStretch(1)
        closing_buttons.addWidget(self.reopen_button)
        closing_buttons.addWidget(self.close_button)
        closing_layout = QVBoxLayout(self.closing_frame)
        closing_layout.setContentsMargins(14, 12, 14, 12)
        closing_layout.setSpacing(8)
        closing_layout.addWidget(self.closing_state)
        closing_layout.addWidget(self.blockers_label)
        closing_layout.addLayout(closing_buttons)

        layout.addLayout(reviews_head)
        layout.addWidget(self.reviews_stack, 1)
        layout.addWidget(self.closing_frame)
        self.add_review_button.clicked.connect(self.add_review)
        self.close_button.clicked.connect(self.close_nc)
        self.reopen_button.clicked.connect(self.reopen_nc)

    # --- What the main window calls -------------------------------------------------------

    @property
    def nonconformity(self) -> Nonconformity | None:
        return self._nc

    def reload(self) -> None:
        self.register_screen.reload()
        self._refresh_details()
        if self._nc is None and self.tabs.currentIndex() == TRENDS_TAB:
            self.trends.refresh()  # _refresh_details reads the trends only beside a record

    def new_record(self) -> None:
        if not self._confirm_whys():
            return
        self.tabs.setCurrentIndex(WHAT_TAB)
        self.register_screen.new_record()

    def focus_search(self) -> None:
        self.register_screen.focus_search()

    def save(self) -> bool:
        saved = False
        if self.whys.has_unsaved_changes():
            saved = self.whys.save()
            if not saved:
                self.tabs.setCurrentIndex(ROOT_TAB)
                self.status_message.emit(self.whys.not_saved_text())
                return False
        if self.register_screen.has_unsaved_changes():
            saved = self.register_screen.save() or saved
        return saved

    def has_unsaved_changes(self) -> bool:
        return self.register_screen.has_unsaved_changes() or self.whys.has_unsaved_changes()

    def show_record(self, record_id: str) -> bool:
        """Open nonconformity `record_id` (from another screen, or a similar case)."""
        if not self._confirm_whys():
            return False
        return self.register_screen.show_record(record_id)

    # --- The selected nonconformity -------------------------------------------------------

    def _record_shown(self, record: object) -> None:
        nc = record if isinstance(record, Nonconformity) else None
        if self._nc is not None and (nc is None or nc.id != self._nc.id):
            self._confirm_whys(can_cancel=False)
        self._nc = nc
        self._refresh_details()

    def _fresh(self) -> Nonconformity | None:
        if self._nc is None:
            return None
        self._nc = Nonconformity.get_or_none(Nonconformity.id == self._nc.id)
        return self._nc

    def _after_change(self, message: str) -> None:
        """A service changed the nonconformity or what hangs off it: read everything again."""
        self._fresh()
        self.register_screen.reload()
        self._refresh_details()
        self.status_message.emit(message)

    def _refresh_details(self) -> None:
        nc = self._nc
        for index in (ROOT_TAB, SIMILAR_TAB, ACTIONS_TAB, CLOSING_TAB):
            self.tabs.setTabEnabled(index, nc is not None)
        if nc is None:
            self.reference_label.setText("New nonconformity")
            self.status_chip.hide()
            self.severity_chip.hide()
            self.summary_label.setText(
                "Describe what happened and press Save; it gets its reference then. Root "
                "cause, actions and closing open once it is saved."
            )
            if self.tabs.currentIndex() not in (WHAT_TAB, TRENDS_TAB):
                self.tabs.setCurrentIndex(WHAT_TAB)
            self.whys.load(None)
            self.fishbone.set_diagram("", [])
            return
        self.reference_label.setText(f"{nc.reference} · {nc.title}")
        chip(self.status_chip, STATUS_LABELS.get(nc.status, nc.status),
             STATUS_HUES.get(nc.status, "#8a8a8a"))
        self.status_chip.show()
        severity_hue = {"minor": "#8a8a8a", "major": "#d9822b", "critical": "#d93f3f"}
        chip(self.severity_chip, SEVERITY_LABELS.get(nc.severity, nc.severity),
             severity_hue.get(nc.severity, "#8a8a8a"))
        self.severity_chip.show()
        self.summary_label.setText(self._summary(nc))
        if not self.whys.has_unsaved_changes() or self.whys._nc is None or (
            self.whys._nc.id != nc.id
        ):
            self.whys.load(nc)
        self._refresh_fishbone()
        self._refresh_similar()
        self._refresh_actions()
        self._refresh_closing()
        if self.tabs.currentIndex() == TRENDS_TAB:
            self.trends.refresh()

    @staticmethod
    def _summary(nc: Nonconformity) -> str:
        source = dict(NC_SOURCES).get(nc.source, nc.source)
        parts = [f"Raised {short_date(nc.raised_on)}", source]
        if nc.process is not None:
            parts.append(nc.process.display_name())
        linked = list(nc.feedback)
        if linked:
            parts.append(f"from the complaint of {linked[0].customer}")
        open_actions = [a for a in actions.actions_for(nc) if a.status == actions.OPEN]
        if open_actions:
            parts.append(f"{len(open_actions)} open action" + ("s" if len(open_actions) > 1
                                                               else ""))
        if nc.status == nonconformities.CLOSED and nc.closed_on:
            parts.append(f"closed {short_date(nc.closed_on)}")
        return " · ".join(parts)

    # --- Root cause -----------------------------------------------------------------------

    def _refresh_fishbone(self) -> None:
        nc = self._nc
        if nc is None:
            return
        grouped = nonconformities.fishbone(nc)
        bones = [
            Bone(key, label, tuple(Cause(c.id, c.cause, bool(c.is_root))
                                   for c in grouped.get(key, [])))
            for key, label in FISHBONE_CATEGORIES
        ]
        self.fishbone.set_diagram(nc.title, bones)
        count = sum(len(b.causes) for b in bones)
        if count:
            self.fishbone_hint.setText(
                "Root causes are starred and shaded." if self.write_refusal else
                "Double-click a cause (or choose it and press Space) to mark it as a root "
                "cause; Delete removes it. Root causes are starred and shaded."
            )
        else:
            self.fishbone_hint.setText(
                "No causes yet." if self.write_refusal else
                "No causes yet. Press Add cause… and choose its category: people, machines, "
                "methods, materials, measurement or environment."
            )
        found = nonconformities.root_causes(nc)
        self.root_summary.setText(
            "Root cause found: " + "; ".join(found) if found else
            "No root cause yet: finish the whys or mark a fishbone cause as root."
        )
        set_text_color(self.root_summary, self.palette().color(QPalette.ColorRole.WindowText)
                       if found else warning_color(self.palette()))
        self._update_cause_buttons()

    def _update_cause_buttons(self, *_args: object) -> None:
        current = self.fishbone.cause(self.fishbone.current_cause())
        closed = self._nc is not None and self._nc.status == nonconformities.CLOSED
        self.add_cause_button.setEnabled(self._nc is not None and not closed)
        self.root_button.setEnabled(current is not None and not closed)
        self.remove_cause_button.setEnabled(current is not None and not closed)
        self.root_button.setText("Not a root cause" if current is not None and current.is_root
                                 else "Mark as root cause")

    def add_cause(self) -> None:
        nc = self._nc
        if nc is None:
            return
        dialog = FormDialog("Add a cause", "A possible cause of the problem, in the category "
                            "it belongs to. Mark it as a root cause if the analysis shows it is.",
                            "Add cause", self)
        category = QComboBox()
        for key, label in FISHBONE_CATEGORIES:
            category.addItem(label, key)
        current = self.fishbone.cause(self.fishbone.current_cause())
        if current is not None:
            key = next(b.key for b in self.fishbone.bones() if current in b.causes)
            category.setCurrentIndex(category.findData(key))
        dialog.add_field("category", "&Category", category)
        dialog.add_line("cause", "C&ause",
                        placeholder="e.g. “No check of the label before packing”")
        root = QCheckBox("This is a &root cause")
        dialog.add_field("is_root", "", root)
        dialog.set_submit(lambda v: nonconformities.add_cause(
            nc, v["category"], v["cause"], root.isChecked()))
        dialog.accepted.connect(lambda: self._cause_added(dialog.result_value))
        self._open(dialog)

    def _cause_added(self, cause: FishboneCause) -> None:
        self._after_change(f"Added the cause “{cause.cause}”.")
        self.fishbone.set_current(cause.id)

    def toggle_root(self, cause_id: str) -> None:
        cause = FishboneCause.get_or_none(FishboneCause.id == cause_id)
        if cause is None or self._nc is None or self._nc.status == nonconformities.CLOSED:
            return
        nonconformities.toggle_root(cause)
        self._after_change(
            f"“{cause.cause}” is {'now' if cause.is_root else 'no longer'} a root cause."
        )
        self.fishbone.set_current(cause_id)

    def remove_cause(self, cause_id: str) -> None:
        cause = FishboneCause.get_or_none(FishboneCause.id == cause_id)
        if cause is None or self._nc is None or self._nc.status == nonconformities.CLOSED:
            return
        nonconformities.remove_cause(cause)
        self._after_change(f"Removed the cause “{cause.cause}”.")

    def _toggle_current_root(self) -> None:
        if self.fishbone.current_cause():
            self.toggle_root(self.fishbone.current_cause())

    def _remove_current_cause(self) -> None:
        if self.fishbone.current_cause():
            self.remove_cause(self.fishbone.current_cause())

    def _whys_saved(self) -> None:
        count = len(self.whys.answers())
        self._after_change(f"Saved the 5 whys ({count} step{'s' if count != 1 else ''}).")

    def _confirm_whys(self, can_cancel: bool = True) -> bool:
        """Unsaved whys before showing another record: save, discard (or stay)."""
        if not self.whys.has_unsaved_changes():
            return True
        buttons = QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        if can_cancel:
            buttons |= QMessageBox.StandardButton.Cancel
        answer = QMessageBox.question(self, "Unsaved 5 whys", "Save the changes to the 5 whys "
                                      "first?", buttons, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.whys.save() or not can_cancel
        if answer == QMessageBox.StandardButton.Discard:
            self.whys.revert()
            return True
        return False

    # --- Similar cases --------------------------------------------------------------------

    def _refresh_similar(self) -> None:
        nc = self._nc
        if nc is None:
            return
        cases = nonconformities.similar(nc)
        fill_table(self.similar_table, [
            (case.nonconformity.id, [
                case.nonconformity.reference, case.nonconformity.title,
                short_date(case.nonconformity.raised_on),
                STATUS_LABELS.get(case.nonconformity.status, case.nonconformity.status),
                "; ".join(case.reasons).capitalize(),
            ]) for case in cases
        ])
        self.similar_empty.setText(
            "No earlier nonconformity looks like this one. Mark root causes in the fishbone "
            "or finish the whys to compare by cause."
        )
        self.similar_stack.setCurrentWidget(self.similar_table if cases else self.similar_empty)
        count = len(cases)
        self.tabs.setTabText(SIMILAR_TAB, f"Similar cases ({count})" if count else
                             "Similar cases")

    def _open_similar(self, *_args: object) -> None:
        record_id = selected_id(self.similar_table)
        if record_id:
            self.show_record(record_id)

    # --- Actions --------------------------------------------------------------------------

    def _refresh_actions(self) -> None:
        nc = self._nc
        if nc is None:
            return
        rows = actions.actions_for(nc)
        current = selected_id(self.actions_table)
        fill_table(self.actions_table, [
            (a.id, [
                a.title, a.owner.display_name() if a.owner is not None else "",
                short_date(a.due_on) + (" (overdue)" if actions.is_overdue(a, today()) else ""),
                ACTION_STATUS_LABELS.get(a.status, a.status), short_date(a.done_on),
                a.evidence,
            ]) for a in rows
        ])
        for row in range(self.actions_table.rowCount()):
            item = self.actions_table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == current:
                self.actions_table.selectRow(row)
        if not rows:
            self.actions_empty.setText(
                "No corrective action yet." if self.write_refusal else
                "No corrective action yet. Press Add corrective action… to say what will be "
                "done about the root cause, by whom and by when."
            )
        self.actions_stack.setCurrentWidget(self.actions_table if rows else self.actions_empty)
        open_count = sum(1 for a in rows if a.status == actions.OPEN)
        self.tabs.setTabText(ACTIONS_TAB, f"Actions ({open_count} open)" if open_count else
                             "Actions")
        if rows and self.actions_table.currentRow() < 0:
            first_open = next((i for i, a in enumerate(rows) if a.status == actions.OPEN), 0)
            self.actions_table.selectRow(first_open)
        self._update_action_buttons()

    def _selected_action(self) -> Action | None:
        action_id = selected_id(self.actions_table)
        return Action.get_or_none(Action.id == action_id) if action_id else None

    def _update_action_buttons(self) -> None:
        action = self._selected_action()
        closed = self._nc is None or self._nc.status == nonconformities.CLOSED
        self.add_action_button.setEnabled(not closed)
        is_open = action is not None and action.status == actions.OPEN
        self.done_button.setEnabled(is_open)
        self.reschedule_button.setEnabled(is_open)

    def add_action(self) -> None:
        nc = self._nc
        if nc is None:
            return
        dialog = FormDialog(f"Corrective action for {nc.reference}",
                            "What will be done to remove the root cause, who does it, and by "
                            "when.", "Add action", self)
        dialog.add_line("title", "&What will be done",
                        placeholder="e.g. “Add a label check to packing”")
        dialog.add_field("owner", "&Owner", people_combo("Owner"))
        dialog.add_date("due_on", "&Due on", today() + dt.timedelta(days=30))

        def submit(_values: dict[str, Any]) -> Any:
            owner_id = dialog.text("owner")
            owner = Person.get_by_id(owner_id) if owner_id else None
            return nonconformities.raise_action(nc, dialog.text("title"), owner,
                                                dialog.date("due_on"))

        dialog.set_submit(submit)
        dialog.accepted.connect(
            lambda: self._after_change(f"Added the action “{dialog.result_value.title}”.")
        )
        self._open(dialog)

    def mark_done(self) -> None:
        action = self._selected_action()
        if action is None:
            return
        dialog = FormDialog("Mark the action done", f"“{action.title}”: when was it done, and "
                            "what shows it (a record, a photo, a document)?", "Mark done", self)
        dialog.add_date("done_on", "Done &on", today())
        dialog.add_text("evidence", "&Evidence", placeholder="e.g. “Checklist v3 in use since…”")
        dialog.set_submit(lambda v: actions.complete(action, v["done_on"], v["evidence"]))
        dialog.accepted.connect(lambda: self._after_change(f"Marked “{action.title}” done."))
        self._open(dialog)

    def reschedule_action(self) -> None:
        action = self._selected_action()
        if action is None:
            return
        dialog = FormDialog("Move the due date", f"“{action.title}” is due "
                            f"{short_date(action.due_on)}. The original date stays on record.",
                            "Move", self)
        dialog.add_date("due_on", "&New due date", action.due_on)
        dialog.add_line("reason", "&Reason", placeholder="Why the date moves")
        dialog.set_submit(lambda v: actions.reschedule(action, v["due_on"], v["reason"]))
        dialog.accepted.connect(lambda: self._after_change(f"Moved “{action.title}”."))
        self._open(dialog)

    # --- Effectiveness and closing --------------------------------------------------------

    def _refresh_closing(self) -> None:
        nc = self._nc
        if nc is None:
            return
        reviews = list(nc.effectiveness_reviews.where(
            is_live(EffectivenessReview)
        ).order_by(EffectivenessReview.reviewed_on.desc()))
        fill_table(self.reviews_table, [
            (r.id, [short_date(r.reviewed_on), VERDICT_LABELS.get(r.verdict, r.verdict),
                    r.reviewed_by.display_name() if r.reviewed_by is not None else "", r.notes])
            for r in reviews
        ])
        self.reviews_empty.setText(
            "No effectiveness review yet. Once the actions are done, check that the problem "
            "has not come back and record what showed it."
        )
        self.reviews_stack.setCurrentWidget(self.reviews_table if reviews else self.reviews_empty)
        closed = nc.status == nonconformities.CLOSED
        palette = self.palette()
        if closed:
            reason = f" with the reason: {nc.closure_reason}" if nc.closure_reason else ""
            self.closing_state.setText(f"Closed on {short_date(nc.closed_on)}{reason}.")
            self.blockers_label.setText("Reopen it if the problem comes back or the closing "
                                        "was premature.")
            set_text_color(self.blockers_label, muted_color(palette))
        else:
            blockers = nonconformities.closure_blockers(nc)
            if blockers:
                self.closing_state.setText("Not ready to close.")
                self.blockers_label.setText(
                    "Before it can close:\n" + "\n".join(f"• {b[0].upper()}{b[1:]}."
                                                         for b in blockers)
                    + "\nYou can still close it with a reason, which is kept."
                )
                set_text_color(self.blockers_label, warning_color(palette))
            else:
                self.closing_state.setText("Ready to close.")
                self.blockers_label.setText("Every action is done or cancelled and the latest "
                                            "review found them effective.")
                set_text_color(self.blockers_label, success_color(palette))
        self.close_button.setEnabled(not closed)
        self.reopen_button.setEnabled(closed)
        self.add_review_button.setEnabled(not closed)

    def add_review(self) -> None:
        nc = self._nc
        if nc is None:
            return
        dialog = FormDialog("Effectiveness review", "Did the actions remove the cause? Say what "
                            "you checked and what it showed.", "Add review", self)
        dialog.add_date("reviewed_on", "Reviewed &on", today())
        verdict = QComboBox()
        for key, label in EFFECTIVENESS_VERDICTS:
            verdict.addItem(label, key)
        dialog.add_field("verdict", "&Verdict", verdict)
        dialog.add_text("notes", "&Evidence", placeholder="e.g. “No label errors in 6 weeks of "
                             "shipments (1,240 parcels checked)”")
        dialog.add_field("by", "Reviewed &by", people_combo("Reviewed by"))

        def submit(_values: dict[str, Any]) -> Any:
            by_id = dialog.text("by")
            return nonconformities.add_effectiveness_review(
                nc, dialog.date("reviewed_on"), dialog.text("verdict"),  # type: ignore[arg-type]
                dialog.text("notes"), Person.get_by_id(by_id) if by_id else None,
            )

        dialog.set_submit(submit)
        dialog.accepted.connect(lambda: self._after_change("Added the effectiveness review."))
        self._open(dialog)

    def close_nc(self) -> None:
        nc = self._fresh()
        if nc is None:
            return
        blockers = nonconformities.closure_blockers(nc)
        if blockers:
            intro = (f"{nc.reference} is not ready to close:\n"
                     + "\n".join(f"• {b[0].upper()}{b[1:]}." for b in blockers)
                     + "\nFinish these first, or close it anyway and say why: the reason is "
                     "kept with the record.")
            ok_text = "Close anyway"
        else:
            intro = (f"Every action on {nc.reference} is done and the latest review found them "
                     "effective.")
            ok_text = "Close"
        dialog = FormDialog(f"Close {nc.reference}", intro, ok_text, self)
        set_text_color(dialog.intro_label, warning_color(dialog.palette()) if blockers
                       else muted_color(dialog.palette()))
        dialog.add_date("closed_on", "Closed &on", today())
        if blockers:
            dialog.add_text("reason", "&Reason", placeholder="Why it is closed although it is not "
                                 "ready")
        dialog.set_submit(lambda v: nonconformities.close(nc, v["closed_on"], v.get("reason", "")))
        dialog.accepted.connect(lambda: self._after_change(f"Closed {nc.reference}."))
        self._open(dialog)

    def reopen_nc(self) -> None:
        nc = self._fresh()
        if nc is None:
            return
        answer = QMessageBox.question(
            self, f"Reopen {nc.reference}",
            f"Reopen {nc.reference}? Its closing date and reason are cleared; the history "
            "keeps them.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            nonconformities.reopen(nc)
        except ValidationError as error:
            self.status_message.emit(problems_text(error))
            return
        self._after_change(f"Reopened {nc.reference}.")

    # --- Internals ------------------------------------------------------------------------

    def _open(self, dialog: FormDialog) -> None:
        self.dialog = dialog
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _size_list(self) -> None:
        header = self.register_screen.table.horizontalHeader()
        if self.register_screen.model.rowCount() and header.sectionSize(1) > 220:
            header.resizeSection(1, 220)

    def _tab_changed(self, index: int) -> None:
        if index == TRENDS_TAB:
            self.trends.refresh()
