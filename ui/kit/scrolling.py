"""A part of a screen that scrolls only when the window is shorter than the part needs.

A plain resizable scroll area makes a page with wrapping text as tall as that text would
like (its height for the width), so it shows a scroll bar on any window. `scrolling(page)`
fills the room it is given and scrolls only below the page's minimum height: a 1024 x 640
laptop scrolls, a larger screen does not.
"""

from __future__ import annotations

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


def scrolling(page: QWidget) -> QScrollArea:
    """`page` in a frameless scroll area that scrolls only when it must (named as the page)."""
    area = QScrollArea()
    area.setAccessibleName(page.accessibleName())
    area.setWidget(_Filling(page))
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
