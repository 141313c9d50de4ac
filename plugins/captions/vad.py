"""Streaming voice activity: Silero VAD (shipped inside faster-whisper) frame by frame, and an endpointer.

:class:`StreamingVad` gives one speech probability per 32 ms frame (512 samples at 16 kHz),
carrying the model's state between calls, so it matches a whole-file run exactly.
:class:`Endpointer` turns probabilities into utterances: speech starts above ``threshold``,
ends after ``min_silence`` seconds below ``threshold - 0.15`` (``long_min_silence`` once the
utterance is ``long_speech`` long).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000
FRAME = 512
CONTEXT = 64
FRAME_SECONDS = FRAME / SAMPLE_RATE


class StreamingVad:
    """Silero VAD over a live stream; :meth:`push` returns the probabilities of the frames completed."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def push(self, samples: np.ndarray) -> np.ndarray:
        data = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        n = len(data) // FRAME
        self._pending = data[n * FRAME :]
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        frames = data[: n * FRAME].reshape(n, FRAME)
        contexts = np.concatenate([self._context[None, :], frames[:-1, -CONTEXT:]], axis=0)
        self._context = frames[-1, -CONTEXT:].copy()
        batch = np.concatenate([contexts, frames], axis=1)
        out, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        return np.asarray(out, dtype=np.float32).reshape(-1)


@dataclass(frozen=True)
class VadSettings:
    """Endpointing parameters (seconds)."""

    threshold: float = 0.5
    min_silence: float = 0.5
    min_speech: float = 0.25
    pre_roll: float = 0.3
    long_speech: float = 0.0  # after this long (0 = never), a pause of ``long_min_silence`` ends the utterance
    long_min_silence: float = 0.25


@dataclass(frozen=True)
class VadEvent:
    """``kind`` is "start" (speech began at ``t``) or "end" (speech ended at ``t``, noticed at ``now``)."""

    kind: str
    t: float
    now: float
    speech_seconds: float = 0.0


class Endpointer:
    """Speech start/end from frame probabilities, with hysteresis and a minimum silence."""

    def __init__(self, settings: VadSettings | None = None) -> None:
        settings = settings or VadSettings()
        self.settings = settings
        self.neg_threshold = max(settings.threshold - 0.15, 0.01)
        self.in_speech = False
        self.frames = 0
        self.speech_frames = 0
        self.last_speech_end = 0.0
        self.start = 0.0

    @property
    def now(self) -> float:
        return self.frames * FRAME_SECONDS

    def _silence_needed(self, now: float) -> float:
        """``min_silence``; once an utterance is ``long_speech`` long, the shorter ``long_min_silence``
        (continuous talk ends its utterance at the next breath, so the closing pass sees it whole)."""
        s = self.settings
        if s.long_speech and now - self.start >= s.long_speech:
            return min(s.min_silence, s.long_min_silence)
        return s.min_silence

    def push(self, probs: np.ndarray) -> list[VadEvent]:
        events: list[VadEvent] = []
        s = self.settings
        for p in probs:
            t0 = self.now
            self.frames += 1
            t1 = self.now
            if not self.in_speech:
                if p >= s.threshold:
                    self.in_speech = True
                    self.start = t0
                    self.last_speech_end = t1
                    self.speech_frames = 1
                    events.append(VadEvent("start", t0, t1))
                continue
            if p >= self.neg_threshold:
                self.last_speech_end = t1
                if p >= s.threshold:
                    self.speech_frames += 1
            elif t1 - self.last_speech_end >= self._silence_needed(t1):
                self.in_speech = False
                events.append(VadEvent("end", self.last_speech_end, t1, self.speech_frames * FRAME_SECONDS))
        return events
