"""Internal audits (9.2): the programme, checklists on site, findings and what they raise.

An audit is planned, then held: a checklist template is copied into it as one unanswered
finding per question ("" outcome), the auditor answers each, and the audit completes only
when every question has an answer. A minor or major finding raises a nonconformity in one
step, with the audit's process and the finding linked to it.

Impartiality: an auditor should not audit their own work. Planning warns, without refusing,
when the auditor owns the audited process or holds a role that is Responsible or Accountable
for it in the RACI matrix; small businesses sometimes have nobody else, and the warning is
what they need to decide and record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from qms_desktop import clock, nonconformities, records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import check_fields, strict_arguments
from qms_desktop.models import (
    FINDING_OUTCOMES,
    Audit,
    ChecklistQuestion,
    ChecklistTemplate,
    Finding,
    Nonconformity,
    Person,
    PersonRole,
    Process,
    RaciCell,
    database,
    is_live,
)

PLANNED, IN_PROGRESS, DONE, CANCELLED = "planned", "in_progress", "done", "cancelled"
UNANSWERED = ""
OUTCOME_LABELS = {UNANSWERED: "Not answered", **dict(FINDING_OUTCOMES)}
NONCONFORMING = ("minor", "major")
NEEDS_NOTES = ("minor", "major", "observation", "opportunity")
NC_TITLE_LENGTH = 120


@dataclass(frozen=True)
class AuditPlan:
    """A planned or changed audit, with warnings the user should see (impartiality)."""

    audit: Audit
    warnings: list[str] = field(default_factory=list)


def _problems(values: dict[str, Any]) -> dict[str, str]:
    problems = {}
    if "title" in values and not (values["title"] or "").strip():
        problems["title"] = "Give the audit a title."
    if "planned_on" in values and values["planned_on"] is None:
        problems["planned_on"] = "Give the planned date."
    return problems


def _warnings(audit: Audit) -> list[str]:
    problem = impartiality_problem(audit)
    return [problem] if problem else []


@strict_arguments
def plan_audit(
    title: str,
    planned_on: dt.date | None,  # None is refused with the form's other problems
    process: Process | None = None,
    clause: str = "",
    auditor: Person | None = None,
    scope: str = "",
    criteria: str = "",
) -> AuditPlan:
    values = {"title": title, "planned_on": planned_on}
    problems = _problems(values)
    if problems:
        raise ValidationError(problems)
    audit = records.create(
        Audit,
        title=title.strip(),
        planned_on=planned_on,
        process=process,
        clause=clause.strip(),
        auditor=auditor,
        scope=scope.strip(),
        criteria=criteria.strip(),
    )
    return AuditPlan(audit, _warnings(audit))


@strict_arguments
def update_audit(audit: Audit, **values: Any) -> AuditPlan:
    """Change the plan; warns (does not refuse) when the auditor is not impartial."""
    for name in ("status", "held_on", "summary"):
        if name in values:
            raise ValidationError({name: f"Set {name} through start() or complete_audit()."})
    values = check_fields(Audit, values)  # the types, before _problems compares them
    problems = _problems(values)
    if problems:
        raise ValidationError(problems)
    records.update(audit, **values)
    return AuditPlan(audit, _warnings(audit))


@strict_arguments
def impartiality_problem(audit: Audit) -> str | None:
    """Why the auditor may be auditing their own work; None when nothing is known against it."""
    auditor, process = audit.auditor, audit.process
    if auditor is None or process is None:
        return None
    if process.owner_id == auditor.id:
        return (f"{auditor.display_name()} owns the process {process.display_name()} and would "
                "audit their own work. Choose an auditor from outside the process, or record "
                "why no one else can do it.")
    letters = (
        RaciCell.select(RaciCell.letter)
        .join(PersonRole, on=(PersonRole.role == RaciCell.role))
        .where(
            (RaciCell.process == process) & is_live(RaciCell)
            & (PersonRole.person == auditor) & is_live(PersonRole)
            & RaciCell.letter.in_(("R", "A"))
        )
    )
    found = sorted({cell.letter for cell in letters})
    if found:
        what = " and ".join({"R": "responsible", "A": "accountable"}[x] for x in found)
        return (f"{auditor.display_name()} holds a role {what} for {process.display_name()} "
                "and would audit their own work. Choose an auditor from outside the process, "
                "or record why no one else can do it.")
    return None


@strict_arguments
def programme(year: int) -> list[Audit]:
    """The audits planned in `year`, in date order (cancelled ones included, marked so)."""
    return list(
        Audit.live()
        .where(
            (Audit.planned_on >= dt.date(year, 1, 1)) & (Audit.planned_on <= dt.date(year, 12, 31))
        )
        .order_by(Audit.planned_on, Audit.title)
    )


@strict_arguments
def uncovered_clauses(year: int) -> list[str]:
    """Top-level clauses 4 to 10 that no audit of `year` (not cancelled) is planned against."""
    covered = {
        a.clause.split(".")[0].strip() for a in programme(year)
        if a.status != CANCELLED and a.clause
    }
    return [str(n) for n in range(4, 11) if str(n) not in covered]


@strict_arguments
def cancel_audit(audit: Audit) -> Audit:
    if audit.status == DONE:
        raise ValidationError({"status": "A completed audit cannot be cancelled."})
    return records.update(audit, status=CANCELLED)


# --- Checklists and answers --------------------------------------------------------------------


@strict_arguments
def findings(audit: Audit) -> list[Finding]:
    return list(
        Finding.live()
        .where(Finding.audit == audit)
        .order_by(Finding.position, Finding.created_at)
    )


def _require_open(audit: Audit) -> None:
    # The stored status decides: `audit` may be a stale copy (such as a finding's cached one).
    stored = Audit.select(Audit.status).where(Audit.id == audit.id).scalar()
    if stored is not None:
        audit.status = stored
    if audit.status in (DONE, CANCELLED):
        state = "completed" if audit.status == DONE else "cancelled"
        raise ValidationError({"status": f"The audit is {state}; its checklist is closed."})


@strict_arguments
def copy_template_into_audit(template: ChecklistTemplate, audit: Audit) -> list[Finding]:
    """One unanswered finding per question, after those already there; a question already in
    the audit is not copied twice. Returns the findings created."""
    _require_open(audit)
    questions = list(
        ChecklistQuestion.live()
        .where(ChecklistQuestion.template == template)
        .order_by(ChecklistQuestion.position)
    )
    if not questions:
        raise ValidationError({"template": f"{template.name} has no questions."})
    present = findings(audit)
    asked = {(f.clause, f.question) for f in present}
    position = max((f.position for f in present), default=0)
    created = []
    with database.atomic():
        for question in questions:
            clause = question.clause or template.clause
            if (clause, question.question) in asked:
                continue
            position += 1
            created.append(records.create(
                Finding,
                audit=audit,
                position=position,
                clause=clause,
                question=question.question,
                guidance=question.guidance,
                outcome=UNANSWERED,
            ))
    return created


@strict_arguments
def add_question(audit: Audit, question: str, clause: str = "", guidance: str = "") -> Finding:
    """A question of the auditor's own, asked on the day."""
    _require_open(audit)
    if not (question or "").strip():
        raise ValidationError({"question": "Write the question."})
    position = max((f.position for f in findings(audit)), default=0) + 1
    return records.create(Finding, audit=audit, position=position, clause=clause.strip(),
                          question=question.strip(), guidance=guidance.strip(),
                          outcome=UNANSWERED)


