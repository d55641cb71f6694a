"""Connect to a PostgreSQL server: where it is, who signs in, the password.

The dialog connects itself (through `open_server`, which the window may replace to open the
server in place of its current database), first asking the server on a thread of its own
whether it answers and lets the user in, so the dialog says "Connecting to …" and Cancel
stops the attempt at once, the fields as typed. It stays open when that fails: the problem is
said inside it (password refused, server not reached, not a member), the fields keep what
was typed, and Connect becomes Retry. Once in, `store` holds the open server.

Recent connections are kept in QSettings without a password, ever; a password is kept only
in the operating system's keyring, when the user asks for it and the computer has one.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import errors
from ui.kit.header import muted
from ui.kit.settings import app_settings
from ui.kit.widgets import bold, problem_label, resize_within_screen, show_problem

if TYPE_CHECKING:
    from qms_desktop import db
    from qms_desktop.server import ServerAddress, ServerStore

TITLE = "Connect to a server"
RECENT_KEY = "connections/recent"
RECENT_KEPT = 8
DEFAULT_PORT = "5432"
REMEMBER_TEXT = "Remember password in this computer's keyring"

# Opens the server at the address with the typed password; raises EnvironmentProblem.
OpenServer = Callable[["ServerAddress", str], "ServerStore"]


def open_server(address: ServerAddress, password: str) -> ServerStore:
    from qms_desktop import server

    # PGPASSWORD or ~/.pgpass come first (libpq reads them); then the typed password.
    return server.open_server(address, ask_password=lambda _address: password)


def open_server_instead(current: db.Store | ServerStore) -> OpenServer:
    """An opener for the dialog that opens the server in place of the `current` database,
    which stays open and in use when the server cannot be opened."""
    from qms_desktop import server

    def open_instead(address: ServerAddress, password: str) -> ServerStore:
        return server.open_instead(current, lambda: open_server(address, password))

    return open_instead


@dataclass(frozen=True, eq=False)
class _Attempt:
    """One attempt to connect (told apart by identity)."""

    address: ServerAddress
    password: str


class _Answers(QObject):
    """Hands each attempt's answer from its thread to the window's (a queued signal); one
    for the process, so nothing Qt is left to be deleted on the attempt's thread."""

    answered = Signal(object, object)  # the attempt; its EnvironmentProblem, or None


_answers = _Answers()


def _ask_server(attempt: _Attempt) -> None:
    from qms_desktop import server  # loaded here, not on the thread

    def run() -> None:
        try:
            answer = server.probe(attempt.address, attempt.password)
        except Exception as exc:
            answer = server.unreachable(attempt.address, exc)
        _answers.answered.emit(attempt, answer)

    threading.Thread(target=run, name="connect-probe", daemon=True).start()


# --- Recent connections (QSettings: where and who, never a password) ------------------------


FIELDS = ("host", "port", "dbname", "user")


def recent_connections() -> list[dict[str, str]]:
    """The connections made last, the latest first: host, port, dbname and user each."""
    text = app_settings().value(RECENT_KEY, "")
    try:
        found = json.loads(str(text)) if text else []
    except ValueError:
        return []
    return [{name: str(entry.get(name, "")) for name in FIELDS}
            for entry in found if isinstance(entry, dict)][:RECENT_KEPT]


def remember_connection(address: ServerAddress) -> None:
    entry = {"host": address.host, "port": address.port, "dbname": address.dbname,
             "user": address.user}
    kept = [entry, *(e for e in recent_connections() if e != entry)][:RECENT_KEPT]
    app_settings().setValue(RECENT_KEY, json.dumps(kept))


def address_text(entry: dict[str, str]) -> str:
    """An entry as the address people read: postgresql://maria@host:5432/qms."""
    who = f"{entry['user']}@" if entry["user"] else ""
    port = f":{entry['port']}" if entry["port"] else ""
    return f"postgresql://{who}{entry['host'] or 'localhost'}{port}/{entry['dbname']}"


