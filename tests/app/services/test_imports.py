"""Importing merchants and terminals: CSV in UTF-8, UTF-8 with BOM and GBK, XLSX; preview, import, errors.

Every file is written by the test itself into tmp_path.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from app.context import Context
from app.errors import AppError, PermissionDenied
from app.models.catalogue import DeviceModelCreate
from app.models.imports import ImportKind, RowAction
from app.models.merchant import MerchantFilter, RiskLevel
from app.models.terminal import (
    DepositStatus,
    TerminalStatus,
    TerminalType,
)
from app.models.user import Role
from app.rules.validation import resident_id_check_char, uscc_check_char
from app.services import catalogue, imports, merchants, terminals
from tests.conftest import make_user, table_count

MERCHANT_HEADERS_ZH = [
    "商户编号", "商户名称", "招牌名", "统一社会信用代码", "法定代表人", "法人身份证号", "联系人",
    "手机", "固定电话", "省", "市", "区", "地址", "风险等级", "状态", "入网日期", "备注",
]
MERCHANT_HEADERS_EN = [
    "Merchant No.", "Legal name", "Shop name", "USCC", "Legal representative", "Resident ID no.",
    "Contact person", "mobile", "Landline", "Province", "City", "District", "Address", "Risk level",
    "Status", "Onboarding date", "Notes",
]
TERMINAL_HEADERS = [
    "序列号", "终端号", "品牌", "型号", "收单机构", "SIM卡号", "固件版本", "购买日期", "激活日期",
    "商户编号", "安装位置", "押金(元)", "押金状态",
]

# --- valid Chinese numbers, made with the check characters of the standards -------------------------


def uscc(n: int) -> str:
    first17 = f"91440300{n:09d}"
    return first17 + uscc_check_char(first17)


def bad_uscc(n: int) -> str:
    good = uscc(n)
    return good[:17] + ("1" if good[17] != "1" else "2")


def resident_id(n: int) -> str:
    first17 = f"44030519850612{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def bad_resident_id(n: int) -> str:
    good = resident_id(n)
    return good[:17] + ("1" if good[17] != "1" else "2")


def merchant_no(n: int) -> str:
    return f"{822584050000000 + n}"


def merchant_row(n: int, **changes: str) -> list[str]:
    values = {
        "商户编号": merchant_no(n),
        "商户名称": f"深圳市南山区测试商贸有限公司{n}",
        "招牌名": f"测试便利店{n}",
        "统一社会信用代码": uscc(n),
        "法定代表人": "张三",
        "法人身份证号": resident_id(n),
        "联系人": "李四",
        "手机": f"138{n:08d}",
        "固定电话": "0755-26881234",
        "省": "广东省",
        "市": "深圳市",
        "区": "南山区",
        "地址": "科技园科苑南路3099号",
        "风险等级": "低",
        "状态": "正常",
        "入网日期": "2026/1/5",
        "备注": "",
    }
    values.update(changes)
    return [values[h] for h in MERCHANT_HEADERS_ZH]


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def all_merchants(ctx: Context) -> dict[str, merchants.MerchantRead]:
    page = merchants.list_merchants(ctx, MerchantFilter(), limit=500)
    return {m.merchant_no: m for m in page.items}


def add_catalogue(ctx: Context) -> None:
    catalogue.create_device_model(ctx, DeviceModelCreate(brand="新大陆", model="N910", terminal_type=TerminalType.SMART))
    catalogue.create_device_model(ctx, DeviceModelCreate(brand="拉卡拉", model="M9", terminal_type=TerminalType.ESIGN))
    catalogue.save_acquirer(ctx, "银联商务")
    catalogue.save_acquirer(ctx, "拉卡拉支付")


# --- encodings and headers -----------------------------------------------------------------------------


def test_utf8_csv_with_chinese_headers_previews_then_imports(admin_ctx: Context, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", MERCHANT_HEADERS_ZH, [merchant_row(1), merchant_row(2, 风险等级="高")])
    preview = imports.preview_import(admin_ctx, ImportKind.MERCHANTS, path)
    assert preview.encoding == "UTF-8"
    assert preview.counts == {"new": 2, "update": 0, "error": 0}
    assert [r.row_number for r in preview.rows] == [2, 3]
    assert [r.key for r in preview.rows] == [merchant_no(1), merchant_no(2)]
    assert table_count(admin_ctx.db, "merchant") == 0

    result = imports.run_import(admin_ctx, preview)
    assert (result.created, result.updated, result.failed, result.error_file) == (2, 0, 0, None)
    found = all_merchants(admin_ctx)
    second = found[merchant_no(2)]
    assert second.risk_level == RiskLevel.HIGH
    assert second.legal_rep_id_no == resident_id(2)
    assert second.onboarding_date is not None and second.onboarding_date.isoformat() == "2026-01-05"
    assert second.province == "广东省" and second.landline == "0755-26881234"


def test_utf8_bom_csv_with_english_headers(admin_ctx: Context, tmp_path: Path) -> None:
    rows = [merchant_row(3, 风险等级="medium", 状态="suspended", 入网日期="2026年3月9日")]
    path = write_csv(tmp_path / "m.csv", MERCHANT_HEADERS_EN, rows, encoding="utf-8-sig")
    preview = imports.preview_import(admin_ctx, ImportKind.MERCHANTS, path)
    assert preview.encoding == "UTF-8 BOM"
    assert preview.counts["new"] == 1 and not preview.ignored_columns
    imports.run_import(admin_ctx, preview)
    merchant = all_merchants(admin_ctx)[merchant_no(3)]
    assert merchant.risk_level == "medium" and merchant.status == "suspended"
    assert str(merchant.onboarding_date) == "2026-03-09"


def test_gbk_csv_with_full_width_digits_is_normalised(admin_ctx: Context, tmp_path: Path) -> None:
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    row = merchant_row(
        4,
        商户编号=merchant_no(4).translate(full_width),
        手机="１３８ ０００１ ２３４５",
        法人身份证号=resident_id(4).translate(full_width),
        商户名称="深圳市福田区老王水果店（个体工商户）",
    )
    path = write_csv(tmp_path / "gbk.csv", MERCHANT_HEADERS_ZH, [row], encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    preview = imports.preview_import(admin_ctx, ImportKind.MERCHANTS, path)
    assert preview.encoding == "GB18030"
    assert preview.counts == {"new": 1, "update": 0, "error": 0}, preview.rows[0].messages
    assert preview.rows[0].key == merchant_no(4)
    imports.run_import(admin_ctx, preview)
    merchant = all_merchants(admin_ctx)[merchant_no(4)]
    assert merchant.mobile == "13800012345"
    assert merchant.legal_rep_id_no == resident_id(4)
    assert merchant.legal_name == "深圳市福田区老王水果店(个体工商户)"


def test_xlsx_with_formula_number_and_date_cells(admin_ctx: Context, tmp_path: Path) -> None:
    from datetime import datetime

    formula = '=HYPERLINK("http://evil.example/","点我")'
    row: list[object] = merchant_row(5, 商户名称=formula)
    row[0] = int(merchant_no(5))  # a merchant no. typed as a number
    row[MERCHANT_HEADERS_ZH.index("入网日期")] = datetime(2025, 12, 31)
    shortened: list[object] = merchant_row(7)
    shortened[MERCHANT_HEADERS_ZH.index("法人身份证号")] = float(resident_id(7))  # as Excel keeps it
    rows = [row, merchant_row(6, 商户名称="=1+1"), shortened]
    path = write_xlsx(tmp_path / "m.xlsx", MERCHANT_HEADERS_ZH, rows)
    preview = imports.preview_import(admin_ctx, ImportKind.MERCHANTS, path)
    assert preview.encoding == "XLSX"
    assert preview.counts == {"new": 2, "update": 0, "error": 1}, [r.messages for r in preview.rows]
    assert preview.rows[2].messages[0].startswith("法人身份证号: Excel shortened this number to 4.4030519850612")
    imports.run_import(admin_ctx, preview)
    found = all_merchants(admin_ctx)
    assert found[merchant_no(5)].legal_name == formula  # the text, never evaluated
    assert found[merchant_no(5)].onboarding_date is not None
    assert found[merchant_no(5)].onboarding_date.isoformat() == "2025-12-31"
    assert found[merchant_no(6)].legal_name == "=1+1"


def test_header_row_under_a_title_and_unknown_columns(admin_ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    body = io.StringIO()
    writer = csv.writer(body)
    writer.writerow(["商户导入模板（2026版）"])
    writer.writerow([" 商户号 ", "法人代表", "MERCHANT_NAME", "微信号"])
    writer.writerow([merchant_no(7), "王五", "某某公司", "wx123"])
    path.write_text(body.getvalue(), encoding="utf-8")
    preview = imports.preview_import(admin_ctx, ImportKind.MERCHANTS, path)
    assert preview.ignored_columns == ["微信号"]
    assert [r.row_number for r in preview.rows] == [3]
    assert preview.counts["new"] == 1


# --- row errors --------------------------------------------------------------------------------------


def test_bad_check_characters_name_row_and_column(admin_ctx: Context, tmp_path: Path) -> None:
    rows = [
        merchant_row(10),
        merchant_row(11, 统一社会信用代码=bad_uscc(11)),
        merchant_row(12, 法人身份证号=bad_resident_id(12), 入网日期="2026-02-30", 风险等级="很高"),
        merchant_row(13, 商户编号="12345"),
    ]
    path = write_csv(tmp_path / "m.csv", MERCHANT_HEADERS_ZH, rows)
    preview = imports.preview_import(admin_ctx, ImportKind.MERCHANTS, path)
    assert preview.counts == {"new": 1, "update": 0, "error": 3}
    by_row = {r.row_number: r for r in preview.rows}
    assert by_row[3].action == RowAction.ERROR
    assert by_row[3].messages == ["统一社会信用代码: The last character of this unified social credit code is wrong."]
    assert by_row[4].messages == [
        "法人身份证号: The check digit of this resident ID number is wrong.",
        "风险等级: 很高 is not one of: low, medium, high.",
        "入网日期: 2026-02-30 is not a date; write it as 2026-01-05.",
    ]
    assert by_row[5].messages == ["商户编号: A merchant number has 15 digits."]


def test_duplicates_in_the_file_and_against_the_database(any_admin_ctx: Context, tmp_path: Path) -> None:
    imports.run_import(any_admin_ctx, write_csv(tmp_path / "first.csv", MERCHANT_HEADERS_ZH, [merchant_row(20)]), kind=ImportKind.MERCHANTS)
    before = all_merchants(any_admin_ctx)[merchant_no(20)]
    rows = [
        merchant_row(20, 招牌名="新招牌", 手机=""),  # in the database: an update; the empty cell keeps the phone
        merchant_row(21),
        merchant_row(21, 招牌名="重复"),  # second occurrence in the file
    ]
    path = write_csv(tmp_path / "second.csv", MERCHANT_HEADERS_ZH, rows)
    preview = imports.preview_import(any_admin_ctx, ImportKind.MERCHANTS, path)
    assert [r.action for r in preview.rows] == [RowAction.UPDATE, RowAction.NEW, RowAction.ERROR]
    assert preview.rows[2].messages == [f"商户编号: Merchant no. {merchant_no(21)} appears again; the first is in row 3."]
    result = imports.run_import(any_admin_ctx, preview)
    assert (result.created, result.updated, result.failed) == (1, 1, 1)
    after = all_merchants(any_admin_ctx)[merchant_no(20)]
    assert after.shop_name == "新招牌" and after.mobile == before.mobile
    assert after.version == before.version + 1
    assert all_merchants(any_admin_ctx)[merchant_no(21)].shop_name == "测试便利店21"


def test_error_file_is_written_fixed_and_imported_again(any_admin_ctx: Context, tmp_path: Path) -> None:
    rows = [
        merchant_row(30),
        merchant_row(31, 统一社会信用代码=bad_uscc(31), 备注="=cmd|' /C calc'!A0"),
        merchant_row(32, 手机="1380013800"),
    ]
    source = write_csv(tmp_path / "batch.csv", MERCHANT_HEADERS_ZH, rows, encoding="gbk")
    result = imports.run_import(any_admin_ctx, source, kind=ImportKind.MERCHANTS)
    assert (result.created, result.failed) == (1, 2)
    assert result.error_file == tmp_path / "batch.errors.csv"
    raw = result.error_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = read_csv(result.error_file)
    assert table[0] == [*MERCHANT_HEADERS_ZH, "错误 / error"]
    assert [r[0] for r in table[1:]] == [merchant_no(31), merchant_no(32)]
    assert table[1][-1].startswith("row 3: 统一社会信用代码:")
    assert table[1][MERCHANT_HEADERS_ZH.index("备注")] == "'=cmd|' /C calc'!A0"  # neutralised for Excel
    assert "手机: A mobile number has 11 digits" in table[2][-1]

    # The clerk fixes the two cells in the error file and imports it as it is.
    table[1][MERCHANT_HEADERS_ZH.index("统一社会信用代码")] = uscc(31)
    table[2][MERCHANT_HEADERS_ZH.index("手机")] = "13800138000"
    fixed = tmp_path / "batch.errors.csv"
    write_csv(fixed, table[0], table[1:], encoding="utf-8-sig")
    preview = imports.preview_import(any_admin_ctx, ImportKind.MERCHANTS, fixed)
    assert preview.ignored_columns == []
    assert preview.counts == {"new": 2, "update": 0, "error": 0}, [r.messages for r in preview.rows]
    again = imports.run_import(any_admin_ctx, preview)
    assert (again.created, again.failed, again.error_file) == (2, 0, None)
    found = all_merchants(any_admin_ctx)
    assert found[merchant_no(31)].notes == "=cmd|' /C calc'!A0"  # the quote added for Excel is gone again
    assert found[merchant_no(32)].mobile == "13800138000"


def test_preview_dry_run_and_cancel_write_nothing(any_admin_ctx: Context, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", MERCHANT_HEADERS_ZH, [merchant_row(n) for n in range(40, 45)])
    audit_before = table_count(any_admin_ctx.db, "audit_entry")
    preview = imports.preview_import(any_admin_ctx, ImportKind.MERCHANTS, path)
    assert preview.counts["new"] == 5
    assert table_count(any_admin_ctx.db, "merchant") == 0
    assert table_count(any_admin_ctx.db, "audit_entry") == audit_before

    result = imports.run_import(any_admin_ctx, preview, cancelled=lambda: True)
    assert result.cancelled and result.created == 0 and result.error_file is None
    assert table_count(any_admin_ctx.db, "merchant") == 0
    assert table_count(any_admin_ctx.db, "audit_entry") == audit_before

    calls = iter([False, False, True])
    result = imports.run_import(any_admin_ctx, preview, cancelled=lambda: next(calls, True))
    assert result.cancelled
    assert table_count(any_admin_ctx.db, "merchant") == 0  # the running batch was rolled back

    with pytest.raises(imports.ImportCancelled):
        imports.preview_import(any_admin_ctx, ImportKind.MERCHANTS, path, cancelled=lambda: True)


def test_closing_a_merchant_by_import_is_refused_on_the_status_column(admin_ctx: Context, tmp_path: Path) -> None:
    imports.run_import(admin_ctx, write_csv(tmp_path / "a.csv", MERCHANT_HEADERS_ZH, [merchant_row(50)]), kind=ImportKind.MERCHANTS)
    path = write_csv(tmp_path / "b.csv", MERCHANT_HEADERS_ZH, [merchant_row(50, 状态="已关闭")])
    preview = imports.preview_import(admin_ctx, ImportKind.MERCHANTS, path)
    assert preview.rows[0].action == RowAction.ERROR
    assert preview.rows[0].messages == ["状态: Close a merchant with its own command, giving the reason."]


# --- files that cannot be read -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("none.csv", None, "does not exist"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "Excel 97-2003"),
        ("notes.pdf", b"%PDF", "neither"),
        ("fake.xlsx", b"not a zip", "cannot be read as an Excel workbook"),
        ("noheader.csv", "a,b\n1,2\n".encode(), "has no Merchant no. column"),
        ("empty.csv", b"", "has no Merchant no. column"),
    ],
)
def test_unreadable_files_are_one_clear_error(
    admin_ctx: Context, tmp_path: Path, name: str, content: bytes | None, needle: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(AppError) as err:
        imports.preview_import(admin_ctx, ImportKind.MERCHANTS, path)
    assert needle in str(err.value)


def test_a_technician_may_not_import(admin_ctx: Context, tmp_path: Path) -> None:
    tech = admin_ctx.as_user(make_user(admin_ctx, "tech1", Role.TECHNICIAN))
    path = write_csv(tmp_path / "m.csv", MERCHANT_HEADERS_ZH, [merchant_row(1)])
    with pytest.raises(PermissionDenied):
        imports.preview_import(tech, ImportKind.MERCHANTS, path)
    clerk = admin_ctx.as_user(make_user(admin_ctx, "clerk1", Role.CLERK))
    assert imports.run_import(clerk, path, kind=ImportKind.MERCHANTS).created == 1


# --- terminals ---------------------------------------------------------------------------------------


def test_terminals_with_holders_are_deployed_and_bound(any_admin_ctx: Context, tmp_path: Path) -> None:
    add_catalogue(any_admin_ctx)
    imports.run_import(
        any_admin_ctx,
        write_csv(tmp_path / "m.csv", MERCHANT_HEADERS_ZH, [merchant_row(60), merchant_row(61, 状态="暂停")]),
        kind=ImportKind.MERCHANTS,
    )
    rows = [
        ["nl-0001", "１２３４５６７８", "新大陆", "N910", "银联商务", "89860012345678901234", "V3.4.0", "2026-01-02", "", merchant_no(60), "收银台", "299.50", "已收取"],
        ["NL0002", "10000002", "", "m9", "", "", "", "2026/1/3", "", "", "", "", ""],
        ["NL0003", "10000003", "新大陆", "X99", "", "", "", "", "", "", "", "", ""],
        ["NL0004", "10000004", "新大陆", "N910", "某某银行", "", "", "", "", "", "", "", ""],
        ["NL0005", "10000005", "新大陆", "N910", "", "", "", "", "", "999999999999999", "", "", ""],
        ["NL0006", "10000006", "新大陆", "N910", "", "", "", "", "", merchant_no(61), "", "", ""],
        ["NL0007", "1234", "新大陆", "N910", "", "", "", "2026-01-05", "2026-01-01", "", "", "abc", ""],
    ]
    path = write_csv(tmp_path / "t.csv", TERMINAL_HEADERS, rows, encoding="gbk")
    preview = imports.preview_import(any_admin_ctx, ImportKind.TERMINALS, path)
    by_sn = {r.key: r for r in preview.rows}
    assert by_sn["NL0001"].action == RowAction.NEW, by_sn["NL0001"].messages
    assert by_sn["NL0002"].action == RowAction.NEW, by_sn["NL0002"].messages
    assert by_sn["NL0003"].messages == ["型号: 新大陆 X99 is not in the model catalogue."]
    assert by_sn["NL0004"].messages == ["收单机构: 某某银行 is not in the list of acquirers."]
    assert by_sn["NL0005"].messages == ["商户编号: There is no merchant with merchant no. 999999999999999."]
    assert by_sn["NL0006"].messages[0].startswith("商户编号: Merchant ")
    assert by_sn["NL0007"].messages == [
        "终端号: A terminal number has 8 digits.",
        "激活日期: The activation date is before the purchase date.",
        "押金(元): abc is not an amount in yuan, such as 299 or 299.50.",
    ]
    assert table_count(any_admin_ctx.db, "terminal") == 0

    result = imports.run_import(any_admin_ctx, preview)
    assert (result.created, result.failed) == (2, 5)
    first = terminals.find_terminal_by_serial(any_admin_ctx, "NL0001")
    assert first is not None
    assert first.status == TerminalStatus.DEPLOYED and first.merchant_no == merchant_no(60)
    assert first.terminal_no == "12345678" and first.acquirer == "银联商务" and first.location == "收银台"
    assert first.deposit_fen == 29950 and first.deposit_status == DepositStatus.HELD
    assert [e.kind for e in terminals.terminal_timeline(any_admin_ctx, first.id)] == ["bound", "created"]
    second = terminals.find_terminal_by_serial(any_admin_ctx, "NL0002")
    assert second is not None and second.status == TerminalStatus.IN_STOCK and second.brand == "拉卡拉"

    # The same file again: the two are updates now, and binding to the same merchant changes nothing.
    again = imports.preview_import(any_admin_ctx, ImportKind.TERMINALS, path)
    assert {r.key: r.action for r in again.rows}["NL0001"] == RowAction.UPDATE


def test_terminal_bound_elsewhere_is_an_error(admin_ctx: Context, tmp_path: Path) -> None:
    add_catalogue(admin_ctx)
    imports.run_import(
        admin_ctx,
        write_csv(tmp_path / "m.csv", MERCHANT_HEADERS_ZH, [merchant_row(70), merchant_row(71)]),
        kind=ImportKind.MERCHANTS,
    )
    row = ["SN70", "", "新大陆", "N910", "", "", "", "", "", merchant_no(70), "", "", ""]
    imports.run_import(admin_ctx, write_csv(tmp_path / "a.csv", TERMINAL_HEADERS, [row]), kind=ImportKind.TERMINALS)
    row[9] = merchant_no(71)
    preview = imports.preview_import(admin_ctx, ImportKind.TERMINALS, write_csv(tmp_path / "b.csv", TERMINAL_HEADERS, [row]))
    assert preview.rows[0].messages == ["商户编号: Terminal SN70 is bound to another merchant; unbind it first."]


# What one merchant row may cost: SAVEPOINT, the service's own statements, audit, search index.
STATEMENTS_PER_ROW = 20


# --- a big file ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ten_thousand_rows_import_with_progress_and_few_queries(admin_ctx: Context, tmp_path: Path) -> None:
    total = 10_000
    rows = [merchant_row(n) for n in range(1000, 1000 + total)]
    rows[5000] = merchant_row(6000, 手机="12345")
    path = write_csv(tmp_path / "big.csv", MERCHANT_HEADERS_ZH, rows, encoding="gbk")
    seen: list[tuple[int, int]] = []
    queries_before = admin_ctx.db.query_count
    started = time.perf_counter()
    result = imports.run_import(admin_ctx, path, kind=ImportKind.MERCHANTS, progress=lambda d, t: seen.append((d, t)))
    elapsed = time.perf_counter() - started
    queries = admin_ctx.db.query_count - queries_before
    print(f"\n10,000-row merchant import: {elapsed:.1f} s, {queries / total:.1f} statements per row")
    assert (result.created, result.failed) == (total - 1, 1)
    assert seen[-1] == (total, total)
    done = [d for d, _t in seen]
    assert done == sorted(done) and len(set(done)) == len(done) and len(done) >= total // 500
    assert {t for _d, t in seen} == {total}
    assert queries / total < STATEMENTS_PER_ROW
    assert table_count(admin_ctx.db, "merchant") == total - 1


def test_statements_per_row_do_not_grow_with_the_file(admin_ctx: Context, tmp_path: Path) -> None:
    def statements(first: int, count: int) -> int:
        path = write_csv(tmp_path / f"m{first}.csv", MERCHANT_HEADERS_ZH, [merchant_row(n) for n in range(first, first + count)])
        before = admin_ctx.db.query_count
        imports.run_import(admin_ctx, path, kind=ImportKind.MERCHANTS)
        return admin_ctx.db.query_count - before

    small, large = statements(100, 50), statements(200, 200)
    # A small constant per row (the row's own statements and its search index entries), the same
    # for a short file and a four times longer one: nothing is re-read per row.
    assert large / 200 < STATEMENTS_PER_ROW
    assert large / 200 <= small / 50 + 1
