"""What a service receives: the database, the acting user, the clock, and the open session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from app.models.base import utcnow
from app.models.user import Actor, Role

if TYPE_CHECKING:
    from sqlmodel import Session

    from app.db import Database

Clock = Callable[[], datetime]

SYSTEM_ACTOR = Actor(id=None, username="system", display_name="system", role=Role.ADMIN)


@dataclass(frozen=True)
class Context:
    db: Database
    user: Actor | None = None
    clock: Clock = utcnow
    session: Session | None = None

    def with_session(self, session: Session) -> Context:
        return replace(self, session=session)

    def as_user(self, user: Actor | None) -> Context:
        return replace(self, user=user)

    @classmethod
    def system(cls, db: Database, clock: Clock = utcnow) -> Context:
        """The command line acts as the administrator of the machine it runs on."""
        return cls(db=db, user=SYSTEM_ACTOR, clock=clock)

    def now(self) -> datetime:
        return self.clock()

    @property
    def s(self) -> Session:
        """The session of the running unit of work (services only)."""
        assert self.session is not None, "called outside a unit of work"
        return self.session
