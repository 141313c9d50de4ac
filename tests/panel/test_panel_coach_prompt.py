"""A coach's private prompt on the panel's dashboard: shown large, announced at once to a screen reader,
put away with the keyboard; axe-core finds nothing with it shown. (The prompt reaches the bus from the
organisation's server through the review link: tests/org/test_live.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from streamkit.events import CoachPrompt

from panel_helpers import PanelThread, check_axe, shot

pytestmark = pytest.mark.browser


def test_dashboard_shows_a_coach_prompt_large_and_announced(panel: PanelThread, page: Any) -> None:
    panel.host.write_config("obs", {"url": "ws://127.0.0.1:9"})  # set up (so the dashboard shows); no OBS there
    page.goto(panel.url + "/")
    page.wait_for_selector("body[data-live='1']", state="attached", timeout=15_000)
    assert page.locator("#coach-prompt").is_hidden()
    panel.host.bus.publish(CoachPrompt(text="介绍一下价格", coach="chen", prompt_id=1))
    page.wait_for_selector("#coach-prompt:not([hidden])", timeout=15_000)
    assert page.inner_text("#coach-prompt-text") == "介绍一下价格"
    assert "chen" in page.inner_text("#coach-prompt-h")
    page.wait_for_function("document.getElementById('announce-urgent').textContent.includes('教练提示：介绍一下价格')",
                           timeout=10_000)
    size = page.evaluate("parseFloat(getComputedStyle(document.getElementById('coach-prompt-text')).fontSize)")
    assert size >= 48, size
    check_axe(page, "dashboard with a coach's prompt")
    shot(page, "dashboard-coach-prompt")

    panel.host.bus.publish(CoachPrompt(text="看镜头", coach="chen", prompt_id=2))
    page.wait_for_function("document.getElementById('coach-prompt-text').textContent === '看镜头'", timeout=10_000)
    done = page.locator("#coach-prompt-done")
    done.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none", "visible focus"
    box = done.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    page.keyboard.press("Enter")
    page.wait_for_selector("#coach-prompt", state="hidden", timeout=5_000)
