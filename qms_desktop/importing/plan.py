"""An import: the file's sheets matched to registers and columns, checked row by row, written
all at once or not at all.

`Import(path)` reads the file and matches what it can: a sheet to a register by its name or
its headings, a column to a field by the export's own heading or a mapping the user chose
before (kept in the settings). `check()` runs the whole import inside a transaction and rolls
it back, so the preview lists every problem the real write would meet (field rules, the
registers' own checks, links, repeated keys) by row and column; `apply()` does the same and
commits only when there is none. A row with the ID of an existing record updates it (its
history says "Imported from FILE"); any other row makes a new record.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import BlobField, ForeignKeyField

from qms_desktop import export, records
from qms_desktop import fields as field_rules
from qms_desktop.errors import ValidationError
from qms_desktop.importing import reading
from qms_desktop.importing.targets import (
    ARCHIVED,
    STAMPS,
    Column,
    Target,
    close_headings,
    find_target,
    guess_target,
    import_order,
    normalised,
    targets,
)
from qms_desktop.importing.values import CellProblem, cell_value, slash_order
from qms_desktop.models import MODELS_BY_TABLE, Record, database, utc_now

MAPPINGS_SETTING = "import_column_mappings"
LISTS_SHEET = "Lists"  # the template's hidden sheet of drop-down values
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}$")
_TOLD_APART = re.compile(r"^(.*) \(([^()]+)\)$", re.DOTALL)
# A preview of more problems than this is no help: the first ones show what is wrong.
MAX_PROBLEMS = 5_000
# Unknown names get a "did you mean" from registers up to this size (people, processes).
_MOST_NAMES_HINTED = 2_000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """One thing that keeps a row (or a sheet) from being imported."""

    sheet: str
    row: int  # the row number the spreadsheet shows; 0: the sheet as a whole
    column: str  # the file's heading; "" for the row as a whole
    message: str

    def text(self) -> str:
        where = f"Sheet “{self.sheet}”"
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


@dataclass
class SheetPlan:
    """One sheet of the file, the register it goes into and which column is which field."""

    table: reading.Table
    target: Target | None
    # File column index -> the target column's name; columns not here are not imported.
    mapping: dict[int, str] = field(default_factory=dict)
    note: str = ""  # why a sheet is left out

    @property
    def name(self) -> str:
        return self.table.name

    def offers(self, index: int) -> list[str]:
        """Headings of the register close to the file's column `index` (best first), less
        those another column of the file already goes into."""
        if self.target is None:
            return []
        taken = {self.target.column(name).heading for other, name in self.mapping.items()
                 if other != index}
        return [h for h in close_headings(self.target, self.table.headings[index], n=6)
                if h not in taken][:3]

    def unmatched(self) -> list[str]:
        return [h for i, h in enumerate(self.table.headings) if h and i not in self.mapping]


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # rows read per register
    # What does not stop the import but the user should know first (rows that would make a
    # second record of one already there).
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class Import:
    """An import of one file; nothing is written until `apply()` finds no problem."""

    def __init__(self, path: Path | str, register: str | None = None) -> None:
        self.path = Path(path)
        self.tables = reading.read_tables(self.path)
        forced = None
        if register:
            forced = find_target(register)
            if forced is None:
                known = ", ".join(targets())
                raise reading.Unreadable(f"There is no register called “{register}”. "
                                         f"Registers: {known}.")
        remembered = _remembered()
        self.sheets: list[SheetPlan] = []
        for table in self.tables:
            target = self._target_of(table, forced)
            plan = SheetPlan(table, target)
            if target is None:
                plan.note = _left_out(table.name, forced)
            else:
                plan.mapping = _matched(table, target, remembered.get(target.table, {}))
            self.sheets.append(plan)

    def _target_of(self, table: reading.Table, forced: Target | None) -> Target | None:
        if forced is None:
            return guess_target(table.name, table.headings)
        if len(self.tables) == 1 or find_target(table.name) is forced:
            return forced
        return None

    # --- Choices the window offers ------------------------------------------------------------

    def choose_register(self, sheet: int, name: str | None) -> None:
        """Import sheet number `sheet` into the register `name` (None: leave it out)."""
        plan = self.sheets[sheet]
        plan.target = find_target(name) if name else None
        plan.mapping = {} if plan.target is None else _matched(
            plan.table, plan.target, _remembered().get(plan.target.table, {}))
        plan.note = "" if plan.target is not None else "Left out."

    def map_column(self, sheet: int, index: int, column: str | None) -> None:
        """Read the file's column `index` into the register's column `column` (None: not)."""
        plan = self.sheets[sheet]
        for other, name in list(plan.mapping.items()):
            if name == column or other == index:
                del plan.mapping[other]
        if column is not None:
            plan.mapping[index] = column

    # --- Checking and writing -----------------------------------------------------------------

    def check(self, progress: Progress | None = None) -> Outcome:
        """Every problem the import would meet, by row and column; nothing is kept."""
        return self._run(write=False, progress=progress)

    def apply(self, progress: Progress | None = None) -> Outcome:
        """Write every row, or none when any row has a problem (then `problems` says why)."""
        return self._run(write=True, progress=progress)

    def _run(self, *, write: bool, progress: Progress | None) -> Outcome:
        outcome = Outcome()
        chosen = [p for p in self.sheets if p.target is not None]
        if not chosen:
            outcome.problems.append(Problem(self.tables[0].name, 0, "",
                                            "matches no register; choose the register it "
                                            "belongs to."))
            return outcome
        by_target = {p.target.name: p for p in chosen if p.target is not None}
        if len(by_target) < len(chosen):
            outcome.problems.append(Problem(chosen[-1].name, 0, "", "two sheets go into the "
                                            "same register; leave one out."))
            return outcome
        order = [by_target[t.name] for t in import_order([p.target for p in chosen
                                                          if p.target is not None])]
        for plan in order:
            outcome.problems.extend(_sheet_problems(plan))
        if outcome.problems:
            return outcome
        total = sum(len(p.table.rows) for p in order)
        done = 0
        reason = f"Imported from {self.path.name}"
        with database.atomic() as transaction, records.history_as(who=records.current_user()):
            links = _Links(order)
            for plan in order:
                writer = _RowWriter(plan, links, reason)
                for number, cells in zip(plan.table.row_numbers, plan.table.rows, strict=True):
                    problems = writer.write(number, cells)
                    if problems:
                        outcome.problems.extend(problems[: MAX_PROBLEMS - len(outcome.problems)])
                    done += 1
                    if progress is not None and done % 500 == 0:
                        progress(done, total)
                    if len(outcome.problems) >= MAX_PROBLEMS:
                        break
                # Written even when rows have problems, as a later sheet may link to them:
                # the transaction is rolled back all the same.
                outcome.problems.extend(writer.finish())
                if writer.repeats:
                    outcome.notices.append(_repeats_notice(plan, writer.repeats))
                outcome.created += writer.created
                outcome.updated += writer.updated
                outcome.unchanged += writer.unchanged
                outcome.counts[plan.target.name if plan.target else plan.name] = \
                    len(plan.table.rows)
                links.written(plan)
                if len(outcome.problems) >= MAX_PROBLEMS:
                    break
            if write and not outcome.problems:
                _remember([p for p in order if p.target is not None])
                outcome.written = True
            else:
                transaction.rollback()
        if progress is not None:
            progress(total, total)
        return outcome


def _repeats_notice(plan: SheetPlan, repeats: list[tuple[int, str]]) -> str:
    assert plan.target is not None
    register = plan.target.name
    rows = ", ".join(str(n) for n, _name in repeats[:10]) + (", …" if len(repeats) > 10 else "")
    some = "row" if len(repeats) == 1 else "rows"
    return (f"Sheet “{plan.name}”, {some} {rows}: {register} already has "
            f"“{repeats[0][1][:60]}”{' and others named as these rows' if len(repeats) > 1 else ''}"
            f"; importing makes a second record of each. If this file was imported before, "
            f"leave those rows out; to change records already there, export {register} and "
            "import that, with its ID column.")


def _left_out(sheet: str, forced: Target | None) -> str:
    if sheet == LISTS_SHEET:
        return "Left out: the template's lists of values."
    if sheet == export.HISTORY_SHEET:
        return "Left out: the change history is written by the records themselves."
    model = next((m for m, n in export.sheet_names().items() if n == sheet), None)
    if model is not None:
        return "Left out: its rows hold files, which an import cannot bring back."
    if forced is not None:
        return f"Left out: only “{forced.name}” is imported."
    return "Left out: it matches no register. Choose one to import it."


def _matched(table: reading.Table, target: Target, remembered: dict[str, str]) -> dict[int, str]:
    """The export's own headings match exactly; a heading the user mapped before, as then."""
    by_heading = {normalised(c.heading): c.name for c in target.columns}
    names = {c.name for c in target.columns}
    mapping: dict[int, str] = {}
    for index, heading in enumerate(table.headings):
        key = normalised(heading)
        name = by_heading.get(key) or remembered.get(key)
        if name in names and name not in mapping.values():
            mapping[index] = name
    return mapping


