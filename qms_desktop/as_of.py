"""The records as they stood at a moment, rebuilt from the change history.

`records_as_of(moment)` makes a database in memory with the schema of the real migrations,
fills it with every record replayed from the history up to `moment` (the replay the
evidence check uses), the settings of then and the history entries up to then, binds the
models to it and stands the clock at `moment` for the block. Anything that reads through the
models inside the block (a review pack's assembly, the readiness findings) describes the
records as they stood; the user's file is only read.

File contents are not kept in the history, only their size and SHA-256: a blob is taken from
the live row while it still matches that description, else it is left empty and named in
`AsOf.missing_files`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import (
    BlobField,
    BooleanField,
    DateField,
    DateTimeField,
    Field,
    ForeignKeyField,
    SqliteDatabase,
)

from qms_desktop import clock, evidence, history_chain, migrations
from qms_desktop.models import (
    ALL_MODELS,
    BOOKKEEPING_FIELDS,
    RECORD_MODELS,
    REFERENCED_MODELS,
    ChangeHistory,
    Record,
    Setting,
    database,
    on_server,
)
from qms_desktop.records import _plain as history_value  # as the history keeps values


@dataclass
class AsOf:
    """What a `records_as_of` block stands on."""

    moment: dt.datetime  # UTC, naive, as history timestamps are stored
    records: int = 0
    entries: int = 0
    # (table, record id, column) of each file whose content has changed since: left empty.
    missing_files: list[tuple[str, str, str]] = field(default_factory=list)


def cut_off_moment(day: dt.date) -> dt.datetime:
    """The last second of `day` in the user's time zone, in UTC (naive, to the second), as
    history timestamps are stored."""
    local_end = dt.datetime.combine(day, dt.time(23, 59, 59)).astimezone()
    return local_end.astimezone(dt.UTC).replace(tzinfo=None)


@contextmanager
def records_as_of(moment: dt.datetime, keep_live: Iterable[Record] = ()) -> Iterator[AsOf]:
    """The models read the records as they stood at `moment` (UTC, naive) inside the block,
    and the clock stands at it.

    `keep_live` records (a review being closed, say) are copied as they are now instead:
    what the meeting decided may have been typed in after its day.
    """
    live = database.connection()
    past = SqliteDatabase(":memory:", pragmas={"foreign_keys": 0}, uri=True)
    past.connect()
    try:
        connection = past.connection()
        migrations.apply_pending(connection)
        connection.execute("PRAGMA foreign_keys = OFF")  # the steps turn them back on
        connection.execute("PRAGMA journal_mode = OFF")  # a copy thrown away after use
        state = AsOf(moment=moment)
        until = str(history_chain.timestamp(moment.replace(microsecond=0)))
        # The indexes are made again once the rows are in: faster than keeping them up to date.
        indexes = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = "
                                     "'index' AND sql IS NOT NULL").fetchall()
        # Another connection cannot see writes not yet committed (the sample's, say).
        live_file = None if database.in_transaction() else _live_file()
        if live_file is not None:
            connection.execute(f'ATTACH DATABASE ? AS "{LIVE_ALIAS}"', (live_file,))
        with past.atomic():
            for name, _sql in indexes:
                connection.execute(f'DROP INDEX "{name}"')
            _fill(live, connection, until, state, live_file)
            _references_given_since(live, connection)
            for record in keep_live:
                _copy_live_row(live, connection, type(record), str(record.id))
            for _name, sql in indexes:
                connection.execute(sql)
        if live_file is not None:
            connection.execute(f'DETACH DATABASE "{LIVE_ALIAS}"')
        # Nothing inside may write: a write would land in the copy while its history entry
        # went to the user's file. The file refuses writes for the block.
        with _writes_refused(live), past.bind_ctx(ALL_MODELS), \
                clock.stopped_at(moment.replace(tzinfo=dt.UTC)):
            yield state
    finally:
        past.close()


LIVE_ALIAS = "live_file"


@contextmanager
def _writes_refused(live: Any) -> Iterator[None]:
    """The live database refuses writes inside the block: a file through SQLite's
    query_only, a PostgreSQL server by a read-only setting undone when the block ends (in
    a savepoint when a transaction is open, whose rollback restores the setting)."""
    if isinstance(live, sqlite3.Connection):
        was_query_only = live.execute("PRAGMA query_only").fetchone()[0]
        live.execute("PRAGMA query_only = ON")
        try:
            yield
        finally:
            live.execute(f"PRAGMA query_only = {int(bool(was_query_only))}")
    elif database.in_transaction():
        live.execute('SAVEPOINT "as_of_read_only"')
        live.execute("SET LOCAL transaction_read_only = on")
        try:
            yield
        finally:
            live.execute('ROLLBACK TO SAVEPOINT "as_of_read_only"')
            live.execute('RELEASE SAVEPOINT "as_of_read_only"')
    else:
        live.execute("SET default_transaction_read_only = on")
        try:
            yield
        finally:
            live.execute("SET default_transaction_read_only = off")


def _fill(live: sqlite3.Connection, target: sqlite3.Connection, until: str,
          state: AsOf, live_file: str | None) -> None:
    history = evidence.history_until(live, until)
    models: dict[str, type[Record] | None] = {m._meta.table_name: m for m in RECORD_MODELS}
    models[Setting._meta.table_name] = None
    for table in sorted(models):  # the history is read in table name order
        model = models[table]
        if model is None:
            target.executemany(
                f'INSERT INTO "{table}" ("key", "value") VALUES (?, ?)',
                [(k, v) for k, v in evidence.settings_as_of(history).items()
                 if isinstance(v, str)])
            continue
        _fill_table(live, target, model, evidence.table_as_of(history, model), state)
    columns = ", ".join(f'"{f.column_name}"' for f in ChangeHistory._meta.sorted_fields)
    before = target.total_changes
    select = f"SELECT {columns} FROM %s change_history WHERE changed_at <= ? ORDER BY id"
    if live_file is not None:
        # Copied by SQLite itself from the file, read-only: a large history in a second.
        target.execute(f"INSERT INTO change_history ({columns}) "
                       + select % f'"{LIVE_ALIAS}".', (until,))
    else:
        marks = ", ".join("?" * len(ChangeHistory._meta.sorted_fields))
        target.executemany(f"INSERT INTO change_history ({columns}) VALUES ({marks})",
                           live.execute(select % "", (until,)))
    state.entries = target.total_changes - before


def _live_file() -> str | None:
    """The user's file as a read-only URI, when it is a file (not a database in memory,
    nor a server, whose rows are read over its connection)."""
    name = str(database.database or "")
    if on_server() or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return f"{Path(name).resolve().as_uri()}?mode=ro"


def _references_given_since(live: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """A reference is given once and never changes (records.update refuses to), so one
    given after the moment, by the schema step that numbered the rows of an older file,
    names the same record then: the copy takes it from the file."""
    for model in REFERENCED_MODELS:
        table = model._meta.table_name
        if target.execute(f'SELECT 1 FROM "{table}" WHERE "reference" = \'\' LIMIT 1'
                          ).fetchone() is None:
            continue
        target.executemany(
            f'UPDATE "{table}" SET "reference" = ? WHERE "id" = ? AND "reference" = \'\'',
            live.execute(f'SELECT "reference", "id" FROM "{table}" WHERE "reference" != \'\''))


def _fill_table(live: sqlite3.Connection, target: sqlite3.Connection, model: type[Record],
                rows: Iterator[tuple[str, dict[str, Any], list[evidence.Step]]],
                state: AsOf) -> None:
    table = model._meta.table_name
    by_name = {(f.column_name if isinstance(f, ForeignKeyField) else f.name): f
               for f in model._meta.sorted_fields}
    stored = {name: _storer(f) for name, f in by_name.items()}
    blobs = [name for name, f in by_name.items() if isinstance(f, BlobField)]
    batches: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for record_id, values, steps in rows:
        row: dict[str, Any] = {}
        for name, value in values.items():
            if name not in stored or name in BOOKKEEPING_FIELDS:
                continue
            if value is evidence.ARCHIVED:
                value = next(s.changed_at for s in reversed(steps) if s.operation == "archive")
            store = stored[name]
            row[name] = value if store is None or value is None else store(value)
        for name in blobs:
            if name in row:
                row[name] = _blob(live, table, record_id, by_name[name], values[name], state)
        row["created_at"] = history_chain.timestamp(steps[0].changed_at)
        row["updated_at"] = history_chain.timestamp(steps[-1].changed_at)
        row["id"] = record_id
        names = tuple(row)
        batches.setdefault(names, []).append(tuple(row.values()))
        state.records += 1
    for names, values_list in batches.items():
        columns = ", ".join(f'"{by_name[n].column_name}"' for n in names)
        marks = ", ".join("?" * len(names))
        target.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values_list)


def _storer(model_field: Field) -> Any:
    """How a value as the history keeps it is stored in the column (as peewee stores it);
    None: as it is."""
    if isinstance(model_field, DateTimeField):
        return history_chain.timestamp
    if isinstance(model_field, DateField):
        return _day
    if isinstance(model_field, BooleanField):
        return lambda v: int(v) if isinstance(v, bool) else v
    return None


def _day(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 10:
        try:
            return dt.datetime.fromisoformat(value).date().isoformat()
        except ValueError:
            return value
    return value


def _blob(live: sqlite3.Connection, table: str, record_id: str, model_field: Field,
          described: Any, state: AsOf) -> bytes | None:
    """The live content when it is still the one the history describes, else empty."""
    if described is None:
        return None
    found = live.execute(f'SELECT "{model_field.column_name}" FROM "{table}" WHERE id = ?',
                         (record_id,)).fetchone()
    if found is not None and found[0] is not None and history_value(found[0]) == described:
        return bytes(found[0])
    state.missing_files.append((table, record_id, model_field.column_name))
    return b""


def _copy_live_row(live: sqlite3.Connection, target: sqlite3.Connection,
                   model: type[Record], record_id: str) -> None:
    table = model._meta.table_name
    cursor = live.execute(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,))
    row = cursor.fetchone()
    target.execute(f'DELETE FROM "{table}" WHERE id = ?', (record_id,))
    if row is None:
        return
    names = [d[0] for d in cursor.description]
    columns = ", ".join(f'"{n}"' for n in names)
    target.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(row))})',
                   row)
    values = dict(zip(names, row, strict=True))
    # What it points at is there too (a chair added after the day, say), or reading the
    # link inside the block would fail.
    for link in model._meta.refs:
        target_id = values.get(link.column_name)
        rel_model = link.rel_model
        if target_id is None or not issubclass(rel_model, Record):
            continue
        rel_table = rel_model._meta.table_name
        if target.execute(f'SELECT 1 FROM "{rel_table}" WHERE id = ?',
                          (target_id,)).fetchone() is None:
            _copy_live_row(live, target, rel_model, str(target_id))
