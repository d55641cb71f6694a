"""The context registers (4.1, 4.2) as declarations: issues, interested parties and what each
party requires.

An issue or a party is "not reviewed for 12 months" when neither its last review nor (never
reviewed) the day it was identified falls within the last year. The requirements register is
usually shown for one party at a time: `requirements_for` gives a copy of it whose new records
go to the party the caller names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from peewee import fn

from qms_desktop import clock
from qms_desktop.errors import ValidationError
from qms_desktop.models import ContextIssue, InterestedParty, PartyRequirement, is_live, utc_now
from qms_desktop.registers import Column, Filter, FormField, Register


def year_before(day: dt.date) -> dt.date:
    """The same calendar day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _review_cutoff() -> dt.date:
    return year_before(clock.today())


# --- Issues (4.1) ---------------------------------------------------------------------------


def _issue_not_reviewed() -> Any:
    # Never reviewed: the clock runs from the day the issue was identified.
    reviewed = fn.COALESCE(ContextIssue.last_reviewed_on, ContextIssue.identified_on)
    return reviewed < _review_cutoff()


def _issue_changed() -> Any:
    now = utc_now()
    return ContextIssue.updated_at >= dt.datetime.combine(year_before(now.date()), now.time())


def _today_when_empty(field: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def fill(values: dict[str, Any]) -> dict[str, Any]:
        if values.get(field) in (None, ""):
            values = {**values, field: clock.today()}
        return values

    return fill


def _issue_problems(values: dict[str, Any]) -> dict[str, str]:
    identified, reviewed = values.get("identified_on"), values.get("last_reviewed_on")
    if isinstance(identified, dt.date) and identified > clock.today():
        return {"identified_on": "An issue cannot be identified in the future."}
    if isinstance(reviewed, dt.date) and reviewed > clock.today():
        return {"last_reviewed_on": "A review date cannot be in the future."}
    if isinstance(identified, dt.date) and isinstance(reviewed, dt.date) and (
        reviewed < identified
    ):
        return {"last_reviewed_on": "The last review cannot be before the issue was identified."}
    return {}


CONTEXT_ISSUES = Register(
    key="context_issues",
    title="Context issues",
    singular="issue",
    model=ContextIssue,
    clause="4.1",
    description="Internal and external issues that affect what you set out to achieve and the "
    "results of the quality system. Review them at least once a year.",
    columns=(
        Column("title"),
        Column("kind", "Internal or external"),
        Column("category"),
        Column("identified_on", "Identified"),
        Column("last_reviewed_on"),
        Column("effect", "Effect"),
        Column("reference"),
    ),
    search=("reference", "title", "effect"),
    filters=(
        Filter("internal", "Internal", lambda: ContextIssue.kind == "internal"),
        Filter("external", "External", lambda: ContextIssue.kind == "external"),
        Filter("not_reviewed", "Not reviewed for 12 months", _issue_not_reviewed),
        Filter("changed", "Changed in the last 12 months", _issue_changed),
    ),
    form=(
        FormField("title", hint="e.g. Two customers make up half of our sales"),
        FormField("kind"),
        FormField("category"),
        FormField("description"),
        FormField("effect", hint="How it helps or hinders what the business sets out to do"),
        FormField("identified_on", required=False, hint="Empty: today"),
        FormField("last_reviewed_on"),
    ),
    validate=_issue_problems,
    before_save=_today_when_empty("identified_on"),
)


# --- Interested parties (4.2) --------------------------------------------------------------


def _live_requirements() -> Any:
    return PartyRequirement.alias("live_requirement")


def requirement_count() -> Any:
    """Current requirements of each party, as a column expression."""
    found = _live_requirements()
    return found.select(fn.COUNT(found.id)).where(
        (found.party == InterestedParty.id) & is_live(found)
    )


def unaddressed_count() -> Any:
    """Current requirements of each party that the QMS does not address."""
    found = _live_requirements()
    return found.select(fn.COUNT(found.id)).where(
        (found.party == InterestedParty.id)
        & is_live(found)
        & (found.addressed == False)  # noqa: E712
    )


def _count_text(value: Any) -> str:
    return "" if value in (None, "") else str(value)


def _unaddressed_text(value: Any) -> str:
    return "" if value in (None, "", 0) else str(value)


def _party_not_reviewed() -> Any:
    never = InterestedParty.last_reviewed_on.is_null() & (
        InterestedParty.created_at < dt.datetime.combine(_review_cutoff(), dt.time.min)
    )
    return never | (InterestedParty.last_reviewed_on < _review_cutoff())


def _reviewed_not_in_future(values: dict[str, Any]) -> dict[str, str]:
    reviewed = values.get("last_reviewed_on")
    if isinstance(reviewed, dt.date) and reviewed > clock.today():
        return {"last_reviewed_on": "A review date cannot be in the future."}
    return {}


INTERESTED_PARTIES = Register(
    key="interested_parties",
    title="Interested parties",
    singular="interested party",
    model=InterestedParty,
    clause="4.2",
    description="Who has a stake in what you deliver (customers, staff, owners, suppliers, "
    "regulators, neighbours) and what they require of you.",
    columns=(
        Column("name"),
        Column("kind"),
        Column("requirements", "Requirements", expression=requirement_count,
               format=_count_text),
        Column("unaddressed", "Not addressed", expression=unaddressed_count,
               format=_unaddressed_text),
        Column("last_reviewed_on"),
        Column("reference"),
    ),
    search=("reference", "name"),
    filters=(
        Filter("unaddressed", "With requirements not addressed", lambda: unaddressed_count() > 0),
        Filter("not_reviewed", "Not reviewed for 12 months", _party_not_reviewed),
    ),
    form=(
        FormField("name", hint="e.g. Our customers in the food industry"),
        FormField("kind"),
        FormField("description"),
        FormField("last_reviewed_on"),
    ),
    validate=_reviewed_not_in_future,
)


def _requirement_problems(values: dict[str, Any]) -> dict[str, str]:
    problems = _reviewed_not_in_future(values)
    if values.get("addressed") and not str(values.get("how_addressed") or "").strip():
        problems["how_addressed"] = (
            "Say how the quality system addresses it, or untick “Addressed by the QMS”."
        )
    return problems


PARTY_REQUIREMENTS = Register(
    key="party_requirements",
    title="Requirements",
    singular="requirement",
    model=PartyRequirement,
    clause="4.2",
    description="What each interested party needs or expects, and whether the quality system "
    "addresses it.",
    columns=(
        Column("requirement"),
        Column("party.name", "Interested party"),
        Column("addressed", "Addressed"),
        Column("last_reviewed_on"),
        Column("how_addressed", "How addressed"),
    ),
    search=("requirement", "party.name", "how_addressed"),
    filters=(
        Filter("unaddressed", "Not addressed",
               lambda: PartyRequirement.addressed == False),  # noqa: E712
        Filter(
            "not_reviewed",
            "Not reviewed for 12 months",
            lambda: PartyRequirement.last_reviewed_on.is_null()
            | (PartyRequirement.last_reviewed_on < _review_cutoff()),
        ),
    ),
    form=(
        FormField("party"),
        FormField("requirement", hint="e.g. Parts delivered on the agreed day"),
        FormField("addressed"),
        FormField("how_addressed", hint="The process, procedure or record that meets it"),
        FormField("last_reviewed_on"),
    ),
    validate=_requirement_problems,
)


def requirements_for(party_id: Callable[[], str | None]) -> Register:
    """The requirements register for one party at a time: `party_id()` names the party a new
    requirement belongs to, so the form and the list leave the party out."""

    def with_party(values: dict[str, Any]) -> dict[str, Any]:
        if "party" in values:
            return values
        chosen = party_id()
        if chosen is None:
            raise ValidationError({"party": "Choose the interested party first."})
        return {**values, "party": chosen}

    return dataclasses.replace(
        PARTY_REQUIREMENTS,
        columns=tuple(c for c in PARTY_REQUIREMENTS.columns if c.path != "party.name"),
        search=tuple(s for s in PARTY_REQUIREMENTS.search if s != "party.name"),
        form=tuple(f for f in PARTY_REQUIREMENTS.form if f.name != "party"),
        before_save=with_party,
    )


CONTEXT_REGISTERS: tuple[Register, ...] = (CONTEXT_ISSUES, INTERESTED_PARTIES, PARTY_REQUIREMENTS)
