"""A disabled button says why on screen, beside it, not only in its tooltip."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import db, policy, records
from qms_desktop.models import Person, PersonRole, Role
from qms_desktop.policy import POLICY_POINTS
from ui.kit.reason import DisabledReason
from ui.screens.policy.policy_dialogs import ApproveDialog
from ui.screens.policy.policy_screen import PolicyScreen


def test_the_reason_shows_beside_the_button_only_while_it_is_disabled(
    qtbot: QtBot, show: Any
) -> None:
    row = QWidget()
    layout = QHBoxLayout(row)
    button = QPushButton("&Approve…")
    reason = DisabledReason(button)
    layout.addWidget(reason, 1)
    layout.addWidget(button)
    show(row, (600, 80))

    reason.explain(False, "Add the people first.", "Put it in force")
    assert not button.isEnabled()
    assert reason.isVisible() and reason.text() == "Add the people first."
    assert button.toolTip() == "Add the people first."
    assert reason.accessibleName() == "Why Approve cannot be used yet"
    # On screen beside the button: on its left, on the same line.
    assert reason.geometry().right() < button.geometry().left()
    assert abs(reason.geometry().center().y() - button.geometry().center().y()) < 4

    reason.explain(True, "Add the people first.", "Put it in force")
    assert button.isEnabled() and not reason.isVisible()
    assert button.toolTip() == "Put it in force"

    reason.explain(False)  # disabled for no reason worth saying: nothing shown
    assert not button.isEnabled() and not reason.isVisible()


def test_a_policy_draft_without_people_says_why_approve_is_disabled(
    qtbot: QtBot, show: Any, store: db.Store
) -> None:
    screen = show(PolicyScreen(), (1024, 640))
    qtbot.mouseClick(screen.first_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(screen.approve_reason.isVisible)
    assert not screen.approve_button.isEnabled()
    assert "Add the people of your organisation first" in screen.approve_reason.text()
    # On a line of its own above the buttons, not squeezed into a column beside them.
    reason, button = screen.approve_reason, screen.approve_button
    assert reason.mapTo(screen, reason.rect().bottomLeft()).y() <= \
        button.mapTo(screen, button.rect().topLeft()).y()
    assert reason.width() >= 2 * button.width()
    assert screen.width() == 1024
    screen.close()

    records.create(Person, full_name="Ann Boss")
    again = show(PolicyScreen(), (1024, 640))
    qtbot.waitUntil(again.approve_button.isEnabled)
    assert not again.approve_reason.isVisible()


def test_the_approve_dialog_says_the_unmet_points_need_confirming(
    qtbot: QtBot, show: Any, store: db.Store
) -> None:
    boss = records.create(Person, full_name="Ann Boss")
    role = records.create(Role, title="Director", is_top_management=True)
    records.create(PersonRole, person=boss, role=role)
    draft = policy.start_draft(policy.policy_document(), "We make parts.")
    for point in POLICY_POINTS[:2]:
        policy.set_check(draft, point.key, True)
    dialog = show(ApproveDialog(draft, None), None)

    assert not dialog.approve_button.isEnabled()
    assert dialog.approve_reason.isVisible()
    assert "tick the confirmation" in dialog.approve_reason.text()
    qtbot.mouseClick(dialog.confirm_check, Qt.MouseButton.LeftButton)
    assert dialog.approve_button.isEnabled()
    assert not dialog.approve_reason.isVisible()


def test_a_closed_review_says_why_nothing_can_be_added(
    qtbot: QtBot, show: Any, sample_store: db.Store
) -> None:
    from qms_desktop.models import ManagementReview
    from ui.screens.reviews.reviews_screen import ReviewsScreen

    closed = ManagementReview.select().where(ManagementReview.status == "closed").get()
    screen = show(ReviewsScreen(), (1366, 768))
    screen.select_record(closed.id)
    screen.show_step("decisions")
    decisions = screen.decisions_tab
    qtbot.waitUntil(decisions.add_decision_reason.isVisible)
    assert not decisions.add_decision_button.isEnabled()
    assert decisions.add_decision_reason.text() == \
        "The review is closed; its minutes can no longer change."

    # The sample's next review is still open: there, the button works and nothing is said.
    open_review = ManagementReview.select().where(ManagementReview.status != "closed").get()
    screen.select_record(open_review.id)
    qtbot.waitUntil(decisions.add_decision_button.isEnabled)
    assert not decisions.add_decision_reason.isVisible()
