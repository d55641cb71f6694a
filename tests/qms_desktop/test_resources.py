"""Resources (7.1): calibration dates, decisions on requests, totals and adequacy."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import records, resources
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    AdequacyStatement,
    Calibration,
    Person,
    PersonRole,
    Resource,
    ResourceRequest,
    Role,
)

TODAY = dt.date(2024, 5, 15)


def instrument(**values) -> Resource:
    values.setdefault("kind", "measuring")
    values.setdefault("name", "Micrometer")
    return records.create(Resource, **values)


def reload(record):
    return type(record).get_by_id(record.id)


def person(name: str, *, top: bool = False) -> Person:
    found = records.create(Person, full_name=name)
    if top:
        role = records.create(Role, title="Managing director", is_top_management=True)
        records.create(PersonRole, person=found, role=role)
    return found


def request(amount: int, currency: str = "EUR", on: dt.date = TODAY, **values):
    return records.create(
        ResourceRequest,
        title=values.pop("title", "New gauge"),
        amount_minor=amount,
        currency=currency,
        requested_on=on,
        **values,
    )


# --- Calibration state ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("next_on", "expected"),
    [
        (TODAY + dt.timedelta(days=31), "ok"),
        (TODAY + dt.timedelta(days=30), "due"),
        (TODAY + dt.timedelta(days=1), "due"),
        (TODAY, "due"),
        (TODAY - dt.timedelta(days=1), "overdue"),
        (None, "overdue"),  # never calibrated
    ],
)
def test_calibration_state(next_on, expected):
    gauge = Resource(kind="measuring", name="Micrometer", next_calibration_on=next_on)
    assert resources.calibration_state(gauge, TODAY) == expected


def test_things_that_need_no_calibration_have_no_state():
    building = Resource(kind="building", name="Workshop")
    assert resources.calibration_state(building, TODAY) == ""
    retired = Resource(kind="measuring", name="Old gauge", calibration_status="out_of_service",
                       next_calibration_on=TODAY - dt.timedelta(days=400))
    assert resources.calibration_state(retired, TODAY) == ""


def test_overdue_instruments(store):
    late = instrument(name="Late", next_calibration_on=TODAY - dt.timedelta(days=1))
    instrument(name="Fine", next_calibration_on=TODAY + dt.timedelta(days=90))
    instrument(name="Due", next_calibration_on=TODAY + dt.timedelta(days=3))
    instrument(name="Retired", calibration_status="out_of_service")
    instrument(kind="building", name="Hall")
    records.archive(instrument(name="Archived"))
    never = instrument(name="Never")
    found = resources.overdue_instruments(TODAY)
    assert sorted(r.id for r in found) == sorted([late.id, never.id])


# --- Recording a calibration ----------------------------------------------------------------


def test_a_passed_calibration_sets_the_next_date_by_the_interval(store):
    gauge = instrument(calibration_interval_months=6)
    made = resources.record_calibration(gauge, dt.date(2023, 11, 20), "pass", "C-17", "Lab")
    stored = reload(gauge)
    assert stored.last_calibrated_on == dt.date(2023, 11, 20)
    assert stored.next_calibration_on == dt.date(2024, 5, 20)
    assert stored.calibration_status == "in_service"
    assert resources.calibration_state(stored, TODAY) == "due"
    row = Calibration.get_by_id(made.id)
    assert (row.resource_id, row.certificate, row.calibrated_by) == (gauge.id, "C-17", "Lab")


def test_the_interval_defaults_to_twelve_months(store):
    gauge = instrument()
    resources.record_calibration(gauge, dt.date(2023, 3, 31))
    assert reload(gauge).next_calibration_on == dt.date(2024, 3, 31)


MONTH_CASES = [
    (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # leap year
    (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
    (dt.date(2023, 8, 31), 1, dt.date(2023, 9, 30)),
    (dt.date(2023, 12, 15), 1, dt.date(2024, 1, 15)),  # across the year end
    (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
    (dt.date(2023, 10, 31), 14, dt.date(2024, 12, 31)),
    (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
    (dt.date(2022, 12, 31), 24, dt.date(2024, 12, 31)),
]


@pytest.mark.parametrize(("calibrated", "months", "expected"), MONTH_CASES)
def test_month_arithmetic(calibrated, months, expected):
    assert resources.add_months(calibrated, months) == expected


def test_recorded_calibrations_use_the_month_arithmetic(store):
    for calibrated, months, expected in MONTH_CASES:
        gauge = instrument(calibration_interval_months=months)
        resources.record_calibration(gauge, calibrated)
        assert reload(gauge).next_calibration_on == expected, (calibrated, months)


def test_add_months_backwards():
    assert resources.add_months(dt.date(2024, 1, 31), -2) == dt.date(2023, 11, 30)
    assert resources.add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)


def test_a_failed_calibration_takes_the_instrument_out_of_service(store):
    gauge = instrument(calibration_interval_months=12)
    resources.record_calibration(gauge, dt.date(2023, 6, 1))
    resources.record_calibration(gauge, dt.date(2024, 5, 1), result="fail")
    stored = reload(gauge)
    assert stored.calibration_status == "out_of_service"
    assert stored.last_calibrated_on == dt.date(2024, 5, 1)
    assert stored.next_calibration_on is None
    assert resources.calibration_state(stored, TODAY) == ""
    assert Calibration.select().where(Calibration.resource == gauge).count() == 2

    resources.record_calibration(gauge, dt.date(2024, 5, 10))  # repaired and passed
    stored = reload(gauge)
    assert stored.calibration_status == "in_service"
    assert stored.next_calibration_on == dt.date(2025, 5, 10)


def test_calibration_is_refused_for_other_kinds_and_future_dates(store):
    with pytest.raises(ValidationError):
        resources.record_calibration(instrument(kind="software", name="ERP"), dt.date(2024, 1, 1))
    gauge = instrument()
    with pytest.raises(ValidationError):
        resources.record_calibration(gauge, dt.date.today() + dt.timedelta(days=1))
    assert Calibration.select().count() == 0
    assert reload(gauge).last_calibrated_on is None


# --- Decisions ------------------------------------------------------------------------------


def test_a_decision_by_top_management(store):
    boss = person("Ada Boss", top=True)
    wanted = request(150_000)
    result = resources.decide(wanted, "approved", boss, TODAY, "  In the budget ")
    stored = reload(wanted)
    assert stored.decision == "approved"
    assert stored.decided_by_id == boss.id
    assert stored.decided_on == TODAY
    assert stored.decision_note == "In the budget"
    assert stored.decided_by_top_management is True
    assert result.by_top_management is True
    assert result.warnings == []


def test_a_decision_outside_top_management_is_recorded_with_a_warning(store):
    clerk = person("Quentin Quality")
    wanted = request(150_000)
    result = resources.decide(wanted, "approved", clerk, TODAY)
    assert reload(wanted).decided_by_top_management is False
    assert result.by_top_management is False
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("Quentin Quality is not in a top-management role")


@pytest.mark.parametrize("decision", ["deferred", "rejected"])
def test_deferring_or_rejecting_needs_a_reason(store, decision):
    boss = person("Ada Boss", top=True)
    wanted = request(150_000)
    with pytest.raises(ValidationError) as caught:
        resources.decide(wanted, decision, boss, TODAY, "   ")
    assert "decision_note" in caught.value.problems
    stored = reload(wanted)
    assert stored.decision == "pending"
    assert stored.decided_by_id is None

    resources.decide(wanted, decision, boss, TODAY, "Next year")
    assert reload(wanted).decision == decision


def test_a_decision_must_be_a_real_one(store):
    boss = person("Ada Boss", top=True)
    wanted = request(100)
    for decision in ("pending", "maybe", ""):
        with pytest.raises(ValidationError):
            resources.decide(wanted, decision, boss, TODAY, "why")
    with pytest.raises(ValidationError):
        resources.decide(wanted, "approved", None, TODAY)  # type: ignore[arg-type]
    assert reload(wanted).decision == "pending"


def test_totals_by_year_and_decision_never_mix_currencies(store):
    boss = person("Ada Boss", top=True)
    request(10, on=dt.date(2024, 1, 1))
    request(20, on=dt.date(2024, 12, 31))
    resources.decide(request(1_000, on=dt.date(2024, 3, 1)), "approved", boss, TODAY)
    resources.decide(request(2_005, on=dt.date(2024, 4, 1)), "approved", boss, TODAY)
    resources.decide(request(300, on=dt.date(2023, 7, 1)), "rejected", boss, TODAY, "No")
    request(999_999, currency="USD", on=dt.date(2024, 2, 1))
    records.archive(request(50_000, on=dt.date(2024, 2, 1)))

    totals = resources.totals("EUR")
    assert totals == {
        2024: {"pending": 30, "approved": 3_005},
        2023: {"rejected": 300},
    }
    assert list(totals) == [2024, 2023]
    assert all(isinstance(v, int) for year in totals.values() for v in year.values())
    assert resources.totals("USD") == {2024: {"pending": 999_999}}
    assert resources.totals("JPY") == {}


def test_totals_of_large_amounts_are_exact(store):
    for _ in range(3):
        request(10**15 - 1)  # the largest amount the field rules allow, less one
    assert resources.totals("EUR") == {2024: {"pending": 3 * 10**15 - 3}}


# --- Adequacy -------------------------------------------------------------------------------


def test_an_adequacy_statement(store):
    boss = person("Ada Boss", top=True)
    made = resources.state_adequacy(
        dt.date(2024, 1, 1), dt.date(2024, 6, 30), "partly", "  Short of one inspector ",
        boss, dt.date(2024, 7, 2),
    )
    stored = reload(made)
    assert stored.verdict == "partly"
    assert stored.reasons == "Short of one inspector"
    assert stored.stated_by_id == boss.id
    assert stored.stated_on == dt.date(2024, 7, 2)


def test_adequate_needs_no_reasons_and_a_one_day_period_is_fine(store):
    made = resources.state_adequacy(dt.date(2024, 1, 1), dt.date(2024, 1, 1), "adequate", "",
                                    None)
    assert reload(made).stated_on == dt.date.today()


def test_shortfalls_need_reasons(store):
    for verdict in ("partly", "not"):
        with pytest.raises(ValidationError) as caught:
            resources.state_adequacy(dt.date(2024, 1, 1), dt.date(2024, 6, 30), verdict, " ",
                                     None)
        assert set(caught.value.problems) == {"reasons"}
    assert AdequacyStatement.select().count() == 0


def test_adequacy_problems_are_reported_together(store):
    with pytest.raises(ValidationError) as caught:
        resources.state_adequacy(dt.date(2024, 6, 30), dt.date(2024, 1, 1), "fine", "", None)
    assert set(caught.value.problems) == {"period_end", "verdict"}
    assert AdequacyStatement.select().count() == 0


def test_adequacy_for_finds_overlapping_periods_newest_first(store):
    def state(start, end, on):
        return resources.state_adequacy(start, end, "adequate", "", None, on)

    h1 = state(dt.date(2024, 1, 1), dt.date(2024, 6, 30), dt.date(2024, 7, 1))
    h2 = state(dt.date(2024, 7, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 5))
    year = state(dt.date(2023, 1, 1), dt.date(2023, 12, 31), dt.date(2024, 1, 10))
    gone = state(dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2025, 2, 1))
    records.archive(gone)

    def ids(start, end):
        return [s.id for s in resources.adequacy_for(start, end)]

    assert ids(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == [h2.id, h1.id]
    assert ids(dt.date(2024, 6, 30), dt.date(2024, 7, 1)) == [h2.id, h1.id]  # touching ends
    assert ids(dt.date(2024, 7, 1), dt.date(2024, 7, 1)) == [h2.id]
    assert ids(dt.date(2023, 12, 31), dt.date(2024, 1, 1)) == [h1.id, year.id]
    assert ids(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == []
