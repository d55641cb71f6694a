"""The RISKS register declaration: score columns, filters, form choices and checks."""

from __future__ import annotations

import datetime as dt

import pytest

from qms_desktop import actions, records, registers, risks
from qms_desktop.models import Person, Risk
from qms_desktop.registers import Query
from qms_desktop.risk_registers import RISKS, high_threshold, risk_problems, score_text


def _risk(title: str, **values: object) -> Risk:
    return records.create(Risk, title=title, **values)


def _titles(query: Query) -> list[str]:
    rows = registers.fetch_page(RISKS, query)
    return sorted(row.cells[1] for row in rows)


def _cells(title: str) -> dict[str, str]:
    labels = registers.column_labels(RISKS)
    row = next(r for r in registers.fetch_page(RISKS, Query()) if r.cells[1] == title)
    return dict(zip(labels, row.cells, strict=True))


def test_score_columns_show_the_band(store: object) -> None:
    _risk("Key supplier fails", likelihood=4, impact=5, treatment="share",
          residual_likelihood=2, residual_impact=2, effectiveness="partly")
    _risk("Not rated yet")
    cells = _cells("Key supplier fails")
    assert cells["Score"] == "20 · Critical"
    assert cells["Residual"] == "4 · Low"
    assert cells["Treatment"] == "Share the risk"
    assert cells["Effectiveness"] == "Partly effective"
    empty = _cells("Not rated yet")
    assert empty["Score"] == empty["Residual"] == empty["Treatment"] == ""


def test_score_column_sorts_by_the_number(store: object) -> None:
    for title, likelihood in (("nine", 3), ("twenty", 4), ("four", 1)):
        _risk(title, likelihood=likelihood, impact={3: 3, 4: 5, 1: 4}[likelihood])
    score_column = [c.path for c in RISKS.columns].index("score")
    rows = registers.fetch_page(RISKS, Query(sort_column=score_column, descending=True))
    assert [row.cells[1] for row in rows] == ["twenty", "nine", "four"]


def test_bands_follow_the_matrix(store: object) -> None:
    matrix = risks.RiskMatrix.default(5)
    assert score_text(3, matrix) == "3 · Low"
    assert score_text(12, matrix) == "12 · High"
    assert score_text(None, matrix) == ""
    assert high_threshold(matrix) == 10


def test_filters(store: object) -> None:
    today = dt.date.today()
    ada = records.create(Person, full_name="Ada Admin")
    critical = _risk("Critical one", likelihood=5, impact=5, next_review_on=today
                     - dt.timedelta(days=1))
    _risk("Low one", likelihood=1, impact=2, next_review_on=today + dt.timedelta(days=30))
    _risk("New market", kind="opportunity", likelihood=3, impact=4)
    actions.raise_action(critical, "Second supplier", ada, today + dt.timedelta(days=14))

    assert _titles(Query(filter_key="risks")) == ["Critical one", "Low one"]
    assert _titles(Query(filter_key="opportunities")) == ["New market"]
    assert _titles(Query(filter_key="review_overdue")) == ["Critical one"]
    assert _titles(Query(filter_key="high")) == ["Critical one", "New market"]
    assert _titles(Query(filter_key="no_actions")) == ["Low one", "New market"]


def test_cell_condition_narrows_the_list(store: object) -> None:
    _risk("Moved by treatment", likelihood=4, impact=5, treatment="change_likelihood",
          residual_likelihood=2, residual_impact=2)
    _risk("Untreated", likelihood=4, impact=5)
    before = Query(condition=lambda: risks.cell_filter(4, 5))
    after = Query(condition=lambda: risks.cell_filter(4, 5, residual=True))
    assert _titles(before) == ["Moved by treatment", "Untreated"]
    assert _titles(after) == ["Untreated"]


def test_form_offers_the_matrix_labels(store: object) -> None:
    fields = {f.name: f for f in registers.edit_fields(RISKS)}
    assert fields["likelihood"].kind == "choice"
    assert fields["likelihood"].choices[3] == ("4", "4 · Likely")
    assert fields["impact"].choices[-1] == ("5", "5 · Severe")
    risks.save_matrix(risks.RiskMatrix.default(3))
    fields = {f.name: f for f in registers.edit_fields(RISKS)}
    assert [key for key, _ in fields["residual_impact"].choices] == ["1", "2", "3"]


def test_save_stores_numbers_and_empty_choices(store: object) -> None:
    values = {
        "kind": "risk", "title": "Flood", "likelihood": "2", "impact": "5",
        "treatment": None, "effectiveness": None,
    }
    saved = registers.save(RISKS, None, values)
    stored = Risk.get_by_id(saved.id)
    assert (stored.likelihood, stored.impact) == (2, 5)
    assert (stored.treatment, stored.effectiveness) == ("", "")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "risk", "treatment": "pursue"}, "treatment"),
        ({"kind": "opportunity", "treatment": "avoid"}, "treatment"),
        ({"kind": "risk", "likelihood": 6, "impact": 1}, "likelihood"),
        ({"kind": "risk", "likelihood": 3}, "impact"),
        ({"kind": "risk", "residual_likelihood": 1, "residual_impact": 1}, "treatment"),
    ],
)
def test_checks(store: object, values: dict[str, object], field: str) -> None:
    assert field in risk_problems(values)


def test_a_wrong_treatment_reads_well(store: object) -> None:
    assert risk_problems({"kind": "risk", "treatment": "pursue"})["treatment"] == (
        "Choose a treatment that fits a risk."
    )
    assert risk_problems({"kind": "opportunity", "treatment": "avoid"})["treatment"] == (
        "Choose a treatment that fits an opportunity."
    )
    assert risk_problems({"kind": "opportunity", "treatment": "pursue"}) == {}
