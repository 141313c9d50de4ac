"""Speaker: speaks phrases through one output, one at a time, never twice by accident.

>>> speaker = Speaker(engine, DeviceOutput("Headphones"), bus=runtime.bus)   # doctest: +SKIP
>>> speaker.say("已切到近景")            # queued; False when it would be an accidental repeat
>>> speaker.say("已切到近景", repeat=True)   # "say it again" on purpose

Every phrase that starts playing is published as :class:`~streamkit.events.SpokenPhrase` (so it is
in the session log, and captions show a seller's words on the stream).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..bus import EventBus
from ..errors import StreamkitError
from ..events import SpokenPhrase
from .engine import SpeechAudio, SpeechChunk, SpeechEngine
from .gate import PhraseGate
from .output import AudioOutput
from .text import dominant_language

__all__ = ["Speaker"]

log = logging.getLogger(__name__)


@dataclass
class _Job:
    text: str
    voice: str | None
    repeat: bool
    sound: SpeechAudio | None = None  # a ready clip (an earcon): played as it is, never announced
    requested: float = field(default_factory=time.perf_counter)
    done: threading.Event = field(default_factory=threading.Event)
    error: StreamkitError | None = None


class Speaker:
    """Queues phrases for ``output`` and plays them in order on its own thread."""

    def __init__(self, engine: SpeechEngine | Callable[[], SpeechEngine], output: AudioOutput, *,
                 bus: EventBus | None = None, gate: PhraseGate | None = None) -> None:
        # a callable is asked on the speaker's own thread, so a model still loading never blocks say()
        self._engine = engine if callable(engine) and not isinstance(engine, SpeechEngine) else (lambda: engine)
        self.output = output
        self.bus = bus
        self.gate = gate or PhraseGate()
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"streamkit-speech-{output.destination}", daemon=True)
        self._thread.start()

    @property
    def engine(self) -> SpeechEngine:
        """The speech engine (waits for it when it is still loading)."""
        return self._engine()

    def say(self, text: str, *, voice: str | None = None, repeat: bool = False, wait: bool = False) -> bool:
        """Queue ``text``; False (nothing queued) when it would repeat a phrase by accident.

        ``wait=True`` blocks until it has been played and raises what went wrong (a SpeechError, a
        ModelError) instead of logging it.
        """
        if not self.gate.admit(text, self.output.destination, repeat=repeat):
            log.info("not speaking %r again so soon (%s)", text, self.output.destination)
            return False
        job = _Job(text, voice, repeat)
        self._queue.put(job)
        if wait:
            job.done.wait()
            if job.error is not None:
                raise job.error
        return True

    def play(self, sound: SpeechAudio, label: str = "sound") -> None:
        """Queue a ready clip (an earcon) between phrases; it is not gated and publishes nothing."""
        self._queue.put(_Job(label, None, True, sound=sound))

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                self._speak(job)
            except StreamkitError as exc:
                job.error = exc
                log.error("speech %s: %s", self.output.destination, exc)
            finally:
                if job.sound is None:
                    self.gate.finished(job.text, self.output.destination)
                job.done.set()

    def _speak(self, job: _Job) -> None:
        if job.sound is not None:
            clip = SpeechChunk(job.sound.samples, job.sound.sample_rate, job.text, 0, last=True)
            self.output.play([clip], lambda: None)
            return
        voice = self.engine.voice_for(job.text, job.voice)

        def started() -> None:
            if self.bus is not None:
                self.bus.publish(SpokenPhrase(text=job.text, voice=voice.name, destination=self.output.destination,
                                              language=dominant_language(job.text),
                                              latency=round(time.perf_counter() - job.requested, 3), repeat=job.repeat))

        self.output.play(self.engine.stream(job.text, voice=voice), started)

    def close(self, timeout: float = 30.0) -> None:
        """Play what is queued (up to ``timeout`` s), then stop the thread and close the output."""
        self._queue.put(None)
        self._thread.join(timeout)
        self.output.close()
