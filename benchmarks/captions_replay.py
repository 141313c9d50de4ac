"""Shared by the captions benchmarks: replays through the live path, offline references, scoring, latency.

A replay is FileAudioSource → CaptionProcessor on a bus, the path `streamkit captions` and sessions
use. ``clock="real"`` plays the file in real time on the wall clock (the figures we report);
``clock="simulated"`` plays it on a :class:`~streamkit.clock.SimulatedClock` whose time moves by a
fixed cost per model call (:class:`CostedDecoder`), so the schedule of decode passes, and with it the
text, is the same on every run and machine: fast to iterate on, and reproducible.
"""

from __future__ import annotations

import json
import re
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SPEECH = REPO / "samples" / "media" / "speech"
RESULTS = REPO / "benchmarks" / "results"
SR = 16_000


# ---------------------------------------------------------------- deterministic replays
class CostedDecoder:
    """A real decoder whose calls move a simulated clock by a fixed cost (2-core machine, base int8)."""

    ENCODE = (0.05, 0.018)   # s + s per second of (padded) window
    TOKEN = 0.0045           # s per generated token, greedy; × (1 + 0.3 × beam) with a beam
    ALIGN = (0.03, 0.001)    # s + s per aligned character

    def __init__(self, decoder: Any, clock: Any, speed: float = 1.0) -> None:
        self.inner = decoder
        self.clock = clock
        self.speed = speed  # a machine this many times faster (2: each call costs half)
        self.name = decoder.name
        self.multilingual = decoder.multilingual
        self.lock = decoder.lock

    def _spend(self, seconds: float) -> None:
        self.clock.advance(seconds / self.speed)

    def encode(self, audio: np.ndarray, min_window: float | None = None) -> Any:
        window = self.inner.encode(audio, min_window)
        padded = max(len(audio) / SR + self.inner.pad, self.inner.min_window if min_window is None else min_window)
        self._spend(self.ENCODE[0] + self.ENCODE[1] * min(30.0, padded))
        return window

    def detect_language(self, window: Any, candidates: tuple[str, ...] = ("zh", "en")) -> tuple[str, float]:
        self._spend(0.02)
        return self.inner.detect_language(window, candidates)

    def decode(self, window: Any, **kw: Any) -> Any:
        hyp = self.inner.decode(window, **kw)
        beam = kw.get("beam_size", 1)
        self._spend(0.03 + len(hyp.tokens) * self.TOKEN * (1 if beam == 1 else 1 + 0.3 * beam))
        return hyp

    def contended(self, within: float = 3.0) -> bool:
        return self.inner.contended(within)

    def word_times(self, window: Any, text: str, language: str) -> Any:
        self._spend(self.ALIGN[0] + self.ALIGN[1] * len(text))
        return self.inner.word_times(window, text, language)


# ---------------------------------------------------------------- replays
@dataclass
class Replay:
    """What one replay produced: caption events (emitted_at: seconds since the first sample), cost."""

    captions: list[Any]
    wall: float
    cpu: float
    decode_seconds: float
    audio_seconds: float
    steps: int

    def text(self, *, revisions: bool = True) -> str:
        return utterance_text(self.captions, revisions=revisions)

    @property
    def revisions(self) -> int:
        return sum(1 for c in self.captions if c.kind == "revision")


def utterance_text(captions: list[Any], *, revisions: bool = True) -> str:
    """The committed text: finals appended per utterance; a revision replaces its utterance's text."""
    from streamkit.text import join_caption

    by_utt: dict[tuple[str, int], str] = {}
    for c in captions:
        key = (c.source, c.utterance)
        if c.kind == "final":
            by_utt[key] = join_caption(by_utt.get(key, ""), c.text)
        elif c.kind == "revision" and revisions:
            by_utt[key] = c.text
    text = ""
    for key in sorted(by_utt, key=lambda k: k[1]):
        text = join_caption(text, by_utt[key])
    return text


def streaming_options(language: str, options: dict[str, Any]) -> Any:
    """What `streamkit captions --language LANGUAGE` runs with (the config's defaults), with ``options``
    changed (StreamingOptions fields; ``numbers`` sets the display's number format, ``vad`` takes a dict)."""
    import dataclasses

    from streamkit.plugins.captions.config import CaptionsConfig
    from streamkit.plugins.captions.live import streaming_options as configured

    base = configured(CaptionsConfig(), language)
    changes = dict(options)
    if "numbers" in changes:
        changes["style"] = dataclasses.replace(base.style, numbers=changes.pop("numbers"))
    if "vad" in changes:
        changes["vad"] = dataclasses.replace(base.vad, **changes["vad"])
    return dataclasses.replace(base, **changes)


