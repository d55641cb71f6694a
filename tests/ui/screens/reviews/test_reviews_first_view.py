"""At 1024 x 640, the smallest laptop we support, the review's meeting details are the first
thing the Preparation step shows: date, place, chair, period and cut-off without scrolling,
even with the reminder bar above the screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import db
from qms_desktop.models import ManagementReview
from tests.ui.shell.fit_check import Settling
from ui.screens.reviews.reviews_screen import REVIEW_ROLE, ReviewsScreen
from ui.shell.main_window import MainWindow, window_settings


@pytest.fixture
def window(qtbot: QtBot, sample_store: db.Store) -> Iterator[MainWindow]:
    window_settings().clear()  # a first start: no splitter or size left by another run
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    window.setWindowState(Qt.WindowState.WindowNoState)
    yield window


def _planned_review_shown(window: MainWindow) -> ReviewsScreen:
    screen = window.open_screen("reviews")
    assert isinstance(screen, ReviewsScreen)
    planned = ManagementReview.get(ManagementReview.status == "planned")
    rows = [screen.review_list.item(i) for i in range(screen.review_list.count())]
    screen.review_list.setCurrentItem(
        next(row for row in rows if row.data(REVIEW_ROLE) == planned.id))
    screen.tabs.setCurrentWidget(screen.before_tab)
    return screen


def _in_view(field: QWidget, viewport: QWidget) -> bool:
    shown = QRect(field.mapTo(viewport, QPoint(0, 0)), field.size())
    return field.isVisible() and viewport.rect().contains(shown)


@pytest.mark.parametrize("width, height", [(1024, 640), (1366, 768)], ids=["1024x640", "1366x768"])
def test_the_meeting_details_show_without_scrolling_on_a_laptop(
        qtbot: QtBot, window: MainWindow, width: int, height: int) -> None:
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    screen = _planned_review_shown(window)
    tab = screen.before_tab
    qtbot.waitUntil(lambda: tab.date_edit.text() != "" and bool(tab.chair_combo.currentData()))
    # Laid out to the end first: the viewport is tall before the labels wrap to their width.
    qtbot.waitUntil(Settling(window), timeout=20_000)
    # The whole details form, down to its last field ("Figures as of"), and its fields.
    fields = (tab.details_panel, tab.date_edit, tab.place_edit, tab.chair_combo,
              tab.minute_combo, tab.period_start_edit, tab.period_end_edit, tab.cut_off_edit)
    hidden = [field.accessibleName() for field in fields if not _in_view(field, tab.viewport())]
    assert not hidden, f"scrolled out of sight at {width} x {height}: {hidden}"
    assert tab.verticalScrollBar().value() == 0  # seen from the top, not scrolled to them
    body = tab.widget()
    assert body is not None
    check_at = tab.check_panel.mapTo(body, QPoint(0, 0))
    details_at = tab.details_panel.mapTo(body, QPoint(0, 0))
    if width == 1024:
        # Too narrow for two columns: the pre-meeting check waits under the details.
        assert check_at.y() > details_at.y() + tab.details_panel.height()
    else:
        # Beside the details, its top in view too.
        assert check_at.x() > details_at.x() + tab.details_panel.width()
        assert check_at.y() < tab.viewport().height()
