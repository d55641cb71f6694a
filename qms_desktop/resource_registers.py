"""The resources register (7.1) as a declaration: kinds grouped as the standard lists them.

Budgets are money: integer minor units plus the organisation's ISO 4217 code, shown through
Babel in the reader's locale and typed in through the form's "money" editor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from peewee import Expression

from qms_desktop import clock, formatting, money
from qms_desktop.dates import add_months
from qms_desktop.models import DECISIONS, Resource, ResourceRequest
from qms_desktop.organisation import get_organisation
from qms_desktop.registers import Column, Filter, FormField, Register

# 7.1.2 to 7.1.6, in the order of the standard; infrastructure (7.1.3) is several kinds.
KIND_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("people", "People", ("people",)),
    ("infrastructure", "Infrastructure",
     ("building", "equipment", "software", "transport", "it")),
    ("environment", "Working environment", ("environment",)),
    ("measuring", "Measuring equipment", ("measuring",)),
    ("knowledge", "Organisational knowledge", ("knowledge",)),
)
CALIBRATION_FIELDS = ("calibration_interval_months", "last_calibrated_on", "next_calibration_on")


def organisation_currency() -> str:
    organisation = get_organisation()
    return organisation.currency if organisation is not None else "USD"


def money_formatter(locale: str) -> Callable[[], Callable[[Any], str]]:
    """Cell text for an amount in the organisation's currency ("AED 85,000.00", written the
    same in every locale, as the pack writes it); empty when there is none. A column's
    `formatter`: the currency is read once for a page, not once for each row."""

    def for_page() -> Callable[[Any], str]:
        currency = organisation_currency()

        def format_amount(minor: Any) -> str:
            if minor is None or minor == "":
                return ""
            return formatting.money(int(minor), currency)

        return format_amount

    return for_page


def calibration_overdue(today: dt.date | None = None) -> Expression:
    """Measuring equipment in service whose calibration date has passed, or was never set."""
    day = today or clock.today()
    return (
        (Resource.kind == "measuring")
        & (Resource.calibration_status != "out_of_service")
        & (Resource.next_calibration_on.is_null() | (Resource.next_calibration_on < day))
    )


def _kind_filter(key: str, label: str, kinds: tuple[str, ...]) -> Filter:
    return Filter(key, label, lambda: Resource.kind.in_(kinds))


def _resource_problems(values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    interval = values.get("calibration_interval_months")
    if values.get("kind") and values.get("kind") != "measuring":
        for name in CALIBRATION_FIELDS:
            if values.get(name) not in (None, ""):
                problems[name] = ("Only monitoring and measuring equipment is calibrated: "
                                  "clear this, or choose that kind.")
    elif interval is not None and not 1 <= int(interval) <= 120:
        problems["calibration_interval_months"] = "Give an interval of 1 to 120 months."
    last, following = values.get("last_calibrated_on"), values.get("next_calibration_on")
    if last and following and following <= last:
        problems["next_calibration_on"] = "The next calibration comes after the last one."
    budget = values.get("annual_budget_minor")
    if budget is not None and int(budget) < 0:
        problems["annual_budget_minor"] = "A budget cannot be negative."
    return problems


def _complete_resource(values: dict[str, Any]) -> dict[str, Any]:
    """The budget's currency, and the next calibration date when only the last one is known."""
    completed = dict(values)
    if "annual_budget_minor" in completed:
        has_budget = completed["annual_budget_minor"] is not None
        completed["currency"] = organisation_currency() if has_budget else ""
    last, interval = completed.get("last_calibrated_on"), completed.get(
        "calibration_interval_months")
    if completed.get("kind") == "measuring" and last and not completed.get("next_calibration_on"):
        completed["next_calibration_on"] = add_months(last, int(interval or 12))
    if completed.get("kind") == "measuring":
        completed.setdefault("calibration_status", "in_service")
    return completed


def resources_register(locale: str = money.DEFAULT_LOCALE) -> Register:
    """The register, with budgets written the way `locale` writes money."""
    return Register(
        key="resources",
        title="Resources",
        singular="resource",
        model=Resource,
        clause="7.1",
        description="People, infrastructure, working environment, measuring equipment and "
        "knowledge the quality management system relies on, with an owner and a budget.",
        columns=(
            Column("name"),
            Column("kind"),
            Column("annual_budget_minor", "Annual budget", formatter=money_formatter(locale)),
            Column("owner.full_name", "Owner"),
            Column("location"),
        ),
        search=("name", "owner.full_name", "location"),
        filters=(
            *(_kind_filter(key, label, kinds) for key, label, kinds in KIND_GROUPS),
            Filter("calibration_overdue", "Calibration overdue", calibration_overdue),
        ),
        form=(
            FormField("name"),
            FormField("kind"),
            FormField("description"),
            FormField("owner"),
            FormField("process", hint="The process that uses it, if one does."),
            FormField("location"),
            FormField("annual_budget_minor", "Annual budget", kind="money",
                      hint="What it costs a year, in the organisation's currency."),
            FormField("calibration_interval_months", hint="Measuring equipment"),
            FormField("last_calibrated_on", hint="Measuring equipment only. Record "
                      "calibrations on the Measuring equipment tab to keep a history."),
            FormField("next_calibration_on", hint="Left empty, it follows from the last "
                      "calibration and the interval."),
        ),
        validate=_resource_problems,
        before_save=_complete_resource,
    )


def _decision_filter(key: str, label: str) -> Filter:
    return Filter(key, label, lambda: ResourceRequest.decision == key)


def _request_problems(values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    amount = values.get("amount_minor")
    if amount is not None and int(amount) < 0:
        problems["amount_minor"] = "A cost cannot be negative."
    requested_on = values.get("requested_on")
    if isinstance(requested_on, dt.date) and requested_on > clock.today():
        problems["requested_on"] = "The request date is in the future."
    return problems


def _complete_request(values: dict[str, Any]) -> dict[str, Any]:
    completed = dict(values)
    completed["currency"] = organisation_currency()
    return completed


def requests_register(locale: str = money.DEFAULT_LOCALE) -> Register:
    """Requests for resources and top management's decisions; new ones cost the
    organisation's currency."""
    return Register(
        key="resource_requests",
        title="Resource requests",
        singular="resource request",
        model=ResourceRequest,
        clause="7.1.1",
        description="What is needed, what it costs and what top management decided.",
        columns=(
            Column("title"),
            Column("amount_minor", "Cost", formatter=money_formatter(locale)),
            Column("requested_on"),
            Column("requested_by.full_name", "Requested by"),
            Column("decision"),
            Column("decided_by.full_name", "Decided by"),
            Column("decided_on"),
            Column("reference"),
        ),
        search=("reference", "title", "requested_by.full_name", "decided_by.full_name"),
        filters=tuple(_decision_filter(key, label) for key, label in DECISIONS),
        form=(
            FormField("title"),
            FormField("reason"),
            FormField("amount_minor", "Cost", required=True, kind="money",
                      hint="In the organisation's currency; 0 if it costs nothing."),
            FormField("objective", hint="The objective, risk or process it serves, if any."),
            FormField("risk"),
            FormField("process"),
            FormField("requested_on"),
            FormField("requested_by"),
        ),
        default_sort="requested_on",
        validate=_request_problems,
        before_save=_complete_request,
    )


RESOURCES = resources_register()
REQUESTS = requests_register()
