"""Readings stored as text or infinity by old data or another program break no reader.

The rows are written with sqlite3 itself, past the field rules, as another program would.
Such a reading shows as invalid: the overview, the KPI summaries and the review pack (PDF
and HTML) treat its period as having no valid reading, and say nothing worse.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3

import pytest

from qms_desktop import clock, db, kpis, packs, readiness, records, reviews
from qms_desktop.models import Kpi, Organisation, Reading

BAD_VALUES = ("abc", math.inf, "NaN", -math.inf)


@pytest.fixture
def bad_readings(store: db.Store) -> Kpi:
    records.create(Organisation, name="Harbour Tools")
    kpi = records.create(Kpi, name="On-time delivery", unit="%", target=95.0,
                         warning_threshold=90.0, failure_threshold=85.0)
    periods = kpis.recent_periods("monthly", 6, clock.today())
    for number, period in enumerate(periods):
        kpis.save_reading(kpi, period, 90.0 + number)
    # Another program writes four of the six readings past the field rules.
    with sqlite3.connect(store.path) as other:
        for value, period in zip(BAD_VALUES, periods[-4:], strict=True):
            other.execute("UPDATE reading SET value = ? WHERE kpi_id = ? AND period_start = ?",
                          (value, kpi.id, period.isoformat()))
    other.close()
    return kpi


def test_an_invalid_reading_is_listed_as_such_and_left_out_of_the_figures(
    bad_readings: Kpi,
) -> None:
    invalid = kpis.invalid_readings(bad_readings)
    assert len(invalid) == 4
    assert {str(r.value) for r in invalid} >= {"abc", "inf", "-inf"}
    values = kpis.readings_of(bad_readings)
    assert len(values) == 2 and all(math.isfinite(v) for v in values.values())
    summary = kpis.summarise(bad_readings)
    assert summary.latest_value in values.values()
    since = kpis.readings_since(dt.date(2000, 1, 1))[bad_readings.id]
    assert since == values


def test_the_overview_survives_invalid_readings(bad_readings: Kpi) -> None:
    findings = readiness.findings()
    assert findings  # the overview's checks ran to the end
    assert readiness.by_clause()


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_the_review_pack_survives_invalid_readings(bad_readings: Kpi, fmt: str) -> None:
    review = reviews.plan_review(clock.today(), place="Board room")
    made = packs.build(review, fmt)
    if fmt == "pdf":
        assert made.startswith(b"%PDF")
    else:
        assert "On-time delivery" in made.decode("utf-8")


def test_a_reading_stored_with_a_text_period_breaks_no_reader(store: db.Store) -> None:
    kpi = records.create(Kpi, name="Scrap rate", unit="%")
    kpis.save_reading(kpi, kpis.last_complete_period("monthly"), 2.0)
    with sqlite3.connect(store.path) as other:
        other.execute("UPDATE reading SET period_start = '31/12/2020' WHERE kpi_id = ?",
                      (kpi.id,))
    other.close()
    assert kpis.readings_of(kpi) == {}
    assert kpis.readings_since(dt.date(1900, 1, 1)).get(kpi.id, {}) == {}
    assert [r.id for r in kpis.invalid_readings(kpi)] == [Reading.get().id]
    assert readiness.findings()
