"""One start-up, timed from process start (run by bench_startup.py; not meant to be run by
hand). Prints two figures: when the window first paints, and when the overview is ready.

    python bench/startup_probe.py app  DB   # QMS Desktop, started as run_app starts it
    python bench/startup_probe.py bare      # a bare PySide6 window, the reference
"""

from __future__ import annotations

import os
import resource
import sys
import time

STARTED = float(os.environ["QMS_BENCH_T0"])
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget  # noqa: E402


class FirstPaint(QObject):
    """Notes the time of the first paint of the widget it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.time() - STARTED
        return False


def watch(widget: QWidget) -> FirstPaint:
    probe = FirstPaint()
    widget.installEventFilter(probe)
    return probe


def main() -> int:
    if sys.argv[1] == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1280, 800)
        painted = watch(window)
        window.show()
        QTimer.singleShot(0, app.quit)
        while painted.at is None:
            app.processEvents()
        print(f"{painted.at:.4f} {painted.at:.4f} 0")
        return 0
    from ui.shell.app import create_application
    from ui.shell.main_window import MainWindow

    # The same order as ui.shell.app.run_app: the frame first, then the database and the screens.
    app = create_application(sys.argv[:1])
    window = MainWindow()
    painted = watch(window)
    window.show()
    app.processEvents()
    while painted.at is None:
        app.processEvents()
    from qms_desktop import db

    store = db.open_database(sys.argv[2], rolling_backup=True)
    window.attach(store)
    overview = watch(window.current_screen())
    while overview.at is None:
        app.processEvents()
    ready = overview.at
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{painted.at:.4f} {ready:.4f} {rss_mb:.1f}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
