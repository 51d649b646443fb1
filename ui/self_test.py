"""`aftersales self-test`: does this installation work on this PC?

For the IT person who has just copied the folder or run the installer: it loads the fonts, the
translations and the stylesheet, makes a PDF and draws it with the preview's engine, and opens the
main window for a moment on a scratch database in a temporary folder. The user's own database is
not opened. Each check prints one line; the exit code is non-zero if any failed.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEventLoop, QIODevice, QLibraryInfo, QSize, QTimer, QTranslator
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication

from app import i18n
from app.context import Context
from app.i18n import _
from app.models.branch import BranchCreate
from app.models.user import Role, UserCreate
from app.services import auth, maintenance, setup
from ui import app as gui

Report = Callable[[str], None]


def _check_font(app: QApplication) -> str:
    families = app.font().families()
    if gui.FONT_FAMILY not in families:
        raise RuntimeError(_("the shipped font {name} did not load").format(name=gui.FONT_FAMILY))
    return ", ".join(families)


def _check_translations(_app: QApplication) -> str:
    saved = i18n.current_language()
    try:
        i18n.set_language("zh_CN")
        if _("Sign in") == "Sign in":
            raise RuntimeError(_("the Chinese translation is missing"))
    finally:
        i18n.set_language(saved)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not QTranslator().load("qtbase_zh_CN", folder):
        raise RuntimeError(_("Qt's own Chinese translation is missing in {path}").format(path=folder))
    return folder


def _check_stylesheet(app: QApplication) -> str:
    if not app.styleSheet():
        raise RuntimeError(_("the stylesheet did not load"))
    return _("{n} characters").format(n=len(app.styleSheet()))


def _check_pdf(_app: QApplication) -> str:
    from reportlab.pdfgen.canvas import Canvas

    from app.reports.fonts import register_fonts

    out = BytesIO()
    canvas = Canvas(out, pagesize=(200, 100))
    canvas.setFont(register_fonts(), 24)
    canvas.drawString(20, 40, "维修工单 WX-0001")
    canvas.save()
    document = QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(out.getvalue()))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.pageCount() != 1:
        raise RuntimeError(_("the PDF engine could not read a document"))
    image = document.render(0, QSize(200, 100))
    if not _has_ink(image):
        raise RuntimeError(_("the PDF engine drew an empty page"))
    return _("{n} bytes, drawn").format(n=len(out.getvalue()))


def _has_ink(image: QImage) -> bool:
    """True when some pixel is clearly darker than white."""
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if image.pixelColor(x, y).lightness() < 128:
                return True
    return False


def _check_main_window(seconds: float) -> Callable[[QApplication], str]:
    def check(_app: QApplication) -> str:
        # Imported here, so that a screen missing from a build is a failed line, not a crash.
        from ui.main_window import MainWindow

        with tempfile.TemporaryDirectory(prefix="aftersales-self-test-", ignore_cleanup_errors=True) as folder:
            db = maintenance.open_database("sqlite:///" + (Path(folder) / "self-test.sqlite3").as_posix())
            try:
                ctx = Context(db=db)
                password = "T" + secrets.token_urlsafe(12) + "7x"
                setup.create_branch_and_admin(
                    ctx,
                    BranchCreate(code="TEST", name=_("Self-test branch")),
                    UserCreate(username="selftest", display_name=_("Self-test"), role=Role.ADMIN, password=password),
                )
                ctx = ctx.as_user(auth.sign_in(ctx, "selftest", password))
                window = MainWindow(ctx, setup.current_branch(ctx))
                window.show()
                started = time.monotonic()
                loop = QEventLoop()
                QTimer.singleShot(round(seconds * 1000), loop.quit)
                loop.exec()
                shown = window.isVisible()
                picture = window.grab()
                window.close()
                window.deleteLater()
                if not shown or picture.isNull():
                    raise RuntimeError(_("the main window did not show"))
                return _("{w}×{h} px, shown for {s:.1f} s").format(
                    w=picture.width(), h=picture.height(), s=time.monotonic() - started
                )
            finally:
                db.dispose()

    return check


def run(seconds: float = 1.0, report: Report = print) -> int:
    """Run every check, print one line each; 0 when all passed."""
    app = gui.create_application()
    checks: list[tuple[str, Callable[[QApplication], str]]] = [
        (_("Font"), _check_font),
        (_("Translations"), _check_translations),
        (_("Stylesheet"), _check_stylesheet),
        (_("PDF documents"), _check_pdf),
        (_("Main window"), _check_main_window(seconds)),
    ]
    failed = 0
    for name, check in checks:
        try:
            detail = check(app)
        except Exception as exc:  # noqa: BLE001 - each failure is reported as a line, not a traceback
            failed += 1
            report(_("FAILED  {check}: {reason}").format(check=name, reason=exc))
        else:
            report(_("ok      {check}: {detail}").format(check=name, detail=detail))
    report(_("This installation works.") if not failed else _("This installation has problems."))
    return 1 if failed else 0
