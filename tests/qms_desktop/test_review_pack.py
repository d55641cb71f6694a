"""The management review pack: every required section, the fonts, the page numbers, the
DRAFT marking, the contents and repeatable bytes; the HTML twin; and one pack built from the
sample company's database."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Group, PolyLine, String

from qms_desktop import db
from qms_desktop.reports import charts, fonts
from qms_desktop.reports.review_pack import render_pdf
from qms_desktop.reports.review_pack_html import render_html
from qms_desktop.review_data import (
    Attendee,
    Chart,
    Finding,
    InputSection,
    PackData,
    Table,
)

INPUT_TITLES = {
    "a": "Actions from previous reviews",
    "b": "Changes in external and internal issues",
    "c1": "Customer satisfaction and feedback",
    "c2": "How far quality objectives were met",
    "c3": "Process performance and conformity of products and services",
    "c4": "Nonconformities and corrective actions",
    "c5": "Monitoring and measurement results",
    "c6": "Audit results",
    "c7": "Performance of external providers",
    "d": "Adequacy of resources",
    "e": "Effectiveness of actions on risks and opportunities",
    "f": "Opportunities for improvement",
}
SECTION_HEADINGS = [
    "Management review",
    "Contents",
    "Readiness summary by clause",
    "Leadership evidence (5.1)",
    "Review inputs",
    "Quality policy in force (5.2)",
    "Responsibilities and authorities (5.3)",
    "Decisions and actions",
    "Overall conclusion",
    "Distribution list",
    "Sign-off",
]
EMPTY_REASON = "No data for the period in supplier evaluations."


def _months(count: int) -> list[str]:
    return [f"2025-{m:02d}" for m in range(1, count + 1)]


def make_pack(is_draft: bool = True) -> PackData:
    sections = []
    for code, title in INPUT_TITLES.items():
        sections.append(InputSection(code, title, True, summary=[f"Summary of {code}."]))
    by_code = {s.code: s for s in sections}
    by_code["a"].tables.append(Table(
        "Actions from previous reviews",
        ["Action", "Owner", "Originally due", "Now due", "Status", "Done on"],
        [["Buy a second saw", "Zoë Łukasz", "2025-01-31", "", "Done", "2025-01-20"],
         ["Train two inspectors", "Ñuñez", "2025-03-31", "2025-06-30", "Overdue", ""]],
        ["done", "overdue"],
    ))
    by_code["c2"].charts = [
        Chart("line", "On-time delivery", _months(12),
              {"On-time delivery": [91, 93, None, 95, 96, None, None, 94, 97, 95, 96, 98]},
              unit="%", target=95, warning=92, failure=90),
        Chart("line", "Scrap rate", _months(12), {"Scrap rate": [2.1, 1.9] + [1.5] * 10},
              unit="%", target=1.5),
    ]
    by_code["c2"].tables.append(Table(
        "KPIs of the objectives", ["KPI", "Target", "Latest", "Status"],
        [["On-time delivery", "95 %", "98 %", "On target"],
         ["Scrap rate", "1.5 %", "1.5 %", "Warning"]], ["on_target", "warning"]))
    by_code["c4"].charts.append(Chart("bar", "Nonconformities per month", _months(12),
                                      {"Raised": [float(i % 4) for i in range(12)]}))
    by_code["c4"].tables.append(Table(
        "Nonconformities in the period",
        ["Reference", "Title", "Raised", "Source", "Severity", "Status"],
        [[f"NC-{i:04d}", f"Burr left on part {i} after deburring; found at final "
          "inspection and returned to the machine shop for rework", "2025-03-01",
          "Internal", "Minor", "Open" if i % 3 else "Closed"] for i in range(120)]))
    by_code["c7"] = InputSection("c7", INPUT_TITLES["c7"], False, empty_reason=EMPTY_REASON)
    by_code["d"].tables.append(Table("Resource requests and decisions",
                                     ["Request", "Cost", "Decision"],
                                     [["Second CMM probe", "₹ 12,500", "Approved"]]))
    colours = {f"{li},{im}": ("#5CB85C" if li * im < 5 else "#F0AD4E" if li * im < 12
                              else "#D9534F") for li in range(1, 6) for im in range(1, 6)}
    by_code["e"].charts.append(Chart(
        "heatmap", "Risks before and after treatment",
        ["Negligible", "Minor", "Moderate", "Major", "Severe"], {}, size=5,
        cells_before={"4,4": 2, "3,5": 1, "2,2": 3}, cells_after={"2,2": 4, "1,3": 2},
        band_colours=colours))
    by_code["f"].commentary = "Suggestions were mostly about packaging.\n<script>alert(1)</script>"
    by_code["f"].conclusion = "Adopt the packaging suggestion."
    return PackData(
        organisation="Ærø Præcision Łódź Ltd",
        edition="ISO 9001:2015",
        scope="Machining of precision parts.",
        review_title="Management review 2025-12-28",
        meeting_on="2025-12-28",
        period_start="2025-01-01",
        period_end="2025-12-27",
        place="Boardroom",
        chair="Zoë Łukasz",
        minute_taker="Ñuñez",
        status="planned",
        attendees=[
            Attendee("Zoë Łukasz", "Managing Director", True, True),
            Attendee("Ñuñez", "Quality Manager", True, False),
            Attendee("Siobhán Gallagher", "Finance Director", True, True),
            Attendee("Pavel Dvořák", "Operations Director", False, True),
        ],
        inputs=[by_code[c] for c in INPUT_TITLES],
        policy_version="v3",
        policy_text="We make parts right first time.\n- We meet requirements.\n- We improve.",
        policy_approval="Approved by Zoë Łukasz on 2025-01-15",
        duties=[["5.3 a", "The quality system meets ISO 9001", "Ñuñez"],
                ["5.3 b", "Processes deliver their intended outputs", "Not assigned"]],
        decisions=Table("Decisions and actions", ["Type", "Decision", "Owner", "Due", "Answers"],
                        [["Resource", "Fund a second saw for ₹ 12,500", "Zoë Łukasz",
                          "2026-03-31", "NC-0001"]]),
        conclusion={"Suitability": "Still suitable.", "Adequacy": "",
                    "Effectiveness": "Effective.", "Alignment with strategy": ""},
        next_review_on="2026-12-15",
        distribution=["Zoë Łukasz", "Ñuñez"],
        readiness=[Finding("5.3", "gap", "Duty b has no named holder."),
                   Finding("9.1.2", "attention", "No satisfaction survey this year.")],
        leadership=Table("Leadership acts recorded in the period",
                         ["Date", "Recorded by", "Act", "Top management"],
                         [["2025-02-01", "Ñuñez", "Decided on resources", "No"]], ["warning"]),
        leadership_warning="All leadership acts were recorded outside top management.",
        pack_version=2,
        generated_at="2025-12-20 09:30",
        is_draft=is_draft,
    )


@pytest.fixture(scope="module")
def draft_pdf() -> bytes:
    return render_pdf(make_pack(is_draft=True))


@pytest.fixture(scope="module")
def final_pdf() -> bytes:
    return render_pdf(make_pack(is_draft=False))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def squash(value: str) -> str:
    return re.sub(r"\s+", " ", value)


# --- Contents of the PDF ------------------------------------------------------------------------


def test_every_required_section_is_printed(draft_pdf: bytes) -> None:
    whole = squash("\n".join(page_texts(draft_pdf)))
    for heading in SECTION_HEADINGS:
        assert heading in whole, heading
    for code, title in INPUT_TITLES.items():
        assert f"{code}) {title}" in whole, code


def test_sections_come_in_the_required_order(draft_pdf: bytes) -> None:
    whole = squash("\n".join(page_texts(draft_pdf)[2:]))  # after cover and contents
    order = ["Readiness summary by clause", "Leadership evidence (5.1)",
             *[f"{c}) {t}" for c, t in INPUT_TITLES.items()],
             "Quality policy in force (5.2)", "Responsibilities and authorities (5.3)",
             "Decisions and actions", "Overall conclusion", "Distribution list", "Sign-off"]
    positions = [whole.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_names_and_currency_survive_in_the_text(draft_pdf: bytes) -> None:
    texts = page_texts(draft_pdf)
    cover = squash(texts[0])
    for name in ("Zoë Łukasz", "Ñuñez", "Siobhán Gallagher", "Ærø Præcision Łódź Ltd"):
        assert name in cover
    assert "Apologies" in cover and "Pavel Dvořák" in cover.split("Apologies", 1)[1]
    whole = squash("\n".join(texts))
    assert "₹ 12,500" in whole
    assert "Fund a second saw for ₹ 12,500" in whole


def test_cover_carries_the_review_details(draft_pdf: bytes, final_pdf: bytes) -> None:
    cover = squash(page_texts(draft_pdf)[0])
    for expected in ("28 December 2025", "1 January 2025 to 27 December 2025",
                     "ISO 9001:2015", "Boardroom", "Machining of precision parts.",
                     "20 December 2025, 09:30"):
        assert expected in cover
    assert "Record of the meeting" in squash(page_texts(final_pdf)[0])


def test_an_input_without_data_says_why(draft_pdf: bytes) -> None:
    whole = squash("\n".join(page_texts(draft_pdf)))
    assert "No data for this input." in whole
    assert EMPTY_REASON in whole


def test_page_numbers_say_n_of_m(draft_pdf: bytes) -> None:
    texts = page_texts(draft_pdf)
    total = len(texts)
    assert total > 5
    assert f"Page 1 of {total}" in texts[0]
    assert f"Page {total} of {total}" in texts[-1]
    for number, page in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in page


def test_draft_is_marked_on_every_page_and_final_on_none(draft_pdf: bytes,
                                                         final_pdf: bytes) -> None:
    assert all("DRAFT" in page for page in page_texts(draft_pdf))
    assert not any("DRAFT" in page for page in page_texts(final_pdf))


def test_contents_page_numbers_match_the_headings(draft_pdf: bytes) -> None:
    texts = page_texts(draft_pdf)
    # Layout mode keeps each entry's title, dot leader and page number on one line.
    contents = PdfReader(io.BytesIO(draft_pdf)).pages[1].extract_text(extraction_mode="layout")
    assert "Contents" in contents
    entries = {}
    for line in contents.splitlines():
        match = re.match(r"^\s*(.+?)\s*(?:\.\s*){3,}(\d+)\s*$", line)
        if match:
            entries[match.group(1).strip()] = int(match.group(2))
    for title in ("Readiness summary by clause", "c4) Nonconformities and corrective actions",
                  "e) Effectiveness of actions on risks and opportunities",
                  "Decisions and actions", "Sign-off"):
        assert title in entries, (title, list(entries))
        assert title in squash(texts[entries[title] - 1]), title
    assert len(entries) >= len(INPUT_TITLES) + 8


def test_long_tables_split_with_their_header_repeated(draft_pdf: bytes) -> None:
    pages_with_rows = [t for t in page_texts(draft_pdf) if "Burr left on part" in t]
    assert len(pages_with_rows) >= 2
    assert all("Reference" in t and "Severity" in t for t in pages_with_rows)
    whole = "\n".join(pages_with_rows)
    assert "NC-0000" in whole and "NC-0119" in whole


def test_commentary_written_in_the_meeting_is_printed(draft_pdf: bytes) -> None:
    whole = squash("\n".join(page_texts(draft_pdf)))
    assert "Suggestions were mostly about packaging." in whole
    assert "<script>alert(1)</script>" in whole  # printed as text, not dropped
    assert "Adopt the packaging suggestion." in whole


def test_sign_off_has_a_block_for_the_chair_and_top_management(draft_pdf: bytes) -> None:
    last = squash(page_texts(draft_pdf)[-1])
    assert "Sign-off" in last
    assert "Zoë Łukasz" in last and "Siobhán Gallagher" in last
    assert "Pavel Dvořák" not in last  # sent apologies
    assert last.count("Signature") >= 2


# --- Fonts and bytes ------------------------------------------------------------------------------


def _fonts_of(resources: Any, seen: set[int], found: list[Any]) -> None:
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        found.append(font.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if id(xobject) not in seen:
            seen.add(id(xobject))
            _fonts_of(xobject.get("/Resources"), seen, found)


def _is_embedded(font: Any) -> bool:
    for descendant in font.get("/DescendantFonts") or [font]:
        descriptor = descendant.get_object().get("/FontDescriptor")
        if descriptor is not None:
            descriptor = descriptor.get_object()
            if any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                return True
    return False


@pytest.mark.parametrize("kind", ["draft", "final"])
def test_every_font_is_embedded_dejavu(kind: str, draft_pdf: bytes, final_pdf: bytes) -> None:
    pdf = draft_pdf if kind == "draft" else final_pdf
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found: list[Any] = []
        _fonts_of(page.get("/Resources"), set(), found)
        assert found
        for font in found:
            name = str(font["/BaseFont"])
            assert "Helvetica" not in name and "Times" not in name
            assert "DejaVuSans" in name
            assert _is_embedded(font), f"{name} is not embedded"


def test_same_data_gives_the_same_bytes(draft_pdf: bytes) -> None:
    assert render_pdf(make_pack(is_draft=True)) == draft_pdf
    again = PackData.from_json(make_pack(is_draft=True).to_json())
    assert render_pdf(again) == draft_pdf


def test_generated_at_changes_the_bytes(draft_pdf: bytes) -> None:
    pack = make_pack(is_draft=True)
    pack.generated_at = "2025-12-21 10:00"
    assert render_pdf(pack) != draft_pdf


def test_an_empty_pack_still_renders_every_section() -> None:
    pack = make_pack(is_draft=True)
    pack.attendees = []
    pack.inputs = [InputSection(c, t, False, empty_reason=f"Nothing for {c}.")
                   for c, t in INPUT_TITLES.items()]
    pack.decisions = Table("Decisions and actions", ["Type", "Decision"], [])
    pack.readiness = []
    pack.leadership = Table("Leadership", ["Date"], [])
    pack.leadership_warning = ""
    pack.policy_text = ""
    pack.distribution = []
    pack.chair = ""
    whole = squash("\n".join(page_texts(render_pdf(pack))))
    for heading in SECTION_HEADINGS:
        assert heading in whole
    for code in INPUT_TITLES:
        assert f"Nothing for {code}." in whole


def test_a_contents_longer_than_a_page_goes_on_over_the_next() -> None:
    pack = make_pack(is_draft=True)
    long_title = ("Customer satisfaction and feedback from every market, channel, product "
                  "family and site, with the complaints and the compliments behind it")
    pack.inputs = [InputSection(f"x{i}", f"{long_title} ({i})", True, summary=["Noted."])
                   for i in range(30)]
    reader = PdfReader(io.BytesIO(render_pdf(pack)))
    texts = [page.extract_text() for page in reader.pages]
    assert "(0)" in squash(texts[1]) and "(29)" in squash(texts[2])
    assert "Sign-off" in squash(texts[2])
    outline = {item.title: reader.get_destination_page_number(item) + 1
               for item in reader.outline if not isinstance(item, list)}
    assert f"Page {outline['Sign-off']} of {len(texts)}" in texts[outline["Sign-off"] - 1]


# --- Charts ----------------------------------------------------------------------------------


def _shapes(node: Any) -> Iterator[Any]:
    for child in getattr(node, "contents", []):
        yield child
        if isinstance(child, Group):
            yield from _shapes(child)


def test_missing_periods_break_the_line() -> None:
    chart = Chart("line", "Gaps", _months(7), {"KPI": [1, 2, None, 3, 4, None, 5]},
                  target=3, warning=2, failure=1)
    drawing = charts.draw(chart, 300)
    assert drawing.width == 300
    lines = [s for s in _shapes(drawing) if isinstance(s, PolyLine)]
    assert len(lines) == 2  # 1-2 and 3-4; the lone 5 is a dot


@pytest.mark.parametrize("kind", ["line", "bar", "heatmap"])
def test_chart_text_uses_the_house_font(kind: str) -> None:
    chart = Chart(kind, "₹ per month – Łódź", _months(12), {"A": [1.0] * 12, "B": [2.0] * 12},
                  target=1.5, size=5, cells_before={"1,1": 2}, cells_after={"2,2": 1},
                  band_colours={"1,1": "#5CB85C"})
    drawing = charts.draw(chart, 480)
    strings = [s for s in _shapes(drawing) if isinstance(s, String)]
    assert strings
    assert {s.fontName for s in strings} <= {fonts.REGULAR, fonts.BOLD}
    assert drawing.initialFontName == fonts.REGULAR


# --- HTML ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(make_pack(is_draft=True))


def test_html_has_every_section_in_order(html: str) -> None:
    order = [*SECTION_HEADINGS[2:5], *[f"{c}) {t}" for c, t in INPUT_TITLES.items()],
             *SECTION_HEADINGS[5:]]
    main = html.split('id="contents-heading"', 1)[1].split("</nav>", 1)[1]
    positions = [main.index(f">{heading}</h") for heading in order]
    assert positions == sorted(positions)
    assert "<h1>Management review</h1>" in html
    assert EMPTY_REASON in html


def test_html_is_self_contained_and_accessible(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert html.count("<svg") == 4
    assert not re.search(r"https?://", html)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<th scope="col">' in html and '<th scope="row">' in html
    assert "@media print" in html
    assert "DRAFT" in html
    assert "Zoë Łukasz" in html and "₹ 12,500" in html


def test_final_html_has_no_draft_banner() -> None:
    page = render_html(make_pack(is_draft=False))
    assert "draft-banner" not in page.split("<body>", 1)[1]
    assert "Record of the meeting" in page


# --- From the database ---------------------------------------------------------------------------


def test_pack_of_the_sample_company(sample_store: db.Store) -> None:
    from qms_desktop import review_inputs, reviews

    held = [r for r in reviews.reviews() if r.meeting_on <= dt.date.today()]
    review = held[0] if held else reviews.reviews()[0]
    data = review_inputs.assemble(review, generated_at=dt.datetime(2026, 1, 5, 9, 0),
                                  is_draft=True)
    pdf = render_pdf(data)
    assert render_pdf(PackData.from_json(data.to_json())) == pdf
    texts = page_texts(pdf)
    whole = squash("\n".join(texts))
    for heading in SECTION_HEADINGS:
        assert heading in whole
    for section in data.inputs:
        assert f"{section.code}) {section.title}" in whole
        if not section.has_data:
            assert squash(section.empty_reason) in whole
    assert f"Page {len(texts)} of {len(texts)}" in texts[-1]
    assert all("DRAFT" in t for t in texts)
    html = render_html(data)
    assert data.organisation in html or not data.organisation


def test_short_columns_are_never_broken_mid_word() -> None:
    """Dates, statuses and header words stay whole even when a wordy column needs room
    (the previous-actions table printed "2025-0/1-27" and "Stat/us")."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from qms_desktop.reports import fonts
    from qms_desktop.reports.review_pack import CELL_PADDING, _column_widths

    fonts.register_fonts()
    headers = ["Action", "Owner", "Originally due", "Now due", "Status", "Done on"]
    rows = [["Extend preventive maintenance to Saturday mornings for the machining centres "
             "and the presses in the second hall", "Siobhán Gallagher", "2026-04-27",
             "2026-12-31", "Overdue", "2026-05-18"]] * 12
    width = 481.0
    widths = _column_widths(headers, rows, width)
    assert abs(sum(widths) - width) < 0.5
    for index in (2, 3, 4, 5):
        widest = max(stringWidth(rows[0][index], fonts.REGULAR, 8.5),
                     *(stringWidth(w, fonts.BOLD, 8.5) for w in headers[index].split()))
        assert widths[index] - CELL_PADDING >= widest, headers[index]
    assert widths[0] >= 0.2 * width


