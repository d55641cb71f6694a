"""The sample company's history, built in memory: who joined, what was raised and when.

Everything comes from one seeded generator, dates counted back from today, so the same seed
on the same day gives the same rows."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from qms_desktop import ids, kpis
from qms_desktop.checklist_templates import STARTER_TEMPLATES
from qms_desktop.clauses import POLICY_POINTS, review_inputs
from qms_desktop.dates import add_months as add_months_exact
from qms_desktop.models import (
    ALL_MODELS,
    Acknowledgement,
    Action,
    AdequacyStatement,
    Audit,
    Calibration,
    ChecklistQuestion,
    ChecklistTemplate,
    ClimateDecision,
    Communication,
    Competence,
    ContextIssue,
    Document,
    DocumentVersion,
    DutyAssignment,
    EffectivenessReview,
    Feedback,
    Finding,
    FishboneCause,
    InterestedParty,
    Kpi,
    ManagementReview,
    Nonconformity,
    Objective,
    Organisation,
    PartyRequirement,
    Person,
    PersonRole,
    PolicyCheck,
    Process,
    RaciCell,
    Reading,
    Record,
    Resource,
    ResourceRequest,
    ReviewAttendance,
    ReviewDecision,
    ReviewInput,
    Risk,
    Role,
    SatisfactionResult,
    ScopeItem,
    Site,
    Supplier,
    SupplierEvaluation,
    TrainingRecord,
    WhyStep,
)
from qms_desktop.reviews import SIGNATURE_MEANING
from qms_desktop.sample.data import (
    ACTION_TEMPLATES,
    ACTIVITIES,
    APOLOGIES,
    AREAS,
    ATTENDEES,
    AUDIT_CRITERIA,
    AUDIT_QUESTIONS,
    AUDITS,
    COMMITMENTS,
    COMPANY,
    COMPETENCES,
    COMPLIMENTS,
    CONCLUSIONS,
    CONTAINMENTS,
    CONTAINMENTS_SMALL,
    CONTEXT_ISSUES,
    CORRECTIONS,
    CUSTOMERS,
    DEFECTS,
    DETECTIONS,
    DOCUMENTS,
    DOMAIN,
    DUTIES_GIVEN,
    EPOCH,
    EXTERNAL_LAB,
    FAILURE_COMMENTS,
    FINDING_NOTES,
    FIRST_NAMES,
    FRAGMENTS,
    IN_HOUSE_CALIBRATION,
    JOB_TITLES,
    KPI_TEMPLATES,
    KPIS,
    LARGE_CHAINS,
    MACHINES,
    MATERIALS,
    MINOR_COMPLAINTS,
    MORE_KPIS,
    MORE_OBJECTIVES,
    MORE_RISKS,
    NONCONFORMITIES,
    OBJECTIVES,
    OTHER_CAUSES,
    OUTCOME_WEIGHTS,
    PARTIES,
    PARTS,
    PEOPLE,
    PLANNED_AUDITS,
    POLICY_EVIDENCE,
    POLICY_V1,
    POLICY_V2,
    POLICY_V3,
    PROCESSES,
    RACI,
    RESOURCE_REQUESTS,
    RESOURCES,
    REVIEW_DECISIONS,
    RISK_SOURCES,
    RISK_TEMPLATES,
    RISKS,
    ROLES,
    SCOPE_ITEMS,
    SCOPE_TEXT,
    SITES,
    SMALL_DEFECTS,
    SUGGESTIONS,
    SUPPLIERS,
    SURNAMES,
    TITLE_CHAINS,
    TRAINING_EXCEPTIONS,
    TRAINING_MISSING,
    TREATMENT_KEYS,
    TREATMENTS,
    VERDICT_KEYS,
    VERDICTS,
    WHY_CHAINS,
)
from qms_desktop.suppliers import next_evaluation_due
from qms_desktop.text import plural

T = TypeVar("T")


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after the month of `day`."""
    years, month = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + years, month + 1, 1)


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# Faster than Random.randint and Random.choice, which matters for the large set's 60,000 rows.
def _rand(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _choice(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


@dataclass
class Sample:
    rng: random.Random
    today: dt.date
    rows: dict[type[Record], list[dict[str, Any]]] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)  # key -> id
    names: dict[str, str] = field(default_factory=dict)  # id -> full name
    processes: dict[str, str] = field(default_factory=dict)  # key -> id
    owners: dict[str, str] = field(default_factory=dict)  # process key -> person id
    roles: dict[str, str] = field(default_factory=dict)  # role title -> id
    user_name: str = ""
    policy_versions: dict[int, str] = field(default_factory=dict)  # number -> id
    joined: dict[str, dt.date] = field(default_factory=dict)  # person id -> start date
    # Later changes to records already made: (model, id, when, values).
    edits: list[tuple[type[Record], str, dt.datetime, dict[str, Any]]] = field(
        default_factory=list)
    # Record id -> when it was made: an action is raised after the record it comes from.
    made: dict[str, dt.datetime] = field(default_factory=dict)

    def __post_init__(self) -> None:
        models = [model for model in ALL_MODELS if issubclass(model, Record)]
        # Risks point at context issues and interested parties: write those first.
        context = [ContextIssue, ClimateDecision, InterestedParty, PartyRequirement]
        models = [m for m in models if m not in context]
        at = models.index(Risk)
        models[at:at] = context
        self.rows = {model: [] for model in models}
        # Nothing is created later than last night, so the sample never lies in the future.
        self.latest = dt.datetime.combine(self.today, dt.time()) - dt.timedelta(minutes=1)

    def at(self, day: dt.date, first_hour: int = 8, last_hour: int = 17) -> dt.datetime:
        """A working-hours moment on `day` (no later than last night)."""
        seconds = int(self.rng.random() * (last_hour - first_hour) * 3600)
        when = dt.datetime.combine(day, dt.time(first_hour)) + dt.timedelta(seconds=seconds)
        return min(when, self.latest)

    def add(self, model: type[Record], when: dt.datetime, **values: Any) -> str:
        # Never before a record it points at, even when both fall on the same day: the
        # writer makes each record through its service, where what it points at must exist.
        # A review decision may name the risk or objective that later answers it.
        made = self.made
        for name, value in values.items():
            if type(value) is str and value in made and made[value] >= when \
                    and name != "answers_id":
                when = made[value] + dt.timedelta(minutes=1)
        when = min(when, self.latest)
        millis = int((when - EPOCH).total_seconds()) * 1000 + int(self.rng.random() * 1000)
        record_id = ids.new_id(self.rng, millis)
        self.rows[model].append(
            {"id": record_id, "created_at": when, "updated_at": when, **values}
        )
        self.made[record_id] = when
        return record_id

    def row(self, model: type[Record], record_id: str) -> dict[str, Any]:
        return next(r for r in reversed(self.rows[model]) if r["id"] == record_id)

    def edit(self, model: type[Record], record_id: str, when: dt.datetime,
             **values: Any) -> None:
        """A change made to a record after it was created (kept apart for its history)."""
        self.edits.append((model, record_id, min(when, self.latest), values))

    def close_if_closed(self, nonconformity: str) -> None:
        """A closed nonconformity closes a few days after its last action was done."""
        row = next(r for r in reversed(self.rows[Nonconformity]) if r["id"] == nonconformity)
        if row["status"] != "closed":
            return
        done = [a["done_on"] for a in reversed(self.rows[Action])
                if a["source_id"] == nonconformity and a["done_on"]]
        last = max(done, default=row["raised_on"] + _days(20))
        row["closed_on"] = min(last + _days(_rand(self.rng, 2, 12)), self.today - _days(1))

    def action(
        self,
        source_table: str,
        source_id: str,
        title: str,
        owner: str | None,
        raised: dt.date,
        fate: str,
        evidence: str = "",
    ) -> str:
        """An action whose status and dates follow from its fate relative to today.

        Fates: done, late (done after a moved due date), overdue, moved (open, due date
        put back), week (due in the next few days), open (due later), cancelled.
        """
        rng, today = self.rng, self.today
        created = min(raised + _days(_rand(rng, 0, 3)), today - _days(1))
        # Open actions on old records were raised at a later review, not years ago.
        recent = {"overdue": (40, 120), "moved": (60, 150), "week": (10, 40), "open": (5, 40)}
        if fate in recent:
            created = max(created, today - _days(_rand(rng, *recent[fate])))
        due = created + _days(_choice(rng, (14, 21, 28, 30, 45, 60)))
        original = None
        status, done_on = "open", None
        if fate in ("done", "late"):
            if fate == "late":
                original, due = due, due + _days(_choice(rng, (14, 21, 30)))
            due = min(due, today - _days(1))
            done_on = min(max(created + _days(1), due - _days(_rand(rng, 0, 6))),
                          today - _days(1))
            status = "done"
        elif fate == "overdue":
            due = max(created + _days(3), min(due, today - _days(_rand(rng, 2, 25))))
            if due >= today:  # raised too recently to be overdue yet
                due = today - _days(1)
        elif fate == "moved":
            original = min(due, today - _days(_rand(rng, 2, 20)))
            due = today + _days(_rand(rng, 10, 40))
        elif fate == "week":
            due = today + _days(_rand(rng, 1, 5))
        elif fate == "cancelled":
            status = "cancelled"
        else:
            due = max(due, today + _days(_rand(rng, 12, 50)))
        if status != "done":
            evidence = ""
        return self.add(
            Action,
            self.at(created),
            title=title,
            owner=owner,
            due_on=due,
            original_due_on=original,
            status=status,
            done_on=done_on,
            evidence=evidence,
            source_table=source_table,
            source_id=source_id,
        )


def _ascii(text: str) -> str:
    special = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "ı": "i",
               "đ": "d", "ð": "d", "þ": "th"}
    text = "".join(special.get(c, c) for c in text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c in ".-")


