"""The first-run dialog on a real, empty database: set up an organisation or the sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from qms_desktop import db, organisation, policy, records
from qms_desktop.models import Person, Role, Site
from ui.shell.first_run import SAMPLE_CHOICE, SETUP_CHOICE, WELCOME_TITLE, FirstRunDialog


@pytest.fixture
def dialog(qtbot: QtBot, store: db.Store) -> FirstRunDialog:
    shown = FirstRunDialog()
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_empty_database_shows_the_welcome(dialog: FirstRunDialog) -> None:
    assert organisation.get_organisation() is None
    assert dialog.windowTitle() == WELCOME_TITLE
    assert dialog.pages.currentWidget() is dialog.welcome
    assert dialog.welcome.setup_button.text() == SETUP_CHOICE
    assert dialog.welcome.sample_button.text() == SAMPLE_CHOICE
    assert dialog.welcome.setup_button.accessibleName() == SETUP_CHOICE


def test_setting_up_saves_the_organisation_sites_and_user(
    qtbot: QtBot, dialog: FirstRunDialog
) -> None:
    qtbot.mouseClick(dialog.welcome.setup_button, Qt.MouseButton.LeftButton)
    page = dialog.setup_page
    assert dialog.pages.currentWidget() is page

    qtbot.keyClicks(page.name_edit, "Shakti Tools Pvt Ltd")
    qtbot.keyClicks(page.sites_edit, "Pune works")
    qtbot.keyClick(page.sites_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(page.sites_edit, "Chennai depot")
    # Arrow keys step through the featured currencies: USD, EUR, INR.
    page.currency_box.setFocus()
    qtbot.keyClick(page.currency_box, Qt.Key.Key_Down)
    qtbot.keyClick(page.currency_box, Qt.Key.Key_Down)
    assert page.currency_box.code() == "INR"
    qtbot.mouseClick(page.edition_buttons["2026"], Qt.MouseButton.LeftButton)
    page.user_name_edit.clear()
    qtbot.keyClicks(page.user_name_edit, "Priya Raman")
    # Enter in a field presses the default button, Create organisation.
    qtbot.keyClick(page.user_name_edit, Qt.Key.Key_Return)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice == "setup"
    found = organisation.get_organisation()
    assert found is not None
    assert (found.name, found.currency, found.edition) == ("Shakti Tools Pvt Ltd", "INR", "2026")
    assert sorted(s.name for s in Site.select()) == ["Chennai depot", "Pune works"]
    assert records.get_setting(records.USER_NAME_KEY) == "Priya Raman"
    # The owner is a person in a top-management role, with the starter roles beside it.
    owner = Person.get(Person.full_name == "Priya Raman")
    assert owner.job_title == "Managing Director"
    assert policy.is_top_management(owner)
    assert sorted(r.title for r in Role.select()) == sorted(
        ["Managing Director", *(r.title for r in organisation.STARTER_ROLES)])


def test_the_title_and_the_starter_roles_can_be_changed(
    qtbot: QtBot, dialog: FirstRunDialog
) -> None:
    qtbot.mouseClick(dialog.welcome.setup_button, Qt.MouseButton.LeftButton)
    page = dialog.setup_page
    qtbot.keyClicks(page.name_edit, "Kestrel Fabrication")
    page.owner_title_edit.selectAll()
    qtbot.keyClicks(page.owner_title_edit, "Owner")
    roles = page.roles_list
    # Untick "Sales Manager" with the space bar, rename "Internal Auditor" in place.
    sales = roles.findItems("Sales Manager", Qt.MatchFlag.MatchExactly)[0]
    roles.setFocus()
    roles.setCurrentItem(sales)
    qtbot.keyClick(roles.viewport(), Qt.Key.Key_Space)
    assert sales.checkState() == Qt.CheckState.Unchecked
    auditor = roles.findItems("Internal Auditor", Qt.MatchFlag.MatchExactly)[0]
    roles.setCurrentItem(auditor)
    qtbot.keyClick(roles.viewport(), Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: roles.viewport().findChild(QLineEdit) is not None)
    editor = roles.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Auditor")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: auditor.text() == "Auditor")  # the view commits it queued
    assert dialog.isVisible()  # Return ended the edit; it did not press Create
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    titles = {r.title: r.is_top_management for r in Role.select()}
    assert titles == {"Owner": True, "Quality Manager": False, "Production Manager": False,
                      "Purchasing Manager": False, "Auditor": False}


def test_an_empty_title_is_asked_for_and_nothing_is_saved(
    qtbot: QtBot, dialog: FirstRunDialog
) -> None:
    qtbot.mouseClick(dialog.welcome.setup_button, Qt.MouseButton.LeftButton)
    page = dialog.setup_page
    qtbot.keyClicks(page.name_edit, "Kestrel Fabrication")
    page.owner_title_edit.clear()
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)

    problem = page.problems["owner_title"]
    assert problem.isVisible() and "Give your title" in problem.text()
    assert page.owner_title_edit.hasFocus()
    assert organisation.get_organisation() is None
    assert not Person.select().exists() and not Role.select().exists()


def test_currency_is_found_by_its_name_or_code(dialog: FirstRunDialog) -> None:
    dialog.show_setup()
    box = dialog.setup_page.currency_box
    completer = box.completer()
    # What typing "Rupee" offers (set directly: the offscreen platform cannot show a popup).
    completer.setCompletionPrefix("Rupee")
    names = [
        completer.completionModel().index(row, 0).data()
        for row in range(completer.completionCount())
    ]
    assert any(name.startswith("INR") for name in names)
    completer.setCurrentRow(next(i for i, n in enumerate(names) if n.startswith("INR")))
    box.lineEdit().setText(completer.currentCompletion())
    assert box.code() == "INR"
    box.lineEdit().setText("aed")
    assert box.code() == "AED"


def test_empty_name_shows_a_message_and_saves_nothing(
    qtbot: QtBot, dialog: FirstRunDialog
) -> None:
    qtbot.mouseClick(dialog.welcome.setup_button, Qt.MouseButton.LeftButton)
    page = dialog.setup_page
    qtbot.keyClicks(page.sites_edit, "Head office")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)

    problem = page.problems["name"]
    assert problem.isVisible()
    assert "organisation's name" in problem.text()
    assert dialog.isVisible()
    assert organisation.get_organisation() is None
    assert Site.select().count() == 0
    assert records.get_setting(records.USER_NAME_KEY) == "Test User"


def test_escape_goes_back_then_closes(qtbot: QtBot, dialog: FirstRunDialog) -> None:
    dialog.show_setup()
    qtbot.keyClick(dialog.setup_page.name_edit, Qt.Key.Key_Escape)
    assert dialog.pages.currentWidget() is dialog.welcome
    assert dialog.isVisible()
    qtbot.keyClick(dialog.welcome.setup_button, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()


def test_sample_company_fills_the_database(
    qtbot: QtBot, dialog: FirstRunDialog, db_path: Path
) -> None:
    qtbot.mouseClick(dialog.welcome.sample_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice == "sample"
    assert organisation.get_organisation() is not None
    assert Person.select().count() >= 20
