"""The records on a PostgreSQL server: opening, refusals, the sample company and `check`.

These run against the throwaway server tests/postgres.py starts for the run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from qms_desktop import (
    cli,
    clock,
    db,
    errors,
    evidence,
    history_chain,
    ids,
    migrations,
    records,
    registers,
    resources,
    server,
)
from qms_desktop.models import ChangeHistory, Person, Site, database
from tests.postgres import Server


def test_a_new_server_database_is_migrated_once(server_url: str) -> None:
    with server.open_server(server_url) as store:
        assert store.migrated_from == 0
        assert migrations.server_state(store.connection) == (migrations.SCHEMA_VERSION, False)
        records.set_setting(records.USER_NAME_KEY, "Maria Khan")
        records.create(Site, name="Pune")
    with server.open_server(server_url) as again:
        assert again.migrated_from is None
        assert records.get_setting(records.USER_NAME_KEY) == "Maria Khan"
        assert [s.name for s in Site.select()] == ["Pune"]


def test_a_password_in_the_address_is_refused_before_connecting() -> None:
    with pytest.raises(errors.EnvironmentProblem) as refused:
        server.open_server("postgresql://maria:secret@db.example:5432/qms")
    assert "password" in refused.value.message
    assert "secret" not in refused.value.message + refused.value.advice
    assert "PGPASSWORD" in refused.value.advice


def test_an_address_without_a_database_is_refused() -> None:
    with pytest.raises(errors.EnvironmentProblem) as refused:
        server.open_server("postgresql://maria@db.example:5432")
    assert "names no database" in refused.value.message


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once it is closed


def test_a_server_not_running_is_said_plainly(tmp_path: Path) -> None:
    url = f"postgresql://qms@127.0.0.1:{_closed_port()}/qms"
    with pytest.raises(errors.EnvironmentProblem) as refused:
        server.open_server(url)
    assert refused.value.title == "Server not reached"
    assert f"127.0.0.1:{url.rsplit(':', 1)[1].split('/')[0]}" in refused.value.message
    assert database.is_closed()


def test_the_command_line_says_so_in_one_line_with_its_exit_code(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["check", "--db", f"postgresql://qms@127.0.0.1:{_closed_port()}/qms"])
    assert code == errors.EXIT_ENVIRONMENT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: QMS Desktop could not reach")
    assert "Traceback" not in err


def test_a_database_holding_other_tables_is_left_alone(server_url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as other:
        other.execute("CREATE TABLE invoices (number INTEGER)")
    with pytest.raises(errors.EnvironmentProblem) as refused:
        server.open_server(server_url)
    assert "did not make" in refused.value.message
    with psycopg.connect(server_url) as other:
        tables = [r[0] for r in other.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    assert tables == ["invoices"]


def test_a_database_from_a_newer_version_is_refused(server_url: str) -> None:
    with server.open_server(server_url) as store:
        store.connection.execute(
            f'UPDATE "{migrations.SERVER_VERSION_TABLE}" SET "version" = ?',
            (migrations.SCHEMA_VERSION + 1,))
    with pytest.raises(errors.EnvironmentProblem) as refused:
        server.open_server(server_url)
    assert "newer" in refused.value.title.lower()


def test_a_step_translated_for_postgresql() -> None:
    step = ('ALTER TABLE "risk" ADD COLUMN "source_issue_id" VARCHAR(36) '
            'REFERENCES "context_issue" ("id");\n'
            'CREATE INDEX "risk_source_issue_id" ON "risk" ("source_issue_id");\n'
            'CREATE TABLE "context_issue" ("id" VARCHAR(36) NOT NULL PRIMARY KEY, '
            '"created_at" DATETIME NOT NULL, "score" REAL, "data" BLOB);\n'
            'ALTER TABLE "process" ADD COLUMN "is_activity" INTEGER NOT NULL DEFAULT 0;\n'
            "SELECT printf('%03d', n + (SELECT 1)), substr(\"created_at\", 1, 4) "
            'FROM (SELECT 1 AS n, "created_at" FROM "context_issue");')
    translated = [s.strip() for s in migrations.to_postgresql(step).split(";")]
    assert translated[0].startswith('CREATE TABLE "context_issue"')
    assert '"created_at" TIMESTAMP NOT NULL' in translated[0]
    assert '"score" DOUBLE PRECISION' in translated[0] and '"data" BYTEA' in translated[0]
    assert translated[1].startswith('ALTER TABLE "risk"')  # after the table it links to
    assert translated[2].startswith('CREATE INDEX "risk_source_issue_id"')  # after its column
    assert '"is_activity" BOOLEAN NOT NULL DEFAULT FALSE' in translated[3]
    assert ("lpad(CAST(n + (SELECT 1) AS TEXT), GREATEST(3, length(CAST(n + (SELECT 1) AS "
            "TEXT))), '0')") in translated[4]
    assert 'substr(CAST("created_at" AS TEXT), 1, 4)' in translated[4]
    assert translated[4].endswith('"context_issue") AS "subquery_1"')


def test_the_history_seals_alike_on_both_engines(server_url: str, tmp_path: Path) -> None:
    """The same writes at the same times give the same chain of hashes on a file and on a
    server (timestamps come back as datetimes there, as text from SQLite)."""
    chains = []
    for opened in (lambda: db.open_database(tmp_path / "qms.db"),
                   lambda: server.open_server(server_url)):
        with opened() as store:
            with clock.stopped_at(_moment().replace(tzinfo=dt.UTC)), \
                    records.history_as(who="Maria Khan"), \
                    ids.issued_by(lambda: "0190a1b2-0000-7000-8000-000000000001"):
                site = records.create(Site, name="Pune", address="Line 1\nLine 2 “quoted”")
                records.update(site, name="Pune works")
                records.archive(site)
                person = records.create(Person, full_name="Zoë Lindqvist", site=site)
                records.update(person, active=False)  # a boolean, kept alike on both
            rows = [(e.id, str(e.changed_at), e.changes, e.row_hash)
                    for e in ChangeHistory.select().order_by(ChangeHistory.id)]
            verdict = evidence.verify(store.connection)
            assert verdict.sound, verdict.report()
            assert history_chain.head(store.connection)[1] == rows[-1][-1]
            chains.append(rows)
    assert len(chains[0]) == 5
    assert chains[0] == chains[1]


def _moment() -> dt.datetime:
    return dt.datetime(2026, 3, 4, 10, 42, 7)


@pytest.fixture(scope="module")
def server_sample(postgres_server: Server) -> Iterator[str]:
    """A server database holding the small sample company (seed 1), made once through
    `demo`, as the file of `sample_template` is (a pack exported from it adds its record).
    """
    name = postgres_server.create_database("sample")
    url = postgres_server.url(name)
    assert cli.main(["demo", "--db", url]) == 0
    yield url
    postgres_server.drop_database(name)


def test_the_sample_company_on_a_server_checks_sound(
        server_sample: str, capsys: pytest.CaptureFixture[str]) -> None:
    with server.open_server(server_sample) as store:
        verdict = evidence.verify(store.connection)
    assert verdict.sound, verdict.report()
    assert verdict.packs >= 1 and verdict.entries > 1000
    capsys.readouterr()
    assert cli.main(["check", "--db", server_sample]) == 0
    assert "The database is sound." in capsys.readouterr().out


def _all_registers() -> list[registers.Register]:
    import importlib
    import pkgutil

    import qms_desktop

    found: dict[int, registers.Register] = {}
    for module in pkgutil.iter_modules(qms_desktop.__path__):
        if module.name.endswith("_registers") or module.name == "catalogue":
            loaded = importlib.import_module(f"qms_desktop.{module.name}")
            for value in vars(loaded).values():
                if isinstance(value, registers.Register):
                    found[id(value)] = value
    return list(found.values())


def _every_register_page() -> dict[tuple[str, int, str], object]:
    pages: dict[tuple[str, int, str], object] = {}
    for register in _all_registers():
        for sort in range(len(register.columns)):
            for search in ("", "a 1"):
                query = registers.Query(search=search, sort_column=sort, include_archived=True)
                rows = registers.fetch_page(register, query, limit=10_000)
                # Page by page (keyset paging from the last row's sort value) gives the same.
                paged: list[registers.Row] = []
                while page := registers.fetch_page(register, query,
                                                   paged[-1] if paged else None, limit=40):
                    paged += page
                assert [r.id for r in paged] == [r.id for r in rows], (register, sort)
                pages[(register.model.__name__, sort, search)] = [
                    (row.id, row.cells, row.archived) for row in rows]
    return pages


def test_every_register_lists_alike_on_a_server_and_a_file(
        server_sample: str, sample_template: Path, tmp_path: Path) -> None:
    """Each register's rows, sorted by each of its columns and searched, are the same on
    both engines (PostgreSQL compares one type at a time: no '' for an empty number)."""
    file = tmp_path / "sample.db"
    shutil.copyfile(sample_template, file)
    with db.open_database(file):
        on_file = _every_register_page()
        file_totals = resources.totals("EUR")
    with server.open_server(server_sample):
        on_server = _every_register_page()
        server_totals = resources.totals("EUR")
    assert len(on_file) > 150 and sum(map(len, on_file.values())) > 1000  # type: ignore[arg-type]
    assert on_server == on_file
    assert server_totals == file_totals and file_totals


def _without_generation_times(text: str) -> str:
    # The table's cell first: the footer's pattern would eat its "Generated at" heading
    # (and the packs then differed whenever the two were made in different minutes).
    text = re.sub(r"(Generated at</th><td>)[^<]*", r"\1…", text)
    return re.sub(r"Generated [^<·]*", "Generated …", text)


def test_a_server_and_a_file_give_the_same_pack_and_export(
        server_sample: str, sample_template: Path, tmp_path: Path) -> None:
    """The same sample on both engines: the draft pack reads the same, apart from when it
    was generated, and the export holds the same records."""
    file = tmp_path / "sample.db"
    shutil.copyfile(sample_template, file)
    made = {}
    for tag, where in (("file", str(file)), ("server", server_sample)):
        pack, export = tmp_path / f"{tag}.html", tmp_path / f"{tag}.json"
        # The export first: a pack exported is recorded (when, and a new id).
        assert cli.main(["export", "--db", where, "--out", str(export)]) == 0
        assert cli.main(["export-pack", "--db", where, "--out", str(pack)]) == 0
        exported = json.loads(export.read_text(encoding="utf-8"))
        exported.pop("exported_at", None)
        made[tag] = (_without_generation_times(pack.read_text(encoding="utf-8")), exported)
    assert "Generated …" in made["file"][0]
    assert made["server"][0] == made["file"][0]
    assert made["server"][1] == made["file"][1]


def test_check_on_a_server_from_the_command_line(
        server_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with server.open_server(server_url):
        records.create(Site, name="Pune")
    database.close()
    assert cli.main(["check", "--db", server_url]) == 0
    out = capsys.readouterr().out
    assert "The database is sound." in out and "PROBLEM" not in out
    with psycopg.connect(server_url, autocommit=True) as outside:
        outside.execute("UPDATE site SET name = 'Mumbai'")  # behind the app's back
    assert cli.main(["check", "--db", server_url]) == errors.EXIT_CHECK_FAILED
    assert "Mumbai" in capsys.readouterr().out


def test_a_password_is_asked_for_when_the_server_wants_one(
        postgres_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    name = postgres_server.create_database("password")
    postgres_server.create_user("maria", "s3cret pass")
    url = postgres_server.password_url(name, "maria")
    with pytest.raises(errors.EnvironmentProblem) as refused:
        server.open_server(url)  # nobody to ask
    assert refused.value.title == "Password refused"
    assert "PGPASSWORD" in refused.value.advice
    with pytest.raises(errors.EnvironmentProblem) as wrong:
        server.open_server(url, ask_password=lambda address: "wrong")
    assert wrong.value.title == "Password refused" and "maria" in wrong.value.message
    asked: list[str] = []

    def ask(address: server.ServerAddress) -> str:
        asked.append(str(address))
        return "s3cret pass"

    with server.open_server(url, ask_password=ask) as store:
        assert store.migrated_from == 0
    assert asked == [f"postgresql://maria@127.0.0.1:{postgres_server.port}/{name}"]
    # libpq reads PGPASSWORD itself: nobody is asked.
    monkeypatch.setenv("PGPASSWORD", "s3cret pass")
    with server.open_server(url, ask_password=lambda address: pytest.fail("asked")):
        pass
    postgres_server.drop_database(name)


def test_the_command_line_asks_for_no_password_without_a_terminal(
        postgres_server: Server, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    name = postgres_server.create_database("password")
    postgres_server.create_user("omar", "another")
    code = cli.main(["reviews", "--db", postgres_server.password_url(name, "omar")])
    assert code == errors.EXIT_ENVIRONMENT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no terminal to ask for it on" in err
    postgres_server.drop_database(name)


# Rows as a version 5 database held them: before the history chain (6) and the references
# (9), whose steps seal and number what is there.
OLD_ACTIONS = [
    ("a1", "2025-03-01 09:00:00", "Fix the gauge"),
    ("a2", "2025-02-01 09:00:00", "Train the night shift"),
    ("a3", "2026-01-15 10:30:00", "Order spare chucks"),
]
OLD_NONCONFORMITIES = [("n1", "2025-04-02", "NC-2025-007"), ("n2", "2025-05-03", "")]


def _fill_version_5(connection: object) -> None:
    run = connection.execute  # type: ignore[attr-defined]
    for record_id, created, title in OLD_ACTIONS:
        run('INSERT INTO "action" ("id", "created_at", "updated_at", "title", "status", '
            '"evidence", "source_table", "source_id") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            (record_id, created, created, title, "open", "", "", "x"))
    for record_id, raised, reference in OLD_NONCONFORMITIES:
        run('INSERT INTO "nonconformity" ("id", "created_at", "updated_at", "reference", '
            '"title", "description", "raised_on", "source", "severity", "status") '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record_id, f"{raised} 08:00:00", f"{raised} 08:00:00", reference,
             "Burr on bore", "", raised, "internal", "minor", "open"))
    for number, (record_id, created, title) in enumerate(OLD_ACTIONS, start=1):
        run('INSERT INTO "change_history" ("id", "changed_at", "changed_by", "table_name", '
            '"record_id", "operation", "changes") VALUES (?, ?, ?, ?, ?, ?, ?)',
            (number, created, "Zoë Lindqvist", "action", record_id, "create",
             json.dumps({"title": title}, ensure_ascii=False)))


def test_later_steps_treat_older_rows_alike_on_both_engines(
        server_url: str, tmp_path: Path) -> None:
    """A database at version 5 with rows in it, brought up to date on each engine: the
    chain step (6) seals the same hashes and the references step (9, its SQL translated
    and its Python part) gives the same numbers and history."""
    import sqlite3

    file = tmp_path / "old.db"
    old = sqlite3.connect(file)
    for migration in migrations.MIGRATIONS:
        if migration.version <= 5:
            old.executescript(migration.sql())
    old.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    old.execute("PRAGMA user_version = 5")
    _fill_version_5(old)
    old.commit()
    old.close()
    raw = server.ServerConnection.connect(server_url, autocommit=True)
    try:
        assert migrations.apply_pending_on_server(raw, up_to=5) == [1, 2, 3, 4, 5]
        with raw.transaction():
            _fill_version_5(raw)
    finally:
        raw.close()

    found = []
    for opened in (lambda: db.open_database(file), lambda: server.open_server(server_url)):
        with clock.stopped_at(_moment().replace(tzinfo=dt.UTC)), opened() as store:
            assert store.migrated_from == 5
            references = sorted(
                (table, str(record_id), str(reference))
                for table in ("action", "nonconformity")
                for record_id, reference in store.connection.execute(
                    f'SELECT "id", "reference" FROM "{table}"'))
            chain = [
                (e.id, history_chain.timestamp(e.changed_at), e.changed_by, e.record_id,
                 e.changes, e.previous_hash, e.row_hash)
                for e in ChangeHistory.select().order_by(ChangeHistory.id)]
            found.append((references, chain))
    assert found[0] == found[1]
    references, chain = found[0]
    assert references == [
        ("action", "a1", "ACT-2025-002"), ("action", "a2", "ACT-2025-001"),
        ("action", "a3", "ACT-2026-001"),
        ("nonconformity", "n1", "NC-2025-007"), ("nonconformity", "n2", "NC-2025-008")]
    assert len(chain) == 3 + 4  # the three creates, and one entry per reference given
    assert all(len(entry[-1]) == 64 for entry in chain)
    assert [entry[-2] for entry in chain[1:]] == [entry[-1] for entry in chain[:-1]]


def test_a_repeated_unique_pair_is_refused_plainly_on_a_server(server_url: str) -> None:
    """One reading per KPI and period: the second is the user's to correct, as on a file,
    and the first stays."""
    from qms_desktop.errors import ValidationError
    from qms_desktop.models import Kpi, Reading

    with server.open_server(server_url):
        records.set_setting(records.USER_NAME_KEY, "Maria Khan")
        kpi = records.create(Kpi, name="Scrap rate", unit="%", direction="lower",
                             frequency="monthly")
        first = dict(kpi=kpi, period_start=dt.date(2026, 1, 1), entered_by="Maria Khan",
                     comment="")
        records.create(Reading, value=1.5, **first)
        with pytest.raises(ValidationError) as refused:
            records.create(Reading, value=2.5, **first)
        assert "already a record with this" in str(refused.value.problems)
        assert [r.value for r in Reading.select()] == [1.5]


def test_two_openings_of_a_new_server_database_migrate_it_once(server_url: str) -> None:
    """Two people opening a new database at the same moment: the steps run once, the
    second waits for the first and finds them done."""
    import threading

    applied: list[list[int]] = []
    problems: list[BaseException] = []
    start = threading.Barrier(2)

    def migrate() -> None:
        connection = server.ServerConnection.connect(server_url, autocommit=True)
        try:
            start.wait()
            applied.append(migrations.apply_pending_on_server(connection))
        except BaseException as exc:  # reported below, in the test's own thread
            problems.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=migrate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not problems
    everything = [m.version for m in migrations.MIGRATIONS]
    assert sorted(applied, key=len) == [[], everything] or sorted(
        applied[0] + applied[1]) == everything
    with server.open_server(server_url) as store:
        assert store.migrated_from is None


def test_the_window_opens_on_a_server_address() -> None:
    """`--db postgresql://...` without a command hands the address to the window, which
    connects (ui/shell/app.py); a file's path still goes as a path."""
    opened: list[object] = []

    def window(location: object, is_default: bool) -> int:
        opened.append(location)
        return 0

    assert cli.run(["--db", " postgresql://maria@db.example:5432/qms"],
                   open_window=window) == 0
    assert opened == ["postgresql://maria@db.example:5432/qms"]


def test_the_server_tests_say_why_they_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests import postgres

    monkeypatch.setattr(postgres, "find_binaries", lambda: None)
    reason = postgres.why_not_available()
    assert reason is not None and "install Debian's postgresql package" in reason


def test_an_export_imports_back_unchanged_on_a_server(
        server_sample: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "all.xlsx"
    assert cli.main(["export", "--db", server_sample, "--out", str(workbook)]) == 0
    capsys.readouterr()
    assert cli.main(["import", "--db", server_sample, str(workbook)]) == 0
    said = capsys.readouterr().out
    assert "0 new, 0 changed" in said and "unchanged" in said
