"""Context and issues (4.1): the issues register, the climate decision the 2024 amendment asks
for, and what changed in the context since a date (input b of the management review).

The register is the general `RegisterScreen` over `CONTEXT_ISSUES`; this screen adds the
climate panel above it and the changes list beside it. The rules live in `qms_desktop.context`.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, context, policy, reviews
from qms_desktop.context_registers import CONTEXT_ISSUES, year_before
from qms_desktop.errors import ValidationError
from qms_desktop.models import ClimateDecision, Person
from ui.kit.header import title_and_clause
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.permission import hold_refused, write_refusal
from ui.kit.pickers import TOP_MANAGEMENT_MARK, active_people
from ui.kit.record_form import OptionalDateEdit
from ui.kit.register_screen import RegisterScreen
from ui.kit.text import long_date
from ui.kit.theme import muted_color, on_theme_change, set_text_color, tint, warning_color
from ui.kit.widgets import (
    bold,
    muted_label,
    ok_cancel_buttons,
    problem_label,
    problems_text,
    screen_layout,
    setup_readonly_table,
    show_problem,
)

DESCRIPTION = (
    "The issues inside and outside the business that affect what it sets out to achieve. "
    "Since the 2024 amendment, auditors also ask whether climate change is one of them."
)
CLIMATE_GAP = (
    "Not decided yet: record whether climate change is a relevant issue "
    "(2024 amendment to 4.1)."
)
ISSUES_TAB, CHANGES_TAB = 0, 1
GAP_HUE = "#d99a00"


def climate_sentence(decision: ClimateDecision) -> str:
    """"Climate change is a relevant issue — decided 3 March 2026: <reason>"."""
    verdict = "is a relevant issue" if decision.relevant else "is not a relevant issue"
    by = f" by {decision.decided_by.full_name}" if decision.decided_by else ""
    return (f"Climate change {verdict} — decided {long_date(decision.decided_on)}{by}: "
            f"{decision.reason}")


def climate_history() -> list[ClimateDecision]:
    return list(
        ClimateDecision.live()
        .order_by(ClimateDecision.decided_on.desc(), ClimateDecision.id.desc())
    )


def default_changes_since(today: dt.date | None = None) -> tuple[dt.date, str]:
    """The last management review's date, or a year ago; with words saying which."""
    today = today or clock.today()
    last = reviews.last_held(before=today + dt.timedelta(days=1))
    if last is not None:
        return last.meeting_on, f"the last management review ({long_date(last.meeting_on)})"
    return year_before(today), "12 months ago (no management review held yet)"


# --- Record the climate decision --------------------------------------------------------------


