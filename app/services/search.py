"""The global search: merchants and terminals by name, pinyin, phone digits and numbers;
repair tickets by their number (what the QR code on a work order holds).

One search is at most three statements whatever the number of hits: the index gives a bounded
number of ids per kind, then one query loads the merchants and one the terminals (with model and
holder joined). Exact number matches (merchant no., SN, terminal no.) ride along in those two
queries, so they are found even when the index returned other records first.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlmodel import col

from app import search_index
from app.context import Context
from app.models.catalogue import DeviceModel
from app.models.merchant import Merchant, MerchantStatus
from app.models.search import SearchHit, SearchKind, SearchResults
from app.models.terminal import Terminal
from app.models.ticket import Ticket
from app.rules.merchants import merchant_status_label
from app.rules.permissions import Action
from app.rules.search import query_text_key, query_tokens
from app.rules.terminals import status_label
from app.rules.validation import compact, mask_phone
from app.services.base import service
from app.services.merchants import may_see_personal_data

MAX_LIMIT = 50
# The index gives this many candidates per hit shown, so ranking has some choice.
CANDIDATES_PER_HIT = 4
SEPARATOR = " · "
_NUMBER = re.compile(r"[0-9A-Za-z]+")


def _number_key(text: str) -> str:
    """The text as a merchant no., SN or terminal no. would be stored, or "" if it cannot be one."""
    key = compact(text)
    return key.upper() if _NUMBER.fullmatch(key) else ""


def _merchant_hits(
    ctx: Context, ids: Sequence[uuid.UUID], number: str, text_key: str
) -> list[SearchHit]:
    conditions: list[ColumnElement[bool]] = []
    if ids:
        conditions.append(col(Merchant.id).in_(list(ids)))
    if number.isdigit():
        conditions.append(col(Merchant.merchant_no) == number)
    if not conditions:
        return []
    query = select(
        col(Merchant.id), col(Merchant.merchant_no), col(Merchant.shop_name),
        col(Merchant.legal_name), col(Merchant.mobile), col(Merchant.landline), col(Merchant.status),
    ).where(or_(false(), *conditions))
    personal = may_see_personal_data(ctx)
    ranked: list[tuple[tuple[Any, ...], SearchHit]] = []
    for row in ctx.s.connection().execute(query):
        merchant_id, merchant_no, shop_name, legal_name, mobile, landline, status = row
        title = shop_name or legal_name
        phone = mobile or landline
        parts = [merchant_no]
        if shop_name and legal_name and legal_name != shop_name:
            parts.append(legal_name)
        if phone:
            parts.append(phone if personal else mask_phone(phone))
        if status != MerchantStatus.ACTIVE:
            parts.append(merchant_status_label(status))
        exact = bool(number) and merchant_no == number
        hit = SearchHit(
            kind=SearchKind.MERCHANT,
            record_id=merchant_id,
            title=title,
            subtitle=SEPARATOR.join(parts),
            exact=exact,
        )
        in_title = bool(text_key) and text_key in title.lower()
        ranked.append(((not exact, not in_title, len(title), title, merchant_no), hit))
    ranked.sort(key=lambda pair: pair[0])
    return [hit for _key, hit in ranked]


def _terminal_hits(ctx: Context, ids: Sequence[uuid.UUID], number: str) -> list[SearchHit]:
    conditions: list[ColumnElement[bool]] = []
    if ids:
        conditions.append(col(Terminal.id).in_(list(ids)))
    if number:
        conditions.append(col(Terminal.serial_no) == number)
        if number.isdigit():
            conditions.append(col(Terminal.terminal_no) == number)
    if not conditions:
        return []
    query = (
        select(
            col(Terminal.id), col(Terminal.serial_no), col(Terminal.terminal_no),
            col(Terminal.status), col(DeviceModel.brand), col(DeviceModel.model),
            col(Merchant.shop_name), col(Merchant.legal_name),
        )
        .join(DeviceModel, col(DeviceModel.id) == Terminal.model_id)
        .outerjoin(Merchant, col(Merchant.id) == Terminal.merchant_id)
        .where(or_(false(), *conditions))
    )
    ranked: list[tuple[tuple[Any, ...], SearchHit]] = []
    for row in ctx.s.connection().execute(query):
        terminal_id, serial_no, terminal_no, status, brand, model, shop_name, legal_name = row
        holder = shop_name or legal_name or ""
        parts = [f"{brand} {model}".strip()]
        if terminal_no:
            parts.append(terminal_no)
        parts.append(holder or status_label(status))
        # An SN typed whole beats a terminal no. that happens to equal it.
        exact_rank = 0 if number and serial_no == number else 1 if number and terminal_no == number else 2
        hit = SearchHit(
            kind=SearchKind.TERMINAL,
            record_id=terminal_id,
            title=serial_no,
            subtitle=SEPARATOR.join(parts),
            exact=exact_rank < 2,
        )
        ranked.append(((exact_rank, len(serial_no), serial_no), hit))
    ranked.sort(key=lambda pair: pair[0])
    return [hit for _key, hit in ranked]


def _ticket_hits(ctx: Context, number: str, limit: int) -> list[SearchHit]:
    """Tickets whose number, hyphens left out, contains `number` ("WX..." typed or scanned)."""
    from app.rules.tickets import status_label as ticket_status_label

    if not number.startswith("WX") or len(number) < 4:
        return []
    plain = func.replace(col(Ticket.ticket_no), "-", "")
    query = (
        select(
            col(Ticket.id), col(Ticket.ticket_no), col(Ticket.status), col(Merchant.shop_name), col(Merchant.legal_name)
        )
        .join(Merchant, col(Merchant.id) == Ticket.merchant_id)
        .where(plain.contains(number, autoescape=True))
        .order_by(col(Ticket.ticket_no).desc())
        .limit(limit)
    )
    hits = []
    for ticket_id, ticket_no, status, shop_name, legal_name in ctx.s.execute(query):
        hits.append(
            SearchHit(
                kind=SearchKind.TICKET,
                record_id=ticket_id,
                title=ticket_no,
                subtitle=SEPARATOR.join([shop_name or legal_name, ticket_status_label(status)]),
                exact=ticket_no.replace("-", "") == number,
            )
        )
    hits.sort(key=lambda hit: not hit.exact)
    return hits


@service(Action.SEARCH, write=False)
def search(ctx: Context, text: str, *, limit: int = 8) -> SearchResults:
    """Merchants and terminals matching `text`, at most `limit` of each, best first.

    Empty text and a single letter or digit find nothing; a single Chinese character is a search.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    tickets = _ticket_hits(ctx, _number_key(text), limit)
    if tickets:
        return SearchResults(text=text, tickets=tickets)
    query = query_tokens(text)
    if not query:
        return SearchResults(text=text)
    found = search_index.find(
        ctx.s, query, (SearchKind.MERCHANT, SearchKind.TERMINAL), limit * CANDIDATES_PER_HIT
    )
    number = _number_key(text)
    merchants = _merchant_hits(ctx, found[SearchKind.MERCHANT], number, query_text_key(text))
    terminals = _terminal_hits(ctx, found[SearchKind.TERMINAL], number)
    return SearchResults(text=text, merchants=merchants[:limit], terminals=terminals[:limit])


@service(Action.SEARCH, write=False)
def exact_match(ctx: Context, text: str) -> SearchHit | None:
    """The record whose ticket no., SN (any case, spaces and hyphens ignored), terminal no. or
    merchant no. is exactly `text`, as a barcode scanner types it; None when there is none."""
    number = _number_key(text)
    if len(number) < 2:
        return None
    tickets = [hit for hit in _ticket_hits(ctx, number, 1) if hit.exact]
    if tickets:
        return tickets[0]
    terminals = [hit for hit in _terminal_hits(ctx, [], number) if hit.exact]
    if terminals:
        return terminals[0]
    if not number.isdigit():
        return None
    merchants = [hit for hit in _merchant_hits(ctx, [], number, "") if hit.exact]
    return merchants[0] if merchants else None
