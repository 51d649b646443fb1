"""The device catalogue: models, acquirers, firmware releases, and terminals on old firmware."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import col, select

from app.context import Context
from app.errors import Conflict, NotFound, ValidationError
from app.i18n import _
from app.models.catalogue import (
    Acquirer,
    AcquirerRead,
    DeviceModel,
    DeviceModelCreate,
    DeviceModelRead,
    DeviceModelUpdate,
    FirmwareRelease,
    FirmwareReleaseCreate,
    FirmwareReleaseRead,
)
from app.models.terminal import Terminal, TerminalPage, TerminalStatus
from app.models.warranty import WarrantyPolicy
from app.rules.permissions import Action
from app.rules.terminals import is_older, version_key
from app.rules.validation import clean_text, normalize
from app.services.base import service


def _check_model_fields(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for field in ("brand", "model"):
        if field in data:
            data[field] = normalize(data[field] or "")
            if not data[field]:
                errors[field] = _("Please enter the brand.") if field == "brand" else _(
                    "Please enter the model."
                )
    if data.get("list_price_fen", 0) is not None and data.get("list_price_fen", 0) < 0:
        errors["list_price_fen"] = _("The list price cannot be negative.")
    if errors:
        raise ValidationError(errors)
    return data


def _check_policy(ctx: Context, policy_id: uuid.UUID | None) -> None:
    if policy_id is not None and ctx.s.get(WarrantyPolicy, policy_id) is None:
        raise ValidationError.single(
            "warranty_policy_id", _("Please choose a warranty policy from the list.")
        )


def _model_read(ctx: Context, row: DeviceModel) -> DeviceModelRead:
    policy = ctx.s.get(WarrantyPolicy, row.warranty_policy_id) if row.warranty_policy_id else None
    return DeviceModelRead.model_validate(
        row, update={"warranty_policy_name": policy.name if policy else ""}
    )


def _unique_model(ctx: Context, brand: str, model: str, own_id: uuid.UUID | None = None) -> None:
    query = select(DeviceModel.id).where(DeviceModel.brand == brand, DeviceModel.model == model)
    found = ctx.s.exec(query).first()
    if found is not None and found != own_id:
        raise ValidationError.single(
            "model", _("{brand} {model} is already in the catalogue.").format(brand=brand, model=model)
        )


@service(Action.TERMINALS_VIEW, write=False)
def list_device_models(ctx: Context, *, include_inactive: bool = True) -> list[DeviceModelRead]:
    query = select(DeviceModel).order_by(col(DeviceModel.brand), col(DeviceModel.model))
    if not include_inactive:
        query = query.where(col(DeviceModel.active).is_(True))
    return [_model_read(ctx, m) for m in ctx.s.exec(query)]


@service(Action.CATALOGUE_EDIT, write=True)
def create_device_model(ctx: Context, data: DeviceModelCreate) -> DeviceModelRead:
    fields = _check_model_fields(data.model_dump())
    _unique_model(ctx, fields["brand"], fields["model"])
    _check_policy(ctx, fields.get("warranty_policy_id"))
    branch_id = ctx.user.branch_id if ctx.user else None
    row = DeviceModel.model_validate(fields, update={"branch_id": branch_id})
    ctx.s.add(row)
    ctx.s.flush()
    return _model_read(ctx, row)


@service(Action.CATALOGUE_EDIT, write=True)
def update_device_model(ctx: Context, model_id: uuid.UUID, data: DeviceModelUpdate) -> DeviceModelRead:
    row = ctx.s.get(DeviceModel, model_id)
    if row is None:
        raise NotFound(_("This model is not in the catalogue."))
    if row.version != data.expected_version:
        raise Conflict(_("Someone else changed this model meanwhile; reload and try again."))
    patch = _check_model_fields(data.model_dump(exclude_unset=True, exclude={"expected_version"}))
    _unique_model(ctx, patch.get("brand", row.brand), patch.get("model", row.model), row.id)
    _check_policy(ctx, patch.get("warranty_policy_id"))
    policy_changed = "warranty_policy_id" in patch and patch["warranty_policy_id"] != row.warranty_policy_id
    for key, value in patch.items():
        setattr(row, key, value)
    ctx.s.add(row)
    ctx.s.flush()
    if policy_changed:
        # The terminals of this model without a policy of their own follow the new default.
        from app.services.warranty import refresh_warranty_ends

        refresh_warranty_ends(ctx, model_ids=[row.id])
    return _model_read(ctx, row)


@service(Action.TERMINALS_VIEW, write=False)
def list_acquirers(ctx: Context, *, include_inactive: bool = True) -> list[AcquirerRead]:
    query = select(Acquirer).order_by(col(Acquirer.name))
    if not include_inactive:
        query = query.where(col(Acquirer.active).is_(True))
    return [AcquirerRead.model_validate(a) for a in ctx.s.exec(query)]


@service(Action.CATALOGUE_EDIT, write=True)
def save_acquirer(
    ctx: Context, name: str, *, acquirer_id: uuid.UUID | None = None, active: bool = True
) -> AcquirerRead:
    """Add an acquirer, or rename / (de)activate one; the list is editable by a supervisor."""
    name = clean_text(name)
    if not name:
        raise ValidationError.single("name", _("Please enter the acquirer's name."))
    taken = ctx.s.exec(select(Acquirer.id).where(Acquirer.name == name)).first()
    if taken is not None and taken != acquirer_id:
        raise ValidationError.single("name", _("{name} is already in the list.").format(name=name))
    if acquirer_id is None:
        row = Acquirer(name=name, active=active, branch_id=ctx.user.branch_id if ctx.user else None)
    else:
        found = ctx.s.get(Acquirer, acquirer_id)
        if found is None:
            raise NotFound(_("This acquirer is not in the list."))
        row = found
        row.name, row.active = name, active
    ctx.s.add(row)
    ctx.s.flush()
    return AcquirerRead.model_validate(row)


@service(Action.TERMINALS_VIEW, write=False)
def list_firmware_releases(
    ctx: Context, model_id: uuid.UUID | None = None
) -> list[FirmwareReleaseRead]:
    """Newest first (by version, as people read versions)."""
    query = select(FirmwareRelease)
    if model_id is not None:
        query = query.where(FirmwareRelease.model_id == model_id)
    rows = [FirmwareReleaseRead.model_validate(r) for r in ctx.s.exec(query)]
    return sorted(rows, key=lambda r: (str(r.model_id), version_key(r.firmware_version)), reverse=True)


@service(Action.CATALOGUE_EDIT, write=True)
def create_firmware_release(ctx: Context, data: FirmwareReleaseCreate) -> FirmwareReleaseRead:
    version = normalize(data.firmware_version)
    if not version:
        raise ValidationError.single("firmware_version", _("Please enter the version."))
    if ctx.s.get(DeviceModel, data.model_id) is None:
        raise ValidationError.single("model_id", _("Please choose a model from the catalogue."))
    query = select(FirmwareRelease.id).where(
        FirmwareRelease.model_id == data.model_id, FirmwareRelease.firmware_version == version
    )
    if ctx.s.exec(query).first() is not None:
        raise ValidationError.single(
            "firmware_version", _("Version {version} is already listed.").format(version=version)
        )
    row = FirmwareRelease.model_validate(
        data,
        update={"firmware_version": version, "branch_id": ctx.user.branch_id if ctx.user else None},
    )
    ctx.s.add(row)
    ctx.s.flush()
    return FirmwareReleaseRead.model_validate(row)


@service(Action.TERMINALS_VIEW, write=False)
def latest_mandatory_versions(ctx: Context) -> dict[uuid.UUID, str]:
    """Per model, the newest firmware version that every terminal must run."""
    latest: dict[uuid.UUID, str] = {}
    query = select(FirmwareRelease).where(col(FirmwareRelease.mandatory).is_(True))
    for release in ctx.s.exec(query):
        current = latest.get(release.model_id)
        if current is None or is_older(current, release.firmware_version):
            latest[release.model_id] = release.firmware_version
    return latest


# Terminals that no longer run anything: they need no update.
RETIRED = (TerminalStatus.SCRAPPED, TerminalStatus.LOST, TerminalStatus.RETURNED)


@service(Action.TERMINALS_VIEW, write=False)
def list_outdated_terminals(ctx: Context, *, offset: int = 0, limit: int = 200) -> TerminalPage:
    """Terminals whose firmware is older than the latest mandatory release of their model."""
    from app.services.terminals import read_terminals

    latest = latest_mandatory_versions(ctx)
    outdated: list[uuid.UUID] = []
    for model_id, required in latest.items():
        query = select(Terminal.id, Terminal.firmware_version).where(
            Terminal.model_id == model_id, col(Terminal.status).not_in(RETIRED)
        )
        for terminal_id, version in ctx.s.exec(query):
            if is_older(version or "", required):
                outdated.append(terminal_id)
    page_ids = outdated[offset : offset + limit]
    return TerminalPage(items=read_terminals(ctx, page_ids), total=len(outdated))
