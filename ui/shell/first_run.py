"""The first thing a new user sees: set up their organisation, or look around a sample one.

A dialog with two pages: the welcome with its two choices, then the setup form. Escape on
the form goes back to the welcome; Escape on the welcome closes the dialog (the app quits).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QStringListModel, Qt
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QCommandLinkButton,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import APP_NAME, errors, organisation
from qms_desktop.errors import ValidationError
from qms_desktop.models import EDITIONS
from ui.kit.header import muted, title_font
from ui.kit.icons import app_icon, icon
from ui.kit.length_note import LengthNote
from ui.kit.widgets import problem_label, resize_within_screen, show_problem
from ui.shell import errors as error_dialogs

if TYPE_CHECKING:
    from qms_desktop import db
    from qms_desktop.server import ServerStore

STARTER_ROLES_HINT = ("Untick the ones you do not need; double-click one to rename it. "
                      "You can change them all later on Roles.")

# Palette references keep the framed choices right in light and dark palettes.
CHOICE_STYLE = """
QCommandLinkButton#choice {
    border: 1px solid palette(mid);
    border-radius: 8px;
    background: palette(base);
    padding: 10px 14px;
}
QCommandLinkButton#choice:hover { border-color: palette(highlight); }
QCommandLinkButton#choice:focus { border: 2px solid palette(highlight); }
QCommandLinkButton#choice:pressed { background: palette(alternate-base); }
"""

WELCOME_TITLE = f"Welcome to {APP_NAME}"
SETUP_CHOICE = "Set up my organisation"
SAMPLE_CHOICE = "Open the sample company"
SERVER_CHOICE = "Connect to a server"


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


class CurrencyBox(QComboBox):
    """Every current currency, the common ones first; type a code or a name to find one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(14)
        self._choices = organisation.currency_choices()
        for code, text in self._choices:
            self.addItem(text, code)
        self.insertSeparator(len(organisation.FEATURED_CURRENCIES))
        completer = QCompleter(QStringListModel([text for _, text in self._choices], self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)

    def code(self) -> str:
        """The ISO code for what is shown: a listed entry, or a code typed on its own."""
        text = self.currentText().strip()
        for code, label in self._choices:
            if text.casefold() in (label.casefold(), code.casefold()):
                return code
        return text.upper()[:3] if len(text) <= 3 else text


class WelcomePage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(12)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(56, 56))
        logo.setAccessibleName(f"{APP_NAME} logo")
        layout.addWidget(logo)
        title = QLabel(WELCOME_TITLE)
        title.setFont(title_font(self.font(), 2.0))
        title.setAccessibleName(WELCOME_TITLE)
        layout.addWidget(title)
        intro = muted(
            QLabel(
                "Run your ISO 9001 quality management system from this computer: policy, "
                "people and responsibilities, risks, objectives, audits and management "
                "reviews, kept together and ready to show an auditor. Everything stays on "
                "this computer, or on your team's own server; no internet connection is "
                "needed."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addSpacing(20)

        self.setup_button = QCommandLinkButton(
            SETUP_CHOICE,
            "Enter your organisation's name, sites and currency. It takes about a minute, "
            "and you can change everything later.",
        )
        self.setup_button.setIcon(icon("leadership"))
        self.setup_button.setAccessibleName(SETUP_CHOICE)
        self.sample_button = QCommandLinkButton(
            SAMPLE_CHOICE,
            "Look around a 25-person manufacturer filled with example records, to see how "
            "everything fits together before you start your own in a new file.",
        )
        self.sample_button.setIcon(icon("overview"))
        self.sample_button.setAccessibleName(SAMPLE_CHOICE)
        self.server_button = QCommandLinkButton(
            SERVER_CHOICE,
            "Your team keeps its records on a PostgreSQL server: sign in to it with the login "
            "your administrator gave you.",
        )
        self.server_button.setIcon(icon("sites"))
        self.server_button.setAccessibleName(SERVER_CHOICE)
        for button in (self.setup_button, self.sample_button, self.server_button):
            button.setObjectName("choice")
            button.setIconSize(QSize(28, 28))
            button.setAutoDefault(True)
            layout.addWidget(button)
        self.setStyleSheet(CHOICE_STYLE)
        layout.addStretch(1)
        hint = muted(QLabel("Press Escape to close without choosing."))
        layout.addWidget(hint)


class SetupPage(QWidget):
    """The organisation form; problems appear under the fields they are about."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 28)
        layout.setSpacing(14)
        title = QLabel(SETUP_CHOICE)
        title.setFont(title_font(self.font(), 1.6))
        layout.addWidget(title)
        intro = muted(QLabel("Fields marked * are needed. You can change all of this later."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        # The form scrolls when the screen is too short for it (a 1024 x 640 one).
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_page = QWidget()
        scroll.setWidget(form_page)
        page_layout = QVBoxLayout(form_page)
        page_layout.setContentsMargins(0, 0, 12, 0)
        form = QFormLayout()
        page_layout.addLayout(form)
        page_layout.addStretch(1)  # spare height below the form, not between its rows
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(14)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.problems: dict[str, QLabel] = {}

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText("e.g. Acme Precision Parts Ltd")
        self.name_edit.setAccessibleName("Organisation name")
        self._add_row(form, "&Organisation name *", self.name_edit, "name")

        self.sites_edit = QPlainTextEdit()
        self.sites_edit.setTabChangesFocus(True)
        self.sites_edit.setPlaceholderText("One site per line, e.g.\nHead office\nMain factory")
        self.sites_edit.setAccessibleName("Sites, one per line")
        self.sites_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self._add_row(
            form, "&Sites", self.sites_edit, "sites", "One per line; you can add more later."
        )

        self.currency_box = CurrencyBox()
        self.currency_box.setAccessibleName("Currency")
        self.currency_box.setAccessibleDescription(
            "Type a code such as INR or a name such as Rupee"
        )
        self._add_row(
            form, "&Currency *", self.currency_box, "currency",
            "Type a code or a name to find it, such as INR or Rupee.",
        )

        edition_row = QWidget()
        edition_layout = QHBoxLayout(edition_row)
        edition_layout.setContentsMargins(0, 0, 0, 0)
        edition_layout.setSpacing(18)
        self.edition_group = QButtonGroup(self)
        self.edition_buttons: dict[str, QRadioButton] = {}
        for code, label in EDITIONS:
            button = QRadioButton(label)
            button.setAccessibleName(f"Standard edition {label}")
            self.edition_group.addButton(button)
            self.edition_buttons[code] = button
            edition_layout.addWidget(button)
        edition_layout.addStretch(1)
        self.edition_buttons["2015"].setChecked(True)
        self._add_row(form, "Standard edition *", edition_row, "edition")

        self.user_name_edit = QLineEdit(login_name())
        self.user_name_edit.setMaxLength(200)
        self.user_name_edit.setAccessibleName("Your name")
        self.user_name_edit.setAccessibleDescription("Recorded as who made each change")
        self._add_row(
            form, "&Your name *", self.user_name_edit, "user_name",
            "Recorded with every change you make.",
        )
        self.owner_title_edit = QLineEdit(organisation.OWNER_TITLE)
        self.owner_title_edit.setMaxLength(200)
        self.owner_title_edit.setAccessibleName("Your title")
        self.owner_title_edit.setAccessibleDescription(
            "You are recorded as a person in a top-management role with this title")
        self._add_row(
            form, "Your &title *", self.owner_title_edit, "owner_title",
            "You become a person in a top-management role with this title, so you can "
            "approve the policy and chair the management review.",
        )
        self.roles_list = QListWidget()
        self.roles_list.setAccessibleName("Starter roles")
        self.roles_list.setEditTriggers(QListWidget.EditTrigger.DoubleClicked
                                        | QListWidget.EditTrigger.EditKeyPressed)
        for starter in organisation.STARTER_ROLES:
            item = QListWidgetItem(starter.title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsEditable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setToolTip(starter.description)
            self.roles_list.addItem(item)
        rows = len(organisation.STARTER_ROLES)
        self.roles_list.setFixedHeight(self.roles_list.sizeHintForRow(0) * rows + 8)
        self._add_row(form, "Starter &roles", self.roles_list, "starter_roles",
                      STARTER_ROLES_HINT)
        layout.addWidget(scroll, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.back_button = QPushButton("Back")
        self.back_button.setAccessibleName("Back to the welcome page")
        self.back_button.setAutoDefault(False)
        self.create_button = QPushButton("Create organisation")
        self.create_button.setAccessibleName("Create organisation")
        self.create_button.setDefault(True)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)

        for first, second in (
            (self.name_edit, self.sites_edit),
            (self.sites_edit, self.currency_box),
            (self.currency_box, self.edition_buttons["2015"]),
            (self.edition_buttons["2015"], self.edition_buttons["2026"]),
            (self.edition_buttons["2026"], self.user_name_edit),
            (self.user_name_edit, self.owner_title_edit),
            (self.owner_title_edit, self.roles_list),
            (self.roles_list, self.back_button),
            (self.back_button, self.create_button),
        ):
            QWidget.setTabOrder(first, second)

    def _add_row(
        self, form: QFormLayout, label: str, field: QWidget, key: str, hint: str = ""
    ) -> None:
        """The field with its hint and its problem message right under it."""
        caption = QLabel(label)
        caption.setBuddy(field)
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(field)
        if isinstance(field, QLineEdit):
            column.addWidget(LengthNote(field))  # says so if typing or pasting went past the limit
        if hint:
            hint_label = muted(QLabel(hint))
            hint_label.setWordWrap(True)
            column.addWidget(hint_label)
        problem = problem_label()
        self.problems[key] = problem
        column.addWidget(problem)
        form.addRow(caption, cell)

    def edition(self) -> str:
        return next(
            (code for code, button in self.edition_buttons.items() if button.isChecked()), ""
        )

    def setup(self) -> organisation.OrganisationSetup:
        return organisation.OrganisationSetup(
            name=self.name_edit.text(),
            sites=self.sites_edit.toPlainText().splitlines(),
            currency=self.currency_box.code(),
            edition=self.edition(),
            user_name=self.user_name_edit.text(),
            owner_title=self.owner_title_edit.text(),
            starter_roles=self.starter_roles(),
        )

    def starter_roles(self) -> list[str]:
        """The titles of the ticked starter roles, as (perhaps) renamed."""
        items = (self.roles_list.item(i) for i in range(self.roles_list.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def show_problems(self, problems: dict[str, str]) -> None:
        for key, label in self.problems.items():
            show_problem(label, problems.get(key, ""))
        focus = {
            "name": self.name_edit,
            "currency": self.currency_box,
            "edition": self.edition_buttons["2015"],
            "user_name": self.user_name_edit,
            "owner_title": self.owner_title_edit,
            "starter_roles": self.roles_list,
        }
        first = next((focus[k] for k in focus if k in problems), None)
        if first is not None:
            first.setFocus()


class FirstRunDialog(QDialog):
    """Accepted once the database holds an organisation (`choice` says which way), or once
    connected to a server instead (`connected`; the open `store` is closed then)."""

    def __init__(self, parent: QWidget | None = None, *,
                 store: db.Store | ServerStore | None = None) -> None:
        super().__init__(parent)
        self.choice = ""
        self.store = store
        self.connected: ServerStore | None = None
        self.setWindowTitle(WELCOME_TITLE)
        self.setWindowIcon(app_icon())
        self.setAccessibleName(WELCOME_TITLE)
        # Tall enough for the whole form where the screen allows; it scrolls on a short one.
        resize_within_screen(self, 720, 700, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self.welcome = WelcomePage()
        self.setup_page = SetupPage()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.setup_page)

        self.welcome.setup_button.clicked.connect(self.show_setup)
        self.welcome.sample_button.clicked.connect(self.open_sample)
        self.welcome.server_button.clicked.connect(self.connect_to_server)
        self.welcome.server_button.setVisible(store is not None)
        self.setup_page.back_button.clicked.connect(self.show_welcome)
        self.setup_page.create_button.clicked.connect(self.create_organisation)
        self.show_welcome()

    def show_welcome(self) -> None:
        self.pages.setCurrentWidget(self.welcome)
        self.setup_page.create_button.setDefault(False)
        self.welcome.setup_button.setDefault(True)
        self.welcome.setup_button.setFocus()

    def show_setup(self) -> None:
        self.pages.setCurrentWidget(self.setup_page)
        self.welcome.setup_button.setDefault(False)
        self.setup_page.create_button.setDefault(True)
        self.setup_page.name_edit.setFocus()

    def reject(self) -> None:
        """Escape: from the form back to the welcome; from the welcome, close."""
        if self.pages.currentWidget() is self.setup_page:
            self.show_welcome()
            return
        super().reject()

    def create_organisation(self) -> None:
        setup = self.setup_page.setup()
        problems = setup.problems()
        if not setup.owner_title.strip():  # the service allows none; the first run asks one
            problems["owner_title"] = (f"Give your title, such as {organisation.OWNER_TITLE}: "
                                       "you are recorded in that top-management role.")
        self.setup_page.show_problems(problems)
        if problems:
            return
        try:
            organisation.set_up(setup)
        except ValidationError as invalid:
            self.setup_page.show_problems(invalid.problems)
            return
        except errors.EnvironmentProblem as problem:
            error_dialogs.show_problem(self, problem)
            return
        self.choice = "setup"
        self.accept()

    def connect_to_server(self) -> None:
        """The connect dialog; once connected, the server is used instead of this database."""
        from ui.shell.connect_dialog import ConnectDialog, open_server_instead

        if self.store is None:
            return
        dialog = ConnectDialog(self, open_server=open_server_instead(self.store))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.store is None:
            return
        self.connected = dialog.store
        self.choice = "server"
        self.accept()

    def open_sample(self) -> None:
        try:
            from qms_desktop.sample import fill_sample
        except ImportError:
            error_dialogs.show_information(
                self, "Sample company not available",
                "This copy of QMS Desktop has no sample company. Set up your own "
                "organisation instead.",
            )
            return
        progress = QProgressDialog("Preparing the sample company…", "", 0, 0, self)
        progress.setWindowTitle(SAMPLE_CHOICE)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAccessibleName("Preparing the sample company")
        progress.show()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            fill_sample("small", progress=progress_callback(progress))
        except errors.EnvironmentProblem as problem:
            failure: errors.EnvironmentProblem | None = problem
        else:
            failure = None
        finally:
            QApplication.restoreOverrideCursor()
            progress.close()
        if failure is not None:
            error_dialogs.show_problem(self, failure)
            return
        self.choice = "sample"
        self.accept()


def progress_callback(progress: QProgressDialog) -> Callable[..., None]:
    """Drive a progress dialog from (done, total) reports, or from any other report."""

    def report(*args: object) -> None:
        numbers = [a for a in args if isinstance(a, int)]
        if len(numbers) >= 2 and numbers[1] > 0:
            progress.setMaximum(numbers[1])
            progress.setValue(min(numbers[0], numbers[1]))
        texts = [a for a in args if isinstance(a, str)]
        if texts:
            progress.setLabelText(texts[0])
        QApplication.processEvents()

    return report
