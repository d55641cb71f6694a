"""Someone is leaving: pass each of their responsibilities on, then record the leaving date.

ISO 9001 6.3 asks that changes keep the quality system intact; a leaver who owned processes,
actions or one of the 5.3 duties must not leave them without an owner. `hand_over` refuses to
orphan anything, and its message is shown in the dialog.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, organisation
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.models import Person
from qms_desktop.responsibilities import Responsibility, hand_over, responsibilities_of
from ui.kit.record_changed import ChangedChoice, FormField
from ui.kit.record_form import OptionalDateEdit
from ui.kit.theme import error_color, muted_color, set_text_color
from ui.kit.widgets import ok_cancel_buttons, problems_text, show_problem, shown_problem

CHOOSE = "— choose —"
KIND, WHAT, TAKER = range(3)


def _successors(leaver: Person) -> list[Person]:
    return list(organisation.active_people().where(Person.id != leaver.id))


def _person_combo(people: list[Person], name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(CHOOSE, "")
    for person in people:
        combo.addItem(person.display_name(), person.id)
    return combo


class LeaverDialog(QDialog):
    """Who takes over what, and the leaving date; OK hands everything over in one step."""

    def __init__(self, person: Person, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = person
        self.moved = 0
        name = person.display_name()
        self.setWindowTitle(f"{name} is leaving")
        self.setMinimumWidth(640)
        self.items: list[Responsibility] = responsibilities_of(person)
        self._people = _successors(person)
        self._by_id = {p.id: p for p in self._people}

        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.intro_label.setAccessibleName("What happens")
        self._say_what_happens()

        self.everyone_combo = _person_combo(self._people, "Give everything to")
        self.everyone_combo.setMaximumWidth(320)
        self.everyone_combo.setToolTip("Fill every row with the same person; change rows after")
        self.date_edit = OptionalDateEdit()
        self.date_edit.setAccessibleName("Leaving date")
        self.date_edit.set_date(clock.today())
        self.date_edit.setMaximumWidth(260)
        form = QFormLayout()
        form.setSpacing(8)
        everyone_label = QLabel("&Give everything to:")
        everyone_label.setBuddy(self.everyone_combo)
        date_label = QLabel("&Leaving date:")
        date_label.setBuddy(self.date_edit.line_edit)
        if self.items:
            form.addRow(everyone_label, self.everyone_combo)
        form.addRow(date_label, self.date_edit)

        self.table = QTableWidget(len(self.items), 3)
        self.table.setAccessibleName("Responsibilities to hand over")
        self.table.setHorizontalHeaderLabels(["Kind", "What", "Who takes over"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(32)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TAKER, QHeaderView.ResizeMode.Interactive)
        self.row_combos: list[QComboBox] = []
        self._fill_rows({})
        header.resizeSection(TAKER, 220)
        self.table.resizeColumnToContents(KIND)
        header.resizeSection(KIND, header.sectionSize(KIND) + 16)
        self.table.setVisible(bool(self.items))
        self.table.setMinimumHeight(min(360, 40 + 32 * len(self.items)))

        self.note_label = QLabel(
            "A duty passed on shows as a gap on Responsibilities until you record when the "
            "new holder was told."
        )
        self.note_label.setWordWrap(True)
        set_text_color(self.note_label, muted_color(self.palette()))
        self.note_label.setVisible(any(i.kind.startswith("Duty") for i in self.items))
        if not self._people and self.items:
            self.note_label.setText(
                "Nobody else is active. Add the successor on People first, then come back."
            )
            self.note_label.show()

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Why it was not recorded")
        set_text_color(self.error_label, error_color(self.palette()))
        self.error_label.hide()
        # Someone changed the person or one of the things handed over meanwhile: who, when,
        # and Reload (read what they answer for again) or Compare.
        self.changed_choice = ChangedChoice(self, {
            "left_on": FormField(self.date_edit.date, self.date_edit.set_date, "Leaving date"),
        }, self._read_again)

        self.buttons, _ = ok_cancel_buttons(
            self, "Hand over and record leaving" if self.items else "Record leaving"
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.changed_choice.bar)
        layout.addWidget(self.buttons)

        self.everyone_combo.currentIndexChanged.connect(self._give_everything)
        if self.items:
            self.resize(760, 300 + self.table.minimumHeight())
        else:
            layout.addStretch(1)
            self.resize(640, self.sizeHint().height())

    def _say_what_happens(self) -> None:
        name = self.person.display_name()
        if self.items:
            count = len(self.items)
            self.intro_label.setText(
                f"{name} answers for {count} {'thing' if count == 1 else 'things'}. Choose who "
                "takes over each one, so nothing is left without an owner (ISO 9001 6.3)."
            )
        else:
            self.intro_label.setText(
                f"{name} has no responsibilities to hand over: no duties, roles, processes, "
                "objectives, KPIs, risks, resources or open actions. Only the leaving date "
                "is recorded."
            )

    def _fill_rows(self, chosen: dict[str, str]) -> None:
        """A row per responsibility, its successor as in `chosen` (by key: person id)."""
        self.table.setRowCount(len(self.items))
        self.row_combos = []
        for row, item in enumerate(self.items):
            kind = QTableWidgetItem(item.kind)
            what = QTableWidgetItem(item.description)
            what.setToolTip(item.description)
            self.table.setItem(row, KIND, kind)
            self.table.setItem(row, WHAT, what)
            combo = _person_combo(self._people, f"Who takes over {item.kind} {item.description}")
            combo.setCurrentIndex(max(combo.findData(chosen.get(item.key, "")), 0))
            combo.currentIndexChanged.connect(self._row_changed)
            self.table.setCellWidget(row, TAKER, combo)
            self.row_combos.append(combo)

    def _read_again(self, _refused_copy: object) -> None:
        """Their version: the person and what they answer for as stored now, each row
        keeping the successor chosen for it."""
        chosen = {key: person.id for key, person in self.successors().items()}
        self.person = Person.get_by_id(self.person.id)
        self.items = responsibilities_of(self.person)
        self._fill_rows(chosen)
        self._say_what_happens()
        if self.person.left_on is not None:
            self.date_edit.set_date(self.person.left_on)
        self.error_label.hide()

    # --- Reading the choices ----------------------------------------------------------------

    def successor_of(self, row: int) -> Person | None:
        return self._by_id.get(str(self.row_combos[row].currentData() or ""))

    def successors(self) -> dict[str, Person]:
        chosen = {}
        for row, item in enumerate(self.items):
            person = self.successor_of(row)
            if person is not None:
                chosen[item.key] = person
        return chosen

    def error_text(self) -> str:
        return shown_problem(self.error_label)

    # --- Acting -------------------------------------------------------------------------

    def accept(self) -> None:
        problem = self.date_edit.problem()
        left_on = self.date_edit.date()
        if problem is None and left_on is None:
            problem = "Enter the leaving date."
        if problem is not None:
            show_problem(self.error_label, problem)
            self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        assert left_on is not None
        try:
            self.moved = hand_over(self.person, self.successors(), None, left_on)
        except RecordChanged as refused:
            self.error_label.hide()
            self.changed_choice.offer(refused)
            return
        except ValidationError as error:
            show_problem(self.error_label, problems_text(error))
            self._focus_first_unchosen()
            return
        super().accept()

    def _give_everything(self, *_args: object) -> None:
        person_id = self.everyone_combo.currentData()
        if not person_id:
            return
        for combo in self.row_combos:
            combo.setCurrentIndex(combo.findData(person_id))

    def _row_changed(self, *_args: object) -> None:
        self.error_label.hide()

    def _focus_first_unchosen(self) -> None:
        for row, combo in enumerate(self.row_combos):
            if not combo.currentData():
                self.table.scrollTo(self.table.model().index(row, WHAT))
                combo.setFocus(Qt.FocusReason.OtherFocusReason)
                return


def offer_leaver_dialog(person: Person, parent: QWidget | None = None) -> bool:
    """Ask who takes over from `person` and record the leaving; True when it was recorded."""
    dialog = LeaverDialog(person, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
