"""Passwords on a server (accounts.py): top management gives a member who forgot theirs a
new one, anyone signed in changes their own, and the people of a database copied from
another server get their sign-ins back with `team password`. Against real servers:
tests/postgres.py starts one for the run, and one more here for the copy's new server."""

from __future__ import annotations

import datetime as dt
import getpass
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from qms_desktop import accounts, cli, errors, records, server
from qms_desktop.models import Account, Audit, ChangeHistory, Person, Site, Supplier
from tests import postgres
from tests.postgres import Server
from tests.qms_desktop import test_accounts
from tests.qms_desktop.test_accounts import PASSWORD, Team, counts

team = test_accounts.team  # the same fixture: a database opened by its administrator

NEW_PASSWORD = "a brand new secret"


def signs_in(team: Team, login: str, password: str) -> bool:
    """Whether the server lets `login` in with `password` (over TCP, where it asks)."""
    try:
        with psycopg.connect(team.url(login), password=password):
            return True
    except psycopg.OperationalError as refused:
        assert "password authentication failed" in str(refused)
        return False


def password_entries(login: str) -> list[ChangeHistory]:
    account = Account.get(Account.login == login)
    return [e for e in records.history_of(account)
            if e.operation == accounts.PASSWORD_OPERATION]


# --- Top management sets a new password -------------------------------------------------------


def test_top_management_sets_a_forgotten_password_and_only_the_new_one_signs_in(
        team: Team) -> None:
    boss = team.member("boss", "top_management", "Tara Boss")
    forgetful = team.member("forgetful", "auditor", "Fred Forget")
    with team.open_as(boss):
        given = accounts.set_password(forgetful, NEW_PASSWORD)
        assert given == accounts.Member(forgetful, "Fred Forget", "auditor")
        [entry] = password_entries(forgetful)
        assert entry.changed_by == "Tara Boss"
        assert NEW_PASSWORD not in entry.changes and PASSWORD not in entry.changes
        assert "a new password set" in entry.changes
    assert not signs_in(team, forgetful, PASSWORD)
    assert signs_in(team, forgetful, NEW_PASSWORD)
    with team.open_as(forgetful, NEW_PASSWORD):
        assert accounts.signed_in() == accounts.SignedIn(forgetful, "Fred Forget", "auditor")
        records.create(Audit, title="Stores", planned_on=dt.date(2026, 3, 1))
    with team.open_as_administrator() as store:
        assert server.check(store).sound  # the history chain holds the new entry


def test_a_quality_officer_may_not_set_anothers_password(team: Team) -> None:
    officer = team.member("officer", "quality_officer")
    other = team.member("other", "viewer")
    with team.open_as(officer):
        before = counts()
        with pytest.raises(errors.NotPermitted) as refused:
            accounts.set_password(other, NEW_PASSWORD)
        assert refused.value.message == (
            "Your role (Quality officer) does not let you change who may sign in. "
            "Ask top management.")
        assert counts() == before
    assert signs_in(team, other, PASSWORD) and not signs_in(team, other, NEW_PASSWORD)


def test_a_bad_new_password_or_an_account_not_ours_is_refused_and_nothing_changes(
        team: Team) -> None:
    member = team.member("member", "viewer")
    with team.open_as_administrator():
        owner = records.create(Person, full_name="Omar Owner")
        records.create(Account, login="qms", person=owner, role="top_management")
        before = counts()
        with pytest.raises(errors.ValidationError) as short:
            accounts.set_password(member, "short")
        assert short.value.problems == {"password": "Password: at least 8 characters."}
        with pytest.raises(errors.ValidationError) as nul:
            accounts.set_password(member, "with a \x00 in it")
        assert "control character" in nul.value.problems["password"]
        with pytest.raises(errors.ValidationError) as unknown:
            accounts.set_password("nobody_here", NEW_PASSWORD)
        assert unknown.value.problems == {"login": "Login: no account 'nobody_here' here."}
        with pytest.raises(errors.ValidationError) as administrator:
            accounts.set_password("qms", NEW_PASSWORD)
        assert "the database's administrator" in administrator.value.problems["login"]
        with pytest.raises(errors.ValidationError) as wrong_type:
            accounts.set_password(member, 12345678)  # type: ignore[arg-type]
        assert "expected" in wrong_type.value.problems["password"]
        assert counts() == before
    assert signs_in(team, member, PASSWORD)


