"""What a window shows that does not fit: text wider than its widget, widgets out of sight.

`problems(window)` looks at every visible label, button, check box, tab, line edit, drop-down,
spin box and date edit of a window, as laid out now, and names each one

- narrower than its text needs: the font's `horizontalAdvance` of the text plus the style's
  margins, against the room the widget gives its text; a label that wraps its words, or a
  widget marked as eliding by design (`ui.kit.fitting`), is allowed to be narrower;
- lying outside its window, or cut by a parent, with no scroll area around it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QTabWidget,
    QToolButton,
    QWidget,
)

from ui.kit.fitting import elides_by_design

# Text a line edit may scroll within: a sentence typed into a field is not a value to read
# at a glance, a name or a date is.
LONGEST_VALUE = 40


def shown_text(text: str) -> str:
    """`text` as a button or tab draws it: "&&" is an ampersand, a lone "&" marks a mnemonic."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def stray_ampersand(text: str) -> bool:
    """Whether `text`, as a button or tab label, has an "&" meant literally that Qt takes for
    a mnemonic ("Context & issues" shows as "Context _issues"): one not before a letter."""
    rest = text.replace("&&", "")
    return any(not rest[i + 1:i + 2].isalnum() for i, c in enumerate(rest) if c == "&")


def describe(widget: QWidget) -> str:
    name = widget.accessibleName() or widget.objectName()
    text = ""
    for getter in ("text", "currentText", "placeholderText"):
        value = getattr(widget, getter, None)
        if callable(value):
            try:
                found = value()
            except TypeError:
                continue
            if isinstance(found, str) and found:
                text = found
                break
    parts = [type(widget).__name__]
    if name:
        parts.append(f"named {name!r}")
    if text:
        parts.append(f"showing {text[:60]!r}")
    return " ".join(parts)


def _inside_inner_editor(widget: QWidget) -> bool:
    """The line edit a spin box or an editable drop-down draws its value with."""
    return isinstance(widget, QLineEdit) and isinstance(
        widget.parentWidget(), (QAbstractSpinBox, QComboBox)
    )


def _elided(widget: QWidget) -> bool:
    current: QWidget | None = widget
    while current is not None:
        if elides_by_design(current):
            return True
        current = current.parentWidget()
    return False


def _label_need(label: QLabel) -> tuple[int, int] | None:
    if label.wordWrap() or not label.text() or not label.pixmap().isNull():
        return None
    metrics = label.fontMetrics()
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if rich:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        need = int(document.idealWidth() + 0.99)
    else:
        if label.buddy() is not None:
            text = shown_text(text)
        need = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
    # As QLabel lays out its text: a framed label without an indent of its own is indented
    # by half an "x" less its margin, and only on the side it is aligned to (not centred).
    indent = label.indent()
    if indent < 0:
        indent = metrics.horizontalAdvance("x") // 2 - label.margin() \
            if label.frameWidth() > 0 else 0
    sideways = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignRight
    if not label.alignment() & sideways:
        indent = 0
    room = label.contentsRect().width() - 2 * label.margin() - max(indent, 0)
    return need, room


def _button_need(button: QAbstractButton) -> tuple[int, int] | None:
    if not button.text():
        return None
    if isinstance(button, QToolButton) and \
            button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly:
        return None
    hint = button.sizeHint().width()
    if isinstance(button, QPushButton):
        # Fusion asks at least 80 px for any push button with text, whatever the text needs.
        style = button.style()
        metrics = button.fontMetrics()
        icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
        own = (metrics.horizontalAdvance(shown_text(button.text())) + icon
               + 2 * style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin)
               + 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth))
        if button.menu() is not None:
            own += style.pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator)
        return min(hint, own), button.width()
    if isinstance(button, (QCheckBox, QRadioButton, QToolButton)):
        return hint, button.width()
    return None


def _line_edit_need(edit: QLineEdit) -> tuple[int, int] | None:
    if edit.echoMode() != QLineEdit.EchoMode.Normal:
        return None
    text = edit.text() or edit.placeholderText()
    if not text or (len(text) > LONGEST_VALUE and not edit.isReadOnly()):
        return None
    metrics = edit.fontMetrics()
    style = edit.style()
    frame = style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth) if edit.hasFrame() else 0
    margins = edit.textMargins()
    left = frame + margins.left() + 2
    right = edit.width() - frame - margins.right() - 2
    for side in edit.findChildren(QToolButton):  # the clear button and other actions
        if side.isVisibleTo(edit):
            if side.x() > edit.width() // 2:
                right = min(right, side.x())
            else:
                left = max(left, side.geometry().right() + 1)
    return metrics.horizontalAdvance(text), right - left


def _combo_need(combo: QComboBox) -> tuple[int, int] | None:
    text = combo.currentText()
    if not text:
        return None
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    icon = combo.iconSize().width() + 4 if not combo.itemIcon(combo.currentIndex()).isNull() else 0
    # Fusion draws the label inside the field less a pixel each side.
    return combo.fontMetrics().horizontalAdvance(text) + icon + 2, field.width()


