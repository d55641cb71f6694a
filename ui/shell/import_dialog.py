"""Import a register from a spreadsheet: pick the file, check the register and the columns,
see every problem by row and column (and save them beside their rows), then import all rows.

The work is the core's (`qms_desktop.importing`); this dialog only shows its choices. Nothing
is written before "Import", and then every row or none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import importing
from ui.kit.save_dialog import ask_save_path, start_folder
from ui.kit.widgets import resize_within_screen

NOT_IMPORTED = "— not imported —"
LEFT_OUT = "— leave this sheet out —"
SPREADSHEETS = "Spreadsheets (*.xlsx *.ods *.csv);;All files (*)"


def _stamp(path: Path) -> tuple[int, int] | None:
    """When and how big the file was last saved; None when it is gone."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def not_imported_text(offered: list[str]) -> str:
    """The "not imported" choice of a column, naming the closest field when there is one."""
    return f"— not imported (close: {offered[0]}) —" if offered else NOT_IMPORTED


class ImportDialog(QDialog):
    """Opened from File → Import; `imported` tells the window how many rows came in."""

    imported = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import from a spreadsheet")
        self.setAccessibleName("Import from a spreadsheet")
        self.plan: importing.Import | None = None
        self.outcome: importing.Outcome | None = None
        self._loading = False
        self._stamp: tuple[int, int] | None = None

        layout = QVBoxLayout(self)
        file_row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText("Choose an .xlsx, .ods or .csv file")
        self.path_edit.setAccessibleName("File")
        self.choose_button = QPushButton("&Choose file…")
        self.choose_button.clicked.connect(self.choose_file)
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        layout.addLayout(file_row)

        form = QFormLayout()
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Sheet")
        self.sheet_combo.currentIndexChanged.connect(self._show_sheet)
        self.register_combo = QComboBox()
        self.register_combo.setAccessibleName("Register")
        self.register_combo.addItem(LEFT_OUT, None)
        for name in importing.targets():
            self.register_combo.addItem(name, name)
        self.register_combo.currentIndexChanged.connect(self._register_chosen)
        form.addRow("&Sheet:", self.sheet_combo)
        form.addRow("&Register:", self.register_combo)
        layout.addLayout(form)
        self.sheet_note = QLabel()
        self.sheet_note.setWordWrap(True)
        self.sheet_note.hide()  # shown only with something to say: the columns need the room
        layout.addWidget(self.sheet_note)

        self.columns_table = QTableWidget(0, 2)
        self.columns_table.setAccessibleName("Columns")
        self.columns_table.setHorizontalHeaderLabels(["Column in the file", "Goes into"])
        self.columns_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.columns_table.verticalHeader().hide()
        self.columns_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.columns_table, 1)

        self.summary = QLabel("Choose a file to import.")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.problems_table = QTableWidget(0, 4)
        self.problems_table.setAccessibleName("Problems")
        self.problems_table.setHorizontalHeaderLabels(["Sheet", "Row", "Column", "Problem"])
        self.problems_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self.problems_table.verticalHeader().hide()
        self.problems_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_table.setWordWrap(True)
        layout.addWidget(self.problems_table, 1)

        buttons = QDialogButtonBox()
        self.check_button = buttons.addButton("C&heck", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_problems_button = buttons.addButton(
            "&Save problems…", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.check_button.clicked.connect(self.check)
        self.save_problems_button.clicked.connect(self.save_problems)
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._update_buttons()
        resize_within_screen(self, 860, 720, parent)

    # --- Choosing ---------------------------------------------------------------------------

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Import from a spreadsheet",
                                                str(start_folder()), SPREADSHEETS)
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> bool:
        """Read `path` and show what it matched; False (and why, on screen) when unreadable."""
        self.plan = None
        self.outcome = None
        self.path_edit.setText(str(path))
        self._show_problems([])
        self._stamp = _stamp(path)
        try:
            self.plan = importing.Import(path)
        except importing.Unreadable as unreadable:
            self.summary.setText(f"{unreadable} Nothing was imported.")
            self._fill_sheets()
            self._update_buttons()
            return False
        self._fill_sheets()
        self.summary.setText(self._matched_summary())
        self._update_buttons()
        return True

    def _read_again_if_changed(self) -> bool:
        """Read the file again when it was saved since it was read (the user corrected the
        problems in it), keeping the registers and columns chosen; False when it can no
        longer be read (then the summary says why)."""
        plan = self.plan
        if plan is None or _stamp(plan.path) == self._stamp:
            return plan is not None
        chosen = {sheet.name: (sheet.target.name if sheet.target is not None else None,
                               {sheet.table.headings[i]: n for i, n in sheet.mapping.items()},
                               set(sheet.table.headings))
                  for sheet in plan.sheets}
        at = self.sheet_combo.currentIndex()
        if not self.load(plan.path):
            return False
        assert self.plan is not None
        for index, sheet in enumerate(self.plan.sheets):
            if sheet.name not in chosen:
                continue
            target, mapping, headings = chosen[sheet.name]
            if (sheet.target.name if sheet.target is not None else None) != target:
                self.plan.choose_register(index, target)
            for column, heading in enumerate(sheet.table.headings):
                if heading in headings:  # a column new to the file keeps what it matched
                    self.plan.map_column(index, column, mapping.get(heading))
        self._loading = True
        self.sheet_combo.setCurrentIndex(min(max(at, 0), self.sheet_combo.count() - 1))
        self._loading = False
        self._show_sheet()
        return True

    def _matched_summary(self) -> str:
        """What the file's columns matched, and what to do next."""
        current = self._current()
        target = current[1].target if current is not None else None
        if current is None or target is None:
            return "Choose the register this sheet goes into, then press Check."
        sheet = current[1]
        left = sheet.unmatched()
        if not left:
            return "Every column has its place. Press Check to see what would be imported."
        close = sum(1 for i, h in enumerate(sheet.table.headings)
                    if h and i not in sheet.mapping and sheet.offers(i))
        text = (f"{len(left)} of the file's {len(sheet.table.headings)} columns match no "
                f"column of {target.name} and will not be imported")
        if close:
            text += f"; {close} of them {'is' if close == 1 else 'are'} close to one: choose " \
                "it under “Goes into” if it belongs there"
        return text + ". Then press Check."

    def _fill_sheets(self) -> None:
        self._loading = True
        self.sheet_combo.clear()
        for sheet in self.plan.sheets if self.plan is not None else []:
            self.sheet_combo.addItem(sheet.name)
        self._loading = False
        self._show_sheet()

    def _current(self) -> tuple[int, importing.SheetPlan] | None:
        index = self.sheet_combo.currentIndex()
        if self.plan is None or index < 0:
            return None
        return index, self.plan.sheets[index]

    def _show_sheet(self, *_args: object) -> None:
        if self._loading:
            return
        current = self._current()
        self._loading = True
        self.columns_table.setRowCount(0)
        if current is None:
            self.register_combo.setCurrentIndex(0)
            self._note("")
            self._loading = False
            return
        _index, sheet = current
        name = sheet.target.name if sheet.target is not None else None
        self.register_combo.setCurrentIndex(max(0, self.register_combo.findData(name)))
        self._note(sheet.note)
        self._loading = False
        self._fill_columns(sheet)

    def _fill_columns(self, sheet: importing.SheetPlan) -> None:
        self.columns_table.setRowCount(0)
        if sheet.target is None:
            return
        headings = sheet.table.headings
        for row, heading in enumerate(headings):
            self.columns_table.insertRow(row)
            self.columns_table.setItem(row, 0, QTableWidgetItem(heading or "(no heading)"))
            combo = QComboBox()
            combo.setAccessibleName(f"Goes into, for {heading}")
            offered = sheet.offers(row) if row not in sheet.mapping else []
            # The closest match is named on the closed drop-down, so it is seen unopened.
            combo.addItem(not_imported_text(offered), None)
            for column in sheet.target.columns:
                close = column.heading in offered
                combo.addItem(f"{column.heading} (close match)" if close else column.heading,
                              column.name)
            chosen = sheet.mapping.get(row)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.currentIndexChanged.connect(
                lambda _i, r=row, c=combo: self._column_chosen(r, c.currentData()))
            self.columns_table.setCellWidget(row, 1, combo)

    def _note(self, text: str) -> None:
        self.sheet_note.setText(text)
        self.sheet_note.setVisible(bool(text))

    def column_combo(self, heading: str) -> QComboBox:
        """The drop-down of the file's column `heading` (for tests and accessibility)."""
        for row in range(self.columns_table.rowCount()):
            item = self.columns_table.item(row, 0)
            if item is not None and item.text() == heading:
                widget = self.columns_table.cellWidget(row, 1)
                assert isinstance(widget, QComboBox)
                return widget
        raise KeyError(heading)

    def _register_chosen(self, *_args: object) -> None:
        current = self._current()
        if self._loading or current is None or self.plan is None:
            return
        index, sheet = current
        self.plan.choose_register(index, self.register_combo.currentData())
        self._note(sheet.note)
        self._fill_columns(sheet)
        self._changed()
        self.summary.setText(self._matched_summary())

    def _column_chosen(self, row: int, column: Any) -> None:
        current = self._current()
        if current is None or self.plan is None:
            return
        index, sheet = current
        self.plan.map_column(index, row, column)
        # A field takes one column: another column mapped to it before now goes nowhere.
        for other in range(self.columns_table.rowCount()):
            widget = self.columns_table.cellWidget(other, 1)
            if other != row and isinstance(widget, QComboBox) and \
                    other not in sheet.mapping and widget.currentData() is not None:
                widget.blockSignals(True)
                widget.setCurrentIndex(0)
                widget.blockSignals(False)
        self._changed()

    def _changed(self) -> None:
        self.outcome = None
        self._show_problems([])
        self.summary.setText("Press Check to see what would be imported.")
        self._update_buttons()

    # --- Checking and importing -------------------------------------------------------------

    def check(self) -> importing.Outcome | None:
        if not self._read_again_if_changed() or self.plan is None:
            return None
        self.outcome = self._with_progress("Checking every row…", self.plan.check)
        self._show_outcome(self.outcome, written=False)
        return self.outcome

    def run_import(self) -> None:
        if self.plan is None:
            return
        if _stamp(self.plan.path) != self._stamp:
            self.check()  # the file changed since it was checked: check what it holds now
            return
        outcome = self._with_progress("Importing…", self.plan.apply)
        self.outcome = outcome
        self._show_outcome(outcome, written=True)
        if outcome.written:
            self.imported.emit(outcome.created + outcome.updated)
            self.accept()

    def _with_progress(self, label: str, work: Any) -> importing.Outcome:
        """Run `work(progress)` behind a progress dialog (shown only if it takes a while),
        the window repainting as rows are checked."""
        progress = QProgressDialog(label, "", 0, 0, self)
        progress.setWindowTitle("Import")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        progress.setAccessibleName("Import progress")

        def report(done: int, total: int) -> None:
            progress.setMaximum(max(total, 1))
            progress.setValue(min(done, total))
            QApplication.processEvents()

        try:
            outcome: importing.Outcome = work(report)
        finally:
            progress.close()
            progress.deleteLater()
        return outcome

    def _show_outcome(self, outcome: importing.Outcome, *, written: bool) -> None:
        self._show_problems(outcome.problems)
        count = len(outcome.problems)
        if count:
            self.summary.setText(
                f"{count:,} problem{'s' if count != 1 else ''} to correct in the file (or in "
                "the columns above) before anything can be imported. Nothing was written.")
        elif written:
            self.summary.setText(f"Imported: {outcome.created:,} new, {outcome.updated:,} "
                                 f"changed, {outcome.unchanged:,} unchanged.")
        else:
            self.summary.setText(
                f"No problems: {outcome.created:,} new records and {outcome.updated:,} "
                f"changed ones would be imported ({outcome.unchanged:,} unchanged). Press "
                "Import to write them.")
        if outcome.notices and not written:
            self.summary.setText("\n".join([self.summary.text(), *(
                f"Before you import: {notice}" for notice in outcome.notices)]))
        self._update_buttons()

    def _show_problems(self, problems: list[importing.Problem]) -> None:
        # The sheet's name only takes room from the problems when the file has one sheet.
        self.problems_table.setColumnHidden(0, len({p.sheet for p in problems}) < 2)
        self.problems_table.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            cells = [problem.sheet, str(problem.row) if problem.row else "", problem.column,
                     problem.message]
            for column, text in enumerate(cells):
                self.problems_table.setItem(row, column, QTableWidgetItem(text))
        self.problems_table.resizeRowsToContents()

    def save_problems(self) -> Path | None:
        if self.plan is None or self.outcome is None or not self.outcome.problems:
            return None
        target = ask_save_path(self, "Save the problems",
                               f"{self.plan.path.stem} problems.xlsx",
                               "Excel workbook (*.xlsx)")
        if target is None:
            return None
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(f"{target.name}.xlsx")
        try:
            importing.save_problems(self.plan, self.outcome.problems, target)
        except OSError as exc:
            QMessageBox.warning(self, "Save the problems",
                                f"The problems could not be saved to {target}: "
                                f"{exc.strerror or exc}.")
            return None
        self.summary.setText(f"The problems are saved beside their rows in {target}.")
        return target

    def _update_buttons(self) -> None:
        has_plan = self.plan is not None
        self.check_button.setEnabled(has_plan)
        self.save_problems_button.setEnabled(bool(self.outcome and self.outcome.problems))
        self.import_button.setEnabled(has_plan and self.outcome is not None
                                      and not self.outcome.problems)
        self.sheet_combo.setEnabled(has_plan)
        self.register_combo.setEnabled(has_plan)
