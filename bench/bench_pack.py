"""How long the management review pack takes on the sample company, small and large.

Not a test: prints figures. For each size it builds the sample company in a temporary
database, takes a review (planning one for today when none is close), assembles the pack
data, renders the PDF, and prints pages, table rows, assemble / render / total time and peak
RSS. Beside each, a REFERENCE: a bare reportlab SimpleDocTemplate with the same number of
pages and table rows (plain-string cells, the same embedded font), made in the same run, and
the ratios of the pack's render time and of its whole time (assemble + render) to it.
A second, bare document holding the pack's own cell texts shows how much of the difference
is the amount of text printed rather than the pack's own work.
Render and reference are timed in turn RUNS times: the times printed are medians, and each
ratio is the median of the ratios of one render to the reference made just before it, as
a single run on a busy laptop can be off by a third and a slow spell slows both alike.
The ratio of the fastest render to the fastest reference is printed too (other work on the
machine only ever adds time), and so is the first render of the process.

    python bench/bench_pack.py            # both sizes
    python bench/bench_pack.py large      # one size
    python bench/bench_pack.py large --profile   # cProfile of assemble and render
"""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import math
import pstats
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qms_desktop import db, review_inputs, reviews
from qms_desktop.reports import fonts
from qms_desktop.reports.review_pack import render_pdf
from qms_desktop.review_data import PackData
from qms_desktop.sample import fill_sample

GENERATED_AT = dt.datetime(2026, 1, 5, 9, 0)
RUNS = 7


def peak_rss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def table_rows(data: PackData) -> int:
    rows = len(data.decisions.rows) + len(data.leadership.rows) + len(data.duties)
    rows += len(data.readiness) + len(data.attendees)
    rows += sum(len(t.rows) for s in data.inputs for t in s.tables)
    return rows


def pick_review() -> reviews.ManagementReview:
    """A review meeting about now, so the period holds a year of records."""
    today = dt.date.today()
    for review in reviews.reviews():
        if review.status != "closed" and abs((review.meeting_on - today).days) <= 31:
            return review
    return reviews.plan_review(today, place="Boardroom")


def reference_pdf(pages: int, rows: int,
                  cells: list[list[str]] | None = None) -> tuple[float, int]:
    """Bare reportlab: `rows` rows of four short plain cells spread over `pages` pages.

    With `cells`, the rows hold those texts instead (the pack's own, unwrapped), to show
    how much of the difference is the amount of text rather than the pack's own work.
    """
    fonts.register_fonts()
    per_page = max(1, math.ceil(rows / max(pages, 1)))
    style = TableStyle([("FONT", (0, 0), (-1, -1), fonts.REGULAR, 8.5),
                        ("GRID", (0, 0), (-1, -1), 0.25, "#C9D1DA")])
    if cells is None:
        cells = [[f"Row {i}", "Some text in a cell", "2026-01-05", "Open"]
                 for i in range(rows)]
    width = max((len(row) for row in cells), default=1)
    story: list[object] = []
    start = time.perf_counter()
    done = 0
    for page in range(pages):
        count = min(per_page, rows - done)
        if count > 0:
            story.append(Table([row + [""] * (width - len(row))
                                for row in cells[done:done + count]],
                               repeatRows=0, style=style))
            done += count
        if page < pages - 1:
            story.append(PageBreak())
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1, initialFontName=fonts.REGULAR).build(
        story)
    elapsed = time.perf_counter() - start
    return elapsed, len(PdfReader(io.BytesIO(out.getvalue())).pages)


def pack_cells(data: PackData) -> list[list[str]]:
    """Every table row of the pack as plain strings, counted as `table_rows` counts them."""
    rows = [list(map(str, r)) for r in data.decisions.rows + data.leadership.rows]
    rows += [list(map(str, r)) for r in data.duties]
    rows += [[f.clause, f.severity, f.text] for f in data.readiness]
    rows += [[a.name, a.role] for a in data.attendees]
    rows += [list(map(str, r)) for s in data.inputs for t in s.tables for r in t.rows]
    return rows


def run(size: str, profile: bool) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix=f"qms-bench-{size}-"))
    store = db.open_database(folder / "qms.db")
    try:
        fill_sample(size)
        review = pick_review()
        profiler = cProfile.Profile() if profile else None
        wall = time.perf_counter()
        if profiler:
            profiler.enable()
        start = time.perf_counter()
        data = review_inputs.assemble(review, generated_at=GENERATED_AT, is_draft=True)
        assembled = time.perf_counter() - start
        start = time.perf_counter()
        pdf = render_pdf(data)
        first_render = time.perf_counter() - start
        total = time.perf_counter() - wall
        if profiler:
            profiler.disable()
            stats = pstats.Stats(profiler)
            print(f"\n--- cProfile, {size}: top 25 by cumulative time ---")
            stats.sort_stats("cumulative").print_stats(25)
        (folder / "pack.pdf").write_bytes(pdf)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        rows = table_rows(data)
        renders: list[float] = []
        references: list[float] = []
        same_text: list[float] = []
        cells = pack_cells(data)
        for _ in range(RUNS):
            references.append(reference_pdf(pages, rows)[0])
            start = time.perf_counter()
            render_pdf(data)
            renders.append(time.perf_counter() - start)
            same_text.append(reference_pdf(pages, rows, cells)[0])
        reference_pages = reference_pdf(pages, rows)[1]
        return {
            "size": size, "pages": pages, "rows": rows, "assemble": assembled,
            "first": first_render, "render": statistics.median(renders), "total": total,
            "rss": peak_rss_mb(), "reference": statistics.median(references),
            "same_text": statistics.median(same_text),
            "ratios": [p / r for p, r in zip(renders, references, strict=True)],
            "best_ratio": min(renders) / min(references),
            "whole_ratio": statistics.median(
                (assembled + p) / r for p, r in zip(renders, references, strict=True)),
            "same_text_ratio": statistics.median(
                p / t for p, t in zip(renders, same_text, strict=True)),
            "reference_pages": reference_pages,
            "path": folder / "pack.pdf",
        }
    finally:
        store.close()


def main(argv: list[str]) -> None:
    sizes = [a for a in argv if a in ("small", "large")] or ["small", "large"]
    profile = "--profile" in argv
    results = [run(size, profile) for size in sizes]
    header = (f"{'size':<10}{'pages':>6}{'rows':>7}{'assemble s':>12}{'1st render':>11}"
              f"{'render s':>10}{'total s':>9}{'peak RSS MB':>13}")
    print()
    print(f"render and reference: medians of {RUNS} runs taken in turn")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['size']:<10}{r['pages']:>6}{r['rows']:>7}{r['assemble']:>12.2f}"
              f"{r['first']:>11.2f}{r['render']:>10.2f}{r['total']:>9.2f}{r['rss']:>13.0f}")
        print(f"{'REFERENCE':<10}{r['reference_pages']:>6}{r['rows']:>7}{'':>12}{'':>11}"
              f"{r['reference']:>10.2f}")
        ratios = r["ratios"]
        print(f"{'':<10}render / reference = {statistics.median(ratios):.2f}x "
              f"(runs {min(ratios):.2f}x to {max(ratios):.2f}x; fastest / fastest "
              f"{r['best_ratio']:.2f}x), assemble + render / reference = "
              f"{r['whole_ratio']:.2f}x")
        print(f"{'':<10}(a bare document of the pack's own cell text: {r['same_text']:.2f} s; "
              f"render / it = {r['same_text_ratio']:.2f}x)")
    for r in results:
        print(f"{r['size']} pack: {r['path']}")


if __name__ == "__main__":
    main(sys.argv[1:])
