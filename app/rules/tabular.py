"""Spreadsheet rules for importing and exporting merchants and terminals; pure, no I/O.

Which columns each kind has and the headers people write for them (Chinese or English), how a
header is recognised, how the bytes of a CSV file are decoded (UTF-8, UTF-8 with BOM, GBK/GB18030),
how dates and yuan amounts are read, and how a text cell is neutralised so that Excel never runs it
as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from app import i18n
from app.i18n import _
from app.models.imports import ImportKind
from app.models.merchant import MerchantStatus, RiskLevel
from app.models.terminal import DepositStatus, TerminalStatus, TerminalType
from app.rules import terminals as terminal_rules
from app.rules.validation import FormatError, compact, normalize


class ValueKind(StrEnum):
    TEXT = "text"  # free text: full-width characters normalised, ends stripped
    CODE = "code"  # numbers people group with spaces or hyphens: compacted
    PHONE = "phone"  # landline: kept as written, the service reads it
    DATE = "date"
    MONEY = "money"  # yuan in the file, integer fen in the record
    RISK = "risk"
    MERCHANT_STATUS = "merchant_status"
    DEPOSIT_STATUS = "deposit_status"
    # Written by exports, recognised and skipped by imports.
    TERMINAL_STATUS = "terminal_status"
    TERMINAL_TYPE = "terminal_type"
    IGNORED = "ignored"


@dataclass(frozen=True)
class Column:
    """One column of a kind's spreadsheet."""

    field: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    kind: ValueKind = ValueKind.TEXT
    importable: bool = True
    exportable: bool = True
    width: int = 14  # export column width, in characters

    def header(self, language: str | None = None) -> str:
        """The header in `language` (default: the current language)."""
        return self.zh if (language or i18n.current_language()) == "zh_CN" else self.en

    def keys(self) -> set[str]:
        return {header_key(h) for h in (self.field, self.zh, self.en, *self.aliases)} - {""}


MERCHANT_COLUMNS: tuple[Column, ...] = (
    Column(
        "merchant_no",
        "商户编号",
        "Merchant no.",
        ("商户号", "商户代码", "merchant no", "merchant number", "MID"),
        ValueKind.CODE,
        width=18,
    ),
    Column(
        "legal_name",
        "商户名称",
        "Legal name",
        ("营业执照名称", "企业名称", "注册名称", "商户全称", "merchant name"),
        width=30,
    ),
    Column(
        "shop_name",
        "招牌名",
        "Shop name",
        ("店铺名称", "招牌名称", "门店名称", "店名", "商户简称"),
        width=20,
    ),
    Column(
        "uscc",
        "统一社会信用代码",
        "Unified social credit code",
        ("USCC", "信用代码", "社会信用代码", "营业执照号"),
        ValueKind.CODE,
        width=22,
    ),
    Column("mcc", "MCC", "MCC", ("商户类别码", "行业类别码"), ValueKind.CODE, width=8),
    Column(
        "legal_rep",
        "法定代表人",
        "Legal representative",
        ("法人", "法人代表", "法人姓名", "legal rep"),
        width=12,
    ),
    Column(
        "legal_rep_id_no",
        "法人身份证号",
        "Resident ID no.",
        (
            "法定代表人身份证号",
            "法人身份证号码",
            "身份证号",
            "身份证号码",
            "legal rep ID no",
            "ID no",
            "ID number",
        ),
        ValueKind.CODE,
        width=22,
    ),
    Column(
        "contact_name",
        "联系人",
        "Contact person",
        ("contact", "contact name", "联系人姓名"),
        width=12,
    ),
    Column(
        "mobile",
        "手机",
        "Mobile",
        ("手机号", "手机号码", "联系手机", "mobile phone", "mobile no"),
        ValueKind.CODE,
        width=14,
    ),
    Column(
        "landline",
        "固定电话",
        "Landline",
        ("座机", "固话", "电话", "telephone", "phone"),
        ValueKind.PHONE,
        width=16,
    ),
    Column("province", "省", "Province", ("省份",), width=10),
    Column("city", "市", "City", ("城市",), width=10),
    Column("district", "区", "District", ("区县", "县区", "县"), width=10),
    Column("address", "地址", "Address", ("详细地址", "经营地址", "营业地址"), width=36),
    Column("risk_level", "风险等级", "Risk level", ("风险", "risk"), ValueKind.RISK, width=10),
    Column(
        "status",
        "状态",
        "Status",
        ("商户状态", "merchant status"),
        ValueKind.MERCHANT_STATUS,
        width=10,
    ),
    Column(
        "onboarding_date",
        "入网日期",
        "Onboarding date",
        ("入网时间", "进件日期", "onboarded"),
        ValueKind.DATE,
        width=12,
    ),
    Column("notes", "备注", "Notes", ("note", "remarks", "说明"), width=30),
)

