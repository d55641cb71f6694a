"""The connect dialog on a real PostgreSQL server: typed from the keyboard, a wrong password
said inside it with the fields kept, recent connections remembered without passwords, and
the keyring used only where the computer has one."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import saved_passwords, server
from qms_desktop.models import database
from tests.postgres import Server
from ui.kit.settings import app_settings
from ui.shell.connect_dialog import REMEMBER_TEXT, ConnectDialog, recent_connections

PASSWORD = "tea-at-four"
LOGIN = "connect_dialog_user"  # its own: other tests make logins on the same server


@pytest.fixture
def typed(postgres_server: Server, server_url: str) -> dict[str, str]:
    """A login role with a password, and the empty database of `server_url`: what a user
    types into the dialog (over TCP, where the server asks for the password)."""
    if not _role_exists(postgres_server, LOGIN):
        postgres_server.create_user(LOGIN, PASSWORD)
    return {"host": "127.0.0.1", "port": str(postgres_server.port),
            "dbname": server_url.rsplit("/", 1)[1], "user": LOGIN}


def _role_exists(postgres_server: Server, name: str) -> bool:
    import psycopg

    with psycopg.connect(postgres_server.admin_conninfo()) as admin:
        return admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                             (name,)).fetchone() is not None


@pytest.fixture
def closes_what_opens() -> Iterator[list[ConnectDialog]]:
    dialogs: list[ConnectDialog] = []
    yield dialogs
    for dialog in dialogs:
        if dialog.store is not None:
            dialog.store.close()


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in this process, standing in for the desktop's own."""

    @properties.classproperty
    def priority(cls) -> float:
        # keyring offers every backend class it knows of; this one only when a test sets it.
        raise RuntimeError("set by the tests only")

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.kept.pop((service, username), None) is None:
            raise PasswordDeleteError("none kept")


@pytest.fixture
def desktop_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    yield kept
    keyring.set_keyring(before)


def opened(qtbot: QtBot, show: Callable[..., QWidget], dialogs: list[ConnectDialog],
           **options: Any) -> ConnectDialog:
    dialog = ConnectDialog(**options)
    dialogs.append(dialog)
    show(dialog, None)
    return dialog


def type_into(qtbot: QtBot, dialog: ConnectDialog, text: str) -> None:
    """Type `text` where the keyboard focus is, then Tab on, as a user does."""
    focused = dialog.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, text)
    qtbot.keyClick(focused, Qt.Key.Key_Tab)


def test_connecting_from_the_keyboard(qtbot: QtBot, show: Callable[..., QWidget],
                                      typed: dict[str, str],
                                      closes_what_opens: list[ConnectDialog]) -> None:
    dialog = opened(qtbot, show, closes_what_opens)
    assert dialog.focusWidget() is dialog.host_edit
    type_into(qtbot, dialog, typed["host"])
    assert dialog.focusWidget() is dialog.port_edit
    qtbot.keyClick(dialog.port_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_into(qtbot, dialog, typed["port"])
    assert dialog.focusWidget() is dialog.dbname_edit
    type_into(qtbot, dialog, typed["dbname"])
    type_into(qtbot, dialog, typed["user"])
    assert dialog.focusWidget() is dialog.password_edit
    assert dialog.password_edit.echoMode() == dialog.password_edit.EchoMode.Password
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    assert dialog.store is not None
    assert str(dialog.store.address) == (
        f"postgresql://{LOGIN}@127.0.0.1:{typed['port']}/{typed['dbname']}")
    assert database.execute_sql("SELECT session_user").fetchone()[0] == LOGIN


def test_escape_cancels_and_connects_to_nothing(
        qtbot: QtBot, show: Callable[..., QWidget],
        closes_what_opens: list[ConnectDialog]) -> None:
    dialog = opened(qtbot, show, closes_what_opens)
    qtbot.keyClicks(dialog.host_edit, "db.example")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.host_edit, Qt.Key.Key_Escape)
    assert dialog.store is None


