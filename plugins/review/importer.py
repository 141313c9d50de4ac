"""``streamkit review import VIDEO``: a review session from any recording.

Decodes the audio with :class:`streamkit.sources.audio.FileAudioSource`, transcribes it with the
captions plugin's whole-file path (``WhisperDecoder.transcribe_file``: faster-whisper ``base``,
int8, weights via :func:`streamkit.models.resolve`) under a rich progress bar, and records ``Caption(kind="final")`` events into a new session whose
``media_path`` is the recording. Captions sit on media time: ``audio_start`` is seconds into
the file, and each event's ``ts`` is the session start plus ``audio_end``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from streamkit.errors import SourceError
from streamkit.events import SessionEnded, SessionStarted
from streamkit.session import Session, SessionRecorder, SessionStore
from streamkit.sources.audio import SAMPLE_RATE, FileAudioSource

Language = Literal["auto", "zh", "en"]


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
    """Detect (or take) the language, then lazily yield segments: Simplified Chinese for Mandarin,
    annotations ("[Music]") and known phantom phrases dropped (the captions plugin's text rules)."""
    from streamkit.plugins.captions.textproc import SIMPLIFIED_PROMPT, PhantomFilter, strip_annotations, to_simplified

    lang = language
    if lang == "auto":
        detected, _prob, _all = decoder.model.detect_language(audio[: 30 * SAMPLE_RATE])
        lang = "zh" if detected in ("zh", "yue") else detected
    segments, _info = decoder.transcribe_file(audio, language=lang, initial_prompt=SIMPLIFIED_PROMPT if lang == "zh" else None,
                                              condition_on_previous_text=False)
    phantoms = PhantomFilter()

    def clean() -> Iterator[Segment]:
        for seg in segments:
            text = strip_annotations(seg.text).strip()
            text = to_simplified(text) if lang == "zh" else text
            if not text or phantoms.is_phantom(text) or text == SIMPLIFIED_PROMPT:
                continue
            yield Segment(float(seg.start), float(seg.end), text)

    return lang, clean()


def import_recording(video: Path, *, store: SessionStore, decoder: Any, language: Language = "auto",
                     name: str = "", progress: bool = True) -> Session:
    """Transcribe ``video`` into a new session (media_path = the video); returns the session."""
    from streamkit.events import Caption

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
        for i, seg in enumerate(_with_progress(segments, duration, video.name, progress), start=1):
            recorder.record(Caption(ts=started + seg.end, kind="final", text=seg.text, source="import", speaker="",
                                    audio_start=seg.start, audio_end=seg.end, emitted_at=seg.end,
                                    language=lang, utterance=i, utterance_end=True))
        recorder.record(SessionEnded(ts=started + duration, session_id=session.id, reason="imported"))
    finally:
        recorder.close()
    session.info.ended = started + duration
    store.update(session)
    return session


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
