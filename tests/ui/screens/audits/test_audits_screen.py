"""The internal audits screen driven like an auditor would, over a real database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from qms_desktop import attachments, audits, checklist_templates, records
from qms_desktop.models import (
    Attachment,
    Audit,
    ChecklistTemplate,
    Finding,
    Nonconformity,
    Person,
    Process,
)
from tests.ui.interact import click, screenshot
from ui.screens.audits import audit_run
from ui.screens.audits.audit_run import CompleteAuditDialog, CopyTemplateDialog
from ui.screens.audits.audits_screen import AuditsScreen, PlanAuditDialog


@pytest.fixture
def screen(show: Any, store: object) -> Iterator[AuditsScreen]:
    yield show(AuditsScreen())


def key(qtbot: QtBot, code: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
        ) -> None:
    """Press a key where the keyboard focus is, as a user would."""
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, code, modifier)


def plan_dialog(screen: AuditsScreen) -> PlanAuditDialog:
    dialog = screen.dialog
    assert isinstance(dialog, PlanAuditDialog)
    return dialog


def test_run_an_internal_audit_from_a_template_to_findings_and_a_nonconformity(
    qtbot: QtBot, screen: AuditsScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = records.create(Person, full_name="Ada Byrne")
    records.create(Person, full_name="Bob Ng")
    records.create(Process, name="Purchasing", owner=ada)
    screen.reload()
    assert "No audits planned" in screen.empty_label.text()
    assert "Not covered in" in screen.coverage_label.text()

    # Plan the audit with the process owner as auditor: the warning shows at once, and stays
    # on the programme after saving.
    click(qtbot, screen.plan_button)
    dialog = plan_dialog(screen)
    qtbot.keyClicks(dialog.form.editor("title"), "Performance evaluation")
    qtbot.keyClicks(dialog.form.editor("process"), "Purchasing")
    qtbot.keyClicks(dialog.form.editor("clause"), "9")
    assert dialog.warning_frame.isHidden()
    qtbot.keyClicks(dialog.form.editor("auditor"), "Ada")
    assert dialog.warning_frame.isVisible()
    assert "Ada Byrne owns the process Purchasing" in dialog.warning_label.text()
    click(qtbot, dialog.ok_button)
    assert screen.dialog is None
    audit = Audit.get(Audit.title == "Performance evaluation")
    assert screen.warnings_frame.isVisible()
    assert "Ada Byrne owns the process Purchasing" in screen.warnings_text()
    assert "Not covered in" in screen.coverage_label.text()
    assert "9" not in screen.coverage_label.text().split(":")[1].split(".")[0]
    screenshot(screen, "programme-warning")

    # Choose another auditor: the warning goes.
    assert screen.selected_audit() == audit
    click(qtbot, screen.edit_button)
    dialog = plan_dialog(screen)
    qtbot.keyClicks(dialog.form.editor("auditor"), "Bob")
    assert dialog.warning_frame.isHidden()
    click(qtbot, dialog.ok_button)
    assert Audit.get_by_id(audit.id).auditor.full_name == "Bob Ng"
    assert not screen.warnings_frame.isVisible()
    assert screen.warnings_text() == ""

    # Run it: copy the starter checklist of clause 9.
    click(qtbot, screen.run_button)
    run = screen.run
    assert screen.tabs.currentWidget() is run
    assert "no questions yet" in run.empty_label.text()
    click(qtbot, run.copy_button)
    copy = run.dialog
    assert isinstance(copy, CopyTemplateDialog)
    assert copy.template() is not None and copy.template().clause == "9"  # the audit's clause
    click(qtbot, copy.copy_button)
    template = ChecklistTemplate.get(ChecklistTemplate.clause == "9")
    total = len(checklist_templates.questions_of(template))
    assert len(run.findings) == total >= 4
    assert run.progress_label.text() == f"0 of {total} answered"

    # Answer with the keyboard: 1 for conforms, Page Down to move on.
    run.question_list.setFocus()
    key(qtbot, Qt.Key.Key_1)
    assert run.progress_label.text() == f"1 of {total} answered"
    key(qtbot, Qt.Key.Key_PageDown)
    # Q2 is a minor nonconformity: without notes it is not saved, and says why.
    key(qtbot, Qt.Key.Key_2)
    assert run.notes_problem.isVisible()
    assert "Write down what was seen for a minor nonconformity" in run.notes_problem.text()
    assert run.notes_edit.hasFocus()
    assert Finding.get_by_id(run.findings[1].id).outcome == audits.UNANSWERED
    qtbot.keyClicks(run.notes_edit, "2 of 5 purchase orders had no approval signature.")
    assert run.has_unsaved_changes() and screen.has_unsaved_changes()
    key(qtbot, Qt.Key.Key_PageDown)
    minor = Finding.get_by_id(run.findings[1].id)
    assert minor.outcome == "minor" and minor.notes.startswith("2 of 5 purchase orders")
    assert not screen.has_unsaved_changes()
    assert run.outcome_buttons["conforms"].hasFocus()  # back to the outcome keys
    key(qtbot, Qt.Key.Key_6)
    key(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert run.position_label.text() == f"Question 4 of {total}"
    key(qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert run.position_label.text() == f"Question 3 of {total}"
    assert run.outcome_buttons["not_applicable"].isChecked()
    key(qtbot, Qt.Key.Key_PageDown)

    # Not all answered: Complete is refused with the count, and no dialog opens.
    waiting = total - 3
    click(qtbot, run.complete_button)
    assert run.dialog is None
    assert run.message_frame.isVisible()
    assert f"{waiting} question{'s' if waiting > 1 else ''} not answered yet" in (
        run.message_label.text())
    assert Audit.get_by_id(audit.id).status == audits.IN_PROGRESS
    assert run.position_label.text() == f"Question 4 of {total}"
    screenshot(screen, "audit-run")

    # Evidence on the minor finding: a small file is attached and listed; one over the
    # limit is refused with the size message, and nothing is stored.
    run.question_list.setCurrentRow(1)
    assert run.current.id == minor.id
    small = tmp_path / "PO-1234 photo.jpg"
    small.write_bytes(b"jpeg bytes")
    monkeypatch.setattr(audit_run.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_a, **_k: (str(small), "")))
    click(qtbot, run.attach_button)
    assert run.evidence_list.count() == 1
    assert run.evidence_list.item(0).text().startswith("PO-1234 photo.jpg")
    assert run.evidence_problem.isHidden()
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1000)
    big = tmp_path / "site video.mp4"
    big.write_bytes(b"x" * 1001)
    monkeypatch.setattr(audit_run.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_a, **_k: (str(big), "")))
    click(qtbot, run.attach_button)
    assert run.evidence_problem.isVisible()
    assert "site video.mp4 is 1,001 bytes; attachments can be at most" in (
        run.evidence_problem.text())
    assert run.evidence_list.count() == 1
    assert Attachment.select().count() == 1

    # Save a copy of the evidence.
    copy_path = tmp_path / "copy.jpg"
    monkeypatch.setattr(audit_run.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(copy_path), "")))
    click(qtbot, run.save_copy_button)
    assert copy_path.read_bytes() == b"jpeg bytes"

    # Raise a nonconformity in one step; the button then opens it.
    assert run.nc_row.isVisible()
    click(qtbot, run.nc_button)
    nc = Nonconformity.get()
    assert nc.source == "audit" and nc.severity == "minor"
    assert Finding.get_by_id(minor.id).nonconformity_id == nc.id
    assert run.nc_button.text() == f"Open {nc.reference}"
    with qtbot.waitSignal(screen.open_record) as opened:
        click(qtbot, run.nc_button)
    assert opened.args == ["nonconformities", nc.id]
    screenshot(screen, "audit-run-finding")

    # Answer the rest, then complete.
    run.question_list.setCurrentRow(3)
    run.question_list.setFocus()
    for _ in range(waiting):
        key(qtbot, Qt.Key.Key_1)
        key(qtbot, Qt.Key.Key_PageDown)
    assert run.progress_label.text() == f"{total} of {total} answered"
    click(qtbot, run.complete_button)
    complete = run.dialog
    assert isinstance(complete, CompleteAuditDialog)
    assert "minor nonconformity" in complete.summary_edit.toPlainText()
    complete.summary_edit.clear()
    click(qtbot, complete.complete_button)
    assert complete.problem.isVisible()  # a summary is required
    qtbot.keyClicks(complete.summary_edit, "Good control; purchase approvals need attention.")
    click(qtbot, complete.complete_button)
    assert run.dialog is None
    done = Audit.get_by_id(audit.id)
    assert done.status == audits.DONE and done.held_on is not None
    assert run.status_chip.text() == "Done"
    assert not run.complete_button.isEnabled()
    assert not run.outcome_buttons["conforms"].isEnabled()
    screen.tabs.setCurrentIndex(0)
    row = screen.model.row_of(audit.id)
    results = screen.model.index(row, screen.model.columnCount() - 1).data()  # the last
    assert "1 minor" in results and "1 N/A" in results


def test_pdfs_are_saved_where_chosen(qtbot: QtBot, screen: AuditsScreen, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    audit = audits.plan_audit("Stores walk-through", audits.dt.date.today(), clause="8").audit
    screen.reload()
    screen.open_audit(audit)
    target = tmp_path / "checklist"
    monkeypatch.setattr(audit_run.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(target), "")))
    click(qtbot, screen.run.blank_pdf_button)
    assert (tmp_path / "checklist.pdf").read_bytes().startswith(b"%PDF")
    target = tmp_path / "report.pdf"
    click(qtbot, screen.run.report_pdf_button)
    assert target.read_bytes().startswith(b"%PDF")
    monkeypatch.setattr(audit_run.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: ("", "")))
    assert screen.run.export_report() is None


def test_checklist_templates_tab_installs_starters_and_edits_questions(
    qtbot: QtBot, screen: AuditsScreen
) -> None:
    assert ChecklistTemplate.select().count() == 0
    screen.tabs.setCurrentIndex(2)
    assert ChecklistTemplate.select().count() == 7  # clauses 4 to 10
    assert screen.template_list.count() == 7
    click(qtbot, screen.new_template_button)
    dialog = screen.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.name_edit, "Warehouse walk")
    qtbot.keyClicks(dialog.clause_edit, "8.5")
    dialog.accept()
    assert screen.current_template().name == "Warehouse walk"
    assert screen.templates_empty.isVisible()
    click(qtbot, screen.add_template_question_button)
    question = screen.dialog
    assert question.clause_edit.text() == "8.5"
    question.accept()
    assert question.problem.isVisible()  # the question is required
    qtbot.keyClicks(question.question_edit, "Are goods labelled?")
    qtbot.keyClicks(question.guidance_edit, "Labels on shelves and pallets")
    question.accept()
    assert screen.question_table.rowCount() == 1
    screen.question_table.selectRow(0)
    click(qtbot, screen.edit_question_button)
    edit = screen.dialog
    edit.question_edit.selectAll()
    qtbot.keyClicks(edit.question_edit, "Are all goods labelled?")
    edit.accept()
    assert screen.question_table.item(0, 1).text() == "Are all goods labelled?"
    screen.question_table.selectRow(0)
    click(qtbot, screen.remove_question_button)
    assert screen.question_table.rowCount() == 0


def test_cancel_and_programme_year(qtbot: QtBot, screen: AuditsScreen,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    year = audits.dt.date.today().year
    audit = audits.plan_audit("Leadership", audits.dt.date(year, 2, 1), clause="5").audit
    audits.plan_audit("Old one", audits.dt.date(year - 1, 2, 1), clause="4")
    screen.reload()
    assert screen.model.rowCount() == 1
    screen.year_spin.setValue(year - 1)
    assert screen.model.index(0, 0).data() == "Old one"
    screen.year_spin.setValue(year)
    screen.select_audit(audit.id)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
    click(qtbot, screen.cancel_button)
    assert Audit.get_by_id(audit.id).status == audits.CANCELLED
    assert "5" in screen.coverage_label.text()  # a cancelled audit covers nothing


def test_the_run_reads_well_in_a_dark_palette(qtbot: QtBot, screen: AuditsScreen) -> None:
    checklist_templates.install_starter_templates()
    audit = audits.plan_audit("Dark check", audits.dt.date.today(), clause="7").audit
    audits.copy_template_into_audit(ChecklistTemplate.get(ChecklistTemplate.clause == "7"),
                                    audit)
    screen.open_audit(audit)
    screen.run.choose_outcome("conforms")
    screen.run.next_question()
    screen.run.choose_outcome("observation")
    palette = QPalette(screen.palette())
    palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
    palette.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.white)
    palette.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.white)
    palette.setColor(QPalette.ColorRole.Button, Qt.GlobalColor.darkGray)
    palette.setColor(QPalette.ColorRole.ButtonText, Qt.GlobalColor.white)
    screen.setPalette(palette)
    assert screen.run.notes_problem.isVisible()
    colour = screen.run.notes_problem.palette().color(QPalette.ColorRole.WindowText)
    assert colour.lightness() > 128  # the problem text stays readable on the dark ground
    screenshot(screen, "audit-run-dark")
