"""The audit trail: who changed which record, when, from what to what."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.base import new_id, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: uuid.UUID | None = Field(default=None, index=True)
    username: str = Field(default="", max_length=50)
    action: str = Field(max_length=16)
    record_type: str = Field(max_length=50, index=True)
    record_id: str = Field(max_length=64, index=True)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    branch_id: uuid.UUID | None = Field(default=None)


class AuditRead(SQLModel):
    id: uuid.UUID
    at: datetime
    user_id: uuid.UUID | None
    username: str
    action: str
    record_type: str
    record_id: str
    changes: dict[str, Any]


class AuditFilter(SQLModel):
    user_id: uuid.UUID | None = None
    record_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class AuditPage(SQLModel):
    items: list[AuditRead]
    total: int
