"""Exporting the warranty area's lists: warranties and contracts ending soon, terminals not covered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from app import i18n
from app.context import Context
from app.errors import AppError
from app.models.catalogue import DeviceModelCreate
from app.models.merchant import MerchantCreate
from app.models.terminal import TerminalCreate, TerminalRead, TerminalType
from app.models.user import Role
from app.models.warranty import (
    ContractStatus,
    ServiceContractCreate,
    ServiceContractRead,
    WarrantyPolicyCreate,
    WarrantyPolicyRead,
)
from app.services import catalogue, exports, merchants, terminals, warranty
from tests.app.services.test_imports import read_csv
from tests.conftest import FixedClock, make_user

TODAY = date(2026, 11, 20)  # the `clock` fixture's day in China


@dataclass
class WarrantyWorld:
    """Terminals and contracts around TODAY, each in exactly one of the lists."""

    policy: WarrantyPolicyRead
    ends_in_10: TerminalRead  # warranty through TODAY + 10
    ends_in_100: TerminalRead  # warranty through TODAY + 100
    uncovered: TerminalRead  # out of warranty, no contract
    by_contract: TerminalRead  # out of warranty, covered by `soon`
    no_date: TerminalRead  # deployed, no purchase date: not covered
    soon: ServiceContractRead  # active, ends TODAY + 20
    later: ServiceContractRead  # active, ends TODAY + 200
    draft: ServiceContractRead  # a draft ending TODAY + 5: not in force, not listed


def _deployed(ctx: Context, serial: str, model_id: object, merchant_id: object, purchase: date | None) -> TerminalRead:
    terminal = terminals.create_terminal(
        ctx,
        TerminalCreate(serial_no=serial, model_id=model_id, purchase_date=purchase),  # type: ignore[arg-type]
    )
    return terminals.bind_terminal(ctx, terminal.id, merchant_id, expected_version=terminal.version)  # type: ignore[arg-type]


def _active_contract(ctx: Context, data: ServiceContractCreate) -> ServiceContractRead:
    draft = warranty.create_contract(ctx, data)
    return warranty.activate_contract(ctx, draft.id, draft.version)


def build_world(ctx: Context) -> WarrantyWorld:
    """The same world for the service and the screen tests (the `clock` fixture's date)."""
    assert warranty.today(ctx) == TODAY
    policy = warranty.create_warranty_policy(ctx, WarrantyPolicyCreate(name="标准保修一年", months=12))
    model = catalogue.create_device_model(
        ctx,
        DeviceModelCreate(
            brand="新大陆", model="N910", terminal_type=TerminalType.SMART, warranty_policy_id=policy.id
        ),
    )
    shop = merchants.create_merchant(
        ctx, MerchantCreate(merchant_no="850093414000001", legal_name="深圳市老王便利店有限公司", shop_name="老王便利店")
    )
    other = merchants.create_merchant(
        ctx, MerchantCreate(merchant_no="850093414000002", legal_name="深圳市小李餐饮有限公司", shop_name="小李餐厅")
    )
    # Twelve months from a day cover through the day before, a year later.
    ends_in_10 = _deployed(ctx, "NL0010", model.id, shop.id, date(2025, 12, 1))
    ends_in_100 = _deployed(ctx, "NL0100", model.id, shop.id, date(2026, 3, 1))
    uncovered = _deployed(ctx, "NL9001", model.id, shop.id, date(2024, 1, 1))
    by_contract = _deployed(ctx, "NL9002", model.id, shop.id, date(2024, 1, 1))
    no_date = _deployed(ctx, "NL9003", model.id, other.id, None)
    # A terminal still in stock is nobody's concern yet.
    terminals.create_terminal(ctx, TerminalCreate(serial_no="NL9999", model_id=model.id, purchase_date=date(2020, 1, 1)))
    assert (ends_in_10.warranty_ends_on, ends_in_100.warranty_ends_on) == (
        TODAY + timedelta(days=10),
        TODAY + timedelta(days=100),
    )
    soon = _active_contract(
        ctx,
        ServiceContractCreate(
            merchant_id=shop.id,
            start_date=date(2026, 1, 1),
            end_date=TODAY + timedelta(days=20),
            response_hours=4,
            resolution_hours=24,
            fee_fen=88800,
            terminal_ids=[by_contract.id],
        ),
    )
    later = _active_contract(
        ctx,
        ServiceContractCreate(
            merchant_id=other.id,
            all_terminals=True,
            start_date=TODAY + timedelta(days=1),  # not started yet: covers nothing today
            end_date=TODAY + timedelta(days=200),
        ),
    )
    draft = warranty.create_contract(
        ctx,
        ServiceContractCreate(
            merchant_id=shop.id,
            start_date=date(2026, 1, 1),
            end_date=TODAY + timedelta(days=5),
            terminal_ids=[uncovered.id],
        ),
    )
    return WarrantyWorld(policy, ends_in_10, ends_in_100, uncovered, by_contract, no_date, soon, later, draft)


@pytest.fixture
def world(admin_ctx: Context, clock: FixedClock) -> WarrantyWorld:
    return build_world(admin_ctx)


def _xlsx_rows(path: Path) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def test_warranties_ending_soon_to_xlsx(admin_ctx: Context, world: WarrantyWorld, tmp_path: Path) -> None:
    out = tmp_path / "warranties.xlsx"
    assert exports.export_expiring_warranties(admin_ctx, 30, out) == 1
    rows = _xlsx_rows(out)
    assert rows[0] == (
        "Serial no. (SN)",
        "Terminal no.",
        "Brand",
        "Model",
        "Merchant no.",
        "Merchant name",
        "Warranty policy",
        "Warranty ends",
    )
    assert len(rows) == 2
    first = dict(zip(rows[0], rows[1]))
    assert first["Serial no. (SN)"] == "NL0010"
    assert (first["Brand"], first["Model"], first["Merchant no."]) == ("新大陆", "N910", "850093414000001")
    assert (first["Merchant name"], first["Warranty policy"]) == ("老王便利店", "标准保修一年")
    assert first["Warranty ends"].date() == TODAY + timedelta(days=10)  # type: ignore[union-attr]

    assert exports.export_expiring_warranties(admin_ctx, 100, out) == 2
    assert [r[0] for r in _xlsx_rows(out)[1:]] == ["NL0010", "NL0100"]


def test_warranties_ending_soon_to_csv_in_chinese(admin_ctx: Context, world: WarrantyWorld, tmp_path: Path) -> None:
    i18n.set_language("zh_CN")
    out = tmp_path / "保修.csv"
    assert exports.export_expiring_warranties(admin_ctx, 120, out) == 2
    table = read_csv(out)
    assert table[0] == ["序列号", "终端号", "品牌", "型号", "商户编号", "商户名称", "保修政策", "保修截止日期"]
    assert [(r[0], r[-1]) for r in table[1:]] == [("NL0010", "2026-11-30"), ("NL0100", "2027-02-28")]


def test_contracts_ending_soon(admin_ctx: Context, world: WarrantyWorld, tmp_path: Path) -> None:
    out = tmp_path / "contracts.xlsx"
    assert exports.export_expiring_contracts(admin_ctx, 30, out) == 1
    rows = _xlsx_rows(out)
    assert rows[0] == (
        "Contract no.",
        "Merchant no.",
        "Merchant name",
        "Status",
        "Start date",
        "End date",
        "Response (hours)",
        "Resolution (hours)",
        "Terminals",
        "Fee (yuan)",
    )
    row = dict(zip(rows[0], rows[1]))
    assert row["Contract no."] == world.soon.contract_no
    assert (row["Merchant no."], row["Merchant name"], row["Status"]) == ("850093414000001", "老王便利店", "active")
    assert row["End date"].date() == TODAY + timedelta(days=20)  # type: ignore[union-attr]
    assert (row["Response (hours)"], row["Resolution (hours)"], row["Terminals"], row["Fee (yuan)"]) == (4, 24, "1", 888)

    i18n.set_language("zh_CN")
    csv_out = tmp_path / "合同.csv"
    assert exports.export_expiring_contracts(admin_ctx, 365, csv_out) == 2
    table = read_csv(csv_out)
    assert table[0][:4] == ["合同编号", "商户编号", "商户名称", "状态"]
    assert [r[0] for r in table[1:]] == [world.soon.contract_no, world.later.contract_no]
    later = dict(zip(table[0], table[2]))
    assert later["覆盖终端"] == i18n._("all") and later["费用(元)"] == "0.00"
    assert later["状态"] == i18n.pgettext("contract", "active")
    assert world.draft.status == ContractStatus.DRAFT  # a draft ending soon is not listed


def test_terminals_not_covered(any_admin_ctx: Context, tmp_path: Path) -> None:
    admin_ctx = any_admin_ctx
    build_world(admin_ctx)
    out = tmp_path / "uncovered.csv"
    assert exports.export_uncovered_terminals(admin_ctx, out) == 2
    table = read_csv(out)
    assert table[0][0] == "Serial no. (SN)" and table[0][-1] == "Warranty ends"
    # The one under contract and the one in stock are not there. (Where a terminal without an end
    # date sorts depends on the database: SQLite puts NULL first, PostgreSQL last.)
    assert sorted((r[0], r[-1]) for r in table[1:]) == [("NL9001", "2024-12-31"), ("NL9003", "")]

    xlsx = tmp_path / "uncovered.xlsx"
    assert exports.export_uncovered_terminals(admin_ctx, xlsx) == 2
    assert sorted(r[0] for r in _xlsx_rows(xlsx)[1:]) == ["NL9001", "NL9003"]  # type: ignore[type-var]


def test_an_unknown_suffix_is_refused_and_nothing_is_written(
    admin_ctx: Context, world: WarrantyWorld, tmp_path: Path
) -> None:
    technician = admin_ctx.as_user(make_user(admin_ctx, "tech1", Role.TECHNICIAN))
    # Everyone may export what they may see, technicians included.
    writers: list[Callable[[Path], int]] = [
        lambda path: exports.export_expiring_warranties(technician, 30, path),
        lambda path: exports.export_expiring_contracts(technician, 30, path),
        lambda path: exports.export_uncovered_terminals(technician, path),
    ]
    out = tmp_path / "out"
    assert writers[2](out / "ok.csv") == 2
    for export in writers:
        with pytest.raises(AppError, match=r"\.xlsx or \.csv"):
            export(out / "list.pdf")
    assert [p.name for p in out.iterdir()] == ["ok.csv"]