# --- Cell text broken into lines ------------------------------------------------------------------


def _width(value: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(value, fonts.REGULAR, 8.5))


def test_cell_text_wraps_between_words_within_the_width() -> None:
    from qms_desktop.reports.review_pack import wrap_text

    value = "Extend preventive maintenance to Saturday mornings for the machining centres"
    wrapped = wrap_text(value, 90.0)
    lines = wrapped.split("\n")
    assert len(lines) > 1
    assert all(_width(line) <= 90.0 for line in lines)
    assert " ".join(lines) == value
    assert wrap_text("Open", 90.0) == "Open"


def test_cell_text_keeps_the_writers_line_breaks_and_cuts_an_endless_word() -> None:
    from qms_desktop.reports.review_pack import wrap_text

    assert wrap_text("First point\n\nSecond point", 200.0) == "First point\n\nSecond point"
    # Tabs and Windows line ends have no glyph; a trailing line end adds no empty line.
    assert wrap_text("Due\tOpen\r\nLate\n", 200.0) == "Due Open\nLate"
    # A no-break space holds its words together when the line wraps.
    held = wrap_text("Certified to ISO\u00a09001 since 2019", 70.0).split("\n")
    assert held[1].startswith("ISO\u00a09001")
    address = "https://intranet.example.com/quality/procedures/QP-07-calibration-records"
    lines = wrap_text(f"See {address} today", 80.0).split("\n")
    assert all(_width(line) <= 80.0 for line in lines)
    assert lines[0] == "See" and lines[-1].endswith(" today")
    assert "".join(lines)[len("See"):-len(" today")] == address


