"""The action tracker keeps its place when an action is raised elsewhere: the rows read so
far, the chosen action and the scroll position."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from qms_desktop import actions, catalogue, clock, organisation, registers
from qms_desktop.models import database
from qms_desktop.registers import PAGE_SIZE
from ui.screens.actions.actions_screen import ActionsScreen
from ui.shell.main_window import MainWindow


def test_the_list_keeps_its_rows_choice_and_scroll_after_a_change(
    qtbot: QtBot, live_window: MainWindow
) -> None:
    due = clock.today() + dt.timedelta(days=60)
    with database.atomic():
        for number in range(PAGE_SIZE * 2 + 30):
            actions.raise_improvement(f"Action {number:04d}", None, due)
    screen = live_window.open_screen("actions")
    assert isinstance(screen, ActionsScreen)
    table, model = screen.table, screen.model
    for _ in range(3):  # the view reads more rows as it is scrolled to the end
        table.scrollToBottom()
        qtbot.waitUntil(lambda: model.rowCount() > PAGE_SIZE)
    fetched = model.rowCount()
    chosen = model.record_id(PAGE_SIZE + 5)
    assert screen.select_action(chosen)
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum() - 2)
    scrolled = bar.value()

    actions.raise_improvement("Action raised elsewhere", None, due)

    total = PAGE_SIZE * 2 + 31
    qtbot.waitUntil(lambda: screen.count_label.text() == f"{total:,} actions")
    assert model.rowCount() >= fetched
    assert model.record_id(table.selectionModel().currentIndex().row()) == chosen
    assert screen.action is not None and screen.action.id == chosen
    qtbot.waitUntil(lambda: bar.value() == scrolled)


def test_mine_follows_the_user_s_name_changed_in_the_settings(
    qtbot: QtBot, live_window: MainWindow
) -> None:
    registers.save(catalogue.PEOPLE, None, {"full_name": "Amira Haddad"})
    screen = live_window.open_screen("actions")
    assert isinstance(screen, ActionsScreen)
    assert screen.current_person() is None
    assert screen.person_combo.isVisible()  # nobody is "me" yet: choose whose actions

    organisation.set_user_name("Amira Haddad")

    qtbot.waitUntil(lambda: not screen.person_combo.isVisible())
    assert screen.mine_button.toolTip() == "Only actions owned by Amira Haddad"
