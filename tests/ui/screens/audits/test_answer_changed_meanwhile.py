"""An audit question answered by someone else (another auditor's window) while one writes
an answer to it: the save is refused naming who and when, with Reload and Compare; the
outcome and notes stay until the auditor chooses, and after Reload the next answer lands.
The same for an audit's plan and a checklist's question changed meanwhile."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from qms_desktop import audits, checklist_templates, clock, records
from qms_desktop.models import Audit, ChecklistQuestion, Finding
from tests.ui.interact import click, retype, screenshot
from ui.kit.record_changed import ChangesDialog
from ui.kit.tables import select_item_with
from ui.screens.audits.audit_run import QuestionDialog
from ui.screens.audits.audits_screen import TEMPLATE_ROLE, AuditsScreen, PlanAuditDialog

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."
QUESTION = "Is every gauge's calibration recorded?"


def _writing(qtbot: QtBot, show: Any, size: tuple[int, int] = (1280, 800)
             ) -> tuple[AuditsScreen, Finding]:
    """The audit run on its first question, with notes typed, and Maria's answer saved."""
    audit = audits.plan_audit("Calibration", clock.today(), clause="7").audit
    finding = audits.add_question(audit, QUESTION)
    audits.add_question(audit, "Are gauges labelled?")
    screen = show(AuditsScreen(), size)
    screen.open_audit(Audit.get_by_id(audit.id))
    qtbot.keyClicks(screen.run.notes_edit, "Gauge 7 overdue")
    with records.history_as(who="Maria Khan"):
        audits.answer(Finding.get_by_id(finding.id), "conforms", "Seen the register")
    return screen, finding


def _refused(qtbot: QtBot, show: Any, size: tuple[int, int] = (1280, 800)
             ) -> tuple[AuditsScreen, Finding]:
    screen, finding = _writing(qtbot, show, size)
    click(qtbot, screen.run.outcome_buttons["minor"])  # records the answer
    return screen, finding


