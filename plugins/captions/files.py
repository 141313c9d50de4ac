"""Caption files written live: SRT and WebVTT (one cue per finished utterance or screenful), JSONL (every event).

Each file is appended and flushed as captions arrive: cues when their utterance ends (with its
revised text when the final pass revised it), JSONL at every event, so a crash loses at most the
utterance in progress. Cue times are seconds into the audio source.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from streamkit.events import Caption
from streamkit.subtitles import VTT_HEADER, Cue, srt_cue, to_srt, to_vtt, vtt_cue
from streamkit.text import join_caption

from .layout import text_width

__all__ = ["CaptionFiles", "Cue", "CueBuilder", "caption_record", "write_cues"]


def caption_record(c: Caption) -> dict[str, object]:
    """The JSON object of one caption event, as ``streamkit captions --jsonl`` writes it."""
    return {"type": c.kind, "text": c.text, "source": c.source, "speaker": c.speaker,
            "audio_start": c.audio_start, "audio_end": c.audio_end, "emitted_at": c.emitted_at,
            "language": c.language, "utterance": c.utterance, "revision": c.revision}


@dataclass
class _Piece:
    text: str
    start: float
    end: float


@dataclass
class _Pending:
    speaker: str
    pieces: list[_Piece] = field(default_factory=list)


def _fit(piece: _Piece, width: int) -> list[_Piece]:
    """A piece wider than ``width`` cut into lines (between words; after a mark when there is one), times shared out by width."""
    if text_width(piece.text) <= width:
        return [piece]
    cuts: list[str] = []
    rest = piece.text
    while text_width(rest) > width:
        n, w = 0, 0
        while n < len(rest) and w + text_width(rest[n]) <= width:
            w += text_width(rest[n])
            n += 1
        marks = [i + 1 for i in range(n // 2, n) if rest[i] in "，。？！、,.?!;；"]
        spaces = [i for i in range(n // 2, n + 1) if i < len(rest) and rest[i] == " "]
        n = (marks or spaces or [n])[-1]
        cuts.append(rest[:n].strip())
        rest = rest[n:].lstrip()
    cuts.append(rest)
    total = sum(text_width(c) for c in cuts) or 1
    out, t = [], piece.start
    for c in cuts:
        dt = (piece.end - piece.start) * text_width(c) / total
        out.append(_Piece(c, t, t + dt))
        t += dt
    return out


@dataclass
class CueBuilder:
    """Turns final captions into cues when their utterance ends: one per utterance, split when it
    outgrows ``max_width``. A revision replaces what the utterance committed before it, so the files
    hold the revised text."""

    max_width: int = 64
    _pending: dict[str, _Pending] = field(default_factory=dict)

    def add(self, c: Caption) -> list[Cue]:
        if c.kind == "partial":
            return []
        p = self._pending.setdefault(c.source, _Pending(c.speaker))
        if c.kind == "revision":
            start = p.pieces[0].start if p.pieces else c.audio_start
            p.pieces = [_Piece(c.text, start, max(c.audio_end, start))] if c.text else []
        elif c.text:
            p.pieces.append(_Piece(c.text, c.audio_start, c.audio_end))
        return self._close(c.source) if c.utterance_end else []

    def _close(self, source: str) -> list[Cue]:
        p = self._pending.pop(source, None)
        if p is None:
            return []
        cues: list[Cue] = []
        text, start, end = "", 0.0, 0.0
        for piece in (q for whole in p.pieces for q in _fit(whole, self.max_width)):
            if text and text_width(join_caption(text, piece.text)) > self.max_width:
                cues.append(Cue(start, max(end, start + 0.5), text, p.speaker))
                text = ""
            if not text:
                start = piece.start
            text, end = join_caption(text, piece.text), max(end, piece.end)
        if text:
            cues.append(Cue(start, max(end, start + 0.5), text, p.speaker))
        return cues

    def flush(self) -> list[Cue]:
        return [cue for source in list(self._pending) for cue in self._close(source)]


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
            self._files["vtt"].write(VTT_HEADER)
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
        if "srt" in self._files:
            self._files["srt"].write(srt_cue(self._count, cue, speaker_labels=self.speaker_labels))
            self._files["srt"].flush()
        if "vtt" in self._files:
            self._files["vtt"].write(vtt_cue(cue, speaker_labels=self.speaker_labels))
            self._files["vtt"].flush()

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
        srt.write_text(to_srt(cues), encoding="utf-8")
    if vtt is not None:
        vtt.write_text(to_vtt(cues), encoding="utf-8")
