"""A save refused because someone changed the record first: who and when, and two ways on.

The records layer refuses a save made from a copy read before another change of the record
(`RecordChanged`). A form then shows `ChangedBar`: the sentence naming who changed it and
when, "Reload" (drop my edits, show theirs) and "Compare" (`ChangesDialog`: each field that
differs, mine beside theirs). What the user typed stays in the form until they choose.

The refusal carries the caller's copy of the record and what the save would have written
(`RecordChanged.copy`, `.mine`), so a form needs nothing more to compare (`differences`) and
to reload (`take_theirs`, which brings that copy up to date: the next save from it is made
over their version instead of being refused again).

A form that is neither a form dialog nor a record form (an editor inside a screen, a dialog
of its own) gets the same bar and choice from `ChangedChoice`, told how to read and fill
each of its fields and how to show a record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
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

from qms_desktop import formatting
from qms_desktop.errors import RecordChanged
from ui.kit.theme import error_color, set_text_color
from ui.kit.widgets import muted_label

# (field label, mine as shown, theirs as shown)
Difference = tuple[str, str, str]


# The comparison's width: wider when a text is long (characters), so it wraps less.
NARROW, WIDE, LONG_TEXT = 560, 800, 60
MINIMUM_TABLE_HEIGHT = 120
MARGIN = 40  # kept free around the comparison inside the window it opens over

# Never compared: the id, and what every write changes (models.BOOKKEEPING_FIELDS).
_NOT_COMPARED = ("id", "created_at", "updated_at", "row_version")


def stored_now(refused: RecordChanged) -> Any | None:
    """The refused record as stored now, read again; None when the refusal names no copy or
    the record is gone."""
    copy = refused.copy
    if copy is None:
        return None
    model = type(copy)
    return model.get_or_none(model.id == copy.id)


def take_theirs(refused: RecordChanged, stored: Any) -> None:
    """The caller's copy (the one the refused save was made from) takes the values stored
    now, so the next save made from it goes over their version instead of being refused."""
    copy = refused.copy
    copy.__data__ = dict(stored.__data__)
    copy.__rel__ = {}


def shown_value(model_field: Any, value: Any) -> str:
    """A stored value as a person reads it: a linked record by its name, a choice by its
    label, a date as the date fields show it."""
    if value is None or value == "":
        return ""
    linked_model = getattr(model_field, "rel_model", None)
    if linked_model is not None:
        linked = linked_model.get_or_none(linked_model.id == value)
        return linked.display_name() if linked is not None else str(value)
    choices = dict(model_field.choices or ())
    if value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return formatting.timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# How a form shows a value of one of its own fields, and names that field: None when the
# form has no field of that name.
ShownBy = Callable[[str, Any], "str | None"]
LabelOf = Callable[[str], "str | None"]


def differences(refused: RecordChanged, stored: Any, shown: ShownBy | None = None,
                label: LabelOf | None = None, typed: Mapping[str, Any] | None = None
                ) -> list[Difference]:
    """Each field where the record as my save would have left it (my copy as read, with
    what the save wrote, and what is `typed` in the form now) and the record as stored now
    differ: label, mine, theirs. A form names and shows its own fields its way (`shown`,
    `label`)."""
    from qms_desktop.models import field_label

    copy = refused.copy
    mine_now = {**refused.mine, **(typed or {})}
    found = []
    for model_field in type(copy)._meta.sorted_fields:
        name = model_field.name
        if name in _NOT_COMPARED:
            continue
        mine = mine_now[name] if name in mine_now else copy.__data__.get(name)
        theirs = stored.__data__.get(name)
        texts = []
        for value in (mine, theirs):
            text = shown(name, value) if shown is not None else None
            texts.append(shown_value(model_field, value) if text is None else text)
        if texts[0] != texts[1]:
            named = label(name) if label is not None else None
            found.append((named or field_label(model_field), texts[0], texts[1]))
    return found


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
        self.setMinimumWidth(NARROW)
        long = any(len(text) > LONG_TEXT or "\n" in text
                   for texts in differences for text in texts[1:])
        self._wanted_width = WIDE if long else NARROW
        self.intro = intro = muted_label(
            "Your edits beside the record as someone else saved it. Reload to take theirs, "
            "or go back to your edits." if differences else
            "Your edits and the saved record now read the same. Reload to take it.")
        self.table = QTableWidget(len(differences), 3)
        self.table.setAccessibleName("Differences")
        self.table.setHorizontalHeaderLabels(["Field", "Mine", "Theirs"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        # A long text wraps onto as many lines as it needs instead of ending in "…".
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, texts in enumerate(differences):
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if len(text) > LONG_TEXT:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        # Rows as tall as their wrapped text at the columns' widths, whenever those change.
        header.sectionResized.connect(self._rows_fit)

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

    def _rows_fit(self, *_args: object) -> None:
        self.table.resizeRowsToContents()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Wider for long texts and as tall as the rows, within the window it opens over
        (or the screen): a 1024 x 640 window shows it whole."""
        room = self._room()
        width = max(min(self._wanted_width, room.width()), self.minimumWidth())
        layout = self.layout()
        assert layout is not None
        self.resize(width, self.height())
        layout.activate()
        self._rows_fit()
        margins = layout.contentsMargins()
        table = (sum(self.table.rowHeight(row) for row in range(self.table.rowCount()))
                 + self.table.horizontalHeader().height() + 2 * self.table.frameWidth() + 2)
        needed = (margins.top() + margins.bottom() + 2 * layout.spacing()
                  + self.intro.heightForWidth(width - margins.left() - margins.right())
                  + max(table, MINIMUM_TABLE_HEIGHT) + self.buttons.sizeHint().height())
        self.resize(width, min(needed, room.height()))

    def _room(self) -> QSize:
        parent = self.parentWidget()
        if parent is not None:
            return parent.window().size() - QSize(MARGIN, MARGIN)
        screen = self.screen()
        return screen.availableGeometry().size() - QSize(MARGIN, MARGIN)

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


