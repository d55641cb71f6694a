"""Step 4 of a review: top management's conclusion, the next review, holding and closing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import accounts, reviews
from qms_desktop.dates import add_months
from qms_desktop.models import ManagementReview
from ui.kit.permission import hold_refused, refusal, refused_line, write_refusal
from ui.kit.record_form import OptionalDateEdit
from ui.kit.text import long_date
from ui.kit.theme import muted_color, set_text_color, show_read_only, success_color
from ui.kit.widgets import bold, muted_label, problem_label, show_problem
from ui.screens.reviews.parts import fixed_height_text, panel, scrolled

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


class ConclusionTab(QScrollArea):
    """The four conclusions and the next review's date, then where the review stands with
    its hold and close buttons."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = muted_label(
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
            fixed_height_text(edit, 3)
            label = QLabel(label_text)
            label.setBuddy(edit)
            form.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            form.addWidget(edit, row, 1)
            self.conclusion_edits[name] = edit
            edit.textChanged.connect(self.changed)
            row += 1
        self.next_review_edit = OptionalDateEdit()
        self.next_review_edit.setAccessibleName("Next review")
        self.next_review_edit.changed.connect(self.changed)
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

        self.stage_panel = panel("Hold and close")
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
        # Closing is top management's; a role that may not change reviews at all has the
        # screen's line under Save, so this line speaks only to one that may (a quality officer).
        close_refusal = refusal(accounts.CLOSE_REVIEW)
        hold_refused(write_refusal("management_review"), self.held_button)
        hold_refused(close_refusal, self.close_button)
        self.close_reason = refused_line(
            "" if write_refusal("management_review") else close_refusal, self.close_button)
        stage.addWidget(self.close_reason)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(10)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(self.stage_panel)
        layout.addStretch(1)
        scrolled(self, body, "Conclusion and close")

    def show_conclusion(self, review: ManagementReview) -> None:
        closed = review.status == "closed"
        for name, edit in self.conclusion_edits.items():
            edit.setPlainText(getattr(review, name))
        default_next = add_months(review.meeting_on, reviews.interval_months())
        self.next_review_edit.set_date(review.next_review_on or
                                       (None if closed else default_next))
        self.next_review_hint.setText(
            f"Every {reviews.interval_months()} months from the meeting would be "
            f"{long_date(default_next)}.")
        show_problem(self.conclusion_problem, "")

    def values(self) -> dict[str, str]:
        return {name: edit.toPlainText().strip() for name, edit in self.conclusion_edits.items()}

    def state(self) -> tuple[object, ...]:
        return (tuple(e.toPlainText() for e in self.conclusion_edits.values()),
                self.next_review_edit.text())

    def set_read_only(self, read_only: bool, window: QPalette) -> None:
        self.next_review_edit.setEnabled(not read_only)
        for conclusion in self.conclusion_edits.values():
            show_read_only(conclusion, read_only)

    def show_stage(self, review: ManagementReview, today: dt.date, closed_text: str) -> None:
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
            self.stage_label.setText("<b>Closed.</b> " + closed_text)
            set_text_color(self.stage_label, success_color(palette))

    def focus_field(self, field: str) -> None:
        """Put the focus where a closing problem about `field` is fixed."""
        if field in self.conclusion_edits:
            self.conclusion_edits[field].setFocus()
        elif field == "next_review_on":
            self.next_review_edit.setFocus()
        elif field == "status":
            self.held_button.setFocus()

    def apply_colours(self, palette: QPalette) -> None:
        set_text_color(self.next_review_hint, muted_color(palette))
