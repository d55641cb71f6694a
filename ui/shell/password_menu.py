"""Whether File → Change my password… can be used here, and if not why, said in the menu.

Kept apart from the dialog (password_dialog.py), as team_menu.py is from the team dialogs:
the window asks this each time it opens a database.
"""

from __future__ import annotations

from PySide6.QtGui import QAction

FILE_REASON = "A database file has no sign-in, so it has no password to change"
MENU_TEXT = "Change my &password…"
TIP = "Set a new password for the login you signed in to this server with"


def offer_password_change(action: QAction, on_server: bool) -> None:
    """Enable File → Change my password… on a server (anyone signed in may change their
    own), or disable it on a file with its reason in sight in the menu."""
    action.setEnabled(on_server)
    action.setText(MENU_TEXT if on_server else "Change my password – not on a file")
    tip = TIP if on_server else f"{FILE_REASON}."
    action.setToolTip(tip)
    action.setStatusTip(tip)
