"""Threat 7 — a login cookie sent in clear, and data files anyone on the machine can read.

The login cookie was never ``Secure``, even behind an https proxy, so one plain-http request
leaked it; databases were created world-readable (0644 in a 0755 home). Cookies are now
``Secure`` whenever the request came over https (directly or through a proxy listed in
``[review] trusted_proxies``), and everything under STREAMKIT_HOME is 0600 (files) / 0700 (folders).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fastapi.testclient import TestClient

from streamkit.events import SceneChanged
from streamkit.plugins.review.store import ReviewStore
from streamkit.session import SessionRecorder, SessionStore
from streamkit.bus import EventBus

from streamkit.testing.web import csrf_of


def _login_cookie(client: TestClient, headers: dict[str, str] | None = None) -> str:
    page = client.get("/login", headers=headers)
    # a Secure cookie is not sent back over plain http by the test client: the https browser would send it
    browser_id = page.cookies.get("sk_bid") or client.cookies.get("sk_bid")
    headers = {**(headers or {}), "Cookie": f"sk_bid={browser_id}"}
    r = client.post("/login", data={"name": "anna", "password": "anna-password", "csrf": csrf_of(page.text)},
                    headers=headers)
    assert r.status_code == 303, r.text
    return next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("sk_login="))


def test_login_cookie_is_secure_behind_a_trusted_https_proxy(make_app) -> None:
    app = make_app(require_login=True, trusted_proxies=["testclient"])  # the test client plays the proxy
    app.state.store.add_user("anna", "streamer", "anna-password")
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        assert "secure" in _login_cookie(client, forwarded).lower()
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        assert "secure" not in _login_cookie(client).lower(), "plain http on this computer keeps working"


def test_forwarded_headers_from_anyone_else_are_ignored(make_app) -> None:
    app = make_app(require_login=True)  # default: only a proxy on this computer is believed
    app.state.store.add_user("anna", "streamer", "anna-password")
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        assert "secure" not in _login_cookie(client, {"X-Forwarded-Proto": "https"}).lower()
    with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as client:
        assert "secure" in _login_cookie(client).lower(), "served over https directly"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_everything_under_the_home_is_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        home = tmp_path / "home"
        store = SessionStore(home)
        session = store.create("权限")
        recorder = SessionRecorder(session, store).attach(bus := EventBus())
        bus.publish(SceneChanged(scene="主画面"))
        (session.dir / "captions.srt").write_text("1\n", encoding="utf-8")  # a plugin's own output file
        recorder.close()
        store.finish(session)
        review = ReviewStore(home / "review.db")
        review.add_user("anna", "streamer", "anna-password")
        review.close()
        store.close()
    finally:
        os.umask(old)
    for path in [home, *home.rglob("*")]:
        want = 0o700 if path.is_dir() else 0o600
        assert _mode(path) == want, f"{path.relative_to(tmp_path)} is {oct(_mode(path))}, expected {oct(want)}"
    assert (home / "review.db").exists() and (home / "streamkit.db").exists() and (home / "backups").is_dir()
