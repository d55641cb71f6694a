"""The writes the window used to make on the records layer itself, now service functions with
the rule the window had: each refuses bad input with a message and leaves the data as it was."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from qms_desktop import (
    actions,
    catalogue,
    checklist_templates,
    context,
    organisation,
    raci,
    records,
    registers,
)
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    ChecklistQuestion,
    DocumentVersion,
    Person,
    Process,
    ScopeItem,
    Site,
)


def fresh(record):
    return type(record).get_by_id(record.id)


# --- Actions ------------------------------------------------------------------------------------


def test_editing_an_action_trims_the_title_and_changes_the_owner(store):
    ada = records.create(Person, full_name="Ada")
    action = actions.raise_improvement("Tidy the store", None, dt.date(2026, 1, 5))
    actions.edit(action, "  Tidy the goods-in store  ", ada)
    stored = fresh(action)
    assert (stored.title, stored.owner_id) == ("Tidy the goods-in store", ada.id)


def test_an_action_without_a_title_is_refused_and_left_as_it_was(store):
    action = actions.raise_improvement("Tidy the store", None, dt.date(2026, 1, 5))
    with pytest.raises(ValidationError) as error:
        actions.edit(action, "   ", None)
    assert error.value.problems == {"title": "Say what will be done."}
    assert fresh(action).title == "Tidy the store"


# --- Checklist questions ------------------------------------------------------------------------


@pytest.fixture
def question(store) -> ChecklistQuestion:
    template = checklist_templates.create_template("Goods in", clause="8.4")
    return checklist_templates.add_question(template, "Are deliveries checked?", "Look at GRNs")


def test_editing_a_question_keeps_the_checklist_clause_when_none_is_given(question):
    checklist_templates.edit_question(question, " Are all deliveries checked? ", " GRNs ", "")
    stored = fresh(question)
    assert (stored.question, stored.guidance, stored.clause) == (
        "Are all deliveries checked?", "GRNs", "8.4")


def test_a_question_cannot_be_emptied(question):
    with pytest.raises(ValidationError) as error:
        checklist_templates.edit_question(question, "  ", "", "")
    assert error.value.problems == {"question": "Write the question."}
    assert fresh(question).question == "Are deliveries checked?"


def test_a_removed_question_leaves_its_checklist_but_stays_in_the_file(question):
    template = question.template
    checklist_templates.remove_question(question)
    assert checklist_templates.questions_of(template) == []
    assert fresh(question).archived_at is not None


# --- Scope drafts -------------------------------------------------------------------------------


@pytest.fixture
def scope_draft(store) -> DocumentVersion:
    document = context.scope_document(create=True)
    return context.start_scope_draft(document)


def test_a_scope_draft_statement_is_saved(scope_draft):
    context.edit_scope_draft(scope_draft, "Design and supply of pumps.")
    assert fresh(scope_draft).body == "Design and supply of pumps."


def test_an_empty_scope_statement_is_refused(scope_draft):
    context.edit_scope_draft(scope_draft, "Pumps.")
    with pytest.raises(ValidationError) as error:
        context.edit_scope_draft(scope_draft, " \n ")
    assert error.value.problems == {"body": "The scope statement is empty."}
    assert fresh(scope_draft).body == "Pumps."


def test_a_scope_approved_elsewhere_is_not_changed_through_a_stale_copy(scope_draft):
    item = context.add_scope_item(scope_draft, "product", "Pumps")
    # Another window approves the version; this one still holds the draft it read.
    DocumentVersion.update(status="approved").where(
        DocumentVersion.id == scope_draft.id).execute()
    with pytest.raises(ValidationError):
        context.edit_scope_draft(scope_draft, "Something else.")
    with pytest.raises(ValidationError):
        context.remove_scope_item(ScopeItem.get_by_id(item.id))
    assert fresh(scope_draft).body == ""
    assert fresh(item).archived_at is None


def test_a_removed_scope_item_leaves_the_draft(scope_draft):
    item = context.add_scope_item(scope_draft, "product", "Pumps")
    context.remove_scope_item(item)
    assert context.scope_items(scope_draft) == []


# --- RACI activities ----------------------------------------------------------------------------


def test_an_activity_is_added_as_a_row_of_the_matrix(store):
    activity = raci.add_activity("  Internal audit ")
    assert (activity.name, activity.is_activity) == ("Internal audit", True)
    assert [row.id for row in raci.load().rows] == [activity.id]


@pytest.mark.parametrize("name", ["", "   "])
def test_an_activity_needs_a_name(store, name):
    with pytest.raises(ValidationError) as error:
        raci.add_activity(name)
    assert error.value.problems == {"name": "Name the QMS activity."}
    assert Process.select().count() == 0


def test_a_second_row_of_the_same_name_is_refused_but_an_archived_one_does_not_count(store):
    first = records.create(Process, name="Purchasing")
    with pytest.raises(ValidationError) as error:
        raci.add_activity("PURCHASING")
    assert "already a row called PURCHASING" in error.value.problems["name"]
    records.archive(first)
    assert raci.add_activity("Purchasing").is_activity


# --- Archive and restore in a register ----------------------------------------------------------


def test_a_register_archives_and_restores_its_own_records(store):
    site = records.create(Site, name="Dubai")
    registers.archive(catalogue.SITES, site)
    assert fresh(site).archived_at is not None
    registers.restore(catalogue.SITES, site)
    assert fresh(site).archived_at is None


def test_a_register_refuses_a_record_of_another_kind(store):
    ada = records.create(Person, full_name="Ada")
    with pytest.raises(ValidationError):
        registers.archive(catalogue.SITES, ada)
    assert fresh(ada).archived_at is None


def test_a_register_archives_through_its_area_s_own_rule(store):
    site = records.create(Site, name="Dubai")

    def refuse(record):
        raise ValidationError({"record": "This site is still in the scope."})

    register = dataclasses.replace(catalogue.SITES, archive=refuse)
    with pytest.raises(ValidationError):
        registers.archive(register, site)
    assert fresh(site).archived_at is None


# --- The user's name ----------------------------------------------------------------------------


def test_the_user_name_is_trimmed_and_recorded_with_later_changes(store):
    organisation.set_user_name("  Grace Hopper ")
    assert organisation.user_name() == "Grace Hopper"
    site = records.create(Site, name="Dubai")
    assert records.history_of(site)[0].changed_by == "Grace Hopper"


def test_an_empty_user_name_is_refused_and_the_old_one_kept(store):
    with pytest.raises(ValidationError) as error:
        organisation.set_user_name("  ")
    assert "Give your name" in error.value.problems["user_name"]
    assert organisation.user_name() == "Test User"


def test_the_current_person_is_the_one_named_like_the_user_preferring_the_active(store):
    assert organisation.current_person() is None
    records.create(Person, full_name="test user", active=False)
    active = records.create(Person, full_name="Test User")
    archived = records.create(Person, full_name="Test User")
    records.archive(archived)
    assert organisation.current_person().id == active.id


def test_no_current_person_when_nobody_has_the_user_s_name(store):
    records.create(Person, full_name="Ada")
    assert organisation.current_person() is None



# --- Common reads: live records and active people -----------------------------------------------


def test_live_leaves_out_archived_records_and_narrows_further(store):
    kept, gone = records.create(Site, name="Dubai"), records.create(Site, name="Doha")
    records.archive(gone)
    assert [s.id for s in Site.live()] == [kept.id]
    assert [s.name for s in Site.live(Site.name).where(Site.name == "Doha")] == []
    records.unarchive(gone)
    assert sorted(s.name for s in Site.live(Site.name)) == ["Doha", "Dubai"]


def test_active_people_are_the_live_active_ones_by_name(store):
    zoe = records.create(Person, full_name="Zoe")
    ada = records.create(Person, full_name="Ada")
    records.create(Person, full_name="Left", active=False)
    records.archive(records.create(Person, full_name="Archived"))
    assert [p.id for p in organisation.active_people()] == [ada.id, zoe.id]
    assert [p.id for p in organisation.active_people().where(Person.id != ada.id)] == [zoe.id]
