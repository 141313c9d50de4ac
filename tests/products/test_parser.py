"""The command parser: the phrasing table (≥60 commands, ≥40 non-commands) and properties."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from products_helpers import phrasings

from streamkit.plugins.products.parser import CommandParser, legacy_json

TABLE = phrasings()
COMMANDS = TABLE["command"]
NON_COMMANDS = TABLE["non_command"]


@pytest.fixture(scope="module")
def parser(catalog) -> CommandParser:
    return CommandParser(catalog)


def test_table_is_big_enough() -> None:
    assert len(COMMANDS) >= 60 and len(NON_COMMANDS) >= 40
    zh = [c for c in COMMANDS if any("\u4e00" <= ch <= "\u9fff" for ch in c["text"])]
    assert len(zh) >= 25 and len(COMMANDS) - len(zh) >= 25
    assert {c["command"] for c in COMMANDS} == {"show", "next", "previous", "hide", "flash_sale"}


@pytest.mark.parametrize("case", COMMANDS, ids=[c["text"] for c in COMMANDS])
def test_commands(parser: CommandParser, case: dict) -> None:
    cmd = parser.parse(case["text"])
    assert (cmd.action, cmd.product, cmd.seconds) == (case["command"], case.get("product"), case.get("seconds"))
    assert 0.75 <= cmd.confidence <= 1.0


@pytest.mark.parametrize("case", NON_COMMANDS, ids=[c["text"] for c in NON_COMMANDS])
def test_non_commands(parser: CommandParser, case: dict) -> None:
    cmd = parser.parse(case["text"])
    assert cmd.action is None, f"{case['text']!r} ({case['why']}) fired {cmd}"


def test_json_shape(parser: CommandParser) -> None:
    assert legacy_json(parser.parse("秒杀 60 秒")) == {"command": "flash_sale", "product": None, "seconds": 60,
                                                   "confidence": 0.95}
    assert legacy_json(parser.parse("今天天气不错")) == {"command": None, "product": None, "seconds": None,
                                                    "confidence": 0.0}


@pytest.mark.parametrize("text, complete, standalone", [
    ("上链接3号", True, False),       # 号 closes the number
    ("上链接3", False, False),        # could still become 上链接30
    ("show product 3", False, False),  # could still become "show product 30"
    ("show product 3 please", True, False),
    ("3号链接", True, True),          # a noun form: only as a whole utterance
    ("product number three", False, True),
    ("hide the card", True, False),
    ("hide", False, False),           # could become "hide and seek"
    ("下一个", False, False),          # could become 下一个问题
    ("下一个链接", True, False),
    ("秒杀60秒", True, False),
])
def test_when_a_partial_caption_is_safe_to_act_on(parser: CommandParser, text: str, complete: bool,
                                                  standalone: bool) -> None:
    cmd = parser.parse(text)
    assert cmd.action is not None
    assert (cmd.complete, cmd.standalone) == (complete, standalone)


def test_wake_word(catalog) -> None:
    p = CommandParser(catalog, wake_word="小播")
    assert p.parse("上链接3号").action is None
    assert p.parse("小播，上链接3号").product == 3
    assert p.parse("小波上链接3号").product == 3  # a homophone of the wake word
    assert p.parse("好的小播 下一个").action == "next"
    en = CommandParser(catalog, wake_word="hey stream")
    assert en.parse("show product 3").action is None
    assert en.parse("Hey stream, show product three.").product == 3


def test_several_commands_in_one_utterance(parser: CommandParser) -> None:
    cmds = parser.parse_all("上链接3号，收起来，下一个链接")
    assert [c.action for c in cmds] == ["show", "hide", "next"]
    assert all(c.complete for c in cmds)


EN_WORDS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
EN_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}


def in_words(n: int) -> str:
    """1–999 in English words (the test's own spelling, independent of the parser's)."""
    parts = []
    if n >= 100:
        parts += [EN_WORDS[n // 100], "hundred"]
        n %= 100
        if n:
            parts.append("and")
    if n >= 20:
        parts.append(EN_TENS[n // 10])
        n %= 10
    if n:
        parts.append(EN_WORDS[n])
    return " ".join(parts)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 999), template=st.sampled_from(["上链接{}号", "来看一下{}号", "{}号链接", "讲解一下{}号宝贝",
                                                       "家人们，上{}号链接"]),
       digits=st.booleans())
def test_any_serial_in_chinese(catalog, n: int, template: str, digits: bool) -> None:
    number = str(n) if digits else cn2an.an2cn(n)
    cmd = CommandParser(catalog).parse(template.format(number))
    assert (cmd.action, cmd.product) == ("show", n)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 999), template=st.sampled_from(["show product {}", "product number {}", "pin item {} please",
                                                       "Okay, bring up product {}."]),
       digits=st.booleans())
def test_any_serial_in_english(catalog, n: int, template: str, digits: bool) -> None:
    cmd = CommandParser(catalog).parse(template.format(n if digits else in_words(n)))
    assert (cmd.action, cmd.product) == ("show", n)


@settings(max_examples=100, deadline=None)
@given(seconds=st.integers(5, 600), zh=st.booleans())
def test_any_flash_sale_length(catalog, seconds: int, zh: bool) -> None:
    text = f"秒杀{cn2an.an2cn(seconds)}秒" if zh else f"flash sale {in_words(seconds)} seconds"
    cmd = CommandParser(catalog).parse(text)
    assert (cmd.action, cmd.seconds) == ("flash_sale", seconds)


ZH_COMMANDS = [c["text"] for c in COMMANDS if any("\u4e00" <= ch <= "\u9fff" for ch in c["text"])]
EN_COMMANDS = [c["text"] for c in COMMANDS if c not in ZH_COMMANDS and c["text"] not in ZH_COMMANDS]


@settings(max_examples=120, deadline=None)
@given(text=st.sampled_from(ZH_COMMANDS), word=st.sampled_from(["不要", "别", "昨天", "刚才", "待会儿", "上次", "如果"]))
def test_negated_or_not_now_chinese_commands_never_fire(catalog, text: str, word: str) -> None:
    cmd = CommandParser(catalog).parse(word + text.split("，")[-1])
    assert cmd.action is None, cmd


@settings(max_examples=120, deadline=None)
@given(text=st.sampled_from(EN_COMMANDS), tail=st.sampled_from([" yesterday", " later", " last time", " next time"]),
       head=st.sampled_from(["", "we already ", "don't ", "I'll "]))
def test_past_or_future_english_commands_never_fire(catalog, text: str, tail: str, head: str) -> None:
    cmd = CommandParser(catalog).parse(head + text.rstrip(".").split(", ")[-1] + tail)
    assert cmd.action is None, cmd


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_any_text_parses_without_error(catalog, text: str) -> None:
    cmd = CommandParser(catalog).parse(text)
    assert cmd.action in (None, "show", "next", "previous", "hide", "flash_sale")
    assert 0.0 <= cmd.confidence <= 1.0
