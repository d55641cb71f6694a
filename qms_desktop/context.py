"""Context (4.1 to 4.3): issues, interested parties, the climate decision, and the scope.

The scope is a controlled document like the policy: versions that are drafted, approved and
superseded, each with its products and services, sites and clauses not applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qms_desktop import clock, records
from qms_desktop.clauses import CLAUSES_BY_NUMBER
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    ClimateDecision,
    ContextIssue,
    Document,
    DocumentVersion,
    InterestedParty,
    PartyRequirement,
    Person,
    Record,
    ScopeItem,
    database,
    is_live,
)
from qms_desktop.policy import (
    current_draft,
    document_of_kind,
    in_force,
    is_top_management,
    next_number,
    put_in_force,
)

SCOPE_KIND = "scope"


# --- Climate (4.1, 2024 amendment) ------------------------------------------------------------


@strict_arguments
def climate_decision() -> ClimateDecision | None:
    return (
        ClimateDecision.live()
        .order_by(ClimateDecision.decided_on.desc(), ClimateDecision.id.desc())
        .get_or_none()
    )


@strict_arguments
def decide_climate(relevant: bool, reason: str, by: Person | None,
                   on: dt.date | None = None) -> ClimateDecision:
    if not reason.strip():
        raise ValidationError({"reason": "Say why climate change is or is not relevant."})
    return records.create(ClimateDecision, relevant=relevant, reason=reason.strip(),
                          decided_by=by, decided_on=on or clock.today())


# --- Changes in a period (review input b) ----------------------------------------------------


@dataclass(frozen=True)
class ContextChange:
    what: str  # "New issue", "Changed party"...
    record: Record
    when: dt.datetime


@strict_arguments
def changes_since(since: dt.date, until: dt.date | None = None) -> list[ContextChange]:
    """Issues, parties and requirements created or changed in the period, newest first."""
    start = dt.datetime.combine(since, dt.time.min)
    end = dt.datetime.combine(until or clock.today(), dt.time.max)
    found: list[ContextChange] = []
    for model, noun in (
        (ContextIssue, "issue"),
        (InterestedParty, "interested party"),
        (PartyRequirement, "requirement"),
    ):
        query = model.select().where(
            (model.updated_at >= start) & (model.updated_at <= end)
        )
        for row in query:
            if row.archived_at is not None and start <= row.archived_at <= end:
                what = f"Retired {noun}"
            elif start <= row.created_at <= end:
                what = f"New {noun}"
            else:
                what = f"Changed {noun}"
            found.append(ContextChange(what, row, row.updated_at))
    return sorted(found, key=lambda c: c.when, reverse=True)


@strict_arguments
def unaddressed_requirements() -> list[PartyRequirement]:
    return list(
        PartyRequirement.select()
        .join(InterestedParty)
        .where(
            is_live(PartyRequirement, InterestedParty)
            & (PartyRequirement.addressed == False)  # noqa: E712
        )
    )


# --- Scope (4.3) -----------------------------------------------------------------------------


@strict_arguments
def scope_document(create: bool = True) -> Document | None:
    return document_of_kind(SCOPE_KIND, "Scope of the quality system", "QS-01", create)


@strict_arguments
def scope_items(version: DocumentVersion) -> list[ScopeItem]:
    return list(
        ScopeItem.live()
        .where(ScopeItem.version == version)
        .order_by(ScopeItem.kind, ScopeItem.clause, ScopeItem.name)
    )


@strict_arguments
def start_scope_draft(document: Document) -> DocumentVersion:
    """The open draft, or a new one copying the statement and items of the version in force."""
    existing = current_draft(document)
    if existing is not None:
        return existing
    base = in_force(document)
    with database.atomic():
        draft = records.create(DocumentVersion, document=document, number=next_number(document),
                               status="draft", body=base.body if base else "")
        for item in scope_items(base) if base else []:
            records.create(ScopeItem, version=draft, kind=item.kind, name=item.name,
                           clause=item.clause, justification=item.justification)
    return draft


@strict_arguments
def add_scope_item(version: DocumentVersion, kind: str, name: str, clause: str = "",
                   justification: str = "") -> ScopeItem:
    _require_scope_draft(version)
    problems = {}
    if kind == "exclusion":
        if clause not in CLAUSES_BY_NUMBER:
            problems["clause"] = "Give the number of the clause that does not apply."
        if not justification.strip():
            problems["justification"] = "Every clause not applied needs a justification."
        name = name or (CLAUSES_BY_NUMBER[clause].title if clause in CLAUSES_BY_NUMBER else "")
    elif not name.strip():
        problems["name"] = "Give the product, service or site."
    if problems:
        raise ValidationError(problems)
    return records.create(ScopeItem, version=version, kind=kind, name=name.strip(),
                          clause=clause, justification=justification.strip())


def _require_scope_draft(version: DocumentVersion) -> None:
    # The stored status decides: another window may have approved this version since
    # `version` was read.
    stored = (
        DocumentVersion.select(DocumentVersion.status)
        .where(DocumentVersion.id == version.id)
        .scalar()
    )
    if stored is not None:
        version.status = stored
    if version.status != "draft":
        raise ValidationError({"version": "Only a draft scope can change; start a new draft."})


@strict_arguments
def edit_scope_draft(version: DocumentVersion, body: str) -> DocumentVersion:
    """Save the statement of a scope draft; a version approved meanwhile is refused."""
    _require_scope_draft(version)
    if not (body or "").strip():
        raise ValidationError({"body": "The scope statement is empty."})
    return records.update(version, body=body)


@strict_arguments
def remove_scope_item(item: ScopeItem) -> ScopeItem:
    """Take a product, site or exclusion off a scope draft (archived, so the history keeps it)."""
    _require_scope_draft(item.version)
    return records.archive(item)


@strict_arguments
def approve_scope(version: DocumentVersion, approver: Person) -> list[str]:
    """Put a scope draft in force; returns warnings for the user."""
    if version.status != "draft":
        raise ValidationError({"version": "Only a draft can be approved."})
    if not version.body.strip():
        raise ValidationError({"body": "Write the scope statement first."})
    items = scope_items(version)
    if not any(i.kind == "product" for i in items):
        raise ValidationError({"items": "Name at least one product or service in scope."})
    top = is_top_management(approver)
    put_in_force(version, approver, top)
    if top:
        return []
    return [f"{approver.display_name()} is not in a top-management role; auditors expect "
            "top management to approve the scope."]
