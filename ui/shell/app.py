"""Start the window: the application object, the database (with its problems), the screens."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from qms_desktop import APP_NAME, __version__, errors
from ui.kit.fitting import install_wheel_guard
from ui.kit.icons import app_icon
from ui.shell import errors as error_dialogs
from ui.shell.main_window import SETTINGS_ORGANISATION, MainWindow

if TYPE_CHECKING:
    from qms_desktop import db
    from qms_desktop.server import ServerStore


SHOW_CONNECTING_AFTER_MS = 600  # a server answering sooner is connected to without a dialog


@contextmanager
def explaining_platform_failure() -> Iterator[None]:
    """While the application object is made: if Qt's platform plugin cannot load, print which
    system libraries are missing and how to install them, and exit with EXIT_NO_WINDOW,
    instead of Qt's abort. The libraries are looked at only then; a normal start-up pays
    for one message handler, removed as soon as the application object exists."""
    held: list[str] = []  # the platform's own warnings: replaced by ours if it fails

    def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category or "default"
        if kind == QtMsgType.QtFatalMsg and "platform plugin" in message:
            from ui.shell.system_libraries import EXIT_NO_WINDOW, diagnose

            named = re.search(r'platform plugin "([\w-]+)"', "\n".join(held))
            print(diagnose(named.group(1) if named else "xcb").message(APP_NAME),
                  file=sys.stderr, flush=True)
            os._exit(EXIT_NO_WINDOW)  # Qt aborts after a fatal message; leave first
        text = message if category == "default" else f"{category}: {message}"
        if category.startswith("qt.qpa"):
            held.append(text)
        else:
            print(text, file=sys.stderr, flush=True)

    previous = qInstallMessageHandler(handle)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
        for text in held:  # the plugin loaded after all: its warnings still go out
            print(text, file=sys.stderr, flush=True)


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        with explaining_platform_failure():
            app = QApplication(argv or sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(SETTINGS_ORGANISATION)
    app.setDesktopFileName("qms-desktop")
    app.setWindowIcon(app_icon())
    # Fusion looks the same everywhere and follows the system's light or dark palette.
    app.setStyle("Fusion")
    install_wheel_guard(app)
    return app


def open_store_with_dialogs(
    path: Path, parent: QWidget | None = None, *, is_default: bool = False
) -> db.Store | None:
    """Open the database, explaining any problem in a dialog; None when it cannot be opened.

    A damaged file with a backup beside it can be replaced by the latest backup (the damaged
    file is kept under a new name), after which the opening is tried once more. An empty file
    may become a new quality system, if the user says so.
    """
    from qms_desktop import db

    path = Path(path).expanduser().absolute()
    restored = start_new = False
    while True:
        try:
            store = db.open_database(
                path, create_folder=is_default, rolling_backup=True, start_new=start_new
            )
            for notice in store.notices:  # a -wal file set aside, say
                error_dialogs.show_problem(parent, notice)
            return store
        except errors.EnvironmentProblem as problem:
            if problem.offer_new_database and not start_new:
                if not error_dialogs.offer_new_database(parent, problem):
                    return None
                start_new = True
                continue
            backups = db.list_backups(path) if problem.offer_restore and not restored else []
            if not backups:
                error_dialogs.show_problem(parent, problem)
                return None
            latest = backups[-1]
            if not error_dialogs.offer_restore(parent, problem, latest):
                return None
            try:
                kept = db.recover_from_backup(path, latest)
            except errors.EnvironmentProblem as failure:
                error_dialogs.show_problem(parent, failure)
                return None
            restored = True
            error_dialogs.show_information(
                parent,
                "Backup restored",
                f"The latest backup ({latest.name}) is now in use. The damaged file was "
                f"kept as {kept}, in case anyone needs to look at it.",
            )


def open_server_with_dialogs(url: str, parent: QWidget | None = None) -> ServerStore | None:
    """Connect to the server at `url` with the password the keyring keeps for it, if any;
    else (or when that fails) the connect dialog, filled in, asks for what is missing and
    says what went wrong. None when the user gives up.

    The connecting is the dialog's, on a thread of its own: the window stays painted, and
    when the server takes its time (more than a moment) the dialog shows it with Cancel."""
    from qms_desktop import saved_passwords, server
    from ui.shell.connect_dialog import ConnectDialog

    try:
        address = server.ServerAddress.parse(url)
    except errors.EnvironmentProblem as problem:
        error_dialogs.show_problem(parent, problem)
        return None
    kept = saved_passwords.saved_password(address)
    dialog = ConnectDialog(parent, address=address)
    dialog.password_edit.setText(kept or "")
    waiting = QEventLoop()
    dialog.attempt_ended.connect(waiting.quit)
    long_enough = QTimer(waiting)
    long_enough.setSingleShot(True)
    long_enough.timeout.connect(waiting.quit)
    # A password wanted and none kept is no problem yet: the dialog asks for it.
    dialog.connect_at_once(quiet_password=kept is None)
    if dialog.connecting():
        long_enough.start(SHOW_CONNECTING_AFTER_MS)
        waiting.exec()
        long_enough.stop()
    dialog.attempt_ended.disconnect(waiting.quit)
    if dialog.store is None and dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.store


def run_app(location: Path | str, *, is_default_location: bool) -> int:
    """The window's main loop; the exit code for the process. `location` is a database
    file, or a server's address (postgresql://user@host:port/dbname).

    The window's frame is shown first and painted, then the database is opened and the
    screens filled: the user sees the app at once, even on a large database.
    """
    app = create_application()
    on_server = isinstance(location, str)
    error_dialogs.install_excepthook(Path() if on_server else Path(location).expanduser()
                                     .absolute())
    window = MainWindow()
    window.show()
    app.processEvents()  # paint the frame before the slower work below
    store: db.Store | ServerStore | None
    if isinstance(location, str):
        store = open_server_with_dialogs(location, window)
    else:
        store = open_store_with_dialogs(location, window, is_default=is_default_location)
    if store is None:
        window.close()
        return errors.EXIT_ENVIRONMENT
    try:
        return _run_with_store(app, window, store)
    finally:
        # The window may have moved to another database (File → Connect to a server).
        (window.store if window.store is not None else store).close()


def _run_with_store(app: QApplication, window: MainWindow,
                    store: db.Store | ServerStore) -> int:
    from qms_desktop import organisation

    # A new database starts with the first-run window; connecting to a server from it
    # opens the server instead, which may be new too.
    while organisation.get_organisation() is None:
        from ui.shell.first_run import FirstRunDialog

        window.statusBar().clearMessage()
        first_run = FirstRunDialog(window, store=store)
        if first_run.exec() != QDialog.DialogCode.Accepted:
            window.store = store  # closed by run_app
            window.close()
            return 0
        if first_run.connected is None:
            break
        store = first_run.connected
    window.attach(store)
    return app.exec()
