"""The support registers as declarations: the action tracker's list, suppliers (8.4),
controlled documents and records (7.5), training records and required competences (7.2).

New records go through the area's service function (`Register.create`), so "New" on a
register screen keeps the same rules as the rest of the product: a supplier through
`suppliers.add_supplier`, a training record through `competence.record_training`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from peewee import JOIN, Case, Cast, fn

from qms_desktop import actions, clock, competence, suppliers
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    VERSION_STATES,
    Action,
    Competence,
    Document,
    DocumentVersion,
    Person,
    Record,
    Role,
    Supplier,
    SupplierEvaluation,
    TrainingRecord,
    is_live,
)
from qms_desktop.registers import Column, Filter, FormField, Register

RAISED_HERE = "Raised here"
# Kinds whose text is written on their own screen (policy, scope), and the screen's key.
OWN_SCREEN_KINDS = {"policy": "policy", "scope": "scope"}
RECORD_KINDS = ("record",)
EXPIRING_DAYS = 60


def _today() -> dt.date:
    return clock.today()


def _empty(value: Any) -> bool:
    return value is None or value == ""


# --- The action tracker -----------------------------------------------------------------------


def _moved_from() -> Any:
    """The first due date, only when the action has since been moved."""
    return Case(None, [(Action.original_due_on != Action.due_on, Action.original_due_on)], None)


def _source_key() -> Any:
    return Action.source_table.concat(":").concat(Action.source_id)


def raised_from_text(value: Any) -> str:
    """The "Raised from" cell: "Nonconformity NC-2026-014", "Risk: Late parts", "Raised here"."""
    table, _, record_id = str(value or "").partition(":")
    if not table:
        return RAISED_HERE
    return actions.source_label(Action(source_table=table, source_id=record_id))


def raised_from_texts(values: Sequence[Any]) -> Callable[[Any], str]:
    """`raised_from_text` for a page of the list: its sources read in one go, not a query
    for each row."""
    labels = actions.source_labels([str(value) for value in values if value])
    return lambda value: labels.get(str(value or ""), RAISED_HERE)


ACTION_TRACKER = Register(
    key="action_tracker",
    title="Actions",
    singular="action",
    model=Action,
    clause="10.2",
    description="Every action in one place, whatever raised it.",
    columns=(
        Column("title"),
        Column("owner.full_name", "Owner"),
        Column("due_on"),
        Column("moved_from", "Originally due", expression=_moved_from),
        Column("status"),
        Column("raised_from", "Raised from", expression=_source_key,
               page_formatter=raised_from_texts),
        Column("reference"),
    ),
    search=("reference", "title", "owner.full_name"),
    form=(FormField("title"), FormField("owner")),
    default_sort="due_on",
)

# The registers an action can come from, in the order the tracker's Source list offers them.
SOURCE_TABLES = (
    "nonconformity", "risk", "objective", "kpi", "finding", "feedback", "review_decision",
)
# The screen that shows each kind of source record (the main window's sidebar keys).
SOURCE_SCREENS = {
    "nonconformity": "nonconformities",
    "risk": "risks",
    "objective": "objectives",
    "kpi": "objectives",
    "finding": "audits",
    "feedback": "feedback",
    "review_decision": "reviews",
}


# --- Suppliers (8.4) ---------------------------------------------------------------------------


def _latest_score() -> Any:
    latest = SupplierEvaluation.alias("latest_evaluation")
    return (
        latest.select(
            (latest.quality + latest.delivery + latest.price + latest.responsiveness) / 4.0
        )
        .where((latest.supplier == Supplier.id) & is_live(latest))
        .order_by(latest.evaluated_on.desc(), latest.created_at.desc())
        .limit(1)
    )


def score_text(value: Any) -> str:
    return "Not evaluated" if _empty(value) else f"{float(value):.2f}"


def supplier_due(today: dt.date | None = None) -> Any:
    """Suppliers in use whose re-evaluation is due (by today), or who were never evaluated."""
    day = today or _today()
    never = ~fn.EXISTS(
        SupplierEvaluation.live(SupplierEvaluation.id).where(
            SupplierEvaluation.supplier == Supplier.id
        )
    )
    return (Supplier.approval != "suspended") & (
        (Supplier.reevaluation_due_on <= day)
        | (Supplier.reevaluation_due_on.is_null() & never)
    )


def _create_supplier(values: dict[str, Any]) -> Record:
    return suppliers.add_supplier(
        values.get("name") or "",
        provides=values.get("provides") or "",
        criticality=values.get("criticality") or "medium",
        contact=values.get("contact") or "",
        approval=values.get("approval") or "pending",
    )


SUPPLIERS = Register(
    key="suppliers",
    title="Suppliers",
    singular="supplier",
    model=Supplier,
    clause="8.4",
    description="External providers, how critical each is, whether it is approved, and how "
    "it scored when last evaluated.",
    columns=(
        Column("name"),
        Column("provides"),
        Column("criticality"),
        Column("approval"),
        Column("latest_score", "Latest score", expression=_latest_score, format=score_text),
        Column("reevaluation_due_on"),
        Column("reference"),
    ),
    search=("reference", "name", "provides"),
    filters=(
        Filter("due", "Due for re-evaluation", supplier_due),
        Filter("approved", "Approved", lambda: Supplier.approval.in_(("approved", "conditional"))),
        Filter("pending", "Pending approval", lambda: Supplier.approval == "pending"),
        Filter("suspended", "Suspended", lambda: Supplier.approval == "suspended"),
    ),
    form=(
        FormField("name"),
        FormField("provides"),
        FormField("criticality", hint="High: evaluated every year; medium every two years; "
                  "low every three. A score under 3 brings it to six months."),
        FormField("approval"),
        FormField("contact"),
    ),
    create=_create_supplier,
)


# --- Documents and records (7.5) -----------------------------------------------------------------


def _current_version() -> Any:
    """The version in force (the newest approved one), else the newest draft: "3:approved"."""
    version = DocumentVersion.alias("current_version")
    return (
        version.select(version.number.cast("TEXT").concat(":").concat(version.status))
        .where((version.document == Document.id) & is_live(version))
        .order_by((version.status == "approved").desc(), version.number.desc())
        .limit(1)
    )


def version_text(value: Any) -> str:
    if _empty(value):
        return "No version yet"
    number, _, status = str(value).partition(":")
    return f"v{number} · {dict(VERSION_STATES).get(status, status)}"


def _approval() -> Any:
    version = DocumentVersion.alias("approved_version")
    approver = Person.alias("approver")
    return (
        version.select(
            fn.COALESCE(approver.full_name, "").concat("|").concat(
                # The day of the time as text: substr, as both engines take it.
                fn.COALESCE(fn.substr(Cast(version.approved_at, "TEXT"), 1, 10), ""))
        )
        .join(approver, JOIN.LEFT_OUTER, on=(version.approved_by == approver.id))
        .where(
            (version.document == Document.id) & (version.status == "approved")
            & is_live(version)
        )
        .order_by(version.number.desc())
        .limit(1)
    )


def approval_text(value: Any) -> str:
    if _empty(value):
        return ""
    who, _, when = str(value).partition("|")
    return " on ".join(part for part in (who, when) if part)


def review_overdue(today: dt.date | None = None) -> Any:
    return Document.review_due_on < (today or _today())


DOCUMENTS = Register(
    key="documents",
    title="Documents",
    singular="document",
    model=Document,
    clause="7.5",
    description="Documents the system maintains and records it retains: who owns each, the "
    "version in force, who approved it, when it is next reviewed and how long it is kept.",
    columns=(
        Column("reference"),
        Column("title"),
        Column("kind"),
        Column("owner.full_name", "Owner"),
        Column("current_version", "Version", expression=_current_version, format=version_text),
        Column("approved", "Approved", expression=_approval, format=approval_text),
        Column("review_due_on"),
        Column("retention"),
        Column("location"),
    ),
    search=("reference", "title", "owner.full_name", "location"),
    filters=(
        Filter("documents", "Documents", lambda: Document.kind.not_in(RECORD_KINDS)),
        Filter("records", "Records", lambda: Document.kind.in_(RECORD_KINDS)),
        Filter("review_overdue", "Review overdue", review_overdue),
    ),
    form=(
        FormField("kind"),
        FormField("reference", hint="e.g. QP-04 or F-12"),
        FormField("title"),
        FormField("owner"),
        FormField("review_due_on", hint="When the owner next checks it is still right."),
        FormField("retention", hint="How long a record is kept, e.g. 3 years"),
        FormField("location", hint="Where it is kept: a folder, a drive, a binder"),
    ),
    default_sort="reference",
)


# --- Competence (7.2) ----------------------------------------------------------------------------


def _training_problems(values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    completed, expires = values.get("completed_on"), values.get("expires_on")
    if isinstance(completed, dt.date) and completed > _today():
        problems["completed_on"] = "The completion date cannot be in the future."
    elif isinstance(completed, dt.date) and isinstance(expires, dt.date) and expires <= completed:
        problems["expires_on"] = "It must expire after it was completed."
    return problems


def _create_training(values: dict[str, Any]) -> Record:
    person = Person.get_or_none(Person.id == values.get("person"))
    if person is None:
        raise ValidationError({"person": "Choose the person."})
    linked = values.get("competence")
    return competence.record_training(
        person,
        values.get("title") or "",
        values.get("completed_on"),  # type: ignore[arg-type]
        competence=Competence.get_or_none(Competence.id == linked) if linked else None,
        kind=values.get("kind") or "training",
        expires_on=values.get("expires_on"),
        provider=values.get("provider") or "",
        evidence=values.get("evidence") or "",
    )


def training_expired(today: dt.date | None = None) -> Any:
    return TrainingRecord.expires_on < (today or _today())


def training_expiring(today: dt.date | None = None) -> Any:
    day = today or _today()
    return (TrainingRecord.expires_on >= day) & (
        TrainingRecord.expires_on <= day + dt.timedelta(days=EXPIRING_DAYS)
    )


TRAINING_RECORDS = Register(
    key="training_records",
    title="Training records",
    singular="training record",
    model=TrainingRecord,
    clause="7.2",
    description="Training, qualifications and experience that show a person is competent.",
    columns=(
        Column("person.full_name", "Person"),
        Column("title"),
        Column("kind"),
        Column("competence.name", "Competence"),
        Column("completed_on"),
        Column("expires_on"),
    ),
    search=("person.full_name", "title", "competence.name"),
    filters=(
        Filter("expired", "Expired", training_expired),
        Filter("expiring", f"Expiring within {EXPIRING_DAYS} days", training_expiring),
    ),
    form=(
        FormField("person"),
        FormField("competence", hint="The required competence it proves, if any."),
        FormField("title"),
        FormField("kind"),
        FormField("completed_on"),
        FormField("expires_on", hint="Left empty, it follows from the competence's renewal."),
        FormField("provider"),
        FormField("evidence", hint="A certificate number, where the file is kept"),
    ),
    default_sort="completed_on",
    validate=_training_problems,
    create=_create_training,
)


def _competence_problems(values: dict[str, Any]) -> dict[str, str]:
    months = values.get("renew_every_months")
    if months is not None and int(months) < 1:
        return {"renew_every_months": "Renewal must be at least every month, or never."}
    return {}


def _create_competence(values: dict[str, Any]) -> Record:
    role = Role.get_or_none(Role.id == values.get("role"))
    if role is None:
        raise ValidationError({"role": "Choose the role that requires it."})
    return competence.require_competence(
        role,
        values.get("name") or "",
        description=values.get("description") or "",
        renew_every_months=values.get("renew_every_months"),
    )


COMPETENCES = Register(
    key="competences",
    title="Required competences",
    singular="competence",
    model=Competence,
    clause="7.2",
    description="What each role must know or be able to do, and how often it is renewed.",
    columns=(
        Column("role.title", "Role"),
        Column("name"),
        Column("renew_every_months"),
        Column("description"),
    ),
    search=("role.title", "name", "description"),
    form=(
        FormField("role"),
        FormField("name"),
        FormField("description"),
        FormField("renew_every_months", hint="Leave empty when it never needs renewing."),
    ),
    validate=_competence_problems,
    create=_create_competence,
)

SUPPORT_REGISTERS: tuple[Register, ...] = (
    ACTION_TRACKER, SUPPLIERS, DOCUMENTS, TRAINING_RECORDS, COMPETENCES,
)
