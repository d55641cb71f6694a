"""Step 3 of a review: its decisions on improvement, on changes and on resources."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import reviews
from qms_desktop.models import DECISION_KINDS, ManagementReview
from ui.kit.reason import DisabledReason
from ui.kit.text import short_date
from ui.kit.theme import muted_color, set_text_color, warning_color
from ui.kit.widgets import muted_label
from ui.screens.reviews.parts import plain_table
from ui.screens.reviews.review_dialogs import answers_text


class DecisionsTab(QWidget):
    """The decisions as a table, each with its action's owner and date, and what is missing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decisions_intro = muted_label(
            "ISO 9001 asks for decisions on improvement, on changes to the quality system and "
            "on resource needs. Each decision becomes an action with an owner and a due date.")
        self.decisions_summary = QLabel()
        self.decisions_summary.setWordWrap(True)
        self.decisions_summary.setAccessibleName("Decisions summary")
        self.decisions_table = QTableWidget(0, 5)
        self.decisions_table.setAccessibleName("Decisions")
        self.decisions_table.setHorizontalHeaderLabels(
            ["Type", "Decision", "Owner", "Due", "Answers"])
        plain_table(self.decisions_table)
        self.decisions_table.setWordWrap(True)
        self.decisions_table.horizontalHeader().setMinimumSectionSize(90)
        self.decisions_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.add_decision_button = QPushButton("&Add decision…")
        self.add_decision_button.setAccessibleName("Add decision")
        self.remove_decision_button = QPushButton("&Remove decision")
        self.remove_decision_button.setAccessibleName("Remove decision")
        buttons = QHBoxLayout()
        self.add_decision_reason = DisabledReason(self.add_decision_button)
        buttons.addWidget(self.add_decision_reason, 1)
        buttons.addWidget(self.remove_decision_button)
        buttons.addWidget(self.add_decision_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(8)
        layout.addWidget(self.decisions_intro)
        layout.addWidget(self.decisions_summary)
        layout.addWidget(self.decisions_table, 1)
        layout.addLayout(buttons)

    def show_decisions(self, review: ManagementReview) -> int:
        """Fill the table and the summary; the number of decisions."""
        rows = reviews.decisions(review)
        kinds = dict(DECISION_KINDS)
        self.decisions_table.setRowCount(len(rows))
        for row, decision in enumerate(rows):
            values = [kinds.get(decision.kind, decision.kind), decision.description,
                      decision.owner.full_name if decision.owner is not None else "",
                      short_date(decision.due_on), answers_text(decision)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, decision.id)
                item.setToolTip(value if column in (1, 4) else "")
                self.decisions_table.setItem(row, column, item)
        self.decisions_table.resizeRowsToContents()
        counts = {key: sum(1 for d in rows if d.kind == key) for key, _label in DECISION_KINDS}
        if not rows:
            text = "No decisions recorded yet."
            colour = muted_color(self.palette())
        else:
            text = "; ".join(f"{kinds[k]}: {n}" for k, n in counts.items()) + "."
            missing = [kinds[k].lower() for k, n in counts.items() if n == 0]
            colour = self.palette().color(QPalette.ColorRole.WindowText)
            if "resource" in [k for k, n in counts.items() if n == 0]:
                text += " No decision on resource needs yet: auditors often ask for one."
                colour = warning_color(self.palette())
            elif missing:
                text += f" None yet on: {', '.join(missing)}."
        self.decisions_summary.setText(text)
        set_text_color(self.decisions_summary, colour)
        return len(rows)

    def selected_id(self) -> str | None:
        chosen = self.decisions_table.selectedItems()
        return chosen[0].data(Qt.ItemDataRole.UserRole) if chosen else None

    def apply_colours(self, palette: QPalette) -> None:
        set_text_color(self.decisions_intro, muted_color(palette))
