"""The main window on a real PostgreSQL server: where it is and who is signed in, what the
File menu offers there, and a save that meets a lost connection, retried with nothing lost."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from qms_desktop import accounts, db, organisation, server
from qms_desktop.models import ChangeHistory, Site, database
from tests.postgres import Server
from ui.kit.register_screen import RegisterScreen
from ui.screens.overview.overview import OverviewScreen
from ui.shell.app import open_server_with_dialogs
from ui.shell.main_window import SERVER_RESTORE_REASON, MainWindow
from ui.shell.settings_dialog import SettingsDialog


@pytest.fixture
def on_server(server_url: str) -> Iterator[server.ServerStore]:
    store = open_server_with_dialogs(server_url)  # the superuser, trusted on the socket
    assert store is not None
    organisation.set_up(organisation.OrganisationSetup(
        name="Kestrel Fabrication", sites=["Main works"], currency="EUR",
        user_name="Maria Khan"))
    yield store
    store.close()


@pytest.fixture
def window(qtbot: QtBot, on_server: server.ServerStore) -> MainWindow:
    shown = MainWindow(on_server)
    shown.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    overview = shown.current_screen()
    assert isinstance(overview, OverviewScreen)
    qtbot.waitUntil(lambda: overview.evidence_report is not None, timeout=20_000)
    return shown


def end_the_connection(postgres_server: Server, store: server.ServerStore) -> None:
    """What a server restart or a dropped network does to the window's connection."""
    pid = store.connection.info.backend_pid
    with psycopg.connect(postgres_server.admin_conninfo(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def answer(qtbot: QtBot, button_text: str, seen: list[str]) -> None:
    """Click `button_text` on the next message box, once it is up; note what it said."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(f"{box.text()} {box.informativeText()}")
        chosen = next(b for b in box.buttons()
                      if b.text().replace("&", "") == button_text)
        qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


def test_the_window_says_which_server_and_who(window: MainWindow,
                                              on_server: server.ServerStore) -> None:
    assert window.path_label.text() == f"Server: {on_server.address}"
    assert window.path_label.text().startswith("Server: postgresql://qms@")
    assert window.signed_in_label.isVisible()
    assert window.signed_in_label.text().startswith("Signed in as ")
    assert window.backup_label.isHidden()  # a server's backups are its administrator's
    dbname = on_server.address.dbname
    assert window.windowTitle() == f"Kestrel Fabrication – {dbname} on this computer – QMS Desktop"


def test_restore_says_why_it_is_not_offered_on_a_server(window: MainWindow) -> None:
    assert not window.restore_action.isEnabled()
    assert "not on a server" in window.restore_action.text()
    assert window.restore_action.toolTip() == SERVER_RESTORE_REASON
    assert window.connect_action.isEnabled()


def test_back_up_writes_the_servers_records_to_a_file(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert window.backup_action.isEnabled()
    assert window.backup_action.text() == "&Back up to a file…"
    target = tmp_path / "kestrel copy.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: (str(target), ""))  # the user names the file
    window.backup_action.trigger()

    assert target.exists()
    assert window.statusBar().currentMessage().startswith("Backed up ")
    with contextlib.closing(sqlite3.connect(target)) as copy:  # the server's records in it
        assert copy.execute("SELECT name FROM organisation").fetchall() == [
            ("Kestrel Fabrication",)]
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert window.path_label.text().startswith("Server: ")  # still on the server
    assert organisation.get_organisation() is not None  # and reading it


def test_settings_show_who_is_signed_in_instead_of_asking_a_name(
        qtbot: QtBot, window: MainWindow) -> None:
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.user_name_edit is None
    assert dialog.signed_in_label is not None
    assert dialog.signed_in_label.text() == window.signed_in_label.text()


def test_the_overview_checks_the_evidence_on_the_server(
        qtbot: QtBot, window: MainWindow) -> None:
    screen = window.current_screen()
    assert isinstance(screen, OverviewScreen)
    qtbot.waitUntil(lambda: screen.evidence_report is not None, timeout=20_000)
    assert screen.evidence_report == ""  # sound: no warning
    assert not screen.evidence_warning.isVisible()


def test_a_save_after_the_connection_was_lost_is_retried_and_kept(
        qtbot: QtBot, window: MainWindow, on_server: server.ServerStore,
        postgres_server: Server) -> None:
    screen = window.open_screen("sites")
    assert isinstance(screen, RegisterScreen)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.form.editor("name"), "North depot")
    qtbot.keyClicks(screen.form.editor("address"), "4 Quay Road")

    end_the_connection(postgres_server, on_server)
    said: list[str] = []
    answer(qtbot, "Retry", said)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)

    assert len(said) == 1
    assert said[0].startswith(f"The server at {on_server.address} was not reached; your "
                              "changes are still in the form.")
    assert not screen.has_unsaved_changes()
    with psycopg.connect(postgres_server.url(on_server.address.dbname)) as admin:
        kept = admin.execute("SELECT name, address FROM site WHERE name = 'North depot'")
        assert kept.fetchall() == [("North depot", "4 Quay Road")]
    assert Site.select().where(Site.name == "North depot").count() == 1  # once, not twice


def test_cancel_keeps_what_was_typed_and_a_later_save_keeps_it(
        qtbot: QtBot, window: MainWindow, on_server: server.ServerStore,
        postgres_server: Server) -> None:
    screen = window.open_screen("sites")
    assert isinstance(screen, RegisterScreen)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.form.editor("name"), "South yard")

    end_the_connection(postgres_server, on_server)
    said: list[str] = []
    answer(qtbot, "Cancel", said)
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)

    assert len(said) == 1 and "was not reached" in said[0]
    assert screen.has_unsaved_changes()
    assert screen.form.editor("name").text() == "South yard"

    answer(qtbot, "Retry", said)  # the server still away: it asks again, and then it is back
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert len(said) == 2
    assert not screen.has_unsaved_changes()
    assert Site.select().where(Site.name == "South yard").count() == 1


def test_a_screen_opened_after_the_connection_was_ended_loads_without_a_word(
        qtbot: QtBot, window: MainWindow, on_server: server.ServerStore,
        postgres_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or 0)
    ended = on_server.connection.info.backend_pid
    end_the_connection(postgres_server, on_server)  # a restart, an idle timeout: reads again
    item = window.sidebar.items["processes"]
    window.sidebar.scrollToItem(item)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.sidebar.visualItemRect(item).center())

    screen = window.current_screen()
    assert isinstance(screen, RegisterScreen)
    assert window.screens["processes"] is screen
    assert asked == []
    assert on_server.connection.info.backend_pid != ended
    # The page for a server really gone, and its Retry: tests/ui/shell/test_server_gone.py


def test_file_connect_to_a_server_moves_the_window_there(
        qtbot: QtBot, store: db.Store, server_url: str) -> None:
    organisation.set_up(organisation.OrganisationSetup(
        name="Kestrel Fabrication", sites=["Main works"], currency="EUR",
        user_name="Test User"))
    window = MainWindow(store)
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    address = server.ServerAddress.parse(server_url)
    typed: list[str] = []

    def fill_and_connect() -> None:
        from ui.shell.connect_dialog import ConnectDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectDialog):
            QTimer.singleShot(20, fill_and_connect)
            return
        dialog.fill({"host": address.host, "port": address.port, "dbname": address.dbname,
                     "user": address.user})
        qtbot.keyClick(dialog.connect_button, Qt.Key.Key_Return)
        typed.append(dialog.fields()["dbname"])

    QTimer.singleShot(0, fill_and_connect)
    opened = window.connect_to_server()
    try:
        assert typed == [address.dbname] and opened is not None
        assert window.store is opened
        assert window.path_label.text() == f"Server: {address}"
        assert not window.restore_action.isEnabled()
        # The file was closed (its lock let go), and the screens now read the server.
        assert not store.lock.is_locked
        assert window.current_screen() is window.screens[window.current_key()]
        assert organisation.get_organisation() is None  # the server's database is new
    finally:
        if opened is not None:
            opened.close()


# --- Signed in as oneself -------------------------------------------------------------------

PASSWORD = "correct horse battery"


@pytest.fixture
def team_database(postgres_server: Server, server_url: str,
                  monkeypatch: pytest.MonkeyPatch) -> str:
    """A set-up database on the run's server with an account for Maria Khan, a quality
    officer; the login her administrator gave her."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    login = f"window_maria_{server_url.rsplit('_', 1)[1]}"  # logins are the whole server's
    with server.open_server(server_url):
        organisation.set_up(organisation.OrganisationSetup(
            name="Kestrel Fabrication", sites=["Main works"], currency="EUR",
            user_name="Typed Name"))
        accounts.add_account(login, "Maria Khan", "quality_officer", PASSWORD)
    return login


def sign_in_when_asked(qtbot: QtBot, password: str, problems: list[str]) -> None:
    """Type `password` into the connect dialog once it asks, and press Enter."""
    from ui.shell.connect_dialog import ConnectDialog

    def type_it() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectDialog):
            QTimer.singleShot(20, type_it)
            return
        problems.append(dialog.problem.text() if dialog.problem.isVisible() else "")
        qtbot.keyClicks(dialog.password_edit, password)
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, type_it)


