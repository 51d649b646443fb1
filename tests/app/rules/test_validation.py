"""Tests for app.rules.validation."""

from __future__ import annotations

import ast
import inspect
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules import validation as v
from app.rules.validation import (
    FormatError,
    compact,
    mask_id,
    mask_phone,
    normalize,
    validate_landline,
    validate_merchant_no,
    validate_mobile,
    validate_phone,
    validate_resident_id,
    validate_terminal_no,
    validate_uscc,
)

TODAY = date(2024, 6, 15)

# Independent reimplementations of the two check algorithms, used for generated cases only.
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def id_check(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def uscc_check(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def reason_of(func: object, raw: str, **kwargs: object) -> str:
    with pytest.raises(FormatError) as info:
        func(raw, **kwargs)  # type: ignore[operator]
    assert isinstance(info.value, ValueError)
    assert info.value.reason == str(info.value)
    return info.value.reason


# --- normalize / compact ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１３８００１３８０００", "13800138000"),
        ("  abc  ", "abc"),
        ("\u3000张三\u3000", "张三"),
        ("ＡＢＣ－１２３", "ABC-123"),
        ("（０７５５）", "(0755)"),
        ("北京市海淀区", "北京市海淀区"),
        ("a\u3000b", "a b"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        (" １３８－００１３\u3000８０００ ", "13800138000"),
        ("a\tb\nc", "abc"),
        ("", ""),
    ],
)
def test_compact(raw: str, expected: str) -> None:
    assert compact(raw) == expected


@given(st.text())
def test_normalize_is_idempotent_and_keeps_cjk(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert not any(0xFF01 <= ord(c) <= 0xFF5E or c == "\u3000" for c in once)
    assert [c for c in text if "\u4e00" <= c <= "\u9fff"] == [
        c for c in once if "\u4e00" <= c <= "\u9fff"
    ]


# --- mobile -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        " 13800138000 ",
        "138 0013 8000",
        "138-0013-8000",
        "１３８００１３８０００",
        "+86 138 0013 8000",
        "+8613800138000",
        "8613800138000",
        "0086 13800138000",
        "+86-138-0013-8000",
    ],
)
def test_mobile_valid(raw: str) -> None:
    assert validate_mobile(raw) == "13800138000"


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_mobile_all_prefixes(prefix: str) -> None:
    assert validate_mobile(prefix + "912345678") == prefix + "912345678"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "1380013800",
        "138001380001",
        "12800138000",
        "10800138000",
        "23800138000",
        "1380013800a",
        "+87 13800138000",
        "+86",
        "010-12345678",
    ],
)
def test_mobile_invalid(raw: str) -> None:
    assert reason_of(validate_mobile, raw) == (
        "A mobile number has 11 digits and starts with 13 to 19."
    )


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mobile_roundtrip(number: str) -> None:
    assert validate_mobile(number) == number
    spaced = f"{number[:3]} {number[3:7]}-{number[7:]}"
    assert validate_mobile("+86 " + spaced) == number


# --- landline ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("010 6234567", "010-6234567"),
        ("(0755) 8888 6666", "0755-88886666"),
        ("(0755)62345678", "0755-62345678"),
        ("（０７５５）６２３４５６７８", "0755-62345678"),
        ("0755-8888-6666", "0755-88886666"),
        ("075588886666", "0755-88886666"),
        ("0571-87654321", "0571-87654321"),
        ("021 62345678 转 801", "021-62345678-801"),
        ("021-62345678转801", "021-62345678-801"),
        ("0755-62345678-123", "0755-62345678-123"),
        ("0755-62345678 - 123456", "0755-62345678-123456"),
        ("010-6234567-1", "010-6234567-1"),
        ("029-88886666", "029-88886666"),
        ("0931-8123456", "0931-8123456"),
        ("  020-38886666  ", "020-38886666"),
    ],
)
def test_landline_valid(raw: str, expected: str) -> None:
    assert validate_landline(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12345678",  # no area code
        "0755-01234567",  # local starts with 0
        "0755-12345678",  # local starts with 1
        "010-1234567",  # local starts with 1
        "0755-123456",  # local too short
        "0755-623456789",  # local too long
        "0012-62345678",  # area code cannot start with 00
        "011-62345678",  # 01x other than 010 does not exist
        "0755-62345678-6234567",  # extension too long
        "0755-62345678转",  # empty extension
        "0755-62345678转abc",
        "0755)62345678",
        "(0755)(62345678)",
        "(07)55-62345678",
        "0755-1234abcd",
        "0755/62345678",
        "13800138000",
    ],
)
def test_landline_invalid(raw: str) -> None:
    assert reason_of(validate_landline, raw) == (
        "A landline number needs the area code and 7 or 8 digits, such as 0755-26881234."
    )


