"""Numbers in selling talk, written the way viewers expect (``[captions] numbers``).

``"digits"`` (default): 四十九块九 → 49.9元, 九块九包邮 → 9.9元包邮, 百分之五十 → 50%, 打八折 → 打8折,
三号链接 → 3号链接, 编号一零零一 → 编号1001, 二零二四年五月一日 → 2024年5月1日, 晚上八点 → 晚上8点.
``"chinese"``: the other way round (49.9元 → 四十九块九, 3号 → 三号, 2024年 → 二零二四年).
``"asis"``: as the model wrote it.

Only prices, percentages, discounts, serial numbers, dates and clock times change: 一下, 一点,
三十多岁, 三块装 (three bars) and 第一次 stay as they are. Conversion is done by ``cn2an``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Literal

import cn2an

NumberStyle = Literal["digits", "chinese", "asis"]

_CN = "零〇一二两三四五六七八九十百千万"
_CN_DIGIT = "零〇一二三四五六七八九幺两"
_CN_DIGIT_VALUE = {**{c: i for i, c in enumerate("零一二三四五六七八九")}, "〇": 0, "幺": 1, "两": 2}
_NUM = rf"(?:\d+(?:\.\d+)?|[{_CN}]+(?:点[{_CN_DIGIT}]+)?)"
_ONE = rf"(?:\d|[{_CN_DIGIT}])"
_TIME_WORDS = "上午|下午|晚上|早上|中午|今晚|明晚|凌晨|傍晚"
_MONEY_AFTER = rf"(?=钱|$|[，。！？、,.!?\s]|包|起|多|左右|的|了|啊|哦|呀|吧|呢|就|都|到|一[件个份瓶盒包])"

# 四十九块九 / 四十九块九毛九 / 四十九块钱 / 49块9 / 四十九元 / 四十九点九元 / 五毛钱 (块 is also "a piece": 三块装)
_CENTS = rf"(?:(?P<jiao>{_ONE})(?:毛|角)?(?:(?P<fen>{_ONE})分?)?)?"
_PRICES = (re.compile(rf"(?P<yuan>{_NUM})元(?:(?P<jiao>{_ONE})[毛角](?:(?P<fen>{_ONE})分?)?)?"), re.compile(rf"(?P<yuan>{_NUM})块钱?{_CENTS}{_MONEY_AFTER}"))
_JIAO = re.compile(rf"(?P<yuan>)(?P<jiao>[一二三四五六七八九两])毛(?:(?P<fen>[一二三四五六七八九])分?|钱)")
_PERCENT = re.compile(rf"百分之(?P<n>{_NUM})")
_DISCOUNT = re.compile(rf"(?P<n>[{_CN_DIGIT}](?:点?[{_CN_DIGIT}])?)折")
_SERIAL = re.compile(rf"(?<=编号|货号|型号|尾号|单号|序号|代码|号码)(?P<n>[{_CN_DIGIT}]{{2,}})")
_NUMBERED = re.compile(rf"(?P<first>第)?(?P<n>[{_CN}]{{1,4}})(?P<unit>号)")
_ORDINAL = re.compile(rf"第(?P<n>[{_CN}]{{1,4}})(?=[个款件位名号条])")
_YEAR = re.compile(rf"(?P<n>[{_CN_DIGIT}]{{4}})年")
_MONTH_DAY = re.compile(rf"(?P<m>[{_CN}]{{1,2}})月(?P<d>[{_CN}]{{1,3}})(?P<u>日|号)")
_CLOCK = re.compile(rf"(?P<w>{_TIME_WORDS})(?P<h>[{_CN}]{{1,3}})点|(?P<h2>[{_CN}]{{1,3}})点(?=半|整|钟)")

_D_PRICE = re.compile(r"(?P<n>\d+(?:\.\d{1,2})?)元")
_D_PERCENT = re.compile(r"(?P<n>\d+(?:\.\d+)?)%")
_D_NUMBERED = re.compile(r"(?P<n>\d{1,4})(?P<unit>号|折|日)")
_D_YEAR = re.compile(r"(?P<n>\d{4})年")
_D_MONTH = re.compile(r"(?P<n>\d{1,2})(?P<unit>月)")
_D_CLOCK = re.compile(rf"(?<={_TIME_WORDS})(?P<n>\d{{1,2}})点")


def _value(text: str) -> Decimal | None:
    """``"四十九"`` → 49, ``"四十九点九"`` → 49.9, ``"49"`` → 49; None when it is not a number."""
    try:
        return Decimal(text) if text[:1].isdigit() else Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError, IndexError, TypeError, InvalidOperation):
        return None


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _digits_spoken_one_by_one(text: str) -> str:
    """``"一零零一"`` → ``"1001"`` (幺 and 两 are 1 and 2)."""
    return "".join(str(_CN_DIGIT_VALUE.get(c, c)) for c in text)


def _price(m: re.Match[str]) -> str:
    yuan = _value(m["yuan"]) if m["yuan"] else Decimal(0)
    if yuan is None:
        return m[0]
    for part, scale in (("jiao", Decimal("0.1")), ("fen", Decimal("0.01"))):
        if m[part]:
            digit = _value(m[part])
            if digit is None:
                return m[0]
            yuan += digit * scale
    return f"{_plain(yuan)}元"


def _sub_value(pattern: re.Pattern[str], fmt: str, text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        value = _value(m["n"])
        return m[0] if value is None else fmt.format(n=_plain(value), **{k: v or "" for k, v in m.groupdict().items() if k != "n"})

    return pattern.sub(repl, text)


def to_digits(text: str) -> str:
    """Prices, percentages, discounts, serials, dates and clock times as Arabic digits."""
    for pattern in (*_PRICES, _JIAO):
        text = pattern.sub(_price, text)
    text = _sub_value(_PERCENT, "{n}%", text)
    text = _DISCOUNT.sub(_discount, text)
    text = _SERIAL.sub(lambda m: _digits_spoken_one_by_one(m["n"]), text)
    text = _YEAR.sub(lambda m: _digits_spoken_one_by_one(m["n"]) + "年", text)
    text = _MONTH_DAY.sub(_month_day, text)
    text = _sub_value(_ORDINAL, "第{n}", text)
    text = _sub_value(_NUMBERED, "{first}{n}{unit}", text)
    return _CLOCK.sub(_clock, text)


def _discount(m: re.Match[str]) -> str:
    whole, _, tenth = m["n"].partition("点")
    digits = _digits_spoken_one_by_one(whole)
    return f"{digits}.{_digits_spoken_one_by_one(tenth)}折" if tenth else f"{digits}折"


def _month_day(m: re.Match[str]) -> str:
    month, day = _value(m["m"]), _value(m["d"])
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return m[0]
    return f"{month}月{day}{m['u']}"


def _clock(m: re.Match[str]) -> str:
    hour = _value(m["h"] or m["h2"])
    if hour is None or not 0 <= hour <= 24:
        return m[0]
    return f"{m['w'] or ''}{hour}点"


def _spoken_price(m: re.Match[str]) -> str:
    """``49.9`` → 四十九块九, ``49.99`` → 四十九块九毛九, ``0.5`` → 五毛, ``3.05`` → 三块零五分."""
    yuan, _, cents = m["n"].partition(".")
    jiao, fen = (cents.rstrip("0") + "00")[:2]
    small = ""
    if jiao != "0":
        small = cn2an.an2cn(jiao) + ("毛" + cn2an.an2cn(fen) if fen != "0" else "")
    elif fen != "0":
        small = "零" + cn2an.an2cn(fen) + "分"
    if yuan == "0":
        return (small + "毛" if jiao != "0" and fen == "0" else small) or "零元"
    return cn2an.an2cn(yuan) + "块" + small


def to_chinese(text: str) -> str:
    """The other way round: 49.9元 → 四十九块九, 50% → 百分之五十, 3号 → 三号, 2024年 → 二零二四年."""
    text = _D_PRICE.sub(_spoken_price, text)
    text = _D_PERCENT.sub(lambda m: "百分之" + cn2an.an2cn(m["n"]), text)
    text = _D_YEAR.sub(lambda m: cn2an.an2cn(m["n"], "direct") + "年", text)
    text = _D_MONTH.sub(lambda m: cn2an.an2cn(m["n"]) + m["unit"], text)
    text = _D_NUMBERED.sub(lambda m: cn2an.an2cn(m["n"]) + m["unit"], text)
    return _D_CLOCK.sub(lambda m: cn2an.an2cn(m["n"]) + "点", text)


def format_numbers(text: str, style: NumberStyle) -> str:
    """``text`` with its selling-talk numbers in ``style``."""
    if style == "digits":
        return to_digits(text)
    if style == "chinese":
        return to_chinese(text)
    return text


_OPEN_TAIL = re.compile(rf"(?:[{_CN}\d.]|块|元|毛|角|点|百分之?|第|月|号|编号|货号|型号|尾号|单号|序号|代码|号码)$")


def ends_in_number(text: str) -> bool:
    """True while ``text`` may end inside a number expression (wait for the next word before committing)."""
    return bool(_OPEN_TAIL.search(text.rstrip()))
