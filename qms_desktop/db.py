"""The one database: open with a lock, migrate, back up, restore, check.

`open_database` is the only way in for reading and writing, `backup_file` the only way to
copy a file another process may have open (it only reads). Both turn every problem the
environment can cause into an `EnvironmentProblem` with advice, and leave the file as it was
when they refuse it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from qms_desktop import clock, errors, migrations, records
from qms_desktop.changes import ChangeFeed
from qms_desktop.files import (
    create_private_file,
    make_private_folder,
    remove_stale_partials_in,
    written_in_place_of,
)
from qms_desktop.lock import AlreadyLocked, InstanceLock, NotOurLock
from qms_desktop.models import ALL_MODELS, RECORD_MODELS, database
from qms_desktop.paths import BACKUPS_TO_KEEP, backups_dir, identity_locks_dir, wal_path

SQLITE_HEADER = b"SQLite format 3\x00"
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "busy_timeout": 5000,
}
DAILY_PREFIX = "daily"
# A -wal file found beside the database is copied into the backups folder before it is
# merged (see _set_aside_stray_wal); the newest few such copies are kept.
WAL_FOUND_PREFIX = "wal-found"
WAL_COPIES_TO_KEEP = 3


@dataclass
class Store:
    """An open database file, held with a lock so a second instance is refused."""

    path: Path
    lock: InstanceLock
    migrated_from: int | None = None
    pre_migration_backup: Path | None = None
    # What the user should be told about the opening (a -wal file set aside, say).
    notices: list[errors.EnvironmentProblem] = field(default_factory=list)
    # Committed writes to this database are announced here (the window listens).
    changes: ChangeFeed = field(default_factory=ChangeFeed)

    def close(self) -> None:
        if not database.is_closed():
            # Fold the write-ahead log back so the file alone is a complete copy.
            with contextlib.suppress(peewee.DatabaseError):
                database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            database.close()
        self.lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection = database.connection()  # peewee's stub leaves it untyped
        return connection

    def last_backup(self) -> Path | None:
        found = list_backups(self.path)
        return found[-1] if found else None


@contextlib.contextmanager
def environment_errors(path: Path) -> Iterator[None]:
    """Re-raise OS and SQLite errors the user can act on as EnvironmentProblem."""
    try:
        yield
    except errors.EnvironmentProblem:
        raise
    except (OSError, sqlite3.Error, peewee.DatabaseError) as exc:
        problem = errors.from_exception(exc, path)
        if problem is None:
            raise
        raise problem from exc


def _check_header(path: Path) -> None:
    with environment_errors(path), path.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise errors.not_a_database(path, "it does not start like an SQLite file")


def acquire_lock(path: Path) -> InstanceLock:
    lock = InstanceLock(path, identity_locks_dir())
    try:
        lock.acquire()
    except AlreadyLocked:
        raise errors.database_locked(path) from None
    except NotOurLock as taken:
        raise errors.lock_name_taken(path, Path(str(taken))) from None
    except OSError as exc:
        problem = errors.from_exception(exc, path)
        if problem is None:
            raise
        raise problem from exc
    return lock


def open_database(
    path: Path | str,
    *,
    create_folder: bool = False,
    rolling_backup: bool = False,
    start_new: bool = False,
) -> Store:
    """Open (creating if new) and migrate the database at `path`.

    `create_folder` is for the default location, whose folder is made on first use; a folder
    the user named must already exist. `rolling_backup` takes the once-a-day backup. An
    existing empty file is refused (it may be a copy that failed) unless `start_new` says
    the user chose to start a new quality system in it.
    """
    path = Path(path).expanduser().absolute()
    if create_folder:
        with environment_errors(path):
            make_private_folder(path.parent)
    if not path.parent.is_dir():
        raise errors.missing_folder(path)
    if path.is_dir():
        raise errors.not_a_database(path, "it is a folder")
    if path.exists() and not path.is_file():
        # A pipe would block the first read for ever; a device is no database either.
        raise errors.not_a_database(path, "it is not a plain file")
    lock = acquire_lock(path)
    created = False
    try:
        if path.exists():
            _check_header(path)
            if path.stat().st_size == 0 and not start_new:
                raise errors.empty_file(path)
        else:
            # Made here, owner-only, so SQLite gives its -wal and -shm files the same mode.
            with environment_errors(path):
                create_private_file(path)
            created = True
            lock.lock_identity()
        store = Store(path=path, lock=lock)
        with environment_errors(path):
            notice = _set_aside_stray_wal(path)
        if notice is not None:
            store.notices.append(notice)
        records.announce_to(store.changes)
        with environment_errors(path):
            _connect_and_migrate(store)
            if rolling_backup:
                take_rolling_backup(store)
        return store
    except BaseException:
        if not database.is_closed():
            database.close()
        if created:
            with contextlib.suppress(OSError):
                if path.stat().st_size == 0:
                    path.unlink()  # leave no empty file behind for a database never made
        lock.release()
        raise


def _connect_and_migrate(store: Store) -> None:
    path = store.path
    is_new = not path.exists() or path.stat().st_size == 0
    if not is_new and not os.access(path, os.W_OK):
        raise errors.read_only(path)
    # Inspect with a plain connection first: opening in WAL mode writes to the file, and a
    # file we refuse must be left exactly as it was.
    if not is_new:
        probe = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            found = migrations.user_version(probe)
            app_id = migrations.application_id(probe)
            tables = probe.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
        finally:
            probe.close()
        if found > migrations.SCHEMA_VERSION:
            raise errors.database_too_new(path, found, migrations.SCHEMA_VERSION)
        if app_id != migrations.APPLICATION_ID and (app_id != 0 or tables):
            raise errors.foreign_database(path)
        if found < migrations.SCHEMA_VERSION and tables:
            _refuse_schema_ahead_of_its_number(path, found)
    database.initialize(peewee.SqliteDatabase(str(path), pragmas=PRAGMAS))
    database.connect()
    connection = database.connection()
    version = migrations.user_version(connection)
    if version < migrations.SCHEMA_VERSION:
        if version > 0:
            store.pre_migration_backup = backup_to(
                store, _backup_name(path, f"before-v{migrations.SCHEMA_VERSION}")
            )
        store.migrated_from = version
        migrations.apply_pending(connection)


def is_empty() -> bool:
    """True when no business record exists (settings aside)."""
    return not any(model.select().exists() for model in RECORD_MODELS)


# --- Backups ---------------------------------------------------------------------------------


def _backup_name(path: Path, kind: str) -> Path:
    return _unused_name(backups_dir(path), f"{path.stem}-{kind}", ".db")


def _unused_name(folder: Path, base: str, suffix: str) -> Path:
    """`<base>-<stamp><suffix>` in `folder`, numbered after the highest number taken in the
    same second: the clock gives seconds, and two backups in one second must neither
    overwrite each other nor reuse the name of one pruned since."""
    stamp = f"{base}-{clock.now().strftime('%Y%m%d-%H%M%S-%f')}"
    try:
        names = [p.name for p in folder.iterdir() if p.name.startswith(stamp)]
    except FileNotFoundError:
        names = []
    if not names:
        return folder / f"{stamp}{suffix}"
    numbers = [
        int(number)
        for name in names
        if (number := name[len(stamp) + 1:].removesuffix(suffix)).isdigit()
    ]
    return folder / f"{stamp}-{max(numbers, default=1) + 1}{suffix}"


def backup_to(store: Store, target: Path | str) -> Path:
    """A consistent copy with VACUUM INTO (it includes what still sits in the WAL file)."""
    target = Path(target).expanduser().absolute()
    if target.resolve() == store.path.resolve():
        raise errors.EnvironmentProblem(
            "Same file",
            "A backup cannot overwrite the database it copies.",
            "Choose another file name for the backup.",
        )
    with environment_errors(target):
        if target.parent == backups_dir(store.path):
            make_private_folder(target.parent)
            remove_stale_partials_in(target.parent)  # a killed backup had another name
        if not target.parent.is_dir():
            raise errors.missing_folder(target)
        with written_in_place_of(target) as partial:
            _copy_database(store.connection, partial)
    return target


def _copy_database(connection: sqlite3.Connection, partial: Path) -> None:
    """VACUUM INTO the empty file `partial`: a consistent copy that includes what still
    sits in the WAL file, made in one read transaction (a reader never blocks the writer)."""
    connection.execute("VACUUM INTO ?", (str(partial),))


def backup_file(
    path: Path | str, target: Path | str
) -> tuple[Path, list[errors.EnvironmentProblem]]:
    """Copy the database at `path` to `target`, whether or not a window has it open.

    A backup only reads, so it never takes the instance lock from whoever holds it. When no
    one does, a -wal file left beside the database is vouched for first, as on opening.
    Returns the copy and what the user should be told.
    """
    path = Path(path).expanduser().absolute()
    target = Path(target).expanduser().absolute()
    notices: list[errors.EnvironmentProblem] = []
    if target.resolve() == path.resolve() or (
        target.exists() and path.exists() and target.samefile(path)  # a hard link
    ):
        raise errors.EnvironmentProblem(
            "Same file",
            "A backup cannot overwrite the database it copies.",
            "Choose another file name for the backup.",
        )
    if not target.parent.is_dir():
        raise errors.missing_folder(target)
    if path.is_dir():
        raise errors.not_a_database(path, "it is a folder")
    if path.exists() and not path.is_file():
        raise errors.not_a_database(path, "it is not a plain file")
    with environment_errors(path):
        if path.stat().st_size == 0:
            raise errors.empty_file(path)
    lock: InstanceLock | None
    try:
        lock = acquire_lock(path)
    except errors.EnvironmentProblem as problem:
        if problem.title != errors.database_locked(path).title:
            raise
        lock = None  # a window or a command has it open: read beside it
    try:
        sides = [wal_path(path), path.with_name(path.name + "-shm")]
        made_here: list[Path] = []
        if lock is not None:
            with environment_errors(path):
                notice = _set_aside_stray_wal(path)
            if notice is not None:
                notices.append(notice)
            made_here = [side for side in sides if not side.exists()]
        with environment_errors(path):
            source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            try:
                source.execute("PRAGMA busy_timeout = 5000")
                _refuse_unless_ours(path, source)
                with environment_errors(target), written_in_place_of(target) as partial:
                    _copy_database(source, partial)
                    copy = sqlite3.connect(partial)
                    try:
                        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
                    finally:
                        copy.close()
                    if verdict != "ok":
                        raise errors.not_a_database(path, f"its copy failed a check: {verdict}")
            finally:
                source.close()
        wal = wal_path(path)
        if lock is not None and (not wal.exists() or wal.stat().st_size == 0):
            # A read-only connection leaves the empty -wal and -shm it made; no one else uses
            # the file (we hold the lock), so they go, as they would after the window closes.
            for side in made_here:
                side.unlink(missing_ok=True)
    finally:
        if lock is not None:
            lock.release()
    return target, notices


def _refuse_unless_ours(path: Path, connection: sqlite3.Connection) -> None:
    found = migrations.user_version(connection)
    app_id = migrations.application_id(connection)
    if app_id != migrations.APPLICATION_ID:
        raise errors.foreign_database(path)
    if found > migrations.SCHEMA_VERSION:
        raise errors.database_too_new(path, found, migrations.SCHEMA_VERSION)


def named_backup(store: Store, kind: str) -> Path:
    """A backup in the database's backups folder, named after why it was taken."""
    return backup_to(store, _backup_name(store.path, kind))


