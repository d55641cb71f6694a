"""People sign in to a server as themselves, with roles enforced by the services and by
the database's grants (accounts.py). Against the throwaway server tests/postgres.py starts:
the administrator (the superuser `qms`, who makes the tables) adds accounts; each person
then signs in over TCP with their own login and password.
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
import itertools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee
import psycopg
import pytest

from qms_desktop import accounts, cli, db, errors, packs, records, server
from qms_desktop.models import (
    Account,
    Audit,
    ChangeHistory,
    ManagementReview,
    Person,
    Site,
    Supplier,
)
from tests.postgres import Server

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


@dataclass
class Team:
    """A database on the run's server, opened by its administrator, and a way in for others."""

    postgres: Server
    dbname: str

    def login(self, base: str) -> str:
        """A login nobody else in the run has (login roles belong to the whole server)."""
        return f"{base}_{next(_numbers)}"

    def url(self, login: str) -> str:
        return self.postgres.password_url(self.dbname, login)

    def open_as(self, login: str, password: str = PASSWORD) -> server.ServerStore:
        return server.open_server(self.url(login), ask_password=lambda address: password)

    def open_as_administrator(self) -> server.ServerStore:
        return server.open_server(self.postgres.url(self.dbname))

    def raw(self, login: str) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.url(login), password=PASSWORD, autocommit=True)

    def member(self, base: str, role: str, name: str = "") -> str:
        """A new account (a new person called `name`) added by the administrator."""
        login = self.login(base)
        with self.open_as_administrator():
            accounts.add_account(login, name or base.capitalize(), role, PASSWORD)
        return login