@pytest.mark.parametrize("width", [20.0, 55.0, 140.0])
def test_wrapping_never_loses_or_reorders_a_character(width: float) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from qms_desktop.reports.review_pack import wrap_text

    words = st.text(alphabet="abcdefghijkłmnoñpqrstuvwxyzë€₹-/", min_size=1, max_size=30)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(words, max_size=25))
    def check(parts: list[str]) -> None:
        value = " ".join(parts)
        lines = wrap_text(value, width).split("\n")
        assert "".join(lines).replace(" ", "") == value.replace(" ", "")
        # Only a single character wider than the cell may overrun it.
        assert all(_width(line) <= width or len(line) == 1 for line in lines)

    check()


def test_contents_entries_link_to_the_pages_they_name(draft_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(draft_pdf))
    page_of = {page.indirect_reference.idnum: index + 1
               for index, page in enumerate(reader.pages)}
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    targets = [page_of[link["/Dest"][0].idnum] for link in links if "/Dest" in link]
    contents = reader.pages[1].extract_text(extraction_mode="layout")
    printed = [int(m.group(1)) for m in re.finditer(r"(?:\.\s*){3,}(\d+)\s*$", contents,
                                                    re.MULTILINE)]
    assert len(targets) >= len(INPUT_TITLES) + 8
    assert targets == printed


