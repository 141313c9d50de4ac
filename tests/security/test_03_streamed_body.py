"""Threat 3 — a body too large to hold, sent in chunks.

The old limit looked only at ``Content-Length``; a chunked body has none, so one anonymous
chunked POST to ``/login`` was read whole into memory (256 MB grew the server by 256 MB). The
streamed body is now counted as it arrives on every route: the server stops reading at the limit,
answers 413 and hangs up, and its memory does not grow with what the client keeps sending.
"""

from __future__ import annotations

from streamkit.testing.web import chunked_post, memory_kib, reset_peak_memory

SENT = 64 * 1024 * 1024


def test_chunked_body_is_refused_early_without_growing_memory(server, home) -> None:
    review = server()
    before = reset_peak_memory(review.pid)
    # /login reads its body (refused at the limit); the comments API refuses before reading (no CSRF token)
    for path, refusal in (("/login", 413), (f"/api/sessions/{home.sid}/comments", 403)):
        status, sent = chunked_post(review.url, path, SENT)
        assert sent < SENT, f"the server read all {SENT:,} bytes of {path} instead of hanging up"
        assert status in (refusal, 0), (path, status)  # 0: the hang-up reached us before the answer
    grown = memory_kib(review.pid) - before
    assert grown < 16 * 1024, f"server memory grew by {grown} KiB"


def test_declared_oversized_body_is_refused_before_the_app_runs(local, home) -> None:
    r = local.post("/login", content=b"x" * (300 * 1024), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and "262,144" in r.text and r.headers["connection"] == "close"
