"""The sample company: believable, reproducible, sound."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from qms_desktop import db, demo, records
from qms_desktop.models import (
    ALL_MODELS,
    Action,
    ChangeHistory,
    Document,
    Kpi,
    Person,
    Reading,
    Record,
    Role,
    database,
)


def _failing(kpi: Kpi, value: float) -> bool:
    if kpi.direction == "higher":
        return value < kpi.failure_threshold
    return value > kpi.failure_threshold


def test_small_fills_every_register_with_believable_counts(store: db.Store) -> None:
    messages: list[str] = []
    counts = demo.fill_sample("small", seed=1, progress=messages.append)

    assert counts["organisation"] == 1
    assert counts["site"] == 2
    assert 25 <= counts["person"] <= 30
    assert Person.select().where(Person.active == False).count() in (1, 2)  # noqa: E712
    assert Person.select().where(Person.left_on.is_null(False)).count() in (1, 2)
    assert Role.select().where(Role.is_top_management == True).count() == 2  # noqa: E712
    assert counts["person_role"] >= 15
    assert counts["process"] == 8
    assert counts["document"] >= 1
    policy = Document.get(Document.kind == "policy")
    assert {v.number: v.status for v in policy.versions} == {
        1: "superseded", 2: "approved", 3: "draft"}
    assert 12 <= counts["risk"] <= 20
    assert 5 <= counts["objective"] <= 8
    assert 6 <= counts["kpi"] <= 10
    assert counts["kpi"] * 33 <= counts["reading"] < counts["kpi"] * 36
    assert 15 <= counts["nonconformity"] <= 25
    assert 10 <= counts["audit"] <= 14
    assert counts["finding"] >= 30
    assert counts["management_review"] == 3
    assert 35 <= counts["action"] <= 60
    assert {a.source_table for a in Action.select()} == {
        "nonconformity", "risk", "finding", "management_review", "objective"}
    assert records.get_setting(records.USER_NAME_KEY) == "Zoë Lindqvist"
    assert "People" in messages and "Actions" in messages

    # Every record written through the services has its history row.
    record_rows = sum(counts[m._meta.table_name] for m in ALL_MODELS if issubclass(m, Record))
    created = ChangeHistory.select().where(ChangeHistory.operation == "create").count()
    assert created == record_rows
    assert db.check(store).sound


def test_small_names_need_more_than_latin_1(store: db.Store) -> None:
    demo.fill_sample("small")
    names = [p.full_name for p in Person.select()]
    assert any(not name.isascii() for name in names)
    assert any(any(ord(c) > 255 for c in name) for name in names)  # Ł, ř, ...
    assert all("@" in p.email and p.email.isascii() for p in Person.select())


def test_small_has_overdue_and_due_this_week_actions(store: db.Store) -> None:
    demo.fill_sample("small")
    today = dt.date.today()
    open_actions = Action.select().where(Action.status == "open")
    assert open_actions.where(Action.due_on < today).count() >= 3
    assert open_actions.where(Action.due_on.between(today, today + dt.timedelta(days=6))).count()
    assert Action.select().where(Action.original_due_on.is_null(False)).count() >= 2
    done = Action.select().where(Action.status == "done")
    assert done.count() and all(a.done_on is not None and a.done_on <= today for a in done)
    assert all(a.created_at.date() < today for a in Action.select())


def test_small_readings_have_gaps_and_failures(store: db.Store) -> None:
    demo.fill_sample("small")
    today = dt.date.today()
    this_month = today.replace(day=1)
    gaps = failures = 0
    for kpi in Kpi.select():
        periods = [r.period_start for r in kpi.readings.order_by(Reading.period_start)]
        assert all(p.day == 1 and p < this_month for p in periods)
        gaps += len(periods) < 36
        failures += sum(_failing(kpi, r.value) for r in kpi.readings)
        assert kpi.target is not None
        if kpi.direction == "higher":
            assert kpi.target > kpi.warning_threshold > kpi.failure_threshold
        else:
            assert kpi.target < kpi.warning_threshold < kpi.failure_threshold
    assert gaps >= 1
    assert failures >= 3


def _dump() -> dict[str, list[tuple[Any, ...]]]:
    dumped = {}
    for model in ALL_MODELS:
        key = model._meta.primary_key
        dumped[model._meta.table_name] = list(model.select().order_by(key).tuples())
    return dumped


def _fill_and_dump(path: Path, seed: int) -> dict[str, list[tuple[Any, ...]]]:
    store = db.open_database(path)
    try:
        demo.fill_sample("small", seed=seed)
        return _dump()
    finally:
        store.close()


def test_same_seed_gives_identical_rows_and_ids(tmp_path: Path) -> None:
    first = _fill_and_dump(tmp_path / "a.db", seed=7)
    second = _fill_and_dump(tmp_path / "b.db", seed=7)
    assert first == second
    third = _fill_and_dump(tmp_path / "c.db", seed=8)
    assert third["person"] != first["person"]
    assert {r[0] for r in third["action"]}.isdisjoint({r[0] for r in first["action"]})


def test_ids_follow_creation_time(store: db.Store) -> None:
    demo.fill_sample("small")
    actions = list(Action.select().order_by(Action.id))
    stamps = [a.created_at for a in actions]
    assert stamps == sorted(stamps)


def test_unknown_size_is_refused(store: db.Store) -> None:
    with pytest.raises(ValueError, match="medium"):
        demo.fill_sample("medium")
    assert db.is_empty()


def test_large_stress_set(store: db.Store) -> None:
    counts = demo.fill_sample("large", seed=3)
    assert counts["action"] == 20_000
    assert counts["finding"] == 10_000
    assert counts["reading"] == 24_000
    assert counts["person"] >= 500
    assert counts["nonconformity"] == 5_000
    record_rows = sum(counts[m._meta.table_name] for m in ALL_MODELS if issubclass(m, Record))
    sample_history = ChangeHistory.select().where(ChangeHistory.changed_by == "Sample data")
    assert sample_history.count() == record_rows
    today = dt.date.today()
    overdue = Action.select().where((Action.status == "open") & (Action.due_on < today))
    assert overdue.count() > 0
    assert db.check(store).sound
    assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
