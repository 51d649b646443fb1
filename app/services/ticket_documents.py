"""The printed ticket documents: work orders and the service report, shared by screens and CLI.

Every print is noted in the activity log of each ticket printed. Contact phones are masked
as the ticket services mask them: shown to the desks and to the technician on the job.

Each function reads in one short transaction, renders outside any transaction and then logs the
print in a short write: rendering 500 work orders takes seconds, and holding SQLite's write lock
that long would stall every other desk's saving. Called from inside a unit of work, all three
steps join it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_
from sqlmodel import col, select

from app.context import Context
from app.errors import InvalidTransition, NotFound, ValidationError
from app.i18n import _, ngettext
from app.models.branch import BranchRead
from app.models.ticket import Ticket, TicketRead, TicketStatus
from app.models.user import User
from app.reports.service_report import service_report_pdf
from app.reports.work_order import (
    COPIES,
    PAGE_SIZES,
    PageSize,
    copy_label,
    work_order_pdf,
)
from app.rules import tickets as rule
from app.rules.permissions import Action
from app.rules.workcal import CHINA_TZ
from app.services.base import checked, service
from app.services.setup import current_branch
from app.services.tickets import log_print, read_tickets

# The most work orders one print makes (a technician's day is a few dozen).
MAX_WORK_ORDERS = 1000


def _check_layout(page_size: str, copies: Sequence[str]) -> tuple[PageSize, tuple[str, ...]]:
    errors: dict[str, str] = {}
    if page_size not in PAGE_SIZES:
        errors["page_size"] = _("Work orders are printed on A4 or A5 paper.")
    chosen = tuple(dict.fromkeys(copies))
    if not chosen or any(c not in COPIES for c in chosen):
        errors["copies"] = _("Choose the copies to print: {choices}.").format(
            choices=_(", ").join(copy_label(c) for c in COPIES)
        )
    if errors:
        raise ValidationError(errors)
    size: PageSize = "A5" if page_size == "A5" else "A4"
    return size, chosen


@service(Action.TICKETS_VIEW, write=False)
def _printable(ctx: Context, ticket_ids: Sequence[uuid.UUID]) -> tuple[list[TicketRead], BranchRead | None]:
    """The tickets in the given order (phones masked by `read_tickets`) and the branch whose
    header they carry."""
    return read_tickets(ctx, ticket_ids), current_branch(ctx)


def _print_work_orders(
    ctx: Context, found: list[TicketRead], branch: BranchRead | None, page_size: PageSize, copies: tuple[str, ...]
) -> bytes:
    data = work_order_pdf(found, branch=branch, page_size=page_size, copies=copies, printed_at=ctx.now())
    log_print(ctx, [t.id for t in found], _("work order"))
    return data


@checked(Action.TICKETS_VIEW)
def work_orders(
    ctx: Context,
    ticket_ids: Sequence[uuid.UUID],
    *,
    page_size: str = "A4",
    copies: Sequence[str] = ("shop",),
) -> bytes:
    """Work orders of the tickets in the given order as one PDF, one page per ticket and copy.

    `copies` are "customer" and/or "shop"; each ticket comes out once per copy, labelled.
    """
    size, chosen = _check_layout(page_size, copies)
    ids = list(dict.fromkeys(ticket_ids))
    if not ids:
        raise ValidationError.single("ticket_ids", _("Choose the tickets to print."))
    if len(ids) > MAX_WORK_ORDERS:
        raise ValidationError.single(
            "ticket_ids", _("Print at most {count} work orders at once.").format(count=MAX_WORK_ORDERS)
        )
    found, branch = _printable(ctx, ids)
    if len(found) < len(ids):
        missing = len(ids) - len(found)
        raise NotFound(
            ngettext(
                "A ticket to print does not exist.", "{count} tickets to print do not exist.", missing
            ).format(count=missing)
        )
    return _print_work_orders(ctx, found, branch, size, chosen)


@checked(Action.TICKETS_VIEW)
def service_report(ctx: Context, ticket_id: uuid.UUID) -> bytes:
    """The service report of a resolved or closed ticket."""
    found, branch = _printable(ctx, [ticket_id])
    if not found:
        raise NotFound(_("This ticket does not exist."))
    ticket = found[0]
    if ticket.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        raise InvalidTransition(
            _("Ticket {number} is {status}; the service report is printed once it is resolved.").format(
                number=ticket.ticket_no, status=rule.status_label(ticket.status)
            )
        )
    data = service_report_pdf(ticket, branch=branch, printed_at=ctx.now())
    log_print(ctx, [ticket.id], _("service report"))
    return data


@service(Action.TICKETS_VIEW, write=False)
def _day_ticket_ids(ctx: Context, assignee_id: uuid.UUID, day: date) -> list[uuid.UUID]:
    user = ctx.s.get(User, assignee_id)
    if user is None:
        raise NotFound(_("This user does not exist."))
    start = datetime.combine(day, time.min, tzinfo=CHINA_TZ)
    end = start + timedelta(days=1)
    query = (
        select(Ticket.id)
        .where(
            col(Ticket.assignee_id) == assignee_id,
            or_(
                and_(col(Ticket.status).in_(list(rule.OPEN_STATUSES)), col(Ticket.reported_at) < end),
                and_(
                    col(Ticket.status) != TicketStatus.CANCELLED,
                    col(Ticket.resolved_at) >= start,
                    col(Ticket.resolved_at) < end,
                ),
            ),
        )
        .order_by(col(Ticket.resolution_due), col(Ticket.ticket_no))
        .limit(MAX_WORK_ORDERS)
    )
    ids = list(ctx.s.exec(query))
    if not ids:
        raise ValidationError.single(
            "assignee_id",
            _("{name} has no open tickets on {day} and resolved none that day.").format(
                name=user.display_name, day=day.isoformat()
            ),
        )
    return ids


@checked(Action.TICKETS_VIEW)
def technician_day_work_orders(
    ctx: Context, assignee_id: uuid.UUID, day: date, *, page_size: str = "A4"
) -> bytes:
    """All work orders of one technician for a day (China time) as one PDF, shop copies.

    The day's tickets are those assigned to the technician that are open now and were reported
    on or before that day, and those the technician resolved that day (whatever their state
    since, unless cancelled); the most urgent first, by resolution due time. No ticket at all is
    a ValidationError on `assignee_id`.
    """
    size, chosen = _check_layout(page_size, ("shop",))
    found, branch = _printable(ctx, _day_ticket_ids(ctx, assignee_id, day))
    return _print_work_orders(ctx, found, branch, size, chosen)
