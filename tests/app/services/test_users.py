"""User administration: create, edit with optimistic locking, reset, deactivate, own password."""

from __future__ import annotations

import pytest

from app.context import Context
from app.errors import Conflict, PermissionDenied, ValidationError
from app.models.user import Role, UserCreate, UserUpdate
from app.services import auth, users
from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, make_user


def _create(ctx: Context, username: str = "zhangsan", **overrides: object) -> object:
    data = {"username": username, "display_name": "张三", "role": Role.CLERK, "password": USER_PASSWORD}
    data.update(overrides)
    return users.create_user(ctx, UserCreate(**data))  # type: ignore[arg-type]


def test_create_user_normalises_and_lists(any_admin_ctx: Context) -> None:
    user = users.create_user(
        any_admin_ctx,
        UserCreate(username=" ZhangSan ", display_name=" 张三 ", role=Role.CLERK, password=USER_PASSWORD),
    )
    assert user.username == "zhangsan" and user.display_name == "张三"
    assert user.branch_id == any_admin_ctx.user.branch_id  # type: ignore[union-attr]
    assert [u.username for u in users.list_users(any_admin_ctx)] == ["admin", "zhangsan"]


def test_create_user_reports_every_bad_field(any_admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        users.create_user(
            any_admin_ctx, UserCreate(username="9x", display_name=" ", role=Role.CLERK, password="short")
        )
    assert set(err.value.fields) == {"username", "display_name", "password"}
    assert "8 characters" in err.value.fields["password"]


def test_taken_username_is_a_field_error(any_admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        _create(any_admin_ctx, "admin")
    assert "taken" in err.value.fields["username"]


def test_stale_edit_is_a_conflict_not_an_overwrite(any_admin_ctx: Context) -> None:
    user = _create(any_admin_ctx)
    first = users.update_user(any_admin_ctx, user.id, UserUpdate(display_name="张三丰", expected_version=user.version))  # type: ignore[attr-defined]
    assert first.version == user.version + 1  # type: ignore[attr-defined]
    with pytest.raises(Conflict):
        users.update_user(any_admin_ctx, user.id, UserUpdate(display_name="张小三", expected_version=user.version))  # type: ignore[attr-defined]
    assert users.get_user(any_admin_ctx, user.id).display_name == "张三丰"  # type: ignore[attr-defined]


def test_last_admin_keeps_the_role_and_stays_active(any_admin_ctx: Context) -> None:
    admin = users.list_users(any_admin_ctx)[0]
    with pytest.raises(ValidationError):
        users.update_user(any_admin_ctx, admin.id, UserUpdate(role=Role.CLERK, expected_version=admin.version))
    with pytest.raises(ValidationError, match="own account"):
        users.deactivate_user(any_admin_ctx, admin.id)


def test_reset_password_forces_a_change(any_admin_ctx: Context) -> None:
    user = _create(any_admin_ctx)
    users.reset_password(any_admin_ctx, user.id, "Temp2026xyz")  # type: ignore[attr-defined]
    actor = auth.sign_in(any_admin_ctx.as_user(None), "zhangsan", "Temp2026xyz")
    assert actor.must_change_password
    ctx = any_admin_ctx.as_user(actor)
    with pytest.raises(ValidationError) as err:
        users.change_own_password(ctx, "wrong", "New2026pass")
    assert set(err.value.fields) == {"old_password"}
    users.change_own_password(ctx, "Temp2026xyz", "New2026pass")
    again = auth.sign_in(any_admin_ctx.as_user(None), "zhangsan", "New2026pass")
    assert not again.must_change_password


def test_reactivate_after_deactivate(any_admin_ctx: Context) -> None:
    user = _create(any_admin_ctx)
    assert not users.deactivate_user(any_admin_ctx, user.id).is_active  # type: ignore[attr-defined]
    assert users.reactivate_user(any_admin_ctx, user.id).is_active  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.CLERK, Role.TECHNICIAN])
def test_only_administrators_manage_users(admin_ctx: Context, role: Role) -> None:
    actor = make_user(admin_ctx, f"u{role.value}", role)
    ctx = admin_ctx.as_user(actor)
    with pytest.raises(PermissionDenied):
        _create(ctx, "someone")
    with pytest.raises(PermissionDenied):
        users.reset_password(ctx, actor.id, "Another2026")  # type: ignore[arg-type]
    # Everyone changes their own password.
    users.change_own_password(ctx, USER_PASSWORD, "Mine2026pass")


def test_signed_out_context_is_refused(admin_ctx: Context) -> None:
    with pytest.raises(PermissionDenied, match="sign in"):
        users.list_users(admin_ctx.as_user(None))
    assert ADMIN_PASSWORD
