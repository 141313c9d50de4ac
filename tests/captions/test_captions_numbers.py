"""Numbers in selling talk: prices, serials, dates, times in the form viewers expect ([captions] numbers)."""

from __future__ import annotations

import pytest

from streamkit.plugins.captions.numbers import ends_in_number, format_numbers, to_chinese, to_digits
from streamkit.plugins.captions.textproc import DisplayStyle


@pytest.mark.parametrize(("spoken", "shown"), [
    ("这个杯子四十九块九包邮", "这个杯子49.9元包邮"),
    ("四十九块九毛九", "49.99元"),
    ("四十九块钱", "49元"),
    ("原价一百二十九元现在只要九十九块", "原价129元现在只要99元"),
    ("九块九", "9.9元"),
    ("两块五", "2.5元"),
    ("五毛钱", "0.5元"),
    ("三毛五", "0.35元"),
    ("49块9", "49.9元"),
    ("百分之五十", "50%"),
    ("打八折", "打8折"),
    ("八五折", "85折"),
    ("打七点五折", "打7.5折"),
    ("上三号链接", "上3号链接"),
    ("十二号链接", "12号链接"),
    ("第三个", "第3个"),
    ("编号一零零一", "编号1001"),
    ("二零二四年五月一日", "2024年5月1日"),
    ("十二月三十一号", "12月31号"),
    ("晚上八点开播", "晚上8点开播"),
    ("八点半", "8点半"),
])
def test_selling_numbers_become_digits(spoken: str, shown: str) -> None:
    assert to_digits(spoken) == shown


@pytest.mark.parametrize("ordinary", [
    "便宜一点", "等一下", "三十多岁", "一个体重九十多公斤", "三块装", "三块五花肉", "羊毛围巾", "第一次",
    "这个月", "三个月", "一二线城市", "26年专注高品质燕窝", "一块一块地切", "一万二",
])
def test_ordinary_speech_keeps_its_numbers(ordinary: str) -> None:
    assert to_digits(ordinary) == ordinary


@pytest.mark.parametrize(("shown", "spoken"), [
    ("49.9元", "四十九块九"),
    ("49.99元", "四十九块九毛九"),
    ("49元", "四十九块"),
    ("0.5元", "五毛"),
    ("3.05元", "三块零五分"),
    ("9.9元包邮", "九块九包邮"),
    ("50%", "百分之五十"),
    ("3号链接", "三号链接"),
    ("2024年5月1日", "二零二四年五月一日"),
    ("晚上8点", "晚上八点"),
])
def test_chinese_style_speaks_the_numbers(shown: str, spoken: str) -> None:
    assert to_chinese(shown) == spoken


@pytest.mark.parametrize("text", ["四十九块九", "原价一百二十九元", "二零二四年五月一日", "打八折", "三号链接"])
def test_digits_and_chinese_round_trip(text: str) -> None:
    assert to_chinese(to_digits(text)) == to_chinese(to_digits(to_chinese(to_digits(text))))
    assert to_digits(to_chinese(to_digits(text))) == to_digits(text)


def test_asis_leaves_the_text_alone_and_english_is_untouched() -> None:
    assert format_numbers("四十九块九", "asis") == "四十九块九"
    assert DisplayStyle(numbers="digits").render("It costs forty nine dollars.") == "It costs forty nine dollars."
    assert DisplayStyle(numbers="digits").render("这个四十九块九, 包邮") == "这个49.9元，包邮"
    assert DisplayStyle(numbers="chinese").render("这个49.9元") == "这个四十九块九"


@pytest.mark.parametrize(("text", "open_"), [
    ("价格是四十九", True), ("四十九块", True), ("上三号", True), ("第", True), ("今天", False), ("包邮", False),
])
def test_a_commit_waits_while_a_number_may_go_on(text: str, open_: bool) -> None:
    assert ends_in_number(text) is open_
