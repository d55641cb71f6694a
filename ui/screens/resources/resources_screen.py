"""Resources (7.1): the register, measuring equipment (7.1.5), requests and adequacy.

Four tabs over `qms_desktop.resources`: the resources register (the generic register screen),
the calibration state of every instrument with its history, requests for resources with top
management's decisions and the money they add up to, and the statements on whether
resources were adequate, which the management review takes in as input d).

Dialogs open window-modal with `open()`, never `exec()`, so the screen keeps running and
tests drive them like a user would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, formatting, resources
from qms_desktop.dates import add_months
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.fields import text_limit
from qms_desktop.models import (
    ADEQUACY_VERDICTS,
    DECISIONS,
    AdequacyStatement,
    Calibration,
    Resource,
    ResourceRequest,
)
from qms_desktop.policy import is_top_management
from qms_desktop.resource_registers import (
    organisation_currency,
    requests_register,
    resources_register,
)
from ui.kit.form_dialog import FormDialog
from ui.kit.header import ScreenHeader
from ui.kit.icons import icon
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.money_edit import install_money_editor, ui_locale
from ui.kit.permission import held_reason, refused_line, write_refusal
from ui.kit.pickers import chosen_person, fill_people
from ui.kit.record_form import OptionalDateEdit, RecordForm
from ui.kit.register_screen import RegisterScreen
from ui.kit.tables import size_columns
from ui.kit.theme import muted_color, on_theme_change, tone_colours
from ui.kit.widgets import (
    bold,
    empty_state_label,
    muted_label,
    ok_cancel_buttons,
    problem_label,
    resize_within_screen,
    screen_layout,
    setup_readonly_table,
)

DESCRIPTION = (
    "What the quality management system runs on: people, infrastructure, working environment, "
    "measuring equipment and knowledge, what is asked for and what top management decided."
)
NOBODY = "— nobody —"
STATE_LABELS = {
    "ok": "OK",
    "due": "Due within 30 days",
    "overdue": "Overdue",
    "": "Out of service",
}
STATE_TONES = {"ok": "good", "due": "warning", "overdue": "bad", "": "neutral"}
DECISION_TONES = {"approved": "good", "deferred": "warning", "rejected": "bad",
                  "pending": "neutral"}
VERDICT_TONES = {"adequate": "good", "partly": "warning", "not": "bad"}
TOTAL_COLUMNS = ("approved", "deferred", "rejected", "pending")

TONE_ROLE = Qt.ItemDataRole.UserRole + 10
KEY_ROLE = Qt.ItemDataRole.UserRole + 11

AnyIndex = QModelIndex | QPersistentModelIndex


# --- Colours ---------------------------------------------------------------------------------


def row_highlight(palette: QPalette) -> QColor:
    """The ground of a row that needs attention (an overdue instrument): the kit's "bad"."""
    return tone_colours(palette, "bad")[0]


def heading(text: str) -> QLabel:
    return bold(QLabel(text))


