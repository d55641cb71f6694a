"""Fixtures shared by the window's tests: a widget shown as a user would see it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

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
