"""Readiness by clause: what a certification auditor would find missing, in plain words.

Each rule reads the records and returns findings. A finding names its clause, how serious it
is ("gap": a requirement is not met; "attention": met, but slipping), a sentence for the
owner, and the screen (and record) that fixes it. The overview shows these findings and the
review pack prints the same list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from qms_desktop import (
    actions,
    clock,
    competence,
    context,
    formatting,
    kpis,
    organisation,
    policy,
    raci,
    resources,
    responsibilities,
    reviews,
    risks,
    suppliers,
)
from qms_desktop.clauses import CLAUSE_GROUPS
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    Action,
    AdequacyStatement,
    Audit,
    ContextIssue,
    Document,
    Feedback,
    InterestedParty,
    Kpi,
    Nonconformity,
    Objective,
    Person,
    PersonRole,
    Process,
    ResourceRequest,
    Risk,
    Role,
)
from qms_desktop.review_data import Finding as PackFinding

GAP, ATTENTION, SOUND = "gap", "attention", "sound"
GROUPS = CLAUSE_GROUPS
STALE_DAYS = 365
LONG_OPEN_DAYS = 90
LIST_AT_MOST = 3


@dataclass(frozen=True)
class ReadinessFinding:
    clause: str  # "5.3", "7.1.5"...
    severity: str  # GAP or ATTENTION
    text: str  # the whole sentence, starting with the clause
    screen: str  # sidebar key of the screen that fixes it
    record_id: str = ""

    @property
    def group(self) -> str:
        return self.clause.split(".")[0]


@dataclass
class ClauseStatus:
    number: str
    title: str
    findings: list[ReadinessFinding] = field(default_factory=list)

    @property
    def status(self) -> str:
        if any(f.severity == GAP for f in self.findings):
            return GAP
        if self.findings:
            return ATTENTION
        return SOUND


def _count(n: int, one: str, many: str | None = None) -> str:
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
             9: "nine"}
    noun = one if n == 1 else (many or one + "s")
    return f"{words.get(n, str(n)) if n != 1 else 'one'} {noun}"


def _names(items: list[str]) -> str:
    shown = items[:LIST_AT_MOST]
    more = len(items) - len(shown)
    text = ", ".join(shown)
    return f"{text} and {more} more" if more > 0 else text


Rule = Callable[[dt.date], list[ReadinessFinding]]


# --- 4 Context --------------------------------------------------------------------------------


@strict_arguments
def context_rules(today: dt.date) -> list[ReadinessFinding]:
    found = []
    issues = list(ContextIssue.live())
    if not issues:
        found.append(ReadinessFinding("4.1", GAP, "4.1: no internal or external issues are "
                                      "recorded.", "issues"))
    else:
        stale = [i for i in issues if (i.last_reviewed_on or i.identified_on)
                 < today - dt.timedelta(days=STALE_DAYS)]
        if stale:
            found.append(ReadinessFinding(
                "4.1", ATTENTION, f"4.1: {_count(len(stale), 'issue')} not reviewed for over a "
                f"year ({_names([i.title for i in stale])}).", "issues"))
    if context.climate_decision() is None:
        found.append(ReadinessFinding("4.1", GAP, "4.1: whether climate change is a relevant "
                                      "issue has not been decided.", "issues"))
    if not InterestedParty.live().exists():
        found.append(ReadinessFinding("4.2", GAP, "4.2: no interested parties are recorded.",
                                      "parties"))
    unaddressed = context.unaddressed_requirements()
    if unaddressed:
        found.append(ReadinessFinding(
            "4.2", ATTENTION, f"4.2: {_count(len(unaddressed), 'requirement')} of interested "
            "parties the quality system does not address; confirm each is a deliberate "
            "decision.", "parties"))
    scope_doc = context.scope_document(create=False)
    if scope_doc is None or policy.in_force(scope_doc) is None:
        found.append(ReadinessFinding("4.3", GAP, "4.3: there is no approved scope.", "scope"))
    ownerless = list(Process.live().where(Process.owner.is_null()
                                            & (Process.is_activity == False)))  # noqa: E712
    if ownerless:
        found.append(ReadinessFinding(
            "4.4", ATTENTION, f"4.4: {_count(len(ownerless), 'process', 'processes')} without "
            f"an owner ({_names([p.name for p in ownerless])}).", "processes"))
    return found


# --- 5 Leadership -----------------------------------------------------------------------------


@strict_arguments
def leadership_rules(today: dt.date) -> list[ReadinessFinding]:
    found = []
    top = (PersonRole.select().join(Role)
           .switch(PersonRole).join(Person)
           .where(policy.holds_top_management() & organisation.still_working()))
    if not top.exists():
        found.append(ReadinessFinding("5.1", GAP, "5.1: nobody holds a top-management role.",
                                      "roles"))
    version = policy.in_force()
    if version is None:
        found.append(ReadinessFinding("5.2", GAP, "5.2: no quality policy is approved and in "
                                      "force.", "policy"))
    else:
        if not version.approved_by_top_management:
            found.append(ReadinessFinding(
                "5.2", ATTENTION, f"5.2: policy v{version.number} was approved by someone "
                "outside top management.", "policy", version.id))
        missing = policy.not_acknowledged(version)
        if missing:
            people = "person has" if len(missing) == 1 else "people have"
            found.append(ReadinessFinding(
                "5.2", ATTENTION, f"5.2: {len(missing)} {people} not acknowledged policy "
                f"v{version.number}.", "policy", version.id))
    for status in responsibilities.duty_statuses():
        if status.is_gap:
            severity = GAP if status.assignment is None or "nobody" in status.gap else ATTENTION
            found.append(ReadinessFinding("5.3", severity, status.gap, "responsibilities"))
    problems = raci.problems()
    if problems:
        found.append(ReadinessFinding(
            "5.3", ATTENTION, f"5.3: {_count(len(problems), 'row')} of the RACI matrix "
            "{} a rule (one A, at least one R).".format("breaks" if len(problems) == 1
                                                        else "break"), "responsibilities"))
    return found


# --- 6 Planning -------------------------------------------------------------------------------


@strict_arguments
def planning_rules(today: dt.date) -> list[ReadinessFinding]:
    found = []
    # Thousands of risks in a large register: read only the columns the checks below use.
    all_risks = list(Risk.live(Risk.id, Risk.kind, Risk.title, Risk.likelihood, Risk.impact,
                                 Risk.next_review_on))
    if not [r for r in all_risks if r.kind == "risk"]:
        found.append(ReadinessFinding("6.1", GAP, "6.1: no risks are recorded.", "risks"))
    overdue_review = [r for r in all_risks if r.next_review_on and r.next_review_on < today]
    if overdue_review:
        found.append(ReadinessFinding(
            "6.1", ATTENTION, f"6.1: {_count(len(overdue_review), 'risk')} past their review "
            "date.", "risks"))
    matrix = risks.load_matrix()
    high_bands = {b.label for b in matrix.bands[-2:]}
    with_actions = set(Action.select(Action.source_id).where(
        Action.source_table == "risk").tuples())
    untreated = [r for r in all_risks if r.kind == "risk"
                 and (band := matrix.band(matrix.score(r.likelihood, r.impact))) is not None
                 and band.label in high_bands and (r.id,) not in with_actions]
    if untreated:
        found.append(ReadinessFinding(
            "6.1", ATTENTION, f"6.1: {_count(len(untreated), 'high risk')} with no action "
            f"({_names([r.title for r in untreated])}).", "risks"))
    objectives = list(Objective.live())
    if not objectives:
        found.append(ReadinessFinding("6.2", GAP, "6.2: no quality objectives are set.",
                                      "objectives"))
    # Two queries for all objectives' KPIs and two years of readings, not two per objective.
    kpis_of: dict[str | None, list[Kpi]] = {}
    for kpi in Kpi.live().where(Kpi.objective.is_null(False)):
        kpis_of.setdefault(kpi.objective_id, []).append(kpi)
    values = kpis.readings_since(today - dt.timedelta(days=800))
    for objective in objectives:
        if objective.status in ("achieved", "missed"):
            continue
        linked = kpis_of.get(objective.id, [])
        for flag in kpis.objective_flags(objective, today, kpis=linked, values=values):
            found.append(ReadinessFinding(
                "6.2", ATTENTION, f"6.2: objective {objective.title}: {flag}.", "objectives",
                objective.id))
        for kpi in linked:
            read = values.get(kpi.id, {})
            if not read:
                continue
            months = _missing_run(kpi, read, today)
            if months >= 3:
                found.append(ReadinessFinding(
                    "6.2", ATTENTION, f"6.2: objective {objective.title} has no reading for "
                    f"{months} {kpi_period_word(kpi, months)}.", "objectives", objective.id))
    return found


@strict_arguments
def kpi_period_word(kpi: Kpi, n: int) -> str:
    word = {"weekly": "week", "quarterly": "quarter"}.get(kpi.frequency, "month")
    return word if n == 1 else word + "s"


def _missing_run(kpi: Kpi, values: dict[dt.date, float], today: dt.date) -> int:
    """How many complete periods in a row, up to the last one, have no reading."""
    run = 0
    for period in reversed(kpis.recent_periods(kpi.frequency, 24, today)):
        if period in values:
            break
        run += 1
    return run


# --- 7 Support --------------------------------------------------------------------------------


@strict_arguments
def support_rules(today: dt.date) -> list[ReadinessFinding]:
    found = []
    overdue = resources.overdue_instruments(today)
    if overdue:
        verb = "is" if len(overdue) == 1 else "are"
        found.append(ReadinessFinding(
            "7.1.5", GAP, f"7.1.5: {_count(len(overdue), 'instrument')} {verb} past their "
            f"calibration date ({_names([r.name for r in overdue])}).", "resources",
            overdue[0].id))
    recent = AdequacyStatement.live().where(
        AdequacyStatement.stated_on >= today - dt.timedelta(days=STALE_DAYS))
    if not recent.exists():
        found.append(ReadinessFinding("7.1", ATTENTION, "7.1: top management has not judged "
                                      "whether resources are adequate in the last year.",
                                      "resources", "adequacy"))
    waiting = list(ResourceRequest.live(ResourceRequest.id).where(
        (ResourceRequest.decision == "pending")
        & (ResourceRequest.requested_on < today - dt.timedelta(days=60))))
    if waiting:
        found.append(ReadinessFinding(
            "7.1", ATTENTION, f"7.1: {_count(len(waiting), 'resource request')} waiting for a "
            "decision for over two months.", "resources", waiting[0].id))
    gaps = competence.gaps(today)
    if gaps:
        people = {g.person.id for g in gaps}
        found.append(ReadinessFinding(
            "7.2", ATTENTION, f"7.2: {_count(len(gaps), 'competence gap')} across "
            f"{_count(len(people), 'person', 'people')}.", "competence"))
    due = Document.live().where(Document.review_due_on < today).count()
    if due:
        found.append(ReadinessFinding(
            "7.5", ATTENTION, f"7.5: {_count(due, 'document')} past the review date.",
            "documents"))
    return found


# --- 8 Operation ------------------------------------------------------------------------------


@strict_arguments
def operation_rules(today: dt.date) -> list[ReadinessFinding]:
    due = suppliers.due_for_reevaluation(today)
    if not due:
        return []
    return [ReadinessFinding(
        "8.4", ATTENTION, f"8.4: {_count(len(due), 'supplier')} due for re-evaluation "
        f"({_names([d.supplier.name for d in due])}).", "suppliers")]


# --- 9 Performance evaluation -----------------------------------------------------------------


@strict_arguments
def evaluation_rules(today: dt.date) -> list[ReadinessFinding]:
    found = []
    due = reviews.review_due(today)
    sentence = due.sentence(today)
    if sentence:
        found.append(ReadinessFinding("9.3", GAP, sentence, "reviews"))
    elif due.planned_on is None and due.due_on is not None and due.due_on <= today + \
            dt.timedelta(days=60):
        found.append(ReadinessFinding(
            "9.3", ATTENTION, f"9.3: the next review is due by "
            f"{formatting.long_date(due.due_on)} and is not planned yet.", "reviews"))
    done = Audit.live().where((Audit.status == "done")
                                & (Audit.held_on >= today - dt.timedelta(days=STALE_DAYS)))
    if not done.exists():
        found.append(ReadinessFinding("9.2", GAP, "9.2: no internal audit was completed in "
                                      "the last twelve months.", "audits"))
    late = Audit.live().where(Audit.status.in_(("planned", "in_progress"))
                                & (Audit.planned_on < today)).count()
    if late:
        found.append(ReadinessFinding(
            "9.2", ATTENTION, f"9.2: {_count(late, 'planned audit')} past the planned date.",
            "audits"))
    failing = []
    recent = kpis.readings_since(today - dt.timedelta(days=800))
    for kpi in Kpi.live():
        values = recent.get(kpi.id)
        if values and kpis.status_of(kpi, values[max(values)]) == kpis.FAILING:
            failing.append(kpi.name)
        # Objectives' KPIs are reported under 6.2; the others are monitoring (9.1).
        if values and kpi.objective_id is None:
            months = _missing_run(kpi, values, today)
            if months >= 3:
                found.append(ReadinessFinding(
                    "9.1", ATTENTION, f"9.1: KPI {kpi.name} has no reading for {months} "
                    f"{kpi_period_word(kpi, months)}.", "objectives", kpi.id))
    if failing:
        found.append(ReadinessFinding(
            "9.1", ATTENTION, f"9.1: {_count(len(failing), 'KPI')} failing at the latest "
            f"reading ({_names(failing)}).", "objectives"))
    slow = Feedback.live().where(
        (Feedback.kind == "complaint")
        & Feedback.closed_on.is_null()
        & (Feedback.received_on < today - dt.timedelta(days=30))).count()
    if slow:
        found.append(ReadinessFinding(
            "9.1.2", ATTENTION, f"9.1.2: {_count(slow, 'complaint')} open for over a month.",
            "feedback"))
    return found


# --- 10 Improvement ---------------------------------------------------------------------------


@strict_arguments
def improvement_rules(today: dt.date) -> list[ReadinessFinding]:
    found = []
    late = actions.overdue(today).count()
    if late:
        found.append(ReadinessFinding(
            "10.2", ATTENTION, f"10.2: {_count(late, 'action')} overdue.", "actions"))
    old = Nonconformity.live().where(
        (Nonconformity.status != "closed")
        & (Nonconformity.raised_on < today - dt.timedelta(days=LONG_OPEN_DAYS))).count()
    if old:
        found.append(ReadinessFinding(
            "10.2", ATTENTION, f"10.2: {_count(old, 'nonconformity', 'nonconformities')} open "
            "for more than three months.", "nonconformities"))
    return found


RULES: tuple[Rule, ...] = (
    context_rules,
    leadership_rules,
    planning_rules,
    support_rules,
    operation_rules,
    evaluation_rules,
    improvement_rules,
)


@strict_arguments
def findings(today: dt.date | None = None) -> list[ReadinessFinding]:
    today = today or clock.today()
    found: list[ReadinessFinding] = []
    for rule in RULES:
        found.extend(rule(today))
    return found


@strict_arguments
def by_clause(today: dt.date | None = None) -> list[ClauseStatus]:
    statuses = {number: ClauseStatus(number, title) for number, title in GROUPS}
    for finding in findings(today):
        statuses[finding.group].findings.append(finding)
    for status in statuses.values():
        status.findings.sort(key=lambda f: (f.severity != GAP, f.clause))
    return list(statuses.values())


@strict_arguments
def for_pack(today: dt.date | None = None) -> list[PackFinding]:
    """The same findings in the form the review pack prints."""
    return [PackFinding(f.clause, f.severity, f.text) for f in findings(today)]
