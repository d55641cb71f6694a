"""Registers as declarations: what a list shows, how it is searched, filtered and edited.

A register screen in `ui/` is built from one `Register`; so is its part of an export. Lists
are read with keyset paging on (sort key, id), so the first rows of a 20,000-row register
come back as fast as those of a 20-row one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

import peewee
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from qms_desktop import clock, records
from qms_desktop import fields as field_rules
from qms_desktop.errors import ValidationError
from qms_desktop.models import Record, field_label, is_live, on_server

PAGE_SIZE = 200


@dataclass(frozen=True)
class Column:
    """A column: a field of the register's model, or one hop through a link ("owner.full_name")."""

    path: str
    label: str = ""
    # A computed column: `path` is then only its name, `expression` builds the peewee
    # expression (sortable and searchable like a field) and `label` is required.
    expression: Callable[[], Any] | None = None
    # Called once per page read; returns the function that turns a value into the cell text.
    formatter: Callable[[], Callable[[Any], str]] | None = None
    # How a cell reads when the field's type does not say enough (money in minor units).
    format: Callable[[Any], str] | None = None
    # Called once per page read with the column's values on it; returns the function that
    # turns a value into the cell text. For a cell that reads other records: it reads them
    # for the whole page at once, as one query per row is a round trip each on a server.
    page_formatter: Callable[[Sequence[Any]], Callable[[Any], str]] | None = None


@dataclass(frozen=True)
class Filter:
    key: str
    label: str
    where: Callable[[], Any]  # built when used, so "overdue" means overdue today


@dataclass(frozen=True)
class FormField:
    name: str
    label: str = ""
    required: bool | None = None  # None: required when the column cannot be empty
    hint: str = ""
    # Offer these (value, label) pairs instead of the model's own choices; a callable is
    # asked each time the form is built, so the choices can follow a setting.
    choices: tuple[tuple[str, str], ...] | Callable[[], Sequence[tuple[str, str]]] | None = None
    kind: str = ""  # the editor to use instead of the one the field's type picks ("money")


@dataclass(frozen=True)
class Register:
    key: str
    title: str
    singular: str
    model: type[Record]
    columns: tuple[Column, ...]
    search: tuple[str, ...]
    form: tuple[FormField, ...]
    clause: str = ""
    description: str = ""
    filters: tuple[Filter, ...] = ()
    default_sort: str = ""
    validate: Callable[[dict[str, Any]], dict[str, str]] | None = None
    # Values the form does not show but a save needs (an amount's currency), from the checked
    # values; returns the values to write.
    before_save: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # A service function that makes a new record from the checked values (link fields as
    # ids) instead of `records.create`, so a register's "New" keeps the service's rules.
    create: Callable[[dict[str, Any]], Record] | None = None
    # The same for a change to an existing record: (record, checked values) -> the record.
    update: Callable[[Record, dict[str, Any]], Record] | None = None
    # A service function that archives or restores a record with the area's own rules,
    # instead of `records.archive` / `records.unarchive`.
    archive: Callable[[Record], Record] | None = None
    restore: Callable[[Record], Record] | None = None


# --- Reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: str
    cells: tuple[str, ...]
    archived: bool
    sort_value: Any


@dataclass
class Query:
    """What the user asked for: search text, a filter, archived shown or not, the sort."""

    search: str = ""
    filter_key: str = ""
    include_archived: bool = False
    sort_column: int = 0
    descending: bool = False
    # One more condition set from outside the register (e.g. a heat-map cell): built when
    # used, like a filter's.
    condition: Callable[[], Any] | None = None


def _resolve(register: Register, path: str) -> tuple[Field, list[tuple[ForeignKeyField, Any]]]:
    """The field a column path ends at and the joins needed to reach it."""
    model: Any = register.model
    joins: list[tuple[ForeignKeyField, Any]] = []
    parts = path.split(".")
    for hop in parts[:-1]:
        link = model._meta.fields[hop]
        if not isinstance(link, ForeignKeyField):
            raise ValueError(f"{path}: {hop} is not a link")
        alias = link.rel_model.alias(f"{hop}_ref")
        joins.append((link, alias))
        model = alias
    target = model._meta.fields[parts[-1]] if not joins else getattr(model, parts[-1])
    return target, joins


def column_label(register: Register, column: Column) -> str:
    if column.label:
        return column.label
    if column.expression is not None:
        return column.path.replace("_", " ").capitalize()
    target, _ = _resolve(register, column.path)
    if "." in column.path:
        link = register.model._meta.fields[column.path.split(".")[0]]
        return field_label(link)
    return field_label(target)


