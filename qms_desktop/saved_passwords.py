"""Server passwords kept in the operating system's keyring (the `keyring` library), never in
a file of ours: Windows' Credential Locker, macOS's Keychain, the Secret Service on Linux.

Each is kept under the server's address without the password
(postgresql://maria@host:5432/qms). A machine with no keyring (a headless Linux, say) keeps
none: `why_not_kept()` says so, and the password is asked each time.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from qms_desktop import APP_NAME

if TYPE_CHECKING:
    from qms_desktop.server import ServerAddress

SERVICE = f"{APP_NAME} database server"


def why_not_kept() -> str | None:
    """Why no password can be kept on this computer; None when its keyring can keep one."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return "The keyring library is not installed with this copy of QMS Desktop."
    backend = keyring.get_keyring()
    # The chainer holds every keyring found; with none, or only the one that refuses
    # everything, nothing can be kept.
    found = getattr(backend, "backends", [backend])
    if not found or all(isinstance(b, fail.Keyring) for b in found):
        return ("This computer has no keyring to keep passwords in (on Linux, a desktop "
                "session's Secret Service, such as GNOME Keyring or KWallet).")
    return None


def saved_password(address: ServerAddress) -> str | None:
    """The password kept for `address`, or None (none kept, or no keyring)."""
    if why_not_kept() is not None:
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        found = keyring.get_password(SERVICE, str(address))
    except KeyringError:
        return None  # a locked keyring the user chose not to open: asked instead
    return found if isinstance(found, str) else None


def keep_password(address: ServerAddress, password: str) -> str | None:
    """Keep `password` for `address`; the reason when it could not be kept."""
    reason = why_not_kept()
    if reason is not None:
        return reason
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, str(address), password)
    except KeyringError as exc:
        return f"The keyring did not keep the password: {exc or type(exc).__name__}."
    return None


def forget_password(address: ServerAddress) -> None:
    """Take the password kept for `address` out of the keyring, if one is kept."""
    if why_not_kept() is not None:
        return
    import keyring
    from keyring.errors import KeyringError

    with contextlib.suppress(KeyringError):  # PasswordDeleteError: none was kept
        keyring.delete_password(SERVICE, str(address))
