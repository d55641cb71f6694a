"""The command line: open the window, or run one headless command on the database.

No Qt here: the window is started through the `open_window` callable that `main.py` passes
in, so `demo`, `check`, `backup`, `restore` and `export` work on a machine without a display.
Problems the user can act on (file locked, damaged, disk full...) print one plain line to
stderr with an exit code; a real bug keeps its traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qms_desktop import (
    APP_NAME,
    __version__,
    accounts,
    clock,
    db,
    errors,
    files,
    packs,
    paths,
    reviews,
)
from qms_desktop.errors import ValidationError
from qms_desktop.models import ALL_MODELS, Setting, database

if TYPE_CHECKING:
    from qms_desktop import transfer
    from qms_desktop.server import ServerAddress

# Where the records are: a file, or a server's address (`--db postgresql://...`).
Location = Path | str

OpenWindow = Callable[[Location, bool], int]
EXIT_OK = 0
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # as a shell reports a command ended by SIGPIPE

PROG = "qms-desktop"
# export.FORMATS, named here so the exporter (zipfile, babel: 25 ms) loads only for `export`;
# tests/qms_desktop/test_cli.py checks the two agree.
EXPORT_FORMATS = ("xlsx", "json")


class _Refused(Exception):
    """The command would replace data or a file; the message says how to go ahead anyway."""


# --- Arguments --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the command: the sub-commands share a parent whose
    # default is SUPPRESS, so a --db given before the command is not overwritten by None.
    database_option = _database_option(default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=f"{APP_NAME}: run an ISO 9001 quality management system from a laptop. "
        "Without a command it opens the window.",
        epilog="examples:\n"
        f"  {PROG}                                  open the window\n"
        f"  {PROG} demo --db sample.db              try it with a sample company\n"
        f"  {PROG} backup --out qms-copy.db         copy your database somewhere safe\n"
        f"  {PROG} export --format xlsx --out qms.xlsx\n"
        f"  {PROG} export-pack --out review.pdf     the latest review's pack\n"
        f"  {PROG} import suppliers.xlsx --dry-run  check a spreadsheet before importing it\n"
        "\nexit codes:\n"
        "  0    done\n"
        f"  {errors.EXIT_BAD_ARGUMENTS}    bad arguments (the usage is printed)\n"
        f"  {errors.EXIT_ENVIRONMENT}    a problem with the file or the disk: not there, in use, "
        "empty, damaged,\n"
        "       made by another program or a newer version, disk full, read-only;\n"
        "       or the database server not reached\n"
        f"  {errors.EXIT_CHECK_FAILED}    `check` found a problem, or a frozen pack no longer "
        "matches its record\n"
        f"  {errors.EXIT_REFUSED}    refused: it would replace data or a file (add --force)\n"
        f"  {EXIT_INTERRUPTED}  interrupted (Ctrl+C)\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_database_option(default=None)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    demo = commands.add_parser(
        "demo",
        parents=[database_option],
        help="fill the database with a sample company to try the product",
        description="Fill the database with a made-up company: people, processes, risks, "
        "objectives, KPI readings, audits, reviews and actions. An empty database is "
        "required unless --force is given, which first takes a backup and then replaces "
        "everything in it.",
    )
    demo.add_argument(
        "--size",
        choices=("small", "large"),
        default="small",
        help="small: a few hundred records to look around; large: tens of thousands, "
        "to see how it copes with years of data (default: small)",
    )
    demo.add_argument(
        "--seed", type=int, default=1, help="the same seed makes the same company (default: 1)"
    )
    demo.add_argument(
        "--force",
        action="store_true",
        help="replace the records already in the database (a backup is taken first)",
    )
    demo.add_argument(
        "--today", type=_as_of_day, default=None, metavar="YYYY-MM-DD",
        help="stop the small company's history at the end of that day: the same history as "
        "without it (it ends around today), with what happened after the day left out",
    )
    demo.set_defaults(handler=_demo)

    check = commands.add_parser(
        "check",
        parents=[database_option],
        help="check the database file is sound",
        description="Check the database: SQLite's integrity check, links between records, "
        "data format version and tables, and the evidence: the change history's hash chain, "
        "every record against its history, every frozen review pack (the first thing altered "
        f"outside the app is named). Exits 0 when sound, {errors.EXIT_CHECK_FAILED} "
        f"when a problem was found, {errors.EXIT_ENVIRONMENT} when the file is not a QMS "
        "Desktop database at all (missing, empty, damaged, another program's) and is left "
        "as it is.",
    )
    check.set_defaults(handler=_check)

    backup = commands.add_parser(
        "backup",
        parents=[database_option],
        help="copy the database to a file",
        description="Write a consistent copy of the database to FILE, safe even while the "
        "window has it open. The copy can be opened, or put back with `restore`. A server's "
        "database (--db postgresql://...) is written to an SQLite file as one moment of its "
        "records while others go on working, then checked and compared with the server.",
    )
    backup.add_argument("--out", metavar="FILE", required=True, help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser(
        "restore",
        parents=[database_option],
        help="put a backup back in place of the database",
        description="Replace the database with the backup FILE. The data as it was is kept "
        "as a safety copy in the backups folder, or, if the database is damaged, the "
        "damaged file is kept beside it under a new name. Nothing is ever deleted.",
    )
    restore.add_argument("file", metavar="FILE", help="the backup to restore")
    restore.set_defaults(handler=_restore)

    copy_parser = commands.add_parser(
        "copy",
        help="copy every record between a database file and a PostgreSQL server",
        description="Copy every record, with its change history, from one database into a "
        "new or empty one: a file to a server (--to postgresql://user@host:port/dbname) or a "
        "server to a file. The target is written in one transaction (nothing, if the copy "
        "stops), then verified: `check` on both, every table compared, and the exports of "
        "both equal. No password in an address: you are asked for it, or set PGPASSWORD or "
        "use a ~/.pgpass file.",
    )
    copy_parser.add_argument("--from", dest="source", metavar="FILE|ADDRESS", required=True,
                             help="the database to copy: a file, or postgresql://...")
    copy_parser.add_argument("--to", dest="target", metavar="FILE|ADDRESS", required=True,
                             help="a new file, or a server's empty database")
    copy_parser.set_defaults(handler=_copy)

    export_parser = commands.add_parser(
        "export",
        parents=[database_option],
        help="export every register to Excel or JSON",
        description="Write every register, archived records included, and the change "
        "history to one Excel workbook (a sheet per register) or one JSON file.",
    )
    export_parser.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help="xlsx or json (default: taken from the name given to --out)",
    )
    export_parser.add_argument("--out", metavar="FILE", required=True, help="the file to write")
    export_parser.add_argument(
        "--force", action="store_true", help="overwrite FILE if it exists"
    )
    export_parser.set_defaults(handler=_export, command_parser=export_parser)

    import_parser = commands.add_parser(
        "import",
        parents=[database_option],
        help="import a register from a spreadsheet (xlsx, ods or csv)",
        description="Read FILE's sheets into the registers they match (by sheet name or "
        "headings; the export's own workbook reads back whole). Every row is checked first: "
        "either all rows are written, or none and each problem is printed with its row and "
        "column. A row whose ID exists updates that record; any other row makes a new one.",
    )
    import_parser.add_argument("file", metavar="FILE", help="the spreadsheet to import")
    import_parser.add_argument("--register", metavar="NAME",
                               help="the register to import into, such as Suppliers "
                               "(default: guessed from each sheet's name and headings)")
    import_parser.add_argument("--dry-run", action="store_true",
                               help="check every row and print the problems; write nothing")
    import_parser.add_argument("--problems", metavar="FILE.xlsx",
                               help="also save the problems beside their rows in a workbook")
    import_parser.set_defaults(handler=_import)

    template = commands.add_parser(
        "export-template",
        help="write an empty workbook to fill in and import",
        description="Write an empty workbook with a register's headings, a row of notes on "
        "what each column takes and drop-down lists for the columns with listed values.",
    )
    template.add_argument("--register", metavar="NAME", required=True,
                          help="the register, such as Suppliers or \"Risks and opportunities\"")
    template.add_argument("--out", metavar="FILE.xlsx", required=True, help="the file to write")
    template.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    template.set_defaults(handler=_export_template)

    reviews_parser = commands.add_parser(
        "reviews",
        parents=[database_option],
        help="list the management reviews",
        description="List the management reviews, newest first: id, meeting date and status.",
    )
    reviews_parser.set_defaults(handler=_reviews)

    pack = commands.add_parser(
        "export-pack",
        parents=[database_option],
        help="write a management review pack as PDF or HTML",
        description="Write the pack of one management review. Before the meeting it is a "
        "draft; a closed review gives back exactly the pack frozen when it closed, and "
        f"refuses (exit {errors.EXIT_CHECK_FAILED}) when `check` finds the evidence altered.",
    )
    pack.add_argument(
        "--review",
        default="latest",
        metavar="latest|DATE|ID",
        help="which review: latest (default), its meeting date YYYY-MM-DD, or its id "
        "(the first characters are enough)",
    )
    pack.add_argument("--format", choices=packs.FORMATS, default=None,
                      help="pdf or html (default: taken from the name given to --out, else pdf)")
    pack.add_argument("--out", metavar="FILE", required=True, help="the file to write")
    pack.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    pack.add_argument(
        "--as-of", type=_as_of_day, default=None, metavar="YYYY-MM-DD",
        help="every figure as the records stood at the end of that day; on a closed review "
        "a reconstruction, labelled so on every page, never the record")
    pack.set_defaults(handler=_export_pack)

    kit = commands.add_parser(
        "audit-kit",
        parents=[database_option],
        help="write an audit's checklist as a page to take on site (phone, tablet)",
        description="Write one self-contained HTML page for an audit still to be held: its "
        "details, checklist and the earlier findings on its process. It opens in any current "
        "browser without a network, keeps its progress on the device, and saves a results "
        "file to bring back with `import-audit`.",
    )
    kit.add_argument("--audit", required=True, metavar="REFERENCE|ID",
                     help="the audit's reference (AUD-...) or id (the first characters are "
                     "enough)")
    kit.add_argument("--out", metavar="FILE.html", required=True, help="the page to write")
    kit.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    kit.set_defaults(handler=_audit_kit)

    import_audit = commands.add_parser(
        "import-audit",
        parents=[database_option],
        help="merge the results saved by a site audit kit into its audit",
        description="Merge a results file saved by an audit kit: answers, notes, photos, who "
        "answered and when. The same file twice changes nothing. A file of another database, "
        "audit or kit, edited after it was saved, or too large is refused "
        f"(exit {errors.EXIT_CHECK_FAILED}) and nothing is written. Where a question was "
        "also answered differently in the app after the kit was made, the conflicts are "
        f"listed and nothing is written (exit {errors.EXIT_REFUSED}) unless --prefer says "
        "which side wins.",
    )
    import_audit.add_argument("file", metavar="FILE", help="the results file (.json)")
    import_audit.add_argument("--prefer", choices=("kit", "app"), default="",
                              help="on a conflict keep the answer given on site (kit) or "
                              "the one in the app (app)")
    import_audit.set_defaults(handler=_import_audit)

    team = commands.add_parser(
        "team",
        help="who may sign in to a server database, and their roles",
        description="List, add, re-role or remove the people who sign in to a PostgreSQL "
        "server database as themselves, or give one a new password (each with their own "
        "login and password; roles: "
        "top_management, quality_officer, auditor, viewer). Only top management and the "
        "database's administrator may change them. A file has no sign-in. Exits "
        f"{errors.EXIT_BAD_ARGUMENTS} for a bad value, {errors.EXIT_REFUSED} when your "
        f"role does not allow it, {errors.EXIT_ENVIRONMENT} when the server is not reached.",
    )
    team_commands = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    team_list = team_commands.add_parser("list", parents=[database_option],
                                         help="list the accounts")
    team_add = team_commands.add_parser(
        "add", parents=[database_option], help="let a person sign in",
        description="Make a login for a person, with a role. The password is asked twice "
        "on the terminal (not shown), or read from the first line of standard input with "
        "--password-stdin.")
    team_add.add_argument("--login", required=True,
                          help="the name they sign in with: lower-case letters, digits, _")
    who = team_add.add_mutually_exclusive_group(required=True)
    who.add_argument("--name", help="a new person's full name")
    who.add_argument("--person", metavar="NAME_OR_ID",
                     help="a person already in the records: their full name or id")
    team_add.add_argument("--role", required=True, help=", ".join(accounts.ROLES))
    team_add.add_argument("--password-stdin", action="store_true",
                          help="read the password from standard input (for scripts)")
    team_role = team_commands.add_parser("role", parents=[database_option],
                                         help="give an account another role")
    team_role.add_argument("--login", required=True)
    team_role.add_argument("--role", required=True, help=", ".join(accounts.ROLES))
    team_remove = team_commands.add_parser(
        "remove", parents=[database_option],
        help="stop a login signing in (its history is kept)")
    team_remove.add_argument("--login", required=True)
    team_password = team_commands.add_parser(
        "password", parents=[database_option],
        help="give a member a new password (and their sign-in, after a copy)",
        description="Set a new password for a member who forgot theirs; on a database "
        "copied from another server, this also gives them their sign-in here. Asked twice "
        "on the terminal (not shown), or read from the first line of standard input with "
        "--password-stdin. Never kept in the history.")
    team_password.add_argument("--login", required=True)
    team_password.add_argument("--password-stdin", action="store_true",
                               help="read the password from standard input (for scripts)")
    for action in (team_list, team_add, team_role, team_remove, team_password):
        action.set_defaults(handler=_team)
    return parser


def _database_option(default: object) -> argparse.ArgumentParser:
    option = argparse.ArgumentParser(add_help=False)
    option.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the database file; its folder must already exist (default: your own "
        f"quality database, {paths.default_database_path()}, made on first use); or a "
        "PostgreSQL server's database, postgresql://user@host:port/dbname (no password in "
        "it: you are asked, or set PGPASSWORD or ~/.pgpass; restore needs a file)",
    )
    return option


def _database_location(db_option: str | None) -> tuple[Path, bool]:
    if db_option is None:
        return paths.default_database_path(), True
    return Path(db_option).expanduser().absolute(), False


# --- Running --------------------------------------------------------------------------------


def run(argv: list[str] | None, open_window: OpenWindow) -> int:
    """Parse `argv` and run the command (or open the window); returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, --version, or a usage error (code 2)
        return exit_request.code if isinstance(exit_request.code, int) else EXIT_OK
    if args.command == "export" and args.format is None:
        args.format = Path(args.out).suffix.lower().lstrip(".")
        if args.format not in EXPORT_FORMATS:
            return _usage_error(
                args.command_parser, "give --format xlsx or --format json (or an --out name "
                "ending in .xlsx or .json)"
            )
    location: Location
    if args.db is not None and args.db.strip().lower().startswith(SERVER_SCHEMES):
        if args.command in ON_SERVER_ONLY:
            return _on_server(args)
        if args.command in FILE_ONLY:
            _error(f"`{args.command}` does not work on a database server yet; give a "
                   "database file for it.")
            return errors.EXIT_BAD_ARGUMENTS
        location, is_default = args.db.strip(), False
        path = Path()  # not used: the location is the server
    else:
        path, is_default = _database_location(args.db)
        location = path
    if args.command is None:
        return open_window(location, is_default)
    try:
        code: int = args.handler(args, location, is_default)
        return code
    except BrokenPipeError:
        # The reader of our output went away (`reviews | head`): nothing more to say to it.
        # Point stdout at nothing so the interpreter's last flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except errors.EnvironmentProblem as problem:
        _error(f"{problem.message} {problem.advice}")
        return errors.EXIT_ENVIRONMENT
    except _Refused as refusal:
        _error(str(refusal))
        return errors.EXIT_REFUSED
    except OSError as exc:
        # A name given on the command line the OS refuses before any file is touched (too
        # long, say); anything else is a bug and keeps its traceback.
        # Not `problem`: that names the EnvironmentProblem caught above.
        named = errors.from_exception(exc, Path(exc.filename) if exc.filename else path)
        if named is None:
            raise
        _error(f"{named.message} {named.advice}")
        return errors.EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        _error("interrupted.")
        return EXIT_INTERRUPTED


