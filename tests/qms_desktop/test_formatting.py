"""One wording for dates, numbers and money in the window and the reports, in English whatever
the machine's locale."""

from __future__ import annotations

import datetime as dt
import locale
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qms_desktop import formatting, money
from qms_desktop.organisation import current_currencies
from qms_desktop.reports import styles


def test_dates_read_in_english_long_and_short():
    day = dt.date(2026, 1, 5)
    assert formatting.long_date(day) == "5 January 2026"
    assert formatting.short_date(day) == "5 Jan 2026"
    assert formatting.month_year(dt.date(2026, 3, 1)) == "March 2026"
    assert formatting.short_month_year(dt.date(2026, 9, 1)) == "Sep 2026"
    assert formatting.timestamp(dt.datetime(2026, 12, 31, 9, 5)) == "31 December 2026, 09:05"
    assert formatting.long_date(None) == formatting.short_date(None) == ""


def test_the_reports_write_dates_as_the_window_does():
    day = dt.date(2026, 3, 14)
    assert styles.format_date(day) == formatting.long_date(day)
    stamp = dt.datetime(2026, 3, 14, 16, 45)
    assert styles.format_timestamp(stamp) == formatting.timestamp(stamp)


def test_month_names_do_not_follow_the_machine_s_locale():
    # What Qt does at start on Unix: take the C locale from the environment.
    german = next((name for name in ("de_DE.UTF-8", "de_DE.utf8") if _has_locale(name)), None)
    if german is None:
        pytest.skip("no German locale installed on this machine")
    code = (
        f"import locale, datetime as dt; locale.setlocale(locale.LC_ALL, {german!r});"
        "from qms_desktop import formatting;"
        "d = dt.date(2026, 3, 2); print(f'{d:%B}', formatting.long_date(d))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "März"  # strftime follows the locale: the reason for this module
    assert out[1:] == ["2", "March", "2026"]


def test_no_month_name_is_written_by_strftime():
    # %B and %b follow the locale Qt sets at start; month names come from `formatting`.
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"%[bB]\b|%[bB][ ,}]|%d %[bB]")
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("qms_desktop", "ui")
        for path in sorted((root / folder).rglob("*.py"))
        if path.name != "formatting.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line) and "strptime" not in line
    ]
    assert found == []


def _has_locale(name: str) -> bool:
    saved = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, name)
        return True
    except locale.Error:
        return False
    finally:
        locale.setlocale(locale.LC_TIME, saved)


@pytest.mark.parametrize(
    ("minor", "currency", "expected"),
    [
        (8_500_000, "AED", "AED 85,000.00"),
        (120_000, "JPY", "JPY 120,000"),
        (12_500, "KWD", "KWD 12.500"),
        (5, "USD", "USD 0.05"),
        (0, "EUR", "EUR 0.00"),
        (-1_234_56, "GBP", "GBP -1,234.56"),
        (10**15, "AED", "AED 10,000,000,000,000.00"),
    ],
)
def test_money_reads_with_its_code_and_the_currency_s_decimals(minor, currency, expected):
    assert formatting.money(minor, currency) == expected


def test_minor_units_are_the_ones_amounts_are_stored_with():
    # Amounts are stored in minor units counted by `money` (CLDR); reading them with another
    # number of decimals would show a hundred times the amount.
    from babel.numbers import list_currencies

    for code in sorted(list_currencies() | set(current_currencies())):
        assert formatting.currency_digits(code) == money.minor_digits(code), code


def test_money_parsed_and_formatted_round_trips():
    for text, currency in (("85000", "AED"), ("1200", "JPY"), ("12.5", "KWD")):
        minor = money.parse_amount(text, currency)
        shown = formatting.money(minor, currency)
        assert money.parse_amount(shown.removeprefix(currency + " "), currency) == minor


def test_numbers_and_percentages():
    assert formatting.number(85000) == "85,000"
    assert formatting.number(1234.5, 1) == "1,234.5"
    assert formatting.number(2.0) == "2"
    assert formatting.percent(0.85) == "85%"
    assert formatting.percent(0.8567, 1) == "85.7%"


@pytest.mark.parametrize(
    ("count", "one", "expected"),
    [(1, "process", "1 process"), (2, "process", "2 processes"), (0, "action", "0 actions"),
     (3, "activity", "3 activities"), (2, "day", "2 days"), (2, "box", "2 boxes"),
     (2, "search", "2 searches"), (12_500, "action", "12,500 actions")],
)
def test_plural_forms_regular_english_nouns(count, one, expected):
    assert formatting.plural(count, one) == expected


def test_importing_it_does_not_import_babel():
    code = "import sys, qms_desktop.formatting; print('babel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
