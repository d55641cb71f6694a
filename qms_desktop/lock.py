"""One instance per database file: operating-system locks on small files kept for the purpose.

The OS releases a lock when the process ends, even after a crash, so a stale lock never
blocks the user. (The filelock package does the same, but importing it pulls in enough of
the standard library to cost a third of the window's start-up budget.)

The lock is keyed on the database file itself, not on the path as typed: a lock file beside
its resolved path (so a symbolic link leads to the same lock), and, while the file exists, a
second one named after its device and inode (so a hard link does too). A lock file is never
opened through a link and never emptied unless it holds nothing but a process id, so a file
planted under its name is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from pathlib import Path

# Owner-only: the lock names the process that holds a file of personal records.
LOCK_FILE_MODE = 0o600
_PID_LINE = re.compile(rb"\d*\n?")
_MOST_BYTES = 32  # a process id and a newline, with room to spare


class AlreadyLocked(Exception):
    """Another process holds the lock."""


class NotOurLock(Exception):
    """Something that is not our lock file (a link, a folder, another file) has its name."""


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        fd = _open_lock_file(self.path)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise AlreadyLocked(str(self.path)) from None
        self._fd = fd
        # The pid is only a courtesy for whoever looks at the file; the lock holds without.
        with contextlib.suppress(OSError):
            _write_pid(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)


def _open_lock_file(path: Path) -> int:
    if not hasattr(os, "O_NOFOLLOW") and path.is_symlink():
        raise NotOurLock(str(path))
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags, LOCK_FILE_MODE)
    except OSError as exc:
        if path.is_symlink() or path.is_dir():
            raise NotOurLock(str(path)) from exc
        raise
    try:
        info = os.fstat(fd)
        # A hard link to another file would have a second name; a fifo or device is not ours.
        if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1 or info.st_size > _MOST_BYTES:
            raise NotOurLock(str(path))
        if not _PID_LINE.fullmatch(os.pread(fd, _MOST_BYTES, 0) if hasattr(os, "pread") else b""):
            raise NotOurLock(str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _write_pid(fd: int) -> None:
    # Only reached for an empty file or one holding a process id (checked on opening).
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode())
    if hasattr(os, "fchmod"):
        with contextlib.suppress(OSError):  # a lock file left by an older version was 0644
            os.fchmod(fd, LOCK_FILE_MODE)


class InstanceLock:
    """The locks that make one process the only user of one database file."""

    def __init__(self, database_path: Path, identity_folder: Path) -> None:
        self.database_path = database_path
        self.identity_folder = identity_folder
        self._locks: list[FileLock] = []

    @property
    def is_locked(self) -> bool:
        return bool(self._locks)

    def acquire(self) -> None:
        """Raises AlreadyLocked, NotOurLock or OSError; holds nothing after a failure."""
        resolved = self.database_path.resolve()
        try:
            self._take(FileLock(resolved.with_name(resolved.name + ".lock")))
            self.lock_identity()
        except BaseException:
            self.release()
            raise

    def lock_identity(self) -> None:
        """Lock the file by device and inode; a no-op until the file exists (call again once
        it is made) or where the OS gives no inode."""
        if len(self._locks) != 1:
            return
        try:
            info = self.database_path.stat()
        except FileNotFoundError:
            return
        if not info.st_ino:
            return
        self.identity_folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._take(FileLock(self.identity_folder / f"{info.st_dev}-{info.st_ino}.lock"))

    def _take(self, lock: FileLock) -> None:
        lock.acquire()
        self._locks.append(lock)

    def release(self) -> None:
        while self._locks:
            self._locks.pop().release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
