"""A recorded session as the review app sees it: transcript lines and timeline lanes on media time.

Media time (seconds into the video/audio) is what the player, the timeline and the comments
share. Its origin is the recording start (``RecordingStarted``) when the media is the OBS
recording, else the session start (an imported file, or the file a demo session replayed). Captions carry ``audio_start``/``audio_end`` in seconds into their source,
and sources start with the session, so a caption sits at ``session_start + audio_start - origin``.
"""

from __future__ import annotations

import json
import math
import statistics
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamkit.events import (Caption, Event, MomentMarked, ObsActionFailed, RecordingStarted, RecordingStopped,
                              SceneChanged, SessionStarted)
from streamkit.hooks import Plugins, process_plugins
from streamkit.session import read_events
from streamkit.text import join_caption
from streamkit.timeline import Lane, LaneKind, Mark, MediaClock, Span
from streamkit.web.files import contained_file

from .store import MAX_MEDIA_SECONDS

MEDIA_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".mkv": "video/x-matroska",
               ".mov": "video/quicktime", ".ogv": "video/ogg", ".mp3": "audio/mpeg", ".wav": "audio/wav",
               ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".opus": "audio/ogg", ".flac": "audio/flac"}
AUDIO_SUFFIXES = {".mp3", ".wav", ".m4a", ".ogg", ".opus", ".flac"}
#: Fields read as seconds; an event whose value there is not a finite number in range is skipped and counted.
TIME_FIELDS = ("ts", "audio_start", "audio_end", "emitted_at")
MAX_EPOCH = 1e10  # seconds since 1970: the year 2286


@dataclass(frozen=True)
class Line:
    """One final caption: a transcript line on media time."""

    start: float
    end: float
    text: str
    speaker: str = ""
    source: str = ""
    language: str = ""
    latency: float | None = None


@dataclass
class ReviewSession:
    """Everything the review pages show about one session folder."""

    id: str
    name: str
    dir: Path
    started: float
    ended: float | None
    media_path: Path | None
    duration: float
    imported: bool
    lines: list[Line] = field(default_factory=list)
    scenes: list[Span] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)  # the features' own rows (products, gestures, …)
    obs_failures: int = 0
    problems: list[str] = field(default_factory=list)
    event_count: int = 0
    skipped_events: int = 0

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES.get(self.media_path.suffix.lower(), "") if self.media_path else ""

    @property
    def media_kind(self) -> str:
        """``video``, ``audio`` or ``""`` when the session has no playable media."""
        if not self.media_path:
            return ""
        return "audio" if self.media_path.suffix.lower() in AUDIO_SUFFIXES else "video"

    @property
    def segments(self) -> list[Span]:
        """Spans of talk about one thing each (product 讲解 segments), from every segments lane."""
        return [span for lane in self.lanes if lane.kind is LaneKind.SEGMENTS for span in lane.spans]

    @property
    def commands_done(self) -> int:
        return sum(lane.commands.done for lane in self.lanes if lane.commands is not None)

    @property
    def commands_refused(self) -> int:
        return sum(lane.commands.refused for lane in self.lanes if lane.commands is not None)

    @property
    def refused_commands(self) -> list[Mark]:
        return sorted((m for lane in self.lanes for m in lane.refused), key=lambda m: m.t)

    @property
    def triggered(self) -> int:
        """Moments the features' moment lanes hold (gesture triggers)."""
        return sum(len(lane.marks) for lane in self.lanes if lane.kind is LaneKind.MOMENTS)

    @property
    def language(self) -> str:
        """``zh`` or ``en``: the language most of the transcript is in."""
        cjk = latin = 0
        for line in self.lines[:400]:
            for ch in line.text:
                if "\u4e00" <= ch <= "\u9fff":
                    cjk += 1
                elif ch.isascii() and ch.isalpha():
                    latin += 1
        return "zh" if cjk * 3 >= latin else "en"


def _read_log(path: Path, plugins: Plugins) -> tuple[list[Event], list[str], int]:
    """The events, the problems met, and how many lines could not be read at all."""
    if not path.exists():
        return [], [f"{path.name}: missing — the session has no events"], 0
    out, problems = read_events(path, plugins.event_types())
    unreadable = len(problems)
    if problems:
        size = path.stat().st_size
        ends_clean = size == 0 or path.read_bytes()[-1:] == b"\n"
        cut = "" if ends_clean else " (the last line is cut: the session stopped mid-write)"
        problems = [f"events.jsonl: {len(problems)} unreadable line(s) skipped{cut}; {len(out)} events read"] + problems[:5]
    return out, problems, unreadable


def as_time(value: Any, high: float = MAX_EPOCH) -> float | None:
    """``value`` as seconds when it is a finite number (or numeric text) from 0 to ``high``; else None."""
    try:
        t = float(value) if value is not None and not isinstance(value, bool) else math.nan
    except (TypeError, ValueError, OverflowError):
        return None
    return t if math.isfinite(t) and 0.0 <= t <= high else None


