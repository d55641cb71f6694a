"""The start-up reminder: how many actions are overdue or due this week, with a way to see them.

A bar for the top of the main window. It hides itself when nothing is overdue or due, and
the user can close it for the session.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from qms_desktop import clock
from qms_desktop.text import plural
from ui.kit.theme import on_theme_change


def reminder_text(overdue: int, this_week: int) -> str:
    """ "8 actions are overdue and 3 are due this week." """
    if overdue and this_week:
        verb = "is" if overdue == 1 else "are"
        week_verb = "is" if this_week == 1 else "are"
        return (f"{plural(overdue, 'action', 'actions')} {verb} overdue and {this_week} "
                f"{week_verb} due this week.")
    if overdue:
        verb = "is" if overdue == 1 else "are"
        return f"{plural(overdue, 'action', 'actions')} {verb} overdue."
    if this_week:
        verb = "is" if this_week == 1 else "are"
        return f"{plural(this_week, 'action', 'actions')} {verb} due this week."
    return ""


class ReminderBar(QFrame):
    """ "8 actions are overdue and 3 are due this week. [Show them]" """

    show_actions = Signal(str)  # "overdue" or "this_week"

    def __init__(self, parent: QWidget | None = None, *, refresh_now: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBar")
        self.setAccessibleName("Action reminder")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._overdue = 0
        self._this_week = 0
        self._dismissed = False

        self.text_label = QLabel()
        self.text_label.setAccessibleName("Actions needing attention")
        self.text_label.setWordWrap(True)
        self.show_button = QPushButton("&Show them")
        self.show_button.setAccessibleName("Show the actions")
        self.show_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName("Close the reminder")
        self.close_button.setToolTip("Close the reminder")

        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 8, 8)
        row.setSpacing(12)
        row.addWidget(self.text_label, 1)
        row.addWidget(self.show_button)
        row.addWidget(self.close_button)

        self.show_button.clicked.connect(self._show_them)
        self.close_button.clicked.connect(self.dismiss)
        self._apply_colours()
        on_theme_change(self, self._apply_colours)
        self.setVisible(False)
        if refresh_now:
            self.refresh()

    def refresh(self, today: dt.date | None = None) -> None:
        """Count again; shown only when something is overdue or due and not closed."""
        from qms_desktop import actions

        self._overdue, self._this_week = actions.reminder_counts(today or clock.today())
        text = reminder_text(self._overdue, self._this_week)
        self.text_label.setText(text)
        self.setAccessibleDescription(text)
        self.show_button.setToolTip(
            "Open the overdue actions" if self._overdue else "Open the actions due this week"
        )
        self.setVisible(bool(text) and not self._dismissed)

    def counts(self) -> tuple[int, int]:
        return self._overdue, self._this_week

    def dismiss(self) -> None:
        self._dismissed = True
        self.hide()

    def _show_them(self) -> None:
        self.show_actions.emit("overdue" if self._overdue else "this_week")

    def _apply_colours(self) -> None:
        # A warm note that reads on light and dark palettes, not an alarm.
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        fill, ink, edge = (("#3d3219", "#f4dc9c", "#6b5424") if dark
                           else ("#fff4d6", "#5c4300", "#e6c978"))
        self.setStyleSheet(
            f"QFrame#reminderBar {{ background: {fill}; border-bottom: 1px solid {edge}; }}"
            f" QFrame#reminderBar QLabel {{ color: {ink}; }}"
        )
