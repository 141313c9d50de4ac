"""Spoken product commands in Mandarin and English, parsed from caption text.

``CommandParser(catalog).parse("上链接3号")`` → ``Command(command="show", product=3, …)``.

Rules, not a model: every command has an explicit phrase pattern, so ordinary selling talk
("3号已经卖完了", "I showed product three yesterday") does not fire. Each clause of a caption is
tried on its own; negation, past/future and question words around a command cancel it.

- A *verb form* ("上链接3号", "show product 3") may stand anywhere in a clause.
- A *noun form* ("3号链接", "product number three") is a command only as a whole clause, and only
  on committed text (``standalone``), because "3号链接已经卖完了" starts the same way.
- ``complete`` says whether more words could still change the command (a number at the very end
  of a partial caption could grow: "product 3" → "product 30"); the detector acts on a partial
  caption only when it is complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from .catalog import Catalog
from .names import NameMatcher
from .text import (
    EN_NUMBER_HOMOPHONES,
    EN_ORDINALS,
    canonicalise_homophones,
    chinese_numbers_to_digits,
    english_numbers_to_digits,
    fix_english_homophones,
    has_cjk,
    normalise,
    syllables,
)

COMMANDS = ("show", "next", "previous", "hide", "flash_sale")
MIN_SECONDS, MAX_SECONDS = 5, 3600


@dataclass(frozen=True)
class Command:
    """What one caption asks for; ``command`` is None when it asks for nothing."""

    command: str | None
    product: int | None = None
    seconds: int | None = None
    confidence: float = 0.0
    complete: bool = True
    standalone: bool = False
    language: str = ""
    matched: str = ""
    reason: str = ""

    @property
    def key(self) -> tuple[str | None, int | None, int | None]:
        """What makes two commands the same action (for de-duplication)."""
        return (self.command, self.product, self.seconds)

    def to_json(self) -> dict[str, Any]:
        """The ``streamkit products parse`` output."""
        return {"command": self.command, "product": self.product, "seconds": self.seconds,
                "confidence": round(self.confidence, 3)}


def no_command(reason: str) -> Command:
    return Command(None, reason=reason)


def _alt(*words: str) -> str:
    """A regex alternation, longest first so 上链接 wins over 上."""
    return "(?:" + "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True)) + ")"


# --- Mandarin ------------------------------------------------------------------------------
ZH_KEYWORDS = ("链接", "秒杀", "收起来", "收起", "下一个", "上一个", "讲解", "宝贝", "卡片", "隐藏",
               "倒计时", "看一下", "介绍")
ZH_FILLERS = _alt("好的", "好了", "好", "那么", "那我们", "那", "来来来", "来来", "来", "现在", "接下来", "下面",
                  "然后", "我们", "咱们", "家人们", "宝宝们", "宝子们", "姐妹们", "兄弟们", "朋友们", "大家",
                  "各位", "给大家", "帮我", "帮忙", "请", "麻烦", "马上", "立刻", "赶紧", "先", "再", "就", "把",
                  "ok", "okay", "嗯", "呃", "啊", "哎", "行", "对", "这边", "老铁们")
ZH_POST = _alt("了", "吧", "啊", "呀", "哈", "哦", "喔", "嘛", "啦", "来了", "走起", "走一波", "安排", "安排上",
               "一下", "上来", "出来", "弹出来", "挂上", "挂出来", "给大家", "给大家看看", "大家看看", "看看",
               "看一下", "讲解一下", "上车", "哈哈", "谢谢", "马上", "现在")
PRE = rf"(?P<pre>(?:{ZH_FILLERS})*)"
POST = rf"(?P<post>(?:{ZH_POST})*)"
ZH_NOUN = _alt("链接", "宝贝", "商品", "产品", "款")
ZH_SHOW_STRONG = _alt("上链接", "链接上", "打开链接", "开链接", "弹链接", "挂链接", "上个链接", "给我上链接")
ZH_SHOW_WEAK = _alt("上一下", "上", "开", "弹出", "弹", "挂", "放", "讲解一下", "讲解", "讲讲", "讲一下", "介绍一下",
                    "介绍", "看一下", "看下", "看看", "瞧一下", "瞧瞧", "来看", "来看看", "来看一下", "切到", "切换到",
                    "换到", "换成", "展示一下", "展示", "打开")
ZH_OBJ_PREFIX = _alt("这个", "那个", "这款", "那款", "咱们的", "我们的", "咱家的", "我家的", "一下")
ZH_PREFIX_BLOCK = re.compile(
    r"(?<!不)不(?!错|锈|粘|少)|别|没|未|甭|勿|已经|刚才|刚刚|之前|昨天|明天|前天|上次|下次|等会|等一会|待会|一会|"
    r"稍后|回头|以后|之后|如果|要是|假如|万一|能不能|是不是|怎么|为什么|什么时候|问|说过|听说")
ZH_SUFFIX_BLOCK = re.compile(
    r"^的|吗|么|呢|卖完|卖光|售罄|没货|没有|断货|缺货|已经|的时候|的话|之后|以后|怎么样|多少钱|好不好|行不行|"
    r"是不是|过了|不要|不用|别")

# show by number
ZH_SHOW_STRONG_NUM = re.compile(rf"(?P<verb>{ZH_SHOW_STRONG})(?P<ref>第?(?P<n>\d+)(?P<unit>号|个)?(?P<noun>{ZH_NOUN})?)")
ZH_SHOW_WEAK_NUM = re.compile(
    rf"(?P<verb>{ZH_SHOW_WEAK})(?P<ref>(?P<di>第)?(?P<n>\d+)(?P<unit>号|个)?(?P<noun>{ZH_NOUN})?)")
ZH_NUM_THEN_VERB = re.compile(
    rf"^{PRE}(?P<ref>第?(?P<n>\d+)(?:号|个)(?:{ZH_NOUN})?)(?P<verb>上链接|上一下|上车|安排上|安排|走起|开始讲解|讲解|上|弹出来|挂出来){POST}$")
ZH_NUM_NOUN = re.compile(rf"^{PRE}(?P<ref>第?(?P<n>\d+)(?:号|个)?(?:{ZH_NOUN}))(?:来了|到了)?{POST}$")
ZH_LINK_NUM = re.compile(rf"^{PRE}链接(?P<n>\d+)号?{POST}$")
# show by name
ZH_SHOW_NAME = re.compile(
    rf"^{PRE}(?P<verb>{ZH_SHOW_STRONG}|{ZH_SHOW_WEAK})(?:{ZH_OBJ_PREFIX})*(?P<obj>.+?)(?:的?(?:{ZH_NOUN}))?{POST}$")
ZH_NAME_LINK = re.compile(rf"^{PRE}(?:{ZH_OBJ_PREFIX})*(?P<obj>.+?)的?链接(?P<verb>上一下|上|走起|来了|安排上)?{POST}$")
# next / previous
ZH_NEXT = re.compile(
    rf"^{PRE}(?:来看|看|换|换到|切到|切换到|上|到|去|轮到)?(?P<w>下一个|下一款|下个|后一个)(?P<noun>{ZH_NOUN})?{POST}$")
ZH_PREVIOUS = re.compile(
    rf"^{PRE}(?:返回|回到|退回|回|看|换|换到|切到|切回|上)?(?P<w>上一个|上一款|上个|前一个)(?P<noun>{ZH_NOUN})?{POST}$")
# hide
ZH_HIDE_VERBS = _alt("收起来", "收起", "收一下", "收掉", "收了", "关掉", "关了", "关闭", "关一下", "隐藏", "隐藏掉",
                     "藏起来", "撤掉", "撤下", "撤了", "拿掉", "去掉", "下掉")
ZH_HIDE_OBJ = _alt("链接", "卡片", "商品卡", "卡", "它", "这个", "商品", "宝贝", "弹窗", "讲解卡", "小黄车")
ZH_HIDE = re.compile(rf"^{PRE}(?P<obj>{ZH_HIDE_OBJ})?(?:先)?(?P<verb>{ZH_HIDE_VERBS})(?:一下)?(?P<obj2>{ZH_HIDE_OBJ})?{POST}$")
ZH_HIDE_FIXED = re.compile(rf"^{PRE}(?:下链接|取消讲解|结束讲解|讲解结束|链接下了|下掉链接){POST}$")
# flash sale
ZH_UNIT = r"(?:秒钟|秒|分钟|分)"
ZH_FLASH = re.compile(
    rf"^{PRE}(?:(?P<ref>第?(?P<n>\d+)(?:号|个)(?:{ZH_NOUN})?))?(?P<start>开始|开启|来个|来一个|来一波|上|开)?"
    rf"(?:(?P<d1>\d+)(?P<u1>{ZH_UNIT})的?)?(?:限时)?(?P<kw>秒杀|闪购|抢购|倒计时)(?P<start2>开始|倒计时)?"
    rf"(?:(?P<d2>\d+)(?P<u2>{ZH_UNIT})?)?(?:倒计时)?(?P<start3>开始|开始了|走起)?{POST}$")


# --- English -------------------------------------------------------------------------------
EN_FILLERS = r"(?:(?:okay|ok|alright|all right|right|so|and|now|then|great|well|um|uh|hey|guys|everyone|everybody|folks|friends|please|next up|up next|here's|here is|time for|let's do|let's go) )*"
EN_POST = r"(?P<post>(?: (?:please|now|guys|everyone|everybody|folks|thanks|thank you|for me|for us|right now|again|okay|ok))*)"
EN_SHOW = (r"(?:show(?: me| us| you| you guys| everyone| everybody)?|pin|open|display|feature|highlight|pull up|"
           r"bring up|put up|pop up|let's see|let's look at|let's check out|look at|check out|go to|switch to|"
           r"jump to|let me show you|take a look at|we're looking at|let's talk about|talk about)")
EN_REF_WORD = r"(?:product|item|link|listing|lot|number)"
EN_REF = (rf"(?:the |our )?(?:{EN_REF_WORD}(?: number)? (?P<n>\d+)|(?P<n2>\d+)(?:st|nd|rd|th)? (?:product|item|link)"
          rf"|(?P<ord>{'|'.join(EN_ORDINALS)}) (?:product|item|link|one))")
EN_BLOCK = re.compile(
    r"\b(?:don't|do not|dont|never|not|didn't|won't|can't|cannot|shouldn't|wouldn't|no need|yesterday|tomorrow|"
    r"later|earlier|last time|next time|last week|already|before|soon|in a minute|in a moment|in a bit|if|when|"
    r"whether|once|after|ago|was|were|will|gonna|going to|would|could|should|might|did|have|has|had|sold out|"
    r"out of stock|i'll|we'll|maybe|why|how|what|showed|shown)\b")
EN_SHOW_NUM = re.compile(rf"^(?P<pre>.*?)\b{EN_SHOW} {EN_REF}(?P<rest>.*)$")
EN_NOUN_NUM = re.compile(rf"^{EN_FILLERS}(?:the )?(?:{EN_REF_WORD}(?: number)? (?P<n>\d+)){EN_POST}$")
EN_SHOW_NAME = re.compile(rf"^{EN_FILLERS}{EN_SHOW}(?: the| our| this| that| my| these| those)? (?P<obj>.+?){EN_POST}$")
EN_NEXT = re.compile(
    rf"^{EN_FILLERS}(?:(?:show|go to|on to|moving on to|move on to|let's see|let's go to|let's move to|let's move on to|"
    rf"switch to|pin|bring up|skip to)(?: me| us)? )?(?:the )?next(?: (?P<noun>product|item|one|link|listing|card))?{EN_POST}$")
EN_PREVIOUS = re.compile(
    rf"^{EN_FILLERS}(?:(?:go back to|back to|show|switch to|return to|let's go back to|bring back|bring up|pin) )?"
    rf"(?:the )?(?:previous|prior|last)(?: (?P<noun>product|item|one|link|listing|card))?{EN_POST}$|"
    rf"^{EN_FILLERS}(?:go back(?: one)?|back one){EN_POST.replace('?P<post>', '?:')}$")
EN_HIDE = re.compile(
    rf"^{EN_FILLERS}(?:(?P<verb>hide|close|remove|dismiss|clear|drop|take down|kill|get rid of)"
    rf"(?: (?:the|this|that))?(?: (?P<obj>product card|card|product|link|listing|overlay|banner|popup|it))?(?: down| off| away)?"
    rf"|take (?P<obj2>it|the card|that|the product) (?:down|off|away)|(?:the )?card (?:off|away|down)){EN_POST}$")
EN_UNIT = r"(?:seconds|second|secs|sec|minutes|minute|mins|min)"
EN_FLASH = re.compile(
    rf"^{EN_FILLERS}(?:(?P<start>start|begin|run|launch|kick off|do|let's do|let's start|let's run|time for|here's)"
    rf"(?: a| the| our)? )?(?:(?P<d1>\d+) (?P<u1>{EN_UNIT})(?: long)? )?(?P<kw>flash sale|flash deal|lightning deal|countdown)"
    rf"(?: (?:on|for) (?:product|item|number|link)(?: number)? (?P<n>\d+)| (?:product|item|number|link)(?: number)? (?P<n2>\d+))?"
    rf"(?: (?:for|of))?(?: (?P<d2>\d+)(?: (?P<u2>{EN_UNIT}))?)?(?: countdown)?(?: (?P<go>starts now|starting now|now|go))?{EN_POST}$")


def _seconds(value: str | None, unit: str | None) -> int | None:
    if not value:
        return None
    n = int(value)
    if unit and (unit.startswith("分") or unit.startswith("min")):
        n *= 60
    return n if MIN_SECONDS <= n <= MAX_SECONDS else None


def _zh_blocked(prefix: str, suffix: str) -> str:
    if ZH_PREFIX_BLOCK.search(prefix):
        return f"'{ZH_PREFIX_BLOCK.search(prefix).group(0)}' before the command"  # type: ignore[union-attr]
    m = ZH_SUFFIX_BLOCK.search(suffix)
    if m:
        return f"'{m.group(0)}' after the command"
    return ""


def _zh_post_ok(post: str) -> bool:
    return re.fullmatch(f"(?:{ZH_POST})*", post) is not None


class CommandParser:
    """Parses caption text into a :class:`Command` against one catalog (for names and aliases)."""

    def __init__(self, catalog: Catalog, *, wake_word: str = "", name_threshold: float = 0.8) -> None:
        self.catalog = catalog
        self.wake_word = normalise(wake_word) if wake_word else ""
        self.names = NameMatcher(catalog, threshold=name_threshold)

    # public -----------------------------------------------------------------------------------
    def parse(self, text: str) -> Command:
        """The command in ``text``: the last one when there are several (see :meth:`parse_all`)."""
        commands = self.parse_all(text)
        return commands[-1]

    def parse_all(self, text: str) -> list[Command]:
        """Every command in ``text``, in order (a show followed by a flash sale becomes one flash sale on
        that product); ``[no_command(reason)]`` when there is none."""
        t = normalise(text)
        if not t:
            return [no_command("empty")]
        if self.wake_word:
            after = self._after_wake_word(t)
            if after is None:
                return [no_command("no wake word")]
            t = after
        clauses = self._clauses(fix_english_homophones(t))
        parsed = [(cmd, question) for clause, question in clauses for cmd in self._parse_clause(clause, question)]
        found: list[Command] = []
        reasons: list[str] = []
        for i, (cmd, _) in enumerate(parsed):
            if not cmd.command:
                if cmd.reason:
                    reasons.append(cmd.reason)
                continue
            if i < len(parsed) - 1 and not cmd.complete:  # more words came after it
                cmd = replace(cmd, complete=True)
            if cmd.command == "flash_sale" and cmd.product is None and found and found[-1].command == "show":
                show = found.pop()
                cmd = replace(cmd, product=show.product, confidence=min(cmd.confidence, show.confidence),
                              standalone=False, matched=f"{show.matched} {cmd.matched}")
            found.append(cmd)
        return found or [no_command(reasons[-1] if reasons else "no command words")]

    # helpers ----------------------------------------------------------------------------------
    def _after_wake_word(self, t: str) -> str | None:
        ww = self.wake_word
        i = t.find(ww)
        if i >= 0:
            return t[i + len(ww):].lstrip(" ,，、:：")
        if has_cjk(ww):  # a homophone of the wake word is fine (小播 ≈ 小波)
            n = len(ww)
            key = syllables(ww)
            for j in range(0, max(0, len(t) - n) + 1):
                if syllables(t[j:j + n]) == key:
                    return t[j + n:].lstrip(" ,，、:：")
        return None

    @staticmethod
    def _clauses(t: str) -> list[tuple[str, bool]]:
        """Sentences, and the comma clauses of Chinese sentences; each with whether it is a question.

        English sentences keep their commas (Whisper puts them anywhere: "Next, product.")."""
        parts = re.split(r"([!?;。！？；…\n]+|\.(?!\d))", t)
        out: list[tuple[str, bool]] = []
        for k in range(0, len(parts), 2):
            sentence = parts[k].strip()
            delim = parts[k + 1] if k + 1 < len(parts) else ""
            question = "?" in delim or "？" in delim
            pieces = re.split(r"[,，、]+", sentence) if has_cjk(sentence) else [sentence]
            out += [(p.strip(), question and i == len(pieces) - 1) for i, p in enumerate(pieces) if p.strip()]
        return out

    def _parse_clause(self, clause: str, question: bool) -> list[Command]:
        """Commands of one clause; an English sentence with no command as a whole is tried comma by comma."""
        if has_cjk(clause):
            cmds = [self._parse_zh(clause)]
        else:
            cmds = [self._parse_en(clause)]
            if not cmds[0].command and "," in clause:
                cmds = [self._parse_en(p) for p in clause.split(",") if p.strip()] or cmds
        if question and any(c.command for c in cmds):
            return [no_command("a question")]
        return cmds

    # Mandarin ---------------------------------------------------------------------------------
    def _parse_zh(self, clause: str) -> Command:
        c = chinese_numbers_to_digits(canonicalise_homophones(clause.replace(" ", ""), ZH_KEYWORDS))

        m = ZH_FLASH.match(c)
        if m:
            seconds = _seconds(m["d1"], m["u1"]) or _seconds(m["d2"], m["u2"])
            started = m["start"] or m["start2"] == "开始" or m["start3"]
            if (seconds or started) and not (m["kw"] == "倒计时" and not seconds):
                if ZH_PREFIX_BLOCK.search(m["pre"]):
                    return no_command("negated or not now")
                has_unit = bool(m["u1"] or m["u2"]) or bool(started and not m["d2"])
                return Command("flash_sale", int(m["n"]) if m["n"] else None, seconds,
                               0.95 if seconds else 0.85, complete=has_unit, language="zh", matched=m.group(0))

        m = ZH_HIDE.match(c) or ZH_HIDE_FIXED.match(c)
        if m:
            if ZH_PREFIX_BLOCK.search(m["pre"]):
                return no_command("negated or not now")
            verb = m.groupdict().get("verb") or "下链接"
            obj = m.groupdict().get("obj") or m.groupdict().get("obj2")
            complete = bool(obj) or verb in ("收起来", "隐藏", "隐藏掉", "藏起来", "下链接") or bool(m["post"])
            return Command("hide", None, None, 0.95 if obj else 0.9, complete=complete, language="zh", matched=m.group(0))

        for pattern, command in ((ZH_NEXT, "next"), (ZH_PREVIOUS, "previous")):
            m = pattern.match(c)
            if m:
                if ZH_PREFIX_BLOCK.search(m["pre"]):
                    return no_command("negated or not now")
                complete = bool(m["noun"] or m["post"])
                return Command(command, None, None, 0.95 if m["noun"] else 0.9, complete=complete, language="zh",
                               matched=m.group(0))

        cmd = self._zh_show_number(c)
        if cmd is not None:
            return cmd
        return self._zh_show_name(c)

    def _zh_show_number(self, c: str) -> Command | None:
        for pattern, strong in ((ZH_SHOW_STRONG_NUM, True), (ZH_SHOW_WEAK_NUM, False)):
            for m in pattern.finditer(c):
                if not strong:
                    if not (m["di"] or m["unit"] == "号" or m["noun"]):
                        continue
                    if m["verb"] == "上" and not re.fullmatch(f"(?:{ZH_FILLERS})*", c[:m.start()]):
                        continue  # 早上3号… / 马上… : 上 is only a verb at the start of a clause
                prefix, suffix = c[:m.start()], c[m.end():]
                blocked = _zh_blocked(prefix, suffix)
                if blocked:
                    return no_command(f"not a command: {blocked}")
                post_ok = _zh_post_ok(suffix)
                marked = bool(m["unit"] or m["noun"])
                complete = marked or bool(suffix)
                conf = 0.95 if post_ok else 0.85
                return Command("show", int(m["n"]), None, conf, complete=complete, language="zh", matched=m.group(0))
        m = ZH_NUM_THEN_VERB.match(c)
        if m:
            if ZH_PREFIX_BLOCK.search(m["pre"]):
                return no_command("negated or not now")
            return Command("show", int(m["n"]), None, 0.95, complete=True, language="zh", matched=m.group(0))
        m = ZH_NUM_NOUN.match(c) or ZH_LINK_NUM.match(c)
        if m:
            if ZH_PREFIX_BLOCK.search(m["pre"]):
                return no_command("negated or not now")
            return Command("show", int(m["n"]), None, 0.85, complete=True, standalone=True, language="zh",
                           matched=m.group(0))
        return None

    def _zh_show_name(self, c: str) -> Command:
        for pattern, standalone in ((ZH_SHOW_NAME, False), (ZH_NAME_LINK, True)):
            m = pattern.match(c)
            if not m:
                continue
            obj = m["obj"]
            if ZH_PREFIX_BLOCK.search(c[:m.end("obj")]) or re.search(r"\d", obj):
                continue
            found = self.names.match(obj)
            if found is None:
                continue
            standalone = standalone and not m["verb"]
            return Command("show", found.serial, None, round(0.95 * found.score, 3), complete=True,
                           standalone=standalone, language="zh", matched=m.group(0))
        return no_command("no command words")

    # English ----------------------------------------------------------------------------------
    @staticmethod
    def _prepare_en(clause: str) -> str:
        t = clause.replace("let us", "let's").replace("’", "'")
        t = re.sub(r"#\s*(\d)", r"number \1", t)
        t = re.sub(r"\bno\.\s*(\d)", r"number \1", t)
        t = re.sub(r"[^a-z0-9' ]+", " ", t)
        t = re.sub(r"\s+", " ", t).strip()
        t = re.sub(r"\b(next|last|previous|prior|this|that|the|which|each|every|no|any|other) one\b", r"\1 _one_", t)
        t = english_numbers_to_digits(t).replace("_one_", "one")
        homophones = "|".join(EN_NUMBER_HOMOPHONES)
        t = re.sub(rf"\b((?:product|item|number|link)(?: number)?) ({homophones})\b",
                   lambda m: f"{m.group(1)} {EN_NUMBER_HOMOPHONES[m.group(2)]}", t)
        return t

    def _parse_en(self, clause: str) -> Command:
        t = self._prepare_en(clause)
        if not t:
            return no_command("empty")
        if EN_BLOCK.search(t):
            return no_command(f"not a command: '{EN_BLOCK.search(t).group(0)}'")  # type: ignore[union-attr]

        m = EN_FLASH.match(t)
        if m:
            seconds = _seconds(m["d1"], m["u1"]) or _seconds(m["d2"], m["u2"])
            if seconds or (m["start"] and m["kw"] != "countdown"):
                product = m["n"] or m["n2"]
                complete = bool(m["u1"] or m["u2"] or m["go"] or m["post"]) or (seconds is None and not m["d2"])
                return Command("flash_sale", int(product) if product else None, seconds, 0.95 if seconds else 0.85,
                               complete=complete, language="en", matched=m.group(0))

        m = EN_HIDE.match(t)
        if m:
            obj = m["obj"] or m["obj2"]
            # "hide" alone may still become "hide and seek…": on a partial caption it waits for more words
            return Command("hide", None, None, 0.95 if obj else 0.9, complete=bool(obj or m["post"]),
                           language="en", matched=m.group(0))

        for pattern, command in ((EN_NEXT, "next"), (EN_PREVIOUS, "previous")):
            m = pattern.match(t)
            if m:
                noun = m.groupdict().get("noun")
                return Command(command, None, None, 0.95 if noun else 0.9, complete=bool(noun or m["post"]) or "back" in t,
                               language="en", matched=m.group(0))

        m = EN_SHOW_NUM.match(t)
        if m:
            pre, rest = m["pre"].strip(), m["rest"].strip()
            serial = int(m["n"] or m["n2"] or EN_ORDINALS.get(m["ord"] or "", 0))
            if serial and (not pre or re.fullmatch(EN_FILLERS.rstrip("*") + "*", pre + " ")):
                rest_ok = re.fullmatch(EN_POST, (" " + rest) if rest else "") is not None
                complete = bool(rest) or bool(m["ord"] or m["n2"])
                return Command("show", serial, None, 0.95 if rest_ok else 0.85, complete=complete, language="en",
                               matched=m.group(0))

        m = EN_NOUN_NUM.match(t)
        if m:
            return Command("show", int(m["n"]), None, 0.85, complete=bool(m["post"]), standalone=True, language="en",
                           matched=m.group(0))

        m = EN_SHOW_NAME.match(t)
        if m:
            obj = m["obj"]
            found = self.names.match(obj) if not re.search(r"\d", obj) else None
            if found is not None:
                return Command("show", found.serial, None, round(0.95 * found.score, 3), complete=bool(m["post"]),
                               language="en", matched=m.group(0))
        return no_command("no command words")
