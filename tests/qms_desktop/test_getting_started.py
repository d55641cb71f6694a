"""The getting-started steps: in the auditor's order, each ticked from the records alone."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import (
    clock,
    context,
    db,
    getting_started,
    organisation,
    policy,
    raci,
    records,
    responsibilities,
    reviews,
)
from qms_desktop.clauses import DUTIES
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    Audit,
    ContextIssue,
    InterestedParty,
    Kpi,
    Objective,
    Person,
    Process,
    Risk,
    Role,
)

ORDER = ["people", "policy", "duties", "processes", "context", "risks", "objectives", "audit",
         "review"]


def _done() -> list[str]:
    return [s.key for s in getting_started.steps() if s.done]


def _step(key: str) -> getting_started.Step:
    return next(s for s in getting_started.steps() if s.key == key)


def _set_up(**extra: object) -> None:
    organisation.set_up(organisation.OrganisationSetup(
        name="Kestrel Fabrication", sites=["Main works"], currency="EUR",
        user_name="Maria Khan", **extra))  # type: ignore[arg-type]


def test_an_empty_system_has_every_step_open_in_the_auditors_order(store: db.Store) -> None:
    steps = getting_started.steps()
    assert [s.key for s in steps] == ORDER
    assert not any(s.done for s in steps)
    for step in steps:
        assert step.title and step.why and step.left and step.screen


def test_first_run_makes_the_owner_a_top_manager_with_the_starter_roles(
    store: db.Store,
) -> None:
    _set_up(owner_title="Managing Director",
            starter_roles=["Quality Manager", "Production Manager", "managing director"])

    owner = Person.get(Person.full_name == "Maria Khan")
    assert owner.job_title == "Managing Director"
    assert policy.is_top_management(owner)
    assert organisation.current_person() == owner
    titles = sorted(r.title for r in Role.live())
    # The owner's title is not made twice, whatever its case.
    assert titles == ["Managing Director", "Production Manager", "Quality Manager"]
    quality = Role.get(Role.title == "Quality Manager")
    assert quality.description and not quality.is_top_management
    assert records.history_of(owner)  # made through the records layer, with its history
    # Only the owner so far: the first step asks for the people who work with them.
    assert _step("people").left == "Only you are recorded: add the people who work with you."


def test_a_bad_title_is_refused_and_nothing_is_saved(store: db.Store) -> None:
    with pytest.raises(ValidationError) as refused:
        _set_up(owner_title="x" * 300)
    assert "owner_title" in refused.value.problems
    assert organisation.get_organisation() is None
    assert not Person.select().exists() and not Role.select().exists()
    with pytest.raises(ValidationError) as blank:
        _set_up(owner_title="Owner", starter_roles=["  "])
    assert blank.value.problems == {"starter_roles": "A role needs a title."}


def test_without_a_title_no_person_is_made(store: db.Store) -> None:
    _set_up()
    assert not Person.select().exists()
    assert _step("people").left.startswith("No role is marked top management")
    assert _step("people").screen == "roles"
    records.create(Role, title="Director", is_top_management=True)
    assert _step("people").left.startswith("Nobody holds a top-management role")
    assert _step("people").screen == "people"


def test_each_step_is_ticked_by_its_records_in_turn(store: db.Store) -> None:
    today = clock.today()
    _set_up(owner_title="Managing Director", starter_roles=["Quality Manager"])
    owner = Person.get(Person.full_name == "Maria Khan")
    quality = Role.get(Role.title == "Quality Manager")
    top = Role.get(Role.title == "Managing Director")

    ann = records.create(Person, full_name="Ann Lee")
    assert _step("people").left == "Give a role to Ann Lee."
    responsibilities.set_role(ann, quality, True)
    assert _done() == ["people"]

    version = policy.start_draft(policy.policy_document(), "We make parts right first time.")
    policy.approve(version, owner, confirm_unmet=True)
    assert _step("policy").left == "Record who has read it: 2 people have not acknowledged it yet."
    policy.acknowledge_all(version, [owner.id, ann.id], today)
    assert _done() == ["people", "policy"]

    for duty in DUTIES:
        responsibilities.assign_duty(duty.key, role=quality, communicated_on=today)
    assert _done() == ["people", "policy", "duties"]

    production = records.create(Process, name="Production")
    assert _step("processes").left == "Give an owner to Production."
    records.update(production, owner=ann)
    assert _step("processes").screen == "responsibilities"
    assert _step("processes").left.startswith("On the RACI matrix tab, give Production one A")
    raci.set_letter(production, quality, "R")
    assert "give Production one A" in _step("processes").left
    raci.set_letter(production, top, "A")
    assert _done()[-1] == "processes"

    records.create(ContextIssue, kind="external", category="market", title="Steel prices",
                   identified_on=today)
    assert "climate" in _step("context").left
    context.decide_climate(False, "Indoor machining only.", owner)
    records.create(InterestedParty, name="Customers", kind="customer")
    assert _step("context").screen == "scope"
    scope = context.start_scope_draft(context.scope_document())
    context.edit_scope_draft(scope, "Machined parts made at the main works.")
    context.add_scope_item(scope, "product", "Machined parts")
    context.approve_scope(scope, owner)
    assert _done()[-1] == "context"

    records.create(Risk, title="Late steel", kind="risk", likelihood=3, impact=4)
    assert _step("risks").left == "Record and rate an opportunity."
    records.create(Risk, title="New customer", kind="opportunity", likelihood=2, impact=3)
    assert _done()[-1] == "risks"

    objective = records.create(Objective, title="On-time delivery", owner=ann)
    assert _step("objectives").left == "Give an objective a KPI with a target."
    records.create(Kpi, name="OTD", unit="%", target=95, objective=objective)
    assert _done()[-1] == "objectives"

    audit = records.create(Audit, title="Production audit", planned_on=today)
    assert _step("audit").left.startswith("Run the audit you planned")
    records.update(audit, status="done", held_on=today)
    assert _done()[-1] == "audit"

    review = reviews.plan_review(today, chair=owner)
    assert _step("review").left.startswith("Send the draft pack")
    reviews.mark_held(review)
    assert _done() == ORDER


def test_archived_records_do_not_tick_a_step(store: db.Store) -> None:
    records.create(Risk, title="Late steel", kind="risk", likelihood=3, impact=4)
    opportunity = records.create(Risk, title="Export", kind="opportunity", likelihood=2,
                                 impact=2)
    assert _step("risks").done
    records.archive(opportunity)
    assert not _step("risks").done  # the risk alone is not enough


def test_an_unrated_risk_does_not_tick_the_step(store: db.Store) -> None:
    records.create(Risk, title="Late steel", kind="risk")
    records.create(Risk, title="Export", kind="opportunity")
    assert _step("risks").left == "Record and rate a risk and an opportunity."


def test_a_planned_review_is_not_yet_the_first_review(store: db.Store) -> None:
    reviews.plan_review(clock.today() + dt.timedelta(days=10))
    step = _step("review")
    assert not step.done
    assert step.left.startswith("Send the draft pack")


def fill_every_step(owner: Person) -> None:
    """Records that tick every step, made through the services (the window's tests use it)."""
    today = clock.today()
    top = records.create(Role, title="Director", is_top_management=True)
    quality = records.create(Role, title="Quality lead")
    responsibilities.set_role(owner, top, True)
    helper = records.create(Person, full_name="Ann Lee")
    responsibilities.set_role(helper, quality, True)
    version = policy.start_draft(policy.policy_document(), "We make parts right first time.")
    policy.approve(version, owner, confirm_unmet=True)
    policy.acknowledge_all(version, [owner.id, helper.id], today)
    for duty in DUTIES:
        responsibilities.assign_duty(duty.key, role=quality, communicated_on=today)
    production = records.create(Process, name="Production", owner=helper)
    raci.set_letter(production, quality, "R")
    raci.set_letter(production, top, "A")
    records.create(ContextIssue, kind="external", category="market", title="Steel prices",
                   identified_on=today)
    context.decide_climate(False, "Indoor machining only.", owner)
    records.create(InterestedParty, name="Customers", kind="customer")
    scope = context.start_scope_draft(context.scope_document())
    context.edit_scope_draft(scope, "Machined parts made at the main works.")
    context.add_scope_item(scope, "product", "Machined parts")
    context.approve_scope(scope, owner)
    records.create(Risk, title="Late steel", kind="risk", likelihood=3, impact=4)
    records.create(Risk, title="New customer", kind="opportunity", likelihood=2, impact=3)
    objective = records.create(Objective, title="On-time delivery", owner=helper)
    records.create(Kpi, name="OTD", unit="%", target=95, objective=objective)
    records.create(Audit, title="Production audit", planned_on=today, status="done",
                   held_on=today)
    reviews.mark_held(reviews.plan_review(today, chair=owner))


def test_the_helper_ticks_every_step(store: db.Store) -> None:
    fill_every_step(records.create(Person, full_name="Maria Khan"))
    assert _done() == ORDER
