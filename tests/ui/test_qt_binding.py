"""Guards against a broken Qt binding release rather than our own code.

PySide6 6.12.0 decrements None's reference count on every signal delivered to a Python
slot; on Python 3.11 the app then aborts after a few thousand clicks. pyproject excludes
that release; this test fails if a release with the same fault is ever installed.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QCheckBox


def test_signals_to_python_slots_keep_reference_counts(qtbot) -> None:
    box = QCheckBox()
    qtbot.addWidget(box)
    seen: list[bool] = []
    box.toggled.connect(seen.append)
    none_before = sys.getrefcount(None)
    for _ in range(500):
        box.toggle()
    assert len(seen) == 500
    # A healthy binding leaves None's count where it was (give or take a little noise).
    assert abs(sys.getrefcount(None) - none_before) < 50
