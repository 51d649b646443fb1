"""Format checks for the numbers clerks type: phones, resident IDs, credit codes, merchant data.

Pure functions, standard library only. Each `validate_*` takes the raw text as typed and returns
the canonical value, or raises `FormatError` whose `.reason` is a sentence a clerk understands.
"""

from __future__ import annotations

import re
from datetime import date

from app.i18n import _

__all__ = [
    "FormatError",
    "compact",
    "mask_id",
    "mask_phone",
    "normalize",
    "validate_landline",
    "validate_merchant_no",
    "validate_mobile",
    "validate_phone",
    "validate_resident_id",
    "validate_terminal_no",
    "validate_uscc",
]


class FormatError(ValueError):
    """A value that does not have the required format; `.reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Full-width ASCII U+FF01..U+FF5E maps to U+0021..U+007E; the ideographic space to a space.
_HALF_WIDTH: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH[0x3000] = 0x20

# Whitespace plus the hyphen and the dash look-alikes people paste from documents.
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212]+")


def normalize(text: str) -> str:
    """Turn full-width ASCII and spaces into half-width ones and strip the ends."""
    return text.translate(_HALF_WIDTH).strip()


def clean_text(text: str) -> str:
    """Free text as typed (names, addresses, reasons): Chinese punctuation stays, the ideographic
    space becomes a plain one and the ends are stripped."""
    return text.replace("\u3000", " ").strip()


def compact(text: str) -> str:
    """Normalize, then drop every whitespace and hyphen ("138-0013 8000" -> "13800138000")."""
    return _SEPARATORS.sub("", normalize(text))


# --- phones -------------------------------------------------------------------------------------

_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9]\d{9})")
# Area codes: 010 and 020-029 have three digits, all others (03xx-09xx) four.
_AREA_CODE = re.compile(r"010|02\d|0[3-9]\d\d")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_EXTENSION = re.compile(r"\d{1,6}")
_PARENTHESIZED_AREA = re.compile(r"\(\s*(\d+)\s*\)(.*)", re.DOTALL)
_LANDLINE_CHARS = re.compile(r"[\d\s\-\u2010\u2011\u2012\u2013\u2014\u2212()]*")


def validate_mobile(raw: str) -> str:
    """Mainland mobile number, with optional +86 / 86 / 0086 prefix; returns the 11 digits."""
    match = _MOBILE.fullmatch(compact(raw))
    if match is None:
        raise FormatError(_("A mobile number has 11 digits and starts with 13 to 19."))
    return match.group(1)


def _split_landline(main: str) -> tuple[str, str] | None:
    """Area code and local number of a landline without extension, or None."""
    parens = _PARENTHESIZED_AREA.fullmatch(main)
    if parens is not None:
        area, local = parens.group(1), compact(parens.group(2))
        if "(" in local or ")" in local or _AREA_CODE.fullmatch(area) is None:
            return None
    else:
        if "(" in main or ")" in main:
            return None
        digits = compact(main)
        match = _AREA_CODE.match(digits)
        if match is None:
            return None
        area, local = match.group(0), digits[match.end() :]
    if _LOCAL.fullmatch(local) is None:
        return None
    return area, local


def _parse_landline(raw: str) -> tuple[str, str, str] | None:
    """Area code, local number and extension ("" if none) of a landline, or None."""
    text = normalize(raw)
    if "转" in text:
        main, _sep, extension = text.partition("转")
        extension = compact(extension)
        if _EXTENSION.fullmatch(extension) is None:
            return None
        candidates = [(main, extension)]
    else:
        candidates = []
        # "010-6234567-1": a trailing hyphen group is an extension when the rest is a full number;
        # otherwise the hyphens only group the digits ("0755-8888-6666").
        head, sep, tail = text.rpartition("-")
        if sep and _EXTENSION.fullmatch(tail.strip()):
            candidates.append((head, tail.strip()))
        candidates.append((text, ""))
    for main, extension in candidates:
        if _LANDLINE_CHARS.fullmatch(main) is None:
            return None
        parts = _split_landline(main.strip())
        if parts is not None:
            return parts[0], parts[1], extension
    return None


def validate_landline(raw: str) -> str:
    """Landline with area code and optional extension; returns "0755-26881234[-123]"."""
    parsed = _parse_landline(raw)
    if parsed is None:
        raise FormatError(
            _("A landline number needs the area code and 7 or 8 digits, such as 0755-26881234.")
        )
    area, local, extension = parsed
    return f"{area}-{local}-{extension}" if extension else f"{area}-{local}"


def validate_phone(raw: str) -> str:
    """A mobile or a landline number, whichever it is; returns its canonical form."""
    try:
        return validate_mobile(raw)
    except FormatError:
        pass
    try:
        return validate_landline(raw)
    except FormatError:
        pass
    raise FormatError(
        _("Enter a mobile number, or a landline number with area code such as 0755-26881234.")
    )


# --- resident ID (GB 11643-1999) --------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_FORMAT = re.compile(r"\d{17}[\dX]")
_EARLIEST_BIRTH = date(1900, 1, 1)


def resident_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def validate_resident_id(raw: str, today: date | None = None) -> str:
    """18-character resident ID number; checks region, birth date and check digit."""
    value = compact(raw).upper()
    if len(value) != 18:
        raise FormatError(_("A resident ID number has 18 characters."))
    if _ID_FORMAT.fullmatch(value) is None:
        raise FormatError(_("A resident ID number has 17 digits followed by a digit or X."))
    if value[0] == "0":
        raise FormatError(_("A resident ID number cannot start with 0."))
    birth: date | None
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        birth = None
    if birth is None or not _EARLIEST_BIRTH <= birth <= (today or date.today()):
        raise FormatError(_("The birth date in this resident ID number is not a valid date."))
    if resident_id_check_char(value[:17]) != value[17]:
        raise FormatError(_("The check digit of this resident ID number is wrong."))
    return value


# --- unified social credit code (GB 32100-2015) -----------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """Check character of the first 17 characters of a credit code."""
    values = (_USCC_ALPHABET.index(char) for char in first17)
    total = sum(value * weight for value, weight in zip(values, _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> str:
    """18-character unified social credit code; returns it in upper case."""
    value = compact(raw).upper()
    if len(value) != 18:
        raise FormatError(_("A unified social credit code has 18 characters."))
    if any(char not in _USCC_ALPHABET for char in value):
        raise FormatError(
            _("A unified social credit code has only digits and letters other than I, O, S, V, Z.")
        )
    if uscc_check_char(value[:17]) != value[17]:
        raise FormatError(_("The last character of this unified social credit code is wrong."))
    return value


# --- acquirer numbers ---------------------------------------------------------------------------

_MERCHANT_NO = re.compile(r"\d{15}")
_TERMINAL_NO = re.compile(r"\d{8}")


def validate_merchant_no(raw: str) -> str:
    """Merchant number: exactly 15 digits."""
    value = compact(raw)
    if _MERCHANT_NO.fullmatch(value) is None:
        raise FormatError(_("A merchant number has 15 digits."))
    return value


def validate_terminal_no(raw: str) -> str:
    """Terminal number: exactly 8 digits."""
    value = compact(raw)
    if _TERMINAL_NO.fullmatch(value) is None:
        raise FormatError(_("A terminal number has 8 digits."))
    return value


# --- masking for display ----------------------------------------------------------------------


def _mask_tail(value: str) -> str:
    """Everything but the last 4 characters as stars."""
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def mask_id(value: str) -> str:
    """Resident ID for display: first 4, stars, last 4 ("1101**********1234")."""
    text = compact(value).upper()
    if len(text) <= 8:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def mask_phone(value: str) -> str:
    """Phone for display: "138****8000", "0755-****1234" (an extension stays visible)."""
    if not normalize(value):
        return ""
    try:
        mobile = validate_mobile(value)
    except FormatError:
        pass
    else:
        return mobile[:3] + "****" + mobile[-4:]
    parsed = _parse_landline(value)
    if parsed is not None:
        area, local, extension = parsed
        masked = f"{area}-{_mask_tail(local)}"
        return f"{masked}-{extension}" if extension else masked
    return _mask_tail(compact(value))
