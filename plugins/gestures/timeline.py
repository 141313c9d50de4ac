"""The gestures row of a recorded session's timeline: each gesture that ran its action."""

from __future__ import annotations

from collections.abc import Sequence

from streamkit.events import Event
from streamkit.timeline import Lane, LaneKind, Mark, MediaClock

from .events import GestureTriggered


def gestures_lane(events: Sequence[Event], clock: MediaClock) -> Lane | None:
    """A mark per triggered gesture ("smile → scene 直播间"); None when none fired."""
    marks = tuple(Mark(clock.pos(e.ts), f"{e.gesture} → {e.action} {e.target}".strip(), e.modality)
                  for e in events if isinstance(e, GestureTriggered))
    if not marks:
        return None
    return Lane("gestures", {"zh-CN": "手势", "en": "Gestures"}, LaneKind.MOMENTS, marks=marks, order=30)
