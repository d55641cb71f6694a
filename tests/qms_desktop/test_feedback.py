"""Customer feedback (9.1.2): complaints to nonconformities, closing, satisfaction trend."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import feedback, records
from qms_desktop.errors import ValidationError
from qms_desktop.models import Feedback, Nonconformity, SatisfactionResult

TODAY = dt.date(2025, 6, 30)


def complaint(**values) -> Feedback:
    defaults = {
        "kind": "complaint",
        "customer": "Harbour Foods",
        "received_on": dt.date(2025, 6, 2),
        "description": "Two cartons arrived crushed.\nThe driver said it was loaded badly.",
        "product": "Carton type B",
        "severity": "major",
    }
    defaults.update(values)
    return feedback.record_feedback(today=TODAY, **defaults)


def test_record_feedback_is_validated(store):
    with pytest.raises(ValidationError) as caught:
        feedback.record_feedback("gossip", " ", dt.date(2025, 7, 1), "", severity="huge",
                                 today=TODAY)
    assert set(caught.value.problems) == {"kind", "customer", "received_on", "description",
                                          "severity"}
    assert Feedback.select().count() == 0


def test_a_complaint_raises_a_linked_nonconformity(store):
    item = complaint()
    nc = feedback.raise_nonconformity(item, today=TODAY)
    stored = Feedback.get_by_id(item.id)
    assert stored.nonconformity_id == nc.id
    nc = Nonconformity.get_by_id(nc.id)
    assert nc.source == "complaint"
    assert nc.severity == "major"
    assert nc.raised_on == TODAY
    assert nc.reference == "NC-2025-001"
    assert nc.title == "Complaint from Harbour Foods: Two cartons arrived crushed."
    assert "Harbour Foods" in nc.description and "Carton type B" in nc.description
    assert "loaded badly" in nc.description
    assert list(nc.feedback) == [stored]


def test_a_complaint_raises_only_one_nonconformity(store):
    item = complaint()
    stale = Feedback.get_by_id(item.id)  # as another window read it before
    feedback.raise_nonconformity(item, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        feedback.raise_nonconformity(stale, today=TODAY)
    assert "NC-2025-001" in caught.value.problems["nonconformity"]
    assert Nonconformity.select().count() == 1


def test_only_complaints_raise_nonconformities(store):
    praise = complaint(kind="compliment", severity="", description="Great service")
    with pytest.raises(ValidationError) as caught:
        feedback.raise_nonconformity(praise, today=TODAY)
    assert "compliment" in caught.value.problems["kind"]
    assert Nonconformity.select().count() == 0
    assert Feedback.get_by_id(praise.id).nonconformity_id is None


def test_close_with_a_response(store):
    item = complaint()
    with pytest.raises(ValidationError) as caught:
        feedback.close(item, "", dt.date(2025, 6, 1), today=TODAY)
    assert set(caught.value.problems) == {"response", "closed_on"}
    feedback.close(item, "Replaced both cartons", dt.date(2025, 6, 5), today=TODAY)
    stored = Feedback.get_by_id(item.id)
    assert (stored.response, stored.closed_on) == ("Replaced both cartons", dt.date(2025, 6, 5))
    assert feedback.open_feedback() == []
    with pytest.raises(ValidationError):
        feedback.close(stored, "Again", dt.date(2025, 6, 6), today=TODAY)


def test_counts_by_month_and_kind_include_empty_months(store):
    complaint(received_on=dt.date(2025, 1, 10))
    complaint(received_on=dt.date(2025, 1, 11))
    complaint(received_on=dt.date(2025, 3, 1), kind="compliment", severity="")
    complaint(received_on=dt.date(2025, 4, 1))
    counts = feedback.counts_by_month(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert list(counts) == [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    assert counts[dt.date(2025, 1, 1)] == {"complaint": 2, "compliment": 0, "suggestion": 0,
                                           "survey": 0}
    assert sum(counts[dt.date(2025, 2, 1)].values()) == 0
    assert counts[dt.date(2025, 3, 1)]["compliment"] == 1


def test_satisfaction_results_and_trend(store):
    feedback.record_satisfaction(dt.date(2025, 1, 1), 7.0, 40)
    feedback.record_satisfaction(dt.date(2025, 4, 1), 4.0, 25, scale_max=5)
    feedback.record_satisfaction(dt.date(2024, 10, 1), 6.5, 30)
    trend = feedback.satisfaction_trend()
    assert [p.period_start for p in trend] == [dt.date(2024, 10, 1), dt.date(2025, 1, 1),
                                               dt.date(2025, 4, 1)]
    assert [p.percent for p in trend] == [65.0, 70.0, 80.0]
    assert [p.change for p in trend] == [None, 5.0, 10.0]
    assert [p.period_start for p in feedback.satisfaction_trend(2)] == [
        dt.date(2025, 1, 1), dt.date(2025, 4, 1)]


def test_satisfaction_result_replaces_the_same_period_and_is_validated(store):
    feedback.record_satisfaction(dt.date(2025, 1, 1), 7.0, 40)
    feedback.record_satisfaction(dt.date(2025, 1, 1), 7.5, 42)
    assert [(r.score, r.responses) for r in SatisfactionResult.select()] == [(7.5, 42)]
    with pytest.raises(ValidationError) as caught:
        feedback.record_satisfaction(dt.date(2025, 2, 1), 11, 0)
    assert set(caught.value.problems) == {"score", "responses"}


def test_history_is_written(store):
    item = complaint()
    feedback.raise_nonconformity(item, today=TODAY)
    assert [h.operation for h in records.history_of(item)] == ["create", "update"]
