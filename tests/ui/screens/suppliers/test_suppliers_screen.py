"""Suppliers screen driven like a user would, over a real database."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt

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


def _full_rows(screen: SuppliersScreen) -> int:
    """Rows of the list shown whole."""
    return screen.table.viewport().height() // screen.table.verticalHeader().defaultSectionSize()


def test_on_a_short_window_the_list_keeps_its_rows_above_the_evaluations(qtbot, show, store):
    """At 1024 x 640 (what the main window leaves a screen) the list shows several suppliers
    to choose from, not three above an empty evaluations panel; the evaluations keep room
    for their table and chart, and a handle the user drags moves the line for good."""
    names = [f"Supplier {n:02d}" for n in range(12)]
    for name in names:
        suppliers.add_supplier(name, approval="approved")
    first = Supplier.get(Supplier.name == names[0])
    for months in (3, 6, 9):
        suppliers.evaluate(first, TODAY - dt.timedelta(days=30 * months), 4, 3, 4, 4)
    screen = show(SuppliersScreen(), (820, 560))
    qtbot.waitUntil(lambda: _full_rows(screen) >= 5)
    assert screen.evaluations_panel.height() >= screen.evaluations_panel.minimumSizeHint().height()

    click_row(qtbot, screen, first.id)
    qtbot.waitUntil(lambda: screen.evaluation_stack.currentIndex() == 0)
    assert screen.trend_chart.isVisible()
    assert screen.trend_chart.height() >= screen.trend_chart.minimumHeight()
    assert _full_rows(screen) >= 5
    assert screen.trend_chart.chart().title() == "Score per quarter"

    split = screen.list_split
    handle = split.handle(1)
    start = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, start + QPoint(0, -60))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start + QPoint(0, -60))
    chosen = split.sizes()
    screen.resize(821, 560)  # a resize no longer shares the height out again
    qtbot.waitUntil(lambda: screen.width() == 821)
    assert split.sizes() == chosen
