"""Writing the built sample into the open database: the small one through the services (every
row with its dated history entry), the large one in bulk with sealed create entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from peewee import DateField, DateTimeField

from qms_desktop import history_chain, ids, records, references
from qms_desktop.models import (
    AdequacyStatement,
    BaseModel,
    ChangeHistory,
    ClimateDecision,
    DocumentVersion,
    ManagementReview,
    Organisation,
    Person,
    Record,
    ResourceRequest,
    Setting,
    database,
)
from qms_desktop.review_data import PackData
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


def freeze_closed_reviews(sample: Sample) -> None:
    """Give each closed review its frozen pack, as closing one in the window does.

    The pack, and its history entries, are dated when the review closed and its id comes
    from the seeded generator, so the same seed still gives the same rows.
    """
    from qms_desktop import readiness, review_inputs, reviews
    from qms_desktop.reports.review_pack import render_pdf

    closed = ManagementReview.select().where(ManagementReview.status == "closed")
    for review in closed.order_by(ManagementReview.meeting_on):
        when = review.closed_at
        assert when is not None  # every closed review says when it closed
        data = review_inputs.assemble(review, generated_at=when, is_draft=False,
                                      readiness=readiness.for_pack(when.date()),
                                      today=when.date())
        data.status = "closed"

        def snapshot(chain_head: str, data: PackData = data,
                     review: ManagementReview = review) -> str:
            data.chain_head = chain_head
            reviews.sign_pack_data(data, review)
            return data.to_json()

        millis = int((when - EPOCH).total_seconds()) * 1000
        with records.history_as(when=when):
            reviews.freeze_pack(
                review, lambda text: render_pdf(PackData.from_json(text)), snapshot,
                id=ids.new_id(sample.rng, millis), created_at=when, updated_at=when,
                pack_version=1, generated_at=when,
            )


def _label(model: type[BaseModel]) -> str:
    return getattr(model, "display_plural", "") or "Change history"


def write_through_services(sample: Sample, report: Progress) -> None:
    """Every row through `records.create`, so each has its history row.

    Each entry is written dated when the sample says the change was made, not tonight, and
    an act of leadership under the name of the person who did it: the history is sealed as
    it is written (history_chain.py), so it is never rewritten afterwards.
    """
    authors = _history_authors(sample)
    with database.atomic():
        report("Organisation")
        founded = sample.rows[Organisation][0]["created_at"]
        with records.history_as(when=founded):
            records.set_setting(records.USER_NAME_KEY, sample.user_name)
        for model, rows in sample.rows.items():
            if rows and model is not Organisation:
                report(_label(model))
            for row in rows:
                with records.history_as(row["created_at"], authors.get(row["id"])):
                    records.create(model, **row)
        for model, record_id, when, values in sample.edits:
            with records.history_as(when, authors.get(record_id)):
                records.update(model.get_by_id(record_id), **values)
            # The record's own stamp; the history does not keep it.
            model.update(updated_at=when).where(model.id == record_id).execute()


def _history_authors(sample: Sample) -> dict[str, str]:
    """Record id -> the name its history entries are written under (HISTORY_AUTHORS)."""
    acting = dict(HISTORY_AUTHORS)
    person_of: dict[str, str] = {}
    for model, field_name in HISTORY_AUTHORS:
        for row in sample.rows[model]:
            if row.get(field_name):
                person_of[row["id"]] = row[field_name]
    for model, record_id, _when, values in sample.edits:
        field_name = acting.get(model, "")
        if values.get(field_name):
            person_of[record_id] = values[field_name]
    names = {row["id"]: row["full_name"] for row in sample.rows[Person]}
    return {record_id: names[person] for record_id, person in person_of.items()}


# Whose name the change history gives for the sample's acts of leadership.
HISTORY_AUTHORS: tuple[tuple[type[Record], str], ...] = (
    (DocumentVersion, "approved_by"),
    (ResourceRequest, "decided_by"),
    (ManagementReview, "closed_by"),
    (AdequacyStatement, "stated_by"),
    (ClimateDecision, "decided_by"),
)


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
        with records.history_as(when=sample.rows[Organisation][0]["created_at"]):
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
