"""The context, interested parties and scope screens driven like a user would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from qms_desktop import context, policy, records
from qms_desktop.models import (
    ClimateDecision,
    ContextIssue,
    Person,
    PersonRole,
    Role,
    Site,
)
from tests.ui.interact import click, click_row_at
from ui.kit.register_screen import RegisterScreen
from ui.screens.context.context_screen import ContextScreen
from ui.screens.context.parties_screen import PartiesScreen
from ui.screens.context.scope_screen import ScopeScreen


@pytest.fixture
def show(show: Any, store: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Any unexpected question would block the test: fail loudly instead.
    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    monkeypatch.setattr(QMessageBox, "question", unexpected)
    yield lambda screen: show(screen, (1200, 760))


def _titles(register: RegisterScreen) -> list[str]:
    model = register.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def _issue(title: str, **values: Any) -> ContextIssue:
    values.setdefault("identified_on", dt.date.today() - dt.timedelta(days=800))
    return records.create(ContextIssue, title=title, kind="internal", category="people",
                          **values)


# --- Context and issues --------------------------------------------------------------------


def test_record_an_issue_through_the_register(qtbot: QtBot, show: Any) -> None:
    screen = show(ContextScreen())
    issues = screen.issues
    click(qtbot, issues.new_button)
    qtbot.keyClicks(issues.form.editor("title"), "Key supplier may close")
    qtbot.keyClicks(issues.form.editor("kind"), "Ext")
    qtbot.keyClicks(issues.form.editor("category"), "Econ")
    qtbot.keyClicks(issues.form.editor("effect"), "Lead times would double.")
    click(qtbot, issues.save_button)
    saved = ContextIssue.get(ContextIssue.title == "Key supplier may close")
    assert (saved.kind, saved.category) == ("external", "economic")
    assert saved.identified_on == dt.date.today()  # left empty: today
    assert _titles(issues) == ["Key supplier may close"]


def test_filter_issues_not_reviewed_for_twelve_months(qtbot: QtBot, show: Any) -> None:
    today = dt.date.today()
    _issue("Reviewed in spring", last_reviewed_on=today - dt.timedelta(days=40))
    _issue("Forgotten", last_reviewed_on=today - dt.timedelta(days=500))
    _issue("Never looked at again")
    screen = show(ContextScreen())
    assert len(_titles(screen.issues)) == 3
    screen.issues.filter_combo.setFocus()
    qtbot.keyClicks(screen.issues.filter_combo, "N")  # "Not reviewed…", by its letter
    assert screen.issues.filter_combo.currentText() == "Not reviewed for 12 months"
    assert sorted(_titles(screen.issues)) == ["Forgotten", "Never looked at again"]


def test_climate_gap_then_decision_with_reason_required(qtbot: QtBot, show: Any) -> None:
    boss = records.create(Person, full_name="Ada Owner")
    screen = show(ContextScreen())
    assert screen.climate_label.text().startswith("Not decided yet")
    assert not screen.history_button.isVisible()

    click(qtbot, screen.record_button)
    dialog = screen.active_dialog
    assert dialog is not None
    click(qtbot, dialog.relevant_radio)
    click(qtbot, dialog.record_button)  # no reason yet
    assert dialog.isVisible()
    assert "Say why" in dialog.error_label.text()
    assert ClimateDecision.select().count() == 0

    qtbot.keyClicks(dialog.reason_edit, "Storms closed the site twice.")
    dialog.by_combo.setCurrentIndex(dialog.by_combo.findData(boss.id))
    click(qtbot, dialog.record_button)
    assert not dialog.isVisible()
    decision = context.climate_decision()
    assert decision is not None and decision.relevant and decision.decided_by.id == boss.id
    assert screen.climate_label.text().startswith("Climate change is a relevant issue — decided")
    assert "Storms closed the site twice." in screen.climate_label.text()
    assert screen.history_button.isVisible()
    history = screen.open_history_dialog()
    assert history.table.rowCount() == 1
    history.reject()


def test_changes_list_shows_a_just_edited_issue(qtbot: QtBot, show: Any) -> None:
    old = _issue("Skills shortage")
    long_ago = dt.datetime.now() - dt.timedelta(days=900)
    ContextIssue.update(created_at=long_ago, updated_at=long_ago).where(
        ContextIssue.id == old.id).execute()
    screen = show(ContextScreen())
    month_ago = dt.date.today() - dt.timedelta(days=30)
    screen.since_edit.setDate(QDate(month_ago.year, month_ago.month, month_ago.day))
    assert screen.changes_table.rowCount() == 0
    assert screen.changes_stack.currentWidget() is screen.no_changes_label

    click_row_at(qtbot, screen.issues, 0)
    qtbot.keyClicks(screen.issues.form.editor("effect"), "Hard to hire welders.")
    click(qtbot, screen.issues.save_button)
    assert screen.changes_table.rowCount() == 1
    assert screen.changes_table.item(0, 1).text() == "Changed issue"
    assert screen.changes_table.item(0, 2).text() == "Skills shortage"
    assert "(1)" in screen.tabs.tabText(1)


# --- Interested parties ----------------------------------------------------------------------


def test_party_with_two_requirements_one_not_addressed(qtbot: QtBot, show: Any) -> None:
    screen = show(PartiesScreen())
    assert "No requirements recorded yet" in screen.banner_label.text()
    assert screen.requirements_stack.currentWidget() is screen.no_party_label

    parties = screen.parties
    click(qtbot, parties.new_button)
    qtbot.keyClicks(parties.form.editor("name"), "Hospital customers")
    qtbot.keyClicks(parties.form.editor("kind"), "Cust")
    click(qtbot, parties.save_button)
    assert screen.requirements_stack.currentWidget() is screen.requirements
    assert screen.requirements_heading.text() == "Requirements of Hospital customers"

    needs = screen.requirements
    click(qtbot, needs.new_button)
    qtbot.keyClicks(needs.form.editor("requirement"), "Sterile packaging")
    qtbot.keyClicks(needs.form.editor("how_addressed"), "Clean-room packing procedure")
    click(qtbot, needs.save_button)
    click(qtbot, needs.new_button)
    qtbot.keyClicks(needs.form.editor("requirement"), "Carbon footprint per part")
    needs.form.editor("addressed").click()  # untick "Addressed by the QMS"
    click(qtbot, needs.save_button)

    assert sorted(_titles(needs)) == ["Carbon footprint per part", "Sterile packaging"]
    assert screen.unaddressed_count() == 1
    assert screen.banner_label.text().startswith("1 requirement is not addressed")
    # The parties list counts them.
    row = parties.model.row_data(0)
    assert row.cells[2:4] == ("2", "1")


def test_requirements_follow_the_chosen_party(qtbot: QtBot, show: Any) -> None:
    from qms_desktop.models import InterestedParty, PartyRequirement

    first = records.create(InterestedParty, name="Alpha customers", kind="customer")
    second = records.create(InterestedParty, name="Beta suppliers", kind="supplier")
    records.create(PartyRequirement, party=first, requirement="On time", addressed=True,
                   how_addressed="Planning")
    screen = show(PartiesScreen())
    click_row_at(qtbot, screen.parties, 0)
    assert _titles(screen.requirements) == ["On time"]
    click_row_at(qtbot, screen.parties, 1)
    assert _titles(screen.requirements) == []
    assert screen.party_id() == second.id
    assert "No requirements in “Beta suppliers”" in screen.requirements.empty_label.text()


# --- Scope -------------------------------------------------------------------------------------


def test_scope_draft_approve_and_new_draft(qtbot: QtBot, show: Any) -> None:
    records.create(Site, name="Main works, Dock Road")
    boss = records.create(Person, full_name="Ada Owner")
    role = records.create(Role, title="Managing director", is_top_management=True)
    records.create(PersonRole, person=boss, role=role)
    screen = show(ScopeScreen())
    assert screen.pages.currentWidget() is screen.empty_page

    click(qtbot, screen.first_button)
    assert screen.pages.currentWidget() is screen.splitter
    qtbot.keyClicks(screen.editor, "Machining of parts for industrial customers.")
    click(qtbot, screen.save_button)
    assert not screen.has_unsaved_changes()

    qtbot.keyClicks(screen.product_edit, "CNC machined parts")
    click(qtbot, screen.products.add_button)
    assert screen.site_combo.itemText(0) == "Main works, Dock Road"  # offered from Sites
    screen.site_combo.setCurrentIndex(0)
    click(qtbot, screen.sites.add_button)
    screen.clause_combo.setCurrentIndex(screen.clause_combo.findData("7.1.5"))
    click(qtbot, screen.exclusions.add_button)  # no justification
    assert "justification" in screen.exclusions.error_label.text()
    assert screen.exclusions.error_label.isVisible()
    assert [i.kind for i in screen.items()] == ["product", "site"]

    qtbot.keyClicks(screen.justification_edit, "We own no measuring equipment.")
    click(qtbot, screen.exclusions.add_button)
    assert not screen.exclusions.error_label.isVisible()
    assert sorted(i.kind for i in screen.items()) == ["exclusion", "product", "site"]
    assert "We own no measuring equipment." in screen.exclusion_list.item(0).text()

    click(qtbot, screen.approve_button)
    dialog = screen.active_dialog
    assert dialog is not None
    assert dialog.approver_combo.currentData() == boss.id  # top management first
    click(qtbot, dialog.approve_button)
    document = context.scope_document(create=False)
    in_force = policy.in_force(document)
    assert in_force is not None and in_force.number == 1
    assert screen.editor.isReadOnly()
    assert not screen.products.controls.isVisible()
    assert not screen.exclusions.remove_button.isVisible()
    assert screen.read_only_frame.isVisible()

    click(qtbot, screen.start_draft_button)
    draft = policy.current_draft(document)
    assert draft is not None and draft.number == 2
    assert screen.version_heading.text() == "Version 2"
    assert not screen.editor.isReadOnly()
    assert sorted((i.kind, i.name) for i in screen.items()) == sorted(
        (i.kind, i.name) for i in context.scope_items(in_force)
    )
    assert screen.products.list.count() == 1 and screen.sites.list.count() == 1


def test_scope_approval_by_someone_outside_top_management(qtbot: QtBot, show: Any) -> None:
    clerk = records.create(Person, full_name="Bo Clerk")
    document = context.scope_document()
    draft = context.start_scope_draft(document)
    records.update(draft, body="Repairs of pumps.")
    context.add_scope_item(draft, "product", "Pump repairs")
    messages: list[str] = []
    screen = show(ScopeScreen())
    screen.status_message.connect(messages.append)
    dialog = screen.open_approve_dialog()
    assert dialog is not None
    dialog.select_approver(clerk)
    assert dialog.top_warning.isVisible()
    click(qtbot, dialog.approve_button)
    assert "not in a top-management role" in messages[-1]
    assert "not top management" in screen.version_meta.text()
