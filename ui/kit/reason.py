"""Why a button cannot be pressed yet, said on screen beside it, not only in its tooltip.

A disabled button with its reason in a tooltip is a riddle: nobody hovers over a button that
does nothing. `DisabledReason` is a quiet line placed beside the button; `explain` enables or
disables the button and shows the reason while it is disabled.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QSizePolicy, QWidget

from ui.kit.header import muted


class DisabledReason(QLabel):
    """The reason `button` is disabled, shown beside it while it is."""

    def __init__(self, button: QAbstractButton, parent: QWidget | None = None,
                 reason: str = "") -> None:
        """`reason`, when given, shows from the start (a role's refusal, fixed for the
        screen's life); without one the line stays hidden until `explain` gives one."""
        super().__init__(reason, parent)
        self.button = button
        muted(self)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        name = button.accessibleName() or button.text().replace("&", "")
        self.setAccessibleName(f"Why {name.rstrip('…')} cannot be used yet")
        if not reason:
            self.setVisible(False)

    def explain(self, enabled: bool, reason: str = "", tip: str = "") -> None:
        """Enable the button (with `tip` as its tooltip), or disable it and show `reason`
        beside it; a button disabled without a reason shows nothing."""
        self.button.setEnabled(enabled)
        shown = "" if enabled else reason
        self.button.setToolTip(shown or tip)
        self.button.setAccessibleDescription(shown or tip)
        self.setText(shown)
        self.setVisible(bool(shown))


def beside(reason: DisabledReason, buttons: QWidget) -> QHBoxLayout:
    """A row with the reason on the left of `buttons` (a dialog's button box, say)."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(12)
    row.addWidget(reason, 1)
    row.addWidget(buttons, 0)
    return row
