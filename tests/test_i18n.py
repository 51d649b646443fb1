"""One translation system: every message in the code has its Simplified Chinese translation."""

from __future__ import annotations

import re

import polib
import pytest

from app import i18n
from app.i18n import _, ngettext
from app.i18n_catalog import catalog_path, extract, untranslated

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sr]|%[sr]")


def test_every_message_is_translated_into_chinese() -> None:
    missing = untranslated("zh_CN", extract())
    assert not missing, f"untranslated (run python -m app.i18n_catalog): {missing[:10]}"


def test_translations_keep_placeholders() -> None:
    for entry in polib.pofile(str(catalog_path("zh_CN"))):
        if entry.obsolete:
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        # Chinese has one plural form, used for every count: it follows the English plural,
        # whose singular may leave the count out ("A ticket ..." / "{count} tickets ...").
        source = entry.msgid_plural or entry.msgid
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), entry.msgid


def test_switching_language_changes_messages_and_plurals() -> None:
    i18n.set_language("zh_CN")
    assert _("Dashboard") == "仪表盘"
    assert ngettext("{n} entry", "{n} entries", 3).format(n=3) == "3 条记录"
    assert _("a message nobody translated") == "a message nobody translated"
    i18n.set_language("en")
    assert _("Dashboard") == "Dashboard"
    assert ngettext("{n} entry", "{n} entries", 1).format(n=1) == "1 entry"
    assert ngettext("{n} entry", "{n} entries", 2).format(n=2) == "2 entries"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [("LANG", "zh_CN.UTF-8", "zh_CN"), ("LANG", "en_US.UTF-8", "en"), ("LC_ALL", "zh_TW", "zh_CN")],
)
def test_default_follows_the_system_locale(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, value)
    assert i18n.system_language() == expected


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_words_with_a_context_translate_by_their_context() -> None:
    from app.i18n import pgettext
    from app.models.merchant import MerchantStatus
    from app.rules.merchants import merchant_status_label
    from app.rules.terminals import status_label

    i18n.set_language("zh_CN")
    assert merchant_status_label(MerchantStatus.SUSPENDED) == "暂停"
    assert status_label("suspended") == "已停用"
    assert pgettext("merchant", "closed") == "已注销"
    assert pgettext("no such context", "closed") == "closed"
    i18n.set_language("en")
    assert merchant_status_label(MerchantStatus.SUSPENDED) == "suspended"
