"""Every screen and dialog fits a small laptop: 1024 x 640 and 1366 x 768.

Each sidebar screen is opened in the real main window at that size, and each dialog the
screens open is opened over it with the sample company's data; `fit_check.problems` then
names any label, button, tab or field narrower than its text, and anything out of sight with
no scroll area around it. Set FIT_SHOTS_DIR to keep a picture of each one.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QApplication, QDialog, QStackedWidget, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

import ui
from qms_desktop import db
from tests.ui.shell.fit_check import Settling, explain, problems, problems_on_every_tab
from ui.kit.register_screen import RegisterScreen
from ui.shell.app import create_application
from ui.shell.main_window import ALL_ENTRIES, MainWindow, window_settings

ROOT = Path(__file__).resolve().parents[3]
SIZES = [(1024, 640), (1366, 768)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
# A window manager's title bar and a desktop panel take this much of the screen's height.
DESKTOP_CHROME = 48
# Laying out and loading a screen takes well under this even on a busy machine.
SETTLE_TIMEOUT_MS = 20_000
# Each register form is checked showing this many records (the list's first), filled in.
FORM_RECORDS = 5


# Screens and dialogs this test still finds cut off, by test id: each is expected to fail
# (strict, so one that starts to fit must leave this list). Fixing them is open work.
WIDER_THAN_1024 = "its minimum width is over what a 1024-wide window leaves beside the sidebar"
NOT_YET_FITTING: dict[str, str] = {
}


def _expect_unfit(request: pytest.FixtureRequest) -> None:
    case = request.node.callspec.id
    if case in NOT_YET_FITTING:
        request.applymarker(pytest.mark.xfail(strict=True, reason=NOT_YET_FITTING[case]))


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample company, built once by the real command (`main.py demo`)."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(path)],
                          cwd=ROOT, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode:
        pytest.fail(f"`main.py demo` failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return path


def _screen_of(monkeypatch: pytest.MonkeyPatch, width: int, height: int) -> None:
    """Windows that size themselves to the screen see a laptop's screen of this size."""
    available = QRect(0, 0, width, height - DESKTOP_CHROME)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: available)
    monkeypatch.setattr(QScreen, "geometry", lambda _screen: QRect(0, 0, width, height))


