"""One clock: the product reads now and today from qms_desktop.clock, which tests can stop."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from qms_desktop import clock, reviews
from qms_desktop.errors import ValidationError
from qms_desktop.models import utc_now

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_CLOCK_CALLS = {
    ("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow"),
    ("time", "time"), ("QDate", "currentDate"), ("QDateTime", "currentDateTime"),
    ("QTime", "currentTime"),
}
# Where the real time is meant: the clock itself, and the age of files on disk, which the OS
# stamps with its own clock.
ALLOWED = {"qms_desktop/clock.py", "qms_desktop/files.py"}


def _system_clock_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(
                owner, "id", "")
            if (owner_name, node.func.attr) in SYSTEM_CLOCK_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_nothing_but_the_clock_asks_the_system_clock() -> None:
    offenders = [
        hit
        for folder in ("qms_desktop", "ui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in ALLOWED
        for hit in _system_clock_calls(path)
    ]
    assert offenders == []


def test_a_stopped_clock_is_what_every_reader_sees() -> None:
    with clock.stopped_at(dt.date(2026, 1, 5)):
        assert clock.today() == dt.date(2026, 1, 5)
        assert utc_now().date() in {dt.date(2026, 1, 4), dt.date(2026, 1, 5), dt.date(2026, 1, 6)}
        assert clock.now().date() == dt.date(2026, 1, 5)
    assert clock.today() == dt.date.today() or clock.today() - dt.date.today() in {
        dt.timedelta(days=1), dt.timedelta(days=-1)}  # a run crossing midnight


def test_a_stopped_clock_drives_the_services(store) -> None:
    review = reviews.plan_review(dt.date(2024, 3, 5))
    with clock.stopped_at(dt.datetime(2024, 3, 1, 9, 30)):
        with pytest.raises(ValidationError):
            reviews.mark_held(review)  # four days before its meeting
        assert review.status == "planned"
    with clock.stopped_at(dt.datetime(2024, 3, 6, 9, 30)):
        reviews.mark_held(review)
        assert review.updated_at == dt.datetime(2024, 3, 6, 9, 30).astimezone(
            dt.UTC).replace(tzinfo=None)


def test_clocks_nest_and_come_back() -> None:
    with clock.stopped_at(dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)):
        with clock.stopped_at(dt.date(2020, 2, 29)):
            assert clock.today() == dt.date(2020, 2, 29)
        assert clock.utc_now() == dt.datetime(2025, 6, 1, 8, 0)
    with pytest.raises(ZeroDivisionError), clock.stopped_at(dt.date(2021, 1, 1)):
        1 / 0  # noqa: B018
    assert clock.today().year >= 2026