def address_url(entry: dict[str, str]) -> str:
    """An entry as a URL libpq reads (a socket folder or an IPv6 host quoted)."""
    host = entry["host"].strip()
    if ":" in host and not host.startswith("/"):
        host = f"[{host}]"
    else:
        host = urllib.parse.quote(host, safe="")
    user = urllib.parse.quote(entry["user"].strip(), safe="")
    port = f":{entry['port'].strip()}" if entry["port"].strip() else ""
    dbname = urllib.parse.quote(entry["dbname"].strip(), safe="")
    return f"postgresql://{user}@{host}{port}/{dbname}"


class ConnectDialog(QDialog):
    """Accepted once connected; `store` is then the open server."""

    attempt_ended = Signal()  # connected, refused, not reached or stopped

    def __init__(self, parent: QWidget | None = None, *, address: ServerAddress | None = None,
                 problem: errors.EnvironmentProblem | None = None,
                 open_server: OpenServer = open_server) -> None:
        super().__init__(parent)
        self.store: ServerStore | None = None
        self._open_server = open_server
        self.keyring_notice = ""  # why a password asked to be kept was not
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)

        heading = bold(QLabel(TITLE), 1.3)
        layout.addWidget(heading)
        intro = muted(QLabel("Your team's records on a PostgreSQL server. Sign in with the "
                             "login and password your administrator gave you."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.recent_label = QLabel("R&ecent connections")
        self.recent_list = QListWidget()
        self.recent_list.setAccessibleName("Recent connections")
        self.recent_label.setBuddy(self.recent_list)
        row_height = self.recent_list.fontMetrics().height() + 8
        for entry in recent_connections():
            item = QListWidgetItem(address_text(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setSizeHint(QSize(0, row_height))
            self.recent_list.addItem(item)
        rows = min(self.recent_list.count(), 4)  # beyond four, the list scrolls
        self.recent_list.setFixedHeight(
            row_height * rows + 2 * self.recent_list.frameWidth() + 2 if rows else 0)
        self.recent_list.currentItemChanged.connect(self._recent_chosen)
        has_recent = self.recent_list.count() > 0
        self.recent_label.setVisible(has_recent)
        self.recent_list.setVisible(has_recent)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent_list)

        form = QFormLayout()
        form.setVerticalSpacing(8)
        self.host_edit = QLineEdit()
        self.host_edit.setAccessibleName("Host")
        self.host_edit.setPlaceholderText("server name or address")
        self.port_edit = QLineEdit(DEFAULT_PORT)
        self.port_edit.setAccessibleName("Port")
        self.port_edit.setMaxLength(5)
        self.port_edit.setFixedWidth(self.port_edit.fontMetrics().horizontalAdvance("0") * 8)
        port_label = QLabel("&Port")
        port_label.setBuddy(self.port_edit)
        where = QHBoxLayout()
        where.setSpacing(8)
        where.addWidget(self.host_edit, 1)
        where.addWidget(port_label)
        where.addWidget(self.port_edit)
        form.addRow("&Host", where)
        host_label = form.labelForField(where)
        if isinstance(host_label, QLabel):
            host_label.setBuddy(self.host_edit)
        self.dbname_edit = QLineEdit()
        self.dbname_edit.setAccessibleName("Database")
        form.addRow("&Database", self.dbname_edit)
        self.user_edit = QLineEdit()
        self.user_edit.setAccessibleName("Login")
        form.addRow("&Login", self.user_edit)
        self.password_edit = QLineEdit()
        self.password_edit.setAccessibleName("Password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Pass&word", self.password_edit)
        layout.addLayout(form)

        self.remember_box = QCheckBox(REMEMBER_TEXT)
        self.remember_reason = muted(QLabel())
        self.remember_reason.setWordWrap(True)
        self.remember_reason.setAccessibleName("Why the password cannot be remembered")
        # Under the box's text, not under the box.
        self.remember_reason.setContentsMargins(self.remember_box.iconSize().width() + 8, 0, 0, 0)
        layout.addWidget(self.remember_box)
        layout.addWidget(self.remember_reason)
        self._explain_keyring()

        self.problem = problem_label("Why it did not connect")
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.problem)
        self.progress = muted(QLabel())
        self.progress.setWordWrap(True)
        self.progress.setAccessibleName("Connecting")
        self.progress.hide()
        layout.addWidget(self.progress)
        self._attempt: _Attempt | None = None  # the one under way
        self._quiet_password = False  # a password wanted is no problem yet: asked for
        _answers.answered.connect(self._answered)
        layout.addStretch(1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton(
            "&Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setDefault(True)
        self.buttons.accepted.connect(self.connect_to_server)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for first, second in ((self.recent_list, self.host_edit),
                              (self.host_edit, self.port_edit),
                              (self.port_edit, self.dbname_edit),
                              (self.dbname_edit, self.user_edit),
                              (self.user_edit, self.password_edit),
                              (self.password_edit, self.remember_box),
                              (self.remember_box, self.connect_button)):
            QWidget.setTabOrder(first, second)

        if address is not None:
            given = {"host": address.host, "port": address.port, "dbname": address.dbname,
                     "user": address.user}
            self.fill(given)
            for row in range(self.recent_list.count()):  # show it among the recent ones
                if self.recent_list.item(row).data(Qt.ItemDataRole.UserRole) == given:
                    self.recent_list.blockSignals(True)
                    self.recent_list.setCurrentRow(row)
                    self.recent_list.blockSignals(False)
        elif has_recent:
            self.recent_list.setCurrentRow(0)
        if problem is not None:
            self.show_connect_problem(problem)
        resize_within_screen(self, 520, self.sizeHint().height(), parent)
        self._focus_first_empty()

    # --- Fields -----------------------------------------------------------------------------

    def _explain_keyring(self) -> None:
        from qms_desktop import saved_passwords

        reason = saved_passwords.why_not_kept()
        self.remember_box.setEnabled(reason is None)
        if reason is not None:
            self.remember_box.setChecked(False)
            self.remember_reason.setText(f"{reason} The password is asked each time.")
        self.remember_box.setToolTip(reason or "")
        self.remember_reason.setVisible(reason is not None)

    def fields(self) -> dict[str, str]:
        return {"host": self.host_edit.text().strip(), "port": self.port_edit.text().strip(),
                "dbname": self.dbname_edit.text().strip(),
                "user": self.user_edit.text().strip()}

    def fill(self, entry: dict[str, str]) -> None:
        """Put a connection's fields in place, with its password if the keyring keeps one."""
        self.host_edit.setText(entry.get("host", ""))
        self.port_edit.setText(entry.get("port", "") or DEFAULT_PORT)
        self.dbname_edit.setText(entry.get("dbname", ""))
        self.user_edit.setText(entry.get("user", ""))
        self.password_edit.clear()
        address = self._address(quiet=True)
        if address is None or not self.remember_box.isEnabled():
            return
        from qms_desktop import saved_passwords

        kept = saved_passwords.saved_password(address)
        self.password_edit.setText(kept or "")
        self.remember_box.setChecked(kept is not None)

    def _recent_chosen(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.fill(dict(item.data(Qt.ItemDataRole.UserRole)))

    def _focus_first_empty(self) -> None:
        for edit in (self.host_edit, self.dbname_edit, self.user_edit, self.password_edit):
            if not edit.text():
                edit.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.connect_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _address(self, *, quiet: bool = False) -> ServerAddress | None:
        """The address the fields give; None (with the problem shown, unless `quiet`)."""
        entry = self.fields()
        missing = [name for name, key in (("the host", "host"), ("the database", "dbname"),
                                          ("your login", "user")) if not entry[key]]
        if missing:
            if not quiet:
                self._say("Give " + " and ".join(missing) + ".")
            return None
        if entry["port"] and not (entry["port"].isdigit() and 0 < int(entry["port"]) < 65536):
            if not quiet:
                self._say(f"The port is a number from 1 to 65535, such as {DEFAULT_PORT}.")
                self.port_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        from qms_desktop import server

        try:
            return server.ServerAddress.parse(address_url(entry))
        except errors.EnvironmentProblem as problem:
            if not quiet:
                self.show_connect_problem(problem)
            return None

    # --- Connecting -------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        show_problem(self.problem, text)
        self.adjustSize()

    def show_connect_problem(self, problem: errors.EnvironmentProblem) -> None:
        """The problem inside the dialog, the fields as they were, and Connect as Retry."""
        self._say(f"{problem.title}. {problem.message}")
        self.connect_button.setText("&Retry")
        if is_password_problem(problem):
            self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.password_edit.selectAll()

    def connect_to_server(self) -> None:
        """Ask the server on another thread; `_answered` goes on once it answers."""
        if self._attempt is not None:
            return
        address = self._address()
        if address is None:
            return
        self._say("")
        self.connect_button.setEnabled(False)
        self.connect_button.setText("Connecting…")
        self.progress.setText(f"Connecting to {address}… Cancel stops trying.")
        self.progress.show()
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)  # Cancel still works
        self._attempt = _Attempt(address, self.password_edit.text())
        _ask_server(self._attempt)

    def _stop_waiting(self) -> None:
        if self._attempt is None:
            return
        self._attempt = None
        QApplication.restoreOverrideCursor()
        self.progress.hide()
        self.connect_button.setEnabled(True)
        if self.connect_button.text() == "Connecting…":
            self.connect_button.setText("&Connect")
        self.attempt_ended.emit()

    def _answered(self, attempt: _Attempt, answer: object) -> None:
        if attempt is not self._attempt:
            return  # another dialog's, or stopped with Cancel: no longer wanted
        self._stop_waiting()
        address, password = attempt.address, attempt.password
        quiet, self._quiet_password = self._quiet_password, False
        if isinstance(answer, errors.EnvironmentProblem):
            if quiet and is_password_problem(answer):
                self._focus_first_empty()  # the password, to type
            else:
                self.show_connect_problem(answer)
            return
        try:
            # The server answers: open it here, on the window's thread, whose connection
            # the records then use.
            store = self._open_server(address, password)
        except errors.EnvironmentProblem as problem:
            self.show_connect_problem(problem)
            return
        self.store = store
        remember_connection(address)
        self._keep_password(address)
        self.accept()

    def connect_at_once(self, *, quiet_password: bool = False) -> None:
        """Connect with what the fields hold (the window starting on a server); with
        `quiet_password`, a password the server wants is asked for without calling it
        refused (none was given yet)."""
        self._quiet_password = quiet_password
        self.connect_to_server()

    def connecting(self) -> bool:
        return self._attempt is not None

    def reject(self) -> None:
        """Cancel (or Escape) while connecting stops trying, the dialog open as typed;
        otherwise it closes the dialog."""
        if self._attempt is None:
            super().reject()
            return
        self._stop_waiting()
        # Not a problem, what the user asked for: said in the quiet colour.
        self.progress.setText("Stopped trying to connect; nothing was opened. Change what "
                              "is needed and connect again, or cancel.")
        self.progress.show()

    def done(self, result: int) -> None:
        self._stop_waiting()  # closed while connecting (the window going, say)
        super().done(result)

    def _keep_password(self, address: ServerAddress) -> None:
        from qms_desktop import saved_passwords

        if not self.remember_box.isEnabled():
            return
        if self.remember_box.isChecked() and self.password_edit.text():
            self.keyring_notice = saved_passwords.keep_password(
                address, self.password_edit.text()) or ""
        elif not self.remember_box.isChecked():
            saved_passwords.forget_password(address)  # the user no longer wants it kept


def is_password_problem(problem: errors.EnvironmentProblem) -> bool:
    """The server wanted a password it was not given, or refused the one given."""
    return problem.title == "Password refused"  # server.password_needed's
