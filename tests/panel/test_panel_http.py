"""The panel over HTTP (no browser): first start, wizard answers written to the TOML file with comments
kept, bad input answered with one sentence and nothing lost, `streamkit` alone runs `streamkit app`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from streamkit.cli import build_parser, default_argv
from streamkit.hooks import Plugins
from streamkit.plugins.panel.app import create_panel_app
from streamkit.plugins.panel.host import Host
from streamkit.testing.web import csrf_of

NO_OBS = "ws://127.0.0.1:9"


@pytest.fixture()
def client(home: Path) -> Iterator[tuple[TestClient, Host]]:
    host = Host(home / "streamkit.toml", Plugins.installed(), home)
    app = create_panel_app(host)
    with TestClient(app, base_url="http://127.0.0.1:8770") as c:
        c.headers["X-CSRF-Token"] = csrf_of(c.get("/setup/language").text)  # what panel.js sends with every write
        yield c, host
    host.close()
    assert host.feed is not None
    host.feed.close()


def summary(html: str) -> list[str]:
    """The error summary's links: (target, sentence)."""
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)


def test_first_start_goes_to_the_wizard_and_the_wizard_writes_the_file(client: tuple[TestClient, Host], home: Path) -> None:
    c, host = client
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/setup"
    assert "开始设置" in c.get("/setup").text
    r = c.post("/setup/language", data={"language": "en"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/setup/obs"
    assert r.cookies.get("sk_lang") == "en"
    text = (home / "streamkit.toml").read_text(encoding="utf-8")
    assert text.startswith("# streamkit settings") and 'language = "en"' in text
    assert c.get("/", follow_redirects=False).status_code == 200  # set up now: the dashboard


def test_hand_comments_survive_the_wizard(client: tuple[TestClient, Host], home: Path) -> None:
    c, host = client
    (home / "streamkit.toml").write_text('# my settings\n[obs]\nurl = "ws://127.0.0.1:9"  # not yet\n', encoding="utf-8")
    r = c.post("/setup/features", data={"features": ["captions"]}, follow_redirects=False)
    assert r.headers["location"] == "/setup/microphone"
    r = c.post("/setup/microphone", data={"choice": "sample"}, follow_redirects=False)
    assert r.headers["location"] == "/setup/guest"
    r = c.post("/setup/guest", data={"choice": "none"}, follow_redirects=False)
    assert r.headers["location"] == "/setup/more"
    text = (home / "streamkit.toml").read_text(encoding="utf-8")
    assert "# my settings" in text and "# not yet" in text
    sources = host.config().section("captions").sources
    assert [(s.name, s.kind, s.speaker) for s in sources] == [("host", "file", "主播")]
    assert Path(sources[0].path).is_file()
    assert host.config().section("gestures").enabled is False
    step = c.get("/setup/more", follow_redirects=False).headers["location"]  # the features' own steps
    assert step == "/products/?next=/setup/more%3Fi%3D1"  # the products page: import a catalog (or skip)
    assert c.get("/setup/more?i=1", follow_redirects=False).headers["location"] == "/gestures/enrol?next=/setup/more%3Fi%3D2"
    assert c.get("/setup/more?i=1").url.path == "/setup/scenes"  # gestures are off: their step sends the person on


def test_obs_not_running_one_sentence_and_the_address_is_kept(client: tuple[TestClient, Host]) -> None:
    c, _ = client
    r = c.post("/setup/obs", data={"url": NO_OBS})
    assert r.status_code == 400
    [(field, sentence)] = summary(r.text)
    assert field == "url" and NO_OBS in sentence and "WebSocket" in sentence
    assert f'value="{NO_OBS}"' in r.text
    assert r.text.count('<title>错误：') == 1
    r = c.post("/setup/obs", data={"url": "obs on my desk"})
    [(field, sentence)] = summary(r.text)
    assert field == "url" and "ws://127.0.0.1:4455" in sentence and 'value="obs on my desk"' in r.text


def test_password_against_an_obs_that_went_away(client: tuple[TestClient, Host]) -> None:
    c, host = client
    host.write_config("obs", {"url": NO_OBS})
    r = c.post("/setup/password", data={"password": " my pass "})
    [(field, sentence)] = summary(r.text)
    assert field == "password" and "OBS" in sentence
    assert 'value=" my pass "' in r.text  # exactly as typed


def test_choices_that_are_missing_or_invalid(client: tuple[TestClient, Host]) -> None:
    c, _ = client
    for path, data, target in [("/setup/features", {}, "features-captions"),
                               ("/setup/microphone", {}, "choice-first"),
                               ("/setup/camera", {"choice": "camera:x"}, "choice-first"),
                               ("/setup/camera", {"choice": "obs"}, "obs_source"),
                               ("/setup/language", {"language": "fr"}, "language-zh-CN")]:
        r = c.post(path, data=data)
        assert r.status_code == 400, path
        assert [f for f, _ in summary(r.text)] == [target], path
        assert f'id="{target}"' in r.text, path  # the summary's link has somewhere to go


def test_a_config_the_checks_refuse_is_not_written(client: tuple[TestClient, Host], home: Path) -> None:
    c, host = client
    path = home / "streamkit.toml"
    path.write_text('[gestures]\nsource = "video"\nvideo = "/nowhere.mp4"\nfps = 0.0\n', encoding="utf-8")
    before = path.read_bytes()
    r = c.post("/setup/camera", data={"choice": "sample"})
    assert r.status_code == 400
    [(field, sentence)] = summary(r.text)
    assert field == "answer" and "fps" in sentence
    assert path.read_bytes() == before


def test_missing_microphone_is_one_plain_sentence_with_the_way_out(client: tuple[TestClient, Host]) -> None:
    c, _ = client
    html = c.get("/setup/microphone").text
    if 'id="no-devices"' not in html:
        pytest.skip("this machine has a microphone")
    assert "没有找到麦克风" in html and "示例录音" in html and 'href="/setup/microphone"' in html


def test_level_meter_reports_a_device_that_cannot_open(client: tuple[TestClient, Host]) -> None:
    c, _ = client
    with c.stream("GET", "/setup/level", params={"choice": "device:no such microphone"}) as r:
        body = "".join(r.iter_text())
    assert '"error"' in body and "event: end" in body


def test_streamkit_alone_runs_the_panel() -> None:
    parser = build_parser(Plugins.installed())
    assert default_argv(parser, []) == ["app"]
    assert list(default_argv(parser, ["sessions"]) or []) == ["sessions"]
    args = parser.parse_args(["app", "--no-browser", "--port", "0"])
    assert args.port == 0 and args.no_browser and args.host == "127.0.0.1"


def test_opening_a_review_without_script_gives_a_page_with_the_link(client: tuple[TestClient, Host], home: Path) -> None:
    from streamkit.session import SessionStore

    c, _ = client
    store = SessionStore(home)
    try:
        session = store.create("测试场次")
    finally:
        store.close()
    assert "测试场次" in c.get("/sessions").text
    r = c.post(f"/sessions/{session.id}/review", follow_redirects=False)
    assert r.status_code == 200
    link = re.search(r'id="review-link"|href="(http://127\.0\.0\.1:\d+/sessions/[^"]+)"', r.text)
    assert link and f"/sessions/{session.id}" in r.text
    r = c.post(f"/sessions/{session.id}/review", headers={"Accept": "application/json"})
    assert r.json()["url"].endswith(f"/sessions/{session.id}")
    assert c.post("/sessions/..%2f/review", follow_redirects=False).status_code in (303, 404)


def test_writes_need_the_page_token_and_the_panel_answers_only_its_own_names(client: tuple[TestClient, Host],
                                                                             home: Path) -> None:
    c, _ = client
    token = c.headers.pop("X-CSRF-Token")
    r = c.post("/setup/language", data={"language": "en"})
    assert r.status_code == 403 and "刷新" in r.text
    assert not (home / "streamkit.toml").exists()
    r = c.post("/setup/language", data={"language": "en", "csrf": token}, follow_redirects=False)
    assert r.status_code == 303  # a plain form carries it as a field
    r = c.post("/setup/language", data={"language": "zh-CN"}, headers={"X-CSRF-Token": "0" * 64})
    assert r.status_code == 403
    assert c.get("/", headers={"Host": "rebind.example"}).status_code == 421
    assert c.get("/openapi.json").status_code == 404
    assert "default-src 'self'" in c.get("/setup").headers["content-security-policy"]
