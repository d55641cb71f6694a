"""Two people saving the same thing at the same moment on one PostgreSQL server, each in a
process and connection of their own, as two copies of the app would be: both read, then both
save at once. `race` says who won and what the other was told."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping
from typing import Any

from qms_desktop import records

# (record id) -> (the record, what the user's screen read of it); both run in the user's
# process, so they are module-level functions of the test.
Read = Callable[[str], tuple[Any, Any]]
Save = Callable[[Any, Any, Any], object]  # (record, the user's values, what they read)


def _user(url: str, record_id: str, who: str, values: Any, read: Read, save: Save,
          ready: Any, start: Any, results: Any) -> None:
    from qms_desktop.server import open_server

    with open_server(url), records.history_as(who=who):
        record, as_read = read(record_id)
        ready.put(who)
        start.wait()
        try:
            save(record, values, as_read)
        except Exception as refused:  # reported to the test, which checks what it was
            results.put((who, type(refused).__name__, str(refused)))
        else:
            results.put((who, "saved", ""))


def race(url: str, record_id: str, wanted: Mapping[str, Any], read: Read,
         save: Save) -> tuple[str, str]:
    """Each of `wanted`'s people saves their values at once; exactly one save must land and
    the other be refused naming them. Returns the one whose save landed, and the refusal."""
    context = multiprocessing.get_context("spawn")
    ready, results, start = context.Queue(), context.Queue(), context.Event()
    users = [context.Process(target=_user, args=(url, record_id, who, values, read, save,
                                                 ready, start, results))
             for who, values in wanted.items()]
    for user in users:
        user.start()
    try:
        for _ in users:  # all have read before any saves
            ready.get(timeout=60)
        start.set()
        outcomes = {who: (kind, text) for who, kind, text in
                    (results.get(timeout=60) for _ in users)}
    finally:
        for user in users:
            user.join(timeout=60)
    saved = [who for who, (kind, _text) in outcomes.items() if kind == "saved"]
    refused = [text for kind, text in outcomes.values() if kind == "RecordChanged"]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    (winner,), (message,) = saved, refused
    assert f"Changed by {winner} at " in message
    return winner, message
