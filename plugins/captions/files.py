"""Caption files written live: SRT and WebVTT (one cue per finished sentence or screenful), JSONL (every event).

Each file is appended and flushed as captions arrive, so a crash loses at most the cue in
progress. Cue times are seconds into the audio source.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from streamkit.events import Caption

from .layout import text_width
from .textproc import join_text


def timestamp(seconds: float, sep: str = ",") -> str:
    """``HH:MM:SS,mmm`` (SRT) or with ``sep="."`` (WebVTT)."""
    ms = max(0, int(round(seconds * 1000)))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    speaker: str = ""


def caption_record(c: Caption) -> dict[str, object]:
    """The JSON object of one caption event, as ``streamkit captions --jsonl`` writes it."""
    return {"type": c.kind, "text": c.text, "source": c.source, "speaker": c.speaker,
            "audio_start": c.audio_start, "audio_end": c.audio_end, "emitted_at": c.emitted_at,
            "language": c.language, "utterance": c.utterance}


@dataclass
class _Pending:
    start: float | None = None
    end: float = 0.0
    text: str = ""
    speaker: str = ""


@dataclass
class CueBuilder:
    """Turns final captions into cues: one per utterance, split when it outgrows ``max_width``."""

    max_width: int = 64
    _pending: dict[str, _Pending] = field(default_factory=dict)

    def add(self, c: Caption) -> list[Cue]:
        if c.kind != "final":
            return []
        p = self._pending.setdefault(c.source, _Pending(speaker=c.speaker))
        out: list[Cue] = []
        if c.text:
            if p.text and text_width(join_text(p.text, c.text)) > self.max_width:
                out.append(self._close(c.source))
                p = self._pending.setdefault(c.source, _Pending(speaker=c.speaker))
            if p.start is None:
                p.start = c.audio_start
            p.text = join_text(p.text, c.text)
            p.end = max(p.end, c.audio_end)
        if c.utterance_end and p.text:
            out.append(self._close(c.source))
        return out

    def _close(self, source: str) -> Cue:
        p = self._pending.pop(source)
        start = p.start or 0.0
        return Cue(start, max(p.end, start + 0.5), p.text, p.speaker)

    def flush(self) -> list[Cue]:
        return [self._close(s) for s in list(self._pending) if self._pending[s].text]


class CaptionFiles:
    """SRT / WebVTT / JSONL files for one run; :meth:`write` every caption, :meth:`close` at the end."""

    def __init__(self, folder: Path, formats: list[str] | tuple[str, ...] = ("srt", "vtt", "jsonl"), *,
                 stem: str = "captions", speaker_labels: bool = False, max_width: int = 64) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.paths: dict[str, Path] = {f: folder / f"{stem}.{f}" for f in formats}
        self._files: dict[str, IO[str]] = {f: open(p, "w", encoding="utf-8") for f, p in self.paths.items()}
        self.speaker_labels = speaker_labels
        self.cues = CueBuilder(max_width=max_width)
        self._count = 0
        self._lock = threading.Lock()
        if "vtt" in self._files:
            self._files["vtt"].write("WEBVTT\n\n")
            self._files["vtt"].flush()

    def write(self, c: Caption) -> None:
        with self._lock:
            if "jsonl" in self._files and (c.text or c.kind == "partial"):
                f = self._files["jsonl"]
                f.write(json.dumps(caption_record(c), ensure_ascii=False) + "\n")
                f.flush()
            for cue in self.cues.add(c):
                self._write_cue(cue)

    def _write_cue(self, cue: Cue) -> None:
        self._count += 1
        text = f"{cue.speaker}：{cue.text}" if self.speaker_labels and cue.speaker else cue.text
        if "srt" in self._files:
            f = self._files["srt"]
            f.write(f"{self._count}\n{timestamp(cue.start)} --> {timestamp(cue.end)}\n{text}\n\n")
            f.flush()
        if "vtt" in self._files:
            f = self._files["vtt"]
            voice = f"<v {cue.speaker}>" if self.speaker_labels and cue.speaker else ""
            f.write(f"{timestamp(cue.start, '.')} --> {timestamp(cue.end, '.')}\n{voice}{cue.text}\n\n")
            f.flush()

    def close(self) -> None:
        with self._lock:
            for cue in self.cues.flush():
                self._write_cue(cue)
            for f in self._files.values():
                f.close()
            self._files.clear()


def write_cues(cues: list[Cue], srt: Path | None = None, vtt: Path | None = None) -> None:
    """Write whole SRT / WebVTT files at once (``streamkit transcribe``)."""
    if srt is not None:
        srt.write_text("".join(f"{i}\n{timestamp(c.start)} --> {timestamp(c.end)}\n{c.text}\n\n" for i, c in enumerate(cues, 1)),
                       encoding="utf-8")
    if vtt is not None:
        vtt.write_text("WEBVTT\n\n" + "".join(f"{timestamp(c.start, '.')} --> {timestamp(c.end, '.')}\n{c.text}\n\n" for c in cues),
                       encoding="utf-8")
