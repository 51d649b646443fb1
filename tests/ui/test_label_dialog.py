"""The label dialog and the PDF preview: pages shown, layout switched, saved, printed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QPageLayout, QPageRanges
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QPushButton
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.catalogue import DeviceModelCreate
from app.models.terminal import TerminalCreate, TerminalRead, TerminalType
from app.reports.labels import LabelLayout
from app.services import catalogue, terminals
from tests.ui.conftest import DialogRecorder
from ui.devices.label_dialog import LabelDialog
from ui.shared.pdf_preview import PdfPreview, PdfPreviewDialog


def _terminals(ctx: Context, count: int) -> list[TerminalRead]:
    model = catalogue.create_device_model(
        ctx, DeviceModelCreate(brand="联迪", model="A8", terminal_type=TerminalType.SMART)
    )
    return [
        terminals.create_terminal(
            ctx, TerminalCreate(serial_no=f"LD8A{n:08d}", terminal_no=f"{40000000 + n}", model_id=model.id)
        )
        for n in range(count)
    ]


def _dialog(qtbot: QtBot, ctx: Context, made: list[TerminalRead]) -> LabelDialog:
    dialog = LabelDialog(ctx, [t.id for t in made])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_dialog_shows_the_labels(qtbot: QtBot, admin_ctx: Context) -> None:
    made = _terminals(admin_ctx, 30)
    dialog = _dialog(qtbot, admin_ctx, made)
    assert dialog.objectName() == "labelDialog"
    preview = dialog.findChild(PdfPreview, "pdfPreview")
    assert preview is not None
    qtbot.waitUntil(lambda: preview.document.pageCount() == 2, timeout=20000)
    view = preview.findChild(QPdfView, "pdfView")
    assert view.pageMode() == QPdfView.PageMode.MultiPage
    assert preview.findChild(QPushButton, "printButton").isEnabled()


def test_switching_the_layout_makes_the_labels_again(qtbot: QtBot, admin_ctx: Context) -> None:
    made = _terminals(admin_ctx, 3)
    dialog = _dialog(qtbot, admin_ctx, made)
    preview = dialog.preview
    qtbot.waitUntil(lambda: preview.document.pageCount() == 1, timeout=20000)
    combo = dialog.findChild(QComboBox, "labelLayoutCombo")
    combo.setCurrentIndex(combo.findData(LabelLayout.LABEL_50x30.value))
    qtbot.waitUntil(lambda: preview.document.pageCount() == 3, timeout=20000)
    size = preview.document.pagePointSize(0)
    assert size.width() == pytest.approx(141.7, abs=0.1)
    assert size.height() == pytest.approx(85.0, abs=0.1)
    combo.setCurrentIndex(combo.findData(LabelLayout.A4_SHEET.value))
    qtbot.waitUntil(lambda: preview.document.pageCount() == 1, timeout=20000)


def test_save_writes_the_pdf(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _terminals(admin_ctx, 2)
    dialog = _dialog(qtbot, admin_ctx, made)
    qtbot.waitUntil(lambda: dialog.preview.page_count() == 1, timeout=20000)
    asked: list[str] = []

    def ask(suggested: str) -> str:
        asked.append(suggested)
        return str(tmp_path / "labels")  # no extension: one is added

    monkeypatch.setattr(dialog.preview, "ask_save_path", ask)
    with qtbot.waitSignal(dialog.preview.saved, timeout=20000):
        dialog.preview.findChild(QPushButton, "savePdfButton").click()
    assert asked and asked[0].endswith(".pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "labels.pdf").pages)
    assert made[0].serial_no in text and made[1].serial_no in text


def test_save_cancelled_writes_nothing(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, admin_ctx, _terminals(admin_ctx, 1))
    qtbot.waitUntil(lambda: dialog.preview.page_count() == 1, timeout=20000)
    monkeypatch.setattr(dialog.preview, "ask_save_path", lambda _s: "")
    dialog.preview.findChild(QPushButton, "savePdfButton").click()
    assert not list(tmp_path.glob("*.pdf"))


def test_an_error_is_shown_as_a_sentence(
    qtbot: QtBot, admin_ctx: Context, note_dialogs: DialogRecorder
) -> None:
    dialog = LabelDialog(admin_ctx, [])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20000)
    assert note_dialogs.shown and note_dialogs.shown[0][0] == "error"
    assert dialog.preview.page_count() == 0
    assert not dialog.preview.findChild(QPushButton, "printButton").isEnabled()


def test_printing_renders_every_page_at_true_size(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, admin_ctx, _terminals(admin_ctx, 2))
    combo = dialog.findChild(QComboBox, "labelLayoutCombo")
    combo.setCurrentIndex(combo.findData(LabelLayout.LABEL_50x30.value))
    preview = dialog.preview
    qtbot.waitUntil(lambda: preview.page_count() == 2, timeout=20000)
    target = tmp_path / "printed.pdf"
    chosen: list[QPrinter] = []

    def ask(printer: QPrinter) -> bool:
        # What the print dialog would do with "Print to file".
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        chosen.append(printer)
        return True

    monkeypatch.setattr(preview, "ask_printer", ask)
    with qtbot.waitSignal(preview.printed, timeout=20000):
        preview.findChild(QPushButton, "printButton").click()
    assert chosen[0].pageLayout().orientation() == QPageLayout.Orientation.Landscape
    printed = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(printed.pages) == 2
    assert float(printed.pages[0].mediabox.width) == pytest.approx(141.7, abs=1)
    assert float(printed.pages[0].mediabox.height) == pytest.approx(85.0, abs=1)


def test_zoom_buttons(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = _dialog(qtbot, admin_ctx, _terminals(admin_ctx, 1))
    qtbot.waitUntil(lambda: dialog.preview.page_count() == 1, timeout=20000)
    view = dialog.preview.view
    before = view.zoomFactor()
    dialog.preview.findChild(QPushButton, "zoomInButton").click()
    assert view.zoomMode() == QPdfView.ZoomMode.Custom
    assert view.zoomFactor() > before
    dialog.preview.findChild(QPushButton, "zoomOutButton").click()
    dialog.preview.findChild(QPushButton, "zoomOutButton").click()
    assert view.zoomFactor() < before
    dialog.preview.findChild(QPushButton, "fitWidthButton").click()
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_preview_dialog_wraps_any_pdf(qtbot: QtBot, admin_ctx: Context) -> None:
    from app.services import labels

    made = _terminals(admin_ctx, 1)
    data = labels.terminal_labels(admin_ctx, [made[0].id], LabelLayout.LABEL_50x30)
    dialog = PdfPreviewDialog(data, "label.pdf", "Label")
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "pdfPreviewDialog"
    assert dialog.preview.page_count() == 1
    assert dialog.preview.pdf_data() == data


def test_printing_only_the_chosen_pages(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, admin_ctx, _terminals(admin_ctx, 4))
    combo = dialog.findChild(QComboBox, "labelLayoutCombo")
    combo.setCurrentIndex(combo.findData(LabelLayout.LABEL_50x30.value))
    preview = dialog.preview
    qtbot.waitUntil(lambda: preview.page_count() == 4, timeout=20000)
    target = tmp_path / "some.pdf"

    def ask(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        ranges = QPageRanges()
        ranges.addRange(2, 3)
        printer.setPageRanges(ranges)
        return True

    monkeypatch.setattr(preview, "ask_printer", ask)
    with qtbot.waitSignal(preview.printed, timeout=20000):
        preview.print_pdf()
    assert len(PdfReader(target).pages) == 2


def test_a_quick_change_of_paper_shows_only_the_last_choice(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = _dialog(qtbot, admin_ctx, _terminals(admin_ctx, 3))
    combo = dialog.findChild(QComboBox, "labelLayoutCombo")
    combo.setCurrentIndex(combo.findData(LabelLayout.LABEL_50x30.value))
    combo.setCurrentIndex(combo.findData(LabelLayout.A4_SHEET.value))
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20000)
    qtbot.wait(100)
    assert dialog.preview.page_count() == 1
    assert dialog.preview.document.pagePointSize(0).width() == pytest.approx(595.3, abs=0.1)
