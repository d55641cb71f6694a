"""External providers (8.4) and their performance for the review (input c7).

An evaluation scores quality, delivery, price and responsiveness from 1 (poor) to 5
(excellent); its score is the plain average of the four.

Re-evaluation rule: the next evaluation is due 12 months after the last one for a supplier of
high criticality, 24 months for medium and 36 months for low; whatever the criticality, a
score under 3 brings it forward to 6 months, so a weak supplier is watched closely. A supplier
never evaluated is due at once. Suspended suppliers are not used, so they are never due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qms_desktop import clock, records
from qms_desktop.dates import add_months
from qms_desktop.errors import ValidationError
from qms_desktop.fields import EARLIEST_DATE, LATEST_DATE, strict_arguments
from qms_desktop.models import (
    CRITICALITY,
    SUPPLIER_STATES,
    Person,
    Supplier,
    SupplierEvaluation,
    database,
)

CRITERIA = (
    ("quality", "Quality"),
    ("delivery", "Delivery"),
    ("price", "Price"),
    ("responsiveness", "Responsiveness"),
)
MIN_SCORE, MAX_SCORE = 1, 5
REEVALUATION_MONTHS = {"high": 12, "medium": 24, "low": 36}
POOR_SCORE = 3.0
POOR_SCORE_MONTHS = 6


@strict_arguments
def add_supplier(name: str, provides: str = "", criticality: str = "medium",
                 contact: str = "", approval: str = "pending") -> Supplier:
    problems = {}
    if not (name or "").strip():
        problems["name"] = "Name the supplier."
    if criticality not in dict(CRITICALITY):
        problems["criticality"] = "Choose low, medium or high."
    if approval not in dict(SUPPLIER_STATES):
        problems["approval"] = "Choose an approval state."
    if problems:
        raise ValidationError(problems)
    return records.create(Supplier, name=name.strip(), provides=provides.strip(),
                          criticality=criticality, contact=contact.strip(), approval=approval)


@strict_arguments
def score(evaluation: SupplierEvaluation) -> float:
    """The average of the four criteria, 1 to 5."""
    values = [int(getattr(evaluation, key)) for key, _ in CRITERIA]
    return sum(values) / len(values)


@strict_arguments
def evaluations_of(supplier: Supplier) -> list[SupplierEvaluation]:
    """Newest first."""
    return list(
        SupplierEvaluation.live()
        .where(SupplierEvaluation.supplier == supplier)
        .order_by(SupplierEvaluation.evaluated_on.desc(), SupplierEvaluation.created_at.desc())
    )


@strict_arguments
def latest_evaluation(supplier: Supplier) -> SupplierEvaluation | None:
    found = evaluations_of(supplier)
    return found[0] if found else None


@strict_arguments
def latest_score(supplier: Supplier) -> float | None:
    latest = latest_evaluation(supplier)
    return score(latest) if latest is not None else None


@strict_arguments
def next_evaluation_due(criticality: str, evaluated_on: dt.date, average: float) -> dt.date:
    """The rule in the module's docstring."""
    months = REEVALUATION_MONTHS.get(criticality, REEVALUATION_MONTHS["medium"])
    if average < POOR_SCORE:
        months = min(months, POOR_SCORE_MONTHS)
    return add_months(evaluated_on, months)


@strict_arguments
def evaluate(
    supplier: Supplier,
    evaluated_on: dt.date,
    quality: int,
    delivery: int,
    price: int,
    responsiveness: int,
    *,
    notes: str = "",
    evaluated_by: Person | None = None,
    today: dt.date | None = None,
) -> SupplierEvaluation:
    """Record an evaluation and set when the next one is due, in one step."""
    today = today or clock.today()
    scores = {"quality": quality, "delivery": delivery, "price": price,
              "responsiveness": responsiveness}
    problems = {}
    for key, label in CRITERIA:
        value = scores[key]
        if isinstance(value, bool) or not isinstance(value, int) \
                or not MIN_SCORE <= value <= MAX_SCORE:
            problems[key] = f"Score {label.lower()} from {MIN_SCORE} to {MAX_SCORE}."
    if evaluated_on is None:
        problems["evaluated_on"] = "Give the date of the evaluation."
    elif evaluated_on > today:
        problems["evaluated_on"] = "The evaluation date cannot be in the future."
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        evaluation = records.create(SupplierEvaluation, supplier=supplier,
                                    evaluated_on=evaluated_on, notes=notes.strip(),
                                    evaluated_by=evaluated_by, **scores)
        _refresh_due_date(supplier)
    return evaluation


