"""The first step's two columns: side by side when the tab is wide, one above the other when
it is narrow (a 1024-wide window), so the names in the drop-downs keep their room."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from ui.screens.reviews.before_tab import SIDE_BY_SIDE_WIDTH, BeforeTab


def _check_is_beside_details(tab: BeforeTab) -> bool:
    body = tab.widget()
    check = tab.check_panel.mapTo(body, QPoint(0, 0))
    chair = tab.chair_combo.mapTo(body, QPoint(0, 0))
    return check.x() > chair.x() + tab.chair_combo.width() and check.y() < chair.y()


def test_the_check_goes_under_the_details_when_the_tab_is_narrow(qtbot: QtBot) -> None:
    tab = BeforeTab()
    qtbot.addWidget(tab)
    tab.resize(SIDE_BY_SIDE_WIDTH + 100, 500)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: _check_is_beside_details(tab))
    tab.resize(SIDE_BY_SIDE_WIDTH - 200, 500)
    qtbot.waitUntil(lambda: tab.check_panel.mapTo(tab.widget(), QPoint(0, 0)).y()
                    > tab.chair_combo.mapTo(tab.widget(), QPoint(0, 0)).y())
    assert not _check_is_beside_details(tab)
    # The chair's drop-down keeps the width its longest name needs; the tab scrolls instead.
    assert tab.chair_combo.width() >= tab.chair_combo.minimumSizeHint().width()
    tab.resize(SIDE_BY_SIDE_WIDTH + 100, 500)
    qtbot.waitUntil(lambda: _check_is_beside_details(tab))