def _spin_need(spin: QAbstractSpinBox) -> tuple[int, int] | None:
    text = spin.text()
    editor = spin.findChild(QLineEdit)
    if not text or editor is None:
        return None
    return QFontMetrics(editor.font()).horizontalAdvance(text), editor.width() - 4


def text_need(widget: QWidget) -> tuple[int, int] | None:
    """(width the text needs, width the widget gives it), or None when there is no text."""
    if isinstance(widget, QLabel):
        return _label_need(widget)
    if isinstance(widget, QAbstractButton):
        return _button_need(widget)
    if isinstance(widget, QLineEdit) and not _inside_inner_editor(widget):
        return _line_edit_need(widget)
    if isinstance(widget, QComboBox):
        return _combo_need(widget)
    if isinstance(widget, QAbstractSpinBox):
        return _spin_need(widget)
    return None


def _tab_problems(bar: QTabBar) -> list[str]:
    found = []
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    if arrows:
        found.append(f"{describe(bar)}: the tabs do not fit, scroll arrows show")
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        rect = bar.tabRect(index)
        need = bar.tabSizeHint(index).width()
        label = shown_text(bar.tabText(index))
        if stray_ampersand(bar.tabText(index)):
            found.append(f"tab {label!r} shows a mnemonic where an '&' was meant")
        if rect.width() < need:
            found.append(f"tab {label!r} of {describe(bar)} is cut: needs {need} px, has "
                         f"{rect.width()}")
        elif not bar.rect().contains(rect):
            found.append(f"tab {label!r} of {describe(bar)} lies outside its tab bar")
    return found


def scrolls(widget: QWidget) -> bool:
    """Whether `widget` is the viewport of a scroll area (what it holds may be scrolled to)."""
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def _beyond_scrolling(widget: QWidget, viewport: QWidget) -> str:
    """Where `widget` sticks out of a scroll area's viewport in a direction it cannot scroll."""
    area = viewport.parentWidget()
    assert isinstance(area, QAbstractScrollArea)
    rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    across = rect.left() < 0 or rect.right() >= viewport.width()
    down = rect.top() < 0 or rect.bottom() >= viewport.height()
    if (across and area.horizontalScrollBarPolicy() == off) or \
            (down and area.verticalScrollBarPolicy() == off):
        return (f"{describe(widget)} at {rect.getRect()} sticks out of {describe(area)} "
                f"({viewport.width()} x {viewport.height()}), which cannot scroll that way")
    return ""


def out_of_sight(widget: QWidget, window: QWidget) -> str:
    """Where `widget` is cut off by a parent or its window with no scroll area between them;
    empty when it is in full view or could be scrolled to."""
    parent = widget.parentWidget()
    while parent is not None:
        if scrolls(parent):
            return _beyond_scrolling(widget, parent)
        rect = QRect(widget.mapTo(parent, QPoint(0, 0)), widget.size())
        # One pixel of slack: a wrapped label's height is rounded, and a pixel is not a cut.
        if not parent.rect().adjusted(-1, -1, 1, 1).contains(rect):
            whose = "its window" if parent is window else describe(parent)
            return f"{describe(widget)} at {rect.getRect()} lies outside {whose} " \
                   f"({parent.width()} x {parent.height()})"
        if parent is window:
            return ""
        parent = parent.parentWidget()
    return ""


def squeezed(widget: QWidget) -> bool:
    """Whether `widget` is smaller than its layout's minimum: its children then overlap."""
    layout = widget.layout()
    if layout is None or scrolls(widget):
        return False
    least = layout.minimumSize()
    return widget.width() < least.width() or widget.height() < least.height()


def _squeezed_problem(widget: QWidget, window: QWidget) -> str:
    if not squeezed(widget):
        return ""
    parent = widget.parentWidget()
    while parent is not None and parent is not window.parentWidget():
        if squeezed(parent):
            return ""  # the outermost squeezed widget is the one named
        if scrolls(parent):
            break
        parent = parent.parentWidget()
    least = widget.layout().minimumSize()
    return (f"{describe(widget)} is squeezed to {widget.width()} x {widget.height()}, "
            f"below the {least.width()} x {least.height()} its layout needs")


