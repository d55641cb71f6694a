"""The HTML twin printed from a browser: references and dates stay whole, and a draft says
so on every page without covering the text."""

from __future__ import annotations

from qms_desktop.reports.review_pack_html import CSS, _cell


def test_references_and_dates_in_a_cell_do_not_break_at_their_hyphens() -> None:
    text = _cell("Action overdue, due 2026-07-12 (ACT-2026-014) & <b>x</b>")
    assert '<span class="nb">2026-07-12</span>' in text
    assert '<span class="nb">ACT-2026-014</span>' in text
    assert "&amp; &lt;b&gt;x&lt;/b&gt;" in text  # still escaped
    assert _cell("Score 3-4, 12-2026") == "Score 3-4, 12-2026"  # not a date or reference
    assert ".nb, th.ref { white-space: nowrap; }" in CSS


def test_the_draft_banner_is_not_fixed_over_later_pages() -> None:
    print_rules = CSS[CSS.index("@media print"):]
    assert "position: fixed" not in print_rules
