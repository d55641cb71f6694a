"""Every pack row that comes from a record shows its reference, and the pack ends with an
index of the records cited (the page in the PDF, the section in the HTML), so an auditor
can sample straight from the page. Read back from the sample company's pack."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from qms_desktop import db, packs, references
from qms_desktop.models import ManagementReview, Nonconformity
from qms_desktop.reports.review_pack import render_pdf
from qms_desktop.reports.review_pack_html import render_html
from qms_desktop.review_data import InputSection, PackData, Table

REFERENCE = re.compile(r"\b[A-Z]{2,3}-\d{4}-\d{3}\b")
INDEX = "Index of records cited"
# The tables whose every row comes from a record of a register with references.
FROM_RECORDS = {
    "Actions from previous reviews", "Changes in issues", "Changes in interested parties",
    "Quality objectives", "KPIs of the objectives", "Process performance",
    "Nonconformities in the period", "All KPIs", "Audits held", "Supplier performance",
    "Resource requests and decisions", "Risks and opportunities acted on",
    "Opportunities for improvement", "Decisions and actions",
}


@pytest.fixture
def draft(sample_store: db.Store) -> Iterator[tuple[ManagementReview, PackData]]:
    review = (ManagementReview.select().where(ManagementReview.status != "closed")
              .order_by(ManagementReview.meeting_on.desc()).first())
    assert review is not None, "the sample has a review to prepare"
    yield review, packs.pack_data(review)


def _tables(data: PackData) -> list[Table]:
    return [t for s in data.inputs for t in s.tables] + [data.leadership, data.decisions]


def test_every_row_from_a_record_carries_its_reference(
        draft: tuple[ManagementReview, PackData]) -> None:
    _review, data = draft
    citing = [t for t in _tables(data) if t.title in FROM_RECORDS and t.rows]
    assert len(citing) >= 8, [t.title for t in citing]
    for table in citing:
        assert len(table.references) == len(table.rows), table.title
        assert all(REFERENCE.fullmatch(r) for r in table.references), table.title
    (ncs,) = [t for t in citing if t.title == "Nonconformities in the period"]
    for reference, row in zip(ncs.references, ncs.rows, strict=True):
        assert Nonconformity.get(Nonconformity.reference == reference).title == row[0]


def test_the_index_names_every_record_cited_once(
        draft: tuple[ManagementReview, PackData]) -> None:
    _review, data = draft
    cited = {r for t in _tables(data) for r in t.references if r}
    listed = [c.reference for c in data.cited]
    assert listed == sorted(cited)  # each once, in reference order
    named = references.named(listed)
    for entry in data.cited:
        assert (entry.kind, entry.title) == (named[entry.reference].kind,
                                             named[entry.reference].title)
    kinds = {c.kind for c in data.cited}
    assert {"Action", "Nonconformity", "KPI", "Internal audit"} <= kinds


def _index_pages(pages: list[str]) -> dict[str, str]:
    """Reference -> the pages the index gives, read page by page from the index's own pages
    (a table row is never split across two)."""
    first = next(i for i, text in enumerate(pages) if "Every record the tables" in text)
    found: dict[str, str] = {}
    for text in pages[first:]:
        rows = text.split("Reference Kind Title Page\n", 1)[1]
        rows = re.sub(r"\nPage \d+ of \d+\s*$", "", rows)  # the footer's page number
        chunks = re.split(r"(?m)^([A-Z]{2,3}-\d{4}-\d{3}) ", rows)
        for reference, rest in zip(chunks[1::2], chunks[2::2], strict=True):
            rest = rest.replace(",\n", ", ")  # a long list of pages wraps in its cell
            match = re.search(r"(\d+(?:-\d+)?(?:, \d+(?:-\d+)?)*)\s*$", rest)
            assert match, (reference, rest)
            assert reference not in found, f"{reference} listed twice"
            found[reference] = match.group(1)
    return found


def _expand(pages: str) -> set[int]:
    numbers: set[int] = set()
    for part in pages.split(", "):
        first, _, last = part.partition("-")
        numbers.update(range(int(first), int(last or first) + 1))
    return numbers


def test_the_pdf_prints_references_and_indexes_each_on_the_pages_citing_it(
        draft: tuple[ManagementReview, PackData]) -> None:
    _review, data = draft
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(data))).pages]
    index_from = next(i for i, text in enumerate(pages) if "Every record the tables" in text)
    assert all("Every record the tables" not in t for t in pages[:index_from])
    where: dict[str, set[int]] = {}
    for number, text in enumerate(pages[:index_from], start=1):
        for reference in REFERENCE.findall(text):
            where.setdefault(reference, set()).add(number)
    indexed = _index_pages(pages)
    assert sorted(indexed) == [c.reference for c in data.cited]
    for reference, claimed in indexed.items():
        assert _expand(claimed) == where[reference], reference
    # The contents names the index with its page.
    assert INDEX in pages[1] or INDEX in pages[2]


def test_the_html_leads_each_row_with_its_reference_and_indexes_its_sections(
        draft: tuple[ManagementReview, PackData]) -> None:
    _review, data = draft
    html = render_html(data)
    index = html.split(f">{INDEX}</h2>", 1)[1]
    body = html.split(f">{INDEX}</h2>", 1)[0]
    for entry in data.cited:
        anchor = f'id="ref-{entry.reference}"'
        assert body.count(anchor) == 1, entry.reference  # the first row citing it
        assert index.count(f'<a href="#ref-{entry.reference}">{entry.reference}</a>') == 1
    (ncs,) = [t for s in data.inputs for t in s.tables
              if t.title == "Nonconformities in the period"]
    first = ncs.references[0]
    row = re.search(rf'<tr[^>]*><th scope="row"[^>]*>{first}</th>(.*?)</tr>', body)
    assert row and f"<td>{ncs.rows[0][0]}</td>" in row.group(1)
    cited_in = re.search(rf'<a href="#ref-{first}">{first}</a></th><td>[^<]*</td>'
                         r"<td>[^<]*</td><td>(.*?)</td></tr>", index)
    assert cited_in is not None
    assert re.fullmatch(r'<a href="#s\d+">c4\) Nonconformities[^<]*</a>', cited_in.group(1))


def test_a_pack_made_before_references_still_loads_and_prints_as_it_did() -> None:
    old = PackData(
        organisation="Acme", edition="ISO 9001:2015", scope="", review_title="Review",
        meeting_on="2025-01-05", period_start="2024-01-01", period_end="2024-12-31",
        place="", chair="", minute_taker="", status="closed", attendees=[],
        inputs=[InputSection("c4", "Nonconformities", True, tables=[Table(
            "Nonconformities in the period", ["Reference", "Title"],
            [["NC-2024-001", "Wrong label"]])])],
        policy_version="", policy_text="", policy_approval="", duties=[],
        decisions=Table("Decisions and actions", ["Type"], []), conclusion={},
        next_review_on="", distribution=[], readiness=[],
        leadership=Table("", ["Date"], []), leadership_warning="", pack_version=1,
        generated_at="2025-01-05 10:00", is_draft=False,
    )
    text = old.to_json()
    for new_key in ('"cited": [], ', '"references": [], '):
        assert new_key in text
        text = text.replace(new_key, "")
    loaded = PackData.from_json(text)
    assert loaded.cited == [] and loaded.inputs[0].tables[0].references == []
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(loaded))).pages]
    assert not any(INDEX in t for t in pages)
    assert sum(t.count("Reference") for t in pages) == 1  # its own column, not a second
    assert INDEX not in render_html(loaded)
