"""Responsibilities (5.3): who holds each of the five duties, and the RACI matrix.

Each duty is a card: who holds it (a role or a person), when that was communicated, and in
words what an auditor would write up. Edits are kept until Save (Ctrl+S), so a holder and
the date they were told are stored together; the RACI tab saves each letter at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import formatting, organisation, responsibilities
from qms_desktop.clauses import DUTIES, Duty
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.models import Person, Role
from qms_desktop.responsibilities import DutyStatus
from ui.kit.header import ScreenHeader
from ui.kit.icons import icon
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.permission import hold_refused, refused_line, write_refusal
from ui.kit.record_changed import ChangedBar, ChangesDialog, Difference
from ui.kit.record_form import OptionalDateEdit
from ui.kit.theme import error_color, muted_color, set_text_color, warning_fill
from ui.kit.widgets import problems_text, screen_layout, show_problem, shown_problem
from ui.screens.responsibilities.raci_editor import RaciEditor

NOBODY = "— nobody —"
DESCRIPTION = (
    "ISO 9001 asks top management to give five duties to named people and to tell them. "
    "An auditor checks that each one has a holder and that the holder knows."
)


def _holder_choices() -> list[tuple[str, str]]:
    """(label, key) for every role and every active person; key is "role:<id>"/"person:<id>"."""
    choices = []
    for role in Role.live().order_by(Role.title):
        names = ", ".join(p.display_name() for p in responsibilities.role_holders(role))
        choices.append((f"Role: {role.display_name()} ({names or 'nobody'})", f"role:{role.id}"))
    choices += [(person.display_name(), f"person:{person.id}")
                for person in organisation.active_people()]
    return choices


def _holder_key(status: DutyStatus) -> str:
    found = status.assignment
    if found is None:
        return ""
    if found.person_id is not None:
        return f"person:{found.person_id}"
    if found.role_id is not None:
        return f"role:{found.role_id}"
    return ""


class DutyCard(QFrame):
    """One duty: what it means, who holds it, when they were told, and any gap."""

    edited = Signal()

    def __init__(self, duty: Duty, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.duty = duty
        self._status: DutyStatus | None = None
        # The duty as shown when the edits began: a save over a change of it made since is
        # refused (assign_duty), and the bar offers theirs.
        self._read: DutyStatus | None = None
        self.compare_dialog: ChangesDialog | None = None
        self._baseline: tuple[str, str] = ("", "")
        self._loading = False
        self.setObjectName("dutyCard")
        self.setStyleSheet(
            "QFrame#dutyCard { border: 1px solid palette(mid); border-radius: 6px; }"
        )
        self.setAccessibleName(f"{duty.clause} {duty.title}")

        self.clause_label = QLabel(duty.clause)
        set_text_color(self.clause_label, muted_color(self.palette()))
        self.title_label = QLabel(f"<b>{duty.title}</b>")
        self.explanation_label = QLabel(duty.explanation)
        self.explanation_label.setWordWrap(True)
        set_text_color(self.explanation_label, muted_color(self.palette()))
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(f"{duty.clause}: status")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(f"{duty.clause}: problem")
        set_text_color(self.error_label, error_color(self.palette()))
        self.error_label.hide()
        self.changed_bar = ChangedBar()
        self.changed_bar.setAccessibleName(f"{duty.clause}: changed by someone else")

        self.holder_combo = QComboBox()
        self.holder_combo.setAccessibleName(f"{duty.clause}: held by")
        self.holder_combo.setToolTip("A role (everyone in it shares the duty) or one person")
        self.holder_combo.setMinimumContentsLength(22)  # the cards fit a 1024-wide window
        self.holder_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.date_edit = OptionalDateEdit()
        self.date_edit.setAccessibleName(f"{duty.clause}: communicated on")
        self.date_edit.setToolTip("When the holder was told about this duty")

        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        title_row.addWidget(self.clause_label)
        title_row.addWidget(self.title_label, 1)
        text = QVBoxLayout()
        text.setSpacing(4)
        text.addLayout(title_row)
        text.addWidget(self.explanation_label)
        text.addStretch(1)

        fields = QFormLayout()
        fields.setSpacing(6)
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Labels above their fields: a role with its holder's name reads in full beside the
        # duty's explanation, even in a 1024-wide window.
        fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        held_label = QLabel("Held by")
        held_label.setBuddy(self.holder_combo)
        told_label = QLabel("Communicated on")
        told_label.setBuddy(self.date_edit.line_edit)
        fields.addRow(held_label, self.holder_combo)
        fields.addRow(told_label, self.date_edit)

        grid = QGridLayout(self)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(6)
        grid.addLayout(text, 0, 0)
        grid.addLayout(fields, 0, 1)
        grid.addWidget(self.status_label, 1, 0, 1, 2)
        grid.addWidget(self.error_label, 2, 0, 1, 2)
        grid.addWidget(self.changed_bar, 3, 0, 1, 2)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 4)

        self.holder_combo.currentIndexChanged.connect(self._edited)
        self.date_edit.changed.connect(self._edited)
        self.changed_bar.reload_requested.connect(self.reload_theirs)
        self.changed_bar.compare_requested.connect(self.compare)

    # --- Loading and reading ------------------------------------------------------------

    def load(self, status: DutyStatus, choices: list[tuple[str, str]], keep_edits: bool) -> None:
        """Show `status` as saved; with `keep_edits`, what the user changed stays in place."""
        edited = keep_edits and self.has_unsaved_changes()
        chosen, typed = self.holder_key(), self.date_edit.text()
        self._status = status
        if not edited:
            self._read = status
        saved_key = _holder_key(status)
        saved_date = status.assignment.communicated_on if status.assignment else None
        self._loading = True
        try:
            self._fill_choices(choices, status, saved_key)
            if edited:
                self._select(chosen)
                self.date_edit.set_date(typed)
            else:
                self._select(saved_key)
                self.date_edit.set_date(saved_date)
        finally:
            self._loading = False
        self._baseline = (saved_key, saved_date.isoformat() if saved_date else "")
        self._show_status()
        if not edited:
            self.error_label.hide()
            self.changed_bar.hide()
        self._update_enabled()

    def _fill_choices(
        self, choices: list[tuple[str, str]], status: DutyStatus, saved_key: str
    ) -> None:
        combo = self.holder_combo
        combo.clear()
        combo.addItem(NOBODY, "")
        roles = [c for c in choices if c[1].startswith("role:")]
        people = [c for c in choices if c[1].startswith("person:")]
        if roles:
            combo.insertSeparator(combo.count())
            for label, key in roles:
                combo.addItem(label, key)
        if people:
            combo.insertSeparator(combo.count())
            for label, key in people:
                combo.addItem(label, key)
        if saved_key and combo.findData(saved_key) < 0 and status.assignment is not None:
            # A holder who has left (or an archived role) stays visible until replaced.
            found = status.assignment
            holder = found.person if found.person is not None else found.role
            if holder is not None:
                combo.addItem(f"{holder.display_name()} (no longer active)", saved_key)

    def _select(self, key: str) -> None:
        index = self.holder_combo.findData(key)
        self.holder_combo.setCurrentIndex(max(index, 0))

    def holder_key(self) -> str:
        return str(self.holder_combo.currentData() or "")

    def has_unsaved_changes(self) -> bool:
        return (self.holder_key(), self.date_edit.text()) != self._baseline

    @property
    def status(self) -> DutyStatus | None:
        return self._status

    def gap_text(self) -> str:
        """The gap shown on the card (as saved), or "" when the duty is sound."""
        return self._status.gap if self._status is not None else ""

    def error_text(self) -> str:
        return shown_problem(self.error_label)

    # --- Saving -------------------------------------------------------------------------

    def save(self) -> bool:
        """Write this duty's holder and date; on a problem show it and return False."""
        problem = self.date_edit.problem()
        if problem is not None:
            show_problem(self.error_label, problem)
            return False
        key = self.holder_key()
        person = role = None
        if key.startswith("person:"):
            person = Person.get_by_id(key.removeprefix("person:"))
        elif key.startswith("role:"):
            role = Role.get_by_id(key.removeprefix("role:"))
        notes = self._status.assignment.notes if self._status and self._status.assignment else ""
        try:
            responsibilities.assign_duty(
                self.duty.key,
                person=person,
                role=role,
                communicated_on=self.date_edit.date() if key else None,
                notes=notes,
                read=self._read,
            )
        except RecordChanged as refused:
            self.error_label.hide()
            self.changed_bar.show_refusal(refused)
            return False
        except ValidationError as error:
            show_problem(self.error_label, problems_text(error))
            return False
        self.error_label.hide()
        self.changed_bar.hide()
        return True

    def refusal_text(self) -> str:
        """Why the last save was refused when someone changed the duty first, else ""."""
        return self.changed_bar.text()

    def _shown(self, key: str, told: str) -> tuple[str, str]:
        index = self.holder_combo.findData(key)
        holder = self.holder_combo.itemText(index) if key and index >= 0 else NOBODY
        return holder, told

    def differences(self) -> list[Difference]:
        """Holder and date as chosen here beside the duty as stored now."""
        stored = responsibilities.assignment(self.duty.key)
        told = stored.communicated_on if stored is not None else None
        theirs_key = ("" if stored is None else f"person:{stored.person_id}"
                      if stored.person_id is not None else f"role:{stored.role_id}")
        mine = self._shown(self.holder_key(), self.date_edit.text())
        theirs = self._shown(theirs_key, told.isoformat() if told else "")
        return [(label, a, b) for label, a, b in zip(("Held by", "Communicated on"), mine, theirs,
                                                     strict=True) if a != b]

    def compare(self) -> None:
        """My choice beside theirs; "Reload theirs" takes theirs."""
        self.compare_dialog = ChangesDialog.offer(self.differences(), self, self.reload_theirs)

    def reload_theirs(self) -> None:
        """Drop my edits and show the duty as stored now; the next save goes over it."""
        status = next(s for s in responsibilities.duty_statuses() if s.duty.key == self.duty.key)
        self.load(status, _holder_choices(), keep_edits=False)
        self.edited.emit()

    # --- Internals ----------------------------------------------------------------------

    def _edited(self, *_args: object) -> None:
        if self._loading:
            return
        self.error_label.hide()
        self._update_enabled()
        self._show_status()
        self.edited.emit()

    def _update_enabled(self) -> None:
        has_holder = bool(self.holder_key())
        self.date_edit.setEnabled(has_holder)

    def _show_status(self) -> None:
        status = self._status
        label = self.status_label
        if self.has_unsaved_changes():
            label.setText("Changed: press Save to keep it.")
            label.setStyleSheet("")
            set_text_color(label, muted_color(self.palette()))
            return
        if status is None or not status.is_gap:
            assignment = status.assignment if status is not None else None
            told = (f", told on {formatting.long_date(assignment.communicated_on)}"
                    if assignment else "")
            holder = status.holder if status is not None else ""
            label.setText(f"✓ Held by {holder}{told}.")
            label.setStyleSheet("")
            set_text_color(label, muted_color(self.palette()))
            return
        fill = warning_fill(self.palette()).name()
        ink = error_color(self.palette()).name()
        label.setText(f"Gap — {status.gap}")
        label.setStyleSheet(
            f"QLabel {{ background: {fill}; color: {ink}; border-radius: 4px;"
            " padding: 4px 8px; }"
        )


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = ("duty_assignment", "raci_cell", "process", "role", "person", "person_role")


