"""Earcons: two short tones that say "heard it" (rising) and "did not get it" (falling), made here.

Each is 0.16 s of two soft sine notes with 10 ms fades, 24 kHz mono — played between phrases in the
headphones, quicker to take in than words. :func:`write_earcons` writes them as tiny WAV files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from streamkit.sources.audio import write_wav
from streamkit.speech.engine import SAMPLE_RATE, SpeechAudio

#: (first note, second note) in Hz: a rising fifth for recognised, a falling one for not recognised.
NOTES = {"recognised": (660.0, 990.0), "not_recognised": (660.0, 440.0)}
NOTE_SECONDS = 0.08
FADE_SECONDS = 0.01


def _note(freq: float, volume: float) -> np.ndarray:
    t = np.arange(int(NOTE_SECONDS * SAMPLE_RATE)) / SAMPLE_RATE
    tone = np.sin(2 * np.pi * freq * t) * volume
    fade = int(FADE_SECONDS * SAMPLE_RATE)
    ramp = np.linspace(0.0, 1.0, fade)
    tone[:fade] *= ramp
    tone[-fade:] *= ramp[::-1]
    return tone.astype(np.float32)


def earcon(kind: str, volume: float = 0.3) -> SpeechAudio:
    """The ``recognised`` or ``not_recognised`` earcon."""
    first, second = NOTES[kind]
    return SpeechAudio(np.concatenate([_note(first, volume), _note(second, volume)]), SAMPLE_RATE)


def write_earcons(folder: Path, volume: float = 0.3) -> list[Path]:
    """Write every earcon as ``earcon-<kind>.wav`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_wav(folder / f"earcon-{kind}.wav", earcon(kind, volume).samples, SAMPLE_RATE) for kind in NOTES]
