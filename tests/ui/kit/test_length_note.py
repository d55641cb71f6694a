"""Text cut to a field's limit says so, whether typed or pasted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop.catalogue import SITES
from qms_desktop.fields import text_limit
from qms_desktop.models import Site
from ui.kit.form_dialog import FormDialog
from ui.kit.length_note import LengthNote, limit_length
from ui.kit.record_form import RecordForm


def field_with_note(show: Any, limit: int) -> tuple[QWidget, QLineEdit, LengthNote]:
    """The page is returned too: qtbot holds shown widgets only weakly."""
    page = QWidget()
    layout = QVBoxLayout(page)
    edit = QLineEdit()
    note = limit_length(edit, limit)
    layout.addWidget(edit)
    layout.addWidget(note)
    show(page, (400, 120))
    return page, edit, note


def test_typing_past_the_limit_says_the_text_was_cut(qtbot: QtBot, show: Any) -> None:
    _page, edit, note = field_with_note(show, 5)
    qtbot.keyClicks(edit, "Dubai")
    assert not note.isVisible()  # exactly full is fine
    qtbot.keyClicks(edit, "x")
    assert edit.text() == "Dubai"
    assert note.isVisible()
    assert note.text() == "Cut to 5 characters: this field holds no more."
    assert edit.accessibleDescription() == note.text()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert not note.isVisible()
    assert edit.accessibleDescription() == ""


def test_pasting_past_the_limit_says_so_too(qtbot: QtBot, show: Any) -> None:
    _page, edit, note = field_with_note(show, 10)
    QGuiApplication.clipboard().setText("Jebel Ali Free Zone, Dubai")
    edit.setFocus()
    qtbot.keySequence(edit, QKeySequence.StandardKey.Paste)
    assert edit.text() == "Jebel Ali "
    assert note.isVisible()


def test_a_short_paste_says_nothing(qtbot: QtBot, show: Any) -> None:
    _page, edit, note = field_with_note(show, 10)
    QGuiApplication.clipboard().setText("Doha")
    edit.setFocus()
    qtbot.keySequence(edit, QKeySequence.StandardKey.Paste)
    assert edit.text() == "Doha"
    assert not note.isVisible()


def test_a_register_form_field_says_so_at_its_field_rule_limit(
        qtbot: QtBot, show: Any, store: object) -> None:
    form = show(RecordForm(SITES), (500, 400))
    form.start_new()
    name = form.editor("name")
    assert isinstance(name, QLineEdit)
    limit = text_limit(Site.name)
    assert name.maxLength() == limit
    QGuiApplication.clipboard().setText("A" * (limit + 40))
    name.setFocus()
    qtbot.keySequence(name, QKeySequence.StandardKey.Paste)
    notes = [n for n in form.findChildren(LengthNote) if n.edit is name]
    assert len(notes) == 1 and notes[0].isVisible()
    assert str(limit) in notes[0].text()
    assert form.save() is not None
    assert Site.get().name == "A" * limit


def test_a_form_dialog_line_says_so_too(qtbot: QtBot, show: Any) -> None:
    dialog = FormDialog("New checklist")
    edit = dialog.add_line("name", "&Name")
    edit.setMaxLength(8)
    show(dialog, None)
    qtbot.keyClicks(edit, "Goods inwards")
    assert edit.text() == "Goods in"
    notes = [n for n in dialog.findChildren(LengthNote) if n.edit is edit]
    assert len(notes) == 1 and notes[0].isVisible()
