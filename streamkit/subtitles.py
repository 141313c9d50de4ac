"""Subtitle files: SubRip (SRT) and WebVTT cues, written the same way by live captions,
``streamkit transcribe`` and the coach review's exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    """One subtitle: seconds from the start of the media, the text, and who said it (may be empty)."""

    start: float
    end: float
    text: str
    speaker: str = ""


def timestamp(seconds: float, sep: str = ",") -> str:
    """``HH:MM:SS,mmm`` (SRT) or with ``sep="."`` (WebVTT); negative times count as 0."""
    ms = max(0, int(round(seconds * 1000)))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _one_line(text: str) -> str:
    """Cue text that cannot end the cue early or fake a timing line."""
    return text.replace("\r", " ").replace("\n\n", "\n").replace("-->", "→").strip()


def srt_cue(number: int, cue: Cue, *, speaker_labels: bool = False) -> str:
    """One numbered SRT block, ending with its blank line."""
    text = _one_line(cue.text)
    if speaker_labels and cue.speaker:
        text = f"{cue.speaker}：{text}"
    return f"{number}\n{timestamp(cue.start)} --> {timestamp(cue.end)}\n{text}\n\n"


def vtt_cue(cue: Cue, *, speaker_labels: bool = False) -> str:
    """One WebVTT block (text escaped: ``<`` ``&`` ``>`` would be markup), ending with its blank line."""
    text = _one_line(cue.text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if speaker_labels and cue.speaker:
        text = f"<v {cue.speaker.replace('>', '')}>{text}"
    return f"{timestamp(cue.start, '.')} --> {timestamp(cue.end, '.')}\n{text}\n\n"


VTT_HEADER = "WEBVTT\n\n"


def to_srt(cues: Iterable[Cue], *, speaker_labels: bool = False) -> str:
    """A whole SRT file."""
    return "".join(srt_cue(i, c, speaker_labels=speaker_labels) for i, c in enumerate(cues, start=1))


def to_vtt(cues: Iterable[Cue], *, speaker_labels: bool = False) -> str:
    """A whole WebVTT file."""
    return VTT_HEADER + "".join(vtt_cue(c, speaker_labels=speaker_labels) for c in cues)
