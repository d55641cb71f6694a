"""The field rules, declared once: what every column accepts, for services, import and window.

A rule is derived from each model field's type (a CharField's length, a TextField is
multi-line, a DateField takes real dates...) plus the few overrides in `OVERRIDES`.
`records.create` and `records.update` apply them to every write, so no path can store
'abc' in a number column. `strict_arguments` does the same for a service function's
arguments from their annotations, so a wrong type becomes a ValidationError before the
service computes with it.

Choices made here, so every caller gets the same answers:
- A boolean is True or False. 0, 1, 'no' and 'yes' are refused: a spreadsheet import or a
  command line parses its own words and passes a real boolean.
- A date is a `datetime.date` (not a datetime, never a string: the caller parses) within
  1900-01-01 to 2100-12-31 unless a field says otherwise; a timestamp is a `datetime`.
- Whole numbers are ints (not bools, not 1.5, not 1.0) within +/-10^15; money in minor units
  is 0 to 10^15 (SQLite INTEGER and PostgreSQL BIGINT hold 2^63; 10^15 leaves room to sum a
  million amounts without overflow). Decimal numbers are finite ints or floats within
  +/-10^15.
- Text is trimmed and stored trimmed; control characters are refused (tab and line breaks
  only in multi-line fields, where CR LF and CR become LF); NUL and unpaired surrogates never.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import math
import re
import reprlib
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from qms_desktop.errors import ValidationError
from qms_desktop.models import field_label

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
LARGEST_NUMBER = 10**15
# Long enough for any prose a person types into one box; a pasted book is refused.
TEXT_LIMIT = 100_000


@dataclass(frozen=True)
class Rule:
    """What one column accepts. `kind`: text, multiline, int, money, float, bool, date,
    datetime, link, blob."""

    name: str
    label: str
    kind: str
    required: bool = False  # None is refused
    max_length: int | None = None
    minimum: Any = None
    maximum: Any = None
    choices: frozenset[str] | None = None
    link_model: type[Model] | None = None
    # A non-null text column without a default must not be left empty.
    not_blank: bool = False

    def problem(self, value: Any) -> str:
        """What is wrong with `value`, without the field's name; "" when nothing."""
        return _check(self, value)[0]

    def clean(self, value: Any) -> Any:
        """`value` as it is stored (text trimmed), or ValidationError naming the field."""
        problem, cleaned = _check(self, value)
        if problem:
            raise ValidationError({self.name: f"{self.label}: {problem}"})
        return cleaned


@dataclass(frozen=True)
class Override:
    kind: str = ""
    max_length: int | None = None
    minimum: Any = None
    maximum: Any = None
    # Stored keys a choice field takes besides its listed choices.
    extra_choices: tuple[str, ...] = ()


# The few fields whose rule is not what their type says. Keyed "table.field".
OVERRIDES: dict[str, Override] = {
    "organisation.review_interval_months": Override(minimum=1, maximum=120),
    "organisation.risk_matrix_size": Override(minimum=3, maximum=10),
    "competence.renew_every_months": Override(minimum=1, maximum=1200),
    "resource.calibration_interval_months": Override(minimum=1, maximum=120),
    "risk.likelihood": Override(minimum=1, maximum=10),
    "risk.impact": Override(minimum=1, maximum=10),
    "risk.residual_likelihood": Override(minimum=1, maximum=10),
    "risk.residual_impact": Override(minimum=1, maximum=10),
    "supplier_evaluation.quality": Override(minimum=1, maximum=5),
    "supplier_evaluation.delivery": Override(minimum=1, maximum=5),
    "supplier_evaluation.price": Override(minimum=1, maximum=5),
    "supplier_evaluation.responsiveness": Override(minimum=1, maximum=5),
    "satisfaction_result.responses": Override(minimum=0),
    "satisfaction_result.score": Override(minimum=0),
    "satisfaction_result.scale_max": Override(minimum=0),
    "attachment.size": Override(minimum=0),
    "document_version.number": Override(minimum=1),
    "review_pack.pack_version": Override(minimum=1),
    "why_step.position": Override(minimum=1),
    # A policy or procedure may run long; still not a pasted book.
    "document_version.body": Override(max_length=1_000_000),
    # Made by the app from the records (the frozen pack's inputs), never typed.
    "review_pack.snapshot": Override(max_length=0),
    # A question of a checklist not yet answered.
    "finding.outcome": Override(extra_choices=("",)),
    "setting.value": Override(kind="multiline"),
    # The name of a PostgreSQL login role (accounts.py).
    "account.login": Override(kind="login"),
}


