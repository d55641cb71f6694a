"""Every write goes through here: the change and its history row in one transaction.

Area services (policy, people, risks...) call `create`, `update`, `archive` and `unarchive`
rather than saving models themselves, so the change history can never be skipped.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from peewee import ForeignKeyField, IntegrityError, Model

from qms_desktop import accounts, formatting, history_chain, references

# As field_rules: update() has a local list named `fields`.
from qms_desktop import fields as field_rules
from qms_desktop.changes import ChangeFeed
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.models import (
    BOOKKEEPING_FIELDS,
    ChangeHistory,
    Record,
    Setting,
    database,
    field_label,
    on_server,
    utc_now,
)

R = TypeVar("R", bound=Record)

USER_NAME_KEY = "user_name"
# Why a record was made, in its "create" entry (and why it changed, in an "update" entry of a
# record with a field called "reason"): "reason" would read as that field.
CREATE_REASON = "change_reason"


def get_setting(key: str, default: str = "") -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else default


def set_setting(key: str, value: str) -> None:
    _require_write(Setting)
    field_rules.clean(Setting, {"key": key, "value": value})
    with database.atomic():
        take_turn()
        old = get_setting(key, default="")
        # An upsert both engines take (PostgreSQL has no INSERT OR REPLACE).
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], preserve=[Setting.value]).execute()
        _log("setting", key, "update", {key: [old, value]})


def current_user() -> str:
    """The name recorded as "who" in the change history: on a server the signed-in person,
    never a typed name; on a file the name set, or the OS login until one is set."""
    who = accounts.signed_in()
    if who is not None:
        return who.name
    name = get_setting(USER_NAME_KEY)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _require_write(model: type[Model]) -> None:
    """Every write is checked here, before anything is written: the signed-in user's role
    must let them change the table (accounts.py; always on a file)."""
    accounts.require(accounts.WRITE + model._meta.table_name)


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        # File contents stay out of the history: their size and hash identify them.
        data = bytes(value)
        return f"<{len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}>"
    if isinstance(value, Model):
        return value.get_id()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _key(field: Any) -> str:
    return str(field.column_name if isinstance(field, ForeignKeyField) else field.name)


def _field_values(record: Record) -> dict[str, Any]:
    values = {}
    for name, field in record._meta.fields.items():
        if name in BOOKKEEPING_FIELDS:
            continue
        values[_key(field)] = _plain(record.__data__.get(name))
    return values


def history_values(model: type[Record], values: dict[str, Any]) -> dict[str, Any]:
    """What a "create" entry keeps of a row given as field values (defaults filled in), the
    same as `create` writes; for bulk writers that insert rows themselves."""
    kept = {}
    for name, key, default in _history_fields(model):
        value = values.get(name, _NO_VALUE)
        if value is _NO_VALUE:
            value = default() if callable(default) else default
        # Plain values as they are, without _plain's checks: the large sample has 800,000.
        kept[key] = value if type(value) in _PLAIN_TYPES else _plain(value)
    return kept


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})
_NO_VALUE = object()


@functools.cache
def _history_fields(model: type[Record]) -> tuple[tuple[str, str, Any], ...]:
    return tuple((name, _key(field), field.default)
                 for name, field in model._meta.fields.items()
                 if name not in BOOKKEEPING_FIELDS)


def history_text(changes: dict[str, Any]) -> str:
    """The stored form of an entry's changes (the hash chain seals this text)."""
    return _HISTORY_JSON.encode(changes)


_HISTORY_JSON = json.JSONEncoder(ensure_ascii=False, default=str, sort_keys=True)


# (when, who) for the entries written inside `history_as`; None: now, and the current user.
_history_stamp: ContextVar[tuple[dt.datetime | None, str | None]] = ContextVar(
    "history_stamp", default=(None, None))


@contextmanager
def history_as(when: dt.datetime | None = None, who: str | None = None) -> Iterator[None]:
    """Entries written inside say `when` and `who` instead of now and the current user.

    For the sample company, which writes a firm's past: it dates the entries as it writes
    them, so the history is never rewritten after being sealed.
    """
    token = _history_stamp.set((when, who))
    try:
        yield
    finally:
        _history_stamp.reset(token)