def test_a_person_signed_in_sees_their_name_and_role_and_the_history_carries_it(
        qtbot: QtBot, postgres_server: Server, server_url: str, team_database: str) -> None:
    dbname = server_url.rsplit("/", 1)[1]
    asked: list[str] = []
    sign_in_when_asked(qtbot, PASSWORD, asked)
    store = open_server_with_dialogs(postgres_server.password_url(dbname, team_database))
    assert store is not None and asked == [""]  # asked for the password, no problem said
    try:
        window = MainWindow(store)
        window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert window.path_label.text() == (
            f"Server: postgresql://{team_database}@127.0.0.1:{postgres_server.port}/{dbname}")
        assert window.signed_in_label.text() == "Signed in as Maria Khan (Quality officer)"
        assert window.signed_in_label.toolTip() == f"Login: {team_database}"
        settings = SettingsDialog(window)
        qtbot.addWidget(settings)
        assert settings.signed_in_label is not None
        assert settings.signed_in_label.text() == "Signed in as Maria Khan (Quality officer)"

        screen = window.open_screen("sites")
        assert isinstance(screen, RegisterScreen)
        qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(screen.form.editor("name"), "Pune")
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
        site = Site.get(Site.name == "Pune")
        last = (ChangeHistory.select().where(ChangeHistory.record_id == site.id)
                .order_by(ChangeHistory.id.desc()).first())
        assert last.changed_by == "Maria Khan"
    finally:
        store.close()


