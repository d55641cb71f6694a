"""Objectives, KPIs and readings (6.2, 9.1): periods, status, trends and the gaps auditors find.

A reading belongs to an explicit period (the first day of its week, month or quarter). A
period with no reading is missing, never zero.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from qms_desktop import clock, records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import LARGEST_NUMBER, strict_arguments
from qms_desktop.models import Kpi, Nonconformity, Objective, Reading, database, is_live

ON_TARGET, WARNING, FAILING, NO_DATA = "on_target", "warning", "failing", "no_data"
STATUS_LABELS = {
    ON_TARGET: "On target",
    WARNING: "Warning",
    FAILING: "Failing",
    NO_DATA: "No data",
}
TREND_WINDOWS = (3, 6, 12)
# A trend word needs at least three readings, and readings in at least half of the window's
# periods: two readings always make a line, so a "trend" from them is one reading's noise, and
# a few readings spread over a long window describe only the periods that happen to have one.
MIN_TREND_READINGS = 3


# --- Periods ----------------------------------------------------------------------------------


@strict_arguments
def period_of(day: dt.date, frequency: str) -> dt.date:
    if frequency == "weekly":
        return day - dt.timedelta(days=day.weekday())
    if frequency == "quarterly":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, day.month, 1)


@strict_arguments
def next_period(start: dt.date, frequency: str) -> dt.date:
    if frequency == "weekly":
        return start + dt.timedelta(days=7)
    months = 3 if frequency == "quarterly" else 1
    index = start.month - 1 + months
    return dt.date(start.year + index // 12, index % 12 + 1, 1)


@strict_arguments
def previous_period(start: dt.date, frequency: str) -> dt.date:
    if frequency == "weekly":
        return start - dt.timedelta(days=7)
    return period_of(start - dt.timedelta(days=1), frequency)


@strict_arguments
def last_complete_period(frequency: str, today: dt.date | None = None) -> dt.date:
    """The most recent period that has ended: last month while this month is running."""
    today = today or clock.today()
    return previous_period(period_of(today, frequency), frequency)


@strict_arguments
def recent_periods(frequency: str, count: int, today: dt.date | None = None) -> list[dt.date]:
    """The last `count` complete periods, oldest first."""
    periods = [last_complete_period(frequency, today)]
    while len(periods) < count:
        periods.append(previous_period(periods[-1], frequency))
    return list(reversed(periods))


@strict_arguments
def period_label(start: dt.date, frequency: str) -> str:
    if frequency == "weekly":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if frequency == "quarterly":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


# --- Status and trend ------------------------------------------------------------------------


@strict_arguments
def status_of(kpi: Kpi, value: float | None) -> str:
    """On target, warning or failing; a value at a threshold counts as reaching it."""
    if value is None:
        return NO_DATA
    higher = kpi.direction == "higher"

    def reached(threshold: float | None) -> bool:
        if threshold is None:
            return False
        return value <= threshold if higher else value >= threshold

    if reached(kpi.failure_threshold):
        return FAILING
    if reached(kpi.warning_threshold):
        return WARNING
    if kpi.target is not None and (value < kpi.target if higher else value > kpi.target):
        return WARNING
    return ON_TARGET


@strict_arguments
def reading_value(stored: object) -> float | None:
    """A stored reading as a number; None when it is none (text, infinite or not a number,
    as old data or another program may have left it): such a reading counts as invalid."""
    if isinstance(stored, bool) or not isinstance(stored, int | float):
        return None
    value = float(stored)
    return value if math.isfinite(value) and abs(value) <= LARGEST_NUMBER else None


@strict_arguments
def readings_of(kpi: Kpi) -> dict[dt.date, float]:
    """The KPI's valid readings by period; invalid ones are left out (see invalid_readings)."""
    rows = (
        Reading.live(Reading.period_start, Reading.value)
        .where(Reading.kpi == kpi)
        .order_by(Reading.period_start)
    )
    found = {}
    for row in rows:
        value = reading_value(row.value)
        if value is not None and isinstance(row.period_start, dt.date):
            found[row.period_start] = value
    return found


@strict_arguments
def invalid_readings(kpi: Kpi | None = None) -> list[Reading]:
    """Current readings whose stored value or period is not a valid one, to show and correct."""
    query = Reading.live()
    if kpi is not None:
        query = query.where(Reading.kpi == kpi)
    return [r for r in query if reading_value(r.value) is None
            or not isinstance(r.period_start, dt.date)]


@dataclass(frozen=True)
class Trend:
    periods: int  # the window asked for
    points: int  # readings found in it
    slope: float  # change per period, in the KPI's unit
    verdict: str  # "improving", "worsening", "steady", or "not enough data"


