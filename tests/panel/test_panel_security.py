"""The panel on the shared web protection, as an attacker on this machine or a web page would reach it:
a rebound name is refused, a chunked body too large to hold is cut off, a write without the page's
token changes nothing (the settings file included)."""

from __future__ import annotations

from pathlib import Path

import httpx

from streamkit.testing.web import PATIENT, chunked_post

from panel_helpers import PanelThread

SENT = 64 * 1024 * 1024


def test_a_rebound_name_is_refused(panel: PanelThread) -> None:
    port = panel.url.rsplit(":", 1)[1]
    r = httpx.get(panel.url + "/", headers={"Host": f"streamer.attacker.example:{port}"}, timeout=PATIENT)
    assert r.status_code == 421
    assert httpx.get(panel.url + "/openapi.json", timeout=PATIENT).status_code == 404
    assert httpx.get(panel.url.replace("127.0.0.1", "localhost") + "/setup", timeout=PATIENT).status_code == 200


def test_a_chunked_body_is_cut_off_and_changes_nothing(panel: PanelThread, home: Path) -> None:
    status, sent = chunked_post(panel.url, "/setup/language", SENT)
    assert sent < SENT and status in (403, 413, 0), status
    assert not (home / "streamkit.toml").exists()


def test_a_write_from_another_page_changes_nothing(panel: PanelThread, home: Path) -> None:
    """A cross-site form post carries the browser's cookies but never the page's token."""
    with httpx.Client(base_url=panel.url) as browser:
        browser.get("/setup/language")  # the browser id cookie, as a visited panel page would leave it
        r = browser.post("/setup/language", data={"language": "en"}, headers={"Origin": "https://attacker.example"})
        assert r.status_code == 403
        r = browser.post("/session/start", headers={"Accept": "application/json"})
        assert r.status_code == 403
    assert not (home / "streamkit.toml").exists()
    assert not panel.host.controller.running
