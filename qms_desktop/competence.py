"""Competence (7.2): what each role requires, what each person has shown, and the gaps.

A competence belongs to a role. A person needs every competence of every role they hold. A
training record proves a competence until it expires; a record expiring today is still
valid today. When a competence must be renewed every N months and a record gives no expiry
date, the expiry is set to the completion date plus N months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qms_desktop import clock, organisation, records
from qms_desktop.dates import add_months
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    TRAINING_KINDS,
    Competence,
    Person,
    PersonRole,
    Role,
    TrainingRecord,
    is_live,
)


@strict_arguments
def require_competence(role: Role, name: str, description: str = "",
                       renew_every_months: int | None = None) -> Competence:
    problems = {}
    if not (name or "").strip():
        problems["name"] = "Name the competence."
    if renew_every_months is not None and renew_every_months < 1:
        problems["renew_every_months"] = "Renewal must be at least every month, or never."
    if problems:
        raise ValidationError(problems)
    return records.create(Competence, role=role, name=name.strip(),
                          description=description.strip(),
                          renew_every_months=renew_every_months)


@strict_arguments
def required_by_role(role: Role) -> list[Competence]:
    return list(
        Competence.live()
        .where(Competence.role == role)
        .order_by(Competence.name)
    )


@strict_arguments
def required_for(person: Person) -> list[Competence]:
    """Every competence the person's current roles require, once each."""
    return list(
        Competence.select()
        .join(Role)
        .join(PersonRole, on=(PersonRole.role == Role.id))
        .where(
            (PersonRole.person == person) & is_live(PersonRole, Role, Competence)
        )
        .distinct()
        .order_by(Role.title, Competence.name)
    )


@strict_arguments
def record_training(
    person: Person,
    title: str,
    completed_on: dt.date,
    *,
    competence: Competence | None = None,
    kind: str = "training",
    expires_on: dt.date | None = None,
    provider: str = "",
    evidence: str = "",
    today: dt.date | None = None,
) -> TrainingRecord:
    today = today or clock.today()
    problems = {}
    if not (title or "").strip():
        problems["title"] = "Say what the training or experience was."
    if kind not in dict(TRAINING_KINDS):
        problems["kind"] = "Choose training, qualification or experience."
    if completed_on is None:
        problems["completed_on"] = "Give the date it was completed."
    elif completed_on > today:
        problems["completed_on"] = "The completion date cannot be in the future."
    elif expires_on is not None and expires_on <= completed_on:
        problems["expires_on"] = "It must expire after it was completed."
    if problems:
        raise ValidationError(problems)
    if expires_on is None and competence is not None and competence.renew_every_months:
        expires_on = add_months(completed_on, competence.renew_every_months)
    return records.create(
        TrainingRecord,
        person=person,
        competence=competence,
        title=title.strip(),
        kind=kind,
        completed_on=completed_on,
        expires_on=expires_on,
        provider=provider.strip(),
        evidence=evidence.strip(),
    )


@strict_arguments
def records_of(person: Person, competence: Competence | None = None) -> list[TrainingRecord]:
    """Newest first."""
    query = TrainingRecord.live().where(
        TrainingRecord.person == person
    )
    if competence is not None:
        query = query.where(TrainingRecord.competence == competence)
    return list(query.order_by(TrainingRecord.completed_on.desc(),
                               TrainingRecord.created_at.desc()))


@strict_arguments
def is_valid(record: TrainingRecord, today: dt.date) -> bool:
    return record.expires_on is None or record.expires_on >= today


@strict_arguments
def best_record(person: Person, competence: Competence,
                today: dt.date) -> TrainingRecord | None:
    """The record that proves the competence longest (never-expiring first), or None."""
    valid = [r for r in records_of(person, competence) if is_valid(r, today)]
    if not valid:
        return None
    return max(valid, key=lambda r: (r.expires_on is None, r.expires_on or today))


@dataclass(frozen=True)
class Gap:
    person: Person
    competence: Competence
    reason: str
    last_record: TrainingRecord | None  # the expired one, when there is one


@strict_arguments
def gaps(today: dt.date) -> list[Gap]:
    """For each active person, each required competence with no record valid today.

    Reads people, role links, competences and records in four queries, so the overview stays
    quick with hundreds of people.
    """
    people = {p.id: p for p in organisation.active_people()}
    roles_of: dict[str, set[str]] = {}
    for link in (
        PersonRole.live(PersonRole.person, PersonRole.role)
        .where(PersonRole.person.in_(list(people)))
    ):
        roles_of.setdefault(link.person_id, set()).add(link.role_id)
    required: dict[str, list[Competence]] = {}
    for competence in Competence.live(Competence, Role).join(Role).order_by(Competence.name):
        required.setdefault(competence.role_id, []).append(competence)
    history: dict[tuple[str, str | None], list[TrainingRecord]] = {}
    for record in TrainingRecord.live().where(
        TrainingRecord.competence.is_null(False)
    ):
        history.setdefault((record.person_id, record.competence_id), []).append(record)
    found = []
    for person in people.values():
        seen: set[str] = set()
        for role_id in sorted(roles_of.get(person.id, ())):
            for competence in required.get(role_id, []):
                if competence.id in seen:
                    continue
                seen.add(competence.id)
                records = history.get((person.id, competence.id), [])
                if any(is_valid(r, today) for r in records):
                    continue
                if not records:
                    reason = (f"no record for {competence.name} "
                              f"(required as {competence.role.title})")
                    found.append(Gap(person, competence, reason, None))
                    continue
                last = max(records, key=lambda r: r.expires_on or today)
                reason = f"{competence.name} expired on {last.expires_on}"
                found.append(Gap(person, competence, reason, last))
    return found


@dataclass(frozen=True)
class Expiring:
    person: Person
    competence: Competence | None
    record: TrainingRecord
    expires_on: dt.date


@strict_arguments
def expiring(within_days: int, today: dt.date) -> list[Expiring]:
    """Records still valid today that expire within `within_days`, unless already renewed.

    A record counts as renewed when the same person has another valid record for the same
    competence that lasts beyond the horizon (or never expires). Soonest first.
    """
    horizon = today + dt.timedelta(days=within_days)
    query = (
        TrainingRecord.select()
        .join(Person)
        .where(
            (TrainingRecord.expires_on >= today) & (TrainingRecord.expires_on <= horizon)
            & is_live(TrainingRecord) & organisation.still_working()
        )
        .order_by(TrainingRecord.expires_on)
    )
    found = []
    for record in query:
        assert record.expires_on is not None  # the query keeps records that expire
        if (competence := record.competence) is not None:
            best = best_record(record.person, competence, today)
            if best is not None and (best.expires_on is None or best.expires_on > horizon):
                continue
        found.append(Expiring(record.person, competence, record, record.expires_on))
    return found