def _refresh_due_date(supplier: Supplier) -> None:
    latest = latest_evaluation(supplier)
    due = None if latest is None else next_evaluation_due(
        supplier.criticality, latest.evaluated_on, score(latest))
    records.update(supplier, reevaluation_due_on=due)


@strict_arguments
def set_criticality(supplier: Supplier, criticality: str) -> Supplier:
    """Change the criticality; the re-evaluation date follows the rule again."""
    if criticality not in dict(CRITICALITY):
        raise ValidationError({"criticality": "Choose low, medium or high."})
    with database.atomic():
        records.update(supplier, criticality=criticality)
        _refresh_due_date(supplier)
    return supplier


@dataclass(frozen=True)
class Reevaluation:
    supplier: Supplier
    due_on: dt.date | None  # None: never evaluated
    reason: str


@strict_arguments
def due_for_reevaluation(today: dt.date, within_days: int = 0) -> list[Reevaluation]:
    """Suppliers in use whose evaluation is due by `today` (+ `within_days`), or never done."""
    horizon = today + dt.timedelta(days=within_days)
    found = []
    query = (
        Supplier.live()
        .where(Supplier.approval != "suspended")
        .order_by(Supplier.name)
    )
    for supplier in query:
        due = supplier.reevaluation_due_on
        if due is None:
            if latest_evaluation(supplier) is None:
                found.append(Reevaluation(supplier, None, "never evaluated"))
            continue
        if due <= horizon:
            reason = f"overdue since {due}" if due < today else f"due on {due}"
            found.append(Reevaluation(supplier, due, reason))
    found.sort(key=lambda r: (r.due_on is not None, r.due_on or today, r.supplier.name))
    return found


# --- Performance trend --------------------------------------------------------------------------


@strict_arguments
def quarter_of(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@strict_arguments
def quarter_label(start: dt.date) -> str:
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class QuarterScore:
    quarter: dt.date  # first day of the quarter
    label: str
    average: float | None  # None: no evaluation that quarter (missing, not zero)
    evaluations: int


@strict_arguments
def evaluations_between(start: dt.date, end: dt.date,
                        supplier: Supplier | None = None) -> list[SupplierEvaluation]:
    query = SupplierEvaluation.live().where(
        (SupplierEvaluation.evaluated_on >= start) & (SupplierEvaluation.evaluated_on <= end)
    )
    if supplier is not None:
        query = query.where(SupplierEvaluation.supplier == supplier)
    return list(query.order_by(SupplierEvaluation.evaluated_on))


@strict_arguments
def performance_trend(supplier: Supplier | None = None, start: dt.date | None = None,
                      end: dt.date | None = None) -> list[QuarterScore]:
    """Average evaluation score per quarter, of one supplier or of all of them.

    Without `start`/`end` the range runs from the first to the last evaluation; every quarter
    in the range appears, those without evaluations with `average` None.
    """
    rows = evaluations_between(start or EARLIEST_DATE, end or LATEST_DATE, supplier)
    if not rows:
        return []
    first = quarter_of(start or rows[0].evaluated_on)
    last = quarter_of(end or rows[-1].evaluated_on)
    by_quarter: dict[dt.date, list[float]] = {}
    for row in rows:
        by_quarter.setdefault(quarter_of(row.evaluated_on), []).append(score(row))
    trend = []
    quarter = first
    while quarter <= last:
        values = by_quarter.get(quarter, [])
        average = round(sum(values) / len(values), 2) if values else None
        trend.append(QuarterScore(quarter, quarter_label(quarter), average, len(values)))
        quarter = add_months(quarter, 3)
    return trend
