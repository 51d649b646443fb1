"""Reading the audit trail (entries are written by the session hook in app.audit)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import col, func, select

from app.context import Context
from app.errors import ValidationError
from app.i18n import _
from app.models.audit import AuditEntry, AuditFilter, AuditPage, AuditRead
from app.rules.permissions import Action
from app.services.base import service

MAX_PAGE = 500


def _local_midnight_utc(day: object) -> datetime:
    local = datetime.combine(day, time.min).astimezone()  # type: ignore[arg-type]
    return local.astimezone(UTC)


@service(Action.AUDIT_VIEW, write=False)
def list_audit_entries(
    ctx: Context, filters: AuditFilter, *, offset: int = 0, limit: int = 100
) -> AuditPage:
    """Newest first; dates are the local calendar days, both ends included."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError.single("date_to", _("The end date is before the start date."))
    conditions: list[ColumnElement[bool]] = []
    if filters.user_id:
        conditions.append(col(AuditEntry.user_id) == filters.user_id)
    if filters.record_type:
        conditions.append(col(AuditEntry.record_type) == filters.record_type)
    if filters.date_from:
        conditions.append(col(AuditEntry.at) >= _local_midnight_utc(filters.date_from))
    if filters.date_to:
        end = _local_midnight_utc(filters.date_to + timedelta(days=1))
        conditions.append(col(AuditEntry.at) < end)
    total = ctx.s.exec(select(func.count()).select_from(AuditEntry).where(*conditions)).one()
    rows = ctx.s.exec(
        select(AuditEntry)
        .where(*conditions)
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .offset(max(0, offset))
        .limit(max(1, min(limit, MAX_PAGE)))
    ).all()
    return AuditPage(items=[AuditRead.model_validate(r) for r in rows], total=int(total))


@service(Action.AUDIT_VIEW, write=False)
def list_audit_record_types(ctx: Context) -> list[str]:
    return list(ctx.s.exec(select(AuditEntry.record_type).distinct().order_by(AuditEntry.record_type)))
