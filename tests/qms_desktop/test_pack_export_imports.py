"""`export-pack` loads what a PDF pack needs and no more.

A whole `export-pack` process is held to twice the speed of a browser printing the pack's
HTML twin (bench/bench_export_pack.py), and most of a short command's time is importing:
the modules cut from its path stay out of it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from qms_desktop import cli, export

# Loaded by nothing a PDF pack of an open review needs (what each cost: the commit that cut it).
NOT_FOR_A_PACK = {
    "qms_desktop.export",  # the register exporter: zipfile and babel
    "qms_desktop.as_of",  # rebuilding the past, and its evidence checker
    "qms_desktop.evidence",
    "qms_desktop.reports.review_pack_html",
    "urllib.request",  # through xml.sax.saxutils, with http.client, email and ssl
    "ssl",
    "_strptime",
}

LIST_MODULES = (
    "import sys\n"
    "from qms_desktop import cli\n"
    "code = cli.main(sys.argv[1:])\n"
    "print('LOADED', ' '.join(sorted(sys.modules)))\n"
    "sys.exit(code)\n"
)


def test_export_pack_leaves_what_it_does_not_use_unloaded(sample_template: Path,
                                                          tmp_path: Path) -> None:
    database = tmp_path / "qms.db"
    shutil.copyfile(sample_template, database)
    out = tmp_path / "pack.pdf"
    run = subprocess.run(
        [sys.executable, "-c", LIST_MODULES, "export-pack", "--db", str(database),
         "--out", str(out)],
        capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes().startswith(b"%PDF")
    loaded = set(run.stdout.rsplit("LOADED ", 1)[1].split())
    assert "qms_desktop.reports.review_pack" in loaded  # the list is the real one
    assert loaded & NOT_FOR_A_PACK == set()


def test_html_pack_still_loads_its_renderer(sample_template: Path, tmp_path: Path) -> None:
    database = tmp_path / "qms.db"
    shutil.copyfile(sample_template, database)
    out = tmp_path / "pack.html"
    assert cli.main(["export-pack", "--db", str(database), "--out", str(out)]) == cli.EXIT_OK
    assert "<html" in out.read_text(encoding="utf-8").lower()


def test_the_command_line_offers_the_exporters_formats() -> None:
    assert cli.EXPORT_FORMATS == export.FORMATS
