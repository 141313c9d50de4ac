"""The panel's own scripts run under the strict Content-Security-Policy of streamkit's servers (no
inline script, no eval): nothing is blocked, and the pages come alive."""

from __future__ import annotations

from typing import Any

import pytest

from panel_helpers import PanelThread

pytestmark = pytest.mark.browser


def test_pages_run_under_the_strict_csp(panel: PanelThread, browser: Any) -> None:
    panel.host.write_config("obs", {"url": "ws://127.0.0.1:9"})
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=False)
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        for path, mark in [("/", "live"), ("/setup/obs", "ready"), ("/setup/camera", "ready"),
                           ("/setup/microphone", "ready"), ("/sessions", "ready")]:
            page.goto(panel.url + path)
            page.wait_for_selector(f"body[data-{mark}]", state="attached", timeout=15_000)
        assert "default-src 'self'" in (page.context.request.get(panel.url + "/").headers["content-security-policy"])
        page.goto(panel.url + "/setup/obs")
        page.fill("#url", "ws://192.168.1.20:4455")
        page.reload()  # the draft script ran and kept what was typed
        page.wait_for_selector("body[data-ready]", state="attached")
        assert page.input_value("#url") == "ws://192.168.1.20:4455"
    finally:
        context.close()
    assert blocked == []
