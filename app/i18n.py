"""One translation system for the UI, the documents and the command line.

Source strings are English; `resources/translations/<lang>.po` holds the translations, read with
polib. Mark a string with `_()` where it is shown, or with `N_()` where it is defined at import
time and translated later.
"""

from __future__ import annotations

import ctypes
import locale
import os
import sys
from functools import cache

import polib

from app import paths

LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "en"

CONTEXT_SEPARATOR = "\x04"  # gettext's separator between a message's context and its text

_current = DEFAULT_LANGUAGE


@cache
def _catalog(language: str) -> dict[str, tuple[str, ...]]:
    path = paths.resource("translations", f"{language}.po")
    if not path.exists():
        return {}
    catalog: dict[str, tuple[str, ...]] = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        key = f"{entry.msgctxt}{CONTEXT_SEPARATOR}{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            if all(forms):
                catalog[key] = forms
        elif entry.msgstr:
            catalog[key] = (entry.msgstr,)
    return catalog


def system_language() -> str:
    """The language the operating system asks for, as one of LANGUAGES."""
    candidates: list[str] = []
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            candidates.append(os.environ[var])
    if sys.platform == "win32":  # pragma: no cover - Windows only
        lang_id = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
        candidates.append(locale.windows_locale.get(lang_id, ""))
    candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        normalized = value.replace("-", "_").lower()
        if normalized.startswith("zh"):
            return "zh_CN"
        if normalized and normalized not in ("c", "posix", "c.utf_8", "c.utf8"):
            return "en"
    return DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _current = language


def current_language() -> str:
    return _current


def _(text: str) -> str:
    """Translate a message into the current language."""
    forms = _catalog(_current).get(text) if _current != DEFAULT_LANGUAGE else None
    return forms[0] if forms else text


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count; Chinese has one form, English two."""
    if _current != DEFAULT_LANGUAGE:
        forms = _catalog(_current).get(singular)
        if forms:
            return forms[0] if len(forms) == 1 else forms[min(len(forms) - 1, 0 if n == 1 else 1)]
    return singular if n == 1 else plural


def pgettext(context: str, text: str) -> str:
    """Translate a word whose meaning depends on what it is about ("suspended" merchant or terminal)."""
    if _current != DEFAULT_LANGUAGE:
        forms = _catalog(_current).get(f"{context}{CONTEXT_SEPARATOR}{text}")
        if forms:
            return forms[0]
    return text


def N_(text: str) -> str:
    """Mark a string for translation without translating it yet."""
    return text


def NC_(context: str, text: str) -> tuple[str, str]:
    """Mark a string with its context for translation later with pgettext."""
    return context, text
