"""The field rules (qms_desktop.fields), applied to every write by records.create/update.

Each case of issue 11 that was stored before (a reading of 'abc', active='no', a date typed
as '31/12/2020', money of 1.5...) is refused with a ValidationError naming the field, and
nothing is stored. Hypothesis then throws arbitrary values at the rules.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qms_desktop import actions, db, fields, kpis, records
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    ALL_MODELS,
    Action,
    ChangeHistory,
    Kpi,
    Person,
    Reading,
    ResourceRequest,
    Site,
    SupplierEvaluation,
)

TODAY = dt.date.today()
LAST_MONTH = kpis.last_complete_period("monthly", TODAY)


def _kpi() -> Kpi:
    return records.create(Kpi, name="On-time delivery", unit="%", target=95.0,
                          warning_threshold=90.0, failure_threshold=85.0)


def _counts() -> tuple[int, int]:
    return sum(m.select().count() for m in ALL_MODELS if m is not ChangeHistory), \
        ChangeHistory.select().count()


def _refused(call: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)
    assert _counts() == before, "nothing is stored when a rule is broken"
    return refused.value.problems


# --- The cases the issue found ------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", math.inf, -math.inf, math.nan, "95", [95], 1e16])
def test_a_kpi_reading_must_be_a_finite_number(store: db.Store, value: Any) -> None:
    kpi = _kpi()
    problems = _refused(kpis.save_reading, kpi, LAST_MONTH, value)
    assert list(problems) == ["value"]
    kpis.save_reading(kpi, LAST_MONTH, 0)  # zero is a reading, not a missing one
    assert kpis.readings_of(kpi) == {LAST_MONTH: 0.0}


def test_a_kpi_target_of_nan_is_refused_not_stored_as_empty(store: db.Store) -> None:
    kpi = _kpi()
    problems = _refused(records.update, kpi, target=math.nan)
    assert "Target" in problems["target"]
    assert Kpi.get_by_id(kpi.id).target == 95.0


@pytest.mark.parametrize("value", ["no", "yes", 1, 0, "False", None])
def test_a_boolean_is_true_or_false_only(store: db.Store, value: Any) -> None:
    # 0 and 1 too: whoever reads a spreadsheet's words decides what they mean.
    problems = _refused(records.create, Person, full_name="Asha Rao", active=value)
    assert problems["active"].startswith("Active:")
    person = records.create(Person, full_name="Asha Rao", active=False)
    assert Person.get_by_id(person.id).active is False


@pytest.mark.parametrize("value", ["31/12/2020", "2020-12-31", dt.date(1, 1, 1),
                                   dt.date(9999, 12, 31), dt.date(1899, 12, 31),
                                   dt.date(2101, 1, 1), dt.datetime(2020, 12, 31, 8, 0)])
def test_a_date_is_a_real_date_from_1900_to_2100(store: db.Store, value: Any) -> None:
    problems = _refused(records.create, Person, full_name="Asha Rao", left_on=value)
    assert "Left on" in problems["left_on"]


def test_the_first_and_last_days_of_the_range_are_dates(store: db.Store) -> None:
    for day in (dt.date(1900, 1, 1), dt.date(2100, 12, 31)):
        person = records.create(Person, full_name="Asha Rao", left_on=day)
        assert Person.get_by_id(person.id).left_on == day


def _request(amount: Any) -> ResourceRequest:
    return records.create(ResourceRequest, title="Second gauge", currency="EUR",
                          requested_on=TODAY, amount_minor=amount)


@pytest.mark.parametrize("amount", [1.5, 2**63 - 1, 2**63, 10**30, 10**15 + 1, -1, "100",
                                    True, math.nan])
def test_money_is_whole_minor_units_within_what_every_database_holds(
    store: db.Store, amount: Any
) -> None:
    problems = _refused(_request, amount)
    assert list(problems) == ["amount_minor"]


def test_the_largest_amount_is_stored_exactly(store: db.Store) -> None:
    request = _request(10**15)
    assert ResourceRequest.get_by_id(request.id).amount_minor == 10**15


def test_a_title_has_one_limit_on_every_path(store: db.Store) -> None:
    long_title = "x" * 1_000_000
    assert "at most 200" in _refused(actions.raise_improvement, long_title, None, TODAY)["title"]
    assert "at most 200" in _refused(records.create, Action, title=long_title)["title"]
    assert "at most 200" in _refused(records.create, Action, title="y" * 201)["title"]
    assert records.create(Action, title="y" * 200).title == "y" * 200


@pytest.mark.parametrize("text", ["a\x00b", "bell\x07", "esc\x1b[0m", "del\x7f", "c1\x85",
                                  "tab\tin a line", "two\nlines", "\ud800"])
def test_single_line_text_refuses_control_characters(store: db.Store, text: str) -> None:
    problems = _refused(records.create, Site, name=text)
    assert problems["name"].startswith("Site:")


def test_multi_line_text_keeps_line_breaks_and_tabs_but_never_nul(store: db.Store) -> None:
    site = records.create(Site, name="Main", address="1 Quay\r\nDock 4\r\tGate B")
    assert Site.get_by_id(site.id).address == "1 Quay\nDock 4\n\tGate B"
    _refused(records.create, Site, name="Main", address="1 Quay\x00")
    _refused(records.update, site, address="bell\x07")


def test_text_is_stored_trimmed(store: db.Store) -> None:
    site = records.create(Site, name="  Main site  ", address="\n  Quay 1  \n")
    stored = Site.get_by_id(site.id)
    assert (stored.name, stored.address) == ("Main site", "Quay 1")
    _refused(records.create, Site, name="   ")  # a required name is not blank


def test_a_number_column_refuses_text_and_a_range_is_kept(store: db.Store) -> None:
    supplier_fields = {"evaluated_on": TODAY, "delivery": 3, "price": 3, "responsiveness": 3}
    supplier = records.create(fields.rule_for(SupplierEvaluation.supplier).link_model,
                              name="Acme")
    for quality in (0, 6, "4", 4.0, 1.5):
        problems = _refused(records.create, SupplierEvaluation, supplier=supplier,
                            quality=quality, **supplier_fields)
        assert list(problems) == ["quality"]
    records.create(SupplierEvaluation, supplier=supplier, quality=5, **supplier_fields)


def test_a_link_points_at_an_existing_record_of_its_kind(store: db.Store) -> None:
    kpi = _kpi()
    person = records.create(Person, full_name="Asha Rao")
    _refused(records.create, Reading, kpi="no-such-id", period_start=LAST_MONTH, value=1.0)
    _refused(records.create, Reading, kpi=person, period_start=LAST_MONTH, value=1.0)
    records.create(Reading, kpi=kpi.id, period_start=LAST_MONTH, value=1.0)


def test_a_duplicate_of_a_unique_pair_is_a_validation_error(store: db.Store) -> None:
    kpi = _kpi()
    records.create(Reading, kpi=kpi, period_start=LAST_MONTH, value=1.0)
    problems = _refused(records.create, Reading, kpi=kpi, period_start=LAST_MONTH, value=2.0)
    assert "already" in problems["period_start"]


def test_an_unknown_field_and_a_missing_required_one_are_named(store: db.Store) -> None:
    problems = _refused(records.create, Site, name="Main", colour="blue")
    assert list(problems) == ["colour"]
    assert "name" in _refused(records.create, Site, address="Quay 1")


def test_every_column_of_every_table_has_a_rule() -> None:
    for model in ALL_MODELS:
        rules = fields.rules_of(model)
        for name, model_field in model._meta.fields.items():
            if name in rules:
                assert rules[name].label  # problems name the field as users read it
            else:
                assert model_field.__class__.__name__ == "AutoField"


def test_a_service_argument_of_the_wrong_type_is_a_validation_error(store: db.Store) -> None:
    kpi = _kpi()
    for period in ("2020-12-31", dt.date(1, 1, 1), None):
        problems = _refused(kpis.save_reading, kpi, period, 1.0)
        assert list(problems) == ["period"]
    assert list(_refused(kpis.save_reading, "not a KPI", LAST_MONTH, 1.0)) == ["kpi"]


# --- Hypothesis: whatever the value, a rule keeps it or refuses it ----------------------------

ANY_VALUE = st.one_of(
    st.text(),
    st.floats(),
    st.integers(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=20),
    st.none(),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([f for m in ALL_MODELS for f in m._meta.sorted_fields
                        if f.name in fields.rules_of(m) and fields.rule_for(f).kind != "link"]),
       ANY_VALUE)
def test_a_rule_refuses_with_a_validation_error_or_keeps_a_valid_value(
    model_field: Any, value: Any
) -> None:
    rule = fields.rule_for(model_field)
    try:
        kept = rule.clean(value)
    except ValidationError as refused:
        assert list(refused.problems) == [model_field.name]
        return
    if kept is None:
        assert not rule.required
        return
    assert fields._check(rule, kept, stored=True)[0] == ""
    if isinstance(kept, float):
        assert math.isfinite(kept) and abs(kept) <= fields.LARGEST_NUMBER
    if isinstance(kept, str):
        assert kept == kept.strip() and "\x00" not in kept
        assert rule.max_length is None or len(kept) <= rule.max_length
    if rule.kind in ("date", "datetime"):
        day = kept if rule.kind == "date" else kept.date()
        assert fields.EARLIEST_DATE <= day <= fields.LATEST_DATE


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=250), address=st.text(max_size=300))
def test_stored_text_reads_back_as_the_rule_kept_it(store: db.Store, name: str,
                                                    address: str) -> None:
    try:
        site = records.create(Site, name=name, address=address)
    except ValidationError:
        return
    stored = Site.get_by_id(site.id)
    assert stored.name == name.strip()
    assert stored.address == address.replace("\r\n", "\n").replace("\r", "\n").strip()
    assert fields.broken_rules(stored) == {}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.floats(), st.integers(), st.text(max_size=5)))
def test_a_reading_is_stored_exactly_or_refused(store: db.Store, value: Any) -> None:
    kpi = Kpi.get_or_none(Kpi.name == "Fuzzed") or records.create(Kpi, name="Fuzzed")
    try:
        kpis.save_reading(kpi, LAST_MONTH, value)
    except ValidationError:
        return
    assert kpis.readings_of(kpi)[LAST_MONTH] == float(value)


@pytest.mark.parametrize(("field", "value"), [
    ("name", 5), ("name", "x" * 201), ("name", "Acme\x00"), ("sites", ["Main", b"yard"]),
    ("sites", "Main"), ("currency", ["EUR"]), ("edition", None), ("user_name", 1.5),
])
def test_the_first_run_set_up_names_a_wrong_value(store: db.Store, field: str,
                                                  value: Any) -> None:
    from qms_desktop import organisation

    setup = organisation.OrganisationSetup(name="Acme", sites=["Main"], user_name="Asha")
    setattr(setup, field, value)
    problems = _refused(organisation.set_up, setup)
    assert list(problems) == [field]
