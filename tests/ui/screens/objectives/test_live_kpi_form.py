"""From the walkthrough: the KPI form's process list offers a process added on the Processes
screen, and what the user had typed in the form stays."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import catalogue, kpis, registers
from qms_desktop.models import Kpi
from qms_desktop.objective_registers import KPIS
from tests.ui.interact import add_in_register
from ui.kit.register_screen import RegisterScreen
from ui.screens.objectives.objectives_screen import ObjectivesScreen
from ui.shell.main_window import MainWindow

GoTo = Callable[[MainWindow, str], QWidget]


def _choices(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_kpi_form_offers_a_process_added_elsewhere(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo
) -> None:
    registers.save(catalogue.PROCESSES, None, {"name": "Cutting"})
    screen = go_to(live_window, "objectives")
    assert isinstance(screen, ObjectivesScreen)
    bar = screen.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    kpis = screen.kpi_register
    qtbot.waitUntil(kpis.isVisible)
    qtbot.mouseClick(kpis.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(kpis.form.editor("name"), "First-pass yield")
    process_combo = kpis.form.editor("process")
    assert isinstance(process_combo, QComboBox)
    assert "Cutting" in _choices(process_combo)
    assert "Powder coating" not in _choices(process_combo)

    processes = go_to(live_window, "processes")
    assert isinstance(processes, RegisterScreen)
    add_in_register(qtbot, processes, "name", "Powder coating")
    go_to(live_window, "objectives")

    qtbot.waitUntil(lambda: "Powder coating" in _choices(process_combo))
    assert kpis.form.editor("name").text() == "First-pass yield"  # the typing stays
    process_combo.setCurrentIndex(process_combo.findText("Powder coating"))
    qtbot.mouseClick(kpis.save_button, Qt.MouseButton.LeftButton)
    kpi = Kpi.get(Kpi.name == "First-pass yield")
    assert kpi.process.name == "Powder coating"


def test_the_kpi_chart_draws_a_reading_saved_elsewhere(
    qtbot: QtBot, live_window: MainWindow, go_to: GoTo
) -> None:
    kpi = registers.save(KPIS, None, {"name": "Scrap rate", "frequency": "monthly"})
    assert isinstance(kpi, Kpi)
    screen = go_to(live_window, "objectives")
    assert isinstance(screen, ObjectivesScreen)
    screen.show_tab(1)
    assert screen.kpi_register.show_record(kpi.id)
    panel = screen.kpi_panel
    qtbot.waitUntil(panel.latest_label.isVisible)
    assert panel.latest_label.text() == "No readings yet"
    assert not panel.chart.isVisible()

    kpis.save_reading(kpi, kpis.last_complete_period("monthly"), 3.5)

    qtbot.waitUntil(panel.chart.isVisible)
    assert panel.latest_label.text().startswith("Latest 3.5 in ")
    assert panel.chart.data is not None and panel.chart.data.segments[-1][-1][1] == 3.5
