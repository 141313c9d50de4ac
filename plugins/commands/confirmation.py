"""The confirmation window of recording and streaming commands, counted in the streamer's audio time.

"开始录制" asks for 确认 within ``confirm_seconds``. When the command was heard in captions, the window
starts at the audio end of the caption that carried it and a 确认 / 取消 counts when it was *said* within
the window (the audio start of its utterance), however late recognition delivers it: on a busy
machine captions can arrive seconds after the words. The window closes once a caption of that source
shows speech begun after it, or, in silence, :data:`RECOGNITION_ALLOWANCE` after the wall-clock
deadline. A command without audio times (typed, from the panel) keeps the wall clock alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from streamkit.commands import Command
from streamkit.events import Caption

#: Seconds beyond the wall-clock deadline that a window asked in speech stays open when no caption
#: shows its audio has passed (silence): a 确认 said at the last moment arrives after the word's own
#: length (~0.6 s), the pause that lets it act (0.25 s) and the recognition lag, which reached 1.9–3.8 s
#: (p90) on this project's 2-core machine loaded 7–15 deep (README, voice benchmark). 5 s covers that;
#: longer would only delay the spoken "timeout" further in silence.
RECOGNITION_ALLOWANCE = 5.0


@dataclass(frozen=True)
class SaidAt:
    """When heard words were said, in ``source``'s audio seconds: their utterance's start, the caption's end."""

    source: str
    start: float
    end: float


class UtteranceStarts:
    """Remembers where each source's current utterance began, so words are timed from their utterance.

    A partial caption's ``audio_start`` is where its uncommitted rest begins and an utterance's closing
    empty final starts at its end; the utterance's first caption starts where its speech did.
    """

    def __init__(self) -> None:
        self._starts: dict[str, tuple[int, float]] = {}

    def said_at(self, caption: Caption) -> SaidAt:
        if not caption.utterance:  # no utterance numbers: each caption is a whole utterance
            return SaidAt(caption.source, caption.audio_start, caption.audio_end)
        known = self._starts.get(caption.source)
        if known is None or known[0] != caption.utterance:
            known = self._starts[caption.source] = (caption.utterance, caption.audio_start)
        return SaidAt(caption.source, min(known[1], caption.audio_start), caption.audio_end)


@dataclass(frozen=True)
class Pending:
    """A recording or streaming command waiting for 确认 (see the module doc).

    Asked at ``asked_at`` on the component's clock, during ``utterance``; ``asked_by`` is when the
    command was said (None without audio times: the wall clock alone decides).
    """

    command: Command
    seconds: float
    asked_at: float
    utterance: tuple[str, int]
    language: str
    asked_by: SaidAt | None = None

    @property
    def expires_at(self) -> float:
        """When the wall clock closes the window: later by :data:`RECOGNITION_ALLOWANCE` when asked in speech."""
        return self.asked_at + self.seconds + (0.0 if self.asked_by is None else RECOGNITION_ALLOWANCE)

    def passed_by(self, said: SaidAt) -> bool:
        """Whether words begun at ``said`` show the asking source's audio is past the window."""
        asked = self.asked_by
        return asked is not None and said.source == asked.source and said.start > asked.end + self.seconds

    def in_time(self, said: SaidAt | None, now: float) -> bool:
        """Whether a 确认 / 取消 said at ``said`` (None: not spoken, e.g. typed) and handled ``now`` counts."""
        asked = self.asked_by
        if said is None:
            return now < self.asked_at + self.seconds
        if asked is not None and said.source == asked.source:
            return said.start <= asked.end + self.seconds
        return now < self.expires_at  # heard on another source: its audio clock is not ours; allow its lag
