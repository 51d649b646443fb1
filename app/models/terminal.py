"""POS terminals (终端): the device registry."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.models.base import RecordBase, RecordRead


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
    terminal_no: str = Field(default="", max_length=8)
    brand: str = Field(default="", max_length=40)
    model: str = Field(default="", max_length=40)
    terminal_type: TerminalType = Field(default=TerminalType.SMART, sa_type=String(12))
    acquirer: str = Field(default="", max_length=40)
    sim_iccid: str = Field(default="", max_length=22)
    firmware_version: str = Field(default="", max_length=40)
    purchase_date: date | None = None
    activation_date: date | None = None
    status: TerminalStatus = Field(default=TerminalStatus.IN_STOCK, sa_type=String(12))
    deposit_fen: int = Field(default=0)
    deposit_status: DepositStatus = Field(default=DepositStatus.NONE, sa_type=String(16))


class Terminal(TerminalBase, RecordBase, table=True):
    serial_no: str = Field(max_length=40, unique=True)
    merchant_id: uuid.UUID | None = Field(default=None, foreign_key="merchant.id", index=True)


class TerminalRead(TerminalBase, RecordRead):
    merchant_id: uuid.UUID | None = None
