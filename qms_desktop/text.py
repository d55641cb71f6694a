"""Words shared by the window and the reports."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """"1 action", "3 actions", "2 processes", "2 activities" (give `many` for an irregular
    noun: "person", "people")."""
    return f"{count:,} {one if count == 1 else (many or _regular_plural(one))}"


def _regular_plural(one: str) -> str:
    if one.endswith(("s", "x", "z", "ch", "sh")):
        return one + "es"
    if one.endswith("y") and one[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        return one[:-1] + "ies"
    return one + "s"
