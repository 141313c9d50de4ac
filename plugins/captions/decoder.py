"""faster-whisper, driven window by window for streaming.

:class:`WhisperDecoder` encodes only the audio it is given (padded to ``min_window`` seconds, not
to Whisper's 30 s), which makes a streaming step about 3× cheaper than a full-window decode on
CPU with the same words (``min_window`` 10 s: 6 s read Mandarin as well, zh-more CER 18.5 %, with
14 % less decoding, but lost short English commands — "cancel" after "start recording" went unheard
with base — and tiny.en misread the LibriVox sentences, 1.4 → 8.5 % WER; Mandarin passes ask for
7 s, ``StreamingOptions.zh_window``); it decodes with the committed text forced as a *prefix*, so a
new hypothesis always continues what is already on screen; it aligns text to the audio for word
times. One lock serialises the model between the threads of several audio sources, and tells
when they had to wait for each other (:meth:`WhisperDecoder.contended`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from streamkit.errors import ModelError

log = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
MAX_WINDOW = 30.0
MAX_LENGTH = 448  # Whisper's text positions
MODEL_ALIASES = {"base": "whisper-base", "tiny.en": "whisper-tiny.en", "tiny": "whisper-tiny.en"}


def model_name(name: str) -> str:
    """Manifest name for a user-facing name: "base" → "whisper-base"."""
    return MODEL_ALIASES.get(name, name)


def resolve_model(name: str) -> Path:
    """A folder for ``WhisperModel``: an existing CTranslate2 model folder, or a manifest name resolved by ``streamkit.models``."""
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path} is not a faster-whisper model folder (no model.bin)", "pass a CTranslate2 Whisper folder or a model name such as base")
        return path
    from streamkit.models import resolve

    return resolve(model_name(name))


@dataclass(frozen=True)
class Hypothesis:
    """What the model said after the forced prefix."""

    text: str
    tokens: tuple[int, ...]
    avg_logprob: float
    no_speech_prob: float
    language: str


@dataclass(frozen=True)
class WordTime:
    """An aligned word: ``end_char`` is the offset just after it in the aligned text."""

    word: str
    start: float
    end: float
    end_char: int


@dataclass
class Window:
    """Encoded audio: the encoder output and the number of mel frames of real audio."""

    encoder_output: object
    frames: int
    duration: float


def generation_limit(prompt_tokens: int, new_tokens: int) -> int:
    """CTranslate2's Whisper ``max_length`` for a prompt of ``prompt_tokens`` that may add ``new_tokens``.

    CTranslate2 counts the forced prompt twice against ``max_length`` (measured: with a 13-token
    prompt, ``max_length=20`` stops after 10 tokens of result, prefix included), so ``len(prompt) +
    new`` — faster-whisper's own rule — cut the last words of an utterance ("do for [them]") once
    its committed prefix grew long. Twice both leaves the room asked for; the guards cut what runs on."""
    return min(MAX_LENGTH, 2 * (prompt_tokens + new_tokens))


def repaired_tokenizer(hf_tokenizer):  # type: ignore[no-untyped-def]
    """``hf_tokenizer`` with GPT-2's first BPE merge ("Ġ t") put back when a conversion dropped it.

    The tokenizer.json of the whisper base we resolve lacks that merge, so " the",
    " to", " then" encode as two tokens ("Ġ" + "the") that the model never produces: a prompt or a
    forced prefix written that way reads to the model like broken text, and it drops or mangles words
    after it. Generated tokens are not affected, only text we encode (prompts, prefixes, alignment)."""
    import json

    from tokenizers import Tokenizer

    spec = json.loads(hf_tokenizer.to_str())
    model = spec.get("model", {})
    merges = model.get("merges") or []
    if model.get("type") != "BPE" or "Ġt" not in model.get("vocab", {}):
        return hf_tokenizer
    pair_lists = bool(merges) and isinstance(merges[0], list)
    first = ["Ġ", "t"] if pair_lists else "Ġ t"
    if first in merges:
        return hf_tokenizer
    model["merges"] = [first, *merges]
    return Tokenizer.from_str(json.dumps(spec))


class WhisperDecoder:
    """A loaded Whisper model with streaming-friendly encode / decode / align (thread-safe)."""

    def __init__(self, model: str = "base", *, cpu_threads: int = 2, compute_type: str = "int8",
                 min_window: float = 10.0, pad: float = 1.0) -> None:
        from faster_whisper import WhisperModel

        self.name = model
        self.path = resolve_model(model)
        try:
            self.model = WhisperModel(str(self.path), device="cpu", compute_type=compute_type, cpu_threads=cpu_threads)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"model {model} at {self.path} could not be loaded ({exc})", f"run: streamkit models fetch {model_name(model)}") from None
        self.multilingual = bool(self.model.model.is_multilingual)
        self.min_window = min_window
        self.pad = pad
        self.lock = threading.RLock()
        self._waited_at = float("-inf")  # when a thread last had to wait for the model (another source had it)
        self.hf_tokenizer = repaired_tokenizer(self.model.hf_tokenizer)
        self._tokenizers: dict[str, object] = {}

    # ------------------------------------------------------------------ helpers
    @contextmanager
    def _model(self) -> Iterator[None]:
        """The model to oneself (several sources share it); notes when that meant waiting for another."""
        if not self.lock.acquire(blocking=False):
            self._waited_at = time.monotonic()
            self.lock.acquire()
        try:
            yield
        finally:
            self.lock.release()

    def contended(self, within: float = 3.0) -> bool:
        """True when a source had to wait for the model in the last ``within`` seconds (two people talking)."""
        return time.monotonic() - self._waited_at < within

    def tokenizer(self, language: str):  # type: ignore[no-untyped-def]
        from faster_whisper.tokenizer import Tokenizer

        lang = language if self.multilingual else "en"
        if lang not in self._tokenizers:
            self._tokenizers[lang] = Tokenizer(self.hf_tokenizer, self.multilingual, task="transcribe",
                                               language=lang if self.multilingual else None)
        return self._tokenizers[lang]

    def encode(self, audio: np.ndarray, min_window: float | None = None) -> Window:
        """Encode ``audio`` plus ``pad`` s of silence, at least ``min_window`` s, at most 30 s.

        ``min_window=30`` is Whisper's own window, fed the way faster-whisper feeds a file (the
        features of the audio, then zero features up to 30 s): the model reads a clip best this way
        (measured on zh-more: 你好，世界 where a window padded with silent audio gave 您好，世纪).
        Shorter windows (the streaming steps) pad the audio with silence, about 3× cheaper."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.transcribe import get_ctranslate2_storage

        fe = self.model.feature_extractor
        duration = len(audio) / SAMPLE_RATE
        total = min(MAX_WINDOW, max(duration + self.pad, self.min_window if min_window is None else min_window))
        if total >= MAX_WINDOW:
            features = pad_or_trim(fe(audio[: int(MAX_WINDOW * SAMPLE_RATE)]), fe.nb_max_frames)
        else:
            n = int(total * SAMPLE_RATE)
            audio = audio[:n]
            if len(audio) < n:
                audio = np.concatenate([audio, np.zeros(n - len(audio), dtype=np.float32)])
            features = fe(audio)
            frames = min(features.shape[-1], fe.nb_max_frames)
            features = features[:, : frames - frames % 2]
        with self._model():
            out = self.model.model.encode(get_ctranslate2_storage(np.ascontiguousarray(features[None])), to_cpu=False)
        real_frames = min(int(round(duration * SAMPLE_RATE / fe.hop_length)), features.shape[-1])
        return Window(out, real_frames, duration)

    def detect_language(self, window: Window, candidates: tuple[str, ...] = ("zh", "en")) -> tuple[str, float]:
        """The most likely of ``candidates`` (and its probability among them)."""
        if not self.multilingual:
            return "en", 1.0
        with self._model():
            results = self.model.model.detect_language(window.encoder_output)[0]
        probs = {tok[2:-2]: p for tok, p in results}
        scored = {c: probs.get(c, 0.0) for c in candidates}
        best = max(scored, key=lambda c: scored[c])
        total = sum(scored.values()) or 1.0
        return best, scored[best] / total

    def _prompt(self, tokenizer, context: str, prefix: str) -> tuple[list[int], list[int]]:  # type: ignore[no-untyped-def]
        """The prompt tokens, and the prefix tokens at its end (CTranslate2 returns them in the result)."""
        prompt: list[int] = []
        if context.strip():
            ctx = tokenizer.encode(" " + context.strip())[-(self.model.max_length // 2 - 1):]
            prompt = [tokenizer.sot_prev, *ctx]
        prompt.extend(tokenizer.sot_sequence)
        prompt.append(tokenizer.no_timestamps)
        prefix_tokens = tokenizer.encode(" " + prefix.strip()) if prefix.strip() else []
        prompt.extend(prefix_tokens)
        return prompt, prefix_tokens

    # ------------------------------------------------------------------ decoding
    def decode(self, window: Window, *, language: str, context: str = "", prefix: str = "", beam_size: int = 1,
               max_new_tokens: int = 100, keep_going: bool = False) -> Hypothesis:
        """Continue ``prefix`` over ``window``; ``context`` is earlier text (and hotwords) shown to the model.
        ``keep_going``: the end of text is not allowed, so the model says what it hears after the prefix
        (only where speech is known to follow it)."""
        tokenizer = self.tokenizer(language)
        prompt, prefix_tokens = self._prompt(tokenizer, context, prefix)
        room = self.model.max_length - len(prompt) - 1
        if room < 8:  # very long prefix: keep the prompt within Whisper's 448 tokens
            prompt, prefix_tokens = self._prompt(tokenizer, "", prefix)
            room = self.model.max_length - len(prompt) - 1
        max_new = max(4, min(max_new_tokens, room))
        with self._model():
            result = self.model.model.generate(
                window.encoder_output, [prompt], beam_size=beam_size, max_length=generation_limit(len(prompt), max_new),
                return_scores=True, return_no_speech_prob=True, suppress_blank=True,
                suppress_tokens=[-1, tokenizer.eot] if keep_going else [-1],
            )[0]
        tokens = tuple(result.sequences_ids[0])
        if prefix_tokens and list(tokens[: len(prefix_tokens)]) == prefix_tokens:
            tokens = tokens[len(prefix_tokens):]
        if keep_going:
            tokens = tokens[:max_new]  # nothing ends it but the length limit, which leaves more room
        while tokens and tokenizer.decode(list(tokens)).endswith("\ufffd"):
            tokens = tokens[:-1]  # a character cut between its byte tokens (length limit): not heard yet
        n = len(tokens)
        avg_logprob = result.scores[0] * n / (n + 1) if n else 0.0
        text = tokenizer.decode(list(tokens))
        return Hypothesis(text=text, tokens=tokens, avg_logprob=float(avg_logprob),
                          no_speech_prob=float(result.no_speech_prob), language=language if self.multilingual else "en")

    def word_times(self, window: Window, text: str, language: str) -> list[WordTime]:
        """Align ``text`` (what the window says, from its start) to the audio: start and end of each word."""
        if not text.strip():
            return []
        tokenizer = self.tokenizer(language)
        encoded = " " + text.strip()
        tokens = tokenizer.encode(encoded)
        with self._model():
            aligned = self.model.find_alignment(tokenizer, [tokens], window.encoder_output, max(1, window.frames))
        words = aligned[0] if aligned else []
        out: list[WordTime] = []
        offset = 0
        lead = len(encoded) - len(encoded.lstrip())  # the space we added
        for w in words:
            offset += len(w["word"])
            out.append(WordTime(w["word"], float(w["start"]), float(w["end"]), max(0, offset - lead)))
        return out

    def transcribe_file(self, audio: np.ndarray, *, language: str | None, initial_prompt: str | None = None,
                        beam_size: int = 5, vad_filter: bool = True, word_timestamps: bool = False,
                        condition_on_previous_text: bool = True):  # type: ignore[no-untyped-def]
        """Offline transcription of a whole recording (faster-whisper's own 30 s windows): a lazy
        generator of segments, and info. ``language=None`` detects the language of every window
        (a recording may switch between Mandarin and English). Not serialised by :attr:`lock`."""
        return self.model.transcribe(audio, language=language if self.multilingual else "en", beam_size=beam_size,
                                     initial_prompt=initial_prompt, vad_filter=vad_filter,
                                     word_timestamps=word_timestamps,
                                     condition_on_previous_text=condition_on_previous_text,
                                     multilingual=self.multilingual and language is None)
