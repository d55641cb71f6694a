"""reportlab's Platypus, loaded without compiling two patterns no report of ours uses.

As it loads, reportlab.platypus compiles a web-address pattern for hyphenating long links
(case-insensitive over most of Unicode: 50 ms, a twentieth of a whole `export-pack`) and a
pattern for wrapping CJK text by character count (8 ms). Our reports neither hyphenate nor
call that wrapper, so each is compiled the first time something uses it, if ever.

reportlab's chart shapes also check every attribute as it is set, which its settings call
"a big help when developing" and which was a twentieth of drawing a pack: off, as it is meant
to be outside development (the tests draw every kind of chart the reports have).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from reportlab import rl_config

# The module that compiles a pattern, and how the pattern begins.
DEFERRED = (
    ("reportlab.platypus.paragraph", "(^(?:[a-z0-9\\.\\-\\+]*)://)"),
    ("reportlab.lib.textsplit", "([\u2e80-\uffff])"),
)


class CompiledWhenUsed:
    """Stands for a compiled pattern: compiles it when one of its methods is first asked for."""

    def __init__(self, compile_now: Callable[[str, int], re.Pattern[str]], pattern: str,
                 flags: int) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compile_now = compile_now
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = self._compile_now(self.pattern, self.flags)
        return getattr(self._compiled, name)


def load_platypus() -> None:
    """Import reportlab.platypus with the DEFERRED patterns left to compile when used; once
    it is loaded (by this or by anything else), nothing to do."""
    rl_config.shapeChecking = 0  # before reportlab.graphics.shapes reads it, when it can
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    compile_now = re.compile

    def compile_or_defer(pattern: Any, flags: int = 0) -> Any:
        module = sys._getframe(1).f_globals.get("__name__")
        if isinstance(pattern, str) and any(module == name and pattern.startswith(start)
                                            for name, start in DEFERRED):
            return CompiledWhenUsed(compile_now, pattern, flags)
        return compile_now(pattern, flags)

    setattr(re, "compile", compile_or_defer)  # noqa: B010 - mypy refuses the plain assignment
    try:
        import reportlab.platypus  # noqa: F401 - loaded for its side effect
    finally:
        setattr(re, "compile", compile_now)  # noqa: B010
