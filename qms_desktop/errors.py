"""Problems caused by the user's environment, not by a bug, told in plain words.

The window shows them in a dialog and the terminal prints them to stderr with an exit code;
a real bug keeps its traceback for the log.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Exit codes of the command line, one per kind of problem.
EXIT_BAD_ARGUMENTS = 2
EXIT_ENVIRONMENT = 3
EXIT_CHECK_FAILED = 4
# A command that would replace data or a file and was not given --force.
EXIT_REFUSED = 5


class ValidationError(ValueError):
    """Input a user can correct; `problems` maps a field name to a plain message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


class RecordChanged(ValidationError):
    """A save refused because someone changed the record since this copy of it was read;
    nothing was written. Shown like any refused input (under RECORD_CHANGED_KEY), and a
    window offers to reload the record or compare the two versions."""

    def __init__(self, table: str, record_id: str, changed_by: str, when: str,
                 copy: Any = None, mine: dict[str, Any] | None = None):
        """`when` as read in the sentence: "at 10:42 UTC"; "" when unknown. `copy` is the
        caller's copy of the record, still as it was read, and `mine` what the refused save
        would have written, by field name: a form compares them with the record as stored
        now, and a Reload refreshes that copy so that the next save is made over theirs."""
        by = f" by {changed_by}" if changed_by else ""
        at = f" {when}" if when else ""
        super().__init__({RECORD_CHANGED_KEY: f"Changed{by}{at} since you opened it."})
        self.table = table
        self.record_id = record_id
        self.changed_by = changed_by
        self.when = when
        self.copy = copy
        self.mine = mine or {}

    @property
    def message(self) -> str:
        return self.problems[RECORD_CHANGED_KEY]


# The key of RecordChanged's one problem: no field's, so a form shows it above its buttons.
RECORD_CHANGED_KEY = "record"


class NotPermitted(ValidationError):
    """A write (or closing a review, or managing accounts) the signed-in user's role does
    not allow (accounts.require); nothing was written. Shown like any refused input, under
    NOT_PERMITTED_KEY, which is no field's, so a form shows it above its buttons."""

    def __init__(self, action: str, message: str):
        super().__init__({NOT_PERMITTED_KEY: message})
        self.action = action

    @property
    def message(self) -> str:
        return self.problems[NOT_PERMITTED_KEY]


NOT_PERMITTED_KEY = "permission"


@dataclass
class EnvironmentProblem(Exception):
    """Something about the file or the disk stops the app; `advice` says what to do."""

    title: str
    message: str
    advice: str
    offer_restore: bool = False
    # An empty file: the window may offer to start a new quality system in it.
    offer_new_database: bool = False

    def __str__(self) -> str:
        return f"{self.message} {self.advice}"


def database_locked(path: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Database in use",
        f"The quality database {path} is already open in another QMS Desktop window "
        "or command.",
        "Close the other window, or wait for the command to finish, then try again.",
    )


def database_busy(path: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Database busy",
        f"Another program is writing to {path} and did not finish in time.",
        "Nothing was lost. Wait a moment and try again.",
    )


def database_too_new(path: Path, found: int, supported: int) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Made by a newer version",
        f"{path} was saved by a newer version of QMS Desktop (data format {found}; "
        f"this version reads up to {supported}). Nothing was changed in it.",
        "Install the latest QMS Desktop to open it.",
    )


def not_a_database(path: Path, detail: str = "") -> EnvironmentProblem:
    extra = f" ({detail})" if detail else ""
    return EnvironmentProblem(
        "Damaged or wrong file",
        f"{path} is not a QMS Desktop database, or it is damaged{extra}.",
        "Restore the latest backup, or choose another file.",
        offer_restore=True,
    )


def foreign_database(path: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Not a QMS Desktop file",
        f"{path} is an SQLite database made by another program.",
        "Choose a QMS Desktop database, or a new file name to start a new one.",
    )


def disk_full(path: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Disk full",
        f"There is no space left on the disk that holds {path}. The last change was "
        "not saved; everything saved before it is safe.",
        "Free some space (empty the bin, move large files), then save again.",
    )


def read_only(path: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Read-only location",
        f"QMS Desktop cannot write to {path}: the file or its folder is read-only.",
        "Copy the file to a folder you can write to (such as Documents) and open it there.",
    )


