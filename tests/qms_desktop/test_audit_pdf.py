"""The internal audit papers: the blank checklist for site and the report after."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from qms_desktop import attachments, audits, checklist_templates, db, organisation, records
from qms_desktop.models import Audit, ChecklistTemplate, Person, Process
from qms_desktop.reports.audit_pdf import write_audit_report, write_blank_checklist

GENERATED_AT = dt.datetime(2026, 3, 14, 9, 30)
HELD = dt.date(2026, 3, 12)


@pytest.fixture
def audit(store: db.Store) -> Audit:
    organisation.set_up(organisation.OrganisationSetup(
        name="Ñuñez & Łukasz Engineering", sites=["Kraków"], user_name="Test User"))
    ada = records.create(Person, full_name="Ada Łukasz")
    purchasing = records.create(Process, name="Purchasing", owner=ada)
    planned = audits.plan_audit("Performance evaluation", HELD, process=purchasing, clause="9",
                                auditor=records.create(Person, full_name="Bob Ng"),
                                scope="Head office", criteria="ISO 9001 clause 9").audit
    checklist_templates.install_starter_templates()
    audits.copy_template_into_audit(ChecklistTemplate.get(ChecklistTemplate.clause == "9"),
                                    planned)
    return planned


def _answer_all(audit: Audit) -> Any:
    found = audits.findings(audit)
    for finding in found:
        audits.answer(finding, "conforms")
    audits.answer(found[1], "minor", "2 of 5 purchase orders had no approval signature.")
    audits.answer(found[2], "observation", "Trend charts are a month behind.")
    attachments.attach(found[1], b"jpeg", "PO-1234 photo.jpg")
    nc = audits.raise_nonconformity(found[1], today=dt.date(2026, 3, 14))
    audits.complete_audit(audit, HELD, "Good control; purchase approvals need attention.",
                          today=dt.date(2026, 3, 14))
    return nc


def _pdf(write: Any, audit: Audit) -> bytes:
    buffer = io.BytesIO()
    write(buffer, audit, generated_at=GENERATED_AT)
    return buffer.getvalue()


def _text(data: bytes) -> str:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    return re.sub(r"\s+", " ", " ".join(pages))


def _fonts(data: bytes) -> Iterator[Any]:
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            yield font.get_object()


def _is_embedded(font: Any) -> bool:
    if font["/Subtype"] == "/Type0":
        return all(_is_embedded(d.get_object()) for d in font["/DescendantFonts"])
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2",
                                                           "/FontFile3"))


def _assert_only_embedded_dejavu(data: bytes) -> None:
    found = list(_fonts(data))
    assert found
    for font in found:
        name = str(font["/BaseFont"])
        assert "Helvetica" not in name
        assert "DejaVuSans" in name
        assert _is_embedded(font), f"{name} is not embedded"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_blank_checklist_has_every_question_tick_boxes_and_page_numbers(audit: Audit) -> None:
    data = _pdf(write_blank_checklist, audit)
    text = _text(data)
    assert "Internal audit checklist" in text
    assert "Ñuñez & Łukasz Engineering" in text
    assert "Performance evaluation" in text and "Bob Ng" in text
    assert "Purchasing · clause 9" in text
    for finding in audits.findings(audit):
        assert _words(finding.question)[:40] in text
        assert f"Clause {finding.clause}" in text
    first = audits.findings(audit)[0]
    assert "What to look for:" in text and _words(first.guidance)[:30] in text
    for label in ("Conforms", "Minor", "Major", "Observation", "Opportunity", "N/A"):
        assert label in text
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert "Page 1 of" in text and f"Page {pages} of {pages}" in text
    assert text.count("Ñuñez & Łukasz Engineering") >= pages  # the organisation on every page
    assert "Questions asked on the day" in text
    _assert_only_embedded_dejavu(data)
    assert data == _pdf(write_blank_checklist, audit)  # the same bytes for the same records


def test_blank_checklist_of_an_audit_without_questions_leaves_room_to_write(
    store: db.Store,
) -> None:
    empty = audits.plan_audit("Stores", HELD).audit
    text = _text(_pdf(write_blank_checklist, empty))
    assert "No checklist has been copied" in text
    assert "Q1" in text and "Page 1 of" in text


def test_audit_report_has_results_findings_nonconformities_and_evidence(audit: Audit) -> None:
    nc = _answer_all(audit)
    data = _pdf(write_audit_report, audit)
    text = _text(data)
    total = len(audits.findings(audit))
    assert "Internal audit report" in text
    assert "Good control; purchase approvals need attention." in text
    assert "Held on 12 March 2026" in text
    assert f"Questions in all {total}" in text
    assert f"Conforms {total - 2}" in text and "Minor nonconformity 1" in text
    assert "Major nonconformity 0" in text
    assert "2 of 5 purchase orders had no approval signature." in text
    assert "Trend charts are a month behind." in text
    assert nc.reference in text and "PO-1234 photo.jpg" in text
    assert "Nonconformities raised" in text
    assert "Page 1 of" in text
    _assert_only_embedded_dejavu(data)
    assert data == _pdf(write_audit_report, audit)


def test_report_before_completion_says_so_and_warns_on_impartiality(audit: Audit) -> None:
    owner = Process.get(Process.name == "Purchasing").owner
    audits.update_audit(audit, auditor=owner)
    text = _text(_pdf(write_audit_report, audit))
    assert "has not been completed" in text
    assert "Impartiality: Ada Łukasz owns the process Purchasing" in text
    assert "Not answered" in text