# As server.SCHEMES: the server module (psycopg) is only loaded for a server address.
SERVER_SCHEMES = ("postgresql://", "postgres://")
# Commands with a way of their own on a server, and those that need a file for now (none:
# `restore` refuses a server with its own reason); the others open either through
# _opened_at.
ON_SERVER_ONLY = ("check", "demo")
FILE_ONLY: tuple[str, ...] = ()


def _on_server(args: argparse.Namespace) -> int:
    """`check` or `demo` on a PostgreSQL server (`--db postgresql://user@host:port/db`)."""
    from qms_desktop import server

    try:
        with server.open_server(args.db, ask_password=_ask_password) as store:
            for notice in store.notices:
                _notice(notice)
            if args.command == "check":
                return _report_check(str(store.address), server.check(store))
            return _demo_on_server(args, str(store.address))
    except errors.EnvironmentProblem as problem:
        _error(f"{problem.message} {problem.advice}")
        return errors.EXIT_ENVIRONMENT
    except _Refused as refusal:
        _error(str(refusal))
        return errors.EXIT_REFUSED
    except KeyboardInterrupt:
        _error("interrupted.")
        return EXIT_INTERRUPTED


def _demo_on_server(args: argparse.Namespace, where: str) -> int:
    from qms_desktop.sample import fill_sample

    if args.today is not None and args.size != "small":
        raise _Refused("--today stops the small sample's history; the large one is written "
                       "in bulk.")
    if not db.is_empty():
        raise _Refused(f"{where} already holds records; the sample company goes into an "
                       "empty database. Give the name of another database.")
    _say(f"Making the {args.size} sample company (seed {args.seed}) on {where}")
    with database.atomic():
        counts = fill_sample(size=args.size, seed=args.seed, progress=_say_progress,
                             until=args.today)
    _say(f"Made {sum(counts.values()):,} rows.")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """The headless entry point (`python -m qms_desktop.cli`); main.py adds the window."""
    return run(argv, open_window=_no_window)


