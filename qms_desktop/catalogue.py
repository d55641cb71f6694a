"""The registers the window lists, each a declaration over a model."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qms_desktop import clock
from qms_desktop.models import Action, Person, Process, Role, Site
from qms_desktop.registers import Column, Filter, FormField, Register, email_problem


def _person_problems(values: dict[str, Any]) -> dict[str, str]:
    problems = {}
    email = email_problem(values.get("email") or "")
    if email:
        problems["email"] = email
    if values.get("left_on") and values.get("active"):
        problems["active"] = "A person with a leaving date cannot be active; untick Active."
    return problems


def _action_problems(values: dict[str, Any]) -> dict[str, str]:
    if values.get("status") == "done" and not values.get("done_on"):
        return {"done_on": "Give the date the action was done."}
    return {}


def _week_end() -> dt.date:
    return clock.today() + dt.timedelta(days=7)


PEOPLE = Register(
    key="people",
    title="People",
    singular="person",
    model=Person,
    clause="5.3",
    description="Everyone who works in or for the organisation, and who has left.",
    columns=(
        Column("full_name"),
        Column("job_title"),
        Column("site.name", "Site"),
        Column("email"),
        Column("active"),
    ),
    search=("full_name", "job_title", "email", "site.name"),
    filters=(
        Filter("active", "Active", lambda: Person.active == True),  # noqa: E712
        Filter("left", "Left", lambda: Person.active == False),  # noqa: E712
    ),
    form=(
        FormField("full_name"),
        FormField("job_title"),
        FormField("site"),
        FormField("email", hint="name@example.com"),
        FormField("active"),
        FormField("left_on"),
    ),
    validate=_person_problems,
)

SITES = Register(
    key="sites",
    title="Sites",
    singular="site",
    model=Site,
    clause="4.3",
    description="Places where the organisation works; the scope names them.",
    columns=(Column("name"), Column("address")),
    search=("name", "address"),
    form=(FormField("name"), FormField("address")),
)

ROLES = Register(
    key="roles",
    title="Roles",
    singular="role",
    model=Role,
    clause="5.3",
    description="Roles with their authorities; top-management roles sign off the policy and "
    "the management review.",
    columns=(Column("title"), Column("is_top_management"), Column("authorities")),
    search=("title", "authorities"),
    filters=(
        Filter("top", "Top management", lambda: Role.is_top_management == True),  # noqa: E712
    ),
    form=(
        FormField("title"),
        FormField("description"),
        FormField("authorities"),
        FormField("is_top_management"),
    ),
)

PROCESSES = Register(
    key="processes",
    title="Processes",
    singular="process",
    model=Process,
    clause="4.4",
    description="The processes of the quality management system, each with an owner.",
    columns=(Column("name"), Column("owner.full_name", "Owner"), Column("outputs"),
             Column("reference")),
    search=("reference", "name", "owner.full_name", "outputs"),
    form=(FormField("name"), FormField("owner"), FormField("inputs"), FormField("outputs")),
)

ACTIONS = Register(
    key="actions",
    title="Actions",
    singular="action",
    model=Action,
    clause="10.2",
    description="Every action in the system, whatever raised it.",
    columns=(
        Column("title"),
        Column("owner.full_name", "Owner"),
        Column("due_on"),
        Column("status"),
        Column("source_table"),
        Column("reference"),
    ),
    search=("reference", "title", "owner.full_name"),
    filters=(
        Filter("open", "Open", lambda: Action.status == "open"),
        Filter(
            "overdue",
            "Overdue",
            lambda: (Action.status == "open") & (Action.due_on < clock.today()),
        ),
        Filter(
            "this_week",
            "Due this week",
            lambda: (Action.status == "open")
            & (Action.due_on >= clock.today())
            & (Action.due_on <= _week_end()),
        ),
    ),
    form=(
        FormField("title"),
        FormField("owner"),
        FormField("due_on"),
        FormField("status"),
        FormField("done_on"),
        FormField("evidence"),
    ),
    default_sort="due_on",
    validate=_action_problems,
)

ALL_REGISTERS: tuple[Register, ...] = (PEOPLE, ROLES, SITES, PROCESSES, ACTIONS)
