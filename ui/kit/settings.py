"""The user's own window settings (sizes, folded panels, last folders), kept by Qt per user.

A screen remembers how the user laid it out with `remember_splitter` and `remembered_flag`;
nothing here is data of the quality system, which lives in the database.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter

from qms_desktop import APP_ID, APP_NAME


def app_settings() -> QSettings:
    return QSettings(APP_ID, APP_NAME)


def remember_splitter(splitter: QSplitter, key: str) -> bool:
    """Give `splitter` the sizes the user last dragged it to and keep them each time the user
    drags it; True when there were sizes to give (then leave them as they are)."""
    state = app_settings().value(key)
    restored = isinstance(state, QByteArray) and splitter.restoreState(state)

    def keep(_position: int, _index: int) -> None:
        app_settings().setValue(key, splitter.saveState())

    splitter.splitterMoved.connect(keep)
    return restored


def remembered_flag(key: str, default: bool = False) -> bool:
    value = app_settings().value(key, default)
    return value in (True, "true", "1", 1) if not isinstance(value, bool) else value


def remember_flag(key: str, value: bool) -> None:
    app_settings().setValue(key, value)
