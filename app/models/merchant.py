"""Merchants (商户): the customer archive."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import String
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
    city: str = Field(default="", max_length=20)
    district: str = Field(default="", max_length=20)
    address: str = Field(default="", max_length=200)
    risk_level: RiskLevel = Field(default=RiskLevel.LOW, sa_type=String(8))
    status: MerchantStatus = Field(default=MerchantStatus.ACTIVE, sa_type=String(12))
    onboarding_date: date | None = None
    notes: str = Field(default="", max_length=2000)


class Merchant(MerchantBase, RecordBase, table=True):
    merchant_no: str = Field(max_length=15, unique=True)


class MerchantRead(MerchantBase, RecordRead):
    pass