class ClimateDecisionDialog(QDialog):
    """Relevant or not, why, who decided and when; saved in `accept()`."""

    recorded = Signal(object)  # the ClimateDecision just saved

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decision: ClimateDecision | None = None
        self.setWindowTitle("Record the climate decision")
        self.setAccessibleName("Record the climate decision")
        self.setMinimumWidth(520)

        intro = QLabel(
            "Is climate change a relevant issue for the business? Think of heat, storms or "
            "floods at your sites, suppliers and transport, and customers asking about "
            "emissions. Either answer is acceptable; the reason is what auditors read."
        )
        intro.setWordWrap(True)
        self.relevant_radio = QRadioButton("&Yes, climate change is a relevant issue")
        self.relevant_radio.setAccessibleName("Climate change is relevant")
        self.not_relevant_radio = QRadioButton("&No, it is not a relevant issue")
        self.not_relevant_radio.setAccessibleName("Climate change is not relevant")
        self.answer_group = QButtonGroup(self)
        self.answer_group.addButton(self.relevant_radio)
        self.answer_group.addButton(self.not_relevant_radio)
        current = context.climate_decision()
        if current is not None:
            (self.relevant_radio if current.relevant else self.not_relevant_radio).setChecked(
                True
            )

        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setAccessibleName("Reason (required)")
        self.reason_edit.setPlaceholderText(
            "e.g. Storms have closed our site twice in three years and customers ask for the "
            "carbon footprint of our products."
        )
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 14)
        self.by_combo = QComboBox()
        self.by_combo.setAccessibleName("Decided by")
        self.by_combo.addItem("— not recorded —", None)
        people = [(p, policy.is_top_management(p)) for p in active_people()]
        people.sort(key=lambda pair: (not pair[1], pair[0].full_name.lower()))
        for person, top in people:
            self.by_combo.addItem(
                f"{person.full_name} — {TOP_MANAGEMENT_MARK}" if top else person.full_name,
                person.id,
            )
        if people and people[0][1]:
            self.by_combo.setCurrentIndex(1)
        self.on_edit = OptionalDateEdit()
        self.on_edit.setAccessibleName("Decided on")
        self.on_edit.set_date(clock.today())

        answers = QVBoxLayout()
        answers.setSpacing(4)
        answers.addWidget(self.relevant_radio)
        answers.addWidget(self.not_relevant_radio)
        form = QFormLayout()
        form.setSpacing(8)
        answer_label = QLabel("Relevant?")
        form.addRow(answer_label, answers)
        reason_label = QLabel("&Reason *")
        reason_label.setBuddy(self.reason_edit)
        form.addRow(reason_label, self.reason_edit)
        by_label = QLabel("Decided &by")
        by_label.setBuddy(self.by_combo)
        form.addRow(by_label, self.by_combo)
        on_label = QLabel("Decided &on")
        on_label.setBuddy(self.on_edit)
        form.addRow(on_label, self.on_edit)

        self.error_label = problem_label()
        self.buttons, self.record_button = ok_cancel_buttons(
            self, "Record &decision", "Record decision"
        )

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._reason_edited)

    def _reason_edited(self) -> None:
        show_problem(self.error_label, "")

    def accept(self) -> None:
        if not self.answer_group.checkedButton():
            show_problem(self.error_label, "Choose Yes or No.")
            self.relevant_radio.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        on = self.on_edit.date()
        if on is None:
            show_problem(self.error_label, self.on_edit.problem() or "Enter the date decided.")
            return
        if on > clock.today():
            show_problem(self.error_label, "The decision cannot be dated in the future.")
            return
        by_id = self.by_combo.currentData()
        try:
            self.decision = context.decide_climate(
                self.relevant_radio.isChecked(),
                self.reason_edit.toPlainText(),
                Person.get_or_none(Person.id == by_id) if by_id else None,
                on,
            )
        except ValidationError as error:
            show_problem(self.error_label, problems_text(error))
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.recorded.emit(self.decision)
        super().accept()


