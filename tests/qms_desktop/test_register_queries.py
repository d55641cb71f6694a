"""A register's list asks the same number of queries for 3 rows as for 30.

On a server every query is a round trip, so a cell that read its own record for each row
made a list of a hundred rows a hundred round trips (the Actions' "Raised from", the
objectives' Gaps, the money columns' currency). These count the queries of one page on a
real file with 3 rows and with 30, and check the cells read as the one-row functions say.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from qms_desktop import actions, kpis, nonconformities, records, registers
from qms_desktop.models import (
    Audit,
    Finding,
    Kpi,
    Objective,
    Organisation,
    Person,
    Reading,
    Resource,
    ResourceRequest,
    Risk,
    database,
)
from qms_desktop.objective_registers import OBJECTIVES, gaps_text
from qms_desktop.registers import Query, Register
from qms_desktop.resource_registers import requests_register, resources_register
from qms_desktop.support_registers import ACTION_TRACKER, raised_from_text

TODAY = dt.date.today()


@contextlib.contextmanager
def counted_queries() -> Iterator[list[int]]:
    """[the number of queries sent while inside], counted where every model query goes."""
    target = database.obj
    real = target.execute_sql
    counted = [0]

    def execute_sql(*given: Any, **named: Any) -> Any:
        counted[0] += 1
        return real(*given, **named)

    target.execute_sql = execute_sql
    try:
        yield counted
    finally:
        del target.execute_sql


def page_queries(register: Register) -> tuple[int, list[registers.Row]]:
    with counted_queries() as counted:
        rows = registers.fetch_page(register, Query())
    return counted[0], rows


def queries_for_3_and_30(register: Register, add: Callable[[int], None]) -> tuple[int, int]:
    """The queries of a page after `add(n)` made rows 0..2, then after rows 3..29."""
    for number in range(3):
        add(number)
    few, rows = page_queries(register)
    assert len(rows) == 3
    for number in range(3, 30):
        add(number)
    many, rows = page_queries(register)
    assert len(rows) == 30
    return few, many


def cell(register: Register, row: registers.Row, path: str) -> str:
    return row.cells[[c.path for c in register.columns].index(path)]


# --- Actions: Raised from -----------------------------------------------------------------------


def _action_from_a_source(number: int) -> None:
    """Each third action from a nonconformity, an audit finding (named after its audit), and
    a risk or an opportunity; every tenth is raised here."""
    if number % 10 == 9:
        actions.raise_improvement(f"Improvement {number}", None, TODAY)
        return
    kind = number % 3
    source: Any
    if kind == 0:
        source = nonconformities.create_nonconformity(f"Problem {number}", TODAY)
    elif kind == 1:
        audit = records.create(Audit, title=f"Audit {number}", planned_on=TODAY)
        source = records.create(Finding, audit=audit, clause="8.4", outcome="minor")
    else:
        source = records.create(Risk, title=f"Risk {number}",
                                kind="opportunity" if number % 2 else "risk")
    actions.raise_action(source, f"Action {number}", None, TODAY)


def test_the_actions_list_reads_its_sources_in_queries_that_do_not_grow_with_rows(store):
    few, many = queries_for_3_and_30(ACTION_TRACKER, _action_from_a_source)
    assert many == few
    _, rows = page_queries(ACTION_TRACKER)
    texts = {cell(ACTION_TRACKER, row, "title"): cell(ACTION_TRACKER, row, "raised_from")
             for row in rows}
    for action in actions.Action.select():
        key = f"{action.source_table}:{action.source_id}" if action.source_table else None
        assert texts[action.title] == raised_from_text(key)
    assert texts["Action 1"] == "Audit finding: Audit 1: 8.4 Minor nonconformity"
    assert texts["Action 5"] == "Opportunity: Risk 5"
    assert texts["Improvement 9"] == "Raised here"


def test_many_source_labels_read_as_one_does_even_for_a_source_gone(store):
    _action_from_a_source(0)
    _action_from_a_source(1)
    keys = [f"{a.source_table}:{a.source_id}" for a in actions.Action.select()]
    keys += ["risk:gone", "finding:", ":nothing"]
    labels = actions.source_labels(keys)
    assert labels == {key: raised_from_text(key) for key in keys if not key.startswith(":")}
    assert labels["risk:gone"] == "Risk (record not found)"
    assert labels["finding:"] == "Audit finding (record not found)"


# --- Quality objectives: Gaps ---------------------------------------------------------------------


def _objective_with_gaps(number: int) -> None:
    """Objectives with each kind of gap: no KPI, no owner, a KPI not read lately, none."""
    owner = records.create(Person, full_name=f"Owner {number}") if number % 4 else None
    objective = records.create(Objective, title=f"Objective {number}", owner=owner,
                               due_on=TODAY + dt.timedelta(days=90))
    if number % 3 == 0:
        return
    kpi = records.create(Kpi, name=f"KPI {number}", objective=objective, frequency="monthly",
                         target=95.0)
    if number % 3 == 1:
        for period in kpis.recent_periods("monthly", 2):
            records.create(Reading, kpi=kpi, period_start=period, value=96.0)


def test_the_objectives_gaps_are_read_in_queries_that_do_not_grow_with_rows(store):
    few, many = queries_for_3_and_30(OBJECTIVES, _objective_with_gaps)
    assert many == few
    _, rows = page_queries(OBJECTIVES)
    texts = {cell(OBJECTIVES, row, "title"): cell(OBJECTIVES, row, "gaps") for row in rows}
    for objective in Objective.select():
        assert texts[objective.title] == gaps_text(objective)
    assert texts["Objective 0"] == "not measurable: no KPI; no owner"
    assert texts["Objective 1"] == ""
    assert texts["Objective 2"] == "KPI 2: no reading for the last two periods"


# --- Resources and requests: money in the organisation's currency ------------------------------


def test_the_money_columns_read_the_currency_once_a_page(store):
    records.create(Organisation, name="Acme", currency="EUR")
    resources = resources_register()

    def add_resource(number: int) -> None:
        records.create(Resource, name=f"Resource {number:02}", kind="equipment",
                       annual_budget_minor=100_000 + number)

    few, many = queries_for_3_and_30(resources, add_resource)
    assert many == few
    _, rows = page_queries(resources)
    assert cell(resources, rows[0], "annual_budget_minor") == "EUR 1,000.00"

    requests = requests_register()

    def add_request(number: int) -> None:
        records.create(ResourceRequest, title=f"Request {number:02}", amount_minor=2_500,
                       currency="EUR", requested_on=TODAY)

    few, many = queries_for_3_and_30(requests, add_request)
    assert many == few
    _, rows = page_queries(requests)
    assert {cell(requests, row, "amount_minor") for row in rows} == {"EUR 25.00"}