def column_labels(register: Register) -> list[str]:
    return [column_label(register, c) for c in register.columns]


def _base_query(register: Register, query: Query) -> tuple[Any, list[Any]]:
    model = register.model
    expressions: list[Any] = []
    joined: dict[str, Any] = {}
    select_from = model.select(model.id, model.archived_at)
    for column in register.columns:
        if column.expression is not None:
            expressions.append(column.expression())
            continue
        target, joins = _resolve(register, column.path)
        for link, alias in joins:
            if link.name not in joined:
                joined[link.name] = alias
                select_from = select_from.join(
                    alias, peewee.JOIN.LEFT_OUTER, on=(link == alias.id)
                ).switch(model)
        if joins:
            target = getattr(joined[joins[-1][0].name], target.name)
        expressions.append(target)
    select_from = select_from.select_extend(*expressions)
    conditions = []
    if not query.include_archived:
        conditions.append(is_live(model))
    if query.filter_key:
        chosen = next((f for f in register.filters if f.key == query.filter_key), None)
        if chosen is None:
            raise ValueError(f"unknown filter {query.filter_key!r}")
        conditions.append(chosen.where())
    if query.condition is not None:
        conditions.append(query.condition())
    words = query.search.split()
    if words:
        searchable = []
        for path in register.search:
            index = next(i for i, c in enumerate(register.columns) if c.path == path)
            searchable.append(expressions[index])
        for word in words:
            pattern = f"%{_escape_like(word)}%"
            conditions.append(
                reduce(
                    lambda a, b: a | b,
                    [_searchable_text(e) ** pattern for e in searchable],
                )
            )
    if conditions:
        select_from = select_from.where(*conditions)
    return select_from, expressions


def _escape_like(text: str) -> str:
    # peewee's ** is a case-insensitive LIKE without an ESCAPE clause; keep % and _ literal
    # by matching them as single-character wildcards instead of letting them widen the match.
    return re.sub(r"[%_]", "_", text)


def _searchable_text(expression: Any) -> Any:
    if on_server():  # PostgreSQL takes no '' for a number or a day: the text first
        return fn.COALESCE(peewee.Cast(expression, "TEXT"), "")
    return fn.COALESCE(expression, "").cast("TEXT")


# On a server, an empty number sorts after every number, as '' does after them in SQLite.
_EMPTY_NUMBER_LAST = 1e300


_NUMBER_TYPES = frozenset({"smallint", "integer", "bigint", "numeric", "real",
                           "double precision", "boolean"})


def _sort_expression(expressions: list[Any], query: Query, base: Any) -> Any:
    index = min(max(query.sort_column, 0), len(expressions) - 1)
    expression = expressions[index]
    if not on_server():
        # COALESCE keeps empty values in one place of the order and comparable in the keyset.
        return fn.COALESCE(expression, "")
    # PostgreSQL compares one type: a number (or yes/no) as a number, empty ones last as
    # SQLite puts '' after numbers; anything else as text, which orders a day or a time as
    # SQLite's stored text does.
    # Not coerced: the sort value comes back as the server gave it (text stays text, not a
    # day through the field's conversion), so it compares in the keyset as it sorted.
    kind = _type_on_server(expression, base)
    if kind in _NUMBER_TYPES:
        number = peewee.Cast(expression, "INTEGER") if kind == "boolean" else expression
        return fn.COALESCE(peewee.Cast(number, "DOUBLE PRECISION"),
                           _EMPTY_NUMBER_LAST).coerce(False)
    return fn.COALESCE(peewee.Cast(expression, "TEXT"), "").coerce(False)


def _type_on_server(expression: Any, base: Any) -> str:
    """"integer", "boolean", "text" and so on: a field's by its class, a computed column's
    (a score, a count) as the server works it out."""
    kind = expression.field if isinstance(expression, peewee.FieldAlias) else expression
    if isinstance(kind, ForeignKeyField):
        return "text"
    if isinstance(kind, BooleanField):
        return "boolean"
    if isinstance(kind, IntegerField | FloatField):
        return "double precision"
    if isinstance(kind, Field):
        return "text"
    found = base.select(peewee.Cast(fn.pg_typeof(expression), "TEXT")).limit(1).scalar()
    return str(found or "text")


def count(register: Register, query: Query) -> int:
    base, _ = _base_query(register, query)
    return int(base.count())


