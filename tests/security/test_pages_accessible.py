"""The pages these protections touch stay accessible: the login page refusing with 429, and a
session page telling its owner that events could not be read (axe-core, WCAG 2.2 AA, in Chromium)."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def _violations(page) -> list[str]:
    result = Axe().run(page, options=WCAG)
    return [f"{v['id']}: {v['help']}" for v in result.response["violations"]]


def test_throttled_login_page_is_accessible(browser, server, home) -> None:
    review = server("--login")
    ctx = browser.new_context(locale="zh-CN", bypass_csp=False)  # the pages as served, CSP and all
    page = ctx.new_page()
    try:
        for i in range(6):
            page.goto(f"{review.url}/login")
            page.fill("input[name=name]", "nobody")
            page.fill("input[name=password]", f"guess-{i}")
            page.click("button[type=submit]")
        assert "秒后再试" in page.inner_text("#login-error")
        assert _violations(page) == []
    finally:
        ctx.close()


def test_session_page_with_unreadable_events_is_accessible(browser, server, home) -> None:
    with open(home.folder / "events.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"type": "Caption", "ts": "soon", "kind": "final", "text": "x"}) + "\n")
    review = server()
    ctx = browser.new_context(locale="zh-CN", bypass_csp=False)  # the pages as served, CSP and all
    page = ctx.new_page()
    try:
        page.goto(f"{review.url}/sessions/{home.sid}")
        page.wait_for_selector("body[data-ready='1']", timeout=20_000)
        assert "有 1 条事件无法读取" in page.inner_text("#events-unreadable")
        assert _violations(page) == []
    finally:
        ctx.close()
