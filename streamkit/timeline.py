"""A recorded session's timeline, drawn lane by lane by the features that made its events.

The coach review shows one timeline per session. It draws the core's lanes itself (scenes, marked
moments) and asks every plugin for its own through the ``streamkit_timeline_lanes`` hook: the
products plugin draws its 讲解 segments, the gestures plugin its triggers. A lane is plain data on
media time (seconds into the session's recording), so the review never needs to know another
feature's events.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """Something that lasted: a scene, a product 讲解 segment."""

    start: float
    end: float
    label: str
    key: str = ""


@dataclass(frozen=True)
class Mark:
    """Something that happened at a moment: a gesture, a coach mark, a rejected command."""

    t: float
    label: str
    kind: str = ""


class LaneKind(enum.StrEnum):
    """How the review reads a lane."""

    SEGMENTS = "segments"  # spans of talk about one thing each: the review measures the speech inside each
    MOMENTS = "moments"  # marks only


@dataclass(frozen=True)
class CommandCounts:
    """Commands a feature carried out and refused, for the review's "command success"."""

    done: int = 0
    refused: int = 0


@dataclass(frozen=True)
class Lane:
    """One row of the timeline."""

    key: str  # stable id, e.g. "products"; also the CSS class of the row
    title: Mapping[str, str]  # by language: {"zh-CN": "讲解", "en": "Products"}
    kind: LaneKind
    spans: tuple[Span, ...] = ()
    marks: tuple[Mark, ...] = ()
    refused: tuple[Mark, ...] = ()  # commands heard but not carried out (shown to the coach)
    commands: CommandCounts | None = None
    order: int = 50


@dataclass(frozen=True)
class MediaClock:
    """Wall-clock times of events → seconds into the session's media."""

    origin: float
    duration: float = 0.0

    def pos(self, ts: float) -> float:
        """Seconds into the media at wall time ``ts`` (never negative)."""
        return max(0.0, ts - self.origin)

    def span_end(self, start: float) -> float:
        """Where a span still open at the end of the session ends."""
        return max(self.duration, start)
