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