def _no_window(location: Location, is_default: bool) -> int:
    _error(f"this entry point has no window; run `{PROG}` or `python main.py` to open it.")
    return errors.EXIT_BAD_ARGUMENTS


def _usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    """Report a bad argument found after parsing the way argparse reports its own."""
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: {message}", file=sys.stderr)
    return errors.EXIT_BAD_ARGUMENTS


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _notice(problem: errors.EnvironmentProblem) -> None:
    print(f"note: {problem.message} {problem.advice}", file=sys.stderr, flush=True)


def _say(message: str) -> None:
    print(message, flush=True)


def _no_database(path: Path) -> errors.EnvironmentProblem:
    return errors.EnvironmentProblem(
        "No database",
        f"There is no database at {path}.",
        f"Check the path, or make one: open the window (`{PROG} --db FILE`) or fill it with "
        f"the sample company (`{PROG} demo --db FILE`).",
    )


def _same_file(one: Path, other: Path) -> bool:
    """Also through a symbolic or hard link."""
    try:
        return one.samefile(other)
    except OSError:
        return False


def _out_file(args: argparse.Namespace) -> Path:
    """--out made absolute, refused where it may not be written (`_may_write`) or its folder
    is missing."""
    target = Path(args.out).expanduser().absolute()
    _may_write(target, args.force)
    if not target.parent.is_dir():
        raise errors.missing_folder(target)
    return target


