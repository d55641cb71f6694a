"""The main window: a sidebar laid out like the standard, one screen per entry, the menus.

Screens are built the first time they are opened, each handed the window's one change bridge
(`changes`) so it can follow the tables it shows. A screen may offer `new_record`,
`focus_search`, `save`, `has_unsaved_changes`, `reload` and a `status_message` signal; the
Edit menu and the window use whichever of them it has.
"""

from __future__ import annotations

import datetime as dt
import gc
import html
import importlib
import importlib.util
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFont,
    QGuiApplication,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import APP_ID, APP_NAME, __version__, clock, errors, formatting
from qms_desktop.paths import backups_dir
from ui.kit.fitting import ElidedLabel
from ui.kit.icons import app_icon, icon
from ui.kit.live import follow_changes
from ui.kit.save_dialog import ask_save_path
from ui.kit.server_lost import lost_connection, reconnection
from ui.kit.settings import app_settings
from ui.kit.theme import on_theme_change
from ui.screens.overview.overview import OverviewScreen
from ui.shell import errors as error_dialogs
from ui.shell.live import ChangeBridge, hear_others
from ui.shell.reminder import ReminderBar

if TYPE_CHECKING:
    from qms_desktop import db
    from qms_desktop.server import ServerStore
    from ui.shell.help_dialog import HelpDialog

# Why Backup and Restore cannot be used on a server, said in the menu itself.
SERVER_RESTORE_REASON = ("A server is restored by its administrator, not from this window: "
                         "the others working on it would lose their work.")

SETTINGS_ORGANISATION = APP_ID
KEY_ROLE = Qt.ItemDataRole.UserRole
HEADER_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_TIMEOUT_MS = 8000
NOT_LOADED = "not loaded"  # the object name of a page in place of a screen not read
# The narrowest window the screens are made for: beside the sidebar at its least width,
# each screen fits in what such a window leaves.
SMALLEST_WINDOW_WIDTH = 1024
# The sidebar's width on a screen with room for it, until the user drags it.
ROOMY_SIDEBAR_WIDTH = 250
ROOMY_SCREEN_WIDTH = 1280


@dataclass(frozen=True)
class Entry:
    """One sidebar entry: a screen class ("module:Class", imported when first opened), or
    the register screen of `register`."""

    key: str
    title: str
    clause: str
    icon: str
    register: str = ""  # a Register in qms_desktop.catalogue, by name (imported on use)
    screen: str = ""


@dataclass(frozen=True)
class Group:
    title: str
    entries: tuple[Entry, ...]


OVERVIEW = Entry("overview", "Overview", "", "overview")

GROUPS: tuple[Group, ...] = (
    Group("Context", (
        Entry("issues", "Context & issues", "4.1", "issues",
              screen="ui.screens.context.context_screen:ContextScreen"),
        Entry("parties", "Interested parties", "4.2", "parties",
              screen="ui.screens.context.parties_screen:PartiesScreen"),
        Entry("scope", "Scope", "4.3", "sites",
              screen="ui.screens.context.scope_screen:ScopeScreen"),
        Entry("sites", "Sites", "4.3", "sites", "SITES"),
        Entry("processes", "Processes", "4.4", "processes", "PROCESSES"),
    )),
    Group("Leadership", (
        Entry("policy", "Quality policy", "5.2", "policy",
              screen="ui.screens.policy.policy_screen:PolicyScreen"),
        Entry("people", "People", "5.3", "people", "PEOPLE",
              screen="ui.screens.people.people_screen:PeopleScreen"),
        Entry("roles", "Roles", "5.3", "roles", "ROLES"),
        Entry("responsibilities", "Responsibilities", "5.3", "responsibilities",
              screen="ui.screens.responsibilities.responsibilities_screen:ResponsibilitiesScreen"),
    )),
    Group("Planning", (
        Entry("risks", "Risks & opportunities", "6.1", "risks",
              screen="ui.screens.risks.risks_screen:RisksScreen"),
        Entry("objectives", "Objectives & KPIs", "6.2", "objectives",
              screen="ui.screens.objectives.objectives_screen:ObjectivesScreen"),
    )),
    Group("Support", (
        Entry("resources", "Resources", "7.1", "resources",
              screen="ui.screens.resources.resources_screen:ResourcesScreen"),
        Entry("competence", "Competence", "7.2", "competence",
              screen="ui.screens.competence.competence_screen:CompetenceScreen"),
        Entry("documents", "Documents", "7.5", "documents",
              screen="ui.screens.documents.documents_screen:DocumentsScreen"),
    )),
    Group("Performance", (
        Entry("feedback", "Customer feedback", "9.1.2", "feedback",
              screen="ui.screens.feedback.feedback_screen:FeedbackScreen"),
        Entry("suppliers", "Suppliers", "8.4", "suppliers",
              screen="ui.screens.suppliers.suppliers_screen:SuppliersScreen"),
        Entry("audits", "Internal audits", "9.2", "audits",
              screen="ui.screens.audits.audits_screen:AuditsScreen"),
    )),
    Group("Improvement", (
        Entry("nonconformities", "Nonconformities", "10.2", "nonconformities",
              screen="ui.screens.nonconformities.nonconformities_screen:NonconformitiesScreen"),
        Entry("actions", "Actions", "10.2", "actions",
              screen="ui.screens.actions.actions_screen:ActionsScreen"),
    )),
    Group("Management review", (
        Entry("reviews", "Reviews", "9.3", "reviews",
              screen="ui.screens.reviews.reviews_screen:ReviewsScreen"),
    )),
)

