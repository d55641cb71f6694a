"""The sample company's history as dated events, each written through the service that does
that act in the window.

The timeline (timeline.py) describes every record as it ends up today. Here each record is
made in the state it had when it was made, and every later change is an event of its own on
the day it happened: an action is raised open and completed on its done date, a
nonconformity is raised, gets its actions and closes on its closing date, a policy version
is drafted and approved (superseding the one before), a supplier is re-evaluated, a review
is planned, held and closed by top management. The writer applies the events in time order
with the clock standing at each one, so the services' checks run on the sample as on
anyone's data, and a closed review's pack is frozen as of its meeting at its closing.

Events are made from the whole timeline whatever day the build stops at, so a build stopped
at a day holds exactly the events up to that day of a full build: same ids, same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qms_desktop import (
    actions,
    audits,
    feedback,
    nonconformities,
    packs,
    policy,
    records,
    resources,
    reviews,
    suppliers,
)
from qms_desktop.models import (
    ALL_MODELS,
    Acknowledgement,
    Action,
    AdequacyStatement,
    Audit,
    Calibration,
    ClimateDecision,
    Communication,
    Document,
    DocumentVersion,
    EffectivenessReview,
    Feedback,
    FishboneCause,
    ManagementReview,
    Nonconformity,
    Objective,
    Person,
    Process,
    Record,
    Resource,
    ResourceRequest,
    ReviewAttendance,
    ReviewDecision,
    ReviewInput,
    Risk,
    Supplier,
    SupplierEvaluation,
    WhyStep,
)
from qms_desktop.sample.timeline import Sample

# Changes of state happen after the day's work that led to them (rows are made 08:00-17:00).
_LATE = dt.time(17, 30)
_EARLY = dt.time(8, 0)
_SECOND = dt.timedelta(seconds=1)
# Why the sample's managing director closes a review whose inputs are flagged.
CLOSING_REASON = ("Closed with the flagged points known: each is on the list of actions for "
                  "the year ahead.")


@dataclass
class Event:
    when: dt.datetime  # UTC, naive, as history entries are stored
    seq: int  # ties at the same second keep the order they were made in
    apply: Callable[[], object]
    ids: tuple[str, ...] = ()  # the ids the services will give out, in order
    who: str | None = None  # whose name the history gives; None: the sample's user


def _person(record_id: str | None) -> Person | None:
    return None if record_id is None else Person.get_by_id(record_id)


def _process(record_id: str | None) -> Process | None:
    return None if record_id is None else Process.get_by_id(record_id)


def _at(day: dt.date, time: dt.time = _LATE) -> dt.datetime:
    return dt.datetime.combine(day, time)


class _Events:
    """Turns the timeline's rows into events (one pass over the rows, parents first)."""

    def __init__(self, sample: Sample):
        self.sample = sample
        self.events: list[Event] = []
        self.names = sample.names
        self.by_table = {m._meta.table_name: m for m in ALL_MODELS if issubclass(m, Record)}
        # Id -> when it is made and its position in the order the timeline made them in
        # (parents before children), which orders records made at the same second.
        self.born = {record_id: (when, position)
                     for position, (record_id, when) in enumerate(sample.made.items())}
        self.actions_of: dict[str, list[dict[str, Any]]] = {}
        for row in sample.rows[Action]:
            self.actions_of.setdefault(row["source_id"], []).append(row)
        self.first_why: dict[str, dt.datetime] = {}
        for row in sample.rows[WhyStep]:
            nc = row["nonconformity"]
            self.first_why[nc] = min(row["created_at"], self.first_why.get(nc, row["created_at"]))
        # Nonconformity id -> its why steps in order, given in one step (set_why_chain).
        self.whys: dict[str, list[dict[str, Any]]] = {}
        for row in sorted(sample.rows[WhyStep], key=lambda r: r["position"]):
            self.whys.setdefault(row["nonconformity"], []).append(row)
        self.reviewed: dict[str, dt.datetime] = {}
        for row in sample.rows[EffectivenessReview]:
            self.reviewed[row["nonconformity"]] = max(
                row["created_at"], self.reviewed.get(row["nonconformity"], row["created_at"]))
        self.latest = sample.latest
        # Action id -> when its due date moved and when it was completed or cancelled.
        self.moved_at: dict[str, dt.datetime] = {}
        self.done_at: dict[str, dt.datetime] = {}
        for row in sample.rows[Action]:
            self._action_times(row)

    # --- Making events ------------------------------------------------------------------------

    def add(self, when: dt.datetime, apply: Callable[[], object], ids: tuple[str, ...] = (),
            who: str | None = None) -> dt.datetime:
        when = min(when, self.latest)
        # Records made at the same second are made in the timeline's order; changes after.
        seq = self.born[ids[0]][1] if ids else len(self.born) + len(self.events)
        self.events.append(Event(when, seq, apply, ids, who))
        return when

    def after(self, when: dt.datetime, *earlier: dt.datetime | None) -> dt.datetime:
        """`when`, or a second after the latest of `earlier` if that is later."""
        for moment in earlier:
            if moment is not None and moment >= when:
                when = moment + _SECOND
        return when

    def name(self, person: str | None) -> str | None:
        return None if person is None else self.names.get(person)

    def create(self, model: type[Record], row: dict[str, Any], who: str | None = None) -> None:
        """`row` through records.create at its time, for records with no service of their
        own. A link to a record made after this one is set when that record is made."""
        values = dict(row)
        made = (row["created_at"], self.born[row["id"]][1])
        deferred: dict[str, tuple[dt.datetime, Any]] = {}
        for name, value in row.items():
            target = self.born.get(value) if isinstance(value, str) and name != "id" else None
            if target is not None and target > made:
                values.pop(name)
                deferred[name] = (target[0] + _SECOND, value)
        self.add(row["created_at"], lambda: records.create(model, **values), (row["id"],), who)
        for name, (when, value) in deferred.items():
            self.update(model, row["id"], when, **{name: value})

    def update(self, model: type[Record], record_id: str, when: dt.datetime,
               who: str | None = None, **values: Any) -> None:
        self.add(when, lambda: _update(model, record_id, values), (), who)

    # --- Records with a life of their own -----------------------------------------------------

    def nonconformity(self, row: dict[str, Any]) -> None:
        nc_id = row["id"]

        def raise_it() -> None:
            made = nonconformities.create_nonconformity(
                row["title"], row["raised_on"], row["source"], description=row["description"],
                process=Process.get_by_id(row["process"]) if row["process"] else None,
                severity=row["severity"], reported_by=_person(row.get("reported_by")),
                correction=row.get("correction", ""), containment=row.get("containment", ""))
            assert made.reference == row["reference"], (made.reference, row["reference"])

        self.add(row["created_at"], raise_it, (nc_id,))
        if row.get("root_cause"):
            analysed = self.first_why.get(nc_id, row["created_at"])
            self.add(analysed + _SECOND, lambda: nonconformities.update_nonconformity(
                Nonconformity.get_by_id(nc_id), root_cause=row["root_cause"]))
        if row["status"] != "closed":
            return
        closed_on, reason = row["closed_on"], row.get("closure_reason", "")
        own = [self.done_at.get(a["id"]) for a in self.actions_of.get(nc_id, [])]
        when = self.after(_at(closed_on), *own, self.reviewed.get(nc_id),
                          self.first_why.get(nc_id))

        def close() -> None:
            nc = Nonconformity.get_by_id(nc_id)
            blockers = nonconformities.closure_blockers(nc)
            nonconformities.close(nc, closed_on, reason or (
                "Closed at the quality meeting: " + "; ".join(blockers) + "."
                if blockers else ""))

        self.add(when, close)

    def _action_times(self, row: dict[str, Any]) -> None:
        action_id, created = row["id"], row["created_at"]
        first_due = row["original_due_on"] or row["due_on"]
        moved = None
        if row["due_on"] != first_due:
            moved = self.after(_at(min(first_due, self.latest.date()), _EARLY), created)
            self.moved_at[action_id] = min(moved, self.latest)
        if row["status"] == "done":
            when = self.after(_at(row["done_on"], dt.time(17, 15)), created, moved)
        elif row["status"] == "cancelled":
            when = self.after(created + dt.timedelta(days=7), moved)
        else:
            return
        self.done_at[action_id] = min(when, self.latest)

    def action(self, row: dict[str, Any]) -> None:
        action_id, table = row["id"], row["source_table"]
        first_due = row["original_due_on"] or row["due_on"]
        if table != "review_decision":  # made with its decision (review_decision below)
            source_model = self.by_table[table]

            def raise_it() -> None:
                source = source_model.get_by_id(row["source_id"])
                owner = _person(row["owner"])
                if isinstance(source, Nonconformity):
                    nonconformities.raise_action(source, row["title"], owner, first_due)
                else:
                    actions.raise_action(source, row["title"], owner, first_due)

            self.add(row["created_at"], raise_it, (action_id,))
        if action_id in self.moved_at:
            self.add(self.moved_at[action_id], lambda: actions.reschedule(
                Action.get_by_id(action_id), row["due_on"],
                "Moved at the progress meeting: the work takes longer than planned."))
        if row["status"] == "done":
            self.add(self.done_at[action_id], lambda: actions.complete(
                Action.get_by_id(action_id), row["done_on"], row["evidence"]))
        elif row["status"] == "cancelled":
            self.add(self.done_at[action_id], lambda: actions.cancel(
                Action.get_by_id(action_id), row["evidence"] or "No longer needed."))

    def feedback(self, row: dict[str, Any]) -> None:
        item_id, nc_id = row["id"], row.get("nonconformity")
        self.add(row["created_at"], lambda: feedback.record_feedback(
            row["kind"], row["customer"], row["received_on"], row["description"],
            product=row.get("product", ""), severity=row.get("severity", "")), (item_id,))
        if nc_id is not None:  # the nonconformity it raised, linked when both exist
            when = self.after(row["created_at"], self.born[nc_id][0])
            self.update(Feedback, item_id, when, nonconformity=nc_id)
        if row.get("closed_on") is not None:
            self.add(self.after(_at(row["closed_on"]), row["created_at"]),
                     lambda: feedback.close(Feedback.get_by_id(item_id), row["response"],
                                            row["closed_on"]))

    def review(self, row: dict[str, Any]) -> None:
        review_id = row["id"]
        self.add(row["created_at"], lambda: reviews.plan_review(
            row["meeting_on"], place=row["place"], chair=_person(row["chair"]),
            minute_taker=_person(row.get("minute_taker")), period_start=row["period_start"],
            period_end=row["period_end"]), (review_id,))
        if row["status"] == "planned":
            return
        meeting = row["meeting_on"]
        self.add(self.after(_at(meeting, _EARLY), row["created_at"]),
                 lambda: reviews.mark_held(ManagementReview.get_by_id(review_id)))
        conclusions = {name: row[name] for name in (
            "suitability", "adequacy", "effectiveness", "strategy_alignment", "next_review_on")}
        self.add(_at(meeting), lambda: reviews.update_details(
            ManagementReview.get_by_id(review_id), **conclusions))
        if row["status"] != "closed":
            return
        signer = row["closed_by"]

        # As the window closes it: the pack frozen as of the meeting, signed. The reason is
        # kept only when the review's inputs are flagged, as when the window asks for one.
        self.add(self.after(row["closed_at"], _at(meeting)), lambda: packs.close(
            ManagementReview.get_by_id(review_id), Person.get_by_id(signer),
            reason=CLOSING_REASON), who=self.name(signer))

    def version(self, row: dict[str, Any], kind: str) -> None:
        approved_at = row.get("approved_at")
        self.create(DocumentVersion, {
            **{k: v for k, v in row.items() if k not in (
                "approved_by", "approved_at", "approved_by_top_management", "approval_note")},
            "status": "draft"})
        if approved_at is None:
            return
        version_id, approver, note = row["id"], row["approved_by"], row.get("approval_note", "")

        def approve() -> None:
            version = DocumentVersion.get_by_id(version_id)
            by = Person.get_by_id(approver)
            if kind == "policy":
                policy.approve(version, by, confirm_unmet=True, note=note)
            else:
                policy.put_in_force(version, by, policy.is_top_management(by),
                                    approval_note=note)

        self.add(self.after(approved_at, row["created_at"]), approve, who=self.name(approver))