@given(
    area=st.from_regex(r"010|02[0-9]|0[3-9][0-9]{2}", fullmatch=True),
    local=st.from_regex(r"[2-9][0-9]{6,7}", fullmatch=True),
    extension=st.one_of(st.just(""), st.from_regex(r"[0-9]{1,6}", fullmatch=True)),
    style=st.sampled_from(["{a}-{l}", "({a}) {l}", "{a} {l}", "{a}{l}"]),
    ext_style=st.sampled_from(["-{e}", " 转 {e}", "转{e}"]),
)
def test_landline_roundtrip(
    area: str, local: str, extension: str, style: str, ext_style: str
) -> None:
    raw = style.format(a=area, l=local)
    expected = f"{area}-{local}"
    if extension:
        raw += ext_style.format(e=extension)
        expected += f"-{extension}"
    assert validate_landline(raw) == expected
    assert validate_landline(expected) == expected


# --- phone ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+86 138 0013 8000", "13800138000"),
        ("１３９１２３４５６７８", "13912345678"),
        ("010-62345678", "010-62345678"),
        ("(0755) 8888 6666", "0755-88886666"),
        ("021 62345678 转 801", "021-62345678-801"),
    ],
)
def test_phone_valid(raw: str, expected: str) -> None:
    assert validate_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "12800138000", "0755-123", "hello"])
def test_phone_invalid_mentions_both(raw: str) -> None:
    reason = reason_of(validate_phone, raw)
    assert "mobile" in reason and "landline" in reason


# --- resident ID ------------------------------------------------------------------------------

VALID_IDS = [
    "11010519491231002X",  # example from GB 11643-1999
    "11010119900307803X",
    "110101199003074477",
]


@pytest.mark.parametrize("number", VALID_IDS)
def test_resident_id_valid(number: str) -> None:
    assert validate_resident_id(number, today=TODAY) == number
    assert validate_resident_id(number) == number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("110101-19900307-4477", "110101199003074477"),
    ],
)
def test_resident_id_normalized(raw: str, expected: str) -> None:
    assert validate_resident_id(raw, today=TODAY) == expected


LENGTH = "A resident ID number has 18 characters."
CHARS = "A resident ID number has 17 digits followed by a digit or X."
REGION = "A resident ID number cannot start with 0."
BIRTH = "The birth date in this resident ID number is not a valid date."
CHECK = "The check digit of this resident ID number is wrong."


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", LENGTH),
        ("11010519491231002", LENGTH),
        ("11010519491231002X1", LENGTH),
        ("110105491231002", LENGTH),  # old 15-digit numbers are not accepted
        ("1101051949123100XX", CHARS),
        ("11010519491231002Y", CHARS),
        ("X10105194912310029", CHARS),
        ("01010519491231002" + id_check("01010519491231002"), REGION),
        ("11010519490230002" + id_check("11010519490230002"), BIRTH),  # 30 February
        ("11010519491301002" + id_check("11010519491301002"), BIRTH),  # month 13
        ("11010519490100002" + id_check("11010519490100002"), BIRTH),  # day 0
        ("11010520240616002" + id_check("11010520240616002"), BIRTH),  # tomorrow
        ("11010530000101002" + id_check("11010530000101002"), BIRTH),  # far future
        ("440524188001010014", BIRTH),  # correct check digit, born before 1900
        ("110105194912310029", CHECK),
        ("11010519491231002 1", CHECK),
        ("110101199003074478", CHECK),
    ],
)
def test_resident_id_invalid(raw: str, reason: str) -> None:
    assert reason_of(validate_resident_id, raw, today=TODAY) == reason


