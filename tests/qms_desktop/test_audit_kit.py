"""The site audit kit: the page it makes, and results merged back without loss or surprise."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from qms_desktop import attachments, audit_kit, audits, cli, errors, records
from qms_desktop.errors import ValidationError
from qms_desktop.models import Attachment, Audit, AuditKit, ChangeHistory, Finding
from tests.qms_desktop.kit_files import (
    kit_data,
    made_kit,
    photo,
    png,
    results_content,
    results_file,
    site_audit,
)


def written() -> tuple[int, int]:
    """Every write leaves a history entry; attachments are counted for the photos."""
    return ChangeHistory.select().count(), Attachment.select().count()


def findings_of(audit: Audit) -> list[Finding]:
    return audits.findings(audit)


def refused(data: bytes, audit: Audit | None = None, match: str = "") -> str:
    before = written()
    with pytest.raises(ValidationError) as caught:
        audit_kit.import_results(audit_kit.read_results(data), audit)
    message = " ".join(caught.value.problems.values())
    assert "Nothing was imported" in message
    if match:
        assert match in message
    assert written() == before
    return message


# --- The page -----------------------------------------------------------------------------------


def test_the_kit_is_one_page_that_needs_nothing_from_outside(store):
    audit = site_audit()
    made, data = made_kit(audit)
    page = made.html
    assert made.file_name == "audit-kit-purchasing-audit-2026-2026-06-12.html"
    assert not re.search(r"<[a-z]+[^>]*\s(src|href|action)\s*=", page)
    assert "http:" not in page and "https:" not in page and "<link" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and "default-src 'none'" in csp.group(1)
    assert data["kit_id"] == made.kit.id and data["audit_id"] == audit.id
    assert data["audit"]["auditee"] == "Ada Byrne" and data["audit"]["auditor"] == "Bob Quinn"
    assert data["audit"]["process"] == "Purchasing"
    assert data["audit"]["reference"] == audit_kit.reference(audit)
    assert data["questions"][0]["question"].startswith("Are approved suppliers")
    assert [label for _key, label in data["outcomes"]] == [
        "Conforms", "Minor", "Major", "Observation", "Opportunity", "Not applicable"]
    earlier = data["earlier_findings"]
    assert {f["outcome"] for f in earlier} == {"Minor nonconformity", "Observation"}
    assert data["limits"]["photo_bytes"] == attachments.MAX_ATTACHMENT_BYTES
    assert data["results_file_name"] == "purchasing-audit-2026-2026-06-12-results.json"
    kit = AuditKit.get_by_id(made.kit.id)
    assert kit.audit_id == audit.id and kit.made_by == "Test User"


def test_markup_in_the_audit_cannot_break_out_of_the_data_block(store):
    nasty = "Is it </script><script>alert(1)</script> & <b>bold</b>?"
    audit = site_audit(questions=(nasty,), earlier=False)
    records.update(audit, scope="</SCRIPT><img src=x onerror=alert(2)>")
    made, data = made_kit(audit)
    # Only the data block and the page's own script end: nothing in the text closes either.
    assert made.html.lower().count("</script>") == 2
    assert "<img" not in made.html and "<b>" not in made.html
    assert data["questions"][0]["question"] == nasty
    assert data["audit"]["scope"] == "</SCRIPT><img src=x onerror=alert(2)>"


def test_a_kit_is_made_only_for_an_open_audit_with_questions(store):
    empty = audits.plan_audit("Nothing asked", dt.date(2026, 3, 1)).audit
    with pytest.raises(ValidationError, match="no checklist questions"):
        audit_kit.make_kit(empty)
    audits.cancel_audit(empty)
    with pytest.raises(ValidationError, match="cancelled"):
        audit_kit.make_kit(empty)
    assert AuditKit.select().count() == 0


def test_an_audit_is_found_by_reference_or_id(store):
    audit = site_audit(earlier=False)
    assert audit_kit.find_audit(audit_kit.reference(audit)) == audit
    assert audit_kit.find_audit(audit.id) == audit
    assert audit_kit.find_audit(audit.id[:8].upper()) == audit
    with pytest.raises(LookupError, match="No audit"):
        audit_kit.find_audit("ffffffff")
    with pytest.raises(LookupError, match="at least the first 4"):
        audit_kit.find_audit("ab")


# --- Merging ------------------------------------------------------------------------------------


def test_answers_notes_photos_and_who_answered_are_merged(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    picture = png()
    content = results_content(data, {
        1: {"outcome": "minor", "notes": "Supplier X approved without evaluation",
            "answered_at": "2026-06-12T09:15:00.000Z", "photos": [photo(picture)]},
        2: {"outcome": "conforms", "notes": "", "answered_at": "2026-06-12T09:40:00+02:00"},
    }, answered_by="Bob Quinn")
    report = audit_kit.import_results(audit_kit.read_results(results_file(content)))

    assert (report.answers_taken, report.photos_added, report.kept_in_app) == (2, 1, 0)
    assert "Imported 2 answers and 1 photo" in report.summary()
    first, second, third = findings_of(audit)
    assert (first.outcome, first.notes) == ("minor", "Supplier X approved without evaluation")
    assert first.answered_by == "Bob Quinn"
    assert first.answered_at == dt.datetime(2026, 6, 12, 9, 15)
    assert second.outcome == "conforms" and second.answered_at == dt.datetime(2026, 6, 12, 7, 40)
    assert third.outcome == audits.UNANSWERED
    assert Audit.get_by_id(audit.id).status == audits.IN_PROGRESS
    [stored] = attachments.attachments_for(first)
    assert attachments.content(stored) == picture and stored.content_type == "image/png"
    assert stored.file_name.startswith("site-photo-Q1-1-") and stored.file_name.endswith(".png")
    # The history says what changed, and who imported it.
    entry = records.history_of(first)[-1]
    assert entry.changed_by == "Test User" and "minor" in entry.changes


def test_importing_the_same_file_again_changes_nothing(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    file = results_file(results_content(data, {
        1: {"outcome": "major", "notes": "No evaluation at all", "photos": [photo(png())]},
        3: {"outcome": "conforms"}}))
    audit_kit.import_results(audit_kit.read_results(file))
    before = written()
    again = audit_kit.import_results(audit_kit.read_results(file))
    assert written() == before
    assert (again.answers_taken, again.photos_added) == (0, 0)
    assert again.summary().startswith("Nothing new")


def test_notes_written_on_site_without_an_outcome_are_said_to_be_left_out(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    file = results_file(results_content(data, {
        1: {"outcome": "conforms"}, 2: {"notes": "Two orders had no signature"}}))
    report = audit_kit.import_results(audit_kit.read_results(file))
    assert report.answers_taken == 1 and report.notes_left_out == 1
    assert ("1 question has notes but no outcome and was left out: choose the outcome in the "
            "kit") in report.summary()
    assert findings_of(audit)[1].notes == ""
    # The same file again: nothing new to take, but the notes are still not in the audit.
    again = audit_kit.import_results(audit_kit.read_results(file))
    assert again.summary().startswith("Nothing imported into")
    assert "1 question has notes but no outcome" in again.summary()


def test_an_answer_changed_on_site_after_an_import_is_taken_later(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    audit_kit.import_results(audit_kit.read_results(results_file(
        results_content(data, {1: {"outcome": "observation", "notes": "Looks thin"}}))))
    later = audit_kit.import_results(audit_kit.read_results(results_file(
        results_content(data, {1: {"outcome": "minor", "notes": "Not evaluated"},
                               2: {"outcome": "conforms"}}))))
    assert later.answers_taken == 2 and not later.kept_in_app
    assert findings_of(audit)[0].outcome == "minor"


def test_a_question_answered_differently_in_the_app_is_a_conflict(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    first, second, _third = findings_of(audit)
    audits.answer(first, "conforms", answered_by="Quality Officer")
    audits.answer(second, "conforms")  # the same answer on both sides is no conflict
    file = results_file(results_content(data, {
        1: {"outcome": "minor", "notes": "Not evaluated"}, 2: {"outcome": "conforms"},
        3: {"outcome": "observation", "notes": "Paper book", "photos": [photo(png())]}}))
    results = audit_kit.read_results(file)

    plan = audit_kit.plan_import(results)
    [conflict] = plan.conflicts
    assert conflict.finding.id == first.id
    assert (conflict.app.outcome, conflict.app.answered_by) == ("conforms", "Quality Officer")
    assert (conflict.kit.outcome, conflict.kit.notes) == ("minor", "Not evaluated")

    before = written()
    with pytest.raises(audit_kit.ConflictsFound) as caught:
        audit_kit.import_results(results)
    assert written() == before
    text = audit_kit.conflicts_text(caught.value.conflicts)
    assert "Q1" in text and "in the app: Conforms" in text
    # The time reads as the window prints it (formatting.timestamp), not as an ISO stamp.
    assert ("on site:    Minor nonconformity (Not evaluated), Bob Quinn "
            "12 June 2026, 09:30 UTC") in text

    report = audit_kit.import_results(results, choices={first.id: "app"})
    assert (report.answers_taken, report.kept_in_app, report.photos_added) == (1, 1, 1)
    assert findings_of(audit)[0].outcome == "conforms"
    assert findings_of(audit)[2].outcome == "observation"
    # Settled once: the same file again asks nothing and changes nothing.
    before = written()
    assert audit_kit.plan_import(results).conflicts == ()
    audit_kit.import_results(results)
    assert written() == before


@pytest.mark.parametrize(("prefer", "outcome"), [("kit", "minor"), ("app", "conforms")])
def test_prefer_settles_every_conflict(store, prefer, outcome):
    audit = site_audit()
    _made, data = made_kit(audit)
    audits.answer(findings_of(audit)[0], "conforms")
    results = audit_kit.read_results(results_file(
        results_content(data, {1: {"outcome": "minor", "notes": "Not evaluated"}})))
    audit_kit.import_results(results, prefer=prefer)
    assert findings_of(audit)[0].outcome == outcome


def test_findings_imported_raise_a_nonconformity_in_one_step(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    audit_kit.import_results(audit_kit.read_results(results_file(results_content(data, {
        1: {"outcome": "major", "notes": "No supplier evaluated since 2024"}}))))
    finding = findings_of(audit)[0]
    nc = audits.raise_nonconformity(finding)
    assert nc.severity == "major" and "No supplier evaluated" in nc.title
    assert Finding.get_by_id(finding.id).nonconformity_id == nc.id


# --- Refusals: a plain message, and nothing written -----------------------------------------------


def test_a_file_of_a_kit_this_database_did_not_make_is_refused(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    content = results_content(data, {1: {"outcome": "conforms"}})
    content["kit_id"] = "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000"
    refused(results_file(content), match="did not make")


def test_a_file_of_another_audit_is_refused(store):
    audit = site_audit()
    other = site_audit("Stores audit", earlier=False)
    _made, data = made_kit(audit)
    _other_made, other_data = made_kit(other)
    file = results_file(results_content(data, {1: {"outcome": "conforms"}}))
    refused(file, audit=other, match="not for “Stores audit”")
    # A kit's id with another audit's id: the file does not belong together.
    content = results_content(data, {1: {"outcome": "conforms"}})
    content["audit_id"] = other_data["audit_id"]
    refused(results_file(content), match="does not belong")


def test_an_edited_file_is_refused(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    file = results_file(results_content(data, {1: {"outcome": "conforms"}}))
    edited = file.replace(b'\\"conforms\\"', b'\\"major\\"')
    assert edited != file
    with pytest.raises(ValidationError, match="changed after the kit saved it"):
        audit_kit.read_results(edited)


@pytest.mark.parametrize("breakage", [
    "not json", "extra key", "missing key", "wrong type", "unknown outcome", "bad time",
    "content ids differ", "duplicate answer", "not base64", "unknown question",
])
def test_a_file_that_breaks_the_results_schema_is_refused(store, breakage):
    audit = site_audit()
    _made, data = made_kit(audit)
    content = results_content(data, {1: {"outcome": "conforms"}})
    outer = None
    answer = content["answers"][0]
    if breakage == "extra key":
        answer["score"] = 5
    elif breakage == "missing key":
        del content["answered_by"]
    elif breakage == "wrong type":
        answer["notes"] = ["a", "list"]
    elif breakage == "unknown outcome":
        answer["outcome"] = "excellent"
    elif breakage == "bad time":
        answer["answered_at"] = "yesterday"
    elif breakage == "content ids differ":
        outer = {"audit_id": "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000"}
    elif breakage == "duplicate answer":
        content["answers"].append(dict(answer))
    elif breakage == "not base64":
        answer["photos"] = [{"name": "a.png", "type": "image/png", "data": "%%%"}]
    elif breakage == "unknown question":
        answer["question_id"] = "0190aaaa-bbbb-7ccc-8ddd-eeeeffff0000"
    file = b"{not json" if breakage == "not json" else results_file(content, outer)
    message = refused(file)
    assert "\n" not in message and "Traceback" not in message


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(store, tmp_path, monkeypatch):
    audit = site_audit()
    _made, data = made_kit(audit)
    file = results_file(results_content(data, {1: {"outcome": "conforms"}}))
    monkeypatch.setattr(audit_kit, "MAX_RESULTS_BYTES", len(file) - 1)
    refused(file, match="can be at most")
    path = tmp_path / "results.json"
    path.write_bytes(file)
    with pytest.raises(ValidationError, match="can be at most"):
        audit_kit.read_results_file(path)


def test_a_photo_over_the_attachment_limit_is_refused(store, monkeypatch):
    audit = site_audit()
    _made, data = made_kit(audit)
    picture = png(400, 400)
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", len(picture) - 1)
    refused(results_file(results_content(data, {1: {"photos": [photo(picture)]}})),
            match="Photo 1 of answer 1")


def test_too_many_photos_on_a_question_are_refused(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    many = [photo(png(colour=(n, n, n))) for n in range(audit_kit.MAX_PHOTOS_PER_QUESTION + 1)]
    refused(results_file(results_content(data, {1: {"photos": many}})), match="at most")


@pytest.mark.parametrize("fake", [b"GIF89a but not really", b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
                                  png()[:-30], b"<svg xmlns='http://www.w3.org/2000/svg'/>"])
def test_a_photo_that_is_not_a_whole_image_is_refused(store, fake):
    audit = site_audit()
    _made, data = made_kit(audit)
    refused(results_file(results_content(data, {
        1: {"outcome": "conforms", "photos": [photo(png())]},
        2: {"photos": [photo(fake)]}})), match="Photo 1 of answer 2 is not a photo")


def test_an_answer_the_app_would_not_take_refuses_the_whole_file(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    refused(results_file(results_content(data, {
        1: {"outcome": "conforms"}, 2: {"outcome": "minor", "notes": "  "}})),
            match="Q2 is answered “Minor” without notes")
    assert findings_of(audit)[0].outcome == audits.UNANSWERED


def test_a_name_the_app_would_not_take_refuses_the_whole_file(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    refused(results_file(results_content(data, {1: {"outcome": "conforms"}},
                                         answered_by="Bob\x07Quinn")), match="Who answered")


def test_results_for_a_completed_audit_are_refused(store):
    audit = site_audit()
    _made, data = made_kit(audit)
    for finding in findings_of(audit):
        audits.answer(finding, "conforms")
    audits.complete_audit(audit, dt.date(2026, 6, 12), "All conforms.",
                          today=dt.date(2026, 6, 30))
    refused(results_file(results_content(data, {1: {"outcome": "minor", "notes": "x"}})),
            match="is completed")


def test_the_kit_database_memory_survives_json_round_trip(store):
    audit = site_audit(earlier=False)
    made, _data = made_kit(audit)
    merged = json.loads(AuditKit.get_by_id(made.kit.id).merged)
    assert set(merged) == {f.id for f in findings_of(audit)}
    questions = json.loads(AuditKit.get_by_id(made.kit.id).questions)
    assert [q["position"] for q in questions.values()] == [1, 2, 3]


# --- The command line -----------------------------------------------------------------------------


def test_the_commands_write_a_kit_and_import_its_results(store, db_path, tmp_path, capsys):
    audit = site_audit()
    audit_id = audit.id
    reference = audit_kit.reference(audit)
    store.close()
    page = tmp_path / "kit.html"

    assert cli.main(["audit-kit", "--db", str(db_path), "--audit", reference,
                     "--out", str(page)]) == 0
    assert "3 questions" in capsys.readouterr().out
    data = kit_data(page.read_text(encoding="utf-8"))
    assert data["audit_id"] == audit_id
    assert cli.main(["audit-kit", "--db", str(db_path), "--audit", reference,
                     "--out", str(page)]) == errors.EXIT_REFUSED  # no --force

    file = tmp_path / "results.json"
    file.write_bytes(results_file(results_content(data, {
        1: {"outcome": "minor", "notes": "Not evaluated", "photos": [photo(png())]}})))
    assert cli.main(["import-audit", "--db", str(db_path), str(file)]) == 0
    assert "Imported 1 answer and 1 photo" in capsys.readouterr().out
    assert cli.main(["import-audit", "--db", str(db_path), str(file)]) == 0
    assert "Nothing new" in capsys.readouterr().out

    edited = tmp_path / "edited.json"
    edited.write_bytes(file.read_bytes().replace(b"Not evaluated", b"All fine!!!!"))
    assert cli.main(["import-audit", "--db", str(db_path), str(edited)]) == \
        errors.EXIT_CHECK_FAILED
    assert "changed after the kit saved it" in capsys.readouterr().err


def test_the_import_command_lists_conflicts_unless_told_which_side_wins(store, db_path,
                                                                         tmp_path, capsys):
    audit = site_audit()
    _made, data = made_kit(audit)
    audits.answer(findings_of(audit)[0], "conforms")
    first_id = findings_of(audit)[0].id
    store.close()
    file = tmp_path / "results.json"
    file.write_bytes(results_file(results_content(data, {
        1: {"outcome": "minor", "notes": "Not evaluated"}})))

    assert cli.main(["import-audit", "--db", str(db_path), str(file)]) == errors.EXIT_REFUSED
    err = capsys.readouterr().err
    assert "Q1" in err and "in the app: Conforms" in err and "--prefer" in err
    assert cli.main(["import-audit", "--db", str(db_path), str(file), "--prefer", "kit"]) == 0
    from qms_desktop import db

    with db.open_database(db_path):
        assert Finding.get_by_id(first_id).outcome == "minor"


def test_the_import_command_refuses_a_missing_file(store, db_path, tmp_path, capsys):
    store.close()
    assert cli.main(["import-audit", "--db", str(db_path), str(tmp_path / "none.json")]) == \
        errors.EXIT_REFUSED
    assert "no results file" in capsys.readouterr().err


def test_paths_are_not_needed_for_the_kit(tmp_path: Path):
    # The page's own files are found beside the product, whatever the working folder.
    assert (audit_kit.KIT_FILES / "kit.html").is_file()


# --- The schema step ------------------------------------------------------------------------------


def test_a_file_from_before_the_kit_step_gets_it_across_the_gap_in_step_numbers(tmp_path):
    """Step 11 follows step 9 (10 is not used): a file at 9 is brought up through it."""
    import sqlite3

    from qms_desktop import db, migrations

    versions = [m.version for m in migrations.MIGRATIONS]
    assert versions == sorted(set(versions)) and 11 in versions
    path = tmp_path / "old.db"
    before_kits = tuple(m for m in migrations.MIGRATIONS if m.version < 11)
    connection = sqlite3.connect(path)
    try:
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(migrations, "MIGRATIONS", before_kits)
            migrations.apply_pending(connection)
        assert migrations.user_version(connection) == before_kits[-1].version
        columns = {row[1] for row in connection.execute('PRAGMA table_info("finding")')}
        assert "answered_by" not in columns
    finally:
        connection.close()
    with db.open_database(path) as opened:
        assert opened.migrated_from == before_kits[-1].version
        audit = site_audit(earlier=False)
        made, _data = made_kit(audit)
        assert AuditKit.get_by_id(made.kit.id).audit_id == audit.id
        assert migrations.user_version(opened.connection) == migrations.SCHEMA_VERSION


def test_a_kit_script_that_would_end_its_block_is_refused(store, tmp_path, monkeypatch):
    for name in ("kit.html", "kit.css"):
        (tmp_path / name).write_text((audit_kit.KIT_FILES / name).read_text("utf-8"), "utf-8")
    (tmp_path / "kit.js").write_text('console.log("</SCRIPT><script>alert(1)")', "utf-8")
    monkeypatch.setattr(audit_kit, "KIT_FILES", tmp_path)
    with pytest.raises(RuntimeError, match="closing tag"):
        audit_kit.make_kit(site_audit())
