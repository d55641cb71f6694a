"""Writing the built sample into the open database: the small one as its dated events through
the services (events.py), the large one in bulk with sealed create entries."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from peewee import DateField, DateTimeField

from qms_desktop import clock, history_chain, ids, records, references
from qms_desktop.models import (
    BaseModel,
    ChangeHistory,
    Organisation,
    Setting,
    database,
)
from qms_desktop.sample.data import (
    EPOCH,
    SAMPLE_AUTHOR,
)
from qms_desktop.sample.timeline import (
    Sample,
)

Progress = Callable[[str], None]


def restate_settings() -> None:
    """`demo --force` clears every record and the whole history but keeps the settings (they
    belong to whoever uses the copy): each gets its history entry again, so the settings
    still follow from the history (evidence.py)."""
    logged = ChangeHistory.select(ChangeHistory.record_id).where(
        ChangeHistory.table_name == Setting._meta.table_name)
    for setting in Setting.select().where(Setting.key.not_in(logged)):
        records.set_setting(setting.key, setting.value)


def _label(model: type[BaseModel]) -> str:
    return getattr(model, "display_plural", "") or "Change history"


def write_through_services(sample: Sample, report: Progress,
                           until: dt.datetime | None = None) -> None:
    """The sample's events (events.py) in time order, each through its service with the
    clock standing at its moment and its history entries dated then; none is rewritten.

    With `until` (UTC, naive) the events after it are left out: the same timeline, stopped.
    """
    from qms_desktop.sample.events import events_of

    events = events_of(sample)
    # Ids the services give out come from the event (the timeline's own ids) or, for records
    # the timeline does not describe (a frozen pack), from a generator seeded by the sample.
    issuing = random.Random(sample.rng.getrandbits(64))
    queue: list[str] = []

    def issue() -> str:
        if queue:
            return queue.pop(0)
        millis = int((clock.utc_now() - EPOCH).total_seconds()) * 1000
        return ids.new_id(issuing, millis)

    reported = 0
    with database.atomic(), ids.issued_by(issue):
        report("Organisation")
        founded = sample.rows[Organisation][0]["created_at"]
        # Written as the sample's user, whoever is signed in on a server (records.current_user).
        with records.history_as(when=founded, who=sample.user_name):
            records.set_setting(records.USER_NAME_KEY, sample.user_name)
        for event in events:
            if until is not None and event.when > until:
                break
            queue[:] = event.ids
            moment = event.when.replace(tzinfo=dt.UTC)
            who = sample.user_name if event.who is None else event.who
            with clock.stopped_at(moment), records.history_as(event.when, who):
                event.apply()
            if queue:  # the timeline and the services disagree on what was made
                raise RuntimeError(f"The sample's event at {event.when} left ids unused: "
                                   f"{queue}")
            # Progress by the year reached, as the events are in time order.
            if event.when.year != reported:
                reported = event.when.year
                report(f"History of {reported}")


def _text(value: dt.date | None) -> str | None:
    """Dates and times as peewee stores them (ISO 8601, a space before the time)."""
    if value is None:
        return None
    return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()


def _insert(model: type[BaseModel], rows: list[dict[str, Any]]) -> None:
    """All rows through one prepared INSERT (four times faster than `insert_many` here).

    Values are gathered column by column; a field a row leaves out gets its default, as
    `records.create` would give it.
    """
    names = list(model._meta.sorted_field_names)
    columns = []
    for name in names:
        model_field = model._meta.fields[name]
        default = model_field.default
        values = [row.get(name, default) for row in rows]
        if callable(default):
            values = [default() if v is default else v for v in values]
        if isinstance(model_field, DateField | DateTimeField):
            values = [_text(v) for v in values]
        columns.append(values)
    quoted = ", ".join(f'"{model._meta.fields[name].column_name}"' for name in names)
    marks = ", ".join("?" * len(names))
    sql = f'INSERT INTO "{model._meta.table_name}" ({quoted}) VALUES ({marks})'
    connection = database.connection()
    connection.executemany(sql, zip(*columns, strict=True))


def write_in_bulk(sample: Sample, report: Progress) -> None:
    """Bulk inserts, one history row ("create" by Sample data) per record."""
    for model, record_id, when, values in sample.edits:
        sample.row(model, record_id).update(values, updated_at=when)
    with database.atomic():
        report("Organisation")
        with records.history_as(when=sample.rows[Organisation][0]["created_at"],
                                who=sample.user_name):
            records.set_setting(records.USER_NAME_KEY, sample.user_name)
        for model, rows in sample.rows.items():
            if not rows:
                continue
            if model is not Organisation:
                report(_label(model))
            # Readable references, as records.create gives them (kept in the history below).
            references.fill_rows(model, rows)
            # In id order, so the primary-key index is appended to rather than split.
            _insert(model, sorted(rows, key=lambda row: row["id"]))
        report("Change history")
        # Each record's entry keeps its values, as records.create would, so the records
        # follow from their history; sealed into the chain as they are written.
        history = [
            (row["created_at"], SAMPLE_AUTHOR, model._meta.table_name, row["id"], "create",
             records.history_text(records.history_values(model, row)))
            for model, rows in sample.rows.items()
            for row in rows
        ]
        history.sort(key=lambda entry: entry[0])
        history_chain.append(database.connection(), history)
