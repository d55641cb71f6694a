"""The change history as a hash chain: each entry is sealed with a hash of its own content
and of the entry before it, so an entry edited, removed or slipped in afterwards shows.

No peewee here: the records layer, the schema step that seals an older file's history and
the verifier (`evidence.py`) all seal entries through `seal`, so an entry always hashes the
same, on SQLite now and on PostgreSQL later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

# Names the format of the sealed text; a later format gets a new tag, old entries keep theirs.
SEAL_FORMAT = "qms-history-1"
GENESIS = ""  # the previous hash of the first entry

COLUMNS = ("id", "changed_at", "changed_by", "table_name", "record_id", "operation",
           "changes")


def timestamp(value: Any) -> Any:
    """When, as ISO text with a space before the time (what peewee stores in SQLite).

    A datetime (PostgreSQL, or the value about to be written) and its stored text seal alike.
    """
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, str):
        if len(value) == 19 and value[10] == " ":
            return value  # already in that form (as every stored one is): skip the parse
        try:
            return dt.datetime.fromisoformat(value).isoformat(" ")
        except ValueError:
            return value
    return value


def seal(
    entry_id: int,
    changed_at: Any,
    changed_by: Any,
    table_name: Any,
    record_id: Any,
    operation: Any,
    changes: Any,
    previous_hash: str,
) -> str:
    """The SHA-256 of one entry: its fields as a JSON array in a fixed order, a line break,
    then the changes as stored (JSON text has no raw line break, so the two cannot blur)."""
    header = ",".join(map(_json, (SEAL_FORMAT, entry_id, timestamp(changed_at), changed_by,
                                  table_name, record_id, operation, previous_hash)))
    body = changes if isinstance(changes, str) else _CANONICAL.encode(changes)
    return hashlib.sha256(f"[{header}]\n{body}".encode()).hexdigest()


def _json(value: Any) -> str:
    """One value as compact JSON, as _CANONICAL writes it; text and whole numbers without
    building an encoder each time (the large sample seals ninety thousand entries)."""
    if isinstance(value, str):
        return _encode_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _CANONICAL.encode(value)


# JSON without spaces and with text as it is (UTF-8, not \u escapes).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_encode_text = json.encoder.encode_basestring  # what _CANONICAL writes a text as


def head(connection: sqlite3.Connection) -> tuple[int, str]:
    """The last entry's id and hash: (0, GENESIS) while the history is empty."""
    row = connection.execute(
        "SELECT id, row_hash FROM change_history ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(connection: sqlite3.Connection, entries: Iterable[tuple[Any, ...]]) -> int:
    """Write entries (changed_at, changed_by, table_name, record_id, operation, changes)
    after the current head, sealed and numbered; returns how many were written.

    For bulk writers (the large sample company); call it inside their transaction.
    """
    last_id, previous = head(connection)
    rows = []
    for changed_at, changed_by, table_name, record_id, operation, changes in entries:
        last_id += 1
        when = timestamp(changed_at)
        sealed = seal(last_id, changed_at, changed_by, table_name, record_id, operation,
                      changes, previous)
        rows.append((last_id, when, changed_by, table_name, record_id, operation, changes,
                     previous, sealed))
        previous = sealed
    connection.executemany(
        'INSERT INTO "change_history" ("id", "changed_at", "changed_by", "table_name", '
        '"record_id", "operation", "changes", "previous_hash", "row_hash") '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def seal_existing(connection: sqlite3.Connection) -> int:
    """Seal every entry in id order: the schema step that brings an older file's history
    into the chain. Returns how many entries were sealed."""
    previous = GENESIS
    sealed_rows = []
    query = f"SELECT {', '.join(COLUMNS)} FROM change_history ORDER BY id"
    for entry_id, changed_at, changed_by, table_name, record_id, operation, changes in (
            connection.execute(query)):
        sealed = seal(entry_id, changed_at, changed_by, table_name, record_id, operation,
                      changes, previous)
        sealed_rows.append((previous, sealed, entry_id))
        previous = sealed
    connection.executemany(
        'UPDATE "change_history" SET "previous_hash" = ?, "row_hash" = ? WHERE "id" = ?',
        sealed_rows,
    )
    return len(sealed_rows)
