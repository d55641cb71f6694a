"""The review pack on screen and on paper: a PDF viewer dialog and page-by-page printing.

The pack is already a PDF, so both show exactly what the file holds: the viewer reads the
bytes through QtPdf, and printing renders each page to an image at the printer's resolution
and draws it on its own sheet.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIdentityProxyModel,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QImage, QKeySequence, QPainter
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui.kit.widgets import resize_within_screen

ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)
# A page drawn finer than this only costs memory: 300 dpi is what office printers resolve.
MAX_PRINT_DPI = 300


def load_pdf(pdf: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over the bytes; keep the buffer alive as long as the document."""
    document = QPdfDocument(parent) if parent is not None else QPdfDocument()
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document, buffer


class PackPreviewDialog(QDialog):
    """The pack as it will print, all pages in one scrolling column, with page and zoom,
    and its sections (the PDF's outline) beside it: a click or Enter opens one."""

    def __init__(self, pdf: bytes, title: str = "Review pack",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Preview: {title}")
        self.setAccessibleName("Review pack preview")
        resize_within_screen(self, 1200, 860, parent)
        self.document, self._buffer = load_pdf(pdf, self)

        self.view = QPdfView(self)
        self.view.setAccessibleName("Pack pages")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        self.bookmarks = QPdfBookmarkModel(self)
        self.bookmarks.setDocument(self.document)
        self.sections = QTreeView()
        self.sections.setAccessibleName("Sections")
        self.sections.setToolTip("Sections of the pack: click one, or press Enter, to open it")
        self.sections.setHeaderHidden(True)
        self.sections.setUniformRowHeights(True)
        self._titles = _TitleTips(self)
        self._titles.setSourceModel(self.bookmarks)
        self.sections.setModel(self._titles)
        self.sections.expandAll()
        self.sections.setHidden(self.bookmarks.rowCount() == 0)

        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setAccessibleName("Previous page")
        self.previous_button.setToolTip("Previous page (Page Up)")
        self.previous_button.setShortcut(QKeySequence(Qt.Key.Key_PageUp))
        self.page_spin = QSpinBox()
        self.page_spin.setAccessibleName("Page")
        self.page_spin.setRange(1, max(1, self.document.pageCount()))
        self.page_spin.setKeyboardTracking(False)
        self.page_count_label = QLabel(f"of {self.document.pageCount()}")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setAccessibleName("Next page")
        self.next_button.setToolTip("Next page (Page Down)")
        self.next_button.setShortcut(QKeySequence(Qt.Key.Key_PageDown))

        self.zoom_out_button = QToolButton()
        self.zoom_out_button.setText("−")
        self.zoom_out_button.setAccessibleName("Zoom out")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+-)")
        self.zoom_out_button.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.zoom_label = QLabel()
        self.zoom_label.setAccessibleName("Zoom")
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("Fit width") + 8)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = QToolButton()
        self.zoom_in_button.setText("+")
        self.zoom_in_button.setAccessibleName("Zoom in")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl++)")
        self.zoom_in_button.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.fit_button = QPushButton("&Fit width")
        self.fit_button.setAccessibleName("Fit width")
        self.whole_page_button = QPushButton("&Whole page")
        self.whole_page_button.setAccessibleName("Whole page")

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.previous_button)
        page_label = QLabel("&Page")
        page_label.setBuddy(self.page_spin)
        bar.addWidget(page_label)
        bar.addWidget(self.page_spin)
        bar.addWidget(self.page_count_label)
        bar.addWidget(self.next_button)
        bar.addStretch(1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in_button)
        bar.addSpacing(8)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.whole_page_button)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sections)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 820])
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.buttons)

        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._page_changed)
        self.sections.activated.connect(self.open_section)
        self.sections.clicked.connect(self.open_section)
        self.page_spin.valueChanged.connect(lambda value: self.go_to_page(value - 1))
        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.zoom_in_button.clicked.connect(lambda: self._step_zoom(1))
        self.zoom_out_button.clicked.connect(lambda: self._step_zoom(-1))
        self.fit_button.clicked.connect(
            lambda: self._set_zoom_mode(QPdfView.ZoomMode.FitToWidth))
        self.whole_page_button.clicked.connect(
            lambda: self._set_zoom_mode(QPdfView.ZoomMode.FitInView))
        self._update_controls()

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        page = max(0, min(page, self.page_count() - 1))
        if page != self.current_page():
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())
        self._update_controls()

    def section_titles(self) -> list[str]:
        """Every section in the outline, depth first, as the tree lists them."""
        titles: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.bookmarks.rowCount(parent)):
                index = self.bookmarks.index(row, 0, parent)
                titles.append(str(index.data(Qt.ItemDataRole.DisplayRole)))
                walk(index)

        walk(QModelIndex())
        return titles

    def open_section(self, index: QModelIndex) -> None:
        """Scroll to where the section's heading is, keeping the zoom."""
        if index.model() is self._titles:
            index = self._titles.mapToSource(index)
        page = index.data(int(QPdfBookmarkModel.Role.Page))
        if page is None or page < 0:
            return
        page = int(page)
        location = index.data(int(QPdfBookmarkModel.Role.Location)) or QPointF()
        navigator = self.view.pageNavigator()
        zoom = self.view.zoomFactor()
        if page == navigator.currentPage() and self.page_count() > 1:
            # QPdfView scrolls to a page's top only when the page changes: step off it
            # first, so the same section always opens at the same place.
            navigator.jump(page - 1 if page else page + 1, QPointF(), zoom)
        navigator.jump(page, location, zoom)
        # It stops at the top of the page and leaves the location to us: move on to the
        # heading, a little above it so it does not sit on the edge.
        scroll = self.view.verticalScrollBar()
        pixels_per_point = self.logicalDpiY() / 72.0 * self._effective_zoom()
        scroll.setValue(scroll.value() + max(0, round(location.y() * pixels_per_point) - 16))
        self._update_controls()

    def zoom(self) -> float:
        return self.view.zoomFactor()

    def _step_zoom(self, direction: int) -> None:
        current = self._effective_zoom()
        if direction > 0:
            target = next((z for z in ZOOM_STEPS if z > current + 0.01), ZOOM_STEPS[-1])
        else:
            target = next((z for z in reversed(ZOOM_STEPS) if z < current - 0.01),
                          ZOOM_STEPS[0])
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(target)
        self._update_controls()

    def _effective_zoom(self) -> float:
        """The zoom shown now; in a fit mode, worked out from the first page's width."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return self.view.zoomFactor()
        points = self.document.pagePointSize(0)
        pixels_per_point = self.logicalDpiX() / 72.0
        width = max(1.0, points.width() * pixels_per_point)
        return (self.view.viewport().width() - 2 * self.view.documentMargins().left()) / width

    def _set_zoom_mode(self, mode: QPdfView.ZoomMode) -> None:
        self.view.setZoomMode(mode)
        self._update_controls()

    def _page_changed(self, _page: int) -> None:
        self._update_controls()

    def _update_controls(self) -> None:
        page = self.current_page()
        count = self.page_count()
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < count - 1)
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.FitToWidth:
            self.zoom_label.setText("Fit width")
        elif mode == QPdfView.ZoomMode.FitInView:
            self.zoom_label.setText("Whole page")
        else:
            self.zoom_label.setText(f"{round(self.view.zoomFactor() * 100)} %")
        custom = mode == QPdfView.ZoomMode.Custom
        zoom = self.view.zoomFactor()
        self.zoom_out_button.setEnabled(not custom or zoom > ZOOM_STEPS[0] + 0.01)
        self.zoom_in_button.setEnabled(not custom or zoom < ZOOM_STEPS[-1] - 0.01)


class _TitleTips(QIdentityProxyModel):
    """The outline with each title as its own tooltip, for titles cut short by the pane."""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            role = Qt.ItemDataRole.DisplayRole
        return super().data(index, role)


def pages_to_print(printer: QPrinter, page_count: int) -> list[int]:
    """0-based pages: the range chosen in the print dialog, else all."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = printer.fromPage()
        last = printer.toPage() or page_count
        return [p - 1 for p in range(first, min(last, page_count) + 1)]
    return list(range(page_count))


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Print the PDF one page per sheet; the number of pages printed."""
    document, buffer = load_pdf(pdf)
    try:
        if document.status() != QPdfDocument.Status.Ready:
            raise ValueError("The pack could not be read as a PDF.")
        pages = pages_to_print(printer, document.pageCount())
        if not pages:
            return 0
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("The printer could not be started.")
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            target_area = printer.pageLayout().paintRectPixels(printer.resolution())
            for number, page in enumerate(pages):
                if number:
                    printer.newPage()
                points = document.pagePointSize(page)
                size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
                image = document.render(page, size)
                if image.isNull():
                    continue
                _draw_fitted(painter, image, QRect(0, 0, target_area.width(),
                                                   target_area.height()))
        finally:
            painter.end()
        return len(pages)
    finally:
        document.close()
        buffer.close()


def _draw_fitted(painter: QPainter, image: QImage, area: QRect) -> None:
    scaled = QSize(image.width(), image.height())
    scaled.scale(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = area.left() + (area.width() - scaled.width()) // 2
    top = area.top() + (area.height() - scaled.height()) // 2
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(QRect(left, top, scaled.width(), scaled.height()), image)
