"""A review's minutes, attendance and the policy's 5.2.1 check refuse a save over what
someone else changed since the form read it: who and when, nothing written. A save that
writes nothing of theirs still goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from qms_desktop import clock, db, policy, records, reviews
from qms_desktop.errors import RecordChanged
from qms_desktop.models import (
    ChangeHistory,
    DocumentVersion,
    ManagementReview,
    Organisation,
    Person,
    ReviewAttendance,
)

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
TOLD = "Changed by Maria Khan at 10:42 UTC since you opened it."


def _by_maria(save: Callable[[], object]) -> None:
    with clock.stopped_at(MORNING), records.history_as(who="Maria Khan"):
        save()


def _review() -> ManagementReview:
    records.create(Organisation, name="Kestrel Fabrication", currency="EUR")
    return reviews.plan_review(dt.date(2026, 2, 1), place="Office")


def _notes(review: ManagementReview) -> dict[str, tuple[str, str]]:
    return {code: (n.commentary, n.conclusion)
            for code, n in reviews.input_notes(review).items()}


def _fresh(review: ManagementReview) -> ManagementReview:
    return ManagementReview.get_by_id(review.id)


# --- The inputs' notes ------------------------------------------------------------------------


def test_a_note_changed_meanwhile_refuses_the_whole_save(store: db.Store) -> None:
    review = _review()
    reviews.set_input_notes(review, "a", "Two open actions.", "On track.")
    read, mine = reviews.input_notes(review), _fresh(review)
    _by_maria(lambda: reviews.set_input_notes(_fresh(review), "a", "Two open actions.",
                                              "One is late."))
    entries = ChangeHistory.select().count()

    with clock.stopped_at(MORNING + dt.timedelta(minutes=5)), \
            pytest.raises(RecordChanged) as refused:
        reviews.save_minutes(mine, {"place": "Board room"},
                             {"b": ("Audits done.", "Fine."), "a": ("Mine.", "Mine.")},
                             read=read)

    assert refused.value.message == TOLD
    assert _notes(review) == {"a": ("Two open actions.", "One is late.")}
    assert _fresh(review).place == "Office"
    assert ChangeHistory.select().count() == entries
    # The form's copies still say what it read: its review saves later as if never tried.
    assert (mine.place, mine.row_version) == ("Office", 0)
    assert read["a"].conclusion == "On track."


def test_a_note_written_where_none_was_shown_is_not_written_over(store: db.Store) -> None:
    review = _review()
    read = reviews.input_notes(review)
    _by_maria(lambda: reviews.set_input_notes(_fresh(review), "c1", "Complaints fell.", ""))
    with pytest.raises(RecordChanged, match="Maria Khan"):
        reviews.save_minutes(review, {}, {"c1": ("Three complaints.", "Fine.")}, read=read)
    assert _notes(review) == {"c1": ("Complaints fell.", "")}


def test_a_note_of_another_input_changed_meanwhile_lets_mine_through(
        store: db.Store) -> None:
    review = _review()
    reviews.set_input_notes(review, "a", "Two open actions.", "On track.")
    read = reviews.input_notes(review)
    _by_maria(lambda: reviews.set_input_notes(_fresh(review), "b", "Audits done.", "Fine."))

    shown = reviews.save_minutes(review, {"place": "Board room"},
                                 {"a": ("Two open actions.", "Both closed.")}, read=read)

    assert _notes(review) == {"a": ("Two open actions.", "Both closed."),
                              "b": ("Audits done.", "Fine.")}
    assert _fresh(review).place == "Board room"
    # What the form shows now: mine as written, and still no note on b (it never saw it).
    assert set(shown) == {"a"}
    with pytest.raises(RecordChanged):
        reviews.save_minutes(review, {}, {"b": ("Mine.", "")}, read=shown)
    reviews.save_minutes(review, {}, {"a": ("Again.", "Closed.")}, read=shown)
    assert _notes(review)["a"] == ("Again.", "Closed.")


def test_without_what_was_read_a_note_is_written_as_before(store: db.Store) -> None:
    review = _review()
    reviews.set_input_notes(review, "a", "Two open actions.", "On track.")
    _by_maria(lambda: reviews.set_input_notes(_fresh(review), "a", "Theirs.", "Theirs."))
    reviews.set_input_notes(review, "a", "Mine.", "Mine.")
    assert _notes(review) == {"a": ("Mine.", "Mine.")}


def test_a_details_refusal_writes_no_note(store: db.Store) -> None:
    review = _review()
    read, mine = reviews.input_notes(review), _fresh(review)
    _by_maria(lambda: reviews.update_details(_fresh(review), place="Meeting room 2"))
    with pytest.raises(RecordChanged, match="Maria Khan"):
        reviews.save_minutes(mine, {"place": "Board room"}, {"a": ("Mine.", "Mine.")},
                             read=read)
    assert _notes(review) == {}
    assert _fresh(review).place == "Meeting room 2"


# --- Attendance -------------------------------------------------------------------------------


def _seats(review: ManagementReview) -> dict[str, tuple[bool, str]]:
    return {seat.person.full_name: (seat.present, seat.role_label)
            for seat in reviews.attendance(review)}


def test_attendance_changed_meanwhile_refuses_mine(store: db.Store) -> None:
    review = _review()
    ann = records.create(Person, full_name="Ann Boss")
    reviews.set_attendance(review, ann, True, "Chair")
    read = reviews.attendance(review)
    _by_maria(lambda: reviews.set_attendance(review, ann, False, "Chair"))
    entries = ChangeHistory.select().count()

    with clock.stopped_at(MORNING + dt.timedelta(minutes=5)), \
            pytest.raises(RecordChanged) as refused:
        reviews.set_attendance(review, ann, True, "Managing director", read=read)

    assert refused.value.message == TOLD
    assert _seats(review) == {"Ann Boss": (False, "Chair")}
    assert ChangeHistory.select().count() == entries
    assert read[0].present is True  # the form's copy, as it read it


def test_someone_recorded_meanwhile_is_not_written_over(store: db.Store) -> None:
    review = _review()
    ann = records.create(Person, full_name="Ann Boss")
    read = reviews.attendance(review)
    _by_maria(lambda: reviews.set_attendance(review, ann, False, "Chair"))
    with pytest.raises(RecordChanged, match="Maria Khan"):
        reviews.set_attendance(review, ann, True, read=read)
    assert _seats(review) == {"Ann Boss": (False, "Chair")}


def test_someone_removed_meanwhile_is_not_put_back_unseen(store: db.Store) -> None:
    review = _review()
    ann = records.create(Person, full_name="Ann Boss")
    reviews.set_attendance(review, ann, True, "Chair")
    read = reviews.attendance(review)
    _by_maria(lambda: reviews.remove_attendance(review, ann))
    with pytest.raises(RecordChanged, match="Maria Khan"):
        reviews.set_attendance(review, ann, False, "Chair", read=read)
    assert _seats(review) == {}


def test_another_attendee_changed_meanwhile_lets_mine_through(store: db.Store) -> None:
    review = _review()
    ann, bob = (records.create(Person, full_name=name) for name in ("Ann Boss", "Bob Smith"))
    reviews.set_attendance(review, ann, True, "Chair")
    read = reviews.attendance(review)
    _by_maria(lambda: reviews.set_attendance(review, ann, False, "Chair"))
    reviews.set_attendance(review, bob, True, "Quality manager", read=read)
    assert _seats(review) == {"Ann Boss": (False, "Chair"),
                              "Bob Smith": (True, "Quality manager")}
    # Someone removed before the form read the attendance comes back as before.
    reviews.remove_attendance(review, bob)
    reviews.set_attendance(review, bob, False, read=reviews.attendance(review))
    assert _seats(review)["Bob Smith"] == (False, "Quality manager")
    assert ReviewAttendance.select().count() == 2



def test_removing_someone_whose_attendance_changed_meanwhile_is_refused(
        store: db.Store) -> None:
    review = _review()
    ann = records.create(Person, full_name="Ann Boss")
    reviews.set_attendance(review, ann, True, "Chair")
    read = reviews.attendance(review)
    _by_maria(lambda: reviews.set_attendance(review, ann, False, "Chair"))
    entries = ChangeHistory.select().count()
    with pytest.raises(RecordChanged, match="Maria Khan"):
        reviews.remove_attendance(review, ann, read=read)
    assert _seats(review) == {"Ann Boss": (False, "Chair")}
    assert ChangeHistory.select().count() == entries  # nothing written


def test_removing_someone_as_shown_goes_through_whatever_changed_for_others(
        store: db.Store) -> None:
    review = _review()
    ann, bob = (records.create(Person, full_name=name) for name in ("Ann Boss", "Bob Smith"))
    reviews.set_attendance(review, ann, True, "Chair")
    reviews.set_attendance(review, bob, True, "Quality manager")
    read = reviews.attendance(review)
    _by_maria(lambda: reviews.set_attendance(review, ann, False, "Chair"))
    reviews.remove_attendance(review, bob, read=read)
    assert _seats(review) == {"Ann Boss": (False, "Chair")}


# --- The policy's 5.2.1 check -----------------------------------------------------------------

POLICY = "We repair industrial pumps.\nWe keep improving how we work."


def _draft() -> DocumentVersion:
    document = policy.policy_document()
    assert document is not None
    return policy.start_draft(document, POLICY)


def _checks(draft: DocumentVersion) -> dict[str, tuple[bool, str]]:
    return {key: (check.met, check.evidence) for key, check in policy.checks(draft).items()}


def test_a_point_changed_meanwhile_refuses_my_tick(store: db.Store) -> None:
    draft = _draft()
    policy.set_check(draft, "improvement", True, "We keep improving how we work.")
    read = policy.checks(draft)
    version = read["improvement"].row_version
    _by_maria(lambda: policy.set_check(draft, "improvement", False))
    entries = ChangeHistory.select().count()

    with clock.stopped_at(MORNING + dt.timedelta(minutes=5)), \
            pytest.raises(RecordChanged) as refused:
        policy.set_check(draft, "improvement", True, "We keep improving how we work.",
                         read=read)

    assert refused.value.message == TOLD
    assert _checks(draft)["improvement"] == (False, "")
    assert ChangeHistory.select().count() == entries
    assert read["improvement"].row_version == version  # the form's copy, as it read it


def test_unlinking_a_sentence_someone_linked_meanwhile_is_refused(store: db.Store) -> None:
    draft = _draft()
    read = policy.checks(draft)
    _by_maria(lambda: policy.set_check(draft, "purpose", True, "We repair industrial pumps."))
    with pytest.raises(RecordChanged, match="Maria Khan"):
        policy.set_check(draft, "purpose", False, read=read)
    assert _checks(draft)["purpose"] == (True, "We repair industrial pumps.")


def test_another_point_changed_meanwhile_lets_my_tick_through(store: db.Store) -> None:
    draft = _draft()
    policy.set_check(draft, "improvement", False)
    read = policy.checks(draft)
    _by_maria(lambda: policy.set_check(draft, "purpose", True, "We repair industrial pumps."))
    written = policy.set_check(draft, "improvement", True, "We keep improving how we work.",
                               read=read)
    assert _checks(draft)["purpose"] == (True, "We repair industrial pumps.")
    assert _checks(draft)["improvement"] == (True, "We keep improving how we work.")
    # Read again after a Reload, the point saves over their version.
    _by_maria(lambda: policy.set_check(draft, "improvement", False))
    with pytest.raises(RecordChanged):
        policy.set_check(draft, "improvement", True, read={"improvement": written})
    policy.set_check(draft, "improvement", True, read=policy.checks(draft))
    assert _checks(draft)["improvement"] == (True, "")
