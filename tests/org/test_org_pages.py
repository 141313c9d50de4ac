"""The organisation's pages in Chromium: session list, session page with its jobs, a coach's live page,
the organiser's assignments, the PDF wait page, and the streamer's monitor page showing a prompt —
each with axe-core (WCAG 2.2 AA) finding nothing, zh-CN first, and usable with the keyboard alone."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe

from streamkit.config import CORE_SECTIONS, validate
from streamkit.events import CoachPrompt
from streamkit.obs.dryrun import DryRunObs
from streamkit.overlay import OverlayServer
from streamkit.plugins.captions.config import CaptionsConfig
from streamkit.plugins.captions.live import CaptionsSession
from streamkit.plugins.review.orgstore import OrgStore
from streamkit.plugins.review.pushclient import ReviewClient, plan_push, push
from streamkit.plugins.review.store import ReviewStore
from streamkit.plugins.review.testing import ReviewServer
from streamkit.component import running
from streamkit.session import Session
from streamkit.testing.helpers import wait_until
from streamkit.testing.runtime import test_runtime

from conftest import PASSWORDS

pytestmark = pytest.mark.browser
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
SHOTS = Path(__file__).resolve().parents[2] / ".artifacts" / "org"


def violations(page: Any) -> list[str]:
    result = Axe().run(page, options=WCAG)
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in result.response["violations"]]


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page: Any, url: str, name: str) -> None:
    """Through the login form with the keyboard: type, Tab, type, Enter."""
    page.goto(f"{url}/login")
    page.locator("input[name=name]").focus()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORDS[name])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/$"))


def focus_outline(page: Any) -> str:
    return page.evaluate("getComputedStyle(document.activeElement).outlineStyle")


@pytest.fixture()
def org_server(org_database: str, homes: tuple[Path, Path], pc_session: Session):  # noqa: ANN201
    server_home, pc_home = homes
    session = pc_session
    server = ReviewServer(server_home, "--database", org_database).start()
    client = ReviewClient(server.url, "anna", home=pc_home, password=lambda: PASSWORDS["anna"])
    try:
        push(client, plan_push(session.dir))
        live = client.call("POST", "/api/live/live-1/events", json={
            "info": {"name": "晚场直播", "started": session.info.started},
            "events": [[1, {"type": "SessionStarted", "ts": session.info.started, "session_id": "live-1"}],
                       [2, {"type": "SceneChanged", "ts": session.info.started + 1, "scene": "直播间"}],
                       [3, {"type": "Caption", "ts": session.info.started + 3, "kind": "final", "text": "大家好，欢迎来到直播间。",
                            "source": "mic", "speaker": "主播", "audio_start": 1, "audio_end": 2.5, "emitted_at": 3,
                            "language": "zh", "utterance": 1, "utterance_end": True}],
                       [4, {"type": "Caption", "ts": session.info.started + 6, "kind": "final", "text": "今天介绍三号宝温杯",
                            "source": "mic", "speaker": "主播", "audio_start": 3, "audio_end": 5.5, "emitted_at": 6,
                            "language": "zh", "utterance": 2, "utterance_end": False}],
                       [5, {"type": "Caption", "ts": session.info.started + 7, "kind": "revision",
                            "text": "今天介绍三号保温杯。", "source": "mic", "speaker": "主播", "audio_start": 3,
                            "audio_end": 5.5, "emitted_at": 7, "language": "zh", "utterance": 2, "revision": 1,
                            "utterance_end": True}]]})
        assert live.status_code == 200
    finally:
        client.close()
    review = ReviewStore(org_database)
    OrgStore(review).set_progress(session.id, "transcribe", "running", done=4.0, total=10.0)
    review.close()
    yield server, session.id
    server.stop()


def test_coach_pages_axe_and_keyboard(browser: Any, org_server: Any, org_database: str) -> None:
    server, sid = org_server
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = ctx.new_page()
    try:
        log_in(page, server.url, "chen")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("a.live-link").count() == 1
        assert violations(page) == [], "session list"
        shot(page, "list")

        page.goto(f"{server.url}/sessions/{sid}")
        page.wait_for_selector("#jobs li[data-kind=transcribe] progress")
        assert "转写录像" in page.inner_text("#jobs")
        assert violations(page) == [], "session page with jobs"

        page.goto(f"{server.url}/sessions/live-1/live")
        page.wait_for_function("document.getElementById('live-lines').textContent.includes('欢迎来到直播间')")
        assert page.inner_text("#live-scene") == "直播间"
        page.wait_for_function("document.getElementById('live-lines').textContent.includes('保温杯')")
        lines = page.locator("#live-lines li").all_inner_texts()
        assert len(lines) == 2 and lines[1].endswith("今天介绍三号保温杯。"), "a revision rewrites its line"
        assert violations(page) == [], "live page"
        for _ in range(40):  # keyboard only: Tab to the first quick prompt, Enter sends it
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('quick-prompt')"):
                break
        assert page.evaluate("document.activeElement.dataset.text") == "语速慢一点"
        assert focus_outline(page) not in ("none", ""), "focus is visible"
        box = page.locator(".quick-prompt").first.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        page.keyboard.press("Enter")
        page.wait_for_function("document.getElementById('prompt-result').textContent.includes('已发送')")
        assert page.locator("#prompts li").first.inner_text().startswith("语速慢一点")
        page.locator("#prompt-text").focus()
        page.keyboard.type("介绍一下价格")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelectorAll('#prompts li').length === 2")
        review = ReviewStore(org_database)
        try:
            assert [p.text for p in OrgStore(review).prompts("live-1")] == ["语速慢一点", "介绍一下价格"]
        finally:
            review.close()
        assert violations(page) == [], "live page after prompts"
        shot(page, "live")

        answer = page.goto(f"{server.url}/sessions/{sid}/report.pdf")
        assert answer is not None and answer.status == 202
        assert "正在生成" in page.inner_text("#report-wait")
        assert violations(page) == [], "report wait page"
        page.set_viewport_size({"width": 640, "height": 900})  # 200 % zoom of a 1280 px window
        page.goto(f"{server.url}/sessions/live-1/live")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling"
    finally:
        ctx.close()


def test_organiser_assigns_with_the_keyboard(browser: Any, org_server: Any) -> None:
    server, _ = org_server
    ctx = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = ctx.new_page()
    try:
        log_in(page, server.url, "org")
        page.goto(f"{server.url}/organise")
        assert violations(page) == [], "organise page"
        page.locator("select[name=coach]").focus()
        page.keyboard.press("ArrowDown")  # chen → dai
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")  # anna → bo
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/organise#assignments"))
        assert "dai" in page.inner_text("#assignments table") and "bo" in page.inner_text("#assignments table")
        assert violations(page) == [], "organise page with assignments"
        shot(page, "organise")
        with httpx.Client(base_url=server.url) as anonymous:
            assert anonymous.get("/organise").status_code == 303
    finally:
        ctx.close()


def test_monitor_page_shows_a_prompt_large_and_announced(browser: Any, tiny_decoder: Any, tmp_path: Path) -> None:
    overlay = OverlayServer().start()
    config = validate({"overlay": {"enabled": True}}, "pc.toml", CORE_SECTIONS)
    runtime = test_runtime(config, DryRunObs(out=io.StringIO()), home=tmp_path, overlay=overlay)
    captions = CaptionsSession(runtime, CaptionsConfig(sources=[]), decoder=tiny_decoder, sources=[])
    ctx = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = ctx.new_page()
    try:
        with running(captions):
            page.goto(overlay.url("/captions/monitor"))
            page.wait_for_function("document.getElementById('status').textContent.includes('已连接')")
            runtime.bus.publish(CoachPrompt(text="语速慢一点", coach="chen", prompt_id=1))
            page.wait_for_selector("#prompt:not([hidden])")
            assert page.inner_text("#prompt-text") == "语速慢一点"
            assert page.inner_text("#prompt-announcer") == "教练提示：语速慢一点"
            assert page.locator("#prompt-announcer").get_attribute("aria-live") == "assertive"
            size = page.evaluate("parseFloat(getComputedStyle(document.getElementById('prompt-text')).fontSize)")
            assert size >= 48, size
            assert violations(page) == [], "monitor page with a prompt"
            shot(page, "monitor-prompt")
            page.locator("#prompt-done").focus()
            page.keyboard.press("Enter")
            assert wait_until(lambda: page.locator("#prompt").is_hidden(), timeout=5)
    finally:
        ctx.close()
        overlay.stop()
        runtime.recorder.close()
        runtime.store.close()
