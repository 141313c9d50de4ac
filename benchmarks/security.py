"""Benchmarks of the web protections, against the review server as a real process (uvicorn).

1. Wrong passwords checked per account per minute before 429: one client guesses one account's
   password for 60 s; count the answers that were a real check (401) rather than a refusal (429).
2. Server memory growth under a 256 MB chunked body to ``/login`` (peak RSS, VmHWM). Target < 16 MB.
3. p50/p90 of an unrelated request (``GET /static/review.css``) while eight client processes guess passwords,
   with the default throttle and with the throttle lifted (every guess hashed). Target p50 ≤ 20 ms.
4. 2,000 concurrent comment posts: errors, and kill -9 right after; then a second wave of 2,000 with
   the server killed -9 once half of them are in the database: every acknowledged comment must be
   there after a restart.

Writes benchmarks/results/security.json and prints the figures. Run: .venv/bin/python benchmarks/security.py
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from streamkit.plugins.review import samples
from streamkit.plugins.review.store import ReviewStore
from streamkit.plugins.review.testing import ReviewServer
from streamkit.session import SessionStore
from streamkit.testing.web import chunked_post, csrf_of, memory_kib, reset_peak_memory

RESULTS = Path(__file__).resolve().parent / "results" / "security.json"
GUESSERS = 8
PARTS = ("login_throttle", "chunked_body", "guessing_load", "comments")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 4)


def make_home(work: Path) -> tuple[Path, str]:
    home = work / "home"
    store = SessionStore(home)
    try:
        session = samples.mandarin_session(store, work)
    finally:
        store.close()
    review = ReviewStore(home / "review.db")
    review.add_user("anna", "streamer", "anna-password")
    review.close()
    return home, session.id


def write_config(work: Path, name: str, **review: int) -> Path:
    path = work / f"{name}.toml"
    path.write_text("[review]\n" + "".join(f"{k} = {v}\n" for k, v in review.items()), encoding="utf-8")
    return path


def guess(url: str, account: str, seconds: float, max_requests: int) -> dict[str, int]:
    """One client guessing ``account``'s password for ``seconds`` (bounded): counts of each answer."""
    counts: dict[str, int] = {}
    with httpx.Client(base_url=url, timeout=30) as client:
        token = csrf_of(client.get("/login").text)
        deadline = time.monotonic() + seconds
        for i in range(max_requests):
            if time.monotonic() > deadline:
                break
            r = client.post("/login", data={"name": account, "password": f"guess-{i}", "csrf": token})
            counts[str(r.status_code)] = counts.get(str(r.status_code), 0) + 1
    return counts


def bench_throttle(home: Path, seconds: float) -> dict:
    server = ReviewServer(home, "--login").start()
    try:
        t = time.monotonic()
        counts = guess(server.url, "anna", seconds, 20_000)
        elapsed = time.monotonic() - t
    finally:
        server.stop()
    checked = counts.get("401", 0)
    per_minute = checked * 60 / elapsed
    print(f"wrong passwords checked for one account: {checked} in {elapsed:.0f} s ({per_minute:.1f}/min); "
          f"refused with 429: {counts.get('429', 0)}")
    return {"seconds": round(elapsed, 1), "answers": counts, "checked_per_account_per_minute": round(per_minute, 2),
            "checked_before_first_429": checked}


def bench_memory(home: Path, size: int) -> dict:
    server = ReviewServer(home, "--login").start()
    try:
        httpx.get(server.url + "/login")  # warm the page and the template cache first
        before = reset_peak_memory(server.pid)
        status, sent = chunked_post(server.url, "/login", size)
        after = memory_kib(server.pid)
        alive = httpx.get(server.url + "/login").status_code
    finally:
        server.stop()
    grown = (after - before) / 1024
    print(f"256 MB chunked POST /login: answered {status or 'hang-up'} after {sent / 2**20:.2f} MB sent; "
          f"peak memory grew {grown:.2f} MB (target < 16 MB); server still answers: {alive}")
    return {"body_bytes": size, "status": status, "sent_before_refusal": sent, "peak_rss_growth_mb": round(grown, 2),
            "target_mb": 16, "meets_target": grown < 16, "server_alive_after": alive == 200}