class ResponsibilitiesScreen(QWidget):
    """The five duties (5.3) on one tab and the RACI matrix on the other."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Responsibilities")

        self.header = ScreenHeader("Responsibilities", "5.3", icon("responsibilities"))
        self.description_label = QLabel(DESCRIPTION)
        self.description_label.setWordWrap(True)
        set_text_color(self.description_label, muted_color(self.palette()))
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Duties summary")
        summary_font = self.summary_label.font()
        summary_font.setBold(True)
        self.summary_label.setFont(summary_font)

        self.cards = [DutyCard(duty) for duty in DUTIES]
        self.save_button = QPushButton("&Save")
        self.save_button.setToolTip("Save the holders and dates of the duties (Ctrl+S)")
        self.save_button.setAccessibleName("Save duties")
        self.revert_button = QPushButton("Re&vert")
        self.revert_button.setToolTip("Go back to the saved holders and dates")
        self.unsaved_label = QLabel()
        set_text_color(self.unsaved_label, muted_color(self.palette()))

        self.raci_editor = RaciEditor()

        duties_page = QWidget()
        duties_layout = QVBoxLayout(duties_page)
        duties_layout.setContentsMargins(0, 12, 0, 0)
        duties_layout.setSpacing(10)
        bar = QHBoxLayout()
        bar.addWidget(self.summary_label)
        bar.addStretch(1)
        bar.addWidget(self.unsaved_label)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        duties_layout.addLayout(bar)
        # A role that may only read: the holders only show, and the line says why.
        duties_layout.addWidget(refused_line(write_refusal("duty_assignment"), self.save_button,
                                             self.revert_button))
        for card in self.cards:
            hold_refused(write_refusal("duty_assignment"), card.holder_combo, card.date_edit)
        cards_widget = QWidget()
        cards_layout = QVBoxLayout(cards_widget)
        cards_layout.setContentsMargins(0, 0, 6, 0)
        cards_layout.setSpacing(10)
        for card in self.cards:
            cards_layout.addWidget(card)
        cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(cards_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area = scroll
        duties_layout.addWidget(scroll, 1)

        raci_page = QWidget()
        raci_layout = QVBoxLayout(raci_page)
        raci_layout.setContentsMargins(0, 12, 0, 0)
        raci_layout.addWidget(self.raci_editor)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(duties_page, "The five &duties")
        self.tabs.addTab(raci_page, "&RACI matrix")

        screen_layout(self, self.header, self.description_label, self.tabs, spacing=8)

        for card in self.cards:
            card.edited.connect(self._update_buttons)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.raci_editor.status_message.connect(self.status_message)
        self._load(keep_edits=False)
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    # --- What the main window calls -------------------------------------------------------

    def reload(self) -> None:
        """Read holders, roles and people again; unsaved edits stay in place."""
        self._load(keep_edits=True)
        self.raci_editor.reload()

    def has_unsaved_changes(self) -> bool:
        return any(card.has_unsaved_changes() for card in self.cards)

    def save(self) -> bool:
        """Save every changed duty; False (with the problems shown) if any could not be."""
        changed = [card for card in self.cards if card.has_unsaved_changes()]
        if not changed:
            return False
        failed = [card for card in changed if not card.save()]
        self._load(keep_edits=True)
        if failed:
            refused = failed[0].refusal_text()
            self.status_message.emit(refused or (
                f"Not saved: {', '.join(c.duty.clause for c in failed)}. See the message in red."
            ))
            failed[0].holder_combo.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(failed[0])
            return False
        self.status_message.emit(self._summary())
        return True

    def revert(self) -> None:
        self._load(keep_edits=False)

    def card(self, duty_key: str) -> DutyCard:
        return next(card for card in self.cards if card.duty.key == duty_key)

    # --- Internals --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        # People and roles may have changed on another screen since this one was last shown.
        self._load(keep_edits=True)
        super().showEvent(event)

    def _load(self, keep_edits: bool) -> None:
        statuses = {s.duty.key: s for s in responsibilities.duty_statuses()}
        choices = _holder_choices()
        for card in self.cards:
            card.load(statuses[card.duty.key], choices, keep_edits)
        self._statuses = list(statuses.values())
        self.summary_label.setText(self._summary())
        gaps = sum(1 for s in self._statuses if s.is_gap)
        set_text_color(
            self.summary_label,
            error_color(self.palette()) if gaps else self.palette().color(
                self.summary_label.foregroundRole()
            ),
        )
        self._update_buttons()

    def _summary(self) -> str:
        statuses = self._statuses
        assigned = sum(1 for s in statuses if s.assignment is not None)
        gaps = sum(1 for s in statuses if s.is_gap)
        gap_words = "no gaps" if not gaps else f"{gaps} {'gap' if gaps == 1 else 'gaps'}"
        return f"{assigned} of {len(statuses)} duties assigned · {gap_words}"

    def _update_buttons(self) -> None:
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.unsaved_label.setText("Unsaved changes" if dirty else "")
