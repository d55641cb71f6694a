"""A throwaway PostgreSQL server for the test run, made from Debian's own binaries.

`initdb` makes a cluster in a temporary folder, `pg_ctl` starts it listening only on a unix
socket in that folder (on a free port number, so two runs never meet), and stops it at the
end. initdb refuses to run as root (as CI does): there the cluster belongs to the
unprivileged `postgres` user Debian's package makes, and its commands run through
`runuser`. The superuser is called `qms` and the unix socket trusts it, so no password is
involved there; over TCP (127.0.0.1) the server asks for one, for the tests of passwords.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "qms"
RUN_AS = "postgres"  # who owns the cluster when the tests run as root


def find_binaries() -> Path | None:
    """The newest of Debian's /usr/lib/postgresql/<major>/bin with initdb and pg_ctl, or the
    folder of an initdb on PATH; None when there is none."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    found = shutil.which("initdb")
    if found:
        candidates.insert(0, Path(found))
    for initdb in reversed(candidates):
        if (initdb.parent / "pg_ctl").exists():
            return initdb.parent
    return None


def why_not_available() -> str | None:
    """Why no server can be started here (None when one can)."""
    if find_binaries() is None:
        return ("no PostgreSQL binaries found (initdb and pg_ctl in /usr/lib/postgresql/*/bin "
                "or on PATH): install Debian's postgresql package")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(RUN_AS)
        except KeyError:
            return (f"running as root, and there is no '{RUN_AS}' user to run initdb as "
                    "(initdb refuses root)")
        if shutil.which("runuser") is None:
            return "running as root, and there is no runuser to run initdb as another user"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """One running cluster; `url(name)` is the address the app is given for a database."""

    folder: Path
    port: int
    binaries: Path
    _made: int = field(default=0)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_folder(self) -> Path:
        return self.folder

    def url(self, dbname: str, user: str = SUPERUSER) -> str:
        host = urllib.parse.quote(str(self.socket_folder), safe="")
        return f"postgresql://{user}@{host}:{self.port}/{dbname}"

    def password_url(self, dbname: str, user: str) -> str:
        """The address of `dbname` over TCP, where the server asks `user` for a password."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{dbname}"

    def create_user(self, user: str, password: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_conninfo(), autocommit=True) as admin:
            admin.execute(f"CREATE ROLE \"{user}\" LOGIN SUPERUSER PASSWORD '{password}'")

    def admin_conninfo(self) -> str:
        return self.url("postgres")

    def create_database(self, prefix: str = "qms") -> str:
        """A new empty database; returns its name."""
        import psycopg

        self._made += 1
        name = f"{prefix}_{self._made}"
        with psycopg.connect(self.admin_conninfo(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_conninfo(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", RUN_AS, "--", *command]
    return command


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_owner(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n"
                           f"{done.stdout}\n{done.stderr}")


@contextlib.contextmanager
def running_server() -> Iterator[Server]:
    """Start a cluster for the duration of the block; stopped and removed afterwards."""
    binaries = find_binaries()
    if binaries is None:
        raise RuntimeError(why_not_available() or "no PostgreSQL binaries")
    # Not under the tests' sandbox: that folder is private to its (root) owner, and the
    # cluster's owner must reach its own folder.
    folder = Path(tempfile.mkdtemp(prefix="qms-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam(RUN_AS)
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    server = Server(folder=folder, port=_free_port(), binaries=binaries)
    started = False
    try:
        # The socket trusts the superuser; 127.0.0.1 asks for a password (the tests of one).
        _run([str(binaries / "initdb"), "-D", str(server.data), "-U", SUPERUSER,
              "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
              "--locale=C", "--no-sync"])
        options = (f"-p {server.port} -k {server.socket_folder} "
                   "-c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        _run([str(binaries / "pg_ctl"), "-D", str(server.data), "-l",
              str(folder / "server.log"), "-o", options, "-w", "start"])
        started = True
        yield server
    finally:
        if started:
            with contextlib.suppress(RuntimeError):
                _run([str(binaries / "pg_ctl"), "-D", str(server.data), "-m", "immediate",
                      "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
