"""How long the xlsx export of the large sample takes, and the import of its 20,000 actions.

Not a test: prints figures (wall and CPU seconds; on a shared machine CPU time says more).
It builds the large sample company in a temporary folder (or uses --db), then times
  1. the whole xlsx export (every register and the change history),
  2. the Actions sheet of that export, written alone, without its ID and Reference columns,
     imported with full validation as 20,000 new actions (owners found by name), and
  3. the same sheet with its IDs: 20,000 rows checked against the records they update.
The imports run through `Import.apply()` and are rolled back afterwards, so each starts
from the same database.

    python bench/bench_import.py
    python bench/bench_import.py --db large.db     # a large sample made before
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from python_calamine import CalamineWorkbook

from qms_desktop import db, export
from qms_desktop.importing import Import
from qms_desktop.models import database


@contextmanager
def timed(label: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    print(f"  {label:<52} {time.perf_counter() - wall:7.2f} s wall "
          f"{time.process_time() - cpu:7.2f} s CPU", flush=True)


def actions_sheet(workbook: Path, out: Path, keep_ids: bool) -> int:
    """The export's Actions sheet as a workbook of its own; rows written."""
    import xlsxwriter

    book = CalamineWorkbook.from_path(str(workbook))
    rows = book.get_sheet_by_name("Actions").to_python()
    book.close()
    headings = rows[0]
    # New records get an ID and a reference of their own.
    keep = [i for i, h in enumerate(headings) if keep_ids or h not in ("ID", "Reference")]
    target = xlsxwriter.Workbook(str(out), {"constant_memory": True,
                                            "strings_to_formulas": False,
                                            "strings_to_numbers": False})
    sheet = target.add_worksheet("Actions")
    dates = target.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, i in enumerate(keep):
            value: Any = row[i]
            if value == "":
                continue
            if hasattr(value, "year"):
                sheet.write_datetime(r, c, value, dates)
            else:
                sheet.write(r, c, value)
    target.close()
    return len(rows) - 1


def import_rolled_back(path: Path) -> Callable[[], None]:
    def run() -> None:
        with database.atomic() as transaction:
            outcome = Import(path).apply()
            print(f"    {outcome.created:,} new, {outcome.updated:,} changed, "
                  f"{outcome.unchanged:,} unchanged, {len(outcome.problems):,} problems")
            for problem in outcome.problems[:5]:
                print(f"    {problem.text()}")
            transaction.rollback()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database holding the large sample")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        folder = Path(scratch)
        path = folder / "large.db"
        if args.db:
            shutil.copyfile(args.db, path)
        else:
            from qms_desktop.sample import fill_sample

            print("Making the large sample company…", flush=True)
            with db.open_database(path, start_new=True):
                fill_sample("large", seed=1)
        with db.open_database(path):
            print("Large sample company:")
            workbook = folder / "all.xlsx"
            with timed("whole xlsx export"):
                counts = export.export(workbook, "xlsx")
            print(f"    {sum(counts.values()):,} rows on {len(counts)} sheets, "
                  f"{workbook.stat().st_size / 1024 / 1024:.1f} MB")
            new_rows = folder / "actions-new.xlsx"
            with_ids = folder / "actions-with-ids.xlsx"
            rows = actions_sheet(workbook, new_rows, keep_ids=False)
            actions_sheet(workbook, with_ids, keep_ids=True)
            with timed(f"import {rows:,} actions as new records (full checks)"):
                import_rolled_back(new_rows)()
            with timed(f"import {rows:,} actions by ID (each compared, none changed)"):
                import_rolled_back(with_ids)()


if __name__ == "__main__":
    main()