def test_a_wrong_password_is_said_in_the_dialog_which_keeps_what_was_typed(
        qtbot: QtBot, show: Callable[..., QWidget], typed: dict[str, str],
        closes_what_opens: list[ConnectDialog]) -> None:
    address = server.ServerAddress.parse(
        f"postgresql://{LOGIN}@127.0.0.1:{typed['port']}/{typed['dbname']}")
    dialog = opened(qtbot, show, closes_what_opens, address=address)
    assert dialog.focusWidget() is dialog.password_edit  # the one field left to fill
    qtbot.keyClicks(dialog.password_edit, "coffee-at-five")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(dialog.problem.isVisible)
    assert dialog.isVisible() and dialog.store is None
    assert "Password refused" in dialog.problem.text()
    assert "password authentication failed" in dialog.problem.text()
    assert dialog.connect_button.text().replace("&", "") == "Retry"
    assert dialog.fields() == {**typed}
    assert dialog.password_edit.text() == "coffee-at-five"
    assert dialog.focusWidget() is dialog.password_edit
    assert dialog.password_edit.selectedText() == "coffee-at-five"  # typing replaces it

    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.store is not None


def test_a_server_not_reached_is_said_in_the_dialog(
        qtbot: QtBot, show: Callable[..., QWidget],
        closes_what_opens: list[ConnectDialog]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dialog = opened(qtbot, show, closes_what_opens)
    for edit, text in ((dialog.host_edit, "127.0.0.1"), (dialog.dbname_edit, "qms"),
                       (dialog.user_edit, "maria"), (dialog.password_edit, PASSWORD)):
        qtbot.keyClicks(edit, text)
    dialog.port_edit.clear()
    qtbot.keyClicks(dialog.port_edit, str(port))
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(dialog.problem.isVisible)
    assert dialog.problem.text().startswith("Server not reached.")
    assert f"postgresql://maria@127.0.0.1:{port}/qms" in dialog.problem.text()
    assert dialog.store is None and dialog.isVisible()
    assert dialog.host_edit.text() == "127.0.0.1" and dialog.password_edit.text() == PASSWORD


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that takes the connection and never answers (a server hung, a firewall that
    swallows the packets): libpq waits there up to its connect timeout."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(1)  # never accepted: the kernel holds the connection, no reply
        yield listening.getsockname()[1]


def start_connecting_to(qtbot: QtBot, dialog: ConnectDialog, port: int) -> None:
    for edit, text in ((dialog.host_edit, "127.0.0.1"), (dialog.dbname_edit, "qms"),
                       (dialog.user_edit, "maria"), (dialog.password_edit, PASSWORD)):
        qtbot.keyClicks(edit, text)
    dialog.port_edit.clear()
    qtbot.keyClicks(dialog.port_edit, str(port))
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)


def test_cancel_while_a_server_takes_its_time_stops_at_once_keeping_the_fields(
        qtbot: QtBot, show: Callable[..., QWidget], silent_server: int,
        closes_what_opens: list[ConnectDialog]) -> None:
    dialog = opened(qtbot, show, closes_what_opens)
    start_connecting_to(qtbot, dialog, silent_server)

    # The dialog answers while the server does not: it says what it is doing.
    assert dialog.connecting()
    assert dialog.progress.isVisible()
    assert dialog.progress.text().startswith(
        f"Connecting to postgresql://maria@127.0.0.1:{silent_server}/qms…")
    assert not dialog.connect_button.isEnabled()
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.isEnabled()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)

    assert not dialog.connecting()  # stopped at once, not after the connect timeout
    assert dialog.isVisible() and dialog.store is None
    assert dialog.progress.text().startswith("Stopped trying to connect; nothing was opened.")
    assert not dialog.problem.isVisible()
    assert dialog.connect_button.isEnabled()
    assert dialog.fields() == {"host": "127.0.0.1", "port": str(silent_server),
                               "dbname": "qms", "user": "maria"}
    assert dialog.password_edit.text() == PASSWORD
    with qtbot.waitSignal(dialog.rejected):  # and Escape then closes it
        qtbot.keyClick(dialog.host_edit, Qt.Key.Key_Escape)