TERMINAL_COLUMNS: tuple[Column, ...] = (
    Column(
        "serial_no",
        "序列号",
        "Serial no. (SN)",
        ("SN", "机身号", "机身序列号", "终端序列号", "serial no", "serial number"),
        ValueKind.CODE,
        width=20,
    ),
    Column(
        "terminal_no",
        "终端号",
        "Terminal no.",
        ("终端编号", "terminal number", "TID"),
        ValueKind.CODE,
        width=12,
    ),
    Column("brand", "品牌", "Brand", ("厂商", "厂家", "manufacturer"), width=12),
    Column("model", "型号", "Model", ("机型", "终端型号"), width=14),
    Column(
        "terminal_type",
        "类型",
        "Type",
        ("终端类型", "terminal type"),
        ValueKind.TERMINAL_TYPE,
        importable=False,
        width=10,
    ),
    Column("acquirer", "收单机构", "Acquirer", ("收单行", "收单方"), width=16),
    Column(
        "sim_iccid",
        "SIM卡号",
        "SIM ICCID",
        ("ICCID", "SIM", "SIM卡", "SIM卡ICCID"),
        ValueKind.CODE,
        width=22,
    ),
    Column(
        "firmware_version", "固件版本", "Firmware version", ("版本", "固件", "firmware"), width=14
    ),
    Column(
        "purchase_date",
        "购买日期",
        "Purchase date",
        ("采购日期", "购机日期"),
        ValueKind.DATE,
        width=12,
    ),
    Column(
        "activation_date", "激活日期", "Activation date", ("开通日期",), ValueKind.DATE, width=12
    ),
    Column(
        "status",
        "状态",
        "Status",
        ("终端状态", "terminal status"),
        ValueKind.TERMINAL_STATUS,
        importable=False,
        width=10,
    ),
    Column(
        "merchant_no",
        "商户编号",
        "Merchant no.",
        ("商户号", "所属商户编号", "merchant no", "merchant number", "holder"),
        ValueKind.CODE,
        width=18,
    ),
    Column(
        "merchant_name",
        "商户名称",
        "Merchant name",
        ("商户", "所属商户"),
        ValueKind.IGNORED,
        importable=False,
        width=24,
    ),
    Column("location", "安装位置", "Location", ("位置", "装机位置", "摆放位置"), width=20),
    Column(
        "deposit_fen",
        "押金(元)",
        "Deposit (yuan)",
        ("押金", "押金金额", "deposit"),
        ValueKind.MONEY,
        width=10,
    ),
    Column("deposit_status", "押金状态", "Deposit status", (), ValueKind.DEPOSIT_STATUS, width=10),
    Column("notes", "备注", "Notes", ("note", "remarks", "说明"), width=30),
)

# Export-only lists of the warranty area: terminals whose warranty ends soon, terminals with no
# coverage (same columns), and service contracts that end soon.
EXPIRING_TERMINAL_COLUMNS: tuple[Column, ...] = (
    Column("serial_no", "序列号", "Serial no. (SN)", kind=ValueKind.CODE, importable=False, width=20),
    Column("terminal_no", "终端号", "Terminal no.", kind=ValueKind.CODE, importable=False, width=12),
    Column("brand", "品牌", "Brand", importable=False, width=12),
    Column("model", "型号", "Model", importable=False, width=14),
    Column("merchant_no", "商户编号", "Merchant no.", kind=ValueKind.CODE, importable=False, width=18),
    Column("merchant_name", "商户名称", "Merchant name", importable=False, width=24),
    Column("policy_name", "保修政策", "Warranty policy", importable=False, width=18),
    Column(
        "warranty_end", "保修截止日期", "Warranty ends", kind=ValueKind.DATE, importable=False, width=14
    ),
)

