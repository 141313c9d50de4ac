"""Threat 10 — smaller holes that still answered 500 or wore the machine down.

A lone surrogate in a comment, JSON nested 100,000 deep and ids beyond SQLite's integer range
crashed requests (500, now 400); a missing catalog file re-reported its error every second (now
once, and again only when the file changes); six parallel PDF exports started six Chromiums
(now one at a time per user, cached until the session changes); and the comment list had no
paging (now pages with a ``next`` cursor).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from streamkit.plugins.products.catalog import CatalogWatcher

from streamkit.testing.web import csrf_of


@pytest.mark.parametrize("raw", [b'{"body": "\\ud800 lone"}', b'{"body": "x", "t_start": 1, "deep": ' + b"[" * 100_000
                                 + b"]" * 100_000 + b"}", b'{"body": "x", "parent_id": 99999999999999999999999}',
                                 b'{"body": "x", "parent_id": -1e400}', b'{"body": "x", "parent_id": "1e400"}'])
def test_hostile_json_is_a_400_not_a_500(local: TestClient, home, raw: bytes) -> None:
    token = csrf_of(local.get(f"/sessions/{home.sid}").text)
    r = local.post(f"/api/sessions/{home.sid}/comments", content=raw[:250_000],
                   headers={"X-CSRF-Token": token, "Content-Type": "application/json"})
    assert r.status_code in (400, 404), (raw[:60], r.status_code, r.text[:200])
    assert "error" in r.json()


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_ids_beyond_sqlite_range_are_a_400(local: TestClient, home, method: str) -> None:
    token = csrf_of(local.get(f"/sessions/{home.sid}").text)
    r = getattr(local, method)(f"/api/comments/{2**63}", headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and "comment_id" in r.json()["error"]
    r = local.post(f"/api/comments/{10**30}/resolved", json={}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400


def test_missing_catalog_is_reported_once_and_again_on_change(tmp_path: Path) -> None:
    reports: list[str] = []
    path = tmp_path / "catalog.csv"
    watcher = CatalogWatcher(path, on_error=lambda exc: reports.append(str(exc)))
    for _ in range(5):
        watcher.check()
    assert len(reports) == 1 and "not found" in reports[0]
    path.write_text("serial,id,name,price\n1,a,茶,abc\n", encoding="utf-8")
    watcher.check()
    watcher.check()
    assert len(reports) == 2 and "not found" not in reports[1], "a file that appears broken is reported once"
    path.unlink()
    watcher.check()
    watcher.check()
    assert len(reports) == 3 and "not found" in reports[2]


def test_pdf_exports_render_one_at_a_time_per_user_and_are_cached() -> None:
    from streamkit.plugins.review.pdfs import PdfExports

    exports = PdfExports()
    running, peak, calls = [0], [0], [0]
    lock = threading.Lock()

    def render() -> bytes:
        with lock:
            running[0] += 1
            calls[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return b"%PDF-1.7 report"

    threads = [threading.Thread(target=exports.get, args=(7, ("s1", "zh-CN", 1), render)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert calls[0] == 1 and peak[0] == 1, "six exports of one session by one user: one render"
    exports.get(7, ("s1", "zh-CN", 2), render)
    assert calls[0] == 2, "a changed session is rendered again"


@pytest.mark.browser
def test_report_pdf_is_cached_until_the_comments_change(local: TestClient, home) -> None:
    from streamkit.testing.helpers import CHROMIUM, require

    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is missing", "run: apt-get install chromium")
    url = f"/sessions/{home.sid}/report.pdf"
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(local.get(url).content)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    exports = local.app.state.review.pdfs
    assert len(results) == 3 and all(r.startswith(b"%PDF-") for r in results) and exports.renders == 1
    token = csrf_of(local.get(f"/sessions/{home.sid}").text)
    local.post(f"/api/sessions/{home.sid}/comments", json={"body": "新点评", "t_start": 1}, headers={"X-CSRF-Token": token})
    assert local.get(url).content.startswith(b"%PDF-") and exports.renders == 2


def test_comment_list_is_paged(local: TestClient, home) -> None:
    token = csrf_of(local.get(f"/sessions/{home.sid}").text)
    posted = [local.post(f"/api/sessions/{home.sid}/comments", json={"body": f"第 {i} 条", "t_start": i % 7},
                         headers={"X-CSRF-Token": token}).json()["comment"]["id"] for i in range(25)]
    seen: list[dict] = []
    after = None
    for _ in range(10):
        params = {"limit": 10, **({"after": after} if after else {})}
        page = local.get(f"/api/sessions/{home.sid}/comments", params=params).json()
        assert len(page["comments"]) <= 10
        seen += page["comments"]
        after = page["next"]
        if after is None:
            break
    assert sorted(c["id"] for c in seen) == sorted(posted)
    assert [(c["t_start"], c["id"]) for c in seen] == sorted((c["t_start"], c["id"]) for c in seen)
    assert local.get(f"/api/sessions/{home.sid}/comments", params={"limit": 100_000}).status_code == 400
    assert local.get(f"/api/sessions/{home.sid}/comments", params={"after": "nonsense"}).status_code == 400
