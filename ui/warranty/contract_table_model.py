"""Columns of the service contract list."""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import _
from app.models.warranty import ContractStatus, ServiceContractRead
from app.rules.coverage import contract_status_label
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import date_text, money_text

NUMBER, MERCHANT, START, END, STATUS, SLA, TERMINALS, FEE = range(8)

_STATUS_ORDER = {status: i for i, status in enumerate(ContractStatus)}


def merchant_text(contract: ServiceContractRead) -> str:
    if not contract.merchant_no:
        return contract.merchant_name
    return f"{contract.merchant_name} ({contract.merchant_no})"


def sla_text(contract: ServiceContractRead) -> str:
    """"4 h / 24 h": the response and the resolution target."""
    return _("{response} h / {resolution} h").format(
        response=contract.response_hours, resolution=contract.resolution_hours
    )


def terminals_text(contract: ServiceContractRead) -> str:
    if contract.all_terminals:
        return _("all")
    return str(len(contract.terminal_ids))


COLUMNS: list[Column[ServiceContractRead]] = [
    Column(lambda: _("Contract no."), lambda c: c.contract_no),
    Column(lambda: _("Merchant"), merchant_text),
    Column(lambda: _("Start"), lambda c: date_text(c.start_date)),
    Column(lambda: _("End"), lambda c: date_text(c.end_date)),
    Column(
        lambda: _("Status"),
        lambda c: contract_status_label(c.status),
        lambda c: _STATUS_ORDER[ContractStatus(c.status)],
    ),
    Column(
        lambda: _("Response / resolution"),
        sla_text,
        lambda c: (c.response_hours, c.resolution_hours),
    ),
    Column(
        lambda: _("Terminals"),
        terminals_text,
        lambda c: -1 if c.all_terminals else len(c.terminal_ids),
    ),
    Column(lambda: _("Fee"), lambda c: money_text(c.fee_fen), lambda c: c.fee_fen),
]


def contract_table_model(
    fetch_page: Callable[[int, int], tuple[list[ServiceContractRead], int]],
) -> PagedTableModel[ServiceContractRead]:
    return PagedTableModel(COLUMNS, fetch_page)
