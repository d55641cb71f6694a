"""The risks screen on a small laptop: the list keeps rows to read, the heat map folds away,
its axis labels stay whole where they can and say all in a tooltip where they cannot, and the
form's drop-downs cut a long choice with "…" rather than mid-letter."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip, QVBoxLayout, QWidget

from qms_desktop import clock, records, risks
from qms_desktop.models import ContextIssue, Risk
from ui.kit.fitting import ElidedComboBox, elides_by_design
from ui.screens.risks.risks_screen import LIST_MIN_ROWS, RisksScreen

# What a 1024 x 640 window leaves a screen: beside the sidebar, between menu and status bars.
SMALL = (800, 560)
LARGE = (1140, 700)


@pytest.fixture
def risks_shown(show, store):  # type: ignore[no-untyped-def]
    for number in range(12):
        records.create(Risk, title=f"Risk number {number}", likelihood=1 + number % 5,
                       impact=1 + number % 4)

    def shown(size: tuple[int, int]) -> RisksScreen:
        return show(RisksScreen(), size)

    return shown


def _rows_shown(screen: RisksScreen) -> int:
    table = screen.register_screen.table
    return table.viewport().height() // table.verticalHeader().defaultSectionSize()


def _impact_labels(screen: RisksScreen) -> list[tuple[str, str]]:
    """(as drawn, whole) for each impact label."""
    grid = screen.heat_map.grid
    return [(shown, whole) for _area, shown, whole in grid.axis_label_rects()[-grid_size(screen):]]


def grid_size(screen: RisksScreen) -> int:
    return risks.load_matrix().size


def test_a_short_window_keeps_rows_of_the_list_in_view(qtbot, risks_shown) -> None:  # type: ignore[no-untyped-def]
    screen = risks_shown(SMALL)
    qtbot.waitUntil(lambda: _rows_shown(screen) >= LIST_MIN_ROWS - 1)
    grid = screen.heat_map.grid
    assert grid.isVisible() and grid.height() >= grid.minimumSizeHint().height()
    # A new entry's form says what to do about actions, with no empty list taking room.
    assert screen.register_screen.form.record is None
    assert screen.actions_note.isVisible() and not screen.actions_list.isVisible()
    assert screen.actions_note.text().startswith("Save the entry first")


def test_the_list_keeps_its_rows_when_the_screen_is_built_in_a_window_already_shown(  # type: ignore[no-untyped-def]
        qtbot, show, store) -> None:
    for number in range(12):
        records.create(Risk, title=f"Risk number {number}", likelihood=2, impact=2)
    holder = show(QWidget(), SMALL)
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    screen = RisksScreen()
    layout.addWidget(screen)  # as the window's stack adds a screen the first time it opens
    qtbot.waitUntil(screen.isVisible)
    qtbot.waitUntil(lambda: _rows_shown(screen) >= LIST_MIN_ROWS - 1)


def test_folding_the_heat_map_gives_the_list_its_room(qtbot, risks_shown) -> None:  # type: ignore[no-untyped-def]
    screen = risks_shown(SMALL)
    table = screen.register_screen.table
    qtbot.waitUntil(lambda: _rows_shown(screen) >= LIST_MIN_ROWS - 1)
    before = table.height()

    qtbot.mouseClick(screen.heat_map.fold_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table.height() > before + 150)
    assert not screen.heat_map.grid.isVisible()
    assert not screen.legend.isVisible()
    assert screen.heat_map.fold_button.text() == "Heat map"  # says what it opens

    qtbot.mouseClick(screen.heat_map.fold_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.heat_map.grid.isVisible() and table.height() < before + 20)
    assert screen.legend.isVisible()


def test_impact_labels_take_two_rows_rather_than_cut_a_word(qtbot, risks_shown) -> None:  # type: ignore[no-untyped-def]
    screen = risks_shown(SMALL)
    grid = screen.heat_map.grid
    qtbot.waitUntil(grid.staggered)  # "Negligible" is wider than a narrow column
    assert all(shown == whole for shown, whole in _impact_labels(screen))
    areas = [area for area, _s, _w in grid.axis_label_rects()[-grid_size(screen):]]
    for left, right in itertools.pairwise(areas):  # neighbours sit on different rows
        assert left.top() != right.top() or not left.intersects(right)

    screen.window().resize(*LARGE)
    qtbot.waitUntil(lambda: not grid.staggered())
    assert all(shown == whole for shown, whole in _impact_labels(screen))


@pytest.mark.qt_log_ignore("does not support raise")  # the tooltip, on the test platform
def test_a_label_too_long_for_two_columns_is_cut_and_whole_in_its_tooltip(  # type: ignore[no-untyped-def]
        qtbot, risks_shown) -> None:
    matrix = risks.load_matrix()
    long_label = "Catastrophic and irreversible harm"
    matrix.impact_labels[2] = long_label
    risks.save_matrix(matrix)
    screen = risks_shown(SMALL)
    grid = screen.heat_map.grid
    qtbot.waitUntil(grid.staggered)
    cut = [(area, shown) for area, shown, whole in grid.axis_label_rects() if whole == long_label]
    assert len(cut) == 1
    area, shown = cut[0]
    assert shown.endswith("…") and long_label.startswith(shown[:-1])
    # Every other label is still whole.
    assert all(shown == whole for shown, whole in _impact_labels(screen) if whole != long_label)

    point = area.center()
    QApplication.sendEvent(grid, QHelpEvent(QEvent.Type.ToolTip, point, grid.mapToGlobal(point)))
    qtbot.waitUntil(lambda: QToolTip.text() == long_label)
    QToolTip.hideText()
    outside = QPoint(grid.width() - 2, 2)
    assert grid._label_at(outside) == ""


def test_a_long_choice_in_the_form_is_cut_with_an_ellipsis_and_whole_in_its_tooltip(  # type: ignore[no-untyped-def]
        qtbot, show, store) -> None:
    title = "Medical device makers looking for local suppliers of precision parts"
    issue = records.create(ContextIssue, kind="external", category="market", title=title,
                           identified_on=clock.today())
    risk = records.create(Risk, title="Medical work", likelihood=2, impact=3,
                          source_issue=issue)
    screen = show(RisksScreen(), SMALL)
    assert screen.register_screen.show_record(risk.id)
    combo = screen.form.combo("source_issue")
    assert isinstance(combo, ElidedComboBox)
    assert combo.currentText() == title
    qtbot.waitUntil(combo.is_elided)
    assert elides_by_design(combo)
    assert title in combo.toolTip()
    # Wide enough, the whole choice shows and the tooltip is only the field's own.
    combo.setMinimumWidth(combo.fontMetrics().horizontalAdvance(title) + 80)
    qtbot.waitUntil(lambda: not combo.is_elided())
    assert title not in combo.toolTip()


def _drag(qtbot, splitter, by: QPoint) -> None:  # type: ignore[no-untyped-def]
    handle = splitter.handle(1)
    start = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, start + by)
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start + by)


def test_the_heat_map_stays_as_the_user_left_it_next_time(qtbot, risks_shown) -> None:  # type: ignore[no-untyped-def]
    """The handles the user dragged and the folded map are the same in the next session."""
    first = risks_shown(LARGE)
    qtbot.waitUntil(lambda: _rows_shown(first) >= LIST_MIN_ROWS)
    _drag(qtbot, first._list_split, QPoint(0, -40))
    _drag(qtbot, first.register_screen.splitter, QPoint(-80, 0))
    heat = first._list_split.sizes()
    form = first.register_screen.splitter.sizes()
    first.close()

    second = risks_shown(LARGE)
    qtbot.waitUntil(lambda: second._list_split.sizes() == heat)
    qtbot.waitUntil(lambda: second.register_screen.splitter.sizes() == form)
    assert not second.heat_map.is_folded()
    qtbot.mouseClick(second.heat_map.fold_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not second.heat_map.grid.isVisible())
    second.close()

    third = risks_shown(SMALL)
    assert third.heat_map.is_folded()
    qtbot.waitUntil(lambda: _rows_shown(third) >= 10)
    assert not third.heat_map.grid.isVisible()
    assert third.heat_map.fold_button.text() == "Heat map"
