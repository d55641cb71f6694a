"""What the signed-in role may change, said before a button is pressed rather than after.

The services refuse a write the role does not allow (accounts.require, a NotPermitted shown
like any refusal); a screen that knows its table asks `write_refusal` first, so that its
buttons are disabled with the reason beside them instead of failing once pressed. On a file
nobody is signed in and everything may be written: the reason is always "".
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from qms_desktop import accounts
from ui.kit.reason import DisabledReason


def who_may(action: str) -> str:
    """"a quality officer or top management": the roles that may do `action`, least first."""
    names = []
    for role in reversed(accounts.ROLES):
        if not accounts.role_may(role, action):
            continue
        label = accounts.ROLE_LABELS[role]
        if role == "top_management":
            names.append(label.lower())
        else:
            names.append(("an " if label[0].lower() in "aeiou" else "a ") + label.lower())
    if not names:
        return "the database's administrator"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def refusal(action: str) -> str:
    """Why the signed-in user may not do `action`, in one sentence; "" when they may."""
    who = accounts.signed_in()
    if who is None or accounts.role_may(who.role, action):
        return ""
    if not action.startswith(accounts.WRITE):  # closing a review: the role may write
        return (f"Your role ({who.role_label}) does not let you {accounts.describe(action)}; "
                f"ask {who_may(action)}.")
    return (f"Your role ({who.role_label}) lets you read; "
            f"ask {who_may(action)} to {accounts.describe(action)}.")


def write_refusal(table: str) -> str:
    """Why the signed-in user may not change `table`'s records; "" when they may."""
    return refusal(accounts.WRITE + table)


class _HeldDisabled(QObject):
    """Puts its button (or drop-down) back to disabled, with the refusal as its tooltip,
    whenever the screen's own logic enables it (a record chosen, a period open): the role
    outranks it."""

    def __init__(self, button: QWidget, reason: str) -> None:
        super().__init__(button)
        self.reason = reason
        button.installEventFilter(self)
        button.setEnabled(False)
        self._say(button)

    def _say(self, button: QWidget) -> None:
        if button.toolTip() != self.reason:
            button.setToolTip(self.reason)
        if button.accessibleDescription() != self.reason:
            button.setAccessibleDescription(self.reason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QWidget):
            if event.type() == QEvent.Type.EnabledChange and watched.isEnabled():
                watched.setEnabled(False)
            elif event.type() == QEvent.Type.ToolTipChange:
                self._say(watched)
        return False


def hold_refused(reason: str, *buttons: QWidget) -> None:
    """Keep `buttons` disabled for good, `reason` as their tooltip, when `reason` is not ""
    (a refusal from `refusal` or `write_refusal`); on "" nothing changes. For a screen's own
    buttons beside a register's, whose line already says why."""
    if reason:
        for button in buttons:
            _HeldDisabled(button, reason)


def held_reason(widget: QWidget) -> str:
    """The refusal `widget` is held disabled for by `hold_refused`; "" when it is not, so a
    shortcut doing what the button does can say why instead of opening a dialog."""
    for child in widget.children():
        if isinstance(child, _HeldDisabled):
            return child.reason
    return ""


def refused_line(reason: str, *buttons: QAbstractButton) -> DisabledReason:
    """Hold `buttons` disabled as `hold_refused` does and return the line that says why, to
    place under them; hidden when `reason` is "" (a file, a role that may)."""
    hold_refused(reason, *buttons)
    line = DisabledReason(buttons[0], reason=reason)
    line.setAccessibleName("Why these buttons cannot be used")
    line.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return line
