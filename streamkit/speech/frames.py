"""Which frames of a phrase to decode together, and how the pieces are joined.

Kokoro's decoder turns frames (25 ms each) into audio; its cost grows with the frames it is given. A
phrase's frames are decoded in windows that grow (a short first one, so speech starts soon; then twice
as long each time, so each is ready before the one before has been heard). A window is decoded with
frames of context either side and its last :data:`FADE` frames are cross-faded into the next one, so
no join clicks. The decoder normalises each channel over the frames it is given, so context matters:
the end of the silence Kokoro puts before a phrase (:data:`SILENCE_CONTEXT` of its ≈ 13 frames) is
decoded with the first window, though only its last :data:`LEAD` frames are played. Decoding all of a
piece's frames at once is the whole model.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .derived import StreamingGraph

__all__ = ["AFTER", "BEFORE", "FADE", "FIRST", "LEAD", "Crossfade", "Encoded", "FrameDecoder", "Window", "WindowSizes",
           "plan_windows", "word_breaks"]

#: Frames of the first window after the silence before the phrase (≈ 0.25 s of speech).
FIRST = 10
#: Frames of context decoded (and dropped) after the first window, and before / after later ones. The
#: decoder needs more before a window than after it: measured against the whole piece decoded at once
#: (log-mel distance, 42 phrases), 32 frames before and 8 after a window come within 2.6–4.4 dB of it,
#: 12 and 12 only within 6.4–6.8 dB (the int8 and a float copy of the model differ by 2.0 dB).
FIRST_CONTEXT = 4
BEFORE = 32
AFTER = 8
#: Frames over which one window fades into the next.
FADE = 3
#: Frames kept of the silence before the phrase (the silence after it is trimmed from the audio).
LEAD = 3
#: Frames of the silence before the phrase decoded with the first window, as its context (Kokoro puts
#: 12–14 there; None = all of them). With 8, and :data:`FIRST` 10 instead of 12, the first audio needs
#: 22 % fewer CPU seconds (42 phrases) and Whisper base hears the phrases back about as well (Mandarin CER
#: 20.8 % against 20.4 %, English WER 31.7 % against 29.3 %: one word more in 21 phrases).
SILENCE_CONTEXT: int | None = 8
#: Later windows are this many times as long as the one before, up to :data:`LONGEST` frames.
GROWTH = 2
LONGEST = 160


@dataclass(frozen=True)
class Window:
    """Emit frames ``[start, end)`` (plus ``fade`` more held for the next window); decode ``[first, last)``."""

    start: int
    end: int
    first: int
    last: int
    fade: int
    final: bool


def plan_windows(durations: Sequence[int], *, first: int = FIRST, breaks: Sequence[int] = (), growth: int = GROWTH,
                 longest: int = LONGEST, first_context: int = FIRST_CONTEXT, before: int = BEFORE, after: int = AFTER,
                 fade: int = FADE, lead: int = LEAD, silence: int | None = SILENCE_CONTEXT) -> list[Window]:
    """Windows over a piece whose tokens last ``durations`` frames (the first and last are the pads).

    They cover the piece end to end from ``lead`` frames before its first sound; the first emits about
    ``first`` frames of speech, each next one about ``growth`` times the one before. A window ends on
    one of ``breaks`` (frames between words) when one is near, so a late window is a pause between
    words, not a stutter inside one. The first window is decoded from the piece's very start (the
    silence before it is the context the decoder needs there) and the last one to its very end.
    """
    total = int(sum(durations))
    lo = max(0, int(durations[0]) - lead)
    windows: list[Window] = []
    start, size = lo, int(durations[0]) - lo + first
    while start < total:
        end = _near_break(start + size, breaks, start + (size * 2) // 3, start + (size * 3) // 2)
        if total - end <= max(fade, size // 2):  # no short window at the end: this one takes it
            end = total
        final = end == total
        held = 0 if final else fade
        left = start - before if windows else 0 if silence is None else int(durations[0]) - silence
        right = end + held + (after if windows else first_context)
        windows.append(Window(start, end, max(0, left), total if final else min(total, right), held, final))
        start, size = end, min(longest, (end - start) * growth)
    return windows


def _near_break(wanted: int, breaks: Sequence[int], low: int, high: int) -> int:
    """The break in ``[low, high]`` nearest to ``wanted``, else ``wanted``."""
    near = [b for b in breaks if low <= b <= high]
    return min(near, key=lambda b: (abs(b - wanted), b)) if near else wanted


def word_breaks(durations: Sequence[int], tokens: Sequence[int], gaps: Collection[int]) -> list[int]:
    """Frames in the middle of each token of ``gaps`` (spaces, punctuation): where windows may end."""
    starts = np.cumsum([0, *durations])  # durations[0] is the pad before tokens[0]
    return [int(starts[i + 1] + durations[i + 1] // 2) for i, token in enumerate(tokens) if token in gaps]


class WindowSizes:
    """Plans the windows of a phrase's pieces in turn: each piece's first window is as long as the last
    one before it times :data:`GROWTH`, so only the phrase's very first window is short."""

    def __init__(self, first: int = FIRST) -> None:
        self.next = first

    def plan(self, durations: Sequence[int], breaks: Sequence[int] = ()) -> list[Window]:
        windows = plan_windows(durations, first=self.next, breaks=breaks)
        if windows:
            self.next = min(LONGEST, GROWTH * max(w.end - w.start for w in windows))
        return windows


