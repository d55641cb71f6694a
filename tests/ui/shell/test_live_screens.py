"""Every sidebar screen shows data changed elsewhere, without a restart.

One test per sidebar entry, generated from the sidebar itself: a new entry without a declared
change below fails. Each opens the screen in the real main window on a real database, changes a
table the screen shows through its area's service, and waits for the screen to show it: once
while the screen is visible, and once while it is hidden behind another screen and then shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import (
    actions,
    audits,
    catalogue,
    clock,
    competence,
    context,
    db,
    feedback,
    formatting,
    nonconformities,
    policy,
    raci,
    registers,
    reviews,
    suppliers,
)
from qms_desktop.changes import Changes
from qms_desktop.context_registers import CONTEXT_ISSUES, INTERESTED_PARTIES
from qms_desktop.models import Role
from qms_desktop.objective_registers import OBJECTIVES
from qms_desktop.resource_registers import RESOURCES
from qms_desktop.risk_registers import RISKS
from qms_desktop.support_registers import DOCUMENTS
from tests.ui.conftest import shown_text
from ui.kit.live import ChangeFollower
from ui.shell.main_window import ALL_ENTRIES, OVERVIEW, MainWindow


@dataclass(frozen=True)
class Change:
    """A change made through a service; `make` returns the text the screen must then show."""

    make: Callable[[], str]
    tab: str = ""  # the tab of the screen that shows it, when the screen has tabs


def _save(register: registers.Register, **values: object) -> str:
    record = registers.save(register, None, dict(values))
    return record.display_name()


def _planned_review() -> str:
    """The overview's card names the day as 14 Mar 2027."""
    day = clock.today() + dt.timedelta(days=40)
    reviews.plan_review(day)
    return formatting.short_date(day)


def _listed_review() -> str:
    """The reviews list names the day as 14 March 2027."""
    day = clock.today() + dt.timedelta(days=40)
    reviews.plan_review(day)
    return formatting.long_date(day)


def _scope_item() -> str:
    version = context.start_scope_draft(context.scope_document(create=True))
    context.add_scope_item(version, "product", "Laser-cut brackets")
    return "Laser-cut brackets"


def _policy_draft() -> str:
    policy.start_draft(policy.policy_document(create=True), "We weld to drawing, every time.")
    return "We weld to drawing, every time."


def _raci_row() -> str:
    _save(catalogue.ROLES, title="Welder")  # the matrix needs a role to show its rows
    return raci.add_activity("Weld inspection").name


def _competence() -> str:
    role = Role.get_or_none(Role.title == "Welder") or registers.save(
        catalogue.ROLES, None, {"title": "Welder"})
    return competence.require_competence(role, "Coded welding ticket").name


CHANGES: dict[str, Change] = {
    OVERVIEW.key: Change(_planned_review),
    "issues": Change(lambda: _save(CONTEXT_ISSUES, title="Harbour strike", kind="external",
                                   category="market", identified_on=None)),
    "parties": Change(lambda: _save(INTERESTED_PARTIES, name="Port authority", kind="owner")),
    "scope": Change(_scope_item),
    "sites": Change(lambda: _save(catalogue.SITES, name="Harbour depot")),
    "processes": Change(lambda: _save(catalogue.PROCESSES, name="Powder coating")),
    "policy": Change(_policy_draft),
    "people": Change(lambda: _save(catalogue.PEOPLE, full_name="Amira Haddad")),
    "roles": Change(lambda: _save(catalogue.ROLES, title="Stores keeper")),
    "responsibilities": Change(_raci_row, tab="&RACI matrix"),
    "risks": Change(lambda: _save(RISKS, kind="risk", title="Crane failure", likelihood="2",
                                  impact="4", treatment=None, effectiveness=None)),
    "objectives": Change(lambda: _save(OBJECTIVES, title="Cut rework by a third")),
    "resources": Change(lambda: _save(RESOURCES, name="Press brake", kind="equipment")),
    "competence": Change(_competence, tab="Required by &role"),
    "documents": Change(lambda: _save(DOCUMENTS, kind="procedure", title="Weld repair")),
    "feedback": Change(lambda: feedback.record_feedback(
        "complaint", "Dockside Marine", clock.today(), "Brackets arrived bent.").customer),
    "suppliers": Change(lambda: suppliers.add_supplier("Gulf Steel Trading").name),
    "audits": Change(lambda: audits.plan_audit(
        "Welding process audit", clock.today() + dt.timedelta(days=20)).audit.title),
    "nonconformities": Change(lambda: nonconformities.create_nonconformity(
        "Bent brackets shipped", clock.today()).title),
    "actions": Change(lambda: actions.raise_improvement(
        "Add a jig for bracket bending", None, clock.today() + dt.timedelta(days=10)).title),
    "reviews": Change(_listed_review),
}