def _kind_of(model_field: Field) -> str:
    if isinstance(model_field, ForeignKeyField):
        return "link"
    if isinstance(model_field, BooleanField):
        return "bool"
    if isinstance(model_field, DateTimeField):
        return "datetime"
    if isinstance(model_field, DateField):
        return "date"
    if isinstance(model_field, IntegerField):
        return "money" if model_field.name.endswith("_minor") else "int"
    if isinstance(model_field, FloatField | DecimalField):
        return "float"
    if isinstance(model_field, BlobField):
        return "blob"
    if isinstance(model_field, TextField):
        return "multiline"
    return "text"


def _default_of(model_field: Field) -> Any:
    default = model_field.default
    return None if callable(default) else default


@functools.cache
def rule_for(model_field: Field) -> Rule:
    """The rule of one model field (`Reading.value`)."""
    kind = _kind_of(model_field)
    override = OVERRIDES.get(f"{model_field.model._meta.table_name}.{model_field.name}",
                             Override())
    kind = override.kind or kind
    max_length = override.max_length
    if max_length is None:
        if isinstance(model_field, CharField):
            max_length = model_field.max_length
        elif kind == "multiline":
            max_length = TEXT_LIMIT
    minimum, maximum = override.minimum, override.maximum
    if kind in ("int", "float") and minimum is None:
        minimum = -LARGEST_NUMBER
    if kind in ("int", "float", "money") and maximum is None:
        maximum = LARGEST_NUMBER
    if kind == "money" and minimum is None:
        minimum = 0
    if kind in ("date", "datetime"):
        minimum = minimum or EARLIEST_DATE
        maximum = maximum or LATEST_DATE
    choices = None
    if model_field.choices:
        allowed = {str(key) for key, _label in model_field.choices}
        default = _default_of(model_field)
        if default is not None:
            allowed.add(str(default))  # a column's own default is always allowed
        allowed.update(override.extra_choices)
        choices = frozenset(allowed)
    required = not model_field.null
    return Rule(
        name=model_field.name,
        label=field_label(model_field),
        kind=kind,
        required=required,
        max_length=max_length or None,
        minimum=minimum,
        maximum=maximum,
        choices=choices,
        link_model=model_field.rel_model if isinstance(model_field, ForeignKeyField) else None,
        not_blank=required and kind in ("text", "multiline") and model_field.default is None
        and not model_field.primary_key,
    )


@functools.cache
def rules_of(model: type[Model]) -> dict[str, Rule]:
    """Every field's rule, by field name (AutoFields are the database's own)."""
    return {
        name: rule_for(model_field)
        for name, model_field in model._meta.fields.items()
        if not isinstance(model_field, AutoField)
    }


def clean(model: type[Model], values: dict[str, Any], *, creating: bool = False) -> dict[str, Any]:
    """`values` as they are stored, or ValidationError listing every field that breaks a rule.

    When `creating`, a required field with no default must be among `values`.
    """
    rules = rules_of(model)
    cleaned: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, value in values.items():
        rule = rules.get(name)
        if rule is None:
            problems[name] = f"{name}: {model.__name__} has no such field."
            continue
        problem, cleaned_value = _check(rule, value)
        if problem:
            problems[name] = f"{rule.label}: {problem}"
        else:
            cleaned[name] = cleaned_value
    if creating:
        for name, model_field in model._meta.fields.items():
            if (name not in values and not model_field.null and model_field.default is None
                    and not isinstance(model_field, AutoField)):
                problems[name] = f"{rules[name].label}: required."
    if problems:
        raise ValidationError(problems)
    return cleaned


