"""A spreadsheet cell as the value its column stores, or a plain sentence on why it cannot be.

Spreadsheets hold dates as real dates, as serial numbers (45720) or as text ("2026-03-04",
"4 Mar 2026"), and numbers as numbers or as text ("1,234.50"): each is read for what it
means. A date written with slashes is read day first or month first as the other dates of its
column show (a column holding 31/03/2026 is written day first, so 04/03/2026 there is 4 March);
where the column does not tell, "04/03/2026" is refused rather than guessed. The field rules
(`qms_desktop.fields`) then check the value like any other write.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from qms_desktop import formatting, money
from qms_desktop.importing.targets import ARCHIVED, Column

# Day 0 of spreadsheet serial dates (Excel's 1900 system, with its leap-year quirk, and
# LibreOffice's alike from 1 March 1900 on).
_SERIAL_EPOCH = dt.datetime(1899, 12, 30)
# Serial numbers for 1900-03-01 to 2100-12-31: a number outside is no date.
_SERIAL_RANGE = (61, 73415)

_YES = {"yes", "y", "true", "1", "x", "✓"}
_NO = {"no", "n", "false", "0"}
# Dates written in words ("4 March 2026", "4-Mar-2026", "Mar 4, 2026"), in English whatever
# the machine's language: strptime's month names follow the locale the window sets.
_WORD_DATE = re.compile(r"^(?:(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})"
                        r"|([A-Za-z]+)\.? (\d{1,2}),? (\d{4}))$")
_MONTH_NUMBERS = {
    **{name.lower(): number for number, name in enumerate(formatting.MONTHS, 1)},
    **{name.lower(): number for number, name in enumerate(formatting.SHORT_MONTHS, 1)},
    "sept": 9,
}
_NUMERIC_DATE_FORMATS = ("%d.%m.%Y", "%Y/%m/%d")
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}([, \u00a0\u202f]\d{3})+|\d+)(\.\d+)?$")


class CellProblem(ValueError):
    """What is wrong with one cell, in a sentence without the column's name."""


