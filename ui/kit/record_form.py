"""The form for one record of a register, built from `registers.edit_fields`.

Each field kind has one editor. The form never writes by itself: `save()` hands the values to
`registers.save`, and a `ValidationError` comes back as red text under each field at fault,
with what the user typed left in place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QFont, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from qms_desktop import clock, formatting, registers
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.models import Record
from qms_desktop.registers import EditField, Register
from ui.kit.fitting import ElidedComboBox
from ui.kit.length_note import LengthNote
from ui.kit.record_changed import ChangedBar, ChangesDialog, Difference
from ui.kit.server_lost import NotSaved, save_retrying
from ui.kit.text import long_date
from ui.kit.theme import error_color, muted_color, set_text_color, show_read_only
from ui.kit.widgets import shown_problem

NONE_LABEL = "— none —"
DATE_FORMAT = "yyyy-MM-dd"
# Longer lists of linked records get a type-to-find box instead of a plain drop-down.
LONG_LIST = 15


# --- Mnemonics -------------------------------------------------------------------------------


def with_mnemonic(text: str, used: set[str]) -> str:
    """`text` with an & before its first letter not yet taken by another control."""
    escaped = text.replace("&", "&&")
    for position, char in enumerate(escaped):
        if char.isalpha() and char.lower() not in used and (
            position == 0 or escaped[position - 1] != "&"
        ):
            used.add(char.lower())
            return escaped[:position] + "&" + escaped[position:]
    return escaped


# --- A date that may be empty ---------------------------------------------------------------


class OptionalDateEdit(QWidget):
    """A date typed as YYYY-MM-DD or picked from a calendar; empty means "no date".

    QDateEdit cannot be empty, and an unset "left on" or "done on" date is common.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit(self)
        self.line_edit.setPlaceholderText("YYYY-MM-DD")
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.setMaxLength(10)
        # A whole date stays readable however narrow the form ("2-20" was all that showed).
        self.line_edit.setMinimumWidth(
            self.line_edit.fontMetrics().horizontalAdvance("0000-00-00") + 44)
        self.line_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9-]{0,10}"), self.line_edit)
        )
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.menu = QMenu(self)
        picker = QWidgetAction(self.menu)
        picker.setDefaultWidget(self.calendar)
        self.menu.addAction(picker)
        self.button = QToolButton(self)
        self.button.setText("Calendar…")
        self.button.setToolTip("Choose the date from a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line_edit)

        self.line_edit.textChanged.connect(self.changed)
        self.button.clicked.connect(self.show_calendar)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.line_edit.setAccessibleName(name)
        self.button.setAccessibleName(f"{name}: choose from a calendar")
        self.calendar.setAccessibleName(f"{name}: calendar")

    def text(self) -> str:
        return self.line_edit.text().strip()

    def date(self) -> dt.date | None:
        """The date, or None when empty or unreadable (see `problem`)."""
        try:
            return dt.date.fromisoformat(self.text()) if self.text() else None
        except ValueError:
            return None

    def problem(self) -> str | None:
        if self.text() and self.date() is None:
            return "Use a date like 2025-03-31 (year-month-day), or leave it empty."
        return None

    def set_date(self, value: dt.date | str | None) -> None:
        if isinstance(value, dt.datetime):
            value = value.date()
        self.line_edit.setText(value.isoformat() if isinstance(value, dt.date) else value or "")

    def show_calendar(self) -> None:
        current = self.date() or clock.today()
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self.menu.popup(self.button.mapToGlobal(self.button.rect().bottomLeft()))
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _pick(self, date: QDate) -> None:
        self.line_edit.setText(date.toString(DATE_FORMAT))
        self.menu.hide()
        self.line_edit.setFocus(Qt.FocusReason.PopupFocusReason)


# --- One editor per field kind --------------------------------------------------------------


class _Editor:
    """Reads and writes one field's widget; `raw` is what "unsaved changes" compares."""

    widget: QWidget

    def __init__(self, spec: EditField) -> None:
        self.spec = spec

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def raw(self) -> Any:
        return self.value()

    def shown(self, value: Any) -> str:
        """A value of the field as the form would show it (to compare two versions)."""
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    def problem(self) -> str | None:
        """Input that cannot even be read as a value of the field's kind."""
        return None

    def on_change(self, callback: Callable[..., None]) -> None:
        raise NotImplementedError

    def refresh_choices(self) -> None:
        """Re-read choices that come from the database."""


class _TextEditor(_Editor):
    widget: QLineEdit

    def __init__(self, spec: EditField) -> None:
        super().__init__(spec)
        self.widget = QLineEdit()
        if spec.max_length:
            self.widget.setMaxLength(spec.max_length)
        if spec.hint:
            self.widget.setPlaceholderText(spec.hint)

    def value(self) -> str:
        return self.widget.text()

    def set_value(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))
        self.widget.setCursorPosition(0)

    def on_change(self, callback: Callable[..., None]) -> None:
        self.widget.textChanged.connect(callback)


