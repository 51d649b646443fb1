"""What the global search indexes and asks for: both sides of the tokenisation, in one place.

Pure functions without I/O. A record becomes a list of tokens (`document_tokens`); a query becomes
clauses of phrases (`query_tokens`). Tokens hold only ASCII digits, lower-case ASCII letters and
Han characters, so both SQLite FTS5 (unicode61) and PostgreSQL (tsvector) keep each one whole.

- Chinese text is indexed Lucene-CJK style: overlapping character bigrams plus single characters,
  because FTS5 sees a run of Han characters as one word. A query of two or more characters is the
  phrase of its bigrams (an exact substring), one character is the single-character token.
- Pinyin (pypinyin, every reading of heteronym characters: 曾 is zeng and ceng): the full spelling
  and the initials of the whole name in every reading, and of each tail that starts at a syllable
  of the usual reading, matched by prefix: 张三 is found by zhang, zhangsan, zs and san, 屏幕维修 by
  weixiu.
- Phones: every window of 4 digits, in order, followed by the whole number. A query of 5+ digits is
  the phrase of its windows, so any run of 4+ consecutive digits of a phone finds it.
- Merchant no., SN, terminal no.: whole tokens, matched by prefix. The index answers prefixes of
  up to INDEXED_PREFIX characters itself; longer ones of a number would walk every number that
  shares them (100,000 merchant nos. all start alike), so a number is also indexed as each of its
  longer prefixes and such a query looks up one token.

The order of the tokens matters for phrases: a run's bigrams are followed by its single characters
and a phone's windows by the whole number, so two chains never touch and a phrase never matches
across two names or two phones.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.rules.validation import compact, normalize

# How many pinyin spellings of one name are indexed at most (heteronyms multiply them).
MAX_READINGS = 16
# Phones are matched by windows of this many digits.
PHONE_WINDOW = 4
# The index keeps prefix lists of up to this many characters (FTS5 prefix='2 3 4 5'); a query word
# no longer than this is matched by prefix there.
INDEXED_PREFIX = 5
# A query longer than this is cut (a pasted paragraph is not a search).
MAX_QUERY_CHARS = 64

_HAN_CLASS = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002fa1f\U00030000-\U0003134f"
)
_HAN = re.compile(f"[{_HAN_CLASS}]")
_RUNS = re.compile(f"[{_HAN_CLASS}]+|[0-9a-z]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_LETTERS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Phrase:
    """Tokens that must follow each other in a record; with `prefix`, the last one is a prefix."""

    tokens: tuple[str, ...]
    prefix: bool = False


# A query: every clause must match; a clause matches when any of its phrases does.
Clause = tuple[Phrase, ...]
SearchQuery = tuple[Clause, ...]


def _clean(text: str) -> str:
    return normalize(text or "").lower()


def is_han(char: str) -> bool:
    return _HAN.fullmatch(char) is not None


# --- pinyin --------------------------------------------------------------------------------------


def _pinyin(han: str) -> list[list[str]]:
    """pypinyin's readings of each character, every reading of heteronyms, in context."""
    # Imported here: loading its dictionaries takes a third of a second, and only indexing
    # needs them, not start-up and not a search.
    from pypinyin import Style, pinyin

    return pinyin(han, style=Style.NORMAL, heteronym=True, errors="ignore")


@lru_cache(maxsize=32768)
def _char_readings(char: str) -> tuple[str, ...]:
    """Every reading of one Han character, most common first."""
    found = _pinyin(char)
    return _ascii_readings(found[0] if found else [])


@lru_cache(maxsize=4096)
def _ascii_reading(reading: str) -> str:
    return _NOT_ALNUM.sub("", reading.lower().replace("ü", "v"))


