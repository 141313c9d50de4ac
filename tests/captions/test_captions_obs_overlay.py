"""Captions in the real OBS (text source, screenshot with Chinese glyphs, muted inputs, CEA-608)
and on the overlay and monitor pages in headless Chromium."""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from captions_helpers import ARTIFACTS, ZH_CLIP, captions_config, make_runtime, mandarin_audio, obs_text, write_wav

from streamkit.obs.client import ObsClient
from streamkit.overlay import OverlayServer
from streamkit.events import Caption
from streamkit.plugins.captions.live import CaptionsSession
from streamkit.plugins.captions.obs_io import Cea608Sender, MuteTracker
from streamkit.plugins.captions.processor import CaptionProcessor
from streamkit.plugins.captions.streaming import StreamingOptions
from streamkit.sources.audio import FileAudioSource

pytestmark = [pytest.mark.obs, pytest.mark.slow]
SCENE = "直播间"
TEXT_SOURCE = "字幕"


def wait_until(predicate: Any, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


def screenshot(client: Any, source: str) -> np.ndarray:
    from PIL import Image

    data = client.request("GetSourceScreenshot", {"sourceName": source, "imageFormat": "png"})["imageData"]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data.split(",", 1)[1]))).convert("RGBA"))


@pytest.fixture(scope="module")
def live_run(headless_obs: Any, base_decoder: Any, browser: Any) -> Iterator[SimpleNamespace]:
    """One captions session on the Mandarin clip, into the real OBS and the overlay, with the pages open."""
    client = ObsClient(headless_obs.url, headless_obs.password, timeout=3.0)
    client.connect(timeout=10)
    ARTIFACTS.mkdir(exist_ok=True)
    overlay = OverlayServer(port=0).start()
    cfg = captions_config(language="zh", obs_text_source=TEXT_SOURCE, layout={"clear_after": 0},
                          sources=[{"name": "guest", "kind": "file", "path": str(ZH_CLIP), "speaker": "嘉宾"}])
    runtime = make_runtime(cfg, client, realtime=True, overlay=overlay)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    overlay_page, monitor_page = context.new_page(), context.new_page()
    console: list[str] = []
    for pg in (overlay_page, monitor_page):
        pg.on("console", lambda m: console.append(m.text))
        pg.on("pageerror", lambda e: console.append(str(e)))
    captions: list[Caption] = []
    runtime.bus.subscribe(captions.append, Caption)
    try:
        session = CaptionsSession(runtime, cfg.section("captions"), decoder=base_decoder)
        runtime.start_component(session)
        overlay_page.goto(session.urls["overlay"])
        monitor_page.goto(session.urls["monitor"])
        runtime.wait_input(60)
        client.flush(5)
        shown = wait_until(lambda: "甚至出现交易" in obs_text(client, TEXT_SOURCE), 10)
        time.sleep(0.3)  # let OBS draw the last update
        text, shot = obs_text(client, TEXT_SOURCE), screenshot(client, SCENE)  # while the session runs
        overlay_page.wait_for_function("document.getElementById('box').textContent.includes('甚至出现交易')", timeout=10_000)
        overlay_page.screenshot(path=str(ARTIFACTS / "captions-overlay.png"))
        box = overlay_page.locator("#box").bounding_box()
        runtime.stop_components()
        client.flush(5)
        yield SimpleNamespace(client=client, overlay_page=overlay_page, monitor_page=monitor_page, captions=captions,
                              urls=session.urls, console=console, shown=shown, text=text, shot=shot,
                              text_after_stop=obs_text(client, TEXT_SOURCE), box=box)
    finally:
        context.close()
        overlay.stop()
        client.close(flush_timeout=0)
        headless_obs.reset()


