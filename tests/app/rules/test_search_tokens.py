"""Tests for app.rules.search: what the index holds and what a query asks for."""

from __future__ import annotations

from app.rules.search import (
    MAX_READINGS,
    Phrase,
    document_tokens,
    name_tokens,
    number_token,
    phone_tokens,
    query_tokens,
    spellings,
)


def _phrases(text: str) -> list[list[Phrase]]:
    return [list(clause) for clause in query_tokens(text)]


def _matches(doc: list[str], text: str) -> bool:
    """A tiny model of the index: every clause has a phrase whose tokens follow each other."""

    def phrase_matches(phrase: Phrase) -> bool:
        n = len(phrase.tokens)
        for start in range(len(doc) - n + 1):
            window = doc[start : start + n]
            head_ok = window[:-1] == list(phrase.tokens[:-1])
            last = window[-1]
            last_ok = last.startswith(phrase.tokens[-1]) if phrase.prefix else last == phrase.tokens[-1]
            if head_ok and last_ok:
                return True
        return False

    query = query_tokens(text)
    return bool(query) and all(any(phrase_matches(p) for p in clause) for clause in query)


# --- Chinese text --------------------------------------------------------------------------------


def test_han_text_becomes_bigrams_then_single_characters() -> None:
    tokens = name_tokens("屏幕维修")
    assert tokens[:7] == ("屏幕", "幕维", "维修", "屏", "幕", "维", "修")


def test_single_han_character_is_one_token() -> None:
    assert name_tokens("张")[0] == "张"
    assert _phrases("张") == [[Phrase(("张",))]]


def test_han_query_is_the_phrase_of_its_bigrams() -> None:
    assert _phrases("屏幕") == [[Phrase(("屏幕",))]]
    assert _phrases("屏幕维修") == [[Phrase(("屏幕", "幕维", "维修"))]]


def test_substrings_of_a_shop_name_match_and_others_do_not() -> None:
    doc = document_tokens(names=["屏幕维修中心", "便利店"])
    for text in ("屏", "屏幕", "幕维修", "维修中心", "屏幕维修中心", "便利", "利店"):
        assert _matches(doc, text), text
    assert not _matches(doc, "屏维")  # both characters are there, but not next to each other
    # The end of one name and the start of the next are not a substring of either.
    assert not _matches(doc, "心便")
    assert not _matches(doc, "中心便利")


def test_latin_words_in_names_are_lower_case_and_full_width_is_normalised() -> None:
    tokens = name_tokens("ＫＦＣ南山店")
    assert "kfc" in tokens
    assert _phrases("ＫＦＣ") == [[Phrase(("kfc",), prefix=True)]]


# --- pinyin --------------------------------------------------------------------------------------


def test_pinyin_full_spelling_initials_and_tails() -> None:
    tokens = name_tokens("张三")
    assert {"zhangsan", "zs", "san"} <= set(tokens)
    doc = document_tokens(names=["张三"])
    for text in ("zhangsan", "zs", "zhang", "zhangs", "ZhangSan", "san", "zhang san"):
        assert _matches(doc, text), text
    assert not _matches(doc, "lisi")


def test_every_reading_of_a_heteronym_surname_is_indexed() -> None:
    doc = document_tokens(names=["曾国藩"])
    for text in ("zengguofan", "cengguofan", "zgf", "cgf", "zeng"):
        assert _matches(doc, text), text
    assert _matches(document_tokens(names=["单田芳"]), "shantianfang")
    assert _matches(document_tokens(names=["解晓东"]), "xiexiaodong")


def test_words_are_read_in_context() -> None:
    # 银行 is yinhang; a tail starts at every syllable of the usual reading.
    doc = document_tokens(names=["长沙银行"])
    assert _matches(doc, "changshayinhang")
    assert _matches(doc, "yinhang")
    assert _matches(document_tokens(names=["屏幕维修"]), "weixiu")


def test_readings_are_capped_and_every_reading_comes_early() -> None:
    many = spellings("曾单解仇区查")
    assert len(many) == MAX_READINGS
    first_letters = {s[0] for s in many}
    assert {"ceng", "zeng"} <= first_letters
    for position in range(1, 6):
        assert len({s[position] for s in many}) >= 2  # each character's other reading shows up


def test_lv_is_spelt_with_v() -> None:
    assert "lv" in name_tokens("吕")


# --- numbers and phones --------------------------------------------------------------------------


def test_phone_is_four_digit_windows_then_the_whole_number() -> None:
    assert phone_tokens("138-0013-8000") == [
        "1380", "3800", "8001", "0013", "0138", "1380", "3800", "8000", "13800138000",
    ]
    assert phone_tokens("0755-26881234")[0] == "0755"
    assert phone_tokens("") == []


def test_any_four_or_more_consecutive_digits_of_a_phone_match() -> None:
    doc = document_tokens(phones=["13800138000", "0755-26881234"])
    for text in ("1380", "0013", "38001", "00138000", "13800138000", "138 0013 8000", "5526881"):
        assert _matches(doc, text), text
    assert not _matches(doc, "38002")
    # The last digits of one phone and the first of the next are no phone.
    assert not _matches(doc, "80000755")


def test_query_of_digits_is_windows_or_a_number_prefix() -> None:
    assert _phrases("0013") == [[Phrase(("0013",), prefix=True)]]
    assert _phrases("38001") == [[Phrase(("3800", "8001")), Phrase(("38001",), prefix=True)]]
    # Longer numbers are indexed with their prefixes: one token to look up, not a prefix walk.
    assert _phrases("822584") == [
        [Phrase(("8225", "2258", "2584")), Phrase(("822584",))]
    ]
    assert _phrases("NL00001") == [[Phrase(("nl00001",))]]
    assert _phrases("zhangsan") == [[Phrase(("zhangsan",), prefix=True)]]


def test_numbers_carry_their_long_prefixes() -> None:
    assert document_tokens(numbers=["20000001"]) == ["200000", "2000000", "20000001"]
    assert document_tokens(numbers=["NL-0001"]) == ["nl0001"]
    assert name_tokens("A920012专卖店")[:2] == ("a92001", "a920012")


def test_full_width_digits_are_normalised() -> None:
    assert phone_tokens("１３８００１３８０００") == phone_tokens("13800138000")
    assert query_tokens("３８００１") == query_tokens("38001")
    assert number_token("８２２５８４０５３９９０００１") == "822584053990001"


def test_numbers_are_whole_tokens_matched_by_prefix() -> None:
    doc = document_tokens(numbers=["822584053990001", "PX-00012345", "20000001"])
    assert "px00012345" in doc
    for text in ("8225", "822584053990001", "px0001", "PX00012345", "PX-0001", "2000", "20000001"):
        assert _matches(doc, text), text
    assert not _matches(doc, "0012345")


def test_empty_and_one_letter_queries_ask_for_nothing() -> None:
    for text in ("", "  ", "a", "Ｚ", "7", "-", "!?"):
        assert query_tokens(text) == (), text


def test_words_of_a_query_must_all_match() -> None:
    doc = document_tokens(names=["张三"], phones=["13800138000"])
    assert _matches(doc, "张三 1380")
    assert _matches(doc, "zs 0013")
    assert not _matches(doc, "张三 9999")


def test_a_pasted_paragraph_is_cut() -> None:
    assert {clause[0].tokens for clause in query_tokens("张三 " * 200)} <= {("张三",), ("张",)}
    assert query_tokens("x" * 500) == ((Phrase(("x" * 64,), prefix=True),),)
