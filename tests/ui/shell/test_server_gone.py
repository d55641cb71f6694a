"""The window when its server connection goes: a connection the server ended is made again
without a word while reading; a server that is really gone gives one page with Retry (no
question box besides), which loads the screen once the server is back; a screen half-built
when the server went is thrown away on the window's thread."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import organisation, server
from qms_desktop.models import Site, database
from tests import postgres
from tests.postgres import Server
from ui.kit.icons import icon
from ui.kit.register_screen import RegisterScreen
from ui.kit.server_lost import offer_retry
from ui.screens.overview.overview import OverviewScreen
from ui.shell.errors import make_excepthook
from ui.shell.main_window import ENTRIES_BY_KEY, NOT_LOADED, MainWindow


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message box put up, by its text; each is answered Cancel at once."""
    asked: list[str] = []

    def note(box: QMessageBox) -> int:
        asked.append(f"{box.text()} {box.informativeText()}")
        return int(QMessageBox.StandardButton.Cancel)

    monkeypatch.setattr(QMessageBox, "exec", note)
    return asked


def shown_window(qtbot: QtBot, store: server.ServerStore) -> MainWindow:
    window = MainWindow(store)
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    overview = window.current_screen()
    assert isinstance(overview, OverviewScreen)
    qtbot.waitUntil(lambda: overview.evidence_report is not None, timeout=20_000)
    return window


def set_up_kestrel() -> None:
    organisation.set_up(organisation.OrganisationSetup(
        name="Kestrel Fabrication", sites=["Main works"], currency="EUR",
        user_name="Maria Khan"))


def click_sidebar(qtbot: QtBot, window: MainWindow, key: str) -> None:
    item = window.sidebar.items[key]
    window.sidebar.scrollToItem(item)
    where = window.sidebar.visualItemRect(item).center()
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=where)


def retry_button(page: QWidget) -> QPushButton:
    return next(b for b in page.findChildren(QPushButton) if b.text() == "&Retry")


# --- A connection the server ended, the server still there -----------------------------------


@pytest.fixture
def on_server(server_url: str) -> Iterator[server.ServerStore]:
    store = server.open_server(server_url)
    set_up_kestrel()
    yield store
    store.close()


