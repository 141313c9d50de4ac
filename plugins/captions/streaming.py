"""Streaming recognition: VAD-gated utterances, partial captions, committed captions that never change.

How one audio stream becomes captions (:class:`StreamingTranscriber`):

1. Silero VAD (:mod:`.vad`) finds where speech starts and ends; nothing reaches Whisper otherwise,
   so silence and steady noise give no captions at all.
2. While someone speaks, every ``step`` seconds of new audio the utterance so far is decoded with
   the already committed text forced as prefix (:mod:`.decoder`); the words after the prefix are
   the *hypothesis*.
3. *LocalAgreement*: the leading units (words; characters for Chinese) on which this hypothesis and
   the previous one agree are committed — emitted once as a ``final`` caption, never rewritten. The
   rest is the ``partial`` caption, replaced at the next step.
4. When the speaker pauses (``vad.min_silence``), the utterance is decoded once more and everything
   left is committed; Chinese gets its full stop.
5. Buffer trimming: when an utterance grows past ``max_buffer`` seconds, the audio up to the end of
   the last committed word (found by alignment) is dropped and its text becomes context, so each
   step costs the same after hours as after seconds.

Hallucination guards: no-speech and average-log-probability thresholds, a repetition-loop cut,
a words-per-second cap, non-speech annotations removed, and known phantom phrases (English and
Chinese) never shown.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from .decoder import SAMPLE_RATE, Hypothesis, WhisperDecoder, Window
from .textproc import (DEFAULT_BLOCKLIST, SIMPLIFIED_PROMPT, DisplayStyle, PhantomFilter, Unit, chunk_end_punctuation,
                       common_prefix, compression_ratio, has_cjk, join_units, loop_start, normalize,
                       split_units, strip_annotations, strip_sentence_end)
from streamkit.text import join_caption

from .numbers import ends_in_number
from .vad import Endpointer, StreamingVad, VadSettings

log = logging.getLogger(__name__)

#: Languages whose utterances are read again whole even while two sources share the model: the
#: streaming passes read Mandarin far worse (zh-more: 40 % CER before the re-read, 19 % after). With a
#: Mandarin streamer and an English guest talking over each other (benchmarks/captions_speakers.py) the
#: streamer's CER was 28.1 % without it and 9.4–9.9 % with it (alone: 9.9 %); committed p90 3.1–3.7 s →
#: 6.9–9.6 s (alone: 6.5–7.0 s), the guest's 2.4–8.7 → 3.2–6.0 s. Re-reading English too made both
#: late (guest p90 7.4 s, first shown 1.6 s).
REREAD_WHEN_SHARED = frozenset({"zh"})

#: Seconds of audio after the committed words from which a pass that stopped right after them (the end of
#: text, or only a full stop) is asked again past the stop (:meth:`StreamingTranscriber._past_the_stop`).
SPEECH_AFTER_STOP = 1.0

#: Above this average log-probability a hypothesis is kept even when the no-speech probability is high.
CONFIDENT_LOGPROB = -0.15


@dataclass(frozen=True)
class StreamingOptions:
    """Everything that shapes streaming recognition (all seconds unless said otherwise)."""

    language: str = "auto"
    # a streaming pass comes ``step`` s after the last, or ``pace`` × the last one's cost when that is longer.
    # Closer passes were measured and not kept: 0.3 s and 1.2× for Mandarin brought committed p50 1.17 →
    # 0.96 s and first shown 0.55 → 0.48 s on zh-more here, but passes that close agree on misreadings where
    # the step decides (a faster machine): zh-more 4× as fast CER 18.6 → 19.3 %, the AISHELL sentence 23 %
    # committed CER, tiny.en English 14 % WER (1.4 % offline)
    step: float = 0.4
    pace: float = 1.4
    beam_size: int = 1
    final_beam_size: int = 5
    hold_back: int = 0
    agreement: int = 2
    commit_logprob: float = -99.0
    first_commit_after: float = 0.0
    revise: bool = True
    revise_window: float = 30.0
    zh_window: float = 7.0  # Mandarin streaming passes encode at least this much audio (0 = the decoder's min_window)
    max_buffer: float = 15.0
    hard_max_buffer: float = 20.0
    context_chars: int = 120
    initial_prompt: str = ""
    hotwords: tuple[str, ...] = ()
    no_speech_threshold: float = 0.6
    logprob_threshold: float = -1.0
    max_words_per_second: float = 6.0
    max_chars_per_second: float = 10.0
    vad: VadSettings = field(default_factory=VadSettings)
    pause: float = 0.25  # silence after which captions say the speaker paused (``paused``); 0 = never
    blocklist: tuple[str, ...] = DEFAULT_BLOCKLIST
    style: DisplayStyle = field(default_factory=DisplayStyle)


@dataclass(frozen=True)
class CaptionUpdate:
    """One caption change: ``final`` text is appended for good; ``partial`` replaces the previous partial."""

    kind: str
    text: str
    audio_start: float
    audio_end: float
    language: str
    utterance: int
    utterance_end: bool = False
    revision: int = 0
    paused: bool = False  # the speaker paused after all the words this update heard (see Caption.paused)


@dataclass
class StepStats:
    """Cost of the decode steps, for benchmarks."""

    steps: int = 0
    finals: int = 0
    decode_seconds: float = 0.0
    max_window: float = 0.0
    trims: int = 0


def hotword_sentence(words: list[str], language: str) -> str:
    """Hotwords as a plain sentence: Whisper copies the prompt's style, and a bare comma list makes it
    answer in comma lists (or even say the list on a short utterance)."""
    if not words:
        return ""
    if language == "zh":
        listed = "、".join(words[:-1]) + ("和" if len(words) > 1 else "") + words[-1]
        return f"今天的商品有{listed}。"
    listed = ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]
    return f"Today we have {listed}. Let's start."


def guard_hypothesis(hyp: Hypothesis, o: StreamingOptions, phantoms: PhantomFilter, tail_seconds: float) -> list[Unit]:
    """The units of ``hyp`` that survive the hallucination guards (``tail_seconds``: audio they may cover)."""
    if hyp.avg_logprob < o.logprob_threshold:
        return []  # too unsure
    text = strip_annotations(hyp.text)
    if phantoms.contains_phantom(text):
        return []
    units = split_units(text)
    cut = loop_start(units)
    if hyp.no_speech_prob > o.no_speech_threshold and (hyp.avg_logprob < CONFIDENT_LOGPROB or cut is not None):
        return []  # Whisper itself thinks this is not speech (noise that fooled the VAD)
    if cut is not None:
        log.debug("repetition loop cut after %d units: %r", cut, text[:80])
        units = units[:cut]
    if compression_ratio(join_units(units)) > 2.4:
        return []
    rate = o.max_chars_per_second if has_cjk(text) else o.max_words_per_second
    cap = int(rate * max(0.0, tail_seconds)) + 2
    return units[:cap]


def new_token_room(tail_seconds: float) -> int:
    """Tokens a streaming pass may add after the committed words, for ``tail_seconds`` of audio after them."""
    return int(12 + 14 * max(0.5, tail_seconds))


def restarts_prefix(units: list[Unit], prefix: str) -> bool:
    """True when a hypothesis starts the forced prefix over again (Whisper's loop after a long prefix):
    its first units are the prefix's first units (5 characters, or 3 words)."""
    head = split_units(prefix)
    n = 5 if has_cjk(prefix[:8]) else 3
    return len(head) >= n and len(units) >= n and [u.key for u in units[:n]] == [u.key for u in head[:n]]


class _Utterance:
    def __init__(self, uid: int, start: float, language: str | None) -> None:
        self.id = uid
        self.start = start
        self.language = language
        self.committed_raw = ""      # committed text inside the current buffer (the decoder's prefix)
        self.display = ""            # everything shown as final for this utterance
        self.kept_display = ""       # what of ``display`` was said before the buffer's audio (trimmed)
        self.prev_tail: list[Unit] = []
        self.older_tails: list[list[Unit]] = []  # tails before prev_tail (agreement over more passes)
        self.partial = ""
        self.commit_end: float | None = None  # audio time where the committed words end
        self.last_decode_at = -1.0


class StreamingTranscriber:
    """Feed 16 kHz mono float32 samples with :meth:`feed`; get :class:`CaptionUpdate` lists back."""

    def __init__(self, decoder: WhisperDecoder, options: StreamingOptions | None = None, *,
                 timer: Callable[[], float] = time.perf_counter) -> None:
        options = options or StreamingOptions()
        self.timer = timer  # measures decode cost (a simulated clock makes replays deterministic)
        self.decoder = decoder
        self.options = options
        if options.language not in ("auto", "zh", "en"):
            raise ValueError(f"language must be zh, en or auto, not {options.language!r}")
        if options.language == "zh" and not decoder.multilingual:
            from streamkit.errors import ConfigError

            raise ConfigError(f"model {decoder.name} understands English only, but language is zh",
                              "use the multilingual model (base) for Mandarin")
        self.vad = StreamingVad()
        self.endpointer = Endpointer(options.vad)
        self.phantoms = PhantomFilter(options.blocklist)
        self.stats = StepStats()
        self.extra_hotwords: tuple[str, ...] = ()  # e.g. product names, set between utterances
        self._last_step_seconds = 0.0
        self._audio = np.zeros(0, dtype=np.float32)
        self._audio_t0 = 0.0           # audio time of self._audio[0]
        self._utt: _Utterance | None = None
        self._next_id = 1
        self._pause_told: tuple[int, float] | None = None  # (utterance, speech end) of the pause last marked
        self._history: dict[str, deque[str]] = {"zh": deque(maxlen=8), "en": deque(maxlen=8)}

    # ------------------------------------------------------------------ public
    @property
    def now(self) -> float:
        """Audio time (s) of the last sample fed."""
        return self._audio_t0 + len(self._audio) / SAMPLE_RATE

    @property
    def speaking(self) -> bool:
        return self._utt is not None

    def feed(self, samples: np.ndarray) -> list[CaptionUpdate]:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        self._audio = np.concatenate([self._audio, samples])
        updates: list[CaptionUpdate] = []
        for event in self.endpointer.push(self.vad.push(samples)):
            if event.kind == "start":
                self._begin(event.t)
            elif self._utt is not None:
                updates += self._finish_utterance(event.now, event.speech_seconds)
        if self._utt is None:
            self._keep_only(self.now - self.options.vad.pre_roll - 0.2)
        elif self._due():
            updates += self._step()
        return self._mark_pause(updates)

    def _mark_pause(self, updates: list[CaptionUpdate]) -> list[CaptionUpdate]:
        """While the speaker pauses (``pause`` seconds of silence, the utterance not ended yet) and the last
        pass heard all the speech before the silence (it started after the VAD's end of speech): ``updates``
        marked ``paused``, and the first time, the current partial sent again marked so (commands may act
        on the words so far)."""
        utt, vad = self._utt, self.endpointer
        pause = self.options.pause
        if (utt is None or pause <= 0 or not vad.in_speech or vad.now - vad.last_speech_end < pause
                or utt.last_decode_at < vad.last_speech_end):
            return updates
        marked = [replace(u, paused=True) for u in updates]
        if (utt.id, vad.last_speech_end) != self._pause_told:
            self._pause_told = (utt.id, vad.last_speech_end)
            if (utt.partial or utt.display) and not any(u.kind == "partial" for u in marked):
                marked.append(replace(self._update("partial", utt.partial, utt.commit_end or utt.start, self.now, utt),
                                      paused=True))
        return marked

    def finish(self) -> list[CaptionUpdate]:
        """End of input: commit whatever the current utterance still holds."""
        if self._utt is None:
            return []
        speech = self.endpointer.speech_frames * 512 / SAMPLE_RATE
        self.endpointer.in_speech = False
        return self._finish_utterance(self.now, speech)

    def reset(self) -> list[CaptionUpdate]:
        """Drop the current utterance without committing (e.g. the source was muted); clears its partial."""
        updates: list[CaptionUpdate] = []
        utt = self._utt
        if utt is not None and utt.partial:
            updates.append(self._update("partial", "", utt.commit_end or utt.start, self.now, utt))
        if utt is not None and utt.display:
            updates.append(self._update("final", "", utt.start, self.now, utt, last=True))
        self._utt = None
        self.endpointer.in_speech = False
        self._keep_only(self.now)
        return updates

    # ------------------------------------------------------------------ utterances
    def _begin(self, t: float) -> None:
        lang = None if self.options.language == "auto" else self.options.language
        if not self.decoder.multilingual:
            lang = "en"
        start = max(self._audio_t0, t - self.options.vad.pre_roll)
        self._utt = _Utterance(self._next_id, start, lang)
        self._next_id += 1
        self._keep_only(start)

    def _due(self) -> bool:
        utt = self._utt
        assert utt is not None
        speech = self.endpointer.speech_frames * 512 / SAMPLE_RATE
        if speech < self.options.vad.min_speech:
            return False
        # never decode faster than the machine can: the decoder keeps to 1 / pace of the time
        return self.now - utt.last_decode_at >= max(self.options.step, self.options.pace * self._last_step_seconds)

    def _window_audio(self, until: float | None = None) -> np.ndarray:
        end = len(self._audio) if until is None else int(round((until - self._audio_t0) * SAMPLE_RATE))
        return self._audio[: max(0, end)]

    def _keep_only(self, t: float) -> None:
        """Forget audio before time ``t``."""
        drop = int((t - self._audio_t0) * SAMPLE_RATE)
        if drop > 0:
            drop = min(drop, len(self._audio))
            self._audio = self._audio[drop:]
            self._audio_t0 += drop / SAMPLE_RATE

    def _language(self, utt: _Utterance, window: Window) -> str:
        if utt.language is not None:
            return utt.language
        lang, _ = self.decoder.detect_language(window)
        return lang

    def _context(self, language: str) -> str:
        o = self.options
        parts: list[str] = []
        prompt = o.initial_prompt or (SIMPLIFIED_PROMPT if language == "zh" else "")  # any script: shown via Simplified
        if prompt:
            parts.append(prompt)
        hotwords = list(dict.fromkeys([*o.hotwords, *self.extra_hotwords]))
        if language == "en":  # Chinese names in an English prompt only confuse the model
            hotwords = [w for w in hotwords if not has_cjk(w)]
        sentence = hotword_sentence(hotwords[:40], language)
        if sentence:
            parts.append(sentence)
        history = "".join(self._history[language]).strip()
        if history and o.context_chars > 0:
            parts.append(history[-o.context_chars:])
        return " ".join(parts)

    def _decode(self, utt: _Utterance, audio: np.ndarray, beam: int) -> tuple[Window, str, Hypothesis]:
        t0 = self.timer()
        window = self.decoder.encode(audio, min_window=self._streaming_window(utt))
        lang = self._language(utt, window)
        max_new = new_token_room(self._tail_seconds(utt, window))
        hyp = self.decoder.decode(window, language=lang, context=self._context(lang), prefix=utt.committed_raw,
                                  beam_size=beam, max_new_tokens=max_new)
        spent = self.timer() - t0
        self._last_step_seconds = spent
        self.stats.decode_seconds += spent
        self.stats.max_window = max(self.stats.max_window, window.duration)
        return window, lang, hyp

    def _tail_seconds(self, utt: _Utterance, window: Window) -> float:
        """Seconds of ``window`` after the committed words (all of it before the first commit)."""
        return window.duration - ((utt.commit_end or self._audio_t0) - self._audio_t0)

    def _streaming_window(self, utt: _Utterance) -> float | None:
        """Seconds a streaming pass over ``utt`` encodes at least (None: the decoder's ``min_window``).

        Mandarin gets a shorter window (``zh_window``): each pass costs less, so passes come more often.
        zh-more, simulated clock, against the decoder's 10 s: 7 s brought committed p50 1.23 → 1.17 s,
        p90 3.08 → 2.84 s, first shown 0.61 → 0.55 s at the same CER (18.6 %); 8 / 6 / 5 s: p90 3.10 /
        3.74 / 3.55 s, first shown 0.57 / 0.56 / 0.55 s. English keeps 10 s (a 6 s window lost a short
        "cancel" after "start recording")."""
        return (self.options.zh_window or None) if utt.language == "zh" else None

    def _guard(self, utt: _Utterance, hyp: Hypothesis, tail_seconds: float) -> list[Unit]:
        units = guard_hypothesis(hyp, self.options, self.phantoms, tail_seconds)
        if units and restarts_prefix(units, utt.committed_raw):
            log.debug("hypothesis restarts the committed text, dropped: %r", hyp.text[:80])
            return []
        return units

    def _step(self) -> list[CaptionUpdate]:
        utt = self._utt
        assert utt is not None
        utt.last_decode_at = self.now
        self.stats.steps += 1
        window, lang, hyp = self._decode(utt, self._window_audio(), beam=self.options.beam_size)
        tail_seconds = self._tail_seconds(utt, window)
        if utt.committed_raw.strip() and tail_seconds >= SPEECH_AFTER_STOP and not split_units(strip_annotations(hyp.text)):
            hyp = self._past_the_stop(utt, window, lang, hyp, tail_seconds)
        units = self._guard(utt, hyp, tail_seconds)
        if not units and utt.prev_tail and (not hyp.text.strip() or restarts_prefix(split_units(hyp.text), utt.committed_raw)):
            return []  # the model stopped right after the prefix: no news, keep what the last pass heard
        n = self._agreed(utt, units, hyp, window)
        n = max(0, min(n, len(units) - self.options.hold_back))
        n = self._holdable(utt, units, n)
        updates: list[CaptionUpdate] = []
        if n:
            utt.language = lang
            updates += self._commit(utt, window, units[:n], ends_hypothesis=n == len(units))
        utt.older_tails = [t[n:] for t in [utt.prev_tail, *utt.older_tails]][: max(0, self.options.agreement - 2)]
        utt.prev_tail = units[n:]
        updates += self._partial(utt, units[n:], lang)
        if window.duration > self.options.max_buffer:
            updates += self._trim(utt, window, units[n:], lang)
        return updates

    def _past_the_stop(self, utt: _Utterance, window: Window, lang: str, hyp: Hypothesis,
                       tail_seconds: float) -> Hypothesis:
        """``hyp`` ended the text right after the committed words (or after a full stop) although speech
        follows them: greedy decoding takes a sentence end for the end of the window (fireredtts2 S1:
        "…是什么样的" then only "?" for 2 s of speech). The model's first tokens past the stop (end of text
        not allowed), then a normal continuation from them, which ends where the speech does."""
        t0 = self.timer()
        mark = hyp.text.strip()
        prefix = utt.committed_raw + mark
        context = self._context(lang)
        start = self.decoder.decode(window, language=lang, context=context, prefix=prefix, max_new_tokens=4,
                                    keep_going=True)
        heard = bool(split_units(strip_annotations(start.text)))
        rest = self.decoder.decode(window, language=lang, context=context, prefix=prefix + start.text,
                                   max_new_tokens=new_token_room(tail_seconds)) if heard else start
        spent = self.timer() - t0
        self._last_step_seconds += spent
        self.stats.decode_seconds += spent
        if not heard:
            return hyp
        n_start, n_rest = len(start.tokens), len(rest.tokens)
        logprob = (start.avg_logprob * n_start + rest.avg_logprob * n_rest) / max(1, n_start + n_rest)
        return Hypothesis(mark + start.text + rest.text, hyp.tokens + start.tokens + rest.tokens, logprob,
                          hyp.no_speech_prob, hyp.language)

    def _agreed(self, utt: _Utterance, units: list[Unit], hyp: Hypothesis, window: Window) -> int:
        o = self.options
        if hyp.avg_logprob < o.commit_logprob:
            return 0
        if window.duration < o.first_commit_after and not utt.display:
            return 0
        tails = [utt.prev_tail, *utt.older_tails]
        if len(tails) < o.agreement - 1:
            return 0
        return min(common_prefix(t, units) for t in tails[: o.agreement - 1])

    def _holdable(self, utt: _Utterance, units: list[Unit], n: int) -> int:
        """Shrink ``n`` while committing would show a possible phantom or half of a filtered term."""
        style = self.options.style
        while n:
            shown = join_caption(utt.display, style.render(join_units(units[:n]), utt.display))
            if not utt.display and self.phantoms.could_become_phantom(shown):
                return 0
            if style.filter is not None and style.filter.holds_back(shown):
                n -= 1
                continue
            if style.numbers != "asis" and has_cjk(shown) and ends_in_number(shown):
                n -= 1  # 四十九 may go on as 四十九块九 (→ 49.9元): wait for the word after the number
                continue
            break
        return n

    def _partial(self, utt: _Utterance, tail: list[Unit], lang: str) -> list[CaptionUpdate]:
        text = self.options.style.render(join_units(tail), utt.display) if tail else ""
        if text and not utt.display and self.phantoms.could_become_phantom(text):
            text = ""
        if text == utt.partial:
            return []
        utt.partial = text
        return [self._update("partial", text, utt.commit_end or utt.start, self.now, utt, lang)]

    def _commit(self, utt: _Utterance, window: Window, units: list[Unit], *, ends_hypothesis: bool,
                final: bool = False) -> list[CaptionUpdate]:
        surface = join_units(units)
        if ends_hypothesis and not final:
            surface = surface[: len(surface) - len(units[-1].surface)] + strip_sentence_end(units[-1].surface)
        before_chars = len(utt.committed_raw.strip())
        utt.committed_raw += surface
        start, end = self._times(utt, window, before_chars)
        lang = utt.language or "en"
        text = self.options.style.render(surface, utt.display)
        if final and has_cjk(text) and self.options.style.punctuation:
            text += chunk_end_punctuation(text)
        utt.display = join_caption(utt.display, text)
        utt.partial = ""
        utt.commit_end = end
        if not text:
            return []
        return [self._update("final", text, start, end, utt, lang)]

    def _times(self, utt: _Utterance, window: Window, before_chars: int) -> tuple[float, float]:
        """Audio times of the newly committed words (alignment), falling back to the buffer's edges."""
        t0 = self._audio_t0
        fallback_start = utt.commit_end if utt.commit_end is not None else utt.start
        try:
            words = self.decoder.word_times(window, utt.committed_raw, utt.language or "en")
        except Exception as exc:  # noqa: BLE001 - timing is a nicety, never lose the caption for it
            log.debug("alignment failed: %s", exc)
            words = []
        total = len(utt.committed_raw.strip())
        new = [w for w in words if w.end_char > before_chars]
        if not new:
            return fallback_start, self.now
        start = max(fallback_start, t0 + new[0].start)
        ends = [w for w in new if w.end_char <= total] or new
        end = min(self.now, max(start, t0 + ends[-1].end))
        return start, end

    def _trim(self, utt: _Utterance, window: Window, tail: list[Unit], lang: str) -> list[CaptionUpdate]:
        """Keep the buffer short: drop audio up to the end of the committed words."""
        updates: list[CaptionUpdate] = []
        if window.duration > self.options.hard_max_buffer and tail:
            updates += self._commit(utt, window, tail, ends_hypothesis=True)
            utt.prev_tail = []
        cut = utt.commit_end
        if cut is None or cut <= self._audio_t0 + 0.5:
            if window.duration <= self.options.hard_max_buffer:
                return updates
            cut = self.now - 1.0
        self._history[lang].append(utt.committed_raw)
        utt.committed_raw = ""
        utt.kept_display = utt.display
        self._keep_only(cut)
        self.stats.trims += 1
        return updates

    def _finish_utterance(self, end: float, speech_seconds: float) -> list[CaptionUpdate]:
        utt = self._utt
        assert utt is not None
        updates: list[CaptionUpdate] = []
        if speech_seconds >= self.options.vad.min_speech or utt.display:
            self.stats.finals += 1
            # the careful pass costs about four steps: while another source needs the model too, only
            # where the streaming passes read far worse (REREAD_WHEN_SHARED); never with an English-only
            # model (tiny.en reads worse whole: "ill-disposed" → "old-sposed", 1.4 % → 7.0 % WER on the
            # LibriVox sentences, where base gains: 7.0 % → 1.4 %)
            shared = self.decoder.contended() and (utt.language or "") not in REREAD_WHEN_SHARED
            careful = self.options.revise and self.decoder.multilingual and not shared
            closed = self._reread(utt, end) if careful else None
            updates += closed if closed is not None else self._close(utt, end)
            if utt.committed_raw.strip():
                raw = utt.committed_raw.rstrip()
                if raw[-1:] not in "。？！.?!…":
                    raw += "。" if has_cjk(raw[-1:]) else "."
                self._history[utt.language or "en"].append(raw + ("" if has_cjk(raw[-2:]) else " "))
        if utt.partial and not updates:
            updates.append(self._update("partial", "", utt.commit_end or utt.start, end, utt))
        if utt.display:
            if updates and updates[-1].kind == "final":
                last = updates[-1]
                updates[-1] = CaptionUpdate(last.kind, last.text, last.audio_start, last.audio_end, last.language,
                                            last.utterance, utterance_end=True)
            else:
                updates.append(self._update("final", "", end, end, utt, last=True))
        self._utt = None
        self._keep_only(end)
        return updates

    def _close(self, utt: _Utterance, end: float) -> list[CaptionUpdate]:
        """The closing pass: continue the committed text over the whole utterance; commit all it hears."""
        window, lang, hyp = self._decode(utt, self._window_audio(end), beam=self.options.final_beam_size)
        tail_seconds = self._tail_seconds(utt, window)
        units = self._guard(utt, hyp, tail_seconds)
        if not units and utt.prev_tail:
            # the last pass heard more words than this one (greedy decoding sometimes stops right
            # after the prefix once the speech is over): ask again with a beam, else keep what was heard
            retry = self.decoder.decode(window, language=lang, context=self._context(lang), prefix=utt.committed_raw,
                                        beam_size=max(5, self.options.final_beam_size), max_new_tokens=64)
            units = self._guard(utt, retry, tail_seconds) or utt.prev_tail
            hyp = retry
        if units and not utt.display and self.phantoms.is_phantom(join_units(units)):
            log.debug("phantom phrase dropped: %r", join_units(units))
            units = []
        utt.language = utt.language or lang
        if units:
            return self._commit(utt, window, units, ends_hypothesis=True, final=True)
        return self._close_mark(utt, hyp.text, end)

    def _reread(self, utt: _Utterance, end: float) -> list[CaptionUpdate] | None:
        """The revising closing pass: the whole utterance again, with a beam, Whisper's full window
        and no forced prefix. When it reads as the committed text does, its rest closes the
        utterance; when it reads differently, one ``revision`` carries the utterance's corrected text.
        None when it heard nothing usable (then :meth:`_close` closes the utterance as usual)."""
        o = self.options
        t0 = self.timer()
        window = self.decoder.encode(self._window_audio(end), min_window=o.revise_window or None)
        lang = self._language(utt, window)
        hyp = self.decoder.decode(window, language=lang, context=self._context(lang), beam_size=o.final_beam_size,
                                  max_new_tokens=int(20 + 14 * window.duration))
        self.stats.decode_seconds += self.timer() - t0
        units = guard_hypothesis(hyp, o, self.phantoms, window.duration)
        if not units or (not utt.display and self.phantoms.is_phantom(join_units(units))):
            return None
        done = split_units(utt.committed_raw)
        utt.language = utt.language or lang
        if common_prefix(done, units) == len(done):
            if len(units) > len(done):
                return self._commit(utt, window, units[len(done):], ends_hypothesis=True, final=True)
            return self._close_mark(utt, units[-1].surface, end)
        if len(normalize(join_units(units))) < 0.7 * len(normalize(utt.committed_raw)):
            return None  # a beam that lost words is no correction
        raw = join_units(units)
        text = o.style.render(raw, utt.kept_display)
        if has_cjk(text) and o.style.punctuation:
            text += chunk_end_punctuation(text)
        utt.committed_raw = raw
        utt.display = join_caption(utt.kept_display, text)
        utt.partial = ""
        return [CaptionUpdate("revision", utt.display, round(utt.start, 3), round(end, 3), lang, utt.id, revision=1)]

    def _close_mark(self, utt: _Utterance, continuation: str, end: float) -> list[CaptionUpdate]:
        """Everything was committed already: only the closing full stop (or ? !) is left to show."""
        mark = self._closing_mark(utt.display, continuation) if utt.display else ""
        if not mark:
            return []
        utt.display += mark
        utt.committed_raw += mark
        return [self._update("final", mark, utt.commit_end or utt.start, end, utt)]

    def _closing_mark(self, shown: str, continuation: str) -> str:
        """The full stop (or ? !) that closes a finished utterance whose words were all committed already."""
        last = shown.rstrip()[-1:]
        if not last or last in "。？！.?!…":
            return ""
        mark = continuation.strip()[:1]
        if has_cjk(last):
            if not self.options.style.punctuation:
                return ""
            return {"?": "？", "!": "！", "？": "？", "！": "！"}.get(mark, "。")
        return mark if mark in (".", "?", "!") else ""

    def _update(self, kind: str, text: str, start: float, end: float, utt: _Utterance, lang: str | None = None,
                *, last: bool = False) -> CaptionUpdate:
        return CaptionUpdate(kind, text, round(start, 3), round(end, 3), lang or utt.language or "", utt.id,
                             utterance_end=last)
