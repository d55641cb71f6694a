"""Management reviews (9.3): plan the meeting, check its inputs have data, write the minutes,
record decisions, conclude and close, and print the pack.

Reviews are listed on the left; the chosen one is shown on the right in four steps a new user
follows in order: before the meeting, the inputs, the decisions, the conclusion and closing.
The rules (what a review needs before it closes, what closing freezes) live in
`qms_desktop.reviews` and `qms_desktop.packs`; this screen only arranges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import files, packs, review_inputs, reviews
from qms_desktop.dates import add_months
from qms_desktop.errors import ValidationError
from qms_desktop.models import DECISION_KINDS, ManagementReview, ReviewPack
from qms_desktop.review_data import InputSection, PackData, Table
from qms_desktop.text import plural
from ui.kit import widgets
from ui.kit.controlled_document import STATUS_ROLE, WHEN_ROLE, VersionDelegate
from ui.kit.header import ScreenHeader
from ui.kit.icons import icon
from ui.kit.live import EVERY_TABLE, ChangeSource, follow_changes
from ui.kit.record_form import OptionalDateEdit
from ui.kit.text import long_date, short_date
from ui.kit.theme import (
    NEUTRAL_HUE,
    chip_style,
    colored,
    error_color,
    muted_color,
    on_theme_change,
    set_text_color,
    success_color,
    warning_color,
)
from ui.kit.widgets import bold, muted_label, problem_label, setup_readonly_table, show_problem
from ui.screens.reviews.pack_preview import PackPreviewDialog, load_pdf, print_pdf
from ui.screens.reviews.review_dialogs import (
    AttendeeDialog,
    CloseReviewDialog,
    DecisionDialog,
    PlanReviewDialog,
    answers_text,
    busy,
    chosen_person,
    closed_sentence,
    fill_people,
    people_top_first,
)

STATUS_LABELS = {"planned": "Planned", "held": "Held", "closed": "Closed"}
STATUS_HUES = {"planned": "#3b7dd8", "held": "#d99a00", "closed": "#2e8b45"}
REVIEW_ROLE = Qt.ItemDataRole.UserRole
STEPS = ("before", "inputs", "decisions", "conclusion")
# Which screen supplies the data of each review input (sidebar keys of the main window).
INPUT_SCREENS = {
    "a": ("actions", "Actions"), "b": ("issues", "Context & issues"),
    "b2": ("parties", "Interested parties"), "c1": ("feedback", "Customer feedback"),
    "c2": ("objectives", "Objectives & KPIs"), "c3": ("processes", "Processes"),
    "c4": ("nonconformities", "Nonconformities"), "c5": ("objectives", "Objectives & KPIs"),
    "c6": ("audits", "Internal audits"), "c7": ("suppliers", "Suppliers"),
    "d": ("resources", "Resources"), "e": ("risks", "Risks & opportunities"),
    "f": ("risks", "Risks & opportunities"),
}
BAD_MARKS = {"overdue", "failing", "major"}
WARN_MARKS = {"warning", "minor"}
GOOD_MARKS = {"done", "on_target"}
CONCLUSION_FIELDS = (
    ("suitability", "&Suitability",
     "Is the quality system still right for what the business does and where it is going?"),
    ("adequacy", "&Adequacy",
     "Does it cover what it needs to: processes, resources, records?"),
    ("effectiveness", "&Effectiveness",
     "Is it achieving its intended results: objectives met, customers satisfied?"),
    ("strategy_alignment", "Alignment with s&trategy",
     "Does it support the strategic direction of the business?"),
)
DESCRIPTION = (
    "Top management reviews the quality system at planned intervals, looks at every required "
    "input, decides on improvements, changes and resources, and keeps the results."
)


def status_chip_style(palette: QPalette, status: str) -> str:
    return chip_style(palette, STATUS_HUES.get(status, NEUTRAL_HUE))


def _panel(name: str) -> QFrame:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setAccessibleName(name)
    return frame


def _fixed_height_text(edit: QPlainTextEdit, lines: int) -> None:
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


# --- One review input ------------------------------------------------------------------------


class InputSectionWidget(QFrame):
    """One required input: its data read-only, then the meeting's commentary and conclusion."""

    changed = Signal()

    def __init__(self, code: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.title = title
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Input {code}) {title}")
        self.has_data = True

        self.toggle_button = QToolButton()
        self.toggle_button.setText(f"{code})  {title}")
        self.toggle_button.setAccessibleName(f"Input {code}) {title}")
        self.toggle_button.setCheckable(True)
        self.toggle_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle_button.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle_button.setAutoRaise(True)
        self.toggle_button.setStyleSheet("QToolButton { border: none; padding: 4px; }")
        self.toggle_button.setSizePolicy(QSizePolicy.Policy.Expanding,
                                         QSizePolicy.Policy.Preferred)
        bold(self.toggle_button)
        self.state_label = QLabel()
        self.state_label.setAccessibleName(f"State of input {code}")

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(28, 2, 8, 8)
        self.body_layout.setSpacing(6)
        self.data_holder = QWidget()
        self.data_layout = QVBoxLayout(self.data_holder)
        self.data_layout.setContentsMargins(0, 0, 0, 0)
        self.data_layout.setSpacing(6)
        self.commentary_edit = QPlainTextEdit()
        self.commentary_edit.setAccessibleName(f"Commentary on input {code}")
        self.commentary_edit.setPlaceholderText(
            "What the meeting said about this input: trends, causes, what stands out")
        _fixed_height_text(self.commentary_edit, 3)
        self.conclusion_edit = QPlainTextEdit()
        self.conclusion_edit.setAccessibleName(f"Conclusion on input {code}")
        self.conclusion_edit.setPlaceholderText(
            "The conclusion, e.g. “Satisfactory; no action needed” or “Decision 2 raised”")
        _fixed_height_text(self.conclusion_edit, 2)
        commentary_label = QLabel("Commentary")
        commentary_label.setBuddy(self.commentary_edit)
        conclusion_label = QLabel("Conclusion (needed to close the review)")
        conclusion_label.setBuddy(self.conclusion_edit)
        self.body_layout.addWidget(self.data_holder)
        self.body_layout.addSpacing(4)
        self.body_layout.addWidget(commentary_label)
        self.body_layout.addWidget(self.commentary_edit)
        self.body_layout.addWidget(conclusion_label)
        self.body_layout.addWidget(self.conclusion_edit)
        self.body.hide()

        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 10, 2)
        head.addWidget(self.toggle_button, 1)
        head.addWidget(self.state_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.body)

        self.toggle_button.toggled.connect(self.set_expanded)
        self.commentary_edit.textChanged.connect(self._edited)
        self.conclusion_edit.textChanged.connect(self._edited)

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle_button.isChecked() != expanded:
            self.toggle_button.setChecked(expanded)  # comes back here through toggled
            return
        self.toggle_button.setArrowType(Qt.ArrowType.DownArrow if expanded
                                        else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def is_expanded(self) -> bool:
        return self.toggle_button.isChecked()

    def load(self, section: InputSection, commentary: str, conclusion: str) -> None:
        while self.data_layout.count():
            item = self.data_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.has_data = section.has_data
        palette = self.palette()
        if not section.has_data:
            empty = colored(QLabel(section.empty_reason or "No data for the period."),
                            warning_color(palette))
            empty.setWordWrap(True)
            empty.setAccessibleName(f"No data for input {self.code}")
            self.data_layout.addWidget(empty)
        for line in section.summary:
            label = QLabel(line)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.data_layout.addWidget(label)
        for table in section.tables:
            self.data_layout.addWidget(bold(QLabel(table.title)))
            self.data_layout.addWidget(self._table(table))
        if section.charts:
            self.data_layout.addWidget(muted_label(
                f"{plural(len(section.charts), 'chart')} of this input "
                "appear in the pack (Preview)."))
        self.commentary_edit.blockSignals(True)
        self.conclusion_edit.blockSignals(True)
        self.commentary_edit.setPlainText(commentary)
        self.conclusion_edit.setPlainText(conclusion)
        self.commentary_edit.blockSignals(False)
        self.conclusion_edit.blockSignals(False)
        self._update_state()

    def _table(self, table: Table) -> QTableWidget:
        widget = QTableWidget(len(table.rows), len(table.headers))
        widget.setHorizontalHeaderLabels(table.headers)
        # The last column stretches once the others are sized, further down.
        setup_readonly_table(widget, table.title, stretch_last=False, single_selection=False)
        header = widget.horizontalHeader()
        palette = self.palette()
        colours = {"bad": error_color(palette), "warn": warning_color(palette),
                   "good": success_color(palette), "muted": muted_color(palette)}
        for row, values in enumerate(table.rows):
            mark = table.marks[row] if row < len(table.marks) else ""
            kind = ("bad" if mark in BAD_MARKS else "warn" if mark in WARN_MARKS
                    else "good" if mark in GOOD_MARKS
                    else "muted" if mark in {"cancelled", "no_data"} else "")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value if len(value) > 40 else "")
                if kind:
                    item.setForeground(colours[kind])
                widget.setItem(row, column, item)
        widget.resizeColumnsToContents()
        for column in range(widget.columnCount()):
            widget.setColumnWidth(column, min(widget.columnWidth(column) + 12, 340))
        header.setStretchLastSection(True)
        shown = min(len(table.rows), 12)
        row_height = widget.verticalHeader().defaultSectionSize()
        height = header.sizeHint().height() + row_height * max(shown, 1) + 2 * widget.frameWidth()
        if widget.horizontalScrollBar().sizeHint().height() and len(table.headers) > 5:
            height += widget.horizontalScrollBar().sizeHint().height()
        widget.setFixedHeight(height)
        return widget

    def values(self) -> tuple[str, str]:
        return self.commentary_edit.toPlainText(), self.conclusion_edit.toPlainText()

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.commentary_edit, self.conclusion_edit):
            edit.setReadOnly(read_only)
            palette = edit.palette()
            window = self.palette().color(QPalette.ColorRole.Window)
            base = self.palette().color(QPalette.ColorRole.Base)
            palette.setColor(QPalette.ColorRole.Base, window if read_only else base)
            edit.setPalette(palette)

    def _edited(self) -> None:
        self._update_state()
        self.changed.emit()

    def _update_state(self) -> None:
        palette = self.palette()
        if self.conclusion_edit.toPlainText().strip():
            text, colour = "✓ Concluded", success_color(palette)
        elif not self.has_data:
            text, colour = "No data", warning_color(palette)
        else:
            text, colour = "No conclusion yet", muted_color(palette)
        if not self.has_data and self.conclusion_edit.toPlainText().strip():
            text = "No data · ✓ Concluded"
        self.state_label.setText(text)
        set_text_color(self.state_label, colour)


