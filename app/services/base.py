"""The one way a service runs: permission check, then one unit of work."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from app.context import Context
from app.rules import permissions
from app.rules.permissions import Action

P = ParamSpec("P")
R = TypeVar("R")

# Every service function, by qualified name, with the action it checks (None: open to all).
SERVICES: dict[str, Action | None] = {}


def service(
    action: Action | None, *, write: bool
) -> Callable[[Callable[Concatenate[Context, P], R]], Callable[Concatenate[Context, P], R]]:
    """Check `action` for the acting user, then run the function in a unit of work.

    A write runs in one transaction (BEGIN IMMEDIATE on SQLite) retried whole when the database
    is busy; a service called from inside another joins the caller's transaction.
    """

    def decorate(fn: Callable[Concatenate[Context, P], R]) -> Callable[Concatenate[Context, P], R]:
        SERVICES[f"{fn.__module__}.{fn.__name__}"] = action

        @functools.wraps(fn)
        def wrapper(ctx: Context, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if action is not None:
                permissions.require(ctx.user, action)
            if ctx.session is not None:
                return fn(ctx, *args, **kwargs)
            user = ctx.user
            return ctx.db.run(
                lambda session: fn(ctx.with_session(session), *args, **kwargs),
                write=write,
                user_id=user.id if user else None,
                username=user.username if user else "",
                clock=ctx.clock,
            )

        return wrapper

    return decorate


def checked(action: Action) -> Callable[[Callable[Concatenate[Context, P], R]], Callable[Concatenate[Context, P], R]]:
    """Check `action` for a service that manages its own database access (backups, restores)."""

    def decorate(fn: Callable[Concatenate[Context, P], R]) -> Callable[Concatenate[Context, P], R]:
        SERVICES[f"{fn.__module__}.{fn.__name__}"] = action

        @functools.wraps(fn)
        def wrapper(ctx: Context, /, *args: P.args, **kwargs: P.kwargs) -> R:
            permissions.require(ctx.user, action)
            return fn(ctx, *args, **kwargs)

        return wrapper

    return decorate
