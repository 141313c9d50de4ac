"""Caption text: agreement units, Chinese punctuation and script, phantom phrases, loops, filters."""

from __future__ import annotations

import pytest

from streamkit.plugins.captions.textproc import (DisplayStyle, PhantomFilter, TextFilter, chinese_punctuation,
                                                 common_prefix, convert_script, loop_start,
                                                 normalize_for_scoring, split_units, strip_annotations)


def test_units_are_words_and_chinese_characters_with_punctuation_attached() -> None:
    units = split_units(' And Mr. John, "yes" 甚至出现。OK')
    assert [u.surface for u in units] == [" And", " Mr.", " John,", ' "yes"', " 甚", "至", "出", "现。", "OK"]
    assert [u.key for u in units][:3] == ["and", "mr", "john"]


def test_agreement_ignores_case_punctuation_and_script() -> None:
    a = split_units(" Had he married, 甚至出現")
    b = split_units(" had he married a 甚至出现")
    assert common_prefix(a, b) == 3
    assert common_prefix(split_units("甚至出現交易"), split_units("甚至出现交易")) == 6


@pytest.mark.parametrize(("text", "cut"), [
    ("He was a man. He was a man. He was a man. He was", 4),   # a sentence looping: keep one copy
    ("转转转转转转转转转转转", 3),                               # one character looping: keep three
    ("next product, next product, next product, next product,", 2),  # a two-word loop: keep one
    ("no no no way", None),                                    # real repetitions stay
    ("来来来，大家看看", None),
])
def test_repetition_loops_are_cut(text: str, cut: int | None) -> None:
    assert loop_start(split_units(text)) == cut


def test_phantom_phrases_in_english_and_chinese() -> None:
    f = PhantomFilter()
    assert f.is_phantom(" Thank you.") and f.is_phantom("you")
    assert f.is_phantom("字幕由Amara.org社群提供")
    assert f.contains_phantom("好的 请不吝点赞 订阅 转发 打赏支持明镜与点点栏目")
    assert f.could_become_phantom("Thank") and not f.could_become_phantom("Thank god")
    assert not f.is_phantom("Thank you for coming to the stream today")


def test_chinese_punctuation_is_full_width_and_spaces_become_commas() -> None:
    assert chinese_punctuation("甚至出现 交易几乎停滞的情况.") == "甚至出现，交易几乎停滞的情况。"
    assert chinese_punctuation("价格是3.5元, 好吗?") == "价格是3.5元，好吗？"
    assert chinese_punctuation(" 交易", before="情况") == "，交易"
    assert chinese_punctuation("Hello, world.") == "Hello, world."


def test_traditional_answer_becomes_simplified_and_back_on_request() -> None:
    assert convert_script("甚至出現交易幾乎停滯的情況", "simplified") == "甚至出现交易几乎停滞的情况"
    assert convert_script("甚至出现交易几乎停滞的情况", "traditional") == "甚至出現交易幾乎停滯的情況"
    assert convert_script("Hello", "traditional") == "Hello"


def test_replace_and_profanity_filter() -> None:
    f = TextFilter({"上连接": "上链接"}, ["damn", "傻瓜"], "*")
    assert f.apply("Damn, 上连接 傻瓜 damnation") == "****, 上链接 ** damnation"
    assert f.holds_back("你这个傻") and not f.holds_back("你这个")
    style = DisplayStyle(filter=f)
    assert style.render("甚至 上连接") == "甚至，上链接"


def test_annotations_are_not_speech() -> None:
    assert strip_annotations("[Music] hello (laughs) ♪♪ 你好（笑）").split() == ["hello", "你好"]


def test_scoring_normalisation() -> None:
    assert normalize_for_scoring("And Mr. John, ill-disposed.", "en") == "and mister john ill disposed"
    assert normalize_for_scoring("甚至出現，交易。", "zh") == "甚 至 出 现 交 易"
