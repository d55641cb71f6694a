"""Opening the database from the window: every refusal explained, a damaged file recovered."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from qms_desktop import db, errors, migrations, organisation
from qms_desktop.paths import backups_dir
from ui.shell import errors as error_dialogs
from ui.shell.app import open_store_with_dialogs, run_app


class Dialogs:
    """Stands in for QMessageBox.exec: records what each box said, presses a button."""

    def __init__(self, press: str = "") -> None:
        self.press = press
        self.texts: list[str] = []

    def exec(self, box: QMessageBox) -> int:
        self.texts.append(error_dialogs.message_text(box))
        for button in box.buttons():
            if self.press and button.text() == self.press:
                button.click()
        return 0

    @property
    def all_text(self) -> str:
        return "\n".join(self.texts)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    recorder = Dialogs()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: recorder.exec(box))
    return recorder


def make_database(path: Path, with_backup: bool = False) -> Path | None:
    with db.open_database(path) as store:
        organisation.set_up(
            organisation.OrganisationSetup(
                name="Kestrel Fabrication", sites=["Works"], user_name="Tester"
            )
        )
        if with_backup:
            target = backups_dir(path) / f"{path.stem}-manual-1.db"
            return db.backup_to(store, target)
    return None


def test_locked_database_says_it_is_already_open(
    qapp: object, store: db.Store, db_path: Path, dialogs: Dialogs
) -> None:
    assert open_store_with_dialogs(db_path) is None
    assert "already open" in dialogs.all_text
    # The first window's store is untouched.
    assert organisation.get_organisation() is None


def test_damaged_file_is_recovered_from_the_latest_backup(
    qapp: object, db_path: Path, dialogs: Dialogs
) -> None:
    make_database(db_path, with_backup=True)
    db_path.write_bytes(b"this is not a database at all" * 100)
    dialogs.press = error_dialogs.RESTORE_BUTTON_TEXT

    store = open_store_with_dialogs(db_path)

    assert store is not None
    try:
        found = organisation.get_organisation()
        assert found is not None and found.name == "Kestrel Fabrication"
    finally:
        store.close()
    kept = list(db_path.parent.glob(f"{db_path.name}.damaged-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes().startswith(b"this is not a database")
    assert "Damaged or wrong file" in dialogs.texts[0]
    assert f"kept as {kept[0]}" in dialogs.texts[1]


def test_damaged_file_left_alone_when_restore_declined(
    qapp: object, db_path: Path, dialogs: Dialogs
) -> None:
    make_database(db_path, with_backup=True)
    db_path.write_bytes(b"garbage" * 100)
    dialogs.press = "Quit"
    assert open_store_with_dialogs(db_path) is None
    assert db_path.read_bytes() == b"garbage" * 100


def test_newer_version_is_refused_and_left_unchanged(
    qapp: object, db_path: Path, dialogs: Dialogs
) -> None:
    make_database(db_path)
    connection = sqlite3.connect(db_path)
    connection.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 5}")
    connection.commit()
    connection.close()
    before = db_path.read_bytes()

    assert open_store_with_dialogs(db_path) is None

    assert "newer version" in dialogs.all_text
    assert db_path.read_bytes() == before


def test_run_app_exits_with_the_environment_code_when_refused(
    qapp: object, store: db.Store, db_path: Path, dialogs: Dialogs,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    assert run_app(db_path, is_default_location=False) == errors.EXIT_ENVIRONMENT
    assert "already open" in dialogs.all_text


def test_unexpected_error_is_logged_with_a_short_message(
    qapp: object, tmp_path: Path, dialogs: Dialogs
) -> None:
    log_file = tmp_path / "logs" / "qms.log"
    hook = error_dialogs.make_excepthook(tmp_path / "qms.db", log_file)
    try:
        raise ValueError("a bug in a screen")
    except ValueError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert "Traceback" in log_file.read_text(encoding="utf-8")
    assert "a bug in a screen" in log_file.read_text(encoding="utf-8")
    assert f"details were written to {log_file}" in dialogs.all_text
    assert "Traceback" not in dialogs.all_text


def test_disk_full_during_a_save_shows_the_plain_message(
    qapp: object, tmp_path: Path, dialogs: Dialogs
) -> None:
    log_file = tmp_path / "qms.log"
    hook = error_dialogs.make_excepthook(tmp_path / "qms.db", log_file)
    failure = sqlite3.OperationalError("database or disk is full")
    hook(type(failure), failure, None)
    assert "Disk full" in dialogs.all_text
    assert "Free some space" in dialogs.all_text
    assert not log_file.exists()