class ClimateHistoryDialog(QDialog):
    """Every climate decision, newest first: what was decided, when, by whom and why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Climate decisions")
        self.setAccessibleName("Climate decisions")
        self.resize(720, 360)
        decisions = climate_history()
        self.table = QTableWidget(len(decisions), 4)
        self.table.setAccessibleName("Climate decisions, newest first")
        self.table.setHorizontalHeaderLabels(["Decided on", "Relevant", "By", "Reason"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        for row, decision in enumerate(decisions):
            cells = [
                long_date(decision.decided_on),
                "Yes" if decision.relevant else "No",
                decision.decided_by.full_name if decision.decided_by else "",
                decision.reason,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, 360)
        self.table.resizeRowsToContents()
        note = muted_label("The newest decision is the one in force; earlier ones stay as "
                           "a record of how the view changed.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


# --- The screen -----------------------------------------------------------------------------


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = (
    "context_issue", "climate_decision", "interested_party", "party_requirement",
    "management_review", "review_decision", "document", "document_version", "person",
)


class ContextScreen(QWidget):
    """Issues register with the climate decision above it and recent changes beside it."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Context and issues")
        self.active_dialog: QDialog | None = None
        self._history_dialog: ClimateHistoryDialog | None = None

        self._build_header()
        self._build_climate_panel()
        self.issues = RegisterScreen(CONTEXT_ISSUES)
        self.issues.title_label.hide()
        self.issues.clause_label.hide()
        self.issues.description_label.hide()
        issues_layout = self.issues.layout()
        if issues_layout is not None:
            issues_layout.setContentsMargins(4, 12, 4, 4)
        self._build_changes_tab()

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Context tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.issues, "Issues")
        self.tabs.addTab(self.changes_tab, "Changes since…")
        self.tabs.setTabToolTip(ISSUES_TAB, "Internal and external issues (4.1)")
        self.tabs.setTabToolTip(
            CHANGES_TAB,
            "Issues, interested parties and requirements added, changed or retired since a "
            "date: input b) of the management review",
        )

        screen_layout(self, self._header_layout, self.climate_frame, self.tabs, spacing=8,
                      bottom=12)

        self.issues.status_message.connect(self.status_message)
        self.issues.model.modelReset.connect(self.refresh_changes)
        self.record_button.clicked.connect(self.open_climate_dialog)
        self.history_button.clicked.connect(self.open_history_dialog)
        self.since_edit.dateChanged.connect(self.refresh_changes)
        self.since_review_button.clicked.connect(self.reset_since)
        self.reset_since()
        self._apply_colours()
        on_theme_change(self, self._apply_colours)
        self.refresh_climate()
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    # --- Building -------------------------------------------------------------------------

    def _build_header(self) -> None:
        title_row, self.title_label, self.clause_label = title_and_clause(
            "Context and issues", "Clause 4.1")
        self.description_label = QLabel(DESCRIPTION)
        self.description_label.setWordWrap(True)
        self.description_label.setAccessibleName("About context and issues")
        self._header_layout = QVBoxLayout()
        self._header_layout.setSpacing(2)
        self._header_layout.addLayout(title_row)
        self._header_layout.addWidget(self.description_label)

    def _build_climate_panel(self) -> None:
        self.climate_frame = QFrame()
        self.climate_frame.setObjectName("climatePanel")
        self.climate_frame.setAccessibleName("Climate decision")
        self.climate_heading = bold(QLabel("Climate change"))
        self.climate_label = QLabel()
        self.climate_label.setWordWrap(True)
        self.climate_label.setAccessibleName("Climate decision in force")
        self.climate_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_button = QPushButton("Record cli&mate decision…")
        self.record_button.setAccessibleName("Record climate decision")
        self.record_button.setToolTip("Record whether climate change is a relevant issue, and why")
        self.history_button = QPushButton("Histor&y…")
        self.history_button.setAccessibleName("Earlier climate decisions")

        text_column = QVBoxLayout()
        text_column.setSpacing(2)
        text_column.addWidget(self.climate_heading)
        text_column.addWidget(self.climate_label)
        row = QHBoxLayout(self.climate_frame)
        row.setContentsMargins(14, 8, 10, 8)
        row.setSpacing(12)
        row.addLayout(text_column, 1)
        row.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.history_button, 0, Qt.AlignmentFlag.AlignVCenter)
        # A role that may only read: the issues' line under New says why, and so does its tip.
        hold_refused(write_refusal("climate_decision"), self.record_button)

    def _build_changes_tab(self) -> None:
        self.changes_tab = QWidget()
        self.changes_tab.setAccessibleName("Changes in the context")
        self.since_edit = QDateEdit()
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("d MMM yyyy")
        self.since_edit.setAccessibleName("Changes since")
        today = clock.today()
        self.since_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.since_edit.setMinimumWidth(140)
        since_label = QLabel("Changes &since")
        since_label.setBuddy(self.since_edit)
        self.since_review_button = QPushButton("Since the last &review")
        self.since_review_button.setAccessibleName("Changes since the last management review")
        self.since_note = muted_label()
        self.since_note.setAccessibleName("About the date")
        self.changes_count = bold(QLabel())
        self.changes_count.setAccessibleName("Number of changes")

        self.changes_table = QTableWidget(0, 3)
        self.changes_table.setHorizontalHeaderLabels(["When", "What", "Record"])
        setup_readonly_table(self.changes_table, "Changes in the context",
                             stretch_last=False, single_selection=False)
        header = self.changes_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.no_changes_label = QLabel()
        self.no_changes_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_changes_label.setWordWrap(True)
        self.no_changes_label.setMargin(24)
        self.no_changes_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.no_changes_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.no_changes_label.setAutoFillBackground(True)
        self.no_changes_label.setAccessibleName("No changes")
        self.changes_stack = QStackedWidget()
        self.changes_stack.addWidget(self.changes_table)
        self.changes_stack.addWidget(self.no_changes_label)

        controls = QHBoxLayout()
        controls.setSpacing(10)
        controls.addWidget(since_label)
        controls.addWidget(self.since_edit)
        controls.addWidget(self.since_review_button)
        controls.addSpacing(8)
        controls.addWidget(self.since_note, 1)
        intro = muted_label(
            "Issues, interested parties and their requirements added, changed or retired in "
            "the period. The management review reads the same list as input b)."
        )
        layout = QVBoxLayout(self.changes_tab)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addLayout(controls)
        layout.addWidget(self.changes_count)
        layout.addWidget(self.changes_stack, 1)

    def _apply_colours(self) -> None:
        palette = self.palette()
        muted = muted_color(palette)
        for label in (self.clause_label, self.description_label, self.since_note,
                      self.no_changes_label):
            set_text_color(label, muted)
        decided = context.climate_decision() is not None
        if decided:
            back = palette.color(QPalette.ColorRole.AlternateBase)
            border = palette.color(QPalette.ColorRole.Mid)
            text = palette.color(QPalette.ColorRole.WindowText)
        else:
            back = tint(palette, GAP_HUE)
            border = QColor(GAP_HUE)
            text = palette.color(QPalette.ColorRole.WindowText)
        self.climate_frame.setStyleSheet(
            f"QFrame#climatePanel {{ background: {back.name()}; border: 1px solid "
            f"{border.name()}; border-radius: 6px; }}"
        )
        set_text_color(self.climate_label, text)
        set_text_color(self.climate_heading,
                       palette.color(QPalette.ColorRole.WindowText) if decided
                       else warning_color(palette))

    # --- Loading ----------------------------------------------------------------------------

    def refresh_climate(self) -> None:
        decision = context.climate_decision()
        if decision is None:
            self.climate_heading.setText("Climate change: not decided")
            self.climate_label.setText(CLIMATE_GAP)
            self.record_button.setText("Record cli&mate decision…")
        else:
            self.climate_heading.setText("Climate change")
            self.climate_label.setText(climate_sentence(decision))
            self.record_button.setText("Record a ne&w decision…")
        count = len(climate_history())
        self.history_button.setVisible(count > 0)
        self.history_button.setText(f"Histor&y ({count})…")
        self.history_button.setToolTip(
            "Every climate decision recorded, newest first" if count else ""
        )
        self._apply_colours()

    def reset_since(self) -> None:
        since, _words = default_changes_since()
        blocked = self.since_edit.blockSignals(True)
        self.since_edit.setDate(QDate(since.year, since.month, since.day))
        self.since_edit.blockSignals(blocked)
        self.refresh_changes()

    def since(self) -> dt.date:
        chosen = self.since_edit.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def refresh_changes(self) -> None:
        since = self.since()
        default, words = default_changes_since()
        self.since_note.setText(
            f"Default: {words}." if since != default else f"Showing the period since {words}."
        )
        changes = context.changes_since(since)
        self.changes_table.setRowCount(len(changes))
        for row, change in enumerate(changes):
            cells = [long_date(change.when), change.what, change.record.display_name()]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.changes_table.setItem(row, column, item)
        noun = "change" if len(changes) == 1 else "changes"
        self.changes_count.setText(f"{len(changes)} {noun} since {long_date(since)}")
        self._update_changes_tab(len(changes))
        if changes:
            self.changes_stack.setCurrentWidget(self.changes_table)
        else:
            self.no_changes_label.setText(
                f"Nothing added or changed since {long_date(since)}. Review your issues and "
                "interested parties before the management review, and record the date in "
                "“Last reviewed”."
            )
            self.changes_stack.setCurrentWidget(self.no_changes_label)

    def _update_changes_tab(self, count: int) -> None:
        if hasattr(self, "tabs"):
            self.tabs.setTabText(CHANGES_TAB, f"Chan&ges since {long_date(self.since())} "
                                              f"({count})")

    # --- Dialogs ------------------------------------------------------------------------------

    def open_climate_dialog(self) -> ClimateDecisionDialog:
        dialog = ClimateDecisionDialog(self)
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # A slot that holds no reference to the dialog: it is deleted on close.
        dialog.recorded.connect(self._climate_recorded)
        dialog.finished.connect(self._dialog_closed)
        dialog.open()
        return dialog

    def _climate_recorded(self, decision: ClimateDecision) -> None:
        self.refresh_climate()
        verdict = "relevant" if decision.relevant else "not relevant"
        self.status_message.emit(f"Recorded: climate change is {verdict}.")

    def open_history_dialog(self) -> ClimateHistoryDialog:
        # Kept until the next one opens rather than deleted on close: deleting it on close
        # while a test (or a caller) still holds it crashed in teardown.
        if self._history_dialog is not None:
            self._history_dialog.deleteLater()
        dialog = ClimateHistoryDialog(self)
        self._history_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self) -> None:
        self.active_dialog = None

    # --- What the main window calls ---------------------------------------------------------

    def reload(self) -> None:
        self.issues.reload()
        self.refresh_climate()
        self.refresh_changes()

    def new_record(self) -> None:
        self.tabs.setCurrentIndex(ISSUES_TAB)
        self.issues.new_record()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(ISSUES_TAB)
        self.issues.focus_search()

    def save(self) -> bool:
        return self.issues.save()

    def has_unsaved_changes(self) -> bool:
        return self.issues.has_unsaved_changes()

    # --- Qt events ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        # Parties and reviews change on other screens; read the changes again on coming back.
        if not event.spontaneous():
            self.refresh_climate()
            self.refresh_changes()
        super().showEvent(event)
