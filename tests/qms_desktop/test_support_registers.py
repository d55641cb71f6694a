"""The support registers' declarations read and write real rows, without a window."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import actions, competence, nonconformities, records, registers, suppliers
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    Document,
    DocumentVersion,
    Person,
    Role,
    Supplier,
    TrainingRecord,
)
from qms_desktop.registers import Query
from qms_desktop.support_registers import (
    ACTION_TRACKER,
    COMPETENCES,
    DOCUMENTS,
    SOURCE_SCREENS,
    SOURCE_TABLES,
    SUPPLIERS,
    SUPPORT_REGISTERS,
    TRAINING_RECORDS,
    raised_from_text,
)

# Two days ahead is "the future" even if the run crosses midnight after this is read.
TODAY = dt.date.today()


def cells(register, **query) -> list[tuple[str, ...]]:
    return [row.cells for row in registers.fetch_page(register, Query(**query))]


def column(register, name: str) -> int:
    return [c.path for c in register.columns].index(name)


@pytest.mark.parametrize("register", SUPPORT_REGISTERS, ids=lambda r: r.key)
def test_every_declaration_resolves_and_lists_an_empty_database(store, register):
    assert len(registers.column_labels(register)) == len(register.columns)
    assert registers.edit_fields(register)
    for choice in ("", *(f.key for f in register.filters)):
        assert registers.count(register, Query(filter_key=choice, search="x")) == 0


def test_every_source_has_a_screen_and_a_human_label():
    assert set(SOURCE_TABLES) == set(SOURCE_SCREENS)
    for table in SOURCE_TABLES:
        label = actions.register_label(table)
        assert "_" not in label and label[0].isupper()


def test_tracker_shows_where_an_action_came_from_and_when_it_was_first_due(store):
    ada = records.create(Person, full_name="Ada Lovelace")
    problem = nonconformities.create_nonconformity("Wrong label", TODAY - dt.timedelta(days=3))
    moved = actions.raise_action(problem, "Relabel stock", ada, TODAY)
    actions.reschedule(moved, TODAY + dt.timedelta(days=5), "Labels on order")
    actions.raise_improvement("Tidy the stores", None, TODAY)
    rows = {row[0]: row for row in cells(ACTION_TRACKER)}
    relabel = rows["Relabel stock"]
    assert relabel[1] == "Ada Lovelace"
    assert relabel[column(ACTION_TRACKER, "moved_from")] == TODAY.isoformat()
    assert relabel[column(ACTION_TRACKER, "raised_from")] == f"Nonconformity {problem.reference}"
    tidy = rows["Tidy the stores"]
    assert tidy[column(ACTION_TRACKER, "moved_from")] == ""
    assert tidy[column(ACTION_TRACKER, "raised_from")] == "Raised here"
    assert raised_from_text("risk:gone") == "Risk (record not found)"


def test_raise_improvement_needs_a_title_and_a_date(store):
    with pytest.raises(ValidationError) as caught:
        actions.raise_improvement(" ", None, None)
    assert set(caught.value.problems) == {"title", "due_on"}


def test_supplier_register_shows_the_latest_score_and_filters_those_due(store):
    new = registers.save(SUPPLIERS, None, {"name": "Acme Castings", "criticality": "high",
                                           "approval": "approved", "provides": "", "contact": ""})
    assert isinstance(new, Supplier)
    good = suppliers.add_supplier("Brightline", approval="approved")
    suppliers.evaluate(good, TODAY - dt.timedelta(days=10), 4, 4, 5, 3)
    rows = {row[0]: row for row in cells(SUPPLIERS)}
    score = column(SUPPLIERS, "latest_score")
    assert rows["Brightline"][score] == "4.00"
    assert rows["Acme Castings"][score] == "Not evaluated"
    assert [r[0] for r in cells(SUPPLIERS, filter_key="due")] == ["Acme Castings"]
    assert {r.supplier.name for r in suppliers.due_for_reevaluation(TODAY)} == {"Acme Castings"}


def test_new_supplier_goes_through_the_service_rules(store):
    with pytest.raises(ValidationError) as caught:
        registers.save(SUPPLIERS, None, {"name": "X", "criticality": "extreme"})
    assert "criticality" in caught.value.problems


def test_documents_show_the_version_in_force_and_filter_overdue_reviews(store):
    owner = records.create(Person, full_name="Grace Hopper")
    manual = records.create(Document, kind="procedure", reference="QP-01", title="Purchasing",
                            owner=owner, review_due_on=TODAY - dt.timedelta(days=1))
    records.create(DocumentVersion, document=manual, number=1, status="approved",
                   approved_by=owner, approved_at=dt.datetime(2025, 1, 2, 9, 0))
    records.create(DocumentVersion, document=manual, number=2, status="draft")
    records.create(Document, kind="record", reference="R-01", title="Calibration log",
                   review_due_on=TODAY + dt.timedelta(days=30))
    rows = {row[0]: row for row in cells(DOCUMENTS)}
    assert rows["QP-01"][column(DOCUMENTS, "current_version")] == "v1 · Approved"
    assert rows["QP-01"][column(DOCUMENTS, "approved")] == "Grace Hopper on 2025-01-02"
    assert rows["R-01"][column(DOCUMENTS, "current_version")] == "No version yet"
    assert [r[0] for r in cells(DOCUMENTS, filter_key="review_overdue")] == ["QP-01"]
    assert [r[0] for r in cells(DOCUMENTS, filter_key="records")] == ["R-01"]
    assert [r[0] for r in cells(DOCUMENTS, filter_key="documents")] == ["QP-01"]


def test_training_records_are_made_by_record_training(store):
    welder = records.create(Role, title="Welder")
    weld = competence.require_competence(welder, "Weld inspection", renew_every_months=12)
    ada = records.create(Person, full_name="Ada")
    made = registers.save(TRAINING_RECORDS, None, {
        "person": ada.id, "competence": weld.id, "title": "Weld course", "kind": "training",
        "completed_on": dt.date(2025, 1, 31), "expires_on": None, "provider": "",
        "evidence": "",
    })
    assert TrainingRecord.get_by_id(made.id).expires_on == dt.date(2026, 1, 31)
    with pytest.raises(ValidationError) as caught:
        registers.save(TRAINING_RECORDS, made, {
            "person": ada.id, "title": "Weld course", "kind": "training",
            "completed_on": TODAY + dt.timedelta(days=2)})
    assert "completed_on" in caught.value.problems


def test_competences_are_required_through_the_service(store):
    role = records.create(Role, title="Driver")
    made = registers.save(COMPETENCES, None, {"role": role.id, "name": "Forklift licence",
                                              "description": "", "renew_every_months": 36})
    assert competence.required_by_role(role) == [made]
    with pytest.raises(ValidationError):
        registers.save(COMPETENCES, None, {"role": role.id, "name": "X",
                                           "renew_every_months": 0})
    assert cells(COMPETENCES)[0][:3] == ("Driver", "Forklift licence", "36")
