"""Human record numbers (`HT-<branch>-<yyyymmdd>-<seq>`), unique however many desks write at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from app.context import Context
from app.models.branch import Branch
from app.models.meta import NumberSequence


def branch_code(ctx: Context) -> str:
    """The acting user's branch code, or the only branch's code for the command line."""
    branch_id = ctx.user.branch_id if ctx.user else None
    branch = ctx.s.get(Branch, branch_id) if branch_id else None
    if branch is None:
        branch = ctx.s.exec(select(Branch).order_by(col(Branch.created_at))).first()
    return branch.code if branch else "HQ"


def next_value(ctx: Context, key: str) -> int:
    """The next number of the series `key`, taken in one statement.

    An upsert that increments and returns the counter: PostgreSQL locks the row until the
    transaction ends and SQLite has one writer at a time, so two desks never get the same value.
    """
    dialect = ctx.s.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = NumberSequence.__table__  # type: ignore[attr-defined]
    statement = (
        insert(table)
        .values(key=key, value=1)
        .on_conflict_do_update(index_elements=["key"], set_={"value": table.c.value + 1})
        .returning(table.c.value)
    )
    value: int = ctx.s.connection().execute(statement).scalar_one()
    return value


def day_number(ctx: Context, prefix: str, day: date) -> str:
    """`<prefix>-<branch>-<yyyymmdd>-<seq>`, the sequence restarting each day at 001."""
    stem = f"{prefix}-{branch_code(ctx)}-{day:%Y%m%d}"
    return f"{stem}-{next_value(ctx, stem):03d}"
