"""Speech output logic without the model: clause splitting, languages, voice choice, repeats, outputs."""

from __future__ import annotations

import argparse
import threading
import wave
from pathlib import Path

import numpy as np
import pytest

from streamkit.bus import EventBus
from streamkit.events import CORE_EVENT_TYPES, EventTypes, SpokenPhrase
from streamkit.obs.dryrun import DryRunObs
from streamkit.speech import output as speech_output
from streamkit.speech.engine import SAMPLE_RATE, SpeechChunk, _split_head
from streamkit.speech.gate import PhraseGate
from streamkit.speech.text import dominant_language, language_runs, normalize_phrase, pause_after, split_clauses
from streamkit.speech.voices import SpeechError, Voice, choose_voice


# -- clauses -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, clauses", [
    ("欢迎来到直播间，三号新疆蜂蜜到手价49.9元！点击下方小黄车。",
     ["欢迎来到直播间，", "三号新疆蜂蜜到手价49.9元！", "点击下方小黄车。"]),
    ("Thanks for watching, the price is 3,000 yuan. Click below!",
     ["Thanks for watching,", "the price is 3,000 yuan.", "Click below!"]),
    ("好的、马上；稍等：", ["好的、", "马上；", "稍等："]),
    ("“太好了！”他说。", ["“太好了！”", "他说。"]),          # a closing quote stays with its clause
    ("等一下……好", ["等一下……", "好"]),
    ("  version 1.5 is out  ", ["version 1.5 is out"]),      # no cut inside a number
    ("", []),
    ("，。！", ["，。！"]),
])
def test_split_clauses_on_chinese_and_english_punctuation(text: str, clauses: list[str]) -> None:
    assert split_clauses(text) == clauses


def test_pauses_follow_the_punctuation() -> None:
    assert pause_after("点击下方小黄车。") > pause_after("欢迎来到直播间，") > pause_after("好") == 0.0
    assert pause_after("“太好了！”") == pause_after("Click below!")


def test_language_runs_keep_digits_with_their_neighbours() -> None:
    assert language_runs("3号 新疆蜂蜜") == [("zh", "3号 新疆蜂蜜")]
    assert language_runs("Show product 3") == [("en", "Show product 3")]
    assert language_runs("点击 yellow cart 下单") == [("zh", "点击"), ("en", "yellow cart"), ("zh", "下单")]
    assert language_runs("12345") == [("zh", "12345")]
    assert language_runs("12345", default="en") == [("en", "12345")]


@pytest.mark.parametrize("text, language", [
    ("欢迎来到直播间", "zh"), ("Thanks for watching", "en"), ("点击 yellow cart 下单", "zh"),
    ("Click the 小黄车 below now", "en"), ("49.9", "zh"),
])
def test_dominant_language(text: str, language: str) -> None:
    assert dominant_language(text) == language


def test_first_chunk_is_cut_at_a_word_boundary() -> None:
    head, tail = _split_head("xwa→ni↗ŋ lai↗tau↘ ꭧɨ↗pwo→ʨjɛ→n,", 20)
    assert (head, tail) == ("xwa→ni↗ŋ lai↗tau↘", "ꭧɨ↗pwo→ʨjɛ→n,")
    assert _split_head("θˈæŋks.", 20) == ("θˈæŋks.", "")                     # fits: no cut
    assert _split_head("ʨjɛ→nʨjɛ→nʨjɛ→nʨjɛ→nʨjɛ→n .", 10)[1] == ""            # nothing speakable after the cut
    assert _split_head("abcdefghijklmnopqrstuvwxyz abc", 10) == ("abcdefghijklmnopqrstuvwxyz", "abc")


# -- voices --------------------------------------------------------------------------------------

OFFICIAL = [Voice(n) for n in ("af_maple", "af_sol", "bf_vale", "zf_001", "zf_002", "zm_009")]
CARRIER = [Voice(n) for n in ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")]


def test_voice_names_say_language_and_gender() -> None:
    assert (Voice("zf_001").language, Voice("zf_001").gender) == ("zh", "female")
    assert (Voice("jm_kumo").language, Voice("jm_kumo").gender) == ("ja", "male")
    assert Voice("bf_vale").espeak_language == "en-gb" and Voice("af_sol").espeak_language == "en-us"


def test_each_language_gets_its_own_voice_when_the_model_has_one() -> None:
    assert choose_voice(OFFICIAL, "zh").name == "zf_001"
    assert choose_voice(OFFICIAL, "en").name == "af_maple"
    assert choose_voice([Voice("zm_050"), Voice("af_sol")], "zh").name == "zm_050"  # any voice of the language


def test_a_japanese_voice_stands_in_when_the_model_has_no_voice_of_the_language() -> None:
    assert choose_voice(CARRIER, "zh").name == "jf_alpha"
    assert choose_voice(CARRIER[1:], "en").name == "jf_tebukuro"


def test_an_asked_for_voice_wins_and_an_unknown_one_lists_the_voices() -> None:
    assert choose_voice(OFFICIAL, "zh", "zm_009").name == "zm_009"
    with pytest.raises(SpeechError) as err:
        choose_voice(CARRIER, "zh", "zf_001")
    assert "no voice called 'zf_001'" in str(err.value) and "jf_alpha" in str(err.value)


# -- never twice by accident ---------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_phrase_is_not_played_again_while_playing_or_within_the_window() -> None:
    clock = FakeClock()
    gate = PhraseGate(window=3.0, clock=clock)
    assert gate.admit("3号 到手价49.9元", "stream")
    assert not gate.admit("3号，到手价 49.9 元！", "stream")       # same words, other punctuation
    assert gate.admit("3号 到手价49.9元", "headphones")            # another destination is independent
    clock.now += 10                                                   # long phrase: still playing
    assert not gate.admit("3号 到手价49.9元", "stream")
    gate.finished("3号 到手价49.9元", "stream")
    assert gate.admit("3号 到手价49.9元", "stream")                 # played and the window has passed
    gate.finished("3号 到手价49.9元", "stream")
    clock.now += 1
    assert not gate.admit("3号 到手价49.9元", "stream")            # within 3 s of the last start
    assert gate.admit("3号 到手价49.9元", "stream", repeat=True)    # "say it again" on purpose
    assert not gate.admit("，。", "stream")                          # nothing to say
    assert normalize_phrase("Ｈｅｌｌｏ, World!") == "helloworld"


# -- outputs and the event -----------------------------------------------------------------------


def chunk(seconds: float, index: int = 0, last: bool = True) -> SpeechChunk:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return SpeechChunk((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), SAMPLE_RATE, "x", index, last)


def test_wav_output_writes_every_chunk(tmp_path: Path) -> None:
    out = speech_output.WavFileOutput(tmp_path / "a.wav")
    started = threading.Event()
    assert out.play([chunk(0.5, 0, False), chunk(0.25, 1)], started.set) == pytest.approx(0.75)
    assert started.is_set()
    with wave.open(str(tmp_path / "a.wav")) as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (SAMPLE_RATE, 1, 18000)
    with pytest.raises(SpeechError, match="does not exist"):
        speech_output.WavFileOutput(tmp_path / "missing" / "a.wav")


def test_no_output_device_is_one_sentence_suggesting_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speech_output, "_output_devices", lambda pa: [])
    with pytest.raises(SpeechError) as err:
        speech_output.DeviceOutput()
    assert str(err.value).startswith("no audio output device found") and "--out FILE.wav" in str(err.value)