def missing_folder(path: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Folder not found",
        f"The folder {path.parent} does not exist.",
        "Check the path, or create the folder first.",
    )


def changed_meanwhile(refused: RecordChanged) -> EnvironmentProblem:
    """A refused save that reached no form of its own (a button that saves at once)."""
    return EnvironmentProblem(
        "Changed by someone else",
        f"{refused.message} Nothing was saved.",
        "Look at the record as it is now, and make the change again if it is still needed.",
    )


def first_line(exc: BaseException) -> str:
    """What an error says, on one line (its first), for a message: its type when it says
    nothing."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def from_exception(exc: BaseException, path: Path) -> EnvironmentProblem | None:
    """Map an OS or SQLite error to the problem a user can act on; None for a real bug."""
    if isinstance(exc, EnvironmentProblem):
        return exc
    if isinstance(exc, RecordChanged):
        return changed_meanwhile(exc)
    if isinstance(exc, NotPermitted):
        return EnvironmentProblem("Not allowed", f"{exc.message} Nothing was saved.",
                                  "Ask someone whose role allows it.")
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if exc.errno == errno.ENOSPC:
            return disk_full(path)
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return read_only(path)
        if exc.errno == errno.ENOENT:
            return missing_folder(path)
        if exc.errno == errno.ENAMETOOLONG:
            return name_too_long(path)
        return None
    import peewee  # here, not at the top: the window's first paint does not need it

    if not isinstance(exc, sqlite3.Error | peewee.DatabaseError):
        return None
    text = str(exc).lower()
    if ("no transaction is active" in text or "no such savepoint" in text) and (
        exc.__context__ is not None
    ):
        # After a full disk or an I/O error SQLite rolls the transaction back by itself; the
        # ROLLBACK (or ROLLBACK TO a savepoint) that peewee then tries fails and would hide
        # the error that matters, further down the chain.
        return from_exception(exc.__context__, path)
    if "permission denied for" in text:  # a server's grants refused what the role may not do
        return EnvironmentProblem(
            "Not allowed", f"The database server refused it ({str(exc).splitlines()[0]}). "
            "Nothing was saved.", "Ask someone whose role allows it.")
    if "disk is full" in text or "database or disk is full" in text:
        return disk_full(path)
    if "readonly" in text or "read-only" in text:
        return read_only(path)
    if "locked" in text or "busy" in text:
        return database_busy(path)
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return not_a_database(path, str(exc))
    if "unable to open database" in text:
        if not path.parent.exists():
            return missing_folder(path)
        return read_only(path)
    return None


def empty_file(path: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Empty file",
        f"{path} is empty (0 bytes), so it is not a QMS Desktop database. Nothing was "
        "changed in it.",
        "Choose another file, or open it in the window to start a new quality system in it.",
        offer_new_database=True,
    )


def lock_name_taken(path: Path, lock_file: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Lock file taken",
        f"{lock_file}, beside {path.name}, is not QMS Desktop's lock file (it is a link, a "
        "folder or another file). Nothing was changed in it.",
        "Move or rename it, then open the database again.",
    )


def wal_set_aside(path: Path, aside: Path) -> EnvironmentProblem:
    return EnvironmentProblem(
        "Unknown change log set aside",
        f"A change log (-wal file) found beside {path} would have damaged the database if "
        "merged into it (it most likely came from another database). It was set aside, with "
        f"the file as it was, in {aside}; the database is as it stood without it.",
        "If changes you made recently are missing, keep that folder and ask for help.",
    )


def format_number_behind(path: Path, found: int, ahead: list[str]) -> EnvironmentProblem:
    shown = ", ".join(ahead[:3]) + (f" and {len(ahead) - 3} more" if len(ahead) > 3 else "")
    return EnvironmentProblem(
        "Format number changed",
        f"{path} says its data format number ({found}) is older than its contents ({shown} "
        "belong to a later format): the number was changed outside QMS Desktop. Nothing was "
        "changed in the file.",
        "Restore the latest backup, or ask whoever changed the file to set it back.",
        offer_restore=True,
    )


def name_too_long(path: Path) -> EnvironmentProblem:
    shown = path.name if len(path.name) <= 60 else path.name[:57] + "..."
    return EnvironmentProblem(
        "Name too long",
        f"The file name {shown} is longer than the disk allows. Nothing was written.",
        "Choose a shorter name.",
    )
