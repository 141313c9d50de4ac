"""The speech feature: feedback from the bus's events, earcons, the countdown, no output device, quick phrases."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from voice_helpers import NamedObs

from streamkit.config import validate
from streamkit.events import CoachPrompt, Event, ObsDisconnected, SceneChanged, SpokenPhrase
from streamkit.features import PRODUCTS, SPEECH, CardOnScreen, Services
from streamkit.hooks import Plugins
from streamkit.plugins.commands.earcons import earcon, write_earcons
from streamkit.plugins.commands.events import SpeechUnavailable, VoiceCommandHeard, VoiceCommandRefused
from streamkit.overlay import OverlayServer
from streamkit.plugins.commands.feedback import VOICE_CHANNEL, Countdown, Feedback, countdown_words
from streamkit.plugins.commands.speaking import SpeechFeature, fixed_feedback, quick_phrases
from streamkit.plugins.commands.speechconfig import FeedbackKinds, SpeechConfig
from streamkit.speech import WavFileOutput
from streamkit.testing.helpers import wait_until
from streamkit.testing.runtime import test_runtime

REPO = Path(__file__).resolve().parents[2]


def feedback(**kinds: bool) -> tuple[Feedback, list[str], list[dict[str, Any]], list[str]]:
    spoken: list[str] = []
    shown: list[dict[str, Any]] = []
    tones: list[str] = []
    fb = Feedback(FeedbackKinds(**kinds), "zh-CN", say=spoken.append, show=shown.append, earcon=tones.append)
    return fb, spoken, shown, tones


def test_feedback_speaks_what_events_announce() -> None:
    fb, spoken, shown, tones = feedback()
    fb.on_event(SceneChanged(scene="近景特写"))
    fb.on_event(ObsDisconnected(url="ws://x"))
    fb.on_event(SpokenPhrase(text="欢迎", voice="v", destination="stream"))  # a seller's words: not announced
    assert spoken == ["场景：近景特写。", "OBS 连接断开了，正在重新连接。"]
    assert [s["kind"] for s in shown] == ["scene", "obs"]
    fb.on_event(VoiceCommandHeard(text="切到近景", action="scene"))
    fb.on_event(VoiceCommandRefused(text="切到游戏", action="scene", reason="no scene", answer="没有叫“游戏”的场景。"))
    assert tones == ["recognised", "not_recognised"]
    assert spoken[-1] == "没有叫“游戏”的场景。" and shown[-1]["text"] == "没有叫“游戏”的场景。"


def test_a_coach_prompt_is_shown_and_left_to_the_review_link_to_speak() -> None:
    """Spoken once, by the review link when [review] speak_prompts is on (tests/org/test_live.py), never twice."""
    fb, spoken, shown, _ = feedback()
    fb.on_event(CoachPrompt(text="语速慢一点", coach="chen", prompt_id=1))
    assert spoken == [] and shown[0]["kind"] == "coach" and shown[0]["text"] == "语速慢一点"  # labelled 教练提示 by the page


def test_feedback_kinds_switch_speech_off_but_not_the_screen() -> None:
    fb, spoken, shown, _ = feedback(scene=False)
    fb.on_event(SceneChanged(scene="暂停"))
    assert spoken == [] and shown[0]["text"] == "场景：暂停。"


def test_countdown_speaks_each_point_once() -> None:
    left: list[int | None] = [31, 30, 30, 12, 10, 5, 4, 3, 2, 1, 0, None]

    class Products:
        def on_screen(self) -> CardOnScreen | None:
            return CardOnScreen(3, "蜂蜜", left[0])

    services = Services()
    services.provide(PRODUCTS, Products())  # type: ignore[arg-type]
    spoken: list[str] = []
    countdown = Countdown(services, [30, 10, 5, 4, 3, 2, 1], "zh-CN", spoken.append)
    while left:
        countdown.tick()
        left.pop(0)
    assert spoken == ["秒杀还剩 30 秒。", "秒杀还剩 10 秒。", "5。", "4。", "3。", "2。", "1。"]
    assert countdown_words(30, "en") == "30 seconds left."


def test_earcons_are_short_and_different(tmp_path: Path) -> None:
    up, down = earcon("recognised"), earcon("not_recognised")
    assert 0.1 < up.duration < 0.25 and np.abs(up.samples).max() <= 0.31
    assert not np.allclose(up.samples, down.samples)
    files = write_earcons(tmp_path)
    assert all(p.stat().st_size < 10_000 for p in files)


class ShownOverlay(OverlayServer):
    """The overlay server, not started: keeps what each channel is sent (a page would show it)."""

    def __init__(self) -> None:
        super().__init__(port=1)
        self.shown: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def publish(self, channel: str, data: dict[str, Any]) -> None:
        self.shown[channel].append(data)


def test_no_output_device_says_so_once_and_the_session_goes_on(tmp_path: Path) -> None:
    """The real device lookup, asked for headphones no computer has: one sentence, shown; feedback stays visual."""
    config = validate({"speech": {"stream": False, "headphones": "no-such-headphones-4711"}}, "<test>")
    overlay = ShownOverlay()
    runtime = test_runtime(config, NamedObs(), home=tmp_path, overlay=overlay)
    events: list[Event] = []
    runtime.bus.subscribe(events.append)
    feature = SpeechFeature(runtime, config.section("speech"), phrases=[])
    shown = overlay.shown[VOICE_CHANNEL]
    runtime.start_component(feature)
    try:
        unavailable = [e for e in events if isinstance(e, SpeechUnavailable)]
        assert feature.headphones is None and len(unavailable) == 1
        reason = unavailable[0].reason
        assert "语音反馈只在屏幕上显示" in reason and "[speech] headphones" in reason and "\n" not in reason
        assert feature.status().state == "running" and feature.status().last_error == reason
        assert [s["text"] for s in shown] == [reason]  # the sentence itself is on screen
        runtime.bus.publish(SceneChanged(scene="暂停"))  # still shown (nothing to speak it)
        assert shown[-1]["text"] == "场景：暂停。" and feature.feedback is not None and feature.feedback.spoken == 0
    finally:
        runtime.stop_components()


def test_missing_speech_model_in_a_session_is_one_line_with_the_fix(tmp_path: Path, offline: None,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """No Kokoro files and no way to fetch them: one line naming `streamkit models fetch`, shown; the session goes on."""
    from streamkit import models

    monkeypatch.setenv(models.MODELS_DIR_ENV, str(tmp_path / "empty-cache"))
    config = validate({"speech": {"stream": False, "language": "en"}}, "<test>")
    runtime = test_runtime(config, NamedObs(), home=tmp_path)
    events: list[Event] = []
    runtime.bus.subscribe(events.append, SpeechUnavailable)
    feature = SpeechFeature(runtime, config.section("speech"), phrases=[],
                            headphones=lambda: WavFileOutput(tmp_path / "headphones.wav"))
    runtime.start_component(feature)
    try:
        assert wait_until(lambda: events, 30)
        line = events[0].reason
        assert "\n" not in line and "streamkit models fetch kokoro-ja" in line, line
        assert feature.status().last_error == line and feature.status().state == "running"
    finally:
        runtime.stop_components()
    assert len(events) == 1


def test_quick_phrases_come_from_the_config_then_the_catalog() -> None:
    config = validate({"products": {"catalog": str(REPO / "samples" / "catalog.csv")},
                       "speech": {"phrases": [{"id": "welcome", "text": "欢迎来到直播间", "label": "欢迎"}]}},
                      "<test>", plugins=Plugins.installed())
    phrases = quick_phrases(config)
    assert phrases[0].id == "welcome" and phrases[0].title == "欢迎"
    assert phrases[1].id == "product-1" and phrases[1].text.endswith("元，点击下方小黄车")
    assert "3号 重庆小面，到手价19.9元，点击下方小黄车" in [p.text for p in phrases]
    config = validate({"speech": {"catalog_phrases": False}}, "<test>", plugins=Plugins.installed())
    assert quick_phrases(config) == []


def test_bad_phrases_are_refused_in_one_sentence() -> None:
    with pytest.raises(Exception, match="letters, digits"):
        SpeechConfig.model_validate({"phrases": [{"id": "欢迎 1", "text": "hi"}]})
    with pytest.raises(Exception, match="used twice"):
        SpeechConfig.model_validate({"phrases": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]})


def test_fixed_feedback_covers_the_confirmation_prompts() -> None:
    words = fixed_feedback("zh-CN", [30, 10])
    assert "要开始录制吗？5 秒内说“确认”，或说“取消”。" in words and "秒杀还剩 30 秒。" in words


@pytest.mark.slow
def test_spoken_feedback_is_heard_in_the_headphones(tmp_path: Path, base_decoder: Any) -> None:
    """The real engine speaks a scene switch into a WAV "headphones"; Whisper hears it back."""
    from voice_helpers import audio_16k, transcribe

    config = validate({"speech": {"stream": False, "language": "en", "prepare": False}}, "<test>")
    runtime = test_runtime(config, NamedObs(), home=tmp_path)
    wav = tmp_path / "headphones.wav"
    spoken: list[SpokenPhrase] = []
    runtime.bus.subscribe(spoken.append, SpokenPhrase)
    feature = SpeechFeature(runtime, config.section("speech"), phrases=[], headphones=lambda: WavFileOutput(wav))
    runtime.start_component(feature)
    runtime.services.provide(SPEECH, feature)
    runtime.bus.publish(SceneChanged(scene="Close-up"))
    assert wait_until(lambda: spoken and wav.exists(), 120)
    runtime.stop_components()
    heard = transcribe(base_decoder, audio_16k(wav), "en").lower()
    assert "close up" in heard.replace("-", " "), heard  # "Scene" alone is often heard as "cena"
    assert spoken[0].destination == "file" and spoken[0].text == "Scene: Close-up."  # a WAV stands in for headphones


@pytest.mark.parametrize("fast_start", [True, False])
def test_fast_start_chooses_how_phrases_are_made(tmp_path: Path, fast_start: bool) -> None:
    """``[speech] fast_start``: decoded in windows (speech starts sooner) or each phrase made whole."""
    config = validate({"speech": {"stream": False, "fast_start": fast_start}}, "<test>")
    feature = SpeechFeature(test_runtime(config, NamedObs(), home=tmp_path), config.section("speech"), phrases=[])
    engine = feature._default_engine()
    assert engine.streaming is fast_start
    chunks = list(engine.stream("已切换到近景特写，录制正在进行。"))
    assert chunks[-1].last and sum(c.duration for c in chunks) > 1.0
