"""Choose how a work order comes out (A4 or A5, customer and/or shop copy) and make the PDF."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QWidget

from app.context import Context
from app.i18n import _
from ui.shared.form_dialog import FormDialog


class PrintDialog(FormDialog):
    """`data` holds the PDF once Preview was pressed; the page shows it in the print preview."""

    def __init__(self, ctx: Context, ticket_ids: Sequence[uuid.UUID], parent: QWidget | None = None) -> None:
        # Imported here: the documents pull in ReportLab, which a ticket needs only when printing.
        from app.reports.work_order import COPIES, PAGE_SIZES, copy_label

        super().__init__(
            object_name="printDialog",
            title=_("Print work order"),
            note=_("The preview that follows prints to a printer you choose or saves a PDF."),
            error_name="printError",
            parent=parent,
        )
        self.ctx = ctx
        self.ticket_ids = list(ticket_ids)
        self.data: bytes | None = None
        self.paper_combo = QComboBox()
        self.paper_combo.setObjectName("paperSizeCombo")
        for size in PAGE_SIZES:
            self.paper_combo.addItem(size, size)
        self.copy_checks: dict[str, QCheckBox] = {}
        copies = QWidget()
        row = QHBoxLayout(copies)
        row.setContentsMargins(0, 0, 0, 0)
        for copy in COPIES:
            check = QCheckBox(copy_label(copy))
            check.setObjectName(f"{copy}CopyCheck")  # customerCopyCheck, shopCopyCheck
            check.setChecked(True)
            self.copy_checks[copy] = check
            row.addWidget(check)
        row.addStretch(1)
        form = QFormLayout()
        self.add_row(form, _("Paper"), "page_size", self.paper_combo)
        self.add_row(form, _("Copies"), "copies", copies)
        self.main_layout.addLayout(form)
        self.finish(_("Preview"), "previewButton")
        self.setMinimumWidth(380)
        self.paper_combo.setFocus()

    def page_size(self) -> str:
        return str(self.paper_combo.currentData())

    def copies(self) -> list[str]:
        return [copy for copy, check in self.copy_checks.items() if check.isChecked()]

    def save(self) -> None:
        from app.services import ticket_documents

        ids, size, copies = self.ticket_ids, self.page_size(), self.copies()
        self.data = self.submit(
            lambda: ticket_documents.work_orders(self.ctx, ids, page_size=size, copies=copies)
        )
