"""The import dialog and the list export, driven the way a person uses them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QPushButton, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Context
from app.models.imports import ImportKind, RowAction
from app.models.merchant import MerchantFilter
from app.services import imports
from tests.app.services.test_imports import (
    MERCHANT_HEADERS_ZH,
    bad_uscc,
    merchant_no,
    merchant_row,
    read_csv,
    write_csv,
)
from tests.conftest import table_count
from tests.ui.conftest import DialogRecorder
from ui.data import export, import_dialog
from ui.data.import_dialog import ERROR_TINT, ImportDialog, ImportPreviewModel


def _dialog(qtbot: QtBot, ctx: Context) -> ImportDialog:
    dialog = ImportDialog(ctx, ImportKind.MERCHANTS)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _file(tmp_path: Path, count: int = 3) -> Path:
    rows = [merchant_row(n) for n in range(1, count + 1)]
    rows.append(merchant_row(99, 统一社会信用代码=bad_uscc(99)))
    return write_csv(tmp_path / "商户.csv", MERCHANT_HEADERS_ZH, rows, encoding="gbk")


def _loaded(qtbot: QtBot, dialog: ImportDialog, path: Path) -> None:
    with qtbot.waitSignal(dialog.previewReady, timeout=20000):
        dialog.load_file(path)


def test_load_file_shows_counts_and_tinted_error_rows(qtbot: QtBot, admin_ctx: Context, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    button = dialog.findChild(QPushButton, "importButton")
    assert button is not None and not button.isEnabled()
    _loaded(qtbot, dialog, _file(tmp_path))

    counts = dialog.findChild(QLabel, "importCountsLabel")
    assert counts is not None and counts.text() == "3 new, 0 to update, 1 with errors"
    table = dialog.findChild(QTableView, "importPreviewTable")
    assert table is not None
    model = table.model()
    assert model.rowCount() == 4
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == ["Row", "Action", "Merchant no.", "Problem"]
    last = model.index(3, 3)
    assert model.index(3, 0).data() == "5" and model.index(3, 1).data() == "error"
    assert last.data().startswith("统一社会信用代码: ")
    assert last.data(Qt.ItemDataRole.BackgroundRole) == ERROR_TINT
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert button.isEnabled()

    errors_only = dialog.findChild(QCheckBox, "importErrorsOnlyCheck")
    assert errors_only is not None
    errors_only.setChecked(True)
    assert model.rowCount() == 1
    assert table_count(admin_ctx.db, "merchant") == 0


def test_import_runs_with_progress_and_names_the_error_file(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, note_dialogs: DialogRecorder
) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    _loaded(qtbot, dialog, _file(tmp_path, count=120))
    progress = dialog.findChild(QProgressBar, "importProgress")
    assert progress is not None
    seen: list[int] = []
    progress.valueChanged.connect(seen.append)
    button = dialog.findChild(QPushButton, "importButton")
    assert button is not None
    button.click()
    assert progress.isVisible() and not button.isEnabled()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30000)

    assert seen and seen[-1] == 120 and seen == sorted(seen)
    assert not progress.isVisible()
    assert table_count(admin_ctx.db, "merchant") == 120
    error_file = tmp_path / "商户.errors.csv"
    assert error_file.is_file() and len(read_csv(error_file)) == 2
    summary = dialog.findChild(QLabel, "importSummaryLabel")
    assert summary is not None and str(error_file) in summary.text()
    assert note_dialogs.shown[-1][0] == "info" and "120 new" in note_dialogs.shown[-1][2]
    cancel = dialog.findChild(QPushButton, "cancelButton")
    assert cancel is not None and cancel.text() == "Close"


def test_cancel_before_import_writes_nothing(qtbot: QtBot, admin_ctx: Context, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    _loaded(qtbot, dialog, _file(tmp_path))
    cancel = dialog.findChild(QPushButton, "cancelButton")
    assert cancel is not None
    with qtbot.waitSignal(dialog.rejected, timeout=20000):
        cancel.click()
    assert table_count(admin_ctx.db, "merchant") == 0
    assert not (tmp_path / "商户.errors.csv").exists()


def test_cancel_during_the_import_keeps_the_running_batch_out(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, note_dialogs: DialogRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "BATCH_SIZE", 10)
    dialog = _dialog(qtbot, admin_ctx)
    _loaded(qtbot, dialog, _file(tmp_path, count=60))
    progress = dialog.findChild(QProgressBar, "importProgress")
    assert progress is not None

    def cancel_once_started(done: int) -> None:
        if done >= 10:
            dialog.reject()

    progress.valueChanged.connect(cancel_once_started)
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30000)
    assert dialog.result is not None and dialog.result.cancelled
    written = table_count(admin_ctx.db, "merchant")
    assert written % 10 == 0 and written < 60  # whole batches only
    assert "cancelled" in note_dialogs.shown[-1][2]


def test_a_file_that_cannot_be_read_is_a_warning(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, note_dialogs: DialogRecorder
) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    bad = tmp_path / "x.csv"
    bad.write_text("foo,bar\n", encoding="utf-8")
    dialog.load_file(bad)
    qtbot.waitUntil(lambda: bool(note_dialogs.shown), timeout=10000)
    kind, _title, text = note_dialogs.shown[0]
    assert kind == "warn" and "has no Merchant no. column" in text
    button = dialog.findChild(QPushButton, "importButton")
    assert button is not None and not button.isEnabled()


def test_choose_file_uses_the_file_dialog(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _file(tmp_path)
    monkeypatch.setattr(import_dialog, "ask_open_path", lambda _parent: path)
    dialog = _dialog(qtbot, admin_ctx)
    with qtbot.waitSignal(dialog.previewReady, timeout=20000):
        choose = dialog.findChild(QPushButton, "importChooseButton")
        assert choose is not None
        choose.click()
    assert dialog.preview is not None and dialog.preview.counts["new"] == 3


def test_preview_model(qtmodeltester: ModelTester, admin_ctx: Context, tmp_path: Path) -> None:
    model = ImportPreviewModel(ImportKind.MERCHANTS)
    preview = imports.preview_import(admin_ctx, ImportKind.MERCHANTS, _file(tmp_path))
    model.set_rows(preview.rows)
    qtmodeltester.check(model)
    assert model.row_object(3).action == RowAction.ERROR


def test_export_list_writes_the_file_and_says_so(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, note_dialogs: DialogRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    imports.run_import(admin_ctx, _file(tmp_path), kind=ImportKind.MERCHANTS)
    out = tmp_path / "out.csv"
    asked: list[str] = []

    def ask(_parent: object, suggested: str) -> Path:
        asked.append(suggested)
        return out

    monkeypatch.setattr(export, "ask_save_path", ask)
    export.export_list(None, admin_ctx, ImportKind.MERCHANTS, MerchantFilter())
    qtbot.waitUntil(lambda: bool(note_dialogs.shown), timeout=10000)
    assert asked and asked[0].startswith("merchants-") and asked[0].endswith(".xlsx")
    assert note_dialogs.shown == [("info", "Export", f"3 rows written to {out}.")]
    assert [r[0] for r in read_csv(out)[1:]] == [merchant_no(1), merchant_no(2), merchant_no(3)]

    monkeypatch.setattr(export, "ask_save_path", lambda _p, _s: tmp_path / "bad.pdf")
    export.export_list(None, admin_ctx, ImportKind.MERCHANTS, MerchantFilter())
    qtbot.waitUntil(lambda: len(note_dialogs.shown) == 2, timeout=10000)
    assert note_dialogs.shown[1][0] == "warn"

    monkeypatch.setattr(export, "ask_save_path", lambda _p, _s: None)
    export.export_list(None, admin_ctx, ImportKind.MERCHANTS, MerchantFilter())  # cancelled: nothing happens
    assert len(note_dialogs.shown) == 2
