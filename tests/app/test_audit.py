"""The audit trail is written by one session hook, inside the same transaction as the change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.context import Context
from app.errors import ValidationError
from app.models.audit import AuditEntry, AuditFilter
from app.models.user import Role, User, UserCreate, UserUpdate
from app.services import audit, users
from tests.conftest import USER_PASSWORD, FixedClock, make_user, table_count


def _entries(ctx: Context, **filters: object) -> list:  # type: ignore[type-arg]
    return audit.list_audit_entries(ctx, AuditFilter(**filters)).items  # type: ignore[arg-type]


def test_create_records_who_when_what(any_admin_ctx: Context, clock: FixedClock) -> None:
    clock.advance(hours=1)
    user = users.create_user(
        any_admin_ctx, UserCreate(username="zhangsan", display_name="张三", role=Role.CLERK, password=USER_PASSWORD)
    )
    entry = _entries(any_admin_ctx, record_type="app_user")[0]
    assert entry.action == "create" and entry.record_id == str(user.id)
    assert entry.username == "admin" and entry.user_id == any_admin_ctx.user.id  # type: ignore[union-attr]
    assert entry.at == clock.current
    assert entry.changes["display_name"] == [None, "张三"]
    assert entry.changes["password_hash"] == [None, "***"]  # never the hash itself


def test_update_records_old_and_new_values_only_for_changed_fields(any_admin_ctx: Context) -> None:
    user = users.create_user(
        any_admin_ctx, UserCreate(username="zhangsan", display_name="张三", role=Role.CLERK, password=USER_PASSWORD)
    )
    users.update_user(
        any_admin_ctx, user.id, UserUpdate(display_name="张三丰", role=Role.CLERK, expected_version=user.version)
    )
    entry = _entries(any_admin_ctx, record_type="app_user")[0]
    assert entry.action == "update"
    assert entry.changes == {"display_name": ["张三", "张三丰"]}


def test_no_entry_when_nothing_changed(any_admin_ctx: Context) -> None:
    user = users.create_user(
        any_admin_ctx, UserCreate(username="zhangsan", display_name="张三", role=Role.CLERK, password=USER_PASSWORD)
    )
    before = table_count(any_admin_ctx.db, "audit_entry")
    users.update_user(any_admin_ctx, user.id, UserUpdate(display_name="张三", expected_version=user.version))
    assert table_count(any_admin_ctx.db, "audit_entry") == before


def test_failed_write_leaves_no_audit_entry(any_admin_ctx: Context) -> None:
    before = table_count(any_admin_ctx.db, "audit_entry")
    with pytest.raises(ValidationError):
        users.create_user(
            any_admin_ctx, UserCreate(username="zhangsan", display_name="张三", role=Role.CLERK, password="short")
        )
    assert table_count(any_admin_ctx.db, "audit_entry") == before


def test_entry_is_in_the_same_transaction_as_the_change(any_admin_ctx: Context) -> None:
    db = any_admin_ctx.db
    with db.session(write=True, info={"username": "x"}) as session:
        row = session.exec(select(User).where(User.username == "admin")).one()
        row.display_name = "临时"
        session.flush()
        assert session.exec(select(AuditEntry).where(AuditEntry.username == "x")).first() is not None
        session.rollback()
    with db.session() as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.username == "x")).first() is None


def test_filters_by_user_record_type_and_date(any_admin_ctx: Context, clock: FixedClock) -> None:
    clerk = make_user(any_admin_ctx, "clerk1", Role.CLERK)
    clock.advance(days=3)
    users.change_own_password(any_admin_ctx.as_user(clerk), USER_PASSWORD, "Other2026pass")
    mine = _entries(any_admin_ctx, user_id=clerk.id)
    assert mine and all(e.username == "clerk1" for e in mine)
    assert {e.record_type for e in _entries(any_admin_ctx, record_type="branch")} == {"branch"}
    day = clock.current.astimezone().date()
    on_day = _entries(any_admin_ctx, date_from=day, date_to=day)
    assert on_day and all(e.at.astimezone().date() == day for e in on_day)
    assert _entries(any_admin_ctx, date_from=day + timedelta(days=1)) == []
    assert "app_user" in audit.list_audit_record_types(any_admin_ctx)


def test_reversed_dates_are_a_field_error(any_admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        _entries(any_admin_ctx, date_from=date(2026, 5, 2), date_to=date(2026, 5, 1))
    assert set(err.value.fields) == {"date_to"}


def test_pages_are_newest_first_with_total(any_admin_ctx: Context, clock: FixedClock) -> None:
    for i in range(5):
        clock.advance(minutes=1)
        make_user(any_admin_ctx, f"user{i}", Role.TECHNICIAN)
    page = audit.list_audit_entries(any_admin_ctx, AuditFilter(), offset=0, limit=3)
    rest = audit.list_audit_entries(any_admin_ctx, AuditFilter(), offset=3, limit=100)
    assert len(page.items) == 3 and page.total == len(page.items) + len(rest.items)
    times = [e.at for e in page.items + rest.items]
    assert times == sorted(times, reverse=True)


def test_technician_may_not_read_the_audit_trail(admin_ctx: Context) -> None:
    from app.errors import PermissionDenied

    tech = make_user(admin_ctx, "tech1", Role.TECHNICIAN)
    with pytest.raises(PermissionDenied):
        _entries(admin_ctx.as_user(tech))
