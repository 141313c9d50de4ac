"""The quick-phrase board against a real headless OBS and the real speech model: a phrase pressed by its key
(twice, quickly) plays once into OBS's recording and is heard back; typed words are spoken and shown as a
caption line in OBS; with the speech model missing the board says so in one line with the fix."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from panel_helpers import PanelThread, check_axe, shot
from products_panel_helpers import announced

from streamkit.events import Event, SpokenPhrase
from streamkit.obs.client import ObsClient
from streamkit.sources.audio import write_wav
from streamkit.testing.helpers import wait_until

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "core"))
from speech_helpers import ENGLISH, audio_16k, error_rate, spoken_part, transcribe  # noqa: E402
from test_speech_obs import recorded_ms  # noqa: E402

pytestmark = [pytest.mark.obs, pytest.mark.browser, pytest.mark.slow]
SHOTS = Path("/work/brief/shots")
CAPTION_SOURCE = "字幕-快捷话"
TYPED = "欢迎新朋友，喜欢的点个关注"


def session_config(home: Path, obs: Any, *, speech_model: str = "") -> Path:
    """Captions of a quiet file (they keep the session running and show spoken phrases), the board's phrase."""
    path = home / "streamkit.toml"
    quiet = write_wav(home / "quiet.wav", np.zeros(16_000 * 240, dtype=np.float32))
    path.write_text(
        f'[obs]\nurl = "{obs.url}"\npassword = "{obs.password}"\n[overlay]\nport = 0\n[gestures]\nenabled = false\n'
        f'[captions]\nmodel = "tiny.en"\nlanguage = "en"\nobs_text_source = "{CAPTION_SOURCE}"\n'
        f'sources = [{{ name = "quiet", kind = "file", path = "{quiet}", speaker = "主播" }}]\n'
        f'[speech]\nheadphones = "no-such-headphones-4711"\nmodel = "{speech_model}"\n'
        f'[[speech.phrases]]\nid = "thanks"\ntext = "{ENGLISH}"\nlabel = "Thanks"\n', encoding="utf-8")
    return path


def caption_source(client: ObsClient) -> None:
    scene = client.request("GetCurrentProgramScene")["currentProgramSceneName"]
    names = {i["inputName"] for i in client.request("GetInputList")["inputs"]}
    if CAPTION_SOURCE not in names:
        client.request("CreateInput", {"sceneName": scene, "inputName": CAPTION_SOURCE, "inputKind": "text_ft2_source_v2",
                                       "inputSettings": {"text": ""}})


def start_session(panel: PanelThread) -> list[Event]:
    panel.host.controller.start(panel.host.config(), panel.host.obs())
    assert wait_until(lambda: panel.host.session() is not None, 60)
    runtime = panel.host.session()
    assert runtime is not None
    spoken: list[Event] = []
    runtime.bus.subscribe(spoken.append, SpokenPhrase)
    return spoken


def test_a_pressed_phrase_plays_once_into_the_recording_and_typed_words_are_captioned(
        obs: Any, page: Any, home: Path, base_decoder: Any) -> None:
    caption_source(obs.client)
    panel = PanelThread(home, session_config(home, obs)).start()
    try:
        spoken = start_session(panel)
        page.goto(panel.url + "/phrases")
        page.wait_for_selector(".phrase-button[data-id='thanks']:not([aria-disabled])", timeout=30_000)
        assert wait_until(lambda: obs.client.request("GetInputList", {"inputKind": "ffmpeg_source"})["inputs"], 90)
        obs.client.start_record()
        assert wait_until(lambda: recorded_ms(obs.client) > 500, 20)
        started = recorded_ms(obs.client)
        page.keyboard.press("1")
        announced(page, "正在播放：" + ENGLISH)
        page.keyboard.press("1")  # pressed again at once: not played twice
        announced(page, "刚刚播放过，没有重复播放", timeout=20_000)
        announced(page, "已播放：" + ENGLISH, timeout=90_000)
        assert [(e.text, e.destination) for e in spoken] == [(ENGLISH, "stream")]  # type: ignore[attr-defined]
        assert wait_until(lambda: recorded_ms(obs.client) > started + 4000, 30)
        path = Path(obs.client.stop_record())

        page.fill("#type-text", TYPED)
        page.keyboard.press("Enter")
        announced(page, "已播放：" + TYPED, timeout=90_000)
        assert [(e.text, e.destination) for e in spoken][1:] == [(TYPED, "stream")]  # type: ignore[attr-defined]
        caption = lambda: obs.client.request("GetInputSettings", {"inputName": CAPTION_SOURCE})["inputSettings"]["text"]  # noqa: E731
        assert wait_until(lambda: TYPED in caption(), 10), caption()
        assert page.input_value("#type-text") == ""
        page.fill("#type-text", "好" * 201)
        page.keyboard.press("Enter")
        announced(page, "要说的话太长了（201 个字，最多 200 个）")
        assert page.inner_text("#type-text-error").startswith("要说的话太长了")
        assert "type-text-error" in page.get_attribute("#type-text", "aria-describedby")
        with page.expect_response(lambda r: r.url.endswith("/phrases/api/state"), timeout=30_000):
            pass  # the page's next state poll keeps the error tied to the box (it once dropped it)
        page.wait_for_timeout(300)  # the poll's answer is applied just after it arrives
        assert "type-text-error" in page.get_attribute("#type-text", "aria-describedby")
        assert page.input_value("#type-text") == "好" * 201  # nothing typed is lost
        check_axe(page, "phrases: played during a session")
        shot(page, "phrases-session", shots=SHOTS)
    finally:
        panel.stop()
    heard = transcribe(base_decoder, spoken_part(audio_16k(path)), "en")
    print(f"\nquick phrase in OBS's recording: {heard!r}")
    assert error_rate(ENGLISH, heard, "en") <= 0.25, heard


def test_a_missing_speech_model_is_said_with_its_fix(obs: Any, page: Any, home: Path, offline: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """kokoro-zh (official files, needs internet) is not fetched here: offline, the board says what to run."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # the panel itself stays reachable
    caption_source(obs.client)
    panel = PanelThread(home, session_config(home, obs, speech_model="kokoro-zh")).start()
    try:
        start_session(panel)
        page.goto(panel.url + "/phrases")
        page.wait_for_function("document.getElementById('voice-state').textContent.includes('语音模型用不了')",
                               timeout=60_000)
        line = page.inner_text("#voice-state")
        assert "streamkit models fetch kokoro-zh" in line and "\n" not in line, line
        assert page.get_attribute(".phrase-button[data-id='thanks']", "aria-disabled") == "true"
        page.keyboard.press("1")
        announced(page, "现在不能播放：语音模型用不了")
        answer = panel.client().post("/phrases/api/say", json={"text": "大家好"})
        assert answer.status_code == 409 and "streamkit models fetch" in answer.json()["message"]
        check_axe(page, "phrases: speech model missing")
        shot(page, "phrases-no-model", shots=SHOTS)
    finally:
        panel.stop()