ALL_ENTRIES: tuple[Entry, ...] = (OVERVIEW, *(e for g in GROUPS for e in g.entries))
ENTRIES_BY_KEY = {e.key: e for e in ALL_ENTRIES}


def _progress_callback(dialog: Any) -> Any:
    from ui.shell.first_run import progress_callback

    return progress_callback(dialog)


def _start_detached(command: list[str]) -> bool:
    from ui.shell.help_dialog import start_detached

    return start_detached(command)


def window_settings() -> QSettings:
    return app_settings()


class SidebarDelegate(QStyledItemDelegate):
    """Taller rows with an inset highlight; group headings get room above them (less of
    both when `compact`)."""

    compact = False

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        if self.compact:  # a short window: every entry in sight matters more than air
            extra = 6 if index.data(HEADER_ROLE) else 0
        else:
            extra = 14 if index.data(HEADER_ROLE) else 5
        return QSize(size.width(), size.height() + extra + self._top_gap(index))

    @staticmethod
    def _top_gap(index: QModelIndex | QPersistentModelIndex) -> int:
        """Room above the first row, so Overview does not touch the menu bar."""
        return 8 if index.row() == 0 and not index.parent().isValid() else 0

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        inset = QStyleOptionViewItem(option)
        left = 16 if index.data(HEADER_ROLE) else 8
        inset.rect = option.rect.adjusted(left, 2 + self._top_gap(index), -8, -2)
        inset.state &= ~QStyle.StateFlag.State_HasFocus
        super().paint(painter, inset, index)


