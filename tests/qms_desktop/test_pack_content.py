"""What the pack says: counts, statuses, dates and wording an auditor reads on the page."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader

from qms_desktop import clock, db, feedback, kpis, records, review_inputs, reviews, suppliers
from qms_desktop.models import Kpi
from qms_desktop.reports.review_pack import render_pdf
from qms_desktop.reports.review_pack_html import render_html
from qms_desktop.review_data import PackData

MEETING = dt.date(2026, 3, 10)
IN_PERIOD = dt.date(2026, 2, 3)


def _summaries(review: object) -> str:
    sections = review_inputs.assemble_inputs(review, MEETING)  # type: ignore[arg-type]
    return "\n".join(line for s in sections for line in s.summary)


def test_a_count_of_one_reads_singular(store: db.Store) -> None:
    """The pack printed "1 processes" and "1 complaints"."""
    feedback.record_feedback("complaint", "Acme", IN_PERIOD, "Late parcel", today=MEETING)
    supplier = suppliers.add_supplier("Steel Co", criticality="high", approval="approved")
    suppliers.evaluate(supplier, IN_PERIOD, 4, 4, 4, 4, today=MEETING)
    review = reviews.plan_review(MEETING, period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 2, 28))
    text = _summaries(review)
    assert "1 feedback item: 1 complaint." in text
    assert "1 complaint, 1 still open." in text
    assert "1 evaluation of 1 supplier;" in text
    assert not re.search(r"\b1 (?!of\b)[a-z]+s\b", text), text


def _kpi(name: str, target: float | None) -> Kpi:
    with clock.stopped_at(dt.date(2025, 12, 1)):
        return records.create(Kpi, name=name, unit="%", target=target, direction="higher",
                              frequency="monthly")


def test_a_kpi_without_a_target_is_not_on_target(store: db.Store) -> None:
    """A KPI with no target and no thresholds read "On target" in c3 and c5."""
    for kpi in (_kpi("Training hours", None), _kpi("On-time delivery", 95.0)):
        with clock.stopped_at(MEETING):
            kpis.save_reading(kpi, dt.date(2026, 2, 1), 97.0)
    review = reviews.plan_review(MEETING, period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 2, 28))
    sections = {s.code: s for s in review_inputs.assemble_inputs(review, MEETING)}
    table = sections["c5"].tables[0]
    status = {row[0]: row[table.headers.index("Status")] for row in table.rows}
    assert status == {"Training hours": "No target", "On-time delivery": "On target"}


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _sample_pack(is_draft: bool = True) -> PackData:
    review = next(r for r in reviews.reviews() if r.status != "closed")
    return review_inputs.assemble(review, generated_at=dt.datetime(2026, 12, 6, 9, 24),
                                  is_draft=is_draft)


def test_the_cover_writes_every_date_one_way(sample_store: db.Store) -> None:
    """The cover printed "24 December 2026" beside "2026-12-06 09:24"."""
    data = _sample_pack()
    cover = PdfReader(io.BytesIO(render_pdf(data))).pages[0].extract_text()
    assert not ISO_DATE.search(cover), cover
    assert "6 December 2026, 09:24" in cover
    html = render_html(data)
    assert not ISO_DATE.search(html.split('<div class="masthead">')[1].split("</div>")[0])


def _page_text(draft: bool, watermark: str = "") -> str:
    from reportlab.platypus import Paragraph

    from qms_desktop.reports import styles

    setup = styles.PageSetup("Acme Ltd", "Management review", dt.datetime(2026, 1, 5, 9, 0),
                             draft=draft, watermark=watermark)
    out = io.BytesIO()
    styles.build_pdf(out, [Paragraph("Findings are listed by clause. " * 40, styles.BODY)],
                     setup)
    return re.sub(r"\s+", "", PdfReader(out).pages[0].extract_text())


def test_the_draft_marking_is_not_in_the_text() -> None:
    """Copying text from a draft picked up the marking's letters ("DR AF T")."""
    plain = _page_text(draft=False)
    # The header names the marking once, as words; the big diagonal marking adds no text.
    assert _page_text(draft=True) == plain.replace("Managementreview", "Managementreview·DRAFT")
    assert _page_text(draft=False, watermark="SUPERSEDED") == plain.replace(
        "Managementreview", "Managementreview·SUPERSEDED")


