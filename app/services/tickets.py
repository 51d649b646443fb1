"""Repair tickets: intake, the workflow, the work, the SLA clock, follow-up calls and the log.

Coverage is decided at intake by `app.services.warranty.decide_coverage` and again whenever the
exclusion cause changes; the response and resolution targets come from the service contract in
force, otherwise from the supervisor's table per priority.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, or_
from sqlmodel import col, func, select

from app.context import Context
from app.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationError
from app.i18n import _
from app.models.catalogue import DeviceModel
from app.models.merchant import Merchant
from app.models.meta import AppMeta
from app.models.terminal import Terminal, TerminalEventKind, TerminalStatus
from app.models.ticket import (
    ActivityKind,
    FaultCategory,
    FaultCategoryRead,
    FollowUpCall,
    FollowUpCallCreate,
    FollowUpCallRead,
    IntakeTerms,
    Priority,
    SlaDefault,
    SlaDefaultRead,
    SlaState,
    Ticket,
    TicketActivity,
    TicketActivityRead,
    TicketFilter,
    TicketIntake,
    TicketPage,
    TicketPart,
    TicketPartLine,
    TicketRead,
    TicketSettings,
    TicketStatus,
    TicketStep,
    TicketWork,
    WorkAction,
)
from app.models.user import Role, User
from app.models.warranty import CoverageRead, ExclusionCause
from app.rules import coverage as coverage_rule
from app.rules import tickets as rule
from app.rules.permissions import Action
from app.rules.validation import FormatError, clean_text, mask_phone, validate_phone
from app.rules.workcal import CHINA_TZ, WorkingCalendar
from app.services import terminals as terminal_service
from app.services import warranty as warranty_service
from app.services.base import service
from app.services.merchants import may_see_personal_data
from app.services.numbering import day_number

MAX_PAGE = 500
SETTINGS_KEY = "ticket_settings"


# --- settings -------------------------------------------------------------------------------------


def _settings(ctx: Context) -> TicketSettings:
    row = ctx.s.get(AppMeta, SETTINGS_KEY)
    if row is None or not row.value:
        return TicketSettings()
    return TicketSettings.model_validate(json.loads(row.value))


@service(Action.TICKETS_VIEW, write=False)
def get_ticket_settings(ctx: Context) -> TicketSettings:
    return _settings(ctx)


@service(Action.TICKET_SETTINGS_EDIT, write=True)
def save_ticket_settings(ctx: Context, settings: TicketSettings) -> TicketSettings:
    if not 1 <= settings.follow_up_days <= 60:
        raise ValidationError.single("follow_up_days", _("The follow-up call is due 1 to 60 days after closing."))
    row = ctx.s.get(AppMeta, SETTINGS_KEY) or AppMeta(key=SETTINGS_KEY)
    row.value = settings.model_dump_json()
    ctx.s.add(row)
    ctx.s.flush()
    return settings


@service(Action.TICKETS_VIEW, write=False)
def list_sla_defaults(ctx: Context) -> list[SlaDefaultRead]:
    rows = {r.priority: r for r in ctx.s.exec(select(SlaDefault))}
    result = []
    for priority in Priority:
        row = rows.get(priority)
        if row is None:  # not saved yet: the built-in targets
            response, resolution = rule.DEFAULT_SLA[priority]
            row = SlaDefault(priority=priority, response_hours=response, resolution_hours=resolution, version=0)
        result.append(SlaDefaultRead.model_validate(row))
    return result


@service(Action.TICKET_SETTINGS_EDIT, write=True)
def save_sla_default(
    ctx: Context, priority: Priority, response_hours: int, resolution_hours: int, working_hours_only: bool
) -> SlaDefaultRead:
    errors: dict[str, str] = {}
    if not 1 <= response_hours <= warranty_service.MAX_SLA_HOURS:
        errors["response_hours"] = _("The response time is 1 to {most} hours.").format(
            most=warranty_service.MAX_SLA_HOURS
        )
    if not 1 <= resolution_hours <= warranty_service.MAX_SLA_HOURS:
        errors["resolution_hours"] = _("The resolution time is 1 to {most} hours.").format(
            most=warranty_service.MAX_SLA_HOURS
        )
    elif resolution_hours < response_hours:
        errors["resolution_hours"] = _("The resolution time cannot be shorter than the response time.")
    if errors:
        raise ValidationError(errors)
    row = ctx.s.exec(select(SlaDefault).where(SlaDefault.priority == priority)).first()
    if row is None:
        row = SlaDefault(priority=priority, response_hours=response_hours, resolution_hours=resolution_hours)
    row.response_hours, row.resolution_hours = response_hours, resolution_hours
    row.working_hours_only = working_hours_only
    ctx.s.add(row)
    ctx.s.flush()
    return SlaDefaultRead.model_validate(row)


def _fault_read(row: FaultCategory) -> FaultCategoryRead:
    return FaultCategoryRead.model_validate(row, update={"label": rule.fault_label(row.code, row.name)})


@service(Action.TICKETS_VIEW, write=False)
def list_fault_categories(ctx: Context, *, include_inactive: bool = False) -> list[FaultCategoryRead]:
    query = select(FaultCategory).order_by(col(FaultCategory.sort_order), col(FaultCategory.name))
    if not include_inactive:
        query = query.where(col(FaultCategory.active).is_(True))
    return [_fault_read(r) for r in ctx.s.exec(query)]


@service(Action.TICKET_SETTINGS_EDIT, write=True)
def save_fault_category(
    ctx: Context, name: str, *, category_id: uuid.UUID | None = None, active: bool = True
) -> FaultCategoryRead:
    """Add a fault category, or rename / (de)activate one."""
    name = clean_text(name)
    if category_id is None:
        if not name:
            raise ValidationError.single("name", _("Please enter the fault's name."))
        row = FaultCategory(name=name, sort_order=500, branch_id=ctx.user.branch_id if ctx.user else None)
    else:
        found = ctx.s.get(FaultCategory, category_id)
        if found is None:
            raise NotFound(_("This fault category does not exist."))
        row = found
        if name:
            row.name, row.code = name, ""  # a renamed built-in entry keeps the new name as typed
    row.active = active
    ctx.s.add(row)
    ctx.s.flush()
    return _fault_read(row)


def seed_fault_categories(ctx: Context) -> None:
    """The built-in fault list, added where missing (first run, migration, demo)."""
    have = set(ctx.s.exec(select(FaultCategory.code)))
    for order, code in enumerate(rule.FAULT_LABELS):
        if code not in have:
            ctx.s.add(FaultCategory(code=code, name=code, sort_order=(order + 1) * 10))
    ctx.s.flush()


# --- the SLA --------------------------------------------------------------------------------------


def _targets(ctx: Context, priority: Priority, cover: CoverageRead) -> tuple[int, int, bool]:
    """Response and resolution hours and whether they count working hours only."""
    if cover.contract_id is not None and cover.response_hours and cover.resolution_hours:
        return cover.response_hours, cover.resolution_hours, cover.working_hours_only
    row = next(d for d in list_sla_defaults(ctx) if d.priority == priority)
    return row.response_hours, row.resolution_hours, row.working_hours_only


def _pauses(ticket: Ticket) -> list[tuple[datetime, datetime | None]]:
    return [
        (datetime.fromisoformat(str(start)), datetime.fromisoformat(end) if end else None)
        for start, end in ticket.pauses
    ]


def _resolution_due(ticket: Ticket, calendar: WorkingCalendar, now: datetime) -> datetime:
    """The resolution due time pushed back by the pauses so far (a running pause counts to now).

    Without a running pause it is the kept `resolution_due`, which every resume brings up to date.
    """
    if not ticket.pauses or ticket.pauses[-1][1] is not None:
        return ticket.resolution_due
    return _due_after_pauses(ticket, calendar, now)


def _due_after_pauses(ticket: Ticket, calendar: WorkingCalendar, now: datetime) -> datetime:
    paused = rule.paused_hours(_pauses(ticket), now, calendar, ticket.working_hours_only)
    return rule.due_time(
        ticket.reported_at, ticket.resolution_hours, calendar, ticket.working_hours_only, paused
    )


# --- reading ---------------------------------------------------------------------------------------


def _read(ctx: Context, rows: Sequence[Ticket], calendar: WorkingCalendar | None = None) -> list[TicketRead]:
    """Read schemas with merchant, terminal, fault, assignee, parts and SLA state (a few queries)."""
    if not rows:
        return []
    calendar = calendar or warranty_service.working_calendar(ctx)
    now = ctx.now()
    merchants = {
        m.id: m for m in ctx.s.exec(select(Merchant).where(col(Merchant.id).in_({t.merchant_id for t in rows})))
    }
    terminal_rows = ctx.s.exec(
        select(Terminal, DeviceModel)
        .join(DeviceModel, col(DeviceModel.id) == Terminal.model_id)
        .where(col(Terminal.id).in_({t.terminal_id for t in rows}))
    ).all()
    terminals = {t.id: (t, m) for t, m in terminal_rows}
    faults = {
        f.id: f
        for f in ctx.s.exec(
            select(FaultCategory).where(col(FaultCategory.id).in_({t.fault_category_id for t in rows if t.fault_category_id}))
        )
    }
    users = dict(
        ctx.s.exec(
            select(User.id, User.display_name).where(col(User.id).in_({t.assignee_id for t in rows if t.assignee_id}))
        ).all()
    )
    # The job's contact phone: for desks that may see personal data, and the technician on the job.
    unmasked = may_see_personal_data(ctx)
    me = ctx.user.id if ctx.user else None
    parts: dict[uuid.UUID, list[TicketPartLine]] = {t.id: [] for t in rows}
    for part in ctx.s.exec(
        select(TicketPart).where(col(TicketPart.ticket_id).in_(list(parts))).order_by(col(TicketPart.line_no))
    ):
        parts[part.ticket_id].append(TicketPartLine.model_validate(part))
    result = []
    for t in rows:
        merchant = merchants.get(t.merchant_id)
        terminal, model = terminals.get(t.terminal_id, (None, None))
        fault = faults.get(t.fault_category_id) if t.fault_category_id else None
        sla = _sla(t, calendar, now)
        result.append(
            TicketRead.model_validate(
                t,
                update={
                    "coverage_reason": _coverage_reason(t),
                    "contact_phone": t.contact_phone
                    if unmasked or (me is not None and t.assignee_id == me)
                    else mask_phone(t.contact_phone),
                    "merchant_name": (merchant.shop_name or merchant.legal_name) if merchant else "",
                    "merchant_no": merchant.merchant_no if merchant else "",
                    "merchant_address": _address(merchant) if merchant else "",
                    "serial_no": terminal.serial_no if terminal else "",
                    "terminal_no": terminal.terminal_no if terminal else "",
                    "brand": model.brand if model else "",
                    "model": model.model if model else "",
                    "fault_label": rule.fault_label(fault.code, fault.name) if fault else "",
                    "assignee_name": users.get(t.assignee_id, "") if t.assignee_id else "",
                    "parts": parts[t.id],
                    "sla_due": sla[0],
                    "sla_hours_left": sla[1],
                    "sla_state": sla[2],
                    "paused": t.status == TicketStatus.WAITING_PARTS and bool(t.pauses) and t.pauses[-1][1] is None,
                },
            )
        )
    return result


def _coverage_reason(ticket: Ticket) -> str:
    """The coverage sentence in the reader's language, from the facts kept at intake."""
    exclusion = ExclusionCause(ticket.exclusion) if ticket.exclusion else None
    return coverage_rule.decide_again(ticket.coverage_basis, exclusion).reason


