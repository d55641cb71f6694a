"""Dialogs of the management review screen: plan a review, add an attendee, record a decision,
and close and freeze the review.

Each dialog saves in `accept()` and keeps what it made (`review`, `attendance`, `decision`,
`pack`), so the screen only opens it and reads the outcome; a problem is shown inside the
dialog, under the field at fault, and the dialog stays open with what the user typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEventLoop, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, packs, policy, readiness, review_flags, reviews
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.models import (
    DECISION_KINDS,
    ManagementReview,
    Nonconformity,
    Objective,
    Person,
    Record,
    ReviewAttendance,
    ReviewDecision,
    ReviewPack,
    Risk,
)
from ui.kit.past_date import PAST_DATE_REFUSED, confirm_past_date
from ui.kit.pickers import (
    chosen_person,
    fill_people,
    people_top_first,
    select_person,
)
from ui.kit.record_changed import ChangedBar, ChangesDialog, Difference, stored_now
from ui.kit.record_form import OptionalDateEdit
from ui.kit.scrolling import scrolling
from ui.kit.text import long_date
from ui.kit.theme import colored, error_color, success_color, warning_color
from ui.kit.widgets import (
    buddy_label,
    muted_label,
    ok_cancel_buttons,
    problem_label,
    problems_text,
    resize_within_screen,
    show_problem,
)

PLAN_AHEAD_DAYS = 14


# --- Shared pieces ---------------------------------------------------------------------------


@contextmanager
def busy(parent: QWidget | None, text: str) -> Iterator[None]:
    """A wait cursor and a small "working" window while the GUI thread renders a pack."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    progress = QProgressDialog(text, "", 0, 0, parent)
    progress.setWindowTitle("Please wait")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAccessibleName(text)
    progress.show()
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    try:
        yield
    finally:
        progress.close()
        progress.deleteLater()
        QApplication.restoreOverrideCursor()




