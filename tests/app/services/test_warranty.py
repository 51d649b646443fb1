"""Warranty policies, service contracts, coverage, the lists, the calendar and contract numbers."""

from __future__ import annotations

import threading
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app.context import Context
from app.db import Database, sqlite_url
from app.errors import Conflict, InvalidTransition, PermissionDenied, ValidationError
from app.models.catalogue import DeviceModelCreate, DeviceModelUpdate
from app.models.merchant import MerchantCreate
from app.models.terminal import TerminalCreate, TerminalType, TerminalUpdate
from app.models.user import Role
from app.models.warranty import (
    ContractFilter,
    ContractStatus,
    CostItem,
    CoverageKind,
    ExclusionCause,
    ServiceContractCreate,
    ServiceContractUpdate,
    WarrantyPolicyCreate,
    WarrantyPolicyUpdate,
    WarrantyStart,
)
from app.services import catalogue, demo, merchants, terminals, warranty
from tests.conftest import FixedClock, make_admin, make_user

TODAY = date(2026, 11, 20)  # the FixedClock's day in China


class Shop:
    """A policy, a model under it, a merchant and one bound terminal bought on `purchase`."""

    def __init__(self, ctx: Context, purchase: date | None = date(2026, 1, 10), months: int = 12) -> None:
        self.ctx = ctx
        self.policy = warranty.create_warranty_policy(
            ctx,
            WarrantyPolicyCreate(
                name="标准保修", months=months, exclusions=[ExclusionCause.LIQUID_DAMAGE], document_text="人为损坏不保"
            ),
        )
        self.model_id = catalogue.create_device_model(
            ctx,
            DeviceModelCreate(
                brand="新大陆", model="N910", terminal_type=TerminalType.SMART, warranty_policy_id=self.policy.id
            ),
        ).id
        self.merchant_id = merchants.create_merchant(
            ctx, MerchantCreate(merchant_no="822584053990001", legal_name="深圳市南山区张记便利店", shop_name="张记便利店")
        ).id
        self.terminal = self.add_terminal("NL0000000001", "10000001", purchase)

    def add_terminal(self, sn: str, no: str, purchase: date | None, bind: bool = True) -> terminals.TerminalRead:
        t = terminals.create_terminal(
            self.ctx, TerminalCreate(serial_no=sn, terminal_no=no, model_id=self.model_id, purchase_date=purchase)
        )
        if bind:
            t = terminals.bind_terminal(self.ctx, t.id, self.merchant_id, expected_version=t.version)
        return t

    def contract(self, start: date, end: date, **kw: object) -> warranty.ServiceContractRead:
        fields: dict[str, object] = {
            "merchant_id": self.merchant_id,
            "start_date": start,
            "end_date": end,
            "terminal_ids": [self.terminal.id],
            "response_hours": 4,
            "resolution_hours": 24,
            "fee_fen": 50000,
        } | kw
        return warranty.create_contract(self.ctx, ServiceContractCreate(**fields))  # type: ignore[arg-type]

    def active_contract(self, start: date, end: date, **kw: object) -> warranty.ServiceContractRead:
        draft = self.contract(start, end, **kw)
        return warranty.activate_contract(self.ctx, draft.id, draft.version)


def ends_on(ctx: Context, terminal_id: uuid.UUID) -> date | None:
    return terminals.get_terminal(ctx, terminal_id).warranty_ends_on


# --- policies and the kept warranty end -----------------------------------------------------------


def test_policy_fields_are_checked(any_admin_ctx: Context) -> None:
    warranty.create_warranty_policy(any_admin_ctx, WarrantyPolicyCreate(name="标准保修", months=12))
    with pytest.raises(ValidationError) as err:
        warranty.create_warranty_policy(any_admin_ctx, WarrantyPolicyCreate(name=" 标准保修 ", months=121))
    assert set(err.value.fields) == {"name", "months"}
    with pytest.raises(ValidationError, match="enter the policy"):
        warranty.create_warranty_policy(any_admin_ctx, WarrantyPolicyCreate(name="  "))


