"""Start-up, first rows, filtering and memory on the large sample company.

Prints a table; asserts nothing. Budgets (issue 2): start-up within 2x a bare PySide6
window measured in the same run, first rows of the largest register under 150 ms, a filter
under 100 ms, peak memory under 250 MB.

    python bench/bench_startup.py [--runs 5] [--db existing-large.db]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def build_large(path: Path) -> float:
    from qms_desktop import db
    from qms_desktop.sample import fill_sample

    started = time.perf_counter()
    with db.open_database(path):
        fill_sample("large", seed=1)
    return time.perf_counter() - started


def start_once(*args: str) -> tuple[float, float, float]:
    """Seconds to the window's first paint, seconds until the overview is ready, peak MB."""
    env = dict(os.environ, QMS_BENCH_T0=repr(time.time()))
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "startup_probe.py"), *args],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def register_timings(path: Path) -> tuple[str, int, float, float, float]:
    """Largest register: time to its first rows and to a search, in the real table model."""
    from PySide6.QtWidgets import QApplication

    from qms_desktop import db, registers
    from qms_desktop.catalogue import ACTIONS
    from ui.kit.register_model import RegisterTableModel

    app = QApplication.instance() or QApplication([])
    with db.open_database(path):
        total = registers.count(ACTIONS, registers.Query())
        started = time.perf_counter()
        model = RegisterTableModel(ACTIONS)
        model.set_query(registers.Query())
        first_rows = time.perf_counter() - started
        assert model.rowCount() > 0
        started = time.perf_counter()
        model.set_query(registers.Query(search="supplier"))
        found = model.total()
        search = time.perf_counter() - started
        started = time.perf_counter()
        model.set_query(registers.Query(filter_key="overdue"))
        overdue = time.perf_counter() - started
        del model, app
    return f"Actions ({total:,} rows; search found {found:,})", total, first_rows, search, \
        overdue


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="an existing large sample (built if absent)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "large.db"
        if not path.exists():
            seconds = build_large(path)
            print(f"Built the large sample in {seconds:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
        start_once("app", str(path))  # the first start of the day takes the daily backup
        app_runs, ready_runs, bare_runs, rss = [], [], [], []
        for _ in range(args.runs):
            bare_runs.append(start_once("bare")[0])
            painted, ready, memory = start_once("app", str(path))
            app_runs.append(painted)
            ready_runs.append(ready)
            rss.append(memory)
        label, _total, first_rows, search, overdue = register_timings(path)
    app_s, bare_s = statistics.median(app_runs), statistics.median(bare_runs)
    ready_s = statistics.median(ready_runs)
    rows = [
        ("Start-up to first paint, bare PySide6 window", f"{bare_s * 1000:.0f} ms", ""),
        ("Start-up to first paint, QMS Desktop (large)", f"{app_s * 1000:.0f} ms",
         f"{app_s / bare_s:.2f}x bare (budget 2x)"),
        ("Start-up until the overview is shown (large)", f"{ready_s * 1000:.0f} ms",
         "database opened, screens built; readiness checks follow"),
        (f"First rows: {label}", f"{first_rows * 1000:.1f} ms", "budget 150 ms"),
        ("Search 'supplier' in Actions", f"{search * 1000:.1f} ms", "budget 100 ms"),
        ("Filter Actions to overdue", f"{overdue * 1000:.1f} ms", "budget 100 ms"),
        ("Peak memory of the app (RSS)", f"{max(rss):.0f} MB", "budget 250 MB"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"median of {args.runs} runs; {os.cpu_count()} CPUs; QT_QPA_PLATFORM="
          f"{os.environ['QT_QPA_PLATFORM']}")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
