"""The parsed report fonts kept between runs (reports/fonts.py): read back the same as parsed,
and a damaged or foreign copy is parsed again rather than trusted."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from qms_desktop.paths import FONTS
from qms_desktop.reports import fonts

PATH = FONTS / fonts.FONT_FILES[fonts.REGULAR]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(fonts, "user_cache_dir", lambda: tmp_path)
    return tmp_path / "fonts"


def _parse_refused(*_args: object) -> TTFont:
    raise AssertionError("parsed the font file although a good copy was kept")


def test_a_kept_font_reads_back_as_parsed(cache_dir: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = fonts._font(fonts.REGULAR, PATH)
    assert [p.name for p in cache_dir.iterdir()] != []
    monkeypatch.setattr(fonts, "TTFont", _parse_refused)
    kept = fonts._font(fonts.REGULAR, PATH)
    assert kept is not parsed
    plain = {k: v for k, v in vars(parsed.face).items() if k != "_pdfScale"}
    assert {k: v for k, v in vars(kept.face).items() if k != "_pdfScale"} == plain
    assert kept.face._pdfScale(517) == parsed.face._pdfScale(517)
    assert kept.fontName == parsed.fontName and kept.state is not parsed.state
    words = "Łukasz paid ₹12 500 — “quoted”"
    assert kept.stringWidth(words, 8.5) == parsed.stringWidth(words, 8.5)


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(print),
                                    pickle.dumps({"font": "QmsSans"})])
def test_a_damaged_or_foreign_copy_is_parsed_again_and_replaced(
        cache_dir: Path, damage: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts._font(fonts.REGULAR, PATH)
    (kept,) = cache_dir.iterdir()
    kept.write_bytes(damage)
    font = fonts._font(fonts.REGULAR, PATH)
    assert font.face.charWidths and font.fontName == fonts.REGULAR
    monkeypatch.setattr(fonts, "TTFont", _parse_refused)
    assert fonts._font(fonts.REGULAR, PATH).face.charWidths == font.face.charWidths


def test_a_cache_folder_that_cannot_be_written_only_costs_the_parse(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would go")
    monkeypatch.setattr(fonts, "user_cache_dir", lambda: blocked)
    assert fonts._font(fonts.REGULAR, PATH).face.charWidths
    assert [p.name for p in tmp_path.iterdir()] == ["blocked"]


def test_a_copy_for_a_replaced_font_file_is_removed_and_no_other(cache_dir: Path) -> None:
    cache_dir.mkdir()
    stale = cache_dir / f"{fonts.REGULAR}-{'0' * 20}.pickle"
    other_face = cache_dir / f"{fonts.BOLD}-{'0' * 20}.pickle"
    for old in (stale, other_face):
        old.write_bytes(b"kept for a font file since replaced")
    fonts._font(fonts.REGULAR, PATH)
    names = sorted(p.name for p in cache_dir.iterdir())
    assert stale.name not in names and other_face.name in names and len(names) == 2