def fetch_page(
    register: Register,
    query: Query,
    after: Row | None = None,
    limit: int = PAGE_SIZE,
) -> list[Row]:
    """The next `limit` rows after `after` in the requested order (keyset paging)."""
    base, expressions = _base_query(register, query)
    sort = _sort_expression(expressions, query, base)
    model = register.model
    if after is not None:
        if query.descending:
            base = base.where(
                (sort < after.sort_value) | ((sort == after.sort_value) & (model.id < after.id))
            )
        else:
            base = base.where(
                (sort > after.sort_value) | ((sort == after.sort_value) & (model.id > after.id))
            )
    ordering = [sort.desc(), model.id.desc()] if query.descending else [sort, model.id]
    base = base.select_extend(sort.alias("_sort")).order_by(*ordering).limit(limit)
    raws = list(base.tuples())
    # A row is (id, archived_at, *the columns' values, sort value).
    formatters = [_formatter(register, c, [raw[2 + i] for raw in raws])
                  for i, c in enumerate(register.columns)]
    rows = []
    for raw in raws:
        record_id, archived_at, *values, sort_value = raw
        cells = tuple(fmt(v) for fmt, v in zip(formatters, values, strict=True))
        rows.append(Row(record_id, cells, archived_at is not None, sort_value))
    return rows


def _formatter(register: Register, column: Column,
               values: Sequence[Any]) -> Callable[[Any], str]:
    if column.page_formatter is not None:
        return column.page_formatter(values)
    if column.format is not None:
        return column.format
    if column.formatter is not None:
        return column.formatter()
    if column.expression is not None:
        return lambda v: "" if v is None else str(v)
    target, _ = _resolve(register, column.path)
    choices = dict(target.choices) if target.choices else None
    if "." in column.path:
        target = getattr(target, "field", target)
    if choices:
        return lambda v: "" if v is None else str(choices.get(v, v))
    if isinstance(target, BooleanField):
        return lambda v: "" if v is None else ("Yes" if v else "No")
    if isinstance(target, FloatField):
        return lambda v: "" if v is None else f"{v:g}"
    if isinstance(target, DateTimeField):
        return lambda v: "" if v is None else str(v)[:16]
    return lambda v: "" if v is None else str(v)


# --- Editing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditField:
    """A form field resolved against the model: its kind decides the widget."""

    name: str
    label: str
    kind: str  # text, multiline, date, bool, int, float, choice, link
    required: bool
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    link_model: type[Record] | None = None
    hint: str = ""
    default: Any = None


def edit_fields(register: Register) -> list[EditField]:
    resolved = []
    for spec in register.form:
        model_field = register.model._meta.fields[spec.name]
        required = spec.required
        if required is None:
            # A column that cannot be empty and has no default needs the user's value.
            required = not model_field.null and model_field.default is None
        kind = spec.kind or _kind_of(model_field)
        choices = model_field.choices or ()
        if spec.choices is not None:
            kind = spec.kind or "choice"
            choices = spec.choices() if callable(spec.choices) else spec.choices
        default = model_field.default() if callable(model_field.default) else model_field.default
        resolved.append(
            EditField(
                name=spec.name,
                label=spec.label or field_label(model_field),
                kind=kind,
                required=bool(required),
                max_length=field_rules.rule_for(model_field).max_length
                if isinstance(model_field, CharField | TextField)
                else None,
                choices=tuple((str(k), str(v)) for k, v in choices),
                link_model=model_field.rel_model if isinstance(model_field, ForeignKeyField)
                else None,
                hint=spec.hint,
                default=default,
            )
        )
    return resolved


def _kind_of(model_field: Field) -> str:
    if model_field.choices:
        return "choice"
    if isinstance(model_field, ForeignKeyField):
        return "link"
    if isinstance(model_field, BooleanField):
        return "bool"
    if isinstance(model_field, DateField):
        return "date"
    if isinstance(model_field, IntegerField):
        return "int"
    if isinstance(model_field, FloatField):
        return "float"
    if isinstance(model_field, TextField):
        return "multiline"
    return "text"


def link_choices(model: type[Record]) -> list[tuple[str, str]]:
    """Records a link field may point at: current ones, by name."""
    rows = model.live()
    return sorted(((r.id, r.display_name()) for r in rows), key=lambda item: item[1].lower())


# Kinds whose empty value is "" (text typed, nothing picked); others are empty as None.
_TEXT_KINDS = ("text", "multiline", "link", "choice")


