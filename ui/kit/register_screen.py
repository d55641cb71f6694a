"""One screen for any register: search, filter, a paged table, and the record's form beside it.

Everything specific to a register (columns, search fields, filters, form fields, checks) is in
its `Register` declaration; this screen only arranges it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import registers
from qms_desktop.errors import RecordChanged
from qms_desktop.models import Record
from qms_desktop.registers import Query, Register
from ui.kit.header import title_and_clause
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.permission import write_refusal
from ui.kit.reason import DisabledReason
from ui.kit.record_form import RecordForm
from ui.kit.register_model import RegisterTableModel
from ui.kit.theme import muted_color, set_text_color
from ui.kit.widgets import screen_layout, setup_readonly_table

SEARCH_DELAY_MS = 150
UNDO_SECONDS = 10
# Mnemonics the screen's own controls use; the form's labels take other letters.
SCREEN_MNEMONICS = "nahrsvfu"
MAX_COLUMN_WIDTH = 280
# After a save, look this many pages ahead for the saved row before giving up on showing it.
PAGES_TO_FIND_A_ROW = 5


def shown_tables(register: Register) -> frozenset[str]:
    """The tables a register's list and form read: its own, those its links point to (names
    in its columns and choices in its form) and those pointing at it (counts, sub-lists)."""
    meta = register.model._meta
    tables = {meta.table_name}
    tables.update(field.rel_model._meta.table_name for field in meta.refs)
    tables.update(field.model._meta.table_name for field in meta.backrefs)
    return frozenset(tables)


def _find(register: Register, record_id: str) -> Record | None:
    model = register.model
    return model.get_or_none(model.id == record_id)


class RegisterScreen(QWidget):
    """The list and the form of one register."""

    status_message = Signal(str)
    # The record the form shows (None for a new one), each time it or its saved state changes.
    record_shown = Signal(object)

    def __init__(self, register: Register, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self._register = register
        # "People" reads "people" mid-sentence; an acronym such as "KPIs" stays as it is.
        title = register.title
        self._plural = title if title[:2].isupper() else title.lower()
        self._syncing = False  # True while the screen itself moves the table's selection
        self._columns_sized = False
        self._undo_record: Record | None = None
        self._shown_key: object = ()  # what `record_shown` last announced
        self._condition: Callable[[], Any] | None = None
        self._condition_text = ""
        # Why the signed-in role may not change this register ("" when it may): the buttons
        # that would write are disabled with it in sight, and the form only shows.
        self.write_refusal = write_refusal(register.model._meta.table_name)
        self.setAccessibleName(f"{register.title} register")

        self._build_banner()
        self._build_header()
        self._build_toolbar()
        self._build_body()

        screen_layout(self, self.banner, self._header_layout, self._toolbar_layout,
                      self.splitter)

        self._connect()
        if self.write_refusal:
            self.form.set_read_only(True)
        self.model.set_query(self._query_from_controls())
        self._update_buttons()
        follow_changes(self, changes, shown_tables(register), self.reload)

    # --- Building -------------------------------------------------------------------------

    def _build_banner(self) -> None:
        self.banner = QFrame()
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setAutoFillBackground(True)
        palette = self.banner.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.AlternateBase))
        self.banner.setPalette(palette)
        self.banner.setAccessibleName("Undo archive")
        self.banner_label = QLabel()
        self.banner_label.setAccessibleName("Archived record")
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setAccessibleName("Undo archive")
        self.undo_button.setToolTip("Bring the record back")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(12, 6, 8, 6)
        row.addWidget(self.banner_label, 1)
        row.addWidget(self.undo_button)
        self.banner.hide()
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.setInterval(UNDO_SECONDS * 1000)

    def _build_header(self) -> None:
        register = self._register
        title_row, self.title_label, self.clause_label = title_and_clause(
            register.title, f"Clause {register.clause}" if register.clause else "",
            name="Register")
        set_text_color(self.clause_label, muted_color(self.palette()))
        self.description_label = QLabel(register.description)
        self.description_label.setWordWrap(True)
        self.description_label.setAccessibleName("About this register")
        set_text_color(self.description_label, muted_color(self.palette()))
        self.description_label.setVisible(bool(register.description))

        self._header_layout = QVBoxLayout()
        self._header_layout.setSpacing(2)
        self._header_layout.addLayout(title_row)
        self._header_layout.addWidget(self.description_label)

    def _build_toolbar(self) -> None:
        register = self._register
        self.search_edit = QLineEdit()
        # A long register name would crowd the toolbar: its accessible name still says it.
        short = len(self._plural) <= 16
        self.search_edit.setPlaceholderText(f"Search {self._plural}…" if short else "Search…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(f"Search {self._plural}")
        self.search_edit.setToolTip(f"Search {self._plural} (Ctrl+F); Escape clears")
        # Room for its own placeholder, no more: the row must fit a 1024-wide window.
        placeholder = self.search_edit.fontMetrics().horizontalAdvance(
            self.search_edit.placeholderText())
        self.search_edit.setMinimumWidth(min(200, placeholder + 40))
        self.search_edit.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

        self.filter_label = QLabel("&Filter")
        self.filter_combo = QComboBox()
        self.filter_combo.addItem("All", "")
        for choice in register.filters:
            self.filter_combo.addItem(choice.label, choice.key)
        self.filter_combo.setAccessibleName(f"Filter {self._plural}")
        self.filter_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        longest = max(len(self.filter_combo.itemText(i)) for i in range(self.filter_combo.count()))
        self.filter_combo.setMinimumContentsLength(min(10, longest))
        self.filter_label.setBuddy(self.filter_combo)
        self.filter_label.setVisible(bool(register.filters))
        self.filter_combo.setVisible(bool(register.filters))

        self.archived_check = QCheckBox("S&how archived")
        self.archived_check.setAccessibleName(f"Show archived {self._plural}")

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of records")
        set_text_color(self.count_label, muted_color(self.palette()))

        self.new_button = QPushButton("&New")
        self.new_button.setAccessibleName(f"New {register.singular}")
        self.new_button.setToolTip(f"Add a {register.singular} (Ctrl+N)")
        self.archive_button = QPushButton("&Archive")
        self.archive_button.setAccessibleName(f"Archive {register.singular}")

        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.search_edit, 2)
        row.addSpacing(6)
        row.addWidget(self.filter_label)
        row.addWidget(self.filter_combo)
        row.addSpacing(6)
        row.addWidget(self.archived_check)
        row.addStretch(1)
        row.addWidget(self.new_button)
        row.addWidget(self.archive_button)
        # Under New and Archive, the line saying why they cannot be used (a role that reads).
        self.write_reason = DisabledReason(self.new_button)
        self.write_reason.setAccessibleName(f"Why {self._plural} cannot be changed")
        self._toolbar_layout = QVBoxLayout()
        self._toolbar_layout.setSpacing(4)
        self._toolbar_layout.addLayout(row)
        self._toolbar_layout.addWidget(self.write_reason)

    def _build_body(self) -> None:
        register = self._register
        self.model = RegisterTableModel(register, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_readonly_table(self.table, f"{register.title} list")  # Tab leaves it for the form
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        query = self.model.query()
        header.setSortIndicator(
            query.sort_column,
            Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder,
        )
        self.table.setSortingEnabled(True)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_label.setBackgroundRole(QPalette.ColorRole.Base)  # the table's own ground
        self.empty_label.setAutoFillBackground(True)
        self.empty_label.setAccessibleName("Nothing to list")
        set_text_color(self.empty_label, muted_color(self.palette()))
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)

        self.form = RecordForm(register, reserved_mnemonics=SCREEN_MNEMONICS)
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.setAccessibleName("Revert changes")
        self.revert_button.setToolTip("Undo the changes made in the form since the last save")
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName(f"Save {register.singular}")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.setDefault(False)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        form_panel = QWidget()
        form_panel.setMinimumWidth(320)
        form_panel.setAccessibleName(f"{register.singular.capitalize()} details")
        panel_layout = QVBoxLayout(form_panel)
        panel_layout.setContentsMargins(16, 0, 0, 0)
        panel_layout.setSpacing(10)
        panel_layout.addWidget(self.form, 1)
        panel_layout.addLayout(buttons)
        self._form_panel_layout = panel_layout

        # The list side: widgets a screen adds (add_above_list) go above the table.
        list_panel = QWidget()
        list_layout = QVBoxLayout(list_panel)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(8)
        list_layout.addWidget(self.list_stack, 1)
        list_layout.addWidget(self.count_label)  # under the list: the toolbar has no room
        self._list_layout = list_layout
        self.list_splitter: QSplitter | None = None  # made by `split_list`

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(list_panel)
        self.splitter.addWidget(form_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 400])
        self.table.installEventFilter(self)

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self._apply_query)
        self.filter_combo.currentIndexChanged.connect(self._apply_query)
        self.archived_check.toggled.connect(self._apply_query)
        self.new_button.clicked.connect(self.new_record)
        self.archive_button.clicked.connect(self.archive_or_restore)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.undo_button.clicked.connect(self.undo_archive)
        self._banner_timer.timeout.connect(self.hide_undo)
        self.model.modelReset.connect(self._after_reset)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.activated.connect(self._open_for_editing)
        self.form.dirty_changed.connect(self._update_buttons)

    # --- What the main window calls ---------------------------------------------------------

    @property
    def register(self) -> Register:
        return self._register

    def new_record(self) -> None:
        """Clear the form for a new record and put the cursor in its first field."""
        if self.write_refusal:
            self.status_message.emit(self.write_refusal)
            return
        if not self._confirm_leave():
            return
        self.hide_undo()
        self._select_record(None)
        self.form.start_new()
        self.form.focus_first_field()
        self._update_buttons()

    def set_condition(self, condition: Callable[[], Any] | None, description: str = "") -> None:
        """Narrow the list by one more condition set from outside (None: no longer narrowed).

        `description` names it in the empty-list message ("in Likely × Major").
        """
        self._condition = condition
        self._condition_text = description if condition is not None else ""
        self._apply_query()

    def add_above_list(self, widget: QWidget, stretch: int = 0) -> None:
        """Show `widget` above the table, in the list side of the splitter."""
        self._list_layout.insertWidget(self._list_layout.indexOf(self._list_part()), widget,
                                       stretch)

    def add_below_list(self, widget: QWidget, stretch: int = 0) -> None:
        """Show `widget` under the table, in the list side of the splitter."""
        self._list_layout.insertWidget(self._list_layout.indexOf(self.count_label), widget, stretch)

    def split_list(self, widget: QWidget, *, above: bool) -> QSplitter:
        """Show `widget` above or under the table with a handle between them: on a short
        window the user gives the list or the widget the height, and neither needs the sum
        of both. Returned: the splitter, for its initial sizes."""
        splitter = self.list_splitter
        if splitter is None:
            splitter = QSplitter(Qt.Orientation.Vertical)
            splitter.setChildrenCollapsible(False)
            splitter.setAccessibleName(f"{self._register.title} list and what goes with it")
            self._list_layout.insertWidget(self._list_layout.indexOf(self.list_stack), splitter, 1)
            splitter.addWidget(self.list_stack)
            self.list_splitter = splitter
        if above:
            splitter.insertWidget(0, widget)
        else:
            splitter.addWidget(widget)
        return splitter

    def _list_part(self) -> QWidget:
        """The table's stack, or the splitter holding it once `split_list` made one."""
        return self.list_splitter if self.list_splitter is not None else self.list_stack

    def add_below_form(self, widget: QWidget, stretch: int = 0) -> None:
        """Show `widget` under the form's Save and Revert buttons."""
        self._form_panel_layout.addWidget(widget, stretch)

    def show_record(self, record_id: str) -> bool:
        """Show `record_id` in the form (asking about unsaved changes first); False if not shown."""
        if not self._confirm_leave():
            return False
        self.hide_undo()
        self._open(record_id)
        shown = self.form.record
        return shown is not None and shown.id == record_id

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def save(self) -> bool:
        """Save the form if it has changes; True when something was saved."""
        if not self.form.has_unsaved_changes():
            return False
        was_new = self.form.is_new()
        record = self.form.save()
        if record is None:
            refused = self.form.changed_bar.text()
            self.status_message.emit(refused or "Not saved: correct the fields marked in red.")
            return False
        self.hide_undo()
        self.model.refresh()
        self._select_record(record.id, fetch=True)
        verb = "Added" if was_new else "Saved"
        self.status_message.emit(f"{verb} “{record.display_name()}”.")
        self._update_buttons()
        return True

    def revert(self) -> None:
        self.form.revert()
        self._update_buttons()

    def has_unsaved_changes(self) -> bool:
        return self.form.has_unsaved_changes()

    def reload(self) -> None:
        """Read the register again, keeping the search, filter, selection and the rows
        fetched so far; unsaved edits in the form stay."""
        self.form.refresh_choices()
        record = self.form.record
        if record is not None and not self.form.has_unsaved_changes():
            self.form.load_record(_find(self._register, record.id))
        self.model.set_query(self._query_from_controls(), keep_rows=True)
        self._update_buttons()

    def archive_or_restore(self) -> None:
        record = self.form.record
        if record is None or self.write_refusal:
            return
        if record.archived_at is not None:
            self.restore(record)
        else:
            self.archive(record)

    def archive(self, record: Record) -> None:
        """Archive without asking; the banner offers Undo for a few seconds."""
        if not self._confirm_leave():
            return
        row = self.model.row_of(record.id)
        try:
            registers.archive(self._register, record)
        except RecordChanged as refused:
            self._show_as_changed(record, "Not archived.", refused)
            return
        name = record.display_name()
        self.model.refresh()
        if self.archived_check.isChecked():
            self._open(record.id)
        elif self.model.rowCount() > 0:
            self._open_row(min(max(row, 0), self.model.rowCount() - 1))
        else:
            self.form.start_new()
        self._show_undo(record, name)
        self.status_message.emit(f"Archived “{name}”.")
        self._update_buttons()

    def restore(self, record: Record) -> None:
        self.hide_undo()
        try:
            registers.restore(self._register, record)
        except RecordChanged as refused:
            self._show_as_changed(record, "Not restored.", refused)
            return
        self.model.refresh()
        self._open(record.id)
        self.status_message.emit(f"Restored “{record.display_name()}”.")
        self._update_buttons()

    def undo_archive(self) -> None:
        record = self._undo_record
        if record is None:
            return
        self.hide_undo()
        if not self._confirm_leave():
            return
        try:
            registers.restore(self._register, record)
        except RecordChanged as refused:
            self._show_as_changed(record, "Not restored.", refused)
            return
        self.model.refresh()
        self._open(record.id)
        self.status_message.emit(f"Restored “{record.display_name()}”.")
        self._update_buttons()

    def hide_undo(self) -> None:
        self._banner_timer.stop()
        self._undo_record = None
        self.banner.hide()

    # --- Events -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if (
            watched is self.search_edit
            and event.key() == Qt.Key.Key_Escape
            and self.search_edit.text()
        ):
            self.search_edit.clear()
            self._apply_query()
            return True
        if watched is self.table and event.key() == Qt.Key.Key_Delete:
            self._archive_from_keyboard()
            return True
        return super().eventFilter(watched, event)

    def _apply_query(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self._query_from_controls())

    def _query_from_controls(self) -> Query:
        query = self.model.query()
        query.search = self.search_edit.text().strip()
        query.filter_key = str(self.filter_combo.currentData() or "")
        query.include_archived = self.archived_check.isChecked()
        query.condition = self._condition
        return query

    def _after_reset(self) -> None:
        self._update_count_and_empty_state()
        if self.model.rowCount() and not self._columns_sized:
            self._size_columns()
        record = self.form.record
        self._select_record(record.id if record is not None else None)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        record_id = self.model.record_id(current.row())
        shown = self.form.record
        if shown is not None and shown.id == record_id:
            return
        if not self.form.has_unsaved_changes():
            self._open(record_id)
            return
        # Ask once the view has finished the click or key press that moved the selection:
        # saving re-reads the list, and the view must not go on with rows that have moved.
        QTimer.singleShot(0, self, partial(self._leave_for, record_id))

    def _leave_for(self, record_id: str) -> None:
        if self._confirm_leave():
            self._open(record_id)
        else:
            shown = self.form.record
            self._select_record(shown.id if shown is not None else None)

    def _open_for_editing(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        record_id = self.model.record_id(index.row())
        shown = self.form.record
        if shown is None or shown.id != record_id:
            if not self._confirm_leave():
                return
            self._open(record_id)
        self.form.focus_first_field()

    def _archive_from_keyboard(self) -> None:
        record = self.form.record
        if record is not None and record.archived_at is None and not self.write_refusal:
            self.archive(record)

    # --- Helpers ----------------------------------------------------------------------------

    def _confirm_leave(self) -> bool:
        """Before the form shows something else: save, discard or stay. True to go on."""
        if not self.form.has_unsaved_changes():
            return True
        record = self.form.record
        name = f"“{record.display_name()}”" if record is not None else (
            f"the new {self._register.singular}"
        )
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to {name} first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _show_as_changed(self, record: Record, what: str, refused: RecordChanged) -> None:
        """Someone changed the record since it was read: say who and when, and show it as
        it is now (there were no edits of one's own to keep)."""
        self.model.refresh()
        self._open(record.id)
        self.status_message.emit(f"{what} {refused.message} It now shows as they left it.")

    def _open(self, record_id: str) -> None:
        """Show `record_id` in the form and select its row."""
        record = _find(self._register, record_id)
        if record is None:  # gone since the list was read
            self.status_message.emit(f"That {self._register.singular} no longer exists.")
            self.model.refresh()
            return
        self.form.load_record(record)
        self._select_record(record_id, fetch=True)
        self._update_buttons()

    def _open_row(self, row: int) -> None:
        self._open(self.model.record_id(row))

    def _select_record(self, record_id: str | None, fetch: bool = False) -> bool:
        """Move the table's selection to `record_id` without reloading the form."""
        selection = self.table.selectionModel()
        row = self.model.row_of(record_id) if record_id is not None else -1
        pages = 0
        while row < 0 and record_id is not None and fetch and pages < PAGES_TO_FIND_A_ROW:
            if not self.model.canFetchMore(QModelIndex()):
                break
            self.model.fetchMore(QModelIndex())
            row = self.model.row_of(record_id)
            pages += 1
        self._syncing = True
        try:
            if row < 0:
                selection.clear()
                return False
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
            return True
        finally:
            self._syncing = False

    def _show_undo(self, record: Record, name: str) -> None:
        self._undo_record = record
        self.banner_label.setText(f"Archived “{name}”.")
        self.banner.show()
        self._banner_timer.start()

    def _update_count_and_empty_state(self) -> None:
        total = self.model.total()
        noun = self._register.singular if total == 1 else self._plural
        self.count_label.setText(f"{total:,} {noun}")
        if total:
            self.list_stack.setCurrentWidget(self.table)
            return
        query = self.model.query()
        if query.search:
            text = f"No {self._plural} match “{query.search}”."
            if query.filter_key or not query.include_archived:
                text += "\nTry fewer words, choose All, or tick Show archived."
        elif query.filter_key or self._condition is not None:
            places = [f"“{self.filter_combo.currentText()}”"] if query.filter_key else []
            if self._condition_text:
                places.append(self._condition_text)
            text = f"No {self._plural} in {' and '.join(places) or 'this selection'}."
        elif not query.include_archived and registers.count(
            self._register, Query(include_archived=True)
        ):
            text = f"Every {self._register.singular} is archived. Tick Show archived to see them."
        else:
            text = (
                f"No {self._plural} yet." if self.write_refusal else
                f"No {self._plural} yet. Press New (Ctrl+N) to add the first."
            )
        self.empty_label.setText(text)
        self.list_stack.setCurrentWidget(self.empty_label)

    def _size_columns(self) -> None:
        self._columns_sized = True
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):
            width = header.sectionSize(column)
            header.resizeSection(column, min(max(width + 16, 90), MAX_COLUMN_WIDTH))

    def _update_buttons(self, *_args: object) -> None:
        record = self.form.record
        shown = None if record is None else (record.id, record.updated_at, record.archived_at)
        if shown != self._shown_key:
            self._shown_key = shown
            self.record_shown.emit(record)
        dirty = self.form.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.archive_button.setEnabled(record is not None)
        refused = self.write_refusal
        self.write_reason.explain(not refused, refused, f"Add a {self._register.singular} (Ctrl+N)")
        if record is not None and record.archived_at is not None:
            self.archive_button.setText("&Restore")
            self.archive_button.setAccessibleName(f"Restore {self._register.singular}")
            self.archive_button.setToolTip(f"Bring this {self._register.singular} back")
        else:
            self.archive_button.setText("&Archive")
            self.archive_button.setAccessibleName(f"Archive {self._register.singular}")
            self.archive_button.setToolTip(
                f"Archive this {self._register.singular} (Delete); it stays in the history"
            )
        if refused:
            for button in (self.archive_button, self.save_button, self.revert_button):
                button.setEnabled(False)
                button.setToolTip(refused)
                button.setAccessibleDescription(refused)
