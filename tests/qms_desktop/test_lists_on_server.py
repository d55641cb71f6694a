"""Two people on one PostgreSQL server save the same 5 whys at the same moment, each from the
chain as they read it: exactly one save lands, the other is refused, and nothing of the one
that landed is lost."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from typing import Any

from qms_desktop import nonconformities, records
from qms_desktop.models import Nonconformity


def _saver(url: str, nc_id: str, who: str, answers: list[str], ready: Any, start: Any,
           results: Any) -> None:
    """One user: their own process and connection, as two copies of the app would be."""
    from qms_desktop.server import open_server

    with open_server(url), records.history_as(who=who):
        nc = Nonconformity.get_by_id(nc_id)
        read = nonconformities.why_chain(nc)
        ready.put(who)
        start.wait()
        try:
            nonconformities.set_why_chain(nc, answers, read=read)
        except Exception as refused:  # reported to the test, which checks what it was
            results.put((who, type(refused).__name__, str(refused)))
        else:
            results.put((who, "saved", ""))


def test_two_saves_of_the_same_whys_at_once_one_is_refused(server_url: str) -> None:
    from qms_desktop.server import open_server

    with open_server(server_url):
        nc = nonconformities.create_nonconformity("Scratched panels", dt.date(2025, 2, 3),
                                                  today=dt.date(2025, 6, 30))
        nonconformities.set_why_chain(nc, ["Rubbed in transit", "No separators"])
        nc_id = nc.id

    context = multiprocessing.get_context("spawn")
    ready, results, start = context.Queue(), context.Queue(), context.Event()
    wanted = {"Ann Lee": ["Rubbed in transit", "Separators ran out"],
              "Maria Khan": ["Rubbed in transit", "Box too small", "Ordered late"]}
    users = [context.Process(target=_saver, args=(server_url, nc_id, who, answers, ready,
                                                  start, results))
             for who, answers in wanted.items()]
    for user in users:
        user.start()
    try:
        for _ in users:  # both have read the chain before either saves
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
    (winner,), (loser, message) = saved, next(iter(refused.items()))
    assert f"Changed by {winner} at " in message
    with open_server(server_url):
        stored = [s.answer for s in nonconformities.why_chain(Nonconformity.get_by_id(nc_id))]
    assert stored == wanted[winner]
    assert loser != winner