def _type_problem(register: Register, spec: EditField, value: Any) -> str:
    """What the column's field rule (`fields`) says of a value the form holds."""
    model_field = register.model._meta.fields[spec.name]
    if spec.kind == "choice" and isinstance(model_field, IntegerField) and isinstance(value, str):
        return "" if value.isdigit() else f"{spec.label}: choose one of the listed values."
    return field_rules.field_problem(model_field, value)


def _only_out_of_range(register: Register, spec: EditField, value: Any) -> bool:
    """True when the value has its column's type and breaks only its range, so the register's
    own, more particular message about the range may be given instead."""
    rule = field_rules.rule_for(register.model._meta.fields[spec.name])
    dates = rule.kind in ("date", "datetime")
    unbounded = dataclasses.replace(rule, minimum=dt.date.min if dates else None,
                                    maximum=dt.date.max if dates else None)
    return not unbounded.problem(value)


def validate(register: Register, values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    wrong_type = False
    out_of_range: set[str] = set()
    for spec in edit_fields(register):
        value = values.get(spec.name)
        if isinstance(value, str):
            value = value.strip()
            values[spec.name] = value
        if spec.required and value in (None, ""):
            problems[spec.name] = f"{spec.label} is required."
            wrong_type = wrong_type or (value == "" and spec.kind not in _TEXT_KINDS)
        elif spec.max_length and isinstance(value, str) and len(value) > spec.max_length:
            problems[spec.name] = f"{spec.label} is too long ({len(value)} of at most " \
                                  f"{spec.max_length} characters)."
        elif spec.kind == "choice" and value not in (None, "") and str(value) not in dict(
            spec.choices
        ):
            problems[spec.name] = f"{spec.label}: choose one of the listed values."
            wrong_type = True
        elif value is not None and (value != "" or spec.kind not in _TEXT_KINDS):
            problem = _type_problem(register, spec, value)
            if problem:
                problems[spec.name] = problem
                if _only_out_of_range(register, spec, value):
                    out_of_range.add(spec.name)
                else:
                    wrong_type = True
    # The register's own checks compare and convert values: only once each has its type.
    if register.validate is not None and not wrong_type:
        for name, message in register.validate(values).items():
            if name in out_of_range:
                problems[name] = message
            problems.setdefault(name, message)
    return problems


def save(register: Register, record: Record | None, values: dict[str, Any]) -> Record:
    """Create or update through the service layer; ValidationError leaves the data untouched."""
    values = dict(values)
    problems = validate(register, values)
    if problems:
        raise ValidationError(problems)
    for spec in edit_fields(register):
        if spec.kind == "link" and values.get(spec.name) == "":
            values[spec.name] = None
        model_field = register.model._meta.fields[spec.name]
        if spec.kind == "choice" and isinstance(model_field, IntegerField) and spec.name in values:
            # Choices are offered as text; store the number the column holds.
            value = values.get(spec.name)
            values[spec.name] = None if value in (None, "") else int(str(value))
    if register.before_save is not None:
        values = register.before_save(values)
    if record is None:
        if register.create is not None:
            return register.create(values)
        return records.create(register.model, **values)
    if register.update is not None:
        return register.update(record, values)
    return records.update(record, **values)


def _require_own(register: Register, record: Record) -> None:
    if not isinstance(record, register.model):
        raise ValidationError(
            {"record": f"This is not a {register.singular}; open it from its own list."})


def archive(register: Register, record: Record) -> Record:
    """Take a record out of the register's lists; it stays in the file and can be restored."""
    _require_own(register, record)
    if register.archive is not None:
        return register.archive(record)
    return records.archive(record)


def restore(register: Register, record: Record) -> Record:
    """Bring an archived record back into the register's lists."""
    _require_own(register, record)
    if register.restore is not None:
        return register.restore(record)
    return records.unarchive(record)


def get(register: Register, record_id: str) -> Record:
    return register.model.get_by_id(record_id)


def form_values(register: Register, record: Record) -> dict[str, Any]:
    values = {}
    for spec in edit_fields(register):
        if spec.kind == "link":
            values[spec.name] = record.__data__.get(spec.name)
        else:
            values[spec.name] = getattr(record, spec.name)
    return values


# --- Shared validators ----------------------------------------------------------------------

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_problem(value: str) -> str | None:
    if value and not EMAIL_PATTERN.match(value):
        return "This does not look like an e-mail address (name@example.com)."
    return None


def today() -> dt.date:
    return clock.today()
