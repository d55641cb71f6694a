"""Nonconformities and corrective action (10.2): react, find the cause, act, check it worked.

Each nonconformity gets a reference "NC-YYYY-NNN" when it is raised: the next free number in
the year it was raised, never reused (archived ones keep theirs). Root cause analysis has two
tools: an ordered 5-whys chain and a fishbone of causes by category. Actions live in the one
tracker (`actions`), raised with the nonconformity as their source.

Closing follows the standard's loop: a nonconformity closes when every action raised from it
is done or cancelled and its latest effectiveness review says the actions worked. Otherwise
it can still be closed, but only with a reason, which is kept in `closure_reason`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from qms_desktop import actions, clock, records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import check_fields, strict_arguments
from qms_desktop.models import (
    EFFECTIVENESS_VERDICTS,
    FISHBONE_CATEGORIES,
    NC_SOURCES,
    SEVERITIES,
    Action,
    EffectivenessReview,
    FishboneCause,
    Nonconformity,
    Person,
    Process,
    WhyStep,
    database,
    is_live,
)

MAX_WHYS = 7
OPEN, ACTION, CLOSED = "open", "action", "closed"
SOURCE_LABELS = dict(NC_SOURCES)
CATEGORY_LABELS = dict(FISHBONE_CATEGORIES)
REFERENCE_PREFIX = "NC"
NO_PROCESS = "No process"

# Words too common to say two root causes are alike.
_STOP_TEXT = """
    about after again against because been before being between both could does doing down
    during each from further have having here into itself just more most other over same
    should some such than that their them then there these they this those through under
    until very were what when where which while will with would your once only whom yours
    onto also every never always without within people thing things
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())


# --- Reference numbers -------------------------------------------------------------------------