def test_the_warranty_end_follows_dates_policies_and_model_defaults(any_admin_ctx: Context) -> None:
    ctx = any_admin_ctx
    shop = Shop(ctx)
    tid = shop.terminal.id
    assert ends_on(ctx, tid) == date(2027, 1, 9)
    # The policy gets longer: every terminal under it follows.
    p = warranty.update_warranty_policy(ctx, shop.policy.id, WarrantyPolicyUpdate(months=24, expected_version=1))
    assert ends_on(ctx, tid) == date(2028, 1, 9) and p.model_count == 1
    # The terminal carries a policy of its own, counted from activation.
    own = warranty.create_warranty_policy(
        ctx, WarrantyPolicyCreate(name="激活起保6个月", months=6, start_event=WarrantyStart.ACTIVATION)
    )
    t = terminals.get_terminal(ctx, tid)
    terminals.update_terminal(ctx, tid, TerminalUpdate(warranty_policy_id=own.id, expected_version=t.version))
    activated = terminals.get_terminal(ctx, tid).activation_date
    assert activated is not None and ends_on(ctx, tid) == date(2027, 5, 19)  # activated on 2026-11-20
    # Back to the model's default, and the model changes its default.
    t = terminals.get_terminal(ctx, tid)
    terminals.update_terminal(ctx, tid, TerminalUpdate(warranty_policy_id=None, expected_version=t.version))
    assert ends_on(ctx, tid) == date(2028, 1, 9)
    model = next(m for m in catalogue.list_device_models(ctx) if m.id == shop.model_id)
    catalogue.update_device_model(ctx, model.id, DeviceModelUpdate(warranty_policy_id=own.id, expected_version=model.version))
    assert ends_on(ctx, tid) == date(2027, 5, 19)
    assert next(m for m in catalogue.list_device_models(ctx) if m.id == shop.model_id).warranty_policy_name == "激活起保6个月"
    # No purchase date: nothing to count from.
    t = terminals.get_terminal(ctx, tid)
    terminals.update_terminal(ctx, tid, TerminalUpdate(purchase_date=None, expected_version=t.version))
    assert ends_on(ctx, tid) == date(2027, 5, 19)  # activation still counts
    with pytest.raises(ValidationError, match="warranty policy"):
        terminals.update_terminal(
            ctx, tid, TerminalUpdate(warranty_policy_id=uuid.uuid4(), expected_version=t.version + 1)
        )


def test_a_stale_policy_edit_is_a_conflict(admin_ctx: Context) -> None:
    p = warranty.create_warranty_policy(admin_ctx, WarrantyPolicyCreate(name="标准保修"))
    warranty.update_warranty_policy(admin_ctx, p.id, WarrantyPolicyUpdate(months=6, expected_version=p.version))
    with pytest.raises(Conflict):
        warranty.update_warranty_policy(admin_ctx, p.id, WarrantyPolicyUpdate(months=9, expected_version=p.version))


# --- coverage ----------------------------------------------------------------------------------------


def test_coverage_today_on_a_date_and_with_an_exclusion(any_admin_ctx: Context, clock: FixedClock) -> None:
    shop = Shop(any_admin_ctx)
    tid = shop.terminal.id
    today = warranty.coverage(any_admin_ctx, tid)
    assert today.on == TODAY and today.kind == CoverageKind.WARRANTY
    assert today.until == date(2027, 1, 9) and today.policy_name == "标准保修"
    assert today.free_items == [CostItem.PARTS, CostItem.LABOUR] and today.policy_text == "人为损坏不保"
    assert warranty.coverage(any_admin_ctx, tid, date(2027, 1, 10)).kind == CoverageKind.NONE
    wet = warranty.coverage(any_admin_ctx, tid, exclusion=ExclusionCause.LIQUID_DAMAGE)
    assert wet.kind == CoverageKind.NONE and "liquid damage" in wet.reason and wet.free_items == []
    clock.advance(days=60)  # 2027-01-19 in China
    assert warranty.coverage(any_admin_ctx, tid).kind == CoverageKind.NONE


def test_a_contract_covers_listed_terminals_or_all_the_merchant_has(any_admin_ctx: Context) -> None:
    ctx = any_admin_ctx
    shop = Shop(ctx, purchase=date(2024, 1, 1))
    other = shop.add_terminal("NL0000000002", "10000002", date(2024, 1, 1))
    assert warranty.coverage(ctx, shop.terminal.id).kind == CoverageKind.NONE
    listed = shop.active_contract(date(2026, 1, 1), date(2026, 12, 31))
    cover = warranty.coverage(ctx, shop.terminal.id)
    assert cover.kind == CoverageKind.CONTRACT and cover.contract_no == listed.contract_no
    assert cover.until == date(2026, 12, 31) and cover.response_hours == 4 and cover.free_items == [
        CostItem.PARTS,
        CostItem.LABOUR,
        CostItem.ONSITE,
    ]
    assert warranty.coverage(ctx, other.id).kind == CoverageKind.NONE
    shop.active_contract(date(2026, 6, 1), date(2027, 5, 31), all_terminals=True, terminal_ids=[])
    assert warranty.coverage(ctx, other.id).until == date(2027, 5, 31)
    history = warranty.coverage_history(ctx, shop.terminal.id)
    assert [p.kind for p in history] == ["warranty", "contract", "contract"]
    assert history[0].end == date(2024, 12, 31) and history[0].status == "ended"


