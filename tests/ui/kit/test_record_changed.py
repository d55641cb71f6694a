"""Two people editing the same record: the second save is refused with who and when, the
edits stay in the form, and Reload or Compare are offered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from qms_desktop import clock, records
from qms_desktop.catalogue import PEOPLE
from qms_desktop.models import Person
from ui.kit.form_dialog import FormDialog
from ui.kit.record_form import RecordForm

MORNING = dt.datetime(2026, 3, 5, 10, 42, tzinfo=dt.UTC)
REFUSAL = "Not saved. Changed by Maria Khan at 10:42 UTC since you opened it."


def _changed_by_maria(person_id: str, **values: Any) -> None:
    """Another person's save of the same record, through the service."""
    with records.history_as(who="Maria Khan"):
        records.update(Person.get_by_id(person_id), **values)


def _form_on_ann(qtbot: QtBot, show: Any) -> tuple[RecordForm, Person]:
    person = records.create(Person, full_name="Ann Lee", job_title="Buyer")
    form = show(RecordForm(PEOPLE), (520, 640))
    form.load_record(Person.get_by_id(person.id))
    job = form.editor("job_title")
    assert isinstance(job, QLineEdit)
    job.selectAll()
    qtbot.keyClicks(job, "Head of buying")
    assert form.has_unsaved_changes()
    return form, person


def test_the_second_save_is_refused_and_the_edits_stay(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        form, person = _form_on_ann(qtbot, show)
        _changed_by_maria(person.id, job_title="Quality officer", email="qa@example.com")

        assert form.save() is None

    assert form.changed_bar.isVisible()
    assert form.changed_bar.text() == REFUSAL
    assert form.editor("job_title").text() == "Head of buying"  # what was typed stays
    assert form.has_unsaved_changes()
    stored = Person.get_by_id(person.id)
    assert (stored.job_title, stored.email) == ("Quality officer", "qa@example.com")


def test_reload_shows_theirs_and_then_a_save_lands(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        form, person = _form_on_ann(qtbot, show)
        _changed_by_maria(person.id, job_title="Quality officer")
        assert form.save() is None

    qtbot.mouseClick(form.changed_bar.reload_button, Qt.MouseButton.LeftButton)

    assert not form.changed_bar.isVisible()
    assert form.editor("job_title").text() == "Quality officer"
    assert not form.has_unsaved_changes()
    email = form.editor("email")
    qtbot.keyClicks(email, "ann@example.com")
    with qtbot.waitSignal(form.saved):
        assert form.save() is not None
    stored = Person.get_by_id(person.id)
    assert (stored.job_title, stored.email) == ("Quality officer", "ann@example.com")


def test_compare_lists_mine_beside_theirs_and_keeps_the_edits_until_reload(
        qtbot: QtBot, show: Any, store: object) -> None:
    with clock.stopped_at(MORNING):
        form, person = _form_on_ann(qtbot, show)
        _changed_by_maria(person.id, job_title="Quality officer", email="qa@example.com")
        assert form.save() is None

    qtbot.mouseClick(form.changed_bar.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.compare_dialog is not None and form.compare_dialog.isVisible())
    dialog = form.compare_dialog
    assert dialog is not None
    assert dialog.rows() == [("Job title", "Head of buying", "Quality officer"),
                             ("E-mail", "", "qa@example.com")]
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert form.editor("job_title").text() == "Head of buying"
    assert form.changed_bar.isVisible()

    qtbot.mouseClick(form.changed_bar.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.compare_dialog is not None and form.compare_dialog.isVisible())
    again = form.compare_dialog
    assert again is not None
    qtbot.mouseClick(again.reload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.isVisible())
    assert form.editor("job_title").text() == "Quality officer"
    assert form.editor("email").text() == "qa@example.com"
    assert not form.changed_bar.isVisible()
    assert not form.has_unsaved_changes()


def _title_dialog(person: Person, show: Any, with_reload: bool) -> tuple[FormDialog, list[Person]]:
    """A dialog changing a record the screen read when it opened it."""
    held = [person]
    dialog = FormDialog("Change the job title", on_submit=lambda values: records.update(
        held[0], job_title=values["job_title"]))
    dialog.add_line("job_title", "&Job title", person.job_title)
    if with_reload:
        def reload() -> dict[str, Any]:
            held[0] = Person.get_by_id(person.id)
            return {"job_title": held[0].job_title}

        dialog.set_reload(reload)
    show(dialog, None)
    return dialog, held


def test_a_form_dialog_refuses_with_the_choice_and_reloads(
        qtbot: QtBot, show: Any, store: object) -> None:
    person = records.create(Person, full_name="Ann Lee", job_title="Buyer")
    dialog, held = _title_dialog(Person.get_by_id(person.id), show, with_reload=True)
    line = dialog.fields["job_title"]
    assert isinstance(line, QLineEdit)
    line.selectAll()
    qtbot.keyClicks(line, "Head of buying")
    with clock.stopped_at(MORNING):
        _changed_by_maria(person.id, job_title="Quality officer")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.changed_bar.text() == REFUSAL
    assert line.text() == "Head of buying"
    assert Person.get_by_id(person.id).job_title == "Quality officer"

    qtbot.mouseClick(dialog.changed_bar.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.compare_dialog is not None
                    and dialog.compare_dialog.isVisible())
    assert dialog.compare_dialog is not None
    assert dialog.compare_dialog.rows() == [("Job title", "Head of buying", "Quality officer")]
    qtbot.mouseClick(dialog.compare_dialog.reload_button, Qt.MouseButton.LeftButton)
    assert line.text() == "Quality officer"
    assert not dialog.changed_bar.isVisible()

    line.selectAll()
    qtbot.keyClicks(line, "Senior quality officer")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert held[0].row_version == 2
    assert Person.get_by_id(person.id).job_title == "Senior quality officer"


def test_without_a_way_to_read_again_reload_closes_the_dialog(
        qtbot: QtBot, show: Any, store: object) -> None:
    person = records.create(Person, full_name="Ann Lee", job_title="Buyer")
    dialog, _held = _title_dialog(Person.get_by_id(person.id), show, with_reload=False)
    qtbot.keyClicks(dialog.fields["job_title"], " (acting)")
    _changed_by_maria(person.id, job_title="Quality officer")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.changed_bar.text().startswith("Not saved. Changed by Maria Khan at ")
    assert not dialog.changed_bar.compare_button.isVisible()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.changed_bar.reload_button, Qt.MouseButton.LeftButton)
    assert Person.get_by_id(person.id).job_title == "Quality officer"


def test_an_archive_refused_in_a_register_says_who_and_shows_theirs(
        qtbot: QtBot, show: Any, store: object) -> None:
    from ui.kit.register_screen import RegisterScreen

    anna = records.create(Person, full_name="Anna Smith")
    screen = show(RegisterScreen(PEOPLE), (1100, 650))
    screen._open(anna.id)
    assert screen.form.record is not None and screen.form.record.archived_at is None
    with records.history_as(who="Maria Khan"):
        records.archive(Person.get_by_id(anna.id))

    with qtbot.waitSignal(screen.status_message) as said:
        qtbot.mouseClick(screen.archive_button, Qt.MouseButton.LeftButton)

    assert said.args is not None
    assert said.args[0].startswith("Not archived. Changed by Maria Khan at ")
    assert said.args[0].endswith("since you opened it. It now shows as they left it.")
    assert screen.form.record is not None and screen.form.record.archived_at is not None
    assert [h.operation for h in records.history_of(anna)] == ["create", "archive"]
