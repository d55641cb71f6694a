"""People: the register, the roles each person holds, and the hand-over when someone leaves."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import catalogue, responsibilities
from qms_desktop.models import Person, Role
from ui.kit.header import muted, title_font
from ui.kit.live import ChangeSource
from ui.kit.permission import hold_refused, write_refusal
from ui.kit.register_screen import RegisterScreen
from ui.screens.people.leaver_dialog import offer_leaver_dialog

ROLE_ID = Qt.ItemDataRole.UserRole


class RolesPanel(QFrame):
    """Tick the roles a person holds; each tick is saved at once, with its history."""

    changed = Signal(str)  # a status message
    leaver_recorded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person: Person | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(6)
        heading = QLabel("Roles held")
        heading.setFont(title_font(self.font(), 1.1))
        layout.addWidget(heading)
        self.hint = muted(QLabel())
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.roles_list = QListWidget()
        self.roles_list.setAccessibleName("Roles held")
        self.roles_list.setMaximumHeight(150)
        self.roles_list.itemChanged.connect(self._role_ticked)
        layout.addWidget(self.roles_list)
        row = QHBoxLayout()
        row.addStretch(1)
        self.leaver_button = QPushButton("Mark as &leaving…")
        self.leaver_button.setAccessibleName("Mark as leaving and hand over")
        self.leaver_button.setToolTip(
            "Record that this person is leaving and choose who takes over their duties, "
            "roles, processes, objectives, actions and resources (6.3)."
        )
        self.leaver_button.clicked.connect(self._leaving)
        row.addWidget(self.leaver_button)
        layout.addLayout(row)
        # A role that may only read: the register's line under New says why, so do the tips.
        hold_refused(write_refusal("person"), self.leaver_button)
        hold_refused(write_refusal("person_role"), self.roles_list)
        self.show_person(None)

    def show_person(self, person: Person | None) -> None:
        self.person = person
        self._loading = True
        self.roles_list.clear()
        roles = list(Role.live().order_by(Role.title))
        held = {r.id for r in responsibilities.roles_of(person)} if person else set()
        for role in roles:
            label = role.title + ("  · top management" if role.is_top_management else "")
            item = QListWidgetItem(label)
            item.setData(ROLE_ID, role.id)
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked if role.id in held
                               else Qt.CheckState.Unchecked)
            self.roles_list.addItem(item)
        self._loading = False
        editable = person is not None and person.archived_at is None and person.active
        self.roles_list.setEnabled(editable)
        self.leaver_button.setEnabled(editable)
        if person is None:
            self.hint.setText("Save the person first, then tick the roles they hold.")
        elif not roles:
            self.hint.setText("No roles yet: add them under Leadership › Roles.")
        elif not person.active:
            self.hint.setText(f"{person.full_name} has left; their roles were handed over.")
        else:
            self.hint.setText("A person can hold several roles, and a role can be shared.")

    def _role_ticked(self, item: QListWidgetItem) -> None:
        if self._loading or self.person is None:
            return
        role = Role.get_by_id(item.data(ROLE_ID))
        holds = item.checkState() == Qt.CheckState.Checked
        responsibilities.set_role(self.person, role, holds)
        verb = "now holds" if holds else "no longer holds"
        self.changed.emit(f"{self.person.full_name} {verb} the role {role.title}.")

    def _leaving(self) -> None:
        if self.person is None:
            return
        if offer_leaver_dialog(self.person, self):
            self.leaver_recorded.emit()


class PeopleScreen(RegisterScreen):
    """The people register with the roles each holds and the leaver hand-over (5.3, 6.3)."""

    open_screen = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(catalogue.PEOPLE, parent, changes=changes)
        self.roles_panel = RolesPanel()
        self.add_below_form(self.roles_panel)
        self.record_shown.connect(self._record_shown)
        self.roles_panel.changed.connect(self.status_message)
        self.roles_panel.leaver_recorded.connect(self._after_leaving)

    def reload(self) -> None:
        """The register, and the roles list (roles may be added or handed over elsewhere)."""
        super().reload()
        roles_list = self.roles_panel.roles_list
        row = roles_list.currentRow()
        self._record_shown(self.form.record)
        roles_list.setCurrentRow(min(row, roles_list.count() - 1))

    def _record_shown(self, record: object) -> None:
        self.roles_panel.show_person(record if isinstance(record, Person) else None)

    def _after_leaving(self) -> None:
        person = self.roles_panel.person
        self.reload()
        if person is not None:
            self.status_message.emit(f"{person.full_name} has left; their responsibilities "
                                     "were handed over.")