@strict_arguments
def start(audit: Audit) -> Audit:
    _require_open(audit)
    if audit.status == PLANNED:
        records.update(audit, status=IN_PROGRESS)
    return audit


@strict_arguments
def answer(finding: Finding, outcome: str, notes: str = "", answered_by: str = "",
           answered_at: dt.datetime | None = None) -> Finding:
    """Record the answer; anything but "conforms" or "not applicable" needs notes.

    Who answered and when default to the current user and now; an answer given on site
    (audit_kit.py) brings its own.
    """
    audit = Audit.get_by_id(finding.audit_id)
    _require_open(audit)
    if outcome not in dict(FINDING_OUTCOMES):
        raise ValidationError({"outcome": "Choose an outcome: "
                                          + ", ".join(dict(FINDING_OUTCOMES).values())})
    if outcome in NEEDS_NOTES and not (notes or "").strip():
        raise ValidationError(
            {"notes": f"Write down what was seen for {_with_article(OUTCOME_LABELS[outcome])}."}
        )
    with database.atomic():
        start(audit)
        notes = (notes or "").strip()
        if (finding.outcome, finding.notes) == (outcome, notes):
            return finding  # the same answer again: who answered and when stay as they were
        records.update(finding, outcome=outcome, notes=notes,
                       answered_by=answered_by.strip() or records.current_user(),
                       answered_at=answered_at or clock.utc_now())
    return finding


