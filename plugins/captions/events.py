"""Events of the captions plugin (recorded in the session log)."""

from __future__ import annotations

from dataclasses import dataclass

from streamkit.events import Event


@dataclass(frozen=True, kw_only=True)
class Caption(Event):
    """A caption change from one audio source.

    ``kind="final"``: ``text`` is committed and never changes; it follows the earlier finals of
    the same utterance. ``kind="partial"``: ``text`` is the not yet committed rest of what is being
    said, replacing the previous partial of that source (``""`` clears it). ``audio_start`` /
    ``audio_end`` are seconds into the source; ``emitted_at`` is seconds since the source's first
    sample was read (wall clock), so ``emitted_at - audio_end`` is the caption's lag.
    ``utterance`` numbers the utterances of a source; ``utterance_end`` marks its last final.
    """

    kind: str  # "partial" | "final"
    text: str
    source: str
    speaker: str
    audio_start: float
    audio_end: float
    emitted_at: float
    language: str
    utterance: int = 0
    utterance_end: bool = False


@dataclass(frozen=True, kw_only=True)
class CaptionsSkipped(Event):
    """An output skipped captions for a reason worth a line in the log (e.g. CEA-608 and Chinese text)."""

    output: str
    reason: str
    source: str = ""
