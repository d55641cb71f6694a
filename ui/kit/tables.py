"""Read-only tables and register tables: columns, dates in cells, rows that carry their
record's id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from qms_desktop.registers import Register
from ui.kit.register_model import RegisterTableModel
from ui.kit.theme import error_color
from ui.kit.widgets import empty_state_label, setup_readonly_table

AnyIndex = QModelIndex | QPersistentModelIndex


MAX_COLUMN_WIDTH = 300


def column_of(register: Register, path: str) -> int:
    return [c.path for c in register.columns].index(path)


class LateDateDelegate(QStyledItemDelegate):
    """Paints a date cell in the error colour when `is_late(index)` says so."""

    def __init__(self, is_late: Callable[[AnyIndex], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._is_late = is_late

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        if self._is_late(index):
            colour = error_color(option.palette)
            option.palette.setColor(QPalette.ColorRole.Text, colour)
            font = option.font
            font.setBold(True)
            option.font = font


def cell_date(index: AnyIndex, column: int) -> dt.date | None:
    text = index.sibling(index.row(), column).data() or ""
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def register_table(model: RegisterTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    setup_readonly_table(table, name)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    query = model.query()
    header.setSortIndicator(
        query.sort_column,
        Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder,
    )
    table.setSortingEnabled(True)
    return table


def size_columns(table: QTableView, maximum: int = MAX_COLUMN_WIDTH) -> None:
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    model = table.model()
    for column in range(model.columnCount() - 1):
        header.resizeSection(column, min(max(header.sectionSize(column) + 16, 80), maximum))


def empty_state(text: str) -> QLabel:
    return empty_state_label("Nothing to list", text)


def make_table(name: str, headings: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headings))
    table.setHorizontalHeaderLabels(headings)
    setup_readonly_table(table, name)
    return table


def fill_table(table: QTableWidget, rows: list[tuple[str, list[str]]]) -> None:
    """Rows of (record id, cells); the id rides on the first cell."""
    table.setRowCount(len(rows))
    for row, (record_id, cells) in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, record_id)
            table.setItem(row, column, item)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for column in range(table.columnCount() - 1):
        header.resizeSection(column, min(max(header.sectionSize(column) + 16, 80), 260))


def selected_id(table: QTableWidget) -> str:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""


def select_item_with(view: QListWidget, role: int | Qt.ItemDataRole, value: object) -> bool:
    """Make the first item whose `role` data is `value` the current one; False if none is."""
    for row in range(view.count()):
        item = view.item(row)
        if item.data(role) == value:
            view.setCurrentItem(item)
            return True
    return False