def _address(merchant: Merchant) -> str:
    parts = [getattr(merchant, f, "") or "" for f in ("province", "city", "district", "address")]
    text = "".join(dict.fromkeys(p for p in parts if p))
    return text


def _sla(ticket: Ticket, calendar: WorkingCalendar, now: datetime) -> tuple[datetime | None, float | None, SlaState]:
    """The target running now (response until responded, then resolution) and its state."""
    if ticket.status == TicketStatus.CANCELLED:
        return None, None, SlaState.STOPPED
    if ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        due = ticket.resolution_due
        state, _left = rule.sla_state(
            due, ticket.resolved_at or now, now, ticket.resolution_hours, calendar, ticket.working_hours_only
        )
        return due, None, state
    if ticket.responded_at is None:
        due, target = ticket.response_due, ticket.response_hours
    else:
        due, target = _resolution_due(ticket, calendar, now), ticket.resolution_hours
    state, left = rule.sla_state(due, None, now, target, calendar, ticket.working_hours_only)
    return due, left, state


def _get(ctx: Context, ticket_id: uuid.UUID) -> Ticket:
    row = ctx.s.get(Ticket, ticket_id)
    if row is None:
        raise NotFound(_("This ticket does not exist."))
    return row


def _assigned_to_other(ctx: Context, ticket: Ticket) -> bool:
    user = ctx.user
    return ticket.assignee_id is not None and (user is None or ticket.assignee_id != user.id)


