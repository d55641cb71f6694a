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
from qms_desktop.errors import RecordChanged
from qms_desktop.models import Person
from tests.ui.interact import click, retype, screenshot
from ui.kit.form_dialog import FormDialog
from ui.kit.record_changed import ChangesDialog
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


def _title_dialog(person: Person, show: Any) -> tuple[FormDialog, Person]:
    """A dialog changing a record the screen read when it opened it, as the screens make
    them: nothing but the service call, no way of reading the record again of its own."""
    copy = Person.get_by_id(person.id)
    dialog = FormDialog("Change the job title", on_submit=lambda values: records.update(
        copy, job_title=values["job_title"], change_reason=values["why"]))
    dialog.add_line("job_title", "&Job title", copy.job_title)
    dialog.add_text("why", "&Why it changes")
    show(dialog, None)
    return dialog, copy


def _typed_then_refused(qtbot: QtBot, show: Any) -> tuple[FormDialog, Person, Person]:
    """Ann's job title typed in the dialog, Maria's save of the same record meanwhile, and
    OK pressed: the dialog, its copy of the record and the person as created."""
    person = records.create(Person, full_name="Ann Lee", job_title="Buyer")
    dialog, copy = _title_dialog(person, show)
    retype(qtbot, dialog.fields["job_title"], "Head of buying")
    qtbot.keyClicks(dialog.fields["why"], "Promoted in March")
    with clock.stopped_at(MORNING):
        _changed_by_maria(person.id, job_title="Quality officer", email="qa@example.com")
        click(qtbot, dialog.ok_button)
    return dialog, copy, person


def _compare(qtbot: QtBot, dialog: FormDialog) -> ChangesDialog:
    click(qtbot, dialog.changed_bar.compare_button)
    qtbot.waitUntil(lambda: dialog.compare_dialog is not None
                    and dialog.compare_dialog.isVisible())
    assert dialog.compare_dialog is not None
    return dialog.compare_dialog


def test_a_form_dialog_refuses_with_who_and_when_and_keeps_what_was_typed(
        qtbot: QtBot, show: Any, store: object) -> None:
    dialog, _copy, person = _typed_then_refused(qtbot, show)

    assert dialog.isVisible()
    assert dialog.changed_bar.isVisible()
    assert dialog.changed_bar.text() == REFUSAL
    assert dialog.changed_bar.compare_button.isVisible()
    assert dialog.changed_bar.reload_button.isVisible()
    assert dialog.text("job_title") == "Head of buying"
    assert dialog.text("why") == "Promoted in March"
    stored = Person.get_by_id(person.id)
    assert (stored.job_title, stored.email) == ("Quality officer", "qa@example.com")


def test_compare_lists_each_field_mine_beside_theirs_and_back_keeps_the_edits(
        qtbot: QtBot, show: Any, store: object) -> None:
    dialog, _copy, _person = _typed_then_refused(qtbot, show)

    compared = _compare(qtbot, dialog)
    # The field typed, under the dialog's caption, and the one Maria changed that the
    # dialog does not show (mine: as it was read).
    assert compared.rows() == [("Job title", "Head of buying", "Quality officer"),
                               ("E-mail", "", "qa@example.com")]
    click(qtbot, compared.back_button)
    qtbot.waitUntil(lambda: not compared.isVisible())
    assert dialog.text("job_title") == "Head of buying"
    assert dialog.text("why") == "Promoted in March"
    assert dialog.changed_bar.isVisible()


def test_reload_from_compare_takes_theirs_and_the_next_save_lands_over_it(
        qtbot: QtBot, show: Any, store: object) -> None:
    dialog, copy, person = _typed_then_refused(qtbot, show)

    compared = _compare(qtbot, dialog)
    click(qtbot, compared.reload_button)
    qtbot.waitUntil(lambda: not compared.isVisible())
    assert dialog.text("job_title") == "Quality officer"
    assert dialog.text("why") == "Promoted in March"  # not a field of the record: kept
    assert not dialog.changed_bar.isVisible()
    assert copy.row_version == 1 and copy.email == "qa@example.com"  # the copy is theirs

    retype(qtbot, dialog.fields["job_title"], "Senior quality officer")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button)
    stored = Person.get_by_id(person.id)
    assert (stored.job_title, stored.email) == ("Senior quality officer", "qa@example.com")
    assert stored.row_version == 2


