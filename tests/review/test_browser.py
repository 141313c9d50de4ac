"""The review app in headless Chromium against a real server process."""

from __future__ import annotations

import shutil
import subprocess
import sys
import os
from pathlib import Path

import pytest

from streamkit.plugins.review.samples import XSS_CAPTION

from review_helpers import ARTIFACTS, ReviewServer

pytestmark = pytest.mark.browser


def open_session(page, server: ReviewServer, sid: str) -> None:
    page.goto(f"{server.url}/sessions/{sid}")
    page.wait_for_selector("body[data-ready='1']", timeout=15_000)
    page.wait_for_function("document.getElementById('player').readyState >= 1", timeout=15_000)


def test_click_a_line_and_the_player_seeks_there(page, review_server, sample_sessions) -> None:
    open_session(page, review_server, sample_sessions.english.id)
    lines = page.locator("#lines .line")
    assert lines.count() >= 10
    target = lines.nth(4)
    wanted = page.evaluate("fetch(location.pathname.replace('/sessions/', '/api/sessions/') + '/transcript')"
                           ".then(r => r.json()).then(d => d.lines[4][0])")
    target.click()
    page.wait_for_function(f"Math.abs(document.getElementById('player').currentTime - {wanted}) < 0.3")
    assert "now" in (target.get_attribute("class") or "")
    # the playhead follows the player; clicking the timeline seeks too
    box = page.locator("#timeline").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + 10)
    t = page.evaluate("document.getElementById('player').currentTime")
    assert 10 < t < 25, t
    # search filters the transcript
    page.fill("#search", "dashwood")
    page.wait_for_function("document.getElementById('search-count').textContent.startsWith('1 ')")
    assert page.locator("#lines .line:not(.hidden)").count() == 1
    assert page.locator("#lines .line.match mark").inner_text().lower() == "dashwood"
    page.fill("#search", "")
    page.wait_for_function("document.querySelectorAll('#lines .line.hidden').length === 0")


def test_comment_survives_a_killed_server(page, sample_sessions) -> None:
    server = ReviewServer(sample_sessions.home).start()
    try:
        sid = sample_sessions.mandarin.id
        open_session(page, server, sid)
        page.locator("#lines .line").nth(1).click()
        page.fill("#c-end", "0:12")
        page.fill("#c-body", "这里讲保温杯时语速正好，可以多展示一下杯口。")
        page.click("#c-post")
        page.wait_for_selector("#comments .comment .body:has-text('杯口')")
        first = page.locator("#comments .comment").first
        assert first.locator("a.time").inner_text().startswith("0:05–0:12")
        first.locator("button.reply").click()
        first.locator(".editor textarea").fill("收到，下次放慢。")
        first.locator(".editor button.save").click()
        page.wait_for_selector("#comments .replies .body:has-text('收到')")
        page.locator("#comments .comment").first.locator("button.resolve").first.click()
        page.wait_for_selector("#comments .comment.resolved")
        assert page.locator("#lane-comments > *").count() >= 1
        server.kill()  # SIGKILL right after the acknowledged writes
        server = ReviewServer(sample_sessions.home).start()
        open_session(page, server, sid)
        page.wait_for_selector("#comments .comment.resolved .body:has-text('杯口')")
        assert page.locator("#comments .replies .body").inner_text() == "收到，下次放慢。"
        page.locator("#comments .comment.resolved a.time").first.click()
        page.wait_for_function("Math.abs(document.getElementById('player').currentTime - 5.0) < 1.0")
        page.screenshot(path=str(ARTIFACTS / "review-session-zh.png"), full_page=True)
        page.click("#lang-switch")
        page.wait_for_selector("body[data-ready='1']")
        assert page.locator("h2", has_text="Transcript").count() == 1
        page.screenshot(path=str(ARTIFACTS / "review-session-en.png"), full_page=True)
    finally:
        server.stop()


def test_script_in_a_caption_renders_as_text(page, review_server, sample_sessions) -> None:
    dialogs: list[tuple[str, str]] = []
    page.on("dialog", lambda d: (dialogs.append((d.type, d.message)), d.accept()))
    open_session(page, review_server, sample_sessions.english.id)
    line = page.locator("#lines .line .x", has_text="window.__pwned")
    assert line.inner_text() == XSS_CAPTION
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#lines b").count() == 0
    page.fill("#c-body", '<img src=x onerror="window.__pwned=2"> 注意 <script>window.__pwned=3</script>')
    page.click("#c-post")
    page.wait_for_selector("#comments .body:has-text('onerror')")
    assert page.locator("#comments img").count() == 0
    assert page.evaluate("window.__pwned") is None and not dialogs
    page.locator("#comments .comment", has_text="onerror").locator("button.edit").click()
    page.locator("#comments .editor textarea").fill("已改：<b>纯文本</b>")
    page.locator("#comments .editor button.save").click()
    page.wait_for_selector("#comments .body:has-text('已改')")
    assert page.locator("#comments .body b").count() == 0
    page.locator("#comments .comment", has_text="已改").locator("button.delete").click()
    page.wait_for_function("!document.getElementById('comments').textContent.includes('已改')")
    assert [kind for kind, _ in dialogs] == ["confirm"], "only our own delete confirmation"


