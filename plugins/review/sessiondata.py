"""A recorded session as the review app sees it: transcript lines and timeline lanes on media time.

Media time (seconds into the video/audio) is what the player, the timeline and the comments
share. Its origin is the recording start (``RecordingStarted``) when the media is the OBS
recording, else the session start (an imported file, or the file a demo session replayed). Captions carry ``audio_start``/``audio_end`` in seconds into their source,
and sources start with the session, so a caption sits at ``session_start + audio_start - origin``.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streamkit.events import UnknownEvent
from streamkit.plugins.captions.textproc import join_text
from streamkit.session import read_events

MEDIA_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".mkv": "video/x-matroska",
               ".mov": "video/quicktime", ".ogv": "video/ogg", ".mp3": "audio/mpeg", ".wav": "audio/wav",
               ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".opus": "audio/ogg", ".flac": "audio/flac"}
AUDIO_SUFFIXES = {".mp3", ".wav", ".m4a", ".ogg", ".opus", ".flac"}


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
    products: list[Span] = field(default_factory=list)
    gestures: list[Mark] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    rejected_commands: list[Mark] = field(default_factory=list)
    obs_failures: int = 0
    voice_commands: int = 0
    problems: list[str] = field(default_factory=list)
    event_count: int = 0

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


def _event_dicts(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    if not path.exists():
        return [], [f"{path.name}: missing — the session has no events"]
    events, problems = read_events(path)
    out: list[dict[str, Any]] = []
    for ev in events:
        if isinstance(ev, UnknownEvent):
            out.append({**ev.data, "type": ev.name, "ts": ev.ts})
        else:
            out.append(ev.to_dict())
    if problems:
        size = path.stat().st_size
        ends_clean = size == 0 or path.read_bytes()[-1:] == b"\n"
        cut = "" if ends_clean else " (the last line is cut: the session stopped mid-write)"
        problems = [f"events.jsonl: {len(problems)} unreadable line(s) skipped{cut}; {len(out)} events read"] + problems[:5]
    return out, problems


def _read_info(folder: Path) -> tuple[dict[str, Any], list[str]]:
    path = folder / "session.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")), []
    except FileNotFoundError:
        return {}, ["session.json: missing — using the folder name"]
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}, ["session.json: unreadable — using the folder name"]


def resolve_media(folder: Path, info: dict[str, Any], events: list[dict[str, Any]]) -> Path | None:
    """The session's own media file: ``media_path``, else the recording, else a media file in the folder."""
    candidates: list[str] = [str(info.get("media_path") or ""), str(info.get("recording_path") or "")]
    candidates += [str(e.get("output_path") or "") for e in reversed(events) if e.get("type") == "RecordingStopped"]
    for name in candidates:
        if not name:
            continue
        path = Path(name)
        if not path.is_absolute():
            path = (folder / path).resolve()
            if folder.resolve() not in path.parents:
                continue
        if path.suffix.lower() in MEDIA_TYPES and path.is_file():
            return path
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.suffix.lower() in MEDIA_TYPES and path.is_file():
            return path
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


def _caption_clock(e: dict[str, Any], ts: float, audio_end: float, session_start: float) -> tuple[float, float | None]:
    """(wall time of the caption source's first sample, caption lag in seconds or None).

    ``emitted_at`` is seconds since the source's first sample (the captions plugin's clock), so the
    source started at ``ts - emitted_at`` and the lag is ``emitted_at - audio_end``. Logs that
    carry an epoch time there are read with the session start as the source start.
    """
    raw = e.get("emitted_at")
    if raw is None:
        return session_start, None
    emitted = float(raw)
    if emitted > 1e9:  # an absolute wall-clock time
        lag = emitted - (session_start + audio_end)
        return session_start, lag if 0.0 <= lag <= 60.0 else None
    lag = emitted - audio_end
    return ts - emitted, lag if 0.0 <= lag <= 60.0 else None


