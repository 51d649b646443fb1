"""Spreadsheet rules: headers, encodings, dates, yuan, choices and formula neutralisation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from app import i18n
from app.models.imports import ImportKind
from app.models.merchant import MerchantStatus, RiskLevel
from app.models.terminal import DepositStatus
from app.rules import tabular
from app.rules.tabular import ValueKind
from app.rules.validation import FormatError, normalize

# --- headers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("商户编号", "merchant_no"),
        (" 商户号 ", "merchant_no"),
        ("Merchant No.", "merchant_no"),
        ("merchant_no", "merchant_no"),
        ("ＭＥＲＣＨＡＮＴ　ＮＯ．", "merchant_no"),
        ("*商户编号", "merchant_no"),
        ("商户名称", "legal_name"),
        ("Legal Name", "legal_name"),
        ("店铺名称", "shop_name"),
        ("招牌名", "shop_name"),
        ("usc c", "uscc"),
        ("统一社会信用代码", "uscc"),
        ("法人身份证号", "legal_rep_id_no"),
        ("手机号", "mobile"),
        ("固定电话", "landline"),
        ("省", "province"),
        ("风险等级", "risk_level"),
        ("入网日期", "onboarding_date"),
    ],
)
def test_merchant_headers_in_chinese_and_english(header: str, field: str) -> None:
    match = tabular.match_headers(ImportKind.MERCHANTS, [header])
    assert match.fields == {field: 0}
    assert match.headers == {field: normalize(header)}  # the header as the file writes it


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("SN", "serial_no"),
        ("序列号", "serial_no"),
        ("Serial no. (SN)", "serial_no"),
        ("ICCID", "sim_iccid"),
        ("SIM卡号", "sim_iccid"),
        ("押金(元)", "deposit_fen"),
        ("押金（元）", "deposit_fen"),
        ("Deposit (yuan)", "deposit_fen"),
        ("押金状态", "deposit_status"),
        ("商户编号", "merchant_no"),
        ("收单机构", "acquirer"),
    ],
)
def test_terminal_headers(header: str, field: str) -> None:
    assert tabular.match_headers(ImportKind.TERMINALS, [header]).fields == {field: 0}


def test_unknown_repeated_export_only_and_error_columns() -> None:
    headers = ["商户编号", "微信", "merchant no", "", "状态", "错误 / error"]
    match = tabular.match_headers(ImportKind.MERCHANTS, headers)
    assert match.fields == {"merchant_no": 0, "status": 4}
    assert match.ignored == ["微信", "merchant no"]
    assert match.error_index == 5
    terminal = tabular.match_headers(ImportKind.TERMINALS, ["SN", "状态", "类型"])
    assert terminal.fields == {"serial_no": 0}
    assert terminal.ignored == ["状态", "类型"]  # written by exports, never imported


def test_headers_follow_the_language() -> None:
    column = tabular.column_for_field(ImportKind.MERCHANTS, "merchant_no")
    assert column is not None
    assert column.header("en") == "Merchant no."
    i18n.set_language("zh_CN")
    assert column.header() == "商户编号"
    assert tabular.risk_label(RiskLevel.HIGH) == "高"
    i18n.set_language("en")
    assert tabular.risk_label(RiskLevel.HIGH) == "high"


def test_every_column_has_distinct_keys_within_its_kind() -> None:
    for kind in ImportKind:
        seen: dict[str, str] = {}
        for column in tabular.columns_for(kind):
            for key in column.keys():
                assert seen.setdefault(key, column.field) == column.field, (kind, key)


# --- text encodings ------------------------------------------------------------------------------------

TEXT = "商户编号,商户名称\n822584050000001,深圳市南山区张记便利店\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (TEXT.encode("utf-8-sig"), "UTF-8 BOM"),
        (TEXT.encode("gbk"), "GB18030"),
        (TEXT.encode("gb18030"), "GB18030"),
        (TEXT.encode("utf-16"), "UTF-16"),
    ],
)
def test_decode_text(data: bytes, encoding: str) -> None:
    assert tabular.decode_text(data) == (TEXT, encoding)


def test_gb18030_only_characters_and_undecodable_bytes() -> None:
    rare = "𠮷野家,䶮\n"  # outside GBK, inside GB18030
    assert tabular.decode_text(rare.encode("gb18030")) == (rare, "GB18030")
    with pytest.raises(FormatError):
        tabular.decode_text(b"\xef\xbb\xbf\xff\xfe\xfd")


# --- cells, dates and money ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (None, ValueKind.TEXT, ""),
        (822584050000001, ValueKind.CODE, "822584050000001"),
        (822584050000001.0, ValueKind.CODE, "822584050000001"),
        (299.5, ValueKind.MONEY, "299.5"),
        (datetime(2026, 1, 5), ValueKind.DATE, "2026-01-05"),
        (datetime(2026, 1, 5, 9, 30), ValueKind.TEXT, "2026-01-05 09:30:00"),
        (date(2026, 1, 5), ValueKind.TEXT, "2026-01-05"),
        (46027, ValueKind.DATE, "2026-01-05"),  # an Excel serial number in a date column
        (46027, ValueKind.TEXT, "46027"),
        ("  文本 ", ValueKind.TEXT, "文本"),
        (True, ValueKind.TEXT, "TRUE"),
    ],
)
def test_cell_text(value: object, kind: ValueKind, text: str) -> None:
    assert tabular.cell_text(value, kind) == text


@pytest.mark.parametrize(
    "value",
    ["2026-01-05", "2026/1/5", "2026.1.5", "2026年1月5日", "2026 年 1 月 5 日", "２０２６－０１－０５",
     "20260105", "2026/1/5 0:00", "2026-01-05 00:00:00", datetime(2026, 1, 5, 8), date(2026, 1, 5), 46027],
)
def test_parse_date(value: object) -> None:
    assert tabular.parse_date(value) == date(2026, 1, 5)


@pytest.mark.parametrize("value", ["2026-02-30", "5/1/2026", "明天", "2026-1", 12])
def test_parse_date_refuses(value: object) -> None:
    with pytest.raises(FormatError) as err:
        tabular.parse_date(value)
    assert "2026-01-05" in err.value.reason


def test_parse_date_empty() -> None:
    assert tabular.parse_date("  ") is None and tabular.parse_date(None) is None


@pytest.mark.parametrize(
    ("value", "fen"),
    [("299", 29900), ("299.5", 29950), ("299.50", 29950), ("¥1,299.00", 129900), ("￥ 30 元", 3000),
     ("２９９．５", 29950), (299.5, 29950), (300, 30000), (Decimal("0.01"), 1), ("-5", -500), ("", None)],
)
def test_parse_yuan(value: object, fen: int | None) -> None:
    assert tabular.parse_yuan(value) == fen


@pytest.mark.parametrize("value", ["abc", "1.234", "1e400", "NaN", "12元5角"])
def test_parse_yuan_refuses(value: str) -> None:
    with pytest.raises(FormatError):
        tabular.parse_yuan(value)


def test_fen_to_yuan() -> None:
    assert tabular.fen_to_yuan(29950) == Decimal("299.50")
    assert str(tabular.fen_to_yuan(0)) == "0.00"


# --- formulas ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+86 138", "'+86 138"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("普通文本", "普通文本"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (1.5, 1.5),
        (None, None),
        (date(2026, 1, 5), date(2026, 1, 5)),
    ],
)
def test_neutralise(value: object, safe: object) -> None:
    assert tabular.neutralise(value) == safe
    if isinstance(value, str):
        assert tabular.unneutralise(tabular.neutralise(value)) == value


def test_unneutralise_leaves_other_quotes() -> None:
    assert tabular.unneutralise("'quoted'") == "'quoted'"


# --- choices and rows ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "risk"),
    [("低", RiskLevel.LOW), ("low", RiskLevel.LOW), ("LOW", RiskLevel.LOW), ("中风险", RiskLevel.MEDIUM),
     ("medium", RiskLevel.MEDIUM), ("高", RiskLevel.HIGH), ("High", RiskLevel.HIGH)],
)
def test_risk_levels(text: str, risk: RiskLevel) -> None:
    assert tabular.risk_from_text(text) == risk


def test_statuses_and_deposits_in_both_languages() -> None:
    assert tabular.merchant_status_from_text("正常") == MerchantStatus.ACTIVE
    assert tabular.merchant_status_from_text("Suspended") == MerchantStatus.SUSPENDED
    assert tabular.merchant_status_from_text("已关闭") == MerchantStatus.CLOSED
    assert tabular.deposit_status_from_text("已收取") == DepositStatus.HELD
    assert tabular.deposit_status_from_text("refund pending") == DepositStatus.REFUND_PENDING
    assert tabular.deposit_status_from_text("已扣除") == DepositStatus.FORFEITED
    with pytest.raises(FormatError) as err:
        tabular.risk_from_text("很高")
    assert err.value.reason == "很高 is not one of: low, medium, high."


def test_parse_row_converts_and_collects_errors() -> None:
    headers = ["商户编号", "商户名称", "风险等级", "入网日期", "手机", "备注", "状态"]
    match = tabular.match_headers(ImportKind.MERCHANTS, headers)
    cells = ["８２２ ５８４０５０ ０００００１", "'=1+1", "高", "2026年13月1日", "138-0013-8000", "  ", "x"]
    parsed = tabular.parse_row(ImportKind.MERCHANTS, match, cells)
    assert parsed.values == {
        "merchant_no": "822584050000001",
        "legal_name": "=1+1",
        "risk_level": RiskLevel.HIGH,
        "mobile": "13800138000",
    }
    assert set(parsed.errors) == {"onboarding_date", "status"}


def test_export_columns_are_importable_again() -> None:
    for kind in ImportKind:
        headers = [c.header("zh_CN") for c in tabular.export_columns(kind)]
        match = tabular.match_headers(kind, headers)
        importable = {c.field for c in tabular.columns_for(kind) if c.importable}
        assert set(match.fields) == importable
        english = tabular.match_headers(kind, [c.header("en") for c in tabular.export_columns(kind)])
        assert set(english.fields) == importable


def test_numbers_excel_shortened_are_named_not_imported() -> None:
    # An 18-digit ID typed into Excel as a number: its last digits are gone.
    assert tabular.cell_text(440305198506120011.0, ValueKind.CODE) == "4.4030519850612E+17"
    match = tabular.match_headers(ImportKind.MERCHANTS, ["商户编号", "法人身份证号", "手机"])
    parsed = tabular.parse_row(
        ImportKind.MERCHANTS, match, ["8.22584E+14", "4.403051985061200E+17", "13800138000"]
    )
    assert set(parsed.errors) == {"merchant_no", "legal_rep_id_no"}
    assert parsed.errors["merchant_no"].startswith("Excel shortened this number to 8.22584E+14")
    assert parsed.values == {"mobile": "13800138000"}
