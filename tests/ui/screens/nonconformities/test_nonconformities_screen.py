"""The nonconformity screen driven like a user: from a complaint to a verified, closed NC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import actions, nonconformities
from qms_desktop.models import FishboneCause, Nonconformity, WhyStep
from tests.ui.interact import click
from ui.kit.form_dialog import FormDialog
from ui.screens.feedback.feedback_screen import FeedbackScreen
from ui.screens.nonconformities.nonconformities_screen import (
    CLOSING_TAB,
    ROOT_TAB,
    TRENDS_TAB,
    NonconformitiesScreen,
)

TODAY = dt.date.today()


@pytest.fixture
def nc_screen(show: Any, store: object) -> Iterator[NonconformitiesScreen]:
    yield show(NonconformitiesScreen())


def _choose(qtbot: QtBot, combo: QWidget, value: str) -> None:
    """Pick the item whose data is `value` with the keyboard, as a user would."""
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    target = combo.findData(value)
    assert target >= 0
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(target):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == value


def _dialog(screen: Any) -> FormDialog:
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _type_why(qtbot: QtBot, screen: NonconformitiesScreen, index: int, text: str) -> None:
    edit = screen.whys.edits[index]
    edit.setFocus()
    qtbot.keyClicks(edit, text)


def test_a_complaint_becomes_a_verified_corrective_action(
    qtbot: QtBot, show: Any, nc_screen: NonconformitiesScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Record the complaint in the feedback screen and raise a nonconformity from it.
    feedback_screen = show(FeedbackScreen())
    messages: list[str] = []
    feedback_screen.status_message.connect(messages.append)
    register = feedback_screen.register_screen
    register.new_record()
    form = register.form
    _choose(qtbot, form.editor("kind"), "complaint")
    qtbot.keyClicks(form.editor("customer"), "Acme Ltd")
    date_edit = form.editor("received_on")
    date_edit.setFocus()
    qtbot.keyClicks(date_edit.line_edit, TODAY.isoformat())  # type: ignore[attr-defined]
    qtbot.keyClicks(form.editor("description"), "Forty boxes arrived with the wrong label.")
    click(qtbot, register.save_button)
    assert not register.has_unsaved_changes()

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_args, **_kwargs: QMessageBox.StandardButton.Yes)
    panel = feedback_screen.response_panel
    assert panel.raise_button.isVisible()
    click(qtbot, panel.raise_button)
    nc = Nonconformity.get()
    assert nc.reference == f"NC-{TODAY.year}-001"
    assert nc.source == "complaint"
    assert messages[-1] == f"Raised {nc.reference} from the complaint of Acme Ltd."
    assert panel.open_nc_button.isVisible() and nc.reference in panel.open_nc_button.text()
    assert not panel.raise_button.isVisible()
    with qtbot.waitSignal(feedback_screen.open_record) as opened:
        click(qtbot, panel.open_nc_button)
    assert opened.args == ["nonconformities", nc.id]

    # The window would now show it in the nonconformity screen.
    screen = nc_screen
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    screen.reload()
    assert screen.show_record(nc.id)
    assert screen.nonconformity is not None and screen.nonconformity.id == nc.id
    assert nc.reference in screen.reference_label.text()
    screen.tabs.setCurrentIndex(ROOT_TAB)

    # 5 whys: three answers with Enter between them, then Save.
    answers = ["The printer printed the previous order's labels",
               "The print queue was not cleared between orders",
               "The packing procedure has no step to clear it"]
    for index, answer in enumerate(answers):
        _type_why(qtbot, screen, index, answer)
        if index < len(answers) - 1:
            qtbot.keyClick(screen.whys.edits[index], Qt.Key.Key_Return)
            assert len(screen.whys.edits) == index + 2
            assert screen.whys.edits[index + 1].hasFocus()
    assert screen.has_unsaved_changes()
    click(qtbot, screen.whys.save_button)
    steps = WhyStep.select().where(WhyStep.nonconformity == nc).order_by(WhyStep.position)
    assert [(s.position, s.answer) for s in steps] == list(enumerate(answers, start=1))
    assert not screen.has_unsaved_changes()

    # Two fishbone causes, one marked as root by double-clicking it in the diagram.
    for category, text in (("method", "No step to clear the print queue"),
                           ("material", "All label stock looks alike")):
        click(qtbot, screen.add_cause_button)
        dialog = _dialog(screen)
        _choose(qtbot, dialog.fields["category"], category)
        qtbot.keyClicks(dialog.fields["cause"], text)
        click(qtbot, dialog.ok_button)
        assert not dialog.isVisible()
    causes = {c.category: c for c in FishboneCause.select()}
    assert set(causes) == {"method", "material"}
    assert not any(c.is_root for c in causes.values())
    method = causes["method"]
    rect = screen.fishbone.cause_rect(method.id)
    assert not rect.isEmpty()
    assert screen.fishbone.cause_at(rect.center()) == method.id
    qtbot.mouseDClick(screen.fishbone, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert FishboneCause.get_by_id(method.id).is_root
    assert not FishboneCause.get_by_id(causes["material"].id).is_root
    assert screen.fishbone.cause(method.id).is_root  # type: ignore[union-attr]
    assert "No step to clear the print queue" in screen.root_summary.text()

    # A corrective action, then done with its evidence.
    click(qtbot, screen.add_action_button)
    dialog = _dialog(screen)
    qtbot.keyClicks(dialog.fields["title"], "Add a queue check to the packing procedure")
    click(qtbot, dialog.ok_button)
    (action,) = actions.actions_for(nc)
    assert action.status == "open" and Nonconformity.get_by_id(nc.id).status == "action"
    screen.actions_table.selectRow(0)
    click(qtbot, screen.done_button)
    dialog = _dialog(screen)
    qtbot.keyClicks(dialog.fields["evidence"], "Procedure PR-07 revision 4 issued")
    click(qtbot, dialog.ok_button)
    action = actions.Action.get_by_id(action.id)
    assert action.status == "done" and action.evidence == "Procedure PR-07 revision 4 issued"

    # Closing is blocked until effectiveness is verified.
    screen.tabs.setCurrentIndex(CLOSING_TAB)
    assert "effectiveness has not been reviewed" in screen.blockers_label.text().lower()
    click(qtbot, screen.close_button)
    dialog = _dialog(screen)
    assert "effectiveness has not been reviewed" in dialog.intro_label.text().lower()
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert "cannot be closed yet" in dialog.problem()
    assert Nonconformity.get_by_id(nc.id).status != "closed"
    dialog.reject()

    click(qtbot, screen.add_review_button)
    dialog = _dialog(screen)
    assert dialog.fields["verdict"].currentData() == "effective"  # type: ignore[attr-defined]
    qtbot.keyClicks(dialog.fields["notes"], "No label errors in six weeks of shipments")
    click(qtbot, dialog.ok_button)
    assert nonconformities.latest_effectiveness(nc).verdict == "effective"  # type: ignore[union-attr]
    assert screen.closing_state.text() == "Ready to close."

    click(qtbot, screen.close_button)
    dialog = _dialog(screen)
    assert "reason" not in dialog.fields
    click(qtbot, dialog.ok_button)
    closed = Nonconformity.get_by_id(nc.id)
    assert closed.status == "closed" and closed.closed_on == TODAY
    assert closed.closure_reason == ""
    assert screen.reopen_button.isEnabled() and not screen.close_button.isEnabled()
    assert "Closed" in screen.status_chip.text()


def test_closing_with_open_actions_needs_a_reason(
    qtbot: QtBot, nc_screen: NonconformitiesScreen
) -> None:
    nc = nonconformities.create_nonconformity("Scrap above target", TODAY, "kpi")
    nonconformities.raise_action(nc, "Retrain the night shift", None, TODAY)
    nc_screen.reload()
    assert nc_screen.show_record(nc.id)
    nc_screen.tabs.setCurrentIndex(CLOSING_TAB)
    assert "1 action is still open" in nc_screen.blockers_label.text()

    click(qtbot, nc_screen.close_button)
    dialog = _dialog(nc_screen)
    assert "1 action is still open" in dialog.intro_label.text()
    assert dialog.ok_button.text() == "Close anyway"
    click(qtbot, dialog.ok_button)
    assert "give a reason" in dialog.problem()
    assert Nonconformity.get_by_id(nc.id).status == "action"

    qtbot.keyClicks(dialog.fields["reason"], "Product line discontinued")
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    closed = Nonconformity.get_by_id(nc.id)
    assert closed.status == "closed"
    assert closed.closure_reason == "Product line discontinued"
    assert "Product line discontinued" in nc_screen.closing_state.text()


def test_an_empty_why_is_refused_inline_and_nothing_is_saved(
    qtbot: QtBot, nc_screen: NonconformitiesScreen
) -> None:
    nc = nonconformities.create_nonconformity("Wrong resin", TODAY, "supplier")
    nc_screen.reload()
    assert nc_screen.show_record(nc.id)
    nc_screen.tabs.setCurrentIndex(ROOT_TAB)
    whys = nc_screen.whys

    _type_why(qtbot, nc_screen, 0, "The supplier shipped the wrong grade")
    qtbot.keyClick(whys.edits[0], Qt.Key.Key_Return)
    qtbot.keyClick(whys.edits[1], Qt.Key.Key_Return)  # Enter on the empty second why
    assert whys.message.isVisible()
    assert whys.message.text() == "Answer why 2 before asking the next why."
    assert len(whys.edits) == 2

    # An answer left empty in the middle of the chain: Save says so and writes nothing.
    _type_why(qtbot, nc_screen, 1, "Their order form has two similar codes")
    whys.edits[0].setFocus()
    whys.edits[0].selectAll()
    qtbot.keyClick(whys.edits[0], Qt.Key.Key_Delete)
    assert not whys.message.isVisible()
    click(qtbot, whys.save_button)
    assert whys.message.isVisible()
    assert "Why 1 is empty" in whys.message.text()
    assert WhyStep.select().count() == 0
    assert nc_screen.has_unsaved_changes()
    assert not nc_screen.save()
    assert WhyStep.select().count() == 0


def test_a_new_nonconformity_gets_its_reference(
    qtbot: QtBot, nc_screen: NonconformitiesScreen
) -> None:
    nc_screen.new_record()
    form = nc_screen.form
    assert nc_screen.reference_label.text() == "New nonconformity"
    assert not nc_screen.tabs.isTabEnabled(ROOT_TAB)
    qtbot.keyClicks(form.editor("title"), "Gauge 4 out of calibration")
    raised = form.editor("raised_on")
    raised.setFocus()
    qtbot.keyClicks(raised.line_edit, TODAY.isoformat())  # type: ignore[attr-defined]
    _choose(qtbot, form.editor("source"), "audit")
    assert nc_screen.save()
    nc = Nonconformity.get()
    assert nc.reference == f"NC-{TODAY.year}-001" and nc.source == "audit"
    assert nc_screen.reference_label.text().startswith(f"NC-{TODAY.year}-001")
    assert nc_screen.tabs.isTabEnabled(ROOT_TAB)
    assert nc_screen.register_screen.model.rowCount() == 1


def test_trends_count_the_last_twelve_months(
    qtbot: QtBot, nc_screen: NonconformitiesScreen
) -> None:
    nonconformities.create_nonconformity("One", TODAY, "audit")
    nonconformities.create_nonconformity("Two", TODAY, "complaint")
    nc_screen.reload()
    nc_screen.tabs.setCurrentIndex(TRENDS_TAB)
    assert len(nc_screen.trends.months) == 12
    assert nc_screen.trends.months[-1].raised == 2
    assert nc_screen.trends.by_source["audit"] == 1
    assert "2 raised" in nc_screen.trends.period_label.text()


def test_the_screen_fits_a_laptop_window(nc_screen: NonconformitiesScreen) -> None:
    # 1366 x 768 less the title bar, menu, reminder bar and status bar leaves about 650
    # pixels; a taller minimum would push the window off the bottom of the screen.
    needed = nc_screen.minimumSizeHint().expandedTo(nc_screen.minimumSize())
    assert needed.height() <= 640
    assert needed.width() <= 1366 - 240


def test_a_long_problem_is_shortened_to_fit_the_fishbone_head(qtbot: QtBot) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFont, QFontMetrics

    from ui.screens.nonconformities.fishbone import fit_in_box

    metrics = QFontMetrics(QFont())
    box = QRectF(0, 0, 130, metrics.lineSpacing() * 3 + 2)
    flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    long = "Complaint from Kestrel Pumps: two impeller housings arrived with a burr on the bore"
    short = fit_in_box(metrics, box, flags, long)
    assert short.endswith("…") and long.startswith(short[:-1])
    assert metrics.boundingRect(box.toRect(), flags, short).height() <= box.height()
    assert fit_in_box(metrics, box, flags, "Burr on bore") == "Burr on bore"


def test_the_root_cause_tab_scrolls_only_when_the_window_is_short(
    qtbot: QtBot, nc_screen: NonconformitiesScreen
) -> None:
    nc = nonconformities.create_nonconformity("Burr on the bore", TODAY, "audit")
    nc_screen.reload()
    assert nc_screen.register_screen.show_record(nc.id)
    nc_screen.tabs.setCurrentIndex(ROOT_TAB)
    area = nc_screen.tabs.currentWidget()
    assert isinstance(area, QScrollArea)
    page = area.widget()
    assert page is not None
    nc_screen.resize(1200, 680)  # room to spare: the page fills the tab, no scroll bar
    qtbot.waitUntil(lambda: page.height() == area.viewport().height())
    assert not area.verticalScrollBar().isVisible()
    nc_screen.resize(1000, 450)  # shorter than the fishbone and the whys need: it scrolls
    qtbot.waitUntil(lambda: area.verticalScrollBar().isVisible())
    assert page.height() > area.viewport().height()


def test_at_1024_wide_the_list_leaves_room_to_read_titles(qtbot, show, sample_store):  # type: ignore[no-untyped-def]
    """What a 1024 x 640 window leaves the screen: the details keep their six tabs whole and
    the list beside them shows each reference and the start of its title."""
    screen = show(NonconformitiesScreen(), (820, 560))
    table = screen.register_screen.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 5)
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: table.viewport().width() - header.sectionSize(0) >= 90)
    tabs = screen.tabs.tabBar()
    last = tabs.tabRect(tabs.count() - 1)
    assert last.right() <= tabs.width()
