"""Tamper-evident history: edits made outside the app are found by `check` (exit 4, the record
named) and refused by `export-pack`, never re-rendered as a draft.

Each tampering is done with plain sqlite3 on a real file made by the migrations and written
through the services, with the app closed, as someone holding the file would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from qms_desktop import (
    cli,
    db,
    evidence,
    migrations,
    packs,
    records,
    reviews,
)
from qms_desktop.models import ManagementReview, Person, PersonRole, Role
from tests.qms_desktop.review_minutes import held_with_minutes

TODAY = dt.date.today()
NOW = dt.datetime(2026, 1, 15, 9, 30)
# These small test companies have readiness gaps and no audit: closing them needs a reason.
ANYWAY = "Accepted at the meeting: the gaps are planned for next quarter."
EXIT_BROKEN = 4


@dataclasses.dataclass
class Sample:
    path: Path
    review_id: str
    person_id: str


def _close_a_review() -> ManagementReview:
    owner = records.create(Person, full_name="Ana Owner")
    role = records.create(Role, title="Managing Director", is_top_management=True)
    records.create(PersonRole, person=owner, role=role)
    review = held_with_minutes(owner, TODAY)
    packs.close(review, owner, now=NOW, reason=ANYWAY)
    return review


@pytest.fixture
def sample(store: db.Store) -> Sample:
    """A closed review with its frozen pack, then a person written, changed and archived
    after it; the app closed again, so the file is all there is."""
    review = _close_a_review()
    person = records.create(Person, full_name="Asha Rao", job_title="Inspector")
    records.update(person, job_title="Quality officer")
    records.archive(person)
    records.update(Person.get_by_id(person.id), email="asha@example.com")
    store.close()
    return Sample(store.path, review.id, person.id)


def _tamper(path: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    connection = sqlite3.connect(path)
    try:
        with connection:
            for sql, parameters in statements:
                connection.execute(sql, parameters)
    finally:
        connection.close()


def _one(path: Path, sql: str, parameters: tuple[object, ...] = ()) -> object:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, parameters).fetchone()[0]
    finally:
        connection.close()


def _entry_of(path: Path, record_id: str, operation: str) -> int:
    found = _one(path, "SELECT max(id) FROM change_history WHERE record_id = ? AND operation = ?",
                 (record_id, operation))
    assert isinstance(found, int)
    return found


def _run(*argv: str) -> int:
    return cli.run(list(argv), open_window=lambda _path, _default: 0)


def _check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = _run("check", "--db", str(path))
    return code, capsys.readouterr().out


def _export_pack(sample: Sample, tmp_path: Path,
                 capsys: pytest.CaptureFixture[str]) -> tuple[int, str, Path]:
    out = tmp_path / "pack.pdf"
    code = _run("export-pack", "--db", str(sample.path), "--review", sample.review_id,
                "--out", str(out))
    captured = capsys.readouterr()
    return code, captured.out + captured.err, out


def _assert_broken(sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                   *named: str) -> str:
    code, report = _check(sample.path, capsys)
    assert code == EXIT_BROKEN, report
    problem = next(line for line in report.splitlines() if "Change history" in line)
    assert problem.lstrip().startswith("PROBLEM"), report
    for words in named:
        assert words in problem, problem
    code, message, out = _export_pack(sample, tmp_path, capsys)
    assert code == EXIT_BROKEN, message
    assert "not given out" in message and "Traceback" not in message
    assert not out.exists()
    return problem


# --- Sound ----------------------------------------------------------------------------------


def test_a_sound_database_passes_and_its_frozen_pack_comes_back(
        sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = _check(sample.path, capsys)
    assert code == 0, report
    assert "unbroken chain" in report and "1 frozen pack intact" in report
    code, message, out = _export_pack(sample, tmp_path, capsys)
    assert code == 0, message
    stored = _one(sample.path, "SELECT pdf FROM review_pack WHERE review_id = ?",
                  (sample.review_id,))
    assert out.read_bytes() == stored


def test_the_frozen_pdf_prints_the_chain_head_of_its_closing(sample: Sample) -> None:
    pack_id = _one(sample.path, "SELECT id FROM review_pack WHERE review_id = ?",
                   (sample.review_id,))
    assert isinstance(pack_id, str)
    created = _entry_of(sample.path, pack_id, "create")
    # The chain head of that moment: the entry just before the pack's own (the closing).
    head = _one(sample.path, "SELECT row_hash FROM change_history WHERE id = ?", (created - 1,))
    assert isinstance(head, str) and re.fullmatch(r"[0-9a-f]{64}", head)
    assert _one(sample.path, "SELECT operation FROM change_history WHERE id = ?",
                (created - 1,)) == "update"
    pdf = _one(sample.path, "SELECT pdf FROM review_pack WHERE id = ?", (pack_id,))
    assert isinstance(pdf, bytes)
    # The sign-off page: the last that names it (the index of records cited follows it).
    sign_off = [text for text in (page.extract_text() for page in
                                  PdfReader(io.BytesIO(pdf)).pages) if "Sign-off" in text][-1]
    assert head in re.sub(r"\s", "", sign_off)
    # And the chain holds the PDF's and the snapshot's SHA-256.
    freeze = _one(sample.path, "SELECT changes FROM change_history WHERE record_id = ? AND "
                  "operation = 'freeze'", (pack_id,))
    assert isinstance(freeze, str)
    assert hashlib.sha256(pdf).hexdigest() in freeze and head in freeze
    # The HTML pack of the closed review, made from the same snapshot, prints it too.
    with db.open_database(sample.path):
        assert head in packs.build_html(ManagementReview.get_by_id(sample.review_id))


# --- Each tampering ---------------------------------------------------------------------------


def test_editing_who_on_a_history_entry(sample: Sample, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    entry = _entry_of(sample.path, sample.person_id, "update")
    _tamper(sample.path, ("UPDATE change_history SET changed_by = 'Mallory' WHERE id = ?",
                          (entry,)))
    _assert_broken(sample, tmp_path, capsys, f"History entry {entry}", "Asha Rao", "Mallory",
                   "no longer matches its seal")


def test_editing_when_on_a_history_entry(sample: Sample, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    entry = _entry_of(sample.path, sample.person_id, "create")
    _tamper(sample.path, ("UPDATE change_history SET changed_at = '2019-01-01 09:00:00' "
                          "WHERE id = ?", (entry,)))
    _assert_broken(sample, tmp_path, capsys, f"History entry {entry}", "Asha Rao",
                   "2019-01-01 09:00:00")


def test_deleting_a_history_entry_in_the_middle(sample: Sample, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    entry = _entry_of(sample.path, sample.person_id, "archive")
    _tamper(sample.path, ("DELETE FROM change_history WHERE id = ?", (entry,)))
    _assert_broken(sample, tmp_path, capsys, f"History entry {entry + 1}",
                   f"entry {entry} was deleted", "Asha Rao")


def test_deleting_the_last_history_entry(sample: Sample, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    last = _one(sample.path, "SELECT max(id) FROM change_history")
    assert last == _entry_of(sample.path, sample.person_id, "update")
    _tamper(sample.path, ("DELETE FROM change_history WHERE id = ?", (last,)))
    # The chain still links up; the record no longer follows from what is left of it.
    _assert_broken(sample, tmp_path, capsys, "Person “Asha Rao”",
                   "its e-mail reads “asha@example.com” but its history says nothing")


def test_deleting_the_entry_that_sealed_the_frozen_pack(
        sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    freeze = _one(sample.path, "SELECT id FROM change_history WHERE operation = 'freeze'")
    _tamper(sample.path, ("DELETE FROM change_history WHERE id = ?", (freeze,)))
    _assert_broken(sample, tmp_path, capsys, f"entry {freeze} was deleted")
    # Besides the broken link, the pack itself says what it lost.
    connection = sqlite3.connect(sample.path)
    try:
        sentences = [b.sentence() for b in evidence.verify(connection).breaks]
    finally:
        connection.close()
    assert any(f"The frozen pack of Management review {TODAY}" in s
               and "the history entry that sealed it when the review closed is missing" in s
               for s in sentences), sentences


def test_changing_a_record_without_a_history_entry(
        sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper(sample.path, ("UPDATE person SET job_title = 'Director' WHERE id = ?",
                          (sample.person_id,)))
    _assert_broken(sample, tmp_path, capsys, "Person “Asha Rao”",
                   "its job title reads “Director” but its history says “Quality officer”",
                   "Test User")


def test_adding_a_record_without_a_history_entry(
        sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper(sample.path, (
        "INSERT INTO person (id, created_at, updated_at, full_name, job_title, email, active) "
        "VALUES ('0190ffff-0000-7000-8000-000000000001', '2026-01-01 08:00:00', "
        "'2026-01-01 08:00:00', 'Ghost Auditor', '', '', 1)", ()))
    _assert_broken(sample, tmp_path, capsys, "Person “Ghost Auditor”",
                   "has no entry in the change history")


def test_replacing_the_frozen_pdf_with_its_sha256(
        sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forged = b"%PDF-1.4 a kinder record"
    _tamper(sample.path, ("UPDATE review_pack SET pdf = ?, sha256 = ? WHERE review_id = ?",
                          (forged, hashlib.sha256(forged).hexdigest(), sample.review_id)))
    problem = _assert_broken(sample, tmp_path, capsys, f"Management review {TODAY}",
                             "its PDF is not the one whose SHA-256 was sealed")
    assert "Ana Owner" in problem or "Test User" in problem  # who froze it


def test_editing_the_frozen_snapshot(sample: Sample, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    _tamper(sample.path, ("UPDATE review_pack SET snapshot = replace(snapshot, 'Suitable.', "
                          "'Entirely suitable.') WHERE review_id = ?", (sample.review_id,)))
    _assert_broken(sample, tmp_path, capsys, f"Management review {TODAY}",
                   "its data snapshot is not the one")


def test_setting_a_closed_review_back_to_planned(
        sample: Sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper(sample.path, ("UPDATE management_review SET status = 'planned' WHERE id = ?",
                          (sample.review_id,)))
    _assert_broken(sample, tmp_path, capsys, f"Management review {TODAY}",
                   "its review reads “planned”", "reopened outside the app")
    # Nor is an HTML draft made of it, nor can its minutes be edited again.
    out = tmp_path / "pack.html"
    code = _run("export-pack", "--db", str(sample.path), "--review", sample.review_id,
                "--out", str(out))
    assert code == EXIT_BROKEN and not out.exists()
    with db.open_database(sample.path):
        review = ManagementReview.get_by_id(sample.review_id)
        assert review.status == "planned"
        with pytest.raises(reviews.ReviewClosed):
            reviews.update_details(review, suitability="Rewritten.")
        with pytest.raises(packs.PackChanged):
            packs.build_html(review)


# --- Upgrading an older file ------------------------------------------------------------------


def _version_5_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file as the version-5 app made it: the old migrations, and no hash columns."""
    with monkeypatch.context() as patched:
        patched.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:5])
        connection = sqlite3.connect(path)
        try:
            migrations.apply_pending(connection)
            assert migrations.user_version(connection) == 5
        finally:
            connection.close()