def test_request_without_csrf_token_is_refused(page, review_server, sample_sessions) -> None:
    open_session(page, review_server, sample_sessions.english.id)
    status = page.evaluate("""fetch(location.pathname.replace('/sessions/', '/api/sessions/') + '/comments', {
        method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({body: 'forged', t_start: 1})}).then(r => r.status)""")
    assert status == 403
    comments = page.evaluate("fetch(location.pathname.replace('/sessions/', '/api/sessions/') + '/comments')"
                             ".then(r => r.json()).then(d => d.comments.map(c => c.body))")
    assert "forged" not in comments


def test_oversized_comment_shows_a_clear_message(page, review_server, sample_sessions) -> None:
    open_session(page, review_server, sample_sessions.english.id)
    page.evaluate("document.getElementById('c-body').value = '长'.repeat(4001)")
    page.click("#c-post")
    page.wait_for_selector("#c-error:has-text('点评太长')")
    assert "4001" in page.inner_text("#c-error") and "4000" in page.inner_text("#c-error")


def _add_user(home: Path, name: str, role: str, password: str) -> None:
    env = {**os.environ, "STREAMKIT_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "streamkit.plugins.review", "user", "add", name, "--role", role, "--password-stdin"],
                   input=password + "\n", text=True, check=True, env=env, capture_output=True)


def test_coach_not_shared_gets_403(browser, sample_sessions, tmp_path) -> None:
    home = tmp_path / "home"
    shutil.copytree(sample_sessions.home, home, ignore=shutil.ignore_patterns("review.db*"))
    _add_user(home, "anna", "streamer", "anna-password")
    _add_user(home, "王教练", "coach", "coach-password")
    _add_user(home, "stranger", "coach", "other-password")
    sid = sample_sessions.mandarin.id
    env = {**os.environ, "STREAMKIT_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "streamkit.plugins.review", "own", "anna", sid], check=True, env=env, capture_output=True)
    server = ReviewServer(home, "--login").start()
    try:
        ctx = browser.new_context(locale="zh-CN")
        page = ctx.new_page()
        page.goto(f"{server.url}/sessions/{sid}")
        assert "/login" in page.url
        page.fill("input[name=name]", "王教练")
        page.fill("input[name=password]", "wrong-password")
        page.click("button[type=submit]")
        assert page.inner_text("#login-error") == "用户名或密码不正确，请重试。"
        page.fill("input[name=password]", "coach-password")
        page.click("button[type=submit]")
        response = page.goto(f"{server.url}/sessions/{sid}")
        assert response.status == 403
        assert "没有分享给你" in page.inner_text("#error-message")
        assert page.request.get(f"{server.url}/sessions/{sid}/media").status == 403
        ctx.close()
        # the streamer shares it with this coach only, from the session page
        ctx = browser.new_context(locale="zh-CN")
        page = ctx.new_page()
        page.goto(f"{server.url}/login?next=/sessions/{sid}")
        page.fill("input[name=name]", "anna")
        page.fill("input[name=password]", "anna-password")
        page.click("button[type=submit]")
        page.wait_for_selector("body[data-ready='1']")
        page.fill("#share input[name=coach]", "王教练")
        page.click("#share button[value=share]")
        page.wait_for_selector("#share .chip:has-text('王教练')")
        ctx.close()
        ctx = browser.new_context(locale="zh-CN")
        page = ctx.new_page()
        page.goto(f"{server.url}/login?next=/sessions/{sid}")
        page.fill("input[name=name]", "王教练")
        page.fill("input[name=password]", "coach-password")
        page.click("button[type=submit]")
        page.wait_for_selector("body[data-ready='1']")
        assert page.locator("#lines .line").count() == 3
        ctx.close()
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(f"{server.url}/login")
        page.fill("input[name=name]", "stranger")
        page.fill("input[name=password]", "other-password")
        page.click("button[type=submit]")
        assert page.goto(f"{server.url}/sessions/{sid}").status == 403
        ctx.close()
    finally:
        server.stop()


def test_report_pdf(page, review_server, sample_sessions) -> None:
    response = page.request.get(f"{review_server.url}/sessions/{sample_sessions.mandarin.id}/report.pdf", timeout=90_000)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-" and len(response.body()) > 10_000
