"""Is the evidence intact? The history chain, the records against their history, the packs.

Three checks, on a plain sqlite3 connection (the window runs them on a connection of its
own, off its first paint):

1. The change history is an unbroken hash chain (history_chain.py): every entry matches
   its seal and names the entry before it, so none was edited, removed or slipped in.
2. Every record's current values follow from its history: the entries of each record are
   replayed (create, update, archive, restore) and compared with the row as stored, for
   every table the records layer writes. Created/updated stamps are not kept in the history
   and are not compared; file contents are compared by their size and SHA-256.
3. Every frozen review pack: its PDF and snapshot hash to what the chain says, it names the
   chain head it prints, and its review is still closed.

The seals use no secret: anyone holding the file can rebuild the whole chain (or append
entries in anyone's name, or drop the newest entries with what they wrote); what reveals
that is a chain head printed or exported before (a frozen pack prints one). These checks
find the changes made outside the app that stop short of that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    ForeignKeyField,
    TextField,
)

from qms_desktop import history_chain
from qms_desktop.models import (
    BOOKKEEPING_FIELDS,
    RECORD_MODELS,
    ManagementReview,
    Record,
    ReviewPack,
    Setting,
)
from qms_desktop.records import _plain as history_value  # as the history keeps values
from qms_desktop.reviews import FREEZE_OPERATION

SKIPPED_COLUMNS = frozenset(BOOKKEEPING_FIELDS)  # not kept in the history
_MISSING = object()
_ARCHIVED = object()  # archived, at a time an older archive entry did not keep

ENTRY_COLUMNS = ("id", "changed_at", "changed_by", "table_name", "record_id", "operation",
                 "changes", "previous_hash", "row_hash")


class Entry(NamedTuple):
    id: int
    changed_at: str
    changed_by: str
    table_name: str
    record_id: str
    operation: str
    changes: str
    previous_hash: str
    row_hash: str


@dataclass(frozen=True)
class Break:
    """One place where the evidence does not hold, in words a quality manager can act on."""

    subject: str  # which record (or history entry), named
    claimed_by: str  # who the history says made the change concerned ("" when nobody)
    claimed_at: str  # and when
    difference: str  # what differs

    def sentence(self) -> str:
        claim = (f" The history entry concerned says it was made by {self.claimed_by} on "
                 f"{self.claimed_at}." if self.claimed_by or self.claimed_at else "")
        return f"{self.subject}: {self.difference}{claim}"


@dataclass
class Verdict:
    entries: int = 0
    head: str = history_chain.GENESIS
    records: int = 0
    packs: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.breaks

    @property
    def first(self) -> Break | None:
        return self.breaks[0] if self.breaks else None

    def report(self) -> str:
        """The first break in plain words (and how many more), or that all is sound."""
        if self.first is None:
            return (f"{self.entries:,} history entries in an unbroken chain (head "
                    f"{self.head or 'none yet'}); {self.records:,} records follow from their "
                    f"history; {self.packs:,} frozen pack{'s' if self.packs != 1 else ''} "
                    "intact.")
        more = len(self.breaks) - 1
        tail = f" ({more:,} more problem{'s' if more != 1 else ''} found after it.)" if more \
            else ""
        return ("Altered outside the app: " + self.first.sentence() + tail)


def verify(connection: sqlite3.Connection) -> Verdict:
    """Check the chain, the records against their history and the frozen packs.

    The history is read twice, as a stream each time (in chain order, then record by
    record), so a large file is checked without holding its history in memory.
    """
    names = _Names(connection)
    pack_history: dict[str, list[Entry]] = {}
    verdict = Verdict()
    verdict.breaks += _chain_breaks(connection, names, verdict, pack_history)
    pack_breaks, verdict.packs = _pack_breaks(connection, pack_history, names)
    verdict.breaks += pack_breaks
    record_breaks, verdict.records = _record_breaks(connection, names)
    verdict.breaks += record_breaks
    return verdict


# --- 1. The chain ------------------------------------------------------------------------


def _chain_breaks(connection: sqlite3.Connection, names: _Names, verdict: Verdict,
                  pack_history: dict[str, list[Entry]]) -> list[Break]:
    """Every entry against its seal and its link; counts the entries and keeps the head in
    `verdict`, and the frozen packs' entries in `pack_history` for the packs' check."""
    found = []
    previous: Entry | None = None
    pack_table = ReviewPack._meta.table_name
    for entry in map(Entry._make, connection.execute(
            f"SELECT {', '.join(ENTRY_COLUMNS)} FROM change_history ORDER BY id")):
        verdict.entries += 1
        if entry.table_name == pack_table:
            pack_history.setdefault(entry.record_id, []).append(entry)
        expected_link = previous.row_hash if previous is not None else history_chain.GENESIS
        sealed = history_chain.seal(
            entry.id, entry.changed_at, entry.changed_by, entry.table_name, entry.record_id,
            entry.operation, entry.changes, entry.previous_hash)
        if sealed == entry.row_hash and entry.previous_hash == expected_link:
            previous = entry
            continue
        about = f"History entry {entry.id} ({_operation_words(entry)} {names.of_entry(entry)})"
        if sealed != entry.row_hash:
            found.append(Break(
                about, entry.changed_by, entry.changed_at,
                "the entry was changed after it was written (or written outside the app): "
                "it no longer matches its seal.",
            ))
        elif previous is None:
            found.append(Break(about, entry.changed_by, entry.changed_at,
                               "the entries before it were deleted: it was sealed after an "
                               "entry that is no longer there."))
        elif entry.id > previous.id + 1:
            missing = (f"entry {previous.id + 1} was" if entry.id == previous.id + 2
                       else f"entries {previous.id + 1} to {entry.id - 1} were")
            found.append(Break(about, entry.changed_by, entry.changed_at,
                               f"{missing} deleted: this entry was sealed after an entry no "
                               "longer there."))
        else:
            found.append(Break(about, entry.changed_by, entry.changed_at,
                               f"this entry was not sealed after entry {previous.id}: an entry "
                               "between them was deleted or replaced."))
        previous = entry
    verdict.head = previous.row_hash if previous is not None else history_chain.GENESIS
    return found


def _operation_words(entry: Entry) -> str:
    return {"create": "creating", "update": "changing", "archive": "archiving",
            "restore": "restoring", FREEZE_OPERATION: "freezing"}.get(entry.operation,
                                                                       entry.operation)


# --- 2. Records against their history ------------------------------------------------------


class Step(NamedTuple):
    """One history entry as the replay reads it."""

    table_name: str
    record_id: str
    id: int
    changed_at: str
    changed_by: str
    operation: str
    changes: str


# Record by record: one sort of the history, read as a stream beside each table in id order.
HISTORY_BY_RECORD = ("SELECT table_name, record_id, id, changed_at, changed_by, operation, "
                     "changes FROM change_history ORDER BY table_name, record_id, id")
NOT_IN_HISTORY = 1 << 62  # sorts a record without any entry after those with one

Group = tuple[str, list[Step]]  # a record id and its entries, oldest first


def _record_breaks(connection: sqlite3.Connection, names: _Names) -> tuple[list[Break], int]:
    found: list[tuple[int, Break]] = []
    count = 0
    history = _History(connection.execute(HISTORY_BY_RECORD))
    models: dict[str, type[Record] | None] = {m._meta.table_name: m for m in RECORD_MODELS}
    models[Setting._meta.table_name] = None
    for table in sorted(models):
        model = models[table]
        groups = history.of_table(table)
        if model is None:
            count += _setting_breaks(connection, groups, found)
            continue
        columns = _Columns(model)
        rows = connection.execute(f'SELECT {columns.select} FROM "{table}" ORDER BY "id"')
        for row, group in _merge(rows, groups):
            if row is None:
                assert group is not None
                record_id, steps = group
                found.append((steps[-1].id, Break(
                    f"{_kind(model)} {record_id}", steps[0].changed_by, steps[0].changed_at,
                    "it is gone: its history says it exists, so it was deleted outside the "
                    "app. (Its first entry is the one named here.)")))
                continue
            count += 1
            if group is None:
                found.append((NOT_IN_HISTORY, Break(
                    names.of_row(model, columns.names, row), "", "",
                    "it has no entry in the change history: it was written outside the app, "
                    "and nothing says who made it or when.")))
                continue
            steps = group[1]
            difference = columns.compare(row, _replay(steps, columns))
            if difference:
                last = steps[-1]
                found.append((last.id, Break(names.of_row(model, columns.names, row),
                                             last.changed_by, last.changed_at, difference)))
    found.sort(key=lambda pair: pair[0])
    return [b for _order, b in found], count


class _History:
    """The history grouped by record, table by table in name order, read once."""

    def __init__(self, cursor: Iterable[tuple[Any, ...]]) -> None:
        self._groups = _grouped(cursor)
        self._next = next(self._groups, None)

    def of_table(self, table: str) -> Iterator[Group]:
        # Entries of a table no record model has (a register dropped later) are passed by.
        while self._next is not None and self._next[0] < table:
            self._next = next(self._groups, None)
        while self._next is not None and self._next[0] == table:
            yield self._next[1], self._next[2]
            self._next = next(self._groups, None)


def _grouped(cursor: Iterable[tuple[Any, ...]]) -> Iterator[tuple[str, str, list[Step]]]:
    """(table, record id, its entries) from rows sorted by table and record (a plain loop:
    ninety thousand entries make itertools.groupby's per-row calls count)."""
    table = record_id = None
    steps: list[Step] = []
    for row in cursor:
        if row[1] != record_id or row[0] != table:
            if steps:
                yield str(table), str(record_id), steps
            table, record_id, steps = row[0], row[1], []
        steps.append(Step._make(row))
    if steps:
        yield str(table), str(record_id), steps


def _merge(rows: Iterable[tuple[Any, ...]],
           groups: Iterator[Group]) -> Iterator[tuple[tuple[Any, ...] | None, Group | None]]:
    """Rows and history groups side by side, both in id order: a row without history, or
    history without its row, comes alone."""
    row_iter = iter(rows)
    row = next(row_iter, None)
    group = next(groups, None)
    while row is not None or group is not None:
        if group is None or (row is not None and str(row[0]) < group[0]):
            yield row, None
            row = next(row_iter, None)
        elif row is None or group[0] < str(row[0]):
            yield None, group
            group = next(groups, None)
        else:
            yield row, group
            row, group = next(row_iter, None), next(groups, None)


def history_until(connection: sqlite3.Connection, until: str) -> _History:
    """The history up to `until` (a stored timestamp, UTC) grouped by record, to be read
    table by table in name order with `table_as_of`."""
    return _History(connection.execute(
        HISTORY_BY_RECORD.replace(" ORDER BY", " WHERE changed_at <= ? ORDER BY"), (until,)))


def table_as_of(history: _History, model: type[Record]) -> Iterator[tuple[str, dict[str, Any],
                                                                          list[Step]]]:
    """Each record of `model`'s table as the history read so far says it stood: (id, its
    values named as the history names them, its entries). A value an archive entry did not
    keep is ARCHIVED; a column no entry names is left out. Tables are read in name order."""
    columns = _Columns(model)
    for record_id, steps in history.of_table(model._meta.table_name):
        yield record_id, _replay(steps, columns), steps


def settings_as_of(history: _History) -> dict[str, Any]:
    """Every setting's value as the history read so far says (read in its name order)."""
    values: dict[str, Any] = {}
    for key, steps in history.of_table(Setting._meta.table_name):
        for step in steps:
            pair = _loads(step.changes).get(key)
            if isinstance(pair, list) and len(pair) == 2:
                values[key] = pair[1]
    return values


ARCHIVED = _ARCHIVED


def _replay(history: list[Step], columns: _Columns) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for entry in history:
        if entry.operation == "create":
            state = dict(_loads(entry.changes))
        elif entry.operation == "update":
            for key, pair in _loads(entry.changes).items():
                if key in columns.kinds and isinstance(pair, list) and len(pair) == 2:
                    state[key] = pair[1]
        elif entry.operation == "archive":
            pair = _loads(entry.changes).get("archived_at")
            state["archived_at"] = pair[1] if isinstance(pair, list) and pair[1] else _ARCHIVED
        elif entry.operation == "restore":
            state["archived_at"] = None
    return state


def _loads(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _setting_breaks(connection: sqlite3.Connection, groups: Iterator[Group],
                    found: list[tuple[int, Break]]) -> int:
    count = 0
    rows = connection.execute(
        f'SELECT "key", "value" FROM "{Setting._meta.table_name}" ORDER BY "key"')
    for row, group in _merge(rows, groups):
        if row is None:
            continue  # a setting's history without the setting: nothing removes settings
        count += 1
        key, value = row
        subject = f"The setting “{key}”"
        if group is None:
            found.append((NOT_IN_HISTORY, Break(subject, "", "", "it has no entry in the "
                                                "change history: it was written outside the "
                                                "app.")))
            continue
        steps = group[1]
        expected: Any = _MISSING
        for step in steps:
            pair = _loads(step.changes).get(key)
            if isinstance(pair, list) and len(pair) == 2:
                expected = pair[1]
        if expected != value:
            last = steps[-1]
            found.append((last.id, Break(
                subject, last.changed_by, last.changed_at,
                f"it reads {_shown(value)} but its history says {_shown(expected)}.")))
    return count


class _Columns:
    """How one table's stored values compare with what its history says."""

    def __init__(self, model: type[Record]) -> None:
        fields = [f for f in model._meta.sorted_fields if f.name not in SKIPPED_COLUMNS]
        # The id first: rows are matched to their history by it.
        fields.sort(key=lambda f: f is not model._meta.primary_key)
        # Named as the history names them: a link by its column ("owner_id"), else the field.
        self.names = [f.column_name if isinstance(f, ForeignKeyField) else f.name
                      for f in fields]
        self.select = ", ".join(f'"{f.column_name}"' for f in fields)
        self.kinds: dict[str, Field] = dict(zip(self.names, fields, strict=True))
        self.labels = {name: str(f.verbose_name or f.name).lower()
                       for name, f in self.kinds.items()}
        self.normalise: list[Callable[[Any], Any]] = [_normaliser(f) for f in fields]
        self.defaults = [_default(f) for f in fields]

    def compare(self, row: tuple[Any, ...], state: dict[str, Any]) -> str:
        """What differs, in words; "" when the row is what its history says."""
        if tuple(map(state.get, self.names, self.defaults)) == row:
            return ""  # the usual case, compared in one go
        differences = []
        for index, name in enumerate(self.names):
            stored = row[index]
            expected = state.get(name, self.defaults[index])
            if expected is _MISSING or stored == expected:
                continue
            if expected is _ARCHIVED:
                if stored is not None:
                    continue
                expected = "archived"
            else:
                normalise = self.normalise[index]
                stored_value, expected_value = normalise(stored), normalise(expected)
                if stored_value == expected_value:
                    continue
                stored, expected = stored_value, expected_value
            differences.append(f"its {self.labels[name]} reads {_shown(stored)} but its "
                               f"history says {_shown(expected)}")
        if not differences:
            return ""
        shown = "; ".join(differences[:3])
        more = f" (and {len(differences) - 3} more fields)" if len(differences) > 3 else ""
        return shown + more + "."


def _default(model_field: Field) -> Any:
    """What a column holds when no history entry names it (a column a later schema step
    added with its default)."""
    default = model_field.default
    if callable(default):
        return _MISSING
    return history_value(default)


def _normaliser(model_field: Field) -> Callable[[Any], Any]:
    if isinstance(model_field, BlobField):
        return lambda v: history_value(v) if isinstance(v, bytes | memoryview) else v
    if isinstance(model_field, DateTimeField):
        return history_chain.timestamp
    if isinstance(model_field, DateField):
        return _date
    if isinstance(model_field, BooleanField):
        return lambda v: bool(v) if isinstance(v, int) else v
    if isinstance(model_field, CharField | TextField) and not isinstance(
            model_field, ForeignKeyField):
        # A number given for a text field is stored as its text (peewee's adapt).
        return lambda v: str(v) if isinstance(v, int | float) else v
    return _number


def _date(value: Any) -> Any:
    """A day as ISO text; a time given for a day is stored as its day (peewee's adapt)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):  # as PostgreSQL gives a day back
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(value).date().isoformat()
        except ValueError:
            return value
    return value


def _number(value: Any) -> Any:
    # SQLite stores NaN as NULL; the history keeps what the service was given.
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _shown(value: Any) -> str:
    if value is None or value is _MISSING or value == "":
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if len(text) > 80:
        text = text[:77] + "…"
    return f"“{text}”"


# --- 3. Frozen packs -------------------------------------------------------------------------


def _pack_breaks(connection: sqlite3.Connection, pack_history: dict[str, list[Entry]],
                 names: _Names) -> tuple[list[Break], int]:
    found: list[tuple[int, Break]] = []
    query = ('SELECT p.id, p.review_id, p.sha256, p.pdf, p.snapshot, r.status, r.meeting_on '
             'FROM review_pack AS p LEFT JOIN management_review AS r ON r.id = p.review_id '
             'WHERE p.is_final')
    count = 0
    for pack_id, review_id, sha256, pdf, snapshot, status, meeting_on in connection.execute(
            query):
        count += 1
        history = pack_history.get(pack_id, [])
        frozen = [e for e in history if e.operation == FREEZE_OPERATION]
        created = [e for e in history if e.operation == "create"]
        sealed = frozen[-1] if frozen else (created[0] if created else None)
        subject = f"The frozen pack of {names.review(review_id, meeting_on)}"
        who, when = (sealed.changed_by, sealed.changed_at) if sealed else ("", "")
        order = sealed.id if sealed else 1 << 62

        def add(what: str, order: int = order, subject: str = subject,
                who: str = who, when: str = when) -> None:
            found.append((order, Break(subject, who, when, what)))

        pdf_bytes = bytes(pdf or b"")
        pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        if status != "closed":
            add(f"its review reads {_shown(status)}, but a review with a frozen pack was closed "
                "for good; it was reopened outside the app.")
        if pdf_sha256 != sha256:
            add("its PDF no longer matches the SHA-256 stored beside it.")
        if not frozen:
            # A pack frozen before packs were sealed into the chain prints no chain head, and
            # the replay covers it; one that prints a chain head had its sealing entry.
            if _loads(snapshot or "").get("chain_head"):
                add("the history entry that sealed it when the review closed is missing.")
            continue
        details = _loads(frozen[-1].changes)
        if pdf_sha256 != details.get("pdf_sha256"):
            add("its PDF is not the one whose SHA-256 was sealed into the history when the "
                "review closed.")
        elif sha256 != details.get("pdf_sha256"):
            add("the SHA-256 stored beside its PDF is not the one sealed into the history.")
        snapshot_sha256 = hashlib.sha256((snapshot or "").encode("utf-8")).hexdigest()
        if snapshot_sha256 != details.get("snapshot_sha256"):
            add("its data snapshot is not the one whose SHA-256 was sealed into the history "
                "when the review closed.")
        if created and created[0].previous_hash != details.get("chain_head"):
            add("the chain head it prints is not the history entry it was frozen after.")
    found.sort(key=lambda pair: pair[0])
    return [b for _order, b in found], count


# --- Names --------------------------------------------------------------------------------


def _kind(model: type[Record]) -> str:
    """"Management review" for ManagementReview."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()
    return words[:1].upper() + words[1:]


class _Names:
    """Records named as the window names them, read with plain SQL (no peewee needed)."""

    LABEL_COLUMNS = ("full_name", "name", "title")

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.models = {m._meta.table_name: m for m in RECORD_MODELS}

    def of_row(self, model: type[Record], names: list[str], row: Iterable[Any]) -> str:
        values = dict(zip(names, row, strict=True))
        return self._name(model, values)

    def of_entry(self, entry: Entry) -> str:
        if entry.table_name == Setting._meta.table_name:
            return f"the setting “{entry.record_id}”"
        model = self.models.get(entry.table_name)
        if model is None:
            return f"{entry.table_name} {entry.record_id}"
        try:
            cursor = self.connection.execute(
                f'SELECT * FROM "{entry.table_name}" WHERE id = ?', (entry.record_id,))
            row = cursor.fetchone()
        except sqlite3.Error:
            row = None
        if row is None:
            return f"{_kind(model).lower()} {entry.record_id}"
        values = dict(zip([d[0] for d in cursor.description], row, strict=True))
        name = self._name(model, values)
        return name[:1].lower() + name[1:]

    def review(self, review_id: str, meeting_on: str | None) -> str:
        return f"Management review {meeting_on}" if meeting_on else f"review {review_id}"

    def _name(self, model: type[Record], values: dict[str, Any]) -> str:
        record_id = values.get("id", "")
        if model is ManagementReview and values.get("meeting_on"):
            return f"Management review {values['meeting_on']} ({record_id})"
        for column in self.LABEL_COLUMNS:
            label = values.get(column)
            if label:
                return f"{_kind(model)} “{label}” ({record_id})"
        return f"{_kind(model)} {record_id}"
