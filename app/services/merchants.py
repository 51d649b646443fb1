"""The customer archive: merchants (商户) and their contacts."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import col, delete, func, select

from app import search_index
from app.context import Context
from app.errors import Conflict, InvalidTransition, NotFound, ValidationError
from app.i18n import _, ngettext
from app.models.merchant import (
    Merchant,
    MerchantContact,
    MerchantContactBase,
    MerchantContactRead,
    MerchantCreate,
    MerchantFilter,
    MerchantPage,
    MerchantRead,
    MerchantStatus,
    MerchantUpdate,
)
from app.models.search import SearchKind
from app.models.terminal import Terminal, TerminalEvent
from app.rules.permissions import Action, allowed
from app.rules.search import query_tokens
from app.rules.validation import (
    FormatError,
    clean_text,
    mask_id,
    mask_phone,
    normalize,
    validate_landline,
    validate_merchant_no,
    validate_mobile,
    validate_phone,
    validate_resident_id,
    validate_uscc,
)
from app.services.base import service

MAX_PAGE = 500
TEXT_FIELDS = (
    "legal_name", "shop_name", "legal_rep", "contact_name", "province", "city", "district",
    "address", "notes",
)


def may_see_personal_data(ctx: Context) -> bool:
    return ctx.user is not None and allowed(ctx.user.role, Action.PERSONAL_DATA_VIEW)


def _to_read(ctx: Context, row: Merchant, contacts: list[MerchantContact] | None = None) -> MerchantRead:
    read = MerchantRead.model_validate(
        row, update={"contacts": [MerchantContactRead.model_validate(c) for c in contacts or []]}
    )
    if may_see_personal_data(ctx):
        return read
    return read.model_copy(
        update={
            "legal_rep_id_no": mask_id(read.legal_rep_id_no),
            "mobile": mask_phone(read.mobile),
            "landline": mask_phone(read.landline),
            "contacts": [
                c.model_copy(update={"phone": mask_phone(c.phone)}) for c in read.contacts
            ],
            "masked": True,
        }
    )


def _check(ctx: Context, data: dict[str, Any], own_id: uuid.UUID | None) -> dict[str, Any]:
    """Normalise and validate merchant fields; raises one ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    for field in TEXT_FIELDS:
        if field in data and data[field] is not None:
            data[field] = clean_text(data[field])
    if data.get("mcc") is not None:
        data["mcc"] = normalize(data["mcc"])
    validators = {
        "merchant_no": validate_merchant_no,
        "uscc": validate_uscc,
        "legal_rep_id_no": validate_resident_id,
        "mobile": validate_mobile,
        "landline": validate_landline,
    }
    for field, validate in validators.items():
        value = data.get(field)
        if value:
            try:
                data[field] = validate(value)
            except FormatError as exc:
                errors[field] = exc.reason
    if "merchant_no" in data and not data["merchant_no"] and "merchant_no" not in errors:
        errors["merchant_no"] = _("Please enter the merchant no.")
    if "legal_name" in data and not data["legal_name"]:
        errors["legal_name"] = _("Please enter the legal name.")
    if data.get("merchant_no") and "merchant_no" not in errors:
        taken = ctx.s.exec(select(Merchant.id).where(Merchant.merchant_no == data["merchant_no"])).first()
        if taken is not None and taken != own_id:
            errors["merchant_no"] = _("Merchant no. {no} is already registered.").format(
                no=data["merchant_no"]
            )
    contacts = data.get("contacts")
    if contacts is not None:
        checked = []
        for i, contact in enumerate(contacts, start=1):
            # exclude_unset dumps of an update leave defaults out: fill them in again
            full = MerchantContactBase.model_validate(contact).model_dump()
            item = {k: clean_text(v or "") for k, v in full.items()}
            if not item["name"]:
                errors["contacts"] = _("Contact {n} has no name.").format(n=i)
            if item["phone"]:
                try:
                    item["phone"] = validate_phone(item["phone"])
                except FormatError as exc:
                    errors["contacts"] = _("Contact {n}: {reason}").format(n=i, reason=exc.reason)
            checked.append(item)
        data["contacts"] = checked
    if errors:
        raise ValidationError(errors)
    return data


