"""Staff accounts: created, changed and deactivated by an administrator."""

from __future__ import annotations

import uuid

from sqlmodel import col, func, select

from app.context import Context
from app.errors import Conflict, NotFound, ValidationError
from app.i18n import _
from app.models.user import Role, User, UserCreate, UserRead, UserUpdate
from app.rules.accounts import password_problem, username_problem
from app.rules.permissions import Action
from app.rules.validation import clean_text, normalize
from app.services.base import service
from app.services.passwords import hash_password, verify_password


def check_new_user(ctx: Context, data: UserCreate) -> UserCreate:
    """Validate a new account's fields; the user name must be free."""
    username = normalize(data.username).lower()
    display_name = clean_text(data.display_name)
    errors: dict[str, str] = {}
    problem = username_problem(username)
    if problem:
        errors["username"] = problem
    elif ctx.s.exec(select(User.id).where(User.username == username)).first():
        errors["username"] = _("The user name {username} is taken.").format(username=username)
    if not display_name:
        errors["display_name"] = _("Please enter the person's name.")
    problem = password_problem(data.password, username)
    if problem:
        errors["password"] = problem
    if errors:
        raise ValidationError(errors)
    return UserCreate(
        username=username, display_name=display_name, role=data.role, password=data.password
    )


def _get(ctx: Context, user_id: uuid.UUID) -> User:
    user = ctx.s.get(User, user_id)
    if user is None:
        raise NotFound(_("This user does not exist."))
    return user


def _check_version(user: User, expected: int) -> None:
    if user.version != expected:
        raise Conflict(
            _("{name} was changed by someone else meanwhile; reload and try again.").format(
                name=user.display_name
            )
        )


def _active_admins(ctx: Context) -> int:
    query = select(func.count()).where(User.role == Role.ADMIN, col(User.is_active).is_(True))
    return int(ctx.s.exec(query).one())


@service(Action.USERS_MANAGE, write=True)
def create_user(ctx: Context, data: UserCreate) -> UserRead:
    data = check_new_user(ctx, data)
    branch_id = ctx.user.branch_id if ctx.user else None
    user = User.model_validate(
        data, update={"password_hash": hash_password(data.password), "branch_id": branch_id}
    )
    ctx.s.add(user)
    ctx.s.flush()
    return UserRead.model_validate(user)


@service(Action.USERS_VIEW, write=False)
def list_users(ctx: Context, *, include_inactive: bool = True) -> list[UserRead]:
    query = select(User).order_by(User.username)
    if not include_inactive:
        query = query.where(col(User.is_active).is_(True))
    return [UserRead.model_validate(u) for u in ctx.s.exec(query)]


@service(Action.USERS_VIEW, write=False)
def get_user(ctx: Context, user_id: uuid.UUID) -> UserRead:
    return UserRead.model_validate(_get(ctx, user_id))


@service(Action.USERS_MANAGE, write=True)
def update_user(ctx: Context, user_id: uuid.UUID, data: UserUpdate) -> UserRead:
    """Change a user's name or role; a stale `expected_version` is a Conflict."""
    user = _get(ctx, user_id)
    _check_version(user, data.expected_version)
    patch = data.model_dump(exclude_unset=True, exclude={"expected_version"})
    if "display_name" in patch:
        patch["display_name"] = clean_text(patch["display_name"] or "")
        if not patch["display_name"]:
            raise ValidationError.single("display_name", _("Please enter the person's name."))
    new_role = patch.get("role")
    if new_role and new_role != Role.ADMIN and user.role == Role.ADMIN and user.is_active:
        if _active_admins(ctx) <= 1:
            raise ValidationError.single(
                "role", _("The last active administrator cannot lose that role.")
            )
    for key, value in patch.items():
        setattr(user, key, value)
    ctx.s.add(user)
    ctx.s.flush()
    return UserRead.model_validate(user)


@service(Action.USERS_MANAGE, write=True)
def reset_password(ctx: Context, user_id: uuid.UUID, new_password: str) -> UserRead:
    """Give a user a temporary password; they must change it at the next sign-in."""
    user = _get(ctx, user_id)
    problem = password_problem(new_password, user.username)
    if problem:
        raise ValidationError.single("password", problem)
    user.password_hash = hash_password(new_password)
    user.must_change_password = True
    user.failed_attempts = 0
    user.locked_until = None
    ctx.s.add(user)
    ctx.s.flush()
    return UserRead.model_validate(user)


@service(Action.USERS_MANAGE, write=True)
def deactivate_user(ctx: Context, user_id: uuid.UUID) -> UserRead:
    """A deactivated user can no longer sign in; the account stays for the audit trail."""
    user = _get(ctx, user_id)
    if ctx.user is not None and ctx.user.id == user.id:
        raise ValidationError.single("user", _("You cannot deactivate your own account."))
    if user.role == Role.ADMIN and user.is_active and _active_admins(ctx) <= 1:
        raise ValidationError.single("user", _("The last active administrator cannot be deactivated."))
    user.is_active = False
    ctx.s.add(user)
    ctx.s.flush()
    return UserRead.model_validate(user)


@service(Action.USERS_MANAGE, write=True)
def reactivate_user(ctx: Context, user_id: uuid.UUID) -> UserRead:
    user = _get(ctx, user_id)
    user.is_active = True
    user.failed_attempts = 0
    user.locked_until = None
    ctx.s.add(user)
    ctx.s.flush()
    return UserRead.model_validate(user)


@service(Action.OWN_PASSWORD_CHANGE, write=True)
def change_own_password(ctx: Context, old_password: str, new_password: str) -> None:
    assert ctx.user is not None and ctx.user.id is not None
    user = _get(ctx, ctx.user.id)
    if not verify_password(user.password_hash, old_password):
        raise ValidationError.single("old_password", _("The current password is wrong."))
    problem = password_problem(new_password, user.username)
    if problem:
        raise ValidationError.single("new_password", problem)
    if old_password == new_password:
        raise ValidationError.single(
            "new_password", _("The new password must differ from the current one.")
        )
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    ctx.s.add(user)
