"""The RACI matrix: processes and QMS activities by roles, one letter a cell.

Each row needs exactly one A (one person answers for it) and at least one R (someone does
the work). A second A is refused unless the caller asks to move the A; a row missing its A
or R is reported, so a half-filled matrix can be saved and finished later.
"""

from __future__ import annotations

from dataclasses import dataclass

from qms_desktop import records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import strict_arguments
from qms_desktop.models import Process, RaciCell, Role, database

LETTERS = ("R", "A", "C", "I")


@dataclass
class Matrix:
    rows: list[Process]
    columns: list[Role]
    cells: dict[tuple[str, str], str]  # (process id, role id) -> letter

    def letter(self, process_id: str, role_id: str) -> str:
        return self.cells.get((process_id, role_id), "")

    def row_letters(self, process_id: str) -> list[str]:
        return [self.letter(process_id, r.id) for r in self.columns]


@strict_arguments
def load() -> Matrix:
    rows = list(
        Process.live()
        .order_by(Process.is_activity, Process.name)
    )
    columns = list(Role.live().order_by(Role.title))
    cells = {
        (c.process_id, c.role_id): c.letter
        for c in RaciCell.live()
    }
    return Matrix(rows, columns, cells)


@strict_arguments
def add_activity(name: str) -> Process:
    """A new QMS activity row (an internal audit, say) beside the processes."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the QMS activity."})
    live_names = Process.live(Process.name)
    if any(p.name.casefold() == name.casefold() for p in live_names):
        raise ValidationError({"name": f"There is already a row called {name}."})
    return records.create(Process, name=name, is_activity=True)


def _cell(process: Process, role: Role) -> RaciCell | None:
    return RaciCell.get_or_none((RaciCell.process == process) & (RaciCell.role == role))


@strict_arguments
def accountable_role(process: Process) -> Role | None:
    cell = (
        RaciCell.live()
        .where(
            (RaciCell.process == process)
            & (RaciCell.letter == "A")
        )
        .get_or_none()
    )
    return cell.role if cell else None


@strict_arguments
def set_letter(
    process: Process, role: Role, letter: str, *, move_accountable: bool = False,
    read: str | None = None, demoting: Role | None = None,
) -> None:
    """Put `letter` ("" clears) in a cell.

    A second A in a row raises ValidationError unless `move_accountable`, in which case the
    role that was accountable becomes Responsible, so nobody's involvement is lost.

    `read`: the cell's letter as the matrix showed it ("" empty; None: as stored now). When
    someone changed that cell since, RecordChanged and nothing written; a change of another
    cell is no reason to refuse. `demoting`: with `move_accountable`, the role the user
    agreed to make Responsible; when another role holds the A by now, RecordChanged too.
    """
    letter = letter.strip().upper()
    if letter not in ("", *LETTERS):
        raise ValidationError({"letter": f"{letter!r} is not one of R, A, C or I."})
    with database.atomic():
        if read is not None:
            records.take_turn()  # first: the check below holds until the write
            stored = _cell(process, role)
            if stored is not None and (
                    "" if stored.archived_at is not None else stored.letter) != read:
                raise records.refusal_for(stored)
        if letter == "A":
            holder = accountable_role(process)
            if holder is not None and holder.id != role.id:
                if not move_accountable:
                    raise ValidationError(
                        {"letter": f"{holder.display_name()} is already accountable for "
                                   f"{process.display_name()}; a row has exactly one A."}
                    )
                previous = _cell(process, holder)
                assert previous is not None
                if demoting is not None and demoting.id != holder.id:
                    raise records.refusal_for(previous)
                records.update(previous, letter="R")
        cell = _cell(process, role)
        if not letter:
            if cell is not None and cell.archived_at is None:
                records.archive(cell)
            return
        if cell is None:
            records.create(RaciCell, process=process, role=role, letter=letter)
            return
        if cell.archived_at is not None:
            records.unarchive(cell)
        records.update(cell, letter=letter)


@strict_arguments
def row_problems(letters: list[str]) -> list[str]:
    problems = []
    accountable = letters.count("A")
    if accountable == 0:
        problems.append("no A: nobody is accountable")
    elif accountable > 1:
        problems.append(f"{accountable} A's: only one role may be accountable")
    if "R" not in letters:
        problems.append("no R: nobody is responsible for doing the work")
    return problems


@strict_arguments
def problems(matrix: Matrix | None = None) -> dict[str, list[str]]:
    """Rows that break a rule, by process id."""
    matrix = matrix or load()
    found = {}
    for row in matrix.rows:
        issues = row_problems(matrix.row_letters(row.id))
        if issues:
            found[row.id] = issues
    return found
