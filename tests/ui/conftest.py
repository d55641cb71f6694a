"""Fixtures shared by the window's tests: a widget shown as a user would see it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from qms_desktop import db, organisation
from ui.shell.main_window import MainWindow

Shown = TypeVar("Shown", bound=QWidget)


@pytest.fixture
def show(qtbot: QtBot) -> Callable[..., QWidget]:
    """Show a widget at a given size (None: its own) and make it the active window, since
    keyboard focus needs one; qtbot closes it after the test."""

    def shown(widget: Shown, size: tuple[int, int] | None = (1280, 800)) -> Shown:
        qtbot.addWidget(widget)
        if size:
            widget.resize(*size)
        widget.show()
        qtbot.waitExposed(widget)
        widget.activateWindow()
        qtbot.waitUntil(widget.isActiveWindow)
        return widget

    return shown


# --- The live window: the real main window on a real database -------------------------------


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> Iterator[None]:
    """Window state goes to this test's own folder, not to the session's config: what one
    test leaves (a folded panel, a dragged handle) never lays out another's screen."""
    folder = str(tmp_path / "settings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    yield


@pytest.fixture
def live_window(qtbot: QtBot, store: db.Store, own_settings: None) -> MainWindow:
    """The main window on a freshly set-up organisation, shown, on the overview; each test's
    database has its own change feed, so each window has its own bridge."""
    organisation.set_up(organisation.OrganisationSetup(
        name="Kestrel Fabrication", sites=["Main works"], currency="EUR", user_name="Test User",
    ))
    window = MainWindow(store)
    # pytest-qt closes the window after the test: a test that failed half-way may leave a
    # form unsaved, and closing must not wait on a question nobody will answer.
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def shown_text(widget: QWidget) -> str:
    """Every piece of text the user can see in `widget`: labels, fields, buttons, the choices
    of drop-downs and each cell of the lists and tables that are shown, one per line."""
    parts: list[str] = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisible():
            continue
        if isinstance(child, QLabel | QAbstractButton | QLineEdit):
            parts.append(child.text())
        elif isinstance(child, QPlainTextEdit | QTextEdit):
            parts.append(child.toPlainText())
        elif isinstance(child, QComboBox):
            parts.extend(child.itemText(i) for i in range(child.count()))
        elif isinstance(child, QAbstractItemView) and child.model() is not None:
            parts.extend(_model_text(child.model(), QModelIndex()))
    return "\n".join(parts)


def _model_text(model: QAbstractItemModel, parent: QModelIndex) -> list[str]:
    texts: list[str] = []
    try:
        columns = model.columnCount(parent)
    except TypeError:  # a list's model keeps its one column to itself
        columns = 1
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            texts.append(str(model.data(index) or ""))
            if column == 0 and model.rowCount(index):  # a tree's children
                texts.extend(_model_text(model, index))
    return texts


@pytest.fixture
def screen_text() -> Callable[[QWidget], str]:
    return shown_text


@pytest.fixture
def go_to(qtbot: QtBot) -> Callable[[MainWindow, str], QWidget]:
    """Open a sidebar entry with a mouse click, as a user does; returns its screen."""

    def click(window: MainWindow, key: str) -> QWidget:
        item = window.sidebar.items[key]
        window.sidebar.scrollToItem(item)
        rect = window.sidebar.visualItemRect(item)
        qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        screen = window.screens[key]
        qtbot.waitUntil(screen.isVisible)
        return screen

    return click
