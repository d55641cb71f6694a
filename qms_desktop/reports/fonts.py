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

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the family with reportlab; safe to call any number of times."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        known = set(pdfmetrics.getRegisteredFontNames())
        for name, file_name in FONT_FILES.items():
            if name not in known:
                pdfmetrics.registerFont(TTFont(name, str(FONTS / file_name)))
        # Also maps <b> and <i> inside paragraphs to the right file.
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True