def list_backups(path: Path) -> list[Path]:
    folder = backups_dir(path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{path.stem}-*.db"), key=lambda p: p.stat().st_mtime)


def take_rolling_backup(store: Store, now: dt.datetime | None = None) -> Path | None:
    """At most one daily backup a day, keeping the newest BACKUPS_TO_KEEP of them."""
    if is_empty():
        return None
    now = now or clock.now()
    daily = [p for p in list_backups(store.path) if f"-{DAILY_PREFIX}-" in p.name]
    if daily:
        newest = dt.datetime.fromtimestamp(daily[-1].stat().st_mtime)
        if now - newest < dt.timedelta(days=1):
            return None
    made = backup_to(store, _backup_name(store.path, DAILY_PREFIX))
    daily.append(made)
    for old in daily[:-BACKUPS_TO_KEEP]:
        old.unlink(missing_ok=True)
    return made


def validate_backup_file(candidate: Path) -> int:
    """Raise EnvironmentProblem unless `candidate` is a sound QMS Desktop file; its version."""
    if not candidate.is_file():
        raise errors.EnvironmentProblem(
            "File not found", f"There is no file at {candidate}.", "Check the path."
        )
    if candidate.stat().st_size == 0:
        raise errors.EnvironmentProblem(
            "Empty file",
            f"{candidate} is empty (0 bytes), so it is not a backup of a QMS Desktop "
            "database. Nothing was changed.",
            "Choose another backup file.",
        )
    _check_header(candidate)
    with environment_errors(candidate):
        source = sqlite3.connect(f"{candidate.as_uri()}?mode=ro", uri=True)
        try:
            verdict = source.execute("PRAGMA integrity_check").fetchone()[0]
            version = migrations.user_version(source)
            app_id = migrations.application_id(source)
        finally:
            source.close()
    if verdict != "ok":
        raise errors.not_a_database(candidate, f"integrity check: {verdict}")
    if app_id != migrations.APPLICATION_ID:
        raise errors.foreign_database(candidate)
    if version > migrations.SCHEMA_VERSION:
        raise errors.database_too_new(candidate, version, migrations.SCHEMA_VERSION)
    return version


def restore_from(store: Store, candidate: Path | str) -> Path:
    """Replace the open database's content with `candidate`; returns the safety backup made."""
    candidate = Path(candidate).expanduser().absolute()
    validate_backup_file(candidate)
    safety = backup_to(store, _backup_name(store.path, "before-restore"))
    with environment_errors(store.path):
        source = sqlite3.connect(f"{candidate.as_uri()}?mode=ro", uri=True)
        try:
            source.backup(database.connection())
        finally:
            source.close()
        migrations.apply_pending(database.connection())
    return safety


# --- Integrity check ------------------------------------------------------------------------


@dataclass
class CheckResult:
    findings: list[tuple[bool, str]] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return all(ok for ok, _ in self.findings)

    def add(self, ok: bool, text: str) -> None:
        self.findings.append((ok, text))


def check(store: Store) -> CheckResult:
    result = CheckResult()
    connection = store.connection
    verdicts = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
    result.add(verdicts == ["ok"], "Integrity check: " + "; ".join(verdicts[:5]))
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    result.add(not broken, f"Links between records: {len(broken)} broken")
    version = migrations.user_version(connection)
    result.add(
        version == migrations.SCHEMA_VERSION,
        f"Data format version {version} (this app: {migrations.SCHEMA_VERSION})",
    )
    app_id = migrations.application_id(connection)
    result.add(app_id == migrations.APPLICATION_ID, "File marked as a QMS Desktop database")
    existing = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    missing = [m._meta.table_name for m in ALL_MODELS if m._meta.table_name not in existing]
    result.add(not missing, "All tables present" if not missing else f"Missing: {missing}")
    if not missing and version == migrations.SCHEMA_VERSION:
        from qms_desktop import evidence  # reads every record: only when checking

        verdict = evidence.verify(connection)
        result.add(verdict.sound, "Change history: " + verdict.report())
    return result


def recover_from_backup(path: Path | str, backup: Path | str) -> Path:
    """Put `backup` in place of a database that cannot be opened (damaged, say).

    The damaged file is kept beside it under a new name, never deleted; returns that name.
    The database must not be open: take the lock so no other instance is using it.
    """
    path = Path(path).expanduser().absolute()
    backup = Path(backup).expanduser().absolute()
    validate_backup_file(backup)
    lock = acquire_lock(path)
    try:
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        kept = path.with_name(f"{path.name}.damaged-{stamp}")
        with environment_errors(path):
            if path.exists():
                os.replace(path, kept)
            for suffix in ("-wal", "-shm"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    os.replace(side, kept.with_name(kept.name + suffix))
            with written_in_place_of(path) as partial:
                source = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
                target = sqlite3.connect(str(partial))
                try:
                    source.backup(target)
                finally:
                    target.close()
                    source.close()
        return kept
    finally:
        lock.release()


# --- A -wal file found beside the database ------------------------------------------------------


def _set_aside_stray_wal(path: Path) -> errors.EnvironmentProblem | None:
    """Vouch for a -wal file found beside the database before it is merged into it.

    Called with the lock held, so no running instance owns the file: the -wal is left by a
    crash (ours, to be merged) or was put there by someone else (another database's, which
    SQLite would merge all the same and damage the file for good). The pair is first copied
    into the backups folder. If the database read through the -wal then fails the checks
    while the copy without it passes, the copy without it is put in place and the user is
    told; otherwise the -wal is merged as usual. Returns what to tell the user, if anything.
    """
    wal = wal_path(path)
    if not wal.is_file() or wal.stat().st_size == 0 or path.stat().st_size == 0:
        return None
    aside = _unused_name(backups_dir(path), f"{path.stem}-{WAL_FOUND_PREFIX}", "")
    make_private_folder(aside)
    try:
        for original in (path, wal):
            copy = aside / original.name
            create_private_file(copy)
            shutil.copyfile(original, copy)
    except BaseException:
        shutil.rmtree(aside, ignore_errors=True)  # half a copy is no copy (a full disk)
        raise
    _prune_wal_copies(path)
    if _unsound_because(path) is None:
        return None  # our own log after a crash: merged as usual, the copy kept a while
    without_wal = aside / f"{path.stem}-without-wal.db"
    create_private_file(without_wal)
    shutil.copyfile(aside / path.name, without_wal)
    if _unsound_because(without_wal) is not None:
        without_wal.unlink()
        return None  # damaged either way: the usual checks refuse it, unchanged
    # Without its -wal the file is the database as it stood before; the copy goes in last so
    # a crash half-way still leaves that state.
    for side in (wal, path.with_name(path.name + "-shm")):
        side.unlink(missing_ok=True)
    os.replace(without_wal, path)
    for suffix in ("-wal", "-shm"):  # the empty ones the check of the copy made
        without_wal.with_name(without_wal.name + suffix).unlink(missing_ok=True)
    return errors.wal_set_aside(path, aside)


def _unsound_because(path: Path) -> str | None:
    """Why the database at `path` (read through any -wal beside it) is not a sound QMS
    Desktop file; None when it is. Reads only: a read-only connection never checkpoints."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        app_id = migrations.application_id(connection)
        if app_id != migrations.APPLICATION_ID:
            return "not marked as a QMS Desktop database"
        verdicts = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
        if verdicts != ["ok"]:
            return "; ".join(verdicts)
        if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
            return "broken links between records"
        return None
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        connection.close()


def _prune_wal_copies(path: Path) -> None:
    folder = backups_dir(path)
    found = sorted(
        (p for p in folder.glob(f"{path.stem}-{WAL_FOUND_PREFIX}-*") if p.is_dir()),
        key=lambda p: p.name,
    )
    for old in found[:-WAL_COPIES_TO_KEEP]:
        shutil.rmtree(old, ignore_errors=True)


# --- A format number set back -----------------------------------------------------------------


def _refuse_schema_ahead_of_its_number(path: Path, found: int) -> None:
    """Refuse a file whose tables are ahead of its data format number (set back by hand):
    migrating it would fail half-way, or worse, run a step twice."""
    expected = _schema_at(found)
    probe = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        actual = _schema_of(probe)
    finally:
        probe.close()
    ahead = sorted(
        f"{table}.{column}" if column else table
        for table, columns in actual.items()
        for column in (columns - expected[table] if table in expected else {""})
    )
    if ahead:
        raise errors.format_number_behind(path, found, ahead)


@functools.cache
def _schema_at(version: int) -> dict[str, frozenset[str]]:
    """The tables and columns the migrations make up to `version`, built in memory."""
    scratch = sqlite3.connect(":memory:")
    try:
        for migration in migrations.MIGRATIONS:
            if migration.version <= version:
                scratch.executescript(migration.sql())
        return _schema_of(scratch)
    finally:
        scratch.close()


def _schema_of(connection: sqlite3.Connection) -> dict[str, frozenset[str]]:
    tables = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )]
    return {
        table: frozenset(row[1] for row in connection.execute(f'PRAGMA table_info("{table}")'))
        for table in tables
    }
