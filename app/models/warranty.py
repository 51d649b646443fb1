"""Warranty policies, service contracts, the working calendar's local exceptions, and coverage."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from app.models.base import RecordBase, RecordRead


class CostItem(StrEnum):
    """What a repair may cost; coverage says which of these are free."""

    PARTS = "parts"
    LABOUR = "labour"
    ONSITE = "onsite"
    REPLACEMENT = "replacement"


class ExclusionCause(StrEnum):
    """Named causes a policy or contract excludes (不在保修范围)."""

    PHYSICAL_DAMAGE = "physical_damage"
    LIQUID_DAMAGE = "liquid_damage"
    UNAUTHORISED_DISASSEMBLY = "unauthorised_disassembly"
    LOST_OR_STOLEN = "lost_or_stolen"
    CONSUMABLES = "consumables"
    POWER_SURGE = "power_surge"
    MISUSE = "misuse"


class WarrantyStart(StrEnum):
    """The event the warranty counts from."""

    PURCHASE = "purchase"
    ACTIVATION = "activation"


class ContractStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class CoverageKind(StrEnum):
    WARRANTY = "warranty"
    CONTRACT = "contract"
    NONE = "none"


# --- warranty policies ----------------------------------------------------------------------------


class WarrantyPolicyBase(SQLModel):
    name: str = Field(max_length=60)
    months: int = Field(default=12)
    covers_parts: bool = Field(default=True)
    covers_labour: bool = Field(default=True)
    covers_onsite: bool = Field(default=False)
    covers_replacement: bool = Field(default=False)
    start_event: WarrantyStart = Field(default=WarrantyStart.PURCHASE, sa_type=String(12))
    exclusions: list[ExclusionCause] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    document_text: str = Field(default="", max_length=2000)
    active: bool = Field(default=True)


class WarrantyPolicy(WarrantyPolicyBase, RecordBase, table=True):
    __tablename__ = "warranty_policy"

    name: str = Field(max_length=60, unique=True)


class WarrantyPolicyCreate(WarrantyPolicyBase):
    pass


class WarrantyPolicyUpdate(SQLModel):
    name: str | None = None
    months: int | None = None
    covers_parts: bool | None = None
    covers_labour: bool | None = None
    covers_onsite: bool | None = None
    covers_replacement: bool | None = None
    start_event: WarrantyStart | None = None
    exclusions: list[ExclusionCause] | None = None
    document_text: str | None = None
    active: bool | None = None
    expected_version: int


class WarrantyPolicyRead(WarrantyPolicyBase, RecordRead):
    # How many models use it as their default, and how many terminals carry it themselves.
    model_count: int = 0
    terminal_count: int = 0

    @property
    def free_items(self) -> frozenset[CostItem]:
        return _items(self)


# --- service contracts ----------------------------------------------------------------------------


class ServiceContractBase(SQLModel):
    merchant_id: uuid.UUID = Field(foreign_key="merchant.id", index=True)
    # True: every terminal the merchant holds; False: only the terminals listed.
    all_terminals: bool = Field(default=False)
    start_date: date
    end_date: date
    response_hours: int = Field(default=24)
    resolution_hours: int = Field(default=72)
    working_hours_only: bool = Field(default=True)
    covers_parts: bool = Field(default=True)
    covers_labour: bool = Field(default=True)
    covers_onsite: bool = Field(default=True)
    covers_replacement: bool = Field(default=False)
    exclusions: list[ExclusionCause] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    fee_fen: int = Field(default=0)
    notes: str = Field(default="", max_length=1000)


class ServiceContract(ServiceContractBase, RecordBase, table=True):
    __tablename__ = "service_contract"

    contract_no: str = Field(max_length=30, unique=True)
    status: ContractStatus = Field(default=ContractStatus.DRAFT, sa_type=String(12), index=True)
    end_date: date = Field(index=True)
    terminated_on: date | None = None
    termination_reason: str = Field(default="", max_length=500)
    renews_id: uuid.UUID | None = Field(default=None, foreign_key="service_contract.id")


class ContractTerminal(SQLModel, table=True):
    """A terminal a contract lists by name."""

    __tablename__ = "contract_terminal"

    contract_id: uuid.UUID = Field(foreign_key="service_contract.id", primary_key=True)
    terminal_id: uuid.UUID = Field(foreign_key="terminal.id", primary_key=True, index=True)


class ServiceContractCreate(ServiceContractBase):
    terminal_ids: list[uuid.UUID] = Field(default_factory=list)


class ServiceContractUpdate(SQLModel):
    all_terminals: bool | None = None
    terminal_ids: list[uuid.UUID] | None = None
    start_date: date | None = None
    end_date: date | None = None
    response_hours: int | None = None
    resolution_hours: int | None = None
    working_hours_only: bool | None = None
    covers_parts: bool | None = None
    covers_labour: bool | None = None
    covers_onsite: bool | None = None
    covers_replacement: bool | None = None
    exclusions: list[ExclusionCause] | None = None
    fee_fen: int | None = None
    notes: str | None = None
    expected_version: int


class ServiceContractRead(ServiceContractBase, RecordRead):
    contract_no: str
    status: ContractStatus
    terminated_on: date | None = None
    termination_reason: str = ""
    renews_id: uuid.UUID | None = None
    # Filled in by the service.
    merchant_name: str = ""
    merchant_no: str = ""
    terminal_ids: list[uuid.UUID] = Field(default_factory=list)
    terminal_serials: list[str] = Field(default_factory=list)
    renews_no: str = ""
    renewed_by_no: str = ""

    @property
    def free_items(self) -> frozenset[CostItem]:
        return _items(self)


class ContractFilter(SQLModel):
    merchant_id: uuid.UUID | None = None
    terminal_id: uuid.UUID | None = None
    status: ContractStatus | None = None
    # Active contracts that end within this many days from today.
    ending_within_days: int | None = None


class ContractPage(SQLModel):
    items: list[ServiceContractRead]
    total: int


# --- the working calendar's local exceptions ------------------------------------------------------


class CalendarException(RecordBase, table=True):
    """A day a supervisor marks as a working day or a day off, over the national calendar."""

    __tablename__ = "calendar_exception"

    day: date = Field(unique=True)
    is_workday: bool
    note: str = Field(default="", max_length=100)


class CalendarExceptionRead(RecordRead):
    day: date
    is_workday: bool
    note: str = ""


# --- coverage -------------------------------------------------------------------------------------


class CoverageRead(SQLModel):
    """The answer of the coverage rule for one terminal on one date (and one repair's cause)."""

    terminal_id: uuid.UUID
    serial_no: str
    on: date
    kind: CoverageKind
    free_items: list[CostItem] = Field(default_factory=list)
    # The warranty, whether or not it covers this date.
    policy_id: uuid.UUID | None = None
    policy_name: str = ""
    policy_text: str = ""  # the policy's own words, printed on documents
    warranty_start: date | None = None
    warranty_end: date | None = None
    # The contract that covers this date, if any (its SLA applies even inside the warranty).
    contract_id: uuid.UUID | None = None
    contract_no: str = ""
    contract_end: date | None = None
    response_hours: int | None = None
    resolution_hours: int | None = None
    working_hours_only: bool = False
    # Until when the coverage of `kind` lasts; None when not covered.
    until: date | None = None
    exclusion: ExclusionCause | None = None
    # One sentence for screens and printed documents: why covered, or why chargeable.
    reason: str = ""
    # The facts the decision was made on (app.rules.coverage.basis_of), for a ticket to keep.
    basis: dict[str, Any] = Field(default_factory=dict)


class CoveragePeriod(SQLModel):
    """One line of a terminal's coverage history."""

    kind: CoverageKind
    source_id: uuid.UUID | None = None
    name: str
    start: date | None
    end: date | None
    status: str
    free_items: list[CostItem] = Field(default_factory=list)


class ExpiringItem(SQLModel):
    terminal_id: uuid.UUID
    serial_no: str
    terminal_no: str = ""
    brand: str = ""
    model: str = ""
    merchant_id: uuid.UUID | None = None
    merchant_name: str = ""
    merchant_no: str = ""
    policy_name: str = ""
    warranty_end: date | None = None


class ExpiringPage(SQLModel):
    """Terminals whose warranty ends soon, or that have no coverage, with their end dates."""

    items: list[ExpiringItem]
    total: int


def _items(terms: WarrantyPolicyBase | ServiceContractBase) -> frozenset[CostItem]:
    flags = {
        CostItem.PARTS: terms.covers_parts,
        CostItem.LABOUR: terms.covers_labour,
        CostItem.ONSITE: terms.covers_onsite,
        CostItem.REPLACEMENT: terms.covers_replacement,
    }
    return frozenset(item for item, on in flags.items() if on)
