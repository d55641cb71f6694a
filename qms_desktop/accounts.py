"""Who is signed in on a server, and what their role lets them do.

On a PostgreSQL server each person signs in as their own login role (the connection's
`session_user`), mapped to a person by an `account` row with one of ROLES. Why login roles
rather than passwords kept by the app: the server itself then knows who writes, so its
GRANTs hold the roles for any client (psql too), PostgreSQL keeps the passwords hashed
(SCRAM-SHA-256), and no shared password can leak. A file (SQLite) has no sign-in: whoever
opens it may do everything, so `signed_in()` is None and `may()` True there.

set_up_groups gives each role's group its grants, and keeps the change history
append-only there: nobody but the owner of the tables can rewrite or delete an entry.

The services ask `require("write:<table>")` before every write (records.py does it for all
of them), `require("close_review")` to close a review and `require("manage_accounts")` to
manage the accounts; NotPermitted is a ValidationError, so a form shows it like any refusal.

Passwords: top management gives a member a new one (`set_password`), which also makes the
login where this server has none (a database copied from another server brings its accounts,
never their logins); anyone signed in changes their own (`change_own_password`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from qms_desktop import errors

if TYPE_CHECKING:
    from qms_desktop.models import Account, Person

ROLES = ("top_management", "quality_officer", "auditor", "viewer")
ROLE_LABELS = {
    "top_management": "Top management",
    "quality_officer": "Quality officer",
    "auditor": "Auditor",
    "viewer": "Viewer",
}

CLOSE_REVIEW = "close_review"
MANAGE_ACCOUNTS = "manage_accounts"
WRITE = "write:"

# What an auditor may write: the audits and what belongs to them (findings, kits taken on
# site, checklists), the nonconformities they raise with their root-cause work, the
# actions, and attachments (evidence photos).
AUDITOR_TABLES = frozenset({
    "audit", "finding", "audit_kit", "checklist_template", "checklist_question",
    "nonconformity", "why_step", "fishbone_cause", "effectiveness_review",
    "action", "attachment",
})
# Written with every change by whoever makes it (records.py); rewritten by nobody.
HISTORY_TABLE = "change_history"
ACCOUNT_TABLE = "account"


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in on a server: their login role, the mapped person's name, their role."""

    login: str
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


# Who signed in, and the database object they signed in to: another database opened since
# (a file, say) is not theirs.
_current: tuple[SignedIn, object] | None = None


def sign_in(who: SignedIn | None) -> None:
    """The open server's signed-in user (server.open_server); None signs out."""
    global _current
    if who is None:
        _current = None
        return
    from qms_desktop.models import database

    _current = (who, database.obj)


def signed_in() -> SignedIn | None:
    """Who is signed in to the open server; None on a file (which has no sign-in)."""
    if _current is None:
        return None
    from qms_desktop.models import database, on_server

    who, signed_to = _current
    if not on_server() or database.obj is not signed_to:
        return None
    return who


def role_may(role: str, action: str) -> bool:
    """Whether `role` may do `action` ("write:<table>", "close_review", "manage_accounts")."""
    if role == "top_management":
        return True
    if action in (MANAGE_ACCOUNTS, CLOSE_REVIEW, WRITE + ACCOUNT_TABLE):
        return False
    if not action.startswith(WRITE):
        return False
    table = action[len(WRITE):]
    if role == "quality_officer":
        return True
    if role == "auditor":
        return table in AUDITOR_TABLES or table == HISTORY_TABLE
    return False


def may(action: str) -> bool:
    """Whether the signed-in user may do `action`; always on a file."""
    who = signed_in()
    return who is None or role_may(who.role, action)


def require(action: str) -> None:
    """Raise NotPermitted, in a plain sentence, unless the signed-in user may do `action`."""
    who = signed_in()
    if who is None or role_may(who.role, action):
        return
    raise errors.NotPermitted(
        action,
        f"Your role ({who.role_label}) does not let you {describe(action)}. "
        f"Ask {_who_may(action)}.",
    )


