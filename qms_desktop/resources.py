"""Resources (7.1): what the organisation has, what it asks for, and whether it is enough.

Top management decides on requests; the decision records who decided and whether they were
in top management. Measuring equipment carries its calibration dates (7.1.5).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from peewee import SQL, Cast, fn

from qms_desktop import clock, records
from qms_desktop.dates import add_months
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    DECISIONS,
    AdequacyStatement,
    Calibration,
    Person,
    Resource,
    ResourceRequest,
    database,
)
from qms_desktop.policy import is_top_management

DUE_SOON_DAYS = 30


# --- Calibration (7.1.5) ----------------------------------------------------------------------


@strict_arguments
def calibration_state(resource: Resource, today: dt.date | None = None) -> str:
    """"overdue", "due" (within 30 days), "ok", or "" for things that need no calibration."""
    if resource.kind != "measuring" or resource.calibration_status == "out_of_service":
        return ""
    today = today or clock.today()
    if resource.next_calibration_on is None:
        return "overdue"
    if resource.next_calibration_on < today:
        return "overdue"
    if resource.next_calibration_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "due"
    return "ok"


@strict_arguments
def overdue_instruments(today: dt.date | None = None) -> list[Resource]:
    today = today or clock.today()
    instruments = Resource.live().where(
        (Resource.kind == "measuring")
        & (Resource.calibration_status != "out_of_service")
    )
    return [r for r in instruments if calibration_state(r, today) == "overdue"]


@strict_arguments
def record_calibration(
    resource: Resource,
    calibrated_on: dt.date,
    result: str = "pass",
    certificate: str = "",
    calibrated_by: str = "",
) -> Calibration:
    if resource.kind != "measuring":
        raise ValidationError({"resource": "Only measuring equipment is calibrated."})
    if calibrated_on > clock.today():
        raise ValidationError({"calibrated_on": "The calibration date is in the future."})
    with database.atomic():
        made = records.create(
            Calibration,
            resource=resource,
            calibrated_on=calibrated_on,
            result=result,
            certificate=certificate,
            calibrated_by=calibrated_by,
        )
        interval = resource.calibration_interval_months or 12
        passed = result == "pass"
        records.update(
            resource,
            last_calibrated_on=calibrated_on,
            next_calibration_on=add_months(calibrated_on, interval) if passed else None,
            calibration_status="in_service" if passed else "out_of_service",
        )
    return made


# --- Requests and decisions ------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    request: ResourceRequest
    by_top_management: bool

    @property
    def warnings(self) -> list[str]:
        if self.by_top_management:
            return []
        decided_by = self.request.decided_by
        assert decided_by is not None  # a Decision is made by deciding
        who = decided_by.display_name()
        return [f"{who} is not in a top-management role; resource decisions are top "
                "management's to make."]


@strict_arguments
def decide(
    request: ResourceRequest,
    decision: str,
    by: Person,
    on: dt.date | None = None,
    note: str = "",
) -> Decision:
    if decision not in dict(DECISIONS) or decision == "pending":
        raise ValidationError({"decision": "Choose approved, deferred or rejected."})
    if by is None:
        raise ValidationError({"decided_by": "Choose who decided."})
    if decision in ("deferred", "rejected") and not note.strip():
        raise ValidationError({"decision_note": "Say why the request was deferred or rejected."})
    top = is_top_management(by)
    records.update(
        request,
        decision=decision,
        decided_by=by,
        decided_on=on or clock.today(),
        decision_note=note.strip(),
        decided_by_top_management=top,
    )
    return Decision(request, top)


@strict_arguments
def totals(currency: str) -> dict[int, dict[str, int]]:
    """Sum of requested amounts in minor units by year requested and decision state.

    Only requests in `currency` are summed: amounts in different currencies never mix.
    """
    # The year from the day as text: substr, as both engines take it (strftime is SQLite's);
    # its numbers written in, so the GROUP BY repeats the very same expression (bound
    # parameters would make it another one to PostgreSQL).
    year = fn.substr(Cast(ResourceRequest.requested_on, "TEXT"), SQL("1"), SQL("4")).cast(
        "INTEGER")
    query = (
        ResourceRequest.live(year.alias("year"), ResourceRequest.decision,
                               fn.SUM(ResourceRequest.amount_minor).alias("total"))
        .where(ResourceRequest.currency == currency)
        .group_by(year, ResourceRequest.decision)
        .tuples()
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    # peewee's stubs type .tuples() as yielding the model; these rows are (year, decision, sum).
    for row_year, decision, total in cast(Iterable[tuple[int, str, int]], query):
        result[int(row_year)][decision] = int(total)
    return dict(sorted(result.items(), reverse=True))


# --- Adequacy (review input d) ---------------------------------------------------------------


@strict_arguments
def state_adequacy(
    period_start: dt.date,
    period_end: dt.date,
    verdict: str,
    reasons: str,
    stated_by: Person | None,
    stated_on: dt.date | None = None,
) -> AdequacyStatement:
    problems = {}
    if period_end < period_start:
        problems["period_end"] = "The period ends before it starts."
    if verdict not in ("adequate", "partly", "not"):
        problems["verdict"] = "Choose adequate, partly adequate or not adequate."
    if verdict in ("partly", "not") and not reasons.strip():
        problems["reasons"] = "Say what is missing."
    if problems:
        raise ValidationError(problems)
    return records.create(
        AdequacyStatement,
        period_start=period_start,
        period_end=period_end,
        verdict=verdict,
        reasons=reasons.strip(),
        stated_by=stated_by,
        stated_on=stated_on or clock.today(),
    )


@strict_arguments
def adequacy_for(period_start: dt.date, period_end: dt.date) -> list[AdequacyStatement]:
    """Statements whose period overlaps the given one, newest first."""
    return list(
        AdequacyStatement.live()
        .where(
            (AdequacyStatement.period_start <= period_end)
            & (AdequacyStatement.period_end >= period_start)
        )
        .order_by(AdequacyStatement.stated_on.desc())
    )
