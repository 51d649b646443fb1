"""Warranty: service contracts, what ends soon, warranty policies and the working calendar."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.services import warranty
from ui.shared import dialogs
from ui.warranty.calendar_panel import CalendarPanel
from ui.warranty.contract_list_page import ContractListPage
from ui.warranty.expiring_panel import ExpiringPanel
from ui.warranty.policy_panel import PolicyPanel


class WarrantyArea(QTabWidget):
    """`merchantOpened` and `terminalOpened` (a uuid.UUID each) ask the main window to show one.

    Tabs are added through `add_tab`, so a panel made elsewhere joins the area, and its own
    `merchantOpened`/`terminalOpened` signals, if it has them, reach the main window too.
    """

    merchantOpened = Signal(object)
    terminalOpened = Signal(object)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warrantyArea")
        self.setDocumentMode(True)
        self.ctx = ctx
        self.contract_list = ContractListPage(ctx)
        self.policy_panel = PolicyPanel(ctx)
        self.calendar_panel = CalendarPanel(ctx)
        self.expiring_panel = ExpiringPanel(ctx)
        self.add_tab(self.contract_list, _("Contracts"))
        self.add_tab(self.expiring_panel, _("Ending soon"))
        self.add_tab(self.policy_panel, _("Policies"))
        self.add_tab(self.calendar_panel, _("Working calendar"))
        self.expiring_panel.contractOpened.connect(self.open_contract)

    def open_contract(self, contract_id: uuid.UUID) -> None:
        """Show the contract in the contracts tab (in a window of its own if the filter hides it)."""
        self.setCurrentWidget(self.contract_list)
        if not self.contract_list.select_contract(contract_id):
            try:
                contract = warranty.get_contract(self.ctx, contract_id)
            except AppError as exc:
                dialogs.warn(self, _("Cannot open the contract"), str(exc))
                return
            self.contract_list.show_contract_no(contract.contract_no)

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Append a tab; returns its index."""
        for name in ("merchantOpened", "terminalOpened"):
            signal = getattr(widget, name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(getattr(self, name).emit)
        return self.addTab(widget, title)
