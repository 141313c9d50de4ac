"""The /gestures overlay page in headless Chromium, fed over SSE with what a real replay saw."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gesture_helpers import FACES, require

from streamkit.overlay import OverlayServer
from streamkit.plugins.gestures.config import GesturesConfig
from streamkit.plugins.gestures.feedback import CHANNEL, PAGE, OverlayFeedback, overlay_html

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def chromium(browser: Any) -> Any:
    """The session's shared headless Chromium (tests/conftest.py)."""
    return browser


@pytest.fixture
def overlay() -> Iterator[OverlayServer]:
    server = OverlayServer(port=0).start()
    yield server
    server.stop()


def replay_into(overlay: OverlayServer, until: float) -> None:
    """Run single_face.mp4 up to ``until`` s through the processor, with the real overlay feedback."""
    from streamkit.obs import DryRunObs
    from streamkit.plugins.gestures.session import build_processor
    from streamkit.sources.video import VideoFileSource

    config = GesturesConfig.model_validate({"source": "video", "video": str(FACES / "single_face.mp4"), "fps": 30,
                                            "bindings": [{"gestures": ["smile"], "action": "record_start"}]})
    processor = build_processor(config, DryRunObs(out=io.StringIO()), feedback=OverlayFeedback(overlay, config))
    try:
        for ev in VideoFileSource(FACES / "single_face.mp4"):
            if ev.t > until:
                break
            list(processor.process(ev))
    finally:
        processor.close()


@pytest.mark.parametrize("language, seen, confirm", [("zh-CN", "微笑", "请确认"), ("en", "smile", "Confirm")])
def test_page_shows_what_is_seen_the_hold_and_the_confirmation(chromium: Any, overlay: OverlayServer, language: str,
                                                                seen: str, confirm: str, model_bytes_loaded: None) -> None:
    overlay.add_page(PAGE, overlay_html(language))
    page = chromium.new_page()
    try:
        page.goto(overlay.url(PAGE))
        replay_into(overlay, until=0.9)  # smiling, mid-hold
        page.wait_for_function("s => document.getElementById('seen').textContent.includes(s)", arg=seen, timeout=5000)
        expected = round(overlay._last[CHANNEL]["holds"][0]["progress"] * 100)  # the last state sent
        assert 30 <= expected < 100
        page.wait_for_function("w => { const b = document.querySelector('.bar > div');"
                               " return b && Math.abs(parseFloat(b.style.width) - w) < 1; }", arg=expected, timeout=5000)
        replay_into(overlay, until=1.5)  # held: record_start asks for confirmation
        page.wait_for_function("s => document.getElementById('pending').textContent.includes(s)", arg=confirm, timeout=5000)
        assert overlay._last[CHANNEL]["pending"]["gesture"] == "smile"
    finally:
        page.close()
