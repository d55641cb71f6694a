"""reportlab loaded through qms_desktop.reports: two unused patterns are left to compile when
used, and answer then exactly as compiled ones; chart shapes skip their development checks
(reports/reportlab_import.py)."""

from __future__ import annotations

import re
import subprocess
import sys

import reportlab.lib.textsplit as textsplit
import reportlab.platypus.paragraph as paragraph

from qms_desktop.reports.reportlab_import import CompiledWhenUsed

LOADED_FIRST = (
    "import re, sys\n"
    "import qms_desktop.reports\n"
    "import reportlab.platypus.paragraph as p, reportlab.lib.textsplit as t\n"
    "from qms_desktop.reports import charts\n"
    "from reportlab.graphics.shapes import Shape\n"
    "print(type(p.uri_pat).__name__, type(t.rx).__name__, p.uri_pat._compiled is None,\n"
    "      re.compile.__module__, '__setattr__' in Shape.__dict__)\n"
)


def test_the_reports_load_platypus_without_compiling_the_two_patterns() -> None:
    run = subprocess.run([sys.executable, "-c", LOADED_FIRST], capture_output=True, text=True,
                         check=True)
    # The chart shapes too take their attributes unchecked.
    assert run.stdout.split() == ["CompiledWhenUsed", "CompiledWhenUsed", "True", "re", "False"]


def test_a_deferred_pattern_answers_as_the_compiled_one() -> None:
    uri = paragraph.uri_pat
    if not isinstance(uri, CompiledWhenUsed):  # reportlab loaded before the reports here
        uri = CompiledWhenUsed(re.compile, uri.pattern, uri.flags)
    compiled = re.compile(uri.pattern, uri.flags)
    for text in ("https://example.com/a/b", "HTTP://Ünïcode.example/x?y=1", "not an address",
                 "ftp://10.0.0.1:21/", ""):
        found, expected = uri.match(text), compiled.match(text)
        assert (found and found.groups()) == (expected and expected.groups())
    assert paragraph._uri_split_pairs("https://example.com/a/b")[0] == (
        "https://example.com/a/", "b")
    assert textsplit.rx.sub(r"\1|", "ab漢字") == "ab漢|字|"
