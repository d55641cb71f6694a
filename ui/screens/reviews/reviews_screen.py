"""Management reviews (9.3): plan the meeting, check its inputs have data, write the minutes,
record decisions, conclude and close, and print the pack.

Reviews are listed on the left; the chosen one is shown on the right in four steps a new user
follows in order: before the meeting, the inputs, the decisions, the conclusion and closing.
The rules (what a review needs before it closes, what closing freezes) live in
`qms_desktop.reviews` and `qms_desktop.packs`; this screen only arranges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import clock, files, packs, review_inputs, reviews
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.models import ManagementReview, Person, ReviewInput, ReviewPack
from qms_desktop.review_data import InputSection, PackData
from qms_desktop.text import plural
from ui.kit import widgets
from ui.kit.controlled_document import (
    STATUS_ROLE,
    WHEN_ROLE,
    VersionDelegate,
    status_chip_style,
)
from ui.kit.header import ScreenHeader
from ui.kit.icons import icon
from ui.kit.live import EVERY_TABLE, ChangeSource, keep_current
from ui.kit.permission import refused_line, write_refusal
from ui.kit.pickers import chosen_person, people_top_first
from ui.kit.record_changed import (
    ChangedBar,
    ChangedChoice,
    ChangesDialog,
    Difference,
    FormField,
    stored_now,
)
from ui.kit.record_form import OptionalDateEdit
from ui.kit.save_dialog import ask_save_path
from ui.kit.tables import select_item_with
from ui.kit.text import long_date, short_date
from ui.kit.theme import error_color, muted_color, set_text_color, warning_color
from ui.kit.widgets import bold, empty_page, muted_label, problems_text, show_problem
from ui.screens.reviews.before_tab import BeforeTab
from ui.screens.reviews.conclusion_tab import ConclusionTab
from ui.screens.reviews.decisions_tab import DecisionsTab
from ui.screens.reviews.inputs_tab import InputSectionWidget, InputsTab
from ui.screens.reviews.pack_preview import PackPreviewDialog, load_pdf, print_pdf
from ui.screens.reviews.parts import panel
from ui.screens.reviews.review_dialogs import (
    AttendeeDialog,
    CloseReviewDialog,
    DecisionDialog,
    PlanReviewDialog,
    busy,
    closed_sentence,
)

STATUS_LABELS = {"planned": "Planned", "held": "Held", "closed": "Closed"}
STATUS_HUES = {"planned": "#3b7dd8", "held": "#d99a00", "closed": "#2e8b45"}
REVIEW_ROLE = Qt.ItemDataRole.UserRole
STEPS = ("before", "inputs", "decisions", "conclusion")
DESCRIPTION = (
    "Top management reviews the quality system at planned intervals, looks at every required "
    "input, decides on improvements, changes and resources, and keeps the results."
)


# --- The screen ------------------------------------------------------------------------------


# Its figures come from every register, so any committed change may alter them.
SHOWN_TABLES = EVERY_TABLE


class ReviewsScreen(QWidget):
    """Management reviews on the left; the chosen one on the right, step by step."""

    status_message = Signal(str)
    open_record = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Management reviews")
        self._review: ManagementReview | None = None
        self._sections: list[InputSection] = []
        self._saved_state: tuple[object, ...] = ()
        # The inputs' notes as shown, with their row versions: a save over someone else's
        # change of one since is refused (reviews.save_minutes), and the notes bar offers it.
        self._read_notes: dict[str, ReviewInput] = {}
        self._refused_note: RecordChanged | None = None
        self.notes_compare_dialog: ChangesDialog | None = None
        self._loading = False
        # The dialog opened last; kept so it stays alive while open (and tests can drive it).
        self.active_dialog: QDialog | None = None
        # Why the signed-in role may not change reviews ("" when it may): the review shows
        # read-only, its buttons disabled with the reason under Save.
        self.write_refusal = write_refusal("management_review")

        self._build_header()
        self._build_empty_state()
        self._build_list_panel()
        self.before_tab = BeforeTab()
        self.inputs_tab = InputsTab()
        self.decisions_tab = DecisionsTab()
        self.conclusion_tab = ConclusionTab()
        self._build_review_panel()

        self.splitter, self.pages = widgets.list_beside_detail(
            self.list_panel, self.review_panel, self.empty_page, (260, 1000))

        widgets.screen_layout(self, self._header_layout, self.pages, spacing=10)
        self._connect()
        keep_current(self, changes, SHOWN_TABLES, self.reload, colours=self._apply_colours)

    # --- Building -------------------------------------------------------------------------

    def _build_header(self) -> None:
        self.header = ScreenHeader("Management reviews", "9.3", icon("reviews"))
        self.header.clause_label.setText("Clause 9.3 · Management review")
        self.description_label = muted_label(DESCRIPTION)
        self.description_label.setAccessibleName("About management reviews")
        self.due_label = QLabel()
        self.due_label.setWordWrap(True)
        self.due_label.setAccessibleName("Next review due")
        self.due_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due_frame = panel("Review interval")
        self.due_frame.setAutoFillBackground(True)
        due_row = QHBoxLayout(self.due_frame)
        due_row.setContentsMargins(12, 4, 12, 4)
        due_row.addWidget(self.due_label, 1)
        self._header_layout = QVBoxLayout()
        self._header_layout.setSpacing(4)
        self._header_layout.addWidget(self.header)
        self._header_layout.addWidget(self.description_label)
        self._header_layout.addWidget(self.due_frame)

    def _build_empty_state(self) -> None:
        self.empty_page, self.empty_text, self.first_button = empty_page(
            "No management review yet",
            "Plan the first review: choose the date and the chair, record who attends, then "
            "go through every required input, decide, conclude and close. The pack prints "
            "it all for the auditor.",
            "&Plan the first review…", "reviews")
        if self.write_refusal:  # the button stays disabled: say why instead of what to do
            self.empty_text.setText(f"No review has been planned yet. {self.write_refusal}")

    def _build_list_panel(self) -> None:
        self.list_panel = QWidget()
        # Wide enough for the delegate (220 px) so dates and status chips are never clipped.
        self.list_panel.setMinimumWidth(250)
        label = bold(QLabel("&Reviews"))
        self.search_edit = QLineEdit()
        self.search_edit.setAccessibleName("Find a review")
        self.search_edit.setPlaceholderText("Find by date, place or chair")
        self.search_edit.setClearButtonEnabled(True)
        self.review_list = QListWidget()
        self.review_list.setAccessibleName("Management reviews")
        self.review_list.setItemDelegate(
            VersionDelegate(self.review_list, STATUS_LABELS, STATUS_HUES, width=220))
        self.review_list.setUniformItemSizes(True)
        label.setBuddy(self.review_list)
        self.plan_button = QPushButton("&Plan review…")
        self.plan_button.setAccessibleName("Plan review")
        self.plan_button.setToolTip("Plan the next management review (Ctrl+N)")
        layout = QVBoxLayout(self.list_panel)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(6)
        layout.addWidget(label)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.review_list, 1)
        layout.addWidget(self.plan_button)

    def _build_review_panel(self) -> None:
        self.review_heading = bold(QLabel(), 1.2)
        self.review_heading.setAccessibleName("Review shown")
        self.review_chip = QLabel()
        self.review_chip.setAccessibleName("Status")
        self.review_meta = muted_label()
        self.review_meta.setAccessibleName("About this review")
        self.review_meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.export_pdf_button = QPushButton("Export P&DF…")
        self.export_pdf_button.setAccessibleName("Export PDF")
        self.export_html_button = QPushButton("Export &HTML…")
        self.export_html_button.setAccessibleName("Export HTML")
        self.preview_button = QPushButton("Pre&view")
        self.preview_button.setAccessibleName("Preview the pack")
        self.as_of_edit = OptionalDateEdit()
        self.as_of_edit.setAccessibleName("Preview as of")
        self.as_of_edit.setToolTip(
            "Preview the pack with the records as they stood at the end of this day (the "
            "review's cut-off unless changed). On a closed review another day gives a "
            "reconstruction, never the record.")
        self.print_button = QPushButton("Pr&int…")
        self.print_button.setAccessibleName("Print the pack")
        self.pack_label = muted_label()  # wraps beside the pack's buttons in a narrow window
        self.pack_label.setAccessibleName("Which pack")

        self.banner = panel("Closed review")
        self.banner.setAutoFillBackground(True)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_label.setAccessibleName("Closed banner")
        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(12, 8, 12, 8)
        banner_row.addWidget(self.banner_label, 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Steps of the review")
        self.tabs.setDocumentMode(True)
        # Short titles, so the four steps fit beside the list in a 1024-wide window; the tips
        # give them in full.
        self.tabs.addTab(self.before_tab, "&1  Preparation")
        self.tabs.setTabToolTip(0, "Before the meeting: when, where, who attends, and whether "
                                   "every input has data")
        self.tabs.addTab(self.inputs_tab, "&2  Inputs")
        self.tabs.addTab(self.decisions_tab, "&3  Decisions")
        self.tabs.addTab(self.conclusion_tab, "&4  Conclusion")
        self.tabs.setTabToolTip(3, "Conclusion and close: the review's conclusion, sign-off "
                                   "and closing")

        self.dirty_label = QLabel()
        self.dirty_label.setAccessibleName("Save state")
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName("Save")

        # Heading, then what the review is, then the pack and its buttons, each on its own
        # row: side by side they made the screen wider than a 1366-pixel laptop display.
        heading_row = QHBoxLayout()
        heading_row.setSpacing(10)
        heading_row.addWidget(self.review_heading)
        heading_row.addWidget(self.review_chip)
        heading_row.addStretch(1)
        self.review_meta.setWordWrap(True)
        meta_row = QHBoxLayout()
        meta_row.addWidget(self.review_meta, 1)
        # The pack and its day on one row, its buttons on the next: on one row they made the
        # screen wider than a 1024-pixel laptop display.
        pack_row = QHBoxLayout()
        pack_row.setSpacing(8)
        pack_row.addWidget(self.pack_label, 1)
        as_of_label = QLabel("&as of")
        as_of_label.setBuddy(self.as_of_edit.line_edit)
        pack_row.addWidget(as_of_label)
        pack_row.addWidget(self.as_of_edit)
        # The pack's name gives way first on a narrow window, not the day.
        self.pack_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                      QSizePolicy.Policy.Preferred)
        self.pack_label.setMinimumWidth(120)
        pack_buttons_row = QHBoxLayout()
        pack_buttons_row.setSpacing(8)
        pack_buttons_row.addStretch(1)
        pack_buttons_row.addWidget(self.export_pdf_button)
        pack_buttons_row.addWidget(self.export_html_button)
        pack_buttons_row.addWidget(self.preview_button)
        pack_buttons_row.addWidget(self.print_button)
        save_row = QHBoxLayout()
        save_row.addWidget(self.dirty_label, 1)
        save_row.addWidget(self.save_button)

        self.review_panel = QWidget()
        layout = QVBoxLayout(self.review_panel)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(heading_row)
        layout.addLayout(meta_row)
        layout.addLayout(pack_row)
        layout.addLayout(pack_buttons_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        # A save that meets someone else's change of the review: who, when, Reload, Compare.
        self.changed_choice = ChangedChoice(self, self._edited_fields(), self._show_theirs)
        layout.addWidget(self.changed_choice.bar)
        # The same for a note of an input: Reload takes theirs for that input only.
        self.notes_bar = ChangedBar()
        self.notes_bar.setAccessibleName("Input changed by someone else")
        self.notes_bar.reload_button.setToolTip(
            "Show their notes on this input; what you typed on the others stays")
        layout.addWidget(self.notes_bar)
        layout.addLayout(save_row)
        # A role that may only read never has unsaved changes: the reason takes that place
        # beside Save, leaving the tabs their height on a small laptop.
        before, decisions = self.before_tab, self.decisions_tab
        save_row.insertWidget(0, refused_line(
            self.write_refusal, self.save_button, self.plan_button, self.first_button,
            before.add_attendee_button, before.remove_attendee_button,
            decisions.add_decision_button, decisions.remove_decision_button), 1)
        if self.write_refusal:
            self.dirty_label.hide()

    def _edited_fields(self) -> dict[str, FormField]:
        """The review's fields as the tabs hold them, for Reload and Compare."""
        before, conclusion = self.before_tab, self.conclusion_tab

        def person(combo: QComboBox) -> FormField:
            return FormField(lambda: combo.currentData() or None,
                             lambda person_id: combo.setCurrentIndex(
                                 max(combo.findData(person_id), 0) if person_id else 0),
                             combo.accessibleName())

        def date(edit: OptionalDateEdit) -> FormField:
            return FormField(edit.date, edit.set_date, edit.accessibleName())

        fields = {
            "meeting_on": date(before.date_edit),
            "place": FormField(lambda: before.place_edit.text().strip(),
                               before.place_edit.setText, "Place"),
            "chair": person(before.chair_combo),
            "minute_taker": person(before.minute_combo),
            "period_start": date(before.period_start_edit),
            "period_end": date(before.period_end_edit),
            "cut_off_on": date(before.cut_off_edit),
            "next_review_on": date(conclusion.next_review_edit),
        }
        for name, edit in conclusion.conclusion_edits.items():
            fields[name] = FormField(edit.toPlainText, edit.setPlainText)
        # The inputs' minutes are records of their own: always kept as typed on Reload.
        fields["input_notes"] = FormField(self.inputs_tab.values, self._put_input_notes)
        return fields

    def _put_input_notes(self, notes: tuple[tuple[str, str], ...]) -> None:
        for section, (commentary, conclusion) in zip(self.inputs_tab.input_sections, notes,
                                                     strict=False):
            section.commentary_edit.setPlainText(commentary)
            section.conclusion_edit.setPlainText(conclusion)

    def _show_theirs(self, review: ManagementReview) -> None:
        # Notes typed over stay checked against the version they were typed over.
        kept, typed = self._read_notes, dict(zip(self._input_codes(), self.inputs_tab.values(),
                                                 strict=True))
        self._load(review.id)
        for code, values in typed.items():
            if _note_text(kept.get(code)) != tuple(v.strip() for v in values):
                self._read_notes.pop(code, None)
                if code in kept:
                    self._read_notes[code] = kept[code]

    def _input_codes(self) -> list[str]:
        return [section.code for section in self.inputs_tab.input_sections]

    def _connect(self) -> None:
        self.first_button.clicked.connect(self.new_record)
        self.plan_button.clicked.connect(self.new_record)
        self.review_list.currentItemChanged.connect(self._review_chosen)
        self.search_edit.textChanged.connect(self._filter_list)
        before, conclusion = self.before_tab, self.conclusion_tab
        for tab in (before, self.inputs_tab, conclusion):
            tab.changed.connect(self._update_dirty)
        before.open_record.connect(self.open_record)
        before.add_attendee_button.clicked.connect(self.open_attendee_dialog)
        before.remove_attendee_button.clicked.connect(self.remove_selected_attendee)
        before.attendance_table.itemSelectionChanged.connect(self._update_buttons)
        before.draft_button.clicked.connect(self.export_pdf)
        self.decisions_tab.add_decision_button.clicked.connect(self.open_decision_dialog)
        self.decisions_tab.remove_decision_button.clicked.connect(self.remove_selected_decision)
        self.decisions_tab.decisions_table.itemSelectionChanged.connect(self._update_buttons)
        conclusion.held_button.clicked.connect(self.mark_held)
        conclusion.close_button.clicked.connect(self.open_close_dialog)
        self.export_pdf_button.clicked.connect(self.export_pdf)
        self.export_html_button.clicked.connect(self.export_html)
        self.preview_button.clicked.connect(self.preview)
        self.print_button.clicked.connect(self.print_pack)
        self.save_button.clicked.connect(self.save)
        self.notes_bar.reload_requested.connect(self.reload_their_note)
        self.notes_bar.compare_requested.connect(self.compare_note)

    def _apply_colours(self) -> None:
        palette = self.palette()
        for frame in (self.due_frame, self.before_tab.check_panel,
                      self.conclusion_tab.stage_panel, self.banner):
            frame_palette = frame.palette()
            frame_palette.setColor(QPalette.ColorRole.Window,
                                   palette.color(QPalette.ColorRole.AlternateBase))
            frame.setPalette(frame_palette)
        for label in (self.description_label, self.empty_text, self.review_meta,
                      self.pack_label):
            set_text_color(label, muted_color(palette))
        for tab in (self.before_tab, self.inputs_tab, self.decisions_tab, self.conclusion_tab):
            tab.apply_colours(palette)
        for label in self.findChildren(QLabel):
            if label.accessibleName() == "Problem":
                set_text_color(label, error_color(palette))
        if self._review is not None:
            self.review_chip.setStyleSheet(
                status_chip_style(palette, self._review.status, STATUS_HUES))
        self.review_list.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Inside the main window its Save action has Ctrl+S; on its own the screen saves.
        if event.matches(QKeySequence.StandardKey.Save):
            self.save()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- Loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the reviews again, keeping the chosen one (and saving its unsaved minutes);
        minutes that cannot be saved yet stay as typed, with their problem shown."""
        if self.has_unsaved_changes() and not self.save():
            return
        self._load(self._review.id if self._review is not None else None)

    def _load(self, keep_id: str | None) -> None:
        all_reviews = reviews.reviews()
        self._update_due_line()
        self._fill_list(all_reviews)
        if not all_reviews:
            self._review = None
            self.pages.setCurrentWidget(self.empty_page)
            return
        self.pages.setCurrentWidget(self.splitter)
        ids = [r.id for r in all_reviews]
        if keep_id not in ids:
            keep_id = ids[0]
        self._select_in_list(keep_id)
        self._show_review(keep_id)

    def _update_due_line(self) -> None:
        today = clock.today()
        due = reviews.review_due(today)
        months = reviews.interval_months()
        palette = self.palette()
        if due.last_held_on is None:
            text = (f"Reviews are planned every {months} months. No review has been held "
                    "yet, so one is due now.")
            colour = warning_color(palette)
        elif due.overdue_months > 0:
            sentence = due.sentence(today).removeprefix("9.3: ")
            text = sentence[:1].upper() + sentence[1:]
            if due.planned_on:
                text += f" The next is planned for {long_date(due.planned_on)}."
            else:
                text += " Plan the next review now."
            colour = error_color(palette)
        else:
            text = (f"Reviews are planned every {months} months. Last held on "
                    f"{long_date(due.last_held_on)}; the next is due by "
                    f"{long_date(due.due_on)}")
            text += (f" and is planned for {long_date(due.planned_on)}." if due.planned_on
                     else ", and is not planned yet.")
            colour = palette.color(QPalette.ColorRole.WindowText)
        self.due_label.setText(text)
        set_text_color(self.due_label, colour)

    def _fill_list(self, all_reviews: list[ManagementReview]) -> None:
        self._loading = True
        self.review_list.clear()
        for review in all_reviews:
            when = f"{short_date(review.period_start)} – {short_date(review.period_end)}"
            if review.chair is not None:
                when += f" · {review.chair.full_name}"
            item = QListWidgetItem(long_date(review.meeting_on))
            item.setData(REVIEW_ROLE, review.id)
            item.setData(STATUS_ROLE, review.status)
            item.setData(WHEN_ROLE, when)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"Review of {long_date(review.meeting_on)}, "
                         f"{STATUS_LABELS.get(review.status, review.status)}")
            item.setData(Qt.ItemDataRole.UserRole + 3,
                         f"{review.meeting_on} {long_date(review.meeting_on)} {review.place} "
                         f"{review.chair.full_name if review.chair is not None else ''} "
                         f"{review.status}".lower())
            item.setToolTip(f"{review.place}" if review.place else when)
            self.review_list.addItem(item)
        self._loading = False
        self._filter_list()

    def _filter_list(self, *_args: object) -> None:
        words = self.search_edit.text().lower().split()
        for row in range(self.review_list.count()):
            item = self.review_list.item(row)
            haystack = str(item.data(Qt.ItemDataRole.UserRole + 3))
            item.setHidden(not all(w in haystack for w in words))

    def _select_in_list(self, review_id: str) -> None:
        self._loading = True
        select_item_with(self.review_list, REVIEW_ROLE, review_id)
        self._loading = False

    def _review_chosen(self, current: QListWidgetItem | None,
                       previous: QListWidgetItem | None) -> None:
        if self._loading or current is None:
            return
        if self.has_unsaved_changes() and not self.save():
            self._loading = True
            # None is fine at run time (no current item); PySide6's stub does not say so.
            self.review_list.setCurrentItem(previous)  # type: ignore[arg-type]
            self._loading = False
            return
        self._show_review(current.data(REVIEW_ROLE))

    def select_record(self, review_id: str) -> None:
        if self.has_unsaved_changes() and not self.save():
            return
        self._load(review_id)

    def current_review(self) -> ManagementReview | None:
        return self._review

    def _show_review(self, review_id: str) -> None:
        review = ManagementReview.get_by_id(review_id)
        self._review = review
        self.changed_choice.clear()
        self._clear_refused_note()
        # Before the sections: a note saved in between is then refused, never written over.
        self._read_notes = reviews.input_notes(review)
        self._loading = True
        closed = review.status == "closed"
        title = ("Management review" if review.status != "planned"
                 else "Planned management review")
        self.review_heading.setText(f"{title}, {long_date(review.meeting_on)}")
        self.review_chip.setText(STATUS_LABELS.get(review.status, review.status))
        self.review_chip.setStyleSheet(
            status_chip_style(self.palette(), review.status, STATUS_HUES))
        meta = [f"Period {long_date(review.period_start)} – {long_date(review.period_end)}"]
        if review.place:
            meta.append(review.place)
        if review.chair is not None:
            meta.append(f"Chair: {review.chair.full_name}")
        self.review_meta.setText(" · ".join(meta))
        final = reviews.final_pack(review) if closed else None
        self.as_of_edit.set_date(review.cut_off())
        self.pack_label.setText({"planned": "Pack: draft for the meeting",
                                 "held": "Pack: the record of the meeting",
                                 "closed": "Pack: frozen" if final else "Pack: from the records"
                                 }.get(review.status, ""))
        self.banner.setVisible(closed)
        if closed:
            self.banner_label.setText(closed_sentence(review, final))

        # Step 1: details and attendance.
        self.before_tab.show_details(review, people_top_first())
        self.before_tab.show_attendance(review)

        # Step 2: the inputs, frozen for a closed review.
        self._sections = self._sections_of(review, final)
        self.inputs_tab.show_sections(self._sections)
        self.before_tab.show_check(review, self._sections)

        # Step 3 and 4.
        self._show_decisions()
        self.conclusion_tab.show_conclusion(review)
        self._loading = False
        self._saved_state = self._widget_state()
        self._set_read_only(closed or bool(self.write_refusal))
        self._update_stage()
        self._update_dirty()

    def _show_attendance(self) -> None:
        assert self._review is not None
        self.before_tab.show_attendance(self._review)

    def _show_decisions(self) -> None:
        assert self._review is not None
        count = self.decisions_tab.show_decisions(self._review)
        self.tabs.setTabText(2, f"&3  Decisions ({count})")

    def _sections_of(self, review: ManagementReview,
                     final: ReviewPack | None) -> list[InputSection]:
        if final is not None and final.snapshot:
            return PackData.from_json(final.snapshot).inputs
        return review_inputs.assemble_inputs(review)

    # --- State of the widgets -----------------------------------------------------------

    def _widget_state(self) -> tuple[object, ...]:
        return (*self.before_tab.state(), self.inputs_tab.values(),
                *self.conclusion_tab.state())

    def has_unsaved_changes(self) -> bool:
        if self._review is None or self._review.status == "closed" or self._loading:
            return False
        return self._widget_state() != self._saved_state

    def _update_dirty(self, *_args: object) -> None:
        if self._loading:
            return
        dirty = self.has_unsaved_changes()
        if self._review is not None and self._review.status == "closed":
            self.dirty_label.setText("Closed: read-only")
            set_text_color(self.dirty_label, muted_color(self.palette()))
        elif dirty:
            self.dirty_label.setText("● Unsaved changes")
            set_text_color(self.dirty_label, warning_color(self.palette()))
        else:
            self.dirty_label.setText("All changes saved")
            set_text_color(self.dirty_label, muted_color(self.palette()))
        self.save_button.setEnabled(dirty)
        self.save_button.setToolTip("Save the minutes (Ctrl+S)" if dirty else "Nothing to save")
        self._update_progress()

    def _update_progress(self) -> None:
        done, total = self.inputs_tab.update_progress()
        self.tabs.setTabText(1, f"&2  Inputs ({done}/{total})")

    def _set_read_only(self, read_only: bool) -> None:
        self.before_tab.set_read_only(read_only)
        self.inputs_tab.set_read_only(read_only)
        self.conclusion_tab.set_read_only(read_only, self.palette())
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        review = self._review
        closed = review is not None and review.status == "closed"
        before, decisions = self.before_tab, self.decisions_tab
        why = "The review is closed; its minutes can no longer change."
        for reason, tip in ((before.add_attendee_reason, "Record someone present or absent"),
                            (decisions.add_decision_reason, "Record a decision of the meeting")):
            reason.explain(review is not None and not closed, why if closed else "", tip)
        for button, table, what in ((before.remove_attendee_button, before.attendance_table,
                                     "attendee"),
                                    (decisions.remove_decision_button,
                                     decisions.decisions_table, "decision")):
            chosen = bool(table.selectedItems())
            button.setEnabled(review is not None and not closed and chosen)
            button.setToolTip(why if closed else
                              (f"Remove the selected {what}" if chosen
                               else f"Select a {what} in the table first"))
        before.draft_button.setEnabled(review is not None)
        before.draft_button.setVisible(review is not None and review.status == "planned")

    def _update_stage(self) -> None:
        if self._review is not None:
            self.conclusion_tab.show_stage(self._review, clock.today(), self.banner_label.text())

    def show_step(self, step: str) -> None:
        self.tabs.setCurrentIndex(STEPS.index(step))

    # --- Saving -----------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the details, the minutes of every input and the conclusion; True if saved."""
        return bool(self._write())

    def _write(self) -> bool | None:
        """Write what differs from the database: True saved, None nothing to save, False
        not saved (the problem is shown). The offered next review date counts as a change."""
        review = self._review
        if review is None or review.status == "closed":
            return None
        before, conclusion = self.before_tab, self.conclusion_tab
        show_problem(before.details_problem, "")
        show_problem(conclusion.conclusion_problem, "")
        for edit, name in ((before.date_edit, "Meeting date"),
                           (before.period_start_edit, "Period from"),
                           (before.period_end_edit, "Period to"),
                           (before.cut_off_edit, "Figures as of")):
            if edit.problem():
                show_problem(before.details_problem, f"{name}: {edit.problem()}")
                self.status_message.emit("Not saved: check the meeting details.")
                return False
        if before.date_edit.date() is None:
            show_problem(before.details_problem, "Give the date of the meeting.")
            self.status_message.emit("Not saved: the meeting needs a date.")
            return False
        if conclusion.next_review_edit.problem():
            show_problem(conclusion.conclusion_problem, str(conclusion.next_review_edit.problem()))
            self.status_message.emit("Not saved: check the next review date.")
            return False
        start, end = before.period_start_edit.date(), before.period_end_edit.date()
        if start and end and end < start:
            show_problem(before.details_problem, "The period ends before it starts.")
            self.status_message.emit("Not saved: the period ends before it starts.")
            return False
        wanted: dict[str, object] = {
            "meeting_on": before.date_edit.date(),
            "place": before.place_edit.text().strip(),
            "chair": chosen_person(before.chair_combo),
            "minute_taker": chosen_person(before.minute_combo),
            "period_start": start,
            "period_end": end,
            "cut_off_on": before.cut_off_edit.date(),
            "next_review_on": conclusion.next_review_edit.date(),
            **conclusion.values(),
        }
        changed = _differing(review, wanted)
        note_changes = {}
        for widget in self.inputs_tab.input_sections:
            # Against the notes as shown: whether theirs changed meanwhile is the save's check.
            typed = tuple(v.strip() for v in widget.values())
            if typed != _note_text(self._read_notes.get(widget.code)):
                note_changes[widget.code] = (typed[0], typed[1])
        if not changed and not note_changes:
            self._saved_state = self._widget_state()
            self._update_dirty()
            return None
        self.changed_choice.clear()
        self._clear_refused_note()
        try:
            read = reviews.save_minutes(review, changed, note_changes, read=self._read_notes)
        except RecordChanged as refused:
            if isinstance(refused.copy, ReviewInput):
                self._offer_refused_note(refused)
            else:
                self.changed_choice.offer(refused)
            self.status_message.emit(f"Not saved. {refused.message}")
            return False
        except ValidationError as error:
            message = problems_text(error)
            show_problem(before.details_problem, message)
            self.status_message.emit(f"Not saved: {message}")
            return False
        self._review = ManagementReview.get_by_id(review.id)
        self._read_notes = read
        self._saved_state = self._widget_state()
        self._update_dirty()
        # Or the save went over someone's change of fields it left alone: show theirs, so
        # the next save does not write back what the screen still held.
        if _differing(self._review, wanted) or {
                "meeting_on", "period_start", "period_end", "place", "chair",
                "cut_off_on"} & set(changed):
            # The period decides what the inputs show; the list shows the date and chair.
            self._load(review.id)
        self.status_message.emit(f"{review.display_name()} saved.")
        return True

    # --- A note someone else changed ------------------------------------------------------

    def _refused_section(self) -> InputSectionWidget | None:
        refused = self._refused_note
        code = getattr(refused.copy, "code", None) if refused is not None else None
        return next((s for s in self.inputs_tab.input_sections if s.code == code), None)

    def _offer_refused_note(self, refused: RecordChanged) -> None:
        """Who changed the note and when, on the inputs step with that input open."""
        self._refused_note = refused
        self.notes_bar.show_refusal(refused)
        section = self._refused_section()
        if section is not None:
            self.show_step("inputs")
            section.set_expanded(True)
            QTimer.singleShot(0, partial(self.inputs_tab.inputs_scroll.ensureWidgetVisible,
                                         section))

    def _clear_refused_note(self) -> None:
        self._refused_note = None
        if self.notes_compare_dialog is not None:
            self.notes_compare_dialog.close()
            self.notes_compare_dialog = None
        self.notes_bar.hide()

    def note_differences(self) -> list[Difference]:
        """The refused input's commentary and conclusion as typed beside theirs."""
        section, refused = self._refused_section(), self._refused_note
        if section is None or refused is None:
            return []
        theirs = _note_text(_live_note(stored_now(refused)))
        found = []
        for what, mine, stored in zip(("Commentary", "Conclusion"), section.values(), theirs,
                                      strict=True):
            if mine.strip() != stored:
                found.append((f"{what} on input {section.code}", mine.strip(), stored))
        return found

    def compare_note(self) -> None:
        """My notes on the input beside theirs; "Reload theirs" takes theirs."""
        self.notes_compare_dialog = ChangesDialog.offer(self.note_differences(), self,
                                                        self.reload_their_note)

    def reload_their_note(self) -> None:
        """Show their notes on the refused input, as read now (the next save goes over
        them); what was typed on the other inputs and the details stays."""
        section, refused = self._refused_section(), self._refused_note
        if section is None or refused is None:
            return
        theirs = _live_note(stored_now(refused))
        self._read_notes.pop(section.code, None)
        if theirs is not None:
            self._read_notes[section.code] = theirs
        commentary, conclusion = _note_text(theirs)
        self._clear_refused_note()
        section.commentary_edit.setPlainText(commentary)
        section.conclusion_edit.setPlainText(conclusion)
        self.status_message.emit(f"Their notes on input {section.code} are shown; "
                                 "save to keep the rest of yours.")

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # --- Actions ----------------------------------------------------------------------------

    def _open(self, dialog: QDialog, done: Callable[[], object]) -> QDialog:
        self.active_dialog = dialog
        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    def new_record(self) -> PlanReviewDialog | None:
        if self.write_refusal:
            self.status_message.emit(self.write_refusal)
            return None
        if self.has_unsaved_changes() and not self.save():
            return None
        dialog = PlanReviewDialog(self)

        def planned() -> None:
            if dialog.review is not None:
                self._load(dialog.review.id)
                self.show_step("before")
                self.status_message.emit(f"{dialog.review.display_name()} planned.")

        self._open(dialog, planned)
        return dialog

    def open_attendee_dialog(self) -> AttendeeDialog | None:
        if self._review is None or self._review.status == "closed":
            return None
        dialog = AttendeeDialog(self._review, self, read=self.before_tab.shown_attendance)

        def added() -> None:
            self._show_attendance()
            if dialog.attendance is not None:
                self.status_message.emit(
                    f"{dialog.attendance.person.full_name} added to the attendance.")

        self._open(dialog, added)
        return dialog

    def remove_selected_attendee(self) -> None:
        chosen = self.before_tab.attendance_table.selectedItems()
        if self._review is None or not chosen:
            return
        person_id = chosen[0].data(Qt.ItemDataRole.UserRole)
        from qms_desktop.models import Person

        person = Person.get_by_id(person_id)
        try:
            reviews.remove_attendance(self._review, person,
                                      read=self.before_tab.shown_attendance)
        except ValidationError as error:
            if isinstance(error, RecordChanged):
                self._show_attendance()  # theirs, to remove again if that is still wanted
            self.status_message.emit(problems_text(error))
            return
        self._show_attendance()
        self._update_buttons()
        self.status_message.emit(f"{person.full_name} removed from the attendance.")

    def open_decision_dialog(self) -> DecisionDialog | None:
        if self._review is None or self._review.status == "closed":
            return None
        dialog = DecisionDialog(self._review, self)

        def added() -> None:
            self._show_decisions()
            self._update_buttons()
            self.status_message.emit("Decision recorded; its action is in the tracker.")

        self._open(dialog, added)
        return dialog

    def remove_selected_decision(self) -> None:
        decision_id = self.decisions_tab.selected_id()
        if self._review is None or decision_id is None:
            return
        from qms_desktop.models import ReviewDecision

        decision = ReviewDecision.get_by_id(decision_id)
        answer = QMessageBox.question(
            self, "Remove decision",
            f"Remove “{decision.display_name()}”? Its action is cancelled in the tracker.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            reviews.remove_decision(decision)
        except ValidationError as error:
            self.status_message.emit(problems_text(error))
            return
        self._show_decisions()
        self._update_buttons()
        self.status_message.emit("Decision removed; its action was cancelled.")

    def mark_held(self) -> bool:
        review = self._review
        if review is None or review.status != "planned":
            return False
        if self._write() is False:
            return False
        review = self._review
        assert review is not None
        try:
            reviews.mark_held(review)
        except ValidationError as error:
            message = problems_text(error)
            show_problem(self.conclusion_tab.conclusion_problem, message)
            self.status_message.emit(message)
            return False
        self._load(review.id)
        self.status_message.emit(f"{review.display_name()} recorded as held.")
        return True

    def open_close_dialog(self) -> CloseReviewDialog | None:
        review = self._review
        if review is None or review.status == "closed":
            return None
        if self._write() is False:
            return None
        review = self._review
        assert review is not None
        dialog = CloseReviewDialog(review, self)
        dialog.go_to.connect(self.go_to_problem)

        def closed() -> None:
            self._load(review.id)
            if dialog.pack is not None:
                self.status_message.emit(
                    f"{review.display_name()} closed; pack frozen (SHA-256 "
                    f"{dialog.pack.sha256[:12]}…).")

        self._open(dialog, closed)
        return dialog

    def go_to_problem(self, field: str) -> None:
        """Show where a closing problem is fixed (once the closing dialog has let go of the
        focus, hence the timer)."""
        QTimer.singleShot(0, partial(self._show_problem_place, field))

    def _show_problem_place(self, field: str) -> None:
        if field == "attendance":
            self.show_step("before")
            self.before_tab.add_attendee_button.setFocus()
        elif field == "inputs":
            self.show_step("inputs")
            self.inputs_tab.open_first_unconcluded()
        else:
            self.show_step("conclusion")
            self.conclusion_tab.focus_field(field)

    # --- The pack ---------------------------------------------------------------------------

    def _pack_name(self, suffix: str) -> str:
        review = self._review
        assert review is not None
        kind = {"planned": " (draft)", "held": "", "closed": " (final)"}[review.status]
        return f"Management review {review.meeting_on:%Y-%m-%d}{kind}.{suffix}"

    def pack_pdf(self, export: bool = False) -> bytes | None:
        """The pack as PDF: the frozen one of a closed review, else made from the records;
        an exported draft takes its version from the distinct drafts exported so far."""
        review = self._review
        if review is None:
            return None
        if self._write() is False:
            self.status_message.emit("Save the minutes first: the pack is made from them.")
            return None
        review = self._review
        assert review is not None
        if review.status == "closed":
            final = reviews.final_pack(review)
            if final is not None:
                return bytes(final.pdf)
        try:
            with busy(self, "Making the review pack…"):
                return packs.export(review, "pdf") if export else packs.build_pdf(review)
        except packs.PackChanged as error:
            QMessageBox.critical(self, "The stored pack does not match", str(error))
            return None

    def export_pdf(self) -> Path | None:
        if self._review is None:
            return None
        path = ask_save_path(self, "Export the review pack", self._pack_name("pdf"),
                             "PDF files (*.pdf)")
        if path is None:
            return None
        pdf = self.pack_pdf(export=True)
        if pdf is None:
            return None
        target = Path(path)
        try:
            files.write_bytes(target, pdf)  # owner-only, and never half a file
        except OSError as error:
            QMessageBox.warning(self, "Not exported", f"The pack could not be written: {error}")
            return None
        self.status_message.emit(f"Pack saved to {target}.")
        return target

    def export_html(self) -> Path | None:
        review = self._review
        if review is None:
            return None
        path = ask_save_path(self, "Export the review pack as a web page",
                             self._pack_name("html"), "Web pages (*.html)")
        if path is None:
            return None
        if self._write() is False:
            return None
        review = self._review
        if review is None:
            return None
        with busy(self, "Making the review pack…"):
            html = packs.export(review, "html").decode("utf-8")
        target = Path(path)
        try:
            files.write_bytes(target, html.encode("utf-8"))
        except OSError as error:
            QMessageBox.warning(self, "Not exported", f"The pack could not be written: {error}")
            return None
        self.status_message.emit(f"Pack saved to {target}.")
        return target

    def preview(self) -> PackPreviewDialog | None:
        """The pack as of the day beside the button: the review's own pack on its cut-off
        (the frozen record once closed), else the records as they stood that day."""
        review = self._review
        as_of = self.as_of_edit.date()
        if review is not None and self.as_of_edit.problem():
            self.status_message.emit(f"Not previewed: as of: {self.as_of_edit.problem()}")
            return None
        own_pack = as_of is None or (review is not None and (
            (as_of == review.cut_off() and review.status == "closed")
            or as_of >= clock.today()))
        pdf = self.pack_pdf() if own_pack or as_of is None else self._pack_pdf_as_of(as_of)
        if pdf is None or self._review is None:
            return None
        title = self._pack_name("pdf").removesuffix(".pdf")
        if not own_pack and as_of is not None:
            title += f" as of {long_date(as_of)}"
        dialog = PackPreviewDialog(pdf, title, self)
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def _pack_pdf_as_of(self, day: dt.date) -> bytes | None:
        if self._write() is False:
            self.status_message.emit("Save the minutes first: the pack is made from them.")
            return None
        review = self._review
        assert review is not None
        with busy(self, "Making the review pack as of that day…"):
            return packs.build_pdf(review, as_of=day)

    def print_pack(self) -> int:
        """Print the pack; the number of pages sent to the printer."""
        pdf = self.pack_pdf()
        if pdf is None or self._review is None:
            return 0
        document, buffer = load_pdf(pdf, self)
        pages = document.pageCount()
        document.close()
        buffer.close()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._pack_name("pdf").removesuffix(".pdf"))
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the review pack")
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, max(1, pages))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        try:
            with busy(self, "Printing the review pack…"):
                printed = print_pdf(pdf, printer)
        except (OSError, ValueError) as error:
            QMessageBox.warning(self, "Not printed", str(error))
            return 0
        self.status_message.emit(f"{plural(printed, 'page')} of the pack sent to the printer.")
        return printed


def _differing(review: ManagementReview, wanted: dict[str, object]) -> dict[str, object]:
    """The fields of `wanted` whose value `review` does not hold (people by id)."""
    changed = {}
    for name, value in wanted.items():
        if name in ("chair", "minute_taker"):
            if getattr(review, f"{name}_id") != (value.id if isinstance(value, Person)
                                                 else None):
                changed[name] = value
        elif getattr(review, name) != value:
            changed[name] = value
    return changed


def _live_note(note: ReviewInput | None) -> ReviewInput | None:
    return note if note is not None and note.archived_at is None else None


def _note_text(note: ReviewInput | None) -> tuple[str, str]:
    """A note's (commentary, conclusion) as the form shows it; empty when there is none."""
    return (note.commentary, note.conclusion) if note is not None else ("", "")
