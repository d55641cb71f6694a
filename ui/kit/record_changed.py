"""A save refused because someone changed the record first: who and when, and two ways on.

The records layer refuses a save made from a copy read before another change of the record
(`RecordChanged`). A form then shows `ChangedBar`: the sentence naming who changed it and
when, "Reload" (drop my edits, show theirs) and "Compare" (`ChangesDialog`: each field that
differs, mine beside theirs). What the user typed stays in the form until they choose.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop.errors import RecordChanged
from ui.kit.theme import error_color, set_text_color
from ui.kit.widgets import muted_label

# (field label, mine as shown, theirs as shown)
Difference = tuple[str, str, str]


class ChangedBar(QFrame):
    """The refusal above a form's fields, with Reload and Compare; hidden until a save is
    refused."""

    reload_requested = Signal()
    compare_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Changed by someone else")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Why the save was refused")
        set_text_color(self.message, error_color(self.palette()))
        self.reload_button = QPushButton("Reload")
        self.reload_button.setAccessibleName("Reload: drop my edits and show theirs")
        self.reload_button.setToolTip("Drop your edits and show the record as it is now")
        self.compare_button = QPushButton("Compare…")
        self.compare_button.setAccessibleName("Compare my edits with theirs")
        self.compare_button.setToolTip("See your edits beside the record as it is now")

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.reload_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self.message)
        layout.addWidget(muted_label("Your edits are kept until you choose."))
        layout.addLayout(buttons)
        self.hide()

        self.reload_button.clicked.connect(self.reload_requested)
        self.compare_button.clicked.connect(self.compare_requested)

    def show_refusal(self, refused: RecordChanged, can_compare: bool = True) -> None:
        self.message.setText(f"Not saved. {refused.message}")
        self.compare_button.setVisible(can_compare)
        self.show()

    def text(self) -> str:
        """The sentence shown, or "" while hidden."""
        return self.message.text() if not self.isHidden() else ""


class ChangesDialog(QDialog):
    """Each field where my edits and the record as stored now differ, side by side.
    Accepted: reload theirs; rejected: back to my edits."""

    def __init__(self, differences: list[Difference], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare with the saved record")
        self.setAccessibleName("Compare with the saved record")
        self.setMinimumWidth(560)
        intro = muted_label(
            "Your edits beside the record as someone else saved it. Reload to take theirs, "
            "or go back to your edits." if differences else
            "Your edits and the saved record now read the same. Reload to take it.")
        self.table = QTableWidget(len(differences), 3)
        self.table.setAccessibleName("Differences")
        self.table.setHorizontalHeaderLabels(["Field", "Mine", "Theirs"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, texts in enumerate(differences):
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()

        self.buttons = QDialogButtonBox()
        self.reload_button = self.buttons.addButton(
            "Reload theirs", QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button = self.buttons.addButton(
            "Back to my edits", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

    @classmethod
    def offer(cls, differences: list[Difference], parent: QWidget,
              reload_theirs: Callable[[], None]) -> ChangesDialog:
        """Open the comparison over `parent`; "Reload theirs" calls `reload_theirs`."""
        dialog = cls(differences, parent)
        dialog.accepted.connect(reload_theirs)
        dialog.open()
        return dialog

    def rows(self) -> list[Difference]:
        """What the table lists, row by row."""
        found = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, column) for column in range(3)]
            label, mine, theirs = (cell.text() if cell is not None else "" for cell in cells)
            found.append((label, mine, theirs))
        return found
