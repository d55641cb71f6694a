"""Adding someone to a review's attendance when someone else changed their attendance after
the screen showed it: Add is refused naming who and when, with nothing written; the dialog
keeps the choice, Compare lists theirs beside it, Reload shows theirs and the next Add lands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pytestqt.qtbot import QtBot

from qms_desktop import clock, records, reviews
from qms_desktop.models import ManagementReview, Organisation, Person
from tests.ui.interact import click, retype, screenshot
from ui.kit.record_changed import ChangesDialog
from ui.screens.reviews.review_dialogs import AttendeeDialog
from ui.screens.reviews.reviews_screen import ReviewsScreen

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."


def _refused(qtbot: QtBot, show: Any, size: tuple[int, int] = (1280, 820)
             ) -> tuple[ReviewsScreen, AttendeeDialog, ManagementReview]:
    """Ann shown present as chair; Maria records her apologies meanwhile; the user adds Ann
    again as managing director."""
    records.create(Organisation, name="Example Pumps Ltd", currency="GBP", edition="2015")
    ann = records.create(Person, full_name="Ann Boss")
    review = reviews.plan_review(clock.today(), place="Office", chair=ann)
    reviews.set_attendance(review, ann, True, "Chair")
    screen = show(ReviewsScreen(), size)
    with records.history_as(who="Maria Khan"):
        reviews.set_attendance(ManagementReview.get_by_id(review.id), ann, False, "Chair")
    click(qtbot, screen.before_tab.add_attendee_button)
    dialog = screen.active_dialog
    assert isinstance(dialog, AttendeeDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.select_person(ann)
    retype(qtbot, dialog.role_edit, "Managing director")
    click(qtbot, dialog.add_button)
    return screen, dialog, review


def _seats(review: ManagementReview) -> dict[str, tuple[bool, str]]:
    return {seat.person.full_name: (seat.present, seat.role_label)
            for seat in reviews.attendance(review)}


def test_the_refusal_names_who_and_when_and_keeps_the_choice(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        _screen, dialog, review = _refused(qtbot, show)
    assert dialog.isVisible()
    assert dialog.changed_bar.isVisible() and dialog.changed_bar.text() == REFUSAL
    assert dialog.present_radio.isChecked()
    assert dialog.role_edit.text() == "Managing director"
    assert _seats(review) == {"Ann Boss": (False, "Chair")}


def test_compare_lists_their_attendance_beside_mine(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        _screen, dialog, _review = _refused(qtbot, show)
    click(qtbot, dialog.changed_bar.compare_button)
    compared = dialog.compare_dialog
    assert isinstance(compared, ChangesDialog)
    qtbot.waitUntil(compared.isVisible)
    assert compared.rows() == [("Attendance", "Present", "Sent apologies"),
                               ("Attending as", "Managing director", "Chair")]
    click(qtbot, compared.back_button)
    qtbot.waitUntil(lambda: not compared.isVisible())
    assert dialog.role_edit.text() == "Managing director"


def test_reload_shows_theirs_and_the_next_add_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        screen, dialog, review = _refused(qtbot, show)
    click(qtbot, dialog.changed_bar.reload_button)
    assert not dialog.changed_bar.isVisible()
    assert dialog.apology_radio.isChecked()
    assert dialog.role_edit.text() == "Chair"
    retype(qtbot, dialog.role_edit, "Managing director")
    with qtbot.waitSignal(screen.status_message):
        click(qtbot, dialog.add_button)
    assert not dialog.isVisible()
    assert _seats(review) == {"Ann Boss": (False, "Managing director")}
    assert screen.before_tab.attendance_table.item(0, 1).text() == "Managing director"


def test_the_bar_fits_in_a_small_window(qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        _screen, dialog, _review = _refused(qtbot, show, (1024, 640))
    qtbot.waitUntil(lambda: not dialog.changed_bar.reload_button.visibleRegion().isEmpty())
    screenshot(dialog, "attendee_changed_meanwhile_1024x640")
    bar = dialog.changed_bar
    for button in (bar.reload_button, bar.compare_button, dialog.add_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width()
        assert not button.visibleRegion().isEmpty()
    assert bar.message.height() >= bar.message.heightForWidth(bar.message.width())
    assert dialog.height() <= 640


def test_removing_someone_changed_meanwhile_is_refused_and_shows_theirs(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        records.create(Organisation, name="Example Pumps Ltd", currency="GBP", edition="2015")
        ann = records.create(Person, full_name="Ann Boss")
        review = reviews.plan_review(clock.today(), place="Office", chair=ann)
        reviews.set_attendance(review, ann, True, "Chair")
        screen = show(ReviewsScreen())
        with records.history_as(who="Maria Khan"):
            reviews.set_attendance(ManagementReview.get_by_id(review.id), ann, False,
                                   "Managing director")
        table = screen.before_tab.attendance_table
        table.selectRow(0)
        with qtbot.waitSignal(screen.status_message) as said:
            click(qtbot, screen.before_tab.remove_attendee_button)
        assert "Changed by Maria Khan at 10:42 UTC since you opened it." in said.args[0]
        assert _seats(review) == {"Ann Boss": (False, "Managing director")}
        assert table.item(0, 1).text() == "Managing director"  # theirs, shown now

        table.selectRow(0)  # seen: removing now goes through
        with qtbot.waitSignal(screen.status_message) as said:
            click(qtbot, screen.before_tab.remove_attendee_button)
        assert said.args == ["Ann Boss removed from the attendance."]
        assert _seats(review) == {}
