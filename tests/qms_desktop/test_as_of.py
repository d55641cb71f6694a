"""As of a date: the records rebuilt from the change history as they stood at the end of a
day, and the review pack assembled from them.

Time travel: a pack assembled as of day D after later edits equals the pack assembled while
the clock stood at D. A review closed weeks after its meeting freezes the meeting's figures.
`export-pack --as-of` on a closed review is a reconstruction, labelled on every page, and the
record stays as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import itertools
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from qms_desktop import (
    as_of,
    cli,
    clock,
    db,
    kpis,
    nonconformities,
    packs,
    policy,
    records,
    review_inputs,
    reviews,
)
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    Kpi,
    ManagementReview,
    Nonconformity,
    Organisation,
    Person,
    PersonRole,
    ReviewPack,
    Risk,
    Role,
)

ORIGIN = dt.date(2026, 1, 5)  # the first day of every generated history
MEETING = dt.date(2026, 9, 30)  # after every generated edit


@contextmanager
def _fresh_store(template: Path, folder: Path) -> Iterator[db.Store]:
    path = folder / "qms.db"
    path.unlink(missing_ok=True)
    shutil.copyfile(template, path)
    opened = db.open_database(path)
    records.set_setting(records.USER_NAME_KEY, "Test User")
    try:
        yield opened
    finally:
        opened.close()


def _without_generation(data_json: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(data_json)
    data.pop("generated_at")
    return data


def _noon_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12))


# --- The records as of a moment ----------------------------------------------------------------


def test_cut_off_moment_is_the_last_second_of_the_local_day() -> None:
    moment = as_of.cut_off_moment(dt.date(2026, 1, 5))
    local = moment.replace(tzinfo=dt.UTC).astimezone()
    assert (local.date(), local.time()) == (dt.date(2026, 1, 5), dt.time(23, 59, 59))
    assert moment.tzinfo is None


def test_records_as_of_leave_out_later_records_and_later_changes(store: db.Store) -> None:
    with clock.stopped_at(dt.date(2026, 2, 1)):
        risk = records.create(Risk, title="Flooding", likelihood=2, impact=2)
        records.set_setting("review_interval_months", "12")
    with clock.stopped_at(dt.date(2026, 3, 1)):
        records.update(risk, likelihood=4)
        records.create(Risk, title="Fire", likelihood=1, impact=1)
        records.set_setting("review_interval_months", "6")
    with clock.stopped_at(dt.date(2026, 4, 1)):
        records.archive(risk)

    with as_of.records_as_of(as_of.cut_off_moment(dt.date(2026, 2, 15))) as then:
        assert [(r.title, r.likelihood, r.archived_at) for r in Risk.select()] == [
            ("Flooding", 2, None)]
        assert clock.today() == dt.date(2026, 2, 15)
        assert records.get_setting("review_interval_months") == "12"
        # The user's name was set after that day (when the test file was made).
        assert records.get_setting(records.USER_NAME_KEY) == ""
        assert then.records == 1
    with as_of.records_as_of(as_of.cut_off_moment(dt.date(2026, 4, 2))):
        archived = Risk.get(Risk.title == "Flooding")
        assert archived.likelihood == 4 and archived.archived_at is not None
        assert archived.created_at.date() == dt.date(2026, 2, 1)

    # The live file is untouched, and read through the models again after the block.
    assert Risk.select().count() == 2
    assert records.get_setting("review_interval_months") == "6"
    assert Risk.get(Risk.title == "Flooding").archived_at is not None


def test_a_file_changed_since_is_left_empty_and_named(store: db.Store) -> None:
    from qms_desktop.models import Attachment

    with clock.stopped_at(dt.date(2026, 2, 1)):
        risk = records.create(Risk, title="Flooding")
        attachment = records.create(Attachment, table_name="risk", record_id=risk.id,
                                    file_name="plan.txt", size=10, sha256="0" * 64,
                                    data=b"first plan")
    with clock.stopped_at(dt.date(2026, 3, 1)):
        records.update(attachment, size=11, data=b"second plan")

    with as_of.records_as_of(as_of.cut_off_moment(dt.date(2026, 2, 2))) as then:
        assert bytes(Attachment.get_by_id(attachment.id).data) == b""
        assert then.missing_files == [("attachment", attachment.id, "data")]
    with as_of.records_as_of(as_of.cut_off_moment(dt.date(2026, 3, 2))) as then:
        assert bytes(Attachment.get_by_id(attachment.id).data) == b"second plan"
        assert then.missing_files == []


# --- Time travel (Hypothesis) -----------------------------------------------------------------

OPERATIONS = ("nc", "nc_close", "nc_archive", "reading", "risk", "risk_update",
              "risk_archive", "role", "policy")

edits = st.lists(
    st.tuples(st.integers(0, 9), st.sampled_from(OPERATIONS), st.integers(0, 10_000)),
    min_size=1, max_size=10,
)


class _World:
    """The records a generated history edits, made on ORIGIN."""

    def __init__(self) -> None:
        records.create(Organisation, name="Kestrel Fabrication", currency="EUR")
        self.owner = records.create(Person, full_name="Ana Owner")
        self.top_role = records.create(Role, title="Managing Director", is_top_management=True)
        records.create(PersonRole, person=self.owner, role=self.top_role)
        self.quinn = records.create(Person, full_name="Quinn Officer")
        self.kpi = records.create(Kpi, name="On-time delivery", unit="%", target=95.0,
                                  frequency="monthly")
        document = policy.policy_document()
        assert document is not None
        self.document = document
        first = policy.start_draft(self.document, body="We make parts right first time.")
        policy.approve(first, self.owner, confirm_unmet=True)
        self.review = reviews.plan_review(MEETING, place="Office", chair=self.owner)
        self.counter = itertools.count(1)

    def apply(self, operation: str, n: int) -> None:
        today = clock.today()
        number = next(self.counter)
        ncs = list(Nonconformity.select().order_by(Nonconformity.reference))
        risks = list(Risk.select().order_by(Risk.title))
        if operation == "nc" or (operation.startswith("nc_") and not ncs):
            nonconformities.create_nonconformity(
                f"Scratched housing {number}", today - dt.timedelta(days=n % 20),
                severity=("minor", "major")[n % 2])
        elif operation == "nc_close":
            nc = ncs[n % len(ncs)]
            if nc.status != nonconformities.CLOSED:
                nonconformities.close(nc, today, reason="Checked in the test")
        elif operation == "nc_archive":
            records.archive(ncs[n % len(ncs)])
        elif operation == "reading":
            month = kpis.period_of(today, "monthly")
            for _ in range(n % 3):
                month = kpis.previous_period(month, "monthly")
            kpis.save_reading(self.kpi, month, float(80 + n % 20))
        elif operation == "risk" or not risks:
            records.create(Risk, title=f"Risk {number:03d}", likelihood=1 + n % 3,
                           impact=1 + (n // 3) % 3, owner=self.owner)
        elif operation == "risk_update":
            records.update(risks[n % len(risks)], likelihood=1 + n % 3, impact=1 + n % 2)
        elif operation == "risk_archive":
            records.archive(risks[n % len(risks)])
        elif operation == "role":
            held = PersonRole.get_or_none((PersonRole.person == self.quinn)
                                          & (PersonRole.role == self.top_role))
            if held is None:
                records.create(PersonRole, person=self.quinn, role=self.top_role)
            elif held.archived_at is None:
                records.archive(held)
            else:
                records.unarchive(held)
        elif operation == "policy":
            draft = policy.start_draft(self.document, body=f"Policy text, edition {number}.")
            policy.approve(draft, self.owner, confirm_unmet=True)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=edits, capture_at=st.integers(0, 9))
def test_a_pack_as_of_a_day_equals_the_pack_made_that_day(
        migrated_template: Path, tmp_path: Path,
        history: list[tuple[int, str, int]], capture_at: int) -> None:
    with _fresh_store(migrated_template, tmp_path):
        with clock.stopped_at(ORIGIN):
            world = _World()
        day = ORIGIN
        captured: dict[dt.date, str] = {}
        edits_by_step = sorted(history, key=lambda edit: edit[0])
        steps = sorted({step for step, _op, _n in edits_by_step})
        capture_step = steps[capture_at % len(steps)]
        for step in steps:
            day = ORIGIN + dt.timedelta(days=7 * (step + 1))
            with clock.stopped_at(day):
                for _step, operation, n in (e for e in edits_by_step if e[0] == step):
                    # A refused edit writes nothing: still a history to replay.
                    with contextlib.suppress(ValidationError):
                        world.apply(operation, n)
                if step == capture_step:
                    review = ManagementReview.get_by_id(world.review.id)
                    captured[day] = packs.pack_data(review, now=_noon_utc(day)).to_json()
        # A last edit after every other, so the file has moved on from every captured day.
        with clock.stopped_at(day + dt.timedelta(days=3)):
            world.apply("nc", 1)
            world.apply("policy", 2)

        (captured_day, then), = captured.items()
        review = ManagementReview.get_by_id(world.review.id)
        rebuilt = packs.pack_data(review, now=_noon_utc(captured_day), as_of=captured_day)
        assert _without_generation(rebuilt.to_json()) == _without_generation(then)


# --- Closing after the meeting ------------------------------------------------------------------


def test_a_review_closed_three_weeks_late_freezes_the_meeting_figures(store: db.Store) -> None:
    meeting = dt.date(2026, 3, 2)
    with clock.stopped_at(meeting - dt.timedelta(days=30)):
        records.create(Organisation, name="Kestrel Fabrication", currency="EUR")
        owner = records.create(Person, full_name="Ana Owner")
        role = records.create(Role, title="Managing Director", is_top_management=True)
        records.create(PersonRole, person=owner, role=role)
        before = nonconformities.create_nonconformity("Burr on flange", clock.today())
        review = reviews.plan_review(meeting, place="Office", chair=owner)
    with clock.stopped_at(meeting):
        reviews.set_attendance(review, owner, present=True, role_label="Chair")
        reviews.mark_held(review)
        for section in review_inputs.assemble_inputs(review):
            reviews.set_input_notes(review, section.code, "Discussed.", "Acceptable.")
        reviews.update_details(review, suitability="Suitable.", adequacy="Adequate.",
                               effectiveness="Effective.", strategy_alignment="Aligned.",
                               next_review_on=meeting + dt.timedelta(days=365))
    with clock.stopped_at(meeting + dt.timedelta(days=7)):
        after = nonconformities.create_nonconformity("Wrong drawing issued", clock.today())
        nonconformities.close(before, clock.today(), reason="Fixed")
    closing_day = meeting + dt.timedelta(days=21)
    with clock.stopped_at(closing_day):
        review = ManagementReview.get_by_id(review.id)
        pack = packs.close(review, owner, now=_noon_utc(closing_day),
                           reason="Accepted at the meeting.")

    frozen = json.loads(pack.snapshot)
    c4 = json.dumps(next(s for s in frozen["inputs"] if s["code"] == "c4"), ensure_ascii=False)
    assert before.reference in c4 and "Burr on flange" in c4
    assert after.reference not in c4 and "Wrong drawing issued" not in c4
    # At the meeting the burr was still open: the record says so, not its later closing.
    burr_row = next(row for table in next(s for s in frozen["inputs"] if s["code"] == "c4")[
        "tables"] for ref, row in zip(table["references"], table["rows"], strict=True)
        if ref == before.reference)
    assert "Closed" not in burr_row and closing_day.isoformat() not in c4
    assert frozen["figures_as_of"] == meeting.isoformat()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(pack.pdf))).pages[:1])
    assert "Meeting 2 March 2026 · record closed 23 March 2026 · figures as of 2 March 2026" \
        in " ".join(text.split())


def test_a_cut_off_after_the_meeting_is_refused(store: db.Store) -> None:
    with clock.stopped_at(dt.date(2026, 2, 1)):
        review = reviews.plan_review(dt.date(2026, 3, 2))
        with pytest.raises(ValidationError) as refused:
            reviews.update_details(review, cut_off_on=dt.date(2026, 3, 3))
        assert "after the meeting" in refused.value.problems["cut_off_on"]
        assert ManagementReview.get_by_id(review.id).cut_off_on is None
        reviews.update_details(review, cut_off_on=dt.date(2026, 2, 27))
        assert ManagementReview.get_by_id(review.id).cut_off() == dt.date(2026, 2, 27)


# --- The sample company and the command line --------------------------------------------------

# Columns whose dates say when something happened (not when it is due).
HAPPENED = re.compile(r"raised|closed|done on|when|received|on$|date", re.IGNORECASE)
DUE = re.compile(r"due|next|until|expires", re.IGNORECASE)


def _closed_reviews() -> list[ManagementReview]:
    return [r for r in reviews.reviews() if r.status == "closed"]


def test_sample_records_rebuilt_as_of_their_cut_off_keep_their_own_particulars(
        sample_store: db.Store) -> None:
    closed = _closed_reviews()
    assert closed
    for review in closed:
        final = reviews.final_pack(review)
        assert final is not None
        frozen = json.loads(final.snapshot)
        rebuilt = json.loads(packs.pack_data(review, as_of=review.cut_off()).to_json())
        for key in ("meeting_on", "period_start", "period_end", "place", "chair",
                    "minute_taker", "attendees", "conclusion", "next_review_on"):
            assert rebuilt[key] == frozen[key], key
        assert [(s["code"], s["commentary"], s["conclusion"]) for s in rebuilt["inputs"]] == \
            [(s["code"], s["commentary"], s["conclusion"]) for s in frozen["inputs"]]
        assert rebuilt["reconstruction"] and rebuilt["figures_as_of"] == \
            review.cut_off().isoformat()
        # Nonconformities and actions: nothing the rebuilt record lists happened after its day.
        cut_off = review.cut_off().isoformat()
        for section in rebuilt["inputs"]:
            if section["code"] not in ("a", "c4"):
                continue
            for table in section["tables"]:
                for row in table["rows"]:
                    for header, cell in zip(table["headers"], row, strict=False):
                        if DUE.search(header) or not HAPPENED.search(header):
                            continue
                        for day in re.findall(r"\d{4}-\d{2}-\d{2}", cell):
                            assert day <= cut_off, (review.meeting_on, header, cell)


def test_export_pack_as_of_on_a_closed_review_is_a_labelled_reconstruction(
        sample_store: db.Store, tmp_path: Path) -> None:
    review = _closed_reviews()[0]
    final = reviews.final_pack(review)
    assert final is not None
    stored_pdf, stored_sha = bytes(final.pdf), final.sha256
    as_of_day = review.meeting_on - dt.timedelta(days=5)
    path = sample_store.path
    sample_store.close()
    out = tmp_path / "reconstruction.pdf"

    code = cli.main(["--db", str(path), "export-pack", "--review",
                     review.meeting_on.isoformat(), "--as-of", as_of_day.isoformat(),
                     "--out", str(out)])

    assert code == 0
    label = f"Reconstruction as of {as_of_day.day} " \
            f"{as_of_day:%B} {as_of_day.year} — not the record"
    pages = PdfReader(out).pages
    assert len(pages) > 3
    for page in pages:
        assert label in " ".join(page.extract_text().split())
    assert out.read_bytes() != stored_pdf
    with db.open_database(path):
        again = ReviewPack.get_by_id(final.id)
        assert bytes(again.pdf) == stored_pdf and again.sha256 == stored_sha
        assert hashlib.sha256(bytes(again.pdf)).hexdigest() == stored_sha
        assert ManagementReview.get_by_id(review.id).status == "closed"
    # And the plain export still gives back the frozen record, byte for byte.
    record = tmp_path / "record.pdf"
    assert cli.main(["--db", str(path), "export-pack", "--review",
                     review.meeting_on.isoformat(), "--out", str(record)]) == 0
    assert record.read_bytes() == stored_pdf


@pytest.mark.parametrize("bad", ["2025-13-01", "31/12/2025", "yesterday", "2999-01-01"])
def test_export_pack_refuses_a_bad_as_of_date(store: db.Store, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              bad: str) -> None:
    path = store.path
    store.close()
    out = tmp_path / "pack.pdf"
    code = cli.main(["--db", str(path), "export-pack", "--as-of", bad, "--out", str(out)])
    assert code == 2
    message = capsys.readouterr().err
    assert "--as-of" in message and bad in message and "Traceback" not in message
    assert not out.exists()


def test_a_held_review_still_being_minuted_prints_its_meeting_figures(store: db.Store) -> None:
    meeting = dt.date(2026, 3, 2)
    with clock.stopped_at(meeting - dt.timedelta(days=30)):
        records.create(Organisation, name="Kestrel Fabrication", currency="EUR")
        owner = records.create(Person, full_name="Ana Owner")
        before = nonconformities.create_nonconformity("Burr on flange", clock.today())
        review = reviews.plan_review(meeting, place="Office", chair=owner)
    with clock.stopped_at(meeting):
        reviews.mark_held(review)
    with clock.stopped_at(meeting + dt.timedelta(days=7)):
        after = nonconformities.create_nonconformity("Wrong drawing issued", clock.today())
    with clock.stopped_at(meeting + dt.timedelta(days=14)):
        data = packs.pack_data(ManagementReview.get_by_id(review.id))
        # Planned for a later day, the pack is of the records as they are.
        upcoming = reviews.plan_review(meeting + dt.timedelta(days=90))
        ahead = packs.pack_data(upcoming)

    c4 = json.dumps(next(s for s in json.loads(data.to_json())["inputs"] if s["code"] == "c4"),
                    ensure_ascii=False)
    assert before.reference in c4
    assert after.reference not in c4
    assert data.figures_as_of == meeting.isoformat()
    assert data.reconstruction == ""
    assert ahead.figures_as_of == (meeting + dt.timedelta(days=14)).isoformat()