def _keep_picture(widget: QWidget, name: str, width: int) -> None:
    folder = os.environ.get("FIT_SHOTS_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"fit-{name}-{width}.png"))


@pytest.fixture(scope="module", params=SIZES, ids=SIZE_IDS)
def shared_window(request: pytest.FixtureRequest, sample_template: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[MainWindow]:
    """One main window per laptop size on a copy of the sample, shared by the tests of that
    size: each screen keeps what it has built, as in a session where the user goes from
    screen to screen, and the sample is read once instead of once per screen and dialog."""
    width, height = request.param
    create_application()  # the product's style (Fusion) and application-wide filters
    _THREADS_BEFORE.clear()
    _THREADS_BEFORE.update(threading.enumerate())
    path = tmp_path_factory.mktemp(f"sample-{width}") / "sample.db"
    shutil.copyfile(sample_template, path)
    store = db.open_database(path)
    with pytest.MonkeyPatch.context() as patch:
        _screen_of(patch, width, height)
        window_settings().clear()  # a first start: no splitter or screen left by another run
        window = MainWindow(store)
        window.confirm_unsaved_changes = lambda: True  # type: ignore[method-assign]
        window.setWindowState(Qt.WindowState.WindowNoState)
        try:
            yield window
        finally:
            window.close()
            window.deleteLater()
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            store.close()


# The threads running before the shared window was made: any other (a screen loading on a
# thread of its own) must have finished before a window counts as settled.
_THREADS_BEFORE: set[threading.Thread] = set()


def _settle(qtbot: QtBot, window: QWidget) -> None:
    """Wait until `window` has finished laying itself out and loading (`Settling`)."""
    qtbot.waitUntil(Settling(window, threads=_THREADS_BEFORE), timeout=SETTLE_TIMEOUT_MS)


@pytest.fixture
def window_at(qtbot: QtBot, shared_window: MainWindow) -> Callable[[int, int], MainWindow]:
    """The shared window of this size, shown at that size."""

    def opened(width: int, height: int) -> MainWindow:
        window = shared_window
        window.reminder.hide()  # shown only when actions are due: measure without its room
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        _settle(qtbot, window)
        return window

    return opened


def _assert_fits(qtbot: QtBot, window: QWidget, size: QSize, what: str) -> None:
    _settle(qtbot, window)
    if window.width() > size.width() or window.height() > size.height():
        if os.environ.get("FIT_EXPLAIN"):
            print("\n".join(explain(window, vertical=window.height() > size.height(), limit=12)))
        pytest.fail(f"{what} cannot be made {size.width()} x {size.height()}: it stays "
                    f"{window.width()} x {window.height()} (its minimum is "
                    f"{window.minimumSizeHint().width()} x {window.minimumSizeHint().height()})",
                    pytrace=False)
    found = problems_on_every_tab(window, lambda: _settle(qtbot, window))
    if found:
        pytest.fail(f"{what} at {size.width()} x {size.height()}:\n  " + "\n  ".join(found),
                    pytrace=False)


def _size_of(request: pytest.FixtureRequest) -> tuple[int, int]:
    """The laptop size this test runs at (the shared window's parameter)."""
    width, height = request.node.callspec.params["shared_window"]
    return width, height


@pytest.mark.parametrize("key", [entry.key for entry in ALL_ENTRIES])
def test_every_screen_fits(window_at, qtbot, request, key: str) -> None:
    _expect_unfit(request)
    width, height = _size_of(request)
    window = window_at(width, height)
    window.reminder.show()  # the screens must fit with the reminder bar above them
    window.open_screen(key)
    screen = window.screens[key]
    assert screen.isVisible()
    _settle(qtbot, window)
    _keep_picture(window, key, width)
    _assert_fits(qtbot, window, QSize(width, height), f"The {key} screen")
    found = _filled_form_problems(qtbot, window, screen)
    if found:
        pytest.fail(f"The {key} screen's forms at {width} x {height}:\n  " + "\n  ".join(found),
                    pytrace=False)


def _in_front(widget: QWidget) -> None:
    """Bring the tab holding `widget` (and the tabs holding that) to the front."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            parent.parentWidget().setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()


def _filled_form_problems(qtbot: QtBot, window: MainWindow, screen: QWidget) -> list[str]:
    """Problems in each register form of `screen` showing each of its first FORM_RECORDS
    records: an empty form shows no choice or value too long for its field."""
    registers = [screen] if isinstance(screen, RegisterScreen) else []
    registers += screen.findChildren(RegisterScreen)
    found: list[str] = []
    for register in registers:
        _in_front(register)
        for row in range(min(register.model.rowCount(), FORM_RECORDS)):
            record_id = register.model.record_id(row)
            assert register.show_record(record_id)
            _settle(qtbot, register.form)
            shown = register.form.record
            name = shown.display_name() if shown is not None else record_id
            found.extend(f"{register.register.title}, “{name}”: {problem}"
                         for problem in problems(window, within=register.form)
                         if problem not in found)
    return found


def test_the_sidebar_reaches_every_entry(window_at, request) -> None:
    width, height = _size_of(request)
    window = window_at(width, height)
    window.reminder.show()
    sidebar = window.sidebar
    for key, item in sidebar.items.items():
        sidebar.scrollToItem(item)
        rect = sidebar.visualItemRect(item)
        assert sidebar.viewport().rect().contains(rect), key
    if height >= 768:
        # A laptop's screen shows every entry without scrolling.
        sidebar.scrollToTop()
        last = sidebar.items[ALL_ENTRIES[-1].key]
        assert sidebar.viewport().rect().contains(sidebar.visualItemRect(last))


# --- Dialogs ---------------------------------------------------------------------------------


class _Opened:
    """Dialogs a screen opens, caught instead of run (`open` and `exec` would wait)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.dialogs: list[QDialog] = []
        monkeypatch.setattr(QDialog, "open", lambda dialog: self.dialogs.append(dialog))
        monkeypatch.setattr(QDialog, "exec", self._exec)

    def _exec(self, dialog: QDialog) -> int:
        self.dialogs.append(dialog)
        return QDialog.DialogCode.Rejected.value

    def last(self) -> QDialog:
        assert self.dialogs, "the screen opened no dialog"
        return self.dialogs[-1]


def _first(model, *conditions):
    query = model.select()
    for condition in conditions:
        query = query.where(condition)
    found = query.first()
    assert found is not None, f"the sample has no {model.__name__} for this dialog"
    return found


def _version_of(kind: str):
    from qms_desktop.models import Document, DocumentVersion

    document = _first(Document, Document.kind == kind)
    return (DocumentVersion.select().where(DocumentVersion.document == document)
            .order_by(DocumentVersion.created_at.desc()).first())


def _review():
    from qms_desktop.models import ManagementReview

    return (ManagementReview.select().order_by(ManagementReview.meeting_on.desc()).first())


def _action_screen_dialog(window: MainWindow, opened: _Opened, method: str) -> QDialog:
    from qms_desktop.models import Action

    screen = window.open_screen("actions")
    if method != "new_record":  # a dialog about the action shown
        screen._show_action(_first(Action, Action.done_on.is_null()))
    getattr(screen, method)()
    return opened.last()


def _nc_dialog(window: MainWindow, opened: _Opened, method: str) -> QDialog:
    from qms_desktop.models import Nonconformity

    screen = window.open_screen("nonconformities")
    nc = _first(Nonconformity, Nonconformity.closed_on.is_null())
    screen.show_record(nc.id)
    getattr(screen, method)()
    return opened.last()


def _new_audit(window, _opened):
    from ui.screens.audits.audits_screen import PlanAuditDialog

    return PlanAuditDialog(None, window)


def _audit():
    from qms_desktop.models import Audit

    return _first(Audit)


def _request_dialog(window, _opened):
    from ui.kit.money_edit import ui_locale
    from ui.screens.resources.resources_screen import RequestDialog

    return RequestDialog(ui_locale(), window)


def _decide_dialog(window, _opened):
    from qms_desktop.models import ResourceRequest
    from ui.screens.resources.resources_screen import DecideDialog

    return DecideDialog(_first(ResourceRequest), "AED 85,000.00", window)


def _calibration_dialog(window, _opened):
    from qms_desktop.models import Resource
    from ui.screens.resources.resources_screen import CalibrationDialog

    instrument = _first(Resource, Resource.calibration_interval_months.is_null(False))
    return CalibrationDialog(instrument, window)


def _pack_preview(window, _opened):
    from qms_desktop import packs
    from ui.screens.reviews.pack_preview import PackPreviewDialog

    return PackPreviewDialog(packs.build_pdf(_review()), "Review pack", window)


def _kpi_action(window, _opened):
    from qms_desktop.models import Kpi
    from ui.screens.objectives.objectives_screen import RaiseActionDialog

    return RaiseActionDialog(_first(Kpi), window)


def _risk_action(window, _opened):
    from qms_desktop.models import Risk
    from ui.screens.risks.risks_screen import AddActionDialog

    return AddActionDialog(_first(Risk), window)


def _leaver(window, _opened):
    from qms_desktop.models import Person
    from ui.screens.people.leaver_dialog import LeaverDialog

    return LeaverDialog(_first(Person, Person.left_on.is_null()), window)


def _site_conflicts(window, _opened):
    from qms_desktop.audit_kit import Conflict, Side
    from qms_desktop.models import Finding
    from ui.screens.audits.site_kit import ConflictDialog

    app = Side("conforms", "", "Quality Officer", dt.datetime(2026, 11, 30, 9, 5))
    kit = Side("minor", "Two supplier files had no evaluation on record; the buyer said they "
               "were approved by phone.", "Auditor on site", dt.datetime(2026, 12, 1, 10, 40))
    findings = Finding.select().order_by(Finding.position).limit(3)
    return ConflictDialog(tuple(Conflict(f, app, kit) for f in findings), window)


def _connect_dialog(window, _opened):
    """With two recent connections and a refusal said in it: its tallest."""
    from qms_desktop import server
    from ui.shell.connect_dialog import ConnectDialog, remember_connection

    address = server.ServerAddress.parse("postgresql://maria@qms.kestrel.example:5432/qms")
    remember_connection(server.ServerAddress.parse("postgresql://maria@10.0.4.12:5432/qms"))
    remember_connection(address)
    refused = server.password_needed(
        address, Exception('password authentication failed for user "maria"'))
    return ConnectDialog(window, address=address, problem=refused)


def _made(module: str, name: str, *args: Callable[[], object], **kwargs: object):
    """A dialog made as `name(*args(), parent=window)`."""

    def make(window, _opened):
        cls = getattr(importlib.import_module(module), name)
        return cls(*(arg() for arg in args), parent=window, **kwargs)

    return make


REVIEWS = "ui.screens.reviews.review_dialogs"
POLICY = "ui.screens.policy.policy_dialogs"
AUDIT_RUN = "ui.screens.audits.audit_run"

# Each dialog class under ui/, with how a screen opens it on the sample's data.
DIALOGS: dict[str, Callable[[MainWindow, _Opened], QDialog]] = {
    "first-run": _made("ui.shell.first_run", "FirstRunDialog"),
    "settings": _made("ui.shell.settings_dialog", "SettingsDialog"),
    "connect": _connect_dialog,
    "help": _made("ui.shell.help_dialog", "HelpDialog", lambda: "start"),
    "import": _made("ui.shell.import_dialog", "ImportDialog"),
    "new-review": _made(REVIEWS, "PlanReviewDialog", today=dt.date(2026, 12, 1)),
    "review-attendee": _made(REVIEWS, "AttendeeDialog", _review),
    "review-decision": _made(REVIEWS, "DecisionDialog", _review),
    "review-close": _made(REVIEWS, "CloseReviewDialog", _review),
    "pack-preview": _pack_preview,
    "new-action": lambda w, o: _action_screen_dialog(w, o, "new_record"),
    "action-move-due-date": lambda w, o: _action_screen_dialog(w, o, "move_due_date"),
    "action-mark-done": lambda w, o: _action_screen_dialog(w, o, "mark_done"),
    "nc-add-cause": lambda w, o: _nc_dialog(w, o, "add_cause"),
    "nc-corrective-action": lambda w, o: _nc_dialog(w, o, "add_action"),
    "kpi-raise-action": _kpi_action,
    "risk-add-action": _risk_action,
    "risk-matrix": _made("ui.screens.risks.risk_matrix_dialog", "RiskMatrixDialog"),
    "policy-approve": _made(POLICY, "ApproveDialog", lambda: _version_of("policy")),
    "policy-communicate": _made(POLICY, "CommunicationDialog", lambda: _version_of("policy")),
    "policy-acknowledge": _made(POLICY, "AcknowledgementDialog", lambda: _version_of("policy")),
    "policy-compare": _made(POLICY, "CompareDialog", lambda: _version_of("policy").document),
    "scope-approve": _made("ui.screens.context.scope_screen", "ScopeApproveDialog",
                           lambda: _version_of("scope")),
    "climate-decision": _made("ui.screens.context.context_screen", "ClimateDecisionDialog"),
    "climate-history": _made("ui.screens.context.context_screen", "ClimateHistoryDialog"),
    "new-audit": _new_audit,
    "audit-template": _made("ui.screens.audits.audits_screen", "TemplateDialog"),
    "audit-question": lambda w, o: importlib.import_module(AUDIT_RUN).QuestionDialog(
        "New question", w),
    "audit-copy-template": _made(AUDIT_RUN, "CopyTemplateDialog", _audit),
    "audit-complete": _made(AUDIT_RUN, "CompleteAuditDialog", _audit),
    "audit-site-conflicts": _site_conflicts,
    "resource-request": _request_dialog,
    "resource-decide": _decide_dialog,
    "resource-calibration": _calibration_dialog,
    "resource-adequacy": _made("ui.screens.resources.resources_screen", "AdequacyDialog"),
    "leaver": _leaver,
    "record-changed-compare": _made("ui.kit.record_changed", "ChangesDialog", lambda: [
        ("Description", "The supplier's certificate lapsed in March and was renewed late; "
         "the buyer kept the old copy on file.", "Certificate renewed."),
        ("Owner", "Maria Khan", "Quality Officer"), ("Due", "2026-12-01", "2026-12-15")]),
}

# Dialog classes the cases above make, by the class's own name: a new dialog class under
# ui/ fails `test_every_dialog_class_is_covered` until it gets a case.
COVERED_CLASSES = {
    "FirstRunDialog", "SettingsDialog", "ConnectDialog", "HelpDialog", "ImportDialog",
    "PlanReviewDialog",
    "AttendeeDialog", "DecisionDialog", "CloseReviewDialog", "PackPreviewDialog", "FormDialog",
    "RaiseActionDialog",
    "AddActionDialog", "RiskMatrixDialog", "ApproveDialog", "CommunicationDialog",
    "AcknowledgementDialog", "CompareDialog", "ScopeApproveDialog", "ClimateDecisionDialog",
    "ClimateHistoryDialog", "PlanAuditDialog", "TemplateDialog", "QuestionDialog",
    "CopyTemplateDialog", "CompleteAuditDialog", "RequestDialog", "DecideDialog",
    "CalibrationDialog", "AdequacyDialog", "LeaverDialog", "ConflictDialog",
    "ChangesDialog",
    # Only on a server, looked at there at both sizes: tests/ui/shell/test_team_dialog.py
    # and test_password_dialog.py.
    "TeamDialog", "AddMemberDialog", "ChangeRoleDialog", "SetPasswordDialog", "PasswordDialog",
}


def test_every_dialog_class_is_covered() -> None:
    for module in pkgutil.walk_packages(ui.__path__, "ui."):
        importlib.import_module(module.name)
    found: set[str] = set()
    pending = list(QDialog.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("ui."):
            found.add(cls.__name__)
    assert found - COVERED_CLASSES == set()


@pytest.mark.parametrize("name", list(DIALOGS))
def test_every_dialog_fits(window_at, qtbot, monkeypatch, request, name: str) -> None:
    _expect_unfit(request)
    width, height = _size_of(request)
    window = window_at(width, height)
    opened = _Opened(monkeypatch)
    dialog = DIALOGS[name](window, opened)
    monkeypatch.undo()  # let the dialog show itself for real (the screen stays a laptop's)
    qtbot.addWidget(dialog)
    try:
        dialog.show()
        qtbot.waitExposed(dialog)
        _settle(qtbot, dialog)
        room = QSize(width, height - DESKTOP_CHROME)
        if dialog.width() > room.width() or dialog.height() > room.height():
            dialog.resize(dialog.size().boundedTo(room))  # as a window manager fits it
            _settle(qtbot, dialog)
        _keep_picture(dialog, name, width)
        _assert_fits(qtbot, dialog, room, f"The {name} dialog")
    finally:
        dialog.reject()
        dialog.deleteLater()  # the window is shared: leave it no dialogs
