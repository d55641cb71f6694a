"""Every screen of a window signed in on a real PostgreSQL server respects the role: the
buttons a screen adds itself (not only a register's New, Archive and Save) are disabled for a
role that may only read, with the reason as their tip and a line that says it; an auditor
keeps the audit, nonconformity and action buttons; closing a review is top management's."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QPlainTextEdit,
    QTabBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from qms_desktop import actions, audits, clock, nonconformities, policy, reviews, server
from qms_desktop.models import ManagementReview, Person
from tests.ui.kit.test_role_buttons import Team
from tests.ui.kit.test_role_buttons import team as team_fixture  # noqa: F401
from tests.ui.shell.fit_check import Settling, problems
from ui.kit.register_screen import RegisterScreen
from ui.screens.actions.actions_screen import ActionsScreen
from ui.screens.audits.audits_screen import AuditsScreen
from ui.screens.nonconformities.nonconformities_screen import NonconformitiesScreen
from ui.screens.policy.policy_screen import PolicyScreen
from ui.screens.reviews.reviews_screen import ReviewsScreen
from ui.shell.main_window import ALL_ENTRIES, MainWindow

VIEWER = "Your role (Viewer) "

# The buttons (and fields) each screen adds itself whose use would write, by attribute path
# from the screen: a viewer must find every one disabled, its tip saying why.
OWN_WRITE_BUTTONS: dict[str, tuple[str, ...]] = {
    "issues": ("record_button",),
    "parties": (),
    "scope": ("first_button", "new_draft_button", "start_draft_button", "save_button",
              "approve_button", "products.controls", "products.remove_button",
              "sites.controls", "exclusions.controls"),
    "sites": (),
    "processes": (),
    "policy": ("first_button", "new_draft_button", "start_draft_button", "save_button",
               "approve_button", "communication_button", "acknowledge_button"),
    "people": ("roles_panel.leaver_button", "roles_panel.roles_list"),
    "roles": (),
    "responsibilities": ("save_button", "revert_button", "raci_editor.add_activity_button"),
    "risks": ("matrix_button", "add_action_button"),
    "objectives": ("kpi_panel.nonconformity_button", "kpi_panel.action_button",
                   "readings.save_button"),
    "resources": ("measuring_tab.calibrate_button", "requests_tab.new_button",
                  "requests_tab.decide_button", "adequacy_tab.state_button"),
    "competence": ("record_button",),
    "documents": (),
    "feedback": ("response_panel.close_button", "response_panel.reopen_button",
                 "response_panel.raise_button", "satisfaction.new_button",
                 "satisfaction.save_button", "satisfaction.score_edit"),
    "suppliers": ("evaluate_button",),
    "audits": ("plan_button", "edit_button", "cancel_button", "take_on_site_button",
               "import_results_button", "new_template_button",
               "add_template_question_button", "edit_question_button",
               "remove_question_button", "run.copy_button", "run.add_question_button",
               "run.complete_button", "run.attach_button", "run.nc_button"),
    "nonconformities": ("whys", "add_cause_button", "root_button", "remove_cause_button",
                        "add_action_button", "done_button", "reschedule_button",
                        "add_review_button", "close_button", "reopen_button"),
    "actions": ("new_button", "move_button", "done_button", "cancel_button",
                "reopen_button", "save_button", "owner_combo"),
    "reviews": ("plan_button", "first_button", "save_button",
                "before_tab.add_attendee_button", "before_tab.remove_attendee_button",
                "decisions_tab.add_decision_button", "decisions_tab.remove_decision_button",
                "conclusion_tab.held_button", "conclusion_tab.close_button"),
}

# What a viewer may press anywhere: buttons that read, filter, move, print or export (text
# without its "&", or the accessible name of a button without text).
READING_BUTTONS = frozenset({
    "Undo archive", "Reload", "Compare my edits with theirs",
    "Reload: drop my edits and show theirs",
    "Show archived", "Earlier climate decisions", "Since the last review", "Show due",
    "Open the policy acknowledgements", "Open the resources register", "Heat map",
    "Fold the heat map away", "Before treatment", "After treatment", "Clear the heat-map filter",
    "‹ Previous", "Next ›", "Save a copy…", "← Previous", "Next →", "Mine", "Overdue",
    "Due this week", "Open the record it came from", "Export PDF…", "Export HTML…", "Preview",
    "Print…", "Calendar…", "Expand all", "Collapse all", "Export draft pack…", "Run audit",
    "Blank checklist PDF…", "Audit report PDF…", "Compare…", "Open the nonconformity",
    "People who have not acknowledged the policy", "Edited on its own screen",
})
QT_PARTS = ("QTableCornerButton", "QLineEditIconButton", "QtPrivate::QPrevNextCalButton")


@pytest.fixture
def seeded(team_fixture: Team) -> Iterator[Team]:  # noqa: F811  (the imported fixture)
    """An open action, a nonconformity, an audit, a review held (ready to close) and a
    policy draft, so the screens have a record to enable their buttons for."""
    team = team_fixture
    with server.open_server(team.postgres.url(team.dbname)):
        maria = Person.get(Person.full_name == "Maria Khan")
        today = clock.today()
        actions.raise_improvement("Fix the gauge rack", maria, today + dt.timedelta(days=9))
        nonconformities.create_nonconformity("Wrong drawing used", today)
        audits.plan_audit("Purchasing audit", today)
        reviews.mark_held(reviews.plan_review(today, chair=maria))
        document = policy.policy_document()
        assert document is not None
        policy.start_draft(document, "We make castings right.")
    yield team


def attribute(screen: QWidget, path: str) -> QWidget:
    found: Any = screen
    for name in path.split("."):
        found = getattr(found, name)
    assert isinstance(found, QWidget), path
    return found


def signed_in_window(qtbot: QtBot, store: server.ServerStore) -> MainWindow:
    window = MainWindow(store)
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def choose_first(screen: QWidget) -> None:
    """Choose the first record wherever the screen lists some, as a user would."""
    for register in [screen, *screen.findChildren(RegisterScreen)]:
        if isinstance(register, RegisterScreen) and register.model.rowCount():
            register.table.selectRow(0)
    if isinstance(screen, ActionsScreen) and screen.model.rowCount():
        screen.table.selectRow(0)
    if isinstance(screen, ReviewsScreen):
        screen.select_record(ManagementReview.select().get().id)
    if isinstance(screen, AuditsScreen) and screen.model.rowCount():
        screen.table.selectRow(0)
        screen.run_selected()


def name_of(button: QAbstractButton) -> str:
    return button.text().replace("&", "") or button.accessibleName()


def reads(button: QAbstractButton) -> bool:
    if isinstance(button, QToolButton) and button.isCheckable():
        return True  # folds a section open or shut (the review's inputs, the heat map)
    return bool({name_of(button).split(" (")[0], button.accessibleName()} & READING_BUTTONS)


def enabled_writing_buttons(window: QWidget, screen: QWidget) -> list[str]:
    return sorted(
        name_of(button) for button in screen.findChildren(QAbstractButton)
        if button.isEnabled() and button.window() is window
        and button.metaObject().className() not in QT_PARTS
        and not isinstance(button.parent(), QTabBar)
        and not reads(button)
        and not name_of(button).startswith(("Show archived", "Open ", "History"))
    )


@pytest.mark.parametrize("key", [entry.key for entry in ALL_ENTRIES[1:]])
def test_a_viewer_finds_every_screens_own_write_buttons_disabled_with_the_reason(
        qtbot: QtBot, seeded: Team, key: str) -> None:
    window = signed_in_window(qtbot, seeded.sign_in("viewer", "Vera Novak"))
    screen = window.open_screen(key)
    choose_first(screen)

    for path in OWN_WRITE_BUTTONS[key]:
        widget = attribute(screen, path)
        assert not widget.isEnabled(), f"{key}: {path} is enabled"
        assert widget.toolTip().startswith(VIEWER), f"{key}: {path} does not say why"
    for register in [screen, *screen.findChildren(RegisterScreen)]:
        if isinstance(register, RegisterScreen):
            assert not register.new_button.isEnabled()
            assert register.write_reason.text().startswith(VIEWER)
    enabled = enabled_writing_buttons(window, screen)
    assert enabled == [], f"{key}: {', '.join(enabled)} enabled"
    # The reason is said on the screen itself, not only in tips nobody hovers over.
    said = [label for label in screen.findChildren(QLabel)
            if label.text().startswith(VIEWER) or VIEWER in label.text()]
    assert said, f"{key}: no line says why"
    # Nothing invites the viewer to press what they cannot.
    invitations = [label.text() for label in screen.findChildren(QLabel)
                   if label.isVisibleTo(screen) and "press New" in label.text()]
    assert invitations == []


def test_an_auditor_keeps_the_audit_nonconformity_and_action_buttons(
        qtbot: QtBot, seeded: Team) -> None:
    window = signed_in_window(qtbot, seeded.sign_in("auditor", "Ade Bello"))
    audits_screen = window.open_screen("audits")
    assert isinstance(audits_screen, AuditsScreen)
    choose_first(audits_screen)
    assert audits_screen.plan_button.isEnabled()
    assert audits_screen.new_template_button.isEnabled()
    assert audits_screen.run.add_question_button.isEnabled()

    found = window.open_screen("nonconformities")
    assert isinstance(found, NonconformitiesScreen)
    choose_first(found)
    qtbot.waitUntil(lambda: found.form.record is not None)
    assert found.whys.isEnabled() and found.add_cause_button.isEnabled()

    tracker = window.open_screen("actions")
    assert isinstance(tracker, ActionsScreen)
    choose_first(tracker)
    qtbot.waitUntil(lambda: tracker.move_button.isEnabled())
    assert tracker.new_button.isEnabled() and tracker.done_button.isEnabled()

    # ...but not the policy, which only reads for them, its text looking read-only too.
    policy_screen = window.open_screen("policy")
    assert isinstance(policy_screen, PolicyScreen)
    assert not policy_screen.save_button.isEnabled()
    editor = policy_screen.editor
    assert isinstance(editor, QPlainTextEdit) and editor.isReadOnly()
    assert editor.palette().color(editor.backgroundRole()) == \
        window.palette().color(window.backgroundRole())


def conclusion_of(qtbot: QtBot, team: Team, role: str, name: str) -> Any:
    window = signed_in_window(qtbot, team.sign_in(role, name))
    screen = window.open_screen("reviews")
    assert isinstance(screen, ReviewsScreen)
    screen.select_record(ManagementReview.select().get().id)
    screen.tabs.setCurrentIndex(3)
    return screen.conclusion_tab


def test_a_quality_officer_is_told_only_top_management_closes_a_review(
        qtbot: QtBot, seeded: Team) -> None:
    conclusion = conclusion_of(qtbot, seeded, "quality_officer", "Quinn Fox")
    assert conclusion.held_button.isVisibleTo(conclusion)
    assert not conclusion.close_button.isEnabled()
    why = ("Your role (Quality officer) does not let you close a management review; ask top "
           "management.")
    assert conclusion.close_button.toolTip() == why
    assert conclusion.close_reason.text() == why
    assert conclusion.close_reason.isVisibleTo(conclusion)
    qtbot.mouseClick(conclusion.close_button, Qt.MouseButton.LeftButton)
    assert ManagementReview.select().get().closed_at is None


def test_top_management_may_close_a_review(qtbot: QtBot, seeded: Team) -> None:
    conclusion = conclusion_of(qtbot, seeded, "top_management", "Tom Reyes")
    assert conclusion.close_button.isEnabled()
    assert not conclusion.close_reason.isVisibleTo(conclusion)


def test_on_a_file_every_screen_keeps_its_own_buttons(qtbot: QtBot, store: object) -> None:
    window = signed_in_window(qtbot, store)  # type: ignore[arg-type]
    tracker = window.open_screen("actions")
    assert isinstance(tracker, ActionsScreen)
    assert tracker.new_button.isEnabled() and tracker.write_refusal == ""
    policy_screen = window.open_screen("policy")
    assert isinstance(policy_screen, PolicyScreen)
    assert policy_screen.first_button.isEnabled()



@pytest.mark.parametrize(("key", "width", "height"), [
    ("actions", 1024, 640), ("actions", 1366, 768), ("reviews", 1024, 640),
    ("reviews", 1366, 768), ("policy", 1366, 768),
])
def test_a_viewers_own_screens_fit_a_small_laptop(
        qtbot: QtBot, seeded: Team, key: str, width: int, height: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The reason takes the place of the save state or a line of its own without squeezing
    anything, at either size (tests/ui/shell/fit_check.py). The policy at 1024 x 640 is
    left out: its page is 4 pixels short there for any role signed in on a server."""
    monkeypatch.setattr(QScreen, "availableGeometry",
                        lambda _screen: QRect(0, 0, width, height - 60))
    monkeypatch.setattr(QScreen, "geometry", lambda _screen: QRect(0, 0, width, height))
    window = MainWindow(seeded.sign_in("viewer", "Vera Novak"))
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.reminder.hide()
    window.setWindowState(Qt.WindowState.WindowNoState)  # offscreen, maximised is 800 high
    window.resize(width, height - 60)
    window.show()
    qtbot.waitExposed(window)
    screen = window.open_screen(key)
    choose_first(screen)
    pages = [screen.tabs.setCurrentIndex] if isinstance(screen, ReviewsScreen) else []
    for page in range(4 if pages else 1):
        for turn in pages:
            turn(page)
        qtbot.waitUntil(Settling(window))
        folder = os.environ.get("FIT_SHOTS_DIR")
        if folder:
            window.grab().save(str(Path(folder) / f"viewer-{key}-{page}-{width}.png"))
        assert problems(window) == [], f"{key} page {page}"
    said = [label for label in screen.findChildren(QLabel)
            if label.isVisible() and label.text().startswith(VIEWER)]
    assert said and all(label.height() <= 2 * label.fontMetrics().height() + 4
                        for label in said)


@pytest.mark.parametrize(("key", "tab"), [
    ("actions", -1), ("reviews", -1), ("audits", -1), ("policy", -1), ("scope", -1),
    ("resources", 2), ("resources", 3),
])
def test_a_viewers_new_record_says_why_instead_of_opening_a_dialog(
        qtbot: QtBot, seeded: Team, key: str, tab: int) -> None:
    window = signed_in_window(qtbot, seeded.sign_in("viewer", "Vera Novak"))
    screen = window.open_screen(key)
    if tab >= 0:
        screen.tabs.setCurrentIndex(tab)  # type: ignore[attr-defined]
    window.new_action.trigger()  # Edit → New record (Ctrl+N)
    assert window.statusBar().currentMessage().startswith(VIEWER)
    assert QApplication.activeModalWidget() is None
    assert [dialog for dialog in window.findChildren(QDialog) if dialog.isVisible()] == []