def test_a_short_column_fits_its_odd_longer_word() -> None:
    """One "Discontinued" among eleven "Open" must not print as "Discontinu/ed"."""
    from qms_desktop.reports.review_pack import CELL_PADDING, _column_widths

    headers = ["Objective", "Owner", "Due", "Status", "Gaps"]
    wordy = ("Cut the time from a customer complaint to its corrective action to under "
             "fifteen working days across every site and product family")
    rows = [[wordy, "Siobhán Gallagher", "2027-03-31", "Open", wordy] for _ in range(11)]
    rows.append([wordy, "Siobhán Gallagher", "2027-03-31", "Discontinued", wordy])
    widths = _column_widths(headers, rows, 481.0)
    assert widths[3] - CELL_PADDING >= _width("Discontinued")


def test_a_cell_longer_than_a_page_is_cut_short_not_a_failed_pack() -> None:
    pack = make_pack(is_draft=True)
    essay = " ".join(f"Sentence {i} of a very long effect written into one cell." for i in
                     range(400))
    pack.inputs[1].tables.append(Table("Changes in issues", ["Issue", "Effect"],
                                       [["Energy prices", essay]]))
    whole = squash("\n".join(page_texts(render_pdf(pack))))
    assert "Sentence 0 of a very long effect" in whole
    assert "Sentence 399" not in whole and "…" in whole


