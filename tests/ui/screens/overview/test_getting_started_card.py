"""The overview's Getting started list: ticked from the records, live, one click to each step,
gone once every step is done."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import catalogue, registers
from qms_desktop.models import Person
from tests.qms_desktop.test_getting_started import fill_every_step
from tests.ui.interact import add_in_register
from ui.kit.register_screen import RegisterScreen
from ui.screens.overview.overview import OverviewScreen
from ui.shell.main_window import MainWindow

GoTo = Callable[[MainWindow, str], QWidget]


def _overview(qtbot: QtBot, window: MainWindow, go_to: GoTo) -> OverviewScreen:
    overview = go_to(window, "overview")
    assert isinstance(overview, OverviewScreen)
    qtbot.waitUntil(lambda: bool(overview.getting_started.steps))
    return overview


def test_a_new_system_lists_the_nine_steps_with_a_button_each(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo, screen_text: Callable[[QWidget], str]
) -> None:
    overview = _overview(qtbot, live_window, go_to)
    card = overview.getting_started
    assert card.isVisible()
    assert card.heading.text() == "Getting started · 0 of 9 done"
    qtbot.waitUntil(lambda: "Hold the first management review" in screen_text(card))
    text = screen_text(card)
    for words in ("Add your people and give each a role",
                  "Approve the quality policy and have everyone acknowledge it",
                  "Give the five quality duties to people or roles",
                  "Hold the first management review",
                  # the first open step says what to do next
                  "Next: No role is marked top management"):
        assert words in text
    assert len(card.buttons) == 9
    qtbot.waitUntil(lambda: card.buttons["risks"].height() > 0)  # laid out
    assert card.buttons["risks"].text() == "Open Risks && opportunities"

    # One click on a step's button opens its screen.
    qtbot.mouseClick(card.buttons["risks"], Qt.MouseButton.LeftButton)
    assert live_window.current_key() == "risks"


def test_the_list_follows_records_added_anywhere(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo, screen_text: Callable[[QWidget], str]
) -> None:
    overview = _overview(qtbot, live_window, go_to)
    card = overview.getting_started
    qtbot.waitUntil(lambda: card.buttons["people"].height() > 0)
    qtbot.mouseClick(card.buttons["people"], Qt.MouseButton.LeftButton)
    roles = live_window.current_screen()
    assert live_window.current_key() == "roles"
    assert isinstance(roles, RegisterScreen)
    add_in_register(qtbot, roles, "title", "Owner")

    # Saved while the overview is hidden: it reads again when shown.
    go_to(live_window, "overview")
    qtbot.waitUntil(lambda: "Next: Nobody holds a top-management role" in screen_text(card)
                    or "Next: No role is marked" in screen_text(card))
    # A record saved while the overview is on screen updates it in place.
    registers.save(catalogue.ROLES, None, {"title": "Director", "is_top_management": True})
    qtbot.waitUntil(lambda: "Next: Nobody holds a top-management role" in screen_text(card))


def test_the_list_is_gone_once_every_step_is_done(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo
) -> None:
    overview = _overview(qtbot, live_window, go_to)
    assert overview.getting_started.isVisible()
    fill_every_step(registers.save(catalogue.PEOPLE, None, {"full_name": "Test User"}))
    qtbot.waitUntil(lambda: not overview.getting_started.isVisible())
    assert overview.getting_started.heading.text() == "Getting started · 9 of 9 done"
    assert Person.select().count() == 2
