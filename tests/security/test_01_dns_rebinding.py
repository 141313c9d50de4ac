"""Threat 1 — DNS rebinding.

A web page the streamer visits (evil.example) re-points its own name at 127.0.0.1. The browser
then sends our server requests with ``Host: evil.example`` and lets the page read the answers:
the session list, transcripts, comments, the CSRF token, and on the overlay server the live
captions and the private monitor channel. Our servers answer only to their own names, so such a
request gets 421 and no data; and no server publishes its API description outside development.
"""

from __future__ import annotations

import httpx

from streamkit.overlay import OverlayServer

from streamkit.testing.web import PATIENT, csrf_of

EVIL = "evil.example"


def test_review_app_refuses_a_rebound_name(server, home) -> None:
    review = server()
    port = httpx.URL(review.url).port
    own = httpx.get(review.url + "/", timeout=PATIENT)
    assert own.status_code == 200 and home.sid in own.text, "the streamer's own browser still works"
    for path in ("/", f"/sessions/{home.sid}", f"/api/sessions/{home.sid}/transcript",
                 f"/api/sessions/{home.sid}/comments", f"/sessions/{home.sid}/media"):
        rebound = httpx.get(review.url + path, headers={"Host": f"{EVIL}:{port}"}, timeout=PATIENT)
        assert rebound.status_code == 421, (path, rebound.status_code)
        assert home.sid not in rebound.text and "csrf" not in rebound.text
    # nor can the rebound page post with a token it could never read
    page = httpx.get(f"{review.url}/sessions/{home.sid}", timeout=PATIENT)
    post = httpx.post(f"{review.url}/api/sessions/{home.sid}/comments", json={"body": "rebound", "t_start": 1},
                      headers={"Host": EVIL, "X-CSRF-Token": csrf_of(page.text)}, cookies=page.cookies, timeout=PATIENT)
    assert post.status_code == 421
    assert "rebound" not in httpx.get(f"{review.url}/api/sessions/{home.sid}/comments", timeout=PATIENT).text


def test_review_app_serves_its_configured_names_and_no_api_docs(local) -> None:
    assert local.get("/", headers={"Host": "localhost:8780"}).status_code == 200
    assert local.get("/", headers={"Host": "[::1]:8780"}).status_code == 200
    assert local.get("/", headers={"Host": "bad host"}).status_code == 400
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert local.get(path).status_code == 404


def test_overlay_server_refuses_a_rebound_name_and_hides_its_schema() -> None:
    overlay = OverlayServer(port=0).start()
    try:
        overlay.publish("monitor", {"text": "private note to the streamer"})
        assert httpx.get(overlay.url("/"), timeout=PATIENT).status_code == 200
        rebound = httpx.get(overlay.url("/"), headers={"Host": EVIL}, timeout=PATIENT)
        assert rebound.status_code == 421
        with httpx.stream("GET", overlay.url("/events/monitor"), headers={"Host": EVIL}, timeout=PATIENT) as stream:
            assert stream.status_code == 421 and "private note" not in stream.read().decode()
        for path in ("/openapi.json", "/docs", "/redoc"):
            assert httpx.get(overlay.url(path), timeout=PATIENT).status_code == 404, path
        assert "frame-ancestors" in httpx.get(overlay.url("/"), timeout=PATIENT).headers["content-security-policy"]
    finally:
        overlay.stop()