def _may_write(target: Path, force: bool) -> None:
    """Refuse an --out that exists without --force, and anything but a plain file even with
    it: the new file is renamed over the old, and would replace a folder, a device or a pipe."""
    if target.is_dir():
        raise errors.EnvironmentProblem(
            "A folder", f"{target} is a folder.", "Give a file name for --out (in it, say)."
        )
    if not (target.exists() or target.is_symlink()):
        return
    if not force:
        raise _Refused(f"{target} already exists. Choose another name, or add --force to "
                       "overwrite it.")
    if not target.is_symlink() and not target.is_file():
        raise errors.EnvironmentProblem(
            "Not a plain file",
            f"{target} is not a plain file (a device or a pipe, say); it was left as it is.",
            "Choose another name for --out.",
        )


def _must_exist(path: Path, is_default: bool) -> None:
    if not path.exists():
        if not is_default and not path.parent.is_dir():
            raise errors.missing_folder(path)
        raise _no_database(path)


@contextlib.contextmanager
def _opened(path: Path, is_default: bool, *, may_create: bool = False) -> Iterator[db.Store]:
    """The database open and migrated for one command; always closed (the lock released).

    Only `demo` may make a new file, or fill an empty one: checking, copying or exporting a
    database that is not there would otherwise leave an empty one behind and report it as
    sound.
    """
    if not may_create:
        _must_exist(path, is_default)
    store = db.open_database(path, create_folder=is_default, start_new=may_create)
    for notice in store.notices:
        _notice(notice)
    try:
        with db.environment_errors(path):
            yield store
    finally:
        store.close()


