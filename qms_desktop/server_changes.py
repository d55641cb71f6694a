"""Other people's changes on a server reach this window's change feed (LISTEN/NOTIFY).

Sending: the records layer calls `note_write` for each record it writes (`records.on_write`);
on a server the ids wait for their transaction, and `send_pending`, called by the server
database just before COMMIT, sends them in one `pg_notify` inside that transaction.
PostgreSQL delivers a notice only when its transaction commits, so a rolled-back write is
never announced. A notice names this process's `SESSION`, so the window that wrote it,
which has already heard its own write through the records layer, ignores it.

Hearing: a window calls `ServerStore.listen_for_others`, which starts a `ChangeListener`
(its own connection, on a daemon thread) that publishes each short burst of notices on the
store's `ChangeFeed`. A command-line run starts none. The feed's listeners are called on
that thread: the window's bridge moves them to the GUI thread (ui/shell/live.py).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import peewee
import psycopg

from qms_desktop.changes import ChangeFeed
from qms_desktop.models import ALL_MODELS, database

log = logging.getLogger(__name__)

CHANNEL = "qms_changes"
# PostgreSQL refuses a payload of 8000 bytes or more; the rest of the room is for safety.
PAYLOAD_LIMIT = 7900
# This process's notices carry it, so its own are known when they come back.
SESSION = secrets.token_hex(8)

# --- Sending -----------------------------------------------------------------------------------

# The records written by the transaction under way, per thread (peewee keeps a connection
# and its transaction per thread).
_pending = threading.local()


def _pending_batch() -> dict[str, set[str]]:
    batch: dict[str, set[str]] | None = getattr(_pending, "batch", None)
    if batch is None:
        batch = _pending.batch = {}
    return batch


def note_write(table: str, record_id: str) -> None:
    """The records layer wrote `record_id` in `table` (installed as `records.on_write`)."""
    target = database.obj
    if not isinstance(target, peewee.PostgresqlDatabase):
        return  # a file has no one else to tell
    if database.in_transaction():
        _pending_batch().setdefault(table, set()).add(record_id)
    else:
        # Written on its own and committed already: its notice follows at once.
        _notify(target, {table: {record_id}})


def send_pending(target: peewee.Database) -> None:
    """Send the notice of the transaction under way on `target`, just before it commits."""
    batch = _pending_batch()
    if batch:
        _pending.batch = {}
        _notify(target, batch)


def drop_pending() -> None:
    """The transaction was rolled back: nothing of it is announced."""
    _pending.batch = {}


def _notify(target: peewee.Database, batch: Mapping[str, Iterable[str]]) -> None:
    target.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, payload(batch)))


def payload(batch: Mapping[str, Iterable[str]], session: str = SESSION) -> str:
    """The notice of `batch` (table -> ids) as JSON, under PostgreSQL's size limit: the
    tables with the most ids lose them first, and a table without ids means "reload all
    of it"."""
    by_table = {table: sorted(ids) for table, ids in batch.items()}
    while True:
        text = json.dumps({"session": session, "changes": by_table}, separators=(",", ":"),
                          sort_keys=True)
        if len(text.encode()) <= PAYLOAD_LIMIT:
            return text
        largest = max(by_table, key=lambda table: len(by_table[table]))
        if not by_table[largest]:
            raise ValueError(f"Too many tables for one notice: {len(by_table)}")
        by_table[largest] = []


# --- Hearing -----------------------------------------------------------------------------------


def every_table() -> dict[str, frozenset[str]]:
    """"Everything may have changed": every table, without ids."""
    return {model._meta.table_name: frozenset() for model in ALL_MODELS}


def read_notice(text: str) -> tuple[str, dict[str, frozenset[str]]]:
    """The session and the changes of one notice. A notice that is not ours to read (a
    `NOTIFY qms_changes` typed in psql, say) counts as "everything may have changed":
    a reload costs little, a stale screen may cost a wrong decision."""
    try:
        found = json.loads(text)
        session = found["session"]
        changes = {str(table): frozenset(map(str, ids))
                   for table, ids in found["changes"].items()}
        if not isinstance(session, str):
            raise TypeError(session)
    except (ValueError, TypeError, KeyError, AttributeError):
        log.info("An unreadable change notice: taken as a change of everything")
        return "", every_table()
    return session, changes


