"""Privileges are read from the database with every action, not trusted from the sign-in."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from app.context import Context
from app.errors import PermissionDenied, SessionEnded
from app.models.merchant import MerchantFilter
from app.models.ticket import Channel, Priority, TicketIntake
from app.models.user import Actor, Role, UserCreate, UserUpdate
from app.models.warranty import WarrantyPolicyCreate
from app.services import auth, exports, merchants, tickets, users, warranty
from app.services.base import on_session_ended
from tests.app.services.test_tickets import Desk
from tests.conftest import USER_PASSWORD, FixedClock, make_user, table_count


@pytest.fixture
def ended() -> Iterator[list[SessionEnded]]:
    """The session-ended errors announced to listeners (the UI signs out on them)."""
    seen: list[SessionEnded] = []
    remove = on_session_ended(seen.append)
    yield seen
    remove()


def _policy(name: str) -> WarrantyPolicyCreate:
    return WarrantyPolicyCreate(name=name, months=24)


def _version(admin: Context, actor: Actor) -> int:
    assert actor.id is not None
    return users.get_user(admin, actor.id).version


def test_a_demoted_supervisors_open_session_no_longer_edits_policies(
    any_admin_ctx: Context, ended: list[SessionEnded]
) -> None:
    boss = any_admin_ctx.as_user(make_user(any_admin_ctx, "boss", Role.SUPERVISOR))
    warranty.create_warranty_policy(boss, _policy("延保一年"))
    assert boss.user is not None and boss.user.id is not None
    users.update_user(
        any_admin_ctx,
        boss.user.id,
        UserUpdate(role=Role.TECHNICIAN, expected_version=_version(any_admin_ctx, boss.user)),
    )
    before = table_count(any_admin_ctx.db, "warranty_policy")
    with pytest.raises(PermissionDenied) as err:
        warranty.create_warranty_policy(boss, _policy("延保两年"))
    assert str(err.value) == "An administrator changed your role to technician; please sign in again."
    assert table_count(any_admin_ctx.db, "warranty_policy") == before
    assert [str(e) for e in ended] == [str(err.value)]
    # Signed in again, the new role decides.
    again = any_admin_ctx.as_user(auth.sign_in(any_admin_ctx.as_user(None), "boss", USER_PASSWORD))
    with pytest.raises(PermissionDenied, match=r"Your role \(technician\) may not do this"):
        warranty.create_warranty_policy(again, _policy("延保两年"))


def test_a_deactivated_technicians_open_session_opens_no_ticket(
    any_admin_ctx: Context, ended: list[SessionEnded], tmp_path: Path
) -> None:
    desk = Desk(any_admin_ctx)
    intake = TicketIntake(
        terminal_id=desk.shop.terminal.id,
        channel=Channel.WALK_IN,
        fault_category_id=desk.fault.id,
        description="屏幕不亮",
        priority=Priority.P3,
    )
    tickets.open_ticket(desk.tech, intake)
    assert desk.tech.user is not None and desk.tech.user.id is not None
    users.deactivate_user(any_admin_ctx, desk.tech.user.id)
    with pytest.raises(SessionEnded, match="^Your account has been deactivated; ask an administrator.$"):
        tickets.open_ticket(desk.tech, intake)
    # Reading is refused too, and so is a service that opens its own transactions (export).
    with pytest.raises(SessionEnded):
        tickets.get_ticket_settings(desk.tech)
    with pytest.raises(SessionEnded):
        exports.export_merchants(desk.tech, MerchantFilter(), tmp_path / "merchants.csv")
    assert not (tmp_path / "merchants.csv").exists()
    assert table_count(any_admin_ctx.db, "ticket") == 1
    assert len(ended) == 3


def test_an_identity_built_in_code_with_the_admin_role_creates_no_user(
    any_admin_ctx: Context, ended: list[SessionEnded]
) -> None:
    tech = make_user(any_admin_ctx, "tech1", Role.TECHNICIAN)
    forged = [
        Actor(id=None, username="root", display_name="root", role=Role.ADMIN),
        tech.model_copy(update={"role": Role.ADMIN}),  # a real account claiming a higher role
        Actor(id=uuid.uuid4(), username="ghost", display_name="ghost", role=Role.ADMIN),
    ]
    expected = [
        "Please sign in first.",
        "An administrator changed your role to technician; please sign in again.",
        "Your account no longer exists; please sign in again.",
    ]
    for actor, sentence in zip(forged, expected, strict=True):
        new = UserCreate(username="mallory", display_name="某人", role=Role.ADMIN, password=USER_PASSWORD)
        with pytest.raises(SessionEnded) as err:
            users.create_user(any_admin_ctx.as_user(actor), new)
        assert str(err.value) == sentence
    assert [u.username for u in users.list_users(any_admin_ctx)] == ["admin", "tech1"]


def test_must_change_password_is_enforced_by_the_services(
    any_admin_ctx: Context, ended: list[SessionEnded]
) -> None:
    clerk = any_admin_ctx.as_user(make_user(any_admin_ctx, "clerk1", Role.CLERK))
    merchants.list_merchants(clerk, MerchantFilter())
    assert clerk.user is not None and clerk.user.id is not None
    users.reset_password(any_admin_ctx, clerk.user.id, "Temp2026pass")
    with pytest.raises(SessionEnded, match="^Please change your password before you go on"):
        merchants.list_merchants(clerk, MerchantFilter())
    # Signed in with the temporary password, only the change itself is open.
    temp = any_admin_ctx.as_user(auth.sign_in(any_admin_ctx.as_user(None), "clerk1", "Temp2026pass"))
    with pytest.raises(SessionEnded):
        merchants.list_merchants(temp, MerchantFilter())
    users.change_own_password(temp, "Temp2026pass", "Mine2026pass")
    assert merchants.list_merchants(temp, MerchantFilter()).total == 0
    assert len(ended) == 2


def test_a_lock_stops_the_open_session_until_it_ends(
    any_admin_ctx: Context, clock: FixedClock, ended: list[SessionEnded]
) -> None:
    clerk = any_admin_ctx.as_user(make_user(any_admin_ctx, "clerk1", Role.CLERK))
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            auth.sign_in(any_admin_ctx.as_user(None), "clerk1", "Wrong2026pass")
    with pytest.raises(SessionEnded, match="locked after too many wrong passwords; sign in again in 5 minutes"):
        merchants.list_merchants(clerk, MerchantFilter())
    clock.advance(minutes=5, seconds=1)
    assert merchants.list_merchants(clerk, MerchantFilter()).total == 0


def test_the_account_is_read_once_per_transaction(admin_ctx: Context) -> None:
    """One indexed row per action: the services a service calls inside its transaction reuse it."""
    desk = Desk(admin_ctx)
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(admin_ctx.db.engine, "before_cursor_execute", record)
    try:
        desk.open()  # open_ticket asks the coverage, warranty and terminal services inside
    finally:
        event.remove(admin_ctx.db.engine, "before_cursor_execute", record)
    accounts = [s for s in statements if "FROM app_user" in s and "WHERE app_user.id = " in s]
    assert len(accounts) == 1, statements
