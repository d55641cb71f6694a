"""Writing files safely: owner-only modes, and whole files or none under the target's name.

The database, its backups, exports and packs hold names, training records and complaints,
so what we create is readable by its owner only (files 0600, folders 0700) where the OS has
such modes. A file is written beside its target under a name of ours (`.<name>.partial-<pid>`)
and renamed over the target at the end, so a killed write never leaves half a file under
the target's name; the next write to the same target removes what a dead process left.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
_PARTIAL_MARK = ".partial-"
# Leaves room for the dot, the mark, a process id and ".d" within a 255-byte file name.
_LONGEST_NAME_KEPT = 200
# Where a process cannot be asked whether it is alive (Windows), a partial file this old
# can only have been left by a write that died.
_STALE_AFTER_SECONDS = 24 * 3600


def make_private_folder(folder: Path) -> None:
    """Create `folder` owner-only (missing parents get the usual mode); an existing folder
    is left as it is."""
    if folder.is_dir():
        return
    folder.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create `path` empty and owner-only; it must not exist yet."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)


def partial_path(target: Path) -> Path:
    """The name `target` is written under until it is complete."""
    return target.with_name(f"{_partial_prefix(target)}{os.getpid()}")


def _partial_prefix(target: Path) -> str:
    """`.<name>.partial-`; a long name is shortened (with a hash of it, to stay its own) so
    the partial name stays within the 255 bytes a file name may have."""
    name = target.name
    if len(name.encode()) > _LONGEST_NAME_KEPT:
        digest = hashlib.sha256(name.encode()).hexdigest()[:12]
        name = name.encode()[:_LONGEST_NAME_KEPT - 13].decode(errors="ignore") + "~" + digest
    return f".{name}{_PARTIAL_MARK}"


def remove_stale_partials(target: Path) -> None:
    """Remove what a killed write to `target` left beside it (never a live process's)."""
    _remove_stale(target.parent, f"{_glob_escape(_partial_prefix(target))}*")


def remove_stale_partials_in(folder: Path) -> None:
    """Remove what killed writes left in `folder`, whatever their targets: for a folder of
    our own (the backups), where each write has a new name."""
    _remove_stale(folder, f".*{_PARTIAL_MARK}*")


def _remove_stale(folder: Path, pattern: str) -> None:
    with contextlib.suppress(OSError):
        for found in folder.glob(pattern):
            pid_text = found.name.rpartition(_PARTIAL_MARK)[2].removesuffix(".d")
            if not pid_text.isdigit() or not _is_stale(found, int(pid_text)):
                continue
            if found.is_dir() and not found.is_symlink():
                shutil.rmtree(found, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    found.unlink()


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def _is_stale(found: Path, pid: int) -> bool:
    if pid == os.getpid():
        return True  # this process is not writing it now: a failed earlier write
    if sys.platform == "win32":
        # os.kill(pid, 0) would end the process there, so judge by age instead.
        try:
            return time.time() - found.lstat().st_mtime > _STALE_AFTER_SECONDS
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, another user's
    return False


@contextlib.contextmanager
def written_in_place_of(target: Path) -> Iterator[Path]:
    """Yield an empty owner-only file beside `target`; on success it replaces `target`.

    On any failure the partial file is removed and `target` is left as it was.
    """
    remove_stale_partials(target)
    partial = partial_path(target)
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    create_private_file(partial)
    try:
        yield partial
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()


@contextlib.contextmanager
def temporary_files_beside(target: Path) -> Iterator[Path]:
    """Route this process's temporary files (openpyxl's sheets) into a private folder beside
    `target` for the duration: nothing is left in the system temp folder, and what a killed
    write leaves is cleaned up with the target's partial files."""
    folder = target.with_name(f"{_partial_prefix(target)}{os.getpid()}.d")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=PRIVATE_FOLDER_MODE)
    before = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = before
        shutil.rmtree(folder, ignore_errors=True)


def write_bytes(target: Path, data: bytes) -> None:
    """Write `data` as the whole of `target`, owner-only, never half a file under its name."""
    with written_in_place_of(target) as partial:
        partial.write_bytes(data)
