"""One start-up, timed from process start to the first paint of the window (run by
bench_startup.py; not meant to be run by hand).

    python bench/startup_probe.py app  DB   # QMS Desktop's main window on DB
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
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402


class FirstPaint(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            elapsed = time.time() - STARTED
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{elapsed:.4f} {rss_mb:.1f}", flush=True)
            QTimer.singleShot(0, self.app.quit)
        return False


def main() -> int:
    mode = sys.argv[1]
    if mode == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1280, 800)
        store = None
    else:
        from qms_desktop import db
        from ui.app import create_application
        from ui.main_window import MainWindow

        app = create_application(sys.argv[:1])
        store = db.open_database(sys.argv[2], rolling_backup=True)
        window = MainWindow(store)
    probe = FirstPaint(app)
    window.installEventFilter(probe)
    window.show()
    app.exec()
    if store is not None:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
