"""The risk matrix saved by someone else while the dialog was open: Save is refused naming
who and when, the edits stay, Compare shows both and Reload takes theirs."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from qms_desktop import records, risks
from tests.ui.interact import click
from ui.screens.risks.risk_matrix_dialog import RiskMatrixDialog


def test_a_matrix_saved_meanwhile_is_named_and_reload_takes_theirs(
    qtbot: QtBot, store: object
) -> None:
    dialog = RiskMatrixDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog._likelihood_edits[4].setText("Expected")
    theirs = risks.load_matrix()
    theirs.impact_labels[4] = "Disastrous"
    with records.history_as(who="Maria Khan"):
        risks.save_matrix(theirs)

    click(qtbot, dialog.save_button)

    assert dialog.isVisible()
    bar = dialog.changed_bar
    assert bar.isVisible()
    assert bar.text().startswith("Not saved. Changed by Maria Khan ")
    assert risks.load_matrix().likelihood_labels[4] != "Expected"
    assert dialog._likelihood_edits[4].text() == "Expected"  # kept until I choose

    click(qtbot, bar.compare_button)
    compare = dialog.compare_dialog
    assert compare is not None
    qtbot.waitExposed(compare)
    assert [row[0] for row in compare.rows()] == ["Likelihood labels", "Impact labels"]
    click(qtbot, compare.back_button)

    click(qtbot, bar.reload_button)
    assert not bar.isVisible()
    assert dialog._impact_edits[4].text() == "Disastrous"
    assert dialog._likelihood_edits[4].text() != "Expected"
    dialog._likelihood_edits[4].setText("Expected")
    click(qtbot, dialog.save_button)
    stored = risks.load_matrix()
    assert (stored.likelihood_labels[4], stored.impact_labels[4]) == ("Expected", "Disastrous")