class _MultilineEditor(_Editor):
    widget: QPlainTextEdit

    def __init__(self, spec: EditField) -> None:
        super().__init__(spec)
        self.widget = QPlainTextEdit()
        self.widget.setTabChangesFocus(True)  # Tab must still move on to the next field
        if spec.hint:
            self.widget.setPlaceholderText(spec.hint)
        lines = self.widget.fontMetrics().lineSpacing()
        self.widget.setFixedHeight(lines * 4 + 12)

    def value(self) -> str:
        return self.widget.toPlainText()

    def set_value(self, value: Any) -> None:
        self.widget.setPlainText("" if value is None else str(value))

    def on_change(self, callback: Callable[..., None]) -> None:
        self.widget.textChanged.connect(callback)


class _NumberEditor(_Editor):
    widget: QLineEdit

    def __init__(self, spec: EditField) -> None:
        super().__init__(spec)
        self.widget = QLineEdit()
        pattern = r"-?[0-9]*" if spec.kind == "int" else r"-?[0-9]*[.,]?[0-9]*"
        self.widget.setValidator(
            QRegularExpressionValidator(QRegularExpression(pattern), self.widget)
        )
        self.widget.setPlaceholderText(spec.hint or ("whole number" if spec.kind == "int" else ""))
        self.widget.setMaximumWidth(200)

    def _parse(self) -> int | float | None:
        text = self.widget.text().strip().replace(",", ".")
        if not text:
            return None
        try:
            return int(text) if self.spec.kind == "int" else float(text)
        except ValueError:
            return None

    def value(self) -> int | float | None:
        return self._parse()

    def raw(self) -> str:
        return self.widget.text()

    def problem(self) -> str | None:
        if self.widget.text().strip() and self._parse() is None:
            return "Enter a whole number." if self.spec.kind == "int" else "Enter a number."
        return None

    def set_value(self, value: Any) -> None:
        if value is None or value == "":
            self.widget.setText("")
        elif self.spec.kind == "float":
            self.widget.setText(f"{float(value):g}")
        else:
            self.widget.setText(str(value))

    def on_change(self, callback: Callable[..., None]) -> None:
        self.widget.textChanged.connect(callback)


class _BoolEditor(_Editor):
    widget: QCheckBox

    def __init__(self, spec: EditField) -> None:
        super().__init__(spec)
        self.widget = QCheckBox()

    def value(self) -> bool:
        return self.widget.isChecked()

    def shown(self, value: Any) -> str:
        return "Yes" if value else "No"

    def set_value(self, value: Any) -> None:
        self.widget.setChecked(bool(value))

    def on_change(self, callback: Callable[..., None]) -> None:
        self.widget.toggled.connect(callback)


class _DateEditor(_Editor):
    widget: OptionalDateEdit

    def __init__(self, spec: EditField) -> None:
        super().__init__(spec)
        self.widget = OptionalDateEdit()
        self.widget.setMaximumWidth(260)

    def value(self) -> dt.date | None:
        return self.widget.date()

    def raw(self) -> str:
        return self.widget.text()

    def problem(self) -> str | None:
        return self.widget.problem()

    def set_value(self, value: Any) -> None:
        self.widget.set_date(value)

    def on_change(self, callback: Callable[..., None]) -> None:
        self.widget.changed.connect(callback)


