"""Management reviews: planning and the due date, inputs for a period (empty period, first
review), the pre-meeting check, decisions into the tracker, closing and freezing, and
byte-identical regeneration of a closed review's pack."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from qms_desktop import (
    actions,
    cli,
    db,
    formatting,
    packs,
    readiness,
    records,
    review_inputs,
    reviews,
)
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    Action,
    ChangeHistory,
    Feedback,
    ManagementReview,
    Organisation,
    Person,
    PersonRole,
    ReviewPack,
    Role,
)

TODAY = dt.date.today()
NOW = dt.datetime(2026, 1, 15, 9, 30)
# These small test companies have readiness gaps and no audit: closing them needs a reason.
ANYWAY = "Accepted at the meeting: the gaps are planned for next quarter."


@pytest.fixture
def org(store: db.Store) -> Organisation:
    return records.create(Organisation, name="Kestrel Fabrication", currency="EUR")


@pytest.fixture
def owner(store: db.Store) -> Person:
    person = records.create(Person, full_name="Ana Owner")
    role = records.create(Role, title="Managing Director", is_top_management=True)
    records.create(PersonRole, person=person, role=role)
    return person


@pytest.fixture
def officer(store: db.Store) -> Person:
    return records.create(Person, full_name="Quinn Officer")


def _held_review(owner: Person, meeting_on: dt.date) -> ManagementReview:
    review = reviews.plan_review(meeting_on, place="Office", chair=owner)
    reviews.set_attendance(review, owner, present=True, role_label="Chair")
    reviews.mark_held(review)
    return review


def _complete_minutes(review: ManagementReview, owner: Person) -> None:
    for section in review_inputs.assemble_inputs(review):
        reviews.set_input_notes(review, section.code, "Discussed.", "Acceptable.")
    reviews.update_details(review, suitability="Suitable.", adequacy="Adequate.",
                           effectiveness="Effective.", strategy_alignment="Aligned.",
                           next_review_on=TODAY + dt.timedelta(days=365))
    reviews.add_decision(review, "improvement", "Add a second supplier for bar stock",
                         owner, TODAY + dt.timedelta(days=60))


# --- Planning and the due date ----------------------------------------------------------------


def test_first_review_period_runs_back_one_interval(org: Organisation, owner: Person) -> None:
    review = reviews.plan_review(dt.date(2026, 6, 30), chair=owner)
    assert review.period_start == dt.date(2025, 6, 30)
    assert review.period_end == dt.date(2026, 6, 30)


def test_next_period_starts_after_the_previous_one(org: Organisation, owner: Person) -> None:
    first = _held_review(owner, TODAY - dt.timedelta(days=400))
    second = reviews.plan_review(TODAY + dt.timedelta(days=10), chair=owner)
    assert second.period_start == first.period_end + dt.timedelta(days=1)


def test_overdue_review_is_worded_for_the_owner(org: Organisation, owner: Person) -> None:
    _held_review(owner, TODAY - dt.timedelta(days=14 * 31))
    due = reviews.review_due(TODAY)
    assert due.overdue_months >= 1
    assert due.sentence(TODAY) == "9.3: the last review was 14 months ago, planned every 12."
    texts = [f.text for f in readiness.findings(TODAY)]
    assert due.sentence(TODAY) in texts


def test_no_review_ever_is_a_gap(org: Organisation) -> None:
    found = [f for f in readiness.findings(TODAY) if f.clause == "9.3"]
    assert found and found[0].severity == readiness.GAP


def test_a_review_cannot_be_held_before_its_date(org: Organisation, owner: Person) -> None:
    review = reviews.plan_review(TODAY + dt.timedelta(days=3), chair=owner)
    with pytest.raises(ValidationError):
        reviews.mark_held(review)
    assert ManagementReview.get_by_id(review.id).status == "planned"


# --- Inputs and the pre-meeting check --------------------------------------------------------


def test_empty_period_lists_every_input_as_missing(org: Organisation, owner: Person) -> None:
    review = reviews.plan_review(TODAY, chair=owner)
    missing = review_inputs.pre_meeting_check(review)
    codes = [line.split(")")[0] for line in missing]
    assert codes == ["a", "b", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "d", "e", "f"]
    assert all("Nothing recorded yet" in line for line in missing[1:])
    assert missing[0].startswith("a) Actions from previous reviews: First review")


def test_2026_edition_adds_interested_parties_input(org: Organisation, owner: Person) -> None:
    records.update(org, edition="2026")
    review = reviews.plan_review(TODAY, chair=owner)
    codes = [s.code for s in review_inputs.assemble_inputs(review)]
    assert "b2" in codes and codes.index("b2") == codes.index("b") + 1


def test_feedback_in_the_period_fills_c1_and_outside_does_not(org: Organisation,
                                                                owner: Person) -> None:
    review = reviews.plan_review(TODAY, chair=owner)
    records.create(Feedback, kind="complaint", customer="Acme", description="Late",
                   received_on=review.period_start - dt.timedelta(days=5))
    assert "c1)" in " ".join(review_inputs.pre_meeting_check(review))
    records.create(Feedback, kind="complaint", customer="Acme", description="Scratched",
                   received_on=review.period_end - dt.timedelta(days=5))
    assert "c1)" not in " ".join(review_inputs.pre_meeting_check(review))


def test_previous_review_actions_feed_input_a(org: Organisation, owner: Person) -> None:
    earlier = _held_review(owner, TODAY - dt.timedelta(days=300))
    decision = reviews.add_decision(earlier, "resource", "Buy a height gauge", owner,
                                    TODAY - dt.timedelta(days=10))
    action = Action.get_by_id(decision.action_id)
    records.update(action, due_on=TODAY - dt.timedelta(days=5))
    review = reviews.plan_review(TODAY, chair=owner)
    section = review_inputs.input_a(review, review_inputs.period_of(review), TODAY)
    assert section.has_data
    row = section.tables[0].rows[0]
    assert row[0] == "Buy a height gauge"
    assert row[2] == (TODAY - dt.timedelta(days=10)).isoformat()  # originally due
    assert row[3] == (TODAY - dt.timedelta(days=5)).isoformat()  # moved to
    assert section.tables[0].marks == ["overdue"]


def test_input_a_leaves_out_actions_closed_before_the_period(org: Organisation,
                                                              owner: Person) -> None:
    first = _held_review(owner, TODAY - dt.timedelta(days=700))
    second = _held_review(owner, TODAY - dt.timedelta(days=350))
    old = reviews.add_decision(first, "improvement", "Label the gauges", owner,
                               TODAY - dt.timedelta(days=600))
    actions.complete(Action.get_by_id(old.action_id), TODAY - dt.timedelta(days=500),
                     "Labels fitted")
    late = reviews.add_decision(second, "resource", "Second CMM probe", owner,
                                TODAY - dt.timedelta(days=200))
    actions.complete(Action.get_by_id(late.action_id), TODAY - dt.timedelta(days=100),
                     "Invoice 4471")
    reviews.add_decision(second, "qms_change", "Merge the two NC forms", owner,
                         TODAY + dt.timedelta(days=20))
    archived = reviews.add_decision(second, "improvement", "Entered by mistake", owner,
                                    TODAY + dt.timedelta(days=20))
    records.archive(Action.get_by_id(archived.action_id))
    review = reviews.plan_review(TODAY, chair=owner)
    period = review_inputs.period_of(review)
    assert period[0] == second.meeting_on + dt.timedelta(days=1)
    section = review_inputs.input_a(review, period, TODAY)
    titles = [row[0] for row in section.tables[0].rows]
    assert titles == ["Second CMM probe", "Merge the two NC forms"]
    assert any(f"1 action closed before the review of {second.meeting_on}" in line
               and "not listed again" in line for line in section.summary)
    # Closed after the last review but before a period chosen to start later: still listed.
    reviews.update_details(review, period_start=TODAY - dt.timedelta(days=50))
    section = review_inputs.input_a(review, review_inputs.period_of(review), TODAY)
    assert [row[0] for row in section.tables[0].rows] == titles


def test_decision_needs_owner_and_date_and_becomes_an_action(org: Organisation,
                                                               owner: Person) -> None:
    review = _held_review(owner, TODAY)
    with pytest.raises(ValidationError) as refused:
        reviews.add_decision(review, "improvement", "Something", None, None)
    assert set(refused.value.problems) == {"owner", "due_on"}
    decision = reviews.add_decision(review, "qms_change", "Merge two procedures", owner,
                                    TODAY + dt.timedelta(days=30))
    action = Action.get_by_id(decision.action_id)
    assert action.source_table == "review_decision" and action.source_id == decision.id
    assert action.original_due_on == TODAY + dt.timedelta(days=30)


# --- Leadership evidence ----------------------------------------------------------------------


def test_leadership_warns_when_only_others_act(org: Organisation, owner: Person,
                                               officer: Person) -> None:
    review = reviews.plan_review(TODAY, chair=None)
    period = review_inputs.period_of(review)
    from qms_desktop.models import ResourceRequest

    request = records.create(ResourceRequest, title="Gauge", amount_minor=1000, currency="EUR",
                             requested_on=TODAY)
    records.update(request, decision="approved", decided_by=officer, decided_on=TODAY)
    table, warning = review_inputs.leadership_evidence(period)
    assert "outside top management" in warning
    records.update(request, decided_by=owner)
    table, warning = review_inputs.leadership_evidence(period)
    assert warning == ""
    assert table.rows[0][1] == "Ana Owner" and table.rows[0][3] == "Yes"


# --- Closing and freezing ---------------------------------------------------------------------


def test_closing_needs_minutes_and_freezes_the_review(org: Organisation, owner: Person) -> None:
    review = _held_review(owner, TODAY)
    with pytest.raises(ValidationError) as refused:
        packs.close(review, owner, now=NOW, reason=ANYWAY)
    assert "suitability" in refused.value.problems
    assert ManagementReview.get_by_id(review.id).status == "held"
    assert not ReviewPack.select().exists()

    _complete_minutes(review, owner)
    pack = packs.close(review, owner, now=NOW, reason=ANYWAY)
    review = ManagementReview.get_by_id(review.id)
    assert review.status == "closed" and review.closed_by_top_management
    assert pack.is_final and pack.sha256 == hashlib.sha256(bytes(pack.pdf)).hexdigest()
    with pytest.raises(reviews.ReviewClosed):
        reviews.set_input_notes(review, "a", "changed", "changed")
    with pytest.raises(reviews.ReviewClosed):
        reviews.add_decision(review, "improvement", "Late idea", owner, TODAY)


def test_closing_by_someone_outside_top_management_is_refused(
        org: Organisation, owner: Person, officer: Person) -> None:
    review = _held_review(owner, TODAY)
    _complete_minutes(review, owner)
    history_before = ChangeHistory.select().count()
    with pytest.raises(ValidationError) as refused:
        packs.close(review, officer, now=NOW, reason=ANYWAY)
    assert set(refused.value.problems) == {"closed_by"}
    assert "Quinn Officer" in refused.value.problems["closed_by"]
    review = ManagementReview.get_by_id(review.id)
    assert review.status == "held" and review.closed_by is None and review.closed_at is None
    assert not ReviewPack.select().exists()
    assert ChangeHistory.select().count() == history_before
    assert reviews.closing_check(review, owner).problems == {}


def test_closing_signs_the_review_and_the_frozen_pack_prints_the_sign_off(
        org: Organisation, owner: Person) -> None:
    review = _held_review(owner, TODAY)
    _complete_minutes(review, owner)
    pack = packs.close(review, owner, now=NOW, reason=ANYWAY)
    review = ManagementReview.get_by_id(review.id)
    assert review.closed_by == owner and review.closed_at is not None
    assert review.signed_title == "Managing Director"
    assert review.signature_meaning == reviews.SIGNATURE_MEANING
    # A role renamed afterwards does not change what was signed.
    records.update(Role.get(), title="Chief Executive")
    assert ManagementReview.get_by_id(review.id).signed_title == "Managing Director"

    snapshot_sha256 = hashlib.sha256(pack.snapshot.encode("utf-8")).hexdigest()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(bytes(pack.pdf))).pages]
    sign_off = next(t for t in pages if "Sign-off" in t and "Signed by" in t)
    flat = " ".join(sign_off.split())
    assert "Ana Owner, Managing Director" in flat
    assert "Approved as the record of this management review" in flat
    assert f"{formatting.timestamp(review.closed_at)} UTC" in flat
    assert snapshot_sha256 in flat.replace(" ", "")
    html = packs.build_html(review)
    assert "Ana Owner, Managing Director" in html and snapshot_sha256 in html


def test_the_top_managers_title_stands_beside_their_name(
        org: Organisation, owner: Person, officer: Person) -> None:
    review = _held_review(owner, TODAY)
    reviews.set_attendance(review, officer, present=True, role_label="Quality officer")
    _complete_minutes(review, owner)
    pack = packs.close(review, owner, now=NOW, reason=ANYWAY)
    pages = [" ".join(page.extract_text().split())
             for page in PdfReader(io.BytesIO(bytes(pack.pdf))).pages]
    cover = pages[0]
    assert "Chair Ana Owner, Managing Director" in cover  # the cover's particulars
    attendance = cover[cover.index("Attendees"):]
    assert "Ana Owner, Managing Director Chair Yes" in attendance
    assert "Quinn Officer Quality officer" in attendance  # no title outside top management
    sign_off = next(t for t in pages if "Signed by" in t)
    assert "Ana Owner, Managing Director" in sign_off
    html = packs.build_html(ManagementReview.get_by_id(review.id))
    assert html.count("Ana Owner, Managing Director") >= 3


def test_export_pack_says_the_frozen_pdfs_sha256(db_path, tmp_path, capsys) -> None:
    """The PDF cannot hold its own hash: export-pack says it after writing the file."""
    with db.open_database(db_path):
        records.create(Organisation, name="Kestrel Fabrication")
        boss = records.create(Person, full_name="Ana Owner")
        role = records.create(Role, title="Managing Director", is_top_management=True)
        records.create(PersonRole, person=boss, role=role)
        review = _held_review(boss, TODAY)
        _complete_minutes(review, boss)
        sha256 = packs.close(review, boss, now=NOW, reason=ANYWAY).sha256
    out = tmp_path / "closed.pdf"
    assert cli.run(["export-pack", "--db", str(db_path), "--review", TODAY.isoformat(),
                    "--out", str(out)], open_window=lambda *a: 0) == 0
    said = capsys.readouterr()
    assert f"SHA-256 of the frozen PDF: {sha256}" in said.out + said.err
    assert hashlib.sha256(out.read_bytes()).hexdigest() == sha256


def test_closed_pack_regenerates_byte_for_byte(org: Organisation, owner: Person) -> None:
    review = _held_review(owner, TODAY)
    _complete_minutes(review, owner)
    pack = packs.close(review, owner, now=NOW, reason=ANYWAY)
    review = ManagementReview.get_by_id(review.id)
    # The records move on after the meeting; the closed pack must not.
    records.create(Feedback, kind="complaint", customer="Late Ltd", description="After",
                   received_on=TODAY)
    records.update(owner, full_name="Ana Renamed")
    again = packs.build_pdf(review, now=dt.datetime(2030, 1, 1))
    assert again == bytes(pack.pdf)


def test_closed_pack_survives_a_change_of_layout(org: Organisation, owner: Person,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """An update of the product's layout or of reportlab must not make a closed review's
    record unreadable: its frozen PDF comes back as stored."""
    review = _held_review(owner, TODAY)
    _complete_minutes(review, owner)
    pack = packs.close(review, owner, now=NOW, reason=ANYWAY)
    monkeypatch.setattr(packs, "render_pdf", lambda _data: b"%PDF-1.4 another layout")
    again = packs.build(ManagementReview.get_by_id(review.id), "pdf")
    assert again == bytes(pack.pdf)


def test_c6_counts_read_as_english_and_held_never_exceeds_planned(
        org: Organisation, owner: Person) -> None:
    from qms_desktop.models import Audit
    period = (TODAY - dt.timedelta(days=60), TODAY)
    # Planned before the period, held inside it.
    records.create(Audit, title="Internal audit: Purchasing", status="done",
                   planned_on=TODAY - dt.timedelta(days=90), held_on=TODAY - dt.timedelta(days=5))
    review = reviews.plan_review(TODAY, chair=owner, place="Boardroom")
    section = review_inputs.input_c6(review, period, TODAY)
    assert section.summary[0] == "1 internal audit held of 1 planned in the period."
    assert review_inputs._count(1, "period") == "1 period"
    assert review_inputs._count(3, "minor nonconformity", "minor nonconformities") == (
        "3 minor nonconformities")


def test_tampered_pack_is_detected(org: Organisation, owner: Person) -> None:
    review = _held_review(owner, TODAY)
    _complete_minutes(review, owner)
    pack = packs.close(review, owner, now=NOW, reason=ANYWAY)
    ReviewPack.update(sha256="0" * 64).where(ReviewPack.id == pack.id).execute()
    with pytest.raises(packs.PackChanged):
        packs.build_pdf(ManagementReview.get_by_id(review.id))


def _words(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_only_the_frozen_pack_is_the_record(org: Organisation, owner: Person) -> None:
    """Before the meeting and after it, until closed, the pack is a draft; only the frozen
    pack calls itself the record."""
    review = reviews.plan_review(TODAY, chair=owner, place="Boardroom")
    reviews.set_attendance(review, owner, present=True, role_label="Managing Director")
    planned = PdfReader(io.BytesIO(packs.build_pdf(review, now=NOW)))
    assert all("DRAFT" in page.extract_text() for page in planned.pages)
    reviews.mark_held(review)
    held = PdfReader(io.BytesIO(packs.build_pdf(review, now=NOW)))
    assert all("DRAFT" in page.extract_text() for page in held.pages)
    text = "\n".join(page.extract_text() for page in held.pages)
    assert "Ana Owner" in text and "Boardroom" in text
    assert "the meeting was held" in " ".join(text.split())
    for words in (text, packs.build_html(review, now=NOW)):
        assert not re.search(r"\brecord\b", words, re.IGNORECASE)
    _complete_minutes(review, owner)
    frozen = _words(bytes(packs.close(review, owner, now=NOW, reason=ANYWAY).pdf))
    assert "DRAFT" not in frozen and "Record of the meeting" in frozen


def test_draft_versions_count_the_distinct_contents_exported(
        org: Organisation, owner: Person) -> None:
    review = _held_review(owner, TODAY)
    assert "Pack version 1" in _words(packs.export(review, "pdf", now=NOW))
    # The same content again, later, or as a web page: the same version.
    assert "Pack version 1" in _words(packs.export(review, "pdf", now=NOW + dt.timedelta(1)))
    assert "Pack version 1 " in packs.export(review, "html", now=NOW).decode("utf-8")
    assert packs.pack_data(review, now=NOW).pack_version == 1
    # A preview of new content shows the number it would take, and does not count.
    reviews.set_input_notes(review, "a", "Discussed the open actions.", "On track.")
    assert packs.pack_data(review, now=NOW).pack_version == 2
    assert packs.pack_data(review, now=NOW).pack_version == 2
    assert "Pack version 2" in _words(packs.export(review, "pdf", now=NOW))
    assert "Pack version 2" in _words(packs.export(review, "pdf", now=NOW))
    # Back to content exported before: its version, not a new one.
    reviews.set_input_notes(review, "a", "", "")
    assert "Pack version 1" in _words(packs.export(review, "pdf", now=NOW))
    assert ReviewPack.select().where(ReviewPack.is_final == False).count() == 2  # noqa: E712
    _complete_minutes(review, owner)
    final = packs.close(review, owner, now=NOW, reason=ANYWAY)
    assert final.pack_version == 3 and "Pack version 3" in _words(bytes(final.pdf))


def test_readiness_findings_appear_in_the_pack(org: Organisation, owner: Person) -> None:
    review = reviews.plan_review(TODAY, chair=owner)
    data = packs.pack_data(review, now=NOW)
    assert [f.text for f in data.readiness] == [
        f.text for f in readiness.findings(NOW.date())
    ]


# --- Command line -----------------------------------------------------------------------------


def test_cli_lists_reviews_and_exports_packs(db_path, tmp_path, capsys) -> None:
    with db.open_database(db_path):
        records.create(Organisation, name="Kestrel Fabrication")
        chair = records.create(Person, full_name="Zoë Łukasz")
        first = reviews.plan_review(dt.date(2025, 3, 4), chair=chair)
        reviews.plan_review(dt.date(2026, 3, 4), chair=chair)
    assert cli.run(["reviews", "--db", str(db_path)], open_window=lambda *a: 0) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in listed] == ["2026-03-04", "2025-03-04"]
    assert all(line.split()[2] == "planned" for line in listed)

    out = tmp_path / "pack.pdf"
    assert cli.run(["export-pack", "--db", str(db_path), "--review", "2025-03-04",
                    "--out", str(out)], open_window=lambda *a: 0) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "4 March 2025" in text or "2025-03-04" in text
    html = tmp_path / "pack.html"
    assert cli.run(["export-pack", "--db", str(db_path), "--review", first.id[:13],
                    "--format", "html", "--out", str(html)], open_window=lambda *a: 0) == 0
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert cli.run(["export-pack", "--db", str(db_path), "--review", "1999-01-01",
                    "--out", str(tmp_path / "none.pdf")], open_window=lambda *a: 0) != 0
    assert "No review" in capsys.readouterr().err