def cell_value(column: Column, value: Any, currency: str = "",
               day_first: bool | None = None) -> Any:
    """`value` (never None) as `column` stores it; CellProblem when it cannot be read.
    `day_first`: how the column writes dates with slashes (`slash_order`), None if unknown."""
    kind = column.kind
    if kind in ("text", "multiline"):
        return _text(value)
    if kind == "choice":
        return _choice(column, value)
    if kind in ("bool", ARCHIVED):
        return _boolean(value)
    if kind == "int":
        return _whole(value)
    if kind == "float":
        return _number(value)
    if kind == "money":
        return _money(value, currency)
    if kind == "date":
        return _date(value, day_first)
    if kind == "datetime":
        return _moment(value, day_first)
    raise CellProblem("this column cannot be imported.")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _choice(column: Column, value: Any) -> str:
    text = _text(value).strip()
    wanted = text.casefold()
    for key, label in column.choices:
        if wanted in (key.casefold(), label.casefold()):
            return key
    listed = ", ".join(label for _key, label in column.choices if label.strip("—"))
    if wanted in _YES | _NO:
        # A yes/no column of the user's ("Approved? Y") matched to a field with more states.
        raise CellProblem(f"“{text[:60]}” is a yes or no, but this column takes one of the "
                          f"listed values ({listed}). Replace it with the one you mean "
                          "(Find and Replace does a whole column at once).")
    raise CellProblem(f"“{text[:60]}” is not one of the listed values ({listed}).")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = _text(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellProblem(f"“{_text(value)[:40]}” is neither Yes nor No.")


def _number_from_text(value: Any) -> Decimal:
    text = _text(value).strip()
    if not _NUMBER_TEXT.match(text):
        raise CellProblem(f"“{text[:40]}” is not a number.")
    try:
        return Decimal(re.sub(r"[, \u00a0\u202f]", "", text))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise CellProblem(f"“{text[:40]}” is not a number.") from None


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise CellProblem(f"expected a whole number, got {value}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise CellProblem(f"expected a whole number, got {value:g}.")
        return int(value)
    number = _number_from_text(value)
    if number != number.to_integral_value():
        raise CellProblem(f"expected a whole number, got {number}.")
    return int(number)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise CellProblem(f"expected a number, got {value}.")
    if isinstance(value, int | float):
        return float(value) if isinstance(value, float) else value
    return float(_number_from_text(value))


def _money(value: Any, currency: str) -> int:
    if not currency:
        raise CellProblem("an amount needs its currency (the Currency column).")
    if isinstance(value, bool):
        raise CellProblem(f"expected an amount, got {value}.")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CellProblem(f"expected an amount, got {value}.")
        # The shortest text of the float: 1234.5 stays 1234.5, never 1234.4999999.
        amount = Decimal(repr(value))
    else:
        amount = _number_from_text(value)
    try:
        return money.to_minor(amount, currency)
    except ValueError as exc:
        raise CellProblem(f"{exc}.") from None


def slash_order(values: Iterable[Any]) -> bool | None:
    """True when a column's dates with slashes are written day first (one of them has a day
    over 12 first, as 31/03/2026), False when month first, None when they do not tell (or
    disagree, and then each ambiguous one is refused)."""
    day_first = month_first = False
    for value in values:
        if isinstance(value, str):
            slashed = _SLASHED.match(value.strip())
            if slashed:
                first, second = int(slashed.group(1)), int(slashed.group(2))
                day_first = day_first or first > 12 >= second
                month_first = month_first or second > 12 >= first
    if day_first == month_first:
        return None
    return day_first


def _date(value: Any, day_first: bool | None = None) -> dt.date:
    moment = _moment(value, day_first)
    if moment.time() != dt.time():
        raise CellProblem(f"expected a date, got a date and time ({moment:%Y-%m-%d %H:%M}).")
    return moment.date()


def _moment(value: Any, day_first: bool | None = None) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else \
            value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise CellProblem(f"expected a date, got {value}.")
    if isinstance(value, int | float):
        return _from_serial(float(value))
    text = _text(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _from_serial(float(text))
    try:
        return _moment(dt.datetime.fromisoformat(text))
    except ValueError:
        pass
    slashed = _SLASHED.match(text)
    if slashed:
        first, second, year = (int(g) for g in slashed.groups())
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            day, month = second, first
        elif first == second:
            day = month = first
        elif day_first is not None:
            day, month = (first, second) if day_first else (second, first)
        else:
            raise CellProblem(
                f"“{text}” could be {_spelt(year, second, first)} or "
                f"{_spelt(year, first, second)}, and no other date in the column says which; "
                "write it as YYYY-MM-DD (or as 4 Mar 2026).")
        try:
            return dt.datetime(year, month, day)
        except ValueError:
            raise CellProblem(f"“{text}” is no real date.") from None
    worded = _WORD_DATE.match(text)
    if worded:
        day_text, month_word, year_text = (worded.group(1, 2, 3) if worded.group(1)
                                           else worded.group(5, 4, 6))
        month_number = _MONTH_NUMBERS.get(month_word.lower())
        if month_number is not None:
            try:
                return dt.datetime(int(year_text), month_number, int(day_text))
            except ValueError:
                raise CellProblem(f"“{text}” is no real date.") from None
    for pattern in _NUMERIC_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise CellProblem(f"“{text[:40]}” is not a date; write it as YYYY-MM-DD.")


def _spelt(year: int, month: int, day: int) -> str:
    try:
        return formatting.long_date(dt.date(year, month, day))
    except ValueError:
        return f"{year}-{month:02d}-{day:02d}"


def _from_serial(serial: float) -> dt.datetime:
    if not (math.isfinite(serial) and _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]):
        raise CellProblem(f"{serial:g} is not a date; write it as YYYY-MM-DD.")
    moment = _SERIAL_EPOCH + dt.timedelta(days=serial)
    # Serial times are fractions of a day: round to the second, as the records are stored.
    return (moment + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
