"""Assemble each required review input (9.3.2 a to f) from the records of the period.

Every function here reads; none writes. `assemble` returns the PackData the pack renders;
`pre_meeting_check` lists the inputs that have no data for the period, so that none reaches
the meeting, or the auditor, empty.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from peewee import JOIN, ColumnBase, Expression, fn

from qms_desktop import clock, context, formatting, kpis, policy, responsibilities, reviews, risks
from qms_desktop.clauses import DUTIES, REVIEW_INPUTS, review_inputs
from qms_desktop.dates import add_months
from qms_desktop.fields import EARLIEST_DATE, strict_arguments
from qms_desktop.models import (
    ACTION_STATES,
    ADEQUACY_VERDICTS,
    CRITICALITY,
    DECISION_KINDS,
    DECISIONS,
    FEEDBACK_KINDS,
    FINDING_OUTCOMES,
    NC_SOURCES,
    Action,
    AdequacyStatement,
    Audit,
    ChangeHistory,
    ContextIssue,
    Feedback,
    Finding,
    InterestedParty,
    Kpi,
    ManagementReview,
    Nonconformity,
    Objective,
    Organisation,
    PartyRequirement,
    Person,
    Process,
    ResourceRequest,
    ReviewDecision,
    Risk,
    SatisfactionResult,
    Supplier,
    SupplierEvaluation,
    is_live,
)
from qms_desktop.review_data import (
    HIGHER,
    LOWER,
    NEITHER,
    Attendee,
    Chart,
    CitedRecord,
    Comparison,
    InputSection,
    PackData,
    Table,
)
from qms_desktop.review_data import (
    Finding as ReadinessFinding,
)
from qms_desktop.text import plural

Period = tuple[dt.date, dt.date]


_PLURALS = {
    "Minor nonconformity": "minor nonconformities",
    "Major nonconformity": "major nonconformities",
    "Observation": "observations",
    "Opportunity for improvement": "opportunities for improvement",
    "Conforms": "conforms",
}


def _count(number: int, singular: str, many: str | None = None) -> str:
    """"1 period", "3 periods": counts read as plain English in the pack."""
    return plural(number, singular, many)


def _d(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    return day.strftime("%Y-%m-%d")


def _months(period: Period) -> list[dt.date]:
    start = dt.date(period[0].year, period[0].month, 1)
    months = []
    while start <= period[1]:
        months.append(start)
        start = kpis.next_period(start, "monthly")
    return months


def _within(field: ColumnBase, period: Period) -> Expression:
    return (field >= period[0]) & (field <= period[1])


def _who(person: Person | None) -> str:
    """The person's name, or blank where the record names nobody."""
    return person.display_name() if person is not None else ""


# --- a) actions from previous reviews --------------------------------------------------------


