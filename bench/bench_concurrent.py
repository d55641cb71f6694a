"""Several people saving the same and different records of one file at the same time.

Not a test: prints figures. Each worker process opens the same SQLite file (past the app's
one-window lock, as several clients share one server) and for a few seconds reads a record,
thinks for a moment, and saves it with its counter raised by one, through records.update as
the window does: half the time a record every worker edits, otherwise its own. A refused
save (RecordChanged) is counted as a conflict reported to its user, who would reload.

At the end every counter must equal the number of saves of it that succeeded: a save that
succeeded yet is not in the counter is a lost update (must be 0). Printed: saves, conflicts,
busy refusals, lost updates, and the p50 / p95 time of a save.

    python bench/bench_concurrent.py
    python bench/bench_concurrent.py --workers 6 --seconds 10
    python bench/bench_concurrent.py --unchecked   # saves without the version: loses some
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = 2  # records every worker edits


def _name(site_id: str) -> str:
    return f"counter {site_id}"


def worker(path: str, number: int, shared: list[str], own: str, seconds: float,
           unchecked: bool, results: Any) -> None:
    import peewee

    from qms_desktop import db, records
    from qms_desktop.errors import RecordChanged
    from qms_desktop.models import Site, database

    database.initialize(peewee.SqliteDatabase(path, pragmas=db.PRAGMAS))
    chance = random.Random(number)
    saved: dict[str, int] = {}
    conflicts = busy = 0
    times: list[float] = []
    deadline = time.monotonic() + seconds
    with records.history_as(who=f"User {number}"):
        while time.monotonic() < deadline:
            site_id = chance.choice(shared) if chance.random() < 0.5 else own
            copy = Site.get_by_id(site_id)
            time.sleep(chance.uniform(0, 0.002))  # the user types
            counted = int(copy.address or 0) + 1
            started = time.perf_counter()
            try:
                if unchecked:  # what a save did before row versions: the last one wins
                    Site.update(address=str(counted), row_version=Site.row_version + 1).where(
                        Site.id == site_id).execute()
                else:
                    records.update(copy, address=str(counted))
            except RecordChanged:
                conflicts += 1
                continue
            except peewee.OperationalError:  # "database is locked" past the busy timeout
                busy += 1
                continue
            finally:
                times.append(time.perf_counter() - started)
            saved[site_id] = saved.get(site_id, 0) + 1
    database.close()
    results.put((saved, conflicts, busy, times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--unchecked", action="store_true",
                        help="save without checking the version, to see updates being lost")
    arguments = parser.parse_args()

    from qms_desktop import db, records
    from qms_desktop.models import Site

    with tempfile.TemporaryDirectory(prefix="qms-bench-concurrent-") as folder:
        path = Path(folder) / "qms.db"
        with db.open_database(path):
            records.set_setting(records.USER_NAME_KEY, "Bench")
            sites = [records.create(Site, name=f"Site {n}", address="0").id
                     for n in range(SHARED + arguments.workers)]
        shared, own = sites[:SHARED], sites[SHARED:]

        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        processes = [context.Process(target=worker, args=(
            str(path), n, shared, own[n], arguments.seconds, arguments.unchecked, results))
            for n in range(arguments.workers)]
        for process in processes:
            process.start()
        gathered = [results.get() for _ in processes]
        for process in processes:
            process.join()

        saved: dict[str, int] = {}
        conflicts = busy = 0
        times: list[float] = []
        for worker_saved, worker_conflicts, worker_busy, worker_times in gathered:
            for site_id, count in worker_saved.items():
                saved[site_id] = saved.get(site_id, 0) + count
            conflicts += worker_conflicts
            busy += worker_busy
            times += worker_times

        with db.open_database(path):
            counters = {s.id: (int(s.address), s.row_version) for s in Site.select()}
        lost = sum(saved.get(site_id, 0) - counted for site_id, (counted, _v) in counters.items())
        versions_off = sum(1 for site_id, (_c, version) in counters.items()
                           if version != saved.get(site_id, 0))

    total = sum(saved.values())
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else 0.0
    print(f"{arguments.workers} processes, {arguments.seconds:g} s, one SQLite file, "
          f"{SHARED} shared records + 1 own each"
          + (", saving WITHOUT the version check" if arguments.unchecked else ""))
    print(f"saves          {total:>8,}")
    print(f"conflicts      {conflicts:>8,}  (refused, told who changed it and when)")
    print(f"busy           {busy:>8,}  (database locked past the busy timeout)")
    print(f"lost updates   {lost:>8,}  (must be 0)")
    print(f"versions off   {versions_off:>8,}  (records whose version is not their saves)")
    if ordered:
        print(f"save p50       {statistics.median(ordered) * 1000:>8.1f} ms")
        print(f"save p95       {p95 * 1000:>8.1f} ms")


if __name__ == "__main__":
    main()
