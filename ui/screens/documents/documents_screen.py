"""Documents (7.5): controlled documents and retained records, their version in force, who
approved it, and when each is due for review.

The generic register screen over `support_registers.DOCUMENTS`, with overdue review dates in
red. The quality policy and the QMS scope are listed here too, but their text is written and
approved on their own screens; the form says so and offers a way there.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from qms_desktop import clock
from qms_desktop.models import DOCUMENT_KINDS, Document
from qms_desktop.support_registers import DOCUMENTS, OWN_SCREEN_KINDS
from ui.kit.fitting import literal
from ui.kit.live import ChangeSource
from ui.kit.register_screen import RegisterScreen
from ui.kit.tables import AnyIndex, LateDateDelegate, cell_date, column_of


class DocumentsScreen(RegisterScreen):
    """The documents and records register."""

    open_record = Signal(str, str)  # (screen key, document id) for the policy or the scope

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(DOCUMENTS, parent, changes=changes)
        due = column_of(DOCUMENTS, "review_due_on")

        def late(index: AnyIndex) -> bool:
            day = cell_date(index, due)
            return index.column() == due and day is not None and day < clock.today()

        self.table.setItemDelegate(LateDateDelegate(late, self.table))

        self.own_screen_note = QFrame()
        self.own_screen_note.setObjectName("ownScreenNote")
        self.own_screen_note.setStyleSheet(
            "QFrame#ownScreenNote { background: palette(base); border: 1px solid palette(mid);"
            " border-left: 4px solid palette(highlight); border-radius: 6px; }"
        )
        self.own_screen_note.setAccessibleName("Edited on its own screen")
        self.own_screen_label = QLabel()
        self.own_screen_label.setWordWrap(True)
        self.own_screen_button = QPushButton()
        note = QVBoxLayout(self.own_screen_note)
        note.setContentsMargins(12, 10, 12, 10)
        note.setSpacing(8)
        note.addWidget(self.own_screen_label)
        note.addWidget(self.own_screen_button)
        self.add_below_form(self.own_screen_note)

        self.record_shown.connect(self._show_note)
        self.own_screen_button.clicked.connect(self.open_own_screen)
        self._show_note(self.form.record)

    def _show_note(self, record: Any) -> None:
        kind = record.kind if isinstance(record, Document) else ""
        if kind not in OWN_SCREEN_KINDS:
            self.own_screen_note.hide()
            return
        name = dict(DOCUMENT_KINDS)[kind]
        self.own_screen_label.setText(
            f"The text of the {name.lower()}, its versions and their approval are kept on the "
            f"{name} screen. Here you keep its reference, owner, review date and location."
        )
        self.own_screen_button.setText(literal(f"Open the {name.lower()}"))
        self.own_screen_button.setAccessibleName(f"Open the {name.lower()} screen")
        self.own_screen_note.show()

    def open_own_screen(self) -> None:
        record = self.form.record
        if isinstance(record, Document) and record.kind in OWN_SCREEN_KINDS:
            self.open_record.emit(OWN_SCREEN_KINDS[record.kind], record.id)
