"""Customer feedback and satisfaction (9.1.2): complaints, compliments, surveys and the trend.

A complaint can raise a nonconformity in one step; the two stay linked both ways (the
feedback points at the nonconformity, which shows the complaint as its source). A survey's
result is kept per period; a period with no result is missing, not zero.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from qms_desktop import clock, nonconformities, records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    FEEDBACK_KINDS,
    SEVERITIES,
    Feedback,
    Nonconformity,
    Person,
    SatisfactionResult,
    database,
    is_live,
)

KIND_LABELS = dict(FEEDBACK_KINDS)
COMPLAINT = "complaint"
TITLE_LENGTH = 80


@strict_arguments
def record_feedback(
    kind: str,
    customer: str,
    received_on: dt.date,
    description: str,
    *,
    product: str = "",
    severity: str = "",
    today: dt.date | None = None,
) -> Feedback:
    today = today or clock.today()
    problems = {}
    if kind not in KIND_LABELS:
        problems["kind"] = "Choose the kind: " + ", ".join(KIND_LABELS.values())
    if not (customer or "").strip():
        problems["customer"] = "Name the customer."
    if received_on is None:
        problems["received_on"] = "Give the date it was received."
    elif received_on > today:
        problems["received_on"] = "The date received cannot be in the future."
    if not (description or "").strip():
        problems["description"] = "Write down what the customer said."
    if severity and severity not in dict(SEVERITIES):
        problems["severity"] = "Choose minor, major or critical, or leave it empty."
    if problems:
        raise ValidationError(problems)
    return records.create(
        Feedback,
        kind=kind,
        customer=customer.strip(),
        received_on=received_on,
        description=description.strip(),
        product=product.strip(),
        severity=severity,
    )


def _short(text: str, length: int) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


@strict_arguments
def raise_nonconformity(
    feedback: Feedback,
    *,
    raised_on: dt.date | None = None,
    reported_by: Person | None = None,
    today: dt.date | None = None,
) -> Nonconformity:
    """Open a nonconformity from a complaint and link the two, in one step."""
    if feedback.kind != COMPLAINT:
        raise ValidationError(
            {"kind": f"Only a complaint raises a nonconformity; this is a "
                     f"{KIND_LABELS.get(feedback.kind, feedback.kind).lower()}."}
        )
    linked = Feedback.select(Feedback.nonconformity).where(Feedback.id == feedback.id).scalar()
    if linked is not None:
        feedback.nonconformity = linked
    if (raised := feedback.nonconformity) is not None:
        raise ValidationError(
            {"nonconformity": f"This complaint already raised {raised.reference}."}
        )
    today = today or clock.today()
    product = f" about {feedback.product}" if feedback.product else ""
    lines = [f"Complaint from {feedback.customer}{product}, received {feedback.received_on}:",
             feedback.description]
    with database.atomic():
        nc = nonconformities.create_nonconformity(
            title=_short(f"Complaint from {feedback.customer}: {feedback.description}",
                         TITLE_LENGTH),
            raised_on=raised_on or today,
            source="complaint",
            description="\n".join(lines),
            severity=feedback.severity or "minor",
            reported_by=reported_by,
            today=today,
        )
        records.update(feedback, nonconformity=nc)
    return nc


@strict_arguments
def close(feedback: Feedback, response: str, closed_on: dt.date,
          today: dt.date | None = None) -> Feedback:
    """Record the answer given to the customer and close the feedback."""
    today = today or clock.today()
    problems = {}
    if feedback.closed_on is not None:
        problems["closed_on"] = f"Already closed on {feedback.closed_on}."
    if not (response or "").strip():
        problems["response"] = "Write down the response given to the customer."
    if closed_on is None:
        problems["closed_on"] = "Give the closing date."
    elif closed_on > today:
        problems["closed_on"] = "The closing date cannot be in the future."
    elif closed_on < feedback.received_on:
        problems["closed_on"] = "It cannot close before it was received."
    if problems:
        raise ValidationError(problems)
    return records.update(feedback, response=response.strip(), closed_on=closed_on)


@strict_arguments
def reopen(feedback: Feedback) -> Feedback:
    return records.update(feedback, closed_on=None)


@strict_arguments
def open_feedback(kind: str | None = None) -> list[Feedback]:
    query = Feedback.live().where(Feedback.closed_on.is_null())
    if kind is not None:
        query = query.where(Feedback.kind == kind)
    return list(query.order_by(Feedback.received_on))


@strict_arguments
def feedback_between(start: dt.date, end: dt.date) -> list[Feedback]:
    return list(
        Feedback.live()
        .where((Feedback.received_on >= start) & (Feedback.received_on <= end))
        .order_by(Feedback.received_on)
    )


@strict_arguments
def counts_by_month(start: dt.date, end: dt.date) -> dict[dt.date, dict[str, int]]:
    """Feedback received per month (first day) and kind; every month and kind present."""
    counts: Counter[tuple[dt.date, str]] = Counter(
        (dt.date(f.received_on.year, f.received_on.month, 1), f.kind)
        for f in feedback_between(start, end)
    )
    return {
        month: {kind: counts[(month, kind)] for kind in KIND_LABELS}
        for month in nonconformities.months_between(start, end)
    }


# --- Satisfaction surveys ----------------------------------------------------------------------


@strict_arguments
def record_satisfaction(
    period_start: dt.date,
    score: float,
    responses: int,
    *,
    scale_max: float = 10,
    method: str = "",
    read: list[SatisfactionResult] | None = None,
) -> SatisfactionResult:
    """Set the result of one period; a second call for the same period replaces it.

    `read`: the results as the form listed them (None: as stored now). A result for the
    period that someone changed since, or entered where the form listed none, is not
    replaced: RecordChanged, and nothing written.
    """
    problems = {}
    if period_start is None:
        problems["period_start"] = "Give the period."
    if scale_max is None or scale_max <= 0:
        problems["scale_max"] = "The scale must be above zero (for example 5 or 10)."
    if score is None or score < 0 or (scale_max and scale_max > 0 and score > scale_max):
        problems["score"] = f"The score must be between 0 and {scale_max:g}."
    if responses is None or responses < 1:
        problems["responses"] = "A result needs at least one response."
    if problems:
        raise ValidationError(problems)
    values: dict[str, Any] = {"score": float(score), "scale_max": float(scale_max),
                              "responses": int(responses), "method": method.strip()}
    with database.atomic():
        records.take_turn()  # first: what is checked below stays so until the write
        existing = SatisfactionResult.get_or_none(
            (SatisfactionResult.period_start == period_start)
            & is_live(SatisfactionResult)
        )
        if existing is not None and read is not None:
            listed = next((r for r in read if r.id == existing.id), None)
            if listed is None:
                raise records.refusal_for(existing)
            records.refuse_if_changed([listed])
        if existing is not None:
            return records.update(existing, **values)
        return records.create(SatisfactionResult, period_start=period_start, **values)


@dataclass(frozen=True)
class SatisfactionPoint:
    period_start: dt.date
    score: float
    scale_max: float
    responses: int
    percent: float  # the score on a 0 to 100 scale, so different scales compare
    change: float | None  # percentage points since the previous result; None for the first


@strict_arguments
def satisfaction_trend(periods: int | None = None) -> list[SatisfactionPoint]:
    """The last `periods` results (all when None), oldest first, with the change each time."""
    query = (
        SatisfactionResult.live()
        .order_by(SatisfactionResult.period_start.desc())
    )
    if periods is not None:
        query = query.limit(periods)
    rows = list(reversed(list(query)))
    points: list[SatisfactionPoint] = []
    for row in rows:
        percent = round(100 * row.score / row.scale_max, 1)
        change = round(percent - points[-1].percent, 1) if points else None
        points.append(SatisfactionPoint(row.period_start, row.score, row.scale_max,
                                        row.responses, percent, change))
    return points
