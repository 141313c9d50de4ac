"""The streamer's /voice page in headless Chromium: with no output device, the answers are on screen only —
an unknown scene answered with the scene list, the no-device sentence itself — in a live region, axe-clean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voice_helpers import NamedObs, said

from streamkit.config import validate
from streamkit.overlay import OverlayServer
from streamkit.plugins.commands import VOICE_PAGE, streamkit_session_start
from streamkit.plugins.commands.speaking import SpeechFeature
from streamkit.runtime import Runtime
from streamkit.testing.runtime import test_runtime

pytestmark = [pytest.mark.browser]
SHOTS = Path(__file__).resolve().parents[2] / ".artifacts" / "voice"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
UNKNOWN = "没有叫“游戏”的场景。场景有：直播间、近景特写、暂停。"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Runtime]:
    """Voice control (through the plugin's own session hook, which adds the page) and speech without headphones."""
    config = validate({"commands": {"confirm_seconds": 5},
                       "speech": {"stream": False, "prepare": False, "headphones": "no-such-headphones-4711"}},
                      "<test>")
    overlay = OverlayServer(port=0).start()
    runtime = test_runtime(config, NamedObs(), home=tmp_path, overlay=overlay)
    control = streamkit_session_start(runtime)
    assert control is not None
    runtime.start_component(control)
    yield runtime
    runtime.stop_components()
    overlay.stop()


def feed(page: Any) -> list[str]:
    return page.eval_on_selector_all("#feed li", "items => items.map(li => li.textContent)")


def test_answers_are_on_screen_when_nothing_can_speak(browser: Any, session: Runtime) -> None:
    assert session.overlay is not None
    page = browser.new_context(locale="zh-CN").new_page()
    try:
        page.goto(session.overlay.url(VOICE_PAGE))
        page.wait_for_function("() => document.readyState === 'complete'")
        feature = SpeechFeature(session, session.config.section("speech"), phrases=[])  # the real device lookup
        session.start_component(feature)
        page.wait_for_function("() => document.querySelectorAll('#feed li').length >= 1", timeout=10_000)
        assert "语音反馈只在屏幕上显示" in feed(page)[0] and feed(page)[0].startswith("提示")
        for event in said("切换场景到游戏", 1):
            session.bus.publish(event)
        page.wait_for_function("t => document.getElementById('feed').textContent.includes(t)", arg=UNKNOWN,
                               timeout=10_000)
        assert feature.feedback is not None and feature.feedback.spoken == 0  # visual only
        texts = feed(page)
        assert UNKNOWN in texts[0] and "回答" in texts[0], texts  # newest first, labelled as an answer
        assert any("切换场景到游戏" in t and "听到" in t for t in texts), texts  # what was heard, too
        assert page.get_attribute("#answers", "role") == "log" and page.get_attribute("#answers", "aria-live") == "polite"
        assert page.is_hidden("#empty")
        assert axe_violations(page) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "voice-page-no-headphones.png"), full_page=True)
        page.set_viewport_size({"width": 640, "height": 480})
        page.evaluate("document.body.style.zoom = '200%'")
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1] + 1, width  # readable at 200 %: no sideways scrolling
    finally:
        page.context.close()


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in result.response["violations"]]