def _words_cut(headers: list[str], rows: list[list[str]], width: float) -> list[str]:
    from qms_desktop.reports import fonts
    from qms_desktop.reports.review_pack import CELL_PADDING, _cell_text, _column_widths

    fonts.register_fonts()
    widths = _column_widths(headers, rows, width)
    assert abs(sum(widths) - width) < 0.5
    cut = []
    for row in rows:
        for value, column in zip(row, widths, strict=True):
            lines = _cell_text(value, column - CELL_PADDING).split("\n")
            cut += [w for w in " ".join(lines).split() if w not in value.split()]
    return cut


def test_a_wordy_column_keeps_its_words_whole() -> None:
    """The decisions table printed "Improv/ement" and "Resourc/e need" in its Type column."""
    headers = ["Type", "Decision", "Owner", "Due", "Answers"]
    rows = [
        ["Improvement", "Train a second person in CMM programming", "Zoë Lindqvist",
         "2026-06-04", "Only one person can program the CMM"],
        ["Resource need", "Price a service contract and a 5-axis subcontractor before "
         "deciding on a second machine", "Declan O'Rourke", "2027-02-09",
         "Breakdown of the 5-axis machining centre (DMU 65)"],
        ["Change to the QMS", "Update the quality policy for the new edition of ISO 9001",
         "Siobhán Gallagher", "2026-07-04", ""],
    ]
    assert _words_cut(headers, rows, 481.0) == []


def test_an_endless_word_is_still_cut_rather_than_take_the_page() -> None:
    link = "https://example.com/" + "a" * 300
    assert _words_cut(["Where", "What"], [[link, "A short note"]], 481.0)


def test_commentary_and_conclusion_stay_together_under_their_input() -> None:
    """Pushed to the next page by a table, the boxes began a page with nothing saying which
    input they answer, and the conclusion could fall a page after the commentary."""
    from qms_desktop.review_data import Table
    from tests.qms_desktop.test_review_pack import make_pack

    for rows in range(0, 34, 3):
        data = make_pack()
        audits = next(s for s in data.inputs if s.code == "c6")
        audits.tables = [Table("Audits held", ["Audit", "Held", "Auditor"],
                               [[f"Internal audit {i}", "2025-05-01", "Chen Wei"]
                                for i in range(rows)])]
        audits.commentary, audits.conclusion = "Audit commentary words.", "Audit verdict words."
        pages = [re.sub(r"\s+", " ", p.extract_text())
                 for p in PdfReader(io.BytesIO(render_pdf(data))).pages]
        commentary = next(i for i, p in enumerate(pages) if "Audit commentary words." in p)
        conclusion = next(i for i, p in enumerate(pages) if "Audit verdict words." in p)
        assert commentary == conclusion, rows
        assert "c6) Audit results" in pages[commentary], rows


def test_a_changed_interested_party_shows_its_requirements(store: db.Store) -> None:
    """The 2026-edition interested-parties input printed an empty requirement cell for every
    party row."""
    from qms_desktop.models import InterestedParty, PartyRequirement

    with clock.stopped_at(IN_PERIOD):
        owner = records.create(InterestedParty, name="Landlord", kind="customer")
        records.create(PartyRequirement, party=owner, requirement="Keep the fire exits clear")
        records.create(InterestedParty, name="Neighbours", kind="customer")
    review = reviews.plan_review(MEETING, period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 2, 28))
    section = review_inputs.input_b2(review, review_inputs.period_of(review), MEETING)
    table = section.tables[0]
    column = table.headers.index("Requirement")
    cells = {row[1]: row[column] for row in table.rows if row[0] == "New interested party"}
    assert cells == {"Landlord": "Keep the fire exits clear (addressed: Yes)",
                     "Neighbours": "No requirements recorded"}