def test_another_databases_login_keeps_its_password(team: Team,
                                                    postgres_server: Server) -> None:
    """A login of the same server in another database's team is not this one's to change,
    even when this database has an account of that name."""
    name = postgres_server.create_database("neighbour")
    try:
        neighbour = Team(postgres_server, name)
        theirs = neighbour.member("theirs", "viewer")
        with team.open_as_administrator():
            records.create(Account, login=theirs,
                           person=records.create(Person, full_name="Same Name"),
                           role="quality_officer")
            assert [m.signs_in for m in accounts.list_accounts()] == [False]
            before = counts()
            with pytest.raises(errors.ValidationError) as refused:
                accounts.set_password(theirs, NEW_PASSWORD)
            assert "belongs to another database's team" in refused.value.problems["login"]
            assert counts() == before
        assert signs_in(neighbour, theirs, PASSWORD)
    finally:
        postgres_server.drop_database(name)


# --- Changing one's own ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "top_management"])
def test_anyone_signed_in_changes_their_own_password(team: Team, role: str) -> None:
    login = team.member("self", role)
    with team.open_as(login):
        before = counts()
        with pytest.raises(errors.ValidationError) as wrong:
            accounts.change_own_password("not my password", NEW_PASSWORD)
        assert wrong.value.problems == {"current_password": (
            "Current password: not the one this login signs in with. Nothing was changed.")}
        with pytest.raises(errors.ValidationError) as short:
            accounts.change_own_password(PASSWORD, "short")
        assert short.value.problems == {"new_password": "New password: at least 8 "
                                                        "characters."}
        with pytest.raises(errors.ValidationError) as same:
            accounts.change_own_password(PASSWORD, PASSWORD)
        assert "the same as the current one" in same.value.problems["new_password"]
        with pytest.raises(errors.ValidationError) as empty:
            accounts.change_own_password("", NEW_PASSWORD)
        assert empty.value.problems == {"current_password": "Current password: required."}
        assert signs_in(team, login, PASSWORD)
        accounts.change_own_password(PASSWORD, NEW_PASSWORD)
        # The open window keeps working, and connects again with the new password.
        server.reconnect()
        assert accounts.signed_in() is not None
        assert Site.select().count() == 1
        assert counts() == before
    assert not signs_in(team, login, PASSWORD)
    assert signs_in(team, login, NEW_PASSWORD)
    with team.open_as(login, NEW_PASSWORD):
        assert accounts.signed_in() == accounts.SignedIn(login, login.rsplit("_", 1)[0]
                                                         .capitalize(), role)


def test_on_a_file_there_is_no_password_to_change(store: object) -> None:
    with pytest.raises(errors.EnvironmentProblem) as refused:
        accounts.change_own_password(PASSWORD, NEW_PASSWORD)
    assert refused.value.title == "No sign-in on a file"
    with pytest.raises(errors.EnvironmentProblem):
        accounts.set_password("maria", NEW_PASSWORD)


# --- The command line -------------------------------------------------------------------------