def _ask_password(address: ServerAddress) -> str:
    """The server's password, asked on the terminal (never echoed, never kept)."""
    import getpass

    if not sys.stdin.isatty():
        raise errors.EnvironmentProblem(
            "Password needed",
            f"The server at {address} wants a password, and there is no terminal to ask "
            "for it on.",
            "Set PGPASSWORD or use a ~/.pgpass file.",
        )
    return getpass.getpass(f"Password for {address}: ")


@contextlib.contextmanager
def _opened_at(location: Location, is_default: bool) -> Iterator[None]:
    """The records open for one command, in a file (as `_opened`) or on a server."""
    if isinstance(location, Path):
        with _opened(location, is_default):
            yield
        return
    import peewee

    from qms_desktop import server

    with server.open_server(location, ask_password=_ask_password) as store:
        for notice in store.notices:
            _notice(notice)
        try:
            yield
        except peewee.OperationalError as lost:  # the server went away half-way
            raise server.unreachable(store.address, lost) from None


# --- Commands -------------------------------------------------------------------------------


def _demo(args: argparse.Namespace, path: Path, is_default: bool) -> int:
    from qms_desktop import export
    from qms_desktop.sample import fill_sample  # the sample company is only loaded when asked for

    if args.today is not None and args.size != "small":
        raise _Refused("--today stops the small sample's history; the large one is written "
                       "in bulk.")
    with _opened(path, is_default, may_create=True) as store:
        backup: Path | None = None
        if not db.is_empty():
            if not args.force:
                raise _Refused(
                    f"{path} already holds records; the sample company goes into an empty "
                    "database. Give another --db file, or add --force to replace the records "
                    "(a backup is taken first)."
                )
            backup = db.named_backup(store, "before-demo")
        _say(f"Making the {args.size} sample company (seed {args.seed}) in {path}")
        # One transaction: if the sample fails half-way, the records that were there stay.
        with database.atomic():
            if backup is not None:
                _clear_records(store)
            counts = fill_sample(size=args.size, seed=args.seed, progress=_say_progress,
                                 until=args.today)
        made = {export.register_name(table): n for table, n in counts.items() if n}
        _say(f"Made {sum(made.values()):,} rows:")
        width = max((len(name) for name in made), default=0)
        for name, count in made.items():
            _say(f"  {name:<{width}}  {count:>7,}")
        if backup is not None:
            _say(f"The records that were there before are in the backup {backup}")
    return EXIT_OK


def _say_progress(message: str) -> None:
    _say(f"  {message}")


def _clear_records(store: db.Store) -> None:
    """Delete every record and its history, children before parents.

    Settings stay: they belong to whoever uses this copy (their name, for the history).
    """
    # Links are checked at commit, when every table is empty, so a link that points later
    # in ALL_MODELS (a risk raised from a context issue) cannot block a delete.
    store.connection.execute("PRAGMA defer_foreign_keys = ON")
    for model in reversed(ALL_MODELS):
        if model is not Setting:
            model.delete().execute()


