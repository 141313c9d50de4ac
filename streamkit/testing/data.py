"""The shared real test recordings (``shared/data`` beside the checkout), for tests and benchmarks.

Some recordings may be used for measurement only and never copied into the project (see
``shared/data/PROVENANCE.md``): tests and benchmarks read them where they are. ``STREAMKIT_DATA``
points elsewhere; otherwise the first ``shared/data`` folder found beside the checkout or above it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def shared_data() -> Path | None:
    """The shared data folder, or None when this machine has none."""
    env = os.environ.get("STREAMKIT_DATA")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for parent in REPO.parents:
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class SpeechClip:
    """A recording and the text said in it."""

    name: str
    wav: Path
    reference: str


def speech_clips(folder: Path) -> list[SpeechClip]:
    """Every ``NAME.wav`` of ``folder`` that has a ``NAME.txt`` reference, by name."""
    return [SpeechClip(wav.stem, wav, wav.with_suffix(".txt").read_text(encoding="utf-8").strip())
            for wav in sorted(folder.glob("*.wav")) if wav.with_suffix(".txt").is_file()]


def zh_more_clips() -> list[SpeechClip]:
    """The 20 varied Mandarin clips of ``shared/data/speech/zh-more`` ([] when they are not here)."""
    data = shared_data()
    folder = data / "speech" / "zh-more" if data is not None else None
    return speech_clips(folder) if folder is not None and folder.is_dir() else []
