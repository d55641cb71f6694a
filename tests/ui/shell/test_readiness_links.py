"""Every readiness finding is one click from a screen that exists in the sidebar."""

from __future__ import annotations

import datetime as dt

from qms_desktop import db, readiness
from ui.shell.main_window import ENTRIES_BY_KEY


def test_every_finding_points_at_a_screen(store: db.Store) -> None:
    found = readiness.findings(dt.date.today())
    assert found  # an empty system has plenty to fix
    for finding in found:
        assert finding.screen in ENTRIES_BY_KEY, finding
