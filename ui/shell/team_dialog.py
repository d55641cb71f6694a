"""File → Team members…: who may sign in to the server database, and in which role.

Top management adds a member (a login for a person already in People, or for a new one),
gives a member another role, sets a member's password (one forgotten, or the first on this
server for a member whose records were copied from another server), or removes one.
accounts.py does each of these and says what it refuses (a login the server cannot take, a
password too short); the dialogs here show its sentence under the field it names and keep
what was typed. A file has no sign-in, and only top management manages the members:
otherwise File says why the item cannot be used (team_menu.py).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import accounts, errors
from qms_desktop.errors import ValidationError
from ui.kit.form_dialog import FormDialog
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.reason import DisabledReason
from ui.kit.server_lost import NotSaved, lost_connection, save_retrying
from ui.kit.tables import fill_table, make_table, selected_id
from ui.kit.widgets import muted_label, problem_label, resize_within_screen, show_problem

TITLE = "Team members"
COLUMNS = ("Login", "Person", "Role", "Status")
NEW_PERSON = "A new person (name below)"
NOT_REACHED = "Nothing was changed: the server was not reached. What you typed is kept."
NO_SIGN_IN = "No sign-in here yet — set a password"
OWN_PASSWORD = ("Your own password: File → Change my password… (it asks for your current "
                "one).")


def _refused_by_server(problem: errors.EnvironmentProblem) -> ValidationError:
    """An EnvironmentProblem (sign-ins not set up on the server, say) shown above the
    buttons like any refusal."""
    return ValidationError({"server": f"{problem.message} {problem.advice}"})


def _status(member: accounts.Member) -> str:
    if not member.signs_in:
        return NO_SIGN_IN
    who = accounts.signed_in()
    return "Signed in now (you)" if who is not None and who.login == member.login \
        else "May sign in"


def _masked(dialog: FormDialog, name: str, label: str, hint: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    dialog.add_field(name, label, edit, hint=hint)
    return edit


class AddMemberDialog(FormDialog):
    """A login and a password for a person, with a role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "Add a team member",
            "They sign in with File → Connect to a server, this login and this password. "
            "Give them the password in person; they cannot see it here again.",
            "&Add member", parent)
        self.set_submit(self._add)
        self.login_edit = self.add_line("login", "&Login", placeholder="maria_khan")
        self.person_combo = QComboBox()
        self.person_combo.addItem(NEW_PERSON, "")
        from ui.kit.pickers import active_people

        for person in active_people():
            self.person_combo.addItem(person.full_name, person.id)
        self.add_field("person", "&Person", self.person_combo,
                       hint="Someone already in People, or a new person.")
        self.name_edit = self.add_line("full_name", "New person's &name",
                                       placeholder="Maria Khan")
        self.role_combo = self.add_choice(
            "role", "&Role", [(role, accounts.ROLE_LABELS[role]) for role in accounts.ROLES],
            value="viewer", none_label=None)
        self.password_edit = self._password("password", "Pass&word",
                                            f"At least {accounts.SHORTEST_PASSWORD} characters.")
        self.again_edit = self._password("password_again", "Password a&gain",
                                         "The same password, to be sure of it.")
        self.person_combo.currentIndexChanged.connect(self._person_chosen)
        self._person_chosen()
        self.login_edit.setFocus()  # the kit's buttons come first in the focus chain

    def _password(self, name: str, label: str, hint: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field(name, label, edit, hint=hint)
        return edit

    def _person_chosen(self, *_args: object) -> None:
        new = not self.person_combo.currentData()
        self.name_edit.setEnabled(new)
        self.name_edit.setPlaceholderText("Maria Khan" if new else "")

    def _add(self, values: dict[str, Any]) -> accounts.Member:
        if values["password"] != values["password_again"]:
            raise ValidationError({"password_again": "Password again: the two passwords "
                                                     "differ; type the same one in both."})
        person: Any = values["full_name"]
        if values["person"]:
            from qms_desktop.models import Person

            person = Person.get_or_none(Person.id == values["person"])
            if person is None:
                raise ValidationError({"person": "Person: no longer in People; choose "
                                                 "another."})
        try:
            return save_retrying(self, lambda: accounts.add_account(
                values["login"], person, values["role"], values["password"]))
        except errors.EnvironmentProblem as problem:
            raise _refused_by_server(problem) from None
        except NotSaved:
            raise ValidationError({"server": NOT_REACHED}) from None


class ChangeRoleDialog(FormDialog):
    """Another role for one member."""

    def __init__(self, member: accounts.Member, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Change {member.name}'s role",
            f"{member.name} signs in as {member.login}, now as {member.role_label}. "
            "The new role holds from their next sign-in.",
            "&Change role", parent)
        self.member = member
        self.set_submit(self._change)
        self.role_combo = self.add_choice(
            "role", "&Role", [(role, accounts.ROLE_LABELS[role]) for role in accounts.ROLES],
            value=member.role, none_label=None)
        self.role_combo.setFocus()

    def _change(self, values: dict[str, Any]) -> accounts.Member:
        if values["role"] == self.member.role:
            return self.member
        try:
            return save_retrying(self, lambda: accounts.change_role(self.member.login,
                                                                    values["role"]))
        except errors.EnvironmentProblem as problem:
            raise _refused_by_server(problem) from None
        except NotSaved:
            raise ValidationError({"server": NOT_REACHED}) from None


class SetPasswordDialog(FormDialog):
    """A new password for a member, typed twice: one forgotten, or the first on this server
    for a member whose records were copied from another server (which makes their login)."""

    def __init__(self, member: accounts.Member, parent: QWidget | None = None) -> None:
        intro = (
            f"{member.name} signs in as {member.login}. The new password replaces theirs at "
            "once; give it to them in person." if member.signs_in else
            f"{member.login} has no sign-in on this server yet: the records were copied "
            "from another server, which keeps its logins and passwords. A password here "
            f"gives {member.name} their sign-in back, as {member.role_label}; give it to "
            "them in person.")
        super().__init__(f"Set {member.name}'s password", intro, "&Set password", parent)
        self.member = member
        self.set_submit(self._set)
        self.password_edit = _masked(self, "password", "New pass&word",
                                     f"At least {accounts.SHORTEST_PASSWORD} characters.")
        self.again_edit = _masked(self, "password_again", "New password a&gain",
                                  "The same password, to be sure of it.")
        self.ok_button.setDefault(True)
        self.password_edit.setFocus()

    def _set(self, values: dict[str, Any]) -> accounts.Member:
        if values["password"] != values["password_again"]:
            raise ValidationError({"password_again": "New password again: the two passwords "
                                                     "differ; type the same one in both."})
        try:
            return save_retrying(self, lambda: accounts.set_password(self.member.login,
                                                                     values["password"]))
        except errors.EnvironmentProblem as problem:
            raise _refused_by_server(problem) from None
        except NotSaved:
            raise ValidationError({"server": NOT_REACHED}) from None


class TeamDialog(QDialog):
    """The members of this server database, and Add, Change role and Remove."""

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(560)
        self.members: list[accounts.Member] = []
        # The dialog or question open over this one (kept alive, and for tests to drive).
        self.dialog: FormDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.member_menu: QMenu | None = None  # the menu of a member right-clicked

        intro = muted_label(
            "Who may sign in to this server database, and what their role lets them "
            "change. A member removed can no longer sign in; what they recorded stays, "
            "with its history.")
        # The administrator who made the database signs in without an account of their own.
        self.administrator_note = muted_label()
        self.administrator_note.setAccessibleName("You")
        self.administrator_note.hide()
        # Members copied from another server, who cannot sign in here until given a password.
        self.missing_note = muted_label()
        self.missing_note.setAccessibleName("Who cannot sign in yet")
        self.missing_note.hide()
        self.table = make_table(TITLE, list(COLUMNS))
        self.table.setMinimumHeight(160)
        self.problem = problem_label("Team members: problem")
        self.done_label = muted_label()
        self.done_label.setAccessibleName("What was done")
        self.done_label.hide()

        self.add_button = QPushButton("&Add member…")
        self.add_button.setAccessibleName("Add a team member")
        self.role_button = QPushButton("Change &role…")
        self.role_button.setAccessibleName("Change the member's role")
        self.password_button = QPushButton("Set &password…")
        self.password_button.setAccessibleName("Set the member's password")
        self.remove_button = QPushButton("Re&move…")
        self.remove_button.setAccessibleName("Remove the member")
        self.remove_reason = DisabledReason(self.remove_button)
        self.add_button.setAutoDefault(False)
        self.role_button.setAutoDefault(False)
        self.password_button.setAutoDefault(False)
        self.remove_button.setAutoDefault(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        # Enter on a member changes their role, or sets the password of one who cannot
        # sign in yet (the list's `activated`); it must not also press Close as the
        # dialog's default. Escape closes.
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.add_button)
        actions.addWidget(self.role_button)
        actions.addWidget(self.password_button)
        actions.addWidget(self.remove_button)
        actions.addWidget(self.remove_reason, 1)
        actions.addStretch(0)  # the room the reason takes when it shows, else the buttons'

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.administrator_note)
        layout.addWidget(self.missing_note)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.problem)
        layout.addWidget(self.done_label)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.table, self.add_button)
        QWidget.setTabOrder(self.add_button, self.role_button)
        QWidget.setTabOrder(self.role_button, self.password_button)
        QWidget.setTabOrder(self.password_button, self.remove_button)

        self.add_button.clicked.connect(self.add_member)
        self.role_button.clicked.connect(self.change_role)
        self.password_button.clicked.connect(self.set_password)
        self.remove_button.clicked.connect(self.remove_member)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.activated.connect(self.next_step)  # a double click
        self.table.installEventFilter(self)  # Enter on a member
        # A right click (or the Menu key) on a member: what the buttons do, for them.
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self.show_member_menu)

        resize_within_screen(self, 700, 460, parent)
        self.refresh()
        self.table.setFocus()
        # Another member of top management may add or remove someone meanwhile.
        follow_changes(self, changes, ("account", "person"), self.refresh)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.next_step()
            return True
        return super().eventFilter(watched, event)

    # --- The list ------------------------------------------------------------------------

    def refresh(self, select: str = "") -> None:
        """Read the members again and select `select` (a login), or the first."""
        chosen = select or selected_id(self.table)
        try:
            self.members = accounts.list_accounts()
        except errors.EnvironmentProblem as problem:
            self.members = []
            show_problem(self.problem, f"{problem.message} {problem.advice}")
        except Exception as exc:
            if not lost_connection(exc):
                raise
            # The list stays as last read; adding or changing offers to connect again.
            show_problem(self.problem, "The server was not reached, so the list may be out "
                         "of date. Nothing was changed.")
            return
        fill_table(self.table, [(m.login, [m.login, m.name, m.role_label, _status(m)])
                                for m in self.members])
        rows = [m.login for m in self.members]
        if rows:
            self.table.selectRow(rows.index(chosen) if chosen in rows else 0)
        who = accounts.signed_in()
        alone = who is not None and who.login not in rows
        self.administrator_note.setText(
            f"You signed in as {who.login}, the database's administrator: not a member "
            "listed here, you may always sign in and do everything." if alone and who
            else "")
        self.administrator_note.setVisible(alone)
        missing = [m.login for m in self.members if not m.signs_in]
        self.missing_note.setText(
            f"{_count(len(missing))} cannot sign in to this server yet: the records were "
            "copied from another server, which keeps its logins and passwords. Select one "
            "and press Set password… (or Enter) to give them their sign-in here."
            if missing else "")
        self.missing_note.setVisible(bool(missing))
        self._update_buttons()

    def selected(self) -> accounts.Member | None:
        login = selected_id(self.table)
        return next((m for m in self.members if m.login == login), None)

    def select(self, login: str) -> None:
        rows = [m.login for m in self.members]
        if login in rows:
            self.table.selectRow(rows.index(login))

    def _update_buttons(self) -> None:
        member = self.selected()
        self.role_button.setEnabled(member is not None)
        who = accounts.signed_in()
        yourself = member is not None and who is not None and who.login == member.login
        # One's own password is changed knowing the current one (File → Change my
        # password…), so a window left open cannot have it changed.
        self.password_button.setEnabled(member is not None and not yourself)
        tip = OWN_PASSWORD if yourself else "A new password for this member"
        self.password_button.setToolTip(tip)
        self.password_button.setAccessibleDescription(tip)
        self.remove_reason.explain(
            member is not None and not yourself,
            "You cannot remove your own sign-in; ask someone else in top management."
            if yourself else "", "Stop this login signing in; what they recorded stays")

    def _said(self, text: str) -> None:
        show_problem(self.problem, "")
        self.done_label.setText(text)
        self.done_label.setVisible(bool(text))

    # --- Add, change, remove -------------------------------------------------------------

    def _open(self, dialog: FormDialog, done: Any) -> None:
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            if result == QDialog.DialogCode.Accepted:
                done(dialog.result_value)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def add_member(self) -> None:
        def added(member: accounts.Member) -> None:
            self.refresh(select=member.login)
            self._said(f"Added {member.name} as {member.role_label}: they sign in with the "
                       f"login {member.login} and the password you gave them.")

        self._open(AddMemberDialog(self), added)

    def change_role(self, *_args: object) -> None:
        member = self.selected()
        if member is None or self.dialog is not None:
            return

        def changed(now: accounts.Member) -> None:
            self.refresh(select=now.login)
            if now.role != member.role:
                self._said(f"{now.name} ({now.login}) is now {now.role_label}.")

        self._open(ChangeRoleDialog(member, self), changed)

    def next_step(self, *_args: object) -> None:
        """Enter or a double click on a member: the password of one who cannot sign in
        here yet, otherwise their role."""
        member = self.selected()
        if member is not None and not member.signs_in and self.password_button.isEnabled():
            self.set_password()
        else:
            self.change_role()

    def show_member_menu(self, at: QPoint) -> None:
        row = self.table.indexAt(at).row()
        if row < 0 or self.dialog is not None:
            return
        self.table.selectRow(row)
        menu = QMenu(self)
        menu.setAccessibleName("Team member")
        for button, act in ((self.role_button, self.change_role),
                            (self.password_button, self.set_password),
                            (self.remove_button, self.remove_member)):
            action = menu.addAction(button.text(), act)
            action.setEnabled(button.isEnabled())
            action.setToolTip(button.toolTip())
        menu.setToolTipsVisible(True)
        menu.aboutToHide.connect(menu.deleteLater)
        self.member_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(at))

    def set_password(self, *_args: object) -> None:
        member = self.selected()
        if member is None or self.dialog is not None or not self.password_button.isEnabled():
            return

        def given(now: accounts.Member) -> None:
            self.refresh(select=now.login)
            self._said(
                f"{now.name} signs in as {now.login} with the new password; their old one "
                "no longer works." if member.signs_in else
                f"{now.name} may sign in here now, as {now.login} with the password you set.")

        self._open(SetPasswordDialog(member, self), given)

    def remove_member(self) -> None:
        member = self.selected()
        if member is None or not self.remove_button.isEnabled():
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Remove a team member",
                          f"Remove {member.name}'s sign-in ({member.login})?",
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(
            f"The login {member.login} can no longer sign in to this database. Everything "
            f"{member.name} recorded stays, with its change history, and {member.name} stays "
            "in People. You can add the login again later.")
        box.setAccessibleName("Remove a team member")
        remove = box.addButton("Re&move sign-in", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        self.confirm_box = box

        def answered(_result: int) -> None:
            self.confirm_box = None
            box.deleteLater()
            if box.clickedButton() is remove:
                self._remove(member)

        box.finished.connect(answered)
        box.open()

    def _remove(self, member: accounts.Member) -> None:
        try:
            save_retrying(self, lambda: accounts.remove_account(member.login))
        except ValidationError as refused:
            show_problem(self.problem, "Not removed: " + " ".join(refused.problems.values()))
            return
        except errors.EnvironmentProblem as problem:
            show_problem(self.problem, f"Not removed: {problem.message} {problem.advice}")
            return
        except NotSaved:
            show_problem(self.problem, "Not removed: the server was not reached.")
            return
        self.refresh()
        self._said(f"Removed {member.name}'s sign-in: {member.login} can no longer sign in. "
                   "What they recorded stays.")


def _count(members: int) -> str:
    return "One member" if members == 1 else f"{members} members"
