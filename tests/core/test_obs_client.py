"""ObsClient against a real headless OBS 29 / obs-websocket 5.1: scenes, text, visibility, recording, errors."""

from __future__ import annotations

import base64
import io
import threading
import time

import numpy as np
import pytest
from PIL import Image

from streamkit.bus import EventBus
from streamkit.events import Event, ObsActionFailed, RecordingStarted, RecordingStopped, SceneChanged, SourceVisibilityChanged
from streamkit.obs import ObsClient, ObsEvent, ObsRequestError, ObsSink
from streamkit.testing.headless_obs import CJK_FONT
from streamkit.testing.helpers import has_font, require, wait_until

pytestmark = pytest.mark.obs


def screenshot(client: ObsClient, source: str) -> np.ndarray:
    """What OBS renders for ``source``, as an RGBA array."""
    data = client.request("GetSourceScreenshot", {"sourceName": source, "imageFormat": "png"})["imageData"]
    png = base64.b64decode(data.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_is_an_obs_sink(obs_client: ObsClient) -> None:
    assert isinstance(obs_client, ObsSink)
    assert obs_client.connected
    assert obs_client.obs_version.startswith("29.") or obs_client.obs_version
    assert obs_client.websocket_version.startswith("5.")


def test_set_scene_switches_with_cut_and_reports_it(headless_obs, obs_client: ObsClient) -> None:
    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append, SceneChanged)
    client = ObsClient(headless_obs.url, headless_obs.password, bus=bus)
    try:
        client.connect()
        assert client.request("GetCurrentSceneTransition")["transitionName"] == "Cut"
        client.set_scene("商品特写")
        assert wait_until(lambda: client.request("GetCurrentProgramScene")["currentProgramSceneName"] == "商品特写", 2)
        assert wait_until(lambda: SceneChanged in {type(e) for e in seen}, 2)
        assert [e.scene for e in seen] == ["商品特写"]
        client.set_scene("暂停")
        client.set_scene("直播间")  # rapid changes: the last one wins
        assert client.flush()
        assert wait_until(lambda: client.request("GetCurrentProgramScene")["currentProgramSceneName"] == "直播间", 2)
    finally:
        client.close()


def test_chinese_text_is_rendered_as_glyphs(obs_client: ObsClient, artifacts_dir) -> None:
    require(has_font(CJK_FONT), f"font {CJK_FONT} not installed", "run: apt-get install fonts-noto-cjk")
    region = (slice(540, 720), slice(0, 840))  # the text source sits at (40, 560), 72 px high

    def ink_in_text_area() -> np.ndarray:
        return screenshot(obs_client, "直播间")[region][..., 3] > 128

    obs_client.set_text("字幕", "")
    assert obs_client.flush()
    assert wait_until(lambda: ink_in_text_area().sum() == 0, 2), "the text area should be empty without text"
    text = "上链接三号特价"
    obs_client.set_text("字幕", text)
    assert obs_client.flush()
    assert obs_client.request("GetInputSettings", {"inputName": "字幕"})["inputSettings"]["text"] == text
    assert wait_until(lambda: ink_in_text_area().sum() > 5000, 2), "the text area is blank: OBS drew no glyphs"
    shot = screenshot(obs_client, "直播间")
    viewable = Image.new("RGBA", (shot.shape[1], shot.shape[0]), (40, 40, 40, 255))
    viewable.alpha_composite(Image.fromarray(shot))
    viewable.convert("RGB").save(artifacts_dir / "obs_chinese_text.png")
    ink = shot[region][..., 3] > 128
    cols = np.flatnonzero(ink.any(axis=0))
    width = cols[-1] - cols[0] + 1
    assert 0.8 * 72 * len(text) < width < 1.25 * 72 * len(text), f"text is {width} px wide"
    # Missing glyphs come out as identical boxes; real Chinese glyphs all differ from one another.
    cell = width / len(text)
    cells = [ink[:, cols[0] + int(i * cell): cols[0] + int(i * cell) + int(cell) - 2] for i in range(len(text))]
    for i in range(len(cells)):
        for j in range(i + 1, len(cells)):
            differ = (cells[i] != cells[j]).mean()
            assert differ > 0.05, f"glyphs {text[i]} and {text[j]} look the same (boxes?)"


def test_show_and_hide_a_source(headless_obs, obs_client: ObsClient) -> None:
    bus = EventBus()
    seen: list[SourceVisibilityChanged] = []
    bus.subscribe(seen.append, SourceVisibilityChanged)
    client = ObsClient(headless_obs.url, headless_obs.password, bus=bus)
    try:
        client.connect()
        item_id = client.request("GetSceneItemId", {"sceneName": "商品特写", "sourceName": "商品卡"})["sceneItemId"]

        def enabled() -> bool:
            return client.request("GetSceneItemEnabled", {"sceneName": "商品特写", "sceneItemId": item_id})["sceneItemEnabled"]

        assert enabled() is False
        client.set_item_visible("商品特写", "商品卡", True)
        assert client.flush()
        assert enabled() is True
        client.set_item_visible("商品特写", "商品卡", False)
        assert client.flush()
        assert enabled() is False
        assert wait_until(lambda: len(seen) >= 2, 2)
        assert [(e.scene, e.source, e.visible) for e in seen] == [("商品特写", "商品卡", True), ("商品特写", "商品卡", False)]
    finally:
        client.close()


