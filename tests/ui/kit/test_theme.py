"""The palette-aware colours and the one theme-change hook."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.kit.theme import (
    WARNING_HUE,
    blend,
    chip_style,
    error_color,
    is_dark,
    muted_color,
    on_theme_change,
    set_text_color,
    tint,
    tone_colours,
    warning_color,
    warning_fill,
)


def dark_palette() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#2b2c2f"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    return palette


def light_palette() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f0f0f0"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    return palette


def test_colours_follow_light_and_dark() -> None:
    light, dark = light_palette(), dark_palette()
    assert not is_dark(light) and is_dark(dark)
    assert error_color(light) != error_color(dark)
    assert warning_color(light) != warning_color(dark)
    # Secondary text sits between the text and the window colour.
    assert muted_color(light).lightness() > light.color(QPalette.ColorRole.WindowText).lightness()
    assert muted_color(dark).lightness() < dark.color(QPalette.ColorRole.WindowText).lightness()
    # A tint keeps the ground's brightness side, so the palette's own text stays readable.
    assert tint(light, WARNING_HUE).lightness() > 200
    assert tint(dark, WARNING_HUE).lightness() < 100


def test_blend_goes_from_the_ground_to_the_hue() -> None:
    white, black = QColor("#ffffff"), QColor("#000000")
    assert blend(white, black, 0) == white
    assert blend(white, black, 1) == black
    assert blend(white, black, 0.5) == QColor(128, 128, 128)


def test_a_chip_is_drawn_in_its_hue_on_a_tinted_ground() -> None:
    light = light_palette()
    style = chip_style(light, "#2e8b45")
    assert "border: 1px solid #2e8b45" in style
    assert f"background: {tint(light, '#2e8b45').name()}" in style
    assert "font-weight: bold" in chip_style(light, "#2e8b45", bold=True)


def test_the_hook_restyles_once_per_theme_change(qtbot: QtBot) -> None:
    label = QLabel("Secondary")
    qtbot.addWidget(label)
    label.setPalette(light_palette())
    calls: list[QColor] = []

    def restyle() -> None:
        # Restyling changes the label's own palette: that must not call the hook again.
        colour = muted_color(label.palette())
        set_text_color(label, colour)
        calls.append(colour)

    restyle()
    on_theme_change(label, restyle)
    calls.clear()
    label.setPalette(dark_palette())
    assert len(calls) == 1
    assert label.palette().color(QPalette.ColorRole.WindowText) == muted_color(dark_palette())


def test_tones_have_their_own_ground_and_ink() -> None:
    light = light_palette()
    grounds = {tone: tone_colours(light, tone)[0].name() for tone in ("good", "warning", "bad")}
    assert len(set(grounds.values())) == 3
    assert tone_colours(light, "warning") == (warning_fill(light), warning_color(light))
    _ground, ink = tone_colours(light, "")
    assert ink == muted_color(light)
