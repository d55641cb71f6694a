"""The organisation the quality system belongs to, set up on first run."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from peewee import ModelSelect

from qms_desktop import clock, records
from qms_desktop.errors import ValidationError
from qms_desktop.fields import field_problem, strict_arguments
from qms_desktop.models import EDITIONS, ChangeHistory, Organisation, Person, Site, database

# Currencies our first customers work in, offered first.
FEATURED_CURRENCIES = ("USD", "EUR", "INR", "AED", "SAR", "GBP")


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
def active_people() -> ModelSelect[Person]:
    """People who still work here (active and not archived), by name; narrow it further with
    `.where(...)`."""
    return Person.live().where(Person.active == True).order_by(Person.full_name)  # noqa: E712


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
    """Create the organisation, its sites and the user's name in one transaction."""
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
    return organisation
