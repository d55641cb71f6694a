"""Step 1 of a review: the meeting's details, who attends, and whether every input has data."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import reviews
from qms_desktop.models import ManagementReview, Person, ReviewAttendance
from qms_desktop.review_data import InputSection
from qms_desktop.text import plural
from ui.kit.fitting import literal
from ui.kit.pickers import fill_people
from ui.kit.reason import DisabledReason
from ui.kit.record_form import OptionalDateEdit
from ui.kit.theme import colored, muted_color, set_text_color, success_color, warning_color
from ui.kit.widgets import bold, muted_label, problem_label, show_problem
from ui.screens.reviews.parts import panel, plain_table, scrolled

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

# Narrower than this, the pre-meeting check goes under the details instead of beside them.
SIDE_BY_SIDE_WIDTH = 720


class BeforeTab(QScrollArea):
    """Details and attendance on the left, the pre-meeting check of the inputs on the right
    (under them in a narrow window)."""

    changed = Signal()
    open_record = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown_attendance: list[ReviewAttendance] = []
        left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(self._build_details())
        left.addWidget(self._build_attendance(), 1)
        body = QWidget()
        grid = QHBoxLayout(body)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setSpacing(12)
        grid.addLayout(left, 3)
        grid.addWidget(self._build_check(), 2)
        self._columns = grid
        scrolled(self, body, "Before the meeting")

        for edit in (self.date_edit, self.period_start_edit, self.period_end_edit,
                     self.cut_off_edit):
            edit.changed.connect(self.changed)
        self.place_edit.textChanged.connect(self.changed)
        self.chair_combo.currentIndexChanged.connect(self.changed)
        self.minute_combo.currentIndexChanged.connect(self.changed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Side by side the two columns squeeze the names in the drop-downs in a 1024-wide
        # window: there the check goes under the details and attendance, and the tab scrolls.
        direction = (QBoxLayout.Direction.LeftToRight if self.width() >= SIDE_BY_SIDE_WIDTH
                     else QBoxLayout.Direction.TopToBottom)
        if self._columns.direction() != direction:
            self._columns.setDirection(direction)

    def _build_details(self) -> QFrame:
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
        self.cut_off_edit = OptionalDateEdit()
        self.cut_off_edit.setAccessibleName("Figures as of")
        self.cut_off_edit.setToolTip("The pack shows the records as they stood at the end of "
                                     "this day; leave it empty for the meeting date.")
        self.details_problem = problem_label()
        details = self.details_panel = panel("Meeting details")
        form = QFormLayout(details)
        # No heading row and tight spacing: the tab's title names the step, and the date,
        # place, chair and period must show without scrolling in a 1024 x 640 window.
        form.setContentsMargins(12, 8, 12, 8)
        form.setSpacing(6)
        for text, widget in (("Meeting &date", self.date_edit), ("Pla&ce", self.place_edit),
                             ("C&hair", self.chair_combo),
                             ("Minute-ta&ker", self.minute_combo),
                             ("Period &from", self.period_start_edit),
                             ("Period &to", self.period_end_edit),
                             ("Fi&gures as of", self.cut_off_edit)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.details_problem)
        return details

    def _build_attendance(self) -> QFrame:
        self.attendance_summary = muted_label()
        self.attendance_summary.setAccessibleName("Attendance summary")
        self.attendance_table = QTableWidget(0, 4)
        self.attendance_table.setAccessibleName("Attendance")
        self.attendance_table.setHorizontalHeaderLabels(
            ["Name", "Attending as", "Attendance", "Top management"])
        plain_table(self.attendance_table)
        self.attendance_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.attendance_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.attendance_table.setMinimumHeight(150)
        self.add_attendee_button = QPushButton("&Add attendee…")
        self.add_attendee_button.setAccessibleName("Add attendee")
        self.remove_attendee_button = QPushButton("Remo&ve")
        self.remove_attendee_button.setAccessibleName("Remove attendee")
        attendance = panel("Attendance")
        attendance_layout = QVBoxLayout(attendance)
        attendance_layout.setContentsMargins(12, 10, 12, 10)
        attendance_layout.setSpacing(6)
        attendance_layout.addWidget(bold(QLabel("Attendance")))
        attendance_layout.addWidget(self.attendance_summary)
        attendance_layout.addWidget(self.attendance_table, 1)
        buttons = QHBoxLayout()
        self.add_attendee_reason = DisabledReason(self.add_attendee_button)
        buttons.addWidget(self.add_attendee_reason, 1)
        buttons.addWidget(self.remove_attendee_button)
        buttons.addWidget(self.add_attendee_button)
        attendance_layout.addLayout(buttons)
        return attendance

    def _build_check(self) -> QFrame:
        self.check_panel = panel("Pre-meeting check")
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
        return self.check_panel

    # --- Showing a review ------------------------------------------------------------------

    def show_details(self, review: ManagementReview,
                     people: list[tuple[Person, bool]]) -> None:
        self.date_edit.set_date(review.meeting_on)
        self.place_edit.setText(review.place)
        fill_people(self.chair_combo, "No chair chosen", people,
                    review.chair if review.chair_id else None)
        fill_people(self.minute_combo, "No minute-taker chosen", people,
                    review.minute_taker if review.minute_taker_id else None)
        self.period_start_edit.set_date(review.period_start)
        self.period_end_edit.set_date(review.period_end)
        self.cut_off_edit.set_date(review.cut_off_on)
        show_problem(self.details_problem, "")

    def show_attendance(self, review: ManagementReview) -> None:
        rows = reviews.attendance(review)
        # As shown, with row versions: adding someone whose attendance changed since is
        # refused (reviews.set_attendance) instead of replacing theirs.
        self.shown_attendance = rows
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

    def show_check(self, review: ManagementReview, sections: list[InputSection]) -> None:
        while self.check_rows_layout.count():
            item = self.check_rows_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.check_buttons = {}
        empty = [s for s in sections if not s.has_data]
        self.check_lines = [f"{s.code}) {s.title}: {s.empty_reason}" for s in empty]
        palette = self.palette()
        total = len(sections)
        if review.status == "closed":
            self.check_intro.setText("The review is closed; its inputs are frozen as they "
                                     "were when it closed.")
        if not empty:
            self.check_result.setText(f"✓ All {total} inputs have data for the period.")
            set_text_color(self.check_result, success_color(palette))
        else:
            self.check_result.setText(
                f"{len(empty)} of {total} inputs have no data for the period:")
            set_text_color(self.check_result, warning_color(palette))
        for section in sections:
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
                button = QPushButton(literal(f"Open {screen}"))  # "Context & issues"
                button.setAccessibleName(f"Open {screen} for input {section.code}")
                button.setToolTip(f"Go to {screen} to add the records for this input")
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(lambda _c=False, k=key: self.open_record.emit(k, ""))
                row_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
                self.check_buttons[section.code] = button
            self.check_rows_layout.addWidget(row)

    # --- State -----------------------------------------------------------------------------

    def state(self) -> tuple[object, ...]:
        return (
            self.date_edit.text(), self.place_edit.text(), self.chair_combo.currentData(),
            self.minute_combo.currentData(), self.period_start_edit.text(),
            self.period_end_edit.text(), self.cut_off_edit.text(),
        )

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.date_edit, self.place_edit, self.period_start_edit,
                       self.period_end_edit, self.cut_off_edit, self.chair_combo,
                       self.minute_combo):
            widget.setEnabled(not read_only)

    def apply_colours(self, palette: QPalette) -> None:
        set_text_color(self.check_intro, muted_color(palette))
        set_text_color(self.attendance_summary, muted_color(palette))
