"""File → Change my password… on a real PostgreSQL server: a member signed in over TCP
changes their own password by keyboard; a wrong current password and two new ones that
differ are explained under their fields with what was typed kept; Escape leaves the password
as it was; the keyring's copy of the password follows; on a file the item says why not."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QLineEdit, QMenu
from pytestqt.qtbot import QtBot

from qms_desktop import accounts, db, saved_passwords, server
from tests.postgres import Server
from tests.ui.shell import test_connect_dialog, test_team_dialog
from tests.ui.shell.test_connect_dialog import MemoryKeyring
from tests.ui.shell.test_team_dialog import PASSWORD, activate, add_member, open_as
from ui.shell.main_window import MainWindow
from ui.shell.password_dialog import PasswordDialog
from ui.shell.password_menu import FILE_REASON

# The same fixtures: a set-up database on the run's server, and a keyring in this process.
dbname = test_team_dialog.dbname
desktop_keyring = test_connect_dialog.desktop_keyring

NEW_PASSWORD = "a brand new secret"


def signs_in(postgres_server: Server, dbname: str, login: str, password: str) -> bool:
    try:
        with psycopg.connect(postgres_server.password_url(dbname, login), password=password):
            return True
    except psycopg.OperationalError as refused:
        assert "password authentication failed" in str(refused)
        return False


@pytest.fixture
def member(postgres_server: Server, dbname: str) -> str:
    return add_member(postgres_server, dbname, "vera", "viewer", "Vera View")


@pytest.fixture
def window(qtbot: QtBot, postgres_server: Server, dbname: str,
           member: str) -> Iterator[MainWindow]:
    """The window of a viewer, signed in over TCP with their password."""
    store = open_as(postgres_server, dbname, member)
    shown = MainWindow(store)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    store.close()


def open_dialog(qtbot: QtBot, window: MainWindow) -> PasswordDialog:
    assert window.password_action.isEnabled()
    assert window.password_action.text() == "Change my &password…"
    window.password_action.trigger()
    dialog = window.password_dialog
    activate(qtbot, dialog)
    assert dialog.focusWidget() is dialog.current_edit
    return dialog


def type_then_tab(qtbot: QtBot, dialog: PasswordDialog, text: str) -> None:
    focused = dialog.focusWidget()
    assert isinstance(focused, QLineEdit)
    focused.selectAll()
    qtbot.keyClicks(focused, text)
    qtbot.keyClick(focused, Qt.Key.Key_Tab)


def test_a_member_changes_their_own_password_by_keyboard(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str,
        member: str, desktop_keyring: MemoryKeyring) -> None:
    address = server.open_address()
    assert address is not None
    desktop_keyring.kept[(saved_passwords.SERVICE, str(address))] = PASSWORD
    dialog = open_dialog(qtbot, window)
    assert member in dialog.intro_label.text()
    for edit in (dialog.current_edit, dialog.new_edit, dialog.again_edit):
        assert edit.echoMode() == QLineEdit.EchoMode.Password
    # A wrong current password: said under it, everything typed kept.
    type_then_tab(qtbot, dialog, "not my password")
    assert dialog.focusWidget() is dialog.new_edit
    type_then_tab(qtbot, dialog, NEW_PASSWORD)
    assert dialog.focusWidget() is dialog.again_edit
    qtbot.keyClicks(dialog.again_edit, NEW_PASSWORD)
    qtbot.keyClick(dialog.again_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_text("current_password") == (
        "Current password: not the one this login signs in with. Nothing was changed.")
    assert (dialog.current_edit.text(), dialog.new_edit.text(), dialog.again_edit.text()) \
        == ("not my password", NEW_PASSWORD, NEW_PASSWORD)
    assert dialog.focusWidget() is dialog.current_edit
    # The right one, but the new password typed differently the second time.
    type_then_tab(qtbot, dialog, PASSWORD)
    dialog.again_edit.setFocus()
    qtbot.keyClick(dialog.again_edit, Qt.Key.Key_Exclam)
    qtbot.keyClick(dialog.again_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "the two new passwords differ" in dialog.error_text("new_password_again")
    assert dialog.again_edit.text() == NEW_PASSWORD + "!"
    assert signs_in(postgres_server, dbname, member, PASSWORD)
    # Put right: Enter changes it, the window says so, the keyring follows.
    qtbot.keyClick(dialog.again_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.again_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result() == PasswordDialog.DialogCode.Accepted
    assert "Your password is changed" in window.statusBar().currentMessage()
    assert desktop_keyring.kept == {(saved_passwords.SERVICE, str(address)): NEW_PASSWORD}
    assert not signs_in(postgres_server, dbname, member, PASSWORD)
    assert signs_in(postgres_server, dbname, member, NEW_PASSWORD)
    # The window stays signed in, and connects again with the new password.
    server.reconnect()
    assert accounts.signed_in() == accounts.SignedIn(member, "Vera View", "viewer")


def test_escape_leaves_the_password_as_it_was_and_no_keyring_is_written(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str,
        member: str, desktop_keyring: MemoryKeyring) -> None:
    dialog = open_dialog(qtbot, window)
    type_then_tab(qtbot, dialog, PASSWORD)
    type_then_tab(qtbot, dialog, NEW_PASSWORD)
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.result() == PasswordDialog.DialogCode.Rejected
    assert signs_in(postgres_server, dbname, member, PASSWORD)
    # Changed now, with no password kept for this connection: none is kept afterwards.
    dialog = open_dialog(qtbot, window)
    type_then_tab(qtbot, dialog, PASSWORD)
    type_then_tab(qtbot, dialog, NEW_PASSWORD)
    qtbot.keyClicks(dialog.again_edit, NEW_PASSWORD)
    qtbot.keyClick(dialog.again_edit, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert desktop_keyring.kept == {}
    assert signs_in(postgres_server, dbname, member, NEW_PASSWORD)


def test_a_short_new_password_is_explained_under_it(
        qtbot: QtBot, window: MainWindow, postgres_server: Server, dbname: str,
        member: str) -> None:
    dialog = open_dialog(qtbot, window)
    type_then_tab(qtbot, dialog, PASSWORD)
    type_then_tab(qtbot, dialog, "short")
    qtbot.keyClicks(dialog.again_edit, "short")
    qtbot.keyClick(dialog.again_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.error_text("new_password") == "New password: at least 8 characters."
    assert dialog.focusWidget() is dialog.new_edit
    assert signs_in(postgres_server, dbname, member, PASSWORD)
    dialog.reject()


def test_on_a_file_the_menu_item_says_why_not(qtbot: QtBot, store: db.Store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    assert not window.password_action.isEnabled()
    assert window.password_action.text() == "Change my password – not on a file"
    assert window.password_action.toolTip() == f"{FILE_REASON}."
    assert window.password_action.statusTip() == f"{FILE_REASON}."
    assert any(window.password_action in menu.actions()
               for menu in window.menuBar().findChildren(QMenu))


@pytest.mark.parametrize(("width", "height"), test_team_dialog.SIZES,
                         ids=["1024x640", "1366x768"])
def test_the_dialog_fits_a_small_laptop_with_its_errors_showing(
        qtbot: QtBot, postgres_server: Server, dbname: str, member: str,
        monkeypatch: pytest.MonkeyPatch, width: int, height: int) -> None:
    room = height - test_team_dialog.DESKTOP_CHROME
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, width, room))
    monkeypatch.setattr(QScreen, "geometry", lambda _screen: QRect(0, 0, width, height))
    store = open_as(postgres_server, dbname, member)
    try:
        window = MainWindow(store)
        qtbot.addWidget(window)
        window.resize(width, room)
        window.show()
        dialog = open_dialog(qtbot, window)
        type_then_tab(qtbot, dialog, "not my password")
        type_then_tab(qtbot, dialog, "short")
        qtbot.keyClicks(dialog.again_edit, "short")
        qtbot.keyClick(dialog.again_edit, Qt.Key.Key_Return)
        assert dialog.error_text("new_password")
        test_team_dialog.fits(qtbot, dialog, "change-own", width)
        assert dialog.width() <= width and dialog.height() <= room
        dialog.reject()
    finally:
        store.close()
