"""The quality policy (5.2): versions, the 5.2.1 check, communication and acknowledgement."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from qms_desktop import policy, records
from qms_desktop.clauses import POLICY_POINTS
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    Acknowledgement,
    ChangeHistory,
    Communication,
    DocumentVersion,
    Person,
    PersonRole,
    PolicyCheck,
    Role,
)

TEXT = (
    "We make parts that fit our customers' machines.\n"
    "We set yearly quality objectives from this policy.\n"
    "We meet customer and legal requirements.\n"
    "We keep improving our quality system."
)
EVIDENCE = {
    "purpose": "We make parts that fit our customers' machines.",
    "objectives_framework": "We set yearly quality objectives from this policy.",
    "requirements": "We meet customer and legal requirements.",
    "improvement": "We keep improving our quality system.",
}
DAY = dt.date(2024, 3, 1)


def person(name: str, *, top: bool = False) -> Person:
    found = records.create(Person, full_name=name)
    if top:
        role = records.create(Role, title=f"Director ({name})", is_top_management=True)
        records.create(PersonRole, person=found, role=role)
    return found


def fresh(version: DocumentVersion) -> DocumentVersion:
    return DocumentVersion.get_by_id(version.id)


def check_all(version: DocumentVersion) -> None:
    for key, sentence in EVIDENCE.items():
        policy.set_check(version, key, True, sentence)


def approved_version(approver: Person, body: str = TEXT) -> DocumentVersion:
    draft = policy.start_draft(policy.policy_document(), body)
    check_all(draft)
    policy.approve(draft, approver)
    return draft


# --- One version in force -------------------------------------------------------------------


def test_approving_a_second_version_supersedes_the_first(store):
    boss = person("Ada Boss", top=True)
    document = policy.policy_document()
    v1 = approved_version(boss)
    v2 = policy.start_draft(document)
    policy.edit_draft(v2, TEXT + "\nWe listen to our staff.")
    check_all(v2)
    result = policy.approve(v2, boss)

    assert result.superseded is not None and result.superseded.id == v1.id
    assert fresh(v1).status == "superseded"
    assert fresh(v2).status == "approved"
    assert policy.in_force(document).id == v2.id
    approved = DocumentVersion.select().where(
        (DocumentVersion.document == document) & (DocumentVersion.status == "approved")
    )
    assert approved.count() == 1
    assert [v.number for v in policy.versions(document)] == [2, 1]


def test_policy_document_is_created_once(store):
    first = policy.policy_document()
    assert policy.policy_document().id == first.id
    assert policy.policy_document(create=False).id == first.id


def test_nothing_in_force_without_a_policy(store):
    assert policy.policy_document(create=False) is None
    assert policy.in_force() is None


# --- Approved and superseded versions are frozen ---------------------------------------------


@pytest.mark.parametrize("state", ["approved", "superseded"])
def test_approved_and_superseded_versions_cannot_be_edited(store, state):
    boss = person("Ada Boss", top=True)
    v1 = approved_version(boss)
    if state == "superseded":
        approved_version(boss, TEXT + "\nA second version.")
    v1 = fresh(v1)
    assert v1.status == state

    with pytest.raises(ValidationError, match="can no longer be changed"):
        policy.edit_draft(v1, "Something else entirely.")
    with pytest.raises(ValidationError):
        policy.set_check(v1, "purpose", False, "")
    stored = fresh(v1)
    assert stored.body == TEXT
    assert policy.checks(stored)["purpose"].met is True
    assert policy.checks(stored)["purpose"].evidence == EVIDENCE["purpose"]


def test_a_stale_copy_of_an_approved_draft_cannot_be_edited(store):
    boss = person("Ada Boss", top=True)
    draft = policy.start_draft(policy.policy_document(), TEXT)
    stale = fresh(draft)  # the editor's copy, read before approval
    check_all(draft)
    policy.approve(draft, boss)

    with pytest.raises(ValidationError):
        policy.edit_draft(stale, "Rewritten after approval.")
    stored = fresh(draft)
    assert stored.status == "approved"
    assert stored.body == TEXT


def test_cannot_approve_twice(store):
    boss = person("Ada Boss", top=True)
    v1 = approved_version(boss)
    with pytest.raises(ValidationError):
        policy.approve(v1, boss)


# --- Drafts ---------------------------------------------------------------------------------


def test_a_new_draft_copies_the_text_in_force_and_there_is_only_one(store):
    boss = person("Ada Boss", top=True)
    document = policy.policy_document()
    v1 = approved_version(boss)

    draft = policy.start_draft(document)
    assert draft.number == 2
    assert draft.status == "draft"
    assert draft.body == v1.body
    # Evidence sentences still in the text carry over, but each point is asked again.
    carried = policy.checks(draft)
    assert {k: c.evidence for k, c in carried.items()} == EVIDENCE
    assert not any(c.met for c in carried.values())

    again = policy.start_draft(document, "A different text.")
    assert again.id == draft.id
    assert fresh(draft).body == TEXT
    drafts = DocumentVersion.select().where(DocumentVersion.status == "draft")
    assert drafts.count() == 1


def test_first_draft_is_empty_or_given_text(store):
    document = policy.policy_document()
    draft = policy.start_draft(document)
    assert draft.number == 1
    assert draft.body == ""
    assert set(policy.checks(draft)) == {p.key for p in POLICY_POINTS}


def test_edit_draft_refuses_empty_text(store):
    draft = policy.start_draft(policy.policy_document(), TEXT)
    with pytest.raises(ValidationError):
        policy.edit_draft(draft, "   \n")
    assert fresh(draft).body == TEXT


def test_editing_away_an_evidence_sentence_unlinks_it(store):
    draft = policy.start_draft(policy.policy_document(), TEXT)
    check_all(draft)
    policy.edit_draft(draft, TEXT.replace(EVIDENCE["improvement"], "We do our best."))

    stored = policy.checks(fresh(draft))
    assert stored["improvement"].met is False
    assert stored["improvement"].evidence == ""
    assert stored["purpose"].met is True
    assert [p.key for p in policy.unmet_points(fresh(draft))] == ["improvement"]


# --- The 5.2.1 check ------------------------------------------------------------------------


def test_unmet_points_need_confirmation_and_change_nothing(store):
    boss = person("Ada Boss", top=True)
    draft = policy.start_draft(policy.policy_document(), TEXT)
    policy.set_check(draft, "purpose", True, EVIDENCE["purpose"])
    policy.set_check(draft, "requirements", True)
    history_before = ChangeHistory.select().count()

    with pytest.raises(policy.NeedsConfirmation) as caught:
        policy.approve(draft, boss)

    assert [p.key for p in caught.value.unmet] == ["objectives_framework", "improvement"]
    message = caught.value.problems["checks"]
    assert "Framework for objectives" in message
    assert "Commits to continual improvement" in message
    assert "Fits the purpose" not in message
    stored = fresh(draft)
    assert stored.status == "draft"
    assert stored.approved_by_id is None
    assert stored.approved_at is None
    assert ChangeHistory.select().count() == history_before


def test_confirmed_approval_with_unmet_points_records_them(store):
    boss = person("Ada Boss", top=True)
    draft = policy.start_draft(policy.policy_document(), TEXT)
    policy.set_check(draft, "purpose", True)
    policy.set_check(draft, "requirements", True)

    result = policy.approve(draft, boss, confirm_unmet=True, note="Board meeting 4")

    stored = fresh(draft)
    assert stored.status == "approved"
    assert "Board meeting 4" in stored.approval_note
    assert "Framework for objectives" in stored.approval_note
    assert "Commits to continual improvement" in stored.approval_note
    assert "Fits the purpose" not in stored.approval_note
    assert [p.key for p in result.unmet] == ["objectives_framework", "improvement"]
    assert any("unmet" in w for w in result.warnings)


def test_all_points_met_needs_no_confirmation(store):
    boss = person("Ada Boss", top=True)
    draft = policy.start_draft(policy.policy_document(), TEXT)
    check_all(draft)
    assert policy.unmet_points(draft) == []
    result = policy.approve(draft, boss)
    assert result.unmet == []
    assert result.warnings == []
    assert fresh(draft).approval_note == ""


def test_unchecking_a_point_makes_it_unmet_again(store):
    draft = policy.start_draft(policy.policy_document(), TEXT)
    check_all(draft)
    policy.set_check(draft, "requirements", False)
    assert [p.key for p in policy.unmet_points(draft)] == ["requirements"]


def test_evidence_must_be_a_sentence_of_the_text(store):
    draft = policy.start_draft(policy.policy_document(), TEXT)
    with pytest.raises(ValidationError) as caught:
        policy.set_check(draft, "improvement", True, "We aim to be the best in the world.")
    assert "improvement" in caught.value.problems
    stored = policy.checks(draft)["improvement"]
    assert stored.met is False
    assert stored.evidence == ""

    policy.set_check(draft, "improvement", True, "  " + EVIDENCE["improvement"] + " ")
    assert policy.checks(draft)["improvement"].evidence == EVIDENCE["improvement"]


def test_unknown_point_is_refused(store):
    draft = policy.start_draft(policy.policy_document(), TEXT)
    with pytest.raises(ValueError, match="unknown policy point"):
        policy.set_check(draft, "be_nice", True)


def test_approval_needs_an_approver_and_a_text(store):
    boss = person("Ada Boss", top=True)
    draft = policy.start_draft(policy.policy_document())
    with pytest.raises(ValidationError) as caught:
        policy.approve(draft, None)  # type: ignore[arg-type]
    assert "approver" in caught.value.problems
    with pytest.raises(ValidationError) as caught:
        policy.approve(draft, boss, confirm_unmet=True)
    assert "body" in caught.value.problems
    assert fresh(draft).status == "draft"


# --- Who approved ---------------------------------------------------------------------------


def test_approval_outside_top_management_is_recorded_and_warned(store):
    clerk = person("Quentin Quality")
    draft = policy.start_draft(policy.policy_document(), TEXT)
    check_all(draft)
    result = policy.approve(draft, clerk)

    stored = fresh(draft)
    assert stored.status == "approved"
    assert stored.approved_by_id == clerk.id
    assert stored.approved_by_top_management is False
    assert "not in a top-management role" in stored.approval_note
    assert result.by_top_management is False
    assert len(result.warnings) == 1
    assert "Quentin Quality" in result.warnings[0]


def test_approval_by_top_management_has_no_warning(store):
    boss = person("Ada Boss", top=True)
    draft = policy.start_draft(policy.policy_document(), TEXT)
    check_all(draft)
    result = policy.approve(draft, boss)
    assert fresh(draft).approved_by_top_management is True
    assert result.by_top_management is True
    assert result.warnings == []


def test_a_left_or_archived_top_role_does_not_count(store):
    someone = person("Former Director")
    role = records.create(Role, title="Director", is_top_management=True)
    link = records.create(PersonRole, person=someone, role=role)
    assert policy.is_top_management(someone)
    records.archive(link)
    assert not policy.is_top_management(someone)
    records.unarchive(link)
    records.archive(role)
    assert not policy.is_top_management(someone)
    assert not policy.is_top_management(None)
    ordinary = records.create(Role, title="Storekeeper")
    records.create(PersonRole, person=someone, role=ordinary)
    assert not policy.is_top_management(someone)


# --- Acknowledgement and communication -----------------------------------------------------


def test_acknowledgement_belongs_to_one_version(store):
    boss = person("Ada Boss", top=True)
    worker = person("Wendy Worker")
    v1 = approved_version(boss)
    policy.acknowledge(v1, worker, DAY)
    assert worker.id not in {p.id for p in policy.not_acknowledged(v1)}

    v2 = approved_version(boss, TEXT + "\nNew line.")
    assert worker.id in {p.id for p in policy.not_acknowledged(v2)}
    assert policy.acknowledged_by(v2) == []
    assert [a.person_id for a in policy.acknowledged_by(fresh(v1))] == [worker.id]


def test_not_acknowledged_lists_active_people_only(store):
    boss = person("Ada Boss", top=True)
    person("Wendy Worker")
    leaver = person("Larry Left")
    records.update(leaver, active=False, left_on=DAY)
    archived = person("Archie Archived")
    records.archive(archived)
    v1 = approved_version(boss)

    assert [p.full_name for p in policy.not_acknowledged(v1)] == ["Ada Boss", "Wendy Worker"]
    policy.acknowledge(v1, boss, DAY)
    assert [p.full_name for p in policy.not_acknowledged(v1)] == ["Wendy Worker"]


def test_acknowledging_twice_changes_nothing(store):
    boss = person("Ada Boss", top=True)
    v1 = approved_version(boss)
    first = policy.acknowledge(v1, boss, DAY)
    history = ChangeHistory.select().count()
    second = policy.acknowledge(v1, boss, DAY + dt.timedelta(days=3))
    assert second.id == first.id
    assert Acknowledgement.select().count() == 1
    assert Acknowledgement.get_by_id(first.id).acknowledged_on == DAY
    assert ChangeHistory.select().count() == history


def test_an_archived_acknowledgement_is_restored_not_duplicated(store):
    boss = person("Ada Boss", top=True)
    v1 = approved_version(boss)
    first = policy.acknowledge(v1, boss, DAY)
    records.archive(first)
    assert [p.id for p in policy.not_acknowledged(v1)] == [boss.id]
    again = policy.acknowledge(v1, boss, DAY)
    assert again.id == first.id
    assert Acknowledgement.select().count() == 1
    assert policy.not_acknowledged(v1) == []


def test_several_people_acknowledge_at_once(store):
    boss = person("Ada Boss", top=True)
    worker = person("Wendy Worker")
    v1 = approved_version(boss)
    made = policy.acknowledge_all(v1, [worker.id, boss.id], DAY)
    assert [a.person_id for a in made] == [worker.id, boss.id]
    assert policy.not_acknowledged(v1) == []


def test_a_draft_cannot_be_acknowledged_or_communicated(store):
    boss = person("Ada Boss", top=True)
    draft = policy.start_draft(policy.policy_document(), TEXT)
    with pytest.raises(ValidationError):
        policy.acknowledge(draft, boss, DAY)
    with pytest.raises(ValidationError):
        policy.record_communication(draft, "meeting", DAY, "Everyone")
    assert Acknowledgement.select().count() == 0
    assert Communication.select().count() == 0


def test_communication_is_recorded(store):
    boss = person("Ada Boss", top=True)
    v1 = approved_version(boss)
    made = policy.record_communication(v1, "notice_board", DAY, "  All staff ", boss)
    stored = Communication.get_by_id(made.id)
    assert stored.version_id == v1.id
    assert stored.method == "notice_board"
    assert stored.communicated_on == DAY
    assert stored.audience == "All staff"
    assert stored.communicated_by_id == boss.id


# --- Side by side ---------------------------------------------------------------------------


def test_side_by_side_marks_added_removed_and_changed_lines():
    old = "Title\nWe meet requirements.\nWe improve.\nRemoved line\nEnd"
    new = "Title\nWe meet all requirements.\nWe improve.\nEnd\nAdded line"
    lines = policy.side_by_side(old, new)
    as_tuples = [(d.left, d.right, d.change) for d in lines]
    assert as_tuples == [
        ("Title", "Title", "same"),
        ("We meet requirements.", "We meet all requirements.", "changed"),
        ("We improve.", "We improve.", "same"),
        ("Removed line", "", "removed"),
        ("End", "End", "same"),
        ("", "Added line", "added"),
    ]


def test_side_by_side_uneven_replacement():
    lines = policy.side_by_side("a\nb\nc", "x")
    assert [(d.left, d.right, d.change) for d in lines] == [
        ("a", "x", "changed"),
        ("b", "", "removed"),
        ("c", "", "removed"),
    ]
    lines = policy.side_by_side("a", "x\ny")
    assert [d.change for d in lines] == ["changed", "added"]


def test_side_by_side_counts_blank_lines_as_lines():
    # A removed blank line is "removed", never "added" with nothing on either side.
    lines = policy.side_by_side("a\n", "b")
    assert [d.change for d in lines] == ["changed"]
    lines = policy.side_by_side("a\n\nb", "x")
    assert [(d.left, d.right, d.change) for d in lines] == [
        ("a", "x", "changed"),
        ("", "", "removed"),
        ("b", "", "removed"),
    ]
    lines = policy.side_by_side("x", "a\n\nb")
    assert [d.change for d in lines] == ["changed", "added", "added"]


def test_side_by_side_identical_and_empty():
    assert [d.change for d in policy.side_by_side(TEXT, TEXT)] == ["same"] * 4
    assert policy.side_by_side("", "") == []
    assert [d.change for d in policy.side_by_side("", "one")] == ["added"]


# --- Change history -------------------------------------------------------------------------


def _history(record_id: str) -> list[ChangeHistory]:
    return list(ChangeHistory.select().where(ChangeHistory.record_id == record_id))


def test_every_service_write_is_in_the_change_history(store):
    records.set_setting(records.USER_NAME_KEY, "Pat Policy")
    boss = person("Ada Boss", top=True)
    document = policy.policy_document()
    draft = policy.start_draft(document, TEXT)
    policy.edit_draft(draft, TEXT + "\nMore.", "Added a line")
    policy.set_check(draft, "purpose", True, EVIDENCE["purpose"])
    policy.approve(draft, boss, confirm_unmet=True)
    communication = policy.record_communication(draft, "email", DAY, "All")
    ack = policy.acknowledge(draft, boss, DAY)

    assert [h.operation for h in _history(document.id)] == ["create"]
    draft_ops = [h.operation for h in _history(draft.id)]
    assert draft_ops == ["create", "update", "update"]
    edit, approval = _history(draft.id)[1:]
    assert json.loads(edit.changes)["change_summary"] == ["", "Added a line"]
    assert json.loads(approval.changes)["status"] == ["draft", "approved"]
    purpose = PolicyCheck.get((PolicyCheck.version == draft) & (PolicyCheck.point == "purpose"))
    assert [h.operation for h in _history(purpose.id)] == ["create", "update"]
    assert [h.operation for h in _history(communication.id)] == ["create"]
    assert [h.operation for h in _history(ack.id)] == ["create"]
    for record_id in (document.id, draft.id, purpose.id, communication.id, ack.id):
        assert {h.changed_by for h in _history(record_id)} == {"Pat Policy"}


def test_superseding_is_in_the_change_history(store):
    boss = person("Ada Boss", top=True)
    v1 = approved_version(boss)
    approved_version(boss, TEXT + "\nv2")
    last = _history(v1.id)[-1]
    assert last.operation == "update"
    assert json.loads(last.changes)["status"] == ["approved", "superseded"]
    assert last.changed_by == "Test User"