def _sheet_problems(plan: SheetPlan) -> list[Problem]:
    """What keeps a whole sheet out: a required column missing for its new records."""
    target = plan.target
    assert target is not None
    mapped = set(plan.mapping.values())
    if not plan.table.rows:
        return []
    makes_new = "id" not in mapped or any(
        row[i] is None for i, n in plan.mapping.items() if n == "id" for row in plan.table.rows)
    problems = []
    if makes_new:
        for column in target.columns:
            if column.required and column.name not in mapped:
                close = [h for i, h in enumerate(plan.table.headings)
                         if h and i not in plan.mapping and column.heading in plan.offers(i)]
                hint = (f" If it is the file's “{close[0]}”, choose “{column.heading}” for it "
                        f"in the import window, or rename that heading to “{column.heading}”."
                        if close else f" Add a column headed “{column.heading}”.")
                problems.append(Problem(plan.name, 0, "", f"the column “{column.heading}” is "
                                        "required for new records, and none of the file's "
                                        f"columns is matched to it.{hint}"))
    if "source_id" in mapped and "source_table" not in mapped:
        problems.append(Problem(plan.name, 0, "", "the column “"
                                f"{target.column('source_table').heading}” is needed to "
                                "find the source records."))
    return problems


# --- Remembered mappings ------------------------------------------------------------------------


