"""Which system libraries the window needs, and which are missing when it cannot open.

No Qt here: this runs when Qt itself could not start (its platform plugin, or one of its own
libraries, failed to load), and only then. The dependencies are read with `ldd` from the
plugin and the Qt libraries it links, so the names come from the loader, not from a guess.

README.md lists the same packages for Debian/Ubuntu and Fedora, and .ci/run installs the
Debian line; a test keeps the three in step with `PACKAGES`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Exit code when the window cannot open (README "From a terminal").
EXIT_NO_WINDOW = 6

# Every library outside the C runtime that Qt's xcb plugin and the Qt libraries it loads link
# directly (`readelf -d`, PySide6 6.x), with the Debian/Ubuntu and Fedora package that ships
# it. libxcb-xinerama is not among them: Qt 6 no longer links it.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}

DEBIAN, FEDORA = "debian", "fedora"
# The plugin and the Qt libraries it brings in whose dependencies are looked at.
QT_LIBRARIES = ("libQt6XcbQpa.so.6", "libQt6Gui.so.6", "libQt6DBus.so.6", "libQt6Widgets.so.6")


def packages_for(family: str) -> list[str]:
    """The packages to install on `family` (DEBIAN or FEDORA), each once, in table order."""
    column = 0 if family == DEBIAN else 1
    return list(dict.fromkeys(names[column] for names in PACKAGES.values()))


def install_command(family: str, packages: list[str]) -> str:
    if family == DEBIAN:
        return "sudo apt-get install " + " ".join(packages)
    if family == FEDORA:
        return "sudo dnf install " + " ".join(packages)
    return ""


def system_family(os_release: Path = Path("/etc/os-release")) -> str:
    """DEBIAN for Debian, Ubuntu and their kin; FEDORA for Fedora, RHEL and theirs; else ""."""
    try:
        text = os_release.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    words: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key in ("ID", "ID_LIKE"):
            words.update(value.strip().strip("\"'").lower().split())
    if words & {"debian", "ubuntu"}:
        return DEBIAN
    if words & {"fedora", "rhel", "centos"}:
        return FEDORA
    return ""


def qt_folder() -> Path | None:
    """PySide6's Qt folder, found without importing PySide6 (it may be what fails)."""
    spec = importlib.util.find_spec("PySide6")
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        return None
    return Path(next(iter(locations))) / "Qt"


def plugin_files(platform: str = "xcb") -> list[Path]:
    """The platform plugin and the Qt libraries whose dependencies decide whether it loads."""
    folder = qt_folder()
    if folder is None:
        return []
    candidates = [folder / "plugins" / "platforms" / f"libq{platform}.so"]
    for extra in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep):
        if extra:
            candidates.insert(0, Path(extra) / "platforms" / f"libq{platform}.so")
    candidates += [folder / "lib" / name for name in QT_LIBRARIES]
    return [path for path in candidates if path.is_file()]


_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def missing_libraries(files: list[Path]) -> list[str]:
    """The libraries the loader cannot find for `files`, each once (`ldd`; [] without it)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    missing: dict[str, None] = {}
    for path in files:
        try:
            out = subprocess.run([ldd, str(path)], capture_output=True, text=True, timeout=20,
                                 check=False).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        missing.update(dict.fromkeys(_NOT_FOUND.findall(out)))
    return list(missing)


@dataclass(frozen=True)
class Diagnosis:
    missing: list[str]
    command: str  # the install command for this system; "" when it is not known

    def message(self, app_name: str) -> str:
        """One plain message for the terminal."""
        if self.missing:
            names = ", ".join(self.missing)
            text = (f"{app_name} cannot open its window: the system is missing "
                    f"{'this library' if len(self.missing) == 1 else 'these libraries'}: "
                    f"{names}.")
            if self.command:
                text += f" Install {'it' if len(self.missing) == 1 else 'them'} with:\n\n" \
                        f"    {self.command}\n\n"
            else:
                text += " Install the packages of your system that provide them.\n\n"
            return text + "Then start it again. The commands (see --help) work without a window."
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return (f"{app_name} cannot open its window: there is no display to show it on "
                    "(DISPLAY is not set). Start it from a desktop session. The commands "
                    "(see --help) work without a window.")
        return (f"{app_name} cannot open its window: Qt's platform plugin did not start, and "
                "no library it needs is missing. Run with QT_DEBUG_PLUGINS=1 to see Qt's own "
                "report. The commands (see --help) work without a window.")


def diagnose(platform: str = "xcb") -> Diagnosis:
    """What stops Qt's `platform` plugin loading, and the command that fixes it here."""
    missing = missing_libraries(plugin_files(platform)) if sys.platform == "linux" else []
    family = system_family()
    known = [PACKAGES[name][0 if family == DEBIAN else 1] for name in missing
             if name in PACKAGES]
    command = ""
    if missing and family and len(known) == len(missing):
        command = install_command(family, list(dict.fromkeys(known)))
    return Diagnosis(missing, command)