def test_the_team_password_command_sets_one_typed_twice_or_from_stdin(
        team: Team, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    admin = team.postgres.url(team.dbname)
    maria = team.member("maria", "quality_officer", "Maria Khan")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    typed = iter([NEW_PASSWORD, NEW_PASSWORD + "!"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    assert cli.main(["team", "password", "--db", admin, "--login", maria]) == \
        errors.EXIT_REFUSED
    assert "The two passwords differ" in capsys.readouterr().err
    assert signs_in(team, maria, PASSWORD)
    typed = iter([NEW_PASSWORD, NEW_PASSWORD])
    assert cli.main(["team", "password", "--db", admin, "--login", maria]) == 0
    assert capsys.readouterr().out == (
        f"Maria Khan signs in as {maria} (Quality officer) with the new password.\n")
    assert signs_in(team, maria, NEW_PASSWORD) and not signs_in(team, maria, PASSWORD)
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert cli.main(["team", "password", "--db", admin, "--login", maria,
                     "--password-stdin"]) == errors.EXIT_BAD_ARGUMENTS
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at least 8 characters" in err
    assert "Nothing was changed" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["team", "password", "--db", admin, "--login", "nobody",
                     "--password-stdin"]) == errors.EXIT_BAD_ARGUMENTS
    assert "no account 'nobody' here" in capsys.readouterr().err
    assert signs_in(team, maria, NEW_PASSWORD)


# --- After a copy onto a new server ------------------------------------------------------------


@pytest.fixture(scope="module")
def new_server() -> Iterator[Server]:
    """Another PostgreSQL server (the one a company moves to): none of the run's logins."""
    reason = postgres.why_not_available()
    if reason is not None:
        pytest.skip(reason)
    with postgres.running_server() as started:
        yield started


def test_after_a_copy_to_a_new_server_team_password_gives_each_their_sign_in_back(
        team: Team, new_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    auditor = team.member("aud", "auditor", "Ada Auditor")
    officer = team.member("qo", "quality_officer", "Quinn Officer")
    target_name = new_server.create_database("moved")
    target = new_server.url(target_name)
    moved = Team(new_server, target_name)
    assert cli.main(["copy", "--from", team.postgres.url(team.dbname), "--to", target]) == 0
    said = capsys.readouterr().out
    assert "The copy is verified" in said
    assert (f"Note: 2 accounts were copied, but a sign-in (the login and its password) is "
            "kept by the server it was made on, never in the records: give each person a "
            "password here, which gives them their sign-in again:\n"
            f"  qms-desktop team password --db {target} --login {auditor}\n"
            f"  qms-desktop team password --db {target} --login {officer}\n") in said
    # Nobody signs in there yet, and `team list` says who needs a password.
    with pytest.raises(errors.EnvironmentProblem):
        moved.open_as(auditor)
    assert cli.main(["team", "list", "--db", target]) == 0
    hint = ("  – no sign-in here yet: give them a password (qms-desktop team password "
            f"--db {target} --login ")
    assert capsys.readouterr().out == (
        f"{auditor}  Ada Auditor  Auditor{hint}{auditor})\n"
        f"{officer}  Quinn Officer  Quality officer{hint}{officer})\n")
    # Adding them again is refused (the account is there): a password is the way.
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["team", "add", "--db", target, "--login", auditor, "--name", "X Y",
                     "--role", "auditor", "--password-stdin"]) == errors.EXIT_BAD_ARGUMENTS
    assert "already an account" in capsys.readouterr().err
    for login in (auditor, officer):
        monkeypatch.setattr(sys, "stdin", io.StringIO(NEW_PASSWORD + "\n"))
        assert cli.main(["team", "password", "--db", target, "--login", login,
                         "--password-stdin"]) == 0
    capsys.readouterr()
    assert cli.main(["team", "list", "--db", target]) == 0
    assert capsys.readouterr().out == (f"{auditor}  Ada Auditor  Auditor\n"
                                       f"{officer}  Quinn Officer  Quality officer\n")
    with moved.open_as(auditor, NEW_PASSWORD):
        assert accounts.signed_in() == accounts.SignedIn(auditor, "Ada Auditor", "auditor")
        records.create(Audit, title="After the move", planned_on=dt.date(2026, 6, 1))
        with pytest.raises(errors.NotPermitted):
            records.create(Supplier, name="Not an auditor's")
        [entry] = password_entries(auditor)
        assert "sign-in made here" in entry.changes and NEW_PASSWORD not in entry.changes
    with moved.open_as(officer, NEW_PASSWORD):
        records.create(Supplier, name="Acme Castings")
    # The grants followed: the server itself lets each do what their role may.
    with psycopg.connect(moved.url(auditor), password=NEW_PASSWORD, autocommit=True) as raw:
        raw.execute("UPDATE audit SET title = 'Renamed'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("UPDATE supplier SET name = 'x'")
    new_server.drop_database(target_name)
