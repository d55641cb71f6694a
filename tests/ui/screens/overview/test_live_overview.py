"""From the walkthrough: the overview shows a review planned on the Reviews screen and a new
point raised by a process added elsewhere (it kept asking to plan a review already planned)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import catalogue, clock, formatting, registers
from qms_desktop.models import ManagementReview
from tests.ui.interact import add_in_register
from ui.kit.register_screen import RegisterScreen
from ui.screens.overview.overview import OverviewScreen
from ui.screens.reviews.review_dialogs import PlanReviewDialog
from ui.shell.main_window import MainWindow

GoTo = Callable[[MainWindow, str], QWidget]


def _card(overview: OverviewScreen) -> tuple[str, str]:
    card = overview.cards["next_review"]
    return card.number_label.text(), card.note.text()


def test_the_overview_shows_a_review_planned_elsewhere(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo
) -> None:
    chair = registers.save(catalogue.PEOPLE, None, {"full_name": "Ann Boss"})
    overview = go_to(live_window, "overview")
    assert isinstance(overview, OverviewScreen)
    qtbot.waitUntil(lambda: _card(overview) == ("Not held yet", "Plan the first review."))

    # Plan it as a user does: Reviews, New (Ctrl+N), the dialog's Plan review button.
    reviews_screen = go_to(live_window, "reviews")
    live_window.new_action.trigger()
    dialog = reviews_screen.findChild(PlanReviewDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.chair_combo.setCurrentIndex(dialog.chair_combo.findData(chair.id))
    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    planned_on = ManagementReview.get().meeting_on
    assert planned_on > clock.today()

    go_to(live_window, "overview")
    qtbot.waitUntil(lambda: _card(overview) == (formatting.short_date(planned_on), "Planned"))


def test_the_overview_shows_a_point_raised_by_a_process_added_elsewhere(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo
) -> None:
    overview = go_to(live_window, "overview")
    assert isinstance(overview, OverviewScreen)
    qtbot.waitUntil(lambda: bool(overview.clause_cards["4"].links))
    assert not any("Powder coating" in link.text() for link in overview.clause_cards["4"].links)

    processes = go_to(live_window, "processes")
    assert isinstance(processes, RegisterScreen)
    add_in_register(qtbot, processes, "name", "Powder coating")
    go_to(live_window, "overview")

    qtbot.waitUntil(lambda: any("Powder coating" in link.text()
                                for link in overview.clause_cards["4"].links))
