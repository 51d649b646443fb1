"""Hand a terminal in stock to a merchant, chosen with the merchant picker."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QWidget

from app.context import Context
from app.errors import ValidationError
from app.i18n import _
from app.models.merchant import MerchantFilter, MerchantRead, MerchantStatus
from app.models.terminal import TerminalRead
from app.services import terminals
from ui.customers.merchant_picker_dialog import MerchantPickerDialog
from ui.shared.form_dialog import FormDialog, line_edit
from ui.shared.widgets import push_button


class BindDialog(FormDialog):
    def __init__(
        self,
        ctx: Context,
        terminal: TerminalRead,
        merchant: MerchantRead | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            object_name="BindDialog",
            title=_("Bind terminal {sn}").format(sn=terminal.serial_no),
            note=_("The terminal is handed to the merchant and becomes deployed."),
            parent=parent,
        )
        self.ctx = ctx
        self.terminal = terminal
        self.merchant: MerchantRead | None = None
        self.result_terminal: TerminalRead | None = None
        self.merchant_edit = line_edit("merchantEdit", placeholder=_("Choose a merchant…"))
        self.merchant_edit.setReadOnly(True)
        self.choose_button = push_button("chooseMerchantButton", _("Choose…"), self.choose_merchant)
        chooser = QWidget()
        row = QHBoxLayout(chooser)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.merchant_edit, 1)
        row.addWidget(self.choose_button)
        self.location_edit = line_edit(
            "locationEdit", terminal.location, placeholder=_("e.g. checkout 2")
        )
        form = QFormLayout()
        self.add_row(form, _("Merchant"), "merchant_id", chooser)
        self.add_row(form, _("Location"), "location", self.location_edit)
        self.main_layout.addLayout(form)
        self.finish(_("Bind"))
        self.setMinimumWidth(520)
        if merchant is not None:
            self.set_merchant(merchant)
            self.location_edit.setFocus()
        else:
            self.choose_button.setFocus()

    def set_merchant(self, merchant: MerchantRead) -> None:
        self.merchant = merchant
        name = merchant.shop_name or merchant.legal_name
        self.merchant_edit.setText(f"{name} ({merchant.merchant_no})")

    def picker(self) -> MerchantPickerDialog:
        """The picker offers the active merchants: only those can take a terminal."""
        return MerchantPickerDialog(
            self.ctx,
            title=_("Bind {sn} to…").format(sn=self.terminal.serial_no),
            base=MerchantFilter(status=MerchantStatus.ACTIVE),
            parent=self,
        )

    def choose_merchant(self) -> None:
        picker = self.picker()
        if picker.exec() and picker.chosen is not None:
            self.set_merchant(picker.chosen)
            self.location_edit.setFocus()

    def save(self) -> None:
        terminal, merchant, location = self.terminal, self.merchant, self.location_edit.text()

        def bind() -> TerminalRead:
            if merchant is None:
                raise ValidationError.single("merchant_id", _("Please choose a merchant."))
            return terminals.bind_terminal(
                self.ctx,
                terminal.id,
                merchant.id,
                expected_version=terminal.version,
                location=location,
            )

        self.result_terminal = self.submit(bind)
