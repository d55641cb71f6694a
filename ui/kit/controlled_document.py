"""Controlled documents (the policy, the scope): their version statuses, the version list
that policy, scope and reviews show, and the screen both documents share."""

from __future__ import annotations

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
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop.models import Document, DocumentVersion
from ui.kit.header import title_and_clause
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.tables import select_item_with
from ui.kit.theme import NEUTRAL_HUE, blend, chip_style, on_theme_change, tint
from ui.kit.widgets import bold, empty_page, list_beside_detail

STATUS_LABELS = {"draft": "Draft", "approved": "Approved", "superseded": "Superseded"}


STATUS_HUES = {"draft": "#d99a00", "approved": "#2e8b45", "superseded": NEUTRAL_HUE}

VERSION_ROLE = Qt.ItemDataRole.UserRole


STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


WHEN_ROLE = Qt.ItemDataRole.UserRole + 2


def version_title(version: DocumentVersion) -> str:
    return f"Version {version.number} ({STATUS_LABELS.get(version.status, version.status).lower()})"


def status_chip_style(palette: QPalette, status: str) -> str:
    return chip_style(palette, STATUS_HUES.get(status, NEUTRAL_HUE))


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
    status above; an empty page until the first draft. A subclass names its texts in the class
    attributes, builds `version_panel` in `_build_detail`, and loads in `reload`."""

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
    SHOWN_TABLES: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.SCREEN_NAME)
        self._document: Document | None = None
        self._shown: DocumentVersion | None = None
        self._saved_body = ""
        self._loading = False
        # The dialog opened last; kept so it stays alive while open (and tests can drive it).
        self.active_dialog: QDialog | None = None

        self._build_header()
        self._build_empty_state()
        self._build_versions_panel()
        self.version_panel = self._build_detail()

        self.splitter, self.pages = list_beside_detail(
            self.versions_panel, self.version_panel, self.empty_page, (220, 900))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(self._header_layout)
        layout.addWidget(self.pages, 1)

        self._connect()
        self._apply_colours()
        on_theme_change(self, self._follow_theme)
        self.reload()
        follow_changes(self, changes, self.SHOWN_TABLES, self.reload)

    # --- What a subclass provides ----------------------------------------------------------

    def _build_detail(self) -> QWidget:
        """The panel that shows the chosen version."""
        raise NotImplementedError

    def _add_to_header(self, title_row: QHBoxLayout, status_row: QHBoxLayout) -> None:
        """Buttons of the document's own beside the title or its status."""

    def reload(self) -> None:
        raise NotImplementedError

    def save(self) -> bool:
        raise NotImplementedError

    def new_record(self) -> None:
        raise NotImplementedError

    def has_unsaved_changes(self) -> bool:
        raise NotImplementedError

    def _show_version(self, version_id: str) -> None:
        raise NotImplementedError

    def _update_header(self) -> None:
        raise NotImplementedError

    def _update_dirty(self) -> None:
        raise NotImplementedError

    def _apply_colours(self) -> None:
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

    def _connect(self) -> None:
        self.first_button.clicked.connect(self.new_record)
        self.new_draft_button.clicked.connect(self.new_record)
        self.version_list.currentItemChanged.connect(self._version_chosen)

    def _follow_theme(self) -> None:
        self._apply_colours()
        self._update_dirty()

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

    def focus_search(self) -> None:
        self.version_list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _dialog_closed(self) -> None:
        self.active_dialog = None

    def showEvent(self, event: QShowEvent) -> None:
        # People, roles and sites are edited on other screens: read them again on coming back.
        if not event.spontaneous():
            self.reload()
        super().showEvent(event)
