"""The coverage rule: is a terminal's repair on a given date covered, by what, and until when.

This is the only place coverage is decided. The warranty service gathers the facts (the terminal's
dates, its policy, the contracts that name it) and calls `decide`; tickets, printed documents and
the terminal page all ask the service.

Dates are whole days: a warranty of N months that starts on day S covers S through `warranty_end`,
both included; a contract covers its start date through its end date, both included, and a
terminated contract covers up to the day before its termination date.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.i18n import N_, NC_, _, pgettext
from app.models.warranty import (
    ContractStatus,
    CostItem,
    CoverageKind,
    ExclusionCause,
    WarrantyStart,
)

COST_ITEM_LABELS: dict[CostItem, str] = {
    CostItem.PARTS: N_("parts"),
    CostItem.LABOUR: N_("labour"),
    CostItem.ONSITE: N_("on-site visit"),
    CostItem.REPLACEMENT: N_("replacement unit"),
}
EXCLUSION_LABELS: dict[ExclusionCause, str] = {
    ExclusionCause.PHYSICAL_DAMAGE: N_("physical damage"),
    ExclusionCause.LIQUID_DAMAGE: N_("liquid damage"),
    ExclusionCause.UNAUTHORISED_DISASSEMBLY: N_("unauthorised disassembly"),
    ExclusionCause.LOST_OR_STOLEN: N_("lost or stolen"),
    ExclusionCause.CONSUMABLES: N_("consumables (paper rolls, batteries)"),
    ExclusionCause.POWER_SURGE: N_("power surge or wrong power supply"),
    ExclusionCause.MISUSE: N_("use against the instructions"),
}
START_LABELS: dict[WarrantyStart, str] = {
    WarrantyStart.PURCHASE: N_("purchase date"),
    WarrantyStart.ACTIVATION: N_("activation date"),
}
# "active" and "expired" mean something else for merchants and user accounts.
CONTRACT_STATUS_LABELS: dict[ContractStatus, tuple[str, str]] = {
    ContractStatus.DRAFT: NC_("contract", "draft"),
    ContractStatus.ACTIVE: NC_("contract", "active"),
    ContractStatus.EXPIRED: NC_("contract", "expired"),
    ContractStatus.TERMINATED: NC_("contract", "terminated"),
}
KIND_LABELS: dict[CoverageKind, str] = {
    CoverageKind.WARRANTY: N_("in warranty"),
    CoverageKind.CONTRACT: N_("service contract"),
    CoverageKind.NONE: N_("not covered"),
}

# The longest terms people may enter.
MAX_WARRANTY_MONTHS = 120
MAX_CONTRACT_DAYS = 366 * 10


def cost_item_label(item: CostItem | str) -> str:
    return _(COST_ITEM_LABELS[CostItem(item)])


def exclusion_label(cause: ExclusionCause | str) -> str:
    return _(EXCLUSION_LABELS[ExclusionCause(cause)])


def start_label(event: WarrantyStart | str) -> str:
    return _(START_LABELS[WarrantyStart(event)])


def contract_status_label(status: ContractStatus | str) -> str:
    return pgettext(*CONTRACT_STATUS_LABELS[ContractStatus(status)])


def kind_label(kind: CoverageKind | str) -> str:
    return _(KIND_LABELS[CoverageKind(kind)])


def items_text(items: Iterable[CostItem]) -> str:
    """The free items in a fixed order, as one phrase ("parts, labour")."""
    chosen = set(items)
    if not chosen:
        return _("nothing")
    return _(", ").join(cost_item_label(i) for i in CostItem if i in chosen)


# --- dates ----------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when that month is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def warranty_end(start: date, months: int) -> date | None:
    """The last day a warranty of `months` from `start` covers; None for a warranty of no months.

    Twelve months from 15 March cover through 14 March of the next year. When the month of the
    end has no such day (29 February in a common year, the 31st of a short month), the warranty
    lasts to the end of that month, so no one loses a day.
    """
    if months <= 0:
        return None
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if start.day > last:
        return date(year, month + 1, last)
    return date(year, month + 1, start.day) - timedelta(days=1)


def warranty_start(
    purchase: date | None, activation: date | None, event: WarrantyStart
) -> date | None:
    """The day the warranty counts from; activation falls back to purchase when not activated."""
    if event == WarrantyStart.ACTIVATION and activation is not None:
        return activation
    return purchase


# --- the terms ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyTerms:
    id: uuid.UUID | None
    name: str
    months: int
    start_event: WarrantyStart
    free_items: frozenset[CostItem]
    exclusions: frozenset[ExclusionCause] = frozenset()


@dataclass(frozen=True)
class ContractTerms:
    id: uuid.UUID | None
    number: str
    start: date
    end: date
    status: ContractStatus
    free_items: frozenset[CostItem]
    exclusions: frozenset[ExclusionCause] = frozenset()
    terminated_on: date | None = None
    response_hours: int = 24
    resolution_hours: int = 72
    working_hours_only: bool = True

    def last_day(self) -> date | None:
        """The last day this contract covers, or None if it never covers a day."""
        if self.status == ContractStatus.DRAFT:
            return None
        last = self.end
        if self.status == ContractStatus.TERMINATED:
            if self.terminated_on is None:
                return None
            last = min(last, self.terminated_on - timedelta(days=1))
        return last if last >= self.start else None

    def in_force(self, on: date) -> bool:
        last = self.last_day()
        return last is not None and self.start <= on <= last


def effective_status(status: ContractStatus, end: date, today: date) -> ContractStatus:
    """An active contract past its end date reads as expired, before anyone marks it so."""
    if status == ContractStatus.ACTIVE and end < today:
        return ContractStatus.EXPIRED
    return status


# --- the decision ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    kind: CoverageKind
    free_items: frozenset[CostItem]
    reason: str
    until: date | None = None
    warranty_start: date | None = None
    warranty_end: date | None = None
    contract: ContractTerms | None = None
    exclusion: ExclusionCause | None = None
    excluded_by: tuple[str, ...] = field(default=())


def _warranty_gap(
    on: date, policy: PolicyTerms | None, start: date | None, end: date | None
) -> str:
    """Why the warranty does not cover `on` (it does not, when this is called)."""
    if policy is None:
        return _("No warranty policy is set for this terminal or its model.")
    if start is None:
        if policy.start_event == WarrantyStart.ACTIVATION:
            return _("Neither the activation date nor the purchase date is recorded.")
        return _("The purchase date is not recorded.")
    if end is None:
        return _("The policy {policy} gives no warranty.").format(policy=policy.name)
    if on < start:
        return _("The warranty starts on {date}.").format(date=start.isoformat())
    return _("The warranty ended on {date}.").format(date=end.isoformat())


def choose_contract(contracts: Sequence[ContractTerms], on: date) -> ContractTerms | None:
    """Of the contracts in force on `on`, the one that lasts longest, then covers most."""
    in_force = [c for c in contracts if c.in_force(on)]
    if not in_force:
        return None
    return max(in_force, key=lambda c: (c.last_day() or c.end, len(c.free_items), c.number))


def decide(
    on: date,
    *,
    purchase: date | None,
    activation: date | None,
    policy: PolicyTerms | None,
    contracts: Sequence[ContractTerms] = (),
    exclusion: ExclusionCause | None = None,
) -> Decision:
    """Coverage of one terminal's repair on `on`, the repair's exclusion cause taken into account.

    Warranty and contract add up: the free items are those of every source that covers the day
    and does not exclude the cause. The warranty names the coverage when it covers; a contract in
    force is returned even inside the warranty, because its response times apply.
    """
    start = warranty_start(purchase, activation, policy.start_event) if policy else None
    end = warranty_end(start, policy.months) if policy and start else None
    in_warranty = policy is not None and start is not None and end is not None and start <= on <= end
    contract = choose_contract(contracts, on)

    free: set[CostItem] = set()
    kind = CoverageKind.NONE
    until: date | None = None
    excluded_by: list[str] = []
    parts: list[str] = []
    if in_warranty and policy is not None and end is not None:
        if exclusion is not None and exclusion in policy.exclusions:
            excluded_by.append(_("warranty policy {policy}").format(policy=policy.name))
        else:
            kind, until = CoverageKind.WARRANTY, end
            free |= policy.free_items
            parts.append(
                _("In warranty ({policy}) until {date}.").format(
                    policy=policy.name, date=end.isoformat()
                )
            )
    if contract is not None:
        if exclusion is not None and exclusion in contract.exclusions:
            excluded_by.append(_("service contract {number}").format(number=contract.number))
        else:
            if kind == CoverageKind.NONE:
                kind, until = CoverageKind.CONTRACT, contract.last_day()
            free |= contract.free_items
            parts.append(
                _("Service contract {number} until {date}.").format(
                    number=contract.number, date=(contract.last_day() or contract.end).isoformat()
                )
            )

    if excluded_by and exclusion is not None:
        sentence = _("{cause} is excluded by {sources}, so this repair is chargeable.").format(
            cause=exclusion_label(exclusion), sources=_(" and ").join(excluded_by)
        )
        if kind == CoverageKind.NONE:
            parts = [_("Chargeable:") + " " + sentence]
        else:
            parts.append(sentence)
    if kind == CoverageKind.NONE and not excluded_by:
        parts.append(_("Not covered:") + " " + _warranty_gap(on, policy, start, end))
    elif kind != CoverageKind.NONE:
        parts.append(_("Free: {items}.").format(items=items_text(free)))
    return Decision(
        kind=kind,
        free_items=frozenset(free),
        reason=" ".join(parts),
        until=until,
        warranty_start=start,
        warranty_end=end,
        contract=contract,
        exclusion=exclusion,
        excluded_by=tuple(excluded_by),
    )


# --- the facts a decision was made on, kept with a repair -----------------------------------------


def basis_of(
    on: date,
    purchase: date | None,
    activation: date | None,
    policy: PolicyTerms | None,
    contract: ContractTerms | None,
) -> dict[str, Any]:
    """The facts of one decision as JSON: a ticket keeps them, so that its coverage sentence can
    be said again later, in the reader's language, exactly as it was decided at intake."""

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "on": on.isoformat(),
        "purchase": day(purchase),
        "activation": day(activation),
        "policy": None
        if policy is None
        else {
            "name": policy.name,
            "months": policy.months,
            "start_event": str(policy.start_event),
            "free_items": sorted(str(i) for i in policy.free_items),
            "exclusions": sorted(str(e) for e in policy.exclusions),
        },
        "contract": None
        if contract is None
        else {
            "number": contract.number,
            "start": contract.start.isoformat(),
            "end": contract.end.isoformat(),
            "status": str(contract.status),
            "terminated_on": day(contract.terminated_on),
            "free_items": sorted(str(i) for i in contract.free_items),
            "exclusions": sorted(str(e) for e in contract.exclusions),
        },
    }


def decide_again(basis: dict[str, Any], exclusion: ExclusionCause | None) -> Decision:
    """The decision `basis_of` kept, made again (its sentences in the current language)."""

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    policy = basis.get("policy")
    contract = basis.get("contract")
    return decide(
        date.fromisoformat(basis["on"]),
        purchase=day(basis.get("purchase")),
        activation=day(basis.get("activation")),
        policy=None
        if policy is None
        else PolicyTerms(
            id=None,
            name=policy["name"],
            months=policy["months"],
            start_event=WarrantyStart(policy["start_event"]),
            free_items=frozenset(CostItem(i) for i in policy["free_items"]),
            exclusions=frozenset(ExclusionCause(e) for e in policy["exclusions"]),
        ),
        contracts=[]
        if contract is None
        else [
            ContractTerms(
                id=None,
                number=contract["number"],
                start=date.fromisoformat(contract["start"]),
                end=date.fromisoformat(contract["end"]),
                status=ContractStatus(contract["status"]),
                terminated_on=day(contract.get("terminated_on")),
                free_items=frozenset(CostItem(i) for i in contract["free_items"]),
                exclusions=frozenset(ExclusionCause(e) for e in contract["exclusions"]),
            )
        ],
        exclusion=exclusion,
    )
