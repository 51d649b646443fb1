"""The one font every printed document uses, embedded so it prints the same on any PC.

ReportLab's built-in CID fonts (STSong-Light) embed nothing and show blank text on a PC without
them; WenQuanYi Micro Hei ships in resources/fonts/ and ReportLab embeds a subset of it. It has
no bold face: the family maps bold to the same face, and `draw_bold_string` thickens the strokes
where a document wants emphasis.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.paths import font_file

FONT_NAME = "WenQuanYiMicroHei"
# WenQuanYi Micro Hei has no bold file; bold text uses the same face (see draw_bold_string).
BOLD_FONT_NAME = FONT_NAME

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the shipped font with ReportLab once (safe from any thread); its name."""
    global _registered
    if _registered:
        return FONT_NAME
    with _lock:
        if not _registered:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_file()), subfontIndex=0))
            pdfmetrics.registerFontFamily(
                FONT_NAME,
                normal=FONT_NAME,
                bold=BOLD_FONT_NAME,
                italic=FONT_NAME,
                boldItalic=BOLD_FONT_NAME,
            )
            _registered = True
    return FONT_NAME


def string_width(text: str, size: float) -> float:
    """The width in points of `text` set in the document font at `size`."""
    return float(pdfmetrics.stringWidth(text, register_fonts(), size))


def fit_font_size(text: str, max_width: float, max_size: float, min_size: float = 0.0) -> float:
    """The largest size up to `max_size` at which `text` fits `max_width` (never below `min_size`)."""
    width = string_width(text, max_size)
    if width <= max_width or width == 0:
        return max_size
    return max(min_size, max_size * max_width / width * 0.999)


def elide(text: str, max_width: float, size: float) -> str:
    """`text` cut with an ellipsis so that it fits `max_width` at `size`."""
    if string_width(text, size) <= max_width:
        return text
    while text and string_width(text + "…", size) > max_width:
        text = text[:-1]
    return text + "…" if text else ""


def draw_bold_string(canvas: Canvas, x: float, y: float, text: str, size: float) -> None:
    """Draw `text` in a synthetic bold: the glyphs filled and outlined with a thin stroke."""
    obj = canvas.beginText(x, y)
    obj.setFont(register_fonts(), size)
    obj.setTextRenderMode(2)  # fill, then stroke
    canvas.saveState()
    canvas.setLineWidth(size * 0.035)
    canvas.setLineJoin(1)
    obj.textOut(text)
    canvas.drawText(obj)
    canvas.restoreState()
