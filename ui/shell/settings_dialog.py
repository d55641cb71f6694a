"""Settings kept in the database: for now, the name recorded with every change."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import organisation
from qms_desktop.errors import ValidationError
from ui.kit.header import muted
from ui.kit.length_note import limit_length
from ui.kit.widgets import ok_cancel_buttons, problem_label, problems_text, show_problem


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)

        form = QFormLayout()
        form.setVerticalSpacing(6)
        self.user_name_edit = QLineEdit(organisation.user_name())
        self.user_name_edit.setAccessibleName("Your name")
        self.user_name_note = limit_length(self.user_name_edit, 200)
        form.addRow("&Your name", self.user_name_edit)
        form.addRow("", self.user_name_note)
        self.user_name_problem = problem_label()
        form.addRow("", self.user_name_problem)
        layout.addLayout(form)
        hint = muted(
            QLabel("Your name is recorded with every change you make, as the standard expects.")
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

        self.buttons, _ = ok_cancel_buttons(self)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        try:
            organisation.set_user_name(self.user_name_edit.text())
        except ValidationError as error:
            show_problem(self.user_name_problem, problems_text(error))
            self.user_name_edit.setFocus()
            return
        super().accept()