def test_caption_appears_in_the_obs_text_source_with_chinese_glyphs(live_run: SimpleNamespace) -> None:
    finals = "".join(c.text for c in live_run.captions if c.kind == "final")
    assert "甚至出现交易" in finals
    assert live_run.shown and live_run.text.replace("\n", "") == finals
    assert live_run.text_after_stop == ""  # no stale captions once the session ends
    from PIL import Image

    shot = live_run.shot
    ARTIFACTS.mkdir(exist_ok=True)
    Image.fromarray(shot).convert("RGB").save(ARTIFACTS / "captions-obs-text.png")
    # the text source sits at (40, 560), 72 px: many bright glyph pixels there, in several separate glyphs
    band = shot[560:660, 40:1240, :3].astype(int).sum(axis=2) > 600
    assert band.sum() > 3000
    columns = np.flatnonzero(band.any(axis=0))
    gaps = np.count_nonzero(np.diff(columns) > 3)
    assert gaps >= 8, gaps  # ≥ 9 separate glyphs drawn, not one box


def test_overlay_and_monitor_pages_show_the_caption(live_run: SimpleNamespace) -> None:
    page = live_run.overlay_page
    font = page.evaluate("getComputedStyle(document.getElementById('box')).fontFamily")
    assert "Noto Sans CJK SC" in font
    assert (ARTIFACTS / "captions-overlay.png").stat().st_size > 5000  # taken while the caption was up
    assert live_run.box and live_run.box["y"] > 720 / 2  # at the bottom, as configured
    # the session ended: the overlay was cleared
    page.wait_for_function("document.getElementById('box').textContent === ''", timeout=5_000)
    monitor = live_run.monitor_page
    monitor.wait_for_function("document.getElementById('live').textContent.includes('嘉宾：甚至出现交易')", timeout=10_000)
    assert monitor.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    monitor.screenshot(path=str(ARTIFACTS / "captions-monitor.png"))


def test_no_captions_while_the_obs_input_is_muted(obs_client: ObsClient, base_decoder: Any, tmp_path: Path) -> None:
    wav = write_wav(tmp_path / "guest.wav", mandarin_audio())
    obs_client.request("CreateInput", {"sceneName": SCENE, "inputName": "嘉宾音频", "inputKind": "ffmpeg_source",
                                       "inputSettings": {"local_file": str(wav), "looping": False}})
    obs_client.request("SetInputMute", {"inputName": "嘉宾音频", "inputMuted": True})
    tracker = MuteTracker(obs_client, ["嘉宾音频"]).start()
    try:
        assert wait_until(lambda: tracker.is_muted("嘉宾音频"), 5)  # GetInputMute at start

        def run() -> list[Any]:
            processor = CaptionProcessor(base_decoder, StreamingOptions(language="zh"), source="guest",
                                         is_muted=tracker.muted_check("嘉宾音频"), realtime=False)
            out: list[Any] = []
            for chunk in FileAudioSource(wav, name="guest"):
                out += processor.process(chunk)
            return out + list(processor.flush())

        assert run() == []
        obs_client.request("SetInputMute", {"inputName": "嘉宾音频", "inputMuted": False})
        assert wait_until(lambda: not tracker.is_muted("嘉宾音频"), 5)  # InputMuteStateChanged
        assert "甚至出现交易" in "".join(c.text for c in run() if c.kind == "final")
    finally:
        tracker.stop()


def test_cea608_only_while_streaming_and_only_latin(obs_client: ObsClient) -> None:
    sender = Cea608Sender(obs_client).start()
    try:
        def cap(text: str) -> Caption:
            return Caption(kind="final", text=text, source="mic", speaker="", audio_start=0, audio_end=1,
                           emitted_at=1, language="en")

        sender.send(cap("甚至出现交易"))
        sender.send(cap("Hello there."))
        assert wait_until(lambda: sum(sender.skipped.values()) == 2, 5), sender.skipped
        assert sender.skipped == {"not Latin script (CEA-608 cannot carry Chinese characters)": 1,
                                  "OBS is not streaming": 1}
        assert sender.sent == 0
        # while streaming, OBS takes it (simulated stream state: no RTMP server here)
        sender.streaming = True
        sender.send(cap("Hello there."))
        assert wait_until(lambda: sender.sent == 1 or sender.skipped.get("OBS is not streaming", 0) == 2, 5)
    finally:
        sender.stop()
