"""The internal audit programme (9.2) as a register declaration over `Audit`.

The results column is computed in SQL (the outcomes of the audit's findings, joined), so it
sorts and pages like a field; its cell reads "7 of 12 answered" while the audit is under way
and the counts by outcome once every question has an answer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from peewee import fn

from qms_desktop import audits, clock
from qms_desktop.models import FINDING_OUTCOMES, Audit, Finding, on_server
from qms_desktop.registers import Column, Filter, FormField, Register

# Short words for a table cell; the long labels are in FINDING_OUTCOMES.
OUTCOME_SHORT = {
    "conforms": "conform",
    "minor": "minor",
    "major": "major",
    "observation": "observation",
    "opportunity": "opportunity",
    "not_applicable": "N/A",
}
PLURALS = {"observation": "observations", "opportunity": "opportunities"}


def results_expression() -> Any:
    """The outcomes of an audit's current findings as one comma-separated text (SQL)."""
    # PostgreSQL has no GROUP_CONCAT: string_agg is its name for the same.
    joined = fn.string_agg(Finding.outcome, ",") if on_server() else fn.GROUP_CONCAT(
        Finding.outcome)
    return (
        Finding.live(joined)
        .where(Finding.audit == Audit.id)
    )


def results_text(value: Any) -> str:
    """ "conforms,minor,,conforms" -> "3 of 4 answered"; all answered -> "2 conform · 1 minor"."""
    if value in (None, ""):
        return ""
    outcomes = str(value).split(",")
    counts = Counter(outcomes)
    waiting = counts.pop(audits.UNANSWERED, 0)
    total = len(outcomes)
    if waiting:
        return f"{total - waiting} of {total} answered"
    parts = []
    for key, _label in FINDING_OUTCOMES:
        number = counts.get(key, 0)
        if number:
            word = OUTCOME_SHORT[key]
            parts.append(f"{number} {PLURALS.get(key, word) if number > 1 else word}")
    return " · ".join(parts)


def _this_year() -> Any:
    year = clock.today().year
    return (Audit.planned_on >= dt.date(year, 1, 1)) & (Audit.planned_on <= dt.date(year, 12, 31))


AUDITS = Register(
    key="audits",
    title="Internal audits",
    singular="audit",
    model=Audit,
    clause="9.2",
    description="The audit programme: which process or clause is audited, when and by whom, "
    "the checklist answers and the findings that follow.",
    columns=(
        Column("title"),
        Column("planned_on"),
        Column("process.name", "Process"),
        Column("clause"),
        Column("auditor.full_name", "Auditor"),
        Column("status"),
        Column("reference"),
        Column("results", "Results", expression=results_expression, format=results_text),
    ),
    search=("reference", "title", "process.name", "clause", "auditor.full_name"),
    filters=(
        Filter("this_year", "This year", _this_year),
        Filter("open", "Planned or in progress",
               lambda: Audit.status.in_((audits.PLANNED, audits.IN_PROGRESS))),
        Filter("done", "Done", lambda: Audit.status == audits.DONE),
        Filter("cancelled", "Cancelled", lambda: Audit.status == audits.CANCELLED),
    ),
    form=(
        FormField("title", hint="For example “Purchasing and suppliers”"),
        FormField("planned_on"),
        FormField("process", hint="The process audited, if the audit is of one process"),
        FormField("clause", hint="The clause audited, such as 8.4 or 9 (clauses 4 to 10)"),
        FormField("auditor", hint="Someone who does not audit their own work"),
        FormField("scope", hint="Sites, activities, period and records covered"),
        FormField("criteria", hint="What the audit checks against: ISO 9001 clauses, "
                                   "procedures, contracts"),
    ),
    default_sort="planned_on",
)
