"""The review screen's "as of" day: the pack previewed as the records stood then, and the
review's own cut-off day in its meeting details."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from qms_desktop import clock, nonconformities, records, reviews
from qms_desktop.models import ManagementReview, Organisation, Person, PersonRole, Role
from tests.ui.interact import click, type_date
from ui.screens.reviews.pack_preview import PackPreviewDialog
from ui.screens.reviews.reviews_screen import ReviewsScreen

TODAY = clock.today()
MEETING = TODAY - dt.timedelta(days=30)


@pytest.fixture
def screen_after_meeting(show: Any, store: object) -> Iterator[tuple[ReviewsScreen, str]]:
    """A review held a month ago; nonconformities raised before and a week after it."""
    with clock.stopped_at(MEETING - dt.timedelta(days=40)):
        records.create(Organisation, name="Example Pumps Ltd", currency="GBP")
        boss = records.create(Person, full_name="Ann Boss")
        role = records.create(Role, title="Director", is_top_management=True)
        records.create(PersonRole, person=boss, role=role)
        review = reviews.plan_review(MEETING, place="Office", chair=boss)
    with clock.stopped_at(MEETING - dt.timedelta(days=20)):
        nonconformities.create_nonconformity("Leaking seal", clock.today())
    with clock.stopped_at(MEETING):
        reviews.set_attendance(review, boss, True, "Director")
        reviews.mark_held(review)
    with clock.stopped_at(MEETING + dt.timedelta(days=7)):
        nonconformities.create_nonconformity("Cracked impeller", clock.today())
    yield show(ReviewsScreen(), (1280, 820)), review.id


def _preview_text(screen: ReviewsScreen, qtbot: QtBot) -> str:
    click(qtbot, screen.preview_button)
    preview = screen.active_dialog
    assert isinstance(preview, PackPreviewDialog)
    qtbot.waitExposed(preview)
    pdf = preview._buffer.data().data()
    preview.close()
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_preview_is_as_of_the_cut_off_and_of_another_day(
        screen_after_meeting: tuple[ReviewsScreen, str], qtbot: QtBot) -> None:
    screen, _review_id = screen_after_meeting
    assert screen.as_of_edit.date() == MEETING  # the cut-off: the meeting date

    text = _preview_text(screen, qtbot)
    assert "Leaking seal" in text and "Cracked impeller" not in text

    # A day before the leak was raised: the records as they stood then.
    type_date(qtbot, screen.as_of_edit, MEETING - dt.timedelta(days=25))
    text = _preview_text(screen, qtbot)
    assert "Leaking seal" not in text and "Ann Boss" in text


def test_the_cut_off_day_is_a_meeting_detail(
        screen_after_meeting: tuple[ReviewsScreen, str], qtbot: QtBot) -> None:
    screen, review_id = screen_after_meeting
    cut_off = screen.before_tab.cut_off_edit

    # A day after the meeting is refused with a message, and nothing is saved.
    type_date(qtbot, cut_off, MEETING + dt.timedelta(days=1))
    click(qtbot, screen.save_button)
    problem = screen.before_tab.details_problem
    qtbot.waitUntil(lambda: "after the meeting" in problem.text())
    assert ManagementReview.get_by_id(review_id).cut_off_on is None

    type_date(qtbot, cut_off, MEETING - dt.timedelta(days=3))
    click(qtbot, screen.save_button)
    qtbot.waitUntil(lambda: ManagementReview.get_by_id(review_id).cut_off_on is not None)
    assert ManagementReview.get_by_id(review_id).cut_off() == MEETING - dt.timedelta(days=3)
    assert screen.as_of_edit.date() == MEETING - dt.timedelta(days=3)