def _check_own_work(ctx: Context, ticket: Ticket) -> None:
    """The work of a ticket held by someone else is theirs (or a supervisor's) to record."""
    assert ctx.user is not None  # service() checked it
    if not rule.may_work_on(ctx.user.role, _assigned_to_other(ctx, ticket)):
        raise PermissionDenied(rule.others_work_problem())


def _check_version(ticket: Ticket, expected: int) -> None:
    if ticket.version != expected:
        raise Conflict(
            _("Ticket {number} was changed by someone else meanwhile; reload and try again.").format(
                number=ticket.ticket_no
            )
        )


@service(Action.TICKETS_VIEW, write=False)
def get_ticket(ctx: Context, ticket_id: uuid.UUID) -> TicketRead:
    return _read(ctx, [_get(ctx, ticket_id)])[0]


@service(Action.TICKETS_VIEW, write=False)
def read_tickets(ctx: Context, ticket_ids: Sequence[uuid.UUID]) -> list[TicketRead]:
    """Tickets by id in the given order (batch printing)."""
    rows = {t.id: t for t in ctx.s.exec(select(Ticket).where(col(Ticket.id).in_(list(ticket_ids))))}
    return _read(ctx, [rows[i] for i in ticket_ids if i in rows])


@service(Action.TICKETS_VIEW, write=False)
def find_ticket_by_number(ctx: Context, ticket_no: str) -> TicketRead | None:
    number = ticket_no.strip().upper()
    row = ctx.s.exec(select(Ticket).where(Ticket.ticket_no == number)).first()
    return _read(ctx, [row])[0] if row else None


# The due time of the target running now: the response until someone starts, then the resolution.
_RUNNING_DUE = case(
    (col(Ticket.responded_at).is_(None), col(Ticket.response_due)), else_=col(Ticket.resolution_due)
)
_SORTS: dict[str, Any] = {
    "due": _RUNNING_DUE,
    "resolution_due": col(Ticket.resolution_due),
    "reported_at": col(Ticket.reported_at),
    "priority": col(Ticket.priority),
    "ticket_no": col(Ticket.ticket_no),
    "status": col(Ticket.status),
}


