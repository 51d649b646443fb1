"""Warranty policies, service contracts, the working calendar, and each terminal's coverage.

`coverage` is the one question every other area asks: tickets at intake, printed documents and the
terminal page. It gathers the facts and lets `app.rules.coverage.decide` answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, or_, update
from sqlmodel import col, func, select

from app.context import Context
from app.errors import Conflict, InvalidTransition, NotFound, ValidationError
from app.i18n import _
from app.models.catalogue import DeviceModel
from app.models.merchant import Merchant
from app.models.terminal import Terminal, TerminalStatus
from app.models.warranty import (
    CalendarException,
    CalendarExceptionRead,
    ContractFilter,
    ContractPage,
    ContractStatus,
    ContractTerminal,
    CostItem,
    CoverageKind,
    CoveragePeriod,
    CoverageRead,
    ExclusionCause,
    ExpiringItem,
    ExpiringPage,
    ServiceContract,
    ServiceContractCreate,
    ServiceContractRead,
    ServiceContractUpdate,
    WarrantyPolicy,
    WarrantyPolicyCreate,
    WarrantyPolicyRead,
    WarrantyPolicyUpdate,
    WarrantyStart,
)
from app.rules import coverage as rule
from app.rules.permissions import Action
from app.rules.validation import clean_text
from app.rules.workcal import CHINA_TZ, WorkingCalendar
from app.services.base import service
from app.services.numbering import day_number

MAX_PAGE = 500
# Terminals that are gone: nobody needs to hear that their warranty ends.
RETIRED = (TerminalStatus.SCRAPPED, TerminalStatus.LOST, TerminalStatus.RETURNED)
MAX_SLA_HOURS = 24 * 30


def today(ctx: Context) -> date:
    """Today in China, by the context's clock."""
    return ctx.now().astimezone(CHINA_TZ).date()


# --- policies -------------------------------------------------------------------------------------


def _terms(policy: WarrantyPolicy) -> rule.PolicyTerms:
    read = WarrantyPolicyRead.model_validate(policy)
    return rule.PolicyTerms(
        id=policy.id,
        name=policy.name,
        months=policy.months,
        start_event=policy.start_event,
        free_items=read.free_items,
        exclusions=frozenset(ExclusionCause(e) for e in policy.exclusions),
    )


def _policy_reads(ctx: Context, policies: Sequence[WarrantyPolicy]) -> list[WarrantyPolicyRead]:
    """Read schemas with how many models and terminals use each policy (two grouped counts)."""
    ids = [p.id for p in policies]
    models = dict(
        ctx.s.exec(
            select(DeviceModel.warranty_policy_id, func.count())
            .where(col(DeviceModel.warranty_policy_id).in_(ids))
            .group_by(col(DeviceModel.warranty_policy_id))
        ).all()
    )
    terminals = dict(
        ctx.s.exec(
            select(Terminal.warranty_policy_id, func.count())
            .where(col(Terminal.warranty_policy_id).in_(ids))
            .group_by(col(Terminal.warranty_policy_id))
        ).all()
    )
    return [
        WarrantyPolicyRead.model_validate(
            p, update={"model_count": models.get(p.id, 0), "terminal_count": terminals.get(p.id, 0)}
        )
        for p in policies
    ]


def _policy_read(ctx: Context, policy: WarrantyPolicy) -> WarrantyPolicyRead:
    return _policy_reads(ctx, [policy])[0]


