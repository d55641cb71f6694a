"""Competence (7.2): the gaps an auditor asks about first, what each role requires, and the
training records that prove it.

Three tabs: the gaps from `competence.gaps` (nothing to type, only to act on), and two generic
register screens over `support_registers.COMPETENCES` and `TRAINING_RECORDS`; a new training
record goes through `competence.record_training`. Awareness (7.3) is kept as the policy
acknowledgements, on the policy screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, competence, formatting
from qms_desktop.registers import Register
from qms_desktop.support_registers import COMPETENCES, TRAINING_RECORDS
from ui.kit.header import screen_header
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.permission import hold_refused, write_refusal
from ui.kit.register_screen import RegisterScreen
from ui.kit.tables import AnyIndex, LateDateDelegate, cell_date, column_of
from ui.kit.widgets import empty_state_label, muted_label, screen_layout

GAP_COLUMNS = ("Person", "Role", "Competence", "Why it is a gap")
GAP_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _inner_register(register: Register) -> RegisterScreen:
    screen = RegisterScreen(register)
    # The tab names the register; the screen's own title would say it twice.
    screen.title_label.hide()
    screen.clause_label.hide()
    layout = screen.layout()
    assert layout is not None  # RegisterScreen lays itself out on construction
    layout.setContentsMargins(8, 12, 8, 8)
    return screen


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = ("competence", "training_record", "person", "role", "person_role")


class CompetenceScreen(QWidget):
    status_message = Signal(str)
    open_record = Signal(str, str)  # ("policy", "") for the awareness records

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Competence")
        self._gaps: list[competence.Gap] = []

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Competence views")
        self._build_gaps()
        self.roles_screen = _inner_register(COMPETENCES)
        self.training_screen = _inner_register(TRAINING_RECORDS)
        expires = column_of(TRAINING_RECORDS, "expires_on")

        def expired(index: AnyIndex) -> bool:
            day = cell_date(index, expires)
            return index.column() == expires and day is not None and day < clock.today()

        self.training_screen.table.setItemDelegate(
            LateDateDelegate(expired, self.training_screen.table))
        self.tabs.addTab(self.gaps_page, "&Gaps")
        self.tabs.addTab(self.roles_screen, "Required by &role")
        self.tabs.addTab(self.training_screen, "&Training records")

        awareness = QHBoxLayout()
        awareness.setSpacing(12)
        self.awareness_label = muted_label(
            "Awareness (clause 7.3) is recorded as the acknowledgements of the quality "
            "policy: who was told and who confirmed they understood it.")
        self.awareness_button = QPushButton("Open the &policy acknowledgements")
        self.awareness_button.setAccessibleName("Open the policy acknowledgements")
        awareness.addWidget(self.awareness_label, 1)
        awareness.addWidget(self.awareness_button)

        layout = screen_layout(self, screen_header(
            "Competence", "Clause 7.2 · what each role needs and the records that prove it"),
            self.tabs)
        layout.addLayout(awareness)

        for inner in (self.roles_screen, self.training_screen):
            inner.status_message.connect(self.status_message)
            inner.form.saved.connect(self.refresh_gaps)
        self.awareness_button.clicked.connect(lambda: self.open_record.emit("policy", ""))
        self.record_button.clicked.connect(self.record_training_for_gap)
        self.gaps_table.itemSelectionChanged.connect(self._update_gap_button)
        self.gaps_table.itemActivated.connect(lambda _item: self.record_training_for_gap())
        self.refresh_gaps()
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    def _build_gaps(self) -> None:
        self.gaps_page = QWidget()
        self.gaps_page.setAccessibleName("Competence gaps")
        layout = QVBoxLayout(self.gaps_page)
        layout.setContentsMargins(8, 12, 8, 8)
        layout.setSpacing(10)
        intro = muted_label(
            "People whose roles require a competence they hold no valid record for. Close a "
            "gap by recording the training, qualification or experience that proves it.")
        top = QHBoxLayout()
        self.gap_count = QLabel()
        self.gap_count.setAccessibleName("Number of gaps")
        self.record_button = QPushButton("Record &training for this gap…")
        self.record_button.setAccessibleName("Record training for the chosen gap")
        top.addWidget(self.gap_count, 1)
        top.addWidget(self.record_button)
        # A role that may only read: the register's line under New says why, so does the tip.
        hold_refused(write_refusal("training_record"), self.record_button)
        self.gaps_table = QTableWidget(0, len(GAP_COLUMNS))
        self.gaps_table.setHorizontalHeaderLabels(list(GAP_COLUMNS))
        self.gaps_table.setAccessibleName("Competence gaps")
        self.gaps_table.verticalHeader().hide()
        self.gaps_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.gaps_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.gaps_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.gaps_table.setAlternatingRowColors(True)
        self.gaps_table.setShowGrid(False)
        self.gaps_table.setTabKeyNavigation(False)
        self.gaps_table.setWordWrap(False)
        header = self.gaps_table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.gaps_empty = empty_state_label("No gaps")
        self.gaps_stack = QStackedWidget()
        self.gaps_stack.addWidget(self.gaps_table)
        self.gaps_stack.addWidget(self.gaps_empty)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.gaps_stack, 1)

    # --- What the main window calls ---------------------------------------------------------

    def _current_register(self) -> RegisterScreen | None:
        current = self.tabs.currentWidget()
        return current if isinstance(current, RegisterScreen) else None

    def reload(self) -> None:
        self.roles_screen.reload()
        self.training_screen.reload()
        self.refresh_gaps()

    def new_record(self) -> None:
        """A new record in the open tab; from the gaps, a new training record."""
        screen = self._current_register()
        if screen is None:
            self.tabs.setCurrentWidget(self.training_screen)
            screen = self.training_screen
        screen.new_record()

    def focus_search(self) -> None:
        screen = self._current_register()
        if screen is None:
            self.gaps_table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        screen.focus_search()

    def save(self) -> bool:
        screen = self._current_register()
        saved = screen.save() if screen is not None else False
        if saved:
            self.refresh_gaps()
        return saved

    def has_unsaved_changes(self) -> bool:
        return self.roles_screen.has_unsaved_changes() or \
            self.training_screen.has_unsaved_changes()

    # --- Gaps ------------------------------------------------------------------------------

    def gaps(self) -> list[competence.Gap]:
        return list(self._gaps)

    def refresh_gaps(self, *_args: object) -> None:
        self._gaps = competence.gaps(clock.today())
        table = self.gaps_table
        table.setRowCount(len(self._gaps))
        for row, gap in enumerate(self._gaps):
            cells = (gap.person.full_name, gap.competence.role.title, gap.competence.name,
                     gap.reason[:1].upper() + gap.reason[1:])
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(GAP_ID_ROLE, row)
                table.setItem(row, column, item)
        count = len(self._gaps)
        self.gap_count.setText("No gaps" if not count else formatting.plural(count, "gap"))
        self.tabs.setTabText(0, "&Gaps" if not count else f"&Gaps ({count})")
        if count:
            table.resizeColumnsToContents()
            for column in range(table.columnCount() - 1):
                table.setColumnWidth(column, min(table.columnWidth(column) + 20, 260))
            self.gaps_stack.setCurrentWidget(table)
        else:
            self.gaps_empty.setText(
                "No gaps: everyone holds a valid record for every competence their roles "
                "require. Add what each role needs on the Required by role tab.")
            self.gaps_stack.setCurrentWidget(self.gaps_empty)
        self._update_gap_button()

    def _update_gap_button(self) -> None:
        self.record_button.setEnabled(self.gaps_table.currentRow() >= 0 and bool(self._gaps))

    def record_training_for_gap(self) -> None:
        """Open a new training record for the chosen gap's person and competence."""
        row = self.gaps_table.currentRow()
        if not 0 <= row < len(self._gaps):
            return
        gap = self._gaps[row]
        self.tabs.setCurrentWidget(self.training_screen)
        self.training_screen.new_record()
        form = self.training_screen.form
        if not form.is_new():
            return  # the user kept unsaved changes to another record
        for name, value in (("person", gap.person.id), ("competence", gap.competence.id)):
            combo = form.editor(name)
            if isinstance(combo, QComboBox):
                combo.setCurrentIndex(max(combo.findData(value), 0))
        title = form.editor("title")
        if hasattr(title, "setText"):
            title.setText(gap.competence.name)
        form.editor("completed_on").setFocus(Qt.FocusReason.OtherFocusReason)