class Crossfade:
    """Joins decoded windows: each one's head fades in over the tail the one before held back."""

    def __init__(self, samples_per_frame: int) -> None:
        self.hop = samples_per_frame
        self._held = np.zeros(0, dtype=np.float32)

    def take(self, window: Window, audio: np.ndarray) -> np.ndarray:
        """What can play now of ``window``, given the audio of its frames ``[first, last)``."""
        ahead = (window.start - window.first) * self.hop
        kept = np.array(audio[ahead:ahead + (window.end - window.start + window.fade) * self.hop], dtype=np.float32)
        n = min(len(self._held), len(kept))
        if n:
            ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
            kept[:n] = self._held[:n] * (1.0 - ramp) + kept[:n] * ramp
        cut = len(kept) - window.fade * self.hop
        self._held = kept[cut:]
        return kept[:cut]


@dataclass(frozen=True)
class Encoded:
    """A piece through the encoder: per-frame features, the source phase, each token's frames."""

    asr: np.ndarray
    f0: np.ndarray
    energy: np.ndarray
    phase: np.ndarray
    durations: np.ndarray


class FrameDecoder:
    """The cut Kokoro (:mod:`.derived`) in ONNX Runtime: a piece is encoded once, then decoded window by window."""

    def __init__(self, graph: StreamingGraph, options: Any) -> None:
        import onnxruntime as ort
        from kokoro_onnx.session import input_dtypes

        def session(name: str) -> Any:
            return ort.InferenceSession(str(graph.path(name)), sess_options=options, providers=["CPUExecutionProvider"])

        self.graph = graph
        self.encoder, self._phase, self._decoder = session("encoder.onnx"), session("phase.onnx"), session("decoder.onnx")
        self._dtypes = input_dtypes(self.encoder)
        self._tokens = next(name for name in self._dtypes if name not in ("style", "speed"))

    def encode(self, tokens: Sequence[int], style: np.ndarray, speed: float) -> Encoded:
        if self._dtypes["speed"].kind in "iu":  # an export with an integer speed (v1.1-zh)
            speed = max(1, round(speed))
        g = self.graph
        asr, f0, energy, durations = self.encoder.run(None, {
            self._tokens: np.array([[0, *tokens, 0]], dtype=self._dtypes[self._tokens]),
            "style": np.asarray(style, dtype=self._dtypes["style"]),
            "speed": np.array([speed], dtype=self._dtypes["speed"])})
        phase = self._phase.run(None, {g.f0: f0})[0]
        return Encoded(asr, f0, energy, phase, np.asarray(durations).ravel())

    def decode(self, encoded: Encoded, style: np.ndarray, first: int, last: int) -> np.ndarray:
        """Audio of frames ``[first, last)`` (``samples_per_frame`` samples each)."""
        g, rate = self.graph, self.graph.curve_rate
        audio = self._decoder.run(None, {
            g.asr: encoded.asr[:, :, first:last], g.f0: encoded.f0[:, rate * first:rate * last],
            g.energy: encoded.energy[:, rate * first:rate * last], g.phase: encoded.phase[:, rate * first:rate * last],
            "style": np.asarray(style, dtype=np.float32)})[0]
        return np.asarray(audio, dtype=np.float32).ravel()
