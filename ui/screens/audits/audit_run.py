"""Holding an internal audit (9.2): the checklist question by question, on a laptop on site.

The auditor copies a checklist template into the audit, then answers each question with one
of six outcomes (keys 1 to 6), writes what was seen, attaches evidence and, for a minor or
major nonconformity, raises a nonconformity in one step. Moving on (Page Down, Alt+→) saves
the answer. The rules (notes required, the audit closed once complete) live in
`qms_desktop.audits`; this widget only arranges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import attachments, audits, checklist_templates, clock, formatting
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.fields import text_limit
from qms_desktop.models import (
    AUDIT_STATES,
    FINDING_OUTCOMES,
    Audit,
    ChecklistTemplate,
    Finding,
    Nonconformity,
)
from qms_desktop.reports.audit_pdf import write_audit_report, write_blank_checklist
from qms_desktop.text import plural
from ui.kit import widgets
from ui.kit.length_note import add_noted_rows
from ui.kit.permission import hold_refused, refused_line, write_refusal
from ui.kit.record_changed import ChangedChoice, FormField
from ui.kit.save_dialog import ask_save_path
from ui.kit.theme import (
    WARNING_HUE,
    chip_style,
    error_color,
    is_dark,
    muted_color,
    on_theme_change,
    set_text_color,
    show_read_only,
    tint,
    warning_color,
)
from ui.kit.widgets import (
    bold,
    muted_label,
    ok_cancel_buttons,
    open_dialog,
    problems_text,
    show_problem,
)

NONCONFORMITIES_SCREEN = "nonconformities"
# The six outcomes in key order (1 to 6), with the short word shown on the big buttons.
OUTCOME_BUTTONS = (
    ("conforms", "Conforms"),
    ("minor", "Minor"),
    ("major", "Major"),
    ("observation", "Observation"),
    ("opportunity", "Opportunity"),
    ("not_applicable", "N/A"),
)
OUTCOME_HUES = {
    "conforms": "#2e8b45",
    "minor": "#d99a00",
    "major": "#d93f3f",
    "observation": "#3b7dd8",
    "opportunity": "#1f9d8f",
    "not_applicable": "#8a8a8a",
}
STATUS_HUES = {"planned": "#3b7dd8", "in_progress": "#d99a00", "done": "#2e8b45",
               "cancelled": "#8a8a8a"}
OUTCOME_KEYS = {Qt.Key.Key_1 + i: key for i, (key, _) in enumerate(OUTCOME_BUTTONS)}
FINDING_ROLE = Qt.ItemDataRole.UserRole
ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole
def muted(text: str = "", wrap: bool = True) -> QLabel:
    """A muted label that `_apply_colours` re-tints when the theme changes."""
    label = muted_label(text, wrap)
    label.setProperty("muted", True)
    return label


def problem_label(name: str = "Problem") -> QLabel:
    """A problem label that `_apply_colours` re-tints when the theme changes."""
    label = widgets.problem_label(name)
    label.setProperty("problem", True)
    return label


def pdf_path(chosen: str) -> Path:
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def safe_file_name(text: str) -> str:
    return "".join(c for c in text if c not in '\\/:*?"<>|').strip() or "Audit"


# --- Small dialogs ---------------------------------------------------------------------------


class QuestionDialog(QDialog):
    """A checklist question: clause, the question, and what to look for."""

    def __init__(self, title: str, parent: QWidget | None = None, clause: str = "",
                 question: str = "", guidance: str = "",
                 submit: Callable[[dict[str, str]], object] | None = None) -> None:
        """With `submit`, OK saves through it and the dialog stays open on a refusal."""
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.clause_edit = QLineEdit(clause)
        self.clause_edit.setMaxLength(text_limit(Finding.clause))
        self.clause_edit.setPlaceholderText("e.g. 8.4.1")
        self.clause_edit.setAccessibleName("Clause")
        self.question_edit = QPlainTextEdit(question)
        self.question_edit.setTabChangesFocus(True)
        self.question_edit.setAccessibleName("Question (required)")
        self.question_edit.setMinimumHeight(70)
        self.guidance_edit = QPlainTextEdit(guidance)
        self.guidance_edit.setTabChangesFocus(True)
        self.guidance_edit.setAccessibleName("What to look for")
        self.guidance_edit.setMinimumHeight(70)
        self.problem = problem_label()
        # The question saved meanwhile by someone else: who, when, Reload and Compare.
        self.changed_choice = ChangedChoice(self, {
            "clause": FormField(self.clause_edit.text, self.clause_edit.setText, "Clause"),
            "question": FormField(self.question_edit.toPlainText,
                                  self.question_edit.setPlainText, "Question"),
            "guidance": FormField(self.guidance_edit.toPlainText,
                                  self.guidance_edit.setPlainText, "What to look for"),
        }, self._show_theirs)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        add_noted_rows(form, (("&Clause", self.clause_edit), ("&Question *", self.question_edit),
                             ("&What to look for", self.guidance_edit)))
        buttons, self.ok_button = ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.changed_choice.bar)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def values(self) -> dict[str, str]:
        return {"clause": self.clause_edit.text().strip(),
                "question": self.question_edit.toPlainText().strip(),
                "guidance": self.guidance_edit.toPlainText().strip()}

    def accept(self) -> None:
        if not self.values()["question"]:
            show_problem(self.problem, "Write the question.")
            self.question_edit.setFocus()
            return
        if self._submit is not None:
            try:
                self._submit(self.values())
            except RecordChanged as refused:
                show_problem(self.problem, "")
                self.changed_choice.offer(refused)
                return
            except ValidationError as error:
                show_problem(self.problem, problems_text(error))
                return
        super().accept()

    def _show_theirs(self, record: object) -> None:
        self.clause_edit.setText(str(getattr(record, "clause", "") or ""))
        self.question_edit.setPlainText(str(getattr(record, "question", "") or ""))
        self.guidance_edit.setPlainText(str(getattr(record, "guidance", "") or ""))
        show_problem(self.problem, "")


class CopyTemplateDialog(QDialog):
    """Choose the checklist template to copy into an audit."""

    def __init__(self, audit: Audit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Copy a checklist into the audit")
        self.setAccessibleName("Copy a checklist into the audit")
        if not checklist_templates.templates(include_archived=True):
            checklist_templates.install_starter_templates()
        intro = muted("Each question of the checklist becomes an unanswered question of this "
                      "audit. Questions already in the audit are not copied twice.")
        self.list = QListWidget()
        self.list.setAccessibleName("Checklist templates")
        self.description = muted()
        self.description.setAccessibleName("About the checklist")
        wanted = (audit.clause or "").split(".")[0].strip()
        chosen = 0
        for index, template in enumerate(checklist_templates.templates()):
            count = len(checklist_templates.questions_of(template))
            item = QListWidgetItem(f"{template.name}  ({plural(count, 'question')})")
            item.setData(FINDING_ROLE, template.id)
            self.list.addItem(item)
            if wanted and template.clause == wanted:
                chosen = index
        self.list.currentRowChanged.connect(self._show_description)
        self.list.itemActivated.connect(lambda _item: self.accept())
        if self.list.count():
            self.list.setCurrentRow(chosen)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.copy_button = self.buttons.addButton("&Copy questions",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button.setEnabled(self.list.count() > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.description)
        layout.addWidget(self.buttons)
        self.resize(560, 420)

    def template(self) -> ChecklistTemplate | None:
        item = self.list.currentItem()
        return None if item is None else ChecklistTemplate.get_by_id(item.data(FINDING_ROLE))

    def choose(self, clause: str) -> bool:
        """Select the template of `clause` ("9"); True when there is one."""
        for row in range(self.list.count()):
            template = ChecklistTemplate.get_by_id(self.list.item(row).data(FINDING_ROLE))
            if template.clause == clause:
                self.list.setCurrentRow(row)
                return True
        return False

    def _show_description(self, _row: int) -> None:
        template = self.template()
        self.description.setText(template.description if template is not None else "")


class CompleteAuditDialog(QDialog):
    """The day the audit was held and the summary for the managers; completes on OK."""

    def __init__(self, audit: Audit, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.audit = audit
        self.today = today or clock.today()
        self.setWindowTitle("Complete the audit")
        self.setAccessibleName("Complete the audit")
        held = audit.held_on or min(audit.planned_on, self.today)
        self.held_edit = QDateEdit(QDate(held.year, held.month, held.day))
        self.held_edit.setCalendarPopup(True)
        self.held_edit.setDisplayFormat("yyyy-MM-dd")
        self.held_edit.setAccessibleName("Held on")
        self.summary_edit = QPlainTextEdit(suggested_summary(audit))
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setAccessibleName("Summary for the managers (required)")
        self.summary_edit.setMinimumHeight(120)
        self.problem = problem_label()
        intro = muted("Once complete, the checklist is closed and the results count in the "
                      "management review. Findings can still raise nonconformities.")
        form = QFormLayout()
        form.setVerticalSpacing(10)
        held_label = QLabel("&Held on")
        held_label.setBuddy(self.held_edit)
        summary_label = QLabel("&Summary *")
        summary_label.setBuddy(self.summary_edit)
        form.addRow(held_label, self.held_edit)
        form.addRow(summary_label, self.summary_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.complete_button = buttons.addButton("&Complete audit",
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def accept(self) -> None:
        chosen = self.held_edit.date()
        held = dt.date(chosen.year(), chosen.month(), chosen.day())
        try:
            audits.complete_audit(self.audit, held, self.summary_edit.toPlainText(),
                                  today=self.today)
        except ValidationError as error:
            show_problem(self.problem, problems_text(error))
            return
        super().accept()


def suggested_summary(audit: Audit) -> str:
    """"12 questions: 9 conform, 1 minor nonconformity, ..." as a start for the summary."""
    counts = audits.results(audit)
    total = sum(counts.values())
    parts = [f"{n} {audits.OUTCOME_LABELS[k].lower()}" for k, n in counts.items()
             if n and k != audits.UNANSWERED]
    return f"{plural(total, 'question')}: {', '.join(parts)}." if parts else ""


# --- The run --------------------------------------------------------------------------------


class AuditRunWidget(QWidget):
    """One audit's checklist, answered question by question."""

    status_message = Signal(str)
    open_record = Signal(str, str)  # screen key, record id
    changed = Signal()  # the audit's answers or state changed (the programme re-reads)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Audit run")
        # Why the signed-in role may not answer audits ("" when it may: an auditor may).
        self.write_refusal = write_refusal("finding")
        self._audit: Audit | None = None
        self._findings: list[Finding] = []
        self._index = -1
        self._pending: str | None = None  # an outcome chosen but not yet saved
        self._loading = False
        self.dialog: QDialog | None = None  # the dialog open now, if any

        self._build_header()
        self._build_question_card()
        self._build_body()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.header)
        layout.addWidget(self.message_frame)
        layout.addWidget(self.stack, 1)
        self._connect()
        self._apply_colours()
        on_theme_change(self, self._apply_colours)
        self.set_audit(None)

    # --- Building ---------------------------------------------------------------------------

    def _build_header(self) -> None:
        self.title_label = bold(QLabel(), 1.3)
        self.title_label.setAccessibleName("Audit")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_chip = QLabel()
        self.status_chip.setAccessibleName("Audit status")
        self.meta_label = muted()
        self.meta_label.setAccessibleName("What is audited, by whom and when")
        self.progress_label = bold(QLabel())
        self.progress_label.setAccessibleName("Progress")
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(8)
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setAccessibleName("Questions answered")

        self.copy_button = QPushButton("&Copy template…")
        self.copy_button.setAccessibleName("Copy a checklist template into the audit")
        self.add_question_button = QPushButton("Add &question…")
        self.add_question_button.setAccessibleName("Add a question of your own")
        self.blank_pdf_button = QPushButton("&Blank checklist PDF…")
        self.blank_pdf_button.setAccessibleName("Blank checklist PDF")
        self.blank_pdf_button.setToolTip("A checklist to print and fill in by hand on site")
        self.report_pdf_button = QPushButton("Audit &report PDF…")
        self.report_pdf_button.setAccessibleName("Audit report PDF")
        self.complete_button = QPushButton("Co&mplete audit…")
        self.complete_button.setAccessibleName("Complete audit")
        bold(self.complete_button)

        title_row = QHBoxLayout()
        title_row.setSpacing(10)
        title_row.addWidget(self.title_label, 0)
        title_row.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addStretch(1)
        title_row.addWidget(self.progress_label)
        title_row.addWidget(self.progress_bar)
        tools = QHBoxLayout()
        tools.setSpacing(8)
        tools.addWidget(self.copy_button)
        tools.addWidget(self.add_question_button)
        tools.addStretch(1)
        tools.addWidget(self.blank_pdf_button)
        tools.addWidget(self.report_pdf_button)
        tools.addSpacing(12)
        tools.addWidget(self.complete_button)
        self.header = QWidget()
        header_layout = QVBoxLayout(self.header)
        header_layout.setContentsMargins(0, 0, 0, 0)
        header_layout.setSpacing(4)
        header_layout.addLayout(title_row)
        header_layout.addWidget(self.meta_label)
        header_layout.addSpacing(4)
        header_layout.addLayout(tools)
        header_layout.addWidget(refused_line(self.write_refusal, self.copy_button,
                                             self.add_question_button, self.complete_button))

        self.message_frame = QFrame()
        self.message_frame.setObjectName("auditMessage")
        self.message_frame.setAccessibleName("Message")
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Message about the audit")
        message_row = QHBoxLayout(self.message_frame)
        message_row.setContentsMargins(12, 8, 12, 8)
        message_row.addWidget(self.message_label, 1)
        self.message_frame.hide()

    def _build_question_card(self) -> None:
        self.position_label = bold(QLabel())
        self.position_label.setAccessibleName("Question number")
        self.clause_label = QLabel()
        self.clause_label.setAccessibleName("Clause")
        # Who gave the answer and when: here, or on site through the kit (audit_kit).
        self.answered_label = muted(wrap=False)
        self.answered_label.setAccessibleName("Answered by")
        self.question_label = bold(QLabel(), 1.2)
        self.question_label.setWordWrap(True)
        self.question_label.setAccessibleName("Question")
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.guidance_caption = bold(muted("What to look for"))
        self.guidance_label = QLabel()
        self.guidance_label.setWordWrap(True)
        self.guidance_label.setAccessibleName("What to look for")
        self.guidance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.outcome_group = QButtonGroup(self)
        self.outcome_group.setExclusive(True)
        self.outcome_buttons: dict[str, QPushButton] = {}
        outcome_row = QHBoxLayout()
        outcome_row.setSpacing(8)
        long_labels = dict(FINDING_OUTCOMES)
        for number, (key, label) in enumerate(OUTCOME_BUTTONS, start=1):
            button = QPushButton(f"{number}  {label}")
            button.setCheckable(True)
            button.setMinimumHeight(48)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(long_labels[key])
            button.setToolTip(f"{long_labels[key]} (key {number})")
            button.setObjectName(f"outcome_{key}")
            self.outcome_group.addButton(button, number)
            self.outcome_buttons[key] = button
            outcome_row.addWidget(button)
        self.outcome_caption = bold(QLabel("Outcome"))
        self.outcome_hint = muted("Keys 1–6 · Page Down or Alt+→ for the next question",
                                  wrap=False)

        self.notes_caption = bold(QLabel("&Notes: what was seen"))
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setAccessibleName("Notes: what was seen")
        self.notes_edit.setPlaceholderText(
            "Documents, records and people sampled. Required for minor, major, observation "
            "and opportunity. Escape returns to the outcome keys; Ctrl+Enter saves.")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(90)
        self.notes_edit.setMaximumHeight(130)
        self.notes_caption.setBuddy(self.notes_edit)
        self.notes_problem = problem_label("Notes: problem")
        # An answer saved over someone else's answer of the same question: who, when, and
        # Reload or Compare.
        self.changed_choice = ChangedChoice(self, {
            "outcome": FormField(self._outcome_chosen, self._put_outcome, "Outcome"),
            "notes": FormField(self.notes_edit.toPlainText, self.notes_edit.setPlainText,
                               "Notes"),
        }, self._show_theirs)

        self.evidence_caption = bold(QLabel("Evidence"))
        self.evidence_list = QListWidget()
        self.evidence_list.setAccessibleName("Evidence attached to this question")
        self.evidence_list.setMaximumHeight(84)
        self.evidence_empty = muted("No files attached.")
        self.attach_button = QPushButton("&Attach evidence…")
        self.attach_button.setAccessibleName("Attach evidence")
        self.attach_button.setToolTip(
            f"A photo or document, at most {attachments.MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB")
        self.save_copy_button = QPushButton("Sa&ve a copy…")
        self.save_copy_button.setAccessibleName("Save a copy of the evidence")
        self.evidence_problem = problem_label("Evidence: problem")

        self.nc_button = QPushButton("Raise n&onconformity")
        self.nc_button.setAccessibleName("Raise nonconformity")
        self.nc_label = muted()
        self.nc_label.setAccessibleName("Nonconformity")
        self.nc_row = QWidget()
        nc_layout = QHBoxLayout(self.nc_row)
        nc_layout.setContentsMargins(0, 0, 0, 0)
        nc_layout.addWidget(self.nc_button)
        hold_refused(self.write_refusal, self.attach_button, self.nc_button,
                     *self.outcome_buttons.values())
        nc_layout.addWidget(self.nc_label, 1)

        self.previous_button = QPushButton("← &Previous")
        self.previous_button.setAccessibleName("Previous question")
        self.previous_button.setToolTip("Previous question (Page Up, Alt+←)")
        self.next_button = QPushButton("Ne&xt →")
        self.next_button.setAccessibleName("Next question")
        self.next_button.setToolTip("Save and go to the next question (Page Down, Alt+→)")

        card = QWidget()
        card.setObjectName("questionCard")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(4, 0, 12, 0)
        layout.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(self.position_label)
        top.addWidget(self.clause_label)
        top.addStretch(1)
        top.addWidget(self.answered_label)
        layout.addLayout(top)
        layout.addWidget(self.question_label)
        layout.addSpacing(4)
        layout.addWidget(self.guidance_caption)
        layout.addWidget(self.guidance_label)
        layout.addSpacing(10)
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.outcome_caption)
        caption_row.addStretch(1)
        caption_row.addWidget(self.outcome_hint)
        layout.addLayout(caption_row)
        layout.addLayout(outcome_row)
        layout.addSpacing(8)
        layout.addWidget(self.notes_caption)
        layout.addWidget(self.notes_edit)
        layout.addWidget(self.notes_problem)
        layout.addWidget(self.changed_choice.bar)
        layout.addWidget(self.nc_row)
        layout.addSpacing(8)
        layout.addWidget(self.evidence_caption)
        evidence_row = QHBoxLayout()
        evidence_row.setSpacing(8)
        evidence_side = QVBoxLayout()
        evidence_side.addWidget(self.evidence_list)
        evidence_side.addWidget(self.evidence_empty)
        evidence_row.addLayout(evidence_side, 1)
        evidence_buttons = QVBoxLayout()
        evidence_buttons.addWidget(self.attach_button)
        evidence_buttons.addWidget(self.save_copy_button)
        evidence_buttons.addStretch(1)
        evidence_row.addLayout(evidence_buttons)
        layout.addLayout(evidence_row)
        layout.addWidget(self.evidence_problem)
        layout.addStretch(1)
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        layout.addLayout(nav)

        scroll = QScrollArea()
        scroll.setWidget(card)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.card = scroll

    def _build_body(self) -> None:
        self.question_list = QListWidget()
        self.question_list.setAccessibleName("Questions of the audit")
        self.question_list.setWordWrap(True)
        self.question_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.question_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.question_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.question_list.setMinimumWidth(240)
        self.question_list.setSpacing(2)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.question_list)
        self.splitter.addWidget(self.card)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([300, 800])

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.empty_label.setAccessibleName("Nothing to answer")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty_label)

    def _connect(self) -> None:
        self.copy_button.clicked.connect(self.copy_template)
        self.add_question_button.clicked.connect(self.add_question)
        self.blank_pdf_button.clicked.connect(self.export_blank_checklist)
        self.report_pdf_button.clicked.connect(self.export_report)
        self.complete_button.clicked.connect(self.complete)
        self.outcome_group.idClicked.connect(
            lambda number: self.choose_outcome(OUTCOME_BUTTONS[number - 1][0]))
        self.notes_edit.textChanged.connect(self._notes_edited)
        self.attach_button.clicked.connect(self.attach_evidence)
        self.save_copy_button.clicked.connect(self.save_evidence_copy)
        self.evidence_list.currentRowChanged.connect(lambda _row: self._update_evidence_buttons())
        self.evidence_list.itemActivated.connect(lambda _item: self.save_evidence_copy())
        self.nc_button.clicked.connect(self.raise_or_open_nonconformity)
        self.previous_button.clicked.connect(self.previous_question)
        self.next_button.clicked.connect(self.next_question)
        self.question_list.currentRowChanged.connect(self._list_row_changed)
        for watched in (self.question_list, self.evidence_list, self.notes_edit,
                        *self.outcome_buttons.values()):
            watched.installEventFilter(self)

    # --- What the screen calls --------------------------------------------------------------

    @property
    def audit(self) -> Audit | None:
        return self._audit

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    @property
    def current(self) -> Finding | None:
        return self._findings[self._index] if 0 <= self._index < len(self._findings) else None

    def set_audit(self, audit: Audit | None) -> None:
        """Show `audit`'s checklist at its first unanswered question (None: nothing)."""
        self._audit = Audit.get_by_id(audit.id) if audit is not None else None
        self._pending = None
        self._clear_message()
        self._read_findings()
        waiting = [i for i, f in enumerate(self._findings) if f.outcome == audits.UNANSWERED]
        self._show(waiting[0] if waiting else (0 if self._findings else -1))

    def reload(self) -> None:
        """Read the audit again, keeping the question shown and any answer being written."""
        if self._audit is None:
            return
        audit = Audit.get_or_none(Audit.id == self._audit.id)
        if audit is None or audit.archived_at is not None:
            self.set_audit(None)
            return
        shown = self.current.id if self.current is not None else None
        typed_over = self.current if self.has_unsaved_changes() else None
        self._audit = audit
        self._read_findings()
        index = next((i for i, f in enumerate(self._findings) if f.id == shown), 0)
        # The answer being written stays over the copy it was begun on, so saving it meets
        # a change made meanwhile instead of replacing it unseen.
        if typed_over is not None and not (index < len(self._findings)
                                           and self._findings[index].id == typed_over.id):
            typed_over = None
        if typed_over is not None:
            self._findings[index] = typed_over
        if self.has_unsaved_changes():
            self._index = index
            self._update_header()
            self._fill_list()
            if typed_over is not None:  # the list read each question again
                self._findings[index] = typed_over
        else:
            self._show(index if self._findings else -1)

    def has_unsaved_changes(self) -> bool:
        finding = self.current
        if finding is None or self._is_closed():
            return False
        outcome = self._pending if self._pending is not None else finding.outcome
        return outcome != finding.outcome or self.notes_edit.toPlainText().strip() != (
            finding.notes or "").strip()

    def save_answer(self) -> bool:
        """Save the answer being written; True when nothing is left unsaved."""
        finding = self.current
        if finding is None or not self.has_unsaved_changes():
            return True
        outcome = self._pending if self._pending is not None else finding.outcome
        if outcome == audits.UNANSWERED:
            show_problem(self.notes_problem,
                         "Choose an outcome (keys 1–6) to keep these notes.")
            return False
        try:
            audits.answer(finding, outcome, self.notes_edit.toPlainText())
        except RecordChanged as refused:
            show_problem(self.notes_problem, "")
            self.changed_choice.offer(refused)
            self.status_message.emit(f"Not saved. {refused.message}")
            return False
        except ValidationError as error:
            show_problem(self.notes_problem, problems_text(error))
            if "notes" in error.problems:
                self.notes_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self._pending = None
        show_problem(self.notes_problem, "")
        self._clear_message()  # what it said (such as the questions left) has moved on
        self._audit = Audit.get_by_id(finding.audit_id)
        self._update_header()
        self._update_list_item(self._index)
        self._update_outcome_and_nc()
        self.status_message.emit(
            f"Q{finding.position}: {audits.OUTCOME_LABELS[finding.outcome]}.")
        self.changed.emit()
        return True

    # --- Answering --------------------------------------------------------------------------

    def choose_outcome(self, outcome: str) -> None:
        """Record `outcome` for the question shown, or ask for the notes it needs first."""
        finding = self.current
        if finding is None or self._is_closed() or self.write_refusal:
            return
        self._pending = outcome
        self._check_outcome(outcome)
        if outcome in audits.NEEDS_NOTES and not self.notes_edit.toPlainText().strip():
            label = audits.OUTCOME_LABELS[outcome].lower()
            article = "an" if label[:1] in "aeiou" else "a"
            show_problem(self.notes_problem,
                         f"Write down what was seen for {article} {label}, then press Page "
                         "Down or Ctrl+Enter to save.")
            self.notes_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.save_answer()

    def next_question(self) -> None:
        self._move(1)

    def previous_question(self) -> None:
        self._move(-1)

    def go_to(self, index: int) -> None:
        if index == self._index or not 0 <= index < len(self._findings):
            return
        if not self.save_answer():
            self._select_list_row(self._index)
            return
        self._show(index)

    def _move(self, step: int) -> None:
        target = self._index + step
        if not self.save_answer():
            return
        if 0 <= target < len(self._findings):
            typing = self.notes_edit.hasFocus()
            self._show(target)
            if typing:
                # Back to the outcome keys, so 1 to 6 answer the next question at once.
                self._focus_outcome()
        elif step > 0 and self._findings:
            waiting = audits.unanswered(self._audit) if self._audit else []
            self._show_message(
                "That was the last question. " + (
                    f"{plural(len(waiting), 'question')} still to answer."
                    if waiting else "Every question is answered: Complete audit… when ready."),
                warning=bool(waiting))

    # --- Evidence ---------------------------------------------------------------------------

    def attach_evidence(self) -> None:
        finding = self.current
        if finding is None:
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Attach evidence", str(Path.home()), "All files (*)")
        if not chosen:
            return
        try:
            attachment = attachments.attach(finding, chosen)
        except ValidationError as error:
            show_problem(self.evidence_problem, problems_text(error))
            self.status_message.emit("Not attached: " + problems_text(error))
            return
        show_problem(self.evidence_problem, "")
        self._fill_evidence()
        self.evidence_list.setCurrentRow(self.evidence_list.count() - 1)
        self.status_message.emit(f"Attached {attachment.file_name} to Q{finding.position}.")

    def save_evidence_copy(self) -> None:
        item = self.evidence_list.currentItem()
        if item is None:
            return
        attachment = next((a for a in attachments.attachments_for(self.current)
                           if a.id == item.data(ATTACHMENT_ROLE)), None) if self.current else None
        if attachment is None:
            return
        chosen = ask_save_path(self, "Save a copy of the evidence", attachment.file_name)
        if chosen is None:
            return
        try:
            where = attachments.save_copy(attachment, chosen)
        except (ValidationError, OSError) as error:
            text = problems_text(error) if isinstance(error, ValidationError) else str(error)
            show_problem(self.evidence_problem, f"Could not save the copy: {text}")
            return
        self.status_message.emit(f"Saved a copy of {attachment.file_name} to {where}")

    # --- Nonconformity ----------------------------------------------------------------------

    def raise_or_open_nonconformity(self) -> None:
        finding = self.current
        if finding is None:
            return
        if finding.nonconformity_id is not None:
            self.open_record.emit(NONCONFORMITIES_SCREEN, str(finding.nonconformity_id))
            return
        if not self.save_answer():
            return
        try:
            nc = audits.raise_nonconformity(finding)
        except ValidationError as error:
            self._show_message(problems_text(error), warning=True)
            return
        self._update_outcome_and_nc()
        self._update_list_item(self._index)
        self.status_message.emit(f"Raised {nc.reference} from Q{finding.position}.")
        self.changed.emit()

    # --- Whole audit ------------------------------------------------------------------------

    def copy_template(self) -> None:
        if self._audit is None or self._is_closed():
            return
        dialog = CopyTemplateDialog(self._audit, self)
        open_dialog(self, dialog, self._copy_chosen)

    def _copy_chosen(self, dialog: CopyTemplateDialog) -> None:
        template = dialog.template()
        if template is None or self._audit is None:
            return
        try:
            created = audits.copy_template_into_audit(template, self._audit)
        except ValidationError as error:
            self._show_message(problems_text(error), warning=True)
            return
        self._read_findings()
        if created:
            first = next(i for i, f in enumerate(self._findings) if f.id == created[0].id)
            self._show(first)
            self.status_message.emit(
                f"Copied {plural(len(created), 'question')} from {template.name}.")
        else:
            self._show(max(self._index, 0))
            self._show_message(f"Every question of {template.name} is already in the audit.")
        self.changed.emit()

    def add_question(self) -> None:
        if self._audit is None or self._is_closed():
            return
        dialog = QuestionDialog("Add a question to the audit", self,
                                clause=self._audit.clause or "")
        open_dialog(self, dialog, self._question_written)

    def _question_written(self, dialog: QuestionDialog) -> None:
        if self._audit is None:
            return
        if not self.save_answer():
            return
        try:
            finding = audits.add_question(self._audit, **dialog.values())
        except ValidationError as error:
            self._show_message(problems_text(error), warning=True)
            return
        self._read_findings()
        self._show(next(i for i, f in enumerate(self._findings) if f.id == finding.id))
        self.changed.emit()

    def complete(self) -> None:
        """Complete the audit, or say how many questions still need an answer."""
        if self._audit is None or self._is_closed():
            return
        if not self.save_answer():
            return
        waiting = audits.unanswered(self._audit)
        if not self._findings:
            self._show_message("Not completed: the audit has no questions yet. Copy a "
                               "checklist template or add questions first.", warning=True)
            return
        if waiting:
            listed = ", ".join(f"Q{f.position}" for f in waiting[:5])
            more = " …" if len(waiting) > 5 else ""
            self._show_message(
                f"Not completed: {plural(len(waiting), 'question')} not answered yet "
                f"({listed}{more}). Answer every question first.", warning=True)
            first = next(i for i, f in enumerate(self._findings) if f.id == waiting[0].id)
            self._show(first)
            return
        dialog = CompleteAuditDialog(self._audit, self)
        open_dialog(self, dialog, self._completed)

    def _completed(self, _dialog: CompleteAuditDialog) -> None:
        self.reload()
        self._show_message("The audit is complete. Its checklist is closed; findings can "
                           "still raise nonconformities.")
        self.status_message.emit(f"Completed “{self._audit.title}”." if self._audit else "")
        self.changed.emit()

    def export_blank_checklist(self) -> Path | None:
        return self._export("Blank checklist", write_blank_checklist, "checklist")

    def export_report(self) -> Path | None:
        return self._export("Audit report", write_audit_report, "report")

    def _export(self, what: str, write: Callable[[Path, Audit], object],
                suffix: str) -> Path | None:
        if self._audit is None or not self.save_answer():
            return None
        name = safe_file_name(f"{self._audit.title} {suffix}")
        chosen = ask_save_path(self, f"Save the {what.lower()}", f"{name}.pdf", "PDF (*.pdf)")
        if chosen is None:
            return None
        path = pdf_path(str(chosen))
        try:
            write(path, self._audit)
        except OSError as error:
            self._show_message(f"Could not write {path}: {error.strerror or error}",
                               warning=True)
            return None
        self.status_message.emit(f"Saved the {what.lower()} to {path}")
        return path

    # --- Events -----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.notes_edit:
                if event.key() == Qt.Key.Key_Escape:
                    self._focus_outcome()
                    return True
                if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                    event.modifiers() & Qt.KeyboardModifier.ControlModifier
                ):
                    self.save_answer()
                    return True
                # Page keys and Alt+arrows move on; digits are typed.
                if event.key() in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) or (
                    event.modifiers() & Qt.KeyboardModifier.AltModifier
                ):
                    return self._handle_key(event)
                return False
            if self._handle_key(event):
                return True
        return super().eventFilter(watched, event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self.current is None:
            return False
        if modifiers == Qt.KeyboardModifier.NoModifier and key in OUTCOME_KEYS:
            self.choose_outcome(OUTCOME_KEYS[key])
            return True
        alt = modifiers == Qt.KeyboardModifier.AltModifier
        if key == Qt.Key.Key_PageDown or (alt and key == Qt.Key.Key_Right):
            self.next_question()
            return True
        if key == Qt.Key.Key_PageUp or (alt and key == Qt.Key.Key_Left):
            self.previous_question()
            return True
        return False

    # --- Helpers ----------------------------------------------------------------------------

    def _is_closed(self) -> bool:
        return self._audit is None or self._audit.status in (audits.DONE, audits.CANCELLED)

    def _read_findings(self) -> None:
        self._findings = audits.findings(self._audit) if self._audit is not None else []
        self._fill_list()

    def _fill_list(self) -> None:
        blocked = self.question_list.blockSignals(True)
        try:
            self.question_list.clear()
            for index in range(len(self._findings)):
                self.question_list.addItem(QListWidgetItem())
                self._update_list_item(index)
            self._select_list_row(self._index)
        finally:
            self.question_list.blockSignals(blocked)

    def _update_list_item(self, index: int) -> None:
        item = self.question_list.item(index)
        if item is None:
            return
        finding = self._findings[index]
        finding_now = Finding.get_by_id(finding.id)
        self._findings[index] = finding_now
        outcome = audits.OUTCOME_LABELS.get(finding_now.outcome, finding_now.outcome)
        mark = "○" if finding_now.outcome == audits.UNANSWERED else "●"
        clause = f" · {finding_now.clause}" if finding_now.clause else ""
        question = finding_now.question
        if len(question) > 70:
            question = question[:69].rstrip() + "…"
        nc = ""
        if finding_now.nonconformity_id is not None:
            nc = f"  → {Nonconformity.get_by_id(finding_now.nonconformity_id).reference}"
        item.setText(f"Q{finding_now.position}{clause}  {mark} {outcome}{nc}\n{question}")
        item.setData(FINDING_ROLE, finding_now.id)
        item.setToolTip(finding_now.question)
        hue = OUTCOME_HUES.get(finding_now.outcome)
        # The widget's own palette: on a palette change it is updated before the list's.
        palette = self.palette()
        if hue:
            item.setBackground(tint(palette, hue, 0.22 if is_dark(palette) else 0.12))
            item.setForeground(palette.color(QPalette.ColorRole.Text))
        else:
            item.setData(Qt.ItemDataRole.BackgroundRole, None)
            item.setData(Qt.ItemDataRole.ForegroundRole, None)

    def _select_list_row(self, index: int) -> None:
        blocked = self.question_list.blockSignals(True)
        try:
            self.question_list.setCurrentRow(index)
        finally:
            self.question_list.blockSignals(blocked)

    def _list_row_changed(self, row: int) -> None:
        if row >= 0:
            self.go_to(row)

    def _outcome_chosen(self) -> str | None:
        finding = self.current
        if self._pending is not None:
            return self._pending
        return finding.outcome if finding is not None else None

    def _put_outcome(self, outcome: str | None) -> None:
        self._pending = outcome
        self._check_outcome(outcome or audits.UNANSWERED)

    def _show_theirs(self, finding: Finding) -> None:
        self._show(self._index)
        self._update_list_item(self._index)

    def _show(self, index: int) -> None:
        self._index = index
        self._pending = None
        self.changed_choice.clear()
        self._update_header()
        finding = self.current
        if self._audit is None:
            self.empty_label.setText("No audit chosen. Select an audit in the Programme tab "
                                     "and press Run audit.")
            self.stack.setCurrentWidget(self.empty_label)
            return
        if finding is None:
            self.empty_label.setText(
                "This audit has no questions yet.\nPress Copy template… to copy a checklist "
                "into it, or Add question… to write your own."
                if not (self._is_closed() or self.write_refusal)
                else "This audit has no questions.")
            self.stack.setCurrentWidget(self.empty_label)
            return
        self.stack.setCurrentWidget(self.splitter)
        self._select_list_row(index)
        self.question_list.scrollToItem(self.question_list.item(index))
        self._loading = True
        try:
            self.position_label.setText(f"Question {index + 1} of {len(self._findings)}")
            self.clause_label.setText(f"·  Clause {finding.clause}" if finding.clause else "")
            self.question_label.setText(finding.question)
            self.guidance_label.setText(finding.guidance or "—")
            self.notes_edit.setPlainText(finding.notes or "")
        finally:
            self._loading = False
        self.guidance_caption.setVisible(bool(finding.guidance))
        self.guidance_label.setVisible(bool(finding.guidance))
        show_problem(self.notes_problem, "")
        show_problem(self.evidence_problem, "")
        self._update_outcome_and_nc()
        self._fill_evidence()
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self._findings) - 1)
        closed = self._is_closed()
        for button in self.outcome_buttons.values():
            button.setEnabled(not closed)
        show_read_only(self.notes_edit, closed or bool(self.write_refusal))
        self.attach_button.setEnabled(not closed)

    def _check_outcome(self, outcome: str) -> None:
        button = self.outcome_buttons.get(outcome)
        if button is None:
            # An unanswered question: no button stays pressed.
            self.outcome_group.setExclusive(False)
            for each in self.outcome_buttons.values():
                each.setChecked(False)
            self.outcome_group.setExclusive(True)
        else:
            button.setChecked(True)

    def _update_outcome_and_nc(self) -> None:
        finding = self.current
        if finding is None:
            return
        finding = Finding.get_by_id(finding.id)
        self._findings[self._index] = finding
        self._check_outcome(self._pending if self._pending is not None else finding.outcome)
        when = finding.answered_at
        self.answered_label.setText(
            f"Answered by {finding.answered_by or 'someone'}, {formatting.timestamp(when)} UTC"
            if when is not None and finding.outcome != audits.UNANSWERED else "")
        if finding.nonconformity_id is not None:
            reference = Nonconformity.get_by_id(finding.nonconformity_id).reference
            self.nc_button.setText(f"Open {reference}")
            self.nc_button.setAccessibleName(f"Open nonconformity {reference}")
            self.nc_button.setToolTip("Show it in the Nonconformities screen")
            self.nc_label.setText(f"Raised {reference} from this finding.")
            self.nc_row.show()
        elif finding.outcome in audits.NONCONFORMING:
            self.nc_button.setText("Raise n&onconformity")
            self.nc_button.setAccessibleName("Raise nonconformity")
            self.nc_button.setToolTip("Record it as a nonconformity to correct, linked to this "
                                      "finding")
            self.nc_label.setText("A minor or major nonconformity is corrected through a "
                                  "nonconformity record (10.2).")
            self.nc_row.show()
        else:
            self.nc_row.hide()

    def _fill_evidence(self) -> None:
        self.evidence_list.clear()
        finding = self.current
        found = attachments.attachments_for(finding) if finding is not None else []
        for attachment in found:
            item = QListWidgetItem(f"{attachment.file_name}  ({_size(attachment.size)})")
            item.setData(ATTACHMENT_ROLE, attachment.id)
            self.evidence_list.addItem(item)
        self.evidence_list.setVisible(bool(found))
        self.evidence_empty.setVisible(not found)
        if found:
            self.evidence_list.setCurrentRow(0)
        self._update_evidence_buttons()

    def _update_evidence_buttons(self) -> None:
        self.save_copy_button.setEnabled(self.evidence_list.currentItem() is not None)

    def _notes_edited(self) -> None:
        if self._loading:
            return
        if not self.notes_problem.isHidden() and self.notes_edit.toPlainText().strip():
            show_problem(self.notes_problem, "")

    def _focus_outcome(self) -> None:
        finding = self.current
        outcome = self._pending or (finding.outcome if finding else "")
        button = self.outcome_buttons.get(outcome) or self.outcome_buttons["conforms"]
        button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _update_header(self) -> None:
        audit = self._audit
        has_audit = audit is not None
        for widget in (self.copy_button, self.add_question_button, self.complete_button):
            widget.setEnabled(has_audit and not self._is_closed())
        for widget in (self.blank_pdf_button, self.report_pdf_button):
            widget.setEnabled(has_audit)
        self.progress_bar.setVisible(has_audit and bool(self._findings))
        if audit is None:
            self.title_label.setText("No audit chosen")
            self.status_chip.hide()
            self.meta_label.setText("")
            self.progress_label.setText("")
            return
        title = audit.title if len(audit.title) <= 70 else audit.title[:69].rstrip() + "…"
        self.title_label.setText(title)
        self.title_label.setToolTip(audit.title)
        state = dict(AUDIT_STATES).get(audit.status, audit.status)
        self.status_chip.setText(state)
        # The style sheet's padding is not in the label's cached size hint: size it here.
        self.status_chip.setFixedWidth(self.status_chip.fontMetrics().horizontalAdvance(state)
                                       + 28)
        self.status_chip.setStyleSheet(chip_style(self.palette(),
                                                  STATUS_HUES.get(audit.status, "#8a8a8a")))
        self.status_chip.show()
        parts = []
        if audit.process is not None:
            parts.append(f"Process: {audit.process.display_name()}")
        if audit.clause:
            parts.append(f"Clause {audit.clause}")
        parts.append(f"Auditor: {audit.auditor.display_name()}" if audit.auditor is not None
                     else "No auditor chosen")
        parts.append(f"Planned {formatting.short_date(audit.planned_on)}")
        if audit.held_on:
            parts.append(f"Held {formatting.short_date(audit.held_on)}")
        self.meta_label.setText("   ·   ".join(parts))
        total = len(self._findings)
        answered = sum(1 for f in self._findings if f.outcome != audits.UNANSWERED)
        self.progress_label.setText(f"{answered} of {total} answered" if total else
                                    "No questions yet")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(answered)

    def _show_message(self, text: str, warning: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setAccessibleDescription(text)
        self.message_frame.setProperty("warning", warning)
        self._style_message()
        self.message_frame.show()

    def _clear_message(self) -> None:
        self.message_label.clear()
        self.message_frame.hide()

    def _style_message(self) -> None:
        palette = self.palette()
        warning = bool(self.message_frame.property("warning"))
        hue = WARNING_HUE if warning else "#3b7dd8"
        self.message_frame.setStyleSheet(
            f"QFrame#auditMessage {{ background: {tint(palette, hue).name()}; "
            f"border: 1px solid {hue}; border-radius: 6px; }}")
        set_text_color(self.message_label, warning_color(palette) if warning
                       else palette.color(QPalette.ColorRole.WindowText))

    def _apply_colours(self) -> None:
        palette = self.palette()
        for label in self.findChildren(QLabel):
            if label.property("muted"):
                set_text_color(label, muted_color(palette))
            elif label.property("problem"):
                set_text_color(label, error_color(palette))
        set_text_color(self.clause_label, muted_color(palette))
        self.empty_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.empty_label.setAutoFillBackground(True)
        set_text_color(self.empty_label, muted_color(palette))
        button_ground = palette.color(QPalette.ColorRole.Button).name()
        border = muted_color(palette).name()
        text = palette.color(QPalette.ColorRole.ButtonText).name()
        focus = palette.color(QPalette.ColorRole.Highlight).name()
        for key, button in self.outcome_buttons.items():
            hue = OUTCOME_HUES[key]
            checked = tint(palette, hue, 0.3 if is_dark(palette) else 0.22).name()
            button.setStyleSheet(
                f"QPushButton {{ background: {button_ground}; color: {text}; "
                f"border: 1px solid {border}; border-radius: 6px; padding: 6px 10px; "
                f"font-weight: 600; }}"
                f"QPushButton:hover {{ border-color: {hue}; }}"
                f"QPushButton:focus {{ border: 2px solid {focus}; }}"
                f"QPushButton:checked {{ background: {checked}; "
                f"border: 2px solid {hue}; }}"
                f"QPushButton:disabled {{ color: {border}; }}"
            )
        if self.message_frame.isVisible():
            self._style_message()
        if self._audit is not None:
            self._update_header()
        for index in range(self.question_list.count()):
            self._update_list_item(index)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