@strict_arguments
def next_reference(year: int) -> str:
    """The next free "NC-YYYY-NNN" in `year`, counting archived ones so none is reused."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    taken = (
        Nonconformity.select(Nonconformity.reference)
        .where(Nonconformity.reference.startswith(prefix))
    )
    highest = 0
    for row in taken:
        tail = row.reference[len(prefix):]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{prefix}{highest + 1:03d}"


# --- Raising and editing -----------------------------------------------------------------------


def _problems(values: dict[str, Any], today: dt.date) -> dict[str, str]:
    problems = {}
    if "title" in values and not (values["title"] or "").strip():
        problems["title"] = "Give the nonconformity a short title."
    if "raised_on" in values:
        raised_on = values["raised_on"]
        if raised_on is None:
            problems["raised_on"] = "Give the date it was raised."
        elif raised_on > today:
            problems["raised_on"] = "The date it was raised cannot be in the future."
    if "source" in values and values["source"] not in SOURCE_LABELS:
        problems["source"] = "Choose where it came from: " + ", ".join(SOURCE_LABELS.values())
    if "severity" in values and values["severity"] not in dict(SEVERITIES):
        problems["severity"] = "Choose minor, major or critical."
    return problems


@strict_arguments
def create_nonconformity(
    title: str,
    raised_on: dt.date,
    source: str = "internal",
    *,
    description: str = "",
    process: Process | None = None,
    severity: str = "minor",
    reported_by: Person | None = None,
    correction: str = "",
    containment: str = "",
    today: dt.date | None = None,
) -> Nonconformity:
    values = {"title": title, "raised_on": raised_on, "source": source, "severity": severity}
    problems = _problems(values, today or clock.today())
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        return records.create(
            Nonconformity,
            reference=next_reference(raised_on.year),
            title=title.strip(),
            description=description.strip(),
            raised_on=raised_on,
            source=source,
            process=process,
            severity=severity,
            reported_by=reported_by,
            correction=correction.strip(),
            containment=containment.strip(),
        )


@strict_arguments
def update_nonconformity(nc: Nonconformity, today: dt.date | None = None,
                         **values: Any) -> Nonconformity:
    """Change fields with the same checks as raising; the reference never changes."""
    if "reference" in values and values["reference"] != nc.reference:
        raise ValidationError({"reference": "The reference is given once and never changes."})
    for name in ("status", "closed_on", "closure_reason"):
        if name in values:
            raise ValidationError({name: f"Set {name} through close() or reopen()."})
    values = check_fields(Nonconformity, values)  # the types, before _problems compares them
    problems = _problems(values, today or clock.today())
    if problems:
        raise ValidationError(problems)
    return records.update(nc, **values)


@strict_arguments
def raise_action(nc: Nonconformity, title: str, owner: Person | None,
                 due_on: dt.date | None) -> Action:
    """A corrective action in the one tracker; the nonconformity shows "action under way"."""
    if nc.status == CLOSED:
        raise ValidationError({"status": f"{nc.reference} is closed; reopen it first."})
    with database.atomic():
        action = actions.raise_action(nc, title, owner, due_on)
        if nc.status == OPEN:
            records.update(nc, status=ACTION)
    return action


# --- 5 whys ------------------------------------------------------------------------------------


@strict_arguments
def why_chain(nc: Nonconformity) -> list[WhyStep]:
    return list(
        WhyStep.live()
        .where(WhyStep.nonconformity == nc)
        .order_by(WhyStep.position)
    )


@strict_arguments
def set_why_chain(nc: Nonconformity, answers: list[str],
                  read: list[WhyStep] | None = None) -> list[WhyStep]:
    """Replace the chain with `answers` in order (why 1 first); an empty list clears it.

    `read` is the chain as the form showed it (`why_chain`, with its row versions); None:
    the chain as stored now. A step this save changes or removes that someone changed
    since, or a step someone added that this save would write over (or leave out of
    order), refuses the whole save with RecordChanged and nothing written. Steps they
    changed that this save leaves as read keep their version.
    """
    cleaned = [(a or "").strip() for a in answers]
    empty = [str(i) for i, a in enumerate(cleaned, start=1) if not a]
    if empty:
        raise ValidationError(
            {"answers": f"Why {', '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty; "
                        "answer each why or remove it."}
        )
    if len(cleaned) > MAX_WHYS:
        raise ValidationError(
            {"answers": f"{len(cleaned)} whys is more than {MAX_WHYS}; a chain that long "
                        "usually mixes several causes. Split it or use the fishbone."}
        )
    with database.atomic():
        # Copies: a refused save must not leave the form's steps at versions never stored.
        shown = {s.position: _copy(s) for s in read} if read is not None else None
        written = [s for p, s in (shown or {}).items()
                   if p > len(cleaned) or s.answer != cleaned[p - 1]]
        records.refuse_if_changed(written)  # first: on a server it takes the writers' turn
        # Rows are unique per (nonconformity, position), archived ones included: reuse them.
        existing = {s.position: s for s in WhyStep.select().where(WhyStep.nonconformity == nc)}
        if shown is None:
            shown = {p: s for p, s in existing.items() if s.archived_at is None}
        reshaped = len(cleaned) != len(shown)
        for position, step in existing.items():
            if step.archived_at is None and position not in shown and (
                    reshaped or position <= len(cleaned)):
                raise records.refusal_for(step)
        for position, answer in enumerate(cleaned, start=1):
            found = shown.get(position) or existing.get(position)
            if found is None:
                records.create(WhyStep, nonconformity=nc, position=position, answer=answer)
                continue
            if found.archived_at is not None:
                records.unarchive(found)
            records.update(found, answer=answer)
        for position, step in shown.items():
            if position > len(cleaned):
                records.archive(step)
    return why_chain(nc)


def _copy(step: WhyStep) -> WhyStep:
    copy = WhyStep()
    copy.__data__ = dict(step.__data__)
    return copy


# --- Fishbone ---------------------------------------------------------------------------------


@strict_arguments
def add_cause(nc: Nonconformity, category: str, cause: str,
              is_root: bool = False) -> FishboneCause:
    problems = {}
    if category not in CATEGORY_LABELS:
        problems["category"] = "Choose a category: " + ", ".join(CATEGORY_LABELS.values())
    if not (cause or "").strip():
        problems["cause"] = "Describe the cause."
    if problems:
        raise ValidationError(problems)
    return records.create(FishboneCause, nonconformity=nc, category=category,
                          cause=cause.strip(), is_root=is_root)


@strict_arguments
def fishbone(nc: Nonconformity) -> dict[str, list[FishboneCause]]:
    """Causes grouped by category, every category present (in the diagram's order)."""
    grouped: dict[str, list[FishboneCause]] = {key: [] for key, _ in FISHBONE_CATEGORIES}
    query = (
        FishboneCause.live()
        .where(FishboneCause.nonconformity == nc)
        .order_by(FishboneCause.created_at, FishboneCause.id)
    )
    for cause in query:
        grouped.setdefault(cause.category, []).append(cause)
    return grouped


@strict_arguments
def set_root(cause: FishboneCause, is_root: bool) -> FishboneCause:
    return records.update(cause, is_root=is_root)


@strict_arguments
def toggle_root(cause: FishboneCause) -> FishboneCause:
    return set_root(cause, not cause.is_root)


@strict_arguments
def remove_cause(cause: FishboneCause) -> FishboneCause:
    return records.archive(cause)


@strict_arguments
def root_causes(nc: Nonconformity) -> list[str]:
    """What the analysis found: the stated root cause, root fishbone causes, the last why."""
    found = [nc.root_cause.strip()] if nc.root_cause.strip() else []
    found.extend(c.cause for group in fishbone(nc).values() for c in group if c.is_root)
    chain = why_chain(nc)
    if chain:
        found.append(chain[-1].answer)
    return found


# --- Similar cases ------------------------------------------------------------------------------


def _words(texts: list[str]) -> set[str]:
    words = set()
    for text in texts:
        for word in re.findall(r"[^\W\d_]+", text.lower()):
            if len(word) >= 4 and word not in _STOP_WORDS:
                words.add(word)
    return words


@dataclass(frozen=True)
class SimilarCase:
    nonconformity: Nonconformity
    reasons: list[str]


@strict_arguments
def similar(nc: Nonconformity) -> list[SimilarCase]:
    """Earlier nonconformities that may be the same problem again (10.2 "similar cases").

    An earlier one (raised on or before this one's date, not archived) counts as similar when
    it is on the same process, or its root causes (the root-cause text, root fishbone causes,
    last why) share a word of four letters or more, common words left out, with this one's
    root causes or title. A root cause in the same fishbone category is given as a further
    reason, never alone: with six categories it would match most earlier cases. Newest first.
    """
    my_roots = root_causes(nc)
    my_words = _words([*my_roots, nc.title])
    my_categories = {c.category for group in fishbone(nc).values() for c in group if c.is_root}
    candidates = (
        Nonconformity.select(Nonconformity, Process)
        .join(Process, JOIN.LEFT_OUTER, on=(Nonconformity.process == Process.id))
        .where(
            (Nonconformity.id != nc.id)
            & (Nonconformity.raised_on <= nc.raised_on)
            & is_live(Nonconformity)
        )
        .order_by(Nonconformity.raised_on.desc(), Nonconformity.reference.desc())
    )
    # Every earlier case's root causes in two queries rather than several per case.
    root_causes_of: dict[str, list[FishboneCause]] = defaultdict(list)
    for cause in (FishboneCause.live()
                  .where(FishboneCause.is_root)
                  .order_by(FishboneCause.created_at, FishboneCause.id)):
        root_causes_of[cause.nonconformity_id].append(cause)
    last_why: dict[str, str] = {}
    for step in (WhyStep.live(WhyStep.nonconformity, WhyStep.answer)
                 .order_by(WhyStep.position)):
        last_why[step.nonconformity_id] = step.answer
    found = []
    for other in candidates:
        reasons = []
        if nc.process_id is not None and other.process_id == nc.process_id:
            assert other.process is not None
            reasons.append(f"same process: {other.process.display_name()}")
        causes = root_causes_of.get(other.id, [])
        shared_categories = sorted(my_categories & {c.category for c in causes})
        if shared_categories:
            names = ", ".join(CATEGORY_LABELS.get(c, c) for c in shared_categories)
            reasons.append(f"root cause in the same category: {names}")
        other_roots = [other.root_cause, *(c.cause for c in causes), last_why.get(other.id, "")]
        shared_words = sorted(my_words & _words(other_roots))
        if shared_words:
            reasons.append("root cause mentions " + ", ".join(f"“{w}”" for w in shared_words))
        if reasons and not (len(reasons) == 1 and shared_categories):
            found.append(SimilarCase(other, reasons))
    return found


# --- Effectiveness and closing -------------------------------------------------------------------


@strict_arguments
def add_effectiveness_review(
    nc: Nonconformity,
    reviewed_on: dt.date,
    verdict: str,
    notes: str,
    by: Person | None = None,
    today: dt.date | None = None,
) -> EffectivenessReview:
    today = today or clock.today()
    problems = {}
    if verdict not in dict(EFFECTIVENESS_VERDICTS):
        problems["verdict"] = "Say whether the actions were effective or not."
    if reviewed_on is None:
        problems["reviewed_on"] = "Give the date of the review."
    elif reviewed_on > today:
        problems["reviewed_on"] = "The review date cannot be in the future."
    elif reviewed_on < nc.raised_on:
        problems["reviewed_on"] = "The review cannot be before the nonconformity was raised."
    if not (notes or "").strip():
        problems["notes"] = "Say what showed whether the actions worked."
    if problems:
        raise ValidationError(problems)
    return records.create(EffectivenessReview, nonconformity=nc, reviewed_on=reviewed_on,
                          verdict=verdict, notes=notes.strip(), reviewed_by=by)


@strict_arguments
def latest_effectiveness(nc: Nonconformity) -> EffectivenessReview | None:
    return (
        EffectivenessReview.live()
        .where(
            EffectivenessReview.nonconformity == nc
        )
        .order_by(EffectivenessReview.reviewed_on.desc(), EffectivenessReview.created_at.desc(),
                  EffectivenessReview.id.desc())
        .get_or_none()
    )


@strict_arguments
def closure_blockers(nc: Nonconformity) -> list[str]:
    """What still stands between this nonconformity and a normal close; empty when none."""
    blockers = []
    still_open = [a for a in actions.actions_for(nc) if a.status == actions.OPEN]
    if still_open:
        names = "; ".join(a.title for a in still_open[:3])
        more = f" and {len(still_open) - 3} more" if len(still_open) > 3 else ""
        count = "1 action is" if len(still_open) == 1 else f"{len(still_open)} actions are"
        blockers.append(f"{count} still open ({names}{more})")
    review = latest_effectiveness(nc)
    if review is None:
        blockers.append("effectiveness has not been reviewed")
    elif review.verdict != "effective":
        blockers.append(f"the latest effectiveness review ({review.reviewed_on}) found the "
                        "actions not effective")
    return blockers


@strict_arguments
def close(nc: Nonconformity, closed_on: dt.date, reason: str = "",
          today: dt.date | None = None) -> Nonconformity:
    today = today or clock.today()
    stored = Nonconformity.select(Nonconformity.status).where(Nonconformity.id == nc.id).scalar()
    if stored is not None:
        nc.status = stored
    if nc.status == CLOSED:
        raise ValidationError({"status": f"{nc.reference} is already closed."})
    if closed_on is None:
        raise ValidationError({"closed_on": "Give the closing date."})
    if closed_on > today:
        raise ValidationError({"closed_on": "The closing date cannot be in the future."})
    if closed_on < nc.raised_on:
        raise ValidationError({"closed_on": "It cannot close before it was raised."})
    reason = (reason or "").strip()
    blockers = closure_blockers(nc)
    if blockers and not reason:
        raise ValidationError(
            {"reason": f"{nc.reference} cannot be closed yet: " + "; ".join(blockers)
                       + ". Finish these first, or give a reason for closing it anyway."}
        )
    return records.update(nc, status=CLOSED, closed_on=closed_on, closure_reason=reason)


@strict_arguments
def reopen(nc: Nonconformity) -> Nonconformity:
    if nc.status != CLOSED:
        raise ValidationError({"status": f"{nc.reference} is not closed."})
    status = ACTION if actions.actions_for(nc) else OPEN
    return records.update(nc, status=status, closed_on=None, closure_reason="")


# --- Trends for the review (input c4) ------------------------------------------------------------


def _in_period(start: dt.date, end: dt.date) -> Any:
    return (
        (Nonconformity.raised_on >= start)
        & (Nonconformity.raised_on <= end)
        & is_live(Nonconformity)
    )


def _month(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


@strict_arguments
def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month from start's month to end's month, both included."""
    months, current = [], _month(start)
    while current <= end:
        months.append(current)
        current = dt.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


@dataclass(frozen=True)
class MonthCount:
    month: dt.date
    raised: int
    closed: int


@strict_arguments
def trend_by_month(start: dt.date, end: dt.date) -> list[MonthCount]:
    """Raised and closed per month; every month in the range appears, zeros included."""
    raised = Counter(
        _month(nc.raised_on) for nc in Nonconformity.select(Nonconformity.raised_on)
        .where(_in_period(start, end))
    )
    closed = Counter(
        _month(nc.closed_on) for nc in Nonconformity.live(Nonconformity.closed_on)
        .where(
            (Nonconformity.closed_on >= start) & (Nonconformity.closed_on <= end)
        )
        if nc.closed_on is not None  # always, by the query; says so to the type checker
    )
    return [MonthCount(m, raised[m], closed[m]) for m in months_between(start, end)]


@strict_arguments
def counts_by_process(start: dt.date, end: dt.date) -> dict[str, int]:
    """Nonconformities raised per process name, most first; those without one under NO_PROCESS."""
    counts: Counter[str] = Counter()
    for nc in Nonconformity.select().where(_in_period(start, end)):
        counts[nc.process.display_name() if nc.process is not None else NO_PROCESS] += 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@strict_arguments
def counts_by_source(start: dt.date, end: dt.date) -> dict[str, int]:
    """Nonconformities raised per source key, every source present, in NC_SOURCES order."""
    counts = Counter(
        nc.source for nc in Nonconformity.select(Nonconformity.source)
        .where(_in_period(start, end))
    )
    return {key: counts[key] for key, _ in NC_SOURCES}


@strict_arguments
def open_nonconformities() -> list[Nonconformity]:
    return list(
        Nonconformity.live()
        .where(Nonconformity.status != CLOSED)
        .order_by(Nonconformity.raised_on, Nonconformity.reference)
    )
