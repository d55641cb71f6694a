"""A command on a file never loads the PostgreSQL driver; the server module does, and peewee
can then use it."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_opening_a_file_does_not_load_psycopg() -> None:
    assert _run("import qms_desktop.cli, sys; print('psycopg' in sys.modules)") == "False"


def test_the_server_module_hands_psycopg_to_peewee() -> None:
    code = ("import qms_desktop.db, peewee; from qms_desktop import server; "
            "print(peewee.psycopg is not None, peewee.Psycopg3Adapter.txn_idle is not None)")
    assert _run(code) == "True True"
