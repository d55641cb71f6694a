"""Internal audits (9.2): the year's programme, holding an audit, and the checklist templates.

Programme: the audits planned in a year, who audits what, their results, the clauses no
audit covers yet, and a visible warning whenever an auditor would audit their own work.
Run audit: the chosen audit's checklist question by question (`audit_run`). Checklist
templates: the questions copied into audits, starting from a starter set per clause.
The rules live in `qms_desktop.audits` and `qms_desktop.checklist_templates`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import audits, checklist_templates, clock, registers
from qms_desktop.audit_kit import Results
from qms_desktop.audit_registers import AUDITS
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.fields import text_limit
from qms_desktop.models import Audit, ChecklistQuestion, ChecklistTemplate, Person, Process
from qms_desktop.text import plural
from ui.kit.header import title_and_clause
from ui.kit.length_note import add_noted_rows
from ui.kit.live import ChangeSource, keep_current
from ui.kit.past_date import PAST_DATE_REFUSED, confirm_past_date
from ui.kit.permission import hold_refused, refused_line, write_refusal
from ui.kit.record_form import RecordForm
from ui.kit.register_model import RECORD_ID_ROLE, RegisterTableModel
from ui.kit.tables import select_item_with
from ui.kit.theme import muted_color, set_text_color, warning_color, warning_style
from ui.kit.widgets import (
    bold,
    ok_cancel_buttons,
    open_dialog,
    problems_text,
    resize_within_screen,
    screen_layout,
    setup_readonly_table,
    show_problem,
)
from ui.screens.audits import site_kit
from ui.screens.audits.audit_run import AuditRunWidget, QuestionDialog, muted, problem_label

DESCRIPTION = (
    "Plan audits so that, over the year, every process and clause is looked at by someone "
    "impartial; hold them with a checklist; report the results to the managers concerned "
    "and correct what was found without undue delay."
)
PROGRAMME_TAB, RUN_TAB, TEMPLATES_TAB = 0, 1, 2
TEMPLATE_ROLE = Qt.ItemDataRole.UserRole
PLAN_MNEMONICS = "cpryhnx"


def _id_or_none(model: type[Any], value: Any) -> Any:
    return model.get_by_id(value) if value not in (None, "") else None


# --- Planning an audit ------------------------------------------------------------------------


class PlanAuditDialog(QDialog):
    """Plan a new audit or change one's plan; warns at once when the auditor is not impartial."""

    def __init__(self, audit: Audit | None = None, parent: QWidget | None = None,
                 planned_on: dt.date | None = None) -> None:
        super().__init__(parent)
        self.audit = audit
        self.plan: audits.AuditPlan | None = None
        title = "Plan an audit" if audit is None else "Change the audit plan"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = RecordForm(AUDITS, reserved_mnemonics=PLAN_MNEMONICS)
        if audit is None:
            self.form.start_new()
            if planned_on is not None:
                self.form.load({**self.form.values(), "planned_on": planned_on})
            self.form.title_label.setText("New audit")
            self.form.note_label.setText("Choose an auditor who does not audit their own work.")
        else:
            self.form.load_record(audit)
        self.warning_frame = QFrame()
        self.warning_frame.setObjectName("impartialityWarning")
        self.warning_frame.setAccessibleName("Impartiality warning")
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setAccessibleName("Impartiality warning")
        row = QHBoxLayout(self.warning_frame)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.warning_label, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton("&Plan audit" if audit is None else "&Save plan",
                                           QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.warning_frame)
        layout.addWidget(buttons)
        for name in ("process", "auditor"):
            self.form.combo(name).currentIndexChanged.connect(self.update_warning)
        self.update_warning()
        resize_within_screen(self, 560, 720, parent)

    def update_warning(self, *_args: object) -> None:
        values = self.form.values()
        probe = Audit(process=_id_or_none(Process, values.get("process")),
                      auditor=_id_or_none(Person, values.get("auditor")))
        problem = audits.impartiality_problem(probe)
        palette = self.palette()
        self.warning_frame.setStyleSheet(warning_style(palette, "QFrame#impartialityWarning"))
        set_text_color(self.warning_label, warning_color(palette))
        self.warning_label.setText(f"⚠  Impartiality: {problem}" if problem else "")
        self.warning_label.setAccessibleDescription(problem or "")
        self.warning_frame.setVisible(bool(problem))

    def accept(self) -> None:
        values = self.form.values()
        problems = registers.validate(AUDITS, dict(values))
        if problems:
            self.form.show_problems(problems)
            return
        plan_values = {
            "title": values["title"] or "",
            "planned_on": values["planned_on"],
            "process": _id_or_none(Process, values.get("process")),
            "clause": (values.get("clause") or "").strip(),
            "auditor": _id_or_none(Person, values.get("auditor")),
            "scope": (values.get("scope") or "").strip(),
            "criteria": (values.get("criteria") or "").strip(),
        }
        if self.audit is None and not confirm_past_date(
                self, "The audit would be planned", plan_values["planned_on"]):
            self.form.show_problems({"planned_on": PAST_DATE_REFUSED})
            return
        try:
            if self.audit is None:
                self.plan = audits.plan_audit(**plan_values)
            else:
                # The form's copy: after its Reload, the audit as stored now.
                audit = self.form.record
                self.plan = audits.update_audit(
                    audit if isinstance(audit, Audit) else self.audit, **plan_values)
        except RecordChanged as refused:
            # Someone changed the plan meanwhile: the form offers Reload and Compare.
            self.form.clear_problems()
            self.form.changed_bar.show_refusal(refused)
            return
        except ValidationError as error:
            self.form.show_problems(error.problems)
            return
        super().accept()


