"""The Overview: the organisation at a glance and real counts that open their screens."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import catalogue, organisation
from qms_desktop.models import EDITIONS, Site
from qms_desktop.registers import Query, Register, count
from ui.icons import icon
from ui.placeholder import SCREEN_MARGINS, ScreenHeader, error_colour, muted, title_font


@dataclass(frozen=True)
class Figure:
    """One count on the Overview and the screen that lists what it counts."""

    key: str
    label: str
    register: Register
    filter_key: str
    screen: str
    button_text: str


FIGURES = (
    Figure("people", "People working here", catalogue.PEOPLE, "active", "people", "Open People"),
    Figure("processes", "Processes", catalogue.PROCESSES, "", "processes", "Open Processes"),
    Figure("open_actions", "Open actions", catalogue.ACTIONS, "open", "actions", "Open Actions"),
    Figure(
        "overdue_actions", "Overdue actions", catalogue.ACTIONS, "overdue", "actions",
        "See overdue actions",
    ),
)


class FigureCard(QFrame):
    def __init__(self, figure: Figure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self.setObjectName("figureCard")
        self.setMinimumWidth(190)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(6)
        self.number_label = QLabel("–")
        self.number_label.setFont(title_font(self.font(), 2.0))
        layout.addWidget(self.number_label)
        layout.addWidget(muted(QLabel(figure.label)))
        self.button = QPushButton(figure.button_text)
        self.button.setAccessibleName(figure.button_text)
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout.addSpacing(4)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)

    def set_number(self, value: int) -> None:
        self.number_label.setText(f"{value:,}")
        self.number_label.setAccessibleName(f"{self.figure.label}: {value}")
        self.button.setAccessibleDescription(f"{self.figure.label}: {value}")
        if self.figure.key == "overdue_actions" and value:
            palette = self.number_label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, error_colour(self.palette()))
            self.number_label.setPalette(palette)
        else:
            self.number_label.setPalette(self.palette())


CARD_STYLE = """
QFrame#figureCard {
    background: palette(base);
    border: 1px solid palette(mid);
    border-radius: 8px;
}
"""


class OverviewScreen(QWidget):
    """What the organisation is and what is in the database; `open_screen` names a screen."""

    open_screen = Signal(str)
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Overview")
        self.setStyleSheet(CARD_STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(*SCREEN_MARGINS)
        layout.setSpacing(22)

        self.header = ScreenHeader("Overview", "", icon("overview"))
        layout.addWidget(self.header)

        self.organisation_label = QLabel()
        self.organisation_label.setFont(title_font(self.font(), 1.25))
        self.organisation_label.setAccessibleName("Organisation")
        self.organisation_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        details = QGridLayout()
        details.setHorizontalSpacing(24)
        details.setVerticalSpacing(8)
        details.addWidget(self.organisation_label, 0, 0, 1, 2)
        self.detail_labels: dict[str, QLabel] = {}
        for row, (key, caption) in enumerate(
            (("edition", "Standard"), ("currency", "Currency"), ("sites", "Sites")), start=1
        ):
            caption_label = muted(QLabel(caption))
            value = QLabel()
            value.setWordWrap(True)
            value.setAccessibleName(caption)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption_label.setBuddy(value)
            details.addWidget(caption_label, row, 0, Qt.AlignmentFlag.AlignTop)
            details.addWidget(value, row, 1)
            self.detail_labels[key] = value
        details.setColumnStretch(1, 1)
        layout.addLayout(details)

        section = QLabel("In your quality system")
        section.setFont(title_font(self.font(), 1.15))
        layout.addWidget(section)
        cards = QHBoxLayout()
        cards.setSpacing(16)
        self.cards: dict[str, FigureCard] = {}
        for figure in FIGURES:
            card = FigureCard(figure)
            card.button.clicked.connect(
                lambda _checked=False, key=figure.screen: self.open_screen.emit(key)
            )
            cards.addWidget(card)
            self.cards[figure.key] = card
        cards.addStretch(1)
        layout.addLayout(cards)

        later = muted(
            QLabel(
                "A readiness check, clause by clause, that tells you what an auditor would "
                "still find missing, arrives in a later version."
            )
        )
        later.setWordWrap(True)
        later.setMaximumWidth(720)
        layout.addWidget(later)
        layout.addStretch(1)
        self.reload()

    def counts(self) -> dict[str, int]:
        return {
            f.key: count(f.register, Query(filter_key=f.filter_key)) for f in FIGURES
        }

    def reload(self) -> None:
        found = organisation.get_organisation()
        if found is None:
            self.organisation_label.setText("No organisation set up yet")
            for label in self.detail_labels.values():
                label.setText("")
        else:
            self.organisation_label.setText(found.name)
            self.detail_labels["edition"].setText(dict(EDITIONS).get(found.edition, found.edition))
            self.detail_labels["currency"].setText(found.currency)
            sites = [
                s.name
                for s in Site.select().where(Site.archived_at.is_null()).order_by(Site.name)
            ]
            self.detail_labels["sites"].setText(", ".join(sites) or "None recorded yet")
        for key, value in self.counts().items():
            self.cards[key].set_number(value)

