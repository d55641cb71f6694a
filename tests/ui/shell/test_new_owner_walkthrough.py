"""A new owner, from the first start to a draft review pack, led by the Getting started list.

The first run is filled in with the keyboard; every screen is reached by the list's own
buttons, never by the sidebar; the records are entered through the services those screens
call (each screen's own tests drive its fields); the list ticks itself as they are saved;
the review is planned in its dialog and the draft pack exported with Export PDF.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from qms_desktop import (
    catalogue,
    clock,
    context,
    db,
    policy,
    raci,
    records,
    registers,
    responsibilities,
)
from qms_desktop.clauses import DUTIES
from qms_desktop.models import (
    Audit,
    ContextIssue,
    InterestedParty,
    Kpi,
    ManagementReview,
    Objective,
    Person,
    Risk,
    Role,
)
from tests.ui.interact import click
from ui.screens.overview.overview import OverviewScreen
from ui.screens.reviews.review_dialogs import PlanReviewDialog
from ui.shell.first_run import FirstRunDialog
from ui.shell.main_window import MainWindow


def test_from_the_first_start_to_a_draft_pack_with_the_list_alone(
    qtbot: QtBot, store: db.Store, own_settings: None, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first_run = FirstRunDialog()
    qtbot.addWidget(first_run)
    first_run.show()
    qtbot.waitExposed(first_run)
    click(qtbot, first_run.welcome.setup_button)
    page = first_run.setup_page
    qtbot.keyClicks(page.name_edit, "Kestrel Fabrication")
    page.user_name_edit.clear()
    qtbot.keyClicks(page.user_name_edit, "Maria Khan")
    qtbot.keyClick(page.user_name_edit, Qt.Key.Key_Return)
    assert first_run.choice == "setup"

    window = MainWindow(store)
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    window.open_screen("overview")
    overview = window.screens["overview"]
    assert isinstance(overview, OverviewScreen)
    card = overview.getting_started
    qtbot.waitUntil(lambda: bool(card.steps))

    def follow(key: str, screen: str) -> None:
        """Back on the overview, the step is the next one; its button opens `screen`."""
        window.open_screen("overview")
        qtbot.waitUntil(lambda: next(s for s in card.steps if not s.done).key == key)
        button = card.buttons[key]
        qtbot.waitUntil(lambda: button.isVisible() and button.height() > 0)
        click(qtbot, button)
        assert window.current_key() == screen

    def done() -> int:
        window.open_screen("overview")
        qtbot.waitUntil(lambda: card.steps is not None)
        return sum(s.done for s in card.steps)

    today = clock.today()
    maria = Person.get(Person.full_name == "Maria Khan")
    top = Role.get(Role.title == "Managing Director")
    quality = Role.get(Role.title == "Quality Manager")

    follow("people", "people")
    ann = registers.save(catalogue.PEOPLE, None, {"full_name": "Ann Lee"})
    responsibilities.set_role(ann, quality, True)

    follow("policy", "policy")
    draft = policy.start_draft(policy.policy_document(), "We make parts right first time.")
    policy.approve(draft, maria, confirm_unmet=True)
    follow("policy", "policy")  # still open: nobody has acknowledged it yet
    policy.acknowledge_all(draft, [maria.id, ann.id], today)

    follow("duties", "responsibilities")
    for duty in DUTIES:
        responsibilities.assign_duty(duty.key, role=quality, communicated_on=today)

    follow("processes", "processes")
    production = registers.save(catalogue.PROCESSES, None, {"name": "Production",
                                                            "owner": ann.id})
    follow("processes", "responsibilities")  # the RACI matrix is next
    raci.set_letter(production, quality, "R")
    raci.set_letter(production, top, "A")

    follow("context", "issues")
    records.create(ContextIssue, kind="external", category="market", title="Steel prices",
                   identified_on=today)
    context.decide_climate(False, "Indoor machining only.", maria)
    follow("context", "parties")
    records.create(InterestedParty, name="Customers", kind="customer")
    follow("context", "scope")
    scope = context.start_scope_draft(context.scope_document())
    context.edit_scope_draft(scope, "Machined parts made at the main works.")
    context.add_scope_item(scope, "product", "Machined parts")
    context.approve_scope(scope, maria)

    follow("risks", "risks")
    records.create(Risk, title="Late steel", kind="risk", likelihood=3, impact=4)
    records.create(Risk, title="New customer", kind="opportunity", likelihood=2, impact=3)

    follow("objectives", "objectives")
    objective = records.create(Objective, title="On-time delivery", owner=ann)
    records.create(Kpi, name="OTD", unit="%", target=95, objective=objective)

    follow("audit", "audits")
    records.create(Audit, title="Production audit", planned_on=today, status="done",
                   held_on=today)
    assert done() == 8

    # The last step: plan the review in its dialog and send the draft pack.
    follow("review", "reviews")
    reviews_screen = window.current_screen()
    window.new_action.trigger()
    dialog = reviews_screen.findChild(PlanReviewDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.chair_combo.setCurrentIndex(dialog.chair_combo.findData(maria.id))
    click(qtbot, dialog.plan_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert ManagementReview.get().status == "planned"

    target = tmp_path / "draft pack.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_args, **_kw: (str(target), "")))
    click(qtbot, reviews_screen.export_pdf_button)
    assert target.read_bytes().startswith(b"%PDF")
    assert done() == 8  # held, not only planned, ticks the last step
