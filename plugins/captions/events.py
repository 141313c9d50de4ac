"""Events of the captions plugin (recorded in the session log); the caption stream itself
(:class:`~streamkit.events.Caption`, :class:`~streamkit.events.Utterance`) is a core contract."""

from __future__ import annotations

from dataclasses import dataclass

from streamkit.events import Event


@dataclass(frozen=True, kw_only=True)
class CaptionsSkipped(Event):
    """An output skipped captions for a reason worth a line in the log (e.g. CEA-608 and Chinese text)."""

    output: str
    reason: str
    source: str = ""


EVENT_TYPES: tuple[type[Event], ...] = (CaptionsSkipped,)
