"""Numbered schema steps; the file's version is kept in PRAGMA user_version.

On a PostgreSQL server the same steps run, each translated from its SQLite text when it
runs (`to_postgresql`): no second copy of the schema to drift apart. The version is kept
in the table SERVER_VERSION_TABLE there, with the application id that marks the database
as ours.

Each step is a frozen SQL file in `schema/`, optionally followed by a Python part for what
SQL cannot do (sealing the history entries already there). A step, both parts and the
version bump, runs in one transaction with foreign keys off, so a table rebuild in a later
step cannot cascade deletes into child rows.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qms_desktop import history_chain

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


def _record_reference_backfill(connection: sqlite3.Connection) -> int:
    from qms_desktop import references  # it reads the models, which this module does not need

    return references.record_backfill(connection)


def _account_groups(connection: Any) -> None:
    """On a server, the group roles that hold each role's grants, where the one migrating
    may make roles (else the first account added makes them); a file has no sign-in."""
    if isinstance(connection, sqlite3.Connection):
        return
    from qms_desktop import accounts

    accounts.set_up_groups(connection, quietly=True)


@dataclass(frozen=True)
class Migration:
    version: int
    file_name: str
    # Runs after the SQL, inside the same transaction; a frozen step, like the SQL file.
    # Given sqlite3's connection on a file, server.ServerConnection (which takes the same
    # calls) on a server.
    then: Callable[[Any], object] | None = None

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
    Migration(13, "v013_row_versions.sql"),
    Migration(14, "v014_accounts.sql", then=_account_groups),
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


# --- The same steps on PostgreSQL ------------------------------------------------------------

SERVER_VERSION_TABLE = "qms_schema_version"

# SQLite's column types as PostgreSQL names the same kind; INTEGER holding a boolean is
# told apart by the model's field (see _boolean_columns).
_TYPES = {"DATETIME": "TIMESTAMP", "BLOB": "BYTEA", "REAL": "DOUBLE PRECISION"}
_TYPE_WORD = re.compile(r"\b(DATETIME|BLOB|REAL)\b")
_TABLE = re.compile(r'(?:CREATE TABLE|ALTER TABLE)\s+"(\w+)"')
_INTEGER_COLUMN = re.compile(r'"(\w+)" INTEGER\b((?: NOT NULL)?)(?: DEFAULT ([01]))?')


@functools.cache
def _boolean_columns() -> frozenset[tuple[str, str]]:
    from peewee import BooleanField

    from qms_desktop.models import ALL_MODELS  # the models only for this translation

    return frozenset(
        (model._meta.table_name, f.column_name)
        for model in ALL_MODELS for f in model._meta.sorted_fields
        if isinstance(f, BooleanField)
    )


def _function_calls(sql: str, name: str) -> list[tuple[int, int, list[str]]]:
    """Each call of `name(...)` in `sql`: its start, its end, its arguments as written
    (split at the top-level commas, quotes and nested calls respected)."""
    found = []
    for match in re.finditer(rf"\b{name}\(", sql, flags=re.IGNORECASE):
        depth, quote, start = 1, "", match.end()
        arguments, index = [], start
        while depth:
            char = sql[index]
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            elif char == "," and depth == 1:
                arguments.append(sql[start:index].strip())
                start = index + 1
            index += 1
        arguments.append(sql[start:index - 1].strip())
        found.append((match.start(), index, arguments))
    return found


def _rewrite_calls(sql: str, name: str, rewrite: Callable[[list[str]], str]) -> str:
    # Innermost (and last) first, so the positions of those still to do stay right.
    for start, end, arguments in reversed(_function_calls(sql, name)):
        sql = sql[:start] + rewrite([_rewrite_calls(a, name, rewrite) for a in arguments]) \
            + sql[end:]
    return sql


def _printf(arguments: list[str]) -> str:
    fmt, value = arguments
    width = re.fullmatch(r"'%0(\d+)d'", fmt)
    if width is None:
        raise ValueError(f"no PostgreSQL translation for printf({fmt}, ...)")
    text = f"CAST({value} AS TEXT)"
    # printf pads to at least the width and never cuts; lpad alone would cut.
    return f"lpad({text}, GREATEST({width.group(1)}, length({text})), '0')"


def _substr(arguments: list[str]) -> str:
    # A date or a timestamp is text in SQLite; PostgreSQL takes substr of text only.
    return f"substr(CAST({arguments[0]} AS TEXT), {', '.join(arguments[1:])})"


def _named_subqueries(sql: str) -> str:
    """A subquery in FROM given a name, which PostgreSQL before 16 requires."""
    out, position, number = [], 0, 0
    for match in re.finditer(r"\bFROM\s*\(\s*SELECT\b", sql, flags=re.IGNORECASE):
        if match.start() < position:
            continue  # inside a subquery already passed
        depth, index = 0, sql.index("(", match.start())
        while True:
            depth += {"(": 1, ")": -1}.get(sql[index], 0)
            index += 1
            if depth == 0:
                break
        following = sql[index:].lstrip()
        out.append(sql[position:index])
        if not re.match(r'(?:AS\b|"|\w)', following, flags=re.IGNORECASE) or re.match(
                r"(?:WHERE|ORDER|GROUP|LIMIT|UNION)\b", following, flags=re.IGNORECASE):
            number += 1
            out.append(f' AS "subquery_{number}"')
        position = index
    out.append(sql[position:])
    return "".join(out)


def _integer_column(table: str, match: re.Match[str]) -> str:
    column, not_null, default = match.groups()
    if (table, column) not in _boolean_columns():
        return match.group(0)
    shown = "" if default is None else f" DEFAULT {'TRUE' if default == '1' else 'FALSE'}"
    return f'"{column}" BOOLEAN{not_null}{shown}'


def to_postgresql(sql: str) -> str:
    """One step's SQLite text as PostgreSQL runs it: column types by kind (DATETIME as
    TIMESTAMP, an INTEGER the model keeps a boolean in as BOOLEAN, BLOB as BYTEA, REAL as
    DOUBLE PRECISION), SQLite's printf and substr of a date as PostgreSQL writes them, a
    subquery in FROM named, and a link to a table made later in the step moved after it."""
    statements = []
    for statement in sql.split(";"):
        table = _TABLE.search(statement)
        if table is not None:
            statement = _INTEGER_COLUMN.sub(
                functools.partial(_integer_column, table.group(1)), statement)
            statement = _TYPE_WORD.sub(lambda m: _TYPES[m.group(1)], statement)
        statements.append(statement)
    translated = ";".join(_in_creation_order(statements))
    translated = _rewrite_calls(translated, "printf", _printf)
    translated = _rewrite_calls(translated, "substr", _substr)
    return _named_subqueries(translated)


_CREATED = re.compile(r'CREATE TABLE\s+"(\w+)"')
_SUBJECT = re.compile(r'(?:CREATE TABLE|ALTER TABLE|ON)\s+"(\w+)"')
_NAMED = re.compile(r'(?:REFERENCES|ON|TABLE|INTO|UPDATE|FROM)\s+"(\w+)"')


def _in_creation_order(statements: list[str]) -> list[str]:
    """The statements with any that names a table the step creates later moved to just
    after its creation, and the statements on the same table after it: SQLite takes a link
    to a table not made yet, PostgreSQL does not."""
    to_create = {m.group(1) for s in statements if (m := _CREATED.search(s))}
    ordered: list[str] = []
    waiting: list[tuple[set[str], str, str]] = []  # (tables awaited, subject, statement)
    for statement in statements:
        created = _CREATED.search(statement)
        subject_match = _SUBJECT.search(statement)
        subject = subject_match.group(1) if subject_match else ""
        needs = (set(_NAMED.findall(statement)) & to_create) - {subject}
        for awaited, waiting_subject, _text in waiting:
            if subject and waiting_subject == subject:
                needs |= awaited  # after what waits on the same table
        if needs:
            waiting.append((needs, subject, statement))
            continue
        ordered.append(statement)
        if created:
            to_create.discard(created.group(1))
            for awaited, _subject, _text in waiting:
                awaited.discard(created.group(1))
            ordered += [text for awaited, _subject, text in waiting if not awaited]
            waiting = [entry for entry in waiting if entry[0]]
    if waiting:
        raise ValueError(f"statements name tables the step never makes: {waiting}")
    return ordered


def server_state(connection: Any) -> tuple[int, bool]:
    """(the server database's schema version, whether it holds tables not ours)."""
    tables = {row[0] for row in connection.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")}
    if SERVER_VERSION_TABLE not in tables:
        return 0, bool(tables)
    row = connection.execute(
        f'SELECT "application_id", "version" FROM "{SERVER_VERSION_TABLE}"').fetchone()
    if row is None or int(row[0]) != APPLICATION_ID:
        return 0, True
    return int(row[1]), False


def apply_pending_on_server(connection: Any, up_to: int = SCHEMA_VERSION) -> list[int]:
    """`apply_pending` on a PostgreSQL server: each step, translated, with its Python part
    and the version bump in one transaction. Two people opening a new database at once
    take turns (an advisory lock), and the second finds the steps done. `up_to` stops at
    an older version (the tests of a later step on rows made before it)."""
    with connection.transaction():
        # Under the lock too: two at once would both make the table, and one fail.
        connection.execute("SELECT pg_advisory_xact_lock(?)", (APPLICATION_ID,))
        connection.execute(
            f'CREATE TABLE IF NOT EXISTS "{SERVER_VERSION_TABLE}" ('
            '"application_id" INTEGER NOT NULL, "version" INTEGER NOT NULL)')
    applied: list[int] = []
    for migration in MIGRATIONS:
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(?)", (APPLICATION_ID,))
            version, _foreign = server_state(connection)
            if migration.version <= version or migration.version > up_to:
                continue
            connection.execute(to_postgresql(migration.sql()))
            if migration.then is not None:
                migration.then(connection)
            connection.execute(f'DELETE FROM "{SERVER_VERSION_TABLE}"')
            connection.execute(
                f'INSERT INTO "{SERVER_VERSION_TABLE}" ("application_id", "version") '
                "VALUES (?, ?)", (APPLICATION_ID, migration.version))
        applied.append(migration.version)
    return applied
