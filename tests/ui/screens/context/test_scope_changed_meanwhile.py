"""The scope's draft statement when someone else saved it after it was read: Save is
refused naming who and when, Compare shows theirs beside mine, Reload takes theirs, and what
was typed stays until the user chooses. Before, the screen read the draft again just before
saving and wrote over their statement unseen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from qms_desktop import clock, context, records
from qms_desktop.models import DocumentVersion
from tests.ui.interact import click
from ui.kit.record_changed import ChangesDialog
from ui.screens.context.scope_screen import ScopeScreen

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."
FIRST = "Repairs of industrial pumps."
THEIRS = "Repairs and servicing of industrial pumps."
MINE = FIRST + " On site too."


def _refused(qtbot: QtBot, show: Any) -> tuple[ScopeScreen, DocumentVersion]:
    document = context.scope_document()
    assert document is not None
    draft = context.start_scope_draft(document)
    context.edit_scope_draft(draft, FIRST)
    screen = show(ScopeScreen())
    screen.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(screen.editor, " On site too.")
    with records.history_as(who="Maria Khan"):
        context.edit_scope_draft(DocumentVersion.get_by_id(draft.id), THEIRS)
    assert not screen.save()
    return screen, draft


def test_a_statement_saved_meanwhile_is_refused_with_who_and_when(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, draft = _refused(qtbot, show)
        assert screen.changed_choice.bar.text() == REFUSAL
        assert screen.editor.toPlainText() == MINE
        assert not screen.save()  # saving again before choosing is refused again
        assert screen.editor.toPlainText() == MINE
    assert DocumentVersion.get_by_id(draft.id).body == THEIRS


def test_compare_then_reload_takes_theirs_and_the_next_save_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, draft = _refused(qtbot, show)
        click(qtbot, screen.changed_choice.bar.compare_button)
        compared = screen.changed_choice.compare_dialog
        assert isinstance(compared, ChangesDialog)
        qtbot.waitUntil(compared.isVisible)
        assert compared.rows() == [("Scope statement", MINE, THEIRS)]
        click(qtbot, compared.reload_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
    assert screen.editor.toPlainText() == THEIRS
    assert not screen.changed_choice.bar.isVisible()
    assert not screen.has_unsaved_changes()
    screen.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(screen.editor, " On site too.")
    assert screen.save()
    assert DocumentVersion.get_by_id(draft.id).body == THEIRS + " On site too."
