"""How long each register takes to list, and how many queries it asks, on a file and on a server.

Not a test: prints figures, asserts none. The sample company is made in a file (not timed)
and copied to a throwaway PostgreSQL server started the way the tests start theirs
(tests/postgres.py), so both hold the same rows. For every register the window lists, a list
is what a register screen does when it opens: the count and the first page of rows; then
the whole list, pages of rows until none are left (as scrolling to the end would). Each is
timed RUNS times and the median is printed, with the queries it asks (counted at peewee's
execute_sql, the one door every model query goes through). On a server every query is a
round trip, so a count of queries that grows with the rows (one per row: a cell that reads
its own record) is what makes a list slow there; the whole list's queries per 100 rows
show it (a few per page of PAGE_SIZE rows is what a register needs).

Last, the management review pack's assembly (the figures it prints, not the PDF) on each.

    python bench/bench_register_lists.py                 # the small sample
    python bench/bench_register_lists.py --size large    # tens of thousands of rows
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 5
GENERATED_AT = dt.datetime(2026, 1, 5, 9, 0)


def listed_registers() -> list[Any]:
    """Every register a screen of the window lists, as the screens declare them."""
    from qms_desktop import (
        audit_registers,
        catalogue,
        context_registers,
        improvement_registers,
        objective_registers,
        resource_registers,
        risk_registers,
        support_registers,
    )

    return [
        *catalogue.ALL_REGISTERS, *support_registers.SUPPORT_REGISTERS,
        *context_registers.CONTEXT_REGISTERS, *improvement_registers.IMPROVEMENT_REGISTERS,
        *objective_registers.OBJECTIVE_REGISTERS, resource_registers.resources_register(),
        resource_registers.requests_register(), risk_registers.RISKS, audit_registers.AUDITS,
    ]


@contextlib.contextmanager
def counting_queries() -> Iterator[list[int]]:
    """Counts the queries sent while inside: [count]."""
    from qms_desktop.models import database

    target = database.obj
    counted = [0]
    real = target.execute_sql

    def execute_sql(*given: Any, **named: Any) -> Any:
        counted[0] += 1
        return real(*given, **named)

    target.execute_sql = execute_sql
    try:
        yield counted
    finally:
        del target.execute_sql


def open_register(register: Any) -> int:
    """The count and the first page, as a register screen reads them when it opens."""
    from qms_desktop import registers

    query = registers.Query()
    registers.count(register, query)
    return len(registers.fetch_page(register, query, limit=registers.PAGE_SIZE + 1))


def list_register(register: Any) -> int:
    """The count and every page, as a register screen reads them; the rows listed."""
    from qms_desktop import registers

    query = registers.Query()
    registers.count(register, query)
    rows: list[Any] = []
    while True:
        page = registers.fetch_page(register, query, after=rows[-1] if rows else None,
                                    limit=registers.PAGE_SIZE + 1)
        rows += page[:registers.PAGE_SIZE]
        if len(page) <= registers.PAGE_SIZE:
            return len(rows)


def measure(work: Callable[[], Any]) -> tuple[float, int, Any]:
    """The median time of RUNS runs (after one to warm up), the queries of one, its result."""
    with counting_queries() as counted:
        result = work()
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times), counted[0], result


def assemble_pack() -> Any:
    from qms_desktop import review_inputs, reviews

    chosen = sorted(reviews.reviews(), key=lambda r: r.meeting_on)
    open_ones = [r for r in chosen if r.status != "closed"]
    review = (open_ones or chosen)[-1]
    return review_inputs.assemble(review, generated_at=GENERATED_AT, is_draft=True)


Figures = dict[str, list[tuple[float, int, Any]]]


def figures() -> Figures:
    """By register: (time, queries, rows) when it opens and for the whole list."""
    found = {}
    for register in listed_registers():
        found[register.title] = [measure(functools.partial(open_register, register)),
                                 measure(functools.partial(list_register, register))]
    found["(review pack assembly)"] = [measure(assemble_pack)]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large"), default="small")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-lists-"))
    try:
        run(args.size, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(size: str, work: Path) -> None:
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
        fill_sample(size, seed=1)
        on_file = figures()

    with postgres.running_server() as cluster:
        url = cluster.url(cluster.create_database("bench"))
        transfer.copy(sample, url)
        with server.open_server(url):
            on_server = figures()

    print(f"The {size} sample company, seed 1; times in ms, each the median of {RUNS}.")
    print("Opened: the count and the first page. Whole list: the count and every page.")
    print(f"{'':<24}{'':>6}  {'opened on a file':>16}  {'on a server':>16}  "
          f"{'whole list, file':>16}  {'on a server':>16}")
    print(f"{'register':<24}{'rows':>6}  " + "  ".join([f"{'ms':>8}{'queries':>8}"] * 4)
          + f"  {'queries/100 rows':>16}")
    for title, file_figures in on_file.items():
        cells = []
        for (file_time, file_queries, _), (server_time, server_queries, _) in zip(
                file_figures, on_server[title], strict=True):
            cells += [f"{file_time * 1000:8.1f}{file_queries:>8}",
                      f"{server_time * 1000:8.1f}{server_queries:>8}"]
        listed = file_figures[-1][2] if len(file_figures) > 1 else None
        rows = f"{listed:>6}" if listed is not None else f"{'':>6}"
        if listed:
            cells.append(f"{100 * file_figures[-1][1] / listed:16.1f}")
        print(f"{title:<24}{rows}  " + "  ".join(cells))

if __name__ == "__main__":
    main()
