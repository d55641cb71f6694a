"""A screen that is planned but not built yet, and the small pieces every screen shares.

The placeholder shows no sample rows and no buttons, so nothing on it pretends to work.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from qms_desktop.clauses import clause_title
from ui.kit.widgets import muted_label

SCREEN_MARGINS = (32, 28, 32, 28)


def title_font(base: QFont, scale: float = 1.6) -> QFont:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * scale)
    font.setWeight(QFont.Weight.DemiBold)
    return font


def muted(label: QLabel) -> QLabel:
    """A secondary line: the palette's placeholder colour, which stays readable in dark mode."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class ScreenHeader(QWidget):
    """Icon, title and the clause line at the top of every screen."""

    def __init__(
        self, title: str, clause: str = "", icon: QIcon | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        if icon is not None:
            picture = QLabel()
            picture.setPixmap(icon.pixmap(32, 32))
            picture.setAlignment(Qt.AlignmentFlag.AlignTop)
            picture.setAccessibleName(f"{title} icon")
            layout.addWidget(picture)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.title_label = QLabel(title)
        self.title_label.setFont(title_font(self.font()))
        self.title_label.setAccessibleName(title)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.addWidget(self.title_label)
        self.clause_label = muted(QLabel(clause_line(clause)))
        self.clause_label.setVisible(bool(clause))
        text.addWidget(self.clause_label)
        layout.addLayout(text, 1)


def clause_line(clause: str) -> str:
    if not clause:
        return ""
    title = clause_title(clause)
    return f"ISO 9001 clause {clause}" + (f" · {title}" if title else "")


class PlaceholderScreen(QWidget):
    """Title, clause and what the screen will hold once it is built."""

    def __init__(
        self,
        title: str,
        clause: str,
        description: str,
        icon: QIcon | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(f"{title} (coming in a later version)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*SCREEN_MARGINS)
        layout.setSpacing(20)
        self.header = ScreenHeader(title, clause, icon)
        layout.addWidget(self.header)

        self.description_label = QLabel(description)
        self.description_label.setWordWrap(True)
        self.description_label.setMaximumWidth(720)
        self.description_label.setAccessibleName(f"What {title} will hold")
        self.description_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout.addWidget(self.description_label)

        notice = QFrame()
        notice.setObjectName("laterNotice")
        notice.setStyleSheet(
            "QFrame#laterNotice { background: palette(base); border: 1px solid palette(mid);"
            " border-left: 4px solid palette(highlight); border-radius: 6px; }"
        )
        notice.setMaximumWidth(720)
        notice_layout = QVBoxLayout(notice)
        notice_layout.setContentsMargins(16, 12, 16, 12)
        self.notice_label = QLabel(
            "<b>Arrives in a later version.</b> This part of QMS Desktop is not built yet, "
            "so nothing is kept here for now. Everything else you record is saved as usual."
        )
        self.notice_label.setWordWrap(True)
        self.notice_label.setAccessibleName("Arrives in a later version")
        notice_layout.addWidget(self.notice_label)
        layout.addWidget(notice)
        layout.addStretch(1)


def heading(text: str, scale: float = 1.6) -> QLabel:
    label = QLabel(text)
    label.setFont(title_font(label.font(), scale))
    label.setAccessibleName(text)
    return label


def screen_header(title: str, subtitle: str) -> QVBoxLayout:
    """Title and the clause line, as every screen in this group shows them."""
    layout = QVBoxLayout()
    layout.setSpacing(2)
    layout.addWidget(heading(title))
    sub = muted_label(subtitle)
    sub.setAccessibleName("ISO 9001 clause")
    layout.addWidget(sub)
    return layout
