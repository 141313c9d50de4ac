"""Body limits of an organisation's server: the push chunk route (a route path with parameters in
``WebPolicy.upload_limits``) takes a chunk of up to 4 MB; every other route keeps 256 KB."""

from __future__ import annotations

from pathlib import Path

import httpx

from streamkit.plugins.review.pushes import CHUNK_MAX
from streamkit.plugins.review.testing import ReviewServer
from streamkit.web import WebPolicy

CHUNK_ROUTE = "/api/push/{session_id}/files/{path:path}"


def test_policy_matches_route_paths_with_parameters() -> None:
    policy = WebPolicy(max_body_bytes=1000, upload_limits={CHUNK_ROUTE: 5000, "/products/import": 3000})
    assert policy.body_limit("/api/push/s-1/files/media/evening.mkv") == 5000
    assert policy.body_limit("/products/import") == 3000
    assert policy.body_limit("/products/import/more") == 1000, "an exact path stays exact"
    assert policy.body_limit("/api/push/s-1/manifest") == 1000
    assert policy.body_limit("/api/push/s-1/files") == 1000


def test_chunk_route_takes_a_chunk_other_routes_keep_the_small_limit(org_database: str,
                                                                     homes: tuple[Path, Path]) -> None:
    server = ReviewServer(homes[0], "--database", org_database).start()
    chunk = b"x" * (2 * 1024 * 1024)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            # past the guard, the app itself answers: no token, 401
            assert client.put("/api/push/s-1/files/a.mkv", params={"offset": 0}, content=chunk).status_code == 401
            too_big = client.put("/api/push/s-1/files/a.mkv", params={"offset": 0}, content=b"x" * (CHUNK_MAX + 128 * 1024))
            assert too_big.status_code == 413
            manifest = client.post("/api/push/s-1/manifest", content=chunk, headers={"Content-Type": "application/json"})
            assert manifest.status_code == 413 and "262,144" in manifest.json()["error"]
    finally:
        server.stop()
