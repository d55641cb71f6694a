"""The store: migrations, refusals that leave files untouched, the lock, backups, history."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import sqlite3
from pathlib import Path

import peewee
import pytest

from qms_desktop import db, errors, migrations, records
from qms_desktop.models import ChangeHistory, Person, Site, database
from qms_desktop.paths import BACKUPS_TO_KEEP


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_database(path: Path, *site_names: str) -> None:
    """A closed database file holding one site per name."""
    with db.open_database(path):
        records.set_setting(records.USER_NAME_KEY, "Test User")
        for name in site_names:
            records.create(Site, name=name)


def site_names_in(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM site ORDER BY name")]
    finally:
        connection.close()


def set_user_version(path: Path, version: int) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA user_version = {version}")
        connection.commit()
    finally:
        connection.close()


# --- Migrations and refusals ------------------------------------------------------------------


def test_migrations_on_an_empty_file_set_version_and_application_id(db_path: Path) -> None:
    db_path.touch()
    with db.open_database(db_path, start_new=True) as store:
        assert store.migrated_from == 0
        assert store.pre_migration_backup is None  # nothing to lose in a new file
    connection = sqlite3.connect(db_path)
    try:
        assert migrations.user_version(connection) == migrations.SCHEMA_VERSION
        assert migrations.application_id(connection) == migrations.APPLICATION_ID
    finally:
        connection.close()


def test_reopening_a_current_file_runs_no_migration(db_path: Path) -> None:
    make_database(db_path, "Pune")
    with db.open_database(db_path) as store:
        assert store.migrated_from is None
        assert [s.name for s in Site.select()] == ["Pune"]


def test_a_newer_file_is_refused_and_left_byte_for_byte(db_path: Path) -> None:
    make_database(db_path, "Pune")
    set_user_version(db_path, migrations.SCHEMA_VERSION + 1)
    before = digest(db_path)

    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(db_path)

    assert "newer version" in refused.value.message
    assert f"data format {migrations.SCHEMA_VERSION + 1}" in refused.value.message
    assert digest(db_path) == before
    assert database.is_closed()


def test_a_foreign_sqlite_file_is_refused_untouched(db_path: Path) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute("CREATE TABLE invoices (number INTEGER)")
    connection.execute("INSERT INTO invoices VALUES (1)")
    connection.commit()
    connection.close()
    before = digest(db_path)

    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(db_path)

    assert "another program" in refused.value.message
    assert digest(db_path) == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(db_path: Path) -> None:
    db_path.write_bytes(b"Quarterly figures, do not delete\n" * 50)
    before = digest(db_path)
    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(db_path)
    assert refused.value.offer_restore
    assert "Restore the latest backup" in refused.value.advice
    assert digest(db_path) == before


# --- The lock ---------------------------------------------------------------------------------


def test_the_lock_refuses_a_second_open_until_the_first_is_closed(db_path: Path) -> None:
    first = db.open_database(db_path)
    try:
        with pytest.raises(errors.EnvironmentProblem) as refused:
            db.open_database(db_path)
        assert "already open" in refused.value.message
        # The refused attempt must not have closed the first one's connection.
        assert not database.is_closed()
        records.create(Site, name="Still writable")
    finally:
        first.close()
    with db.open_database(db_path):
        assert Site.select().count() == 1


# --- Backup and restore -----------------------------------------------------------------------


def test_backup_change_restore_brings_the_old_data_back(store: db.Store, tmp_path: Path) -> None:
    site = records.create(Site, name="Before")
    backup = db.backup_to(store, tmp_path / "copy.db")
    records.update(site, name="After")
    records.create(Site, name="Added later")

    safety = db.restore_from(store, backup)

    assert [s.name for s in Site.select()] == ["Before"]
    assert safety.is_file()
    assert safety.parent == db.list_backups(store.path)[-1].parent
    assert site_names_in(safety) == ["Added later", "After"]


def test_restore_refuses_a_junk_file_and_keeps_the_data(store: db.Store, tmp_path: Path) -> None:
    records.create(Site, name="Kept")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00not a backup" * 100)

    with pytest.raises(errors.EnvironmentProblem):
        db.restore_from(store, junk)

    assert [s.name for s in Site.select()] == ["Kept"]
    assert db.list_backups(store.path) == []  # refused before any safety copy was made


def test_restore_refuses_a_newer_backup_and_keeps_the_data(
    store: db.Store, tmp_path: Path
) -> None:
    newer = db.backup_to(store, tmp_path / "newer.db")
    set_user_version(newer, migrations.SCHEMA_VERSION + 1)
    records.create(Site, name="Kept")

    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.restore_from(store, newer)

    assert "newer version" in refused.value.message
    assert [s.name for s in Site.select()] == ["Kept"]


def test_recover_from_backup_replaces_a_damaged_file_and_keeps_it(
    db_path: Path, tmp_path: Path
) -> None:
    make_database(db_path, "Pune", "Dubai")
    backup = tmp_path / "good.db"
    with db.open_database(db_path) as store:
        db.backup_to(store, backup)
    damage = b"\x13" * 4096
    db_path.write_bytes(damage)
    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(db_path)
    assert refused.value.offer_restore

    kept = db.recover_from_backup(db_path, backup)

    assert kept.read_bytes() == damage
    assert kept.parent == db_path.parent
    with db.open_database(db_path):
        assert sorted(s.name for s in Site.select()) == ["Dubai", "Pune"]


def test_recover_from_backup_refuses_while_the_database_is_open(
    db_path: Path, tmp_path: Path
) -> None:
    make_database(db_path, "Pune")
    backup = tmp_path / "good.db"
    with db.open_database(db_path) as store:
        db.backup_to(store, backup)
        with pytest.raises(errors.EnvironmentProblem) as refused:
            db.recover_from_backup(db_path, backup)
        assert "already open" in refused.value.message
        assert [s.name for s in Site.select()] == ["Pune"]


# --- The change history -----------------------------------------------------------------------


def test_create_update_archive_each_log_who_and_what(store: db.Store) -> None:
    person = records.create(Person, full_name="Asha Rao")
    records.update(person, job_title="Quality officer")
    records.update(person, job_title="Quality officer")  # no real change: no entry
    records.archive(person)

    entries = records.history_of(person)

    assert [e.operation for e in entries] == ["create", "update", "archive"]
    assert {e.changed_by for e in entries} == {"Test User"}
    assert {e.table_name for e in entries} == {"person"}
    assert json.loads(entries[0].changes)["full_name"] == "Asha Rao"
    assert json.loads(entries[1].changes) == {"job_title": ["", "Quality officer"]}


def test_a_failed_history_insert_saves_nothing(
    store: db.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = records.create(Site, name="Original")
    entries_before = ChangeHistory.select().count()
    # "Who" is NOT NULL: SQLite itself rejects the history row, after the record was written.
    monkeypatch.setattr(records, "current_user", lambda: None)

    with pytest.raises(peewee.IntegrityError):
        records.create(Site, name="Never saved")
    with pytest.raises(peewee.IntegrityError):
        records.update(site, name="Never renamed")
    with pytest.raises(peewee.IntegrityError):
        records.archive(Site.get_by_id(site.id))

    monkeypatch.undo()
    assert [(s.name, s.archived_at) for s in Site.select()] == [("Original", None)]
    assert ChangeHistory.select().count() == entries_before


# --- Rolling backups --------------------------------------------------------------------------


def daily_backups(store: db.Store) -> list[Path]:
    return [p for p in db.list_backups(store.path) if f"-{db.DAILY_PREFIX}-" in p.name]


def test_rolling_backup_skips_an_empty_database(store: db.Store) -> None:
    assert db.take_rolling_backup(store) is None
    assert daily_backups(store) == []


def test_rolling_backup_at_most_once_a_day(store: db.Store) -> None:
    records.create(Site, name="Pune")
    start = dt.datetime.now()

    first = db.take_rolling_backup(store, now=start)
    assert first is not None
    assert db.take_rolling_backup(store, now=start + dt.timedelta(hours=23)) is None
    os.utime(first, (start.timestamp(), start.timestamp()))
    second = db.take_rolling_backup(store, now=start + dt.timedelta(days=1, minutes=1))

    assert second is not None
    assert daily_backups(store) == [first, second]


def test_rolling_backup_keeps_only_the_newest(store: db.Store) -> None:
    records.create(Site, name="Pune")
    start = dt.datetime.now() - dt.timedelta(days=30)
    made = []
    for day in range(BACKUPS_TO_KEEP + 2):
        now = start + dt.timedelta(days=day)
        backup = db.take_rolling_backup(store, now=now)
        assert backup is not None
        # Date the file as if it was made on that day, so the next one is due.
        os.utime(backup, (now.timestamp(), now.timestamp()))
        made.append(backup)

    assert daily_backups(store) == made[-BACKUPS_TO_KEEP:]
    assert not made[0].exists()
    assert not made[1].exists()


def test_open_database_takes_the_rolling_backup_when_asked(db_path: Path) -> None:
    make_database(db_path, "Pune")
    with db.open_database(db_path, rolling_backup=True) as store:
        assert len(daily_backups(store)) == 1
        assert site_names_in(daily_backups(store)[0]) == ["Pune"]


# --- The environment --------------------------------------------------------------------------


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    path = tmp_path / "not-made-yet" / "qms.db"
    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(path)
    assert refused.value.title == "Folder not found"
    assert str(path.parent) in refused.value.message
    assert not path.parent.exists()


def test_the_default_location_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "made-on-first-use" / "qms.db"
    with db.open_database(path, create_folder=True):
        pass
    assert path.is_file()


def test_a_read_only_file_is_refused_untouched(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, where chmod does not stop writes: ask os.access the way a user would.
    make_database(db_path, "Pune")
    before = digest(db_path)
    real_access = os.access
    monkeypatch.setattr(
        db.os,
        "access",
        lambda path, mode, **kw: False if mode == os.W_OK else real_access(path, mode, **kw),
    )

    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(db_path)

    assert refused.value.title == "Read-only location"
    assert digest(db_path) == before
    monkeypatch.undo()
    with db.open_database(db_path):  # the lock was released
        pass


def test_a_read_only_folder_for_a_new_file_is_explained(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def cannot_create(self: peewee.SqliteDatabase) -> None:
        raise peewee.OperationalError("unable to open database file")

    # On the class: `database` stands for whichever database is open, and each opening
    # makes a new one.
    monkeypatch.setattr(peewee.SqliteDatabase, "connect", cannot_create)
    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(db_path)
    assert "read-only" in refused.value.message
    monkeypatch.undo()
    with db.open_database(db_path):  # the lock was released
        pass


@pytest.mark.parametrize(
    ("error", "title"),
    [
        (sqlite3.OperationalError("database or disk is full"), "Disk full"),
        (peewee.OperationalError("database or disk is full"), "Disk full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "Read-only location"),
        (sqlite3.DatabaseError("file is not a database"), "Damaged or wrong file"),
        (sqlite3.DatabaseError("database disk image is malformed"), "Damaged or wrong file"),
        (sqlite3.OperationalError("database is locked"), "Database busy"),
        (OSError(errno.ENOSPC, "No space left on device"), "Disk full"),
        (OSError(errno.EROFS, "Read-only file system"), "Read-only location"),
        (OSError(errno.EACCES, "Permission denied"), "Read-only location"),
    ],
)
def test_environment_errors_are_mapped(error: Exception, title: str, tmp_path: Path) -> None:
    problem = errors.from_exception(error, tmp_path / "qms.db")
    assert problem is not None
    assert problem.title == title
    assert problem.advice


@pytest.mark.parametrize(
    "error",
    [sqlite3.OperationalError("no such column: nme"), ValueError("bug"), KeyError("x")],
)
def test_bugs_are_not_mistaken_for_the_environment(error: Exception, tmp_path: Path) -> None:
    assert errors.from_exception(error, tmp_path / "qms.db") is None


def test_disk_full_on_write_is_the_disk_full_message(store: db.Store) -> None:
    records.create(Site, name="Saved before")
    # A page limit makes SQLite run out of room exactly as a full disk does.
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")

    with pytest.raises(errors.EnvironmentProblem) as refused, db.environment_errors(store.path):
        records.create(Site, name="x" * 200, address="y" * 90_000)

    assert refused.value.title == "Disk full"
    assert "not saved" in refused.value.message
    assert [s.name for s in Site.select()] == ["Saved before"]
