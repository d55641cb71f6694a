"""A 5.2.1 point of the policy's draft when someone else changed it after the screen showed
it: the tick or link is refused naming who and when, with nothing written; the point keeps
what was asked, Compare lists theirs beside it, Reload shows theirs and the next tick lands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pytestqt.qtbot import QtBot

from qms_desktop import clock, policy, records
from qms_desktop.models import DocumentVersion
from tests.ui.interact import click, screenshot
from ui.kit.record_changed import ChangesDialog
from ui.screens.policy.policy_screen import PolicyScreen

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."
TEXT = "We repair industrial pumps.\nWe keep improving how we work."
SENTENCE = "We keep improving how we work."


def _refused(qtbot: QtBot, show: Any, size: tuple[int, int] = (1200, 760)
             ) -> tuple[PolicyScreen, DocumentVersion]:
    """The draft's improvement point shown unmet; Maria links its sentence meanwhile; the
    user ticks it."""
    document = policy.policy_document()
    assert document is not None
    draft = policy.start_draft(document, TEXT)
    screen = show(PolicyScreen(), size)
    with records.history_as(who="Maria Khan"):
        policy.set_check(DocumentVersion.get_by_id(draft.id), "improvement", True, SENTENCE)
    row = screen.point_rows["improvement"]
    screen.check_scroll.ensureWidgetVisible(row.check)
    with qtbot.waitSignal(screen.status_message):
        row.check.click()
    return screen, draft


def _stored(draft: DocumentVersion) -> tuple[bool, str]:
    check = policy.checks(draft)["improvement"]
    return check.met, check.evidence


def test_the_refusal_names_who_and_when_and_keeps_the_tick(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, draft = _refused(qtbot, show)
    row = screen.point_rows["improvement"]
    assert row.changed_bar.isVisible() and row.changed_bar.text() == REFUSAL
    assert row.check.isChecked()
    assert row.evidence_label.text() == "No sentence linked yet."
    # Nothing written: theirs stands.
    assert _stored(draft) == (True, SENTENCE)
    assert not screen.point_rows["purpose"].changed_bar.isVisible()


def test_compare_lists_their_sentence_beside_mine(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _draft = _refused(qtbot, show)
    click(qtbot, screen.point_rows["improvement"].changed_bar.compare_button)
    compared = screen.check_compare_dialog
    assert isinstance(compared, ChangesDialog)
    qtbot.waitUntil(compared.isVisible)
    assert compared.rows() == [("Linked sentence", "", SENTENCE)]
    click(qtbot, compared.back_button)
    qtbot.waitUntil(lambda: not compared.isVisible())
    assert screen.point_rows["improvement"].changed_bar.isVisible()


def test_reload_shows_theirs_and_the_next_tick_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, draft = _refused(qtbot, show)
    row = screen.point_rows["improvement"]
    click(qtbot, row.changed_bar.reload_button)
    assert not row.changed_bar.isVisible()
    assert row.check.isChecked()
    assert row.evidence_label.text() == f"“{SENTENCE}”"
    assert row.unlink_button.isVisible()
    # Unticking now goes over their version, keeping their sentence.
    with qtbot.waitSignal(screen.status_message, timeout=500, raising=False):
        row.check.click()
    assert not row.changed_bar.isVisible()
    assert _stored(draft) == (False, SENTENCE)
    click(qtbot, row.unlink_button)
    assert _stored(draft) == (False, "")
    assert not row.changed_bar.isVisible()


def test_the_bar_fits_in_a_small_window(qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _draft = _refused(qtbot, show, (1024, 640))
    bar = screen.point_rows["improvement"].changed_bar
    qtbot.waitUntil(lambda: not bar.reload_button.visibleRegion().isEmpty())
    screenshot(screen, "policy_check_changed_meanwhile_1024x640")
    for button in (bar.reload_button, bar.compare_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width()
        assert not button.visibleRegion().isEmpty()
    assert bar.message.height() >= bar.message.heightForWidth(bar.message.width())
