"""The register table model over a real database: paging, sorting, searching, archived rows."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from qms_desktop import records, registers
from qms_desktop.catalogue import ACTIONS, PEOPLE
from qms_desktop.ids import new_id
from qms_desktop.models import Action, Person, Site, database
from qms_desktop.registers import Query
from ui.kit.register_model import RECORD_ID_ROLE, RegisterTableModel

PEOPLE_COUNT = 450  # more than two pages
FIRST_NAMES = ["Anna", "Ben", "Chloe", "Dev", "Eva", "Farid", "Grace", "Hugo", "Ines", "Jon"]
LAST_NAMES = ["Smith", "Okafor", "Martin", "Patel", "Nowak", "Haddad", "Li", "Berg"]


def _bulk_people(count: int = PEOPLE_COUNT) -> list[dict[str, Any]]:
    rng = random.Random(7)
    sites = [records.create(Site, name=name) for name in ("Leeds", "Head office", "Porto")]
    rows = []
    for number in range(count):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {number:03d}"
        site = rng.choice([*sites, None])
        rows.append(
            {
                "id": new_id(rng),
                "full_name": name,
                "job_title": rng.choice(["Buyer", "Engineer", "Auditor", ""]),
                "site": site.id if site else None,
                "email": f"person{number}@example.com",
                "active": number % 4 != 0,
            }
        )
    with database.atomic():
        Person.insert_many(rows).execute()
    return rows


def _bulk_actions(count: int = 300) -> list[dict[str, Any]]:
    rng = random.Random(11)
    owners = [records.create(Person, full_name=f"Owner {n}") for n in range(5)]
    today = dt.date.today()
    rows = []
    for number in range(count):
        due = today + dt.timedelta(days=rng.randint(-30, 60)) if number % 7 else None
        rows.append(
            {
                "id": new_id(rng),
                "title": f"Action {number:03d}",
                "owner": rng.choice(owners).id,
                "due_on": due,
                "status": rng.choice(["open", "open", "done", "cancelled"]),
                "done_on": today if number % 3 == 0 else None,
            }
        )
    with database.atomic():
        Action.insert_many(rows).execute()
    return rows


def _fetch_all(model: RegisterTableModel) -> None:
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())


def _column(model: RegisterTableModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _ids(model: RegisterTableModel) -> list[str]:
    return [model.record_id(row) for row in range(model.rowCount())]


def test_people_model_passes_the_model_tester(store: object, qtmodeltester: Any) -> None:
    _bulk_people()
    model = RegisterTableModel(PEOPLE)
    model.set_query(Query())
    qtmodeltester.check(model)
    model.fetchMore(QModelIndex())
    model.sort(2, Qt.SortOrder.DescendingOrder)
    model.set_query(Query(search="smith"))
    assert model.rowCount() > 0


def test_actions_model_passes_the_model_tester(store: object, qtmodeltester: Any) -> None:
    _bulk_actions()
    model = RegisterTableModel(ACTIONS)
    qtmodeltester.check(model)
    _fetch_all(model)
    assert model.rowCount() == 300


def test_fetch_more_brings_the_next_batches(store: object) -> None:
    rows = _bulk_people()
    model = RegisterTableModel(PEOPLE)
    model.set_query(Query())
    assert model.rowCount() == registers.PAGE_SIZE
    assert model.total() == len(rows)
    batches = [model.rowCount()]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        batches.append(model.rowCount())
    assert batches == [200, 400, 450]
    assert sorted(_ids(model)) == sorted(row["id"] for row in rows)
    model.fetchMore(QModelIndex())  # nothing left: no change, no error
    assert model.rowCount() == len(rows)


def test_headers_come_from_the_register(store: object) -> None:
    model = RegisterTableModel(PEOPLE)
    labels = [
        model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
    ]
    assert labels == ["Name", "Job title", "Site", "E-mail", "Active"]


@pytest.mark.parametrize("column", [0, 2])
def test_sorting_matches_a_python_sort_both_ways(store: object, column: int) -> None:
    rows = _bulk_people()
    site_names = {s.id: s.name for s in Site.select()}

    def key(row: dict[str, Any]) -> tuple[str, str]:
        value = row["full_name"] if column == 0 else site_names.get(row["site"], "")
        return value, row["id"]

    expected = [row["id"] for row in sorted(rows, key=key)]
    model = RegisterTableModel(PEOPLE)
    model.set_query(Query())
    model.sort(column, Qt.SortOrder.AscendingOrder)
    _fetch_all(model)
    assert _ids(model) == expected

    model.sort(column, Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == registers.PAGE_SIZE  # a new sort starts paging again
    _fetch_all(model)
    assert _ids(model) == expected[::-1]


def test_sorting_actions_by_due_date_puts_empty_dates_first(store: object) -> None:
    rows = _bulk_actions()
    model = RegisterTableModel(ACTIONS)
    model.set_query(model.query())  # opens sorted by its default, the due date
    _fetch_all(model)
    expected = sorted(rows, key=lambda r: (r["due_on"].isoformat() if r["due_on"] else "",
                                           r["id"]))
    assert _ids(model) == [row["id"] for row in expected]
    assert _column(model, 2)[0] == ""


def test_search_filters_rows(store: object) -> None:
    rows = _bulk_people()
    model = RegisterTableModel(PEOPLE)
    model.set_query(Query(search="smith"))
    _fetch_all(model)
    expected = {row["id"] for row in rows if "smith" in row["full_name"].lower()}
    assert expected
    assert set(_ids(model)) == expected
    assert model.total() == len(expected)

    model.set_query(Query(search="smith 01"))  # every word must match
    _fetch_all(model)
    assert all("Smith" in name and "01" in name for name in _column(model, 0))


def test_archived_rows_are_hidden_unless_asked_for(store: object) -> None:
    people = [records.create(Person, full_name=name) for name in ("Anna", "Ben", "Chloe")]
    records.archive(people[1])
    model = RegisterTableModel(PEOPLE)
    model.set_query(Query())
    assert _column(model, 0) == ["Anna", "Chloe"]
    assert model.total() == 2

    model.set_query(Query(include_archived=True))
    assert _column(model, 0) == ["Anna", "Ben", "Chloe"]
    archived = model.index(1, 0)
    assert model.is_archived(1)
    assert archived.data(RECORD_ID_ROLE) == people[1].id
    assert archived.data(Qt.ItemDataRole.FontRole).italic()
    assert archived.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "(archived)" in archived.data(Qt.ItemDataRole.ToolTipRole)
    current = model.index(0, 0)
    assert current.data(Qt.ItemDataRole.FontRole) is None
    assert "(archived)" not in (current.data(Qt.ItemDataRole.ToolTipRole) or "")


def test_filters_and_row_lookup(store: object) -> None:
    anna = records.create(Person, full_name="Anna", active=True)
    ben = records.create(Person, full_name="Ben", active=False)
    model = RegisterTableModel(PEOPLE)
    model.set_query(Query(filter_key="left"))
    assert _ids(model) == [ben.id]
    assert model.row_of(anna.id) == -1
    model.set_query(Query(filter_key="active"))
    assert model.row_of(anna.id) == 0
