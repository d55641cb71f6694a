"""The records on a PostgreSQL server (psycopg 3), for a team instead of one laptop.

`open_server("postgresql://user@host:port/dbname")` is the server's `db.open_database`: it
connects, migrates through the same numbered steps (migrations.py translates each for
PostgreSQL) and points `models.database` at the server. What belongs to a file (the
instance lock, the -wal checks, the backups folder, file permissions) does not apply: the
server keeps its own data safe and lets several people in at once.

Passwords never come from the address: one written there would sit in shell histories and
recent-connection lists. libpq reads PGPASSWORD or ~/.pgpass by itself; otherwise the
caller may pass `ask_password` (the command line asks on the terminal). Keeping a password
in the operating system's keyring, and asking for it in the window, come later.

The code written for SQLite calls the raw connection as sqlite3's (`execute` with `?`
marks, `executemany`); `ServerConnection` answers those calls on a psycopg connection, and
raises peewee's errors as peewee's own queries do.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import peewee
import psycopg
from psycopg import conninfo as pg_conninfo

from qms_desktop import accounts, errors, migrations, records, server_changes
from qms_desktop.changes import ChangeFeed
from qms_desktop.models import database


def _hand_psycopg_to_peewee() -> None:
    """peewee loaded without psycopg (qms_desktop/__init__.py keeps it out of every command
    that opens a file): give it the driver and the names it took from it as it loaded."""
    names = vars(peewee)  # these module names are not in peewee's type stubs
    if names.get("psycopg") is not None:
        return
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    names.update(psycopg=psycopg, TransactionStatus=TransactionStatus, Json_pg3=Json,
                 Jsonb_pg3=Jsonb)
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


_hand_psycopg_to_peewee()

if TYPE_CHECKING:
    from qms_desktop import db
    from qms_desktop.db import CheckResult

SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_SECONDS = 10


def is_server_address(text: str) -> bool:
    return text.strip().lower().startswith(SCHEMES)


@dataclass(frozen=True)
class ServerAddress:
    """Where the records are kept on a server; never holds a password."""

    url: str
    user: str
    host: str
    port: str
    dbname: str

    @classmethod
    def parse(cls, url: str) -> ServerAddress:
        url = url.strip()
        try:
            parts = pg_conninfo.conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            # psycopg's reason may quote the password itself (a bad %-escape in it, say).
            shown = _masked(url)
            reason = errors.first_line(exc) if shown == url else "and it holds a password"
            raise errors.EnvironmentProblem(
                "Not a server address",
                f"“{shown}” is not a PostgreSQL address ({reason}).",
                "Write it as postgresql://user@host:port/dbname.",
            ) from None
        if parts.get("password"):
            raise errors.EnvironmentProblem(
                "Password in the address",
                "The server address holds a password; QMS Desktop does not take one there, "
                "where it would be kept in plain text (in shell histories, for a start). "
                "Nothing was opened.",
                "Give the address without the password "
                "(postgresql://user@host:port/dbname): you are asked for it on the terminal, "
                "or set PGPASSWORD or use a ~/.pgpass file.",
            )
        if not parts.get("dbname"):
            raise errors.EnvironmentProblem(
                "No database named",
                f"The address {url} names no database on the server.",
                "Add its name at the end: postgresql://user@host:port/dbname.",
            )
        return cls(url=url, user=str(parts.get("user", "")), host=str(parts.get("host", "")),
                   port=str(parts.get("port", "")), dbname=str(parts["dbname"]))

    def __str__(self) -> str:
        who = f"{self.user}@" if self.user else ""
        where = self.host or "localhost"
        port = f":{self.port}" if self.port else ""
        return f"postgresql://{who}{where}{port}/{self.dbname}"


_PASSWORD_SETTING = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]*)", re.IGNORECASE)


def _masked(text: str) -> str:
    """`text` (an address that could not be read) with any password in it shown as ***:
    one written between ':' and '@' after the user, or as a password= setting. Masks too
    much rather than too little."""
    scheme, separator, rest = text.partition("://")
    if separator and "@" in rest:
        user_part, at, host_part = rest.rpartition("@")
        user, colon, _password = user_part.partition(":")
        if colon:
            text = f"{scheme}{separator}{user}:***{at}{host_part}"
    return _PASSWORD_SETTING.sub(lambda m: f"{m.group(1)}***", text)


# --- The raw connection, as the SQLite code calls it -------------------------------------


@functools.lru_cache(maxsize=256)
def to_format_marks(sql: str) -> str:
    """sqlite3's `?` marks as psycopg's `%s`, outside quoted text and names; a literal `%`
    doubled (psycopg reads `%` as the start of a mark whenever parameters are given)."""
    out: list[str] = []
    quote = ""
    for char in sql:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append("%s")
            continue
        out.append("%%" if char == "%" else char)
    return "".join(out)


# Turns a driver's error into peewee's own (IntegrityError and the rest), as its queries do.
_AS_PEEWEE_ERRORS: Any = getattr(peewee, "__exception_wrapper__")  # noqa: B009 (untyped)


class ServerConnection(psycopg.Connection[tuple[Any, ...]]):
    """A psycopg connection that also takes sqlite3's calls (see the module's docstring)."""

    def execute(self, query: Any, params: Any = None, *args: Any,
                **kwargs: Any) -> psycopg.Cursor[tuple[Any, ...]]:
        if isinstance(query, str) and params is not None:
            query = to_format_marks(query)
        with _AS_PEEWEE_ERRORS:
            return super().execute(query, params, *args, **kwargs)

    def executemany(self, query: str, rows: Iterable[Sequence[Any]]) -> None:
        with _AS_PEEWEE_ERRORS:
            self.cursor().executemany(to_format_marks(query), list(rows))


class ServerDatabase(peewee.PostgresqlDatabase):
    """peewee's PostgreSQL database on a ServerConnection."""

    def _connect(self) -> ServerConnection:
        return ServerConnection.connect(self.database, autocommit=True,
                                        connect_timeout=CONNECT_TIMEOUT_SECONDS,
                                        **self.connect_params)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        """peewee's, with a read that meets a connection the server ended (a restart, an
        idle-timeout kill) made again once on a new connection: a read is safe to repeat,
        so the user hears of it only when the server cannot be reached. A write, or any
        statement inside a transaction, is never repeated here (the save paths ask)."""
        try:
            return super().execute_sql(sql, params)  # type: ignore[no-untyped-call]
        except (peewee.OperationalError, peewee.InterfaceError) as lost:
            if self.in_transaction() or not _is_read(sql) or not self._connection_gone():
                raise
            with contextlib.suppress(peewee.DatabaseError):  # a dead connection may not close well
                self.close()
            try:
                self.connect()
            except peewee.OperationalError:
                raise lost from None  # still gone: the caller says so
        return super().execute_sql(sql, params)  # type: ignore[no-untyped-call]

    def _connection_gone(self) -> bool:
        held = self._state.conn  # type: ignore[attr-defined]
        return held is None or bool(held.closed or held.broken)

    def commit(self) -> None:
        # The other sessions hear of this transaction's writes when, and only if, it
        # commits: its notice is sent inside it (server_changes.py).
        with _AS_PEEWEE_ERRORS:
            server_changes.send_pending(self)
        super().commit()

    def rollback(self) -> None:
        server_changes.drop_pending()
        super().rollback()