# --- Telling the screens ----------------------------------------------------------------------

_feed = ChangeFeed()
# The batch of the transaction under way, and that transaction: a new outermost transaction
# (after a commit or a rollback) starts a new batch, so a rolled-back write is never announced.
_batch: dict[str, set[str]] = {}
_batch_owner: object = None
# Told of each record written, inside its transaction: on a server, server_changes tells the
# other sessions (set by server.open_server; None on a file).
on_write: Callable[[str, str], None] | None = None


def announce_to(feed: ChangeFeed) -> None:
    """Committed writes are published on `feed` from now on (one feed per open database)."""
    global _feed
    _feed = feed


def _announce_after_commit(table: str, record_id: str) -> None:
    global _batch, _batch_owner
    if on_write is not None:
        on_write(table, record_id)
    if not database.in_transaction():
        _feed.publish({table: {record_id}})
        return
    # peewee keeps its open transactions per thread with the outermost first; it has no
    # public name for that one, and only the outermost commit makes the writes visible.
    outermost = database._state.transactions[0]
    if outermost is not _batch_owner:
        batch: dict[str, set[str]] = {}
        _batch, _batch_owner = batch, outermost
        feed = _feed

        def publish() -> None:
            global _batch_owner
            if _batch is batch:
                _batch_owner = None  # a write after this commit starts a new batch
            feed.publish(batch)

        database.after_commit(publish)
    _batch.setdefault(table, set()).add(record_id)


def log_event(table: str, record_id: str, operation: str, details: dict[str, Any]) -> None:
    """A history entry that is not a change of fields (a frozen pack's hashes, say); call it
    inside the transaction of the write it belongs to."""
    accounts.require(accounts.WRITE + table)
    _log(table, record_id, operation, details)


# The advisory lock a server's writers take turns by ("QMSW"; migrations lock another).
_WRITE_TURN = 0x514D5357


def take_turn() -> None:
    """On a server, wait for the other sessions' writes to commit before writing: the
    history's next entry (and a new reference) is read from the last one, and writers of
    different records share no row lock to keep two from reading the same last entry. Held
    to the end of the transaction; taken again in it, it is already held. Taken before the
    transaction's first row lock, so two writers never wait for each other. A file's write
    lock does the same.

    A service that reads what a form showed again, to check it before writing, calls it
    first in its transaction, so no other save comes between the check and the write."""
    if on_server():
        database.connection().execute("SELECT pg_advisory_xact_lock(?)", (_WRITE_TURN,))


def _log(table: str, record_id: str, operation: str, changes: dict[str, Any]) -> None:
    _announce_after_commit(table, record_id)
    when, who = _history_stamp.get()
    when = when or utc_now()
    who = current_user() if who is None else who
    text = history_text(changes)
    # Read in the same transaction as the write just made, which holds the write lock (the
    # turn, on a server), so no other writer can put an entry between the head read here
    # and this one.
    take_turn()
    last_id, previous = history_chain.head(database.connection())
    entry_id = last_id + 1
    ChangeHistory.insert(
        id=entry_id,
        changed_at=when,
        changed_by=who,
        table_name=table,
        record_id=record_id,
        operation=operation,
        changes=text,
        previous_hash=previous,
        row_hash=history_chain.seal(entry_id, when, who, table, record_id, operation, text,
                                    previous),
    ).execute()


@contextmanager
def _refusing_duplicates(model: type[Record]) -> Iterator[None]:
    """A row that would repeat a unique pair (one reading per KPI and period) is the caller's
    to correct, like any other broken rule; other integrity errors stay bugs."""
    try:
        yield
    except IntegrityError as exc:
        table = model._meta.table_name
        text = str(exc)
        if text.startswith(f"UNIQUE constraint failed: {table}."):
            columns = [c.split(".", 1)[1] for c in text.split(": ", 1)[1].split(", ")]
        else:
            # PostgreSQL names the index and the key: 'duplicate key value violates unique
            # constraint "<table>_..."' and 'DETAIL:  Key (kpi_id, period_start)=(...)'.
            found = re.search(r'unique constraint "(\w+)".*?Key \(([^)]*)\)=', text, re.S)
            if found is None or not found.group(1).startswith(f"{table}_"):
                raise
            columns = [c.strip().strip('"') for c in found.group(2).split(",")]
        by_column = {f.column_name: f for f in model._meta.fields.values()}
        labels = [field_label(by_column[c]) if c in by_column else c for c in columns]
        raise ValidationError(
            {columns[-1]: f"There is already a record with this {' and '.join(labels)}."}
        ) from None