def unrelated_latency(url: str, seconds: float) -> list[float]:
    out: list[float] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            t = time.perf_counter()
            client.get("/static/review.css")
            out.append((time.perf_counter() - t) * 1000)
            time.sleep(0.05)
    return out


def _guesser(url: str, seconds: float, started: "multiprocessing.sharedctypes.Synchronized[int]",
             results: "multiprocessing.Queue[dict[str, int]]") -> None:
    """One guessing client process: say it is ready, guess for ``seconds``, report its answers."""
    with httpx.Client(base_url=url, timeout=30) as client:
        token = csrf_of(client.get("/login").text)
        with started.get_lock():
            started.value += 1
        counts: dict[str, int] = {}
        deadline = time.monotonic() + seconds
        i = 0
        while time.monotonic() < deadline and i < 5000:
            r = client.post("/login", data={"name": "anna", "password": f"guess-{i}", "csrf": token})
            counts[str(r.status_code)] = counts.get(str(r.status_code), 0) + 1
            i += 1
    results.put(counts)


def bench_guessing_load(home: Path, work: Path, seconds: float) -> dict:
    result: dict = {}
    lifted = write_config(work, "lifted", login_failures_per_account=1_000_000, login_failures_per_address=1_000_000)
    ctx = multiprocessing.get_context("fork")  # forked clients start at once (nothing to import)
    for name, args in (("default_throttle", ()), ("throttle_lifted", ("--config", str(lifted)))):
        server = ReviewServer(home, "--login", *args).start()
        try:
            quiet = unrelated_latency(server.url, min(5.0, seconds))
            started, results = ctx.Value("i", 0), ctx.Queue()
            procs = [ctx.Process(target=_guesser, args=(server.url, seconds + 3, started, results))
                     for _ in range(GUESSERS)]
            for proc in procs:
                proc.start()
            deadline = time.monotonic() + 60
            while started.value < GUESSERS and time.monotonic() < deadline:
                time.sleep(0.05)
            busy = unrelated_latency(server.url, seconds)
            answers: dict[str, int] = {}
            for _ in procs:
                for k, v in results.get(timeout=seconds + 120).items():
                    answers[k] = answers.get(k, 0) + v
            for proc in procs:
                proc.join(30)
        finally:
            server.stop()
        result[name] = {"quiet_p50_ms": pct(quiet, 0.5), "p50_ms": pct(busy, 0.5), "p90_ms": pct(busy, 0.9),
                        "samples": len(busy), "guess_answers": answers, "target_p50_ms": 20,
                        "meets_target": pct(busy, 0.5) <= 20}
        print(f"GET /static/review.css while {GUESSERS} clients guess ({name}): p50 {pct(busy, 0.5):.1f} ms  "
              f"p90 {pct(busy, 0.9):.1f} ms (quiet p50 {pct(quiet, 0.5):.1f} ms; guesses answered {answers})")
    return result


def kill_when_stored(server: ReviewServer, db: Path, total: int) -> threading.Thread:
    """kill -9 the server as soon as ``review.db`` holds ``total`` comments (a look every 20 ms)."""
    def watch() -> None:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            con = sqlite3.connect(db, timeout=5)
            try:
                stored = con.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
            finally:
                con.close()
            if stored >= total:
                server.kill()
                return
            time.sleep(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


async def post_comments(url: str, sid: str, count: int) -> tuple[list[int], dict[str, int]]:
    """``count`` comment posts at once; returns the acknowledged ids and what happened to the others."""
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=url, timeout=30) as browser:  # the page, as the coach's browser loads it
        page = await browser.get(f"/sessions/{sid}")
        token, cookies = csrf_of(page.text), dict(page.cookies)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits, cookies=cookies) as client:
        acked: list[int] = []
        failed: dict[str, int] = {}

        async def one(i: int) -> None:
            try:
                r = await client.post(f"/api/sessions/{sid}/comments", json={"body": f"并发点评 {i}", "t_start": i % 600},
                                      headers={"X-CSRF-Token": token})
            except httpx.HTTPError as exc:
                failed[type(exc).__name__] = failed.get(type(exc).__name__, 0) + 1
                return
            if r.status_code != 201:
                failed[str(r.status_code)] = failed.get(str(r.status_code), 0) + 1
                return
            acked.append(r.json()["comment"]["id"])

        await asyncio.gather(*(one(i) for i in range(count)))
    return acked, failed


