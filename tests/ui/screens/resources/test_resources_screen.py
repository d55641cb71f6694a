"""The resources screen (7.1) driven like a user would: real widgets, a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QComboBox, QMessageBox

from qms_desktop import records, resources
from qms_desktop.models import (
    AdequacyStatement,
    Organisation,
    Person,
    PersonRole,
    Resource,
    ResourceRequest,
    Role,
)
from ui.kit.money_edit import MoneyEdit, install_money_editor
from ui.screens.resources.resources_screen import DecideDialog, RequestDialog, ResourcesScreen

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def english_locale():
    before = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(before)


@pytest.fixture(autouse=True)
def no_blocking_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def org(store):
    return records.create(Organisation, name="Acme Gauges", currency="EUR")


def person(name: str, top: bool = False) -> Person:
    found = records.create(Person, full_name=name)
    if top:
        role = records.create(Role, title=f"Director ({name})", is_top_management=True)
        records.create(PersonRole, person=found, role=role)
    return found


def instrument(name: str, next_on: dt.date | None, **values) -> Resource:
    return records.create(Resource, kind="measuring", name=name, next_calibration_on=next_on,
                          calibration_status="in_service", **values)


def choose_person(combo: QComboBox, name: str) -> None:
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(name))
    combo.setCurrentIndex(index)


@pytest.fixture
def screen(show, org):
    return show(ResourcesScreen(), (1200, 760))


# --- Requests and decisions ---------------------------------------------------------------


def test_a_new_user_records_a_funded_decision_end_to_end(qtbot, org):
    anna = person("Anna Director", top=True)
    person("Bob Fitter")
    screen = ResourcesScreen()
    qtbot.addWidget(screen)
    screen.show()
    tab = screen.requests_tab
    screen.show_tab("requests")
    assert tab.stack.currentWidget() is tab.empty
    assert not tab.decide_button.isEnabled()

    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, RequestDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.form.editor("title"), "Coordinate measuring machine")
    amount = dialog.form.editor("amount_minor")
    assert isinstance(amount, MoneyEdit)
    assert amount.currency == "EUR"
    qtbot.keyClicks(amount, "12,500.50")
    assert amount.minor_units() == 1250050
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    stored = ResourceRequest.get(ResourceRequest.title == "Coordinate measuring machine")
    assert (stored.amount_minor, stored.currency) == (1250050, "EUR")
    assert stored.decision == "pending"
    assert tab.model.rowCount() == 1
    assert tab.model.index(0, 2).data() == "EUR 12,500.50"

    tab.table.selectRow(0)
    assert tab.decide_button.isEnabled()
    qtbot.mouseClick(tab.decide_button, Qt.MouseButton.LeftButton)
    decide = tab.dialog
    assert isinstance(decide, DecideDialog)
    assert decide.person_combo.itemText(1) == "Anna Director — top management"
    qtbot.mouseClick(decide.choice_buttons["approved"], Qt.MouseButton.LeftButton)
    choose_person(decide.person_combo, "Anna Director")
    assert decide.warning_label.isHidden()
    with qtbot.waitSignal(screen.status_message) as message:
        qtbot.mouseClick(decide.ok_button, Qt.MouseButton.LeftButton)

    stored = ResourceRequest.get_by_id(stored.id)
    assert stored.decision == "approved"
    assert stored.decided_by_id == anna.id
    assert stored.decided_by_top_management is True
    assert "Warning" not in message.args[0]
    assert tab.totals_lines() == [f"{TODAY.year} · Approved EUR 12,500.50 · Deferred — · "
                                  "Rejected — · Awaiting decision —"]
    assert tab.totals_table.item(0, 1).text() == "EUR 12,500.50"


def test_a_decision_by_someone_outside_top_management_is_warned_about(qtbot, screen):
    person("Anna Director", top=True)
    person("Bob Fitter")
    request = records.create(ResourceRequest, title="Torque wrench", amount_minor=30000,
                             currency="EUR", requested_on=TODAY)
    tab = screen.requests_tab
    screen.show_tab("requests")
    tab.reload()
    tab.table.selectRow(0)
    dialog = tab.decide()
    qtbot.waitExposed(dialog)
    choose_person(dialog.person_combo, "Bob Fitter")
    assert dialog.warning_label.isVisible()
    assert "Bob Fitter is not in a top-management role" in dialog.warning_label.text()
    dialog.choose("approved")
    with qtbot.waitSignal(screen.status_message) as message:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "Bob Fitter is not in a top-management role" in message.args[0]
    stored = ResourceRequest.get_by_id(request.id)
    assert stored.decision == "approved"
    assert stored.decided_by_top_management is False


def test_deferring_needs_a_reason(qtbot, screen):
    person("Anna Director", top=True)
    records.create(ResourceRequest, title="Forklift", amount_minor=1, currency="EUR",
                   requested_on=TODAY)
    tab = screen.requests_tab
    tab.reload()
    tab.table.selectRow(0)
    dialog = tab.decide()
    assert not dialog.ok_button.isEnabled()  # no decision chosen yet
    dialog.choose("deferred")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.note_error.text() == "Say why the request was deferred or rejected."
    assert ResourceRequest.get().decision == "pending"


def test_a_request_without_a_cost_is_not_added(qtbot, screen):
    dialog = screen.requests_tab.new_request()
    qtbot.keyClicks(dialog.form.editor("title"), "Label printer")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.form.error_text("amount_minor") == "Cost is required."
    assert ResourceRequest.select().count() == 0


# --- MoneyEdit --------------------------------------------------------------------------------


def test_money_edit_refuses_a_third_decimal_for_euros(qtbot):
    edit = MoneyEdit("EUR", "en_US")
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "12.345")
    assert edit.minor_units() is None
    assert edit.error_text() == "EUR has 2 decimal places; round the amount to 2."
    edit.clear()
    assert edit.error_text() == ""
    qtbot.keyClicks(edit, "abc")
    assert edit.minor_units() is None
    assert edit.error_text() == "“abc” is not an amount. Write it like 1,234.50."
    edit.clear()
    qtbot.keyClicks(edit, "1,234.5")
    assert edit.minor_units() == 123450
    assert edit.error_text() == ""


def test_money_edit_refuses_decimals_for_yen(qtbot):
    edit = MoneyEdit("JPY", "en_US")
    qtbot.addWidget(edit)
    assert edit.placeholderText() == "e.g. 1,234"
    assert edit.code_label.text() == "JPY"
    qtbot.keyClicks(edit, "1500.5")
    assert edit.minor_units() is None
    assert edit.error_text() == "JPY amounts have no decimals: give a whole number."
    edit.clear()
    qtbot.keyClicks(edit, "1,500")
    assert edit.minor_units() == 1500


def test_money_edit_reads_the_locale_s_separators(qtbot):
    edit = MoneyEdit("EUR", "de_DE")
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "1.234,50")
    assert edit.minor_units() == 123450
    edit.set_minor_units(99)
    assert edit.text() == "0,99"


# --- Register ---------------------------------------------------------------------------------


def test_the_register_takes_the_budget_as_money(qtbot, screen):
    install_money_editor()
    register = screen.register_screen
    register.new_record()
    qtbot.keyClicks(register.form.editor("name"), "Workshop")
    kind = register.form.editor("kind")
    kind.setCurrentIndex(kind.findData("building"))
    budget = register.form.editor("annual_budget_minor")
    assert isinstance(budget, MoneyEdit)
    qtbot.keyClicks(budget, "2,400")
    assert register.save()
    stored = Resource.get(Resource.name == "Workshop")
    assert (stored.annual_budget_minor, stored.currency) == (240000, "EUR")
    row = register.model.row_of(stored.id)
    assert register.model.index(row, 2).data() == "EUR 2,400.00"


def test_the_register_filters_overdue_calibration(qtbot, screen):
    instrument("Caliper", TODAY - dt.timedelta(days=3))
    instrument("Scale", TODAY + dt.timedelta(days=90))
    register = screen.register_screen
    register.reload()
    register.filter_combo.setCurrentIndex(register.filter_combo.findData("calibration_overdue"))
    assert register.model.rowCount() == 1
    assert register.model.index(0, 0).data() == "Caliper"


# --- Measuring equipment ------------------------------------------------------------------


def test_recording_a_calibration_moves_the_date_and_clears_one_overdue(qtbot, screen):
    caliper = instrument("Caliper", TODAY - dt.timedelta(days=10),
                         calibration_interval_months=6)
    instrument("Micrometer", TODAY - dt.timedelta(days=2))
    instrument("Scale", TODAY + dt.timedelta(days=200))
    tab = screen.measuring_tab
    screen.show_tab("measuring")
    assert tab.banner.isVisible()
    assert tab.banner.text().startswith("2 instruments are past their calibration date")
    assert tab.model.index(tab.model.row_of(caliper.id), 6).data() == "Overdue"

    tab.table.selectRow(tab.model.row_of(caliper.id))
    qtbot.mouseClick(tab.calibrate_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.certificate_edit, "CAL-2291")
    qtbot.keyClicks(dialog.by_edit, "Metrology Lab Ltd")
    with qtbot.waitSignal(screen.status_message):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    stored = Resource.get_by_id(caliper.id)
    assert stored.last_calibrated_on == TODAY
    assert stored.next_calibration_on == resources.add_months(TODAY, 6)
    assert tab.banner.text().startswith("1 instrument is past its calibration date")
    assert tab.model.index(tab.model.row_of(caliper.id), 6).data() == "OK"
    assert tab.history_model.rowCount() == 1
    assert tab.history_model.index(0, 2).data() == "CAL-2291"


def test_the_measuring_tab_says_what_to_do_when_empty(qtbot, screen):
    tab = screen.measuring_tab
    screen.show_tab("measuring")
    assert tab.stack.currentIndex() == 1
    assert "Register tab" in tab.empty.text()
    assert not tab.calibrate_button.isEnabled()
    assert tab.calibrate_button.toolTip() == "Select an instrument first"
    qtbot.mouseClick(tab.register_button, Qt.MouseButton.LeftButton)
    assert screen.tabs.currentWidget() is screen.register_screen


# --- Adequacy --------------------------------------------------------------------------------


def test_partly_adequate_without_reasons_is_refused(qtbot, screen):
    person("Anna Director", top=True)
    screen.show_tab("adequacy")
    tab = screen.adequacy_tab
    dialog = tab.state_adequacy()
    qtbot.waitExposed(dialog)
    dialog.choose("partly")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.reasons_error.text() == "Say what is missing."
    assert AdequacyStatement.select().count() == 0

    qtbot.keyClicks(dialog.reasons_edit, "One inspector short from March to June.")
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert AdequacyStatement.get().verdict == "partly"
    assert tab.model.index(0, 1).data() == "Partly adequate"


def test_the_screen_delegates_to_the_current_tab(qtbot, screen):
    screen.show_tab("requests")
    screen.new_record()
    assert isinstance(screen.requests_tab.dialog, RequestDialog)
    screen.requests_tab.dialog.reject()
    screen.show_tab("register")
    screen.new_record()
    qtbot.keyClicks(screen.register_screen.form.editor("name"), "Laptop")
    kind = screen.register_screen.form.editor("kind")
    kind.setCurrentIndex(kind.findData("it"))
    assert screen.has_unsaved_changes()
    assert screen.save()
    assert not screen.has_unsaved_changes()


def test_row_models_pass_the_model_tester(qtmodeltester, screen):
    records.create(ResourceRequest, title="Forklift", amount_minor=1, currency="EUR",
                   requested_on=TODAY)
    screen.requests_tab.reload()
    qtmodeltester.check(screen.requests_tab.model)
