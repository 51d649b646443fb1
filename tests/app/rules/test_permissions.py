"""The role table, walked whole, and every service checks it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import app.services
from app.errors import PermissionDenied
from app.models.user import Actor, Role
from app.rules.permissions import ROLE_PERMISSIONS, Action, allowed, require, role_label
from app.services.base import SERVICES

# Public functions in app.services that are not services themselves, and why.
NOT_SERVICES = {
    "app.services.auth.sign_in": "validates input, then calls the _attempt_sign_in service",
    "app.services.maintenance.open_database": "start-up, before anyone signs in: open and migrate",
    "app.services.users.check_new_user": "a validation step used inside create_user and first run",
    "app.services.passwords.hash_password": "argon2 helper",
    "app.services.passwords.verify_password": "argon2 helper",
    "app.services.passwords.needs_rehash": "argon2 helper",
    "app.services.passwords.dummy_hash": "argon2 helper",
    "app.services.demo.make_uscc": "pure helper of the demo data",
    "app.services.demo.org_code": "pure helper of the demo data",
    "app.services.demo.random_password": "pure helper of the demo data",
    "app.services.terminals.read_terminals": "reads inside a running unit of work",
    "app.services.terminals.record_event": "writes a timeline line inside a running unit of work",
    "app.services.merchants.may_see_personal_data": "the masking rule itself",
    "app.services.numbering.branch_code": "reads inside a running unit of work",
    "app.services.numbering.next_value": "numbers a record inside a running unit of work",
    "app.services.numbering.day_number": "numbers a record inside a running unit of work",
    "app.services.warranty.today": "today's date in China by the context's clock",
    "app.services.warranty.refresh_warranty_ends": "keeps a derived value inside a running unit of work",
    "app.services.warranty.decide_coverage": "coverage inside a running unit of work (tickets)",
    "app.services.tickets.seed_fault_categories": "adds the built-in fault list inside a unit of work",
    "app.services.tickets.log_activity": "writes a log line inside a running unit of work",
    "app.services.attachments.attachment_dir": "where attachments are kept",
    "app.services.attachments.kind_label": "a label",
}


# Who may do what, written out by hand (x: may). A new action must be added here to pass.
EXPECTED_TABLE = """
    action                   admin  supervisor  clerk  technician
    users.view                 x        x         .        .
    users.manage               x        .         .        .
    own_password.change        x        x         x        x
    audit.view                 x        x         .        .
    database.backup            x        x         x        .
    database.restore           x        .         .        .
    database.check             x        x         .        .
    demo_data.create           x        .         .        .
    branch.view                x        x         x        x
    merchants.view             x        x         x        x
    merchants.edit             x        x         x        .
    terminals.view             x        x         x        x
    terminals.edit             x        x         x        x
    catalogue.edit             x        x         .        .
    personal_data.view         x        x         x        .
    search                     x        x         x        x
    data.import                x        x         x        .
    data.export                x        x         x        x
    warranty.view              x        x         x        x
    warranty_policies.edit     x        x         .        .
    contracts.edit             x        x         x        .
    calendar.edit              x        x         .        .
    tickets.view               x        x         x        x
    tickets.create             x        x         x        x
    tickets.work               x        x         x        x
    tickets.work_others        x        x         .        .
    tickets.assign             x        x         x        .
    ticket_settings.edit       x        x         .        .
    follow_up.record           x        x         x        .
"""


def _expected() -> dict[tuple[Role, str], bool]:
    header, *rows = EXPECTED_TABLE.strip().splitlines()
    roles = [Role(name) for name in header.split()[1:]]
    table = {}
    for row in rows:
        action, *marks = row.split()
        assert len(marks) == len(roles) and set(marks) <= {"x", "."}, row
        for role, mark in zip(roles, marks, strict=True):
            table[role, action] = mark == "x"
    return table


def _actor(role: Role) -> Actor:
    return Actor(id=None, username=role.value, display_name=role.value, role=role)


def test_the_written_table_names_every_action_and_role_once() -> None:
    expected = _expected()
    assert {action for _role, action in expected} == {a.value for a in Action}
    assert {role for role, _action in expected} == set(Role)
    assert len(expected) == len(Action) * len(Role)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_require_follows_the_table_written_by_hand(role: Role, action: Action) -> None:
    may = _expected()[role, action.value]
    assert allowed(role, action) == may
    assert (action in ROLE_PERMISSIONS[role]) == may
    if may:
        require(_actor(role), action)
    else:
        with pytest.raises(PermissionDenied, match=rf"^Your role \({role_label(role)}\) may not do this.$"):
            require(_actor(role), action)


def test_nobody_signed_in_may_do_nothing() -> None:
    for action in Action:
        with pytest.raises(PermissionDenied, match="^Please sign in first.$"):
            require(None, action)


def _public_functions() -> list[str]:
    names = []
    for info in pkgutil.iter_modules(app.services.__path__):
        module = importlib.import_module(f"app.services.{info.name}")
        if info.name == "base":
            continue
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj):
                continue
            if getattr(obj, "__wrapped__", obj).__module__ == module.__name__:
                names.append(f"{module.__name__}.{name}")
    return names


def test_every_public_service_function_checks_a_permission() -> None:
    for name in _public_functions():
        if name in NOT_SERVICES:
            continue
        assert name in SERVICES, f"{name} is not declared with @service or @checked"


# Actions that decide how a service answers rather than whether it may run.
CHECKED_INSIDE_SERVICES = {
    Action.PERSONAL_DATA_VIEW: "merchant reads mask ID numbers and phones",
    Action.TICKETS_WORK_OTHERS: "the work of a ticket held by someone else",
}


def test_every_action_is_checked_by_some_service() -> None:
    _public_functions()  # imports every service module
    used = {action for action in SERVICES.values() if action is not None}
    assert used | set(CHECKED_INSIDE_SERVICES) == set(Action)