KEYS = [entry.key for entry in ALL_ENTRIES]


def _show_tab(screen: QWidget, title: str) -> None:
    for tabs in screen.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.tabText(index).replace("&", "") == title.replace("&", ""):
                tabs.setCurrentIndex(index)
                return
    raise AssertionError(f"no tab {title!r} on {screen.accessibleName()}")


def _open(qtbot: QtBot, window: MainWindow, key: str, change: Change) -> QWidget:
    screen = window.open_screen(key)
    if change.tab:
        _show_tab(screen, change.tab)
    qtbot.waitUntil(screen.isVisible)
    return screen


def _follower(screen: QWidget) -> ChangeFollower:
    followers = screen.findChildren(ChangeFollower)
    assert followers, f"{screen.accessibleName()} follows no changes"
    return followers[0]


def _declared(key: str) -> Change:
    change = CHANGES.get(key)
    if change is None:
        pytest.fail(f"Sidebar entry {key!r} has no change declared in CHANGES: declare one "
                    "that changes a table its screen shows, through a service.")
    return change


def test_every_declared_change_is_a_sidebar_entry() -> None:
    assert set(CHANGES) <= set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_reading_again_writes_nothing(
    qtbot: QtBot, live_window: MainWindow, store: db.Store, key: str
) -> None:
    """A reload that wrote would announce a change, which would reload it again, forever."""
    change = _declared(key)
    screen = _open(qtbot, live_window, key, change)
    change.make()
    follower = _follower(screen)
    qtbot.waitUntil(lambda: not follower.stale)
    heard: list[Changes] = []
    store.changes.subscribe(heard.append)

    follower._reload()

    assert heard == []


@pytest.mark.parametrize("key", KEYS)
def test_a_visible_screen_shows_a_change(qtbot: QtBot, live_window: MainWindow, key: str) -> None:
    change = _declared(key)
    screen = _open(qtbot, live_window, key, change)
    qtbot.waitUntil(lambda: "Checking the records" not in shown_text(screen))

    text = change.make()

    assert text
    qtbot.waitUntil(lambda: text in shown_text(screen))
    assert not _follower(screen).stale


@pytest.mark.parametrize("key", KEYS)
def test_a_hidden_screen_catches_up_when_shown(
    qtbot: QtBot, live_window: MainWindow, key: str
) -> None:
    change = _declared(key)
    screen = _open(qtbot, live_window, key, change)
    follower = _follower(screen)
    elsewhere = "sites" if key != "sites" else "roles"
    live_window.open_screen(elsewhere)
    qtbot.waitUntil(lambda: not screen.isVisible())
    reloads = follower.reloads

    text = change.make()

    qtbot.waitUntil(lambda: follower.stale)  # noted, but not read while nobody looks
    assert follower.reloads == reloads
    live_window.open_screen(key)
    qtbot.waitUntil(lambda: text in shown_text(screen))
    assert follower.reloads == reloads + 1
    assert not follower.stale
