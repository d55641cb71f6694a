"""Internal audits (9.2): programme, impartiality, checklists, completion, findings to NCs."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import audits, checklist_templates, records
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    Audit,
    ChecklistTemplate,
    Finding,
    Nonconformity,
    Person,
    PersonRole,
    Process,
    RaciCell,
    Role,
)

TODAY = dt.date(2025, 6, 30)
HELD = dt.date(2025, 6, 12)


def person(name: str) -> Person:
    return records.create(Person, full_name=name)


def template(questions: int = 3) -> ChecklistTemplate:
    made = checklist_templates.create_template("Purchasing walk-through", "8.4")
    for i in range(1, questions + 1):
        checklist_templates.add_question(made, f"Question {i}?", f"Look for {i}")
    return made


def reload(record):
    return type(record).get_by_id(record.id)


# --- Programme and impartiality --------------------------------------------------------------


def test_plan_audit_and_programme_by_year(store):
    later = audits.plan_audit("Stores", dt.date(2025, 9, 1), clause="8.5").audit
    earlier = audits.plan_audit("Leadership", dt.date(2025, 2, 1), clause="5.1").audit
    audits.plan_audit("Last year", dt.date(2024, 11, 1))
    assert audits.programme(2025) == [earlier, later]
    assert audits.uncovered_clauses(2025) == ["4", "6", "7", "9", "10"]
    with pytest.raises(ValidationError) as caught:
        audits.plan_audit(" ", None)
    assert set(caught.value.problems) == {"title", "planned_on"}


def test_an_auditor_owning_the_process_gets_a_warning_not_a_refusal(store):
    ada = person("Ada Byrne")
    purchasing = records.create(Process, name="Purchasing", owner=ada)
    plan = audits.plan_audit("Purchasing audit", dt.date(2025, 5, 1), process=purchasing,
                             auditor=ada)
    assert Audit.select().count() == 1
    assert len(plan.warnings) == 1
    assert "Ada Byrne owns the process Purchasing" in plan.warnings[0]
    assert audits.impartiality_problem(plan.audit) == plan.warnings[0]
    bob = person("Bob")
    changed = audits.update_audit(plan.audit, auditor=bob)
    assert changed.warnings == []
    assert audits.impartiality_problem(reload(plan.audit)) is None
    back = audits.update_audit(reload(plan.audit), auditor=ada)
    assert back.warnings and reload(plan.audit).auditor == ada


def test_an_auditor_accountable_in_the_raci_gets_a_warning(store):
    cy = person("Cy")
    buyer = records.create(Role, title="Buyer")
    records.create(PersonRole, person=cy, role=buyer)
    purchasing = records.create(Process, name="Purchasing")
    records.create(RaciCell, process=purchasing, role=buyer, letter="A")
    plan = audits.plan_audit("Purchasing", dt.date(2025, 5, 1), process=purchasing, auditor=cy)
    assert "accountable for Purchasing" in plan.warnings[0]
    informed = person("Di")
    reader = records.create(Role, title="Reader")
    records.create(PersonRole, person=informed, role=reader)
    records.create(RaciCell, process=purchasing, role=reader, letter="I")
    assert audits.update_audit(plan.audit, auditor=informed).warnings == []


# --- Checklist into audit, answer, complete ---------------------------------------------------


def test_copy_template_answer_all_and_complete(store):
    checklist = template(3)
    audit = audits.plan_audit("Purchasing", dt.date(2025, 6, 12)).audit
    created = audits.copy_template_into_audit(checklist, audit)
    assert [(f.position, f.clause, f.question, f.guidance, f.outcome) for f in created] == [
        (1, "8.4", "Question 1?", "Look for 1", ""),
        (2, "8.4", "Question 2?", "Look for 2", ""),
        (3, "8.4", "Question 3?", "Look for 3", ""),
    ]
    assert audits.results(audit)[""] == 3
    # Copying again adds nothing that is already there.
    assert audits.copy_template_into_audit(checklist, audit) == []

    first, second, third = audits.findings(audit)
    audits.answer(first, "conforms")
    assert reload(audit).status == "in_progress"
    with pytest.raises(ValidationError) as caught:
        audits.complete_audit(reload(audit), HELD, "All fine", today=TODAY)
    assert "2 questions not answered yet (Q2, Q3)" in caught.value.problems["findings"]
    assert reload(audit).status == "in_progress"

    audits.answer(second, "minor", "Two orders without approval")
    audits.answer(third, "not_applicable")
    audits.complete_audit(reload(audit), HELD, "One minor finding", today=TODAY)
    stored = reload(audit)
    assert (stored.status, stored.held_on, stored.summary) == ("done", HELD,
                                                               "One minor finding")
    assert audits.results(stored) == {"": 0, "conforms": 1, "minor": 1, "major": 0,
                                      "observation": 0, "opportunity": 0,
                                      "not_applicable": 1}
    with pytest.raises(ValidationError):
        audits.answer(reload(first), "major", "changed my mind")


def test_answers_are_validated(store):
    audit = audits.plan_audit("Stores", dt.date(2025, 6, 1)).audit
    finding = audits.add_question(audit, "Are bins labelled?", "8.5")
    with pytest.raises(ValidationError):
        audits.answer(finding, "maybe")
    with pytest.raises(ValidationError) as caught:
        audits.answer(finding, "major", " ")
    assert "notes" in caught.value.problems
    assert reload(finding).outcome == ""


def test_complete_needs_a_summary_and_a_past_date(store):
    audit = audits.plan_audit("Stores", dt.date(2025, 6, 1)).audit
    with pytest.raises(ValidationError) as caught:
        audits.complete_audit(audit, dt.date(2025, 7, 1), "", today=TODAY)
    assert set(caught.value.problems) == {"held_on", "summary"}


def test_a_starter_template_copies_into_an_audit(store):
    checklist_templates.install_starter_templates()
    leadership = ChecklistTemplate.get(ChecklistTemplate.clause == "5")
    audit = audits.plan_audit("Leadership", dt.date(2025, 6, 1)).audit
    created = audits.copy_template_into_audit(leadership, audit)
    assert len(created) == len(checklist_templates.questions_of(leadership))
    assert all(f.guidance and f.question and f.clause.startswith("5") for f in created)


# --- Finding to nonconformity ----------------------------------------------------------------


@pytest.fixture
def answered_audit(store):
    ada = person("Ada")
    stores = records.create(Process, name="Stores")
    audit = audits.plan_audit("Stores", dt.date(2025, 6, 1), process=stores, auditor=ada).audit
    made = {}
    for outcome in ("major", "minor", "conforms", "not_applicable", "observation"):
        finding = audits.add_question(audit, f"Question for {outcome}", "8.5")
        notes = "" if outcome in ("conforms", "not_applicable") else f"Seen: {outcome}"
        made[outcome] = audits.answer(finding, outcome, notes)
    audits.complete_audit(reload(audit), HELD, "Done", today=TODAY)
    return audit, made


def test_a_major_finding_raises_a_linked_nc_in_one_step(answered_audit):
    audit, made = answered_audit
    nc = audits.raise_nonconformity(made["major"], today=TODAY)
    nc = Nonconformity.get_by_id(nc.id)
    assert (nc.source, nc.severity, nc.process, nc.raised_on) == (
        "audit", "major", audit.process, HELD)
    assert nc.reported_by == audit.auditor
    assert nc.title == "Audit 8.5: Seen: major"
    assert "Question for major" in nc.description
    assert reload(made["major"]).nonconformity == nc
    minor = audits.raise_nonconformity(made["minor"], today=TODAY)
    assert minor.severity == "minor"


def test_raising_is_refused_for_conforming_and_na_and_twice(answered_audit):
    _, made = answered_audit
    for outcome in ("conforms", "not_applicable", "observation"):
        with pytest.raises(ValidationError):
            audits.raise_nonconformity(made[outcome], today=TODAY)
    assert Nonconformity.select().count() == 0
    audits.raise_nonconformity(made["major"], today=TODAY)
    with pytest.raises(ValidationError) as caught:
        audits.raise_nonconformity(reload(made["major"]), today=TODAY)
    assert "NC-2025-001" in caught.value.problems["nonconformity"]
    assert Nonconformity.select().count() == 1
    assert Finding.select().where(Finding.nonconformity.is_null(False)).count() == 1


# --- Starter checklist templates ---------------------------------------------------------------


def test_one_starter_template_per_clause_4_to_10(store):
    created = checklist_templates.install_starter_templates()
    assert sorted(int(t.clause) for t in created) == list(range(4, 11))
    for made in created:
        questions = checklist_templates.questions_of(made)
        assert 5 <= len(questions) <= 8, made.name
        assert [q.position for q in questions] == list(range(1, len(questions) + 1))
        for q in questions:
            assert q.question.strip().endswith("?")
            assert len(q.guidance) > 30
            assert q.clause.split(".")[0] == made.clause


def test_installing_starter_templates_is_idempotent(store):
    first = checklist_templates.install_starter_templates()
    records.archive(first[0])
    renamed = first[1]
    records.update(renamed, name="Our leadership checklist")
    again = checklist_templates.install_starter_templates()
    # Only the renamed one is missing by name; the archived one stays retired.
    assert [t.clause for t in again] == [renamed.clause]
    assert checklist_templates.install_starter_templates() == []
    assert ChecklistTemplate.select().count() == 8
