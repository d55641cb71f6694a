"""Settings kept in the database: for now, the name recorded with every change.

On a server the history records whoever signed in, never a typed name: the dialog says who
that is instead of asking.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import accounts, organisation
from qms_desktop.errors import ValidationError
from qms_desktop.models import on_server
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
        self.user_name_edit: QLineEdit | None = None
        self.signed_in_label: QLabel | None = None
        if on_server():
            who = accounts.signed_in()
            self.signed_in_label = QLabel(
                f"Signed in as {who.name} ({who.role_label})" if who is not None
                else "Signed in with a login that has no account of its own")
            self.signed_in_label.setAccessibleName("Signed in as")
            form.addRow("You", self.signed_in_label)
            text = ("The server records the person signed in with every change you make, "
                    "as the standard expects. To change who that is, sign in with another "
                    "login (File → Connect to a server).")
        else:
            self.user_name_edit = QLineEdit(organisation.user_name())
            self.user_name_edit.setAccessibleName("Your name")
            self.user_name_note = limit_length(self.user_name_edit, 200)
            form.addRow("&Your name", self.user_name_edit)
            form.addRow("", self.user_name_note)
            text = "Your name is recorded with every change you make, as the standard expects."
        self.user_name_problem = problem_label()
        form.addRow("", self.user_name_problem)
        layout.addLayout(form)
        hint = muted(QLabel(text))
        hint.setWordWrap(True)
        layout.addWidget(hint)

        if self.user_name_edit is None:  # nothing to change here: one button to close
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            self.buttons.rejected.connect(self.reject)
        else:
            self.buttons, _ = ok_cancel_buttons(self)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if self.user_name_edit is None:  # nothing to set on a server
            super().accept()
            return
        try:
            organisation.set_user_name(self.user_name_edit.text())
        except ValidationError as error:
            show_problem(self.user_name_problem, problems_text(error))
            self.user_name_edit.setFocus()
            return
        super().accept()
