"""Whether File → Team members… can be used here, and if not why, said in the menu itself.

Kept apart from the dialogs (team_dialog.py): the window asks this each time it opens a
database, and the dialogs' modules are loaded only when the item is used.
"""

from __future__ import annotations

from PySide6.QtGui import QAction

from qms_desktop import accounts

FILE_REASON = "A database file has no sign-in; team members belong to a server"
ROLE_REASON = "Only top management manages team members"
MENU_TEXT = "&Team members…"


def why_not_offered(on_server: bool) -> str:
    """Why the signed-in user cannot manage the team here; "" when they can."""
    if not on_server:
        return FILE_REASON
    if not accounts.may(accounts.MANAGE_ACCOUNTS):
        return ROLE_REASON
    return ""


def offer_team(action: QAction, on_server: bool) -> None:
    """Enable File → Team members…, or disable it with its reason in sight in the menu (as
    Restore says why not on a server)."""
    reason = why_not_offered(on_server)
    action.setEnabled(not reason)
    short = "not on a file" if not on_server else "top management only"
    action.setText(f"Team members – {short}" if reason else MENU_TEXT)
    tip = f"{reason}." if reason else "Who may sign in to this server database, and their role"
    action.setToolTip(tip)
    action.setStatusTip(tip)
