"""How dates, numbers and money read, in the window and in the reports alike.

One wording everywhere, in English as the reports are written, whatever the machine's locale:
Qt sets the C locale from the system at start, after which `strftime("%B")` would name months
in the user's language ("März") while the pack prints "March". So month names come from here,
never from `strftime` or `QLocale`.

Imports nothing heavy (no babel): the window uses it before its first paint. Money needs each
currency's minor units; they are listed here, and a test keeps them equal to the ones
`qms_desktop.money` (babel) stores amounts with.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from qms_desktop.text import plural

__all__ = [
    "currency_digits",
    "local_date",
    "long_date",
    "money",
    "month_year",
    "number",
    "percent",
    "plural",
    "short_date",
    "short_month_year",
    "timestamp",
]

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SHORT_MONTHS = tuple(name[:3] for name in MONTHS)

# Currencies whose minor unit is not the cent, as counted by the CLDR data that
# `money.minor_digits` stores amounts with (CLDR, not ISO 4217's own table: IQD and HUF are
# whole units there).
_DIGITS = {
    **dict.fromkeys((
        "ADP", "AFN", "ALL", "BIF", "BYR", "CLP", "COP", "DJF", "ESP", "GNF", "HUF", "IDR",
        "IQD", "IRR", "ISK", "ITL", "JPY", "KMF", "KPW", "KRW", "LAK", "LBP", "LUF", "MGA",
        "MGF", "MMK", "MRO", "PYG", "RWF", "SLL", "SOS", "STD", "SYP", "TMM", "TRL", "UGX",
        "UYI", "VND", "VUV", "XAF", "XOF", "XPF", "YER", "ZMK", "ZWD"), 0),
    **dict.fromkeys(("BHD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    **dict.fromkeys(("CLF", "UYW"), 4),
}


def local_date(stamp: dt.datetime | dt.date) -> dt.date:
    """The user's calendar day of a timestamp stored in UTC (a date is returned as it is)."""
    if isinstance(stamp, dt.datetime):
        return stamp.replace(tzinfo=dt.UTC).astimezone().date()
    return stamp


def long_date(value: dt.date | None) -> str:
    """ "5 January 2026"; "" for no date. A datetime reads as its own calendar day."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def short_date(value: dt.date | None) -> str:
    """ "5 Jan 2026", for lists and narrow columns."""
    if value is None:
        return ""
    return f"{value.day} {SHORT_MONTHS[value.month - 1]} {value.year}"


def month_year(value: dt.date) -> str:
    """ "January 2026", for a monthly period."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def short_month_year(value: dt.date) -> str:
    """ "Jan 2026", for chart axes."""
    return f"{SHORT_MONTHS[value.month - 1]} {value.year}"


def timestamp(value: dt.datetime) -> str:
    """ "5 January 2026, 14:05" (the clock as stored)."""
    return f"{long_date(value)}, {value:%H:%M}"


def number(value: float | int | Decimal, decimals: int = 0) -> str:
    """ "85,000", "1,234.5" with `decimals` places; a whole number needs none."""
    if isinstance(value, int) and not isinstance(value, bool) and decimals == 0:
        return f"{value:,}"
    return f"{value:,.{decimals}f}"


def percent(part_of_one: float, decimals: int = 0) -> str:
    """ "85%" for 0.85."""
    return f"{part_of_one * 100:,.{decimals}f}%"


def currency_digits(currency: str) -> int:
    """Decimals of the currency's minor unit: JPY 0, AED 2, KWD 3."""
    return _DIGITS.get(currency.upper(), 2)


def money(minor: int, currency: str) -> str:
    """An amount held in minor units, with its ISO 4217 code: "AED 85,000.00", "JPY 1,200",
    "KWD 12.500"."""
    digits = currency_digits(currency)
    major = Decimal(minor).scaleb(-digits)
    sign = "-" if major < 0 else ""
    return f"{currency.upper()} {sign}{abs(major):,.{digits}f}"
