"""Mandarin product forms with their own shape: flash sales, next/previous, noun-only serials ("3号链接").

Verb + object forms (上链接3号, 把蜂蜜挂上来) are in :mod:`.zh_grammar`.
"""

from __future__ import annotations

import re
from .flash import NameLookup, duration, flash_command
from .model import Command, CommandAction, no_command
from .zh_words import FILLERS, POST, PREFIX_BLOCK, PRODUCT_NOUN, SUFFIX_BLOCK, alt

A = CommandAction
PRE = rf"(?P<pre>(?:{FILLERS})*)"
POSTS = rf"(?P<post>(?:{POST})*)"
OBJ_PREFIX = alt("这个", "那个", "这款", "那款", "咱们的", "我们的", "咱家的", "我家的", "一下")

STRONG_NUM = re.compile(
    rf"(?P<verb>{alt('上链接', '链接上', '打开链接', '开链接', '弹链接', '挂链接', '上个链接', '给我上链接')})"
    rf"(?P<ref>第?(?P<n>\d+)(?P<unit>号|个)?(?P<noun>{PRODUCT_NOUN})?)")
NUM_NOUN = re.compile(rf"^{PRE}(?P<ref>第?(?P<n>\d+)(?:号|个)?(?:{PRODUCT_NOUN}))(?:来了|到了)?{POSTS}$")
LINK_NUM = re.compile(rf"^{PRE}链接(?P<n>\d+)号?{POSTS}$")
NAME_LINK = re.compile(rf"^{PRE}(?:{OBJ_PREFIX})*(?P<obj>.+?)的?链接(?P<verb>来了|走起)?{POSTS}$")
NEXT = re.compile(
    rf"^{PRE}(?:来看|看|换|换到|切到|切换到|上|到|去|轮到)?(?P<w>下一个|下一款|下个|后一个)(?P<noun>{PRODUCT_NOUN})?"
    rf"(?:上链接)?{POSTS}$")
PREVIOUS = re.compile(
    rf"^{PRE}(?:返回|回到|退回|回|看一下|看|换|换到|切到|切回|上)?(?P<w>上一个|上一款|上个|前一个)(?P<noun>{PRODUCT_NOUN})?"
    rf"{POSTS}$")
UNIT = r"(?:秒钟|秒|分钟|分)"
FLASH = re.compile(
    rf"^{PRE}(?:(?P<ref>第?(?P<n>\d+)(?:号|个)(?:{PRODUCT_NOUN})?)|(?P<name>(?:(?!秒杀|闪购|抢购|倒计时|开始|来个|来一)[\u4e00-\u9fff]){{2,8}}?))??"
    rf"(?P<start>开始|开启|来个|来一个|来一波|上|开)?"
    rf"(?:(?P<d1>\d+)(?P<u1>{UNIT})的?)?(?:限时)?(?P<kw>秒杀|闪购|抢购|倒计时)(?P<start2>开始|倒计时)?"
    rf"(?:(?P<d2>\d+)(?P<u2>{UNIT})?)?(?:倒计时)?(?P<start3>开始|开始了|走起)?{POSTS}$")
#: a clause that is only a duration, said after a pause ("秒杀开始，三十秒")
DURATION = re.compile(rf"^(?:倒计时)?\d+{UNIT}$")



def blocked(prefix: str, suffix: str) -> str:
    """Why words around a command cancel it ('' = they don't)."""
    m = PREFIX_BLOCK.search(prefix)
    if m:
        return f"'{m.group(0)}' before the command"
    m = SUFFIX_BLOCK.search(suffix)
    return f"'{m.group(0)}' after the command" if m else ""


def flash_sale(c: str, product_name: NameLookup) -> Command | None:
    """秒杀 60 秒 / 3号链接秒杀一分钟 / 蜂蜜秒杀一分钟 / 开始秒杀，倒计时三十秒."""
    m = FLASH.match(c)
    if not m:
        return None
    secs = duration(m)
    started = m["start"] or m["start2"] == "开始" or m["start3"]
    if not (secs or started) or (m["kw"] == "倒计时" and not secs):
        return None
    if PREFIX_BLOCK.search(m["pre"] + (m["name"] or "")):
        return no_command("negated or not now")
    has_unit = bool(m["u1"] or m["u2"]) or bool(started and not m["d2"])
    return flash_command(m, product_name, complete=has_unit, language="zh")


def next_or_previous(c: str) -> Command | None:
    """下一个 / 下一个链接 / 返回上一个."""
    for pattern, action in ((NEXT, A.NEXT), (PREVIOUS, A.PREVIOUS)):
        m = pattern.match(c)
        if m:
            if PREFIX_BLOCK.search(m["pre"]):
                return no_command("negated or not now")
            return Command(action, confidence=0.95 if m["noun"] else 0.9, complete=bool(m["noun"] or m["post"]),
                           language="zh", matched=m.group(0))
    return None


def strong_number(c: str) -> Command | None:
    """上链接3号 anywhere in a clause (the words before it may be anything but a negation or another time)."""
    for m in STRONG_NUM.finditer(c):
        why = blocked(c[:m.start()], c[m.end():])
        if why:
            return no_command(f"not a command: {why}")
        post_ok = re.fullmatch(f"(?:{POST})*", c[m.end():]) is not None
        complete = bool(m["unit"] or m["noun"] or c[m.end():])
        return Command(A.SHOW, product=int(m["n"]), confidence=0.95 if post_ok else 0.85, complete=complete,
                       language="zh", matched=m.group(0))
    return None


def noun_only(c: str, product_name: NameLookup) -> Command | None:
    """3号链接 / 链接十二号 / 红茶礼盒的链接: commands only as a whole utterance (``standalone``)."""
    m = NUM_NOUN.match(c) or LINK_NUM.match(c)
    if m:
        if PREFIX_BLOCK.search(m["pre"]):
            return no_command("negated or not now")
        return Command(A.SHOW, product=int(m["n"]), confidence=0.85, standalone=True, language="zh",
                       matched=m.group(0))
    m = NAME_LINK.match(c)
    if m and not PREFIX_BLOCK.search(c[:m.end("obj")]) and not re.search(r"\d", m["obj"]):
        found = product_name(m["obj"])
        if found is not None:
            return Command(A.SHOW, product=int(found.key), confidence=round(0.95 * found.score, 3),
                           standalone=not m["verb"], language="zh", matched=m.group(0))
    return None