def test_table_text_lands_where_reportlab_would_put_it() -> None:
    """The pack's tables gather their strings into one text object; every line must come
    out at the same place, in the same font, as a plain reportlab Table draws it."""
    from pypdf.generic import ContentStream
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, TableStyle
    from reportlab.platypus import Table as PdfTable

    from qms_desktop.reports.review_pack import BODY_CELL, HEADER_CELL, _DataTable

    body = [["Reference", "Title\nwrapped", "Status"],
            ["NC-0001", "Burr left on part\nafter deburring", "Open"],
            ["NC-0002", "", "Zoë Łukasz ₹"]]
    styles_of = [[HEADER_CELL] * 3] + [[BODY_CELL] * 3 for _ in body[1:]]

    def placed(kind: type[PdfTable]) -> list[tuple[str, int, int, str]]:
        out = io.BytesIO()
        grid = kind(body, colWidths=[60, 120, 60], rowHeights=[27, 27, 17], repeatRows=1,
                    style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, "#C9D1DA")]),
                    cellStyles=styles_of, normalizedData=1)
        SimpleDocTemplate(out, pagesize=A4, invariant=1).build([grid])
        page = PdfReader(out).pages[0]
        fonts_used = {name: str(ref.get_object()["/BaseFont"])
                      for name, ref in page["/Resources"]["/Font"].items()}
        found: list[tuple[str, int, int, str]] = []
        font, x, y = "", 0, 0
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
            if operator == b"Tf":
                font = fonts_used[operands[0]]
            elif operator == b"Tm":
                x, y = round(float(operands[4])), round(float(operands[5]))
            elif operator == b"Tj":
                found.append((operands[0].original_bytes.hex(), x, y, font))
        return sorted(found)

    drawn = placed(_DataTable)
    assert len(drawn) == 10  # every non-empty line
    assert drawn == placed(PdfTable)


def test_outline_entries_open_their_page_at_the_heading(draft_pdf: bytes) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    reader = PdfReader(io.BytesIO(draft_pdf))
    first = reader.outline[0]
    assert first.title == "Readiness summary by clause"
    # It starts a page, so its top is the top of the page's frame (24 mm margin).
    assert abs(float(first.top) - (A4[1] - 24 * mm)) < 0.5
    contents = reader.pages[1].extract_text()
    assert str(reader.get_destination_page_number(first) + 1) in contents