def _check_policy(ctx: Context, data: dict[str, Any], own_id: uuid.UUID | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "name" in data:
        data["name"] = clean_text(data["name"] or "")
        if not data["name"]:
            errors["name"] = _("Please enter the policy's name.")
        else:
            taken = ctx.s.exec(select(WarrantyPolicy.id).where(WarrantyPolicy.name == data["name"])).first()
            if taken is not None and taken != own_id:
                errors["name"] = _("A policy named {name} already exists.").format(name=data["name"])
    months = data.get("months")
    if months is not None and not 0 <= months <= rule.MAX_WARRANTY_MONTHS:
        errors["months"] = _("The warranty lasts 0 to {most} months.").format(
            most=rule.MAX_WARRANTY_MONTHS
        )
    if data.get("document_text") is not None:
        data["document_text"] = clean_text(data["document_text"])
    if data.get("exclusions") is not None:
        data["exclusions"] = sorted({ExclusionCause(e) for e in data["exclusions"]})
    if errors:
        raise ValidationError(errors)
    return data


def _get_policy(ctx: Context, policy_id: uuid.UUID) -> WarrantyPolicy:
    policy = ctx.s.get(WarrantyPolicy, policy_id)
    if policy is None:
        raise NotFound(_("This warranty policy does not exist."))
    return policy


@service(Action.WARRANTY_VIEW, write=False)
def list_warranty_policies(ctx: Context, *, include_inactive: bool = True) -> list[WarrantyPolicyRead]:
    query = select(WarrantyPolicy).order_by(col(WarrantyPolicy.name))
    if not include_inactive:
        query = query.where(col(WarrantyPolicy.active).is_(True))
    return _policy_reads(ctx, list(ctx.s.exec(query)))


@service(Action.WARRANTY_VIEW, write=False)
def get_warranty_policy(ctx: Context, policy_id: uuid.UUID) -> WarrantyPolicyRead:
    return _policy_read(ctx, _get_policy(ctx, policy_id))


@service(Action.POLICIES_EDIT, write=True)
def create_warranty_policy(ctx: Context, data: WarrantyPolicyCreate) -> WarrantyPolicyRead:
    fields = _check_policy(ctx, data.model_dump(), None)
    row = WarrantyPolicy.model_validate(
        fields, update={"branch_id": ctx.user.branch_id if ctx.user else None}
    )
    ctx.s.add(row)
    ctx.s.flush()
    return _policy_read(ctx, row)


@service(Action.POLICIES_EDIT, write=True)
def update_warranty_policy(
    ctx: Context, policy_id: uuid.UUID, data: WarrantyPolicyUpdate
) -> WarrantyPolicyRead:
    """Change a policy; the warranty end of every terminal under it follows at once."""
    row = _get_policy(ctx, policy_id)
    if row.version != data.expected_version:
        raise Conflict(_("Someone else changed this policy meanwhile; reload and try again."))
    patch = _check_policy(ctx, data.model_dump(exclude_unset=True, exclude={"expected_version"}), row.id)
    term_changed = any(
        k in patch and patch[k] != getattr(row, k) for k in ("months", "start_event")
    )
    for key, value in patch.items():
        setattr(row, key, value)
    ctx.s.add(row)
    ctx.s.flush()
    if term_changed:
        refresh_warranty_ends(ctx, policy_ids=[row.id])
    return _policy_read(ctx, row)


# --- each terminal's warranty end -----------------------------------------------------------------


def refresh_warranty_ends(
    ctx: Context,
    *,
    terminal_ids: Iterable[uuid.UUID] | None = None,
    model_ids: Iterable[uuid.UUID] | None = None,
    policy_ids: Iterable[uuid.UUID] | None = None,
) -> int:
    """Recompute the kept warranty end of the terminals chosen (all when nothing is given).

    Called inside the unit of work of whatever changed a date, a policy or a model's default.
    The value is derived from the coverage rule, so it is written without an audit entry of its
    own: the change that caused it has one.
    """
    policy = WarrantyPolicy.__table__.alias("own")  # type: ignore[attr-defined]
    default = WarrantyPolicy.__table__.alias("default")  # type: ignore[attr-defined]
    terminal = Terminal.__table__  # type: ignore[attr-defined]
    model = DeviceModel.__table__  # type: ignore[attr-defined]
    query = (
        select(  # type: ignore[call-overload]
            terminal.c.id,
            terminal.c.purchase_date,
            terminal.c.activation_date,
            terminal.c.warranty_ends_on,
            func.coalesce(policy.c.months, default.c.months),
            func.coalesce(policy.c.start_event, default.c.start_event),
        )
        .join(model, model.c.id == terminal.c.model_id)
        .outerjoin(policy, policy.c.id == terminal.c.warranty_policy_id)
        .outerjoin(default, default.c.id == model.c.warranty_policy_id)
    )
    if terminal_ids is not None:
        query = query.where(terminal.c.id.in_(list(terminal_ids)))
    if model_ids is not None:
        query = query.where(terminal.c.model_id.in_(list(model_ids)))
    if policy_ids is not None:
        ids = list(policy_ids)
        query = query.where(
            or_(
                terminal.c.warranty_policy_id.in_(ids),
                and_(terminal.c.warranty_policy_id.is_(None), model.c.warranty_policy_id.in_(ids)),
            )
        )
    changes: list[dict[str, Any]] = []
    for tid, purchase, activation, kept, months, start_event in ctx.s.connection().execute(query):
        start = (
            rule.warranty_start(purchase, activation, WarrantyStart(start_event))
            if start_event
            else None
        )
        ends = rule.warranty_end(start, months) if start is not None else None
        if ends != kept:
            changes.append({"tid": tid, "ends": ends})
    if changes:
        ctx.s.flush()
        ctx.s.connection().execute(
            update(terminal)
            .where(terminal.c.id == bindparam("tid"))
            .values(warranty_ends_on=bindparam("ends")),
            changes,
        )
        # Rows loaded in this session must not keep the old value.
        for change in changes:
            loaded = ctx.s.identity_map.get(ctx.s.identity_key(Terminal, change["tid"]))
            if loaded is not None:
                ctx.s.expire(loaded, ["warranty_ends_on"])
    return len(changes)


# --- coverage -------------------------------------------------------------------------------------


def _get_terminal(ctx: Context, terminal_id: uuid.UUID) -> Terminal:
    terminal = ctx.s.get(Terminal, terminal_id)
    if terminal is None:
        raise NotFound(_("This terminal does not exist."))
    return terminal


def _policy_of(ctx: Context, terminal: Terminal) -> WarrantyPolicy | None:
    policy_id = terminal.warranty_policy_id
    if policy_id is None:
        model = ctx.s.get(DeviceModel, terminal.model_id)
        policy_id = model.warranty_policy_id if model else None
    return ctx.s.get(WarrantyPolicy, policy_id) if policy_id else None


def _contracts_naming(ctx: Context, terminal: Terminal) -> list[ServiceContract]:
    """Contracts that list the terminal, or cover everything its holder has."""
    listed = exists().where(
        col(ContractTerminal.contract_id) == ServiceContract.id,
        col(ContractTerminal.terminal_id) == terminal.id,
    )
    condition: ColumnElement[bool] = listed
    if terminal.merchant_id is not None:
        condition = or_(
            listed,
            and_(
                col(ServiceContract.all_terminals).is_(True),
                col(ServiceContract.merchant_id) == terminal.merchant_id,
            ),
        )
    query = select(ServiceContract).where(condition).order_by(col(ServiceContract.start_date))
    return list(ctx.s.exec(query))


def _contract_terms(contract: ServiceContract) -> rule.ContractTerms:
    read = ServiceContractRead.model_validate(contract)
    return rule.ContractTerms(
        id=contract.id,
        number=contract.contract_no,
        start=contract.start_date,
        end=contract.end_date,
        status=contract.status,
        free_items=read.free_items,
        exclusions=frozenset(ExclusionCause(e) for e in contract.exclusions),
        terminated_on=contract.terminated_on,
        response_hours=contract.response_hours,
        resolution_hours=contract.resolution_hours,
        working_hours_only=contract.working_hours_only,
    )


def decide_coverage(
    ctx: Context, terminal: Terminal, on: date, exclusion: ExclusionCause | None = None
) -> CoverageRead:
    """Coverage of a terminal already loaded in this unit of work (for other services)."""
    policy = _policy_of(ctx, terminal)
    terms = _terms(policy) if policy else None
    contracts = [_contract_terms(c) for c in _contracts_naming(ctx, terminal)]
    decision = rule.decide(
        on,
        purchase=terminal.purchase_date,
        activation=terminal.activation_date,
        policy=terms,
        contracts=contracts,
        exclusion=exclusion,
    )
    contract = decision.contract
    return CoverageRead(
        terminal_id=terminal.id,
        serial_no=terminal.serial_no,
        on=on,
        kind=decision.kind,
        free_items=sorted(decision.free_items, key=list(CostItem).index),
        policy_id=policy.id if policy else None,
        policy_name=policy.name if policy else "",
        policy_text=policy.document_text if policy else "",
        warranty_start=decision.warranty_start,
        warranty_end=decision.warranty_end,
        contract_id=contract.id if contract else None,
        contract_no=contract.number if contract else "",
        contract_end=contract.last_day() if contract else None,
        response_hours=contract.response_hours if contract else None,
        resolution_hours=contract.resolution_hours if contract else None,
        working_hours_only=contract.working_hours_only if contract else False,
        until=decision.until,
        exclusion=exclusion,
        reason=decision.reason,
        basis=rule.basis_of(on, terminal.purchase_date, terminal.activation_date, terms, decision.contract),
    )


@service(Action.WARRANTY_VIEW, write=False)
def coverage(
    ctx: Context,
    terminal_id: uuid.UUID,
    on: date | None = None,
    exclusion: ExclusionCause | None = None,
) -> CoverageRead:
    """Covered by warranty, by a contract, or not; by what, until when, and what is free.

    `on` defaults to today; `exclusion` is the cause recorded on a repair, which makes the repair
    chargeable where the policy or contract excludes it.
    """
    return decide_coverage(ctx, _get_terminal(ctx, terminal_id), on or today(ctx), exclusion)


@service(Action.WARRANTY_VIEW, write=False)
def coverage_history(ctx: Context, terminal_id: uuid.UUID) -> list[CoveragePeriod]:
    """The terminal's warranty and every contract naming it, oldest first."""
    terminal = _get_terminal(ctx, terminal_id)
    now = today(ctx)
    periods: list[CoveragePeriod] = []
    policy = _policy_of(ctx, terminal)
    if policy is not None:
        start = rule.warranty_start(terminal.purchase_date, terminal.activation_date, policy.start_event)
        end = rule.warranty_end(start, policy.months) if start else None
        if start is None or end is None:
            status = _("no start date") if start is None else _("no warranty")
        elif now < start:
            status = _("not started")
        elif now <= end:
            status = _("in force")
        else:
            status = _("ended")
        periods.append(
            CoveragePeriod(
                kind=CoverageKind.WARRANTY,
                source_id=policy.id,
                name=policy.name,
                start=start,
                end=end,
                status=status,
                free_items=sorted(_terms(policy).free_items, key=list(CostItem).index),
            )
        )
    for contract in _contracts_naming(ctx, terminal):
        terms = _contract_terms(contract)
        periods.append(
            CoveragePeriod(
                kind=CoverageKind.CONTRACT,
                source_id=contract.id,
                name=contract.contract_no,
                start=contract.start_date,
                end=terms.last_day() or contract.end_date,
                status=rule.contract_status_label(
                    rule.effective_status(contract.status, contract.end_date, now)
                ),
                free_items=sorted(terms.free_items, key=list(CostItem).index),
            )
        )
    return periods


# --- contracts ------------------------------------------------------------------------------------


def _get_contract(ctx: Context, contract_id: uuid.UUID) -> ServiceContract:
    contract = ctx.s.get(ServiceContract, contract_id)
    if contract is None:
        raise NotFound(_("This service contract does not exist."))
    return contract


def _check_contract_version(contract: ServiceContract, expected: int) -> None:
    if contract.version != expected:
        raise Conflict(
            _("Contract {number} was changed by someone else meanwhile; reload and try again.").format(
                number=contract.contract_no
            )
        )


def _read_contracts(ctx: Context, contracts: Sequence[ServiceContract]) -> list[ServiceContractRead]:
    """Read schemas with merchant, terminals and renewal links filled in (a few queries)."""
    if not contracts:
        return []
    ids = [c.id for c in contracts]
    merchants = {
        m.id: m
        for m in ctx.s.exec(
            select(Merchant).where(col(Merchant.id).in_({c.merchant_id for c in contracts}))
        )
    }
    terminals: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {i: [] for i in ids}
    query = (
        select(ContractTerminal.contract_id, Terminal.id, Terminal.serial_no)
        .join(Terminal, col(Terminal.id) == ContractTerminal.terminal_id)
        .where(col(ContractTerminal.contract_id).in_(ids))
        .order_by(col(Terminal.serial_no))
    )
    for contract_id, terminal_id, serial in ctx.s.exec(query):
        terminals[contract_id].append((terminal_id, serial))
    linked = {c.renews_id for c in contracts if c.renews_id}
    numbers = dict(
        ctx.s.exec(
            select(ServiceContract.id, ServiceContract.contract_no).where(col(ServiceContract.id).in_(linked))
        ).all()
    )
    renewed_by = dict(
        ctx.s.exec(
            select(ServiceContract.renews_id, ServiceContract.contract_no).where(
                col(ServiceContract.renews_id).in_(ids)
            )
        ).all()
    )
    now = today(ctx)
    result = []
    for c in contracts:
        merchant = merchants.get(c.merchant_id)
        result.append(
            ServiceContractRead.model_validate(
                c,
                update={
                    "status": rule.effective_status(c.status, c.end_date, now),
                    "merchant_name": (merchant.shop_name or merchant.legal_name) if merchant else "",
                    "merchant_no": merchant.merchant_no if merchant else "",
                    "terminal_ids": [t for t, _sn in terminals[c.id]],
                    "terminal_serials": [sn for _t, sn in terminals[c.id]],
                    "renews_no": numbers.get(c.renews_id, "") if c.renews_id else "",
                    "renewed_by_no": renewed_by.get(c.id, ""),
                },
            )
        )
    return result


def _check_contract(ctx: Context, data: dict[str, Any], merchant_id: uuid.UUID) -> dict[str, Any]:
    errors: dict[str, str] = {}
    merchant = ctx.s.get(Merchant, merchant_id)
    if merchant is None:
        errors["merchant_id"] = _("Please choose the merchant.")
    start, end = data.get("start_date"), data.get("end_date")
    if start and end:
        if end < start:
            errors["end_date"] = _("The end date is before the start date.")
        elif (end - start).days > rule.MAX_CONTRACT_DAYS:
            errors["end_date"] = _("A contract lasts at most 10 years.")
    response, resolution = data.get("response_hours"), data.get("resolution_hours")
    if response is not None and not 1 <= response <= MAX_SLA_HOURS:
        errors["response_hours"] = _("The response time is 1 to {most} hours.").format(most=MAX_SLA_HOURS)
    if resolution is not None and not 1 <= resolution <= MAX_SLA_HOURS:
        errors["resolution_hours"] = _("The resolution time is 1 to {most} hours.").format(
            most=MAX_SLA_HOURS
        )
    elif response is not None and resolution is not None and resolution < response:
        errors["resolution_hours"] = _("The resolution time cannot be shorter than the response time.")
    if data.get("fee_fen") is not None and data["fee_fen"] < 0:
        errors["fee_fen"] = _("The fee cannot be negative.")
    if data.get("notes") is not None:
        data["notes"] = clean_text(data["notes"])
    if data.get("exclusions") is not None:
        data["exclusions"] = sorted({ExclusionCause(e) for e in data["exclusions"]})
    terminal_ids = data.get("terminal_ids")
    if terminal_ids is not None:
        terminal_ids = list(dict.fromkeys(terminal_ids))
        data["terminal_ids"] = terminal_ids
        held = set(
            ctx.s.exec(
                select(Terminal.id).where(
                    col(Terminal.id).in_(terminal_ids), Terminal.merchant_id == merchant_id
                )
            )
        )
        if len(held) != len(terminal_ids):
            errors["terminal_ids"] = _("A contract covers only terminals the merchant holds.")
    if not data.get("all_terminals") and not terminal_ids and "terminal_ids" in data:
        errors["terminal_ids"] = _(
            "Choose the terminals this contract covers, or all the merchant's terminals."
        )
    if errors:
        raise ValidationError(errors)
    return data


def _set_terminals(ctx: Context, contract: ServiceContract, terminal_ids: Sequence[uuid.UUID]) -> None:
    existing = {
        link.terminal_id: link
        for link in ctx.s.exec(select(ContractTerminal).where(ContractTerminal.contract_id == contract.id))
    }
    for terminal_id, link in existing.items():
        if terminal_id not in terminal_ids:
            ctx.s.delete(link)
    for terminal_id in terminal_ids:
        if terminal_id not in existing:
            ctx.s.add(ContractTerminal(contract_id=contract.id, terminal_id=terminal_id))
    ctx.s.flush()


@service(Action.WARRANTY_VIEW, write=False)
def get_contract(ctx: Context, contract_id: uuid.UUID) -> ServiceContractRead:
    return _read_contracts(ctx, [_get_contract(ctx, contract_id)])[0]


@service(Action.WARRANTY_VIEW, write=False)
def find_contract_by_number(ctx: Context, contract_no: str) -> ServiceContractRead | None:
    number = contract_no.strip().upper()
    row = ctx.s.exec(select(ServiceContract).where(ServiceContract.contract_no == number)).first()
    return _read_contracts(ctx, [row])[0] if row else None


def _status_condition(status: ContractStatus, now: date) -> ColumnElement[bool]:
    if status == ContractStatus.EXPIRED:
        return or_(
            col(ServiceContract.status) == ContractStatus.EXPIRED,
            and_(col(ServiceContract.status) == ContractStatus.ACTIVE, col(ServiceContract.end_date) < now),
        )
    if status == ContractStatus.ACTIVE:
        return and_(col(ServiceContract.status) == ContractStatus.ACTIVE, col(ServiceContract.end_date) >= now)
    return col(ServiceContract.status) == status


@service(Action.WARRANTY_VIEW, write=False)
def list_contracts(
    ctx: Context, filters: ContractFilter | None = None, *, offset: int = 0, limit: int = 200
) -> ContractPage:
    """Contracts, those ending soonest first."""
    filters = filters or ContractFilter()
    conditions: list[ColumnElement[bool]] = []
    if filters.merchant_id:
        conditions.append(col(ServiceContract.merchant_id) == filters.merchant_id)
    if filters.terminal_id:
        conditions.append(
            exists().where(
                col(ContractTerminal.contract_id) == ServiceContract.id,
                col(ContractTerminal.terminal_id) == filters.terminal_id,
            )
        )
    if filters.status:
        conditions.append(_status_condition(filters.status, today(ctx)))
    if filters.ending_within_days is not None:
        now = today(ctx)
        conditions.append(_status_condition(ContractStatus.ACTIVE, now))
        conditions.append(col(ServiceContract.end_date) <= now + timedelta(days=filters.ending_within_days))
    total = ctx.s.exec(select(func.count()).select_from(ServiceContract).where(*conditions)).one()
    query = (
        select(ServiceContract)
        .where(*conditions)
        .order_by(col(ServiceContract.end_date), col(ServiceContract.contract_no))
        .offset(max(offset, 0))
        .limit(min(max(limit, 1), MAX_PAGE))
    )
    return ContractPage(items=_read_contracts(ctx, list(ctx.s.exec(query))), total=total)


@service(Action.CONTRACTS_EDIT, write=True)
def create_contract(ctx: Context, data: ServiceContractCreate) -> ServiceContractRead:
    """A new contract, as a draft: it covers nothing until it is activated."""
    fields = _check_contract(ctx, data.model_dump(), data.merchant_id)
    terminal_ids = fields.pop("terminal_ids")
    if fields["all_terminals"]:
        terminal_ids = []
    row = ServiceContract.model_validate(
        fields,
        update={
            "contract_no": day_number(ctx, "HT", today(ctx)),
            "status": ContractStatus.DRAFT,
            "branch_id": ctx.user.branch_id if ctx.user else None,
        },
    )
    ctx.s.add(row)
    ctx.s.flush()
    _set_terminals(ctx, row, terminal_ids)
    return _read_contracts(ctx, [row])[0]


@service(Action.CONTRACTS_EDIT, write=True)
def update_contract(
    ctx: Context, contract_id: uuid.UUID, data: ServiceContractUpdate
) -> ServiceContractRead:
    """Edit a draft; of an active contract only the notes and the terminals listed change."""
    row = _get_contract(ctx, contract_id)
    _check_contract_version(row, data.expected_version)
    patch = data.model_dump(exclude_unset=True, exclude={"expected_version"})
    if row.status != ContractStatus.DRAFT:
        fixed = set(patch) - {"notes", "terminal_ids"}
        if row.status != ContractStatus.ACTIVE or fixed:
            raise InvalidTransition(
                _("Contract {number} is {status}; only a draft can be changed. Renew it instead.").format(
                    number=row.contract_no, status=rule.contract_status_label(row.status)
                )
            )
    merged = {
        "start_date": row.start_date,
        "end_date": row.end_date,
        "response_hours": row.response_hours,
        "resolution_hours": row.resolution_hours,
        "all_terminals": row.all_terminals,
    } | patch
    checked = _check_contract(ctx, merged, row.merchant_id)
    terminal_ids = checked.pop("terminal_ids", None)
    for key in patch:
        if key != "terminal_ids":
            setattr(row, key, checked[key])
    if row.all_terminals:
        terminal_ids = []
    ctx.s.add(row)
    ctx.s.flush()
    if terminal_ids is not None:
        _set_terminals(ctx, row, terminal_ids)
        # A change of the list alone must still count as a change of the contract.
        row.updated_at = ctx.now()
        ctx.s.add(row)
        ctx.s.flush()
    return _read_contracts(ctx, [row])[0]


@service(Action.CONTRACTS_EDIT, write=True)
def activate_contract(ctx: Context, contract_id: uuid.UUID, expected_version: int) -> ServiceContractRead:
    row = _get_contract(ctx, contract_id)
    _check_contract_version(row, expected_version)
    if row.status != ContractStatus.DRAFT:
        raise InvalidTransition(
            _("Only a draft can be activated; contract {number} is {status}.").format(
                number=row.contract_no, status=rule.contract_status_label(row.status)
            )
        )
    if row.end_date < today(ctx):
        raise InvalidTransition(_("This contract has already ended; change its dates first."))
    row.status = ContractStatus.ACTIVE
    ctx.s.add(row)
    ctx.s.flush()
    return _read_contracts(ctx, [row])[0]


@service(Action.CONTRACTS_EDIT, write=True)
def terminate_contract(
    ctx: Context, contract_id: uuid.UUID, on: date, reason: str, expected_version: int
) -> ServiceContractRead:
    """End a contract early: it covers up to the day before `on`."""
    row = _get_contract(ctx, contract_id)
    _check_contract_version(row, expected_version)
    if row.status not in (ContractStatus.ACTIVE, ContractStatus.DRAFT):
        raise InvalidTransition(
            _("Contract {number} is {status} and cannot be terminated.").format(
                number=row.contract_no, status=rule.contract_status_label(row.status)
            )
        )
    errors: dict[str, str] = {}
    reason = clean_text(reason)
    if not reason:
        errors["reason"] = _("Please give the reason for the termination.")
    if on < row.start_date or on > row.end_date + timedelta(days=1):
        errors["on"] = _("The termination date must fall within the contract, {start} to {end}.").format(
            start=row.start_date.isoformat(), end=row.end_date.isoformat()
        )
    if errors:
        raise ValidationError(errors)
    row.status = ContractStatus.TERMINATED
    row.terminated_on = on
    row.termination_reason = reason
    ctx.s.add(row)
    ctx.s.flush()
    return _read_contracts(ctx, [row])[0]


def _same_length(start: date, end: date, new_start: date) -> date:
    """The end of a term as long as start..end from `new_start`: in whole months when it was."""
    for months in range(1, 121):
        if rule.warranty_end(start, months) == end:
            return rule.warranty_end(new_start, months) or end
    return new_start + (end - start)


@service(Action.CONTRACTS_EDIT, write=True)
def renew_contract(
    ctx: Context, contract_id: uuid.UUID, *, end_date: date | None = None, fee_fen: int | None = None
) -> ServiceContractRead:
    """A new draft that starts the day after this contract ends, on the same terms, linked to it."""
    old = _get_contract(ctx, contract_id)
    if old.status in (ContractStatus.DRAFT, ContractStatus.TERMINATED):
        raise InvalidTransition(
            _("Contract {number} is {status}; only an active or expired contract is renewed.").format(
                number=old.contract_no, status=rule.contract_status_label(old.status)
            )
        )
    if ctx.s.exec(select(ServiceContract.id).where(ServiceContract.renews_id == old.id)).first():
        raise InvalidTransition(
            _("Contract {number} has already been renewed.").format(number=old.contract_no)
        )
    start = old.end_date + timedelta(days=1)
    links = ctx.s.exec(select(ContractTerminal.terminal_id).where(ContractTerminal.contract_id == old.id))
    held = set(ctx.s.exec(select(Terminal.id).where(Terminal.merchant_id == old.merchant_id)))
    data = ServiceContractCreate.model_validate(
        old,
        update={
            "start_date": start,
            "end_date": end_date or _same_length(old.start_date, old.end_date, start),
            "fee_fen": old.fee_fen if fee_fen is None else fee_fen,
            # Terminals the merchant no longer holds drop out of the renewal.
            "terminal_ids": [t for t in links if t in held],
        },
    )
    if not data.all_terminals and not data.terminal_ids:
        raise ValidationError.single(
            "terminal_ids", _("The merchant no longer holds any of this contract's terminals.")
        )
    renewed = create_contract(ctx, data)
    row = _get_contract(ctx, renewed.id)
    row.renews_id = old.id
    ctx.s.add(row)
    ctx.s.flush()
    return _read_contracts(ctx, [row])[0]


@service(Action.CONTRACTS_EDIT, write=True)
def delete_contract(ctx: Context, contract_id: uuid.UUID, expected_version: int) -> None:
    """Delete a draft; a contract that has been in force stays on record."""
    row = _get_contract(ctx, contract_id)
    _check_contract_version(row, expected_version)
    if row.status != ContractStatus.DRAFT:
        raise InvalidTransition(
            _("Only a draft can be deleted; terminate contract {number} instead.").format(
                number=row.contract_no
            )
        )
    _set_terminals(ctx, row, [])
    ctx.s.delete(row)
    ctx.s.flush()


# --- lists ----------------------------------------------------------------------------------------


def _count(ctx: Context, conditions: list[ColumnElement[bool]]) -> int:
    total: int = ctx.s.exec(select(func.count()).select_from(Terminal).where(*conditions)).one()
    return total


def _expiring_items(
    ctx: Context,
    conditions: list[ColumnElement[bool]],
    offset: int,
    limit: int,
    *,
    latest_first: bool = False,
) -> list[ExpiringItem]:
    """One page of terminals by warranty end date; the conditions exclude NULL end dates, so
    that the index on the end date gives the order and the query stops after one page."""
    if limit <= 0:
        return []
    ends = col(Terminal.warranty_ends_on)
    query = (
        select(Terminal, DeviceModel, Merchant)
        .join(DeviceModel, col(DeviceModel.id) == Terminal.model_id)
        .outerjoin(Merchant, col(Merchant.id) == Terminal.merchant_id)
        .where(*conditions)
        .order_by(ends.desc() if latest_first else ends.asc(), col(Terminal.serial_no))
        .offset(max(offset, 0))
        .limit(min(limit, MAX_PAGE))
    )
    rows = list(ctx.s.exec(query))
    policy_ids = {t.warranty_policy_id or m.warranty_policy_id for t, m, _m in rows} - {None}
    names = dict(
        ctx.s.exec(
            select(WarrantyPolicy.id, WarrantyPolicy.name).where(col(WarrantyPolicy.id).in_(policy_ids))
        ).all()
    )
    items = [
        ExpiringItem(
            terminal_id=t.id,
            serial_no=t.serial_no,
            terminal_no=t.terminal_no,
            brand=m.brand,
            model=m.model,
            merchant_id=t.merchant_id,
            merchant_name=(merchant.shop_name or merchant.legal_name) if merchant else "",
            merchant_no=merchant.merchant_no if merchant else "",
            policy_name=names.get(t.warranty_policy_id or m.warranty_policy_id or uuid.UUID(int=0), ""),
            warranty_end=t.warranty_ends_on,
        )
        for t, m, merchant in rows
    ]
    return items


@service(Action.WARRANTY_VIEW, write=False)
def list_expiring_warranties(
    ctx: Context, days: int, *, offset: int = 0, limit: int = 200
) -> ExpiringPage:
    """Terminals in use whose warranty ends within the next `days` days (today included)."""
    now = today(ctx)
    conditions = [
        col(Terminal.warranty_ends_on) >= now,
        col(Terminal.warranty_ends_on) <= now + timedelta(days=max(days, 0)),
        col(Terminal.status).not_in([*RETIRED, TerminalStatus.IN_STOCK]),
    ]
    limit = min(max(limit, 1), MAX_PAGE)
    return ExpiringPage(
        items=_expiring_items(ctx, conditions, offset, limit), total=_count(ctx, conditions)
    )


def _contract_in_force(now: date) -> ColumnElement[bool]:
    return and_(
        col(ServiceContract.status).in_([ContractStatus.ACTIVE, ContractStatus.TERMINATED]),
        col(ServiceContract.start_date) <= now,
        col(ServiceContract.end_date) >= now,
        or_(col(ServiceContract.terminated_on).is_(None), col(ServiceContract.terminated_on) > now),
    )


@service(Action.WARRANTY_VIEW, write=False)
def list_uncovered_terminals(ctx: Context, *, offset: int = 0, limit: int = 200) -> ExpiringPage:
    """Terminals in use, out of warranty today, that no contract in force covers.

    The warranties that ended most recently come first: those merchants are the ones to offer a
    service contract to. The few terminals contracts cover are gathered once (NOT IN a list),
    rather than looked up again for each of the many terminals out of warranty.
    """
    now = today(ctx)
    in_force = _contract_in_force(now)
    listed = (
        select(ContractTerminal.terminal_id)
        .join(ServiceContract, col(ServiceContract.id) == ContractTerminal.contract_id)
        .where(in_force)
    )
    whole = select(ServiceContract.merchant_id).where(col(ServiceContract.all_terminals).is_(True), in_force)
    base = [
        col(Terminal.status).not_in([*RETIRED, TerminalStatus.IN_STOCK]),
        col(Terminal.id).not_in(listed),
        or_(col(Terminal.merchant_id).is_(None), col(Terminal.merchant_id).not_in(whole)),
    ]
    # Two parts, each walking the index: warranties that ended, latest first, then terminals
    # with no warranty end at all (no start date or no policy).
    ended = [col(Terminal.warranty_ends_on) < now, *base]
    never = [col(Terminal.warranty_ends_on).is_(None), *base]
    limit = min(max(limit, 1), MAX_PAGE)
    ended_total = _count(ctx, ended)
    items = _expiring_items(ctx, ended, offset, limit, latest_first=True)
    items += _expiring_items(ctx, never, max(offset - ended_total, 0), limit - len(items))
    return ExpiringPage(items=items, total=ended_total + _count(ctx, never))


# --- the working calendar -------------------------------------------------------------------------


@service(Action.WARRANTY_VIEW, write=False)
def list_calendar_exceptions(ctx: Context, year: int | None = None) -> list[CalendarExceptionRead]:
    query = select(CalendarException).order_by(col(CalendarException.day))
    if year is not None:
        query = query.where(
            col(CalendarException.day) >= date(year, 1, 1), col(CalendarException.day) <= date(year, 12, 31)
        )
    return [CalendarExceptionRead.model_validate(e) for e in ctx.s.exec(query)]


@service(Action.CALENDAR_EDIT, write=True)
def save_calendar_exception(
    ctx: Context, day: date, is_workday: bool, note: str = ""
) -> CalendarExceptionRead:
    """Mark `day` as a working day or a day off, replacing what was marked for it before."""
    row = ctx.s.exec(select(CalendarException).where(CalendarException.day == day)).first()
    if row is None:
        row = CalendarException(
            day=day, is_workday=is_workday, branch_id=ctx.user.branch_id if ctx.user else None
        )
    row.is_workday = is_workday
    row.note = clean_text(note)[:100]
    ctx.s.add(row)
    ctx.s.flush()
    return CalendarExceptionRead.model_validate(row)


@service(Action.CALENDAR_EDIT, write=True)
def delete_calendar_exception(ctx: Context, day: date) -> None:
    row = ctx.s.exec(select(CalendarException).where(CalendarException.day == day)).first()
    if row is not None:
        ctx.s.delete(row)
        ctx.s.flush()


@service(Action.WARRANTY_VIEW, write=False)
def working_calendar(ctx: Context) -> WorkingCalendar:
    """The national calendar with this center's exceptions over it."""
    rows = ctx.s.exec(select(CalendarException))
    return WorkingCalendar(exceptions={row.day: row.is_workday for row in rows})
