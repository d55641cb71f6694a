"""The head of every screen: its title, the clause it answers and a secondary line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from qms_desktop.clauses import clause_title
from ui.kit.widgets import bold, muted_label

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


def heading(text: str, scale: float = 1.6) -> QLabel:
    label = QLabel(text)
    label.setFont(title_font(label.font(), scale))
    label.setAccessibleName(text)
    return label


def screen_header(title: str, subtitle: str) -> QVBoxLayout:
    """Title and the clause line for the screens that list one register."""
    layout = QVBoxLayout()
    layout.setSpacing(2)
    layout.addWidget(heading(title))
    sub = muted_label(subtitle)
    sub.setAccessibleName("ISO 9001 clause")
    layout.addWidget(sub)
    return layout


def title_and_clause(title: str, clause: str,
              name: str = "Screen") -> tuple[QHBoxLayout, QLabel, QLabel]:
    """A screen's title, large and bold, with its clause beside it on the same baseline;
    the screen adds its own buttons after the stretch and colours the clause as it likes."""
    title_label = bold(QLabel(title), 1.6)
    title_label.setAccessibleName(name)
    clause_label = QLabel(clause)
    clause_label.setAccessibleName("ISO 9001 clause")
    row = QHBoxLayout()
    row.setSpacing(12)
    row.addWidget(title_label, 0, Qt.AlignmentFlag.AlignBaseline)
    row.addWidget(clause_label, 0, Qt.AlignmentFlag.AlignBaseline)
    row.addStretch(1)
    return row, title_label, clause_label
