"""Enter one period's readings for every KPI of a frequency, like a column of a spreadsheet.

Type a number and press Enter (or Tab) to move down to the next KPI; Delete empties a cell.
An empty cell is a missing reading, never zero. "Save period" writes the whole column in one
transaction through `kpis.save_period`, and "Next period" moves on with the cursor back in the
first cell, so a year of readings is twelve columns typed top to bottom.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import kpis
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.fields import LARGEST_NUMBER
from qms_desktop.models import KPI_FREQUENCIES, Kpi, Reading
from ui.kit.permission import refused_line, write_refusal
from ui.kit.record_changed import ChangedBar, ChangesDialog, Difference
from ui.kit.theme import error_color, muted_color, set_text_color
from ui.kit.widgets import problems_text
from ui.screens.objectives.kpi_chart import status_tint

AnyIndex = QModelIndex | QPersistentModelIndex

COLUMNS = ("KPI", "Unit", "Target", "Last period", "This period", "Status")
VALUE_COLUMN = 4
STATUS_COLUMN = 5
# How far back the period list reaches, per frequency (ten years of months or quarters).
PERIODS_LISTED = {"weekly": 260, "monthly": 120, "quarterly": 40}
KPI_ROLE = Qt.ItemDataRole.UserRole + 1
NOT_A_NUMBER = "“{text}” is not a number. Type a number such as 95 or 95.5, or press Delete " \
               "to leave the reading empty."


def parse_reading(text: str) -> tuple[bool, float | None]:
    """(readable, value): "" reads as no reading; "95,5" as 95.5; letters do not read."""
    text = text.strip().replace(" ", "")
    if not text:
        return True, None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return False, None
    readable = math.isfinite(value) and abs(value) <= LARGEST_NUMBER  # the field rule's range
    return (True, value) if readable else (False, None)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


# --- The rows -------------------------------------------------------------------------------


@dataclass
class _Row:
    kpi: Kpi
    previous: float | None
    saved: float | None
    value: float | None
    # What is stored when it is no number (old data, another program): shown as invalid.
    invalid: str = ""


class ReadingsModel(QAbstractTableModel):
    """Active KPIs of one frequency with their readings of one period and the one before."""

    dirty_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._dirty = False
        self.read_only = False  # a role that may only read: no value can be typed
        self.frequency = "monthly"
        self.period = kpis.last_complete_period(self.frequency)

    def load(self, frequency: str, period: dt.date) -> None:
        self.beginResetModel()
        self.frequency = frequency
        self.period = period
        previous = kpis.previous_period(period, frequency)
        active = list(
            Kpi.live()
            .where(Kpi.frequency == frequency)
            .order_by(Kpi.name, Kpi.id)
        )
        stored: dict[tuple[str, dt.date], Any] = {
            (reading.kpi_id, reading.period_start): reading.value
            for reading in Reading.live(
                Reading.kpi, Reading.period_start, Reading.value
            )
            .where(
                Reading.period_start.in_((period, previous))
                & Reading.kpi.in_([k.id for k in active])
            )
        }
        values = {key: kpis.reading_value(value) for key, value in stored.items()}
        self._rows = [
            _Row(kpi, values.get((kpi.id, previous)), values.get((kpi.id, period)),
                 values.get((kpi.id, period)),
                 invalid=str(stored[kpi.id, period])
                 if (kpi.id, period) in stored and values[kpi.id, period] is None else "")
            for kpi in active
        ]
        self.endResetModel()
        self._update_dirty()

    def kpi(self, row: int) -> Kpi:
        return self._rows[row].kpi

    def value(self, row: int) -> float | None:
        return self._rows[row].value

    def changes(self) -> dict[str, float | None]:
        return {r.kpi.id: r.value for r in self._rows if r.value != r.saved}

    def read(self) -> dict[str, float | None]:
        """Each changed KPI's reading as it was read: a save over a change of it since is
        refused (kpis.save_period)."""
        return {r.kpi.id: r.saved for r in self._rows if r.value != r.saved}

    def differences(self) -> list[Difference]:
        """Each changed KPI's value as typed beside its reading as stored now."""
        stored = kpis.readings_since(self.period)
        found = []
        for row in self._rows:
            if row.value != row.saved:
                theirs = stored.get(row.kpi.id, {}).get(self.period)
                if theirs != row.value:
                    found.append((row.kpi.name, _number(row.value), _number(theirs)))
        return found

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def discard(self) -> None:
        for row in self._rows:
            row.value = row.saved
        if self._rows:
            self.dataChanged.emit(self.index(0, VALUE_COLUMN),
                                  self.index(len(self._rows) - 1, STATUS_COLUMN))
        self._update_dirty()

    def status(self, row: int) -> str:
        return kpis.status_of(self._rows[row].kpi, self._rows[row].value)

    def _update_dirty(self) -> None:
        dirty = any(r.value != r.saved for r in self._rows)
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    # --- QAbstractItemModel ------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section == VALUE_COLUMN:
                return kpis.period_label(self.period, self.frequency)
            if section == VALUE_COLUMN - 1:
                previous = kpis.previous_period(self.period, self.frequency)
                return kpis.period_label(previous, self.frequency)
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return str(section + 1)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(index.row(), column)
        if role == Qt.ItemDataRole.EditRole:
            return row.value if column == VALUE_COLUMN else self._text(index.row(), column)
        if role == KPI_ROLE:
            return row.kpi
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3, VALUE_COLUMN):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column in (VALUE_COLUMN, STATUS_COLUMN):
            return status_tint(_palette(), self.status(index.row()))
        if role == Qt.ItemDataRole.FontRole and column == VALUE_COLUMN and row.value != row.saved:
            font = QFont()
            font.setBold(True)  # typed but not saved yet
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == VALUE_COLUMN:
            if row.value != row.saved:
                return f"Not saved yet (saved: {_number(row.saved) or 'no reading'})"
            if row.invalid and row.value is None:
                return f"The stored reading {row.invalid[:40]!r} is not a number: type a value"
            return "Type a value; Enter moves down, Delete empties the cell"
        return None

    def _text(self, row_number: int, column: int) -> str:
        row = self._rows[row_number]
        kpi = row.kpi
        if column == 0:
            return str(kpi.name)
        if column == 1:
            return str(kpi.unit)
        if column == 2:
            return _number(kpi.target)
        if column == 3:
            return _number(row.previous) or "—"
        if column == VALUE_COLUMN:
            return "invalid" if row.invalid and row.value is None else _number(row.value)
        if row.invalid and row.value is None:
            return "Invalid reading"
        status = self.status(row_number)
        return "" if status == kpis.NO_DATA else kpis.STATUS_LABELS[status]

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only or (
            index.column() != VALUE_COLUMN
        ):
            return False
        if isinstance(value, str):
            readable, value = parse_reading(value)
            if not readable:
                return False
        row = self._rows[index.row()]
        row.value = None if value is None else float(value)
        self.dataChanged.emit(index, self.index(index.row(), STATUS_COLUMN))
        self._update_dirty()
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == VALUE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsSelectable
            if not self.read_only:
                flags |= Qt.ItemFlag.ItemIsEditable
        return flags


