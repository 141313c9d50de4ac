"""``streamkit review import VIDEO``: a review session from any recording.

Decodes the audio with :class:`streamkit.sources.audio.FileAudioSource`, transcribes it with the
captions plugin's whole-recording path (:mod:`streamkit.plugins.captions.offline`, as ``streamkit
transcribe``: faster-whisper ``base`` int8, weights via :func:`streamkit.models.resolve`) under a rich progress bar, and records ``Caption(kind="final")`` events into a new session whose
``media_path`` is the recording. Captions sit on media time: ``audio_start`` is seconds into
the file, and each event's ``ts`` is the session start plus ``audio_end``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from streamkit.errors import SourceError
from streamkit.events import Caption, SessionEnded, SessionStarted
from streamkit.session import Session, SessionRecorder, SessionStore
from streamkit.sources.audio import SAMPLE_RATE, FileAudioSource

Language = Literal["auto", "zh", "en"]
#: Transcript lines break at sentence ends, or when they grow past this many columns.
TRANSCRIPT_LINE_WIDTH = 120


@dataclass(frozen=True)
class Segment:
    """One transcribed stretch of the recording."""

    start: float
    end: float
    text: str


def decode_audio(path: Path) -> np.ndarray:
    """The whole file as 16 kHz mono float32 (one-line SourceError when it cannot be decoded)."""
    source = FileAudioSource(path, chunk_seconds=1.0)
    blocks = [chunk.samples for chunk in source]
    if not blocks:
        raise SourceError(f"{path}: has no audio to transcribe", "pass a recording with a sound track")
    return np.concatenate(blocks).astype(np.float32, copy=False)


def load_whisper(model: str = "base", threads: int = 2) -> Any:
    """The captions plugin's :class:`WhisperDecoder` (faster-whisper, CPU, int8, model resolved and
    sha256-checked by :func:`streamkit.models.resolve`)."""
    from streamkit.plugins.captions.decoder import WhisperDecoder

    return WhisperDecoder(model, cpu_threads=threads, compute_type="int8")


def transcribe(decoder: Any, audio: np.ndarray, language: Language = "auto") -> tuple[str, Iterator[Segment]]:
    """Detect (or take) the language, then lazily yield segments through the captions plugin's
    whole-recording path (``streamkit transcribe``: pieces between pauses, Whisper's full window, beam
    search, the live captions' hallucination guards and text rules, Simplified Chinese for Mandarin)."""
    from streamkit.plugins.captions.config import CaptionsConfig
    from streamkit.plugins.captions.live import streaming_options
    from streamkit.plugins.captions.offline import transcribe as transcribe_recording

    lang = language
    if lang == "auto":
        detected, _prob, _all = decoder.model.detect_language(audio[: 30 * SAMPLE_RATE])
        lang = "zh" if detected in ("zh", "yue") else detected
    options = streaming_options(CaptionsConfig(), lang if lang in ("zh", "en") else "auto")
    cues = transcribe_recording(decoder, audio, options, max_cue_width=TRANSCRIPT_LINE_WIDTH)
    return lang, (Segment(cue.start, cue.end, cue.text) for cue in cues)


def import_recording(video: Path, *, store: SessionStore, decoder: Any, language: Language = "auto",
                     name: str = "", progress: bool = True) -> Session:
    """Transcribe ``video`` into a new session (media_path = the video); returns the session."""
    video = video.expanduser().resolve()
    audio = decode_audio(video)
    duration = len(audio) / SAMPLE_RATE
    lang, segments = transcribe(decoder, audio, language)
    session = store.create(name=name or video.stem, media_path=str(video))
    session.info.extra.update({"imported": True, "language": lang, "source_file": video.name})
    store.update(session)
    recorder = SessionRecorder(session, store)
    started = session.info.started
    recorder.record(SessionStarted(ts=started, session_id=session.id))
    try:
        for caption in caption_events(_with_progress(segments, duration, video.name, progress), started, lang):
            recorder.record(caption)
        recorder.record(SessionEnded(ts=started + duration, session_id=session.id, reason="imported"))
    finally:
        recorder.close()
    session.info.ended = started + duration
    store.update(session)
    return session


def caption_events(segments: Iterable[Segment], started: float, language: str) -> Iterator[Caption]:
    """Transcribed segments as the final captions a session records (media time = seconds since ``started``)."""
    for i, seg in enumerate(segments, start=1):
        yield Caption(ts=started + seg.end, kind="final", text=seg.text, source="import", speaker="",
                      audio_start=seg.start, audio_end=seg.end, emitted_at=seg.end, language=language, utterance=i,
                      utterance_end=True)


def _with_progress(segments: Iterator[Segment], duration: float, label: str, show: bool) -> Iterator[Segment]:
    if not show:
        yield from segments
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("[bold]转写 / transcribing[/] {task.description}"), BarColumn(),
               TextColumn("{task.completed:.0f}/{task.total:.0f} s"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(label, total=max(duration, 0.1))
        for seg in segments:
            bar.update(task, completed=min(seg.end, duration))
            yield seg
        bar.update(task, completed=duration)
