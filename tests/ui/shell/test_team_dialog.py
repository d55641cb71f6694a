"""File → Team members… on a real PostgreSQL server: top management adds a member by
keyboard (who then signs in as themselves), gives one another role, sets one's password (who
then signs in with it, and a member copied from another server gets their sign-in that way),
removes one (who is then refused); bad input is explained with nothing made; on a file, and
for any other role, the menu item says why it cannot be used."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import accounts, db, errors, organisation, server
from qms_desktop.models import Account, ChangeHistory, Person
from tests.postgres import Server
from tests.ui.shell.fit_check import Settling, problems
from ui.shell.main_window import MainWindow
from ui.shell.team_dialog import (
    NO_SIGN_IN,
    OWN_PASSWORD,
    AddMemberDialog,
    ChangeRoleDialog,
    SetPasswordDialog,
    TeamDialog,
)
from ui.shell.team_menu import FILE_REASON, ROLE_REASON

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new secret"
_numbers = itertools.count(1)


@pytest.fixture
def dbname(server_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A set-up database on the run's server; Maria Khan is in People, with no sign-in."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with server.open_server(server_url):  # the administrator, trusted on the socket
        organisation.set_up(organisation.OrganisationSetup(
            name="Kestrel Fabrication", sites=["Main works"], currency="EUR",
            user_name="Maria Khan", owner_title="Managing director"))
        assert Person.select().where(Person.full_name == "Maria Khan").count() == 1
    return server_url.rsplit("/", 1)[1]


def unique_login(base: str, dbname: str) -> str:
    """Logins belong to the whole server: one no other test of the run has."""
    return f"{base}_{next(_numbers)}_{dbname.rsplit('_', 1)[-1]}"


def add_member(postgres_server: Server, dbname: str, base: str, role: str,
               name: str) -> str:
    login = unique_login(base, dbname)
    with server.open_server(postgres_server.url(dbname)):
        accounts.add_account(login, name, role, PASSWORD)
    return login


def open_as(postgres_server: Server, dbname: str, login: str,
            password: str = PASSWORD) -> server.ServerStore:
    return server.open_server(postgres_server.password_url(dbname, login),
                              ask_password=lambda address: password)


@pytest.fixture
def window(qtbot: QtBot, postgres_server: Server, dbname: str
           ) -> Iterator[MainWindow]:
    """The window of the administrator, who made the database."""
    store = server.open_server(postgres_server.url(dbname))
    shown = MainWindow(store)
    shown.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    store.close()


def open_team(qtbot: QtBot, window: MainWindow) -> TeamDialog:
    assert window.team_action.isEnabled()
    assert window.team_action.text() == "&Team members…"
    window.team_action.trigger()
    dialog = window.team_dialog
    activate(qtbot, dialog)
    return dialog


def activate(qtbot: QtBot, dialog: QWidget) -> None:
    """A dialog just opened, made the active window (offscreen, nothing does it)."""
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)


def logins(dialog: TeamDialog) -> list[str]:
    return [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]


def row_of(dialog: TeamDialog, login: str) -> list[str]:
    row = logins(dialog).index(login)
    return [dialog.table.item(row, column).text() for column in range(4)]


def add_dialog(qtbot: QtBot, dialog: TeamDialog) -> AddMemberDialog:
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    added = dialog.dialog
    assert isinstance(added, AddMemberDialog)
    activate(qtbot, added)
    return added


def server_has_login(postgres_server: Server, login: str) -> bool:
    with psycopg.connect(postgres_server.admin_conninfo(), autocommit=True) as admin:
        return admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                             (login,)).fetchone() is not None


def test_a_member_added_by_keyboard_signs_in_as_themselves(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str) -> None:
    dialog = open_team(qtbot, window)
    assert logins(dialog) == []
    login = unique_login("priya", dbname)

    # Tab from the list to Add member, Space presses it; the new dialog starts at Login.
    assert dialog.table.hasFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    assert dialog.add_button.hasFocus()
    qtbot.keyClick(dialog.add_button, Qt.Key.Key_Space)
    added = dialog.dialog
    assert isinstance(added, AddMemberDialog)
    activate(qtbot, added)
    assert added.login_edit.hasFocus()
    qtbot.keyClicks(added.login_edit, login)
    qtbot.keyClick(added.login_edit, Qt.Key.Key_Tab)
    assert added.person_combo.hasFocus()
    assert added.person_combo.currentText() == "A new person (name below)"
    qtbot.keyClick(added.person_combo, Qt.Key.Key_Tab)
    assert added.name_edit.hasFocus()
    qtbot.keyClicks(added.name_edit, "Priya Shah")
    qtbot.keyClick(added.name_edit, Qt.Key.Key_Tab)
    assert added.role_combo.hasFocus() and added.role_combo.currentText() == "Viewer"
    qtbot.keyClick(added.role_combo, Qt.Key.Key_Up)
    qtbot.keyClick(added.role_combo, Qt.Key.Key_Up)
    assert added.role_combo.currentText() == "Quality officer"
    qtbot.keyClick(added.role_combo, Qt.Key.Key_Tab)
    assert added.password_edit.hasFocus()
    assert added.password_edit.echoMode() == added.password_edit.EchoMode.Password
    qtbot.keyClicks(added.password_edit, PASSWORD)
    qtbot.keyClick(added.password_edit, Qt.Key.Key_Tab)
    assert added.again_edit.hasFocus()
    assert added.again_edit.echoMode() == added.again_edit.EchoMode.Password
    qtbot.keyClicks(added.again_edit, PASSWORD)
    qtbot.keyClick(added.again_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: dialog.dialog is None)
    assert row_of(dialog, login) == [login, "Priya Shah", "Quality officer", "May sign in"]
    assert dialog.done_label.text().startswith("Added Priya Shah as Quality officer")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()

    window.store.close()
    with open_as(postgres_server, dbname, login):
        assert accounts.signed_in() == accounts.SignedIn(login, "Priya Shah",
                                                         "quality_officer")


def test_the_list_follows_a_member_added_elsewhere(
        qtbot: QtBot, window: MainWindow, dbname: str) -> None:
    dialog = open_team(qtbot, window)
    assert dialog.administrator_note.isVisible()
    assert dialog.administrator_note.text().startswith(
        "You signed in as qms, the database's administrator")
    login = unique_login("kim", dbname)
    accounts.add_account(login, "Kim Lee", "auditor", PASSWORD)  # not through the dialog
    qtbot.waitUntil(lambda: login in logins(dialog))
    assert row_of(dialog, login) == [login, "Kim Lee", "Auditor", "May sign in"]
    fits(qtbot, dialog, "administrator", dialog.width())


def test_a_list_read_while_the_server_is_away_says_so(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str) -> None:
    login = add_member(postgres_server, dbname, "eva", "viewer", "Eva Stone")
    store = window.store
    dialog = open_team(qtbot, window)
    assert logins(dialog) == [login]
    with psycopg.connect(postgres_server.admin_conninfo(), autocommit=True) as admin:
        # A connection the server ended is made again for a read, without a word.
        admin.execute("SELECT pg_terminate_backend(%s)",
                      (store.connection.info.backend_pid,))
        dialog.refresh()
        assert dialog.problem.text() == ""
        assert logins(dialog) == [login]
        # Once the database takes no connections at all, the list says so.
        admin.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS false')
        try:
            admin.execute("SELECT pg_terminate_backend(%s)",
                          (store.connection.info.backend_pid,))
            dialog.refresh()
            assert dialog.problem.text() == ("The server was not reached, so the list may be "
                                             "out of date. Nothing was changed.")
            assert logins(dialog) == [login]  # as last read
        finally:
            admin.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS true')


def test_a_member_for_someone_already_in_people(
        qtbot: QtBot, window: MainWindow, dbname: str) -> None:
    dialog = open_team(qtbot, window)
    added = add_dialog(qtbot, dialog)
    login = unique_login("maria", dbname)
    qtbot.keyClicks(added.login_edit, login)
    added.person_combo.setCurrentIndex(added.person_combo.findText("Maria Khan"))
    assert not added.name_edit.isEnabled()  # the name is the person's
    qtbot.keyClicks(added.password_edit, PASSWORD)
    qtbot.keyClicks(added.again_edit, PASSWORD)
    qtbot.mouseClick(added.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.dialog is None)
    assert row_of(dialog, login)[1:3] == ["Maria Khan", "Viewer"]
    assert Person.select().where(Person.full_name == "Maria Khan").count() == 1
    assert Account.get(Account.login == login).person.full_name == "Maria Khan"


def test_mismatched_passwords_and_a_bad_login_are_explained_with_nothing_made(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str) -> None:
    dialog = open_team(qtbot, window)
    added = add_dialog(qtbot, dialog)
    login = unique_login("sam", dbname)
    qtbot.keyClicks(added.login_edit, login)
    qtbot.keyClicks(added.name_edit, "Sam Ortiz")
    qtbot.keyClicks(added.password_edit, PASSWORD)
    qtbot.keyClicks(added.again_edit, "correct horse battery!")
    qtbot.keyClick(added.again_edit, Qt.Key.Key_Return)

    assert added.isVisible()
    assert added.error_text("password_again") == (
        "Password again: the two passwords differ; type the same one in both.")
    assert Account.select().count() == 0
    assert not server_has_login(postgres_server, login)

    # A login the server cannot take: the rule, as accounts states it, under the field.
    added.again_edit.clear()
    qtbot.keyClicks(added.again_edit, PASSWORD)
    added.login_edit.clear()
    qtbot.keyClicks(added.login_edit, "Sam Ortiz")
    qtbot.keyClick(added.again_edit, Qt.Key.Key_Return)
    assert added.isVisible()
    assert added.error_text("login").startswith("Login: ")
    assert "is not a login name: use lower-case letters" in added.error_text("login")
    assert added.error_text("password_again") == ""
    assert added.login_edit.hasFocus()
    assert [added.login_edit.text(), added.name_edit.text(), added.password_edit.text(),
            added.again_edit.text()] == ["Sam Ortiz", "Sam Ortiz", PASSWORD, PASSWORD]

    # A password too short, typed the same twice: the account's own rule.
    added.login_edit.clear()
    qtbot.keyClicks(added.login_edit, login)
    for edit in (added.password_edit, added.again_edit):
        edit.clear()
        qtbot.keyClicks(edit, "short")
    qtbot.keyClick(added.again_edit, Qt.Key.Key_Return)
    assert added.error_text("password") == (
        f"Password: at least {accounts.SHORTEST_PASSWORD} characters.")
    assert Account.select().count() == 0
    assert Person.select().where(Person.full_name == "Sam Ortiz").count() == 0
    assert not server_has_login(postgres_server, login)

    qtbot.keyClick(added.again_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.dialog is None)
    assert logins(dialog) == []


def test_a_login_taken_is_refused_in_the_dialog(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str) -> None:
    taken = add_member(postgres_server, dbname, "ana", "viewer", "Ana Lima")
    dialog = open_team(qtbot, window)
    added = add_dialog(qtbot, dialog)
    qtbot.keyClicks(added.login_edit, taken)
    qtbot.keyClicks(added.name_edit, "Another Ana")
    qtbot.keyClicks(added.password_edit, PASSWORD)
    qtbot.keyClicks(added.again_edit, PASSWORD)
    qtbot.keyClick(added.again_edit, Qt.Key.Key_Return)
    assert added.error_text("login") == f"Login: there is already an account {taken!r}."
    assert Person.select().where(Person.full_name == "Another Ana").count() == 0


def test_change_a_members_role(qtbot: QtBot, window: MainWindow, postgres_server: Server,
                               dbname: str) -> None:
    login = add_member(postgres_server, dbname, "omar", "viewer", "Omar Haddad")
    dialog = open_team(qtbot, window)
    assert row_of(dialog, login)[2] == "Viewer"
    dialog.select(login)
    # Enter on a member asks for their new role; Escape there leaves it as it was.
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    changing = dialog.dialog
    assert isinstance(changing, ChangeRoleDialog)
    assert dialog.isVisible()
    activate(qtbot, changing)
    qtbot.keyClick(changing.role_combo, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.dialog is None)
    assert dialog.isVisible() and row_of(dialog, login)[2] == "Viewer"

    qtbot.mouseClick(dialog.role_button, Qt.MouseButton.LeftButton)
    changing = dialog.dialog
    assert isinstance(changing, ChangeRoleDialog)
    activate(qtbot, changing)
    assert "now as Viewer" in changing.intro_label.text()
    changing.role_combo.setCurrentIndex(changing.role_combo.findText("Auditor"))
    qtbot.keyClick(changing.role_combo, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: dialog.dialog is None)
    assert row_of(dialog, login)[2] == "Auditor"
    assert dialog.done_label.text() == f"Omar Haddad ({login}) is now Auditor."
    window.store.close()
    with open_as(postgres_server, dbname, login):
        assert accounts.signed_in() == accounts.SignedIn(login, "Omar Haddad", "auditor")


def test_remove_asks_first_then_that_login_is_refused(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str) -> None:
    login = add_member(postgres_server, dbname, "lena", "auditor", "Lena Berg")
    dialog = open_team(qtbot, window)
    dialog.select(login)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox)
    activate(qtbot, box)
    assert box.text() == f"Remove Lena Berg's sign-in ({login})?"
    assert f"The login {login} can no longer sign in" in box.informativeText()
    assert "stays, with its change history" in box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Cancel: nothing removed
    qtbot.waitUntil(lambda: dialog.confirm_box is None)
    assert login in logins(dialog)

    dialog.select(login)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert box is not None
    remove = next(b for b in box.buttons() if b.text() == "Re&move sign-in")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: login not in logins(dialog))
    assert dialog.done_label.text().startswith(f"Removed Lena Berg's sign-in: {login} can no "
                                               "longer sign in")
    assert Person.select().where(Person.full_name == "Lena Berg").count() == 1  # kept

    window.store.close()
    with pytest.raises(errors.EnvironmentProblem) as refused:
        open_as(postgres_server, dbname, login)
    assert refused.value.title == "Not a member"
    assert refused.value.message.startswith(f"Your login {login} is not a member")


def password_dialog(qtbot: QtBot, dialog: TeamDialog, login: str) -> SetPasswordDialog:
    dialog.select(login)
    qtbot.mouseClick(dialog.password_button, Qt.MouseButton.LeftButton)
    setting = dialog.dialog
    assert isinstance(setting, SetPasswordDialog)
    activate(qtbot, setting)
    return setting


def signs_in_with(postgres_server: Server, dbname: str, login: str, password: str) -> bool:
    """Whether the server lets `login` in with `password` (over TCP, where it asks)."""
    try:
        with psycopg.connect(postgres_server.password_url(dbname, login), password=password):
            return True
    except psycopg.OperationalError as refused:
        assert "password authentication failed" in str(refused)
        return False


def drop_login(postgres_server: Server, login: str) -> None:
    """The server forgets `login`, as a server the records were copied to never had it."""
    with psycopg.connect(postgres_server.admin_conninfo(), autocommit=True) as admin:
        admin.execute(psycopg.sql.SQL("DROP ROLE {}").format(psycopg.sql.Identifier(login)))


def password_entries(login: str) -> int:
    account = Account.get(Account.login == login)
    return (ChangeHistory.select()
            .where((ChangeHistory.record_id == account.id)
                   & (ChangeHistory.operation == accounts.PASSWORD_OPERATION)).count())


def test_set_a_members_password_then_they_sign_in_with_it(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str) -> None:
    login = add_member(postgres_server, dbname, "fred", "auditor", "Fred Forget")
    dialog = open_team(qtbot, window)
    assert row_of(dialog, login)[3] == "May sign in"
    assert not dialog.missing_note.isVisible()
    # Tab from the list: Add member, Change role, then Set password.
    dialog.select(login)
    for button in (dialog.add_button, dialog.role_button, dialog.password_button):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert button.hasFocus()
    qtbot.keyClick(dialog.password_button, Qt.Key.Key_Space)
    setting = dialog.dialog
    assert isinstance(setting, SetPasswordDialog)
    activate(qtbot, setting)
    assert setting.windowTitle() == "Set Fred Forget's password"
    assert setting.intro_label.text().startswith(f"Fred Forget signs in as {login}.")
    assert setting.password_edit.hasFocus()
    for edit in (setting.password_edit, setting.again_edit):
        assert edit.echoMode() == edit.EchoMode.Password
    qtbot.keyClicks(setting.password_edit, NEW_PASSWORD)
    qtbot.keyClick(setting.password_edit, Qt.Key.Key_Tab)
    assert setting.again_edit.hasFocus()
    qtbot.keyClicks(setting.again_edit, NEW_PASSWORD)
    qtbot.keyClick(setting.again_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: dialog.dialog is None)
    assert dialog.done_label.text() == (f"Fred Forget signs in as {login} with the new "
                                        "password; their old one no longer works.")
    assert row_of(dialog, login)[3] == "May sign in"
    assert password_entries(login) == 1
    assert not signs_in_with(postgres_server, dbname, login, PASSWORD)
    window.store.close()
    with open_as(postgres_server, dbname, login, NEW_PASSWORD):
        assert accounts.signed_in() == accounts.SignedIn(login, "Fred Forget", "auditor")


def test_a_mismatched_or_short_password_is_refused_with_nothing_changed(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str) -> None:
    login = add_member(postgres_server, dbname, "mo", "viewer", "Mo Diallo")
    dialog = open_team(qtbot, window)
    setting = password_dialog(qtbot, dialog, login)
    qtbot.keyClicks(setting.password_edit, NEW_PASSWORD)
    qtbot.keyClicks(setting.again_edit, NEW_PASSWORD + "!")
    qtbot.keyClick(setting.again_edit, Qt.Key.Key_Return)

    assert setting.isVisible() and dialog.dialog is setting
    assert setting.error_text("password_again") == (
        "New password again: the two passwords differ; type the same one in both.")
    assert [setting.password_edit.text(), setting.again_edit.text()] == [
        NEW_PASSWORD, NEW_PASSWORD + "!"]
    assert password_entries(login) == 0
    assert signs_in_with(postgres_server, dbname, login, PASSWORD)

    # The same twice, but too short: the account's own rule, under the field.
    for edit in (setting.password_edit, setting.again_edit):
        edit.clear()
        qtbot.keyClicks(edit, "short")
    qtbot.keyClick(setting.again_edit, Qt.Key.Key_Return)
    assert setting.error_text("password") == (
        f"Password: at least {accounts.SHORTEST_PASSWORD} characters.")
    assert setting.error_text("password_again") == ""
    assert setting.password_edit.hasFocus()
    assert password_entries(login) == 0
    assert signs_in_with(postgres_server, dbname, login, PASSWORD)

    qtbot.keyClick(setting.password_edit, Qt.Key.Key_Escape)  # leaves it as it was
    qtbot.waitUntil(lambda: dialog.dialog is None)
    assert dialog.isVisible() and dialog.done_label.text() == ""
    assert signs_in_with(postgres_server, dbname, login, PASSWORD)
    assert not signs_in_with(postgres_server, dbname, login, "short")


def test_a_member_without_a_sign_in_here_is_shown_and_given_one(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str) -> None:
    login = add_member(postgres_server, dbname, "ada", "auditor", "Ada Auditor")
    other = add_member(postgres_server, dbname, "ben", "viewer", "Ben Okafor")
    drop_login(postgres_server, login)
    dialog = open_team(qtbot, window)
    assert row_of(dialog, login) == [login, "Ada Auditor", "Auditor", NO_SIGN_IN]
    assert row_of(dialog, other)[3] == "May sign in"
    assert dialog.missing_note.isVisible()
    assert dialog.missing_note.text().startswith(
        "One member cannot sign in to this server yet: the records were copied from another "
        "server")

    # Enter on them asks for the password their sign-in needs (on others, their role).
    dialog.select(login)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    setting = dialog.dialog
    assert isinstance(setting, SetPasswordDialog)
    activate(qtbot, setting)
    assert setting.intro_label.text().startswith(
        f"{login} has no sign-in on this server yet")
    assert "gives Ada Auditor their sign-in back, as Auditor" in setting.intro_label.text()
    qtbot.keyClicks(setting.password_edit, NEW_PASSWORD)
    qtbot.keyClicks(setting.again_edit, NEW_PASSWORD)
    qtbot.keyClick(setting.again_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: dialog.dialog is None)
    assert row_of(dialog, login)[3] == "May sign in"
    assert not dialog.missing_note.isVisible()
    assert dialog.done_label.text() == (f"Ada Auditor may sign in here now, as {login} with "
                                        "the password you set.")
    assert server_has_login(postgres_server, login)
    window.store.close()
    with open_as(postgres_server, dbname, login, NEW_PASSWORD):
        assert accounts.signed_in() == accounts.SignedIn(login, "Ada Auditor", "auditor")


@pytest.mark.qt_log_ignore("does not support raise",  # the popup, on the test platform
                           "does not support grabbing the keyboard")
def test_a_members_menu_offers_what_the_buttons_do(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str) -> None:
    login = add_member(postgres_server, dbname, "zoe", "viewer", "Zoe Adams")
    drop_login(postgres_server, login)
    dialog = open_team(qtbot, window)
    table = dialog.table
    table.clearSelection()
    cell = table.visualRect(table.model().index(logins(dialog).index(login), 1)).center()
    table.customContextMenuRequested.emit(cell)  # what a right click there sends
    menu = dialog.member_menu
    assert menu is not None
    qtbot.waitExposed(menu)
    assert dialog.selected() is not None and dialog.selected().login == login
    assert [(a.text(), a.isEnabled()) for a in menu.actions()] == [
        ("Change &role…", True), ("Set &password…", True), ("Re&move…", True)]
    qtbot.keyClick(menu, Qt.Key.Key_P)  # the item's mnemonic
    qtbot.waitUntil(lambda: isinstance(dialog.dialog, SetPasswordDialog))
    setting = dialog.dialog
    assert isinstance(setting, SetPasswordDialog) and setting.member.login == login
    qtbot.keyClick(setting, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.dialog is None)
    assert row_of(dialog, login)[3] == NO_SIGN_IN  # nothing set


def test_top_management_cannot_remove_their_own_sign_in(
        qtbot: QtBot, postgres_server: Server, dbname: str) -> None:
    boss = add_member(postgres_server, dbname, "ravi", "top_management", "Ravi Menon")
    other = add_member(postgres_server, dbname, "joe", "viewer", "Joe Park")
    store = open_as(postgres_server, dbname, boss)
    try:
        window = MainWindow(store)
        window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
        qtbot.addWidget(window)
        window.show()
        dialog = open_team(qtbot, window)
        assert row_of(dialog, boss)[3] == "Signed in now (you)"
        dialog.select(boss)
        assert not dialog.remove_button.isEnabled()
        assert dialog.remove_reason.isVisible()
        assert dialog.remove_reason.text() == ("You cannot remove your own sign-in; ask "
                                               "someone else in top management.")
        # Nor set their own password without the current one: File has that.
        assert not dialog.password_button.isEnabled()
        assert dialog.password_button.toolTip() == OWN_PASSWORD
        dialog.set_password()
        assert dialog.dialog is None
        dialog.select(other)
        assert dialog.remove_button.isEnabled() and not dialog.remove_reason.isVisible()
        assert dialog.password_button.isEnabled()
    finally:
        store.close()


def test_on_a_file_the_menu_item_says_why_not(qtbot: QtBot, store: db.Store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    assert not window.team_action.isEnabled()
    assert window.team_action.text() == "Team members – not on a file"
    assert window.team_action.toolTip() == f"{FILE_REASON}."
    assert window.team_action.statusTip() == f"{FILE_REASON}."


def test_for_a_quality_officer_the_menu_item_says_why_not(
        qtbot: QtBot, postgres_server: Server, dbname: str) -> None:
    login = add_member(postgres_server, dbname, "quinn", "quality_officer", "Quinn Fox")
    store = open_as(postgres_server, dbname, login)
    try:
        window = MainWindow(store)
        qtbot.addWidget(window)
        assert not window.team_action.isEnabled()
        assert window.team_action.text() == "Team members – top management only"
        assert window.team_action.toolTip() == f"{ROLE_REASON}."
    finally:
        store.close()


# --- On a small laptop: 1024 x 640 and 1366 x 768 ---------------------------------------------

SIZES = [(1024, 640), (1366, 768)]
DESKTOP_CHROME = 60  # a title bar and a panel


def fits(qtbot: QtBot, widget: QWidget, name: str, width: int) -> None:
    """`widget` settled, nothing in it cramped or cut (tests/ui/shell/fit_check.py); its
    picture kept in FIT_SHOTS_DIR when set, to look at."""
    qtbot.waitUntil(Settling(widget))
    folder = os.environ.get("FIT_SHOTS_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"team-{name}-{width}.png"))
    assert problems(widget) == []


@pytest.mark.parametrize(("width", "height"), SIZES, ids=["1024x640", "1366x768"])
def test_the_dialogs_fit_a_small_laptop(qtbot: QtBot, postgres_server: Server, dbname: str,
                                        monkeypatch: pytest.MonkeyPatch, width: int,
                                        height: int) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry",
                        lambda _screen: QRect(0, 0, width, height - DESKTOP_CHROME))
    monkeypatch.setattr(QScreen, "geometry", lambda _screen: QRect(0, 0, width, height))
    boss = add_member(postgres_server, dbname, "ravi", "top_management",
                      "Ravi Menon-Krishnamurthy")
    joe = add_member(postgres_server, dbname, "joe", "viewer", "Joe Park")
    copied = add_member(postgres_server, dbname, "ada", "quality_officer",
                        "Adaeze Okonkwo-Fitzgerald")
    drop_login(postgres_server, copied)  # the note and the longest status show
    store = open_as(postgres_server, dbname, boss)
    try:
        window = MainWindow(store)
        window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
        qtbot.addWidget(window)
        window.resize(width, height - DESKTOP_CHROME)
        window.show()
        dialog = open_team(qtbot, window)
        dialog.select(boss)  # the reason beside Remove shows
        assert dialog.remove_reason.isVisible() and dialog.missing_note.isVisible()
        assert dialog.width() <= width and dialog.height() <= height - DESKTOP_CHROME
        fits(qtbot, dialog, "members", width)

        for login, name in ((copied, "set-password-copied"), (joe, "set-password")):
            setting = password_dialog(qtbot, dialog, login)
            qtbot.keyClicks(setting.password_edit, PASSWORD)
            qtbot.keyClicks(setting.again_edit, PASSWORD + "!")
            qtbot.keyClick(setting.again_edit, Qt.Key.Key_Return)
            assert setting.error_text("password_again")
            fits(qtbot, setting, name, width)
            assert setting.height() <= height - DESKTOP_CHROME
            qtbot.keyClick(setting.again_edit, Qt.Key.Key_Escape)
            qtbot.waitUntil(lambda: dialog.dialog is None)

        added = add_dialog(qtbot, dialog)
        qtbot.keyClicks(added.login_edit, "Not A Login")
        qtbot.keyClicks(added.name_edit, "Sam Ortiz")
        qtbot.keyClicks(added.password_edit, PASSWORD)
        qtbot.keyClicks(added.again_edit, PASSWORD + "!")
        qtbot.keyClick(added.again_edit, Qt.Key.Key_Return)
        assert added.error_text("password_again")
        fits(qtbot, added, "add-mismatch", width)
        added.again_edit.clear()
        qtbot.keyClicks(added.again_edit, PASSWORD)
        qtbot.keyClick(added.again_edit, Qt.Key.Key_Return)
        assert "is not a login name" in added.error_text("login")
        fits(qtbot, added, "add-bad-login", width)
        assert added.height() <= height - DESKTOP_CHROME
    finally:
        store.close()
