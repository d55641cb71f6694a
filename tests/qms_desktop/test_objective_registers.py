"""The objectives and KPIs registers: declarations, the Gaps column and the Flagged filter."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import kpis, records, registers
from qms_desktop.models import Kpi, Objective, Person, Reading
from qms_desktop.objective_registers import KPIS, OBJECTIVES, flagged_condition, gaps_text
from qms_desktop.registers import Query


def test_declarations_resolve_against_the_models() -> None:
    for register in (OBJECTIVES, KPIS):
        labels = registers.column_labels(register)
        assert len(labels) == len(register.columns)
        fields = registers.edit_fields(register)
        assert [f.name for f in fields] == [f.name for f in register.form]
        paths = {c.path for c in register.columns}
        assert set(register.search) <= paths
    assert registers.column_labels(OBJECTIVES)[1] == "Gaps"
    assert "Owner" in registers.column_labels(KPIS)


def test_objective_form_has_the_plan_of_6_2_2() -> None:
    labels = {f.name: f.label for f in registers.edit_fields(OBJECTIVES)}
    assert labels["plan"] == "What will be done"
    assert labels["resources"] == "Resources needed"
    assert labels["owner"] == "Who is responsible (owner)"
    assert labels["due_on"] == "By when"
    assert labels["evaluation"] == "How the result is evaluated"


def test_kpi_register_checks_the_thresholds(store: object) -> None:
    values = {"name": "On time", "direction": "higher", "frequency": "monthly",
              "target": 95.0, "warning_threshold": 97.0, "failure_threshold": 88.0}
    problems = registers.validate(KPIS, dict(values))
    assert "warning_threshold" in problems
    values["warning_threshold"] = 92.0
    assert registers.validate(KPIS, dict(values)) == {}


def _objective(title: str, **values: object) -> Objective:
    return records.create(Objective, title=title, **values)


def _kpi(objective: Objective, name: str = "On time", **values: object) -> Kpi:
    values.setdefault("target", 95.0)
    return records.create(Kpi, name=name, objective=objective, frequency="monthly", **values)


def _read_last_two(kpi: Kpi) -> None:
    for period in kpis.recent_periods(kpi.frequency, 2):
        records.create(Reading, kpi=kpi, period_start=period, value=96.0)


@pytest.fixture
def objectives(store: object) -> dict[str, Objective]:
    owner = records.create(Person, full_name="Asha Rao")
    due = dt.date.today() + dt.timedelta(days=90)
    complete = _objective("Complete", owner=owner, due_on=due)
    _read_last_two(_kpi(complete))
    _objective("No KPI", owner=owner, due_on=due)
    no_owner = _objective("No owner", due_on=due)
    _read_last_two(_kpi(no_owner))
    no_target = _objective("No target", owner=owner, due_on=due)
    _read_last_two(_kpi(no_target, target=None))
    stale = _objective("Not monitored", owner=owner, due_on=due)
    stale_kpi = _kpi(stale, name="Scrap rate")
    records.create(Reading, kpi=stale_kpi, period_start=kpis.recent_periods("monthly", 5)[0],
                   value=1.0)
    archived_reading = _objective("Reading archived", owner=owner, due_on=due)
    kpi = _kpi(archived_reading, name="Returns")
    _read_last_two(kpi)
    for reading in kpi.readings:
        records.archive(reading)
    archived_kpi = _objective("KPI archived", owner=owner, due_on=due)
    records.archive(_kpi(archived_kpi, name="Old"))
    return {o.title: o for o in Objective.select()}


def _titles(filter_key: str) -> set[str]:
    rows = registers.fetch_page(OBJECTIVES, Query(filter_key=filter_key))
    return {row.cells[0] for row in rows}


def test_gaps_column_joins_the_flags(objectives: dict[str, Objective]) -> None:
    rows = {r.cells[0]: r.cells[1] for r in registers.fetch_page(OBJECTIVES, Query())}
    assert rows["Complete"] == ""
    assert rows["No KPI"] == "not measurable: no KPI"
    assert rows["No owner"] == "no owner"
    assert rows["No target"] == "not measurable: no target"
    assert rows["Not monitored"] == "Scrap rate: no reading for the last two periods"
    assert rows["KPI archived"] == "not measurable: no KPI"
    bare = _objective("Bare")
    assert gaps_text(bare) == "not measurable: no KPI; no owner; no due date"


def test_flagged_filter_agrees_with_objective_flags(objectives: dict[str, Objective]) -> None:
    expected = {title for title, o in objectives.items() if kpis.objective_flags(o)}
    assert expected == set(objectives) - {"Complete"}
    assert _titles("flagged") == expected
    assert registers.count(OBJECTIVES, Query(filter_key="flagged")) == len(expected)


def test_flagged_condition_follows_the_date(objectives: dict[str, Objective]) -> None:
    later = kpis.next_period(kpis.last_complete_period("monthly"), "monthly")
    later = kpis.next_period(kpis.next_period(later, "monthly"), "monthly")
    flagged = Objective.select().where(flagged_condition(today=later))
    # Three months on, even the complete objective's KPI has not been read lately.
    assert "Complete" in {o.title for o in flagged}


def test_gaps_column_sorts_flagged_together(objectives: dict[str, Objective]) -> None:
    gaps_column = 1
    rows = registers.fetch_page(OBJECTIVES, Query(sort_column=gaps_column))
    assert rows[0].cells[0] == "Complete"
    assert all(row.cells[1] for row in rows[1:])