def _remembered() -> dict[str, dict[str, str]]:
    try:
        stored = json.loads(records.get_setting(MAPPINGS_SETTING, "{}"))
    except ValueError:
        return {}
    return stored if isinstance(stored, dict) else {}


def _remember(plans: list[SheetPlan]) -> None:
    """Keep the headings the user mapped by hand (the export's own need no keeping)."""
    stored = _remembered()
    changed = False
    for plan in plans:
        target = plan.target
        assert target is not None
        own = {normalised(c.heading) for c in target.columns}
        kept = stored.setdefault(target.table, {})
        for index, name in plan.mapping.items():
            key = normalised(plan.table.headings[index])
            if key and key not in own and kept.get(key) != name:
                kept[key] = name
                changed = True
    if changed:
        records.set_setting(MAPPINGS_SETTING, json.dumps(stored, sort_keys=True))


# --- Links --------------------------------------------------------------------------------------


class _Links:
    """Finds linked records by name, reference or ID: one read per linked register, read again
    after the import has written rows into it."""

    def __init__(self, plans: list[SheetPlan]) -> None:
        self._index: dict[type[Record], dict[str, set[str]]] = {}
        self._shown: dict[type[Record], dict[str, str]] = {}  # names as written, for hints
        # Rows of this import not written yet, by register and name: a record raised from one
        # that comes later in the file's order (an action from a review decision) finds it.
        self._pending: dict[str, dict[str, set[str]]] = {}
        for plan in plans:
            if plan.target is not None:
                self._pending[plan.target.table] = _names_in_file(plan)

    def written(self, plan: SheetPlan) -> None:
        if plan.target is not None:
            self._index.pop(plan.target.model, None)
            self._pending.pop(plan.target.table, None)

    def find(self, model: type[Record], value: Any, *, pending: bool = False) -> str:
        """The id of the one record `value` names; CellProblem when none or several do."""
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        key = normalised(text)
        found = set(self._names(model).get(key, set()))
        if pending:
            found |= self._pending.get(model._meta.table_name, {}).get(key, set())
        told_apart = _TOLD_APART.match(text)
        if not found and told_apart:
            # "Name (reference)": how the export writes a name several records share.
            found = set(self._names(model).get(normalised(told_apart.group(2)), set()))
            if pending:
                found |= self._pending.get(model._meta.table_name, {}).get(
                    normalised(told_apart.group(2)), set())
        if len(found) == 1:
            return next(iter(found))
        plural = model.display_plural.lower() or model._meta.table_name
        if not found:
            near = self._near(model, key)
            hint = (f" Did you mean {' or '.join(f'“{n}”' for n in near)}?" if near else "")
            raise CellProblem(
                f"no record among the {plural} is called “{text[:60]}”.{hint} Write the name "
                f"as it is in {model.display_plural or plural}, or add it there first.")
        raise CellProblem(f"{len(found)} of the {plural} are called “{text[:60]}”; give its "
                          "reference or ID instead.")

    def _near(self, model: type[Record], key: str) -> list[str]:
        """Names of records close to `key`: the same words in another order ("Khan, Maria"),
        a first name alone ("Tom" for Tom Reid) or a typo ("Maria Kahn"), at most three."""
        names = self._shown.get(model, {})
        if len(names) > _MOST_NAMES_HINTED:
            return []  # a search through so many names per unknown one would stall the check
        words = sorted(re.findall(r"\w+", key))
        reordered = [names[k] for k in names if sorted(re.findall(r"\w+", k)) == words]
        if words and reordered:  # "Khan, Maria" for Maria Khan
            return sorted(reordered)[:3]
        starting = [names[k] for k in names if k.startswith(f"{key} ")]
        if len(key) >= 3 and 0 < len(starting) <= 3:
            return sorted(starting)
        return [names[k] for k in difflib.get_close_matches(key, list(names), n=3, cutoff=0.8)]

    def _names(self, model: type[Record]) -> dict[str, set[str]]:
        index = self._index.get(model)
        if index is None:
            index = {}
            shown = self._shown.setdefault(model, {})
            for record_id, name in export.display_names(model).items():
                index.setdefault(normalised(name), set()).add(record_id)
                shown[normalised(name)] = name
                index.setdefault(normalised(record_id), set()).add(record_id)
            reference = model._meta.fields.get("reference")
            if reference is not None:
                for record_id, text in database.execute(model.select(model.id, reference)):
                    if text:
                        index.setdefault(normalised(text), set()).add(record_id)
            self._index[model] = index
        return index


