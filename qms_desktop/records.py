"""Every write goes through here: the change and its history row in one transaction.

Area services (policy, people, risks...) call `create`, `update`, `archive` and `unarchive`
rather than saving models themselves, so the change history can never be skipped.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
from typing import Any, TypeVar

from peewee import ForeignKeyField, Model

from qms_desktop.models import ChangeHistory, Record, Setting, database, utc_now

R = TypeVar("R", bound=Record)

USER_NAME_KEY = "user_name"


def get_setting(key: str, default: str = "") -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else default


def set_setting(key: str, value: str) -> None:
    with database.atomic():
        old = get_setting(key, default="")
        Setting.insert(key=key, value=value).on_conflict_replace().execute()
        _log("setting", key, "update", {key: [old, value]})


def current_user() -> str:
    """The name recorded as "who" in the change history; the OS login until one is set."""
    name = get_setting(USER_NAME_KEY)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


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
        if name in ("created_at", "updated_at"):
            continue
        values[_key(field)] = _plain(record.__data__.get(name))
    return values


def _log(table: str, record_id: str, operation: str, changes: dict[str, Any]) -> None:
    ChangeHistory.create(
        changed_by=current_user(),
        table_name=table,
        record_id=record_id,
        operation=operation,
        changes=json.dumps(changes, ensure_ascii=False, default=str, sort_keys=True),
    )


def create(model: type[R], **values: Any) -> R:
    with database.atomic():
        record = model(**values)
        record.save(force_insert=True)
        _log(model._meta.table_name, record.id, "create", _field_values(record))
    return record


def update(record: R, *, change_reason: str = "", **values: Any) -> R:
    """Apply `values`; history keeps [before, after] of each field that really changed.

    `change_reason` goes into the same history row (as ["", reason]), so it keeps why too.
    """
    with database.atomic():
        before = _field_values(record)
        for name, value in values.items():
            setattr(record, name, value)
        after = _field_values(record)
        changed = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
        if not changed:
            return record
        record.updated_at = utc_now()
        # Write only what changed, so a stale copy elsewhere cannot overwrite other fields.
        meta = record._meta
        fields = [f for f in meta.fields.values() if _key(f) in changed]
        record.save(only=[*fields, meta.fields["updated_at"]])
        if change_reason:
            changed["reason"] = ["", change_reason]
        _log(record._meta.table_name, record.id, "update", changed)
    return record


def archive(record: R) -> R:
    if record.archived_at is not None:
        return record
    with database.atomic():
        record.archived_at = utc_now()
        record.updated_at = record.archived_at
        record.save(only=[type(record).archived_at, type(record).updated_at])
        _log(record._meta.table_name, record.id, "archive", {})
    return record


def unarchive(record: R) -> R:
    if record.archived_at is None:
        return record
    with database.atomic():
        record.archived_at = None
        record.updated_at = utc_now()
        record.save(only=[type(record).archived_at, type(record).updated_at])
        _log(record._meta.table_name, record.id, "restore", {})
    return record


def history_of(record: Record) -> list[ChangeHistory]:
    return list(
        ChangeHistory.select()
        .where(ChangeHistory.record_id == record.id)
        .order_by(ChangeHistory.id)
    )
