"""Who is signed in on a server, and what their role lets them do.

On a PostgreSQL server each person signs in as their own login role (the connection's
`session_user`), mapped to a person by an `account` row with one of ROLES. Why login roles
rather than passwords kept by the app: the server itself then knows who writes, so its
GRANTs hold the roles for any client (psql too), PostgreSQL keeps the passwords hashed
(SCRAM-SHA-256), and no shared password can leak. A file (SQLite) has no sign-in: whoever
opens it may do everything, so `signed_in()` is None and `may()` True there.

The services ask `require("write:<table>")` before every write (records.py does it for all
of them), `require("close_review")` to close a review and `require("manage_accounts")` to
manage the accounts; NotPermitted is a ValidationError, so a form shows it like any refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from qms_desktop import errors

ROLES = ("top_management", "quality_officer", "auditor", "viewer")
ROLE_LABELS = {
    "top_management": "Top management",
    "quality_officer": "Quality officer",
    "auditor": "Auditor",
    "viewer": "Viewer",
}

CLOSE_REVIEW = "close_review"
MANAGE_ACCOUNTS = "manage_accounts"
WRITE = "write:"

# What an auditor may write: the audits and what belongs to them (findings, kits taken on
# site, checklists), the nonconformities they raise with their root-cause work, the
# actions, and attachments (evidence photos).
AUDITOR_TABLES = frozenset({
    "audit", "finding", "audit_kit", "checklist_template", "checklist_question",
    "nonconformity", "why_step", "fishbone_cause", "effectiveness_review",
    "action", "attachment",
})
# Written with every change by whoever makes it (records.py); rewritten by nobody.
HISTORY_TABLE = "change_history"
ACCOUNT_TABLE = "account"


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in on a server: their login role, the mapped person's name, their role."""

    login: str
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


# Who signed in, and the database object they signed in to: another database opened since
# (a file, say) is not theirs.
_current: tuple[SignedIn, object] | None = None


def sign_in(who: SignedIn | None) -> None:
    """The open server's signed-in user (server.open_server); None signs out."""
    global _current
    if who is None:
        _current = None
        return
    from qms_desktop.models import database

    _current = (who, database.obj)


def signed_in() -> SignedIn | None:
    """Who is signed in to the open server; None on a file (which has no sign-in)."""
    if _current is None:
        return None
    from qms_desktop.models import database, on_server

    who, signed_to = _current
    if not on_server() or database.obj is not signed_to:
        return None
    return who


def role_may(role: str, action: str) -> bool:
    """Whether `role` may do `action` ("write:<table>", "close_review", "manage_accounts")."""
    if role == "top_management":
        return True
    if action in (MANAGE_ACCOUNTS, CLOSE_REVIEW, WRITE + ACCOUNT_TABLE):
        return False
    if not action.startswith(WRITE):
        return False
    table = action[len(WRITE):]
    if role == "quality_officer":
        return True
    if role == "auditor":
        return table in AUDITOR_TABLES or table == HISTORY_TABLE
    return False


def may(action: str) -> bool:
    """Whether the signed-in user may do `action`; always on a file."""
    who = signed_in()
    return who is None or role_may(who.role, action)


def require(action: str) -> None:
    """Raise NotPermitted, in a plain sentence, unless the signed-in user may do `action`."""
    who = signed_in()
    if who is None or role_may(who.role, action):
        return
    raise errors.NotPermitted(
        action,
        f"Your role ({who.role_label}) does not let you {describe(action)}. "
        f"Ask {_who_may(action)}.",
    )


def _who_may(action: str) -> str:
    """"a quality officer or top management": the roles that may, the least first."""
    names = [("top management" if role == "top_management"
              else ("an " if role == "auditor" else "a ") + ROLE_LABELS[role].lower())
             for role in reversed(ROLES) if role_may(role, action)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def describe(action: str) -> str:
    """The action as the end of "does not let you ...": "change suppliers"."""
    if action == CLOSE_REVIEW:
        return "close a management review"
    if action == MANAGE_ACCOUNTS or action == WRITE + ACCOUNT_TABLE:
        return "change who may sign in"
    if action.startswith(WRITE):
        table = action[len(WRITE):]
        if table == "setting":
            return "change the settings"
        if table == HISTORY_TABLE:
            return "write to the change history"
        from qms_desktop.models import MODELS_BY_TABLE, Record

        model = MODELS_BY_TABLE.get(table)
        plural = model.display_plural if model is not None and issubclass(model, Record) \
            else ""
        return f"change {(plural or table.replace('_', ' ')).lower()}"
    return action.replace("_", " ")
