"""The RACI matrix edited in place: processes and QMS activities by roles, one letter a cell.

Select a cell and type R, A, C or I; Delete, Backspace or Space clears it; the arrow keys
move. A double-click offers the letters in a small list. Every change is stored at once
through `raci.set_letter`; a second A in a row asks before the A moves.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QPageLayout,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, formatting, organisation, raci
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.models import Process, RaciCell, Role
from qms_desktop.reports.raci_pdf import MEANINGS, write_raci_pdf
from qms_desktop.text import plural
from ui.kit.permission import refused_line, write_refusal
from ui.kit.record_changed import ChangedBar, ChangesDialog, Difference
from ui.kit.save_dialog import ask_save_path
from ui.kit.theme import error_color, muted_color, set_text_color, warning_fill
from ui.kit.widgets import problems_text

Index = QModelIndex | QPersistentModelIndex

LETTER_WORDS = {letter: word for letter, word, _meaning in MEANINGS}
NAME_COLUMN_WIDTH = 250
ROLE_COLUMN_WIDTH = 108
ACTIVITY_TAG = "QMS activity"
KEY_HELP = (
    "Select a cell and type R, A, C or I; Delete clears it. Arrow keys move; double-click "
    "a cell for a list. Changes are saved at once."
)


def _sentence(problems: list[str]) -> str:
    joined = "; ".join(problems)
    return joined[:1].upper() + joined[1:] + "." if joined else ""


def summary_text(matrix: raci.Matrix, found: dict[str, list[str]]) -> str:
    """"6 processes · 2 QMS activities · 1 row needs attention"."""
    activities = sum(1 for row in matrix.rows if row.is_activity)
    parts = [plural(len(matrix.rows) - activities, "process", "processes")]
    if activities:
        parts.append(plural(activities, "QMS activity", "QMS activities"))
    parts.append(plural(len(matrix.columns), "role", "roles"))
    if found:
        verb = "needs" if len(found) == 1 else "need"
        parts.append(f"{plural(len(found), 'row', 'rows')} {verb} attention")
    elif matrix.rows and matrix.columns:
        parts.append("every row has one A and at least one R")
    return " · ".join(parts)


# --- The item model -------------------------------------------------------------------------


class RaciModel(QAbstractTableModel):
    """Column 0 names the process, then one column a role, then the row's problem."""

    problem = Signal(str)  # a change that was refused, in words
    letter_changed = Signal()  # a letter was stored
    # A letter refused because someone changed the cell since it was read: the refusal, the
    # process, the role and the letter typed.
    changed = Signal(object, object, object, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._matrix = raci.Matrix([], [], {})
        self._problems: dict[str, list[str]] = {}
        # Asked before the A of a row moves: (process, new role, current role) -> yes?
        self.confirm_move: Callable[[Process, Role, Role], bool] = lambda *_args: False
        self.read_only = False  # a role that may only read: no letter can be changed

    # --- Reading ------------------------------------------------------------------------

    def reload(self) -> None:
        self.beginResetModel()
        self._matrix = raci.load()
        self._problems = raci.problems(self._matrix)
        self.endResetModel()

    @property
    def matrix(self) -> raci.Matrix:
        return self._matrix

    @property
    def row_problems(self) -> dict[str, list[str]]:
        return self._problems

    def problem_column(self) -> int:
        return len(self._matrix.columns) + 1

    def is_letter_column(self, column: int) -> bool:
        return 1 <= column <= len(self._matrix.columns)

    def process_at(self, row: int) -> Process:
        return self._matrix.rows[row]

    def role_at(self, column: int) -> Role:
        return self._matrix.columns[column - 1]

    def index_of(self, process_id: str, role_id: str | None = None) -> QModelIndex:
        rows = [p.id for p in self._matrix.rows]
        if process_id not in rows:
            return QModelIndex()
        column = 0
        if role_id is not None:
            roles = [r.id for r in self._matrix.columns]
            column = roles.index(role_id) + 1 if role_id in roles else 0
        return self.index(rows.index(process_id), column)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._matrix.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._matrix.columns) + 2

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_letter_column(index.column()) and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._matrix.rows):
            return None
        process = self._matrix.rows[index.row()]
        column = index.column()
        problems = self._problems.get(process.id, [])
        letter_column = self.is_letter_column(column)
        letter = (
            self._matrix.letter(process.id, self.role_at(column).id) if letter_column else ""
        )
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == 0:
                return process.display_name()
            if letter_column:
                return letter
            return _sentence(problems)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(process, column, letter, problems)
        if role == Qt.ItemDataRole.AccessibleTextRole and letter_column:
            return LETTER_WORDS.get(letter, "Not involved")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if letter_column:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and letter_column:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and problems:
            return warning_fill(QGuiApplication.palette())
        if role == Qt.ItemDataRole.ForegroundRole and column == self.problem_column():
            return error_color(QGuiApplication.palette())
        if role == Qt.ItemDataRole.UserRole:
            return bool(process.is_activity)
        return None

    def _tooltip(self, process: Process, column: int, letter: str, problems: list[str]) -> str:
        name = process.display_name()
        if self.is_letter_column(column):
            role = self.role_at(column).display_name()
            if letter:
                text = f"{role} is {LETTER_WORDS[letter]} for {name}."
            else:
                text = f"{role} has no part in {name}. Type R, A, C or I."
        elif column == 0:
            kind = "QMS activity" if process.is_activity else "Process"
            text = f"{kind}: {name}"
        else:
            text = ""
        if problems:
            text = f"{text}\nNeeds attention: {_sentence(problems)}".strip()
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._matrix.rows):
                return str(section + 1)
            return None
        if not 0 <= section < self.columnCount():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if section == 0:
                return "Process or QMS activity"
            if section == self.problem_column():
                return "Needs attention" if role == Qt.ItemDataRole.DisplayRole else (
                    "What is wrong with the row: each needs one A and at least one R"
                )
            found = self.role_at(section)
            if role == Qt.ItemDataRole.DisplayRole:
                return found.display_name()
            description = f"\n{found.description}" if found.description else ""
            return f"{found.display_name()}{description}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self.is_letter_column(section):
                return int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    # --- Writing ------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not self.is_letter_column(index.column())
        ):
            return False
        process = self.process_at(index.row())
        column_role = self.role_at(index.column())
        letter = str(value or "").strip().upper()
        shown = self._matrix.letter(process.id, column_role.id)
        if letter == shown:
            return True
        try:
            raci.set_letter(process, column_role, letter, read=shown)
        except RecordChanged as refused:
            self.changed.emit(refused, process, column_role, letter)
            return False
        except ValidationError as error:
            current = raci.accountable_role(process) if letter == "A" else None
            if current is None or current.id == column_role.id:
                self.problem.emit(next(iter(error.problems.values())))
                return False
            if not self.confirm_move(process, column_role, current):
                return False
            try:
                raci.set_letter(process, column_role, "A", move_accountable=True, read=shown,
                                demoting=current)
            except RecordChanged as refused:
                self.changed.emit(refused, process, column_role, letter)
                return False
        self._reread_row(index.row())
        self.letter_changed.emit()
        return True

    def _reread_row(self, row: int) -> None:
        process = self._matrix.rows[row]
        cells = self._matrix.cells
        for key in [k for k in cells if k[0] == process.id]:
            del cells[key]
        for cell in RaciCell.live().where(
            RaciCell.process == process
        ):
            cells[(cell.process_id, cell.role_id)] = cell.letter
        self._problems = raci.problems(self._matrix)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