def _ascii_readings(readings: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for reading in readings:
        ascii_reading = _ascii_reading(reading)
        if ascii_reading and ascii_reading not in out:
            out.append(ascii_reading)
    return tuple(out)


def readings(han: str) -> list[tuple[str, ...]]:
    """The readings of each character of a name, the usual one first.

    pypinyin reads words in context (银行 is yinhang, not yinxing); a character outside a known
    word gets all its readings. The first character is also read every way it can be, because
    that is where the surname is and surnames are what pypinyin gets wrong (曾 zeng, 单 shan).
    """
    found = _pinyin(han)
    out = [_ascii_readings(r) for r in found]
    if out and han:
        out[0] = _ascii_readings(out[0] + _char_readings(han[0]))
    return [r for r in out if r]


def spellings(han: str, cap: int = MAX_READINGS) -> list[tuple[str, ...]]:
    """Up to `cap` syllable sequences of a name, the usual reading first.

    Combinations are taken by how many characters deviate from their first reading (none, one,
    two ...), so every reading of every character appears before rarer mixtures crowd them out.
    """
    per_char = readings(han)
    if not per_char:
        return []
    first = tuple(r[0] for r in per_char)
    out = [first]
    varying = [i for i, r in enumerate(per_char) if len(r) > 1]
    for depth in range(1, len(varying) + 1):
        for positions in itertools.combinations(varying, depth):
            for alternatives in itertools.product(*(per_char[i][1:] for i in positions)):
                if len(out) >= cap:
                    return out
                combo = list(first)
                for i, alt in zip(positions, alternatives):
                    combo[i] = alt
                out.append(tuple(combo))
    return out


def _pinyin_tokens(han: str) -> list[str]:
    """Full spellings and initials of the whole name in every reading (up to MAX_READINGS), and
    of every tail that starts at a syllable in the usual reading (张三: zhangsan, zs, san)."""
    out: dict[str, None] = {}
    all_spellings = spellings(han)
    for n, syllables in enumerate(all_spellings):
        initials = "".join(s[0] for s in syllables)
        for i in range(len(syllables) if n == 0 else 1):
            full = "".join(syllables[i:])
            if len(full) >= 2:
                out[full] = None
            if len(initials) - i >= 2:
                out[initials[i:]] = None
    return list(out)


# --- documents -----------------------------------------------------------------------------------


def _han_tokens(run: str) -> list[str]:
    """Bigrams, then single characters (the single characters end the bigram chain)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + list(run)


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a name: Chinese bigrams and characters, Latin words and digits, pinyin."""
    text = _clean(name)
    tokens: list[str] = []
    han_chars: list[str] = []
    for run in _RUNS.findall(text):
        if is_han(run[0]):
            tokens.extend(_han_tokens(run))
            han_chars.extend(run)
        elif len(run) >= 2:
            tokens.extend(_with_prefixes(run) if _has_digit(run) else [run])
    tokens.extend(_pinyin_tokens("".join(han_chars)))
    return tuple(tokens)


def number_token(value: str) -> str:
    """A merchant no., SN or terminal no. as one lower-case token (or "")."""
    token = _NOT_ALNUM.sub("", compact(value or "").lower())
    return token if len(token) >= 2 else ""


def _with_prefixes(token: str) -> list[str]:
    """A number's prefixes longer than INDEXED_PREFIX, then the number itself."""
    return [token[:n] for n in range(INDEXED_PREFIX + 1, len(token))] + [token]


def phone_tokens(phone: str) -> list[str]:
    """Every 4-digit window of a phone's digits, then all its digits (which ends the chain)."""
    digits = re.sub(r"\D", "", normalize(phone or ""))
    digits = "".join(c for c in digits if c.isascii())
    if len(digits) < 2:
        return []
    if len(digits) <= PHONE_WINDOW:
        return [digits]
    windows = [digits[i : i + PHONE_WINDOW] for i in range(len(digits) - PHONE_WINDOW + 1)]
    return windows + [digits]


def document_tokens(
    *, names: Iterable[str] = (), numbers: Iterable[str] = (), phones: Iterable[str] = ()
) -> list[str]:
    """The tokens of one record, in index order (see the module docstring on order)."""
    tokens: list[str] = []
    for name in dict.fromkeys(n for n in names if n):
        tokens.extend(name_tokens(name))
    for number in dict.fromkeys(numbers):
        token = number_token(number)
        if token:
            tokens.extend(_with_prefixes(token))
    for phone in dict.fromkeys(p for p in phones if p):
        tokens.extend(phone_tokens(phone))
    return tokens


# --- queries -------------------------------------------------------------------------------------


def _has_digit(run: str) -> bool:
    return any(c.isdigit() for c in run)


def _word_phrase(run: str) -> Phrase:
    """A Latin or number word: by prefix, except a long number, whose prefixes are tokens."""
    if len(run) > INDEXED_PREFIX and _has_digit(run):
        return Phrase((run,))
    return Phrase((run,), prefix=True)


def _run_clause(run: str) -> Clause | None:
    if is_han(run[0]):
        if len(run) == 1:
            return (Phrase((run,)),)
        return (Phrase(tuple(run[i : i + 2] for i in range(len(run) - 1))),)
    if len(run) < 2:
        return None  # one letter or digit finds too much to be useful
    if run.isdigit() and len(run) > PHONE_WINDOW:
        windows = tuple(run[i : i + PHONE_WINDOW] for i in range(len(run) - PHONE_WINDOW + 1))
        return (Phrase(windows), _word_phrase(run))
    return (_word_phrase(run),)


def query_tokens(text: str) -> SearchQuery:
    """The clauses a search text asks for; empty when it is too short to search.

    Digits separated by spaces or hyphens are one number ("138 0013 8000"); otherwise words
    separated by spaces are separate clauses that must all match ("zhang san", "张 138").
    """
    cleaned = _clean(text)[:MAX_QUERY_CHARS]
    squeezed = compact(cleaned)
    parts = [squeezed] if squeezed.isascii() and squeezed.isdigit() else cleaned.split()
    clauses: list[Clause] = []
    for part in parts:
        for run in _RUNS.findall(compact(part)):
            clause = _run_clause(run)
            if clause is not None and clause not in clauses:
                clauses.append(clause)
    return tuple(clauses)


def query_text_key(text: str) -> str:
    """The text as compared with titles when ranking hits ("" when it has no letters or Han)."""
    cleaned = _clean(text)
    return cleaned if (_LETTERS.search(cleaned) or _HAN.search(cleaned)) else ""