@strict_arguments
def trend(kpi: Kpi, window: int, values: dict[dt.date, float] | None = None,
          today: dt.date | None = None) -> Trend:
    """Least-squares slope over the last `window` complete periods; gaps are skipped."""
    values = readings_of(kpi) if values is None else values
    return _trend_over(kpi, window, recent_periods(kpi.frequency, window, today), values)


@strict_arguments
def min_trend_readings(window: int) -> int:
    """Readings a `window`-period trend rests on at least: 3 of 3, 3 of 6, 6 of 12."""
    return max(MIN_TREND_READINGS, math.ceil(window / 2))


def _trend_over(kpi: Kpi, window: int, periods: list[dt.date],
                values: dict[dt.date, float]) -> Trend:
    points = [(i, values[p]) for i, p in enumerate(periods) if p in values]
    if len(points) < min_trend_readings(window):
        return Trend(window, len(points), 0.0, "not enough data")
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    scale = max(abs(mean_y), abs(kpi.target or 0), 1e-9)
    if abs(slope) * window < 0.02 * scale:  # under 2% over the window: steady
        verdict = "steady"
    elif (slope > 0) == (kpi.direction == "higher"):
        verdict = "improving"
    else:
        verdict = "worsening"
    return Trend(window, n, slope, verdict)


@strict_arguments
def began_period(kpi: Kpi, values: dict[dt.date, float]) -> dt.date:
    """The KPI's first period: the one it was created in, or its first reading's if earlier
    (readings of the months before it was set up may be typed in later)."""
    created = kpi.created_at.date() if kpi.created_at is not None else clock.today()
    began = period_of(created, kpi.frequency)
    return min(began, min(values)) if values else began


@dataclass(frozen=True)
class KpiSummary:
    kpi: Kpi
    latest_period: dt.date | None
    latest_value: float | None
    status: str
    missing: list[dt.date]  # complete periods in the last 12, since the KPI began, with none
    trends: dict[int, Trend]


@strict_arguments
def summarise(kpi: Kpi, today: dt.date | None = None,
              values: dict[dt.date, float] | None = None) -> KpiSummary:
    """Latest status, missing periods and trends; `values` when already read (readings_of)."""
    values = readings_of(kpi) if values is None else values
    latest = max(values) if values else None
    window = recent_periods(kpi.frequency, 12, today)
    began = began_period(kpi, values)
    missing = [p for p in window if p not in values and p >= began]
    return KpiSummary(
        kpi=kpi,
        latest_period=latest,
        latest_value=values[latest] if latest else None,
        status=status_of(kpi, values[latest]) if latest else NO_DATA,
        missing=missing,
        # The trend windows (twelve periods at most) are tails of the twelve worked out above.
        trends={w: _trend_over(kpi, w, window[-w:], values) for w in TREND_WINDOWS},
    )


# --- Entering readings ------------------------------------------------------------------------


@strict_arguments
def validate_kpi(values: dict[str, object]) -> dict[str, str]:
    """Thresholds must sit on the failing side of the target, in the right order."""
    target, warning, failure = (values.get(k) for k in ("target", "warning_threshold",
                                                        "failure_threshold"))
    if any(v in (None, "") for v in (target, warning, failure)):
        return {}
    t, w, f = float(str(target)), float(str(warning)), float(str(failure))
    if values.get("direction") == "lower":
        ok = t <= w <= f
        rule = "target ≤ warning ≤ failing, since lower is better"
    else:
        ok = t >= w >= f
        rule = "target ≥ warning ≥ failing, since higher is better"
    return {} if ok else {"warning_threshold": f"Put the thresholds in order: {rule}."}


@strict_arguments
def save_reading(kpi: Kpi, period: dt.date, value: float | None, comment: str = "") -> None:
    """Set, change or clear (None) the reading of one period."""
    period = period_of(period, kpi.frequency)
    if period > period_of(clock.today(), kpi.frequency):
        raise ValidationError({"period": "A reading cannot be for a future period."})
    existing = Reading.get_or_none((Reading.kpi == kpi) & (Reading.period_start == period))
    with database.atomic():
        if value is None:
            if existing is not None and existing.archived_at is None:
                records.archive(existing)
            return
        if existing is None:
            records.create(Reading, kpi=kpi, period_start=period, value=value,
                           entered_by=records.current_user(), comment=comment)
            return
        if existing.archived_at is not None:
            records.unarchive(existing)
        records.update(existing, value=value, comment=comment or existing.comment,
                       entered_by=records.current_user())


