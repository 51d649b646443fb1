"""Customers: the merchant list and, in its place, one merchant's page."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from app.context import Context
from ui.customers.merchant_list_page import MerchantListPage
from ui.customers.merchant_page import MerchantPage


class CustomersArea(QStackedWidget):
    """`terminalOpened` / `ticketOpened` ask the main window to show a terminal or a ticket."""

    terminalOpened = Signal(object)  # carries a uuid.UUID
    ticketOpened = Signal(object)  # carries a uuid.UUID

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomersArea")
        self.ctx = ctx
        self.list_page = MerchantListPage(ctx)
        self.merchant_page = MerchantPage(ctx)
        self.addWidget(self.list_page)
        self.addWidget(self.merchant_page)
        self.list_page.merchantOpened.connect(self.open_merchant)
        self.merchant_page.backRequested.connect(self.show_list)
        self.merchant_page.terminalOpened.connect(self.terminalOpened.emit)
        self.merchant_page.ticketOpened.connect(self.ticketOpened.emit)

    def open_merchant(self, merchant_id: uuid.UUID) -> bool:
        """Show the merchant's page; False when it cannot be read (the list stays)."""
        if not self.merchant_page.load(merchant_id):
            return False
        self.setCurrentWidget(self.merchant_page)
        self.merchant_page.tabs.setFocus()
        return True

    def show_list(self) -> None:
        """Back to the list (it reloads as it appears), the merchant just seen selected."""
        shown = self.merchant_page.merchant
        self.setCurrentWidget(self.list_page)
        if shown is not None:
            self.list_page.select_merchant(shown.id)
        self.list_page.table.setFocus()
