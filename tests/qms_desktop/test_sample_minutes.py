"""The sample's minutes agree with their own record: the commentary typed at each closed
review counts what the pack shows as of its meeting, not what was closed or entered later."""

from __future__ import annotations

import re

from qms_desktop import db, packs
from qms_desktop.models import ManagementReview


def _numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def test_each_closed_reviews_commentary_counts_what_its_pack_shows(
        sample_store: db.Store) -> None:
    closed = list(ManagementReview.select().where(ManagementReview.status == "closed"))
    assert len(closed) >= 2
    for review in closed:
        sections = {s.code: s for s in packs.pack_data(review).inputs}
        # "27 nonconformities raised, 25 closed, 2 open." beside "27 ... raised, 25 closed."
        c4 = sections["c4"]
        assert _numbers(c4.commentary)[:2] == _numbers(c4.summary[0])[:2], review.meeting_on
        for code in ("c1", "c3", "c5"):  # feedback items, nonconformities, KPI readings
            section = sections[code]
            assert _numbers(section.commentary)[0] == _numbers(
                next(s for s in section.summary if _numbers(s)))[0 if code != "c3" else 1], (
                review.meeting_on, code, section.commentary, section.summary)
