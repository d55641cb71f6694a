"""The customer feedback screen: responses, closing, and the satisfaction trend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from qms_desktop import feedback
from qms_desktop.models import Feedback, SatisfactionResult
from tests.ui.interact import click, retype
from ui.screens.feedback.feedback_screen import SATISFACTION_TAB, FeedbackScreen

TODAY = dt.date.today()


@pytest.fixture
def screen(show: Any, store: object) -> Iterator[FeedbackScreen]:
    yield show(FeedbackScreen())


def test_a_satisfaction_result_shows_in_the_chart(qtbot: QtBot, screen: FeedbackScreen) -> None:
    screen.tabs.setCurrentIndex(SATISFACTION_TAB)
    panel = screen.satisfaction
    assert panel.chart_points() == []
    assert panel.stack.currentWidget() is panel.empty
    panel.period_edit.setDate(QDate(2026, 3, 1))
    retype(qtbot, panel.score_edit, "8.5")
    retype(qtbot, panel.responses_edit, "25")
    qtbot.keyClicks(panel.method_edit, "Phone survey")
    assert screen.has_unsaved_changes()
    click(qtbot, panel.save_button)
    result = SatisfactionResult.get()
    assert (result.score, result.scale_max, result.responses) == (8.5, 10, 25)
    assert panel.chart_points() == [(dt.date(2026, 3, 1), 85.0)]
    assert panel.stack.currentWidget() is panel.table
    assert not screen.has_unsaved_changes()

    # A second result the month after: the chart grows, the table shows the change.
    panel.start_new()
    panel.period_edit.setDate(QDate(2026, 4, 1))
    retype(qtbot, panel.score_edit, "9")
    retype(qtbot, panel.responses_edit, "30")
    assert screen.save()
    assert panel.chart_points() == [(dt.date(2026, 3, 1), 85.0), (dt.date(2026, 4, 1), 90.0)]
    assert panel.table.item(0, 4).text() == "+5 pts"
    assert "+5 points" in panel.trend_label.text()


def test_a_score_above_the_scale_is_refused(qtbot: QtBot, screen: FeedbackScreen) -> None:
    screen.tabs.setCurrentIndex(SATISFACTION_TAB)
    panel = screen.satisfaction
    retype(qtbot, panel.score_edit, "12")
    retype(qtbot, panel.responses_edit, "5")
    click(qtbot, panel.save_button)
    assert panel.problem.isVisible() and "between 0 and 10" in panel.problem.text()
    assert SatisfactionResult.select().count() == 0


def test_closing_feedback_keeps_the_response(qtbot: QtBot, screen: FeedbackScreen) -> None:
    item = feedback.record_feedback("compliment", "Baker & Sons", TODAY, "Quick answer")
    screen.reload()
    assert screen.show_record(item.id)
    panel = screen.response_panel
    assert not panel.raise_button.isVisible()  # only complaints raise nonconformities
    click(qtbot, panel.close_button)
    dialog = screen.dialog
    assert dialog is not None
    click(qtbot, dialog.ok_button)
    assert "response" in dialog.problem().lower()
    qtbot.keyClicks(dialog.fields["response"], "Thanked them by phone")
    click(qtbot, dialog.ok_button)
    stored = Feedback.get_by_id(item.id)
    assert stored.closed_on == TODAY and stored.response == "Thanked them by phone"
    assert panel.response_label.text() == "Thanked them by phone"
    assert panel.reopen_button.isEnabled() and not panel.close_button.isEnabled()
    click(qtbot, panel.reopen_button)
    assert Feedback.get_by_id(item.id).closed_on is None
