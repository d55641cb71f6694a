"""Start QMS Desktop: the window, or a headless command (`qms-desktop --help`)."""

from __future__ import annotations

import sys

from qms_desktop import cli


def _open_window(location: cli.Location, is_default_location: bool) -> int:
    # Qt is imported only when the window is wanted, so commands run without a display.
    try:
        from ui.shell.app import run_app
    except ImportError as failure:
        if ".so" not in str(failure):
            raise
        # One of Qt's own libraries needs a system library that is not installed.
        from qms_desktop import APP_NAME
        from ui.shell.system_libraries import EXIT_NO_WINDOW, diagnose

        print(diagnose().message(APP_NAME), file=sys.stderr)
        return EXIT_NO_WINDOW

    return run_app(location, is_default_location=is_default_location)


def main(argv: list[str] | None = None) -> int:
    return cli.run(argv, open_window=_open_window)


if __name__ == "__main__":
    sys.exit(main())
