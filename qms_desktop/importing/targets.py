"""What an import can write into: each register of the export, with the export's own columns.

A target is built from the same declarations as the export (`export.register_fields`,
`export.heading`, `export.sheet_names`), so a workbook the export wrote reads back column for
column, and a register added later is importable without new code. Registers whose rows
carry file contents (attachments, frozen review packs) are left out: the export describes
those files, it does not hold them.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import BlobField, Field, ForeignKeyField

from qms_desktop import export
from qms_desktop import fields as field_rules
from qms_desktop.models import Record

ARCHIVED = "archived"  # the Archived (Yes/No) column, which is no field of its own
# Written by the database or the import itself; read back only when a row makes a record.
STAMPS = ("created_at", "updated_at")


@dataclass(frozen=True)
class Column:
    """One column of a register's sheet."""

    name: str  # the field's name, or ARCHIVED
    heading: str
    kind: str  # the field rule's kind; "choice" for a field with listed values; ARCHIVED
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored key, label as exported)
    link_model: type[Record] | None = None
    model_field: Field | None = None

    def note(self) -> str:
        """A line on what the column takes, for the template's row of notes."""
        parts = {
            "text": "text",
            "multiline": "text (line breaks allowed)",
            "int": "a whole number",
            "money": "an amount, such as 1234.50",
            "float": "a number",
            "bool": "Yes or No",
            "date": "a date, such as 2026-03-31",
            "datetime": "a date and time, such as 2026-03-31 14:30",
            "choice": "one of the listed values",
            ARCHIVED: "Yes or No",
        }
        text = parts.get(self.kind, "")
        if self.kind == "link" and self.link_model is not None:
            text = f"the name or reference of one of the {self.link_model.display_plural.lower()}"
        if self.name == "id":
            text = "leave empty for a new record; an existing ID updates that record"
        if self.name == "source_table":
            text = "the register it was raised from, such as Nonconformities"
        if self.name == "source_id":
            text = "the name of the record it was raised from"
        required = "Required: " if self.required else ""
        return f"{required}{text}"


@dataclass(frozen=True)
class Target:
    model: type[Record]
    name: str  # the export's sheet name
    columns: tuple[Column, ...]
    # The register's own checks of a row (dates in order, pairs of scores...), when it has any.
    validate: Callable[[dict[str, Any]], dict[str, str]] | None = None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def table(self) -> str:
        return str(self.model._meta.table_name)


def _column(model_field: Field) -> Column:
    rule = field_rules.rule_for(model_field)
    labels: dict[str, dict[str, str]] = getattr(model_field.model, "value_labels", {})
    pairs = model_field.choices or tuple(labels.get(model_field.name, {}).items())
    kind = "choice" if pairs else rule.kind
    required = rule.required and model_field.default is None and model_field.name != "id"
    if kind == "money":
        required = False
    return Column(
        name=model_field.name,
        heading=export.heading(model_field),
        kind=kind,
        required=required,
        choices=tuple((str(k), str(v)) for k, v in pairs),
        link_model=model_field.rel_model if isinstance(model_field, ForeignKeyField) else None,
        model_field=model_field,
    )


@functools.cache
def targets() -> dict[str, Target]:
    """Every importable register by its sheet name, in the export's order."""
    validators = _register_validators()
    found = {}
    for model, sheet in export.sheet_names().items():
        fields = export.register_fields(model)
        if any(isinstance(f, BlobField) for f in fields):
            continue
        columns = []
        for model_field in fields:
            if model_field.name == "archived_at":
                columns.append(Column(ARCHIVED, export.ARCHIVED_LABEL, ARCHIVED))
            columns.append(_column(model_field))
        found[sheet] = Target(model, sheet, tuple(columns), validators.get(model))
    return found


def _register_validators() -> dict[type[Record], Callable[[dict[str, Any]], dict[str, str]]]:
    """The registers' own row checks, by model (the same checks the window's forms make)."""
    from qms_desktop import (
        audit_registers,
        catalogue,
        context_registers,
        improvement_registers,
        objective_registers,
        resource_registers,
        risk_registers,
        support_registers,
    )

    declared = [
        *catalogue.ALL_REGISTERS, *support_registers.SUPPORT_REGISTERS,
        *context_registers.CONTEXT_REGISTERS, *improvement_registers.IMPROVEMENT_REGISTERS,
        *objective_registers.OBJECTIVE_REGISTERS, resource_registers.RESOURCES,
        resource_registers.REQUESTS, risk_registers.RISKS, audit_registers.AUDITS,
    ]
    validators: dict[type[Record], Callable[[dict[str, Any]], dict[str, str]]] = {}
    for register in declared:
        if register.validate is not None:
            validators.setdefault(register.model, register.validate)
    return validators


