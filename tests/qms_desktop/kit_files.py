"""Helpers for the site audit kit's tests: an audit to take on site, the data a kit page holds,
and results files written the way the kit's page writes them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from typing import Any

from PIL import Image

from qms_desktop import audit_kit, audits, checklist_templates, records
from qms_desktop.models import Audit, Person, Process

QUESTIONS = (
    "Are approved suppliers evaluated against written criteria?",
    "Is each purchase order checked before it is sent?",
    "Are incoming goods inspected and the results kept?",
)


def site_audit(title: str = "Purchasing audit 2026", questions: tuple[str, ...] = QUESTIONS,
               earlier: bool = True) -> Audit:
    """A planned audit of Purchasing with its checklist copied in; with `earlier`, a completed
    audit of the same process before it, with a minor finding and an observation."""
    ada = Person.get_or_none(Person.full_name == "Ada Byrne") or records.create(
        Person, full_name="Ada Byrne")
    bob = Person.get_or_none(Person.full_name == "Bob Quinn") or records.create(
        Person, full_name="Bob Quinn")
    purchasing = Process.get_or_none(Process.name == "Purchasing") or records.create(
        Process, name="Purchasing", owner=ada)
    template = checklist_templates.create_template(f"Walk-through for {title}", "8.4")
    for number, question in enumerate(questions, start=1):
        checklist_templates.add_question(template, question, f"Look at {number + 2} orders")
    if earlier:
        before = audits.plan_audit(f"{title} (last year)", dt.date(2025, 5, 2),
                                   process=purchasing, auditor=bob, clause="8.4").audit
        audits.copy_template_into_audit(template, before)
        first, *rest = audits.findings(before)
        audits.answer(first, "minor", "Two suppliers were never evaluated")
        for finding in rest:
            audits.answer(finding, "observation", "Inspection results kept in a paper book")
        audits.complete_audit(before, dt.date(2025, 5, 3), "Two points to follow up.")
    audit = audits.plan_audit(
        title, dt.date(2026, 6, 12), process=purchasing, auditor=bob, clause="8.4",
        scope="Supplier approval, orders and incoming inspection at the main site",
        criteria="ISO 9001 clause 8.4; purchasing procedure P-08").audit
    audits.copy_template_into_audit(template, audit)
    return audit


def kit_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="kit-data">(.*?)</script>', page,
                      re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def png(width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def photo(data: bytes, name: str = "photo.png", kind: str = "image/png") -> dict[str, str]:
    import base64

    return {"name": name, "type": kind, "data": base64.b64encode(data).decode()}


def results_content(data: dict[str, Any], answers: dict[int, dict[str, Any]],
                    answered_by: str = "Bob Quinn",
                    saved_at: str = "2026-06-12T11:00:00.000Z") -> dict[str, Any]:
    """What the kit's page saves: every question, with `answers` (by position) over the
    answers the kit started with."""
    rows = []
    for question in data["questions"]:
        given = answers.get(question["position"], {})
        rows.append({
            "question_id": question["id"],
            "outcome": given.get("outcome", question["outcome"]),
            "notes": given.get("notes", question["notes"]),
            "answered_at": given.get("answered_at", "2026-06-12T09:30:00.000Z" if given
                                     else None),
            "photos": given.get("photos", []),
        })
    return {"format": audit_kit.RESULTS_FORMAT, "version": 1, "kit_id": data["kit_id"],
            "audit_id": data["audit_id"], "saved_at": saved_at, "answered_by": answered_by,
            "answers": rows}


def results_file(content: dict[str, Any], outer: dict[str, Any] | None = None,
                 text: str | None = None) -> bytes:
    """The file around `content` (its text `text` when given), hashed as the kit hashes it;
    `outer` overrides entries of the file after hashing."""
    text = json.dumps(content) if text is None else text
    wrapped = {"format": content["format"], "version": content["version"],
               "kit_id": content["kit_id"], "audit_id": content["audit_id"],
               "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "content": text}
    wrapped.update(outer or {})
    return json.dumps(wrapped).encode("utf-8")


def made_kit(audit: Audit) -> tuple[audit_kit.MadeKit, dict[str, Any]]:
    made = audit_kit.make_kit(audit)
    return made, kit_data(made.html)
