"""What the voice feature puts in the session log: every command heard, done, refused, confirmed or cancelled.

Each event carries the sentence streamkit answered with (``answer``), so the coach's review shows
what the streamer heard, and the spoken feedback reads it through :meth:`~streamkit.events.Event.announce`.
An empty ``answer`` means another event says it (``SceneChanged``, ``ProductCardShown``, ``RecordingStarted``).
"""

from __future__ import annotations

from dataclasses import dataclass

from streamkit.events import Event


@dataclass(frozen=True, kw_only=True)
class AnsweredEvent(Event):
    """An event whose ``answer`` is what streamkit said about it (spoken feedback reads it)."""

    answer: str = ""

    def announce(self, language: str) -> str:
        return self.answer


@dataclass(frozen=True, kw_only=True)
class VoiceCommandHeard(Event):
    """A spoken command the grammar recognised (before it is carried out)."""

    text: str
    action: str
    target: str = ""
    product: int | None = None
    seconds: int | None = None
    confidence: float = 0.0
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class VoiceCommandDone(AnsweredEvent):
    """A command carried out (or, for a recording or the stream, asked of OBS after 确认)."""

    action: str
    target: str = ""


@dataclass(frozen=True, kw_only=True)
class VoiceCommandRefused(AnsweredEvent):
    """A command heard but not carried out: an unknown scene, a feature that is off, nothing understood."""

    text: str
    action: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class VoiceConfirmationRequested(AnsweredEvent):
    """A recording or streaming command waits for 确认 / "confirm" within ``seconds``."""

    action: str
    seconds: float


@dataclass(frozen=True, kw_only=True)
class VoiceCommandConfirmed(Event):
    """The streamer said 确认 / "confirm" in time: the waiting command runs."""

    action: str


@dataclass(frozen=True, kw_only=True)
class VoiceCommandCancelled(AnsweredEvent):
    """A waiting command dropped: ``reason`` is ``cancel`` (取消), ``timeout`` or ``other`` (other words came)."""

    action: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class SpeechUnavailable(Event):
    """Spoken feedback is off for this session (no output device, no model): feedback stays visual."""

    reason: str
    fix: str = ""

    def announce(self, language: str) -> str:
        return self.reason


EVENT_TYPES: tuple[type[Event], ...] = (VoiceCommandHeard, VoiceCommandDone, VoiceCommandRefused,
                                        VoiceConfirmationRequested, VoiceCommandConfirmed, VoiceCommandCancelled,
                                        SpeechUnavailable)
