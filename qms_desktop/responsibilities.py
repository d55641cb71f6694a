"""Who is responsible for what (5.3), and handing it over when someone leaves (6.3).

The five duties are built in; each is given to a person or a role with the date it was
communicated. A missing assignment is a gap an auditor will write up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from qms_desktop import clock, organisation, records
from qms_desktop.clauses import DUTIES, DUTIES_BY_KEY, Duty
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    Action,
    DutyAssignment,
    Kpi,
    Objective,
    Person,
    PersonRole,
    Process,
    RaciCell,
    Record,
    Resource,
    Risk,
    Role,
    database,
    is_live,
)


@strict_arguments
def assignment(duty_key: str) -> DutyAssignment | None:
    return (
        DutyAssignment.live()
        .where(DutyAssignment.duty == duty_key)
        .get_or_none()
    )


@strict_arguments
def assign_duty(
    duty_key: str,
    *,
    person: Person | None = None,
    role: Role | None = None,
    communicated_on: dt.date | None = None,
    notes: str = "",
    read: DutyStatus | None = None,
) -> DutyAssignment | None:
    """Give a duty to one person or one role; with neither, the duty becomes unassigned.

    `read` is the duty as the form showed it (from `duty_statuses`); None: as stored now.
    When its assignment changed since (or one was made where it showed none), the save is
    refused with RecordChanged and nothing written: a holder and the date they were told
    go together, so no part of someone else's assignment is written over.
    """
    if duty_key not in DUTIES_BY_KEY:
        raise ValidationError({"duty_key": f"There is no duty {duty_key[:40]!r}."})
    if person is not None and role is not None:
        raise ValidationError({"holder": "Give the duty to a person or to a role, not both."})
    if communicated_on is not None and communicated_on > clock.today():
        raise ValidationError({"communicated_on": "The communication date is in the future."})
    with database.atomic():
        if read is None:
            existing = assignment(duty_key)
        else:
            existing = read.assignment
            # First: on a server it takes the writers' turn, so the check holds to the write.
            records.refuse_if_changed([existing] if existing is not None else [])
            if existing is None and (made := assignment(duty_key)) is not None:
                raise records.refusal_for(made)
        if person is None and role is None:
            if existing is not None:
                records.archive(existing)
            return None
        values: dict[str, Any] = {
            "person": person,
            "role": role,
            "communicated_on": communicated_on,
            "notes": notes,
        }
        if existing is None:
            return records.create(DutyAssignment, duty=duty_key, **values)
        return records.update(existing, **values)


@strict_arguments
def role_holders(role: Role) -> list[Person]:
    return list(
        Person.select()
        .join(PersonRole)
        .where(
            (PersonRole.role == role)
            & is_live(PersonRole)
            & organisation.still_working()
        )
        .order_by(Person.full_name)
    )


@strict_arguments
def roles_of(person: Person) -> list[Role]:
    return list(
        Role.select()
        .join(PersonRole)
        .where(
            (PersonRole.person == person)
            & is_live(PersonRole, Role)
        )
        .order_by(Role.title)
    )


@strict_arguments
def set_role(person: Person, role: Role, holds: bool) -> None:
    """Give `person` the role, or take it away; a role can be shared, a person hold several."""
    link = PersonRole.get_or_none((PersonRole.person == person) & (PersonRole.role == role))
    with database.atomic():
        if holds:
            if link is None:
                records.create(PersonRole, person=person, role=role)
            elif link.archived_at is not None:
                records.unarchive(link)
        elif link is not None and link.archived_at is None:
            records.archive(link)


@dataclass(frozen=True)
class DutyStatus:
    duty: Duty
    assignment: DutyAssignment | None
    holder: str  # who holds it, in words
    gap: str  # "" when sound

    @property
    def is_gap(self) -> bool:
        return bool(self.gap)


@strict_arguments
def duty_statuses() -> list[DutyStatus]:
    """Each of the five duties with its holder and, where it falls short, the gap."""
    # One query for the five, with their holders (a pack asks twice: readiness and 5.3).
    assigned: dict[str, DutyAssignment] = {}
    for row in (DutyAssignment.live().select_extend(Person, Role)
                .join(Person, JOIN.LEFT_OUTER).switch(DutyAssignment)
                .join(Role, JOIN.LEFT_OUTER).order_by(DutyAssignment.id)):
        assigned.setdefault(row.duty, row)
    statuses = []
    for duty in DUTIES:
        found = assigned.get(duty.key)
        holder, gap = "", ""
        if found is None:
            gap = f"{duty.clause}: nobody is assigned to {duty.gap_phrase}."
        elif (person := found.person) is not None:
            holder = person.display_name()
            if not person.active or person.archived_at is not None:
                gap = f"{duty.clause}: {holder} has left; assign someone else."
        elif (role := found.role) is not None:
            names = [p.display_name() for p in role_holders(role)]
            holder = f"{role.display_name()} ({', '.join(names) or 'nobody'})"
            if not names:
                gap = f"{duty.clause}: the role {role.display_name()} has nobody in it."
        if found is not None and not gap and found.communicated_on is None:
            gap = f"{duty.clause}: {holder} was given this duty, but when it was " \
                  "communicated is not recorded."
        statuses.append(DutyStatus(duty, found, holder, gap))
    return statuses


@strict_arguments
def duty_gaps() -> list[str]:
    return [s.gap for s in duty_statuses() if s.is_gap]


# --- When someone leaves ---------------------------------------------------------------------


@dataclass(frozen=True)
class Responsibility:
    """One thing a person answers for, and the field that names them."""

    kind: str  # "Duty", "Process", "Objective"...
    record: Record
    field: str
    description: str

    @property
    def key(self) -> str:
        return f"{self.record._meta.table_name}:{self.record.id}:{self.field}"


@strict_arguments
def responsibilities_of(person: Person) -> list[Responsibility]:
    """Everything that would be left without an owner if `person` left."""
    found: list[Responsibility] = []

    def current(query: Any) -> Any:
        return query.where(is_live(query.model))

    for duty in current(DutyAssignment.select().where(DutyAssignment.person == person)):
        title = DUTIES_BY_KEY[duty.duty].title if duty.duty in DUTIES_BY_KEY else duty.duty
        found.append(Responsibility("Duty (5.3)", duty, "person", title))
    for link in current(PersonRole.select().where(PersonRole.person == person)):
        role = link.role
        others = [p for p in role_holders(role) if p.id != person.id]
        cells = RaciCell.live().where(
            RaciCell.role == role
        ).count()
        sole = " — the only holder" if not others else ""
        detail = f"{role.display_name()}{sole}"
        if cells:
            detail += f"; the role has {cells} RACI {'entry' if cells == 1 else 'entries'}"
        found.append(Responsibility("Role", link, "person", detail))
    owned = (
        ("Process", Process, "owner", "name"),
        ("Objective", Objective, "owner", "title"),
        ("KPI", Kpi, "owner", "name"),
        ("Risk or opportunity", Risk, "owner", "title"),
        ("Resource", Resource, "owner", "name"),
    )
    for kind, model, field_name, title in owned:
        query = current(model.select().where(getattr(model, field_name) == person))
        found.extend(
            Responsibility(kind, r, field_name, getattr(r, title)) for r in query
        )
    open_actions = current(
        Action.select().where((Action.owner == person) & (Action.status == "open"))
    )
    found.extend(Responsibility("Open action", a, "owner", a.title) for a in open_actions)
    return found


@strict_arguments
def hand_over(
    leaver: Person,
    successors: dict[str, Person],
    default: Person | None,
    left_on: dt.date,
) -> int:
    """Mark `leaver` as left and pass each responsibility to its successor, in one step.

    `successors` maps a Responsibility.key to the person taking it over; others go to
    `default`. Returns how many responsibilities moved. Refuses to leave anything orphaned.
    """
    items = responsibilities_of(leaver)
    missing = [i for i in items if successors.get(i.key, default) is None]
    if missing:
        raise ValidationError(
            {"successor": f"Choose who takes over {len(missing)} "
                          f"{'responsibility' if len(missing) == 1 else 'responsibilities'}, "
                          f"starting with: {missing[0].kind} {missing[0].description}."}
        )
    for item in items:
        taker = successors.get(item.key, default)
        if taker is not None and taker.id == leaver.id:
            raise ValidationError({"successor": "The person leaving cannot take over."})
    with database.atomic():
        for item in items:
            taker = successors.get(item.key, default)
            # Any: the named field is a foreign key here, but records.update takes any value.
            new_holder: dict[str, Any] = {item.field: taker}
            if isinstance(item.record, PersonRole):
                already = PersonRole.get_or_none(
                    (PersonRole.person == taker)
                    & (PersonRole.role == item.record.role)
                    & is_live(PersonRole)
                )
                if already is None:
                    records.create(PersonRole, person=taker, role=item.record.role)
                records.archive(item.record)
            elif isinstance(item.record, DutyAssignment):
                # The successor has not been told yet: the duty shows as a gap until the
                # date it is communicated to them is recorded (5.3 "communicated").
                records.update(item.record, **new_holder, communicated_on=None)
            else:
                records.update(item.record, **new_holder)
        records.update(leaver, active=False, left_on=left_on)
    return len(items)
