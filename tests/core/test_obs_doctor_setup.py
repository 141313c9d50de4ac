"""``streamkit obs doctor`` / ``obs setup`` against a real OBS."""

from __future__ import annotations

import argparse
import io

import pytest

from streamkit.obs.connection import ObsConnection
from streamkit.obs.doctor import doctor, run_doctor
from streamkit.obs.setup import cjk_font, input_settings, run_setup, text_kind
from streamkit.testing.headless_obs import HeadlessObs, free_port

pytestmark = pytest.mark.obs


def args(obs: HeadlessObs, password: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(url=obs.url, password=obs.password if password is None else password, config=None)


def test_doctor_all_good(headless_obs: HeadlessObs) -> None:
    report = doctor(headless_obs.url, headless_obs.password, [("scene", "直播间"), ("input", "字幕"), ("input", "商品图")])
    assert report.ok
    assert (report.obs_version, report.websocket_version) == ("29.0.2", "5.1.0")
    out = io.StringIO()
    assert run_doctor(args(headless_obs), requirements=[("scene", "暂停")], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == f"✓ connected to OBS 29.0.2 (obs-websocket 5.1.0) at {headless_obs.url}"
    assert lines[1] == "✓ scene “暂停”"


def test_doctor_reports_what_is_missing(headless_obs: HeadlessObs) -> None:
    out = io.StringIO()
    code = run_doctor(args(headless_obs), requirements=[("scene", "直播间"), ("scene", "抽奖"), ("input", "弹幕")], out=out)
    assert code == 1
    text = out.getvalue()
    assert "✓ scene “直播间”" in text
    assert "✗ scene “抽奖” — no such scene" in text
    assert "✗ input “弹幕” — no such source" in text
    assert "2 missing — create them in OBS, or run: streamkit obs setup" in text


def test_doctor_connection_problems_are_one_line(headless_obs: HeadlessObs) -> None:
    out = io.StringIO()
    assert run_doctor(args(headless_obs, password="wrong"), requirements=[], out=out) == 1
    assert out.getvalue().strip().startswith(f"✗ OBS at {headless_obs.url}: OBS at {headless_obs.url} refused the password")
    assert len(out.getvalue().strip().splitlines()) == 1
    out = io.StringIO()
    closed = argparse.Namespace(url=f"ws://127.0.0.1:{free_port()}", password="", config=None)
    assert run_doctor(closed, requirements=[], out=out) == 1
    assert "OBS isn't running or its WebSocket server is off" in out.getvalue()


def test_setup_creates_missing_scene_and_cjk_text_input(headless_obs: HeadlessObs, obs_client) -> None:
    reqs = [("scene", "抽奖"), ("input", "抽奖字幕")]
    inputs = [{"scene": "抽奖", "name": "抽奖字幕", "kind": "text", "settings": {"text": "恭喜中奖"}},
              {"scene": "直播间", "name": "字幕", "kind": "text", "settings": {}}]
    assert doctor(headless_obs.url, headless_obs.password, reqs).ok is False
    out = io.StringIO()
    assert run_setup(args(headless_obs), requirements=reqs, inputs=inputs, out=out) == 0
    text = out.getvalue()
    assert "+ created scene “抽奖”" in text
    assert "+ created input “抽奖字幕” (text_ft2_source_v2) in “抽奖”" in text
    assert "✓ already there: input “字幕” in “直播间”" in text
    assert doctor(headless_obs.url, headless_obs.password, reqs).ok
    settings = obs_client.request("GetInputSettings", {"inputName": "抽奖字幕"})
    assert settings["inputKind"] == "text_ft2_source_v2"
    assert settings["inputSettings"]["text"] == "恭喜中奖"
    assert settings["inputSettings"]["font"]["face"] == "Noto Sans CJK SC"
    out = io.StringIO()
    assert run_setup(args(headless_obs), requirements=reqs, inputs=inputs, out=out) == 0
    assert "(nothing to do)" in out.getvalue()


def test_setup_says_when_it_cannot_create_an_input(headless_obs: HeadlessObs) -> None:
    out = io.StringIO()
    assert run_setup(args(headless_obs), requirements=[("input", "神秘来源")], inputs=[], out=out) == 1
    assert "✗ input “神秘来源”: no plugin says how to create it — add it in OBS by hand" in out.getvalue()


def test_text_kind_and_font_per_platform() -> None:
    assert text_kind(None, "linux") == "text_ft2_source_v2"
    assert text_kind(None, "darwin") == "text_ft2_source_v2"
    assert text_kind(["text_gdiplus_v2", "image_source"], "win32") == "text_gdiplus_v2"
    assert text_kind(None, "win32") == "text_gdiplus_v3"
    assert (cjk_font("linux"), cjk_font("win32"), cjk_font("darwin")) == ("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC")
    assert input_settings("text", {"text": "你好", "font": {"size": 40}}, "win32")["font"] == {
        "face": "Microsoft YaHei", "size": 40, "style": "Regular", "flags": 0}
    assert input_settings("image", {"file": "a.png"}) == {"file": "a.png"}


def test_connection_keeps_obs_status_on_library_calls(headless_obs: HeadlessObs) -> None:
    """obs-websocket-py's own call() API still works, now with OBS's code and comment kept."""
    from obswebsocket import requests

    conn = ObsConnection(headless_obs.url, headless_obs.password)
    conn.connect()
    try:
        reply = conn.call(requests.GetSceneItemId(sceneName="直播间", sourceName="没有"))
        assert reply.status is False and reply.status_code == 600 and reply.comment
        assert conn.call(requests.GetCurrentProgramScene()).getCurrentProgramSceneName()
    finally:
        conn.close()
