"""Who may do what: one table of role -> allowed actions, checked by every service."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from app.errors import PermissionDenied
from app.i18n import N_, _
from app.models.user import Role


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
    MERCHANTS_VIEW = "merchants.view"
    MERCHANTS_EDIT = "merchants.edit"
    TERMINALS_VIEW = "terminals.view"
    TERMINALS_EDIT = "terminals.edit"
    CATALOGUE_EDIT = "catalogue.edit"
    PERSONAL_DATA_VIEW = "personal_data.view"
    SEARCH = "search"
    DATA_IMPORT = "data.import"
    DATA_EXPORT = "data.export"
    WARRANTY_VIEW = "warranty.view"
    POLICIES_EDIT = "warranty_policies.edit"
    CONTRACTS_EDIT = "contracts.edit"
    CALENDAR_EDIT = "calendar.edit"
    TICKETS_VIEW = "tickets.view"
    TICKETS_CREATE = "tickets.create"
    TICKETS_WORK = "tickets.work"
    # Recording the work of, starting, pausing or resolving a ticket assigned to someone else;
    # without it a person works only on their own tickets and on tickets nobody holds yet.
    TICKETS_WORK_OTHERS = "tickets.work_others"
    TICKETS_ASSIGN = "tickets.assign"
    TICKET_SETTINGS_EDIT = "ticket_settings.edit"
    FOLLOW_UP = "follow_up.record"


_EVERYONE = frozenset(
    {
        Action.OWN_PASSWORD_CHANGE,
        Action.BRANCH_VIEW,
        Action.MERCHANTS_VIEW,
        Action.TERMINALS_VIEW,
        Action.SEARCH,
        Action.DATA_EXPORT,
        Action.WARRANTY_VIEW,
        Action.TICKETS_VIEW,
        Action.TICKETS_CREATE,
        Action.TICKETS_WORK,
    }
)
_FRONT_DESK = frozenset(
    {
        Action.MERCHANTS_EDIT,
        Action.TERMINALS_EDIT,
        Action.PERSONAL_DATA_VIEW,
        Action.DATABASE_BACKUP,
        Action.DATA_IMPORT,
        Action.CONTRACTS_EDIT,
        Action.TICKETS_ASSIGN,
        Action.FOLLOW_UP,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.SUPERVISOR: _EVERYONE
    | _FRONT_DESK
    | {
        Action.USERS_VIEW,
        Action.AUDIT_VIEW,
        Action.DATABASE_CHECK,
        Action.CATALOGUE_EDIT,
        Action.POLICIES_EDIT,
        Action.CALENDAR_EDIT,
        Action.TICKET_SETTINGS_EDIT,
        Action.TICKETS_WORK_OTHERS,
    },
    Role.CLERK: _EVERYONE | _FRONT_DESK,
    # Technicians see masked personal data in lists; their tickets show the job's contact.
    Role.TECHNICIAN: _EVERYONE | {Action.TERMINALS_EDIT},
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