@pytest.fixture
def team(postgres_server: Server, server_url: str,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with server.open_server(server_url):
        records.create(Site, name="Head office")
    yield Team(postgres_server, server_url.rsplit("/", 1)[1])


def counts() -> tuple[int, ...]:
    return (Site.select().count(), Supplier.select().count(), Audit.select().count(),
            Person.select().count(), Account.select().count(), ChangeHistory.select().count())


# --- Signing in ---------------------------------------------------------------------------------


def test_the_administrator_signs_in_as_their_login_with_every_right(team: Team) -> None:
    with team.open_as_administrator():
        records.set_setting(records.USER_NAME_KEY, "Typed Name")
        who = accounts.signed_in()
        assert who == accounts.SignedIn(login="qms", name="qms", role="top_management")
        assert who.role_label == "Top management"
        assert all(accounts.may(a) for a in ("write:supplier", "close_review",
                                             "manage_accounts", "write:account"))
        records.create(Site, name="Pune")
        last = ChangeHistory.select().order_by(ChangeHistory.id.desc()).first()
        assert last.changed_by == "qms"  # never the typed setting


def test_a_person_signs_in_as_themselves_and_the_history_carries_their_name(
        team: Team) -> None:
    login = team.member("maria", "quality_officer", "Maria Khan")
    with team.open_as_administrator():
        records.set_setting(records.USER_NAME_KEY, "Somebody Typed")
    with team.open_as(login):
        assert accounts.signed_in() == accounts.SignedIn(login, "Maria Khan",
                                                         "quality_officer")
        assert records.current_user() == "Maria Khan"
        site = records.create(Site, name="Pune")
        records.update(site, address="MIDC, Pune")
        entries = records.history_of(site)
    assert [(e.operation, e.changed_by) for e in entries] == [
        ("create", "Maria Khan"), ("update", "Maria Khan")]


def test_the_administrator_mapped_to_a_person_is_named_after_them(team: Team) -> None:
    with team.open_as_administrator():
        owner = records.create(Person, full_name="Omar Haddad")
        records.create(Account, login="qms", person=owner, role="top_management")
    with team.open_as_administrator():
        assert accounts.signed_in() == accounts.SignedIn("qms", "Omar Haddad",
                                                         "top_management")


def test_a_file_has_no_sign_in_and_its_user_may_do_everything(store: db.Store) -> None:
    assert accounts.signed_in() is None
    assert accounts.may("close_review") and accounts.may("write:supplier")
    accounts.require("manage_accounts")
    assert records.current_user() == "Test User"
    with pytest.raises(errors.EnvironmentProblem) as refused:
        accounts.add_account("maria", "Maria Khan", "viewer", PASSWORD)
    assert refused.value.title == "No sign-in on a file"
    with pytest.raises(errors.ValidationError) as wrong_type:
        accounts.add_account("maria", 5, "viewer", PASSWORD)  # type: ignore[arg-type]
    assert wrong_type.value.problems == {"person": "Person: expected a Person, got 5."}
    assert Account.select().count() == 0 and Person.select().count() == 0


def test_a_login_that_is_no_member_is_refused_plainly(team: Team) -> None:
    stranger = team.login("stranger")
    with psycopg.connect(team.postgres.admin_conninfo(), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {stranger} LOGIN PASSWORD '{PASSWORD}'")
    with pytest.raises(errors.EnvironmentProblem) as refused:
        team.open_as(stranger)
    assert refused.value.title == "Not a member"
    assert refused.value.message.startswith(
        f"Your login {stranger} is not a member of this quality system")
    assert "ask top management to add you" in refused.value.advice.lower()
    assert accounts.signed_in() is None


def test_a_removed_account_can_no_longer_sign_in_and_its_history_stays(team: Team) -> None:
    login = team.member("leaver", "auditor", "Lee Leaver")
    with team.open_as(login):
        records.create(Audit, title="Stores", planned_on=dt.date(2026, 3, 1))
    with team.open_as_administrator():
        accounts.remove_account(login)
        account = Account.get(Account.login == login)
        assert account.archived_at is not None
        assert [e.operation for e in records.history_of(account)] == ["create", "archive"]
        assert [m.login for m in accounts.list_accounts()] == []
        assert ChangeHistory.select().where(ChangeHistory.changed_by == "Lee Leaver").count() \
            == 1
    with pytest.raises(errors.EnvironmentProblem) as refused:
        team.open_as(login)
    # The login role lost LOGIN: the server refuses it before QMS Desktop is asked.
    assert refused.value.title == "Not a member"
    assert refused.value.message.startswith(f"Your login {login} is not a member")
    with pytest.raises(psycopg.OperationalError):
        team.raw(login)


def test_a_removed_login_added_again_signs_in_with_its_new_role(team: Team) -> None:
    login = team.member("back", "viewer", "Bea Back")
    with team.open_as_administrator():
        accounts.remove_account(login)
        accounts.add_account(login, Person.get(Person.full_name == "Bea Back"), "auditor",
                             "a new password")
    with team.open_as(login, "a new password"):
        assert accounts.signed_in() == accounts.SignedIn(login, "Bea Back", "auditor")


def test_only_the_administrator_updates_the_databases_format(team: Team) -> None:
    login = team.member("early", "top_management")
    with psycopg.connect(team.postgres.url(team.dbname), autocommit=True) as admin:
        admin.execute('UPDATE qms_schema_version SET version = version - 1')
    with pytest.raises(errors.EnvironmentProblem) as refused:
        team.open_as(login)
    assert refused.value.title == "Update waiting"
    assert "only its administrator" in refused.value.message
    with psycopg.connect(team.postgres.url(team.dbname), autocommit=True) as admin:
        admin.execute('UPDATE qms_schema_version SET version = version + 1')
    with team.open_as(login):
        assert accounts.signed_in() is not None


# --- Roles in the services ----------------------------------------------------------------------


def _site() -> object:
    return records.create(Site, name="Chennai")


def _supplier() -> object:
    return records.create(Supplier, name="Acme Castings")


def _audit() -> object:
    return records.create(Audit, title="Purchasing", planned_on=dt.date(2026, 4, 1))


def _rename_head_office() -> object:
    return records.update(Site.get(Site.name == "Head office"), name="HQ")


def _archive_head_office() -> object:
    return records.archive(Site.get_by_id(Site.select(Site.id).order_by(Site.created_at)
                                          .first().id))


def _setting() -> object:
    records.set_setting("risk_matrix", "{}")
    return None


def _add_someone() -> object:
    return accounts.add_account(f"new_{next(_numbers)}", "New Person", "viewer", PASSWORD)


WRITES: dict[str, Callable[[], object]] = {
    "site": _site, "supplier": _supplier, "audit": _audit, "rename": _rename_head_office,
    "archive": _archive_head_office, "setting": _setting, "accounts": _add_someone,
}
ALLOWED = {
    "viewer": set(),
    "auditor": {"audit"},
    "quality_officer": {"site", "supplier", "audit", "rename", "archive", "setting"},
    "top_management": set(WRITES),
}
REFUSALS = {
    ("viewer", "site"): "Your role (Viewer) does not let you change sites. "
                        "Ask a quality officer or top management.",
    ("viewer", "audit"): "Your role (Viewer) does not let you change internal audits. "
                         "Ask an auditor, a quality officer or top management.",
    ("auditor", "supplier"): "Your role (Auditor) does not let you change suppliers. "
                             "Ask a quality officer or top management.",
    ("auditor", "setting"): "Your role (Auditor) does not let you change the settings. "
                            "Ask a quality officer or top management.",
    ("quality_officer", "accounts"): "Your role (Quality officer) does not let you change "
                                     "who may sign in. Ask top management.",
}


@pytest.mark.parametrize("role", accounts.ROLES)
def test_each_role_may_write_what_it_is_allowed_and_nothing_else(team: Team,
                                                                 role: str) -> None:
    login = team.member(role.replace("_", ""), role)
    with team.open_as(login):
        for name, write in WRITES.items():
            before = counts()
            may_before = accounts.may("write:" + {"rename": "site", "archive": "site",
                                                  "accounts": "account"}.get(name, name))
            if name in ALLOWED[role]:
                write()
                assert counts() != before or name in ("rename", "archive"), name
                assert may_before, name
                continue
            with pytest.raises(errors.NotPermitted) as refused:
                write()
            assert not may_before, name
            assert counts() == before, f"{name} wrote something"
            expected = REFUSALS.get((role, name))
            if expected is not None:
                assert refused.value.message == expected
            assert isinstance(refused.value, errors.ValidationError)
        assert Site.get_or_none(Site.name == "HQ") is not None or "rename" not in ALLOWED[role]


@pytest.mark.parametrize("role", ["quality_officer", "auditor", "viewer"])
def test_only_top_management_closes_a_review(team: Team, role: str) -> None:
    login = team.member("closer", role)
    with team.open_as_administrator():
        chair = records.create(Person, full_name="Chair Person")
        review = records.create(ManagementReview, meeting_on=dt.date(2026, 5, 1),
                                chair=chair)
    with team.open_as(login):
        before = counts()
        with pytest.raises(errors.NotPermitted) as refused:
            packs.close(ManagementReview.get_by_id(review.id), Person.get_by_id(chair.id))
        assert refused.value.message.endswith(
            "does not let you close a management review. Ask top management.")
        assert counts() == before
        assert ManagementReview.get_by_id(review.id).status == "planned"


def test_a_new_role_takes_effect_at_the_next_sign_in(team: Team) -> None:
    login = team.member("mover", "viewer")
    with team.open_as_administrator():
        changed = accounts.change_role(login, "auditor")
        assert changed.role_label == "Auditor"
        account = Account.get(Account.login == login)
        assert [e.operation for e in records.history_of(account)] == ["create", "update"]
    with team.open_as(login):
        _audit()
        with pytest.raises(errors.NotPermitted):
            _supplier()
    with team.raw(login) as raw:  # and the grants followed
        raw.execute("UPDATE audit SET title = 'Renamed'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("UPDATE supplier SET name = 'x'")


def test_top_management_with_an_account_manages_the_others(team: Team) -> None:
    boss = team.member("boss", "top_management", "Tara Boss")
    officer = team.member("officer", "quality_officer")
    newcomer = team.login("newcomer")
    with team.open_as(boss):
        accounts.add_account(newcomer, "Nina Newcomer", "viewer", PASSWORD)
        accounts.change_role(officer, "auditor")
        listed = [(m.login, m.name, m.role) for m in accounts.list_accounts()]
        assert listed == sorted([(boss, "Tara Boss", "top_management"),
                                 (officer, "Officer", "auditor"),
                                 (newcomer, "Nina Newcomer", "viewer")])
        entry = ChangeHistory.select().where(ChangeHistory.table_name == "account") \
            .order_by(ChangeHistory.id.desc()).first()
        assert entry.changed_by == "Tara Boss"
        with pytest.raises(errors.ValidationError) as own:
            accounts.remove_account(boss)
        assert "your own account" in own.value.problems["login"]
    with team.open_as(newcomer):
        assert accounts.signed_in() == accounts.SignedIn(newcomer, "Nina Newcomer", "viewer")


# --- The database's grants -----------------------------------------------------------------------


def test_the_grants_refuse_a_viewers_update_even_from_a_raw_connection(team: Team) -> None:
    login = team.member("reader", "viewer")
    with team.raw(login) as raw:
        assert raw.execute("SELECT name FROM site").fetchall() == [("Head office",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("UPDATE site SET name = 'Taken over'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("DELETE FROM person")
    with team.open_as(login):  # a write past the services: the server says no, plainly
        with pytest.raises(peewee.ProgrammingError) as denied:
            Site.update(name="Taken over").execute()
        problem = errors.from_exception(denied.value, Path("unused"))
        assert problem is not None and problem.title == "Not allowed"
        assert "permission denied for table site" in problem.message
    with team.open_as_administrator():
        assert [s.name for s in Site.select()] == ["Head office"]


@pytest.mark.parametrize("role", ["top_management", "quality_officer", "auditor"])
def test_nobody_but_the_owner_rewrites_the_change_history(team: Team, role: str) -> None:
    login = team.member("historian", role)
    with team.raw(login) as raw:
        row = raw.execute("SELECT count(*) FROM change_history").fetchone()
        assert row is not None and row[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("UPDATE change_history SET changed_by = 'someone else'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("DELETE FROM change_history")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("TRUNCATE change_history")
    with team.open_as_administrator() as store:
        assert server.check(store).sound


def test_an_administrator_who_is_no_superuser_sets_it_all_up(
        postgres_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a real server: the owner of the database may make roles (CREATEROLE) and is
    nothing more; top management then manages the accounts through the owner's functions,
    and cannot use them to take over another login."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    owner = f"owner_{next(_numbers)}"
    name = postgres_server.create_database("owned")
    with psycopg.connect(postgres_server.admin_conninfo(), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{PASSWORD}'")
        admin.execute(f'ALTER DATABASE "{name}" OWNER TO {owner}')
    team = Team(postgres_server, name)
    boss, viewer = team.login("boss"), team.login("viewer")
    with team.open_as(owner):
        assert accounts.signed_in() == accounts.SignedIn(owner, owner, "top_management")
        accounts.add_account(boss, "Tom Top", "top_management", PASSWORD)
    with team.open_as(boss):
        accounts.add_account(viewer, "Vera View", "viewer", PASSWORD)
    with team.open_as(viewer):
        assert accounts.signed_in() == accounts.SignedIn(viewer, "Vera View", "viewer")
    group = accounts.group_role(name, "top_management")
    with team.raw(boss) as raw:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute(f"GRANT {owner} TO {boss}")
        with pytest.raises(psycopg.errors.RaiseException):
            raw.execute("SELECT qms_account_grant(%s, 'x', %s)", (owner, group))
        with pytest.raises(psycopg.errors.RaiseException):
            raw.execute("SELECT qms_account_grant(%s, '', %s)", ("qms", group))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("UPDATE change_history SET changed_by = 'x'")
    with team.raw(viewer) as raw, pytest.raises(psycopg.errors.InsufficientPrivilege):
        raw.execute("SELECT qms_account_grant(%s, '', %s)", (viewer, group))
    postgres_server.drop_database(name)


def test_group_roles_are_named_after_the_database_within_postgresqls_limit() -> None:
    assert accounts.group_role("sales", "viewer") == "qms_sales_viewer"
    long = accounts.group_role("a" * 80, "quality_officer")
    assert len(long) <= 63 and long.endswith("_quality_officer")
    assert long != accounts.group_role("a" * 79 + "b", "quality_officer")


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("login", "message"), [
    ("Maria", "is not a login name: use lower-case letters"),
    ("maria khan", "is not a login name"),
    ("1maria", "is not a login name"),
    ("maria;drop", "is not a login name"),
    ("pg_maria", "a name the database server keeps for itself"),
    ("public", "a name the database server keeps for itself"),
    ("", "required"),
    ("m" * 64, "too long"),
])
def test_a_bad_login_is_refused_and_nothing_is_made(team: Team, login: str,
                                                   message: str) -> None:
    with team.open_as_administrator():
        before = counts()
        with pytest.raises(errors.ValidationError) as refused:
            accounts.add_account(login, "Maria Khan", "viewer", PASSWORD)
        assert message in refused.value.problems["login"]
        assert counts() == before


def test_an_unknown_role_a_short_password_and_a_taken_login_are_refused(team: Team) -> None:
    taken = team.member("taken", "viewer")
    fresh = team.login("fresh")
    with team.open_as_administrator():
        before = counts()
        with pytest.raises(errors.ValidationError) as role:
            accounts.add_account(fresh, "Maria Khan", "boss", PASSWORD)
        assert "'boss' is not a role here" in role.value.problems["role"]
        with pytest.raises(errors.ValidationError) as short:
            accounts.add_account(fresh, "Maria Khan", "viewer", "short")
        assert "at least 8 characters" in short.value.problems["password"]
        with pytest.raises(errors.ValidationError) as duplicate:
            accounts.add_account(taken, "Someone Else", "auditor", PASSWORD)
        assert "already an account" in duplicate.value.problems["login"]
        with pytest.raises(errors.ValidationError) as other_database:
            accounts.add_account("qms", "Someone Else", "auditor", PASSWORD)
        assert "server already has a login" in other_database.value.problems["login"]
        with pytest.raises(errors.ValidationError) as unknown:
            accounts.change_role(fresh, "viewer")
        assert "no account" in unknown.value.problems["login"]
        with pytest.raises(errors.ValidationError):
            accounts.change_role(taken, "owner")
        assert counts() == before
        assert Account.get(Account.login == taken).role == "viewer"
    with psycopg.connect(team.postgres.admin_conninfo()) as admin:
        assert admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                             (fresh,)).fetchone() is None


def test_a_file_store_is_not_left_signed_in_after_a_server(team: Team, tmp_path: Path) -> None:
    with team.open_as_administrator():
        assert accounts.signed_in() is not None
    with db.open_database(tmp_path / "after.db"):
        assert accounts.signed_in() is None
        assert accounts.may("close_review")


# --- The command line ---------------------------------------------------------------------------


def test_the_team_command_adds_lists_re_roles_and_removes(
        team: Team, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    admin = team.postgres.url(team.dbname)
    login = team.login("cli")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["team", "add", "--db", admin, "--login", login, "--name", "Carla Cli",
                     "--role", "auditor", "--password-stdin"]) == 0
    assert capsys.readouterr().out == f"Carla Cli signs in as {login} (Auditor).\n"
    with team.open_as(login):
        assert accounts.signed_in() == accounts.SignedIn(login, "Carla Cli", "auditor")
    assert cli.main(["team", "list", "--db", admin]) == 0
    assert capsys.readouterr().out == f"{login}  Carla Cli  Auditor\n"
    assert cli.main(["team", "role", "--db", admin, "--login", login, "--role",
                     "quality_officer"]) == 0
    assert capsys.readouterr().out == f"Carla Cli ({login}) is now Quality officer.\n"
    # An existing person by name; the password typed twice on a terminal.
    second = team.login("typed")
    typed = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    assert cli.main(["team", "add", "--db", admin, "--login", second, "--person",
                     "Carla Cli", "--role", "viewer"]) == 0
    capsys.readouterr()
    assert cli.main(["team", "remove", "--db", admin, "--login", login]) == 0
    assert "can no longer sign in" in capsys.readouterr().out
    assert cli.main(["team", "list", "--db", admin]) == 0
    assert capsys.readouterr().out == f"{second}  Carla Cli  Viewer\n"
    with pytest.raises(errors.EnvironmentProblem):
        team.open_as(login)


def test_the_team_command_refuses_bad_input_and_what_a_role_does_not_allow(
        team: Team, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    admin = team.postgres.url(team.dbname)
    with team.open_as_administrator():
        before = counts()

    def add(*extra: str, db: str = admin, password: str = PASSWORD) -> int:
        monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
        return cli.main(["team", "add", "--db", db, "--password-stdin", *extra])

    assert add("--login", "Bad Login", "--name", "X Y", "--role", "viewer") == \
        errors.EXIT_BAD_ARGUMENTS
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a login name" in err and "Nothing was changed" in err
    assert add("--login", team.login("ok"), "--name", "X Y", "--role", "boss") == \
        errors.EXIT_BAD_ARGUMENTS
    assert "'boss' is not a role here" in capsys.readouterr().err
    assert add("--login", team.login("ok"), "--person", "Nobody Here", "--role",
               "viewer") == errors.EXIT_BAD_ARGUMENTS
    assert "no person called 'Nobody Here'" in capsys.readouterr().err
    assert add("--login", team.login("ok"), "--name", "X Y", "--role", "viewer",
               password="short") == errors.EXIT_BAD_ARGUMENTS
    assert "at least 8 characters" in capsys.readouterr().err
    # Two passwords typed differently.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    typed = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    assert cli.main(["team", "add", "--db", admin, "--login", team.login("ok"), "--name",
                     "X Y", "--role", "viewer"]) == errors.EXIT_REFUSED
    assert "The two passwords differ" in capsys.readouterr().err
    with team.open_as_administrator():
        assert counts() == before
    # A viewer may not add anyone (signed in with PGPASSWORD, which libpq reads itself).
    viewer = team.member("watcher", "viewer")
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    assert add("--login", team.login("ok"), "--name", "X Y", "--role", "viewer",
               db=team.url(viewer)) == errors.EXIT_REFUSED
    assert "Your role (Viewer) does not let you change who may sign in. Ask top " \
        "management." in capsys.readouterr().err
    assert cli.main(["team", "list", "--db", team.url(viewer)]) == 0
    assert f"{viewer}  Watcher  Viewer" in capsys.readouterr().out


def test_the_team_command_on_a_file_says_a_file_has_no_sign_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "qms.db"
    assert cli.main(["team", "list", "--db", str(file)]) == errors.EXIT_BAD_ARGUMENTS
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a file has no sign-in" in err
    assert not file.exists()
