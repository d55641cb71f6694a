"""The nonconformity and feedback registers: columns, filters, and saving through services."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import actions, feedback, nonconformities, records, registers
from qms_desktop.errors import ValidationError
from qms_desktop.improvement_registers import (
    FEEDBACK,
    IMPROVEMENT_REGISTERS,
    NONCONFORMITIES,
)
from qms_desktop.models import Nonconformity, Person, Process
from qms_desktop.registers import Query

# Two days ahead is "the future" even if the run crosses midnight after this is read.
TODAY = dt.date.today()


def _cells(register: registers.Register, filter_key: str = "") -> list[tuple[str, ...]]:
    return [row.cells for row in registers.fetch_page(register, Query(filter_key=filter_key))]


def test_declarations_resolve_against_their_models(store: object) -> None:
    for register in IMPROVEMENT_REGISTERS:
        assert registers.column_labels(register)
        assert registers.edit_fields(register)
        for path in register.search:
            assert path in [c.path for c in register.columns]
        for choice in register.filters:
            registers.count(register, Query(filter_key=choice.key))  # each builds a query
    assert registers.column_labels(NONCONFORMITIES) == [
        "Reference", "Title", "Raised", "Source", "Process", "Severity", "Status"
    ]
    assert {f.key for f in NONCONFORMITIES.filters} >= {
        "open", "closed", "overdue_actions", "source_complaint", "source_audit"
    }
    assert {f.key for f in FEEDBACK.filters} >= {"open_complaints", "complaint", "compliment"}


def test_feedback_severity_offers_no_second_empty_choice(store: object) -> None:
    severity = next(f for f in registers.edit_fields(FEEDBACK) if f.name == "severity")
    assert [key for key, _label in severity.choices] == ["minor", "major", "critical"]
    assert not severity.required and severity.default == ""  # the form adds "— none —"


def test_a_new_nonconformity_gets_its_reference_through_the_service(store: object) -> None:
    process = records.create(Process, name="Packing")
    person = records.create(Person, full_name="Ada Lovelace")
    values = {"title": "Wrong label", "raised_on": TODAY, "source": "audit",
              "process": process.id, "severity": "major", "reported_by": person.id,
              "description": "Batch 42", "correction": "", "containment": ""}
    nc = registers.save(NONCONFORMITIES, None, values)
    assert isinstance(nc, Nonconformity)
    assert nc.reference == f"NC-{TODAY.year}-001"
    assert nc.process_id == process.id and nc.reported_by_id == person.id
    second = registers.save(NONCONFORMITIES, None, {**values, "title": "Another"})
    assert second.reference == f"NC-{TODAY.year}-002"
    rows = _cells(NONCONFORMITIES)
    assert rows[0][:4] == (f"NC-{TODAY.year}-001", "Wrong label", str(TODAY), "Audit finding")
    assert rows[0][4:] == ("Packing", "Major", "Open")


def test_changes_go_through_the_service_checks(store: object) -> None:
    nc = nonconformities.create_nonconformity("Late delivery", TODAY)
    with pytest.raises(ValidationError) as raised:
        registers.save(NONCONFORMITIES, nc, {**registers.form_values(NONCONFORMITIES, nc),
                                             "raised_on": TODAY + dt.timedelta(days=3)})
    assert "raised_on" in raised.value.problems
    saved = registers.save(NONCONFORMITIES, nc, {**registers.form_values(NONCONFORMITIES, nc),
                                                 "process": ""})
    assert saved.reference == nc.reference and saved.process_id is None


def test_nonconformity_filters(store: object) -> None:
    late = nonconformities.create_nonconformity("Late", TODAY - dt.timedelta(days=20), "complaint")
    nonconformities.raise_action(late, "Call the carrier", None, TODAY - dt.timedelta(days=1))
    on_time = nonconformities.create_nonconformity("Due today", TODAY, "audit")
    nonconformities.raise_action(on_time, "Fix", None, TODAY)
    done = nonconformities.create_nonconformity("Done", TODAY - dt.timedelta(days=9))
    nonconformities.close(done, TODAY, reason="Duplicate of another report")

    def titles(key: str) -> set[str]:
        return {cells[1] for cells in _cells(NONCONFORMITIES, key)}

    assert titles("open") == {"Late", "Due today"}
    assert titles("closed") == {"Done"}
    assert titles("overdue_actions") == {"Late"}
    assert titles("source_complaint") == {"Late"}
    assert titles("source_internal") == {"Done"}
    action = actions.actions_for(late)[0]
    actions.complete(action, TODAY, "Carrier changed")
    assert titles("overdue_actions") == set()


def test_feedback_is_recorded_through_the_service(store: object) -> None:
    values = {"kind": "complaint", "customer": "Acme", "received_on": TODAY,
              "product": "Pump", "severity": "major", "description": "Wrong label"}
    item = registers.save(FEEDBACK, None, values)
    assert item.customer == "Acme"
    with pytest.raises(ValidationError) as raised:
        registers.save(FEEDBACK, None, {**values, "received_on": TODAY + dt.timedelta(days=2)})
    assert "received_on" in raised.value.problems
    nc = feedback.raise_nonconformity(item)
    praise = registers.save(FEEDBACK, None, {**values, "kind": "compliment", "severity": ""})
    feedback.close(praise, "Thanked them", TODAY)
    rows = {cells[1] + cells[0]: cells for cells in _cells(FEEDBACK)}
    assert rows["AcmeComplaint"][5:] == ("Open", nc.reference, item.reference)
    assert rows["AcmeCompliment"][5] == "Closed"
    assert [c[0] for c in _cells(FEEDBACK, "open_complaints")] == ["Complaint"]
    assert [c[0] for c in _cells(FEEDBACK, "compliment")] == ["Compliment"]
    assert len(_cells(FEEDBACK, "open")) == 1
