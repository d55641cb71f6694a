"""Small pieces the review screen's tabs share: framed panels, scrolled pages, plain tables."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QWidget,
)

from ui.kit.widgets import setup_readonly_table


def panel(name: str) -> QFrame:
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setAccessibleName(name)
    return frame


def fixed_height_text(edit: QPlainTextEdit, lines: int) -> None:
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)


def plain_table(table: QTableWidget) -> None:
    setup_readonly_table(table, None, stretch_last=False, word_wrap=True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


def scrolled(area: QScrollArea, body: QWidget, name: str) -> None:
    """`area` shows `body`, scrolled when the window is too small for it."""
    area.setWidget(body)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setAccessibleName(name)
