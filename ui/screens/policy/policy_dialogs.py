"""Dialogs of the quality policy screen: approve a draft, compare two versions, record how the
policy was communicated and who acknowledged it.

Each dialog does its own saving in `accept()` and keeps the result (`approval`,
`communication`, `recorded`), so the screen only opens it and reads the outcome; a problem is
shown inside the dialog, which stays open with what the user chose.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
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
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, policy
from qms_desktop.clauses import PolicyPoint
from qms_desktop.errors import ValidationError
from qms_desktop.models import (
    COMMUNICATION_METHODS,
    Acknowledgement,
    Communication,
    Document,
    DocumentVersion,
    Person,
)
from qms_desktop.policy import Approval
from ui.kit.controlled_document import version_title
from ui.kit.pickers import (
    active_people,
    chosen_person,
    fill_people,
    people_top_first,
    select_person,
)
from ui.kit.reason import DisabledReason, beside
from ui.kit.record_form import OptionalDateEdit
from ui.kit.theme import colored, tint, warning_color
from ui.kit.widgets import (
    buddy_label,
    muted_label,
    ok_cancel_buttons,
    problem_label,
    problems_text,
    show_problem,
)

CHANGE_HUES = {"added": "#2e9d4a", "removed": "#d93f3f", "changed": "#e0a100"}
CHANGE_LABELS = {"added": "Added", "removed": "Removed", "changed": "Changed", "same": ""}
# Shown beside each line, so the change reads without telling colours apart.
CHANGE_MARKS = {"added": "+", "removed": "−", "changed": "~", "same": ""}
METHOD_LABELS = dict(COMMUNICATION_METHODS)


# --- Approve a draft -------------------------------------------------------------------------


class ApproveDialog(QDialog):
    """Choose who approves the draft; unmet points need an explicit, recorded confirmation."""

    def __init__(self, version: DocumentVersion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.version = version
        self.approval: Approval | None = None
        self.setWindowTitle(f"Approve version {version.number} of the quality policy")
        self.setAccessibleName("Approve the quality policy")
        self.setMinimumWidth(520)

        current = policy.in_force(version.document)
        replaces = (
            f" Version {current.number} is superseded at the same moment." if current else ""
        )
        self.intro_label = QLabel(
            f"Approving puts version {version.number} in force.{replaces} An approved version "
            "cannot be edited afterwards; to change it you start a new draft."
        )
        self.intro_label.setWordWrap(True)

        self.approver_combo = QComboBox()
        self.approver_combo.setAccessibleName("Approved by")
        self.approver_combo.setToolTip(
            "ISO 9001 expects top management to approve the quality policy; people in a "
            "top-management role are listed first."
        )
        self._fill_approvers()
        self.note_edit = QPlainTextEdit()
        self.note_edit.setAccessibleName("Approval note")
        self.note_edit.setPlaceholderText("Optional, e.g. “Approved at the management meeting”")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 14)

        form = QFormLayout()
        form.setSpacing(8)
        form.addRow(buddy_label("Approved &by", self.approver_combo), self.approver_combo)
        form.addRow(buddy_label("&Note", self.note_edit), self.note_edit)

        self.top_warning = QLabel()
        self.top_warning.setWordWrap(True)
        self.top_warning.setAccessibleName("Approver warning")
        colored(self.top_warning, warning_color(self.palette()))
        self.top_warning.hide()

        self.unmet_frame = QFrame()
        self.unmet_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.unmet_frame.setAccessibleName("Unmet points")
        self.unmet_label = QLabel()
        self.unmet_label.setWordWrap(True)
        self.unmet_label.setTextFormat(Qt.TextFormat.RichText)
        self.confirm_check = QCheckBox("Approve with these points &unmet (this is recorded)")
        self.confirm_check.setAccessibleName("Approve with these points unmet")
        unmet_layout = QVBoxLayout(self.unmet_frame)
        unmet_layout.setContentsMargins(12, 10, 12, 10)
        unmet_layout.addWidget(self.unmet_label)
        unmet_layout.addWidget(self.confirm_check)
        self._show_unmet(policy.unmet_points(version))

        self.error_label = problem_label()

        self.buttons, self.approve_button = ok_cancel_buttons(self, "&Approve", "Approve")

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.top_warning)
        layout.addWidget(self.unmet_frame)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.approve_reason = DisabledReason(self.approve_button)
        layout.addLayout(beside(self.approve_reason, self.buttons))

        self.approver_combo.currentIndexChanged.connect(self._update)
        self.confirm_check.toggled.connect(self._update)
        self._update()
        self.adjustSize()

    def _fill_approvers(self) -> None:
        people = people_top_first()
        fill_people(self.approver_combo, "Choose who approves…", people)
        if people and people[0][1]:
            self.approver_combo.setCurrentIndex(1)

    def _show_unmet(self, unmet: list[PolicyPoint]) -> None:
        self._unmet = unmet
        items = "".join(f"<li>{p.title}</li>" for p in unmet)
        self.unmet_label.setText(
            "These 5.2.1 points are not ticked as met:"
            f"<ul style='margin-top:4px; margin-bottom:0px'>{items}</ul>"
        )
        self.unmet_frame.setVisible(bool(unmet))

    def approver(self) -> Person | None:
        return chosen_person(self.approver_combo)

    def select_approver(self, person: Person) -> None:
        select_person(self.approver_combo, person)

    def _update(self) -> None:
        person_id = self.approver_combo.currentData()
        top = bool(self.approver_combo.currentData(Qt.ItemDataRole.UserRole + 1))
        if person_id and not top:
            self.top_warning.setText(
                f"{self.approver_combo.currentText()} is not in a top-management role. Auditors "
                "expect top management to approve the quality policy. You can still approve; "
                "the approval records that the approver was not top management."
            )
        warn = bool(person_id) and not top
        if warn != self.top_warning.isVisibleTo(self):
            self.top_warning.setVisible(warn)
            self.adjustSize()  # the dialog grows or shrinks with the warning
        needs_confirmation = bool(self._unmet) and not self.confirm_check.isChecked()
        self.approve_reason.explain(
            bool(person_id) and not needs_confirmation,
            "Choose who approves the policy first." if not person_id else
            "Some 5.2.1 points are unmet: tick the confirmation to approve anyway.",
            f"Put version {self.version.number} in force",
        )
        show_problem(self.error_label, "")

    def accept(self) -> None:
        approver = self.approver()
        if approver is None:
            show_problem(self.error_label, "Choose who approves the policy.")
            return
        try:
            self.approval = policy.approve(
                self.version,
                approver,
                confirm_unmet=self.confirm_check.isChecked(),
                note=self.note_edit.toPlainText(),
            )
        except policy.NeedsConfirmation as needs:
            self._show_unmet(needs.unmet)
            self._update()
            show_problem(
                self.error_label,
                "Not approved: some 5.2.1 points are unmet. Tick “Approve with these points "
                "unmet” to approve anyway, or cancel and meet them first.",
            )
            return
        except ValidationError as error:
            show_problem(self.error_label, f"Not approved: {problems_text(error)}")
            return
        super().accept()


# --- Record how the policy was communicated --------------------------------------------------


class CommunicationDialog(QDialog):
    """How, when and to whom one approved version was communicated (5.2.2, 7.4)."""

    def __init__(self, version: DocumentVersion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.version = version
        self.communication: Communication | None = None
        self.setWindowTitle(f"Record communication of version {version.number}")
        self.setAccessibleName("Record communication")
        self.setMinimumWidth(460)

        self.method_combo = QComboBox()
        self.method_combo.setAccessibleName("How")
        for key, label in COMMUNICATION_METHODS:
            self.method_combo.addItem(label, key)
        self.date_edit = OptionalDateEdit()
        self.date_edit.setAccessibleName("When")
        self.date_edit.set_date(clock.today())
        self.audience_edit = QLineEdit()
        self.audience_edit.setAccessibleName("Who was told")
        self.audience_edit.setPlaceholderText("e.g. all staff, the warehouse team")
        self.by_combo = QComboBox()
        self.by_combo.setAccessibleName("Communicated by")
        self.by_combo.addItem("— not recorded —", None)
        for person in active_people():
            self.by_combo.addItem(person.full_name, person.id)

        form = QFormLayout()
        form.setSpacing(8)
        form.addRow(buddy_label("&How", self.method_combo), self.method_combo)
        form.addRow(buddy_label("&When", self.date_edit), self.date_edit)
        form.addRow(buddy_label("Who was &told", self.audience_edit), self.audience_edit)
        form.addRow(buddy_label("&By", self.by_combo), self.by_combo)

        self.error_label = problem_label()
        self.buttons, self.record_button = ok_cancel_buttons(self, "&Record")

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(QLabel(f"Version {version.number} of the quality policy"))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        when = self.date_edit.date()
        if when is None:
            show_problem(
                self.error_label, self.date_edit.problem() or "Enter the date it was communicated."
            )
            return
        by_id = self.by_combo.currentData()
        try:
            self.communication = policy.record_communication(
                self.version,
                self.method_combo.currentData(),
                when,
                audience=self.audience_edit.text(),
                communicated_by=Person.get_or_none(Person.id == by_id) if by_id else None,
            )
        except ValidationError as error:
            show_problem(self.error_label, problems_text(error))
            return
        super().accept()


# --- Record acknowledgements -----------------------------------------------------------------


class AcknowledgementDialog(QDialog):
    """Tick the people who read and understood a version; all are saved in one go (7.3)."""

    def __init__(
        self,
        version: DocumentVersion,
        preselected: set[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.version = version
        self.recorded: list[Acknowledgement] = []
        preselected = preselected or set()
        self.setWindowTitle(f"Record acknowledgement of version {version.number}")
        self.setAccessibleName("Record acknowledgement")
        self.setMinimumSize(440, 420)

        intro = QLabel(
            f"Tick everyone who has read and understood version {version.number} of the "
            "quality policy."
        )
        intro.setWordWrap(True)
        people_label = QLabel("&People who have not acknowledged it yet")
        self.people_list = QListWidget()
        self.people_list.setAccessibleName("People to record")
        people_label.setBuddy(self.people_list)
        self.people_list.setSpacing(1)
        for person in policy.not_acknowledged(version):
            text = person.full_name + (f" — {person.job_title}" if person.job_title else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = person.id in preselected
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.people_list.addItem(item)
        self.nobody_label = muted_label("Everyone has already acknowledged this version.")
        self.nobody_label.setVisible(self.people_list.count() == 0)

        self.all_button = QPushButton("Tick &all")
        self.all_button.setToolTip("Tick everyone in the list")
        self.none_button = QPushButton("&Clear")
        self.none_button.setToolTip("Untick everyone")
        picks = QHBoxLayout()
        picks.addWidget(self.all_button)
        picks.addWidget(self.none_button)
        picks.addStretch(1)

        self.date_edit = OptionalDateEdit()
        self.date_edit.setAccessibleName("Acknowledged on")
        self.date_edit.set_date(clock.today())
        form = QFormLayout()
        form.addRow(buddy_label("Acknowledged &on", self.date_edit), self.date_edit)

        self.error_label = problem_label()
        self.buttons, self.record_button = ok_cancel_buttons(self)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(people_label)
        layout.addWidget(self.people_list, 1)
        layout.addWidget(self.nobody_label)
        layout.addLayout(picks)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.people_list.itemChanged.connect(self._update)
        self.all_button.clicked.connect(lambda: self._tick_all(True))
        self.none_button.clicked.connect(lambda: self._tick_all(False))
        self._update()

    def _items(self) -> list[QListWidgetItem]:
        return [self.people_list.item(row) for row in range(self.people_list.count())]

    def ticked_ids(self) -> list[str]:
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _tick_all(self, ticked: bool) -> None:
        for item in self._items():
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def _update(self, *_args: object) -> None:
        count = len(self.ticked_ids())
        self.record_button.setText(
            f"&Record {count} acknowledgement{'s' if count != 1 else ''}" if count else "&Record"
        )
        self.record_button.setEnabled(count > 0)
        self.record_button.setToolTip(
            "Save the ticked people's acknowledgements" if count else "Tick at least one person"
        )
        has_people = self.people_list.count() > 0
        self.all_button.setEnabled(has_people)
        self.none_button.setEnabled(has_people)

    def accept(self) -> None:
        on = self.date_edit.date()
        if on is None:
            show_problem(self.error_label, self.date_edit.problem() or "Enter the date.")
            return
        if on > clock.today():
            show_problem(self.error_label, "The date is in the future.")
            return
        ids = self.ticked_ids()
        if not ids:
            show_problem(self.error_label, "Tick at least one person.")
            return
        try:
            self.recorded = policy.acknowledge_all(self.version, ids, on)
        except ValidationError as error:
            self.recorded = []
            show_problem(self.error_label, problems_text(error))
            return
        super().accept()


# --- Compare two versions --------------------------------------------------------------------


class _RoomyDelegate(QStyledItemDelegate):
    """A little air above and below each line of text."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + 8)


