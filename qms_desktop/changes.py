"""Who needs to know that records changed: one small observer, fed after each commit.

The records layer publishes here once a transaction that wrote something has committed, so a
listener never sees a change that was rolled back. Another source (a server's notifications in
team mode) can publish through the same feed. No Qt here: the window bridges it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    """The records written by one commit: table name -> ids of the records in it."""

    by_table: Mapping[str, frozenset[str]]

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self.by_table)

    def touches(self, tables: Iterable[str]) -> bool:
        return not self.tables.isdisjoint(tables)

    def ids_in(self, table: str) -> frozenset[str]:
        return self.by_table.get(table, frozenset())


Listener = Callable[[Changes], None]


class ChangeFeed:
    """Listeners hear each committed batch of changes, in the order they subscribed."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add `listener`; the function returned removes it again."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, by_table: Mapping[str, Iterable[str]]) -> None:
        changes = Changes({table: frozenset(ids) for table, ids in by_table.items()})
        if not changes.by_table:
            return
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception:
                # The write is committed already: one broken listener must not hide it from
                # the others or make the caller believe the save failed.
                log.exception("A change listener failed")
