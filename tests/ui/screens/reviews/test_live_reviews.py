"""A change made elsewhere never throws away what was typed on the reviews screen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import catalogue, clock, registers, reviews
from qms_desktop.models import ManagementReview
from ui.screens.reviews.reviews_screen import ReviewsScreen
from ui.shell.main_window import MainWindow

GoTo = Callable[[MainWindow, str], QWidget]


def test_typing_that_cannot_be_saved_yet_survives_a_change_elsewhere(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo
) -> None:
    planned_on = clock.today() + dt.timedelta(days=30)
    reviews.plan_review(planned_on, place="Boardroom")
    screen = go_to(live_window, "reviews")
    assert isinstance(screen, ReviewsScreen)
    before = screen.before_tab
    qtbot.waitUntil(lambda: before.place_edit.text() == "Boardroom")
    before.place_edit.clear()
    qtbot.keyClicks(before.place_edit, "Works canteen")
    before.date_edit.line_edit.clear()
    qtbot.keyClicks(before.date_edit.line_edit, "2027-1")  # not a date yet
    assert screen.has_unsaved_changes()

    go_to(live_window, "people")
    registers.save(catalogue.PEOPLE, None, {"full_name": "Amira Haddad"})
    go_to(live_window, "reviews")

    qtbot.waitUntil(lambda: bool(before.details_problem.text()))
    assert before.place_edit.text() == "Works canteen"
    assert before.date_edit.line_edit.text() == "2027-1"
    assert ManagementReview.get().place == "Boardroom"  # nothing half-written was saved
