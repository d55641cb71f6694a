"""Where a Save dialog opens: the folder the user last saved into, else their Documents folder.

Never the program's own folder (the working directory a shortcut happens to start in), which
is where a bare file name would put the file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.kit.settings import app_settings

LAST_FOLDER_KEY = "files/last_save_folder"


def documents_folder() -> Path:
    """The user's Documents folder (their home when the system names none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def _settings() -> QSettings:
    return app_settings()


def start_folder() -> Path:
    """The last folder saved into while it still exists, else the Documents folder."""
    last = _settings().value(LAST_FOLDER_KEY, "")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def remember_folder(folder: Path) -> None:
    _settings().setValue(LAST_FOLDER_KEY, str(folder))


def ask_save_path(parent: QWidget | None, title: str, file_name: str,
                  file_filter: str = "") -> Path | None:
    """Ask where to save `file_name`; None when the user cancels. The chosen folder is
    offered first next time."""
    start = start_folder() / Path(file_name).name
    chosen, _selected = QFileDialog.getSaveFileName(parent, title, str(start), file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    remember_folder(path.parent)
    return path