def _get(ctx: Context, merchant_id: uuid.UUID) -> Merchant:
    row = ctx.s.get(Merchant, merchant_id)
    if row is None:
        raise NotFound(_("This merchant does not exist."))
    return row


def _contacts(ctx: Context, merchant_id: uuid.UUID) -> list[MerchantContact]:
    query = (
        select(MerchantContact)
        .where(MerchantContact.merchant_id == merchant_id)
        .order_by(col(MerchantContact.created_at), col(MerchantContact.id))
    )
    return list(ctx.s.exec(query))


def _replace_contacts(ctx: Context, row: Merchant, contacts: list[dict[str, str]]) -> None:
    existing = _contacts(ctx, row.id)
    for old in existing[len(contacts) :]:
        ctx.s.delete(old)
    for i, item in enumerate(contacts):
        contact = existing[i] if i < len(existing) else MerchantContact(
            merchant_id=row.id, name=item["name"], branch_id=row.branch_id
        )
        contact.name, contact.role, contact.phone = item["name"], item["role"], item["phone"]
        ctx.s.add(contact)


@service(Action.MERCHANTS_EDIT, write=True)
def create_merchant(ctx: Context, data: MerchantCreate) -> MerchantRead:
    fields = _check(ctx, data.model_dump(), None)
    contacts = fields.pop("contacts")
    branch_id = ctx.user.branch_id if ctx.user else None
    row = Merchant.model_validate(
        fields, update={"branch_id": branch_id, "service_branch_id": branch_id}
    )
    ctx.s.add(row)
    ctx.s.flush()
    _replace_contacts(ctx, row, contacts)
    ctx.s.flush()
    return _to_read(ctx, row, _contacts(ctx, row.id))


@service(Action.MERCHANTS_EDIT, write=True)
def update_merchant(ctx: Context, merchant_id: uuid.UUID, data: MerchantUpdate) -> MerchantRead:
    """Save an edit; a stale `expected_version` is a Conflict, never an overwrite."""
    row = _get(ctx, merchant_id)
    if row.version != data.expected_version:
        raise Conflict(
            _("{name} was changed by someone else meanwhile; reload to see the changes.").format(
                name=row.shop_name or row.legal_name
            )
        )
    patch = _check(ctx, data.model_dump(exclude_unset=True, exclude={"expected_version"}), row.id)
    if patch.get("status") == MerchantStatus.CLOSED and row.status != MerchantStatus.CLOSED:
        raise InvalidTransition(_("Close a merchant with its own command, giving the reason."))
    contacts = patch.pop("contacts", None)
    for key, value in patch.items():
        setattr(row, key, value)
    ctx.s.add(row)
    if contacts is not None:
        _replace_contacts(ctx, row, contacts)
    ctx.s.flush()
    return _to_read(ctx, row, _contacts(ctx, row.id))


@service(Action.MERCHANTS_EDIT, write=True)
def close_merchant(
    ctx: Context, merchant_id: uuid.UUID, *, expected_version: int, reason: str
) -> MerchantRead:
    """Close a merchant for good; the archive keeps it. Its terminals must be taken back first."""
    row = _get(ctx, merchant_id)
    if row.version != expected_version:
        raise Conflict(_("Someone else changed this merchant meanwhile; reload and try again."))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError.single("reason", _("Please give the reason for closing."))
    if row.status == MerchantStatus.CLOSED:
        raise InvalidTransition(_("This merchant is already closed."))
    held = ctx.s.exec(select(func.count()).where(Terminal.merchant_id == row.id)).one()
    if held:
        raise InvalidTransition(
            ngettext(
                "The merchant still holds {n} terminal; unbind it first.",
                "The merchant still holds {n} terminals; unbind them first.",
                held,
            ).format(n=held)
        )
    row.status = MerchantStatus.CLOSED
    row.closed_reason = reason
    row.closed_on = ctx.now().astimezone().date()
    ctx.s.add(row)
    ctx.s.flush()
    return _to_read(ctx, row, _contacts(ctx, row.id))