def _usable_events(events: list[Event], started: float | None) -> tuple[list[Event], int]:
    """The events whose time fields are finite and in range, near the session's start; and how many were not."""
    def ok(e: Event) -> bool:
        data = e.to_dict()
        return as_time(data.get("ts")) is not None and all(
            data.get(k) is None or as_time(data.get(k)) is not None for k in TIME_FIELDS[1:]) and _printable(data)

    kept = [e for e in events if ok(e)]
    times = [e.ts for e in kept]
    anchor = started if started is not None else (statistics.median(times) if times else 0.0)
    kept = [e for e, ts in zip(kept, times) if abs(ts - anchor) <= MAX_MEDIA_SECONDS]
    return kept, len(events) - len(kept)


def _printable(data: Any) -> bool:
    """Pages and JSON answers can carry ``data``: no lone surrogates, no NaN or infinity anywhere in it."""
    try:
        json.dumps(data, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, TypeError):  # UnicodeEncodeError is a ValueError
        return False
    return True


def read_info(folder: Path) -> tuple[dict[str, Any], list[str]]:
    """``session.json`` as a dict; a missing or unreadable file, or unusable times in it, become problems."""
    path = folder / "session.json"
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, ["session.json: missing — using the folder name"]
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}, ["session.json: unreadable — using the folder name"]
    if not isinstance(info, dict):
        return {}, ["session.json: not a JSON object — using the folder name"]
    problems = []
    for key in ("started", "ended"):
        if info.get(key) is not None and as_time(info[key]) is None:
            problems.append(f"session.json: {key} {str(info.pop(key))[:40]!r} is not a time — ignored")
    if not isinstance(info.get("extra") or {}, dict):
        info.pop("extra")
    if not _printable(info):
        return {}, ["session.json: has text or numbers no page can show — using the folder name"]
    return info, problems


def resolve_media(folder: Path, info: dict[str, Any], events: list[Event]) -> Path | None:
    """The session's own media file: ``media_path``, else the recording, else a media file in the folder."""
    candidates: list[str] = [str(info.get("media_path") or ""), str(info.get("recording_path") or "")]
    candidates += [e.output_path for e in reversed(events) if isinstance(e, RecordingStopped)]
    for name in candidates:
        if not name:
            continue
        path = Path(name)
        # a relative name stays in the session folder; an absolute one may not be a link leading elsewhere
        real = contained_file(folder / path, folder) if not path.is_absolute() else contained_file(path, path.parent)
        if real is not None and real.suffix.lower() in MEDIA_TYPES:
            return real
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        real = contained_file(path, folder) if path.suffix.lower() in MEDIA_TYPES else None
        if real is not None and real.suffix.lower() in MEDIA_TYPES:
            return real
    return None


def media_duration(path: Path) -> float | None:
    """Length of a media file in seconds (PyAV), or None when it cannot be read."""
    import av

    try:
        with av.open(str(path)) as container:
            if container.duration:
                return container.duration / 1_000_000
            stream = (container.streams.audio or container.streams.video)[0]
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except (av.error.FFmpegError, IndexError, OSError):
        return None
    return None


def _caption_clock(c: Caption, session_start: float) -> tuple[float, float | None]:
    """(wall time of the caption source's first sample, caption lag in seconds or None).

    ``emitted_at`` is seconds since the source's first sample (the captions plugin's clock), so the
    source started at ``ts - emitted_at`` and the lag is ``emitted_at - audio_end``. Logs that
    carry an epoch time there are read with the session start as the source start.
    """
    emitted = float(c.emitted_at)
    if emitted > 1e9:  # an absolute wall-clock time
        lag = emitted - (session_start + c.audio_end)
        return session_start, lag if 0.0 <= lag <= 60.0 else None
    lag = emitted - c.audio_end
    return c.ts - emitted, lag if 0.0 <= lag <= 60.0 else None


