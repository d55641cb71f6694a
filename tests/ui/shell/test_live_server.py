"""Screens on a server follow other people's changes: the listener's thread hands each batch
to the bridge, which moves it to the GUI thread before any screen hears it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import db, organisation, records, server
from qms_desktop.changes import ChangeFeed, Changes
from ui.screens.actions.actions_screen import ActionsScreen
from ui.shell.live import ChangeBridge, hear_others
from ui.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[3]


def test_a_batch_published_on_another_thread_reaches_the_screens_on_the_gui_thread(
        qtbot: QtBot) -> None:
    feed = ChangeFeed()
    bridge = ChangeBridge(feed)
    heard_on: list[int] = []
    # Connected directly: called on whatever thread emits `changed`, which must be this one.
    bridge.changed.connect(lambda changes: heard_on.append(threading.get_ident()),
                           Qt.ConnectionType.DirectConnection)
    publisher = threading.Thread(target=feed.publish, args=({"risk": ["k1"]},))

    with qtbot.waitSignal(bridge.changed) as heard:
        publisher.start()
        publisher.join()

    assert heard.args[0].ids_in("risk") == {"k1"}
    assert heard_on == [threading.get_ident()]


def test_a_publish_racing_the_window_closing_is_dropped_quietly(qtbot: QtBot) -> None:
    feed = ChangeFeed()
    bridge = ChangeBridge(feed)
    relay = feed._listeners[0]  # the subscription the listener's thread is calling
    with qtbot.waitSignal(bridge.destroyed):
        bridge.deleteLater()
    failures: list[BaseException] = []

    def publish_late() -> None:
        try:
            relay(Changes({"risk": frozenset({"k1"})}))
        except BaseException as exc:
            failures.append(exc)

    late = threading.Thread(target=publish_late)
    late.start()
    late.join()

    assert failures == []
    assert feed._listeners == []


def test_a_batch_published_on_the_gui_thread_is_heard_at_once(qtbot: QtBot) -> None:
    feed = ChangeFeed()
    bridge = ChangeBridge(feed)
    heard: list[Changes] = []
    bridge.changed.connect(heard.append)

    feed.publish({"risk": ["k1"]})

    assert [h.ids_in("risk") for h in heard] == [{"k1"}]


def _raise_action_in_another_process(server_url: str, title: str) -> str:
    """Another person's window, as far as the server can tell: a process of its own that
    raises an improvement action due in a few days, through the services; its id."""
    program = textwrap.dedent("""
        import datetime as dt
        import sys
        from qms_desktop import actions, clock, records, server
        with server.open_server(sys.argv[1]):
            records.set_setting(records.USER_NAME_KEY, "Jon Reyes")
            due = clock.today() + dt.timedelta(days=3)
            print(actions.raise_improvement(sys.argv[2], None, due).id)
    """)
    done = subprocess.run([sys.executable, "-c", program, server_url, title], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def on_server(server_url: str) -> Iterator[server.ServerStore]:
    with server.open_server(server_url) as store:
        records.set_setting(records.USER_NAME_KEY, "Maria Khan")
        hear_others(store)  # as the window does with each database it shows
        assert store.listener is not None and store.listener.listening.wait(20)
        yield store
    assert store.listener is None  # closing the store stopped it


def test_a_window_on_a_file_starts_no_listener(store: db.Store) -> None:
    hear_others(store)

    assert not any(t.name == "qms-change-listener" for t in threading.enumerate())


def test_the_actions_register_shows_an_action_raised_in_another_window(
        qtbot: QtBot, show: Callable[..., QWidget], server_url: str,
        on_server: server.ServerStore) -> None:
    bridge = ChangeBridge(on_server.changes)  # the window's, which it keeps for its lifetime
    screen = ActionsScreen(changes=bridge)
    show(screen)
    assert screen.model.rowCount() == 0

    made = _raise_action_in_another_process(server_url, "Recalibrate the torque wrench")

    qtbot.waitUntil(lambda: screen.model.row_of(made) >= 0, timeout=20_000)
    assert "Recalibrate the torque wrench" in [
        screen.model.index(row, column).data()
        for row in range(screen.model.rowCount())
        for column in range(screen.model.columnCount())
    ]


def test_the_window_on_a_server_shows_what_another_window_saved(
        qtbot: QtBot, server_url: str, own_settings: None) -> None:
    with server.open_server(server_url) as store:
        organisation.set_up(organisation.OrganisationSetup(
            name="Kestrel Fabrication", sites=["Main works"], currency="EUR",
            user_name="Maria Khan"))
        window = MainWindow(store)
        window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert store.listener is not None and store.listener.listening.wait(20)
        screen = window.open_screen("actions")
        assert isinstance(screen, ActionsScreen)

        made = _raise_action_in_another_process(server_url, "Order new gas bottles")

        qtbot.waitUntil(lambda: screen.model.row_of(made) >= 0, timeout=20_000)
        # The reminder bar follows the actions too, from the same notice.
        qtbot.waitUntil(window.reminder.isVisible, timeout=20_000)
        window.close()
    assert store.listener is None