def test_a_login_that_is_no_member_is_told_so_in_the_connect_dialog(
        qtbot: QtBot, postgres_server: Server, server_url: str, team_database: str) -> None:
    dbname = server_url.rsplit("/", 1)[1]
    stranger = f"stranger_{dbname}"
    with psycopg.connect(postgres_server.admin_conninfo(), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {stranger} LOGIN PASSWORD '{PASSWORD}'")
    said: list[str] = []
    sign_in_when_asked(qtbot, PASSWORD, said)
    kept: list[str] = []

    def escape_once_refused() -> None:
        # The dialog stays open, saying why, with what was typed, until the user gives up.
        from ui.shell.connect_dialog import ConnectDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectDialog) or not dialog.problem.isVisible():
            QTimer.singleShot(20, escape_once_refused)
            return
        said.append(dialog.problem.text())
        kept.extend((dialog.user_edit.text(), dialog.password_edit.text()))
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Escape)

    QTimer.singleShot(0, escape_once_refused)
    store = open_server_with_dialogs(postgres_server.password_url(dbname, stranger))

    assert store is None
    assert said[0] == ""  # first only asked for the password
    assert said[1].startswith(f"Not a member. Your login {stranger} is not a member of this "
                              "quality system")
    assert kept == [stranger, PASSWORD]


