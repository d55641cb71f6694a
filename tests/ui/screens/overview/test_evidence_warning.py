"""The overview says when the evidence was altered outside the app, and the file still opens:
the same report as `check`, found on a thread of its own after the window has painted."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import db, organisation, registers
from qms_desktop.catalogue import PEOPLE
from ui.screens.overview.overview import OverviewScreen
from ui.shell.main_window import MainWindow

GoTo = Callable[[MainWindow, str], QWidget]


def _open_window(qtbot: QtBot, store: db.Store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def _overview(window: MainWindow, go_to: GoTo) -> OverviewScreen:
    overview = go_to(window, "overview")
    assert isinstance(overview, OverviewScreen)
    return overview


def test_the_overview_warns_of_a_record_changed_outside_the_app(
        qtbot: QtBot, store: db.Store, own_settings: None, go_to: GoTo) -> None:
    organisation.set_up(organisation.OrganisationSetup(
        name="Kestrel Fabrication", sites=["Main works"], currency="EUR", user_name="Test User",
    ))
    person = registers.save(PEOPLE, None, {"full_name": "Asha Rao", "job_title": "Inspector"})
    tamper = sqlite3.connect(store.path)
    with tamper:
        tamper.execute("UPDATE person SET job_title = 'Director' WHERE id = ?", (person.id,))
    tamper.close()

    overview = _overview(_open_window(qtbot, store), go_to)

    qtbot.waitUntil(lambda: overview.evidence_report is not None, timeout=15_000)
    warning = overview.evidence_warning
    assert warning.isVisible()
    assert "Person “Asha Rao”" in warning.text()
    assert "its job title reads “Director” but its history says “Inspector”" in warning.text()
    # The file is open all the same: the overview reads it as usual.
    qtbot.waitUntil(lambda: "Kestrel Fabrication" in overview.organisation_label.text())


def test_the_overview_shows_no_warning_when_the_evidence_holds(
        qtbot: QtBot, live_window: MainWindow, go_to: GoTo) -> None:
    overview = _overview(live_window, go_to)
    qtbot.waitUntil(lambda: overview.evidence_report is not None, timeout=15_000)
    assert overview.evidence_report == ""
    assert not overview.evidence_warning.isVisible()
