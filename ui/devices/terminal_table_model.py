"""Columns of the terminal lists (the registry, a merchant's terminals, outdated firmware)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.i18n import _
from app.models.terminal import TerminalRead, TerminalStatus
from app.rules.terminals import deposit_label, status_label, type_label
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import date_text, money_text

_STATUS_ORDER = {status: i for i, status in enumerate(TerminalStatus)}


def merchant_text(terminal: TerminalRead) -> str:
    if not terminal.merchant_no:
        return ""
    return f"{terminal.merchant_name} ({terminal.merchant_no})"


def deposit_text(terminal: TerminalRead) -> str:
    if not terminal.deposit_fen:
        return deposit_label(terminal.deposit_status)
    return f"{money_text(terminal.deposit_fen)} {deposit_label(terminal.deposit_status)}"


SERIAL_NO = Column[TerminalRead](lambda: _("Serial no. (SN)"), lambda t: t.serial_no)
TERMINAL_NO = Column[TerminalRead](lambda: _("Terminal no."), lambda t: t.terminal_no)
MODEL = Column[TerminalRead](lambda: _("Model"), lambda t: f"{t.brand} {t.model}")
TYPE = Column[TerminalRead](lambda: _("Type"), lambda t: type_label(t.terminal_type))
STATUS = Column[TerminalRead](
    lambda: _("Status"),
    lambda t: status_label(t.status),
    lambda t: _STATUS_ORDER[TerminalStatus(t.status)],
)
MERCHANT = Column[TerminalRead](lambda: _("Merchant"), merchant_text)
ACQUIRER = Column[TerminalRead](lambda: _("Acquirer"), lambda t: t.acquirer)
FIRMWARE = Column[TerminalRead](lambda: _("Firmware"), lambda t: t.firmware_version)
DEPOSIT = Column[TerminalRead](lambda: _("Deposit"), deposit_text, lambda t: t.deposit_fen)
ACTIVATION = Column[TerminalRead](
    lambda: _("Activation date"),
    lambda t: date_text(t.activation_date),
    lambda t: t.activation_date.isoformat() if t.activation_date else "",
)
LOCATION = Column[TerminalRead](lambda: _("Location"), lambda t: t.location)

# The registry list.
COLUMNS: list[Column[TerminalRead]] = [
    SERIAL_NO, TERMINAL_NO, MODEL, TYPE, STATUS, MERCHANT, ACQUIRER, FIRMWARE, DEPOSIT, ACTIVATION,
]
# A merchant's own terminals: the merchant column is the page itself.
MERCHANT_COLUMNS: list[Column[TerminalRead]] = [
    SERIAL_NO, TERMINAL_NO, MODEL, TYPE, STATUS, LOCATION, ACQUIRER, FIRMWARE, DEPOSIT, ACTIVATION,
]


def terminal_table_model(
    fetch_page: Callable[[int, int], tuple[list[TerminalRead], int]],
    columns: Sequence[Column[TerminalRead]] = COLUMNS,
) -> PagedTableModel[TerminalRead]:
    return PagedTableModel(columns, fetch_page)