class _ComboEditor(_Editor):
    """Choices and links: a drop-down of labels whose item data is the stored value."""

    widget: QComboBox

    def __init__(self, spec: EditField) -> None:
        super().__init__(spec)
        self.widget = ElidedComboBox()
        self.widget.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.widget.setMinimumContentsLength(16)
        self._populate()

    def _choices(self) -> list[tuple[str, str]]:
        return list(self.spec.choices)

    def shown(self, value: Any) -> str:
        if value in (None, ""):
            return NONE_LABEL if self._offers_none() else ""
        index = self.widget.findData(str(value))
        return self.widget.itemText(index) if index >= 0 else str(value)

    def _offers_none(self) -> bool:
        if self.spec.kind == "link":
            return not self.spec.required
        # A choice column with a default is never empty, so "none" would be a lie.
        return not self.spec.required and self.spec.default in (None, "")

    def _populate(self) -> None:
        choices = self._choices()
        editable = self.spec.kind == "link" and len(choices) > LONG_LIST
        self.widget.clear()
        self.widget.setEditable(editable)
        if self._offers_none():
            self.widget.addItem(NONE_LABEL, "")
        for key, label in choices:
            self.widget.addItem(label, key)
        if editable:
            self.widget.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = QCompleter(self.widget.model(), self.widget)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            self.widget.setCompleter(completer)
            line_edit = self.widget.lineEdit()
            if line_edit is not None:
                line_edit.setPlaceholderText("Type to find…")

    def refresh_choices(self) -> None:
        current = self.value()
        blocked = self.widget.blockSignals(True)
        try:
            self._populate()
            self.set_value(current)
        finally:
            self.widget.blockSignals(blocked)

    def _matching_index(self) -> int:
        if not self.widget.isEditable():
            return self.widget.currentIndex()
        text = self.widget.currentText().strip()
        if self.widget.currentIndex() >= 0 and self.widget.itemText(
            self.widget.currentIndex()
        ) == text:
            return self.widget.currentIndex()
        return self.widget.findText(text, Qt.MatchFlag.MatchFixedString)

    def value(self) -> str | None:
        if self.widget.isEditable() and not self.widget.currentText().strip():
            return None
        index = self._matching_index()
        if index < 0:
            return None
        data = self.widget.itemData(index)
        return None if data in (None, "") else str(data)

    def raw(self) -> Any:
        return self.widget.currentText() if self.widget.isEditable() else self.value()

    def problem(self) -> str | None:
        if self.widget.isEditable() and self.widget.currentText().strip() and (
            self._matching_index() < 0
        ):
            return "Choose a name from the list (type part of it to find it)."
        return None

    def set_value(self, value: Any) -> None:
        if value is None or value == "":
            index = self.widget.findData("")
            self.widget.setCurrentIndex(index)
            if index < 0 and self.widget.isEditable():
                self.widget.setEditText("")
            return
        index = self.widget.findData(str(value))
        if index < 0:
            index = self._add_missing(str(value))
        self.widget.setCurrentIndex(index)

    def _add_missing(self, value: str) -> int:
        label = value
        if self.spec.kind == "link" and self.spec.link_model is not None:
            # An archived record is not offered for new links, but an old link still shows.
            linked = self.spec.link_model.get_or_none(self.spec.link_model.id == value)
            if linked is not None:
                label = linked.display_name()
                if linked.archived_at is not None:
                    label += " (archived)"
        self.widget.addItem(label, value)
        return self.widget.count() - 1

    def on_change(self, callback: Callable[..., None]) -> None:
        self.widget.currentIndexChanged.connect(callback)
        self.widget.editTextChanged.connect(callback)


class _LinkEditor(_ComboEditor):
    def _choices(self) -> list[tuple[str, str]]:
        assert self.spec.link_model is not None
        return registers.link_choices(self.spec.link_model)


