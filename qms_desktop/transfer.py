"""Moving the records between a file and a server: `copy` either way, and a server's backup
into an SQLite file.

Every table of models.ALL_MODELS is copied row for row: the same ids and values, and the
change history with its hashes, so the chain verifies on the copy. Each side is opened the
normal way (db.open_database, server.open_server), so both are made and migrated by the
real migrations and the source is at the current schema version. The rows are read and
written through peewee with the models bound to one engine, then the other
(`Database.bind_ctx`), so each engine's column types convert as its own queries do
(booleans, dates, blobs). The tables go in the order of their links (peewee's
`sort_models`), in one transaction on the target (INSERTs in batches into a file, COPY
into a server): a copy that stops half-way leaves the target as it was. The schema's own
bookkeeping (the version number, the mark that the database is ours) is made by the
migrations; there is nothing else to carry.

A server is read in one REPEATABLE READ, READ ONLY transaction, so the copy is one moment
of the records while others keep working. The same snapshot is then checked and exported
for the verification, so a change made meanwhile by someone else is not taken for a fault.

Afterwards both sides are checked (`check`), every table is compared row for row, and the
exports of both must be equal.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import peewee

from qms_desktop import accounts, db, errors, export, files, migrations, records, server
from qms_desktop.models import ALL_MODELS, BaseModel, database

_sort_models: Any = getattr(peewee, "sort_models")  # noqa: B009 (not in peewee's stubs)
# Turns a driver's error into peewee's own, as its queries do (for the server's COPY).
_AS_PEEWEE_ERRORS: Any = getattr(peewee, "__exception_wrapper__")  # noqa: B009 (untyped)

# A copy's source or target: a database file, or a database on a server.
Location = Path | server.ServerAddress
AskPassword = Callable[[server.ServerAddress], str]
# Told each table's name and its row count as the table is reached.
Progress = Callable[[str, int], None]

# Rows per INSERT; SQLite takes at most 32766 values in one statement.
BATCH_ROWS = 1000
_MOST_VALUES = 32_000


class Refused(Exception):
    """The copy would write over records or onto its own source; nothing was written."""


@dataclass
class CopyReport:
    """What a copy or a backup moved, and what the verification found."""

    source: str
    target: str
    counts: dict[str, int]  # rows per table, in the order copied
    source_check: db.CheckResult
    target_check: db.CheckResult
    tables_differing: list[str] = field(default_factory=list)
    exports_differing: list[str] = field(default_factory=list)  # sheets of the export
    # What the user should do next, though the copy is whole (accounts' sign-ins, say).
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def verified(self) -> bool:
        return (self.source_check.sound and self.target_check.sound
                and not self.tables_differing and not self.exports_differing)

    def findings(self) -> list[tuple[bool, str]]:
        """The verification as (passed, sentence) pairs, checks' own findings included."""
        found: list[tuple[bool, str]] = []
        for side, result in (("source", self.source_check), ("copy", self.target_check)):
            problems = [text for ok, text in result.findings if not ok]
            found.append((result.sound, f"check of the {side}: "
                          + ("sound" if result.sound else "; ".join(problems))))
        found.append((not self.tables_differing,
                      f"every table holds the same {self.rows:,} rows on both"
                      if not self.tables_differing else
                      f"tables that differ: {', '.join(self.tables_differing)}"))
        found.append((not self.exports_differing,
                      "the exports of both are equal" if not self.exports_differing else
                      f"the exports differ in: {', '.join(self.exports_differing)}"))
        return found


def location(text: str | Location) -> Location:
    """A file's path or a server's address, as given on the command line."""
    if isinstance(text, server.ServerAddress):
        return text
    if isinstance(text, str) and server.is_server_address(text):
        return server.ServerAddress.parse(text)  # refuses a password in it
    return Path(text).expanduser().absolute()


def shown(where: Location) -> str:
    return str(where)


# --- One side of a copy, open ------------------------------------------------------------------


@dataclass
class _Side:
    where: Location
    store: db.Store | server.ServerStore
    engine: peewee.Database

    @property
    def is_server(self) -> bool:
        return isinstance(self.store, server.ServerStore)


@contextlib.contextmanager
def _pointing_at(engine: peewee.Database | None) -> Iterator[None]:
    """models.database (the proxy every model and check reads through) on `engine` for the
    block; the two sides of a copy are open at once, and opening one points it there."""
    before = database.obj
    database.initialize(engine)
    try:
        yield
    finally:
        database.initialize(before)


