"""The quality policy screen driven like a user would, over a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from qms_desktop import policy, records
from qms_desktop.clauses import POLICY_POINTS
from qms_desktop.models import DocumentVersion, Person, PersonRole, Role
from tests.ui.interact import click
from ui.kit.controlled_document import STATUS_ROLE
from ui.screens.policy.policy_dialogs import (
    AcknowledgementDialog,
    ApproveDialog,
    CommunicationDialog,
    CompareDialog,
)
from ui.screens.policy.policy_screen import READ_ONLY_NOTE, PolicyScreen

LINES = [
    "We repair industrial pumps for customers across the region.",
    "We set yearly quality objectives for on-time delivery.",
    "We meet our customers' requirements and the laws that apply to our work.",
    "We keep improving how we work.",
]
TEXT = "\n".join(LINES)


@pytest.fixture
def make_screen(show: Any, store: object) -> Iterator[Any]:
    def make() -> PolicyScreen:
        return show(PolicyScreen(), (1200, 760))

    yield make


def _top_manager(name: str = "Ann Boss") -> Person:
    person = records.create(Person, full_name=name, job_title="Managing director")
    role = records.create(Role, title="Director", is_top_management=True)
    records.create(PersonRole, person=person, role=role)
    return person


def _staff(*names: str) -> list[Person]:
    return [records.create(Person, full_name=name) for name in names]


def _approved_version(approver: Person, body: str = TEXT) -> DocumentVersion:
    document = policy.policy_document()
    assert document is not None
    draft = policy.start_draft(document, body)
    for point in POLICY_POINTS:
        policy.set_check(draft, point.key, True)
    policy.approve(draft, approver)
    return draft


def _type_lines(qtbot: QtBot, editor: Any, lines: list[str]) -> None:
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)


def _select(screen: PolicyScreen, sentence: str) -> None:
    cursor = screen.editor.document().find(sentence)
    assert not cursor.isNull()
    screen.editor.setTextCursor(cursor)


def _open_dialog(qtbot: QtBot, screen: PolicyScreen, button: Any, kind: type) -> Any:
    click(qtbot, button)
    dialog = screen.active_dialog
    assert isinstance(dialog, kind)
    qtbot.waitExposed(dialog)
    return dialog


def _tree_names(tree: Any) -> list[str]:
    return [tree.topLevelItem(row).text(0) for row in range(tree.topLevelItemCount())]


def test_write_and_approve_the_first_policy(qtbot: QtBot, make_screen: Any) -> None:
    _top_manager()
    screen = make_screen()
    assert screen.pages.currentWidget() is screen.empty_page
    assert screen.first_button.isVisible()
    assert not screen.export_button.isVisible()

    click(qtbot, screen.first_button)
    assert screen.pages.currentWidget() is screen.splitter
    assert not screen.editor.isReadOnly()
    qtbot.waitUntil(screen.editor.hasFocus)
    _type_lines(qtbot, screen.editor, LINES)
    qtbot.keyClicks(screen.summary_edit, "First version")
    assert screen.has_unsaved_changes()
    assert "Unsaved" in screen.dirty_label.text()

    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    assert not screen.has_unsaved_changes()
    draft = policy.current_draft(policy.policy_document())
    assert draft is not None and draft.body == TEXT
    assert draft.change_summary == "First version"

    # Link a sentence as the proof of one point; that ticks the point.
    row = screen.point_rows["requirements"]
    assert not row.link_button.isEnabled()  # nothing selected yet
    _select(screen, LINES[2])
    click(qtbot, row.link_button)
    assert policy.checks(draft)["requirements"].evidence == LINES[2]
    assert LINES[2] in row.evidence_label.text()
    assert row.check.isChecked()

    for point in POLICY_POINTS:
        check = screen.point_rows[point.key].check
        if not check.isChecked():
            click(qtbot, check)
    assert policy.unmet_points(draft) == []

    dialog = _open_dialog(qtbot, screen, screen.approve_button, ApproveDialog)
    assert "top management" in dialog.approver_combo.currentText()
    assert not dialog.unmet_frame.isVisible()
    assert not dialog.top_warning.isVisible()
    with qtbot.waitSignal(screen.status_message) as message:
        click(qtbot, dialog.approve_button)

    force = policy.in_force()
    assert force is not None and force.number == 1
    assert force.approved_by_top_management
    assert "Version 1 approved" in message.args[0]
    status = screen.status_label.text()
    assert status.startswith("Version 1 in force since ")
    assert status.endswith("approved by Ann Boss (top management)")
    assert screen.editor.isReadOnly()
    assert screen.read_only_frame.isVisible()
    assert READ_ONLY_NOTE in screen.read_only_label.text()
    assert not screen.edit_actions.isVisible()
    assert screen.export_button.isEnabled()
    # Read-only is visible, not only enforced: the text sits on the window's ground.
    assert (screen.editor.palette().color(QPalette.ColorRole.Base)
            == screen.palette().color(QPalette.ColorRole.Window))


def test_approving_with_an_unmet_point_needs_confirmation(
    qtbot: QtBot, make_screen: Any
) -> None:
    _top_manager()
    document = policy.policy_document()
    draft = policy.start_draft(document, TEXT)
    for point in POLICY_POINTS[:3]:
        policy.set_check(draft, point.key, True)
    screen = make_screen()

    dialog = _open_dialog(qtbot, screen, screen.approve_button, ApproveDialog)
    assert dialog.unmet_frame.isVisible()
    assert POLICY_POINTS[3].title in dialog.unmet_label.text()
    assert not dialog.approve_button.isEnabled()
    # Even forced past the disabled button, the core refuses and the dialog says why.
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert policy.in_force() is None
    assert DocumentVersion.get_by_id(draft.id).status == "draft"

    click(qtbot, dialog.confirm_check)
    with qtbot.waitSignal(screen.status_message) as message:
        click(qtbot, dialog.approve_button)
    approved = DocumentVersion.get_by_id(draft.id)
    assert approved.status == "approved"
    assert "unmet points (confirmed)" in approved.approval_note
    assert "Approved with unmet points" in message.args[0]
    assert POLICY_POINTS[3].title in screen.check_intro.text()


def test_an_approver_outside_top_management_is_warned_and_recorded(
    qtbot: QtBot, make_screen: Any
) -> None:
    _top_manager()
    (clerk,) = _staff("Carl Clerk")
    draft = policy.start_draft(policy.policy_document(), TEXT)
    for point in POLICY_POINTS:
        policy.set_check(draft, point.key, True)
    screen = make_screen()

    dialog = _open_dialog(qtbot, screen, screen.approve_button, ApproveDialog)
    assert dialog.approver_combo.itemText(1).endswith("top management")  # listed first
    dialog.select_approver(clerk)
    assert dialog.top_warning.isVisible()
    assert "Carl Clerk is not in a top-management role" in dialog.top_warning.text()
    with qtbot.waitSignal(screen.status_message) as message:
        click(qtbot, dialog.approve_button)
    approved = DocumentVersion.get_by_id(draft.id)
    assert approved.status == "approved" and not approved.approved_by_top_management
    assert "not in a top-management role" in message.args[0]
    assert "(not top management)" in screen.status_label.text()


def test_a_new_draft_copies_the_text_and_supersedes_on_approval(
    qtbot: QtBot, make_screen: Any
) -> None:
    boss = _top_manager()
    first = _approved_version(boss)
    screen = make_screen()
    assert screen.editor.isReadOnly()
    assert not screen.has_unsaved_changes()

    click(qtbot, screen.start_draft_button)
    draft = policy.current_draft(first.document)
    assert draft is not None and draft.number == 2
    assert screen.editor.toPlainText() == TEXT
    assert not screen.editor.isReadOnly()
    assert screen.version_heading.text() == "Version 2"

    screen.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(screen.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(screen.editor, "We train every new starter in this policy.")
    qtbot.keyClicks(screen.summary_edit, "Training added")
    assert screen.save()  # what Ctrl+S calls through the main window
    assert "We train every new starter" in DocumentVersion.get_by_id(draft.id).body

    # Ctrl+N with a draft open goes to it rather than starting another.
    screen.show_awareness_of_policy_in_force()
    assert screen.version_heading.text() == "Version 1"
    screen.new_record()
    assert screen.version_heading.text() == "Version 2"
    assert len(policy.versions(first.document)) == 2

    for point in POLICY_POINTS:
        click(qtbot, screen.point_rows[point.key].check)
    dialog = _open_dialog(qtbot, screen, screen.approve_button, ApproveDialog)
    assert "Version 1 is superseded" in dialog.intro_label.text()
    with qtbot.waitSignal(screen.status_message) as message:
        click(qtbot, dialog.approve_button)
    assert "Version 1 is superseded" in message.args[0]
    assert DocumentVersion.get_by_id(first.id).status == "superseded"
    assert policy.in_force().id == draft.id
    statuses = [screen.version_list.item(row).data(STATUS_ROLE)
                for row in range(screen.version_list.count())]
    assert statuses == ["approved", "superseded"]
    assert screen.status_label.text().startswith("Version 2 in force")


def test_acknowledgements_move_people_and_restart_with_a_new_version(
    qtbot: QtBot, make_screen: Any
) -> None:
    boss = _top_manager()
    ben, cleo, _dan = _staff("Ben Fitter", "Cleo Diaz", "Dan Patel")
    first = _approved_version(boss)
    screen = make_screen()
    assert screen.awareness_button.text() == "4 people have not acknowledged it"

    click(qtbot, screen.awareness_button)
    assert screen.tabs.currentWidget() is screen.awareness_tab
    assert screen.not_yet_label.text() == "Not yet acknowledged (4)"
    assert screen.done_label.text() == "Acknowledged (0)"
    assert "4 people have not acknowledged version 1" in screen.awareness_headline.text()

    dialog = _open_dialog(qtbot, screen, screen.acknowledge_button, AcknowledgementDialog)
    assert not dialog.record_button.isEnabled()
    names = [dialog.people_list.item(r).text() for r in range(dialog.people_list.count())]
    for person in (ben, cleo):
        row = next(r for r, name in enumerate(names) if name.startswith(person.full_name))
        dialog.people_list.setCurrentRow(row)
        qtbot.keyClick(dialog.people_list, Qt.Key.Key_Space)
    assert dialog.record_button.text().replace("&", "") == "Record 2 acknowledgements"
    assert dialog.date_edit.date() == dt.date.today()
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, dialog.record_button)

    assert screen.done_label.text() == "Acknowledged (2)"
    assert screen.not_yet_label.text() == "Not yet acknowledged (2)"
    assert _tree_names(screen.done_list) == ["Ben Fitter", "Cleo Diaz"]
    assert "Ben Fitter" not in _tree_names(screen.not_yet_list)
    assert screen.awareness_button.text() == "2 people have not acknowledged it"
    assert {a.person.id for a in policy.acknowledged_by(first)} == {ben.id, cleo.id}

    second = policy.start_draft(first.document)
    for point in POLICY_POINTS:
        policy.set_check(second, point.key, True)
    policy.approve(second, boss)
    screen.reload()
    screen.show_awareness_of_policy_in_force()
    assert screen.version_heading.text() == "Version 2"
    assert screen.not_yet_label.text() == "Not yet acknowledged (4)"
    assert screen.done_label.text() == "Acknowledged (0)"


def test_record_a_communication(qtbot: QtBot, make_screen: Any) -> None:
    boss = _top_manager()
    _approved_version(boss)
    screen = make_screen()
    screen.show_awareness_of_policy_in_force()
    assert screen.no_communications_label.isVisible()

    dialog = _open_dialog(qtbot, screen, screen.communication_button, CommunicationDialog)
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("notice_board"))
    qtbot.keyClicks(dialog.audience_edit, "All staff")
    dialog.by_combo.setCurrentIndex(dialog.by_combo.findData(boss.id))
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, dialog.record_button)

    table = screen.communications_table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in (0, 2, 3)] == ["Notice board", "All staff",
                                                            "Ann Boss"]
    assert screen.communications_label.text() == "Communications (1)"


def test_a_bad_date_keeps_the_communication_dialog_open(
    qtbot: QtBot, make_screen: Any
) -> None:
    _approved_version(_top_manager())
    screen = make_screen()
    screen.show_awareness_of_policy_in_force()
    dialog = _open_dialog(qtbot, screen, screen.communication_button, CommunicationDialog)
    dialog.date_edit.line_edit.clear()
    qtbot.keyClicks(dialog.date_edit.line_edit, "2026-13")
    click(qtbot, dialog.record_button)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    dialog.reject()


def test_export_pdf(qtbot: QtBot, make_screen: Any, monkeypatch: pytest.MonkeyPatch,
                    tmp_path: Path) -> None:
    screen = make_screen()
    _top_manager()
    draft = policy.start_draft(policy.policy_document(), TEXT)
    screen.reload()
    assert not screen.export_button.isEnabled()
    assert "approve" in screen.export_button.toolTip().lower()

    for point in POLICY_POINTS:
        policy.set_check(draft, point.key, True)
    policy.approve(draft, Person.get(Person.full_name == "Ann Boss"))
    screen.reload()
    offered: list[str] = []

    def choose(_parent: Any, _title: str, proposed: str, _filter: str) -> tuple[str, str]:
        offered.append(proposed)
        return str(tmp_path / "policy for the board"), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.export_button)
    assert Path(offered[0]).name == "Quality policy v1.pdf"
    written = tmp_path / "policy for the board.pdf"
    assert written.read_bytes().startswith(b"%PDF")


def test_export_cancelled_writes_nothing(qtbot: QtBot, make_screen: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _approved_version(_top_manager())
    screen = make_screen()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: ("", "")))
    assert screen.export_pdf() is None


def test_compare_two_versions(qtbot: QtBot, make_screen: Any) -> None:
    boss = _top_manager()
    first = _approved_version(boss)
    second = policy.start_draft(first.document)
    policy.edit_draft(second, TEXT.replace("yearly", "quarterly") + "\nWe train new starters.")
    screen = make_screen()

    dialog = _open_dialog(qtbot, screen, screen.compare_button, CompareDialog)
    assert dialog.older_combo.currentData() == first.id
    assert dialog.newer_combo.currentData() == second.id
    table = dialog.table
    changes = {table.verticalHeaderItem(r).text() for r in range(table.rowCount())}
    assert changes == {"", "~", "+"}
    changed_row = next(r for r in range(table.rowCount())
                       if table.verticalHeaderItem(r).text() == "~")
    assert "yearly" in table.item(changed_row, 0).text()
    assert "quarterly" in table.item(changed_row, 1).text()
    base = table.palette().color(QPalette.ColorRole.Base)
    assert table.item(changed_row, 0).background().color() != base
    assert dialog.summary_label.text() == "1 line changed, 1 line added." or \
        dialog.summary_label.text() == "1 line added, 1 line changed."
    dialog.reject()


def test_compare_needs_two_versions(make_screen: Any) -> None:
    _approved_version(_top_manager())
    screen = make_screen()
    assert not screen.compare_button.isEnabled()
    assert "two versions" in screen.compare_button.toolTip()


def test_an_empty_text_is_not_saved(qtbot: QtBot, make_screen: Any) -> None:
    screen = make_screen()
    screen.new_record()
    qtbot.keyClicks(screen.editor, "   ")
    assert not screen.save()
    assert screen.body_error.isVisible()
    assert "empty" in screen.body_error.text()
    assert screen.has_unsaved_changes()


def test_leaving_a_draft_saves_it(qtbot: QtBot, make_screen: Any) -> None:
    boss = _top_manager()
    first = _approved_version(boss)
    policy.start_draft(first.document)
    screen = make_screen()
    assert screen.version_heading.text() == "Version 2"
    screen.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(screen.editor, " Always.")
    screen.version_list.setCurrentRow(1)  # version 1
    assert screen.version_heading.text() == "Version 1"
    assert policy.current_draft(first.document).body.endswith("Always.")


def test_saving_drops_links_to_sentences_that_were_deleted(
    qtbot: QtBot, make_screen: Any
) -> None:
    draft = policy.start_draft(policy.policy_document(), TEXT)
    policy.set_check(draft, "improvement", True, evidence=LINES[3])
    screen = make_screen()
    assert screen.point_rows["improvement"].check.isChecked()
    screen.editor.selectAll()
    qtbot.keyClicks(screen.editor, "We make pumps.")
    with qtbot.waitSignal(screen.status_message) as message:
        assert screen.save()
    assert "Commits to continual improvement" in message.args[0]
    assert not screen.point_rows["improvement"].check.isChecked()
    assert screen.point_rows["improvement"].evidence_label.text() == "No sentence linked yet."


def test_approve_needs_people(make_screen: Any) -> None:
    screen = make_screen()
    screen.new_record()
    assert not screen.approve_button.isEnabled()
    assert "people" in screen.approve_button.toolTip()


def test_the_text_has_room_in_a_small_laptop_window(qtbot: QtBot, live_window: Any,
                                                     go_to: Any) -> None:
    document = policy.policy_document()
    assert document is not None
    policy.start_draft(document, TEXT)
    window = live_window
    window.reminder.hide()  # shown only when actions are due: measure without its room
    window.resize(1024, 640)
    screen = go_to(window, "policy")
    editor, check = screen.editor, screen.check_scroll

    # At 1024 the 5.2.1 check goes under the text instead of squeezing it beside.
    qtbot.waitUntil(lambda: editor.width() >= 450 and check.isVisible())
    line = editor.fontMetrics().lineSpacing()
    assert editor.height() >= 5 * line
    editor_bottom = editor.mapTo(screen, editor.rect().bottomLeft()).y()
    assert check.mapTo(screen, check.rect().topLeft()).y() > editor_bottom
    # The save state reads on one line beside Save and Approve.
    assert screen.dirty_label.text() == "All changes saved"
    assert screen.dirty_label.height() < 2 * screen.dirty_label.fontMetrics().lineSpacing()
    assert screen.dirty_label.width() >= screen.dirty_label.sizeHint().width()
    summary = screen.summary_edit
    assert summary.width() >= summary.fontMetrics().horizontalAdvance("x" * 40)

    # With room for both (1366 wide), the check is beside the text again.
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: check.mapTo(screen, check.rect().topLeft()).x()
                    > editor.mapTo(screen, editor.rect().topRight()).x())
    assert editor.width() >= 450
    assert screen.dirty_label.height() < 2 * screen.dirty_label.fontMetrics().lineSpacing()
