"""Rules for accounts: password policy, lockout after wrong passwords, user names."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from app.errors import ValidationError
from app.i18n import _
from app.rules.permissions import role_label

MAX_FAILED_ATTEMPTS = 5
LOCK_DURATION = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 8
USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("A password needs at least 8 characters.")
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        return _("A password needs both letters and digits.")
    if username and password.lower() == username.lower():
        return _("The password must differ from the user name.")
    return None


def username_problem(username: str) -> str | None:
    if not USERNAME_PATTERN.match(username):
        return _(
            "A user name has 2 to 32 lower-case letters, digits, dots, dashes or underscores "
            "and starts with a letter."
        )
    return None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def after_failed_attempt(failed_attempts: int, now: datetime) -> tuple[int, datetime | None]:
    """The new failure count and lock end after one more wrong password."""
    failed = failed_attempts + 1
    if failed >= MAX_FAILED_ATTEMPTS:
        return 0, now + LOCK_DURATION
    return failed, None


def check_repeat(password: str, repeat: str, field: str = "repeat") -> None:
    """A password typed twice must match (forms and the command line ask twice)."""
    if password != repeat:
        raise ValidationError.single(field, _("The two passwords differ."))


def standing_problem(
    *,
    exists: bool,
    is_active: bool,
    locked_until: datetime | None,
    must_change_password: bool,
    stored_role: str,
    claimed_role: str,
    changing_password: bool,
    now: datetime,
) -> str | None:
    """Why a signed-in person may no longer act at all, read from their account as it is now;
    None when they may. Their role's permissions are checked separately."""
    if not exists:
        return _("Your account no longer exists; please sign in again.")
    if not is_active:
        return _("Your account has been deactivated; ask an administrator.")
    if is_locked(locked_until, now):
        assert locked_until is not None
        minutes = max(1, int((locked_until - now).total_seconds() + 59) // 60)
        return _(
            "Your account is locked after too many wrong passwords; sign in again in {minutes} minutes."
        ).format(minutes=minutes)
    if stored_role != claimed_role:
        return _("An administrator changed your role to {role}; please sign in again.").format(
            role=role_label(stored_role)
        )
    if must_change_password and not changing_password:
        return _("Please change your password before you go on; sign in again to do so.")
    return None