check_fields = clean  # the name services read best with: values = check_fields(Audit, values)


def check(model_field: Field, value: Any) -> Any:
    """One value against its column's rule, for a service that computes with it first."""
    return rule_for(model_field).clean(value)


def check_text(name: str, value: Any, *, label: str = "", multiline: bool = True,
               max_length: int = TEXT_LIMIT) -> str:
    """Free text that is no column of its own (a change's reason), trimmed."""
    rule = Rule(name, label or name.replace("_", " ").capitalize(),
                "multiline" if multiline else "text", required=True, max_length=max_length)
    return str(rule.clean(value))


def text_limit(model_field: Field) -> int:
    """The most characters a text column takes, for an editor's maximum length."""
    return rule_for(model_field).max_length or TEXT_LIMIT


def field_problem(model_field: Field, value: Any) -> str:
    """What is wrong with `value` for the column, in a sentence naming it; "" when nothing."""
    try:
        check(model_field, value)
    except ValidationError as refused:
        return next(iter(refused.problems.values()))
    return ""


def broken_rules(record: Model) -> dict[str, str]:
    """What a stored row breaks (the values as they were read back), for tests and checks."""
    problems = {}
    for name, rule in rules_of(type(record)).items():
        value = record.__data__.get(name)
        if rule.kind == "link":
            value = value if value is None else str(value)
            if value is None and rule.required:
                problems[name] = "required"
            continue  # the database's own foreign keys vouch for links
        problem, _ = _check(rule, value, stored=True)
        if problem:
            problems[name] = problem
    return problems


# --- The checks -------------------------------------------------------------------------------


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 40
_SHORT.maxlist = _SHORT.maxdict = _SHORT.maxtuple = _SHORT.maxset = 3


def _plain(value: Any) -> str:
    # reprlib: a message about a list of a million items does not spell the million out.
    return _SHORT.repr(value)


def _check(rule: Rule, value: Any, *, stored: bool = False) -> tuple[str, Any]:
    """(problem, cleaned value): problem is "" when the value keeps the rule."""
    if value is None:
        return ("required.", None) if rule.required else ("", None)
    checker = _CHECKERS[rule.kind]
    problem, cleaned = checker(rule, value)
    if problem:
        return problem, None
    if rule.choices is not None and str(_key_of(cleaned)) not in rule.choices:
        return f"{_plain(value)} is not one of the allowed values.", None
    if rule.not_blank and cleaned == "":
        return "required.", None
    if stored and isinstance(value, str) and cleaned != value:
        return "text is not trimmed.", None
    return "", cleaned


def _key_of(value: Any) -> Any:
    return value.get_id() if isinstance(value, Model) else value


def _text(rule: Rule, value: Any) -> tuple[str, Any]:
    if not isinstance(value, str):
        return f"expected text, got {_plain(value)}.", None
    multiline = rule.kind == "multiline"
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    problem = text_problem(value, multiline=multiline)
    if problem:
        return problem, None
    value = value.strip()
    if rule.max_length is not None and len(value) > rule.max_length:
        return (f"too long ({len(value):,} characters; at most {rule.max_length:,}).", None)
    return "", value


# C0 and C1 control characters and DEL; tab and line feed are told apart below.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_LINE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str, *, multiline: bool) -> str:
    """Why `value` cannot be stored as text: a control character or an unpaired surrogate."""
    found = (_LINE_CONTROL if multiline else _CONTROL).search(value)
    if found:
        char = found.group()
        if char in "\n\r\t":
            return "line breaks and tabs are not allowed here."
        return f"contains a control character (U+{ord(char):04X})."
    if _SURROGATE.search(value):
        return "contains an invalid character (an unpaired surrogate)."
    return ""


