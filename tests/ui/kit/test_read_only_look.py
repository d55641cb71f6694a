"""A text field that may not be changed looks it (the window's ground, as a greyed drop-down
beside it, and no hint for typing), light or dark; and a button the role may not use stays
disabled with the reason whatever its screen decides later (kit permission.hold_refused and
refused_line)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from qms_desktop.support_registers import SUPPLIERS
from ui.kit.permission import hold_refused, refused_line
from ui.kit.record_form import RecordForm
from ui.kit.theme import show_read_only

REASON = "Your role (Viewer) lets you read; ask a quality officer or top management to change " \
         "suppliers."


def ground(widget: QWidget) -> QColor:
    return widget.palette().color(QPalette.ColorRole.Base)


def test_a_read_only_text_field_takes_the_windows_ground_and_gives_it_back(
        qtbot: QtBot) -> None:
    edit = QLineEdit("Acme Castings")
    edit.setPlaceholderText("The supplier's trading name")
    qtbot.addWidget(edit)
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    assert window != base  # else the test could not tell them apart

    show_read_only(edit, True)
    assert edit.isReadOnly() and ground(edit) == window
    assert edit.placeholderText() == ""  # no hint for typing where nothing can be typed
    qtbot.keyClicks(edit, " Ltd")
    assert edit.text() == "Acme Castings"

    show_read_only(edit, False)
    assert not edit.isReadOnly() and ground(edit) == base
    assert edit.placeholderText() == "The supplier's trading name"


def test_the_read_only_ground_follows_a_switch_to_dark(qtbot: QtBot) -> None:
    notes = QPlainTextEdit("Seen on site")
    qtbot.addWidget(notes)
    show_read_only(notes, True)
    light = QApplication.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#2b2c2f"))
    try:
        QApplication.setPalette(dark)
        qtbot.waitUntil(lambda: ground(notes) == QColor("#202124"))
    finally:
        QApplication.setPalette(light)
    qtbot.waitUntil(lambda: ground(notes) == light.color(QPalette.ColorRole.Window))


def test_a_read_only_record_form_greys_its_texts_like_its_choices(
        show: Callable[..., Any], store: object) -> None:
    form: RecordForm = show(RecordForm(SUPPLIERS), (520, 640))
    name = form.editor("name")
    assert isinstance(name, QLineEdit)
    assert ground(name) == QApplication.palette().color(QPalette.ColorRole.Base)
    form.set_read_only(True)
    assert name.isReadOnly()
    assert ground(name) == QApplication.palette().color(QPalette.ColorRole.Window)
    form.set_read_only(False)
    assert ground(name) == QApplication.palette().color(QPalette.ColorRole.Base)


def test_a_refused_button_stays_disabled_with_the_reason_whatever_the_screen_decides(
        qtbot: QtBot) -> None:
    panel = QWidget()
    qtbot.addWidget(panel)
    evaluate = QPushButton("E&valuate…")
    evaluate.setToolTip("Score quality, delivery, price and responsiveness")
    owner = QComboBox()
    layout = QVBoxLayout(panel)
    layout.addWidget(evaluate)
    layout.addWidget(owner)
    line = refused_line(REASON, evaluate)
    hold_refused(REASON, owner)
    layout.addWidget(line)
    panel.show()
    qtbot.waitExposed(panel)

    assert line.isVisible() and line.text() == REASON
    evaluate.setEnabled(True)  # a supplier was chosen
    owner.setEnabled(True)
    evaluate.setToolTip("Score the supplier")
    assert not evaluate.isEnabled() and not owner.isEnabled()
    assert evaluate.toolTip() == REASON and owner.toolTip() == REASON
    clicked: list[bool] = []
    evaluate.clicked.connect(lambda: clicked.append(True))
    qtbot.mouseClick(evaluate, Qt.MouseButton.LeftButton)
    assert clicked == []


def test_without_a_refusal_nothing_is_held_and_no_line_shows(qtbot: QtBot) -> None:
    panel = QWidget()
    qtbot.addWidget(panel)
    evaluate = QPushButton("E&valuate…")
    evaluate.setEnabled(False)
    layout = QVBoxLayout(panel)
    layout.addWidget(evaluate)
    line = refused_line("", evaluate)
    layout.addWidget(line)
    panel.show()
    qtbot.waitExposed(panel)
    assert not line.isVisible()
    evaluate.setEnabled(True)
    assert evaluate.isEnabled() and evaluate.toolTip() == ""
