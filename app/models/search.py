"""What the global search returns: hits grouped by kind, with titles people recognise."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlmodel import SQLModel


class SearchKind(StrEnum):
    MERCHANT = "merchant"
    TERMINAL = "terminal"
    TICKET = "ticket"


class SearchHit(SQLModel):
    kind: SearchKind
    record_id: uuid.UUID
    title: str
    subtitle: str = ""
    exact: bool = False  # the text was this record's merchant no., SN or terminal no.


class SearchResults(SQLModel):
    text: str = ""  # the text these results answer, so a screen can drop stale ones
    merchants: list[SearchHit] = []
    terminals: list[SearchHit] = []
    tickets: list[SearchHit] = []

    @property
    def hits(self) -> list[SearchHit]:
        """Every hit in display order: tickets, merchants, then terminals."""
        return [*self.tickets, *self.merchants, *self.terminals]
