"""The RACI matrix: one A per row, at least one R, letters set and cleared safely."""

from __future__ import annotations

import pytest

from qms_desktop import raci, records
from qms_desktop.errors import ValidationError
from qms_desktop.models import Process, RaciCell, Role


@pytest.fixture
def grid(store):
    process = records.create(Process, name="Purchasing")
    roles = {t: records.create(Role, title=t) for t in ("Buyer", "Director", "Stores")}
    return process, roles


def stored(process: Process) -> dict[str, str]:
    """Current letters of a row by role title, read from the database."""
    cells = RaciCell.select().where(
        (RaciCell.process == process) & RaciCell.archived_at.is_null()
    )
    return {c.role.title: c.letter for c in cells}


def test_set_and_clear_letters(grid):
    process, roles = grid
    raci.set_letter(process, roles["Buyer"], "R")
    raci.set_letter(process, roles["Director"], " a ")
    raci.set_letter(process, roles["Stores"], "i")
    assert stored(process) == {"Buyer": "R", "Director": "A", "Stores": "I"}

    raci.set_letter(process, roles["Stores"], "C")
    assert stored(process)["Stores"] == "C"
    raci.set_letter(process, roles["Stores"], "")
    assert stored(process) == {"Buyer": "R", "Director": "A"}
    assert raci.accountable_role(process).id == roles["Director"].id


def test_clearing_an_empty_cell_does_nothing(grid):
    process, roles = grid
    raci.set_letter(process, roles["Buyer"], "")
    assert RaciCell.select().count() == 0


def test_an_invalid_letter_is_refused(grid):
    process, roles = grid
    raci.set_letter(process, roles["Buyer"], "R")
    for bad in ("X", "RA", "1", "-"):
        with pytest.raises(ValidationError) as caught:
            raci.set_letter(process, roles["Buyer"], bad)
        assert "letter" in caught.value.problems
        with pytest.raises(ValidationError):
            raci.set_letter(process, roles["Director"], bad)
    assert stored(process) == {"Buyer": "R"}
    assert RaciCell.select().count() == 1


def test_a_second_accountable_role_is_refused(grid):
    process, roles = grid
    raci.set_letter(process, roles["Director"], "A")
    raci.set_letter(process, roles["Buyer"], "C")
    with pytest.raises(ValidationError) as caught:
        raci.set_letter(process, roles["Buyer"], "A")
    message = caught.value.problems["letter"]
    assert "Director is already accountable for Purchasing" in message
    assert stored(process) == {"Director": "A", "Buyer": "C"}


def test_setting_a_the_same_role_again_is_fine(grid):
    process, roles = grid
    raci.set_letter(process, roles["Director"], "A")
    raci.set_letter(process, roles["Director"], "A")
    assert stored(process) == {"Director": "A"}


def test_moving_the_accountable_role_keeps_the_old_one_responsible(grid):
    process, roles = grid
    raci.set_letter(process, roles["Director"], "A")
    raci.set_letter(process, roles["Buyer"], "A", move_accountable=True)
    assert stored(process) == {"Director": "R", "Buyer": "A"}
    assert raci.accountable_role(process).id == roles["Buyer"].id
    assert raci.problems() == {}


def test_a_letter_in_another_row_does_not_block(grid):
    process, roles = grid
    other = records.create(Process, name="Sales")
    raci.set_letter(process, roles["Director"], "A")
    raci.set_letter(other, roles["Buyer"], "A")
    assert stored(other) == {"Buyer": "A"}


def test_clearing_then_setting_again_reuses_the_cell(grid):
    process, roles = grid
    raci.set_letter(process, roles["Buyer"], "A")
    first = RaciCell.get()
    raci.set_letter(process, roles["Buyer"], "")
    assert RaciCell.get_by_id(first.id).archived_at is not None
    assert raci.accountable_role(process) is None
    # The unique (process, role) index would refuse a second row; the old one comes back.
    raci.set_letter(process, roles["Buyer"], "R")
    assert RaciCell.select().count() == 1
    again = RaciCell.get_by_id(first.id)
    assert again.archived_at is None
    assert again.letter == "R"
    assert [h.operation for h in records.history_of(again)] == [
        "create", "archive", "restore", "update"
    ]


def test_a_cleared_accountable_role_does_not_block_a_new_one(grid):
    process, roles = grid
    raci.set_letter(process, roles["Director"], "A")
    raci.set_letter(process, roles["Director"], "")
    raci.set_letter(process, roles["Buyer"], "A")
    assert stored(process) == {"Buyer": "A"}


# --- Problems -------------------------------------------------------------------------------


def test_row_problems():
    assert raci.row_problems(["A", "R", "", "I"]) == []
    assert raci.row_problems(["R", "C"]) == ["no A: nobody is accountable"]
    assert raci.row_problems(["A", "C", "I"]) == [
        "no R: nobody is responsible for doing the work"
    ]
    assert raci.row_problems(["A", "A", "R"]) == [
        "2 A's: only one role may be accountable"
    ]
    assert raci.row_problems(["", ""]) == [
        "no A: nobody is accountable",
        "no R: nobody is responsible for doing the work",
    ]
    assert raci.row_problems([]) == raci.row_problems(["", ""])


def test_problems_over_a_loaded_matrix(grid):
    process, roles = grid
    sales = records.create(Process, name="Sales")
    audit = records.create(Process, name="Internal audit", is_activity=True)
    empty = records.create(Process, name="Design")
    raci.set_letter(process, roles["Director"], "A")
    raci.set_letter(process, roles["Buyer"], "R")
    raci.set_letter(sales, roles["Buyer"], "R")
    raci.set_letter(audit, roles["Director"], "A")
    # Two A's cannot be made through set_letter; an old or imported file could hold them.
    records.create(RaciCell, process=audit, role=roles["Stores"], letter="A")

    matrix = raci.load()
    assert [p.name for p in matrix.rows] == ["Design", "Purchasing", "Sales", "Internal audit"]
    assert [r.title for r in matrix.columns] == ["Buyer", "Director", "Stores"]
    assert matrix.row_letters(process.id) == ["R", "A", ""]
    assert matrix.letter(sales.id, roles["Stores"].id) == ""

    found = raci.problems(matrix)
    assert process.id not in found
    assert found[sales.id] == ["no A: nobody is accountable"]
    assert found[audit.id] == [
        "2 A's: only one role may be accountable",
        "no R: nobody is responsible for doing the work",
    ]
    assert len(found[empty.id]) == 2
    assert raci.problems() == found


def test_archived_rows_columns_and_cells_are_left_out(grid):
    process, roles = grid
    raci.set_letter(process, roles["Director"], "A")
    raci.set_letter(process, roles["Buyer"], "R")
    records.archive(roles["Stores"])
    gone = records.create(Process, name="Old process")
    records.archive(gone)
    matrix = raci.load()
    assert [r.title for r in matrix.columns] == ["Buyer", "Director"]
    assert [p.name for p in matrix.rows] == ["Purchasing"]
    raci.set_letter(process, roles["Buyer"], "")
    assert raci.problems() == {process.id: ["no R: nobody is responsible for doing the work"]}