def create(model: type[R], **values: Any) -> R:
    """A new record; values break no field rule (`fields`), or ValidationError and no write.

    A `change_reason` among the values goes into its history entry under CREATE_REASON (an
    import names its file); it is taken from **values so callers passing a typed dict of
    field values keep type-checking.
    """
    _require_write(model)
    change_reason = values.pop("change_reason", "")
    values = field_rules.clean(model, values, creating=True)
    if change_reason:
        field_rules.check_text("reason", change_reason, label="Reason")
    with _refusing_duplicates(model), database.atomic():
        take_turn()
        if model.reference_prefix and not values.get("reference"):
            # Read in the transaction of the insert, so no other writer takes it first.
            values["reference"] = references.next_reference(
                model, references.year_of(model, values))
        record = model(**values)
        record.save(force_insert=True)
        created = _field_values(record)
        if change_reason:
            created[CREATE_REASON] = change_reason
        _log(model._meta.table_name, record.id, "create", created)
    return record


def create_many(model: type[Record], rows: list[dict[str, Any]], *,
                change_reason: str = "") -> list[str]:
    """New records from rows of field values, as `create` would write each (defaults, a
    reference, a sealed "create" entry with the reason), in one statement per table: an
    import of 20,000 rows cannot afford a query per link and per history entry.

    Every row keeps the field rules, or ValidationError (problems by field, of the first row
    that breaks one) and no write. Links are checked with one query per linked table.
    """
    _require_write(model)
    fields = model._meta.fields
    links = {name for name, f in fields.items() if isinstance(f, ForeignKeyField)}
    needed = [name for name, f in fields.items()
              if not f.null and f.default is None and name != "id"]
    cleaned = []
    for row in rows:
        missing = {name: f"{field_label(fields[name])}: required." for name in needed
                   if row.get(name) is None}
        if missing:
            raise ValidationError(missing)
        values = field_rules.clean(model, {k: v for k, v in row.items() if k not in links})
        values.update({k: _plain(v) for k, v in row.items() if k in links})
        cleaned.append(values)
    for name in links:  # each linked table asked once for all the rows
        wanted = {v[name] for v in cleaned if v.get(name) is not None}
        target = fields[name].rel_model
        key = target._meta.primary_key
        found: set[Any] = set()
        listed = list(wanted)
        for start in range(0, len(listed), 500):
            found.update(r[0] for r in database.execute(
                target.select(key).where(key.in_(listed[start:start + 500]))))
        if wanted - found:
            unknown = sorted(map(str, wanted - found))[0]
            raise ValidationError({name: f"{field_label(fields[name])}: no {target.__name__} "
                                         f"record {unknown!r}."})
    if change_reason:
        field_rules.check_text("reason", change_reason, label="Reason")
    names = list(model._meta.sorted_field_names)
    fields_by_name = fields
    with _refusing_duplicates(model), database.atomic():
        take_turn()
        if model.reference_prefix:
            references.fill_rows(model, [v for v in cleaned if not v.get("reference")])
        stored = []
        for values in cleaned:
            for name in names:
                if name not in values:
                    default = fields_by_name[name].default
                    values[name] = default() if callable(default) else default
            stored.append(tuple(fields_by_name[n].db_value(values[n]) for n in names))
        columns = ", ".join(f'"{fields_by_name[n].column_name}"' for n in names)
        try:
            database.connection().executemany(
                f'INSERT INTO "{model._meta.table_name}" ({columns}) '
                f'VALUES ({", ".join("?" * len(names))})', stored)
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(*exc.args) from exc  # as peewee raises it, for the above
        when, who = _history_stamp.get()
        when = when or utc_now()
        who = current_user() if who is None else who
        table = model._meta.table_name
        entries = []
        for values in cleaned:
            kept = history_values(model, values)
            if change_reason:
                kept[CREATE_REASON] = change_reason
            entries.append((when, who, table, values["id"], "create", history_text(kept)))
            _announce_after_commit(table, values["id"])
        history_chain.append(database.connection(), entries)
    return [values["id"] for values in cleaned]


