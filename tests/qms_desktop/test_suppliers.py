"""Suppliers (8.4): scores, validation, the re-evaluation rule and the quarterly trend."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import suppliers
from qms_desktop.errors import ValidationError
from qms_desktop.models import Supplier, SupplierEvaluation

TODAY = dt.date(2025, 6, 30)


def evaluate(supplier, on, q, d, p, r):
    return suppliers.evaluate(supplier, on, q, d, p, r, today=TODAY)


def reload(supplier: Supplier) -> Supplier:
    return Supplier.get_by_id(supplier.id)


def test_score_is_the_average_of_the_four_criteria(store):
    acme = suppliers.add_supplier("Acme Steel", criticality="high")
    evaluation = evaluate(acme, dt.date(2025, 1, 15), 5, 4, 3, 3)
    assert suppliers.score(evaluation) == 3.75
    assert suppliers.latest_score(acme) == 3.75
    evaluate(acme, dt.date(2025, 4, 15), 2, 2, 3, 2)
    evaluate(acme, dt.date(2024, 4, 15), 5, 5, 5, 5)  # entered late, but older
    assert suppliers.latest_score(acme) == 2.25


def test_latest_score_is_none_without_evaluations(store):
    assert suppliers.latest_score(suppliers.add_supplier("New Co")) is None


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, None, True])
def test_scores_must_be_whole_numbers_from_1_to_5(store, bad):
    acme = suppliers.add_supplier("Acme")
    with pytest.raises(ValidationError) as caught:
        evaluate(acme, dt.date(2025, 1, 1), 3, bad, 3, 3)
    assert set(caught.value.problems) == {"delivery"}
    assert SupplierEvaluation.select().count() == 0


def test_evaluation_date_not_in_the_future(store):
    acme = suppliers.add_supplier("Acme")
    with pytest.raises(ValidationError) as caught:
        evaluate(acme, dt.date(2025, 7, 1), 3, 3, 3, 3)
    assert set(caught.value.problems) == {"evaluated_on"}


def test_scores_at_the_edges_are_accepted(store):
    acme = suppliers.add_supplier("Acme")
    assert suppliers.score(evaluate(acme, dt.date(2025, 1, 1), 1, 5, 1, 5)) == 3.0


def test_reevaluation_interval_follows_criticality_and_poor_scores(store):
    high = suppliers.add_supplier("High", criticality="high")
    medium = suppliers.add_supplier("Medium", criticality="medium")
    low = suppliers.add_supplier("Low", criticality="low")
    poor = suppliers.add_supplier("Poor", criticality="low")
    for supplier in (high, medium, low):
        evaluate(supplier, dt.date(2024, 2, 29), 4, 4, 4, 4)
    evaluate(poor, dt.date(2024, 2, 29), 2, 3, 3, 3)  # 2.75: under 3
    assert reload(high).reevaluation_due_on == dt.date(2025, 2, 28)
    assert reload(medium).reevaluation_due_on == dt.date(2026, 2, 28)
    assert reload(low).reevaluation_due_on == dt.date(2027, 2, 28)
    assert reload(poor).reevaluation_due_on == dt.date(2024, 8, 29)
    suppliers.set_criticality(reload(medium), "high")
    assert reload(medium).reevaluation_due_on == dt.date(2025, 2, 28)


def test_due_for_reevaluation(store):
    overdue = suppliers.add_supplier("Overdue", criticality="high", approval="approved")
    evaluate(overdue, dt.date(2024, 1, 10), 4, 4, 4, 4)
    soon = suppliers.add_supplier("Soon", criticality="high", approval="approved")
    evaluate(soon, dt.date(2024, 7, 20), 4, 4, 4, 4)
    fine = suppliers.add_supplier("Fine", criticality="low")
    evaluate(fine, dt.date(2025, 1, 10), 4, 4, 4, 4)
    never = suppliers.add_supplier("Never")
    suspended = suppliers.add_supplier("Suspended", approval="suspended")
    assert suspended
    due = suppliers.due_for_reevaluation(TODAY)
    assert [(r.supplier.name, r.reason) for r in due] == [
        ("Never", "never evaluated"), ("Overdue", "overdue since 2025-01-10")]
    assert never
    within = suppliers.due_for_reevaluation(TODAY, within_days=30)
    assert [r.supplier.name for r in within] == ["Never", "Overdue", "Soon"]


def test_performance_trend_by_quarter(store):
    acme = suppliers.add_supplier("Acme")
    bolt = suppliers.add_supplier("Bolt")
    evaluate(acme, dt.date(2024, 2, 1), 4, 4, 4, 4)  # 4.0
    evaluate(acme, dt.date(2024, 3, 1), 2, 2, 2, 2)  # 2.0
    evaluate(acme, dt.date(2024, 8, 1), 5, 5, 5, 5)  # 5.0
    evaluate(bolt, dt.date(2024, 2, 15), 1, 1, 1, 1)  # 1.0
    mine = suppliers.performance_trend(acme)
    assert [(q.label, q.average, q.evaluations) for q in mine] == [
        ("2024 Q1", 3.0, 2), ("2024 Q2", None, 0), ("2024 Q3", 5.0, 1)]
    everyone = suppliers.performance_trend()
    assert everyone[0].average == round((4 + 2 + 1) / 3, 2)
    window = suppliers.performance_trend(acme, dt.date(2024, 4, 1), dt.date(2024, 12, 31))
    assert [(q.label, q.average) for q in window] == [
        ("2024 Q2", None), ("2024 Q3", 5.0), ("2024 Q4", None)]


def test_add_supplier_is_validated(store):
    with pytest.raises(ValidationError) as caught:
        suppliers.add_supplier(" ", criticality="extreme")
    assert set(caught.value.problems) == {"name", "criticality"}
