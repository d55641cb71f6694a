"""From the walkthrough: the RACI matrix shows a process added on the Processes screen, and
its summary counts the rows it shows (it once said "0 processes" after one was added, and
later a green "every row has one A and at least one R" while the new row was missing)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import catalogue, raci, registers
from qms_desktop.models import Process, Role
from ui.kit.register_screen import RegisterScreen
from ui.screens.responsibilities.responsibilities_screen import ResponsibilitiesScreen
from ui.shell.main_window import MainWindow

GoTo = Callable[[MainWindow, str], QWidget]


def _open_raci(qtbot: QtBot, window: MainWindow, go_to: GoTo) -> ResponsibilitiesScreen:
    screen = go_to(window, "responsibilities")
    assert isinstance(screen, ResponsibilitiesScreen)
    bar = screen.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.waitUntil(screen.raci_editor.isVisible)
    return screen


def _add_process(qtbot: QtBot, window: MainWindow, go_to: GoTo, name: str) -> None:
    processes = go_to(window, "processes")
    assert isinstance(processes, RegisterScreen)
    qtbot.mouseClick(processes.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(processes.form.editor("name"), name)
    with qtbot.waitSignal(processes.status_message):
        qtbot.mouseClick(processes.save_button, Qt.MouseButton.LeftButton)


def _rows(screen: ResponsibilitiesScreen) -> list[str]:
    model = screen.raci_editor.model
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def test_the_matrix_shows_a_process_added_on_another_screen(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo
) -> None:
    registers.save(catalogue.ROLES, None, {"title": "Production manager"})
    screen = _open_raci(qtbot, live_window, go_to)
    editor = screen.raci_editor
    assert editor.stack.currentWidget() is editor.empty_label
    assert editor.summary_label.text().startswith("0 processes")

    _add_process(qtbot, live_window, go_to, "Powder coating")
    go_to(live_window, "responsibilities")

    qtbot.waitUntil(lambda: _rows(screen) == ["Powder coating"])
    assert editor.stack.currentWidget() is editor.table
    assert editor.summary_label.text() == "1 process · 1 role · 1 row needs attention"


def test_the_summary_never_stays_green_over_a_row_it_does_not_show(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo
) -> None:
    manager, welder = (registers.save(catalogue.ROLES, None, {"title": t})
                       for t in ("Production manager", "Welder"))
    cutting = registers.save(catalogue.PROCESSES, None, {"name": "Cutting"})
    assert isinstance(cutting, Process) and isinstance(manager, Role)
    assert isinstance(welder, Role)
    raci.set_letter(cutting, manager, "A")
    raci.set_letter(cutting, welder, "R")
    screen = _open_raci(qtbot, live_window, go_to)
    assert screen.raci_editor.summary_label.text() == (
        "1 process · 2 roles · every row has one A and at least one R")

    _add_process(qtbot, live_window, go_to, "Welding")
    go_to(live_window, "responsibilities")

    qtbot.waitUntil(lambda: _rows(screen) == ["Cutting", "Welding"])
    assert screen.raci_editor.summary_label.text() == (
        "2 processes · 2 roles · 1 row needs attention")
