"""The one bridge from the database's change feed to Qt.

The records layer publishes each committed batch on the open database's `ChangeFeed`; anything
else that learns of changes (team mode's server notifications) publishes on the same feed, so
screens hear every source through this one signal. The main window makes one bridge per open
database and hands it to each screen (`ui.kit.live.follow_changes`).

A feed may publish on another thread (a server's listener, ServerStore.listen_for_others):
the bridge then hands the batch to the GUI thread through a queued signal, so `changed` is
always emitted, and every screen reloaded, on the thread the bridge lives on.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

if TYPE_CHECKING:
    from qms_desktop.changes import ChangeFeed, Changes


def hear_others(store: object) -> None:
    """On a server, start hearing the changes other people make (ServerStore's
    listen_for_others: a thread of its own, stopped when the store closes); a file has
    nobody else writing to it. The window calls this for each database it shows."""
    listen = getattr(store, "listen_for_others", None)
    if listen is not None:
        listen()


class ChangeBridge(QObject):
    """Re-emits each batch of `Changes` from a feed as the Qt signal `changed`."""

    changed = Signal(object)
    _arrived = Signal(object)  # a batch published on another thread, queued to this one

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued whatever the threads: the slot runs on the bridge's thread, by its event
        # loop, however the screens connected to `changed`.
        self._arrived.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        # The current subscription, in a list the lambda below shares: a bridge destroyed
        # with its window stops listening, so a feed never calls a deleted object.
        self._subscription = [feed.subscribe(self._relay)]
        subscription = self._subscription
        self.destroyed.connect(lambda: subscription[0]())

    def listen_to(self, feed: ChangeFeed) -> None:
        """Follow another feed instead (the database was opened again)."""
        self._subscription[0]()
        self._subscription[0] = feed.subscribe(self._relay)

    def _relay(self, changes: Changes) -> None:
        try:
            here = QThread.currentThread() is self.thread()
        except RuntimeError:
            return  # another thread's publish met the bridge as its window went
        if here:
            # The window's own writes: heard at once, as the write returns.
            self.changed.emit(changes)
            return
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile, with the bridge
            self._arrived.emit(changes)

    @Slot(object)
    def _deliver(self, changes: Changes) -> None:
        self.changed.emit(changes)
