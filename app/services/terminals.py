"""The device registry: terminals, binding to merchants, swaps, status changes and the timeline."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, func, select

from app import search_index
from app.context import Context
from app.errors import Conflict, InvalidTransition, NotFound, ValidationError
from app.i18n import _
from app.models.catalogue import Acquirer, DeviceModel
from app.models.merchant import Merchant, MerchantStatus
from app.models.search import SearchKind
from app.models.terminal import (
    Terminal,
    TerminalCreate,
    TerminalEvent,
    TerminalEventKind,
    TerminalEventRead,
    TerminalFilter,
    TerminalPage,
    TerminalRead,
    TerminalStatus,
    TerminalUpdate,
)
from app.models.warranty import WarrantyPolicy
from app.rules.permissions import Action
from app.rules.search import query_tokens
from app.rules.terminals import (
    BINDABLE,
    UNBIND_TARGETS,
    UNBINDABLE,
    status_label,
    transition_problem,
)
from app.rules.validation import (
    FormatError,
    clean_text,
    compact,
    normalize,
    validate_terminal_no,
)
from app.services.base import service
from app.services.warranty import refresh_warranty_ends

MAX_PAGE = 500


# --- reading ---------------------------------------------------------------------------------------


def _read_query() -> Any:
    return (
        select(Terminal, DeviceModel, Acquirer, Merchant)
        .join(DeviceModel, col(DeviceModel.id) == Terminal.model_id)
        .outerjoin(Acquirer, col(Acquirer.id) == Terminal.acquirer_id)
        .outerjoin(Merchant, col(Merchant.id) == Terminal.merchant_id)
    )


def _to_read(row: Any) -> TerminalRead:
    terminal, model, acquirer, merchant = row
    return TerminalRead.model_validate(
        terminal,
        update={
            "brand": model.brand,
            "model": model.model,
            "terminal_type": model.terminal_type,
            "acquirer": acquirer.name if acquirer else "",
            "merchant_name": (merchant.shop_name or merchant.legal_name) if merchant else "",
            "merchant_no": merchant.merchant_no if merchant else "",
        },
    )


def read_terminals(ctx: Context, ids: Sequence[uuid.UUID]) -> list[TerminalRead]:
    """Terminals by id in the given order, with catalogue and holder filled in (one query)."""
    if not ids:
        return []
    rows = ctx.s.exec(_read_query().where(col(Terminal.id).in_(list(ids)))).all()
    by_id = {r[0].id: _to_read(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _get(ctx: Context, terminal_id: uuid.UUID) -> Terminal:
    row = ctx.s.get(Terminal, terminal_id)
    if row is None:
        raise NotFound(_("This terminal does not exist."))
    return row


def _check_version(row: Terminal, expected: int) -> None:
    if row.version != expected:
        raise Conflict(
            _("Terminal {sn} was changed by someone else meanwhile; reload and try again.").format(
                sn=row.serial_no
            )
        )


@service(Action.TERMINALS_VIEW, write=False)
def get_terminal(ctx: Context, terminal_id: uuid.UUID) -> TerminalRead:
    found = read_terminals(ctx, [terminal_id])
    if not found:
        raise NotFound(_("This terminal does not exist."))
    return found[0]


@service(Action.TERMINALS_VIEW, write=False)
def find_terminal_by_serial(ctx: Context, serial_no: str) -> TerminalRead | None:
    """The terminal with exactly this SN (as a scanner types it), or None."""
    serial = compact(serial_no).upper()
    terminal_id = ctx.s.exec(select(Terminal.id).where(Terminal.serial_no == serial)).first()
    return read_terminals(ctx, [terminal_id])[0] if terminal_id else None


def _conditions(filters: TerminalFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status:
        conditions.append(col(Terminal.status) == filters.status)
    if filters.model_id:
        conditions.append(col(Terminal.model_id) == filters.model_id)
    if filters.acquirer_id:
        conditions.append(col(Terminal.acquirer_id) == filters.acquirer_id)
    if filters.deposit_status:
        conditions.append(col(Terminal.deposit_status) == filters.deposit_status)
    if filters.merchant_id:
        conditions.append(col(Terminal.merchant_id) == filters.merchant_id)
    text = compact(filters.text).upper()
    query = query_tokens(text)
    if query:  # SN and terminal no. prefixes: the search index
        conditions.append(search_index.matches(Terminal.id, SearchKind.TERMINAL, query))
    elif text:  # one letter or digit is too short for the index
        conditions.append(
            or_(col(Terminal.serial_no).startswith(text), col(Terminal.terminal_no).startswith(text))
        )
    return conditions


@service(Action.TERMINALS_VIEW, write=False)
def list_terminals(
    ctx: Context, filters: TerminalFilter, *, offset: int = 0, limit: int = 200
) -> TerminalPage:
    """A page of terminals in SN order, with the total that match."""
    conditions = _conditions(filters)
    total = ctx.s.exec(select(func.count()).select_from(Terminal).where(*conditions)).one()
    ids = ctx.s.exec(
        select(Terminal.id)
        .where(*conditions)
        .order_by(col(Terminal.serial_no))
        .offset(max(0, offset))
        .limit(max(1, min(limit, MAX_PAGE)))
    ).all()
    return TerminalPage(items=read_terminals(ctx, list(ids)), total=int(total))


@service(Action.TERMINALS_VIEW, write=False)
def terminal_timeline(ctx: Context, terminal_id: uuid.UUID) -> list[TerminalEventRead]:
    """Every event in the terminal's life, newest first."""
    _get(ctx, terminal_id)
    query = (
        select(TerminalEvent)
        .where(TerminalEvent.terminal_id == terminal_id)
        .order_by(col(TerminalEvent.at).desc(), col(TerminalEvent.id).desc())
    )
    return [TerminalEventRead.model_validate(e) for e in ctx.s.exec(query)]


