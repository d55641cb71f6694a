"""A window that cannot open says which system library is missing and how to install it.

The real start (`python main.py`) is run with one system library hidden from the loader: in
a private mount namespace (`unshare -rm`), the system's library folder is replaced by a folder
of links to everything in it but that library.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui.shell import system_libraries
from ui.shell.system_libraries import DEBIAN, EXIT_NO_WINDOW, FEDORA

ROOT = Path(__file__).resolve().parents[3]
LIBRARY_FOLDER = Path("/usr/lib/x86_64-linux-gnu")

# Runs "$@" with the files matching $1 gone from the library folder (inside `unshare -rm`).
HIDE = r"""
set -e
pattern="$1"; folder="$2"; shift 2
work=$(mktemp -d)
mkdir "$work/real" "$work/links"
mount --bind "$folder" "$work/real"
for path in "$work/real"/*; do
    name=${path##*/}
    case "$name" in $pattern) ;; *) ln -s "$work/real/$name" "$work/links/$name" ;; esac
done
mount --bind "$work/links" "$folder"
exec "$@"
"""


def _can_hide_libraries() -> bool:
    if sys.platform != "linux" or not LIBRARY_FOLDER.is_dir() or shutil.which("ldd") is None:
        return False
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run([unshare, "-rm", "true"], capture_output=True, check=False)
    return probe.returncode == 0


needs_namespace = pytest.mark.skipif(
    not _can_hide_libraries(),
    reason="needs Linux with ldd, and unshare allowed to make a private mount namespace",
)


def start_window_without(
    pattern: str, tmp_path: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    environment.update(QT_QPA_PLATFORM="xcb", DISPLAY=":99", **env)
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", HIDE, "hide", pattern, str(LIBRARY_FOLDER),
         sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "qms.db")],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )


@needs_namespace
def test_a_missing_xcb_library_is_named_with_the_command_that_installs_it(
    tmp_path: Path,
) -> None:
    result = start_window_without("libxcb-icccm.so*", tmp_path)

    assert result.returncode == EXIT_NO_WINDOW, result.stderr
    assert "libxcb-icccm.so.4" in result.stderr
    if system_libraries.system_family() == DEBIAN:
        assert "sudo apt-get install libxcb-icccm4\n" in result.stderr
    # Qt's own abort text, which blamed another library, is not shown.
    assert "Reinstalling the application" not in result.stderr
    assert "xcb-cursor0" not in result.stderr
    assert not (tmp_path / "qms.db").exists()  # nothing was started half-way


@needs_namespace
def test_a_missing_library_of_qt_itself_is_named_too(tmp_path: Path) -> None:
    """libEGL is linked by QtGui, so the import fails before any plugin is looked for."""
    result = start_window_without("libEGL.so*", tmp_path)

    assert result.returncode == EXIT_NO_WINDOW, result.stderr
    assert "libEGL.so.1" in result.stderr
    assert "Traceback" not in result.stderr


@needs_namespace
def test_commands_that_need_no_window_still_work_without_the_library(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    checked = subprocess.run(
        ["unshare", "-rm", "sh", "-c", HIDE, "hide", "libxcb-icccm.so*", str(LIBRARY_FOLDER),
         sys.executable, str(ROOT / "main.py"), "reviews", "--db", str(tmp_path / "none.db")],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )
    # It ran and said there is no such database (3), not that a library is missing.
    assert checked.returncode == 3, checked.stderr
    assert "There is no database" in checked.stderr


def test_without_a_display_the_message_says_so(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("the xcb platform is Linux's")
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("QT_") and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    environment["QT_QPA_PLATFORM"] = "xcb"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(tmp_path / "qms.db")],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )
    assert result.returncode == EXIT_NO_WINDOW
    assert "there is no display" in result.stderr
    assert "Reinstalling the application" not in result.stderr


def test_the_libraries_the_plugin_links_are_all_in_the_package_table() -> None:
    """Read from the plugin itself: a Qt update that links a new library fails here."""
    if sys.platform != "linux" or shutil.which("readelf") is None:
        pytest.skip("needs Linux and readelf")
    files = system_libraries.plugin_files("xcb")
    assert files, "PySide6's xcb plugin was not found"
    runtime = re.compile(r"^(libc|libm|libgcc_s|libstdc\+\+|libz|libzstd|ld-linux.*|libicu\w+|"
                         r"libQt6\w+)\.so")
    needed: set[str] = set()
    for path in files:
        out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True,
                             check=True).stdout
        needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))
    outside = {name for name in needed if not runtime.match(name)}
    assert outside <= set(system_libraries.PACKAGES), outside - set(system_libraries.PACKAGES)


def test_this_machine_has_every_library_the_plugin_needs() -> None:
    """What .ci/run installs from the README is enough: the loader finds everything."""
    if sys.platform != "linux" or shutil.which("ldd") is None:
        pytest.skip("needs Linux and ldd")
    assert system_libraries.missing_libraries(system_libraries.plugin_files("xcb")) == []


def test_the_readme_lists_exactly_the_packages_of_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    apt = re.findall(r"^ {4}sudo apt-get install (.+)$", readme, re.MULTILINE)
    dnf = re.findall(r"^ {4}sudo dnf install (.+)$", readme, re.MULTILINE)
    assert apt == [" ".join(system_libraries.packages_for(DEBIAN))]
    assert dnf == [" ".join(system_libraries.packages_for(FEDORA))]
    # .ci/run installs the README's Debian line, the first one it finds.
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "sudo apt-get install" in ci and "README.md" in ci


@pytest.mark.parametrize(("text", "family"), [
    ('ID=debian\nVERSION_ID="12"\n', DEBIAN),
    ('ID=ubuntu\nID_LIKE=debian\n', DEBIAN),
    ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', DEBIAN),
    ('ID=fedora\n', FEDORA),
    ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', FEDORA),
    ('ID=arch\n', ""),
])
def test_the_system_family_comes_from_os_release(tmp_path: Path, text: str, family: str) -> None:
    release = tmp_path / "os-release"
    release.write_text(text, encoding="utf-8")
    assert system_libraries.system_family(release) == family


def test_an_unknown_system_gets_the_library_names_without_a_guessed_command(
    tmp_path: Path,
) -> None:
    diagnosis = system_libraries.Diagnosis(["libxcb-icccm.so.4"], "")
    text = diagnosis.message("QMS Desktop")
    assert "libxcb-icccm.so.4" in text
    assert "sudo" not in text
    assert "Install the packages of your system that provide them" in text
