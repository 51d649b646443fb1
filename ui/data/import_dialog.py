"""Import merchants or terminals from a spreadsheet: choose a file, see every row, import.

Nothing is written until the person confirms; then only the valid rows are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import N_, _
from app.models.imports import (
    ImportKind,
    ImportPreview,
    ImportResult,
    ImportRow,
    RowAction,
)
from app.rules import tabular
from app.services import imports
from ui.shared import dialogs
from ui.shared.worker import BackgroundJob, run_with_progress

Index = QModelIndex | QPersistentModelIndex
ObjectRole = Qt.ItemDataRole.UserRole + 1

ACTION_LABELS = {
    RowAction.NEW: N_("new"),
    RowAction.UPDATE: N_("update"),
    RowAction.ERROR: N_("error"),
}
ERROR_TINT = QColor("#fde2e1")


def ask_open_path(parent: QWidget | None) -> Path | None:
    """Ask for the file to import (tests replace this)."""
    path, _selected = QFileDialog.getOpenFileName(
        parent,
        _("Choose the file to import"),
        "",
        _("Spreadsheets (*.xlsx *.csv);;Excel workbook (*.xlsx);;CSV (*.csv)"),
    )
    return Path(path) if path else None


class ImportPreviewModel(QAbstractTableModel):
    """The preview's rows: row number, what happens, merchant no. or SN, and the problems."""

    ROW, ACTION, KEY, MESSAGE = range(4)

    def __init__(self, kind: ImportKind, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._rows: list[ImportRow] = []

    def set_rows(self, rows: list[ImportRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> ImportRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 4

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.ROW:
                return str(row.row_number)
            if column == self.ACTION:
                return _(ACTION_LABELS[row.action])
            if column == self.KEY:
                return row.key
            return "; ".join(row.messages)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.MESSAGE and row.messages:
            return "\n".join(row.messages)
        if role == Qt.ItemDataRole.BackgroundRole and row.action == RowAction.ERROR:
            return ERROR_TINT
        if role == ObjectRole:
            return row
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == self.ROW:
            return _("Row")
        if section == self.ACTION:
            return _("Action")
        if section == self.KEY:
            column = tabular.column_for_field(self.kind, tabular.KEY_FIELDS[self.kind])
            return column.header() if column else ""
        if section == self.MESSAGE:
            return _("Problem")
        return None


class ImportDialog(QDialog):
    """Preview a file (nothing written), then import its valid rows with a progress bar."""

    previewReady = Signal()  # noqa: N815 - Qt naming
    importFinished = Signal()  # noqa: N815

    def __init__(self, ctx: Context, kind: ImportKind | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.ctx = ctx
        self.kind = ImportKind(kind)
        self.preview: ImportPreview | None = None
        self.result: ImportResult | None = None
        self.busy = False
        self._cancel_requested = False
        self.job: BackgroundJob | None = None
        self.setWindowTitle(
            _("Import merchants") if self.kind == ImportKind.MERCHANTS else _("Import terminals")
        )
        self.resize(900, 600)

        self.file_label = QLabel(
            _("Choose an .xlsx or .csv file; nothing is written before you confirm.")
        )
        self.file_label.setObjectName("importFileLabel")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton(_("Choose file…"))
        self.choose_button.setObjectName("importChooseButton")
        self.choose_button.clicked.connect(self.choose_file)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("importCountsLabel")
        self.note_label = QLabel()
        self.note_label.setObjectName("importNoteLabel")
        self.note_label.setWordWrap(True)
        self.errors_only = QCheckBox(_("Only rows with errors"))
        self.errors_only.setObjectName("importErrorsOnlyCheck")
        self.errors_only.toggled.connect(self._show_rows)

        self.model = ImportPreviewModel(self.kind, self)
        self.table = QTableView()
        self.table.setObjectName("importPreviewTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ImportPreviewModel.MESSAGE, QHeaderView.ResizeMode.Stretch)

        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setVisible(False)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("importSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.import_button = QPushButton(_("Import valid rows"))
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        counts = QHBoxLayout()
        counts.addWidget(self.counts_label, 1)
        counts.addWidget(self.errors_only)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(counts)
        layout.addWidget(self.note_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary_label)
        layout.addLayout(buttons)

    # --- choosing and previewing ------------------------------------------------------------------

    def choose_file(self) -> None:
        path = ask_open_path(self)
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path | str) -> None:
        """Read the file and check every row in the background; nothing is written."""
        path = Path(path)
        self.preview = None
        self.result = None
        self.model.set_rows([])
        self.counts_label.setText(_("Checking {name}…").format(name=path.name))
        self.note_label.clear()
        self.summary_label.clear()
        self.file_label.setText(str(path))
        self._start(
            lambda report: imports.preview_import(
                self.ctx, self.kind, path, progress=report, cancelled=self._cancelled
            ),
            self._preview_done,
        )

    def _preview_done(self, preview: ImportPreview) -> None:
        self._finish_work()
        self.preview = preview
        counts = preview.counts
        self.counts_label.setText(
            _("{new} new, {update} to update, {error} with errors").format(
                new=counts["new"], update=counts["update"], error=counts["error"]
            )
        )
        notes = [_("Read as {encoding}.").format(encoding=preview.encoding)]
        if preview.ignored_columns:
            notes.append(
                _("Columns not imported: {columns}").format(
                    columns=", ".join(preview.ignored_columns)
                )
            )
        if counts["error"]:
            notes.append(
                _("Rows with errors are not imported; they go to an error file to correct.")
            )
        self.note_label.setText("\n".join(notes))
        self._show_rows()
        self.import_button.setEnabled(preview.valid_count > 0)
        self.previewReady.emit()

    def _show_rows(self) -> None:
        if self.preview is None:
            return
        rows = self.preview.error_rows if self.errors_only.isChecked() else self.preview.rows
        self.model.set_rows(rows)

    # --- importing --------------------------------------------------------------------------------

    def start_import(self) -> None:
        preview = self.preview
        if preview is None or preview.valid_count == 0 or self.busy:
            return
        self.import_button.setEnabled(False)
        self._start(
            lambda report: imports.run_import(
                self.ctx, preview, progress=report, cancelled=self._cancelled
            ),
            self._import_done,
        )

    def _import_done(self, result: ImportResult) -> None:
        self._finish_work()
        self.result = result
        if result.cancelled:
            text = _("Import cancelled; the batch that was running was not written.")
            if result.created or result.updated:
                text += " " + _(
                    "{new} new and {update} updated rows had been written before."
                ).format(new=result.created, update=result.updated)
        else:
            text = _("Imported: {new} new, {update} updated, {error} with errors.").format(
                new=result.created, update=result.updated, error=result.failed
            )
            if result.error_file is not None:
                advice = _(
                    "Rows with errors were written to {path}; "
                    "correct them there and import that file."
                )
                text += "\n" + advice.format(path=result.error_file)
        self.summary_label.setText(text)
        self.cancel_button.setText(_("Close"))
        self.choose_button.setEnabled(True)
        self.importFinished.emit()
        dialogs.info(self, self.windowTitle(), text)
        if result.cancelled:
            self.reject()

    # --- the worker -------------------------------------------------------------------------------

    def _cancelled(self) -> bool:
        return self._cancel_requested

    def _start(self, work: Any, on_done: Any) -> None:
        self.busy = True
        self._cancel_requested = False
        self.choose_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setVisible(True)
        self.job = run_with_progress(work, self._on_progress, on_done, self._failed, parent=self)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish_work(self) -> None:
        self.busy = False
        self.progress.setVisible(False)
        self.choose_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self._finish_work()
        if isinstance(exc, imports.ImportCancelled):
            return
        if not isinstance(exc, AppError):
            raise exc  # the crash handler reports it
        self.counts_label.setText(_("This file cannot be imported."))
        self.import_button.setEnabled(False)
        dialogs.warn(self, self.windowTitle(), str(exc))

    def reject(self) -> None:
        """Cancel: before the import nothing is written; during it, the running batch is undone."""
        if self.busy:
            self._cancel_requested = True
            if self.preview is None:
                super().reject()  # only reading: the background check stops by itself
            return
        super().reject()