@contextmanager
def _kept_if_refused(record: Record) -> Iterator[None]:
    """The copy in memory as it was when a write of it is refused (rolled back): it still
    describes the row as it was read, so it is not taken for what is stored."""
    data, related = dict(record.__data__), dict(record.__rel__)
    try:
        yield
    except BaseException:
        record.__data__, record.__rel__ = data, related
        raise


# How often a write whose fields nobody else changed is tried again over a newer version
# before it is refused all the same (others keep changing other fields of the record).
_MERGE_ATTEMPTS = 5


def _write_over_own_version(record: Record, fields: list[Any], as_read: dict[str, Any]
                            ) -> None:
    """Write `fields` of `record` where the row still has the version the copy was read at,
    raising it by one. The check is in the UPDATE itself, so two writers cannot both pass it.

    When another change came first, the write still goes ahead if that change left every
    field written here as the copy read it (`as_read`: the copy's values before this
    change): only the changed fields are written, so nothing of theirs is lost (a service
    that moved an audit to "in progress" through its own copy, say). Otherwise
    RecordChanged, and the caller's transaction rolls back.
    """
    model = type(record)
    version = record.row_version
    values: dict[Any, Any] = {f: record.__data__.get(f.name) for f in fields}
    values[model.row_version] = model.row_version + 1
    # Archived or restored meanwhile is always a change to be told of.
    checked = [f for f in fields if f.name not in BOOKKEEPING_FIELDS]
    if "archived_at" not in {f.name for f in checked}:  # by name: fields overload ==
        checked.append(model.archived_at)
    for attempt in range(_MERGE_ATTEMPTS):
        written = model.update(values).where(
            (model.id == record.id) & (model.row_version == version)).execute()
        if written == 1:
            record.row_version = version + 1
            if attempt:
                _catch_up(record)
            return
        stored = model.select(model.row_version, *checked).where(model.id == record.id).first()
        if stored is None or any(stored.__data__.get(f.name) != as_read.get(f.name)
                                 for f in checked):
            break
        version = stored.row_version  # their change left these fields alone: write over it
    raise _changed_since_read(record, as_read)


def _catch_up(record: Record) -> None:
    """The copy takes the other fields as stored after a write over someone else's change:
    its version now says it has read that change, so its values must say so too."""
    stored = type(record).get_by_id(record.id)
    record.__data__ = dict(stored.__data__)
    record.__rel__ = {name: linked for name, linked in record.__rel__.items()
                      if isinstance(linked, Model)
                      and linked.get_id() == record.__data__.get(name)}


def _changed_since_read(record: Record, as_read: dict[str, Any]) -> RecordChanged:
    """Who made the change the copy missed, and when: the record's last history entry. It
    carries the copy and the values the save would have written (the copy holds them now,
    until the refusal puts back `as_read`), for a form to compare and reload."""
    table = record._meta.table_name
    mine = {name: value for name, value in record.__data__.items()
            if name not in BOOKKEEPING_FIELDS and value != as_read.get(name)}
    by, when = _last_change(table, str(record.id))
    return RecordChanged(table, str(record.id), by, when, copy=record, mine=mine)


def _last_change(table: str, record_id: str) -> tuple[str, str]:
    """Who made the last change of a record and when, as the refusal says them."""
    last = (ChangeHistory.select(ChangeHistory.changed_by, ChangeHistory.changed_at)
            .where((ChangeHistory.table_name == table) & (ChangeHistory.record_id == record_id))
            .order_by(ChangeHistory.id.desc()).first())
    return ("", "") if last is None else (last.changed_by, _when(last.changed_at))


