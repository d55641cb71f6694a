"""Parity: the schema the migrations build equals the one the models declare.

A user's file is only ever built by the migrations; the models are what the code reads and
writes. If a model gains a field without a migration step (or the other way round), this
test fails before any user's start-up does.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import peewee

from qms_desktop import db
from qms_desktop.models import ALL_MODELS

Schema = dict[str, dict[str, Any]]


def describe(path: Path) -> Schema:
    connection = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        schema: Schema = {}
        for table in tables:
            columns = [
                (name, kind.upper(), bool(notnull), pk)
                for _cid, name, kind, notnull, _default, pk in connection.execute(
                    f'PRAGMA table_info("{table}")'
                )
            ]
            foreign_keys = sorted(
                (source, target, to_column, on_update, on_delete)
                for _id, _seq, target, source, to_column, on_update, on_delete, _match
                in connection.execute(f'PRAGMA foreign_key_list("{table}")')
            )
            indexes = []
            for _seq, name, unique, origin, _partial in connection.execute(
                f'PRAGMA index_list("{table}")'
            ):
                if origin == "pk":  # SQLite's own index for a text primary key
                    continue
                indexed = [
                    row[2] for row in connection.execute(f'PRAGMA index_info("{name}")')
                ]
                indexes.append((name, bool(unique), tuple(indexed)))
            schema[table] = {
                "columns": columns,
                "foreign keys": foreign_keys,
                "indexes": sorted(indexes),
            }
        return schema
    finally:
        connection.close()


def test_migrations_build_the_schema_the_models_declare(tmp_path: Path) -> None:
    migrated = tmp_path / "migrated.db"
    with db.open_database(migrated):
        pass

    declared = tmp_path / "declared.db"
    scratch = peewee.SqliteDatabase(str(declared))
    with scratch.bind_ctx(ALL_MODELS), scratch.atomic():
        scratch.create_tables(ALL_MODELS)
    scratch.close()

    from_migrations = describe(migrated)
    from_models = describe(declared)

    assert sorted(from_migrations) == sorted(from_models), "tables differ"
    for table, expected in from_models.items():
        found = from_migrations[table]
        for aspect in ("columns", "foreign keys", "indexes"):
            assert found[aspect] == expected[aspect], f"{table}: {aspect} differ"


def test_every_model_has_a_table(tmp_path: Path) -> None:
    path = tmp_path / "qms.db"
    with db.open_database(path):
        pass
    assert {m._meta.table_name for m in ALL_MODELS} <= set(describe(path))


# --- The same parity on a PostgreSQL server ----------------------------------------------------

# Each engine's column types by kind; a boolean is an INTEGER in SQLite, told by its field.
KINDS = {
    "VARCHAR": "text", "TEXT": "text", "CHARACTER VARYING": "text",
    "INTEGER": "integer", "BIGINT": "integer",
    "BOOLEAN": "boolean",
    "DATETIME": "timestamp", "TIMESTAMP WITHOUT TIME ZONE": "timestamp",
    "DATE": "date",
    "REAL": "real", "DOUBLE PRECISION": "real",
    "BLOB": "blob", "BYTEA": "blob",
}


def _kind(table: str, column: str, declared: str) -> str:
    if (table, column) in _booleans():
        assert declared.upper() in ("INTEGER", "BOOLEAN"), (table, column, declared)
        return "boolean"
    return KINDS[declared.upper().split("(")[0]]


def _booleans() -> set[tuple[str, str]]:
    return {(m._meta.table_name, f.column_name) for m in ALL_MODELS
            for f in m._meta.sorted_fields if isinstance(f, peewee.BooleanField)}


def describe_server(url: str) -> Schema:
    """Tables, columns (by kind), links and indexes of a server database, as `describe`
    gives them for a file, the app's version table aside."""
    import psycopg

    from qms_desktop.migrations import SERVER_VERSION_TABLE

    with psycopg.connect(url) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            if row[0] != SERVER_VERSION_TABLE]
        schema: Schema = {}
        for table in tables:
            keys = {row[0] for row in connection.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = "
                "i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass "
                "AND i.indisprimary", (f'"{table}"',))}
            columns = [
                (name, _kind(table, name, kind), nullable == "NO", 1 if name in keys else 0)
                for name, kind, nullable in connection.execute(
                    "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
                    (table,))
            ]
            foreign_keys = sorted(connection.execute(
                "SELECT kcu.column_name, ccu.table_name, ccu.column_name, rc.update_rule, "
                "rc.delete_rule FROM information_schema.referential_constraints rc "
                "JOIN information_schema.key_column_usage kcu "
                "ON kcu.constraint_name = rc.constraint_name "
                "JOIN information_schema.constraint_column_usage ccu "
                "ON ccu.constraint_name = rc.constraint_name "
                "WHERE kcu.table_name = %s", (table,)).fetchall())
            indexes = sorted(
                (name, unique, tuple(columns_of))
                for name, unique, columns_of in connection.execute(
                    "SELECT c.relname, i.indisunique, ARRAY(SELECT a.attname FROM "
                    "unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a "
                    "ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.n) "
                    "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary", (f'"{table}"',))
            )
            schema[table] = {"columns": columns, "foreign keys": foreign_keys,
                             "indexes": indexes}
        return schema


