"""Competence screen driven like a user would, over a real database."""

from __future__ import annotations

import datetime as dt

from qms_desktop import competence, records
from qms_desktop.models import (
    Person,
    PersonRole,
    Role,
    TrainingRecord,
)
from tests.ui.interact import click
from ui.screens.competence.competence_screen import CompetenceScreen

TODAY = dt.date.today()


def test_an_expired_record_is_a_gap_until_a_new_record_is_made(qtbot, show, store):
    welder = records.create(Role, title="Welder")
    weld = competence.require_competence(welder, "Weld inspection", renew_every_months=12)
    ada = records.create(Person, full_name="Ada Lovelace")
    records.create(PersonRole, person=ada, role=welder)
    competence.record_training(ada, "Weld course", TODAY - dt.timedelta(days=500),
                               competence=weld)
    screen = show(CompetenceScreen())
    assert screen.gaps_table.rowCount() == 1
    assert [screen.gaps_table.item(0, c).text() for c in range(3)] == \
        ["Ada Lovelace", "Welder", "Weld inspection"]
    assert "expired" in screen.gaps_table.item(0, 3).text()
    assert screen.tabs.tabText(0) == "&Gaps (1)"

    screen.gaps_table.selectRow(0)
    click(qtbot, screen.record_button)
    training = screen.training_screen
    assert screen.tabs.currentWidget() is training
    form = training.form
    assert form.is_new() and form.values()["person"] == ada.id
    qtbot.keyClicks(form.editor("completed_on").line_edit, TODAY.isoformat())
    click(qtbot, training.save_button)
    assert TrainingRecord.select().count() == 2
    assert screen.gaps_table.rowCount() == 0
    assert not screen.gaps_empty.isHidden()
    assert screen.tabs.tabText(0) == "&Gaps"


def test_awareness_note_opens_the_policy(qtbot, show, store):
    screen = show(CompetenceScreen())
    with qtbot.waitSignal(screen.open_record) as signal:
        click(qtbot, screen.awareness_button)
    assert signal.args == ["policy", ""]