class TemplateDialog(QDialog):
    """A new checklist template: its name, clause and what it covers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New checklist")
        self.setAccessibleName("New checklist")
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name (required)")
        self.name_edit.setMaxLength(text_limit(ChecklistTemplate.name))
        self.clause_edit = QLineEdit()
        self.clause_edit.setAccessibleName("Clause")
        self.clause_edit.setMaxLength(text_limit(ChecklistTemplate.clause))
        self.clause_edit.setPlaceholderText("e.g. 8.4")
        self.description_edit = QPlainTextEdit()
        self.description_edit.setAccessibleName("What it covers")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMaximumHeight(90)
        self.problem = problem_label()
        form = QFormLayout()
        add_noted_rows(form, (("&Name *", self.name_edit), ("&Clause", self.clause_edit),
                              ("&What it covers", self.description_edit)))
        buttons, _ = ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.template: ChecklistTemplate | None = None
        self.resize(480, 260)

    def accept(self) -> None:
        try:
            self.template = checklist_templates.create_template(
                self.name_edit.text(), self.clause_edit.text(),
                self.description_edit.toPlainText())
        except ValidationError as error:
            show_problem(self.problem, problems_text(error))
            return
        super().accept()


# --- The screen ------------------------------------------------------------------------------


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = (
    "audit", "finding", "checklist_template", "checklist_question", "process", "person",
    "action", "nonconformity", "attachment",
)


class AuditsScreen(QWidget):
    """The audit programme, the audit being held, and the checklist templates."""

    status_message = Signal(str)
    open_record = Signal(str, str)  # screen key, record id

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Internal audits")
        self.dialog: QDialog | None = None
        self._templates_ready = False

        self._build_header()
        self._build_programme()
        self.run = AuditRunWidget()
        self._build_templates()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Internal audit views")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.programme_page, "Pro&gramme")
        self.tabs.addTab(self.run, "R&un audit")
        self.tabs.addTab(self.templates_page, "Checklist &templates")

        screen_layout(self, self._header_layout, self.tabs)
        self._connect()
        keep_current(self, changes, SHOWN_TABLES, self.reload, colours=self._apply_colours)

    # --- Building ---------------------------------------------------------------------------

    def _build_header(self) -> None:
        title_row, self.title_label, self.clause_label = title_and_clause(
            "Internal audits", "Clause 9.2")
        set_text_color(self.clause_label, muted_color(self.palette()))
        self.description_label = muted(DESCRIPTION)
        self.description_label.setAccessibleName("About internal audits")
        self._header_layout = QVBoxLayout()
        self._header_layout.setSpacing(2)
        self._header_layout.addLayout(title_row)
        self._header_layout.addWidget(self.description_label)

    def _build_programme(self) -> None:
        self.year_label = QLabel("&Year")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(clock.today().year)
        self.year_spin.setAccessibleName("Programme year")
        self.year_spin.setMinimumWidth(90)
        self.year_label.setBuddy(self.year_spin)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search audits…")
        self.search_edit.setMinimumWidth(160)  # its placeholder stays readable
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search audits")
        self.search_edit.setToolTip("Search by title, process, clause or auditor (Ctrl+F)")
        self.count_label = muted(wrap=False)
        self.count_label.setAccessibleName("Number of audits")
        self.plan_button = QPushButton("&Plan audit…")
        self.plan_button.setAccessibleName("Plan audit")
        self.plan_button.setToolTip("Plan an audit in the programme (Ctrl+N)")
        self.edit_button = QPushButton("C&hange plan…")
        self.edit_button.setAccessibleName("Change the audit plan")
        self.run_button = QPushButton("&Run audit")
        self.run_button.setAccessibleName("Run audit")
        self.run_button.setToolTip("Answer the checklist of the selected audit (Enter)")
        bold(self.run_button)
        self.cancel_button = QPushButton("Ca&ncel audit…")
        self.cancel_button.setAccessibleName("Cancel audit")
        self.take_on_site_button = QPushButton("Take on &site…")
        self.take_on_site_button.setAccessibleName("Take the audit on site")
        self.take_on_site_button.setToolTip(
            "Save the audit's checklist as one page to answer in a phone's or tablet's "
            "browser, with no network")
        self.import_results_button = QPushButton("&Import results…")
        self.import_results_button.setAccessibleName("Import site audit results")
        self.import_results_button.setToolTip(
            "Merge the results file saved by the site audit kit into the selected audit")

        toolbar = QHBoxLayout()
        toolbar.setSpacing(8)
        toolbar.addWidget(self.year_label)
        toolbar.addWidget(self.year_spin)
        toolbar.addSpacing(8)
        toolbar.addWidget(self.search_edit, 1)
        toolbar.addSpacing(8)
        toolbar.addWidget(self.count_label)
        toolbar.addStretch(1)
        toolbar.addWidget(self.plan_button)
        toolbar.addWidget(self.edit_button)
        toolbar.addWidget(self.cancel_button)
        toolbar.addWidget(self.run_button)

        self.warnings_frame = QFrame()
        self.warnings_frame.setObjectName("programmeWarnings")
        self.warnings_frame.setAccessibleName("Impartiality warnings")
        self.warnings_label = QLabel()
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setAccessibleName("Impartiality warnings")
        self.warnings_label.setTextFormat(Qt.TextFormat.PlainText)
        warning_row = QHBoxLayout(self.warnings_frame)
        warning_row.setContentsMargins(12, 8, 12, 8)
        warning_row.addWidget(self.warnings_label, 1)
        self.warnings_frame.hide()

        self.model = RegisterTableModel(AUDITS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        setup_readonly_table(self.table, "Audit programme")
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        query = self.model.query()
        header.setSortIndicator(query.sort_column, Qt.SortOrder.AscendingOrder)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_label.setAccessibleName("No audits")
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)

        self.coverage_label = QLabel()
        self.coverage_label.setWordWrap(True)
        self.coverage_label.setAccessibleName("Clauses not covered this year")

        self.programme_page = QWidget()
        layout = QVBoxLayout(self.programme_page)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(toolbar)
        # A role that may only read: the programme only shows, and the line says why.
        self.write_refusal = write_refusal("audit")
        layout.addWidget(refused_line(self.write_refusal, self.plan_button, self.edit_button,
                                      self.cancel_button, self.take_on_site_button,
                                      self.import_results_button))
        layout.addWidget(self.warnings_frame)
        layout.addWidget(self.list_stack, 1)
        site_row = QHBoxLayout()
        site_row.setSpacing(8)
        site_row.addWidget(self.coverage_label, 1)
        site_row.addWidget(self.take_on_site_button)
        site_row.addWidget(self.import_results_button)
        layout.addLayout(site_row)

    def _build_templates(self) -> None:
        self.template_list = QListWidget()
        self.template_list.setAccessibleName("Checklist templates")
        self.template_list.setMinimumWidth(260)
        self.new_template_button = QPushButton("New c&hecklist…")
        self.new_template_button.setAccessibleName("New checklist template")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.addWidget(self.template_list, 1)
        left_layout.addWidget(self.new_template_button)

        self.template_title = bold(QLabel(), 1.2)
        self.template_title.setWordWrap(True)
        self.template_title.setAccessibleName("Checklist")
        self.template_meta = muted()
        self.template_meta.setAccessibleName("About the checklist")
        self.question_table = QTableWidget(0, 3)
        self.question_table.setHorizontalHeaderLabels(["Clause", "Question", "What to look for"])
        self.question_table.setAccessibleName("Questions of the checklist")
        self.question_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.question_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.question_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.question_table.setWordWrap(True)
        self.question_table.setAlternatingRowColors(True)
        self.question_table.setTabKeyNavigation(False)
        self.question_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        question_header = self.question_table.horizontalHeader()
        question_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        question_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        question_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        question_header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                            | Qt.AlignmentFlag.AlignVCenter)
        self.add_template_question_button = QPushButton("Add &question…")
        self.add_template_question_button.setAccessibleName("Add a question to the checklist")
        self.edit_question_button = QPushButton("&Edit question…")
        self.edit_question_button.setAccessibleName("Edit the question")
        self.remove_question_button = QPushButton("Remo&ve question")
        self.remove_question_button.setAccessibleName("Remove the question")
        self.remove_question_button.setToolTip("Archive it: audits that used it keep their copy")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_template_question_button)
        buttons.addWidget(self.edit_question_button)
        buttons.addWidget(self.remove_question_button)
        buttons.addStretch(1)
        hold_refused(self.write_refusal, self.new_template_button,
                     self.add_template_question_button, self.edit_question_button,
                     self.remove_question_button)
        self.templates_empty = muted(
            "No questions in this checklist yet." if self.write_refusal else
            "No questions in this checklist yet. Press Add question… to write the first.")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.setSpacing(6)
        right_layout.addWidget(self.template_title)
        right_layout.addWidget(self.template_meta)
        right_layout.addSpacing(4)
        right_layout.addWidget(self.question_table, 1)
        right_layout.addWidget(self.templates_empty)
        right_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])
        self.templates_page = QWidget()
        page_layout = QVBoxLayout(self.templates_page)
        page_layout.setContentsMargins(0, 10, 0, 0)
        page_layout.addWidget(splitter)

    def _connect(self) -> None:
        self.year_spin.valueChanged.connect(lambda _year: self.reload_programme())
        self.search_edit.textChanged.connect(lambda _text: self.reload_programme())
        self.plan_button.clicked.connect(self.plan_audit)
        self.edit_button.clicked.connect(self.change_plan)
        self.run_button.clicked.connect(self.run_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.take_on_site_button.clicked.connect(self.take_on_site)
        self.import_results_button.clicked.connect(self.import_results)
        self.table.activated.connect(lambda _index: self.run_selected())
        self.table.selectionModel().currentRowChanged.connect(
            lambda *_args: self._update_programme_buttons())
        self.model.modelReset.connect(self._after_programme_reset)
        self.run.status_message.connect(self.status_message)
        self.run.open_record.connect(self.open_record)
        self.run.changed.connect(self.reload_programme)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.template_list.currentRowChanged.connect(lambda _row: self._show_template())
        self.new_template_button.clicked.connect(self.new_template)
        self.add_template_question_button.clicked.connect(self.add_template_question)
        self.edit_question_button.clicked.connect(self.edit_template_question)
        self.question_table.itemActivated.connect(lambda _item: self.edit_template_question())
        self.remove_question_button.clicked.connect(self.remove_template_question)
        self.question_table.itemSelectionChanged.connect(self._update_template_buttons)

    # --- What the main window calls ---------------------------------------------------------

    def reload(self) -> None:
        self.reload_programme()
        self.run.reload()
        if self.tabs.currentIndex() == TEMPLATES_TAB:
            self.reload_templates()

    def new_record(self) -> None:
        if self.write_refusal:
            self.status_message.emit(self.write_refusal)
            return
        self.plan_audit()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(PROGRAMME_TAB)
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def save(self) -> bool:
        if not self.run.has_unsaved_changes():
            return False
        return self.run.save_answer()

    def has_unsaved_changes(self) -> bool:
        return self.run.has_unsaved_changes()

    # --- Programme ----------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self.year_spin.value()

    def reload_programme(self) -> None:
        selected = self.selected_audit()
        query = self.model.query()
        year = self.year
        query.condition = lambda: (Audit.planned_on >= dt.date(year, 1, 1)) & (
            Audit.planned_on <= dt.date(year, 12, 31))
        query.search = self.search_edit.text().strip()
        self.model.set_query(query)
        if selected is not None:
            self.select_audit(selected.id)
        self._update_warnings()
        self._update_coverage()
        self._update_programme_buttons()

    def selected_audit(self) -> Audit | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return Audit.get_or_none(Audit.id == self.model.data(index, RECORD_ID_ROLE))

    def select_audit(self, audit_id: str) -> bool:
        row = self.model.row_of(audit_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def plan_audit(self) -> None:
        today = clock.today()
        planned = today if self.year == today.year else dt.date(self.year, today.month, 1)
        open_dialog(self, PlanAuditDialog(None, self, planned_on=planned), self._planned)

    def change_plan(self) -> None:
        audit = self.selected_audit()
        if audit is None:
            return
        open_dialog(self, PlanAuditDialog(audit, self), self._planned)

    def _planned(self, dialog: PlanAuditDialog) -> None:
        plan = dialog.plan
        if plan is None:
            return
        audit = plan.audit
        if audit.planned_on.year != self.year:
            self.year_spin.setValue(audit.planned_on.year)
        self.reload_programme()
        self.select_audit(audit.id)
        verb = "Planned" if dialog.audit is None else "Changed the plan of"
        text = f"{verb} “{audit.title}”."
        if plan.warnings:
            text += " Impartiality warning: " + " ".join(plan.warnings)
        self.status_message.emit(text)
        if self.run.audit is not None and self.run.audit.id == audit.id:
            self.run.reload()

    def run_selected(self) -> None:
        audit = self.selected_audit()
        if audit is None:
            return
        self.open_audit(audit)

    def open_audit(self, audit: Audit) -> None:
        """Show `audit` in the Run audit tab."""
        if self.run.audit is None or self.run.audit.id != audit.id:
            if not self.run.save_answer():
                self.tabs.setCurrentIndex(RUN_TAB)
                return
            self.run.set_audit(audit)
        self.tabs.setCurrentIndex(RUN_TAB)
        self.run.question_list.setFocus(Qt.FocusReason.OtherFocusReason)

    def cancel_selected(self) -> None:
        audit = self.selected_audit()
        if audit is None:
            return
        answer = QMessageBox.question(
            self, "Cancel the audit",
            f"Cancel “{audit.title}”? It stays in the programme, marked cancelled.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            audits.cancel_audit(audit)
        except ValidationError as error:
            self.status_message.emit(problems_text(error))
            return
        self.reload_programme()
        self.run.reload()
        self.status_message.emit(f"Cancelled “{audit.title}”.")

    def take_on_site(self) -> None:
        """Save the selected audit's site kit (a page for a phone or tablet)."""
        audit = self.selected_audit()
        if audit is None or not self.run.save_answer():
            return
        path = site_kit.take_on_site(self, audit)
        if path is not None:
            self.status_message.emit(
                f"Saved the site audit kit of “{audit.title}” to {path}. Open it in the "
                "browser of the phone or tablet; bring back the results file it saves with "
                "Import results….")

    def import_results(self) -> None:
        """Merge a results file saved by the selected audit's site kit."""
        audit = self.selected_audit()
        if audit is None or not self.run.save_answer():
            return
        path = site_kit.ask_results_file(self)
        if path is None:
            return
        found = site_kit.read_for_import(self, path, audit)
        if found is None:
            return
        results, conflicts = found
        if conflicts:
            open_dialog(self, site_kit.ConflictDialog(conflicts, self),
                              lambda dialog: self._import(results, audit, dialog.choices()))
        else:
            self._import(results, audit, {})

    def _import(self, results: Results, audit: Audit, choices: dict[str, str]) -> None:
        report = site_kit.finish_import(self, results, audit, choices)
        if report is None:
            return
        self.reload_programme()
        self.select_audit(audit.id)
        if self.run.audit is not None and self.run.audit.id == audit.id:
            self.run.reload()
        self.status_message.emit(report.summary())

    def warnings_text(self) -> str:
        return self.warnings_label.text() if self.warnings_frame.isVisible() else ""

    def _update_warnings(self) -> None:
        lines = []
        for audit in audits.programme(self.year):
            if audit.status in (audits.DONE, audits.CANCELLED):
                continue
            problem = audits.impartiality_problem(audit)
            if problem:
                lines.append(f"⚠  {audit.title}: {problem}")
        self.warnings_label.setText("\n".join(lines))
        self.warnings_label.setAccessibleDescription("\n".join(lines))
        self.warnings_frame.setVisible(bool(lines))

    def _update_coverage(self) -> None:
        missing = audits.uncovered_clauses(self.year)
        if missing:
            self.coverage_label.setText(
                f"Not covered in {self.year}: clause{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}. Plan an audit for each, or record why a clause is "
                "left for another year.")
        else:
            self.coverage_label.setText(
                f"Every clause from 4 to 10 has an audit planned in {self.year}.")

    def _after_programme_reset(self) -> None:
        total = self.model.total()
        self.count_label.setText(plural(total, "audit"))
        if total:
            self.list_stack.setCurrentWidget(self.table)
            self.table.resizeColumnsToContents()
            header = self.table.horizontalHeader()
            for column in range(self.model.columnCount() - 1):
                header.resizeSection(column, min(max(header.sectionSize(column) + 16, 90), 300))
        else:
            search = self.search_edit.text().strip()
            self.empty_label.setText(
                f"No audits in {self.year} match “{search}”." if search else
                f"No audits planned for {self.year} yet." if self.write_refusal else
                f"No audits planned for {self.year} yet.\nPress Plan audit… (Ctrl+N) to add "
                "the first; aim to cover every clause from 4 to 10 over the year.")
            self.list_stack.setCurrentWidget(self.empty_label)
        self._update_programme_buttons()

    def _update_programme_buttons(self) -> None:
        audit = self.selected_audit()
        self.edit_button.setEnabled(audit is not None and audit.status != audits.DONE)
        self.run_button.setEnabled(audit is not None and audit.status != audits.CANCELLED)
        self.cancel_button.setEnabled(audit is not None and audit.status
                                      not in (audits.DONE, audits.CANCELLED))
        still_to_hold = audit is not None and audit.status not in (audits.DONE, audits.CANCELLED)
        self.take_on_site_button.setEnabled(still_to_hold)
        self.import_results_button.setEnabled(still_to_hold)

    # --- Templates ----------------------------------------------------------------------------

    def reload_templates(self) -> None:
        if not self._templates_ready:
            self._templates_ready = True
            if not checklist_templates.templates(include_archived=True):
                created = checklist_templates.install_starter_templates()
                self.status_message.emit(
                    f"Added the {plural(len(created), 'starter checklist')}, one per clause "
                    "from 4 to 10.")
        current = self.current_template()
        blocked = self.template_list.blockSignals(True)
        try:
            self.template_list.clear()
            for template in checklist_templates.templates():
                count = len(checklist_templates.questions_of(template))
                item = QListWidgetItem(f"{template.name}\n{plural(count, 'question')}")
                item.setData(TEMPLATE_ROLE, template.id)
                self.template_list.addItem(item)
        finally:
            self.template_list.blockSignals(blocked)
        row = 0
        if current is not None:
            row = next((r for r in range(self.template_list.count())
                        if self.template_list.item(r).data(TEMPLATE_ROLE) == current.id), 0)
        self.template_list.setCurrentRow(row if self.template_list.count() else -1)
        self._show_template()

    def current_template(self) -> ChecklistTemplate | None:
        item = self.template_list.currentItem()
        if item is None:
            return None
        return ChecklistTemplate.get_or_none(ChecklistTemplate.id == item.data(TEMPLATE_ROLE))

    def _show_template(self) -> None:
        template = self.current_template()
        self.question_table.setRowCount(0)
        if template is None:
            self.template_title.setText("No checklists")
            self.template_meta.setText("" if self.write_refusal else
                                       "Press New checklist… to write one.")
            self.templates_empty.hide()
            self._update_template_buttons()
            return
        self.template_title.setText(template.name)
        meta = [f"Clause {template.clause}"] if template.clause else []
        if template.description:
            meta.append(template.description)
        self.template_meta.setText("  ·  ".join(meta))
        questions = checklist_templates.questions_of(template)
        self.question_table.setRowCount(len(questions))
        for row, question in enumerate(questions):
            for column, value in enumerate((question.clause, question.question,
                                            question.guidance)):
                item = QTableWidgetItem(value)
                item.setData(TEMPLATE_ROLE, question.id)
                item.setToolTip(value)
                self.question_table.setItem(row, column, item)
        self.question_table.setVisible(bool(questions))
        self.templates_empty.setVisible(not questions)
        self._update_template_buttons()

    def _selected_question(self) -> ChecklistQuestion | None:
        rows = self.question_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.question_table.item(rows[0].row(), 0)
        if item is None:
            return None
        return ChecklistQuestion.get_or_none(ChecklistQuestion.id == item.data(TEMPLATE_ROLE))

    def _update_template_buttons(self) -> None:
        has_template = self.current_template() is not None
        has_question = self._selected_question() is not None
        self.add_template_question_button.setEnabled(has_template)
        self.edit_question_button.setEnabled(has_question)
        self.remove_question_button.setEnabled(has_question)

    def new_template(self) -> None:
        open_dialog(self, TemplateDialog(self), self._template_created)

    def _template_created(self, dialog: TemplateDialog) -> None:
        self.reload_templates()
        if dialog.template is not None:
            select_item_with(self.template_list, TEMPLATE_ROLE, dialog.template.id)
            self.status_message.emit(f"Added the checklist “{dialog.template.name}”.")

    def add_template_question(self) -> None:
        template = self.current_template()
        if template is None:
            return
        dialog = QuestionDialog(f"Add a question to {template.name}", self,
                                clause=template.clause)
        open_dialog(self, dialog, self._template_question_added)

    def _template_question_added(self, dialog: QuestionDialog) -> None:
        template = self.current_template()
        if template is None:
            return
        values = dialog.values()
        try:
            checklist_templates.add_question(template, values["question"], values["guidance"],
                                             values["clause"])
        except ValidationError as error:
            self.status_message.emit(problems_text(error))
            return
        self.reload_templates()
        self.question_table.selectRow(self.question_table.rowCount() - 1)
        self.status_message.emit(f"Added a question to {template.name}.")

    def edit_template_question(self) -> None:
        question = self._selected_question()
        if question is None:
            return
        # Saved from the copy the dialog opened with, in the dialog: a change made meanwhile
        # is refused there with Reload and Compare instead of being written over.
        dialog = QuestionDialog(
            "Edit the question", self, clause=question.clause, question=question.question,
            guidance=question.guidance,
            submit=lambda v: checklist_templates.edit_question(
                question, v["question"], v["guidance"], v["clause"]))
        open_dialog(self, dialog, self._template_question_edited)

    def _template_question_edited(self, _dialog: QuestionDialog) -> None:
        row = self.question_table.currentRow()
        self._show_template()
        self.question_table.selectRow(row)
        self.status_message.emit("Saved the question. Audits that copied it keep their wording.")

    def remove_template_question(self) -> None:
        question = self._selected_question()
        if question is None:
            return
        checklist_templates.remove_question(question)
        self.reload_templates()
        self.status_message.emit("Removed the question from the checklist (archived).")

    # --- Helpers --------------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if index == TEMPLATES_TAB:
            self.reload_templates()

    def _apply_colours(self) -> None:
        palette = self.palette()
        for label in self.findChildren(QLabel):
            if label.property("muted"):
                set_text_color(label, muted_color(palette))
        self.warnings_frame.setStyleSheet(warning_style(palette, "QFrame#programmeWarnings"))
        set_text_color(self.warnings_label, warning_color(palette))
        set_text_color(self.coverage_label, muted_color(palette))
        self.empty_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty_label.setAutoFillBackground(True)
        set_text_color(self.empty_label, muted_color(palette))

    def showEvent(self, event: QShowEvent) -> None:
        # People and processes are edited on other screens; read them again when coming back.
        if not event.spontaneous():
            self.reload()
        super().showEvent(event)

