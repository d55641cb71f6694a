"""Counted words read as plain English."""

from __future__ import annotations

from qms_desktop.text import plural


def test_one_and_many() -> None:
    assert plural(1, "action") == "1 action"
    assert plural(0, "action") == "0 actions"
    assert plural(3, "action") == "3 actions"


def test_an_irregular_plural_is_given() -> None:
    assert plural(1, "process", "processes") == "1 process"
    assert plural(2, "process", "processes") == "2 processes"
    assert plural(2, "opportunity", "opportunities") == "2 opportunities"