def test_c7_lists_a_supplier_due_for_re_evaluation_and_counts_those_below_target(
        store: db.Store) -> None:
    """c7 left out a high-criticality supplier not evaluated in the period though due for
    re-evaluation, and its headline counted only scores below 2.5, hiding those below the
    3.5 target."""
    forgotten = suppliers.add_supplier("Castle Heat Treatment", criticality="high",
                                       approval="approved")
    suppliers.evaluate(forgotten, dt.date(2024, 6, 1), 4, 4, 4, 4, today=MEETING)
    middling = suppliers.add_supplier("FastFreight", criticality="medium", approval="approved")
    suppliers.evaluate(middling, IN_PERIOD, 3, 3, 3, 3, today=MEETING)
    review = reviews.plan_review(MEETING, period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 2, 28))
    section = review_inputs.input_c7(review, review_inputs.period_of(review), MEETING)
    table = section.tables[0]
    rows = {row[0]: row for row in table.rows}
    assert set(rows) == {"Castle Heat Treatment", "FastFreight"}
    assert rows["Castle Heat Treatment"][table.headers.index("Re-evaluation")].startswith(
        "Overdue since")
    assert "1 below the target of 3.5 of 5, 0 of them below 2.5." in section.summary[0]
    assert "Castle Heat Treatment" in section.summary[1]


def _strings(node: object) -> list[str]:
    from reportlab.graphics.shapes import Group, String

    found: list[str] = []
    for child in getattr(node, "contents", []):
        if isinstance(child, String):
            found.append(child.text)
        elif isinstance(child, Group):
            found += _strings(child)
    return found


def test_a_chart_legend_keeps_a_long_name_whole() -> None:
    """A half-width chart's legend printed "Complaints answered within two wor…"."""
    from qms_desktop.reports import charts
    from qms_desktop.review_data import Chart

    name = "Complaints answered within two working days"
    chart = Chart("line", name, [f"2026-{m:02d}" for m in range(1, 13)],
                  {name: [95.0] * 12}, unit="%", target=95, warning=90, failure=80)
    texts = _strings(charts.draw(chart, 230.0))
    assert not any("…" in t for t in texts), texts
    assert name in " ".join(texts)


def test_the_supplier_chart_names_every_supplier() -> None:
    """Only 5 of 13 supplier names were printed under the bars."""
    from qms_desktop.reports import charts
    from qms_desktop.review_data import Chart

    names = ["Anodise Ireland", "Boyne Laser & Fabrication", "Coolant Solutions Ireland",
             "Dublin Steel Stockholders", "Euro Stainless Bar GmbH", "FastFreight Couriers",
             "Irish Calibration Services Ltd", "Kildare Plating Services",
             "Leinster Metals Ltd", "Liffey Laser Profiles", "Midlands Aluminium Supplies",
             "Northern Crates & Packaging", "Precision Tooling Direct"]
    chart = Chart("bar", "Average supplier score (1 to 5)", names,
                  {"Score": [3.0 + i / 10 for i in range(13)]}, target=3.5)
    texts = _strings(charts.draw(chart, 481.0))
    assert set(names) <= set(texts)


def test_a_pack_with_almost_no_data_says_what_is_missing(store: db.Store) -> None:
    """A first review read "no data" for the earlier actions; the cover dropped the scope
    line when none was approved; an empty register and a quiet period read the same."""
    feedback.record_feedback("complaint", "Acme", dt.date(2025, 6, 1), "Late", today=MEETING)
    review = reviews.plan_review(MEETING, period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 2, 28))
    reasons = {s.code: s.empty_reason for s in review_inputs.assemble_inputs(review, MEETING)}
    assert reasons["a"].startswith("First review")
    assert reasons["c1"] == "No data for the period in customer feedback and surveys."
    assert reasons["c4"] == "Nothing recorded yet in the nonconformity register."
    data = review_inputs.assemble(review, generated_at=dt.datetime(2026, 3, 1, 9, 0),
                                  is_draft=True)
    assert not data.scope
    cover = re.sub(r"\s+", " ", PdfReader(io.BytesIO(render_pdf(data))).pages[0].extract_text())
    assert "No scope of the quality management system has been approved yet." in cover
    assert "has been approved yet." in render_html(data)


