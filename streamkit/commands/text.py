"""Text helpers for the command parser: normalising captions, numbers in words, pinyin.

- :func:`normalise` folds full-width forms, Traditional characters (Whisper sometimes answers in
  Traditional) and case, so rules see one spelling.
- :func:`chinese_numbers_to_digits` turns 三号 / 六十秒 / 第十二 into 3号 / 60秒 / 第12 with ``cn2an``,
  only where a number is meant (下一个 and 一下 stay as they are).
- :func:`english_numbers_to_digits` turns "twenty one" into "21".
- :func:`syllables` gives toneless pinyin with the usual accent merges (zh/z, n/l, -ng/-n …), so
  homophones and near-homophones compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import cn2an
from pypinyin import Style, lazy_pinyin

from streamkit.text import CJK_CHARS, has_cjk, is_cjk_char

try:  # OpenCC ships a compiled extension; fall back to no conversion if it cannot load
    import opencc

    _T2S = opencc.OpenCC("t2s")
except Exception:  # noqa: BLE001
    _T2S = None

CN_DIGITS = "零〇一二两三四五六七八九十百千"

# a Chinese numeral run is a number only before these, or after 第 / 链接 / 秒杀 / 倒计时 at clause end
_CN_NUM_BEFORE = re.compile(rf"([{CN_DIGITS}]+)(?=号|秒|分钟|分|块|元)")
_CN_NUM_AFTER = re.compile(rf"(?<=第)([{CN_DIGITS}]+)|(?<=链接)([{CN_DIGITS}]+)$|(?<=秒杀)([{CN_DIGITS}]+)$")

EN_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
#: words Whisper writes for a number it heard after "product" / "number" / "item" / "link"
EN_NUMBER_HOMOPHONES = {"to": 2, "too": 2, "for": 4, "fore": 4, "won": 1, "ate": 8, "tree": 3, "free": 3, "sex": 6}


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), Traditional → Simplified, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    if _T2S is not None and has_cjk(text):
        text = _T2S.convert(text)
    text = text.lower()
    # spaces next to Chinese characters carry no meaning ("上链接 3 号")
    text = re.sub(rf"\s*([{CJK_CHARS}])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def cn_number(text: str) -> int | None:
    """``"三十二"`` → 32, ``"两"`` → 2, ``"12"`` → 12; None when it is not a number."""
    if text.isdigit():
        return int(text)
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if float(value).is_integer() else None


def chinese_numbers_to_digits(text: str) -> str:
    """Rewrite Chinese numerals that are serials or durations as digits (see module doc)."""
    def repl(m: re.Match[str]) -> str:
        run = next(g for g in m.groups() if g)
        value = cn_number(run)
        return str(value) if value is not None else run

    text = _CN_NUM_BEFORE.sub(repl, text)
    return _CN_NUM_AFTER.sub(repl, text)


def english_numbers_to_digits(text: str) -> str:
    """``"product number twenty one"`` → ``"product number 21"``; ``"a hundred and five"`` → ``"105"``."""
    tokens = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        value, j = _read_en_number(tokens, i)
        if j > i:
            out.append(str(value))
            i = j
        else:
            out.append(tokens[i])
            i += 1
    return " ".join(out)


def _read_below_100(tokens: list[str], i: int) -> tuple[int, int]:
    """``twenty one`` / ``seven`` / ``fifteen`` at ``tokens[i]`` → (value, next index); (0, i) if none."""
    if i < len(tokens) and tokens[i] in EN_TENS:
        value = EN_TENS[tokens[i]]
        if i + 1 < len(tokens) and tokens[i + 1] in EN_UNITS and 0 < EN_UNITS[tokens[i + 1]] < 10:
            return value + EN_UNITS[tokens[i + 1]], i + 2
        return value, i + 1
    if i < len(tokens) and tokens[i] in EN_UNITS and tokens[i] != "oh":
        return EN_UNITS[tokens[i]], i + 1
    return 0, i


def _read_en_number(tokens: list[str], i: int) -> tuple[int, int]:
    """One number of 0–999 in words starting at ``tokens[i]``; (0, i) when there is none."""
    if i + 1 < len(tokens) and tokens[i + 1] == "hundred" and (tokens[i] == "a" or tokens[i] in EN_UNITS):
        hundreds = 1 if tokens[i] == "a" else EN_UNITS[tokens[i]]
        if not 1 <= hundreds <= 9:
            return 0, i
        j = i + 2
        k = j + 1 if j < len(tokens) and tokens[j] == "and" else j
        rest, m = _read_below_100(tokens, k)
        return (hundreds * 100 + rest, m) if m > k else (hundreds * 100, j)
    return _read_below_100(tokens, i)


_EN_HOMOPHONES = (
    (re.compile(r"\bflash[ ,]*(?:sail|sails|sales|ale|sell|tail)\b|\bflashail\b|\bflashsale\b"), "flash sale"),
    (re.compile(r"\bhyde\b"), "hide"),
)


def fix_english_homophones(text: str) -> str:
    """Words Whisper writes for command words it misheard: "flash sail" / "flash, ale" → "flash sale"."""
    for pattern, word in _EN_HOMOPHONES:
        text = pattern.sub(word, text)
    return text


# --- pinyin --------------------------------------------------------------------------------
_INITIAL_MERGES = (("zh", "z"), ("ch", "c"), ("sh", "s"))
_FINAL_MERGES = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("iong", "ion"))


def _fuzzy_syllable(s: str) -> str:
    for a, b in _INITIAL_MERGES:
        if s.startswith(a):
            s = b + s[len(a):]
            break
    if s.startswith("l"):  # n/l merge common in southern accents
        s = "n" + s[1:]
    elif s.startswith("f") and len(s) > 1 and s[1] == "u":  # hu/fu
        s = "h" + s[1:]
    for a, b in _FINAL_MERGES:
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    return s


@lru_cache(maxsize=4096)
def syllables(text: str, fuzzy: bool = True) -> tuple[str, ...]:
    """Toneless pinyin syllables of ``text``; Latin words and digits are kept as they are."""
    out: list[str] = []
    for part in lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: [s]):
        for piece in part.split():
            piece = piece.strip().lower()
            if not piece:
                continue
            if fuzzy and piece.isalpha() and piece.isascii():
                piece = _fuzzy_syllable(piece)
            out.append(piece)
    return tuple(out)


def canonicalise_homophones(text: str, keywords: tuple[str, ...]) -> str:
    """Replace any run of Chinese characters that sounds like one of ``keywords`` by the keyword.

    ``"上连接3号"`` → ``"上链接3号"``, ``"妙杀60秒"`` stays (different sound), ``"秒沙60秒"`` → ``"秒杀60秒"``.
    """
    if not has_cjk(text):
        return text
    chars = list(text)
    keys = [(k, syllables(k)) for k in sorted(keywords, key=len, reverse=True)]
    char_syl = [syllables(c)[0] if is_cjk_char(c) and syllables(c) else None for c in chars]
    i = 0
    while i < len(chars):
        for word, syl in keys:
            n = len(word)
            if i + n <= len(chars) and all(char_syl[i + k] is not None for k in range(n)) \
                    and tuple(char_syl[i:i + n]) == syl:
                chars[i:i + n] = list(word)
                i += n - 1
                break
        i += 1
    return "".join(chars)