def test_contract_numbers_and_fields(any_admin_ctx: Context) -> None:
    shop = Shop(any_admin_ctx)
    first = shop.contract(date(2026, 12, 1), date(2027, 11, 30))
    second = shop.contract(date(2026, 12, 1), date(2027, 11, 30))
    assert first.contract_no == "HT-SZ01-20261120-001" and second.contract_no == "HT-SZ01-20261120-002"
    assert first.status == ContractStatus.DRAFT and first.terminal_serials == ["NL0000000001"]
    assert first.merchant_name == "张记便利店"
    assert warranty.find_contract_by_number(any_admin_ctx, " ht-sz01-20261120-002 ") is not None
    with pytest.raises(ValidationError) as err:
        shop.contract(date(2026, 12, 1), date(2026, 11, 30), response_hours=48, resolution_hours=24, fee_fen=-1)
    assert set(err.value.fields) == {"end_date", "resolution_hours", "fee_fen"}
    stranger = shop.add_terminal("NL0000000003", "10000003", None, bind=False)
    with pytest.raises(ValidationError, match="only terminals the merchant holds"):
        shop.contract(date(2026, 12, 1), date(2027, 11, 30), terminal_ids=[stranger.id])
    with pytest.raises(ValidationError, match="Choose the terminals"):
        shop.contract(date(2026, 12, 1), date(2027, 11, 30), terminal_ids=[])


def test_contract_life_draft_active_terminated_and_renewed(any_admin_ctx: Context) -> None:
    ctx = any_admin_ctx
    shop = Shop(ctx, purchase=date(2024, 1, 1))
    draft = shop.contract(date(2026, 1, 1), date(2026, 12, 31))
    edited = warranty.update_contract(
        ctx, draft.id, ServiceContractUpdate(response_hours=8, resolution_hours=48, expected_version=draft.version)
    )
    assert edited.response_hours == 8
    assert warranty.coverage(ctx, shop.terminal.id).kind == CoverageKind.NONE  # drafts cover nothing
    active = warranty.activate_contract(ctx, edited.id, edited.version)
    with pytest.raises(InvalidTransition, match="only a draft"):
        warranty.update_contract(ctx, active.id, ServiceContractUpdate(fee_fen=1, expected_version=active.version))
    noted = warranty.update_contract(ctx, active.id, ServiceContractUpdate(notes="续约意向", expected_version=active.version))
    with pytest.raises(InvalidTransition):
        warranty.delete_contract(ctx, noted.id, noted.version)
    renewed = warranty.renew_contract(ctx, noted.id)
    assert (renewed.start_date, renewed.end_date) == (date(2027, 1, 1), date(2027, 12, 31))
    assert renewed.status == ContractStatus.DRAFT and renewed.renews_no == noted.contract_no
    assert renewed.terminal_ids == [shop.terminal.id] and renewed.response_hours == 8
    assert warranty.get_contract(ctx, noted.id).renewed_by_no == renewed.contract_no
    with pytest.raises(InvalidTransition, match="already been renewed"):
        warranty.renew_contract(ctx, noted.id)
    with pytest.raises(ValidationError) as err:
        warranty.terminate_contract(ctx, noted.id, date(2025, 1, 1), " ", noted.version)
    assert set(err.value.fields) == {"reason", "on"}
    ended = warranty.terminate_contract(ctx, noted.id, TODAY, "商户关店", noted.version)
    assert ended.status == ContractStatus.TERMINATED
    assert warranty.coverage(ctx, shop.terminal.id, TODAY - timedelta(days=1)).kind == CoverageKind.CONTRACT
    assert warranty.coverage(ctx, shop.terminal.id).kind == CoverageKind.NONE
    warranty.delete_contract(ctx, renewed.id, renewed.version)
    assert warranty.list_contracts(ctx).total == 1


