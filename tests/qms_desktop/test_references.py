"""Readable references: given once by the records layer, per year, never reused or changed;
given to the rows of an older file by its schema step, with their history."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from qms_desktop import (
    actions,
    db,
    evidence,
    feedback,
    history_chain,
    migrations,
    nonconformities,
    records,
    references,
)
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    REFERENCED_MODELS,
    Action,
    ChangeHistory,
    Feedback,
    Nonconformity,
    Risk,
    Supplier,
    database,
)

TODAY = dt.date(2026, 6, 1)


def _risk(title: str = "Key supplier may fail") -> Risk:
    return records.create(Risk, title=title)


def test_each_register_a_pack_cites_declares_a_prefix_of_its_own() -> None:
    prefixes = [m.reference_prefix for m in REFERENCED_MODELS]
    assert len(set(prefixes)) == len(prefixes)
    assert {"Action", "Risk", "Nonconformity", "Audit", "Finding", "Objective", "Kpi",
            "Supplier", "Feedback", "ResourceRequest", "ContextIssue", "InterestedParty",
            "Process", "ReviewDecision"} <= {m.__name__ for m in REFERENCED_MODELS}
    for model in REFERENCED_MODELS:
        assert "reference" in model._meta.fields
        assert not model.reference_date or model.reference_date in model._meta.fields


def test_new_records_are_numbered_in_the_year_of_their_own_date(store: db.Store) -> None:
    late = feedback.record_feedback("complaint", "Acme", dt.date(2026, 3, 1), "Late",
                                    today=TODAY)
    early = feedback.record_feedback("complaint", "Acme", dt.date(2026, 1, 10), "Early",
                                     today=TODAY)
    last_year = feedback.record_feedback("compliment", "Bolt", dt.date(2025, 12, 1), "Fine",
                                         today=TODAY)
    # Numbered as raised: the order they were typed in, in the year of their own date.
    assert (late.reference, early.reference, last_year.reference) == (
        "FB-2026-001", "FB-2026-002", "FB-2025-001")
    assert Feedback.get_by_id(late.id).reference == "FB-2026-001"


def test_a_register_without_a_date_of_its_own_counts_in_the_year_it_was_made(
        store: db.Store) -> None:
    from qms_desktop import clock

    with clock.stopped_at(dt.datetime(2025, 7, 1, 12, 0, tzinfo=dt.UTC)):
        first = _risk("One")
    with clock.stopped_at(dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)):
        second = _risk("Two")
        third = _risk("Three")
    assert [first.reference, second.reference, third.reference] == [
        "RSK-2025-001", "RSK-2026-001", "RSK-2026-002"]
    # A row that gives its creation stamp (the sample company does) counts in that year.
    made = records.create(Supplier, name="Ferro Ltd",
                          created_at=dt.datetime(2024, 5, 2, 9, 0))
    assert made.reference == "SUP-2024-001"


def test_archived_records_keep_their_number_and_it_is_never_reused(store: db.Store) -> None:
    source = _risk()
    first = actions.raise_action(source, "Find a second supplier", None, TODAY)
    second = actions.raise_action(source, "Audit the supplier", None, TODAY)
    records.archive(second)
    third = actions.raise_action(source, "Review stock levels", None, TODAY)
    year = first.created_at.year
    assert [first.reference, second.reference, third.reference] == [
        f"ACT-{year}-001", f"ACT-{year}-002", f"ACT-{year}-003"]


def test_the_history_keeps_the_reference_given(store: db.Store) -> None:
    risk = _risk()
    (entry,) = records.history_of(risk)
    assert json.loads(entry.changes)["reference"] == risk.reference


def test_references_inside_one_transaction_follow_on(store: db.Store) -> None:
    """The next number is read in the transaction that inserts: a second row written in the
    same transaction sees the first, and a rolled-back one leaves its number free."""
    with database.atomic():
        one = _risk("One")
        two = _risk("Two")
    assert int(two.reference[-3:]) == int(one.reference[-3:]) + 1
    with pytest.raises(RuntimeError), database.atomic():
        _risk("Rolled back")
        raise RuntimeError("the user cancelled")
    three = _risk("Three")
    assert int(three.reference[-3:]) == int(two.reference[-3:]) + 1


def test_a_given_reference_is_kept_and_a_taken_one_refused(store: db.Store) -> None:
    kept = records.create(Risk, title="Imported", reference="RSK-2019-042")
    assert kept.reference == "RSK-2019-042"
    with pytest.raises(ValidationError) as refused:
        records.create(Risk, title="Imported twice", reference="RSK-2019-042")
    assert "already a record with this Reference" in str(refused.value.problems)
    assert Risk.select().count() == 1
    # Numbering goes on after the highest taken in that year.
    assert references.next_reference(Risk, 2019) == "RSK-2019-043"


def test_a_reference_never_changes(store: db.Store) -> None:
    risk = _risk()
    with pytest.raises(ValidationError) as refused:
        records.update(risk, reference="RSK-1999-001")
    assert "never changes" in str(refused.value.problems)
    assert Risk.get_by_id(risk.id).reference == risk.reference
    records.update(risk, title="Renamed", reference=risk.reference)  # unchanged: fine


def test_nonconformities_keep_their_format(store: db.Store) -> None:
    nc = nonconformities.create_nonconformity("Wrong label", dt.date(2026, 2, 3),
                                              today=TODAY)
    again = nonconformities.create_nonconformity("Wrong label again", dt.date(2026, 2, 4),
                                                 today=TODAY)
    assert (nc.reference, again.reference) == ("NC-2026-001", "NC-2026-002")
    assert nonconformities.next_reference(2026) == "NC-2026-003"


def test_rows_written_in_bulk_are_numbered_after_those_already_held(store: db.Store) -> None:
    feedback.record_feedback("complaint", "Acme", dt.date(2026, 1, 5), "Late", today=TODAY)
    rows = [
        {"id": "b", "received_on": dt.date(2026, 3, 1), "created_at": dt.datetime(2026, 3, 1)},
        {"id": "a", "received_on": dt.date(2026, 2, 1), "created_at": dt.datetime(2026, 2, 1)},
        {"id": "c", "received_on": dt.date(2025, 2, 1), "created_at": dt.datetime(2025, 2, 1)},
        {"id": "d", "received_on": dt.date(2025, 1, 1), "reference": "FB-2025-007"},
    ]
    references.fill_rows(Feedback, rows)
    assert [r["reference"] for r in rows] == [
        "FB-2026-003", "FB-2026-002", "FB-2025-008", "FB-2025-007"]
    people: list[dict[str, object]] = [{"id": "p"}]
    from qms_desktop.models import Person

    references.fill_rows(Person, people)  # no reference in that register: left alone
    assert "reference" not in people[0]


def test_what_a_reference_names(store: db.Store) -> None:
    risk = _risk("Key supplier may fail")
    chance = records.create(Risk, title="New market", kind="opportunity")
    complaint = feedback.record_feedback("complaint", "Acme", dt.date(2026, 1, 5),
                                         "Parts arrived late", today=TODAY)
    found = references.named([risk.reference, chance.reference, complaint.reference,
                              "RSK-1990-001", "XYZ-2026-001"])
    assert found[risk.reference] == references.Named(risk.reference, "Risk",
                                                     "Key supplier may fail")
    assert found[chance.reference].kind == "Opportunity"
    assert found[complaint.reference].kind == "Customer complaint"
    assert found[complaint.reference].title == "Acme: Parts arrived late"
    assert "RSK-1990-001" not in found and "XYZ-2026-001" not in found


# --- An older file ---------------------------------------------------------------------------


def _strip_references(connection: sqlite3.Connection) -> None:
    """The history as the version-8 app wrote it: no reference in a create entry (but a
    nonconformity's), sealed again as that app sealed it."""
    for entry_id, table, changes in connection.execute(
            "SELECT id, table_name, changes FROM change_history").fetchall():
        values = json.loads(changes)
        if table != "nonconformity" and "reference" in values:
            del values["reference"]
            connection.execute("UPDATE change_history SET changes = ? WHERE id = ?",
                               (records.history_text(values), entry_id))
    history_chain.seal_existing(connection)


def test_upgrading_a_version_8_file_gives_every_row_a_reference_with_its_history(
        store: db.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qms_desktop import clock

    risk = None
    for moment, title in ((dt.datetime(2026, 3, 1, 9), "March"),
                          (dt.datetime(2025, 11, 1, 9), "November"),
                          (dt.datetime(2026, 1, 1, 9), "January")):
        with clock.stopped_at(moment.replace(tzinfo=dt.UTC)):
            risk = _risk(title)
    assert risk is not None
    for received, words in ((dt.date(2026, 3, 1), "March"), (dt.date(2026, 1, 10), "January"),
                            (dt.date(2025, 12, 1), "December")):
        feedback.record_feedback("complaint", "Acme", received, words, today=TODAY)
    numbered = nonconformities.create_nonconformity("Numbered", dt.date(2026, 2, 1),
                                                    today=TODAY)
    blank = nonconformities.create_nonconformity("Never numbered", dt.date(2026, 1, 1),
                                                 today=TODAY)
    store.close()

    old = tmp_path / "old.db"
    with monkeypatch.context() as patched:
        patched.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:8])
        connection = sqlite3.connect(old)
        try:
            migrations.apply_pending(connection)
            assert migrations.user_version(connection) == 8
            connection.execute("ATTACH DATABASE ? AS written", (str(store.path),))
            with connection:
                for (table,) in connection.execute(
                        "SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall():
                    columns = ", ".join(f'"{row[1]}"' for row in connection.execute(
                        f'PRAGMA main.table_info("{table}")'))
                    connection.execute(f'INSERT INTO main."{table}" ({columns}) '
                                       f'SELECT {columns} FROM written."{table}"')
                # A nonconformity the old app left without a reference, history and all.
                connection.execute("UPDATE nonconformity SET reference = '' WHERE id = ?",
                                   (blank.id,))
                connection.execute(
                    "UPDATE change_history SET changes = replace(changes, ?, '\"\"') "
                    "WHERE record_id = ?", (f'"{blank.reference}"', blank.id))
                _strip_references(connection)
            connection.execute("DETACH DATABASE written")
            entries = connection.execute("SELECT count(*) FROM change_history").fetchone()[0]
        finally:
            connection.close()

    with db.open_database(old):  # the upgrade runs on opening
        assert [r.reference for r in Risk.select().order_by(Risk.created_at)] == [
            "RSK-2025-001", "RSK-2026-001", "RSK-2026-002"]
        by_words = {f.description: f.reference for f in Feedback.select()}
        assert by_words == {"January": "FB-2026-001", "March": "FB-2026-002",
                            "December": "FB-2025-001"}
        assert Nonconformity.get_by_id(numbered.id).reference == numbered.reference
        assert Nonconformity.get_by_id(blank.id).reference == "NC-2026-002"
        # Each reference given went into the history, after what was there.
        given = [(e.table_name, json.loads(e.changes)) for e in ChangeHistory.select()
                 .where(ChangeHistory.changed_by == references.BACKFILL_AUTHOR)]
        assert len(given) == 3 + 3 + 1
        assert ("nonconformity", {"reference": ["", "NC-2026-002"]}) in given
        assert ChangeHistory.select().count() == entries + len(given)
        # New rows go on from the numbers given.
        assert records.create(Risk, title="After").reference.startswith("RSK-")
        with pytest.raises(ValidationError):
            records.create(Risk, title="Twice", reference="RSK-2025-001")
        assert not Action.select().exists()
        # A copy as of a day before the upgrade names the same records by the same
        # references: given once, they never change.
        from qms_desktop import as_of

        live = {r.id: r.reference for r in Risk.select()}
        with as_of.records_as_of(dt.datetime(2026, 6, 1)):
            then = {r.id: r.reference for r in Risk.select()}
        assert then == {key: value for key, value in live.items() if key in then}
        assert len(then) == 3

    connection = sqlite3.connect(old)
    try:
        verdict = evidence.verify(connection)
        assert verdict.sound, verdict.report()
        assert not connection.execute(
            "SELECT name FROM sqlite_temp_master WHERE name = 'reference_backfill'").fetchall()
    finally:
        connection.close()


def test_the_export_carries_each_register_s_reference(store: db.Store, tmp_path: Path) -> None:
    from qms_desktop import export

    risk = _risk()
    complaint = feedback.record_feedback("complaint", "Acme", dt.date(2026, 1, 5), "Late",
                                         today=TODAY)
    target = tmp_path / "registers.json"
    export.export(target, "json")
    registers = json.loads(target.read_text(encoding="utf-8"))["registers"]
    assert [row["Reference"] for row in registers[Risk.display_plural]] == [risk.reference]
    assert [row["Reference"] for row in registers[Feedback.display_plural]] == [
        complaint.reference]


def test_another_writer_holding_the_file_never_gets_the_same_number(
        store: db.Store) -> None:
    """Another connection in the middle of a write: ours waits for it (briefly here) and is
    refused rather than reading a number it is about to take; once it commits, ours goes on
    after its number."""
    import peewee

    first = _risk("First")
    year = first.created_at.year
    other = sqlite3.connect(store.path, isolation_level=None)
    database.execute_sql("PRAGMA busy_timeout = 50")
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO risk (id, created_at, updated_at, kind, title, description, "
            "treatment, effectiveness, reference) VALUES ('other', ?, ?, 'risk', 'Theirs', "
            "'', '', '', ?)", (str(first.created_at), str(first.created_at),
                               f"RSK-{year}-002"))
        with pytest.raises(peewee.OperationalError):
            _risk("Ours, while they write")
        other.execute("COMMIT")
        ours = _risk("Ours, after")
    finally:
        other.close()
        database.execute_sql("PRAGMA busy_timeout = 5000")
    assert ours.reference == f"RSK-{year}-003"
    assert Risk.select().where(Risk.title == "Ours, while they write").count() == 0
    references_taken = [r.reference for r in Risk.select()]
    assert len(references_taken) == len(set(references_taken)) == 3
