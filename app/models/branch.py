"""Service branches (服务网点)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from app.models.base import RecordBase, RecordRead


class BranchBase(SQLModel):
    code: str = Field(max_length=16)
    name: str = Field(max_length=100)
    address: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=32)


class Branch(BranchBase, RecordBase, table=True):
    code: str = Field(max_length=16, unique=True)


class BranchCreate(BranchBase):
    pass


class BranchRead(BranchBase, RecordRead):
    pass
