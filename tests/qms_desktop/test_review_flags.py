"""Closing flags: a conclusion its own inputs contradict closes only with the signer's reason,
and the frozen record prints the flags and the reason."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from qms_desktop import audits, clock, db, packs, readiness, records, reviews
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    ChangeHistory,
    ManagementReview,
    Organisation,
    Person,
    PersonRole,
    ReviewPack,
    Role,
)
from tests.qms_desktop.review_minutes import held_with_minutes

TODAY = dt.date(2026, 6, 15)
REASON = "The first audit is booked for March; the gaps are owned by the director."


@pytest.fixture(autouse=True)
def stopped_clock() -> Iterator[None]:
    # The services read the product's clock: stand it at TODAY so no test reads the system's.
    with clock.stopped_at(dt.datetime.combine(TODAY, dt.time(10))):
        yield


@pytest.fixture
def owner(store: db.Store) -> Person:
    records.create(Organisation, name="Kestrel Fabrication", currency="EUR")
    person = records.create(Person, full_name="Ana Owner")
    role = records.create(Role, title="Managing Director", is_top_management=True)
    records.create(PersonRole, person=person, role=role)
    return person


def _ready_to_close(owner: Person) -> ManagementReview:
    return held_with_minutes(owner, TODAY, "Add a second supplier")


def _pdf_text(pack: ReviewPack) -> str:
    reader = PdfReader(io.BytesIO(bytes(pack.pdf)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_no_audit_in_the_period_is_flagged_and_closing_needs_a_reason(owner: Person) -> None:
    review = _ready_to_close(owner)
    flags = packs.closing_flags(review)
    assert flags[0].startswith("Input c6 shows no internal audit held in the period")
    history_before = ChangeHistory.select().count()
    with pytest.raises(ValidationError) as refused:
        packs.close(review, owner)
    assert set(refused.value.problems) == {"closing_reason"}
    with pytest.raises(ValidationError):
        packs.close(review, owner, reason="   \n ")  # blank is no reason
    assert ManagementReview.get_by_id(review.id).status == "held"
    assert not ReviewPack.select().exists()
    assert ChangeHistory.select().count() == history_before

    pack = packs.close(review, owner, reason=f"  {REASON}  ")
    review = ManagementReview.get_by_id(review.id)
    assert review.status == "closed" and review.closing_reason == REASON
    printed = _pdf_text(pack)
    sign_off = printed[printed.index("Flagged when the review was closed"):]
    assert "Input c6 shows no internal audit held in the period" in sign_off
    assert f"Reason given by the signer: {REASON}" in sign_off
    html = packs.build_html(review)
    assert "Flagged when the review was closed" in html and REASON in html


def test_a_decision_answering_a_readiness_gap_clears_its_flag(owner: Person) -> None:
    review = _ready_to_close(owner)
    gaps = {f.clause for f in readiness.findings(TODAY) if f.severity == readiness.GAP}
    assert "5.2" in gaps  # no policy approved in this company
    assert any(f.startswith("Readiness gap 5.2:") for f in packs.closing_flags(review))
    decision = reviews.add_decision(review, "qms_change", "Approve the quality policy", owner,
                                    TODAY + dt.timedelta(days=14), answers_gap="5.2")
    assert decision.answers_table == "readiness" and decision.answers_id == "5.2"
    flags = packs.closing_flags(review)
    assert not any(f.startswith("Readiness gap 5.2:") for f in flags)
    assert len(flags) >= 1  # the other gaps and the missing audit still stand


def test_a_decision_answers_one_record_or_one_well_formed_clause(owner: Person) -> None:
    review = _ready_to_close(owner)
    due = TODAY + dt.timedelta(days=14)
    for clause in ("policy", "5.2; drop", "5." * 30):
        with pytest.raises(ValidationError) as refused:
            reviews.add_decision(review, "qms_change", "Fix it", owner, due, answers_gap=clause)
        assert "answers" in refused.value.problems


def test_a_review_its_inputs_support_closes_without_a_reason(owner: Person) -> None:
    review = _ready_to_close(owner)
    audit = audits.plan_audit("Production", TODAY - dt.timedelta(days=20), auditor=owner).audit
    question = audits.add_question(audit, "Are work orders signed off?")
    audits.answer(question, "conforms")
    audits.complete_audit(audit, TODAY - dt.timedelta(days=10), "All conforming.")
    for clause in {f.clause for f in readiness.findings(TODAY) if f.severity == readiness.GAP}:
        reviews.add_decision(review, "qms_change", f"Close the gap in {clause}", owner,
                             TODAY + dt.timedelta(days=30), answers_gap=clause)
    assert packs.closing_flags(review) == []
    pack = packs.close(review, owner)
    assert ManagementReview.get_by_id(review.id).closing_reason == ""
    assert "Flagged when the review was closed" not in _pdf_text(pack)
