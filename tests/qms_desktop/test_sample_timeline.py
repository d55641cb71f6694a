"""The sample company is a dated history: stopped at a day it holds exactly the events up to
that day of a full build, and every closed review's record is as of its meeting.

Two builds of seed 7, each once for the module, with the clock standing at a fixed day so the
today-relative timeline is the same whenever the tests run: the full one, and the same
timeline stopped at 31 March 2026 (`demo --today 2026-03-31`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from qms_desktop import cli, clock, db, nonconformities, packs, policy, reviews
from qms_desktop.as_of import cut_off_moment, records_as_of
from qms_desktop.models import ChangeHistory, ManagementReview, Nonconformity

# The day the builds are made: the January 2026 review is 335 days before it.
TODAY = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
STOP = dt.date(2026, 3, 31)
JANUARY = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _fixed_day() -> Iterator[None]:
    with clock.stopped_at(TODAY):
        yield


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("timeline")
    made = {}
    with clock.stopped_at(TODAY):
        for name, argv in (("full", []), ("stopped", ["--today", STOP.isoformat()])):
            path = folder / f"{name}.db"
            assert cli.main(["--db", str(path), "demo", "--seed", "7", *argv]) == 0
            made[name] = path
    return made


def _history(path: Path) -> list[tuple[Any, ...]]:
    with db.open_database(path):
        return list(ChangeHistory.select().order_by(ChangeHistory.id).tuples())


def _january(path: Path) -> tuple[str, bytes, str]:
    with db.open_database(path):
        review = reviews.find_review(JANUARY.isoformat())
        final = reviews.final_pack(review)
        assert final is not None and review.status == "closed"
        return review.id, bytes(final.pdf), final.snapshot


def test_a_build_stopped_at_a_day_holds_exactly_the_events_up_to_it(
        builds: dict[str, Path]) -> None:
    full, stopped = _history(builds["full"]), _history(builds["stopped"])
    cut = cut_off_moment(STOP)
    # Entry by entry: the same ids, times, authors, values and hashes; none after the day.
    assert stopped == [entry for entry in full if entry[1] <= cut]
    assert len(stopped) < len(full)
    with db.open_database(builds["stopped"]) as store:
        assert db.check(store).sound
        assert ManagementReview.select().count() == 2  # the next one is planned later


def test_the_january_2026_record_is_the_same_bytes_in_both(builds: dict[str, Path]) -> None:
    full_id, full_pdf, full_snapshot = _january(builds["full"])
    stopped_id, stopped_pdf, stopped_snapshot = _january(builds["stopped"])
    assert (stopped_id, stopped_snapshot) == (full_id, full_snapshot)
    assert stopped_pdf == full_pdf
    # The record says when it was closed and that its figures are of the meeting day.
    text = " ".join(PdfReader(io.BytesIO(full_pdf)).pages[0].extract_text().split())
    assert "Meeting 5 January 2026 · record closed 8 January 2026 · figures as of " \
           "5 January 2026" in text
    assert "Siobhán Gallagher, Managing Director" in text
    snapshot = json.loads(full_snapshot)
    assert snapshot["figures_as_of"] == JANUARY.isoformat()
    assert snapshot["closed_on"] > JANUARY.isoformat()
    assert snapshot["signed_by"] and snapshot["signed_title"]


def test_export_pack_as_of_prints_the_same_from_both(builds: dict[str, Path],
                                                     tmp_path: Path) -> None:
    texts = []
    for name, path in builds.items():
        out = tmp_path / f"{name}.html"
        assert cli.main(["--db", str(path), "export-pack", "--review", JANUARY.isoformat(),
                         "--as-of", "2025-12-31", "--out", str(out)]) == 0
        texts.append([line for line in out.read_text(encoding="utf-8").splitlines()
                      if "Generated" not in line])
    assert texts[0] == texts[1]
    assert any("Reconstruction as of 31 December 2025" in line for line in texts[0])


def test_every_closed_review_equals_its_as_of_reconstruction(builds: dict[str, Path]) -> None:
    with db.open_database(builds["full"]):
        closed = [r for r in reviews.reviews() if r.status == "closed"]
        assert len(closed) == 2
        for review in closed:
            final = reviews.final_pack(review)
            assert final is not None
            frozen = json.loads(final.snapshot)
            rebuilt = json.loads(packs.pack_data(review, as_of=review.cut_off()).to_json())
            # What differs is only when and how each was made, never a figure.
            for made in ("generated_at", "is_draft", "status", "closed_on", "reconstruction",
                         "chain_head", "pack_version", "signed_by", "signed_title",
                         "signature_meaning", "signed_at", "closing_flags", "closing_reason"):
                frozen.pop(made, None)
                rebuilt.pop(made, None)
            assert rebuilt == frozen, review.meeting_on


def test_the_open_nonconformities_of_january_2026_follow_the_events(
        builds: dict[str, Path]) -> None:
    with db.open_database(builds["full"]):
        # From the records' own dates, today: raised by the meeting and not closed by then.
        expected = sorted(
            nc.reference for nc in Nonconformity.select()
            if nc.raised_on <= JANUARY and (nc.closed_on is None or nc.closed_on > JANUARY))
        assert len(expected) >= 2  # the record must show some still open
        with records_as_of(cut_off_moment(JANUARY)):
            then = sorted(nc.reference for nc in nonconformities.open_nonconformities())
            closed_then = Nonconformity.select().where(Nonconformity.status == "closed").count()
        assert then == expected
        assert closed_then == Nonconformity.select().where(
            (Nonconformity.raised_on <= JANUARY) & (Nonconformity.closed_on <= JANUARY)).count()


def test_each_closed_review_had_a_policy_in_force_approved_before_it(
        builds: dict[str, Path]) -> None:
    with db.open_database(builds["full"]):
        meetings = [r.meeting_on for r in reviews.reviews() if r.status == "closed"]
        in_force = {}
        for meeting in meetings:
            with records_as_of(cut_off_moment(meeting)):
                version = policy.in_force()
                assert version is not None, meeting
                assert version.approved_at.date() <= meeting
                in_force[meeting] = version.number
        # The first review saw the first issue; the rewrite came between the two reviews.
        assert [in_force[m] for m in sorted(meetings)] == [1, 2]
        assert policy.in_force().number == 2


@pytest.mark.parametrize(("argv", "code", "said"), [
    (["--size", "large", "--today", "2026-01-31"], 5, "the large one is written in bulk"),
    (["--today", "2026-12-07"], 2, "is after today"),
    (["--today", "31/01/2026"], 2, "is not a date"),
])
def test_demo_today_refuses_what_it_cannot_do(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              argv: list[str], code: int, said: str) -> None:
    path = tmp_path / "never.db"
    assert cli.main(["--db", str(path), "demo", *argv]) == code
    assert said in capsys.readouterr().err
    assert not path.exists()
