"""The Mandarin grammar: one clause → one :class:`Command`.

Rules, tried in order on a clause with fillers (好的, 家人们, 来来来 …) and particles (吧, 啊 …) aside:

1. the confirmation step and the status readback, only as a whole clause (确认, 取消, 播报状态);
2. words that are a command by themselves (关麦, 开播, 收起来, 下链接);
3. flash sales, next / previous, and 上链接3号 anywhere in the clause (:mod:`.zh_products`);
4. a verb and its object, either order: 切到 近景 · 上一下 6号 · 把 3号 挂上来 · 蜂蜜 上链接 · 二维码 收起来;
5. noun-only product forms (3号链接), which count only as a whole utterance.

Negation, another time, conditions, reported speech and words to viewers before a command cancel it
(别切到近景, 刚才静音了, 你们可以切到…); 开播了 / 下播啦 announce rather than order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .model import Command, CommandAction, no_command
from .resolve import Family, Phrase, Resolver
from .text import canonicalise_homophones, chinese_numbers_to_digits
from .zh_products import DURATION, flash_sale, next_or_previous, noun_only, strong_number
from .zh_words import (BEFORE_VERB, CANCEL, CONFIRM, FEATURES, FILLERS, FIXED, OBJ_HEAD, OBJ_TAIL, POST,
                       PREFIX_BLOCK, PRODUCT_NOUN, SCENE_MARK_HEAD, SCENE_MARK_TAIL, SCENE_SUBJECT, STATUS,
                       VERBS_FIRST, VERBS_LAST)

A = CommandAction
#: command words whose near-homophones recognition writes (上连接 → 上链接)
KEYWORDS = ("链接", "秒杀", "收起来", "收起", "下一个", "上一个", "讲解", "宝贝", "卡片", "隐藏", "倒计时", "看一下", "介绍")
_SPLIT = re.compile(rf"^(?P<pre>(?:{FILLERS})*)(?P<body>.*?)(?P<post>(?:{POST})*)$")
_REF = re.compile(rf"^(?P<di>第)?(?P<n>\d+)(?P<unit>号|个)?(?P<noun>{PRODUCT_NOUN})?$")
_FIRST = sorted(VERBS_FIRST, key=len, reverse=True)
_LAST = sorted(VERBS_LAST, key=len, reverse=True)
_UNMUTE_NAMED = re.compile(r"^取消(?P<obj>.+?)的?静音$")
_ANNOUNCED = {A.RECORD_START, A.RECORD_STOP, A.STREAM_START, A.STREAM_STOP}


@dataclass(frozen=True)
class Split:
    """A clause as fillers, the words that matter, and particles."""

    pre: str
    body: str
    post: str


def prepare(clause: str) -> str:
    """No spaces, command-word homophones fixed, Chinese numbers as digits where a number is meant."""
    return chinese_numbers_to_digits(canonicalise_homophones(clause.replace(" ", ""), KEYWORDS))


def split(c: str) -> Split:
    m = _SPLIT.match(c)
    assert m is not None  # every part is optional
    return Split(m["pre"], m["body"], m["post"])


class ZhGrammar:
    """Parses Mandarin clauses against the names a :class:`Resolver` knows."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def parse(self, clause: str) -> Command:
        """The command in one clause (``no_command`` with a reason when there is none)."""
        c = prepare(clause)
        s = split(c)
        names = self.resolver.products.match
        for rule in (lambda: self._closed(s), lambda: self._fixed(s), lambda: flash_sale(c, names),
                     lambda: next_or_previous(c), lambda: strong_number(c), lambda: self._verb_object(s),
                     lambda: noun_only(c, names)):
            cmd = rule()
            if cmd is not None:
                return cmd
        return no_command("no command words")

    def is_bare_verb(self, clause: str, last: bool = False) -> bool:
        """A verb said alone, waiting for its object after a pause ("上链接，三号", "切换场景，近景"); with
        ``last``, a verb that closes a command, its object said before the pause ("蜂蜜，上链接")."""
        body = split(prepare(clause)).body
        if last:
            return VERBS_LAST.get(body) in (Family.SHOW_STRONG, Family.SHOW)
        body = SCENE_MARK_TAIL.sub("", body) if body.startswith("切") else body
        return VERBS_FIRST.get(body) in (Family.SHOW_STRONG, Family.SHOW, Family.SCENE)

    @staticmethod
    def is_filler(clause: str) -> bool:
        """Only fillers (嗯, 那个 …): a pause word between a verb and its object."""
        return not split(prepare(clause)).body

    @staticmethod
    def continues_flash_sale(previous: str, clause: str) -> bool:
        """A duration said after a pause that belongs to the flash sale before it ("秒杀开始，三十秒")."""
        return bool(re.search("秒杀|倒计时|闪购", previous)) and DURATION.match(prepare(clause)) is not None

    # rules ---------------------------------------------------------------------------------------------
    @staticmethod
    def _closed(s: Split) -> Command | None:
        for pattern, action in ((CONFIRM, A.CONFIRM), (CANCEL, A.CANCEL), (STATUS, A.STATUS)):
            if re.fullmatch(pattern, s.body) and not PREFIX_BLOCK.search(s.pre):
                return Command(action, confidence=0.95, standalone=True, language="zh", matched=s.body)
        return None

    def _fixed(self, s: Split) -> Command | None:
        if s.body not in FIXED:
            return None
        family, feature = FIXED[s.body]
        return self._resolve(s, Phrase(family, "", feature, closed=bool(s.post), language="zh", matched=s.body))

    def _verb_object(self, s: Split) -> Command | None:
        block = PREFIX_BLOCK.search(s.pre + s.body)  # 上次…, 别切到…, 3号已经…
        if block:
            return no_command(f"not a command: '{block.group(0)}'")
        subject = SCENE_SUBJECT.match(s.body)  # 画面切到…, 把场景切到…
        body = s.body[subject.end():] if subject else s.body
        unmute = _UNMUTE_NAMED.match(body)
        if unmute:  # 取消背景音乐静音
            return self._resolve(s, self._phrase(Family.UNMUTE, "", unmute["obj"], s, False))
        return self._verb_first(s, body, bool(subject)) or self._object_verb(s, body)

    def _verb_first(self, s: Split, body: str, explicit: bool) -> Command | None:
        """切到 近景 · 上一下 6号 · 静音 背景音乐 (the last filler may start the verb: 来 | 来看 第三个)."""
        last_filler = re.search(rf"(?:{FILLERS})$", s.pre)
        for start in (body, last_filler.group(0) + body) if last_filler else (body,):
            for verb in _FIRST:
                if start.startswith(verb) and not _COPULA.match(start[len(verb):]):
                    cmd = self._resolve(s, self._phrase(VERBS_FIRST[verb], verb, start[len(verb):], s, explicit))
                    if cmd is not None:
                        return cmd
        return None

    def _object_verb(self, s: Split, body: str) -> Command | None:
        """把 3号 挂上来 · 蜂蜜 上链接 · 二维码 收起来 · 录制 开始."""
        for verb in _LAST:
            if not body.endswith(verb) or len(body) == len(verb):
                continue
            head = re.sub(rf"(?:{BEFORE_VERB})+$", "", body[: -len(verb)])
            ba = re.search("把|将", head)
            if ba and not re.fullmatch(f"(?:{FILLERS})*", head[: ba.start()]):
                continue
            obj = head[ba.end():] if ba else head
            cmd = self._resolve(s, self._phrase(VERBS_LAST[verb], verb, obj, s, False))
            if cmd is not None:
                return cmd
        return None

    def _resolve(self, s: Split, phrase: Phrase) -> Command | None:
        cmd = self.resolver.resolve(phrase)
        if cmd is not None and cmd.action in _ANNOUNCED and re.search("了|啦", s.post):
            return no_command("announces what happened (了/啦), not an order")
        return cmd

    @staticmethod
    def _phrase(family: Family, verb: str, raw: str, s: Split, explicit: bool) -> Phrase:
        """The object words of ``verb``, typed: a feature word, a product number, or a name."""
        obj = clean_object(raw, verb)
        head, tail = SCENE_MARK_HEAD.match(obj), SCENE_MARK_TAIL.search(obj)
        whole = ""
        if family is Family.SCENE and (head or tail):
            whole, obj, explicit = obj, obj[head.end() if head else 0: tail.start() if tail else None], True
        base = Phrase(family, obj, closed=bool(s.post), explicit_scene=explicit, whole=whole, language="zh",
                      matched=s.body)
        if obj in FEATURES:
            return replace(base, feature=FEATURES[obj])
        ref = _REF.match(obj)
        if ref:
            marked = bool(ref["di"] or ref["unit"] == "号" or ref["noun"])
            return replace(base, serial=int(ref["n"]), marked=marked, closed=base.closed or marked or bool(ref["unit"]))
        return replace(base, obj=re.sub(rf"的?(?:{PRODUCT_NOUN})$|的$", "", obj))


#: the object is a description, not an order: 上一个是电饭煲 ("the previous one was the rice cooker")
_COPULA = re.compile(rf"(?:{OBJ_HEAD})*是(?!不是)")


def clean_object(obj: str, verb: str) -> str:
    """Drop a repeated verb (上链接上链接6号), 这个 / 一下 in front, 给大家看看 behind."""
    while verb and obj.startswith(verb):
        obj = obj[len(verb):]
    obj = re.sub(rf"^(?:{OBJ_HEAD})+", "", obj)
    return re.sub(rf"(?:{OBJ_TAIL})+$", "", obj)
