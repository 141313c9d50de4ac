"""Streaming recognition with the real base and tiny.en models on real recordings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from captions_helpers import (SR, TRADITIONAL_ONLY, ZH_CLIP, ZH_REFERENCE, english_audio, english_reference,
                              error_rate, load, mandarin_audio, offline_text, stream)

from streamkit.plugins.captions.streaming import StreamingOptions, StreamingTranscriber
from streamkit.plugins.captions.textproc import to_simplified
from streamkit.plugins.captions.vad import VadSettings

pytestmark = pytest.mark.slow


@pytest.fixture(params=["base", "tiny.en"])
def decoder(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue("base_decoder" if request.param == "base" else "tiny_decoder")


def test_english_captions_are_as_good_as_the_same_model_offline(decoder: Any) -> None:
    audio = english_audio()
    replay = stream(StreamingTranscriber(decoder, StreamingOptions(language="en")), audio)
    reference = english_reference()
    final = error_rate(reference, replay.revised, "en")  # what viewers are left with, revisions in place
    offline = error_rate(reference, offline_text(decoder, audio, "en"), "en")
    print(f"{decoder.name}: final WER {final:.3f}, offline WER {offline:.3f}: {replay.revised}")
    assert final <= offline + 0.015, replay.revised
    assert len(replay.partials) >= 10  # partial captions while each sentence is spoken
    assert len({u.utterance for u in replay.finals}) == 5  # one utterance per sentence


def test_committed_mandarin_is_as_good_as_offline_and_simplified(base_decoder: Any) -> None:
    audio = mandarin_audio()
    replay = stream(StreamingTranscriber(base_decoder, StreamingOptions(language="zh")), audio)
    committed = error_rate(ZH_REFERENCE, replay.committed, "zh")
    offline = error_rate(ZH_REFERENCE, offline_text(base_decoder, audio, "zh"), "zh")
    print(f"committed CER {committed:.3f}, offline CER {offline:.3f}: {replay.committed}")
    assert committed <= offline + 0.015
    assert replay.committed.endswith("。") and not TRADITIONAL_ONLY.search(replay.committed)
    assert all(u.language == "zh" for u in replay.finals)


def test_auto_language_follows_each_utterance(base_decoder: Any) -> None:
    audio = np.concatenate([np.zeros(SR // 2, np.float32), load(ZH_CLIP), np.zeros(SR, np.float32),
                            english_audio()[SR // 2: SR // 2 + int(7.3 * SR)]])
    replay = stream(StreamingTranscriber(base_decoder, StreamingOptions(language="auto")), audio)
    by_utt: dict[int, set[str]] = {}
    for u in replay.finals:
        by_utt.setdefault(u.utterance, set()).add(u.language)
    assert [sorted(v) for v in by_utt.values()] == [["zh"], ["en"]], replay.finals
    assert "甚至出现交易" in replay.committed and "Dashwood" in replay.committed


def test_a_traditional_answer_is_shown_in_simplified(base_decoder: Any) -> None:
    # Prompted in Traditional, base answers in Traditional characters …
    prompt = "以下是普通話的句子，請用繁體字。"
    window = base_decoder.encode(load(ZH_CLIP))
    raw = base_decoder.decode(window, language="zh", context=prompt).text
    assert TRADITIONAL_ONLY.search(raw), raw
    # … and the caption still comes out in Simplified, by conversion
    replay = stream(StreamingTranscriber(base_decoder, StreamingOptions(language="zh", initial_prompt=prompt)),
                    mandarin_audio())
    assert replay.committed and not TRADITIONAL_ONLY.search(replay.committed)
    assert error_rate(ZH_REFERENCE, replay.committed, "zh") <= 0.1  # the same sentence: one character off at most
    assert to_simplified(raw) != raw
    assert all(not TRADITIONAL_ONLY.search(u.text) for u in replay.partials)


def test_traditional_on_request(base_decoder: Any) -> None:
    from streamkit.plugins.captions.textproc import DisplayStyle

    options = StreamingOptions(language="zh", style=DisplayStyle(script="traditional"))
    replay = stream(StreamingTranscriber(base_decoder, options), mandarin_audio())
    assert replay.committed.startswith("甚至出現交易")


NOISES = {
    "silence": lambda rng, n: np.zeros(n, np.float32),
    "white noise": lambda rng, n: (rng.standard_normal(n) * 0.2).astype(np.float32),
    "loud white noise": lambda rng, n: np.clip(rng.standard_normal(n) * 0.5, -1, 1).astype(np.float32),
    "brown noise": lambda rng, n: (lambda x: (x / np.abs(x).max() * 0.5).astype(np.float32))(np.cumsum(rng.standard_normal(n))),
    "hum": lambda rng, n: (0.3 * np.sin(2 * np.pi * 50 * np.arange(n) / SR)).astype(np.float32),
}


@pytest.mark.parametrize("language", ["zh", "auto"])
def test_two_minutes_of_silence_and_noise_give_no_captions(base_decoder: Any, language: str) -> None:
    rng = np.random.default_rng(7)
    for name, make in NOISES.items():
        st = StreamingTranscriber(base_decoder, StreamingOptions(language=language))
        replay = stream(st, make(rng, 120 * SR), chunk=0.5)
        assert replay.updates == [], (name, replay.updates[:3])


def test_two_minutes_of_noise_give_no_captions_with_tiny_en(tiny_decoder: Any) -> None:
    rng = np.random.default_rng(8)
    for name, make in NOISES.items():
        replay = stream(StreamingTranscriber(tiny_decoder, StreamingOptions(language="en")), make(rng, 120 * SR), chunk=0.5)
        assert replay.updates == [], name


def test_guards_hold_even_when_noise_fools_the_vad(base_decoder: Any) -> None:
    """With the VAD forced open, Whisper hears the noise; forced to Mandarin it loops (转转转…) — nothing may show."""
    rng = np.random.default_rng(9)
    noise = np.concatenate([np.clip(rng.standard_normal(6 * SR) * 0.5, -1, 1), rng.standard_normal(6 * SR) * 1e-4])
    st = StreamingTranscriber(base_decoder, StreamingOptions(language="zh", vad=VadSettings(threshold=0.0)))
    replay = stream(st, noise.astype(np.float32))
    assert st.stats.steps >= 10  # Whisper really was asked, many times
    assert replay.updates == [], replay.updates[:3]


def test_a_long_committed_prefix_leaves_room_for_the_last_words(base_decoder: Any) -> None:
    """CTranslate2 counts the forced prompt twice against max_length: with faster-whisper's own rule the
    sentence-final word ("them") was cut once the committed prefix grew long."""
    audio = english_audio()[int(0.5 * SR): int(7.81 * SR)]
    prefix = " And Mr. John Dashwood had then leisure to consider how much there might be prudently in his power to"
    window = base_decoder.encode(audio)
    hyp = base_decoder.decode(window, language="en", prefix=prefix, max_new_tokens=4)
    assert hyp.text.strip().rstrip(".").split()[-3:] == ["do", "for", "them"], hyp.text


def test_prompts_and_prefixes_are_encoded_as_the_model_writes_them(base_decoder: Any) -> None:
    """The resolved base tokenizer lacks GPT-2's first merge ("Ġ t"): " the" must still be one token."""
    tok = base_decoder.tokenizer("en")
    pieces = [tok.decode([t]) for t in tok.encode(" to the then there ill disposed")]
    assert pieces[:4] == [" to", " the", " then", " there"], pieces
    assert tok.decode(tok.encode(" 你好，世界。今天的商品")) == " 你好，世界。今天的商品"
