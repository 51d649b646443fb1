"""Terminal labels: every SN readable, the font embedded, the paper sizes right."""

from __future__ import annotations

import io
import shutil
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from app import i18n
from app.models.terminal import TerminalRead, TerminalStatus
from app.reports import fonts
from app.reports.labels import SHEETS, LabelLayout, terminal_labels_pdf

BRANCH = "深圳南山服务网点"
LONG_SN = "ABCDEFGHIJ0123456789ABCDEFGHIJ0123456789"


def terminal(
    n: int, serial_no: str | None = None, *, brand: str = "新大陆", model: str = "ME31"
) -> TerminalRead:
    now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    return TerminalRead(
        id=uuid.uuid4(),
        created_at=now,
        updated_at=now,
        version=1,
        serial_no=serial_no or f"N7NL{n:08d}",
        terminal_no=f"{20000000 + n}",
        model_id=uuid.uuid4(),
        status=TerminalStatus.IN_STOCK,
        brand=brand,
        model=model,
    )


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in reader(data).pages)


@pytest.mark.parametrize("layout", list(LabelLayout))
def test_each_label_shows_sn_terminal_no_and_model(layout: LabelLayout) -> None:
    terminals = [terminal(n) for n in range(5)]
    text = text_of(terminal_labels_pdf(terminals, layout, branch_name=BRANCH))
    for t in terminals:
        assert t.serial_no in text
        assert t.terminal_no in text
    assert "新大陆 ME31" in text
    assert "Terminal no." in text
    assert BRANCH in text


def test_the_caption_follows_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_catalog", lambda _lang: {"Terminal no.": ("终端号",)})
    i18n.set_language("zh_CN")
    text = text_of(terminal_labels_pdf([terminal(1)], LabelLayout.LABEL_50x30))
    assert "终端号" in text


def test_metadata_title() -> None:
    info = reader(terminal_labels_pdf([terminal(1)], LabelLayout.A4_SHEET, branch_name=BRANCH)).metadata
    assert info is not None
    assert info.title == "Terminal labels"
    assert info.author == BRANCH


def test_label_printer_pages_are_50_by_30_mm_one_per_terminal() -> None:
    pdf = reader(terminal_labels_pdf([terminal(n) for n in range(3)], LabelLayout.LABEL_50x30))
    assert len(pdf.pages) == 3
    for page in pdf.pages:
        assert float(page.mediabox.width) == pytest.approx(141.7, abs=0.1)
        assert float(page.mediabox.height) == pytest.approx(85.0, abs=0.1)
    assert [p.extract_text().count("N7NL") for p in pdf.pages] == [1, 1, 1]


def test_thirty_labels_on_a4_take_two_sheets() -> None:
    terminals = [terminal(n) for n in range(30)]
    pdf = reader(terminal_labels_pdf(terminals, LabelLayout.A4_SHEET))
    assert len(pdf.pages) == 2
    assert float(pdf.pages[0].mediabox.width) == pytest.approx(595.3, abs=0.1)
    assert float(pdf.pages[0].mediabox.height) == pytest.approx(841.9, abs=0.1)
    first, second = (p.extract_text() for p in pdf.pages)
    assert first.count("N7NL") == 24 and second.count("N7NL") == 6
    assert terminals[23].serial_no in first and terminals[24].serial_no in second


def test_the_a4_grid_fills_the_sheet() -> None:
    sheet = SHEETS[LabelLayout.A4_SHEET]
    assert sheet.columns * sheet.label_width + 2 * sheet.left == pytest.approx(sheet.page_width)
    assert sheet.rows * sheet.label_height + 2 * sheet.top == pytest.approx(sheet.page_height)
    assert sheet.per_page == 24


def _placed_text(page: object) -> list[tuple[str, float, float]]:
    """Each piece of text on the page with its start x and its width, in page points."""
    pieces: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        # The text matrix times the current transformation: x of the start and the scale.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        scale = (tm[0] * cm[0]) or 1.0
        width = pdfmetrics.stringWidth(text.strip("\n"), fonts.register_fonts(), size * scale)
        pieces.append((text.strip(), x, width))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return pieces


@pytest.mark.parametrize("layout", list(LabelLayout))
def test_a_40_character_sn_fits_its_label(layout: LabelLayout) -> None:
    sheet = SHEETS[layout]
    data = terminal_labels_pdf([terminal(1, LONG_SN, brand="Very Long Brand Name", model="X" * 40)], layout)
    assert LONG_SN in text_of(data)
    pieces = _placed_text(reader(data).pages[0])
    sn = [p for p in pieces if p[0] == LONG_SN]
    assert sn, pieces
    _text, x, width = sn[0]
    assert x >= sheet.left * mm
    assert x + width <= (sheet.left + sheet.label_width - sheet.padding_x) * mm + 0.5
    for text, x, width in pieces:
        assert x + width <= (sheet.left + sheet.label_width) * mm + 0.5, text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_the_chinese_font_is_embedded_and_nothing_else_is_needed(tmp_path: Path) -> None:
    path = tmp_path / "labels.pdf"
    path.write_bytes(terminal_labels_pdf([terminal(1)], LabelLayout.A4_SHEET, branch_name=BRANCH))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    assert any("WenQuanYiMicroHei" in row[0] for row in rows)
    for row in rows:
        # columns: name type [type...] encoding emb sub uni object ID
        assert row[-5] == "yes", out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_chinese_text_round_trips_through_pdftotext(tmp_path: Path) -> None:
    path = tmp_path / "labels.pdf"
    path.write_bytes(terminal_labels_pdf([terminal(1)], LabelLayout.LABEL_50x30, branch_name=BRANCH))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert BRANCH in out and "新大陆" in out


def test_register_fonts_is_idempotent() -> None:
    name = fonts.register_fonts()
    assert fonts.register_fonts() == name
    assert name in pdfmetrics.getRegisteredFontNames()


def test_fit_font_size_shrinks_only_what_is_too_wide() -> None:
    assert fonts.fit_font_size("SN1", 100, 12) == 12
    size = fonts.fit_font_size(LONG_SN, 100, 12)
    assert size < 12
    assert fonts.string_width(LONG_SN, size) <= 100


def test_elide_cuts_with_an_ellipsis() -> None:
    text = fonts.elide("深圳市南山区科技园服务网点第一分部", 40, 8)
    assert text.endswith("…")
    assert fonts.string_width(text, 8) <= 40


def test_labels_can_be_made_in_several_threads_at_once() -> None:
    from concurrent.futures import ThreadPoolExecutor

    batches = [[terminal(n + 100 * b) for n in range(30)] for b in range(4)]
    with ThreadPoolExecutor(4) as pool:
        results = list(
            pool.map(lambda ts: terminal_labels_pdf(ts, LabelLayout.A4_SHEET, branch_name=BRANCH), batches)
        )
    for batch, data in zip(batches, results, strict=True):
        text = text_of(data)
        assert all(t.serial_no in text for t in batch)
        assert BRANCH in text
