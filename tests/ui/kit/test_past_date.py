"""A new planned item dated in the past asks first; No keeps the dialog open to change it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from qms_desktop import clock, records
from qms_desktop.models import Action, ManagementReview, Person
from ui.kit.past_date import PAST_DATE_REFUSED, confirm_past_date
from ui.screens.actions.actions_screen import ActionsScreen
from ui.screens.reviews.review_dialogs import PlanReviewDialog

YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@dataclass
class Questions:
    asked: list[tuple[str, str]] = field(default_factory=list)  # (title, text)
    answers: list[Any] = field(default_factory=list)  # the buttons to press, in turn


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Questions:
    found = Questions()

    def question(_parent: Any, title: str, text: str, *_args: Any) -> Any:
        found.asked.append((title, text))
        return found.answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    return found


def test_today_and_later_go_on_without_asking(questions: Questions) -> None:
    assert confirm_past_date(None, "The audit would be planned", clock.today())
    assert confirm_past_date(None, "The audit would be planned", None)
    assert questions.asked == []


def test_a_past_date_asks_and_the_answer_decides(questions: Questions) -> None:
    day = clock.today() - dt.timedelta(days=400)
    questions.answers.extend([NO, YES])
    assert not confirm_past_date(None, "The review would be held", day)
    assert confirm_past_date(None, "The review would be held", day)
    assert len(questions.asked) == 2
    title, text = questions.asked[0]
    assert title == "A date in the past"
    assert text.startswith(f"The review would be held on {day.day} ")
    assert "which has passed" in text


def test_a_new_action_due_in_the_past_is_saved_only_when_confirmed(
        qtbot: QtBot, show: Any, store: object, questions: Questions) -> None:
    records.create(Person, full_name="Ada Lovelace")
    screen = show(ActionsScreen())
    screen.new_record()
    dialog = screen.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.fields["title"], "Tidy the stores")
    due = dialog.fields["due_on"]
    due.line_edit.clear()
    last_year = clock.today() - dt.timedelta(days=365)
    qtbot.keyClicks(due.line_edit, last_year.isoformat())

    questions.answers.append(NO)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_text("due_on") == PAST_DATE_REFUSED
    assert Action.select().count() == 0

    questions.answers.append(YES)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert Action.get().due_on == last_year


def test_a_review_planned_for_a_past_day_asks_first(
        qtbot: QtBot, show: Any, store: object, questions: Questions) -> None:
    chair = records.create(Person, full_name="Ann Boss")
    dialog = show(PlanReviewDialog(), None)
    dialog.chair_combo.setCurrentIndex(dialog.chair_combo.findData(chair.id))
    dialog.date_edit.line_edit.clear()
    yesterday = clock.today() - dt.timedelta(days=1)
    qtbot.keyClicks(dialog.date_edit.line_edit, yesterday.isoformat())

    questions.answers.append(NO)
    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.date_problem.text() == PAST_DATE_REFUSED
    assert ManagementReview.select().count() == 0

    questions.answers.append(YES)
    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
    assert ManagementReview.get().meeting_on == yesterday