def _palette() -> QPalette:
    return QGuiApplication.palette()


# --- Typing in a cell ------------------------------------------------------------------------


class _ValueDelegate(QStyledItemDelegate):
    """A line edit that refuses what is not a number and moves down on Enter or Tab."""

    move = Signal(int)  # rows to move by once the value is in
    refused = Signal(str)  # text that is not a number
    accepted = Signal()
    save_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor: QLineEdit | None = None

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: AnyIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        kpi = index.data(KPI_ROLE)
        editor.setAccessibleName(f"Reading for {kpi.name}" if kpi is not None else "Reading")
        editor.setAutoFillBackground(True)
        editor.textChanged.connect(lambda text: self._paint(editor, kpi, text))
        self.editor = editor
        return editor

    def destroyEditor(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if editor is self.editor:
            self.editor = None
        super().destroyEditor(editor, index)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(_number(index.data(Qt.ItemDataRole.EditRole)))
        self._paint(editor, index.data(KPI_ROLE), editor.text())

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        assert isinstance(editor, QLineEdit)
        readable, value = parse_reading(editor.text())
        if readable:
            model.setData(index, value, Qt.ItemDataRole.EditRole)

    def _paint(self, editor: QLineEdit, kpi: Kpi | None, text: str) -> None:
        palette = editor.palette()
        app_palette = _palette()
        readable, value = parse_reading(text)
        back: QColor | None
        if not readable:
            back = error_color(app_palette)
            back.setAlpha(70)
            self.refused.emit(text)
        else:
            back = status_tint(app_palette, kpis.status_of(kpi, value)) if kpi else None
            back = back or app_palette.color(QPalette.ColorRole.Base)
            self.accepted.emit()
        palette.setColor(QPalette.ColorRole.Base, back)
        editor.setPalette(palette)

    def commit(self) -> bool:
        """Put the open editor's value into the model and close it; False if not a number."""
        editor = self.editor
        if editor is None:
            return True
        if not parse_reading(editor.text())[0]:
            self.refused.emit(editor.text())
            return False
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            key = event.key()
            moves: dict[int, int] = {Qt.Key.Key_Return: 1, Qt.Key.Key_Enter: 1, Qt.Key.Key_Tab: 1,
                                     Qt.Key.Key_Down: 1, Qt.Key.Key_Backtab: -1, Qt.Key.Key_Up: -1}
            if key == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                key = Qt.Key.Key_Backtab
            if key in moves:
                if self.commit():
                    self.move.emit(moves[key])
                return True
            if event.matches(QKeySequence.StandardKey.Save):
                if self.commit():
                    self.save_requested.emit()
                return True
        return super().eventFilter(watched, event)


class _GridView(QTableView):
    """Only the "This period" column takes the cursor; Tab and Enter go down, not across."""

    cleared = Signal(int)
    save_requested = Signal()

    def move_by(self, rows: int) -> bool:
        target = self.currentIndex().row() + rows
        if not 0 <= target < self.model().rowCount():
            return False
        self.setCurrentIndex(self.model().index(target, VALUE_COLUMN))
        return True

    def currentChanged(self, current: QModelIndex | QPersistentModelIndex,
                       previous: QModelIndex | QPersistentModelIndex) -> None:
        super().currentChanged(current, previous)
        if current.isValid() and current.column() != VALUE_COLUMN:
            self.setCurrentIndex(self.model().index(current.row(), VALUE_COLUMN))

    def focusNextPrevChild(self, next: bool) -> bool:
        if self.state() != QAbstractItemView.State.EditingState and self.hasFocus() and (
            self.move_by(1 if next else -1)
        ):
            return True
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        current = self.currentIndex()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and current.isValid():
            self.model().setData(current, None, Qt.ItemDataRole.EditRole)
            self.cleared.emit(current.row())
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current.isValid():
            self.move_by(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            return
        if event.matches(QKeySequence.StandardKey.Save):
            self.save_requested.emit()
            return
        super().keyPressEvent(event)


# --- The grid -------------------------------------------------------------------------------


class ReadingsGrid(QWidget):
    """Choose a frequency and a period, type the values, save the period."""

    status_message = Signal(str)
    saved = Signal(object)  # the period just saved
    dirty_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Enter readings")
        self.model = ReadingsModel(self)
        self._refusing = False  # the message line shows a refused entry
        self._build()
        self._connect()
        self._fill_periods(self.model.frequency)
        self._load(self.model.frequency, self.model.period)

    # --- Building -------------------------------------------------------------------------

    def _build(self) -> None:
        self.frequency_label = QLabel("Fre&quency")
        self.frequency_combo = QComboBox()
        for key, label in KPI_FREQUENCIES:
            self.frequency_combo.addItem(label, key)
        self.frequency_combo.setCurrentIndex(self.frequency_combo.findData("monthly"))
        self.frequency_combo.setAccessibleName("Frequency of the KPIs")
        self.frequency_label.setBuddy(self.frequency_combo)

        self.period_label = QLabel("&Period")
        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Period")
        self.period_combo.setMinimumContentsLength(9)
        self.period_label.setBuddy(self.period_combo)
        self.previous_button = QPushButton("‹ P&revious")
        self.previous_button.setAccessibleName("Previous period")
        self.previous_button.setToolTip("The period before (Ctrl+Page Up)")
        self.previous_button.setShortcut(QKeySequence("Ctrl+PgUp"))
        self.next_button = QPushButton("Ne&xt ›")
        self.next_button.setAccessibleName("Next period")
        self.next_button.setToolTip("The period after (Ctrl+Page Down)")
        self.next_button.setShortcut(QKeySequence("Ctrl+PgDown"))
        self.save_button = QPushButton("Sa&ve period")
        self.save_button.setAccessibleName("Save period")
        self.save_button.setToolTip("Save every reading of this period (Ctrl+S)")

        controls = QHBoxLayout()
        controls.setSpacing(8)
        controls.addWidget(self.frequency_label)
        controls.addWidget(self.frequency_combo)
        controls.addSpacing(16)
        controls.addWidget(self.period_label)
        controls.addWidget(self.previous_button)
        controls.addWidget(self.period_combo)
        controls.addWidget(self.next_button)
        controls.addStretch(1)
        controls.addWidget(self.save_button)

        self.hint_label = QLabel(
            "Type a value and press Enter to go down to the next KPI. Delete empties a cell: "
            "an empty cell is a missing reading, never zero."
        )
        self.hint_label.setWordWrap(True)
        self.hint_label.setAccessibleName("How to enter readings")
        set_text_color(self.hint_label, muted_color(self.palette()))

        self.table = _GridView()
        self.table.setModel(self.model)
        self.delegate = _ValueDelegate(self.table)
        self.table.setItemDelegateForColumn(VALUE_COLUMN, self.delegate)
        self.table.setAccessibleName("Readings of the period")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The numbers and words of the other columns need little room: the KPI names get
        # the rest (at 1024 x 640 they were cut to "Average days to close …").
        metrics = self.table.fontMetrics()
        for column, widest in ((1, "% of hours"), (2, "Target"), (3, "2026-W52 0000"),
                               (VALUE_COLUMN, "2026-W52 00000"), (STATUS_COLUMN, "On target")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, metrics.horizontalAdvance(widest) + 24)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 14
        )

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty_label.setAutoFillBackground(True)
        self.empty_label.setAccessibleName("No KPIs to enter")
        set_text_color(self.empty_label, muted_color(self.palette()))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Grid message")
        self.message_label.setMinimumHeight(self.message_label.fontMetrics().height() * 2)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.changed_bar = ChangedBar()
        self.compare_dialog: ChangesDialog | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(controls)
        layout.addWidget(self.hint_label)
        # A role that may only read: the readings only show, and the line says why.
        refusal = write_refusal("reading")
        self.model.read_only = bool(refusal)
        self.hint_label.setVisible(not refusal)
        layout.addWidget(refused_line(refusal, self.save_button))
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.changed_bar)
        layout.addWidget(self.message_label)

    def _connect(self) -> None:
        self.frequency_combo.currentIndexChanged.connect(self._frequency_chosen)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.previous_button.clicked.connect(self.previous_period)
        self.next_button.clicked.connect(self.next_period)
        self.save_button.clicked.connect(self.save)
        self.delegate.move.connect(self.table.move_by)
        self.delegate.refused.connect(self._refused)
        self.delegate.accepted.connect(self._clear_refusal)
        self.delegate.save_requested.connect(self.save)
        self.table.save_requested.connect(self.save)
        self.table.cleared.connect(self._cleared)
        self.model.dirty_changed.connect(self._dirty_changed)
        self.changed_bar.reload_requested.connect(self.reload_theirs)
        self.changed_bar.compare_requested.connect(self.compare)

    # --- What the screen calls --------------------------------------------------------------

    @property
    def frequency(self) -> str:
        return self.model.frequency

    @property
    def period(self) -> dt.date:
        return self.model.period

    def has_unsaved_changes(self) -> bool:
        if self.model.has_unsaved_changes():
            return True
        editor = self.delegate.editor
        if editor is None:
            return False
        readable, value = parse_reading(editor.text())
        return not readable or value != self.model.value(self.table.currentIndex().row())

    def save(self) -> bool:
        """Write every changed reading of the period in one go; True when something was saved."""
        if not self.delegate.commit():
            self.status_message.emit("Not saved: a cell holds something that is not a number.")
            return False
        changes = self.model.changes()
        if not changes:
            self._say("Nothing to save: no reading has changed.")
            return False
        period = self.model.period
        try:
            kpis.save_period(period, changes, read=self.model.read())
        except RecordChanged as refused:
            self._say("")
            self.changed_bar.show_refusal(refused)
            self.status_message.emit(self.changed_bar.text())
            return False
        except ValidationError as error:
            self._say(problems_text(error), error=True)
            return False
        self.changed_bar.hide()
        written = sum(1 for v in changes.values() if v is not None)
        cleared = len(changes) - written
        label = kpis.period_label(period, self.model.frequency)
        parts = []
        if written:
            parts.append(f"Saved {written} reading{'s' if written != 1 else ''}")
        if cleared:
            parts.append(f"{'cleared' if written else 'Cleared'} {cleared} "
                         f"reading{'s' if cleared != 1 else ''}")
        message = f"{', '.join(parts)} for {label}."
        row = max(self.table.currentIndex().row(), 0)
        self.model.load(self.model.frequency, period)
        self._focus_row(row, focus=False)
        self._say(message)
        self.status_message.emit(message)
        self.saved.emit(period)
        return True

    def revert(self) -> None:
        self.model.discard()
        self.changed_bar.hide()
        self._say("")

    def compare(self) -> None:
        """The readings as typed beside theirs; "Reload theirs" takes theirs."""
        self.compare_dialog = ChangesDialog.offer(self.model.differences(), self,
                                                  self.reload_theirs)

    def reload_theirs(self) -> None:
        """Drop the typing and show the period as stored now; the next save goes over it."""
        self._load(self.model.frequency, self.model.period)

    def reload(self) -> None:
        """Read the KPIs and readings again, unless there is typing not yet saved."""
        if self.has_unsaved_changes():
            return
        self._load(self.model.frequency, self.model.period)

    def set_frequency(self, frequency: str) -> bool:
        index = self.frequency_combo.findData(frequency)
        if index < 0:
            return False
        self.frequency_combo.setCurrentIndex(index)
        return self.model.frequency == frequency

    def set_period(self, period: dt.date) -> bool:
        """Show `period` (any day in it); refused for a period that has not ended yet."""
        frequency = self.model.frequency
        period = kpis.period_of(period, frequency)
        latest = kpis.last_complete_period(frequency)
        if period > latest:
            self._say(f"{kpis.period_label(period, frequency)} has not ended yet: readings are "
                      f"entered once a period is over.", error=True)
            return False
        if period == self.model.period:
            return True
        if not self._confirm_leave():
            return False
        self._load(frequency, period)
        return True

    def previous_period(self) -> bool:
        return self._step(kpis.previous_period(self.model.period, self.model.frequency))

    def next_period(self) -> bool:
        return self._step(kpis.next_period(self.model.period, self.model.frequency))

    def focus_first_cell(self) -> None:
        self._focus_row(0)

    # --- Internals ----------------------------------------------------------------------------

    def _step(self, period: dt.date) -> bool:
        moved = self.set_period(period)
        if moved:
            self.focus_first_cell()
        return moved

    def _load(self, frequency: str, period: dt.date) -> None:
        if period < self._oldest_listed():
            self._fill_periods(frequency, down_to=period)
        self.model.load(frequency, period)
        self.changed_bar.hide()
        self.table.horizontalHeader().viewport().update()
        blocked = self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(self.period_combo.findData(period.isoformat()))
        self.period_combo.blockSignals(blocked)
        latest = kpis.last_complete_period(frequency)
        self.next_button.setEnabled(period < latest)
        self.next_button.setToolTip(
            "The period after (Ctrl+Page Down)" if period < latest
            else "This is the latest period that has ended"
        )
        self._update_empty_state()
        self._dirty_changed(self.model.has_unsaved_changes())
        self._say("")

    def _fill_periods(self, frequency: str, down_to: dt.date | None = None) -> None:
        period = kpis.last_complete_period(frequency)
        count = PERIODS_LISTED.get(frequency, 120)
        blocked = self.period_combo.blockSignals(True)
        self.period_combo.clear()
        while count > 0 or (down_to is not None and period >= down_to):
            self.period_combo.addItem(kpis.period_label(period, frequency), period.isoformat())
            period = kpis.previous_period(period, frequency)
            count -= 1
        self.period_combo.blockSignals(blocked)

    def _oldest_listed(self) -> dt.date:
        last = self.period_combo.count() - 1
        return dt.date.fromisoformat(self.period_combo.itemData(last)) if last >= 0 else (
            dt.date.max
        )

    def _frequency_chosen(self, _index: int) -> None:
        frequency = str(self.frequency_combo.currentData())
        if frequency == self.model.frequency:
            return
        if not self._confirm_leave():
            blocked = self.frequency_combo.blockSignals(True)
            self.frequency_combo.setCurrentIndex(
                self.frequency_combo.findData(self.model.frequency)
            )
            self.frequency_combo.blockSignals(blocked)
            return
        self._fill_periods(frequency)
        self._load(frequency, kpis.last_complete_period(frequency))

    def _period_chosen(self, index: int) -> None:
        data = self.period_combo.itemData(index)
        if not data or dt.date.fromisoformat(data) == self.model.period:
            return
        period = dt.date.fromisoformat(data)
        if not self.set_period(period):
            blocked = self.period_combo.blockSignals(True)
            self.period_combo.setCurrentIndex(
                self.period_combo.findData(self.model.period.isoformat())
            )
            self.period_combo.blockSignals(blocked)

    def _confirm_leave(self) -> bool:
        if not self.has_unsaved_changes():
            self.delegate.commit()
            return True
        label = kpis.period_label(self.model.period, self.model.frequency)
        answer = QMessageBox.question(
            self,
            "Unsaved readings",
            f"Save the readings typed for {label} first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            editor = self.delegate.editor
            if editor is not None:
                self.delegate.closeEditor.emit(editor,
                                               QAbstractItemDelegate.EndEditHint.RevertModelCache)
            self.model.discard()
            return True
        return False

    def _focus_row(self, row: int, focus: bool = True) -> None:
        if self.model.rowCount() == 0:
            if focus:
                self.period_combo.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        row = min(row, self.model.rowCount() - 1)
        self.table.setCurrentIndex(self.model.index(row, VALUE_COLUMN))
        if focus:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_empty_state(self) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
            return
        label = dict(KPI_FREQUENCIES).get(self.model.frequency, self.model.frequency).lower()
        self.empty_label.setText(
            f"No active {label} KPIs.\nAdd a KPI with this frequency in the KPIs tab, then "
            f"come back here to type its readings period by period."
        )
        self.stack.setCurrentWidget(self.empty_label)

    def _dirty_changed(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.dirty_changed.emit(dirty)

    def _refused(self, text: str) -> None:
        self._say(NOT_A_NUMBER.format(text=text.strip()), error=True)

    def _clear_refusal(self) -> None:
        if self._refusing:
            self._say("")

    def _cleared(self, row: int) -> None:
        kpi = self.model.kpi(row)
        self._say(f"{kpi.name}: reading emptied; it will be missing for "
                  f"{kpis.period_label(self.model.period, self.model.frequency)} once saved.")

    def _say(self, text: str, error: bool = False) -> None:
        self._refusing = error
        self.message_label.setText(text)
        colour = error_color(self.palette()) if error else muted_color(self.palette())
        set_text_color(self.message_label, colour)
        self.message_label.setAccessibleDescription(text)
