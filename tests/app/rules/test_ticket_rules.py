"""The ticket workflow over every state, step and role; charges; the SLA clock on the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.models.ticket import SlaState, TicketPartLine, TicketStatus, TicketStep
from app.models.user import Role
from app.models.warranty import CostItem
from app.rules import tickets as rule
from app.rules.workcal import CHINA_TZ, WorkingCalendar

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)

# The expected table, written out by hand: (step, from) -> target, and who may take it.
EXPECTED: dict[TicketStep, tuple[set[TicketStatus], TicketStatus, set[Role]]] = {
    TicketStep.ASSIGN: (
        {TicketStatus.NEW, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_PARTS},
        TicketStatus.ASSIGNED,
        {Role.ADMIN, Role.SUPERVISOR, Role.CLERK},
    ),
    TicketStep.START: ({TicketStatus.ASSIGNED}, TicketStatus.IN_PROGRESS, {Role.ADMIN, Role.SUPERVISOR, Role.TECHNICIAN}),
    TicketStep.WAIT_FOR_PARTS: (
        {TicketStatus.IN_PROGRESS},
        TicketStatus.WAITING_PARTS,
        {Role.ADMIN, Role.SUPERVISOR, Role.TECHNICIAN},
    ),
    TicketStep.PARTS_ARRIVED: ({TicketStatus.WAITING_PARTS}, TicketStatus.IN_PROGRESS, set(Role)),
    TicketStep.RESOLVE: ({TicketStatus.IN_PROGRESS}, TicketStatus.RESOLVED, {Role.ADMIN, Role.SUPERVISOR, Role.TECHNICIAN}),
    TicketStep.CLOSE: ({TicketStatus.RESOLVED}, TicketStatus.CLOSED, {Role.ADMIN, Role.SUPERVISOR, Role.CLERK}),
    TicketStep.CANCEL: (
        {TicketStatus.NEW, TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_PARTS},
        TicketStatus.CANCELLED,
        {Role.ADMIN, Role.SUPERVISOR, Role.CLERK},
    ),
    TicketStep.REOPEN: (
        {TicketStatus.CLOSED, TicketStatus.RESOLVED},
        TicketStatus.IN_PROGRESS,
        {Role.ADMIN, Role.SUPERVISOR, Role.CLERK},
    ),
}


def complete_facts(status: TicketStatus) -> rule.TicketFacts:
    """A ticket with everything filled in, closed an hour ago."""
    return rule.TicketFacts(
        status=status,
        assignee_is_set=True,
        diagnosis="主板故障",
        resolution="更换主板",
        customer_confirmed_by="张三",
        closed_at=NOW - timedelta(hours=1),
        reason="客户要求",
    )


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("status", list(TicketStatus))
@pytest.mark.parametrize("step", list(TicketStep))
def test_every_step_from_every_state_for_every_role(step: TicketStep, status: TicketStatus, role: Role) -> None:
    sources, target, roles = EXPECTED[step]
    problem = rule.step_problem(complete_facts(status), step, role, NOW)
    allowed = status in sources and role in roles
    assert (problem is None) == allowed, problem
    assert (step in rule.allowed_steps(status, role, NOW - timedelta(hours=1), NOW)) == allowed
    if allowed:
        assert rule.STEPS[step].target == target


# On a ticket assigned to someone else: the steps each role may take from each state, by hand.
# The repair itself (start, wait for parts, resolve) is the assignee's or a supervisor's.
ON_ANOTHERS_TICKET: dict[Role, dict[TicketStatus, set[TicketStep]]] = {
    Role.ADMIN: {
        TicketStatus.ASSIGNED: {TicketStep.ASSIGN, TicketStep.START, TicketStep.CANCEL},
        TicketStatus.IN_PROGRESS: {TicketStep.ASSIGN, TicketStep.WAIT_FOR_PARTS, TicketStep.RESOLVE, TicketStep.CANCEL},
        TicketStatus.WAITING_PARTS: {TicketStep.ASSIGN, TicketStep.PARTS_ARRIVED, TicketStep.CANCEL},
    },
    Role.SUPERVISOR: {
        TicketStatus.ASSIGNED: {TicketStep.ASSIGN, TicketStep.START, TicketStep.CANCEL},
        TicketStatus.IN_PROGRESS: {TicketStep.ASSIGN, TicketStep.WAIT_FOR_PARTS, TicketStep.RESOLVE, TicketStep.CANCEL},
        TicketStatus.WAITING_PARTS: {TicketStep.ASSIGN, TicketStep.PARTS_ARRIVED, TicketStep.CANCEL},
    },
    Role.CLERK: {
        TicketStatus.ASSIGNED: {TicketStep.ASSIGN, TicketStep.CANCEL},
        TicketStatus.IN_PROGRESS: {TicketStep.ASSIGN, TicketStep.CANCEL},
        TicketStatus.WAITING_PARTS: {TicketStep.ASSIGN, TicketStep.PARTS_ARRIVED, TicketStep.CANCEL},
    },
    Role.TECHNICIAN: {
        TicketStatus.ASSIGNED: set(),
        TicketStatus.IN_PROGRESS: set(),
        TicketStatus.WAITING_PARTS: {TicketStep.PARTS_ARRIVED},
    },
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("status", [TicketStatus.ASSIGNED, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_PARTS])
def test_who_works_on_a_ticket_assigned_to_someone_else(status: TicketStatus, role: Role) -> None:
    facts = rule.TicketFacts(**{**complete_facts(status).__dict__, "assigned_to_other": True})
    expected = ON_ANOTHERS_TICKET[role][status]
    offered = rule.allowed_steps(status, role, None, NOW, assigned_to_other=True)
    assert set(offered) == expected
    for step in TicketStep:
        problem = rule.step_problem(facts, step, role, NOW)
        assert (problem is None) == (step in expected), (step, problem)
        if step in rule.WORK_STEPS and status in rule.STEPS[step].sources and role in rule.STEPS[step].roles:
            assert (problem is None) == (role in (Role.ADMIN, Role.SUPERVISOR))
            if problem is not None:
                assert problem == "Only the assigned technician or a supervisor may work on this ticket."


@pytest.mark.parametrize(
    ("step", "facts", "words"),
    [
        (TicketStep.ASSIGN, rule.TicketFacts(TicketStatus.NEW), "technician"),
        (TicketStep.RESOLVE, rule.TicketFacts(TicketStatus.IN_PROGRESS, diagnosis="x"), "diagnosis and the resolution"),
        (TicketStep.CLOSE, rule.TicketFacts(TicketStatus.RESOLVED), "confirmed"),
        (TicketStep.CANCEL, rule.TicketFacts(TicketStatus.NEW), "reason"),
        (TicketStep.REOPEN, rule.TicketFacts(TicketStatus.CLOSED, closed_at=NOW), "reason"),
    ],
)
def test_what_must_be_filled_in_first(step: TicketStep, facts: rule.TicketFacts, words: str) -> None:
    problem = rule.step_problem(facts, step, Role.ADMIN, NOW)
    assert problem is not None and words in problem


def test_reopen_only_within_thirty_days_of_closing() -> None:
    facts = complete_facts(TicketStatus.CLOSED)
    day_30 = rule.TicketFacts(**{**facts.__dict__, "closed_at": NOW - timedelta(days=30)})
    day_31 = rule.TicketFacts(**{**facts.__dict__, "closed_at": NOW - timedelta(days=30, seconds=1)})
    assert rule.step_problem(day_30, TicketStep.REOPEN, Role.CLERK, NOW) is None
    assert "within 30 days" in (rule.step_problem(day_31, TicketStep.REOPEN, Role.CLERK, NOW) or "")
    assert TicketStep.REOPEN not in rule.allowed_steps(TicketStatus.CLOSED, Role.CLERK, day_31.closed_at, NOW)


def test_charges_follow_coverage_and_covered_lines() -> None:
    parts = [
        TicketPartLine(part_name="电源板", quantity=2, unit_price_fen=4000),
        TicketPartLine(part_name="纸卷", quantity=1, unit_price_fen=500, covered=True),
    ]
    assert rule.charges(parts, 5000, 3000, []).total_fen == 8000 + 5000 + 3000
    free_parts = rule.charges(parts, 5000, 3000, [CostItem.PARTS])
    assert (free_parts.parts_fen, free_parts.total_fen) == (0, 8000)
    everything = rule.charges(parts, 5000, 3000, list(CostItem))
    assert everything.total_fen == 0


# --- the SLA clock --------------------------------------------------------------------------------


def china(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHINA_TZ)  # type: ignore[misc]


CAL = WorkingCalendar()


def test_due_time_skips_the_weekend_and_the_lunch_break() -> None:
    friday_4pm = china(2026, 11, 20, 16, 0)
    assert rule.due_time(friday_4pm, 4, CAL, True) == china(2026, 11, 23, 11, 0).astimezone(UTC)
    assert rule.due_time(friday_4pm, 4, CAL, False) == china(2026, 11, 20, 20, 0).astimezone(UTC)


def test_due_time_skips_national_day_and_counts_the_make_up_saturday() -> None:
    # 2025: 1-8 October off, Saturday 11 October is a working day (调休).
    sept_30_5pm = china(2025, 9, 30, 17, 0)
    assert rule.due_time(sept_30_5pm, 2, CAL, True) == china(2025, 10, 9, 10, 0).astimezone(UTC)
    thursday_10 = china(2025, 10, 10, 17, 0)  # Friday 10 October, 17:00
    assert rule.due_time(thursday_10, 3, CAL, True) == china(2025, 10, 11, 11, 0).astimezone(UTC)


def test_due_time_into_a_year_the_calendar_does_not_know() -> None:
    dec_31 = china(2026, 12, 31, 17, 0)
    # One hour on 31 December, seven on New Year's Day: a weekday to a calendar without 2027.
    assert rule.due_time(dec_31, 8, CAL, True) == china(2027, 1, 1, 17, 0).astimezone(UTC)
    assert CAL.unknown_years(dec_31, china(2027, 1, 1, 17, 0)) == [2027]
    # The supervisor marks 1 January as a holiday: the weekend follows, so Monday 4 January.
    local = WorkingCalendar(exceptions={date(2027, 1, 1): False})
    assert rule.due_time(dec_31, 8, local, True) == china(2027, 1, 4, 17, 0).astimezone(UTC)


def test_a_pause_pushes_the_due_time_back_by_the_paused_working_hours() -> None:
    start = china(2026, 11, 23, 9, 0)  # Monday
    pauses = [(china(2026, 11, 23, 10, 0), china(2026, 11, 24, 10, 0))]  # 8 working hours paused
    paused = rule.paused_hours(pauses, china(2026, 11, 25, 9, 0), CAL, True)
    assert paused == pytest.approx(8.0)
    assert rule.due_time(start, 8, CAL, True, paused) == china(2026, 11, 24, 18, 0).astimezone(UTC)


def test_sla_states() -> None:
    due = china(2026, 11, 23, 17, 0)
    assert rule.sla_state(due, None, china(2026, 11, 23, 9, 0), 8, CAL, True) == (SlaState.ON_TIME, 7.0)
    state, left = rule.sla_state(due, None, china(2026, 11, 23, 16, 0), 8, CAL, True)
    assert state == SlaState.DUE_SOON and left == pytest.approx(1.0)
    state, left = rule.sla_state(due, None, china(2026, 11, 24, 10, 0), 8, CAL, True)
    assert state == SlaState.LATE and left == pytest.approx(-2.0)
    assert rule.sla_state(due, due, due, 8, CAL, True)[0] == SlaState.MET
    assert rule.sla_state(due, due + timedelta(minutes=1), due, 8, CAL, True)[0] == SlaState.MISSED
    assert rule.hours_text(-2.0) == "2 h 0 min late" and rule.hours_text(0.5) == "30 min left"