class Sidebar(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setIndentation(0)
        self.setUniformRowHeights(False)
        self.setIconSize(QSize(20, 20))
        self.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.setItemDelegate(SidebarDelegate(self))
        self.setAccessibleName("Sections")
        self.setAccessibleDescription("Use the arrow keys to move between sections")
        self.setMinimumWidth(200)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.headers: list[QTreeWidgetItem] = []

        self._add_entry(self, OVERVIEW)
        for group in GROUPS:
            header = QTreeWidgetItem(self, [group.title.upper()])
            header.setData(0, HEADER_ROLE, True)
            # Enabled (a disabled item would disable its entries too) but never selected:
            # moveCursor and mousePressEvent pass over it.
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setTextAlignment(0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * 0.82)
            font.setWeight(QFont.Weight.DemiBold)
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
            header.setFont(0, font)
            header.setData(0, Qt.ItemDataRole.AccessibleTextRole, group.title)
            self.headers.append(header)
            for entry in group.entries:
                self._add_entry(header, entry)
        self.expandAll()
        self.apply_palette()
        on_theme_change(self, self.apply_palette)

    def _rows_height(self) -> int:
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        delegate = self.itemDelegate()
        total = 0
        index = self.model().index(0, 0)
        while index.isValid():
            total += delegate.sizeHint(option, index).height()
            index = self.indexBelow(index)
        return total

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Rows close up when the window is too short for all of them at full height, so
        a 1366 x 768 laptop shows every entry without scrolling."""
        super().resizeEvent(event)
        delegate = self.itemDelegate()
        if not isinstance(delegate, SidebarDelegate):
            return
        was = delegate.compact
        delegate.compact = False
        compact = self._rows_height() > self.viewport().height()
        delegate.compact = compact
        if compact != was:
            self.doItemsLayout()

    def _add_entry(self, parent: QTreeWidget | QTreeWidgetItem, entry: Entry) -> None:
        item = QTreeWidgetItem(parent, [entry.title])
        item.setIcon(0, icon(entry.icon))
        item.setData(0, KEY_ROLE, entry.key)
        tip = f"{entry.title} (clause {entry.clause})" if entry.clause else entry.title
        item.setToolTip(0, tip)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, tip)
        self.items[entry.key] = item

    def apply_palette(self) -> None:
        """A background a shade off the window's, in light and dark palettes alike."""
        palette = QPalette(self.window().palette() if self.window() else self.palette())
        window = palette.color(QPalette.ColorRole.Window)
        shade = window.lighter(118) if window.lightness() < 128 else window.darker(104)
        palette.setColor(QPalette.ColorRole.Base, shade)
        self.setPalette(palette)
        heading = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        for header in self.headers:
            header.setForeground(0, heading)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Arrow keys step over group headings in the direction of travel."""
        index = super().moveCursor(cursorAction, modifiers)
        backwards = cursorAction in (
            QAbstractItemView.CursorAction.MoveUp,
            QAbstractItemView.CursorAction.MovePrevious,
            QAbstractItemView.CursorAction.MovePageUp,
            QAbstractItemView.CursorAction.MoveHome,
        )
        while index.isValid() and index.data(HEADER_ROLE):
            index = self.indexAbove(index) if backwards else self.indexBelow(index)
        return index if index.isValid() else self.currentIndex()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if item is not None and item.data(0, HEADER_ROLE):
            event.accept()
            return
        super().mousePressEvent(event)

    def key_of(self, item: QTreeWidgetItem | None) -> str:
        return str(item.data(0, KEY_ROLE) or "") if item is not None else ""


class SidebarSplitter(QSplitter):
    """The sidebar beside the current screen. The sidebar keeps its width (the user's once
    dragged, else `wanted_width`) and the screen takes the rest, whatever room each screen
    would like: a QSplitter on its own gives the sidebar whatever the screen shown leaves,
    so it changed width from screen to screen. Only a window too narrow for both narrows it.
    """

    def __init__(self, sidebar: QWidget, screens: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.sidebar, self.screens = sidebar, screens
        self.setChildrenCollapsible(False)
        self.addWidget(sidebar)
        self.addWidget(screens)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.wanted_width = sidebar.minimumWidth()
        self.chosen_width: int | None = None  # set by the user dragging the handle
        self.splitterMoved.connect(self._moved)

    def set_sidebar_width(self, width: int, *, chosen: bool = False) -> None:
        if chosen:
            self.chosen_width = width
        else:
            self.wanted_width = width
        self.fit_sidebar()

    def _moved(self, position: int, _index: int) -> None:
        self.chosen_width = self.sizes()[0]

    def fit_sidebar(self) -> None:
        sidebar, screens = self.sidebar, self.screens
        room = self.width() - self.handleWidth()
        if room <= 0 or not self.isVisible():
            return
        least = sidebar.minimumWidth()
        wanted = self.chosen_width if self.chosen_width is not None else self.wanted_width
        # The screen's share: what the widest screen built so far needs, and never less than
        # the narrowest window leaves it unless the user dragged the sidebar wider, so the
        # sidebar does not change width as screens with larger minimums are first opened.
        screen_least = screens.minimumSizeHint().width()
        if self.chosen_width is None:
            screen_least = max(screen_least,
                               SMALLEST_WINDOW_WIDTH - least - self.handleWidth())
        width = max(least, min(wanted, room - screen_least))
        if self.sizes()[0] != width:
            self.setSizes([width, room - width])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_sidebar()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        # A screen shown for the first time may ask for more room: the splitter then takes
        # it from the sidebar; give it back unless the window is truly too narrow.
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self.fit_sidebar()
        return handled


class MainWindow(QMainWindow):
    def __init__(self, store: db.Store | ServerStore | None = None,
                 parent: QWidget | None = None) -> None:
        """The window; without a store it shows its frame at once and `attach` fills it,
        so the user sees the window while the database and the screens load."""
        super().__init__(parent)
        self.store: db.Store | ServerStore = store  # type: ignore[assignment]
        self.screens: dict[str, QWidget] = {}
        self.changes: ChangeBridge | None = None  # made by `attach`, with the database
        self.help_dialog: HelpDialog | None = None
        # Starts another window of the app (the sample company); tests record the command.
        self.start_process: Callable[[list[str]], bool] = _start_detached
        self.setWindowIcon(app_icon())
        self.setAccessibleName(APP_NAME)

        self.sidebar = Sidebar()
        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Current section")
        self.splitter = SidebarSplitter(self.sidebar, self.stack)
        # On start, a bar says how many actions are overdue or due this week and takes the
        # user there in one click (hidden when there are none).
        self.reminder = ReminderBar(refresh_now=False)
        self.reminder.show_actions.connect(self.show_actions)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.reminder)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_menus()
        self._build_status_bar()

        self.stack.currentChanged.connect(self._update_edit_actions)
        reconnection.reconnected.connect(self._load_what_was_not_loaded)
        self.setWindowTitle(APP_NAME)
        self._restore_geometry()
        self.statusBar().showMessage("Opening the database…")
        self._file_actions = [self.backup_action, self.restore_action, self.export_xlsx_action,
                              self.export_json_action, self.import_action, self.settings_action,
                              self.connect_action]
        if store is None:
            for action in self._file_actions:
                action.setEnabled(False)  # until `attach` gives them a database
        else:
            self.attach(store)

    def attach(self, store: db.Store | ServerStore) -> None:
        """Show `store`'s data: title, status bar, reminder and the last screen used."""
        self.store = store
        # One bridge for the window's lifetime; screens get it through their constructor.
        self.changes = ChangeBridge(store.changes, self)
        hear_others(store)  # on a server, other people's changes too
        follow_changes(self, self.changes, ("action", "person"), self.reminder.refresh,
                       keep_scroll=False)
        follow_changes(self, self.changes, ("organisation",), self.update_title,
                       keep_scroll=False)
        self._show_where()
        self.statusBar().clearMessage()
        self.reminder.refresh()
        self.sidebar.currentItemChanged.connect(self._sidebar_changed)
        self.update_title()
        self.restore_state()

    def on_server(self) -> bool:
        return self.file_store() is None

    def _show_where(self) -> None:
        """The status bar says where the records are, and on a server who is signed in; the
        File menu offers what works there."""
        for action in self._file_actions:
            action.setEnabled(True)
        file_store = self.file_store()
        if file_store is not None:
            where = f"Database: {file_store.path}"
            self.signed_in_label.hide()
        else:
            from qms_desktop import accounts

            where = f"Server: {getattr(self.store, 'address', '')}"
            who = accounts.signed_in()
            self.signed_in_label.setText(
                f"Signed in as {who.name} ({who.role_label})" if who is not None
                else "Signed in with full rights")
            self.signed_in_label.setToolTip(
                f"Login: {who.login}" if who is not None else
                "This login has no account of its own on the server: it may do everything.")
            self.signed_in_label.show()
        self.path_label.setText(where)
        self.path_label.setToolTip(where.split(": ", 1)[1])
        self._offer_backup_and_restore()
        from ui.shell.team_menu import offer_team

        offer_team(self.team_action, self.on_server())
        from ui.shell.password_menu import offer_password_change

        offer_password_change(self.password_action, self.on_server())
        self.update_backup_label()

    def _offer_backup_and_restore(self) -> None:
        on_server = self.on_server()
        # A server is backed up into a file of its records at one moment (transfer.py).
        self.backup_action.setText("&Back up to a file…" if on_server else "&Back up now…")
        self.backup_action.setToolTip(
            "Write the server's records, as they are at one moment, to a database file"
            if on_server else "")
        self.restore_action.setEnabled(not on_server)
        # The reason stays in sight in the menu, not only in a tooltip.
        self.restore_action.setText("Restore from backup – not on a server" if on_server
                                    else "&Restore from backup…")
        self.restore_action.setToolTip(SERVER_RESTORE_REASON if on_server else "")
        self.restore_action.setStatusTip(SERVER_RESTORE_REASON if on_server else "")

    def connect_to_server(self) -> ServerStore | None:
        """The connect dialog; once connected, the window shows the server instead of the
        records it showed (which are closed then, as when the window quits)."""
        from ui.shell.connect_dialog import ConnectDialog, open_server_instead

        if not self.confirm_unsaved_changes():
            return None
        dialog = ConnectDialog(self, open_server=open_server_instead(self.store))
        if dialog.exec() != ConnectDialog.DialogCode.Accepted or dialog.store is None:
            return None
        self.switch_to(dialog.store)
        if dialog.keyring_notice:
            error_dialogs.show_information(self, "Password not remembered",
                                           dialog.keyring_notice)
        return dialog.store

    def open_team(self) -> None:
        """File → Team members…: who may sign in to the server, in which role."""
        from ui.shell.team_dialog import TeamDialog

        self.team_dialog = TeamDialog(self, changes=self.changes)
        self.team_dialog.open()

    def change_password(self) -> None:
        """File → Change my password…: a new password for the login signed in with."""
        from ui.shell.password_dialog import PasswordDialog

        self.password_dialog = PasswordDialog(self)
        self.password_dialog.accepted.connect(self._password_changed)
        self.password_dialog.open()

    def _password_changed(self) -> None:
        notice = self.password_dialog.keyring_notice
        self.show_status("Your password is changed; it holds from your next sign-in.")
        if notice:
            error_dialogs.show_information(self, "Password not remembered", notice)

    def switch_to(self, store: db.Store | ServerStore) -> None:
        """Show another database (already open; the previous one closed): the screens are
        made again on it, the title and the status bar say where the window now is."""
        shown = self.current_key() or OVERVIEW.key
        self.store = store
        if self.changes is not None:
            self.changes.listen_to(store.changes)
        hear_others(store)
        for screen in self.screens.values():
            self.stack.removeWidget(screen)
            screen.deleteLater()
        self.screens.clear()
        self._show_where()
        self.reminder.refresh()
        self.update_title()
        self.open_screen(shown)
        self.show_status(f"Now on {self.path_label.text().split(': ', 1)[1]}")

    # --- Building ---------------------------------------------------------------------------

    def _action(self, text: str, slot: Any,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.backup_action = self._action("&Back up now…", self.back_up_now)
        self.restore_action = self._action("&Restore from backup…", self.restore_from_backup)
        self.export_xlsx_action = self._action(
            "Export to &Excel…", lambda: self.export_to("xlsx")
        )
        self.export_json_action = self._action(
            "Export to &JSON…", lambda: self.export_to("json")
        )
        self.import_action = self._action("&Import from a spreadsheet…", self.open_import)
        self.connect_action = self._action("&Connect to a server…", self.connect_to_server)
        self.team_action = self._action("&Team members…", self.open_team)
        self.team_action.setEnabled(False)  # `_show_where` offers it, on a server
        self.password_action = self._action("Change my &password…", self.change_password)
        self.password_action.setEnabled(False)  # `_show_where` offers it, on a server
        self.settings_action = self._action("&Settings…", self.open_settings)
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setShortcuts([QKeySequence("Ctrl+Q")])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.new_action = self._action("&New record", self.new_record, "Ctrl+N")
        self.find_action = self._action("&Find", self.focus_search, "Ctrl+F")
        self.save_action = self._action("&Save", self.save_current, "Ctrl+S")
        self.guide_action = self._action("&Guide", lambda: self.show_help(""),
                                         QKeySequence.StandardKey.HelpContents)
        self.guide_action.setShortcuts([QKeySequence("F1")])
        self.clauses_action = self._action("The standard in &plain words",
                                           lambda: self.show_help("clauses"))
        self.keys_action = self._action("&Keyboard shortcuts", lambda: self.show_help("keys"))
        self.sample_action = self._action("Open the &sample company", self.open_sample)
        self.about_action = self._action(f"&About {APP_NAME}", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu("&File")
        file_menu.setToolTipsVisible(True)  # why Backup or Restore is not offered
        file_menu.addAction(self.connect_action)
        file_menu.addAction(self.team_action)
        file_menu.addAction(self.password_action)
        file_menu.addSeparator()
        file_menu.addActions([self.backup_action, self.restore_action])
        file_menu.addSeparator()
        file_menu.addActions([self.export_xlsx_action, self.export_json_action])
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu_bar.addMenu("&Edit")
        edit_menu.addActions([self.new_action, self.find_action, self.save_action])
        help_menu = menu_bar.addMenu("&Help")
        help_menu.addActions([self.guide_action, self.clauses_action, self.keys_action])
        help_menu.addSeparator()
        help_menu.addAction(self.sample_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        # The path can be long: cut in the middle, whole in the tooltip.
        self.path_label = ElidedLabel(elide_mode=Qt.TextElideMode.ElideMiddle)
        self.path_label.setAccessibleName("Database file")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_label = QLabel()
        self.backup_label.setAccessibleName("Last backup")
        self.signed_in_label = QLabel()
        self.signed_in_label.setAccessibleName("Signed in as")
        self.signed_in_label.hide()
        status.addPermanentWidget(self.path_label, 1)
        status.addPermanentWidget(self.signed_in_label)
        status.addPermanentWidget(self.backup_label)

    # --- Screens ----------------------------------------------------------------------------

    def _make_screen(self, entry: Entry) -> QWidget:
        screen: QWidget
        if entry.key == OVERVIEW.key:
            screen = OverviewScreen(changes=self.changes)
        elif entry.screen:
            module_name, class_name = entry.screen.split(":")
            screen_class = getattr(importlib.import_module(module_name), class_name)
            screen = screen_class(changes=self.changes)
        else:
            from qms_desktop import catalogue
            from ui.kit.register_screen import RegisterScreen

            screen = RegisterScreen(getattr(catalogue, entry.register), changes=self.changes)
        signal = getattr(screen, "status_message", None)
        if signal is not None:
            signal.connect(self.show_status)
        # Screens ask for other screens by key; the window owns the navigation.
        for name, slot in (("open_screen", self.open_screen),
                           ("open_record", self.open_record),
                           ("show_actions", self.show_actions)):
            signal = getattr(screen, name, None)
            if signal is not None:
                signal.connect(slot)
        return screen

    def _check_connection(self) -> None:
        """On a server, one round trip, which makes a connection the server ended again
        (server.ServerDatabase); raises the lost connection's error when it cannot."""
        if self.on_server():
            from qms_desktop.models import database

            database.execute_sql("SELECT 1")

    def _build_screen(self, entry: Entry) -> QWidget:
        """The screen for `entry`; on a server that cannot be reached, in the middle of the
        build too, a page that says so with Retry."""
        try:
            self._check_connection()
            return self._make_screen(entry)
        except Exception as exc:
            if not lost_connection(exc):
                raise
            # The half-built screen lives on in the frames of the error's traceback. Free it
            # here, on this thread: left to the garbage collector, it could go on whichever
            # thread collects next (the change listener's, say), where Qt crashes. Not by
            # listing the top-level widgets before and after: wrapping every one of them
            # crashed once many windows had come and gone (the whole test suite).
            traceback.clear_frames(exc.__traceback__)
            gc.collect()
            return self._not_loaded_page(entry, exc)

    def _not_loaded_page(self, entry: Entry, exc: BaseException) -> QWidget:
        """In place of a screen that could not be read from the server: says so, and Retry
        makes a new connection and builds the screen (as does Retry answered anywhere
        else, ui.kit.server_lost)."""
        from qms_desktop import server
        from ui.kit.widgets import empty_page

        page, text, retry = empty_page(
            f"{entry.title} could not be loaded",
            f"The server at {server.open_address()} was not reached ({errors.first_line(exc)}). "
            "Nothing saved is lost: it is on the server.", "&Retry", entry.icon)
        page.setObjectName(NOT_LOADED)

        def try_again() -> None:
            try:
                server.reconnect()
            except errors.EnvironmentProblem as problem:
                text.setText(f"{problem.message} Try again in a moment.")
                return
            reconnection.reconnected.emit()  # loads this page and any other

        retry.clicked.connect(try_again)
        return page

    def _load_what_was_not_loaded(self) -> None:
        """A new connection: the pages in place of screens are made into the screens."""
        for key, page in list(self.screens.items()):
            if page.objectName() != NOT_LOADED:
                continue
            shown = self.stack.currentWidget() is page
            del self.screens[key]
            self.stack.removeWidget(page)
            page.deleteLater()
            if shown:
                self.open_screen(key)

    def shows_not_loaded_page(self) -> bool:
        """Whether the screen shown is a page saying the server was not reached."""
        current = self.stack.currentWidget()
        return current is not None and current.objectName() == NOT_LOADED

    def open_record(self, key: str, record_id: str) -> None:
        """Open screen `key` and select the record there, when the screen can."""
        screen = self.open_screen(key)
        select = getattr(screen, "select_record", None) or getattr(screen, "show_record", None)
        if select is not None and record_id:
            select(record_id)

    def show_actions(self, filter_name: str) -> None:
        screen = self.open_screen("actions")
        show_filter = getattr(screen, "show_filter", None)
        if show_filter is not None:
            show_filter(filter_name)

    def open_screen(self, key: str) -> QWidget:
        """Show the screen for sidebar entry `key`, building it the first time."""
        entry = ENTRIES_BY_KEY[key]
        screen = self.screens.get(key)
        if screen is None:
            screen = self._build_screen(entry)
            self.screens[key] = screen
            self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        item = self.sidebar.items[key]
        if self.sidebar.currentItem() is not item:
            self.sidebar.setCurrentItem(item)
        self._update_edit_actions()
        return screen

    def current_key(self) -> str:
        current = self.stack.currentWidget()
        return next((k for k, s in self.screens.items() if s is current), "")

    def current_screen(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _sidebar_changed(self, current: QTreeWidgetItem | None, _previous: Any) -> None:
        key = self.sidebar.key_of(current)
        if key:
            self.open_screen(key)

    def _screen_method(self, name: str) -> Any:
        method = getattr(self.current_screen(), name, None)
        return method if callable(method) else None

    def _update_edit_actions(self, *_args: object) -> None:
        self.new_action.setEnabled(self._screen_method("new_record") is not None)
        self.find_action.setEnabled(self._screen_method("focus_search") is not None)
        self.save_action.setEnabled(self._screen_method("save") is not None)

    def new_record(self) -> None:
        method = self._screen_method("new_record")
        if method is not None:
            method()

    def focus_search(self) -> None:
        method = self._screen_method("focus_search")
        if method is not None:
            method()

    def save_current(self) -> bool:
        method = self._screen_method("save")
        return bool(method()) if method is not None else False

    def reload_all_screens(self) -> None:
        for screen in self.screens.values():
            reload = getattr(screen, "reload", None)
            if callable(reload):
                reload()
        self.reminder.refresh()
        self.update_title()
        self.update_backup_label()

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def update_title(self) -> None:
        from qms_desktop import organisation

        found = organisation.get_organisation()
        parts = [found.name] if found else []
        address = getattr(self.store, "address", None)
        if address is not None:  # which server's database: two windows may be on two
            host = "this computer" if not address.host or address.host.startswith("/") \
                else address.host
            parts.append(f"{address.dbname} on {host}")
        self.setWindowTitle(" – ".join([*parts, APP_NAME]))

    def file_store(self) -> db.Store | None:
        """The open file; None on a server, which has no file's backups folder or lock."""
        from qms_desktop import db

        return self.store if isinstance(self.store, db.Store) else None

    def update_backup_label(self) -> None:
        store = self.file_store()
        if store is None:
            self.backup_label.hide()  # the server's backups are its administrator's
            return
        self.backup_label.show()
        latest = store.last_backup()
        if latest is None:
            self.backup_label.setText("Last backup: none yet")
            return
        when = dt.datetime.fromtimestamp(latest.stat().st_mtime)
        self.backup_label.setText(f"Last backup: {formatting.short_date(when)} {when:%H:%M}")
        self.backup_label.setToolTip(str(latest))

    # --- File menu --------------------------------------------------------------------------

    def back_up_now(self) -> Path | None:
        from qms_desktop import db

        store = self.file_store()
        if store is None:
            return self._back_up_server()
        folder = backups_dir(store.path)
        stamp = clock.now().strftime("%Y%m%d-%H%M")
        suggested = folder / f"{store.path.stem}-manual-{stamp}.db"
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Back up the database",
            str(suggested),
            "QMS Desktop database (*.db);;All files (*)",
        )
        if not chosen:
            return None
        target = Path(chosen)
        if not target.suffix:
            target = target.with_suffix(".db")
        try:
            made = db.backup_to(store, target)
        except errors.EnvironmentProblem as problem:
            error_dialogs.show_problem(self, problem)
            return None
        self.update_backup_label()
        self.show_status(f"Backed up to {made}")
        return made

    def _back_up_server(self) -> Path | None:
        """The server's records at one moment, written to a database file the user names,
        then checked and compared with the server (transfer.backup_server)."""
        from qms_desktop import server, transfer

        store = self.store
        if not isinstance(store, server.ServerStore):
            return None
        stamp = clock.now().strftime("%Y%m%d-%H%M")
        chosen = ask_save_path(self, "Back up the server to a file",
                               f"{store.address.dbname}-{stamp}.db",
                               "QMS Desktop database (*.db);;All files (*)")
        if chosen is None:
            return None
        target = Path(chosen)
        if not target.suffix:
            target = target.with_suffix(".db")
        progress = QProgressDialog("Backing up the server…", "", 0, 0, self)
        progress.setWindowTitle("Back up to a file")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAccessibleName("Backup progress")
        progress.show()
        try:
            report = transfer.backup_server(store, target, progress=_progress_callback(progress))
        except errors.EnvironmentProblem as problem:
            progress.close()
            error_dialogs.show_problem(self, problem)
            return None
        progress.close()
        if not report.verified:
            failed = "; ".join(text for passed, text in report.findings() if not passed)
            error_dialogs.show_information(
                self, "Backup written, but it does not match",
                f"The backup {target} was written, but comparing it with the server found: "
                f"{failed}. Keep the server as it is and try again, or run `check` on it.")
            return None
        self.show_status(f"Backed up {report.rows:,} rows from the server to {target}")
        return target

    def restore_from_backup(self) -> Path | None:
        from qms_desktop import db

        store = self.file_store()
        if store is None:
            return None
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Restore from a backup",
            str(backups_dir(store.path)),
            "QMS Desktop database (*.db);;All files (*)",
        )
        if not chosen:
            return None
        candidate = Path(chosen)
        unsaved = any(self._unsaved(s) for s in self.screens.values())
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace everything in {store.path.name} with the backup "
            f"{candidate.name}?\n\nA safety copy of the data as it is now is made first."
            + ("\n\nChanges you have not saved will be lost." if unsaved else ""),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            db.validate_backup_file(candidate)
        except errors.EnvironmentProblem as problem:
            error_dialogs.show_problem(self, problem)
            return None
        safety: Path | None
        try:
            safety = db.restore_from(store, candidate)
        except errors.EnvironmentProblem as problem:
            if not problem.offer_restore:
                error_dialogs.show_problem(self, problem)
                return None
            # The open file is damaged inside, so not even a safety copy of it can be made:
            # keep the damaged file beside it instead, as when it cannot be opened at all.
            safety = self._replace_damaged_database(store, candidate)
            if safety is None:
                return None
        self.reload_all_screens()
        error_dialogs.show_information(
            self,
            "Backup restored",
            f"The data now comes from {candidate.name}. The data as it was before the "
            f"restore was kept in {safety}.",
        )
        self.show_status(f"Restored from {candidate}")
        return safety

    def _replace_damaged_database(self, store: db.Store, candidate: Path) -> Path | None:
        from qms_desktop import db

        path = store.path
        store.close()
        try:
            kept = db.recover_from_backup(path, candidate)
            reopened = db.open_database(path)
        except errors.EnvironmentProblem as problem:
            error_dialogs.show_problem(self, problem)
            return None
        # Keep the same Store object: whoever opened it closes it at the end.
        store.lock = reopened.lock
        store.migrated_from = reopened.migrated_from
        # The records layer now announces on the reopened file's feed: follow that one.
        store.changes = reopened.changes
        if self.changes is not None:
            self.changes.listen_to(reopened.changes)
        return kept

    def export_to(self, fmt: str) -> Path | None:
        from qms_desktop import export, organisation

        kinds = {"xlsx": "Excel workbook (*.xlsx)", "json": "JSON file (*.json)"}
        found = organisation.get_organisation()
        stem = (found.name if found else APP_NAME).replace("/", "-").replace("\\", "-")
        chosen = ask_save_path(
            self, "Export to Excel" if fmt == "xlsx" else "Export to JSON",
            f"{stem} {clock.today():%Y-%m-%d}.{fmt}", kinds[fmt],
        )
        if chosen is None:
            return None
        target = Path(chosen)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(f"{target.name}.{fmt}")
        progress = QProgressDialog("Exporting your records…", "", 0, 0, self)
        progress.setWindowTitle("Export")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAccessibleName("Export progress")
        progress.show()
        try:
            counts = export.export(target, fmt, _progress_callback(progress))
        except (errors.EnvironmentProblem, OSError) as exc:
            progress.close()
            problem = errors.from_exception(exc, target)
            if problem is None:
                raise
            error_dialogs.show_problem(self, problem)
            return None
        progress.close()
        self.show_status(f"Exported {sum(counts.values()):,} rows to {target}")
        return target

    def open_import(self) -> None:
        from ui.shell.import_dialog import ImportDialog  # the readers load only when asked for

        dialog = ImportDialog(self)
        dialog.imported.connect(lambda rows: self.show_status(f"Imported {rows:,} rows"))
        dialog.exec()

    def open_settings(self) -> None:
        from ui.shell.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self)
        if dialog.exec() == SettingsDialog.DialogCode.Accepted and dialog.user_name_edit:
            self.show_status(f"Changes are now recorded as made by {dialog.user_name_edit.text()}")

    def show_help(self, section: str = "") -> HelpDialog:
        """The offline guide, at `section`; one dialog, raised again if it is open."""
        from ui.shell.help_dialog import HelpDialog

        if self.help_dialog is None:
            self.help_dialog = HelpDialog(section, self)
        else:
            self.help_dialog.show_section(section)
        self.help_dialog.show()
        self.help_dialog.activateWindow()
        return self.help_dialog

    def open_sample(self) -> None:
        """The sample company in a second window, on its own file (made the first time)."""
        from ui.shell.help_dialog import SampleOpener

        opener = SampleOpener(self, start=self.start_process)
        opener.finished.connect(lambda problem: self._sample_opened(opener, problem))
        self.sample_action.setEnabled(False)
        opener.open()

    def _sample_opened(self, opener: QWidget, problem: str) -> None:
        self.sample_action.setEnabled(True)
        opener.deleteLater()
        if problem:
            error_dialogs.show_information(self, "Sample company", problem)
        else:
            self.show_status("The sample company opens in a window of its own; your data "
                             "stays as it is here.")

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Run an ISO 9001 quality management system from a laptop, offline.</p>"
            f"<p>{html.escape(self.path_label.text())}</p>",
        )

    # --- Window state -----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = window_settings().value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self._first_geometry()

    def restore_state(self) -> None:
        settings = window_settings()
        # Decided by the screen, not by the window's size now: the window may not have
        # reached its size yet (a maximised window on first start).
        screen = self.screen() or QGuiApplication.primaryScreen()
        roomy = screen is not None and screen.availableGeometry().width() >= ROOMY_SCREEN_WIDTH
        self.splitter.set_sidebar_width(
            ROOMY_SIDEBAR_WIDTH if roomy else self.sidebar.minimumWidth())
        chosen = settings.value("main_window/sidebar_width")
        if chosen is not None and str(chosen).isdigit():
            self.splitter.set_sidebar_width(int(str(chosen)), chosen=True)
        last = str(settings.value("main_window/last_screen", OVERVIEW.key))
        self.open_screen(last if last in ENTRIES_BY_KEY else OVERVIEW.key)

    def _first_geometry(self) -> None:
        """First start: a comfortable size that fits the screen (a 1366 x 768 laptop
        included), centred; maximised when the screen is small."""
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1280, 800)
            return
        available = screen.availableGeometry()
        width = min(1360, int(available.width() * 0.92))
        height = min(860, int(available.height() * 0.92))
        self.resize(width, height)
        self.move(available.center() - self.rect().center())
        if available.width() < 1400 or available.height() < 820:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def save_state(self) -> None:
        settings = window_settings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.remove("main_window/splitter")  # earlier versions kept the splitter's state
        if self.splitter.chosen_width is not None:
            settings.setValue("main_window/sidebar_width", self.splitter.chosen_width)
        settings.setValue("main_window/last_screen", self.current_key() or OVERVIEW.key)
        settings.sync()

    @staticmethod
    def _unsaved(screen: QWidget) -> bool:
        method = getattr(screen, "has_unsaved_changes", None)
        return bool(method()) if callable(method) else False

    def confirm_unsaved_changes(self) -> bool:
        """Ask about each screen with unsaved changes; False when the user cancels."""
        for key, screen in list(self.screens.items()):
            if not self._unsaved(screen):
                continue
            self.open_screen(key)
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                f"{ENTRIES_BY_KEY[key].title} has changes that are not saved. Save them?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return False
            if answer == QMessageBox.StandardButton.Save:
                save = getattr(screen, "save", None)
                if callable(save) and not save():
                    return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_unsaved_changes():
            event.ignore()
            return
        self.save_state()
        event.accept()
