"""The one action tracker: raising, moving, closing, the filters and the due-date history."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import actions, nonconformities, records
from qms_desktop.errors import ValidationError
from qms_desktop.models import Action, Person, Risk

TODAY = dt.date(2025, 3, 10)


def person(name: str) -> Person:
    return records.create(Person, full_name=name)


def risk(title: str = "Key supplier may fail", kind: str = "risk") -> Risk:
    return records.create(Risk, title=title, kind=kind)


def nc():
    return nonconformities.create_nonconformity("Wrong label on pallet", dt.date(2025, 2, 1))


def reload(action: Action) -> Action:
    return Action.get_by_id(action.id)


# --- Raising ---------------------------------------------------------------------------------


def test_raise_action_names_its_source_and_keeps_the_first_due_date(store):
    ada = person("Ada")
    source = risk()
    action = actions.raise_action(source, "Find a second supplier", ada, dt.date(2025, 4, 1))
    stored = reload(action)
    assert (stored.source_table, stored.source_id) == ("risk", source.id)
    assert stored.original_due_on == stored.due_on == dt.date(2025, 4, 1)
    assert stored.status == "open"
    assert actions.actions_for(source) == [stored]
    assert actions.source_record(stored) == source


def test_raise_action_needs_a_title_and_a_due_date(store):
    with pytest.raises(ValidationError) as caught:
        actions.raise_action(risk(), "  ", None, None)
    assert set(caught.value.problems) == {"title", "due_on"}
    assert Action.select().count() == 0


def test_source_labels(store):
    assert actions.source_label(
        actions.raise_action(nc(), "Fix", None, TODAY)
    ) == "Nonconformity NC-2025-001"
    assert actions.source_label(
        actions.raise_action(risk("Late parts"), "Fix", None, TODAY)
    ) == "Risk: Late parts"
    assert actions.source_label(
        actions.raise_action(risk("Export", kind="opportunity"), "Go", None, TODAY)
    ) == "Opportunity: Export"
    orphan = records.create(Action, title="Lost", due_on=TODAY, source_table="risk",
                            source_id="no-such-id")
    assert actions.source_label(orphan) == "Risk (record not found)"
    assert actions.register_label("review_decision") == "Review decision"
    assert actions.register_label("supplier") == "Supplier"


# --- Moving the due date -------------------------------------------------------------------------


def test_reschedule_twice_keeps_the_original_and_the_history_shows_both_moves(store):
    action = actions.raise_action(risk(), "Audit the supplier", None, dt.date(2025, 4, 1))
    actions.reschedule(action, dt.date(2025, 5, 1), "Supplier on holiday")
    actions.reschedule(action, dt.date(2025, 6, 15), "Auditor ill")
    stored = reload(action)
    assert stored.original_due_on == dt.date(2025, 4, 1)
    assert stored.due_on == dt.date(2025, 6, 15)
    moves = actions.due_date_history(stored)
    assert [(m.old_due, m.new_due, m.reason) for m in moves] == [
        (dt.date(2025, 4, 1), dt.date(2025, 5, 1), "Supplier on holiday"),
        (dt.date(2025, 5, 1), dt.date(2025, 6, 15), "Auditor ill"),
    ]
    assert all(m.changed_by == "Test User" for m in moves)


def test_reschedule_needs_a_reason_and_an_open_action(store):
    action = actions.raise_action(risk(), "Audit", None, dt.date(2025, 4, 1))
    with pytest.raises(ValidationError) as caught:
        actions.reschedule(action, dt.date(2025, 5, 1), " ")
    assert "reason" in caught.value.problems
    assert reload(action).due_on == dt.date(2025, 4, 1)
    actions.cancel(action, "No longer needed")
    with pytest.raises(ValidationError):
        actions.reschedule(action, dt.date(2025, 5, 1), "Late")
    assert actions.due_date_history(action) == []


# --- Completing, cancelling, reopening --------------------------------------------------------


def test_complete_needs_evidence_and_a_date_not_in_the_future(store):
    action = actions.raise_action(risk(), "Train staff", None, dt.date(2025, 4, 1))
    with pytest.raises(ValidationError) as caught:
        actions.complete(action, dt.date(2025, 3, 11), "", today=TODAY)
    assert set(caught.value.problems) == {"done_on", "evidence"}
    assert reload(action).status == "open"
    actions.complete(action, TODAY, "Attendance sheet 2025-03", today=TODAY)
    stored = reload(action)
    assert (stored.status, stored.done_on, stored.evidence) == (
        "done", TODAY, "Attendance sheet 2025-03")
    with pytest.raises(ValidationError):
        actions.complete(stored, TODAY, "again", today=TODAY)


def test_cancel_needs_a_reason_and_reopen_clears_the_closing(store):
    action = actions.raise_action(risk(), "Buy a gauge", None, dt.date(2025, 4, 1))
    with pytest.raises(ValidationError):
        actions.cancel(action, "")
    actions.cancel(action, "Borrowed one instead")
    assert reload(action).status == "cancelled"
    assert reload(action).evidence == "Borrowed one instead"
    actions.reopen(action, "Loan ended")
    stored = reload(action)
    assert (stored.status, stored.done_on, stored.evidence) == ("open", None, "")
    with pytest.raises(ValidationError):
        actions.reopen(stored)


# --- The tracker's filters ---------------------------------------------------------------------


@pytest.fixture
def tracker(store):
    ada, bob = person("Ada"), person("Bob")
    a_risk, a_nc = risk(), nc()
    made = {
        "ada_overdue_risk": actions.raise_action(a_risk, "A", ada, TODAY - dt.timedelta(days=1)),
        "ada_today_nc": actions.raise_action(a_nc, "B", ada, TODAY),
        "bob_week_end_risk": actions.raise_action(a_risk, "C", bob, TODAY + dt.timedelta(days=7)),
        "bob_later_nc": actions.raise_action(a_nc, "D", bob, TODAY + dt.timedelta(days=8)),
        "bob_overdue_nc": actions.raise_action(a_nc, "E", bob, TODAY - dt.timedelta(days=30)),
        "ada_done_overdue": actions.raise_action(a_risk, "F", ada, TODAY - dt.timedelta(days=5)),
    }
    actions.complete(made["ada_done_overdue"], TODAY, "Done", today=TODAY)
    archived = actions.raise_action(a_risk, "G", ada, TODAY - dt.timedelta(days=2))
    records.archive(archived)
    return ada, bob, made


def titles(query) -> list[str]:
    return sorted(a.title for a in query)


def test_mine(tracker):
    ada, bob, _ = tracker
    assert titles(actions.mine(ada)) == ["A", "B", "F"]
    assert titles(actions.mine(bob)) == ["C", "D", "E"]


def test_overdue_is_open_and_past_due_only(tracker):
    assert titles(actions.overdue(TODAY)) == ["A", "E"]


def test_due_this_week_runs_from_today_to_seven_days_on(tracker):
    assert titles(actions.due_this_week(TODAY)) == ["B", "C"]


def test_by_source(tracker):
    assert titles(actions.by_source("nonconformity")) == ["B", "D", "E"]
    assert titles(actions.by_source("risk")) == ["A", "C", "F"]


def test_filters_combine(tracker):
    ada, bob, _ = tracker
    assert titles(actions.overdue(TODAY, actions.mine(ada))) == ["A"]
    assert titles(actions.by_source("nonconformity", actions.overdue(TODAY))) == ["E"]
    assert titles(actions.due_this_week(TODAY, actions.by_source("risk",
                                                                  actions.mine(bob)))) == ["C"]
    assert titles(actions.open_actions(actions.mine(ada))) == ["A", "B"]


def test_reminder_counts(tracker):
    assert actions.reminder_counts(TODAY) == (2, 2)


def test_lists_are_soonest_first(tracker):
    dues = [a.due_on for a in actions.all_actions()]
    assert dues == sorted(dues)
