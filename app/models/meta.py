"""Small facts about this database (demo marker, demo password) as key/value pairs."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class AppMeta(SQLModel, table=True):
    __tablename__ = "app_meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", max_length=500)


class NumberSequence(SQLModel, table=True):
    """The last number handed out per series (contract numbers of a branch and day, ...)."""

    __tablename__ = "number_sequence"

    key: str = Field(primary_key=True, max_length=64)
    value: int = Field(default=0)
