"""The pipeline step: :class:`~streamkit.events.AudioChunk` in, :class:`~.events.Caption` out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from streamkit.clock import Clock, WallClock
from streamkit.events import AudioChunk, Caption, Event
from streamkit.pipeline import Processor

from .decoder import SAMPLE_RATE, WhisperDecoder
from .streaming import CaptionUpdate, StreamingOptions, StreamingTranscriber

log = logging.getLogger(__name__)

HOTWORDS_REFRESH = 5.0  # seconds of audio between two looks at the product catalog's names


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float32 at 16 kHz (sources already deliver 16 kHz; other rates are interpolated)."""
    data = np.asarray(samples, dtype=np.float32).reshape(-1)
    if rate == SAMPLE_RATE or len(data) == 0:
        return data
    n = int(round(len(data) * SAMPLE_RATE / rate))
    return np.interp(np.linspace(0, len(data) - 1, n), np.arange(len(data)), data).astype(np.float32)


class CaptionProcessor(Processor):
    """Streaming captions for one audio source; other events pass through untouched.

    ``is_muted`` (checked per chunk): while it returns True the source is treated as silence and a
    caption in progress is dropped. ``hotwords`` is asked again at each new utterance (product names
    loaded later arrive without a restart). ``emitted_at`` counts from the moment the first sample
    was read: the arrival of the first chunk minus its duration when ``realtime``.
    """

    def __init__(self, decoder: WhisperDecoder, options: StreamingOptions | None = None, *, source: str = "",
                 speaker: str = "", clock: Clock | None = None, realtime: bool = True,
                 is_muted: Callable[[], bool] | None = None,
                 hotwords: Callable[[], Sequence[str]] | None = None) -> None:
        self.clock = clock or WallClock()
        self.transcriber = StreamingTranscriber(decoder, options or StreamingOptions(), timer=self.clock.now)
        self.source = source
        self.speaker = speaker
        self.realtime = realtime
        self.is_muted = is_muted
        self.hotwords = hotwords
        self.origin: float | None = None
        self._offset = 0.0
        self._muted = False
        self._name = source
        self._hotwords_due = float("-inf")

    def process(self, event: Event) -> Iterable[Event]:
        if not isinstance(event, AudioChunk):
            yield event
            return
        samples = to_16k(event.samples, event.sample_rate)
        if self.origin is None:
            self._name = self.source or event.source
            self._offset = float(event.start)
            duration = len(samples) / SAMPLE_RATE
            self.origin = self.clock.now() - (duration if self.realtime else 0.0)
        updates: list[CaptionUpdate] = []
        muted = bool(self.is_muted and self.is_muted())
        if muted != self._muted:
            self._muted = muted
            log.info("captions of %s %s", self._name, "paused: input muted in OBS" if muted else "resumed")
            if muted:
                updates += self.transcriber.reset()
        if muted:
            samples = np.zeros_like(samples)
        elif self.hotwords is not None and not self.transcriber.speaking and self.transcriber.now >= self._hotwords_due:
            self._hotwords_due = self.transcriber.now + HOTWORDS_REFRESH
            self._refresh_hotwords()
        updates += self.transcriber.feed(samples)
        yield from self._captions(updates)

    def flush(self) -> Iterable[Event]:
        return list(self._captions(self.transcriber.finish()))

    def _refresh_hotwords(self) -> None:
        try:
            words = tuple(w for w in (self.hotwords() if self.hotwords else ()) if w)
        except Exception as exc:  # noqa: BLE001 - a failing provider must not stop captions
            log.debug("hotwords provider failed: %s", exc)
            return
        if words != self.transcriber.extra_hotwords:
            self.transcriber.extra_hotwords = words

    def _captions(self, updates: list[CaptionUpdate]) -> Iterable[Caption]:
        if not updates:
            return
        origin = self.origin if self.origin is not None else self.clock.now()
        emitted_at = round(self.clock.now() - origin, 3)
        for u in updates:
            yield Caption(kind=u.kind, text=u.text, source=self._name, speaker=self.speaker,
                          audio_start=round(u.audio_start + self._offset, 3), audio_end=round(u.audio_end + self._offset, 3),
                          emitted_at=emitted_at, language=u.language, utterance=u.utterance,
                          utterance_end=u.utterance_end, revision=u.revision, paused=u.paused)
