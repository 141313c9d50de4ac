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
