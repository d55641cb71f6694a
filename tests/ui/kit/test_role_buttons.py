"""A window that respects the signed-in role, on a real PostgreSQL server: a register the
role may only read shows New, Archive and Save disabled with the reason beside them and its
form read-only; a register it may change (and any register on a file) works as before; forms
outside the register pattern show the services' refusal in a plain sentence."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from qms_desktop import accounts, clock, organisation, policy, records, reviews, server
from qms_desktop.catalogue import SITES
from qms_desktop.improvement_registers import NONCONFORMITIES
from qms_desktop.models import (
    DocumentVersion,
    ManagementReview,
    Person,
    Supplier,
    SupplierEvaluation,
)
from qms_desktop.support_registers import SUPPLIERS
from tests.postgres import Server
from tests.ui.shell.fit_check import Settling, problems
from ui.kit.register_screen import RegisterScreen
from ui.screens.policy.policy_dialogs import ApproveDialog
from ui.screens.reviews.review_dialogs import CloseReviewDialog
from ui.screens.suppliers.suppliers_screen import SuppliersScreen
from ui.shell.main_window import MainWindow

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)
VIEWER_ON_SUPPLIERS = ("Your role (Viewer) lets you read; ask a quality officer or top "
                       "management to change suppliers.")


class Team:
    """A set-up database on the run's server, and members signing in to it."""

    def __init__(self, postgres: Server, dbname: str) -> None:
        self.postgres = postgres
        self.dbname = dbname
        self.open_stores: list[server.ServerStore] = []

    def member(self, base: str, role: str, name: str) -> str:
        login = f"{base}_{next(_numbers)}_{self.dbname.rsplit('_', 1)[-1]}"
        with server.open_server(self.postgres.url(self.dbname)):
            accounts.add_account(login, name, role, PASSWORD)
        return login

    def sign_in(self, role: str, name: str) -> server.ServerStore:
        login = self.member(role.split("_")[0], role, name)
        store = server.open_server(self.postgres.password_url(self.dbname, login),
                                   ask_password=lambda address: PASSWORD)
        self.open_stores.append(store)
        assert accounts.signed_in() == accounts.SignedIn(login, name, role)
        return store


@pytest.fixture
def team(postgres_server: Server, server_url: str,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with server.open_server(server_url):  # the administrator, trusted on the socket
        organisation.set_up(organisation.OrganisationSetup(
            name="Kestrel Fabrication", sites=["Main works"], currency="EUR",
            user_name="Maria Khan", owner_title="Managing director"))
        records.create(Supplier, name="Acme Castings")
    made = Team(postgres_server, server_url.rsplit("/", 1)[1])
    yield made
    for store in made.open_stores:
        store.close()


def register_screen(show: Callable[..., Any], register: Any) -> RegisterScreen:
    screen: RegisterScreen = show(RegisterScreen(register), (1100, 650))
    return screen


def test_a_viewer_reads_a_register_and_is_told_why_it_cannot_be_changed(
        qtbot: QtBot, show: Callable[..., Any], team: Team) -> None:
    team.sign_in("viewer", "Vera Novak")
    screen = register_screen(show, SUPPLIERS)

    assert not screen.new_button.isEnabled()
    assert screen.write_reason.isVisible()
    assert screen.write_reason.text() == VIEWER_ON_SUPPLIERS
    assert screen.new_button.toolTip() == VIEWER_ON_SUPPLIERS
    assert screen.form.title_label.text() == "No supplier chosen"

    screen.table.selectRow(0)
    qtbot.waitUntil(lambda: screen.form.record is not None)
    assert screen.form.title_label.text() == "Acme Castings"
    for button in (screen.archive_button, screen.save_button, screen.revert_button):
        assert not button.isEnabled()
        assert button.toolTip() == VIEWER_ON_SUPPLIERS
    name = screen.form.editor("name")
    assert isinstance(name, QLineEdit) and name.isReadOnly()
    qtbot.keyClicks(name, " Ltd")
    assert name.text() == "Acme Castings" and not screen.has_unsaved_changes()

    # The keys do nothing either: Delete on the list, New (Ctrl+N), and the status says why.
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    assert Supplier.get(Supplier.name == "Acme Castings").archived_at is None
    with qtbot.waitSignal(screen.status_message) as said:
        screen.new_record()
    assert said.args == [VIEWER_ON_SUPPLIERS]
    assert screen.form.record is not None and screen.form.title_label.text() == "Acme Castings"


def test_an_auditor_changes_nonconformities_but_only_reads_sites(
        show: Callable[..., Any], team: Team) -> None:
    team.sign_in("auditor", "Ade Bello")
    sites = register_screen(show, SITES)
    assert not sites.new_button.isEnabled()
    assert sites.write_reason.text() == (
        "Your role (Auditor) lets you read; ask a quality officer or top management to "
        "change sites.")

    found = register_screen(show, NONCONFORMITIES)
    assert found.new_button.isEnabled()
    assert not found.write_reason.isVisible()
    assert found.form.title_label.text() == "New nonconformity"
    title = found.form.editor("title")
    assert isinstance(title, QLineEdit) and not title.isReadOnly()


def test_a_quality_officer_changes_suppliers(show: Callable[..., Any], team: Team) -> None:
    team.sign_in("quality_officer", "Quinn Fox")
    screen = register_screen(show, SUPPLIERS)
    assert screen.new_button.isEnabled() and not screen.write_reason.isVisible()
    screen.table.selectRow(0)
    assert screen.archive_button.isEnabled()


def test_on_a_file_every_register_may_be_changed(show: Callable[..., Any],
                                                 store: object) -> None:
    screen = register_screen(show, SUPPLIERS)
    assert screen.write_refusal == ""
    assert screen.new_button.isEnabled()
    assert not screen.write_reason.isVisible()
    assert screen.new_button.toolTip() == "Add a supplier (Ctrl+N)"


def test_a_viewers_window_disables_the_suppliers_screen_with_the_reason(
        qtbot: QtBot, team: Team) -> None:
    store = team.sign_in("viewer", "Vera Novak")
    window = MainWindow(store)
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    screen = window.open_screen("suppliers")
    assert isinstance(screen, RegisterScreen)
    assert not screen.new_button.isEnabled()
    assert screen.write_reason.isVisible()
    assert screen.write_reason.text() == VIEWER_ON_SUPPLIERS
    window.new_action.trigger()  # Edit → New record (Ctrl+N)
    assert window.statusBar().currentMessage() == VIEWER_ON_SUPPLIERS


def test_approving_the_policy_as_a_viewer_is_refused_in_a_plain_sentence(
        qtbot: QtBot, team: Team) -> None:
    with server.open_server(team.postgres.url(team.dbname)):
        draft = policy.start_draft(policy.policy_document(), "We make castings right.")
    team.sign_in("viewer", "Vera Novak")
    dialog = ApproveDialog(DocumentVersion.get_by_id(draft.id))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_approver(Person.get(Person.full_name == "Maria Khan"))
    if dialog.confirm_check.isVisibleTo(dialog):
        dialog.confirm_check.setChecked(True)
    assert dialog.approve_button.isEnabled()
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("Not approved: Your role (Viewer) does not "
                                                "let you change ")
    assert DocumentVersion.get_by_id(draft.id).status == "draft"


def test_closing_a_review_as_a_quality_officer_is_refused_in_a_plain_sentence(
        qtbot: QtBot, team: Team) -> None:
    with server.open_server(team.postgres.url(team.dbname)):
        maria = Person.get(Person.full_name == "Maria Khan")
        review = reviews.plan_review(clock.today(), chair=maria)
    team.sign_in("quality_officer", "Quinn Fox")
    dialog = CloseReviewDialog(ManagementReview.get_by_id(review.id))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_closer(Person.get(Person.full_name == "Maria Khan"))
    dialog.reason_edit.setPlainText("Closed for the test.")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        "Not closed: Your role (Quality officer) does not let you close a management "
        "review. Ask top management.")
    assert ManagementReview.get_by_id(review.id).closed_at is None