def _with_article(label: str) -> str:
    """"a minor nonconformity", "an observation"."""
    word = label.lower()
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


@strict_arguments
def unanswered(audit: Audit) -> list[Finding]:
    return [f for f in findings(audit) if f.outcome == UNANSWERED]


@strict_arguments
def complete_audit(audit: Audit, held_on: dt.date, summary: str,
                   today: dt.date | None = None) -> Audit:
    _require_open(audit)
    today = today or clock.today()
    problems = {}
    waiting = unanswered(audit)
    if waiting:
        first = ", ".join(f"Q{f.position}" for f in waiting[:5])
        more = " ..." if len(waiting) > 5 else ""
        problems["findings"] = (f"{len(waiting)} question{'s' if len(waiting) != 1 else ''} "
                                f"not answered yet ({first}{more}).")
    if held_on is None:
        problems["held_on"] = "Give the date the audit was held."
    elif held_on > today:
        problems["held_on"] = "The audit date cannot be in the future."
    if not (summary or "").strip():
        problems["summary"] = "Summarise the results for the managers concerned."
    if problems:
        raise ValidationError(problems)
    return records.update(audit, status=DONE, held_on=held_on, summary=summary.strip())


@strict_arguments
def results(audit: Audit) -> dict[str, int]:
    """How many findings per outcome, every outcome present; "" counts the unanswered."""
    counts = Counter(f.outcome for f in findings(audit))
    return {key: counts[key] for key in OUTCOME_LABELS}


# --- From a finding to a nonconformity ----------------------------------------------------------


@strict_arguments
def raise_nonconformity(finding: Finding, raised_on: dt.date | None = None,
                        today: dt.date | None = None) -> Nonconformity:
    """One step: a minor or major finding becomes a nonconformity linked to it."""
    if finding.outcome not in NONCONFORMING:
        outcome = OUTCOME_LABELS.get(finding.outcome, finding.outcome).lower()
        raise ValidationError(
            {"outcome": "Only a minor or major nonconformity raises a nonconformity; this "
                        f"finding is {outcome}."}
        )
    linked = Finding.select(Finding.nonconformity).where(Finding.id == finding.id).scalar()
    if linked is not None:
        finding.nonconformity = linked
    if (raised := finding.nonconformity) is not None:
        raise ValidationError(
            {"nonconformity": f"This finding already raised {raised.reference}."}
        )
    audit = Audit.get_by_id(finding.audit_id)
    today = today or clock.today()
    clause = f"{finding.clause} " if finding.clause else ""
    what = finding.notes or finding.question
    title = f"Audit {clause}: {what}".replace(" :", ":").strip().splitlines()[0]
    if len(title) > NC_TITLE_LENGTH:
        title = title[: NC_TITLE_LENGTH - 1].rstrip() + "…"
    description = "\n".join(
        line for line in (
            f"Found in the audit \"{audit.title}\".",
            f"Question: {finding.question}" if finding.question else "",
            f"What was seen: {finding.notes}" if finding.notes else "",
        ) if line
    )
    with database.atomic():
        nc = nonconformities.create_nonconformity(
            title=title,
            raised_on=raised_on or audit.held_on or today,
            source="audit",
            description=description,
            process=audit.process,
            severity=finding.outcome,
            reported_by=audit.auditor,
            today=today,
        )
        records.update(finding, nonconformity=nc)
    return nc
