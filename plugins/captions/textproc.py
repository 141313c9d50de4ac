"""Caption text: units for agreement, normalisation, script and punctuation, phantom and loop guards.

A *unit* is what two hypotheses agree on: one CJK character, or one Latin word (with the
punctuation that follows it). Units keep their surface form (with leading space) so committed
text reads exactly as the model wrote it; their *key* (lower case, no punctuation, Simplified)
is what is compared.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from streamkit.text import CJK_CHARS, has_cjk, is_cjk_char

from .numbers import NumberStyle, format_numbers

__all__ = ["has_cjk", "is_cjk_char"]  # re-exported: the captions modules take them from here
_PIECE = re.compile(rf"\s*(?:[{CJK_CHARS}]|(?:(?![{CJK_CHARS}])[\w'’.\-])+|[^\w\s])")
_KEY_DROP = re.compile(rf"[^\w{CJK_CHARS}]|_")
_SENTENCE_END = ".?!。？！…"
_OPENERS = {'"', "'", "“", "‘", "(", "[", "（", "《", "「", "『", "【"}

#: Phrases Whisper is known to invent on silence, music or noise (compared after normalisation).
DEFAULT_BLOCKLIST: tuple[str, ...] = (
    "Thank you.", "Thank you!", "Thanks for watching!", "Thank you for watching.", "you", "Bye.",
    "Please subscribe.", "Subtitles by the Amara.org community",
    "字幕由 Amara.org 社群提供", "字幕由Amara.org社区提供", "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目",
    "明镜与点点栏目", "谢谢观看", "感谢观看", "谢谢大家观看", "请订阅我的频道", "字幕志愿者 杨栋梁",
    "优优独播剧场——YoYo Television Series Exclusive", "中文字幕——Yo Yo Television Series Exclusive",
)

#: Prompt that keeps base on Simplified characters for Mandarin.
SIMPLIFIED_PROMPT = "以下是普通话的句子。"


@dataclass(frozen=True)
class Unit:
    """One agreement unit: ``surface`` as written (leading space kept), ``key`` for comparison."""

    surface: str
    key: str


@functools.lru_cache(maxsize=4)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _opencc("t2s").convert(text) if has_cjk(text) else text


def convert_script(text: str, script: str) -> str:
    """``script`` is "simplified", "traditional", "traditional-tw" or "traditional-hk"; always via Simplified."""
    if not has_cjk(text):
        return text
    simplified = to_simplified(text)
    target = {"simplified": None, "traditional": "s2t", "traditional-tw": "s2tw", "traditional-hk": "s2hk"}[script]
    return _opencc(target).convert(simplified) if target else simplified


def unit_key(surface: str) -> str:
    return _KEY_DROP.sub("", to_simplified(surface).lower())


def normalize(text: str) -> str:
    """Text reduced to what matters for comparison: lower case, Simplified, no punctuation or spaces."""
    return unit_key(text)


def split_units(text: str) -> list[Unit]:
    """Cut ``text`` into units; punctuation joins the unit before it (or the first unit after it)."""
    units: list[Unit] = []
    leading = ""
    for match in _PIECE.finditer(text):
        piece = match.group(0)
        key = unit_key(piece)
        if not key:
            opener = piece.strip() in _OPENERS and (piece[:1].isspace() or not units)
            if units and not opener:
                last = units[-1]
                units[-1] = Unit(last.surface + piece, last.key)
            else:
                leading += piece
            continue
        units.append(Unit(leading + piece, key))
        leading = ""
    return units


def join_units(units: Iterable[Unit]) -> str:
    return "".join(u.surface for u in units)


def common_prefix(a: Sequence[Unit], b: Sequence[Unit]) -> int:
    """Number of leading units whose keys agree."""
    n = 0
    for x, y in zip(a, b):
        if x.key != y.key:
            break
        n += 1
    return n


def strip_sentence_end(surface: str) -> str:
    """Drop a full stop a hypothesis put only because the audio was cut there."""
    return surface.rstrip(_SENTENCE_END) or surface


def loop_start(units: Sequence[Unit], max_period: int = 12) -> int | None:
    """Index where a repetition loop starts to repeat, or ``None``.

    A block of ``k`` units repeated back to back: 3 times for k ≥ 3, 4 times for k ≤ 2 (so
    "no no no", "哈哈哈" and "来吧来吧" pass). Returns where to cut: after three copies of one
    unit ("哈哈哈"), after the first copy of a longer block.
    """
    keys = [u.key for u in units]
    n = len(keys)
    for start in range(n):
        for k in range(1, max_period + 1):
            need = 4 if k <= 2 else 3
            if start + need * k > n:
                break
            block = keys[start : start + k]
            if all(keys[start + r * k : start + (r + 1) * k] == block for r in range(1, need)):
                return start + (3 if k == 1 else k)
    return None


_ANNOTATION = re.compile(r"[\[(（【][^\])）】]{0,40}[\])）】]|[♪♫♬🎵🎶]+")


def strip_annotations(text: str) -> str:
    """Remove what is not speech: "[Music]", "(wind blowing)", "（笑）", "♪"."""
    return _ANNOTATION.sub("", text)


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / max(1, len(zlib.compress(data)))


class PhantomFilter:
    """Known hallucinated phrases: an utterance that *is* one is dropped; a long one inside a text poisons it."""

    def __init__(self, phrases: Iterable[str] = DEFAULT_BLOCKLIST) -> None:
        self.keys = {normalize(p) for p in phrases if normalize(p)}
        self.long_keys = {k for k in self.keys if len(k) >= 6}

    def is_phantom(self, text: str) -> bool:
        return normalize(text) in self.keys

    def could_become_phantom(self, text: str) -> bool:
        """True while ``text`` is still the start of a known phantom phrase (hold it back)."""
        key = normalize(text)
        return bool(key) and any(k.startswith(key) for k in self.keys)

    def contains_phantom(self, text: str) -> bool:
        key = normalize(text)
        return any(k in key for k in self.long_keys)


_ASCII_TO_CJK_PUNCT = {",": "，", "?": "？", "!": "！", ":": "：", ";": "；", ".": "。"}
_C = f"[{CJK_CHARS}]"
_PUNCT_RULES: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(rf"(?<={_C})\s+(?={_C})"), "，"),
    (re.compile(rf"(?<={_C})([,?!:;]|\.(?!\d))"), None),
    (re.compile(rf"(?<=[\w])([,?!:;])\s*(?={_C})"), None),
    (re.compile(rf"(?<={_C})\s+(?=[，。？！：；、])"), ""),
    (re.compile(r"([，。？！：；、])\s+"), r"\1"),
)


def chinese_punctuation(text: str, before: str = "") -> str:
    """Full-width punctuation next to Chinese characters; a space between two Chinese characters becomes "，".

    ``before`` is the text shown just before ``text`` (so a chunk " 交易" after "情况" becomes "，交易").
    """
    anchor = before.rstrip()[-1:]
    if not has_cjk(text) and not has_cjk(anchor):
        return text
    work = anchor + text
    for pattern, repl in _PUNCT_RULES:
        if repl is None:
            work = pattern.sub(lambda m: _ASCII_TO_CJK_PUNCT[m.group(1)[0]], work)
        else:
            work = pattern.sub(repl, work)
    return work[len(anchor):]


class TextFilter:
    """The replace list and the profanity mask, applied to everything shown or written."""

    def __init__(self, replace: dict[str, str] | None = None, profanity: Iterable[str] = (), mask: str = "*") -> None:
        self.replace = dict(replace or {})
        self.profanity = [w for w in profanity if w]
        self.mask = mask or "*"
        self._patterns = [(self._pattern(k), v) for k, v in self.replace.items() if k]
        self._bad = [self._pattern(w) for w in self.profanity]

    @staticmethod
    def _pattern(term: str) -> re.Pattern[str]:
        if has_cjk(term):
            return re.compile(re.escape(term))
        return re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])", re.IGNORECASE)

    def apply(self, text: str) -> str:
        for pattern, repl in self._patterns:
            text = pattern.sub(repl, text)
        for pattern in self._bad:
            text = pattern.sub(lambda m: self.mask * len(m.group(0)), text)
        return text

    def holds_back(self, text: str) -> bool:
        """True when ``text`` ends with the start of a filtered term (wait for the rest before committing)."""
        tail = text[-12:]
        for term in [*self.replace, *self.profanity]:
            if not term or not has_cjk(term):
                continue
            for i in range(1, len(term)):
                if tail.endswith(term[:i]):
                    return True
        return False


@dataclass(frozen=True)
class DisplayStyle:
    """How model text becomes shown text: script, punctuation, numbers, filter."""

    script: str = "simplified"
    punctuation: bool = True
    filter: TextFilter | None = None
    numbers: NumberStyle = "digits"

    def render(self, raw: str, before: str = "") -> str:
        """Simplified first (the filter's terms match either script), punctuation, numbers, filter, then the target script."""
        text = to_simplified(raw)
        if self.punctuation:
            text = chinese_punctuation(text, before)
        if has_cjk(text):
            text = format_numbers(text, self.numbers)
        if self.filter is not None:
            text = self.filter.apply(text)
        if self.script != "simplified":
            text = convert_script(text, self.script)
            if self.filter is not None:
                text = self.filter.apply(text)
        return text.strip()


def chunk_end_punctuation(text: str) -> str:
    """The end mark for a finished Chinese utterance ("。"), or "" when it already ends with one or is Latin."""
    stripped = text.rstrip()
    if not stripped or not is_cjk_char(stripped[-1]):
        return ""
    return "。"


_EN_ABBREVIATIONS = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "ok": "okay"}


def normalize_for_scoring(text: str, language: str) -> str:
    """Text for WER/CER: Simplified, lower case, no punctuation; English words space-separated
    (hyphens split, Mr./Mrs./Dr. spelled out), Chinese characters space-separated."""
    text = to_simplified(text).lower().replace("-", " ").replace("’", "'")
    if language == "zh":
        chars = [c for c in text if is_cjk_char(c) or c.isalnum()]
        return " ".join(chars)
    words = re.sub(r"[^\w\s']", " ", text).split()
    return " ".join(_EN_ABBREVIATIONS.get(w.strip("'"), w.strip("'")) for w in words if w.strip("'"))
