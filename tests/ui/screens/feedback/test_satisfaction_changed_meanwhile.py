"""A satisfaction result saved by someone else while I typed mine for the same month: Save
is refused naming who and when, my typing stays, Compare shows both, Reload takes theirs
and my next save lands."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from qms_desktop import feedback, records
from tests.ui.interact import click, retype
from ui.screens.feedback.feedback_screen import SATISFACTION_TAB, FeedbackScreen

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def screen(show: Any, store: object) -> FeedbackScreen:
    screen = show(FeedbackScreen(), (1024, 640))
    screen.tabs.setCurrentIndex(SATISFACTION_TAB)
    return screen


def _scores() -> list[tuple[dt.date, float, int]]:
    return [(p.period_start, p.score, p.responses) for p in feedback.satisfaction_trend()]


def test_a_result_entered_meanwhile_is_named_and_reload_takes_theirs(
    qtbot: QtBot, screen: FeedbackScreen
) -> None:
    panel = screen.satisfaction
    panel.period_edit.setDate(QDate(2026, 3, 1))
    retype(qtbot, panel.score_edit, "8.5")
    retype(qtbot, panel.responses_edit, "25")
    with records.history_as(who="Maria Khan"):
        feedback.record_satisfaction(MARCH, 7.0, 40, method="Web form")
    screen.reload()  # as the live change feed does: the typing stays

    click(qtbot, panel.save_button)

    bar = panel.changed_bar
    assert bar.isVisible()
    assert bar.text().startswith("Not saved. Changed by Maria Khan ")
    assert _scores() == [(MARCH, 7.0, 40)]
    assert (panel.score_edit.value(), panel.responses_edit.value()) == (8.5, 25)

    click(qtbot, bar.compare_button)
    dialog = panel.compare_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    rows = {label: (mine, theirs) for label, mine, theirs in dialog.rows()}
    assert rows["Score"] == ("8.5", "7.0")
    assert rows["Method"] == ("", "Web form")
    click(qtbot, dialog.back_button)

    click(qtbot, bar.reload_button)
    assert not bar.isVisible()
    assert (panel.score_edit.value(), panel.responses_edit.value()) == (7.0, 40)
    assert not panel.has_unsaved_changes()
    retype(qtbot, panel.score_edit, "8.5")
    click(qtbot, panel.save_button)
    assert not bar.isVisible()
    assert _scores() == [(MARCH, 8.5, 40)]


def test_a_result_for_another_month_goes_through(qtbot: QtBot, screen: FeedbackScreen) -> None:
    panel = screen.satisfaction
    panel.period_edit.setDate(QDate(2026, 4, 1))
    retype(qtbot, panel.score_edit, "9")
    retype(qtbot, panel.responses_edit, "30")
    with records.history_as(who="Maria Khan"):
        feedback.record_satisfaction(MARCH, 7.0, 40)
    click(qtbot, panel.save_button)
    assert not panel.changed_bar.isVisible()
    assert _scores() == [(MARCH, 7.0, 40), (dt.date(2026, 4, 1), 9.0, 30)]