def test_the_refusal_names_who_and_when_and_keeps_the_answer(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, finding = _refused(qtbot, show)
        run = screen.run
        assert run.changed_choice.bar.isVisible()
        assert run.changed_choice.bar.text() == REFUSAL
        assert run.notes_edit.toPlainText() == "Gauge 7 overdue"
        assert run.outcome_buttons["minor"].isChecked()
        assert not run.save_answer()  # again before choosing: still refused
    stored = Finding.get_by_id(finding.id)
    assert (stored.outcome, stored.notes) == ("conforms", "Seen the register")


def test_compare_shows_their_answer_beside_mine(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _finding = _refused(qtbot, show)
        run = screen.run
        click(qtbot, run.changed_choice.bar.compare_button)
        compared = run.changed_choice.compare_dialog
        assert isinstance(compared, ChangesDialog)
        qtbot.waitUntil(compared.isVisible)
        assert compared.rows()[:2] == [
            ("Outcome", audits.OUTCOME_LABELS["minor"], audits.OUTCOME_LABELS["conforms"]),
            ("Notes", "Gauge 7 overdue", "Seen the register")]
        click(qtbot, compared.back_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
    assert run.notes_edit.toPlainText() == "Gauge 7 overdue"
    assert run.outcome_buttons["minor"].isChecked()


def test_reload_shows_their_answer_and_the_next_answer_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, finding = _refused(qtbot, show)
        run = screen.run
        click(qtbot, run.changed_choice.bar.reload_button)
        assert not run.changed_choice.bar.isVisible()
        assert run.notes_edit.toPlainText() == "Seen the register"
        assert run.outcome_buttons["conforms"].isChecked()
        assert not run.has_unsaved_changes()
        run.notes_edit.selectAll()
        qtbot.keyClicks(run.notes_edit, "Gauge 7 overdue")
        click(qtbot, run.outcome_buttons["minor"])
    stored = Finding.get_by_id(finding.id)
    assert (stored.outcome, stored.notes) == ("minor", "Gauge 7 overdue")
    assert not run.changed_choice.bar.isVisible()


def test_their_answer_read_while_writing_does_not_let_mine_replace_it(
        qtbot: QtBot, show: Any, store: object) -> None:
    """The run reads the audit again when anything of it changes (another window's save
    reaches it): the notes being written stay, and so does the copy they were begun on."""
    with clock.stopped_at(MORNING):
        screen, finding = _writing(qtbot, show)
        screen.run.reload()
        assert screen.run.notes_edit.toPlainText() == "Gauge 7 overdue"
        click(qtbot, screen.run.outcome_buttons["minor"])
        assert screen.run.changed_choice.bar.text() == REFUSAL
    assert Finding.get_by_id(finding.id).notes == "Seen the register"


def test_the_bar_fits_in_a_small_window(qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _finding = _refused(qtbot, show, (1024, 640))
    screenshot(screen, "audit_answer_changed_meanwhile_1024x640")
    bar = screen.run.changed_choice.bar
    for button in (bar.reload_button, bar.compare_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width()
    assert bar.message.height() >= bar.message.heightForWidth(bar.message.width())


def test_a_plan_changed_meanwhile_offers_compare_and_reload_in_its_dialog(
        qtbot: QtBot, show: Any, store: object) -> None:
    """"Change the audit plan" saves through a dialog of its own around a record form."""
    with clock.stopped_at(MORNING):
        audit = audits.plan_audit("Calibration", clock.today(), clause="7").audit
        screen = show(AuditsScreen())
        assert screen.select_audit(audit.id)
        click(qtbot, screen.edit_button)
        dialog = screen.dialog
        assert isinstance(dialog, PlanAuditDialog)
        qtbot.waitExposed(dialog)
        retype(qtbot, dialog.form.editor("title"), "Calibration and labels")
        with records.history_as(who="Maria Khan"):
            audits.update_audit(Audit.get_by_id(audit.id), title="Calibration of gauges")
        click(qtbot, dialog.ok_button)

        assert dialog.isVisible()
        assert dialog.form.changed_bar.text() == REFUSAL
        assert dialog.form.editor("title").text() == "Calibration and labels"
        click(qtbot, dialog.form.changed_bar.compare_button)
        compared = dialog.form.compare_dialog
        assert isinstance(compared, ChangesDialog)
        qtbot.waitUntil(compared.isVisible)
        assert compared.rows() == [("Audit", "Calibration and labels", "Calibration of gauges")]
        click(qtbot, compared.reload_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
        assert dialog.form.editor("title").text() == "Calibration of gauges"
        retype(qtbot, dialog.form.editor("scope"), "Stores and workshop")
        with qtbot.waitSignal(dialog.accepted):
            click(qtbot, dialog.ok_button)
    stored = Audit.get_by_id(audit.id)
    assert (stored.title, stored.scope) == ("Calibration of gauges", "Stores and workshop")


def test_a_checklist_question_edited_meanwhile_is_refused_in_its_dialog(
        qtbot: QtBot, show: Any, store: object) -> None:
    """Before, the dialog closed and the screen wrote the wording over theirs unseen."""
    with clock.stopped_at(MORNING):
        screen = show(AuditsScreen())
        screen.tabs.setCurrentIndex(2)  # installs the starter checklists
        template = checklist_templates.create_template("Warehouse walk", "8.5")
        question = checklist_templates.add_question(template, "Are goods labelled?",
                                                    "Labels on shelves")
        screen.reload_templates()
        select_item_with(screen.template_list, TEMPLATE_ROLE, template.id)
        screen.question_table.selectRow(0)
        click(qtbot, screen.edit_question_button)
        dialog = screen.dialog
        assert isinstance(dialog, QuestionDialog)
        dialog.question_edit.selectAll()
        qtbot.keyClicks(dialog.question_edit, "Are all goods labelled?")
        dialog.guidance_edit.moveCursor(QTextCursor.MoveOperation.End)
        qtbot.keyClicks(dialog.guidance_edit, " and pallets")
        with records.history_as(who="Maria Khan"):
            checklist_templates.edit_question(ChecklistQuestion.get_by_id(question.id),
                                              "Are goods and bins labelled?",
                                              "Labels on shelves", "8.5")
        click(qtbot, dialog.ok_button)

        assert dialog.isVisible()
        assert dialog.changed_choice.bar.text() == REFUSAL
        assert dialog.values()["question"] == "Are all goods labelled?"
        click(qtbot, dialog.changed_choice.bar.compare_button)
        compared = dialog.changed_choice.compare_dialog
        assert isinstance(compared, ChangesDialog)
        qtbot.waitUntil(compared.isVisible)
        assert compared.rows() == [
            ("Question", "Are all goods labelled?", "Are goods and bins labelled?"),
            ("What to look for", "Labels on shelves and pallets", "Labels on shelves")]
        click(qtbot, compared.reload_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
        # Their question; my guidance stays, as they did not change it.
        assert dialog.values() == {"clause": "8.5", "question": "Are goods and bins labelled?",
                                   "guidance": "Labels on shelves and pallets"}
        with qtbot.waitSignal(dialog.accepted):
            click(qtbot, dialog.ok_button)
    stored = ChecklistQuestion.get_by_id(question.id)
    assert (stored.question, stored.guidance) == ("Are goods and bins labelled?",
                                                  "Labels on shelves and pallets")
    assert screen.question_table.item(0, 1).text() == "Are goods and bins labelled?"