def show_error(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setVisible(bool(text))
    dialog = label.window()
    if text and isinstance(dialog, FormDialog):
        dialog.fit_height()


def date_text(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


# --- A small table model and a chip delegate -------------------------------------------------


@dataclass
class TableRow:
    key: str
    cells: tuple[str, ...]
    tones: dict[int, str] = field(default_factory=dict)  # column -> chip tone
    highlight: bool = False
    tooltip: str = ""


class RowsModel(QAbstractTableModel):
    """Rows computed by the screen (short lists: instruments, requests, statements)."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._rows: list[TableRow] = []

    def set_rows(self, rows: list[TableRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def key(self, row: int) -> str:
        return self._rows[row].key

    def row_of(self, key: str) -> int:
        return next((n for n, row in enumerate(self._rows) if row.key == key), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.cells[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip or row.cells[column] or None
        if role == TONE_ROLE:
            return row.tones.get(column)
        if role == KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.BackgroundRole and row.highlight:
            return row_highlight(QGuiApplication.palette())
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1)


class ChipDelegate(QStyledItemDelegate):
    """Cells with a tone are drawn as a rounded label: a state read at a glance."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        tone = index.data(TONE_ROLE)
        if tone is None:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text = item.text
        item.text = ""
        style = item.widget.style() if item.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        fill, ink = tone_colours(item.palette, str(tone))
        metrics = item.fontMetrics
        width = metrics.horizontalAdvance(text) + 16
        height = metrics.height() + 4
        rect = QRectF(item.rect.left() + 6, item.rect.center().y() - height / 2 + 1,
                      min(width, item.rect.width() - 12), height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(ink)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(TONE_ROLE) is not None:
            size.setWidth(size.width() + 28)
        return size


def make_table(model: QAbstractTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setItemDelegate(ChipDelegate(table))
    setup_readonly_table(table, name)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def selected_key(table: QTableView) -> str | None:
    index = table.selectionModel().currentIndex()
    if not index.isValid():
        return None
    return str(index.siblingAtColumn(0).data(KEY_ROLE))


def select_key(table: QTableView, model: RowsModel, key: str | None) -> None:
    row = model.row_of(key) if key else -1
    if row < 0 and model.rowCount():
        row = 0
    if row >= 0:
        table.selectRow(row)
        table.scrollTo(model.index(row, 0))


# --- Dialogs ---------------------------------------------------------------------------------


class RequestDialog(QDialog):
    """A new request for resources, through the requests register's own form."""

    saved = Signal(object)

    def __init__(self, locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New resource request")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        resize_within_screen(self, 540, 720, parent)
        self.form = RecordForm(requests_register(locale))
        self.form.start_new()
        self.form.load({"requested_on": clock.today(), "amount_minor": None})
        currency = organisation_currency()
        self.form.title_label.setText("New resource request")
        self.form.note_label.setText(
            f"What is needed and what it costs in {currency}. Top management then approves, "
            "defers or rejects it with Decide…"
        )
        self.buttons, self.ok_button = ok_cancel_buttons(
            self, "Add request", "Add request", on_ok=self.confirm
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.buttons)
        self.form.focus_first_field()

    def confirm(self) -> None:
        record = self.form.save()
        if record is None:
            return
        self.saved.emit(record)
        self.accept()


class DecideDialog(FormDialog):
    """Top management's decision on one request: approved, deferred or rejected."""

    decided = Signal(object)  # resources.Decision

    def __init__(self, request: ResourceRequest, cost: str, parent: QWidget | None = None) -> None:
        super().__init__("Decide on a request", "", "&Record decision", parent)
        self.request = request
        self.set_intro(f"“{request.title}”, {cost}. Resource decisions belong to top "
                       "management (5.1.1, 7.1.1).")
        self.choices = QButtonGroup(self)
        choice_row = QHBoxLayout()
        choice_row.setContentsMargins(0, 0, 0, 0)
        self.choice_buttons: dict[str, QRadioButton] = {}
        for key, text in (("approved", "&Approved"), ("deferred", "De&ferred"),
                          ("rejected", "Re&jected")):
            button = QRadioButton(text)
            button.setAccessibleName(text.replace("&", ""))
            self.choices.addButton(button)
            self.choice_buttons[key] = button
            choice_row.addWidget(button)
        choice_row.addStretch(1)
        choice_widget = QWidget()
        choice_widget.setLayout(choice_row)
        choice_widget.setAccessibleName("Decision")
        self.choice_error = problem_label("Decision: problem")

        self.person_combo = QComboBox()
        self.person_combo.setAccessibleName("Decided by")
        self.person_combo.setMinimumContentsLength(28)
        fill_people(self.person_combo, "— choose who decided —", separate=True)
        if self.person_combo.count() > 1:
            self.person_combo.setCurrentIndex(1)
        self.person_error = problem_label("Decided by: problem")
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setAccessibleName("Warning")
        fill, ink = tone_colours(self.palette(), "warning")
        self.warning_label.setStyleSheet(
            f"QLabel {{ background: {fill.name()}; color: {ink.name()};"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.warning_label.hide()

        self.date_edit = OptionalDateEdit()
        self.date_edit.setAccessibleName("Decided on")
        self.date_edit.set_date(clock.today())
        self.date_error = problem_label("Decided on: problem")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.note_edit.setAccessibleName("Note")
        self.note_error = problem_label("Note: problem")

        self.add_field("", "Decision *", choice_widget, buddy=self.choice_buttons["approved"],
                       problem=self.choice_error)
        self.add_field("", "Decided &by *", self.person_combo,
                       problem=self.person_error, hint="Top management is listed first.")
        self.form.addRow("", self.warning_label)
        self.add_field("", "Decided &on", self.date_edit, problem=self.date_error)
        self.note_edit.setPlaceholderText("Required when deferred or rejected: say why.")
        self.add_field("", "&Note", self.note_edit, problem=self.note_error)

        self.person_combo.currentIndexChanged.connect(self._update_warning)
        self.choices.buttonToggled.connect(self._update_ok)
        self._update_warning()
        self._update_ok()

    def decision(self) -> str:
        return next((key for key, b in self.choice_buttons.items() if b.isChecked()), "")

    def choose(self, decision: str) -> None:
        self.choice_buttons[decision].setChecked(True)

    def warnings(self) -> list[str]:
        """What `resources.decide` will warn about for the person chosen now."""
        person = chosen_person(self.person_combo)
        if person is None:
            return []
        preview = ResourceRequest(title=self.request.title, decided_by=person)
        return resources.Decision(preview, is_top_management(person)).warnings

    def _update_warning(self, *_args: object) -> None:
        found = self.warnings()
        self.warning_label.setText("⚠ " + " ".join(found) if found else "")
        self.warning_label.setVisible(bool(found))
        show_error(self.person_error, None)
        self.fit_height()

    def _update_ok(self, *_args: object) -> None:
        self.ok_reason.explain(bool(self.decision()), "Choose approved, deferred or rejected "
                               "first.")

    def submit(self) -> None:
        for label in (self.choice_error, self.person_error, self.date_error, self.note_error,
                      self.general_error):
            show_error(label, None)
        if self.date_edit.problem():
            show_error(self.date_error, self.date_edit.problem())
            return
        person = chosen_person(self.person_combo)
        if person is None:
            show_error(self.person_error, "Choose who decided.")
            self.person_combo.setFocus()
            return
        try:
            made = resources.decide(self.request, self.decision(), person,
                                    self.date_edit.date(), self.note_edit.toPlainText())
        except RecordChanged as refused:
            self.show_refused(refused)
            return
        except ValidationError as error:
            targets = {"decision": self.choice_error, "decided_by": self.person_error,
                       "decision_note": self.note_error}
            for name, message in error.problems.items():
                show_error(targets.get(name, self.general_error), message)
            if "decision_note" in error.problems:
                self.note_edit.setFocus()
            return
        self.decided.emit(made)
        self.accept()


class CalibrationDialog(FormDialog):
    """A calibration of one instrument: moves its next date on by the interval."""

    recorded = Signal(object)

    def __init__(self, instrument: Resource, parent: QWidget | None = None) -> None:
        super().__init__(f"Record calibration: {instrument.name}", "", "&Record calibration",
                         parent)
        self.instrument = instrument
        every = instrument.calibration_interval_months or 12
        self.set_intro(f"Calibrated every {every} months. A pass sets the next date "
                       f"{every} months on; a fail takes the instrument out of service.")
        self.date_edit = OptionalDateEdit()
        self.date_edit.setAccessibleName("Calibrated on")
        self.date_edit.set_date(clock.today())
        self.date_error = problem_label("Calibrated on: problem")
        self.pass_button = QRadioButton("&Pass")
        self.fail_button = QRadioButton("&Fail")
        self.pass_button.setChecked(True)
        result_row = QHBoxLayout()
        result_row.setContentsMargins(0, 0, 0, 0)
        result_row.addWidget(self.pass_button)
        result_row.addWidget(self.fail_button)
        result_row.addStretch(1)
        result_widget = QWidget()
        result_widget.setLayout(result_row)
        result_widget.setAccessibleName("Result")
        self.certificate_edit = QLineEdit()
        self.certificate_edit.setMaxLength(text_limit(Calibration.certificate))
        self.certificate_edit.setPlaceholderText("Certificate number")
        self.by_edit = QLineEdit()
        self.by_edit.setMaxLength(text_limit(Calibration.calibrated_by))
        self.by_edit.setPlaceholderText("Laboratory or person")
        self.add_field("", "Calibrated &on *", self.date_edit, problem=self.date_error)
        self.add_field("", "Result", result_widget, buddy=self.pass_button)
        self.add_field("", "&Certificate", self.certificate_edit)
        self.add_field("", "Calibrated &by", self.by_edit)

    def submit(self) -> None:
        show_error(self.date_error, None)
        show_error(self.general_error, None)
        day = self.date_edit.date()
        if day is None:
            show_error(self.date_error, self.date_edit.problem() or "Give the calibration date.")
            self.date_edit.setFocus()
            return
        try:
            made = resources.record_calibration(
                self.instrument, day, "pass" if self.pass_button.isChecked() else "fail",
                self.certificate_edit.text().strip(), self.by_edit.text().strip(),
            )
        except RecordChanged as refused:
            self.show_refused(refused)
            return
        except ValidationError as error:
            target = {"calibrated_on": self.date_error}
            for name, message in error.problems.items():
                show_error(target.get(name, self.general_error), message)
            return
        self.recorded.emit(made)
        self.accept()


class AdequacyDialog(FormDialog):
    """Top management's statement on whether resources were adequate for a period."""

    stated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("State resource adequacy", "", "&State adequacy", parent)
        self.set_intro("Were the resources enough to run the quality management system and "
                       "reach its objectives in this period?")
        today = clock.today()
        self.start_edit = OptionalDateEdit()
        self.start_edit.setAccessibleName("Period from")
        self.start_edit.set_date(add_months(today, -12) + dt.timedelta(days=1))
        self.start_error = problem_label("Period from: problem")
        self.end_edit = OptionalDateEdit()
        self.end_edit.setAccessibleName("Period to")
        self.end_edit.set_date(today)
        self.end_error = problem_label("Period to: problem")
        self.verdict_buttons: dict[str, QRadioButton] = {}
        verdict_row = QHBoxLayout()
        verdict_row.setContentsMargins(0, 0, 0, 0)
        mnemonics = {"adequate": "&Adequate", "partly": "&Partly adequate",
                     "not": "&Not adequate"}
        for key, _label in ADEQUACY_VERDICTS:
            button = QRadioButton(mnemonics.get(key, _label))
            button.setAccessibleName(_label)
            self.verdict_buttons[key] = button
            verdict_row.addWidget(button)
        verdict_row.addStretch(1)
        verdict_widget = QWidget()
        verdict_widget.setLayout(verdict_row)
        verdict_widget.setAccessibleName("Verdict")
        self.verdict_error = problem_label("Verdict: problem")
        self.reasons_edit = QPlainTextEdit()
        self.reasons_edit.setTabChangesFocus(True)
        self.reasons_edit.setFixedHeight(self.reasons_edit.fontMetrics().lineSpacing() * 5 + 12)
        self.reasons_edit.setPlaceholderText("What was missing or short, and its effect")
        self.reasons_error = problem_label("Reasons: problem")
        self.person_combo = QComboBox()
        self.person_combo.setMinimumContentsLength(28)
        fill_people(self.person_combo, NOBODY, separate=True)
        if self.person_combo.count() > 1:
            self.person_combo.setCurrentIndex(1)
        self.add_field("", "Period &from *", self.start_edit, problem=self.start_error)
        self.add_field("", "Period &to *", self.end_edit, problem=self.end_error)
        self.add_field("", "Verdict *", verdict_widget, buddy=self.verdict_buttons["adequate"],
                       problem=self.verdict_error)
        self.add_field("", "&Reasons", self.reasons_edit,
                       problem=self.reasons_error,
                       hint="Required unless the resources were adequate.")
        self.add_field("", "Stated b&y", self.person_combo)

    def choose(self, verdict: str) -> None:
        self.verdict_buttons[verdict].setChecked(True)

    def verdict(self) -> str:
        return next((k for k, b in self.verdict_buttons.items() if b.isChecked()), "")

    def submit(self) -> None:
        labels = {"period_start": self.start_error, "period_end": self.end_error,
                  "verdict": self.verdict_error, "reasons": self.reasons_error}
        for label in (*labels.values(), self.general_error):
            show_error(label, None)
        start, end = self.start_edit.date(), self.end_edit.date()
        problems = {}
        if start is None:
            problems["period_start"] = self.start_edit.problem() or "Give the first day."
        if end is None:
            problems["period_end"] = self.end_edit.problem() or "Give the last day."
        if not problems:
            assert start is not None and end is not None
            try:
                made = resources.state_adequacy(start, end, self.verdict(),
                                                self.reasons_edit.toPlainText(),
                                                chosen_person(self.person_combo))
            except ValidationError as error:
                problems = dict(error.problems)
            else:
                self.stated.emit(made)
                self.accept()
                return
        for name, message in problems.items():
            show_error(labels.get(name, self.general_error), message)
        if "reasons" in problems:
            self.reasons_edit.setFocus()


# --- Tabs ------------------------------------------------------------------------------------


class MeasuringTab(QWidget):
    """Measuring instruments with their calibration state (7.1.5) and history."""

    status_message = Signal(str)
    go_to_register = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Measuring equipment")
        self.dialog: CalibrationDialog | None = None

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Calibration overdue")
        self._style_banner()
        on_theme_change(self, self._style_banner)
        self.banner.hide()

        self.calibrate_button = QPushButton("&Record calibration…")
        self.calibrate_button.setAccessibleName("Record calibration")
        self.count_label = muted_label(wrap=False)
        self.model = RowsModel(("Instrument", "Location", "Owner", "Every", "Last calibrated",
                                "Next calibration", "State"), self)
        self.table = make_table(self.model, "Measuring instruments")
        self.empty = empty_state_label(
            "No measuring equipment",
            "No measuring equipment yet.\nAdd gauges, scales and meters on the Register tab "
            "with the kind “Monitoring and measuring equipment”; their calibrations are "
            "recorded here.")
        self.register_button = QPushButton("Open the &Register")
        self.register_button.setAccessibleName("Open the resources register")
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.setContentsMargins(0, 0, 0, 0)
        empty_layout.addWidget(self.empty, 1)
        empty_row = QHBoxLayout()
        empty_row.addStretch(1)
        empty_row.addWidget(self.register_button)
        empty_row.addStretch(1)
        empty_layout.addLayout(empty_row)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(empty_page)

        self.history_title = heading("Calibration history")
        self.history_model = RowsModel(("Calibrated on", "Result", "Certificate",
                                        "Calibrated by"), self)
        self.history_table = make_table(self.history_model, "Calibration history")
        self.history_empty = empty_state_label(
            "No calibrations",
            "No calibrations recorded for this instrument yet." if write_refusal("calibration")
            else "No calibrations recorded for this instrument yet. Press Record "
            "calibration… when it comes back from the laboratory.")
        self.history_stack = QStackedWidget()
        self.history_stack.addWidget(self.history_table)
        self.history_stack.addWidget(self.history_empty)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 8, 0, 0)
        history_layout.setSpacing(6)
        history_layout.addWidget(self.history_title)
        history_layout.addWidget(self.history_stack, 1)
        self.history_panel = history

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.stack)
        splitter.addWidget(history)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([330, 220])

        bar = QHBoxLayout()
        bar.addWidget(muted_label("Calibration records are kept as evidence (7.1.5.2). The "
                                  "state follows the next calibration date.", wrap=True), 1)
        bar.addWidget(self.count_label)
        bar.addSpacing(8)
        bar.addWidget(self.calibrate_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        # A role that may only read: the line under the button says why.
        layout.addWidget(refused_line(write_refusal("calibration"), self.calibrate_button))
        layout.addWidget(splitter, 1)

        self.calibrate_button.clicked.connect(self.record_calibration)
        self.register_button.clicked.connect(self.go_to_register)
        self.table.selectionModel().currentRowChanged.connect(self._show_history)
        self.table.activated.connect(self.record_calibration)

    def reload(self) -> None:
        keep = selected_key(self.table)
        today = clock.today()
        instruments = list(
            Resource.live().where(Resource.kind == "measuring").order_by(Resource.name)
        )
        rows = []
        for item in instruments:
            state = resources.calibration_state(item, today)
            every = item.calibration_interval_months
            owner = item.owner.display_name() if item.owner is not None else ""
            next_text = date_text(item.next_calibration_on) or (
                "never calibrated" if state == "overdue" else "")
            rows.append(TableRow(
                item.id,
                (item.name, item.location, owner, f"{every} months" if every else "12 months",
                 date_text(item.last_calibrated_on), next_text, STATE_LABELS[state]),
                tones={6: STATE_TONES[state]},
                highlight=state == "overdue",
                tooltip=f"{item.name}: {STATE_LABELS[state].lower()}",
            ))
        self.model.set_rows(rows)
        self.stack.setCurrentIndex(0 if rows else 1)
        self.history_panel.setVisible(bool(rows))
        if rows:
            size_columns(self.table)
        overdue = len(resources.overdue_instruments(today))
        self.banner.setText(self.banner_text(overdue))
        self.banner.setVisible(overdue > 0)
        self.count_label.setText(f"{len(rows)} instrument{'s' if len(rows) != 1 else ''}")
        select_key(self.table, self.model, keep)
        self._show_history()

    def _style_banner(self) -> None:
        fill, ink = tone_colours(self.palette(), "bad")
        self.banner.setStyleSheet(
            f"QLabel {{ background: {fill.name()}; color: {ink.name()}; border-radius: 6px;"
            " padding: 8px 12px; }"
        )

    @staticmethod
    def banner_text(overdue: int) -> str:
        if overdue == 1:
            return ("1 instrument is past its calibration date (7.1.5). Calibrate it or take "
                    "it out of use before it is used again.")
        return (f"{overdue} instruments are past their calibration date (7.1.5). Calibrate "
                "them or take them out of use before they are used again.")

    def selected_instrument(self) -> Resource | None:
        key = selected_key(self.table)
        return Resource.get_or_none(Resource.id == key) if key else None

    def record_calibration(self, *_args: object) -> CalibrationDialog | None:
        instrument = self.selected_instrument()
        if instrument is None:
            return None
        self.dialog = CalibrationDialog(instrument, self)
        self.dialog.recorded.connect(self._recorded)
        self.dialog.open()
        return self.dialog

    def _recorded(self, calibration: Calibration) -> None:
        self.reload()
        instrument = Resource.get_by_id(calibration.resource_id)
        if calibration.result == "pass":
            text = (f"Recorded the calibration of “{instrument.name}”; next due "
                    f"{date_text(instrument.next_calibration_on)}.")
        else:
            text = f"Recorded a failed calibration: “{instrument.name}” is out of service."
        self.status_message.emit(text)

    def _show_history(self, *_args: object) -> None:
        instrument = self.selected_instrument()
        self.calibrate_button.setEnabled(instrument is not None)
        self.calibrate_button.setToolTip(
            "Record a calibration of the selected instrument" if instrument is not None
            else "Select an instrument first")
        if instrument is None:
            self.history_title.setText("Calibration history")
            self.history_model.set_rows([])
            self.history_stack.setCurrentWidget(self.history_empty)
            return
        self.history_title.setText(f"Calibration history of {instrument.name}")
        found = (Calibration.live()
                 .where(Calibration.resource == instrument)
                 .order_by(Calibration.calibrated_on.desc()))
        rows = [TableRow(c.id, (date_text(c.calibrated_on), c.result.capitalize(),
                                c.certificate, c.calibrated_by),
                         tones={1: "good" if c.result == "pass" else "bad"}) for c in found]
        self.history_model.set_rows(rows)
        self.history_stack.setCurrentWidget(self.history_table if rows else self.history_empty)
        if rows:
            size_columns(self.history_table)


class RequestsTab(QWidget):
    """Requests for resources, top management's decisions, and what they add up to."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Requests and decisions")
        self.dialog: QDialog | None = None
        self.money_locale = ui_locale()

        self.new_button = QPushButton("&New request…")
        self.new_button.setAccessibleName("New request")
        self.new_button.setToolTip("Ask for a resource: what, why and what it costs")
        self.decide_button = QPushButton("&Decide…")
        self.decide_button.setAccessibleName("Decide")
        self.model = RowsModel(("What", "For", "Cost", "Requested on", "Requested by",
                                "Decision", "Decided by", "Decided on"), self)
        self.table = make_table(self.model, "Resource requests")
        self.empty = empty_state_label(
            "No requests",
            "No requests yet." if write_refusal("resource_request") else
            "No requests yet.\nPress New request… to ask for a resource: what is needed, why, "
            "and what it costs. Top management then approves, defers or rejects it here.")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.totals_title = heading("Totals by year")
        self.totals_note = muted_label()
        self.totals_table = QTableWidget(0, 1 + len(TOTAL_COLUMNS))
        self.totals_table.setHorizontalHeaderLabels(
            ["Year", *(dict(DECISIONS)[key] for key in TOTAL_COLUMNS)])
        self.totals_table.setAccessibleName("Totals by year and decision")
        self.totals_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.totals_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.totals_table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.totals_table.setShowGrid(False)
        self.totals_table.setAlternatingRowColors(True)
        self.totals_table.verticalHeader().hide()
        totals_header = self.totals_table.horizontalHeader()
        totals_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        totals_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        totals_header.resizeSection(0, 90)
        totals_header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
        year_header = self.totals_table.horizontalHeaderItem(0)
        assert year_header is not None  # set by setHorizontalHeaderLabels above
        year_header.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.totals_empty = muted_label("Totals appear once there are requests.")
        totals = QWidget()
        totals_layout = QVBoxLayout(totals)
        totals_layout.setContentsMargins(0, 8, 0, 0)
        totals_layout.setSpacing(6)
        title_row = QHBoxLayout()
        title_row.addWidget(self.totals_title)
        title_row.addWidget(self.totals_note, 1)
        totals_layout.addLayout(title_row)
        totals_layout.addWidget(self.totals_empty)
        totals_layout.addWidget(self.totals_table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.stack)
        splitter.addWidget(totals)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 150])

        bar = QHBoxLayout()
        bar.addWidget(muted_label("Top management decides what to fund (7.1.1). A decision "
                                  "by anyone else is recorded, with a warning."), 1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.decide_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(refused_line(write_refusal("resource_request"), self.new_button,
                                      self.decide_button))
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.new_request)
        self.decide_button.clicked.connect(self.decide)
        self.table.activated.connect(self.decide)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)

    def currency(self) -> str:
        return organisation_currency()

    def reload(self, select: str | None = None) -> None:
        keep = select or selected_key(self.table)
        found = (ResourceRequest.live()
                 .order_by(ResourceRequest.requested_on.desc(), ResourceRequest.title))
        rows = []
        for item in found:
            cost = formatting.money(item.amount_minor, item.currency)
            rows.append(TableRow(
                item.id,
                (item.title, self._purpose(item), cost, date_text(item.requested_on),
                 item.requested_by.display_name() if item.requested_by is not None else "",
                 dict(DECISIONS)[item.decision],
                 item.decided_by.display_name() if item.decided_by is not None else "",
                 date_text(item.decided_on)),
                tones={5: DECISION_TONES.get(item.decision, "neutral")},
                tooltip=item.decision_note or item.reason or item.title,
            ))
        self.model.set_rows(rows)
        self.stack.setCurrentIndex(0 if rows else 1)
        if rows:
            size_columns(self.table, maximum=260)
        select_key(self.table, self.model, keep)
        self._load_totals()
        self._update_buttons()

    @staticmethod
    def _purpose(item: ResourceRequest) -> str:
        parts = []
        if item.objective is not None:
            parts.append(f"Objective: {item.objective.display_name()}")
        if item.risk is not None:
            parts.append(f"Risk: {item.risk.display_name()}")
        if item.process is not None:
            parts.append(f"Process: {item.process.display_name()}")
        return "; ".join(parts)

    def _load_totals(self) -> None:
        currency = self.currency()
        by_year = resources.totals(currency)
        table = self.totals_table
        table.setRowCount(len(by_year))
        lines = []
        for row, (year, amounts) in enumerate(by_year.items()):
            year_item = QTableWidgetItem(str(year))
            year_item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 0, year_item)
            parts = [str(year)]
            for column, key in enumerate(TOTAL_COLUMNS, start=1):
                text = (formatting.money(amounts[key], currency)
                        if key in amounts else "—")
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if key not in amounts:
                    item.setForeground(muted_color(table.palette()))
                table.setItem(row, column, item)
                parts.append(f"{dict(DECISIONS)[key]} {text}")
            lines.append(" · ".join(parts))
        self._totals_lines = lines
        table.setAccessibleDescription("; ".join(lines))
        table.setVisible(bool(by_year))
        self.totals_empty.setVisible(not by_year)
        other = (ResourceRequest.live().where(ResourceRequest.currency != currency).count())
        note = f"Requested amounts in {currency}, by the year they were requested."
        if other:
            note += f" {other} request(s) in other currencies are not added in."
        self.totals_note.setText(note)

    def totals_lines(self) -> list[str]:
        """The totals as text: "2026 · Approved €12,400.00 · Deferred — · …"."""
        return list(self._totals_lines)

    def selected_request(self) -> ResourceRequest | None:
        key = selected_key(self.table)
        return ResourceRequest.get_or_none(ResourceRequest.id == key) if key else None

    def new_request(self) -> RequestDialog:
        dialog = RequestDialog(self.money_locale, self)
        dialog.saved.connect(self._added)
        self.dialog = dialog
        dialog.open()
        return dialog

    def decide(self, *_args: object) -> DecideDialog | None:
        request = self.selected_request()
        if request is None:
            return None
        cost = formatting.money(request.amount_minor, request.currency)
        dialog = DecideDialog(request, cost, self)
        if request.decision != "pending":
            dialog.choose(request.decision)
            dialog.note_edit.setPlainText(request.decision_note)
        dialog.decided.connect(self._decided)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _added(self, request: ResourceRequest) -> None:
        self.reload(select=request.id)
        self.status_message.emit(f"Added the request “{request.title}”.")

    def _decided(self, made: resources.Decision) -> None:
        request = made.request
        self.reload(select=request.id)
        text = f"{dict(DECISIONS)[request.decision]}: “{request.title}”."
        if made.warnings:
            text += " Warning: " + " ".join(made.warnings)
        self.status_message.emit(text)

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected_request() is not None
        self.decide_button.setEnabled(chosen)
        self.decide_button.setToolTip(
            "Record top management's decision on the selected request" if chosen
            else "Select a request first")


class AdequacyTab(QWidget):
    """Statements on whether resources were adequate, per period (review input d)."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Adequacy")
        self.dialog: AdequacyDialog | None = None
        self.state_button = QPushButton("&State adequacy…")
        self.state_button.setAccessibleName("State adequacy")
        self.state_button.setToolTip("Say whether resources were adequate for a period")
        self.model = RowsModel(("Period", "Verdict", "Reasons", "Stated by", "Stated on"), self)
        self.table = make_table(self.model, "Adequacy statements")
        self.empty = empty_state_label(
            "No adequacy statements",
            "No statement yet." if write_refusal("adequacy_statement") else
            "No statement yet.\nBefore each management review, press State adequacy… and say "
            "whether resources were adequate for the period and, if not, what was missing.")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.review_note = muted_label(
            "The management review takes the statement for its period in as input d), the "
            "adequacy of resources (9.3.2).")
        self.review_note.setAccessibleName("Used by the management review")
        bar = QHBoxLayout()
        bar.addWidget(self.review_note, 1)
        bar.addWidget(self.state_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(bar)
        layout.addWidget(refused_line(write_refusal("adequacy_statement"), self.state_button))
        layout.addWidget(self.stack, 1)
        self.state_button.clicked.connect(self.state_adequacy)

    def reload(self) -> None:
        found = (AdequacyStatement.live()
                 .order_by(AdequacyStatement.period_end.desc(),
                           AdequacyStatement.stated_on.desc()))
        verdicts = dict(ADEQUACY_VERDICTS)
        rows = [
            TableRow(
                s.id,
                (f"{date_text(s.period_start)} to {date_text(s.period_end)}",
                 verdicts.get(s.verdict, s.verdict), s.reasons.replace("\n", " "),
                 s.stated_by.display_name() if s.stated_by is not None else "",
                 date_text(s.stated_on)),
                tones={1: VERDICT_TONES.get(s.verdict, "neutral")},
                tooltip=s.reasons,
            )
            for s in found
        ]
        self.model.set_rows(rows)
        self.stack.setCurrentIndex(0 if rows else 1)
        if rows:
            size_columns(self.table, maximum=420)

    def state_adequacy(self) -> AdequacyDialog:
        self.dialog = AdequacyDialog(self)
        self.dialog.stated.connect(self._stated)
        self.dialog.open()
        return self.dialog

    def _stated(self, statement: AdequacyStatement) -> None:
        self.reload()
        verdict = dict(ADEQUACY_VERDICTS).get(statement.verdict, statement.verdict)
        self.status_message.emit(
            f"Stated: resources {verdict.lower()} for {date_text(statement.period_start)} "
            f"to {date_text(statement.period_end)}.")


# --- The screen ------------------------------------------------------------------------------


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = (
    "resource", "calibration", "resource_request", "adequacy_statement", "person", "role",
    "person_role", "site", "process",
)


class ResourcesScreen(QWidget):
    """Resources (7.1) in four tabs: register, measuring equipment, requests, adequacy."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Resources")
        install_money_editor()
        self.header = ScreenHeader("Resources", "7.1", icon("resources"))
        self.description_label = muted_label(DESCRIPTION)
        self.description_label.setAccessibleName("About resources")

        self.register_screen = RegisterScreen(resources_register(ui_locale()))
        # The screen's own header names the register already.
        self.register_screen.title_label.hide()
        self.register_screen.clause_label.hide()
        self.register_screen.description_label.hide()
        register_layout = self.register_screen.layout()
        if register_layout is not None:
            register_layout.setContentsMargins(0, 12, 0, 0)
        self.measuring_tab = MeasuringTab()
        self.requests_tab = RequestsTab()
        self.adequacy_tab = AdequacyTab()

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.register_screen, "Re&gister")
        self.tabs.addTab(self.measuring_tab, "&Measuring equipment")
        self.tabs.addTab(self.requests_tab, "Re&quests and decisions")
        self.tabs.addTab(self.adequacy_tab, "Adequac&y")

        screen_layout(self, self.header, self.description_label, self.tabs, spacing=8)

        for tab in (self.register_screen, self.measuring_tab, self.requests_tab,
                    self.adequacy_tab):
            tab.status_message.connect(self.status_message)
        self.register_screen.form.saved.connect(self._register_changed)
        self.measuring_tab.go_to_register.connect(self.show_register)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._reload_tabs()
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    # --- What the main window calls ---------------------------------------------------------

    def reload(self) -> None:
        self.register_screen.reload()
        self._reload_tabs()

    def new_record(self) -> None:
        """New in the current tab: a resource, a calibration, a request or a statement."""
        current = self.tabs.currentWidget()
        refused = held_reason({self.measuring_tab: self.measuring_tab.calibrate_button,
                               self.requests_tab: self.requests_tab.new_button,
                               self.adequacy_tab: self.adequacy_tab.state_button}.get(
                                   current, self.register_screen))
        if current is self.register_screen:
            self.register_screen.new_record()
        elif refused:  # a role that may only read
            self.status_message.emit(refused)
        elif current is self.measuring_tab:
            if self.measuring_tab.record_calibration() is None:
                self.status_message.emit("Select an instrument to record its calibration.")
        elif current is self.requests_tab:
            self.requests_tab.new_request()
        else:
            self.adequacy_tab.state_adequacy()

    def focus_search(self) -> None:
        current = self.tabs.currentWidget()
        if current is self.register_screen:
            self.register_screen.focus_search()
            return
        tables = {self.measuring_tab: self.measuring_tab.table,
                  self.requests_tab: self.requests_tab.table,
                  self.adequacy_tab: self.adequacy_tab.table}
        table = tables.get(current)
        if table is not None:
            table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save(self) -> bool:
        # Only the register has a form that keeps edits; the other tabs save in their dialogs.
        return self.register_screen.save()

    def has_unsaved_changes(self) -> bool:
        return self.register_screen.has_unsaved_changes()

    def show_tab(self, name: str) -> None:
        index = {"register": 0, "measuring": 1, "requests": 2, "adequacy": 3}[name]
        self.tabs.setCurrentIndex(index)

    def show_register(self) -> None:
        self.show_tab("register")

    def select_record(self, record_id: str) -> None:
        """Open the tab that shows `record_id` (an instrument, a request or a statement)."""
        instrument = Resource.get_or_none(Resource.id == record_id)
        if instrument is not None and instrument.kind == "measuring":
            self.show_tab("measuring")
            select_key(self.measuring_tab.table, self.measuring_tab.model, record_id)
        elif ResourceRequest.get_or_none(ResourceRequest.id == record_id) is not None:
            self.show_tab("requests")
            self.requests_tab.reload(select=record_id)
        elif record_id == "adequacy":
            self.show_tab("adequacy")
        elif instrument is not None:
            self.show_tab("register")
            self.register_screen.show_record(record_id)

    # --- Internals --------------------------------------------------------------------------

    def _reload_tabs(self) -> None:
        self.measuring_tab.reload()
        self.requests_tab.reload()
        self.adequacy_tab.reload()

    def _register_changed(self, *_args: object) -> None:
        self.measuring_tab.reload()

    def _tab_changed(self, _index: int) -> None:
        current = self.tabs.currentWidget()
        reload: Callable[[], None] | None = getattr(current, "reload", None)
        if current is not self.register_screen and reload is not None:
            reload()
