"""The one action tracker: every action, whatever raised it, is a row of `Action`.

An action names its source record by table and id, so a risk, an objective, a nonconformity,
an audit finding or a review decision all feed the same list, the same overdue reminder and
review input a). `original_due_on` is set once, when the action is raised; each later move of
the due date is an ordinary change in the one change history, with its reason, and
`due_date_history` reads those moves back.

The list filters (`mine`, `overdue`, `due_this_week`, `by_source`, `with_status`) each take
an optional query and narrow it, so they combine: `overdue(today, mine(ada))`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, TypeAlias

from peewee import ForeignKeyField, ModelSelect

from qms_desktop import clock, records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    ACTION_STATES,
    MODELS_BY_TABLE,
    Action,
    ChangeHistory,
    Person,
    Record,
    database,
    is_live,
)

ActionQuery: TypeAlias = "ModelSelect[Action]"

OPEN, DONE, CANCELLED = "open", "done", "cancelled"
STATUS_LABELS = dict(ACTION_STATES)
WEEK_DAYS = 7

# How a source register reads in "Raised from"; others fall back to the class name in words.
SOURCE_LABELS = {
    "kpi": "KPI",
    "finding": "Audit finding",
    "feedback": "Feedback",
    "review_decision": "Review decision",
    "management_review": "Management review",
    "resource_request": "Resource request",
    "context_issue": "Context issue",
    "interested_party": "Interested party",
    "party_requirement": "Interested party requirement",
    "supplier_evaluation": "Supplier evaluation",
}


# --- Raising and moving actions ---------------------------------------------------------------


@strict_arguments
def raise_action(
    source: Record,
    title: str,
    owner: Person | None,
    due_on: dt.date | None,
) -> Action:
    """A new open action on `source`; its first due date is kept as `original_due_on`."""
    problems = {}
    if source is None or not getattr(source, "id", None):
        problems["source"] = "An action must come from a record (a risk, a finding...)."
    if not (title or "").strip():
        problems["title"] = "Say what will be done."
    if due_on is None:
        problems["due_on"] = "Give a due date."
    if problems:
        raise ValidationError(problems)
    return records.create(
        Action,
        title=title.strip(),
        owner=owner,
        due_on=due_on,
        original_due_on=due_on,
        source_table=source._meta.table_name,
        source_id=source.id,
    )


@strict_arguments
def raise_improvement(title: str, owner: Person | None, due_on: dt.date | None) -> Action:
    """A standalone improvement action raised in the tracker itself, with no source record."""
    problems = {}
    if not (title or "").strip():
        problems["title"] = "Say what will be done."
    if due_on is None:
        problems["due_on"] = "Give a due date."
    if problems:
        raise ValidationError(problems)
    return records.create(Action, title=title.strip(), owner=owner, due_on=due_on,
                          original_due_on=due_on, source_table="", source_id="")


@strict_arguments
def edit(action: Action, title: str, owner: Person | None) -> Action:
    """Change what will be done and who owns it; the due date moves only by `reschedule`."""
    if not (title or "").strip():
        raise ValidationError({"title": "Say what will be done."})
    return records.update(action, title=title.strip(), owner=owner)


def _require_status(action: Action, *allowed: str, doing: str) -> None:
    # The stored status decides: another window may have closed the action since it was read.
    stored = Action.select(Action.status).where(Action.id == action.id).scalar()
    if stored is not None:
        action.status = stored
    if action.status not in allowed:
        raise ValidationError(
            {"status": f"This action is {STATUS_LABELS.get(action.status, action.status).lower()}"
                       f" and cannot be {doing}."}
        )


@strict_arguments
def reschedule(action: Action, new_due: dt.date, reason: str) -> Action:
    """Move the due date; `original_due_on` stays as first set and the history keeps the move."""
    _require_status(action, OPEN, doing="rescheduled")
    problems = {}
    if new_due is None:
        problems["due_on"] = "Give the new due date."
    if not (reason or "").strip():
        problems["reason"] = "Say why the due date moves."
    if problems:
        raise ValidationError(problems)
    if new_due == action.due_on:
        return action
    with database.atomic():
        if action.original_due_on is None:
            # Raised without a date: the first date given becomes the original one.
            records.update(action, due_on=new_due, original_due_on=new_due,
                           change_reason=reason.strip())
        else:
            records.update(action, due_on=new_due, change_reason=reason.strip())
    return action


@strict_arguments
def complete(action: Action, done_on: dt.date, evidence: str,
             today: dt.date | None = None) -> Action:
    _require_status(action, OPEN, doing="completed")
    today = today or clock.today()
    problems = {}
    if done_on is None:
        problems["done_on"] = "Give the date it was done."
    elif done_on > today:
        problems["done_on"] = "The date it was done cannot be in the future."
    if not (evidence or "").strip():
        problems["evidence"] = "Say what shows it was done (a record, a photo, a document)."
    if problems:
        raise ValidationError(problems)
    return records.update(action, status=DONE, done_on=done_on, evidence=evidence.strip())


@strict_arguments
def cancel(action: Action, reason: str) -> Action:
    """Cancel an open action; the reason is kept in its evidence and in the history."""
    _require_status(action, OPEN, doing="cancelled")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the action is cancelled."})
    return records.update(action, status=CANCELLED, evidence=reason.strip(),
                          change_reason=reason.strip())


@strict_arguments
def reopen(action: Action, reason: str = "") -> Action:
    """Open a done or cancelled action again; its old date and evidence stay in the history."""
    _require_status(action, DONE, CANCELLED, doing="reopened")
    return records.update(action, status=OPEN, done_on=None, evidence="",
                          change_reason=reason.strip())


@dataclass(frozen=True)
class DueDateMove:
    changed_at: dt.datetime
    changed_by: str
    old_due: dt.date | None
    new_due: dt.date | None
    reason: str


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@strict_arguments
def due_date_history(action: Action) -> list[DueDateMove]:
    """Every move of the due date, oldest first, read from the change history."""
    rows = (
        ChangeHistory.select()
        .where(
            (ChangeHistory.record_id == action.id)
            & (ChangeHistory.table_name == Action._meta.table_name)
            & (ChangeHistory.operation == "update")
        )
        .order_by(ChangeHistory.id)
    )
    moves = []
    for row in rows:
        changes = json.loads(row.changes or "{}")
        if "due_on" not in changes:
            continue
        old, new = changes["due_on"]
        reason = changes.get("reason", ["", ""])[1]
        moves.append(DueDateMove(row.changed_at, row.changed_by, _date(old), _date(new), reason))
    return moves


# --- The tracker's lists ------------------------------------------------------------------------


@strict_arguments
def all_actions(include_archived: bool = False) -> ActionQuery:
    """Every action, soonest due first (those with no date last)."""
    query = Action.select()
    if not include_archived:
        query = query.where(is_live(Action))
    return query.order_by(Action.due_on.is_null(), Action.due_on, Action.created_at)


def _base(query: ActionQuery | None) -> ActionQuery:
    return all_actions() if query is None else query


@strict_arguments
def with_status(status: str, query: ActionQuery | None = None) -> ActionQuery:
    return _base(query).where(Action.status == status)


@strict_arguments
def open_actions(query: ActionQuery | None = None) -> ActionQuery:
    return with_status(OPEN, query)


@strict_arguments
def mine(person: Person, query: ActionQuery | None = None) -> ActionQuery:
    return _base(query).where(Action.owner == person)


@strict_arguments
def overdue(today: dt.date, query: ActionQuery | None = None) -> ActionQuery:
    """Open actions whose due date has passed (due today is not yet overdue)."""
    return open_actions(query).where(Action.due_on < today)


@strict_arguments
def due_this_week(today: dt.date, query: ActionQuery | None = None) -> ActionQuery:
    """Open actions due from today to seven days on, both included."""
    end = today + dt.timedelta(days=WEEK_DAYS)
    return open_actions(query).where((Action.due_on >= today) & (Action.due_on <= end))


@strict_arguments
def by_source(table_name: str, query: ActionQuery | None = None) -> ActionQuery:
    return _base(query).where(Action.source_table == table_name)


@strict_arguments
def actions_for(record: Record, include_archived: bool = False) -> list[Action]:
    """The actions raised from one record."""
    query = all_actions(include_archived).where(
        (Action.source_table == record._meta.table_name) & (Action.source_id == record.id)
    )
    return list(query)


@strict_arguments
def reminder_counts(today: dt.date) -> tuple[int, int]:
    """(overdue, due this week): the numbers the start-up reminder shows."""
    return overdue(today).count(), due_this_week(today).count()


@strict_arguments
def is_overdue(action: Action, today: dt.date) -> bool:
    return action.status == OPEN and action.due_on is not None and action.due_on < today


# --- Where an action came from -----------------------------------------------------------------


@strict_arguments
def source_record(action: Action) -> Any | None:
    """The record the action was raised from, archived or not; None if unknown or gone."""
    model = MODELS_BY_TABLE.get(action.source_table)
    if model is None or not action.source_id:
        return None
    return model.get_or_none(model._meta.primary_key == action.source_id)


@strict_arguments
def register_label(table_name: str) -> str:
    """A register's singular name in words: "nonconformity" -> "Nonconformity"."""
    if table_name in SOURCE_LABELS:
        return SOURCE_LABELS[table_name]
    model = MODELS_BY_TABLE.get(table_name)
    name = model.__name__ if model is not None else table_name.title().replace("_", "")
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name).split()
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else table_name


