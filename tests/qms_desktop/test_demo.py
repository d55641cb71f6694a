"""The sample company: believable, reproducible, sound."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from qms_desktop import (
    db,
    kpis,
    nonconformities,
    policy,
    raci,
    records,
    resources,
    responsibilities,
    review_inputs,
    reviews,
)
from qms_desktop.clauses import review_inputs as inputs_of
from qms_desktop.models import (
    ALL_MODELS,
    Action,
    ChangeHistory,
    Document,
    Kpi,
    ManagementReview,
    Nonconformity,
    Objective,
    Organisation,
    Person,
    Process,
    Reading,
    Record,
    ReviewDecision,
    Risk,
    Role,
    database,
)
from qms_desktop.risks import EFFECTIVENESS, OPPORTUNITY_TREATMENTS, RISK_TREATMENTS
from qms_desktop.sample import fill_sample


def _failing(kpi: Kpi, value: float) -> bool:
    if kpi.direction == "higher":
        return value < kpi.failure_threshold
    return value > kpi.failure_threshold


def test_small_fills_every_register_with_believable_counts(store: db.Store) -> None:
    messages: list[str] = []
    counts = fill_sample("small", seed=1, progress=messages.append)

    assert counts["organisation"] == 1
    assert counts["site"] == 2
    assert 25 <= counts["person"] <= 30
    assert Person.select().where(Person.active == False).count() in (1, 2)  # noqa: E712
    assert Person.select().where(Person.left_on.is_null(False)).count() in (1, 2)
    assert Role.select().where(Role.is_top_management == True).count() == 2  # noqa: E712
    assert counts["person_role"] >= 15
    assert counts["process"] == 10
    assert Process.select().where(Process.is_activity == True).count() == 2  # noqa: E712
    assert counts["document"] >= 1
    policy = Document.get(Document.kind == "policy")
    assert {v.number: v.status for v in policy.versions} == {
        1: "superseded", 2: "approved", 3: "draft"}
    assert Risk.select().where(Risk.kind == "risk").count() == 40
    assert Risk.select().where(Risk.kind == "opportunity").count() == 12
    assert counts["objective"] == 12
    assert counts["kpi"] == 20
    assert counts["kpi"] * 33 <= counts["reading"] < counts["kpi"] * 36
    assert 55 <= counts["nonconformity"] <= 65
    assert 10 <= counts["audit"] <= 14
    assert counts["finding"] >= 30
    assert counts["management_review"] == 3
    assert 100 <= counts["action"] <= 150
    assert {a.source_table for a in Action.select()} == {
        "nonconformity", "risk", "finding", "review_decision", "objective", "feedback"}
    expected = {
        "policy_check": (12, 12), "communication": (4, 6), "acknowledgement": (35, 50),
        "duty_assignment": (4, 4), "raci_cell": (40, 60), "resource": (30, 30),
        "calibration": (15, 40), "resource_request": (8, 12), "adequacy_statement": (2, 2),
        "context_issue": (12, 12), "climate_decision": (1, 1), "interested_party": (10, 10),
        "party_requirement": (10, 30), "scope_item": (4, 10), "feedback": (60, 60),
        "satisfaction_result": (12, 12), "supplier": (15, 15),
        "supplier_evaluation": (80, 130), "why_step": (120, 300), "fishbone_cause": (100, 250),
        "effectiveness_review": (25, 60), "checklist_template": (2, 12),
        "checklist_question": (10, 80), "competence": (8, 20), "training_record": (30, 80),
        "review_attendance": (20, 30), "review_input": (24, 24), "review_decision": (7, 12),
        "document": (38, 45), "review_pack": (2, 2), "attachment": (0, 0),
    }
    for table, (low, high) in expected.items():
        assert low <= counts[table] <= high, (table, counts[table])
    assert records.get_setting(records.USER_NAME_KEY) == "Zoë Lindqvist"
    # The history is written year by year, in time order, up to this year.
    years = [m for m in messages if m.startswith("History of ")]
    assert years == sorted(years) and years[-1] == f"History of {dt.date.today().year}"

    # Every record written through the services has its history row.
    record_rows = sum(counts[m._meta.table_name] for m in ALL_MODELS if issubclass(m, Record))
    created = ChangeHistory.select().where(ChangeHistory.operation == "create").count()
    assert created == record_rows
    assert db.check(store).sound


def test_small_names_need_more_than_latin_1(sample_store: db.Store) -> None:
    names = [p.full_name for p in Person.select()]
    assert any(not name.isascii() for name in names)
    assert any(any(ord(c) > 255 for c in name) for name in names)  # Ł, ř, ...
    assert all("@" in p.email and p.email.isascii() for p in Person.select())


def test_small_has_overdue_and_due_this_week_actions(sample_store: db.Store) -> None:
    today = dt.date.today()
    open_actions = Action.select().where(Action.status == "open")
    assert open_actions.where(Action.due_on < today).count() >= 3
    assert open_actions.where(Action.due_on.between(today, today + dt.timedelta(days=6))).count()
    assert Action.select().where(Action.original_due_on.is_null(False)).count() >= 2
    done = Action.select().where(Action.status == "done")
    assert done.count() and all(a.done_on is not None and a.done_on <= today for a in done)
    assert all(a.created_at.date() < today for a in Action.select())


def test_small_readings_have_gaps_and_failures(sample_store: db.Store) -> None:
    today = dt.date.today()
    this_month = today.replace(day=1)
    gaps = failures = 0
    no_target = ""
    for kpi in Kpi.select():
        periods = [r.period_start for r in kpi.readings.order_by(Reading.period_start)]
        assert all(p.day == 1 and p < this_month for p in periods)
        gaps += len(periods) < 36
        failures += sum(_failing(kpi, r.value) for r in kpi.readings)
        if kpi.target is None:  # one KPI on purpose: its objective is "not measurable"
            no_target = kpi.name
            continue
        if kpi.direction == "higher":
            assert kpi.target > kpi.warning_threshold > kpi.failure_threshold
        else:
            assert kpi.target < kpi.warning_threshold < kpi.failure_threshold
    assert gaps >= 1
    assert failures >= 3
    assert no_target == "Training plan completion (rolling 12 months)"


def test_small_shows_every_objective_gap_and_a_failing_kpi(sample_store: db.Store) -> None:
    from qms_desktop import readiness

    texts = " | ".join(f.text for f in readiness.findings(dt.date.today()))
    for gap in ("not measurable: no KPI", "not measurable: no target", ": no owner",
                "no due date", "no reading for the last two periods",
                "failing at the latest reading"):
        assert gap in texts, gap


def _dump() -> dict[str, list[tuple[Any, ...]]]:
    dumped = {}
    for model in ALL_MODELS:
        key = model._meta.primary_key
        dumped[model._meta.table_name] = list(model.select().order_by(key).tuples())
    return dumped


def _fill_and_dump(path: Path, seed: int) -> dict[str, list[tuple[Any, ...]]]:
    store = db.open_database(path)
    try:
        fill_sample("small", seed=seed)
        return _dump()
    finally:
        store.close()


def test_same_seed_gives_identical_rows_and_ids(tmp_path: Path) -> None:
    first = _fill_and_dump(tmp_path / "a.db", seed=7)
    second = _fill_and_dump(tmp_path / "b.db", seed=7)
    assert first == second
    third = _fill_and_dump(tmp_path / "c.db", seed=8)
    assert third["person"] != first["person"]
    assert {r[0] for r in third["action"]}.isdisjoint({r[0] for r in first["action"]})


def test_ids_follow_creation_time(sample_store: db.Store) -> None:
    actions = list(Action.select().order_by(Action.id))
    stamps = [a.created_at for a in actions]
    assert stamps == sorted(stamps)


def test_unknown_size_is_refused(store: db.Store) -> None:
    with pytest.raises(ValueError, match="medium"):
        fill_sample("medium")
    assert db.is_empty()


def test_large_stress_set(store: db.Store) -> None:
    counts = fill_sample("large", seed=3)
    assert counts["action"] == 20_000
    assert counts["finding"] == 10_000
    assert counts["reading"] == 24_000
    assert counts["person"] >= 500
    assert counts["nonconformity"] == 5_000
    assert counts["management_review"] == 40
    assert counts["risk"] == 2_000 and counts["objective"] == 200 and counts["kpi"] == 200
    assert counts["audit"] == 200
    decisions = ReviewDecision.select().count()
    assert decisions > 100
    assert Action.select().where(Action.source_table == "review_decision").count() == decisions
    record_rows = sum(counts[m._meta.table_name] for m in ALL_MODELS if issubclass(m, Record))
    sample_history = ChangeHistory.select().where(ChangeHistory.changed_by == "Sample data")
    assert sample_history.count() == record_rows
    today = dt.date.today()
    overdue = Action.select().where((Action.status == "open") & (Action.due_on < today))
    assert overdue.count() > 0
    assert db.check(store).sound
    assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []


def test_small_leadership_evidence_shows_its_planned_gaps(sample_store: db.Store) -> None:
    document = policy.policy_document(create=False)
    statuses = [v.status for v in policy.versions(document)]
    assert statuses.count("approved") == 1 and statuses.count("draft") == 1
    in_force = policy.in_force()
    assert in_force.approved_by_top_management
    assert policy.unmet_points(in_force) == []
    assert all(c.evidence in in_force.body for c in in_force.checks)
    draft = policy.current_draft(document)
    assert len(policy.unmet_points(draft)) == 1
    assert {c.method for c in in_force.communications} >= {
        "meeting", "notice_board", "induction"}
    assert 5 <= len(policy.not_acknowledged(in_force)) <= 6
    assert responsibilities.duty_gaps() == [
        "5.3 d: nobody is assigned to promote customer focus."]
    assert len(raci.problems()) == 1
    assert len(resources.overdue_instruments()) == 2


def test_small_planning_and_improvement_follow_the_rules(sample_store: db.Store) -> None:
    today = dt.date.today()
    for risk in Risk.select():
        allowed = OPPORTUNITY_TREATMENTS if risk.kind == "opportunity" else RISK_TREATMENTS
        assert risk.treatment in dict(allowed)
        assert risk.effectiveness in ("", *dict(EFFECTIVENESS))
        if risk.residual_likelihood is not None:
            assert (risk.residual_likelihood * risk.residual_impact
                    < risk.likelihood * risk.impact)
        if risk.effectiveness:
            assert all(a.status == "done" for a in Action.select().where(
                Action.source_id == risk.id))
    assert Risk.select().where(Risk.next_review_on < today).count() >= 2
    assert Risk.select().where(Risk.source_issue.is_null(False)
                               | Risk.source_party.is_null(False)).count() >= 40
    assert any(kpis.objective_flags(o) for o in Objective.select())
    assert any(len(kpis.summarise(k).missing) >= 3 for k in Kpi.select())
    assert Action.select().where((Action.status == "open") & (Action.due_on < today)).count()
    for nc in Nonconformity.select():
        assert nc.reference.startswith(f"NC-{nc.raised_on.year}-")
        if nc.status == "closed":
            assert nc.closure_reason or not nonconformities.closure_blockers(nc)
    assert db.check(sample_store).sound


def test_small_reviews_are_closed_and_the_next_one_is_ready(sample_store: db.Store) -> None:
    assert Organisation.get().review_interval_months == 12
    closed = list(ManagementReview.select().where(ManagementReview.status == "closed")
                  .order_by(ManagementReview.meeting_on))
    assert len(closed) == 2
    assert 300 <= (dt.date.today() - closed[-1].meeting_on).days <= 345
    codes = {spec.code for spec in inputs_of("2015")}
    for review in closed:
        assert review.closed_by_top_management and review.next_review_on
        assert set(reviews.input_notes(review)) == codes
        attendance = reviews.attendance(review)
        assert any(a.is_top_management and a.present for a in attendance)
        assert sum(not a.present for a in attendance) == 1
        decisions = reviews.decisions(review)
        assert 3 <= len(decisions) <= 5
        for decision in decisions:
            assert decision.owner_id and decision.due_on
            action = decision.action
            assert (action.source_table, action.source_id) == ("review_decision", decision.id)
        assert not reviews.closing_check(review, review.closed_by).problems
    planned = ManagementReview.get(ManagementReview.status == "planned")
    assert 7 <= (planned.meeting_on - dt.date.today()).days <= 28
    assert reviews.default_period(planned.meeting_on)[0] == planned.period_start
    assert review_inputs.pre_meeting_check(planned) == []


def test_small_closed_reviews_have_their_frozen_packs(sample_store: db.Store) -> None:
    import hashlib

    from qms_desktop import packs, reviews
    from qms_desktop.models import ManagementReview

    closed = list(ManagementReview.select().where(ManagementReview.status == "closed"))
    assert len(closed) == 2
    for review in closed:
        final = reviews.final_pack(review)
        assert final is not None and final.sha256 == hashlib.sha256(bytes(final.pdf)).hexdigest()
        assert packs.build_pdf(review) == bytes(final.pdf)
