"""Words shared by the window and the reports."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """"1 action", "3 actions", "2 processes" (give `many` where adding an s is wrong)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
