"""The quality objectives (6.2) and KPIs (9.1) as registers.

The "Flagged" filter is the SQL form of `kpis.objective_flags`, so it can page through the
register like any other filter; a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from peewee import SQL, Case, fn

from qms_desktop import kpis
from qms_desktop.models import KPI_FREQUENCIES, Kpi, Objective, Reading, is_live
from qms_desktop.registers import Column, Filter, FormField, Register

GAP_SEPARATOR = "; "


def flagged_condition(today: dt.date | None = None) -> Any:
    """Objectives that `kpis.objective_flags` would flag, as one SQL condition."""
    measure = Kpi.alias("flag_kpi")
    reading = Reading.alias("flag_reading")
    active_kpis = measure.select(SQL("1")).where(
        (measure.objective == Objective.id) & is_live(measure)
    )
    with_target = active_kpis.where(measure.target.is_null(False))
    in_last_two = [
        (measure.frequency == frequency)
        & reading.period_start.in_(kpis.recent_periods(frequency, 2, today))
        for frequency, _label in KPI_FREQUENCIES
    ]
    recent_readings = reading.select(SQL("1")).where(
        (reading.kpi == measure.id)
        & is_live(reading)
        & _any_of(in_last_two)
    )
    not_monitored = active_kpis.where(~fn.EXISTS(recent_readings))
    return (
        ~fn.EXISTS(with_target)  # no KPI, or none with a target
        | Objective.owner.is_null()
        | Objective.due_on.is_null()
        | fn.EXISTS(not_monitored)
    )


def _any_of(conditions: list[Any]) -> Any:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined | condition
    return combined


def gaps_text(objective: Objective, today: dt.date | None = None) -> str:
    """The flags of an objective as one cell: "no owner; not measurable: no KPI"."""
    return GAP_SEPARATOR.join(kpis.objective_flags(objective, today))


def _gaps_sort_key() -> Any:
    # The Gaps text is worked out in Python, so the column sorts on flagged-or-not (the SQL
    # condition) with the id after it; the cell strips the flag digit and reads the id.
    flagged = Case(None, [(flagged_condition(), "1")], "0")
    return flagged.concat(Objective.id)


def _gaps_cells(values: Sequence[Any]) -> Callable[[Any], str]:
    """The Gaps cells of a page. Its objectives, their KPIs and the recent readings are read
    once for the page (what `kpis.objective_flags` would read for each row otherwise)."""
    ids = sorted({str(value)[1:] for value in values if value})
    objectives = {o.id: o for o in Objective.select().where(Objective.id.in_(ids))} \
        if ids else {}
    kpis_of: dict[str | None, list[Kpi]] = {}
    readings: dict[str, dict[dt.date, float]] = {}
    if objectives:
        for kpi in Kpi.select().where(Kpi.objective.in_(ids) & is_live(Kpi)):
            kpis_of.setdefault(kpi.objective_id, []).append(kpi)
    if kpis_of:
        # The flags look at the last two complete periods of each KPI's frequency.
        readings = kpis.readings_since(min(kpis.recent_periods(frequency, 2)[0]
                                           for frequency, _label in KPI_FREQUENCIES))

    def cell(value: Any) -> str:
        objective = objectives.get(str(value)[1:]) if value else None
        if objective is None:
            return ""
        return GAP_SEPARATOR.join(kpis.objective_flags(
            objective, kpis=kpis_of.get(objective.id, []), values=readings))

    return cell


def _open_states() -> Any:
    return Objective.status.in_(("planned", "on_track", "at_risk"))


OBJECTIVES = Register(
    key="objectives",
    title="Quality objectives",
    singular="objective",
    model=Objective,
    clause="6.2",
    description="What the organisation means to achieve, each traced to the policy, with a "
    "plan, an owner, a date and a KPI that measures it.",
    columns=(
        Column("title"),
        # Second, so what an auditor would write up is in view without scrolling.
        Column("gaps", "Gaps", expression=_gaps_sort_key, page_formatter=_gaps_cells),
        Column("owner.full_name", "Owner"),
        Column("due_on"),
        Column("status"),
        Column("process.name", "Process"),
        Column("policy_commitment"),
        Column("reference"),
    ),
    search=("reference", "title", "policy_commitment", "process.name", "owner.full_name"),
    filters=(
        Filter("flagged", "Flagged", flagged_condition),
        Filter("open", "Open", _open_states),
    ),
    form=(
        FormField("title", hint="e.g. Deliver 95% of orders on time"),
        FormField("policy_commitment", hint="The policy commitment this objective serves"),
        FormField("process"),
        FormField("plan", "What will be done"),
        FormField("resources", "Resources needed"),
        FormField("owner", "Who is responsible (owner)"),
        FormField("due_on", "By when"),
        FormField("evaluation", "How the result is evaluated",
                  hint="e.g. Monthly on-time delivery KPI reviewed at the management review"),
        FormField("status"),
    ),
)

KPIS = Register(
    key="kpis",
    title="KPIs",
    singular="KPI",
    model=Kpi,
    clause="9.1",
    description="What is measured, how often, and the values that mean on target, warning "
    "and failing.",
    columns=(
        Column("name"),
        Column("unit"),
        Column("direction"),
        Column("target"),
        Column("warning_threshold", "Warning at"),
        Column("failure_threshold", "Failing at"),
        Column("frequency"),
        Column("objective.title", "Objective"),
        Column("process.name", "Process"),
        Column("owner.full_name", "Owner"),
        Column("reference"),
    ),
    search=("reference", "name", "unit", "objective.title", "process.name", "owner.full_name"),
    filters=(
        Filter("no_objective", "Not linked to an objective", lambda: Kpi.objective.is_null()),
        Filter("no_target", "No target", lambda: Kpi.target.is_null()),
    ),
    form=(
        FormField("name", hint="e.g. On-time delivery"),
        FormField("unit", hint="e.g. %, days, complaints"),
        FormField("direction"),
        FormField("target"),
        FormField("warning_threshold", hint="Warning once a reading reaches this value"),
        FormField("failure_threshold", hint="Failing once a reading reaches this value"),
        FormField("frequency"),
        FormField("objective"),
        FormField("process"),
        FormField("owner"),
    ),
    validate=kpis.validate_kpi,
)

OBJECTIVE_REGISTERS: tuple[Register, ...] = (OBJECTIVES, KPIS)