def load_session(folder: Path) -> ReviewSession:
    """Read a session folder (tolerant: a cut events.jsonl or missing files become ``problems``)."""
    info, problems = _read_info(folder)
    events, event_problems = _event_dicts(folder / "events.jsonl")
    problems += event_problems
    events.sort(key=lambda e: float(e.get("ts") or 0.0))
    started = float(info.get("started") or (events[0]["ts"] if events else 0.0))
    session_start = next((float(e["ts"]) for e in events if e.get("type") == "SessionStarted"), started)
    rec_start = next((float(e["ts"]) for e in events if e.get("type") == "RecordingStarted"), None)
    extra = info.get("extra") or {}
    imported = bool(extra.get("imported"))
    media = resolve_media(folder, info, events)
    recordings = {str(info.get("recording_path") or "")} | {
        str(e.get("output_path") or "") for e in events if e.get("type") in ("RecordingStarted", "RecordingStopped")}
    media_is_recording = media is not None and str(media) in recordings
    # the recording starts at RecordingStarted; any other media (an imported file, a replayed source) with the session
    origin = rec_start if rec_start is not None and media_is_recording and not imported else session_start

    def pos(ts: float) -> float:
        return max(0.0, ts - origin)

    lines: list[Line] = []
    open_lines: dict[str, tuple[Any, Line]] = {}  # source → (utterance, its line so far)
    scenes: list[Span] = []
    products: list[Span] = []
    gestures: list[Mark] = []
    marks: list[Mark] = []
    rejected: list[Mark] = []
    obs_failures = 0
    voice_commands = 0
    scene_open: tuple[float, str] | None = None
    product_open: tuple[float, str, str] | None = None
    last_t = 0.0
    for e in events:
        kind = e.get("type")
        ts = float(e.get("ts") or 0.0)
        last_t = max(last_t, pos(ts))
        if kind == "Caption":
            if e.get("kind") not in ("final", "revision") or not str(e.get("text", "")).strip():
                continue
            a0 = float(e.get("audio_start") or 0.0)
            a1 = float(e.get("audio_end") or a0)
            source_start, latency = _caption_clock(e, ts, a1, session_start)
            latency = None if imported else latency
            start = max(0.0, source_start + a0 - origin)
            line = Line(start, max(start, source_start + a1 - origin), str(e["text"]).strip(),
                        str(e.get("speaker") or ""), str(e.get("source") or ""), str(e.get("language") or ""),
                        latency)
            # live captions commit an utterance (numbered from 1) in pieces, perhaps revised at its end:
            # one transcript line per utterance; captions without a number are each a line of their own
            source, utterance = line.source, e.get("utterance") or 0
            prev = open_lines.pop(source, None)
            if prev is not None and prev[0] == utterance:  # a revision replaces the utterance's text so far
                first = prev[1]
                text = line.text if e.get("kind") == "revision" else join_text(first.text, line.text)
                line = Line(first.start, max(first.end, line.end), text, first.speaker,
                            source, first.language or line.language, first.latency)
            elif prev is not None:
                lines.append(prev[1])
            if utterance and not e.get("utterance_end", True):
                open_lines[source] = (utterance, line)
            else:
                lines.append(line)
        elif kind == "SceneChanged":
            if scene_open:
                scenes.append(Span(scene_open[0], pos(ts), scene_open[1]))
            scene_open = (pos(ts), str(e.get("scene", "")))
        elif kind == "ProductCardShown":
            if str(e.get("trigger", "")) not in ("", "gesture", "manual"):
                voice_commands += 1
            if product_open:
                products.append(Span(product_open[0], pos(ts), product_open[2], product_open[1]))
            product_open = (pos(ts), str(e.get("product_id", "")), str(e.get("name", "")) or str(e.get("product_id", "")))
        elif kind == "ProductCardHidden":
            if product_open:
                products.append(Span(product_open[0], pos(ts), product_open[2], product_open[1]))
                product_open = None
        elif kind == "GestureTriggered":
            label = f"{e.get('gesture', '')} → {e.get('action', '')} {e.get('target', '')}".strip()
            gestures.append(Mark(pos(ts), label, str(e.get("modality", ""))))
        elif kind == "MomentMarked":
            marks.append(Mark(pos(ts), str(e.get("label") or ""), str(e.get("source") or "")))
        elif kind == "ProductCommandRejected":
            rejected.append(Mark(pos(ts), str(e.get("text", "")), str(e.get("reason", ""))))
        elif kind == "ObsActionFailed":
            obs_failures += 1
    lines.extend(line for _, line in open_lines.values())  # utterances cut off by the end of the session
    lines.sort(key=lambda x: x.start)
    end_candidates = [last_t] + [x.end for x in lines]
    ended = info.get("ended")
    if ended:
        end_candidates.append(float(ended) - origin)
    duration = max(end_candidates) if end_candidates else 0.0
    if media is not None:
        probed = media_duration(media)
        if probed:
            duration = probed
        elif media.exists():
            problems.append(f"{media.name}: the media file cannot be decoded — the player may not play it")
    else:
        problems.append("no video or audio file found for this session — the transcript and timeline still work")
    if scene_open:
        scenes.append(Span(scene_open[0], max(duration, scene_open[0]), scene_open[1]))
    if product_open:
        products.append(Span(product_open[0], max(duration, product_open[0]), product_open[2], product_open[1]))
    return ReviewSession(
        id=str(info.get("id") or folder.name), name=str(info.get("name") or folder.name), dir=folder,
        started=started, ended=float(ended) if ended else None, media_path=media, duration=duration,
        imported=imported, lines=lines, scenes=scenes, products=products, gestures=gestures, marks=marks,
        rejected_commands=rejected, obs_failures=obs_failures, voice_commands=voice_commands, problems=problems, event_count=len(events))


class SessionCache:
    """Loaded sessions kept while their files are unchanged (keyed by size and mtime)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[Path, tuple[tuple[Any, ...], ReviewSession]] = {}

    @staticmethod
    def _signature(folder: Path) -> tuple[Any, ...]:
        sig: list[Any] = []
        for name in ("session.json", "events.jsonl"):
            try:
                st = (folder / name).stat()
                sig += [st.st_size, st.st_mtime_ns]
            except FileNotFoundError:
                sig += [None, None]
        return tuple(sig)

    def get(self, folder: Path) -> ReviewSession:
        sig = self._signature(folder)
        with self._lock:
            hit = self._items.get(folder)
        if hit and hit[0] == sig:
            return hit[1]
        session = load_session(folder)
        with self._lock:
            self._items[folder] = (sig, session)
        return session
