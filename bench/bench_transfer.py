"""How long moving the sample company between a file and a server takes: `copy` file to
server, `copy` server back to a file, and a server's `backup` into a file.

Not a test: prints figures, asserts none. A throwaway server is started the way the tests
start theirs (tests/postgres.py); the sample is made in a file first (not timed). Each
figure is the whole call, and the part of it spent verifying (check on both sides, every
table compared, both exported and compared).

    python bench/bench_transfer.py                 # the small sample
    python bench/bench_transfer.py --size large    # tens of thousands of rows
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large"), default="small")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-transfer-"))
    # Nothing of the user's own: the app's folders go into the scratch folder too.
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        os.environ[name] = str(work / name.lower())

    from qms_desktop import db, server, transfer
    from qms_desktop.sample import fill_sample
    from tests import postgres

    reason = postgres.why_not_available()
    if reason is not None:
        sys.exit(f"no PostgreSQL server: {reason}")
    sample = work / "sample.db"
    with db.open_database(sample):
        fill_sample(args.size, seed=1)

    verifying: list[float] = []
    real_verify = transfer._verify

    def timed_verify(*given: Any) -> transfer.CopyReport:
        began = time.perf_counter()
        try:
            return real_verify(*given)
        finally:
            verifying.append(time.perf_counter() - began)

    transfer._verify = timed_verify  # type: ignore[assignment]

    def measure(what: str, run: Callable[[], transfer.CopyReport]) -> None:
        began = time.perf_counter()
        report = run()
        total = time.perf_counter() - began
        print(f"{what:<24} {total:6.2f} s   (verifying {verifying[-1]:5.2f} s)   "
              f"{report.rows:>7,} rows   {'verified' if report.verified else 'NOT VERIFIED'}")

    with postgres.running_server() as cluster:
        url = cluster.url(cluster.create_database("bench"))

        def backup() -> transfer.CopyReport:
            with server.open_server(url) as store:
                return transfer.backup_server(store, work / "backup.db")

        print(f"The {args.size} sample company, seed 1:")
        measure("copy file -> server", lambda: transfer.copy(sample, url))
        measure("copy server -> file", lambda: transfer.copy(url, work / "back.db"))
        measure("backup of the server", backup)


if __name__ == "__main__":
    main()
