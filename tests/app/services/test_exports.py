"""Exporting the merchant and terminal lists to CSV and XLSX."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app import i18n
from app.context import Context
from app.errors import AppError
from app.models.imports import ImportKind
from app.models.merchant import MerchantCreate, MerchantFilter, RiskLevel
from app.models.terminal import TerminalFilter, TerminalStatus
from app.models.user import Role
from app.services import exports, imports, merchants
from tests.app.services.test_imports import (
    MERCHANT_HEADERS_ZH,
    TERMINAL_HEADERS,
    add_catalogue,
    merchant_no,
    merchant_row,
    read_csv,
    resident_id,
    write_csv,
)
from tests.conftest import make_user

FORMULA = '=HYPERLINK("http://evil.example/","点我")'


@pytest.fixture
def filled(admin_ctx: Context, tmp_path: Path) -> Context:
    rows = [
        merchant_row(1, 商户名称=FORMULA, 风险等级="高"),
        merchant_row(2, 备注="+86 13800138000", 地址="@home"),
        merchant_row(3, 省="浙江省", 市="杭州市", 区="西湖区"),
    ]
    result = imports.run_import(admin_ctx, write_csv(tmp_path / "in.csv", MERCHANT_HEADERS_ZH, rows), kind=ImportKind.MERCHANTS)
    assert result.created == 3
    return admin_ctx


def _xlsx_rows(path: Path) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def test_csv_has_bom_and_chinese_headers_in_chinese(filled: Context, tmp_path: Path) -> None:
    i18n.set_language("zh_CN")
    out = tmp_path / "out" / "商户.csv"
    assert exports.export_merchants(filled, MerchantFilter(), out) == 3
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = read_csv(out)
    assert table[0][:3] == ["商户编号", "商户名称", "招牌名"]
    assert table[0][table[0].index("风险等级")] == "风险等级"
    first = dict(zip(table[0], table[1]))
    assert first["商户编号"] == merchant_no(1)
    assert first["商户名称"] == "'" + FORMULA
    assert first["风险等级"] == "高" and first["状态"] == "正常"
    assert first["入网日期"] == "2026-01-05"
    second = dict(zip(table[0], table[2]))
    assert second["备注"] == "'+86 13800138000" and second["地址"] == "'@home"
    assert not list(out.parent.glob("*.part"))


def test_xlsx_opens_with_bold_headers_and_neutralised_cells(filled: Context, tmp_path: Path) -> None:
    out = tmp_path / "merchants.XLSX"
    assert exports.export_merchants(filled, MerchantFilter(), out) == 3
    workbook = openpyxl.load_workbook(out)
    sheet = workbook.active
    assert sheet is not None
    assert sheet["A1"].value == "Merchant no." and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 15
    rows = _xlsx_rows(out)
    header = rows[0]
    first = dict(zip(header, rows[1]))
    assert first["Legal name"] == "'" + FORMULA
    assert sheet.cell(row=2, column=2).data_type == "s"  # text, not a formula
    assert first["Risk level"] == "high"
    assert str(first["Onboarding date"]).startswith("2026-01-05")


def test_filters_are_respected(filled: Context, tmp_path: Path) -> None:
    out = tmp_path / "zj.csv"
    assert exports.export_merchants(filled, MerchantFilter(province="浙江省"), out) == 1
    assert [r[0] for r in read_csv(out)[1:]] == [merchant_no(3)]
    assert exports.export_merchants(filled, MerchantFilter(risk_level=RiskLevel.HIGH), out) == 1
    assert exports.export_merchants(filled, MerchantFilter(text="nothing like this"), out) == 0
    assert len(read_csv(out)) == 1  # the header only


def test_technician_sees_masked_personal_data_admin_does_not(filled: Context, tmp_path: Path) -> None:
    tech = filled.as_user(make_user(filled, "tech1", Role.TECHNICIAN))
    out = tmp_path / "tech.csv"
    exports.export_merchants(tech, MerchantFilter(), out)
    rows = read_csv(out)
    first = dict(zip(rows[0], rows[1]))
    assert first["Resident ID no."] == resident_id(1)[:4] + "**********" + resident_id(1)[-4:]
    assert first["Mobile"] == "138****0001"
    assert "****" in first["Landline"]

    exports.export_merchants(filled, MerchantFilter(), out)
    first = dict(zip(*read_csv(out)[:2]))
    assert first["Resident ID no."] == resident_id(1)
    assert first["Mobile"] == "13800000001" and first["Landline"] == "0755-26881234"


def test_terminals_export_with_labels_and_yuan_then_import_round_trip(admin_ctx: Context, tmp_path: Path) -> None:
    add_catalogue(admin_ctx)
    merchants.create_merchant(admin_ctx, MerchantCreate(merchant_no=merchant_no(9), legal_name="某某公司"))
    rows = [
        ["SN1", "10000001", "新大陆", "N910", "银联商务", "", "V1", "2026-01-02", "", merchant_no(9), "-", "299.5", "已收取"],
        ["SN2", "10000002", "拉卡拉", "M9", "", "", "", "", "", "", "", "", ""],
    ]
    imports.run_import(admin_ctx, write_csv(tmp_path / "t.csv", TERMINAL_HEADERS, rows), kind=ImportKind.TERMINALS)
    i18n.set_language("zh_CN")
    out = tmp_path / "t.xlsx"
    assert exports.export_terminals(admin_ctx, TerminalFilter(status=TerminalStatus.DEPLOYED), out) == 1
    table = _xlsx_rows(out)
    first = dict(zip(table[0], table[1]))
    assert first["序列号"] == "SN1" and first["商户编号"] == merchant_no(9) and first["商户名称"] == "某某公司"
    assert first["押金(元)"] == 299.5 and first["押金状态"] == "已收取"
    assert first["状态"] == "已布放" and first["类型"] == "智能" and first["安装位置"] == "'-"

    # The exported file imports again as it is: nothing new, nothing wrong.
    preview = imports.preview_import(admin_ctx, ImportKind.TERMINALS, out)
    assert preview.counts == {"new": 0, "update": 1, "error": 0}, [r.messages for r in preview.rows]
    assert set(preview.ignored_columns) == {"类型", "状态", "商户名称"}  # shown, not imported
    imports.run_import(admin_ctx, preview)
    all_out = tmp_path / "all.csv"
    assert exports.export_terminals(admin_ctx, TerminalFilter(), all_out) == 2
    again = dict(zip(*read_csv(all_out)[:2]))
    assert again["安装位置"] == "'-" and again["押金(元)"] == "299.50"


def test_bad_file_name_and_unwritable_place(filled: Context, tmp_path: Path) -> None:
    with pytest.raises(AppError, match=r"\.xlsx or \.csv"):
        exports.export_merchants(filled, MerchantFilter(), tmp_path / "list.pdf")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(AppError, match="Cannot write"):
        exports.export_merchants(filled, MerchantFilter(), blocker / "list.csv")
