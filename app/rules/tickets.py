"""The repair ticket's workflow, its SLA clock and its charges: pure rules, no I/O.

One table, `STEPS`, says from which states each step may be taken, to which state it leads and
which roles may take it; `step_problem` adds what must be filled in first. The UI offers only
the steps `allowed_steps` returns, and the service refuses anything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.i18n import N_, NC_, _, pgettext
from app.models.ticket import (
    Channel,
    Priority,
    SlaState,
    TicketPartLine,
    TicketStatus,
    TicketStep,
    WorkAction,
)
from app.models.user import Role
from app.models.warranty import CostItem
from app.rules.permissions import Action, allowed
from app.rules.workcal import WorkingCalendar

# A closed ticket can be reopened for this many days after closing.
REOPEN_DAYS = 30
# An open ticket is "due soon" when less than this share of its target is left.
DUE_SOON_SHARE = 0.25

_DESK = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CLERK})
_WORKSHOP = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.TECHNICIAN})
_OPEN = frozenset(
    {TicketStatus.NEW, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_PARTS}
)
OPEN_STATUSES = _OPEN


@dataclass(frozen=True)
class Step:
    sources: frozenset[TicketStatus]
    target: TicketStatus
    roles: frozenset[Role]


STEPS: dict[TicketStep, Step] = {
    TicketStep.ASSIGN: Step(
        frozenset({TicketStatus.NEW, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_PARTS}),
        TicketStatus.ASSIGNED,
        _DESK,
    ),
    TicketStep.START: Step(frozenset({TicketStatus.ASSIGNED}), TicketStatus.IN_PROGRESS, _WORKSHOP),
    TicketStep.WAIT_FOR_PARTS: Step(
        frozenset({TicketStatus.IN_PROGRESS}), TicketStatus.WAITING_PARTS, _WORKSHOP
    ),
    TicketStep.PARTS_ARRIVED: Step(
        frozenset({TicketStatus.WAITING_PARTS}), TicketStatus.IN_PROGRESS, _WORKSHOP | _DESK
    ),
    TicketStep.RESOLVE: Step(frozenset({TicketStatus.IN_PROGRESS}), TicketStatus.RESOLVED, _WORKSHOP),
    TicketStep.CLOSE: Step(frozenset({TicketStatus.RESOLVED}), TicketStatus.CLOSED, _DESK),
    TicketStep.CANCEL: Step(_OPEN, TicketStatus.CANCELLED, _DESK),
    TicketStep.REOPEN: Step(
        frozenset({TicketStatus.CLOSED, TicketStatus.RESOLVED}), TicketStatus.IN_PROGRESS, _DESK
    ),
}
# The steps that are the repair itself: on a ticket assigned to someone else only roles with
# TICKETS_WORK_OTHERS (supervisors, administrators) take them, as they record its work.
WORK_STEPS = frozenset({TicketStep.START, TicketStep.WAIT_FOR_PARTS, TicketStep.RESOLVE})

STATUS_LABELS: dict[TicketStatus, tuple[str, str]] = {
    TicketStatus.NEW: NC_("ticket", "new"),
    TicketStatus.ASSIGNED: NC_("ticket", "assigned"),
    TicketStatus.IN_PROGRESS: NC_("ticket", "in progress"),
    TicketStatus.WAITING_PARTS: NC_("ticket", "waiting for parts"),
    TicketStatus.RESOLVED: NC_("ticket", "resolved"),
    TicketStatus.CLOSED: NC_("ticket", "closed"),
    TicketStatus.CANCELLED: NC_("ticket", "cancelled"),
}
STEP_LABELS: dict[TicketStep, str] = {
    TicketStep.ASSIGN: N_("Assign"),
    TicketStep.START: N_("Start work"),
    TicketStep.WAIT_FOR_PARTS: N_("Wait for parts"),
    TicketStep.PARTS_ARRIVED: N_("Parts arrived"),
    TicketStep.RESOLVE: N_("Resolve"),
    TicketStep.CLOSE: N_("Close"),
    TicketStep.CANCEL: N_("Cancel ticket"),
    TicketStep.REOPEN: N_("Reopen"),
}
CHANNEL_LABELS: dict[Channel, str] = {
    Channel.PHONE: N_("phone"),
    Channel.WALK_IN: N_("walk-in"),
    Channel.ONLINE: N_("online"),
    Channel.ONSITE: N_("on site"),
}
PRIORITY_LABELS: dict[Priority, str] = {
    Priority.P1: N_("P1 urgent"),
    Priority.P2: N_("P2 high"),
    Priority.P3: N_("P3 normal"),
    Priority.P4: N_("P4 low"),
}
ACTION_LABELS: dict[WorkAction, str] = {
    WorkAction.REPAIR: N_("repair"),
    WorkAction.REPLACE_PART: N_("replace part"),
    WorkAction.SWAP_TERMINAL: N_("swap terminal"),
    WorkAction.SOFTWARE_UPDATE: N_("software update"),
    WorkAction.CONFIGURATION: N_("configuration"),
    WorkAction.NO_FAULT_FOUND: N_("no fault found"),
}
# The built-in fault list; supervisors add their own entries with a name instead of a code.
FAULT_LABELS: dict[str, str] = {
    "no_power": N_("no power"),
    "screen": N_("screen"),
    "keypad": N_("keypad / PIN pad"),
    "card_reader": N_("card reader / NFC"),
    "printer": N_("printer"),
    "network": N_("network / SIM"),
    "battery": N_("battery"),
    "software": N_("software / app"),
    "tamper": N_("security alarm / tamper"),
    "other": N_("other"),
}
SLA_LABELS: dict[SlaState, str] = {
    SlaState.ON_TIME: N_("on time"),
    SlaState.DUE_SOON: N_("due soon"),
    SlaState.LATE: N_("late"),
    SlaState.MET: N_("met"),
    SlaState.MISSED: N_("missed"),
    SlaState.STOPPED: N_("stopped"),
}
# The targets a new database starts with: (response, resolution) hours per priority.
DEFAULT_SLA: dict[Priority, tuple[int, int]] = {
    Priority.P1: (2, 8),
    Priority.P2: (4, 24),
    Priority.P3: (8, 48),
    Priority.P4: (24, 120),
}


def status_label(status: TicketStatus | str) -> str:
    return pgettext(*STATUS_LABELS[TicketStatus(status)])


def step_label(step: TicketStep | str) -> str:
    return _(STEP_LABELS[TicketStep(step)])


def channel_label(channel: Channel | str) -> str:
    return _(CHANNEL_LABELS[Channel(channel)])


def priority_label(priority: Priority | str) -> str:
    return _(PRIORITY_LABELS[Priority(priority)])


def action_label(action: WorkAction | str) -> str:
    return _(ACTION_LABELS[WorkAction(action)])


def fault_label(code: str, name: str) -> str:
    return _(FAULT_LABELS[code]) if code in FAULT_LABELS else name


def sla_label(state: SlaState | str) -> str:
    return _(SLA_LABELS[SlaState(state)])


# --- the workflow ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketFacts:
    """What the workflow needs to know about a ticket to judge a step."""

    status: TicketStatus
    assignee_is_set: bool = False
    diagnosis: str = ""
    resolution: str = ""
    customer_confirmed_by: str = ""
    closed_at: datetime | None = None
    reason: str = ""
    # Assigned to a person other than the one taking the step.
    assigned_to_other: bool = False


def role_may(role: Role, step: TicketStep) -> bool:
    return role in STEPS[step].roles


def may_work_on(role: Role, assigned_to_other: bool) -> bool:
    """Whether `role` may record the work of a ticket (or take a work step) held by whoever it is."""
    return not assigned_to_other or allowed(role, Action.TICKETS_WORK_OTHERS)


def others_work_problem() -> str:
    return _("Only the assigned technician or a supervisor may work on this ticket.")


def step_problem(facts: TicketFacts, step: TicketStep, role: Role, now: datetime) -> str | None:
    """Why `role` may not take `step` on this ticket now, in one sentence; None when it may."""
    rule = STEPS[step]
    if facts.status not in rule.sources:
        return _("A ticket that is {status} cannot go to “{step}”.").format(
            status=status_label(facts.status), step=step_label(step)
        )
    if role not in rule.roles:
        return _("Your role may not take the step “{step}”.").format(step=step_label(step))
    if step in WORK_STEPS and not may_work_on(role, facts.assigned_to_other):
        return others_work_problem()
    if step == TicketStep.ASSIGN and not facts.assignee_is_set:
        return _("Choose the technician first.")
    if step == TicketStep.RESOLVE and not (facts.diagnosis.strip() and facts.resolution.strip()):
        return _("Record the diagnosis and the resolution first.")
    if step == TicketStep.CLOSE and not facts.customer_confirmed_by.strip():
        return _("Record who confirmed the repair for the customer first.")
    if step in (TicketStep.CANCEL, TicketStep.REOPEN) and not facts.reason.strip():
        return _("Please give the reason.")
    if step == TicketStep.REOPEN and facts.status == TicketStatus.CLOSED:
        if facts.closed_at is None or now - facts.closed_at > timedelta(days=REOPEN_DAYS):
            return _("A ticket can be reopened within {days} days of closing; open a new ticket.").format(
                days=REOPEN_DAYS
            )
    return None


def allowed_steps(
    status: TicketStatus,
    role: Role,
    closed_at: datetime | None,
    now: datetime,
    *,
    assigned_to_other: bool = False,
) -> list[TicketStep]:
    """The steps to offer as buttons: allowed from this state, for this role, on this person's
    ticket or another's, within time limits.

    What must be filled in is asked for when the step is taken, not here.
    """
    steps = []
    for step, rule in STEPS.items():
        if status not in rule.sources or role not in rule.roles:
            continue
        if step in WORK_STEPS and not may_work_on(role, assigned_to_other):
            continue
        if step == TicketStep.REOPEN and status == TicketStatus.CLOSED and (
            closed_at is None or now - closed_at > timedelta(days=REOPEN_DAYS)
        ):
            continue
        steps.append(step)
    return steps


# --- charges --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Charges:
    parts_fen: int
    labour_fen: int
    onsite_fen: int
    total_fen: int


def charges(
    parts: Sequence[TicketPartLine],
    labour_fee_fen: int,
    onsite_fee_fen: int,
    free_items: Iterable[CostItem],
) -> Charges:
    """What the customer pays: lines marked covered and the free items cost nothing."""
    free = set(free_items)
    parts_fen = sum(
        p.amount_fen
        for p in parts
        if not p.covered and CostItem.PARTS not in free
    )
    labour = 0 if CostItem.LABOUR in free else labour_fee_fen
    onsite = 0 if CostItem.ONSITE in free else onsite_fee_fen
    return Charges(parts_fen, labour, onsite, parts_fen + labour + onsite)


# --- the SLA clock --------------------------------------------------------------------------------


def paused_hours(
    pauses: Sequence[tuple[datetime, datetime | None]],
    now: datetime,
    calendar: WorkingCalendar,
    working_only: bool,
) -> float:
    return sum(
        calendar.hours_between(start, end or now, working_only=working_only) for start, end in pauses
    )


def due_time(
    start: datetime,
    hours: float,
    calendar: WorkingCalendar,
    working_only: bool,
    paused: float = 0.0,
) -> datetime:
    """When a target of `hours` from `start` falls due, pushed back by `paused` counted hours."""
    return calendar.add_hours(start, hours + paused, working_only=working_only)


def sla_state(
    due: datetime,
    done_at: datetime | None,
    now: datetime,
    target_hours: float,
    calendar: WorkingCalendar,
    working_only: bool,
) -> tuple[SlaState, float]:
    """The state of one target and the counted hours left (negative: this late)."""
    if done_at is not None:
        state = SlaState.MET if done_at <= due else SlaState.MISSED
        return state, 0.0
    if now > due:
        return SlaState.LATE, -calendar.hours_between(due, now, working_only=working_only)
    left = calendar.hours_between(now, due, working_only=working_only)
    if target_hours > 0 and left < target_hours * DUE_SOON_SHARE:
        return SlaState.DUE_SOON, left
    return SlaState.ON_TIME, left


def hours_text(hours: float) -> str:
    """"3 h 20 min left" / "1 h 5 min late" for the ticket list and page."""
    minutes = round(abs(hours) * 60)
    h, m = divmod(minutes, 60)
    amount = _("{h} h {m} min").format(h=h, m=m) if h else _("{m} min").format(m=m)
    return (_("{amount} left") if hours >= 0 else _("{amount} late")).format(amount=amount)