@strict_arguments
def source_label(action: Action) -> str:
    """How the source reads in the tracker: "Nonconformity NC-2026-014", "Risk: Late parts"."""
    if not action.source_table:
        return ""
    return _source_text(action.source_table, source_record(action))


@strict_arguments
def source_labels(keys: list[str]) -> dict[str, str]:
    """`source_label` of many sources at once, each given as "table:id" (as the tracker's
    list reads them), by key; keys without a table are left out. Each source table is read
    once, and so is each table their names are made of (a finding's audit), instead of one
    query per action: on a server every query is a round trip."""
    wanted: dict[str, set[str]] = {}
    for key in keys:
        table, _, record_id = key.partition(":")
        if table and record_id:
            wanted.setdefault(table, set()).add(record_id)
    found: dict[str, Any] = {}
    for table, ids in wanted.items():
        model = MODELS_BY_TABLE.get(table)
        if model is not None:
            key_field: Any = model._meta.primary_key
            for source in _with_named_links(model, key_field, ids, _NAME_LINK_DEPTH):
                found[f"{table}:{getattr(source, key_field.name)}"] = source
    labels = {}
    for key in keys:
        table, _, record_id = key.partition(":")
        if table:
            labels[key] = _source_text(table, found.get(key) if record_id else None)
    return labels


