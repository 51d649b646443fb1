"""The one place anything unexpected ends: a short apology with a reference, the traceback in the log."""

from __future__ import annotations

import logging
import secrets
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication

from app import paths
from app.errors import AppError
from app.i18n import _
from ui.shared import dialogs

log = logging.getLogger("aftersales.crash")


def handle_exception(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> str:
    """Log the traceback and tell the person; returns the reference shown to them."""
    if isinstance(value, AppError):
        dialogs.warn(QApplication.activeWindow(), _("Cannot do this"), str(value))
        return ""
    reference = secrets.token_hex(4).upper()
    log.error("unexpected error, reference %s", reference, exc_info=(kind, value, tb))
    dialogs.error(
        QApplication.activeWindow(),
        _("Something went wrong"),
        _(
            "Sorry, something unexpected happened. Your work so far is kept and the window "
            "stays open.\nReference: {reference}\nDetails are in the log folder {path}"
        ).format(reference=reference, path=paths.log_dir()),
    )
    return reference


def install() -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        handle_exception(kind, value, tb)

    sys.excepthook = hook
