"""The look: one stylesheet, the icon at every size, the UI font chosen by name."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from ui import app as gui
from ui.shared.widgets import set_tone

ROOT = Path(__file__).resolve().parents[2]
WQY = "WenQuanYi Micro Hei"


@pytest.mark.parametrize(
    ("platform", "installed", "expected"),
    [
        ("win32", ["Arial", "Microsoft YaHei", "Microsoft YaHei UI", "SimSun"],
         ["Microsoft YaHei UI", "Microsoft YaHei", WQY]),
        ("win32", ["Arial", "Microsoft YaHei"], ["Microsoft YaHei", WQY]),
        ("win32", ["Arial"], [WQY]),  # a stripped-down Windows: the font we ship
        ("linux", ["Microsoft YaHei", "DejaVu Sans"], [WQY]),
    ],
)
def test_the_ui_font_is_chosen_by_name_with_fallbacks(
    platform: str, installed: list[str], expected: list[str]
) -> None:
    assert gui.ui_font_families(platform, installed, WQY) == expected


@pytest.fixture
def styled_app(qapp: QApplication) -> Iterator[QApplication]:
    """The test application dressed as the program dresses it, undressed afterwards."""
    font, sheet, icon = qapp.font(), qapp.styleSheet(), qapp.windowIcon()
    gui.create_application()
    yield qapp
    gui.apply_language("en")
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)
    qapp.setWindowIcon(icon)


def test_the_application_wears_the_shipped_font_icon_and_stylesheet(styled_app: QApplication) -> None:
    assert styled_app.font().families()[-1] == WQY
    assert styled_app.font().pointSize() == gui.FONT_POINT_SIZE
    sizes = styled_app.windowIcon().availableSizes()
    # Every size the taskbar and title bar ask for at 100 % to 200 %, each drawn, none scaled.
    assert {QSize(s, s) for s in (16, 24, 32, 48, 256)} <= set(sizes)
    assert styled_app.styleSheet() == (ROOT / "resources" / "styles" / "app.qss").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("tone", "colour"),
    [("muted", "#57606a"), ("note", "#9a6700"), ("error", "#cf222e"), ("success", "#1a7f37")],
)
def test_a_label_takes_its_colour_from_the_stylesheet(
    qtbot: QtBot, styled_app: QApplication, tone: str, colour: str
) -> None:
    label = QLabel("text")
    qtbot.addWidget(label)
    set_tone(label, "muted" if tone != "muted" else "error")
    label.ensurePolished()
    set_tone(label, tone)  # changed while shown, as a message line does
    assert label.palette().color(QPalette.ColorRole.WindowText).name() == colour


def test_no_widget_carries_a_stylesheet_of_its_own() -> None:
    """One stylesheet in resources/ dresses every screen: colours are tones, not inline styles."""
    offenders = []
    for source in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "setStyleSheet":
                offenders.append(f"{source.relative_to(ROOT)}:{node.lineno}")
    assert offenders == ["ui/app.py:" + str(_line_of("ui/app.py", "app.setStyleSheet("))]


def _line_of(path: str, needle: str) -> int:
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


def test_an_unknown_tone_is_a_mistake(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    with pytest.raises(ValueError):
        set_tone(label, "loud")
