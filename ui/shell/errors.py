"""Dialogs for problems: plain words for the environment, a log file for real bugs.

Every dialog here is a QMessageBox instance run with `exec()`, so a test can replace
`QMessageBox.exec` once and see the text of any of them.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from qms_desktop import APP_ID, APP_NAME, errors
from ui.kit.server_lost import lost_connection, offer_retry

LOG_FILE_NAME = "qms-desktop.log"
RESTORE_BUTTON_TEXT = "Restore latest backup"
NEW_DATABASE_BUTTON_TEXT = "Start a new quality system in it"

log = logging.getLogger("qms_desktop.ui")


def log_file_path() -> Path:
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False)) / LOG_FILE_NAME


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, detail: str = ""
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(f"{title} – {APP_NAME}")
    box.setText(f"<b>{_escape(title)}</b>")
    box.setInformativeText(_escape(text) + (f"<br><br>{_escape(detail)}" if detail else ""))
    box.setAccessibleName(title)
    box.setAccessibleDescription(f"{text} {detail}".strip())
    return box


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message_text(box: QMessageBox) -> str:
    """Everything a message box says, as plain text (for tests and screen readers alike)."""
    return f"{box.accessibleName()}: {box.accessibleDescription()}"


def show_problem(parent: QWidget | None, problem: errors.EnvironmentProblem) -> None:
    box = _box(parent, QMessageBox.Icon.Warning, problem.title, problem.message, problem.advice)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def show_information(parent: QWidget | None, title: str, text: str) -> None:
    box = _box(parent, QMessageBox.Icon.Information, title, text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def offer_restore(
    parent: QWidget | None, problem: errors.EnvironmentProblem, backup: Path
) -> bool:
    """Ask whether to put the latest backup in place of a file that cannot be opened."""
    detail = (
        f"{problem.advice}\n\nThe latest backup is {backup.name}. Restoring it keeps the "
        "damaged file beside it under a new name; nothing is deleted."
    )
    box = _box(parent, QMessageBox.Icon.Warning, problem.title, problem.message, detail)
    restore = box.addButton(RESTORE_BUTTON_TEXT, QMessageBox.ButtonRole.AcceptRole)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.setEscapeButton(quit_button)
    box.exec()
    return box.clickedButton() is restore


def offer_new_database(parent: QWidget | None, problem: errors.EnvironmentProblem) -> bool:
    """Ask whether to start a new quality system in an empty file."""
    box = _box(parent, QMessageBox.Icon.Question, problem.title, problem.message,
               "Start a new quality system in it, or quit and choose another file.")
    start = box.addButton(NEW_DATABASE_BUTTON_TEXT, QMessageBox.ButtonRole.AcceptRole)
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)
    box.exec()
    return box.clickedButton() is start


def show_unexpected(parent: QWidget | None, log_file: Path) -> None:
    box = _box(
        parent,
        QMessageBox.Icon.Critical,
        "Something went wrong",
        "QMS Desktop met a problem it did not expect. Your saved work is safe.",
        f"The details were written to {log_file}. If it happens again, send that file "
        "to whoever supports your copy of QMS Desktop.",
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def _log_to_file(log_file: Path) -> None:
    if any(getattr(h, "baseFilename", None) == str(log_file) for h in log.handlers):
        return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def make_excepthook(database_path: Path, log_file: Path | None = None) -> ExceptHook:
    """A sys.excepthook: environment problems as plain dialogs, bugs to the log file."""
    log_file = log_file or log_file_path()

    def hook(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        parent = QApplication.activeWindow()
        if lost_connection(exc):
            # A read that found the server out of reach even on a new connection (a
            # connection the server ended is made again quietly). One failure, one
            # question: a page already saying so, with its own Retry, is enough.
            says_so = getattr(parent, "shows_not_loaded_page", None)
            if callable(says_so) and says_so():
                return
            # Retry reconnects, and screens not loaded are then built (server_lost).
            offer_retry(parent, exc, "nothing saved is lost: it is on the server")
            return
        problem = errors.from_exception(exc, database_path)
        if problem is not None:
            show_problem(parent, problem)
            return
        written = log_file
        try:
            _log_to_file(log_file)
            details = "".join(traceback.format_exception(exc_type, exc, tb))
            log.error("Unexpected error\n%s", details)
        except OSError:
            # The log folder is unwritable: the terminal is the last place left.
            sys.__excepthook__(exc_type, exc, tb)
            written = Path("the terminal (standard error)")
        show_unexpected(parent, written)

    return hook


def install_excepthook(database_path: Path, log_file: Path | None = None) -> ExceptHook:
    hook = make_excepthook(database_path, log_file)
    sys.excepthook = hook
    return hook
