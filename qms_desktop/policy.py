"""The quality policy (5.2): versions, the 5.2.1 check, communication and acknowledgement.

A version is a draft, approved (in force) or superseded. Exactly one version is in force at
a time; approved and superseded versions are never edited, and changing the policy starts a
new draft. Acknowledgements belong to a version, so a new version needs new ones.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qms_desktop import organisation, records
from qms_desktop.clauses import POLICY_POINTS, POLICY_POINTS_BY_KEY, PolicyPoint
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    Acknowledgement,
    Communication,
    Document,
    DocumentVersion,
    Person,
    PersonRole,
    PolicyCheck,
    Role,
    database,
    is_live,
    utc_now,
)

if TYPE_CHECKING:
    from peewee import Expression

POLICY_KIND = "policy"


class NeedsConfirmation(ValidationError):
    """Approval with unmet 5.2.1 points: allowed, but only when the user confirms it."""

    def __init__(self, unmet: list[PolicyPoint]):
        super().__init__({"checks": "Not yet met: " + "; ".join(p.title for p in unmet)})
        self.unmet = unmet


@strict_arguments
def document_of_kind(kind: str, title: str, reference: str,
                     create: bool = True) -> Document | None:
    """The one controlled document of `kind` (the policy, the scope), made on first use."""
    found = (
        Document.live()
        .where(Document.kind == kind)
        .get_or_none()
    )
    if found is None and create:
        found = records.create(Document, kind=kind, title=title, reference=reference)
    return found


@strict_arguments
def policy_document(create: bool = True) -> Document | None:
    return document_of_kind(POLICY_KIND, "Quality policy", "QP-01", create)


@strict_arguments
def versions(document: Document) -> list[DocumentVersion]:
    return list(
        DocumentVersion.select()
        .where(DocumentVersion.document == document)
        .order_by(DocumentVersion.number.desc())
    )


@strict_arguments
def in_force(document: Document | None = None) -> DocumentVersion | None:
    document = document or policy_document(create=False)
    if document is None:
        return None
    return (
        DocumentVersion.select()
        .where((DocumentVersion.document == document) & (DocumentVersion.status == "approved"))
        .get_or_none()
    )


@strict_arguments
def current_draft(document: Document) -> DocumentVersion | None:
    return (
        DocumentVersion.select()
        .where((DocumentVersion.document == document) & (DocumentVersion.status == "draft"))
        .get_or_none()
    )


@strict_arguments
def start_draft(document: Document, body: str | None = None) -> DocumentVersion:
    """The open draft, or a new one copied from the version in force (one draft at a time)."""
    existing = current_draft(document)
    if existing is not None:
        return existing
    base = in_force(document)
    with database.atomic():
        draft = records.create(
            DocumentVersion,
            document=document,
            number=next_number(document),
            status="draft",
            body=body if body is not None else (base.body if base else ""),
        )
        previous = {c.point: c for c in base.checks} if base else {}
        for point in POLICY_POINTS:
            evidence = previous[point.key].evidence if point.key in previous else ""
            if evidence and evidence not in draft.body:
                evidence = ""
            records.create(PolicyCheck, version=draft, point=point.key, met=False,
                           evidence=evidence)
    return draft


def _require_draft(version: DocumentVersion) -> None:
    # The stored status decides: another window may have approved this version since
    # `version` was read, and saving a stale object would write its old status back.
    stored = (
        DocumentVersion.select(DocumentVersion.status)
        .where(DocumentVersion.id == version.id)
        .scalar()
    )
    if stored is not None:
        version.status = stored
    if version.status != "draft":
        raise ValidationError(
            {"version": f"Version {version.number} is {version.status} and can no longer be "
                        "changed. Start a new draft to change the policy."}
        )


@strict_arguments
def edit_draft(version: DocumentVersion, body: str, change_summary: str = "") -> None:
    _require_draft(version)
    if not body.strip():
        raise ValidationError({"body": "The policy text is empty."})
    with database.atomic():
        records.update(version, body=body, change_summary=change_summary)
        # A sentence linked as evidence that is no longer in the text proves nothing.
        for check in version.checks:
            if check.evidence and check.evidence not in body:
                records.update(check, met=False, evidence="")


@strict_arguments
def checks(version: DocumentVersion) -> dict[str, PolicyCheck]:
    return {c.point: c for c in version.checks}


@strict_arguments
def set_check(version: DocumentVersion, point: str, met: bool, evidence: str = "",
              read: dict[str, PolicyCheck] | None = None) -> PolicyCheck:
    """Whether the draft meets `point`, and the sentence of its text that shows it.

    `read` is the draft's checks as the form showed them (`checks`, with their row
    versions); None: as stored now. When this point's check changed since (or one was
    made where the form showed none), the save is refused with RecordChanged and nothing
    written; other points changed meanwhile are no reason to refuse.
    """
    _require_draft(version)
    if point not in POLICY_POINTS_BY_KEY:
        raise ValueError(f"unknown policy point {point!r}")
    evidence = evidence.strip()
    if evidence and evidence not in version.body:
        raise ValidationError(
            {point: "The linked sentence is not in the policy text; copy it exactly."}
        )
    with database.atomic():
        if read is None:
            existing = checks(version).get(point)
        else:
            shown = read.get(point)
            # A copy: a refused save must not leave the form's check at a version never stored.
            existing = _copy(shown) if shown is not None else None
            # First: on a server it takes the writers' turn, so the check holds to the write.
            records.refuse_if_changed([existing] if existing is not None else [])
            if existing is None and (made := checks(version).get(point)) is not None:
                raise records.refusal_for(made)
        if existing is None:
            return records.create(PolicyCheck, version=version, point=point, met=met,
                                  evidence=evidence)
        return records.update(existing, met=met, evidence=evidence)


def _copy(check: PolicyCheck) -> PolicyCheck:
    copy = PolicyCheck()
    copy.__data__ = dict(check.__data__)
    return copy


@strict_arguments
def unmet_points(version: DocumentVersion) -> list[PolicyPoint]:
    answered = checks(version)
    return [p for p in POLICY_POINTS if not (p.key in answered and answered[p.key].met)]


@strict_arguments
def holds_top_management() -> Expression:
    """The condition, on PersonRole joined with Role, of a current top-management role."""
    return is_live(PersonRole, Role) & (Role.is_top_management == True)  # noqa: E712


@strict_arguments
def is_top_management(person: Person | None) -> bool:
    if person is None:
        return False
    return (
        PersonRole.select()
        .join(Role)
        .where((PersonRole.person == person) & holds_top_management())
        .exists()
    )


@strict_arguments
def top_management_ids() -> set[str]:
    """Ids of everyone who holds a top-management role now (one query)."""
    return {
        link.person_id
        for link in PersonRole.select(PersonRole.person)
        .join(Role)
        .where(holds_top_management())
    }


@dataclass(frozen=True)
class Approval:
    version: DocumentVersion
    superseded: DocumentVersion | None
    by_top_management: bool
    unmet: list[PolicyPoint]

    @property
    def warnings(self) -> list[str]:
        found = []
        if not self.by_top_management:
            approver = self.version.approved_by
            assert approver is not None  # an Approval is made by approving
            found.append(
                f"{approver.display_name()} is not in a top-management role; "
                "auditors expect top management to approve the policy."
            )
        if self.unmet:
            found.append("Approved with unmet points: " + "; ".join(p.title for p in self.unmet))
        return found


@strict_arguments
def approve(
    version: DocumentVersion,
    approver: Person,
    *,
    confirm_unmet: bool = False,
    note: str = "",
) -> Approval:
    """Put a draft in force; the version in force before is superseded in the same step."""
    _require_draft(version)
    if approver is None:
        raise ValidationError({"approver": "Choose who approves the policy."})
    if not version.body.strip():
        raise ValidationError({"body": "The policy text is empty."})
    unmet = unmet_points(version)
    if unmet and not confirm_unmet:
        raise NeedsConfirmation(unmet)
    top = is_top_management(approver)
    notes = [note.strip()] if note.strip() else []
    if unmet:
        notes.append("Approved with unmet points (confirmed): "
                     + "; ".join(p.title for p in unmet))
    if not top:
        notes.append("Approver was not in a top-management role.")
    previous = put_in_force(version, approver, top, approval_note="\n".join(notes))
    return Approval(version, previous, top, unmet)


@strict_arguments
def next_number(document: Document) -> int:
    latest = (
        DocumentVersion.select(DocumentVersion.number)
        .where(DocumentVersion.document == document)
        .order_by(DocumentVersion.number.desc())
        .scalar()
    )
    return (latest or 0) + 1


@strict_arguments
def put_in_force(version: DocumentVersion, approver: Person, top: bool,
                 **extra: str) -> DocumentVersion | None:
    """Approve `version` of any controlled document; the one in force before is superseded
    in the same transaction. Returns that previous version, if any."""
    own = {"status", "approved_by", "approved_at", "approved_by_top_management"} & set(extra)
    if own:
        raise ValidationError({name: "Set by the approval itself." for name in sorted(own)})
    with database.atomic():
        previous = in_force(version.document)
        if previous is not None:
            records.update(previous, status="superseded")
        records.update(version, status="approved", approved_by=approver,
                       approved_at=utc_now(), approved_by_top_management=top, **extra)
    return previous


# --- Differences between versions ------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    left: str
    right: str
    change: str  # "same", "changed", "removed", "added"


@strict_arguments
def side_by_side(old: str, new: str) -> list[DiffLine]:
    """Line pairs for a two-column comparison of two versions' texts."""
    left = old.splitlines()
    right = new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine(a, a, "same") for a in left[i1:i2])
        elif tag == "delete":
            lines.extend(DiffLine(a, "", "removed") for a in left[i1:i2])
        elif tag == "insert":
            lines.extend(DiffLine("", b, "added") for b in right[j1:j2])
        else:
            old_part, new_part = left[i1:i2], right[j1:j2]
            for k in range(max(len(old_part), len(new_part))):
                has_old, has_new = k < len(old_part), k < len(new_part)
                a = old_part[k] if has_old else ""
                b = new_part[k] if has_new else ""
                # By position, not by truthiness: a blank line is still a line.
                kind = "changed" if has_old and has_new else ("removed" if has_old else "added")
                lines.append(DiffLine(a, b, kind))
    return lines