def replay(decoder: Any, wav: Path, language: str, *, clock: str = "real", options: dict[str, Any] | None = None,
           speed: float = 1.0) -> Replay:
    """Play ``wav`` through FileAudioSource → CaptionProcessor (as `streamkit captions --realtime`);
    ``speed``: on the simulated clock, a machine that many times faster than this one."""
    from streamkit.bus import EventBus
    from streamkit.clock import SimulatedClock, WallClock
    from streamkit.pipeline import Pipeline
    from streamkit.events import Caption
    from streamkit.plugins.captions.processor import CaptionProcessor
    from streamkit.sources.audio import FileAudioSource

    sim = clock == "simulated"
    the_clock = SimulatedClock() if sim else WallClock()
    model = CostedDecoder(decoder, the_clock, speed) if sim else decoder
    bus = EventBus()
    captions: list[Caption] = []
    bus.subscribe(captions.append, Caption)
    source = FileAudioSource(wav, name="bench", chunk_seconds=0.1, realtime=True, clock=the_clock)
    processor = CaptionProcessor(model, streaming_options(language, options or {}), source="bench",
                                 speaker="主播", clock=the_clock, realtime=True)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    Pipeline(source, [processor], bus).run()
    wall = time.monotonic() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    stats = processor.transcriber.stats
    return Replay(captions, wall, (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime),
                  stats.decode_seconds, processor.transcriber.now, stats.steps)


# ---------------------------------------------------------------- references and scoring
def offline_text(decoder: Any, audio: np.ndarray, language: str) -> str:
    """The same model over the whole file: faster-whisper, beam 5, the Simplified prompt for zh, OpenCC t2s."""
    from streamkit.plugins.captions.textproc import SIMPLIFIED_PROMPT, to_simplified

    prompt = SIMPLIFIED_PROMPT if language == "zh" else None
    segments, _ = decoder.transcribe_file(audio, language=language, initial_prompt=prompt, beam_size=5, vad_filter=False)
    return to_simplified("".join(s.text for s in segments)).strip()


def units(text: str, language: str) -> list[str]:
    """Scoring units: words (English), characters (Chinese), normalised."""
    from streamkit.plugins.captions.textproc import normalize_for_scoring

    return normalize_for_scoring(text, language).split()


@dataclass
class Errors:
    """Edit distance against a reference, summable over clips."""

    errors: int = 0
    length: int = 0

    @property
    def rate(self) -> float:
        return self.errors / self.length if self.length else 0.0

    def __add__(self, other: "Errors") -> "Errors":
        return Errors(self.errors + other.errors, self.length + other.length)


def errors(reference: str, hypothesis: str, language: str) -> Errors:
    """WER (English) or CER (Chinese) counts, with jiwer."""
    import jiwer

    ref, hyp = " ".join(units(reference, language)), " ".join(units(hypothesis, language))
    if not ref:
        return Errors(0, 0)
    out = jiwer.process_words(ref, hyp)
    return Errors(out.substitutions + out.deletions + out.insertions, len(ref.split()))


def pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(np.asarray(values), q)), 3) if values else None


# ---------------------------------------------------------------- latency
@dataclass
class Latency:
    """Per reference unit: seconds from its end in the audio to first shown / to committed."""

    shown: list[float] = field(default_factory=list)
    committed: list[float] = field(default_factory=list)
    units: int = 0

    def extend(self, other: "Latency") -> None:
        self.shown += other.shown
        self.committed += other.committed
        self.units += other.units

    def summary(self) -> dict[str, Any]:
        return {"units": self.units, "shown": len(self.shown), "committed": len(self.committed),
                "first_shown_p50": pct(self.shown, 50), "first_shown_p90": pct(self.shown, 90),
                "committed_p50": pct(self.committed, 50), "committed_p90": pct(self.committed, 90)}


def _matched(ref: list[str], hyp: list[str]) -> list[int]:
    from rapidfuzz.distance import Levenshtein

    out: list[int] = []
    for op in Levenshtein.opcodes(ref, hyp):
        if op.tag == "equal":
            out += range(op.src_start, op.src_end)
    return out


