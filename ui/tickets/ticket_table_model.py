"""Columns of the ticket lists, with the SLA column coloured by how much time is left."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.i18n import _
from app.models.ticket import Priority, SlaState, TicketRead, TicketStatus
from app.rules.tickets import hours_text, priority_label, sla_label, status_label
from app.rules.workcal import CHINA_TZ
from ui.shared.paged_table_model import Column, PagedTableModel

# (background, text) per SLA state, chosen to stay readable on a white table.
SLA_COLOURS: dict[SlaState, tuple[str, str]] = {
    SlaState.LATE: ("#ffebe9", "#a40e26"),
    SlaState.DUE_SOON: ("#fff8c5", "#7d4e00"),
    SlaState.ON_TIME: ("#dafbe1", "#116329"),
    SlaState.MET: ("#f6f8fa", "#57606a"),
    SlaState.MISSED: ("#f6f8fa", "#57606a"),
    SlaState.STOPPED: ("#f6f8fa", "#57606a"),
}
_STATUS_ORDER = {status: i for i, status in enumerate(TicketStatus)}
_PRIORITY_ORDER = {priority: i for i, priority in enumerate(Priority)}


def china_time(value: datetime | None) -> str:
    """Due times are China time whatever the PC's zone: the SLA runs on China's calendar."""
    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


def merchant_text(ticket: TicketRead) -> str:
    if not ticket.merchant_no:
        return ticket.merchant_name
    return f"{ticket.merchant_name} ({ticket.merchant_no})"


def sla_text(ticket: TicketRead) -> str:
    """"3 h 20 min left" / "1 h 5 min late" while the clock runs, else the state in words."""
    hours = ticket.sla_hours_left
    if hours is None:
        return sla_label(ticket.sla_state)
    if ticket.sla_state == SlaState.LATE:
        # Late outside working hours counts no minutes yet: say "late", never "0 min left".
        text = hours_text(-abs(hours)) if abs(hours) >= 1 / 60 else sla_label(SlaState.LATE)
    else:
        text = hours_text(hours)
    if ticket.paused:
        text += " " + _("(paused)")
    return text


def sla_tooltip(ticket: TicketRead) -> str:
    state = sla_label(ticket.sla_state)
    if ticket.sla_due is None:
        return state
    if ticket.responded_at is None and ticket.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        target = _("Response due {time} (China time)")
    else:
        target = _("Resolution due {time} (China time)")
    return target.format(time=china_time(ticket.sla_due)) + " · " + state


TICKET_NO = Column[TicketRead](lambda: _("Ticket no."), lambda t: t.ticket_no)
STATUS = Column[TicketRead](
    lambda: _("Status"), lambda t: status_label(t.status), lambda t: _STATUS_ORDER[TicketStatus(t.status)]
)
PRIORITY = Column[TicketRead](
    lambda: _("Priority"), lambda t: priority_label(t.priority), lambda t: _PRIORITY_ORDER[Priority(t.priority)]
)
MERCHANT = Column[TicketRead](lambda: _("Merchant"), lambda t: t.merchant_name)
SERIAL_NO = Column[TicketRead](lambda: _("SN"), lambda t: t.serial_no)
FAULT = Column[TicketRead](lambda: _("Fault"), lambda t: t.fault_label)
TECHNICIAN = Column[TicketRead](lambda: _("Technician"), lambda t: t.assignee_name)
REPORTED = Column[TicketRead](
    lambda: _("Reported"), lambda t: china_time(t.reported_at), lambda t: t.reported_at.isoformat()
)
DUE = Column[TicketRead](
    lambda: _("Due"), lambda t: china_time(t.sla_due), lambda t: t.sla_due.isoformat() if t.sla_due else ""
)
SLA = Column[TicketRead](
    lambda: _("SLA"), sla_text, lambda t: t.sla_hours_left if t.sla_hours_left is not None else float("inf")
)

# The ticket list of the Tickets area: what decides the next job (state, urgency, time left) first,
# so it stays in sight on a narrow screen.
COLUMNS: list[Column[TicketRead]] = [
    TICKET_NO, STATUS, PRIORITY, SLA, DUE, MERCHANT, SERIAL_NO, FAULT, TECHNICIAN, REPORTED,
]
# A merchant's own tickets: the merchant column is the page itself.
MERCHANT_COLUMNS: list[Column[TicketRead]] = [
    TICKET_NO, STATUS, PRIORITY, SLA, DUE, SERIAL_NO, FAULT, TECHNICIAN, REPORTED,
]
# TicketFilter.sort for the columns the service can sort by.
SORT_KEYS: dict[int, str] = {
    id(TICKET_NO): "ticket_no",
    id(STATUS): "status",
    id(PRIORITY): "priority",
    id(REPORTED): "reported_at",
    id(DUE): "due",
}

Index = QModelIndex | QPersistentModelIndex


class TicketTableModel(PagedTableModel[TicketRead]):
    """The paged ticket list; the SLA cell is coloured by `sla_state` and explains itself on hover."""

    def __init__(
        self,
        columns: Sequence[Column[TicketRead]],
        fetch_page: Callable[[int, int], tuple[list[TicketRead], int]],
        parent: Any = None,
    ) -> None:
        super().__init__(columns, fetch_page, parent)
        self.columns = list(columns)
        self.sla_column = self.columns.index(SLA) if SLA in self.columns else -1
        self.merchant_column = self.columns.index(MERCHANT) if MERCHANT in self.columns else -1

    def sort_key_of(self, column: int) -> str | None:
        """The TicketFilter.sort for a column, or None when the service cannot sort by it."""
        if 0 <= column < len(self.columns):
            return SORT_KEYS.get(id(self.columns[column]))
        return None

    def column_of(self, sort_key: str) -> int:
        for column in range(len(self.columns)):
            if self.sort_key_of(column) == sort_key:
                return column
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return super().data(index, role)
        if index.column() == self.merchant_column and role == Qt.ItemDataRole.ToolTipRole:
            return merchant_text(self.row_object(index.row()))
        if index.column() != self.sla_column:
            return super().data(index, role)
        ticket = self.row_object(index.row())
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(SLA_COLOURS[SlaState(ticket.sla_state)][0]))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(SLA_COLOURS[SlaState(ticket.sla_state)][1]))
        if role == Qt.ItemDataRole.ToolTipRole:
            return sla_tooltip(ticket)
        return super().data(index, role)

    def refresh(self) -> None:
        """Tell the views every cell may read differently now (the language or the minute changed)."""
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))


def ticket_table_model(
    fetch_page: Callable[[int, int], tuple[list[TicketRead], int]],
    columns: Sequence[Column[TicketRead]] = COLUMNS,
) -> TicketTableModel:
    return TicketTableModel(columns, fetch_page)
