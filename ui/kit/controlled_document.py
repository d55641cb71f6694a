"""Controlled documents (the policy, the scope): their version statuses and the version
list that policy, scope and reviews show."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from qms_desktop.models import DocumentVersion
from ui.kit.theme import NEUTRAL_HUE, blend, chip_style, tint

STATUS_LABELS = {"draft": "Draft", "approved": "Approved", "superseded": "Superseded"}


STATUS_HUES = {"draft": "#d99a00", "approved": "#2e8b45", "superseded": NEUTRAL_HUE}

VERSION_ROLE = Qt.ItemDataRole.UserRole


STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


WHEN_ROLE = Qt.ItemDataRole.UserRole + 2


def version_title(version: DocumentVersion) -> str:
    return f"Version {version.number} ({STATUS_LABELS.get(version.status, version.status).lower()})"


def status_chip_style(palette: QPalette, status: str) -> str:
    return chip_style(palette, STATUS_HUES.get(status, NEUTRAL_HUE))


class VersionDelegate(QStyledItemDelegate):
    """Two lines per item: its name with a status chip, and its dates below (policy and
    scope versions; reviews pass their own status words and colours)."""

    PADDING = 8

    def __init__(self, parent: QWidget | None = None,
                 labels: dict[str, str] | None = None, hues: dict[str, str] | None = None,
                 width: int = 200) -> None:
        super().__init__(parent)
        self.labels = STATUS_LABELS if labels is None else labels
        self.hues = STATUS_HUES if hues is None else hues
        self._width = width

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(self._width, line * 2 + self.PADDING * 2 + 6)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter,
                                opt.widget)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        back = palette.color(
            QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
        )
        muted = blend(back, text_colour, 0.65)
        rect = option.rect.adjusted(self.PADDING + 4, self.PADDING, -self.PADDING, -self.PADDING)
        metrics = option.fontMetrics
        line = metrics.lineSpacing()

        painter.save()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        title = str(index.data(Qt.ItemDataRole.DisplayRole))
        title_rect = QRect(rect.left(), rect.top(), rect.width(), line)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         title)

        status = str(index.data(STATUS_ROLE))
        chip_text = self.labels.get(status, status)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        painter.setFont(small)
        chip_metrics = painter.fontMetrics()
        chip_width = chip_metrics.horizontalAdvance(chip_text) + 16
        chip_height = chip_metrics.height() + 4
        chip = QRect(rect.right() - chip_width, rect.top() + (line - chip_height) // 2,
                     chip_width, chip_height)
        hue = QColor(self.hues.get(status, NEUTRAL_HUE))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(hue)
        painter.setBrush(tint(palette, hue.name()))
        painter.drawRoundedRect(chip, chip_height / 2, chip_height / 2)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, chip_text)

        painter.setFont(option.font)
        painter.setPen(muted)
        when_rect = QRect(rect.left(), rect.top() + line + 4, rect.width(), line)
        when = metrics.elidedText(str(index.data(WHEN_ROLE) or ""), Qt.TextElideMode.ElideRight,
                                  rect.width())
        painter.drawText(when_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         when)
        painter.restore()