def _check(args: argparse.Namespace, path: Path, is_default: bool) -> int:
    with _opened(path, is_default) as store:
        result = db.check(store)
    return _report_check(str(path), result)


def _report_check(where: str, result: db.CheckResult) -> int:
    _say(f"Checking {where}")
    for ok, text in result.findings:
        _say(f"  {'OK' if ok else 'PROBLEM':<8} {text}")
    if result.sound:
        _say("The database is sound.")
        return EXIT_OK
    _say("Problems were found. Restore the latest backup "
         f"(`{PROG} restore FILE`), or keep working on a copy and ask for help.")
    return errors.EXIT_CHECK_FAILED


def _backup(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    target = Path(args.out).expanduser().absolute()
    _may_write(target, args.force)
    if not isinstance(path, Path):
        return _backup_server(path, target)
    _must_exist(path, is_default)
    # Only reads: it works beside a window or another command that has the database open.
    made, notices = db.backup_file(path, target)
    for notice in notices:
        _notice(notice)
    _say(f"Backed up {path} to {made} ({made.stat().st_size:,} bytes).")
    return EXIT_OK


def _backup_server(address: str, target: Path) -> int:
    """A server's database into the SQLite file `target` (transfer.backup_server)."""
    import peewee

    from qms_desktop import server, transfer

    with server.open_server(address, ask_password=_ask_password) as store:
        for notice in store.notices:
            _notice(notice)
        try:
            report = transfer.backup_server(store, target)
        except peewee.OperationalError as lost:  # the server went away half-way
            raise server.unreachable(store.address, lost) from None
    _say(f"Backed up {report.source} to {target} ({target.stat().st_size:,} bytes, "
         f"{report.rows:,} rows).")
    return _report_transfer(report, "backup")


def _copy(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    from qms_desktop import transfer  # psycopg only for the commands that reach a server

    source, target = transfer.location(args.source), transfer.location(args.target)
    _say(f"Copying {source} to {target}")
    try:
        report = transfer.copy(source, target, ask_password=_ask_password,
                               progress=_say_table)
    except transfer.Refused as refused:
        raise _Refused(str(refused)) from None
    _say(f"Copied {report.rows:,} rows in {len(report.counts)} tables.")
    return _report_transfer(report, "copy")


def _say_table(table: str, rows: int) -> None:
    _say(f"  {table:<28} {rows:>9,}")


def _report_transfer(report: transfer.CopyReport, kind: str) -> int:
    _say(f"Verifying the {kind}")
    for ok, text in report.findings():
        _say(f"  {'OK' if ok else 'PROBLEM':<8} {text}")
    if report.verified:
        _say(f"The {kind} is verified: it holds the same records as {report.source}.")
        for note in report.notes:
            _say(f"Note: {note}")
        return EXIT_OK
    _say(f"The {kind} at {report.target} was written, but the verification found the problems "
         "above; keep using the source, and ask for help.")
    return errors.EXIT_CHECK_FAILED


def _restore(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    if not isinstance(path, Path):
        raise _Refused(
            "`restore` puts a backup file in place of a database file; a server's database "
            "is never replaced from a file. To put a backup on a server, copy it into a new "
            f"empty database there: `{PROG} copy --from FILE.db --to postgresql://...`.")
    source = Path(args.file).expanduser().absolute()
    if source == path or _same_file(source, path):
        raise _Refused(f"{source} is the database itself; choose a backup file to restore.")
    db.validate_backup_file(source)
    try:
        # An empty file (or none) at `path` is a database still to be made: restoring into
        # it is what was asked.
        store = db.open_database(path, create_folder=is_default, start_new=True)
    except errors.EnvironmentProblem as problem:
        if not problem.offer_restore:
            raise
        kept = db.recover_from_backup(path, source)
        _say(f"Restored {path} from {source}.")
        _say(f"The damaged file was kept as {kept}")
        return EXIT_OK
    try:
        with db.environment_errors(path):
            safety = db.restore_from(store, source)
    except errors.EnvironmentProblem as problem:
        # The file opened but is damaged inside, so even the safety copy of it failed: keep
        # the damaged file beside it instead, as when it cannot be opened at all.
        store.close()
        if not problem.offer_restore:
            raise
        kept = db.recover_from_backup(path, source)
        _say(f"Restored {path} from {source}.")
        _say(f"The damaged file was kept as {kept}")
        return EXIT_OK
    finally:
        store.close()
    _say(f"Restored {path} from {source}.")
    _say(f"The data as it was before is kept in {safety}")
    return EXIT_OK


def _export(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    from qms_desktop import export

    target = _out_file(args)
    with _opened_at(path, is_default), db.environment_errors(target):
        counts = export.export(target, args.format)
    _say(f"Exported {sum(counts.values())} rows from {len(counts)} registers to {target}")
    return EXIT_OK


def _import(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    from qms_desktop import importing  # the readers are only loaded when asked for

    source = Path(args.file).expanduser().absolute()
    problems_out = Path(args.problems).expanduser().absolute() if args.problems else None
    if problems_out is not None:
        # Saving the problems over the file being imported would keep only its bad rows.
        if problems_out.exists() and source.exists() and problems_out.samefile(source):
            raise _Refused(f"--problems names the file being imported ({source.name}); give "
                           "the problems workbook another name.")
        _may_write(problems_out, force=True)
    with _opened_at(path, is_default):
        try:
            plan = importing.Import(source, register=args.register)
        except importing.Unreadable as unreadable:
            _error(f"{unreadable} Nothing was imported.")
            return errors.EXIT_CHECK_FAILED
        for sheet in plan.sheets:
            if sheet.target is None:
                _say(f"  {sheet.name}: {sheet.note}")
            elif sheet.unmatched():
                close = {h: sheet.offers(i) for i, h in enumerate(sheet.table.headings)}
                names = ", ".join(f"“{h}”" + (f" (close to “{close[h][0]}”)" if close[h] else "")
                                  for h in sheet.unmatched())
                _say(f"  {sheet.name}: not imported, matching no column of "
                     f"{sheet.target.name}: {names}")
                if any(close[h] for h in sheet.unmatched()):
                    _say("  To import a column, rename its heading to the register's, or "
                         "match it once in the window (File → Import): it is remembered.")
        outcome = plan.check() if args.dry_run else plan.apply()
        if problems_out is not None and outcome.problems:
            with db.environment_errors(problems_out):
                importing.save_problems(plan, outcome.problems, problems_out)
    if outcome.problems:
        for problem in outcome.problems:
            print(problem.text(), file=sys.stderr)
        saved = f" They are saved beside their rows in {problems_out}." if problems_out else ""
        count = len(outcome.problems)
        _error(f"{count:,} problem{'s' if count != 1 else ''}; nothing was imported.{saved}")
        return errors.EXIT_CHECK_FAILED
    read = ", ".join(f"{name} {count:,}" for name, count in outcome.counts.items())
    for notice in outcome.notices:
        _say(f"  Note: {notice}")
    if args.dry_run:
        _say(f"Checked {source.name}: no problems ({read}). Nothing was written (--dry-run).")
    else:
        _say(f"Imported {source.name}: {outcome.created:,} new, {outcome.updated:,} changed, "
             f"{outcome.unchanged:,} unchanged ({read}).")
    return EXIT_OK


def _export_template(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    from qms_desktop import importing

    target = importing.find_target(args.register)
    if target is None:
        raise _Refused(f"There is no register called “{args.register}”. Registers: "
                       f"{', '.join(importing.targets())}.")
    out = _out_file(args)
    with db.environment_errors(out):
        importing.write_template(target, out)
    _say(f"Wrote an empty {target.name} workbook to fill in and import: {out}")
    return EXIT_OK


def _reviews(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    with _opened_at(path, is_default):
        found = reviews.reviews()
        if not found:
            _say("There are no management reviews in this database.")
            return EXIT_OK
        for review in found:
            _say(f"{review.id}  {review.meeting_on:%Y-%m-%d}  {review.status}")
    return EXIT_OK


def _as_of_day(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text[:40]!r} is not a date; write it as YYYY-MM-DD, for example 2025-12-31"
        ) from None
    if day > clock.today():
        raise argparse.ArgumentTypeError(
            f"{text} is after today; the records can only be shown as they stood on a day "
            "that has ended or is under way")
    return day


def _export_pack(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    target = _out_file(args)
    fmt = args.format or ("html" if target.suffix.lower() in (".html", ".htm") else "pdf")
    with _opened_at(path, is_default):
        try:
            review = reviews.find_review(args.review)
        except LookupError as missing:
            raise _Refused(str(missing)) from None
        try:
            content = packs.export(review, fmt, as_of=args.as_of)
        except packs.PackChanged as changed:
            _error(str(changed))
            return errors.EXIT_CHECK_FAILED
        with db.environment_errors(target), files.written_in_place_of(target) as partial:
            partial.write_bytes(content)
    kind = "draft " if review.status != "closed" else ""
    if args.as_of is not None and review.status == "closed":
        _say(f"Wrote a reconstruction of the pack of {review.display_name()} as of "
             f"{args.as_of:%Y-%m-%d}, not the record, to {target}")
        return EXIT_OK
    as_of = f" as of {args.as_of:%Y-%m-%d}" if args.as_of is not None else ""
    _say(f"Wrote the {kind}pack of {review.display_name()} ({review.status}){as_of} to "
         f"{target}")
    if review.status == "closed" and fmt == "pdf":
        # The frozen PDF cannot print its own fingerprint; this is the one to compare with.
        _say(f"SHA-256 of the frozen PDF: {hashlib.sha256(content).hexdigest()}")
    return EXIT_OK


def _audit_kit(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    from qms_desktop import audit_kit  # Pillow and the kit's page only when asked for

    target = _out_file(args)
    with _opened_at(path, is_default):
        try:
            audit = audit_kit.find_audit(args.audit)
        except LookupError as missing:
            raise _Refused(str(missing)) from None
        try:
            with db.environment_errors(target):
                made = audit_kit.write_kit(audit, target)
        except ValidationError as problem:
            raise _Refused(" ".join(problem.problems.values())) from None
        count = made.questions
    _say(f"Wrote the site audit kit of {audit.title} ({audit_kit.reference(audit)}, "
         f"{count} questions) to {target}")
    _say("Open it in a browser on the phone or tablet; bring back the results file it saves "
         f"with `{PROG} import-audit FILE`.")
    return EXIT_OK


def _import_audit(args: argparse.Namespace, path: Location, is_default: bool) -> int:
    from qms_desktop import audit_kit

    source = Path(args.file).expanduser().absolute()
    if not source.is_file():
        raise _Refused(f"There is no results file at {source}.")
    with _opened_at(path, is_default):
        try:
            results = audit_kit.read_results_file(source)
            report = audit_kit.import_results(results, prefer=args.prefer)
        except audit_kit.ConflictsFound as found:
            _error(audit_kit.conflicts_text(found.conflicts))
            _error("Nothing was imported. Look at both in the window (Import results), or "
                   "run again with --prefer kit or --prefer app.")
            return errors.EXIT_REFUSED
        except ValidationError as problem:
            _error(" ".join(problem.problems.values()))
            return errors.EXIT_CHECK_FAILED
    _say(report.summary())
    return EXIT_OK


# --- Team: who signs in to a server ------------------------------------------------------------


def _team(args: argparse.Namespace, location: Location, is_default: bool) -> int:
    if isinstance(location, Path):
        _error("a file has no sign-in: whoever opens it may do everything. `team` manages "
               "who signs in to a server database (--db postgresql://user@host:port/dbname).")
        return errors.EXIT_BAD_ARGUMENTS
    password = ""
    if args.team_command in ("add", "password"):
        password = _new_password(args)
    with _opened_at(location, is_default):
        try:
            return _team_action(args, password, str(location))
        except errors.NotPermitted as refused:
            _error(f"{refused.message} Nothing was changed.")
            return errors.EXIT_REFUSED
        except ValidationError as problem:
            _error(" ".join(problem.problems.values()) + " Nothing was changed.")
            return errors.EXIT_BAD_ARGUMENTS


def _team_action(args: argparse.Namespace, password: str, address: str) -> int:
    if args.team_command == "list":
        members = accounts.list_accounts()
        if not members:
            _say("Nobody has an account yet; only the administrator signs in.")
        for member in members:
            _say(f"{member.login}  {member.name}  {member.role_label}" + (
                "" if member.signs_in else "  – no sign-in here yet: give them a password "
                f"({accounts.password_command(address.strip(), member.login)})"))
        return EXIT_OK
    if args.team_command == "password":
        given = accounts.set_password(args.login, password)
        _say(f"{given.name} signs in as {given.login} ({given.role_label}) with the new "
             "password.")
        return EXIT_OK
    if args.team_command == "add":
        person = args.name if args.name is not None else _person_named(args.person)
        added = accounts.add_account(args.login, person, args.role, password)
        _say(f"{added.name} signs in as {added.login} ({added.role_label}).")
    elif args.team_command == "role":
        changed = accounts.change_role(args.login, args.role)
        _say(f"{changed.name} ({changed.login}) is now {changed.role_label}.")
    else:
        accounts.remove_account(args.login)
        _say(f"{args.login} can no longer sign in here; their history is kept.")
    return EXIT_OK


def _person_named(text: str) -> Any:
    from qms_desktop.models import Person

    found = list(Person.live().where((Person.id == text) | (Person.full_name == text)))
    if len(found) != 1:
        problem = "no person" if not found else f"{len(found)} people"
        raise ValidationError({"person": f"Person: {problem} called {text!r}; give the "
                                         "full name or the id of one person."})
    return found[0]


def _new_password(args: argparse.Namespace) -> str:
    """The new login's password: the first line of stdin, or typed twice on the terminal."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    if not sys.stdin.isatty():
        raise errors.EnvironmentProblem(
            "Password needed",
            "The new login needs a password, and there is no terminal to ask for it on.",
            "Give it on standard input with --password-stdin.",
        )
    first = getpass.getpass(f"Password for {args.login}: ")
    if getpass.getpass("The same password again: ") != first:
        raise _Refused("The two passwords differ. Nothing was changed.")
    return first


if __name__ == "__main__":
    sys.exit(main())
