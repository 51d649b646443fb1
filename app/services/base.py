"""The one way a service runs: the acting user's standing read from the database, the permission
check, then one unit of work."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from sqlmodel import select

from app.context import SYSTEM_ACTOR, Context
from app.errors import SessionEnded
from app.i18n import _
from app.models.user import Actor, User
from app.rules import permissions
from app.rules.accounts import standing_problem
from app.rules.permissions import Action

if TYPE_CHECKING:
    from sqlmodel import Session

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)

# Every service function, by qualified name, with the action it checks (None: open to all).
SERVICES: dict[str, Action | None] = {}

# Called with the error when a signed-in person's session ends (the UI signs them out).
_session_listeners: list[Callable[[SessionEnded], None]] = []

# session.info key: the actors already read from the database in this transaction, by user id.
_VERIFIED = "verified_actors"


def on_session_ended(listener: Callable[[SessionEnded], None]) -> Callable[[], None]:
    """Call `listener` (from whatever thread the service ran on) whenever a service finds that
    the acting person may no longer act at all; returns a function that removes it."""
    _session_listeners.append(listener)
    return lambda: _session_listeners.remove(listener) if listener in _session_listeners else None


def _announce(exc: SessionEnded) -> None:
    if getattr(exc, "announced", False):
        return
    exc.announced = True  # type: ignore[attr-defined]
    for listener in list(_session_listeners):
        try:
            listener(exc)
        except Exception:  # noqa: BLE001 - a listener's failure must not hide the refusal
            log.exception("session-ended listener failed")


def verified_actor(session: Session, ctx: Context, action: Action | None) -> Actor | None:
    """The acting user as the database knows them now, read in the running transaction.

    Refuses (SessionEnded) an account that is gone, deactivated, locked, whose role differs from
    the one it signed in with, or that must change its password first; an identity without an
    account is accepted only as the command line's own system actor.
    """
    user = ctx.user
    if user is None or user is SYSTEM_ACTOR:
        return user
    if user.id is None:
        raise SessionEnded(_("Please sign in first."))
    verified: dict[object, Actor] = session.info.setdefault(_VERIFIED, {})
    known = verified.get(user.id)
    changing_password = action == Action.OWN_PASSWORD_CHANGE
    if known is not None and known.role == user.role and (
        changing_password or not known.must_change_password
    ):
        return known
    row = session.exec(select(User).where(User.id == user.id)).first()
    problem = standing_problem(
        exists=row is not None,
        is_active=bool(row and row.is_active),
        locked_until=row.locked_until if row else None,
        must_change_password=bool(row and row.must_change_password),
        stored_role=row.role if row else "",
        claimed_role=user.role,
        changing_password=changing_password,
        now=ctx.now(),
    )
    if problem is not None:
        raise SessionEnded(problem)
    assert row is not None
    fresh = Actor(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        branch_id=row.branch_id,
        must_change_password=row.must_change_password,
    )
    verified[user.id] = fresh
    return fresh


def _checked_ctx(session: Session, ctx: Context, action: Action | None) -> Context:
    """`ctx` in `session`, acting as the verified user, after the permission check."""
    if action is None:
        return ctx.with_session(session)
    actor = verified_actor(session, ctx, action)
    permissions.require(actor, action)
    return ctx.with_session(session).as_user(actor)


def service(
    action: Action | None, *, write: bool
) -> Callable[[Callable[Concatenate[Context, P], R]], Callable[Concatenate[Context, P], R]]:
    """Check the acting user and `action`, then run the function in a unit of work.

    The user's account is read in the same transaction as the work, so a deactivation or a
    change of role takes effect with the next action of an open session. A write runs in one
    transaction (BEGIN IMMEDIATE on SQLite) retried whole when the database is busy; a service
    called from inside another joins the caller's transaction.
    """

    def decorate(fn: Callable[Concatenate[Context, P], R]) -> Callable[Concatenate[Context, P], R]:
        SERVICES[f"{fn.__module__}.{fn.__name__}"] = action

        @functools.wraps(fn)
        def wrapper(ctx: Context, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if ctx.session is not None:
                return fn(_checked_ctx(ctx.session, ctx, action), *args, **kwargs)
            if action is not None:
                permissions.require(ctx.user, action)  # nobody signed in: no transaction at all
            user = ctx.user
            try:
                return ctx.db.run(
                    lambda session: fn(_checked_ctx(session, ctx, action), *args, **kwargs),
                    write=write,
                    user_id=user.id if user else None,
                    username=user.username if user else "",
                    clock=ctx.clock,
                )
            except SessionEnded as exc:
                _announce(exc)
                raise

        return wrapper

    return decorate


def checked(action: Action) -> Callable[[Callable[Concatenate[Context, P], R]], Callable[Concatenate[Context, P], R]]:
    """Check the acting user and `action` for a service that manages its own database access
    (backups, restores, exports): the account is read in a short transaction of its own."""

    def decorate(fn: Callable[Concatenate[Context, P], R]) -> Callable[Concatenate[Context, P], R]:
        SERVICES[f"{fn.__module__}.{fn.__name__}"] = action

        @functools.wraps(fn)
        def wrapper(ctx: Context, /, *args: P.args, **kwargs: P.kwargs) -> R:
            permissions.require(ctx.user, action)
            try:
                if ctx.user is not SYSTEM_ACTOR:
                    actor = ctx.db.run(
                        lambda session: verified_actor(session, ctx, action), write=False
                    )
                    permissions.require(actor, action)
                    ctx = ctx.as_user(actor)
                return fn(ctx, *args, **kwargs)
            except SessionEnded as exc:
                _announce(exc)
                raise

        return wrapper

    return decorate
