"""Whole recordings (``streamkit transcribe``): cut at pauses by Silero VAD, each piece decoded on its own.

Each speech piece (at most 28 s) gets Whisper's full 30 s window, beam search, its own language
(zh or en in ``auto`` mode, so a bilingual stream comes out right), the same hallucination guards
as live captions, and cues split at sentence ends or when they outgrow two caption lines.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
import numpy as np

from .decoder import SAMPLE_RATE, WhisperDecoder
from .files import Cue
from .layout import text_width
from .streaming import StreamingOptions, guard_hypothesis, hotword_sentence
from .textproc import SIMPLIFIED_PROMPT, PhantomFilter, chunk_end_punctuation, has_cjk, join_units


def speech_pieces(audio: np.ndarray, max_seconds: float = 28.0) -> list[tuple[int, int]]:
    """Sample ranges of speech, split at pauses of ≥ 0.5 s (faster-whisper's Silero VAD)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=500, speech_pad_ms=200,
                                                    max_speech_duration_s=max_seconds))
    return [(s["start"], s["end"]) for s in spans]


def transcribe(decoder: WhisperDecoder, audio: np.ndarray, options: StreamingOptions, *, beam_size: int = 5,
               max_cue_width: int = 64, progress: Callable[[float], None] | None = None) -> Iterator[Cue]:
    """Cues of the whole recording, in order; ``progress(seconds_done)`` after each piece."""
    phantoms = PhantomFilter(options.blocklist)
    history: dict[str, deque[str]] = {"zh": deque(maxlen=4), "en": deque(maxlen=4)}
    shown = ""
    for start, end in speech_pieces(audio):
        window = decoder.encode(audio[start:end], min_window=30.0)
        lang = options.language if options.language != "auto" else decoder.detect_language(window)[0]
        if not decoder.multilingual:
            lang = "en"
        prompt = options.initial_prompt or (SIMPLIFIED_PROMPT if lang == "zh" else "")
        hot = hotword_sentence([w for w in options.hotwords if lang == "zh" or not has_cjk(w)], lang)
        context = " ".join(p for p in (prompt, hot, "".join(history[lang])[-200:]) if p)
        seconds = (end - start) / SAMPLE_RATE
        hyp = decoder.decode(window, language=lang, context=context, beam_size=beam_size,
                             max_new_tokens=int(20 + 14 * seconds))
        units = guard_hypothesis(hyp, options, phantoms, seconds)
        raw = join_units(units)
        if raw.strip() and not phantoms.is_phantom(raw):
            history[lang].append(raw.strip() + ("" if has_cjk(raw[-1:]) else " "))
            for cue in _cues(decoder, window, raw, lang, start / SAMPLE_RATE, end / SAMPLE_RATE, max_cue_width):
                text = options.style.render(cue.text, shown)
                if options.style.punctuation and has_cjk(text[-1:]):
                    text += chunk_end_punctuation(text)
                if text:
                    shown = text
                    yield Cue(cue.start, cue.end, text)
        if progress is not None:
            progress(end / SAMPLE_RATE)


def _cues(decoder: WhisperDecoder, window, raw: str, lang: str, t0: float, t1: float, width: int) -> list[Cue]:  # type: ignore[no-untyped-def]
    """Split one piece's text into cues at sentence ends or at ``width``, timed by word alignment."""
    try:
        words = decoder.word_times(window, raw, lang)
    except Exception:  # noqa: BLE001 - alignment is a nicety: one cue for the piece
        words = []
    if not words:
        return [Cue(round(t0, 3), round(t1, 3), raw.strip())]
    cues: list[Cue] = []
    text, start, prev_end = "", None, 0.0
    for w in words:
        if start is None:
            start = t0 + w.start
        candidate = text + w.word
        starts_word = w.word[:1].isspace() or has_cjk(w.word[:1])
        if text and starts_word and text_width(candidate.strip()) > width:
            cues.append(Cue(round(start, 3), round(t0 + prev_end, 3), text.strip()))
            text, start, candidate = "", t0 + w.start, w.word
        text = candidate
        prev_end = w.end
        if text.rstrip()[-1:] in ".?!。？！" and text_width(text.strip()) >= width // 3:
            cues.append(Cue(round(start, 3), round(t0 + w.end, 3), text.strip()))
            text, start = "", None
    if text.strip():
        cues.append(Cue(round(start if start is not None else t0, 3), round(min(t1, t0 + prev_end + 0.3), 3), text.strip()))
    return [c for c in cues if c.text]

