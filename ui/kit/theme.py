"""Colours that follow the palette, light or dark, and the one hook for a theme change.

Screens never pick a text or background colour by hand: they ask here with their palette,
and redo their styling in `on_theme_change` when the user switches between light and dark.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

# The hue of everything that asks for attention without being an error (drafts, gaps,
# warnings); its ink and ground below are derived from it.
WARNING_HUE = "#d99a00"
NEUTRAL_HUE = "#8a8a8a"


def is_dark(palette: QPalette) -> bool:
    """Whether the palette is a dark theme (its window colour is dark)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def blend(back: QColor, hue: QColor, amount: float) -> QColor:
    """`amount` (0 to 1) of `hue` over `back`."""
    return QColor(
        round(back.red() * (1 - amount) + hue.red() * amount),
        round(back.green() * (1 - amount) + hue.green() * amount),
        round(back.blue() * (1 - amount) + hue.blue() * amount),
    )


def tint(palette: QPalette, hue: str | QColor, amount: float | None = None) -> QColor:
    """A ground in `hue` on which the palette's own text stays readable, light or dark."""
    base = palette.color(QPalette.ColorRole.Base)
    share = amount if amount is not None else (0.34 if is_dark(palette) else 0.2)
    return blend(base, QColor(hue), share)


def muted_color(palette: QPalette) -> QColor:
    """Secondary text: the palette's placeholder colour, the one `header.muted` labels take,
    so painted and plain secondary text match and stay readable in dark mode."""
    placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
    # Qt's placeholder is often translucent: as painted over the window's ground.
    opaque = QColor(placeholder)
    opaque.setAlpha(255)
    return blend(palette.color(QPalette.ColorRole.Window), opaque, placeholder.alphaF())


def error_color(palette: QPalette) -> QColor:
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


def warning_color(palette: QPalette) -> QColor:
    """Text that warns: the warning hue darkened (light theme) or lightened (dark theme)."""
    return QColor("#ffcc80") if is_dark(palette) else QColor("#8a5300")


def warning_fill(palette: QPalette) -> QColor:
    """The ground of a row, badge or banner that needs attention."""
    return tint(palette, WARNING_HUE)


def success_color(palette: QPalette) -> QColor:
    return QColor("#8fd19e") if is_dark(palette) else QColor("#1e6b34")


SUCCESS_HUE = "#2e8b45"
ERROR_HUE = "#d93f3f"


def tone_colours(palette: QPalette, tone: str) -> tuple[QColor, QColor]:
    """(ground, ink) of a chip or banner that is "good", "warning" or "bad"; anything else
    is neutral."""
    if tone == "good":
        return tint(palette, SUCCESS_HUE), success_color(palette)
    if tone == "warning":
        return warning_fill(palette), warning_color(palette)
    if tone == "bad":
        return tint(palette, ERROR_HUE), error_color(palette)
    return palette.color(QPalette.ColorRole.AlternateBase), muted_color(palette)


def set_text_color(label: QWidget, color: QColor) -> None:
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(palette)


def colored(label: QLabel, color: QColor, bold: bool = False) -> QLabel:
    """`label` in `color`, bold when asked."""
    set_text_color(label, color)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    return label


def chip_style(palette: QPalette, hue: str | QColor, selector: str = "QLabel",
               bold: bool = False) -> str:
    """Style sheet of a small rounded status label in `hue`, readable in light and dark."""
    border = QColor(hue).name()
    text = palette.color(QPalette.ColorRole.Text).name()
    weight = " font-weight: bold;" if bold else ""
    return (
        f"{selector} {{ background: {tint(palette, hue).name()}; color: {text}; "
        f"border: 1px solid {border}; border-radius: 9px; padding: 1px 10px;{weight} }}"
    )


def warning_style(palette: QPalette, selector: str = "QFrame") -> str:
    """Style sheet of a framed warning box."""
    return (f"{selector} {{ background: {warning_fill(palette).name()}; "
            f"border: 1px solid {WARNING_HUE}; border-radius: 6px; }}")


class _ThemeWatcher(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(widget)
        self._callback = callback
        self._busy = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Restyling can itself post a palette change: do not start again from inside it.
        if event.type() == QEvent.Type.PaletteChange and not self._busy:
            self._busy = True
            try:
                self._callback()
            finally:
                self._busy = False
        return False


def on_theme_change(widget: QWidget, callback: Callable[[], object]) -> None:
    """Call `callback` whenever `widget`'s palette changes (the user switched between light
    and dark), so colours taken from the palette are taken again. Call it once the widgets
    the callback styles exist."""
    widget.installEventFilter(_ThemeWatcher(widget, callback))


def _paint_read_only(editor: QWidget) -> None:
    if editor.property("shownReadOnly"):
        palette = QPalette()
        ground = QApplication.palette(editor).color(QPalette.ColorRole.Window)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Base, ground)
        editor.setPalette(palette)
    else:
        editor.setPalette(QPalette())


def show_read_only(editor: QLineEdit | QPlainTextEdit | QTextEdit, read_only: bool) -> None:
    """Make a text field read-only, and look it: the window's ground behind its text instead
    of a field's white, as a disabled drop-down beside it is greyed, its text still readable
    and selectable. Light or dark, the ground follows the theme. Its placeholder, a hint
    for typing, is put away meanwhile (and back after)."""
    if read_only and not editor.isReadOnly():
        editor.setProperty("typingHint", editor.placeholderText())
        editor.setPlaceholderText("")
    elif not read_only and editor.isReadOnly() and editor.property("typingHint"):
        editor.setPlaceholderText(editor.property("typingHint"))
    editor.setReadOnly(read_only)
    if editor.property("shownReadOnly") is None:
        on_theme_change(editor, lambda: _paint_read_only(editor))
    editor.setProperty("shownReadOnly", read_only)
    _paint_read_only(editor)