def test_streamkit_say_without_a_device_exits_non_zero_with_the_fix(monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from streamkit.cli import main

    monkeypatch.setattr(speech_output, "_output_devices", lambda pa: [])
    assert main(["say", "你好"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no audio output device" in err[0] and "--out" in err[0]
    assert main(["say", "  "]) == 2


def test_the_stream_output_plays_a_file_through_the_obs_media_source(tmp_path: Path) -> None:
    obs = DryRunObs(out=open(tmp_path / "obs.log", "w"))  # noqa: SIM115 - closed with the test's tmp_path
    out = speech_output.ObsVoiceOutput(obs, tmp_path, end_margin=0.0)
    out.ensure()
    out.play([chunk(0.1)], lambda: None)
    plays = [d for r, d in obs.calls if r == "SetInputSettings" and d["inputName"] == speech_output.VOICE_INPUT]
    assert plays and Path(plays[-1]["inputSettings"]["local_file"]).is_file()
    first = plays[-1]["inputSettings"]["local_file"]
    out.play([chunk(0.1)], lambda: None)  # the same phrase again reuses its file
    assert [d for r, d in obs.calls if r == "SetInputSettings"][-1]["inputSettings"]["local_file"] == first
    spec = speech_output.voice_input_spec("直播间")
    assert spec["kind"] == "ffmpeg_source" and spec["settings"]["restart_on_activate"] is False


def test_spoken_phrase_is_a_recorded_event() -> None:
    e = SpokenPhrase(text="已切到近景", voice="zf_001", destination="headphones", language="zh", latency=0.31)
    assert SpokenPhrase.recorded and EventTypes(CORE_EVENT_TYPES).from_dict(e.to_dict()) == e
    bus = EventBus()
    seen: list[SpokenPhrase] = []
    bus.subscribe(seen.append, SpokenPhrase)
    bus.publish(e)
    assert seen == [e]


def test_say_parser_keeps_the_issue_names() -> None:
    from streamkit.cli import build_parser

    args = build_parser().parse_args(["say", "你好", "--voice", "jf_alpha", "--out", "a.wav"])
    assert isinstance(args, argparse.Namespace) and (args.text, args.voice, args.out) == ("你好", "jf_alpha", "a.wav")


def _chunk(i: int, seconds: float = 0.1) -> SpeechChunk:
    return SpeechChunk(np.zeros(round(seconds * SAMPLE_RATE), dtype=np.float32), SAMPLE_RATE, "x", i, last=False)


def test_chunks_are_made_while_the_one_before_plays() -> None:
    """The next chunk is made while one plays (0.5 s, like a blocking device write), not after it."""
    import time

    made_at: list[float] = []

    def chunks():
        for i in range(2):
            time.sleep(0.05)
            made_at.append(time.perf_counter())
            yield _chunk(i)

    played_until: list[float] = []
    for _chunk_made in speech_output.made_ahead(chunks()):
        time.sleep(0.5)
        played_until.append(time.perf_counter())
    assert len(played_until) == 2
    assert made_at[1] < played_until[0]  # pulled after playing, it would be made 0.05 s after


def test_an_error_while_making_is_raised_to_the_player_after_what_was_made() -> None:
    def failing():
        yield _chunk(0)
        raise SpeechError("the model stopped", "fix it")

    got = []
    with pytest.raises(SpeechError, match="the model stopped"):
        for chunk in speech_output.made_ahead(failing()):
            got.append(chunk.index)
    assert got == [0]


def test_the_maker_stops_when_the_player_does() -> None:
    made: list[int] = []

    def endless():
        i = 0
        while True:
            made.append(i)
            yield _chunk(i)
            i += 1

    ahead = speech_output.made_ahead(endless(), depth=2)
    assert next(ahead).index == 0
    ahead.close()
    count = len(made)
    threading.Event().wait(0.3)
    assert len(made) == count <= 4