# --- writing ---------------------------------------------------------------------------------------


def record_event(
    ctx: Context,
    terminal: Terminal,
    kind: TerminalEventKind | str,
    summary: str,
    **details: Any,
) -> None:
    """Add one line to a terminal's timeline (other areas call this too: repairs, inspections)."""
    user = ctx.user
    ctx.s.add(
        TerminalEvent(
            terminal_id=terminal.id,
            at=ctx.now(),
            kind=str(kind),
            user_id=user.id if user else None,
            username=user.display_name if user else "",
            merchant_id=terminal.merchant_id,
            summary=summary,
            details={k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in details.items()},
            branch_id=terminal.branch_id,
        )
    )


def _check_fields(ctx: Context, data: dict[str, Any], own_id: uuid.UUID | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "serial_no" in data:
        data["serial_no"] = compact(data["serial_no"] or "").upper()
        if not data["serial_no"]:
            errors["serial_no"] = _("Please enter the serial number (SN).")
        elif len(data["serial_no"]) > 40 or not data["serial_no"].replace("-", "").isalnum():
            errors["serial_no"] = _("A serial number has up to 40 letters and digits.")
        else:
            taken = ctx.s.exec(select(Terminal.id).where(Terminal.serial_no == data["serial_no"])).first()
            if taken is not None and taken != own_id:
                errors["serial_no"] = _("Serial number {sn} is already registered.").format(
                    sn=data["serial_no"]
                )
    if data.get("terminal_no"):
        try:
            data["terminal_no"] = validate_terminal_no(data["terminal_no"])
        except FormatError as exc:
            errors["terminal_no"] = exc.reason
    if "model_id" in data and ctx.s.get(DeviceModel, data["model_id"]) is None:
        errors["model_id"] = _("Please choose a model from the catalogue.")
    if data.get("warranty_policy_id") and ctx.s.get(WarrantyPolicy, data["warranty_policy_id"]) is None:
        errors["warranty_policy_id"] = _("Please choose a warranty policy from the list.")
    if data.get("acquirer_id") and ctx.s.get(Acquirer, data["acquirer_id"]) is None:
        errors["acquirer_id"] = _("Please choose an acquirer from the list.")
    if data.get("sim_iccid"):
        data["sim_iccid"] = compact(data["sim_iccid"]).upper()
        if not (19 <= len(data["sim_iccid"]) <= 20 and data["sim_iccid"][:-1].isdigit()):
            errors["sim_iccid"] = _("A SIM ICCID has 19 or 20 characters starting with 89.")
    if data.get("firmware_version") is not None:
        data["firmware_version"] = normalize(data["firmware_version"])
    for field in ("location", "notes"):
        if field in data and data[field] is not None:
            data[field] = clean_text(data[field])
    if data.get("deposit_fen") is not None and data["deposit_fen"] < 0:
        errors["deposit_fen"] = _("The deposit cannot be negative.")
    purchase, activation = data.get("purchase_date"), data.get("activation_date")
    if purchase and activation and activation < purchase:
        errors["activation_date"] = _("The activation date is before the purchase date.")
    if errors:
        raise ValidationError(errors)
    return data


@service(Action.TERMINALS_EDIT, write=True)
def create_terminal(ctx: Context, data: TerminalCreate) -> TerminalRead:
    """Register a terminal; it starts in stock."""
    fields = _check_fields(ctx, data.model_dump(), None)
    row = Terminal.model_validate(fields, update={"branch_id": ctx.user.branch_id if ctx.user else None})
    ctx.s.add(row)
    ctx.s.flush()
    record_event(ctx, row, TerminalEventKind.CREATED, _("Registered in stock."))
    ctx.s.flush()
    refresh_warranty_ends(ctx, terminal_ids=[row.id])
    return read_terminals(ctx, [row.id])[0]


@service(Action.TERMINALS_EDIT, write=True)
def update_terminal(ctx: Context, terminal_id: uuid.UUID, data: TerminalUpdate) -> TerminalRead:
    row = _get(ctx, terminal_id)
    _check_version(row, data.expected_version)
    patch = data.model_dump(exclude_unset=True, exclude={"expected_version"})
    merged = {"purchase_date": row.purchase_date, "activation_date": row.activation_date} | patch
    patch = {k: v for k, v in _check_fields(ctx, merged, row.id).items() if k in patch}
    old_firmware = row.firmware_version
    changed = [k for k, v in patch.items() if getattr(row, k) != v]
    for key, value in patch.items():
        setattr(row, key, value)
    ctx.s.add(row)
    if "firmware_version" in changed:
        record_event(
            ctx,
            row,
            TerminalEventKind.FIRMWARE_CHANGED,
            _("Firmware {old} → {new}.").format(old=old_firmware or "-", new=row.firmware_version),
            old=old_firmware,
            new=row.firmware_version,
        )
        changed.remove("firmware_version")
    if changed:
        record_event(ctx, row, TerminalEventKind.EDITED, _("Details edited."), fields=changed)
    ctx.s.flush()
    if {"purchase_date", "activation_date", "model_id", "warranty_policy_id"} & set(changed):
        refresh_warranty_ends(ctx, terminal_ids=[row.id])
    return read_terminals(ctx, [row.id])[0]


def _merchant_for_binding(ctx: Context, merchant_id: uuid.UUID) -> Merchant:
    merchant = ctx.s.get(Merchant, merchant_id)
    if merchant is None:
        raise NotFound(_("This merchant does not exist."))
    if merchant.status != MerchantStatus.ACTIVE:
        raise InvalidTransition(
            _("Merchant {name} is not active; terminals can only be bound to active merchants.").format(
                name=merchant.shop_name or merchant.legal_name
            )
        )
    return merchant


@service(Action.TERMINALS_EDIT, write=True)
def bind_terminal(
    ctx: Context,
    terminal_id: uuid.UUID,
    merchant_id: uuid.UUID,
    *,
    expected_version: int,
    location: str = "",
) -> TerminalRead:
    """Hand a terminal in stock to a merchant: it becomes deployed."""
    row = _get(ctx, terminal_id)
    _check_version(row, expected_version)
    if row.status not in BINDABLE:
        raise InvalidTransition(
            _("Only a terminal in stock can be bound; {sn} is {status}.").format(
                sn=row.serial_no, status=status_label(row.status)
            )
        )
    merchant = _merchant_for_binding(ctx, merchant_id)
    row.merchant_id = merchant.id
    row.status = TerminalStatus.DEPLOYED
    row.location = clean_text(location) or row.location
    if row.activation_date is None:
        row.activation_date = ctx.now().astimezone().date()
    ctx.s.add(row)
    record_event(
        ctx,
        row,
        TerminalEventKind.BOUND,
        _("Bound to {merchant} ({no}).").format(
            merchant=merchant.shop_name or merchant.legal_name, no=merchant.merchant_no
        ),
        merchant_no=merchant.merchant_no,
    )
    ctx.s.flush()
    return read_terminals(ctx, [row.id])[0]


@service(Action.TERMINALS_EDIT, write=True)
def unbind_terminal(
    ctx: Context,
    terminal_id: uuid.UUID,
    *,
    expected_version: int,
    reason: str,
    to_status: TerminalStatus = TerminalStatus.IN_STOCK,
) -> TerminalRead:
    """Take a terminal back from its merchant, into stock or as returned."""
    row = _get(ctx, terminal_id)
    _check_version(row, expected_version)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError.single("reason", _("Please give the reason."))
    if row.merchant_id is None or row.status not in UNBINDABLE:
        raise InvalidTransition(_("Terminal {sn} is not bound to a merchant.").format(sn=row.serial_no))
    if to_status not in UNBIND_TARGETS:
        raise InvalidTransition(_("An unbound terminal goes back to stock or is marked returned."))
    merchant = ctx.s.get(Merchant, row.merchant_id)
    record_event(
        ctx,
        row,
        TerminalEventKind.UNBOUND,
        _("Unbound from {merchant}: {reason}").format(
            merchant=(merchant.shop_name or merchant.legal_name) if merchant else "-", reason=reason
        ),
        reason=reason,
        merchant_no=merchant.merchant_no if merchant else "",
    )
    row.merchant_id = None
    row.status = to_status
    row.location = ""
    ctx.s.add(row)
    ctx.s.flush()
    return read_terminals(ctx, [row.id])[0]


@service(Action.TERMINALS_EDIT, write=True)
def swap_terminal(
    ctx: Context,
    old_id: uuid.UUID,
    new_serial_no: str,
    *,
    expected_version: int,
    reason: str,
    old_to_status: TerminalStatus = TerminalStatus.IN_REPAIR,
) -> tuple[TerminalRead, TerminalRead]:
    """Replace a merchant's terminal with one from stock; both record the other's SN."""
    old = _get(ctx, old_id)
    _check_version(old, expected_version)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError.single("reason", _("Please give the reason."))
    if old.merchant_id is None:
        raise InvalidTransition(_("Terminal {sn} is not bound to a merchant.").format(sn=old.serial_no))
    serial = compact(new_serial_no).upper()
    new = ctx.s.exec(select(Terminal).where(Terminal.serial_no == serial)).first()
    if new is None:
        raise ValidationError.single(
            "new_serial_no", _("There is no terminal with serial number {sn}.").format(sn=serial)
        )
    if new.id == old.id or new.status not in BINDABLE:
        raise ValidationError.single(
            "new_serial_no",
            _("The replacement must be a terminal in stock; {sn} is {status}.").format(
                sn=new.serial_no, status=status_label(new.status)
            ),
        )
    if old_to_status not in (TerminalStatus.IN_REPAIR, TerminalStatus.IN_STOCK, TerminalStatus.RETURNED):
        raise InvalidTransition(_("A swapped-out terminal goes to repair, stock or returned."))
    merchant = _merchant_for_binding(ctx, old.merchant_id)
    new.merchant_id, new.status = merchant.id, TerminalStatus.DEPLOYED
    new.location = old.location
    new.replaces_serial_no = old.serial_no
    if new.activation_date is None:
        new.activation_date = ctx.now().astimezone().date()
    old.replaced_by_serial_no = new.serial_no
    details = {"old": old.serial_no, "new": new.serial_no, "reason": reason}
    summary = _("Swapped: {old} replaced by {new} ({reason}).").format(
        old=old.serial_no, new=new.serial_no, reason=reason
    )
    record_event(ctx, old, TerminalEventKind.SWAPPED, summary, **details)
    record_event(ctx, new, TerminalEventKind.SWAPPED, summary, **details)
    old.merchant_id, old.status, old.location = None, old_to_status, ""
    ctx.s.add_all([old, new])
    ctx.s.flush()
    old_read, new_read = read_terminals(ctx, [old.id, new.id])
    return old_read, new_read


@service(Action.TERMINALS_EDIT, write=True)
def change_terminal_status(
    ctx: Context,
    terminal_id: uuid.UUID,
    target: TerminalStatus,
    *,
    expected_version: int,
    reason: str = "",
) -> TerminalRead:
    """A status change the transition table allows (repair, suspension, loss, scrapping ...)."""
    row = _get(ctx, terminal_id)
    _check_version(row, expected_version)
    problem = transition_problem(TerminalStatus(row.status), target)
    if problem:
        raise InvalidTransition(problem)
    old = row.status
    row.status = target
    ctx.s.add(row)
    summary = _("Status {old} → {new}.").format(old=status_label(old), new=status_label(target))
    if reason:
        summary += " " + clean_text(reason)
    record_event(
        ctx, row, TerminalEventKind.STATUS_CHANGED, summary, old=str(old), new=str(target), reason=reason
    )
    ctx.s.flush()
    return read_terminals(ctx, [row.id])[0]
