"""The scope of the quality system (4.3), kept as a controlled document like the policy.

Versions on the left; the chosen one on the right: its statement and its items, grouped as
products and services, sites, and clauses not applied (each with its justification). Only a
draft changes; approving puts it in force and supersedes the version before. The rules live
in `qms_desktop.context`.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import context, policy
from qms_desktop.clauses import CLAUSES, CLAUSES_BY_NUMBER
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.models import Document, DocumentVersion, Person, ScopeItem, Site
from ui.kit.controlled_document import ControlledDocumentScreen
from ui.kit.permission import hold_refused
from ui.kit.pickers import chosen_person, fill_people, people_top_first, select_person
from ui.kit.text import long_date
from ui.kit.theme import colored, warning_color
from ui.kit.widgets import (
    bold,
    muted_label,
    ok_cancel_buttons,
    problem_label,
    problems_text,
    show_problem,
)

DESCRIPTION = (
    "What the quality system covers: the products and services, the sites, and any clause "
    "of ISO 9001 you do not apply, with the reason. Kept as a controlled document."
)
READ_ONLY_NOTE = "Approved versions cannot be edited. Start a new draft to change the scope."
EXAMPLE_SCOPE = (
    "One or two sentences, for example:\n\n"
    "The design, manufacture and delivery of precision machined parts for industrial "
    "customers, from our works in Dublin."
)
ITEM_ROLE = Qt.ItemDataRole.UserRole + 10


def excludable_clauses() -> list[tuple[str, str]]:
    """Clauses that may be named as not applied: the numbered sub-clauses, not whole sections."""
    return [(c.number, f"{c.number} {c.title}") for c in CLAUSES if "." in c.number]


def clause_text(item: ScopeItem) -> str:
    known = CLAUSES_BY_NUMBER.get(item.clause)
    title = known.title if known else item.name
    return f"{item.clause} {title}".strip()


# --- Approve ---------------------------------------------------------------------------------


class ScopeApproveDialog(QDialog):
    """Who approves the scope draft; top management is listed first."""

    approved = Signal(object, list)  # the version now in force, the warnings

    def __init__(self, version: DocumentVersion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.version = version
        self.warnings: list[str] | None = None
        self.setWindowTitle(f"Approve version {version.number} of the scope")
        self.setAccessibleName("Approve the scope")
        self.setMinimumWidth(500)
        current = policy.in_force(version.document)
        replaces = f" Version {current.number} is superseded at the same moment." if current \
            else ""
        intro = QLabel(f"Approving puts version {version.number} in force.{replaces} It cannot "
                       "be edited afterwards; to change it you start a new draft.")
        intro.setWordWrap(True)
        self.approver_combo = QComboBox()
        self.approver_combo.setAccessibleName("Approved by")
        people = people_top_first()
        fill_people(self.approver_combo, "Choose who approves…", people)
        if people and people[0][1]:
            self.approver_combo.setCurrentIndex(1)
        approver_label = QLabel("Approved &by")
        approver_label.setBuddy(self.approver_combo)
        form = QFormLayout()
        form.addRow(approver_label, self.approver_combo)
        self.top_warning = QLabel()
        self.top_warning.setWordWrap(True)
        self.top_warning.setAccessibleName("Approver warning")
        colored(self.top_warning, warning_color(self.palette()))
        self.error_label = problem_label()
        self.buttons, self.approve_button = ok_cancel_buttons(self, "&Approve")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.top_warning)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.approver_combo.currentIndexChanged.connect(self._update)
        self._update()

    def select_approver(self, person: Person) -> None:
        select_person(self.approver_combo, person)

    def _update(self) -> None:
        person_id = self.approver_combo.currentData()
        top = bool(self.approver_combo.currentData(Qt.ItemDataRole.UserRole + 1))
        warn = bool(person_id) and not top
        self.top_warning.setText(
            "Not in a top-management role. Auditors expect top management to approve the "
            "scope; you can still approve, and the approval records it." if warn else ""
        )
        self.top_warning.setVisible(warn)
        self.approve_button.setEnabled(bool(person_id))
        show_problem(self.error_label, "")

    def accept(self) -> None:
        approver = chosen_person(self.approver_combo)
        if approver is None:
            show_problem(self.error_label, "Choose who approves the scope.")
            return
        try:
            self.warnings = context.approve_scope(self.version, approver)
        except ValidationError as error:
            show_problem(self.error_label, f"Not approved: {problems_text(error)}")
            return
        self.approved.emit(self.version, self.warnings)
        super().accept()


# --- One group of scope items ------------------------------------------------------------------


class ItemGroup(QFrame):
    """A titled list of scope items with an add row and Remove, the controls only in a draft."""

    # Products and sites: their list, which the screen sets before finish().
    list: QListWidget

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(title)
        self.heading = bold(QLabel(title))
        self.count_label = QLabel()
        self.empty_label = muted_label(empty_text)
        self.empty_text = empty_text
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName(f"Remove from {title.lower()}")
        self.remove_button.setToolTip("Remove the selected line from this draft (Delete)")
        self.add_button = QPushButton("Add")
        self.add_button.setAccessibleName(f"Add to {title.lower()}")
        self.error_label = problem_label()
        self.controls = QWidget()
        self.controls_layout = QHBoxLayout(self.controls)
        self.controls_layout.setContentsMargins(0, 0, 0, 0)
        self.controls_layout.setSpacing(6)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.remove_button)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(4)
        self.layout_.addLayout(heading_row)

    def finish(self, view: QAbstractItemView) -> None:
        self.view = view
        view.setAccessibleName(self.accessibleName())
        view.setAlternatingRowColors(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.layout_.addWidget(view, 1)
        self.layout_.addWidget(self.empty_label)
        self.layout_.addWidget(self.controls)
        self.layout_.addWidget(self.error_label)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), view, self.remove_button.click,
                  context=Qt.ShortcutContext.WidgetShortcut)


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = ("document", "document_version", "scope_item", "site", "process", "person")


class ScopeScreen(ControlledDocumentScreen):
    """Versions of the scope, the chosen one's statement and items."""

    TITLE = "Scope of the quality system"
    CLAUSE = "Clause 4.3"
    SCREEN_NAME = "Scope of the quality system"
    DESCRIPTION = DESCRIPTION
    ABOUT_NAME = "About the scope"
    IN_FORCE_NAME = "Scope in force"
    STATUS_NAME = "Status of the scope"
    VERSIONS_NAME = "Versions of the scope"
    EMPTY_HEADING = "No scope yet"
    EMPTY_TEXT = (
        "Say in a sentence or two what the quality system covers, list your products and "
        "services and your sites, and name any ISO 9001 clause you do not apply with the "
        "reason. Then have top management approve it."
    )
    EMPTY_TEXT_WIDTH = 480
    FIRST_BUTTON_TEXT = "&Write the scope"
    READ_ONLY_NOTE = READ_ONLY_NOTE
    SHOWN_TABLES = SHOWN_TABLES

    # --- Building -------------------------------------------------------------------------

    def _build_detail(self) -> QWidget:
        # The statement
        self._build_editor("Scope statement", EXAMPLE_SCOPE)
        self.editor.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 14)
        statement_label = bold(QLabel("Scope &statement"))
        statement_label.setBuddy(self.editor)
        self._build_edit_actions("Sa&ve", "Save scope statement")

        # Products and services
        self.products = ItemGroup("Products and services",
                                  "None listed yet: name at least one product or service.")
        self.products.list = QListWidget()
        self.products.list.setWordWrap(True)
        self.products.list.setSpacing(3)
        self.product_edit = QLineEdit()
        self.product_edit.setAccessibleName("New product or service")
        self.product_edit.setPlaceholderText("Add a product or service…")
        self.products.controls_layout.addWidget(self.product_edit, 1)
        self.products.controls_layout.addWidget(self.products.add_button)
        self.products.finish(self.products.list)

        # Sites
        self.sites = ItemGroup("Sites", "No site listed yet: add where the work is done.")
        self.sites.list = QListWidget()
        self.sites.list.setWordWrap(True)
        self.sites.list.setSpacing(3)
        self.site_combo = QComboBox()
        self.site_combo.setEditable(True)
        self.site_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.site_combo.setAccessibleName("New site")
        self.site_combo.setToolTip("Choose one of your sites or type another")
        self.sites.controls_layout.addWidget(self.site_combo, 1)
        self.sites.controls_layout.addWidget(self.sites.add_button)
        self.sites.finish(self.sites.list)

        # Clauses not applied
        self.exclusions = ItemGroup(
            "Clauses not applied",
            "Every clause applies. If one cannot apply to your work (for example you do no "
            "design), name it here with the reason.",
        )
        self.exclusion_list = QListWidget()
        self.exclusion_list.setWordWrap(True)
        self.exclusion_list.setSpacing(3)
        self.clause_combo = QComboBox()
        self.clause_combo.setAccessibleName("Clause not applied")
        self.clause_combo.addItem("Choose a clause…", "")
        for number, label in excludable_clauses():
            self.clause_combo.addItem(label, number)
        self.clause_combo.setMinimumContentsLength(18)
        self.clause_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.justification_edit = QLineEdit()
        self.justification_edit.setAccessibleName("Justification (required)")
        self.justification_edit.setPlaceholderText("Why it cannot apply (required)")
        self.exclusions.controls_layout.addWidget(self.clause_combo)
        self.exclusions.controls_layout.addWidget(self.justification_edit, 1)
        self.exclusions.controls_layout.addWidget(self.exclusions.add_button)
        self.exclusions.finish(self.exclusion_list)

        for group, lines in ((self.products, 4), (self.sites, 4), (self.exclusions, 4)):
            group.view.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 16)

        lists_row = QHBoxLayout()
        lists_row.setSpacing(16)
        lists_row.addWidget(self.products, 1)
        lists_row.addWidget(self.sites, 1)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 8, 0)
        body_layout.setSpacing(8)
        body_layout.addWidget(statement_label)
        body_layout.addWidget(self.editor)
        body_layout.addWidget(self.body_error)
        body_layout.addWidget(self.edit_actions)
        body_layout.addSpacing(4)
        body_layout.addLayout(lists_row, 1)
        body_layout.addSpacing(4)
        body_layout.addWidget(self.exclusions, 1)
        self.body_scroll = QScrollArea()
        self.body_scroll.setWidget(body)
        self.body_scroll.setWidgetResizable(True)
        self.body_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return self.body_scroll

    def _connect(self) -> None:
        super()._connect()
        self.products.add_button.clicked.connect(self.add_product)
        self.product_edit.returnPressed.connect(self.add_product)
        self.sites.add_button.clicked.connect(self.add_site)
        line = self.site_combo.lineEdit()
        if line is not None:
            line.returnPressed.connect(self.add_site)
        self.exclusions.add_button.clicked.connect(self.add_exclusion)
        self.justification_edit.returnPressed.connect(self.add_exclusion)
        self.justification_edit.textChanged.connect(self._justification_edited)
        for group in (self.products, self.sites, self.exclusions):
            group.remove_button.clicked.connect(partial(self.remove_selected, group))
            # A role that may only read: the line under the status says why.
            hold_refused(self.write_refusal, group.controls, group.remove_button)

    def _justification_edited(self) -> None:
        show_problem(self.exclusions.error_label, "")

    def _muted_labels(self) -> tuple[QLabel, ...]:
        return (self.products.empty_label, self.sites.empty_label, self.exclusions.empty_label)

    # --- Loading ----------------------------------------------------------------------------

    def _read_document(self, create: bool) -> Document | None:
        return context.scope_document(create=create)

    def _start_draft(self, document: Document) -> DocumentVersion:
        return context.start_scope_draft(document)

    def _load_choices(self) -> None:
        self._fill_site_suggestions()

    def _fill_site_suggestions(self) -> None:
        names = [s.name for s in Site.live()
                 .order_by(Site.name)]
        self.site_combo.clear()
        self.site_combo.addItems(names)
        self.site_combo.setCurrentIndex(-1)
        self.site_combo.setEditText("")
        line = self.site_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText("Choose one of your sites or type one…" if names
                                    else "Type the site's name and address…")
        completer = QCompleter(names, self.site_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.site_combo.setCompleter(completer)

    def _show_details(self, version: DocumentVersion, draft: bool) -> None:
        for group in (self.products, self.sites, self.exclusions):
            group.controls.setVisible(draft)
            group.remove_button.setVisible(draft)
            show_problem(group.error_label, "")
        self._show_items()

    def _version_meta(self, version: DocumentVersion) -> str:
        if version.status == "draft":
            return (f"Draft started {long_date(version.created_at)}. Not in force until "
                    "approved.")
        who = version.approved_by.full_name if version.approved_by else "unknown"
        top = "top management" if version.approved_by_top_management else \
            "not top management"
        return f"Approved {long_date(version.approved_at)} by {who} ({top})."

    def items(self) -> list[ScopeItem]:
        return context.scope_items(self._shown) if self._shown is not None else []

    def _show_items(self) -> None:
        items = self.items()
        draft = self._shown is not None and self._shown.status == "draft"
        for group, kind in ((self.products, "product"), (self.sites, "site")):
            group.list.clear()
            chosen = [i for i in items if i.kind == kind]
            for item in chosen:
                entry = QListWidgetItem(item.name)
                entry.setData(ITEM_ROLE, item.id)
                entry.setToolTip(item.name)
                group.list.addItem(entry)
            self._group_state(group, len(chosen), draft)
        self.exclusion_list.clear()
        excluded = [i for i in items if i.kind == "exclusion"]
        for item in excluded:
            entry = QListWidgetItem(f"{clause_text(item)}\nWhy: {item.justification}")
            entry.setData(ITEM_ROLE, item.id)
            entry.setData(Qt.ItemDataRole.AccessibleTextRole,
                          f"{clause_text(item)} not applied. Justification: "
                          f"{item.justification}")
            self.exclusion_list.addItem(entry)
        self._group_state(self.exclusions, len(excluded), draft)

    def _group_state(self, group: ItemGroup, count: int, draft: bool) -> None:
        title = group.accessibleName()
        group.heading.setText(f"{title} ({count})")
        group.view.setVisible(bool(count))
        group.empty_label.setVisible(not count)
        if not count and not draft:
            group.empty_label.setText("None." if group is not self.exclusions
                                      else "None: every clause applies.")
        else:
            group.empty_label.setText(group.empty_text)
        group.remove_button.setEnabled(bool(count))

    def _update_header(self) -> None:
        force = policy.in_force(self._document) if self._document else None
        draft = policy.current_draft(self._document) if self._document else None
        if force is not None:
            who = force.approved_by.full_name if force.approved_by else "unknown"
            text = (f"Version {force.number} in force since {long_date(force.approved_at)}, "
                    f"approved by {who}")
            if draft is not None:
                text += f". Version {draft.number} is a draft."
        elif draft is not None:
            text = (f"No version is in force yet: version {draft.number} is a draft waiting "
                    "for approval.")
        else:
            text = "No scope yet. Auditors ask for it first: write it and have it approved."
        self.status_label.setText(text)
        self.status_frame.setVisible(self.version_list.count() > 0)
        self._name_draft_buttons(draft)
        self.new_draft_button.setToolTip("Start a new version copied from the one in force "
                                         "(Ctrl+N); only one draft at a time")

    # --- Editing a draft ----------------------------------------------------------------------

    def _draft(self) -> DocumentVersion | None:
        """The version shown if it is still a draft (read again: another window may have
        approved it)."""
        if self._shown is None:
            return None
        fresh = DocumentVersion.get_or_none(DocumentVersion.id == self._shown.id)
        if fresh is None or fresh.status != "draft":
            self.reload()
            self.status_message.emit("That version is no longer a draft.")
            return None
        self._shown = fresh
        return fresh

    def _add(self, group: ItemGroup, kind: str, name: str, clause: str = "",
             justification: str = "") -> ScopeItem | None:
        version = self._draft()
        if version is None:
            return None
        try:
            item = context.add_scope_item(version, kind, name, clause, justification)
        except ValidationError as error:
            show_problem(group.error_label, problems_text(error))
            return None
        show_problem(group.error_label, "")
        self._show_items()
        self.status_message.emit(f"Added “{item.name}” to draft version {version.number}.")
        return item

    def add_product(self) -> None:
        if self._add(self.products, "product", self.product_edit.text()) is not None:
            self.product_edit.clear()
            self.product_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_site(self) -> None:
        if self._add(self.sites, "site", self.site_combo.currentText()) is not None:
            self.site_combo.setCurrentIndex(-1)
            self.site_combo.setEditText("")

    def add_exclusion(self) -> None:
        clause = str(self.clause_combo.currentData() or "")
        added = self._add(self.exclusions, "exclusion", "", clause,
                          self.justification_edit.text())
        if added is not None:
            self.clause_combo.setCurrentIndex(0)
            self.justification_edit.clear()

    def remove_selected(self, group: ItemGroup) -> None:
        view = group.view
        assert isinstance(view, QListWidget)
        entry = view.currentItem()
        item_id = entry.data(ITEM_ROLE) if entry is not None else None
        if not item_id or self._draft() is None:
            return
        item = ScopeItem.get_or_none(ScopeItem.id == item_id)
        if item is None:
            return
        try:
            context.remove_scope_item(item)
        except ValidationError as error:
            self.reload()
            self.status_message.emit(problems_text(error))
            return
        self._show_items()
        self.status_message.emit(f"Removed “{item.name}” from the draft.")

    # --- The interface the main window uses --------------------------------------------------

    def save(self) -> bool:
        """Save the draft's statement; True when something was saved."""
        if not self.has_unsaved_changes():
            return False
        version = self._saving_copy()  # not the one `_draft` reads again: theirs may differ
        if self._draft() is None or version is None:
            return False
        body = self.editor.toPlainText()
        try:
            context.edit_scope_draft(version, body)
        except RecordChanged as refused:
            self._refused(refused)
            return False
        except ValidationError as error:
            show_problem(self.body_error, problems_text(error))
            self.status_message.emit(f"Not saved: {problems_text(error)}")
            return False
        self._saved_from(version)
        show_problem(self.body_error, "")
        self._saved_edits = (body,)
        self._update_dirty()
        self.status_message.emit(f"Draft version {version.number} saved.")
        return True

    def open_approve_dialog(self) -> ScopeApproveDialog | None:
        if self.has_unsaved_changes() and not self.save():
            return None
        version = self._draft()
        if version is None:
            return None
        dialog = ScopeApproveDialog(version, self)
        dialog.approved.connect(self._approved)
        self._open_dialog(dialog)
        return dialog

    def _approved(self, version: DocumentVersion, warnings: list[str]) -> None:
        message = f"Version {version.number} of the scope approved and in force."
        if warnings:
            message += " " + " ".join(warnings)
        self._load(version.id)
        self.status_message.emit(message)
