"""Show a PDF the program made, print it, or save it: labels, work orders, reports.

QtPdf (pdfium) draws the pages; printing renders each page into the printer at the printer's own
resolution and at its true size, so a sheet of pre-cut labels lines up with the paper.
"""

from __future__ import annotations

import math
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
    Signal,
    QUrl,
)
from PySide6.QtGui import QDesktopServices, QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from ui.shared import dialogs

ZOOM_STEP = 1.25
ZOOM_MIN = 0.1
ZOOM_MAX = 8.0
# A page rendered for the printer has at most this many pixels (A4 at about 500 dpi); a 1200 dpi
# driver would otherwise ask for half a gigabyte per page. Labels stay at the printer's resolution.
MAX_PRINT_PIXELS = 30_000_000
# Copies handed to the system's PDF viewer live in the temporary folder; a day later they go.
VIEWER_FOLDER = "aftersales-pdf"
VIEWER_COPY_LIFETIME_S = 24 * 3600


def viewer_copy(data: bytes, suggested_name: str, folder: Path | None = None) -> Path:
    """Write `data` to a fresh file for another program to open; clear out old copies."""
    target_dir = folder or Path(tempfile.gettempdir()) / VIEWER_FOLDER
    target_dir.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in target_dir.glob("*.pdf"):
        try:
            if now - old.stat().st_mtime > VIEWER_COPY_LIFETIME_S:
                old.unlink()
        except OSError:  # still open in a viewer (Windows): next time
            pass
    stem = Path(suggested_name).stem or "document"
    path = target_dir / f"{stem} {time.strftime('%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}.pdf"
    path.write_bytes(data)
    return path