def stored_ids(url: str, sid: str) -> set[int]:
    ids: set[int] = set()
    after = None
    with httpx.Client(base_url=url, timeout=60) as client:
        while True:
            params = {"limit": 500, **({"after": after} if after else {})}
            page = client.get(f"/api/sessions/{sid}/comments", params=params).json()
            ids |= {c["id"] for c in page["comments"]}
            after = page["next"]
            if after is None:
                return ids


def bench_comments(home: Path, sid: str, count: int) -> dict:
    server = ReviewServer(home).start()
    try:
        t = time.monotonic()
        acked, failed = asyncio.run(post_comments(server.url, sid, count))
        wave1_s = time.monotonic() - t
        server.kill()  # kill -9 right after the last acknowledgement
        server.stop()
        server = ReviewServer(home).start()
        before = stored_ids(server.url, sid)
        lost1 = len(set(acked) - before)
        watcher = kill_when_stored(server, home / "review.db", len(before) + count // 2)
        acked2, failed2 = asyncio.run(post_comments(server.url, sid, count))
        watcher.join(30)
        server.stop()
        server = ReviewServer(home).start()
        after = stored_ids(server.url, sid)
        lost2 = len(set(acked2) - after)
        stored2 = len(after - before)
    finally:
        server.stop()
    errors = sum(failed.values())
    print(f"{count} concurrent comment posts: {len(acked)} acknowledged, {errors} errors {failed or ''}, "
          f"{wave1_s:.1f} s; after kill -9: {lost1} lost. Second wave, killed -9 once {count // 2} were stored: "
          f"{len(acked2)} acknowledged, {stored2} stored, the rest cut off ({failed2}): "
          f"{lost2} acknowledged comments lost")
    return {"posts": count, "acknowledged": len(acked), "errors": errors, "error_kinds": failed,
            "seconds": round(wave1_s, 1), "lost_after_kill9": lost1, "wave2_killed_at_stored": count // 2,
            "wave2_acknowledged_before_kill": len(acked2), "wave2_stored": stored2, "wave2_cut_by_kill": failed2,
            "wave2_lost_after_kill9": lost2}


def raise_file_limit(needed: int) -> None:
    """2,000 connections at once need more than the usual 1,024 open files (the server inherits the limit)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guess-seconds", type=float, default=60.0, help="how long one client guesses (figure 1)")
    parser.add_argument("--load-seconds", type=float, default=15.0, help="how long eight clients guess (figure 3)")
    parser.add_argument("--comments", type=int, default=2000, help="concurrent comment posts (figure 4)")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS),
                        help="figures to measure (the others keep their last results in the JSON)")
    args = parser.parse_args()
    raise_file_limit(2 * args.comments + 512)
    result = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() and args.parts != list(PARTS) else {}
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        home, sid = make_home(work)
        figures = {"login_throttle": lambda: bench_throttle(home, args.guess_seconds),
                   "chunked_body": lambda: bench_memory(home, 256 * 1024 * 1024),
                   "guessing_load": lambda: bench_guessing_load(home, work, args.load_seconds),
                   "comments": lambda: bench_comments(home, sid, args.comments)}
        for part in args.parts:
            result[part] = figures[part]()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
