"""Screens that stay current: reload when a committed change touches the tables they show.

The shell bridges the database's change feed to one Qt signal (`ChangeSource.changed`, carrying
`qms_desktop.changes.Changes`) and hands it to each screen; a screen calls `follow_changes` once
with the tables it shows and the method that reads them again (`keep_current`, at the end of a
constructor, also reads them the first time and follows the theme). A visible screen reloads
once per turn of the event loop however many batches arrived; a hidden one only notes that it
is stale and reloads when it is shown again, so a change costs nothing on screens nobody
looks at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QWidget

from ui.kit.theme import on_theme_change

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from qms_desktop.changes import Changes

# Screens that read from every register (the overview's readiness checks) follow all tables.
EVERY_TABLE: frozenset[str] = frozenset({"*"})


class ChangeSource(Protocol):
    """What a screen is handed: a Qt signal carrying each committed batch of `Changes`."""

    changed: SignalInstance


class ChangeFollower(QObject):
    """Keeps one widget current; a child of the widget, so it goes when the widget goes."""

    def __init__(
        self,
        widget: QWidget,
        source: ChangeSource,
        tables: Iterable[str],
        reload: Callable[[], object],
        keep_scroll: bool = True,
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._reload = reload
        self._keep_scroll = keep_scroll
        self.tables = frozenset(tables)
        self.stale = False
        self.reloads = 0  # how many times a change made the widget read again (for tests)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._reload_if_stale)
        source.changed.connect(self._heard)
        widget.installEventFilter(self)

    def _heard(self, changes: Changes) -> None:
        if self.tables != EVERY_TABLE and not changes.touches(self.tables):
            return
        self.stale = True
        if self._widget.isVisible():
            self._timer.start()  # several batches in one turn of the event loop: one reload

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show and self.stale:
            # Read before the first paint, so the user never sees the old figures.
            self._reload_if_stale()
        return False

    def _reload_if_stale(self) -> None:
        if not self.stale or not self._widget.isVisible():
            return  # a hidden widget waits for its Show event
        self.stale = False
        self._timer.stop()
        keep = ScrollPositions(self._widget) if self._keep_scroll else None
        self._reload()
        self.reloads += 1
        if keep is not None:
            keep.restore()


class ScrollPositions:
    """Where every scrolled view inside a widget stood, to put it back after a reload."""

    def __init__(self, widget: QWidget) -> None:
        areas = widget.findChildren(QAbstractScrollArea)
        if isinstance(widget, QAbstractScrollArea):
            areas.append(widget)
        # Only what is on screen: a hidden tab's view keeps its own place, and the lists of
        # closed drop-downs have none worth keeping.
        self._positions = [
            (area, area.horizontalScrollBar().value(), area.verticalScrollBar().value())
            for area in areas if area.isVisible()
        ]

    def restore(self) -> None:
        self._apply()
        # A view lays out its new rows later in the same turn of the event loop, and only
        # then is its scroll range long enough again: set the positions once more after it.
        QTimer.singleShot(0, self._apply)

    def _apply(self) -> None:
        for area, horizontal, vertical in self._positions:
            try:
                if isinstance(area, QAbstractItemView):
                    area.doItemsLayout()
                area.horizontalScrollBar().setValue(horizontal)
                area.verticalScrollBar().setValue(vertical)
            except RuntimeError:  # the reload replaced that view
                continue


def follow_changes(
    widget: QWidget,
    source: ChangeSource | None,
    tables: Iterable[str],
    reload: Callable[[], object],
    *,
    keep_scroll: bool = True,
) -> ChangeFollower | None:
    """Reload `widget` with `reload` when a change touches one of `tables` (None: a widget
    built on its own, in a test or a dialog, follows nothing). The scroll position of every
    view inside `widget` is put back after the reload unless `keep_scroll` is False (the
    window's own title and reminder bar, which scroll nothing)."""
    if source is None:
        return None
    return ChangeFollower(widget, source, tables, reload, keep_scroll)


def keep_current(
    screen: QWidget,
    source: ChangeSource | None,
    tables: Iterable[str],
    reload: Callable[[], object],
    *,
    colours: Callable[[], object] | None = None,
) -> None:
    """The end of a screen's constructor: take its colours from the palette now and on every
    theme change (`colours`), read its data, and reload it when a change touches `tables`."""
    if colours is not None:
        colours()
        on_theme_change(screen, colours)
    reload()
    follow_changes(screen, source, tables, reload)
