"""Risks and opportunities (6.1): the register, its heat map, and the actions of each entry.

The list and form are the generic register screen over `RISKS`. Around it: a heat map whose
cells narrow the list, a live score beside the ratings, treatments that follow the kind, and
the actions raised from the selected entry. Matrix settings may change the size; the screen
is then rebuilt so the form offers the new scale.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QListView,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import actions, clock, risks
from qms_desktop.models import Risk
from qms_desktop.risk_registers import RISKS, treatments_for
from ui.kit import action_dialog
from ui.kit.live import ChangeSource, follow_changes
from ui.kit.permission import hold_refused, write_refusal
from ui.kit.record_form import RecordForm
from ui.kit.register_screen import RegisterScreen
from ui.kit.settings import remember_flag, remember_splitter, remembered_flag
from ui.kit.theme import error_color, muted_color, set_text_color
from ui.kit.widgets import bold
from ui.screens.risks.heat_map import HeatMapWidget, readable_text_colour
from ui.screens.risks.risk_matrix_dialog import RiskMatrixDialog

KIND_NOUNS = {"risk": ("risk", "risks"), "opportunity": ("opportunity", "opportunities")}
DEFAULT_ACTION_DAYS = 14
LIST_MIN_ROWS = 5  # rows of the list the heat map leaves on a short window
NOT_SHOWN = object()
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum" for a widget's size


def band_badge(score: int | None, matrix: risks.RiskMatrix, kind: str = "risk") -> str:
    """Rich text: the score and its band on the band's colour (an opportunity's on the
    opportunity scale)."""
    band = matrix.band(score)
    colour = matrix.colour(score, kind)
    if score is None or band is None or colour is None:
        return ""
    text = readable_text_colour(QColor(colour)).name()
    return (
        f"<b>{score}</b>&nbsp;&nbsp;<span style='background-color:{colour};"
        f"color:{text};'>&nbsp;{escape(band.label)}&nbsp;</span>"
    )


def _field_block(form: QWidget, widget: QWidget) -> QVBoxLayout | None:
    """The layout holding one field of a RecordForm (its label, editor and error)."""

    def search(layout: QLayout) -> QVBoxLayout | None:
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None:
                continue
            if item.widget() is widget and isinstance(layout, QVBoxLayout):
                return layout
            child = item.layout()
            if child is not None and (found := search(child)) is not None:
                return found
        return None

    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    return search(layout) if layout is not None else None


class AddActionDialog(action_dialog.RaiseActionDialog):
    """A new action to treat one risk, owned by the risk's owner unless changed."""

    def __init__(self, risk: Risk, parent: QWidget | None = None) -> None:
        super().__init__(risk, about=f"An action to treat “{risk.display_name()}”.",
                         button="Add action", due_in_days=DEFAULT_ACTION_DAYS,
                         owner_id=risk.owner_id or "", parent=parent)


# How the user left the screen, kept between sessions (ui.kit.settings).
FOLDED_KEY = "risks/heat_map_folded"
HEAT_SPLIT_KEY = "risks/heat_map_split"
FORM_SPLIT_KEY = "risks/form_split"

# The tables this screen shows: a committed change to one of them reloads it.
SHOWN_TABLES = ("risk", "action", "process", "person")


