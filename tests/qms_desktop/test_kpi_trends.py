"""A KPI's trend words rest on enough readings, and its missing periods start when it began."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import clock, kpis, records
from qms_desktop.models import Kpi

TODAY = dt.date(2026, 6, 15)  # the last complete month is May 2026


def month(year: int, number: int) -> dt.date:
    return dt.date(year, number, 1)


def kpi_created_on(day: dt.date) -> Kpi:
    with clock.stopped_at(day):
        return records.create(Kpi, name="On-time delivery", unit="%", target=95.0,
                              direction="higher", frequency="monthly")


@pytest.mark.parametrize(("window", "needed"), [(3, 3), (6, 3), (12, 6)])
def test_a_trend_needs_three_readings_and_half_its_periods(window, needed):
    assert kpis.min_trend_readings(window) == needed


def test_two_rising_readings_are_no_trend_but_three_are(store):
    kpi = kpi_created_on(dt.date(2025, 1, 10))
    values = {month(2026, 4): 90.0, month(2026, 5): 96.0}
    two = kpis.trend(kpi, 3, values, today=TODAY)
    assert (two.points, two.verdict) == (2, "not enough data")
    values[month(2026, 3)] = 85.0
    three = kpis.trend(kpi, 3, values, today=TODAY)
    assert (three.points, three.verdict) == (3, "improving")


def test_a_twelve_period_trend_needs_six_readings(store):
    kpi = kpi_created_on(dt.date(2025, 1, 10))
    values = {month(2026, m): 80.0 + m for m in range(1, 6)}  # five rising readings
    assert kpis.trend(kpi, 12, values, today=TODAY).verdict == "not enough data"
    values[month(2025, 12)] = 80.0
    assert kpis.trend(kpi, 12, values, today=TODAY).verdict == "improving"


def test_a_new_kpi_has_nothing_missing(store):
    kpi = kpi_created_on(TODAY)
    with clock.stopped_at(TODAY):
        summary = kpis.summarise(kpi)
    assert summary.missing == []
    assert all(t.verdict == "not enough data" for t in summary.trends.values())


def test_missing_counts_the_periods_since_the_kpi_began(store):
    kpi = kpi_created_on(dt.date(2026, 3, 20))  # began in March
    with clock.stopped_at(TODAY):
        assert kpis.summarise(kpi).missing == [month(2026, 3), month(2026, 4), month(2026, 5)]
        kpis.save_reading(kpi, month(2026, 4), 93.0)
        assert kpis.summarise(kpi).missing == [month(2026, 3), month(2026, 5)]


def test_readings_typed_in_for_months_before_the_kpi_was_set_up_count_from_the_first(store):
    kpi = kpi_created_on(dt.date(2026, 5, 2))
    with clock.stopped_at(TODAY):
        kpis.save_reading(kpi, month(2026, 1), 90.0)
        kpis.save_reading(kpi, month(2026, 3), 91.0)
        assert kpis.summarise(kpi).missing == [month(2026, 2), month(2026, 4), month(2026, 5)]
