"""Columns of the catalogue lists: device models, acquirers, firmware releases."""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import _
from app.models.catalogue import AcquirerRead, DeviceModelRead, FirmwareReleaseRead
from app.rules.terminals import type_label
from ui.shared.formatting import yes_no
from ui.shared.paged_table_model import Column, PagedTableModel
from ui.shared.widgets import date_text, money_text

MODEL_COLUMNS: list[Column[DeviceModelRead]] = [
    Column(lambda: _("Brand"), lambda m: m.brand),
    Column(lambda: _("Model"), lambda m: m.model),
    Column(lambda: _("Type"), lambda m: type_label(m.terminal_type)),
    Column(lambda: _("List price"), lambda m: money_text(m.list_price_fen), lambda m: m.list_price_fen),
    Column(lambda: _("Warranty policy"), lambda m: m.warranty_policy_name or _("(no warranty)")),
    Column(lambda: _("Active"), lambda m: yes_no(m.active)),
]

ACQUIRER_COLUMNS: list[Column[AcquirerRead]] = [
    Column(lambda: _("Acquirer"), lambda a: a.name),
    Column(lambda: _("Active"), lambda a: yes_no(a.active)),
]

FIRMWARE_COLUMNS: list[Column[FirmwareReleaseRead]] = [
    Column(lambda: _("Version"), lambda r: r.firmware_version),
    Column(lambda: _("Release date"), lambda r: date_text(r.release_date)),
    Column(lambda: _("Mandatory"), lambda r: yes_no(r.mandatory)),
    Column(lambda: _("Notes"), lambda r: r.notes),
]


def device_model_table_model(
    fetch_page: Callable[[int, int], tuple[list[DeviceModelRead], int]],
) -> PagedTableModel[DeviceModelRead]:
    return PagedTableModel(MODEL_COLUMNS, fetch_page)


def acquirer_table_model(
    fetch_page: Callable[[int, int], tuple[list[AcquirerRead], int]],
) -> PagedTableModel[AcquirerRead]:
    return PagedTableModel(ACQUIRER_COLUMNS, fetch_page)


def firmware_table_model(
    fetch_page: Callable[[int, int], tuple[list[FirmwareReleaseRead], int]],
) -> PagedTableModel[FirmwareReleaseRead]:
    return PagedTableModel(FIRMWARE_COLUMNS, fetch_page)