def test_a_form_dialog_retries_its_save_on_a_new_connection(
        qtbot: QtBot, window: MainWindow, on_server: server.ServerStore,
        postgres_server: Server) -> None:
    from PySide6.QtWidgets import QLineEdit

    from qms_desktop import registers
    from qms_desktop.catalogue import SITES
    from ui.kit.form_dialog import FormDialog

    dialog = FormDialog("New site", ok_text="Add", parent=window,
                        on_submit=lambda values: registers.save(SITES, None, values))
    name = QLineEdit()
    dialog.add_field("name", "Name", name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(name, "East store")

    end_the_connection(postgres_server, on_server)
    said: list[str] = []
    answer(qtbot, "Cancel", said)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and name.text() == "East store"  # nothing lost
    assert "your changes are still in the form" in said[0]

    answer(qtbot, "Retry", said)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert len(said) == 2
    assert Site.select().where(Site.name == "East store").count() == 1


def test_the_first_run_window_connects_to_a_server_instead_of_the_new_file(
        qtbot: QtBot, store: db.Store, server_url: str) -> None:
    from ui.shell.connect_dialog import ConnectDialog
    from ui.shell.first_run import SERVER_CHOICE, FirstRunDialog

    first_run = FirstRunDialog(store=store)
    qtbot.addWidget(first_run)
    first_run.show()
    qtbot.waitExposed(first_run)
    button = first_run.welcome.server_button
    assert button.isVisible() and button.text() == SERVER_CHOICE
    address = server.ServerAddress.parse(server_url)

    def connect() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConnectDialog):
            QTimer.singleShot(20, connect)
            return
        dialog.fill({"host": address.host, "port": address.port, "dbname": address.dbname,
                     "user": address.user})
        qtbot.keyClick(dialog.connect_button, Qt.Key.Key_Return)

    QTimer.singleShot(0, connect)
    with qtbot.waitSignal(first_run.accepted):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert first_run.choice == "server" and first_run.connected is not None
    try:
        assert not store.lock.is_locked  # the new file let go
        assert server.open_address() == address  # the records are read from the server now
    finally:
        first_run.connected.close()


def test_any_other_read_that_meets_the_lost_connection_offers_to_reconnect(
        qtbot: QtBot, window: MainWindow, on_server: server.ServerStore,
        postgres_server: Server, tmp_path: Path) -> None:
    from ui.shell.errors import make_excepthook

    hook = make_excepthook(Path(), tmp_path / "log.txt")
    end_the_connection(postgres_server, on_server)
    try:
        # A read is made again on a new connection by itself; a statement that is not
        # (a write outside the save paths, say) reaches the hook.
        database.execute_sql("UPDATE organisation SET name = name")
    except Exception as exc:
        lost = exc
    said: list[str] = []
    answer(qtbot, "Retry", said)
    hook(type(lost), lost, lost.__traceback__)

    assert said[0].startswith(f"The server at {on_server.address} was not reached; nothing "
                              "saved is lost")
    assert not (tmp_path / "log.txt").exists()  # not a bug: nothing logged
    assert organisation.get_organisation() is not None  # connected again


def test_a_refused_connection_elsewhere_leaves_the_window_where_and_who_it_was(
        qtbot: QtBot, postgres_server: Server, server_url: str, team_database: str) -> None:
    from ui.shell.connect_dialog import ConnectDialog

    dbname = server_url.rsplit("/", 1)[1]
    other = postgres_server.create_database()  # where Maria has no account
    with server.open_server(postgres_server.url(other)):  # the administrator makes it
        organisation.set_up(organisation.OrganisationSetup(
            name="Other Ltd", sites=["Yard"], currency="EUR", user_name="Admin"))
    store = server.open_server(postgres_server.password_url(dbname, team_database),
                               ask_password=lambda _: PASSWORD)
    try:
        window = MainWindow(store)
        window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        said: list[str] = []

        def try_the_other() -> None:
            """Type the other database and Maria's password, then, once the dialog says
            why not, give up with Escape."""
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, ConnectDialog):
                QTimer.singleShot(20, try_the_other)
            elif not said:
                dialog.fill({"host": "127.0.0.1", "port": str(postgres_server.port),
                             "dbname": other, "user": team_database})
                qtbot.keyClicks(dialog.password_edit, PASSWORD)
                said.append("typed")
                QTimer.singleShot(20, try_the_other)
                qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
            elif not dialog.problem.isVisible():
                QTimer.singleShot(20, try_the_other)
            else:
                said.append(dialog.problem.text())
                qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Escape)

        QTimer.singleShot(0, try_the_other)
        assert window.connect_to_server() is None

        assert said[-1].startswith("Not a member.")
        assert window.store is store and server.open_address() == store.address
        assert accounts.signed_in() == accounts.SignedIn(team_database, "Maria Khan",
                                                         "quality_officer")
        assert window.signed_in_label.text() == "Signed in as Maria Khan (Quality officer)"
        screen = window.open_screen("sites")
        assert isinstance(screen, RegisterScreen)
        qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(screen.form.editor("name"), "Still Maria's")
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
        saved = Site.get(Site.name == "Still Maria's")
        last = (ChangeHistory.select().where(ChangeHistory.record_id == saved.id)
                .order_by(ChangeHistory.id.desc()).first())
        assert last.changed_by == "Maria Khan"
    finally:
        store.close()
