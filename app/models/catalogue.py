"""The device catalogue: brands and models, acquirers, firmware releases."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import RecordBase, RecordRead
from app.models.terminal import TerminalType


class DeviceModelBase(SQLModel):
    brand: str = Field(max_length=40)
    model: str = Field(max_length=40)
    terminal_type: TerminalType = Field(default=TerminalType.SMART, sa_type=String(12))
    list_price_fen: int = Field(default=0)
    # The warranty every terminal of this model has unless it carries its own policy.
    warranty_policy_id: uuid.UUID | None = Field(default=None, foreign_key="warranty_policy.id")
    active: bool = Field(default=True)


class DeviceModel(DeviceModelBase, RecordBase, table=True):
    __tablename__ = "device_model"
    __table_args__ = (UniqueConstraint("brand", "model"),)


class DeviceModelCreate(DeviceModelBase):
    pass


class DeviceModelUpdate(SQLModel):
    brand: str | None = None
    model: str | None = None
    terminal_type: TerminalType | None = None
    list_price_fen: int | None = None
    warranty_policy_id: uuid.UUID | None = None
    active: bool | None = None
    expected_version: int


class DeviceModelRead(DeviceModelBase, RecordRead):
    warranty_policy_name: str = ""

    @property
    def label(self) -> str:
        return f"{self.brand} {self.model}"


class AcquirerBase(SQLModel):
    name: str = Field(max_length=40)
    active: bool = Field(default=True)


class Acquirer(AcquirerBase, RecordBase, table=True):
    name: str = Field(max_length=40, unique=True)


class AcquirerRead(AcquirerBase, RecordRead):
    pass


class FirmwareReleaseBase(SQLModel):
    model_id: uuid.UUID = Field(foreign_key="device_model.id", index=True)
    firmware_version: str = Field(max_length=40)
    release_date: date
    mandatory: bool = Field(default=False)
    notes: str = Field(default="", max_length=500)


class FirmwareRelease(FirmwareReleaseBase, RecordBase, table=True):
    __tablename__ = "firmware_release"
    __table_args__ = (UniqueConstraint("model_id", "firmware_version"),)


class FirmwareReleaseCreate(FirmwareReleaseBase):
    pass


class FirmwareReleaseRead(FirmwareReleaseBase, RecordRead):
    pass