@strict_arguments
def save_period(period: dt.date, values: dict[str, float | None],
                read: dict[str, float | None] | None = None) -> int:
    """The whole grid of one period in one transaction; returns how many KPIs were written.

    `read`: each KPI's reading as the grid showed it (None: none). When someone changed a
    reading this save writes since, it is refused with RecordChanged and nothing written;
    readings of other KPIs they changed are no reason to refuse.
    """
    found = {k.id: k for k in Kpi.select().where(Kpi.id.in_(list(values)))}
    missing = [kpi_id for kpi_id in values if kpi_id not in found]
    if missing:
        raise ValidationError({"kpi": f"No KPI {missing[0][:40]!r}; it may have been deleted."})
    with database.atomic():
        if read is not None:
            records.take_turn()  # first: the check below holds until the writes
            for kpi_id in values:
                kpi = found[kpi_id]
                stored = Reading.get_or_none((Reading.kpi == kpi) & (
                    Reading.period_start == period_of(period, kpi.frequency)))
                now = (reading_value(stored.value)
                       if stored is not None and stored.archived_at is None else None)
                if stored is not None and now != read.get(kpi_id):
                    raise records.refusal_for(stored)
        for kpi_id, value in values.items():
            save_reading(found[kpi_id], period, value)
    return len(values)


# --- Gaps auditors write up -------------------------------------------------------------------


@strict_arguments
def readings_since(start: dt.date) -> dict[str, dict[dt.date, float]]:
    """Every KPI's readings from `start` on, in one query (for screens that list many KPIs)."""
    query = (
        Reading.live(Reading.kpi, Reading.period_start, Reading.value)
        .where(Reading.period_start >= start)
    )
    # Tens of thousands of rows share a few hundred periods: read the cursor's rows as they
    # come (ids are text, values REAL) and convert each distinct period text once, instead of
    # letting peewee convert every column of every row.
    to_date: Callable[[str], dt.date] = Reading.period_start.python_value
    periods: dict[str, dt.date] = {}
    found: dict[str, dict[dt.date, float]] = {}
    # The query's own database: the models may be bound to records as of a day (as_of.py).
    for kpi_id, period_text, stored in Reading._meta.database.execute(query):
        period = periods.get(period_text)
        if period is None:
            period = periods[period_text] = to_date(period_text)
        value = reading_value(stored)
        if value is None or not isinstance(period, dt.date):
            continue  # an invalid reading (see invalid_readings) is no reading
        found.setdefault(kpi_id, {})[period] = value
    return found


@strict_arguments
def objective_flags(
    objective: Objective,
    today: dt.date | None = None,
    *,
    kpis: list[Kpi] | None = None,
    values: dict[str, dict[dt.date, float]] | None = None,
) -> list[str]:
    """Why an objective would be written up: not measurable, no owner, no date, not monitored.

    `kpis` and `values` (from readings_since) may be passed in when checking many objectives.
    """
    flags = []
    if kpis is None:
        kpis = list(objective.kpis.where(is_live(Kpi)))
    if not kpis:
        flags.append("not measurable: no KPI")
    elif all(k.target is None for k in kpis):
        flags.append("not measurable: no target")
    if objective.owner_id is None:
        flags.append("no owner")
    if objective.due_on is None:
        flags.append("no due date")
    for kpi in kpis:
        read = values.get(kpi.id, {}) if values is not None else readings_of(kpi)
        last_two = recent_periods(kpi.frequency, 2, today)
        if not any(p in read for p in last_two):
            flags.append(f"{kpi.name}: no reading for the last two periods")
    return flags


def _failure_title(kpi: Kpi, period: dt.date) -> str:
    return f"{kpi.name} failed its threshold in {period_label(period, kpi.frequency)}"


@strict_arguments
def raised_nonconformity(kpi: Kpi, period: dt.date) -> Nonconformity | None:
    """The nonconformity already raised for `kpi` failing in `period`, if there is one."""
    return (
        Nonconformity.live()
        .where((Nonconformity.source == "kpi")
               & (Nonconformity.title == _failure_title(kpi, period)))
        .get_or_none()
    )


@strict_arguments
def raise_nonconformity(kpi: Kpi, period: dt.date, value: float) -> Nonconformity:
    unit = f" {kpi.unit}" if kpi.unit else ""
    return records.create(
        Nonconformity,
        title=_failure_title(kpi, period),
        description=f"Reading {value:g}{unit}; failing at {kpi.failure_threshold:g}{unit}, "
        f"target {kpi.target:g}{unit}." if kpi.target is not None
        and kpi.failure_threshold is not None else f"Reading {value:g}{unit}.",
        raised_on=clock.today(),
        source="kpi",
        process=kpi.process,
    )