def _field(widget: QWidget, problem: QLabel) -> QWidget:
    """A field with its problem line under it, as one form row."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(problem)
    return holder


# --- Plan a review ---------------------------------------------------------------------------


class PlanReviewDialog(QDialog):
    """Date, place, chair, minute-taker and the period the review looks back on."""

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.review: ManagementReview | None = None
        self._period_touched = False
        self._filling = False
        self.setWindowTitle("Plan a management review")
        self.setAccessibleName("Plan a management review")
        # No fixed minimum width: its layout's own (two dates in a row) is wider.

        intro = muted_label(
            "Choose when the meeting will be and who chairs it; ISO 9001 expects top "
            "management to review the quality system. The period is what the review looks "
            "back on: by default everything since the last review."
        )
        self.date_edit = OptionalDateEdit()
        self.date_edit.setAccessibleName("Meeting date")
        self.place_edit = QLineEdit()
        self.place_edit.setAccessibleName("Place")
        self.place_edit.setPlaceholderText("e.g. Boardroom, or Video call")
        people = people_top_first()
        self.chair_combo = QComboBox()
        self.chair_combo.setAccessibleName("Chair")
        self.chair_combo.setToolTip("People in a top-management role are listed first.")
        fill_people(self.chair_combo, "Choose the chair…", people)
        if people and people[0][1]:
            self.chair_combo.setCurrentIndex(1)
        self.minute_combo = QComboBox()
        self.minute_combo.setAccessibleName("Minute-taker")
        fill_people(self.minute_combo, "Not chosen yet", people)
        self.period_start_edit = OptionalDateEdit()
        self.period_start_edit.setAccessibleName("Period from")
        self.period_end_edit = OptionalDateEdit()
        self.period_end_edit.setAccessibleName("Period to")
        period_row = QHBoxLayout()
        period_row.setSpacing(8)
        period_row.addWidget(self.period_start_edit, 1)
        period_row.addWidget(QLabel("to"))
        period_row.addWidget(self.period_end_edit, 1)
        period_holder = QWidget()
        period_holder.setLayout(period_row)
        period_row.setContentsMargins(0, 0, 0, 0)

        self.date_problem = problem_label()
        self.period_problem = problem_label()
        self.chair_problem = problem_label()
        self.error_label = problem_label()

        form = QFormLayout()
        form.setSpacing(8)
        form.addRow(buddy_label("Meeting &date", self.date_edit),
                    _field(self.date_edit, self.date_problem))
        form.addRow(buddy_label("&Place", self.place_edit), self.place_edit)
        form.addRow(buddy_label("&Chair", self.chair_combo),
                    _field(self.chair_combo, self.chair_problem))
        form.addRow(buddy_label("&Minute-taker", self.minute_combo), self.minute_combo)
        form.addRow(buddy_label("Period &from", self.period_start_edit),
                    _field(period_holder, self.period_problem))

        self.buttons, self.plan_button = ok_cancel_buttons(self, "&Plan review", "Plan review")

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.date_edit.changed.connect(self._date_changed)
        self.period_start_edit.changed.connect(self._period_edited)
        self.period_end_edit.changed.connect(self._period_edited)
        self.date_edit.set_date((today or clock.today()) + dt.timedelta(days=PLAN_AHEAD_DAYS))
        self.adjustSize()

    def _date_changed(self) -> None:
        meeting_on = self.date_edit.date()
        if meeting_on is None or self._period_touched:
            return
        start, end = reviews.default_period(meeting_on)
        self._filling = True
        self.period_start_edit.set_date(start)
        self.period_end_edit.set_date(end)
        self._filling = False

    def _period_edited(self) -> None:
        if not self._filling:
            self._period_touched = True

    def accept(self) -> None:
        for label in (self.date_problem, self.period_problem, self.chair_problem,
                      self.error_label):
            show_problem(label, "")
        meeting_on = self.date_edit.date()
        problems = False
        if meeting_on is None:
            show_problem(self.date_problem, self.date_edit.problem()
                         or "Give the date of the meeting.")
            problems = True
        period_problem = self.period_start_edit.problem() or self.period_end_edit.problem()
        if period_problem:
            show_problem(self.period_problem, period_problem)
            problems = True
        chair = chosen_person(self.chair_combo)
        if chair is None:
            show_problem(self.chair_problem, "Choose who chairs the meeting.")
            problems = True
        if problems or meeting_on is None:
            return
        if not confirm_past_date(self, "The review would be held", meeting_on):
            show_problem(self.date_problem, PAST_DATE_REFUSED)
            self.date_edit.setFocus()
            return
        try:
            self.review = reviews.plan_review(
                meeting_on,
                place=self.place_edit.text(),
                chair=chair,
                minute_taker=chosen_person(self.minute_combo),
                period_start=self.period_start_edit.date(),
                period_end=self.period_end_edit.date(),
            )
        except ValidationError as error:
            if "period_end" in error.problems:
                show_problem(self.period_problem, error.problems["period_end"])
            else:
                show_problem(self.error_label, f"Not planned: {problems_text(error)}")
            return
        super().accept()


# --- Add an attendee -------------------------------------------------------------------------


class AttendeeDialog(QDialog):
    """Someone who attends, or sends apologies, and the role they attend in."""

    def __init__(self, review: ManagementReview, parent: QWidget | None = None,
                 read: list[ReviewAttendance] | None = None) -> None:
        super().__init__(parent)
        self.review = review
        self.attendance: ReviewAttendance | None = None
        # The attendance as the screen showed it: someone's changed since is not replaced.
        self.read = read
        self.refused: RecordChanged | None = None
        self.compare_dialog: ChangesDialog | None = None
        self.setWindowTitle("Add to the attendance")
        self.setAccessibleName("Add to the attendance")
        self.setMinimumWidth(480)

        self._people = people_top_first()
        self.person_combo = QComboBox()
        self.person_combo.setAccessibleName("Person")
        fill_people(self.person_combo, "Choose a person…", self._people)
        self.role_edit = QLineEdit()
        self.role_edit.setAccessibleName("Attending as")
        self.role_edit.setPlaceholderText("e.g. Managing director, Quality manager")
        self.present_radio = QRadioButton("P&resent")
        self.present_radio.setAccessibleName("Present")
        self.present_radio.setChecked(True)
        self.apology_radio = QRadioButton("Sent &apologies")
        self.apology_radio.setAccessibleName("Sent apologies")
        group = QButtonGroup(self)
        group.addButton(self.present_radio)
        group.addButton(self.apology_radio)
        presence = QHBoxLayout()
        presence.setContentsMargins(0, 0, 0, 0)
        presence.addWidget(self.present_radio)
        presence.addWidget(self.apology_radio)
        presence.addStretch(1)
        presence_holder = QWidget()
        presence_holder.setLayout(presence)
        self.top_label = QLabel()
        self.top_label.setAccessibleName("Top management")
        self.top_label.setWordWrap(True)
        self.person_problem = problem_label()
        self.error_label = problem_label()
        self.changed_bar = ChangedBar()

        form = QFormLayout()
        form.setSpacing(8)
        form.addRow(buddy_label("&Person", self.person_combo),
                    _field(self.person_combo, self.person_problem))
        form.addRow(buddy_label("Attending a&s", self.role_edit), self.role_edit)
        form.addRow(QLabel("Attendance"), presence_holder)
        form.addRow("", self.top_label)

        self.buttons, self.add_button = ok_cancel_buttons(self, "A&dd", "Add attendee")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.changed_bar)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.person_combo.currentIndexChanged.connect(self._person_changed)
        self.changed_bar.reload_requested.connect(self.reload_theirs)
        self.changed_bar.compare_requested.connect(self.compare)
        self._person_changed()

    def select_person(self, person: Person) -> None:
        select_person(self.person_combo, person)

    def _person_changed(self, *_args: object) -> None:
        person = chosen_person(self.person_combo)
        top = bool(self.person_combo.currentData(Qt.ItemDataRole.UserRole + 1))
        if person is not None and not self.role_edit.isModified():
            self.role_edit.setText(person.job_title)
        if person is None:
            self.top_label.setText("")
        elif top:
            self.top_label.setText("Recorded as top management (from their role).")
            colored(self.top_label, success_color(self.palette()))
        else:
            self.top_label.setText("Not in a top-management role.")
            colored(self.top_label, self.palette().color(self.foregroundRole()))
        show_problem(self.person_problem, "")
        self.refused = None  # the refusal was about the person chosen before
        self.changed_bar.hide()

    def accept(self) -> None:
        person = chosen_person(self.person_combo)
        if person is None:
            show_problem(self.person_problem, "Choose who attends or sent apologies.")
            return
        try:
            self.attendance = reviews.set_attendance(
                self.review, person, self.present_radio.isChecked(),
                self.role_edit.text().strip(), read=self.read)
        except RecordChanged as refused:
            show_problem(self.error_label, "")
            self.refused = refused
            self.changed_bar.show_refusal(refused)
            return
        except ValidationError as error:
            show_problem(self.error_label, f"Not added: {problems_text(error)}")
            return
        super().accept()

    def _theirs(self) -> ReviewAttendance | None:
        stored = stored_now(self.refused) if self.refused is not None else None
        return stored if isinstance(stored, ReviewAttendance) and stored.archived_at is None \
            else None

    def differences(self) -> list[Difference]:
        """The attendance as chosen beside theirs as stored now."""
        if self.refused is None:
            return []
        theirs = self._theirs()

        def presence(present: bool | None) -> str:
            if present is None:
                return "Not recorded"
            return "Present" if present else "Sent apologies"

        mine = (presence(self.present_radio.isChecked()), self.role_edit.text().strip())
        stored = ((presence(theirs.present), theirs.role_label) if theirs is not None
                  else (presence(None), ""))
        return [(label, a, b) for label, a, b in
                zip(("Attendance", "Attending as"), mine, stored, strict=True) if a != b]

    def compare(self) -> None:
        """My choice beside theirs; "Reload theirs" takes theirs."""
        self.compare_dialog = ChangesDialog.offer(self.differences(), self, self.reload_theirs)

    def reload_theirs(self) -> None:
        """Show this person's attendance as stored now; Add then goes over it."""
        person = chosen_person(self.person_combo)
        if self.refused is None or person is None:
            return
        theirs = self._theirs()
        if self.read is not None:
            self.read = [s for s in self.read if s.person_id != person.id]
            if theirs is not None:
                self.read.append(theirs)
        if theirs is not None:
            (self.present_radio if theirs.present else self.apology_radio).setChecked(True)
            self.role_edit.setText(theirs.role_label)
        self.refused = None
        self.changed_bar.hide()


