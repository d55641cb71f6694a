"""A management review's details and minutes when someone else saved the review after it was
read: Save is refused naming who and when, with Reload and Compare; what was typed stays
until the user chooses, and Reload keeps what they did not change (the minutes too)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pytestqt.qtbot import QtBot

from qms_desktop import clock, records, reviews
from qms_desktop.models import ManagementReview, Organisation, Person, ReviewInput
from tests.ui.interact import click, retype, screenshot
from ui.kit.record_changed import ChangesDialog
from ui.screens.reviews.reviews_screen import ReviewsScreen

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."


def _refused(qtbot: QtBot, show: Any, size: tuple[int, int] = (1280, 820)
             ) -> tuple[ReviewsScreen, ManagementReview]:
    """A planned review: its place retyped, its suitability and an input's commentary
    written, Maria's new place saved meanwhile, and Save pressed."""
    records.create(Organisation, name="Example Pumps Ltd", currency="GBP", edition="2015")
    boss = records.create(Person, full_name="Ann Boss")
    review = reviews.plan_review(clock.today(), place="Office", chair=boss)
    screen = show(ReviewsScreen(), size)
    retype(qtbot, screen.before_tab.place_edit, "Board room")
    qtbot.keyClicks(screen.conclusion_tab.conclusion_edits["suitability"], "Suitable for now.")
    section = screen.inputs_tab.input_sections[0]
    section.set_expanded(True)
    qtbot.keyClicks(section.commentary_edit, "Two audits done.")
    with records.history_as(who="Maria Khan"):
        reviews.update_details(ManagementReview.get_by_id(review.id), place="Meeting room 2")
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    return screen, review


def test_the_refusal_names_who_and_when_and_keeps_what_was_typed(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, review = _refused(qtbot, show)
        assert screen.changed_choice.bar.isVisible()
        assert screen.changed_choice.bar.text() == REFUSAL
        assert screen.before_tab.place_edit.text() == "Board room"
        assert screen.conclusion_tab.conclusion_edits["suitability"].toPlainText() == (
            "Suitable for now.")
        assert screen.inputs_tab.input_sections[0].values()[0] == "Two audits done."
        assert screen.has_unsaved_changes()
    assert ManagementReview.get_by_id(review.id).place == "Meeting room 2"
    assert not ReviewInput.select().where(ReviewInput.review == review.id).exists()


def test_compare_lists_their_place_beside_mine(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _review = _refused(qtbot, show)
        click(qtbot, screen.changed_choice.bar.compare_button)
        compared = screen.changed_choice.compare_dialog
        assert isinstance(compared, ChangesDialog)
        qtbot.waitUntil(compared.isVisible)
        # The next review date the screen offers would be saved too, so it is listed.
        offered = screen.conclusion_tab.next_review_edit.text()
        assert offered
        assert [(mine, theirs) for _label, mine, theirs in compared.rows()] == [
            ("Board room", "Meeting room 2"), ("Suitable for now.", ""), (offered, "")]
        assert compared.rows()[0][0] == "Place"
        click(qtbot, compared.back_button)
        qtbot.waitUntil(lambda: not compared.isVisible())
    assert screen.before_tab.place_edit.text() == "Board room"


def test_reload_takes_their_place_keeps_the_rest_and_the_next_save_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, review = _refused(qtbot, show)
        click(qtbot, screen.changed_choice.bar.reload_button)
    assert not screen.changed_choice.bar.isVisible()
    assert screen.before_tab.place_edit.text() == "Meeting room 2"
    assert screen.conclusion_tab.conclusion_edits["suitability"].toPlainText() == (
        "Suitable for now.")
    assert screen.inputs_tab.input_sections[0].values()[0] == "Two audits done."
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    stored = ManagementReview.get_by_id(review.id)
    assert (stored.place, stored.suitability) == ("Meeting room 2", "Suitable for now.")
    code = screen.inputs_tab.input_sections[0].code
    assert reviews.input_notes(stored)[code].commentary == "Two audits done."
    assert not screen.changed_choice.bar.isVisible()


def test_the_bar_fits_in_a_small_window(qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _review = _refused(qtbot, show, (1024, 640))
    screenshot(screen, "review_changed_meanwhile_1024x640")
    bar = screen.changed_choice.bar
    for button in (bar.reload_button, bar.compare_button, screen.save_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width()
        assert not button.visibleRegion().isEmpty()
    assert bar.message.height() >= bar.message.heightForWidth(bar.message.width())
