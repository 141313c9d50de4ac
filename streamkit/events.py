"""Events: small frozen dataclasses with a timestamp, serialisable to one JSON line.

Event types are registered explicitly: the core's are :data:`CORE_EVENT_TYPES`, each plugin
returns its own from the ``streamkit_event_types`` hook, and :class:`EventTypes` (built by
:meth:`streamkit.hooks.Plugins.event_types`) reads a session's ``events.jsonl`` back into the same
types. Classes with ``recorded = False`` (audio chunks, video frames) flow through pipelines but
are never written to a session; classes with ``moment = True`` change what is on stream (a scene,
a card) and are worth a screenshot; :meth:`Event.shows_on_stream` says so for one event (a
:class:`SpokenPhrase` does when it goes into the stream).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of all events. ``ts`` is wall-clock seconds since the epoch."""

    ts: float = field(default_factory=time.time)
    recorded: ClassVar[bool] = True
    moment: ClassVar[bool] = False

    def shows_on_stream(self) -> bool:
        """Whether this event changes what viewers see or hear (worth a screenshot): ``moment`` by default."""
        return self.moment

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with a ``type`` key naming the class."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {"type": self.type, **data}

    def announce(self, language: str) -> str:
        """One short sentence for a screen reader or spoken feedback when this happens, in ``language``
        (``zh-CN`` or ``en``); ``""`` for the many events that should pass silently."""
        return ""


def is_english(language: str) -> bool:
    """True for English (``en``, ``en-US``), False for anything else: Chinese first."""
    return language.startswith("en")


def say(language: str, zh: str, en: str) -> str:
    """``zh`` unless ``language`` is English (Chinese first): for :meth:`Event.announce` and every spoken
    or shown sentence that comes in both languages."""
    return en if is_english(language) else zh