# --- Record a decision -----------------------------------------------------------------------


def answerable_records() -> list[tuple[str, Record]]:
    """Risks, objectives and nonconformities a decision may answer, with their kind."""
    found: list[tuple[str, Record]] = []
    for label, model, order in (
        ("Risk", Risk, Risk.title),
        ("Objective", Objective, Objective.title),
        ("Nonconformity", Nonconformity, Nonconformity.raised_on.desc()),
    ):
        for record in model.live().order_by(order):
            kind = label
            if isinstance(record, Risk) and record.kind == "opportunity":
                kind = "Opportunity"
            found.append((kind, record))
    return found


def answers_text(decision: ReviewDecision) -> str:
    if not decision.answers_table:
        return ""
    if decision.answers_table == review_flags.READINESS:
        return f"Readiness gap {decision.answers_id}"
    from qms_desktop.models import MODELS_BY_TABLE, Record

    model = MODELS_BY_TABLE.get(decision.answers_table)
    target = (model.get_or_none(model.id == decision.answers_id)
              if model is not None and issubclass(model, Record) else None)
    if target is None:
        return ""
    kind = model.__name__ if model else ""
    if isinstance(target, Risk) and target.kind == "opportunity":
        kind = "Opportunity"
    return f"{kind}: {target}"


class DecisionDialog(QDialog):
    """A decision with its type, owner and due date; it becomes an action in the tracker."""

    def __init__(self, review: ManagementReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = review
        self.decision: ReviewDecision | None = None
        self.setWindowTitle("Record a decision")
        self.setAccessibleName("Record a decision")
        # No fixed minimum width: its layout's own (a date and its calendar) is wider.

        intro = muted_label(
            "Every decision gets an owner and a due date, and goes into the action tracker so "
            "it is followed up at the next review (input a)."
        )
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Type")
        self.kind_combo.addItem("Choose the type…", "")
        for key, label in DECISION_KINDS:
            self.kind_combo.addItem(label, key)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setAccessibleName("Decision")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(
            "What was decided, e.g. “Add a second CMM operator by training J. Smith”")
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.owner_combo = QComboBox()
        self.owner_combo.setAccessibleName("Owner")
        fill_people(self.owner_combo, "Choose the owner…", people_top_first())
        self.due_edit = OptionalDateEdit()
        self.due_edit.setAccessibleName("Due")
        self.answers_combo = QComboBox()
        self.answers_combo.setAccessibleName("Answers")
        self.answers_combo.setToolTip(
            "Optional: the risk, objective, nonconformity or readiness gap this decision "
            "answers. Type to find it.")
        self.answers_combo.setEditable(True)
        self.answers_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.answers_combo.addItem("Nothing in particular", None)
        self._answerable: dict[str, Record] = {}
        for kind, record in answerable_records():
            key = f"{record._meta.table_name}:{record.id}"
            self._answerable[key] = record
            self.answers_combo.addItem(f"{kind}: {record}", key)
        # A readiness gap has no record of its own: the decision answers its clause.
        for finding in readiness.findings(clock.today()):
            if finding.severity == readiness.GAP:
                self.answers_combo.addItem(f"Readiness gap {finding.text}",
                                           f"{review_flags.READINESS}:{finding.clause}")
        completer = self.answers_combo.completer()
        assert completer is not None  # an editable combo box has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.problems = {name: problem_label() for name in
                         ("kind", "description", "owner", "due_on", "answers")}
        self.error_label = problem_label()

        form = QFormLayout()
        form.setSpacing(8)
        form.addRow(buddy_label("&Type", self.kind_combo),
                    _field(self.kind_combo, self.problems["kind"]))
        form.addRow(buddy_label("&Decision", self.description_edit),
                    _field(self.description_edit, self.problems["description"]))
        form.addRow(buddy_label("&Owner", self.owner_combo),
                    _field(self.owner_combo, self.problems["owner"]))
        form.addRow(buddy_label("D&ue", self.due_edit),
                    _field(self.due_edit, self.problems["due_on"]))
        form.addRow(buddy_label("A&nswers", self.answers_combo),
                    _field(self.answers_combo, self.problems["answers"]))

        self.buttons, self.add_button = ok_cancel_buttons(self, "&Add decision", "Add decision")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.adjustSize()

    def set_kind(self, key: str) -> None:
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(key)))

    def select_owner(self, person: Person) -> None:
        select_person(self.owner_combo, person)

    def _answers_key(self) -> str:
        """The chosen entry's key ("" for nothing); typed text must match an entry."""
        text = self.answers_combo.currentText().strip()
        if not text or text == self.answers_combo.itemText(0):
            return ""
        index = self.answers_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            raise LookupError(text)
        return str(self.answers_combo.itemData(index) or "")

    def answers(self) -> Record | None:
        """The chosen record; None for nothing or a readiness gap."""
        return self._answerable.get(self._answers_key())

    def answers_gap(self) -> str:
        """The clause of the chosen readiness gap; "" for nothing or a record."""
        table, _, clause = self._answers_key().partition(":")
        return clause if table == review_flags.READINESS else ""

    def accept(self) -> None:
        for label in (*self.problems.values(), self.error_label):
            show_problem(label, "")
        due_problem = self.due_edit.problem()
        if due_problem:
            show_problem(self.problems["due_on"], due_problem)
            return
        try:
            answers, answers_gap = self.answers(), self.answers_gap()
        except LookupError:
            show_problem(self.problems["answers"],
                         "Choose a risk, objective, nonconformity or readiness gap from the "
                         "list, or clear the box.")
            return
        try:
            self.decision = reviews.add_decision(
                self.review,
                self.kind_combo.currentData() or "",
                self.description_edit.toPlainText(),
                chosen_person(self.owner_combo),
                self.due_edit.date(),
                answers=answers,
                answers_gap=answers_gap,
            )
        except ValidationError as error:
            for name, text in error.problems.items():
                show_problem(self.problems.get(name, self.error_label), str(text))
            return
        super().accept()


