"""Numbered schema steps; the file's version is kept in PRAGMA user_version.

Each step is a frozen SQL file in `schema/`, optionally followed by a Python part for what
SQL cannot do (sealing the history entries already there). A step, both parts and the
version bump, runs in one transaction with foreign keys off, so a table rebuild in a later
step cannot cascade deletes into child rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qms_desktop import history_chain

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


def _record_reference_backfill(connection: sqlite3.Connection) -> int:
    from qms_desktop import references  # it reads the models, which this module does not need

    return references.record_backfill(connection)


@dataclass(frozen=True)
class Migration:
    version: int
    file_name: str
    # Runs after the SQL, inside the same transaction; a frozen step, like the SQL file.
    then: Callable[[sqlite3.Connection], object] | None = None

    def sql(self) -> str:
        return (SCHEMA_DIR / self.file_name).read_text(encoding="utf-8")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "v001_foundation.sql"),
    Migration(2, "v002_leadership.sql"),
    Migration(3, "v003_context.sql"),
    Migration(4, "v004_improvement.sql"),
    Migration(5, "v005_review.sql"),
    Migration(6, "v006_history_chain.sql", then=history_chain.seal_existing),
    Migration(7, "v007_review_cut_off.sql"),
    Migration(8, "v008_review_signature.sql"),
    Migration(9, "v009_references.sql", then=_record_reference_backfill),
    Migration(11, "v011_audit_kits.sql"),
    Migration(12, "v012_review_closing_reason.sql"),
)

SCHEMA_VERSION = MIGRATIONS[-1].version

# Marks a file as ours ("QMSD"), so a foreign SQLite file is never migrated by mistake.
APPLICATION_ID = 0x514D5344


def user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def application_id(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA application_id").fetchone()[0])


def pending(from_version: int) -> list[Migration]:
    return [m for m in MIGRATIONS if m.version > from_version]


def apply_pending(connection: sqlite3.Connection) -> list[int]:
    """Bring the file up to SCHEMA_VERSION; returns the versions applied."""
    applied: list[int] = []
    for migration in pending(user_version(connection)):
        connection.execute("PRAGMA foreign_keys = OFF")
        try:
            # executescript commits any open transaction first, so the explicit BEGIN
            # makes the whole step, Python part and version bump included, one transaction
            # (executescript is not called again before the COMMIT).
            connection.executescript("BEGIN;\n" + migration.sql())
            if migration.then is not None:
                migration.then(connection)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {migration.version}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.rollback()
            raise
        finally:
            connection.execute("PRAGMA foreign_keys = ON")
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"migration {migration.version} broke foreign keys: {problems}")
        applied.append(migration.version)
    return applied
