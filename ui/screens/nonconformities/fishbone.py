"""A fishbone (Ishikawa) diagram drawn in the window: the problem at the head, six bones.

The widget only draws and reports what the user asks for (mark a cause as root, remove it);
the screen does the saving. `cause_rect` and `cause_at` are the hit-test the mouse uses, so
tests can click exactly where a cause is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from ui.kit.theme import blend, is_dark

ROOT_HUE = "#d9534f"
ROOT_MARK = "★ "
MARGIN = 14
MAX_PROBLEM_CHARS = 110


@dataclass(frozen=True)
class Cause:
    id: str
    text: str
    is_root: bool


@dataclass(frozen=True)
class Bone:
    """One category: where it is drawn and the causes on it."""

    key: str
    label: str
    causes: tuple[Cause, ...]




def fit_in_box(metrics: QFontMetrics, box: QRectF, flags: int, text: str) -> str:
    """`text`, shortened at a word with "…" until it wraps inside `box` without clipping."""
    def fits(candidate: str) -> bool:
        return metrics.boundingRect(box.toRect(), flags, candidate).height() <= box.height()

    words = text.split()
    while len(words) > 1 and not fits(text):
        words.pop()
        text = " ".join(words).rstrip(",;:.") + "…"
    return text


class FishboneView(QWidget):
    """The diagram of one nonconformity's causes, six categories around a spine."""

    root_toggle_requested = Signal(str)  # cause id
    remove_requested = Signal(str)  # cause id
    current_changed = Signal(str)  # cause id, "" for none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem = ""
        self._bones: tuple[Bone, ...] = ()
        self._current = ""
        self._rects: dict[str, QRectF] = {}
        self._hidden: dict[str, int] = {}  # bone key -> causes that did not fit
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        # Low enough that the nonconformity screen fits a 1366 x 768 laptop screen.
        self.setMinimumSize(560, 200)
        self.setAccessibleName("Fishbone diagram")
        self.setToolTip("")

    # --- Data -----------------------------------------------------------------------------

    def set_diagram(self, problem: str, bones: list[Bone] | tuple[Bone, ...]) -> None:
        self._problem = problem
        self._bones = tuple(bones)
        if self._current not in self.cause_ids():
            self._current = ""
        self._update_description()
        self.update()

    def bones(self) -> tuple[Bone, ...]:
        return self._bones

    def cause_ids(self) -> list[str]:
        """Every cause in reading order: bone by bone, outer end first."""
        return [cause.id for bone in self._bones for cause in bone.causes]

    def cause(self, cause_id: str) -> Cause | None:
        return next((c for b in self._bones for c in b.causes if c.id == cause_id), None)

    def current_cause(self) -> str:
        return self._current

    def set_current(self, cause_id: str) -> None:
        cause_id = cause_id if cause_id in self.cause_ids() else ""
        if cause_id != self._current:
            self._current = cause_id
            self.update()
            self.current_changed.emit(cause_id)

    # --- Hit test -------------------------------------------------------------------------

    def cause_rect(self, cause_id: str) -> QRectF:
        """Where the cause's text is drawn in widget coordinates; empty if not drawn."""
        self._layout()
        return QRectF(self._rects.get(cause_id, QRectF()))

    def cause_at(self, point: QPointF) -> str:
        self._layout()
        for cause_id, rect in self._rects.items():
            if rect.adjusted(-3, -3, 3, 3).contains(point):
                return cause_id
        return ""

    # --- Geometry -------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(820, 380)

    def _metrics(self) -> tuple[QFontMetrics, float]:
        metrics = QFontMetrics(self.font())
        return metrics, float(metrics.height())

    def _frame(self) -> dict[str, float]:
        line = self._metrics()[1]
        width, height = float(self.width()), float(self.height())
        head_w = min(max(width * 0.2, 150.0), 230.0)
        head_h = min(max(height * 0.34, 70.0), 130.0)
        label_h = line + 8
        return {
            "line": line,
            "label_h": label_h,
            "spine_y": height / 2,
            "x0": float(MARGIN),
            "head_left": width - MARGIN - head_w,
            "head_w": head_w,
            "head_h": head_h,
            "top_outer": MARGIN + label_h + 2,
            "bottom_outer": height - MARGIN - label_h - 2,
        }

    def _bone_line(self, index: int) -> tuple[QPointF, QPointF]:
        """(outer end, point on the spine) of bone `index`: 0-2 on top, 3-5 below."""
        f = self._frame()
        span = (f["head_left"] - f["x0"]) / 3
        column = index % 3
        attach_x = f["x0"] + span * (column + 1) - 10
        outer_y = f["top_outer"] if index < 3 else f["bottom_outer"]
        slant = min(span * 0.32, abs(f["spine_y"] - outer_y) * 0.55)
        return QPointF(attach_x - slant, outer_y), QPointF(attach_x, f["spine_y"])

    def _layout(self) -> None:
        """Place every cause's text; those that do not fit are counted, not drawn."""
        f = self._frame()
        span = (f["head_left"] - f["x0"]) / 3
        self._rects = {}
        self._hidden = {}
        for index, bone in enumerate(self._bones[:6]):
            outer, attach = self._bone_line(index)
            room = abs(attach.y() - outer.y()) - 10
            # Two lines per cause while they fit, so longer causes are read, not cut.
            slot = f["line"] * 2 + 8
            if len(bone.causes) * slot > room:
                slot = f["line"] + 8
            rows = max(int(room // slot), 1)
            shown = bone.causes if len(bone.causes) <= rows else bone.causes[: rows - 1]
            if len(shown) < len(bone.causes):
                self._hidden[bone.key] = len(bone.causes) - len(shown)
            for row, cause in enumerate(shown):
                offset = 8 + slot * row
                y = outer.y() + offset if index < 3 else outer.y() - offset - slot
                centre_y = y + slot / 2
                t = (centre_y - outer.y()) / (attach.y() - outer.y())
                bone_x = outer.x() + (attach.x() - outer.x()) * t
                right = bone_x - 6
                left = max(bone_x - span + 14, float(MARGIN) / 2)
                self._rects[cause.id] = QRectF(left, y + 2, right - left, slot - 4)

    @staticmethod
    def _wrapped(text: str, metrics: QFontMetrics, width: int, lines: int) -> list[str]:
        """`text` in at most `lines` lines of `width`, the last one elided if need be."""
        words, result, current = text.split(), [], ""
        for position, word in enumerate(words):
            trial = f"{current} {word}".strip()
            if metrics.horizontalAdvance(trial) <= width or not current:
                current = trial
                continue
            result.append(current)
            current = word
            if len(result) == lines - 1:
                current = " ".join(words[position:])
                break
        result.append(current)
        return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in result]

    # --- Painting -------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        self._layout()
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        back = palette.color(QPalette.ColorRole.Base)
        muted = blend(palette.color(QPalette.ColorRole.Window), text, 0.6)
        root_hue = QColor(ROOT_HUE)
        root_fill = blend(back, root_hue, 0.34 if is_dark(palette) else 0.18)
        f = self._frame()

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), back)

        # The spine and the head with the problem.
        head = QRectF(f["head_left"], f["spine_y"] - f["head_h"] / 2, f["head_w"], f["head_h"])
        painter.setPen(QPen(text, 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(f["x0"], f["spine_y"]), QPointF(head.left(), f["spine_y"]))
        arrow = QPainterPath(QPointF(head.left(), f["spine_y"]))
        arrow.lineTo(head.left() - 10, f["spine_y"] - 6)
        arrow.lineTo(head.left() - 10, f["spine_y"] + 6)
        arrow.closeSubpath()
        painter.fillPath(arrow, text)
        painter.setPen(QPen(text, 1.6))
        painter.setBrush(blend(back, palette.color(QPalette.ColorRole.Highlight), 0.14))
        painter.drawRoundedRect(head, 8, 8)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        problem = self._problem or "The problem"
        if len(problem) > MAX_PROBLEM_CHARS:
            problem = problem[: MAX_PROBLEM_CHARS - 1].rstrip() + "…"
        box = head.adjusted(10, 8, -10, -8)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(box, flags, fit_in_box(QFontMetrics(bold), box, int(flags), problem))

        # Bones, their category labels and the causes along them.
        for index, bone in enumerate(self._bones[:6]):
            outer, attach = self._bone_line(index)
            painter.setPen(QPen(muted, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(outer, attach)
            label_rect = QRectF(outer.x() - 90, 0, 180, f["label_h"])
            if index < 3:
                label_rect.moveBottom(outer.y() - 2)
            else:
                label_rect.moveTop(outer.y() + 2)
            count = f" ({len(bone.causes)})" if bone.causes else ""
            painter.setFont(bold)
            painter.setPen(text)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, bone.label + count)
            for cause in bone.causes:
                rect = self._rects.get(cause.id)
                if rect is not None:
                    self._paint_cause(painter, cause, rect, text, muted, root_hue, root_fill)
            hidden = self._hidden.get(bone.key, 0)
            if hidden:
                last = [self._rects[c.id] for c in bone.causes if c.id in self._rects]
                anchor = last[-1] if last else QRectF(outer.x() - 120, outer.y(), 110, f["line"])
                more = anchor.translated(0, anchor.height() + 4 if index < 3 else
                                         -anchor.height() - 4)
                painter.setFont(self.font())
                painter.setPen(muted)
                painter.drawText(more, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 f"+{hidden} more")
        painter.end()

    def _paint_cause(self, painter: QPainter, cause: Cause, rect: QRectF, text: QColor,
                     muted: QColor, root_hue: QColor, root_fill: QColor) -> None:
        font = QFont(self.font())
        font.setBold(cause.is_root)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        label = (ROOT_MARK if cause.is_root else "") + cause.text
        lines = 2 if rect.height() >= metrics.height() * 2 else 1
        shown = self._wrapped(label, metrics, int(rect.width()) - 12, lines)
        text_width = max(metrics.horizontalAdvance(line) for line in shown) + 12
        text_height = metrics.height() * len(shown) + 4
        pill = QRectF(rect.right() - text_width, rect.bottom() - text_height, text_width,
                      text_height)
        if cause.is_root:
            painter.setPen(QPen(root_hue, 1.4))
            painter.setBrush(root_fill)
            painter.drawRoundedRect(pill, 5, 5)
        else:
            # The rib: a short line under the text that meets the bone.
            painter.setPen(QPen(muted, 1.0))
            painter.drawLine(QPointF(pill.left(), pill.bottom()),
                             QPointF(rect.right() + 6, pill.bottom()))
        painter.setPen(text)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, "\n".join(shown))
        if cause.id == self._current:
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.0)
            pen.setStyle(Qt.PenStyle.DashLine if not self.hasFocus() else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(pill.adjusted(-3, -2, 3, 2), 6, 6)

    # --- Mouse and keyboard ---------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set_current(self.cause_at(event.position()))
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        cause_id = self.cause_at(event.position())
        if cause_id:
            self.set_current(cause_id)
            self.root_toggle_requested.emit(cause_id)
        else:
            super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ids = self.cause_ids()
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up) and ids:
            step = 1 if key in (Qt.Key.Key_Right, Qt.Key.Key_Down) else -1
            position = ids.index(self._current) if self._current in ids else -step
            self.set_current(ids[(position + step) % len(ids)])
            return
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._current:
            self.root_toggle_requested.emit(self._current)
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._current:
            self.remove_requested.emit(self._current)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if not self._current and self.cause_ids():
            self.set_current(self.cause_ids()[0])
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cause = self.cause(self.cause_at(QPointF(event.pos())))
            if cause is not None:
                QToolTip.showText(event.globalPos(), ("Root cause: " if cause.is_root else "")
                                  + cause.text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _update_description(self) -> None:
        parts = []
        for bone in self._bones:
            if bone.causes:
                causes = ", ".join(c.text + (" (root cause)" if c.is_root else "")
                                   for c in bone.causes)
                parts.append(f"{bone.label}: {causes}")
        self.setAccessibleDescription(
            f"Problem: {self._problem}. " + ("; ".join(parts) if parts else "No causes yet.")
            + " Arrow keys move between causes, Space marks the root cause, Delete removes."
        )
