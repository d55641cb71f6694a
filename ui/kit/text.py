"""Dates as the window writes them."""

from __future__ import annotations

import datetime as dt


def local_date(stamp: dt.datetime | dt.date) -> dt.date:
    """The user's calendar day of a timestamp stored in UTC."""
    if isinstance(stamp, dt.datetime):
        return stamp.replace(tzinfo=dt.UTC).astimezone().date()
    return stamp


def long_date(value: dt.date | dt.datetime | None) -> str:
    """12 March 2026."""
    if value is None:
        return ""
    day = local_date(value)
    return f"{day.day} {day:%B %Y}"


def short_date(value: dt.date | dt.datetime | None) -> str:
    """12 Mar 2026, for lists."""
    if value is None:
        return ""
    day = local_date(value)
    return f"{day.day} {day:%b %Y}"