def _conditions(ctx: Context, filters: TicketFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status:
        conditions.append(col(Ticket.status) == filters.status)
    if filters.open_only:
        conditions.append(col(Ticket.status).in_(list(rule.OPEN_STATUSES)))
    if filters.assignee_id:
        conditions.append(col(Ticket.assignee_id) == filters.assignee_id)
    if filters.unassigned:
        conditions.append(col(Ticket.assignee_id).is_(None))
        conditions.append(col(Ticket.status).in_(list(rule.OPEN_STATUSES)))
    if filters.merchant_id:
        conditions.append(col(Ticket.merchant_id) == filters.merchant_id)
    if filters.terminal_id:
        conditions.append(col(Ticket.terminal_id) == filters.terminal_id)
    if filters.priority:
        conditions.append(col(Ticket.priority) == filters.priority)
    if filters.overdue:
        now = ctx.now()
        conditions.append(col(Ticket.status).in_(list(rule.OPEN_STATUSES)))
        conditions.append(
            or_(
                col(Ticket.resolution_due) < now,
                (col(Ticket.responded_at).is_(None)) & (col(Ticket.response_due) < now),
            )
        )
    text = filters.text.strip().upper()
    if text:
        serials = select(Terminal.id).where(col(Terminal.serial_no).startswith(text))
        conditions.append(
            or_(col(Ticket.ticket_no).contains(text), col(Ticket.terminal_id).in_(serials))
        )
    return conditions


@service(Action.TICKETS_VIEW, write=False)
def list_tickets(
    ctx: Context, filters: TicketFilter | None = None, *, offset: int = 0, limit: int = 200
) -> TicketPage:
    filters = filters or TicketFilter()
    conditions = _conditions(ctx, filters)
    total = ctx.s.exec(select(func.count()).select_from(Ticket).where(*conditions)).one()
    order = _SORTS.get(filters.sort, _SORTS["due"])
    query = (
        select(Ticket)
        .where(*conditions)
        .order_by(order.desc() if filters.descending else order, col(Ticket.ticket_no))
        .offset(max(offset, 0))
        .limit(min(max(limit, 1), MAX_PAGE))
    )
    return TicketPage(items=_read(ctx, list(ctx.s.exec(query))), total=total)


@service(Action.TICKETS_VIEW, write=False)
def ticket_activity(ctx: Context, ticket_id: uuid.UUID) -> list[TicketActivityRead]:
    """The ticket's log, newest first."""
    query = (
        select(TicketActivity)
        .where(TicketActivity.ticket_id == ticket_id)
        .order_by(col(TicketActivity.at).desc(), col(TicketActivity.id).desc())
    )
    return [TicketActivityRead.model_validate(a) for a in ctx.s.exec(query)]


@service(Action.TICKETS_VIEW, write=False)
def list_assignees(ctx: Context) -> list[tuple[uuid.UUID, str]]:
    """Active technicians and supervisors who can take a ticket, by name."""
    query = (
        select(User.id, User.display_name)
        .where(col(User.is_active).is_(True), col(User.role).in_([Role.TECHNICIAN, Role.SUPERVISOR]))
        .order_by(col(User.role).desc(), col(User.display_name))
    )
    return [(i, n) for i, n in ctx.s.exec(query)]


@service(Action.TICKETS_VIEW, write=False)
def allowed_ticket_steps(ctx: Context, ticket_id: uuid.UUID) -> list[TicketStep]:
    ticket = _get(ctx, ticket_id)
    if ctx.user is None:
        return []
    return rule.allowed_steps(
        ticket.status,
        ctx.user.role,
        ticket.closed_at,
        ctx.now(),
        assigned_to_other=_assigned_to_other(ctx, ticket),
    )


# --- the log ----------------------------------------------------------------------------------------


def log_activity(ctx: Context, ticket: Ticket, kind: ActivityKind, summary: str, **details: Any) -> None:
    """Add one line to the ticket's activity log, inside the running unit of work."""
    user = ctx.user
    ctx.s.add(
        TicketActivity(
            ticket_id=ticket.id,
            at=ctx.now(),
            kind=kind,
            user_id=user.id if user else None,
            username=user.display_name if user else "",
            summary=summary[:500],
            details={k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in details.items()},
        )
    )


@service(Action.TICKETS_VIEW, write=True)
def add_comment(ctx: Context, ticket_id: uuid.UUID, text: str) -> TicketActivityRead:
    ticket = _get(ctx, ticket_id)
    text = clean_text(text)
    if not text:
        raise ValidationError.single("text", _("Please write the comment."))
    if len(text) > 500:
        raise ValidationError.single("text", _("A comment has at most 500 characters."))
    log_activity(ctx, ticket, ActivityKind.COMMENT, text)
    ctx.s.flush()
    return ticket_activity(ctx, ticket_id)[0]


@service(Action.TICKETS_VIEW, write=True)
def log_print(ctx: Context, ticket_ids: Sequence[uuid.UUID], document: str) -> None:
    """Note on each ticket that `document` was printed or saved (the print services call this)."""
    for ticket in ctx.s.exec(select(Ticket).where(col(Ticket.id).in_(list(ticket_ids)))):
        log_activity(ctx, ticket, ActivityKind.PRINT, _("Printed: {document}.").format(document=document))
    ctx.s.flush()


# --- intake -----------------------------------------------------------------------------------------


def _terms(
    ctx: Context, terminal: Terminal, priority: Priority, exclusion: ExclusionCause | None, at: datetime
) -> IntakeTerms:
    cover = warranty_service.decide_coverage(ctx, terminal, at.astimezone(CHINA_TZ).date(), exclusion)
    response, resolution, working = _targets(ctx, priority, cover)
    calendar = warranty_service.working_calendar(ctx)
    response_due = rule.due_time(at, response, calendar, working)
    resolution_due = rule.due_time(at, resolution, calendar, working)
    unknown = calendar.unknown_years(at, resolution_due) if working else []
    return IntakeTerms(
        coverage=cover,
        response_hours=response,
        resolution_hours=resolution,
        working_hours_only=working,
        response_due=response_due,
        resolution_due=resolution_due,
        unknown_years=unknown,
    )


@service(Action.TICKETS_VIEW, write=False)
def intake_terms(
    ctx: Context, terminal_id: uuid.UUID, priority: Priority = Priority.P3, exclusion: ExclusionCause | None = None
) -> IntakeTerms:
    """Coverage and due times a ticket for this terminal would get if opened now."""
    terminal = ctx.s.get(Terminal, terminal_id)
    if terminal is None:
        raise NotFound(_("This terminal does not exist."))
    return _terms(ctx, terminal, priority, exclusion, ctx.now())


def _check_intake(ctx: Context, intake: TicketIntake) -> tuple[TicketIntake, Terminal]:
    errors: dict[str, str] = {}
    terminal = ctx.s.get(Terminal, intake.terminal_id) if intake.terminal_id else None
    merchant_id = intake.merchant_id
    if terminal is None:
        errors["terminal_id"] = _("Scan or choose the terminal.")
    elif merchant_id is None:
        merchant_id = terminal.merchant_id  # the merchant fills in from the terminal
    if terminal is not None and merchant_id is None:
        errors["merchant_id"] = _("Terminal {sn} is not bound to a merchant; choose the merchant.").format(
            sn=terminal.serial_no
        )
    elif merchant_id is not None and ctx.s.get(Merchant, merchant_id) is None:
        errors["merchant_id"] = _("Please choose the merchant.")
    if intake.fault_category_id is None or ctx.s.get(FaultCategory, intake.fault_category_id) is None:
        errors["fault_category_id"] = _("Please choose the fault.")
    description = clean_text(intake.description)
    if not description:
        errors["description"] = _("Please describe the fault as the customer reports it.")
    phone = intake.contact_phone.strip()
    if phone:
        try:
            phone = validate_phone(phone)
        except FormatError as exc:
            errors["contact_phone"] = exc.reason
    if errors:
        raise ValidationError(errors)
    assert terminal is not None
    return (
        intake.model_copy(
            update={
                "merchant_id": merchant_id,
                "description": description,
                "contact_name": clean_text(intake.contact_name),
                "contact_phone": phone,
            }
        ),
        terminal,
    )


@service(Action.TICKETS_CREATE, write=True)
def open_ticket(ctx: Context, intake: TicketIntake) -> TicketRead:
    """Open a ticket: number, coverage and SLA due times are decided now."""
    intake, terminal = _check_intake(ctx, intake)
    now = ctx.now()
    terms = _terms(ctx, terminal, intake.priority, intake.exclusion, now)
    cover = terms.coverage
    assert intake.merchant_id is not None and intake.terminal_id is not None
    row = Ticket(
        ticket_no=day_number(ctx, "WX", now.astimezone(CHINA_TZ).date()),
        merchant_id=intake.merchant_id,
        terminal_id=intake.terminal_id,
        channel=intake.channel,
        fault_category_id=intake.fault_category_id,
        description=intake.description,
        priority=intake.priority,
        contact_name=intake.contact_name,
        contact_phone=intake.contact_phone,
        reported_at=now,
        response_hours=terms.response_hours,
        resolution_hours=terms.resolution_hours,
        working_hours_only=terms.working_hours_only,
        response_due=terms.response_due,
        resolution_due=terms.resolution_due,
        branch_id=ctx.user.branch_id if ctx.user else None,
    )
    _apply_coverage(row, cover, intake.exclusion)
    ctx.s.add(row)
    ctx.s.flush()
    log_activity(
        ctx,
        row,
        ActivityKind.CREATED,
        _("Opened by {channel}: {reason}").format(
            channel=rule.channel_label(row.channel), reason=cover.reason
        ),
    )
    terminal_service.record_event(
        ctx,
        terminal,
        TerminalEventKind.REPAIRED,
        _("Repair ticket {number} opened.").format(number=row.ticket_no),
        ticket_id=row.id,
    )
    ctx.s.flush()
    return _read(ctx, [row])[0]


def _apply_coverage(row: Ticket, cover: CoverageRead, exclusion: ExclusionCause | None) -> None:
    row.coverage_kind = cover.kind
    row.coverage_basis = cover.basis
    row.coverage_until = cover.until
    row.free_items = list(cover.free_items)
    row.exclusion = exclusion
    row.contract_id = cover.contract_id
    row.contract_no = cover.contract_no
    row.policy_name = cover.policy_name


# --- the workflow -------------------------------------------------------------------------------------


def _assignee(ctx: Context, assignee_id: uuid.UUID | None) -> User:
    user = ctx.s.get(User, assignee_id) if assignee_id else None
    if user is None or not user.is_active:
        raise ValidationError.single("assignee_id", _("Choose the technician first."))
    if user.role not in (Role.TECHNICIAN, Role.SUPERVISOR):
        raise ValidationError.single("assignee_id", _("{name} is not a technician.").format(name=user.display_name))
    return user


@service(Action.TICKETS_VIEW, write=True)
def take_step(
    ctx: Context,
    ticket_id: uuid.UUID,
    step: TicketStep,
    *,
    expected_version: int,
    assignee_id: uuid.UUID | None = None,
    reason: str = "",
    confirmed_by: str = "",
) -> TicketRead:
    """Move the ticket along its workflow; the rule table decides who may and what must be filled."""
    ticket = _get(ctx, ticket_id)
    _check_version(ticket, expected_version)
    user = ctx.user
    assert user is not None  # service() checked it
    now = ctx.now()
    facts = rule.TicketFacts(
        status=ticket.status,
        assignee_is_set=assignee_id is not None or (step != TicketStep.ASSIGN and ticket.assignee_id is not None),
        diagnosis=ticket.diagnosis,
        resolution=ticket.resolution,
        customer_confirmed_by=clean_text(confirmed_by),
        closed_at=ticket.closed_at,
        reason=clean_text(reason),
        assigned_to_other=_assigned_to_other(ctx, ticket),
    )
    problem = rule.step_problem(facts, step, user.role, now)
    if problem is not None:
        if ticket.status not in rule.STEPS[step].sources:
            raise InvalidTransition(problem)
        if not rule.role_may(user.role, step) or (
            step in rule.WORK_STEPS and not rule.may_work_on(user.role, facts.assigned_to_other)
        ):
            raise PermissionDenied(problem)
        field = {
            TicketStep.ASSIGN: "assignee_id",
            TicketStep.RESOLVE: "resolution",
            TicketStep.CLOSE: "confirmed_by",
        }.get(step, "reason")
        if step == TicketStep.REOPEN and facts.reason:
            raise InvalidTransition(problem)
        raise ValidationError.single(field, problem)
    before = TicketStatus(ticket.status)
    calendar = warranty_service.working_calendar(ctx)
    if step == TicketStep.ASSIGN:
        technician = _assignee(ctx, assignee_id)
        if ticket.assignee_id == technician.id and before == TicketStatus.ASSIGNED:
            raise InvalidTransition(_("The ticket is already assigned to {name}.").format(name=technician.display_name))
        _assign(ctx, ticket, technician)
        ctx.s.flush()
        return _read(ctx, [ticket], calendar)[0]
    target = rule.STEPS[step].target
    if step == TicketStep.START and ticket.responded_at is None:
        ticket.responded_at = now
    if step == TicketStep.WAIT_FOR_PARTS and _settings(ctx).pause_while_waiting_for_parts:
        ticket.pauses = [*ticket.pauses, [now.isoformat(), None]]
    if step == TicketStep.PARTS_ARRIVED and ticket.pauses and ticket.pauses[-1][1] is None:
        ticket.pauses = [*ticket.pauses[:-1], [ticket.pauses[-1][0], now.isoformat()]]
        ticket.resolution_due = _due_after_pauses(ticket, calendar, now)
    if step == TicketStep.RESOLVE:
        ticket.resolved_at = now
    if step == TicketStep.CLOSE:
        ticket.closed_at = now
        ticket.customer_confirmed_by = facts.customer_confirmed_by
        days = _settings(ctx).follow_up_days
        ticket.follow_up_due = now.astimezone(CHINA_TZ).date() + timedelta(days=days)
    if step == TicketStep.CANCEL:
        ticket.cancelled_at = now
        ticket.cancel_reason = facts.reason
    if step == TicketStep.REOPEN:
        ticket.reopen_count += 1
        ticket.resolved_at = None
        ticket.closed_at = None
        ticket.follow_up_due = None
        ticket.customer_confirmed_by = ""
    ticket.status = target
    summary = _("{old} → {new}.").format(old=rule.status_label(before), new=rule.status_label(target))
    if facts.reason and step in (TicketStep.CANCEL, TicketStep.REOPEN):
        summary += " " + facts.reason
    if step == TicketStep.CLOSE:
        summary += " " + _("Confirmed by {name}.").format(name=facts.customer_confirmed_by)
    log_activity(ctx, ticket, ActivityKind.STATUS, summary, step=str(step), old=str(before), new=str(target))
    if step in (TicketStep.RESOLVE, TicketStep.CLOSE):
        terminal = ctx.s.get(Terminal, ticket.terminal_id)
        if terminal is not None:
            terminal_service.record_event(
                ctx,
                terminal,
                TerminalEventKind.REPAIRED,
                _("Repair ticket {number} {status}.").format(number=ticket.ticket_no, status=rule.status_label(target)),
                ticket_id=ticket.id,
            )
    ctx.s.add(ticket)
    ctx.s.flush()
    return _read(ctx, [ticket], calendar)[0]


@service(Action.TICKETS_ASSIGN, write=True)
def assign_tickets(ctx: Context, ticket_ids: Sequence[uuid.UUID], assignee_id: uuid.UUID) -> int:
    """Assign several open tickets at once (bulk assign); returns how many changed hands."""
    technician = _assignee(ctx, assignee_id)
    count = 0
    for ticket in ctx.s.exec(select(Ticket).where(col(Ticket.id).in_(list(ticket_ids)))):
        if ticket.status not in rule.STEPS[TicketStep.ASSIGN].sources or ticket.assignee_id == technician.id:
            continue
        _assign(ctx, ticket, technician)
        count += 1
    ctx.s.flush()
    return count


def _assign(ctx: Context, ticket: Ticket, technician: User) -> None:
    """Give the ticket to `technician`; a new ticket becomes assigned, work under way keeps its state."""
    before = TicketStatus(ticket.status)
    ticket.assignee_id = technician.id
    log_activity(
        ctx,
        ticket,
        ActivityKind.ASSIGNMENT,
        _("Assigned to {name}.").format(name=technician.display_name),
        assignee_id=technician.id,
    )
    if before == TicketStatus.NEW:
        target = rule.STEPS[TicketStep.ASSIGN].target
        ticket.status = target
        log_activity(
            ctx,
            ticket,
            ActivityKind.STATUS,
            _("{old} → {new}.").format(old=rule.status_label(before), new=rule.status_label(target)),
            step=str(TicketStep.ASSIGN),
            old=str(before),
            new=str(target),
        )
    ctx.s.add(ticket)


# --- the work -----------------------------------------------------------------------------------------


def _check_parts(parts: Sequence[TicketPartLine]) -> list[TicketPartLine]:
    errors: dict[str, str] = {}
    cleaned = []
    for index, part in enumerate(parts, start=1):
        name = clean_text(part.part_name)
        if not name:
            errors["parts"] = _("Line {line}: please enter the part.").format(line=index)
        elif not 1 <= part.quantity <= 999:
            errors["parts"] = _("Line {line}: the quantity is 1 to 999.").format(line=index)
        elif not 0 <= part.unit_price_fen <= 100_000_00:
            errors["parts"] = _("Line {line}: the unit price is 0 to 100,000 yuan.").format(line=index)
        cleaned.append(part.model_copy(update={"part_name": name}))
    if errors:
        raise ValidationError(errors)
    return cleaned


@service(Action.TICKETS_WORK, write=True)
def update_work(ctx: Context, ticket_id: uuid.UUID, work: TicketWork) -> TicketRead:
    """Record diagnosis, actions, parts and fees; an exclusion cause decides coverage again."""
    ticket = _get(ctx, ticket_id)
    _check_version(ticket, work.expected_version)
    _check_own_work(ctx, ticket)
    if ticket.status in (TicketStatus.CLOSED, TicketStatus.CANCELLED):
        raise InvalidTransition(
            _("Ticket {number} is {status}; reopen it to change the work.").format(
                number=ticket.ticket_no, status=rule.status_label(ticket.status)
            )
        )
    errors: dict[str, str] = {}
    for field in ("labour_fee_fen", "onsite_fee_fen"):
        value = getattr(work, field)
        if value is not None and not 0 <= value <= 100_000_00:
            errors[field] = _("The fee is 0 to 100,000 yuan.")
    if errors:
        raise ValidationError(errors)
    changed: list[str] = []
    for field in ("diagnosis", "resolution"):
        value = getattr(work, field)
        if value is not None and clean_text(value) != getattr(ticket, field):
            setattr(ticket, field, clean_text(value)[:2000])
            changed.append(field)
    if work.actions is not None and list(work.actions) != list(ticket.actions):
        ticket.actions = list(dict.fromkeys(work.actions))
        changed.append("actions")
    for field in ("labour_fee_fen", "onsite_fee_fen"):
        value = getattr(work, field)
        if value is not None and value != getattr(ticket, field):
            setattr(ticket, field, value)
            changed.append(field)
    exclusion = None if work.clear_exclusion else (work.exclusion or ticket.exclusion)
    if exclusion != ticket.exclusion:
        terminal = ctx.s.get(Terminal, ticket.terminal_id)
        assert terminal is not None
        cover = warranty_service.decide_coverage(
            ctx, terminal, ticket.reported_at.astimezone(CHINA_TZ).date(), exclusion
        )
        _apply_coverage(ticket, cover, exclusion)
        changed.append("exclusion")
        log_activity(ctx, ticket, ActivityKind.WORK, cover.reason, exclusion=str(exclusion) if exclusion else None)
    if work.parts is not None:
        parts = _check_parts(work.parts)
        for old in ctx.s.exec(select(TicketPart).where(TicketPart.ticket_id == ticket.id)):
            ctx.s.delete(old)
        ctx.s.flush()
        for number, part in enumerate(parts, start=1):
            ctx.s.add(TicketPart(ticket_id=ticket.id, line_no=number, **part.model_dump()))
        changed.append("parts")
    else:
        parts = [TicketPartLine.model_validate(p) for p in ctx.s.exec(select(TicketPart).where(TicketPart.ticket_id == ticket.id))]
    ticket.total_charge_fen = rule.charges(parts, ticket.labour_fee_fen, ticket.onsite_fee_fen, ticket.free_items).total_fen
    if changed:
        log_activity(ctx, ticket, ActivityKind.WORK, _("Work recorded."), fields=changed)
        ticket.updated_at = ctx.now()
    ctx.s.add(ticket)
    ctx.s.flush()
    return _read(ctx, [ticket])[0]


@service(Action.TICKETS_WORK, write=True)
def record_swap(
    ctx: Context, ticket_id: uuid.UUID, replacement_serial_no: str, *, expected_version: int
) -> TicketRead:
    """Swap the ticket's terminal for one from stock: both terminals and timelines are updated."""
    ticket = _get(ctx, ticket_id)
    _check_version(ticket, expected_version)
    _check_own_work(ctx, ticket)
    terminal = ctx.s.get(Terminal, ticket.terminal_id)
    assert terminal is not None
    _old, new = terminal_service.swap_terminal(
        ctx,
        terminal.id,
        replacement_serial_no,
        expected_version=terminal.version,
        reason=_("Repair ticket {number}").format(number=ticket.ticket_no),
        old_to_status=TerminalStatus.IN_REPAIR,
    )
    ticket.replacement_serial_no = new.serial_no
    if WorkAction.SWAP_TERMINAL not in ticket.actions:
        ticket.actions = [*ticket.actions, WorkAction.SWAP_TERMINAL]
    log_activity(
        ctx, ticket, ActivityKind.WORK,
        _("Terminal swapped: {old} → {new}.").format(old=terminal.serial_no, new=new.serial_no),
    )
    ctx.s.add(ticket)
    ctx.s.flush()
    return _read(ctx, [ticket])[0]


@service(Action.TICKETS_WORK, write=True)
def record_software_update(
    ctx: Context, ticket_id: uuid.UUID, firmware_version: str, *, expected_version: int
) -> TicketRead:
    """Note the firmware the terminal now runs, on the ticket and on the terminal."""
    ticket = _get(ctx, ticket_id)
    _check_version(ticket, expected_version)
    _check_own_work(ctx, ticket)
    version = clean_text(firmware_version)
    if not version:
        raise ValidationError.single("firmware_version", _("Please enter the version."))
    terminal = ctx.s.get(Terminal, ticket.terminal_id)
    assert terminal is not None
    from app.models.terminal import TerminalUpdate

    terminal_service.update_terminal(
        ctx, terminal.id, TerminalUpdate(firmware_version=version, expected_version=terminal.version)
    )
    ticket.new_firmware_version = version
    if WorkAction.SOFTWARE_UPDATE not in ticket.actions:
        ticket.actions = [*ticket.actions, WorkAction.SOFTWARE_UPDATE]
    log_activity(ctx, ticket, ActivityKind.WORK, _("Software updated to {version}.").format(version=version))
    ctx.s.add(ticket)
    ctx.s.flush()
    return _read(ctx, [ticket])[0]


# --- follow-up calls -----------------------------------------------------------------------------------


@service(Action.FOLLOW_UP, write=True)
def record_follow_up(ctx: Context, ticket_id: uuid.UUID, call: FollowUpCallCreate) -> FollowUpCallRead:
    """Note a follow-up call; an unhappy customer's ticket can be reopened at once."""
    ticket = _get(ctx, ticket_id)
    if ticket.status != TicketStatus.CLOSED:
        raise InvalidTransition(_("Follow-up calls are made after the ticket is closed."))
    errors: dict[str, str] = {}
    if call.satisfaction is not None and not 1 <= call.satisfaction <= 5:
        errors["satisfaction"] = _("Satisfaction is 1 to 5.")
    if call.reached and call.satisfaction is None:
        errors["satisfaction"] = _("Please note how satisfied the customer is (1 to 5).")
    comments = clean_text(call.comments)
    if len(comments) > 1000:
        errors["comments"] = _("The comments have at most 1,000 characters.")
    if call.reopen and not comments:
        errors["comments"] = _("Say why the ticket is reopened.")
    if errors:
        raise ValidationError(errors)
    user = ctx.user
    row = FollowUpCall(
        ticket_id=ticket.id,
        at=ctx.now(),
        username=user.display_name if user else "",
        reached=call.reached,
        satisfaction=call.satisfaction if call.reached else None,
        comments=comments,
    )
    ctx.s.add(row)
    if call.reached:
        ticket.follow_up_due = None
    summary = (
        _("Follow-up call: reached, satisfaction {score}/5.").format(score=call.satisfaction)
        if call.reached
        else _("Follow-up call: not reached.")
    )
    log_activity(ctx, ticket, ActivityKind.CALL, (summary + " " + comments).strip())
    ctx.s.add(ticket)
    ctx.s.flush()
    if call.reopen:
        take_step(ctx, ticket.id, TicketStep.REOPEN, expected_version=ticket.version, reason=comments)
    return FollowUpCallRead.model_validate(row)


@service(Action.TICKETS_VIEW, write=False)
def list_follow_up_calls(ctx: Context, ticket_id: uuid.UUID) -> list[FollowUpCallRead]:
    query = select(FollowUpCall).where(FollowUpCall.ticket_id == ticket_id).order_by(col(FollowUpCall.at))
    return [FollowUpCallRead.model_validate(c) for c in ctx.s.exec(query)]


@service(Action.TICKETS_VIEW, write=False)
def list_follow_ups_due(ctx: Context, *, offset: int = 0, limit: int = 200) -> TicketPage:
    """Closed tickets whose follow-up call is due today or earlier and has not reached anyone."""
    today = ctx.now().astimezone(CHINA_TZ).date()
    conditions = [
        col(Ticket.status) == TicketStatus.CLOSED,
        col(Ticket.follow_up_due).is_not(None),
        col(Ticket.follow_up_due) <= today,
    ]
    total = ctx.s.exec(select(func.count()).select_from(Ticket).where(*conditions)).one()
    query = (
        select(Ticket)
        .where(*conditions)
        .order_by(col(Ticket.follow_up_due), col(Ticket.ticket_no))
        .offset(max(offset, 0))
        .limit(min(max(limit, 1), MAX_PAGE))
    )
    return TicketPage(items=_read(ctx, list(ctx.s.exec(query))), total=total)

