"""Small widget set-up helpers that several screens share.

Colours come from `ui.kit.theme`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qms_desktop.errors import ValidationError
from ui.kit.theme import chip_style, error_color, muted_color, set_text_color

W = TypeVar("W", bound=QWidget)
D = TypeVar("D", bound=QDialog)


def resize_within_screen(window: QWidget, width: int, height: int,
                         parent: QWidget | None = None) -> None:
    """`width` x `height` where the screen has room, else a little less than the screen
    (a 1366 x 768 laptop leaves about 700 points of height under its panels)."""
    screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    available = screen.availableGeometry()
    window.resize(min(width, int(available.width() * 0.94)),
                  min(height, int(available.height() * 0.9)))


def bold(widget: W, scale: float = 1.0) -> W:
    """`widget` with a bold font, `scale` times its size."""
    font = QFont(widget.font())
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    widget.setFont(font)
    return widget


def list_beside_detail(list_panel: QWidget, detail_panel: QWidget, empty_page: QWidget,
                       sizes: tuple[int, int]) -> tuple[QSplitter, QStackedWidget]:
    """The records' list beside the chosen one, in pages with the empty state in front
    (page 0) for when there is nothing to list yet."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(list_panel)
    splitter.addWidget(detail_panel)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes(list(sizes))
    pages = QStackedWidget()
    pages.addWidget(empty_page)
    pages.addWidget(splitter)
    return splitter, pages


def screen_layout(screen: QWidget, *parts: QWidget | QLayout, spacing: int = 12,
                  bottom: int = 16) -> QVBoxLayout:
    """A screen's parts one under the other at the screen's margins, the last one taking the
    height left; returned for what goes under it."""
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(20, 16, 20, bottom)
    layout.setSpacing(spacing)
    for index, part in enumerate(parts):
        stretch = 1 if index == len(parts) - 1 else 0
        if isinstance(part, QLayout):
            layout.addLayout(part, stretch)
        else:
            layout.addWidget(part, stretch)
    return layout


def open_dialog(owner: QWidget, dialog: D, on_accept: Callable[[D], object]) -> D:
    """Open `dialog` window-modal without blocking (no nested event loop), kept as
    `owner.dialog` while it is open so that it stays alive and tests can drive it;
    `on_accept(dialog)` after OK; deleted once closed."""
    owner.dialog = dialog  # type: ignore[attr-defined]

    def finished(result: int) -> None:
        owner.dialog = None  # type: ignore[attr-defined]
        if result == QDialog.DialogCode.Accepted:
            on_accept(dialog)
        dialog.deleteLater()

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


def muted_label(text: str = "", wrap: bool = True) -> QLabel:
    """A secondary line in the muted text colour."""
    label = QLabel(text)
    label.setWordWrap(wrap)
    set_text_color(label, muted_color(label.palette()))
    return label


def empty_page(heading: str, text: str, button_text: str, icon_name: str = "",
               text_width: int = 460) -> tuple[QFrame, QLabel, QPushButton]:
    """What a screen shows before its first record: an icon, a heading, what to do, and the
    button that starts; the page, its text (for re-tinting) and the button."""
    page = QFrame()
    page.setFrameShape(QFrame.Shape.StyledPanel)
    page.setAutoFillBackground(True)
    page.setBackgroundRole(QPalette.ColorRole.Base)
    page.setAccessibleName(heading)
    text_label = muted_label(text)
    text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    text_label.setFixedWidth(text_width)
    button = QPushButton(button_text)
    button.setAccessibleName(button_text.replace("&", "").rstrip("…"))
    button.setMinimumHeight(34)
    button.setMinimumWidth(220)

    column = QVBoxLayout(page)
    column.setSpacing(12)
    column.addStretch(2)
    if icon_name:
        from ui.kit.icons import icon

        picture = QLabel()
        picture.setPixmap(icon(icon_name).pixmap(48, 48))
        picture.setAccessibleName(f"{heading} icon")
        column.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
    column.addWidget(bold(QLabel(heading), 1.3), 0, Qt.AlignmentFlag.AlignHCenter)
    # A wrapped label gets its height only outside an aligned layout item.
    text_row = QHBoxLayout()
    text_row.addStretch(1)
    text_row.addWidget(text_label)
    text_row.addStretch(1)
    column.addLayout(text_row)
    column.addSpacing(8)
    column.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
    column.addStretch(3)
    return page, text_label, button


def muted_text(label: QLabel) -> QLabel:
    """`label` as a secondary line: muted colour, wrapping."""
    set_text_color(label, muted_color(label.palette()))
    label.setWordWrap(True)
    return label


def empty_state_label(name: str, text: str = "") -> QLabel:
    """What stands in for an empty list: centred muted text on the list's own ground."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setMargin(24)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setBackgroundRole(QPalette.ColorRole.Base)
    label.setAutoFillBackground(True)
    label.setAccessibleName(name)
    set_text_color(label, muted_color(label.palette()))
    return label


def problem_label(name: str = "Problem") -> QLabel:
    """Red text under the fields at fault, hidden until there is something to say."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    set_text_color(label, error_color(label.palette()))
    label.hide()
    return label


def shown_problem(label: QLabel) -> str:
    """What a problem label says, or "" while it is hidden."""
    return label.text() if not label.isHidden() else ""


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A field's caption; its "&" letter moves the keyboard focus to `buddy`."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def show_problem(label: QLabel, text: str) -> None:
    """Show `text` in a problem label, or hide the label when `text` is empty."""
    label.setText(text)
    label.setAccessibleDescription(text)
    label.setVisible(bool(text))


def problems_text(error: ValidationError) -> str:
    """A refused input's problems as one line, for a problem label or the status bar."""
    return " ".join(str(problem) for problem in error.problems.values())


def ok_cancel_buttons(
    dialog: QDialog,
    ok_text: str | None = None,
    accessible_name: str | None = None,
    on_ok: Callable[[], object] | None = None,
) -> tuple[QDialogButtonBox, QPushButton]:
    """OK and Cancel for `dialog`: OK runs `on_ok` (the dialog's accept by default)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    if ok_text is not None:
        ok.setText(ok_text)
    if accessible_name is not None:
        ok.setAccessibleName(accessible_name)
    buttons.accepted.connect(on_ok if on_ok is not None else dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


def setup_readonly_table(
    table: QTableView,
    accessible_name: str | None,
    stretch_last: bool = True,
    single_selection: bool = True,
    word_wrap: bool = False,
) -> None:
    """A list of whole rows that is read, not edited, in place: no grid, left-aligned headings.

    Tab leaves the table rather than moving between its cells. `accessible_name` None leaves
    the name as it is; `single_selection` False keeps the view's own selection mode.
    """
    if accessible_name is not None:
        table.setAccessibleName(accessible_name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(word_wrap)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    if stretch_last:
        header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def chip(label: QLabel, text: str, hue: str) -> None:
    """Make `label` a small rounded status chip in `hue`, readable in light and dark."""
    label.setText(text)
    label.setStyleSheet(chip_style(label.palette(), hue))


class ElidedLabel(QLabel):
    """One line that ends in "…" when it does not fit, with the whole text as tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft
                                          | Qt.AlignmentFlag.AlignVCenter), shown)
