"""Export the merchant or terminal list, with its filters, to XLSX or CSV.

Rows come from the list services page by page inside one read transaction, so personal data is
masked exactly as the list shows it to this role. Headers and coded values are written in the
current language; every text cell is neutralised so that Excel never runs it as a formula. The
columns are the import's columns, so an exported file can be edited and imported again.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.context import Context
from app.errors import AppError
from app.i18n import _
from app.models.imports import ImportKind
from app.models.merchant import MerchantFilter
from app.models.terminal import TerminalFilter
from app.models.warranty import ContractFilter, ExpiringPage
from app.rules import tabular
from app.rules.coverage import contract_status_label
from app.rules.permissions import Action
from app.rules.tabular import Column, ValueKind
from app.services import merchants as merchant_service
from app.services import terminals as terminal_service
from app.services import warranty as warranty_service
from app.services.base import checked

PAGE_SIZE = 500
SUFFIXES = (".xlsx", ".csv")


def _cell(column: Column, value: Any) -> Any:
    """A record value as the export writes it: labels for codes, yuan for fen."""
    if value is None or value == "":
        return None
    if column.kind == ValueKind.MONEY:
        return tabular.fen_to_yuan(int(value))
    if column.kind in (
        ValueKind.RISK,
        ValueKind.MERCHANT_STATUS,
        ValueKind.DEPOSIT_STATUS,
        ValueKind.TERMINAL_STATUS,
        ValueKind.TERMINAL_TYPE,
    ):
        return tabular.choice_label(column.kind, str(value))
    if isinstance(value, date):
        return value
    return str(value)


def _merchant_rows(
    ctx: Context, filters: MerchantFilter, columns: Sequence[Column]
) -> Iterator[list[Any]]:
    offset = 0
    while True:
        page = merchant_service.list_merchants(ctx, filters, offset=offset, limit=PAGE_SIZE)
        for merchant in page.items:
            yield [_cell(c, getattr(merchant, c.field)) for c in columns]
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


def _terminal_rows(
    ctx: Context, filters: TerminalFilter, columns: Sequence[Column]
) -> Iterator[list[Any]]:
    offset = 0
    while True:
        page = terminal_service.list_terminals(ctx, filters, offset=offset, limit=PAGE_SIZE)
        for terminal in page.items:
            values = terminal.model_dump()
            values["acquirer"], values["merchant_name"] = terminal.acquirer, terminal.merchant_name
            yield [_cell(c, values.get(c.field)) for c in columns]
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


def _remove(path: Path) -> None:
    """Delete a half-written file, if there is one."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


# --- writing --------------------------------------------------------------------------------------


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(tabular.neutralise(value))


def _write_csv(
    path: Path, _title: str, columns: Sequence[Column], rows: Iterator[list[Any]]
) -> int:
    count = 0
    # UTF-8 with BOM: Excel on a Chinese Windows opens it as UTF-8 instead of GBK.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([c.header() for c in columns])
        for row in rows:
            writer.writerow([_csv_text(v) for v in row])
            count += 1
    return count


def _write_xlsx(
    path: Path, title: str, columns: Sequence[Column], rows: Iterator[list[Any]]
) -> int:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header())
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    def cell_of(value: Any) -> Any:
        if isinstance(value, Decimal):
            money = WriteOnlyCell(sheet, value=value)
            money.number_format = "0.00"
            return money
        if isinstance(value, date):
            day = WriteOnlyCell(sheet, value=value)
            day.number_format = "yyyy-mm-dd"
            return day
        if isinstance(value, str):
            # openpyxl would store "=..." as a formula; control characters are not allowed in XML.
            return tabular.neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
        return value

    count = 0
    for row in rows:
        sheet.append([cell_of(v) for v in row])
        count += 1
    workbook.save(path)
    return count


