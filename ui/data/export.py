"""Export the list a screen shows, with its filters, to an XLSX or CSV file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.imports import ImportKind
from app.models.merchant import MerchantFilter
from app.models.terminal import TerminalFilter
from app.services import exports
from ui.shared import dialogs
from ui.shared.worker import BackgroundJob, run_with_progress

XLSX_FILTER = "Excel (*.xlsx)"
CSV_FILTER = "CSV UTF-8 (*.csv)"

# Exports still running, kept alive until they report back.
_running: list[BackgroundJob] = []


def ask_save_path(parent: QWidget | None, suggested: str) -> Path | None:
    """Ask where to save (tests replace this); the extension follows the chosen type."""
    path, selected = QFileDialog.getSaveFileName(
        parent, _("Export"), suggested, f"{XLSX_FILTER};;{CSV_FILTER}"
    )
    if not path:
        return None
    chosen = Path(path)
    if chosen.suffix.lower() not in (".xlsx", ".csv"):
        chosen = chosen.with_name(chosen.name + (".csv" if selected == CSV_FILTER else ".xlsx"))
    return chosen


def _suggested_name(ctx: Context, kind: ImportKind) -> str:
    label = _("merchants") if kind == ImportKind.MERCHANTS else _("terminals")
    return f"{label}-{ctx.now().astimezone():%Y%m%d}.xlsx"


def export_list(
    parent: QWidget | None,
    ctx: Context,
    kind: ImportKind | str,
    filters: MerchantFilter | TerminalFilter,
) -> None:
    """Ask for a file name and write the filtered list there in the background, then say so."""
    kind = ImportKind(kind)
    path = ask_save_path(parent, _suggested_name(ctx, kind))
    if path is None:
        return

    def work(_progress: object) -> int:
        if kind == ImportKind.MERCHANTS:
            assert isinstance(filters, MerchantFilter)
            return exports.export_merchants(ctx, filters, path)
        assert isinstance(filters, TerminalFilter)
        return exports.export_terminals(ctx, filters, path)

    def done(count: int) -> None:
        _running.remove(job)
        dialogs.info(
            parent,
            _("Export"),
            ngettext("{n} row written to {path}.", "{n} rows written to {path}.", count).format(
                n=count, path=path
            ),
        )

    def failed(exc: BaseException) -> None:
        _running.remove(job)
        if not isinstance(exc, AppError):
            raise exc  # the crash handler reports it
        dialogs.warn(parent, _("Export"), str(exc))

    # With a parent, a screen closed meanwhile gets no message (nor the timer that brings it).
    job = run_with_progress(work, lambda _done, _total: None, done, failed, parent=parent)
    _running.append(job)
