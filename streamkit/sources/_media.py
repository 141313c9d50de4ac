"""Opening media files with PyAV, with one-line errors for everything that is not audio or video."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import av

from ..errors import SourceError

FILE_FIX = {"audio": "pass a .wav/.mp3/.mp4 file", "video": "pass a .mp4/.mov/.mkv file"}
MEDIA_SUFFIXES = {".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus", ".mp4", ".mov", ".mkv", ".webm", ".avi", ".flv", ".ts"}
DAMAGED_FIX = "the file is damaged or incomplete; copy or export it again"


def av_reason(exc: BaseException) -> str:
    """The human part of a PyAV error ('Invalid data found when processing input')."""
    args = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[1], str):
        return args[1]
    return str(exc) or type(exc).__name__


def _is_still_image(container: Any) -> bool:
    name = container.format.name
    return name in {"image2", "gif", "webp_pipe"} or name.endswith("_pipe")


@contextmanager
def open_stream(path: Path, kind: Literal["audio", "video"]) -> Iterator[tuple[Any, Any]]:
    """Open ``path`` and yield ``(container, first stream of kind)``; every failure is a ``SourceError``."""
    shown = str(path)
    fix = FILE_FIX[kind]
    if not path.exists():
        raise SourceError(f"{shown}: no such file", "check the path")
    if path.is_dir():
        raise SourceError(f"{shown}: is a folder, not a file", fix)
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        fix = DAMAGED_FIX if path.suffix.lower() in MEDIA_SUFFIXES else fix
        raise SourceError(f"{shown}: not an audio or video file PyAV can decode ({av_reason(exc)})", fix) from None
    try:
        if not (container.streams.audio or container.streams.video):
            raise SourceError(f"{shown}: not an audio or video file PyAV can decode (it reads as {container.format.long_name})", fix)
        if _is_still_image(container):
            raise SourceError(f"{shown}: is a still image, not an audio or video file", fix)
        streams = container.streams.audio if kind == "audio" else container.streams.video
        if not streams:
            raise SourceError(f"{shown}: has no {kind} stream", fix)
        yield container, streams[0]
    finally:
        container.close()


def stream_duration(stream: Any) -> float | None:
    """Declared duration of a stream in seconds (or of its container), None when unknown."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    container_duration = stream.container.duration
    return container_duration / 1_000_000 if container_duration else None


def truncated(decoded: float, declared: float | None) -> bool:
    """True when a file ended clearly before its declared duration (0.5 s + 2 % slack)."""
    return bool(declared) and decoded < declared - (0.5 + 0.02 * declared)  # type: ignore[operator]