class PdfPreview(QWidget):
    """Pages of a PDF one under the other, with Print…, Save as PDF… and zoom."""

    saved = Signal(str)
    printed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self._data = b""
        self._suggested_name = "document.pdf"

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        self.zoom_out_button = self._button("zoomOutButton", "−", _("Zoom out"), self.zoom_out)
        self.zoom_out_button.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.zoom_in_button = self._button("zoomInButton", "+", _("Zoom in"), self.zoom_in)
        self.zoom_in_button.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.fit_button = self._button("fitWidthButton", _("Fit width"), "", self.fit_width)
        self.pages_label = QLabel()
        self.pages_label.setObjectName("pageCountLabel")
        self.save_button = self._button("savePdfButton", _("Save as PDF…"), "", self.save_pdf)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.print_button = self._button("printButton", _("Print…"), "", self.print_pdf)
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.open_external_button = self._button(
            "openExternalButton", _("Open in PDF viewer"), _("Open with this PC's PDF program"),
            self.open_external,
        )

        bar = QHBoxLayout()
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.pages_label)
        bar.addStretch(1)
        bar.addWidget(self.open_external_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._update_buttons()

    def _button(self, name: str, text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # --- the document ----------------------------------------------------------------------------

    def set_pdf(self, data: bytes, suggested_name: str) -> None:
        """Show `data`; Save as PDF… proposes `suggested_name`."""
        self._suggested_name = suggested_name
        self._data = bytes(data)
        # A fresh document each time: QPdfView keeps its rendered pages per document, and would
        # show the old pages on a reloaded one. The buffer belongs to the document it feeds.
        document = QPdfDocument(self)
        buffer = QBuffer(document)
        buffer.setData(QByteArray(self._data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
        old, self.document = self.document, document
        self.view.setDocument(document)
        old.deleteLater()
        self._update_buttons()

    def pdf_data(self) -> bytes:
        return self._data

    def page_count(self) -> int:
        return self.document.pageCount() if self._data else 0

    def _update_buttons(self) -> None:
        count = self.page_count()
        for button in (
            self.save_button, self.print_button, self.open_external_button, self.zoom_in_button,
            self.zoom_out_button,
        ):
            button.setEnabled(count > 0)
        self.fit_button.setEnabled(count > 0)
        self.pages_label.setText(ngettext("{n} page", "{n} pages", count).format(n=count) if count else "")

    # --- zoom ------------------------------------------------------------------------------------

    def _zoom_by(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(ZOOM_MAX, max(ZOOM_MIN, current * factor)))

    def zoom_in(self) -> None:
        self._zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_by(1 / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # --- saving ----------------------------------------------------------------------------------

    def ask_save_path(self, suggested_name: str) -> str:
        """Ask where to save (tests replace this); empty when the person cancels."""
        path, _selected = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), str(Path.home() / suggested_name), _("PDF files (*.pdf)")
        )
        return path

    def save_pdf(self) -> None:
        if not self._data:
            return
        chosen = self.ask_save_path(self._suggested_name)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            path.write_bytes(self._data)
        except OSError as exc:
            dialogs.error(
                self,
                _("Save as PDF"),
                _("The file could not be saved to {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc
                ),
            )
            return
        self.saved.emit(str(path))

    def open_external(self) -> None:
        """Hand a copy of the document to the system's PDF viewer (Edge, Acrobat, WPS ...)."""
        if not self._data:
            return
        try:
            path = viewer_copy(self._data, self._suggested_name)
        except OSError as exc:
            dialogs.error(
                self,
                _("Open in PDF viewer"),
                _("The file could not be saved to {path}: {reason}").format(
                    path=tempfile.gettempdir(), reason=exc.strerror or exc
                ),
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            dialogs.error(
                self,
                _("Open in PDF viewer"),
                _("No program for PDF files is set up on this PC; the document is at {path}.").format(path=path),
            )

    # --- printing --------------------------------------------------------------------------------

    def new_printer(self) -> QPrinter:
        """A printer set up for the document's first page: its paper size, no margins."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(Path(self._suggested_name).stem)
        printer.setFullPage(True)
        if self.page_count():
            size = self.document.pagePointSize(0)
            landscape = size.width() > size.height()
            portrait = QSizeF(min(size.width(), size.height()), max(size.width(), size.height()))
            printer.setPageLayout(
                QPageLayout(
                    QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch),
                    QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
                    QMarginsF(0, 0, 0, 0),
                )
            )
        return printer

    def ask_printer(self, printer: QPrinter) -> bool:
        """Let the person choose the printer, pages and copies (tests replace this)."""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        dialog.setMinMax(1, max(1, self.page_count()))
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_pdf(self) -> None:
        if not self.page_count():
            return
        printer = self.new_printer()
        if not self.ask_printer(printer):
            return
        if not self.print_to(printer):
            dialogs.error(self, _("Print"), _("The printer could not be started."))
            return
        self.printed.emit()

    def _pages_to_print(self, printer: QPrinter) -> list[int]:
        count = self.page_count()
        ranges = printer.pageRanges()
        if printer.printRange() == QPrinter.PrintRange.PageRange and not ranges.isEmpty():
            return [p for p in range(count) if ranges.contains(p + 1)]
        if printer.printRange() == QPrinter.PrintRange.CurrentPage:
            return [self.view.pageNavigator().currentPage()]
        return list(range(count))

    def print_to(self, printer: QPrinter) -> bool:
        """Render the chosen pages into `printer` at true size (shrunk only if the paper is smaller)."""
        pages = self._pages_to_print(printer)
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            return False
        try:
            # Nearest-neighbour scaling keeps QR codes and barcodes sharp.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            dpi = printer.resolution()
            for index, page in enumerate(pages):
                if index:
                    printer.newPage()
                paper = printer.paperRect(QPrinter.Unit.DevicePixel)
                points = self.document.pagePointSize(page)
                width, height = points.width() * dpi / 72, points.height() * dpi / 72
                scale = min(1.0, paper.width() / width, paper.height() / height)
                target = QRectF(0, 0, width * scale, height * scale)
                shrink = min(1.0, math.sqrt(MAX_PRINT_PIXELS / max(1.0, target.width() * target.height())))
                image = self.document.render(
                    page, QSize(round(target.width() * shrink), round(target.height() * shrink))
                )
                painter.fillRect(target, Qt.GlobalColor.white)
                painter.drawImage(target, image)
        finally:
            painter.end()
        return True


class PdfPreviewDialog(QDialog):
    """A PdfPreview in a window of its own with a Close button."""

    def __init__(
        self, data: bytes, suggested_name: str, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(title)
        self.preview = PdfPreview(self)
        self.preview.set_pdf(data, suggested_name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.setObjectName("closeButtons")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        self.resize(900, 760)
