"""The general register screen driven like a user would, over a real database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from qms_desktop import records
from qms_desktop.catalogue import ACTIONS, PEOPLE, PROCESSES
from qms_desktop.models import ChangeHistory, Person, Process, Site
from tests.ui.interact import click_row_at, retype
from ui.kit import register_screen
from ui.kit.record_form import NONE_LABEL, OptionalDateEdit
from ui.kit.register_screen import RegisterScreen


@pytest.fixture
def make_screen(show: Any, store: object) -> Iterator[Any]:
    def make(register: Any = PEOPLE) -> RegisterScreen:
        return show(RegisterScreen(register), (1100, 650))

    yield make


def _people(*names: str, **values: Any) -> list[Person]:
    return [records.create(Person, full_name=name, **values) for name in names]


def _names(screen: RegisterScreen) -> list[str]:
    model = screen.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _field(screen: RegisterScreen, name: str) -> Any:
    return screen.form.editor(name)


def _inside_calendar(widget: QWidget) -> bool:
    while widget is not None:
        if isinstance(widget, QCalendarWidget):
            return True
        widget = widget.parentWidget()
    return False


def test_add_a_person(qtbot: QtBot, make_screen: Any) -> None:
    screen = make_screen()
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is _field(screen, "full_name")
    qtbot.keyClicks(_field(screen, "full_name"), "Anna Smith")
    qtbot.keyClicks(_field(screen, "email"), "anna@example.com")
    assert screen.has_unsaved_changes()
    assert screen.save_button.isEnabled()

    with qtbot.waitSignal(screen.status_message) as message:
        qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)
    assert message.args == ["Added “Anna Smith”."]

    person = Person.get(Person.full_name == "Anna Smith")
    assert person.email == "anna@example.com"
    assert _names(screen) == ["Anna Smith"]
    assert screen.table.selectionModel().isRowSelected(0)
    assert screen.count_label.text() == "1 person"
    assert not screen.has_unsaved_changes()
    history = ChangeHistory.get(ChangeHistory.record_id == person.id)
    assert history.operation == "create"
    assert json.loads(history.changes)["full_name"] == "Anna Smith"
    assert history.changed_by == "Test User"


def test_bad_input_shows_inline_problems_and_keeps_the_text(
    qtbot: QtBot, make_screen: Any
) -> None:
    screen = make_screen()
    screen.new_record()
    qtbot.keyClicks(_field(screen, "email"), "not-an-email")
    qtbot.mouseClick(screen.save_button, Qt.MouseButton.LeftButton)

    assert screen.form.error_text("full_name") == "Name is required."
    assert "e-mail address" in screen.form.error_text("email")
    assert screen.form.error_text("job_title") == ""
    assert Person.select().count() == 0
    assert _field(screen, "email").text() == "not-an-email"
    assert screen.has_unsaved_changes()
    assert QApplication.focusWidget() is _field(screen, "full_name")  # the first field at fault

    qtbot.keyClicks(_field(screen, "full_name"), "Anna Smith")
    assert screen.form.error_text("full_name") == ""  # typing there clears its message
    retype(qtbot, _field(screen, "email"), "anna@example.com")
    assert screen.save()
    assert Person.select().count() == 1


def test_an_unreadable_date_is_reported_not_saved(qtbot: QtBot, make_screen: Any) -> None:
    screen = make_screen()
    screen.new_record()
    qtbot.keyClicks(_field(screen, "full_name"), "Ben Okafor")
    left_on = _field(screen, "left_on")
    assert isinstance(left_on, OptionalDateEdit)
    qtbot.keyClicks(left_on.line_edit, "2024-13-01")
    assert not screen.save()
    assert "2025-03-31" in screen.form.error_text("left_on")
    assert Person.select().count() == 0

    retype(qtbot, left_on.line_edit, "2024-12-01")
    assert not screen.save()  # still Active with a leaving date
    assert "untick Active" in screen.form.error_text("active")
    qtbot.keyClick(_field(screen, "active"), Qt.Key.Key_Space)
    assert screen.save()
    assert str(Person.get().left_on) == "2024-12-01"


def test_edit_an_existing_person(qtbot: QtBot, make_screen: Any) -> None:
    anna, _ben = _people("Anna Smith", "Ben Okafor")
    screen = make_screen()
    click_row_at(qtbot, screen, 0)
    assert screen.form.record is not None and screen.form.record.id == anna.id
    assert _field(screen, "full_name").text() == "Anna Smith"
    assert screen.archive_button.isEnabled()

    retype(qtbot, _field(screen, "full_name"), "Anna Smith-Jones")
    qtbot.keyClicks(_field(screen, "job_title"), "Quality manager")
    assert screen.save()

    anna = Person.get_by_id(anna.id)
    assert (anna.full_name, anna.job_title) == ("Anna Smith-Jones", "Quality manager")
    assert _names(screen) == ["Anna Smith-Jones", "Ben Okafor"]
    update = ChangeHistory.get(
        (ChangeHistory.record_id == anna.id) & (ChangeHistory.operation == "update")
    )
    assert json.loads(update.changes)["full_name"] == ["Anna Smith", "Anna Smith-Jones"]
    assert not screen.save()  # nothing left to save


def test_revert_puts_back_the_saved_values(qtbot: QtBot, make_screen: Any) -> None:
    _people("Anna Smith")
    screen = make_screen()
    click_row_at(qtbot, screen, 0)
    retype(qtbot, _field(screen, "full_name"), "Someone else")
    qtbot.mouseClick(screen.revert_button, Qt.MouseButton.LeftButton)
    assert _field(screen, "full_name").text() == "Anna Smith"
    assert not screen.has_unsaved_changes()


def test_link_field_offers_sites_and_none(qtbot: QtBot, make_screen: Any) -> None:
    leeds = records.create(Site, name="Leeds")
    _people("Anna Smith")
    screen = make_screen()
    click_row_at(qtbot, screen, 0)
    site = _field(screen, "site")
    assert [site.itemText(i) for i in range(site.count())] == [NONE_LABEL, "Leeds"]
    site.setCurrentIndex(1)
    assert screen.save()
    assert Person.get().site_id == leeds.id
    assert screen.model.index(0, 2).data() == "Leeds"


def test_search_narrows_the_table_and_escape_clears_it(qtbot: QtBot, make_screen: Any) -> None:
    _people("Anna Smith", "Ben Okafor", "Chloe Smith")
    screen = make_screen()
    assert screen.count_label.text() == "3 people"
    screen.focus_search()
    qtbot.keyClicks(screen.search_edit, "smith")
    qtbot.waitUntil(lambda: _names(screen) == ["Anna Smith", "Chloe Smith"])
    assert screen.count_label.text() == "2 people"

    qtbot.keyClick(screen.search_edit, Qt.Key.Key_Escape)
    assert screen.search_edit.text() == ""
    qtbot.waitUntil(lambda: len(_names(screen)) == 3)


def test_search_that_finds_nothing_says_so(qtbot: QtBot, make_screen: Any) -> None:
    _people("Anna Smith")
    screen = make_screen()
    qtbot.keyClicks(screen.search_edit, "zebra")
    qtbot.waitUntil(lambda: screen.list_stack.currentWidget() is screen.empty_label)
    assert "No people match “zebra”." in screen.empty_label.text()
    screen.search_edit.clear()
    qtbot.waitUntil(lambda: screen.list_stack.currentWidget() is screen.table)


def test_filter_combo(qtbot: QtBot, make_screen: Any) -> None:
    _people("Anna Smith", "Chloe Smith")
    _people("Ben Okafor", active=False)
    screen = make_screen()
    assert [screen.filter_combo.itemText(i) for i in range(screen.filter_combo.count())] == [
        "All",
        "Active",
        "Left",
    ]
    screen.filter_combo.setCurrentIndex(2)
    assert _names(screen) == ["Ben Okafor"]
    screen.filter_combo.setCurrentIndex(1)
    assert _names(screen) == ["Anna Smith", "Chloe Smith"]
    screen.filter_combo.setCurrentIndex(0)
    assert len(_names(screen)) == 3


def test_archive_then_undo(qtbot: QtBot, make_screen: Any) -> None:
    anna, _ben = _people("Anna Smith", "Ben Okafor")
    screen = make_screen()
    click_row_at(qtbot, screen, 0)
    qtbot.mouseClick(screen.archive_button, Qt.MouseButton.LeftButton)

    assert Person.get_by_id(anna.id).archived_at is not None
    assert screen.banner.isVisible()
    assert screen.banner_label.text() == "Archived “Anna Smith”."
    assert _names(screen) == ["Ben Okafor"]
    assert screen.form.record is not None and screen.form.record.full_name == "Ben Okafor"

    qtbot.mouseClick(screen.undo_button, Qt.MouseButton.LeftButton)
    assert Person.get_by_id(anna.id).archived_at is None
    assert not screen.banner.isVisible()
    assert _names(screen) == ["Anna Smith", "Ben Okafor"]
    assert screen.form.record is not None and screen.form.record.id == anna.id
    operations = [h.operation for h in records.history_of(anna)]
    assert operations == ["create", "archive", "restore"]


def test_archived_records_can_be_shown_and_restored(qtbot: QtBot, make_screen: Any) -> None:
    anna, _ben = _people("Anna Smith", "Ben Okafor")
    records.archive(anna)
    screen = make_screen()
    assert _names(screen) == ["Ben Okafor"]
    qtbot.mouseClick(screen.archived_check, Qt.MouseButton.LeftButton)
    assert _names(screen) == ["Anna Smith", "Ben Okafor"]
    assert screen.count_label.text() == "2 people"

    click_row_at(qtbot, screen, 0)
    assert screen.archive_button.text() == "&Restore"
    assert "Archived on" in screen.form.note_label.text()
    qtbot.mouseClick(screen.archive_button, Qt.MouseButton.LeftButton)
    assert Person.get_by_id(anna.id).archived_at is None
    assert screen.archive_button.text() == "&Archive"


def test_delete_key_archives_the_selected_row(qtbot: QtBot, make_screen: Any) -> None:
    anna, _ben = _people("Anna Smith", "Ben Okafor")
    screen = make_screen()
    click_row_at(qtbot, screen, 0)
    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    assert Person.get_by_id(anna.id).archived_at is not None
    assert screen.banner.isVisible()
    assert _names(screen) == ["Ben Okafor"]


def test_enter_in_the_table_opens_the_record_for_editing(qtbot: QtBot, make_screen: Any) -> None:
    _people("Anna Smith", "Ben Okafor")
    screen = make_screen()
    click_row_at(qtbot, screen, 1)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is _field(screen, "full_name"))
    assert _field(screen, "full_name").text() == "Ben Okafor"


def test_unsaved_changes_prompt_when_switching_rows(
    qtbot: QtBot, make_screen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    anna, ben = _people("Anna Smith", "Ben Okafor")
    screen = make_screen()
    click_row_at(qtbot, screen, 0)
    retype(qtbot, _field(screen, "full_name"), "Anna Edited")
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Any:
        def question(_parent: Any, _title: str, text: str, *_args: Any) -> Any:
            asked.append(text)
            return button

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    click_row_at(qtbot, screen, 1)
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert asked == ["Save the changes to “Anna Smith” first?"]
    assert screen.form.record is not None and screen.form.record.id == anna.id
    assert _field(screen, "full_name").text() == "Anna Edited"
    qtbot.waitUntil(lambda: screen.table.selectionModel().isRowSelected(0))
    assert not screen.table.selectionModel().isRowSelected(1)
    assert screen.has_unsaved_changes()

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    click_row_at(qtbot, screen, 1)
    qtbot.waitUntil(lambda: screen.form.record is not None and screen.form.record.id == ben.id)
    assert len(asked) == 2
    assert screen.table.selectionModel().isRowSelected(1)
    assert _field(screen, "full_name").text() == "Ben Okafor"
    assert Person.get_by_id(anna.id).full_name == "Anna Smith"
    assert not screen.has_unsaved_changes()

    retype(qtbot, _field(screen, "full_name"), "Aaron Saved")  # now sorts first
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Save))
    click_row_at(qtbot, screen, 0)  # Anna's row
    qtbot.waitUntil(lambda: screen.form.record is not None and screen.form.record.id == anna.id)
    assert Person.get_by_id(ben.id).full_name == "Aaron Saved"
    assert _names(screen) == ["Aaron Saved", "Anna Smith"]
    assert screen.table.selectionModel().selectedRows()[0].row() == 1  # Anna, after the save


def test_save_answer_before_a_new_record(
    qtbot: QtBot, make_screen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (ben,) = _people("Ben Okafor")
    screen = make_screen()
    click_row_at(qtbot, screen, 0)
    retype(qtbot, _field(screen, "full_name"), "Ben Saved")
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Save
    )
    screen.new_record()
    assert Person.get_by_id(ben.id).full_name == "Ben Saved"
    assert screen.form.is_new()


def test_new_record_with_unsaved_changes_can_be_cancelled(
    qtbot: QtBot, make_screen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _people("Anna Smith")
    screen = make_screen()
    click_row_at(qtbot, screen, 0)
    qtbot.keyClicks(_field(screen, "job_title"), "Buyer")
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Cancel
    )
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    assert not screen.form.is_new()
    assert _field(screen, "job_title").text() == "Buyer"


def test_empty_register_says_how_to_start(make_screen: Any) -> None:
    screen = make_screen()
    assert screen.list_stack.currentWidget() is screen.empty_label
    assert screen.empty_label.text() == "No people yet. Press New (Ctrl+N) to add the first."
    assert screen.count_label.text() == "0 people"
    assert not screen.archive_button.isEnabled()


def test_header_and_shortcut_methods(qtbot: QtBot, make_screen: Any) -> None:
    screen = make_screen()
    assert screen.title_label.text() == "People"
    assert screen.clause_label.text() == "Clause 5.3"
    assert screen.search_edit.placeholderText() == "Search people…"
    screen.focus_search()
    assert QApplication.focusWidget() is screen.search_edit
    screen.new_record()
    assert QApplication.focusWidget() is _field(screen, "full_name")


def test_every_control_has_an_accessible_name(make_screen: Any) -> None:
    screen = make_screen(ACTIONS)
    kinds = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTableView)
    unnamed = [
        w for w in screen.findChildren(QWidget)
        if isinstance(w, kinds)
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not w.accessibleName()
        and not isinstance(w.parent(), QComboBox)  # an editable combo's own line edit
        and not _inside_calendar(w)  # Qt's own parts of the date pop-up
    ]
    assert unnamed == []


def test_reload_keeps_the_search(qtbot: QtBot, make_screen: Any) -> None:
    _people("Anna Smith", "Ben Okafor")
    screen = make_screen()
    qtbot.keyClicks(screen.search_edit, "anna")
    qtbot.waitUntil(lambda: _names(screen) == ["Anna Smith"])
    _people("Anna Other")
    screen.reload()
    assert _names(screen) == ["Anna Other", "Anna Smith"]



def test_undo_banner_goes_away_by_itself(
    qtbot: QtBot, make_screen: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register_screen, "UNDO_SECONDS", 0.05)
    _people("Anna Smith")
    screen = make_screen()
    click_row_at(qtbot, screen, 0)
    screen.archive_or_restore()
    assert screen.banner.isVisible()
    qtbot.waitUntil(lambda: not screen.banner.isVisible())
    assert screen.list_stack.currentWidget() is screen.empty_label
    assert "Every person is archived" in screen.empty_label.text()


# Typing opens the completer's pop-up, which the offscreen platform cannot raise or give
# the keyboard to; those two platform limits are not faults of the screen.
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_long_link_lists_are_found_by_typing(qtbot: QtBot, make_screen: Any) -> None:
    _people(*(f"Person {n:02d}" for n in range(20)), "Grace Li")
    screen = make_screen(PROCESSES)
    screen.new_record()
    qtbot.keyClicks(_field(screen, "name"), "Purchasing")
    owner = _field(screen, "owner")
    assert owner.isEditable()
    owner.lineEdit().selectAll()
    qtbot.keyClicks(owner.lineEdit(), "Nobody Known")
    assert not screen.save()
    assert "Choose a name from the list" in screen.form.error_text("owner")

    owner.lineEdit().selectAll()
    qtbot.keyClicks(owner.lineEdit(), "grace li")
    assert screen.save()
    process = Process.get(Process.name == "Purchasing")
    assert process.owner.full_name == "Grace Li"
    assert screen.model.index(0, 1).data() == "Grace Li"


def test_the_wheel_does_not_change_a_drop_down_scrolled_past(qtbot, store) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from qms_desktop import catalogue, records
    from qms_desktop.models import Site
    from ui.kit.fitting import install_wheel_guard
    from ui.kit.register_screen import RegisterScreen

    install_wheel_guard(QApplication.instance())  # as the shell does at start-up
    for name in ("Head office", "Leeds works", "Cork plant"):
        records.create(Site, name=name)
    screen = RegisterScreen(catalogue.PEOPLE)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    combo = screen.form.editor("site")
    before = combo.currentIndex()
    centre = QPointF(combo.rect().center())
    wheel = QWheelEvent(centre, QPointF(combo.mapToGlobal(QPoint(5, 5))), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(combo, wheel)
    assert combo.currentIndex() == before
