"""Repair tickets through the services: intake, workflow by role, SLA, work, swaps, follow-up calls."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.context import Context
from app.errors import Conflict, InvalidTransition, PermissionDenied, ValidationError
from app.models.terminal import TerminalCreate, TerminalStatus
from app.models.ticket import (
    ActivityKind,
    Channel,
    FollowUpCallCreate,
    Priority,
    SlaState,
    TicketFilter,
    TicketIntake,
    TicketPartLine,
    TicketSettings,
    TicketStatus,
    TicketStep,
    TicketWork,
    WorkAction,
)
from app.models.user import Role
from app.models.warranty import CostItem, CoverageKind, ExclusionCause
from app.services import terminals, tickets
from tests.app.services.test_warranty import Shop
from tests.conftest import FixedClock, make_user

# FixedClock starts on Friday 2026-11-20 10:00 in China.


class Desk:
    """A shop with a terminal in warranty, a clerk and two technicians."""

    def __init__(self, admin: Context) -> None:
        self.admin = admin
        self.shop = Shop(admin, purchase=date(2026, 6, 1))
        self.clerk = admin.as_user(make_user(admin, "clerk", Role.CLERK, "刘洋"))
        self.tech = admin.as_user(make_user(admin, "tech", Role.TECHNICIAN, "陈伟"))
        self.tech2 = admin.as_user(make_user(admin, "tech2", Role.TECHNICIAN, "赵磊"))
        self.fault = tickets.list_fault_categories(admin)[0]

    def open(self, priority: Priority = Priority.P3, **kw: object) -> tickets.TicketRead:
        fields: dict[str, object] = {
            "terminal_id": self.shop.terminal.id,
            "channel": Channel.PHONE,
            "fault_category_id": self.fault.id,
            "description": "开机无反应",
            "priority": priority,
            "contact_name": "张先生",
            "contact_phone": "138 0013 8000",
        } | kw
        return tickets.open_ticket(self.clerk, TicketIntake(**fields))  # type: ignore[arg-type]

    def step(self, ctx: Context, ticket: tickets.TicketRead, step: TicketStep, **kw: object) -> tickets.TicketRead:
        return tickets.take_step(ctx, ticket.id, step, expected_version=ticket.version, **kw)  # type: ignore[arg-type]

    def to_resolved(self, ticket: tickets.TicketRead) -> tickets.TicketRead:
        ticket = self.step(self.clerk, ticket, TicketStep.ASSIGN, assignee_id=self.tech.user.id)  # type: ignore[union-attr]
        ticket = self.step(self.tech, ticket, TicketStep.START)
        ticket = tickets.update_work(
            self.tech,
            ticket.id,
            TicketWork(diagnosis="电源板损坏", resolution="更换电源板", expected_version=ticket.version),
        )
        return self.step(self.tech, ticket, TicketStep.RESOLVE)


@pytest.fixture
def desk(admin_ctx: Context) -> Desk:
    return Desk(admin_ctx)


@pytest.fixture
def any_desk(any_admin_ctx: Context) -> Desk:
    """The same desk on SQLite and on the throwaway PostgreSQL server."""
    return Desk(any_admin_ctx)


def test_intake_fills_the_merchant_numbers_and_decides_coverage(desk: Desk) -> None:
    first = desk.open()
    second = desk.open()
    assert first.ticket_no == "WX-SZ01-20261120-001" and second.ticket_no == "WX-SZ01-20261120-002"
    assert first.merchant_id == desk.shop.merchant_id and first.merchant_name == "张记便利店"
    assert first.serial_no == "NL0000000001" and first.contact_phone == "13800138000"
    assert first.coverage_kind == CoverageKind.WARRANTY and first.coverage_until == date(2027, 5, 31)
    assert first.free_items == [CostItem.PARTS, CostItem.LABOUR]
    assert first.status == TicketStatus.NEW and first.sla_state == SlaState.ON_TIME
    # P3 defaults: 8 working hours to respond from Friday 10:00 (7 on Friday) -> Monday 10:00.
    assert first.response_due == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    events = terminals.terminal_timeline(desk.admin, desk.shop.terminal.id)
    assert "WX-SZ01-20261120-001" in events[1].summary or "WX-SZ01-20261120-001" in events[0].summary


def test_intake_errors_name_the_fields(desk: Desk) -> None:
    with pytest.raises(ValidationError) as err:
        tickets.open_ticket(desk.clerk, TicketIntake(description=" ", contact_phone="12345"))
    assert set(err.value.fields) == {"terminal_id", "fault_category_id", "description", "contact_phone"}
    loose = terminals.create_terminal(desk.admin, TerminalCreate(serial_no="NL9", model_id=desk.shop.model_id))
    with pytest.raises(ValidationError, match="not bound to a merchant"):
        desk.open(terminal_id=loose.id)


def test_an_exclusion_at_intake_makes_it_chargeable(desk: Desk) -> None:
    wet = desk.open(exclusion=ExclusionCause.LIQUID_DAMAGE)
    assert wet.coverage_kind == CoverageKind.NONE and wet.free_items == []
    assert "liquid damage" in wet.coverage_reason


def test_contract_targets_win_over_the_priority_table(desk: Desk) -> None:
    desk.shop.active_contract(date(2026, 1, 1), date(2026, 12, 31), response_hours=2, resolution_hours=6, working_hours_only=False)
    ticket = desk.open(Priority.P4)
    assert (ticket.response_hours, ticket.resolution_hours, ticket.working_hours_only) == (2, 6, False)
    assert ticket.resolution_due == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert ticket.contract_no.startswith("HT-")


def test_supervisor_edits_the_priority_table(desk: Desk) -> None:
    tickets.save_sla_default(desk.admin, Priority.P3, 1, 2, False)
    ticket = desk.open(Priority.P3)
    assert ticket.response_due == datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    with pytest.raises(ValidationError):
        tickets.save_sla_default(desk.admin, Priority.P3, 5, 2, False)
    with pytest.raises(PermissionDenied):
        tickets.save_sla_default(desk.clerk, Priority.P3, 1, 2, False)


def test_the_whole_way_with_who_may_do_what(any_desk: Desk, clock: FixedClock) -> None:
    ticket = any_desk.open()
    with pytest.raises(PermissionDenied):
        any_desk.step(any_desk.tech, ticket, TicketStep.ASSIGN, assignee_id=any_desk.tech.user.id)  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="technician"):
        any_desk.step(any_desk.clerk, ticket, TicketStep.ASSIGN)
    with pytest.raises(ValidationError, match="not a technician"):
        any_desk.step(any_desk.clerk, ticket, TicketStep.ASSIGN, assignee_id=any_desk.clerk.user.id)  # type: ignore[union-attr]
    ticket = any_desk.step(any_desk.clerk, ticket, TicketStep.ASSIGN, assignee_id=any_desk.tech.user.id)  # type: ignore[union-attr]
    assert ticket.assignee_name == "陈伟"
    assert tickets.allowed_ticket_steps(any_desk.tech, ticket.id) == [TicketStep.START]
    with pytest.raises(PermissionDenied, match="assigned technician"):
        any_desk.step(any_desk.tech2, ticket, TicketStep.START)
    clock.advance(hours=1)
    ticket = any_desk.step(any_desk.tech, ticket, TicketStep.START)
    assert ticket.responded_at == clock.current and ticket.status == TicketStatus.IN_PROGRESS
    with pytest.raises(ValidationError, match="diagnosis"):
        any_desk.step(any_desk.tech, ticket, TicketStep.RESOLVE)
    with pytest.raises(PermissionDenied):
        any_desk.step(any_desk.clerk, ticket, TicketStep.RESOLVE)
    ticket = tickets.update_work(
        any_desk.tech,
        ticket.id,
        TicketWork(
            diagnosis="电源板损坏",
            resolution="更换电源板",
            actions=[WorkAction.REPLACE_PART],
            parts=[TicketPartLine(part_name="电源板", quantity=1, unit_price_fen=8000)],
            labour_fee_fen=5000,
            onsite_fee_fen=3000,
            expected_version=ticket.version,
        ),
    )
    assert ticket.total_charge_fen == 3000  # parts and labour free in warranty
    ticket = any_desk.step(any_desk.tech, ticket, TicketStep.RESOLVE)
    with pytest.raises(ValidationError, match="confirmed"):
        any_desk.step(any_desk.clerk, ticket, TicketStep.CLOSE)
    ticket = any_desk.step(any_desk.clerk, ticket, TicketStep.CLOSE, confirmed_by="张先生")
    assert ticket.status == TicketStatus.CLOSED and ticket.sla_state == SlaState.MET
    assert ticket.follow_up_due == date(2026, 11, 23)
    with pytest.raises(InvalidTransition):
        any_desk.step(any_desk.clerk, ticket, TicketStep.CANCEL, reason="x")
    kinds = [a.kind for a in tickets.ticket_activity(any_desk.admin, ticket.id)]
    assert kinds.count(ActivityKind.STATUS) == 4 and ActivityKind.ASSIGNMENT in kinds
    assert kinds[-1] == ActivityKind.CREATED


def test_the_work_of_a_ticket_held_by_another_is_theirs_or_a_supervisors(desk: Desk) -> None:
    boss = desk.admin.as_user(make_user(desk.admin, "boss", Role.SUPERVISOR, "孙强"))
    ticket = desk.open()
    # Nobody holds it yet: whoever may record work does (the clerk notes what the customer saw).
    ticket = tickets.update_work(desk.clerk, ticket.id, TicketWork(diagnosis="屏幕不亮", expected_version=ticket.version))
    ticket = desk.step(desk.clerk, ticket, TicketStep.ASSIGN, assignee_id=desk.tech.user.id)  # type: ignore[union-attr]
    ticket = desk.step(desk.tech, ticket, TicketStep.START)
    others_work = "^Only the assigned technician or a supervisor may work on this ticket.$"
    for ctx in (desk.tech2, desk.clerk):
        with pytest.raises(PermissionDenied, match=others_work):
            tickets.update_work(ctx, ticket.id, TicketWork(resolution="换屏", expected_version=ticket.version))
        with pytest.raises(PermissionDenied, match=others_work):
            tickets.record_software_update(ctx, ticket.id, "V3.6.1", expected_version=ticket.version)
        with pytest.raises(PermissionDenied, match=others_work):
            tickets.record_swap(ctx, ticket.id, "NL0000000098", expected_version=ticket.version)
    with pytest.raises(PermissionDenied, match=others_work):
        desk.step(desk.tech2, ticket, TicketStep.WAIT_FOR_PARTS)
    assert tickets.allowed_ticket_steps(desk.tech2, ticket.id) == []
    assert tickets.allowed_ticket_steps(desk.tech, ticket.id) == [TicketStep.WAIT_FOR_PARTS, TicketStep.RESOLVE]
    assert tickets.allowed_ticket_steps(boss, ticket.id) == [
        TicketStep.ASSIGN, TicketStep.WAIT_FOR_PARTS, TicketStep.RESOLVE, TicketStep.CANCEL
    ]
    # The supervisor finishes the absent technician's job.
    ticket = tickets.update_work(boss, ticket.id, TicketWork(resolution="更换屏幕", expected_version=ticket.version))
    with pytest.raises(PermissionDenied, match=others_work):
        desk.step(desk.tech2, ticket, TicketStep.RESOLVE)
    ticket = desk.step(boss, ticket, TicketStep.RESOLVE)
    assert ticket.status == TicketStatus.RESOLVED and ticket.resolution == "更换屏幕"


def test_a_stale_step_is_a_conflict(desk: Desk) -> None:
    ticket = desk.open()
    desk.step(desk.clerk, ticket, TicketStep.CANCEL, reason="重复报修")
    with pytest.raises(Conflict):
        desk.step(desk.clerk, ticket, TicketStep.CANCEL, reason="重复报修")


def test_reopen_within_thirty_days_only(desk: Desk, clock: FixedClock) -> None:
    ticket = desk.to_resolved(desk.open())
    ticket = desk.step(desk.clerk, ticket, TicketStep.CLOSE, confirmed_by="张先生")
    clock.advance(days=31)
    assert TicketStep.REOPEN not in tickets.allowed_ticket_steps(desk.clerk, ticket.id)
    with pytest.raises(InvalidTransition, match="within 30 days"):
        desk.step(desk.clerk, ticket, TicketStep.REOPEN, reason="又坏了")
    clock.advance(days=-2)
    ticket = desk.step(desk.clerk, ticket, TicketStep.REOPEN, reason="又坏了")
    assert ticket.status == TicketStatus.IN_PROGRESS and ticket.reopen_count == 1 and ticket.closed_at is None


def test_waiting_for_parts_pauses_the_clock_only_when_set(any_desk: Desk, clock: FixedClock) -> None:
    tickets.save_ticket_settings(any_desk.admin, TicketSettings(pause_while_waiting_for_parts=True, follow_up_days=3))
    ticket = any_desk.open()  # resolution due: 48 working hours from Friday 10:00
    due = ticket.resolution_due
    ticket = any_desk.step(any_desk.clerk, ticket, TicketStep.ASSIGN, assignee_id=any_desk.tech.user.id)  # type: ignore[union-attr]
    ticket = any_desk.step(any_desk.tech, ticket, TicketStep.START)
    ticket = any_desk.step(any_desk.tech, ticket, TicketStep.WAIT_FOR_PARTS)
    assert ticket.paused
    clock.advance(days=3)  # Monday 10:00: Friday 10-18 and Monday 9-10 = 8 working hours paused
    ticket = tickets.get_ticket(any_desk.admin, ticket.id)
    assert ticket.sla_due is not None and ticket.sla_due > due
    ticket = any_desk.step(any_desk.tech, ticket, TicketStep.PARTS_ARRIVED)
    assert not ticket.paused
    assert (ticket.resolution_due - due).total_seconds() > 0
    # Due Monday 30 November 10:00 before the pause; 8 working hours later: Tuesday 10:00.
    assert due == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    assert ticket.resolution_due == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def test_without_the_setting_waiting_does_not_pause(desk: Desk, clock: FixedClock) -> None:
    ticket = desk.open()
    due = ticket.resolution_due
    ticket = desk.step(desk.clerk, ticket, TicketStep.ASSIGN, assignee_id=desk.tech.user.id)  # type: ignore[union-attr]
    ticket = desk.step(desk.tech, ticket, TicketStep.START)
    ticket = desk.step(desk.tech, ticket, TicketStep.WAIT_FOR_PARTS)
    clock.advance(days=3)
    ticket = desk.step(desk.tech, ticket, TicketStep.PARTS_ARRIVED)
    assert ticket.resolution_due == due


def test_an_exclusion_recorded_on_the_work_makes_the_repair_chargeable(desk: Desk) -> None:
    ticket = desk.open()
    ticket = tickets.update_work(
        desk.tech,
        ticket.id,
        TicketWork(
            parts=[TicketPartLine(part_name="主板", quantity=1, unit_price_fen=20000)],
            labour_fee_fen=5000,
            exclusion=ExclusionCause.LIQUID_DAMAGE,
            expected_version=ticket.version,
        ),
    )
    assert ticket.coverage_kind == CoverageKind.NONE and ticket.total_charge_fen == 25000
    assert "liquid damage" in ticket.coverage_reason
    ticket = tickets.update_work(desk.tech, ticket.id, TicketWork(clear_exclusion=True, expected_version=ticket.version))
    assert ticket.coverage_kind == CoverageKind.WARRANTY and ticket.total_charge_fen == 0
    with pytest.raises(ValidationError, match="Line 1"):
        tickets.update_work(
            desk.tech, ticket.id, TicketWork(parts=[TicketPartLine(part_name=" ")], expected_version=ticket.version)
        )


def test_swap_and_software_update_reach_the_terminals(desk: Desk) -> None:
    spare = terminals.create_terminal(
        desk.admin, TerminalCreate(serial_no="NL0000000099", model_id=desk.shop.model_id, purchase_date=date(2026, 11, 1))
    )
    ticket = desk.open()
    ticket = tickets.record_software_update(desk.tech, ticket.id, "V3.6.0", expected_version=ticket.version)
    assert terminals.get_terminal(desk.admin, desk.shop.terminal.id).firmware_version == "V3.6.0"
    ticket = tickets.record_swap(desk.tech, ticket.id, "nl0000000099", expected_version=ticket.version)
    assert ticket.replacement_serial_no == "NL0000000099"
    assert ticket.actions == [WorkAction.SOFTWARE_UPDATE, WorkAction.SWAP_TERMINAL]
    old = terminals.get_terminal(desk.admin, desk.shop.terminal.id)
    new = terminals.get_terminal(desk.admin, spare.id)
    assert old.status == TerminalStatus.IN_REPAIR and old.replaced_by_serial_no == "NL0000000099"
    assert new.merchant_id == desk.shop.merchant_id and new.replaces_serial_no == "NL0000000001"


def test_lists_mine_unassigned_overdue_and_bulk_assign(any_desk: Desk, clock: FixedClock) -> None:
    a, b, c = any_desk.open(Priority.P1), any_desk.open(), any_desk.open()
    assert tickets.list_tickets(any_desk.admin, TicketFilter(unassigned=True)).total == 3
    assert tickets.assign_tickets(any_desk.clerk, [a.id, b.id], any_desk.tech.user.id) == 2  # type: ignore[union-attr]
    mine = tickets.list_tickets(any_desk.tech, TicketFilter(assignee_id=any_desk.tech.user.id))  # type: ignore[union-attr]
    assert {t.id for t in mine.items} == {a.id, b.id}
    assert [t.id for t in tickets.list_tickets(any_desk.admin, TicketFilter(unassigned=True)).items] == [c.id]
    assert tickets.list_tickets(any_desk.admin, TicketFilter(overdue=True)).total == 0
    clock.advance(hours=8)  # Friday 18:00: the P1 ticket (2 h to respond) is late
    overdue = tickets.list_tickets(any_desk.admin, TicketFilter(overdue=True))
    assert [t.id for t in overdue.items] == [a.id]
    late = tickets.get_ticket(any_desk.admin, a.id)
    assert late.sla_state == SlaState.LATE and late.sla_hours_left is not None and late.sla_hours_left < 0
    by_number = tickets.list_tickets(any_desk.admin, TicketFilter(text="-002"))
    assert [t.id for t in by_number.items] == [b.id]
    by_sn = tickets.list_tickets(any_desk.admin, TicketFilter(text="nl00000000"))
    assert by_sn.total == 3


def test_follow_up_calls_and_an_unhappy_customer(any_desk: Desk, clock: FixedClock) -> None:
    ticket = any_desk.to_resolved(any_desk.open())
    with pytest.raises(InvalidTransition):
        tickets.record_follow_up(any_desk.clerk, ticket.id, FollowUpCallCreate(reached=False))
    ticket = any_desk.step(any_desk.clerk, ticket, TicketStep.CLOSE, confirmed_by="张先生")
    assert tickets.list_follow_ups_due(any_desk.clerk).total == 0
    clock.advance(days=3)
    assert [t.id for t in tickets.list_follow_ups_due(any_desk.clerk).items] == [ticket.id]
    tickets.record_follow_up(any_desk.clerk, ticket.id, FollowUpCallCreate(reached=False))
    assert tickets.list_follow_ups_due(any_desk.clerk).total == 1  # still due: nobody answered
    with pytest.raises(ValidationError) as err:
        tickets.record_follow_up(any_desk.clerk, ticket.id, FollowUpCallCreate(reached=True, satisfaction=6))
    assert set(err.value.fields) == {"satisfaction"}
    tickets.record_follow_up(
        any_desk.clerk, ticket.id, FollowUpCallCreate(reached=True, satisfaction=1, comments="还是打不出小票", reopen=True)
    )
    reopened = tickets.get_ticket(any_desk.admin, ticket.id)
    assert reopened.status == TicketStatus.IN_PROGRESS and reopened.reopen_count == 1
    calls = tickets.list_follow_up_calls(any_desk.admin, ticket.id)
    assert [(c.reached, c.satisfaction) for c in calls] == [(False, None), (True, 1)]
    with pytest.raises(PermissionDenied):
        tickets.record_follow_up(any_desk.tech, ticket.id, FollowUpCallCreate(reached=False))


def test_comments_and_fault_list(desk: Desk) -> None:
    ticket = desk.open()
    note = tickets.add_comment(desk.tech, ticket.id, "已电话联系商户")
    assert note.kind == ActivityKind.COMMENT and note.username == "陈伟"
    added = tickets.save_fault_category(desk.admin, "扫码盒故障")
    assert added.label == "扫码盒故障" and added.id in {f.id for f in tickets.list_fault_categories(desk.clerk)}
    tickets.save_fault_category(desk.admin, "", category_id=added.id, active=False)
    assert added.id not in {f.id for f in tickets.list_fault_categories(desk.clerk)}
    with pytest.raises(PermissionDenied):
        tickets.save_fault_category(desk.clerk, "x")


def test_attachments_get_generated_names_and_size_limits(desk: Desk, tmp_path: object) -> None:
    from pathlib import Path

    from app.models.ticket import AttachmentKind
    from app.services import attachments

    folder = Path(str(tmp_path))
    photo = folder / "..\\..\\evil 照片.JPG"
    photo.write_bytes(b"\xff\xd8\xff" + b"0" * 100)
    ticket = desk.open()
    added = attachments.add_attachment(desk.tech, ticket.id, photo, AttachmentKind.DAMAGE_PHOTO)
    stored = Path(added.path)
    assert stored.is_file() and stored.read_bytes() == photo.read_bytes()
    assert stored.is_relative_to(attachments.attachment_dir()) and "evil" not in stored.name
    assert added.is_image and added.original_name == photo.name and added.size_bytes == 103
    assert [a.id for a in attachments.list_attachments(desk.admin, ticket.id)] == [added.id]
    assert tickets.ticket_activity(desk.admin, ticket.id)[0].kind == ActivityKind.ATTACHMENT
    script = folder / "run.exe"
    script.write_bytes(b"MZ")
    with pytest.raises(ValidationError, match="photo"):
        attachments.add_attachment(desk.tech, ticket.id, script)
    big = folder / "big.pdf"
    with open(big, "wb") as fh:
        fh.truncate(attachments.MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="at most 15 MB"):
        attachments.add_attachment(desk.tech, ticket.id, big)
    with pytest.raises(ValidationError, match="Cannot read"):
        attachments.add_attachment(desk.tech, ticket.id, folder / "missing.png")


def test_the_global_search_finds_tickets_by_number(any_desk: Desk) -> None:
    from app.models.search import SearchKind
    from app.services import search

    first, second = any_desk.open(), any_desk.open()
    found = search.search(any_desk.tech, "wx-sz01-20261120")
    assert [h.record_id for h in found.tickets] == [second.id, first.id]
    assert found.tickets[0].subtitle.startswith("张记便利店") and not found.merchants
    scanned = search.exact_match(any_desk.tech, "WX-SZ01-20261120-001")  # the work order's QR code
    assert scanned is not None and scanned.kind == SearchKind.TICKET and scanned.record_id == first.id
    assert search.exact_match(any_desk.tech, "WX-SZ01-20261120-009") is None
    assert search.search(any_desk.tech, "张记").tickets == []


def test_the_job_phone_is_masked_except_for_desks_and_the_technician_on_the_job(desk: Desk) -> None:
    ticket = desk.open()
    assert tickets.get_ticket(desk.clerk, ticket.id).contact_phone == "13800138000"
    assert tickets.get_ticket(desk.tech, ticket.id).contact_phone == "138****8000"
    desk.step(desk.clerk, ticket, TicketStep.ASSIGN, assignee_id=desk.tech.user.id)  # type: ignore[union-attr]
    assert tickets.get_ticket(desk.tech, ticket.id).contact_phone == "13800138000"
    assert tickets.get_ticket(desk.tech2, ticket.id).contact_phone == "138****8000"


def test_the_list_sorts_by_the_due_time_running_now(desk: Desk, clock: FixedClock) -> None:
    slow = desk.open(Priority.P4)  # responds within 24 working hours
    fast = desk.open(Priority.P1)  # within 2
    slow = desk.step(desk.clerk, slow, TicketStep.ASSIGN, assignee_id=desk.tech.user.id)  # type: ignore[union-attr]
    desk.step(desk.tech, slow, TicketStep.START)  # now its 120-hour resolution target runs
    order = [t.id for t in tickets.list_tickets(desk.admin, TicketFilter()).items]
    assert order == [fast.id, slow.id]
    order = [t.id for t in tickets.list_tickets(desk.admin, TicketFilter(sort="due", descending=True)).items]
    assert order == [slow.id, fast.id]


def test_the_coverage_sentence_is_said_in_the_readers_language(desk: Desk) -> None:
    from app import i18n

    ticket = desk.open(exclusion=ExclusionCause.LIQUID_DAMAGE)  # decided by an English desk
    assert "liquid damage" in ticket.coverage_reason
    i18n.set_language("zh_CN")
    try:
        read = tickets.get_ticket(desk.admin, ticket.id)
    finally:
        i18n.set_language("en")
    assert "进液" in read.coverage_reason and "liquid" not in read.coverage_reason
    # The facts kept at intake, not today's: a contract made later changes nothing here.
    desk.shop.active_contract(date(2026, 1, 1), date(2026, 12, 31))
    assert tickets.get_ticket(desk.admin, ticket.id).coverage_reason == ticket.coverage_reason


def test_bulk_assign_costs_the_same_statements_for_two_tickets_or_ten(desk: Desk) -> None:
    def cost(count: int) -> int:
        ids = [desk.open().id for _ in range(count)]
        before = desk.admin.db.query_count
        assert tickets.assign_tickets(desk.clerk, ids, desk.tech.user.id) == count  # type: ignore[union-attr]
        return desk.admin.db.query_count - before

    # One read of the tickets and one flush: about one statement more per ticket (its update),
    # not a round of reads for each (7 and 15 statements here).
    two, ten = cost(2), cost(10)
    assert ten - two <= 10, (two, ten)
    statuses = [t.status for t in tickets.list_tickets(desk.admin, TicketFilter()).items]
    assert statuses == [TicketStatus.ASSIGNED] * 12
