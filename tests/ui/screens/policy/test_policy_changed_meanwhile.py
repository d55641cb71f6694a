"""The quality policy's draft when someone else saved it after it was read: Save is refused
naming who and when, with Reload and Compare; what was typed stays until the user chooses,
and a change that reaches the screen while one is typing never lets a save replace theirs
unseen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from qms_desktop import clock, policy, records
from qms_desktop.models import DocumentVersion
from tests.ui.interact import click, screenshot
from ui.kit.record_changed import ChangesDialog
from ui.screens.policy.policy_screen import PolicyScreen

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."
TEXT = "We repair industrial pumps.\nWe keep improving how we work."
THEIRS = TEXT + "\nWe train everyone who repairs a pump."
MINE = TEXT + " Always."


def _draft() -> DocumentVersion:
    document = policy.policy_document()
    assert document is not None
    return policy.start_draft(document, TEXT)


def _typed(qtbot: QtBot, show: Any, size: tuple[int, int] = (1200, 760)) -> PolicyScreen:
    screen = show(PolicyScreen(), size)
    screen.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(screen.editor, " Always.")
    qtbot.keyClicks(screen.summary_edit, "Improvement for ever")
    return screen


def _by_maria(draft: DocumentVersion) -> None:
    with records.history_as(who="Maria Khan"):
        policy.edit_draft(DocumentVersion.get_by_id(draft.id), THEIRS)


def _refused(qtbot: QtBot, show: Any, size: tuple[int, int] = (1200, 760)
             ) -> tuple[PolicyScreen, DocumentVersion]:
    draft = _draft()
    screen = _typed(qtbot, show, size)
    _by_maria(draft)
    assert not screen.save()
    return screen, draft


def test_the_refusal_names_who_and_when_and_keeps_the_text(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, draft = _refused(qtbot, show)
        bar = screen.changed_choice.bar
        assert bar.isVisible() and bar.text() == REFUSAL
        assert (screen.editor.toPlainText(), screen.summary_edit.text()) == (
            MINE, "Improvement for ever")
        assert not screen.save()  # again before choosing: still refused
        assert bar.isVisible()
    assert DocumentVersion.get_by_id(draft.id).body == THEIRS


def test_compare_lists_their_text_beside_mine(qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _version = _refused(qtbot, show)
        click(qtbot, screen.changed_choice.bar.compare_button)
        compared = screen.changed_choice.compare_dialog
        assert isinstance(compared, ChangesDialog)
        qtbot.waitUntil(compared.isVisible)
        assert compared.rows() == [("Policy text", MINE, THEIRS),
                                   ("What changed", "Improvement for ever", "")]
        click(qtbot, compared.back_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
    assert screen.editor.toPlainText() == MINE


def test_reload_takes_their_text_keeps_my_summary_and_the_next_save_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, draft = _refused(qtbot, show)
        click(qtbot, screen.changed_choice.bar.reload_button)
    assert not screen.changed_choice.bar.isVisible()
    assert screen.editor.toPlainText() == THEIRS
    assert screen.summary_edit.text() == "Improvement for ever"  # they left it alone
    assert screen.has_unsaved_changes()
    assert screen.save()
    stored = DocumentVersion.get_by_id(draft.id)
    assert (stored.body, stored.change_summary) == (THEIRS, "Improvement for ever")
    screen.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(screen.editor, " Yearly.")
    assert screen.save()  # from the copy just saved, not refused by my own save
    assert DocumentVersion.get_by_id(draft.id).body == THEIRS + " Yearly."


def test_their_change_read_while_typing_does_not_let_my_save_replace_it(
        qtbot: QtBot, show: Any, store: object) -> None:
    """The screen reads the document again when anything of it changes (another window's
    save reaches it): the typing stays, and so does the copy it was typed over."""
    with clock.stopped_at(MORNING):
        draft = _draft()
        screen = _typed(qtbot, show)
        _by_maria(draft)
        screen.reload()
        assert screen.editor.toPlainText() == MINE
        assert not screen.save()
        assert screen.changed_choice.bar.text() == REFUSAL
    assert DocumentVersion.get_by_id(draft.id).body == THEIRS


def test_the_bar_fits_in_a_small_window(qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _version = _refused(qtbot, show, (1024, 640))
    screenshot(screen, "policy_changed_meanwhile_1024x640")
    bar = screen.changed_choice.bar
    for button in (bar.reload_button, bar.compare_button, screen.save_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width()
        assert not button.visibleRegion().isEmpty()
    assert bar.message.height() >= bar.message.heightForWidth(bar.message.width())
