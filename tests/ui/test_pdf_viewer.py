"""A document opens in the PC's own PDF program when asked (QDesktopServices)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from tests.ui.conftest import DialogRecorder
from ui.shared import pdf_preview
from ui.shared.pdf_preview import PdfPreview


def _pdf() -> bytes:
    out = BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "WX-SZ01-20261120-0001")
    canvas.save()
    return out.getvalue()


class Viewer(QObject):
    """Takes the place of the system's handler for file URLs, as Qt allows."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


@pytest.fixture
def viewer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Viewer]:
    monkeypatch.setattr(pdf_preview.tempfile, "gettempdir", lambda: str(tmp_path / "临时 文件"))
    handler = Viewer()
    QDesktopServices.setUrlHandler("file", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def test_open_in_viewer_hands_over_a_copy_of_the_document(
    qtbot: QtBot, viewer: Viewer, tmp_path: Path
) -> None:
    preview = PdfPreview()
    qtbot.addWidget(preview)
    assert not preview.open_external_button.isEnabled()  # nothing to open yet
    data = _pdf()
    preview.set_pdf(data, "工单 WX-SZ01-20261120-0001.pdf")
    assert preview.open_external_button.isEnabled()
    preview.open_external_button.click()
    assert len(viewer.opened) == 1
    path = Path(viewer.opened[0].toLocalFile())
    assert path.parent == tmp_path / "临时 文件" / pdf_preview.VIEWER_FOLDER
    assert path.name.startswith("工单 WX-SZ01-20261120-0001 ") and path.suffix == ".pdf"
    assert path.read_bytes() == data


def test_copies_older_than_a_day_are_cleared(tmp_path: Path) -> None:
    old = pdf_preview.viewer_copy(b"%PDF-old", "old.pdf", folder=tmp_path)
    day_ago = time.time() - pdf_preview.VIEWER_COPY_LIFETIME_S - 60
    os.utime(old, (day_ago, day_ago))
    recent = pdf_preview.viewer_copy(b"%PDF-1", "a.pdf", folder=tmp_path)
    again = pdf_preview.viewer_copy(b"%PDF-2", "a.pdf", folder=tmp_path)
    assert not old.exists()
    assert recent != again and recent.read_bytes() == b"%PDF-1" and again.read_bytes() == b"%PDF-2"


def test_a_folder_that_cannot_be_written_is_said_plainly(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, note_dialogs: DialogRecorder
) -> None:
    blocker = tmp_path / "not a folder"
    blocker.write_bytes(b"")
    monkeypatch.setattr(pdf_preview.tempfile, "gettempdir", lambda: str(blocker))
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.set_pdf(_pdf(), "x.pdf")
    preview.open_external()
    assert [kind for kind, _title, _text in note_dialogs.shown] == ["error"]
    assert "could not be saved" in note_dialogs.shown[0][2]