def _email(name: str, taken: set[str]) -> str:
    parts = name.split()
    local = _ascii(f"{parts[0]}.{parts[-1]}")
    candidate, n = local, 2
    while candidate in taken:
        candidate, n = f"{local}{n}", n + 1
    taken.add(candidate)
    return f"{candidate}@{DOMAIN}"


def _build_core(s: Sample, founded: dt.date) -> set[str]:
    """Organisation, sites, the named people, roles, processes and controlled documents."""
    start = s.at(founded, 9, 11)
    s.add(Organisation, start, name=COMPANY, currency="EUR", edition="2015",
          review_interval_months=12, risk_matrix_size=5)
    sites = [s.add(Site, start, name=name, address=address) for name, address in SITES]
    roles = {title: s.add(Role, start, title=title, description=description,
                          authorities=authorities, is_top_management=top)
             for title, top, description, authorities in ROLES}
    s.roles = roles
    emails: set[str] = set()
    for key, name, title, site, held, left_days in PEOPLE:
        left_on = s.today - _days(left_days) if left_days else None
        person = s.add(Person, start, full_name=name, job_title=title, site=sites[site],
                       email=_email(name, emails), active=left_on is None, left_on=left_on)
        s.people[key], s.names[person] = person, name
        s.joined[person] = founded
        for role in held:
            s.add(PersonRole, start, person=person, role=roles[role])
    s.user_name = s.names[s.people["qm"]]
    for key, name, owner, inputs, outputs in PROCESSES:
        s.processes[key] = s.add(Process, start, name=name, owner=s.people[owner],
                                 inputs=inputs, outputs=outputs)
        s.owners[key] = s.people[owner]
    for key, name, owner, inputs, outputs in ACTIVITIES:
        s.processes[key] = s.add(Process, start, name=name, owner=s.people[owner],
                                 inputs=inputs, outputs=outputs, is_activity=True)
        s.owners[key] = s.people[owner]
    for key, letters in RACI.items():
        for title, letter in letters.items():
            s.add(RaciCell, start, process=s.processes[key], role=roles[title], letter=letter)
    md, qm = s.people["md"], s.people["qm"]
    policy = s.add(Document, start, kind="policy", reference="QP-01", title="Quality policy",
                   owner=md, review_due_on=s.today + _days(_rand(s.rng, 20, 60)),
                   retention="Until superseded, then 10 years",
                   location="Notice boards at both sites; QMS folder on the shared drive")
    v1_day, v2_day = founded + _days(6), s.today - _days(430)
    s.policy_versions = {}
    for number, status, body, created, approved, summary in (
            (1, "superseded", POLICY_V1, start, v1_day, "First issue."),
            (2, "approved", POLICY_V2, s.at(v2_day - _days(12)), v2_day,
             "Rewritten after the first management review: commitments spelt out one by one "
             "so each objective can point at one; suppliers, people and root causes added."),
            (3, "draft", POLICY_V3, s.at(s.today - _days(20)), None,
             "Adds culture, ethics and climate commitments ahead of the 2026 edition.")):
        approval = {}
        if approved is not None:
            approval = {"approved_by": md, "approved_at": s.at(approved),
                        "approved_by_top_management": True,
                        "approval_note": "Approved at the directors' meeting."}
        version = s.add(DocumentVersion, created, document=policy, number=number,
                        status=status, body=body, change_summary=summary, **approval)
        s.policy_versions[number] = version
        evidence = POLICY_EVIDENCE[min(number, 2)]
        for point in POLICY_POINTS:
            sentence = evidence[point.key]
            if sentence not in body:  # the draft reworded it: not linked again yet
                sentence = ""
            assert not sentence or sentence in body, (number, point.key)
            s.add(PolicyCheck, created, version=version, point=point.key,
                  met=bool(sentence), evidence=sentence)
    scope = s.add(Document, start, kind="scope", reference="QMS-02", title="QMS scope",
                  owner=qm, review_due_on=s.today + _days(_rand(s.rng, 30, 120)),
                  retention="Until superseded, then 10 years",
                  location="QMS folder on the shared drive; copy on the website")
    scope_v1 = s.add(DocumentVersion, start, document=scope, number=1, status="approved",
                     body=SCOPE_TEXT, approved_by=md, approved_at=s.at(v1_day),
                     approved_by_top_management=True, change_summary="First issue.")
    for kind, name, clause, justification in SCOPE_ITEMS:
        s.add(ScopeItem, start, version=scope_v1, kind=kind, name=name, clause=clause,
              justification=justification)
    return emails


def build_small(s: Sample) -> None:
    rng, today = s.rng, s.today
    first_period = _add_months(today, -36)
    founded = first_period - _days(20)
    _build_core(s, founded)
    p = s.people
    _awareness(s, missing={p[k] for k in ("op3", "app", "wd2", "asm", "fns", "gin")})
    sources = _context(s, founded)

    risks: dict[str, str] = {}
    risk_specs = [(*spec[:10], RISK_SOURCES[i], _rand(rng, 60, 900),
                   VERDICT_KEYS[spec[10]], spec[11]) for i, spec in enumerate(RISKS)]
    risk_specs += list(MORE_RISKS)
    for (kind, process, owner, title, description, li, im, treatment, rl, ri, source, age,
         verdict, actions) in risk_specs:
        raised = today - _days(age)
        treatment = TREATMENT_KEYS.get(treatment, treatment)
        review_due = today + _days(_rand(rng, -30, 150) if len(risks) % 6
                                   else -_rand(rng, 5, 40))
        link = {}
        if source:
            table, key = source.split(":")
            link = {"source_issue" if table == "issue" else "source_party": sources[source]}
        risk = s.add(Risk, s.at(raised), kind=kind, title=title, description=description,
                     process=s.processes[process], owner=p[owner], likelihood=li, impact=im,
                     treatment=treatment, residual_likelihood=rl, residual_impact=ri,
                     next_review_on=review_due, effectiveness="", **link)
        risks[title] = risk
        fates = []
        for action_title, fate in actions:
            s.action("risk", risk, action_title, p[owner], raised + _days(_rand(rng, 1, 20)),
                     fate, "Done and checked at the risk review.")
            fates.append(fate)
        # A verdict only once every action is done.
        if fates and all(f in ("done", "late") for f in fates):
            s.row(Risk, risk)["effectiveness"] = verdict or "effective"

    objectives: dict[str, str] = {}
    for (key, title, commitment, process, owner, plan, resources, due_months, evaluation,
         status, actions) in (*OBJECTIVES, *MORE_OBJECTIVES):
        set_on = _add_months(today, -10 if (due_months or 0) > 0 else -14)
        due_on = None if due_months is None else _add_months(today, due_months) - _days(1)
        objectives[key] = s.add(
            Objective, s.at(set_on + _days(_rand(rng, 0, 10))), title=title,
            policy_commitment=commitment, process=s.processes[process],
            owner=p[owner] if owner else None, plan=plan, resources=resources, due_on=due_on,
            evaluation=evaluation, status=status)
        for action_title, fate in actions:
            s.action("objective", objectives[key], action_title, p[owner or "md"],
                     set_on + _days(_rand(rng, 5, 40)), fate, "Completed as planned.")

    for (_key, name, unit, direction, target, warning, failure, process, owner, objective,
         begin, end, spread, decimals, failed, missing) in (*KPIS, *MORE_KPIS):
        assert not kpis.validate_kpi({"direction": direction, "target": target,
                                      "warning_threshold": warning,
                                      "failure_threshold": failure}), name
        kpi = s.add(Kpi, s.at(first_period - _days(15)), name=name, unit=unit,
                    direction=direction, target=target, warning_threshold=warning,
                    failure_threshold=failure, frequency="monthly",
                    objective=objectives.get(objective), process=s.processes[process],
                    owner=p[owner])
        _readings(s, kpi, s.names[p[owner]], first_period, 36, direction, warning, failure,
                  begin, end, spread, decimals, failed, missing, unit.startswith("%"))

    _resources(s, founded, objectives, risks)
    _documents(s, founded)
    _competence(s, founded)
    _checklists(s, founded)
    _suppliers(s)

    years: dict[int, int] = {}
    last_raised = [dt.datetime.min]

    def nonconformity(raised: dt.date, source: str, process: str, severity: str, status: str,
                      title: str, description: str) -> str:
        years[raised.year] = years.get(raised.year, 0) + 1
        # Raised after the one numbered before it, as the service numbers them (by time).
        when = max(s.at(raised), last_raised[0] + dt.timedelta(minutes=1))
        last_raised[0] = when
        return s.add(Nonconformity, when, reference=f"NC-{raised.year}-"
                     f"{years[raised.year]:03d}", title=title, description=description,
                     raised_on=raised, source=source, process=s.processes[process],
                     severity=severity, status=status, closed_on=None)

    # Audits first so their nonconformities take their place in the numbering by date.
    pending: list[tuple[dt.date, Callable[[], None]]] = []
    names = {k: n for k, n, *_ in PROCESSES}
    for process, auditor, days_ago, special in AUDITS:
        planned = today - _days(days_ago)
        held = planned + _days(_rand(rng, 0, 4))
        outcomes = [special.get(i, ("conforms",))[0] for i in range(len(AUDIT_QUESTIONS[process]))]
        audit = s.add(Audit, s.at(planned - _days(45)), title=f"Internal audit: {names[process]}",
                      planned_on=planned, process=s.processes[process],
                      clause=AUDIT_QUESTIONS[process][0][0], auditor=p[auditor],
                      status="done", held_on=held, scope=_audit_scope(process),
                      criteria=AUDIT_CRITERIA, summary=_audit_summary(outcomes))
        for index, (clause, question, note) in enumerate(AUDIT_QUESTIONS[process]):
            outcome, notes, nc_spec, finding_action = special.get(
                index, ("conforms", note, None, None))
            pending.append((held, _finding_maker(s, audit, held, process, clause, question,
                                                  outcome, notes, nc_spec, finding_action,
                                                  nonconformity, index + 1)))
    for number, (process, auditor, days_ahead) in enumerate(PLANNED_AUDITS):
        planned = today + _days(days_ahead)
        audit = s.add(Audit, s.at(today - _days(_rand(rng, 30, 60))),
                      title=f"Internal audit: {names[process]}", planned_on=planned,
                      process=s.processes[process], clause=AUDIT_QUESTIONS[process][0][0],
                      auditor=p[auditor], status="planned", scope=_audit_scope(process),
                      criteria=AUDIT_CRITERIA)
        if number == 0:  # the next audit's checklist is ready, not yet answered
            for index, (clause, question, _note) in enumerate(AUDIT_QUESTIONS[process]):
                s.add(Finding, s.at(today - _days(_rand(rng, 3, 10))), audit=audit,
                      clause=clause, question=question, outcome="", notes="",
                      position=index + 1)

    for days_ago, source, process, severity, status, title, description, actions in (
            NONCONFORMITIES):
        raised = today - _days(days_ago + _rand(rng, 0, 3))

        def make(raised: dt.date = raised, source: str = source, process: str = process,
                 severity: str = severity, status: str = status, title: str = title,
                 description: str = description, actions: Any = actions) -> None:
            nc = nonconformity(raised, source, process, severity, status, title, description)
            for action_title, fate, evidence in actions:
                s.action("nonconformity", nc, action_title, s.owners[process], raised, fate,
                         evidence)
            s.close_if_closed(nc)

        pending.append((raised, make))
    pending += _more_nonconformities(s, nonconformity)
    for _day, make_it in sorted(pending, key=lambda item: item[0]):
        make_it()
    _root_causes(s)
    _feedback(s, first_period)
    _reviews(s, risks, objectives)


