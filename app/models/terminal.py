"""POS terminals (终端): the device registry."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, String
from sqlmodel import Field, SQLModel

from app.models.base import RecordBase, RecordRead, new_id, utcnow


class TerminalType(StrEnum):
    ESIGN = "esign"
    SMART = "smart"
    TRADITIONAL = "traditional"


class TerminalStatus(StrEnum):
    IN_STOCK = "in_stock"
    DEPLOYED = "deployed"
    IN_REPAIR = "in_repair"
    SUSPENDED = "suspended"
    LOST = "lost"
    RETURNED = "returned"
    SCRAPPED = "scrapped"


class DepositStatus(StrEnum):
    NONE = "none"
    HELD = "held"
    REFUND_PENDING = "refund_pending"
    REFUNDED = "refunded"
    FORFEITED = "forfeited"


class TerminalBase(SQLModel):
    serial_no: str = Field(max_length=40)
    terminal_no: str = Field(default="", max_length=8, index=True)
    model_id: uuid.UUID = Field(foreign_key="device_model.id", index=True)
    acquirer_id: uuid.UUID | None = Field(default=None, foreign_key="acquirer.id", index=True)
    sim_iccid: str = Field(default="", max_length=22)
    firmware_version: str = Field(default="", max_length=40)
    purchase_date: date | None = None
    activation_date: date | None = None
    location: str = Field(default="", max_length=100)
    deposit_fen: int = Field(default=0)
    deposit_status: DepositStatus = Field(default=DepositStatus.NONE, sa_type=String(16))
    # A policy of its own, instead of its model's default.
    warranty_policy_id: uuid.UUID | None = Field(
        default=None, foreign_key="warranty_policy.id", index=True
    )
    notes: str = Field(default="", max_length=1000)


class Terminal(TerminalBase, RecordBase, table=True):
    # Covers the warranty lists (ending soon, out of warranty) without reading the rows.
    __table_args__ = (Index("ix_terminal_warranty", "warranty_ends_on", "status", "merchant_id", "id"),)

    serial_no: str = Field(max_length=40, unique=True)
    status: TerminalStatus = Field(default=TerminalStatus.IN_STOCK, sa_type=String(12), index=True)
    merchant_id: uuid.UUID | None = Field(default=None, foreign_key="merchant.id", index=True)
    # A swap records the other terminal's SN on both.
    replaced_by_serial_no: str = Field(default="", max_length=40)
    replaces_serial_no: str = Field(default="", max_length=40)
    # The last day of its warranty, as the coverage rule computes it: kept so that lists of
    # warranties ending soon are one indexed query. The warranty service keeps it current.
    warranty_ends_on: date | None = Field(default=None)


class TerminalCreate(TerminalBase):
    pass


class TerminalUpdate(SQLModel):
    terminal_no: str | None = None
    model_id: uuid.UUID | None = None
    acquirer_id: uuid.UUID | None = None
    sim_iccid: str | None = None
    firmware_version: str | None = None
    purchase_date: date | None = None
    activation_date: date | None = None
    location: str | None = None
    deposit_fen: int | None = None
    deposit_status: DepositStatus | None = None
    warranty_policy_id: uuid.UUID | None = None
    notes: str | None = None
    expected_version: int


class TerminalRead(TerminalBase, RecordRead):
    status: TerminalStatus
    merchant_id: uuid.UUID | None = None
    replaced_by_serial_no: str = ""
    replaces_serial_no: str = ""
    warranty_ends_on: date | None = None
    # Filled in by the service from the catalogue and the holder.
    brand: str = ""
    model: str = ""
    terminal_type: TerminalType = TerminalType.SMART
    acquirer: str = ""
    merchant_name: str = ""
    merchant_no: str = ""


class TerminalFilter(SQLModel):
    status: TerminalStatus | None = None
    model_id: uuid.UUID | None = None
    acquirer_id: uuid.UUID | None = None
    deposit_status: DepositStatus | None = None
    merchant_id: uuid.UUID | None = None
    text: str = ""


class TerminalPage(SQLModel):
    items: list[TerminalRead]
    total: int


class TerminalEventKind(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    BOUND = "bound"
    UNBOUND = "unbound"
    SWAPPED = "swapped"
    FIRMWARE_CHANGED = "firmware_changed"
    STATUS_CHANGED = "status_changed"
    REPAIRED = "repaired"
    INSPECTED = "inspected"


class TerminalEvent(SQLModel, table=True):
    """One line of a terminal's timeline; later areas add their own kinds."""

    __tablename__ = "terminal_event"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    terminal_id: uuid.UUID = Field(foreign_key="terminal.id", index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    kind: str = Field(max_length=24)
    user_id: uuid.UUID | None = Field(default=None)
    username: str = Field(default="", max_length=50)
    merchant_id: uuid.UUID | None = Field(default=None, index=True)
    summary: str = Field(default="", max_length=500)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    branch_id: uuid.UUID | None = Field(default=None)


class TerminalEventRead(SQLModel):
    id: uuid.UUID
    terminal_id: uuid.UUID
    at: datetime
    kind: str
    username: str
    merchant_id: uuid.UUID | None
    summary: str
    details: dict[str, Any]