@strict_arguments
def input_a(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    earlier = (
        ReviewDecision.select(ReviewDecision.id)
        .join(ManagementReview, on=(ReviewDecision.review == ManagementReview.id))
        .where(
            (ManagementReview.meeting_on < review.meeting_on)
            & is_live(ReviewDecision)
        )
    )
    from_reviews = (is_live(Action)
                    & (Action.source_table == reviews.DECISION_SOURCE)
                    & Action.source_id.in_(earlier))
    # An action closed before the last review was held was reported to that review;
    # listing it again every year would bury what is still open. A cancelled action has no
    # closing date, so its last change stands for it.
    previous = reviews.last_held(before=review.meeting_on)
    cutoff = previous.meeting_on if previous else EARLIEST_DATE
    closed_before = (
        ((Action.status == "done") & Action.done_on.is_null(False) & (Action.done_on < cutoff))
        | ((Action.status == "cancelled")
           & (Action.updated_at < dt.datetime.combine(cutoff, dt.time())))
    )
    # Owners joined in, not fetched one by one; only the columns the table prints.
    actions = list(
        Action.select(Action.reference, Action.title, Action.owner, Action.due_on,
                      Action.original_due_on, Action.status, Action.done_on, Person.id,
                      Person.full_name)
        .join(Person, JOIN.LEFT_OUTER, on=(Action.owner == Person.id))
        .where(from_reviews & ~closed_before)
        .order_by(Action.due_on, Action.id)
    )
    reported_before = Action.select().where(from_reviews & closed_before).count()
    rows, marks = [], []
    counts: Counter[str] = Counter()
    for action in actions:
        state = _action_state(action, today)
        counts[state] += 1
        moved = action.original_due_on and action.due_on != action.original_due_on
        rows.append([
            action.title,
            _who(action.owner),
            _d(action.original_due_on),
            _d(action.due_on) if moved else "",
            state.capitalize(),
            _d(action.done_on),
        ])
        marks.append(state)
    section = _section("a", bool(actions))
    if not actions and previous is None:
        section.empty_reason = ("First review: there are no actions from earlier reviews "
                                "to follow up.")
    if actions:
        section.summary.append(
            f"{_count(len(actions), 'action')} from earlier reviews still open at the last "
            "review or "
            f"closed since: {counts['done']} done, {counts['open']} open, "
            f"{counts['overdue']} overdue, {counts['cancelled']} cancelled."
        )
        section.tables.append(Table(
            "Actions from previous reviews",
            ["Action", "Owner", "Originally due", "Now due", "Status", "Done on"],
            rows, marks, references=[a.reference for a in actions],
        ))
    if reported_before:
        were = "was" if reported_before == 1 else "were"
        section.summary.append(
            f"{_count(reported_before, 'action')} closed before the review of {_d(cutoff)} "
            f"{were} reported there or earlier; not listed again."
        )
    return section


def _action_state(action: Action, today: dt.date) -> str:
    if action.status == "open" and action.due_on is not None and action.due_on < today:
        return "overdue"
    return str(action.status)


# --- b) context changes ----------------------------------------------------------------------


@strict_arguments
def input_b(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    changes = [(c, c.record) for c in context.changes_since(*period)
               if isinstance(c.record, ContextIssue)]
    section = _section("b", bool(changes))
    climate = context.climate_decision()
    if climate is not None:
        verdict = "relevant" if climate.relevant else "not relevant"
        section.summary.append(
            f"Climate change was judged {verdict} on {_d(climate.decided_on)}: {climate.reason}"
        )
    if changes:
        section.summary.insert(0, f"{_count(len(changes), 'change')} to internal and "
                                  "external issues "
                                  "in the period.")
        section.tables.append(Table(
            "Changes in issues",
            ["Change", "Issue", "Internal or external", "Effect", "When"],
            [[c.what, issue.title, issue.kind.capitalize(), issue.effect, _d(c.when)]
             for c, issue in changes],
            references=[issue.reference for _c, issue in changes],
        ))
    return section


@strict_arguments
def input_b2(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    changes = [c for c in context.changes_since(*period)
               if c.record._meta.table_name != "context_issue"]
    section = _section("b2", bool(changes))
    if changes:
        section.summary.append(f"{_count(len(changes), 'change')} to interested parties and their "
                               "requirements in the period.")
        rows, refs = [], []
        for change in changes:
            record = change.record
            if isinstance(record, InterestedParty):
                refs.append(record.reference)
                # A party's row lists what it requires; an empty cell read as a gap.
                needs = [f"{r.requirement} (addressed: {'Yes' if r.addressed else 'No'})"
                         for r in record.requirements.where(
                             is_live(PartyRequirement))
                         .order_by(PartyRequirement.requirement)]
                rows.append([change.what, record.name,
                             "; ".join(needs) or "No requirements recorded", _d(change.when)])
            elif isinstance(record, PartyRequirement):
                refs.append(record.party.reference)
                addressed = "Yes" if record.addressed else "No"
                rows.append([change.what, record.party.name, f"{record.requirement} "
                             f"(addressed: {addressed})", _d(change.when)])
        section.tables.append(Table("Changes in interested parties",
                                    ["Change", "Party", "Requirement", "When"], rows,
                                    references=refs))
    return section


# --- c1) customer satisfaction and feedback --------------------------------------------------


@strict_arguments
def input_c1(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    feedback = list(Feedback.live().where(
        _within(Feedback.received_on, period)
    ))
    surveys = list(SatisfactionResult.live().where(
        _within(SatisfactionResult.period_start, period)
    ).order_by(SatisfactionResult.period_start))
    section = _section("c1", bool(feedback or surveys))
    if not (feedback or surveys):
        return section
    by_kind = Counter(f.kind for f in feedback)
    labels = dict(FEEDBACK_KINDS)
    section.summary.append(
        f"{_count(len(feedback), 'feedback item')}: "
        + ", ".join(_count(by_kind[k], labels[k].lower()) for k in labels if by_kind[k])
        + "."
    )
    complaints = [f for f in feedback if f.kind == "complaint"]
    if complaints:
        open_ones = sum(1 for f in complaints if f.closed_on is None)
        section.summary.append(f"{_count(len(complaints), 'complaint')}, {open_ones} still open.")
    months = _months(period)
    month_labels = [f"{m:%Y-%m}" for m in months]
    series: dict[str, list[float | None]] = {}
    for kind in ("complaint", "compliment", "suggestion"):
        per_month = Counter(dt.date(f.received_on.year, f.received_on.month, 1)
                            for f in feedback if f.kind == kind)
        series[labels[kind] + "s"] = [float(per_month.get(m, 0)) for m in months]
    section.charts.append(Chart("bar", "Feedback per month", month_labels, series))
    if surveys:
        last = surveys[-1]
        section.summary.append(
            f"Latest satisfaction survey ({last.period_start:%Y-%m}): {last.score:g} out of "
            f"{last.scale_max:g} from {_count(last.responses, 'response')}."
        )
    lapsed = lapsed_surveys(period, today)
    for name, last_start, every in lapsed:
        section.summary.append(
            f"Survey lapsed: {name} last covered {last_start:%Y-%m} (it ran every "
            f"{_count(every, 'month')}); no result has come in since.")
    chart = satisfaction_chart(period, {name for name, _, _ in lapsed})
    if chart is not None:
        section.charts.append(chart)
    return section


@strict_arguments
def survey_name(method: str) -> str:
    """A survey's short name for a chart legend: its method up to the first colon."""
    name = method.split(":")[0].strip().rstrip(".")
    return _short_name(name) if name else "Satisfaction survey"


def _short_name(name: str, limit: int = 50) -> str:
    return name if len(name) <= limit else name[:limit - 1].rstrip() + "…"


@strict_arguments
def satisfaction_chart(period: Period, lapsed: set[str]) -> Chart | None:
    """Every survey result of this period and the previous one, a line per survey, so a
    trend shows and a survey that stopped stands out; None without any result."""
    shown_from = previous_period(period)[0]
    results = list(SatisfactionResult.live().where(
        _within(SatisfactionResult.period_start, (shown_from, period[1]))
    ).order_by(SatisfactionResult.period_start, SatisfactionResult.method))
    if not results:
        return None
    one_scale = len({r.scale_max for r in results}) == 1
    labels = sorted({f"{r.period_start:%Y-%m}" for r in results})
    by_survey: dict[str, dict[str, float]] = defaultdict(dict)
    for result in results:
        score = result.score if one_scale or not result.scale_max \
            else round(result.score / result.scale_max * 10, 2)
        by_survey[survey_name(result.method)][f"{result.period_start:%Y-%m}"] = score
    series: dict[str, list[float | None]] = {
        name + (" (lapsed)" if name in lapsed else ""): [values.get(label) for label in labels]
        for name, values in by_survey.items()}
    scale = f"{results[0].scale_max:g}" if one_scale else "10"
    return Chart("line", f"Customer satisfaction, every survey since {shown_from:%Y-%m}",
                 labels, series, unit=f"of {scale}")


SURVEY_GRACE_DAYS = 45  # a result usually comes in a few weeks after its period


@strict_arguments
def lapsed_surveys(period: Period, today: dt.date) -> list[tuple[str, dt.date, int]]:
    """The surveys that have missed a whole round by `today`, having lapsed since the
    previous period began: (name, the last period covered, its usual interval in months).
    A survey's interval is the usual gap between its results; with one result, a year. One
    that lapsed before then was flagged by the reviews of those periods."""
    starts: dict[str, set[dt.date]] = defaultdict(set)
    for result in SatisfactionResult.live(SatisfactionResult.method,
                                          SatisfactionResult.period_start).where(
            SatisfactionResult.period_start <= today):
        starts[survey_name(result.method)].add(result.period_start)
    since = previous_period(period)[0]
    found = []
    for name, days in sorted(starts.items()):
        ordered = sorted(days)
        last = ordered[-1]
        gaps = sorted((b - a).days for a, b in itertools.pairwise(ordered))
        every = gaps[len(gaps) // 2] if gaps else 365
        lapsed_on = last + dt.timedelta(days=2 * every + SURVEY_GRACE_DAYS)
        if since <= lapsed_on < today:
            found.append((name, last, max(1, round(every / 30.44))))
    return found


# --- c2) objectives, c3) process performance, c5) monitoring ---------------------------------


@dataclass
class _Shared:
    readings: dict[str, dict[dt.date, float]] | None = None
    live_kpis: list[Kpi] | None = None
    summaries: dict[tuple[str, dt.date], kpis.KpiSummary] = field(default_factory=dict)

    def clear(self) -> None:
        self.readings = None
        self.live_kpis = None
        self.summaries.clear()


# Readings, KPIs and KPI summaries are shared by inputs c2, c3 and c5; `assemble_inputs`
# clears this before each assembly so nothing outlives one pack.
_shared = _Shared()


def _all_readings() -> dict[str, dict[dt.date, float]]:
    """Every KPI's readings in one query; the inputs read them for hundreds of KPIs."""
    if _shared.readings is None:
        _shared.readings = kpis.readings_since(EARLIEST_DATE)
    return _shared.readings


def _live_kpis() -> list[Kpi]:
    """Every KPI not archived, by name, read once for c3 and c5."""
    if _shared.live_kpis is None:
        _shared.live_kpis = list(Kpi.live()
                                 .order_by(Kpi.name))
    return _shared.live_kpis


def _summary(kpi: Kpi, today: dt.date) -> kpis.KpiSummary:
    key = (kpi.id, today)
    if key not in _shared.summaries:
        _shared.summaries[key] = kpis.summarise(kpi, today, _all_readings().get(kpi.id, {}))
    return _shared.summaries[key]


NO_TARGET = "no_target"


def _status(kpi: Kpi, today: dt.date) -> str:
    """The KPI's status, except that a KPI with neither target nor thresholds is "no target":
    nothing to be on (kpis.status_of calls it on target)."""
    status = _summary(kpi, today).status
    unmeasurable = (kpi.target, kpi.warning_threshold, kpi.failure_threshold) == (None,) * 3
    return NO_TARGET if status == kpis.ON_TARGET and unmeasurable else status


def _kpi_rows(kpis_list: list[Kpi], today: dt.date) -> tuple[list[list[str]], list[str]]:
    rows, marks = [], []
    for kpi in kpis_list:
        summary = _summary(kpi, today)
        twelve = summary.trends[12]
        # A latest value names its period: a pack must not pass an old reading off as current.
        latest = "" if summary.latest_value is None or summary.latest_period is None else (
            f"{summary.latest_value:g} {kpi.unit}".strip()
            + f" ({kpis.period_label(summary.latest_period, kpi.frequency)})")
        rows.append([
            kpi.name,
            "" if kpi.target is None else f"{kpi.target:g} {kpi.unit}",
            latest.strip(),
            kpis.STATUS_LABELS.get(_status(kpi, today), "No target"),
            twelve.verdict.capitalize(),
            str(len(summary.missing)),
        ])
        marks.append(_status(kpi, today))
    return rows, marks


def _kpi_chart(kpi: Kpi, period: Period, all_values: dict[str, dict[dt.date, float]]) -> Chart:
    values = all_values.get(kpi.id, {})
    start = kpis.period_of(period[0], kpi.frequency)
    points = []
    while start <= period[1]:
        points.append(start)
        start = kpis.next_period(start, kpi.frequency)
    return Chart(
        "line", kpi.name, [kpis.period_label(p, kpi.frequency) for p in points],
        {kpi.name: [values.get(p) for p in points]},
        unit=kpi.unit, target=kpi.target, warning=kpi.warning_threshold,
        failure=kpi.failure_threshold,
    )


@strict_arguments
def input_c2(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    # Only the columns the table and objective_flags read.
    objectives = list(Objective.select(Objective.id, Objective.reference, Objective.title,
                                       Objective.owner,
                                       Objective.due_on, Objective.status, Person.id,
                                       Person.full_name)
                      .join(Person, JOIN.LEFT_OUTER, on=(Objective.owner == Person.id))
                      .where(is_live(Objective))
                      .order_by(Objective.title))
    section = _section("c2", bool(objectives))
    if not objectives:
        return section
    status_labels = dict(Objective.status.choices)
    values = _all_readings()
    linked = list(Kpi.live().where(Kpi.objective.is_null(False))
                  .order_by(Kpi.name))
    kpis_of: dict[str | None, list[Kpi]] = defaultdict(list)
    for kpi in linked:
        kpis_of[kpi.objective_id].append(kpi)
    rows = []
    flagged = 0
    for objective in objectives:
        flags = kpis.objective_flags(objective, today, kpis=kpis_of.get(objective.id, []),
                                     values=values)
        flagged += bool(flags)
        rows.append([
            objective.title,
            _who(objective.owner),
            _d(objective.due_on),
            status_labels.get(objective.status, objective.status),
            "; ".join(flags),
        ])
    section.summary.append(f"{_count(len(objectives), 'quality objective')}; {flagged} "
                           "with gaps an "
                           "auditor would raise.")
    section.tables.append(Table("Quality objectives",
                                ["Objective", "Owner", "Due", "Status", "Gaps"], rows,
                                references=[o.reference for o in objectives]))
    if linked:
        kpi_rows, marks = _kpi_rows(linked, today)
        section.tables.append(Table(
            "KPIs of the objectives",
            ["KPI", "Target", "Latest", "Status", "12-period trend", "Missing"],
            kpi_rows, marks, references=[k.reference for k in linked],
        ))
        section.charts.extend(_kpi_chart(k, period, values) for k in linked[:8])
    return section


@strict_arguments
def input_c3(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    processes = list(Process.select(Process, Person)
                     .join(Person, JOIN.LEFT_OUTER, on=(Process.owner == Person.id))
                     .where(is_live(Process)
                            & (Process.is_activity == False))  # noqa: E712
                     .order_by(Process.name))
    # peewee's stubs type .tuples() as yielding the model; these rows are (process id, count).
    nc_counts = dict(cast(
        Iterable[tuple[str | None, int]],
        Nonconformity.live(Nonconformity.process, fn.COUNT(Nonconformity.id))
        .where(_within(Nonconformity.raised_on, period))
        .group_by(Nonconformity.process)
        .tuples(),
    ))
    kpis_of: dict[str, list[Kpi]] = defaultdict(list)
    for kpi in _live_kpis():
        if kpi.process_id is not None:
            kpis_of[kpi.process_id].append(kpi)
    rows, marks = [], []
    for process in processes:
        process_kpis = kpis_of.get(process.id, [])
        statuses = Counter(_status(k, today) for k in process_kpis)
        worst = next((s for s in (kpis.FAILING, kpis.WARNING, kpis.ON_TARGET)
                      if statuses[s]), kpis.NO_DATA)
        rows.append([
            process.name,
            _who(process.owner),
            str(len(process_kpis)),
            f"{statuses[kpis.ON_TARGET]} / {statuses[kpis.WARNING]} / {statuses[kpis.FAILING]}",
            str(nc_counts.get(process.id, 0)),
        ])
        marks.append(worst)
    has_data = any(r[2] != "0" or r[4] != "0" for r in rows)
    section = _section("c3", has_data)
    if has_data:
        section.summary.append(
            f"{plural(len(processes), 'process')}; "
            f"{plural(sum(nc_counts.values()), 'nonconformity', 'nonconformities')} raised "
            "against them in the period."
        )
        section.tables.append(Table(
            "Process performance",
            ["Process", "Owner", "KPIs", "On target / warning / failing", "Nonconformities"],
            rows, marks, references=[p.reference for p in processes],
        ))
    return section


@strict_arguments
def input_c4(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    ncs = list(Nonconformity.live().where(
        _within(Nonconformity.raised_on, period)
    ).order_by(Nonconformity.raised_on))
    section = _section("c4", bool(ncs))
    if not ncs:
        return section
    closed = sum(1 for n in ncs if n.status == "closed")
    by_source = Counter(n.source for n in ncs)
    labels = dict(NC_SOURCES)
    section.summary.append(
        f"{_count(len(ncs), 'nonconformity', 'nonconformities')} raised, {closed} closed, "
        f"{len(ncs) - closed} open."
    )
    section.summary.append("By source: " + ", ".join(
        f"{labels.get(k, k)} {v}" for k, v in by_source.most_common()) + ".")
    open_older = [n for n in ncs if n.status != "closed" and (today - n.raised_on).days > 90]
    if open_older:
        section.summary.append(f"{len(open_older)} open for more than 90 days.")
    months = _months(period)
    per_month = Counter(dt.date(n.raised_on.year, n.raised_on.month, 1) for n in ncs)
    section.charts.append(Chart(
        "bar", "Nonconformities per month", [f"{m:%Y-%m}" for m in months],
        {"Raised": [float(per_month.get(m, 0)) for m in months]},
    ))
    nc_ids = [n.id for n in ncs]
    actions = Counter(
        a.status for a in Action.select(Action.status).where(
            (Action.source_table == "nonconformity") & Action.source_id.in_(nc_ids)
        )
    )
    if actions:
        state = dict(ACTION_STATES)
        section.summary.append("Corrective actions: " + ", ".join(
            f"{v} {state.get(k, k).lower()}" for k, v in actions.most_common()) + ".")
    section.tables.append(Table(
        "Nonconformities in the period",
        ["Title", "Raised", "Source", "Severity", "Status"],
        [[n.title, _d(n.raised_on), labels.get(n.source, n.source),
          n.severity.capitalize(), n.status.capitalize()] for n in ncs[-40:]],
        references=[n.reference for n in ncs[-40:]],
    ))
    return section


@strict_arguments
def input_c5(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    # Counted from the readings c2 and c3 have already read, not by another pass over the table.
    readings = sum(1 for values in _all_readings().values() for day in values
                   if period[0] <= day <= period[1])
    all_kpis = _live_kpis()
    from qms_desktop import resources as resource_services

    overdue = resource_services.overdue_instruments(today)
    section = _section("c5", bool(readings))
    if readings:
        missing = sum(len(_summary(k, today).missing) for k in all_kpis)
        section.summary.append(f"{_count(readings, 'KPI reading')} in the period across "
                               f"{_count(len(all_kpis), 'KPI')}; "
                               f"{_count(missing, 'period')} missing in the last twelve.")
        rows, marks = _kpi_rows(all_kpis[:60], today)
        section.tables.append(Table(
            "All KPIs", ["KPI", "Target", "Latest", "Status", "12-period trend", "Missing"],
            rows, marks, references=[k.reference for k in all_kpis[:60]],
        ))
    if overdue:
        section.summary.append(
            f"{_count(len(overdue), 'measuring instrument')} past the calibration date: "
            + ", ".join(r.name for r in overdue) + "."
        )
    return section


@strict_arguments
def input_c6(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    audits = list(Audit.live().select_extend(Person)
                  .join(Person, JOIN.LEFT_OUTER, on=(Audit.auditor == Person.id))
                  .where((Audit.status == "done")
                         & _within(fn.COALESCE(Audit.held_on, Audit.planned_on), period))
                  .order_by(Audit.held_on))
    section = _section("c6", bool(audits))
    if not audits:
        return section
    # Every finding's outcome by audit in one query, not one per audit.
    by_audit: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for finding in Finding.live(Finding.audit, Finding.outcome).where(
            Finding.audit.in_([a.id for a in audits])):
        by_audit[finding.audit_id][finding.outcome] += 1
    outcomes = sum(by_audit.values(), Counter[str]())
    labels = dict(FINDING_OUTCOMES)
    # Planned for the period: those planned in it, and those held in it even if first planned
    # earlier, so the count held never exceeds the count planned.
    held_ids = {a.id for a in audits}
    planned = len(held_ids | {a.id for a in Audit.live(Audit.id).where(
        _within(Audit.planned_on, period))})
    section.summary.append(f"{_count(len(audits), 'internal audit')} held of {planned} "
                           "planned in the period.")
    section.summary.append("Findings: " + ", ".join(
        _count(outcomes[k], labels[k].lower(), _PLURALS.get(labels[k]))
        for k in labels if outcomes[k] and k != "not_applicable") + ".")
    rows = []
    for audit in audits:
        counts = by_audit[audit.id]
        rows.append([audit.title, _d(audit.held_on),
                     _who(audit.auditor),
                     str(counts["major"]), str(counts["minor"]), str(counts["observation"]),
                     str(counts["opportunity"])])
    section.tables.append(Table(
        # Short count headings: the whole words took the room the audit's title needs.
        "Audits held", ["Audit", "Held", "Auditor", "Major", "Minor", "Obs.", "Opp."], rows,
        references=[a.reference for a in audits]))
    return section


@strict_arguments
def input_c7(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    evaluations = list(SupplierEvaluation.select(SupplierEvaluation, Supplier)
                       .join(Supplier)
                       .where(_within(SupplierEvaluation.evaluated_on, period)
                              & is_live(SupplierEvaluation))
                       .order_by(Supplier.name, SupplierEvaluation.evaluated_on))
    from qms_desktop import suppliers as supplier_services

    # A supplier due for re-evaluation by the cut-off is a finding whether or not it was
    # evaluated in the period: one never evaluated again would otherwise drop out of c7.
    due = {r.supplier.id: r for r in supplier_services.due_for_reevaluation(today)}
    section = _section("c7", bool(evaluations or due))
    if not (evaluations or due):
        return section
    by_supplier: dict[str, list[SupplierEvaluation]] = defaultdict(list)
    for evaluation in evaluations:
        by_supplier[evaluation.supplier.name].append(evaluation)
    evaluated = {items[-1].supplier.id for items in by_supplier.values()}
    criticality = dict(CRITICALITY)

    def score(e: SupplierEvaluation) -> float:
        return (e.quality + e.delivery + e.price + e.responsiveness) / 4

    def due_words(supplier: Supplier) -> str:
        found = due.get(supplier.id)
        return "" if found is None else found.reason.capitalize()

    rows, marks, names, values, refs = [], [], [], [], []
    for name, items in by_supplier.items():
        latest = items[-1]
        refs.append(latest.supplier.reference)
        average = sum(score(e) for e in items) / len(items)
        rows.append([name, criticality.get(latest.supplier.criticality, ""),
                     str(len(items)), f"{average:.1f}", _d(latest.evaluated_on),
                     due_words(latest.supplier)])
        marks.append("failing" if average < SUPPLIER_FAILING
                     else "warning" if average < SUPPLIER_TARGET
                     else "overdue" if latest.supplier.id in due else "")
        names.append(name)
        values.append(round(average, 2))
    not_evaluated = sorted((r.supplier for r in due.values() if r.supplier.id not in evaluated),
                           key=lambda s: s.name)
    for supplier in not_evaluated:
        refs.append(supplier.reference)
        last = supplier_services.latest_evaluation(supplier)
        rows.append([supplier.name, criticality.get(supplier.criticality, ""), "0",
                     "Not evaluated", _d(last.evaluated_on) if last else "Never",
                     due_words(supplier)])
        marks.append("overdue")
    below = sum(1 for v in values if v < SUPPLIER_TARGET)
    failing = sum(1 for v in values if v < SUPPLIER_FAILING)
    if evaluations:
        section.summary.append(
            f"{_count(len(evaluations), 'evaluation')} of "
            f"{_count(len(by_supplier), 'supplier')}; {below} below the target of "
            f"{SUPPLIER_TARGET:g} of 5, {failing} of them below {SUPPLIER_FAILING:g}.")
    if due:
        high = sum(1 for r in due.values() if r.supplier.criticality == "high")
        section.summary.append(
            f"{_count(len(due), 'supplier')} due for re-evaluation"
            + (f" ({high} of high criticality)" if high else "") + ": "
            + ", ".join(r.supplier.name for r in sorted(due.values(),
                                                        key=lambda r: r.supplier.name))
            + ".")
    section.tables.append(Table("Supplier performance",
                                ["Supplier", "Criticality", "Evaluations", "Average (1-5)",
                                 "Last evaluated", "Re-evaluation"], rows, marks,
                                references=refs))
    if names:
        section.charts.append(Chart("bar", "Average supplier score (1 to 5)", names,
                                    {"Score": [float(v) for v in values]},
                                    target=SUPPLIER_TARGET))
    return section


SUPPLIER_TARGET = 3.5  # an average below it is marked and counted as below target
SUPPLIER_FAILING = 2.5


@strict_arguments
def input_d(review: ManagementReview, period: Period, today: dt.date,
            currency: str) -> InputSection:
    requests = list(ResourceRequest.live().select_extend(Person)
                    .join(Person, JOIN.LEFT_OUTER, on=(ResourceRequest.decided_by == Person.id))
                    .where(_within(ResourceRequest.requested_on, period)
                           | _within(ResourceRequest.decided_on, period))
                    .order_by(ResourceRequest.requested_on))
    statements = list(AdequacyStatement.live().where(
        (AdequacyStatement.period_start <= period[1])
        & (AdequacyStatement.period_end >= period[0])
    ).order_by(AdequacyStatement.stated_on.desc()))
    section = _section("d", bool(requests or statements))
    labels = dict(DECISIONS)
    if statements:
        latest = statements[0]
        section.summary.append(
            f"Resources judged {dict(ADEQUACY_VERDICTS)[latest.verdict].lower()} on "
            f"{_d(latest.stated_on)}" + (f": {latest.reasons}" if latest.reasons else ".")
        )
    if requests:
        totals: Counter[str] = Counter()
        for r in requests:
            if r.currency == currency:
                totals[r.decision] += r.amount_minor
        section.summary.append(
            f"{_count(len(requests), 'resource request')}. " + ", ".join(
                f"{labels[k]}: {formatting.money(v, currency)}" for k, v in totals.items()) + "."
        )
        section.tables.append(Table(
            "Resource requests and decisions",
            ["Request", "Cost", "Decision", "Decided by", "On"],
            [[r.title, formatting.money(r.amount_minor, r.currency), labels[r.decision],
              _who(r.decided_by), _d(r.decided_on)]
             for r in requests],
            references=[r.reference for r in requests],
        ))
    return section


@strict_arguments
def input_e(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    matrix = risks.load_matrix()
    any_risks = Risk.live(Risk.id).exists()
    acted = list(
        Risk.live().where(
            Risk.id.in_(
                Action.select(Action.source_id).where(
                    (Action.source_table == "risk") & (Action.status == "done")
                    & _within(Action.done_on, period)
                )
            )
        ).order_by(Risk.reference, Risk.id)  # the same order on every engine
    )
    section = _section("e", bool(acted))
    heat = risks.heat_map("risk")
    if any_risks:
        colours = {}
        for likelihood in range(1, matrix.size + 1):
            for impact in range(1, matrix.size + 1):
                band = matrix.band(likelihood * impact)
                colours[f"{likelihood},{impact}"] = band.colour if band else "#cccccc"
        section.charts.append(Chart(
            "heatmap", "Risks before and after treatment", matrix.impact_labels, {},
            size=matrix.size,
            cells_before={f"{k[0]},{k[1]}": v for k, v in heat.inherent.items()},
            cells_after={f"{k[0]},{k[1]}": v for k, v in heat.residual.items()},
            band_colours=colours,
        ))
    if acted:
        verdicts = Counter(r.effectiveness or "not yet judged" for r in acted)
        section.summary.append(
            f"{_count(len(acted), 'risk or opportunity', 'risks and opportunities')} had "
            "actions completed in the period. "
            "Effectiveness: " + ", ".join(f"{k.replace('_', ' ')} {v}"
                                           for k, v in verdicts.most_common()) + "."
        )
        section.tables.append(Table(
            "Risks and opportunities acted on",
            ["Title", "Kind", "Score before", "Score after", "Effectiveness"],
            [[r.title, r.kind.capitalize(), str(matrix.score(r.likelihood, r.impact) or ""),
              str(matrix.score(r.residual_likelihood, r.residual_impact) or ""),
              (r.effectiveness or "not yet judged").replace("_", " ")] for r in acted],
            references=[r.reference for r in acted],
        ))
    return section


@strict_arguments
def input_f(review: ManagementReview, period: Period, today: dt.date) -> InputSection:
    # Only the columns the table prints: the register holds hundreds of opportunities.
    opportunities = list(Risk.select(Risk.reference, Risk.title, Risk.owner, Person.id,
                                     Person.full_name)
                         .join(Person, JOIN.LEFT_OUTER, on=(Risk.owner == Person.id))
                         .where(is_live(Risk) & (Risk.kind == "opportunity"))
                         .order_by(Risk.title))
    suggestions = list(Feedback.live().where(
        (Feedback.kind == "suggestion")
        & _within(Feedback.received_on, period)
    ))
    ofis = list(Finding.select(Finding, Audit).join(Audit).where(
        is_live(Finding) & (Finding.outcome == "opportunity")
        & _within(fn.COALESCE(Audit.held_on, Audit.planned_on), period)
    ))
    rows = (
        [["Opportunity", o.title, _who(o.owner)]
         for o in opportunities]
        + [["Customer suggestion", s.description[:120], s.customer] for s in suggestions]
        + [["Audit", (f.notes or f.question)[:120], f.audit.title] for f in ofis]
    )
    section = _section("f", bool(rows))
    if rows:
        section.summary.append(
            f"{_count(len(opportunities), 'opportunity', 'opportunities')} in the register, "
            f"{_count(len(suggestions), 'customer suggestion')} and "
            f"{_count(len(ofis), 'audit opportunity', 'audit opportunities')} for improvement."
        )
        section.tables.append(Table("Opportunities for improvement",
                                    ["From", "Opportunity", "Owner or source"], rows,
                                    references=[o.reference for o in opportunities]
                                    + [s.reference for s in suggestions]
                                    + [f.reference for f in ofis]))
    return section


# --- This period against the previous one (c1 to c7) -----------------------------------------


@strict_arguments
def previous_period(period: Period) -> Period:
    """The period of the same length just before this one: as many whole months when the
    period is whole months (6 January to 5 January, a calendar year), else as many days."""
    start, end = period
    after = end + dt.timedelta(days=1)
    if after.day == start.day:
        months = (after.year - start.year) * 12 + after.month - start.month
        if months > 0:
            return add_months(start, -months), start - dt.timedelta(days=1)
    previous_end = start - dt.timedelta(days=1)
    return previous_end - (end - start), previous_end


Measured = tuple[float | None, str]


@dataclass(frozen=True)
class _Measure:
    name: str
    better: str
    value: Callable[[Period], Measured]
    # The earliest date of a record the measure reads: before it the register was not in
    # use, so a zero there would not be a real zero.
    earliest: dt.date | None


def _earliest(query: Any, column: Any) -> dt.date | None:
    first = query.order_by(column).first()
    if first is None:
        return None
    value = getattr(first, column.name)
    return value if isinstance(value, dt.date) else None


def _counted(number: int) -> Measured:
    return float(number), formatting.number(number)


def _rate(part: int, whole: int, nothing: str) -> Measured:
    """A share as printed, in whole percents: two shares that print alike are the same."""
    if not whole:
        return None, nothing
    share = round(part / whole, 2)
    return share, f"{formatting.percent(share)} ({part} of {whole})"


def _score(total: float, count: int, scale: float) -> Measured:
    """An average score to two places, as printed."""
    average = round(total / count, 2)
    return average, f"{average:.2f} of {scale:g}"


def _rated_kpis(kpi_list: list[Kpi]) -> list[Kpi]:
    """KPIs with a target or a threshold: a reading of one without is on nothing."""
    return [k for k in kpi_list
            if (k.target, k.warning_threshold, k.failure_threshold) != (None,) * 3]


def _readings_of(kpi_list: list[Kpi], period: Period) -> list[tuple[Kpi, float]]:
    values = _all_readings()
    return [(kpi, value) for kpi in kpi_list
            for day, value in values.get(kpi.id, {}).items() if period[0] <= day <= period[1]]


def _on_target(kpi_list: list[Kpi]) -> Callable[[Period], Measured]:
    rated = _rated_kpis(kpi_list)

    def measure(period: Period) -> Measured:
        readings = _readings_of(rated, period)
        on = sum(1 for kpi, value in readings if kpis.status_of(kpi, value) == kpis.ON_TARGET)
        return _rate(on, len(readings), "No readings")
    return measure


def _first_reading(kpi_list: list[Kpi]) -> dt.date | None:
    values = _all_readings()
    days = [day for kpi in kpi_list for day in values.get(kpi.id, {})]
    return min(days) if days else None


def _feedback_count(kind: str | None) -> Callable[[Period], Measured]:
    def measure(period: Period) -> Measured:
        query = Feedback.live(Feedback.id).where(_within(Feedback.received_on, period))
        if kind is not None:
            query = query.where(Feedback.kind == kind)
        return _counted(query.count())
    return measure


def _survey_score(period: Period) -> Measured:
    results = list(SatisfactionResult.live().where(
        _within(SatisfactionResult.period_start, period)))
    if not results:
        return None, "No survey"
    if len({r.scale_max for r in results}) == 1:
        value, words = _score(sum(r.score for r in results), len(results), results[0].scale_max)
    else:  # several scales: each result as a score out of 10
        value, words = _score(sum(r.score / r.scale_max * 10 for r in results if r.scale_max),
                              len(results), 10)
    return value, f"{words} ({_count(len(results), 'survey')})"


def _ncs(query_filter: Expression | None) -> Callable[[Period], Measured]:
    def measure(period: Period) -> Measured:
        query = Nonconformity.live(Nonconformity.id).where(
            _within(Nonconformity.raised_on, period))
        if query_filter is not None:
            query = query.where(query_filter)
        return _counted(query.count())
    return measure


def _ncs_closed_by_end(period: Period) -> Measured:
    raised = list(Nonconformity.live(Nonconformity.closed_on).where(
        _within(Nonconformity.raised_on, period)))
    closed = sum(1 for n in raised if n.closed_on is not None and n.closed_on <= period[1])
    return _rate(closed, len(raised), "None raised")


def _audits_held(period: Period) -> list[str]:
    return [a.id for a in Audit.live(Audit.id).where(
        (Audit.status == "done") & _within(fn.COALESCE(Audit.held_on, Audit.planned_on), period))]


def _audit_findings(period: Period) -> Measured:
    held = _audits_held(period)
    return _counted(Finding.live(Finding.id).where(
        Finding.audit.in_(held) & Finding.outcome.in_(("major", "minor"))).count() if held else 0)


def _evaluations(period: Period) -> list[SupplierEvaluation]:
    return list(SupplierEvaluation.live().where(
        _within(SupplierEvaluation.evaluated_on, period)))


def _evaluation_score(evaluation: SupplierEvaluation) -> float:
    return (evaluation.quality + evaluation.delivery + evaluation.price
            + evaluation.responsiveness) / 4


def _supplier_average(period: Period) -> Measured:
    evaluations = _evaluations(period)
    if not evaluations:
        return None, "No evaluations"
    return _score(sum(_evaluation_score(e) for e in evaluations), len(evaluations), 5)


def _suppliers_below_target(period: Period) -> Measured:
    scores: dict[str, list[float]] = defaultdict(list)
    for evaluation in _evaluations(period):
        scores[evaluation.supplier_id].append(_evaluation_score(evaluation))
    if not scores:
        return None, "No evaluations"
    below = sum(1 for values in scores.values() if sum(values) / len(values) < SUPPLIER_TARGET)
    return float(below), f"{below} of {len(scores)}"


def _measures(code: str) -> list[_Measure]:
    """The counts, rates and scores of an input that are compared with the previous period,
    each with the way it is better."""
    if code == "c1":
        feedback = _earliest(Feedback.live(Feedback.received_on), Feedback.received_on)
        surveys = _earliest(SatisfactionResult.live(SatisfactionResult.period_start),
                            SatisfactionResult.period_start)
        return [
            _Measure("Feedback received", NEITHER, _feedback_count(None), feedback),
            _Measure("Complaints", LOWER, _feedback_count("complaint"), feedback),
            _Measure("Compliments", HIGHER, _feedback_count("compliment"), feedback),
            _Measure("Satisfaction score (average)", HIGHER, _survey_score, surveys),
        ]
    if code in ("c2", "c3", "c5"):
        live = _live_kpis()
        chosen = {"c2": [k for k in live if k.objective_id is not None],
                  "c3": [k for k in live if k.process_id is not None],
                  "c5": live}[code]
        whose = {"c2": "objectives' KPIs", "c3": "processes' KPIs", "c5": "all KPIs"}[code]
        found = [_Measure(f"Readings on target ({whose})", HIGHER, _on_target(chosen),
                          _first_reading(_rated_kpis(chosen)))]
        if code == "c5":
            found.insert(0, _Measure("KPI readings", NEITHER, lambda period: _counted(
                len(_readings_of(chosen, period))), _first_reading(chosen)))
        if code == "c3":
            raised = _earliest(Nonconformity.live(Nonconformity.raised_on),
                               Nonconformity.raised_on)
            found.insert(0, _Measure("Nonconformities raised against processes", LOWER,
                                     _ncs(Nonconformity.process.is_null(False)), raised))
        return found
    if code == "c4":
        raised = _earliest(Nonconformity.live(Nonconformity.raised_on), Nonconformity.raised_on)
        return [
            _Measure("Nonconformities raised", LOWER, _ncs(None), raised),
            _Measure("Major or critical", LOWER,
                     _ncs(Nonconformity.severity.in_(("major", "critical"))), raised),
            _Measure("Closed by the period's end", HIGHER, _ncs_closed_by_end, raised),
        ]
    if code == "c6":
        # The programme is in use from the first audit planned or held: none held after
        # that is a real none.
        firsts = [day for day in (
            _earliest(Audit.live(Audit.planned_on), Audit.planned_on),
            _earliest(Audit.live(Audit.held_on).where(Audit.held_on.is_null(False)),
                      Audit.held_on)) if day is not None]
        earliest = min(firsts) if firsts else None
        return [
            _Measure("Internal audits held", NEITHER,
                     lambda period: _counted(len(_audits_held(period))), earliest),
            _Measure("Major and minor audit findings", LOWER, _audit_findings, earliest),
        ]
    if code == "c7":
        evaluated = _earliest(SupplierEvaluation.live(SupplierEvaluation.evaluated_on),
                              SupplierEvaluation.evaluated_on)
        return [
            _Measure("Supplier evaluations", NEITHER,
                     lambda period: _counted(len(_evaluations(period))), evaluated),
            _Measure("Average supplier score", HIGHER, _supplier_average, evaluated),
            _Measure(f"Suppliers below the {SUPPLIER_TARGET:g} target", LOWER,
                     _suppliers_below_target, evaluated),
        ]
    return []


COMPARED = ("c1", "c2", "c3", "c4", "c5", "c6", "c7")


@strict_arguments
def compare(code: str, period: Period) -> list[Comparison]:
    """Input `code`'s measures in `period` and in the previous period of the same length,
    each record counted by its own date. A measure whose register holds nothing dated on
    or before the previous period's end has no earlier data (its zero would not be real)."""
    previous = previous_period(period)
    found = []
    for measure in _measures(code):
        current, current_text = measure.value(period)
        known = measure.earliest is not None and measure.earliest <= previous[1]
        before, before_text = measure.value(previous) if known else (None, "")
        partial = known and measure.earliest is not None and measure.earliest > previous[0]
        if partial:
            # The register began within the previous period: its figure is of part of it.
            before_text += f" (records from {_d(measure.earliest)})"
        found.append(Comparison(measure.name, current, before, current_text, before_text,
                                measure.better, known, partial))
    return found


# --- Carry-over: what the last review's record raised that is still open ----------------------


@strict_arguments
def closed_before(review: ManagementReview) -> list[ManagementReview]:
    """The closed reviews held before this one, the latest first."""
    return list(ManagementReview.live().where(
        (ManagementReview.meeting_on < review.meeting_on)
        & (ManagementReview.status == "closed")
    ).order_by(ManagementReview.meeting_on.desc()))


@strict_arguments
def frozen_data(review: ManagementReview) -> PackData | None:
    """A closed review's pack data as frozen at its closing; None without a snapshot."""
    final = reviews.final_pack(review)
    if final is None or not final.snapshot:
        return None
    try:
        return PackData.from_json(final.snapshot)
    except (ValueError, TypeError, KeyError):
        return None  # a snapshot this version cannot read is left out, not guessed at


def _age(since: dt.date, today: dt.date) -> str:
    return _count(max(0, (today - since).days), "day")


@strict_arguments
def carry_over(review: ManagementReview, findings_now: list[ReadinessFinding] | None,
               today: dt.date) -> tuple[list[str], Table | None]:
    """What the last closed review's record raised that is still open at `today`: its
    readiness findings still found now (the same key), and its decisions whose action is
    still open. Each with its age, from the first record that raised it. Without
    `findings_now` the readiness findings of `today` are worked out, when there is a record
    to compare them with."""
    earlier = closed_before(review)
    held = reviews.last_held(before=review.meeting_on)
    if not earlier:
        if held is None:
            return [], None  # a first review: input a) says so
        return [f"No earlier review is closed (the last, {_d(held.meeting_on)}, is held but "
                "not closed): there is no record to carry findings over from."], None
    last = earlier[0]
    last_data = frozen_data(last)
    held_on = last.meeting_on
    if last_data is None:
        return [f"The last closed review ({_d(held_on)}) has no frozen record to carry "
                "findings over from."], None
    if held is not None and held.meeting_on > held_on:
        # The review after it is held but not closed: its pack is no record yet.
        notes = [f"The review of {_d(held.meeting_on)} is not closed: carried over from the "
                 f"record of {_d(held_on)}."]
    else:
        notes = []
    keys_of: dict[int, set[str] | None] = {0: {f.key for f in last_data.readiness}}

    def raised_in(index: int, key: str) -> bool:
        if index not in keys_of:
            data = frozen_data(earlier[index])
            keys_of[index] = None if data is None else {f.key for f in data.readiness}
        return key in (keys_of[index] or set())

    if findings_now is None:
        from qms_desktop import readiness as readiness_rules  # it reads what this one does

        findings_now = readiness_rules.for_pack(today)
    now_by_key = {f.key: f for f in findings_now}
    rows, marks, refs = [], [], []
    for finding in last_data.readiness:
        current = now_by_key.get(finding.key)
        if current is None:
            continue
        # Raised in the records before too, without a break: its age runs from the first.
        index = 0
        while index + 1 < len(earlier) and raised_in(index + 1, finding.key):
            index += 1
        first = earlier[index].meeting_on
        rows.append([f"Finding {finding.clause}", finding.text, _d(first),
                     _age(first, today),
                     "Still found" if current.text == finding.text
                     else f"Still found: {current.text}"])
        marks.append(current.severity)
        refs.append("")  # a readiness finding is no record
    decisions = reviews.decisions(last)
    # The decisions' actions in one query, not one per decision.
    actions = {a.id: a for a in Action.select().where(
        Action.id.in_([d.action_id for d in decisions if d.action_id]))}
    for decision in decisions:
        action = actions.get(decision.action_id) if decision.action_id else None
        if action is None or action.archived_at is not None or action.status != "open":
            continue
        state = _action_state(action, today)
        rows.append(["Decision", decision.description, _d(held_on), _age(held_on, today),
                     f"Action {state}, due {_d(action.due_on)}" if action.due_on
                     else f"Action {state}"])
        marks.append("overdue" if state == "overdue" else "")
        refs.append(decision.reference)
    findings = sum(1 for row in rows if row[0].startswith("Finding"))
    summary = [
        f"Raised at the last review ({_d(held_on)}), not acted on: "
        f"{_count(findings, 'readiness finding')} still found and "
        f"{_count(len(rows) - findings, 'decision')} with the action still open."
        if rows else
        f"Everything the record of the last review ({_d(held_on)}) raised has been acted on: "
        "none of its readiness findings is still found and none of its decisions' actions "
        "is open."
    ]
    if not rows:
        return notes + summary, None
    return notes + summary, Table("Raised at the last review, not acted on",
                          ["Kind", "Finding or decision", "First raised", "Age", "Now"],
                          rows, marks, references=refs)


# --- Sections, leadership evidence and the whole pack ------------------------------------------

_SPECS = {spec.code: spec for spec in REVIEW_INPUTS}


def _section(code: str, has_data: bool) -> InputSection:
    spec = _SPECS[code]
    if has_data:
        reason = ""
    elif not any(model.live(model.id).exists() for model in _registers(code)):
        # An empty register is a gap of its own, not a quiet period.
        reason = f"Nothing recorded yet in {spec.reads}."
    else:
        reason = f"No data for the period in {spec.reads}."
    return InputSection(code, spec.title, has_data, empty_reason=reason)


def _registers(code: str) -> tuple[Any, ...]:
    """The registers an input reads, to tell an empty register from a quiet period."""
    from qms_desktop import models as m

    return {
        "a": (m.Action,), "b": (m.ContextIssue,), "b2": (m.InterestedParty,),
        "c1": (m.Feedback, m.SatisfactionResult), "c2": (m.Objective,),
        "c3": (m.Kpi, m.Nonconformity), "c4": (m.Nonconformity,), "c5": (m.Reading,),
        "c6": (m.Audit,), "c7": (m.SupplierEvaluation,),
        "d": (m.ResourceRequest, m.AdequacyStatement), "e": (m.Risk,),
        "f": (m.Risk, m.Feedback, m.Finding),
    }[code]


Builder = Callable[[ManagementReview, Period, dt.date], InputSection]


def _builders(currency: str) -> dict[str, Builder]:
    return {
        "a": input_a, "b": input_b, "b2": input_b2, "c1": input_c1, "c2": input_c2,
        "c3": input_c3, "c4": input_c4, "c5": input_c5, "c6": input_c6, "c7": input_c7,
        "d": lambda r, p, t: input_d(r, p, t, currency), "e": input_e, "f": input_f,
    }


@strict_arguments
def period_of(review: ManagementReview) -> Period:
    start, end = reviews.default_period(review.meeting_on)
    return (review.period_start or start, review.period_end or end)


@strict_arguments
def assemble_inputs(review: ManagementReview, today: dt.date | None = None) -> list[InputSection]:
    today = today or clock.today()
    organisation = Organisation.select().get_or_none()
    currency = organisation.currency if organisation else "USD"
    period = period_of(review)
    notes = reviews.input_notes(review)
    _shared.clear()
    sections = []
    for spec in review_inputs(reviews.edition()):
        section = _builders(currency)[spec.code](review, period, today)
        if spec.code in COMPARED:
            section.comparison = compare(spec.code, period)
        if spec.code in notes:
            section.commentary = notes[spec.code].commentary
            section.conclusion = notes[spec.code].conclusion
        sections.append(section)
    return sections


@strict_arguments
def pre_meeting_check(review: ManagementReview, today: dt.date | None = None) -> list[str]:
    """The inputs that have no data for the period, each in a sentence."""
    return [f"{s.code}) {s.title}: {s.empty_reason}" for s in assemble_inputs(review, today)
            if not s.has_data]


@dataclass(frozen=True)
class LeadershipAct:
    on: dt.date
    person: Person
    act: str
    reference: str = ""  # of the record acted on, where it has one


@strict_arguments
def leadership_acts(period: Period) -> list[LeadershipAct]:
    """Acts of leadership in the period, credited to the person the records name as acting
    (the approver, the decider, the chair), not to whoever typed them in."""
    from qms_desktop.models import (
        ClimateDecision,
        Document,
        DocumentVersion,
        DutyAssignment,
        ReviewAttendance,
    )

    start, end = period
    top_ids = policy.top_management_ids()
    acts: list[LeadershipAct] = []

    def credit(on: dt.date | None, person: Person | None, act: str,
               reference: str = "") -> None:
        # Each query below keeps only records that name both; None never reaches the list.
        if on is not None and person is not None:
            acts.append(LeadershipAct(on, person, act, reference))

    for version in DocumentVersion.select().join(Document).where(
        Document.kind.in_(("policy", "scope"))
        & DocumentVersion.approved_by.is_null(False)
        & (DocumentVersion.approved_at >= dt.datetime.combine(start, dt.time.min))
        & (DocumentVersion.approved_at <= dt.datetime.combine(end, dt.time.max))
    ):
        credit(version.approved_at.date() if version.approved_at else None, version.approved_by,
               f"Approved {version.document.title.lower()} v{version.number}")
    for request in ResourceRequest.select().where(
        ResourceRequest.decided_by.is_null(False) & _within(ResourceRequest.decided_on, period)
    ):
        credit(request.decided_on, request.decided_by,
               f"Decided on resources: {request.title} "
               f"({dict(DECISIONS)[request.decision].lower()})", request.reference)
    for statement in AdequacyStatement.select().where(
        AdequacyStatement.stated_by.is_null(False) & _within(AdequacyStatement.stated_on, period)
    ):
        credit(statement.stated_on, statement.stated_by,
               "Judged whether resources are adequate")
    for meeting in ManagementReview.live().where(
        _within(ManagementReview.meeting_on, period)
        & ManagementReview.status.in_(("held", "closed"))
    ):
        if meeting.chair_id:
            credit(meeting.meeting_on, meeting.chair, "Chaired the management review")
        if meeting.closed_by_id and meeting.closed_at and meeting.closed_at.date() <= end:
            credit(meeting.closed_at.date() if meeting.closed_at else meeting.meeting_on,
                   meeting.closed_by, "Closed the management review")
        for seat in ReviewAttendance.live().where(
            (ReviewAttendance.review == meeting) & (ReviewAttendance.present == True)  # noqa: E712
            & (ReviewAttendance.person != meeting.chair)
        ):
            credit(meeting.meeting_on, seat.person, "Attended the management review")
    for decision in ClimateDecision.select().where(
        ClimateDecision.decided_by.is_null(False) & _within(ClimateDecision.decided_on, period)
    ):
        credit(decision.decided_on, decision.decided_by,
               "Decided whether climate change is relevant")
    for duty in DutyAssignment.select().where(
        DutyAssignment.communicated_on.is_null(False)
        & _within(DutyAssignment.communicated_on, period)
    ):
        # Who assigned it is not a field; the change history names who recorded it.
        recorded = (ChangeHistory.select(ChangeHistory.changed_by)
                    .where(ChangeHistory.record_id == duty.id)
                    .order_by(ChangeHistory.id.desc()).scalar())
        person = Person.get_or_none(Person.full_name == recorded) if recorded else None
        credit(duty.communicated_on, person, "Assigned and communicated a 5.3 responsibility")
    # Closing actions is everyone's work; it counts here when top management does it.
    for action in Action.select(Action, Person).join(Person).where(
        (Action.status == "done") & Action.owner.in_(list(top_ids))
        & _within(Action.done_on, period)
    ):
        credit(action.done_on, action.owner, f"Completed an action: {action.title}",
               action.reference)
    return sorted(acts, key=lambda a: (a.on, a.person.full_name, a.act))


@strict_arguments
def leadership_evidence(period: Period) -> tuple[Table, str]:
    """What top management did in the period, and a warning when none of the leadership
    acts were theirs (a QMS run by the quality officer alone is a common finding)."""
    acts = leadership_acts(period)
    top_ids = policy.top_management_ids()

    def is_top(person: Person) -> bool:
        return person.id in top_ids

    by_top = [a for a in acts if is_top(a.person)]
    # Every act of top management is listed; other people's acts fill up to 40 rows.
    others = [a for a in acts if not is_top(a.person)]
    shown = sorted(by_top + others[: max(0, 40 - len(by_top))], key=lambda a: a.on)
    rows = [[_d(a.on), a.person.display_name(), a.act, "Yes" if is_top(a.person) else "No"]
            for a in shown]
    marks = ["" if is_top(a.person) else "warning" for a in shown]
    if not acts:
        warning = "No leadership acts were recorded in the period."
    elif not by_top:
        warning = ("Every leadership act in the period was done by people outside top "
                   "management. Auditors look for top management's own hand in the records.")
    else:
        warning = ""
    title = (f"Leadership acts in the period: {len(by_top)} by top management, "
             f"{len(others)} by others")
    return Table(title, ["Date", "Who", "Act", "Top management"], rows, marks,
                 references=[a.reference for a in shown]), warning


@strict_arguments
def assemble(
    review: ManagementReview,
    *,
    generated_at: dt.datetime,
    is_draft: bool,
    readiness: list[ReadinessFinding] | None = None,
    today: dt.date | None = None,
) -> PackData:
    today = today or clock.today()
    organisation = Organisation.select().get_or_none()
    period = period_of(review)
    in_force = policy.in_force()
    approval = ""
    if in_force is not None and in_force.approved_by is not None:
        approval = (f"Approved by {in_force.approved_by.display_name()} on "
                    f"{_d(in_force.approved_at)}")
    scope_doc = context.scope_document(create=False)
    scope_version = policy.in_force(scope_doc) if scope_doc is not None else None
    people = reviews.attendance(review)
    titles = reviews.top_management_titles(
        [a.person for a in people] + ([review.chair] if review.chair else []))
    kinds = dict(DECISION_KINDS)
    decision_rows, decision_refs = [], []
    for decision in reviews.decisions(review):
        decision_refs.append(decision.reference)
        answers = ""
        if decision.answers_table:
            from qms_desktop.models import MODELS_BY_TABLE, Record

            model = MODELS_BY_TABLE.get(decision.answers_table)
            target = (model.get_or_none(model.id == decision.answers_id)
                      if model is not None and issubclass(model, Record) else None)
            answers = str(target) if target is not None else ""
        decision_rows.append([kinds.get(decision.kind, decision.kind), decision.description,
                              _who(decision.owner),
                              _d(decision.due_on), answers])
    leadership, leadership_warning = leadership_evidence(period)
    statuses = {s.duty.key: s for s in responsibilities.duty_statuses()}
    inputs = assemble_inputs(review, today)
    _add_carry_over(inputs, carry_over(review, readiness, today))
    previous = previous_period(period)
    decisions = Table("Decisions and actions", ["Type", "Decision", "Owner", "Due", "Answers"],
                      decision_rows, references=decision_refs)
    return PackData(
        organisation=organisation.name if organisation else "",
        edition=f"ISO 9001:{organisation.edition}" if organisation else "ISO 9001:2015",
        scope=scope_version.body if scope_version is not None else "",
        review_title=review.display_name(),
        meeting_on=_d(review.meeting_on),
        period_start=_d(period[0]),
        period_end=_d(period[1]),
        place=review.place,
        chair=_who(review.chair),
        chair_title=titles[review.chair.id] if review.chair else "",
        minute_taker=_who(review.minute_taker),
        status=review.status,
        attendees=[Attendee(a.person.display_name(), a.role_label, a.present,
                            a.is_top_management, titles[a.person.id])
                   for a in people],
        inputs=inputs,
        previous_period_start=_d(previous[0]),
        previous_period_end=_d(previous[1]),
        policy_version=f"v{in_force.number}" if in_force else "",
        policy_text=in_force.body if in_force else "",
        policy_approval=approval,
        duties=[[d.clause, d.title, statuses[d.key].holder or "Not assigned"] for d in DUTIES],
        decisions=decisions,
        conclusion={
            "Suitability": review.suitability,
            "Adequacy": review.adequacy,
            "Effectiveness": review.effectiveness,
            "Alignment with strategy": review.strategy_alignment,
        },
        next_review_on=_d(review.next_review_on),
        distribution=[a.person.display_name() for a in people],
        readiness=readiness or [],
        leadership=leadership,
        leadership_warning=leadership_warning,
        pack_version=reviews.next_pack_version(review),
        generated_at=generated_at.strftime("%Y-%m-%d %H:%M"),
        is_draft=is_draft,
        cited=_cited_records([*(t for s in inputs for t in s.tables), leadership, decisions]),
    )


def _cited_records(tables: Iterable[Table]) -> list[CitedRecord]:
    """Each record the tables cite, once, by reference, for the pack's index."""
    from qms_desktop import references

    cited = {ref for table in tables for ref in table.references if ref}
    return [CitedRecord(n.reference, n.kind, n.title)
            for n in sorted(references.named(cited).values(), key=lambda n: n.reference)]


def _add_carry_over(inputs: list[InputSection],
                    carried: tuple[list[str], Table | None]) -> None:
    """Input a) lists what the last review's record raised that is still open."""
    summary, table = carried
    section = next((s for s in inputs if s.code == "a"), None)
    if section is None or not summary:
        return
    section.summary.extend(summary)
    if table is not None:
        section.tables.insert(0, table)
        section.has_data, section.empty_reason = True, ""