def _names_in_file(plan: SheetPlan) -> dict[str, set[str]]:
    """Name -> ids of the rows of a sheet that carry an ID, named by their name or title
    column (the names most records go by)."""
    target = plan.target
    assert target is not None
    by_name = {name: index for index, name in plan.mapping.items()}
    if "id" not in by_name:
        return {}
    name_columns = [by_name[n] for n in ("full_name", "name", "title", "reference")
                    if n in by_name]
    model = target.model
    own_name = model.display_name is not Record.display_name
    plain = [(index, target.column(name)) for name, index in by_name.items()
             if target.column(name).kind not in ("link", ARCHIVED)
             and target.column(name).model_field is not None]
    found: dict[str, set[str]] = {}
    for row in plan.table.rows:
        record_id = row[by_name["id"]]
        if record_id is None:
            continue
        names = [str(row[index]) for index in name_columns if row[index] is not None]
        if own_name:
            names.extend(_own_name(model, row, plain))
        for name in names:
            found.setdefault(normalised(name), set()).add(str(record_id))
    return found


def _own_name(model: type[Record], row: list[Any], plain: list[tuple[int, Column]]) -> list[str]:
    """The display name a row would have, for the models that make their own from their
    fields (feedback: customer, day and text); none when it needs a linked record."""
    values = {}
    for index, column in plain:
        if row[index] is not None:
            try:
                values[column.name] = cell_value(column, row[index])
            except CellProblem:
                continue
    try:
        return [model(**values).display_name()]
    except Exception:  # a name made from a linked record not written yet
        return []


# --- Rows ---------------------------------------------------------------------------------------