def _update(model: type[Record], record_id: str, values: dict[str, Any]) -> None:
    records.update(model.get_by_id(record_id), **values)


def events_of(sample: Sample) -> list[Event]:
    """Every event of the small sample, in the order to apply them."""
    made = _Events(sample)
    rows = sample.rows
    kinds = {row["id"]: row["kind"] for row in rows[Document]}
    today = sample.today
    for model, model_rows in rows.items():
        for row in model_rows:
            _one(made, model, row, kinds, today)
    for model, record_id, when, values in sample.edits:
        made.update(model, record_id, when, **values)
    made.events.sort(key=lambda event: (event.when, event.seq))
    return made.events


def _one(made: _Events, model: type[Record], row: dict[str, Any], kinds: dict[str, str],
         today: dt.date) -> None:
    # One branch per record with a service for what happens to it after it is made.
    if model is Action:
        made.action(row)
    elif model is Nonconformity:
        made.nonconformity(row)
    elif model is ManagementReview:
        made.review(row)
    elif model is DocumentVersion:
        made.version(row, kinds[row["document"]])
    elif model is ReviewDecision:
        decision_id, action_id = row["id"], row["action"]
        action = next(a for a in made.sample.rows[Action] if a["id"] == action_id)
        answers: tuple[type[Record], str] | None = None
        if row.get("answers_table"):
            answers = (made.by_table[row["answers_table"]], row["answers_id"])
            answered = made.born[row["answers_id"]]
            if answered > made.born[decision_id]:
                # What answers the decision was raised after it: linked when it is.
                made.update(ReviewDecision, decision_id, answered[0] + _SECOND,
                            answers_table=row["answers_table"], answers_id=row["answers_id"])
                answers = None

        def decide() -> None:
            reviews.add_decision(
                ManagementReview.get_by_id(row["review"]), row["kind"], row["description"],
                _person(row["owner"]), action["original_due_on"],
                answers=answers[0].get_by_id(answers[1]) if answers else None)

        made.add(row["created_at"], decide, (decision_id, action_id))
    elif model is ReviewAttendance:
        made.add(row["created_at"], lambda: reviews.set_attendance(
            ManagementReview.get_by_id(row["review"]), Person.get_by_id(row["person"]),
            row["present"], row["role_label"]), (row["id"],))
    elif model is ReviewInput:
        made.add(row["created_at"], lambda: reviews.set_input_notes(
            ManagementReview.get_by_id(row["review"]), row["code"], row["commentary"],
            row["conclusion"]), (row["id"],))
    elif model is SupplierEvaluation:
        made.add(row["created_at"], lambda: suppliers.evaluate(
            Supplier.get_by_id(row["supplier"]), row["evaluated_on"], row["quality"],
            row["delivery"], row["price"], row["responsiveness"], notes=row["notes"],
            evaluated_by=_person(row["evaluated_by"])), (row["id"],))
    elif model is Supplier:
        # Its re-evaluation date is set by each evaluation (suppliers.evaluate).
        made.add(row["created_at"], lambda: suppliers.add_supplier(
            row["name"], row["provides"], row["criticality"], row["contact"], row["approval"]),
            (row["id"],))
    elif model is Calibration:
        made.add(row["created_at"], lambda: resources.record_calibration(
            Resource.get_by_id(row["resource"]), row["calibrated_on"], row["result"],
            row["certificate"], row["calibrated_by"]), (row["id"],))
    elif model is Resource:
        # Its calibration dates follow from each calibration (resources.record_calibration).
        made.create(Resource, {k: v for k, v in row.items() if k not in (
            "last_calibrated_on", "next_calibration_on", "calibration_status")})
    elif model is EffectivenessReview:
        made.add(row["created_at"], lambda: nonconformities.add_effectiveness_review(
            Nonconformity.get_by_id(row["nonconformity"]), row["reviewed_on"], row["verdict"],
            row["notes"], by=_person(row["reviewed_by"])), (row["id"],))
    elif model is Audit:
        made.add(row["created_at"], lambda: audits.plan_audit(
            row["title"], row["planned_on"], _process(row["process"]), row["clause"],
            _person(row["auditor"]), row["scope"], row["criteria"]), (row["id"],))
        if row["status"] != "done":
            return
        made.add(made.after(_at(row["held_on"]), row["created_at"]), lambda: audits.complete_audit(
            Audit.get_by_id(row["id"]), row["held_on"], row["summary"]))
    elif model is ResourceRequest and row.get("decided_by"):
        made.create(ResourceRequest, {k: v for k, v in row.items() if k not in (
            "decided_by", "decided_on", "decision_note", "decided_by_top_management")}
            | {"decision": "pending"})
        made.add(made.after(_at(row["decided_on"]), row["created_at"]), lambda: resources.decide(
            ResourceRequest.get_by_id(row["id"]), row["decision"],
            Person.get_by_id(row["decided_by"]), row["decided_on"], row["decision_note"]),
            who=made.name(row["decided_by"]))
    elif model is Person and row.get("left_on") is not None:
        made.create(Person, {**row, "active": True, "left_on": None})
        made.update(Person, row["id"], made.after(_at(row["left_on"]), row["created_at"]),
                    active=False, left_on=row["left_on"])
    elif model is Objective and row["status"] in ("achieved", "missed") \
            and row["due_on"] is not None and row["due_on"] < today:
        made.create(Objective, {**row, "status": "on_track"})
        made.update(Objective, row["id"], made.after(_at(row["due_on"]), row["created_at"]),
                    status=row["status"])
    elif model is Risk and row.get("effectiveness"):
        done = [made.done_at.get(a["id"]) for a in made.actions_of.get(row["id"], [])]
        made.create(Risk, {**row, "effectiveness": ""})
        made.update(Risk, row["id"], made.after(row["created_at"], *done),
                    effectiveness=row["effectiveness"])
    elif model is AdequacyStatement:
        made.add(row["created_at"], lambda: resources.state_adequacy(
            row["period_start"], row["period_end"], row["verdict"], row["reasons"],
            _person(row["stated_by"]), row["stated_on"]), (row["id"],),
            made.name(row["stated_by"]))
    elif model is ClimateDecision:
        made.create(model, row, who=made.name(row["decided_by"]))
    elif model is Communication:
        made.add(row["created_at"], lambda: policy.record_communication(
            DocumentVersion.get_by_id(row["version"]), row["method"], row["communicated_on"],
            row["audience"], _person(row["communicated_by"])), (row["id"],))
    elif model is Acknowledgement:
        made.add(row["created_at"], lambda: policy.acknowledge(
            DocumentVersion.get_by_id(row["version"]), Person.get_by_id(row["person"]),
            row["acknowledged_on"]), (row["id"],))
    elif model is FishboneCause:
        made.add(row["created_at"], lambda: nonconformities.add_cause(
            Nonconformity.get_by_id(row["nonconformity"]), row["category"], row["cause"],
            row["is_root"]), (row["id"],))
    elif model is WhyStep:
        # The whole chain in one step, as the root cause tab saves it.
        chain = made.whys.pop(row["nonconformity"], None)
        if chain is not None:
            made.add(row["created_at"], lambda: nonconformities.set_why_chain(
                Nonconformity.get_by_id(row["nonconformity"]), [s["answer"] for s in chain]),
                tuple(s["id"] for s in chain))
    elif model is Feedback and row.get("kind"):
        made.feedback(row)
    else:
        made.create(model, row)