def test_escape_while_connecting_stops_and_a_late_answer_changes_nothing(
        qtbot: QtBot, show: Callable[..., QWidget],
        closes_what_opens: list[ConnectDialog]) -> None:
    from ui.shell import connect_dialog

    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(1)
    dialog = opened(qtbot, show, closes_what_opens)
    start_connecting_to(qtbot, dialog, listening.getsockname()[1])
    assert dialog.connecting()
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Escape)
    assert not dialog.connecting() and dialog.isVisible()

    with qtbot.waitSignal(connect_dialog._answers.answered, timeout=20_000):
        listening.close()  # the server goes: the attempt still under way answers
    assert dialog.isVisible() and dialog.store is None
    assert dialog.progress.text().startswith("Stopped trying to connect")
    assert not dialog.problem.isVisible()
    assert dialog.connect_button.isEnabled()


def test_missing_fields_are_named_before_anything_is_tried(
        qtbot: QtBot, show: Callable[..., QWidget],
        closes_what_opens: list[ConnectDialog]) -> None:
    dialog = opened(qtbot, show, closes_what_opens)
    qtbot.keyClicks(dialog.host_edit, "db.example")
    qtbot.keyClick(dialog.host_edit, Qt.Key.Key_Return)
    assert dialog.problem.text() == "Give the database and your login."
    dialog.port_edit.setText("port")
    dialog.dbname_edit.setText("qms")
    dialog.user_edit.setText("maria")
    qtbot.keyClick(dialog.user_edit, Qt.Key.Key_Return)
    assert dialog.problem.text().startswith("The port is a number")
    assert dialog.isVisible() and dialog.store is None


def test_recent_connections_are_remembered_without_their_passwords(
        qtbot: QtBot, show: Callable[..., QWidget], typed: dict[str, str],
        closes_what_opens: list[ConnectDialog]) -> None:
    assert saved_passwords.why_not_kept() is not None  # this machine has no keyring
    first = opened(qtbot, show, closes_what_opens)
    assert first.recent_list.isHidden()
    first.fill(typed)
    qtbot.keyClicks(first.password_edit, PASSWORD)
    with qtbot.waitSignal(first.accepted):
        qtbot.keyClick(first.password_edit, Qt.Key.Key_Return)
    assert first.store is not None
    first.store.close()

    assert recent_connections() == [typed]
    settings = app_settings()
    settings.sync()
    with open(settings.fileName(), encoding="utf-8") as kept:
        written = kept.read()
    assert typed["dbname"] in written and PASSWORD not in written

    again = opened(qtbot, show, closes_what_opens)
    assert again.recent_list.isVisible()
    assert [again.recent_list.item(i).text() for i in range(again.recent_list.count())] == [
        f"postgresql://{LOGIN}@127.0.0.1:{typed['port']}/{typed['dbname']}"]
    assert again.fields() == typed  # the latest, filled in
    assert again.password_edit.text() == ""  # asked again: nothing kept it
    assert again.focusWidget() is again.password_edit


def test_without_a_keyring_the_box_says_why_and_the_password_is_asked(
        qtbot: QtBot, show: Callable[..., QWidget],
        closes_what_opens: list[ConnectDialog]) -> None:
    dialog = opened(qtbot, show, closes_what_opens)
    assert dialog.remember_box.text() == REMEMBER_TEXT
    assert not dialog.remember_box.isEnabled() and not dialog.remember_box.isChecked()
    assert dialog.remember_reason.isVisible()
    assert "no keyring" in dialog.remember_reason.text()
    assert "asked each time" in dialog.remember_reason.text()


