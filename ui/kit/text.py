"""Dates as the window writes them: the core's wording (`qms_desktop.formatting`, the same as
the reports'), on the user's calendar day for a time stored in UTC."""

from __future__ import annotations

import datetime as dt

from qms_desktop import formatting
from qms_desktop.formatting import local_date

__all__ = ["local_date", "long_date", "short_date"]


def long_date(value: dt.date | dt.datetime | None) -> str:
    """12 March 2026."""
    return formatting.long_date(None if value is None else local_date(value))


def short_date(value: dt.date | dt.datetime | None) -> str:
    """12 Mar 2026, for lists."""
    return formatting.short_date(None if value is None else local_date(value))