def _export(
    ctx: Context,
    path: Path | str,
    title: str,
    columns: Sequence[Column],
    rows: Callable[[Context], Iterator[list[Any]]],
) -> int:
    """Write the file in one read transaction, through a temporary file; returns the row count."""
    target = Path(path).expanduser()
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        raise AppError(_("Export to a file ending in .xlsx or .csv."))
    writer = _write_xlsx if suffix == ".xlsx" else _write_csv
    tmp = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        count: int = ctx.db.run(
            lambda session: writer(tmp, title, columns, rows(ctx.with_session(session))),
            write=False,
        )
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise AppError(
            _(
                "Cannot write {path} ({reason}); if it is open in Excel, close it and try again."
            ).format(path=target, reason=exc.strerror or exc)
        ) from exc
    except BaseException:
        _remove(tmp)
        raise
    return count


@checked(Action.DATA_EXPORT)
def export_merchants(ctx: Context, filters: MerchantFilter, path: Path | str) -> int:
    """Write the merchants the list shows with these filters to .xlsx or .csv; returns the count."""
    columns = tabular.export_columns(ImportKind.MERCHANTS)
    return _export(
        ctx, path, _("Merchants"), columns, lambda c: _merchant_rows(c, filters, columns)
    )


@checked(Action.DATA_EXPORT)
def export_terminals(ctx: Context, filters: TerminalFilter, path: Path | str) -> int:
    """Write the terminals the list shows with these filters to .xlsx or .csv; returns the count."""
    columns = tabular.export_columns(ImportKind.TERMINALS)
    return _export(
        ctx, path, _("Terminals"), columns, lambda c: _terminal_rows(c, filters, columns)
    )


# --- the warranty area's lists --------------------------------------------------------------------


def _expiring_rows(
    fetch: Callable[[int, int], ExpiringPage], columns: Sequence[Column]
) -> Iterator[list[Any]]:
    offset = 0
    while True:
        page = fetch(offset, PAGE_SIZE)
        for item in page.items:
            values = item.model_dump()
            yield [_cell(c, values.get(c.field)) for c in columns]
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


def _number_or_cell(column: Column, value: Any) -> Any:
    """Whole numbers (hours) stay numbers, so that a spreadsheet can sort and sum them."""
    if isinstance(value, int) and not isinstance(value, bool) and column.kind == ValueKind.TEXT:
        return value
    return _cell(column, value)


def _contract_rows(ctx: Context, days: int, columns: Sequence[Column]) -> Iterator[list[Any]]:
    filters = ContractFilter(ending_within_days=days)
    offset = 0
    while True:
        page = warranty_service.list_contracts(ctx, filters, offset=offset, limit=PAGE_SIZE)
        for contract in page.items:
            values = contract.model_dump()
            values["status"] = contract_status_label(contract.status)
            values["terminals"] = (
                _("all") if contract.all_terminals else str(len(contract.terminal_ids))
            )
            yield [_number_or_cell(c, values.get(c.field)) for c in columns]
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


@checked(Action.DATA_EXPORT)
def export_expiring_warranties(ctx: Context, days: int, path: Path | str) -> int:
    """Write the terminals whose warranty ends within `days` days to .xlsx or .csv; returns the count."""
    columns = tabular.EXPIRING_TERMINAL_COLUMNS
    return _export(
        ctx,
        path,
        _("Warranties ending soon"),
        columns,
        lambda c: _expiring_rows(
            lambda offset, limit: warranty_service.list_expiring_warranties(
                c, days, offset=offset, limit=limit
            ),
            columns,
        ),
    )


@checked(Action.DATA_EXPORT)
def export_expiring_contracts(ctx: Context, days: int, path: Path | str) -> int:
    """Write the active contracts ending within `days` days to .xlsx or .csv; returns the count."""
    columns = tabular.EXPIRING_CONTRACT_COLUMNS
    return _export(
        ctx, path, _("Contracts ending soon"), columns, lambda c: _contract_rows(c, days, columns)
    )


@checked(Action.DATA_EXPORT)
def export_uncovered_terminals(ctx: Context, path: Path | str) -> int:
    """Write the terminals out of warranty with no contract to .xlsx or .csv; returns the count."""
    columns = tabular.EXPIRING_TERMINAL_COLUMNS
    return _export(
        ctx,
        path,
        _("Out of warranty, no contract"),
        columns,
        lambda c: _expiring_rows(
            lambda offset, limit: warranty_service.list_uncovered_terminals(
                c, offset=offset, limit=limit
            ),
            columns,
        ),
    )
