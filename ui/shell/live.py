"""The one bridge from the database's change feed to Qt.

The records layer publishes each committed batch on the open database's `ChangeFeed`; anything
else that learns of changes (team mode's server notifications) publishes on the same feed, so
screens hear every source through this one signal. The main window makes one bridge per open
database and hands it to each screen (`ui.kit.live.follow_changes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from qms_desktop.changes import ChangeFeed, Changes


class ChangeBridge(QObject):
    """Re-emits each batch of `Changes` from a feed as the Qt signal `changed`."""

    changed = Signal(object)

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
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
        # A write made on another thread reaches the screens on theirs: Qt queues the
        # signal across threads by itself.
        self.changed.emit(changes)
