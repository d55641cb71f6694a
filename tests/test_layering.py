"""The core never imports Qt: every rule about quality data runs without a window."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parent.parent / "qms_desktop"
FORBIDDEN = ("PySide6", "shiboken6", "ui")


def imported_modules(source: Path) -> list[tuple[int, str]]:
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


CORE_FILES = sorted(CORE.rglob("*.py"))


def test_the_core_has_files_to_check() -> None:
    assert len(CORE_FILES) > 5


@pytest.mark.parametrize("source", CORE_FILES, ids=lambda p: str(p.relative_to(CORE.parent)))
def test_core_module_does_not_import_qt_or_ui(source: Path) -> None:
    offending = [
        f"line {line}: {module}"
        for line, module in imported_modules(source)
        if module.split(".")[0] in FORBIDDEN
    ]
    assert not offending, f"{source.name} imports {', '.join(offending)}"
