"""The one small form dialog: fields, a submit button, and each problem under its field.

`on_submit(values)` does the work. A `ValidationError` keeps the dialog open with each message
under the field it names (others above the buttons) and what was typed left in place;
anything else it returns closes the dialog and stays in `result_value`. A dialog with its own
checks overrides `submit` instead.

A save refused because someone else changed the record since the dialog opened
(`RecordChanged`) shows who and when, with Reload and Compare, whatever the dialog saves: the
refusal carries the copy of the record the save was made from, so Compare lists each field
where the record as this save would have left it and as stored now differ, and Reload takes
theirs into the fields the save wrote and into that copy (so saving again goes over their
version); what was typed stays until the user chooses. A dialog with its own `submit` hands
the refusal to `show_refused`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qms_desktop.errors import RecordChanged, ValidationError
from ui.kit.length_note import LengthNote
from ui.kit.reason import DisabledReason, beside
from ui.kit.record_changed import (
    ChangedBar,
    ChangesDialog,
    Difference,
    differences,
    stored_now,
    take_theirs,
)
from ui.kit.record_form import NONE_LABEL, OptionalDateEdit
from ui.kit.server_lost import NotSaved, save_retrying
from ui.kit.widgets import (
    muted_label,
    ok_cancel_buttons,
    problem_label,
    show_problem,
    shown_problem,
)

MINIMUM_WIDTH = 480

Submit = Callable[[dict[str, Any]], Any]


class FormDialog(QDialog):
    def __init__(self, title: str, intro: str = "", ok_text: str = "OK",
                 parent: QWidget | None = None, on_submit: Submit | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(MINIMUM_WIDTH)
        self._on_submit = on_submit
        # The last save refused because someone else changed the record first.
        self.refused: RecordChanged | None = None
        self.compare_dialog: ChangesDialog | None = None
        self.fields: dict[str, QWidget] = {}
        self._captions: dict[str, str] = {}
        self.errors: dict[str, QLabel] = {}
        self.result_value: Any = None

        self.intro_label = muted_label(intro)
        self.intro_label.setVisible(bool(intro))
        self.form = QFormLayout()
        self.form.setVerticalSpacing(8)
        self.form.setHorizontalSpacing(14)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.general_error = problem_label(f"{title}: problem")
        self.changed_bar = ChangedBar()
        self.changed_bar.reload_requested.connect(self.reload_theirs)
        self.changed_bar.compare_requested.connect(self.compare)
        self.buttons, self.ok_button = ok_cancel_buttons(
            self, ok_text, ok_text.replace("&", ""), on_ok=self.submit
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(self.intro_label)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.changed_bar)
        layout.addStretch(1)
        # Why OK cannot be pressed yet, when a dialog disables it (`ok_reason.explain`).
        self.ok_reason = DisabledReason(self.ok_button)
        layout.addLayout(beside(self.ok_reason, self.buttons))

    def set_intro(self, text: str) -> None:
        self.intro_label.setText(text)
        self.intro_label.setVisible(bool(text))

    def set_submit(self, on_submit: Submit) -> None:
        self._on_submit = on_submit

    # --- Fields ----------------------------------------------------------------------------

    def add_field(self, name: str, label: str, widget: QWidget, hint: str = "",
                  problem: QLabel | None = None, buddy: QWidget | None = None) -> QWidget:
        """`widget` under `label`, with `hint` below it and the field's problem line below
        that (`problem`, or one made here). An empty `name` keeps no value (a read-out)."""
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", "").rstrip(" *"))
        if problem is None:
            problem = problem_label(f"{label.replace('&', '').rstrip(' *')}: problem")
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(widget)
        if isinstance(widget, QLineEdit):
            column.addWidget(LengthNote(widget))  # says so if typing or pasting went past the limit
        if hint:
            column.addWidget(muted_label(hint))
        column.addWidget(problem)
        caption = QLabel(label)
        caption.setBuddy(buddy or widget.focusProxy() or widget)
        self.form.addRow(caption, holder)
        if name:
            self.fields[name] = widget
            self.errors[name] = problem
            self._captions[name] = label.replace("&", "").rstrip(" *")
        return widget

    def add_line(self, name: str, label: str, value: str = "",
                 placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(value)
        edit.setPlaceholderText(placeholder)
        self.add_field(name, label, edit)
        return edit

    def add_text(self, name: str, label: str, value: str = "",
                 placeholder: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit(value)
        edit.setTabChangesFocus(True)
        edit.setPlaceholderText(placeholder)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 14)
        self.add_field(name, label, edit)
        return edit

    def add_date(self, name: str, label: str, value: dt.date | None = None) -> OptionalDateEdit:
        edit = OptionalDateEdit()
        edit.set_date(value)
        self.add_field(name, label, edit)
        edit.setAccessibleName(label.replace("&", ""))
        return edit

    def add_choice(self, name: str, label: str, choices: list[tuple[str, str]],
                   value: str | None = None, none_label: str | None = NONE_LABEL) -> QComboBox:
        combo = QComboBox()
        if none_label is not None:
            combo.addItem(none_label, "")
        for key, text in choices:
            combo.addItem(text, key)
        combo.setCurrentIndex(max(combo.findData(value or ""), 0))
        self.add_field(name, label, combo)
        return combo

    def add_score(self, name: str, label: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(0, 5)
        spin.setSpecialValueText("Not scored")
        spin.setToolTip("1 poor, 3 acceptable, 5 excellent")
        self.add_field(name, label, spin)
        return spin

    # --- Values and problems -----------------------------------------------------------------

    def value(self, name: str) -> Any:
        widget = self.fields[name]
        if isinstance(widget, OptionalDateEdit):
            return widget.date()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QLineEdit):
            return widget.text()
        if isinstance(widget, QComboBox):
            return widget.currentData() or ""
        if isinstance(widget, QSpinBox):
            return widget.value()
        return getattr(widget, "isChecked", lambda: None)()

    def values(self) -> dict[str, Any]:
        return {name: self.value(name) for name in self.fields}

    def text(self, name: str) -> str:
        """A field's value as text: the id for a choice, the typed text for a date."""
        widget = self.fields[name]
        if isinstance(widget, OptionalDateEdit):
            return widget.text()
        return str(self.value(name) or "")

    def date(self, name: str) -> dt.date | None:
        widget = self.fields[name]
        assert isinstance(widget, OptionalDateEdit)
        return widget.date()

    def error_text(self, name: str) -> str:
        return shown_problem(self.errors.get(name, self.general_error))

    def problem(self) -> str:
        """Every problem shown, in one line."""
        shown = [label.text() for label in (*self.errors.values(), self.general_error)
                 if not label.isHidden() and label.text()]
        return " ".join(shown)

    def show_problems(self, problems: dict[str, str]) -> None:
        for label in (*self.errors.values(), self.general_error):
            show_problem(label, "")
        general = []
        first: QWidget | None = None
        for name, message in problems.items():
            if name in self.errors:
                show_problem(self.errors[name], message)
                self.fields[name].setAccessibleDescription(message)
                first = first or self.fields[name]
            else:
                general.append(message)
        show_problem(self.general_error, "\n".join(general))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.fit_height()

    def submit(self) -> None:
        problems = {
            name: problem
            for name, widget in self.fields.items()
            if isinstance(widget, OptionalDateEdit) and (problem := widget.problem())
        }
        if problems:
            self.show_problems(problems)
            return
        if self._on_submit is not None:
            on_submit, values = self._on_submit, self.values()
            try:
                # On a server that went away: said plainly, retried on a new connection.
                self.result_value = save_retrying(self, lambda: on_submit(values))
            except NotSaved:
                return  # the server stayed out of reach: the dialog keeps what was typed
            except RecordChanged as refused:
                self.show_refused(refused)
                return
            except ValidationError as error:
                self.show_problems({name: str(message)
                                    for name, message in error.problems.items()})
                return
        self.accept()

    # --- Someone else saved first ---------------------------------------------------------

    def show_refused(self, refused: RecordChanged) -> None:
        """Who changed the record and when, with Reload and Compare; the fields keep what
        was typed."""
        self.show_problems({})
        self.refused = refused
        self.changed_bar.show_refusal(refused, can_compare=refused.copy is not None)
        self.fit_height()

    def reload_theirs(self) -> None:
        """Drop the edits: the fields the refused save wrote show the record as stored now,
        and the copy it was made from takes their version (with no copy to read again, the
        dialog closes and the screen behind shows theirs). Other fields keep their text."""
        if self.compare_dialog is not None:
            self.compare_dialog.close()
            self.compare_dialog = None
        self.changed_bar.hide()
        refused, self.refused = self.refused, None
        stored = stored_now(refused) if refused is not None else None
        if refused is None or stored is None:
            self.reject()
            return
        take_theirs(refused, stored)
        for name in refused.mine:
            if name in self.fields:
                self.set_value(name, stored.__data__.get(name))
        self.fit_height()

    def differences(self) -> list[Difference]:
        """Each field where the record as the refused save would have left it and as stored
        now differ; the fields this dialog's save wrote under its captions, shown as they
        show (another field of the record may share a name with one of the dialog's: the
        title of the nonconformity a new action's title is typed for)."""
        refused = self.refused
        stored = stored_now(refused) if refused is not None else None
        if refused is None or stored is None:
            return []
        written = {name for name in refused.mine if name in self.fields}
        return differences(
            refused, stored,
            shown=lambda name, value: self._shown(name, value) if name in written else None,
            label=lambda name: self._captions.get(name) if name in written else None)

    def compare(self) -> None:
        self.compare_dialog = ChangesDialog.offer(self.differences(), self, self.reload_theirs)

    def set_value(self, name: str, value: Any) -> None:
        widget = self.fields[name]
        if isinstance(widget, OptionalDateEdit):
            widget.set_date(value)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText("" if value is None else str(value))
        elif isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(widget.findData(value or ""), 0))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value or 0))
        elif hasattr(widget, "setChecked"):
            widget.setChecked(bool(value))

    def _shown(self, name: str, value: Any) -> str:
        widget = self.fields[name]
        if isinstance(widget, QComboBox):
            index = widget.findData(value or "")
            return widget.itemText(index) if index >= 0 else str(value or "")
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, dt.date):
            return value.isoformat()
        return "" if value is None else str(value)

    # --- Size ------------------------------------------------------------------------------

    def fit_height(self) -> None:
        """Tall enough for wrapped lines (a warning, a problem) at the current width."""
        layout = self.layout()
        if layout is None:
            return
        width = max(self.width(), self.minimumWidth())
        needed = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > self.height() or width != self.width():
            self.resize(width, max(needed, self.height()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_height()
