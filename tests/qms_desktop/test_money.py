"""Money: integer minor units and an ISO 4217 code, parsed and written per locale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from qms_desktop import money

FAST = settings(max_examples=60, deadline=None)
CURRENCIES = {"EUR": 2, "JPY": 0, "BHD": 3, "USD": 2, "INR": 2}
LOCALES = ("en_US", "de_DE", "en_IN", "fr_FR", "de_CH")
minor_amounts = st.integers(min_value=0, max_value=10**15)


@pytest.mark.parametrize(("currency", "digits"), CURRENCIES.items())
def test_minor_digits(currency, digits):
    assert money.minor_digits(currency) == digits


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("1234.50", "EUR", 123450),
        ("1234.5", "EUR", 123450),
        (Decimal("0.01"), "EUR", 1),
        (12, "EUR", 1200),
        ("1234", "JPY", 1234),
        ("1234.000", "JPY", 1234),  # trailing zeros are not extra precision
        ("1.234", "BHD", 1234),
        ("0.005", "BHD", 5),
        (" 7.25 ", "USD", 725),
    ],
)
def test_to_minor(amount, currency, minor):
    result = money.to_minor(amount, currency)
    assert result == minor
    assert type(result) is int


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("1234.505", "EUR"), ("0.001", "EUR"), ("1234.5", "JPY"), ("0.0001", "BHD")],
)
def test_to_minor_refuses_extra_decimals_instead_of_rounding(amount, currency):
    with pytest.raises(ValueError, match=f"{currency} has {CURRENCIES[currency]} decimal places"):
        money.to_minor(amount, currency)


@pytest.mark.parametrize("amount", ["", "abc", "1,234.50", "NaN", "Infinity", "-inf"])
def test_to_minor_refuses_what_is_not_an_amount(amount):
    with pytest.raises(ValueError, match="is not an amount"):
        money.to_minor(amount, "EUR")


@pytest.mark.parametrize(
    ("minor", "currency", "major"),
    [(123450, "EUR", "1234.50"), (1234, "JPY", "1234"), (1234, "BHD", "1.234"), (5, "EUR", "0.05")],
)
def test_to_major_and_format_plain(minor, currency, major):
    assert money.to_major(minor, currency) == Decimal(major)
    assert money.format_plain(minor, currency) == major


@FAST
@given(minor=minor_amounts, currency=st.sampled_from(["EUR", "JPY", "BHD"]))
def test_minor_to_major_and_back(minor, currency):
    major = money.to_major(minor, currency)
    assert isinstance(major, Decimal)
    assert money.to_minor(major, currency) == minor
    assert money.to_minor(money.format_plain(minor, currency), currency) == minor


@FAST
@given(
    whole=st.integers(min_value=0, max_value=10**12),
    fraction=st.integers(min_value=0, max_value=999),
    currency=st.sampled_from(["EUR", "JPY", "BHD"]),
)
def test_major_to_minor_and_back(whole, fraction, currency):
    digits = CURRENCIES[currency]
    fraction %= 10**digits
    text = f"{whole}.{fraction:0{digits}d}" if digits else str(whole)
    minor = money.to_minor(text, currency)
    assert minor == whole * 10**digits + fraction
    assert money.to_major(minor, currency) == Decimal(text)


@FAST
@given(minor=minor_amounts, extra=st.integers(min_value=1, max_value=9))
def test_one_digit_too_many_is_always_refused(minor, extra):
    text = money.format_plain(minor, "EUR") + str(extra)
    with pytest.raises(ValueError):
        money.to_minor(text, "EUR")


# --- Parsing what a user typed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "currency", "locale", "minor"),
    [
        ("1,234.50", "USD", "en_US", 123450),
        ("1234.50", "USD", "en_US", 123450),
        ("1.234,50", "EUR", "de_DE", 123450),
        ("1234,50", "EUR", "de_DE", 123450),
        ("1,23,456.78", "INR", "en_IN", 12345678),
        ("1,234", "JPY", "en_US", 1234),
        ("1.234", "BHD", "en_US", 1234),
        ("  EUR 12.00 ", "EUR", "en_US", 1200),
        ("0", "EUR", "en_US", 0),
    ],
)
def test_parse_amount(text, currency, locale, minor):
    assert money.parse_amount(text, currency, locale) == minor


def test_parse_amount_uses_the_default_locale():
    assert money.DEFAULT_LOCALE == "en_US"
    assert money.parse_amount("2,500.75", "USD") == 250075


@pytest.mark.parametrize("text", ["-5", "-0.01", "-1,234.50"])
def test_parse_amount_refuses_negatives(text):
    with pytest.raises(ValueError, match="cannot be negative"):
        money.parse_amount(text, "EUR")


@pytest.mark.parametrize("text", ["", "   ", "EUR"])
def test_parse_amount_asks_for_an_amount(text):
    with pytest.raises(ValueError, match="Enter an amount"):
        money.parse_amount(text, "EUR")


@pytest.mark.parametrize("text", ["abc", "12-3", "1.2.3,4,5", "NaN", "nan", "Infinity", "inf"])
def test_parse_amount_refuses_garbage_with_a_clear_message(text):
    with pytest.raises(ValueError) as caught:
        money.parse_amount(text, "EUR")
    assert str(caught.value).startswith(f"{text!r} is not an amount.")


def test_a_misplaced_separator_is_refused_with_a_suggestion():
    # en_US groups with commas: "1.234,50" is refused rather than read as 1.2345.
    with pytest.raises(ValueError, match=r"is not an amount\. Did you mean") as caught:
        money.parse_amount("1.234,50", "EUR", "en_US")
    assert "'1.234,50'" in str(caught.value)


def test_parse_amount_refuses_extra_decimals():
    with pytest.raises(ValueError, match="EUR has 2 decimal places"):
        money.parse_amount("1,234.567", "EUR", "en_US")
    with pytest.raises(ValueError, match="JPY has 0 decimal places"):
        money.parse_amount("100.5", "JPY", "en_US")


@FAST
@given(minor=minor_amounts, locale=st.sampled_from(LOCALES))
def test_parse_reads_what_the_locale_writes(minor, locale):
    written = format_decimal(money.to_major(minor, "EUR"), locale=locale)
    assert money.parse_amount(written, "EUR", locale) == minor


# --- Sums are exact -------------------------------------------------------------------------


def test_ten_cents_plus_twenty_cents_is_thirty():
    total = money.to_minor("0.10", "EUR") + money.to_minor("0.20", "EUR")
    assert total == 30
    assert money.to_major(total, "EUR") == Decimal("0.30")
    assert money.format_plain(total, "EUR") == "0.30"
    assert 0.10 + 0.20 != 0.30  # what a float would have done


def test_float_input_is_read_as_its_shortest_text():
    assert money.to_minor(0.1, "EUR") == 10
    # A float sum's error shows up as extra decimals and is refused, never rounded away.
    with pytest.raises(ValueError, match="EUR has 2 decimal places"):
        money.to_minor(0.1 + 0.2, "EUR")


@FAST
@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=2), max_size=30))
def test_summing_minor_units_is_exact(amounts):
    minors = [money.to_minor(a, "EUR") for a in amounts]
    assert money.to_minor(sum(amounts, Decimal(0)), "EUR") == sum(minors)
    assert money.to_major(sum(minors), "EUR") == sum(amounts, Decimal(0))