class RisksScreen(QWidget):
    """The register of risks and opportunities with its heat map and actions."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *,
                 changes: ChangeSource | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Risks and opportunities")
        self._cell: tuple[int, int, bool, str] | None = None  # l, i, after treatment, kind
        # What the actions panel shows: a record's (id, updated_at), None for a new entry;
        # NOT_SHOWN until it first shows either (then "Save the entry first" shows for a new one).
        self._shown_record: object = NOT_SHOWN
        self._matrix = risks.load_matrix()
        self.register_screen: RegisterScreen | None = None

        self._share_timer = QTimer(self)
        self._share_timer.setSingleShot(True)
        self._share_timer.setInterval(0)
        self._share_timer.timeout.connect(self._share_height)
        self._build_heat_panel()
        self._build_actions_panel()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._build_register()

        self.heat_map.cell_activated.connect(self.filter_to_cell)
        self.heat_map.folded_changed.connect(self._fold_changed)
        self.heat_map.residual_changed.connect(self._view_changed)
        self.kind_combo.currentIndexChanged.connect(self._view_changed)
        self.chip.clicked.connect(self.clear_cell_filter)
        self.matrix_button.clicked.connect(self.open_matrix_settings)
        self.add_action_button.clicked.connect(self.add_action)
        self.refresh_heat_map()
        if remembered_flag(FOLDED_KEY):
            self.heat_map.set_folded(True)
        self.heat_map.folded_changed.connect(lambda folded: remember_flag(FOLDED_KEY, folded))
        follow_changes(self, changes, SHOWN_TABLES, self.reload)

    # --- Building -------------------------------------------------------------------------

    def _build_heat_panel(self) -> None:
        self.heat_panel = QFrame()
        self.heat_panel.setAccessibleName("Heat map panel")
        self.heat_map = HeatMapWidget()
        self.heat_map.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        self.kind_combo = QComboBox()
        self.kind_combo.addItem("Risks", "risk")
        self.kind_combo.addItem("Opportunities", "opportunity")
        self.kind_combo.setAccessibleName("Heat map shows")
        kind_label = QLabel("Sho&w")
        kind_label.setBuddy(self.kind_combo)
        self.legend = QLabel()
        self.legend.setAccessibleName("Bands")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)  # under the drop-down, beside the grid when narrow
        self.matrix_button = QPushButton("Matrix se&ttings…")
        self.matrix_button.setAccessibleName("Matrix settings")
        self.matrix_button.setToolTip("Size, labels and colour bands of the risk matrix")
        self.matrix_button.setAutoDefault(False)
        # A role that may only read: the register's line under New says why, so do the tips.
        hold_refused(write_refusal("setting"), self.matrix_button)

        # The column beside the grid stays narrow (its label above the drop-down, the legend
        # wrapping), so the grid, the column and the form fit beside a 1024-wide window's sidebar.
        self.heat_side = QWidget()
        self.heat_side.setAccessibleName("What the heat map shows")
        side = QVBoxLayout(self.heat_side)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(6)
        side.addWidget(kind_label)
        side.addWidget(self.kind_combo)
        side.addSpacing(4)
        side.addWidget(self.legend)
        side.addStretch(1)
        side.addWidget(self.matrix_button)

        self.chip = QPushButton()
        self.chip.setObjectName("filterChip")
        self.chip.setAccessibleName("Clear the heat-map filter")
        self.chip.setToolTip("Show every entry again")
        self.chip.setCursor(Qt.CursorShape.PointingHandCursor)
        self.chip.setAutoDefault(False)
        self.chip.setStyleSheet(
            "QPushButton#filterChip { border: 1px solid palette(highlight);"
            " border-radius: 11px; padding: 3px 12px; background: palette(base); }"
            "QPushButton#filterChip:focus { border: 2px solid palette(highlight); }"
            "QPushButton#filterChip:hover { background: palette(alternate-base); }"
        )
        self.chip.hide()
        chip_row = QHBoxLayout()
        chip_row.setContentsMargins(0, 0, 0, 0)
        chip_row.addWidget(self.chip)
        chip_row.addStretch(1)

        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.heat_map, 1)
        top.addWidget(self.heat_side)
        layout = QVBoxLayout(self.heat_panel)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(chip_row)

    def _build_actions_panel(self) -> None:
        self.actions_panel = QWidget()
        self.actions_panel.setAccessibleName("Actions of this entry")
        self.actions_title = bold(QLabel("Actions"))
        self.actions_list = QTreeWidget()
        self.actions_list.setAccessibleName("Actions raised from this entry")
        self.actions_list.setHeaderLabels(["Action", "Owner", "Due", "Status"])
        self.actions_list.setRootIsDecorated(False)
        self.actions_list.setUniformRowHeights(True)
        self.actions_list.setAlternatingRowColors(True)
        self.actions_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.actions_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # Four actions when there is room, two on a short window, where the form needs it.
        rows = self.actions_list.fontMetrics().height() + 8
        header_height = self.actions_list.header().sizeHint().height()
        self.actions_list.setMinimumHeight(rows * 2 + header_height)
        self.actions_list.setMaximumHeight(rows * 4 + header_height)
        self.actions_note = QLabel()
        self.actions_note.setWordWrap(True)
        set_text_color(self.actions_note, muted_color(self.palette()))
        self.add_action_button = QPushButton("Add a&ction…")
        self.add_action_button.setAccessibleName("Add action")
        self.add_action_button.setToolTip("Raise an action to treat this entry")
        self.add_action_button.setAutoDefault(False)
        hold_refused(write_refusal("action"), self.add_action_button)
        title_row = QHBoxLayout()
        title_row.addWidget(self.actions_title)
        title_row.addStretch(1)
        title_row.addWidget(self.add_action_button)
        layout = QVBoxLayout(self.actions_panel)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(6)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addLayout(title_row)
        layout.addWidget(self.actions_list)
        layout.addWidget(self.actions_note)

    def _build_register(self) -> None:
        """(Re)build the register screen: the form's scales come from the matrix."""
        old = self.register_screen
        screen = RegisterScreen(RISKS)
        self.register_screen = screen
        # The heat map above the list with a handle between them: on a short window the
        # list keeps rows to read (`_share_height`) and the map can be folded away.
        self._list_split = screen.split_list(self.heat_panel, above=True)
        self._list_split.setStretchFactor(0, 0)
        self._list_split.setStretchFactor(1, 1)
        self._list_split.splitterMoved.connect(self._height_chosen)
        self._list_split.installEventFilter(self)  # shares the height when it gets its own
        # Where the user dragged the handles last time, kept between sessions.
        self._height_set_by_user = remember_splitter(self._list_split, HEAT_SPLIT_KEY)
        remember_splitter(screen.splitter, FORM_SPLIT_KEY)
        screen.add_below_form(self.actions_panel)
        form = screen.form
        self.score_label = self._add_score_label(form, "impact", "Score before treatment")
        self.residual_label = self._add_score_label(form, "residual_impact",
                                                    "Score after treatment")
        for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
            form.combo(name).currentIndexChanged.connect(self._update_scores)
        kind_combo = form.combo("kind")
        kind_combo.currentIndexChanged.connect(self._apply_treatment_choices)
        treatment = form.combo("treatment")
        treatment.model().rowsInserted.connect(self._apply_treatment_choices)
        self._apply_treatment_choices()

        screen.status_message.connect(self.status_message)
        screen.model.modelReset.connect(self.refresh_heat_map)
        screen.model.modelReset.connect(self._sync_record, Qt.ConnectionType.QueuedConnection)
        screen.table.selectionModel().currentRowChanged.connect(
            self._sync_record, Qt.ConnectionType.QueuedConnection
        )
        form.saved.connect(self._sync_record)
        form.dirty_changed.connect(self._sync_record)
        form.dirty_changed.connect(self._update_scores)

        if old is not None:
            screen.search_edit.setText(old.search_edit.text())
            screen.filter_combo.setCurrentIndex(old.filter_combo.currentIndex())
            screen.archived_check.setChecked(old.archived_check.isChecked())
            record = old.form.record
            self._layout.replaceWidget(old, screen)
            old.hide()
            old.deleteLater()
            if record is not None:
                found = Risk.get_or_none(Risk.id == record.id)
                if found is not None:
                    screen.form.load_record(found)
                    screen.reload()
        else:
            self._layout.addWidget(screen)
        self._shown_record = NOT_SHOWN
        self._update_scores()
        self._sync_record()

    def _add_score_label(self, form: RecordForm, field: str, name: str) -> QLabel:
        label = QLabel()
        label.setAccessibleName(name)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)  # the form may be as narrow as 320 px beside the heat map
        editor = form.editor(field)
        block = _field_block(form, editor)
        if block is not None:
            block.insertWidget(block.indexOf(editor) + 1, label)
        return label

    # --- What the main window calls ---------------------------------------------------------

    @property
    def form(self) -> QWidget:
        assert self.register_screen is not None
        return self.register_screen.form

    def reload(self) -> None:
        if risks.load_matrix() != self._matrix and not self.has_unsaved_changes():
            self._matrix = risks.load_matrix()
            self._build_register()
        else:
            assert self.register_screen is not None
            self.register_screen.reload()
        self.refresh_heat_map()
        self._refresh_actions()

    def new_record(self) -> None:
        assert self.register_screen is not None
        self.register_screen.new_record()
        self._sync_record()

    def focus_search(self) -> None:
        assert self.register_screen is not None
        self.register_screen.focus_search()

    def save(self) -> bool:
        assert self.register_screen is not None
        return self.register_screen.save()

    def has_unsaved_changes(self) -> bool:
        return self.register_screen is not None and self.register_screen.has_unsaved_changes()

    # --- Heat map -----------------------------------------------------------------------------

    def heat_kind(self) -> str:
        return str(self.kind_combo.currentData())

    def refresh_heat_map(self) -> None:
        kind = self.heat_kind()
        self.heat_map.set_heat_map(risks.heat_map(kind), self._matrix, KIND_NOUNS[kind], kind)
        self._refresh_legend()
        if self._cell is not None:
            self.heat_map.grid.set_selected(self._cell[:2])

    def _refresh_legend(self) -> None:
        low = 1
        lines = []
        kind = self.heat_kind()
        for band in self._matrix.bands:
            colour = self._matrix.colour(band.max_score, kind) or band.colour
            text = readable_text_colour(QColor(colour)).name()
            span = f"{low}–{band.max_score}" if band.max_score > low else f"{low}"
            lines.append(
                f"<tr><td><span style='background-color:{colour};color:{text};'>"
                f"&nbsp;&nbsp;&nbsp;&nbsp;</span></td><td>&nbsp;{escape(band.label)}</td>"
                f"<td align='right'>&nbsp;&nbsp;{span}</td></tr>"
            )
            low = band.max_score + 1
        size = self._matrix.size
        self.legend.setText(
            f"<table cellspacing='2'>{''.join(lines)}</table>"
            f"<p style='margin-top:6px'>Score = likelihood × impact ({size} × {size})</p>"
        )

    def filter_to_cell(self, likelihood: int, impact: int, residual: bool) -> None:
        """List only the entries in one heat-map cell (the same cell again clears it)."""
        kind = self.heat_kind()
        cell = (likelihood, impact, residual, kind)
        if cell == self._cell:
            self.clear_cell_filter()
            return
        self._cell = cell
        name = self.heat_map.grid.cell_label(likelihood, impact)
        when = "after treatment" if residual else "before treatment"
        plural = KIND_NOUNS[kind][1]

        def condition() -> object:
            return risks.cell_filter(likelihood, impact, residual) & (Risk.kind == kind)

        assert self.register_screen is not None
        self.register_screen.set_condition(condition, f"{name} ({when})")
        self.chip.setText(f"Filtered: {name} ({when})  ✕")
        self.chip.setAccessibleDescription(f"The list shows only {plural} in {name}, {when}.")
        self.chip.show()
        self.heat_map.grid.set_selected((likelihood, impact))
        count = self.heat_map.count(likelihood, impact)
        noun = KIND_NOUNS[kind][0] if count == 1 else plural
        self.status_message.emit(f"Showing {count} {noun} in {name} ({when}).")

    def clear_cell_filter(self) -> None:
        self._cell = None
        self.chip.hide()
        self.heat_map.grid.set_selected(None)
        if self.register_screen is not None:
            self.register_screen.set_condition(None)

    def cell_filter_text(self) -> str:
        return self.chip.text() if not self.chip.isHidden() else ""

    def _view_changed(self, *_args: object) -> None:
        # A cell chosen in the other view or kind no longer matches what the map shows.
        if self._cell is not None:
            self.clear_cell_filter()
        self.refresh_heat_map()

    # --- Sharing the height between the map and the list ---------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._list_split and event.type() == QEvent.Type.Resize \
                and not self._height_set_by_user:
            # Once the splitter has shared its new height out itself (it does after this).
            self._share_timer.start()
        return super().eventFilter(watched, event)

    def _height_chosen(self, *_args: object) -> None:
        self._height_set_by_user = True

    def _share_height(self) -> None:
        """The map at the height it likes unless the list would show fewer than
        LIST_MIN_ROWS rows; then shorter, down to its least cells (then the user can fold
        it away or drag the handle)."""
        split = self._list_split
        total = sum(split.sizes())
        if total <= 0 or self.heat_map.is_folded():
            return
        least = self.heat_panel.minimumSizeHint().height()
        liked = self.heat_panel.sizeHint().height()
        rows = self.register_screen.table.verticalHeader().defaultSectionSize() \
            if self.register_screen is not None else 30
        table_room = rows * LIST_MIN_ROWS + 2 * rows  # the header and a scroll bar
        heat = max(least, min(liked, total - split.handleWidth() - table_room))
        split.setSizes([heat, total - heat])

    def _fold_changed(self, folded: bool) -> None:
        self.heat_side.setVisible(not folded)
        self.heat_panel.setMaximumHeight(QWIDGETSIZE_MAX)
        # Once the layouts have taken in what was hidden or shown.
        QTimer.singleShot(0, self, self._after_fold)

    def _after_fold(self) -> None:
        panel = self.heat_panel
        if self.heat_map.is_folded():
            # Only the button that shows the map again: no empty room to drag open.
            panel.setMaximumHeight(panel.minimumSizeHint().height())
            split = self._list_split
            total = sum(split.sizes())
            split.setSizes([panel.maximumHeight(), total - panel.maximumHeight()])
        elif self.register_screen is not None:
            self._share_height()

    # --- Matrix settings ------------------------------------------------------------------

    def open_matrix_settings(self) -> None:
        if self.has_unsaved_changes():
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "Save the changes to this entry before changing the matrix?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer != QMessageBox.StandardButton.Save or not self.save():
                return
        dialog = RiskMatrixDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.matrix_saved(dialog.rescored)

    def matrix_saved(self, rescored: int = 0) -> None:
        """Show the stored matrix everywhere: map, form scales, list bands."""
        self._matrix = risks.load_matrix()
        self.clear_cell_filter()
        self._build_register()
        self.refresh_heat_map()
        message = "Risk matrix saved."
        if rescored:
            message += f" {rescored} {'entry' if rescored == 1 else 'entries'} re-scored."
        self.status_message.emit(message)

    # --- Form helpers -----------------------------------------------------------------------

    def _apply_treatment_choices(self, *_args: object) -> None:
        """Offer only the treatments of the entry's kind; a stored misfit stays visible."""
        if self.register_screen is None:
            return
        form = self.register_screen.form
        kind = form.combo("kind").currentData() or "risk"
        allowed = dict(treatments_for(str(kind)))
        combo = form.combo("treatment")
        model = combo.model()
        view = combo.view()
        for row in range(combo.count()):
            value = combo.itemData(row)
            fits = value in (None, "") or value in allowed
            item = model.item(row) if hasattr(model, "item") else None
            if item is not None:
                item.setEnabled(fits)
            if isinstance(view, QListView):
                view.setRowHidden(row, not fits)
        combo.setToolTip(
            "Treatments for an opportunity" if kind == "opportunity" else
            "Treatments for a risk (ISO 9001 6.1.2, note 1)"
        )

    def _update_scores(self, *_args: object) -> None:
        if self.register_screen is None:
            return
        values = self.register_screen.form.values()
        matrix = self._matrix

        def number(name: str) -> int | None:
            value = values.get(name)
            return None if value in (None, "") else int(str(value))

        likelihood, impact = number("likelihood"), number("impact")
        r_likelihood, r_impact = number("residual_likelihood"), number("residual_impact")
        score = matrix.score(likelihood, impact)
        residual = matrix.score(r_likelihood, r_impact)
        kind = str(values.get("kind") or "risk")
        if score is None:
            self.score_label.setText("Score: rate likelihood and impact")
        else:
            self.score_label.setText(f"Score: {band_badge(score, matrix, kind)}")
        if residual is not None:
            self.residual_label.setText(f"Residual score: {band_badge(residual, matrix, kind)}")
        elif score is not None:
            self.residual_label.setText("Residual score: not rated; stays at "
                                        f"{band_badge(score, matrix, kind)} until treated")
        else:
            self.residual_label.setText("Residual score: rate after choosing a treatment")
        muted = muted_color(self.palette()).name()
        for label in (self.score_label, self.residual_label):
            label.setStyleSheet(f"QLabel {{ color: {muted}; }}")

    def score_text(self) -> str:
        """The live score shown beside the ratings, as plain text."""
        document = QTextDocument()
        document.setHtml(self.score_label.text())
        return " ".join(document.toPlainText().replace("\xa0", " ").split())

    # --- Actions ------------------------------------------------------------------------------

    def _sync_record(self, *_args: object) -> None:
        """Follow the record in the form: its actions and the cursor on the heat map."""
        if self.register_screen is None:
            return
        record = self.register_screen.form.record
        key = (record.id, record.updated_at) if record is not None else None
        if key == self._shown_record:
            return
        self._shown_record = key
        self._refresh_actions()

    def _refresh_actions(self) -> None:
        record = self.register_screen.form.record if self.register_screen else None
        self.actions_list.clear()
        if record is None:
            self.actions_title.setText("Actions")
            self.actions_list.hide()
            self.add_action_button.setEnabled(False)
            self.actions_note.setText(
                "Choose an entry to see the actions that treat it." if write_refusal("action")
                else "Save the entry first, then add the actions that treat it.")
            self.actions_note.show()
            return
        found = actions.actions_for(record)
        today = clock.today()
        for action in found:
            overdue = actions.is_overdue(action, today)
            item = QTreeWidgetItem([
                action.title,
                action.owner.display_name() if action.owner is not None else "",
                action.due_on.isoformat() if action.due_on else "",
                actions.STATUS_LABELS.get(action.status, action.status)
                + (" (overdue)" if overdue else ""),
            ])
            item.setToolTip(0, action.title)
            if overdue:
                item.setForeground(3, error_color(self.palette()))
            self.actions_list.addTopLevelItem(item)
        self.actions_title.setText(f"Actions ({len(found)})" if found else "Actions")
        self.actions_list.setVisible(bool(found))
        self.add_action_button.setEnabled(record.archived_at is None)
        self.actions_note.setText(
            "" if found else "No actions yet." if write_refusal("action") else
            "No actions yet. Plan what will treat this entry, with an owner and a date."
        )
        self.actions_note.setVisible(not found)

    def add_action(self) -> None:
        record = self.register_screen.form.record if self.register_screen else None
        if not isinstance(record, Risk):  # None when nothing is chosen
            return
        dialog = AddActionDialog(record, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._refresh_actions()
        assert self.register_screen is not None
        self.register_screen.model.refresh()  # the "No actions" filter may now differ
        self.status_message.emit(f"Action added to “{record.display_name()}”.")

    def action_titles(self) -> list[str]:
        return [
            item.text(0)
            for i in range(self.actions_list.topLevelItemCount())
            if (item := self.actions_list.topLevelItem(i)) is not None
        ]

