"""Readable references ("ACT-2026-014") for the registers an auditor samples from a pack.

A register declares its prefix once on its model (`reference_prefix`, and `reference_date`
for the date field whose year it counts in; created_at when none). `records.create` gives a
new row the next number in that year when it comes without one, so the services, the sample
company and imports all get references the same way; `fill_rows` does the same for rows a
bulk writer inserts itself. Numbers are never reused: archived rows keep theirs.

`cited` turns the references a pack's tables print back into what they name (kind and
title), for the pack's index of the records cited.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import Cast, fn

from qms_desktop import clock, history_chain
from qms_desktop.models import (
    FEEDBACK_KINDS,
    REFERENCED_MODELS,
    Feedback,
    Finding,
    Record,
    ReviewDecision,
    Risk,
)

# Singular names for the index of records cited; a register not named reads as its plural.
KIND_NAMES = {
    "action": "Action",
    "audit": "Internal audit",
    "context_issue": "Context issue",
    "feedback": "Customer feedback",
    "finding": "Audit finding",
    "interested_party": "Interested party",
    "kpi": "KPI",
    "nonconformity": "Nonconformity",
    "objective": "Quality objective",
    "process": "Process",
    "resource_request": "Resource request",
    "review_decision": "Review decision",
    "risk": "Risk",
    "supplier": "Supplier",
}
# Who the change history names for the references given to rows that existed before them.
BACKFILL_AUTHOR = "QMS Desktop (schema update)"
BACKFILL_TABLE = "reference_backfill"


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:03d}"


def year_of(model: type[Record], values: dict[str, Any]) -> int:
    """The year a new row's reference counts in: of its own date, else of its creation."""
    for name in (model.reference_date, "created_at"):
        day = values.get(name) if name else None
        if isinstance(day, dt.date):
            return day.year
    return clock.utc_now().year  # the year created_at will have (stored in UTC)


def highest_number(model: type[Record], year: int) -> int:
    """The highest number taken in `year` (0 if none), archived rows included."""
    prefix = f"{model.reference_prefix}-{year}-"
    column = model._meta.fields["reference"]
    highest = (model.select(fn.MAX(Cast(fn.SUBSTR(column, len(prefix) + 1), "INTEGER")))
               .where(column.startswith(prefix))
               .scalar())
    return int(highest or 0)


def next_reference(model: type[Record], year: int) -> str:
    """The next free reference of `model` in `year`. Read it in the transaction that
    inserts the row: the write lock then keeps another writer from taking the same one,
    and the unique index refuses a duplicate whatever happens."""
    return format_reference(model.reference_prefix, year, highest_number(model, year) + 1)


def fill_rows(model: type[Record], rows: Iterable[dict[str, Any]]) -> None:
    """Give each row (field values, as a bulk writer inserts them) that has no reference
    the next one in its year, in order of its date, creation and id, after those the
    database and the other rows already hold. Call it inside the writer's transaction."""
    if not model.reference_prefix:
        return
    rows = list(rows)
    taken: dict[int, int] = defaultdict(int)
    for row in rows:
        given = str(row.get("reference") or "")
        parts = given.rsplit("-", 2)
        if len(parts) == 3 and parts[0] == model.reference_prefix and parts[1].isdigit() \
                and parts[2].isdigit():
            taken[int(parts[1])] = max(taken[int(parts[1])], int(parts[2]))
    blank = [row for row in rows if not row.get("reference")]

    def order(row: dict[str, Any]) -> tuple[str, str, str]:
        own = row.get(model.reference_date) if model.reference_date else None
        return (str(own or row.get("created_at") or ""), str(row.get("created_at") or ""),
                str(row.get("id") or ""))

    highest: dict[int, int] = {}
    for row in sorted(blank, key=order):
        year = year_of(model, row)
        if year not in highest:
            highest[year] = max(highest_number(model, year), taken[year])
        highest[year] += 1
        row["reference"] = format_reference(model.reference_prefix, year, highest[year])


# --- What a reference names ---------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    reference: str
    kind: str
    title: str


def model_of(reference: str) -> type[Record] | None:
    prefix = reference.split("-", 1)[0]
    return _BY_PREFIX.get(prefix)


_BY_PREFIX = {model.reference_prefix: model for model in REFERENCED_MODELS}


def named(references: Iterable[str]) -> dict[str, Named]:
    """What each reference names, one query per register; a reference no row has (a
    register's rows archived since, say) is left out."""
    wanted: dict[type[Record], set[str]] = defaultdict(set)
    for reference in references:
        model = model_of(reference)
        if model is not None:
            wanted[model].add(reference)
    found: dict[str, Named] = {}
    for model, refs in wanted.items():
        column = model._meta.fields["reference"]
        for record in model.select().where(column.in_(sorted(refs))):
            reference = str(getattr(record, "reference"))  # noqa: B009 (not on Record)
            found[reference] = Named(reference, kind_of(record), title_of(record))
    return found


def kind_of(record: Record) -> str:
    if isinstance(record, Risk):
        return "Opportunity" if record.kind == "opportunity" else "Risk"
    if isinstance(record, Feedback):
        return "Customer " + dict(FEEDBACK_KINDS).get(record.kind, record.kind).lower()
    return KIND_NAMES.get(record._meta.table_name, type(record).display_plural)


def title_of(record: Record) -> str:
    """A row's title as an auditor would look it up: its own words, not its links."""
    if isinstance(record, Feedback):
        return f"{record.customer}: {_short(record.description)}"
    if isinstance(record, Finding):
        return _short(record.notes or record.question or record.clause)
    if isinstance(record, ReviewDecision):
        return _short(record.description)
    return _short(record.display_name())


def _short(words: str, limit: int = 90) -> str:
    words = " ".join(words.split())
    return words if len(words) <= limit else words[:limit - 1].rsplit(" ", 1)[0] + "…"


# --- The schema step that gave existing rows their references -----------------------------


def record_backfill(connection: sqlite3.Connection) -> int:
    """Write each reference the schema step gave an existing row into the change history
    (an update from blank), so every record still follows from its history; the Python
    part of v009. Returns how many entries were written."""
    rows = connection.execute(
        f'SELECT "table_name", "record_id", "reference" FROM "{BACKFILL_TABLE}" '
        'ORDER BY "table_name", "reference"').fetchall()
    when = clock.utc_now()
    written = history_chain.append(connection, (
        (when, BACKFILL_AUTHOR, table, record_id, "update",
         # As records.history_text writes an entry's changes.
         json.dumps({"reference": ["", reference]}, ensure_ascii=False, sort_keys=True))
        for table, record_id, reference in rows))
    connection.execute(f'DROP TABLE "{BACKFILL_TABLE}"')
    return written
