"""The nonconformity (10.2) and customer feedback (9.1.2) registers as declarations.

New records go through their services, not a bare insert: a nonconformity gets its
"NC-YYYY-NNN" reference from `nonconformities.create_nonconformity`, and feedback is checked by
`feedback.record_feedback`. Changes to a nonconformity go through `update_nonconformity`, so
the same date and choice checks apply when it is edited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import Case

from qms_desktop import clock, feedback, nonconformities
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    FEEDBACK_KINDS,
    NC_SOURCES,
    SEVERITIES,
    Action,
    Feedback,
    Nonconformity,
    Person,
    Process,
    Record,
)
from qms_desktop.registers import Column, Filter, FormField, Register

OPEN_LABEL, CLOSED_LABEL = "Open", "Closed"


def _linked(model: type[Record], value: Any) -> Any:
    """A link field's form value (an id, or "" / None for none) as the record it names."""
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    return model.get_by_id(value)


# --- Nonconformities ----------------------------------------------------------------------------


def _open_nc() -> Any:
    return Nonconformity.status != nonconformities.CLOSED


def _closed_nc() -> Any:
    return Nonconformity.status == nonconformities.CLOSED


def _with_overdue_actions() -> Any:
    """Nonconformities with at least one open action past its due date (today not yet)."""
    overdue = Action.live(Action.source_id).where(
        (Action.source_table == Nonconformity._meta.table_name)
        & (Action.status == "open")
        & (Action.due_on < clock.today())
    )
    return Nonconformity.id.in_(overdue)


def _from_source(key: str, label: str) -> Filter:
    return Filter(f"source_{key}", f"Source: {label}", lambda: Nonconformity.source == key)


@strict_arguments
def create_nc(values: dict[str, Any]) -> Nonconformity:
    return nonconformities.create_nonconformity(
        values.get("title") or "",
        values["raised_on"],
        values.get("source") or "internal",
        description=values.get("description") or "",
        process=_linked(Process, values.get("process")),
        severity=values.get("severity") or "minor",
        reported_by=_linked(Person, values.get("reported_by")),
        correction=values.get("correction") or "",
        containment=values.get("containment") or "",
    )


@strict_arguments
def update_nc(record: Record, values: dict[str, Any]) -> Nonconformity:
    if not isinstance(record, Nonconformity):
        raise ValidationError({"record": f"{record} is not a nonconformity."})
    changes = dict(values)
    for name, model in (("process", Process), ("reported_by", Person)):
        if name in changes:
            changes[name] = _linked(model, changes[name])
    return nonconformities.update_nonconformity(record, **changes)


NONCONFORMITIES = Register(
    key="nonconformities",
    title="Nonconformities",
    singular="nonconformity",
    model=Nonconformity,
    clause="10.2",
    description="What went wrong, how it was contained, its root cause, the corrective "
    "actions and whether they worked.",
    columns=(
        Column("reference"),
        Column("title"),
        Column("raised_on", "Raised"),
        Column("source"),
        Column("process.name", "Process"),
        Column("severity"),
        Column("status"),
    ),
    search=("reference", "title", "process.name"),
    filters=(
        Filter("open", "Open", _open_nc),
        Filter("closed", "Closed", _closed_nc),
        Filter("overdue_actions", "With overdue actions", _with_overdue_actions),
        *(_from_source(key, label) for key, label in NC_SOURCES),
    ),
    form=(
        FormField("title", hint="A short name, e.g. “Wrong label on batch 42”"),
        FormField("raised_on"),
        FormField("source"),
        FormField("process"),
        FormField("severity"),
        FormField("reported_by"),
        FormField("description", label="What happened",
                  hint="What was found, where, when, how much was affected"),
        FormField("correction", hint="What was done straight away to fix it"),
        FormField("containment", hint="What stops it reaching the customer meanwhile"),
    ),
    create=create_nc,
    update=update_nc,
)


# --- Customer feedback ----------------------------------------------------------------------------


@strict_arguments
def feedback_status() -> Any:
    """"Open" until a response closes it, then "Closed": sortable like a field."""
    return Case(None, [(Feedback.closed_on.is_null(), OPEN_LABEL)], CLOSED_LABEL)


def _open_complaints() -> Any:
    return (Feedback.kind == feedback.COMPLAINT) & Feedback.closed_on.is_null()


def _open_feedback() -> Any:
    return Feedback.closed_on.is_null()


def _of_kind(key: str, label: str) -> Filter:
    return Filter(key, label, lambda: Feedback.kind == key)


@strict_arguments
def create_feedback(values: dict[str, Any]) -> Feedback:
    return feedback.record_feedback(
        values.get("kind") or "",
        values.get("customer") or "",
        values.get("received_on"),  # type: ignore[arg-type]  # record_feedback reports None
        values.get("description") or "",
        product=values.get("product") or "",
        severity=values.get("severity") or "",
    )


def _feedback_problems(values: dict[str, Any]) -> dict[str, str]:
    received = values.get("received_on")
    if isinstance(received, dt.date) and received > clock.today():
        return {"received_on": "The date received cannot be in the future."}
    return {}


FEEDBACK = Register(
    key="feedback",
    title="Customer feedback",
    singular="feedback item",
    model=Feedback,
    clause="9.1.2",
    description="Complaints, compliments, suggestions and survey results, with the answer "
    "given; a complaint can raise a nonconformity.",
    columns=(
        Column("kind"),
        Column("customer"),
        Column("received_on", "Received"),
        Column("product"),
        Column("severity"),
        Column("feedback_status", "Status", expression=feedback_status),
        Column("nonconformity.reference", "Nonconformity"),
        Column("reference"),
    ),
    search=("reference", "customer", "product", "nonconformity.reference"),
    filters=(
        Filter("open_complaints", "Open complaints", _open_complaints),
        Filter("open", "Open", _open_feedback),
        *(_of_kind(key, label) for key, label in FEEDBACK_KINDS),
    ),
    form=(
        FormField("kind"),
        FormField("customer"),
        FormField("received_on"),
        FormField("product"),
        # The form offers "— none —" itself; the model's own "—" choice would be a second one.
        FormField("severity", choices=SEVERITIES),
        FormField("description"),
    ),
    default_sort="received_on",
    validate=_feedback_problems,
    create=create_feedback,
)

IMPROVEMENT_REGISTERS: tuple[Register, ...] = (NONCONFORMITIES, FEEDBACK)
