"""Suppliers screen driven like a user would, over a real database."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from qms_desktop import suppliers
from qms_desktop.models import Supplier, SupplierEvaluation
from qms_desktop.support_registers import SUPPLIERS
from tests.ui.interact import cell, click, click_row
from ui.kit.tables import column_of
from ui.screens.suppliers.suppliers_screen import SuppliersScreen

TODAY = dt.date.today()


def test_supplier_evaluation_refuses_a_zero_then_updates_score_and_due_date(qtbot, show, store):
    acme = suppliers.add_supplier("Acme Castings", criticality="high", approval="approved")
    other = suppliers.add_supplier("Brightline", approval="approved")
    suppliers.evaluate(other, TODAY - dt.timedelta(days=30), 4, 4, 4, 4)
    screen = show(SuppliersScreen())
    assert screen.due_label.text() == "1 supplier is due for re-evaluation."
    click_row(qtbot, screen, acme.id)
    assert "not been evaluated" in screen.no_evaluations.text()
    click(qtbot, screen.evaluate_button)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    for key in ("delivery", "price", "responsiveness"):
        dialog.fields[key].setValue(4)
    click(qtbot, dialog.ok_button)  # quality left at 0, "Not scored"
    assert dialog.isVisible()
    assert dialog.error_text("quality") == "Score quality from 1 to 5."
    assert SupplierEvaluation.select().where(SupplierEvaluation.supplier == acme).count() == 0

    dialog.fields["quality"].setFocus()
    qtbot.keyClick(dialog.fields["quality"], Qt.Key.Key_Up)
    qtbot.keyClick(dialog.fields["quality"], Qt.Key.Key_Up)
    assert dialog.fields["quality"].value() == 2
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    fresh = Supplier.get_by_id(acme.id)
    assert suppliers.latest_score(fresh) == 3.5
    assert fresh.reevaluation_due_on == suppliers.add_months(TODAY, 12)
    assert cell(screen, acme.id, column_of(SUPPLIERS, "latest_score")) == "3.50"
    assert cell(screen, acme.id, column_of(SUPPLIERS, "reevaluation_due_on")) == \
        str(suppliers.add_months(TODAY, 12))
    assert screen.evaluations_table.rowCount() == 1
    assert screen.evaluations_table.item(0, 5).text() == "3.50"
    assert screen.due_banner.isHidden()
    assert len(screen.trend_chart.segments) == 1


def test_supplier_trend_leaves_gaps_for_quarters_without_evaluations(qtbot, show, store):
    acme = suppliers.add_supplier("Acme Castings", approval="approved")
    start = suppliers.quarter_of(TODAY)
    year_ago = suppliers.add_months(start, -12)
    suppliers.evaluate(acme, year_ago, 3, 3, 3, 3)
    suppliers.evaluate(acme, suppliers.add_months(year_ago, 3), 4, 4, 4, 4)
    suppliers.evaluate(acme, start, 5, 5, 5, 5)
    screen = show(SuppliersScreen())
    click_row(qtbot, screen, acme.id)
    assert [len(s) for s in screen.trend_chart.segments] == [2, 1]
