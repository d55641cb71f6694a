"""Interested parties (4.2): the parties register and, for the chosen party, what it requires
and whether the quality system addresses it.

Both lists are the general `RegisterScreen`: the parties over `INTERESTED_PARTIES`, and below
it the requirements narrowed to the chosen party (`requirements_for` puts new ones there).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import context
from qms_desktop.context_registers import INTERESTED_PARTIES, requirements_for
from qms_desktop.models import InterestedParty, PartyRequirement, is_live
from ui.kit.header import title_and_clause
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.register_screen import RegisterScreen
from ui.kit.theme import (
    muted_color,
    on_theme_change,
    set_text_color,
    success_color,
    tint,
    warning_color,
)
from ui.kit.widgets import bold, screen_layout

# One line on a 1024-wide window: the two registers below need all the height it can spare.
DESCRIPTION = (
    "Who has a stake in what you deliver, what they require, and how the quality system "
    "addresses it."
)
# Below this height the screen drops its description and the requirements hint (both stay as
# the tooltips of the headings) so that the party's fields and its requirements keep the room.
SHORT_HEIGHT = 600
REQUIREMENTS_HINT = (
    "Untick “Addressed by the QMS” for one you decide not to address; say why in “How it is "
    "addressed”."
)
GAP_HUE = "#d99a00"
OK_HUE = "#2e8b45"


def _compact(screen: RegisterScreen) -> RegisterScreen:
    screen.title_label.hide()
    screen.clause_label.hide()
    screen.description_label.hide()
    layout = screen.layout()
    if layout is not None:
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(8)
    return screen


# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = ("interested_party", "party_requirement", "context_issue", "person")


class PartiesScreen(QWidget):
    """Parties above, the chosen party's requirements below, and the count not addressed."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Interested parties")
        self._party: InterestedParty | None = None

        self._build_header()
        self._build_banner()
        self.parties = _compact(RegisterScreen(INTERESTED_PARTIES))
        self.requirements = _compact(RegisterScreen(requirements_for(self.party_id)))
        self.requirements.setAccessibleName("Requirements of the chosen interested party")
        self.requirements.new_button.setText("Ne&w requirement")
        self.requirements.new_button.setToolTip("Add a requirement of this interested party")

        self.requirements_heading = bold(QLabel("Requirements"), 1.15)
        self.requirements_heading.setAccessibleName("Requirements shown")
        self.requirements_hint = QLabel()
        self.requirements_hint.setWordWrap(True)
        self.requirements_hint.setAccessibleName("About the requirements")
        self.no_party_label = QLabel()
        self.no_party_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_party_label.setWordWrap(True)
        self.no_party_label.setMargin(24)
        self.no_party_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.no_party_label.setBackgroundRole(QPalette.ColorRole.Base)
        self.no_party_label.setAutoFillBackground(True)
        self.no_party_label.setAccessibleName("No interested party chosen")
        self.requirements_stack = QStackedWidget()
        self.requirements_stack.addWidget(self.no_party_label)
        self.requirements_stack.addWidget(self.requirements)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 4, 0, 0)
        lower_layout.setSpacing(2)
        # Heading and hint each take the full width: beside each other the hint wrapped into a
        # tall narrow column that left a short window no height for the requirements.
        self.requirements_heading.setWordWrap(True)
        lower_layout.addWidget(self.requirements_heading)
        lower_layout.addWidget(self.requirements_hint)
        lower_layout.addWidget(self.requirements_stack, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.parties)
        self.splitter.addWidget(lower)
        # The party's form needs the height for its title and fields; the requirements list
        # is useful with a few rows, and the handle gives it more.
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([420, 280])
        self.parties.splitter.setSizes([820, 360])
        self.requirements.splitter.setSizes([760, 420])

        screen_layout(self, self._header_layout, self.banner, self.splitter, spacing=8,
                      bottom=12)

        self.parties.status_message.connect(self.status_message)
        self.requirements.status_message.connect(self.status_message)
        self.parties.record_shown.connect(self._party_shown)
        self.requirements.model.modelReset.connect(self._requirements_changed)
        self._apply_colours()
        on_theme_change(self, self._apply_colours)
        self._show_party(None)
        self.refresh_banner()
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    # --- Building -------------------------------------------------------------------------

    def _build_header(self) -> None:
        title_row, self.title_label, self.clause_label = title_and_clause(
            "Interested parties", "Clause 4.2")
        self.description_label = QLabel(DESCRIPTION)
        self.description_label.setWordWrap(True)
        self.description_label.setAccessibleName("About interested parties")
        self.title_label.setToolTip(DESCRIPTION)
        self._header_layout = QVBoxLayout()
        self._header_layout.setSpacing(2)
        self._header_layout.addLayout(title_row)
        self._header_layout.addWidget(self.description_label)

    def _build_banner(self) -> None:
        self.banner = QFrame()
        self.banner.setObjectName("unaddressedBanner")
        self.banner.setAccessibleName("Requirements not addressed")
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_label.setAccessibleName("Requirements not addressed")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(14, 8, 10, 8)
        row.addWidget(self.banner_label, 1)

    def _apply_colours(self) -> None:
        palette = self.palette()
        muted = muted_color(palette)
        for label in (self.clause_label, self.description_label, self.requirements_hint,
                      self.no_party_label):
            set_text_color(label, muted)
        self._colour_banner(getattr(self, "_unaddressed", 0))

    def _colour_banner(self, unaddressed: int) -> None:
        palette = self.palette()
        hue = GAP_HUE if unaddressed else OK_HUE
        back = tint(palette, hue) if unaddressed else palette.color(
            QPalette.ColorRole.AlternateBase)
        border = QColor(hue) if unaddressed else palette.color(QPalette.ColorRole.Mid)
        self.banner.setStyleSheet(
            f"QFrame#unaddressedBanner {{ background: {back.name()}; border: 1px solid "
            f"{border.name()}; border-radius: 6px; }}"
        )
        set_text_color(self.banner_label, palette.color(QPalette.ColorRole.WindowText))
        font = QFont(self.banner_label.font())
        font.setBold(bool(unaddressed))
        self.banner_label.setFont(font)
        if not unaddressed:
            set_text_color(self.banner_label, success_color(palette))
        elif palette.color(QPalette.ColorRole.Window).lightness() < 128:
            set_text_color(self.banner_label, warning_color(palette))

    # --- Loading ----------------------------------------------------------------------------

    def party_id(self) -> str | None:
        """The party new requirements belong to (the one chosen above)."""
        return self._party.id if self._party is not None else None

    def unaddressed_count(self) -> int:
        return len(context.unaddressed_requirements())

    def refresh_banner(self) -> None:
        unaddressed = self.unaddressed_count()
        self._unaddressed = unaddressed
        total = (
            PartyRequirement.select()
            .join(InterestedParty)
            .where(is_live(PartyRequirement, InterestedParty))
            .count()
        )
        if unaddressed:
            noun = "requirement is" if unaddressed == 1 else "requirements are"
            self.banner_label.setText(
                f"{unaddressed} {noun} not addressed by the quality system: decide how to "
                "address each one, or record why not."
            )
        elif total:
            self.banner_label.setText(
                f"All {total} requirements are addressed by the quality system."
                if total > 1 else "The one requirement recorded is addressed."
            )
        else:
            self.banner_label.setText(
                "No requirements recorded yet. Add your interested parties, then what each of "
                "them requires of you."
            )
        self._colour_banner(unaddressed)

    def _party_shown(self, record: object) -> None:
        party = record if isinstance(record, InterestedParty) else None
        if party is not None and party.archived_at is not None:
            party = None
        previous = self.party_id()
        if (party.id if party else None) == previous:
            self._party = party  # the same party, saved again: keep the new name
            self._update_requirements_heading()
            return
        self._leave_requirement()
        self._show_party(party)

    def _leave_requirement(self) -> None:
        """Before the requirements show another party: save or drop an edited one."""
        if not self.requirements.has_unsaved_changes():
            return
        answer = QMessageBox.question(
            self,
            "Unsaved requirement",
            "Save the changes to the requirement first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save and self.requirements.save():
            return
        self.requirements.revert()

    def _show_party(self, party: InterestedParty | None) -> None:
        self._party = party
        if party is None:
            self.requirements.set_condition(lambda: PartyRequirement.id.is_null(), "")
            self.no_party_label.setText(
                "Choose an interested party above to see and add its requirements."
                if self.parties.model.total() else
                "Add an interested party above (New), save it, then list what it requires "
                "here."
            )
            self.requirements_stack.setCurrentWidget(self.no_party_label)
        else:
            party_id = party.id
            self.requirements.set_condition(
                lambda: PartyRequirement.party == party_id, f"“{party.name}”"
            )
            self.requirements_stack.setCurrentWidget(self.requirements)
        # The form may still hold a requirement of the party shown before.
        self.requirements.form.load_record(None)
        self.requirements.revert()
        self._update_requirements_heading()

    def _update_requirements_heading(self) -> None:
        party = self._party
        if party is None:
            self.requirements_heading.setText("Requirements")
            self.requirements_hint.setText("")
            self.requirements_heading.setToolTip("")
            return
        self.requirements_heading.setText(f"Requirements of {party.name}")
        self.requirements_hint.setText(REQUIREMENTS_HINT)
        self.requirements_heading.setToolTip(REQUIREMENTS_HINT)

    def _requirements_changed(self) -> None:
        self.refresh_banner()
        # The counts in the parties list follow the requirements.
        if not self.parties.has_unsaved_changes():
            self.parties.model.refresh()

    # --- What the main window calls ---------------------------------------------------------

    def _in_requirements(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and self.requirements.isAncestorOf(focus)

    def reload(self) -> None:
        self.parties.reload()
        if self._party is not None:
            self._party = InterestedParty.get_or_none(InterestedParty.id == self._party.id)
        self.requirements.reload()
        self._update_requirements_heading()
        self.refresh_banner()

    def new_record(self) -> None:
        if self._in_requirements() and self._party is not None:
            self.requirements.new_record()
        else:
            self.parties.new_record()

    def focus_search(self) -> None:
        if self._in_requirements() and self._party is not None:
            self.requirements.focus_search()
        else:
            self.parties.focus_search()

    def save(self) -> bool:
        saved = False
        for screen in (self.parties, self.requirements):
            if screen.has_unsaved_changes():
                saved = screen.save() or saved
        return saved

    def has_unsaved_changes(self) -> bool:
        return self.parties.has_unsaved_changes() or self.requirements.has_unsaved_changes()

    # --- Qt events ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        roomy = event.size().height() >= SHORT_HEIGHT
        self.description_label.setVisible(roomy)
        self.requirements_hint.setVisible(roomy)
        super().resizeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if not event.spontaneous():
            self.refresh_banner()
        super().showEvent(event)
