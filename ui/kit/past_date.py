"""A new planned item dated in the past asks first: the date is more likely a slip (last
year's date kept, a day typed for a month) than a plan for a day already gone."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QMessageBox, QWidget

from qms_desktop import clock
from ui.kit.text import long_date


def confirm_past_date(parent: QWidget | None, what: str, day: dt.date | None) -> bool:
    """True to go on: no date, a date from today on, or a past one the user confirms.

    `what` completes "… on 5 January 2026, which has passed": "The review would be held".
    """
    if day is None or day >= clock.today():
        return True
    answer = QMessageBox.question(
        parent,
        "A date in the past",
        f"{what} on {long_date(day)}, which has passed.\n\n"
        "Keep this date? Choose No to change it.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


PAST_DATE_REFUSED = "Choose a date from today on, or keep this one when asked."
