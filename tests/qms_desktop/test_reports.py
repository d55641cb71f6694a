"""The printed policy and RACI matrix, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from qms_desktop import db, organisation, policy, raci, records
from qms_desktop.models import DocumentVersion, Person, PersonRole, Process, Role
from qms_desktop.reports import fonts, styles, write_policy_pdf, write_raci_pdf

GENERATED_AT = dt.datetime(2025, 3, 3, 14, 5)
APPROVER = "Zoë Łukasz-Ñuñez"
POLICY_TEXT = (
    "Ñuñez & Łukasz Engineering makes parts that fit first time, on the promised date.\n"
    "\n"
    "We will:\n"
    "- meet every customer, legal and other requirement that applies;\n"
    "- set measurable quality objectives from this policy each year;\n"
    "- fund training and calibration, whether it costs € or ₹;\n"
    "- keep improving the quality management system.\n"
)


@pytest.fixture
def org(store: db.Store) -> Any:
    return organisation.set_up(
        organisation.OrganisationSetup(
            name="Ñuñez & Łukasz Engineering", sites=["Kraków"], currency="EUR",
            user_name="Test User",
        )
    )


def _approve_policy(body: str = POLICY_TEXT) -> DocumentVersion:
    approver = records.create(Person, full_name=APPROVER)
    director = records.create(Role, title="Managing Director", is_top_management=True)
    records.create(PersonRole, person=approver, role=director)
    draft = policy.start_draft(policy.policy_document(), body=body)
    policy.approve(draft, approver, confirm_unmet=True)
    return draft


@pytest.fixture
def approved(org: Any) -> DocumentVersion:
    return _approve_policy()


def _pdf(write: Any, *args: Any, **kwargs: Any) -> bytes:
    buffer = io.BytesIO()
    write(buffer, *args, generated_at=GENERATED_AT, **kwargs)
    return buffer.getvalue()


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


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
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _assert_only_embedded_dejavu(data: bytes) -> None:
    found = list(_fonts(data))
    assert found
    for font in found:
        name = str(font["/BaseFont"])
        assert "Helvetica" not in name
        assert "DejaVuSans" in name
        assert _is_embedded(font), f"{name} is not embedded"


# --- Fonts and the page frame ---------------------------------------------------------------


def test_fonts_register_once() -> None:
    fonts.register_fonts()
    fonts.register_fonts()
    from reportlab.pdfbase import pdfmetrics

    registered = pdfmetrics.getRegisteredFontNames()
    for name in fonts.UPRIGHT:
        assert registered.count(name) == 1
    # The slanted faces are read when a report asks for them, once.
    fonts.register_fonts(slanted=True)
    fonts.register_fonts(slanted=True)
    registered = pdfmetrics.getRegisteredFontNames()
    for name in fonts.FONT_FILES:
        assert registered.count(name) == 1


def test_every_named_style_uses_the_house_font() -> None:
    for style in styles.STYLES.values():
        assert style.fontName.startswith(fonts.FAMILY)
        assert style.bulletFontName.startswith(fonts.FAMILY)


def test_shared_frame_marks_drafts_and_numbers_pages() -> None:
    setup = styles.PageSetup(organisation="Zoë's Bakery", title="Test pack",
                             generated_at=GENERATED_AT, draft=True)
    buffer = io.BytesIO()
    story = [styles.text(f"Paragraph {i}: €, ₹, Łódź.") for i in range(120)]
    styles.build_pdf(buffer, story, setup)
    pages = _text(buffer.getvalue())
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "Zoë's Bakery" in page
        assert "DRAFT" in page
        assert f"Page {number} of {len(pages)}" in page
    _assert_only_embedded_dejavu(buffer.getvalue())


# --- The policy -------------------------------------------------------------------------------


def test_policy_pdf_is_one_page_with_the_policy_and_its_approval(approved: DocumentVersion) -> None:
    data = _pdf(write_policy_pdf)
    pages = _text(data)
    assert len(pages) == 1
    page = pages[0]
    assert "Ñuñez & Łukasz Engineering" in page
    assert "Quality policy" in page
    assert "Version 1" in page
    assert APPROVER in page
    assert "Managing Director" in page
    assert "€" in page and "₹" in page
    assert "Signed:" in page and "Date:" in page
    assert "Page 1 of 1" in page


def test_policy_pdf_embeds_every_font_and_no_helvetica(approved: DocumentVersion) -> None:
    _assert_only_embedded_dejavu(_pdf(write_policy_pdf))


def test_long_policy_is_shrunk_onto_one_page(org: Any) -> None:
    long_text = "\n".join(
        f"- Commitment {i}: we keep our promise to every customer, every time, without "
        "exception, and we check that we did." for i in range(90)
    )
    _approve_policy(long_text)
    pages = _text(_pdf(write_policy_pdf))
    assert len(pages) == 1
    assert "Commitment 89" in pages[0]
    assert APPROVER in pages[0]


def test_no_policy_in_force_is_refused(org: Any) -> None:
    with pytest.raises(ValueError, match="No quality policy is in force"):
        write_policy_pdf(io.BytesIO())
    policy.start_draft(policy.policy_document(), body="A draft nobody approved.")
    with pytest.raises(ValueError, match="No quality policy is in force"):
        write_policy_pdf(io.BytesIO())


def test_a_draft_prints_marked_as_draft(org: Any) -> None:
    draft = policy.start_draft(policy.policy_document(), body="Draft text, € included.")
    page = _text(_pdf(write_policy_pdf, draft))[0]
    assert "DRAFT" in page
    assert "not been approved" in page


def test_same_policy_and_time_give_identical_bytes(approved: DocumentVersion) -> None:
    first = _pdf(write_policy_pdf)
    assert first == _pdf(write_policy_pdf)
    later = io.BytesIO()
    write_policy_pdf(later, generated_at=GENERATED_AT + dt.timedelta(minutes=1))
    assert later.getvalue() != first


def test_generated_at_is_the_creation_date(approved: DocumentVersion) -> None:
    reader = PdfReader(io.BytesIO(_pdf(write_policy_pdf)))
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"] == "D:20250303140500"


def test_policy_pdf_writes_to_a_path(approved: DocumentVersion, tmp_path: Any) -> None:
    target = tmp_path / "policy.pdf"
    write_policy_pdf(target, generated_at=GENERATED_AT)
    assert target.read_bytes() == _pdf(write_policy_pdf)


# --- The RACI matrix ---------------------------------------------------------------------------


@pytest.fixture
def matrix(org: Any) -> raci.Matrix:
    quality = records.create(Role, title="Quality Manager")
    director = records.create(Role, title="Managing Director", is_top_management=True)
    stores = records.create(Role, title="Stores Łódź")
    buying = records.create(Process, name="Purchasing")
    review = records.create(Process, name="Management review", is_activity=True)
    orphan = records.create(Process, name="Calibration of gauges")
    raci.set_letter(buying, stores, "R")
    raci.set_letter(buying, director, "A")
    raci.set_letter(buying, quality, "C")
    raci.set_letter(review, director, "A")
    raci.set_letter(review, quality, "R")
    raci.set_letter(review, stores, "I")
    raci.set_letter(orphan, stores, "C")
    return raci.load()


def test_raci_pdf_has_roles_letters_and_problems(matrix: raci.Matrix) -> None:
    page = _text(_pdf(write_raci_pdf, matrix))[0]
    lines = {line.strip() for line in page.splitlines()}
    page = " ".join(page.split())  # headings and problems wrap in narrow columns
    for role in ("Quality Manager", "Managing Director", "Stores Łódź"):
        assert role in page
    for name in ("Purchasing", "Management review", "Calibration of gauges"):
        assert name in page
    assert "QMS ACTIVITIES" in page
    assert {"R", "A", "C", "I"} <= lines
    assert "No A: nobody is accountable; no R: nobody is responsible for doing the work." in page
    assert "Page 1 of 1" in page
    assert "Ñuñez & Łukasz Engineering" in page
    assert "Accountable" in page and "Informed" in page


def test_raci_pdf_embeds_every_font(matrix: raci.Matrix) -> None:
    _assert_only_embedded_dejavu(_pdf(write_raci_pdf, matrix))


def test_raci_pdf_loads_the_matrix_itself_and_is_repeatable(matrix: raci.Matrix) -> None:
    assert _pdf(write_raci_pdf) == _pdf(write_raci_pdf, matrix)


def test_large_raci_repeats_headers_on_every_page(org: Any) -> None:
    roles = [records.create(Role, title=f"Role number {i:02d}") for i in range(14)]
    for i in range(70):
        process = records.create(Process, name=f"Process {i:02d}", is_activity=i >= 60)
        raci.set_letter(process, roles[i % 14], "A")
        raci.set_letter(process, roles[(i + 1) % 14], "R")
    pages = _text(_pdf(write_raci_pdf))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        page = " ".join(page.split())
        assert "Role number 00" in page and "Role number 13" in page
        assert f"Page {number} of {len(pages)}" in page
    assert "Process 69" in pages[-1]


def test_empty_raci_prints_a_note(org: Any) -> None:
    page = _text(_pdf(write_raci_pdf))[0]
    assert "No processes or roles are recorded yet" in page
