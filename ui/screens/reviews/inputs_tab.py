"""Step 2 of a review: each required input with its data for the period, and what the
meeting said about it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qms_desktop.review_data import InputSection, Table
from qms_desktop.text import plural
from ui.kit.theme import (
    colored,
    error_color,
    muted_color,
    set_text_color,
    show_read_only,
    success_color,
    warning_color,
)
from ui.kit.widgets import bold, muted_label, setup_readonly_table
from ui.screens.reviews.parts import fixed_height_text

BAD_MARKS = {"overdue", "failing", "major"}
WARN_MARKS = {"warning", "minor"}
GOOD_MARKS = {"done", "on_target"}


class InputSectionWidget(QFrame):
    """One required input: its data read-only, then the meeting's commentary and conclusion."""

    changed = Signal()

    def __init__(self, code: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.title = title
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(f"Input {code}) {title}")
        self.has_data = True

        self.toggle_button = QToolButton()
        self.toggle_button.setText(f"{code})  {title}")
        self.toggle_button.setAccessibleName(f"Input {code}) {title}")
        self.toggle_button.setCheckable(True)
        self.toggle_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle_button.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle_button.setAutoRaise(True)
        self.toggle_button.setStyleSheet("QToolButton { border: none; padding: 4px; }")
        self.toggle_button.setSizePolicy(QSizePolicy.Policy.Expanding,
                                         QSizePolicy.Policy.Preferred)
        bold(self.toggle_button)
        self.state_label = QLabel()
        self.state_label.setAccessibleName(f"State of input {code}")

        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(28, 2, 8, 8)
        self.body_layout.setSpacing(6)
        self.data_holder = QWidget()
        self.data_layout = QVBoxLayout(self.data_holder)
        self.data_layout.setContentsMargins(0, 0, 0, 0)
        self.data_layout.setSpacing(6)
        self.commentary_edit = QPlainTextEdit()
        self.commentary_edit.setAccessibleName(f"Commentary on input {code}")
        self.commentary_edit.setPlaceholderText(
            "What the meeting said about this input: trends, causes, what stands out")
        fixed_height_text(self.commentary_edit, 3)
        self.conclusion_edit = QPlainTextEdit()
        self.conclusion_edit.setAccessibleName(f"Conclusion on input {code}")
        self.conclusion_edit.setPlaceholderText(
            "The conclusion, e.g. “Satisfactory; no action needed” or “Decision 2 raised”")
        fixed_height_text(self.conclusion_edit, 2)
        commentary_label = QLabel("Commentary")
        commentary_label.setBuddy(self.commentary_edit)
        conclusion_label = QLabel("Conclusion (needed to close the review)")
        conclusion_label.setBuddy(self.conclusion_edit)
        self.body_layout.addWidget(self.data_holder)
        self.body_layout.addSpacing(4)
        self.body_layout.addWidget(commentary_label)
        self.body_layout.addWidget(self.commentary_edit)
        self.body_layout.addWidget(conclusion_label)
        self.body_layout.addWidget(self.conclusion_edit)
        self.body.hide()

        head = QHBoxLayout()
        head.setContentsMargins(4, 2, 10, 2)
        head.addWidget(self.toggle_button, 1)
        head.addWidget(self.state_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.body)

        self.toggle_button.toggled.connect(self.set_expanded)
        self.commentary_edit.textChanged.connect(self._edited)
        self.conclusion_edit.textChanged.connect(self._edited)

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle_button.isChecked() != expanded:
            self.toggle_button.setChecked(expanded)  # comes back here through toggled
            return
        self.toggle_button.setArrowType(Qt.ArrowType.DownArrow if expanded
                                        else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def is_expanded(self) -> bool:
        return self.toggle_button.isChecked()

    def load(self, section: InputSection, commentary: str, conclusion: str) -> None:
        while self.data_layout.count():
            item = self.data_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.has_data = section.has_data
        palette = self.palette()
        if not section.has_data:
            empty = colored(QLabel(section.empty_reason or "No data for the period."),
                            warning_color(palette))
            empty.setWordWrap(True)
            empty.setAccessibleName(f"No data for input {self.code}")
            self.data_layout.addWidget(empty)
        for line in section.summary:
            label = QLabel(line)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.data_layout.addWidget(label)
        for table in section.tables:
            self.data_layout.addWidget(bold(QLabel(table.title)))
            self.data_layout.addWidget(self._table(table))
        if section.charts:
            self.data_layout.addWidget(muted_label(
                f"{plural(len(section.charts), 'chart')} of this input "
                "appear in the pack (Preview)."))
        self.commentary_edit.blockSignals(True)
        self.conclusion_edit.blockSignals(True)
        self.commentary_edit.setPlainText(commentary)
        self.conclusion_edit.setPlainText(conclusion)
        self.commentary_edit.blockSignals(False)
        self.conclusion_edit.blockSignals(False)
        self._update_state()

    def _table(self, table: Table) -> QTableWidget:
        if table.cites():  # each row led by its record's reference, as the pack prints it
            references = table.references + [""] * (len(table.rows) - len(table.references))
            table = Table(table.title, ["Reference", *table.headers],
                          [[ref, *row] for ref, row in zip(references, table.rows, strict=False)],
                          table.marks)
        widget = QTableWidget(len(table.rows), len(table.headers))
        widget.setHorizontalHeaderLabels(table.headers)
        # The last column stretches once the others are sized, further down.
        setup_readonly_table(widget, table.title, stretch_last=False, single_selection=False)
        header = widget.horizontalHeader()
        palette = self.palette()
        colours = {"bad": error_color(palette), "warn": warning_color(palette),
                   "good": success_color(palette), "muted": muted_color(palette)}
        for row, values in enumerate(table.rows):
            mark = table.marks[row] if row < len(table.marks) else ""
            kind = ("bad" if mark in BAD_MARKS else "warn" if mark in WARN_MARKS
                    else "good" if mark in GOOD_MARKS
                    else "muted" if mark in {"cancelled", "no_data"} else "")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value if len(value) > 40 else "")
                if kind:
                    item.setForeground(colours[kind])
                widget.setItem(row, column, item)
        widget.resizeColumnsToContents()
        for column in range(widget.columnCount()):
            widget.setColumnWidth(column, min(widget.columnWidth(column) + 12, 340))
        header.setStretchLastSection(True)
        shown = min(len(table.rows), 12)
        row_height = widget.verticalHeader().defaultSectionSize()
        height = header.sizeHint().height() + row_height * max(shown, 1) + 2 * widget.frameWidth()
        if widget.horizontalScrollBar().sizeHint().height() and len(table.headers) > 5:
            height += widget.horizontalScrollBar().sizeHint().height()
        widget.setFixedHeight(height)
        return widget

    def values(self) -> tuple[str, str]:
        return self.commentary_edit.toPlainText(), self.conclusion_edit.toPlainText()

    def set_read_only(self, read_only: bool) -> None:
        for edit in (self.commentary_edit, self.conclusion_edit):
            show_read_only(edit, read_only)

    def _edited(self) -> None:
        self._update_state()
        self.changed.emit()

    def _update_state(self) -> None:
        palette = self.palette()
        if self.conclusion_edit.toPlainText().strip():
            text, colour = "✓ Concluded", success_color(palette)
        elif not self.has_data:
            text, colour = "No data", warning_color(palette)
        else:
            text, colour = "No conclusion yet", muted_color(palette)
        if not self.has_data and self.conclusion_edit.toPlainText().strip():
            text = "No data · ✓ Concluded"
        self.state_label.setText(text)
        set_text_color(self.state_label, colour)


class InputsTab(QWidget):
    """Every input in turn, one opened at a time, with how many are concluded."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName("Conclusions written")
        bold(self.progress_label)
        self.inputs_intro = muted_label(
            "Go through each input at the meeting. Its data for the period comes from the "
            "records; write what the meeting said and its conclusion.")
        self.expand_button = QPushButton("E&xpand all")
        self.expand_button.setAccessibleName("Expand all inputs")
        self.collapse_button = QPushButton("Colla&pse all")
        self.collapse_button.setAccessibleName("Collapse all inputs")
        self.sections_holder = QWidget()
        self.sections_layout = QVBoxLayout(self.sections_holder)
        self.sections_layout.setContentsMargins(0, 0, 6, 0)
        self.sections_layout.setSpacing(6)
        self.sections_layout.addStretch(1)
        self.input_sections: list[InputSectionWidget] = []
        self.inputs_scroll = QScrollArea()
        self.inputs_scroll.setWidget(self.sections_holder)
        self.inputs_scroll.setWidgetResizable(True)
        self.inputs_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.inputs_scroll.setAccessibleName("Review inputs")
        top = QHBoxLayout()
        top.addWidget(self.progress_label, 1)
        top.addWidget(self.expand_button)
        top.addWidget(self.collapse_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 10, 4, 4)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.inputs_intro)
        layout.addWidget(self.inputs_scroll, 1)
        self.expand_button.clicked.connect(lambda: self.expand_all(True))
        self.collapse_button.clicked.connect(lambda: self.expand_all(False))

    def show_sections(self, sections: list[InputSection]) -> None:
        notes = {s.code: (s.commentary, s.conclusion) for s in sections}
        expanded = {w.code for w in self.input_sections if w.is_expanded()}
        for widget in self.input_sections:
            self.sections_layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self.input_sections = []
        for index, section in enumerate(sections):
            widget = InputSectionWidget(section.code, section.title)
            widget.load(section, *notes.get(section.code, ("", "")))
            widget.changed.connect(self.changed)
            self.sections_layout.insertWidget(index, widget)
            self.input_sections.append(widget)
            if section.code in expanded:
                widget.set_expanded(True)
        if not expanded and self.input_sections:
            first_open = self.first_unconcluded() or self.input_sections[0]
            first_open.set_expanded(True)

    def first_unconcluded(self) -> InputSectionWidget | None:
        return next((w for w in self.input_sections
                     if not w.conclusion_edit.toPlainText().strip()), None)

    def open_first_unconcluded(self) -> None:
        missing = self.first_unconcluded()
        if missing is not None:
            missing.set_expanded(True)
            self.inputs_scroll.ensureWidgetVisible(missing)
            missing.conclusion_edit.setFocus()

    def expand_all(self, expanded: bool) -> None:
        for widget in self.input_sections:
            widget.set_expanded(expanded)

    def values(self) -> tuple[tuple[str, str], ...]:
        return tuple(w.values() for w in self.input_sections)

    def set_read_only(self, read_only: bool) -> None:
        for section in self.input_sections:
            section.set_read_only(read_only)

    def update_progress(self) -> tuple[int, int]:
        """Say how many inputs are concluded; (concluded, all)."""
        total = len(self.input_sections)
        done = sum(1 for w in self.input_sections if w.conclusion_edit.toPlainText().strip())
        self.progress_label.setText(f"Conclusions written for {done} of {total} inputs")
        set_text_color(self.progress_label, success_color(self.palette()) if done == total
                       else self.palette().color(QPalette.ColorRole.WindowText))
        return done, total

    def apply_colours(self, palette: QPalette) -> None:
        set_text_color(self.inputs_intro, muted_color(palette))
