"""The voice row of a recorded session's timeline: each command heard and what came of it."""

from __future__ import annotations

from collections.abc import Sequence

from streamkit.events import Event
from streamkit.timeline import CommandCounts, Lane, LaneKind, Mark, MediaClock

from .events import VoiceCommandCancelled, VoiceCommandDone, VoiceCommandHeard, VoiceCommandRefused


def voice_lane(events: Sequence[Event], clock: MediaClock) -> Lane | None:
    """A mark per command heard ("切到近景 → scene 近景特写"), refused ones apart; None when none was heard."""
    marks: list[Mark] = []
    refused: list[Mark] = []
    done = 0
    for e in events:
        if isinstance(e, VoiceCommandHeard):
            target = e.target or (str(e.product) if e.product is not None else "")
            marks.append(Mark(clock.pos(e.ts), f"{e.text} → {e.action} {target}".strip(), e.action))
        elif isinstance(e, VoiceCommandDone):
            done += 1
        elif isinstance(e, VoiceCommandRefused):
            refused.append(Mark(clock.pos(e.ts), e.answer or e.text, e.reason))
        elif isinstance(e, VoiceCommandCancelled):
            refused.append(Mark(clock.pos(e.ts), e.answer or e.action, e.reason))
    if not marks and not refused:
        return None
    return Lane("voice", {"zh-CN": "语音指令", "en": "Voice commands"}, LaneKind.MOMENTS, marks=tuple(marks),
                refused=tuple(refused), commands=CommandCounts(done=done, refused=len(refused)), order=25)
