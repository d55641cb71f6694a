"""follow_changes: a visible widget reloads once per turn of the event loop, a hidden one when it
is shown; a register keeps its selection, its fetched rows and its scroll position."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import catalogue, db, registers
from qms_desktop.changes import ChangeFeed
from qms_desktop.models import Person, database
from qms_desktop.registers import PAGE_SIZE
from ui.kit.live import EVERY_TABLE, ChangeFollower, follow_changes
from ui.kit.register_screen import RegisterScreen, shown_tables
from ui.shell.live import ChangeBridge


class Counter(QLabel):
    """A widget whose reload counts itself."""

    def __init__(self) -> None:
        super().__init__("nothing yet")
        self.count = 0

    def reload(self) -> None:
        self.count += 1
        self.setText(f"read {self.count} times")


@pytest.fixture
def feed() -> ChangeFeed:
    return ChangeFeed()


@pytest.fixture
def bridge(feed: ChangeFeed) -> ChangeBridge:
    return ChangeBridge(feed)


def _follow(widget: Counter, bridge: ChangeBridge, tables: Any = ("person",)) -> ChangeFollower:
    follower = follow_changes(widget, bridge, tables, widget.reload)
    assert follower is not None
    return follower


def test_batches_in_one_turn_give_one_reload(
    qtbot: QtBot, show: Callable[..., QWidget], feed: ChangeFeed, bridge: ChangeBridge
) -> None:
    widget = show(Counter(), None)
    follower = _follow(widget, bridge)

    feed.publish({"person": ["p1"]})
    feed.publish({"person": ["p2"], "role": ["r1"]})
    feed.publish({"risk": ["k1"]})
    assert widget.count == 0  # not in the middle of whatever the writer was doing

    qtbot.waitUntil(lambda: widget.count == 1)
    assert not follower.stale
    qtbot.waitUntil(lambda: not follower._timer.isActive())
    assert widget.count == 1 and follower.reloads == 1


def test_tables_the_widget_does_not_show_are_ignored(
    show: Callable[..., QWidget], feed: ChangeFeed, bridge: ChangeBridge
) -> None:
    widget = show(Counter(), None)
    follower = _follow(widget, bridge, ("person",))

    feed.publish({"risk": ["k1"], "role": ["r1"]})

    assert not follower.stale
    assert not follower._timer.isActive()


def test_every_table_follows_any_change(
    qtbot: QtBot, show: Callable[..., QWidget], feed: ChangeFeed, bridge: ChangeBridge
) -> None:
    widget = show(Counter(), None)
    _follow(widget, bridge, EVERY_TABLE)

    feed.publish({"supplier_evaluation": ["e1"]})

    qtbot.waitUntil(lambda: widget.count == 1)


def test_a_hidden_widget_reloads_when_shown_and_not_before(
    qtbot: QtBot, show: Callable[..., QWidget], feed: ChangeFeed, bridge: ChangeBridge
) -> None:
    widget = show(Counter(), None)
    follower = _follow(widget, bridge)
    widget.hide()

    feed.publish({"person": ["p1"]})
    feed.publish({"person": ["p2"]})

    assert follower.stale
    assert not follower._timer.isActive()
    widget.show()
    assert widget.count == 1  # read on the Show event, before the first paint
    assert widget.text() == "read 1 times"
    assert not follower.stale
    widget.hide()
    widget.show()
    assert widget.count == 1  # nothing changed since: no second read


def test_without_a_source_nothing_is_followed(show: Callable[..., QWidget]) -> None:
    widget = show(Counter(), None)
    assert follow_changes(widget, None, ("person",), widget.reload) is None
    assert widget.findChildren(ChangeFollower) == []


def test_a_deleted_widget_stops_following(
    qtbot: QtBot, feed: ChangeFeed, bridge: ChangeBridge, caplog: pytest.LogCaptureFixture
) -> None:
    widget = Counter()
    _follow(widget, bridge)
    widget.show()
    with qtbot.waitSignal(widget.destroyed):
        widget.deleteLater()

    feed.publish({"person": ["p1"]})

    assert "A change listener failed" not in caplog.text


def test_a_register_keeps_its_selection_rows_and_scroll_position(
    qtbot: QtBot, show: Callable[..., QWidget], store: db.Store
) -> None:
    with database.atomic():  # one batch: the screen is not built yet anyway
        for number in range(PAGE_SIZE * 2 + 50):
            registers.save(catalogue.PEOPLE, None, {"full_name": f"Person {number:04d}"})
    screen = show(RegisterScreen(catalogue.PEOPLE, changes=ChangeBridge(store.changes)),
                  (1100, 650))
    assert shown_tables(catalogue.PEOPLE) >= {"person", "site", "person_role"}
    table = screen.table
    # Scroll to the end twice, so the view fetched more than one page, then pick a row.
    for _ in range(3):
        table.scrollToBottom()
        qtbot.waitUntil(lambda: screen.model.rowCount() > PAGE_SIZE)
    fetched = screen.model.rowCount()
    chosen_id = screen.model.record_id(PAGE_SIZE + 10)
    assert screen.show_record(chosen_id)
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum() - 3)
    scrolled = table.verticalScrollBar().value()

    added = registers.save(catalogue.PEOPLE, None, {"full_name": "Person 0000a"})

    qtbot.waitUntil(lambda: screen.model.row_of(added.id) >= 0)
    assert screen.model.rowCount() >= fetched  # still the rows read before, not one page
    current = table.selectionModel().currentIndex()
    assert screen.model.record_id(current.row()) == chosen_id
    assert screen.form.record is not None and screen.form.record.id == chosen_id
    qtbot.waitUntil(lambda: table.verticalScrollBar().value() == scrolled)


def test_a_register_keeps_unsaved_typing_and_offers_new_choices(
    qtbot: QtBot, show: Callable[..., QWidget], store: db.Store
) -> None:
    screen = show(RegisterScreen(catalogue.PEOPLE, changes=ChangeBridge(store.changes)),
                  (1100, 650))
    screen.new_record()
    name = screen.form.editor("full_name")
    qtbot.keyClicks(name, "Amira Haddad")
    site_combo = screen.form.editor("site")

    registers.save(catalogue.SITES, None, {"name": "Harbour depot"})

    qtbot.waitUntil(lambda: site_combo.findText("Harbour depot") >= 0)
    assert name.text() == "Amira Haddad"
    assert screen.has_unsaved_changes()
    assert Person.select().count() == 0