def merge(into: dict[str, frozenset[str]], changes: Mapping[str, frozenset[str]]) -> None:
    """Add `changes` to `into`; a table without ids (all of it) stays without ids."""
    for table, ids in changes.items():
        known = into.get(table)
        if known is None:
            into[table] = ids
        elif known and ids:
            into[table] = known | ids
        else:
            into[table] = frozenset()


class ChangeListener:
    """Hears the notices of other sessions on its own connection, on a daemon thread, and
    publishes each burst on `feed` (from that thread). When the connection drops it
    connects again, waiting longer each time, and once back publishes every table: what
    changed meanwhile was not heard."""

    POLL_SECONDS = 0.25  # how soon `stop` is noticed
    SETTLE_SECONDS = 0.05  # a burst of notices arriving together is published once
    RETRY_SECONDS = (0.5, 30.0)  # the first wait after a drop, and the longest
    FIRST_CONNECT_SECONDS = 5  # `start` waits this long at most (the server was just reached)
    CONNECT_SECONDS = 10

    def __init__(self, conninfo: str, feed: ChangeFeed, *, described_as: str,
                 connect_params: Mapping[str, Any] | Callable[[], Mapping[str, Any]]
                 | None = None) -> None:
        self._conninfo = conninfo
        # A callable is read at each connect: the password may change while the window
        # is open (accounts.change_own_password), and a reconnect must use the new one.
        if callable(connect_params):
            self._connect_params = connect_params
        else:
            fixed = dict(connect_params or {})
            self._connect_params = lambda: fixed
        self._feed = feed
        self._described_as = described_as  # the address without a password, for the log
        self._stopping = threading.Event()
        self.listening = threading.Event()  # set while LISTEN is in place
        self.lost = threading.Event()  # set while the connection is lost and retried
        self.reconnects = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """LISTEN before returning, so that nothing committed after this call goes unheard
        (the window reads its screens after it); the thread hears from then on. When the
        server cannot be reached now, the thread keeps trying, and announces everything
        once it can."""
        try:
            first: psycopg.Connection[Any] | None = self._connect(self.FIRST_CONNECT_SECONDS)
        except psycopg.Error as exc:
            first = None
            self._lost(exc, self.RETRY_SECONDS[0])
        self._thread = threading.Thread(target=self._run, args=(first,),
                                        name="qms-change-listener", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop and wait for the thread, up to `timeout`: one still waiting on a server that
        does not answer is a daemon, and goes with the process."""
        self._stopping.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _connect(self, timeout: int) -> psycopg.Connection[Any]:
        connection = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=timeout,
                                     **dict(self._connect_params()))
        try:
            connection.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            connection.close()
            raise
        self.listening.set()
        self.lost.clear()
        return connection

    def _lost(self, exc: psycopg.Error, retry: float) -> None:
        self.listening.clear()
        self.lost.set()
        if not self._stopping.is_set():
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            log.warning("Not hearing other people's changes from %s (%s); trying again "
                        "in %.1f s", self._described_as, first_line, retry)

    def _run(self, connection: psycopg.Connection[Any] | None) -> None:
        first_retry, longest = self.RETRY_SECONDS
        retry = first_retry
        while not self._stopping.is_set():
            if connection is None:  # lost: wait, then try again
                if self._stopping.wait(retry):
                    break
                try:
                    connection = self._connect(self.CONNECT_SECONDS)
                except psycopg.Error as exc:
                    retry = min(retry * 2, longest)
                    self._lost(exc, retry)
                    continue
                retry = first_retry
                self.reconnects += 1
                log.info("Hearing other people's changes from %s again", self._described_as)
                self._publish(every_table())
            try:
                with connection:
                    self._hear(connection)
            except psycopg.Error as exc:
                self._lost(exc, retry)
            connection = None
        self.listening.clear()

    def _hear(self, connection: psycopg.Connection[Any]) -> None:
        while not self._stopping.is_set():
            notices = list(connection.notifies(timeout=self.POLL_SECONDS, stop_after=1))
            if not notices:
                continue
            notices += connection.notifies(timeout=self.SETTLE_SECONDS)
            burst: dict[str, frozenset[str]] = {}
            for notice in notices:
                session, changes = read_notice(notice.payload)
                if session != SESSION:
                    merge(burst, changes)
            if burst:
                self._publish(burst)

    def _publish(self, by_table: Mapping[str, frozenset[str]]) -> None:
        try:
            self._feed.publish(by_table)
        except Exception:  # the feed logs its listeners' failures; this keeps the thread
            log.exception("Publishing other people's changes failed")
