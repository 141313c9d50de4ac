"""The streaming logic (agreement, guards, trimming) with real speech audio and real Silero VAD,
but a scripted decoder, so each rule can be checked exactly. The real models are in test_captions_models.py."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from captions_helpers import EN_CLIPS, SR, load, stream

from streamkit.plugins.captions.decoder import Hypothesis, Window, WordTime
from streamkit.plugins.captions.streaming import StreamingOptions, StreamingTranscriber
from streamkit.plugins.captions.vad import VadSettings


@dataclass
class Word:
    text: str
    start: float
    end: float


def clips_with_words(pause: float, lead: float = 0.5) -> tuple[np.ndarray, list[Word]]:
    parts = [np.zeros(int(lead * SR), np.float32)]
    words: list[Word] = []
    t = lead
    for clip in EN_CLIPS:
        audio = load(clip)
        for w in json.loads(clip.with_suffix(".json").read_text())["w"]:
            token = re.sub(r"\(\d+\)$", "", w["t"])
            if not token.startswith("<"):
                words.append(Word(token, t + w["b"], t + w["b"] + w["d"]))
        parts += [audio, np.zeros(int(pause * SR), np.float32)]
        t += len(audio) / SR + pause
    return np.concatenate(parts), words


class ScriptedDecoder:
    """Hears exactly the reference words that ended 0.15 s before the window's end; ``say`` can override."""

    name = "scripted"
    multilingual = True

    def __init__(self, words: list[Word], *, unstable_last: bool = False, say: Any = None,
                 no_speech_prob: float = 0.01, avg_logprob: float = -0.2) -> None:
        self.words = words
        self.unstable_last = unstable_last
        self.say = say
        self.no_speech_prob = no_speech_prob
        self.avg_logprob = avg_logprob
        self.transcriber: StreamingTranscriber | None = None
        self.windows: list[float] = []
        self.calls = 0
        self.contexts: list[str] = []

    def _visible(self, window: Window) -> list[Word]:
        t0 = window.encoder_output
        return [w for w in self.words if w.end > t0 + 0.1 and w.end <= t0 + window.duration - 0.15]

    def encode(self, audio: np.ndarray, min_window: float | None = None) -> Window:
        assert self.transcriber is not None
        self.windows.append(len(audio) / SR)
        return Window(self.transcriber._audio_t0, len(audio) // 160, len(audio) / SR)

    def detect_language(self, window: Window, candidates: tuple[str, ...] = ("zh", "en")) -> tuple[str, float]:
        return "en", 0.99

    def contended(self, within: float = 3.0) -> bool:
        return False

    def decode(self, window: Window, *, language: str, context: str = "", prefix: str = "", beam_size: int = 1,
               max_new_tokens: int = 100, keep_going: bool = False) -> Hypothesis:
        self.calls += 1
        self.contexts.append(context)
        if self.say is not None:
            text = self.say(window)
        else:
            heard = [w.text for w in self._visible(window)][len(prefix.split()):]
            if self.unstable_last and heard:
                heard[-1] = heard[-1] + f"x{self.calls}"  # the word at the edge changes every time
            text = "".join(" " + w for w in heard)
        return Hypothesis(text, (), self.avg_logprob, self.no_speech_prob, language)

    def word_times(self, window: Window, text: str, language: str) -> list[WordTime]:
        out, offset = [], 0
        for w, token in zip(self._visible(window), text.split()):
            offset += len(token) + (1 if offset else 0)
            out.append(WordTime(" " + token, w.start - window.encoder_output, w.end - window.encoder_output, offset))
        return out


def run(decoder: ScriptedDecoder, audio: np.ndarray, **options: Any) -> Any:
    st = StreamingTranscriber(decoder, StreamingOptions(language="en", **options))  # type: ignore[arg-type]
    decoder.transcriber = st
    return stream(st, audio), st


def test_committed_words_are_the_words_said_each_shown_once_in_order() -> None:
    audio, words = clips_with_words(pause=1.0)
    replay, _ = run(ScriptedDecoder(words), audio)
    said = [w.text for w in words]
    assert replay.committed.split() == said
    # what is on screen (committed so far + partial) is always what was said so far: a partial is
    # only the not-yet-committed rest, never a repeat of committed words
    committed: list[str] = []
    for u in replay.updates:
        if u.kind == "final":
            committed += u.text.split()
        else:
            shown = committed + u.text.split()
            assert shown == said[: len(shown)], (u, committed)
    assert replay.finals[-1].utterance_end and len({u.utterance for u in replay.finals}) == 5
    # finals carry aligned times inside the audio
    for u in replay.finals:
        assert 0 <= u.audio_start <= u.audio_end <= len(audio) / SR


def test_a_word_is_committed_only_once_two_hypotheses_agree() -> None:
    audio, words = clips_with_words(pause=1.0)
    replay, _ = run(ScriptedDecoder(words, unstable_last=True), audio)
    # the changing last word never got committed mid-utterance; the pause commits it (as last heard)
    mid = [u for u in replay.finals if not u.utterance_end]
    assert mid and not any(re.search(r"x\d+", u.text) for u in mid)
    assert replay.committed.split()[:5] == ["and", "mister", "john", "dashwood", "had"]


def test_phantom_phrase_never_shown_not_even_as_partial() -> None:
    audio, words = clips_with_words(pause=1.0)
    replay, _ = run(ScriptedDecoder(words, say=lambda w: " Thank you."), audio)
    assert replay.updates == []


def test_no_speech_and_low_confidence_hypotheses_are_dropped() -> None:
    audio, words = clips_with_words(pause=1.0)
    assert run(ScriptedDecoder(words, no_speech_prob=0.9, avg_logprob=-0.6), audio)[0].updates == []
    assert run(ScriptedDecoder(words, avg_logprob=-1.3), audio)[0].updates == []


def test_repetition_loop_is_cut_before_it_is_shown() -> None:
    audio, words = clips_with_words(pause=1.0)
    replay, _ = run(ScriptedDecoder(words, say=lambda w: " He was a man." * 8), audio[: 8 * SR])
    for u in replay.updates:
        assert u.text.count("He was") <= 1


def test_long_speech_without_pauses_is_trimmed_and_lag_stays_bounded() -> None:
    # 25 s of speech with only 0.2 s pauses: one long utterance
    audio, words = clips_with_words(pause=0.2)
    decoder = ScriptedDecoder(words)
    replay, st = run(decoder, audio, max_buffer=6.0, vad=VadSettings(min_silence=1.0))
    assert st.stats.trims >= 2
    assert max(decoder.windows) <= 6.0 + 1.0  # the window stays short: each step costs the same
    assert replay.committed.split() == [w.text for w in words]


@pytest.mark.parametrize("chunk", [0.02, 0.5])
def test_chunk_size_does_not_change_what_is_committed(chunk: float) -> None:
    audio, words = clips_with_words(pause=1.0)
    st = StreamingTranscriber(ScriptedDecoder(words), StreamingOptions(language="en"))  # type: ignore[arg-type]
    st.decoder.transcriber = st  # type: ignore[attr-defined]
    assert stream(st, audio, chunk=chunk).committed.split() == [w.text for w in words]


def test_hotwords_from_config_and_from_the_product_catalog_reach_the_model() -> None:
    from streamkit.events import AudioChunk
    from streamkit.plugins.captions.processor import CaptionProcessor

    audio, words = clips_with_words(pause=1.0)
    decoder = ScriptedDecoder(words)
    catalog = ["Thermos", "保温杯"]
    asked: list[int] = []

    def product_names() -> list[str]:
        asked.append(1)
        return list(catalog)

    processor = CaptionProcessor(decoder, StreamingOptions(language="en", hotwords=("Dashwood",)),  # type: ignore[arg-type]
                                 source="mic", realtime=False, hotwords=product_names)
    decoder.transcriber = processor.transcriber
    n = SR // 10
    for i in range(0, len(audio), n):
        if i == 12 * SR:
            catalog.append("Norland Park")  # the catalog changed during the stream
        list(processor.process(AudioChunk(source="mic", samples=audio[i:i + n], sample_rate=SR, start=i / SR)))
    assert "Dashwood" in decoder.contexts[0] and "Thermos" in decoder.contexts[0]
    assert "保温杯" not in decoder.contexts[0]  # Chinese names stay out of an English prompt
    assert "Norland Park" in decoder.contexts[-1] and "Norland Park" not in decoder.contexts[0]
    assert 2 <= len(asked) <= 12  # asked between utterances, not for every chunk


def test_words_heard_before_the_pause_are_kept_when_later_passes_hear_nothing() -> None:
    """Greedy Whisper sometimes stops right after the forced prefix once speech is over; the last word stays."""
    audio, words = clips_with_words(pause=1.0)
    audio = audio[: int(8.5 * SR)]  # the first sentence
    last_end = max(w.end for w in words if w.end < 8)
    decoder = ScriptedDecoder(words)
    normal = decoder.decode

    def forgetful(window: Window, **kw: Any) -> Hypothesis:
        if window.encoder_output + window.duration > last_end + 0.3:
            return Hypothesis("", (), -0.1, 0.01, "en")
        return normal(window, **kw)

    decoder.decode = forgetful  # type: ignore[method-assign]
    replay, _ = run(decoder, audio)
    assert replay.committed.split()[-3:] == ["do", "for", "them"]
    assert all(u.text for u in replay.partials)  # "them" never vanished from the screen meanwhile


def test_a_hypothesis_that_starts_the_committed_text_over_is_never_shown() -> None:
    """After a long forced prefix greedy Whisper sometimes starts the utterance over ("And Mr. John …"
    again); the closing pass then asks again with a beam, which continues the prefix."""
    audio, words = clips_with_words(pause=1.0)
    audio = audio[: int(8.5 * SR)]  # the first sentence
    last_end = max(w.end for w in words if w.end < 8)
    decoder = ScriptedDecoder(words)
    normal = decoder.decode

    def restarting(window: Window, **kw: Any) -> Hypothesis:
        if window.encoder_output + window.duration > last_end and kw.get("beam_size", 1) == 1 and len(kw.get("prefix", "").split()) > 5:
            return Hypothesis(" " + kw["prefix"].strip(), (), -0.05, 0.01, "en")
        return normal(window, **kw)

    decoder.decode = restarting  # type: ignore[method-assign]
    replay, _ = run(decoder, audio)
    said = [w.text for w in words if w.end < 8]
    assert replay.committed.split() == said


class StopsAtSentenceEnd(ScriptedDecoder):
    """Greedy Whisper's habit: once the forced prefix ends where a sentence ends, it says only "." and
    stops, though the next sentence is already in the window; with the end of text not allowed it goes on."""

    def __init__(self, words: list[Word], sentence_end: str) -> None:
        super().__init__(words)
        self.sentence_end = sentence_end  # the word that ends a sentence
        self.kept_going = 0

    def decode(self, window: Window, *, language: str, context: str = "", prefix: str = "", beam_size: int = 1,
               max_new_tokens: int = 100, keep_going: bool = False) -> Hypothesis:
        hyp = super().decode(window, language=language, context=context, prefix=prefix, beam_size=beam_size,
                             max_new_tokens=max_new_tokens)
        last = prefix.split()[-1:]
        if [w.rstrip(".") for w in last] != [self.sentence_end] or not hyp.text.strip():
            return hyp
        if keep_going:  # the first word past the stop
            self.kept_going += 1
            return Hypothesis(" " + hyp.text.split()[0], (), hyp.avg_logprob, hyp.no_speech_prob, language)
        return Hypothesis("" if last[0].endswith(".") else ".", (), hyp.avg_logprob, hyp.no_speech_prob, language)


def test_a_pass_that_stops_at_a_sentence_end_is_asked_past_it() -> None:
    """A sentence end inside an utterance ("… rather cold. Hearted …"): the next sentence is committed while
    it is spoken, not only when the speaker pauses (fireredtts2 S1 waited 2 s behind a "?" this way)."""
    audio, words = clips_with_words(pause=1.0)
    audio = audio[: int(17 * SR)]
    said = [w.text for w in words]
    stop = said.index("cold") + 1
    decoder = StopsAtSentenceEnd(words, "cold")
    replay, _ = run(decoder, audio)
    utterance = next(u.utterance for u in replay.finals if "cold" in u.text.split())
    mid = re.findall(r"\w+", " ".join(u.text for u in replay.finals if u.utterance == utterance and not u.utterance_end))
    assert decoder.kept_going and said[stop:stop + 2] == ["hearted", "and"]
    assert mid[-2:] == ["hearted", "and"] or "rather" in mid[mid.index("cold"):]  # committed before the utterance ended
    assert re.findall(r"\w+", replay.committed)[: stop + 2] == said[: stop + 2]


class Misheard(ScriptedDecoder):
    """The fast passes hear "disposed" as "sposed"; a whole-utterance pass with a beam and no prefix hears it right."""

    def decode(self, window: Window, *, language: str, context: str = "", prefix: str = "", beam_size: int = 1,
               max_new_tokens: int = 100, keep_going: bool = False) -> Hypothesis:
        hyp = super().decode(window, language=language, context=context, prefix=prefix, beam_size=beam_size,
                             max_new_tokens=max_new_tokens)
        if prefix or beam_size == 1:
            hyp = Hypothesis(hyp.text.replace("disposed", "sposed"), (), hyp.avg_logprob, hyp.no_speech_prob, language)
        return hyp


def test_the_final_pass_revises_an_utterance_it_hears_differently_and_only_that_one() -> None:
    audio, words = clips_with_words(pause=1.0)
    replay, st = run(Misheard(words), audio, revise=True)
    revisions = [u for u in replay.updates if u.kind == "revision"]
    misheard = sorted({u.utterance for u in replay.finals if "sposed" in u.text.replace("disposed", "")})
    assert misheard and [u.utterance for u in revisions] == misheard  # only where a misheard word was committed
    fixed = revisions[0]
    assert "disposed" in fixed.text and "sposed" not in fixed.text.replace("disposed", "")
    assert fixed.text.lower().split()[:4] == ["he", "was", "not", "an"]  # the whole utterance, as it should read
    assert fixed.revision == 1 and fixed.audio_start <= min(u.audio_start for u in replay.finals if u.utterance == 2)
    ends = [i for i, u in enumerate(replay.updates) if u.utterance == 2 and u.utterance_end]
    assert ends and replay.updates.index(fixed) < ends[0]  # the revision comes before the utterance ends
    final_text = replay.revised.lower()
    assert final_text.count("ill disposed") == 2 and "sposed" not in final_text.replace("disposed", "")
    # without revise the misheard words stay, as before
    plain, _ = run(Misheard(words), audio, revise=False)
    assert not any(u.kind == "revision" for u in plain.updates) and "sposed" in plain.committed


class SpokenChinese:
    """Hears the characters of ``text`` (one every ``gap`` s from ``t0``) that ended 0.15 s before the window's end."""

    name = "scripted-zh"
    multilingual = True

    def __init__(self, text: str, t0: float, gap: float) -> None:
        self.chars = [(ch, t0 + gap * (i + 1)) for i, ch in enumerate(text)]
        self.transcriber: StreamingTranscriber | None = None

    def encode(self, audio: np.ndarray, min_window: float | None = None) -> Window:
        assert self.transcriber is not None
        return Window(self.transcriber._audio_t0, len(audio) // 160, len(audio) / SR)

    def detect_language(self, window: Window, candidates: tuple[str, ...] = ("zh", "en")) -> tuple[str, float]:
        return "zh", 0.99

    def contended(self, within: float = 3.0) -> bool:
        return False

    def decode(self, window: Window, *, language: str, context: str = "", prefix: str = "", beam_size: int = 1,
               max_new_tokens: int = 100, keep_going: bool = False) -> Hypothesis:
        heard = "".join(ch for ch, t in self.chars if t <= window.encoder_output + window.duration - 0.15)
        return Hypothesis(heard[len(prefix):], (), -0.1, 0.01, "zh")

    def word_times(self, window: Window, text: str, language: str) -> list[WordTime]:
        return [WordTime(ch, t - 0.2 - window.encoder_output, t - window.encoder_output, i + 1)
                for i, (ch, t) in enumerate(self.chars[: len(text)])]


def run_chinese(kind: type[SpokenChinese], language: str = "zh") -> Any:
    """The AISHELL clip, with silence around it, heard as "这个杯子四十九块九包邮" by a ``kind`` decoder."""
    from captions_helpers import ZH_CLIP

    audio = np.concatenate([np.zeros(SR // 2, np.float32), load(ZH_CLIP), np.zeros(SR, np.float32)])
    decoder = kind("这个杯子四十九块九包邮", t0=0.6, gap=0.3)
    st = StreamingTranscriber(decoder, StreamingOptions(language=language))  # type: ignore[arg-type]
    decoder.transcriber = st
    return stream(st, audio)


class WindowsAsked(SpokenChinese):
    """Notes the window each encode asks for (None: the decoder's own)."""

    asked: list[float | None] = []

    def encode(self, audio: np.ndarray, min_window: float | None = None) -> Window:
        self.asked.append(min_window)
        return super().encode(audio, min_window)


class CostlyPasses(ScriptedDecoder):
    """Each pass costs ``cost`` seconds on the transcriber's timer; notes the audio time of each streaming pass."""

    def __init__(self, words: list[Word], cost: float) -> None:
        super().__init__(words)
        self.cost, self.spent, self.passes_at = cost, 0.0, []

    def encode(self, audio: np.ndarray, min_window: float | None = None) -> Window:
        assert self.transcriber is not None
        if min_window != 30.0:  # a streaming pass (the closing re-read asks for Whisper's 30 s)
            self.passes_at.append(self.transcriber.now)
        self.spent += self.cost
        return super().encode(audio, min_window)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("cost, spacing", [(0.1, 0.4), (0.35, 0.49)])
def test_passes_come_every_step_or_pace_times_their_cost_when_that_is_longer(language: str, cost: float,
                                                                            spacing: float) -> None:
    """Cheap passes come every ``step`` (0.4 s); a pass that costs more waits ``pace`` (1.4) × its cost, so
    the decoder keeps to 1 / pace of the time. Closer passes agree on misreadings (see StreamingOptions)."""
    audio, words = clips_with_words(pause=1.0)
    decoder = CostlyPasses(words, cost)
    st = StreamingTranscriber(decoder, StreamingOptions(language=language),  # type: ignore[arg-type]
                              timer=lambda: decoder.spent)
    decoder.transcriber = st
    for i in range(0, len(audio), 512):
        st.feed(audio[i : i + 512])
    gaps = np.diff(decoder.passes_at)
    in_speech = gaps[gaps < 1.0]  # passes within an utterance (a pause starts the next one later)
    assert len(in_speech) > 20
    assert np.median(in_speech) == pytest.approx(spacing, abs=512 / SR + 1e-9)
    assert in_speech.min() >= spacing - 1e-9


@pytest.mark.parametrize("language", ["zh", "auto"])
def test_mandarin_streaming_passes_encode_the_shorter_mandarin_window(language: str) -> None:
    WindowsAsked.asked = []
    run_chinese(WindowsAsked, language)
    streaming = [w for w in WindowsAsked.asked if w != 30.0]  # 30 s: the closing re-read, Whisper's own window
    assert len(streaming) >= 5 and len(WindowsAsked.asked) - len(streaming) == 1
    if language == "zh":
        assert set(streaming) == {StreamingOptions().zh_window}
    else:  # the first passes do not know the language yet; once Mandarin is heard, the Mandarin window
        assert streaming[0] is None and streaming[-1] == StreamingOptions().zh_window


def test_a_price_is_committed_whole_and_shown_as_viewers_expect() -> None:
    replay = run_chinese(SpokenChinese)
    assert replay.committed == "这个杯子49.9元包邮。"
    assert len(replay.finals) >= 3  # committed in pieces while it was said, never inside the number


class SharedModel:
    """Another source is waiting for the model (two people talking); the fast passes mishear a character
    (Mandarin) or a word (English) that a whole, beamed re-read hears right."""

    def contended(self, within: float = 3.0) -> bool:
        return True


class SharedChinese(SharedModel, SpokenChinese):
    def decode(self, window: Window, *, language: str, context: str = "", prefix: str = "", beam_size: int = 1,
               max_new_tokens: int = 100, keep_going: bool = False) -> Hypothesis:
        hyp = super().decode(window, language=language, context=context, prefix=prefix, beam_size=beam_size,
                             max_new_tokens=max_new_tokens)
        if prefix or beam_size == 1:
            hyp = Hypothesis(hyp.text.replace("杯", "被"), (), hyp.avg_logprob, hyp.no_speech_prob, "zh")
        return hyp


class SharedMisheard(SharedModel, Misheard):
    pass


def test_while_the_model_is_shared_mandarin_is_still_read_again_and_english_is_not() -> None:
    """The re-read costs the other speaker time, so it is kept for Mandarin, whose fast passes read far worse."""
    replay = run_chinese(SharedChinese)
    assert "被" in "".join(u.text for u in replay.finals)  # the fast passes misheard it ...
    assert [u.kind for u in replay.updates if u.kind == "revision"] and "杯子" in replay.revised  # ... the re-read fixed it
    english, words = clips_with_words(pause=1.0)
    plain, _ = run(SharedMisheard(words), english, revise=True)
    assert not any(u.kind == "revision" for u in plain.updates) and "sposed" in plain.committed


class PromptDecoder(ScriptedDecoder):
    """Hears a word as soon as it is over (the scripted decoder waits 0.15 s), as Whisper hears a last word
    whose audio is whole."""

    def _visible(self, window: Window) -> list[Word]:
        t0 = window.encoder_output
        return [w for w in self.words if w.end > t0 + 0.1 and w.end <= t0 + window.duration]


def test_a_pause_is_marked_once_recognition_heard_every_word_before_it() -> None:
    """0.25 s into a silence, before the utterance ends, the partial is sent again marked ``paused``, and
    what is on screen then is every word said before the silence (commands may act on it)."""
    audio, words = clips_with_words(pause=1.0)
    replay, _ = run(PromptDecoder(words), audio)
    committed: dict[int, list[str]] = {}
    partial: dict[int, list[str]] = {}
    paused: dict[int, tuple[float, list[str]]] = {}  # utterance → (when, what was on screen) at its pause
    for u in replay.updates:
        if u.kind == "final":
            committed[u.utterance] = committed.get(u.utterance, []) + u.text.split()
            partial[u.utterance] = []
        else:
            partial[u.utterance] = u.text.split()
        if u.paused:
            assert not u.utterance_end  # a pause is before the end, never the end itself
            paused[u.utterance] = (u.audio_end, committed.get(u.utterance, []) + partial[u.utterance])
    assert sorted(paused) == sorted(committed)  # every utterance had its pause before it ended
    for uid, (at, on_screen) in paused.items():
        said = committed[uid]  # all its words, once it ended
        assert on_screen == said
        last_word_end = max(w.end for w in words if w.text == said[-1] and w.end <= at)
        assert at >= last_word_end + 0.25 - 0.1


def test_no_pause_is_marked_when_switched_off() -> None:
    audio, words = clips_with_words(pause=1.0)
    replay, _ = run(ScriptedDecoder(words), audio[: int(8.5 * SR)], pause=0.0)
    assert replay.updates and not any(u.paused for u in replay.updates)
