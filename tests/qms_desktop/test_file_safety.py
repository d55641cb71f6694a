"""File safety: stray WAL files, links to the database, the lock file, backups beside a running
window, empty files, owner-only modes, partial files after a kill, and plain messages."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from qms_desktop import cli, db, errors, migrations, records
from qms_desktop.models import Person, Site, database
from qms_desktop.paths import BACKUPS_TO_KEEP, backups_dir

ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX only")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_database(path: Path, prefix: str, count: int = 40) -> None:
    with db.open_database(path):
        records.set_setting(records.USER_NAME_KEY, "Test User")
        for n in range(count):
            site = records.create(Site, name=f"{prefix} site {n:03d}")
            records.create(Person, full_name=f"{prefix} person {n:03d}", site=site)


def site_names_in(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM site ORDER BY name")]
    finally:
        connection.close()


def run(*argv: str) -> int:
    return cli.run(list(argv), open_window=lambda _path, _default: 0)


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


@pytest.fixture
def held_open_wal(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """A database whose last changes sit in a real -wal file: the connection that made them
    stays open with automatic checkpoints off, so nothing is folded back yet."""
    other = tmp_path / "other" / "other.db"
    other.parent.mkdir()
    make_database(other, "Other")
    connection = sqlite3.connect(other)
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("UPDATE site SET name = name || ' (renamed)'")
    connection.execute("UPDATE person SET full_name = full_name || ' (renamed)'")
    connection.commit()
    assert wal_of(other).stat().st_size > 0
    try:
        yield other, connection
    finally:
        connection.close()


# --- 1. A stray -wal file ----------------------------------------------------------------------


def test_a_wal_from_another_qms_database_is_set_aside_and_the_file_kept(
    db_path: Path, held_open_wal: tuple[Path, sqlite3.Connection]
) -> None:
    other, _connection = held_open_wal
    make_database(db_path, "Ours")
    before = digest(db_path)
    stray = wal_of(other).read_bytes()
    wal_of(db_path).write_bytes(stray)

    with db.open_database(db_path) as store:
        assert db.check(store).sound
        names = [s.name for s in Site.select().order_by(Site.name)]
        assert names == [f"Ours site {n:03d}" for n in range(40)]  # nothing of the other's
        (notice,) = store.notices
    assert "set aside" in notice.message
    # The pair as it was found is kept in the backups folder, never deleted.
    (aside,) = [p for p in backups_dir(db_path).iterdir() if p.is_dir()]
    assert str(aside) in notice.message
    assert sorted(p.name for p in aside.iterdir()) == [db_path.name, wal_of(db_path).name]
    assert (aside / wal_of(db_path).name).read_bytes() == stray
    assert digest(aside / db_path.name) == before


def test_a_wal_from_a_foreign_sqlite_file_is_set_aside(db_path: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "invoices.db"
    connection = sqlite3.connect(foreign)
    connection.execute("PRAGMA journal_mode = wal")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("CREATE TABLE invoice (number INTEGER, customer TEXT)")
    connection.executemany("INSERT INTO invoice VALUES (?, ?)",
                           [(n, f"Customer {n}") for n in range(500)])
    connection.commit()
    make_database(db_path, "Ours")
    shutil.copyfile(wal_of(foreign), wal_of(db_path))
    connection.close()

    with db.open_database(db_path) as store:
        assert db.check(store).sound
        assert Site.select().count() == 40
        assert store.notices
    assert site_names_in(db_path)[0] == "Ours site 000"


def test_the_cli_says_plainly_that_a_wal_was_set_aside(
    db_path: Path, held_open_wal: tuple[Path, sqlite3.Connection],
    capsys: pytest.CaptureFixture[str],
) -> None:
    other, _connection = held_open_wal
    make_database(db_path, "Ours")
    shutil.copyfile(wal_of(other), wal_of(db_path))
    capsys.readouterr()

    assert run("check", "--db", str(db_path)) == 0

    captured = capsys.readouterr()
    assert "set aside" in captured.err
    assert "The database is sound." in captured.out


def test_our_own_wal_after_a_crash_is_kept(db_path: Path) -> None:
    make_database(db_path, "Ours", count=2)
    script = (
        "import os, sys\n"
        "from qms_desktop import db, records\n"
        "from qms_desktop.models import Site\n"
        "store = db.open_database(sys.argv[1])\n"
        "records.create(Site, name='Committed before the crash')\n"
        "os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(db_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 9, done.stderr
    assert wal_of(db_path).exists()

    with db.open_database(db_path) as store:
        assert Site.get_or_none(Site.name == "Committed before the crash") is not None
        assert not store.notices  # our own log merged: nothing to tell
        assert db.check(store).sound


WRITE_UNTIL_KILLED = (
    "import sys\n"
    "from qms_desktop import db, records\n"
    "from qms_desktop.models import Site\n"
    "store = db.open_database(sys.argv[1])\n"
    "n = 0\n"
    "while True:\n"
    "    records.create(Site, name=f'Committed {n:05d}')\n"
    "    print(f'Committed {n:05d}', flush=True)\n"
    "    n += 1\n"
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_during_writes_every_committed_save_survives_the_wal_check(db_path: Path) -> None:
    make_database(db_path, "Ours", count=2)
    writer = subprocess.Popen([sys.executable, "-c", WRITE_UNTIL_KILLED, str(db_path)],
                              cwd=ROOT, text=True, stdout=subprocess.PIPE)
    assert writer.stdout is not None
    committed = [writer.stdout.readline().strip() for _ in range(150)]
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=60)
    writer.stdout.close()
    assert wal_of(db_path).exists()

    with db.open_database(db_path) as store:
        assert not store.notices
        assert db.check(store).sound
        saved = {s.name for s in Site.select().where(Site.name.startswith("Committed"))}
    assert set(committed) <= saved


# --- 2. The lock is keyed on the file ----------------------------------------------------------


@pytest.mark.parametrize("link", [os.symlink, os.link], ids=["symbolic", "hard"])
def test_a_link_to_an_open_database_is_refused(
    db_path: Path, tmp_path: Path, link: object
) -> None:
    make_database(db_path, "Ours", count=1)
    alias_folder = tmp_path / "elsewhere"
    alias_folder.mkdir()
    alias = alias_folder / "alias.db"
    link(db_path, alias)  # type: ignore[operator]
    with db.open_database(db_path):
        with pytest.raises(errors.EnvironmentProblem) as refused:
            db.open_database(alias)
        assert "already open" in refused.value.message
        assert not database.is_closed()
    with db.open_database(alias):  # free again once the first is closed
        pass


# --- 3. The lock file never follows a link ---------------------------------------------------


def test_a_planted_lock_link_does_not_touch_its_target(db_path: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("the only copy of something\n")
    make_database(db_path, "Ours", count=1)
    lock = db_path.with_name(db_path.name + ".lock")
    lock.unlink()
    lock.symlink_to(precious)

    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(db_path)

    assert precious.read_text() == "the only copy of something\n"
    assert "not QMS Desktop's lock" in refused.value.message
    assert lock.is_symlink()


def test_a_lock_name_taken_by_another_file_is_left_as_it_was(
    db_path: Path, tmp_path: Path
) -> None:
    make_database(db_path, "Ours", count=1)
    lock = db_path.with_name(db_path.name + ".lock")
    lock.write_text("notes someone saved under an odd name\n")

    with pytest.raises(errors.EnvironmentProblem):
        db.open_database(db_path)
    assert lock.read_text() == "notes someone saved under an odd name\n"

    precious = tmp_path / "precious.txt"
    precious.write_text("12345\n")  # looks like a pid, but has a second name
    lock.unlink()
    os.link(precious, lock)
    with pytest.raises(errors.EnvironmentProblem):
        db.open_database(db_path)
    assert precious.read_text() == "12345\n"


# --- 4. Backup beside a running window -----------------------------------------------------------


HOLD_OPEN = (
    "import sys\n"
    "from qms_desktop import db, records\n"
    "from qms_desktop.models import Site\n"
    "store = db.open_database(sys.argv[1])\n"
    "records.create(Site, name='Written by the window')\n"
    "print('ready', flush=True)\n"
    "sys.stdin.read()\n"
    "store.close()\n"
)


@pytest.fixture
def window_holding(db_path: Path) -> Iterator[subprocess.Popen[str]]:
    make_database(db_path, "Ours", count=3)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db_path)], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "ready"
    try:
        yield holder
    finally:
        holder.communicate("", timeout=60)


def test_backup_works_while_another_process_holds_the_database(
    db_path: Path, tmp_path: Path, window_holding: subprocess.Popen[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy = tmp_path / "copy.db"
    assert run("backup", "--db", str(db_path), "--out", str(copy)) == 0, capsys.readouterr()
    assert "Written by the window" in site_names_in(copy)
    capsys.readouterr()
    assert run("check", "--db", str(copy)) == 0
    assert "The database is sound." in capsys.readouterr().out


def test_backup_beside_a_second_store_in_this_process(store: db.Store, tmp_path: Path) -> None:
    records.create(Site, name="Open in this process")
    copy = tmp_path / "copy.db"
    assert run("backup", "--db", str(store.path), "--out", str(copy)) == 0
    assert site_names_in(copy) == ["Open in this process"]
    assert not database.is_closed()  # the open store still works
    records.create(Site, name="Still writable")


def make_foreign(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoice (number INTEGER)")
    connection.commit()
    connection.close()


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda path: path.write_bytes(b"Quarterly figures\n" * 300), "not a QMS Desktop"),
        (make_foreign, "another program"),
    ],
    ids=["junk", "foreign"],
)
def test_backup_of_what_is_not_ours_is_one_plain_message_and_no_file(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    make: object, says: str,
) -> None:
    make(db_path)  # type: ignore[operator]
    before = digest(db_path)
    copy = tmp_path / "copy.db"
    assert run("backup", "--db", str(db_path), "--out", str(copy)) == errors.EXIT_ENVIRONMENT
    assert says in one_error_line(capsys.readouterr().err)
    assert not copy.exists()
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    assert digest(db_path) == before


# --- 5. A zero-length file ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [("check",), ("backup", "--out", "copy.db"), ("reviews",),
                                     ("export", "--out", "out.json")])
def test_an_empty_file_is_not_a_qms_database_and_is_left(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
) -> None:
    db_path.touch()
    argv = [str(tmp_path / p) if p in ("copy.db", "out.json") else p for p in command]

    assert run(*argv, "--db", str(db_path)) == errors.EXIT_ENVIRONMENT

    line = one_error_line(capsys.readouterr().err)
    assert "is empty" in line and "not a QMS Desktop database" in line
    assert db_path.stat().st_size == 0
    made = {p.name for p in tmp_path.iterdir()} - {db_path.name, f"{db_path.name}.lock"}
    assert made == set()


def test_a_backup_can_be_restored_into_an_empty_file(db_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "source.db"
    make_database(source, "Saved", count=2)
    db_path.touch()
    assert run("restore", str(source), "--db", str(db_path)) == 0
    assert site_names_in(db_path) == ["Saved site 000", "Saved site 001"]


def test_opening_an_empty_file_asks_first(db_path: Path) -> None:
    db_path.touch()
    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(db_path)
    assert refused.value.offer_new_database
    assert db_path.stat().st_size == 0
    with db.open_database(db_path, start_new=True):
        assert Site.select().count() == 0
    assert db_path.stat().st_size > 0


# --- 6. Owner-only files -------------------------------------------------------------------------


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_what_we_create_is_owner_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "qms.db"
        assert run("demo", "--db", str(path)) == 0
        store = db.open_database(path, rolling_backup=True)
        try:
            assert mode_of(path) == 0o600
            assert mode_of(wal_of(path)) == 0o600
            assert mode_of(path.with_name(path.name + "-shm")) == 0o600
            assert mode_of(path.with_name(path.name + ".lock")) == 0o600
            daily = store.last_backup()
            assert daily is not None
            assert mode_of(daily) == 0o600
            assert mode_of(daily.parent) == 0o700
        finally:
            store.close()
        outputs = {
            "copy.db": ("backup", "--out"),
            "all.xlsx": ("export", "--out"),
            "all.json": ("export", "--out"),
            "pack.pdf": ("export-pack", "--out"),
            "pack.html": ("export-pack", "--out"),
        }
        for name, (command, option) in outputs.items():
            assert run(command, "--db", str(path), option, str(tmp_path / name)) == 0, name
            assert mode_of(tmp_path / name) == 0o600, name
    finally:
        os.umask(old_umask)


@posix_only
def test_the_default_folder_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "made-on-first-use" / "qms.db"
    with db.open_database(path, create_folder=True):
        pass
    assert mode_of(path.parent) == 0o700
    assert mode_of(path) == 0o600


# --- 7. A killed backup or export leaves nothing under the target's name ------------------------


KILLED_WRITE = (
    "import sys\n"
    "from qms_desktop import cli, db, export\n"
    "where, command = sys.argv[1], sys.argv[2:]\n"
    "def pause(*_args, **_kwargs):\n"
    "    print('ready', flush=True)\n"
    "    sys.stdin.read()\n"
    "if where == 'backup':\n"
    "    real = db._copy_database\n"
    "    def copy_then_pause(*args, **kwargs):\n"
    "        real(*args, **kwargs)\n"
    "        pause()\n"
    "    db._copy_database = copy_then_pause\n"
    "else:\n"
    "    real_report = export._report\n"
    "    def report_then_pause(progress, done, total):\n"
    "        if done == 3:\n"
    "            pause()\n"
    "    export._report = report_then_pause\n"
    "sys.exit(cli.main(command))\n"
)


def kill_mid_write(where: str, *command: str, temp_folder: Path) -> None:
    environment = {**os.environ, "TMPDIR": str(temp_folder)}
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITE, where, *command], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=60)
    writer.stdout.close()
    assert writer.stdin is not None
    writer.stdin.close()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
@pytest.mark.parametrize(
    ("where", "command", "name"),
    [
        ("backup", "backup", "copy.db"),
        ("export", "export", "all.xlsx"),
        ("export", "export", "all.json"),
    ],
)
def test_a_killed_write_leaves_no_partial_file_and_the_next_run_cleans_up(
    tmp_path: Path, where: str, command: str, name: str
) -> None:
    path = tmp_path / "qms.db"
    make_database(path, "Ours", count=40)
    out = tmp_path / "out"
    out.mkdir()
    temp_folder = tmp_path / "system-temp"
    temp_folder.mkdir()
    target = out / name

    kill_mid_write(where, command, "--db", str(path), "--out", str(target),
                   temp_folder=temp_folder)

    assert not target.exists()
    assert list(temp_folder.iterdir()) == []
    left = list(out.iterdir())
    assert all(p.name.startswith(f".{name}.partial-") for p in left), left

    assert run(command, "--db", str(path), "--out", str(target)) == 0
    assert [p.name for p in out.iterdir()] == [name]


def test_a_backup_into_the_backups_folder_removes_what_a_killed_one_left(
    store: db.Store,
) -> None:
    records.create(Site, name="Pune")
    folder = backups_dir(store.path)
    folder.mkdir(exist_ok=True)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    dead_pid = int(ended.stdout)
    killed = folder / f".qms-daily-20260101-120000-000000.db.partial-{dead_pid}"
    killed.write_bytes(b"half a backup")
    alive = folder / f".qms-daily-20260101-120001-000000.db.partial-{os.getppid()}"
    alive.write_bytes(b"still being written")

    made = db.named_backup(store, "manual")

    assert site_names_in(made) == ["Pune"]
    assert not killed.exists()
    assert alive.exists()  # another live process's write is never touched


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_an_export_to_a_long_file_name_works(store: db.Store, tmp_path: Path, fmt: str) -> None:
    records.create(Site, name="Pune")
    from qms_desktop import export

    out = tmp_path / "out"
    out.mkdir()
    target = out / (("Quality records of the whole company " * 7)[:240].rstrip() + f".{fmt}")
    export.export(target, fmt)
    assert [p.name for p in out.iterdir()] == [target.name]


def test_the_xlsx_writer_leaves_nothing_in_the_temp_folder(
    store: db.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_folder = tmp_path / "system-temp"
    temp_folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_folder))
    records.create(Site, name="Pune")
    seen: list[list[str]] = []
    from qms_desktop import export

    real_report = export._report

    def watch(progress: object, done: int, total: int) -> None:
        seen.append([p.name for p in temp_folder.iterdir()])
        real_report(progress, done, total)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "_report", watch)
    export.export(tmp_path / "all.xlsx", "xlsx")
    assert seen and all(names == [] for names in seen)
    assert tempfile.gettempdir() == str(temp_folder)


# --- 8. Plain messages where tracebacks were --------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 3 MB file system; skipped where mounting is not permitted."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if os.name != "posix" or shutil.which("mount") is None:
        pytest.skip("needs mount(8) to make a small file system")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def run_cli_process(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qms_desktop.cli", *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)


def test_demo_large_on_a_full_disk_is_one_plain_message(small_disk: Path) -> None:
    path = small_disk / "qms.db"
    done = run_cli_process("demo", "--size", "large", "--db", str(path))
    assert done.returncode == errors.EXIT_ENVIRONMENT, done.stderr
    assert "no space left" in one_error_line(done.stderr)
    # Space freed (the file system made larger): the file is sound, no half-made sample.
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    with db.open_database(path) as store:
        assert db.check(store).sound
        assert db.is_empty()


def test_xlsx_export_on_a_full_disk_is_one_plain_message(
    small_disk: Path, tmp_path: Path
) -> None:
    path = tmp_path / "qms.db"
    assert run("demo", "--db", str(path)) == 0
    target = small_disk / "all.xlsx"
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (2 * 1024 * 1024 + 512 * 1024))

    done = run_cli_process("export", "--db", str(path), "--out", str(target))

    assert done.returncode == errors.EXIT_ENVIRONMENT, done.stderr
    assert "no space left" in one_error_line(done.stderr)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_frozen_pack_whose_bytes_changed_is_one_plain_message(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("demo", "--db", str(db_path)) == 0
    connection = sqlite3.connect(db_path)
    changed = connection.execute(
        "UPDATE review_pack SET pdf = CAST(pdf || X'20' AS BLOB) WHERE pdf IS NOT NULL"
    ).rowcount
    review_id = connection.execute(
        "SELECT review_id FROM review_pack WHERE pdf IS NOT NULL"
    ).fetchone()[0]
    connection.commit()
    connection.close()
    assert changed
    capsys.readouterr()

    code = run("export-pack", "--db", str(db_path), "--review", review_id,
               "--out", str(tmp_path / "pack.pdf"))

    assert code == errors.EXIT_CHECK_FAILED
    line = one_error_line(capsys.readouterr().err)
    assert "pack" in line and "Restore a backup" in line
    assert not (tmp_path / "pack.pdf").exists()


def test_a_format_number_set_back_is_refused_and_nothing_changed(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_database(db_path, "Ours", count=2)
    connection = sqlite3.connect(db_path)
    connection.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION - 2}")
    connection.commit()
    connection.close()
    before = digest(db_path)

    assert run("check", "--db", str(db_path)) == errors.EXIT_ENVIRONMENT

    line = one_error_line(capsys.readouterr().err)
    assert f"data format number ({migrations.SCHEMA_VERSION - 2})" in line
    assert digest(db_path) == before
    assert not backups_dir(db_path).exists()


def test_a_format_number_set_to_zero_is_refused(db_path: Path) -> None:
    make_database(db_path, "Ours", count=1)
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA user_version = 0")
    connection.commit()
    connection.close()
    before = digest(db_path)
    with pytest.raises(errors.EnvironmentProblem) as refused:
        db.open_database(db_path)
    assert "data format number (0)" in refused.value.message
    assert digest(db_path) == before


def test_restoring_an_empty_file_says_it_is_empty(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_database(db_path, "Ours", count=1)
    empty = tmp_path / "empty.db"
    empty.touch()
    before = digest(db_path)

    assert run("restore", str(empty), "--db", str(db_path)) == errors.EXIT_ENVIRONMENT

    line = one_error_line(capsys.readouterr().err)
    assert "is empty" in line
    assert "another program" not in line
    assert digest(db_path) == before


# --- Durability: what the README promises about a power cut -----------------------------------


def test_every_commit_is_flushed_to_the_disk(store: db.Store) -> None:
    # The README says a save is on the disk before it is reported done: synchronous=FULL
    # (2) in WAL mode; NORMAL (1) could lose the saves since the last checkpoint.
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.connection.execute("PRAGMA synchronous").fetchone()[0] == 2


# --- Backups made in the same second ----------------------------------------------------------


def test_backups_in_one_second_never_overwrite_or_reuse_a_pruned_name(store: db.Store) -> None:
    from qms_desktop import clock

    records.create(Site, name="Pune")
    start = dt.datetime.now() - dt.timedelta(days=30)
    made: list[Path] = []
    with clock.stopped_at(dt.datetime(2026, 1, 1, 12, 0, 0)):
        for day in range(BACKUPS_TO_KEEP + 2):
            now = start + dt.timedelta(days=day)
            backup = db.take_rolling_backup(store, now=now)
            assert backup is not None
            os.utime(backup, (now.timestamp(), now.timestamp()))
            made.append(backup)
    assert len(set(made)) == len(made)
    assert not made[0].exists() and not made[1].exists()
    assert all(p.exists() for p in made[2:])


@pytest.mark.parametrize("command", ["backup", "export", "export-pack"])
def test_an_out_name_too_long_for_the_disk_is_one_plain_message(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    make_database(db_path, "Ours", count=1)
    target = tmp_path / ("a" * 300 + ".json")
    assert run(command, "--db", str(db_path), "--out", str(target)) == errors.EXIT_ENVIRONMENT
    assert "longer than the disk allows" in one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("command", ["backup", "export", "export-pack"])
def test_an_out_that_is_a_folder_or_a_device_is_left_as_it_is(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    make_database(db_path, "Ours", count=1)
    folder = tmp_path / "a-folder.json"
    folder.mkdir()
    fifo = tmp_path / "a-pipe.json"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
    for target in (folder, fifo) if fifo.exists() else (folder,):
        assert run(command, "--db", str(db_path), "--out", str(target), "--force") == \
            errors.EXIT_ENVIRONMENT, target
        assert str(target) in one_error_line(capsys.readouterr().err)
    assert folder.is_dir()
    assert not fifo.exists() or stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", ["check", "backup", "export", "reviews"])
def test_a_database_path_that_is_a_pipe_is_refused_without_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    pipe = tmp_path / "qms.db"
    os.mkfifo(pipe)
    argv = [command, "--db", str(pipe)]
    if command in ("backup", "export"):
        argv += ["--out", str(tmp_path / "out.json")]
    assert run(*argv) == errors.EXIT_ENVIRONMENT
    assert "not a plain file" in one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("link", [os.symlink, os.link], ids=["symbolic", "hard"])
def test_restoring_the_database_from_a_link_to_itself_is_refused(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], link: object
) -> None:
    make_database(db_path, "Ours", count=3)
    alias = tmp_path / "looks-like-a-backup.db"
    link(db_path, alias)  # type: ignore[operator]
    assert run("restore", str(alias), "--db", str(db_path)) == errors.EXIT_REFUSED
    assert "is the database itself" in one_error_line(capsys.readouterr().err)
    assert len(site_names_in(db_path)) == 3