def test_reload_on_the_bar_takes_theirs_without_comparing(
        qtbot: QtBot, show: Any, store: object) -> None:
    dialog, _copy, person = _typed_then_refused(qtbot, show)

    click(qtbot, dialog.changed_bar.reload_button)

    assert dialog.isVisible()
    assert dialog.text("job_title") == "Quality officer"
    assert not dialog.changed_bar.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button)  # theirs, unchanged: nothing to refuse
    assert Person.get_by_id(person.id).job_title == "Quality officer"


def test_a_refusal_without_the_copy_offers_reload_only_which_closes(
        qtbot: QtBot, show: Any, store: object) -> None:
    def refuse(_values: dict[str, Any]) -> None:
        raise RecordChanged("person", "p1", "Maria Khan", "at 10:42 UTC")

    dialog = show(FormDialog("Change the job title", on_submit=refuse), None)
    dialog.add_line("job_title", "&Job title", "Buyer")
    qtbot.keyClicks(dialog.fields["job_title"], " (acting)")
    click(qtbot, dialog.ok_button)
    assert dialog.changed_bar.text() == REFUSAL
    assert not dialog.changed_bar.compare_button.isVisible()
    assert dialog.text("job_title") == "Buyer (acting)"
    with qtbot.waitSignal(dialog.rejected):
        click(qtbot, dialog.changed_bar.reload_button)


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


def test_the_refusal_in_a_register_screen_fits_1024_by_640(
        qtbot: QtBot, show: Any, store: object) -> None:
    from ui.kit.register_screen import RegisterScreen

    ann = records.create(Person, full_name="Ann Lee", job_title="Buyer")
    screen = show(RegisterScreen(PEOPLE), (1024, 640))
    assert screen.show_record(ann.id)
    retype(qtbot, screen.form.editor("job_title"), "Head of buying")
    with clock.stopped_at(MORNING):
        _changed_by_maria(ann.id, job_title="Quality officer", email="qa@example.com")
        click(qtbot, screen.save_button)
    bar = screen.form.changed_bar
    qtbot.waitUntil(bar.isVisible)
    screen.form.scroll_area.ensureWidgetVisible(bar.reload_button)
    screenshot(screen, "register-refused-1024x640")
    for part in (bar.message, bar.compare_button, bar.reload_button):
        assert part.isVisible() and part.width() >= part.sizeHint().width(), part
    assert bar.message.height() >= bar.message.heightForWidth(bar.message.width())
    assert bar.message.text() == REFUSAL

    click(qtbot, bar.compare_button)
    compared = screen.form.compare_dialog
    assert compared is not None
    qtbot.waitUntil(compared.isVisible)
    screenshot(compared, "register-compare-1024x640")
    assert compared.width() <= 1024 and compared.height() <= 640
    for row, texts in enumerate(compared.rows()):
        for column, text in enumerate(texts):
            wanted = compared.table.fontMetrics().horizontalAdvance(text)
            assert compared.table.columnWidth(column) > wanted, (row, column)


def test_long_texts_in_the_comparison_wrap_whole_inside_a_1024_by_640_window(
        qtbot: QtBot, show: Any) -> None:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QWidget

    mine = ("The label printer printed the previous order's labels because the print queue "
            "was not cleared between orders; 40 parcels went out with the wrong address.")
    theirs = ("Printer queue not cleared between orders. Procedure PK-03 has no step for it."
              "\nChecked 200 parcels of the same day: 40 wrong.")
    window = show(QWidget(), (1024, 640))
    compared = ChangesDialog([("What happened", mine, theirs), ("Severity", "Minor", "Major")],
                             window)
    compared.open()
    qtbot.waitExposed(compared)
    screenshot(compared, "compare-long-texts-1024x640")

    assert compared.width() <= 1024 and compared.height() <= 640
    table = compared.table
    for column, text in ((1, mine), (2, theirs)):
        wrapped = table.fontMetrics().boundingRect(
            QRect(0, 0, table.columnWidth(column) - 8, 10_000),
            int(Qt.TextFlag.TextWordWrap), text)
        assert table.rowHeight(0) >= wrapped.height(), column  # every line shows
    shown = sum(table.rowHeight(row) for row in range(table.rowCount()))
    assert table.viewport().height() >= shown  # no row hidden below the table's edge
