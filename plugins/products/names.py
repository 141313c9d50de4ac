"""Matching a spoken product name to the catalog, tolerant to recognition errors.

Chinese names are compared as fuzzy pinyin (保温杯 ≈ 宝温背 ≈ bao wen bei), English names as
letters with spaces removed (ear buds ≈ earbuds). A match must be close enough (``threshold``;
for English words, where one letter makes another word, at least ``latin_threshold``) and clearly
better than the next product (``margin``). A Chinese phrase much longer or shorter than the name
(不要红茶礼盒 vs 红茶礼盒) never matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .catalog import Catalog
from .text import has_cjk, syllables


@dataclass(frozen=True)
class NameMatch:
    """The product a spoken name refers to, and how close the words were (0–1)."""

    serial: int
    name: str
    score: float


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


class NameMatcher:
    """Finds the product whose name or alias sounds most like the spoken words."""

    def __init__(self, catalog: Catalog, threshold: float = 0.8, margin: float = 0.05,
                 latin_threshold: float = 0.85) -> None:
        self.threshold = threshold
        self.latin_threshold = latin_threshold
        self.margin = margin
        self._names: list[tuple[int, str]] = [
            (p.serial, n) for p in catalog.products for n in (p.name, *p.aliases) if n.strip()
        ]

    def match(self, spoken: str) -> NameMatch | None:
        """The best product for ``spoken``, or None when nothing is close or two products are equally close."""
        spoken = spoken.strip()
        if not spoken or not self._names:
            return None
        best: dict[int, NameMatch] = {}
        for serial, name in self._names:
            if has_cjk(name) != has_cjk(spoken):
                continue
            score = similarity(spoken, name)
            if serial not in best or score > best[serial].score:
                best[serial] = NameMatch(serial, name, score)
        ranked = sorted(best.values(), key=lambda m: m.score, reverse=True)
        threshold = self.threshold if has_cjk(spoken) else max(self.threshold, self.latin_threshold)
        if not ranked or ranked[0].score < threshold:
            return None
        if len(ranked) > 1 and ranked[0].score < 1.0 and ranked[0].score - ranked[1].score < self.margin:
            return None
        return ranked[0]
