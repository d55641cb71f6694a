"""The first steps of a new quality system, in the order an auditor looks at them.

Each step is ticked from the records themselves, never from a flag the user sets: adding the
people ticks the first one, approving the policy and collecting acknowledgements the second,
and so on. The overview lists the steps until every one is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from qms_desktop import context, organisation, policy, raci, responsibilities
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    Audit,
    ContextIssue,
    InterestedParty,
    Kpi,
    ManagementReview,
    Objective,
    PersonRole,
    Process,
    Risk,
    Role,
    is_live,
)


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    why: str  # one line on why it matters
    screen: str  # the sidebar entry that does it
    done: bool
    left: str  # what is still missing, in words; "" once done


def _names(items: list[str], most: int = 3) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def _people_and_roles() -> Step:
    title = "Add your people and give each a role"
    why = ("Every record names who does what; top management must be named for the policy "
           "and the review.")
    people = list(organisation.active_people())
    with_role = {link.person_id for link in PersonRole.select(PersonRole.person).join(Role)
                 .where(is_live(PersonRole, Role))}
    top = policy.top_management_ids()
    top_active = [p for p in people if p.id in top]
    without_role = [p.full_name for p in people if p.id not in with_role]
    screen = "people"
    if not top_active and not Role.live().where(Role.is_top_management == True).exists():  # noqa: E712
        screen = "roles"
        left = "No role is marked top management: tick Top management on the owner's role."
    elif not top_active:
        left = "Nobody holds a top-management role: tick it for the owner on People."
    elif len(people) < 2:
        left = "Only you are recorded: add the people who work with you."
    elif without_role:
        left = f"Give a role to {_names(without_role)}."
    else:
        left = ""
    return Step("people", title, why, screen, not left, left)


def _policy() -> Step:
    title = "Approve the quality policy and have everyone acknowledge it"
    why = "The policy states what the organisation commits to; people must know it."
    version = policy.in_force()
    if version is None:
        left = "Write the policy and approve it."
    elif missing := policy.not_acknowledged(version):
        who = "person has" if len(missing) == 1 else "people have"
        left = f"Record who has read it: {len(missing)} {who} not acknowledged it yet."
    else:
        left = ""
    return Step("policy", title, why, "policy", not left, left)


def _duties() -> Step:
    title = "Give the five quality duties to people or roles"
    why = "Someone must answer for keeping the system working and reporting on it."
    statuses = responsibilities.duty_statuses()
    open_ = [s for s in statuses if s.is_gap]
    if len(open_) == len(statuses):
        left = "Nobody holds any of them yet: give each to a person or a role."
    elif open_:
        left = (f"{len(open_)} of the {len(statuses)} still need someone, or the date they "
                "were told.")
    else:
        left = ""
    return Step("duties", title, why, "responsibilities", not left, left)


def _row_names(broken: dict[str, list[str]]) -> list[str]:
    return [p.name for p in Process.live().where(Process.id.in_(list(broken)))
            .order_by(Process.name)]


def _processes() -> Step:
    title = "List your processes, with an owner and who does what (RACI)"
    why = "The system is built from processes; each needs someone who answers for it."
    processes = list(Process.live().where(Process.is_activity == False))  # noqa: E712
    screen = "processes"
    if not processes:
        left = "Add the main processes of your work (sales, production, purchasing…)."
    elif ownerless := [p.name for p in processes if p.owner_id is None]:
        left = f"Give an owner to {_names(ownerless)}."
    elif broken := raci.problems():
        screen = "responsibilities"
        left = (f"On the RACI matrix tab, give {_names(_row_names(broken))} one A (who "
                "answers for it) and at least one R (who does the work).")
    else:
        left = ""
    return Step("processes", title, why, screen, not left, left)


def _context() -> Step:
    title = "Record your context, interested parties and scope"
    why = "What affects you, who expects what of you, and what the system covers."
    scope_doc = context.scope_document(create=False)
    screen = "issues"
    if not ContextIssue.live().exists():
        left = "Record the internal and external issues that affect you."
    elif context.climate_decision() is None:
        left = "Decide whether climate change is a relevant issue for you."
    elif not InterestedParty.live().exists():
        screen, left = "parties", "Record your interested parties and what they expect."
    elif scope_doc is None or policy.in_force(scope_doc) is None:
        screen, left = "scope", "Write the scope and approve it."
    else:
        left = ""
    return Step("context", title, why, screen, not left, left)


def _risks() -> Step:
    title = "Record risks and opportunities, and rate them"
    why = "Planning starts from what could go wrong and what could go better."
    kinds = {risk.kind for risk in Risk.live(Risk.kind).where(
        Risk.likelihood.is_null(False) & Risk.impact.is_null(False))}
    missing = [word for kind, word in (("risk", "a risk"), ("opportunity", "an opportunity"))
               if kind not in kinds]
    left = f"Record and rate {' and '.join(missing)}." if missing else ""
    return Step("risks", title, why, "risks", not left, left)


def _objectives() -> Step:
    title = "Set quality objectives and the KPIs that measure them"
    why = "Objectives turn the policy into targets; KPIs show whether they are met."
    if not Objective.live().exists():
        left = "Set at least one quality objective."
    elif not Kpi.live().where(Kpi.objective.is_null(False) & Kpi.target.is_null(False)).exists():
        left = "Give an objective a KPI with a target."
    else:
        left = ""
    return Step("objectives", title, why, "objectives", not left, left)


def _audit() -> Step:
    title = "Hold an internal audit"
    why = "An audit of your own shows whether the system works as written."
    done = Audit.live().where(Audit.status == "done").exists()
    planned = Audit.live().where(Audit.status.in_(("planned", "in_progress"))).exists()
    left = "" if done else (
        "Run the audit you planned, answer its questions, then Complete audit…" if planned
        else "Plan an internal audit (Plan audit…), then run it with its checklist.")
    return Step("audit", title, why, "audits", not left, left)


def _review() -> Step:
    title = "Hold the first management review"
    why = "Top management looks at the results and decides what to change; the pack is the record."
    states = {review.status for review in ManagementReview.live(ManagementReview.status)}
    if states & {"held", "closed"}:
        left = ""
    elif "planned" in states:
        left = ("Send the draft pack (Export PDF… on the review), hold the meeting, record "
                "its decisions and mark it held.")
    else:
        left = "Plan the review; its draft pack gathers everything above."
    return Step("review", title, why, "reviews", not left, left)


@strict_arguments
def steps() -> list[Step]:
    """The steps in order, each ticked from the records."""
    return [_people_and_roles(), _policy(), _duties(), _processes(), _context(), _risks(),
            _objectives(), _audit(), _review()]
