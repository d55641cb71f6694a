"""What the pack says: counts, statuses, dates and wording an auditor reads on the page."""

from __future__ import annotations

import datetime as dt
import re

from qms_desktop import clock, db, feedback, kpis, records, review_inputs, reviews, suppliers
from qms_desktop.models import Kpi

MEETING = dt.date(2026, 3, 10)
IN_PERIOD = dt.date(2026, 2, 3)


def _summaries(review: object) -> str:
    sections = review_inputs.assemble_inputs(review, MEETING)  # type: ignore[arg-type]
    return "\n".join(line for s in sections for line in s.summary)


def test_a_count_of_one_reads_singular(store: db.Store) -> None:
    """The pack printed "1 processes" and "1 complaints"."""
    feedback.record_feedback("complaint", "Acme", IN_PERIOD, "Late parcel", today=MEETING)
    supplier = suppliers.add_supplier("Steel Co", criticality="high", approval="approved")
    suppliers.evaluate(supplier, IN_PERIOD, 4, 4, 4, 4, today=MEETING)
    review = reviews.plan_review(MEETING, period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 2, 28))
    text = _summaries(review)
    assert "1 feedback item: 1 complaint." in text
    assert "1 complaint, 1 still open." in text
    assert "1 evaluation of 1 supplier;" in text
    assert not re.search(r"\b1 (?!of\b)[a-z]+s\b", text), text


def _kpi(name: str, target: float | None) -> Kpi:
    with clock.stopped_at(dt.date(2025, 12, 1)):
        return records.create(Kpi, name=name, unit="%", target=target, direction="higher",
                              frequency="monthly")


def test_a_kpi_without_a_target_is_not_on_target(store: db.Store) -> None:
    """A KPI with no target and no thresholds read "On target" in c3 and c5."""
    for kpi in (_kpi("Training hours", None), _kpi("On-time delivery", 95.0)):
        with clock.stopped_at(MEETING):
            kpis.save_reading(kpi, dt.date(2026, 2, 1), 97.0)
    review = reviews.plan_review(MEETING, period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 2, 28))
    sections = {s.code: s for s in review_inputs.assemble_inputs(review, MEETING)}
    table = sections["c5"].tables[0]
    status = {row[0]: row[table.headers.index("Status")] for row in table.rows}
    assert status == {"Training hours": "No target", "On-time delivery": "On target"}