def test_a_password_kept_in_the_keyring_fills_the_dialog_next_time(
        qtbot: QtBot, show: Callable[..., QWidget], typed: dict[str, str],
        desktop_keyring: MemoryKeyring, closes_what_opens: list[ConnectDialog]) -> None:
    first = opened(qtbot, show, closes_what_opens)
    assert first.remember_box.isEnabled() and first.remember_reason.isHidden()
    first.fill(typed)
    qtbot.keyClicks(first.password_edit, PASSWORD)
    qtbot.mouseClick(first.remember_box, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, first.remember_box.height() // 2))
    assert first.remember_box.isChecked()
    with qtbot.waitSignal(first.accepted):
        qtbot.keyClick(first.password_edit, Qt.Key.Key_Return)
    assert first.store is not None
    first.store.close()
    address = f"postgresql://{LOGIN}@127.0.0.1:{typed['port']}/{typed['dbname']}"
    assert desktop_keyring.kept == {(saved_passwords.SERVICE, address): PASSWORD}

    again = opened(qtbot, show, closes_what_opens)
    assert again.password_edit.text() == PASSWORD and again.remember_box.isChecked()
    assert again.focusWidget() is again.connect_button  # nothing left to type
    again.remember_box.setChecked(False)  # no longer wanted: taken out of the keyring
    with qtbot.waitSignal(again.accepted):
        qtbot.keyClick(again.connect_button, Qt.Key.Key_Return)
    assert desktop_keyring.kept == {}


def test_the_window_connects_with_the_kept_password_without_asking(
        typed: dict[str, str], desktop_keyring: MemoryKeyring) -> None:
    from ui.shell.app import open_server_with_dialogs

    address = f"postgresql://{LOGIN}@127.0.0.1:{typed['port']}/{typed['dbname']}"
    desktop_keyring.set_password(saved_passwords.SERVICE, address, PASSWORD)

    store = open_server_with_dialogs(address)  # no dialog: it would wait for ever

    assert store is not None
    try:
        assert database.execute_sql("SELECT session_user").fetchone()[0] == LOGIN
    finally:
        store.close()


def test_a_kept_password_the_server_refuses_opens_the_dialog_saying_so(
        qtbot: QtBot, typed: dict[str, str], desktop_keyring: MemoryKeyring) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.shell.app import open_server_with_dialogs

    address = f"postgresql://{LOGIN}@127.0.0.1:{typed['port']}/{typed['dbname']}"
    desktop_keyring.set_password(saved_passwords.SERVICE, address, "changed since")
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectDialog):
            QTimer.singleShot(20, answer)
            return
        seen.extend((dialog.problem.text(), dialog.password_edit.text()))
        dialog.password_edit.selectAll()
        qtbot.keyClicks(dialog.password_edit, PASSWORD)
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    store = open_server_with_dialogs(address)

    assert store is not None
    store.close()
    assert seen[0].startswith("Password refused.")
    assert seen[1] == "changed since"  # the kept one, shown masked, to type over
    assert desktop_keyring.kept == {(saved_passwords.SERVICE, address): PASSWORD}


def test_starting_on_a_server_that_takes_its_time_shows_connecting_with_cancel(
        qtbot: QtBot, silent_server: int) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.shell.app import open_server_with_dialogs

    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectDialog):
            QTimer.singleShot(20, answer)
            return
        seen.extend((dialog.progress.text(), str(dialog.connecting())))
        cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)  # stops trying
        seen.extend((dialog.progress.text(), dialog.host_edit.text(), dialog.port_edit.text()))
        qtbot.keyClick(dialog.host_edit, Qt.Key.Key_Escape)  # and gives up

    QTimer.singleShot(0, answer)
    assert open_server_with_dialogs(f"postgresql://maria@127.0.0.1:{silent_server}/qms") is None

    assert seen[0].startswith(f"Connecting to postgresql://maria@127.0.0.1:{silent_server}/qms…")
    assert seen[1] == "True"
    assert seen[2].startswith("Stopped trying to connect")
    assert seen[3:] == ["127.0.0.1", str(silent_server)]