def normalised(text: str) -> str:
    """How headings and names are compared: case, spacing and marks like "*" or ":" aside."""
    return " ".join(re.sub(r"[*:_]+", " ", str(text)).casefold().split())


def _names_of(target: Target) -> set[str]:
    """What a register goes by: its sheet name, its plural and its table name ("risk")."""
    return {normalised(target.name), normalised(target.table),
            normalised(target.model.display_plural)} - {""}


def find_target(name: str) -> Target | None:
    """A register by its sheet name, its table name ("action") or its plural, any case; or
    the one register whose name begins with `name` ("risks" for Risks and opportunities)."""
    wanted = normalised(name)
    for target in targets().values():
        if wanted in _names_of(target):
            return target
    if wanted:
        begun = [t for t in targets().values()
                 if any(n.startswith(f"{wanted} ") for n in _names_of(t))]
        if len(begun) == 1:
            return begun[0]
    return None


def _named_in(sheet_name: str) -> Target | None:
    """The register a sheet's name mentions among other words ("Approved suppliers", "Risk
    register 2025"), when it mentions one (a name inside a longer one found counts as the
    longer: "Supplier evaluations" is not Suppliers)."""
    words = " " + " ".join(re.findall(r"[^\W_]+", normalised(sheet_name))) + " "
    found: list[tuple[str, str]] = []
    for target in targets().values():
        for name in _names_of(target):
            name_words = " ".join(re.findall(r"[^\W_]+", name))
            if name_words and f" {name_words} " in words:
                found.append((name_words, target.name))
    kept = {target for name, target in found
            if not any(name != longer and f" {name} " in f" {longer} " for longer, _t in found)}
    return targets()[kept.pop()] if len(kept) == 1 else None


def guess_target(sheet_name: str, headings: list[str]) -> Target | None:
    """The register a sheet belongs to: by its name, or the one register its name mentions
    ("Approved suppliers"), else the one sharing most headings (at least half of the sheet's,
    and more than any other). The name comes first: a user named the sheet, while a heading
    such as "Notes" is shared by many registers."""
    by_name = find_target(sheet_name)
    if by_name is not None:
        return by_name
    if sheet_name in export.sheet_names().values():
        return None  # a register of the export that cannot be imported (its files)
    mentioned = _named_in(sheet_name)
    if mentioned is not None:
        return mentioned
    # The columns every register shares say nothing of which one a sheet belongs to.
    shared = {normalised(c.heading) for c in next(iter(targets().values())).columns
              if c.name in (ARCHIVED, "archived_at", "id", *STAMPS)}
    given = {normalised(h) for h in headings if h} - shared
    scored = sorted(
        ((len(given & {normalised(c.heading) for c in t.columns}), t.name)
         for t in targets().values()), reverse=True)
    if not scored or not given:
        return None
    (best, name), runner_up = scored[0], scored[1][0] if len(scored) > 1 else 0
    if best * 2 < len(given) or best == runner_up:
        return None
    return targets()[name]


# Words too common in headings to say two columns are alike.
_PLAIN_WORDS = {"the", "and", "of", "by", "for", "date", "name", "on", "due", "last", "new"}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_]+", normalised(text))) - _PLAIN_WORDS


def close_headings(target: Target, heading: str, n: int = 3) -> list[str]:
    """The target's headings close to `heading`, best first (offered, never applied): spelt
    alike ("Critcality"), the register's own name for its name or title column ("Risk" in a
    risk register), or sharing a word ("Review date" and "Next review")."""
    key = normalised(heading)
    by_key = {normalised(c.heading): c.heading for c in target.columns}
    offered = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=n,
                                                             cutoff=0.6)]
    if key and key in _names_of(target) | {normalised(target.model.display_plural[:-1])}:
        offered += [c.heading for c in target.columns
                    if c.name in ("title", "name", "full_name")]
    given = _words(heading)
    offered += [c.heading for c in target.columns
                if given & _words(c.heading) and c.name not in (ARCHIVED, "archived_at",
                                                               *STAMPS)]
    return list(dict.fromkeys(offered))[:n]


def import_order(chosen: list[Target]) -> list[Target]:
    """The targets with every register before those that link to it, so a link to a record
    made by the same import finds it (the export's order where links allow)."""
    placed: list[Target] = []
    waiting = list(chosen)
    while waiting:
        for target in waiting:
            linked = {c.link_model for c in target.columns if c.link_model is not None}
            if not any(other.model in linked and other is not target for other in waiting):
                break
        else:  # links in a circle: the export's order decides
            target = waiting[0]
        placed.append(target)
        waiting.remove(target)
    return placed


def importable_models() -> set[type[Record]]:
    return {t.model for t in targets().values()}