# --- The screen ------------------------------------------------------------------------------


# Its figures come from every register, so any committed change may alter them.
SHOWN_TABLES = EVERY_TABLE


class ReviewsScreen(QWidget):
    """Management reviews on the left; the chosen one on the right, step by step."""

    status_message = Signal(str)
    open_record = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Management reviews")
        self._review: ManagementReview | None = None
        self._sections: list[InputSection] = []
        self._saved_state: tuple[object, ...] = ()
        self._loading = False
        # The dialog opened last; kept so it stays alive while open (and tests can drive it).
        self.active_dialog: QDialog | None = None

        self._build_header()
        self._build_empty_state()
        self._build_list_panel()
        self._build_before_tab()
        self._build_inputs_tab()
        self._build_decisions_tab()
        self._build_conclusion_tab()
        self._build_review_panel()

        self.splitter, self.pages = widgets.list_beside_detail(
            self.list_panel, self.review_panel, self.empty_page, (260, 1000))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addLayout(self._header_layout)
        layout.addWidget(self.pages, 1)

        self._connect()
        self._apply_colours()
        on_theme_change(self, self._apply_colours)
        self.reload()
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    # --- Building -------------------------------------------------------------------------

    def _build_header(self) -> None:
        self.header = ScreenHeader("Management reviews", "9.3", icon("reviews"))
        self.header.clause_label.setText("Clause 9.3 · Management review")
        self.description_label = muted_label(DESCRIPTION)
        self.description_label.setAccessibleName("About management reviews")
        self.due_label = QLabel()
        self.due_label.setWordWrap(True)
        self.due_label.setAccessibleName("Next review due")
        self.due_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due_frame = _panel("Review interval")
        self.due_frame.setAutoFillBackground(True)
        due_row = QHBoxLayout(self.due_frame)
        due_row.setContentsMargins(12, 6, 12, 6)
        due_row.addWidget(self.due_label, 1)
        self._header_layout = QVBoxLayout()
        self._header_layout.setSpacing(4)
        self._header_layout.addWidget(self.header)
        self._header_layout.addWidget(self.description_label)
        self._header_layout.addSpacing(4)
        self._header_layout.addWidget(self.due_frame)

    def _build_empty_state(self) -> None:
        self.empty_page = QFrame()
        self.empty_page.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_page.setAutoFillBackground(True)
        self.empty_page.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty_page.setAccessibleName("No management review yet")
        picture = QLabel()
        picture.setPixmap(icon("reviews").pixmap(48, 48))
        picture.setAccessibleName("Management review icon")
        heading = bold(QLabel("No management review yet"), 1.3)
        self.empty_text = muted_label(
            "Plan the first review: choose the date and the chair, record who attends, then "
            "go through every required input, decide, conclude and close. The pack prints "
            "it all for the auditor."
        )
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setFixedWidth(460)
        self.first_button = QPushButton("&Plan the first review…")
        self.first_button.setAccessibleName("Plan the first review")
        self.first_button.setMinimumHeight(34)
        column = QVBoxLayout(self.empty_page)
        column.setSpacing(12)
        column.addStretch(2)
        column.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(heading, 0, Qt.AlignmentFlag.AlignHCenter)
        text_row = QHBoxLayout()
        text_row.addStretch(1)
        text_row.addWidget(self.empty_text)
        text_row.addStretch(1)
        column.addLayout(text_row)
        column.addSpacing(8)
        column.addWidget(self.first_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(3)

    def _build_list_panel(self) -> None:
        self.list_panel = QWidget()
        # Wide enough for the delegate (220 px) so dates and status chips are never clipped.
        self.list_panel.setMinimumWidth(250)
        label = bold(QLabel("&Reviews"))
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Find a review")
        self.search_edit.setPlaceholderText("Find by date, place or chair")
        self.search_edit.setClearButtonEnabled(True)
        self.review_list = QListWidget()
        self.review_list.setAccessibleName("Management reviews")
        self.review_list.setItemDelegate(
            VersionDelegate(self.review_list, STATUS_LABELS, STATUS_HUES, width=220))
        self.review_list.setUniformItemSizes(True)
        label.setBuddy(self.review_list)
        self.plan_button = QPushButton("&Plan review…")
        self.plan_button.setAccessibleName("Plan review")
        self.plan_button.setToolTip("Plan the next management review (Ctrl+N)")
        layout = QVBoxLayout(self.list_panel)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(6)
        layout.addWidget(label)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.review_list, 1)
        layout.addWidget(self.plan_button)

    def _build_before_tab(self) -> None:
        # Details of the meeting.
        self.date_edit = OptionalDateEdit()
        self.date_edit.setAccessibleName("Meeting date")
        self.place_edit = QLineEdit()
        self.place_edit.setAccessibleName("Place")
        self.chair_combo = QComboBox()
        self.chair_combo.setAccessibleName("Chair")
        self.minute_combo = QComboBox()
        self.minute_combo.setAccessibleName("Minute-taker")
        self.period_start_edit = OptionalDateEdit()
        self.period_start_edit.setAccessibleName("Period from")
        self.period_end_edit = OptionalDateEdit()
        self.period_end_edit.setAccessibleName("Period to")
        self.details_problem = problem_label()
        details = _panel("Meeting details")
        form = QFormLayout(details)
        form.setContentsMargins(12, 10, 12, 10)
        form.setSpacing(8)
        form.addRow(bold(QLabel("Meeting")))
        for text, widget in (("Meeting &date", self.date_edit), ("Pla&ce", self.place_edit),
                             ("C&hair", self.chair_combo),
                             ("Minute-ta&ker", self.minute_combo),
                             ("Period &from", self.period_start_edit),
                             ("Period &to", self.period_end_edit)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.details_problem)

        # Attendance.
        self.attendance_summary = muted_label()
        self.attendance_summary.setAccessibleName("Attendance summary")
        self.attendance_table = QTableWidget(0, 4)
        self.attendance_table.setAccessibleName("Attendance")
        self.attendance_table.setHorizontalHeaderLabels(
            ["Name", "Attending as", "Attendance", "Top management"])
        self._plain_table(self.attendance_table)
        self.attendance_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.attendance_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.attendance_table.setMinimumHeight(150)
        self.add_attendee_button = QPushButton("&Add attendee…")
        self.add_attendee_button.setAccessibleName("Add attendee")
        self.remove_attendee_button = QPushButton("Remo&ve")
        self.remove_attendee_button.setAccessibleName("Remove attendee")
        attendance = _panel("Attendance")
        attendance_layout = QVBoxLayout(attendance)
        attendance_layout.setContentsMargins(12, 10, 12, 10)
        attendance_layout.setSpacing(6)
        attendance_layout.addWidget(bold(QLabel("Attendance")))
        attendance_layout.addWidget(self.attendance_summary)
        attendance_layout.addWidget(self.attendance_table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_attendee_button)
        buttons.addWidget(self.add_attendee_button)
        attendance_layout.addLayout(buttons)

        # The pre-meeting check.
        self.check_panel = _panel("Pre-meeting check")
        self.check_panel.setAutoFillBackground(True)
        check_layout = QVBoxLayout(self.check_panel)
        check_layout.setContentsMargins(12, 10, 12, 10)
        check_layout.setSpacing(8)
        self.check_title = bold(QLabel("Pre-meeting check"))
        self.check_intro = muted_label(
            "Every required input should reach the meeting with data for the period. Where "
            "one has none, add the records in its screen, or be ready to explain why.")
        self.check_result = QLabel()
        self.check_result.setWordWrap(True)
        self.check_result.setAccessibleName("Pre-meeting check result")
        bold(self.check_result)
        self.check_rows = QWidget()
        self.check_rows_layout = QVBoxLayout(self.check_rows)
        self.check_rows_layout.setContentsMargins(0, 0, 0, 0)
        self.check_rows_layout.setSpacing(6)
        self.check_lines: list[str] = []
        self.check_buttons: dict[str, QPushButton] = {}
        self.draft_button = QPushButton("Export &draft pack…")
        self.draft_button.setAccessibleName("Export draft pack")
        self.draft_button.setToolTip("Send the pack to attendees before the meeting")
        check_layout.addWidget(self.check_title)
        check_layout.addWidget(self.check_intro)
        check_layout.addWidget(self.check_result)
        check_layout.addWidget(self.check_rows)
        check_layout.addStretch(1)
        draft_row = QHBoxLayout()
        draft_row.addStretch(1)
        draft_row.addWidget(self.draft_button)
        check_layout.addLayout(draft_row)

        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(details)
        left.addWidget(attendance, 1)
        body = QWidget()
        grid = QHBoxLayout(body)
        grid.setContentsMargins(4, 10, 4, 4)
        grid.setSpacing(12)
        grid.addLayout(left, 3)
        grid.addWidget(self.check_panel, 2)
        self.before_tab = self._scroll(body, "Before the meeting")

    def _build_inputs_tab(self) -> None:
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName("Conclusions written")
        bold(self.progress_label)
        self.inputs_intro = muted_label(
            "Go through each input at the meeting. Its data for the period comes from the "
            "records; write what the meeting said and its conclusion.")
        self.expand_button = QPushButton("E&xpand all")
        self.expand_button.setAccessibleName("Expand all inputs")
        self.collapse_button = QPushButton("Colla&pse all")
        self.collapse_button.setAccessibleName("Collapse all inputs")
        self.sections_holder = QWidget()
        self.sections_layout = QVBoxLayout(self.sections_holder)
        self.sections_layout.setContentsMargins(0, 0, 6, 0)
        self.sections_layout.setSpacing(6)
        self.sections_layout.addStretch(1)
        self.input_sections: list[InputSectionWidget] = []
        self.inputs_scroll = QScrollArea()
        self.inputs_scroll.setWidget(self.sections_holder)
        self.inputs_scroll.setWidgetResizable(True)
        self.inputs_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.inputs_scroll.setAccessibleName("Review inputs")
        top = QHBoxLayout()
        top.addWidget(self.progress_label, 1)
        top.addWidget(self.expand_button)
        top.addWidget(self.collapse_button)
        self.inputs_tab = QWidget()
        layout = QVBoxLayout(self.inputs_tab)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.inputs_intro)
        layout.addWidget(self.inputs_scroll, 1)

    def _build_decisions_tab(self) -> None:
        self.decisions_intro = muted_label(
            "ISO 9001 asks for decisions on improvement, on changes to the quality system and "
            "on resource needs. Each decision becomes an action with an owner and a due date.")
        self.decisions_summary = QLabel()
        self.decisions_summary.setWordWrap(True)
        self.decisions_summary.setAccessibleName("Decisions summary")
        self.decisions_table = QTableWidget(0, 5)
        self.decisions_table.setAccessibleName("Decisions")
        self.decisions_table.setHorizontalHeaderLabels(
            ["Type", "Decision", "Owner", "Due", "Answers"])
        self._plain_table(self.decisions_table)
        self.decisions_table.setWordWrap(True)
        self.decisions_table.horizontalHeader().setMinimumSectionSize(90)
        self.decisions_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.add_decision_button = QPushButton("&Add decision…")
        self.add_decision_button.setAccessibleName("Add decision")
        self.remove_decision_button = QPushButton("&Remove decision")
        self.remove_decision_button.setAccessibleName("Remove decision")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_decision_button)
        buttons.addWidget(self.add_decision_button)
        self.decisions_tab = QWidget()
        layout = QVBoxLayout(self.decisions_tab)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(8)
        layout.addWidget(self.decisions_intro)
        layout.addWidget(self.decisions_summary)
        layout.addWidget(self.decisions_table, 1)
        layout.addLayout(buttons)

    def _build_conclusion_tab(self) -> None:
        intro = muted_label(
            "The overall conclusion of top management on the quality system. All four, and "
            "the date of the next review, are needed to close the review.")
        self.conclusion_edits: dict[str, QPlainTextEdit] = {}
        form = QGridLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(4)
        row = 0
        for name, label_text, hint in CONCLUSION_FIELDS:
            edit = QPlainTextEdit()
            edit.setAccessibleName(label_text.replace("&", ""))
            edit.setPlaceholderText(hint)
            _fixed_height_text(edit, 3)
            label = QLabel(label_text)
            label.setBuddy(edit)
            form.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            form.addWidget(edit, row, 1)
            self.conclusion_edits[name] = edit
            row += 1
        self.next_review_edit = OptionalDateEdit()
        self.next_review_edit.setAccessibleName("Next review")
        self.next_review_hint = muted_label()
        next_label = QLabel("&Next review")
        next_label.setBuddy(self.next_review_edit)
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_review_edit)
        next_row.addWidget(self.next_review_hint, 1)
        form.addWidget(next_label, row, 0)
        form.addLayout(next_row, row, 1)
        self.conclusion_problem = problem_label()
        form.addWidget(self.conclusion_problem, row + 1, 1)

        self.stage_panel = _panel("Hold and close")
        self.stage_panel.setAutoFillBackground(True)
        stage = QVBoxLayout(self.stage_panel)
        stage.setContentsMargins(12, 10, 12, 10)
        stage.setSpacing(8)
        self.stage_label = QLabel()
        self.stage_label.setWordWrap(True)
        self.stage_label.setAccessibleName("Where the review stands")
        self.held_button = QPushButton("&Mark as held")
        self.held_button.setAccessibleName("Mark as held")
        self.close_button = QPushButton("Close and &freeze…")
        self.close_button.setAccessibleName("Close and freeze")
        bold(self.close_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.stage_label, 1)
        buttons.addWidget(self.held_button)
        buttons.addWidget(self.close_button)
        stage.addLayout(buttons)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(self.stage_panel)
        layout.addStretch(1)
        self.conclusion_tab = self._scroll(body, "Conclusion and close")

    def _build_review_panel(self) -> None:
        self.review_heading = bold(QLabel(), 1.2)
        self.review_heading.setAccessibleName("Review shown")
        self.review_chip = QLabel()
        self.review_chip.setAccessibleName("Status")
        self.review_meta = muted_label()
        self.review_meta.setAccessibleName("About this review")
        self.review_meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.export_pdf_button = QPushButton("Export P&DF…")
        self.export_pdf_button.setAccessibleName("Export PDF")
        self.export_html_button = QPushButton("Export &HTML…")
        self.export_html_button.setAccessibleName("Export HTML")
        self.preview_button = QPushButton("Pre&view")
        self.preview_button.setAccessibleName("Preview the pack")
        self.print_button = QPushButton("Pr&int…")
        self.print_button.setAccessibleName("Print the pack")
        self.pack_label = muted_label(wrap=False)
        self.pack_label.setAccessibleName("Which pack")

        self.banner = _panel("Closed review")
        self.banner.setAutoFillBackground(True)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_label.setAccessibleName("Closed banner")
        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(12, 8, 12, 8)
        banner_row.addWidget(self.banner_label, 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Steps of the review")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.before_tab, "&1  Before the meeting")
        self.tabs.addTab(self.inputs_tab, "&2  Inputs")
        self.tabs.addTab(self.decisions_tab, "&3  Decisions")
        self.tabs.addTab(self.conclusion_tab, "&4  Conclusion and close")

        self.dirty_label = QLabel()
        self.dirty_label.setAccessibleName("Save state")
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName("Save")

        # Heading, then what the review is, then the pack and its buttons, each on its own
        # row: side by side they made the screen wider than a 1366-pixel laptop display.
        heading_row = QHBoxLayout()
        heading_row.setSpacing(10)
        heading_row.addWidget(self.review_heading)
        heading_row.addWidget(self.review_chip)
        heading_row.addStretch(1)
        self.review_meta.setWordWrap(True)
        meta_row = QHBoxLayout()
        meta_row.addWidget(self.review_meta, 1)
        pack_row = QHBoxLayout()
        pack_row.setSpacing(8)
        pack_row.addWidget(self.pack_label)
        pack_row.addStretch(1)
        pack_row.addWidget(self.export_pdf_button)
        pack_row.addWidget(self.export_html_button)
        pack_row.addWidget(self.preview_button)
        pack_row.addWidget(self.print_button)
        save_row = QHBoxLayout()
        save_row.addWidget(self.dirty_label, 1)
        save_row.addWidget(self.save_button)

        self.review_panel = QWidget()
        layout = QVBoxLayout(self.review_panel)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(heading_row)
        layout.addLayout(meta_row)
        layout.addLayout(pack_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(save_row)

    def _scroll(self, body: QWidget, name: str) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName(name)
        return scroll

    @staticmethod
    def _plain_table(table: QTableWidget) -> None:
        setup_readonly_table(table, None, stretch_last=False, word_wrap=True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def _connect(self) -> None:
        self.first_button.clicked.connect(self.new_record)
        self.plan_button.clicked.connect(self.new_record)
        self.review_list.currentItemChanged.connect(self._review_chosen)
        self.search_edit.textChanged.connect(self._filter_list)
        for edit in (self.date_edit, self.period_start_edit, self.period_end_edit,
                     self.next_review_edit):
            edit.changed.connect(self._update_dirty)
        self.place_edit.textChanged.connect(self._update_dirty)
        self.chair_combo.currentIndexChanged.connect(self._update_dirty)
        self.minute_combo.currentIndexChanged.connect(self._update_dirty)
        for conclusion in self.conclusion_edits.values():
            conclusion.textChanged.connect(self._update_dirty)
        self.add_attendee_button.clicked.connect(self.open_attendee_dialog)
        self.remove_attendee_button.clicked.connect(self.remove_selected_attendee)
        self.attendance_table.itemSelectionChanged.connect(self._update_buttons)
        self.draft_button.clicked.connect(self.export_pdf)
        self.expand_button.clicked.connect(lambda: self._expand_all(True))
        self.collapse_button.clicked.connect(lambda: self._expand_all(False))
        self.add_decision_button.clicked.connect(self.open_decision_dialog)
        self.remove_decision_button.clicked.connect(self.remove_selected_decision)
        self.decisions_table.itemSelectionChanged.connect(self._update_buttons)
        self.held_button.clicked.connect(self.mark_held)
        self.close_button.clicked.connect(self.open_close_dialog)
        self.export_pdf_button.clicked.connect(self.export_pdf)
        self.export_html_button.clicked.connect(self.export_html)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_pack)
        self.save_button.clicked.connect(self.save)

    def _apply_colours(self) -> None:
        palette = self.palette()
        for frame in (self.due_frame, self.check_panel, self.stage_panel, self.banner):
            frame_palette = frame.palette()
            frame_palette.setColor(QPalette.ColorRole.Window,
                                   palette.color(QPalette.ColorRole.AlternateBase))
            frame.setPalette(frame_palette)
        for label in (self.description_label, self.empty_text, self.check_intro,
                      self.inputs_intro, self.decisions_intro, self.review_meta,
                      self.pack_label, self.attendance_summary, self.next_review_hint):
            set_text_color(label, muted_color(palette))
        for label in self.findChildren(QLabel):
            if label.accessibleName() == "Problem":
                set_text_color(label, error_color(palette))
        if self._review is not None:
            self.review_chip.setStyleSheet(status_chip_style(palette, self._review.status))
        self.review_list.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Inside the main window its Save action has Ctrl+S; on its own the screen saves.
        if event.matches(QKeySequence.StandardKey.Save):
            self.save()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- Loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the reviews again, keeping the chosen one (and saving its unsaved minutes)."""
        if self.has_unsaved_changes():
            self.save()
        self._load(self._review.id if self._review is not None else None)

    def _load(self, keep_id: str | None) -> None:
        all_reviews = reviews.reviews()
        self._update_due_line()
        self._fill_list(all_reviews)
        if not all_reviews:
            self._review = None
            self.pages.setCurrentWidget(self.empty_page)
            return
        self.pages.setCurrentWidget(self.splitter)
        ids = [r.id for r in all_reviews]
        if keep_id not in ids:
            keep_id = ids[0]
        self._select_in_list(keep_id)
        self._show_review(keep_id)

    def _update_due_line(self) -> None:
        today = dt.date.today()
        due = reviews.review_due(today)
        months = reviews.interval_months()
        palette = self.palette()
        if due.last_held_on is None:
            text = (f"Reviews are planned every {months} months. No review has been held "
                    "yet, so one is due now.")
            colour = warning_color(palette)
        elif due.overdue_months > 0:
            sentence = due.sentence(today).removeprefix("9.3: ")
            text = sentence[:1].upper() + sentence[1:]
            if due.planned_on:
                text += f" The next is planned for {long_date(due.planned_on)}."
            else:
                text += " Plan the next review now."
            colour = error_color(palette)
        else:
            text = (f"Reviews are planned every {months} months. Last held on "
                    f"{long_date(due.last_held_on)}; the next is due by "
                    f"{long_date(due.due_on)}")
            text += (f" and is planned for {long_date(due.planned_on)}." if due.planned_on
                     else ", and is not planned yet.")
            colour = palette.color(QPalette.ColorRole.WindowText)
        self.due_label.setText(text)
        set_text_color(self.due_label, colour)

    def _fill_list(self, all_reviews: list[ManagementReview]) -> None:
        self._loading = True
        self.review_list.clear()
        for review in all_reviews:
            when = f"{short_date(review.period_start)} – {short_date(review.period_end)}"
            if review.chair is not None:
                when += f" · {review.chair.full_name}"
            item = QListWidgetItem(long_date(review.meeting_on))
            item.setData(REVIEW_ROLE, review.id)
            item.setData(STATUS_ROLE, review.status)
            item.setData(WHEN_ROLE, when)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"Review of {long_date(review.meeting_on)}, "
                         f"{STATUS_LABELS.get(review.status, review.status)}")
            item.setData(Qt.ItemDataRole.UserRole + 3,
                         f"{review.meeting_on} {long_date(review.meeting_on)} {review.place} "
                         f"{review.chair.full_name if review.chair is not None else ''} "
                         f"{review.status}".lower())
            item.setToolTip(f"{review.place}" if review.place else when)
            self.review_list.addItem(item)
        self._loading = False
        self._filter_list()

    def _filter_list(self, *_args: object) -> None:
        words = self.search_edit.text().lower().split()
        for row in range(self.review_list.count()):
            item = self.review_list.item(row)
            haystack = str(item.data(Qt.ItemDataRole.UserRole + 3))
            item.setHidden(not all(w in haystack for w in words))

    def _select_in_list(self, review_id: str) -> None:
        self._loading = True
        for row in range(self.review_list.count()):
            item = self.review_list.item(row)
            if item.data(REVIEW_ROLE) == review_id:
                self.review_list.setCurrentItem(item)
                break
        self._loading = False

    def _review_chosen(self, current: QListWidgetItem | None,
                       previous: QListWidgetItem | None) -> None:
        if self._loading or current is None:
            return
        if self.has_unsaved_changes() and not self.save():
            self._loading = True
            # None is fine at run time (no current item); PySide6's stub does not say so.
            self.review_list.setCurrentItem(previous)  # type: ignore[arg-type]
            self._loading = False
            return
        self._show_review(current.data(REVIEW_ROLE))

    def select_record(self, review_id: str) -> None:
        if self.has_unsaved_changes() and not self.save():
            return
        self._load(review_id)

    def current_review(self) -> ManagementReview | None:
        return self._review

    def _show_review(self, review_id: str) -> None:
        review = ManagementReview.get_by_id(review_id)
        self._review = review
        self._loading = True
        closed = review.status == "closed"
        title = ("Management review" if review.status != "planned"
                 else "Planned management review")
        self.review_heading.setText(f"{title}, {long_date(review.meeting_on)}")
        self.review_chip.setText(STATUS_LABELS.get(review.status, review.status))
        self.review_chip.setStyleSheet(status_chip_style(self.palette(), review.status))
        meta = [f"Period {long_date(review.period_start)} – {long_date(review.period_end)}"]
        if review.place:
            meta.append(review.place)
        if review.chair is not None:
            meta.append(f"Chair: {review.chair.full_name}")
        self.review_meta.setText(" · ".join(meta))
        final = reviews.final_pack(review) if closed else None
        self.pack_label.setText({"planned": "Pack: draft for the meeting",
                                 "held": "Pack: the record of the meeting",
                                 "closed": "Pack: frozen" if final else "Pack: from the records"
                                 }.get(review.status, ""))
        self.banner.setVisible(closed)
        if closed:
            self.banner_label.setText(closed_sentence(review, final))

        # Step 1: details and attendance.
        people = people_top_first()
        self.date_edit.set_date(review.meeting_on)
        self.place_edit.setText(review.place)
        fill_people(self.chair_combo, "No chair chosen", people,
                    review.chair if review.chair_id else None)
        fill_people(self.minute_combo, "No minute-taker chosen", people,
                    review.minute_taker if review.minute_taker_id else None)
        self.period_start_edit.set_date(review.period_start)
        self.period_end_edit.set_date(review.period_end)
        show_problem(self.details_problem, "")
        self._show_attendance()

        # Step 2: the inputs, frozen for a closed review.
        self._sections = self._sections_of(review, final)
        self._show_sections()
        self._show_check()

        # Step 3 and 4.
        self._show_decisions()
        for name, edit in self.conclusion_edits.items():
            edit.setPlainText(getattr(review, name))
        default_next = add_months(review.meeting_on, reviews.interval_months())
        self.next_review_edit.set_date(review.next_review_on or
                                       (None if closed else default_next))
        self.next_review_hint.setText(
            f"Every {reviews.interval_months()} months from the meeting would be "
            f"{long_date(default_next)}.")
        show_problem(self.conclusion_problem, "")
        self._loading = False
        self._saved_state = self._widget_state()
        self._set_read_only(closed)
        self._update_stage()
        self._update_dirty()

    def _sections_of(self, review: ManagementReview,
                     final: ReviewPack | None) -> list[InputSection]:
        if final is not None and final.snapshot:
            return PackData.from_json(final.snapshot).inputs
        return review_inputs.assemble_inputs(review)

    def _show_attendance(self) -> None:
        assert self._review is not None
        rows = reviews.attendance(self._review)
        self.attendance_table.setRowCount(len(rows))
        for row, seat in enumerate(rows):
            values = [seat.person.full_name, seat.role_label,
                      "Present" if seat.present else "Apologies",
                      "Yes" if seat.is_top_management else ""]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, seat.person_id)
                if column == 2 and not seat.present:
                    item.setForeground(muted_color(self.palette()))
                if column == 3 and seat.is_top_management:
                    item.setForeground(success_color(self.palette()))
                self.attendance_table.setItem(row, column, item)
        present = [s for s in rows if s.present]
        top = sum(1 for s in present if s.is_top_management)
        apologies = len(rows) - len(present)
        if not rows:
            text = "No one recorded yet. Add who attends and who sent apologies."
        else:
            text = (f"{len(present)} present ({top} from top management), "
                    f"{plural(apologies, 'apology', 'apologies')}.")
            if present and not top:
                text += " Auditors look for top management at the review."
        self.attendance_summary.setText(text)
        set_text_color(self.attendance_summary,
                       warning_color(self.palette()) if present and not top
                       else muted_color(self.palette()))

    def _show_sections(self) -> None:
        notes = {s.code: (s.commentary, s.conclusion) for s in self._sections}
        expanded = {w.code for w in self.input_sections if w.is_expanded()}
        for widget in self.input_sections:
            self.sections_layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.input_sections = []
        for index, section in enumerate(self._sections):
            widget = InputSectionWidget(section.code, section.title)
            widget.load(section, *notes.get(section.code, ("", "")))
            widget.changed.connect(self._update_dirty)
            self.sections_layout.insertWidget(index, widget)
            self.input_sections.append(widget)
            if section.code in expanded:
                widget.set_expanded(True)
        if not expanded and self.input_sections:
            first_open = next((w for w in self.input_sections
                               if not w.conclusion_edit.toPlainText().strip()),
                              self.input_sections[0])
            first_open.set_expanded(True)

    def _show_check(self) -> None:
        assert self._review is not None
        while self.check_rows_layout.count():
            item = self.check_rows_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.check_buttons = {}
        empty = [s for s in self._sections if not s.has_data]
        self.check_lines = [f"{s.code}) {s.title}: {s.empty_reason}" for s in empty]
        palette = self.palette()
        total = len(self._sections)
        if self._review.status == "closed":
            self.check_intro.setText("The review is closed; its inputs are frozen as they "
                                     "were when it closed.")
        if not empty:
            self.check_result.setText(f"✓ All {total} inputs have data for the period.")
            set_text_color(self.check_result, success_color(palette))
        else:
            self.check_result.setText(
                f"{len(empty)} of {total} inputs have no data for the period:")
            set_text_color(self.check_result, warning_color(palette))
        for section in self._sections:
            row = QFrame()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.setSpacing(8)
            if section.has_data:
                label = colored(QLabel(f"✓  {section.code})  {section.title}"),
                                success_color(palette))
                label.setAccessibleName(f"{section.code}) {section.title}: has data")
                label.setWordWrap(True)
                row_layout.addWidget(label, 1)
                self.check_rows_layout.addWidget(row)
                continue
            line = f"{section.code}) {section.title}: {section.empty_reason}"
            label = QLabel(f"<b>!  {section.code})  {section.title}</b><br>"
                           f"{section.empty_reason}")
            colored(label, warning_color(palette))
            label.setWordWrap(True)
            label.setAccessibleName(line)
            row_layout.addWidget(label, 1)
            key, screen = INPUT_SCREENS.get(section.code, ("", ""))
            if key:
                button = QPushButton(f"Open {screen}")
                button.setAccessibleName(f"Open {screen} for input {section.code}")
                button.setToolTip(f"Go to {screen} to add the records for this input")
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(lambda _c=False, k=key: self.open_record.emit(k, ""))
                row_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
                self.check_buttons[section.code] = button
            self.check_rows_layout.addWidget(row)

    def _show_decisions(self) -> None:
        assert self._review is not None
        rows = reviews.decisions(self._review)
        kinds = dict(DECISION_KINDS)
        self.decisions_table.setRowCount(len(rows))
        for row, decision in enumerate(rows):
            values = [kinds.get(decision.kind, decision.kind), decision.description,
                      decision.owner.full_name if decision.owner is not None else "",
                      short_date(decision.due_on), answers_text(decision)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, decision.id)
                item.setToolTip(value if column in (1, 4) else "")
                self.decisions_table.setItem(row, column, item)
        self.decisions_table.resizeRowsToContents()
        counts = {key: sum(1 for d in rows if d.kind == key) for key, _label in DECISION_KINDS}
        if not rows:
            text = "No decisions recorded yet."
            colour = muted_color(self.palette())
        else:
            text = "; ".join(f"{kinds[k]}: {n}" for k, n in counts.items()) + "."
            missing = [kinds[k].lower() for k, n in counts.items() if n == 0]
            colour = self.palette().color(QPalette.ColorRole.WindowText)
            if "resource" in [k for k, n in counts.items() if n == 0]:
                text += " No decision on resource needs yet: auditors often ask for one."
                colour = warning_color(self.palette())
            elif missing:
                text += f" None yet on: {', '.join(missing)}."
        self.decisions_summary.setText(text)
        set_text_color(self.decisions_summary, colour)
        self.tabs.setTabText(2, f"&3  Decisions ({len(rows)})")

    # --- State of the widgets -----------------------------------------------------------

    def _widget_state(self) -> tuple[object, ...]:
        return (
            self.date_edit.text(), self.place_edit.text(), self.chair_combo.currentData(),
            self.minute_combo.currentData(), self.period_start_edit.text(),
            self.period_end_edit.text(),
            tuple(w.values() for w in self.input_sections),
            tuple(e.toPlainText() for e in self.conclusion_edits.values()),
            self.next_review_edit.text(),
        )

    def has_unsaved_changes(self) -> bool:
        if self._review is None or self._review.status == "closed" or self._loading:
            return False
        return self._widget_state() != self._saved_state

    def _update_dirty(self, *_args: object) -> None:
        if self._loading:
            return
        dirty = self.has_unsaved_changes()
        if self._review is not None and self._review.status == "closed":
            self.dirty_label.setText("Closed: read-only")
            set_text_color(self.dirty_label, muted_color(self.palette()))
        elif dirty:
            self.dirty_label.setText("● Unsaved changes")
            set_text_color(self.dirty_label, warning_color(self.palette()))
        else:
            self.dirty_label.setText("All changes saved")
            set_text_color(self.dirty_label, muted_color(self.palette()))
        self.save_button.setEnabled(dirty)
        self.save_button.setToolTip("Save the minutes (Ctrl+S)" if dirty else "Nothing to save")
        self._update_progress()

    def _update_progress(self) -> None:
        total = len(self.input_sections)
        done = sum(1 for w in self.input_sections if w.conclusion_edit.toPlainText().strip())
        self.progress_label.setText(f"Conclusions written for {done} of {total} inputs")
        set_text_color(self.progress_label, success_color(self.palette()) if done == total
                       else self.palette().color(QPalette.ColorRole.WindowText))
        self.tabs.setTabText(1, f"&2  Inputs ({done}/{total})")

    def _set_read_only(self, read_only: bool) -> None:
        for widget in (self.date_edit, self.place_edit, self.period_start_edit,
                       self.period_end_edit, self.next_review_edit):
            widget.setEnabled(not read_only)
        self.chair_combo.setEnabled(not read_only)
        self.minute_combo.setEnabled(not read_only)
        for section in self.input_sections:
            section.set_read_only(read_only)
        for conclusion in self.conclusion_edits.values():
            conclusion.setReadOnly(read_only)
            palette = conclusion.palette()
            palette.setColor(QPalette.ColorRole.Base, self.palette().color(
                QPalette.ColorRole.Window if read_only else QPalette.ColorRole.Base))
            conclusion.setPalette(palette)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        review = self._review
        closed = review is not None and review.status == "closed"
        why = "The review is closed; its minutes can no longer change."
        for button, tip in ((self.add_attendee_button, "Record someone present or absent"),
                            (self.add_decision_button, "Record a decision of the meeting")):
            button.setEnabled(review is not None and not closed)
            button.setToolTip(why if closed else tip)
        for button, table, what in ((self.remove_attendee_button, self.attendance_table,
                                     "attendee"),
                                    (self.remove_decision_button, self.decisions_table,
                                     "decision")):
            chosen = bool(table.selectedItems())
            button.setEnabled(review is not None and not closed and chosen)
            button.setToolTip(why if closed else
                              (f"Remove the selected {what}" if chosen
                               else f"Select a {what} in the table first"))
        self.draft_button.setEnabled(review is not None)
        self.draft_button.setVisible(review is not None and review.status == "planned")

    def _update_stage(self) -> None:
        review = self._review
        if review is None:
            return
        today = dt.date.today()
        palette = self.palette()
        # A closed review offers nothing to do here; the banner above says so.
        self.held_button.setVisible(review.status != "closed")
        self.close_button.setVisible(review.status != "closed")
        if review.status == "planned":
            if review.meeting_on > today:
                self.held_button.setEnabled(False)
                self.held_button.setToolTip(
                    f"The meeting is on {long_date(review.meeting_on)}; it can be marked as "
                    "held from that day.")
            else:
                self.held_button.setEnabled(True)
                self.held_button.setToolTip("Record that the meeting took place")
            self.close_button.setEnabled(False)
            self.close_button.setToolTip("Mark the meeting as held before closing it")
            self.stage_label.setText(
                "<b>Planned.</b> After the meeting, mark it as held; the pack then becomes "
                "the record of the meeting.")
            set_text_color(self.stage_label, palette.color(QPalette.ColorRole.WindowText))
        elif review.status == "held":
            self.held_button.setEnabled(False)
            self.held_button.setToolTip("The meeting is already recorded as held")
            self.close_button.setEnabled(True)
            self.close_button.setToolTip(
                "Check the review is complete, choose who closes it, and freeze the pack")
            self.stage_label.setText(
                "<b>Held.</b> When the minutes, decisions and conclusions are complete, close "
                "and freeze the review.")
            set_text_color(self.stage_label, palette.color(QPalette.ColorRole.WindowText))
        else:
            for button in (self.held_button, self.close_button):
                button.setEnabled(False)
                button.setToolTip("The review is closed and frozen")
            self.stage_label.setText("<b>Closed.</b> " + self.banner_label.text())
            set_text_color(self.stage_label, success_color(palette))

    def _expand_all(self, expanded: bool) -> None:
        for widget in self.input_sections:
            widget.set_expanded(expanded)

    def show_step(self, step: str) -> None:
        self.tabs.setCurrentIndex(STEPS.index(step))

    # --- Saving -----------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the details, the minutes of every input and the conclusion; True if saved."""
        return bool(self._write())

    def _write(self) -> bool | None:
        """Write what differs from the database: True saved, None nothing to save, False
        not saved (the problem is shown). The offered next review date counts as a change."""
        review = self._review
        if review is None or review.status == "closed":
            return None
        show_problem(self.details_problem, "")
        show_problem(self.conclusion_problem, "")
        for edit, name in ((self.date_edit, "Meeting date"),
                           (self.period_start_edit, "Period from"),
                           (self.period_end_edit, "Period to")):
            if edit.problem():
                show_problem(self.details_problem, f"{name}: {edit.problem()}")
                self.status_message.emit("Not saved: check the meeting details.")
                return False
        if self.date_edit.date() is None:
            show_problem(self.details_problem, "Give the date of the meeting.")
            self.status_message.emit("Not saved: the meeting needs a date.")
            return False
        if self.next_review_edit.problem():
            show_problem(self.conclusion_problem, str(self.next_review_edit.problem()))
            self.status_message.emit("Not saved: check the next review date.")
            return False
        start, end = self.period_start_edit.date(), self.period_end_edit.date()
        if start and end and end < start:
            show_problem(self.details_problem, "The period ends before it starts.")
            self.status_message.emit("Not saved: the period ends before it starts.")
            return False
        wanted: dict[str, object] = {
            "meeting_on": self.date_edit.date(),
            "place": self.place_edit.text().strip(),
            "chair": chosen_person(self.chair_combo),
            "minute_taker": chosen_person(self.minute_combo),
            "period_start": start,
            "period_end": end,
            "next_review_on": self.next_review_edit.date(),
            **{name: edit.toPlainText().strip() for name, edit in self.conclusion_edits.items()},
        }
        changed = {}
        for name, value in wanted.items():
            current = getattr(review, name)
            if name in ("chair", "minute_taker"):
                current_id = getattr(review, f"{name}_id")
                if current_id != (value.id if value is not None else None):  # type: ignore[attr-defined]
                    changed[name] = value
            elif current != value:
                changed[name] = value
        notes = reviews.input_notes(review)
        note_changes = []
        for widget in self.input_sections:
            commentary, conclusion = (v.strip() for v in widget.values())
            existing = notes.get(widget.code)
            before = (existing.commentary, existing.conclusion) if existing else ("", "")
            if (commentary, conclusion) != before:
                note_changes.append((widget.code, commentary, conclusion))
        if not changed and not note_changes:
            self._saved_state = self._widget_state()
            self._update_dirty()
            return None
        try:
            if changed:
                reviews.update_details(review, **changed)
            for code, commentary, conclusion in note_changes:
                reviews.set_input_notes(review, code, commentary, conclusion)
        except ValidationError as error:
            message = " ".join(str(p) for p in error.problems.values())
            show_problem(self.details_problem, message)
            self.status_message.emit(f"Not saved: {message}")
            return False
        self._review = ManagementReview.get_by_id(review.id)
        self._saved_state = self._widget_state()
        self._update_dirty()
        if {"meeting_on", "period_start", "period_end", "place", "chair"} & set(changed):
            # The period decides what the inputs show; the list shows the date and chair.
            self._load(review.id)
        self.status_message.emit(f"{review.display_name()} saved.")
        return True

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # --- Actions ----------------------------------------------------------------------------

    def _open(self, dialog: QDialog, done: Callable[[], object]) -> QDialog:
        self.active_dialog = dialog
        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    def new_record(self) -> PlanReviewDialog | None:
        if self.has_unsaved_changes() and not self.save():
            return None
        dialog = PlanReviewDialog(self)

        def planned() -> None:
            if dialog.review is not None:
                self._load(dialog.review.id)
                self.show_step("before")
                self.status_message.emit(f"{dialog.review.display_name()} planned.")

        self._open(dialog, planned)
        return dialog

    def open_attendee_dialog(self) -> AttendeeDialog | None:
        if self._review is None or self._review.status == "closed":
            return None
        dialog = AttendeeDialog(self._review, self)

        def added() -> None:
            self._show_attendance()
            if dialog.attendance is not None:
                self.status_message.emit(
                    f"{dialog.attendance.person.full_name} added to the attendance.")

        self._open(dialog, added)
        return dialog

    def remove_selected_attendee(self) -> None:
        if self._review is None or not self.attendance_table.selectedItems():
            return
        person_id = self.attendance_table.selectedItems()[0].data(Qt.ItemDataRole.UserRole)
        from qms_desktop.models import Person

        person = Person.get_by_id(person_id)
        try:
            reviews.remove_attendance(self._review, person)
        except ValidationError as error:
            self.status_message.emit(" ".join(str(p) for p in error.problems.values()))
            return
        self._show_attendance()
        self._update_buttons()
        self.status_message.emit(f"{person.full_name} removed from the attendance.")

    def open_decision_dialog(self) -> DecisionDialog | None:
        if self._review is None or self._review.status == "closed":
            return None
        dialog = DecisionDialog(self._review, self)

        def added() -> None:
            self._show_decisions()
            self._update_buttons()
            self.status_message.emit("Decision recorded; its action is in the tracker.")

        self._open(dialog, added)
        return dialog

    def remove_selected_decision(self) -> None:
        if self._review is None or not self.decisions_table.selectedItems():
            return
        from qms_desktop.models import ReviewDecision

        decision_id = self.decisions_table.selectedItems()[0].data(Qt.ItemDataRole.UserRole)
        decision = ReviewDecision.get_by_id(decision_id)
        answer = QMessageBox.question(
            self, "Remove decision",
            f"Remove “{decision.display_name()}”? Its action is cancelled in the tracker.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            reviews.remove_decision(decision)
        except ValidationError as error:
            self.status_message.emit(" ".join(str(p) for p in error.problems.values()))
            return
        self._show_decisions()
        self._update_buttons()
        self.status_message.emit("Decision removed; its action was cancelled.")

    def mark_held(self) -> bool:
        review = self._review
        if review is None or review.status != "planned":
            return False
        if self._write() is False:
            return False
        review = self._review
        assert review is not None
        try:
            reviews.mark_held(review)
        except ValidationError as error:
            message = " ".join(str(p) for p in error.problems.values())
            show_problem(self.conclusion_problem, message)
            self.status_message.emit(message)
            return False
        self._load(review.id)
        self.status_message.emit(f"{review.display_name()} recorded as held.")
        return True

    def open_close_dialog(self) -> CloseReviewDialog | None:
        review = self._review
        if review is None or review.status == "closed":
            return None
        if self._write() is False:
            return None
        review = self._review
        assert review is not None
        dialog = CloseReviewDialog(review, self)
        dialog.go_to.connect(self.go_to_problem)

        def closed() -> None:
            self._load(review.id)
            if dialog.pack is not None:
                self.status_message.emit(
                    f"{review.display_name()} closed; pack frozen (SHA-256 "
                    f"{dialog.pack.sha256[:12]}…).")

        self._open(dialog, closed)
        return dialog

    def go_to_problem(self, field: str) -> None:
        """Show where a closing problem is fixed (once the closing dialog has let go of the
        focus, hence the timer)."""
        QTimer.singleShot(0, partial(self._show_problem_place, field))

    def _show_problem_place(self, field: str) -> None:
        if field == "attendance":
            self.show_step("before")
            self.add_attendee_button.setFocus()
        elif field == "inputs":
            self.show_step("inputs")
            missing = next((w for w in self.input_sections
                            if not w.conclusion_edit.toPlainText().strip()), None)
            if missing is not None:
                missing.set_expanded(True)
                self.inputs_scroll.ensureWidgetVisible(missing)
                missing.conclusion_edit.setFocus()
        else:
            self.show_step("conclusion")
            if field in self.conclusion_edits:
                self.conclusion_edits[field].setFocus()
            elif field == "next_review_on":
                self.next_review_edit.setFocus()
            elif field == "status":
                self.held_button.setFocus()

    # --- The pack ---------------------------------------------------------------------------

    def _pack_name(self, suffix: str) -> str:
        review = self._review
        assert review is not None
        kind = {"planned": " (draft)", "held": "", "closed": " (final)"}[review.status]
        return f"Management review {review.meeting_on:%Y-%m-%d}{kind}.{suffix}"

    def pack_pdf(self) -> bytes | None:
        """The pack as PDF: the frozen one of a closed review, else made from the records."""
        review = self._review
        if review is None:
            return None
        if self._write() is False:
            self.status_message.emit("Save the minutes first: the pack is made from them.")
            return None
        review = self._review
        assert review is not None
        if review.status == "closed":
            final = reviews.final_pack(review)
            if final is not None:
                return bytes(final.pdf)
        try:
            with busy(self, "Making the review pack…"):
                return packs.build_pdf(review)
        except packs.PackChanged as error:
            QMessageBox.critical(self, "The stored pack does not match", str(error))
            return None

    def export_pdf(self) -> Path | None:
        if self._review is None:
            return None
        start = str(documents_folder() / self._pack_name("pdf"))
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export the review pack", start, "PDF files (*.pdf)")
        if not path:
            return None
        pdf = self.pack_pdf()
        if pdf is None:
            return None
        target = Path(path)
        try:
            files.write_bytes(target, pdf)  # owner-only, and never half a file
        except OSError as error:
            QMessageBox.warning(self, "Not exported", f"The pack could not be written: {error}")
            return None
        self.status_message.emit(f"Pack saved to {target}.")
        return target

    def export_html(self) -> Path | None:
        review = self._review
        if review is None:
            return None
        start = str(documents_folder() / self._pack_name("html"))
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export the review pack as a web page", start, "Web pages (*.html)")
        if not path:
            return None
        if self._write() is False:
            return None
        review = self._review
        if review is None:
            return None
        with busy(self, "Making the review pack…"):
            html = packs.build_html(review)
        target = Path(path)
        try:
            files.write_bytes(target, html.encode("utf-8"))
        except OSError as error:
            QMessageBox.warning(self, "Not exported", f"The pack could not be written: {error}")
            return None
        self.status_message.emit(f"Pack saved to {target}.")
        return target

    def preview(self) -> PackPreviewDialog | None:
        pdf = self.pack_pdf()
        if pdf is None or self._review is None:
            return None
        dialog = PackPreviewDialog(pdf, self._pack_name("pdf").removesuffix(".pdf"), self)
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def print_pack(self) -> int:
        """Print the pack; the number of pages sent to the printer."""
        pdf = self.pack_pdf()
        if pdf is None or self._review is None:
            return 0
        document, buffer = load_pdf(pdf, self)
        pages = document.pageCount()
        document.close()
        buffer.close()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._pack_name("pdf").removesuffix(".pdf"))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the review pack")
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, max(1, pages))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        try:
            with busy(self, "Printing the review pack…"):
                printed = print_pdf(pdf, printer)
        except (OSError, ValueError) as error:
            QMessageBox.warning(self, "Not printed", str(error))
            return 0
        self.status_message.emit(f"{plural(printed, 'page')} of the pack sent to the printer.")
        return printed