# --- The view and its delegates -------------------------------------------------------------


class RaciTableView(QTableView):
    """Letters typed into the current cell are stored at once; no editor opens."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        model = self.model()
        editable = (
            index.isValid()
            and bool(model.flags(index) & Qt.ItemFlag.ItemIsEditable)
            and self.state() != QAbstractItemView.State.EditingState
        )
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if editable and plain:
            text = event.text().strip().upper()
            if text in raci.LETTERS:
                model.setData(index, text, Qt.ItemDataRole.EditRole)
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Space):
                model.setData(index, "", Qt.ItemDataRole.EditRole)
                event.accept()
                return
        super().keyPressEvent(event)


class LetterDelegate(QStyledItemDelegate):
    """A double-click offers "— none —" and the four letters with their meanings."""

    CHOICES = (("", "— none —"), *((letter, f"{letter}  {word}") for letter, word, _m in MEANINGS))

    def createEditor(
        self, parent: QWidget, _option: QStyleOptionViewItem, _index: Index
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("RACI letter")
        for letter, label in self.CHOICES:
            combo.addItem(label, letter)
        combo.activated.connect(lambda _row: self._choose(combo))
        return combo

    def _choose(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        letter = editor.currentData()
        if letter == index.data(Qt.ItemDataRole.EditRole):
            return
        # Store once the editor has closed: the question about a second A is modal, and it
        # must not take the focus from an editor that is still open.
        target = QPersistentModelIndex(index)
        QTimer.singleShot(
            0, model, lambda: target.isValid() and model.setData(target, letter)
        )

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, _index: Index
    ) -> None:
        rect = QRect(option.rect)
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)


class NameDelegate(QStyledItemDelegate):
    """The process name, with a small "QMS activity" tag on the right of activities."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if not index.data(Qt.ItemDataRole.UserRole):
            super().paint(painter, option, index)
            return
        tag_font = QFont(option.font)
        tag_font.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        tag_width = QFontMetrics(tag_font).horizontalAdvance(ACTIVITY_TAG) + 16
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.rect = QRect(option.rect.adjusted(0, 0, -tag_width, 0))
        # Paint the whole cell's background first, then the name in the narrower rect.
        whole = QStyleOptionViewItem(option)
        self.initStyleOption(whole, index)
        whole.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, whole, painter, option.widget)
            item.backgroundBrush = QBrush(Qt.GlobalColor.transparent)
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, option.widget)
        painter.save()
        painter.setFont(tag_font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        painter.setPen(
            palette.color(QPalette.ColorRole.HighlightedText) if selected else muted_color(palette)
        )
        tag_rect = option.rect.adjusted(option.rect.width() - tag_width, 0, -6, 0)
        painter.drawText(tag_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         ACTIVITY_TAG)
        painter.restore()


# --- Printing -------------------------------------------------------------------------------


def matrix_html(matrix: raci.Matrix, found: dict[str, list[str]]) -> str:
    """The matrix as an HTML table that QTextDocument lays out on printer pages."""
    org = organisation.get_organisation()
    title = "RACI matrix" + (f" – {html.escape(org.name)}" if org is not None else "")
    legend = " · ".join(
        f"<b>{letter}</b> {word}: {html.escape(meaning)}" for letter, word, meaning in MEANINGS
    )
    parts = [
        f"<h2>{title}</h2>",
        f"<p style='color:#555'>{legend}<br>{html.escape(summary_text(matrix, found))}. "
        f"Printed {formatting.long_date(clock.today())}.</p>",
    ]
    if not matrix.rows or not matrix.columns:
        parts.append("<p>No processes or roles are recorded yet.</p>")
        return "".join(parts)
    head = "".join(
        f"<th width='{56 // len(matrix.columns)}%'>{html.escape(r.display_name())}</th>"
        for r in matrix.columns
    )
    parts.append(
        "<table border='1' cellspacing='0' cellpadding='4' width='100%' "
        "style='border-collapse:collapse; border-color:#999'>"
        f"<thead><tr><th align='left' width='24%'>Process or QMS activity</th>{head}"
        "<th align='left' width='20%'>Needs attention</th></tr></thead>"
    )
    for process in matrix.rows:
        problems = found.get(process.id, [])
        shade = " bgcolor='#fff1c9'" if problems else ""
        name = html.escape(process.display_name())
        if process.is_activity:
            name += " <i style='color:#666'>(QMS activity)</i>"
        cells = "".join(
            f"<td align='center'><b>{letter}</b></td>" for letter in matrix.row_letters(process.id)
        )
        parts.append(
            f"<tr{shade}><td>{name}</td>{cells}"
            f"<td style='color:#8a1c14'>{html.escape(_sentence(problems))}</td></tr>"
        )
    parts.append("</table>")
    return "".join(parts)


# --- The editor -----------------------------------------------------------------------------


class RaciEditor(QWidget):
    """The matrix, its summary, and adding activities, export and print."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("RACI matrix")

        legend = " · ".join(f"<b>{letter}</b> {word}" for letter, word, _m in MEANINGS)
        self.legend_label = QLabel(f"{legend} — every row needs exactly one A and at least one R.")
        self.legend_label.setWordWrap(True)
        self.legend_label.setAccessibleName("What the letters mean")
        self.help_label = QLabel(KEY_HELP)
        self.help_label.setWordWrap(True)
        set_text_color(self.help_label, muted_color(self.palette()))
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("RACI summary")
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Problem with the last change")
        set_text_color(self.message_label, error_color(self.palette()))
        self.message_label.hide()
        self.changed_bar = ChangedBar()
        self.compare_dialog: ChangesDialog | None = None
        self._refused_letter: tuple[Process, Role, str] | None = None

        self.add_activity_button = QPushButton("Add QMS a&ctivity…")
        self.add_activity_button.setToolTip(
            "Add a QMS activity such as Internal audit or Management review as a row"
        )
        self.export_button = QPushButton("E&xport PDF…")
        self.export_button.setToolTip("Save the matrix as a PDF on A4 landscape")
        self.print_button = QPushButton("&Print…")
        self.print_button.setToolTip("Print the matrix")

        self.model = RaciModel(self)
        self.model.confirm_move = self._confirm_move
        self.table = RaciTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("RACI matrix")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(0, NameDelegate(self.table))
        self.letter_delegate = LetterDelegate(self.table)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Role names wrap onto up to three lines (the header's height is set to fit them).
        header.setTextElideMode(Qt.TextElideMode.ElideNone)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_label.setAccessibleName("Nothing in the matrix")
        set_text_color(self.empty_label, muted_color(self.palette()))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.summary_label, 1)
        buttons.addWidget(self.add_activity_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.legend_label)
        layout.addWidget(self.help_label)
        layout.addLayout(buttons)
        # A role that may only read: no activity added, no letter changed, and the line says why.
        refusal = write_refusal("raci_cell")
        layout.addWidget(refused_line(refusal, self.add_activity_button))
        self.model.read_only = bool(refusal)  # neither a double-click nor a typed letter
        layout.addWidget(self.message_label)
        layout.addWidget(self.changed_bar)
        layout.addWidget(self.stack, 1)

        self.add_activity_button.clicked.connect(self.add_activity)
        self.export_button.clicked.connect(self.export_pdf)
        self.print_button.clicked.connect(self.print_matrix)
        self.model.letter_changed.connect(self._after_change)
        self.model.problem.connect(self._show_problem)
        self.model.changed.connect(self._show_refusal)
        self.changed_bar.reload_requested.connect(self.reload_theirs)
        self.changed_bar.compare_requested.connect(self.compare)
        self.model.modelReset.connect(self._after_reset)
        self.reload()

    # --- What the screen calls ------------------------------------------------------------

    def reload(self) -> None:
        """Read the matrix again, keeping the current cell."""
        current = self.table.currentIndex()
        keep = None
        if current.isValid():
            keep = (
                self.model.process_at(current.row()).id,
                self.model.role_at(current.column()).id
                if self.model.is_letter_column(current.column()) else None,
            )
        self.model.reload()
        if keep is not None:
            index = self.model.index_of(*keep)
            if index.isValid():
                self.table.setCurrentIndex(index)

    def new_record(self) -> None:
        if self.add_activity_button.isEnabled():
            self.add_activity()

    def add_activity(self) -> Process | None:
        name, accepted = QInputDialog.getText(
            self,
            "Add QMS activity",
            "Name of the QMS activity (for example Internal audit or Management review):",
        )
        name = name.strip() if accepted else ""
        if not name:
            return None
        try:
            activity = raci.add_activity(name)
        except ValidationError as error:
            self.status_message.emit("Not added: " + problems_text(error))
            return None
        self.model.reload()
        index = self.model.index_of(activity.id)
        if index.isValid() and self.model.matrix.columns:
            index = self.model.index(index.row(), 1)
        self.table.setCurrentIndex(index)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.status_message.emit(f"Added the QMS activity “{name}”.")
        return activity

    def export_pdf(self) -> Path | None:
        chosen = ask_save_path(self, "Export the RACI matrix", "RACI matrix.pdf",
                               "PDF files (*.pdf)")
        if chosen is None:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            write_raci_pdf(path, self.model.matrix)
        except OSError as error:
            QMessageBox.warning(
                self,
                "Not exported",
                f"The PDF could not be written to {path}: {error.strerror or error}. Choose "
                "another folder, or close the file if it is open in another program.",
            )
            return None
        self.status_message.emit(f"Exported the RACI matrix to {path}.")
        return path

    def print_matrix(self) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("RACI matrix")
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the RACI matrix")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        document = QTextDocument()
        font = QFont(self.font())
        font.setPointSizeF(9)
        document.setDefaultFont(font)
        document.setHtml(matrix_html(self.model.matrix, self.model.row_problems))
        document.print_(printer)
        self.status_message.emit("Sent the RACI matrix to the printer.")
        return True

    # --- Reactions --------------------------------------------------------------------------

    def _confirm_move(self, process: Process, role: Role, current: Role) -> bool:
        answer = QMessageBox.question(
            self,
            "One A per row",
            f"Make {role.display_name()} accountable instead of {current.display_name()}? "
            f"{current.display_name()} becomes Responsible.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_refusal(self, refused: RecordChanged, process: Process, role: Role,
                      letter: str) -> None:
        self.message_label.hide()
        self._refused_letter = (process, role, letter)
        self.changed_bar.show_refusal(refused)
        self.status_message.emit(self.changed_bar.text())

    def differences(self) -> list[Difference]:
        """The letter typed beside the cell's letter as stored now."""
        if self._refused_letter is None:
            return []
        process, role, letter = self._refused_letter
        theirs = raci.load().letter(process.id, role.id)
        name = f"{process.display_name()} · {role.display_name()}"
        return [(name, letter or "(empty)", theirs or "(empty)")] if theirs != letter else []

    def compare(self) -> None:
        """The letter typed beside theirs; "Reload theirs" takes theirs."""
        self.compare_dialog = ChangesDialog.offer(self.differences(), self, self.reload_theirs)

    def reload_theirs(self) -> None:
        """Show the matrix as stored now; the letter can then be typed over theirs."""
        self._refused_letter = None
        self.changed_bar.hide()
        self.reload()

    def _show_problem(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
        self.status_message.emit(text)

    def _after_change(self) -> None:
        self.message_label.hide()
        self.changed_bar.hide()
        self._update_summary()

    def _after_reset(self) -> None:
        model = self.model
        for column in range(1, model.problem_column()):
            self.table.setItemDelegateForColumn(column, self.letter_delegate)
        header = self.table.horizontalHeader()
        header.resizeSection(0, NAME_COLUMN_WIDTH)
        for column in range(1, model.problem_column()):
            header.resizeSection(column, ROLE_COLUMN_WIDTH)
        self._fit_header_height()
        matrix = model.matrix
        if matrix.rows and matrix.columns:
            self.stack.setCurrentWidget(self.table)
        else:
            missing = []
            if not matrix.columns:
                missing.append("roles (in Roles)")
            if not matrix.rows:
                missing.append("processes (in Processes) or QMS activities (Add QMS activity…)")
            self.empty_label.setText(
                "The matrix is empty. Add " + " and ".join(missing) + " to fill it in."
            )
            self.stack.setCurrentWidget(self.empty_label)
        self.export_button.setEnabled(bool(matrix.rows and matrix.columns))
        self.print_button.setEnabled(bool(matrix.rows and matrix.columns))
        self._update_summary()

    def _fit_header_height(self) -> None:
        """Tall enough for role names wrapped onto up to three lines."""
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        lines = 1
        for column in range(1, self.model.problem_column()):
            text = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            bound = metrics.boundingRect(
                QRect(0, 0, ROLE_COLUMN_WIDTH - 10, 1000), int(Qt.TextFlag.TextWordWrap), text
            )
            lines = max(lines, min(3, round(bound.height() / metrics.lineSpacing())))
        header.setFixedHeight(lines * metrics.lineSpacing() + 12)

    def _update_summary(self) -> None:
        found = self.model.row_problems
        self.summary_label.setText(summary_text(self.model.matrix, found))
        color = error_color(self.palette()) if found else self.palette().color(
            QPalette.ColorRole.WindowText
        )
        set_text_color(self.summary_label, color)
