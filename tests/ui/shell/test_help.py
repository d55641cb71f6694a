"""Help: the offline guide from the menu and F1, and the sample company in a window of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qms_desktop import db
from qms_desktop.models import Organisation
from ui.shell import help_dialog
from ui.shell.help_dialog import GUIDE, HelpDialog
from ui.shell.main_window import MainWindow


def test_f1_opens_the_guide_with_its_three_parts(qtbot: QtBot, live_window: MainWindow) -> None:
    live_window.activateWindow()
    qtbot.waitUntil(live_window.isActiveWindow)
    qtbot.keyClick(live_window, Qt.Key.Key_F1)
    dialog = live_window.help_dialog
    assert isinstance(dialog, HelpDialog)
    qtbot.waitExposed(dialog)
    text = dialog.browser.toPlainText()
    for heading in ("Getting started", "The standard in plain words", "Keyboard shortcuts"):
        assert heading in text
    # Every shortcut the window's own menus give is in the guide.
    for action in (live_window.new_action, live_window.find_action, live_window.save_action,
                   live_window.quit_action, live_window.guide_action):
        key = action.shortcut().toString()
        assert key and key in text, key


def test_the_menu_opens_the_guide_at_the_part_asked_for(
    qtbot: QtBot, live_window: MainWindow
) -> None:
    live_window.keys_action.trigger()
    dialog = live_window.help_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    bar = dialog.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)  # scrolled down to the shortcuts
    live_window.guide_action.trigger()
    assert live_window.help_dialog is dialog  # the same window, back at the top
    assert bar.value() == 0


def test_the_guide_quotes_no_text_of_the_standard() -> None:
    """Plain words of our own: none of the standard's well-known phrases."""
    text = GUIDE.read_text(encoding="utf-8").lower()
    for phrase in ("the organization shall", "shall determine", "documented information",
                   "shall establish, implement, maintain"):
        assert phrase not in text


def test_open_the_sample_company_fills_its_own_file_then_starts_a_window(
    qtbot: QtBot, live_window: MainWindow, store: db.Store, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    sample = tmp_path / "data" / "sample-company.db"
    monkeypatch.setattr(help_dialog, "sample_path", lambda: sample)
    started: list[list[str]] = []
    live_window.start_process = lambda command: started.append(command) or True
    ours_before = Organisation.get().name

    live_window.sample_action.trigger()
    assert not live_window.sample_action.isEnabled()  # no second run while this one works
    qtbot.waitUntil(lambda: bool(started), timeout=120_000)

    assert started[0][-2:] == ["--db", str(sample)]
    assert started[0][1].endswith("main.py")
    assert sample.stat().st_size > 0
    qtbot.waitUntil(live_window.sample_action.isEnabled)
    assert "window of its own" in live_window.statusBar().currentMessage()
    # This window's database is untouched.
    assert Organisation.get().name == ours_before == "Kestrel Fabrication"
    with db.open_database(sample) as opened:
        assert opened.path == sample
        assert Organisation.select().count() == 1
        assert Organisation.get().name != ours_before
    # The second time, the file is opened as it is, not filled again.
    size = sample.stat().st_size
    live_window.sample_action.trigger()
    qtbot.waitUntil(lambda: len(started) == 2)
    assert sample.stat().st_size == size


def test_a_sample_that_cannot_be_filled_says_so_instead_of_waiting_for_ever(
    qtbot: QtBot, live_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.setattr(help_dialog, "sample_path", lambda: tmp_path / "sample-company.db")
    monkeypatch.setattr(help_dialog, "app_command",
                        lambda *args: [str(tmp_path / "no-such-program"), *args])
    opener = help_dialog.SampleOpener(live_window)
    with qtbot.waitSignal(opener.finished, timeout=10_000) as said:
        opener.open()
    assert said.args == ["The sample company could not be prepared: the app could not be "
                         "started again to fill it."]
    assert opener.progress is not None and not opener.progress.isVisible()
    assert not (tmp_path / "sample-company.db").exists()
