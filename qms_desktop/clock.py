"""The one clock: the core asks here for "now" and "today", never the system clock itself.

Tests and the sample company set it (`stopped_at`), so a service, a readiness finding and a
review pack all see the same moment. Stored times are UTC; "today" is the user's local date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

# None: the system clock; otherwise the moment the clock stands at (timezone-aware).
_stopped: dt.datetime | None = None


def _aware(moment: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        # A naive time is taken as local wall time, as a person would type it.
        return moment if moment.tzinfo is not None else moment.astimezone()
    # A day alone stands for its local noon: far from midnight in every time zone's sense.
    return dt.datetime.combine(moment, dt.time(12)).astimezone()


def _current() -> dt.datetime:
    return _stopped if _stopped is not None else dt.datetime.now(dt.UTC)


def utc_now() -> dt.datetime:
    """Now in UTC, naive and to the second: the form every stored timestamp takes."""
    return _current().astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)


def now() -> dt.datetime:
    """Now as local wall time, naive and to the second (for file names and printed times)."""
    return _current().astimezone().replace(tzinfo=None, microsecond=0)


def today() -> dt.date:
    """The user's local date."""
    return _current().astimezone().date()


def stop_at(moment: dt.datetime | dt.date | None) -> None:
    """Stand the clock at `moment` until told otherwise; None lets it run again."""
    global _stopped
    _stopped = None if moment is None else _aware(moment)


@contextmanager
def stopped_at(moment: dt.datetime | dt.date) -> Iterator[None]:
    """The clock stands at `moment` inside the block, and is as it was after it."""
    global _stopped
    before = _stopped
    stop_at(moment)
    try:
        yield
    finally:
        _stopped = before
