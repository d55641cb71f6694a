"""Nonconformities (10.2): numbering, root cause tools, similar cases, closing and trends."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import actions, nonconformities, records
from qms_desktop.errors import ValidationError
from qms_desktop.models import Nonconformity, Person, Process, WhyStep

RAISED = dt.date(2025, 2, 3)
TODAY = dt.date(2025, 6, 30)


def raise_nc(title: str = "Scratched panels shipped", raised_on: dt.date = RAISED,
             **values) -> Nonconformity:
    return nonconformities.create_nonconformity(title, raised_on, today=TODAY, **values)


def reload(nc: Nonconformity) -> Nonconformity:
    return Nonconformity.get_by_id(nc.id)


# --- Raising ------------------------------------------------------------------------------------


def test_references_count_up_per_year_and_restart_each_year(store):
    first = raise_nc(raised_on=dt.date(2024, 12, 31))
    second = raise_nc(raised_on=dt.date(2025, 1, 2))
    third = raise_nc(raised_on=dt.date(2025, 1, 3))
    fourth = raise_nc(raised_on=dt.date(2024, 6, 1))
    assert [first.reference, second.reference, third.reference, fourth.reference] == [
        "NC-2024-001", "NC-2025-001", "NC-2025-002", "NC-2024-002"]


def test_an_archived_number_is_never_reused(store):
    records.archive(raise_nc())
    assert raise_nc().reference == "NC-2025-002"


def test_raising_checks_title_date_and_source(store):
    with pytest.raises(ValidationError) as caught:
        nonconformities.create_nonconformity(" ", dt.date(2025, 7, 1), "rumour", today=TODAY)
    assert set(caught.value.problems) == {"title", "raised_on", "source"}
    assert "future" in caught.value.problems["raised_on"]
    assert Nonconformity.select().count() == 0


def test_the_reference_cannot_be_edited(store):
    nc = raise_nc()
    with pytest.raises(ValidationError):
        nonconformities.update_nonconformity(nc, reference="NC-2025-099")
    nonconformities.update_nonconformity(nc, title="Scratched side panels", today=TODAY)
    assert reload(nc).title == "Scratched side panels"


# --- 5 whys ------------------------------------------------------------------------------------


def test_why_chain_keeps_the_order_given(store):
    nc = raise_nc()
    nonconformities.set_why_chain(nc, ["Panels rubbed in transit", "No separators",
                                       "Separators ran out", "Nobody reorders them"])
    assert [(s.position, s.answer) for s in nonconformities.why_chain(nc)] == [
        (1, "Panels rubbed in transit"), (2, "No separators"), (3, "Separators ran out"),
        (4, "Nobody reorders them")]


def test_why_chain_can_be_shortened_reordered_and_grown_again(store):
    nc = raise_nc()
    nonconformities.set_why_chain(nc, ["a", "b", "c"])
    nonconformities.set_why_chain(nc, ["b", "a"])
    assert [s.answer for s in nonconformities.why_chain(nc)] == ["b", "a"]
    nonconformities.set_why_chain(nc, ["b", "a", "d", "e"])
    assert [s.answer for s in nonconformities.why_chain(nc)] == ["b", "a", "d", "e"]
    # Rows are reused, never duplicated (positions are unique per nonconformity).
    assert WhyStep.select().where(WhyStep.nonconformity == nc).count() == 4


def test_why_chain_refuses_empty_answers_and_too_many(store):
    nc = raise_nc()
    nonconformities.set_why_chain(nc, ["kept"])
    with pytest.raises(ValidationError) as caught:
        nonconformities.set_why_chain(nc, ["one", "  ", "three"])
    assert "Why 2" in caught.value.problems["answers"]
    with pytest.raises(ValidationError):
        nonconformities.set_why_chain(nc, [f"why {i}" for i in range(8)])
    assert [s.answer for s in nonconformities.why_chain(nc)] == ["kept"]
    nonconformities.set_why_chain(nc, [f"why {i}" for i in range(7)])
    assert len(nonconformities.why_chain(nc)) == 7


# --- Fishbone ------------------------------------------------------------------------------------


def test_fishbone_groups_causes_by_category(store):
    nc = raise_nc()
    nonconformities.add_cause(nc, "method", "No packing instruction")
    nonconformities.add_cause(nc, "material", "Thin cardboard")
    nonconformities.add_cause(nc, "method", "Rushed at month end", is_root=True)
    bone = nonconformities.fishbone(nc)
    assert list(bone) == ["man", "machine", "method", "material", "measurement", "environment"]
    assert [c.cause for c in bone["method"]] == ["No packing instruction",
                                                 "Rushed at month end"]
    assert [c.cause for c in bone["material"]] == ["Thin cardboard"]
    assert bone["man"] == []
    assert [c.is_root for c in bone["method"]] == [False, True]


def test_root_can_be_toggled_and_causes_validated(store):
    nc = raise_nc()
    cause = nonconformities.add_cause(nc, "machine", "Worn roller")
    nonconformities.toggle_root(cause)
    assert nonconformities.fishbone(nc)["machine"][0].is_root
    nonconformities.toggle_root(cause)
    assert not nonconformities.fishbone(nc)["machine"][0].is_root
    with pytest.raises(ValidationError) as caught:
        nonconformities.add_cause(nc, "money", "")
    assert set(caught.value.problems) == {"category", "cause"}
    nonconformities.remove_cause(cause)
    assert nonconformities.fishbone(nc)["machine"] == []


# --- Similar cases ------------------------------------------------------------------------------


def test_similar_finds_earlier_cases_by_process_or_word_not_by_category_alone(store):
    packing = records.create(Process, name="Packing")
    same_process = raise_nc("Dented box", dt.date(2024, 5, 1), process=packing)
    same_category = raise_nc("Wrong drawing used", dt.date(2024, 6, 1))
    nonconformities.add_cause(same_category, "method", "Old revision on the wall", is_root=True)
    same_word = raise_nc("Late delivery", dt.date(2024, 7, 1))
    nonconformities.set_why_chain(same_word, ["Truck late", "Separators missing at dock"])
    unrelated = raise_nc("Invoice typo", dt.date(2024, 8, 1))
    nonconformities.add_cause(unrelated, "man", "Tired clerk", is_root=True)
    later = raise_nc("Dented box again", dt.date(2025, 3, 1), process=packing)

    nc = raise_nc(process=packing)
    nonconformities.add_cause(nc, "method", "Separators not reordered", is_root=True)

    found = {case.nonconformity.id: case.reasons for case in nonconformities.similar(nc)}
    # A shared fishbone category alone would match most earlier cases; it only adds weight.
    assert set(found) == {same_process.id, same_word.id}
    assert found[same_process.id] == ["same process: Packing"]
    assert found[same_word.id] == ["root cause mentions “separators”"]
    assert same_category.id not in found
    assert unrelated.id not in found and later.id not in found
    nonconformities.add_cause(same_word, "method", "Separators not ordered", is_root=True)
    found = {case.nonconformity.id: case.reasons for case in nonconformities.similar(nc)}
    assert found[same_word.id][0] == "root cause in the same category: Methods"


# --- Closing -----------------------------------------------------------------------------------


@pytest.fixture
def nc_with_action(store):
    nc = raise_nc()
    action = nonconformities.raise_action(nc, "Add separators to packing list", None,
                                          dt.date(2025, 3, 1))
    return reload(nc), action


def test_raising_an_action_puts_the_nc_under_way(nc_with_action):
    nc, action = nc_with_action
    assert nc.status == "action"
    assert actions.actions_for(nc) == [action]


def test_close_refused_while_an_action_is_open(nc_with_action):
    nc, _ = nc_with_action
    nonconformities.add_effectiveness_review(nc, dt.date(2025, 5, 1), "effective",
                                             "No damage in 3 months", today=TODAY)
    with pytest.raises(ValidationError) as caught:
        nonconformities.close(nc, dt.date(2025, 6, 1), today=TODAY)
    message = caught.value.problems["reason"]
    assert "1 action is still open (Add separators to packing list)" in message
    assert "effectiveness" not in message
    assert reload(nc).status == "action"


def test_close_refused_while_effectiveness_is_not_verified(nc_with_action):
    nc, action = nc_with_action
    actions.complete(action, dt.date(2025, 3, 1), "Packing list rev 4", today=TODAY)
    with pytest.raises(ValidationError) as caught:
        nonconformities.close(nc, dt.date(2025, 6, 1), today=TODAY)
    assert "effectiveness has not been reviewed" in caught.value.problems["reason"]
    nonconformities.add_effectiveness_review(nc, dt.date(2025, 5, 1), "effective",
                                             "Fine in April", today=TODAY)
    nonconformities.add_effectiveness_review(nc, dt.date(2025, 6, 1), "not_effective",
                                             "Damage again in May", today=TODAY)
    with pytest.raises(ValidationError) as caught:
        nonconformities.close(nc, dt.date(2025, 6, 2), today=TODAY)
    assert "not effective" in caught.value.problems["reason"]
    assert reload(nc).status == "action"


def test_close_with_a_reason_is_allowed_and_the_reason_kept(nc_with_action):
    nc, _ = nc_with_action
    nonconformities.close(nc, dt.date(2025, 6, 1), "Product line discontinued", today=TODAY)
    stored = reload(nc)
    assert (stored.status, stored.closed_on, stored.closure_reason) == (
        "closed", dt.date(2025, 6, 1), "Product line discontinued")


def test_close_when_all_done_and_effective(nc_with_action):
    nc, action = nc_with_action
    second = nonconformities.raise_action(nc, "Tell the supplier", None, dt.date(2025, 3, 1))
    actions.complete(action, dt.date(2025, 3, 1), "Packing list rev 4", today=TODAY)
    actions.cancel(second, "Supplier not involved after all")
    nonconformities.add_effectiveness_review(nc, dt.date(2025, 5, 1), "effective",
                                             "No damage in 3 months", today=TODAY)
    assert nonconformities.closure_blockers(nc) == []
    nonconformities.close(nc, dt.date(2025, 6, 1), today=TODAY)
    stored = reload(nc)
    assert (stored.status, stored.closure_reason) == ("closed", "")
    with pytest.raises(ValidationError):
        nonconformities.close(stored, dt.date(2025, 6, 2), today=TODAY)
    nonconformities.reopen(stored)
    assert (reload(nc).status, reload(nc).closed_on) == ("action", None)


def test_effectiveness_review_is_validated(store):
    nc = raise_nc()
    with pytest.raises(ValidationError) as caught:
        nonconformities.add_effectiveness_review(nc, dt.date(2025, 1, 1), "maybe", "",
                                                 today=TODAY)
    assert set(caught.value.problems) == {"verdict", "reviewed_on", "notes"}


# --- Trends -------------------------------------------------------------------------------------


def test_trend_and_counts(store):
    packing = records.create(Process, name="Packing")
    raise_nc(raised_on=dt.date(2025, 1, 5), process=packing)
    raise_nc(raised_on=dt.date(2025, 1, 20), source="complaint", process=packing)
    closed = raise_nc(raised_on=dt.date(2025, 3, 2), source="audit")
    nonconformities.close(closed, dt.date(2025, 3, 20), "Duplicate", today=TODAY)
    raise_nc(raised_on=dt.date(2024, 12, 31))
    records.archive(raise_nc(raised_on=dt.date(2025, 2, 1)))
    start, end = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
    assert [(m.month.month, m.raised, m.closed)
            for m in nonconformities.trend_by_month(start, end)] == [
        (1, 2, 0), (2, 0, 0), (3, 1, 1)]
    assert nonconformities.counts_by_process(start, end) == {"Packing": 2, "No process": 1}
    assert nonconformities.counts_by_source(start, end) == {
        "audit": 1, "complaint": 1, "kpi": 0, "internal": 1, "supplier": 0}


def test_reported_by_is_kept(store):
    ada = records.create(Person, full_name="Ada")
    assert raise_nc(reported_by=ada).reported_by == ada
