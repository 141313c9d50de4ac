"""Matching spoken names to product names and to OBS scene/source names, tolerant to recognition errors.

Chinese names are compared as fuzzy pinyin (保温杯 ≈ 宝温背 ≈ bao wen bei), English names as
letters with spaces removed (ear buds ≈ earbuds). A match must be close enough (``threshold``;
for English words, where one letter makes another word, at least ``latin_threshold``) and clearly
better than the next candidate (``margin``). A Chinese phrase much longer or shorter than the name
(不要红茶礼盒 vs 红茶礼盒) never matches.

OBS names may also be named by a part ("近景" for 近景特写), exactly or by sound ("进京").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from streamkit.text import has_cjk

from .text import cn_number, syllables
from .vocabulary import ProductNames


@dataclass(frozen=True)
class NameMatch:
    """What a spoken name refers to (a product serial, or an exact OBS name), and how close the words were (0–1).

    ``exact``: the whole name or an alias was said, so more words could not change the match."""

    key: int | str
    name: str
    score: float
    exact: bool = False


def _key(text: str) -> tuple[str, ...]:
    return syllables(text) if has_cjk(text) else tuple(text.lower().split())


def similarity(spoken: str, name: str) -> float:
    """How alike two names sound, 0–1 (1 = same fuzzy pinyin / same letters)."""
    a, b = _key(spoken), _key(name)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    joined = fuzz.ratio("".join(a), "".join(b)) / 100
    if has_cjk(spoken) or has_cjk(name):
        if abs(len(a) - len(b)) > max(1, len(b) // 3):  # 不要红茶礼盒 is not 红茶礼盒
            return 0.0
        by_syllable = Levenshtein.normalized_similarity(list(a), list(b))
        return max(joined, (joined + by_syllable) / 2)
    return joined


def _best(scored: Iterable[NameMatch], threshold: float, margin: float) -> NameMatch | None:
    """The best match per key when it reaches ``threshold`` and beats the runner-up by ``margin``."""
    best: dict[int | str, NameMatch] = {}
    for m in scored:
        if m.key not in best or (m.score, m.exact) > (best[m.key].score, best[m.key].exact):
            best[m.key] = m
    ranked = sorted(best.values(), key=lambda m: m.score, reverse=True)
    if not ranked or ranked[0].score < threshold:
        return None
    if len(ranked) > 1 and ranked[0].score < 1.0 and ranked[0].score - ranked[1].score < margin:
        return None
    return ranked[0]


class NameMatcher:
    """Finds the product whose name or alias sounds most like the spoken words."""

    def __init__(self, products: Iterable[ProductNames], threshold: float = 0.8, margin: float = 0.05,
                 latin_threshold: float = 0.85) -> None:
        self.threshold = threshold
        self.latin_threshold = latin_threshold
        self.margin = margin
        self._names = [(p.serial, n) for p in products for n in p.names if n.strip()]

    def match(self, spoken: str) -> NameMatch | None:
        """The best product for ``spoken``, or None when nothing is close or two products are equally close."""
        spoken = spoken.strip()
        if not spoken or not self._names:
            return None
        cjk = has_cjk(spoken)
        scored = (NameMatch(serial, name, score, score >= 1.0) for serial, name in self._names
                  if has_cjk(name) == cjk for score in (similarity(spoken, name),))
        threshold = self.threshold if cjk else max(self.threshold, self.latin_threshold)
        return _best(scored, threshold, self.margin)


# --- OBS scene and source names -------------------------------------------------------------------
_PUNCT = re.compile(r"[\s\-_/\\|·.,:：,，()（）\[\]【】]+")


def compact(name: str) -> str:
    """A name as it sounds: lower case, no spaces or punctuation, a trailing Chinese numeral as digits
    ("Close-up" → "closeup", "场景 2" and "场景二" → "场景2")."""
    text = _PUNCT.sub("", name.lower())
    return re.sub(r"[零一二两三四五六七八九十]+$", lambda m: str(cn_number(m.group(0)) or m.group(0)), text)


class TargetMatcher:
    """Finds the OBS scene or source a spoken phrase names: the whole name or an alias (exact), a part of
    the name ("近景" → 近景特写), or something that sounds like either ("进京" → 近景特写)."""

    PART_SCORE = 0.9

    def __init__(self, names: Iterable[str], aliases: Mapping[str, str], threshold: float = 0.8,
                 margin: float = 0.05) -> None:
        self.threshold = threshold
        self.margin = margin
        self._entries = [(n, compact(n)) for n in names if n.strip()]
        self._entries += [(target, compact(spoken)) for spoken, target in aliases.items() if spoken.strip()]

    def match(self, spoken: str) -> NameMatch | None:
        """The scene/source ``spoken`` names, or None when none or several fit."""
        said = compact(spoken)
        if not said or not self._entries:
            return None
        exact = [t for t, c in self._entries if c == said]
        if exact:
            return NameMatch(exact[0], exact[0], 1.0, True) if len(set(exact)) == 1 else None
        return _best((m for t, c in self._entries for m in (self._near(said, t, c),) if m), self.threshold, self.margin)

    def _near(self, said: str, target: str, name: str) -> NameMatch | None:
        """A part of ``name``, or a sound-alike of it or of a part of it."""
        cjk = has_cjk(said)
        if cjk != has_cjk(name):
            return None
        if (len(said) >= 2 if cjk else len(said) >= 4) and said in name:
            return NameMatch(target, target, self.PART_SCORE)
        score = similarity(said, name) if cjk else fuzz.ratio(said, name) / 100
        if cjk and len(said) >= 2:
            score = max(score, self.PART_SCORE * _part_sounds_like(said, name))
        return NameMatch(target, target, score) if score >= self.threshold else None


def _part_sounds_like(said: str, name: str) -> float:
    """1.0 when ``said`` sounds exactly like a run of ``name``'s syllables, else 0."""
    a, b = syllables(said), syllables(name)
    return 1.0 if any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1)) else 0.0
