"""Save dialogs open in the Documents folder, then in the folder last saved into; never in the
program's own folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.kit import save_dialog
from ui.kit.save_dialog import ask_save_path


@dataclass
class FakeDialog:
    offered: list[str] = field(default_factory=list)  # the start path of each opening
    answers: list[str] = field(default_factory=list)  # what the user picks; "" cancels


@pytest.fixture
def dialog(monkeypatch: pytest.MonkeyPatch, qapp: Any, tmp_path: Path) -> Iterator[FakeDialog]:
    save_dialog._settings().remove(save_dialog.LAST_FOLDER_KEY)
    fake = FakeDialog()

    def ask(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        fake.offered.append(start)
        return (fake.answers.pop(0) if fake.answers else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    monkeypatch.chdir(tmp_path)  # the "program's folder" a shortcut may start in
    yield fake
    save_dialog._settings().remove(save_dialog.LAST_FOLDER_KEY)


def documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def test_the_first_save_opens_in_documents_then_in_the_last_folder_used(
        dialog: FakeDialog, tmp_path: Path, qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    dialog.answers.append("")
    assert ask_save_path(parent, "Export", "Pack.pdf", "PDF (*.pdf)") is None
    assert dialog.offered[0] == str(documents() / "Pack.pdf")
    assert Path(dialog.offered[0]).parent != Path(os.getcwd())

    board = tmp_path / "board papers"
    board.mkdir()
    dialog.answers.append(str(board / "Pack for March.pdf"))
    assert ask_save_path(parent, "Export", "Pack.pdf") == board / "Pack for March.pdf"

    assert ask_save_path(parent, "Export", "RACI matrix.pdf") is None
    assert dialog.offered[-1] == str(board / "RACI matrix.pdf")


def test_a_last_folder_that_is_gone_falls_back_to_documents(
        dialog: FakeDialog, tmp_path: Path) -> None:
    gone = tmp_path / "removed usb stick"
    save_dialog.remember_folder(gone)
    assert save_dialog.start_folder() == documents()
    gone.mkdir()
    assert save_dialog.start_folder() == gone