def _in_range(rule: Rule, value: Any) -> str:
    if rule.minimum is not None and value < rule.minimum:
        return f"{_plain(value)} is below the smallest allowed ({rule.minimum})."
    if rule.maximum is not None and value > rule.maximum:
        return f"{_plain(value)} is above the largest allowed ({rule.maximum})."
    return ""


def _whole(rule: Rule, value: Any) -> tuple[str, Any]:
    if isinstance(value, bool) or not isinstance(value, int):
        what = "an amount in whole minor units" if rule.kind == "money" else "a whole number"
        return f"expected {what}, got {_plain(value)}.", None
    return _in_range(rule, value), value


def _decimal(rule: Rule, value: Any) -> tuple[str, Any]:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return f"expected a number, got {_plain(value)}.", None
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return f"expected a finite number, got {_plain(value)}.", None
    return _in_range(rule, value), value


def _boolean(rule: Rule, value: Any) -> tuple[str, Any]:
    if not isinstance(value, bool):
        return f"expected True or False, got {_plain(value)}.", None
    return "", value


def _date(rule: Rule, value: Any) -> tuple[str, Any]:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return f"expected a date, got {_plain(value)}.", None
    return _date_range(rule, value), value


def _datetime(rule: Rule, value: Any) -> tuple[str, Any]:
    if not isinstance(value, dt.datetime):
        return f"expected a date and time, got {_plain(value)}.", None
    return _date_range(rule, value.date()), value


def _date_range(rule: Rule, day: dt.date) -> str:
    if not rule.minimum <= day <= rule.maximum:
        return f"{day.isoformat()} is outside {rule.minimum:%Y} to {rule.maximum:%Y}."
    return ""


def _link(rule: Rule, value: Any) -> tuple[str, Any]:
    target = rule.link_model
    assert target is not None
    if isinstance(value, Model):
        if not isinstance(value, target):
            return f"expected a {target.__name__} record, got a {type(value).__name__}.", None
        key = value.get_id()
    elif isinstance(value, str):
        key = value
    else:
        return f"expected a {target.__name__} record, got {_plain(value)}.", None
    if text_problem(str(key), multiline=False) or not target.select(target._meta.primary_key) \
            .where(target._meta.primary_key == key).exists():
        return f"no {target.__name__} record {_plain(key)}.", None
    return "", value


def _blob(rule: Rule, value: Any) -> tuple[str, Any]:
    if not isinstance(value, bytes | bytearray | memoryview):
        return f"expected file contents (bytes), got {_plain(value)}.", None
    return "", value


# A PostgreSQL role name that needs no quoting anywhere: lower-case letters, digits and
# underscores, starting with a letter; pg_ names are the server's own, qms_ ones the groups'.
_LOGIN = re.compile(r"[a-z][a-z0-9_]*")
_RESERVED_LOGINS = frozenset({"public", "none", "all", "current_user", "current_role",
                              "session_user", "user", "postgres"})


def _login(rule: Rule, value: Any) -> tuple[str, Any]:
    problem, text = _text(rule, value)
    if problem:
        return problem, None
    if text == "":
        return "required.", None
    if not _LOGIN.fullmatch(text):
        return (f"{_plain(text)} is not a login name: use lower-case letters (a to z), "
                "digits and underscores, starting with a letter."), None
    if text.startswith(("pg_", "qms_")) or text in _RESERVED_LOGINS:
        return f"{_plain(text)} is a name the database server keeps for itself.", None
    return "", text


_CHECKERS: dict[str, Callable[[Rule, Any], tuple[str, Any]]] = {
    "text": _text,
    "multiline": _text,
    "int": _whole,
    "money": _whole,
    "float": _decimal,
    "bool": _boolean,
    "date": _date,
    "datetime": _datetime,
    "link": _link,
    "blob": _blob,
    "login": _login,
}


# --- Service arguments ------------------------------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])