# How many links deep a record's name can be made of: an acknowledgement names its version,
# which names its document.
_NAME_LINK_DEPTH = 3


def _with_named_links(model: Any, key_field: Any, keys: set[Any], depth: int) -> list[Any]:
    """The records of `model` whose `key_field` is among `keys`, with the records their own
    display_name reads through a link already in place (to `depth` links): one query per
    table for all of them. A name is made of links that are always set (one that may be
    empty could not name anything), so only those are read."""
    rows = list(model.select().where(key_field.in_(sorted(keys, key=str))))
    if depth <= 0 or not rows or getattr(model, "display_name", None) is Record.display_name:
        return rows  # the base display_name reads only the record's own fields
    for link in model._meta.sorted_fields:
        if not isinstance(link, ForeignKeyField) or link.null:
            continue
        targets = {row.__data__.get(link.name) for row in rows} - {None}
        if not targets:
            continue
        linked = {getattr(target, link.rel_field.name): target for target in
                  _with_named_links(link.rel_model, link.rel_field, targets, depth - 1)}
        for row in rows:
            target = linked.get(row.__data__.get(link.name))
            if target is not None:
                row.__rel__[link.name] = target
    return rows


def _source_text(table: str, source: Any | None) -> str:
    label = register_label(table)
    if source is None:
        return f"{label} (record not found)"
    if table == "nonconformity" and source.reference:
        return f"Nonconformity {source.reference}"
    if table == "risk" and source.kind == "opportunity":
        label = "Opportunity"
    return f"{label}: {source.display_name()}"
