"""Voice control's own logic on a stand-in OBS: what is carried out, refused, confirmed, and answered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from voice_helpers import NamedObs, said

from streamkit.config import validate
from streamkit.events import Event
from streamkit.features import GESTURES, PRODUCTS, CardOnScreen
from streamkit.commands import Command, CommandAction
from streamkit.events import Caption
from streamkit.plugins.commands.confirmation import RECOGNITION_ALLOWANCE, Pending, SaidAt
from streamkit.plugins.commands.control import DetectorSettings, VoiceControl
from streamkit.plugins.commands.events import (
    VoiceCommandCancelled,
    VoiceCommandConfirmed,
    VoiceCommandDone,
    VoiceCommandHeard,
    VoiceCommandRefused,
    VoiceConfirmationRequested,
)
from streamkit.testing.helpers import wait_until
from streamkit.testing.runtime import test_runtime


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


class Gestures:
    def __init__(self) -> None:
        self.paused = False

    def pause(self, reason: str = "") -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False


class Products:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def show(self, serial: int, trigger: str = "gesture") -> bool:
        self.calls.append(("show", serial))
        return serial < 20

    def hide(self, reason: str = "gesture") -> bool:
        self.calls.append(("hide", reason))
        return True

    def next(self, trigger: str = "gesture") -> bool:
        return True

    def previous(self, trigger: str = "gesture") -> bool:
        return True

    def flash_sale(self, seconds: int | None = None, trigger: str = "gesture") -> bool:
        self.calls.append(("flash_sale", seconds))
        return True

    def hotwords(self, language: str | None = None) -> list[str]:
        return []

    def on_screen(self) -> CardOnScreen | None:
        return CardOnScreen(3, "新疆蜂蜜") if self.calls else None

    def product_names(self):  # type: ignore[no-untyped-def]
        from streamkit.commands import ProductNames

        return (ProductNames(3, ("新疆蜂蜜", "蜂蜜")), ProductNames(7, ("保温杯",)))


@pytest.fixture
def voice(tmp_path) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    config = validate({"commands": {"aliases": {"近景": "近景特写"}, "confirm_seconds": 5}}, "<test>")
    obs = NamedObs()
    runtime = test_runtime(config, obs, home=tmp_path)
    events: list[Event] = []
    runtime.bus.subscribe(events.append)
    products, gestures = Products(), Gestures()
    runtime.services.provide(PRODUCTS, products)
    runtime.services.provide(GESTURES, gestures)
    clock = Clock()
    control = VoiceControl(runtime, config.section("commands"), DetectorSettings(), now=clock)
    runtime.start_component(control)
    assert wait_until(lambda: control.obs_state.snapshot.known, 5)
    counter = iter(range(1, 10_000))

    def say(text: str, audio: tuple[float, float] = (0.0, 1.0)) -> list[Event]:
        start = len(events)
        for caption in said(text, next(counter), audio=audio):
            runtime.bus.publish(caption)
        return [e for e in events[start:] if type(e).__module__.endswith("commands.events")]

    yield type("V", (), {"say": staticmethod(say), "obs": obs, "events": events, "clock": clock,
                         "products": products, "gestures": gestures, "control": control, "runtime": runtime})
    runtime.stop_components()


def kinds(events: list[Event]) -> list[str]:
    return [type(e).__name__ for e in events]


def test_scene_by_part_of_its_name_and_alias(voice) -> None:  # type: ignore[no-untyped-def]
    out = voice.say("切到近景")
    assert kinds(out) == ["VoiceCommandHeard", "VoiceCommandDone"]
    assert voice.obs.calls[-1] == ("SetCurrentProgramScene", {"sceneName": "近景特写"})
    voice.say("回到直播间")
    assert voice.obs.calls[-1] == ("SetCurrentProgramScene", {"sceneName": "直播间"})


def test_unknown_scene_is_answered_with_the_scenes(voice) -> None:  # type: ignore[no-untyped-def]
    out = voice.say("切换场景到游戏")
    refused = [e for e in out if isinstance(e, VoiceCommandRefused)]
    assert refused and refused[0].answer == "没有叫“游戏”的场景。场景有：直播间、近景特写、暂停。"
    assert refused[0].announce("zh-CN") == refused[0].answer
    out = voice.say("switch to the gaming scene")
    answer = [e for e in out if isinstance(e, VoiceCommandRefused)][0].answer
    assert answer.startswith("No scene called") and "the scenes are 直播间, 近景特写 and 暂停" in answer


def test_mute_the_microphone_and_hide_a_source(voice) -> None:  # type: ignore[no-untyped-def]
    out = voice.say("关麦")
    assert ("SetInputMute", {"inputName": "麦克风/Aux", "inputMuted": True}) in voice.obs.calls
    assert [e.answer for e in out if isinstance(e, VoiceCommandDone)] == ["已静音：麦克风/Aux。"]
    voice.say("把二维码收起来")
    assert voice.obs.calls[-1][0] == "SetSceneItemEnabled"


def test_recording_waits_for_confirm(voice) -> None:  # type: ignore[no-untyped-def]
    out = voice.say("开始录制")
    assert kinds(out) == ["VoiceCommandHeard", "VoiceConfirmationRequested"]
    assert "5 秒内说“确认”" in out[-1].answer
    assert not any(c[0] == "StartRecord" for c in voice.obs.calls)
    out = voice.say("确认")
    assert "VoiceCommandConfirmed" in kinds(out)
    assert wait_until(lambda: any(c[0] == "StartRecord" for c in voice.obs.calls), 5)


def test_cancel_timeout_and_other_words_drop_the_command(voice) -> None:  # type: ignore[no-untyped-def]
    voice.say("开始录制")
    out = voice.say("取消")
    assert [(e.action, e.reason) for e in out if isinstance(e, VoiceCommandCancelled)] == [("record_start", "cancel")]
    voice.say("start recording")
    voice.clock.t += 5 + RECOGNITION_ALLOWANCE + 0.1  # silence: no caption shows the audio passing the window
    assert wait_until(lambda: any(isinstance(e, VoiceCommandCancelled) and e.reason == "timeout" for e in voice.events), 5)
    voice.say("开始直播")
    out = voice.say("大家好，欢迎来到直播间")
    assert [(e.action, e.reason) for e in out if isinstance(e, VoiceCommandCancelled)] == [("stream_start", "other")]
    voice.say("确认")  # nothing waits now: nothing happens
    assert not any(c[0] in ("StartRecord", "StartStream") for c in voice.obs.calls)
    assert not any(isinstance(e, VoiceCommandConfirmed) for e in voice.events)


# -- the confirmation window, counted in the streamer's audio time (asked at audio 10–11 s: said by 16 s) --

def cancelled(events: list[Event]) -> list[str]:
    return [e.reason for e in events if isinstance(e, VoiceCommandCancelled)]


def started_recording(voice) -> bool:  # type: ignore[no-untyped-def]
    return any(c[0] == "StartRecord" for c in voice.obs.calls)


def test_a_confirm_said_in_time_counts_however_late_it_is_heard(voice) -> None:  # type: ignore[no-untyped-def]
    voice.say("start recording", audio=(10.0, 11.0))
    voice.clock.t += 8  # recognition lags: "confirm", said 2 s after the question, is heard 8 s after it
    out = voice.say("confirm", audio=(13.0, 13.6))
    assert "VoiceCommandConfirmed" in kinds(out) and not cancelled(voice.events)
    assert wait_until(lambda: started_recording(voice), 5)


def test_a_confirm_said_after_the_window_is_refused(voice) -> None:  # type: ignore[no-untyped-def]
    voice.say("start recording", audio=(10.0, 11.0))
    voice.clock.t += 2  # heard quickly, but said 5.5 s after the question
    out = voice.say("confirm", audio=(16.5, 17.0))
    assert cancelled(out) == ["timeout"] and "VoiceCommandConfirmed" not in kinds(out)
    assert cancelled(out) == cancelled(voice.events)
    assert not started_recording(voice)


def test_a_confirm_whose_utterance_began_in_the_window_counts(voice) -> None:  # type: ignore[no-untyped-def]
    """The closing caption of the confirming utterance starts after the window: its utterance did not."""
    voice.say("start recording", audio=(10.0, 11.0))
    common = dict(source="mic", speaker="主播", language="en", utterance=500)
    voice.runtime.bus.publish(Caption(kind="final", text="confirm", audio_start=15.5, audio_end=16.0,
                                      emitted_at=16.2, **common))
    voice.runtime.bus.publish(Caption(kind="final", text="", audio_start=16.8, audio_end=16.8, emitted_at=17.0,
                                      utterance_end=True, **common))
    assert any(isinstance(e, VoiceCommandConfirmed) for e in voice.events) and not cancelled(voice.events)


def test_later_speech_closes_the_window(voice) -> None:  # type: ignore[no-untyped-def]
    voice.say("start recording", audio=(10.0, 11.0))
    voice.clock.t += 1
    voice.runtime.bus.publish(Caption(kind="partial", text="嗯", source="mic", speaker="主播", audio_start=16.2,
                                      audio_end=16.5, emitted_at=16.6, language="zh", utterance=501))
    assert cancelled(voice.events) == ["timeout"]  # at once, not when the wall clock runs out
    voice.say("confirm", audio=(13.0, 13.6))  # another source's words, or late ones: nothing waits now
    assert not started_recording(voice)


def test_the_window_closes_in_silence_after_the_recognition_allowance(voice) -> None:  # type: ignore[no-untyped-def]
    voice.say("start recording", audio=(10.0, 11.0))
    voice.clock.t += 5 + RECOGNITION_ALLOWANCE + 0.1
    assert wait_until(lambda: cancelled(voice.events) == ["timeout"], 5)
    voice.say("confirm", audio=(13.0, 13.6))  # later than any allowed lag: not carried out
    assert not started_recording(voice)


def test_a_command_without_audio_times_keeps_the_wall_clock(voice) -> None:  # type: ignore[no-untyped-def]
    voice.control.carry_out(Command(CommandAction.RECORD_START), "", "en")  # e.g. from the panel
    voice.clock.t += 5.1
    assert wait_until(lambda: cancelled(voice.events) == ["timeout"], 5)


def test_when_a_pending_command_may_still_be_answered() -> None:
    asked = SaidAt("mic", 10.0, 11.0)
    spoken = Pending(Command(CommandAction.STREAM_START), 5.0, 100.0, ("mic", 1), "en", asked_by=asked)
    assert spoken.in_time(SaidAt("mic", 16.0, 16.5), now=109.0)  # said at the last moment, heard late
    assert not spoken.in_time(SaidAt("mic", 16.1, 16.5), now=101.0)
    assert spoken.passed_by(SaidAt("mic", 16.1, 16.5)) and not spoken.passed_by(SaidAt("guest", 30.0, 31.0))
    assert spoken.in_time(SaidAt("guest", 30.0, 31.0), now=109.0)  # another source's audio clock: wall + lag
    assert spoken.expires_at == 105.0 + RECOGNITION_ALLOWANCE
    assert spoken.in_time(None, now=104.9) and not spoken.in_time(None, now=105.0)  # typed: no lag to allow
    typed = Pending(Command(CommandAction.STREAM_START), 5.0, 100.0, ("", 0), "en")
    assert typed.expires_at == 105.0 and not typed.passed_by(SaidAt("mic", 99.0, 99.5))
    assert not typed.in_time(SaidAt("mic", 1.0, 1.5), now=105.0)


def test_products_gestures_and_status(voice) -> None:  # type: ignore[no-untyped-def]
    voice.say("把蜂蜜挂上来")
    assert voice.products.calls == [("show", 3)]
    voice.say("暂停手势")
    assert voice.gestures.paused
    out = voice.say("播报状态")
    answer = [e.answer for e in out if isinstance(e, VoiceCommandDone)][0]
    assert answer.startswith("当前场景：直播间。没有静音的声音。没有录制。商品卡：3号 新疆蜂蜜。")
    assert answer.endswith("手势已暂停。")


def test_talk_does_not_fire(voice) -> None:  # type: ignore[no-untyped-def]
    for text in ("这个近景看得很清楚吧", "刚才我把麦克风静音了", "开始录制了吗？", "we started streaming at eight"):
        assert voice.say(text) == [], text
    assert all(c[0].startswith("Get") for c in voice.obs.calls) or voice.obs.calls == []


def test_heard_events_reach_the_session_log(voice) -> None:  # type: ignore[no-untyped-def]
    voice.say("切到近景")
    heard = [e for e in voice.events if isinstance(e, VoiceCommandHeard)]
    assert heard[0].action == "scene" and heard[0].target == "近景特写" and heard[0].text == "切到近景"
    assert any(isinstance(e, VoiceConfirmationRequested) for e in voice.say("停止录制"))
