"""The interested parties screen on a small laptop (1024 x 640): the chosen party's fields and
its requirements list are both in sight, neither squeezed to nothing by the other."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import db, organisation, records
from qms_desktop.models import InterestedParty, PartyRequirement
from tests.ui.interact import click_row_at
from ui.screens.context.parties_screen import PartiesScreen
from ui.shell.main_window import MainWindow, window_settings

# Window state goes to each test's own folder (tests/ui/conftest.py), not the session's config.
pytestmark = pytest.mark.usefixtures("own_settings")


@pytest.fixture
def organised(store: db.Store) -> db.Store:
    organisation.set_up(
        organisation.OrganisationSetup(
            name="Kestrel Fabrication", sites=["Main works"], currency="EUR",
            user_name="Test User",
        )
    )
    return store


def _shown_rect(widget: QWidget, within: QWidget) -> QRect:
    """Where `widget` sits in `within`'s coordinates, cut to what `within` shows."""
    top_left = widget.mapTo(within, QPoint(0, 0))
    return QRect(top_left, widget.size()).intersected(within.rect())


def test_party_fields_and_requirements_both_show_at_1024_by_640(
        qtbot: QtBot, organised: db.Store) -> None:
    party = records.create(
        InterestedParty, name="Equipment makers we supply (Hydraflow, Kestrel and others)",
        kind="customer")
    for text in ("Delivery on the promised date", "First-article inspection report",
                 "Parts made to the current drawing revision"):
        records.create(PartyRequirement, party=party, requirement=text, addressed=True,
                       how_addressed="Planning")
    window_settings().clear()  # no splitter sizes left by another test
    window = MainWindow(organised)
    qtbot.addWidget(window)
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    window.reminder.show()  # a bar of due actions takes its height above the screen
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    window.open_screen("parties")
    screen = window.screens["parties"]
    assert isinstance(screen, PartiesScreen)
    click_row_at(qtbot, screen.parties, 0)
    qtbot.waitUntil(lambda: screen.requirements.model.rowCount() == 3)

    fields = [screen.parties.form.editor(key) for key in ("name", "kind")]
    viewport = screen.parties.form.scroll_area.viewport()
    table = screen.requirements.table
    row_height = table.verticalHeader().defaultSectionSize()

    def both_in_sight() -> None:
        assert window.size().toTuple() == (1024, 640)
        # The party's first two fields are whole in its form, not scrolled or cut away.
        for field in fields:
            assert field.isVisible()
            assert _shown_rect(field, viewport).height() == field.height()
        # The requirements list shows at least two of the party's requirements.
        assert table.isVisible()
        assert table.viewport().height() >= 2 * row_height
        assert _shown_rect(table, window).height() == table.height()

    qtbot.waitUntil(both_in_sight)