SUPPLIERS = ["Anodise Ireland", "Boyne Laser & Fabrication", "Coolant Solutions Ireland",
             "Dublin Steel Stockholders", "Euro Stainless Bar GmbH", "FastFreight Couriers",
             "Irish Calibration Services Ltd", "Kildare Plating Services", "Leinster Metals Ltd",
             "Liffey Laser Profiles", "Midlands Aluminium Supplies",
             "Northern Crates & Packaging", "Precision Tooling Direct"]


def test_html_chart_labels_stay_inside_the_chart() -> None:
    """The HTML supplier chart's last name ran off the drawing's right edge."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from qms_desktop.reports import fonts
    from qms_desktop.reports.review_pack_html import svg_chart
    from qms_desktop.review_data import Chart

    fonts.register_fonts()
    svg = svg_chart(Chart("bar", "Average supplier score (1 to 5)", SUPPLIERS,
                          {"Score": [3.0 + i / 10 for i in range(13)]}, target=3.5))
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))  # type: ignore[union-attr]
    texts = re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-size="([\d.]+)" '
                       r'text-anchor="middle"[^>]*>([^<]+)</text>', svg)
    assert texts
    for x, size, words in texts:
        half = stringWidth(words.replace("&amp;", "&"), fonts.REGULAR, float(size)) / 2
        assert float(x) - half >= -0.5 and float(x) + half <= width + 0.5, words


def _css_rule(selector: str) -> str:
    from qms_desktop.reports.review_pack_html import CSS

    found = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert found, selector
    return found.group(1)


def test_html_writing_lines_take_room_and_charts_share_one_size() -> None:
    """In the HTML twin the writing lines of an empty commentary box ran over the next
    heading (their block had no height), and a lone chart grew to twice the others' size."""
    assert "height" not in _css_rule(".ruled")
    assert "height: 2em" in _css_rule(".ruled span")
    assert re.search(r"flex:\s*0 1 ", _css_rule(".charts figure"))


def test_an_html_chart_legend_keeps_a_long_name_whole() -> None:
    from qms_desktop.reports.review_pack_html import svg_chart
    from qms_desktop.review_data import Chart

    name = "Complaints answered within two working days of their receipt by sales"
    svg = svg_chart(Chart("line", "Complaints", [f"2026-{m:02d}" for m in range(1, 13)],
                          {name: [95.0] * 12}, unit="%", target=95, warning=90))
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert not any("…" in t for t in texts), texts
    assert name in " ".join(texts)


def test_the_html_supplier_chart_names_every_supplier() -> None:
    from qms_desktop.reports.review_pack_html import svg_chart
    from qms_desktop.review_data import Chart

    svg = svg_chart(Chart("bar", "Average supplier score (1 to 5)", SUPPLIERS,
                          {"Score": [3.0 + i / 10 for i in range(13)]}, target=3.5))
    texts = {t.replace("&amp;", "&") for t in re.findall(r"<text [^>]*>([^<]*)</text>", svg)}
    assert set(SUPPLIERS) <= texts


def test_an_attendee_title_is_not_repeated_beside_the_same_role() -> None:
    from qms_desktop.review_data import Attendee

    chair = Attendee("Siobhán Gallagher", "Chair", True, True, "Managing Director")
    director = Attendee("Declan O'Rourke", "Operations Director", True, True,
                        "Operations Director")
    buyer = Attendee("Lucía Ñuñez", "Purchasing Coordinator", True, False)
    assert chair.name_line() == "Siobhán Gallagher, Managing Director"
    assert director.name_line() == "Declan O'Rourke"
    assert buyer.name_line() == "Lucía Ñuñez"
