"""Working at the same time: a save from a copy read before someone else's change is refused.

Every record has a row version that each change raises; records.update, archive and restore
write only where the row still has the version their copy was read at, so of two people who
opened the same record, the second to save is told who changed it and when, and nothing of
either is lost.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qms_desktop import clock, db, errors, evidence, export, records
from qms_desktop.errors import RECORD_CHANGED_KEY, RecordChanged, ValidationError
from qms_desktop.models import ChangeHistory, Person, Site

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)


def _two_copies(**values: object) -> tuple[Person, Person]:
    made = records.create(Person, full_name="Ann Lee", **values)
    return Person.get_by_id(made.id), Person.get_by_id(made.id)


def test_a_new_record_starts_at_version_zero_and_each_change_raises_it(store: db.Store) -> None:
    person = records.create(Person, full_name="Ann Lee")
    assert Person.get_by_id(person.id).row_version == 0
    records.update(person, job_title="Buyer")
    assert person.row_version == 1
    records.update(person, job_title="Buyer")  # nothing changed: nothing written
    records.archive(person)
    records.unarchive(person)
    assert person.row_version == 3
    assert Person.get_by_id(person.id).row_version == 3


def test_the_first_update_wins_and_the_second_is_refused(store: db.Store) -> None:
    mine, theirs = _two_copies()
    with clock.stopped_at(MORNING), records.history_as(who="Maria Khan"):
        records.update(theirs, job_title="Quality officer")
    entries = ChangeHistory.select().count()

    with clock.stopped_at(MORNING + dt.timedelta(hours=1)), pytest.raises(RecordChanged) as refused:
        records.update(mine, job_title="Buyer", email="ann@example.com")

    assert refused.value.message == "Changed by Maria Khan at 10:42 UTC since you opened it."
    assert refused.value.problems == {RECORD_CHANGED_KEY: refused.value.message}
    assert isinstance(refused.value, ValidationError)  # shown as any refused input is
    stored = Person.get_by_id(mine.id)
    assert (stored.job_title, stored.email, stored.row_version) == ("Quality officer", "", 1)
    assert ChangeHistory.select().count() == entries  # no history entry for the refused save
    # The refused copy still describes the row as it was read, not what was refused.
    assert (mine.job_title, mine.email, mine.row_version) == ("", "", 0)


def test_a_change_on_another_day_names_the_day(store: db.Store) -> None:
    mine, theirs = _two_copies()
    with clock.stopped_at(MORNING), records.history_as(who="Maria Khan"):
        records.update(theirs, job_title="Quality officer")
    with clock.stopped_at(MORNING + dt.timedelta(days=2)), pytest.raises(RecordChanged) as refused:
        records.update(mine, job_title="Buyer")
    assert str(refused.value.message) == (
        "Changed by Maria Khan on 5 March 2026 at 10:42 UTC since you opened it.")


def test_a_copy_read_again_after_the_change_saves(store: db.Store) -> None:
    mine, theirs = _two_copies()
    records.update(theirs, job_title="Quality officer")
    with pytest.raises(RecordChanged):
        records.update(mine, job_title="Buyer")
    mine = Person.get_by_id(mine.id)  # "Reload"
    records.update(mine, email="ann@example.com")
    stored = Person.get_by_id(mine.id)
    assert (stored.job_title, stored.email, stored.row_version) == (
        "Quality officer", "ann@example.com", 2)


def test_the_same_copy_saves_again_after_its_own_save(store: db.Store) -> None:
    person = records.create(Person, full_name="Ann Lee")
    for title in ("Buyer", "Senior buyer", "Head of buying"):
        records.update(person, job_title=title)
    assert Person.get_by_id(person.id).job_title == "Head of buying"


def test_archive_and_restore_from_a_stale_copy_are_refused(store: db.Store) -> None:
    mine, theirs = _two_copies()
    with records.history_as(who="Maria Khan"):
        records.archive(theirs)
    with pytest.raises(RecordChanged, match="Changed by Maria Khan"):
        records.archive(mine)  # archived by Maria since it was read
    assert mine.archived_at is None  # the copy still says what it read

    mine, theirs = Person.get_by_id(mine.id), Person.get_by_id(mine.id)
    records.unarchive(mine)
    with pytest.raises(RecordChanged):
        records.unarchive(theirs)
    assert Person.get_by_id(mine.id).archived_at is None
    assert ChangeHistory.select().where(
        (ChangeHistory.record_id == mine.id) & (ChangeHistory.operation != "create")
    ).count() == 2  # one archive, one restore: the refused ones wrote nothing


def test_an_archive_by_another_refuses_an_edit_of_the_live_copy(store: db.Store) -> None:
    """Even though the edit touches other fields: archived meanwhile is always told."""
    mine, theirs = _two_copies()
    with records.history_as(who="Maria Khan"):
        records.archive(theirs)
    with pytest.raises(RecordChanged, match="Maria Khan"):
        records.update(mine, job_title="Buyer")
    assert Person.get_by_id(mine.id).job_title == ""


def test_a_refused_link_change_keeps_the_copys_link(store: db.Store) -> None:
    here = records.create(Site, name="Leeds")
    there = records.create(Site, name="York")
    elsewhere = records.create(Site, name="Hull")
    mine, theirs = _two_copies(site=here)
    records.update(theirs, site=elsewhere)
    with pytest.raises(RecordChanged):
        records.update(mine, site=there)
    assert mine.site_id == here.id and mine.site.name == "Leeds"
    assert Person.get_by_id(mine.id).site_id == elsewhere.id


def test_a_stale_copy_changing_other_fields_keeps_theirs_and_adds_its_own(
        store: db.Store) -> None:
    """Only the fields a save changes are written, so a change of other fields since the
    copy was read is no conflict: both land, as a service moving an audit along through its
    own copy while the screen holds another."""
    mine, theirs = _two_copies()
    records.update(theirs, job_title="Quality officer")
    records.update(mine, email="ann@example.com")
    stored = Person.get_by_id(mine.id)
    assert (stored.job_title, stored.email, stored.row_version) == (
        "Quality officer", "ann@example.com", 2)
    # The copy has caught up with what it wrote over, so its version tells the truth.
    assert (mine.row_version, mine.job_title) == (2, "Quality officer")
    records.update(mine, job_title="Buyer")
    assert Person.get_by_id(mine.id).job_title == "Buyer"
    # The same field changed meanwhile is refused, even after such a merge.
    records.update(Person.get_by_id(mine.id), email="qa@example.com")
    with pytest.raises(RecordChanged):
        records.update(mine, email="ann.lee@example.com")
    assert Person.get_by_id(mine.id).email == "qa@example.com"


def test_the_version_is_bookkeeping_not_content(store: db.Store) -> None:
    """The history, the evidence check and the export never see it."""
    person = records.create(Person, full_name="Ann Lee")
    records.update(person, job_title="Buyer")
    records.archive(person)
    records.unarchive(person)
    for entry in ChangeHistory.select():
        assert "row_version" not in entry.changes
    assert evidence.verify(store.connection).sound
    assert "row_version" not in [f.name for f in export.register_fields(Person)]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), st.booleans(), st.integers(0, 9)),
                min_size=1, max_size=25))
def test_interleaved_updates_never_lose_one_silently(
        store: db.Store, steps: list[tuple[int, bool, int]]) -> None:
    """Three people, each with their own copy of one field, reading again or saving in any
    order: every save either lands (and is what the record then holds, in the history too)
    or is refused because its copy was older than the record; none vanishes."""
    made = records.create(Person, full_name="Shared")
    copies = [Person.get_by_id(made.id) for _ in range(3)]
    stored_version, landed = 0, 0
    for who, read_again, value in steps:
        if read_again:
            copies[who] = Person.get_by_id(made.id)
            continue
        copy = copies[who]
        wanted = f"title {value} by {who} after {landed}"  # every save changes something
        was_current = copy.row_version == stored_version
        try:
            records.update(copy, job_title=wanted)
        except RecordChanged:
            assert not was_current, "a save from an up-to-date copy was refused"
        else:
            assert was_current, "a save from an outdated copy overwrote a newer change"
            landed += 1
            stored_version += 1
            assert Person.get_by_id(made.id).job_title == wanted
        assert Person.get_by_id(made.id).row_version == stored_version
    saved = ChangeHistory.select().where(
        (ChangeHistory.record_id == made.id) & (ChangeHistory.operation == "update")).count()
    assert saved == landed


def test_on_a_server_the_second_save_is_refused_too(server_url: str) -> None:
    """The same step and the same check on PostgreSQL (the step's DDL translated)."""
    from qms_desktop import server

    with server.open_server(server_url):
        mine, theirs = _two_copies()
        assert mine.row_version == 0
        with records.history_as(who="Maria Khan"):
            records.update(theirs, job_title="Quality officer")
        with pytest.raises(RecordChanged, match="Changed by Maria Khan at "):
            records.update(mine, job_title="Buyer")
        records.update(mine, email="ann@example.com")  # other fields: both kept
        stored = Person.get_by_id(mine.id)
        assert (stored.job_title, stored.email, stored.row_version) == (
            "Quality officer", "ann@example.com", 2)


def test_a_refusal_no_form_catches_reads_as_a_plain_problem(store: db.Store) -> None:
    """A button that saves at once (reopen, say) lets it reach the window's error hook."""
    mine, theirs = _two_copies()
    with records.history_as(who="Maria Khan"):
        records.archive(theirs)
    with pytest.raises(RecordChanged) as refused:
        records.update(mine, job_title="Buyer")
    problem = errors.from_exception(refused.value, store.path)
    assert problem is not None and problem.title == "Changed by someone else"
    assert problem.message.startswith("Changed by Maria Khan at ")
    assert problem.message.endswith("since you opened it. Nothing was saved.")
