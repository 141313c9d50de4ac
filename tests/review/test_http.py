"""The review app over HTTP (in-process): CSRF, escaping, sizes, ranges, traversal, login and shares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from streamkit.plugins.review.app import AppSettings, create_app, is_loopback
from streamkit.plugins.review.config import ReviewConfig
from streamkit.plugins.review.samples import XSS_CAPTION
from streamkit.testing.web import csrf_of


@pytest.fixture()
def local(sample_sessions) -> Iterator[TestClient]:
    app = create_app(AppSettings(home=sample_sessions.home, config=ReviewConfig(max_comment_chars=500)))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    app.state.service.close()


@pytest.fixture()
def exposed(sample_sessions, tmp_path) -> Iterator[tuple[object, object]]:
    """A login-required app over the same sessions, with its own review.db."""
    import shutil

    home = tmp_path / "home"
    shutil.copytree(sample_sessions.home, home, ignore=shutil.ignore_patterns("review.db*"))
    app = create_app(AppSettings(home=home, require_login=True))
    store = app.state.store
    store.add_user("anna", "streamer", "anna-password")
    store.add_user("chen", "coach", "chen-password")
    store.add_user("dai", "coach", "dai-password")
    store.set_owner(sample_sessions.english.id, "anna")
    yield app, store
    app.state.service.close()


def login(app: object, name: str, password: str) -> TestClient:
    client = TestClient(app, base_url="http://review.example", follow_redirects=False)  # type: ignore[arg-type]
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"name": name, "password": password, "csrf": token, "next": "/"})
    assert r.status_code == 303, r.text
    return client


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")


def test_list_and_session_pages_in_chinese_by_default(local: TestClient, sample_sessions) -> None:
    home = local.get("/")
    assert home.status_code == 200 and "场次列表" in home.text and "直播样例 · 保温杯" in home.text
    page = local.get(f"/sessions/{sample_sessions.mandarin.id}")
    assert page.status_code == 200 and "逐字稿" in page.text and "316 不锈钢保温杯" in page.text
    assert "Content-Security-Policy" in page.headers and "script-src 'self'" in page.headers["Content-Security-Policy"]
    english = local.get(f"/lang/en?next=/sessions/{sample_sessions.mandarin.id}", follow_redirects=True)
    assert "Transcript" in english.text and "逐字稿" not in english.text


def test_hostile_caption_is_escaped_everywhere(local: TestClient, sample_sessions) -> None:
    sid = sample_sessions.english.id
    lines = local.get(f"/api/sessions/{sid}/transcript").json()["lines"]
    assert [row for row in lines if row[2] == XSS_CAPTION], "the API returns the text as data"
    for url in (f"/sessions/{sid}", f"/sessions/{sid}/report.html"):
        html = local.get(url).text
        assert "<script>window.__pwned" not in html and "<b>not bold</b>" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt; &amp; &lt;b&gt;not bold&lt;/b&gt;" in local.get(
        f"/sessions/{sid}/report.html").text


def test_changes_need_the_csrf_token(local: TestClient, sample_sessions) -> None:
    sid = sample_sessions.english.id
    token = csrf_of(local.get(f"/sessions/{sid}").text)
    url = f"/api/sessions/{sid}/comments"
    missing = local.post(url, json={"body": "no token", "t_start": 1})
    assert missing.status_code == 403 and missing.json()["error"] == "页面已过期（缺少安全令牌），请刷新后重试。"
    wrong = local.post(url, json={"body": "bad token", "t_start": 1}, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    other_browser = TestClient(local.app, base_url="http://127.0.0.1")
    assert other_browser.post(url, json={"body": "stolen token", "t_start": 1}, headers={"X-CSRF-Token": token}).status_code == 403
    ok = local.post(url, json={"body": "with token <i>x</i>", "t_start": 1.5, "t_end": 4}, headers={"X-CSRF-Token": token})
    assert ok.status_code == 201
    cid = ok.json()["comment"]["id"]
    assert local.delete(f"/api/comments/{cid}").status_code == 403
    assert local.patch(f"/api/comments/{cid}", json={"body": "x"}).status_code == 403
    assert local.post(f"/api/comments/{cid}/resolved", json={"resolved": True}).status_code == 403
    bodies = [c["body"] for c in local.get(url).json()["comments"]]
    assert "with token <i>x</i>" in bodies and "no token" not in bodies and "stolen token" not in bodies
    assert local.delete(f"/api/comments/{cid}", headers={"X-CSRF-Token": token}).status_code == 200


def test_comment_size_limits_have_clear_messages(local: TestClient, sample_sessions) -> None:
    sid = sample_sessions.english.id
    token = csrf_of(local.get(f"/sessions/{sid}").text)
    url = f"/api/sessions/{sid}/comments"
    too_long = local.post(url, json={"body": "长" * 501, "t_start": 0}, headers={"X-CSRF-Token": token})
    assert too_long.status_code == 413
    assert too_long.json()["error"] == "点评太长：501 字，上限 500 字。请缩短后再发。"
    empty = local.post(url, json={"body": "   ", "t_start": 0}, headers={"X-CSRF-Token": token})
    assert empty.status_code == 400 and empty.json()["error"] == "点评内容不能为空。"
    huge = local.post(url, content=b"{" + b" " * 300_000 + b"}", headers={"X-CSRF-Token": token,
                                                                          "Content-Type": "application/json"})
    assert huge.status_code == 413 and "limit" in huge.json()["error"]
    assert not any(len(c["body"]) > 500 for c in local.get(url).json()["comments"])


def test_media_range_requests(local: TestClient, sample_sessions) -> None:
    sid = sample_sessions.english.id
    full = local.get(f"/sessions/{sid}/media")
    assert full.status_code == 200 and full.headers["accept-ranges"] == "bytes"
    assert full.headers["content-type"] == "video/webm"
    part = local.get(f"/sessions/{sid}/media", headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206 and len(part.content) == 1000
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(full.content)}"
    assert part.content == full.content[1000:2000]
    tail = local.get(f"/sessions/{sid}/media", headers={"Range": "bytes=-500"})
    assert tail.status_code == 206 and tail.content == full.content[-500:]
    beyond = local.get(f"/sessions/{sid}/media", headers={"Range": f"bytes={len(full.content) + 10}-"})
    assert beyond.status_code == 416


@pytest.mark.parametrize("path", [
    "/sessions/..%2F..%2F..%2Fetc%2Fpasswd/media", "/sessions/%2e%2e/media", "/sessions/..%5C..%5Cwin.ini/media",
    "/static/..%2Fapp.py", "/static/../store.py", "/sessions/nope/media", "/sessions/.. /captions.srt",
])
def test_no_path_traversal(local: TestClient, path: str) -> None:
    r = local.get(path)
    assert r.status_code == 404, (path, r.status_code)
    assert "root:" not in r.text and "import" not in r.text


def test_exports(local: TestClient, sample_sessions) -> None:
    sid = sample_sessions.mandarin.id
    srt = local.get(f"/sessions/{sid}/captions.srt")
    assert srt.status_code == 200 and "甚至出现交易几乎停滞的情况" in srt.text and "-->" in srt.text
    vtt = local.get(f"/sessions/{sid}/captions.vtt")
    assert vtt.text.startswith("WEBVTT") and vtt.headers["content-type"].startswith("text/vtt")
    report = local.get(f"/sessions/{sid}/report.html")
    assert report.status_code == 200 and "直播复盘报告" in report.text and "<svg" in report.text
    assert "316 不锈钢保温杯" in report.text and "字/分钟" in report.text


def test_login_required_when_exposed(exposed) -> None:
    app, _ = exposed
    anon = TestClient(app, base_url="http://review.example", follow_redirects=False)
    r = anon.get("/")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert anon.get("/api/sessions/x/comments").status_code in (401, 404)
    token = csrf_of(anon.get("/login").text)
    bad = anon.post("/login", data={"name": "chen", "password": "wrong-password", "csrf": token, "next": "/"})
    assert bad.status_code == 401 and "用户名或密码不正确，请重试。" in bad.text
    unknown = anon.post("/login", data={"name": "nobody", "password": "wrong-password", "csrf": token})
    assert unknown.status_code == 401 and "用户名或密码不正确" in unknown.text
    no_csrf = anon.post("/login", data={"name": "chen", "password": "chen-password"})
    assert no_csrf.status_code == 403


def test_streamer_shares_with_chosen_coaches_only(exposed, sample_sessions) -> None:
    app, store = exposed
    sid = sample_sessions.english.id
    anna, chen, dai = login(app, "anna", "anna-password"), login(app, "chen", "chen-password"), login(app, "dai", "dai-password")
    assert sample_sessions.english.id in anna.get("/").text
    assert sample_sessions.mandarin.id not in anna.get("/").text, "not her session"
    for url in (f"/sessions/{sid}", f"/sessions/{sid}/media", f"/sessions/{sid}/report.html", f"/api/sessions/{sid}/transcript"):
        assert chen.get(url).status_code == 403, url
    assert "这个场次没有分享给你" in chen.get(f"/sessions/{sid}").text
    assert sid not in chen.get("/").text
    page = anna.get(f"/sessions/{sid}").text
    assert "分享给教练" in page
    assert anna.post(f"/sessions/{sid}/share", data={"coach": "chen", "action": "share"}).status_code == 403
    shared = anna.post(f"/sessions/{sid}/share", data={"coach": "chen", "action": "share", "csrf": csrf_of(page)})
    assert shared.status_code == 303 and store.coaches_of(sid) == ["chen"]
    assert chen.get(f"/sessions/{sid}").status_code == 200
    assert chen.get(f"/sessions/{sid}/media", headers={"Range": "bytes=0-99"}).status_code == 206
    assert dai.get(f"/sessions/{sid}").status_code == 403
    coach_page = chen.get(f"/sessions/{sid}").text
    assert "分享给教练" not in coach_page, "coaches cannot share"
    assert chen.post(f"/sessions/{sid}/share", data={"coach": "dai", "action": "share", "csrf": csrf_of(coach_page)}).status_code == 403
    token = csrf_of(coach_page)
    c = chen.post(f"/api/sessions/{sid}/comments", json={"body": "开场很好", "t_start": 2}, headers={"X-CSRF-Token": token})
    assert c.status_code == 201
    anna_token = csrf_of(anna.get(f"/sessions/{sid}").text)
    cid = c.json()["comment"]["id"]
    assert anna.patch(f"/api/comments/{cid}", json={"body": "改掉"}, headers={"X-CSRF-Token": anna_token}).status_code == 403
    assert anna.post(f"/api/comments/{cid}/resolved", json={"resolved": True}, headers={"X-CSRF-Token": anna_token}).json()["comment"]["resolved"]
    dai_token = csrf_of(dai.get("/").text)
    assert dai.post(f"/api/sessions/{sid}/comments", json={"body": "x", "t_start": 1}, headers={"X-CSRF-Token": dai_token}).status_code == 403


def test_truncated_session_page_works_and_says_so(sample_sessions, tmp_path) -> None:
    import shutil

    home = tmp_path / "home"
    shutil.copytree(sample_sessions.home, home, ignore=shutil.ignore_patterns("review.db*"))
    log = home / "sessions" / sample_sessions.mandarin.id / "events.jsonl"
    log.write_bytes(log.read_bytes()[:-30])
    app = create_app(AppSettings(home=home))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get(f"/sessions/{sample_sessions.mandarin.id}")
        assert page.status_code == 200 and "读取场次时的提示" in page.text and "the last line is cut" in page.text
        data = client.get(f"/api/sessions/{sample_sessions.mandarin.id}/transcript").json()
        assert len(data["lines"]) == 3 and data["problems"]
    app.state.service.close()
