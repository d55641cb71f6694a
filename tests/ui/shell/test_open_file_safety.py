"""The window's side of file safety: an empty file and a -wal file that was set aside."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from qms_desktop import db, organisation, records
from qms_desktop.models import Site
from tests.ui.shell.test_app_start import Dialogs, dialogs  # noqa: F401  (fixture)
from ui.shell import errors as error_dialogs
from ui.shell.app import open_store_with_dialogs


def test_an_empty_file_offers_a_new_quality_system_in_it(
    qapp: object, db_path: Path, dialogs: Dialogs  # noqa: F811
) -> None:
    db_path.touch()
    dialogs.press = error_dialogs.NEW_DATABASE_BUTTON_TEXT

    store = open_store_with_dialogs(db_path)

    assert store is not None
    try:
        assert organisation.get_organisation() is None  # the first-run setup comes next
    finally:
        store.close()
    assert "is empty (0 bytes)" in dialogs.texts[0]
    assert db_path.stat().st_size > 0


def test_an_empty_file_is_left_alone_when_the_offer_is_declined(
    qapp: object, db_path: Path, dialogs: Dialogs  # noqa: F811
) -> None:
    db_path.touch()
    dialogs.press = "Quit"
    assert open_store_with_dialogs(db_path) is None
    assert db_path.stat().st_size == 0
    assert len(dialogs.texts) == 1


def test_a_wal_set_aside_is_told_plainly(
    qapp: object, db_path: Path, tmp_path: Path, dialogs: Dialogs  # noqa: F811
) -> None:
    other = tmp_path / "other" / "other.db"
    other.parent.mkdir()
    for path, prefix in ((db_path, "Ours"), (other, "Other")):
        with db.open_database(path):
            records.set_setting(records.USER_NAME_KEY, "Tester")
            for n in range(30):
                records.create(Site, name=f"{prefix} site {n:03d}")
    connection = sqlite3.connect(other)
    try:
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        connection.execute("UPDATE site SET name = name || ' (renamed)'")
        connection.commit()
        shutil.copyfile(other.with_name("other.db-wal"), db_path.with_name("qms.db-wal"))
    finally:
        connection.close()

    store = open_store_with_dialogs(db_path)

    assert store is not None
    try:
        assert Site.select().where(Site.name.contains("renamed")).count() == 0
    finally:
        store.close()
    (told,) = dialogs.texts
    assert "set aside" in told and str(db.backups_dir(db_path)) in told
