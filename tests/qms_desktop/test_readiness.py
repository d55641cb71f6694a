"""Readiness rules: each reason in plain words, with its clause and the screen that fixes it."""

from __future__ import annotations

import datetime as dt

from qms_desktop import db, kpis, policy, readiness, records, responsibilities
from qms_desktop.models import Kpi, Objective, Organisation, Person, PersonRole, Resource, Role

TODAY = dt.date.today()


def _texts(clause: str | None = None) -> list[str]:
    return [f.text for f in readiness.findings(TODAY) if clause is None or f.clause == clause]


def test_empty_system_is_all_gaps_by_clause(store: db.Store) -> None:
    statuses = {c.number: c.status for c in readiness.by_clause(TODAY)}
    assert list(statuses) == ["4", "5", "6", "7", "8", "9", "10"]
    for number in ("4", "5", "6", "9"):
        assert statuses[number] == readiness.GAP
    assert "5.3 d: nobody is assigned to promote customer focus." in _texts("5.3")


def test_only_a_current_top_management_role_of_someone_still_here_counts(
    store: db.Store,
) -> None:
    gap = "5.1: nobody holds a top-management role."
    boss = records.create(Person, full_name="Ann Boss")
    role = records.create(Role, title="MD", is_top_management=True)
    records.create(PersonRole, person=boss, role=role)
    assert gap not in _texts("5.1")
    records.archive(role)
    assert gap in _texts("5.1")
    records.unarchive(role)
    assert gap not in _texts("5.1")
    records.archive(boss)
    assert gap in _texts("5.1")


def test_unacknowledged_policy_is_counted(store: db.Store) -> None:
    boss = records.create(Person, full_name="Ann Boss")
    role = records.create(Role, title="MD", is_top_management=True)
    records.create(PersonRole, person=boss, role=role)
    for name in ("B One", "C Two"):
        records.create(Person, full_name=name)
    records.create(Person, full_name="Gone", active=False)
    draft = policy.start_draft(policy.policy_document(), "We make parts.")
    policy.approve(draft, boss, confirm_unmet=True)
    assert "5.2: 3 people have not acknowledged policy v1." in _texts("5.2")
    policy.acknowledge(draft, boss, TODAY)
    assert "5.2: 2 people have not acknowledged policy v1." in _texts("5.2")


def test_overdue_calibration_is_a_gap(store: db.Store) -> None:
    for name in ("Caliper", "Micrometer"):
        records.create(Resource, kind="measuring", name=name,
                       next_calibration_on=TODAY - dt.timedelta(days=3))
    records.create(Resource, kind="measuring", name="Gauge",
                   next_calibration_on=TODAY + dt.timedelta(days=90))
    found = [f for f in readiness.findings(TODAY) if f.clause == "7.1.5"]
    assert len(found) == 1 and found[0].severity == readiness.GAP
    assert found[0].text.startswith("7.1.5: two instruments are past their calibration date")


def test_objective_without_readings_for_three_months(store: db.Store) -> None:
    owner = records.create(Person, full_name="Olga Owner")
    objective = records.create(Objective, title="On-time delivery", owner=owner,
                               due_on=TODAY + dt.timedelta(days=200))
    kpi = records.create(Kpi, name="OTD", unit="%", target=95, objective=objective)
    periods = kpis.recent_periods("monthly", 6, TODAY)
    for period in periods[:3]:
        kpis.save_reading(kpi, period, 96)
    assert "6.2: objective On-time delivery has no reading for 3 months." in _texts("6.2")


def test_assigning_the_duty_removes_the_gap(store: db.Store) -> None:
    person = records.create(Person, full_name="Cara Customer")
    responsibilities.assign_duty("customer_focus", person=person, communicated_on=TODAY)
    assert not [t for t in _texts("5.3") if "customer focus" in t]


def test_organisation_settings_do_not_break_rules(store: db.Store) -> None:
    records.create(Organisation, name="X", review_interval_months=6)
    assert readiness.by_clause(TODAY)


def test_monitoring_kpi_without_recent_readings(store: db.Store) -> None:
    kpi = records.create(Kpi, name="Changes on the floor", unit="days", target=2)
    for period in kpis.recent_periods("monthly", 8, TODAY)[:4]:
        kpis.save_reading(kpi, period, 1)
    assert "9.1: KPI Changes on the floor has no reading for 4 months." in _texts("9.1")
