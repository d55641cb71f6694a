"""The five duties (5.3) and handing responsibilities over when someone leaves (6.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import records, responsibilities
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    Action,
    DutyAssignment,
    Kpi,
    Objective,
    Person,
    PersonRole,
    Process,
    RaciCell,
    Resource,
    Risk,
    Role,
)

TOLD = dt.date(2024, 2, 1)
LEFT = dt.date(2024, 6, 30)


def person(name: str) -> Person:
    return records.create(Person, full_name=name)


def member(someone: Person, role: Role) -> PersonRole:
    return records.create(PersonRole, person=someone, role=role)


def status(key: str) -> responsibilities.DutyStatus:
    return next(s for s in responsibilities.duty_statuses() if s.duty.key == key)


def reload(record):
    return type(record).get_by_id(record.id)


# --- The five duties ------------------------------------------------------------------------


def test_all_five_duties_are_gaps_on_an_empty_database(store):
    gaps = responsibilities.duty_gaps()
    assert len(gaps) == 5
    assert [s.duty.clause for s in responsibilities.duty_statuses()] == [
        "5.3 a", "5.3 b", "5.3 c", "5.3 d", "5.3 e"
    ]
    assert "5.3 d: nobody is assigned to promote customer focus." in gaps
    assert all(s.assignment is None and s.holder == "" for s in
               responsibilities.duty_statuses())


def test_a_duty_given_to_a_person_with_a_date_is_no_gap(store):
    ada = person("Ada")
    made = responsibilities.assign_duty("customer_focus", person=ada, communicated_on=TOLD)
    found = status("customer_focus")
    assert found.gap == ""
    assert not found.is_gap
    assert found.holder == "Ada"
    assert found.assignment.id == made.id
    assert len(responsibilities.duty_gaps()) == 4


def test_a_duty_without_its_communication_date_is_a_gap(store):
    ada = person("Ada")
    responsibilities.assign_duty("reporting", person=ada)
    gap = status("reporting").gap
    assert gap.startswith("5.3 c: Ada was given this duty")
    assert "communicated is not recorded" in gap


def test_a_duty_held_by_someone_who_left_is_a_gap(store):
    ada = person("Ada")
    responsibilities.assign_duty("conformity", person=ada, communicated_on=TOLD)
    records.update(ada, active=False, left_on=LEFT)
    assert status("conformity").gap == "5.3 a: Ada has left; assign someone else."

    bea = person("Bea")
    responsibilities.assign_duty("process_outputs", person=bea, communicated_on=TOLD)
    records.archive(bea)
    assert "Bea has left" in status("process_outputs").gap


def test_a_duty_given_to_a_role(store):
    role = records.create(Role, title="Quality manager")
    responsibilities.assign_duty("conformity", role=role, communicated_on=TOLD)
    found = status("conformity")
    assert found.gap == "5.3 a: the role Quality manager has nobody in it."
    assert found.holder == "Quality manager (nobody)"

    ada = person("Ada")
    link = member(ada, role)
    found = status("conformity")
    assert found.gap == ""
    assert found.holder == "Quality manager (Ada)"

    records.update(ada, active=False, left_on=LEFT)
    assert "has nobody in it" in status("conformity").gap
    records.update(ada, active=True, left_on=None)
    records.archive(link)
    assert "has nobody in it" in status("conformity").gap


def test_a_role_duty_without_a_date_is_a_gap(store):
    role = records.create(Role, title="Sales lead")
    member(person("Cy"), role)
    responsibilities.assign_duty("customer_focus", role=role)
    assert "communicated is not recorded" in status("customer_focus").gap


def test_person_and_role_together_are_refused(store):
    role = records.create(Role, title="Owner")
    with pytest.raises(ValidationError) as caught:
        responsibilities.assign_duty("conformity", person=person("Ada"), role=role)
    assert "holder" in caught.value.problems
    assert DutyAssignment.select().count() == 0


def test_unknown_duty_and_future_date_are_refused(store):
    with pytest.raises(ValueError, match="no duty"):
        responsibilities.assign_duty("make_coffee", person=person("Ada"))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        responsibilities.assign_duty("conformity", person=person("Bea"), communicated_on=tomorrow)
    assert DutyAssignment.select().count() == 0


def test_reassigning_updates_the_one_assignment(store):
    ada, bea = person("Ada"), person("Bea")
    first = responsibilities.assign_duty("conformity", person=ada, communicated_on=TOLD)
    second = responsibilities.assign_duty("conformity", person=bea, communicated_on=TOLD)
    assert second.id == first.id
    assert reload(first).person_id == bea.id
    role = records.create(Role, title="QM")
    responsibilities.assign_duty("conformity", role=role, communicated_on=TOLD)
    stored = reload(first)
    assert stored.person_id is None and stored.role_id == role.id
    assert DutyAssignment.select().count() == 1


def test_unassigning_archives_the_assignment(store):
    ada = person("Ada")
    made = responsibilities.assign_duty("conformity", person=ada, communicated_on=TOLD)
    assert responsibilities.assign_duty("conformity") is None
    assert reload(made).archived_at is not None
    assert responsibilities.assignment("conformity") is None
    assert status("conformity").gap.startswith("5.3 a: nobody is assigned")
    assert [h.operation for h in records.history_of(made)] == ["create", "archive"]
    # Unassigning what is not assigned does nothing.
    assert responsibilities.assign_duty("reporting") is None
    assert DutyAssignment.select().count() == 1


# --- What a person answers for --------------------------------------------------------------


def _everything_for(someone: Person) -> dict[str, records.Record]:
    role = records.create(Role, title="Quality manager")
    process = records.create(Process, name="Purchasing", owner=someone)
    objective = records.create(Objective, title="Fewer late deliveries", owner=someone)
    return {
        "duty": responsibilities.assign_duty("conformity", person=someone, communicated_on=TOLD),
        "role_link": member(someone, role),
        "role": role,
        "process": process,
        "objective": objective,
        "kpi": records.create(Kpi, name="On-time delivery", owner=someone),
        "risk": records.create(Risk, title="Sole supplier", owner=someone),
        "resource": records.create(Resource, kind="measuring", name="Caliper", owner=someone),
        "open_action": records.create(Action, title="Find a second supplier", owner=someone),
        "done_action": records.create(Action, title="Old task", owner=someone, status="done"),
        "raci": records.create(RaciCell, process=process, role=role, letter="A"),
    }


def test_responsibilities_of_lists_everything_a_person_answers_for(store):
    ada = person("Ada")
    made = _everything_for(ada)
    found = responsibilities.responsibilities_of(ada)

    by_kind = {}
    for item in found:
        by_kind.setdefault(item.kind, []).append(item)
    assert set(by_kind) == {
        "Duty (5.3)", "Role", "Process", "Objective", "KPI", "Risk or opportunity",
        "Resource", "Open action",
    }
    assert by_kind["Duty (5.3)"][0].description == "The quality system meets ISO 9001"
    assert by_kind["Role"][0].description == (
        "Quality manager — the only holder; the role has 1 RACI entry"
    )
    assert by_kind["Process"][0].description == "Purchasing"
    assert by_kind["Open action"][0].record.id == made["open_action"].id
    assert len(by_kind["Open action"]) == 1  # the done action is not listed
    assert all(len(items) == 1 for items in by_kind.values())
    assert len({item.key for item in found}) == len(found)


def test_role_note_names_other_holders_and_counts_entries(store):
    ada, bea = person("Ada"), person("Bea")
    role = records.create(Role, title="Supervisor")
    member(ada, role)
    member(bea, role)
    for name in ("Cutting", "Packing"):
        process = records.create(Process, name=name)
        records.create(RaciCell, process=process, role=role, letter="R")
    [item] = responsibilities.responsibilities_of(ada)
    assert item.description == "Supervisor; the role has 2 RACI entries"


def test_archived_things_are_not_listed(store):
    ada = person("Ada")
    process = records.create(Process, name="Old process", owner=ada)
    records.archive(process)
    records.archive(records.create(Action, title="Archived", owner=ada))
    assert responsibilities.responsibilities_of(ada) == []


# --- Handing over -------------------------------------------------------------------------


def test_hand_over_moves_everything_to_the_default_successor(store):
    ada, bea = person("Ada"), person("Bea")
    made = _everything_for(ada)
    count = len(responsibilities.responsibilities_of(ada))

    moved = responsibilities.hand_over(ada, {}, bea, LEFT)

    assert moved == count
    assert responsibilities.responsibilities_of(ada) == []
    leaver = reload(ada)
    assert leaver.active is False
    assert leaver.left_on == LEFT
    for key in ("process", "objective", "kpi", "risk", "resource", "open_action"):
        assert reload(made[key]).owner_id == bea.id, key
    assert reload(made["done_action"]).owner_id == ada.id  # history stays as it was
    assert reload(made["duty"]).person_id == bea.id
    assert reload(made["role_link"]).archived_at is not None
    assert responsibilities.role_holders(made["role"]) == [reload(bea)]
    assert reload(made["raci"]).archived_at is None  # the matrix belongs to the role


def test_a_handed_over_duty_must_be_communicated_to_the_successor(store):
    ada, bea = person("Ada"), person("Bea")
    responsibilities.assign_duty("customer_focus", person=ada, communicated_on=TOLD)
    responsibilities.hand_over(ada, {}, bea, LEFT)
    found = status("customer_focus")
    assert found.holder == "Bea"
    assert "communicated is not recorded" in found.gap


def test_hand_over_to_several_successors(store):
    ada, bea, cy = person("Ada"), person("Bea"), person("Cy")
    process = records.create(Process, name="Sales", owner=ada)
    risk = records.create(Risk, title="Price war", owner=ada)
    items = {i.record.id: i for i in responsibilities.responsibilities_of(ada)}

    responsibilities.hand_over(ada, {items[risk.id].key: cy}, bea, LEFT)

    assert reload(process).owner_id == bea.id
    assert reload(risk).owner_id == cy.id


def test_hand_over_without_default_needs_every_successor(store):
    ada, bea = person("Ada"), person("Bea")
    process = records.create(Process, name="Sales", owner=ada)
    risk = records.create(Risk, title="Price war", owner=ada)
    items = {i.record.id: i for i in responsibilities.responsibilities_of(ada)}

    with pytest.raises(ValidationError) as caught:
        responsibilities.hand_over(ada, {items[process.id].key: bea}, None, LEFT)
    assert "Price war" in caught.value.problems["successor"]
    assert reload(process).owner_id == ada.id
    assert reload(risk).owner_id == ada.id
    assert reload(ada).active is True
    assert reload(ada).left_on is None

    responsibilities.hand_over(
        ada, {items[process.id].key: bea, items[risk.id].key: bea}, None, LEFT
    )
    assert reload(risk).owner_id == bea.id


def test_the_leaver_cannot_be_their_own_successor(store):
    ada, bea = person("Ada"), person("Bea")
    process = records.create(Process, name="Sales", owner=ada)
    risk = records.create(Risk, title="Price war", owner=ada)
    items = {i.record.id: i for i in responsibilities.responsibilities_of(ada)}

    with pytest.raises(ValidationError, match="cannot take over"):
        responsibilities.hand_over(ada, {items[risk.id].key: ada}, bea, LEFT)
    with pytest.raises(ValidationError, match="cannot take over"):
        responsibilities.hand_over(ada, {}, ada, LEFT)
    assert reload(process).owner_id == ada.id
    assert reload(risk).owner_id == ada.id
    assert reload(ada).active is True


def test_role_membership_is_not_doubled_when_the_successor_has_the_role(store):
    ada, bea = person("Ada"), person("Bea")
    role = records.create(Role, title="Supervisor")
    member(ada, role)
    member(bea, role)
    responsibilities.hand_over(ada, {}, bea, LEFT)
    current = PersonRole.select().where(
        (PersonRole.role == role) & PersonRole.archived_at.is_null()
    )
    assert [link.person_id for link in current] == [bea.id]


def test_someone_with_nothing_can_leave_without_a_successor(store):
    ada = person("Ada")
    assert responsibilities.hand_over(ada, {}, None, LEFT) == 0
    assert reload(ada).active is False
    assert reload(ada).left_on == LEFT


def test_roles_are_given_and_taken_back_with_history(store) -> None:
    from qms_desktop import records, responsibilities
    from qms_desktop.models import ChangeHistory, Person, PersonRole, Role

    person = records.create(Person, full_name="Meera Iyer")
    director = records.create(Role, title="Managing Director", is_top_management=True)
    quality = records.create(Role, title="Quality Manager")
    responsibilities.set_role(person, director, True)
    responsibilities.set_role(person, quality, True)
    responsibilities.set_role(person, quality, True)  # twice changes nothing
    assert [r.title for r in responsibilities.roles_of(person)] == [
        "Managing Director", "Quality Manager"]
    from qms_desktop import policy

    assert policy.is_top_management(person)
    responsibilities.set_role(person, director, False)
    assert not policy.is_top_management(person)
    responsibilities.set_role(person, director, True)  # given back: the same link restored
    assert PersonRole.select().where(PersonRole.role == director).count() == 1
    links = [link.id for link in PersonRole.select()]
    operations = [h.operation for h in ChangeHistory.select().where(
        ChangeHistory.record_id.in_(links)).order_by(ChangeHistory.id)]
    assert operations == ["create", "create", "archive", "restore"]
