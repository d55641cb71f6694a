"""An amount of money typed the way the user's locale writes it, kept as integer minor units.

`MoneyEdit` parses with `money.parse_amount` for one currency, shows the currency's code
inside the box, and refuses more decimals than the currency has (JPY none, EUR two, BHD
three) with a message under the box instead of rounding. `MoneyFieldEditor` puts it in the
generic record form for fields declared with `FormField(kind="money")`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from qms_desktop import money
from qms_desktop.registers import EditField
from qms_desktop.resource_registers import organisation_currency
from ui.kit.record_form import EDITORS
from ui.kit.theme import error_color, muted_color, set_text_color
from ui.kit.widgets import shown_problem

EXAMPLE_MINOR = 123450  # "1,234.50" in the placeholder, in the locale's own separators


def ui_locale() -> str:
    """The locale Qt runs in, as Babel names it; en_US when Qt has none ("C")."""
    name = QLocale().name()
    if not name or name in ("C", "POSIX"):
        return money.DEFAULT_LOCALE
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return money.DEFAULT_LOCALE
    return name


def format_amount(minor: int, currency: str, locale: str) -> str:
    """Major units with the locale's separators and the currency's decimals ("1,234.50")."""
    digits = money.minor_digits(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    value = money.to_major(minor, currency)
    return str(format_decimal(Decimal(value), format=pattern, locale=locale,
                              decimal_quantization=False))


def amount_problem(text: str, currency: str, locale: str) -> str | None:
    """What is wrong with `text` as an amount in `currency`, or None; empty is not a problem."""
    if not text.strip():
        return None
    try:
        money.parse_amount(text, currency, locale)
    except ValueError as error:
        message = str(error)
        if "decimal places" in message:
            digits = money.minor_digits(currency)
            if digits == 0:
                return f"{currency} amounts have no decimals: give a whole number."
            places = "decimal place" if digits == 1 else "decimal places"
            return f"{currency} has {digits} {places}; round the amount to {digits}."
        if "negative" in message:
            return "An amount cannot be negative."
        example = format_amount(EXAMPLE_MINOR * 10 ** money.minor_digits(currency) // 100,
                                currency, locale)
        return f"“{text.strip()}” is not an amount. Write it like {example}."
    return None


class MoneyEdit(QLineEdit):
    """A line edit for an amount in `currency`; `minor_units()` is None while unreadable.

    `error_label` is the inline message; place it under the box (the box shows and hides it).
    """

    amount_changed = Signal()

    def __init__(
        self,
        currency: str,
        locale: str | None = None,
        parent: QWidget | None = None,
        inline_errors: bool = True,
    ) -> None:
        super().__init__(parent)
        self._currency = currency
        self._inline_errors = inline_errors
        self._locale = locale or ui_locale()
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        example = format_amount(EXAMPLE_MINOR * 10 ** money.minor_digits(currency) // 100,
                                currency, self._locale)
        self.setPlaceholderText(f"e.g. {example}")
        self.setToolTip(f"Amount in {currency}, for example {example}")
        self.setAccessibleName(f"Amount in {currency}")

        self.code_label = QLabel(currency, self)
        self.code_label.setAccessibleName("Currency")
        set_text_color(self.code_label, muted_color(self.palette()))
        self.code_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        code_width = self.fontMetrics().horizontalAdvance(currency) + 10
        self.setTextMargins(0, 0, code_width, 0)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Amount: problem")
        set_text_color(self.error_label, error_color(self.palette()))
        self.error_label.hide()

        self.textChanged.connect(self._check)

    # --- Reading and writing ----------------------------------------------------------------

    @property
    def currency(self) -> str:
        return self._currency

    def minor_units(self) -> int | None:
        """The amount in minor units, or None when empty or unreadable (see `problem`)."""
        text = self.text()
        if not text.strip():
            return None
        try:
            return money.parse_amount(text, self._currency, self._locale)
        except ValueError:
            return None

    def problem(self) -> str | None:
        return amount_problem(self.text(), self._currency, self._locale)

    def error_text(self) -> str:
        return shown_problem(self.error_label)

    def set_minor_units(self, minor: int | None) -> None:
        self.setText("" if minor is None else format_amount(minor, self._currency, self._locale))

    def show_problem(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
        self.setAccessibleDescription(message or "")

    # --- Internals ----------------------------------------------------------------------

    def _check(self, _text: str = "") -> None:
        if self._inline_errors:
            self.show_problem(self.problem())
        self.amount_changed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        hint = self.code_label.sizeHint()
        self.code_label.move(self.width() - hint.width() - 8, (self.height() - hint.height()) // 2)
        self.code_label.resize(hint)


class MoneyFieldEditor:
    """The record form's editor for `FormField(kind="money")`: the organisation's currency."""

    def __init__(self, spec: EditField) -> None:
        self.spec = spec
        # The form shows problems under its fields itself, when it saves.
        self.widget = MoneyEdit(organisation_currency(), inline_errors=False)
        self.widget.setMaximumWidth(260)

    def value(self) -> int | None:
        return self.widget.minor_units()

    def raw(self) -> str:
        return self.widget.text()

    def problem(self) -> str | None:
        return self.widget.problem()

    def set_value(self, value: Any) -> None:
        self.widget.set_minor_units(None if value in (None, "") else int(value))

    def on_change(self, callback: Callable[..., None]) -> None:
        self.widget.textChanged.connect(callback)

    def refresh_choices(self) -> None:
        """Nothing to re-read: the currency is the organisation's."""


def install_money_editor() -> None:
    """Let record forms build a MoneyEdit for fields declared with kind "money"."""
    EDITORS.setdefault("money", MoneyFieldEditor)  # type: ignore[arg-type]
