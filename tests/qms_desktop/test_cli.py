"""The command line, run in-process, plus one real run of main.py as a user would."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from qms_desktop import cli, db, errors, paths, records
from qms_desktop.models import Person, Site

ROOT = Path(__file__).resolve().parents[2]


class FakeWindow:
    def __init__(self) -> None:
        self.calls: list[tuple[Path, bool]] = []

    def __call__(self, database_path: Path, is_default_location: bool) -> int:
        self.calls.append((database_path, is_default_location))
        return 0


def run(*argv: str) -> int:
    return cli.run(list(argv), open_window=FakeWindow())


def make_database(path: Path, *site_names: str) -> None:
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


def row_count(path: Path, table: str) -> int:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    finally:
        connection.close()


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if "error" in line]
    assert len(lines) == 1, stderr
    return lines[0]


# --- The window and the database location ----------------------------------------------------


def test_no_command_opens_the_window_on_the_default_database() -> None:
    window = FakeWindow()
    assert cli.run([], open_window=window) == 0
    assert window.calls == [(paths.default_database_path(), True)]


def test_no_command_with_db_opens_the_window_on_that_file(db_path: Path) -> None:
    window = FakeWindow()
    assert cli.run(["--db", str(db_path)], open_window=window) == 0
    assert window.calls == [(db_path, False)]


def test_the_window_exit_code_is_returned(db_path: Path) -> None:
    assert cli.run(["--db", str(db_path)], open_window=lambda _path, _default: 7) == 7


# --- demo and check --------------------------------------------------------------------------


def test_demo_then_check(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("demo", "--db", str(db_path)) == 0
    made = capsys.readouterr().out
    assert "Made" in made and "People" in made

    assert run("check", "--db", str(db_path)) == 0
    out = capsys.readouterr().out
    assert "PROBLEM" not in out
    assert "The database is sound." in out
    with db.open_database(db_path):
        assert Person.select().count() > 5


def test_demo_refuses_a_database_that_has_records(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("demo", "--db", str(db_path)) == 0
    people = row_count(db_path, "person")
    capsys.readouterr()

    code = run("demo", "--db", str(db_path), "--seed", "2")

    assert code == errors.EXIT_REFUSED
    message = one_error_line(capsys.readouterr().err)
    assert "already holds records" in message and "--force" in message
    assert row_count(db_path, "person") == people
    assert db.list_backups(db_path) == []


def test_demo_force_backs_up_then_replaces(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("demo", "--db", str(db_path)) == 0  # every table linked up, to be cleared
    make_database(db_path, "Our real site")
    capsys.readouterr()

    assert run("demo", "--db", str(db_path), "--force", "--seed", "2") == 0

    out = capsys.readouterr().out
    (backup,) = db.list_backups(db_path)
    assert str(backup) in out
    assert "Our real site" in site_names_in(backup)
    assert "Our real site" not in site_names_in(db_path)
    assert run("check", "--db", str(db_path)) == 0


def test_a_failed_demo_keeps_the_records_that_were_there(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import qms_desktop.sample as sample_company

    make_database(db_path, "Our real site")

    def half_way(**_options: object) -> dict[str, int]:
        records.create(Site, name="Half a sample")
        raise RuntimeError("a bug in the sample company")

    monkeypatch.setattr(sample_company, "fill_sample", half_way)
    with pytest.raises(RuntimeError):
        run("demo", "--db", str(db_path), "--force")

    assert site_names_in(db_path) == ["Our real site"]


def test_db_may_come_before_or_after_the_command(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_database(db_path, "Pune")
    assert run("--db", str(db_path), "check") == 0
    assert run("check", "--db", str(db_path)) == 0
    assert capsys.readouterr().out.count(f"Checking {db_path}") == 2


def test_check_reports_a_problem_with_its_own_exit_code(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_database(db_path, "Pune")
    broken = db.CheckResult([(True, "Integrity check: ok"), (False, "Links: 2 broken")])
    monkeypatch.setattr(db, "check", lambda _store: broken)

    assert run("check", "--db", str(db_path)) == errors.EXIT_CHECK_FAILED
    out = capsys.readouterr().out
    assert "PROBLEM  Links: 2 broken" in out
    assert "restore" in out


# --- Bad arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["demo", "--size", "huge"], "invalid choice: 'huge'"),
        (["backup"], "the following arguments are required: --out"),
        (["export", "--out", "qms.txt"], "give --format xlsx or --format json"),
        (["demo", "--seed", "one"], "invalid int value: 'one'"),
    ],
)
def test_bad_arguments_print_usage_and_one_error_line(
    argv: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(*argv) == errors.EXIT_BAD_ARGUMENTS
    err = capsys.readouterr().err
    assert err.startswith("usage: qms-desktop")
    assert complaint in one_error_line(err)


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("restore", "--help") == 0
    assert "safety copy" in capsys.readouterr().out


# --- The environment -------------------------------------------------------------------------


def test_a_locked_database_is_explained(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.open_database(db_path):
        code = run("check", "--db", str(db_path))
    assert code == errors.EXIT_ENVIRONMENT
    message = one_error_line(capsys.readouterr().err)
    assert message.startswith("error: ")
    assert "already open in another QMS Desktop window" in message
    assert "Traceback" not in message


def test_a_corrupt_file_suggests_restoring_a_backup(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path.write_bytes(b"\x00\x01 definitely not SQLite" * 200)
    assert run("check", "--db", str(db_path)) == errors.EXIT_ENVIRONMENT
    message = one_error_line(capsys.readouterr().err)
    assert "Restore the latest backup" in message


def test_a_missing_folder_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-folder" / "qms.db"
    assert run("demo", "--db", str(missing)) == errors.EXIT_ENVIRONMENT
    assert f"The folder {missing.parent} does not exist" in capsys.readouterr().err
    assert not missing.parent.exists()


def test_a_newer_database_is_explained(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_database(db_path)
    connection = sqlite3.connect(db_path)
    connection.execute("PRAGMA user_version = 999")
    connection.close()
    assert run("check", "--db", str(db_path)) == errors.EXIT_ENVIRONMENT
    assert "newer version of QMS Desktop" in capsys.readouterr().err


# --- Backup and restore ----------------------------------------------------------------------


def test_backup_and_restore_round_trip(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_database(db_path, "Pune")
    copy = tmp_path / "copy.db"
    assert run("backup", "--db", str(db_path), "--out", str(copy)) == 0
    assert site_names_in(copy) == ["Pune"]
    assert run("backup", "--db", str(db_path), "--out", str(copy)) == errors.EXIT_REFUSED
    assert "already exists" in capsys.readouterr().err
    make_database(db_path, "Dubai")

    assert run("restore", str(copy), "--db", str(db_path)) == 0

    out = capsys.readouterr().out
    assert site_names_in(db_path) == ["Pune"]
    (safety,) = db.list_backups(db_path)
    assert str(safety) in out
    assert site_names_in(safety) == ["Dubai", "Pune"]


def test_restore_over_a_damaged_database_keeps_the_damaged_file(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_database(db_path, "Pune")
    copy = tmp_path / "copy.db"
    assert run("backup", "--db", str(db_path), "--out", str(copy)) == 0
    db_path.write_bytes(b"damaged" * 1000)

    assert run("restore", str(copy), "--db", str(db_path)) == 0

    out = capsys.readouterr().out
    (kept,) = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert str(kept) in out
    assert kept.read_bytes() == b"damaged" * 1000
    assert run("check", "--db", str(db_path)) == 0
    assert site_names_in(db_path) == ["Pune"]


def test_restore_refuses_a_junk_file(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_database(db_path, "Pune")
    junk = tmp_path / "junk.db"
    junk.write_text("not a backup", encoding="utf-8")
    assert run("restore", str(junk), "--db", str(db_path)) == errors.EXIT_ENVIRONMENT
    assert "is not a QMS Desktop database" in one_error_line(capsys.readouterr().err)
    assert site_names_in(db_path) == ["Pune"]


# --- Export ----------------------------------------------------------------------------------


def make_archived_person(path: Path) -> None:
    with db.open_database(path):
        records.set_setting(records.USER_NAME_KEY, "Test User")
        records.create(Person, full_name="Asha Rao")
        records.archive(records.create(Person, full_name="Omar Haddad"))


def test_export_xlsx(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_archived_person(db_path)
    target = tmp_path / "qms.xlsx"

    assert run("export", "--db", str(db_path), "--format", "xlsx", "--out", str(target)) == 0

    assert "Exported" in capsys.readouterr().out
    workbook = openpyxl.load_workbook(target, read_only=True)
    assert "People" in workbook.sheetnames
    assert workbook.sheetnames[-1] == "Change history"
    rows = list(workbook["People"].iter_rows(values_only=True))
    workbook.close()
    headings = rows[0]
    assert "Name" in headings and "Archived" in headings and "full_name" not in headings
    archived = {row[headings.index("Name")]: row[headings.index("Archived")] for row in rows[1:]}
    assert archived == {"Asha Rao": "No", "Omar Haddad": "Yes"}


def test_export_json_format_from_the_file_name(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_archived_person(db_path)
    target = tmp_path / "qms.json"

    assert run("export", "--out", str(target), "--db", str(db_path)) == 0
    assert run("export", "--out", str(target), "--db", str(db_path)) == errors.EXIT_REFUSED
    assert run("export", "--out", str(target), "--db", str(db_path), "--force") == 0

    people = json.loads(target.read_text(encoding="utf-8"))["registers"]["People"]
    assert {p["Name"]: p["Archived"] for p in people} == {"Asha Rao": "No", "Omar Haddad": "Yes"}


def test_export_of_the_sample_company(db_path: Path, tmp_path: Path) -> None:
    assert run("demo", "--db", str(db_path)) == 0
    target = tmp_path / "sample.json"
    assert run("export", "--db", str(db_path), "--out", str(target)) == 0
    registers = json.loads(target.read_text(encoding="utf-8"))["registers"]
    for name in ("People", "Actions", "KPI readings", "Change history"):
        assert len(registers[name]) > 5, name
    people = {person["Name"] for person in registers["People"]}
    owners = {row["Owner"] for row in registers["Actions"]} - {None}
    assert owners and owners <= people  # names, not ids


# --- For real --------------------------------------------------------------------------------


def test_main_py_runs_as_a_user_would(tmp_path: Path) -> None:
    database = tmp_path / "sample.db"
    environment = {**os.environ, "PYTHONPATH": ""}

    def main_py(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *argv],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    shown = main_py("--help")
    assert shown.returncode == 0, shown.stderr
    assert "demo" in shown.stdout and "export" in shown.stdout

    made = main_py("demo", "--db", str(database))
    assert made.returncode == 0, made.stderr

    checked = main_py("check", "--db", str(database))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "The database is sound." in checked.stdout


# --- A database that is not there ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [("check",), ("backup", "--out", "copy.db"), ("export", "--out", "out.json"), ("reviews",)],
)
def test_a_command_on_a_missing_database_says_so_and_makes_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    missing = tmp_path / "typo.db"
    argv = [part if part not in ("copy.db", "out.json") else str(tmp_path / part)
            for part in command]
    assert run(*argv, "--db", str(missing)) == errors.EXIT_ENVIRONMENT
    assert f"There is no database at {missing}" in one_error_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_check_in_a_missing_folder_names_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder" / "qms.db"
    assert run("check", "--db", str(missing)) == errors.EXIT_ENVIRONMENT
    assert f"The folder {missing.parent} does not exist" in capsys.readouterr().err


def test_restore_over_a_database_damaged_inside_keeps_the_damaged_file(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The file opens (its header and schema are intact) but a data page is garbage, so the
    # safety copy taken before a restore cannot be made: the damaged file is kept instead.
    make_database(db_path, *(f"Site {n:04d} with a longer name to fill pages" for n in range(800)))
    copy = tmp_path / "copy.db"
    assert run("backup", "--db", str(db_path), "--out", str(copy)) == 0
    size = db_path.stat().st_size
    with db_path.open("r+b") as handle:
        handle.seek(size - 8 * 4096)
        handle.write(b"\xa5" * 6 * 4096)
    capsys.readouterr()

    assert run("restore", str(copy), "--db", str(db_path)) == 0

    out = capsys.readouterr().out
    (kept,) = [p for p in tmp_path.iterdir() if p.name.endswith(tuple("0123456789"))
               and ".damaged-" in p.name]
    assert str(kept) in out
    assert run("check", "--db", str(db_path)) == 0
    assert len(site_names_in(db_path)) == 800


def test_import_refuses_to_save_its_problems_over_the_file_it_imports(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_database(db_path)
    source = tmp_path / "actions.csv"
    source.write_text("Action,Owner\nCall the supplier,Nobody here\n", encoding="utf-8")
    before = source.read_bytes()

    code = run("import", str(source), "--db", str(db_path), "--problems", str(source))

    assert code == errors.EXIT_REFUSED
    assert "the file being imported (actions.csv)" in capsys.readouterr().err
    assert source.read_bytes() == before


def test_a_reader_that_stops_early_gets_no_traceback(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`qms-desktop reviews | head -1`: the pipe closes while we still write to it."""
    make_database(db_path)

    def closed_pipe(message: str) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    quieted: list[int] = []
    monkeypatch.setattr(cli, "_say", closed_pipe)
    monkeypatch.setattr(cli.os, "dup2", lambda _source, target: quieted.append(target))
    assert run("reviews", "--db", str(db_path)) == cli.EXIT_BROKEN_PIPE
    assert quieted == [sys.stdout.fileno()]
