"""The trend charts follow nonconformities raised elsewhere while the Trends tab is open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import catalogue, clock, nonconformities, registers
from qms_desktop.models import Process
from ui.screens.nonconformities.nonconformities_screen import (
    TRENDS_TAB,
    NonconformitiesScreen,
)
from ui.shell.main_window import MainWindow

GoTo = Callable[[MainWindow, str], QWidget]


def test_the_trend_charts_count_a_nonconformity_raised_elsewhere(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo
) -> None:
    welding = registers.save(catalogue.PROCESSES, None, {"name": "Welding"})
    assert isinstance(welding, Process)
    screen = go_to(live_window, "nonconformities")
    assert isinstance(screen, NonconformitiesScreen)
    bar = screen.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(TRENDS_TAB).center())
    qtbot.waitUntil(screen.trends.isVisible)
    assert screen.trends.by_process == {}

    nonconformities.create_nonconformity("Porous weld seam", clock.today(), process=welding)

    qtbot.waitUntil(lambda: screen.trends.by_process == {"Welding": 1})
    assert sum(month.raised for month in screen.trends.months) == 1
