"""The main window on a real database: sidebar, screens, shortcuts, state, backup, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from qms_desktop import db, organisation
from qms_desktop.models import Person
from qms_desktop.paths import backups_dir
from ui.screens.overview.overview import OverviewScreen
from ui.shell.main_window import ALL_ENTRIES, OVERVIEW, ROOMY_SIDEBAR_WIDTH, MainWindow

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


def open_window(qtbot: QtBot, store: db.Store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot: QtBot, organised: db.Store) -> MainWindow:
    return open_window(qtbot, organised)


def click_entry(qtbot: QtBot, window: MainWindow, key: str) -> None:
    item = window.sidebar.items[key]
    window.sidebar.scrollToItem(item)
    rect = window.sidebar.visualItemRect(item)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_opens_on_the_overview_with_real_counts(qtbot: QtBot, window: MainWindow) -> None:
    assert window.windowTitle().startswith("Kestrel Fabrication")
    screen = window.current_screen()
    assert isinstance(screen, OverviewScreen)
    qtbot.waitUntil(lambda: bool(screen.clause_cards["5"].links))
    assert screen.organisation_label.text().startswith("Kestrel Fabrication")
    assert screen.counts() == {"overdue_actions": 0, "due_this_week": 0}
    # An empty system has gaps, each a link to the screen that fixes it.
    leadership = screen.clause_cards["5"]
    assert leadership.chip.status == "gap"
    assert any("promote customer focus" in link.accessibleName() for link in leadership.links)


def test_a_readiness_reason_opens_the_screen_that_fixes_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    overview = window.current_screen()
    assert isinstance(overview, OverviewScreen)
    qtbot.waitUntil(lambda: bool(overview.clause_cards["5"].links))
    link = next(link for link in overview.clause_cards["5"].links
                if "customer focus" in link.accessibleName())
    link.linkActivated.emit("0")  # what a click on the link sends
    assert window.current_key() == "responsibilities"


def test_every_sidebar_entry_opens_its_screen(qtbot: QtBot, window: MainWindow) -> None:
    for entry in ALL_ENTRIES:
        click_entry(qtbot, window, entry.key)
        assert window.current_key() == entry.key
        screen = window.current_screen()
        assert screen is window.screens[entry.key]
        if entry.key == OVERVIEW.key:
            assert isinstance(screen, OverviewScreen)
        elif entry.screen:
            assert type(screen).__name__ == entry.screen.split(":")[1]
        else:
            assert entry.register
            from ui.kit.register_screen import RegisterScreen

            assert isinstance(screen, RegisterScreen)
    # Built once, on first opening.
    assert len(window.screens) == len(ALL_ENTRIES)


def test_group_headings_are_passed_over(qtbot: QtBot, window: MainWindow) -> None:
    header = window.sidebar.headers[0]
    rect = window.sidebar.visualItemRect(header)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_key() == OVERVIEW.key


def test_arrow_keys_move_through_the_sidebar(qtbot: QtBot, window: MainWindow) -> None:
    window.sidebar.setFocus()
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Down)
    assert window.current_key() == "issues"  # the "Context" heading was stepped over
    for _ in range(5):
        qtbot.keyClick(window.sidebar, Qt.Key.Key_Down)
    assert window.current_key() == "policy"
    qtbot.keyClick(window.sidebar, Qt.Key.Key_Up)
    assert window.current_key() == "processes"
    qtbot.keyClick(window.sidebar, Qt.Key.Key_End)
    assert window.current_key() == "reviews"


def test_overview_buttons_open_their_screens(qtbot: QtBot, window: MainWindow) -> None:
    overview = window.current_screen()
    assert isinstance(overview, OverviewScreen)
    qtbot.mouseClick(overview.cards["overdue_actions"].button, Qt.MouseButton.LeftButton)
    assert window.current_key() == "actions"
    assert window.sidebar.currentItem() is window.sidebar.items["actions"]


def test_edit_actions_are_disabled_where_they_do_not_apply(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.open_screen("overview")
    assert not window.new_action.isEnabled()
    assert not window.find_action.isEnabled()
    assert not window.save_action.isEnabled()


def test_shortcuts_reach_the_people_screen(qtbot: QtBot, window: MainWindow) -> None:
    click_entry(qtbot, window, "people")
    screen = window.current_screen()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.new_action.isEnabled() and window.save_action.isEnabled()

    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is screen.search_edit

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    name_field = QApplication.focusWidget()
    assert name_field is not screen.search_edit
    qtbot.keyClicks(name_field, "Zara Ahmed")
    assert screen.has_unsaved_changes()

    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert Person.select().where(Person.full_name == "Zara Ahmed").count() == 1
    assert not screen.has_unsaved_changes()


def test_status_bar_shows_the_database_and_last_backup(
    window: MainWindow, organised: db.Store
) -> None:
    assert str(organised.path) in window.path_label.text()
    assert window.backup_label.text() == "Last backup: none yet"


def drag_sidebar_edge(qtbot: QtBot, window: MainWindow, by: int) -> None:
    """Drag the handle between the sidebar and the screen `by` pixels, as a user does."""
    handle = window.splitter.handle(1)
    start = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, start + QPoint(by, 0))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start + QPoint(by, 0))


def test_geometry_sidebar_width_and_screen_are_remembered(
    qtbot: QtBot, organised: db.Store
) -> None:
    first = open_window(qtbot, organised)
    # Within the offscreen screen (800 x 800): restoreGeometry keeps a window on its screen.
    first.resize(760, 700)
    qtbot.waitUntil(lambda: first.sidebar.width() == first.sidebar.minimumWidth())
    drag_sidebar_edge(qtbot, first, 40)
    qtbot.waitUntil(lambda: first.sidebar.width() > first.sidebar.minimumWidth() + 30)
    sidebar_width = first.sidebar.width()
    first.open_screen("overview")
    first.close()

    second = open_window(qtbot, organised)
    assert (second.width(), second.height()) == (760, 700)
    qtbot.waitUntil(lambda: second.sidebar.width() == sidebar_width)
    assert second.current_key() == "overview"


def roomy_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's screen is a large one (the offscreen one is 800 x 800)."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(0, 0, 1920, 1040))


def test_the_sidebar_keeps_its_width_from_screen_to_screen(
    qtbot: QtBot, organised: db.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Screens that need more room do not narrow the sidebar one after the other: a window
    first laid out on a large screen and then made 1024 wide has the sidebar at its least
    width on every screen, and the wide sidebar back once it is wide again."""
    roomy_screen(monkeypatch)
    window = open_window(qtbot, organised)
    qtbot.waitUntil(lambda: window.sidebar.width() == ROOMY_SIDEBAR_WIDTH)
    window.resize(1024, 640)
    least = window.sidebar.minimumWidth()
    for entry in ALL_ENTRIES:
        click_entry(qtbot, window, entry.key)
        qtbot.waitUntil(lambda key=entry.key: window.current_key() == key)
        qtbot.waitUntil(lambda: window.sidebar.width() == least)
        assert window.stack.width() == window.width() - least - window.splitter.handleWidth()
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.sidebar.width() == ROOMY_SIDEBAR_WIDTH)
    for key in ("overview", "reviews", "risks"):
        click_entry(qtbot, window, key)
        qtbot.waitUntil(lambda key=key: window.current_key() == key)
        assert window.sidebar.width() == ROOMY_SIDEBAR_WIDTH


