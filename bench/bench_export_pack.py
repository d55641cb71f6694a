"""A whole `export-pack` process against Chromium printing the pack's HTML twin.

Not a test: prints figures. The goal is a PDF pack from the command line at least twice as
fast as the same pack printed by a headless browser from its HTML twin, process start-up
included (for a short command most of its time is importing).

It builds the small sample company in a temporary folder, writes the latest review's HTML
twin once, then times in turn RUNS times: `qms-desktop export-pack` writing the PDF (a new
Python process each time, with its bytecode cache written by a first, untimed run as on an
installed copy) and Chromium printing the HTML to PDF (a fresh profile each time). Wall
times are medians; the ratio is the median of the ratios of each pair run back to back,
and the CPU seconds (user + system, children included) show how much of a wall time was
waiting for a busy machine.

    python bench/bench_export_pack.py
    python bench/bench_export_pack.py --runs 9
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-pdf-header-footer")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("Chromium is not installed (Debian: apt-get install chromium); nothing to "
              "compare with.")
        return 1
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    qms = [sys.executable, str(ROOT / "main.py")]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database = work / "sample.db"
        print("building the small sample company…", flush=True)
        subprocess.run([*qms, "demo", "--db", str(database)], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        html = work / "pack.html"
        subprocess.run([*qms, "export-pack", "--db", str(database), "--out", str(html)],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        pdf = work / "pack.pdf"
        export = [*qms, "export-pack", "--db", str(database), "--out", str(pdf), "--force"]
        timed(export, env)  # writes the bytecode cache, as an installed copy has it
        packs: list[tuple[float, float]] = []
        prints: list[tuple[float, float]] = []
        for run in range(args.runs):
            packs.append(timed(export, env))
            profile = work / f"profile-{run}"
            printed = work / f"chromium-{run}.pdf"
            prints.append(timed([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                 f"--print-to-pdf={printed}", html.as_uri()], env))
        print(f"pack: {html.stat().st_size / 1024:.0f} KB of HTML, "
              f"{pdf.stat().st_size / 1024:.0f} KB of PDF; median of {args.runs} runs taken "
              "in turn")
        for name, runs in (("export-pack", packs), ("chromium", prints)):
            walls, cpus = zip(*runs, strict=True)
            print(f"{name:<12} wall {statistics.median(walls):6.2f} s (best {min(walls):.2f})"
                  f"   cpu {statistics.median(cpus):6.2f} s")
        ratios = [c[0] / p[0] for p, c in zip(packs, prints, strict=True)]
        print(f"chromium / export-pack: {statistics.median(ratios):.2f}x wall "
              f"(best runs {min(c[0] for c in prints) / min(p[0] for p in packs):.2f}x; "
              "goal 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
