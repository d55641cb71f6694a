"""Competence (7.2): requirements per role, training records, gaps and expiring records."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import competence, records
from qms_desktop.errors import ValidationError
from qms_desktop.models import Person, PersonRole, Role, TrainingRecord

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def welding(store):
    welder = records.create(Role, title="Welder")
    ada = records.create(Person, full_name="Ada")
    bob = records.create(Person, full_name="Bob")
    gone = records.create(Person, full_name="Gone", active=False)
    for someone in (ada, bob, gone):
        records.create(PersonRole, person=someone, role=welder)
    cert = competence.require_competence(welder, "Welding certificate", renew_every_months=24)
    safety = competence.require_competence(welder, "Hot work safety")
    return ada, bob, cert, safety


def record(person, comp, completed_on, expires_on=None):
    return competence.record_training(person, comp.name, completed_on, competence=comp,
                                      expires_on=expires_on, today=TODAY)


def test_gaps_list_missing_and_expired_records_for_active_people(welding):
    ada, bob, cert, safety = welding
    record(ada, cert, dt.date(2022, 5, 1), expires_on=dt.date(2024, 5, 1))  # expired
    record(ada, safety, dt.date(2023, 1, 1))  # never expires
    record(bob, cert, dt.date(2024, 1, 1))  # renew every 24 months: until 2026-01-01
    found = [(g.person.full_name, g.competence.name, g.reason)
             for g in competence.gaps(TODAY)]
    assert found == [
        ("Ada", "Welding certificate", "Welding certificate expired on 2024-05-01"),
        ("Bob", "Hot work safety", "no record for Hot work safety (required as Welder)"),
    ]


def test_a_renewal_closes_the_gap(welding):
    ada, _, cert, safety = welding
    record(ada, safety, dt.date(2023, 1, 1))
    old = record(ada, cert, dt.date(2022, 5, 1), expires_on=dt.date(2024, 5, 1))
    assert [g.last_record for g in competence.gaps(TODAY) if g.person == ada] == [old]
    record(ada, cert, dt.date(2025, 6, 1))
    assert [g for g in competence.gaps(TODAY) if g.person == ada] == []


def test_a_record_is_valid_on_its_expiry_day(welding):
    ada, _, cert, safety = welding
    record(ada, safety, dt.date(2023, 1, 1))
    record(ada, cert, dt.date(2023, 6, 30), expires_on=TODAY)
    assert [g for g in competence.gaps(TODAY) if g.person == ada] == []
    assert [g.competence for g in competence.gaps(TODAY + dt.timedelta(days=1))
            if g.person == ada] == [cert]


def test_renewal_period_sets_the_expiry(welding):
    ada, _, cert, _ = welding
    made = record(ada, cert, dt.date(2024, 2, 29))
    assert TrainingRecord.get_by_id(made.id).expires_on == dt.date(2026, 2, 28)


def test_expiring_within_days_leaves_out_renewed_ones(welding):
    ada, bob, cert, safety = welding
    soon = record(ada, cert, dt.date(2023, 7, 20), expires_on=dt.date(2025, 7, 20))
    record(bob, cert, dt.date(2023, 7, 10), expires_on=dt.date(2025, 7, 10))
    record(bob, cert, dt.date(2025, 6, 1))  # renewed already
    record(ada, safety, dt.date(2024, 1, 1), expires_on=dt.date(2025, 9, 1))  # too far
    found = competence.expiring(30, TODAY)
    assert [(e.person.full_name, e.record) for e in found] == [("Ada", soon)]
    assert [e.person.full_name for e in competence.expiring(90, TODAY)] == ["Ada", "Ada"]


def test_training_records_are_validated(welding):
    ada, _, cert, _ = welding
    with pytest.raises(ValidationError) as caught:
        competence.record_training(ada, "", dt.date(2025, 7, 1), kind="hobby", today=TODAY)
    assert set(caught.value.problems) == {"title", "completed_on", "kind"}
    with pytest.raises(ValidationError) as caught:
        record(ada, cert, dt.date(2025, 1, 1), expires_on=dt.date(2024, 1, 1))
    assert set(caught.value.problems) == {"expires_on"}
    with pytest.raises(ValidationError):
        competence.require_competence(Role.get(), " ")


def test_required_for_follows_current_roles(welding):
    ada, _, cert, safety = welding
    assert {c.name for c in competence.required_for(ada)} == {cert.name, safety.name}
    link = PersonRole.get(PersonRole.person == ada)
    records.archive(link)
    assert competence.required_for(ada) == []
