"""The kit's fitting helpers: an eliding label, literal ampersands and the wheel guard."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QPushButton, QSpinBox, QWidget

from qms_desktop import records
from qms_desktop.models import Person
from ui.kit.fitting import ElidedLabel, elides_by_design, install_wheel_guard, literal


def wheel_down(widget: QWidget, steps: int = 1) -> bool:
    """Turn the wheel over `widget`; whether it took the turn (else Qt hands a real wheel
    event on to the widget's parent, the page around it)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, -120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_an_ampersand_in_a_label_is_shown_as_one(qtbot) -> None:
    button = QPushButton(literal("Open Context & issues"))
    qtbot.addWidget(button)
    assert button.text() == "Open Context && issues"
    assert literal("R&D && more") == "R&&D &&&& more"


def test_an_elided_label_keeps_the_whole_text_in_its_tooltip(show: Any) -> None:
    text = "Database: /home/someone/Documents/Quality/Northbank Precision Components.db"
    label = show(ElidedLabel(text), (160, 30))
    assert label.is_elided()
    assert label.text().endswith("…") and len(label.text()) < len(text)
    assert label.full_text() == text and label.toolTip() == text
    assert elides_by_design(label)
    label.resize(label.sizeHint())
    assert label.text() == text and not label.is_elided()


def test_the_wheel_leaves_a_control_without_focus_alone(qtbot) -> None:
    install_wheel_guard(QApplication.instance())
    combo, spin, date = QComboBox(), QSpinBox(), QDateEdit()
    combo.addItems(["Ann", "Bob", "Cleo"])
    holder = QWidget()
    for widget in (combo, spin, date):
        widget.setParent(holder)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    before = (combo.currentIndex(), spin.value(), date.date())
    for widget in (combo, spin, date):
        assert not wheel_down(widget)
    assert (combo.currentIndex(), spin.value(), date.date()) == before
    assert spin.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel gives no focus
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel_down(combo)
    assert combo.currentIndex() == 1  # once chosen, the wheel changes it as usual


def test_scrolling_the_duties_does_not_change_who_holds_one(show: Any, store: object) -> None:
    from ui.screens.responsibilities.responsibilities_screen import ResponsibilitiesScreen

    install_wheel_guard(QApplication.instance())
    for name in ("Ann Lee", "Bob Stone", "Cleo Park"):
        records.create(Person, full_name=name)
    screen = show(ResponsibilitiesScreen(), (900, 420))
    card = next(c for c in screen.cards if c.accessibleName().startswith("5.3 c"))
    screen.scroll_area.ensureWidgetVisible(card.holder_combo)
    assert screen.scroll_area.verticalScrollBar().maximum() > 0  # a page to scroll
    held_by = card.holder_combo.currentIndex()
    assert card.holder_combo.count() > 2
    assert not wheel_down(card.holder_combo)  # left for the page around it
    assert not wheel_down(card.holder_combo, -1)
    assert card.holder_combo.currentIndex() == held_by
