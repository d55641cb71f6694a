"""Moving the records between a file and a server: `copy` both ways and a server's `backup`,
against the throwaway PostgreSQL server tests/postgres.py starts for the run."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from qms_desktop import (
    accounts,
    cli,
    db,
    errors,
    evidence,
    history_chain,
    records,
    server,
    transfer,
)
from qms_desktop.models import ALL_MODELS, Site, database
from tests.postgres import Server


def _exported(where: str | Path, out: Path) -> dict[str, object]:
    """The records as `export` writes them, without the moment of the export."""
    assert cli.main(["export", "--db", str(where), "--out", str(out)]) == 0
    exported: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    exported.pop("exported_at")
    return exported


def _pack_text(where: str | Path, out: Path) -> str:
    """The latest review's draft pack as HTML, apart from when it was generated (as
    test_server.py compares a file and a server)."""
    assert cli.main(["export-pack", "--db", str(where), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    # The table's cell first: the footer's pattern would eat its "Generated at" heading.
    text = re.sub(r"(Generated at</th><td>)[^<]*", r"\1…", text)
    return re.sub(r"Generated [^<·]*", "Generated …", text)


def _file_rows(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {m._meta.table_name: connection.execute(
            f'SELECT count(*) FROM "{m._meta.table_name}"').fetchone()[0] for m in ALL_MODELS}
    finally:
        connection.close()


def _server_rows(url: str) -> int:
    with server.open_server(url) as store:
        return sum(int(store.connection.execute(
            f'SELECT count(*) FROM "{m._meta.table_name}"').fetchone()[0]) for m in ALL_MODELS)


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Moved:
    """The sample company copied from a file onto a server, and what was seen then."""

    source: Path
    url: str
    report: transfer.CopyReport
    file_export: dict[str, object]
    server_export: dict[str, object]
    file_pack: str
    server_pack: str


@pytest.fixture(scope="module")
def moved(postgres_server: Server, sample_template: Path,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moved]:
    """The small sample copied once onto a new server database for the tests here. The
    exports and the draft packs are taken at once, in this order: exporting a draft pack
    records it (a new row on each side), after which the two sides no longer hold the same
    rows; the other tests only read the server or compare it with copies made of it."""
    folder = tmp_path_factory.mktemp("moved")
    source = folder / "sample.db"
    shutil.copyfile(sample_template, source)
    name = postgres_server.create_database("moved")
    url = postgres_server.url(name)
    report = transfer.copy(source, url)
    yield Moved(
        source=source, url=url, report=report,
        file_export=_exported(source, folder / "file.json"),
        server_export=_exported(url, folder / "server.json"),
        file_pack=_pack_text(source, folder / "file.html"),
        server_pack=_pack_text(url, folder / "server.html"),
    )
    if not database.is_closed():
        database.close()
    postgres_server.drop_database(name)


# --- File to server -----------------------------------------------------------------------------


def test_the_sample_copied_to_a_server_is_verified(moved: Moved, sample_template: Path) -> None:
    report = moved.report
    assert report.verified, report.findings()
    assert all(ok for ok, _text in report.findings())
    assert report.counts == _file_rows(sample_template)
    assert report.counts["change_history"] > 1000 and report.counts["review_pack"] >= 1
    assert report.target == str(server.ServerAddress.parse(moved.url))


def test_the_history_chain_carries_over_to_the_server(moved: Moved) -> None:
    file_store = db.open_database(moved.source)
    try:
        on_file = history_chain.head(file_store.connection)
    finally:
        file_store.close()
    with server.open_server(moved.url) as store:
        verdict = evidence.verify(store.connection)
        assert verdict.sound, verdict.report()
        assert verdict.entries > 1000 and verdict.packs >= 1
        # Both sides have since recorded their draft pack, so the heads moved on alike.
        assert history_chain.head(store.connection)[0] == on_file[0]


def test_check_passes_on_both_sides(moved: Moved, capsys: pytest.CaptureFixture[str]) -> None:
    for where in (str(moved.source), moved.url):
        assert cli.main(["check", "--db", where]) == 0
        assert "The database is sound." in capsys.readouterr().out


def test_the_copy_exports_and_reads_as_its_source(moved: Moved) -> None:
    assert moved.server_export == moved.file_export
    assert "Generated …" in moved.file_pack
    assert moved.server_pack == moved.file_pack


# --- Server to file, and a server's backup ---------------------------------------------------


def test_a_server_copied_back_to_a_file_is_the_same_again(
        moved: Moved, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    back = tmp_path / "back.db"
    assert cli.main(["copy", "--from", moved.url, "--to", str(back)]) == 0
    out = capsys.readouterr().out
    assert "The copy is verified" in out and "PROBLEM" not in out
    assert re.search(r"change_history\s+[\d,]{5,}", out)  # rows per table
    assert _exported(back, tmp_path / "back.json") == _exported(moved.url,
                                                                 tmp_path / "server.json")
    assert cli.main(["check", "--db", str(back)]) == 0
    assert "The database is sound." in capsys.readouterr().out


def test_a_backup_of_a_server_is_a_file_that_works(
        moved: Moved, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "server-backup.db"
    assert cli.main(["backup", "--db", moved.url, "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "The backup is verified" in said and "PROBLEM" not in said
    assert [p.name for p in tmp_path.iterdir() if ".partial-" in p.name] == []
    assert db.validate_backup_file(out) > 0
    assert cli.main(["check", "--db", str(out)]) == 0
    assert _exported(out, tmp_path / "backup.json") == _exported(moved.url,
                                                                 tmp_path / "server.json")
    # Its review pack reads as the server's (whose draft the fixture recorded, so neither
    # records another).
    assert _pack_text(out, tmp_path / "backup.html") == moved.server_pack
    # It restores as any backup does.
    restored = tmp_path / "restored.db"
    assert cli.main(["restore", "--db", str(restored), str(out)]) == 0
    assert _file_rows(restored) == _file_rows(out)
    # A second backup to the same name needs --force, as a file's does.
    capsys.readouterr()
    assert cli.main(["backup", "--db", moved.url, "--out", str(out)]) == errors.EXIT_REFUSED
    assert "already exists" in capsys.readouterr().err


def test_a_backup_is_one_moment_of_a_server_others_write_to(
        moved: Moved, tmp_path: Path) -> None:
    """Someone renames every supplier while the backup runs: the backup holds them as they
    were when it began, and its verification reads that same moment of the server (so the
    renaming, made behind the app's back, is neither copied nor taken for a fault)."""
    renamed: list[int] = []

    def rename_suppliers_meanwhile(table: str, rows: int) -> None:
        if not renamed:
            with psycopg.connect(moved.url, autocommit=True) as other:
                renamed.append(other.execute(
                    "UPDATE supplier SET name = name || ' (renamed)'").rowcount)

    out = tmp_path / "moment.db"
    try:
        with server.open_server(moved.url) as store:
            report = transfer.backup_server(store, out, progress=rename_suppliers_meanwhile)
    finally:
        with psycopg.connect(moved.url, autocommit=True) as other:
            other.execute("UPDATE supplier SET name = regexp_replace(name, ' \\(renamed\\)$', '')")
    assert renamed[0] > 5
    assert report.verified, report.findings()
    backed_up = sqlite3.connect(out)
    try:
        names = [row[0] for row in backed_up.execute("SELECT name FROM supplier")]
    finally:
        backed_up.close()
    assert len(names) == renamed[0] and not any("renamed" in name for name in names)


def test_restore_onto_a_server_is_refused_with_its_reason(
        moved: Moved, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _server_rows(moved.url)
    assert cli.main(["restore", "--db", moved.url, str(moved.source)]) == errors.EXIT_REFUSED
    err = capsys.readouterr().err
    assert "never replaced from a file" in err and "copy --from FILE.db" in err
    assert _server_rows(moved.url) == rows


# --- Refusals: nothing written ---------------------------------------------------------------


def test_a_file_holding_records_is_refused_as_a_target(moved: Moved, tmp_path: Path) -> None:
    target = tmp_path / "full.db"
    shutil.copyfile(moved.source, target)
    before = _fingerprint(target)
    with pytest.raises(transfer.Refused, match="already holds"):
        transfer.copy(moved.url, target)
    assert _fingerprint(target) == before
    assert not target.with_name("full.db-wal").exists()


def test_a_file_holding_only_settings_is_refused_naming_them(
        moved: Moved, migrated_template: Path, tmp_path: Path) -> None:
    """A file someone has opened once (their name set) is not empty: the copy's settings
    would meet theirs. The refusal says what is there."""
    target = tmp_path / "named.db"
    shutil.copyfile(migrated_template, target)
    with db.open_database(target):
        records.set_setting(records.USER_NAME_KEY, "Maria Khan")
    before = _fingerprint(target)
    with pytest.raises(transfer.Refused) as refused:
        transfer.copy(moved.url, target)
    assert "already holds 2 rows (setting 1, change_history 1)" in str(refused.value)
    assert _fingerprint(target) == before


def test_a_server_holding_records_is_refused_as_a_target(
        moved: Moved, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _server_rows(moved.url)
    source = tmp_path / "source.db"
    shutil.copyfile(moved.source, source)
    code = cli.main(["copy", "--from", str(source), "--to", moved.url])
    assert code == errors.EXIT_REFUSED
    assert "already holds" in capsys.readouterr().err
    assert _server_rows(moved.url) == rows


def test_the_same_database_is_refused_as_its_own_target(moved: Moved) -> None:
    before = _fingerprint(moved.source)
    with pytest.raises(transfer.Refused, match="both the source and the target"):
        transfer.copy(moved.source, moved.source)
    assert _fingerprint(moved.source) == before
    with pytest.raises(transfer.Refused, match="both the source and the target"):
        transfer.copy(moved.url, moved.url)


def test_a_password_in_an_address_is_refused_and_never_shown(
        moved: Moved, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "new.db"
    address = moved.url.replace("qms@", "qms:s3cret@", 1)
    assert cli.main(["copy", "--from", address, "--to", str(target)]) == \
        errors.EXIT_ENVIRONMENT
    assert cli.main(["copy", "--from", str(moved.source), "--to", address]) == \
        errors.EXIT_ENVIRONMENT
    err = capsys.readouterr().err
    assert err.count("holds a password") == 2 and "s3cret" not in err
    assert not target.exists()
    # An address that cannot even be read is shown with its password masked.
    with pytest.raises(errors.EnvironmentProblem) as unreadable:
        server.ServerAddress.parse("postgresql://maria:se%zzcret@db.example/qms")
    assert "se%zzcret" not in str(unreadable.value) and "maria:***@" in str(unreadable.value)
    with pytest.raises(errors.EnvironmentProblem) as settings:
        server.ServerAddress.parse("host=db password=s3cret port")
    assert "s3cret" not in str(settings.value) and "password=***" in str(settings.value)


def test_a_missing_source_file_is_said_plainly(moved: Moved, tmp_path: Path) -> None:
    with pytest.raises(errors.EnvironmentProblem, match="There is no database at"):
        transfer.copy(tmp_path / "nothing.db", tmp_path / "copy.db")
    assert list(tmp_path.iterdir()) == []


def test_a_source_without_records_makes_no_target(
        moved: Moved, migrated_template: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    shutil.copyfile(migrated_template, empty)
    with pytest.raises(transfer.Refused, match="holds no records, so there is nothing"):
        transfer.copy(empty, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


# --- A copy that stops half-way leaves the target empty ------------------------------------------


def test_a_row_the_server_refuses_leaves_it_empty(
        postgres_server: Server, moved: Moved, tmp_path: Path) -> None:
    """PostgreSQL refuses a text holding a NUL character, which SQLite keeps: such a row in
    the last table copied stops the copy after every other table was written."""
    source = tmp_path / "odd.db"
    shutil.copyfile(moved.source, source)
    odd = sqlite3.connect(source)
    odd.execute("UPDATE change_history SET changes = changes || char(0) "
                "WHERE id = (SELECT max(id) FROM change_history)")
    odd.commit()
    odd.close()
    name = postgres_server.create_database("stopped")
    url = postgres_server.url(name)
    try:
        with pytest.raises(errors.EnvironmentProblem) as stopped:
            transfer.copy(source, url)
        assert stopped.value.title == "Copy stopped"
        assert "change_history" in stopped.value.message
        assert "Nothing was copied" in stopped.value.message
        assert _server_rows(url) == 0
    finally:
        if not database.is_closed():
            database.close()
        postgres_server.drop_database(name)


def test_a_copy_interrupted_half_way_leaves_no_file(moved: Moved, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    reached: list[str] = []

    def interrupt_at_the_history(table: str, rows: int) -> None:
        reached.append(table)
        if table == "change_history":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        transfer.copy(moved.url, target, progress=interrupt_at_the_history)
    assert len(reached) > 10
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == []


# --- Passwords, as the other server commands take them -------------------------------------------


def test_a_server_asking_for_a_password_takes_pgpassword(
        postgres_server: Server, migrated_template: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "small.db"
    shutil.copyfile(migrated_template, source)
    with db.open_database(source):
        records.set_setting(records.USER_NAME_KEY, "Maria Khan")
        records.create(Site, name="Pune")
    name = postgres_server.create_database("password")
    postgres_server.create_user("transfer_user", "pass word")
    url = postgres_server.password_url(name, "transfer_user")
    try:
        monkeypatch.delenv("PGPASSWORD", raising=False)
        assert cli.main(["copy", "--from", str(source), "--to", url]) == \
            errors.EXIT_ENVIRONMENT
        assert "no terminal to ask for it on" in capsys.readouterr().err
        monkeypatch.setenv("PGPASSWORD", "pass word")
        assert cli.main(["copy", "--from", str(source), "--to", url]) == 0
        assert "The copy is verified" in capsys.readouterr().out
        assert _server_rows(url) == sum(_file_rows(source).values())
    finally:
        if not database.is_closed():
            database.close()
        postgres_server.drop_database(name)


# --- Accounts: a member's backup, and sign-ins that stay with their server ---------------------


def test_a_member_who_is_not_the_administrator_backs_up_a_server(
        postgres_server: Server, migrated_template: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A viewer (who reads every table, accounts.py) takes a whole backup; copied onto
    another server, the accounts are there but their sign-ins are not, and the copy says so."""
    source = tmp_path / "small.db"
    shutil.copyfile(migrated_template, source)
    with db.open_database(source):
        records.create(Site, name="Pune")
    name = postgres_server.create_database("members")
    other = postgres_server.create_database("elsewhere")
    try:
        assert cli.main(["copy", "--from", str(source), "--to", postgres_server.url(name)]) == 0
        with server.open_server(postgres_server.url(name)):
            accounts.add_account("transfer_viewer", "Omar Haddad", "viewer", "viewer pass")
        capsys.readouterr()
        monkeypatch.setenv("PGPASSWORD", "viewer pass")
        out = tmp_path / "by-viewer.db"
        viewer_url = postgres_server.password_url(name, "transfer_viewer")
        assert cli.main(["backup", "--db", viewer_url, "--out", str(out)]) == 0
        assert "The backup is verified" in capsys.readouterr().out
        assert _file_rows(out)["account"] == 1 and _file_rows(out)["site"] == 1
        monkeypatch.delenv("PGPASSWORD")
        assert cli.main(["copy", "--from", str(out), "--to", postgres_server.url(other)]) == 0
        said = capsys.readouterr().out
        assert "Note: 1 account was copied, but a sign-in" in said
    finally:
        if not database.is_closed():
            database.close()
        postgres_server.drop_database(name)
        postgres_server.drop_database(other)