class EventTypes:
    """The event classes a process knows, by name, for reading session logs back."""

    def __init__(self, types: Iterable[type[Event]]) -> None:
        self._by_name: dict[str, type[Event]] = {}
        for cls in types:
            known = self._by_name.setdefault(cls.__name__, cls)
            if known is not cls:
                raise ValueError(f"two event types are called {cls.__name__}: {known.__module__} and {cls.__module__}")

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> type[Event] | None:
        return self._by_name.get(name)

    def from_dict(self, data: dict[str, Any]) -> Event:
        """Rebuild an event written by :meth:`Event.to_dict`; unknown types become :class:`UnknownEvent`.

        Raises ``ValueError``/``TypeError`` for a line that does not fit its type (a missing field,
        a time that is not a finite number)."""
        data = dict(data)
        name = str(data.pop("type", ""))
        ts = float(data.pop("ts", 0.0))
        if not math.isfinite(ts):
            raise ValueError(f"{name or 'event'} has a time that is not a finite number")
        cls = self._by_name.get(name)
        if cls is None:
            return UnknownEvent(ts=ts, name=name, data=data)
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(ts=ts, **{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, kw_only=True)
class UnknownEvent(Event):
    """An event read from a log whose type no loaded plugin defines."""

    name: str
    data: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class SessionStarted(Event):
    session_id: str
    config_path: str = ""

    def announce(self, language: str) -> str:
        return say(language, "本场已开始。", "Session started.")


@dataclass(frozen=True, kw_only=True)
class SessionEnded(Event):
    session_id: str
    reason: str = "stopped"

    def announce(self, language: str) -> str:
        return say(language, "本场已结束。", "Session ended.")


@dataclass(frozen=True, kw_only=True)
class ObsConnected(Event):
    url: str
    obs_version: str = ""
    websocket_version: str = ""

    def announce(self, language: str) -> str:
        return say(language, "已连接 OBS。", "Connected to OBS.")


@dataclass(frozen=True, kw_only=True)
class ObsDisconnected(Event):
    url: str
    reason: str = ""

    def announce(self, language: str) -> str:
        return say(language, "OBS 连接断开了，正在重新连接。", "Lost the connection to OBS; reconnecting.")


@dataclass(frozen=True, kw_only=True)
class ObsActionFailed(Event):
    """An OBS request that failed; the target state stays and is re-applied on reconnect."""

    request: str
    code: int = 0
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class SceneChanged(Event):
    moment: ClassVar[bool] = True
    scene: str

    def announce(self, language: str) -> str:
        return say(language, f"场景：{self.scene}。", f"Scene: {self.scene}.")


@dataclass(frozen=True, kw_only=True)
class SourceVisibilityChanged(Event):
    scene: str
    source: str
    visible: bool


@dataclass(frozen=True, kw_only=True)
class RecordingStarted(Event):
    output_path: str = ""

    def announce(self, language: str) -> str:
        return say(language, "OBS 开始录制。", "OBS started recording.")


@dataclass(frozen=True, kw_only=True)
class RecordingStopped(Event):
    output_path: str = ""

    def announce(self, language: str) -> str:
        return say(language, "OBS 停止录制。", "OBS stopped recording.")


@dataclass(frozen=True, kw_only=True)
class MomentMarked(Event):
    """A moment the streamer (or a gesture) marked for the coach to look at."""

    label: str = ""
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class SpokenPhrase(Event):
    """Speech streamkit started playing (published as the first audio goes out).

    ``destination``: ``"headphones"`` (feedback only the streamer hears), ``"stream"`` (a seller's
    words in OBS's mix and recording — captions show them) or ``"file"``. ``latency``: seconds from
    the request to the first audio. ``repeat``: asked for again on purpose.
    """

    text: str
    voice: str
    destination: str
    language: str = ""
    latency: float = 0.0
    repeat: bool = False

    def shows_on_stream(self) -> bool:
        """Words spoken into the stream are heard and shown as a caption line; headphones are not."""
        return self.destination == "stream"


@dataclass(frozen=True, kw_only=True)
class CoachPrompt(Event):
    """A private prompt from a coach watching live ("语速慢一点", "介绍一下价格"): shown to the
    streamer (monitor page, panel) and spoken in their headphones — never on stream.

    ``coach``: who sent it; ``prompt_id``: its number on the review server (prompts of a session
    count up from 1, so a prompt is shown once even when it arrives twice); ``sent_at``: when the
    coach sent it (server clock, seconds since the epoch)."""

    text: str
    coach: str = ""
    prompt_id: int = 0
    sent_at: float = 0.0

    def announce(self, language: str) -> str:
        return say(language, f"教练提示：{self.text}", f"Coach: {self.text}")


@dataclass(frozen=True, kw_only=True)
class AudioChunk(Event):
    """Mono float32 samples in [-1, 1] from one audio source; ``start`` is seconds into the source."""

    recorded: ClassVar[bool] = False
    source: str
    samples: Any
    sample_rate: int
    start: float


@dataclass(frozen=True, kw_only=True)
class VideoFrame(Event):
    """One BGR frame (numpy ``uint8`` H×W×3); ``t`` is seconds into the source."""

    recorded: ClassVar[bool] = False
    source: str
    image: Any
    t: float


@dataclass(frozen=True, kw_only=True)
class SourceEnded(Event):
    """A source stopped producing data: end of file, or a device that went away."""

    source: str
    reason: str = "end of input"
    error: str = ""


# the caption stream ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Caption(Event):
    """A caption change from one audio source.

    ``kind="final"``: ``text`` is committed; it follows the earlier finals of the same utterance.
    ``kind="partial"``: ``text`` is the not yet committed rest of what is being said, replacing the
    previous partial of that source (``""`` clears it). ``kind="revision"`` (at most once per
    utterance, just before its end): a second, slower pass over the whole finished utterance heard
    it differently; ``text`` replaces everything committed for that utterance so far (a display
    rewrites that utterance's line while it is still on screen, files and transcripts keep the
    revised text; ``revision`` counts the revisions of the utterance). ``audio_start`` /
    ``audio_end`` are seconds into the source; ``emitted_at`` is seconds since the source's first
    sample was read (wall clock), so ``emitted_at - audio_end`` is the caption's lag.
    ``utterance`` numbers the utterances of a source; ``utterance_end`` marks its last final.
    ``paused``: the speaker has been silent for a moment (0.25 s by default, shorter than the silence
    that ends the utterance) and this caption's recognition heard all the speech before that silence,
    so the utterance so far may be all of it. When the pause begins, the current partial is sent again
    with ``paused`` set; captions that follow during the same silence carry it too. Spoken commands
    act on it (:mod:`streamkit.commands.detector`); displays can ignore it.
    """

    kind: str  # "partial" | "final" | "revision"
    text: str
    source: str
    speaker: str
    audio_start: float
    audio_end: float
    emitted_at: float
    language: str
    utterance: int = 0
    utterance_end: bool = False
    revision: int = 0
    paused: bool = False


@dataclass(frozen=True, kw_only=True)
class Utterance(Event):
    """Everything one source said between two pauses, committed and joined (published after its last final)."""

    text: str
    source: str
    speaker: str
    language: str
    audio_start: float
    audio_end: float
    utterance: int = 0


CORE_EVENT_TYPES: tuple[type[Event], ...] = (
    UnknownEvent, SessionStarted, SessionEnded, ObsConnected, ObsDisconnected, ObsActionFailed, SceneChanged,
    SourceVisibilityChanged, RecordingStarted, RecordingStopped, MomentMarked, AudioChunk, VideoFrame, SourceEnded,
    Caption, Utterance, SpokenPhrase, CoachPrompt,
)