@dataclass(frozen=True)
class FormField:
    """One field of a form as `ChangedChoice` reads and fills it, by the record's field
    name: its value as stored (a linked record by its id, "" or None when empty), and how
    to put such a value back."""

    value: Callable[[], Any]
    put: Callable[[Any], None]
    label: str = ""  # the form's caption, when it is not the field's own


class ChangedChoice(QObject):
    """The refusal, Reload and Compare for a form that is neither a form dialog nor a record
    form. The form places `bar` above its buttons, calls `offer(refused)` when its save
    meets someone else's change, and `clear()` when it shows another record.

    Compare lists the form's fields as typed now beside the record as stored. Reload brings
    the copy the refused save was made from up to date (so the next save goes over their
    version), shows it with `show_record`, and then puts back what was typed in each field
    their change left alone. Until then nothing typed is touched."""

    reloaded = Signal(object)  # the copy, now holding their version

    def __init__(self, parent: QWidget, fields: Mapping[str, FormField],
                 show_record: Callable[[Any], None]) -> None:
        super().__init__(parent)
        self._parent = parent
        self._fields = dict(fields)
        self._show_record = show_record
        self.refused: RecordChanged | None = None
        self.compare_dialog: ChangesDialog | None = None
        self.bar = ChangedBar()
        # What this Reload does: their changes in, the rest of what was typed kept.
        self.bar.reload_button.setToolTip(
            "Show the record as it is now, keeping what you typed where they changed nothing")
        self.bar.reload_button.setAccessibleName("Reload: take their changes")
        self.bar.reload_requested.connect(self.reload_theirs)
        self.bar.compare_requested.connect(self.compare)

    def offer(self, refused: RecordChanged) -> None:
        """Show who changed the record and when, with Reload (and Compare when the refusal
        carries the copy)."""
        self.refused = refused
        self.bar.show_refusal(refused, can_compare=refused.copy is not None)

    def clear(self) -> None:
        """Another record is shown, or the form was reverted: no refusal to choose about."""
        self.refused = None
        if self.compare_dialog is not None:
            self.compare_dialog.close()
            self.compare_dialog = None
        self.bar.hide()

    def typed(self) -> dict[str, Any]:
        return {name: field.value() for name, field in self._fields.items()}

    def differences(self) -> list[Difference]:
        """Each field where the form (as typed now) and the record as stored differ."""
        refused = self.refused
        stored = None if refused is None else stored_now(refused)
        if refused is None or stored is None:
            return []
        return differences(refused, stored, label=lambda name: self._label(name),
                           typed=self.typed())

    def _label(self, name: str) -> str | None:
        field = self._fields.get(name)
        return field.label or None if field is not None else None

    def compare(self) -> None:
        """The form beside the record as stored now; "Reload theirs" takes theirs."""
        self.compare_dialog = ChangesDialog.offer(self.differences(), self._parent,
                                                  self.reload_theirs)

    def reload_theirs(self) -> None:
        """Take their version into the copy and the form, keeping what was typed in the
        fields their change did not touch."""
        refused = self.refused
        if refused is None or refused.copy is None:
            return
        stored = stored_now(refused)
        if stored is None:
            self.bar.message.setText("Not saved. The record no longer exists.")
            self.bar.reload_button.hide()
            self.bar.compare_button.hide()
            return
        typed = self.typed()
        as_read = dict(refused.copy.__data__)
        touched = {name for name in self._fields
                   if as_read.get(name) != stored.__data__.get(name)}
        take_theirs(refused, stored)
        self.clear()
        self._show_record(refused.copy)
        for name, field in self._fields.items():
            if name not in touched and _differ(field.value(), typed[name]):
                field.put(typed[name])
        self.reloaded.emit(refused.copy)


def _differ(shown: Any, typed: Any) -> bool:
    # An empty field reads as "" or None, depending on the widget.
    return (shown or None) != (typed or None)
