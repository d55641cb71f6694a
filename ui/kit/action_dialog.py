"""The small dialog that raises an action from a record (a risk, a failing KPI).

The action goes into the one tracker with the record as its source; the screens that offer
it only say what the action is for and what to suggest.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import actions, clock, registers
from qms_desktop.errors import ValidationError
from qms_desktop.models import Person, Record
from ui.kit.past_date import PAST_DATE_REFUSED, confirm_past_date
from ui.kit.record_form import NONE_LABEL, OptionalDateEdit
from ui.kit.theme import muted_color, set_text_color
from ui.kit.widgets import ok_cancel_buttons, problem_label, show_problem


class RaiseActionDialog(QDialog):
    """Title, owner and due date of an action on `source`; accept() raises it."""

    def __init__(self, source: Record, *, about: str, button: str, due_in_days: int,
                 title: str = "", owner_id: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.action: object | None = None
        self.setWindowTitle(button)
        self.setAccessibleName(button)
        intro = QLabel(escape(about))
        intro.setWordWrap(True)
        set_text_color(intro, muted_color(self.palette()))
        self.title_edit = QLineEdit(title)
        self.title_edit.setAccessibleName("Action title (required)")
        self.title_edit.setPlaceholderText("What will be done")
        self.owner_combo = QComboBox()
        self.owner_combo.setAccessibleName("Action owner")
        self.owner_combo.addItem(NONE_LABEL, "")
        for person_id, name in registers.link_choices(Person):
            self.owner_combo.addItem(name, person_id)
        self.owner_combo.setCurrentIndex(max(self.owner_combo.findData(owner_id), 0))
        self.due_edit = OptionalDateEdit()
        self.due_edit.setAccessibleName("Action due date (required)")
        self.due_edit.set_date(clock.today() + dt.timedelta(days=due_in_days))
        self.error_label = problem_label("Problems with the action")

        form = QFormLayout()
        form.setSpacing(10)
        for text, field in (("&Title *", self.title_edit), ("&Owner", self.owner_combo),
                            ("&Due *", self.due_edit)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        self.buttons, _ = ok_cancel_buttons(self, button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.title_edit.selectAll()

    def accept(self) -> None:
        """Raise the action; on a problem say so and stay open."""
        owner_id = self.owner_combo.currentData()
        owner = Person.get_or_none(Person.id == owner_id) if owner_id else None
        try:
            problem = self.due_edit.problem()
            if problem:
                raise ValidationError({"due_on": problem})
            if not confirm_past_date(self, "The action would be due", self.due_edit.date()):
                raise ValidationError({"due_on": PAST_DATE_REFUSED})
            self.action = actions.raise_action(
                self.source, self.title_edit.text(), owner, self.due_edit.date())
        except ValidationError as error:
            show_problem(self.error_label, "\n".join(error.problems.values()))
            return
        super().accept()
