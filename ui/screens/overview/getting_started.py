"""The overview's "Getting started" card: the first steps, ticked from the records.

The steps come from qms_desktop.getting_started; each open one says what is left and has one
button to the screen that does it. The card hides itself once every step is done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.kit.header import muted, title_font
from ui.kit.theme import colored, success_color, warning_color

if TYPE_CHECKING:
    from qms_desktop.getting_started import Step

# What each button opens, in the sidebar's words.
SCREEN_NAMES = {
    "people": "People", "roles": "Roles", "policy": "Quality policy",
    "responsibilities": "Responsibilities", "processes": "Processes",
    "issues": "Context & issues", "parties": "Interested parties", "scope": "Scope",
    "risks": "Risks & opportunities", "objectives": "Objectives & KPIs",
    "audits": "Internal audits", "reviews": "Reviews",
}


class GettingStartedCard(QFrame):
    """Numbered steps: a tick for each one done, what is left and a button for the others."""

    open_screen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clauseCard")  # the overview's card frame
        self.setAccessibleName("Getting started")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 14)
        layout.setSpacing(6)
        self.heading = QLabel("Getting started")
        self.heading.setFont(title_font(self.font(), 1.25))
        layout.addWidget(self.heading)
        intro = muted(QLabel(
            "The order an auditor looks at things. Each step ticks itself once the records "
            "are there; this list goes when all are done."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(1, 1)
        layout.addLayout(self.grid)
        self.buttons: dict[str, QPushButton] = {}
        self.rows: dict[str, StepRow] = {}
        self.steps: list[Step] = []

    def show_steps(self, steps: list[Step]) -> None:
        """Show `steps`; the rows are made once and updated in place, so a reload keeps the
        keyboard focus on the button it was on."""
        self.steps = steps
        done = sum(1 for s in steps if s.done)
        self.setVisible(done < len(steps))
        self.heading.setText(f"Getting started · {done} of {len(steps)} done")
        first_open = next((s.key for s in steps if not s.done), "")
        for number, step in enumerate(steps, start=1):
            row = self.rows.get(step.key)
            if row is None:
                row = self.rows[step.key] = StepRow(self.grid, len(self.rows), self)
                row.button.clicked.connect(lambda _checked=False, k=step.key: self._open(k))
                self.buttons[step.key] = row.button
            row.show_step(step, number, is_next=step.key == first_open)

    def _open(self, key: str) -> None:
        step = next((s for s in self.steps if s.key == key), None)
        if step is not None:
            self.open_screen.emit(step.screen)


class StepRow:
    """One step's widgets in the card's grid: marker, texts, button."""

    def __init__(self, grid: QGridLayout, row: int, card: QWidget) -> None:
        self.card = card
        self.marker = QLabel()
        self.marker.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.marker.setMinimumWidth(22)
        grid.addWidget(self.marker, row, 0)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.why = muted(QLabel())
        self.why.setWordWrap(True)
        self.left = QLabel()
        self.left.setWordWrap(True)
        for label in (self.title, self.why, self.left):
            column.addWidget(label)
        grid.addWidget(cell, row, 1)
        self.button = QPushButton()
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        grid.addWidget(self.button, row, 2, Qt.AlignmentFlag.AlignTop)

    def show_step(self, step: Step, number: int, *, is_next: bool) -> None:
        palette = self.card.palette()
        self.marker.setText("✓" if step.done else str(number))
        colored(self.marker, success_color(palette) if step.done
                else palette.color(QPalette.ColorRole.WindowText), bold=True)
        self.title.setText(step.title)
        font = self.title.font()
        font.setBold(not step.done)
        self.title.setFont(font)
        self.title.setForegroundRole(QPalette.ColorRole.PlaceholderText if step.done
                                     else QPalette.ColorRole.WindowText)
        self.title.setAccessibleName(f"{'Done' if step.done else 'To do'}: {step.title}")
        self.why.setText(step.why)
        self.left.setText(("Next: " if is_next else "") + step.left)
        colored(self.left, warning_color(palette) if is_next
                else palette.color(QPalette.ColorRole.WindowText))
        for widget in (self.why, self.left, self.button):
            widget.setVisible(not step.done)
        name = SCREEN_NAMES.get(step.screen, step.screen)
        self.button.setText(f"Open {name}".replace("&", "&&"))  # "&" is no shortcut here
        self.button.setAccessibleName(f"Open {name}")
        self.button.setAccessibleDescription(step.title)