def test_a_dragged_sidebar_keeps_its_width_on_every_screen(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    before = window.sidebar.width()
    drag_sidebar_edge(qtbot, window, 60)
    qtbot.waitUntil(lambda: window.sidebar.width() == before + 60)
    for key in ("people", "risks", "reviews", "suppliers", "overview"):
        click_entry(qtbot, window, key)
        qtbot.waitUntil(lambda key=key: window.current_key() == key)
        assert window.sidebar.width() == before + 60, key


def test_back_up_now_writes_a_backup(
    window: MainWindow, organised: db.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suggested: list[str] = []

    def choose(_parent: object, _title: str, directory: str, _filter: str) -> tuple[str, str]:
        suggested.append(directory)
        return directory, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    made = window.back_up_now()
    assert made is not None and made.is_file()
    assert made.parent == backups_dir(organised.path)
    assert db.validate_backup_file(made) >= 1
    assert window.backup_label.text().startswith("Last backup: ")
    assert window.backup_label.text() != "Last backup: none yet"


def test_restore_from_backup_brings_back_the_data(
    qtbot: QtBot, window: MainWindow, organised: db.Store, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup = db.backup_to(organised, tmp_path / "before.db")
    found = organisation.get_organisation()
    assert found is not None
    from qms_desktop import records

    records.update(found, name="Renamed Ltd")
    texts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(backup), ""))
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes
    )
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: texts.append(box.accessibleDescription()) or 0
    )
    safety = window.restore_from_backup()
    assert safety is not None and safety.is_file()
    restored = organisation.get_organisation()
    assert restored is not None and restored.name == "Kestrel Fabrication"
    assert window.windowTitle().startswith("Kestrel Fabrication")
    assert str(safety) in texts[0]


