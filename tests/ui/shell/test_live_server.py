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

from qms_desktop import db, records, server
from qms_desktop.changes import ChangeFeed, Changes
from ui.screens.actions.actions_screen import ActionsScreen
from ui.shell.live import ChangeBridge, hear_others

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


def test_a_batch_published_on_the_gui_thread_is_heard_at_once(qtbot: QtBot) -> None:
    feed = ChangeFeed()
    bridge = ChangeBridge(feed)
    heard: list[Changes] = []
    bridge.changed.connect(heard.append)

    feed.publish({"risk": ["k1"]})

    assert [h.ids_in("risk") for h in heard] == [{"k1"}]


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
    program = textwrap.dedent("""
        import datetime as dt, sys
        from qms_desktop import actions, records, server
        with server.open_server(sys.argv[1]):
            records.set_setting(records.USER_NAME_KEY, "Jon Reyes")
            print(actions.raise_improvement("Recalibrate the torque wrench", None,
                                            dt.date(2026, 12, 20)).id)
    """)

    done = subprocess.run([sys.executable, "-c", program, server_url], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    made = done.stdout.strip()
    qtbot.waitUntil(lambda: screen.model.row_of(made) >= 0, timeout=20_000)
    assert "Recalibrate the torque wrench" in [
        screen.model.index(row, column).data()
        for row in range(screen.model.rowCount())
        for column in range(screen.model.columnCount())
    ]