class _RowWriter:
    """Turns the rows of one sheet into records, one at a time, each in its own savepoint."""

    def __init__(self, plan: SheetPlan, links: _Links, reason: str) -> None:
        assert plan.target is not None
        self.plan = plan
        self.target: Target = plan.target
        self.model = self.target.model
        self.links = links
        self.reason = reason
        self.created = self.updated = self.unchanged = 0
        self.new_rows: list[tuple[int, dict[str, Any]]] = []
        self.columns = [(index, self.target.column(name)) for index, name in plan.mapping.items()]
        self.headings = {name: plan.table.headings[index] for index, name in plan.mapping.items()}
        # The records the rows may update, read in one query (20,000 rows, 20,000 queries
        # otherwise); a record is loaded in full only when its row changes something.
        self.existing: dict[str, dict[str, Any]] = {}
        if "id" in plan.mapping.values():
            fields = [f for f in self.model._meta.sorted_fields
                      if not isinstance(f, BlobField)]
            names = [f.name for f in fields]
            for row in self.model.select(*fields).tuples().iterator():
                stored = dict(zip(names, row, strict=True))
                self.existing[stored["id"]] = stored
        meta = self.model._meta
        currency = meta.fields.get("currency")
        self.default_currency = str(currency.default) if currency is not None else ""
        self.registers = {export.register_name(t): t for t in MODELS_BY_TABLE}
        # New rows named as a record already there (the same list imported twice, say).
        self.repeats: list[tuple[int, str]] = []
        mapped = set(plan.mapping.values())
        self.name_field = next((n for n in ("full_name", "name", "title") if n in mapped), "")
        self.known_names: set[str] = set()
        if self.name_field:
            name_field = self.model._meta.fields[self.name_field]
            self.known_names = {normalised(str(n)) for (n,) in
                                self.model.select(name_field).tuples().iterator() if n}
        # Dates with slashes are read in the order the rest of their column shows.
        self.day_first = {column.name: slash_order(row[index] for row in plan.table.rows)
                          for index, column in self.columns
                          if column.kind in ("date", "datetime")}

    def write(self, number: int, cells: list[Any]) -> list[Problem]:
        problems: list[Problem] = []

        def problem(name: str, message: str) -> None:
            problems.append(Problem(self.plan.name, number, self.headings.get(name, ""),
                                    message))

        given = {column.name: (column, cells[index]) for index, column in self.columns}
        record_id = given.pop("id", (None, None))[1]
        record_id = None if record_id is None else str(record_id).strip()
        existing: Record | None = None
        stored = self.existing.get(record_id) if record_id else None
        if stored is not None:
            existing = self.model(**stored)
        values: dict[str, Any] = {}
        if record_id and existing is None:
            if not _UUID.match(record_id):
                problem("id", f"“{record_id[:40]}” is no record's ID. Leave the ID empty for "
                        "a new record; an ID from an export updates that record.")
                return problems
            values["id"] = record_id  # a record from another copy keeps its ID
        archived = given.pop(ARCHIVED, (None, None))[1]
        currency = self._currency(given, existing)
        source_table = ""
        for name, (column, raw) in given.items():
            if existing is not None and name in STAMPS:
                continue  # the records layer keeps these for a record that exists
            try:
                value = self._value(column, raw, currency, existing is None)
            except CellProblem as refused:
                problem(name, str(refused))
                continue
            if value is _UNCHANGED:
                continue
            if name == "source_table":
                source_table = value or ""
            values[name] = value
        if values.get("source_id"):
            values["source_id"] = self._source(values, source_table, given, problem)
        if archived is not None:
            try:
                archived = cell_value(self.target.column(ARCHIVED), archived)
            except CellProblem as refused:
                problem(ARCHIVED, str(refused))
        if problems:
            return problems
        if archived is not None and existing is None:
            values["archived_at"] = (values.get("archived_at") or utc_now()) if archived \
                else None
        elif existing is not None:
            values.pop("archived_at", None)
        for name, message in self._register_problems(values, existing).items():
            problem(name if name in self.headings else "", message)
        if problems:
            return problems
        if existing is None:
            self.new_rows.append((number, values))  # written together by `finish`
            named = values.get(self.name_field) if self.name_field else None
            if named and normalised(str(named)) in self.known_names:
                self.repeats.append((number, str(named)))
            return problems
        assert stored is not None
        if all(stored.get(name) == value for name, value in values.items()) and (
                archived is None or archived == (stored.get("archived_at") is not None)):
            self.unchanged += 1  # nothing to write, nothing to record
            return problems
        existing = self.model.get_by_id(existing.id)  # as stored, links and all
        try:
            with database.atomic():
                before = dict(existing.__data__)
                records.update(existing, change_reason=self.reason, **values)
                if archived is True:
                    records.archive(existing)
                elif archived is False:
                    records.unarchive(existing)
                if existing.__data__ != before:
                    self.updated += 1
                else:
                    self.unchanged += 1
        except ValidationError as refused:
            for name, message in refused.problems.items():
                problem(name if name in self.headings else "", message)
        return problems

    def finish(self) -> list[Problem]:
        """Write the sheet's new records in one go; when that is refused (a repeated key,
        say), one at a time, so each problem is told against its row."""
        rows, self.new_rows = self.new_rows, []
        if not rows:
            return []
        try:
            with database.atomic():
                records.create_many(self.model, [v for _n, v in rows],
                                    change_reason=self.reason)
            self.created += len(rows)
            return []
        except ValidationError:
            pass
        problems = []
        for number, values in rows:
            try:
                with database.atomic():
                    records.create(self.model, change_reason=self.reason, **values)
                self.created += 1
            except ValidationError as refused:
                for name, message in refused.problems.items():
                    problems.append(Problem(self.plan.name, number,
                                            self.headings.get(name, ""), message))
        return problems

    def _currency(self, given: dict[str, tuple[Column, Any]], existing: Record | None) -> str:
        if "currency" in given and given["currency"][1] is not None:
            return str(given["currency"][1]).strip().upper()
        if existing is not None:
            return str(getattr(existing, "currency", "") or "")
        return self.default_currency

    def _value(self, column: Column, raw: Any, currency: str, creating: bool) -> Any:
        model_field = column.model_field
        assert model_field is not None
        rule = field_rules.rule_for(model_field)
        if raw is None:
            if model_field.null:
                return None
            if rule.kind in ("text", "multiline") and not rule.not_blank and (
                    rule.choices is None or "" in rule.choices):
                return ""
            if column.required:
                raise CellProblem("empty, but every new record needs it. Fill it in, or "
                                  "delete the row if it is not meant to be imported.")
            return _UNCHANGED  # the column's default for a new record; as it is for another
        if column.kind == "link":
            assert column.link_model is not None
            return self.links.find(column.link_model, raw)
        if column.name == "source_table":
            text = str(raw).strip()
            table = self.registers.get(text) or next(
                (t for name, t in self.registers.items() if normalised(name) == normalised(text)),
                None)
            if table is None:
                raise CellProblem(f"“{text[:60]}” is no register.")
            return table
        if column.name == "source_id":
            return str(raw).strip()
        try:
            value = cell_value(column, raw, currency, self.day_first.get(column.name))
        except CellProblem as refused:
            if column.kind == "int" and rule.minimum is not None and rule.maximum is not None:
                raise CellProblem(f"{refused} Write a whole number from {rule.minimum} to "
                                  f"{rule.maximum}.") from None
            raise
        if isinstance(value, str) and rule.kind in ("text", "multiline"):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        problem = rule.problem(value)
        if problem:
            raise CellProblem(problem)
        return value

    def _source(self, values: dict[str, Any], table: str, given: dict[str, Any],
                problem: Callable[[str, str], None]) -> str:
        model = MODELS_BY_TABLE.get(table)
        name = values["source_id"]
        if model is None or not issubclass(model, Record):
            problem("source_table", "say which register the source record is in.")
            return ""
        try:
            return self.links.find(model, name, pending=True)
        except CellProblem as refused:
            problem("source_id", str(refused))
            return ""

    def _register_problems(self, values: dict[str, Any], existing: Record | None
                           ) -> dict[str, str]:
        """The register's own checks of the row as it would be stored."""
        validate = self.target.validate
        if validate is None:
            return {}
        if existing is not None:
            whole = {name: existing.__data__.get(name) for name in self.model._meta.fields}
        else:
            whole = {name: (f.default() if callable(f.default) else f.default)
                     for name, f in self.model._meta.fields.items()}
        whole.update(values)
        for name, model_field in self.model._meta.fields.items():
            if isinstance(model_field, ForeignKeyField) and whole.get(name) is None:
                whole[name] = None
        try:
            return validate(whole)
        except (TypeError, ValueError, AttributeError, KeyError) as broken:
            return {"": f"the register's checks could not read this row ({broken})."}


_UNCHANGED = object()
