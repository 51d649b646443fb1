"""Customers > one merchant: its details, and in tabs its terminals, contacts and history."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import Context
from app.errors import AppError
from app.i18n import N_, _
from app.models.merchant import MerchantContactRead, MerchantRead, MerchantStatus
from app.models.terminal import TerminalFilter, TerminalRead
from app.models.ticket import TicketFilter, TicketRead
from app.rules.merchants import merchant_status_label, risk_label
from app.rules.permissions import Action, allowed
from app.services import merchants, terminals, tickets
from ui.customers.close_merchant_dialog import CloseMerchantDialog
from ui.customers.merchant_dialog import MerchantDialog
from ui.customers.merchant_table_model import region_text
from ui.devices.terminal_table_model import MERCHANT_COLUMNS, terminal_table_model
from ui.shared import dialogs
from ui.shared.formatting import local_datetime
from ui.shared.paged_table_model import Column, ObjectRole, PagedTableModel, SortRole
from ui.shared.widgets import (
    date_text,
    fit_columns,
    list_table,
    push_button,
    shortcut_action,
    value_label,
)
from ui.tickets.ticket_table_model import MERCHANT_COLUMNS as TICKET_COLUMNS
from ui.tickets.ticket_table_model import ticket_table_model

ACTIVATION_COLUMN = 9  # of MERCHANT_COLUMNS: newest terminals first

CONTACT_COLUMNS: list[Column[MerchantContactRead]] = [
    Column(lambda: _("Name"), lambda c: c.name),
    Column(lambda: _("Role"), lambda c: c.role),
    Column(lambda: _("Phone"), lambda c: c.phone),
]

# (objectName, tab title) of the parts of a merchant's history that other areas will fill.
LATER_TABS: list[tuple[str, str]] = [
    ("inspectionsTab", N_("Inspections")),
    ("trainingTab", N_("Training")),
    ("casesTab", N_("Cases")),
    ("complaintsTab", N_("Complaints")),
]


def _later_tab(name: str) -> QWidget:
    tab = QWidget()
    tab.setObjectName(name)
    layout = QVBoxLayout(tab)
    label = QLabel(_("This area is not available yet."))
    label.setObjectName("placeholderText")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    layout.addWidget(label)
    layout.addStretch(1)
    return tab


class MerchantPage(QWidget):
    """Shows the merchant given to `load()`; Esc or Alt+Left asks to go back to the list."""

    backRequested = Signal()
    terminalOpened = Signal(object)  # carries a uuid.UUID
    ticketOpened = Signal(object)  # carries a uuid.UUID
    merchantChanged = Signal(object)  # carries a uuid.UUID

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MerchantPage")
        self.ctx = ctx
        self.merchant: MerchantRead | None = None
        role = ctx.user.role if ctx.user else None
        self.can_edit = role is not None and allowed(role, Action.MERCHANTS_EDIT)

        self.back_button = push_button("backButton", _("← Back to the list"), self.backRequested.emit)
        self.back_button.setToolTip(_("Esc, Alt+Left"))
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("merchantSubtitle")
        self.edit_button = push_button("editMerchantButton", _("Edit…"), self.edit_merchant)
        self.close_button = push_button("closeMerchantButton", _("Close merchant…"), self.close_merchant)
        self.delete_button = push_button("deleteMerchantButton", _("Delete…"), self.delete_merchant)
        self.reload_button = push_button("reloadMerchantButton", _("Reload"), self.reload)
        self.reload_button.setToolTip(_("F5"))
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addSpacing(12)
        header.addWidget(self.title_label)
        header.addSpacing(12)
        header.addWidget(self.subtitle_label)
        header.addStretch(1)
        for button in (self.edit_button, self.close_button, self.delete_button, self.reload_button):
            header.addWidget(button)

        self.values: dict[str, QLabel] = {}
        details = QGroupBox(_("Details"))
        details.setObjectName("merchantDetails")
        columns = QHBoxLayout(details)
        for fields in (
            [
                ("merchant_no", _("Merchant no.")),
                ("legal_name", _("Legal name")),
                ("shop_name", _("Shop name")),
                ("uscc", _("Unified social credit code")),
                ("mcc", _("MCC")),
                ("onboarding_date", _("Onboarding date")),
            ],
            [
                ("legal_rep", _("Legal representative")),
                ("legal_rep_id_no", _("Resident ID no.")),
                ("contact_name", _("Contact person")),
                ("mobile", _("Mobile")),
                ("landline", _("Landline")),
                ("risk_level", _("Risk level")),
            ],
            [
                ("region", _("Region")),
                ("address", _("Address")),
                ("status", _("Status")),
                ("closed", _("Closed")),
                ("notes", _("Notes")),
                ("updated_at", _("Last changed")),
            ],
        ):
            form = QFormLayout()
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
            for key, label in fields:
                self.values[key] = value_label(_camel(key) + "Value")
                form.addRow(label, self.values[key])
            columns.addLayout(form, 1)

        self.terminal_model = terminal_table_model(self._fetch_terminals, MERCHANT_COLUMNS)
        self.terminal_proxy = QSortFilterProxyModel(self)
        self.terminal_proxy.setSourceModel(self.terminal_model)
        self.terminal_proxy.setSortRole(SortRole)
        self.terminal_table = list_table("merchantTerminalTable")
        self.terminal_table.setModel(self.terminal_proxy)
        self.terminal_table.activated.connect(self._terminal_activated)
        self.open_terminal_button = push_button(
            "openTerminalButton", _("Open terminal"), self.open_selected_terminal
        )
        terminals_tab = QWidget()
        terminals_tab.setObjectName("terminalsTab")
        terminals_layout = QVBoxLayout(terminals_tab)
        terminals_buttons = QHBoxLayout()
        terminals_buttons.addWidget(self.open_terminal_button)
        terminals_buttons.addStretch(1)
        terminals_layout.addLayout(terminals_buttons)
        terminals_layout.addWidget(self.terminal_table)

        self._contacts: list[MerchantContactRead] = []
        self.contact_model: PagedTableModel[MerchantContactRead] = PagedTableModel(
            CONTACT_COLUMNS, self._fetch_contacts
        )
        self.contact_table = list_table("contactTable")
        self.contact_table.setModel(self.contact_model)
        contacts_tab = QWidget()
        contacts_tab.setObjectName("contactsTab")
        QVBoxLayout(contacts_tab).addWidget(self.contact_table)

        # The merchant's repair tickets, newest first, lazily paged.
        self.ticket_model = ticket_table_model(self._fetch_tickets, TICKET_COLUMNS)
        self.ticket_table = list_table("merchantTicketTable")
        self.ticket_table.setModel(self.ticket_model)
        self.ticket_table.activated.connect(self._ticket_activated)
        self.open_ticket_button = push_button("openMerchantTicketButton", _("Open ticket"), self.open_selected_ticket)
        self.open_ticket_button.setToolTip(_("Enter"))
        tickets_tab = QWidget()
        tickets_tab.setObjectName("ticketsTab")
        tickets_layout = QVBoxLayout(tickets_tab)
        tickets_buttons = QHBoxLayout()
        tickets_buttons.addWidget(self.open_ticket_button)
        tickets_buttons.addStretch(1)
        tickets_layout.addLayout(tickets_buttons)
        tickets_layout.addWidget(self.ticket_table)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("merchantTabs")
        self.tabs.addTab(terminals_tab, _("Terminals"))
        self.tabs.addTab(contacts_tab, _("Contacts"))
        self.tabs.addTab(tickets_tab, _("Tickets"))
        for name, title in LATER_TABS:
            self.tabs.addTab(_later_tab(name), _(title))

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(details)
        layout.addWidget(self.tabs, 1)

        shortcut_action(self, "backAction", _("Back"), ["Esc", "Alt+Left"], self.backRequested.emit)
        shortcut_action(self, "reloadMerchantAction", _("Reload"), ["F5"], self.reload)
        self._update_buttons()

    # --- loading --------------------------------------------------------------------------------

    def _fetch_terminals(self, offset: int, limit: int) -> tuple[list[TerminalRead], int]:
        if self.merchant is None:
            return [], 0
        page = terminals.list_terminals(
            self.ctx, TerminalFilter(merchant_id=self.merchant.id), offset=offset, limit=limit
        )
        return page.items, page.total

    def _fetch_tickets(self, offset: int, limit: int) -> tuple[list[TicketRead], int]:
        if self.merchant is None:
            return [], 0
        page = tickets.list_tickets(
            self.ctx,
            TicketFilter(merchant_id=self.merchant.id, sort="reported_at", descending=True),
            offset=offset,
            limit=limit,
        )
        return page.items, page.total

    def _fetch_contacts(self, offset: int, limit: int) -> tuple[list[MerchantContactRead], int]:
        return self._contacts[offset : offset + limit], len(self._contacts)

    def load(self, merchant_id: uuid.UUID) -> bool:
        """Show this merchant; False (and a warning) when it cannot be read."""
        try:
            merchant = merchants.get_merchant(self.ctx, merchant_id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot open the merchant"), str(exc))
            return False
        self.show_merchant(merchant)
        return True

    def reload(self) -> None:
        if self.merchant is not None and not self.load(self.merchant.id):
            self.backRequested.emit()

    def show_merchant(self, merchant: MerchantRead) -> None:
        self.merchant = merchant
        self.title_label.setText(merchant.shop_name or merchant.legal_name)
        self.subtitle_label.setText(
            f"{merchant.merchant_no} · {merchant_status_label(merchant.status)} · "
            f"{risk_label(merchant.risk_level)}"
        )
        texts = {
            "region": region_text(merchant),
            "risk_level": risk_label(merchant.risk_level),
            "status": merchant_status_label(merchant.status),
            "onboarding_date": date_text(merchant.onboarding_date),
            "closed": (
                f"{date_text(merchant.closed_on)} {merchant.closed_reason}".strip()
                if merchant.status == MerchantStatus.CLOSED
                else ""
            ),
            "updated_at": local_datetime(merchant.updated_at),
        }
        for key, label in self.values.items():
            text = texts[key] if key in texts else str(getattr(merchant, key) or "")
            label.setText(text or "—")
        self._contacts = list(merchant.contacts)
        try:
            self.terminal_model.reload()
        except AppError as exc:
            dialogs.warn(self, _("Cannot list the terminals"), str(exc))
        self.terminal_proxy.sort(ACTIVATION_COLUMN, Qt.SortOrder.DescendingOrder)
        self.contact_model.reload()
        try:
            self.ticket_model.reload()
        except AppError as exc:
            dialogs.warn(self, _("Cannot list the tickets"), str(exc))
        fit_columns(self.terminal_table)
        fit_columns(self.contact_table)
        fit_columns(self.ticket_table)
        total = self.terminal_model.total()
        self.tabs.setTabText(0, _("Terminals ({n})").format(n=total))
        self.tabs.setTabText(1, _("Contacts ({n})").format(n=len(self._contacts)))
        self.tabs.setTabText(2, _("Tickets ({n})").format(n=self.ticket_model.total()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        merchant = self.merchant
        for button in (self.edit_button, self.close_button, self.delete_button):
            button.setVisible(self.can_edit)
            button.setEnabled(merchant is not None)
        if merchant is not None:
            self.close_button.setEnabled(merchant.status != MerchantStatus.CLOSED)
        self.open_terminal_button.setEnabled(self.terminal_model.rowCount() > 0)
        self.open_ticket_button.setEnabled(self.ticket_model.rowCount() > 0)

    # --- terminals ------------------------------------------------------------------------------

    def terminal_rows(self) -> list[TerminalRead]:
        """The terminals as the tab shows them, newest first."""
        proxy = self.terminal_proxy
        return [proxy.data(proxy.index(row, 0), ObjectRole) for row in range(proxy.rowCount())]

    def _terminal_activated(self, index: QModelIndex) -> None:
        terminal = self.terminal_proxy.data(index.siblingAtColumn(0), ObjectRole)
        if terminal is not None:
            self.terminalOpened.emit(terminal.id)

    def open_selected_terminal(self) -> None:
        rows = self.terminal_table.selectionModel().selectedRows()
        index = rows[0] if rows else self.terminal_proxy.index(0, 0)
        if index.isValid():
            self._terminal_activated(index)

    # --- tickets --------------------------------------------------------------------------------

    def _ticket_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ticketOpened.emit(self.ticket_model.row_object(index.row()).id)

    def open_selected_ticket(self) -> None:
        rows = self.ticket_table.selectionModel().selectedRows()
        index = rows[0] if rows else self.ticket_model.index(0, 0)
        self._ticket_activated(index)

    # --- commands -------------------------------------------------------------------------------

    def edit_merchant(self) -> None:
        if self.merchant is None or not self.can_edit:
            return
        dialog = MerchantDialog(self.ctx, self.merchant, parent=self)
        if dialog.exec():
            self.reload()
            self.merchantChanged.emit(self.merchant.id)

    def close_merchant(self) -> None:
        if self.merchant is None or not self.can_edit:
            return
        dialog = CloseMerchantDialog(self.ctx, self.merchant, parent=self)
        if dialog.exec():
            self.reload()
            self.merchantChanged.emit(self.merchant.id)

    def delete_merchant(self) -> None:
        merchant = self.merchant
        if merchant is None or not self.can_edit:
            return
        question = _(
            "Delete {name} ({no})? Only a merchant entered by mistake, without any history, "
            "can be deleted; this cannot be undone."
        ).format(name=merchant.shop_name or merchant.legal_name, no=merchant.merchant_no)
        if not dialogs.confirm(self, _("Delete merchant"), question):
            return
        try:
            merchants.delete_merchant(self.ctx, merchant.id)
        except AppError as exc:
            dialogs.warn(self, _("Cannot delete"), str(exc))
            return
        self.merchant = None
        self.merchantChanged.emit(merchant.id)
        self.backRequested.emit()


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)
