"""An input's notes when someone else saved that input's notes after the review screen showed
them: Save is refused naming who and when, with nothing written; the typed notes stay, Compare
lists theirs beside mine, Reload takes theirs for that input only and the next save lands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pytestqt.qtbot import QtBot

from qms_desktop import clock, records, reviews
from qms_desktop.models import ManagementReview, Organisation, Person
from tests.ui.interact import click, retype, screenshot
from ui.kit.record_changed import ChangesDialog
from ui.screens.reviews.reviews_screen import ReviewsScreen

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."


def _refused(qtbot: QtBot, show: Any, size: tuple[int, int] = (1280, 820)
             ) -> tuple[ReviewsScreen, ManagementReview]:
    """A review with notes on its first input: the place retyped and the first two inputs'
    commentaries typed, Maria's commentary on the first saved meanwhile, and Save pressed."""
    records.create(Organisation, name="Example Pumps Ltd", currency="GBP", edition="2015")
    boss = records.create(Person, full_name="Ann Boss")
    review = reviews.plan_review(clock.today(), place="Office", chair=boss)
    reviews.set_input_notes(review, "a", "Two open actions.", "On track.")
    screen = show(ReviewsScreen(), size)
    retype(qtbot, screen.before_tab.place_edit, "Board room")
    sections = screen.inputs_tab.input_sections
    assert sections[0].code == "a"
    for section, typed in zip(sections[:2], ("Both closed.", "Audits done."), strict=True):
        section.set_expanded(True)
        section.commentary_edit.clear()
        qtbot.keyClicks(section.commentary_edit, typed)
    with records.history_as(who="Maria Khan"):
        reviews.set_input_notes(ManagementReview.get_by_id(review.id), "a",
                                "One action is late.", "On track.")
    screen.show_step("before")
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    return screen, review


def _commentaries(review: ManagementReview) -> dict[str, str]:
    return {code: note.commentary for code, note in reviews.input_notes(review).items()}


def test_the_refusal_names_who_and_when_and_keeps_what_was_typed(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, review = _refused(qtbot, show)
        assert screen.notes_bar.isVisible()
        assert screen.notes_bar.text() == REFUSAL
        assert not screen.changed_choice.bar.isVisible()
    # The input that was refused is shown, open.
    assert screen.tabs.currentWidget() is screen.inputs_tab
    first, second = screen.inputs_tab.input_sections[:2]
    assert first.is_expanded()
    assert (first.values()[0], second.values()[0]) == ("Both closed.", "Audits done.")
    assert screen.before_tab.place_edit.text() == "Board room"
    assert screen.has_unsaved_changes()
    # Nothing written: not the place, not the other input's note.
    assert ManagementReview.get_by_id(review.id).place == "Office"
    assert _commentaries(review) == {first.code: "One action is late."}


def test_compare_lists_their_commentary_beside_mine(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _review = _refused(qtbot, show)
        click(qtbot, screen.notes_bar.compare_button)
    compared = screen.notes_compare_dialog
    assert isinstance(compared, ChangesDialog)
    qtbot.waitUntil(compared.isVisible)
    code = screen.inputs_tab.input_sections[0].code
    assert compared.rows() == [
        (f"Commentary on input {code}", "Both closed.", "One action is late.")]
    click(qtbot, compared.back_button)
    qtbot.waitUntil(lambda: not compared.isVisible())
    assert screen.inputs_tab.input_sections[0].values()[0] == "Both closed."
    assert screen.notes_bar.isVisible()


def test_reload_takes_theirs_for_that_input_and_the_next_save_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, review = _refused(qtbot, show)
        click(qtbot, screen.notes_bar.compare_button)
    compared = screen.notes_compare_dialog
    assert compared is not None
    qtbot.waitUntil(compared.isVisible)
    click(qtbot, compared.reload_button)
    qtbot.waitUntil(lambda: not screen.notes_bar.isVisible())
    first, second = screen.inputs_tab.input_sections[:2]
    assert (first.values()[0], second.values()[0]) == ("One action is late.", "Audits done.")
    assert screen.before_tab.place_edit.text() == "Board room"
    first.conclusion_edit.selectAll()
    qtbot.keyClicks(first.conclusion_edit, "One late; chased.")
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    assert not screen.notes_bar.isVisible()
    assert ManagementReview.get_by_id(review.id).place == "Board room"
    assert _commentaries(review) == {first.code: "One action is late.",
                                     second.code: "Audits done."}
    assert reviews.input_notes(review)[first.code].conclusion == "One late; chased."
    assert not screen.has_unsaved_changes()


def test_the_bar_fits_in_a_small_window(qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, _review = _refused(qtbot, show, (1024, 640))
    screenshot(screen, "review_input_changed_meanwhile_1024x640")
    bar = screen.notes_bar
    for button in (bar.reload_button, bar.compare_button, screen.save_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width()
        assert not button.visibleRegion().isEmpty()
    assert bar.message.height() >= bar.message.heightForWidth(bar.message.width())


def test_a_field_they_changed_that_mine_left_alone_is_shown_and_kept(
        qtbot: QtBot, show: Any, store: object) -> None:
    """My save goes over their change of another field; the screen then shows theirs, so
    the next save does not write the old value back."""
    records.create(Organisation, name="Example Pumps Ltd", currency="GBP", edition="2015")
    review = reviews.plan_review(clock.today(), place="Office")
    screen = show(ReviewsScreen(), (1280, 820))
    with records.history_as(who="Maria Khan"):
        reviews.update_details(ManagementReview.get_by_id(review.id), place="Meeting room 2")
    qtbot.keyClicks(screen.conclusion_tab.conclusion_edits["suitability"], "Suitable.")
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    assert screen.before_tab.place_edit.text() == "Meeting room 2"
    qtbot.keyClicks(screen.conclusion_tab.conclusion_edits["adequacy"], "Adequate.")
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, screen.save_button)
    stored = ManagementReview.get_by_id(review.id)
    assert (stored.place, stored.suitability, stored.adequacy) == (
        "Meeting room 2", "Suitable.", "Adequate.")
