"""Every public service function called with wrong types, sizes and values.

The spreadsheet import, team mode and the command line call the same services as the
window, with whatever a file or a person gives them. Whatever comes in, a service either
does its job or refuses with ValidationError; nothing else escapes, and nothing it stores
breaks a field rule (`qms_desktop.fields`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import inspect
import math
import pkgutil
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qms_desktop
from qms_desktop import (
    actions,
    attachments,
    audit_kit,
    audits,
    checklist_templates,
    competence,
    context,
    db,
    feedback,
    fields,
    improvement_registers,
    kpis,
    nonconformities,
    organisation,
    packs,
    policy,
    raci,
    readiness,
    records,
    resources,
    responsibilities,
    review_inputs,
    reviews,
    risks,
    suppliers,
)
from qms_desktop.errors import EnvironmentProblem, ValidationError
from qms_desktop.models import (
    MODELS_BY_TABLE,
    Audit,
    ChangeHistory,
    DocumentVersion,
    Kpi,
    ManagementReview,
    Nonconformity,
    Person,
    Record,
    Risk,
    Setting,
    database,
)
from qms_desktop.sample import fill_sample

# The modules whose public functions the window, the command line, the import and team mode
# call. A module that writes records must be listed here or in NOT_SERVICES (a test checks).
SERVICE_MODULES = (
    actions,
    attachments,
    audit_kit,
    audits,
    checklist_templates,
    competence,
    context,
    feedback,
    improvement_registers,
    kpis,
    nonconformities,
    organisation,
    packs,
    policy,
    raci,
    readiness,
    resources,
    responsibilities,
    review_inputs,
    reviews,
    risks,
    suppliers,
)
NOT_SERVICES = {
    # The write path itself: its rules are tested field by field in test_field_rules.
    "qms_desktop.records": "the write path",
    # Registers save through records or a service; every register's save is fuzzed below.
    "qms_desktop.registers": "fuzzed per register below",
    # The sample company writes its own fixed tables; test_demo checks what it builds.
    "qms_desktop.sample": "sample generator",
    "qms_desktop.sample.data": "sample generator",
    "qms_desktop.sample.events": "sample generator",
    "qms_desktop.sample.timeline": "sample generator",
    "qms_desktop.sample.writer": "sample generator",
    # The import writes through records.create_many / update after checking every cell by the
    # field rules; test_import fuzzes it with generated workbooks and damaged files.
    "qms_desktop.importing.plan": "fuzzed by test_import with generated workbooks",
    # Accounts exist only on a server (a file has no sign-in), and these tests run on files;
    # test_accounts refuses bad logins, roles, passwords and types on a real server.
    "qms_desktop.accounts": "server only; bad input tested in test_accounts",
}

# Exceptions a service may raise by design besides ValidationError and the environment
# problems; each is documented where it is raised.
ALLOWED = (
    ValidationError,
    EnvironmentProblem,
    # reviews.find_review: the command line's "no review matches" (LookupError, exit 2).
    LookupError,
)

BAD_VALUES: tuple[Any, ...] = (
    "abc",
    "",
    "   ",
    "x" * 1_000_000,
    "a\x00b",
    "bell\x07",
    "line\nbreak",
    "\ud800",
    "31/12/2020",
    "no",
    "2020-12-31",
    math.nan,
    math.inf,
    -math.inf,
    1.5,
    -1,
    0,
    10**6,
    10**15,
    2**63,
    10**30,
    True,
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.datetime(2020, 1, 1, 12, 0),
    None,
    [],
    ["abc"],
    {},
    {"abc": 1},
    b"abc",
    object(),
)

# Hypothesis adds values nobody thought of to the fixed list above.
GENERATED_VALUES = st.one_of(
    st.text(max_size=300),
    st.floats(),
    st.integers(),
    st.booleans(),
    st.dates(),
    st.binary(max_size=50),
    st.lists(st.text(max_size=5), max_size=3),
    st.none(),
)


def _public_functions(module: Any) -> list[Callable[..., Any]]:
    return [
        function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and function.__module__ == module.__name__
    ]


FUNCTIONS = [f for m in SERVICE_MODULES for f in _public_functions(m)]

WRITES = re.compile(r"records\.(create|update|archive|unarchive|set_setting)\(")


def test_every_module_that_writes_is_fuzzed() -> None:
    listed = {m.__name__ for m in SERVICE_MODULES} | set(NOT_SERVICES)
    writers = set()
    for info in pkgutil.walk_packages(qms_desktop.__path__, "qms_desktop."):
        module = importlib.import_module(info.name)
        source = inspect.getsource(module) if not info.ispkg else ""
        if WRITES.search(source):
            writers.add(info.name)
    assert writers - listed == set(), "list these in SERVICE_MODULES or NOT_SERVICES"


RAW_WRITE = re.compile(r"\b[A-Z][A-Za-z]+\.(update|insert|insert_many|delete|replace|create)\("
                       r"|\.save\(|\.delete_instance\(|execute_sql\(")


def test_services_write_only_through_records() -> None:
    # So the history rows scanned after each call below see every row a service wrote.
    raw = {m.__name__: RAW_WRITE.findall(inspect.getsource(m)) for m in SERVICE_MODULES}
    assert {name: found for name, found in raw.items() if found} == {}


def test_every_public_service_function_checks_its_arguments() -> None:
    unchecked = [f"{f.__module__}.{f.__name__}" for f in FUNCTIONS
                 if not getattr(f, "__wrapped__", None)]
    assert unchecked == []


# --- A small company to point at ------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "sample.db"
    with db.open_database(path):
        records.set_setting(records.USER_NAME_KEY, "Fuzz Tester")
        fill_sample("small", seed=3)
    return path


@pytest.fixture
def sample(sample_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # Functions that write files (attachments.save_copy) write here, never beside the tests.
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "qms.db"
    shutil.copyfile(sample_file, path)
    with db.open_database(path):
        yield tmp_path


def _first(model: type[Record]) -> Record | None:
    return model.select().where(model.archived_at.is_null()).order_by(model.id).first()


TEXT_BY_NAME = {
    "kind": "risk",
    "outcome": "conforms",
    "status": "open",
    "letter": "R",
    "code": "a",
    "currency": "EUR",
    "frequency": "monthly",
    "decision": "approved",
    "verdict": "effective",
    "method": "meeting",
    "category": "method",
    "criticality": "high",
    "duty_key": "customer_focus",
    "table_name": "risk",
    "point": "appropriate",
    "selector": "latest",
    "edition": "2015",
    "fmt": "pdf",
    "result": "pass",
    "approval": "approved",
    "locale": "en_US",
    "snapshot_json": "{}",
}


def _valid(name: str, annotation: Any, function: Callable[..., Any], folder: Path) -> Any:
    """A value that fits parameter `name`: a real record, a date, a plausible word."""
    if isinstance(annotation, str):
        try:
            annotation = eval(annotation, inspect.unwrap(function).__globals__)
        except Exception:  # a name only the type checker sees
            annotation = Any
    options = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
    if type(None) in getattr(annotation, "__args__", ()) and name in ("query", "readiness"):
        return None
    if options and getattr(annotation, "__origin__", None) is None:
        annotation = options[0]  # X | None: an X
    origin = getattr(annotation, "__origin__", None)
    if name == "file":
        return b"evidence"
    if name == "path":
        return folder / "copy.bin"
    if name == "person_ids":
        return [p.id for p in Person.select().limit(2)]
    if name == "successors":
        return {}
    if name == "values" and function is kpis.save_period:
        return {k.id: 5.0 for k in Kpi.select().limit(2)}
    if name == "period" and function.__module__ == "qms_desktop.review_inputs":
        return review_inputs.period_of(_first(ManagementReview))
    if name in ("matrix",):
        return risks.load_matrix()
    if name == "setup":
        return organisation.OrganisationSetup(name="Fuzz Ltd", sites=["Main site"])
    if name in ("render",):
        return lambda _data: b"%PDF-1.4 fuzz"
    if name in ("snapshot",):
        return lambda _head: "{}"
    if annotation is type or origin is type:
        return Risk
    if isinstance(annotation, type) and issubclass(annotation, Record):
        model = Risk if annotation is Record else annotation
        return _first(model)
    if annotation is dt.datetime:
        return dt.datetime.now().replace(microsecond=0)
    if annotation is dt.date:
        return dt.date.today()
    if annotation is bool:
        return False
    if annotation is int:
        return dt.date.today().year if name == "year" else 3
    if annotation is float:
        return 4.0
    if annotation is str:
        return TEXT_BY_NAME.get(name, "Fuzzed text")
    if origin is list:
        return ["Because the check was skipped"] if name == "answers" else ["R", "A"]
    if origin is dict:
        return {}
    return None


FIELDS_OF_KEYWORDS = {
    "update_audit": Audit,
    "update_nonconformity": Nonconformity,
    "update_details": ManagementReview,
    "put_in_force": DocumentVersion,
}


def _call(function: Callable[..., Any], arguments: dict[str, Any],
          keywords: dict[str, Any]) -> None:
    signature = inspect.signature(function)
    positional, named = [], {}
    for name, parameter in signature.parameters.items():
        if name not in arguments:
            continue
        if parameter.kind == parameter.KEYWORD_ONLY:
            named[name] = arguments[name]
        else:
            positional.append(arguments[name])
    with contextlib.suppress(*ALLOWED):
        function(*positional, **named, **keywords)


def _parameters(function: Callable[..., Any]) -> list[inspect.Parameter]:
    return [p for p in inspect.signature(function).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _broken_rows_since(entry: int) -> dict[str, dict[str, str]]:
    """Rules broken by the rows written since history entry `entry` and by any setting."""
    broken: dict[str, dict[str, str]] = {}
    touched = (ChangeHistory.select(ChangeHistory.table_name, ChangeHistory.record_id)
               .where(ChangeHistory.id > entry).distinct().tuples())
    for table, record_id in touched:
        model = MODELS_BY_TABLE.get(table)
        if model is None or model is Setting:
            continue
        row = model.get_or_none(model.id == record_id)
        if row is not None and (problems := fields.broken_rules(row)):
            broken[f"{table} {record_id}"] = problems
    for row in Setting.select():
        if problems := fields.broken_rules(row):
            broken[f"setting {row.key}"] = problems
    return broken


def _last_entry() -> int:
    return int(ChangeHistory.select(ChangeHistory.id).order_by(ChangeHistory.id.desc())
               .scalar() or 0)


def test_the_valid_arguments_are_real_records_and_values(sample: Path) -> None:
    # Without them every call would be refused for its first argument and test nothing.
    valid = {p.name: _valid(p.name, p.annotation, reviews.close_review, sample)
             for p in _parameters(reviews.close_review)}
    assert isinstance(valid["review"], ManagementReview)
    assert isinstance(valid["by"], Person)
    assert _valid("period", "dt.date", kpis.save_reading, sample) == dt.date.today()


@pytest.mark.parametrize("function", FUNCTIONS,
                         ids=[f"{f.__module__.split('.')[-1]}.{f.__name__}" for f in FUNCTIONS])
def test_wrong_arguments_are_refused_and_nothing_bad_is_stored(
    function: Callable[..., Any], sample: Path
) -> None:
    start = _last_entry()
    parameters = _parameters(function)
    valid = {p.name: _valid(p.name, p.annotation, function, sample) for p in parameters}
    keyword_model = FIELDS_OF_KEYWORDS.get(function.__name__)

    # Each parameter in turn gets each fixed bad value, the others staying valid.
    for parameter in parameters:
        for bad in BAD_VALUES:
            _call(function, {**valid, parameter.name: bad}, {})
    if keyword_model is not None:
        for name in fields.rules_of(keyword_model):
            for bad in BAD_VALUES:
                _call(function, valid, {name: bad})

    @settings(max_examples=4, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def generated(data: st.DataObject) -> None:
        arguments = dict(valid)
        keywords = {}
        if parameters:
            name = data.draw(st.sampled_from([p.name for p in parameters]))
            arguments[name] = data.draw(GENERATED_VALUES)
        if keyword_model is not None:
            name = data.draw(st.sampled_from(sorted(fields.rules_of(keyword_model))))
            keywords[name] = data.draw(GENERATED_VALUES)
        _call(function, arguments, keywords)

    generated()
    assert _broken_rows_since(start) == {}
    assert database.in_transaction() is False


# --- Registers: the generic form's save path ------------------------------------------------


def _all_registers() -> list[Any]:
    from qms_desktop import registers, resource_registers

    found: dict[str, Any] = {}
    for info in pkgutil.iter_modules(qms_desktop.__path__, "qms_desktop."):
        if not info.name.endswith("registers") and info.name != "qms_desktop.catalogue":
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            candidates = value if isinstance(value, tuple) else (value,)
            for candidate in candidates:
                if isinstance(candidate, registers.Register):
                    found.setdefault(candidate.key, candidate)
    for register in (resource_registers.resources_register(),
                     resource_registers.requests_register()):
        found.setdefault(register.key, register)
    return [found[k] for k in sorted(found)]


REGISTERS = _all_registers()


@pytest.mark.parametrize("register", REGISTERS, ids=[r.key for r in REGISTERS])
def test_a_register_form_refuses_wrong_values_and_stores_nothing_bad(
    register: Any, sample: Path
) -> None:
    from qms_desktop import registers

    start = _last_entry()
    existing = _first(register.model)
    names = [f.name for f in registers.edit_fields(register)]
    valid = registers.form_values(register, existing) if existing is not None else {}

    def save(values: dict[str, Any]) -> None:
        for record in (None, existing):
            if record is None and register.create is None and not values:
                continue
            with contextlib.suppress(*ALLOWED):
                registers.save(register, record, dict(values))

    for name in names:
        for bad in BAD_VALUES:
            save({**valid, name: bad})

    @settings(max_examples=4, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(names), GENERATED_VALUES)
    def generated(name: str, bad: Any) -> None:
        save({**valid, name: bad})

    generated()
    assert _broken_rows_since(start) == {}