def test_resident_id_birth_date_bounds() -> None:
    born_today = "110105" + TODAY.strftime("%Y%m%d") + "002"
    assert validate_resident_id(born_today + id_check(born_today), today=TODAY)
    first_day = "11010519000101002"
    assert validate_resident_id(first_day + id_check(first_day), today=TODAY)
    leap = "11010520000229002"
    assert validate_resident_id(leap + id_check(leap), today=TODAY)
    not_leap = "11010519000229002"
    assert reason_of(validate_resident_id, not_leap + id_check(not_leap), today=TODAY) == BIRTH


def test_resident_id_future_relative_to_real_today() -> None:
    tomorrow = date.today() + timedelta(days=1)
    first17 = "110105" + tomorrow.strftime("%Y%m%d") + "002"
    assert reason_of(validate_resident_id, first17 + id_check(first17)) == BIRTH


id_first17 = st.builds(
    lambda region, birth, seq: f"{region}{birth:%Y%m%d}{seq}",
    st.from_regex(r"[1-9][0-9]{5}", fullmatch=True),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.from_regex(r"[0-9]{3}", fullmatch=True),
)


@given(id_first17)
def test_resident_id_generated_valid(first17: str) -> None:
    number = first17 + id_check(first17)
    assert validate_resident_id(number, today=TODAY) == number
    assert validate_resident_id(number.lower(), today=TODAY) == number


@given(id_first17, st.sampled_from("0123456789X"))
def test_resident_id_wrong_check_digit_fails(first17: str, check: str) -> None:
    if check == id_check(first17):
        check = "10X98765432"[("10X98765432".index(check) + 1) % 11]
    assert reason_of(validate_resident_id, first17 + check, today=TODAY) == CHECK


@given(id_first17, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_resident_id_single_digit_error_detected(first17: str, position: int, delta: int) -> None:
    number = first17 + id_check(first17)
    changed = str((int(number[position]) + delta) % 10)
    wrong = number[:position] + changed + number[position + 1 :]
    with pytest.raises(FormatError):
        validate_resident_id(wrong, today=TODAY)


# --- unified social credit code -------------------------------------------------------------

VALID_USCC = [
    "91350100M000100Y43",
    "91110000600037341L",
    "91440300708461136T",
    "9144030071526726XG",
]


@pytest.mark.parametrize("code", VALID_USCC)
def test_uscc_valid(code: str) -> None:
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code
    assert validate_uscc(f" {code[:6]} {code[6:12]}-{code[12:]} ") == code


def test_uscc_full_width() -> None:
    full = "".join(chr(ord(c) + 0xFEE0) for c in "91110000600037341L")
    assert validate_uscc(full) == "91110000600037341L"


USCC_LENGTH = "A unified social credit code has 18 characters."
USCC_CHARS = "A unified social credit code has only digits and letters other than I, O, S, V, Z."
USCC_CHECK = "The last character of this unified social credit code is wrong."


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", USCC_LENGTH),
        ("91350100M000100Y4", USCC_LENGTH),
        ("91350100M000100Y431", USCC_LENGTH),
        ("91350100I000100Y43", USCC_CHARS),
        ("91350100O000100Y43", USCC_CHARS),
        ("91350100Z000100Y43", USCC_CHARS),
        ("91350100S000100Y43", USCC_CHARS),
        ("91350100V000100Y43", USCC_CHARS),
        ("91350100M000100Y4*", USCC_CHARS),
        ("91350100M000100Y4中", USCC_CHARS),
        ("91350100M000100Y44", USCC_CHECK),
        ("91110000600037341K", USCC_CHECK),
        ("91110000600037341", USCC_LENGTH),
    ],
)
def test_uscc_invalid(raw: str, reason: str) -> None:
    assert reason_of(validate_uscc, raw) == reason


