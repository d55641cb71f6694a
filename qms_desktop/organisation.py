"""The organisation the quality system belongs to, set up on first run."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from peewee import Expression, ModelSelect

from qms_desktop import clock, records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import field_problem, strict_arguments
from qms_desktop.models import (
    EDITIONS,
    ChangeHistory,
    Organisation,
    Person,
    PersonRole,
    Role,
    Site,
    database,
    is_live,
)

# Currencies our first customers work in, offered first.
FEATURED_CURRENCIES = ("USD", "EUR", "INR", "AED", "SAR", "GBP")

# The owner's role, offered on first run; the owner may type another title.
OWNER_TITLE = "Managing Director"


@dataclass(frozen=True)
class StarterRole:
    title: str
    description: str
    authorities: str


# Offered on first run so the RACI matrix and the duties have roles to name; each can be
# renamed, changed or archived on the Roles screen like any other.
STARTER_ROLES = (
    StarterRole("Quality Manager",
                "Keeps the quality system running day to day and reports how it performs.",
                "May stop work or a delivery that does not meet requirements."),
    StarterRole("Production Manager",
                "Plans and runs production, and keeps its records.",
                "May release product once its checks are done."),
    StarterRole("Sales Manager",
                "Agrees orders with customers and passes on what they say.",
                "May accept an order once its requirements are reviewed."),
    StarterRole("Purchasing Manager",
                "Chooses and evaluates suppliers, and places orders with them.",
                "May approve a new supplier or suspend one."),
    StarterRole("Internal Auditor",
                "Audits processes other than their own, as planned.",
                "May ask for any record of the process audited."),
)


@strict_arguments
@cache
def current_currencies() -> tuple[str, ...]:
    """ISO 4217 codes legal tender somewhere today (Babel's CLDR data, not historic ones)."""
    # Babel is imported here, not at the top: the window needs it only on first run.
    from babel.numbers import get_territory_currencies, list_currencies

    today = clock.today()
    codes: set[str] = set()
    for territory in _territories():
        codes.update(get_territory_currencies(territory, start_date=today, tender=True))
    return tuple(sorted(c for c in codes if c in list_currencies()))


def _territories() -> list[str]:
    from babel.core import get_global

    return list(get_global("territory_currencies").keys())


@strict_arguments
def currency_choices(locale: str = "en") -> list[tuple[str, str]]:
    """(code, "EUR – Euro") pairs, featured first, then the rest by code."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_currency_name

    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise ValidationError({"locale": f"There is no locale {locale[:20]!r}."}) from None
    rest = [c for c in current_currencies() if c not in FEATURED_CURRENCIES]
    return [
        (code, f"{code} – {get_currency_name(code, locale=locale)}")
        for code in (*FEATURED_CURRENCIES, *rest)
    ]


@dataclass
class OrganisationSetup:
    name: str
    sites: list[str]
    currency: str = "USD"
    edition: str = "2015"
    user_name: str = ""
    # The user becomes a person in a top-management role with this title ("" makes no person).
    owner_title: str = ""
    starter_roles: list[str] = field(default_factory=list)  # titles of roles to create

    def problems(self) -> dict[str, str]:
        """What stops the set-up; the columns' field rules judge what is not left blank."""
        found = {}
        for name, column, if_blank in (
            ("name", Organisation.name, "Give the organisation's name."),
            # The user's name is recorded as "who" with every change.
            ("user_name", ChangeHistory.changed_by,
             "Give your name: it is recorded with every change you make."),
        ):
            value = getattr(self, name)
            if isinstance(value, str) and not value.strip():
                found[name] = if_blank
            elif problem := field_problem(column, value):
                found[name] = problem
        if not isinstance(self.sites, list | tuple):
            found["sites"] = "Sites: expected a list of site names."
        for site in self.sites if isinstance(self.sites, list | tuple) else ():
            blank = isinstance(site, str) and not site.strip()  # an empty row is left out
            if not blank and (problem := field_problem(Site.name, site)):
                found["sites"] = problem
        if not isinstance(self.currency, str) or self.currency not in current_currencies():
            code = self.currency if isinstance(self.currency, str) and self.currency else "This"
            found["currency"] = f"{code[:10]} is not a current ISO 4217 currency code."
        if not isinstance(self.edition, str) or self.edition not in dict(EDITIONS):
            found["edition"] = "Choose ISO 9001:2015 or ISO 9001:2026."
        if not isinstance(self.owner_title, str):
            found["owner_title"] = "Your title: expected text."
        elif self.owner_title.strip() and (problem := field_problem(Role.title,
                                                                    self.owner_title)):
            found["owner_title"] = problem
        if not isinstance(self.starter_roles, list | tuple):
            found["starter_roles"] = "Roles: expected a list of role titles."
        else:
            for title in self.starter_roles:
                if not isinstance(title, str) or not title.strip():
                    found["starter_roles"] = "A role needs a title."
                elif problem := field_problem(Role.title, title):
                    found["starter_roles"] = problem
        return found


@strict_arguments
def user_name() -> str:
    """The name recorded as "who" with every change (the OS login until one is given)."""
    return records.current_user()


@strict_arguments
def set_user_name(name: str) -> None:
    name = (name or "").strip()
    if not name:
        raise ValidationError(
            {"user_name": "Give your name: it is recorded with every change you make."})
    records.set_setting(records.USER_NAME_KEY, name)


@strict_arguments
def still_working() -> Expression:
    """The condition that a person still works here (active and not archived), for a query
    that joins Person."""
    return is_live(Person) & (Person.active == True)  # noqa: E712


@strict_arguments
def active_people() -> ModelSelect[Person]:
    """People who still work here, by name; narrow it further with `.where(...)`."""
    return Person.select().where(still_working()).order_by(Person.full_name)


@strict_arguments
def current_person() -> Person | None:
    """The person whose name is the user's (case aside), preferring one still active."""
    name = records.current_user().strip()
    if not name:
        return None
    return (
        Person.live()
        .where(Person.full_name ** name)
        .order_by(Person.active.desc())
        .get_or_none()
    )


@strict_arguments
def get_organisation() -> Organisation | None:
    return Organisation.live().get_or_none()


@strict_arguments
def set_up(setup: OrganisationSetup) -> Organisation:
    """Create the organisation, its sites, the user's name and, when asked, the user as a
    person in a top-management role and the starter roles, in one transaction."""
    problems = setup.problems()
    if problems:
        raise ValidationError(problems)
    with database.atomic():
        records.set_setting(records.USER_NAME_KEY, setup.user_name.strip())
        organisation = records.create(
            Organisation,
            name=setup.name.strip(),
            currency=setup.currency,
            edition=setup.edition,
        )
        for site in dict.fromkeys(s.strip() for s in setup.sites if s.strip()):
            records.create(Site, name=site)
        _add_owner_and_roles(setup)
    return organisation


def _add_owner_and_roles(setup: OrganisationSetup) -> None:
    """The user as a person in a top-management role, and the starter roles chosen."""
    owner_title = setup.owner_title.strip()
    taken = {owner_title.casefold()} if owner_title else set()
    described = {role.title.casefold(): role for role in STARTER_ROLES}
    for title in dict.fromkeys(t.strip() for t in setup.starter_roles):
        if title.casefold() in taken:
            continue
        taken.add(title.casefold())
        starter = described.get(title.casefold())
        records.create(Role, title=title,
                       description=starter.description if starter else "",
                       authorities=starter.authorities if starter else "")
    if not owner_title:
        return
    role = records.create(
        Role, title=owner_title, is_top_management=True,
        description="Top management: sets the direction, approves the quality policy and "
                    "chairs the management review.",
        authorities="Approves the quality policy and the scope; closes the management review.",
    )
    name = setup.user_name.strip()
    person = next((p for p in Person.live() if p.full_name.casefold() == name.casefold()), None)
    if person is None:
        person = records.create(Person, full_name=name, job_title=owner_title)
    records.create(PersonRole, person=person, role=role)
