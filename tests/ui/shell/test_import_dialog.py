"""The import window: a file chosen, its register and columns matched, every problem shown by
row and column and saved beside its row, then all rows imported or none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from qms_desktop import db, registers
from qms_desktop.catalogue import PEOPLE
from qms_desktop.models import Risk, Supplier
from tests.spreadsheets import workbook
from ui.shell import import_dialog
from ui.shell.import_dialog import ImportDialog
from ui.shell.main_window import MainWindow


@pytest.fixture
def dialog(store: db.Store, show: Callable[..., QWidget]) -> ImportDialog:
    return show(ImportDialog(), size=None)


def table_rows(table: Any) -> list[list[str]]:
    return [[table.item(r, c).text() if table.item(r, c) else ""
             for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_a_file_with_problems_shows_them_and_imports_nothing_then_imports_once_mapped(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registers.save(PEOPLE, None, {"full_name": "Maria Khan"})
    path = workbook(tmp_path / "ours.xlsx", [
        ["Supplier", "Supplies", "Criticality"],
        ["Acme Tools", "Cutting tools", "High"],
        ["Beta Metals", "Bar stock", "Enormous"],
    ], title="Our suppliers")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))

    qtbot.mouseClick(dialog.choose_button, import_dialog.Qt.MouseButton.LeftButton)

    assert dialog.register_combo.currentText() == "Suppliers"  # guessed from the headings
    assert dialog.column_combo("Supplier").currentText() == "Supplier"
    assert dialog.column_combo("Supplies").currentText() == import_dialog.NOT_IMPORTED
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.check_button, import_dialog.Qt.MouseButton.LeftButton)
    assert table_rows(dialog.problems_table) == [
        ["Our suppliers", "3", "Criticality", dialog.outcome.problems[0].message]]
    assert "Enormous" in dialog.outcome.problems[0].message
    assert dialog.problems_table.isColumnHidden(0)  # one sheet: its name takes no room
    assert not dialog.import_button.isEnabled() and dialog.save_problems_button.isEnabled()

    saved = tmp_path / "problems.xlsx"
    monkeypatch.setattr(import_dialog, "ask_save_path", lambda *_a, **_k: saved)
    qtbot.mouseClick(dialog.save_problems_button, import_dialog.Qt.MouseButton.LeftButton)
    book = openpyxl.load_workbook(saved)
    rows = list(book["Our suppliers"].iter_rows(values_only=True))
    assert rows[1][1:3] == (3, "Beta Metals") and "Enormous" in rows[1][0]
    assert Supplier.select().count() == 0

    # The user maps the unmatched column, fixes the file and checks again.
    combo = dialog.column_combo("Supplies")
    combo.setCurrentIndex(combo.findData("provides"))
    workbook(path, [["Supplier", "Supplies", "Criticality"],
                    ["Acme Tools", "Cutting tools", "High"],
                    ["Beta Metals", "Bar stock", "Low"]], title="Our suppliers")
    dialog.load(path)
    assert dialog.column_combo("Supplies").currentData() is None  # mappings kept on import only
    combo = dialog.column_combo("Supplies")
    combo.setCurrentIndex(combo.findData("provides"))
    qtbot.mouseClick(dialog.check_button, import_dialog.Qt.MouseButton.LeftButton)
    assert dialog.problems_table.rowCount() == 0 and dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported) as signal:
        qtbot.mouseClick(dialog.import_button, import_dialog.Qt.MouseButton.LeftButton)
    assert signal.args == [2]
    assert sorted(s.provides for s in Supplier.select()) == ["Bar stock", "Cutting tools"]


def test_a_close_heading_is_offered_first_and_applied_only_when_chosen(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "s.xlsx", [["Supplier", "Critcality"], ["Acme", "High"]])
    assert dialog.load(path)

    combo = dialog.column_combo("Critcality")
    assert combo.currentData() is None
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert "Criticality (close match)" in offered
    combo.setCurrentIndex(combo.findData("criticality"))
    qtbot.mouseClick(dialog.check_button, import_dialog.Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None and dialog.outcome.problems == []
    qtbot.mouseClick(dialog.import_button, import_dialog.Qt.MouseButton.LeftButton)
    assert Supplier.get().criticality == "high"


def test_an_unreadable_file_is_one_plain_message(qtbot: QtBot, dialog: ImportDialog,
                                                  tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)

    assert not dialog.load(path)

    assert "not a spreadsheet" in dialog.summary.text()
    assert not dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()


def test_the_file_menu_opens_the_import_window(qtbot: QtBot, live_window: MainWindow) -> None:
    seen: list[ImportDialog] = []

    def close_it() -> None:
        found = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, ImportDialog) and w.isVisible()]
        seen.extend(found)
        for window in found:
            window.reject()

    QTimer.singleShot(0, close_it)
    live_window.import_action.trigger()
    assert len(seen) == 1


def test_a_sheet_kept_by_hand_shows_its_close_columns_unopened_and_says_what_is_left_out(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "ours.xlsx", [
        ["Supplier", "What they supply", "Approved?", "Notes"],
        ["Acme Tools", "Cutting tools", "Approved", "Good lead times"],
        ["Beta Metals", "Bar stock", "Approved", None],
    ], title="Approved suppliers")

    assert dialog.load(path)

    assert dialog.register_combo.currentText() == "Suppliers"  # found in the sheet's name
    assert dialog.sheet_note.isHidden()
    assert dialog.column_combo("What they supply").currentText() == \
        "— not imported (close: What they provide) —"
    assert dialog.column_combo("Approved?").currentText() == \
        "— not imported (close: Approval) —"
    assert dialog.column_combo("Notes").currentText() == import_dialog.NOT_IMPORTED
    assert "3 of the file's 4 columns match no column of Suppliers" in dialog.summary.text()
    assert "2 of them are close to one" in dialog.summary.text()

    for heading, field in (("What they supply", "provides"), ("Approved?", "approval")):
        combo = dialog.column_combo(heading)
        combo.setCurrentIndex(combo.findData(field))
    qtbot.mouseClick(dialog.check_button, import_dialog.Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None and dialog.outcome.problems == []  # Notes: no problem
    with qtbot.waitSignal(dialog.imported):
        qtbot.mouseClick(dialog.import_button, import_dialog.Qt.MouseButton.LeftButton)
    assert {s.name: (s.provides, s.approval) for s in Supplier.select()} == {
        "Acme Tools": ("Cutting tools", "approved"), "Beta Metals": ("Bar stock", "approved")}


def test_a_sheet_matching_no_register_says_so_until_one_is_chosen(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "list.xlsx", [["Firm", "Phone"], ["Acme", "0123"]],
                    title="Sheet1")

    assert dialog.load(path)

    assert dialog.register_combo.currentData() is None
    assert dialog.sheet_note.isVisible() and "matches no register" in dialog.sheet_note.text()
    dialog.register_combo.setCurrentIndex(dialog.register_combo.findData("Suppliers"))
    assert dialog.sheet_note.isHidden()
    assert "2 of the file's 2 columns match no column of Suppliers" in dialog.summary.text()


def test_check_reads_the_file_again_once_corrected_keeping_the_columns_chosen(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    registers.save(PEOPLE, None, {"full_name": "Maria Khan"})
    rows: list[list[Any]] = [["Risk", "Owner", "Controls"],
                             ["Supplier fails", "Maria Kahn", "Second source"]]
    path = workbook(tmp_path / "risks.xlsx", rows, title="Risk register")
    assert dialog.load(path)
    combo = dialog.column_combo("Risk")
    combo.setCurrentIndex(combo.findData("title"))
    qtbot.mouseClick(dialog.check_button, import_dialog.Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None
    assert [(p.row, p.column) for p in dialog.outcome.problems] == [(2, "Owner")]

    # The user corrects the name in the spreadsheet, saves it and presses Check again.
    rows[1][1] = "Maria Khan"
    rows.append(["Late delivery", "Maria Khan", "Planning meeting"])
    workbook(path, rows, title="Risk register")
    qtbot.mouseClick(dialog.check_button, import_dialog.Qt.MouseButton.LeftButton)

    assert dialog.column_combo("Risk").currentData() == "title"  # the choice is kept
    assert dialog.outcome is not None and dialog.outcome.problems == []
    assert dialog.outcome.created == 2  # the row added since is read too
    assert "2 new records" in dialog.summary.text()

    # Saved again after the check: Import checks what the file holds now, writes nothing yet.
    rows.append(["Fire", "Nobody Known", "Extinguishers"])
    workbook(path, rows, title="Risk register")
    qtbot.mouseClick(dialog.import_button, import_dialog.Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None
    assert [(p.row, p.column) for p in dialog.outcome.problems] == [(4, "Owner")]
    assert Risk.select().count() == 0 and dialog.isVisible()


def test_the_check_says_which_rows_would_make_second_records_before_import(
    qtbot: QtBot, dialog: ImportDialog, tmp_path: Path
) -> None:
    registers.save(PEOPLE, None, {"full_name": "Maria Khan"})
    path = workbook(tmp_path / "staff.xlsx", [["Name"], ["Maria Khan"], ["Tom Reid"]],
                    title="People")
    assert dialog.load(path)

    qtbot.mouseClick(dialog.check_button, import_dialog.Qt.MouseButton.LeftButton)

    assert "Before you import: Sheet “People”, row 2: People already has “Maria Khan”" in \
        dialog.summary.text()
    assert dialog.import_button.isEnabled()  # the user decides