uscc_first17 = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17)


@given(uscc_first17)
def test_uscc_generated_valid(first17: str) -> None:
    code = first17 + uscc_check(first17)
    assert validate_uscc(code) == code


@given(uscc_first17, st.sampled_from(USCC_ALPHABET))
def test_uscc_wrong_check_char_fails(first17: str, check: str) -> None:
    if check == uscc_check(first17):
        check = USCC_ALPHABET[(USCC_ALPHABET.index(check) + 1) % 31]
    assert reason_of(validate_uscc, first17 + check) == USCC_CHECK


# --- merchant and terminal numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("102100058120123", "102100058120123"),
        (" 1021 0005 8120 123 ", "102100058120123"),
        ("102-1000-5812-0123", "102100058120123"),
        ("１０２１０００５８１２０１２３", "102100058120123"),
    ],
)
def test_merchant_no_valid(raw: str, expected: str) -> None:
    assert validate_merchant_no(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "10210005812012", "1021000581201234", "10210005812012A", "102100058120.23"]
)
def test_merchant_no_invalid(raw: str) -> None:
    assert reason_of(validate_merchant_no, raw) == "A merchant number has 15 digits."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12345678", "12345678"),
        (" 1234 5678 ", "12345678"),
        ("１２３４５６７８", "12345678"),
    ],
)
def test_terminal_no_valid(raw: str, expected: str) -> None:
    assert validate_terminal_no(raw) == expected


@pytest.mark.parametrize("raw", ["", "1234567", "123456789", "ABCD1234", "1234567a"])
def test_terminal_no_invalid(raw: str) -> None:
    assert reason_of(validate_terminal_no, raw) == "A terminal number has 8 digits."


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_merchant_no_generated(number: str) -> None:
    assert validate_merchant_no(number) == number


# --- masking ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("11010519491231002X", "1101**********002X"),
        ("110101199003074477", "1101**********4477"),
        ("11010519491231002x", "1101**********002X"),
        ("110105491231002", "1101*******1002"),
        ("1234", "****"),
    ],
)
def test_mask_id(value: str, expected: str) -> None:
    assert mask_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("13800138000", "138****8000"),
        ("+86 138 0013 8000", "138****8000"),
        ("0755-62345678", "0755-****5678"),
        ("010-6234567", "010-***4567"),
        ("021-62345678-801", "021-****5678-801"),
        ("(0755) 8888 6666", "0755-****6666"),
        ("12345", "*2345"),
        ("123", "***"),
    ],
)
def test_mask_phone(value: str, expected: str) -> None:
    assert mask_phone(value) == expected


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mask_phone_hides_middle(number: str) -> None:
    masked = mask_phone(number)
    assert len(masked) == 11
    assert masked[:3] == number[:3] and masked[-4:] == number[-4:]
    assert masked[3:7] == "****"


# --- reasons are translatable literals --------------------------------------------------------


def _format_error_calls() -> list[ast.Call]:
    tree = ast.parse(inspect.getsource(v))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "FormatError"
    ]


def test_every_reason_is_a_literal_wrapped_in_gettext() -> None:
    calls = _format_error_calls()
    assert len(calls) >= 10
    for call in calls:
        assert len(call.args) == 1 and not call.keywords
        arg = call.args[0]
        assert isinstance(arg, ast.Call), ast.dump(call)
        assert isinstance(arg.func, ast.Name) and arg.func.id == "_"
        assert len(arg.args) == 1
        literal = arg.args[0]
        assert isinstance(literal, ast.Constant) and isinstance(literal.value, str)
        assert literal.value.endswith(".")


def test_reasons_are_distinct() -> None:
    calls = _format_error_calls()
    reasons = [call.args[0].args[0].value for call in calls]  # type: ignore[attr-defined]
    assert len(reasons) == len(set(reasons))