_ARGUMENT_RULES: dict[Any, Rule] = {
    int: Rule("", "", "int", minimum=-LARGEST_NUMBER, maximum=LARGEST_NUMBER),
    float: Rule("", "", "float", minimum=-LARGEST_NUMBER, maximum=LARGEST_NUMBER),
    bool: Rule("", "", "bool"),
    dt.date: Rule("", "", "date", minimum=EARLIEST_DATE, maximum=LATEST_DATE),
    dt.datetime: Rule("", "", "datetime", minimum=EARLIEST_DATE, maximum=LATEST_DATE),
}

ArgumentCheck = Callable[[Any], str]

# How many items of a list or mapping argument are checked: a collection of the wrong kind
# shows in its first items, while checking every reading of every KPI on every internal call
# would cost the review pack more than its own work. Stored values are checked in full.
CHECKED_ITEMS = 4

# Whole-number arguments whose name says what they count, kept to what makes sense (a count
# of 10^15 periods would run for ever; a year outside the date range has no dates).
ARGUMENT_RANGES: dict[str, tuple[int, int]] = {
    "year": (EARLIEST_DATE.year, LATEST_DATE.year),
    "count": (0, 10_000),
    "window": (0, 10_000),
    "periods": (0, 10_000),
    "within_days": (-36_600, 36_600),
    # A risk matrix's side.
    "old_size": (1, 10),
    "new_size": (1, 10),
    "limit": (0, 1_000_000),
}


def _argument_check(annotation: Any) -> ArgumentCheck | None:
    """A function that says what is wrong with a value for `annotation` ("" when nothing)."""
    if annotation in (Any, object) or isinstance(annotation, TypeVar):
        bound = getattr(annotation, "__bound__", None)
        return _argument_check(bound) if bound is not None else None
    if annotation is None or annotation is type(None):
        return lambda v: "" if v is None else f"expected nothing, got {_plain(v)}."
    rule = _ARGUMENT_RULES.get(annotation)
    if rule is not None:
        checker = _CHECKERS[rule.kind]
        return lambda v: checker(rule, v)[0]
    if annotation is str:
        return lambda v: (f"expected text, got {_plain(v)}." if not isinstance(v, str)
                          else text_problem(v.replace("\r", ""), multiline=True))
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [_argument_check(a) for a in arguments]
        if any(o is None for o in options):
            return None
        checks = typing.cast(list[ArgumentCheck], options)

        def any_of(value: Any) -> str:
            first = ""
            for check in checks:
                problem = check(value)
                if not problem:
                    return ""
                first = first or problem
            return first

        return any_of
    if origin in (list, set, frozenset, tuple) and arguments and arguments[-1] is not ...:
        item = _argument_check(arguments[0])
        container = origin

        def each(value: Any) -> str:
            if not isinstance(value, container):
                return f"expected a {container.__name__}, got {_plain(value)}."
            if item is not None:
                for element in itertools.islice(value, CHECKED_ITEMS):
                    problem = item(element)
                    if problem:
                        return problem
            return ""

        return each
    if origin is dict:
        key_check, value_check = (_argument_check(a) for a in arguments) if arguments \
            else (None, None)

        def mapping(value: Any) -> str:
            if not isinstance(value, dict):
                return f"expected a mapping, got {_plain(value)}."
            for key, item in itertools.islice(value.items(), CHECKED_ITEMS):
                problem = (key_check(key) if key_check else "") or (
                    value_check(item) if value_check else "")
                if problem:
                    return problem
            return ""

        return mapping
    if origin is type:
        bound = arguments[0] if arguments else object
        bound = getattr(bound, "__bound__", None) or bound
        return lambda v: "" if isinstance(v, type) and issubclass(v, bound) else \
            f"expected a kind of {getattr(bound, '__name__', bound)}, got {_plain(v)}."
    if origin is not None:
        return (lambda v: "" if isinstance(v, origin) else f"expected {origin.__name__}, "
                f"got {_plain(v)}.") if isinstance(origin, type) else None
    if isinstance(annotation, type) and not getattr(annotation, "_is_protocol", False):
        return lambda v: "" if isinstance(v, annotation) else \
            f"expected {_article(annotation.__name__)}, got {_plain(v)}."
    return None


