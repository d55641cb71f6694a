"""Where files live: the default database, its backups and the shipped resources."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from qms_desktop import APP_ID

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = PROJECT_ROOT / "resources"
FONTS = RESOURCES / "fonts"
ICONS = RESOURCES / "icons"

DATABASE_FILE_NAME = "qms.db"
BACKUPS_TO_KEEP = 10


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def user_cache_dir() -> Path:
    """What the program can make again if lost (parsed fonts)."""
    return Path(platformdirs.user_cache_dir(APP_ID, appauthor=False))


def default_database_path() -> Path:
    """The database used when no --db is given; its folder is created on first use."""
    return user_data_dir() / DATABASE_FILE_NAME


def backups_dir(database_path: Path) -> Path:
    """Backups sit beside the database so that a user copying the folder takes them along."""
    return database_path.parent / f"{database_path.stem}.backups"


def identity_locks_dir() -> Path:
    """Locks named after a database's device and inode, so a hard link finds the same one.

    Per user: the database is owner-only, so no other user can open it anyway."""
    return user_data_dir() / "locks"


def wal_path(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + "-wal")
