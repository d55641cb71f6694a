"""Management reviews (9.3): plan, hold, decide, close and freeze.

A review is planned, then held (minutes written), then closed. Closing freezes it: the
assembled inputs are stored as a snapshot with the final pack and its SHA-256, and nothing
about the review can change afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from qms_desktop import clock, formatting, history_chain, records, review_flags
from qms_desktop.clauses import REVIEW_INPUTS, review_inputs
from qms_desktop.dates import add_months
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import (
    DECISION_KINDS,
    Action,
    ManagementReview,
    Organisation,
    Person,
    PersonRole,
    Record,
    ReviewAttendance,
    ReviewDecision,
    ReviewInput,
    ReviewPack,
    Role,
    database,
    is_live,
    utc_now,
)
from qms_desktop.policy import holds_top_management, is_top_management

if TYPE_CHECKING:
    from qms_desktop.review_data import PackData

DECISION_SOURCE = ReviewDecision._meta.table_name
_CLAUSE = re.compile(r"\d{1,2}(\.\d{1,2}){0,3}")


class ReviewClosed(ValidationError):
    def __init__(self, review: ManagementReview):
        super().__init__({"review": f"{review.display_name()} is closed; its minutes and pack "
                                    "can no longer change."})


def _require_open(review: ManagementReview) -> None:
    # A frozen pack means closed, whatever the status reads: one set back by hand outside
    # the app (evidence.py reports it) must not be edited as if it were open.
    if review.status == "closed" or final_pack(review) is not None:
        raise ReviewClosed(review)


# --- Planning ---------------------------------------------------------------------------------


@strict_arguments
def interval_months() -> int:
    organisation = Organisation.select().get_or_none()
    return organisation.review_interval_months if organisation else 12


@strict_arguments
def reviews(newest_first: bool = True) -> list[ManagementReview]:
    order = ManagementReview.meeting_on.desc() if newest_first else ManagementReview.meeting_on
    return list(
        ManagementReview.live()
        .order_by(order, ManagementReview.id)
    )


@strict_arguments
def last_held(before: dt.date | None = None) -> ManagementReview | None:
    query = ManagementReview.live().where(
        ManagementReview.status.in_(("held", "closed"))
    )
    if before is not None:
        query = query.where(ManagementReview.meeting_on < before)
    return query.order_by(ManagementReview.meeting_on.desc()).get_or_none()


@dataclass(frozen=True)
class ReviewDue:
    last_held_on: dt.date | None
    due_on: dt.date | None  # None: no review ever held, so one is due now
    planned_on: dt.date | None  # the next planned meeting, if one is planned
    overdue_months: int  # whole months past due; 0 when not overdue

    def sentence(self, today: dt.date) -> str:
        months = interval_months()
        if self.last_held_on is None:
            return "9.3: no management review has been held yet."
        age = _months_between(self.last_held_on, today)
        if self.overdue_months > 0:
            return (f"9.3: the last review was {age} months ago, planned every {months}.")
        return ""


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


@strict_arguments
def review_due(today: dt.date | None = None) -> ReviewDue:
    today = today or clock.today()
    held = last_held()
    planned = (
        ManagementReview.live()
        .where(
            (ManagementReview.status == "planned")
            & (ManagementReview.meeting_on >= today)
        )
        .order_by(ManagementReview.meeting_on)
        .get_or_none()
    )
    if held is None:
        return ReviewDue(None, None, planned.meeting_on if planned else None, 0)
    due = held.next_review_on or add_months(held.meeting_on, interval_months())
    overdue = _months_between(due, today) if today > due else 0
    if today > due and overdue == 0:
        overdue = 1  # late by days still counts as late
    return ReviewDue(held.meeting_on, due, planned.meeting_on if planned else None, overdue)


@strict_arguments
def default_period(meeting_on: dt.date) -> tuple[dt.date, dt.date]:
    """From the day after the previous review's period to the meeting date."""
    previous = last_held(before=meeting_on)
    if previous is not None:
        start = (previous.period_end or previous.meeting_on) + dt.timedelta(days=1)
    else:
        start = add_months(meeting_on, -interval_months())
    return start, meeting_on