def _within(check: ArgumentCheck, rule: Rule) -> ArgumentCheck:
    def checked(value: Any) -> str:
        problem = check(value)
        if problem or value is None or not isinstance(value, int):
            return problem
        return _in_range(rule, value)

    return checked


def _article(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _argument_checks(function: Callable[..., Any]) -> tuple[list[tuple[str, ArgumentCheck | None]],
                                                              dict[str, ArgumentCheck]]:
    import inspect

    signature = inspect.signature(function)
    positional: list[tuple[str, ArgumentCheck | None]] = []
    by_name: dict[str, ArgumentCheck] = {}
    for name, parameter in signature.parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue  # **values go to records.create/update, which check them by field
        check = None
        annotation = _resolved(parameter.annotation, function.__globals__)
        if annotation is not parameter.empty:
            check = _argument_check(annotation)
        if name in ARGUMENT_RANGES and check is not None:
            low, high = ARGUMENT_RANGES[name]
            check = _within(check, Rule(name, "", "int", minimum=low, maximum=high))
        if parameter.kind != parameter.KEYWORD_ONLY:
            positional.append((name, check))
        if check is not None:
            by_name[name] = check
    return positional, by_name


_product_classes_seen: tuple[int, dict[str, Any]] = (-1, {})


def _product_classes() -> dict[str, Any]:
    """The classes defined in the product's loaded modules, by name; gathered again only when
    more modules have loaded (each service's first call asks, 150 of them in a pack)."""
    global _product_classes_seen
    modules = [(name, module) for name, module in list(sys.modules.items())
               if name.startswith("qms_desktop.") and module is not None]
    if len(modules) == _product_classes_seen[0]:
        return _product_classes_seen[1]
    found: dict[str, Any] = {}
    for module_name, module in modules:
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module_name:
                found.setdefault(name, value)
    _product_classes_seen = (len(modules), found)
    return found


def _resolved(annotation: Any, names: dict[str, Any], depth: int = 0) -> Any:
    """A string annotation (or a string type alias) as the object it names; Any when only the
    type checker can resolve it. Generic arguments the runtime class does not take
    (peewee's `ModelSelect[Action]`) are dropped: the container's type is checked."""
    if not isinstance(annotation, str) or depth > 3:
        return annotation
    text = annotation
    with contextlib.suppress(Exception):  # most name classes the function's module imports
        return _resolved(eval(text, names), names, depth + 1)
    # A class imported only for the type checker (to avoid an import cycle) is found where
    # it is defined, among the product's loaded modules.
    names = {**_product_classes(), **names}
    while True:
        try:
            return _resolved(eval(text, names), names, depth + 1)
        except Exception:  # a name only the type checker knows
            # String aliases spelled out (ActionQuery = "ModelSelect[Action]"), then generics.
            simpler = re.sub(r"\b[A-Za-z_]\w*\b", lambda m: f"({names[m.group()]})"
                             if isinstance(names.get(m.group()), str) else m.group(), text)
            if simpler == text:
                simpler = re.sub(r"(\w)\[[^\[\]]*\]", r"\1", text)
            if simpler == text:
                return Any
            text = simpler


def strict_arguments(function: F) -> F:
    """Refuse arguments that do not match the function's annotations with ValidationError.

    The service then never computes with a wrong type (a TypeError deep inside), and a date
    or number argument keeps the same ranges the columns keep.
    """
    checks: list[Any] = []

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not checks:
            checks.extend(_argument_checks(function))
        positional, by_name = checks
        problems = {}
        for (name, check), value in zip(positional, args, strict=False):
            if check is not None:
                problem = check(value)
                if problem:
                    problems[name] = f"{name.replace('_', ' ').capitalize()}: {problem}"
        for name, value in kwargs.items():
            check = by_name.get(name)
            if check is not None:
                problem = check(value)
                if problem:
                    problems[name] = f"{name.replace('_', ' ').capitalize()}: {problem}"
        if problems:
            raise ValidationError(problems)
        return function(*args, **kwargs)

    return typing.cast(F, checked)