# --- Communication and awareness (5.2.2, 7.3) --------------------------------------------------


@strict_arguments
def record_communication(
    version: DocumentVersion,
    method: str,
    communicated_on: dt.date,
    audience: str = "",
    communicated_by: Person | None = None,
) -> Communication:
    if version.status == "draft":
        raise ValidationError({"version": "Communicate an approved version, not a draft."})
    return records.create(
        Communication,
        version=version,
        method=method,
        communicated_on=communicated_on,
        audience=audience.strip(),
        communicated_by=communicated_by,
    )


@strict_arguments
def acknowledge(version: DocumentVersion, person: Person, on: dt.date) -> Acknowledgement:
    """Record that `person` read and understood `version`; a second call changes nothing."""
    if version.status == "draft":
        raise ValidationError({"version": "People acknowledge an approved version, not a draft."})
    existing = Acknowledgement.get_or_none(
        (Acknowledgement.version == version) & (Acknowledgement.person == person)
    )
    if existing is not None:
        if existing.archived_at is not None:
            records.unarchive(existing)
        return existing
    return records.create(Acknowledgement, version=version, person=person, acknowledged_on=on)


@strict_arguments
def acknowledge_all(version: DocumentVersion, person_ids: list[str],
                    on: dt.date) -> list[Acknowledgement]:
    """`acknowledge` for several people at once: all are recorded, or none."""
    people = {p.id: p for p in Person.select().where(Person.id.in_(person_ids))}
    with database.atomic():
        return [acknowledge(version, people[person_id], on) for person_id in person_ids]


@strict_arguments
def acknowledged_by(version: DocumentVersion) -> list[Acknowledgement]:
    return list(
        Acknowledgement.select(Acknowledgement, Person)
        .join(Person)
        .where((Acknowledgement.version == version) & is_live(Acknowledgement))
        .order_by(Person.full_name)
    )


@strict_arguments
def not_acknowledged(version: DocumentVersion) -> list[Person]:
    """Active people who have not acknowledged this version."""
    done = Acknowledgement.live(Acknowledgement.person).where(
        Acknowledgement.version == version
    )
    return list(organisation.active_people().where(Person.id.not_in(done)))
