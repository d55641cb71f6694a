"""The window's one bridge from the database's change feed to Qt: created with the window for
its database, fed by the records layer and by any other source that publishes on the feed."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from qms_desktop import APP_NAME, actions, clock, db, organisation
from qms_desktop.changes import ChangeFeed, Changes
from qms_desktop.models import Person
from ui.kit.live import ChangeFollower
from ui.kit.register_screen import RegisterScreen
from ui.shell.live import ChangeBridge
from ui.shell.main_window import MainWindow


def test_the_bridge_relays_each_batch_as_a_signal(qtbot: QtBot) -> None:
    feed = ChangeFeed()
    bridge = ChangeBridge(feed)

    with qtbot.waitSignal(bridge.changed) as heard:
        feed.publish({"risk": ["k1", "k2"]})

    changes = heard.args[0]
    assert isinstance(changes, Changes)
    assert changes.ids_in("risk") == {"k1", "k2"}


def test_a_destroyed_bridge_stops_listening(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    feed = ChangeFeed()
    bridge = ChangeBridge(feed)
    with qtbot.waitSignal(bridge.destroyed):
        bridge.deleteLater()

    feed.publish({"risk": ["k1"]})

    assert "A change listener failed" not in caplog.text


def test_the_bridge_can_follow_a_reopened_database(qtbot: QtBot) -> None:
    first, second = ChangeFeed(), ChangeFeed()
    bridge = ChangeBridge(first)
    bridge.listen_to(second)

    with qtbot.assertNotEmitted(bridge.changed):
        first.publish({"risk": ["old"]})
    with qtbot.waitSignal(bridge.changed) as heard:
        second.publish({"risk": ["new"]})
    assert heard.args[0].ids_in("risk") == {"new"}


def test_each_screen_follows_its_window_s_bridge(qtbot: QtBot, live_window: MainWindow) -> None:
    assert isinstance(live_window.changes, ChangeBridge)
    screen = live_window.open_screen("people")
    follower = screen.findChild(ChangeFollower)
    assert follower is not None
    reloads = follower.reloads

    live_window.changes.changed.emit(Changes({"person": frozenset({"someone"})}))

    qtbot.waitUntil(lambda: follower.reloads == reloads + 1)


def test_another_source_publishing_on_the_feed_reaches_the_screens(
    qtbot: QtBot, live_window: MainWindow, store: db.Store
) -> None:
    """Team mode's server notifications will publish on the same feed: a person written by
    someone else (here straight into the file, as another machine would) appears once the
    notification arrives, with no write in this process."""
    screen = live_window.open_screen("people")
    assert isinstance(screen, RegisterScreen)
    other = Person.create(full_name="Written elsewhere")  # not through records: no announcement
    assert screen.model.row_of(other.id) < 0

    store.changes.publish({"person": [other.id]})

    qtbot.waitUntil(lambda: screen.model.row_of(other.id) >= 0)


def test_the_reminder_bar_follows_the_actions(qtbot: QtBot, live_window: MainWindow) -> None:
    assert not live_window.reminder.isVisible()

    actions.raise_improvement("Order new gas bottles", None,
                              clock.today() + dt.timedelta(days=2))

    qtbot.waitUntil(live_window.reminder.isVisible)
    assert live_window.reminder.counts() == (0, 1)


def test_the_title_follows_the_organisation(
    qtbot: QtBot, store: db.Store, own_settings: None
) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == APP_NAME

    organisation.set_up(organisation.OrganisationSetup(
        name="Kestrel Fabrication", sites=[], currency="EUR", user_name="Test User"))

    qtbot.waitUntil(lambda: window.windowTitle().startswith("Kestrel Fabrication"))
