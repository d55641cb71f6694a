"""The quality policy (5.2): write a draft, check it against 5.2.1, approve it, and keep track
of who was told and who acknowledged it (5.2.2, 7.3).

The versions are listed on the left; the chosen one is shown on the right. A draft is edited
in place; approved and superseded versions are read-only. The rules (one draft at a time,
what may be approved, what counts as acknowledged) live in `qms_desktop.policy`; this screen
only arranges them.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import policy
from qms_desktop.clauses import POLICY_POINTS, PolicyPoint
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.models import Communication, Document, DocumentVersion, PolicyCheck
from qms_desktop.reports.policy_pdf import write_policy_pdf
from qms_desktop.text import plural
from ui.kit.controlled_document import ControlledDocumentScreen
from ui.kit.permission import hold_refused, write_refusal
from ui.kit.record_changed import ChangedBar, ChangesDialog, Difference, stored_now
from ui.kit.save_dialog import ask_save_path
from ui.kit.text import long_date, short_date
from ui.kit.theme import (
    colored,
    error_color,
    muted_color,
    set_text_color,
    show_read_only,
    success_color,
)
from ui.kit.widgets import (
    bold,
    muted_label,
    problem_label,
    problems_text,
    setup_readonly_table,
    show_problem,
)
from ui.screens.policy.policy_dialogs import (
    METHOD_LABELS,
    AcknowledgementDialog,
    ApproveDialog,
    CommunicationDialog,
    CompareDialog,
)

DESCRIPTION = (
    "What the business commits to on quality. It must suit your purpose and strategy, give a "
    "frame for quality objectives, and commit to meeting requirements and to continual "
    "improvement. People must know it."
)
READ_ONLY_NOTE = (
    "Approved versions cannot be edited. Start a new draft to change the policy."
)
EXAMPLE_POLICY = (
    "Write the policy in plain words, for example:\n\n"
    "At Example Ltd we repair and service industrial pumps for customers in the region.\n"
    "We set yearly quality objectives for on-time delivery and first-time fix.\n"
    "We meet our customers' requirements and the laws that apply to our work.\n"
    "We keep improving how we work, and we listen to our customers and our staff."
)
TEXT_TAB, AWARENESS_TAB = 0, 1


# --- One 5.2.1 point -------------------------------------------------------------------------


class PointRow(QFrame):
    """A 5.2.1 point: met or not, and the sentence of the policy that meets it."""

    def __init__(self, point: PolicyPoint, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.point = point
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(point.title)
        self.check = QCheckBox(point.title)
        self.check.setToolTip(point.question)
        self.check.setAccessibleName(point.title)
        self.check.setAccessibleDescription(point.question)
        bold(self.check)
        self.question_label = muted_label(point.question)
        small = QFont(self.question_label.font())
        small.setPointSizeF(small.pointSizeF() * 0.92)
        self.question_label.setFont(small)
        self.evidence_label = QLabel()
        self.evidence_label.setWordWrap(True)
        self.evidence_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.evidence_label.setAccessibleName(f"Sentence that meets “{point.title}”")
        self.link_button = QPushButton("Link selected sentence")
        self.link_button.setAccessibleName(f"Link selected sentence to “{point.title}”")
        self.unlink_button = QPushButton("Unlink")
        self.unlink_button.setAccessibleName(f"Unlink the sentence from “{point.title}”")
        self.unlink_button.setToolTip("Remove the linked sentence (the text stays as it is)")
        self.error_label = problem_label()
        # A tick or link refused over someone else's change of this point: Reload, Compare.
        self.changed_bar = ChangedBar()
        self.changed_bar.setAccessibleName(f"“{point.title}” changed by someone else")

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.unlink_button)
        buttons.addStretch(1)
        self.buttons_row = QWidget()
        self.buttons_row.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(3)
        layout.addWidget(self.check)
        layout.addWidget(self.question_label)
        layout.addWidget(self.evidence_label)
        layout.addWidget(self.buttons_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.changed_bar)

    def show_evidence(self, evidence: str) -> None:
        if evidence:
            self.evidence_label.setText(f"“{evidence}”")
            font = QFont(self.font())
            font.setItalic(True)
            self.evidence_label.setFont(font)
            set_text_color(self.evidence_label, self.palette().color(QPalette.ColorRole.Text))
        else:
            self.evidence_label.setText("No sentence linked yet.")
            self.evidence_label.setFont(self.font())
            set_text_color(self.evidence_label, muted_color(self.palette()))


class TextAndCheck(QSplitter):
    """The policy text beside the 5.2.1 check where both have room, the check under the text
    where not (a 1024-wide window): the text is never squeezed to a narrow column."""

    COMFORTABLE_TEXT_WIDTH = 450

    def __init__(self, text: QWidget, check: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setChildrenCollapsible(False)
        self.addWidget(text)
        self.addWidget(check)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self._width_for_both = (self.COMFORTABLE_TEXT_WIDTH + check.minimumWidth()
                                + self.handleWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        beside = event.size().width() >= self._width_for_both
        orientation = Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical
        if orientation != self.orientation():
            self.setOrientation(orientation)
            room = event.size().width() if beside else event.size().height()
            # The text first: under it, the check takes what the text can spare.
            self.setSizes([room * 3 // 5, room * 2 // 5] if beside
                          else [room * 2 // 3, room // 3])
        super().resizeEvent(event)


# --- The screen ------------------------------------------------------------------------------


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = (
    "document", "document_version", "communication", "acknowledgement", "policy_check",
    "person", "role", "person_role",
)


class PolicyScreen(ControlledDocumentScreen):
    """Versions of the quality policy, the chosen one's text and checks, and its awareness."""

    TITLE = "Quality policy"
    CLAUSE = "Clause 5.2"
    SCREEN_NAME = "Quality policy"
    DESCRIPTION = DESCRIPTION
    ABOUT_NAME = "About the quality policy"
    IN_FORCE_NAME = "Policy in force"
    STATUS_NAME = "Status of the policy"
    VERSIONS_NAME = "Versions of the policy"
    EMPTY_HEADING = "No quality policy yet"
    EMPTY_TEXT = (
        "Write your policy in plain words, tick the four points ISO 9001 asks a policy "
        "to meet, and have top management approve it. Then record how you told your "
        "people and who has read it."
    )
    EMPTY_ICON = "policy"
    FIRST_BUTTON_TEXT = "&Write the first policy"
    READ_ONLY_NOTE = READ_ONLY_NOTE
    SHOWN_TABLES = SHOWN_TABLES
    EDIT_FIELDS = (("body", ""), ("change_summary", "What changed"))

    # --- Building -------------------------------------------------------------------------

    def _build_detail(self) -> QWidget:
        self.version_meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._build_text_tab()
        self._build_awareness_tab()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Version details")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.text_tab, "Text and 5.2.1 check")
        self.tabs.addTab(self.awareness_tab, "Communication and awareness")
        return self.tabs

    def _add_to_header(self, title_row: QHBoxLayout, status_row: QHBoxLayout) -> None:
        self.awareness_button = QPushButton()
        self.awareness_button.setFlat(True)
        self.awareness_button.setAccessibleName("People who have not acknowledged the policy")
        self.awareness_button.setToolTip("Show who has and has not acknowledged it")
        self.awareness_button.setCursor(Qt.CursorShape.PointingHandCursor)
        bold(self.awareness_button)
        status_row.addWidget(self.awareness_button)

        self.compare_button = QPushButton("Co&mpare…")
        self.compare_button.setAccessibleName("Compare versions")
        self.export_button = QPushButton("E&xport PDF…")
        self.export_button.setAccessibleName("Export PDF")
        title_row.addWidget(self.compare_button)
        title_row.addWidget(self.export_button)

    def _build_text_tab(self) -> None:
        self._build_editor("Policy text", EXAMPLE_POLICY)
        editor_font = QFont(self.editor.font())
        editor_font.setPointSizeF(editor_font.pointSizeF() * 1.1)
        self.editor.setFont(editor_font)
        text_label = QLabel("Policy &text")
        text_label.setBuddy(self.editor)

        self.summary_edit = QLineEdit()
        self.summary_edit.setAccessibleName("What changed")
        self.summary_edit.setPlaceholderText("One line, e.g. “Added our commitment to safety”")
        summary_label = QLabel("What chan&ged")
        summary_label.setBuddy(self.summary_edit)

        self._build_edit_actions("&Save", "Save draft")

        summary_row = QHBoxLayout()
        summary_row.setSpacing(8)
        summary_row.addWidget(summary_label)
        summary_row.addWidget(self.summary_edit, 1)

        text_column = QWidget()
        text_layout = QVBoxLayout(text_column)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.setSpacing(6)
        text_layout.addWidget(text_label)
        text_layout.addWidget(self.editor, 1)
        text_layout.addWidget(self.body_error)
        text_layout.addLayout(summary_row)
        text_layout.addWidget(self.edit_actions)

        check_title = bold(QLabel("5.2.1 check"))
        self.check_intro = muted_label(
            "Tick each point the policy meets. To show where, select the sentence in the text "
            "and link it: auditors look for it."
        )
        self.point_rows: dict[str, PointRow] = {}
        self._read_checks: dict[str, PolicyCheck] = {}
        # Each refused point: the refusal, and the tick and sentence asked for.
        self._refused_checks: dict[str, tuple[RecordChanged, bool, str]] = {}
        self.check_compare_dialog: ChangesDialog | None = None
        check_body = QWidget()
        check_layout = QVBoxLayout(check_body)
        check_layout.setContentsMargins(0, 0, 6, 0)
        check_layout.setSpacing(8)
        check_layout.addWidget(check_title)
        check_layout.addWidget(self.check_intro)
        for point in POLICY_POINTS:
            row = PointRow(point)
            self.point_rows[point.key] = row
            check_layout.addWidget(row)
        check_layout.addStretch(1)
        self.check_scroll = QScrollArea()
        self.check_scroll.setWidget(check_body)
        self.check_scroll.setWidgetResizable(True)
        self.check_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.check_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # As wide as a point's buttons need (no sideways scrolling), no wider: a 1024-wide
        # window has the text beside it.
        self.check_scroll.setMinimumWidth(
            check_body.minimumSizeHint().width()
            + self.check_scroll.verticalScrollBar().sizeHint().width())
        self.check_scroll.setAccessibleName("5.2.1 check")

        self.text_tab = TextAndCheck(text_column, self.check_scroll)

    def _build_awareness_tab(self) -> None:
        self.awareness_tab = QWidget()
        self.awareness_tab.setAccessibleName("Communication and awareness")
        self.awareness_headline = bold(QLabel(), 1.25)
        self.awareness_headline.setAccessibleName("Acknowledgement count")
        self.awareness_headline.setWordWrap(True)
        self.awareness_intro = muted_label(
            "Auditors ask who knows the policy (7.3). Record how it was communicated and who "
            "has read and understood it; a new version needs new acknowledgements."
        )

        self.communications_label = bold(QLabel("Communications"))
        self.communication_button = QPushButton("Record &communication…")
        self.communication_button.setAccessibleName("Record communication")
        self.communications_table = QTableWidget(0, 4)
        self.communications_table.setHorizontalHeaderLabels(["How", "When", "Who was told", "By"])
        setup_readonly_table(self.communications_table, "Communications",
                             stretch_last=False, single_selection=False, word_wrap=True)
        header = self.communications_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.communications_table.setMaximumHeight(150)
        self.no_communications_label = muted_label(
            "Nothing recorded yet: note the meeting, e-mail or notice board where people "
            "were told about this version."
        )
        communications_row = QHBoxLayout()
        communications_row.addWidget(self.communications_label)
        communications_row.addStretch(1)
        communications_row.addWidget(self.communication_button)

        self.not_yet_label = bold(QLabel())
        self.not_yet_list = QTreeWidget()
        self.not_yet_list.setAccessibleName("Not yet acknowledged")
        self.not_yet_list.setHeaderLabels(["Name", "Job title"])
        self.not_yet_list.setRootIsDecorated(False)
        self.not_yet_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.not_yet_list.setToolTip(
            "Select people here to tick them in “Record acknowledgement…”"
        )
        self.not_yet_label.setBuddy(self.not_yet_list)
        self.acknowledge_button = QPushButton("Record &acknowledgement…")
        self.acknowledge_button.setAccessibleName("Record acknowledgement")

        self.done_label = bold(QLabel())
        self.done_list = QTreeWidget()
        self.done_list.setAccessibleName("Acknowledged")
        self.done_list.setHeaderLabels(["Name", "Acknowledged on"])
        self.done_list.setRootIsDecorated(False)
        self.done_label.setBuddy(self.done_list)
        for tree in (self.not_yet_list, self.done_list):
            tree.setAlternatingRowColors(True)
            tree.header().setStretchLastSection(False)
            tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        not_yet_column = QVBoxLayout()
        not_yet_column.setSpacing(6)
        not_yet_column.addWidget(self.not_yet_label)
        not_yet_column.addWidget(self.not_yet_list, 1)
        not_yet_buttons = QHBoxLayout()
        not_yet_buttons.addStretch(1)
        not_yet_buttons.addWidget(self.acknowledge_button)
        not_yet_column.addLayout(not_yet_buttons)
        done_column = QVBoxLayout()
        done_column.setSpacing(6)
        done_column.addWidget(self.done_label)
        done_column.addWidget(self.done_list, 1)
        done_column.addSpacing(self.acknowledge_button.sizeHint().height() + 6)
        lists = QHBoxLayout()
        lists.setSpacing(16)
        lists.addLayout(not_yet_column, 1)
        lists.addLayout(done_column, 1)

        layout = QVBoxLayout(self.awareness_tab)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.awareness_headline)
        layout.addWidget(self.awareness_intro)
        layout.addSpacing(6)
        layout.addLayout(lists, 3)
        layout.addSpacing(6)
        layout.addLayout(communications_row)
        layout.addWidget(self.communications_table, 1)
        layout.addWidget(self.no_communications_label)

    def _connect(self) -> None:
        super()._connect()
        self.editor.selectionChanged.connect(self._update_link_buttons)
        self.summary_edit.textChanged.connect(self._update_dirty)
        self.compare_button.clicked.connect(self.open_compare_dialog)
        self.export_button.clicked.connect(self.export_pdf)
        self.awareness_button.clicked.connect(self.show_awareness_of_policy_in_force)
        self.communication_button.clicked.connect(self.open_communication_dialog)
        self.acknowledge_button.clicked.connect(self.open_acknowledgement_dialog)
        self.tabs.currentChanged.connect(lambda _index: self._update_link_buttons())
        for key, row in self.point_rows.items():
            row.check.toggled.connect(partial(self._point_ticked, key))
            row.link_button.clicked.connect(partial(self.link_selected_sentence, key))
            row.unlink_button.clicked.connect(partial(self._unlink, key))
            # A role that may only read: the line under the status says why.
            hold_refused(self.write_refusal, row.check, row.link_button, row.unlink_button)
            row.changed_bar.reload_requested.connect(partial(self.reload_their_check, key))
            row.changed_bar.compare_requested.connect(partial(self.compare_check, key))
        hold_refused(write_refusal("communication"), self.communication_button)
        hold_refused(write_refusal("acknowledgement"), self.acknowledge_button)

    def _muted_labels(self) -> tuple[QLabel, ...]:
        return (self.check_intro, self.awareness_intro, self.no_communications_label)

    # --- Loading ----------------------------------------------------------------------------

    def _read_document(self, create: bool) -> Document | None:
        return policy.policy_document(create=create)

    def _start_draft(self, document: Document) -> DocumentVersion:
        return policy.start_draft(document)

    def _edits_of(self, version: DocumentVersion) -> tuple[str, ...]:
        return (version.body, version.change_summary)

    def _current_edits(self) -> tuple[str, ...]:
        return (self.editor.toPlainText(), self.summary_edit.text())

    def _put_edits(self, edits: tuple[str, ...]) -> None:
        self.editor.setPlainText(edits[0])
        self.summary_edit.setText(edits[1])

    def _superseded_when(self, version: DocumentVersion, until: date | None) -> str:
        return f"{short_date(version.approved_at)} – {short_date(until)}"

    def _version_tooltip(self, version: DocumentVersion, when: str) -> str:
        return version.change_summary or when

    def _show_details(self, version: DocumentVersion, draft: bool) -> None:
        show_read_only(self.summary_edit, not draft or bool(self.write_refusal))
        self._show_checks()
        self._show_awareness()

    def _version_meta(self, version: DocumentVersion) -> str:
        parts = []
        if version.status == "draft":
            parts.append(f"Draft started {long_date(version.created_at)}, last saved "
                         f"{long_date(version.updated_at)}. Not in force until approved.")
        else:
            who = version.approved_by.full_name if version.approved_by else "unknown"
            top = " (top management)" if version.approved_by_top_management else \
                " (not top management)"
            line = f"Approved {long_date(version.approved_at)} by {who}{top}."
            if version.change_summary:
                line += f" What changed: {version.change_summary}"
            parts.append(line)
            if version.approval_note:
                parts.append("Approval note: " + version.approval_note.replace("\n", " · "))
        return "\n".join(parts)

    def _show_checks(self) -> None:
        version = self._shown
        if version is None:
            return
        draft = version.status == "draft"
        answered = policy.checks(version)
        # As shown, with their row versions: a tick or link over someone else's change of
        # a point since is refused (policy.set_check), and its bar offers theirs.
        self._read_checks = answered
        self._refused_checks.clear()
        self._loading = True
        for key, row in self.point_rows.items():
            row.changed_bar.hide()
            check = answered.get(key)
            row.check.setChecked(bool(check and check.met))
            row.check.setEnabled(draft)
            row.show_evidence(check.evidence if check else "")
            row.unlink_button.setVisible(bool(check and check.evidence))
            row.buttons_row.setVisible(draft)
            show_problem(row.error_label, "")
        self._loading = False
        unmet = policy.unmet_points(version)
        self.check_intro.setText(
            "Tick each point the policy meets. To show where, select the sentence in the text "
            "and link it: auditors look for it." if draft else
            ("All four 5.2.1 points were met." if not unmet else
             "Approved with unmet points: " + "; ".join(p.title for p in unmet) + ".")
        )
        self._update_link_buttons()

    def _published_version(self) -> DocumentVersion | None:
        """The version people are told about and that is exported: the one shown when it has
        been approved, else (for a draft) the one in force."""
        if self._shown is not None and self._shown.status != "draft":
            return self._shown
        return policy.in_force(self._document) if self._document else None

    def _show_awareness(self) -> None:
        version = self._published_version()
        self.tabs.setTabEnabled(AWARENESS_TAB, version is not None)
        if version is None:
            self.tabs.setTabText(AWARENESS_TAB, "Communication and awareness")
            self.tabs.setTabToolTip(
                AWARENESS_TAB, "A draft is not communicated: approve it first."
            )
            return
        not_yet = policy.not_acknowledged(version)
        done = policy.acknowledged_by(version)
        suffix = f" of version {version.number}" if version.id != getattr(
            self._shown, "id", None) else ""
        self.tabs.setTabText(
            AWARENESS_TAB, f"Communication and awareness{suffix} ({len(not_yet)} not yet)"
        )
        self.tabs.setTabToolTip(AWARENESS_TAB, f"Who was told about version {version.number} "
                                               "and who has acknowledged it")
        palette = self.palette()
        if not_yet:
            self.awareness_headline.setText(
                f"{plural(len(not_yet), 'person has', 'people have')} not acknowledged "
                f"version {version.number} yet"
            )
            colored(self.awareness_headline, error_color(palette))
        elif done:
            self.awareness_headline.setText(
                f"Everyone has acknowledged version {version.number}"
            )
            colored(self.awareness_headline, success_color(palette))
        else:
            self.awareness_headline.setText(
                "Nobody to ask yet: add the people of your organisation first"
            )
            colored(self.awareness_headline, muted_color(palette))

        self.not_yet_label.setText(f"Not yet acknowledged ({len(not_yet)})")
        self.not_yet_list.clear()
        for person in not_yet:
            item = QTreeWidgetItem([person.full_name, person.job_title])
            item.setData(0, Qt.ItemDataRole.UserRole, person.id)
            self.not_yet_list.addTopLevelItem(item)
        colored(self.not_yet_label, error_color(palette) if not_yet else
                palette.color(QPalette.ColorRole.WindowText))
        self.done_label.setText(f"Acknowledged ({len(done)})")
        self.done_list.clear()
        for ack in done:
            item = QTreeWidgetItem([ack.person.full_name, long_date(ack.acknowledged_on)])
            self.done_list.addTopLevelItem(item)
        self.acknowledge_button.setEnabled(bool(not_yet))
        self.acknowledge_button.setToolTip(
            "Tick the people who have read it, with the date" if not_yet
            else "Everyone listed has already acknowledged this version"
        )

        communications = list(
            Communication.live()
            .where(Communication.version == version)
            .order_by(Communication.communicated_on.desc())
        )
        self.communications_label.setText(f"Communications ({len(communications)})")
        self.communications_table.setRowCount(len(communications))
        for row, sent in enumerate(communications):
            values = [
                METHOD_LABELS.get(sent.method, sent.method),
                long_date(sent.communicated_on),
                sent.audience,
                sent.communicated_by.full_name if sent.communicated_by else "",
            ]
            for column, value in enumerate(values):
                self.communications_table.setItem(row, column, QTableWidgetItem(value))
        self.communications_table.setVisible(bool(communications))
        self.no_communications_label.setVisible(not communications)
        self.communication_button.setToolTip(
            f"Note how and when version {version.number} was communicated"
        )

    def _update_header(self) -> None:
        force = policy.in_force(self._document) if self._document else None
        draft = policy.current_draft(self._document) if self._document else None
        all_versions = self.version_list.count()
        if force is not None:
            who = force.approved_by.full_name if force.approved_by else "unknown"
            role = "top management" if force.approved_by_top_management else \
                "not top management"
            text = (f"Version {force.number} in force since {long_date(force.approved_at)}, "
                    f"approved by {who} ({role})")
            if draft is not None:
                text += f". Version {draft.number} is a draft."
            self.status_label.setText(text)
            missing = len(policy.not_acknowledged(force))
            self.awareness_button.setText(
                f"{plural(missing, 'person has', 'people have')} not acknowledged it"
                if missing else "Everyone has acknowledged it"
            )
            button_palette = self.awareness_button.palette()
            colour = error_color(self.palette()) if missing else success_color(self.palette())
            button_palette.setColor(QPalette.ColorRole.ButtonText, colour)
            self.awareness_button.setPalette(button_palette)
            self.awareness_button.show()
        else:
            self.status_label.setText(
                f"No version is in force yet: version {draft.number} is a draft waiting for "
                "approval." if draft is not None else
                "No quality policy yet. Auditors start here: write one and have it approved."
            )
            self.awareness_button.hide()
        has_versions = all_versions > 0
        self.status_frame.setVisible(has_versions)
        self.compare_button.setVisible(has_versions)
        self.export_button.setVisible(has_versions)

        self.export_button.setEnabled(force is not None)
        export_version = self._published_version()
        self.export_button.setToolTip(
            f"Save version {export_version.number} as a one-page PDF for the notice board; "
            "print it from your PDF viewer" if export_version is not None else
            "No version is in force yet: approve the policy to export it"
        )
        self.compare_button.setEnabled(all_versions >= 2)
        self.compare_button.setToolTip(
            "Show two versions side by side" if all_versions >= 2
            else "Comparing needs at least two versions"
        )
        self._name_draft_buttons(draft)
        if draft is not None:
            self.new_draft_button.setToolTip(
                f"Version {draft.number} is already a draft; only one draft at a time (Ctrl+N)"
            )
            self.start_draft_button.setToolTip("Only one draft at a time: continue that one")
        else:
            self.new_draft_button.setToolTip(
                "Start a new version, copied from the one in force (Ctrl+N)"
            )
            self.start_draft_button.setToolTip("Copy this policy's text into a new draft")

    def _update_dirty(self) -> None:
        if self._loading:
            return
        super()._update_dirty()
        dirty = self.has_unsaved_changes()
        self.save_button.setToolTip("Save the draft (Ctrl+S)" if dirty else "Nothing to save")
        self._update_link_buttons()

    def _update_link_buttons(self) -> None:
        draft = self._shown is not None and self._shown.status == "draft"
        selected = self.editor.textCursor().hasSelection()
        for row in self.point_rows.values():
            row.link_button.setEnabled(draft and selected)
            row.link_button.setToolTip(
                f"Link the sentence selected in the policy text as meeting “{row.point.title}”"
                if selected else "Select a sentence in the policy text first"
            )

    # --- The interface the main window uses --------------------------------------------------

    def save(self) -> bool:
        """Save the draft's text and summary; True when something was saved."""
        version = self._saving_copy()
        if version is None or not self.has_unsaved_changes():
            return False
        links_before = {k: c.evidence for k, c in policy.checks(version).items() if c.evidence}
        try:
            policy.edit_draft(version, self.editor.toPlainText(), self.summary_edit.text().strip())
        except RecordChanged as refused:
            self._refused(refused)
            return False
        except ValidationError as error:
            message = problems_text(error)
            show_problem(self.body_error, message)
            self.status_message.emit(f"Not saved: {message}")
            return False
        self._saved_from(version)
        show_problem(self.body_error, "")
        self._saved_edits = self._edits_of(version)
        self.summary_edit.setText(version.change_summary)
        links_after = {k: c.evidence for k, c in policy.checks(version).items() if c.evidence}
        lost = [row.point.title for key, row in self.point_rows.items()
                if key in links_before and key not in links_after]
        self._show_checks()
        self.version_meta.setText(self._version_meta(version))
        self._update_dirty()
        message = f"Draft version {version.number} saved."
        if lost:
            message += (" The linked sentence is no longer in the text, so these points were "
                        "unticked: " + "; ".join(lost) + ".")
        self.status_message.emit(message)
        return True

    def _reveal_editor(self) -> None:
        self.tabs.setCurrentIndex(TEXT_TAB)

    # --- The 5.2.1 check ---------------------------------------------------------------------

    def _point_ticked(self, key: str, met: bool) -> None:
        if self._loading or self._shown is None:
            return
        row = self.point_rows[key]
        check = self._read_checks.get(key)
        evidence = check.evidence if check else ""
        try:
            written = policy.set_check(self._shown, key, met, evidence=evidence,
                                       read=self._read_checks)
        except RecordChanged as refused:
            self._check_refused(key, refused, met, evidence)
            return
        except ValidationError as error:
            show_problem(row.error_label, problems_text(error))
            self._loading = True
            row.check.setChecked(not met)
            self._loading = False
            return
        self._read_checks[key] = written
        self._refused_checks.pop(key, None)
        row.changed_bar.hide()
        show_problem(row.error_label, "")

    def link_selected_sentence(self, key: str) -> None:
        """Store the text selected in the editor as the sentence that meets `key`."""
        version = self._shown
        row = self.point_rows[key]
        if version is None:
            return
        sentence = self.editor.textCursor().selectedText().replace("\u2029", "\n").strip()
        if not sentence:
            show_problem(row.error_label, "Select a sentence in the policy text first.")
            return
        # The sentence must be in the saved text, so unsaved typing is saved first.
        if self.has_unsaved_changes() and not self.save():
            show_problem(row.error_label, "Save the text first (see the problem under it).")
            return
        try:
            policy.set_check(version, key, True, evidence=sentence, read=self._read_checks)
        except RecordChanged as refused:
            self._check_refused(key, refused, True, sentence)
            return
        except ValidationError as error:
            show_problem(row.error_label, problems_text(error))
            return
        self._show_checks()
        self.status_message.emit(f"Linked a sentence to “{row.point.title}”.")

    def _unlink(self, key: str) -> None:
        version = self._shown
        if version is None:
            return
        check = self._read_checks.get(key)
        met = bool(check and check.met)
        try:
            policy.set_check(version, key, met, evidence="", read=self._read_checks)
        except RecordChanged as refused:
            self._check_refused(key, refused, met, "")
            return
        except ValidationError as error:
            show_problem(self.point_rows[key].error_label,
                         problems_text(error))
            return
        self._show_checks()

    def _check_refused(self, key: str, refused: RecordChanged, met: bool,
                       evidence: str) -> None:
        """The point shows what was asked (ticked or not, the sentence) until the user
        chooses, with who changed it and when."""
        row = self.point_rows[key]
        self._refused_checks[key] = (refused, met, evidence)
        self._loading = True
        row.check.setChecked(met)
        self._loading = False
        row.show_evidence(evidence)
        row.unlink_button.setVisible(bool(evidence))
        show_problem(row.error_label, "")
        row.changed_bar.show_refusal(refused)
        self.status_message.emit(f"“{row.point.title}” not saved. {refused.message}")
        # Once the layout has made room for the bar: the check is short in a small window.
        QTimer.singleShot(0, partial(self.check_scroll.ensureWidgetVisible, row.changed_bar,
                                     0, 0))

    def check_differences(self, key: str) -> list[Difference]:
        """The point as asked beside the point as stored now."""
        refused = self._refused_checks.get(key)
        if refused is None:
            return []
        stored = stored_now(refused[0])
        theirs = (bool(stored.met), stored.evidence) if stored is not None else (False, "")
        found = []
        if refused[1] != theirs[0]:
            found.append(("Met", "Yes" if refused[1] else "No", "Yes" if theirs[0] else "No"))
        if refused[2] != theirs[1]:
            found.append(("Linked sentence", refused[2], theirs[1]))
        return found

    def compare_check(self, key: str) -> None:
        """My tick and sentence beside theirs; "Reload theirs" takes theirs."""
        self.check_compare_dialog = ChangesDialog.offer(
            self.check_differences(key), self, partial(self.reload_their_check, key))

    def reload_their_check(self, key: str) -> None:
        """Show the point as stored now; the next tick or link goes over it."""
        version, row = self._shown, self.point_rows[key]
        refused = self._refused_checks.pop(key, None)
        if version is None or refused is None:
            return
        theirs = stored_now(refused[0])
        self._read_checks.pop(key, None)
        if isinstance(theirs, PolicyCheck):
            self._read_checks[key] = theirs
        row.changed_bar.hide()
        self._loading = True
        row.check.setChecked(bool(theirs and theirs.met))
        self._loading = False
        row.show_evidence(theirs.evidence if theirs else "")
        row.unlink_button.setVisible(bool(theirs and theirs.evidence))
        self.status_message.emit(f"“{row.point.title}” shows their choice now.")

    # --- Dialogs -----------------------------------------------------------------------------

    def _open(self, dialog: QDialog, on_accepted: object) -> QDialog:
        dialog.accepted.connect(on_accepted)
        self._open_dialog(dialog)
        return dialog

    def open_approve_dialog(self) -> ApproveDialog | None:
        version = self._shown
        if version is None or version.status != "draft":
            return None
        if self.has_unsaved_changes() and not self.save():
            return None
        dialog = ApproveDialog(version, self)
        self._open(dialog, partial(self._approved, dialog))
        return dialog

    def _approved(self, dialog: ApproveDialog) -> None:
        approval = dialog.approval
        if approval is None:
            return
        replaced = (f" Version {approval.superseded.number} is superseded."
                    if approval.superseded else "")
        message = f"Version {approval.version.number} approved and in force.{replaced}"
        if approval.warnings:
            message += " " + " ".join(approval.warnings)
        self._load(approval.version.id)
        self.status_message.emit(message)

    def open_compare_dialog(self) -> CompareDialog | None:
        if self._document is None:
            return None
        newer = self._shown
        dialog = CompareDialog(self._document, newer=newer, parent=self)
        self._open(dialog, lambda: None)
        return dialog

    def open_communication_dialog(self) -> CommunicationDialog | None:
        version = self._published_version()
        if version is None:
            return None
        dialog = CommunicationDialog(version, self)
        self._open(dialog, partial(self._communication_recorded, dialog))
        return dialog

    def _communication_recorded(self, dialog: CommunicationDialog) -> None:
        if dialog.communication is not None:
            self._show_awareness()
            self.status_message.emit(
                f"Recorded the communication of version {dialog.version.number}."
            )

    def open_acknowledgement_dialog(self) -> AcknowledgementDialog | None:
        version = self._published_version()
        if version is None:
            return None
        chosen = {item.data(0, Qt.ItemDataRole.UserRole)
                  for item in self.not_yet_list.selectedItems()}
        dialog = AcknowledgementDialog(version, chosen, self)
        self._open(dialog, partial(self._acknowledgements_recorded, dialog))
        return dialog

    def _acknowledgements_recorded(self, dialog: AcknowledgementDialog) -> None:
        count = len(dialog.recorded)
        if count:
            self._show_awareness()
            self._update_header()
            self.status_message.emit(
                f"Recorded {plural(count, 'acknowledgement')} of version "
                f"{dialog.version.number}."
            )

    def show_awareness_of_policy_in_force(self) -> None:
        force = policy.in_force(self._document) if self._document else None
        if force is None:
            return
        if self._shown is None or self._shown.id != force.id:
            if self.has_unsaved_changes() and not self.save():
                return
            self._select_in_list(force.id)
            self._show_version(force.id)
            self._update_header()
        self.tabs.setCurrentIndex(AWARENESS_TAB)

    # --- Export ------------------------------------------------------------------------------

    def export_pdf(self) -> Path | None:
        version = self._published_version()
        if version is None:
            return None
        chosen = ask_save_path(self, "Export the quality policy",
                               f"Quality policy v{version.number}.pdf", "PDF (*.pdf)")
        if chosen is None:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            write_policy_pdf(path, version)
        except OSError as error:
            self.status_message.emit(f"Could not write {path}: {error.strerror or error}")
            return None
        self.status_message.emit(f"Exported version {version.number} to {path}")
        return path
