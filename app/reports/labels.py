"""Terminal labels: a QR code of the SN, the SN in large type, model and terminal number.

Stuck on the terminal at intake, they let a scanner at the counter find the terminal (the QR code
holds exactly the SN, as `find_terminal_by_serial` expects it). Two layouts: an A4 sheet of
pre-cut labels for an office printer, and one label per page for a label printer.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.i18n import _, current_language
from app.models.terminal import TerminalRead
from app.reports.fonts import (
    draw_bold_string,
    elide,
    fit_font_size,
    register_fonts,
    string_width,
)

CREATOR = "POS After-Sales Workstation"


class LabelLayout(StrEnum):
    A4_SHEET = "a4_sheet"
    LABEL_50x30 = "label_50x30"


@dataclass(frozen=True)
class LabelSheet:
    """The geometry of one layout: lengths in millimetres, type sizes in points."""

    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    # From the page's top-left corner to the first label's top-left corner.
    left: float
    top: float
    # Blank space kept inside each label, left/right and top/bottom: office printers cannot
    # print the outer 4 to 5 mm of the paper, which are the edges of the outer labels.
    padding_x: float
    padding_y: float
    sn_size: float
    text_size: float
    small_size: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


# The one place the paper is described. The A4 sheet is the common Chinese label paper with
# 24 labels of 70 x 37 mm and no margins (3 x 70 mm = 210 mm wide; 8 x 37 mm = 296 mm, the spare
# millimetre split above and below).
SHEETS: dict[LabelLayout, LabelSheet] = {
    LabelLayout.A4_SHEET: LabelSheet(
        page_width=210,
        page_height=297,
        columns=3,
        rows=8,
        label_width=70,
        label_height=37,
        left=0,
        top=0.5,
        padding_x=5.0,
        padding_y=3.5,
        sn_size=14,
        text_size=10,
        small_size=7,
    ),
    LabelLayout.LABEL_50x30: LabelSheet(
        page_width=50,
        page_height=30,
        columns=1,
        rows=1,
        label_width=50,
        label_height=30,
        left=0,
        top=0,
        padding_x=1.5,
        padding_y=1.5,
        sn_size=12,
        text_size=8,
        small_size=6,
    ),
}

# Modules of white around the QR code (with the label's padding it makes the quiet zone).
QR_BORDER = 2
# The gap between the QR code and the text beside and below it.
GAP = 1.0 * mm


def layout_label(layout: LabelLayout) -> str:
    """The layout's name as a person picks it."""
    if layout == LabelLayout.A4_SHEET:
        return _("A4 label sheet (3 × 8 labels of 70 × 37 mm)")
    return _("Label printer (one 50 × 30 mm label)")


def _pages(items: Sequence[TerminalRead], per_page: int) -> Iterator[Sequence[TerminalRead]]:
    for start in range(0, len(items), per_page):
        yield items[start : start + per_page]


def draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> float:
    """A QR code of `value` as one filled path, so no hairline seams show between modules.

    Returns the width of the white border drawn around the modules.
    """
    widget = QrCodeWidget(value, barLevel="M", barBorder=QR_BORDER)
    widget.qr.make()
    modules = widget.qr.modules
    count = len(modules)
    box = size / (count + 2 * QR_BORDER)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        top = y + size - (r + QR_BORDER) * box
        c = 0
        while c < count:
            if row[c]:
                run = c
                while run < count and row[run]:
                    run += 1
                path.rect(x + (c + QR_BORDER) * box, top - box, (run - c) * box, box)
                c = run
            else:
                c += 1
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return box * QR_BORDER


class QrCode(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """A square QR code of `value` for platypus documents, drawn as one path like the labels."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value = value
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.value, 0, 0, self.size)


def _draw_label(canvas: Canvas, sheet: LabelSheet, x: float, y: float, t: TerminalRead, branch: str) -> None:
    """One label with its bottom-left corner at (x, y)."""
    font = register_fonts()
    width, height = sheet.label_width * mm, sheet.label_height * mm
    pad_x, pad_y = sheet.padding_x * mm, sheet.padding_y * mm
    inner = width - 2 * pad_x

    # The SN across the whole width at the bottom, as large as it fits.
    sn_band = sheet.sn_size * 1.2
    sn_size = fit_font_size(t.serial_no, inner * 0.98, sheet.sn_size)
    sn_base = y + pad_y + (sn_band - sn_size * 0.72) / 2
    draw_bold_string(canvas, x + pad_x, sn_base, t.serial_no, sn_size)

    # The QR code on the left, above the SN.
    qr_size = height - 2 * pad_y - sn_band - GAP
    qr_top = y + height - pad_y
    quiet = draw_qr(canvas, t.serial_no, x + pad_x, qr_top - qr_size, qr_size)

    # Model, terminal number and branch beside it, lined up with the code's dark modules.
    text_x = x + pad_x + qr_size + GAP
    text_w = x + width - pad_x - text_x
    text_top = qr_top - quiet
    text_bottom = qr_top - qr_size + quiet

    canvas.setFillColorRGB(0, 0, 0)
    model = " ".join(part for part in (t.brand, t.model) if part)
    size = fit_font_size(model, text_w, sheet.text_size, sheet.small_size)
    baseline = text_top - size * 0.9
    canvas.setFont(font, size)
    canvas.drawString(text_x, baseline, elide(model, text_w, size))

    caption = _("Terminal no.")
    number = t.terminal_no or "-"
    baseline -= sheet.text_size * 1.45
    caption_w = string_width(caption + " ", sheet.small_size)
    canvas.setFont(font, sheet.small_size)
    canvas.drawString(text_x, baseline, elide(caption, text_w, sheet.small_size))
    if caption_w + string_width(number, sheet.text_size) <= text_w:
        canvas.setFont(font, sheet.text_size)
        canvas.drawString(text_x + caption_w, baseline, number)
    else:  # a long caption (another language) puts the number on a line of its own
        baseline -= sheet.text_size * 1.2
        size = fit_font_size(number, text_w, sheet.text_size, sheet.small_size)
        canvas.setFont(font, size)
        canvas.drawString(text_x, baseline, elide(number, text_w, size))

    if branch:
        branch_base = text_bottom + sheet.small_size * 0.2
        if branch_base < baseline - sheet.small_size * 1.1:
            canvas.setFont(font, sheet.small_size)
            canvas.drawString(text_x, branch_base, elide(branch, text_w, sheet.small_size))


def terminal_labels_pdf(
    terminals: Sequence[TerminalRead], layout: LabelLayout, *, branch_name: str = ""
) -> bytes:
    """Labels for `terminals` in the given order, as many pages as they need."""
    font = register_fonts()
    sheet = SHEETS[LabelLayout(layout)]
    page_w, page_h = sheet.page_width * mm, sheet.page_height * mm
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(page_w, page_h),
        pageCompression=1,
        initialFontName=font,
        lang="zh-CN" if current_language() == "zh_CN" else "en",
    )
    canvas.setTitle(_("Terminal labels"))
    canvas.setSubject(layout_label(LabelLayout(layout)))
    canvas.setAuthor(branch_name)
    canvas.setCreator(CREATOR)
    for page in _pages(terminals, sheet.per_page):
        for index, terminal in enumerate(page):
            row, column = divmod(index, sheet.columns)
            x = (sheet.left + column * sheet.label_width) * mm
            y = page_h - (sheet.top + (row + 1) * sheet.label_height) * mm
            _draw_label(canvas, sheet, x, y, terminal, branch_name)
        canvas.showPage()
    if not terminals:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