def load_session(folder: Path, plugins: Plugins | None = None) -> ReviewSession:
    """Read a session folder (tolerant: a cut events.jsonl or missing files become ``problems``).

    The core's lanes (scenes, marked moments) are drawn here; every feature draws its own through
    ``plugins`` (the process's plugins when None)."""
    plugins = plugins or process_plugins()
    info, problems = read_info(folder)
    events, event_problems, unreadable = _read_log(folder / "events.jsonl", plugins)
    events, skipped = _usable_events(events, as_time(info.get("started")))
    skipped += unreadable
    problems += ([f"{skipped} events could not be read (a bad line or field) and were skipped"] if skipped else [])
    problems += event_problems
    events.sort(key=lambda e: e.ts)
    started = float(info.get("started") or (events[0].ts if events else 0.0))
    extra = info.get("extra") or {}
    imported = bool(extra.get("imported"))
    media = resolve_media(folder, info, events)
    clock = MediaClock(_media_origin(info, events, media, started, imported))
    lines = transcript_lines(events, clock, imported)
    last_t = max([clock.pos(e.ts) for e in events] + [x.end for x in lines], default=0.0)
    ended = info.get("ended")
    if ended:
        last_t = max(last_t, float(ended) - clock.origin)
    duration = min(last_t, MAX_MEDIA_SECONDS)
    if media is not None:
        probed = media_duration(media)
        if probed:
            duration = min(probed, MAX_MEDIA_SECONDS)
        elif media.exists():
            problems.append(f"{media.name}: the media file cannot be decoded — the player may not play it")
    else:
        problems.append("no video or audio file found for this session — the transcript and timeline still work")
    clock = MediaClock(clock.origin, duration)
    return ReviewSession(
        id=str(info.get("id") or folder.name), name=str(info.get("name") or folder.name), dir=folder,
        started=started, ended=float(ended) if ended else None, media_path=media, duration=duration,
        imported=imported, lines=lines, scenes=scene_spans(events, clock),
        marks=[Mark(clock.pos(e.ts), e.label, e.source) for e in events if isinstance(e, MomentMarked)],
        lanes=plugins.timeline_lanes(events, clock), obs_failures=sum(isinstance(e, ObsActionFailed) for e in events),
        problems=problems, event_count=len(events), skipped_events=skipped)


def _media_origin(info: dict[str, Any], events: list[Event], media: Path | None, started: float,
                  imported: bool) -> float:
    """Wall time of second 0 of the media: the recording start when the media is the OBS recording,
    else the session start (an imported file, or the file a demo session replayed)."""
    session_start = next((e.ts for e in events if isinstance(e, SessionStarted)), started)
    rec_start = next((e.ts for e in events if isinstance(e, RecordingStarted)), None)
    recordings = {str(info.get("recording_path") or "")} | {
        e.output_path for e in events if isinstance(e, (RecordingStarted, RecordingStopped))}
    media_is_recording = media is not None and str(media) in recordings
    return rec_start if rec_start is not None and media_is_recording and not imported else session_start


def transcript_lines(events: list[Event], clock: MediaClock, imported: bool) -> list[Line]:
    """One transcript line per spoken utterance (live captions commit an utterance in pieces, numbered
    from 1, perhaps revised whole at its end); captions without a number are each a line of their own."""
    session_start = next((e.ts for e in events if isinstance(e, SessionStarted)), clock.origin)
    lines: list[Line] = []
    open_lines: dict[str, tuple[int, Line]] = {}  # source → (utterance, its line so far)
    for c in events:
        if not isinstance(c, Caption) or c.kind not in ("final", "revision") or not c.text.strip():
            continue
        source_start, latency = _caption_clock(c, session_start)
        start = max(0.0, source_start + c.audio_start - clock.origin)
        line = Line(start, max(start, source_start + c.audio_end - clock.origin), c.text.strip(), c.speaker, c.source,
                    c.language, None if imported else latency)
        prev = open_lines.pop(c.source, None)
        if prev is not None and prev[0] == c.utterance:
            first = prev[1]
            text = line.text if c.kind == "revision" else join_caption(first.text, line.text)  # a revision replaces
            line = Line(first.start, max(first.end, line.end), text, first.speaker,
                        c.source, first.language or line.language, first.latency)
        elif prev is not None:
            lines.append(prev[1])
        if c.utterance and not c.utterance_end:
            open_lines[c.source] = (c.utterance, line)
        else:
            lines.append(line)
    lines.extend(line for _, line in open_lines.values())  # utterances cut off by the end of the session
    return sorted(lines, key=lambda x: x.start)


def scene_spans(events: list[Event], clock: MediaClock) -> list[Span]:
    """One span per scene that was on program, until the next switch or the end."""
    spans: list[Span] = []
    current: tuple[float, str] | None = None
    for e in events:
        if isinstance(e, SceneChanged):
            if current is not None:
                spans.append(Span(current[0], clock.pos(e.ts), current[1]))
            current = (clock.pos(e.ts), e.scene)
    if current is not None:
        spans.append(Span(current[0], clock.span_end(current[0]), current[1]))
    return spans


class SessionCache:
    """Loaded sessions kept while their files are unchanged (keyed by size and mtime)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[Path, tuple[tuple[Any, ...], ReviewSession]] = {}

    @staticmethod
    def signature(folder: Path) -> tuple[Any, ...]:
        """Changes whenever the session's files do (size and mtime of session.json and events.jsonl)."""
        sig: list[Any] = []
        for name in ("session.json", "events.jsonl"):
            try:
                st = (folder / name).stat()
                sig += [st.st_size, st.st_mtime_ns]
            except FileNotFoundError:
                sig += [None, None]
        return tuple(sig)

    def get(self, folder: Path) -> ReviewSession:
        sig = self.signature(folder)
        with self._lock:
            hit = self._items.get(folder)
        if hit and hit[0] == sig:
            return hit[1]
        session = load_session(folder)
        with self._lock:
            self._items[folder] = (sig, session)
        return session
