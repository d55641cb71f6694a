"""Shared fixtures: every test sees a real database file built by the real migrations."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture(scope="session")
def migrated_template() -> Path:
    """One file made by the real migrations; each test gets a copy (test_store and
    test_schema run the migrations on fresh files themselves)."""
    template = _SANDBOX / "template.db"
    with db.open_database(template):
        pass
    return template


@pytest.fixture(scope="session")
def sample_template() -> Path:
    """The small sample company, built once per test run (it takes seconds); tests that only
    read it or add to it get a copy through `sample_store`."""
    from qms_desktop.sample import fill_sample

    template = _SANDBOX / "sample.db"
    with db.open_database(template):
        fill_sample("small", seed=1)
    return template


@pytest.fixture
def sample_store(db_path: Path, sample_template: Path) -> Iterator[db.Store]:
    shutil.copyfile(sample_template, db_path)
    opened = db.open_database(db_path)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "qms.db"


@pytest.fixture
def store(db_path: Path, migrated_template: Path) -> Iterator[db.Store]:
    shutil.copyfile(migrated_template, db_path)
    opened = db.open_database(db_path)
    records.set_setting(records.USER_NAME_KEY, "Test User")
    try:
        yield opened
    finally:
        opened.close()


# --- A PostgreSQL server for the run (tests/postgres.py) --------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """One throwaway cluster for the whole run, started on first use; the tests that need it
    skip, saying why, only when none can be started here."""
    from tests import postgres

    reason = postgres.why_not_available()
    if reason is not None:
        pytest.skip(f"no PostgreSQL server for these tests: {reason}")
    with postgres.running_server() as server:
        yield server


@pytest.fixture
def server_url(postgres_server: object) -> Iterator[str]:
    """The address of a new empty database on the run's server, dropped afterwards."""
    from tests.postgres import Server

    assert isinstance(postgres_server, Server)
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    from qms_desktop.models import database

    if not database.is_closed():
        database.close()
    postgres_server.drop_database(name)
