"""Taking an audit on site and bringing its results back (`qms_desktop.audit_kit`).

"Take on site…" saves the audit's kit: one page to open in a phone's or tablet's browser,
with no network. "Import results…" reads the file that page saved and merges it into the
audit; where a question was also answered differently in the app after the kit was made,
`ConflictDialog` shows both answers and the user picks one for each question.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import audit_kit, formatting
from qms_desktop.audit_kit import Conflict, ImportReport, Results, Side
from qms_desktop.errors import ValidationError
from qms_desktop.models import Audit
from ui.kit.save_dialog import ask_save_path, remember_folder, start_folder
from ui.kit.widgets import muted_label, ok_cancel_buttons, problems_text

KIT_FILTER = "Web page (*.html)"
RESULTS_FILTER = "Site audit results (*.json);;All files (*)"


def _side_text(side: Side) -> str:
    """The notes, who answered and when (the outcome is the radio button's text)."""
    lines = [side.notes or "No notes."]
    who = side.answered_by or "someone"
    if side.answered_at is not None:
        lines.append(f"{who}, {formatting.timestamp(side.answered_at)} UTC")
    elif side.answered_by:
        lines.append(who)
    return "\n".join(lines)


class ConflictDialog(QDialog):
    """Each question answered both on site and, differently, in the app: both answers shown,
    one chosen per question before the import goes ahead."""

    def __init__(self, conflicts: tuple[Conflict, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Answered on site and in the app")
        self.setAccessibleName("Choose between the answers given on site and in the app")
        self.conflicts = conflicts
        self.groups: dict[str, QButtonGroup] = {}
        self.kit_buttons: dict[str, QRadioButton] = {}
        self.app_buttons: dict[str, QRadioButton] = {}

        count = len(conflicts)
        intro = QLabel(
            f"{count} question{'s were' if count != 1 else ' was'} answered in the app after "
            "the kit was made, differently from the answer given on site. Choose which answer "
            "to keep for each; nothing is imported until you do.")
        intro.setWordWrap(True)

        body = QWidget()
        rows = QVBoxLayout(body)
        rows.setContentsMargins(0, 0, 0, 0)
        for conflict in conflicts:
            rows.addWidget(self._question_box(conflict))
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.all_kit_button = QPushButton("All from &site")
        self.all_kit_button.setToolTip("Keep the answer given on site for every question")
        self.all_app_button = QPushButton("All from the &app")
        self.all_app_button.setToolTip("Keep the answer in the app for every question")
        self.all_kit_button.clicked.connect(lambda: self._choose_all(self.kit_buttons))
        self.all_app_button.clicked.connect(lambda: self._choose_all(self.app_buttons))
        self.buttons, self.ok_button = ok_cancel_buttons(self, "&Import",
                                                          "Import with these answers")
        self.buttons.addButton(self.all_kit_button, self.buttons.ButtonRole.ActionRole)
        self.buttons.addButton(self.all_app_button, self.buttons.ButtonRole.ActionRole)
        self.waiting = muted_label()
        self.waiting.setAccessibleName("Questions still to choose")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.waiting)
        layout.addWidget(self.buttons)
        self.resize(640, 520)
        self._update()

    def _question_box(self, conflict: Conflict) -> QGroupBox:
        finding = conflict.finding
        box = QGroupBox(f"Q{finding.position}")
        box.setAccessibleName(f"Question {finding.position}")
        question = QLabel(finding.question)
        question.setWordWrap(True)
        question.setTextFormat(Qt.TextFormat.PlainText)
        group = QButtonGroup(box)
        sides = QHBoxLayout()
        for key, side, title, store in (
                (audit_kit.KIT, conflict.kit, "On site", self.kit_buttons),
                (audit_kit.APP, conflict.app, "In the app", self.app_buttons)):
            column = QVBoxLayout()
            button = QRadioButton(f"{title}: {side.label}")
            button.setAccessibleName(f"Q{finding.position}: keep the answer {title.lower()}")
            button.setProperty("choice", key)
            detail = QLabel(_side_text(side))
            detail.setWordWrap(True)
            detail.setTextFormat(Qt.TextFormat.PlainText)
            detail.setAccessibleName(f"Q{finding.position} {title.lower()}")
            group.addButton(button)
            store[finding.id] = button
            column.addWidget(button)
            column.addWidget(detail)
            column.addStretch(1)
            sides.addLayout(column, 1)
        group.buttonToggled.connect(lambda *_args: self._update())
        self.groups[finding.id] = group
        layout = QVBoxLayout(box)
        layout.addWidget(question)
        layout.addLayout(sides)
        return box

    def _choose_all(self, buttons: dict[str, QRadioButton]) -> None:
        for button in buttons.values():
            button.setChecked(True)

    def _update(self) -> None:
        waiting = [c for c in self.conflicts if self.groups[c.finding.id].checkedButton() is None]
        self.ok_button.setEnabled(not waiting)
        self.waiting.setText(
            "Choose an answer for " + ", ".join(f"Q{c.finding.position}" for c in waiting) + "."
            if waiting else "")

    def choices(self) -> dict[str, str]:
        """Finding id -> "kit" or "app" for each question chosen."""
        chosen = {}
        for finding_id, group in self.groups.items():
            button = group.checkedButton()
            if button is not None:
                chosen[finding_id] = str(button.property("choice"))
        return chosen


def take_on_site(parent: QWidget, audit: Audit) -> Path | None:
    """Ask where to save the audit's kit and write it; None when cancelled or refused (the
    user was told why)."""
    chosen = ask_save_path(parent, "Save the site audit kit", audit_kit.kit_file_name(audit),
                           KIT_FILTER)
    if chosen is None:
        return None
    path = chosen if chosen.suffix.lower() in (".html", ".htm") else Path(f"{chosen}.html")
    try:
        audit_kit.write_kit(audit, path)
    except ValidationError as error:
        QMessageBox.warning(parent, "No kit made", problems_text(error))
        return None
    except OSError as error:
        QMessageBox.warning(parent, "No kit made",
                            f"Could not write {path}: {error.strerror or error}")
        return None
    return path


def ask_results_file(parent: QWidget) -> Path | None:
    chosen, _selected = QFileDialog.getOpenFileName(
        parent, "Import site audit results", str(start_folder()), RESULTS_FILTER)
    if not chosen:
        return None
    remember_folder(Path(chosen).parent)
    return Path(chosen)


def read_for_import(parent: QWidget, path: Path,
                    audit: Audit) -> tuple[Results, tuple[Conflict, ...]] | None:
    """The results in `path` and their conflicts with `audit`; None (the user told why) when
    the file is refused."""
    try:
        results = audit_kit.read_results_file(path)
        plan = audit_kit.plan_import(results, audit)
    except ValidationError as error:
        QMessageBox.warning(parent, "Results not imported", problems_text(error))
        return None
    return results, plan.conflicts


def finish_import(parent: QWidget, results: Results, audit: Audit,
                  choices: dict[str, str]) -> ImportReport | None:
    try:
        return audit_kit.import_results(results, audit, choices=choices)
    except ValidationError as error:
        QMessageBox.warning(parent, "Results not imported", problems_text(error))
        return None