EDITORS: dict[str, type[_Editor]] = {
    "text": _TextEditor,
    "multiline": _MultilineEditor,
    "date": _DateEditor,
    "bool": _BoolEditor,
    "int": _NumberEditor,
    "float": _NumberEditor,
    "choice": _ComboEditor,
    "link": _LinkEditor,
}


# --- The form -------------------------------------------------------------------------------


class RecordForm(QWidget):
    """Edit one record of `register`, or a new one; `save()` writes through `registers.save`."""

    dirty_changed = Signal(bool)
    saved = Signal(object)  # the Record just written

    def __init__(
        self,
        register: Register,
        parent: QWidget | None = None,
        reserved_mnemonics: Iterable[str] = (),
    ) -> None:
        super().__init__(parent)
        self._register = register
        self._record: Record | None = None
        self._specs = registers.edit_fields(register)
        self._editors: dict[str, _Editor] = {}
        self._errors: dict[str, QLabel] = {}
        self._labels: dict[str, QWidget] = {}
        self._baseline: dict[str, Any] = {}
        self._dirty = False
        self._loading = False
        self._read_only = False
        used = {letter.lower() for letter in reserved_mnemonics}

        self.title_label = QLabel()
        title_font = QFont(self.title_label.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setWordWrap(True)
        self.title_label.setAccessibleName("Record being edited")
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleName("Record status")
        set_text_color(self.note_label, muted_color(self.palette()))
        self.general_error = QLabel()
        self.general_error.setWordWrap(True)
        self.general_error.setAccessibleName("Problems with this record")
        set_text_color(self.general_error, error_color(self.palette()))
        self.general_error.hide()
        # A save refused because someone else changed the record first.
        self.changed_bar = ChangedBar()
        self.changed_bar.reload_requested.connect(self.reload_theirs)
        self.changed_bar.compare_requested.connect(self.compare)
        self.compare_dialog: ChangesDialog | None = None

        body = QWidget()
        body.setObjectName("recordFormBody")
        fields_layout = QVBoxLayout(body)
        fields_layout.setContentsMargins(0, 0, 8, 0)
        fields_layout.setSpacing(14)
        for spec in self._specs:
            fields_layout.addLayout(self._build_field(spec, used))
        if any(spec.required for spec in self._specs):
            required_note = QLabel("* required")
            required_note.setAccessibleName("Fields marked with a star are required")
            set_text_color(required_note, muted_color(self.palette()))
            fields_layout.addWidget(required_note)
        fields_layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName(f"{register.singular.capitalize()} details")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area = scroll

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.general_error)
        layout.addWidget(self.changed_bar)
        layout.addSpacing(6)
        layout.addWidget(scroll, 1)
        self.setAccessibleName(f"{register.singular.capitalize()} form")

        self.load_record(None)

    def _build_field(self, spec: EditField, used: set[str]) -> QVBoxLayout:
        if spec.kind == "money" and "money" not in EDITORS:
            # Registered by ui.kit.money_edit, which builds on this module; import it on demand.
            from ui.kit.money_edit import install_money_editor

            install_money_editor()
        editor = EDITORS[spec.kind](spec)
        self._editors[spec.name] = editor
        widget = editor.widget
        caption = spec.label + (" *" if spec.required else "")
        block = QVBoxLayout()
        block.setSpacing(4)
        if spec.kind == "bool":
            assert isinstance(widget, QCheckBox)
            widget.setText(with_mnemonic(caption, used))
            self._labels[spec.name] = widget
        else:
            label = QLabel(with_mnemonic(caption, used))
            label.setBuddy(widget)
            if spec.required:
                label.setToolTip("Required")
            self._labels[spec.name] = label
            block.addWidget(label)
        widget.setAccessibleName(spec.label + (" (required)" if spec.required else ""))
        if spec.hint and spec.kind in ("text", "multiline", "int", "float"):
            widget.setToolTip(spec.hint)
        block.addWidget(widget)
        if isinstance(widget, QLineEdit) and spec.max_length:
            block.addWidget(LengthNote(widget))
        if spec.hint and spec.kind not in ("text", "multiline", "int", "float"):
            hint = QLabel(spec.hint)
            hint.setWordWrap(True)
            set_text_color(hint, muted_color(self.palette()))
            block.addWidget(hint)
        error = QLabel()
        error.setWordWrap(True)
        error.setAccessibleName(f"{spec.label}: problem")
        set_text_color(error, error_color(self.palette()))
        error.hide()
        self._errors[spec.name] = error
        block.addWidget(error)
        editor.on_change(partial(self._edited, spec.name))
        return block

    # --- What the screen and tests use ----------------------------------------------------

    @property
    def register(self) -> Register:
        return self._register

    @property
    def record(self) -> Record | None:
        """The record being edited; None while a new one is being written."""
        return self._record

    def is_new(self) -> bool:
        return self._record is None

    def editor(self, name: str) -> QWidget:
        """The control that takes the input of field `name` (a label's buddy)."""
        return self._editors[name].widget

    def field_problem_label(self, name: str) -> QLabel:
        """The message shown under field `name` when its input is refused."""
        return self._errors[name]

    def combo(self, name: str) -> QComboBox:
        """The drop-down of choice or link field `name`."""
        editor = self.editor(name)
        assert isinstance(editor, QComboBox), name
        return editor

    def error_text(self, name: str) -> str:
        """The problem shown under field `name`, or "" when none is shown."""
        return shown_problem(self._errors[name])

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self._editors.items()}

    def load(self, values: dict[str, Any]) -> None:
        """Show `values` (missing ones at their defaults) as the saved state: not dirty."""
        self._loading = True
        try:
            for spec in self._specs:
                self._editors[spec.name].set_value(values.get(spec.name, spec.default))
        finally:
            self._loading = False
        self.clear_problems()
        self._baseline = self._raw_state()
        self._set_dirty(False)

    def load_record(self, record: Record | None) -> None:
        """Edit `record`, or start a new one with the defaults when it is None."""
        self._record = record
        if record is None and self._read_only:
            self.title_label.setText(f"No {self._register.singular} chosen")
            self.note_label.setText(f"Choose a {self._register.singular} in the list to "
                                    "read it here.")
            self.load({spec.name: spec.default for spec in self._specs})
        elif record is None:
            self.title_label.setText(f"New {self._register.singular}")
            self.note_label.setText(f"Fill in the details and press Save to add the "
                                    f"{self._register.singular}.")
            self.load({spec.name: spec.default for spec in self._specs})
        else:
            self.title_label.setText(record.display_name())
            if record.archived_at is not None:
                self.note_label.setText(
                    f"Archived on {long_date(record.archived_at)}. Restore it to use it again."
                )
            else:
                self.note_label.setText(
                    f"Last changed {formatting.timestamp(record.updated_at)} UTC")
            self.load(registers.form_values(self._register, record))

    def set_read_only(self, read_only: bool) -> None:
        """Show the record without letting it be changed (a role that may only read): the
        texts stay selectable, the choices and ticks cannot be changed."""
        self._read_only = read_only
        for editor in self._editors.values():
            widget = editor.widget
            if isinstance(widget, OptionalDateEdit):
                show_read_only(widget.line_edit, read_only)
                widget.button.setEnabled(not read_only)
            elif isinstance(widget, (QLineEdit, QPlainTextEdit)):
                show_read_only(widget, read_only)
            else:
                widget.setEnabled(not read_only)
        if self._record is None:
            self.load_record(None)

    def is_read_only(self) -> bool:
        return self._read_only

    def start_new(self) -> None:
        self.refresh_choices()
        self.load_record(None)

    def revert(self) -> None:
        """Back to the saved state of the record (or the defaults of a new one)."""
        if self._record is not None:
            self._record = self._register.model.get_or_none(
                self._register.model.id == self._record.id
            )
        self.load_record(self._record)

    def refresh_choices(self) -> None:
        """Re-read linked records (people added elsewhere), keeping what is chosen."""
        for editor in self._editors.values():
            editor.refresh_choices()
        self._update_dirty()

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def focus_first_field(self) -> None:
        if self._specs:
            self.editor(self._specs[0].name).setFocus(Qt.FocusReason.OtherFocusReason)
            widget = self.editor(self._specs[0].name)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def save(self) -> Record | None:
        """Write the form; on problems show them, keep the input, and return None."""
        problems = {
            name: problem
            for name, editor in self._editors.items()
            if (problem := editor.problem()) is not None
        }
        values = self.values()
        try:
            if problems:
                # Report the rest too, so the user fixes everything in one go.
                for name, message in registers.validate(self._register, dict(values)).items():
                    problems.setdefault(name, message)
                raise ValidationError(problems)
            # On a server that went away: said plainly, retried on a new connection.
            record = save_retrying(
                self, lambda: registers.save(self._register, self._record, values))
        except NotSaved:
            return None  # the server stayed out of reach: the form keeps what was typed
        except RecordChanged as refused:
            # Someone saved the record since it was opened: keep the edits, offer a choice.
            self.clear_problems()
            self.changed_bar.show_refusal(refused)
            return None
        except ValidationError as error:
            self.show_problems(error.problems)
            return None
        self.load_record(record)
        self.saved.emit(record)
        return record

    def reload_theirs(self) -> None:
        """Drop the edits and show the record as it is stored now."""
        if self.compare_dialog is not None:
            self.compare_dialog.close()
            self.compare_dialog = None
        self.revert()

    def differences(self) -> list[Difference]:
        """Each field where the form and the record as stored now differ: label, mine,
        theirs."""
        stored = None if self._record is None else self._register.model.get_or_none(
            self._register.model.id == self._record.id)
        theirs = {} if stored is None else registers.form_values(self._register, stored)
        found = []
        for spec in self._specs:
            editor = self._editors[spec.name]
            mine, saved = editor.shown(editor.value()), editor.shown(theirs.get(spec.name))
            if mine != saved:
                found.append((spec.label, mine, saved))
        return found

    def compare(self) -> None:
        """The edits beside the record as stored now; "Reload theirs" takes theirs."""
        self.compare_dialog = ChangesDialog.offer(self.differences(), self, self.reload_theirs)

    def show_problems(self, problems: dict[str, str]) -> None:
        self.clear_problems()
        general = []
        first: QWidget | None = None
        first_message: QLabel | None = None
        for spec in self._specs:
            message = problems.get(spec.name)
            if message is None:
                continue
            self._errors[spec.name].setText(message)
            self._errors[spec.name].show()
            self.editor(spec.name).setAccessibleDescription(message)
            if first is None:
                first = self.editor(spec.name)
                first_message = self._errors[spec.name]
        for name, message in problems.items():
            if name not in self._editors:
                general.append(message)
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_into_view(first, first_message)

    def scroll_into_view(self, field: QWidget, message: QLabel | None = None) -> None:
        """Scroll so that a field and the message under it are both in sight."""
        # The message was hidden until now: lay the form out first, or the scroll area
        # would measure the old, shorter form and leave the message below its edge.
        body = self.scroll_area.widget()
        layout = body.layout() if body is not None else None
        if layout is not None:
            layout.activate()
        if message is not None:
            self.scroll_area.ensureWidgetVisible(message, 0, 8)
        self.scroll_area.ensureWidgetVisible(field, 0, 8)

    def clear_problems(self) -> None:
        for name, label in self._errors.items():
            label.clear()
            label.hide()
            self.editor(name).setAccessibleDescription("")
        self.general_error.clear()
        self.general_error.hide()
        self.changed_bar.hide()

    # --- Internals --------------------------------------------------------------------------

    def _raw_state(self) -> dict[str, Any]:
        return {name: editor.raw() for name, editor in self._editors.items()}

    def _edited(self, name: str, *_signal_args: object) -> None:
        if self._loading:
            return
        # The message no longer describes what is in the field once the user changes it.
        if not self._errors[name].isHidden():
            self._errors[name].hide()
            self.editor(name).setAccessibleDescription("")
        self._update_dirty()

    def _update_dirty(self) -> None:
        self._set_dirty(self._raw_state() != self._baseline)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
