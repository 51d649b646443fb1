"""Tickets: the list, the follow-up calls, the settings and, each in a closable tab, open tickets.

A ticket opened twice shows its existing tab; Ctrl+W closes the ticket tab in front; Ctrl+N
opens intake here (F2 does it from anywhere in the main window).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabBar, QTabWidget, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.rules.permissions import Action, allowed
from app.services import tickets
from ui.shared import dialogs
from ui.shared.widgets import shortcut_action
from ui.tickets.follow_up_list import FollowUpList
from ui.tickets.intake_dialog import IntakeDialog
from ui.tickets.ticket_list_page import TicketListPage
from ui.tickets.ticket_settings_panel import TicketSettingsPanel


class TicketsArea(QTabWidget):
    """`merchantOpened` and `terminalOpened` (a uuid.UUID each) ask the main window to show one."""

    merchantOpened = Signal(object)
    terminalOpened = Signal(object)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketsArea")
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(False)
        self.ctx = ctx
        role = ctx.user.role if ctx.user else None
        self.ticket_list = TicketListPage(ctx)
        self._fixed: list[QWidget] = [self.ticket_list]
        self.addTab(self.ticket_list, _("Tickets"))
        self.follow_up_list: FollowUpList | None = None
        if role is not None and allowed(role, Action.FOLLOW_UP):
            self.follow_up_list = FollowUpList(ctx)
            self.addTab(self.follow_up_list, _("Follow-up calls"))
            self._fixed.append(self.follow_up_list)
            self.follow_up_list.ticketOpened.connect(self.open_ticket)
        self.settings_panel: TicketSettingsPanel | None = None
        if role is not None and allowed(role, Action.TICKET_SETTINGS_EDIT):
            self.settings_panel = TicketSettingsPanel(ctx)
            self.addTab(self.settings_panel, _("Settings"))
            self._fixed.append(self.settings_panel)
        # The lists stay; only ticket tabs have a close button.
        for index in range(self.count()):
            self.tabBar().setTabButton(index, QTabBar.ButtonPosition.RightSide, None)
            self.tabBar().setTabButton(index, QTabBar.ButtonPosition.LeftSide, None)
        self.ticket_pages: dict[uuid.UUID, QWidget] = {}

        self.ticket_list.ticketOpened.connect(self.open_ticket)
        self.ticket_list.newTicketRequested.connect(self.new_ticket)
        self.tabCloseRequested.connect(self.close_tab)
        self.new_action = shortcut_action(self, "newTicketAction", _("New ticket"), ["Ctrl+N"], self.new_ticket)
        self.new_action.setEnabled(role is not None and allowed(role, Action.TICKETS_CREATE))
        shortcut_action(self, "closeTicketTabAction", _("Close ticket"), ["Ctrl+W"], self.close_current_ticket)

    # --- tickets in tabs ----------------------------------------------------------------------------

    def open_ticket(self, ticket_id: uuid.UUID) -> QWidget | None:
        """Show the ticket in its own tab (the existing one if it is open); None if it cannot be read."""
        page = self.ticket_pages.get(ticket_id)
        if page is not None:
            self.setCurrentWidget(page)
            page.setFocus()
            return page
        try:
            ticket = tickets.get_ticket(self.ctx, ticket_id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot open the ticket"), str(exc))
            return None
        # Imported here: the ticket page is heavy and only needed once a ticket is opened.
        from ui.tickets.ticket_page import TicketPage

        page = TicketPage(self.ctx, ticket_id)
        self.ticket_pages[ticket_id] = page
        index = self.addTab(page, ticket.ticket_no)
        self.setTabToolTip(index, f"{ticket.ticket_no} · {ticket.merchant_name} · {ticket.serial_no}")
        self._connect(page, "merchantOpened", self.merchantOpened.emit)
        self._connect(page, "terminalOpened", self.terminalOpened.emit)
        self._connect(page, "changed", self.ticket_changed)
        self.setCurrentWidget(page)
        page.setFocus()
        return page

    @staticmethod
    def _connect(page: QWidget, name: str, slot: Any) -> None:
        signal = getattr(page, name, None)
        if signal is not None and hasattr(signal, "connect"):
            signal.connect(slot)

    def ticket_page(self, ticket_id: uuid.UUID) -> QWidget | None:
        return self.ticket_pages.get(ticket_id)

    def ticket_changed(self, *_args: object) -> None:
        """A ticket page saved something: the lists read again (selection kept)."""
        self.ticket_list.reload()
        if self.follow_up_list is not None and self.follow_up_list.isVisible():
            self.follow_up_list.reload()

    def close_tab(self, index: int) -> None:
        page = self.widget(index)
        if page is None or page in self._fixed:
            return
        confirm_close = getattr(page, "confirm_close", None)
        if confirm_close is not None and not confirm_close():
            return  # the person kept the tab to finish or save the work
        for ticket_id, shown in list(self.ticket_pages.items()):
            if shown is page:
                del self.ticket_pages[ticket_id]
        self.removeTab(index)
        page.deleteLater()
        if self.currentWidget() is self.ticket_list:
            self.ticket_list.table.setFocus()

    def close_current_ticket(self) -> None:
        """Ctrl+W: close the ticket in front; the lists themselves stay."""
        if self.currentWidget() not in self._fixed:
            self.close_tab(self.currentIndex())

    # --- intake ---------------------------------------------------------------------------------

    def new_ticket(self) -> None:
        """Intake; the new ticket opens in its own tab and shows in the list."""
        if not self.new_action.isEnabled():
            return
        dialog = IntakeDialog(self.ctx, parent=self)
        if not dialog.exec() or dialog.result_ticket is None:
            return
        ticket = dialog.result_ticket
        self.ticket_list.reload()
        self.ticket_list.select_ticket(ticket.id)
        self.open_ticket(ticket.id)
