"""Varied real Mandarin (shared/data/speech/zh-more, read where it is): live captions as good as the same model offline.

Before the fixes of issue 14 the live path lost a third of what the model heard on these clips
(the committed prefix cut hypotheses short, early guesses were committed for good); the full set is
measured by benchmarks/captions_accuracy.py, this is a short sample of it.
"""

from __future__ import annotations

from typing import Any

import pytest
from captions_helpers import error_rate, load, stream

from streamkit.testing.data import zh_more_clips
from streamkit.testing.helpers import require

pytestmark = pytest.mark.slow

#: short clips the live path used to get wrong: a podcast turn, a read AISHELL sentence, an acted line
#: (live 16.2 % CER against 13.5 % offline here; before the closing pass and the long-speech cut, 30 % against 17 %
#: over all of zh-more — benchmarks/captions_accuracy.py measures every clip)
CLIPS = ("fireredtts2__chat_prompt_zh_S2", "wenet__aishell-BAC009S0724W0121", "higgs-audio__zh_man_sichuan")


def test_varied_mandarin_live_is_within_three_points_of_offline(base_decoder: Any) -> None:
    import numpy as np

    from streamkit.plugins.captions.config import CaptionsConfig
    from streamkit.plugins.captions.live import streaming_options
    from streamkit.plugins.captions.streaming import StreamingTranscriber
    from streamkit.plugins.captions.textproc import SIMPLIFIED_PROMPT, to_simplified

    clips = {c.name: c for c in zh_more_clips()}
    require(all(name in clips for name in CLIPS), "shared/data/speech/zh-more not found",
            "set STREAMKIT_DATA to the shared data folder")
    reference = live = offline = ""
    for name in CLIPS:
        clip = clips[name]
        audio = np.concatenate([load(clip.wav), np.zeros(16000, np.float32)])
        # a pass every 0.4 s of audio whatever the machine's speed (the timer never moves): the same text every run
        transcriber = StreamingTranscriber(base_decoder, streaming_options(CaptionsConfig(), "zh"), timer=lambda: 0.0)
        live += stream(transcriber, audio).revised
        segments, _ = base_decoder.transcribe_file(audio, language="zh", initial_prompt=SIMPLIFIED_PROMPT, beam_size=5,
                                                   vad_filter=False)
        offline += to_simplified("".join(s.text for s in segments))
        reference += clip.reference
    live_cer, offline_cer = error_rate(reference, live, "zh"), error_rate(reference, offline, "zh")
    print(f"live CER {live_cer:.3f} offline CER {offline_cer:.3f}\n{live}\n{offline}")
    assert live_cer <= offline_cer + 0.03, live


def test_past_a_question_the_model_says_what_follows_when_told_speech_follows(base_decoder: Any) -> None:
    """Greedy decoding whose forced prefix ends a question says only "?" although the next sentence is in
    the window (fireredtts2 S1 at 6.7 s, where the live path waited 2 s); with the end of text not allowed
    (``keep_going``) it says the next words, and no more than it was asked for."""
    from streamkit.plugins.captions.textproc import SIMPLIFIED_PROMPT, split_units

    clips = {c.name: c for c in zh_more_clips()}
    require("fireredtts2__chat_prompt_zh_S1" in clips, "shared/data/speech/zh-more not found",
            "set STREAMKIT_DATA to the shared data folder")
    window = base_decoder.encode(load(clips["fireredtts2__chat_prompt_zh_S1"].wav)[: int(6.7 * 16000)])
    ask: dict[str, Any] = {"language": "zh", "context": SIMPLIFIED_PROMPT, "prefix": "普通话的美国市场是什么样的"}
    assert not split_units(base_decoder.decode(window, **ask).text)  # "?" and the end of text
    went_on = base_decoder.decode(window, max_new_tokens=4, keep_going=True, **ask)
    assert "当然" in went_on.text and len(went_on.tokens) <= 4, went_on
