"""The resources and requests registers: columns, money, filters, checks, without a window."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import records, registers
from qms_desktop.errors import ValidationError
from qms_desktop.models import Organisation, Person, Resource, ResourceRequest
from qms_desktop.registers import Query
from qms_desktop.resource_registers import (
    KIND_GROUPS,
    REQUESTS,
    RESOURCES,
    requests_register,
    resources_register,
)

# Two days ahead is "the future" even if the run crosses midnight after this is read.
TODAY = dt.date.today()


@pytest.fixture
def org(store):
    return records.create(Organisation, name="Acme", currency="EUR")


def resource(name: str, kind: str, **values) -> Resource:
    return records.create(Resource, name=name, kind=kind, **values)


def names(register, **query) -> list[str]:
    return [row.cells[0] for row in registers.fetch_page(register, Query(**query))]


def test_every_kind_is_in_exactly_one_group():
    from qms_desktop.models import RESOURCE_KINDS

    grouped = [kind for _key, _label, kinds in KIND_GROUPS for kind in kinds]
    assert sorted(grouped) == sorted(k for k, _ in RESOURCE_KINDS)


def test_the_register_lists_budgets_as_money(org):
    resource("Workshop", "building", annual_budget_minor=2400050, currency="EUR")
    resource("Knowledge base", "knowledge")
    rows = registers.fetch_page(RESOURCES, Query())
    cells = {row.cells[0]: row.cells for row in rows}
    labels = registers.column_labels(RESOURCES)
    budget = labels.index("Annual budget")
    assert cells["Workshop"][budget] == "EUR 24,000.50"
    assert cells["Knowledge base"][budget] == ""
    assert cells["Workshop"][labels.index("Kind")] == "Buildings and utilities"
    # One wording in every locale, as the review pack prints it.
    german = registers.fetch_page(resources_register("de_DE"), Query())
    assert {r.cells[0]: r.cells[budget] for r in german}["Workshop"] == "EUR 24,000.50"


def test_filters_by_kind_group(org):
    resource("Operators", "people")
    resource("Workshop", "building")
    resource("Forklift", "transport")
    resource("ERP", "software")
    resource("Caliper", "measuring")
    assert names(RESOURCES, filter_key="infrastructure") == ["ERP", "Forklift", "Workshop"]
    assert names(RESOURCES, filter_key="people") == ["Operators"]
    assert names(RESOURCES, filter_key="measuring") == ["Caliper"]
    assert names(RESOURCES, filter_key="knowledge") == []


def test_calibration_overdue_filter(org):
    resource("Late caliper", "measuring", next_calibration_on=TODAY - dt.timedelta(days=1))
    resource("Never calibrated", "measuring")
    resource("Fine scale", "measuring", next_calibration_on=TODAY + dt.timedelta(days=40))
    resource("Retired gauge", "measuring", calibration_status="out_of_service")
    resource("Workshop", "building")
    assert names(RESOURCES, filter_key="calibration_overdue") == ["Late caliper",
                                                                  "Never calibrated"]
    assert registers.count(RESOURCES, Query(filter_key="calibration_overdue")) == 2


def test_the_budget_is_a_money_field():
    fields = {f.name: f for f in registers.edit_fields(RESOURCES)}
    assert fields["annual_budget_minor"].kind == "money"
    assert not fields["annual_budget_minor"].required
    assert fields["name"].required and fields["kind"].required


def test_saving_a_budget_stores_the_organisation_currency(org):
    saved = registers.save(RESOURCES, None, {"name": "Workshop", "kind": "building",
                                             "annual_budget_minor": 240000})
    assert (saved.annual_budget_minor, saved.currency) == (240000, "EUR")
    cleared = registers.save(RESOURCES, saved, {"name": "Workshop", "kind": "building",
                                                "annual_budget_minor": None})
    assert (cleared.annual_budget_minor, cleared.currency) == (None, "")


def test_the_next_calibration_follows_from_the_last_and_the_interval(org):
    saved = registers.save(RESOURCES, None, {
        "name": "Caliper", "kind": "measuring", "calibration_interval_months": 6,
        "last_calibrated_on": dt.date(2025, 1, 31),
    })
    assert saved.next_calibration_on == dt.date(2025, 7, 31)
    assert saved.calibration_status == "in_service"


def test_only_measuring_equipment_takes_calibration_dates(org):
    with pytest.raises(ValidationError) as error:
        registers.save(RESOURCES, None, {"name": "Desk", "kind": "equipment",
                                         "calibration_interval_months": 12})
    assert "calibration_interval_months" in error.value.problems
    problems = registers.validate(RESOURCES, {
        "name": "Caliper", "kind": "measuring", "calibration_interval_months": 0,
        "annual_budget_minor": -1,
    })
    assert problems["calibration_interval_months"] == "Give an interval of 1 to 120 months."
    assert problems["annual_budget_minor"] == "A budget cannot be negative."
    assert Resource.select().count() == 0


def test_a_request_is_saved_in_the_organisation_currency(org):
    bob = records.create(Person, full_name="Bob")
    saved = registers.save(REQUESTS, None, {
        "title": "Coordinate measuring machine", "amount_minor": 1250050,
        "requested_on": TODAY, "requested_by": bob.id,
    })
    assert (saved.amount_minor, saved.currency, saved.decision) == (1250050, "EUR", "pending")
    rows = registers.fetch_page(requests_register("en_US"), Query())
    assert rows[0].cells[:2] == ("Coordinate measuring machine", "EUR 12,500.50")


def test_a_request_needs_its_cost_and_a_date_not_in_the_future(org):
    problems = registers.validate(REQUESTS, {
        "title": "Forklift", "amount_minor": None,
        "requested_on": TODAY + dt.timedelta(days=2),
    })
    assert problems == {"amount_minor": "Cost is required.",
                        "requested_on": "The request date is in the future."}


def test_requests_filter_by_decision(org):
    for title, decision in (("A", "pending"), ("B", "approved"), ("C", "rejected")):
        records.create(ResourceRequest, title=title, amount_minor=1, currency="EUR",
                       requested_on=TODAY, decision=decision)
    assert names(REQUESTS, filter_key="approved") == ["B"]
    assert names(REQUESTS, filter_key="pending") == ["A"]
    assert names(REQUESTS, search="c") == ["C"]
