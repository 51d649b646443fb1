"""Close a merchant for good, giving the reason; the archive keeps it."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QPlainTextEdit, QWidget

from app.context import Context
from app.i18n import _
from app.models.merchant import MerchantRead
from app.services import merchants
from ui.shared.form_dialog import FormDialog


class CloseMerchantDialog(FormDialog):
    def __init__(self, ctx: Context, merchant: MerchantRead, parent: QWidget | None = None) -> None:
        name = merchant.shop_name or merchant.legal_name
        super().__init__(
            object_name="CloseMerchantDialog",
            title=_("Close merchant {name}").format(name=name),
            note=_(
                "A closed merchant stays in the archive with its history but can no longer hold "
                "terminals. Take its terminals back first."
            ),
            parent=parent,
        )
        self.ctx = ctx
        self.merchant = merchant
        self.result_merchant: MerchantRead | None = None
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(self.reason_edit.fontMetrics().lineSpacing() * 4 + 12)
        form = QFormLayout()
        self.add_row(form, _("Reason"), "reason", self.reason_edit)
        self.main_layout.addLayout(form)
        self.finish(_("Close merchant"))
        self.setMinimumWidth(460)
        self.reason_edit.setFocus()

    def save(self) -> None:
        merchant, reason = self.merchant, self.reason_edit.toPlainText()
        self.result_merchant = self.submit(
            lambda: merchants.close_merchant(
                self.ctx, merchant.id, expected_version=merchant.version, reason=reason
            )
        )
