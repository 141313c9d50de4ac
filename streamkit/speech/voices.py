"""Kokoro voices and how one is chosen for a language.

A Kokoro voice name says its language and gender: ``zf_001`` is a Mandarin female voice, ``af_maple``
an American English female, ``jm_kumo`` a Japanese male. The official v1.1-zh files (``kokoro-zh``)
have 100 Mandarin and 3 English voices; the PyPI carrier used offline (``kokoro-ja``) has Japanese
voices only, so there a Japanese voice speaks Mandarin and English (:data:`STAND_INS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import StreamkitError
from .text import Language

__all__ = ["DEFAULT_VOICES", "STAND_INS", "SpeechError", "Voice", "choose_voice"]

#: First letter of a voice name → language code.
_PREFIX_LANGUAGE = {"a": "en", "b": "en", "z": "zh", "j": "ja", "e": "es", "f": "fr", "h": "hi", "i": "it", "p": "pt"}
#: espeak-ng dialect for English words, by the voice's first letter (British voices read British).
_ESPEAK = {"b": "en-gb"}

#: Preferred voices per language, best first (the official files' own voices).
DEFAULT_VOICES: dict[Language, tuple[str, ...]] = {
    "zh": ("zf_001", "zf_002", "zm_009", "zf_xiaobei"),
    "en": ("af_heart", "af_maple", "af_sol", "bf_vale"),
}
#: Voices that stand in when a model has none of the language (the Japanese-only carrier), best
#: first. ``benchmarks/speech.py --voices`` transcribes each back with Whisper base: every voice's
#: English was heard alike (WER 11 %); for Mandarin jf_tebukuro and jf_alpha did best (CER 14 % and 19 %),
#: jm_kumo 24 %, jf_gongitsune and jf_nezumi 38 % (one phrase each: alpha and tebukuro are not told apart).
STAND_INS: dict[Language, tuple[str, ...]] = {
    "zh": ("jf_alpha", "jf_tebukuro", "jm_kumo", "jf_gongitsune", "jf_nezumi"),
    "en": ("jf_alpha", "jf_tebukuro", "jm_kumo", "jf_gongitsune", "jf_nezumi"),
}


class SpeechError(StreamkitError):
    """Speech output that cannot be made or played: unknown voice, no output device, bad text."""


@dataclass(frozen=True)
class Voice:
    """One voice of the loaded model."""

    name: str

    @property
    def language(self) -> str:
        """``"zh"``, ``"en"``, ``"ja"``, … from the name's first letter (``""`` when unknown)."""
        return _PREFIX_LANGUAGE.get(self.name[:1], "")

    @property
    def gender(self) -> str:
        """``"female"`` or ``"male"`` from the name's second letter (``""`` when unknown)."""
        return {"f": "female", "m": "male"}.get(self.name[1:2], "")

    @property
    def espeak_language(self) -> str:
        """The espeak-ng dialect this voice reads English words in."""
        return _ESPEAK.get(self.name[:1], "en-us")

    def __str__(self) -> str:
        return self.name


def choose_voice(voices: Sequence[Voice], language: Language, preferred: str | None = None) -> Voice:
    """The voice to speak ``language`` with.

    ``preferred`` (a name) wins when the model has it, and is an error when it does not. Otherwise:
    a default voice of the language, any voice of the language, a stand-in, the first voice.
    """
    if not voices:
        raise SpeechError("the speech model has no voices", "fetch it again: `streamkit models fetch kokoro-zh`")
    by_name = {v.name: v for v in voices}
    if preferred:
        if preferred in by_name:
            return by_name[preferred]
        raise SpeechError(f"no voice called {preferred!r}",
                          f"use one of {', '.join(sorted(by_name))} (see `streamkit say --list-voices`)")
    for name in DEFAULT_VOICES[language]:
        if name in by_name:
            return by_name[name]
    same = [v for v in voices if v.language == language]
    if same:
        return same[0]
    for name in STAND_INS[language]:
        if name in by_name:
            return by_name[name]
    return voices[0]
