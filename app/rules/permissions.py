"""Who may do what: one table of role -> allowed actions, checked by every service."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from app.errors import PermissionDenied
from app.i18n import N_, _


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CLERK = "clerk"
    TECHNICIAN = "technician"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: N_("administrator"),
    Role.SUPERVISOR: N_("supervisor"),
    Role.CLERK: N_("clerk"),
    Role.TECHNICIAN: N_("technician"),
}


class Action(StrEnum):
    USERS_VIEW = "users.view"
    USERS_MANAGE = "users.manage"
    OWN_PASSWORD_CHANGE = "own_password.change"
    AUDIT_VIEW = "audit.view"
    DATABASE_BACKUP = "database.backup"
    DATABASE_RESTORE = "database.restore"
    DATABASE_CHECK = "database.check"
    DEMO_DATA_CREATE = "demo_data.create"
    BRANCH_VIEW = "branch.view"


_EVERYONE = frozenset({Action.OWN_PASSWORD_CHANGE, Action.BRANCH_VIEW})

ROLE_PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.SUPERVISOR: _EVERYONE
    | {Action.USERS_VIEW, Action.AUDIT_VIEW, Action.DATABASE_BACKUP, Action.DATABASE_CHECK},
    Role.CLERK: _EVERYONE | {Action.DATABASE_BACKUP},
    Role.TECHNICIAN: _EVERYONE,
}


class HasRole(Protocol):
    @property
    def role(self) -> Role: ...


def role_label(role: Role | str) -> str:
    return _(ROLE_LABELS[Role(role)])


def allowed(role: Role, action: Action) -> bool:
    return action in ROLE_PERMISSIONS[role]


def require(user: HasRole | None, action: Action) -> None:
    """Raise PermissionDenied unless `user` may take `action`."""
    if user is None:
        raise PermissionDenied(_("Please sign in first."))
    if not allowed(user.role, action):
        raise PermissionDenied(
            _("Your role ({role}) may not do this.").format(role=role_label(user.role))
        )
