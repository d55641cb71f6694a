"""Documents screen driven like a user would, over a real database."""

from __future__ import annotations

import datetime as dt

from qms_desktop import records
from qms_desktop.models import Document
from tests.ui.interact import click, click_row
from ui.screens.documents.documents_screen import DocumentsScreen

TODAY = dt.date.today()


def test_documents_review_overdue_filter_and_policy_note(qtbot, show, store):
    late = records.create(Document, kind="procedure", reference="QP-01", title="Purchasing",
                          review_due_on=TODAY - dt.timedelta(days=3))
    records.create(Document, kind="record", reference="R-01", title="Calibration log",
                   review_due_on=TODAY + dt.timedelta(days=40))
    policy = records.create(Document, kind="policy", reference="POL", title="Quality policy")
    screen = show(DocumentsScreen())
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