@contextlib.contextmanager
def _opened(where: Location, ask_password: AskPassword | None, *,
            is_target: bool) -> Iterator[_Side]:
    """`where` opened the normal way (made and migrated as needed), closed afterwards."""
    store: db.Store | server.ServerStore
    if isinstance(where, Path):
        if not is_target:
            _must_be_a_file(where)
        # A target that is there already is taken only when it is a database without
        # records; one holding records is refused before it is opened (and so migrated).
        store = db.open_database(where, start_new=is_target)
    else:
        store = server.open_server(where, ask_password=ask_password)
    side = _Side(where, store, database.obj)
    try:
        yield side
    finally:
        with _pointing_at(side.engine):
            store.close()


def _must_be_a_file(path: Path) -> None:
    if not path.is_file():
        if not path.parent.is_dir():
            raise errors.missing_folder(path)
        raise errors.EnvironmentProblem(
            "No database", f"There is no database at {path}.",
            "Check the path: the source of a copy must be a QMS Desktop database.")


def _refuse_same(source: Location, target: Location) -> None:
    if isinstance(source, Path) and isinstance(target, Path):
        same = source.resolve() == target.resolve() or (
            target.exists() and source.exists() and target.samefile(source))
    elif isinstance(source, server.ServerAddress) and isinstance(target, server.ServerAddress):
        same = (source.host, source.port, source.dbname) == \
            (target.host, target.port, target.dbname)
    else:
        same = False
    if same:
        raise Refused(f"{shown(source)} is both the source and the target; copy into a new "
                      "file or an empty database.")


