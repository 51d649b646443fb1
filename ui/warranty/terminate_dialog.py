"""End a service contract early: the date it stops and why, asked once more before it is done."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QWidget

from app.context import Context
from app.i18n import _
from app.models.warranty import ServiceContractRead
from app.services import warranty
from ui.shared import dialogs
from ui.shared.form_dialog import FormDialog
from ui.warranty.contract_dialog import date_edit


class TerminateDialog(FormDialog):
    def __init__(self, ctx: Context, contract: ServiceContractRead, parent: QWidget | None = None) -> None:
        super().__init__(
            object_name="TerminateDialog",
            title=_("Terminate contract {number}").format(number=contract.contract_no),
            note=_(
                "The contract covers its terminals up to the day before the termination date. "
                "A terminated contract cannot be activated or renewed again."
            ),
            parent=parent,
        )
        self.ctx = ctx
        self.contract = contract
        self.result_contract: ServiceContractRead | None = None
        # Today, unless the contract has not started yet.
        start = max(warranty.today(ctx), contract.start_date)
        self.date_edit = date_edit("terminationDateEdit", start)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("terminationReasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(_("e.g. the merchant closed its shop"))
        self.reason_edit.setFixedHeight(self.reason_edit.fontMetrics().lineSpacing() * 3 + 12)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.add_row(form, _("Termination date"), "on", self.date_edit)
        self.add_row(form, _("Reason"), "reason", self.reason_edit)
        self.main_layout.addLayout(form)
        self.ok_button = self.finish(_("Terminate"), "terminateButton")
        self.ok_button.setEnabled(False)
        self.reason_edit.textChanged.connect(self._update_ok)
        self.setMinimumWidth(520)
        self.reason_edit.setFocus()

    def _update_ok(self) -> None:
        """The reason is required: the button waits for one."""
        self.ok_button.setEnabled(bool(self.reason_edit.toPlainText().strip()))

    def save(self) -> None:
        contract = self.contract
        on: date = self.date_edit.date().toPython()
        reason = self.reason_edit.toPlainText()
        if not dialogs.confirm(
            self,
            _("Terminate contract"),
            _("Terminate contract {number} on {date}? This cannot be undone.").format(
                number=contract.contract_no, date=on.isoformat()
            ),
        ):
            return
        self.result_contract = self.submit(
            lambda: warranty.terminate_contract(
                self.ctx, contract.id, on, reason, expected_version=contract.version
            )
        )
