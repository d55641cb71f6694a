"""Line icons from resources/icons, drawn in the palette's text colour so dark mode works.

The SVG files use `currentColor`; each paint replaces it with the colour the current palette
gives for the icon's mode, then renders the vector at the requested size (sharp on HiDPI).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from qms_desktop.paths import ICONS

# The app's own colour, for the window icon (it sits on the desktop, not on our palette).
BRAND_COLOUR = "#2f6f9f"


@cache
def svg_text(name: str) -> str:
    path = ICONS / f"{name}.svg"
    return path.read_text(encoding="utf-8")


def mode_colour(mode: QIcon.Mode) -> QColor:
    palette = QGuiApplication.palette()
    if mode == QIcon.Mode.Disabled:
        return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    if mode == QIcon.Mode.Selected:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText)
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)


class SvgIconEngine(QIconEngine):
    """Renders one SVG, coloured per mode; a fixed colour when `colour` is given."""

    def __init__(self, name: str, colour: str | None = None) -> None:
        super().__init__()
        self._name = name
        self._colour = colour

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        colour = self._colour or mode_colour(mode).name()
        data = svg_text(self._name).replace("currentColor", colour)
        return QSvgRenderer(QByteArray(data.encode("utf-8")))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer(mode).render(painter, QRectF(rect))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self._name, self._colour)

    def key(self) -> str:
        return "qms-svg"


def icon(name: str, colour: str | None = None) -> QIcon:
    """The named icon from resources/icons; follows the palette unless `colour` is given."""
    if not (ICONS / f"{name}.svg").is_file():
        raise FileNotFoundError(f"no icon named {name!r} in {ICONS}")
    return QIcon(SvgIconEngine(name, colour))


def app_icon() -> QIcon:
    return icon("app", BRAND_COLOUR)