def _file_holds_records(path: Path) -> dict[str, int]:
    """Rows per table of ours that the file at `path` holds, where any (none for a file
    not there, empty or not a database: opening refuses those with its own reason). Reads
    only."""
    if not path.is_file() or path.stat().st_size == 0:
        return {}
    try:
        # immutable: a read-only connection would still leave a -wal and a -shm beside a
        # file in WAL mode. What sits in a -wal is counted after opening, as a last word.
        probe = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return {}
    try:
        tables = {row[0] for row in probe.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {table: int(probe.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
                  for model in ALL_MODELS if (table := model._meta.table_name) in tables}
        return {table: rows for table, rows in counts.items() if rows}
    except sqlite3.Error:
        return {}
    finally:
        probe.close()


def _not_empty(where: Location, held: dict[str, int]) -> Refused:
    rows = sum(held.values())
    tables = ", ".join(f"{table} {count:,}" for table, count in list(held.items())[:3])
    more = ", ..." if len(held) > 3 else ""
    other = ("a new file" if isinstance(where, Path) else
             "the name of an empty database (or a new file)")
    return Refused(f"{shown(where)} already holds {rows:,} row{'s' if rows != 1 else ''} "
                   f"({tables}{more}); a copy goes into a new file or an empty database, so "
                   f"nothing was written. Give {other}.")


# --- Copying ----------------------------------------------------------------------------------


def copy(source: str | Location, target: str | Location, *,
         ask_password: AskPassword | None = None,
         progress: Progress | None = None) -> CopyReport:
    """Copy every record of `source` into the new or empty `target` (a file or a server's
    address each), then verify the copy; see the module's docstring.

    Raises Refused for a target that holds records or is the source itself, and
    EnvironmentProblem for what stops either side being opened or the copy being written
    (nothing is then written to the target).
    """
    source_at, target_at = location(source), location(target)
    _refuse_same(source_at, target_at)
    if isinstance(target_at, Path) and (held := _file_holds_records(target_at)):
        raise _not_empty(target_at, held)
    # A file this copy makes is removed again when the copy does not finish.
    made_here = target_at if isinstance(target_at, Path) and not target_at.exists() else None
    # Each side's opening points models.database at it; afterwards it points where it did.
    with _pointing_at(database.obj), _said_plainly(target_at), \
            _opened(source_at, ask_password, is_target=False) as from_side:
        if not _rows_in(from_side.engine):
            # A name mistyped for one that exists, most likely: no target made for it.
            raise Refused(f"{shown(source_at)} holds no records, so there is nothing to "
                          "copy. Check the name of the source.")
        try:
            with _opened(target_at, ask_password, is_target=True) as to_side:
                held = _rows_in(to_side.engine)
                if held:
                    raise _not_empty(target_at, held)
                with _snapshot(from_side):
                    counts = _copy_rows(from_side.engine, to_side.engine, target_at, progress)
                    report = _verify(from_side, to_side, counts)
                missing = _sign_ins_missing(to_side) if counts.get(accounts.ACCOUNT_TABLE) \
                    else []
        except BaseException:
            if made_here is not None:
                _remove_file(made_here)
            raise
    if isinstance(target_at, server.ServerAddress) and counts.get(accounts.ACCOUNT_TABLE):
        report.notes.append(_sign_ins_stay_behind(counts[accounts.ACCOUNT_TABLE],
                                                  target_at, missing))
    return report


def _sign_ins_missing(side: _Side) -> list[str]:
    """On a server target, its groups and their grants made (where the one copying may make
    roles), and the accounts' logins with no sign-in there."""
    if not isinstance(side.store, server.ServerStore):
        return []
    with _pointing_at(side.engine), side.engine.atomic():
        accounts.set_up_groups(side.store.connection, quietly=True)
        return accounts.without_sign_in()


def _sign_ins_stay_behind(accounts_copied: int, target: Location,
                          missing: list[str]) -> str:
    # The address as given (a socket folder's path stays %-encoded, as a command takes it).
    given = target.url if isinstance(target, server.ServerAddress) else target
    commands = "".join(f"\n  {accounts.password_command(given, login)}" for login in missing)
    return (f"{accounts_copied:,} account{'s were' if accounts_copied != 1 else ' was'} "
            "copied, but a sign-in (the login and its password) is kept by the server it "
            "was made on, never in the records"
            + (": give each person a password here, which gives them their sign-in again:"
               + commands if missing else "; every account's login signs in here already."))


def backup_server(store: server.ServerStore, target_file: Path | str, *,
                  progress: Progress | None = None) -> CopyReport:
    """A consistent SQLite copy of the open server database `store` at `target_file`,
    replacing any file there only once it is whole and passes SQLite's quick_check; then
    verified as a copy is (the file opened the normal way, checked, and exported)."""
    target = Path(target_file).expanduser().absolute()
    if not target.parent.is_dir():
        raise errors.missing_folder(target)
    engine = database.obj
    from_side = _Side(store.address, store, engine)
    try:
        with _said_plainly(target), _snapshot(from_side):
            with db.environment_errors(target), files.written_in_place_of(target) as partial:
                counts = _write_new_file(engine, partial, target, progress)
            with _opened(target, None, is_target=True) as to_side:
                return _verify(from_side, to_side, counts)
    finally:
        database.initialize(engine)
        records.announce_to(store.changes)  # opening the file pointed the changes there


def _write_new_file(engine: peewee.Database, partial: Path, target: Path,
                    progress: Progress | None) -> dict[str, int]:
    """Make the empty file `partial` a database of our schema holding `engine`'s rows.

    Made here rather than through db.open_database: the partial name is this process's
    own, so it needs no lock (which would leave a lock file beside it)."""
    file_engine = peewee.SqliteDatabase(str(partial), pragmas=db.PRAGMAS)
    file_engine.connect()
    try:
        migrations.apply_pending(file_engine.connection())
        counts = _copy_rows(engine, file_engine, target, progress)
        file_engine.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        file_engine.close()
    checking = sqlite3.connect(partial)
    try:
        verdict = checking.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        checking.close()
    if verdict != "ok":
        raise errors.not_a_database(target, f"the copy failed SQLite's quick check: {verdict}")
    return counts


@contextlib.contextmanager
def _snapshot(side: _Side) -> Iterator[None]:
    """One read transaction on the source for the copy and its verification: on a server
    REPEATABLE READ and READ ONLY (one moment of the records, while others go on writing);
    a file is held by its lock, so nobody writes it meanwhile."""
    with side.engine.atomic():
        if side.is_server:
            side.engine.execute_sql(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _tables() -> list[type[BaseModel]]:
    """Every table, a table after those its rows link to."""
    ordered: list[type[BaseModel]] = _sort_models(ALL_MODELS)
    return ordered


def _bound(engine: peewee.Database) -> Any:
    """Every model on `engine` for the block (they are all bound, so peewee need not walk
    their links to find the others: that walk took half the time of a copy)."""
    return engine.bind_ctx(ALL_MODELS, bind_refs=False, bind_backrefs=False)


def _rows_in(engine: peewee.Database) -> dict[str, int]:
    """Rows per table that `engine` holds, where any."""
    with _bound(engine):
        counts = {model._meta.table_name: model.select().count() for model in ALL_MODELS}
    return {table: rows for table, rows in counts.items() if rows}


def _copy_rows(source: peewee.Database, target: peewee.Database, target_at: Location,
               progress: Progress | None) -> dict[str, int]:
    """Insert every row of `source` into `target` in one transaction there; rows per table.

    A row the target refuses (a text too long for its column on a server, say) stops the
    copy with a plain problem, and the transaction leaves the target as it was."""
    counts: dict[str, int] = {}
    table = ""
    try:
        with target.atomic():
            for model in _tables():
                table = model._meta.table_name
                fields = model._meta.sorted_fields
                with _bound(source):
                    total = model.select().count()
                    rows = model.select(*fields).order_by(*_key(model)).tuples().iterator()
                if progress is not None:
                    progress(table, total)
                if isinstance(target, server.ServerDatabase):
                    counts[table] = _copy_into_server(target, model, rows)
                    continue
                counts[table] = 0
                batch = max(1, min(BATCH_ROWS, _MOST_VALUES // len(fields)))
                for chunk in peewee.chunked(rows, batch):
                    with _bound(target):
                        model.insert_many(chunk, fields=fields).as_rowcount().execute()
                    counts[table] += len(chunk)
    except (peewee.IntegrityError, peewee.DataError, peewee.ProgrammingError) as refused:
        if "permission denied" in str(refused):  # a server's grants (accounts.py)
            raise errors.EnvironmentProblem(
                "Not allowed",
                f"The copy was not allowed to read or write {table}: {errors.first_line(refused)}. "
                "Nothing was copied.",
                "Copy as the administrator of the server's database (the login that owns "
                "its tables).",
            ) from refused
        raise errors.EnvironmentProblem(
            "Copy stopped",
            f"{shown(target_at)} refused a row of {table}: {errors.first_line(refused)}. "
            "Nothing was copied.",
            "Run `check` on the source; if it is sound, report the row that was refused.",
        ) from refused
    return counts


@contextlib.contextmanager
def _said_plainly(target_at: Location) -> Iterator[None]:
    """A database that stops answering half-way (a server gone, a full disk) as a problem
    the user can act on, instead of a driver's error."""
    try:
        yield
    except (peewee.OperationalError, peewee.InterfaceError) as lost:
        if isinstance(target_at, Path) and (
                problem := errors.from_exception(lost, target_at)) is not None:
            raise problem from lost
        raise errors.EnvironmentProblem(
            "Copy stopped",
            f"A database stopped answering during the copy to {shown(target_at)}: "
            f"{errors.first_line(lost)}. A copy that had not finished left nothing there.",
            "Check that both can be reached, then copy again; if the target holds the "
            "records by now, run `check` on it instead.",
        ) from lost


def _copy_into_server(target: server.ServerDatabase, model: type[BaseModel],
                      rows: Iterator[tuple[Any, ...]]) -> int:
    """The rows of one table streamed into the server with PostgreSQL's COPY, each value
    converted by its field for the server as an INSERT would: a third of the time of
    INSERTs of a thousand rows, which PostgreSQL parses and plans one by one."""
    fields = model._meta.sorted_fields
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    written = 0
    untyped: Any = target  # peewee's connection() has no annotations
    connection: server.ServerConnection = untyped.connection()
    with _bound(target), _AS_PEEWEE_ERRORS, connection.cursor().copy(
            f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN') as stream:
        for row in rows:
            stream.write_row([f.db_value(value) for f, value in zip(fields, row, strict=True)])
            written += 1
    return written


def _key(model: type[BaseModel]) -> list[peewee.Field]:
    key = model._meta.primary_key
    return [key] if isinstance(key, peewee.Field) else []


def _remove_file(path: Path) -> None:
    """A file this copy made, and its journal, when the copy did not finish."""
    for made in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            made.unlink()


# --- Verifying --------------------------------------------------------------------------------


def _verify(source: _Side, target: _Side, counts: dict[str, int]) -> CopyReport:
    checks, digests, exported = [], [], []
    with tempfile.TemporaryDirectory(prefix="qms-copy-") as folder:
        for number, side in enumerate((source, target)):
            with _pointing_at(side.engine):
                if isinstance(side.store, server.ServerStore):
                    checks.append(server.check(side.store))
                else:
                    checks.append(db.check(side.store))
                digests.append(_table_digests(side.engine))
                out = Path(folder) / f"{number}.json"
                export.export(out, "json")
                exported.append(_registers(out))
    return CopyReport(
        source=shown(source.where), target=shown(target.where), counts=counts,
        source_check=checks[0], target_check=checks[1],
        tables_differing=[t for t in digests[0] if digests[0][t] != digests[1].get(t)],
        exports_differing=[sheet for sheet in exported[0].keys() | exported[1].keys()
                           if exported[0].get(sheet) != exported[1].get(sheet)],
    )


def _registers(path: Path) -> dict[str, Any]:
    registers: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["registers"]
    return registers


def _table_digests(engine: peewee.Database) -> dict[str, str]:
    """A fingerprint of each table's rows as Python values (each engine's own conversion),
    so a file and a server holding the same rows give the same one."""
    digests: dict[str, str] = {}
    with _bound(engine):
        for model in ALL_MODELS:
            digest = hashlib.sha256()
            query = model.select(*model._meta.sorted_fields).order_by(*_key(model)).tuples()
            for row in query.iterator():
                digest.update(repr(tuple(
                    bytes(value) if isinstance(value, memoryview) else value
                    for value in row)).encode())
            digests[model._meta.table_name] = digest.hexdigest()
    return digests