def test_an_active_contract_past_its_end_lists_as_expired(admin_ctx: Context, clock: FixedClock) -> None:
    shop = Shop(admin_ctx)
    c = shop.active_contract(date(2026, 1, 1), date(2026, 11, 30))
    assert warranty.list_contracts(admin_ctx, ContractFilter(ending_within_days=10)).total == 1
    assert warranty.list_contracts(admin_ctx, ContractFilter(ending_within_days=5)).total == 0
    clock.advance(days=11)
    assert warranty.get_contract(admin_ctx, c.id).status == ContractStatus.EXPIRED
    assert warranty.list_contracts(admin_ctx, ContractFilter(status=ContractStatus.EXPIRED)).total == 1
    assert warranty.list_contracts(admin_ctx, ContractFilter(status=ContractStatus.ACTIVE)).total == 0


# --- lists ----------------------------------------------------------------------------------------


def test_expiring_and_uncovered_lists(any_admin_ctx: Context) -> None:
    ctx = any_admin_ctx
    shop = Shop(ctx, purchase=date(2025, 11, 30))  # ends 2026-11-29: in 9 days
    later = shop.add_terminal("NL0000000002", "10000002", date(2026, 3, 1))  # ends 2027-02-28
    old = shop.add_terminal("NL0000000003", "10000003", date(2023, 1, 1))
    covered = shop.add_terminal("NL0000000004", "10000004", date(2023, 1, 1))
    shop.add_terminal("NL0000000005", "10000005", None, bind=False)  # in stock: nobody to tell
    shop.active_contract(date(2026, 1, 1), date(2026, 12, 31), terminal_ids=[covered.id])

    soon = warranty.list_expiring_warranties(ctx, 30)
    assert [i.serial_no for i in soon.items] == ["NL0000000001"] and soon.total == 1
    assert soon.items[0].warranty_end == date(2026, 11, 29) and soon.items[0].merchant_name == "张记便利店"
    assert soon.items[0].policy_name == "标准保修"
    assert {i.serial_no for i in warranty.list_expiring_warranties(ctx, 120).items} == {
        "NL0000000001",
        later.serial_no,
    }
    uncovered = warranty.list_uncovered_terminals(ctx)
    assert [i.serial_no for i in uncovered.items] == [old.serial_no]


# --- the working calendar -------------------------------------------------------------------------


def test_calendar_exceptions_replace_and_apply(admin_ctx: Context) -> None:
    new_year = date(2027, 1, 1)
    assert warranty.working_calendar(admin_ctx).is_workday(new_year)  # unknown year: a Friday
    warranty.save_calendar_exception(admin_ctx, new_year, False, "元旦")
    warranty.save_calendar_exception(admin_ctx, new_year, False, "元旦（国务院通知）")
    saved = warranty.list_calendar_exceptions(admin_ctx, 2027)
    assert [(e.day, e.is_workday, e.note) for e in saved] == [(new_year, False, "元旦（国务院通知）")]
    assert not warranty.working_calendar(admin_ctx).is_workday(new_year)
    warranty.delete_calendar_exception(admin_ctx, new_year)
    assert warranty.list_calendar_exceptions(admin_ctx) == []


# --- permissions ----------------------------------------------------------------------------------


def test_who_may_change_what(admin_ctx: Context) -> None:
    shop = Shop(admin_ctx)
    tech = admin_ctx.as_user(make_user(admin_ctx, "tech", Role.TECHNICIAN))
    clerk = admin_ctx.as_user(make_user(admin_ctx, "clerk", Role.CLERK))
    assert warranty.coverage(tech, shop.terminal.id).kind == CoverageKind.WARRANTY
    with pytest.raises(PermissionDenied):
        warranty.create_contract(
            tech,
            ServiceContractCreate(
                merchant_id=shop.merchant_id, start_date=TODAY, end_date=TODAY, all_terminals=True
            ),
        )
    assert warranty.create_contract(
        clerk,
        ServiceContractCreate(merchant_id=shop.merchant_id, start_date=TODAY, end_date=TODAY, all_terminals=True),
    )
    with pytest.raises(PermissionDenied):
        warranty.create_warranty_policy(clerk, WarrantyPolicyCreate(name="x"))
    with pytest.raises(PermissionDenied):
        warranty.save_calendar_exception(clerk, TODAY, False)


# --- numbers from two desks -----------------------------------------------------------------------