@pytest.mark.parametrize(("width", "height"), [(1024, 640), (1366, 768)],
                         ids=["1024x640", "1366x768"])
def test_a_viewers_screen_fits_a_small_laptop(qtbot: QtBot, team: Team, width: int,
                                              height: int,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The reason under New and Archive takes its own line: nothing in the toolbar is
    squeezed for it, at either size (tests/ui/shell/fit_check.py)."""
    monkeypatch.setattr(QScreen, "availableGeometry",
                        lambda _screen: QRect(0, 0, width, height - 60))
    monkeypatch.setattr(QScreen, "geometry", lambda _screen: QRect(0, 0, width, height))
    store = team.sign_in("viewer", "Vera Novak")
    window = MainWindow(store)
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.reminder.hide()
    window.setWindowState(Qt.WindowState.WindowNoState)  # offscreen, maximised is 800 high
    window.resize(width, height - 60)  # a title bar and a panel take the rest
    window.show()
    qtbot.waitExposed(window)
    screen = window.open_screen("suppliers")
    assert isinstance(screen, RegisterScreen)
    screen.table.selectRow(0)
    qtbot.waitUntil(lambda: screen.form.record is not None)
    qtbot.waitUntil(Settling(window))
    folder = os.environ.get("FIT_SHOTS_DIR")
    if folder:
        window.grab().save(str(Path(folder) / f"viewer-suppliers-{width}.png"))
    assert screen.write_reason.isVisible()
    assert screen.write_reason.height() <= 2 * screen.write_reason.fontMetrics().height()
    assert problems(window) == []


def test_evaluating_a_supplier_as_a_viewer_is_refused_before_and_in_the_dialog(
        qtbot: QtBot, team: Team) -> None:
    """The suppliers screen's own Evaluate… is disabled with the reason, and says nothing
    about pressing it; were its dialog opened all the same, the service's refusal shows in
    it with the scores typed kept."""
    store = team.sign_in("viewer", "Vera Novak")
    window = MainWindow(store)
    window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(window)
    window.show()
    screen = window.open_screen("suppliers")
    assert isinstance(screen, SuppliersScreen)
    screen.table.selectRow(0)
    qtbot.waitUntil(lambda: screen.form.record is not None)
    assert not screen.evaluate_button.isEnabled()
    assert screen.evaluate_button.toolTip() == (
        "Your role (Viewer) lets you read; ask a quality officer or top management to "
        "change supplier evaluations.")
    assert screen.no_evaluations.text() == "Acme Castings has not been evaluated yet."
    qtbot.mouseClick(screen.evaluate_button, Qt.MouseButton.LeftButton)
    assert screen.dialog is None

    screen.evaluate()
    dialog = screen.dialog
    assert dialog is not None
    for criterion in ("quality", "delivery", "price", "responsiveness"):
        dialog.set_value(criterion, 4)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.problem() == ("Your role (Viewer) does not let you change supplier "
                                "evaluations. Ask a quality officer or top management.")
    assert dialog.value("quality") == 4
    assert SupplierEvaluation.select().count() == 0
