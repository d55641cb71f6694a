"""Help: the offline guide (resources/help) in a browser dialog, and the sample company.

The sample company opens in a second window, a process of its own on its own file in the
user data folder: the window's database stays as it is, and nothing done in the sample
touches it. The file is filled by the `demo` command the first time.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QProcess, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QProgressDialog,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import APP_NAME
from qms_desktop.paths import RESOURCES, user_data_dir
from ui.kit.widgets import resize_within_screen

GUIDE = RESOURCES / "help" / "guide.html"
SAMPLE_FILE_NAME = "sample-company.db"


class HelpDialog(QDialog):
    """The guide, opened at `anchor` ("start", "clauses", "keys", "sample") or at its top."""

    def __init__(self, anchor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} guide")
        self.setAccessibleName(f"{APP_NAME} guide")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Guide")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        self.browser.setSearchPaths([str(GUIDE.parent)])
        self.browser.document().setDocumentMargin(16)
        self.browser.setSource(QUrl.fromLocalFile(str(GUIDE)))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        resize_within_screen(self, 760, 720, parent)
        self.show_section(anchor)

    def show_section(self, anchor: str) -> None:
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.verticalScrollBar().setValue(0)


def sample_path() -> Path:
    return user_data_dir() / SAMPLE_FILE_NAME


def app_command(*args: str) -> list[str]:
    """This app started again with `args`: the same Python, the same main.py."""
    spec = importlib.util.find_spec("main")
    if spec is not None and spec.origin:
        return [sys.executable, spec.origin, *args]
    return [sys.executable, "-m", "main", *args]


def start_detached(command: list[str]) -> bool:
    started, _pid = QProcess.startDetached(command[0], command[1:])
    return bool(started)


class SampleOpener(QWidget):
    """Fill the sample file once (`demo`, with a progress dialog), then open it in a second
    window. `finished` carries "" when the window was started, else what went wrong."""

    finished = Signal(str)

    def __init__(self, parent: QWidget, *,
                 start: Callable[[list[str]], bool] = start_detached) -> None:
        super().__init__(parent)
        self.setVisible(False)
        self._start = start
        self.path = sample_path()
        self.process: QProcess | None = None
        self.progress: QProgressDialog | None = None

    def open(self) -> None:
        if self.path.exists():
            self._open_window()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.finished.emit(f"The sample company could not be prepared: the folder "
                               f"{self.path.parent} cannot be made ({exc.strerror or exc}).")
            return
        self.progress = QProgressDialog("Preparing the sample company…", "", 0, 0,
                                        self.parentWidget())
        self.progress.setWindowTitle("Open the sample company")
        self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAccessibleName("Preparing the sample company")
        self.progress.show()
        self.process = QProcess(self)
        self.process.finished.connect(self._filled)
        # A program that cannot start never finishes: without this the progress stays up.
        self.process.errorOccurred.connect(self._not_started)
        command = app_command("demo", "--db", str(self.path))
        self.process.start(command[0], command[1:])

    def _filled(self, code: int, _status: QProcess.ExitStatus) -> None:
        if self.progress is not None:
            self.progress.close()
        process = self.process
        said = bytes(process.readAllStandardError().data()).decode(errors="replace").strip() \
            if process is not None else ""
        if code != 0:
            self.path.unlink(missing_ok=True)  # a half-filled sample is not kept
            last = said.splitlines()[-1] if said else f"exit code {code}"
            self.finished.emit(f"The sample company could not be prepared: {last}")
            return
        self._open_window()

    def _not_started(self, error: QProcess.ProcessError) -> None:
        if error != QProcess.ProcessError.FailedToStart:
            return  # the others end in `finished`, which says what went wrong
        if self.progress is not None:
            self.progress.close()
        self.finished.emit("The sample company could not be prepared: the app could not be "
                           "started again to fill it.")

    def _open_window(self) -> None:
        if self._start(app_command("--db", str(self.path))):
            self.finished.emit("")
        else:
            self.finished.emit("The sample company's window could not be started.")
