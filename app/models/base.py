"""The record conventions every table shares (DESIGN.md, Records)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import uuid6
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


# Named constraints, so that migrations can refer to them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    """A time-ordered UUID (v7): records made at different branches never collide."""
    return uuid.UUID(bytes=uuid6.uuid7().bytes)


class RecordBase(SQLModel):
    """Key, timestamps, optimistic-locking version and branch of origin."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)
    branch_id: uuid.UUID | None = Field(default=None, index=True)

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        # SQLAlchemy bumps `version` on every UPDATE and raises StaleDataError when the row
        # changed underneath; the unit of work retries or reports a Conflict.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class RecordRead(SQLModel):
    """Fields every read schema carries."""

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    version: int
    branch_id: uuid.UUID | None = None