class CompareDialog(QDialog):
    """Two versions side by side, line by line, with what was added, removed or changed."""

    def __init__(
        self,
        document: Document,
        older: DocumentVersion | None = None,
        newer: DocumentVersion | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare versions of the quality policy")
        self.setAccessibleName("Compare versions")
        self.resize(980, 620)
        self._versions = {v.id: v for v in policy.versions(document)}
        ordered = sorted(self._versions.values(), key=lambda v: v.number)

        self.older_combo = QComboBox()
        self.older_combo.setAccessibleName("Older version")
        self.newer_combo = QComboBox()
        self.newer_combo.setAccessibleName("Newer version")
        for combo in (self.older_combo, self.newer_combo):
            for version in ordered:
                combo.addItem(version_title(version), version.id)
        newer = newer or (ordered[-1] if ordered else None)
        if older is None and newer is not None:
            before = [v for v in ordered if v.number < newer.number]
            older = before[-1] if before else newer
        if older is not None:
            self.older_combo.setCurrentIndex(self.older_combo.findData(older.id))
        if newer is not None:
            self.newer_combo.setCurrentIndex(self.newer_combo.findData(newer.id))

        choose = QHBoxLayout()
        choose.setSpacing(8)
        choose.addWidget(buddy_label("&Left", self.older_combo))
        choose.addWidget(self.older_combo, 1)
        choose.addSpacing(16)
        choose.addWidget(buddy_label("&Right", self.newer_combo))
        choose.addWidget(self.newer_combo, 1)

        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Summary of differences")
        self.legend = QHBoxLayout()
        self.legend.setSpacing(6)
        self._swatches: dict[str, QLabel] = {}
        for kind in ("added", "removed", "changed"):
            swatch = QLabel(f" {CHANGE_MARKS[kind]} {CHANGE_LABELS[kind]} ")
            swatch.setAccessibleName(f"{CHANGE_LABELS[kind]} lines")
            self._swatches[kind] = swatch
            self.legend.addWidget(swatch)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary_label, 1)
        summary_row.addLayout(self.legend)

        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("Side-by-side comparison")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.setItemDelegate(_RoomyDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(choose)
        layout.addLayout(summary_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

        self.older_combo.currentIndexChanged.connect(self.refresh)
        self.newer_combo.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def _chosen(self, combo: QComboBox) -> DocumentVersion | None:
        return self._versions.get(combo.currentData())

    def refresh(self) -> None:
        older = self._chosen(self.older_combo)
        newer = self._chosen(self.newer_combo)
        palette = self.table.palette()
        for kind, swatch in self._swatches.items():
            swatch.setStyleSheet(
                f"QLabel {{ background: {tint(palette, CHANGE_HUES[kind]).name()}; "
                f"color: {palette.color(QPalette.ColorRole.Text).name()}; "
                "border-radius: 4px; padding: 2px 6px; }"
            )
        if older is None or newer is None:
            self.table.setRowCount(0)
            self.summary_label.setText("Choose two versions.")
            return
        self.table.setHorizontalHeaderLabels([version_title(older), version_title(newer)])
        lines = policy.side_by_side(older.body, newer.body)
        self.table.setRowCount(len(lines))
        counts = {"added": 0, "removed": 0, "changed": 0}
        for row, line in enumerate(lines):
            mark = QTableWidgetItem(CHANGE_MARKS[line.change])
            mark.setToolTip(CHANGE_LABELS[line.change])
            self.table.setVerticalHeaderItem(row, mark)
            for column, text in enumerate((line.left, line.right)):
                item = QTableWidgetItem(text)
                if line.change != "same":
                    item.setBackground(tint(palette, CHANGE_HUES[line.change]))
                    item.setToolTip(CHANGE_LABELS[line.change])
                self.table.setItem(row, column, item)
            if line.change in counts:
                counts[line.change] += 1
        self.table.resizeRowsToContents()
        if older.id == newer.id:
            self.summary_label.setText("The same version is on both sides.")
        elif not any(counts.values()):
            self.summary_label.setText("The two texts are the same.")
        else:
            parts = [f"{n} line{'s' if n != 1 else ''} {kind}" for kind, n in counts.items() if n]
            self.summary_label.setText(", ".join(parts).capitalize() + ".")