def setting_changed(key: str) -> RecordChanged:
    """The refusal of a save of setting `key` made from a value read before someone else
    changed it (settings have no row version: the caller compares values), naming who and
    when from its last history entry."""
    by, when = _last_change("setting", key)
    return RecordChanged("setting", key, by, when)


def refuse_if_changed(copies: Sequence[Record]) -> None:
    """For a save that writes over rows as a form read them (an editor of several rows, say),
    inside its transaction and before its first write: RecordChanged, naming who changed one
    and when, if one of them is no longer at the version it was read at (or is gone).

    Takes the writers' turn first, so on a server no other save comes between this check
    and the writes (which `update` checks again in the UPDATE itself)."""
    take_turn()
    for copy in copies:
        model = type(copy)
        stored = model.select(model.row_version).where(model.id == copy.id).scalar()
        if stored != copy.row_version:
            raise _changed_since_read(copy, dict(copy.__data__))


def refusal_for(record: Record) -> RecordChanged:
    """The refusal of a save made from a form that did not see `record` as it is now (added,
    restored or changed since the form read it), naming who did that and when, as
    `refuse_if_changed` does."""
    return _changed_since_read(record, dict(record.__data__))


def _when(changed_at: dt.datetime) -> str:
    """"at 10:42 UTC" today, "on 5 January 2026 at 10:42 UTC" another day."""
    if changed_at.date() == utc_now().date():
        return f"at {changed_at:%H:%M} UTC"
    return f"on {formatting.long_date(changed_at)} at {changed_at:%H:%M} UTC"


def update(record: R, *, change_reason: str = "", **values: Any) -> R:
    """Apply `values`; history keeps [before, after] of each field that really changed.

    `change_reason` goes into the same history row (as ["", reason]), so it keeps why too.
    Values break no field rule (`fields`), or ValidationError and no write.
    """
    _require_write(type(record))
    values = field_rules.clean(type(record), values)
    if (record.reference_prefix and "reference" in values
            and values["reference"] != getattr(record, "reference")):  # noqa: B009
        raise ValidationError({"reference": "The reference is given once and never changes."})
    if change_reason:
        field_rules.check_text("reason", change_reason, label="Reason")
    with _refusing_duplicates(type(record)), _kept_if_refused(record), database.atomic():
        as_read = dict(record.__data__)
        before = _field_values(record)
        for name, value in values.items():
            setattr(record, name, value)
        after = _field_values(record)
        changed = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
        if not changed:
            return record
        record.updated_at = utc_now()
        take_turn()
        # Write only what changed, and only over the version this copy was read at.
        meta = record._meta
        fields = [f for f in meta.fields.values() if _key(f) in changed]
        _write_over_own_version(record, [*fields, meta.fields["updated_at"]], as_read)
        if change_reason:
            # Under its usual key, unless the record has a field of that name.
            key = CREATE_REASON if "reason" in record._meta.fields else "reason"
            changed[key] = ["", change_reason]
        _log(record._meta.table_name, record.id, "update", changed)
    return record


def archive(record: R) -> R:
    _require_write(type(record))
    if record.archived_at is not None:
        return record
    with _kept_if_refused(record), database.atomic():
        take_turn()
        as_read = dict(record.__data__)
        record.archived_at = utc_now()
        record.updated_at = record.archived_at
        _write_over_own_version(record, [type(record).archived_at, type(record).updated_at],
                                as_read)
        _log(record._meta.table_name, record.id, "archive",
             {"archived_at": [None, _plain(record.archived_at)]})
    return record


def unarchive(record: R) -> R:
    _require_write(type(record))
    if record.archived_at is None:
        return record
    with _kept_if_refused(record), database.atomic():
        take_turn()
        as_read = dict(record.__data__)
        record.archived_at = None
        record.updated_at = utc_now()
        _write_over_own_version(record, [type(record).archived_at, type(record).updated_at],
                                as_read)
        _log(record._meta.table_name, record.id, "restore", {})
    return record


def history_of(record: Record) -> list[ChangeHistory]:
    return list(
        ChangeHistory.select()
        .where(ChangeHistory.record_id == record.id)
        .order_by(ChangeHistory.id)
    )
