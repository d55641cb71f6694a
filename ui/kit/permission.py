"""What the signed-in role may change, said before a button is pressed rather than after.

The services refuse a write the role does not allow (accounts.require, a NotPermitted shown
like any refusal); a screen that knows its table asks `write_refusal` first, so that its
buttons are disabled with the reason beside them instead of failing once pressed. On a file
nobody is signed in and everything may be written: the reason is always "".
"""

from __future__ import annotations

from qms_desktop import accounts


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
    return (f"Your role ({who.role_label}) lets you read; "
            f"ask {who_may(action)} to {accounts.describe(action)}.")


def write_refusal(table: str) -> str:
    """Why the signed-in user may not change `table`'s records; "" when they may."""
    return refusal(accounts.WRITE + table)
