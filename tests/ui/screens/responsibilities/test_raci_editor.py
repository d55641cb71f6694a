"""The RACI editor driven from the keyboard and mouse over a real database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QDialog, QFileDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from qms_desktop import raci, records
from qms_desktop.models import Process, RaciCell, Role
from ui.screens.responsibilities.raci_editor import RaciEditor, RaciModel, matrix_html


@pytest.fixture
def grid(store: object) -> dict[str, Any]:
    """Three processes by three roles; roles sort as Buyer, Director, Quality Manager."""
    processes = {
        name: records.create(Process, name=name) for name in ("Design", "Purchasing", "Sales")
    }
    roles = {
        title: records.create(Role, title=title)
        for title in ("Buyer", "Director", "Quality Manager")
    }
    return {"processes": processes, "roles": roles}


@pytest.fixture
def editor(show: Any, grid: dict[str, Any]) -> RaciEditor:
    return show(RaciEditor(), (1100, 600))


def stored(process: Process) -> dict[str, str]:
    return {
        c.role.title: c.letter
        for c in RaciCell.select().where(
            (RaciCell.process == process) & RaciCell.archived_at.is_null()
        )
    }


def select_cell(qtbot: QtBot, editor: RaciEditor, row: int, column: int) -> None:
    table = editor.table
    rect = table.visualRect(editor.model.index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.currentIndex().row() == row
    assert table.currentIndex().column() == column


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_args: Any) -> Any:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_typing_letters_stores_them_and_arrows_move(
    qtbot: QtBot, editor: RaciEditor, grid: dict[str, Any]
) -> None:
    design = grid["processes"]["Design"]
    select_cell(qtbot, editor, 0, 1)  # Design × Buyer
    qtbot.keyClick(editor.table, Qt.Key.Key_R)
    assert stored(design) == {"Buyer": "R"}
    assert editor.table.currentIndex().data() == "R"

    qtbot.keyClick(editor.table, Qt.Key.Key_Right)
    qtbot.keyClicks(editor.table, "a")  # lower case works too
    assert stored(design) == {"Buyer": "R", "Director": "A"}
    assert "Design" not in [p.name for p in Process.select() if p.id in raci.problems()]

    qtbot.keyClick(editor.table, Qt.Key.Key_Down)
    qtbot.keyClick(editor.table, Qt.Key.Key_C)
    assert stored(grid["processes"]["Purchasing"]) == {"Director": "C"}


def test_second_a_asks_and_no_changes_nothing(
    qtbot: QtBot, editor: RaciEditor, grid: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    design = grid["processes"]["Design"]
    roles = grid["roles"]
    raci.set_letter(design, roles["Director"], "A")
    raci.set_letter(design, roles["Buyer"], "R")
    editor.reload()
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)

    select_cell(qtbot, editor, 0, 3)  # Design × Quality Manager
    qtbot.keyClick(editor.table, Qt.Key.Key_A)

    assert asked == [
        "Make Quality Manager accountable instead of Director? Director becomes Responsible."
    ]
    assert stored(design) == {"Director": "A", "Buyer": "R"}
    assert editor.table.currentIndex().data() == ""


def test_second_a_asks_and_yes_moves_the_a(
    qtbot: QtBot, editor: RaciEditor, grid: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    design = grid["processes"]["Design"]
    raci.set_letter(design, grid["roles"]["Director"], "A")
    editor.reload()
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)

    select_cell(qtbot, editor, 0, 3)
    qtbot.keyClick(editor.table, Qt.Key.Key_A)

    assert len(asked) == 1
    assert stored(design) == {"Director": "R", "Quality Manager": "A"}
    # The old A's cell shows its new letter without a reload, and the row is now sound.
    assert editor.model.index(0, 2).data() == "R"
    assert editor.model.index(0, 3).data() == "A"
    assert editor.model.index(0, editor.model.problem_column()).data() == ""


def test_delete_backspace_and_space_clear(
    qtbot: QtBot, editor: RaciEditor, grid: dict[str, Any]
) -> None:
    design = grid["processes"]["Design"]
    roles = grid["roles"]
    for role in roles.values():
        raci.set_letter(design, role, "I")
    editor.reload()
    select_cell(qtbot, editor, 0, 1)
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.table, Qt.Key.Key_Right)
    qtbot.keyClick(editor.table, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor.table, Qt.Key.Key_Right)
    qtbot.keyClick(editor.table, Qt.Key.Key_Space)
    assert stored(design) == {}


def test_double_click_offers_the_letters(
    qtbot: QtBot, editor: RaciEditor, grid: dict[str, Any]
) -> None:
    table = editor.table
    rect = table.visualRect(editor.model.index(1, 2))  # Purchasing × Director
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: isinstance(table.indexWidget(table.currentIndex()), QComboBox)
                    or table.findChild(QComboBox) is not None)
    combo = table.findChild(QComboBox)
    assert combo is not None
    assert [combo.itemData(i) for i in range(combo.count())] == ["", "R", "A", "C", "I"]
    combo.hidePopup()
    combo.setCurrentIndex(combo.findData("C"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: stored(grid["processes"]["Purchasing"]) == {"Director": "C"})
    assert editor.model.index(1, 2).data() == "C"


def test_rows_that_break_a_rule_are_flagged(
    qtbot: QtBot, editor: RaciEditor, grid: dict[str, Any]
) -> None:
    processes, roles = grid["processes"], grid["roles"]
    for process in processes.values():
        raci.set_letter(process, roles["Director"], "A")
        raci.set_letter(process, roles["Buyer"], "R")
    raci.set_letter(processes["Sales"], roles["Buyer"], "C")  # no R any more
    editor.reload()

    model = editor.model
    problem = model.problem_column()
    assert model.index(2, problem).data() == "No R: nobody is responsible for doing the work."
    assert model.index(2, 1).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "Needs attention" in model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(0, problem).data() == ""
    assert editor.summary_label.text() == "3 processes · 3 roles · 1 row needs attention"

    # Fixing the row from the keyboard clears the flag and the summary at once.
    select_cell(qtbot, editor, 2, 1)
    qtbot.keyClick(editor.table, Qt.Key.Key_R)
    assert model.index(2, problem).data() == ""
    assert model.index(2, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert editor.summary_label.text() == (
        "3 processes · 3 roles · every row has one A and at least one R"
    )


def test_add_qms_activity(
    qtbot: QtBot, editor: RaciEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *_args, **_kwargs: ("Internal audit", True)
    )
    with qtbot.waitSignal(editor.status_message) as signal:
        qtbot.mouseClick(editor.add_activity_button, Qt.MouseButton.LeftButton)
    activity = Process.get(Process.name == "Internal audit")
    assert activity.is_activity
    assert signal.args == ["Added the QMS activity “Internal audit”."]
    # Activities come after the processes, marked as such, and the cursor is on the new row.
    assert editor.model.rowCount() == 4
    assert editor.model.index(3, 0).data() == "Internal audit"
    assert editor.model.index(3, 0).data(Qt.ItemDataRole.UserRole) is True
    assert editor.table.currentIndex().row() == 3
    assert "1 QMS activity" in editor.summary_label.text()
    qtbot.keyClick(editor.table, Qt.Key.Key_A)
    assert stored(activity) == {"Buyer": "A"}


def test_an_activity_named_like_a_row_is_not_added_and_the_editor_says_why(
    qtbot: QtBot, editor: RaciEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *_args, **_kwargs: ("sales", True))
    with qtbot.waitSignal(editor.status_message) as signal:
        qtbot.mouseClick(editor.add_activity_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["Not added: There is already a row called sales."]
    assert Process.select().count() == 3
    assert editor.model.rowCount() == 3


def test_add_qms_activity_cancelled(
    qtbot: QtBot, editor: RaciEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *_args, **_kwargs: ("", False))
    qtbot.mouseClick(editor.add_activity_button, Qt.MouseButton.LeftButton)
    assert Process.select().where(Process.is_activity == True).count() == 0  # noqa: E712


def test_export_pdf(
    qtbot: QtBot, editor: RaciEditor, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "matrix"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(target), "PDF files")
    )
    qtbot.mouseClick(editor.export_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "matrix.pdf"
    assert written.read_bytes().startswith(b"%PDF")


def test_print_to_a_pdf_file(
    qtbot: QtBot,
    editor: RaciEditor,
    grid: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    raci.set_letter(grid["processes"]["Design"], grid["roles"]["Director"], "A")
    editor.reload()
    target = tmp_path / "printed.pdf"

    def choose_pdf_printer(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", choose_pdf_printer)
    qtbot.mouseClick(editor.print_button, Qt.MouseButton.LeftButton)

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(target).pages)
    for words in ("RACI matrix", "Design", "Purchasing", "Quality Manager", "No R"):
        assert words in text


def test_print_cancelled_prints_nothing(
    qtbot: QtBot, editor: RaciEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QPrintDialog, "exec", lambda _dialog: QDialog.DialogCode.Rejected)
    assert editor.print_matrix() is False


def test_html_for_printing_marks_activities_and_problems(grid: dict[str, Any]) -> None:
    records.create(Process, name="Management review", is_activity=True)
    matrix = raci.load()
    text = matrix_html(matrix, raci.problems(matrix))
    assert "Management review <i" in text
    assert "No A: nobody is accountable" in text


def test_empty_matrix_says_what_to_add(qtbot: QtBot, store: object) -> None:
    widget = RaciEditor()
    qtbot.addWidget(widget)
    assert widget.stack.currentWidget() is widget.empty_label
    assert "roles" in widget.empty_label.text()
    assert not widget.print_button.isEnabled()


def test_model_passes_the_model_tester(qtmodeltester: Any, grid: dict[str, Any]) -> None:
    raci.set_letter(grid["processes"]["Design"], grid["roles"]["Director"], "A")
    model = RaciModel()
    model.reload()
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.columnCount() == 5
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.index(0, 0).flags() & Qt.ItemFlag.ItemIsEditable == Qt.ItemFlag.NoItemFlags
    assert model.index(0, 1).flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, 0), "R")
    assert not model.setData(QModelIndex(), "R")


def test_unknown_letter_is_refused_with_a_message(
    qtbot: QtBot, editor: RaciEditor
) -> None:
    with qtbot.waitSignal(editor.model.problem):
        assert not editor.model.setData(editor.model.index(0, 1), "X")
    assert editor.message_label.isVisible()
