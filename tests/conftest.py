"""Shared fixtures: every test sees a real database file built by the real migrations."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt: no display needed, and nothing touches the user's own files.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_SANDBOX = Path(tempfile.mkdtemp(prefix="qms-tests-"))
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["HOME"] = str(_SANDBOX / "home")

import pytest  # noqa: E402

from qms_desktop import db, records  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "qms.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[db.Store]:
    opened = db.open_database(db_path)
    records.set_setting(records.USER_NAME_KEY, "Test User")
    try:
        yield opened
    finally:
        opened.close()
