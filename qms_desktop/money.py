"""Money as an integer of minor units plus an ISO 4217 code; never a float.

Babel knows each currency's minor units (JPY 0, EUR 2, BHD 3) and how a locale writes an
amount, so what the user types is read as they wrote it. Amounts are printed by
`qms_desktop.formatting.money`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import (
    NumberFormatError,
    get_currency_precision,
    parse_decimal,
)

DEFAULT_LOCALE = "en_US"


def minor_digits(currency: str) -> int:
    return int(get_currency_precision(currency))


def to_minor(amount: Decimal | int | str, currency: str) -> int:
    """An amount in major units (Decimal, int or plain "1234.50") as minor units.

    Refuses more decimals than the currency has rather than rounding money silently.
    """
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise ValueError(f"{amount!r} is not an amount") from None
    if not value.is_finite():
        raise ValueError(f"{amount!r} is not an amount")
    digits = minor_digits(currency)
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{currency} has {digits} decimal places; {amount} has more")
    return int(scaled)


def parse_amount(text: str, currency: str, locale: str = DEFAULT_LOCALE) -> int:
    """What a user typed ("1,234.50" in en_US, "1.234,50" in de_DE) as minor units."""
    cleaned = text.strip().replace(currency, "").strip()
    if not cleaned:
        raise ValueError("Enter an amount.")
    try:
        value = parse_decimal(cleaned, locale=locale, strict=True)
    except NumberFormatError as exc:
        suggestions = getattr(exc, "suggestions", None)
        hint = f" Did you mean {suggestions[0]}?" if suggestions else ""
        raise ValueError(f"{text!r} is not an amount.{hint}") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not an amount.")
    if value < 0:
        raise ValueError("An amount cannot be negative.")
    return to_minor(value, currency)


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-minor_digits(currency))


def format_plain(minor: int, currency: str) -> str:
    """Unformatted major units for an edit box ("1234.50")."""
    digits = minor_digits(currency)
    return f"{to_major(minor, currency):.{digits}f}"
