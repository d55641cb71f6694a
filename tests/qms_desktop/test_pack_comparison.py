"""The previous period beside this one (inputs c1 to c7), every survey on the satisfaction
chart with a lapsed one flagged, and the carry-over of what the last review's record raised
into input a): exact figures from hand-made records, and the sample company checked against
its own records."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from qms_desktop import (
    actions,
    clock,
    context,
    db,
    feedback,
    nonconformities,
    packs,
    readiness,
    records,
    review_inputs,
    reviews,
)
from qms_desktop.models import (
    Feedback,
    ManagementReview,
    Nonconformity,
    Person,
    PersonRole,
    Role,
    SatisfactionResult,
)
from qms_desktop.reports.review_pack import render_pdf
from qms_desktop.reports.review_pack_html import render_html
from qms_desktop.review_data import Comparison, Finding, InputSection, PackData, finding_key
from tests.qms_desktop.review_minutes import held_with_minutes

# A quarter and the one before it: whole months, so the previous period is whole months too.
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
BEFORE_START, BEFORE_END = dt.date(2025, 10, 1), dt.date(2025, 12, 31)
MEETING = dt.date(2026, 4, 2)


def _at(day: dt.date) -> Any:
    return clock.stopped_at(dt.datetime.combine(day, dt.time(10, 0)))


def _review(meeting_on: dt.date = MEETING) -> ManagementReview:
    with _at(meeting_on - dt.timedelta(days=1)):
        return reviews.plan_review(meeting_on, period_start=START, period_end=END)


def _section(data: PackData, code: str) -> InputSection:
    return next(s for s in data.inputs if s.code == code)


def _measures(section: InputSection) -> dict[str, Comparison]:
    return {c.measure: c for c in section.comparison}


def _pdf_text(data: PackData) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(data)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


# --- The previous period ------------------------------------------------------------------------


@pytest.mark.parametrize(("period", "previous"), [
    # A calendar year: the year before, not 365 days back from a leap year.
    ((dt.date(2025, 1, 1), dt.date(2025, 12, 31)), (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
    # The default period, from the day after the last meeting to this one.
    ((dt.date(2025, 1, 6), dt.date(2026, 1, 5)), (dt.date(2024, 1, 6), dt.date(2025, 1, 5))),
    ((START, END), (BEFORE_START, BEFORE_END)),
    # Not whole months: as many days.
    ((dt.date(2026, 1, 6), dt.date(2026, 1, 15)), (dt.date(2025, 12, 27), dt.date(2026, 1, 5))),
])
def test_the_previous_period_has_the_same_length(
        period: tuple[dt.date, dt.date], previous: tuple[dt.date, dt.date]) -> None:
    assert review_inputs.previous_period(period) == previous


def _nc(title: str, raised_on: dt.date, severity: str = "minor",
        closed_on: dt.date | None = None) -> Nonconformity:
    with _at(raised_on):
        nc = nonconformities.create_nonconformity(title, raised_on, severity=severity)
    if closed_on is not None:
        with _at(closed_on):
            nonconformities.close(nc, closed_on, reason="Corrected on the spot.")
    return nc


def test_nonconformities_compare_by_their_own_dates(store: db.Store) -> None:
    """Fewer nonconformities is better; one raised before the period and closed in it counts
    in the period it was raised, and a closing after the period's end does not count as
    closed by it."""
    _nc("Register in use since June", dt.date(2025, 6, 2), closed_on=dt.date(2025, 6, 5))
    _nc("Burr on flange", dt.date(2025, 10, 3), closed_on=dt.date(2025, 10, 20))
    _nc("Wrong drawing issue", dt.date(2025, 11, 5), "major", closed_on=dt.date(2026, 1, 10))
    _nc("Scratched housing", dt.date(2026, 1, 12), closed_on=dt.date(2026, 2, 1))
    _nc("Late certificate", dt.date(2026, 3, 30), closed_on=dt.date(2026, 4, 1))
    _nc("Second late certificate", dt.date(2026, 4, 1))  # after the period: not counted
    review = _review()
    with _at(MEETING):
        data = review_inputs.assemble(review, generated_at=clock.now(), is_draft=True)
    assert (data.previous_period_start, data.previous_period_end) == ("2025-10-01", "2025-12-31")
    c4 = _measures(_section(data, "c4"))
    raised = c4["Nonconformities raised"]
    assert (raised.current, raised.previous, raised.current_text) == (2.0, 2.0, "2")
    assert raised.change_words() == "Same"
    major = c4["Major or critical"]
    assert (major.current, major.previous) == (0.0, 1.0)
    assert major.direction == "better" and major.change_words() == "Better ↓"
    closed = c4["Closed by the period's end"]
    # This quarter: one of two closed by 31 March; the one before: one of two by 31 December.
    assert closed.current_text == "50% (1 of 2)" and closed.previous_text == "50% (1 of 2)"
    assert closed.direction == "same"

    text = _pdf_text(data)
    assert "Compared with 1 October 2025 to 31 December 2025" in text  # on the cover
    assert "Against the previous period (1 October 2025 to 31 December 2025)" in text
    assert "Major or critical 0 1 Better ↓" in text
    html = render_html(data)
    assert "Against the previous period (1 October 2025 to 31 December 2025)" in html
    assert "Better ↓" in html
    # The comparison survives the frozen snapshot whole.
    again = PackData.from_json(data.to_json())
    assert again.to_json() == data.to_json()
    assert _section(again, "c4").comparison == _section(data, "c4").comparison


def test_more_complaints_is_worse_and_a_higher_score_is_better(store: db.Store) -> None:
    for day in (dt.date(2025, 9, 1), dt.date(2025, 10, 5), dt.date(2026, 1, 7),
                dt.date(2026, 2, 9)):
        with _at(day):
            feedback.record_feedback("complaint", "Acme", day, "Late parcel")
    with _at(dt.date(2025, 11, 2)):
        feedback.record_feedback("compliment", "Acme", dt.date(2025, 11, 2), "Fine work")
    with _at(dt.date(2025, 8, 20)):
        feedback.record_satisfaction(dt.date(2025, 7, 1), 7.0, 20)
    with _at(dt.date(2025, 11, 20)):
        feedback.record_satisfaction(dt.date(2025, 10, 1), 7.0, 20)
    with _at(dt.date(2026, 2, 20)):
        feedback.record_satisfaction(dt.date(2026, 1, 1), 8.0, 20)
    with _at(dt.date(2026, 3, 20)):
        feedback.record_satisfaction(dt.date(2026, 2, 1), 8.5, 20)
    with _at(MEETING):
        data = review_inputs.assemble(_review(), generated_at=clock.now(), is_draft=True)
    c1 = _measures(_section(data, "c1"))
    assert (c1["Complaints"].current, c1["Complaints"].previous) == (2.0, 1.0)
    assert c1["Complaints"].change_words() == "Worse ↑"
    assert c1["Compliments"].change_words() == "Worse ↓"
    assert c1["Feedback received"].change_words() == "Same"  # a complaint for a compliment
    score = c1["Satisfaction score (average)"]
    assert score.current_text == "8.25 of 10 (2 surveys)"
    assert score.previous_text == "7.00 of 10 (1 survey)"
    assert score.change_words() == "Better ↑"


def test_a_register_begun_after_the_previous_period_says_so(store: db.Store) -> None:
    """Zeros for a period before anything was recorded would read as real: the pack says
    there is no earlier data instead."""
    _nc("Burr on flange", dt.date(2026, 2, 3))
    with _at(MEETING):
        data = review_inputs.assemble(_review(), generated_at=clock.now(), is_draft=True)
    c4 = _section(data, "c4")
    assert c4.no_earlier_data()
    assert all(c.change_words() == "No earlier data" for c in c4.comparison)
    assert all(c.previous is None for c in c4.comparison)
    text = _pdf_text(data)
    note = ("No comparison with the previous period (1 October 2025 to 31 December 2025): "
            "nothing was recorded that early in the registers this input reads.")
    assert note in text
    c4_text = text.split("c4) ")[-1].split("c5) ")[0]
    assert "Against the previous period" not in c4_text
    assert note in render_html(data)


def test_a_register_begun_within_the_previous_period_is_named(store: db.Store) -> None:
    _nc("Burr on flange", dt.date(2025, 12, 3))
    _nc("Scratched housing", dt.date(2026, 1, 12))
    with _at(MEETING):
        data = review_inputs.assemble(_review(), generated_at=clock.now(), is_draft=True)
    raised = _measures(_section(data, "c4"))["Nonconformities raised"]
    assert raised.previous_text == "1 (records from 2025-12-03)"
    # A figure of part of a period says nothing better or worse about the whole.
    assert raised.direction == "" and raised.change_words() == "Not comparable"


def test_the_previous_period_is_as_of_the_cut_off(store: db.Store) -> None:
    """A complaint typed in after the meeting, dated in the previous period, is not in the
    record of that meeting; the records as they stand now do count it."""
    with _at(dt.date(2025, 10, 5)):
        feedback.record_feedback("complaint", "Acme", dt.date(2025, 10, 5), "Late parcel")
    review = _review()
    with _at(dt.date(2026, 5, 1)):
        feedback.record_feedback("complaint", "Acme", dt.date(2025, 11, 9), "Told us late")
        as_of = packs.pack_data(review, as_of=MEETING)
        now = review_inputs.assemble(review, generated_at=clock.now(), is_draft=True)
    assert _measures(_section(as_of, "c1"))["Complaints"].previous == 1.0
    assert _measures(_section(now, "c1"))["Complaints"].previous == 2.0


# --- The satisfaction chart ---------------------------------------------------------------------


def test_the_satisfaction_chart_shows_every_survey_and_flags_one_that_lapsed(
        store: db.Store) -> None:
    """Quarterly results up to the third quarter of 2025, then none: by the meeting in April
    2026 the survey has missed two rounds, and lapsed within the periods the pack shows."""
    for start in (dt.date(2025, 1, 1), dt.date(2025, 4, 1), dt.date(2025, 7, 1)):
        with _at(start + dt.timedelta(days=100)):
            feedback.record_satisfaction(start, 7.5, 12, method="Quarterly survey: 5 questions")
    with _at(dt.date(2026, 2, 15)):
        feedback.record_satisfaction(dt.date(2026, 1, 1), 4.0, 9, scale_max=5,
                                     method="Phone calls")
    with _at(MEETING):
        section = _section(review_inputs.assemble(_review(), generated_at=clock.now(),
                                                  is_draft=True), "c1")
    chart = next(c for c in section.charts if c.kind == "line")
    # From the start of the previous period: the quarter of October 2025 had no result.
    assert chart.labels == ["2026-01"]
    # No result in the periods shown, yet it lapsed in them: the summary says so.
    assert ("Survey lapsed: Quarterly survey last covered 2025-07 (it ran every 3 months); "
            "no result has come in since.") in section.summary
    # A survey that lapsed before the previous period began was flagged back then.
    with _at(MEETING):
        assert review_inputs.lapsed_surveys((dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
                                            dt.date(2027, 4, 2)) == []
    # A longer period shows every survey since the previous one began, a line each.
    long_period = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    with _at(MEETING):
        chart = review_inputs.satisfaction_chart(long_period, {"Quarterly survey"})
        lapsed = review_inputs.lapsed_surveys(long_period, MEETING)
    assert chart is not None
    assert chart.labels == ["2025-01", "2025-04", "2025-07", "2026-01"]
    # Two scales: each result as a score out of 10.
    assert chart.series == {"Quarterly survey (lapsed)": [7.5, 7.5, 7.5, None],
                            "Phone calls": [None, None, None, 8.0]}
    assert chart.unit == "of 10"
    assert lapsed == [("Quarterly survey", dt.date(2025, 7, 1), 3)]


def test_a_survey_on_time_is_not_lapsed(store: db.Store) -> None:
    for start in (dt.date(2025, 7, 1), dt.date(2025, 10, 1), dt.date(2026, 1, 1)):
        with _at(start + dt.timedelta(days=100)):
            feedback.record_satisfaction(start, 8.0, 12, method="Quarterly survey")
    with _at(MEETING):
        data = review_inputs.assemble(_review(), generated_at=clock.now(), is_draft=True)
    section = _section(data, "c1")
    assert not any("lapsed" in line for line in section.summary)
    chart = next(c for c in section.charts if c.kind == "line")
    assert chart.labels == ["2025-10", "2026-01"]
    assert chart.series == {"Quarterly survey": [8.0, 8.0]}
    with _at(dt.date(2026, 9, 1)):  # two rounds later with nothing new: lapsed
        later = review_inputs.assemble(_review(dt.date(2026, 9, 1)), generated_at=clock.now(),
                                       is_draft=True)
    assert ("Survey lapsed: Quarterly survey last covered 2026-01 (it ran every 3 months); "
            "no result has come in since.") in _section(later, "c1").summary


# --- Carry-over into input a) -------------------------------------------------------------------


def test_a_findings_key_ignores_counts_names_and_dates() -> None:
    assert finding_key("6.1", "6.1: two risks past their review date.") == finding_key(
        "6.1", "6.1: one risk past their review date.")
    assert finding_key("4.4", "4.4: two processes without an owner (Sales, Buying).") == \
        finding_key("4.4", "4.4: one process without an owner (Dispatch).")
    assert finding_key("5.2", "5.2: 1 person has not acknowledged policy v2.") == finding_key(
        "5.2", "5.2: 3 people have not acknowledged policy v3.")
    assert finding_key("6.2", "6.2: objective Scrap: no owner.") != finding_key(
        "6.2", "6.2: objective Delivery: no owner.")
    assert finding_key("6.1", "6.1: no risks are recorded.") != finding_key(
        "6.1", "6.1: one high risk with no action (Crane).")
    # A pack frozen before findings had a key gets it from its text when read back.
    old = Finding("6.1", "attention", "6.1: two risks past their review date.")
    assert old.key == "6.1:# risk past their review date"


def _held_and_closed(owner: Person, meeting_on: dt.date, decision: str) -> ManagementReview:
    with _at(meeting_on):
        review = held_with_minutes(owner, meeting_on, decision, due_in_days=30)
    with _at(meeting_on + dt.timedelta(days=2)):
        packs.close(review, owner, reason="Accepted: the gaps are planned.")
    return ManagementReview.get_by_id(review.id)


@pytest.fixture
def owner(store: db.Store) -> Person:
    with _at(dt.date(2024, 1, 2)):
        person = records.create(Person, full_name="Ana Owner")
        role = records.create(Role, title="Managing Director", is_top_management=True)
        records.create(PersonRole, person=person, role=role)
    return person


def test_a_first_review_has_no_earlier_actions(owner: Person) -> None:
    with _at(MEETING):
        data = review_inputs.assemble(_review(), generated_at=clock.now(), is_draft=True)
    a = _section(data, "a")
    assert not a.has_data
    assert a.empty_reason == ("First review: there are no actions from earlier reviews to "
                              "follow up.")
    assert "First review: there are no actions from earlier reviews" in _pdf_text(data)


def test_what_the_last_record_raised_and_is_still_open_is_carried_over(owner: Person) -> None:
    """Readiness findings of the last frozen pack still found at the cut-off, and its
    decisions whose action is still open, are listed in a) with their age; what was dealt
    with since is not."""
    first = _held_and_closed(owner, dt.date(2024, 1, 10), "Write the first risk register")
    second = _held_and_closed(owner, dt.date(2025, 1, 10), "Decide on climate change")
    with _at(dt.date(2025, 6, 1)):
        context.decide_climate(False, "Our machining is indoors and local.", owner)
    frozen = review_inputs.frozen_data(second)
    assert frozen is not None
    raised = {f.key: f for f in frozen.readiness}
    climate = finding_key("4.1", "4.1: whether climate change is a relevant issue has not "
                          "been decided.")
    parties = finding_key("4.2", "4.2: no interested parties are recorded.")
    assert climate in raised and parties in raised

    third = _review(dt.date(2026, 1, 10))
    with _at(dt.date(2026, 1, 10)):
        data = packs.pack_data(third, as_of=dt.date(2026, 1, 10))
        now = {f.key for f in readiness.for_pack(dt.date(2026, 1, 10))}
    a = _section(data, "a")
    table = next(t for t in a.tables if t.title == "Raised at the last review, not acted on")
    carried = [row for row in table.rows if row[0].startswith("Finding")]
    # Exactly the last record's findings still found now, in the record's order.
    assert [row[1] for row in carried] == [f.text for f in frozen.readiness if f.key in now]
    row = next(r for r in carried if r[1] == raised[parties].text)
    # Raised by the first record too, without a break: two years old at the cut-off.
    assert row[2:] == ["2024-01-10", "731 days", "Still found"]
    assert raised[climate].text not in [r[1] for r in carried]
    decisions = [row for row in table.rows if row[0].startswith("Decision")]
    assert decisions == [["Decision", "Decide on climate change", "2025-01-10",
                          "365 days", "Action overdue, due 2025-02-09"]]
    assert (f"Raised at the last review (2025-01-10), not acted on: "
            f"{len(carried)} readiness findings still found and 1 decision with the action "
            "still open.") in a.summary
    assert "Raised at the last review, not acted on" in _pdf_text(data)
    assert "Raised at the last review, not acted on" in render_html(data)
    assert first.status == "closed"

    # The decision's action done before the cut-off: no longer carried over.
    action = reviews.decisions(second)[0].action
    with _at(dt.date(2025, 12, 1)):
        actions.complete(action, dt.date(2025, 12, 1), "Decided and recorded.")
    with _at(dt.date(2026, 1, 10)):
        data = packs.pack_data(third, as_of=dt.date(2026, 1, 10))
    table = next(t for t in _section(data, "a").tables
                 if t.title == "Raised at the last review, not acted on")
    assert not [row for row in table.rows if row[0].startswith("Decision")]


def test_an_earlier_review_not_closed_has_no_record_to_carry_over(owner: Person) -> None:
    with _at(dt.date(2025, 1, 10)):
        earlier = reviews.plan_review(dt.date(2025, 1, 10), place="Office", chair=owner)
        reviews.set_attendance(earlier, owner, present=True, role_label="Chair")
        reviews.mark_held(earlier)
    with _at(MEETING):
        data = review_inputs.assemble(_review(), generated_at=clock.now(), is_draft=True)
    assert ("No earlier review is closed (the last, 2025-01-10, is held but not closed): "
            "there is no record to carry findings over from.") in _section(data, "a").summary


def test_the_record_before_an_unclosed_review_is_carried_over(owner: Person) -> None:
    _held_and_closed(owner, dt.date(2024, 1, 10), "Write the first risk register")
    with _at(dt.date(2025, 1, 10)):
        held = reviews.plan_review(dt.date(2025, 1, 10), place="Office", chair=owner)
        reviews.set_attendance(held, owner, present=True, role_label="Chair")
        reviews.mark_held(held)
    with _at(MEETING):
        data = review_inputs.assemble(_review(), generated_at=clock.now(), is_draft=True)
    a = _section(data, "a")
    assert a.summary[-2] == ("The review of 2025-01-10 is not closed: carried over from the "
                             "record of 2024-01-10.")
    assert a.summary[-1].startswith("Raised at the last review (2024-01-10), not acted on:")


def test_a_snapshot_from_before_the_comparison_still_loads(sample_store: db.Store) -> None:
    """Frozen packs made before the comparison and the findings' keys read back: no
    comparison, and each finding keyed from its text."""
    review = next(r for r in reviews.reviews() if r.status == "closed")
    text = reviews.final_pack(review).snapshot  # type: ignore[union-attr]
    raw = __import__("json").loads(text)
    raw.pop("previous_period_start", None)
    raw.pop("previous_period_end", None)
    for section in raw["inputs"]:
        section.pop("comparison", None)
    for finding in raw["readiness"]:
        finding.pop("key", None)
    old = PackData.from_json(__import__("json").dumps(raw))
    assert all(not s.comparison for s in old.inputs)
    assert [f.key for f in old.readiness] == [finding_key(f.clause, f.text)
                                              for f in old.readiness]
    again = PackData.from_json(old.to_json())
    assert again.to_json() == old.to_json()
    assert "Against the previous period" not in _pdf_text(old)


# --- The sample company, checked against its own records ---------------------------------------


def test_the_sample_comparison_matches_its_records(sample_store: db.Store) -> None:
    review = next(r for r in reviews.reviews() if r.status != "closed")
    period = review_inputs.period_of(review)
    previous = review_inputs.previous_period(period)
    data = review_inputs.assemble(review, generated_at=clock.now(), is_draft=True)
    assert (data.previous_period_start, data.previous_period_end) == (
        previous[0].isoformat(), previous[1].isoformat())

    def complaints(span: tuple[dt.date, dt.date]) -> int:
        return sum(1 for f in Feedback.select().where(Feedback.archived_at.is_null())
                   if f.kind == "complaint" and span[0] <= f.received_on <= span[1])

    def raised(span: tuple[dt.date, dt.date]) -> list[Nonconformity]:
        return [n for n in Nonconformity.select().where(Nonconformity.archived_at.is_null())
                if span[0] <= n.raised_on <= span[1]]

    c1 = _measures(_section(data, "c1"))
    assert c1["Complaints"].current == complaints(period)
    assert c1["Complaints"].previous == complaints(previous)
    c4 = _measures(_section(data, "c4"))
    assert c4["Nonconformities raised"].current == len(raised(period))
    assert c4["Nonconformities raised"].previous == len(raised(previous))
    before = raised(previous)
    closed = sum(1 for n in before if n.closed_on is not None and n.closed_on <= previous[1])
    assert c4["Closed by the period's end"].previous_text.startswith(
        f"{round(100 * closed / len(before))}% ({closed} of {len(before)})")
    surveys = [r for r in SatisfactionResult.select().where(
        SatisfactionResult.archived_at.is_null()) if previous[0] <= r.period_start <= period[1]]
    chart = next(c for c in _section(data, "c1").charts if c.kind == "line")
    assert sorted(chart.labels) == sorted({f"{r.period_start:%Y-%m}" for r in surveys})
    assert sum(v is not None for values in chart.series.values() for v in values) == len(surveys)


def test_the_sample_carry_over_matches_the_last_record(sample_store: db.Store) -> None:
    review = next(r for r in reviews.reviews() if r.status != "closed")
    today = clock.today()
    last = review_inputs.closed_before(review)[0]
    frozen = review_inputs.frozen_data(last)
    assert frozen is not None
    now = readiness.for_pack(today)
    data = review_inputs.assemble(review, generated_at=clock.now(), is_draft=True,
                                  readiness=now, today=today)
    table = next(t for t in _section(data, "a").tables
                 if t.title == "Raised at the last review, not acted on")
    keys_now = {f.key for f in now}
    carried = [row[1] for row in table.rows if row[0].startswith("Finding")]
    assert carried == [f.text for f in frozen.readiness if f.key in keys_now]
    open_decisions = [d.description for d in reviews.decisions(last)
                      if d.action is not None and d.action.status == "open"]
    assert [row[1] for row in table.rows if row[0].startswith("Decision")] == open_decisions
    for row in table.rows:
        first_raised = dt.date.fromisoformat(row[2])
        assert row[3] == f"{(today - first_raised).days} days"
