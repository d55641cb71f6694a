"""What synchronous=FULL costs against NORMAL for the writes a user makes, one at a time.

Not a test: prints figures. For each setting it opens a fresh database through the real
open_database (WAL mode), sets `PRAGMA synchronous`, and times WRITES service writes
(records.create of a site, each its own transaction with its history row, as a save in the
window is), then the same number of updates. Each setting is run ROUNDS times in turn and
the medians are printed, with the cost per write and the ratio FULL / NORMAL.

In WAL mode NORMAL syncs the disk only at checkpoints, FULL also at every commit: the
difference is one fsync per saved change, so it depends on the disk. Run it where the
database will live:

    python bench/bench_writes.py                 # in a temporary folder beside this file
    python bench/bench_writes.py --folder ~/Documents
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qms_desktop import db, records
from qms_desktop.models import Site, database

WRITES = 1000
ROUNDS = 3
SETTINGS = ("normal", "full")


def time_writes(folder: Path, synchronous: str, writes: int) -> tuple[float, float]:
    """Seconds for `writes` creates, then for as many updates, in a fresh database."""
    with (
        tempfile.TemporaryDirectory(dir=folder) as scratch,
        db.open_database(Path(scratch) / "bench.db"),
    ):
        database.execute_sql(f"PRAGMA synchronous = {synchronous}")
        records.set_setting(records.USER_NAME_KEY, "Bench")
        start = time.perf_counter()
        made = [records.create(Site, name=f"Site {n:05d}") for n in range(writes)]
        created = time.perf_counter() - start
        start = time.perf_counter()
        for site in made:
            records.update(site, name=site.name + " (moved)")
        updated = time.perf_counter() - start
    return created, updated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=Path(__file__).resolve().parent,
                        help="where the databases are made (default: bench/)")
    parser.add_argument("--writes", type=int, default=WRITES)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in SETTINGS}
    for _round in range(args.rounds):
        for name in SETTINGS:
            times[name].append(time_writes(args.folder.expanduser(), name, args.writes))
    print(f"{args.writes} creates then {args.writes} updates, one transaction each, "
          f"median of {args.rounds} rounds, in {args.folder}")
    medians = {}
    for name in SETTINGS:
        created = statistics.median(t[0] for t in times[name])
        updated = statistics.median(t[1] for t in times[name])
        medians[name] = (created, updated)
        each = (created / args.writes * 1000, updated / args.writes * 1000)
        print(f"  synchronous={name:<6}  create {created:6.2f} s ({each[0]:5.2f} ms each)"
              f"   update {updated:6.2f} s ({each[1]:5.2f} ms each)")
    full, normal = medians["full"], medians["normal"]
    print(f"  FULL / NORMAL: create x{full[0] / normal[0]:.2f}, update x{full[1] / normal[1]:.2f};"
          f" extra per write {(full[0] - normal[0]) / args.writes * 1000:.2f} ms (create),"
          f" {(full[1] - normal[1]) / args.writes * 1000:.2f} ms (update)")


if __name__ == "__main__":
    main()