# --- Close and freeze ------------------------------------------------------------------------

# Where each closing problem is fixed: the step of the screen (see ReviewsScreen.STEPS).
PROBLEM_PLACES = {
    "status": ("conclusion", "Mark the meeting as held"),
    "suitability": ("conclusion", "Go to the conclusion"),
    "adequacy": ("conclusion", "Go to the conclusion"),
    "effectiveness": ("conclusion", "Go to the conclusion"),
    "strategy_alignment": ("conclusion", "Go to the conclusion"),
    "next_review_on": ("conclusion", "Go to the next review date"),
    "attendance": ("before", "Go to the attendance"),
    "inputs": ("inputs", "Go to the inputs"),
}


class CloseReviewDialog(QDialog):
    """What still stops closing, what an auditor would note, and who closes; then freeze."""

    go_to = Signal(str)  # a closing-check field whose place the screen should show

    def __init__(self, review: ManagementReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = review
        self.pack: ReviewPack | None = None
        self.setWindowTitle(f"Close and freeze {review.display_name().lower()}")
        self.setAccessibleName("Close and freeze the review")
        self.setMinimumWidth(600)

        intro = QLabel(
            "Closing freezes the review: the minutes, decisions and the pack as it is now are "
            "stored with a SHA-256 fingerprint, and nothing about this review can change "
            "afterwards. The decisions stay open in the action tracker."
        )
        intro.setWordWrap(True)
        self.closer_combo = QComboBox()
        self.closer_combo.setAccessibleName("Closed by")
        self.closer_combo.setToolTip("Closing the review is an act of top management; people "
                                     "in a top-management role are listed first.")
        people = people_top_first()
        chair = review.chair if review.chair_id else None
        default = chair if chair is not None and policy.is_top_management(chair) else None
        fill_people(self.closer_combo, "Choose who closes…", people, default)
        if default is None and people and people[0][1]:
            self.closer_combo.setCurrentIndex(1)
        form = QFormLayout()
        form.addRow(buddy_label("Closed &by", self.closer_combo), self.closer_combo)

        self.problems_frame = QFrame()
        self.problems_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.problems_frame.setAccessibleName("Must be fixed before closing")
        self.problems_layout = QVBoxLayout(self.problems_frame)
        self.problems_layout.setContentsMargins(12, 10, 12, 10)
        self.problems_layout.setSpacing(6)
        self.warnings_frame = QFrame()
        self.warnings_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.warnings_frame.setAccessibleName("Recorded with the review")
        self.warnings_layout = QVBoxLayout(self.warnings_frame)
        self.warnings_layout.setContentsMargins(12, 10, 12, 10)
        self.warnings_layout.setSpacing(6)
        self.flags = self._contradictions(parent)
        self.flags_frame = QFrame()
        self.flags_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.flags_frame.setAccessibleName("Flagged: the inputs contradict the conclusion")
        flags_layout = QVBoxLayout(self.flags_frame)
        flags_layout.setContentsMargins(12, 10, 12, 10)
        flags_layout.setSpacing(6)
        flags_layout.addWidget(QLabel("<b>Flagged: the inputs do not support the conclusion</b>"))
        # A new company can have a dozen gaps: the list scrolls, the reason stays in view.
        flag_list = QWidget()
        flag_column = QVBoxLayout(flag_list)
        flag_column.setContentsMargins(0, 0, 4, 0)
        flag_column.setSpacing(4)
        for flag in self.flags:
            label = colored(QLabel(f"• {flag}"), warning_color(self.palette()))
            label.setWordWrap(True)
            label.setAccessibleName(flag)
            flag_column.addWidget(label)
        flag_column.addStretch(1)
        flag_scroll = QScrollArea()
        flag_scroll.setWidget(flag_list)
        flag_scroll.setWidgetResizable(True)
        flag_scroll.setFrameShape(QFrame.Shape.NoFrame)
        flag_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As tall as the flags at the dialog's width, up to ten lines; taller ones scroll.
        needed = flag_list.heightForWidth(self.minimumWidth() - 60)
        flag_scroll.setFixedHeight(min(max(needed, 0) or flag_list.sizeHint().height(),
                                       self.fontMetrics().lineSpacing() * 10))
        flags_layout.addWidget(flag_scroll)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setAccessibleName("Reason for closing despite the flags")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(
            "Why the review closes as it is, e.g. “The audit programme was paused during the "
            "move; the first audit is planned for March.” The record prints it.")
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)
        self.reason_problem = problem_label()
        reason_label = buddy_label("&Reason for closing anyway", self.reason_edit)
        flags_layout.addWidget(reason_label)
        flags_layout.addWidget(self.reason_edit)
        flags_layout.addWidget(self.reason_problem)
        self.flags_frame.setVisible(bool(self.flags))
        self.ready_label = QLabel()
        self.ready_label.setWordWrap(True)
        self.ready_label.setAccessibleName("Ready to close")
        self.error_label = problem_label()

        self.buttons, self.close_button = ok_cancel_buttons(self, "&Close and freeze",
                                                              "Close and freeze")
        # What to fix, note and flag scrolls when taller than the screen (a 1024 x 640 laptop
        # with seven points to fix); the intro, the closer and the buttons stay in view.
        checks = QWidget()
        checks_layout = QVBoxLayout(checks)
        checks_layout.setContentsMargins(0, 0, 0, 0)
        checks_layout.setSpacing(12)
        checks_layout.addWidget(self.problems_frame)
        checks_layout.addWidget(self.warnings_frame)
        checks_layout.addWidget(self.flags_frame)
        checks_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        self._checks_area = scrolling(checks)
        layout.addWidget(self._checks_area, 1)
        layout.addWidget(self.ready_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.problem_texts: list[str] = []
        self.go_buttons: dict[str, QPushButton] = {}
        self.closer_combo.currentIndexChanged.connect(self.refresh)
        self.refresh()
        self._sized = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # once the rows `refresh` added are shown and laid out
            self._sized = True
            QTimer.singleShot(0, self, self._fit_screen)

    def _fit_screen(self) -> None:
        """As tall as the checks at this width where the screen has room; they scroll where
        it has not."""
        area = self._checks_area
        page = area.widget()
        inner = page.layout() if page is not None else None
        if inner is None:
            return
        wanted = inner.totalHeightForWidth(area.viewport().width())
        resize_within_screen(self, self.width(),
                             self.height() + wanted - area.viewport().height(),
                             self.parentWidget())

    def _contradictions(self, parent: QWidget | None) -> list[str]:
        """The review's inputs, as of its cut-off, against its conclusion (review_flags)."""
        with busy(parent, "Checking the inputs against the conclusion…"):
            return packs.closing_flags(self.review)

    def closer(self) -> Person | None:
        return chosen_person(self.closer_combo)

    def select_closer(self, person: Person) -> None:
        select_person(self.closer_combo, person)

    def refresh(self, *_args: object) -> None:
        check = self.check = reviews.closing_check(self.review, self.closer())
        for layout in (self.problems_layout, self.warnings_layout):
            while layout.count():
                item = layout.takeAt(0)
                widget = item.widget() if item is not None else None
                inner = item.layout() if item is not None else None
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()
                elif inner is not None:
                    while inner.count():
                        inner_item = inner.takeAt(0)
                        child = inner_item.widget() if inner_item is not None else None
                        if child is not None:
                            child.hide()
                            child.deleteLater()
        self.go_buttons = {}
        problems = {k: v for k, v in check.problems.items() if k != "closed_by"}
        self.problem_texts = list(problems.values())
        if problems:
            heading = QLabel(f"<b>Fix first</b> ({len(problems)})")
            heading.setAccessibleName("Fix first")
            self.problems_layout.addWidget(heading)
        for field, text in problems.items():
            row = QHBoxLayout()
            row.setSpacing(10)
            label = colored(QLabel(f"• {text}"), error_color(self.palette()))
            label.setWordWrap(True)
            label.setAccessibleName(text)
            row.addWidget(label, 1)
            place = PROBLEM_PLACES.get(field)
            if place is not None:
                button = QPushButton(place[1])
                button.setAccessibleName(f"{place[1]}: {text}")
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(lambda _c=False, f=field: self._go(f))
                self.go_buttons[field] = button
                row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.problems_layout.addLayout(row)
        self.problems_frame.setVisible(bool(problems))
        if check.warnings:
            heading = QLabel("<b>Will be recorded with the review</b>")
            self.warnings_layout.addWidget(heading)
        for text in check.warnings:
            label = colored(QLabel(f"• {text}"), warning_color(self.palette()))
            label.setWordWrap(True)
            label.setAccessibleName(text)
            self.warnings_layout.addWidget(label)
        self.warnings_frame.setVisible(bool(check.warnings))
        closer = self.closer()
        self.close_button.setEnabled(not check.problems)
        if closer is None:
            self.ready_label.setText("Choose who closes the review.")
            colored(self.ready_label, warning_color(self.palette()))
            self.close_button.setToolTip("Choose who closes the review first")
        elif "closed_by" in check.problems:
            self.ready_label.setText(check.problems["closed_by"])
            colored(self.ready_label, error_color(self.palette()))
            self.close_button.setToolTip("Choose someone in top management")
        elif problems:
            self.ready_label.setText("The review cannot be closed until the points above are "
                                     "fixed.")
            colored(self.ready_label, error_color(self.palette()))
            self.close_button.setToolTip("Fix the points listed first")
        else:
            title = reviews.top_management_title(closer)
            signer = f"{closer.full_name}, {title}" if title else closer.full_name
            self.ready_label.setText(f"Ready: {signer} signs “{reviews.SIGNATURE_MEANING}” and "
                                     "the pack is frozen.")
            colored(self.ready_label, success_color(self.palette()))
            self.close_button.setToolTip("Freeze the review and its pack")
        self.adjustSize()
        # adjustSize sizes a dialog by its narrowest layout; at its real width the wrapped
        # lines need the height the layout asks for that width.
        own = self.layout()
        if own is not None and own.hasHeightForWidth():
            self.resize(self.width(), max(self.height(), own.heightForWidth(self.width())))

    def _go(self, field: str) -> None:
        self.reject()
        self.go_to.emit(field)

    def accept(self) -> None:
        closer = self.closer()
        if closer is None:
            show_problem(self.error_label, "Choose who closes the review.")
            return
        reason = self.reason_edit.toPlainText().strip() if self.flags else ""
        show_problem(self.reason_problem, "")
        # What must be fixed first is reported by the closing below, before the reason.
        if self.flags and not reason and not self.check.problems:
            show_problem(self.reason_problem, "Say why the review closes despite the flags "
                         "above; the record prints your reason beside them.")
            self.reason_edit.setFocus()
            return
        try:
            with busy(self, "Freezing the review and its pack…"):
                self.pack = packs.close(self.review, closer, reason=reason)
        except ValidationError as error:
            self.refresh()
            reason_problem = error.problems.get("closing_reason")
            if reason_problem and len(error.problems) == 1 and self.flags:
                show_problem(self.reason_problem, str(reason_problem))
            else:
                show_problem(self.error_label, f"Not closed: {problems_text(error)}")
            return
        super().accept()


def closed_sentence(review: ManagementReview, pack: ReviewPack | None) -> str:
    who = review.closed_by.full_name if review.closed_by is not None else "someone"
    when = long_date(review.closed_at) if review.closed_at else "an unknown date"
    if pack is None:
        return (f"Closed on {when} by {who}. No frozen pack was stored for this review; its "
                "pack is made from the records.")
    title = f", {review.signed_title}" if review.signed_title else ""
    return (f"Closed on {when} by {who}{title}; the pack is frozen. SHA-256 of its PDF: "
            f"{pack.sha256}")