EXPIRING_CONTRACT_COLUMNS: tuple[Column, ...] = (
    Column("contract_no", "合同编号", "Contract no.", kind=ValueKind.CODE, importable=False, width=24),
    Column("merchant_no", "商户编号", "Merchant no.", kind=ValueKind.CODE, importable=False, width=18),
    Column("merchant_name", "商户名称", "Merchant name", importable=False, width=24),
    Column("status", "状态", "Status", importable=False, width=10),
    Column("start_date", "开始日期", "Start date", kind=ValueKind.DATE, importable=False, width=12),
    Column("end_date", "结束日期", "End date", kind=ValueKind.DATE, importable=False, width=12),
    Column("response_hours", "响应时限(小时)", "Response (hours)", importable=False, width=14),
    Column("resolution_hours", "修复时限(小时)", "Resolution (hours)", importable=False, width=14),
    Column("terminals", "覆盖终端", "Terminals", importable=False, width=12),
    Column("fee_fen", "费用(元)", "Fee (yuan)", kind=ValueKind.MONEY, importable=False, width=12),
)

# The column an error file adds; an import recognises it and skips it.
ERROR_COLUMN = Column(
    "_error",
    "错误",
    "error",
    ("错误 / error", "错误原因", "errors"),
    ValueKind.IGNORED,
    importable=False,
    exportable=False,
    width=40,
)
ERROR_HEADER = "错误 / error"

# The column that names a row: merchants by merchant no., terminals by serial no.
KEY_FIELDS: dict[ImportKind, str] = {
    ImportKind.MERCHANTS: "merchant_no",
    ImportKind.TERMINALS: "serial_no",
}


def columns_for(kind: ImportKind) -> tuple[Column, ...]:
    return MERCHANT_COLUMNS if kind == ImportKind.MERCHANTS else TERMINAL_COLUMNS


def export_columns(kind: ImportKind) -> tuple[Column, ...]:
    return tuple(c for c in columns_for(kind) if c.exportable)


def column_for_field(kind: ImportKind, name: str) -> Column | None:
    for column in columns_for(kind):
        if column.field == name:
            return column
    return None


# --- headers ------------------------------------------------------------------------------------

_PARENTHESISED = re.compile(r"\([^()]*\)")
_HEADER_NOISE = re.compile(r"[\s_\-./*:：#\[\]【】]+")


def header_key(text: str) -> str:
    """What a header is compared by: half-width, no case, no spaces, marks or "(unit)" notes."""
    value = normalize(str(text)).casefold()
    value = _PARENTHESISED.sub("", value) or value
    return _HEADER_NOISE.sub("", value)


@dataclass
class HeaderMatch:
    """Which column of the file holds which field."""

    fields: dict[str, int] = field(default_factory=dict)  # field -> index in the row
    headers: dict[str, str] = field(default_factory=dict)  # field -> header as written
    ignored: list[str] = field(default_factory=list)  # headers no column of this kind uses
    error_index: int | None = None  # the "错误 / error" column of an error file


def match_headers(kind: ImportKind, headers: Sequence[str]) -> HeaderMatch:
    """Map the file's headers onto this kind's columns; the first of two equal headers wins."""
    by_key: dict[str, Column] = {}
    for column in columns_for(kind):
        for key in column.keys():
            by_key.setdefault(key, column)
    error_keys = ERROR_COLUMN.keys()
    match = HeaderMatch()
    for index, raw in enumerate(headers):
        text = normalize(str(raw or ""))
        if not text:
            continue
        key = header_key(text)
        if key in error_keys and match.error_index is None:
            match.error_index = index
            continue
        found = by_key.get(key)
        if found is None or not found.importable or found.field in match.fields:
            match.ignored.append(text)
            continue
        match.fields[found.field] = index
        match.headers[found.field] = text
    return match


# --- text files -----------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in.

    A BOM decides; otherwise strict UTF-8, else GB18030 (a superset of GBK and GB2312: what Excel
    on a Chinese Windows writes as "CSV").
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", "UTF-8 BOM")]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", "UTF-16")]
    else:
        candidates = [("utf-8", "UTF-8"), ("gb18030", "GB18030")]
    for codec, name in candidates:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise FormatError(_("The file is not text in UTF-8 or GB18030/GBK; save it from Excel as CSV or XLSX."))


# --- cells ----------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_EXACT_FLOAT = 2**53  # every whole number below this is exact in a spreadsheet cell
# Excel serial numbers of 1927-10-10 .. 2173-10-14: a number in a date column within this range
# is a date cell formatted as a number.
_SERIAL_RANGE = (10000, 100000)


