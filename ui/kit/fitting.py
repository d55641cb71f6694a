"""Text that fits its widget, and controls that keep their value while the page scrolls.

- `ElidedLabel`: one line cut with "…" to the room it gets, the whole text in its tooltip;
  `ElidedComboBox`, the same for a drop-down's choice.
  Eliding is a design choice made here, so the fit test can tell it from clipping
  (`ELIDES_PROPERTY`).
- `literal`: user text or a literal "&" for a button, action, tab or check box label, where
  Qt would otherwise take "&" for a mnemonic ("Context & issues" showed as "Context _issues").
- `install_wheel_guard`: the wheel over a drop-down, spin box or date edit without focus
  scrolls the page around it instead of changing the value (the shell installs it once).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

# A widget with this dynamic property set to True shortens its text on purpose (and shows
# all of it elsewhere, usually in its tooltip).
ELIDES_PROPERTY = "elides_by_design"


def literal(text: str) -> str:
    """`text` for a QPushButton/QAction/QTabBar/QCheckBox label, with every "&" shown as is."""
    return text.replace("&", "&&")


def mark_elided(widget: QWidget) -> QWidget:
    """Declare that `widget` shortens its text on purpose (the fit test then allows it)."""
    widget.setProperty(ELIDES_PROPERTY, True)
    return widget


def elides_by_design(widget: QWidget) -> bool:
    return bool(widget.property(ELIDES_PROPERTY))


class ElidedLabel(QLabel):
    """One line of plain text, cut with "…" at the end when it is wider than its room.

    The full text is its tooltip (unless one is set) and its accessible description, so
    nothing is lost; it asks for the width of the whole text but can be given less.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None,
                 elide_mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> None:
        super().__init__(parent)
        self._full_text = ""
        self._elide_mode = elide_mode
        self._own_tooltip = False
        mark_elided(self)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full_text = text
        self.setAccessibleDescription(text)
        if not self._own_tooltip:
            super().setToolTip(text)
        self.updateGeometry()
        self._elide()

    def setToolTip(self, text: str) -> None:
        self._own_tooltip = bool(text)
        super().setToolTip(text or self._full_text)

    def full_text(self) -> str:
        return self._full_text

    def is_elided(self) -> bool:
        return super().text() != self._full_text

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = self.fontMetrics().horizontalAdvance(self._full_text)
        margins = self.contentsMargins()
        # One pixel over the rounded advance, so the whole text is never elided by rounding.
        extra = margins.left() + margins.right() + 2 * self.margin() + self.frameWidth() * 2 + 1
        return QSize(width + extra, hint.height())

    def minimumSizeHint(self) -> QSize:
        least = self.fontMetrics().horizontalAdvance("…") * 3
        return QSize(least, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width() - 2 * self.margin()
        shown = self.fontMetrics().elidedText(self._full_text, self._elide_mode, max(room, 0))
        if shown != super().text():
            super().setText(shown)


class ElidedComboBox(QComboBox):
    """A drop-down that cuts a choice too long for it with "…", the whole choice in its
    tooltip (Qt would clip it mid-letter). The list it opens shows every choice whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mark_elided(self)
        self._own_tooltip = ""
        self.currentIndexChanged.connect(self._update_tooltip)

    def setToolTip(self, text: str) -> None:
        self._own_tooltip = text
        self._update_tooltip()

    def _shown_text(self, option: QStyleOptionComboBox) -> str:
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField,
            self)
        room = field.width() - 2  # Fusion draws the text a pixel in from each side
        if not option.currentIcon.isNull():
            room -= self.iconSize().width() + 4
        return self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight,
                                             max(room, 0))

    def is_elided(self) -> bool:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self._shown_text(option) != option.currentText

    def _update_tooltip(self, *_args: object) -> None:
        # An editable one's line edit scrolls its text instead: that is not eliding.
        self.setProperty(ELIDES_PROPERTY, not self.isEditable())
        whole = self.currentText() if not self.isEditable() and self.is_elided() else ""
        super().setToolTip("\n".join(t for t in (whole, self._own_tooltip) if t))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.isEditable():  # the line edit draws the text and scrolls it
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self._shown_text(option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


_GUARDED = (QComboBox, QAbstractSpinBox)  # QDateEdit and QDoubleSpinBox are spin boxes


class WheelGuard(QObject):
    """Application-wide: the wheel changes a drop-down or spin box only once it has focus.

    A page scrolls under the pointer; without this a drop-down passing under it would
    silently take another value (another holder of a duty) and be saved as such. The wheel
    event is ignored, so Qt passes it on to the scroll area around the control.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(watched, _GUARDED) \
                and not watched.hasFocus():
            event.ignore()
            return True
        if kind == QEvent.Type.Polish and isinstance(watched, _GUARDED) \
                and watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            # The wheel would give focus before this filter sees it; a click or Tab still does.
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


_WHEEL_GUARD: WheelGuard | None = None


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Guard every drop-down, spin box and date edit of `app` (once; later calls reuse it)."""
    global _WHEEL_GUARD
    if _WHEEL_GUARD is None:
        _WHEEL_GUARD = WheelGuard(app)
        app.installEventFilter(_WHEEL_GUARD)
    return _WHEEL_GUARD
