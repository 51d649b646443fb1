"""Signing in: argon2id hashes, and a lock after five wrong passwords stored in the database."""

from __future__ import annotations

from sqlmodel import select

from app.context import Context
from app.errors import PermissionDenied, ValidationError
from app.i18n import _
from app.models.user import Actor, User
from app.rules.accounts import after_failed_attempt, is_locked
from app.rules.validation import normalize
from app.services.base import service
from app.services.passwords import dummy_hash, hash_password, needs_rehash, verify_password


def _actor(user: User) -> Actor:
    return Actor(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        branch_id=user.branch_id,
        must_change_password=user.must_change_password,
    )


def _locked_message(ctx: Context, user: User) -> str:
    assert user.locked_until is not None
    minutes = max(1, int((user.locked_until - ctx.now()).total_seconds() + 59) // 60)
    return _("Too many wrong passwords. This account is locked for {minutes} more minutes.").format(
        minutes=minutes
    )


@service(None, write=True)
def _attempt_sign_in(ctx: Context, username: str, password: str) -> Actor | str:
    """Check the password and record the outcome; a failure is returned, so it is committed."""
    wrong = _("The user name or password is wrong.")
    user = ctx.s.exec(select(User).where(User.username == username)).first()
    if user is None:
        verify_password(dummy_hash(), password)  # the same work as a wrong password
        return wrong
    now = ctx.now()
    if is_locked(user.locked_until, now):
        return _locked_message(ctx, user)
    if not verify_password(user.password_hash, password):
        user.failed_attempts, user.locked_until = after_failed_attempt(user.failed_attempts, now)
        ctx.s.add(user)
        if user.locked_until is not None:
            return _locked_message(ctx, user)
        return wrong
    if not user.is_active:
        return _("This account is deactivated; ask an administrator.")
    user.failed_attempts = 0
    user.locked_until = None
    user.last_sign_in_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    ctx.s.add(user)
    ctx.s.flush()
    return _actor(user)


def sign_in(ctx: Context, username: str, password: str) -> Actor:
    """The signed-in user, or PermissionDenied with the reason (wrong password, locked ...)."""
    username = normalize(username).lower()
    if not username:
        raise ValidationError.single("username", _("Please enter your user name."))
    if not password:
        raise ValidationError.single("password", _("Please enter your password."))
    outcome = _attempt_sign_in(ctx.as_user(None), username, password)
    if isinstance(outcome, str):
        raise PermissionDenied(outcome)
    return outcome