class Settling:
    """A condition for `qtbot.waitUntil`: true once `window` has stopped changing.

    A window is not laid out when it is shown: layouts are activated by posted events,
    a word-wrapping label asks for more height once it knows its width, a scroll area resizes
    what it holds after that, and a screen may load its data once painted (on a thread of its
    own, the overview's evidence check). So the geometry of every visible widget, every
    layout's minimum, every label's text and the threads running are read at each poll, and
    the window counts as settled when they have stayed the same for `polls` polls in a row
    with no thread started since `threads` still running.
    """

    def __init__(self, window: QWidget, polls: int = 4,
                 threads: set[threading.Thread] | None = None) -> None:
        self._window = window
        self._polls = polls
        self._threads = threads if threads is not None else set(threading.enumerate())
        self._last: object = None
        self._same = 0

    def _state(self) -> object:
        top = self._window.window()  # `window` may be a part of one: a form, a page
        shown = [self._window, *(w for w in self._window.findChildren(QWidget)
                                 if w.isVisible() and w.window() is top)]
        state = []
        for widget in shown:
            layout = widget.layout()
            least = layout.minimumSize().toTuple() if layout is not None else None
            text = widget.text() if isinstance(widget, QLabel) else None
            state.append((id(widget), widget.geometry().getRect(), least, text))
        return tuple(state)

    def __call__(self) -> bool:
        working = [t for t in threading.enumerate() if t not in self._threads
                   and t is not threading.current_thread() and t.is_alive()]
        state = self._state()
        if working or state != self._last:
            self._last = state
            self._same = 0
            return False
        self._same += 1
        return self._same >= self._polls


def problems(window: QWidget, within: QWidget | None = None) -> list[str]:
    """What does not fit in `window` as laid out now (settle it first: `Settling`); only
    in the part `within` when given."""
    found: list[str] = []
    if within is None and squeezed(window):
        found.append(_squeezed_problem(window, window))
    hidden: set[QWidget] = set()  # out of sight: what they hold is, too, and goes unnamed
    for widget in (within or window).findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() or widget.window() is not window:
            continue
        if widget.width() <= 0 or widget.height() <= 0:
            continue
        if widget.parentWidget() in hidden:
            hidden.add(widget)
            continue
        where = out_of_sight(widget, window) or _squeezed_problem(widget, window)
        if where:
            found.append(where)
            hidden.add(widget)
            continue
        label = widget.text() if isinstance(widget, QAbstractButton) else ""
        if stray_ampersand(label):
            found.append(f"{describe(widget)} shows a mnemonic where an '&' was meant "
                         "(ui.kit.fitting.literal)")
        if _elided(widget):
            continue
        if isinstance(widget, QTabBar):
            found.extend(_tab_problems(widget))
            continue
        need = text_need(widget)
        if need is not None and need[1] < need[0]:
            found.append(f"{describe(widget)} needs {need[0]} px for its text, has {need[1]}")
    return found


def problems_on_every_tab(window: QWidget, settle: Callable[[], None]) -> list[str]:
    """`problems` with each tab of each tab widget in front in turn, tabs within tabs too
    (then the first again); `settle` waits for the window to settle after each switch."""
    found: list[str] = []

    def look() -> None:
        settle()
        found.extend(p for p in problems(window) if p not in found)

    def every_tab(within: QWidget) -> None:
        for tabs in within.findChildren(QTabWidget):
            if not tabs.isVisible() or _inside_tab_widget(tabs, within):
                continue
            first = tabs.currentIndex()
            for index in range(tabs.count()):
                if not tabs.isTabEnabled(index):
                    continue
                if index != first:
                    tabs.setCurrentIndex(index)
                    look()
                page = tabs.widget(index)
                if page is not None:
                    every_tab(page)
            if tabs.currentIndex() != first:
                tabs.setCurrentIndex(first)
                settle()

    look()
    every_tab(window)
    return found


def _inside_tab_widget(widget: QWidget, within: QWidget) -> bool:
    """Whether a tab widget stands between `widget` and `within` (it is reached through it)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not within:
        if isinstance(parent, QTabWidget):
            return True
        parent = parent.parentWidget()
    return False


def explain(widget: QWidget, vertical: bool, depth: int = 0, limit: int = 6) -> list[str]:
    """The minimum sizes down the widest (or tallest) branch of `widget`'s layouts: where to
    look when a window cannot be made small enough (FIT_EXPLAIN=1 prints it on failure)."""
    layout = widget.layout()
    if layout is None or depth >= limit:
        return []

    def least(item) -> int:
        size = item.minimumSize()
        return size.height() if vertical else size.width()

    lines: list[str] = []
    pending = [(layout, depth)]
    while pending:
        current, level = pending.pop()
        items = [current.itemAt(i) for i in range(current.count())]
        parts = []
        for item in items:
            inner = item.widget()
            label = describe(inner)[:50] if inner is not None else type(item).__name__
            parts.append(f"{label}={least(item)}")
        lines.append("  " * level + f"{type(current).__name__} {least(current)}: "
                     + ", ".join(parts))
        if not items:
            continue
        biggest = max(items, key=least)
        if biggest.layout() is not None:
            pending.append((biggest.layout(), level + 1))
        elif biggest.widget() is not None:
            inner = biggest.widget()
            if inner.layout() is not None:
                lines.extend(explain(inner, vertical, level + 1, limit))
            else:
                direct = Qt.FindChildOption.FindDirectChildrenOnly
                for child in inner.findChildren(QWidget, options=direct):
                    if child.layout() is not None and child.isVisibleTo(inner):
                        lines.extend(explain(child, vertical, level + 1, limit))
    return lines