def test_recording_writes_a_playable_file(headless_obs, obs_client: ObsClient) -> None:
    import av

    bus = EventBus()
    seen: list[Event] = []
    bus.subscribe(seen.append, RecordingStarted, RecordingStopped)
    client = ObsClient(headless_obs.url, headless_obs.password, bus=bus)
    try:
        client.connect()
        client.start_record()
        assert wait_until(lambda: client.request("GetRecordStatus")["outputActive"], 5)
        time.sleep(1.5)
        path = client.stop_record()
    finally:
        client.close()
    assert path.endswith(".mkv") and path.startswith(str(headless_obs.recordings))
    from pathlib import Path

    assert Path(path).stat().st_size > 1000
    with av.open(path) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames >= 5, f"{frames} video frames in 1.5 s at 10 fps"
    assert wait_until(lambda: len(seen) == 2, 3)
    assert isinstance(seen[0], RecordingStarted) and isinstance(seen[1], RecordingStopped)
    assert seen[1].output_path == path


def test_failed_request_carries_obs_code_and_comment(obs_client: ObsClient) -> None:
    with pytest.raises(ObsRequestError) as info:
        obs_client.request("SetCurrentProgramScene", {"sceneName": "没有这个场景"})
    err = info.value
    assert err.code == 600 and err.code_name == "ResourceNotFound"
    assert "没有这个场景" in err.comment
    assert err.request_type == "SetCurrentProgramScene"
    assert "\n" not in str(err) and "600 ResourceNotFound" in str(err)
    with pytest.raises(ObsRequestError) as info:
        obs_client.request("StopRecord")
    assert info.value.code == 501  # OutputNotRunning
    with pytest.raises(ObsRequestError) as info:
        obs_client.request("NoSuchRequest")
    assert info.value.code == 204  # UnknownRequestType


def test_target_state_failure_is_published_not_raised(headless_obs, obs_client: ObsClient) -> None:
    bus = EventBus()
    failures: list[ObsActionFailed] = []
    bus.subscribe(failures.append, ObsActionFailed)
    client = ObsClient(headless_obs.url, headless_obs.password, bus=bus)
    try:
        client.connect()
        client.set_scene("没有这个场景")
        client.set_item_visible("直播间", "没有这个来源", True)
        client.set_text("没有这个文字", "你好")
        client.flush()
        assert wait_until(lambda: len(failures) == 3, 2)
        assert {(f.request, f.code) for f in failures} == {
            ("SetCurrentProgramScene", 600), ("GetSceneItemId", 600), ("SetInputSettings", 600)}
        assert client.connected
    finally:
        client.close()


def test_event_callback_may_call_obs(obs_client: ObsClient) -> None:
    answers: list[str] = []
    done = threading.Event()

    def on_scene(event: ObsEvent) -> None:  # runs on the dispatcher thread, not the receive thread
        answers.append(obs_client.request("GetCurrentProgramScene")["currentProgramSceneName"])
        done.set()

    obs_client.on_event(on_scene, "CurrentProgramSceneChanged")
    start = time.monotonic()
    obs_client.set_scene("暂停")
    assert done.wait(3)
    assert time.monotonic() - start < 1.0
    assert answers == ["暂停"]


def test_set_input_settings_merges_with_earlier_settings(obs_client: ObsClient) -> None:
    obs_client.set_input_settings("字幕", {"text": "第一句"})
    obs_client.set_input_settings("字幕", {"color1": 0xFF00FFFF})
    assert obs_client.flush()
    settings = obs_client.request("GetInputSettings", {"inputName": "字幕"})["inputSettings"]
    assert settings["text"] == "第一句" and settings["color1"] == 0xFF00FFFF
    assert obs_client.target_state()["settings"]["字幕"] == {"text": "第一句", "color1": 0xFF00FFFF}


def test_set_input_muted_mutes_an_audio_input(obs_client: ObsClient) -> None:
    """A real audio input (PulseAudio capture) is muted and unmuted as target state."""
    obs_client.request("CreateInput", {"sceneName": "直播间", "inputName": "麦克风", "inputKind": "pulse_input_capture",
                                       "inputSettings": {}})
    obs_client.set_input_muted("麦克风", True)
    assert obs_client.flush()
    assert obs_client.request("GetInputMute", {"inputName": "麦克风"})["inputMuted"] is True
    obs_client.set_input_muted("麦克风", False)
    assert obs_client.flush()
    assert obs_client.request("GetInputMute", {"inputName": "麦克风"})["inputMuted"] is False
    assert obs_client.target_state()["muted"] == {"麦克风": False}
