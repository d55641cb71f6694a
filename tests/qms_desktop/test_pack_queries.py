"""Assembling a pack reads what it needs once, not once per attendee or per duty.

A whole `export-pack` is held to twice the speed of a browser printing the pack's HTML twin
(bench/bench_export_pack.py); each query is a round of SQL building in peewee.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from qms_desktop import clock, db, packs, records, responsibilities, review_inputs, reviews
from qms_desktop.models import Person, database
from qms_desktop.review_data import PackData


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []
    connection = database.connection()
    connection.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        connection.set_trace_callback(None)


def test_titles_of_many_people_are_each_ones_title_in_one_query(sample_store: db.Store) -> None:
    people = list(Person.select().order_by(Person.full_name))
    one_by_one = {p.id: reviews.top_management_title(p) for p in people}
    assert any(one_by_one.values()) and not all(one_by_one.values())  # both kinds present
    with counted() as statements:
        together = reviews.top_management_titles(people)
    assert together == one_by_one
    assert len(statements) == 1
    assert reviews.top_management_titles([]) == {}


def test_duty_statuses_read_the_assignments_and_their_holders_at_once(
        sample_store: db.Store) -> None:
    with counted() as statements:
        statuses = responsibilities.duty_statuses()
    by_role = sum(1 for s in statuses if s.assignment is not None and s.assignment.role_id)
    # The assignments with their people and roles; then each role's holders.
    assert len(statements) == 1 + by_role
    for status in statuses:
        assert status.assignment == responsibilities.assignment(status.duty.key)
        person = status.assignment.person if status.assignment is not None else None
        if person is not None:
            assert status.holder == person.display_name()


def test_a_duty_holder_who_left_is_still_a_gap(sample_store: db.Store) -> None:
    held = next(s for s in responsibilities.duty_statuses()
                if s.assignment is not None and s.assignment.person_id)
    person = held.assignment.person if held.assignment is not None else None
    assert person is not None and not held.is_gap
    records.update(person, active=False, left_on=person.created_at.date())
    after = {s.duty.key: s for s in responsibilities.duty_statuses()}[held.duty.key]
    assert "has left" in after.gap


def test_audits_and_resource_requests_come_with_their_people_and_counts(
        sample_store: db.Store) -> None:
    review = reviews.find_review("latest")
    period = review_inputs.period_of(review)
    today = clock.today()
    with counted() as statements:
        audits = review_inputs.input_c6(review, period, today)
    # The audits with their auditors, every finding's outcome, the audits planned.
    assert len(statements) == 3
    (held,) = audits.tables
    assert len(held.rows) > 1 and all(row[2] for row in held.rows)  # each names its auditor
    assert sum(int(n) for row in held.rows for n in row[3:]) > 0
    with counted() as statements:
        resources = review_inputs.input_d(review, period, today, "EUR")
    assert len(statements) == 2  # the requests with who decided, the adequacy statements
    (requests,) = resources.tables
    assert any(row[3] for row in requests.rows)


def test_an_export_fingerprints_its_draft_once_and_keeps_its_version(
        sample_store: db.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    review = reviews.find_review("latest")
    assert review.status != "closed"
    fingerprints: list[str] = []
    fingerprint = PackData.content_sha256

    def counted_fingerprint(data: PackData) -> str:
        fingerprints.append(fingerprint(data))
        return fingerprints[-1]

    monkeypatch.setattr(PackData, "content_sha256", counted_fingerprint)
    first = packs.export(review, "pdf")
    assert len(fingerprints) == 1
    version = packs.pack_data(review).pack_version
    assert packs.export(review, "pdf")[:4] == first[:4] == b"%PDF"
    assert packs.pack_data(review).pack_version == version  # the same content, the same one
