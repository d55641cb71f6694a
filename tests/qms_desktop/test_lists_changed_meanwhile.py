"""Editors that save several rows at once (the 5 whys, a duty card, a period of readings, a
RACI letter, the risk matrix, a satisfaction result) refuse a save over rows someone else
changed since the form read them: who and when, nothing written. A save that writes
nothing of theirs still goes through."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import (
    clock,
    db,
    feedback,
    kpis,
    nonconformities,
    raci,
    records,
    responsibilities,
    risks,
)
from qms_desktop.errors import RecordChanged
from qms_desktop.models import (
    ChangeHistory,
    DutyAssignment,
    Kpi,
    Nonconformity,
    Person,
    Process,
    Risk,
    Role,
    SatisfactionResult,
    WhyStep,
)

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
TOLD = dt.date(2024, 2, 1)
PERIOD = dt.date(2026, 1, 1)  # a month over both now and at MORNING


def _nc_with_whys(*answers: str) -> Nonconformity:
    nc = nonconformities.create_nonconformity("Scratched panels", dt.date(2025, 2, 3),
                                              today=dt.date(2025, 6, 30))
    nonconformities.set_why_chain(nc, list(answers))
    return nc


def _stored(nc: Nonconformity) -> list[str]:
    return [s.answer for s in nonconformities.why_chain(nc)]


def _by_maria(save: object) -> None:
    with clock.stopped_at(MORNING), records.history_as(who="Maria Khan"):
        save()  # type: ignore[operator]


def test_a_why_changed_meanwhile_refuses_my_change_of_it(store: db.Store) -> None:
    nc = _nc_with_whys("Rubbed in transit", "No separators")
    mine = nonconformities.why_chain(nc)
    _by_maria(lambda: nonconformities.set_why_chain(nc, ["Rubbed in transit", "Box too small"]))
    entries = ChangeHistory.select().count()

    with clock.stopped_at(MORNING + dt.timedelta(minutes=5)), \
            pytest.raises(RecordChanged) as refused:
        nonconformities.set_why_chain(nc, ["Rubbed on the truck", "Separators ran out"],
                                      read=mine)

    assert refused.value.message == "Changed by Maria Khan at 10:42 UTC since you opened it."
    assert _stored(nc) == ["Rubbed in transit", "Box too small"]
    assert ChangeHistory.select().count() == entries
    # The form's copies still say what it read, so after a Reload the next save lands.
    assert [s.row_version for s in mine] == [0, 0]
    nonconformities.set_why_chain(nc, ["Rubbed on the truck", "Box too small"],
                                  read=nonconformities.why_chain(nc))
    assert _stored(nc) == ["Rubbed on the truck", "Box too small"]


def test_removing_a_why_changed_meanwhile_is_refused(store: db.Store) -> None:
    nc = _nc_with_whys("Rubbed in transit", "No separators", "Supplier out of stock")
    mine = nonconformities.why_chain(nc)
    _by_maria(lambda: nonconformities.set_why_chain(
        nc, ["Rubbed in transit", "No separators", "Ordered too late"]))
    with pytest.raises(RecordChanged, match="Maria Khan"):
        nonconformities.set_why_chain(nc, ["Rubbed in transit", "No separators"], read=mine)
    assert _stored(nc) == ["Rubbed in transit", "No separators", "Ordered too late"]


def test_a_why_added_meanwhile_is_not_written_over(store: db.Store) -> None:
    nc = _nc_with_whys("Rubbed in transit")
    mine = nonconformities.why_chain(nc)
    _by_maria(lambda: nonconformities.set_why_chain(nc, ["Rubbed in transit", "No separators"]))
    with pytest.raises(RecordChanged, match="Changed by Maria Khan"):
        nonconformities.set_why_chain(nc, ["Rubbed in transit", "Driver braked hard"], read=mine)
    assert _stored(nc) == ["Rubbed in transit", "No separators"]


def test_a_chain_cleared_meanwhile_refuses_an_edit(store: db.Store) -> None:
    nc = _nc_with_whys("Rubbed in transit", "No separators")
    mine = nonconformities.why_chain(nc)
    _by_maria(lambda: nonconformities.set_why_chain(nc, []))
    with pytest.raises(RecordChanged):
        nonconformities.set_why_chain(nc, ["Rubbed in transit", "Separators ran out"],
                                      read=mine)
    assert _stored(nc) == []


def test_a_save_that_writes_nothing_of_theirs_goes_through(store: db.Store) -> None:
    nc = _nc_with_whys("Rubbed in transit", "No separators", "Supplier out of stock")
    mine = nonconformities.why_chain(nc)
    _by_maria(lambda: nonconformities.set_why_chain(
        nc, ["Rubbed in transit", "No separators", "Ordered too late"]))
    # I changed why 1 only: their why 3 stays, mine lands.
    nonconformities.set_why_chain(
        nc, ["Rubbed on the truck", "No separators", "Supplier out of stock"], read=mine)
    assert _stored(nc) == ["Rubbed on the truck", "No separators", "Ordered too late"]


def test_without_what_was_read_the_chain_is_replaced_as_before(store: db.Store) -> None:
    nc = _nc_with_whys("a", "b", "c")
    nonconformities.set_why_chain(nc, ["b"])
    assert _stored(nc) == ["b"]
    assert WhyStep.select().where(WhyStep.nonconformity == nc).count() == 3


# --- Duty cards ---------------------------------------------------------------------------------


def _duty(key: str) -> responsibilities.DutyStatus:
    return next(s for s in responsibilities.duty_statuses() if s.duty.key == key)


def _holder(key: str) -> str:
    found = responsibilities.assignment(key)
    return "" if found is None or found.person is None else found.person.full_name


def test_a_duty_given_to_someone_else_meanwhile_is_not_written_over(store: db.Store) -> None:
    ann, bea, cai = (records.create(Person, full_name=n) for n in ("Ann", "Bea", "Cai"))
    responsibilities.assign_duty("conformity", person=ann, communicated_on=TOLD)
    shown = _duty("conformity")
    _by_maria(lambda: responsibilities.assign_duty("conformity", person=bea,
                                                   communicated_on=TOLD))
    entries = ChangeHistory.select().count()

    with clock.stopped_at(MORNING + dt.timedelta(minutes=5)), \
            pytest.raises(RecordChanged) as refused:
        responsibilities.assign_duty("conformity", person=cai, communicated_on=TOLD,
                                     read=shown)

    assert refused.value.message == "Changed by Maria Khan at 10:42 UTC since you opened it."
    assert _holder("conformity") == "Bea"
    assert ChangeHistory.select().count() == entries
    # Read again (a Reload), the same choice saves over theirs.
    responsibilities.assign_duty("conformity", person=cai, communicated_on=TOLD,
                                 read=_duty("conformity"))
    assert _holder("conformity") == "Cai"


def test_only_the_date_changed_meanwhile_still_refuses_a_new_holder(store: db.Store) -> None:
    ann, bea = (records.create(Person, full_name=n) for n in ("Ann", "Bea"))
    responsibilities.assign_duty("conformity", person=ann)
    shown = _duty("conformity")
    _by_maria(lambda: responsibilities.assign_duty("conformity", person=ann,
                                                   communicated_on=TOLD))
    with pytest.raises(RecordChanged):
        responsibilities.assign_duty("conformity", person=bea, read=shown)
    stored = responsibilities.assignment("conformity")
    assert stored is not None and stored.communicated_on == TOLD and _holder("conformity") == "Ann"


def test_a_duty_assigned_meanwhile_where_the_card_showed_none(store: db.Store) -> None:
    ann, bea = (records.create(Person, full_name=n) for n in ("Ann", "Bea"))
    shown = _duty("reporting")
    _by_maria(lambda: responsibilities.assign_duty("reporting", person=ann))
    with pytest.raises(RecordChanged, match="Maria Khan"):
        responsibilities.assign_duty("reporting", person=bea, read=shown)
    assert _holder("reporting") == "Ann"
    assert DutyAssignment.select().where(DutyAssignment.duty == "reporting").count() == 1


def test_clearing_a_duty_changed_meanwhile_is_refused(store: db.Store) -> None:
    ann, bea = (records.create(Person, full_name=n) for n in ("Ann", "Bea"))
    responsibilities.assign_duty("conformity", person=ann)
    shown = _duty("conformity")
    _by_maria(lambda: responsibilities.assign_duty("conformity", person=bea))
    with pytest.raises(RecordChanged):
        responsibilities.assign_duty("conformity", read=shown)
    assert _holder("conformity") == "Bea"


def test_another_duty_changed_meanwhile_does_not_stop_mine(store: db.Store) -> None:
    ann, bea = (records.create(Person, full_name=n) for n in ("Ann", "Bea"))
    responsibilities.assign_duty("conformity", person=ann)
    shown = _duty("reporting")
    _by_maria(lambda: responsibilities.assign_duty("conformity", person=bea))
    responsibilities.assign_duty("reporting", person=ann, communicated_on=TOLD, read=shown)
    assert (_holder("conformity"), _holder("reporting")) == ("Bea", "Ann")


# --- A period of KPI readings -----------------------------------------------------------------


def _kpis() -> tuple[Kpi, Kpi]:
    return (records.create(Kpi, name="On time", target=95.0, frequency="monthly"),
            records.create(Kpi, name="Yield", target=98.0, frequency="monthly"))


def test_a_reading_changed_meanwhile_is_not_written_over(store: db.Store) -> None:
    on_time, _yield = _kpis()
    period = PERIOD
    kpis.save_reading(on_time, period, 91.0)
    _by_maria(lambda: kpis.save_period(period, {on_time.id: 93.0}, read={on_time.id: 91.0}))
    entries = ChangeHistory.select().count()

    with pytest.raises(RecordChanged, match="Changed by Maria Khan"):
        kpis.save_period(period, {on_time.id: 96.0, _yield.id: 97.0},
                         read={on_time.id: 91.0, _yield.id: None})

    assert kpis.readings_of(on_time) == {period: 93.0}
    assert kpis.readings_of(_yield) == {}
    assert ChangeHistory.select().count() == entries


def test_a_reading_entered_or_cleared_meanwhile_refuses_mine(store: db.Store) -> None:
    on_time, _yield = _kpis()
    period = PERIOD
    kpis.save_reading(_yield, period, 97.0)
    _by_maria(lambda: kpis.save_period(period, {on_time.id: 93.0, _yield.id: None}))
    with pytest.raises(RecordChanged):
        kpis.save_period(period, {on_time.id: 96.0}, read={on_time.id: None})
    with pytest.raises(RecordChanged):
        kpis.save_period(period, {_yield.id: 98.0}, read={_yield.id: 97.0})
    assert (kpis.readings_of(on_time), kpis.readings_of(_yield)) == ({period: 93.0}, {})


def test_a_reading_of_another_kpi_changed_meanwhile_does_not_stop_mine(
        store: db.Store) -> None:
    on_time, _yield = _kpis()
    period = PERIOD
    _by_maria(lambda: kpis.save_period(period, {on_time.id: 93.0}))
    kpis.save_period(period, {_yield.id: 97.5}, read={_yield.id: None})
    assert (kpis.readings_of(on_time), kpis.readings_of(_yield)) == (
        {period: 93.0}, {period: 97.5})


# --- RACI letters -----------------------------------------------------------------------------


def _letters(process: Process) -> dict[str, str]:
    return {r.title: raci.load().letter(process.id, r.id) for r in Role.select()}


def test_a_raci_letter_changed_meanwhile_is_not_written_over(store: db.Store) -> None:
    sales = records.create(Process, name="Sales")
    buyer, director = (records.create(Role, title=t) for t in ("Buyer", "Director"))
    raci.set_letter(sales, buyer, "C")
    _by_maria(lambda: raci.set_letter(sales, buyer, "I", read="C"))
    with pytest.raises(RecordChanged, match="Changed by Maria Khan"):
        raci.set_letter(sales, buyer, "R", read="C")
    with pytest.raises(RecordChanged):
        raci.set_letter(sales, buyer, "", read="C")  # nor cleared
    assert _letters(sales) == {"Buyer": "I", "Director": ""}
    # Another cell of the same row still takes its letter.
    raci.set_letter(sales, director, "A", read="")
    assert _letters(sales) == {"Buyer": "I", "Director": "A"}


def test_a_raci_letter_put_or_cleared_meanwhile_refuses_mine(store: db.Store) -> None:
    sales = records.create(Process, name="Sales")
    buyer, director = (records.create(Role, title=t) for t in ("Buyer", "Director"))
    raci.set_letter(sales, director, "C")
    _by_maria(lambda: (raci.set_letter(sales, buyer, "R"), raci.set_letter(sales, director, "")))
    with pytest.raises(RecordChanged):
        raci.set_letter(sales, buyer, "C", read="")
    with pytest.raises(RecordChanged):
        raci.set_letter(sales, director, "I", read="C")
    assert _letters(sales) == {"Buyer": "R", "Director": ""}


def test_moving_the_a_demotes_only_the_role_agreed_to(store: db.Store) -> None:
    sales = records.create(Process, name="Sales")
    buyer, director, stores = (records.create(Role, title=t)
                               for t in ("Buyer", "Director", "Stores"))
    raci.set_letter(sales, director, "A")
    _by_maria(lambda: raci.set_letter(sales, buyer, "A", move_accountable=True))
    # I agreed to make the Director Responsible; the Buyer holds the A by now.
    with pytest.raises(RecordChanged, match="Changed by Maria Khan"):
        raci.set_letter(sales, stores, "A", move_accountable=True, read="", demoting=director)
    assert _letters(sales) == {"Buyer": "A", "Director": "R", "Stores": ""}
    raci.set_letter(sales, stores, "A", move_accountable=True, read="", demoting=buyer)
    assert _letters(sales) == {"Buyer": "R", "Director": "R", "Stores": "A"}


# --- The risk matrix ----------------------------------------------------------------------------


def test_a_risk_matrix_saved_meanwhile_is_not_replaced_nor_scores_mapped_twice(
        store: db.Store) -> None:
    risk = records.create(Risk, title="Supplier fails", likelihood=5, impact=4)
    mine = risks.load_matrix()
    _by_maria(lambda: risks.save_matrix(risks.RiskMatrix.default(4), read=mine))
    entries = ChangeHistory.select().count()

    with pytest.raises(RecordChanged, match="Changed by Maria Khan"):
        risks.save_matrix(risks.RiskMatrix.default(3), read=mine)

    assert risks.load_matrix().size == 4
    stored = Risk.get_by_id(risk.id)
    assert (stored.likelihood, stored.impact) == (4, 3)  # mapped once, from 5 to 4
    assert ChangeHistory.select().count() == entries
    # Read again, the same choice is saved over theirs and maps from their size.
    risks.save_matrix(risks.RiskMatrix.default(3), read=risks.load_matrix())
    stored = Risk.get_by_id(risk.id)
    assert (risks.load_matrix().size, stored.likelihood, stored.impact) == (3, 3, 2)


# --- Satisfaction results -----------------------------------------------------------------------


def _listed() -> list[SatisfactionResult]:
    return list(SatisfactionResult.live())


def test_a_satisfaction_result_changed_or_entered_meanwhile_is_not_replaced(
        store: db.Store) -> None:
    january, february = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    feedback.record_satisfaction(january, 7.0, 40)
    listed = _listed()
    _by_maria(lambda: (feedback.record_satisfaction(january, 8.0, 41),
                       feedback.record_satisfaction(february, 6.0, 30)))
    entries = ChangeHistory.select().count()

    with pytest.raises(RecordChanged, match="Changed by Maria Khan"):
        feedback.record_satisfaction(january, 7.5, 42, read=listed)
    with pytest.raises(RecordChanged, match="Changed by Maria Khan"):
        feedback.record_satisfaction(february, 5.0, 20, read=listed)  # listed none for Feb

    assert [(p.score, p.responses) for p in feedback.satisfaction_trend()] == [(8.0, 41),
                                                                              (6.0, 30)]
    assert ChangeHistory.select().count() == entries
    # Another month goes through; read again, January is replaced.
    feedback.record_satisfaction(dt.date(2025, 3, 1), 9.0, 10, read=listed)
    feedback.record_satisfaction(january, 7.5, 42, read=_listed())
    assert [p.score for p in feedback.satisfaction_trend()] == [7.5, 6.0, 9.0]
