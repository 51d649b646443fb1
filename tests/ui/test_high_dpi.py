"""At 150 % (QT_SCALE_FACTOR=1.5, as Windows' recommended scale on a 1080p screen) no text is cut
and the icon is drawn at its own size, not scaled up from a smaller one.

The scale of a Qt process is fixed when it starts, so each scale runs in a fresh process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r'''
import json, sys
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from app.db import Database, sqlite_url
from tests.conftest import make_admin
from ui import app as gui
from ui.auth.sign_in_dialog import SignInDialog
from ui.main_window import MainWindow
from app.services import setup

qapp = gui.create_application()
gui.apply_language(sys.argv[1])
db = Database(sqlite_url(__import__("pathlib").Path(sys.argv[2])))
db.migrate(backup=False)
ctx = make_admin(db)
sign_in = SignInDialog(ctx.as_user(None), username="admin", hint="演示数据库：密码 Demo2026pos")
window = MainWindow(ctx, setup.current_branch(ctx))
cut = []
for top in (sign_in, window):
    top.show()
    for _ in range(5):
        qapp.processEvents()
    for widget in top.findChildren(QAbstractButton) + top.findChildren(QLabel):
        if not widget.isVisible() or not widget.text() or (isinstance(widget, QLabel) and widget.wordWrap()):
            continue
        if widget.width() < widget.minimumSizeHint().width():
            cut.append(f"{widget.objectName() or type(widget).__name__}: {widget.text()!r}")
icon = qapp.windowIcon().pixmap(16, 16)
print(json.dumps({"ratio": window.devicePixelRatioF(), "cut": cut,
                  "icon_px": [icon.width(), icon.height()],
                  "sizes": [s.width() for s in qapp.windowIcon().availableSizes()]}))
window.close(); sign_in.close(); db.dispose()
'''


@pytest.mark.slow
@pytest.mark.parametrize(("scale", "language"), [("1", "en"), ("1.5", "en"), ("1.5", "zh_CN")])
def test_nothing_is_cut_at_100_and_150_percent(scale: str, language: str, tmp_path: Path, home: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, language, str(tmp_path / "dpi.sqlite3")],
        env=env, capture_output=True, text=True, encoding="utf-8", timeout=300, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["ratio"] == float(scale)
    assert found["cut"] == []
    # A 16-point icon at 150 % is 24 device pixels, taken from the .ico's own 24-pixel drawing.
    assert found["icon_px"] == [round(16 * float(scale))] * 2
    assert round(16 * float(scale)) in found["sizes"]
