"""The risks screen driven as a user would: the form, the heat map, actions, matrix settings."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog

from qms_desktop import records, risks
from qms_desktop.models import Action, Person, Risk
from ui.screens.risks import risks_screen as risks_screen_module
from ui.screens.risks.risk_matrix_dialog import RiskMatrixDialog
from ui.screens.risks.risks_screen import AddActionDialog, RisksScreen


@pytest.fixture
def screen(show, store):  # type: ignore[no-untyped-def]
    return show(RisksScreen())


def _choose(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def _listed(screen: RisksScreen) -> list[str]:
    model = screen.register_screen.model
    title = [c.path for c in model.register.columns].index("title")
    return sorted(model.row_data(row).cells[title] for row in range(model.rowCount()))


def _offered(combo: QComboBox) -> list[str]:
    return [
        combo.itemData(row)
        for row in range(combo.count())
        if combo.itemData(row) and not combo.view().isRowHidden(row)
    ]


def test_a_new_user_records_and_treats_a_risk(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    rs = screen.register_screen
    qtbot.mouseClick(rs.new_button, Qt.MouseButton.LeftButton)
    form = rs.form
    qtbot.keyClicks(form.editor("title"), "Key supplier fails")
    _choose(form.editor("likelihood"), "4")
    _choose(form.editor("impact"), "5")
    assert screen.score_text() == "Score: 20 Critical"

    qtbot.mouseClick(rs.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.heat_map.count(4, 5) == 1)
    assert rs.form.record is not None and rs.form.record.title == "Key supplier fails"

    _choose(form.editor("treatment"), "change_likelihood")
    _choose(form.editor("residual_likelihood"), "2")
    _choose(form.editor("residual_impact"), "2")
    assert "4" in screen.residual_label.text() and "Low" in screen.residual_label.text()
    with qtbot.waitSignal(rs.status_message):
        qtbot.mouseClick(rs.save_button, Qt.MouseButton.LeftButton)
    stored = Risk.get()
    assert (stored.residual_likelihood, stored.residual_impact) == (2, 2)

    qtbot.mouseClick(screen.heat_map.after_button, Qt.MouseButton.LeftButton)
    assert screen.heat_map.is_residual()
    assert screen.heat_map.count(2, 2) == 1
    assert screen.heat_map.count(4, 5) == 0
    qtbot.mouseClick(screen.heat_map.before_button, Qt.MouseButton.LeftButton)
    assert screen.heat_map.count(4, 5) == 1


def test_opportunities_are_coloured_as_opportunities_not_threats(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    records.create(Risk, title="New export market", kind="opportunity", likelihood=5, impact=5)
    matrix = risks.RiskMatrix.default()
    _choose(screen.kind_combo, "opportunity")
    grid = screen.heat_map.grid
    qtbot.waitUntil(lambda: grid.count(5, 5) == 1)
    image = grid.grab().toImage()
    cell = grid.cell_rect(5, 5)
    painted = image.pixelColor(cell.left() + 6, cell.top() + 6)
    threat = matrix.colour(25, "risk")
    assert painted.name() == matrix.colour(25, "opportunity") != threat
    assert threat not in screen.legend.text()

    rs = screen.register_screen
    qtbot.mouseClick(rs.new_button, Qt.MouseButton.LeftButton)
    _choose(rs.form.editor("kind"), "opportunity")
    _choose(rs.form.editor("likelihood"), "5")
    _choose(rs.form.editor("impact"), "5")
    assert matrix.colour(25, "opportunity") in screen.score_label.text()
    _choose(rs.form.editor("kind"), "risk")
    _choose(rs.form.editor("impact"), "4")
    _choose(rs.form.editor("impact"), "5")
    assert threat in screen.score_label.text()


def test_clicking_a_cell_filters_the_register(qtbot, show, store) -> None:  # type: ignore[no-untyped-def]
    records.create(Risk, title="Supplier fails", likelihood=4, impact=5)
    records.create(Risk, title="Fire in stores", likelihood=4, impact=5)
    records.create(Risk, title="Calibration lapses", likelihood=2, impact=3)
    records.create(Risk, title="Export market", kind="opportunity", likelihood=4, impact=5)
    screen = show(RisksScreen())
    everything = _listed(screen)
    assert len(everything) == 4

    grid = screen.heat_map.grid
    assert grid.count(4, 5) == 2
    assert grid.cell_description(4, 5) == "Likely × Severe: 2 risks, Critical"
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=grid.cell_rect(4, 5).center())
    qtbot.waitUntil(lambda: _listed(screen) == ["Fire in stores", "Supplier fails"])
    assert screen.chip.isVisible()
    assert screen.cell_filter_text().startswith(
        "Filtered: Likely × Severe (before treatment)"
    )
    assert grid.selected() == (4, 5)

    qtbot.mouseClick(screen.chip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _listed(screen) == everything)
    assert not screen.chip.isVisible()
    assert grid.selected() is None

    # The same with the keyboard: the cursor is where the click was.
    grid.setFocus()
    qtbot.waitUntil(grid.hasFocus)
    assert grid.cursor_cell() == (4, 5)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Left):
        qtbot.keyClick(grid, key)
    assert grid.cursor_cell() == (2, 3)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _listed(screen) == ["Calibration lapses"])
    assert "Unlikely × Moderate" in screen.cell_filter_text()
    qtbot.keyClick(grid, Qt.Key.Key_Space)  # the same cell again clears the filter
    qtbot.waitUntil(lambda: _listed(screen) == everything)


def test_the_map_follows_edits_and_archiving(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    risk = records.create(Risk, title="Flood", likelihood=3, impact=3)
    screen.reload()
    assert screen.heat_map.count(3, 3) == 1
    rs = screen.register_screen
    rs.table.selectRow(0)
    qtbot.waitUntil(lambda: rs.form.record is not None and rs.form.record.id == risk.id)
    qtbot.mouseClick(rs.archive_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.heat_map.count(3, 3) == 0)


def test_treatments_follow_the_kind(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    rs = screen.register_screen
    rs.new_record()
    form = rs.form
    treatment = form.editor("treatment")
    assert _offered(treatment) == [key for key, _ in risks.RISK_TREATMENTS]
    _choose(form.editor("kind"), "opportunity")
    assert _offered(treatment) == ["pursue", "defer", "decline"]

    # An opportunity's treatment kept when the entry becomes a risk is refused inline.
    qtbot.keyClicks(form.editor("title"), "New market")
    _choose(treatment, "pursue")
    _choose(form.editor("kind"), "risk")
    assert "pursue" not in _offered(treatment)
    assert treatment.currentData() == "pursue"
    assert screen.save() is False
    assert form.error_text("treatment") == "Choose a treatment that fits a risk."
    assert Risk.select().count() == 0

    _choose(treatment, "share")
    assert screen.save() is True
    assert Risk.get().treatment == "share"


def test_residual_needs_a_treatment(qtbot, screen) -> None:  # type: ignore[no-untyped-def]
    rs = screen.register_screen
    rs.new_record()
    form = rs.form
    qtbot.keyClicks(form.editor("title"), "Late deliveries")
    _choose(form.editor("likelihood"), "3")
    _choose(form.editor("impact"), "3")
    _choose(form.editor("residual_likelihood"), "1")
    _choose(form.editor("residual_impact"), "1")
    assert screen.save() is False
    assert "treatment" in form.error_text("treatment")


def test_add_an_action_to_the_selected_risk(qtbot, screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ada = records.create(Person, full_name="Ada Admin")
    risk = records.create(Risk, title="Supplier fails", likelihood=4, impact=5, owner=ada)
    screen.reload()
    rs = screen.register_screen
    assert not screen.add_action_button.isEnabled() or rs.form.record is not None
    rs.table.selectRow(0)
    qtbot.waitUntil(lambda: screen.add_action_button.isEnabled())
    assert screen.action_titles() == []

    def fill_and_accept(dialog: AddActionDialog) -> int:
        dialog.title_edit.setText("Qualify a second supplier")
        assert dialog.owner_combo.currentText() == "Ada Admin"  # the risk's owner
        dialog.due_edit.set_date(dt.date(2031, 3, 31))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(AddActionDialog, "exec", fill_and_accept)
    qtbot.mouseClick(screen.add_action_button, Qt.MouseButton.LeftButton)
    assert screen.action_titles() == ["Qualify a second supplier"]
    action = Action.get()
    assert (action.source_id, action.owner_id, action.due_on) == (
        risk.id, ada.id, dt.date(2031, 3, 31)
    )


def test_an_action_without_a_date_is_refused(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    risk = records.create(Risk, title="Supplier fails")
    dialog = AddActionDialog(risk)
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Something")
    dialog.due_edit.set_date(None)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "due date" in dialog.error_label.text()
    assert Action.select().count() == 0


def _rated_risks() -> tuple[Risk, Risk]:
    first = records.create(Risk, title="Supplier fails", likelihood=4, impact=5,
                           treatment="share", residual_likelihood=2, residual_impact=2)
    second = records.create(Risk, title="Calibration", likelihood=2, impact=3)
    records.create(Risk, title="Not rated yet")
    return first, second


def test_matrix_change_shows_the_rule_and_rescores(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    first, second = _rated_risks()
    dialog = RiskMatrixDialog()
    qtbot.addWidget(dialog)
    assert dialog.preview_mapping() == {}
    assert dialog.save_button.isEnabled()

    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData(3))
    assert dialog.preview_mapping() == {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
    assert dialog.count_label.text() == "2 risks will be re-scored."
    assert not dialog.save_button.isEnabled()
    dialog.accept()  # not yet confirmed: nothing happens
    assert risks.load_matrix().size == 5

    dialog.confirm_check.setChecked(True)
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.rescored == 2
    assert risks.load_matrix().size == 3
    first = Risk.get_by_id(first.id)
    second = Risk.get_by_id(second.id)
    assert (first.likelihood, first.impact) == (3, 3)
    assert (first.residual_likelihood, first.residual_impact) == (2, 2)
    assert (second.likelihood, second.impact) == (2, 2)


def test_cancelling_the_matrix_dialog_changes_nothing(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    first, _ = _rated_risks()
    dialog = RiskMatrixDialog()
    qtbot.addWidget(dialog)
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData(3))
    dialog.confirm_check.setChecked(True)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert risks.load_matrix().size == 5
    assert Risk.get_by_id(first.id).likelihood == 4


def test_matrix_labels_and_colours_are_saved(qtbot, store) -> None:  # type: ignore[no-untyped-def]
    dialog = RiskMatrixDialog()
    qtbot.addWidget(dialog)
    dialog._likelihood_edits[4].setText("Expected")
    dialog.set_colour(3, "#aa0000")
    dialog.accept()
    matrix = risks.load_matrix()
    assert matrix.likelihood_labels[4] == "Expected"
    assert matrix.bands[3].colour == "#aa0000"


def test_the_screen_follows_a_new_matrix(qtbot, screen, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    records.create(Risk, title="Supplier fails", likelihood=5, impact=5)
    screen.reload()

    def choose_three(dialog: RiskMatrixDialog) -> int:
        dialog.size_combo.setCurrentIndex(dialog.size_combo.findData(3))
        dialog.confirm_check.setChecked(True)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(risks_screen_module.RiskMatrixDialog, "exec", choose_three)
    with qtbot.waitSignal(screen.status_message) as message:
        qtbot.mouseClick(screen.matrix_button, Qt.MouseButton.LeftButton)
    assert message.args == ["Risk matrix saved. 1 entry re-scored."]
    assert screen.heat_map.grid.count(3, 3) == 1
    likelihood = screen.register_screen.form.editor("likelihood")
    assert [likelihood.itemText(i) for i in range(1, likelihood.count())] == [
        "1 · Unlikely", "2 · Possible", "3 · Likely"
    ]