def _audit_scope(process: str) -> str:
    name = next(n for k, n, *_ in PROCESSES if k == process)
    return f"The {name.lower()} process at both sites, records of the last twelve months."


def _audit_summary(outcomes: list[str]) -> str:
    counts = {o: outcomes.count(o) for o in set(outcomes)}
    found = [f"{counts[o]} {label}" for o, label in (
        ("major", "major nonconformity"), ("minor", "minor nonconformity"),
        ("observation", "observation"), ("opportunity", "opportunity for improvement"))
        if counts.get(o)]
    if not found:
        return "The process works as described; no findings."
    return ("The process works as described on the whole. Found: " + ", ".join(found)
            + ". Results discussed with the process owner at the closing meeting.")


def _awareness(s: Sample, missing: set[str]) -> None:
    """Communication and acknowledgement of the policy, and the 5.3 duties."""
    rng, today, p = s.rng, s.today, s.people
    v1, v2 = s.policy_versions[1], s.policy_versions[2]
    v1_day = s.row(DocumentVersion, v1)["approved_at"].date()
    v2_day = s.row(DocumentVersion, v2)["approved_at"].date()
    md, hr = p["md"], p["hr"]
    s.add(Communication, s.at(v1_day + _days(1)), version=v1, method="notice_board",
          communicated_on=v1_day + _days(1), audience="Everyone at both sites",
          communicated_by=md)
    for offset, method, audience, by in (
            (3, "meeting", "All staff at the Friday meeting, both shifts", md),
            (4, "notice_board", "Notice boards at Northbank Works and Maynooth", hr),
            (30, "induction", "Every new starter, in the induction pack", hr),
            (9, "email", "Customers and suppliers, on request and on the website",
             p["sal"])):
        day = min(v2_day + _days(offset), today - _days(1))
        s.add(Communication, s.at(day), version=v2, method=method, communicated_on=day,
              audience=audience, communicated_by=by)
    for person in list(s.names):
        joined = s.joined[person]
        left = s.row(Person, person)["left_on"]
        if joined < v2_day and (left is None or left > v1_day):
            day = max(joined, v1_day) + _days(_rand(rng, 1, 40))
            if day < v2_day:
                s.add(Acknowledgement, s.at(day), version=v1, person=person,
                      acknowledged_on=day)
        if person in missing or (left is not None and left <= v2_day):
            continue
        if len(s.names) > 100 and rng.random() < 0.04:  # a few in the large firm too
            continue
        day = max(joined, v2_day) + _days(_rand(rng, 2, 45))
        if left is not None:
            day = min(day, left - _days(1))
        day = min(day, today - _days(1))
        s.add(Acknowledgement, s.at(day), version=v2, person=person, acknowledged_on=day)
    for duty, holder, notes in DUTIES_GIVEN:
        kind, key = holder.split(":")
        day = v2_day + _days(_rand(rng, 3, 20))
        s.add(DutyAssignment, s.at(day), duty=duty,
              person=p[key] if kind == "person" else None,
              role=s.roles[key] if kind == "role" else None, communicated_on=day, notes=notes)


def _context(s: Sample, founded: dt.date) -> dict[str, str]:
    """Issues, the climate decision and interested parties; returns "issue:key" -> id."""
    rng, today, p = s.rng, s.today, s.people
    found: dict[str, str] = {}
    for key, kind, category, title, description, effect, age, changed in CONTEXT_ISSUES:
        identified = max(founded, today - _days(age))
        reviewed = identified if changed is None else today - _days(changed)
        issue = s.add(ContextIssue, s.at(identified), kind=kind, category=category,
                      title=title, description=description, effect=effect,
                      identified_on=identified, last_reviewed_on=identified)
        found[f"issue:{key}"] = issue
        if changed is not None:
            s.edit(ContextIssue, issue, s.at(reviewed), last_reviewed_on=reviewed,
                   effect=effect + " Reviewed again: still applies.")
    climate_day = today - _days(410)
    s.add(ClimateDecision, s.at(climate_day), relevant=True, decided_on=climate_day,
          decided_by=p["md"], reason="Heat in the machine shop affects tolerances, storms have "
          "damaged the Maynooth roof and delayed deliveries, and two customers now ask for "
          "the carbon footprint of our parts. We treat climate change as a relevant issue "
          "and track it in the context and risk registers.")
    for index, (key, name, kind, description, requirements) in enumerate(PARTIES):
        day = max(founded, today - _days(_rand(rng, 500, 900)))
        party = s.add(InterestedParty, s.at(day), name=name, kind=kind,
                      description=description, last_reviewed_on=day)
        found[f"party:{key}"] = party
        for text, addressed, how in requirements:
            s.add(PartyRequirement, s.at(day), party=party, requirement=text,
                  addressed=addressed, how_addressed=how, last_reviewed_on=day)
        if index % 3 == 0:
            reviewed = today - _days(_rand(rng, 20, 300))
            s.edit(InterestedParty, party, s.at(reviewed), last_reviewed_on=reviewed)
    return found


def _resources(s: Sample, founded: dt.date, objectives: dict[str, str] | None,
               risks: dict[str, str]) -> None:
    rng, today, p = s.rng, s.today, s.people
    currency = s.rows[Organisation][0]["currency"]
    for (key, kind, name, description, location, owner, process, budget, interval,
         since) in RESOURCES:
        values: dict[str, Any] = {}
        if interval is not None:
            last = today - _days(since)
            history = [last]
            while add_months_exact(history[-1], -interval) > founded:
                history.append(add_months_exact(history[-1], -interval))
            due = add_months_exact(last, interval)
            state = "overdue" if due < today else (
                "due" if due <= today + _days(30) else "in_service")
            values = {"calibration_interval_months": interval, "last_calibrated_on": last,
                      "next_calibration_on": due, "calibration_status": state}
        resource = s.add(Resource, s.at(founded), kind=kind, name=name,
                         description=description, location=location, owner=p[owner],
                         process=s.processes[process] if process else None,
                         annual_budget_minor=budget * 100 if budget else None,
                         currency=currency if budget else "", **values)
        if interval is None:
            continue
        for day in reversed(history):
            lab = "In house, against grade 1 gauge blocks" if key in IN_HOUSE_CALIBRATION \
                else EXTERNAL_LAB
            s.add(Calibration, s.at(day), resource=resource, calibrated_on=day,
                  result="pass", certificate=f"ICS-{day.year}-{_rand(rng, 1000, 9999)}"
                  if lab == EXTERNAL_LAB else f"CL-{day:%Y%m%d}", calibrated_by=lab)
    if objectives is None:
        return
    for (title, reason, target, amount, age, decision, by, days, note) in RESOURCE_REQUESTS:
        requested = today - _days(age)
        table, key = target.split(":", 1)
        link = {"objective": objectives[key]} if table == "objective" else (
            {"risk": risks[key]} if table == "risk" else {"process": s.processes[key]})
        decided = {}
        if by is not None:
            decided = {"decided_by": p[by], "decided_on": requested + _days(days),
                       "decision_note": note, "decided_by_top_management": by in ("md", "od")}
        s.add(ResourceRequest, s.at(requested), title=title, reason=reason,
              amount_minor=amount * 100, currency=currency, requested_on=requested,
              requested_by=p["qm"] if table != "process" else s.owners[key],
              decision=decision, **decided, **link)


