"""Print labels for one or many terminals: choose the paper, look at them, print or save."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.reports.labels import LabelLayout, layout_label
from app.services import labels
from ui.shared import dialogs
from ui.shared.pdf_preview import PdfPreview
from ui.shared.worker import BackgroundJob, run_with_progress


class LabelDialog(QDialog):
    def __init__(
        self,
        ctx: Context,
        terminal_ids: Sequence[uuid.UUID],
        parent: QWidget | None = None,
        *,
        layout: LabelLayout = LabelLayout.A4_SHEET,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("labelDialog")
        self.ctx = ctx
        self.terminal_ids = list(terminal_ids)
        count = len(self.terminal_ids)
        title = ngettext("Label for {n} terminal", "Labels for {n} terminals", count)
        self.setWindowTitle(title.format(n=count))

        self.layout_combo = QComboBox()
        self.layout_combo.setObjectName("labelLayoutCombo")
        for choice in LabelLayout:
            self.layout_combo.addItem(layout_label(choice), choice.value)
        self.layout_combo.setCurrentIndex(self.layout_combo.findData(LabelLayout(layout).value))
        self.layout_combo.currentIndexChanged.connect(self._layout_changed)

        self.status_label = QLabel()
        self.status_label.setObjectName("labelStatus")
        self.preview = PdfPreview(self)
        self._token = 0
        self._job: BackgroundJob | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.setObjectName("closeButtons")
        buttons.rejected.connect(self.reject)

        bar = QHBoxLayout()
        paper = QLabel(_("Paper"))
        paper.setBuddy(self.layout_combo)
        bar.addWidget(paper)
        bar.addWidget(self.layout_combo)
        bar.addWidget(self.status_label)
        bar.addStretch(1)
        main = QVBoxLayout(self)
        main.addLayout(bar)
        main.addWidget(self.preview, 1)
        main.addWidget(buttons)
        self.resize(820, 720)
        self.refresh()

    def current_layout(self) -> LabelLayout:
        return LabelLayout(self.layout_combo.currentData())

    def _suggested_name(self) -> str:
        return "{name}-{at:%Y%m%d-%H%M}.pdf".format(name=_("terminal-labels"), at=self.ctx.now().astimezone())

    def _layout_changed(self) -> None:
        # A zoom chosen for one paper size makes no sense on the other.
        self.preview.fit_width()
        self.refresh()

    def refresh(self) -> None:
        """Make the labels again for the chosen paper, in the background, and show them."""
        self._token += 1
        token = self._token
        ctx, ids, layout = self.ctx, self.terminal_ids, self.current_layout()
        self.status_label.setText(_("Making the labels…"))
        # QR codes are encoded in pure Python: a few hundred labels take seconds.
        self._job = run_with_progress(
            lambda _progress: labels.terminal_labels(ctx, ids, layout),
            lambda _done, _total: None,
            lambda data: self._show(token, data),
            lambda exc: self._failed(token, exc),
            parent=self,
        )

    def busy(self) -> bool:
        return self._job is not None and self._job.running()

    def _show(self, token: int, data: bytes) -> None:
        if token != self._token:  # the person chose another paper meanwhile
            return
        self.status_label.setText("")
        self.preview.set_pdf(data, self._suggested_name())

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self.status_label.setText("")
        if not isinstance(exc, AppError):
            raise exc
        dialogs.error(self, _("Labels"), exc.message)
