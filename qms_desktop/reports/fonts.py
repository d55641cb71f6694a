"""The one typeface of every report: DejaVu Sans, shipped in resources/fonts and embedded.

Helvetica, reportlab's default, has no glyphs beyond Latin-1, so "Łukasz" or "₹" would
print as black boxes. Everything that sets text (paragraph styles, tables, canvas, and
reportlab.graphics chart labels, which default to Helvetica) names these fonts instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
import threading
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from qms_desktop.paths import FONTS, user_cache_dir

FAMILY = "QmsSans"
REGULAR = "QmsSans"
BOLD = "QmsSans-Bold"
ITALIC = "QmsSans-Oblique"
BOLD_ITALIC = "QmsSans-BoldOblique"

# Font name -> file in resources/fonts (the licence, DejaVu-LICENSE.txt, sits beside them).
FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

# Parsing a font file takes a tenth of a second: the slanted faces, which only the audit
# checklist sets, are read when a report asks for them, not by every pack.
UPRIGHT = (REGULAR, BOLD)
SLANTED = (ITALIC, BOLD_ITALIC)

_lock = threading.Lock()
_registered: set[str] = set()


def register_fonts(slanted: bool = False) -> None:
    """Register the family with reportlab (with `slanted`, its oblique faces too); safe to
    call any number of times."""
    wanted = UPRIGHT + SLANTED if slanted else UPRIGHT
    if _registered.issuperset(wanted):
        return
    with _lock:
        known = set(pdfmetrics.getRegisteredFontNames())
        for name in wanted:
            if name not in known:
                pdfmetrics.registerFont(_font(name, FONTS / FONT_FILES[name]))
        # Also maps <b> and <i> inside paragraphs to the right file.
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered.update(wanted)


# --- The parsed fonts, kept between runs ---------------------------------------------------------
#
# reportlab reads a whole font file in Python (its character map and widths) each time a
# process starts, 10 to 40 ms a face; the parsed font is kept in the user's cache folder and
# read back in a third of that. The key changes with the font file and with reportlab, so an
# update never reads a stale copy; a copy that cannot be read is parsed again and replaced.

_CACHE_FORMAT = 1
_KEY_LENGTH = 20
# All a parsed TTFont is made of, besides builtins: nothing else is unpickled.
_FONT_CLASSES = frozenset({"TTFont", "TTFontFace", "TTEncoding", "TTFNameBytes"})


def _font(name: str, path: Path) -> TTFont:
    cache = _cache_file(name, path)
    if cache is not None:
        try:
            return _unpickled(cache.read_bytes())
        except Exception:  # none yet, or a damaged copy (anything unpickling raises): parse
            pass
    font = TTFont(name, str(path))
    if cache is not None:
        _keep(font, cache)
    return font


def _cache_file(name: str, path: Path) -> Path | None:
    try:
        stat = path.stat()
    except OSError:
        return None  # TTFont names the missing file
    key = hashlib.sha256(
        f"{_CACHE_FORMAT}|{name}|{path}|{stat.st_size}|{stat.st_mtime_ns}|"
        f"{reportlab.Version}|{sys.version_info[:2]}".encode()
    ).hexdigest()[:_KEY_LENGTH]
    return user_cache_dir() / "fonts" / f"{name}-{key}.pickle"


class _FontUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == ttfonts.__name__ and name in _FONT_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a parsed font")


def _unpickled(data: bytes) -> TTFont:
    font = _FontUnpickler(io.BytesIO(data)).load()
    if not isinstance(font, ttfonts.TTFont):
        raise pickle.UnpicklingError("not a parsed font")
    # What TTFont.__init__ and TTFontFile.extractInfo set that does not pickle.
    font.state = WeakKeyDictionary()
    font.face._pdfScale = _scale(font.face.unitsPerEm)
    return font


def _scale(units_per_em: int) -> Any:
    """As extractInfo's own: font units to thousandths of an em."""
    if units_per_em == 1000:
        return lambda x: x
    thousand_mult = 1000 / units_per_em
    return lambda x: x * thousand_mult


def _keep(font: TTFont, cache: Path) -> None:
    state, scale = font.state, font.face._pdfScale
    del font.state, font.face._pdfScale
    try:
        data = pickle.dumps(font, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a reportlab whose fonts hold something that does not pickle
        return
    finally:
        font.state, font.face._pdfScale = state, scale
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.partial")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, cache)  # whole or not at all, whoever else writes it
        for stale in cache.parent.glob(f"{font.fontName}-{'?' * _KEY_LENGTH}.pickle"):
            if stale != cache:  # kept for a font file or a reportlab since replaced
                stale.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk: the font is parsed again next time
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