def latency(captions: list[Any], ref_units: list[str], ref_ends: list[float], language: str) -> Latency:
    """Align what is on screen after each caption event with the reference (one global alignment, so
    utterances that span sentences or sentences cut into utterances are matched alike); a reference
    unit is shown / committed at the first event after which it is matched."""
    committed: dict[int, list[str]] = {}
    partial: dict[int, list[str]] = {}
    shown_at: dict[int, float] = {}
    committed_at: dict[int, float] = {}
    for c in captions:
        new = units(c.text, language)
        if c.kind == "final":
            committed.setdefault(c.utterance, []).extend(new)
            partial[c.utterance] = []
        elif c.kind == "revision":
            committed[c.utterance] = new
        else:
            partial[c.utterance] = new
        done = [u for k in sorted(committed) for u in committed[k]]
        screen = [u for k in sorted(set(committed) | set(partial)) for u in committed.get(k, []) + partial.get(k, [])]
        for i in _matched(ref_units, screen):
            shown_at.setdefault(i, c.emitted_at)
        if c.kind != "partial":
            for i in _matched(ref_units, done):
                committed_at.setdefault(i, c.emitted_at)
    return Latency([shown_at[i] - ref_ends[i] for i in sorted(shown_at)],
                   [committed_at[i] - ref_ends[i] for i in sorted(committed_at)], len(ref_units))


# ---------------------------------------------------------------- reference unit times
@dataclass
class Stream:
    """A stream to caption: audio, its reference text, and when each reference unit ends."""

    name: str
    audio: np.ndarray
    reference: str
    language: str
    unit_ends: list[float]

    @property
    def seconds(self) -> float:
        return len(self.audio) / SR


def english_stream(name: str, *, lead: float, pause: float) -> Stream:
    """The five LibriVox sentences with ``lead`` s before and ``pause`` s between; word ends from their alignments."""
    from faster_whisper.audio import decode_audio

    parts = [np.zeros(int(lead * SR), np.float32)]
    t, texts, ends = lead, [], []
    for clip in sorted((SPEECH / "en").glob("*.wav")):
        audio = decode_audio(str(clip))
        for w in json.loads(clip.with_suffix(".json").read_text())["w"]:
            token = re.sub(r"\(\d+\)$", "", w["t"])
            if not token.startswith("<") and token != "[noise]":
                ends.append(t + float(w["b"]) + float(w["d"]))
        texts.append(clip.with_suffix(".txt").read_text(encoding="utf-8").strip())
        parts += [audio, np.zeros(int(pause * SR), np.float32)]
        t += len(audio) / SR + pause
    reference = " ".join(texts)
    assert len(units(reference, "en")) == len(ends), "alignment and reference disagree"
    return Stream(name, np.concatenate(parts), reference, "en", ends)


def aligned_ends(decoder: Any, audio: np.ndarray, reference: str, language: str) -> list[float]:
    """End time of each reference unit, by aligning the reference text to the audio with the model
    (Whisper's cross-attention alignment: model-made times, good to ~0.1 s)."""
    want = units(reference, language)
    window = decoder.encode(audio, min_window=30.0)
    text = "".join(want) if language == "zh" else " ".join(want)
    words = decoder.word_times(window, text, language)
    ends: list[float] = []
    for w in words:
        for _ in units(w.word, language):
            ends.append(w.end)
    if len(ends) != len(want):  # alignment merged or split units: spread them over the audio
        ends = list(np.linspace(0.3, len(audio) / SR, len(want)))
    return ends


def joined(name: str, streams: list[Stream], gap: float = 0.8) -> Stream:
    """Streams one after another with ``gap`` s of silence between them (unit times shifted)."""
    parts: list[np.ndarray] = []
    ends: list[float] = []
    t = 0.0
    for s in streams:
        ends += [t + e for e in s.unit_ends]
        parts += [s.audio, np.zeros(int(gap * SR), np.float32)]
        t += s.seconds + gap
    sep = "" if streams and streams[0].language == "zh" else " "
    return Stream(name, np.concatenate(parts), sep.join(s.reference for s in streams), streams[0].language, ends)


def rss_mb() -> float:
    """Peak resident memory of this process (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
