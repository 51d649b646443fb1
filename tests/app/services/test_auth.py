"""Signing in: argon2id, lockout stored in the database, deactivated accounts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from argon2 import _password_hasher
from sqlmodel import select

from app.context import Context
from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.models.user import Role, User
from app.services import auth, users
from tests.conftest import USER_PASSWORD, FixedClock, make_user


def test_right_password_signs_in_and_hash_is_argon2id(any_admin_ctx: Context) -> None:
    actor = auth.sign_in(any_admin_ctx.as_user(None), "ADMIN ", "Admin2026pos")
    assert actor.username == "admin" and actor.role == Role.ADMIN
    with any_admin_ctx.db.session() as s:
        stored = s.exec(select(User.password_hash).where(User.username == "admin")).one()
    assert stored.startswith("$argon2id$")
    assert "Admin2026pos" not in stored


def test_wrong_password_is_refused_with_one_sentence(any_admin_ctx: Context) -> None:
    with pytest.raises(PermissionDenied, match="user name or password is wrong"):
        auth.sign_in(any_admin_ctx.as_user(None), "admin", "nope")
    with pytest.raises(PermissionDenied, match="user name or password is wrong"):
        auth.sign_in(any_admin_ctx.as_user(None), "nobody", "nope")


def test_empty_fields_name_the_field(any_admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        auth.sign_in(any_admin_ctx.as_user(None), " ", "x")
    assert set(err.value.fields) == {"username"}
    with pytest.raises(ValidationError) as err:
        auth.sign_in(any_admin_ctx.as_user(None), "admin", "")
    assert set(err.value.fields) == {"password"}


def test_five_wrong_passwords_lock_for_five_minutes(any_admin_ctx: Context, clock: FixedClock) -> None:
    make_user(any_admin_ctx, "clerk1", Role.CLERK)
    anon = any_admin_ctx.as_user(None)
    for _ in range(4):
        with pytest.raises(PermissionDenied, match="wrong"):
            auth.sign_in(anon, "clerk1", "bad-password1")
    with pytest.raises(PermissionDenied, match="locked for 5 more minutes"):
        auth.sign_in(anon, "clerk1", "bad-password1")
    # Even the right password is refused while locked.
    clock.advance(minutes=4)
    with pytest.raises(PermissionDenied, match="locked for 1 more minutes"):
        auth.sign_in(anon, "clerk1", USER_PASSWORD)
    clock.advance(minutes=1, seconds=1)
    assert auth.sign_in(anon, "clerk1", USER_PASSWORD).username == "clerk1"


def test_lock_is_stored_in_the_database_not_in_memory(
    db: Database, admin_ctx: Context, clock: FixedClock
) -> None:
    make_user(admin_ctx, "clerk1", Role.CLERK)
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            auth.sign_in(admin_ctx.as_user(None), "clerk1", "bad-password1")
    # A second program (another desk) opening the same file sees the lock.
    other = Database(db.url_text)
    try:
        with pytest.raises(PermissionDenied, match="locked"):
            auth.sign_in(Context(db=other, clock=clock), "clerk1", USER_PASSWORD)
    finally:
        other.dispose()


def test_deactivated_user_cannot_sign_in(any_admin_ctx: Context) -> None:
    make_user(any_admin_ctx, "tech1", Role.TECHNICIAN)
    tech = next(u for u in users.list_users(any_admin_ctx) if u.username == "tech1")
    users.deactivate_user(any_admin_ctx, tech.id)
    with pytest.raises(PermissionDenied, match="deactivated"):
        auth.sign_in(any_admin_ctx.as_user(None), "tech1", USER_PASSWORD)


class Argon2Work:
    """Every argon2 computation, with the cost parameters it ran with."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, str]] = []
        real_verify, real_hash = _password_hasher.verify_secret, _password_hasher.hash_secret

        def verify(hash: bytes, secret: bytes, type: object) -> bool:
            self.calls.append(("verify", hash.decode().split("$")[3]))
            return bool(real_verify(hash, secret, type))  # type: ignore[arg-type]

        def hash_secret(secret: bytes, salt: bytes, time_cost: int, memory_cost: int, parallelism: int, *a: object, **kw: object) -> bytes:
            self.calls.append(("hash", f"m={memory_cost},t={time_cost},p={parallelism}"))
            return bytes(real_hash(secret, salt, time_cost, memory_cost, parallelism, *a, **kw))  # type: ignore[arg-type]

        monkeypatch.setattr(_password_hasher, "verify_secret", verify)
        monkeypatch.setattr(_password_hasher, "hash_secret", hash_secret)

    def during(self, action: Callable[[], object]) -> list[tuple[str, str]]:
        self.calls.clear()
        with pytest.raises(PermissionDenied, match="^The user name or password is wrong.$"):
            action()
        return list(self.calls)


def test_an_unknown_name_costs_the_same_argon2_work_as_a_wrong_password(
    any_admin_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    anon = any_admin_ctx.as_user(None)
    work = Argon2Work(monkeypatch)
    wrong_password = work.during(lambda: auth.sign_in(anon, "admin", "Wrong2026pos"))
    unknown_name = work.during(lambda: auth.sign_in(anon, "nobody", "Wrong2026pos"))
    unknown_again = work.during(lambda: auth.sign_in(anon, "nobody2", "Wrong2026pos"))
    assert wrong_password == [("verify", "m=65536,t=3,p=4")]
    assert unknown_name == unknown_again == wrong_password