def _excel_serial_date(value: float) -> date | None:
    if _SERIAL_RANGE[0] <= value < _SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    return None


def cell_text(value: Any, kind: ValueKind = ValueKind.TEXT) -> str:
    """A spreadsheet cell as text: numbers without ".0", dates as 2026-01-05."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0) or (
            kind == ValueKind.DATE
        ):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        if kind == ValueKind.DATE:
            day = _excel_serial_date(float(value))
            if day is not None:
                return day.isoformat()
        if isinstance(value, float) and value.is_integer():
            if abs(value) < _EXACT_FLOAT:
                return str(int(value))
            # Digits beyond 15-16 are already lost: show what Excel kept, so the row says so.
            return f"{value:.16G}"
        if isinstance(value, Decimal):
            return format(value, "f")
        return str(value)
    return str(value).strip()


_DATE_PATTERNS = (
    re.compile(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
        r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    ),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_date(value: Any) -> date | None:
    """A date written as 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日, 20260105 or an Excel date."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = _excel_serial_date(float(value))
        if day is None:
            raise FormatError(
                _("{value} is not a date; write it as 2026-01-05.").format(value=value)
            )
        return day
    text = normalize(str(value))
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                break
    raise FormatError(_("{value} is not a date; write it as 2026-01-05.").format(value=text))


_MAX_YUAN = Decimal(10) ** 12
_MONEY_NOISE = re.compile(r"[\s,¥￥]|元|RMB|CNY", re.IGNORECASE)


