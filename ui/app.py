"""The application: fonts, translations, stylesheet, crash handler, first run, sign-in, main window."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Iterable

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QDialog

from app import i18n, paths, settings
from app.context import Context
from app.db import Database
from app.errors import AppError
from app.i18n import _
from app.logging_setup import configure_logging
from app.services import maintenance, setup
from ui.auth.change_password_dialog import ChangePasswordDialog
from ui.auth.first_run_dialog import FirstRunDialog
from ui.auth.session_watch import SessionWatch
from ui.auth.sign_in_dialog import SignInDialog
from ui.main_window import MainWindow
from ui.shared import crash, dialogs

log = logging.getLogger(__name__)

FONT_FAMILY = "WenQuanYi Micro Hei"
FONT_POINT_SIZE = 10
# The UI font by name, best first: the system's own Chinese UI font where there is one; the font
# shipped in resources/ comes after them and is used everywhere else.
SYSTEM_UI_FONTS: dict[str, tuple[str, ...]] = {"win32": ("Microsoft YaHei UI", "Microsoft YaHei")}
_qt_translator: QTranslator | None = None


def ui_font_families(platform: str, installed: Iterable[str], bundled: str | None) -> list[str]:
    """The UI font families in the order Qt should try them: the platform's own, then ours."""
    present = set(installed)
    families = [name for name in SYSTEM_UI_FONTS.get(platform, ()) if name in present]
    if bundled and bundled not in families:
        families.append(bundled)
    return families


def load_font(app: QApplication) -> list[str]:
    """Load the shipped CJK font and choose the UI font by name with its fallbacks."""
    font_id = QFontDatabase.addApplicationFont(str(paths.font_file()))
    bundled = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not bundled:
        log.warning("could not load %s", paths.font_file())
    families = ui_font_families(sys.platform, QFontDatabase.families(), bundled[0] if bundled else None)
    if families:
        font = QFont(app.font())
        font.setFamilies(families)
        font.setPointSize(FONT_POINT_SIZE)
        app.setFont(font)
    return families


def app_icon() -> QIcon:
    """The program's icon at every size the .ico holds (16 px drawn on its own pixel grid)."""
    icon = QIcon(str(paths.resource("icons", "app.ico")))
    if icon.isNull():
        icon = QIcon(str(paths.resource("icons", "app.svg")))
    return icon


def stylesheet() -> str:
    """The one stylesheet of the program, resources/styles/app.qss."""
    try:
        return paths.resource("styles", "app.qss").read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet %s not found", paths.resource("styles", "app.qss"))
        return ""


def apply_language(language: str) -> None:
    """Use `language` for our strings and Qt's own (message box buttons, file dialogs)."""
    global _qt_translator
    i18n.set_language(language)
    app = QApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        QApplication.removeTranslator(_qt_translator)
        _qt_translator = None
    QLocale.setDefault(QLocale(QLocale.Language.Chinese if language == "zh_CN" else QLocale.Language.English))
    if language != "en":
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{language}", folder):
            QApplication.installTranslator(translator)
            _qt_translator = translator
        else:
            log.warning("Qt translation qtbase_%s not found in %s", language, folder)


def switch_language(language: str) -> None:
    settings.put("language", language)
    apply_language(language)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("aftersales")
    app.setOrganizationName("aftersales")
    app.setWindowIcon(app_icon())
    load_font(app)
    app.setStyleSheet(stylesheet())
    apply_language(settings.get("language") or i18n.system_language())
    return app


def demo_hint(ctx: Context) -> str:
    password = setup.demo_password(ctx)
    if not password:
        return ""
    return _("Demo database: sign in as admin, supervisor, clerk or tech1 with password {password}").format(
        password=password
    )


class Workstation:
    """Runs the start-up sequence; tests drive it step by step."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.ctx = Context(db=db)
        self.window: MainWindow | None = None
        self.watch: SessionWatch | None = None
        self._signing_out = False

    def first_run_if_needed(self) -> bool:
        """Show the first-run dialog on an empty database; False when the person cancels."""
        if not setup.needs_first_run(self.ctx):
            return True
        return bool(FirstRunDialog(self.ctx).exec())

    def sign_in(self, notice: str = "") -> bool:
        dialog = SignInDialog(
            self.ctx,
            username=settings.get("last_username", ""),
            hint=lambda: demo_hint(self.ctx),
            notice=notice,
            on_language=switch_language,
        )
        if not dialog.exec() or dialog.actor is None:
            return False
        actor = dialog.actor
        settings.put("last_username", actor.username)
        self.ctx = self.ctx.as_user(actor)
        if actor.must_change_password:
            if not ChangePasswordDialog(self.ctx, forced=True).exec():
                return False
        return True

    def open_main_window(self) -> MainWindow:
        branch = setup.current_branch(self.ctx)
        self.window = MainWindow(self.ctx, branch, on_language=switch_language)
        if self.watch is None:
            self.watch = SessionWatch(self.window)
            self.watch.ended.connect(self.sign_out)
            self.watch.start()
        self.window.show()
        return self.window

    def sign_out(self, reason: str) -> None:
        """A service refused the session (deactivated, locked, role changed, password reset):
        close what is open and ask for a sign-in again, saying why."""
        if self._signing_out or self.window is None:
            return
        self._signing_out = True
        if self.watch is not None:
            self.watch.stop()
            self.watch = None
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.window.hide()
        QTimer.singleShot(0, lambda: self._sign_in_again(reason))

    def _sign_in_again(self, reason: str) -> None:
        modal = QApplication.activeModalWidget()
        if modal is not None:  # a dialog still winding down its own loop: close it, come back
            if isinstance(modal, QDialog):
                modal.reject()
            QTimer.singleShot(50, lambda: self._sign_in_again(reason))
            return
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.ctx = Context(db=self.db)
        self._signing_out = False
        if self.sign_in(notice=reason):
            self.open_main_window()
        else:
            QApplication.quit()


def main(db_url: str | None = None, demo: bool = False) -> int:
    """Open the workstation; returns the process exit code."""
    configure_logging()
    app = create_application()
    crash.install()
    try:
        db = maintenance.open_database(db_url, demo=demo)
    except AppError as exc:
        dialogs.error(None, _("Cannot open the database"), str(exc))
        return 1
    except Exception:  # noqa: BLE001 - a damaged file or a server that does not answer
        crash.handle_exception(*sys.exc_info())  # type: ignore[arg-type]
        return 1
    station = Workstation(db)
    if not station.first_run_if_needed() or not station.sign_in():
        return 0
    station.open_main_window()
    # What start-up built lives as long as the program: keep the collector from walking it again
    # and again (a full collection over it pauses the window for a tenth of a second).
    gc.freeze()
    return app.exec()