@strict_arguments
def plan_review(
    meeting_on: dt.date,
    *,
    place: str = "",
    chair: Person | None = None,
    minute_taker: Person | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> ManagementReview:
    default_start, default_end = default_period(meeting_on)
    start, end = period_start or default_start, period_end or default_end
    if end < start:
        raise ValidationError({"period_end": "The period ends before it starts."})
    return records.create(
        ManagementReview,
        meeting_on=meeting_on,
        period_start=start,
        period_end=end,
        place=place.strip(),
        chair=chair,
        minute_taker=minute_taker,
        status="planned",
    )


@strict_arguments
def update_details(review: ManagementReview, **values: Any) -> None:
    _require_open(review)
    allowed = {"meeting_on", "period_start", "period_end", "place", "chair", "minute_taker",
               "suitability", "adequacy", "effectiveness", "strategy_alignment",
               "next_review_on", "cut_off_on"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"not review details: {sorted(unknown)}")
    cut_off, meeting = values.get("cut_off_on"), values.get("meeting_on", review.meeting_on)
    if isinstance(cut_off, dt.date) and isinstance(meeting, dt.date) and cut_off > meeting:
        # The figures a meeting reviews cannot come from after it.
        raise ValidationError({"cut_off_on": "The figures cannot be as of a day after the "
                                             "meeting; leave it empty for the meeting date."})
    records.update(review, **values)


@strict_arguments
def set_attendance(review: ManagementReview, person: Person, present: bool,
                   role_label: str = "", read: list[ReviewAttendance] | None = None
                   ) -> ReviewAttendance:
    """Record `person` present or sending apologies.

    `read` is the attendance as the form showed it (`attendance`, with row versions);
    None: as stored now. When this person's attendance changed since (or was recorded
    where the form showed none), the save is refused with RecordChanged and nothing
    written; others' attendance changed meanwhile is no reason to refuse.
    """
    _require_open(review)
    top = is_top_management(person)
    with database.atomic():
        existing = ReviewAttendance.get_or_none(
            (ReviewAttendance.review == review) & (ReviewAttendance.person == person)
        )
        if read is not None:
            shown = next((s for s in read if s.person_id == person.id), None)
            # A copy: a refused save must not leave the form's row at a version never stored.
            copy = _copy_attendance(shown) if shown is not None else None
            # First: on a server it takes the writers' turn, so the check holds to the write.
            records.refuse_if_changed([copy] if copy is not None else [])
            if copy is None and existing is not None and existing.archived_at is None:
                raise records.refusal_for(existing)
            existing = copy or existing
        if existing is None:
            return records.create(ReviewAttendance, review=review, person=person,
                                  present=present, role_label=role_label,
                                  is_top_management=top)
        if existing.archived_at is not None:
            records.unarchive(existing)
        return records.update(existing, present=present, role_label=role_label or
                              existing.role_label, is_top_management=top)


def _copy_attendance(seat: ReviewAttendance) -> ReviewAttendance:
    copy = ReviewAttendance()
    copy.__data__ = dict(seat.__data__)
    return copy


@strict_arguments
def remove_attendance(review: ManagementReview, person: Person,
                      read: list[ReviewAttendance] | None = None) -> None:
    """Take `person` off the attendance. `read` is the attendance as the screen showed it:
    when their entry changed since, the removal is refused with RecordChanged (the archive
    compares the version shown), so nobody's change is removed unseen. None: as stored now."""
    _require_open(review)
    with database.atomic():
        existing = ReviewAttendance.get_or_none(
            (ReviewAttendance.review == review) & (ReviewAttendance.person == person)
        )
        if read is not None:
            shown = next((s for s in read if s.person_id == person.id), None)
            if shown is not None:
                existing = _copy_attendance(shown)
                # Any change of theirs, not only one the archive would write over.
                records.refuse_if_changed([existing])
        if existing is not None:
            records.archive(existing)


@strict_arguments
def attendance(review: ManagementReview) -> list[ReviewAttendance]:
    return list(
        ReviewAttendance.select(ReviewAttendance, Person)
        .join(Person)
        .where((ReviewAttendance.review == review) & is_live(ReviewAttendance))
        .order_by(ReviewAttendance.present.desc(), Person.full_name)
    )


@strict_arguments
def mark_held(review: ManagementReview) -> None:
    _require_open(review)
    if review.meeting_on > clock.today():
        raise ValidationError({"meeting_on": "A review cannot be held before its date."})
    records.update(review, status="held")


# --- Minutes: commentary and conclusions ------------------------------------------------------


@strict_arguments
def edition() -> str:
    organisation = Organisation.select().get_or_none()
    return organisation.edition if organisation else "2015"


@strict_arguments
def input_notes(review: ManagementReview) -> dict[str, ReviewInput]:
    return {
        row.code: row
        for row in ReviewInput.live().where(
            ReviewInput.review == review
        )
    }


@strict_arguments
def set_input_notes(review: ManagementReview, code: str, commentary: str,
                    conclusion: str, read: dict[str, ReviewInput] | None = None
                    ) -> ReviewInput:
    """Write what the meeting said about input `code`.

    `read` is the review's notes as the form showed them (`input_notes`, with their row
    versions); None: as stored now. When the note of this input changed since (or one was
    written where the form showed none), the save is refused with RecordChanged and
    nothing written; notes of other inputs changed meanwhile are no reason to refuse.
    """
    _require_open(review)
    if code not in {spec.code for spec in REVIEW_INPUTS}:
        raise ValueError(f"unknown review input {code!r}")
    with database.atomic():
        if read is None:
            existing = input_notes(review).get(code)
        else:
            shown = read.get(code)
            # A copy: a refused save must not leave the form's note at a version never stored.
            existing = _copy(shown) if shown is not None else None
            # First: on a server it takes the writers' turn, so the check holds to the write.
            records.refuse_if_changed([existing] if existing is not None else [])
            if existing is None and (made := input_notes(review).get(code)) is not None:
                raise records.refusal_for(made)
        if existing is None:
            return records.create(ReviewInput, review=review, code=code,
                                  commentary=commentary.strip(), conclusion=conclusion.strip())
        return records.update(existing, commentary=commentary.strip(),
                              conclusion=conclusion.strip())


@strict_arguments
def save_minutes(review: ManagementReview, details: dict[str, Any],
                 notes: dict[str, tuple[str, str]],
                 read: dict[str, ReviewInput] | None = None) -> dict[str, ReviewInput]:
    """The review's details and the (commentary, conclusion) of each input in `notes`, in
    one transaction: refused (RecordChanged, nothing written) when the review or a note
    this save writes changed since the form read it (`read`, as in `set_input_notes`).
    Returns the notes as the form now shows them: `read` with the ones written."""
    shown = dict(read if read is not None else input_notes(review))
    as_read, related = dict(review.__data__), dict(review.__rel__)
    try:
        with database.atomic():
            if details:
                update_details(review, **details)
            for code, (commentary, conclusion) in notes.items():
                shown[code] = set_input_notes(review, code, commentary, conclusion,
                                              read=read)
    except BaseException:
        # The review's copy is left as read: its version was never stored.
        review.__data__, review.__rel__ = as_read, related
        raise
    return shown


def _copy(note: ReviewInput) -> ReviewInput:
    copy = ReviewInput()
    copy.__data__ = dict(note.__data__)
    return copy


# --- Decisions -> the one action tracker ------------------------------------------------------


@strict_arguments
def add_decision(
    review: ManagementReview,
    kind: str,
    description: str,
    owner: Person | None,
    due_on: dt.date | None,
    answers: Record | None = None,
    answers_gap: str = "",
) -> ReviewDecision:
    """A typed decision with an owner and a date, and its action in the tracker.

    It may answer a record (a risk, an objective...) or a readiness gap, named by its clause
    in `answers_gap` ("7.1.5"): the closing check then no longer flags that gap.
    """
    _require_open(review)
    problems = {}
    if answers_gap and (answers is not None or not _CLAUSE.fullmatch(answers_gap)):
        problems["answers"] = ("A decision answers one record or one readiness gap, named by "
                               "its clause (for example 7.1.5).")
    if kind not in dict(DECISION_KINDS):
        problems["kind"] = "Choose improvement, change to the QMS or resource need."
    if not description.strip():
        problems["description"] = "Say what was decided."
    if owner is None:
        problems["owner"] = "Every decision needs an owner."
    if due_on is None:
        problems["due_on"] = "Every decision needs a due date."
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        decision = records.create(
            ReviewDecision,
            review=review,
            kind=kind,
            description=description.strip(),
            owner=owner,
            due_on=due_on,
            answers_table=(answers._meta.table_name if answers is not None
                           else review_flags.READINESS if answers_gap else ""),
            answers_id=answers.id if answers is not None else answers_gap,
        )
        action = records.create(
            Action,
            title=description.strip()[:200],
            owner=owner,
            due_on=due_on,
            original_due_on=due_on,
            source_table=DECISION_SOURCE,
            source_id=decision.id,
        )
        records.update(decision, action=action)
    return decision


@strict_arguments
def decisions(review: ManagementReview) -> list[ReviewDecision]:
    return list(
        ReviewDecision.live()
        .where(ReviewDecision.review == review)
        .order_by(ReviewDecision.created_at, ReviewDecision.id)
    )


@strict_arguments
def answered_gaps(review: ManagementReview) -> set[str]:
    """The clauses of the readiness gaps that a decision of this review answers."""
    return {d.answers_id for d in decisions(review) if d.answers_table == review_flags.READINESS}


@strict_arguments
def remove_decision(decision: ReviewDecision) -> None:
    _require_open(decision.review)
    with database.atomic():
        if (action := decision.action) is not None:
            records.update(action, status="cancelled")
            records.archive(action)
        records.archive(decision)


# --- Closing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosingCheck:
    problems: dict[str, str]  # must be fixed before closing
    warnings: list[str]  # recorded, and shown, but do not stop closing


@strict_arguments
def closing_check(review: ManagementReview, by: Person | None) -> ClosingCheck:
    problems: dict[str, str] = {}
    warnings: list[str] = []
    if review.status == "planned":
        problems["status"] = "Record the meeting as held before closing it."
    for name, label in (("suitability", "suitability"), ("adequacy", "adequacy"),
                        ("effectiveness", "effectiveness"),
                        ("strategy_alignment", "alignment with strategy")):
        if not getattr(review, name).strip():
            problems[name] = f"Write the overall conclusion on {label}."
    if review.next_review_on is None:
        problems["next_review_on"] = "Set the date of the next review."
    if by is None:
        problems["closed_by"] = "Choose who closes the review."
    elif not is_top_management(by):
        # Closing approves the record of the review: an act of top management only.
        problems["closed_by"] = (f"{by.display_name()} is not in a top-management role; only "
                                 "top management can close a review.")
    present = [a for a in attendance(review) if a.present]
    if not present:
        problems["attendance"] = "Record who attended."
    elif not any(a.is_top_management for a in present):
        warnings.append("No one from top management is recorded as present.")
    notes = input_notes(review)
    missing = [s.code for s in review_inputs(edition())
               if not (s.code in notes and notes[s.code].conclusion.strip())]
    if missing:
        problems["inputs"] = "Write a conclusion for input " + ", ".join(missing) + "."
    if not decisions(review):
        warnings.append("No decisions were recorded; auditors look for decisions on "
                        "improvement, changes and resources.")
    return ClosingCheck(problems, warnings)


# What the closer's signature means; printed on the frozen pack's sign-off page.
SIGNATURE_MEANING = "Approved as the record of this management review"


@strict_arguments
def top_management_title(person: Person) -> str:
    """The title of the person's top-management role ("Managing Director"), "" without one;
    of several, the first by title, so the same records always give the same title."""
    return top_management_titles([person]).get(person.id, "")


@strict_arguments
def top_management_titles(people: list[Person]) -> dict[str, str]:
    """top_management_title of each of `people`, by id, in one query (a pack's attendees)."""
    rows = (
        Role.select(PersonRole.person, Role.title)
        .join(PersonRole)
        .where(
            PersonRole.person.in_([p.id for p in people])
            & holds_top_management()
        )
        .order_by(Role.title)
        .tuples()
    )
    first: dict[str, str] = {}
    for person_id, role_title in cast(Iterable[tuple[str, str | None]], rows):
        first.setdefault(person_id, role_title or "")
    return {p.id: first.get(p.id, "") for p in people}


@dataclass(frozen=True)
class SignOff:
    signer: str
    title: str
    meaning: str
    signed_at: dt.datetime | None

    def signer_line(self) -> str:
        """ "Aoife Byrne, Managing Director"."""
        return f"{self.signer}, {self.title}" if self.title else self.signer


@strict_arguments
def sign_off(review: ManagementReview) -> SignOff | None:
    """Who signed a closed review, as what, meaning what, and when; None before closing."""
    if review.closed_by is None or review.closed_at is None:
        return None
    return SignOff(review.closed_by.full_name, review.signed_title,
                   review.signature_meaning or SIGNATURE_MEANING, review.closed_at)


@strict_arguments
def sign_pack_data(data: PackData, review: ManagementReview) -> None:
    """Put the closed review's sign-off into the pack data being frozen."""
    signed = sign_off(review)
    if signed is None or signed.signed_at is None:
        return
    data.signed_by = signed.signer
    data.signed_title = signed.title
    data.signature_meaning = signed.meaning
    data.signed_at = f"{formatting.timestamp(signed.signed_at)} UTC"


PackRenderer = Callable[[str], bytes]  # PackData JSON -> PDF bytes
SnapshotMaker = Callable[[str], str]  # chain head -> PackData JSON that prints it

# The history entry that seals a frozen pack into the change history: its PDF's and its
# snapshot's SHA-256 and the chain head it prints (evidence.py checks all three).
FREEZE_OPERATION = "freeze"


@strict_arguments
def close_review(review: ManagementReview, by: Person, render: PackRenderer,
                 snapshot: SnapshotMaker, reason: str = "") -> ReviewPack:
    """Freeze the review: store the snapshot and the final pack with its SHA-256.

    `reason`: why the signer closes although the pack's inputs contradict its conclusion
    (packs.close asks for it when review_flags finds any).
    """
    _require_open(review)
    check = closing_check(review, by)
    if check.problems:
        raise ValidationError(check.problems)
    with database.atomic():
        records.update(review, status="closed", closed_at=utc_now(), closed_by=by,
                       closed_by_top_management=True, signed_title=top_management_title(by),
                       signature_meaning=SIGNATURE_MEANING, closing_reason=reason.strip())
        return freeze_pack(review, render, snapshot)


@strict_arguments
def freeze_pack(review: ManagementReview, render: PackRenderer, snapshot: SnapshotMaker,
                **pack_values: Any) -> ReviewPack:
    """Store the final pack of a review being closed, inside the closing transaction.

    The pack prints the chain head of this moment (the hash of the last history entry,
    the review's closing), so a printed pack anchors the history before it; the entry
    after the pack's own puts the PDF's and the snapshot's SHA-256 into the chain. The PDF
    is rendered here, holding the write lock, so no entry can come between.
    """
    with database.atomic():
        _, head = history_chain.head(database.connection())
        snapshot_json = snapshot(head)
        pdf = render(snapshot_json)
        pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        values: dict[str, Any] = {
            "review": review,
            "pack_version": next_pack_version(review),
            "is_final": True,
            "generated_at": utc_now(),
            **pack_values,
        }
        pack = records.create(ReviewPack, sha256=pdf_sha256, pdf=pdf, snapshot=snapshot_json,
                              **values)
        records.log_event(ReviewPack._meta.table_name, pack.id, FREEZE_OPERATION, {
            "pdf_sha256": pdf_sha256,
            "snapshot_sha256": hashlib.sha256(snapshot_json.encode("utf-8")).hexdigest(),
            "chain_head": head,
        })
    return pack


@strict_arguments
def next_pack_version(review: ManagementReview) -> int:
    latest = (
        ReviewPack.select(ReviewPack.pack_version)
        .where(ReviewPack.review == review)
        .order_by(ReviewPack.pack_version.desc())
        .scalar()
    )
    return (latest or 0) + 1


@strict_arguments
def final_pack(review: ManagementReview) -> ReviewPack | None:
    return (
        ReviewPack.select()
        .where((ReviewPack.review == review) & (ReviewPack.is_final == True))  # noqa: E712
        .get_or_none()
    )


@strict_arguments
def find_review(selector: str) -> ManagementReview:
    """"latest", a meeting date YYYY-MM-DD, or an id (or its first characters)."""
    all_reviews = reviews()
    if not all_reviews:
        raise LookupError("There are no management reviews in this database.")
    if selector in ("", "latest"):
        return all_reviews[0]
    try:
        day = dt.date.fromisoformat(selector)
    except ValueError:
        matches = [r for r in all_reviews if r.id.startswith(selector)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise LookupError(f"{selector!r} matches {len(matches)} reviews; give more of "
                              "the id.") from None
        raise LookupError(f"No review has the id or date {selector!r}.") from None
    on_day = [r for r in all_reviews if r.meeting_on == day]
    if not on_day:
        raise LookupError(f"No review was held or planned on {selector}.")
    return on_day[0]