def test_upgrading_a_version_5_file_seals_its_history(
        store: db.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    person = records.create(Person, full_name="Asha Rao", job_title="Inspector")
    records.update(person, job_title="Quality officer")
    records.archive(person)
    records.unarchive(Person.get_by_id(person.id))
    records.archive(Person.get_by_id(person.id))
    reviews.plan_review(TODAY + dt.timedelta(days=30), place="Office")
    store.close()

    old = tmp_path / "old.db"
    _version_5_file(old, monkeypatch)
    connection = sqlite3.connect(old)
    try:
        connection.execute("ATTACH DATABASE ? AS written", (str(store.path),))
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        with connection:
            for table in tables:
                columns = ", ".join(f'"{row[1]}"' for row in connection.execute(
                    f'PRAGMA main.table_info("{table}")'))
                connection.execute(f'INSERT INTO main."{table}" ({columns}) '
                                   f'SELECT {columns} FROM written."{table}"')
            # The version-5 app kept no time in an archive entry.
            connection.execute("UPDATE change_history SET changes = '{}' "
                               "WHERE operation = 'archive'")
        entries = connection.execute("SELECT count(*) FROM change_history").fetchone()[0]
    finally:
        connection.close()
    assert entries >= 6

    code, report = _check(old, capsys)  # opening it runs the upgrade

    assert code == 0, report
    assert f"{entries:,} history entries in an unbroken chain" in report
    assert _one(old, "PRAGMA user_version") == migrations.SCHEMA_VERSION
    assert _one(old, "SELECT count(*) FROM change_history WHERE length(row_hash) = 64") == entries
    backups = list((old.parent / "old.backups").glob("old-before-v*.db"))
    assert backups, "the upgrade keeps a copy of the file as it was"
    # And the upgraded chain guards it like any other.
    _tamper(old, ("UPDATE change_history SET changed_by = 'Mallory' WHERE id = 2", ()))
    code, report = _check(old, capsys)
    assert code == EXIT_BROKEN and "History entry 2" in report


def test_the_sample_company_passes_the_check(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sample.db"
    assert _run("demo", "--db", str(path)) == 0
    # A second sample over the first replaces it, keeping the settings.
    assert _run("demo", "--db", str(path), "--force") == 0
    capsys.readouterr()
    code, report = _check(path, capsys)
    assert code == 0, report
    assert "unbroken chain" in report and "2 frozen packs intact" in report
