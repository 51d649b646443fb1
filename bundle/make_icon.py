"""Make resources/icons/app.ico (window, taskbar, installer) from resources/icons/app.svg.

Each size is drawn from the vector source by Qt's SVG renderer, so the small sizes are sharp rather
than shrunk from a large bitmap (16 px from app-16.svg, drawn on its pixel grid); Pillow writes
them into one .ico. Run it again after changing the SVG:

    python bundle/make_icon.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app import paths  # noqa: E402

SIZES = (16, 20, 24, 32, 40, 48, 64, 96, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data.data()))).convert("RGBA")


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(paths.resource("icons", "app.svg")))
    small = QSvgRenderer(str(paths.resource("icons", "app-16.svg")))
    if not renderer.isValid() or not small.isValid():
        print("cannot read app.svg or app-16.svg", file=sys.stderr)
        return 1
    images = [render(small if size == 16 else renderer, size) for size in SIZES]
    target = paths.resource("icons", "app.ico")
    largest = images[-1]
    largest.save(target, format="ICO", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    print(f"{target}: {', '.join(str(s) for s in SIZES)} px")
    return 0


if __name__ == "__main__":
    sys.exit(main())
