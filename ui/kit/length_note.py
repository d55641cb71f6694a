"""Text cut to a field's limit says so.

A line edit with a maximum length drops what is typed or pasted past it without a word, so a
pasted address or title could lose its end unnoticed. `LengthNote` sits under such a field and
says, when that happens, that the text was cut and how much the field holds. The limits come
from the field rules (`qms_desktop.fields.text_limit`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from ui.kit.theme import set_text_color, warning_color


class LengthNote(QLabel):
    """A note under `edit`, shown while its text was cut to the edit's maximum length."""

    def __init__(self, edit: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = edit
        self.setWordWrap(True)
        self.setAccessibleName(f"{edit.accessibleName() or 'Field'}: text cut")
        set_text_color(self, warning_color(self.palette()))
        self.hide()
        edit.inputRejected.connect(self._rejected)
        edit.textChanged.connect(self._changed)

    def _rejected(self) -> None:
        limit = self.edit.maxLength()
        if len(self.edit.text()) < limit:
            return  # refused by a validator or an input mask, not for its length
        self.setText(f"Cut to {limit:,} characters: this field holds no more.")
        self.edit.setAccessibleDescription(self.text())
        self.show()

    def _changed(self, text: str) -> None:
        if not self.isHidden() and len(text) < self.edit.maxLength():
            self.hide()
            self.edit.setAccessibleDescription("")


def limit_length(edit: QLineEdit, limit: int) -> LengthNote:
    """Keep `edit` within `limit` characters; returns the note to place under it."""
    edit.setMaxLength(limit)
    return LengthNote(edit)


def add_noted_rows(form: QFormLayout, rows: tuple[tuple[str, QWidget], ...]) -> None:
    """One row per (caption, field), the caption the field's buddy; a one-line field gets a
    LengthNote under it, which says so if typing or pasting went past its limit."""
    for caption, widget in rows:
        label = QLabel(caption)
        label.setBuddy(widget)
        form.addRow(label, widget)
        if isinstance(widget, QLineEdit):
            form.addRow(LengthNote(widget))
