"""When the server goes away in the middle of work: say so plainly, keep the form, retry.

A save on a server whose connection went (the server restarted, the network dropped) fails
with peewee's OperationalError or InterfaceError before anything is kept: the transaction
went with the connection. `save_retrying` keeps the form as it is, says the server was not
reached, and on Retry makes a new connection and saves again; on Cancel the form stays open
with what was typed (`NotSaved`).

A read meets a lost connection only when the server cannot be reached at all: one the server
ended is made again quietly (server.ServerDatabase.execute_sql). Whoever shows something
that could not be read follows `reconnection.reconnected`, so a Retry answered anywhere
loads it too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from qms_desktop import APP_NAME, errors

T = TypeVar("T")
TITLE = "Server not reached"
RETRY_TEXT = "&Retry"
_asking = False  # a question is up: one at a time


class _Reconnection(QObject):
    reconnected = Signal()  # a Retry made a new connection


reconnection = _Reconnection()


class NotSaved(Exception):
    """The server stayed out of reach and the user stopped trying: nothing was saved, and
    the form keeps what was typed."""


def lost_connection(exc: BaseException) -> bool:
    """Whether `exc` is the open server's connection failing (never on a file)."""
    server = sys.modules.get("qms_desktop.server")  # loaded whenever a server is open
    return server is not None and bool(server.is_lost_connection(exc))


def offer_retry(parent: QWidget | None, exc: BaseException,
                kept: str = "your changes are still in the form") -> bool:
    """Say that the server was not reached and that `kept`; True once Retry has made a new
    connection, False on Cancel. While the server still cannot be reached, says so again."""
    from qms_desktop import server

    global _asking
    if _asking:
        # Something else read the server while the question is up (a screen reloading):
        # the answer to this question reconnects for it too.
        return False
    address = server.open_address()
    detail = errors.first_line(exc)
    _asking = True
    try:
        return _ask(parent, address, detail, kept)
    finally:
        _asking = False


def _ask(parent: QWidget | None, address: object, detail: str, kept: str) -> bool:
    from qms_desktop import server

    while True:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(f"{TITLE} – {APP_NAME}")
        text = f"The server at {address} was not reached; {kept}."
        box.setText(text)
        advice = ("Check this computer's network, or ask whoever looks after the server, "
                  f"then try again. (The server said: {detail})")
        box.setInformativeText(advice)
        box.setAccessibleName(TITLE)
        box.setAccessibleDescription(f"{text} {advice}")
        retry = box.addButton(RETRY_TEXT, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(retry)
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is not retry:
            return False
        try:
            server.reconnect()
        except errors.EnvironmentProblem as problem:
            detail = problem.message
            continue
        reconnection.reconnected.emit()
        return True


def save_retrying(parent: QWidget | None, save: Callable[[], T]) -> T:
    """`save()`, tried again on a new connection for as long as the user chooses Retry;
    NotSaved when they stop. Any other failure is raised as it is."""
    while True:
        try:
            return save()
        except Exception as exc:
            if not lost_connection(exc):
                raise
            if not offer_retry(parent, exc):
                raise NotSaved from exc
