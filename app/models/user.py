"""Staff accounts (users) and their roles."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.models.base import RecordBase, RecordRead


class Role(StrEnum):
    """What a staff member is there for; app/rules/permissions.py says what each may do."""

    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CLERK = "clerk"
    TECHNICIAN = "technician"


class UserBase(SQLModel):
    username: str = Field(max_length=32)
    display_name: str = Field(max_length=50)
    role: Role = Field(sa_type=String(16))


class User(UserBase, RecordBase, table=True):
    __tablename__ = "app_user"

    username: str = Field(max_length=32, unique=True)
    password_hash: str = Field(max_length=200)
    is_active: bool = Field(default=True)
    must_change_password: bool = Field(default=False)
    failed_attempts: int = Field(default=0)
    locked_until: datetime | None = Field(default=None)
    last_sign_in_at: datetime | None = Field(default=None)


class UserCreate(UserBase):
    password: str


class UserUpdate(SQLModel):
    display_name: str | None = None
    role: Role | None = None
    expected_version: int


class UserRead(UserBase, RecordRead):
    is_active: bool
    must_change_password: bool
    locked_until: datetime | None = None
    last_sign_in_at: datetime | None = None


class Actor(SQLModel):
    """The signed-in person on whose behalf a service acts."""

    id: uuid.UUID | None
    username: str
    display_name: str
    role: Role
    branch_id: uuid.UUID | None = None
    must_change_password: bool = False
