"""Two people on one PostgreSQL server write the minutes of the same review input at the same
moment, each from the review as they read it (no note yet): exactly one save lands, the other
is refused naming the first, and nothing of the one that landed is lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qms_desktop import records, reviews
from qms_desktop.models import ManagementReview, Organisation
from tests.qms_desktop.at_once import race


def _read(review_id: str) -> tuple[ManagementReview, Any]:
    review = ManagementReview.get_by_id(review_id)
    return review, reviews.input_notes(review)


def _save(review: ManagementReview, notes: tuple[str, str], read: Any) -> None:
    reviews.save_minutes(review, {}, {"a": notes}, read=read)


def test_two_saves_of_the_same_input_at_once_one_is_refused(server_url: str) -> None:
    from qms_desktop.server import open_server

    with open_server(server_url):
        records.create(Organisation, name="Kestrel Fabrication", currency="EUR")
        review_id = reviews.plan_review(dt.date(2026, 2, 1), place="Office").id

    wanted = {"Ann Lee": ("Two actions open.", "On track."),
              "Maria Khan": ("One action late.", "Chase it.")}
    winner, _message = race(server_url, review_id, wanted, _read, _save)
    with open_server(server_url):
        review = ManagementReview.get_by_id(review_id)
        note = reviews.input_notes(review)["a"]
        assert (note.commentary, note.conclusion) == wanted[winner]
        assert note.row_version == 0  # written once: the refused save wrote nothing
