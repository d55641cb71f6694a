"""A register as a Qt table model: rows come from `registers.fetch_page` in keyset batches.

The view asks for more rows as the user scrolls (`canFetchMore`/`fetchMore`), so opening a
register of 20,000 rows costs one page. Sorting and searching re-query the database and
start paging again; nothing is sorted or filtered in Python.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from qms_desktop import registers
from qms_desktop.registers import Query, Register, Row

AnyIndex = QModelIndex | QPersistentModelIndex

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ARCHIVED_ROLE = Qt.ItemDataRole.UserRole + 2


def default_query(register: Register) -> Query:
    """The order a register opens in: its declared default sort, else the first column."""
    paths = [c.path for c in register.columns]
    column = paths.index(register.default_sort) if register.default_sort in paths else 0
    return Query(sort_column=column)


class RegisterTableModel(QAbstractTableModel):
    def __init__(self, register: Register, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._register = register
        self._labels = registers.column_labels(register)
        self._query = default_query(register)
        self._rows: list[Row] = []
        # Nothing read yet: the first `fetchMore` (from a view, or `set_query`) reads page one.
        self._exhausted = False
        self._total: int | None = None
        # True while a reset or an insert is being announced. Views and testers react to those
        # signals by asking for more rows; inserting then would nest one change in another and
        # show later listeners rows before the reset they have not yet seen.
        self._changing = False

    # --- Reading ------------------------------------------------------------------------

    @property
    def register(self) -> Register:
        return self._register

    def query(self) -> Query:
        """A copy of the current query; change it and pass it to `set_query`."""
        return Query(**vars(self._query))

    def set_query(self, query: Query, keep_rows: bool = False) -> None:
        """Start again from the first page of `query`; with `keep_rows`, read as many rows
        as were fetched before, so a view scrolled down several pages stays where it was."""
        self._changing = True
        try:
            self.beginResetModel()
            limit = max(len(self._rows), registers.PAGE_SIZE) if keep_rows else None
            self._query = Query(**vars(query))
            self._total = None
            self._rows = []
            self._rows = self._next_batch(limit or registers.PAGE_SIZE)
            self.endResetModel()
        finally:
            self._changing = False

    def refresh(self) -> None:
        """Re-read the current query and the rows fetched so far, e.g. after a save or an
        archive, or when another screen changed the register."""
        self.set_query(self._query, keep_rows=True)

    def total(self) -> int:
        """How many rows the current query matches, fetched or not."""
        if self._total is None:
            self._total = registers.count(self._register, self._query)
        return self._total

    def record_id(self, row: int) -> str:
        return self._rows[row].id

    def row_data(self, row: int) -> Row:
        return self._rows[row]

    def is_archived(self, row: int) -> bool:
        return self._rows[row].archived

    def row_of(self, record_id: str) -> int:
        """The row holding `record_id` among the rows fetched so far, or -1."""
        for number, row in enumerate(self._rows):
            if row.id == record_id:
                return number
        return -1

    def _next_batch(self, size: int = registers.PAGE_SIZE) -> list[Row]:
        after = self._rows[-1] if self._rows else None
        # One row more than asked for tells whether more exist without a second query.
        rows = registers.fetch_page(self._register, self._query, after=after, limit=size + 1)
        self._exhausted = len(rows) <= size
        return rows[:size]

    # --- QAbstractItemModel ------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._labels)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: AnyIndex) -> None:
        if parent.isValid() or self._exhausted or self._changing:
            return
        batch = self._next_batch()
        if not batch:
            return
        first = len(self._rows)
        self._changing = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()
        finally:
            self._changing = False

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            text = row.cells[index.column()]
            return f"{text} (archived)" if row.archived else (text or None)
        if role == Qt.ItemDataRole.ForegroundRole and row.archived:
            return QGuiApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and row.archived:
            font = QFont()
            font.setItalic(True)
            return font
        if role == RECORD_ID_ROLE:
            return row.id
        if role == ARCHIVED_ROLE:
            return row.archived
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._labels[section] if 0 <= section < len(self._labels) else None
        return str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._labels):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if column == self._query.sort_column and descending == self._query.descending:
            return
        query = self.query()
        query.sort_column = column
        query.descending = descending
        self.set_query(query)