def _who_may(action: str) -> str:
    """"a quality officer or top management": the roles that may, the least first."""
    names = [("top management" if role == "top_management"
              else ("an " if role == "auditor" else "a ") + ROLE_LABELS[role].lower())
             for role in reversed(ROLES) if role_may(role, action)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def describe(action: str) -> str:
    """The action as the end of "does not let you ...": "change suppliers"."""
    if action == CLOSE_REVIEW:
        return "close a management review"
    if action == MANAGE_ACCOUNTS or action == WRITE + ACCOUNT_TABLE:
        return "change who may sign in"
    if action.startswith(WRITE):
        table = action[len(WRITE):]
        if table == "setting":
            return "change the settings"
        if table == HISTORY_TABLE:
            return "write to the change history"
        from qms_desktop.models import MODELS_BY_TABLE, Record

        model = MODELS_BY_TABLE.get(table)
        plural = model.display_plural if model is not None and issubclass(model, Record) \
            else ""
        return f"change {(plural or table.replace('_', ' ')).lower()}"
    return action.replace("_", " ")


# --- On the server: the group roles and their grants ------------------------------------------

# A PostgreSQL name is at most 63 bytes.
NAME_LIMIT = 63


def group_role(dbname: str, role: str) -> str:
    """The group role holding `role`'s grants on database `dbname`: role names are the
    whole server's, so the database's name is in it ("qms_sales_viewer"); a long name is
    cut and made unique with a few characters of its hash."""
    name = f"qms_{dbname}_{role}"
    if len(name.encode()) <= NAME_LIMIT:
        return name
    import hashlib

    digest = hashlib.sha256(dbname.encode()).hexdigest()[:8]
    room = NAME_LIMIT - len(f"qms__{digest}_{role}")
    cut = dbname.encode()[:room].decode(errors="ignore")
    return f"qms_{cut}_{digest}_{role}"


def _tables_written_by(role: str, tables: list[str]) -> list[str]:
    if role == "viewer":
        return []
    kept = [t for t in tables if t not in (HISTORY_TABLE, _VERSION_TABLE)]
    if role == "auditor":
        return [t for t in kept if t in AUDITOR_TABLES]
    if role == "quality_officer":
        return [t for t in kept if t != ACCOUNT_TABLE]
    return kept


_VERSION_TABLE = "qms_schema_version"  # migrations.SERVER_VERSION_TABLE: the owner's alone


def may_make_roles(connection: Any) -> bool:
    row = connection.execute("SELECT rolsuper OR rolcreaterole FROM pg_catalog.pg_roles "
                             "WHERE rolname = session_user").fetchone()
    return bool(row and row[0])


def set_up_groups(connection: Any, *, quietly: bool = False) -> None:
    """Make this database's group roles (one per role) and grant each its tables.

    Everyone reads every table. The change history is append-only for all of them: INSERT
    and SELECT only, so nobody but the owner of the tables can rewrite or delete an entry,
    whatever client they use. An auditor writes the audit tables (AUDITOR_TABLES); a
    quality officer and top management write every table, and only top management the
    accounts. Run again, it grants the same (new tables included) and nothing more: a
    later schema step that adds tables runs it again in its Python part, as step 14 does.

    Needs a login that may make roles (a superuser, or one with CREATEROLE); `quietly`
    skips it otherwise (a schema step), else EnvironmentProblem.
    """
    from psycopg import sql

    if not may_make_roles(connection):
        if quietly:
            return
        login = connection.execute("SELECT session_user").fetchone()[0]
        raise errors.EnvironmentProblem(
            "Cannot make sign-ins",
            f"Your login {login} may not create roles on this database server, so no one "
            "can be given a sign-in. Nothing was changed.",
            f"Ask the server's administrator to allow it (ALTER ROLE {login} CREATEROLE), "
            "or add the people as a superuser.",
        )
    dbname, schema = connection.execute(
        "SELECT current_database(), current_schema()").fetchone()
    tables = sorted(row[0] for row in connection.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"))
    for role in ROLES:
        name = group_role(dbname, role)
        group = sql.Identifier(name)
        exists = connection.execute("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?",
                                    (name,)).fetchone()
        if exists is None:
            connection.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(group))
        in_schema = sql.Identifier(schema)
        connection.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}")
                           .format(in_schema, group))
        connection.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(in_schema, group))
        connection.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}")
                           .format(in_schema, group))
        connection.execute(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}")
                           .format(in_schema, group))
        if HISTORY_TABLE in tables:
            connection.execute(sql.SQL("GRANT INSERT ON {} TO {}")
                               .format(sql.Identifier(HISTORY_TABLE), group))
        written = _tables_written_by(role, tables)
        if written:
            rights = "INSERT, UPDATE" if role == "auditor" else "INSERT, UPDATE, DELETE"
            connection.execute(sql.SQL("GRANT " + rights + " ON {} TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, written)), group))
    _make_sign_in_functions(connection, schema, dbname)


# Making and removing login roles needs CREATEROLE, which top management's logins must not
# have (it would let them make themselves the owner, and rewrite the history). So the
# administrator, who has it, makes these two functions, which run as their maker (SECURITY
# DEFINER) and only do this: give a login one of this database's groups (making it, or
# giving back its sign-in, with a password hashed on the client), or take the groups away.
# Only top management's group may call them; the services check the rest before.
_GRANT_FUNCTION = r"""
CREATE OR REPLACE FUNCTION {schema}.qms_account_grant(who text, password_hash text,
                                                      wanted text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
    groups text[] := {groups};
    g text;
BEGIN
    IF NOT wanted = ANY (groups) THEN
        RAISE EXCEPTION 'not a group of this database: %', wanted;
    END IF;
    IF who !~ '^[a-z][a-z0-9_]*$' OR who LIKE 'pg\_%' OR who LIKE 'qms\_%' THEN
        RAISE EXCEPTION 'not a login name: %', who;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who) THEN
        -- Only a login of this database's own: no rights of its own, not the owner, in no
        -- group but this database's, and either in one of them or without its sign-in.
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who AND (rolsuper OR
                   rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls))
           OR pg_has_role(who, {owner}, 'MEMBER')
           OR EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                      JOIN pg_roles g ON g.oid = m.roleid
                      WHERE r.rolname = who AND NOT g.rolname = ANY (groups))
           OR NOT (NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = who)
                   OR EXISTS (SELECT 1 FROM pg_auth_members m
                              JOIN pg_roles r ON r.oid = m.member
                              JOIN pg_roles g ON g.oid = m.roleid
                              WHERE r.rolname = who AND g.rolname = ANY (groups)))
        THEN
            RAISE EXCEPTION 'the login % is not one this database gave', who;
        END IF;
        IF password_hash <> '' THEN
            EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', who, password_hash);
        END IF;
    ELSE
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', who, password_hash);
    END IF;
    FOREACH g IN ARRAY groups LOOP
        IF g <> wanted AND pg_has_role(who, g, 'MEMBER') THEN
            EXECUTE format('REVOKE %I FROM %I', g, who);
        END IF;
    END LOOP;
    EXECUTE format('GRANT %I TO %I', wanted, who);
END
$body$;
REVOKE ALL ON FUNCTION {schema}.qms_account_grant(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {schema}.qms_account_grant(text, text, text) TO {manager};

CREATE OR REPLACE FUNCTION {schema}.qms_account_revoke(who text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
    groups text[] := {groups};
    g text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who)
       OR pg_has_role(who, {owner}, 'MEMBER') THEN
        RETURN;
    END IF;
    FOREACH g IN ARRAY groups LOOP
        IF EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                   JOIN pg_roles gr ON gr.oid = m.roleid
                   WHERE r.rolname = who AND gr.rolname = g) THEN
            EXECUTE format('REVOKE %I FROM %I', g, who);
        END IF;
    END LOOP;
    -- A login in no other database's groups may no longer sign in at all.
    IF NOT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
                   WHERE r.rolname = who) THEN
        EXECUTE format('ALTER ROLE %I NOLOGIN', who);
    END IF;
END
$body$;
REVOKE ALL ON FUNCTION {schema}.qms_account_revoke(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {schema}.qms_account_revoke(text) TO {manager};
"""


def _make_sign_in_functions(connection: Any, schema: str, dbname: str) -> None:
    from psycopg import sql

    groups = [group_role(dbname, role) for role in ROLES]
    owner = _owner_of_tables(connection)
    text = _GRANT_FUNCTION.format(
        schema=sql.Identifier(schema).as_string(connection),
        groups=sql.SQL("ARRAY[{}]::text[]").format(
            sql.SQL(", ").join(map(sql.Literal, groups))).as_string(connection),
        owner=sql.Literal(owner).as_string(connection),
        manager=sql.Identifier(group_role(dbname, "top_management")).as_string(connection),
    )
    connection.execute(text)


# --- On the server: who signed in ------------------------------------------------------------


def _owner_of_tables(connection: Any) -> str:
    row = connection.execute("SELECT tableowner FROM pg_catalog.pg_tables "
                             "WHERE schemaname = current_schema() AND tablename = ?",
                             (_VERSION_TABLE,)).fetchone()
    return str(row[0]) if row else ""


def is_administrator(connection: Any, login: str | None = None) -> bool:
    """Whether `login` (the session's when None) owns the tables, or is a member of the role
    that does (a superuser counts as a member of every role)."""
    owner = _owner_of_tables(connection)
    if not owner:
        return False
    row = connection.execute(
        "SELECT pg_has_role(COALESCE(?, session_user), ?, 'MEMBER')",
        (login, owner)).fetchone()
    return bool(row and row[0])


def not_a_member(login: str, where: str) -> errors.EnvironmentProblem:
    return errors.EnvironmentProblem(
        "Not a member",
        f"Your login {login} is not a member of this quality system ({where}). "
        "Nothing was opened.",
        "Ask top management to add you (qms-desktop team add), then sign in again.",
    )


def check_admitted(connection: Any, where: str) -> None:
    """Refuse a login that may not even read this quality system's tables (one that was
    never added, or was removed), before anything is read; a new empty database admits
    anyone the server lets make tables."""
    row = connection.execute(
        f"SELECT session_user, to_regclass('\"{_VERSION_TABLE}\"') IS NULL "
        f"OR has_table_privilege('\"{_VERSION_TABLE}\"', 'SELECT')").fetchone()
    if not row[1]:
        raise not_a_member(str(row[0]), where)


def identify(connection: Any, where: str) -> SignedIn:
    """Who the session's login role is in this quality system (server.open_server): the
    administrator who owns the tables may do everything; anyone else needs a live account.
    `where` names the database in the refusal."""
    from qms_desktop.models import Account, Person

    login = str(connection.execute("SELECT session_user").fetchone()[0])
    account = (Account.select(Account, Person).join(Person)
               .where((Account.login == login) & Account.archived_at.is_null()).first())
    if is_administrator(connection):
        name = account.person.full_name if account is not None else login
        return SignedIn(login=login, name=name, role="top_management")
    if account is None:
        raise not_a_member(login, where)
    return SignedIn(login=login, name=account.person.full_name, role=account.role)


# --- Managing the accounts (top management and the administrator) ----------------------------


@dataclass(frozen=True)
class Member:
    """One account as listed: who signs in as `login`, and their role. `signs_in` is False
    when this server has no sign-in for the login (the records were copied from another
    server, which keeps the logins and passwords): `set_password` gives it one."""

    login: str
    name: str
    role: str
    signs_in: bool = True

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


F = TypeVar("F", bound=Callable[..., Any])


def _strict(function: F) -> F:
    """fields.strict_arguments, taken on the first call: this module stays light (peewee
    unloaded) for the window, which reads who is signed in before its first paint."""
    checked: list[Callable[..., Any]] = []

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        if not checked:
            from qms_desktop.fields import strict_arguments

            checked.append(strict_arguments(function))
        return checked[0](*args, **kwargs)

    return cast(F, call)


# Long enough that guessing one over the network is hopeless; the server hashes it.
SHORTEST_PASSWORD = 8


def _on_server_only() -> None:
    from qms_desktop.models import on_server

    if not on_server():
        raise errors.EnvironmentProblem(
            "No sign-in on a file",
            "A file has no sign-in: whoever opens it may do everything, so it has no "
            "accounts to manage. Nothing was changed.",
            "Manage accounts on a server database (--db postgresql://...).",
        )


def list_accounts() -> list[Member]:
    """The accounts that may sign in, by login."""
    _on_server_only()
    from qms_desktop.models import Account, Person, database

    query = (Account.select(Account, Person).join(Person)
             .where(Account.archived_at.is_null()).order_by(Account.login))
    found = list(query)
    signing_in = _logins_signing_in(database.connection(), [a.login for a in found])
    return [Member(a.login, a.person.full_name, a.role, a.login in signing_in)
            for a in found]


def _logins_signing_in(connection: Any, logins: list[str]) -> set[str]:
    """Those of `logins` that may sign in to this database: a login role of this server
    that may log in and is in one of this database's groups, or is its administrator."""
    if not logins:
        return set()
    dbname = connection.execute("SELECT current_database()").fetchone()[0]
    groups = [group_role(dbname, role) for role in ROLES]
    owner = _owner_of_tables(connection)
    rows = connection.execute(
        "SELECT r.rolname FROM pg_catalog.pg_roles r WHERE r.rolcanlogin "
        "AND r.rolname = ANY (?) AND (pg_has_role(r.rolname, ?, 'MEMBER') OR EXISTS ("
        "SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g "
        "ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = ANY (?)))",
        (logins, owner or "pg_database_owner", groups))
    return {str(row[0]) for row in rows}


def without_sign_in() -> list[str]:
    """The logins of the accounts that cannot sign in here yet (copied from another
    server): each needs a password given here (`set_password`)."""
    return [m.login for m in list_accounts() if not m.signs_in]


def password_command(where: object, login: str) -> str:
    """The command that gives `login` a password (and so its sign-in) on `where`."""
    return f"qms-desktop team password --db {where} --login {login}"


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise errors.ValidationError({"role": f"Role: {role!r} is not a role here; choose "
                                              f"one of {', '.join(ROLES)}."})
    return role


def _checked_password(password: str, name: str = "password",
                      caption: str = "Password") -> str:
    if len(password) < SHORTEST_PASSWORD:
        raise errors.ValidationError({name: f"{caption}: at least "
                                            f"{SHORTEST_PASSWORD} characters."})
    if "\x00" in password:
        raise errors.ValidationError({name: f"{caption}: contains a NUL character."})
    return password


def _live_account(login: str) -> Account:
    from qms_desktop.models import Account

    account = Account.get_or_none((Account.login == login) & Account.archived_at.is_null())
    if account is None:
        raise errors.ValidationError({"login": f"Login: no account {login!r} here."})
    return account


def _server_login_exists(connection: Any, login: str) -> bool:
    return connection.execute("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?",
                              (login,)).fetchone() is not None


def _ready_groups(connection: Any) -> dict[str, str]:
    """This database's group role of each role, made (or granted again) first when the
    administrator asks; anyone else finds them made."""
    if is_administrator(connection):
        set_up_groups(connection)
    dbname = connection.execute("SELECT current_database()").fetchone()[0]
    made = connection.execute(
        "SELECT to_regprocedure('qms_account_grant(text, text, text)') IS NOT NULL"
    ).fetchone()[0]
    if not made:
        raise errors.EnvironmentProblem(
            "Sign-ins not set up",
            "This database's roles have not been set up on the server yet, so no one can "
            "be given a sign-in. Nothing was changed.",
            "Ask the database's administrator (who made it) to add the first account.",
        )
    return {role: group_role(dbname, role) for role in ROLES}


@_strict
def add_account(login: str, person: Person | str, role: str, password: str) -> Member:
    """Let `person` (a Person, or the name of a new one) sign in as `login` with `role`.

    Makes the PostgreSQL login role with the password, hashed (SCRAM-SHA-256) before it
    leaves this computer, as a member of the role's group; the account, and a new person,
    are written with their history in the same transaction. A login whose account was
    removed is given back its sign-in. ValidationError for a bad login, role or password,
    or a login taken.
    """

    from qms_desktop import fields, records
    from qms_desktop.models import Account, Person, database

    _on_server_only()
    require(MANAGE_ACCOUNTS)
    login = fields.check(Account.login, login)
    _checked_role(role)
    _checked_password(password)
    if isinstance(person, str):
        fields.check(Person.full_name, person)
    elif not isinstance(person, Person) or person.archived_at is not None:
        raise errors.ValidationError({"person": "Person: choose a person not archived."})
    with database.atomic():
        connection = database.connection()
        groups = _ready_groups(connection)
        earlier = Account.get_or_none(Account.login == login)
        if earlier is not None and earlier.archived_at is None:
            raise errors.ValidationError(
                {"login": f"Login: there is already an account {login!r}."})
        if earlier is None and _server_login_exists(connection, login):
            raise errors.ValidationError({"login": (
                f"Login: the server already has a login {login!r} (for another database, "
                "perhaps); choose another name.")})
        if isinstance(person, str):
            person = records.create(Person, full_name=person)
        if earlier is None:
            records.create(Account, login=login, person=person, role=role)
        else:
            records.update(earlier, person=person, role=role)
            records.unarchive(earlier)
        hashed = connection.pgconn.encrypt_password(
            password.encode(), login.encode(), b"scram-sha-256").decode()
        connection.execute("SELECT qms_account_grant(?, ?, ?)",
                           (login, hashed, groups[role]))
    return Member(login, person.full_name, role)


@_strict
def change_role(login: str, role: str) -> Member:
    """Give the account `login` another role: its account, and its group on the server."""

    from qms_desktop import records
    from qms_desktop.models import database

    _on_server_only()
    require(MANAGE_ACCOUNTS)
    _checked_role(role)
    with database.atomic():
        account = _live_account(login)
        records.update(account, role=role)
        connection = database.connection()
        groups = _ready_groups(connection)
        connection.execute("SELECT qms_account_grant(?, '', ?)", (login, groups[role]))
    return Member(login, account.person.full_name, role)


@_strict
def remove_account(login: str) -> None:
    """Stop `login` signing in here: its account is archived (its history kept) and its
    login role leaves this database's groups; it loses LOGIN unless it still belongs to
    another database's groups. The administrator's own login keeps what it has."""

    from qms_desktop import records
    from qms_desktop.models import database

    _on_server_only()
    require(MANAGE_ACCOUNTS)
    who = signed_in()
    if who is not None and who.login == login:
        raise errors.ValidationError({"login": "Login: you cannot remove your own account; "
                                               "ask someone else in top management."})
    with database.atomic():
        account = _live_account(login)
        records.archive(account)
        connection = database.connection()
        _ready_groups(connection)
        connection.execute("SELECT qms_account_revoke(?)", (login,))


# Only the login's own group is this database's to give; a login of the server's that
# belongs to another database's team (or is its administrator) keeps its password.
_NOT_OURS = "is not one this database gave"
PASSWORD_OPERATION = "password"  # the history entry's operation (at most 10 characters)


@_strict
def set_password(login: str, password: str) -> Member:
    """Give the account `login` a new password (someone forgot theirs), hashed
    (SCRAM-SHA-256) before it leaves this computer, through the administrator's
    qms_account_grant as add_account does. Where this server has no login for the account
    (its records were copied from another server), the login is made with its role's group:
    that is how the people of a copied database get their sign-ins back.

    The history says that a password was set, never the password. ValidationError for a
    bad password, an unknown account, or a login that is not this database's to change
    (the administrator's, a superuser's, another database's); NotPermitted unless top
    management.
    """
    import peewee

    from qms_desktop import records
    from qms_desktop.models import database

    _on_server_only()
    require(MANAGE_ACCOUNTS)
    _checked_password(password)
    with database.atomic():
        account = _live_account(login)
        connection = database.connection()
        made = not _server_login_exists(connection, login)
        if not made and is_administrator(connection, login):
            raise errors.ValidationError({"login": (
                f"Login: {login} is the database's administrator (or a superuser of the "
                "server); their password is changed on the server itself, by them or the "
                "server's administrator.")})
        group = _ready_groups(connection)[account.role]
        records.log_event(ACCOUNT_TABLE, account.id, PASSWORD_OPERATION, {
            "login": login,
            "password": "sign-in made here, with a new password" if made
            else "a new password set"})
        hashed = connection.pgconn.encrypt_password(
            password.encode(), login.encode(), b"scram-sha-256").decode()
        try:
            connection.execute("SELECT qms_account_grant(?, ?, ?)", (login, hashed, group))
        except peewee.DatabaseError as refused:
            if _NOT_OURS not in str(refused):
                raise
            raise errors.ValidationError({"login": (
                f"Login: the server's login {login!r} belongs to another database's team, "
                "so its password is not this database's to set. Nothing was changed; ask "
                f"the server's administrator to let it in here too (GRANT {group} TO "
                f"{login}).")}) from None
    return Member(login, account.person.full_name, account.role)


@_strict
def change_own_password(current: str, new: str) -> None:
    """The signed-in person's own new password, for anyone signed in to a server (PostgreSQL
    lets a login change its own password); hashed (SCRAM-SHA-256) before it is sent.

    `current` is checked first by signing in with it on a connection of its own, so a
    window left open cannot have its password changed by whoever passes by. Where the
    server does not ask this login for a password (trusted on its socket) there is nothing
    to check, and none is needed to sign in there. The open connection keeps working, and
    connects again with the new password. ValidationError for a wrong current password or
    a new one too short or the same.
    """
    import psycopg
    from psycopg import sql

    from qms_desktop import server
    from qms_desktop.models import database

    _on_server_only()
    if not current:
        raise errors.ValidationError({"current_password": "Current password: required."})
    _checked_password(new, "new_password", "New password")
    if new == current:
        raise errors.ValidationError({"new_password": "New password: the same as the "
                                                      "current one; choose another."})
    target = database.obj
    address = server.ServerAddress.parse(target.database)
    params = {**target.connect_params, "password": current}
    try:
        with psycopg.connect(target.database, autocommit=True,
                             connect_timeout=server.CONNECT_TIMEOUT_SECONDS, **params) as probe:
            row = probe.execute("SELECT session_user").fetchone()
            login = str(row[0]) if row else ""
    except psycopg.OperationalError as exc:
        if "password authentication failed" in str(exc).lower():
            raise errors.ValidationError({"current_password": (
                "Current password: not the one this login signs in with. Nothing was "
                "changed.")}) from None
        raise server.unreachable(address, exc) from None
    connection = database.connection()
    hashed = connection.pgconn.encrypt_password(
        new.encode(), login.encode(), b"scram-sha-256").decode()
    connection.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(
        sql.Identifier(login), sql.Literal(hashed)))
    if "password" in target.connect_params:  # connecting again (server.reconnect)
        target.connect_params["password"] = new
