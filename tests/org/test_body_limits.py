"""Body limits of an organisation's server: the push chunk route (a route path with parameters in
``WebPolicy.upload_limits``) takes a chunk of up to 4 MB — a push sends 2 MB chunks through it — while
every other route keeps 256 KB."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import httpx

from streamkit.plugins.review.pushclient import ReviewClient, plan_push, push
from streamkit.plugins.review.pushes import CHUNK_MAX
from streamkit.plugins.review.testing import ReviewServer
from streamkit.web import WebPolicy

from conftest import PASSWORDS

CHUNK_ROUTE = "/api/push/{session_id}/files/{path:path}"


def test_policy_matches_route_paths_with_parameters() -> None:
    policy = WebPolicy(max_body_bytes=1000, upload_limits={CHUNK_ROUTE: 5000, "/products/import": 3000})
    assert policy.body_limit("/api/push/s-1/files/media/evening.mkv") == 5000
    assert policy.body_limit("/products/import") == 3000
    assert policy.body_limit("/products/import/more") == 1000, "an exact path stays exact"
    assert policy.body_limit("/api/push/s-1/manifest") == 1000
    assert policy.body_limit("/api/push/s-1/files") == 1000


def declared_status(url: str, method: str, path: str, length: int) -> int:
    """The status the server answers to a request that declares a ``length``-byte body and sends none of it
    (a limit on declared bodies answers before reading; a route that wants the body would wait)."""
    target = httpx.URL(url)
    head = (f"{method} {path} HTTP/1.1\r\nHost: {target.host}:{target.port}\r\nContent-Length: {length}\r\n"
            "Content-Type: application/json\r\n\r\n").encode()
    with socket.create_connection((target.host, target.port), timeout=30) as sock:
        sock.sendall(head)
        answer = sock.recv(4096)
    return int(answer.split(b" ", 2)[1])


def test_chunk_route_takes_a_chunk_other_routes_keep_the_small_limit(org_database: str, homes: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    server_home, pc_home = homes
    server = ReviewServer(server_home, "--database", org_database).start()
    media = tmp_path / "evening.mkv"
    media.write_bytes(os.urandom(5 * 1024 * 1024))  # two 2 MB chunks and a rest
    try:
        client = ReviewClient(server.url, "anna", home=pc_home, password=lambda: PASSWORDS["anna"])
        try:
            plan = plan_push(media)
            push(client, plan)
            state = client.call("GET", f"/api/push/{plan.session_id}").json()
        finally:
            client.close()
        assert state["complete"] and state["files"][plan.files[0].name] == media.stat().st_size
        chunk_path = f"/api/push/{plan.session_id}/files/{plan.files[0].name}?offset=0"
        assert declared_status(server.url, "PUT", chunk_path, CHUNK_MAX + 128 * 1024) == 413
        assert declared_status(server.url, "POST", f"/api/push/{plan.session_id}/manifest", 2 * 1024 * 1024) == 413
        assert declared_status(server.url, "POST", "/api/tokens", 300 * 1024) == 413
    finally:
        server.stop()
