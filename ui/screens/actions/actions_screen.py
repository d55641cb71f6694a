"""Actions (10.2): the one tracker for every action, whatever raised it.

Filters combine: Mine, Overdue or Due this week, a status and a source narrow the same list,
built from the `actions` module's own queries so the tracker, the reminder and the review
agree. Moving, closing, cancelling and reopening go through `actions`, each in a small dialog
that says what is missing and keeps the dialog open until it is right.

Dialogs open window-modal with `open()`, never `exec()`, so tests drive them like a user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import actions, clock, formatting, organisation
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.fields import text_limit
from qms_desktop.models import Action, Person
from qms_desktop.support_registers import ACTION_TRACKER, RAISED_HERE, SOURCE_SCREENS, SOURCE_TABLES
from ui.kit.fitting import literal
from ui.kit.form_dialog import FormDialog
from ui.kit.header import heading, screen_header, title_font
from ui.kit.length_note import limit_length
from ui.kit.live import ChangeSource, keep_current
from ui.kit.past_date import PAST_DATE_REFUSED, confirm_past_date
from ui.kit.permission import hold_refused, refused_line, write_refusal
from ui.kit.pickers import people_choices
from ui.kit.record_changed import ChangedChoice, FormField
from ui.kit.record_form import NONE_LABEL
from ui.kit.register_model import RegisterTableModel
from ui.kit.tables import (
    AnyIndex,
    LateDateDelegate,
    cell_date,
    column_of,
    register_table,
    size_columns,
)
from ui.kit.theme import error_color, set_text_color, show_read_only
from ui.kit.widgets import empty_state_label, muted_label, problems_text, screen_layout

STATUS_CHOICES = (
    ("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled"), ("", "Any status"),
)
# --- The tracker -------------------------------------------------------------------------------


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = (
    "action", "person", "effectiveness_review", "nonconformity", "risk", "objective", "kpi",
    "finding", "feedback", "review_decision",
    "setting",  # the user's name: whose actions "Mine" shows
)


class ActionsScreen(QWidget):
    """Every action in one list, the chosen one's details, and what can be done with it."""

    status_message = Signal(str)
    open_record = Signal(str, str)  # (screen key, record id) of the record an action came from

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Actions")
        self.dialog: FormDialog | None = None
        self._action: Action | None = None
        self._loading = False
        self._columns_sized = False

        self._build_filters()
        self._build_list()
        self._build_details()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.details_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([820, 380])

        screen_layout(self, screen_header("Actions", "Clause 10.2 · every action in one place"),
                      self._filter_row, self.splitter)
        self._connect()
        self._show_action(None)
        keep_current(self, changes, SHOWN_TABLES, self.reload)

    # --- Building --------------------------------------------------------------------------

    def _toggle(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setCheckable(True)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        return button

    def _build_filters(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search actions or owners…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search actions")
        self.search_edit.setMinimumWidth(200)

        self.mine_button = self._toggle("&Mine", "Only my actions", "Only actions I own")
        self.person_combo = QComboBox()
        self.person_combo.setAccessibleName("Whose actions")
        self.person_combo.setToolTip("No person has your user name: choose who you are")
        self.overdue_button = self._toggle("&Overdue", "Only overdue actions",
                                           "Open actions whose due date has passed")
        self.week_button = self._toggle("Due this &week", "Only actions due this week",
                                        "Open actions due in the next seven days")

        self.status_combo = QComboBox()
        for key, label in STATUS_CHOICES:
            self.status_combo.addItem(label, key)
        self.status_combo.setAccessibleName("Status")
        self.source_combo = QComboBox()
        self.source_combo.addItem("All sources", None)
        for table in SOURCE_TABLES:
            self.source_combo.addItem(actions.register_label(table), table)
        self.source_combo.addItem(RAISED_HERE, "")
        self.source_combo.setAccessibleName("Raised from")
        source_label = QLabel("&Source")
        source_label.setBuddy(self.source_combo)

        self.count_label = muted_label(wrap=False)
        self.count_label.setAccessibleName("Number of actions")
        self.new_button = QPushButton("&New action…")
        self.new_button.setAccessibleName("New action")
        self.new_button.setToolTip("An improvement action raised here, not from another record "
                                   "(Ctrl+N)")

        # Two rows, so the filters fit beside the sidebar of a 1024-wide window: the search
        # with the count and New above, the quick filters under it. Long names in the
        # drop-downs show in full when they open.
        for combo in (self.person_combo, self.source_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.search_edit, 1)
        top.addSpacing(6)
        top.addWidget(self.count_label)
        top.addSpacing(6)
        top.addWidget(self.new_button)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.mine_button)
        row.addWidget(self.person_combo)
        row.addWidget(self.overdue_button)
        row.addWidget(self.week_button)
        row.addWidget(self.status_combo)
        row.addSpacing(6)
        row.addWidget(source_label)
        row.addWidget(self.source_combo)
        row.addStretch(1)
        self._filter_row = QVBoxLayout()
        self._filter_row.setSpacing(8)
        self._filter_row.addLayout(top)
        self._filter_row.addLayout(row)
        # A role that may only read: New and the action's own buttons stay disabled, and why.
        self.write_refusal = write_refusal("action")
        self._filter_row.addWidget(refused_line(self.write_refusal, self.new_button))

    def _build_list(self) -> None:
        self.model = RegisterTableModel(ACTION_TRACKER, self)
        self.table = register_table(self.model, "Actions list")
        due = column_of(ACTION_TRACKER, "due_on")
        status = column_of(ACTION_TRACKER, "status")
        open_label = actions.STATUS_LABELS[actions.OPEN]

        def late(index: AnyIndex) -> bool:
            day = cell_date(index, due)
            return (index.column() == due and day is not None and day < clock.today()
                    and index.sibling(index.row(), status).data() == open_label)

        self.table.setItemDelegate(LateDateDelegate(late, self.table))
        self.empty_label = empty_state_label("No actions to list")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)

    def _info(self, grid: QGridLayout, row: int, caption: str) -> QLabel:
        label = muted_label(caption, wrap=False)
        value = QLabel()
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setAccessibleName(caption)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(value, row, 1)
        return value

    def _build_details(self) -> None:
        panel = QWidget()
        panel.setAccessibleName("Action details")
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(16, 0, 4, 0)
        layout.setSpacing(10)

        self.nothing_label = muted_label(
            "Choose an action in the list to see where it came from and where it stands."
            if self.write_refusal else "Choose an action in the list to see where it came "
            "from, move its due date or mark it done.")
        layout.addWidget(self.nothing_label)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(10)
        self.heading_label = heading("", 1.25)
        self.heading_label.setWordWrap(True)
        details.addWidget(self.heading_label)

        edit_grid = QFormLayout()
        edit_grid.setVerticalSpacing(6)
        self.title_edit = QLineEdit()
        self.title_note = limit_length(self.title_edit, text_limit(Action.title))
        self.title_edit.setAccessibleName("What will be done")
        title_caption = QLabel("&Action")
        title_caption.setBuddy(self.title_edit)
        self.owner_combo = QComboBox()
        self.owner_combo.setAccessibleName("Owner")
        owner_caption = QLabel("Own&er")
        owner_caption.setBuddy(self.owner_combo)
        edit_grid.addRow(title_caption, self.title_edit)
        edit_grid.addRow("", self.title_note)
        edit_grid.addRow(owner_caption, self.owner_combo)
        details.addLayout(edit_grid)
        self.edit_error = QLabel()
        self.edit_error.setWordWrap(True)
        set_text_color(self.edit_error, error_color(self.palette()))
        self.edit_error.hide()
        details.addWidget(self.edit_error)
        # A save that meets someone else's change: who and when, Reload and Compare.
        self.changed_choice = ChangedChoice(self, {
            "title": FormField(self.title_edit.text, self.title_edit.setText, "Action"),
            "owner": FormField(lambda: self.owner_combo.currentData() or None,
                               self._put_owner, "Owner"),
        }, self._show_action)
        details.addWidget(self.changed_choice.bar)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.setAccessibleName("Revert changes")
        self.save_button = QPushButton("Sa&ve")
        self.save_button.setAccessibleName("Save action")
        save_row.addWidget(self.revert_button)
        save_row.addWidget(self.save_button)
        details.addLayout(save_row)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        self.status_value = self._info(grid, 0, "Status")
        self.due_value = self._info(grid, 1, "Due")
        self.original_value = self._info(grid, 2, "Originally due")
        self.done_value = self._info(grid, 3, "Done on")
        self.evidence_value = self._info(grid, 4, "Evidence")
        self.source_value = self._info(grid, 5, "Raised from")
        details.addLayout(grid)
        self.source_button = QPushButton()
        self.source_button.setAccessibleName("Open the record it came from")
        details.addWidget(self.source_button, 0, Qt.AlignmentFlag.AlignLeft)

        buttons = QGridLayout()
        buttons.setSpacing(8)
        self.move_button = QPushButton("Move &due date…")
        self.move_button.setAccessibleName("Move due date")
        self.done_button = QPushButton("Mar&k done…")
        self.done_button.setAccessibleName("Mark done")
        self.cancel_button = QPushButton("&Cancel action…")
        self.cancel_button.setAccessibleName("Cancel action")
        self.reopen_button = QPushButton("&Reopen…")
        self.reopen_button.setAccessibleName("Reopen action")
        buttons.addWidget(self.move_button, 0, 0)
        buttons.addWidget(self.done_button, 0, 1)
        buttons.addWidget(self.cancel_button, 1, 0)
        buttons.addWidget(self.reopen_button, 1, 1)
        details.addLayout(buttons)
        hold_refused(self.write_refusal, self.move_button, self.done_button, self.cancel_button,
                     self.reopen_button, self.save_button, self.revert_button, self.owner_combo)
        if self.write_refusal:
            show_read_only(self.title_edit, True)

        history_caption = QLabel("Due-date &history")
        history_caption.setFont(title_font(history_caption.font(), 1.0))
        self.history_list = QListWidget()
        self.history_list.setAccessibleName("Due-date history")
        self.history_list.setWordWrap(True)
        self.history_list.setMinimumHeight(90)
        history_caption.setBuddy(self.history_list)
        self.history_empty = muted_label("The due date has not been moved.")
        details.addWidget(history_caption)
        details.addWidget(self.history_empty)
        details.addWidget(self.history_list)
        self.history_list.setMaximumHeight(180)
        layout.addWidget(self.details)
        layout.addStretch(1)

        self.details_scroll = QScrollArea()
        self.details_scroll.setWidget(panel)
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details_scroll.setMinimumWidth(340)
        self.details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _connect(self) -> None:
        self.search_edit.textChanged.connect(self.apply_filters)
        for button in (self.mine_button, self.overdue_button, self.week_button):
            button.toggled.connect(self._toggled)
        self.person_combo.currentIndexChanged.connect(self.apply_filters)
        self.status_combo.currentIndexChanged.connect(self.apply_filters)
        self.source_combo.currentIndexChanged.connect(self.apply_filters)
        self.new_button.clicked.connect(self.new_record)
        self.model.modelReset.connect(self._after_reset)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.title_edit.textChanged.connect(self._update_buttons)
        self.owner_combo.currentIndexChanged.connect(self._update_buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.source_button.clicked.connect(self.open_source)
        self.move_button.clicked.connect(self.move_due_date)
        self.done_button.clicked.connect(self.mark_done)
        self.cancel_button.clicked.connect(self.cancel_action)
        self.reopen_button.clicked.connect(self.reopen_action)

    # --- What the main window calls ------------------------------------------------------------

    def reload(self) -> None:
        """Read people and actions again, keeping the filters and the chosen action."""
        self._loading = True
        try:
            me = self.current_person()
            chosen = self.person_combo.currentData()
            self.person_combo.clear()
            for key, name in people_choices():
                self.person_combo.addItem(name, key)
            index = self.person_combo.findData(me.id if me is not None else chosen)
            self.person_combo.setCurrentIndex(max(index, 0))
            self.person_combo.setVisible(me is None)
            self.mine_button.setToolTip(
                f"Only actions owned by {me.full_name}" if me is not None
                else "Only the actions of the person chosen beside this button"
            )
            self._fill_owner_choices()
        finally:
            self._loading = False
        self.apply_filters(keep_rows=True)

    def new_record(self) -> None:
        """A standalone improvement action, raised here rather than from another record."""
        if self.write_refusal:
            self.status_message.emit(self.write_refusal)
            return
        if not self._confirm_leave():
            return
        dialog = FormDialog(
            "New action",
            "An improvement action raised here. Actions on a risk, an objective or a "
            "nonconformity are raised from that record, so it shows where they came from.",
            "&Add action",
            self,
            on_submit=self._raise_here,
        )
        dialog.add_line("title", "&What will be done")
        me = self.current_person()
        dialog.add_choice("owner", "&Owner", people_choices(), me.id if me else None)
        dialog.add_date("due_on", "&Due on", clock.today() + dt.timedelta(days=14))
        dialog.accepted.connect(lambda: self._after_dialog(dialog.result_value, "Added"))
        self._show(dialog)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def save(self) -> bool:
        """Save a changed title or owner; True when something was saved."""
        action = self._action
        if action is None or not self.has_unsaved_changes():
            return False
        owner = Person.get_or_none(Person.id == self.owner_combo.currentData())
        try:
            actions.edit(action, self.title_edit.text(), owner)
        except RecordChanged as refused:
            self.edit_error.hide()
            self.changed_choice.offer(refused)
            self.status_message.emit(f"Not saved. {refused.message}")
            return False
        except ValidationError as error:
            self.edit_error.setText(problems_text(error))
            self.edit_error.show()
            if "title" in error.problems:
                self.title_edit.setFocus()
            self.status_message.emit("Not saved: " + problems_text(error))
            return False
        title = action.title
        self.status_message.emit(f"Saved “{title}”.")
        self._refresh_and_show(action.id)
        return True

    def revert(self) -> None:
        # As stored now: the copy shown may be older than someone else's save of it.
        self._show_action(self._fresh())

    def has_unsaved_changes(self) -> bool:
        action = self._action
        if action is None:
            return False
        owner = self.owner_combo.currentData() or None
        return (self.title_edit.text() != action.title
                or owner != action.__data__.get("owner"))

    def show_filter(self, name: str) -> None:
        """Open pre-filtered: "overdue", "this_week" or "mine"; other filters are cleared."""
        self._loading = True
        try:
            self.search_edit.clear()
            self.status_combo.setCurrentIndex(self.status_combo.findData("open"))
            self.source_combo.setCurrentIndex(0)
            self.mine_button.setChecked(name == "mine")
            self.overdue_button.setChecked(name == "overdue")
            self.week_button.setChecked(name == "this_week")
        finally:
            self._loading = False
        self.apply_filters()

    # --- Filters ---------------------------------------------------------------------------

    def current_person(self) -> Person | None:
        """The person whose name is the current user's, if there is one."""
        return organisation.current_person()

    def _toggled(self, checked: bool) -> None:
        # Overdue and due this week exclude each other: together they would match nothing.
        sender = self.sender()
        if checked and sender is self.overdue_button:
            self.week_button.setChecked(False)
        elif checked and sender is self.week_button:
            self.overdue_button.setChecked(False)
        self.apply_filters()

    def filtered_query(self) -> actions.ActionQuery:
        """The list the filters ask for, built from the tracker's own queries."""
        today = clock.today()
        query = actions.all_actions()
        if self.mine_button.isChecked():
            owner = Person.get_or_none(Person.id == self.person_combo.currentData())
            query = actions.mine(owner, query) if owner is not None else query.where(False)
        if self.overdue_button.isChecked():
            query = actions.overdue(today, query)
        if self.week_button.isChecked():
            query = actions.due_this_week(today, query)
        status = self.status_combo.currentData()
        if status:
            query = actions.with_status(status, query)
        source = self.source_combo.currentData()
        if source is not None:
            query = actions.by_source(source, query)
        return query

    def apply_filters(self, *_args: object, keep_rows: bool = False) -> None:
        """List what the filters ask for; with `keep_rows` (a reload, the filters unchanged)
        as many rows as were read before, so the list stays where it was scrolled."""
        if self._loading:
            return
        query = self.model.query()
        query.search = self.search_edit.text().strip()
        chosen = self.filtered_query()
        query.condition = lambda: Action.id.in_(chosen.select(Action.id).order_by())
        self.model.set_query(query, keep_rows=keep_rows)

    def visible_titles(self) -> list[str]:
        while self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        return [self.model.index(row, 0).data() for row in range(self.model.rowCount())]

    # --- The chosen action -----------------------------------------------------------------

    @property
    def action(self) -> Action | None:
        return self._action

    def select_action(self, action_id: str) -> bool:
        row = self.model.row_of(action_id)
        while row < 0 and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
            row = self.model.row_of(action_id)
        if row < 0:
            self.table.selectionModel().clear()
            self._show_action(Action.get_or_none(Action.id == action_id))
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        record_id = self.model.record_id(current.row())
        if self._action is not None and self._action.id == record_id:
            return
        if not self._confirm_leave():
            return
        self._show_action(Action.get_or_none(Action.id == record_id))

    def _after_reset(self) -> None:
        total = self.model.total()
        self.count_label.setText(formatting.plural(total, "action"))
        if total:
            self.list_stack.setCurrentWidget(self.table)
            if not self._columns_sized:
                self._columns_sized = True
                # Narrow enough that owner and due date stay in view beside the details
                # on a 1024-wide window; the whole title is in the details.
                size_columns(self.table, maximum=180)
        else:
            self.empty_label.setText(self._empty_text())
            self.list_stack.setCurrentWidget(self.empty_label)
        if self._action is not None:
            if self.model.row_of(self._action.id) >= 0:
                self.select_action(self._action.id)
                if not self.has_unsaved_changes():
                    self._show_action(self._fresh())  # someone else's change shows too
            elif not self.has_unsaved_changes():
                self._show_action(None)

    def _empty_text(self) -> str:
        if Action.live().count() == 0:
            return ("No actions yet. Actions are raised from a risk, an objective, a "
                    "nonconformity, an audit finding or a review decision"
                    + ("." if self.write_refusal else "; press New action (Ctrl+N) for an "
                       "improvement raised here."))
        if self.search_edit.text().strip():
            return f"No actions match “{self.search_edit.text().strip()}”. Try fewer words."
        if self.overdue_button.isChecked():
            return "Nothing is overdue here. Well done."
        return ("No actions match these filters. Untick Mine, Overdue or Due this week, "
                "or choose All sources and Any status.")

    def _fill_owner_choices(self) -> None:
        current = self.owner_combo.currentData()
        blocked = self.owner_combo.blockSignals(True)
        self.owner_combo.clear()
        self.owner_combo.addItem(NONE_LABEL, "")
        for key, name in people_choices():
            self.owner_combo.addItem(name, key)
        self.owner_combo.setCurrentIndex(max(self.owner_combo.findData(current or ""), 0))
        self.owner_combo.blockSignals(blocked)

    def _put_owner(self, owner_id: str | None) -> None:
        self.owner_combo.setCurrentIndex(max(self.owner_combo.findData(owner_id or ""), 0))

    def _show_action(self, action: Action | None) -> None:
        self._action = action
        self.edit_error.hide()
        self.changed_choice.clear()
        self.nothing_label.setVisible(action is None)
        self.details.setVisible(action is not None)
        if action is None:
            self._update_buttons()
            return
        blocked = self.owner_combo.blockSignals(True)
        self.title_edit.setText(action.title)
        self.title_edit.setCursorPosition(0)
        owner_id = action.__data__.get("owner") or ""
        index = self.owner_combo.findData(owner_id)
        if index < 0 and action.owner is not None:
            self.owner_combo.addItem(action.owner.display_name(), owner_id)
            index = self.owner_combo.count() - 1
        self.owner_combo.setCurrentIndex(max(index, 0))
        self.owner_combo.blockSignals(blocked)

        today = clock.today()
        self.heading_label.setText(action.title)
        status = actions.STATUS_LABELS.get(action.status, action.status)
        if actions.is_overdue(action, today) and action.due_on is not None:
            days = (today - action.due_on).days
            status += f" · overdue by {formatting.plural(days, 'day')}"
        self.status_value.setText(status)
        self.due_value.setText(str(action.due_on or "No date"))
        moved = action.original_due_on and action.original_due_on != action.due_on
        self.original_value.setText(str(action.original_due_on) if moved else "Not moved")
        self.done_value.setText(str(action.done_on or "—"))
        caption = "Reason cancelled" if action.status == actions.CANCELLED else "Evidence"
        self.evidence_value.setAccessibleName(caption)
        self.evidence_value.setText(action.evidence or "—")
        self._show_source(action)
        self._show_history(action)
        self._update_buttons()

    def _show_source(self, action: Action) -> None:
        if not action.source_table:
            self.source_value.setText(f"{RAISED_HERE}: an improvement action of its own")
            self.source_button.hide()
            return
        label = actions.source_label(action)
        self.source_value.setText(label)
        screen = SOURCE_SCREENS.get(action.source_table)
        found = actions.source_record(action) is not None
        self.source_button.setVisible(screen is not None and found)
        name = actions.register_label(action.source_table).lower()
        if action.source_table == "risk" and label.startswith("Opportunity"):
            name = "opportunity"
        self.source_button.setText(literal(f"Open the {name}"))
        self.source_button.setToolTip(f"Show {label}")

    def _show_history(self, action: Action) -> None:
        self.history_list.clear()
        moves = actions.due_date_history(action)
        for move in moves:
            reason = f" — {move.reason}" if move.reason else ""
            self.history_list.addItem(
                f"{formatting.short_date(move.changed_at)}: "
                f"{formatting.short_date(move.old_due) or 'no date'} → "
                f"{formatting.short_date(move.new_due) or 'no date'} by {move.changed_by}{reason}"
            )
        self.history_list.setVisible(bool(moves))
        self.history_empty.setVisible(not moves)

    def _update_buttons(self, *_args: object) -> None:
        action = self._action
        is_open = action is not None and action.status == actions.OPEN
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.title_edit.setEnabled(action is not None)
        self.owner_combo.setEnabled(action is not None)
        self.move_button.setEnabled(is_open)
        self.done_button.setEnabled(is_open)
        self.cancel_button.setEnabled(is_open)
        self.reopen_button.setEnabled(action is not None and not is_open)

    def open_source(self) -> None:
        action = self._action
        if action is None or action.source_table not in SOURCE_SCREENS:
            return
        self.open_record.emit(SOURCE_SCREENS[action.source_table], action.source_id)

    # --- Dialogs ---------------------------------------------------------------------------

    def _show(self, dialog: FormDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _fresh(self) -> Action | None:
        if self._action is None:
            return None
        return Action.get_or_none(Action.id == self._action.id)

    def move_due_date(self) -> None:
        action = self._fresh()
        if action is None:
            return
        dialog = FormDialog(
            "Move the due date",
            f"“{action.title}” is due on {action.due_on or 'no date'}. The first due date "
            "and every move stay in its history.",
            "&Move",
            self,
            on_submit=lambda v: actions.reschedule(action, v["due_on"], v["reason"]),
        )
        dialog.add_date("due_on", "&New due date", action.due_on)
        dialog.add_text("reason", "&Why it moves", placeholder="e.g. parts arrive late")
        dialog.accepted.connect(lambda: self._after_dialog(action, "Moved the due date of"))
        self._show(dialog)

    def mark_done(self) -> None:
        action = self._fresh()
        if action is None:
            return
        dialog = FormDialog(
            "Mark the action done",
            f"“{action.title}”: say when it was done and what shows it.",
            "Mark &done",
            self,
            on_submit=lambda v: actions.complete(action, v["done_on"], v["evidence"]),
        )
        dialog.add_date("done_on", "&Done on", clock.today())
        dialog.add_text("evidence", "&Evidence",
                        placeholder="A record, a photo, a document that shows it was done")
        dialog.accepted.connect(lambda: self._after_dialog(action, "Marked done"))
        self._show(dialog)

    def cancel_action(self) -> None:
        action = self._fresh()
        if action is None:
            return
        dialog = FormDialog(
            "Cancel the action",
            f"“{action.title}” stops being tracked. The reason is kept with it.",
            "Cancel &action",
            self,
            on_submit=lambda v: actions.cancel(action, v["reason"]),
        )
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Keep it")
        dialog.add_text("reason", "&Reason", placeholder="e.g. replaced by a new action")
        dialog.accepted.connect(lambda: self._after_dialog(action, "Cancelled"))
        self._show(dialog)

    def reopen_action(self) -> None:
        action = self._fresh()
        if action is None:
            return
        dialog = FormDialog(
            "Reopen the action",
            f"“{action.title}” goes back on the open list; its old date and evidence stay in "
            "the history.",
            "&Reopen",
            self,
            on_submit=lambda v: actions.reopen(action, v["reason"]),
        )
        dialog.add_text("reason", "&Why", placeholder="Optional")
        dialog.accepted.connect(lambda: self._after_dialog(action, "Reopened"))
        self._show(dialog)

    def _raise_here(self, values: dict[str, Any]) -> Action:
        if not confirm_past_date(self.dialog, "The action would be due", values["due_on"]):
            raise ValidationError({"due_on": PAST_DATE_REFUSED})
        owner = Person.get_or_none(Person.id == values["owner"]) if values["owner"] else None
        return actions.raise_improvement(values["title"], owner, values["due_on"])

    def _after_dialog(self, action: Action | None, verb: str) -> None:
        self.dialog = None
        if action is None:
            return
        self.status_message.emit(f"{verb} “{action.title}”.")
        self._refresh_and_show(action.id)

    def _refresh_and_show(self, action_id: str) -> None:
        self._action = None
        self.model.refresh()
        if not self.select_action(action_id):
            self.status_message.emit("The action is done or moved, so it is no longer in "
                                     "this list; it is still shown on the right.")

    def _confirm_leave(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", "Save the changes to this action first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.revert()
            return True
        return False

