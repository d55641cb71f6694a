"""File → Change my password…: the signed-in person sets a new password for their own login.

The current password is asked (accounts.change_own_password checks it by signing in with
it), the new one twice; all three masked. What accounts.py refuses shows under its field,
with what was typed kept. Where this computer's keyring keeps the password of this
connection, it is replaced by the new one, so the next start signs in without asking.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from qms_desktop import accounts, errors
from qms_desktop.errors import ValidationError
from ui.kit.form_dialog import FormDialog

TITLE = "Change my password"


class PasswordDialog(FormDialog):
    """Current password, the new one twice; Enter changes it, Escape leaves it as it was."""

    def __init__(self, parent: QWidget | None = None) -> None:
        who = accounts.signed_in()
        login = f" ({who.login})" if who is not None else ""
        super().__init__(
            TITLE,
            f"A new password for the login you signed in with{login}. It holds from your "
            "next sign-in; this window stays signed in.",
            "&Change password", parent)
        self.set_submit(self._change)
        self.current_edit = self._password("current_password", "&Current password", "")
        self.new_edit = self._password("new_password", "&New password",
                                       f"At least {accounts.SHORTEST_PASSWORD} characters.")
        self.again_edit = self._password("new_password_again", "New password a&gain",
                                         "The same new password, to be sure of it.")
        self.ok_button.setDefault(True)
        # Why the keyring was not updated, when it kept this connection's password.
        self.keyring_notice = ""
        self.current_edit.setFocus()

    def _password(self, name: str, label: str, hint: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field(name, label, edit, hint=hint)
        return edit

    def _change(self, values: dict[str, Any]) -> None:
        if values["new_password"] != values["new_password_again"]:
            raise ValidationError({"new_password_again": "New password again: the two new "
                                   "passwords differ; type the same one in both."})
        try:
            accounts.change_own_password(values["current_password"], values["new_password"])
        except errors.EnvironmentProblem as problem:
            raise ValidationError({"server": f"{problem.message} {problem.advice}"}) from None
        self._update_keyring(values["new_password"])

    def _update_keyring(self, password: str) -> None:
        from qms_desktop import saved_passwords, server

        address = server.open_address()
        if address is None or saved_passwords.saved_password(address) is None:
            return
        self.keyring_notice = saved_passwords.keep_password(address, password) or ""
