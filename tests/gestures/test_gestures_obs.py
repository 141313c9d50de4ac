"""Against the real headless OBS: a smile in a video switches the scene; doctor finds a missing scene."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from gesture_helpers import FACES

from streamkit.testing.web import PATIENT

from streamkit.cli import main
from streamkit.config import CORE_SECTIONS, validate
from streamkit.hooks import Plugins
from streamkit.runtime import finish_session, start_session
from streamkit.session import SessionStore, read_events

pytestmark = [pytest.mark.obs, pytest.mark.slow]


def gestures_only() -> Plugins:
    import streamkit.plugins.gestures as gestures

    return Plugins.of(gestures)


def sse_first_message(url: str, timeout: float = 5.0) -> dict[str, Any]:
    with httpx.stream("GET", url, timeout=timeout) as response:
        for line in response.iter_lines():
            if line.startswith("data: "):
                return json.loads(line.removeprefix("data: "))
    raise AssertionError("no SSE message")


def test_smile_in_video_switches_the_obs_scene(obs_client: Any, tmp_path: Path, model_bytes_loaded: None) -> None:
    from streamkit.plugins.gestures.config import GesturesConfig

    config = validate({
        "obs": {"main_scene": "直播间"},
        "overlay": {"enabled": True, "port": 0},
        "gestures": {"source": "video", "video": str(FACES / "single_face.mp4"),
                     "bindings": [{"gestures": ["smile"], "action": "scene", "scene": "商品特写"}]},
    }, "test.toml", {**CORE_SECTIONS, "gestures": GesturesConfig})
    assert obs_client.flush(5)
    runtime = start_session(config, obs_client, gestures_only(), store=SessionStore(tmp_path), realtime=True)
    try:
        assert obs_client.flush(5)
        assert obs_client.request("GetCurrentProgramScene")["currentProgramSceneName"] == "直播间"
        runtime.wait_input(30)
        overlay = runtime.overlay
        assert overlay is not None
        page = httpx.get(overlay.url("/gestures"), timeout=PATIENT)
        message = sse_first_message(overlay.url("/events/gestures"))
    finally:
        session = finish_session(runtime)
    assert obs_client.flush(5)
    deadline = time.monotonic() + 3
    scene = ""
    while time.monotonic() < deadline and scene != "商品特写":
        scene = obs_client.request("GetCurrentProgramScene")["currentProgramSceneName"]
        time.sleep(0.05)
    assert scene == "商品特写"
    events, problems = read_events(session.events_path)
    assert problems == []
    fired = [e for e in events if e.type == "GestureTriggered"]
    assert [(e.gesture, e.target) for e in fired] == [("smile", "商品特写")]  # type: ignore[attr-defined]
    assert any(e.type == "GestureDetected" for e in events)
    summary = json.loads((session.dir / "gestures.json").read_text(encoding="utf-8"))
    assert summary["triggered"] == {"smile → scene 商品特写": 1} and summary["frames"] > 30
    assert page.status_code == 200 and "EventSource" in page.text
    assert message["bindings"][0]["target"] == "商品特写" and "face" in message["tracking"]


def test_doctor_reports_a_gesture_bound_to_a_missing_scene(headless_obs: Any, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    if not headless_obs.running:
        headless_obs.start()
    config = tmp_path / "streamkit.toml"
    config.write_text(
        '[gestures]\nsource = "video"\nvideo = "x.mp4"\n\n'
        '[[gestures.bindings]]\ngestures = ["smile"]\naction = "scene"\nscene = "直播间"\n\n'
        '[[gestures.bindings]]\ngestures = ["call"]\naction = "scene"\nscene = "没有这个场景"\n\n'
        '[[gestures.bindings]]\ngestures = ["rock"]\naction = "show_source"\nscene = "直播间"\nsource = "没有这个源"\n',
        encoding="utf-8")
    code = main(["obs", "doctor", "--url", headless_obs.url, f"--password={headless_obs.password}", "--config", str(config)])
    out = capsys.readouterr().out
    assert code == 1
    assert "没有这个场景" in out and "没有这个源" in out
    missing = [ln for ln in out.splitlines() if "没有这个场景" in ln or "没有这个源" in ln]
    assert all("no such" in ln for ln in missing)


def test_calibrate_from_obs_source_screenshots(obs_client: Any, headless_obs: Any, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str], model_bytes_loaded: None) -> None:
    """The camera OBS already owns: calibrate from screenshots of an OBS source showing a face."""
    import cv2

    from streamkit.sources.video import VideoFileSource

    still = tmp_path / "face.png"
    frame = next(ev for i, ev in enumerate(VideoFileSource(FACES / "single_face.mp4")) if i == 10)
    cv2.imwrite(str(still), frame.image)
    obs_client.request("CreateScene", {"sceneName": "手势测试"})
    obs_client.request("CreateInput", {"sceneName": "手势测试", "inputName": "摄像头", "inputKind": "image_source",
                                       "inputSettings": {"file": str(still)}})
    neutral = tmp_path / "neutral.json"
    code = main(["gestures", "calibrate", "--obs-source", "摄像头", "--url", headless_obs.url,
                 f"--password={headless_obs.password}", "--seconds", "0.5", "--watch", "0.5", "--neutral", str(neutral)])
    out = capsys.readouterr().out
    assert code == 0, out
    saved = json.loads(neutral.read_text())
    assert saved["scores"]["smile"] < 0.1 and abs(saved["roll"]) < 10
    assert "neutral face saved" in out


def test_smile_mutes_a_real_obs_audio_input(obs_client: Any, tmp_path: Path, model_bytes_loaded: None) -> None:
    from streamkit.plugins.gestures.config import GesturesConfig

    obs_client.request("CreateInput", {"sceneName": "直播间", "inputName": "麦克风", "inputKind": "pulse_input_capture",
                                       "inputSettings": {}})
    assert obs_client.request("GetInputMute", {"inputName": "麦克风"})["inputMuted"] is False
    config = validate({
        "overlay": {"enabled": False},
        "gestures": {"source": "video", "video": str(FACES / "single_face.mp4"),
                     "bindings": [{"gestures": ["smile"], "action": "mute", "source": "麦克风"}]},
    }, "test.toml", {**CORE_SECTIONS, "gestures": GesturesConfig})
    runtime = start_session(config, obs_client, gestures_only(), store=SessionStore(tmp_path))
    try:
        runtime.wait_input(30)
    finally:
        session = finish_session(runtime)
    assert obs_client.flush(5)
    assert obs_client.request("GetInputMute", {"inputName": "麦克风"})["inputMuted"] is True
    events, _ = read_events(session.events_path)
    assert [(e.gesture, e.action, e.target) for e in events if e.type == "GestureTriggered"] == [  # type: ignore[attr-defined]
        ("smile", "mute", "麦克风")]