def test_export_to_json_writes_the_file(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "export"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    written = window.export_to("json")
    assert written == tmp_path / "export.json"
    content = json.loads(written.read_text(encoding="utf-8"))
    assert "Kestrel Fabrication" in json.dumps(content)


def test_closing_with_unsaved_changes_asks_first(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_screen("people")
    window.new_record()
    qtbot.keyClicks(QApplication.focusWidget() or window, "Half typed")
    screen = window.current_screen()
    if not screen.has_unsaved_changes():
        pytest.skip("the People form did not take the typed text as a change")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: answers.pop(0))
    window.close()
    assert window.isVisible()
    window.close()
    assert not window.isVisible()
    assert Person.select().count() == 0


def test_settings_dialog_records_the_user_name(qtbot: QtBot, organised: db.Store) -> None:
    from qms_desktop import records
    from ui.shell.settings_dialog import SettingsDialog

    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.user_name_edit.clear()
    qtbot.keyClick(dialog.user_name_edit, Qt.Key.Key_Return)
    assert dialog.user_name_problem.isVisible()
    assert records.get_setting(records.USER_NAME_KEY) == "Test User"
    qtbot.keyClicks(dialog.user_name_edit, "Amira Haddad")
    qtbot.keyClick(dialog.user_name_edit, Qt.Key.Key_Return)
    assert records.get_setting(records.USER_NAME_KEY) == "Amira Haddad"


def test_icons_are_drawn_in_the_palette_text_colour(qapp: QApplication) -> None:
    from PySide6.QtGui import QPalette

    from ui.kit.icons import icon

    image = icon("people").pixmap(48, 48).toImage()
    text = qapp.palette().color(QPalette.ColorRole.WindowText)
    drawn = [
        image.pixelColor(x, y)
        for x in range(48)
        for y in range(48)
        if image.pixelColor(x, y).alpha() == 255
    ]
    assert drawn, "the icon drew nothing"
    assert all(c.rgb() == text.rgb() for c in drawn)


def test_start_up_reminder_takes_the_user_to_overdue_actions(
    qtbot: QtBot, organised: db.Store
) -> None:
    import datetime as dt

    from qms_desktop import records
    from qms_desktop.models import Action

    records.create(Action, title="Recalibrate the CMM",
                   due_on=dt.date.today() - dt.timedelta(days=3))
    records.create(Action, title="Send the survey", due_on=dt.date.today() + dt.timedelta(days=2))
    window = open_window(qtbot, organised)
    assert window.reminder.isVisible()
    assert "1 action is overdue" in window.reminder.text_label.text()
    qtbot.mouseClick(window.reminder.show_button, Qt.MouseButton.LeftButton)
    assert window.current_key() == "actions"
    screen = window.current_screen()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)


def test_calibration_reason_opens_the_measuring_equipment_tab(
    qtbot: QtBot, organised: db.Store
) -> None:
    import datetime as dt

    from qms_desktop import records
    from qms_desktop.models import Resource

    records.create(Resource, kind="measuring", name="Bore gauge",
                   next_calibration_on=dt.date.today() - dt.timedelta(days=5))
    window = open_window(qtbot, organised)
    overview = window.current_screen()
    qtbot.waitUntil(lambda: bool(overview.clause_cards["7"].links))
    link = next(link for link in overview.clause_cards["7"].links
                if "calibration" in link.accessibleName())
    link.linkActivated.emit("0")
    screen = window.current_screen()
    assert window.current_key() == "resources"
    assert screen.tabs.currentIndex() == 1  # Measuring equipment
    assert screen.measuring_tab.selected_instrument().name == "Bore gauge"


def test_restore_over_a_database_damaged_inside_keeps_it_aside(
    qtbot: QtBot, window: MainWindow, organised: db.Store, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qms_desktop import errors, records

    backup = db.backup_to(organised, tmp_path / "before.db")
    found = organisation.get_organisation()
    assert found is not None
    records.update(found, name="Renamed Ltd")

    def damaged(store: db.Store, candidate: Path) -> Path:
        # What SQLite reports when the pages behind the safety copy are corrupt.
        raise errors.not_a_database(store.path, "database disk image is malformed")

    monkeypatch.setattr(db, "restore_from", damaged)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(backup), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    texts: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: texts.append(box.accessibleDescription()) or 0
    )
    kept = window.restore_from_backup()
    assert kept is not None and kept.name.startswith(organised.path.name + ".damaged-")
    assert kept.is_file()
    restored = organisation.get_organisation()
    assert restored is not None and restored.name == "Kestrel Fabrication"
    assert organised.lock.is_locked  # the window still holds its database
    assert str(kept) in texts[0]


def test_the_frame_shows_before_the_database_then_fills(
    qtbot: QtBot, organised: db.Store
) -> None:
    # run_app shows the window first and opens the database after its first paint.
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == "QMS Desktop"
    assert not window.backup_action.isEnabled()  # nothing to back up yet
    assert window.stack.count() == 0
    window.attach(organised)
    assert window.windowTitle().startswith("Kestrel Fabrication")
    assert window.backup_action.isEnabled()
    assert isinstance(window.current_screen(), OverviewScreen)
    assert window.path_label.text() == f"Database: {organised.path}"