def _documents(s: Sample, founded: dt.date) -> None:
    rng, today, p = s.rng, s.today, s.people
    overdue = {"P-05", "P-12", "F-04", "WI-PRD-11"}
    for reference, kind, title, owner, retention, location, every in DOCUMENTS:
        approved = today - _days(_rand(rng, 60, 700))
        review_due = None
        if every is not None:
            review_due = add_months_exact(approved, every)
            if reference in overdue:
                review_due = today - _days(_rand(rng, 10, 90))
            elif review_due < today:
                review_due = today + _days(_rand(rng, 30, 300))
        document = s.add(Document, s.at(max(founded, approved - _days(400))), kind=kind,
                         reference=reference, title=title, owner=p[owner],
                         review_due_on=review_due, retention=retention, location=location)
        if kind == "record":
            continue
        approver = "md" if owner in ("md", "od") else "qm"
        s.add(DocumentVersion, s.at(approved - _days(7)), document=document, number=1,
              status="approved", body=f"{title}: see the controlled copy in {location}.",
              approved_by=p[approver], approved_at=s.at(approved),
              approved_by_top_management=approver == "md", change_summary="Current issue.")


def _competence(s: Sample, founded: dt.date) -> None:
    rng, today = s.rng, s.today
    keys = {person: key for key, person in s.people.items()}
    holders: dict[str, list[str]] = {}
    for row in s.rows[PersonRole]:
        holders.setdefault(row["role"], []).append(row["person"])
    for title, items in COMPETENCES.items():
        role = s.roles[title]
        for name, description, renew in items:
            competence = s.add(Competence, s.at(founded), role=role, name=name,
                               description=description, renew_every_months=renew)
            for person in holders.get(role, []):
                key = keys.get(person, "")  # "" for people without a key: no exception
                if (key, name) in TRAINING_MISSING:
                    continue
                if s.row(Person, person)["left_on"] is not None:
                    continue
                age = TRAINING_EXCEPTIONS.get((key, name))
                if age is None:
                    span = (renew * 30 - 60) if renew else 900
                    age = _rand(rng, 20, max(30, span))
                done = today - _days(age)
                expires = add_months_exact(done, renew) if renew else None
                kind = "qualification" if renew and renew >= 24 else "training"
                s.add(TrainingRecord, s.at(done), person=person, competence=competence,
                      title=name, kind=kind, completed_on=done, expires_on=expires,
                      provider="In house" if renew is None else "External provider",
                      evidence="Certificate on file." if renew else "Signed off by the "
                      "supervisor.")
    for person in s.names:  # everyone has a quality induction on file
        if s.row(Person, person)["left_on"] is not None or keys.get(person) in ("asm", "fns"):
            continue
        day = s.joined[person] + _days(_rand(rng, 0, 5))
        s.add(TrainingRecord, s.at(day), person=person, title="Quality induction",
              kind="training", completed_on=day, provider="In house",
              evidence="Induction checklist signed.")


def _checklists(s: Sample, founded: dt.date) -> None:
    when = s.at(founded + _days(10))
    for starter in STARTER_TEMPLATES:
        template = s.add(ChecklistTemplate, when, name=starter.name, clause=starter.clause,
                         description=starter.description)
        for position, q in enumerate(starter.questions, start=1):
            s.add(ChecklistQuestion, when, template=template, position=position,
                  clause=q.clause, question=q.question, guidance=q.guidance)


def _quarter_ends(today: dt.date, count: int) -> list[dt.date]:
    """The last days of the last `count` complete quarters, oldest first."""
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [_add_months(start, -3 * n) - _days(1) for n in range(count, 0, -1)]


def _suppliers(s: Sample, quarters: int = 8,
               names: Sequence[tuple[Any, ...]] = SUPPLIERS) -> None:
    rng, today, p = s.rng, s.today, s.people
    ends = _quarter_ends(today, quarters)
    buyer = p.get("pur")
    for name, provides, criticality, approval, contact, begin, end, stopped in names:
        supplier = s.add(Supplier, s.at(ends[0] - _days(200)), name=name, provides=provides,
                         criticality=criticality, approval=approval, contact=contact)
        dates = [e + _days(_rand(rng, 3, 12)) for e in ends]
        if approval == "pending":  # on trial: one evaluation after the trial order
            dates = [today - _days(stopped)]
        elif stopped is not None:
            dates = [d for d in dates if d <= today - _days(stopped)]
            if not dates:
                dates = [today - _days(stopped)]
        last = None
        for index, day in enumerate(dates):
            mean = begin + (end - begin) * (index + 1) / len(dates)
            scores = [max(1, min(5, round(mean + rng.gauss(0, 0.5)))) for _ in range(4)]
            score = sum(scores) / 4
            notes = "" if score >= 3 else "Below 3: raised at the supplier review meeting."
            s.add(SupplierEvaluation, s.at(min(day, today - _days(1))), supplier=supplier,
                  evaluated_on=min(day, today - _days(1)), quality=scores[0],
                  delivery=scores[1], price=scores[2], responsiveness=scores[3], notes=notes,
                  evaluated_by=buyer)
            last = (min(day, today - _days(1)), score)
        if last is not None and approval != "suspended":
            s.row(Supplier, supplier)["reevaluation_due_on"] = next_evaluation_due(
                criticality, *last)


