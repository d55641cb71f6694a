"""Two people on one PostgreSQL server write the minutes of the same review input at the same
moment, each from the review as they read it (no note yet): exactly one save lands, the other
is refused naming the first, and nothing of the one that landed is lost."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from typing import Any

from qms_desktop import records, reviews
from qms_desktop.models import ManagementReview, Organisation


def _saver(url: str, review_id: str, who: str, notes: tuple[str, str], ready: Any,
           start: Any, results: Any) -> None:
    """One user: their own process and connection, as two copies of the app would be."""
    from qms_desktop.server import open_server

    with open_server(url), records.history_as(who=who):
        review = ManagementReview.get_by_id(review_id)
        read = reviews.input_notes(review)
        ready.put(who)
        start.wait()
        try:
            reviews.save_minutes(review, {}, {"a": notes}, read=read)
        except Exception as refused:  # reported to the test, which checks what it was
            results.put((who, type(refused).__name__, str(refused)))
        else:
            results.put((who, "saved", ""))


def test_two_saves_of_the_same_input_at_once_one_is_refused(server_url: str) -> None:
    from qms_desktop.server import open_server

    with open_server(server_url):
        records.create(Organisation, name="Kestrel Fabrication", currency="EUR")
        review_id = reviews.plan_review(dt.date(2026, 2, 1), place="Office").id

    context = multiprocessing.get_context("spawn")
    ready, results, start = context.Queue(), context.Queue(), context.Event()
    wanted = {"Ann Lee": ("Two actions open.", "On track."),
              "Maria Khan": ("One action late.", "Chase it.")}
    users = [context.Process(target=_saver, args=(server_url, review_id, who, notes, ready,
                                                  start, results))
             for who, notes in wanted.items()]
    for user in users:
        user.start()
    try:
        for _ in users:  # both have read the review before either saves
            ready.get(timeout=60)
        start.set()
        outcomes = {who: (kind, text) for who, kind, text in
                    (results.get(timeout=60) for _ in users)}
    finally:
        for user in users:
            user.join(timeout=60)

    saved = [who for who, (kind, _text) in outcomes.items() if kind == "saved"]
    refused = {who: text for who, (kind, text) in outcomes.items() if kind == "RecordChanged"}
    assert len(saved) == 1 and len(refused) == 1, outcomes
    (winner,), (_loser, message) = saved, next(iter(refused.items()))
    assert f"Changed by {winner} at " in message
    with open_server(server_url):
        review = ManagementReview.get_by_id(review_id)
        note = reviews.input_notes(review)["a"]
        assert (note.commentary, note.conclusion) == wanted[winner]
        assert note.row_version == 0  # written once: the refused save wrote nothing
