"""A part of a screen that scrolls only when the window is shorter than the part needs.

A plain resizable scroll area makes a page with wrapping text as tall as that text would
like (its height for the width), so it shows a scroll bar on any window. `scrolling(page)`
fills the room it is given and scrolls only below the page's minimum height: a 1024 x 640
laptop scrolls, a larger screen does not.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class _Filling(QWidget):
    """Holds the page; asks for the page's minimum height at a width, not its preferred one."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page)

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return layout.totalMinimumHeightForWidth(width) if layout is not None else -1


class _Scrolling(QScrollArea):
    """Asks for the whole page's size (Qt's asks for at most 24 lines): a dialog opens as
    tall as its content where the screen has room, and scrolls only where it has not."""

    def setWidget(self, widget: QWidget) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The page was laid out anew (rows added or taken away): the layout around this
        # area must ask its size again, not keep the one it was told before.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        page = self.widget()
        if page is None:
            return super().sizeHint()
        frame = 2 * self.frameWidth()
        hint = page.sizeHint()
        return QSize(hint.width() + frame, hint.height() + frame)


def scrolling(page: QWidget) -> QScrollArea:
    """`page` in a frameless scroll area that scrolls only when it must (named as the page)."""
    area = _Scrolling()
    area.setAccessibleName(page.accessibleName())
    area.setWidget(_Filling(page))
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