def parse_yuan(value: Any) -> int | None:
    """An amount in yuan ("299", "299.50", "¥1,299.00", 299.5) as integer fen."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        text = str(value)
    else:
        text = _MONEY_NOISE.sub("", normalize(str(value)))
        if not text:
            return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    # The bound keeps the amount inside a 64-bit column; nobody's deposit comes near it.
    if not amount.is_finite() or abs(amount) >= _MAX_YUAN:
        raise FormatError(
            _("{value} is not an amount in yuan, such as 299 or 299.50.").format(value=value)
        )
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise FormatError(_("An amount in yuan has at most two decimals (fen)."))
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


# --- formulas -------------------------------------------------------------------------------------

# A text cell starting with one of these is a formula (or DDE payload) to Excel.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a text cell safe for Excel: a leading = + - @ tab or CR gets a single quote before it.

    Numbers, dates and empty cells stay as they are.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo `neutralise`, so that an exported or error file imports the values it shows."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


# --- choices --------------------------------------------------------------------------------------

# code -> (Chinese, English) label, for merchant values (terminal ones live in rules/terminals).
RISK_LABELS: dict[RiskLevel, tuple[str, str]] = {
    RiskLevel.LOW: ("低", "low"),
    RiskLevel.MEDIUM: ("中", "medium"),
    RiskLevel.HIGH: ("高", "high"),
}
MERCHANT_STATUS_LABELS: dict[MerchantStatus, tuple[str, str]] = {
    MerchantStatus.ACTIVE: ("正常", "active"),
    MerchantStatus.SUSPENDED: ("暂停", "suspended"),
    MerchantStatus.CLOSED: ("已注销", "closed"),
}
# Further words people write for each value.
_RISK_ALIASES: dict[RiskLevel, tuple[str, ...]] = {
    RiskLevel.LOW: ("低风险", "低级", "L"),
    RiskLevel.MEDIUM: ("中风险", "中等", "中级", "M", "mid"),
    RiskLevel.HIGH: ("高风险", "高级", "H"),
}
_MERCHANT_STATUS_ALIASES: dict[MerchantStatus, tuple[str, ...]] = {
    MerchantStatus.ACTIVE: ("营业", "营业中", "有效", "启用", "正常营业"),
    MerchantStatus.SUSPENDED: ("暂停营业", "停用", "已停用", "冻结"),
    MerchantStatus.CLOSED: ("关闭", "已关闭", "注销", "销户"),
}
_DEPOSIT_ALIASES: dict[DepositStatus, tuple[str, ...]] = {
    DepositStatus.NONE: ("无", "无押金", "未收", "免押", "none", "no deposit"),
    DepositStatus.HELD: ("已收", "已收取", "已交", "已缴", "held"),
    DepositStatus.REFUND_PENDING: ("待退还", "退还中", "退款中", "待退", "refund pending"),
    DepositStatus.REFUNDED: ("已退还", "已退", "已退款", "refunded"),
    DepositStatus.FORFEITED: ("已扣除", "扣除", "没收", "已没收", "forfeited"),
}


def _label(labels: tuple[str, str], language: str | None = None) -> str:
    return labels[0] if (language or i18n.current_language()) == "zh_CN" else labels[1]


def risk_label(value: RiskLevel | str, language: str | None = None) -> str:
    return _label(RISK_LABELS[RiskLevel(value)], language)


def merchant_status_label(value: MerchantStatus | str, language: str | None = None) -> str:
    return _label(MERCHANT_STATUS_LABELS[MerchantStatus(value)], language)


def _words(code: StrEnum, *groups: Iterable[str]) -> set[str]:
    words = {header_key(code.value)}
    for group in groups:
        words.update(header_key(w) for w in group)
    return words - {""}


def _choose(text: str, table: Mapping[Any, set[str]], shown: Sequence[str]) -> Any:
    key = header_key(text)
    for code, words in table.items():
        if key in words:
            return code
    raise FormatError(
        _("{value} is not one of: {choices}.").format(value=text, choices=", ".join(shown))
    )


def risk_from_text(text: str) -> RiskLevel:
    table = {r: _words(r, RISK_LABELS[r], _RISK_ALIASES[r]) for r in RiskLevel}
    return _choose(text, table, [risk_label(r) for r in RiskLevel])  # type: ignore[no-any-return]


def merchant_status_from_text(text: str) -> MerchantStatus:
    table = {
        s: _words(s, MERCHANT_STATUS_LABELS[s], _MERCHANT_STATUS_ALIASES[s]) for s in MerchantStatus
    }
    shown = [merchant_status_label(s) for s in MerchantStatus]
    return _choose(text, table, shown)  # type: ignore[no-any-return]


def deposit_status_from_text(text: str) -> DepositStatus:
    table = {
        d: _words(d, _DEPOSIT_ALIASES[d], (terminal_rules.deposit_label(d),)) for d in DepositStatus
    }
    shown = [terminal_rules.deposit_label(d) for d in DepositStatus]
    return _choose(text, table, shown)  # type: ignore[no-any-return]


def choice_label(kind: ValueKind, value: str) -> str:
    """How an export writes a coded value, in the current language."""
    if kind == ValueKind.RISK:
        return risk_label(value)
    if kind == ValueKind.MERCHANT_STATUS:
        return merchant_status_label(value)
    if kind == ValueKind.DEPOSIT_STATUS:
        return terminal_rules.deposit_label(value)
    if kind == ValueKind.TERMINAL_STATUS:
        return terminal_rules.status_label(TerminalStatus(value))
    if kind == ValueKind.TERMINAL_TYPE:
        return terminal_rules.type_label(TerminalType(value))
    return value


# --- rows -----------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """A row's non-empty cells as record values, and the cells that could not be read."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # field -> reason


_SHORTENED_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?E\+?\d+", re.IGNORECASE)


def _parse_value(kind: ValueKind, text: str) -> Any:
    if kind == ValueKind.CODE:
        value = compact(text)
        if _SHORTENED_NUMBER.fullmatch(value):
            raise FormatError(
                _(
                    "Excel shortened this number to {value}; format the column as text, type the "
                    "number again, or import the .xlsx file."
                ).format(value=value)
            )
        return value
    if kind == ValueKind.DATE:
        return parse_date(text)
    if kind == ValueKind.MONEY:
        return parse_yuan(text)
    if kind == ValueKind.RISK:
        return risk_from_text(text)
    if kind == ValueKind.MERCHANT_STATUS:
        return merchant_status_from_text(text)
    if kind == ValueKind.DEPOSIT_STATUS:
        return deposit_status_from_text(text)
    return normalize(text)


def parse_row(kind: ImportKind, match: HeaderMatch, cells: Sequence[str]) -> ParsedRow:
    """Read one row's cells into record values; an empty cell gives no value."""
    parsed = ParsedRow()
    for column in columns_for(kind):
        index = match.fields.get(column.field)
        if index is None or index >= len(cells):
            continue
        text = unneutralise(cells[index].strip())
        if not normalize(text):
            continue
        try:
            parsed.values[column.field] = _parse_value(column.kind, text)
        except FormatError as exc:
            parsed.errors[column.field] = exc.reason
    return parsed
