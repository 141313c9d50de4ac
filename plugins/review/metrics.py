"""Coaching metrics of a session: speaking rate against the streamer's own baseline, dead air,
讲解 time per product, filler words, caption latency and command success."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any, Iterable

from streamkit.timeline import Span

from .sessiondata import Line, ReviewSession

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def count_units(text: str, language: str) -> int:
    """Characters (字) of Mandarin text, plus Latin words; words for English."""
    words = len(_WORD.findall(text))
    return len(_CJK.findall(text)) + words if language == "zh" else words


def rate_per_minute(lines: Iterable[Line], duration: float, language: str) -> list[float]:
    """Units spoken in each minute of media time (字/分钟 or words/min); a caption's units are
    spread over its duration; the last, partial minute is scaled to a full minute."""
    n = max(1, int(-(-duration // 60)))
    buckets = [0.0] * n
    for line in lines:
        units = count_units(line.text, language)
        if not units:
            continue
        start, end = line.start, max(line.end, line.start + 0.01)
        span = end - start
        m = int(start // 60)
        while m < n and m * 60 < end:
            overlap = min(end, (m + 1) * 60) - max(start, m * 60)
            buckets[m] += units * max(0.0, overlap) / span
            m += 1
    last = duration - (n - 1) * 60
    if 0 < last < 60:
        buckets[-1] = buckets[-1] * 60 / max(last, 10.0)
    return [round(b, 1) for b in buckets]


def baseline(rates: list[float]) -> float | None:
    """Median of the minutes in which the streamer spoke (the streamer's own pace, not a fixed band)."""
    spoken = [r for r in rates if r > 0]
    return float(statistics.median(spoken)) if spoken else None


def dead_air(lines: list[Line], duration: float, threshold: float) -> list[tuple[float, float]]:
    """Silences at least ``threshold`` seconds long between speech (and at the start and end)."""
    gaps: list[tuple[float, float]] = []
    cursor = 0.0
    for line in sorted(lines, key=lambda x: x.start):
        if line.start - cursor >= threshold:
            gaps.append((cursor, line.start))
        cursor = max(cursor, line.end)
    if duration - cursor >= threshold:
        gaps.append((cursor, duration))
    return [(round(a, 2), round(b, 2)) for a, b in gaps]


def speech_spans(lines: list[Line], join_gap: float = 0.6) -> list[tuple[float, float]]:
    """Merged speech intervals (for the speech lane of the timeline)."""
    spans: list[list[float]] = []
    for line in sorted(lines, key=lambda x: x.start):
        if spans and line.start - spans[-1][1] <= join_gap:
            spans[-1][1] = max(spans[-1][1], line.end)
        else:
            spans.append([line.start, line.end])
    return [(round(a, 2), round(b, 2)) for a, b in spans]


def filler_counts(lines: Iterable[Line], language: str, fillers_zh: list[str], fillers_en: list[str]) -> dict[str, int]:
    """How often each filler word occurs (substring for Mandarin, whole words for English)."""
    counts: dict[str, int] = {}
    texts = [line.text for line in lines]
    if language == "zh":
        for word in fillers_zh:
            counts[word] = sum(t.count(word) for t in texts)
    else:
        for word in fillers_en:
            pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
            counts[word] = sum(len(pattern.findall(t)) for t in texts)
    return counts


@dataclass
class ProductTalk:
    """讲解 of one product: total time, how many times it was shown, and what was said then."""

    product_id: str
    name: str
    seconds: float = 0.0
    shown: int = 0
    segments: list[tuple[float, float]] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)


def product_talks(segments: list[Span], lines: list[Line]) -> list[ProductTalk]:
    """What was said during each product's 讲解 segments, and for how long."""
    talks: dict[str, ProductTalk] = {}
    for seg in segments:
        key = seg.key or seg.label
        talk = talks.setdefault(key, ProductTalk(key, seg.label))
        talk.seconds += seg.end - seg.start
        talk.shown += 1
        talk.segments.append((round(seg.start, 2), round(seg.end, 2)))
        talk.transcript += [ln.text for ln in lines if ln.end > seg.start and ln.start < seg.end]
    return sorted(talks.values(), key=lambda t: -t.seconds)


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 3)


@dataclass
class Metrics:
    """All metrics of one session, JSON-ready via :meth:`to_dict`."""

    language: str
    unit: str
    rates: list[float]
    baseline: float | None
    baseline_source: str
    dead_air: list[tuple[float, float]]
    dead_air_threshold: float
    speech: list[tuple[float, float]]
    products: list[ProductTalk]
    fillers: dict[str, int]
    units_total: int
    latencies: list[float]
    latency_p50: float | None
    latency_p90: float | None
    commands_done: int
    commands_refused: int
    gesture_triggers: int
    obs_failures: int

    @property
    def command_success(self) -> float | None:
        total = self.commands_done + self.commands_refused
        return round(self.commands_done / total, 3) if total else None

    @property
    def dead_air_total(self) -> float:
        return round(sum(b - a for a, b in self.dead_air), 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language, "unit": self.unit, "rates": self.rates, "baseline": self.baseline,
            "baseline_source": self.baseline_source, "dead_air": self.dead_air,
            "dead_air_threshold": self.dead_air_threshold, "dead_air_total": self.dead_air_total,
            "speech": self.speech, "fillers": self.fillers, "units_total": self.units_total,
            "products": [p.__dict__ for p in self.products], "latency_p50": self.latency_p50,
            "latency_p90": self.latency_p90, "latency_count": len(self.latencies),
            "commands_done": self.commands_done, "commands_refused": self.commands_refused,
            "command_success": self.command_success, "gesture_triggers": self.gesture_triggers,
            "obs_failures": self.obs_failures,
        }


def compute(session: ReviewSession, *, dead_air_seconds: float = 3.0, fillers_zh: list[str] | None = None,
            fillers_en: list[str] | None = None, other_rates: list[list[float]] | None = None) -> Metrics:
    """Metrics of ``session``; ``other_rates`` are per-minute rates of the streamer's other sessions
    (same language) — their median is the baseline when there are enough, else this session's median."""
    lang = session.language
    rates = rate_per_minute(session.lines, session.duration, lang)
    pooled = [r for rs in (other_rates or []) for r in rs if r > 0]
    if len(pooled) >= 5:
        base, source = baseline(pooled), "streamer"
    else:
        base, source = baseline(rates), "session"
    latencies = [ln.latency for ln in session.lines if ln.latency is not None]
    return Metrics(
        language=lang, unit="字/分钟" if lang == "zh" else "words/min", rates=rates,
        baseline=round(base, 1) if base is not None else None, baseline_source=source,
        dead_air=dead_air(session.lines, session.duration, dead_air_seconds), dead_air_threshold=dead_air_seconds,
        speech=speech_spans(session.lines), products=product_talks(session.segments, session.lines),
        fillers=filler_counts(session.lines, lang, fillers_zh or ["嗯", "啊", "那个", "就是"], fillers_en or ["um", "uh", "like"]),
        units_total=sum(count_units(ln.text, lang) for ln in session.lines),
        latencies=latencies, latency_p50=_pct(latencies, 0.5), latency_p90=_pct(latencies, 0.9),
        commands_done=session.commands_done, commands_refused=session.commands_refused,
        gesture_triggers=session.triggered, obs_failures=session.obs_failures,
    )
