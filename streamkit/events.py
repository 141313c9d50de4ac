"""Events: small frozen dataclasses with a timestamp, serialisable to one JSON line.

Every subclass is registered by its class name, so a session's ``events.jsonl`` can be read
back into the same types (:func:`event_from_dict`). Classes with ``recorded = False`` (audio
chunks, video frames) flow through pipelines but are never written to a session.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

_REGISTRY: dict[str, type["Event"]] = {}


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of all events. ``ts`` is wall-clock seconds since the epoch."""

    ts: float = field(default_factory=time.time)
    recorded: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _REGISTRY[cls.__name__] = cls

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with a ``type`` key naming the class."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return {"type": self.type, **data}


def event_types() -> dict[str, type[Event]]:
    """All registered event classes by name."""
    return dict(_REGISTRY)


def event_from_dict(data: dict[str, Any]) -> Event:
    """Rebuild an event written by :meth:`Event.to_dict`; unknown types become :class:`UnknownEvent`."""
    data = dict(data)
    name = data.pop("type", "")
    cls = _REGISTRY.get(name)
    if cls is None:
        return UnknownEvent(ts=float(data.pop("ts", 0.0)), name=name, data=data)
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, kw_only=True)
class UnknownEvent(Event):
    """An event read from a log whose type no loaded plugin defines."""

    name: str
    data: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class SessionStarted(Event):
    session_id: str
    config_path: str = ""


@dataclass(frozen=True, kw_only=True)
class SessionEnded(Event):
    session_id: str
    reason: str = "stopped"


@dataclass(frozen=True, kw_only=True)
class ObsConnected(Event):
    url: str
    obs_version: str = ""
    websocket_version: str = ""


@dataclass(frozen=True, kw_only=True)
class ObsDisconnected(Event):
    url: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ObsActionFailed(Event):
    """An OBS request that failed; the target state stays and is re-applied on reconnect."""

    request: str
    code: int = 0
    comment: str = ""


@dataclass(frozen=True, kw_only=True)
class SceneChanged(Event):
    scene: str


@dataclass(frozen=True, kw_only=True)
class SourceVisibilityChanged(Event):
    scene: str
    source: str
    visible: bool


@dataclass(frozen=True, kw_only=True)
class RecordingStarted(Event):
    output_path: str = ""


@dataclass(frozen=True, kw_only=True)
class RecordingStopped(Event):
    output_path: str = ""


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