def _more_nonconformities(
        s: Sample, nonconformity: Callable[..., str]) -> list[tuple[dt.date, Callable[[], None]]]:
    """Nonconformities from the floor, complaints and suppliers over the last two years."""
    rng, today = s.rng, s.today
    found: dict[str, tuple[str, str]] = {
        "complaint": ("complaint", "{customer} returned {qty} of {lot} parts"),
        "internal": ("internal", "In-process checks found {qty} of {lot} parts affected"),
        "final": ("internal", "Final inspection rejected {qty} of {lot} parts"),
        "supplier": ("supplier", "Goods-in rejected {qty} of {lot} parts from the "
                                 "subcontractor"),
    }
    pending: list[tuple[dt.date, Callable[[], None]]] = []
    count = 38
    for index in range(count):
        title, process, _chain = SMALL_DEFECTS[index % len(SMALL_DEFECTS)]
        how = "supplier" if process == "purchasing" else _choice(
            rng, ("complaint", "internal", "final", "complaint"))
        source, text = found[how]
        age = 20 + (700 * (count - index)) // count + _rand(rng, 0, 15)
        raised = today - _days(age)
        part, customer = _choice(rng, PARTS), _choice(rng, CUSTOMERS)
        lot = _choice(rng, (20, 40, 50, 100, 120, 200))
        description = text.format(customer=customer, qty=_rand(rng, 2, lot // 4), lot=lot)
        description += f" ({part})."
        if age > 150:
            status = "closed"
        elif age > 45:
            status = _choice(rng, ("action", "closed"))
        else:
            status = _choice(rng, ("open", "action"))
        severity = "major" if index % 9 == 4 else "minor"
        withdrawn = index == 5

        def make(raised: dt.date = raised, source: str = source, process: str = process,
                 severity: str = severity, status: str = status,
                 title: str = f"{title} – {part}", description: str = description,
                 part: str = part, withdrawn: bool = withdrawn, index: int = index) -> None:
            if withdrawn:
                nc = nonconformity(raised, "complaint", "dispatch", "minor", "closed",
                                   f"Short shipment reported – {part}",
                                   f"{_choice(rng, CUSTOMERS)} reported a carton short in a "
                                   f"delivery of {part}.")
                row = s.row(Nonconformity, nc)
                row["closed_on"] = raised + _days(4)
                row["closure_reason"] = ("The customer found the carton in their own stores "
                                         "and withdrew the complaint; nothing to correct.")
                return
            nc = nonconformity(raised, source, process, severity, status, title, description)
            s.row(Nonconformity, nc)["_chain"] = chain_of[title.split(" – ")[0]]
            fragments = _Fragments(rng)
            fragments["part"] = part
            templates = ACTION_TEMPLATES["nonconformity"]
            fates = {"closed": ("done", "late"), "action": ("overdue", "moved", "week",
                                                            "open", "done"),
                     "open": ("week", "open")}[status]
            for number in range(1 if status == "open" else _choice(rng, (1, 1, 2))):
                fate = fates[0] if status == "closed" and number == 0 else _choice(rng, fates)
                if status == "action" and number == 0 and fate == "done":
                    fate = "overdue"
                s.action("nonconformity", nc, _fill(rng, templates[(index + number) % len(
                    templates)], fragments), s.owners[process], raised, fate,
                    "Checked by the Quality Manager.")
            s.close_if_closed(nc)

        pending.append((raised, make))
    return pending


chain_of = {title: chain for title, _process, chain in SMALL_DEFECTS}


def _root_causes(s: Sample) -> None:
    """5 whys, fishbone and effectiveness reviews for the nonconformities analysed so far."""
    rng, today, p = s.rng, s.today, s.people
    actions: dict[str, list[dict[str, Any]]] = {}
    for row in s.rows[Action]:
        if row["source_table"] == "nonconformity":
            actions.setdefault(row["source_id"], []).append(row)
    reporters = [p[k] for k in ("qm", "qi1", "qi2", "ps", "sal", "gin", "op2", "dsp")]
    for row in list(s.rows[Nonconformity]):
        chain_key = row.pop("_chain", None) or next(
            (c for start, c in TITLE_CHAINS.items() if row["title"].startswith(start)), None)
        raised = row["raised_on"]
        row["reported_by"] = _choice(rng, reporters)
        row["correction"] = _choice(rng, CORRECTIONS)
        row["containment"] = _choice(rng, CONTAINMENTS_SMALL)
        if chain_key is None or row["status"] == "open" or row.get("closure_reason"):
            continue
        answers, category, root = WHY_CHAINS[chain_key]
        analysed = min(raised + _days(_rand(rng, 2, 9)), today - _days(1))
        when = s.at(analysed)
        for position, answer in enumerate(answers, start=1):
            s.add(WhyStep, when, nonconformity=row["id"], position=position, answer=answer)
        others = [c for c in OTHER_CAUSES if c != category]
        for other in rng.sample(others, 2):
            s.add(FishboneCause, when, nonconformity=row["id"], category=other,
                  cause=_choice(rng, OTHER_CAUSES[other]), is_root=False)
        s.add(FishboneCause, when, nonconformity=row["id"], category=category, cause=root,
              is_root=True)
        row["root_cause"] = root
        if row["status"] == "closed":
            done = [a["done_on"] for a in actions.get(row["id"], []) if a["done_on"]]
            reviewed = max([row["closed_on"] - _days(_rand(rng, 0, 2)), *done])
            reviewed = min(reviewed, row["closed_on"])
            s.add(EffectivenessReview, s.at(reviewed), nonconformity=row["id"],
                  reviewed_on=reviewed, verdict="effective", reviewed_by=p["qm"],
                  notes="No repeat of the problem in the batches checked since the actions "
                        "were completed.")


def _customer_in(text: str) -> str | None:
    return next((c for c in CUSTOMERS if c.split()[0] in text), None)


def _feedback(s: Sample, first_period: dt.date) -> None:
    rng, today = s.rng, s.today
    start = today - _days(730)
    for row in s.rows[Nonconformity]:
        if row["source"] != "complaint" or row["raised_on"] < start:
            continue
        received = row["raised_on"] - _days(_rand(rng, 0, 1))
        customer = _customer_in(row["title"] + row["description"]) or _choice(rng, CUSTOMERS)
        closed = None
        if row["status"] != "open":
            closed = min(received + _days(_rand(rng, 3, 15)), today - _days(1))
        s.add(Feedback, s.at(received), kind="complaint", customer=customer,
              received_on=received, product=row["title"].split(" – ")[-1][:200],
              severity=row["severity"], description=row["description"].split(". ")[0] + ".",
              response=f"Containment confirmed to the customer; corrective action under "
                       f"{row['reference']}." if closed else "",
              closed_on=closed, nonconformity=row["id"])
    linked = len(s.rows[Feedback])
    complaints = max(0, 26 - linked)
    rest = 60 - linked - complaints  # sixty items in all
    plan = ([("complaint", MINOR_COMPLAINTS)] * complaints
            + [("compliment", COMPLIMENTS)] * (rest // 2 + 1)
            + [("suggestion", SUGGESTIONS)] * (rest - rest // 2 - 1))
    for index, (kind, texts) in enumerate(plan):
        received = start + _days((730 * index) // len(plan) + _rand(rng, 0, 20))
        received = min(received, today - _days(_rand(rng, 1, 10)))
        part = _choice(rng, PARTS)
        text = _choice(rng, texts).format(part=part)
        closed = received + _days(_rand(rng, 1, 10))
        response = {"complaint": "Apologised and explained; no product problem, so no "
                                 "nonconformity raised.",
                    "compliment": "Thanked the customer and shared it with the team.",
                    "suggestion": "Discussed at the monthly quality meeting."}[kind]
        if closed >= today:
            closed, response = None, ""
        item = s.add(Feedback, s.at(received), kind=kind, customer=_choice(rng, CUSTOMERS),
                     received_on=received, product=part if kind != "suggestion" else "",
                     severity="minor" if kind == "complaint" else "", description=text,
                     response=response, closed_on=closed)
        if kind == "suggestion" and index % 3 == 0:
            age = (today - received).days
            fate = _choice(rng, ("done", "late")) if age > 120 else _choice(
                rng, ("overdue", "open", "week", "done"))
            s.action("feedback", item, "Answer the customer's suggestion: " + text[:120],
                     s.people["sal"], received, fate, "Reply sent; change made where agreed.")
    for index, end in enumerate(_quarter_ends(today, 12)):
        period = _add_months(end + _days(1), -3)
        score = round(7.2 + 1.1 * index / 11 + rng.gauss(0, 0.15), 1)
        s.add(SatisfactionResult, s.at(min(end + _days(_rand(rng, 10, 20)), s.latest.date())),
              period_start=period, score=score, scale_max=10, responses=_rand(rng, 14, 26),
              method="Quarterly e-mail survey of active customers: five questions scored 0 "
                     "to 10.")


def _decision_action(s: Sample, decision: str, title: str, owner: str, meeting: dt.date,
                     due: dt.date, fate: str) -> str:
    rng, today = s.rng, s.today
    created = meeting + _days(_rand(rng, 1, 3))
    values: dict[str, Any] = {"due_on": due, "original_due_on": due, "status": "open",
                              "done_on": None, "evidence": ""}
    if fate in ("done", "late"):
        if fate == "late":
            values["due_on"] = due = due + _days(_choice(rng, (30, 45, 60)))
        done = min(max(created + _days(1), due - _days(_rand(rng, 0, 20))), today - _days(1))
        values.update(status="done", done_on=done, evidence="Reported done at the quality "
                      "meeting; evidence on file.")
    elif fate == "moved":
        values["due_on"] = today + _days(_rand(rng, 10, 40))
    s.at(created)  # drawn as before, so the generator's stream stays the same
    # Made with its decision, as recording a decision in the review does (reviews.py).
    return s.add(Action, s.made[decision], title=title[:200], owner=owner,
                 source_table="review_decision", source_id=decision, **values)


def _reviews(s: Sample, risks: dict[str, str], objectives: dict[str, str]) -> None:
    rng, today, p = s.rng, s.today, s.people
    start = add_months_exact(today - _days(700), -12) + _days(1)
    for days_ago, decisions in REVIEW_DECISIONS:
        meeting = today - _days(days_ago)
        suitability, adequacy, effectiveness, alignment = CONCLUSIONS[days_ago]
        review = s.add(ManagementReview, s.at(meeting - _days(40)), meeting_on=meeting,
                       period_start=start, period_end=meeting,
                       place="Boardroom, Northbank Works", chair=p["md"], status="closed",
                       minute_taker=p["qm"], suitability=suitability, adequacy=adequacy,
                       effectiveness=effectiveness, strategy_alignment=alignment,
                       next_review_on=add_months_exact(meeting, 12),
                       closed_at=s.at(meeting + _days(3)), closed_by=p["md"],
                       closed_by_top_management=True, signed_title="Managing Director",
                       signature_meaning=SIGNATURE_MEANING)
        _attendance(s, review, meeting, absent=APOLOGIES[days_ago])
        notes = _review_notes(s, start, meeting)
        for code, (commentary, conclusion) in notes.items():
            s.add(ReviewInput, s.at(meeting), review=review, code=code,
                  commentary=commentary, conclusion=conclusion)
        for kind, description, owner, due_days, fate, answers in decisions:
            due = meeting + _days(due_days)
            link = {}
            if answers:
                table, key = answers.split(":", 1)
                link = {"answers_table": table,
                        "answers_id": risks[key] if table == "risk" else objectives[key]}
            decision = s.add(ReviewDecision, s.at(meeting), review=review, kind=kind,
                             description=description, owner=p[owner], due_on=due, **link)
            s.row(ReviewDecision, decision)["action"] = _decision_action(
                s, decision, description, p[owner], meeting, due, fate)
        s.add(AdequacyStatement, s.at(meeting), period_start=start, period_end=meeting,
              verdict="adequate" if days_ago == 700 else "partly",
              reasons=adequacy, stated_by=p["md"], stated_on=meeting)
        start = meeting + _days(1)
    meeting = today + _days(18)
    review = s.add(ManagementReview, s.at(today - _days(_rand(rng, 12, 25))),
                   meeting_on=meeting, period_start=start, period_end=meeting,
                   place="Boardroom, Northbank Works", chair=p["md"], minute_taker=p["qm"],
                   status="planned")
    _attendance(s, review, today - _days(10), absent=None)


def _attendance(s: Sample, review: str, day: dt.date, absent: str | None) -> None:
    p = s.people
    titles = {row["person"]: row["role"] for row in s.rows[PersonRole]}
    role_names = {role: title for title, role in s.roles.items()}
    for key, label in ATTENDEES:
        top = key in ("md", "od")
        s.add(ReviewAttendance, s.at(day), review=review, person=p[key],
              role_label=label or role_names[titles[p[key]]], present=key != absent,
              is_top_management=top)


def _review_notes(s: Sample, start: dt.date, end: dt.date) -> dict[str, tuple[str, str]]:
    """Commentary and conclusion on each review input, from the records of the period as
    they stood at the meeting (`end`): what was closed or entered later was not known then."""
    rows = s.rows

    def within(day: Any) -> bool:
        day = day.date() if isinstance(day, dt.datetime) else day
        return day is not None and start <= day <= end

    def by_end(day: Any) -> bool:
        day = day.date() if isinstance(day, dt.datetime) else day
        return day is not None and day <= end

    def known(r: dict[str, Any]) -> bool:
        return bool(by_end(r["created_at"]))

    earlier = {r["id"] for r in rows[ReviewDecision] if r["created_at"].date() < start}
    previous = [a for a in rows[Action] if a["source_id"] in earlier]
    done = sum(a["status"] == "done" and by_end(a["done_on"]) for a in previous)
    issues = [r for r in rows[ContextIssue] if within(r["created_at"])]
    feedback = [r for r in rows[Feedback] if within(r["received_on"]) and known(r)]
    complaints = sum(r["kind"] == "complaint" for r in feedback)
    compliments = sum(r["kind"] == "compliment" for r in feedback)
    surveys = [r for r in rows[SatisfactionResult] if within(r["period_start"]) and known(r)]
    objectives = [r for r in rows[Objective] if known(r)]
    ncs = [r for r in rows[Nonconformity] if within(r["raised_on"])]
    closed = sum(r["status"] == "closed" and by_end(r.get("closed_on")) for r in ncs)
    by_process: dict[str, int] = {}
    for r in ncs:
        by_process[r["process"]] = by_process.get(r["process"], 0) + 1
    process_names = {r["id"]: r["name"] for r in rows[Process]}
    worst = max(by_process, key=lambda k: by_process[k]) if by_process else None
    readings = [r for r in rows[Reading] if within(r["period_start"]) and known(r)]
    failing = sum(bool(r["comment"]) for r in readings)
    audits = [r for r in rows[Audit] if r["status"] == "done" and within(r["held_on"])]
    audit_ids = {a["id"] for a in audits}
    findings = [f for f in rows[Finding] if f["audit"] in audit_ids]
    ncs_from_audits = sum(f["outcome"] in ("minor", "major") for f in findings)
    evaluations = [r for r in rows[SupplierEvaluation] if within(r["evaluated_on"])]
    requests = [r for r in rows[ResourceRequest] if within(r.get("decided_on")) and known(r)]
    approved = sum(r["amount_minor"] for r in requests if r["decision"] == "approved") // 100
    risk_done = {a["source_id"] for a in rows[Action]
                 if a["source_table"] == "risk" and a["status"] == "done"
                 and within(a["done_on"])}
    opportunities = sum(r["kind"] == "opportunity" for r in rows[Risk] if known(r))
    suggestions = sum(r["kind"] == "suggestion" for r in feedback)
    score = f"{surveys[-1]['score']:g} out of 10" if surveys else "not measured"
    audited = ((f"{len(audits)} internal audits held, {len(findings)} questions answered, "
                f"{ncs_from_audits} nonconformities raised.",
                "Programme on track; auditors stay independent of their own processes.")
               if audits else
               ("No internal audit was held in the period.",
                "Effectiveness judged on KPIs and nonconformities alone; every process to be "
                "audited before the next review."))
    notes = {
        "a": (f"{len(previous)} actions from earlier reviews, {done} of them done."
              if previous else "First review of the current system: no earlier actions.",
              "Open actions stay on the list with their owners." if previous
              else "Nothing to follow up."),
        "b": (f"{len(issues)} issues raised or reviewed in the period; skills, energy and "
              "climate remain the ones that move.",
              "Context register up to date; no change to the scope needed."),
        "c1": (f"{len(feedback)} feedback items: {complaints} complaints and {compliments} "
               f"compliments. Latest satisfaction score {score}.",
               "Customers are satisfied overall; complaints are about deliveries and burrs."),
        "c2": (f"{plural(len(objectives), 'objective')}, each reviewed against its KPIs."
               if objectives else "No quality objectives were set in the period.",
               "Objectives still fit the policy; keep them for next year."),
        "c3": (f"{len(ncs)} nonconformities against the processes; the most against "
               f"{process_names.get(worst, 'none')}.",
               "Processes deliver; production needs the tool-life work to finish."),
        "c4": (f"{plural(len(ncs), 'nonconformity', 'nonconformities')} raised, {closed} "
               "closed." + (" Repeat causes were checked at each closure." if closed else ""),
               "Corrective action works but closes too slowly."),
        "c5": (f"{len(readings)} KPI readings in the period; {failing} below the failure "
               "threshold, each with a comment and an action.",
               "Monitoring is in place; calibration must stay on time."),
        "c6": audited,
        "c7": (f"{len(evaluations)} supplier evaluations. Laser cutting is the weak point.",
               "Second laser source to be qualified; others perform well."),
        "d": (f"{plural(len(requests), 'resource request')} decided in the period, "
              f"EUR {approved:,} approved.",
              "Resources partly adequate: 5-axis capacity and CMM skills are thin."),
        "e": ((f"{len(risk_done)} risks and opportunities had actions completed; most were "
               "judged effective.") if risk_done else
              "No action on a risk or an opportunity was completed in the period.",
              "Risk-based thinking works; review the open risks quarterly."),
        "f": (f"{opportunities} opportunities in the register and {suggestions} customer "
              "suggestions.", "Pursue tool monitoring and Nordic export first."),
    }
    codes = [spec.code for spec in review_inputs("2015")]
    return {code: notes[code] for code in codes}


def _finding_maker(s: Sample, audit: str, held: dt.date, process: str, clause: str,
                   question: str, outcome: str, notes: str, nc_spec: Any,
                   finding_action: Any, nonconformity: Callable[..., str],
                   position: int) -> Callable[[], None]:
    def make() -> None:
        nc = None
        if nc_spec is not None:
            title, status, (action_title, fate) = nc_spec
            raised = held + _days(1)
            nc = nonconformity(raised, "audit", process, "major" if outcome == "major"
                               else "minor", status, title, notes)
            s.action("nonconformity", nc, action_title, s.owners[process], raised, fate,
                     "Checked by the auditor at follow-up.")
            s.close_if_closed(nc)
        finding = s.add(Finding, s.at(held), audit=audit, clause=clause, question=question,
                        outcome=outcome, notes=notes, nonconformity=nc, position=position)
        if finding_action is not None:
            action_title, fate = finding_action
            s.action("finding", finding, action_title, s.owners[process], held + _days(2),
                     fate, "Verified at the next floor walk.")
    return make


def _readings(s: Sample, kpi: str, entered_by: str, first_period: dt.date, months: int,
              direction: str, warning: float, failure: float, begin: float, end: float,
              spread: float, decimals: int, failed: tuple[int, ...], missing: tuple[int, ...],
              percent: bool) -> None:
    rng = s.rng
    for month in range(months):
        if month in missing:
            continue
        period = _add_months(first_period, month)
        value = begin + (end - begin) * month / max(1, months - 1) + rng.gauss(0, spread)
        comment = ""
        if month in failed:
            margin = abs(failure - warning) * rng.uniform(0.2, 1.0) + 10 ** -decimals
            value = failure - margin if direction == "higher" else failure + margin
            comment = _choice(rng, FAILURE_COMMENTS)
        elif (direction == "higher" and value < failure) or (
                direction == "lower" and value > failure):
            value = failure + spread if direction == "higher" else failure - spread / 2
        value = max(0.0, min(100.0, value) if percent else value)
        value = round(value, decimals) if decimals else float(round(value))
        if month in failed and direction == "lower" and value <= failure:
            value = failure + 1
        entered = s.at(_add_months(period, 1) + _days(_rand(rng, 1, 6)))
        s.add(Reading, entered, kpi=kpi, period_start=period, value=value,
              entered_by=entered_by, comment=comment)


class _Fragments(dict[str, Any]):
    """Placeholder values drawn only when a template uses them."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> Any:
        if key == "n":
            value: Any = _rand(self.rng, 2, 4)
        elif key == "m":
            value = _rand(self.rng, 8, 15)
        else:
            value = _choice(self.rng, FRAGMENTS[key])
        self[key] = value
        return value


def _fill(rng: random.Random, template: str, fragments: _Fragments | None = None) -> str:
    """The template with its placeholders filled; pass `fragments` to share them."""
    text = template.format_map(fragments if fragments is not None else _Fragments(rng))
    return text[:1].upper() + text[1:]


def _large_fate(rng: random.Random, age_days: int) -> str:
    if age_days > 120:
        return rng.choices(("done", "late", "cancelled", "overdue", "moved"),
                           (94, 3, 1, 1.5, 0.5))[0]
    return rng.choices(("done", "overdue", "week", "open", "moved"), (35, 15, 10, 35, 5))[0]


def _spread(rng: random.Random, total: int, sources: list[Any]) -> list[Any]:
    """`total` picks from `sources`: each at least once where possible, the rest at random."""
    picks = (sources * (total // len(sources) + 1))[: min(total, len(sources))]
    picks += [_choice(rng, sources) for _ in range(total - len(picks))]
    return picks


def build_large(s: Sample) -> None:
    rng, today = s.rng, s.today
    first_period = _add_months(today, -120)
    founded = first_period - _days(20)
    emails = _build_core(s, founded)
    s.rows[Organisation][0]["review_interval_months"] = 3
    span = (today - founded).days
    sites = [row["id"] for row in s.rows[Site]]

    def some_day(after: int = 0, before: int = 1) -> dt.date:
        """A day between `after` days since founding and `before` days ago."""
        return founded + _days(_rand(rng, after, span - before))

    # People: the named firm plus 473 more.
    titles = [t for t, _r, _w in JOB_TITLES]
    weights = [w for _t, _r, w in JOB_TITLES]
    role_of = {t: r for t, r, _w in JOB_TITLES}
    staff = list(s.people.values())
    while len(staff) < 500:
        name = f"{_choice(rng, FIRST_NAMES)} {_choice(rng, SURNAMES)}"
        title = rng.choices(titles, weights)[0]
        joined = some_day(0, 30)
        left_on = None
        if rng.random() < 0.08:
            left_on = min(joined + _days(_rand(rng, 90, 2000)), today - _days(1))
        person = s.add(Person, s.at(joined), full_name=name, job_title=title,
                       site=_choice(rng, sites), email=_email(name, emails),
                       active=left_on is None, left_on=left_on)
        s.names[person] = name
        s.joined[person] = joined
        staff.append(person)
        if role_of[title]:
            s.add(PersonRole, s.at(joined), person=person, role=s.roles[role_of[title]])
    leaders = [s.people[k] for k in ("od", "qm", "ps", "eng", "mnt", "pur", "sal", "hr", "me")]
    leaders += rng.sample(staff[len(PEOPLE):], 40)
    auditors = [s.people[k] for k in ("qm", "qi1", "qi2", "me")]
    process_keys = [key for key, *_ in PROCESSES]
    _awareness(s, missing=set())
    context = list(_context(s, founded).items())
    _resources(s, founded, None, {})
    _documents(s, founded)
    _competence(s, founded)
    _checklists(s, founded)
    _suppliers(s, quarters=40)

    sources: dict[str, list[tuple[str, dt.date, str]]] = {
        name: [] for name in (*ACTION_TEMPLATES, "feedback")}

    # Risks and opportunities.
    for _ in range(2000):
        process, kind, title, description = _choice(rng, RISK_TEMPLATES)
        raised = some_day(0, 10)
        likelihood, impact = _rand(rng, 1, 5), _rand(rng, 1, 5)
        treated = kind == "risk" and rng.random() < 0.8
        owner = _choice(rng, leaders)
        fragments = _Fragments(rng)
        source, source_id = _choice(rng, context)
        link = {"source_issue" if source.startswith("issue") else "source_party": source_id}
        risk = s.add(
            Risk, s.at(raised), kind=kind, title=_fill(rng, title, fragments)[:200],
            description=_fill(rng, description, fragments), process=s.processes[process],
            owner=owner, likelihood=likelihood, impact=impact,
            treatment=TREATMENT_KEYS[_choice(rng, TREATMENTS)] if kind == "risk" else
            _choice(rng, ("pursue", "pursue", "defer", "decline")), **link,
            residual_likelihood=max(1, likelihood - _rand(rng, 0, 2)) if treated else None,
            residual_impact=max(1, impact - _rand(rng, 0, 1)) if treated else None,
            next_review_on=today + _days(_rand(rng, -60, 365)),
            effectiveness=VERDICT_KEYS[_choice(rng, VERDICTS)] if treated else "")
        sources["risk"].append((risk, raised, owner))

    # Objectives, each with one KPI and ten years of monthly readings.
    for index in range(200):
        (process, name, unit, direction, target, warning, failure, begin, end, spread,
         decimals, objective_title) = KPI_TEMPLATES[index % len(KPI_TEMPLATES)]
        fill = {"customer": _choice(rng, CUSTOMERS), "area": _choice(rng, AREAS),
                "machine": _choice(rng, MACHINES), "material": _choice(rng, MATERIALS)}
        set_on = some_day(0, 30)
        due_on = dt.date(set_on.year, 12, 31)
        if due_on < today:
            status = rng.choices(("achieved", "missed"), (7, 3))[0]
        else:
            status = _choice(rng, ("planned", "on_track", "on_track", "at_risk"))
        owner = _choice(rng, leaders)
        objective = s.add(
            Objective, s.at(set_on), title=objective_title.format(**fill),
            policy_commitment=_choice(rng, COMMITMENTS), process=s.processes[process],
            owner=owner, plan=_fill(rng, "Monthly review of results in the {area}; actions "
                                         "agreed with {customer}; training on the {machine}."),
            resources=f"Budget of EUR {_rand(rng, 2, 40) * 500:,}; team time as planned.",
            due_on=due_on, evaluation=f"Monthly {name.split(' –')[0].lower()} figure "
            "against the target.", status=status)
        sources["objective"].append((objective, set_on, owner))
        kpi = s.add(Kpi, s.at(founded), name=name.format(**fill), unit=unit,
                    direction=direction, target=target, warning_threshold=warning,
                    failure_threshold=failure, frequency="monthly", objective=objective,
                    process=s.processes[process], owner=owner)
        failed = tuple(m for m in range(120) if rng.random() < 0.02)
        _readings(s, kpi, s.names[owner], first_period, 120, direction, warning, failure,
                  begin, end, spread, decimals, failed, (), unit.startswith("%"))

    # Audits and findings: 190 done over the years, 10 planned; 10,000 findings.
    questions = [(p, q) for p in process_keys for q in AUDIT_QUESTIONS[p]]
    names = {key: name for key, name, *_ in PROCESSES}
    audit_ncs: list[tuple[dt.date, str, str, str, str]] = []
    findings_left = 10_000
    for index in range(200):
        process = process_keys[index % len(process_keys)]
        done = index < 190
        planned = (founded + _days(30 + (span - 60) * index // 190) if done
                   else today + _days(20 * (index - 189)))
        held = min(planned + _days(_rand(rng, 0, 5)), today - _days(1)) if done else None
        area = _choice(rng, AREAS)
        audit = s.add(Audit, s.at(min(planned, today) - _days(40)),
                      title=f"Internal audit: {names[process]} – {area}", planned_on=planned,
                      process=s.processes[process], clause=AUDIT_QUESTIONS[process][0][0],
                      auditor=_choice(rng, auditors), status="done" if done else "planned",
                      held_on=held)
        if not done or held is None:
            continue
        count = findings_left // (190 - index)
        findings_left -= count
        for _ in range(count):
            owner_process, (clause, question, note) = _choice(rng, questions)
            outcome = rng.choices(*zip(*OUTCOME_WEIGHTS, strict=True))[0]
            notes = note if outcome == "conforms" else _fill(
                rng, _choice(rng, FINDING_NOTES[outcome]))
            finding = s.add(Finding, s.at(held), audit=audit, clause=clause,
                            question=question, outcome=outcome, notes=notes,
                            nonconformity=None)
            if outcome in ("minor", "major"):
                audit_ncs.append((held + _days(1), outcome, owner_process, notes, finding))
            elif outcome in ("observation", "opportunity"):
                sources["finding"].append((finding, held, s.owners[owner_process]))

    # Nonconformities: those raised from audit findings, then the rest over ten years.
    findings = {row["id"]: row for row in s.rows[Finding]}
    plans: list[tuple[dt.date, str, str, str, str, str, str | None]] = []
    for raised, outcome, process, notes, finding in audit_ncs:
        plans.append((raised, "audit", process, "major" if outcome == "major" else "minor",
                      notes.split(";")[0].rstrip("."), notes, finding))
    while len(plans) < 5000:
        defect, process = _choice(rng, DEFECTS)
        source, found = _choice(rng, DETECTIONS)
        part, customer = _choice(rng, PARTS), _choice(rng, CUSTOMERS)
        lot = _choice(rng, (20, 40, 50, 100, 120, 200, 500))
        description = found.format(customer=customer, qty=_rand(rng, 1, lot // 4), lot=lot)
        plans.append((some_day(10, 1), source, process, rng.choices(
            ("minor", "major", "critical"), (85, 13, 2))[0], f"{defect} – {part}",
            f"{description} ({part}). {_choice(rng, CONTAINMENTS)}", None))
    plans.sort(key=lambda plan: plan[0])
    numbers: dict[int, int] = {}
    nc_rows: list[tuple[dict[str, Any], str, dt.date, str]] = []
    for raised, source, process, severity, title, description, from_finding in plans:
        numbers[raised.year] = numbers.get(raised.year, 0) + 1
        age = (today - raised).days
        status = ("closed" if rng.random() < 0.96 else "action") if age > 120 else _choice(
            rng, ("open", "action", "action", "closed"))
        nc = s.add(Nonconformity, s.at(raised), reference=f"NC-{raised.year}-"
                   f"{numbers[raised.year]:03d}", title=title[:200], description=description,
                   raised_on=raised, source=source, process=s.processes[process],
                   severity=severity, status=status, closed_on=None)
        nc_rows.append((s.rows[Nonconformity][-1], nc, raised, s.owners[process]))
        if from_finding is not None:
            findings[from_finding]["nonconformity"] = nc

    # Feedback: complaints that raised nonconformities, then the rest.
    for row, nc, raised, _owner in nc_rows:
        if row["source"] == "complaint":
            item = s.add(Feedback, s.at(raised), kind="complaint",
                         customer=_customer_in(row["description"]) or _choice(rng, CUSTOMERS),
                         received_on=raised, product=row["title"].split(" – ")[-1][:200],
                         severity=row["severity"], description=row["description"],
                         response=f"Corrective action under {row['reference']}.",
                         closed_on=min(raised + _days(_rand(rng, 3, 20)), today - _days(1)),
                         nonconformity=nc)
    kinds = (("complaint", MINOR_COMPLAINTS), ("compliment", COMPLIMENTS),
             ("suggestion", SUGGESTIONS))
    for index in range(2000):
        kind, texts = kinds[index % 3]
        received = some_day(0, 1)
        item = s.add(Feedback, s.at(received), kind=kind, customer=_choice(rng, CUSTOMERS),
                     received_on=received, severity="minor" if kind == "complaint" else "",
                     description=_choice(rng, texts).format(part=_choice(rng, PARTS)),
                     response="Answered by the sales team.",
                     closed_on=min(received + _days(_rand(rng, 1, 10)), today - _days(1)))
        if kind != "compliment":
            sources["feedback"].append((item, received, s.people["sal"]))
    for quarter_end in _quarter_ends(today, 40):
        s.add(SatisfactionResult, s.at(min(quarter_end + _days(15), s.latest.date())),
              period_start=_add_months(quarter_end + _days(1), -3),
              score=round(7.0 + rng.gauss(0.8, 0.4), 1), scale_max=10,
              responses=_rand(rng, 30, 80), method="Quarterly e-mail survey.")
    # Resource requests, decided mostly by top management.
    targets = ([("objective", o) for o, _d, _p in sources["objective"]]
               + [("risk", r) for r, _d, _p in sources["risk"][:300]])
    deciders = [s.people["md"]] * 6 + [s.people["od"]] * 3 + [s.people["qm"]]
    for _ in range(200):
        for_table, for_record = _choice(rng, targets)
        requested = some_day(0, 5)
        decision = rng.choices(("approved", "deferred", "rejected", "pending"),
                               (6, 2, 1, 1))[0] if (today - requested).days > 60 else "pending"
        by = _choice(rng, deciders) if decision != "pending" else None
        s.add(ResourceRequest, s.at(requested), title=_fill(rng, _choice(rng, (
            "Service contract for the {machine}", "Second {gauge}", "Training for a "
            "{skill}", "Safety stock of {material}"))), reason="See the linked record.",
              amount_minor=_rand(rng, 5, 400) * 10_000, currency="EUR", requested_on=requested,
              requested_by=s.people["qm"], decision=decision, decided_by=by,
              decided_on=requested + _days(_rand(rng, 3, 40)) if by else None,
              decision_note="Decided at the directors' meeting." if by else "",
              decided_by_top_management=by in (s.people["md"], s.people["od"]),
              **{for_table: for_record})

    # Management reviews: quarterly, each period following the last, the next one planned.
    decision_specs = [spec for _days_ago, specs in REVIEW_DECISIONS for spec in specs]
    start = _add_months(today, -3 * 39) - _days(1)
    for index in range(40):
        meeting = _add_months(today, 3 * (index - 38)) + _days(_rand(rng, 5, 20))
        status = "planned" if meeting >= today else "closed"
        closing = {}
        if status == "closed":
            closing = {"suitability": "Suitable.", "adequacy": "Adequate.",
                       "effectiveness": "Effective, with the actions agreed.",
                       "strategy_alignment": "Aligned with the business plan.",
                       "next_review_on": _add_months(meeting, 3),
                       "closed_at": s.at(meeting + _days(2)), "closed_by": s.people["md"],
                       "closed_by_top_management": True, "minute_taker": s.people["qm"],
                       "signed_title": "Managing Director",
                       "signature_meaning": SIGNATURE_MEANING}
        review = s.add(ManagementReview, s.at(min(meeting, today) - _days(30)),
                       meeting_on=meeting, period_start=start, period_end=meeting,
                       place=_choice(rng, ("Boardroom, Northbank Works",
                                         "Meeting room, Maynooth")),
                       chair=s.people["md"], status=status, **closing)
        start = meeting + _days(1)
        _attendance(s, review, min(meeting, today - _days(1)),
                    absent=_choice(rng, ("mnt", "eng", "pur", None)))
        if status != "closed":
            continue
        for code in (spec.code for spec in review_inputs("2015")):
            s.add(ReviewInput, s.at(meeting), review=review, code=code,
                  commentary="Reviewed from the pack.", conclusion="No change needed.")
        for kind, description, owner, due_days, _fate, _answers in rng.sample(
                decision_specs, 4):
            due = meeting + _days(due_days // 3)
            decision = s.add(ReviewDecision, s.at(meeting), review=review, kind=kind,
                             description=description, owner=s.people[owner], due_on=due)
            fate = "done" if due < today - _days(60) else _choice(
                rng, ("done", "overdue", "moved", "open"))
            if fate == "open" and due < today:
                fate = "overdue"
            s.row(ReviewDecision, decision)["action"] = _decision_action(
                s, decision, description, s.people[owner], meeting, due, fate)
        s.add(AdequacyStatement, s.at(meeting), period_start=s.row(
            ManagementReview, review)["period_start"], period_end=meeting,
              verdict=_choice(rng, ("adequate", "adequate", "partly")),
              reasons="Capacity on the 5-axis machines is tight.", stated_by=s.people["md"],
              stated_on=meeting)

    # 20,000 actions across the sources; nonconformities close after their last action.
    totals = {"nonconformity": 11_000, "finding": 1_500, "risk": 4_000, "objective": 3_100,
              "feedback": 400 - len(s.rows[Action])}  # after the review decisions' actions
    nc_done: dict[str, list[dt.date]] = {}
    closed: set[str] = set()
    for row, nc, raised, owner in nc_rows:
        sources["nonconformity"].append((nc, raised, owner))
        nc_done[nc] = []
        if row["status"] == "closed":
            closed.add(nc)
    for table, total in totals.items():
        for source_id, raised, owner in _spread(rng, total, sources[table]):
            age = (today - raised).days
            fate = _large_fate(rng, age)
            if table == "nonconformity" and fate not in ("done", "late", "cancelled") and (
                    source_id in closed or rng.random() < 0.5):
                fate = "done"
            title = _fill(rng, _choice(rng, ACTION_TEMPLATES.get(table, (
                "Reply to the customer and agree the change",))))
            s.action(table, source_id, title,
                     owner if rng.random() < 0.7 else _choice(rng, leaders), raised, fate,
                     "Checked and signed off." if fate in ("done", "late") else "")
            done_on = s.rows[Action][-1]["done_on"]
            if table == "nonconformity" and done_on is not None:
                nc_done[source_id].append(done_on)
    qm, reporters = s.people["qm"], [s.people[k] for k in ("qm", "qi1", "qi2", "ps", "gin")]
    for row, nc, raised, _owner in nc_rows:
        row["correction"] = _choice(rng, CORRECTIONS)
        row["containment"] = _choice(rng, CONTAINMENTS_SMALL)
        row["reported_by"] = _choice(rng, reporters)
        if row["status"] == "closed":
            last = max(nc_done[nc], default=raised + _days(20))
            row["closed_on"] = min(last + _days(_rand(rng, 2, 12)), today - _days(1))
        chain = LARGE_CHAINS.get(row["title"].split(" – ")[0])
        if chain is None or row["status"] == "open":
            continue
        answers, category, root = WHY_CHAINS[chain]
        when = s.at(min(raised + _days(3), today - _days(1)))
        for position, answer in enumerate(answers, start=1):
            s.add(WhyStep, when, nonconformity=nc, position=position, answer=answer)
        s.add(FishboneCause, when, nonconformity=nc, category=category, cause=root,
              is_root=True)
        row["root_cause"] = root
        if row["status"] == "closed":
            s.add(EffectivenessReview, s.at(row["closed_on"]), nonconformity=nc,
                  reviewed_on=row["closed_on"], verdict="effective", reviewed_by=qm,
                  notes="No repeat in the batches checked since.")
