"""Merchants (商户): the customer archive."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from app.models.base import RecordBase, RecordRead


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class MerchantStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class MerchantBase(SQLModel):
    merchant_no: str = Field(max_length=15)
    legal_name: str = Field(max_length=100)
    shop_name: str = Field(default="", max_length=100)
    uscc: str = Field(default="", max_length=18)
    mcc: str = Field(default="", max_length=8)
    legal_rep: str = Field(default="", max_length=50)
    legal_rep_id_no: str = Field(default="", max_length=18)
    contact_name: str = Field(default="", max_length=50)
    mobile: str = Field(default="", max_length=20)
    landline: str = Field(default="", max_length=24)
    province: str = Field(default="", max_length=20)
    city: str = Field(default="", max_length=20, index=True)
    district: str = Field(default="", max_length=20)
    address: str = Field(default="", max_length=200)
    risk_level: RiskLevel = Field(default=RiskLevel.LOW, sa_type=String(8), index=True)
    status: MerchantStatus = Field(default=MerchantStatus.ACTIVE, sa_type=String(12), index=True)
    onboarding_date: date | None = None
    notes: str = Field(default="", max_length=2000)


class Merchant(MerchantBase, RecordBase, table=True):
    # The region filter lists the regions in use: one covering index answers it.
    __table_args__ = (Index("ix_merchant_region", "province", "city", "district"),)

    merchant_no: str = Field(max_length=15, unique=True)
    service_branch_id: uuid.UUID | None = Field(default=None, foreign_key="branch.id")
    closed_reason: str = Field(default="", max_length=500)
    closed_on: date | None = None


class MerchantContactBase(SQLModel):
    name: str = Field(max_length=50)
    role: str = Field(default="", max_length=50)
    phone: str = Field(default="", max_length=24)


class MerchantContact(MerchantContactBase, RecordBase, table=True):
    __tablename__ = "merchant_contact"

    merchant_id: uuid.UUID = Field(foreign_key="merchant.id", index=True)


class MerchantContactRead(MerchantContactBase):
    id: uuid.UUID | None = None


class MerchantCreate(MerchantBase):
    contacts: list[MerchantContactBase] = []


class MerchantUpdate(SQLModel):
    legal_name: str | None = None
    shop_name: str | None = None
    uscc: str | None = None
    mcc: str | None = None
    legal_rep: str | None = None
    legal_rep_id_no: str | None = None
    contact_name: str | None = None
    mobile: str | None = None
    landline: str | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    address: str | None = None
    risk_level: RiskLevel | None = None
    status: MerchantStatus | None = None
    onboarding_date: date | None = None
    notes: str | None = None
    contacts: list[MerchantContactBase] | None = None
    expected_version: int


class MerchantRead(MerchantBase, RecordRead):
    service_branch_id: uuid.UUID | None = None
    closed_reason: str = ""
    closed_on: date | None = None
    contacts: list[MerchantContactRead] = []
    masked: bool = False  # personal data shown masked for this user's role


class MerchantFilter(SQLModel):
    status: MerchantStatus | None = None
    risk_level: RiskLevel | None = None
    province: str | None = None
    city: str | None = None
    district: str | None = None
    text: str = ""


class MerchantPage(SQLModel):
    items: list[MerchantRead]
    total: int