def end_the_connection(postgres_server: Server, store: server.ServerStore) -> None:
    """What an administrator, a server restart or an idle timeout does to the connection."""
    pid = store.connection.info.backend_pid
    with psycopg.connect(postgres_server.admin_conninfo(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


def test_a_read_after_the_connection_was_ended_is_made_again_once(
        on_server: server.ServerStore, postgres_server: Server) -> None:
    end_the_connection(postgres_server, on_server)
    assert organisation.get_organisation() is not None
    assert [s.name for s in Site.select()] == ["Main works"]


def test_a_write_after_the_connection_was_ended_is_not_repeated_quietly(
        on_server: server.ServerStore, postgres_server: Server) -> None:
    end_the_connection(postgres_server, on_server)
    with pytest.raises(Exception) as raised:
        database.execute_sql("UPDATE site SET name = 'Renamed' WHERE name = 'Main works'")
    assert server.is_lost_connection(raised.value)
    assert [s.name for s in Site.select()] == ["Main works"]  # the read reconnects


# --- A server that is really gone, then back -------------------------------------------------


def _pg_ctl(gone: Server, *arguments: str) -> None:
    postgres._run([str(gone.binaries / "pg_ctl"), "-D", str(gone.data), *arguments])


def stop(gone: Server) -> None:
    _pg_ctl(gone, "-m", "immediate", "-w", "stop")


def start_again(gone: Server) -> None:
    options = (f"-p {gone.port} -k {gone.socket_folder} -c listen_addresses=127.0.0.1 "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    _pg_ctl(gone, "-l", str(gone.folder / "server.log"), "-o", options, "-w", "start")


@pytest.fixture(scope="module")
def own_server() -> Iterator[Server]:
    """A server of these tests' own, to stop and start again."""
    reason = postgres.why_not_available()
    if reason is not None:
        pytest.skip(f"no PostgreSQL server for these tests: {reason}")
    with postgres.running_server() as started:
        yield started


@pytest.fixture
def on_own_server(own_server: Server) -> Iterator[server.ServerStore]:
    name = own_server.create_database()
    store = server.open_server(own_server.url(name))
    set_up_kestrel()
    yield store
    start_again_if_stopped(own_server)
    store.close()
    own_server.drop_database(name)


def start_again_if_stopped(own: Server) -> None:
    try:
        psycopg.connect(own.admin_conninfo(), connect_timeout=5).close()
    except psycopg.OperationalError:
        start_again(own)


def test_a_server_gone_gives_one_page_whose_retry_loads_the_screen_once_it_is_back(
        qtbot: QtBot, on_own_server: server.ServerStore, own_server: Server,
        questions: list[str], tmp_path: Path) -> None:
    window = shown_window(qtbot, on_own_server)
    stop(own_server)

    click_sidebar(qtbot, window, "nonconformities")

    page = window.current_screen()
    assert page is not None and page.objectName() == NOT_LOADED
    assert page.accessibleName() == "Nonconformities could not be loaded"
    said = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "Nothing saved is lost: it is on the server." in said
    assert "typed" not in said
    picture = next(label for label in page.findChildren(QLabel)
                   if label.accessibleName() == "Nonconformities could not be loaded icon")
    screens_icon = icon(ENTRIES_BY_KEY["nonconformities"].icon).pixmap(48, 48).toImage()
    assert picture.pixmap().toImage() == screens_icon
    # Another read failing meanwhile (a reload, say) reaches the error hook: the page says
    # it already, so no question box besides.
    try:
        organisation.get_organisation()
    except Exception as exc:
        lost = exc
    make_excepthook(Path(), tmp_path / "log.txt")(type(lost), lost, lost.__traceback__)
    assert questions == []

    retry = retry_button(page)
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)  # still gone: it says so, in place
    assert window.current_screen() is page
    assert "Try again in a moment." in " ".join(label.text()
                                                for label in page.findChildren(QLabel))
    start_again(own_server)
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)

    screen = window.current_screen()
    assert screen is not page and screen.objectName() != NOT_LOADED
    assert type(screen).__name__ == "NonconformitiesScreen"
    assert window.screens["nonconformities"] is screen
    assert questions == []


def test_retry_answered_in_a_question_box_loads_the_page_too(
        qtbot: QtBot, on_own_server: server.ServerStore, own_server: Server,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = shown_window(qtbot, on_own_server)
    stop(own_server)
    page = window.open_screen("processes")
    assert page.objectName() == NOT_LOADED
    try:
        organisation.get_organisation()
    except Exception as exc:
        lost = exc

    def server_back_then_retry(box: QMessageBox) -> int:
        start_again(own_server)
        box.buttons()[0].click()  # Retry
        return 0

    monkeypatch.setattr(QMessageBox, "exec", server_back_then_retry)
    assert offer_retry(window, lost, "nothing saved is lost: it is on the server")

    screen = window.current_screen()
    assert isinstance(screen, RegisterScreen)
    assert window.screens["processes"] is screen


def test_a_screen_half_built_when_the_server_went_is_thrown_away_on_this_thread(
        qtbot: QtBot, on_own_server: server.ServerStore, own_server: Server,
        questions: list[str]) -> None:
    window = shown_window(qtbot, on_own_server)
    stop(own_server)
    # The server goes after the window's own check, while the screen reads its records.
    window._check_connection = lambda: None  # type: ignore[method-assign]
    before = set(QApplication.topLevelWidgets())

    page = window.open_screen("sites")

    assert page.objectName() == NOT_LOADED
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(lambda: set(QApplication.topLevelWidgets()) <= before | {page})
    assert questions == []
    assert sys.exc_info() == (None, None, None)
