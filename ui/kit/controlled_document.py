"""Controlled documents (the policy, the scope): their version statuses, the version list
that policy, scope and reviews show, and the screen both documents share."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import policy
from qms_desktop.errors import RecordChanged
from qms_desktop.models import Document, DocumentVersion
from ui.kit.header import title_and_clause
from ui.kit.live import ChangeSource, keep_current
from ui.kit.permission import hold_refused, refused_line, write_refusal
from ui.kit.pickers import active_people
from ui.kit.reason import DisabledReason
from ui.kit.record_changed import ChangedChoice, FormField
from ui.kit.tables import select_item_with
from ui.kit.text import short_date
from ui.kit.theme import (
    NEUTRAL_HUE,
    blend,
    chip_style,
    error_color,
    muted_color,
    set_text_color,
    show_read_only,
    tint,
    warning_color,
)
from ui.kit.widgets import (
    bold,
    empty_page,
    list_beside_detail,
    muted_label,
    problem_label,
    screen_layout,
    show_problem,
)

STATUS_LABELS = {"draft": "Draft", "approved": "Approved", "superseded": "Superseded"}


STATUS_HUES = {"draft": "#d99a00", "approved": "#2e8b45", "superseded": NEUTRAL_HUE}

VERSION_ROLE = Qt.ItemDataRole.UserRole


STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


WHEN_ROLE = Qt.ItemDataRole.UserRole + 2


def version_title(version: DocumentVersion) -> str:
    return f"Version {version.number} ({STATUS_LABELS.get(version.status, version.status).lower()})"


def status_chip_style(palette: QPalette, status: str,
                      hues: dict[str, str] | None = None) -> str:
    """The chip of a version's status (`hues`: another document's status colours)."""
    return chip_style(palette, (STATUS_HUES if hues is None else hues).get(status, NEUTRAL_HUE))


class VersionDelegate(QStyledItemDelegate):
    """Two lines per item: its name with a status chip, and its dates below (policy and
    scope versions; reviews pass their own status words and colours)."""

    PADDING = 8

    def __init__(self, parent: QWidget | None = None,
                 labels: dict[str, str] | None = None, hues: dict[str, str] | None = None,
                 width: int = 200) -> None:
        super().__init__(parent)
        self.labels = STATUS_LABELS if labels is None else labels
        self.hues = STATUS_HUES if hues is None else hues
        self._width = width

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(self._width, line * 2 + self.PADDING * 2 + 6)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter,
                                opt.widget)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        back = palette.color(
            QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
        )
        muted = blend(back, text_colour, 0.65)
        rect = option.rect.adjusted(self.PADDING + 4, self.PADDING, -self.PADDING, -self.PADDING)
        metrics = option.fontMetrics
        line = metrics.lineSpacing()

        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        title = str(index.data(Qt.ItemDataRole.DisplayRole))
        title_rect = QRect(rect.left(), rect.top(), rect.width(), line)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         title)

        status = str(index.data(STATUS_ROLE))
        chip_text = self.labels.get(status, status)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        painter.setFont(small)
        chip_metrics = painter.fontMetrics()
        chip_width = chip_metrics.horizontalAdvance(chip_text) + 16
        chip_height = chip_metrics.height() + 4
        chip = QRect(rect.right() - chip_width, rect.top() + (line - chip_height) // 2,
                     chip_width, chip_height)
        hue = QColor(self.hues.get(status, NEUTRAL_HUE))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(hue)
        painter.setBrush(tint(palette, hue.name()))
        painter.drawRoundedRect(chip, chip_height / 2, chip_height / 2)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, chip_text)

        painter.setFont(option.font)
        painter.setPen(muted)
        when_rect = QRect(rect.left(), rect.top() + line + 4, rect.width(), line)
        when = metrics.elidedText(str(index.data(WHEN_ROLE) or ""), Qt.TextElideMode.ElideRight,
                                  rect.width())
        painter.drawText(when_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         when)
        painter.restore()


# --- The screen of one controlled document ---------------------------------------------------


class ControlledDocumentScreen(QWidget):
    """The versions of one controlled document beside the chosen version, with the document's
    status above; an empty page until the first draft. Only a draft is edited: its text in
    `editor` (built by `_build_editor`) with Save and Approve under it (`_build_edit_actions`).
    A subclass names its texts in the class attributes, returns the body of the chosen version
    from `_build_detail`, and says how its document is read and a draft started."""

    status_message = Signal(str)

    TITLE = ""
    CLAUSE = ""
    SCREEN_NAME = ""
    DESCRIPTION = ""
    ABOUT_NAME = ""
    IN_FORCE_NAME = ""
    STATUS_NAME = ""
    VERSIONS_NAME = ""
    EMPTY_HEADING = ""
    EMPTY_TEXT = ""
    EMPTY_TEXT_WIDTH = 460
    EMPTY_ICON = ""
    FIRST_BUTTON_TEXT = ""
    READ_ONLY_NOTE = ""
    SHOWN_TABLES: tuple[str, ...] = ()
    # The version's fields the editing fields hold, in the order of `_edits_of`, each with
    # its caption in a comparison ("": the editor's name).
    EDIT_FIELDS: tuple[tuple[str, str], ...] = (("body", ""),)

    # Built by the subclass in `_build_detail`, through `_build_editor` and `_build_edit_actions`.
    editor: QPlainTextEdit
    body_error: QLabel
    dirty_label: QLabel
    save_button: QPushButton
    approve_button: QPushButton
    edit_actions: QWidget
    changed_choice: ChangedChoice

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.SCREEN_NAME)
        self._document: Document | None = None
        self._shown: DocumentVersion | None = None
        # What the shown version holds of the edits (`_edits_of`), to tell unsaved typing.
        self._saved_edits: tuple[str, ...] = ()
        # The copy the unsaved edits were typed over, when the version was read again since
        # (someone else's change): a save from it is refused if they changed the same text.
        self._edited_copy: DocumentVersion | None = None
        self._loading = False
        # The dialog opened last; kept so it stays alive while open (and tests can drive it).
        self.active_dialog: QDialog | None = None
        # Why the signed-in role may not write this document ("" when it may): its buttons
        # that would write stay disabled, the text only shows, and the reason is said where
        # the page would say what to do (the empty page, above Approve, the read-only note).
        self.write_refusal = write_refusal("document_version")

        self._build_header()
        self._build_empty_state()
        self._build_versions_panel()
        self._build_version_heading()
        self.version_panel = self._version_panel_around(self._build_detail())

        self.splitter, self.pages = list_beside_detail(
            self.versions_panel, self.version_panel, self.empty_page, (220, 900))

        screen_layout(self, self._header_layout, self.pages)
        hold_refused(self.write_refusal, self.first_button, self.new_draft_button,
                     self.start_draft_button)
        if self.write_refusal:
            self.empty_text.setText(f"No version has been written yet. {self.write_refusal}")
        self._connect()
        keep_current(self, changes, self.SHOWN_TABLES, self.reload, colours=self._follow_theme)

    # --- What a subclass provides ----------------------------------------------------------

    def _build_detail(self) -> QWidget:
        """What the chosen version shows under its heading."""
        raise NotImplementedError

    def _add_to_header(self, title_row: QHBoxLayout, status_row: QHBoxLayout) -> None:
        """Buttons of the document's own beside the title or its status."""

    def _read_document(self, create: bool) -> Document | None:
        raise NotImplementedError

    def _start_draft(self, document: Document) -> DocumentVersion:
        raise NotImplementedError

    def _version_meta(self, version: DocumentVersion) -> str:
        raise NotImplementedError

    def _show_details(self, version: DocumentVersion, draft: bool) -> None:
        """Show what the document keeps beside its text."""

    def _muted_labels(self) -> tuple[QLabel, ...]:
        """The subclass's labels in the muted colour."""
        return ()

    def _load_choices(self) -> None:
        """Read again the choices that come from other screens."""

    def _reveal_editor(self) -> None:
        """Bring the editor into view before it takes the focus."""

    def _edits_of(self, version: DocumentVersion) -> tuple[str, ...]:
        """What a draft's editing fields hold: its text; a subclass adds its other fields."""
        return (version.body,)

    def _current_edits(self) -> tuple[str, ...]:
        return (self.editor.toPlainText(),)

    def _put_edits(self, edits: tuple[str, ...]) -> None:
        self.editor.setPlainText(edits[0])

    def _superseded_when(self, version: DocumentVersion, until: date | None) -> str:
        """The dates of a replaced version in the list (`until`: when the next was approved)."""
        return f"Approved {short_date(version.approved_at)}"

    def _version_tooltip(self, version: DocumentVersion, when: str) -> str:
        return ""

    def _update_header(self) -> None:
        raise NotImplementedError

    def save(self) -> bool:
        """Save the draft's editing fields from `_saving_copy()`; on RecordChanged call
        `_refused`, on success `_saved_from`."""
        raise NotImplementedError

    # --- Saving over someone else's change ------------------------------------------------

    def _saving_copy(self) -> DocumentVersion | None:
        """The copy a save is made from: the one the edits were typed over."""
        return self._edited_copy if self._edited_copy is not None else self._shown

    def _refused(self, refused: RecordChanged) -> None:
        """Someone saved the draft since it was read: who and when, Reload and Compare."""
        show_problem(self.body_error, "")
        # Saving again before choosing is refused again, whatever was read meanwhile.
        self._edited_copy = refused.copy
        self.changed_choice.offer(refused)
        self.status_message.emit(f"Not saved. {refused.message}")

    def _saved_from(self, version: DocumentVersion) -> None:
        """The copy just saved is the one shown, so the next save starts from it."""
        self._shown = version
        self._edited_copy = None
        self.changed_choice.clear()

    def _show_theirs(self, version: DocumentVersion) -> None:
        self._shown = version
        self._edited_copy = None
        self._saved_edits = self._edits_of(version)
        self._loading = True
        self._put_edits(self._saved_edits)
        self._loading = False
        self.version_meta.setText(self._version_meta(version))
        self._show_details(version, version.status == "draft")
        self._update_dirty()

    def _edit_field(self, index: int) -> FormField:
        def put(value: object) -> None:
            edits = list(self._current_edits())
            edits[index] = str(value or "")
            self._put_edits(tuple(edits))
        label = self.EDIT_FIELDS[index][1] or self.editor.accessibleName()
        return FormField(lambda: self._current_edits()[index], put, label)

    def open_approve_dialog(self) -> QDialog | None:
        raise NotImplementedError

    # --- Building --------------------------------------------------------------------------

    def _build_header(self) -> None:
        title_row, self.title_label, self.clause_label = title_and_clause(self.TITLE, self.CLAUSE)
        self.description_label = QLabel(self.DESCRIPTION)
        self.description_label.setWordWrap(True)
        self.description_label.setAccessibleName(self.ABOUT_NAME)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(self.IN_FORCE_NAME)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_frame = QFrame()
        self.status_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.status_frame.setAutoFillBackground(True)
        self.status_frame.setAccessibleName(self.STATUS_NAME)
        status_row = QHBoxLayout(self.status_frame)
        status_row.setContentsMargins(12, 6, 8, 6)
        status_row.setSpacing(12)
        status_row.addWidget(self.status_label, 1)
        self._add_to_header(title_row, status_row)

        self._header_layout = QVBoxLayout()
        self._header_layout.setSpacing(4)
        self._header_layout.addLayout(title_row)
        self._header_layout.addWidget(self.description_label)
        self._header_layout.addSpacing(6)
        self._header_layout.addWidget(self.status_frame)

    def _build_empty_state(self) -> None:
        self.empty_page, self.empty_text, self.first_button = empty_page(
            self.EMPTY_HEADING, self.EMPTY_TEXT, self.FIRST_BUTTON_TEXT, self.EMPTY_ICON,
            self.EMPTY_TEXT_WIDTH)
        self.first_button.setToolTip("Start version 1 as a draft (Ctrl+N)")

    def _build_versions_panel(self) -> None:
        self.versions_panel = QWidget()
        self.versions_panel.setMinimumWidth(190)
        label = bold(QLabel("&Versions"))
        self.version_list = QListWidget()
        self.version_list.setAccessibleName(self.VERSIONS_NAME)
        self.version_list.setItemDelegate(VersionDelegate(self.version_list))
        self.version_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.version_list.setUniformItemSizes(True)
        label.setBuddy(self.version_list)
        self.new_draft_button = QPushButton("&New draft")
        self.new_draft_button.setAccessibleName("New draft")
        layout = QVBoxLayout(self.versions_panel)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(6)
        layout.addWidget(label)
        layout.addWidget(self.version_list, 1)
        layout.addWidget(self.new_draft_button)

    def _build_version_heading(self) -> None:
        self.version_heading = bold(QLabel(), 1.2)
        self.version_heading.setAccessibleName("Version shown")
        self.version_chip = QLabel()
        self.version_chip.setAccessibleName("Status")
        self.version_meta = muted_label()
        self.version_meta.setAccessibleName("About this version")
        self.read_only_frame = QFrame()
        self.read_only_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.read_only_frame.setAutoFillBackground(True)
        self.read_only_frame.setAccessibleName("Read-only version")
        self.read_only_label = QLabel(self.READ_ONLY_NOTE)
        self.read_only_label.setWordWrap(True)
        self.start_draft_button = QPushButton("Start new draft")
        self.start_draft_button.setAccessibleName("Start new draft")
        note_row = QHBoxLayout(self.read_only_frame)
        note_row.setContentsMargins(12, 6, 8, 6)
        note_row.addWidget(self.read_only_label, 1)
        note_row.addWidget(self.start_draft_button)

    def _version_panel_around(self, body: QWidget) -> QWidget:
        heading_row = QHBoxLayout()
        heading_row.setSpacing(10)
        heading_row.addWidget(self.version_heading)
        heading_row.addWidget(self.version_chip)
        heading_row.addStretch(1)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(heading_row)
        layout.addWidget(self.version_meta)
        layout.addWidget(self.read_only_frame)
        layout.addWidget(body, 1)
        return panel

    def _build_editor(self, name: str, example: str) -> None:
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(name)
        self.editor.setPlaceholderText(example)
        self.editor.setTabChangesFocus(True)
        self.body_error = problem_label()

    def _build_edit_actions(self, save_text: str, save_name: str) -> None:
        self.dirty_label = QLabel()
        self.dirty_label.setAccessibleName("Save state")
        self.save_button = QPushButton(save_text)
        self.save_button.setAccessibleName(save_name)
        self.approve_button = QPushButton("A&pprove…")
        self.approve_button.setAccessibleName("Approve")
        self.edit_actions = QWidget()
        column = QVBoxLayout(self.edit_actions)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        # Why Approve cannot be used yet: on its own line right above the button, where a
        # narrow editor column still has room for it.
        self.approve_reason = DisabledReason(self.approve_button)
        # A save that met someone else's change of the draft: who, when, Reload, Compare.
        fields = {name: self._edit_field(index)
                  for index, (name, _caption) in enumerate(self.EDIT_FIELDS)}
        self.changed_choice = ChangedChoice(self, fields, self._show_theirs)
        column.addWidget(self.changed_choice.bar)
        column.addWidget(self.approve_reason)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.dirty_label, 1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.approve_button)
        column.addLayout(actions)
        if self.write_refusal:
            # A role that may only read never has unsaved changes: the reason takes that
            # place beside Save and Approve, leaving the text its height on a small laptop.
            self.dirty_label.hide()
            actions.insertWidget(0, refused_line(self.write_refusal, self.save_button,
                                                 self.approve_button), 1)

    def _connect(self) -> None:
        self.first_button.clicked.connect(self.new_record)
        self.new_draft_button.clicked.connect(self.new_record)
        self.version_list.currentItemChanged.connect(self._version_chosen)
        self.start_draft_button.clicked.connect(self.new_record)
        self.editor.textChanged.connect(self._update_dirty)
        self.save_button.clicked.connect(self.save)
        self.approve_button.clicked.connect(self.open_approve_dialog)

    def _follow_theme(self) -> None:
        self._apply_colours()
        self._update_dirty()

    def _apply_colours(self) -> None:
        palette = self.palette()
        muted = muted_color(palette)
        for label in (self.clause_label, self.description_label, self.version_meta,
                      self.empty_text, *self._muted_labels()):
            set_text_color(label, muted)
        for frame in (self.status_frame, self.read_only_frame):
            frame_palette = frame.palette()
            frame_palette.setColor(QPalette.ColorRole.Window,
                                   palette.color(QPalette.ColorRole.AlternateBase))
            frame.setPalette(frame_palette)
        for label in self.findChildren(QLabel):
            if label.accessibleName() == "Problem":
                set_text_color(label, error_color(palette))
        # A read-only text reads as such: the window's ground instead of the editing ground.
        editor_palette = self.editor.palette()
        editor_palette.setColor(
            QPalette.ColorRole.Base,
            palette.color(QPalette.ColorRole.Window if self.editor.isReadOnly()
                          else QPalette.ColorRole.Base),
        )
        self.editor.setPalette(editor_palette)
        if self._shown is not None:
            self.version_chip.setStyleSheet(status_chip_style(palette, self._shown.status))
        self.version_list.viewport().update()

    # --- Loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the document again, keeping the chosen version and any unsaved draft text."""
        unsaved = self._current_edits() if self.has_unsaved_changes() else None
        edited = self._saving_copy() if unsaved is not None else None
        refused = self.changed_choice.refused
        self._load(self._shown.id if self._shown is not None else None, unsaved)
        if (edited is not None and self._shown is not None and self._shown.id == edited.id
                and self.has_unsaved_changes()):
            # The edits stay typed over the copy they were made from, not over what was
            # read now: a save then meets their change instead of silently replacing it.
            self._edited_copy = edited
            if refused is not None:
                self.changed_choice.offer(refused)

    def _load(self, keep_id: str | None, unsaved: tuple[str, ...] | None = None) -> None:
        self._document = self._read_document(create=False)
        all_versions = policy.versions(self._document) if self._document else []
        self._fill_version_list(all_versions)
        self._load_choices()
        if not all_versions:
            self._shown = None
            self.pages.setCurrentWidget(self.empty_page)
            self._update_header()
            return
        self.pages.setCurrentWidget(self.splitter)
        if keep_id not in [v.id for v in all_versions]:
            draft = policy.current_draft(self._document) if self._document else None
            force = policy.in_force(self._document)
            keep_id = (draft or force or all_versions[0]).id
            unsaved = None
        self._select_in_list(keep_id)
        self._show_version(keep_id)
        if unsaved is not None and self._shown is not None and self._shown.status == "draft":
            self._loading = True
            self._put_edits(unsaved)
            self._loading = False
            self._update_dirty()
        self._update_header()

    def _fill_version_list(self, all_versions: list[DocumentVersion]) -> None:
        self._loading = True
        self.version_list.clear()
        by_number = sorted(all_versions, key=lambda v: v.number)
        next_approval = {v.id: later.approved_at for v, later in pairwise(by_number)}
        for version in all_versions:
            if version.status == "draft":
                when = f"Started {short_date(version.created_at)}"
            elif version.status == "approved":
                when = f"In force since {short_date(version.approved_at)}"
            else:
                when = self._superseded_when(version, next_approval.get(version.id))
            item = QListWidgetItem(f"Version {version.number}")
            item.setData(VERSION_ROLE, version.id)
            item.setData(STATUS_ROLE, version.status)
            item.setData(WHEN_ROLE, when)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"Version {version.number}, {STATUS_LABELS[version.status]}, {when}")
            tooltip = self._version_tooltip(version, when)
            if tooltip:
                item.setToolTip(tooltip)
            self.version_list.addItem(item)
        self._loading = False

    def _show_version(self, version_id: str) -> None:
        version = DocumentVersion.get_or_none(DocumentVersion.id == version_id)
        self._shown = version
        self._edited_copy = None
        self.changed_choice.clear()
        if version is None:
            return
        draft = version.status == "draft"
        self._saved_edits = self._edits_of(version)
        self._loading = True
        self._put_edits(self._saved_edits)
        self._loading = False
        show_problem(self.body_error, "")
        self.version_heading.setText(f"Version {version.number}")
        self.version_chip.setText(STATUS_LABELS[version.status]
                                  + ("" if draft else " · read-only"))
        self.version_meta.setText(self._version_meta(version))
        show_read_only(self.editor, not draft or bool(self.write_refusal))
        self.edit_actions.setVisible(draft)
        self.read_only_frame.setVisible(not draft)
        if not draft:
            replaced = "This version has been replaced. " if version.status == "superseded" \
                else ""
            self.read_only_label.setText(replaced + (self.write_refusal or self.READ_ONLY_NOTE))
        self._show_details(version, draft)
        self._apply_colours()
        self._update_dirty()

    def _name_draft_buttons(self, draft: DocumentVersion | None) -> None:
        """Both draft buttons open the draft there is, or start one."""
        if draft is not None:
            self.new_draft_button.setText("Open the &draft")
            self.start_draft_button.setText(f"Open draft (version {draft.number})")
        else:
            self.new_draft_button.setText("&New draft")
            self.start_draft_button.setText("Start new draft")

    def _update_dirty(self) -> None:
        if self._loading:
            return
        draft = self._shown is not None and self._shown.status == "draft"
        dirty = self.has_unsaved_changes()
        palette = self.palette()
        if not draft:
            self.dirty_label.setText("")
        elif dirty:
            self.dirty_label.setText("● Unsaved changes")
            set_text_color(self.dirty_label, warning_color(palette))
        else:
            self.dirty_label.setText("All changes saved")
            set_text_color(self.dirty_label, muted_color(palette))
        self.save_button.setEnabled(dirty)
        has_people = bool(active_people()) if draft else False
        self.approve_reason.explain(
            draft and has_people and not self.write_refusal,
            "Add the people of your organisation first: the approver must be a person."
            if draft and not self.write_refusal else "",
            "Choose who approves this draft and put it in force",
        )

    # --- The version list ------------------------------------------------------------------

    def _select_in_list(self, version_id: str | None) -> None:
        self._loading = True
        select_item_with(self.version_list, VERSION_ROLE, version_id)
        self._loading = False

    def _version_chosen(self, current: QListWidgetItem | None,
                        previous: QListWidgetItem | None) -> None:
        if self._loading or current is None:
            return
        if self.has_unsaved_changes() and not self.save():
            # The draft could not be saved (the problem is shown under the text): stay on it.
            self._loading = True
            # None is fine at run time (no current item); PySide6's stub does not say so.
            self.version_list.setCurrentItem(previous)  # type: ignore[arg-type]
            self._loading = False
            return
        self._show_version(current.data(VERSION_ROLE))
        self._update_header()

    # --- What the main window calls ----------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        if self._shown is None or self._shown.status != "draft":
            return False
        return self._current_edits() != self._saved_edits

    def new_record(self) -> None:
        """Start a new draft (copied from the version in force), or go to the open one."""
        if self.write_refusal:
            self.status_message.emit(self.write_refusal)
            return
        if self.has_unsaved_changes() and not self.save():
            return
        document = self._document or self._read_document(create=True)
        assert document is not None
        existing = policy.current_draft(document)
        draft = existing or self._start_draft(document)
        self._load(draft.id)
        self._reveal_editor()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        if existing is None:
            base = policy.in_force(document)
            copied = f", copied from version {base.number}" if base else ""
            self.status_message.emit(f"Started version {draft.number} as a draft{copied}.")

    def focus_search(self) -> None:
        self.version_list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _open_dialog(self, dialog: QDialog) -> None:
        # open(), not exec(): window-modal without a nested event loop. Deleted on close, so
        # its slots hold no reference to it.
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self.active_dialog = None

    def showEvent(self, event: QShowEvent) -> None:
        # People, roles and sites are edited on other screens: read them again on coming back.
        if not event.spontaneous():
            self.reload()
        super().showEvent(event)
