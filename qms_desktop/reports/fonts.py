"""The one typeface of every report: DejaVu Sans, shipped in resources/fonts and embedded.

Helvetica, reportlab's default, has no glyphs beyond Latin-1, so "Łukasz" or "₹" would
print as black boxes. Everything that sets text (paragraph styles, tables, canvas, and
reportlab.graphics chart labels, which default to Helvetica) names these fonts instead.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from qms_desktop.paths import FONTS

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
                pdfmetrics.registerFont(TTFont(name, str(FONTS / FONT_FILES[name])))
        # Also maps <b> and <i> inside paragraphs to the right file.
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered.update(wanted)