def _is_read(sql: str) -> bool:
    return sql.lstrip(" \n\t(").upper().startswith(("SELECT", "SHOW"))


# --- Opening ---------------------------------------------------------------------------------


@dataclass
class ServerStore:
    """An open server database: what `db.Store` is for a file, without what only a file
    has (its lock, its path, its backups folder)."""

    address: ServerAddress
    migrated_from: int | None = None
    pre_migration_backup: None = None  # the server's own backups are its administrator's
    notices: list[errors.EnvironmentProblem] = field(default_factory=list)
    changes: ChangeFeed = field(default_factory=ChangeFeed)
    listener: server_changes.ChangeListener | None = field(default=None, repr=False)

    def listen_for_others(self) -> server_changes.ChangeListener:
        """Publish other people's changes on `changes` too, from a thread of its own with
        its own connection (the window does; a command has no screen to keep current)."""
        if self.listener is None:
            target = database.obj
            self.listener = server_changes.ChangeListener(
                target.database, self.changes, described_as=str(self.address),
                connect_params=lambda: target.connect_params)  # read at each connect
            self.listener.start()
        return self.listener

    def close(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        if not database.is_closed():
            database.close()

    def __enter__(self) -> ServerStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def connection(self) -> ServerConnection:
        connection: ServerConnection = database.connection()
        return connection


def unreachable(address: ServerAddress, exc: BaseException) -> errors.EnvironmentProblem:
    if "is not permitted to log in" in str(exc):  # a removed account's login (accounts.py)
        return accounts.not_a_member(address.user, str(address))
    return errors.EnvironmentProblem(
        "Server not reached",
        f"QMS Desktop could not reach the database server at {address}: "
        f"{errors.first_line(exc)}. Nothing was changed.",
        "Check that the server is running and the address is right, then try again.",
    )


def password_needed(address: ServerAddress, exc: BaseException) -> errors.EnvironmentProblem:
    return errors.EnvironmentProblem(
        "Password refused",
        f"The database server at {address} did not let {address.user or 'you'} in: "
        f"{errors.first_line(exc)}. Nothing was changed.",
        "Give the password when asked, or set PGPASSWORD or use a ~/.pgpass file.",
    )


def _password_refused(text: str) -> bool:
    text = text.lower()
    return "no password supplied" in text or "password authentication failed" in text


def probe(address: ServerAddress, password: str = "") -> errors.EnvironmentProblem | None:
    """Whether the server at `address` lets us in (PGPASSWORD or ~/.pgpass first, then
    `password`), on a plain connection closed at once: None, or the problem `open_server`
    would give. For a thread of its own, so the window answers while the server takes its
    time: peewee's connection belongs to the thread that makes it, so the window then opens
    the server on its own thread, which is quick once the server is known to answer."""

    def try_once(password: str | None = None) -> None:
        extra: dict[str, Any] = {} if password is None else {"password": password}
        psycopg.connect(address.url, connect_timeout=CONNECT_TIMEOUT_SECONDS, **extra).close()

    try:
        try_once()
    except psycopg.OperationalError as exc:
        if not _password_refused(str(exc)):
            return unreachable(address, exc)
        if not password:
            return password_needed(address, exc)
        try:
            try_once(password)
        except psycopg.OperationalError as again:
            if _password_refused(str(again)):
                return password_needed(address, again)
            return unreachable(address, again)
    return None


def open_server(url: str | ServerAddress, *,
                ask_password: Callable[[ServerAddress], str] | None = None) -> ServerStore:
    """Connect to the database at `url` and migrate it; the server's `db.open_database`.

    `ask_password` is asked once when the server wants a password that neither PGPASSWORD
    nor ~/.pgpass gave. Every problem of reaching the server becomes an EnvironmentProblem.
    """
    address = url if isinstance(url, ServerAddress) else ServerAddress.parse(url)
    target = ServerDatabase(address.url)
    try:
        target.connect()
    except peewee.OperationalError as exc:
        if not _password_refused(str(exc)):
            raise unreachable(address, exc) from None
        if ask_password is None:
            raise password_needed(address, exc) from None
        target = ServerDatabase(address.url, password=ask_password(address))
        try:
            target.connect()
        except peewee.OperationalError as again:
            if _password_refused(str(again)):
                raise password_needed(address, again) from None
            raise unreachable(address, again) from None
    accounts.sign_in(None)
    database.initialize(target)
    store = ServerStore(address=address)
    records.announce_to(store.changes)
    records.on_write = server_changes.note_write
    try:
        accounts.check_admitted(store.connection, str(address))
        version, foreign = migrations.server_state(store.connection)
        if foreign:
            raise errors.EnvironmentProblem(
                "Not a QMS Desktop database",
                f"The database {address} already holds tables that QMS Desktop did not make; "
                "it was left as it is.",
                "Give the name of an empty database, or of one QMS Desktop made.",
            )
        if version > migrations.SCHEMA_VERSION:
            raise errors.EnvironmentProblem(
                "Made by a newer version",
                f"The database {address} has data format {version}; this QMS Desktop "
                f"reads up to {migrations.SCHEMA_VERSION}. Nothing was changed.",
                "Update QMS Desktop on this computer to the version the others use.",
            )
        if version < migrations.SCHEMA_VERSION:
            if version and not accounts.is_administrator(store.connection):
                raise errors.EnvironmentProblem(
                    "Update waiting",
                    f"The database {address} has data format {version} and this QMS "
                    f"Desktop uses {migrations.SCHEMA_VERSION}; only its administrator (who "
                    "owns its tables) can update it. Nothing was changed.",
                    "Ask the administrator to open it once with this version.",
                )
            store.migrated_from = version
            migrations.apply_pending_on_server(store.connection)
        # Signed in as the login role the connection uses, never as a typed name.
        accounts.sign_in(accounts.identify(store.connection, str(address)))
    except peewee.OperationalError as exc:
        store.close()
        raise unreachable(address, exc) from None
    except BaseException:
        with contextlib.suppress(peewee.DatabaseError):
            store.close()
        raise
    return store


def check(store: ServerStore) -> CheckResult:
    """`db.check` for a server: what a file's integrity and link checks are for is the
    server's own business (it enforces every link as it is written), so this checks that
    the database is ours and current, its tables, and the evidence (evidence.py)."""
    from qms_desktop import evidence  # reads every record: only when checking
    from qms_desktop.db import CheckResult
    from qms_desktop.models import ALL_MODELS

    result = CheckResult()
    # evidence.py is typed for sqlite3's connection; this one takes the same calls.
    connection: Any = store.connection
    version, foreign = migrations.server_state(connection)
    result.add(not foreign, "Database marked as a QMS Desktop database")
    result.add(version == migrations.SCHEMA_VERSION,
               f"Data format version {version} (this app: {migrations.SCHEMA_VERSION})")
    existing = {row[0] for row in connection.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")}
    missing = [m._meta.table_name for m in ALL_MODELS if m._meta.table_name not in existing]
    result.add(not missing, "All tables present" if not missing else f"Missing: {missing}")
    if not missing and version == migrations.SCHEMA_VERSION:
        verdict = evidence.verify(connection)
        result.add(verdict.sound, "Change history: " + verdict.report())
    return result


# --- While the window is open ---------------------------------------------------------------


def is_lost_connection(exc: BaseException) -> bool:
    """Whether `exc` is the open server's connection failing (the server restarted, the
    network went): not a refusal of the data, so the same save may simply be tried again."""
    return isinstance(exc, peewee.OperationalError | peewee.InterfaceError) and isinstance(
        database.obj, ServerDatabase)


def open_address() -> ServerAddress | None:
    """The server the records are open on; None on a file."""
    target = database.obj
    return ServerAddress.parse(target.database) if isinstance(target, ServerDatabase) else None


def reconnect() -> None:
    """Forget a connection the server ended and make a new one, with the same address and
    password; the unreachable problem while the server cannot be reached."""
    target = database.obj
    if not isinstance(target, ServerDatabase):
        return
    with contextlib.suppress(peewee.DatabaseError):  # a dead connection may not close well
        target.close()
    try:
        target.connect()
    except peewee.OperationalError as exc:
        raise unreachable(ServerAddress.parse(target.database), exc) from None


def new_connection() -> ServerConnection:
    """A connection of its own to the open server (for a check run on another thread)."""
    target = database.obj
    if not isinstance(target, ServerDatabase):
        raise TypeError("the records are not open on a server")
    return target._connect()


def open_instead(current: db.Store | ServerStore,
                 open_new: Callable[[], ServerStore]) -> ServerStore:
    """Open a server in place of the open `current` database (the window connecting
    elsewhere): `current` is closed only once the new one is open; when that fails,
    `current` stays open and in use, and the problem is raised."""
    previous, signed_in = database.obj, accounts.signed_in()
    try:
        opened = open_new()
    except BaseException:
        database.initialize(previous)
        records.announce_to(current.changes)
        accounts.sign_in(signed_in)  # still the same person on `current`
        raise
    new_target = database.obj
    database.initialize(previous)  # each store closes whatever `database` points at
    try:
        current.close()
    finally:
        database.initialize(new_target)
    return opened