@service(Action.MERCHANTS_EDIT, write=True)
def delete_merchant(ctx: Context, merchant_id: uuid.UUID) -> None:
    """Remove a merchant entered by mistake; one with any history can only be closed."""
    row = _get(ctx, merchant_id)
    terminals = ctx.s.exec(select(func.count()).where(Terminal.merchant_id == row.id)).one()
    events = ctx.s.exec(select(func.count()).where(TerminalEvent.merchant_id == row.id)).one()
    if terminals or events:
        raise Conflict(_("This merchant has history and cannot be deleted; close it instead."))
    ctx.s.execute(delete(MerchantContact).where(col(MerchantContact.merchant_id) == row.id))
    ctx.s.delete(row)
    ctx.s.flush()


@service(Action.MERCHANTS_VIEW, write=False)
def get_merchant(ctx: Context, merchant_id: uuid.UUID) -> MerchantRead:
    row = _get(ctx, merchant_id)
    return _to_read(ctx, row, _contacts(ctx, row.id))


@service(Action.MERCHANTS_VIEW, write=False)
def find_merchant_by_no(ctx: Context, merchant_no: str) -> MerchantRead | None:
    try:
        number = validate_merchant_no(merchant_no)
    except FormatError:
        return None
    row = ctx.s.exec(select(Merchant).where(Merchant.merchant_no == number)).first()
    return _to_read(ctx, row, _contacts(ctx, row.id)) if row else None


def _conditions(filters: MerchantFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status:
        conditions.append(col(Merchant.status) == filters.status)
    if filters.risk_level:
        conditions.append(col(Merchant.risk_level) == filters.risk_level)
    for field in ("province", "city", "district"):
        value = getattr(filters, field)
        if value:
            conditions.append(getattr(Merchant, field) == value)
    text = normalize(filters.text)
    query = query_tokens(text)
    if query:  # names, pinyin, phone digits, merchant no. prefix: the search index
        conditions.append(search_index.matches(Merchant.id, SearchKind.MERCHANT, query))
    elif text:  # one letter or digit is too short for the index
        conditions.append(
            or_(
                col(Merchant.merchant_no).startswith(text),
                col(Merchant.legal_name).contains(text),
                col(Merchant.shop_name).contains(text),
            )
        )
    return conditions


@service(Action.MERCHANTS_VIEW, write=False)
def list_merchants(
    ctx: Context, filters: MerchantFilter, *, offset: int = 0, limit: int = 200
) -> MerchantPage:
    """A page of merchants in merchant-no. order, with the total that match (contacts not loaded)."""
    conditions = _conditions(filters)
    total = ctx.s.exec(select(func.count()).select_from(Merchant).where(*conditions)).one()
    rows = ctx.s.exec(
        select(Merchant)
        .where(*conditions)
        .order_by(col(Merchant.merchant_no))
        .offset(max(0, offset))
        .limit(max(1, min(limit, MAX_PAGE)))
    ).all()
    return MerchantPage(items=[_to_read(ctx, r) for r in rows], total=int(total))


@service(Action.MERCHANTS_VIEW, write=False)
def list_regions(ctx: Context) -> list[tuple[str, str, str]]:
    """The (province, city, district) triples in use, for the region filter."""
    query = select(Merchant.province, Merchant.city, Merchant.district).distinct().order_by(
        col(Merchant.province), col(Merchant.city), col(Merchant.district)
    )
    return [tuple(r) for r in ctx.s.exec(query)]  # type: ignore[misc]