def _by_kind(schema: Schema) -> Schema:
    """A file's schema with its column types by kind and its links' rules as PostgreSQL
    names them, to compare with a server's."""
    rules = {"NO ACTION": "NO ACTION", "CASCADE": "CASCADE", "SET NULL": "SET NULL"}
    return {
        table: {
            "columns": [(name, _kind(table, name, kind), notnull, 1 if pk else 0)
                        for name, kind, notnull, pk in aspects["columns"]],
            "foreign keys": sorted((source, target, to_column, rules[update], rules[delete])
                                   for source, target, to_column, update, delete
                                   in aspects["foreign keys"]),
            "indexes": aspects["indexes"],
        }
        for table, aspects in schema.items()
    }


def test_the_server_gets_the_schema_the_models_declare(server_url: str) -> None:
    """On PostgreSQL the translated migrations build what peewee makes from the models."""
    from qms_desktop import server

    with server.open_server(server_url):
        pass
    migrated = describe_server(server_url)
    declared_url = server_url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(declared_url, autocommit=True) as admin:
        admin.execute('CREATE DATABASE "declared_by_models"')
    try:
        declared_url = server_url.rsplit("/", 1)[0] + "/declared_by_models"
        scratch = server.ServerDatabase(declared_url)
        with scratch.bind_ctx(ALL_MODELS), scratch.atomic():
            scratch.create_tables(ALL_MODELS)
        scratch.close()
        from_models = describe_server(declared_url)
    finally:
        with psycopg.connect(server_url.rsplit("/", 1)[0] + "/postgres",
                             autocommit=True) as admin:
            admin.execute('DROP DATABASE "declared_by_models" WITH (FORCE)')
    assert sorted(migrated) == sorted(from_models), "tables differ"
    for table, expected in from_models.items():
        for aspect in ("columns", "foreign keys", "indexes"):
            assert migrated[table][aspect] == expected[aspect], f"{table}: {aspect} differ"


def test_a_file_and_a_server_have_the_same_schema(tmp_path: Path, server_url: str) -> None:
    """Same tables, columns (by kind, nullability, key), links and indexes on both engines."""
    from qms_desktop import server

    file = tmp_path / "qms.db"
    with db.open_database(file):
        pass
    with server.open_server(server_url):
        pass
    on_file, on_server = _by_kind(describe(file)), describe_server(server_url)
    assert sorted(on_file) == sorted(on_server), "tables differ"
    for table, expected in on_file.items():
        for aspect in ("columns", "foreign keys", "indexes"):
            assert on_server[table][aspect] == expected[aspect], f"{table}: {aspect} differ"