def test_two_desks_never_get_the_same_contract_number(any_db: Database, clock: FixedClock) -> None:
    ctx = make_admin(any_db, clock)
    shop = Shop(ctx)
    desks = [ctx, ctx.as_user(ctx.user)]
    if any_db.is_sqlite:  # a second desk is a second connection pool on the same file
        assert any_db.path is not None
        other = Database(sqlite_url(any_db.path))
        desks[1] = Context(db=other, user=ctx.user, clock=clock)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def work(desk: Context) -> None:
        try:
            for _ in range(10):
                numbers.append(
                    warranty.create_contract(
                        desk,
                        ServiceContractCreate(
                            merchant_id=shop.merchant_id, start_date=TODAY, end_date=TODAY, all_terminals=True
                        ),
                    ).contract_no
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(numbers) == 20 and len(set(numbers)) == 20
    assert max(numbers) == "HT-SZ01-20261120-020"


# --- the migration from warranty months to policies -----------------------------------------------


def test_migration_turns_model_months_into_policies(tmp_path: Path, home: Path) -> None:
    db = Database(sqlite_url(tmp_path / "old.sqlite3"))
    with db.schema_change() as conn:
        cfg = db.alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    model_id, terminal_id = uuid.uuid4(), uuid.uuid4()
    with db.engine.begin() as conn:
        now = "2026-01-01 00:00:00.000000"
        conn.execute(
            text(
                "INSERT INTO device_model (id, created_at, updated_at, version, brand, model, terminal_type,"
                " list_price_fen, default_warranty_months, active) VALUES"
                " (:id, :now, :now, 1, '百富', 'A920', 'smart', 0, 18, 1)"
            ),
            {"id": model_id.hex, "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO terminal (id, created_at, updated_at, version, serial_no, terminal_no, model_id,"
                " sim_iccid, firmware_version, purchase_date, location, deposit_fen, deposit_status, notes,"
                " status, replaced_by_serial_no, replaces_serial_no) VALUES (:id, :now, :now, 1, 'PX1', '',"
                " :model, '', '', '2025-08-31', '', 0, 'none', '', 'in_stock', '', '')"
            ),
            {"id": terminal_id.hex, "model": model_id.hex, "now": now},
        )
    db.migrate(backup=False)
    ctx = Context.system(db)
    policies = warranty.list_warranty_policies(ctx)
    assert [(p.name, p.months, p.model_count) for p in policies] == [("标准保修18个月", 18, 1)]
    assert ends_on(ctx, terminal_id) == date(2027, 2, 28)
    assert db.check().ok


def test_demo_data_has_policies_contracts_and_warranty_ends(db: Database) -> None:
    ctx = Context.system(db)
    demo.generate_demo_data(ctx, customers=60, password="Demo2026pos")
    assert len(warranty.list_warranty_policies(ctx)) == 2
    assert warranty.list_contracts(ctx).total >= 1
    with db.engine.connect() as conn:
        missing = conn.execute(
            text("SELECT count(*) FROM terminal WHERE purchase_date IS NOT NULL AND warranty_ends_on IS NULL")
        ).scalar_one()
    assert missing == 0


def test_out_of_warranty_lists_the_latest_ended_first_then_those_without_a_warranty(
    any_admin_ctx: Context,
) -> None:
    shop = Shop(any_admin_ctx, purchase=date(2023, 1, 1))  # ended 2023-12-31
    recent = shop.add_terminal("NL0000000002", "10000002", date(2025, 1, 1))  # ended 2025-12-31
    undated = shop.add_terminal("NL0000000003", "10000003", None)
    pages = [warranty.list_uncovered_terminals(any_admin_ctx, offset=i, limit=1) for i in range(4)]
    assert [p.total for p in pages] == [3, 3, 3, 3]
    assert [[i.serial_no for i in p.items] for p in pages] == [
        [recent.serial_no],
        [shop.terminal.serial_no],
        [undated.serial_no],
        [],
    ]
    whole = warranty.list_uncovered_terminals(any_admin_ctx, offset=1, limit=5)
    assert [i.serial_no for i in whole.items] == [shop.terminal.serial_no, undated.serial_no]


def test_the_policy_list_counts_models_and_terminals_in_a_fixed_number_of_statements(
    admin_ctx: Context,
) -> None:
    Shop(admin_ctx)  # one model under 标准保修
    for n in range(5):
        warranty.create_warranty_policy(admin_ctx, WarrantyPolicyCreate(name=f"延保{n}", months=24))
    before = admin_ctx.db.query_count
    listed = warranty.list_warranty_policies(admin_ctx)
    assert admin_ctx.db.query_count - before <= 5  # begin, policies, two grouped counts, end
    counts = {p.name: (p.model_count, p.terminal_count) for p in listed}
    assert counts["标准保修"] == (1, 0) and counts["延保0"] == (0, 0) and len(counts) == 6
