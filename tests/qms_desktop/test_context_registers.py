"""The context register declarations, read and written without a window."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import errors, records, registers
from qms_desktop.context_registers import (
    CONTEXT_ISSUES,
    CONTEXT_REGISTERS,
    INTERESTED_PARTIES,
    PARTY_REQUIREMENTS,
    requirements_for,
    year_before,
)
from qms_desktop.models import ContextIssue, InterestedParty, PartyRequirement
from qms_desktop.registers import Query


def _titles(register: registers.Register, **query: object) -> list[str]:
    return [row.cells[0] for row in registers.fetch_page(register, Query(**query))]


def _issue(title: str, kind: str = "internal", **values: object) -> ContextIssue:
    values.setdefault("identified_on", dt.date.today())
    return records.create(ContextIssue, title=title, kind=kind, category="market", **values)


def test_every_declaration_resolves(store: object) -> None:
    for register in CONTEXT_REGISTERS:
        assert registers.column_labels(register)
        assert registers.edit_fields(register)
        for choice in ("", *(f.key for f in register.filters)):
            assert registers.count(register, Query(filter_key=choice)) == 0


def test_year_before_handles_a_leap_day() -> None:
    assert year_before(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert year_before(dt.date(2026, 3, 3)) == dt.date(2025, 3, 3)


def test_an_issue_identified_today_by_default(store: object) -> None:
    saved = registers.save(
        CONTEXT_ISSUES, None, {"title": "New competitor", "kind": "external",
                               "category": "market", "identified_on": None},
    )
    assert saved.identified_on == dt.date.today()


def test_issue_dates_are_checked(store: object) -> None:
    future = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(errors.ValidationError) as raised:
        registers.save(CONTEXT_ISSUES, None, {"title": "X", "kind": "internal",
                                              "category": "people", "identified_on": future})
    assert "identified_on" in raised.value.problems


def test_issue_filters(store: object) -> None:
    today = dt.date.today()
    old = today - dt.timedelta(days=800)
    _issue("Reviewed lately", identified_on=old, last_reviewed_on=today - dt.timedelta(days=30))
    _issue("Stale", kind="external", identified_on=old, last_reviewed_on=old)
    _issue("Never reviewed, old", identified_on=old)
    _issue("Never reviewed, new")
    assert sorted(_titles(CONTEXT_ISSUES, filter_key="not_reviewed")) == [
        "Never reviewed, old", "Stale"]
    assert _titles(CONTEXT_ISSUES, filter_key="external") == ["Stale"]
    assert len(_titles(CONTEXT_ISSUES, filter_key="changed")) == 4
    ContextIssue.update(updated_at=dt.datetime(2000, 1, 1)).where(
        ContextIssue.title == "Stale").execute()
    assert "Stale" not in _titles(CONTEXT_ISSUES, filter_key="changed")


def test_parties_count_their_requirements(store: object) -> None:
    party = records.create(InterestedParty, name="Customers", kind="customer")
    records.create(InterestedParty, name="Neighbours", kind="community")
    records.create(PartyRequirement, party=party, requirement="On time", addressed=True,
                   how_addressed="Planning")
    records.create(PartyRequirement, party=party, requirement="Carbon data", addressed=False)
    gone = records.create(PartyRequirement, party=party, requirement="Old", addressed=False)
    records.archive(gone)
    rows = {r.cells[0]: r.cells for r in registers.fetch_page(INTERESTED_PARTIES, Query())}
    assert rows["Customers"][2:4] == ("2", "1")
    assert rows["Neighbours"][2:4] == ("0", "")
    assert _titles(INTERESTED_PARTIES, filter_key="unaddressed") == ["Customers"]
    # The computed columns sort like any other.
    assert _titles(INTERESTED_PARTIES, sort_column=2, descending=True)[0] == "Customers"


def test_an_addressed_requirement_says_how(store: object) -> None:
    party = records.create(InterestedParty, name="Customers", kind="customer")
    values = {"party": party.id, "requirement": "On time", "addressed": True,
              "how_addressed": ""}
    with pytest.raises(errors.ValidationError) as raised:
        registers.save(PARTY_REQUIREMENTS, None, values)
    assert "how_addressed" in raised.value.problems
    saved = registers.save(PARTY_REQUIREMENTS, None, {**values, "addressed": False})
    assert saved.addressed is False


def test_requirements_for_one_party(store: object) -> None:
    first = records.create(InterestedParty, name="Customers", kind="customer")
    second = records.create(InterestedParty, name="Staff", kind="staff")
    chosen: list[str | None] = [None]
    register = requirements_for(lambda: chosen[0])
    assert "party" not in [f.name for f in registers.edit_fields(register)]
    assert "Interested party" not in registers.column_labels(register)
    values = {"requirement": "Fair pay", "addressed": False}
    with pytest.raises(errors.ValidationError) as raised:
        registers.save(register, None, dict(values))
    assert "party" in raised.value.problems
    chosen[0] = second.id
    saved = registers.save(register, None, dict(values))
    assert saved.party.id == second.id
    chosen[0] = first.id
    condition = Query(condition=lambda: PartyRequirement.party == first.id)
    assert registers.count(register, condition) == 0
