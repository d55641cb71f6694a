"""Matrix settings: size, the likelihood and impact labels, the bands and their colours.

A new size re-scores every risk. The dialog shows the rule (old value → new value) and how
many risks it touches before anything is saved, and saves only once the user confirms it.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qms_desktop import risks
from qms_desktop.errors import RecordChanged, ValidationError
from qms_desktop.risks import Band, RiskMatrix
from ui.kit.record_changed import ChangedBar, ChangesDialog, Difference
from ui.kit.theme import error_color, muted_color, set_text_color


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class RiskMatrixDialog(QDialog):
    """Edit the matrix; `accept()` saves it (and re-scores on a new size)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Risk matrix settings")
        self.setAccessibleName("Risk matrix settings")
        self._stored = risks.load_matrix()
        self._colours: list[str] = []
        self._likelihood_edits: list[QLineEdit] = []
        self._impact_edits: list[QLineEdit] = []
        self._band_rows: list[tuple[QLineEdit, QSpinBox, QPushButton]] = []
        self.rescored = 0

        intro = QLabel(
            "How the organisation rates risks and opportunities: likelihood × impact gives "
            "the score, and the bands say what a score means."
        )
        intro.setWordWrap(True)
        set_text_color(intro, muted_color(self.palette()))

        self.size_combo = QComboBox()
        for size in risks.SIZES:
            self.size_combo.addItem(f"{size} × {size}", size)
        self.size_combo.setAccessibleName("Matrix size")
        size_label = QLabel("Matrix &size")
        size_label.setBuddy(self.size_combo)
        size_row = QHBoxLayout()
        size_row.addWidget(size_label)
        size_row.addWidget(self.size_combo)
        size_row.addStretch(1)

        self.likelihood_box = QGroupBox("Likelihood (1 = least likely)")
        self.likelihood_layout = QFormLayout(self.likelihood_box)
        self.impact_box = QGroupBox("Impact (1 = least severe)")
        self.impact_layout = QFormLayout(self.impact_box)
        labels_row = QHBoxLayout()
        labels_row.setSpacing(12)
        labels_row.addWidget(self.likelihood_box, 1)
        labels_row.addWidget(self.impact_box, 1)

        self.bands_box = QGroupBox("Bands")
        bands_outer = QVBoxLayout(self.bands_box)
        # One line on purpose: a wrapped label in a group box is given too little height.
        bands_note = QLabel("A score belongs to the first band whose top score it does not "
                            "exceed.")
        set_text_color(bands_note, muted_color(self.palette()))
        bands_outer.addWidget(bands_note)
        self.bands_layout = QGridLayout()
        self.bands_layout.setHorizontalSpacing(10)
        bands_outer.addLayout(self.bands_layout)

        self._build_preview()

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Problems with the matrix")
        set_text_color(self.error_label, error_color(self.palette()))
        self.error_label.hide()
        # Someone saved another matrix since this one was read: who and when, and the choice.
        self.changed_bar = ChangedBar()
        self.compare_dialog: ChangesDialog | None = None

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save the matrix")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(size_row)
        layout.addLayout(labels_row)
        layout.addWidget(self.bands_box)
        layout.addWidget(self.preview_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.changed_bar)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.size_combo.setCurrentIndex(self.size_combo.findData(self._stored.size))
        self._show_matrix(self._stored)
        self.size_combo.currentIndexChanged.connect(self._size_changed)
        self.confirm_check.toggled.connect(self._update_save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.changed_bar.reload_requested.connect(self.reload_theirs)
        self.changed_bar.compare_requested.connect(self.compare)
        self._update_preview()
        self.setMinimumWidth(620)

    # --- Building -------------------------------------------------------------------------

    def _build_preview(self) -> None:
        self.preview_box = QFrame()
        self.preview_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview_box.setAccessibleName("How the scores will be re-mapped")
        heading = QLabel("Changing the size re-scores every risk")
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        set_text_color(self.rule_label, muted_color(self.palette()))
        self.preview_table = QTableWidget(2, 0)
        self.preview_table.setAccessibleName("Old value to new value")
        self.preview_table.setVerticalHeaderLabels(["Old value", "New value"])
        self.preview_table.horizontalHeader().hide()
        self.preview_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Fixed
        )
        self.preview_table.horizontalHeader().setDefaultSectionSize(52)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Risks to be re-scored")
        self.count_label.setFont(font)
        self.confirm_check = QCheckBox("&Re-score the risks as shown when I save")
        self.confirm_check.setAccessibleName("Confirm re-scoring the risks")
        layout = QVBoxLayout(self.preview_box)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.rule_label)
        layout.addWidget(self.preview_table)
        layout.addSpacing(4)
        layout.addWidget(self.count_label)
        layout.addWidget(self.confirm_check)

    def _show_matrix(self, matrix: RiskMatrix) -> None:
        self._fill_labels(self.likelihood_layout, self._likelihood_edits,
                          matrix.likelihood_labels, "Likelihood")
        self._fill_labels(self.impact_layout, self._impact_edits, matrix.impact_labels,
                          "Impact")
        self._fill_bands(matrix)

    def _fill_labels(self, layout: QFormLayout, edits: list[QLineEdit], labels: list[str],
                     axis: str) -> None:
        while layout.rowCount():
            layout.removeRow(0)
        edits.clear()
        for number, text in enumerate(labels, 1):
            edit = QLineEdit(text)
            edit.setMaxLength(30)
            edit.setAccessibleName(f"{axis} {number} label")
            layout.addRow(f"{number}", edit)
            edits.append(edit)

    def _fill_bands(self, matrix: RiskMatrix) -> None:
        top = matrix.size * matrix.size
        if len(self._band_rows) == len(matrix.bands):
            # Same rows, new values: nothing moves under the user's eyes.
            self._colours = [band.colour for band in matrix.bands]
            for index, (band, (name, limit, _)) in enumerate(
                zip(matrix.bands, self._band_rows, strict=True)
            ):
                name.setText(band.label)
                limit.setRange(1, top)
                limit.setValue(top if index == len(matrix.bands) - 1 else band.max_score)
                self.set_colour(index, band.colour)
            return
        while self.bands_layout.count():
            item = self.bands_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from view now; deleted once control returns
                widget.setParent(None)
                widget.deleteLater()
        self._band_rows.clear()
        self._colours = [band.colour for band in matrix.bands]
        top = matrix.size * matrix.size
        for column, heading in enumerate(("Band", "Scores up to", "Colour")):
            label = QLabel(heading)
            set_text_color(label, muted_color(self.palette()))
            self.bands_layout.addWidget(label, 0, column)
        for row, band in enumerate(matrix.bands, 1):
            name = QLineEdit(band.label)
            name.setMaxLength(20)
            name.setAccessibleName(f"Band {row} name")
            limit = QSpinBox()
            limit.setRange(1, top)
            limit.setValue(min(band.max_score, top))
            limit.setAccessibleName(f"Band {row} top score")
            last = row == len(matrix.bands)
            if last:
                limit.setValue(top)
                limit.setEnabled(False)
                limit.setToolTip("The last band always reaches the top score")
            colour = QPushButton(band.colour)
            colour.setIcon(_swatch(band.colour))
            colour.setAutoDefault(False)
            colour.setAccessibleName(f"Band {row} colour")
            colour.setToolTip("Choose the colour")
            colour.clicked.connect(partial(self.choose_colour, row - 1))
            self.bands_layout.addWidget(name, row, 0)
            self.bands_layout.addWidget(limit, row, 1)
            self.bands_layout.addWidget(colour, row, 2)
            self._band_rows.append((name, limit, colour))
        self.bands_layout.setColumnStretch(0, 1)

    # --- Reading the form -----------------------------------------------------------------

    def chosen_size(self) -> int:
        return int(self.size_combo.currentData())

    def matrix(self) -> RiskMatrix:
        """The matrix as the dialog shows it."""
        return RiskMatrix(
            size=self.chosen_size(),
            likelihood_labels=[e.text().strip() for e in self._likelihood_edits],
            impact_labels=[e.text().strip() for e in self._impact_edits],
            bands=[
                Band(name.text().strip() or f"Band {i + 1}", limit.value(), self._colours[i])
                for i, (name, limit, _) in enumerate(self._band_rows)
            ],
        )

    def preview_mapping(self) -> dict[int, int]:
        """The re-mapping rule the preview table shows (empty when the size is unchanged)."""
        if self.preview_box.isHidden():
            return {}
        table = self.preview_table

        def cell(row: int, column: int) -> str:
            item = table.item(row, column)
            assert item is not None  # the preview fills every cell
            return item.text()

        return {int(cell(0, c)): int(cell(1, c)) for c in range(table.columnCount())}

    # --- Reacting -------------------------------------------------------------------------

    def choose_colour(self, index: int) -> None:
        name = self._band_rows[index][0].text() or f"band {index + 1}"
        colour = QColorDialog.getColor(QColor(self._colours[index]), self,
                                       f"Colour for {name}")
        if colour.isValid():
            self.set_colour(index, colour.name())

    def set_colour(self, index: int, colour: str) -> None:
        self._colours[index] = colour
        button = self._band_rows[index][2]
        button.setText(colour)
        button.setIcon(_swatch(colour))

    def _size_changed(self) -> None:
        size = self.chosen_size()
        # New labels and bands for the new size: those of the stored matrix fit only it.
        self._show_matrix(self._stored if size == self._stored.size else
                          RiskMatrix.default(size))
        self.confirm_check.setChecked(False)
        self._update_preview()
        if self.isVisible():
            self.adjustSize()

    def _update_preview(self) -> None:
        size = self.chosen_size()
        changing = size != self._stored.size
        self.preview_box.setVisible(changing)
        if changing:
            mapping, affected = risks.remap_preview(size)
            table = self.preview_table
            table.setColumnCount(len(mapping))
            for column, (old, new) in enumerate(sorted(mapping.items())):
                for row, value in enumerate((old, new)):
                    item = QTableWidgetItem(str(value))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    table.setItem(row, column, item)
            table.resizeRowsToContents()
            height = table.horizontalHeader().height() if table.horizontalHeader().isVisible() \
                else 0
            height += sum(table.rowHeight(r) for r in range(2)) + 2 * table.frameWidth()
            table.setFixedHeight(height)
            table.setFixedWidth(table.verticalHeader().sizeHint().width()
                                + 52 * len(mapping) + 2 * table.frameWidth())
            old_size = self._stored.size
            self.rule_label.setText(
                f"From {old_size} × {old_size} to {size} × {size}, each likelihood and impact "
                "(before and after treatment) moves to the nearest value on the new scale; "
                "the lowest stays lowest and the highest stays highest."
            )
            noun = "risk" if affected == 1 else "risks"
            self.count_label.setText(
                f"{affected} {noun} will be re-scored." if affected else
                "No risks are rated yet, so none will be re-scored."
            )
            self.confirm_check.setVisible(bool(affected))
        self._update_save()

    def _needs_confirmation(self) -> bool:
        return not self.preview_box.isHidden() and self.confirm_check.isVisibleTo(self)

    def _update_save(self, *_args: object) -> None:
        self.save_button.setEnabled(
            not self._needs_confirmation() or self.confirm_check.isChecked()
        )
        if self._needs_confirmation() and not self.confirm_check.isChecked():
            self.save_button.setToolTip("Tick the box above to confirm the re-scoring")
        else:
            self.save_button.setToolTip("")

    def accept(self) -> None:
        if self._needs_confirmation() and not self.confirm_check.isChecked():
            return
        try:
            self.rescored = risks.save_matrix(self.matrix(), read=self._stored)
        except RecordChanged as refused:
            self.error_label.hide()
            self.changed_bar.show_refusal(refused)
            return
        except ValidationError as error:
            self.error_label.setText("\n".join(error.problems.values()))
            self.error_label.show()
            return
        super().accept()

    # --- Someone saved another matrix meanwhile -----------------------------------------------

    def differences(self) -> list[Difference]:
        """What differs between the matrix as edited here and the one stored now."""
        return [(label, a, b) for label, a, b in zip(
            ("Size", "Likelihood labels", "Impact labels", "Bands"),
            _described(self.matrix()), _described(risks.load_matrix()), strict=True) if a != b]

    def compare(self) -> None:
        """The matrix as edited beside theirs; "Reload theirs" takes theirs."""
        self.compare_dialog = ChangesDialog.offer(self.differences(), self, self.reload_theirs)

    def reload_theirs(self) -> None:
        """Drop the edits and show the matrix as stored now; the next save goes over it."""
        self._stored = risks.load_matrix()
        self.changed_bar.hide()
        blocked = self.size_combo.blockSignals(True)
        self.size_combo.setCurrentIndex(self.size_combo.findData(self._stored.size))
        self.size_combo.blockSignals(blocked)
        self._show_matrix(self._stored)
        self.confirm_check.setChecked(False)
        self._update_preview()


def _described(matrix: RiskMatrix) -> tuple[str, str, str, str]:
    return (f"{matrix.size}×{matrix.size}", ", ".join(matrix.likelihood_labels),
            ", ".join(matrix.impact_labels),
            "; ".join(f"{b.label} up to {b.max_score} ({b.colour})" for b in matrix.bands))
