"""Suppliers, competence and documents screens driven like a user would, over a real database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import competence, records, suppliers
from qms_desktop.models import (
    Document,
    Person,
    PersonRole,
    Role,
    Supplier,
    SupplierEvaluation,
    TrainingRecord,
)
from qms_desktop.support_registers import SUPPLIERS
from ui.actions_screen import column_of
from ui.competence_screen import CompetenceScreen
from ui.documents_screen import DocumentsScreen
from ui.suppliers_screen import SuppliersScreen

TODAY = dt.date.today()


def shown(qtbot: QtBot, widget: QWidget) -> Any:
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot: QtBot, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot: QtBot, screen: Any, record_id: str) -> None:
    row = screen.model.row_of(record_id)
    rect = screen.table.visualRect(screen.model.index(row, 0))
    qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def cell(screen: Any, record_id: str, column: int) -> str:
    return screen.model.index(screen.model.row_of(record_id), column).data()


# --- Suppliers ---------------------------------------------------------------------------------


def test_supplier_evaluation_refuses_a_zero_then_updates_score_and_due_date(qtbot, store):
    acme = suppliers.add_supplier("Acme Castings", criticality="high", approval="approved")
    other = suppliers.add_supplier("Brightline", approval="approved")
    suppliers.evaluate(other, TODAY - dt.timedelta(days=30), 4, 4, 4, 4)
    screen = shown(qtbot, SuppliersScreen())
    assert screen.due_label.text() == "1 supplier is due for re-evaluation."
    click_row(qtbot, screen, acme.id)
    assert "not been evaluated" in screen.no_evaluations.text()
    click(qtbot, screen.evaluate_button)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    for key in ("delivery", "price", "responsiveness"):
        dialog.fields[key].setValue(4)
    click(qtbot, dialog.submit_button)  # quality left at 0, "Not scored"
    assert dialog.isVisible()
    assert dialog.error_text("quality") == "Score quality from 1 to 5."
    assert SupplierEvaluation.select().where(SupplierEvaluation.supplier == acme).count() == 0

    dialog.fields["quality"].setFocus()
    qtbot.keyClick(dialog.fields["quality"], Qt.Key.Key_Up)
    qtbot.keyClick(dialog.fields["quality"], Qt.Key.Key_Up)
    assert dialog.fields["quality"].value() == 2
    click(qtbot, dialog.submit_button)
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


def test_supplier_trend_leaves_gaps_for_quarters_without_evaluations(qtbot, store):
    acme = suppliers.add_supplier("Acme Castings", approval="approved")
    start = suppliers.quarter_of(TODAY)
    year_ago = suppliers.add_months(start, -12)
    suppliers.evaluate(acme, year_ago, 3, 3, 3, 3)
    suppliers.evaluate(acme, suppliers.add_months(year_ago, 3), 4, 4, 4, 4)
    suppliers.evaluate(acme, start, 5, 5, 5, 5)
    screen = shown(qtbot, SuppliersScreen())
    click_row(qtbot, screen, acme.id)
    assert [len(s) for s in screen.trend_chart.segments] == [2, 1]


# --- Competence --------------------------------------------------------------------------------


def test_an_expired_record_is_a_gap_until_a_new_record_is_made(qtbot, store):
    welder = records.create(Role, title="Welder")
    weld = competence.require_competence(welder, "Weld inspection", renew_every_months=12)
    ada = records.create(Person, full_name="Ada Lovelace")
    records.create(PersonRole, person=ada, role=welder)
    competence.record_training(ada, "Weld course", TODAY - dt.timedelta(days=500),
                               competence=weld)
    screen = shown(qtbot, CompetenceScreen())
    assert screen.gaps_table.rowCount() == 1
    assert [screen.gaps_table.item(0, c).text() for c in range(3)] == \
        ["Ada Lovelace", "Welder", "Weld inspection"]
    assert "expired" in screen.gaps_table.item(0, 3).text()
    assert screen.tabs.tabText(0) == "&Gaps (1)"

    screen.gaps_table.selectRow(0)
    click(qtbot, screen.record_button)
    training = screen.training_screen
    assert screen.tabs.currentWidget() is training
    form = training.form
    assert form.is_new() and form.values()["person"] == ada.id
    qtbot.keyClicks(form.editor("completed_on").line_edit, TODAY.isoformat())
    click(qtbot, training.save_button)
    assert TrainingRecord.select().count() == 2
    assert screen.gaps_table.rowCount() == 0
    assert not screen.gaps_empty.isHidden()
    assert screen.tabs.tabText(0) == "&Gaps"


def test_awareness_note_opens_the_policy(qtbot, store):
    screen = shown(qtbot, CompetenceScreen())
    with qtbot.waitSignal(screen.open_record) as signal:
        click(qtbot, screen.awareness_button)
    assert signal.args == ["policy", ""]


# --- Documents ---------------------------------------------------------------------------------


def test_documents_review_overdue_filter_and_policy_note(qtbot, store):
    late = records.create(Document, kind="procedure", reference="QP-01", title="Purchasing",
                          review_due_on=TODAY - dt.timedelta(days=3))
    records.create(Document, kind="record", reference="R-01", title="Calibration log",
                   review_due_on=TODAY + dt.timedelta(days=40))
    policy = records.create(Document, kind="policy", reference="POL", title="Quality policy")
    screen = shown(qtbot, DocumentsScreen())
    assert screen.model.rowCount() == 3
    screen.filter_combo.setCurrentIndex(screen.filter_combo.findText("Review overdue"))
    assert [screen.model.record_id(r) for r in range(screen.model.rowCount())] == [late.id]
    screen.filter_combo.setCurrentIndex(screen.filter_combo.findText("Records"))
    assert screen.model.rowCount() == 1
    screen.filter_combo.setCurrentIndex(0)
    click_row(qtbot, screen, late.id)
    assert screen.own_screen_note.isHidden()
    click_row(qtbot, screen, policy.id)
    assert not screen.own_screen_note.isHidden()
    with qtbot.waitSignal(screen.open_record) as signal:
        click(qtbot, screen.own_screen_button)
    assert signal.args == ["policy", policy.id]
