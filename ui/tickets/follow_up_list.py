"""Tickets > Follow-up calls: closed tickets whose call to the customer (回访) is due.

The call itself is recorded on the ticket's page; Enter or a double click opens it there.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.context import Context
from app.errors import AppError
from app.i18n import _, ngettext
from app.models.ticket import TicketRead
from app.services import tickets
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import (
    date_text,
    fit_columns,
    list_table,
    push_button,
    shortcut_action,
)
from ui.tickets.ticket_table_model import TICKET_NO, china_time, merchant_text

FOLLOW_UP_COLUMNS: list[Column[TicketRead]] = [
    TICKET_NO,
    Column(lambda: _("Merchant"), merchant_text),
    Column(lambda: _("Contact"), lambda t: t.contact_name),
    Column(lambda: _("Phone"), lambda t: t.contact_phone),
    Column(lambda: _("Closed"), lambda t: china_time(t.closed_at), lambda t: t.closed_at.isoformat() if t.closed_at else ""),
    Column(lambda: _("Call due"), lambda t: date_text(t.follow_up_due)),
]


class FollowUpList(QWidget):
    """`ticketOpened` carries the id of the ticket to call about."""

    ticketOpened = Signal(object)  # carries a uuid.UUID

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FollowUpList")
        self.ctx = ctx
        self.note_label = QLabel(
            _("Closed tickets whose follow-up call is due. Open one to record the call.")
        )
        self.note_label.setObjectName("followUpNote")
        self.note_label.setWordWrap(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("followUpCountLabel")
        self.open_button = push_button("openFollowUpButton", _("Open ticket"), self.open_selected)
        self.open_button.setToolTip(_("Enter"))
        self.model: PagedTableModel[TicketRead] = PagedTableModel(FOLLOW_UP_COLUMNS, self._fetch)
        self.table = list_table("followUpTable")
        self.table.setModel(self.model)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        top = QHBoxLayout()
        top.addWidget(self.note_label, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        shortcut_action(self, "reloadFollowUpsAction", _("Reload"), ["F5"], self.reload)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    def _fetch(self, offset: int, limit: int) -> tuple[list[TicketRead], int]:
        page = tickets.list_follow_ups_due(self.ctx, offset=offset, limit=limit)
        return page.items, page.total

    def reload(self) -> None:
        selected = self.selected_ticket_id()
        try:
            self.model.reload()
        except AppError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        total = self.model.total()
        self.count_label.setText(ngettext("{n} call due", "{n} calls due", total).format(n=total))
        for row in range(self.model.rowCount()):
            if self.model.row_object(row).id == selected:
                self.table.selectRow(row)
        fit_columns(self.table)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        """The list loads as it appears, so it shows what changed meanwhile."""
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    def selected_ticket_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()).id if rows else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected_ticket_id() is not None)

    def _activated(self, index: QModelIndex) -> None:
        self.ticketOpened.emit(self.model.row_object(index.row()).id)

    def open_selected(self) -> None:
        ticket_id = self.selected_ticket_id()
        if ticket_id is not None:
            self.ticketOpened.emit(ticket_id)
        else:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
