"""Load on an organisation's review server: 50 coaches browsing and commenting at once over 200 sessions,
and a coach's live prompt reaching the streamer.

Setup: a throw-away PostgreSQL (Debian's), one review server process (``streamkit review serve
--database``), 20 streamers with 10 sessions each (≈10 minutes of captions, scenes and cards per
session, built from the sample session's events), 50 coaches assigned two streamers each.

1. Pages: each coach logs in, then for ``--seconds`` opens the session list, a session page (with
   the transcript and comments its script loads) and posts a comment, ``--think`` seconds between
   steps (default 1–3 s: quicker than people read and type; ``--think 0.3 1`` is a stress run).
   Page time is the list and session pages (full HTML); API and comment times are reported beside
   them. Target: p90 page ≤ 1 s, 0 errors.
2. Prompts: a streamer's PC (a real session runtime with the ``review-link`` component) runs while
   a coach sends a prompt every 1.5 s; the time is from the coach's POST to the ``CoachPrompt`` on
   the streamer's bus (the event the monitor page, the panel and headphone speech react to),
   measured idle and under the page load. Target: p50 ≤ 0.5 s.

Writes benchmarks/results/org.json. Run: .venv/bin/python benchmarks/org.py
"""

from __future__ import annotations

if __name__ == "org":  # the standard library's pickle probes ``org.python.core`` (Jython): not this script
    raise ImportError("benchmarks/org.py is a script, not the module org")

import argparse
import asyncio
import io
import json
import os
import platform
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from streamkit.config import CORE_SECTIONS, validate
from streamkit.events import CoachPrompt, SessionStarted
from streamkit.obs.dryrun import DryRunObs
from streamkit.plugins.review import samples
from streamkit.plugins.review.config import ReviewConfig
from streamkit.plugins.review.livelink import OrgLink
from streamkit.plugins.review.orgstore import OrgStore
from streamkit.plugins.review.store import ReviewStore
from streamkit.plugins.review.testing import ReviewServer
from streamkit.session import SessionStore, read_events
from streamkit.testing.postgres import TempPostgres
from streamkit.testing.runtime import test_runtime
from streamkit.testing.web import csrf_of

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "org.json"
STREAMERS, SESSIONS_EACH, COACHES = 20, 10, 50
PASSWORD = "bench-password"


def session_events(template: list[dict[str, Any]], start: float, repeats: int) -> list[tuple[int, dict[str, Any]]]:
    """``repeats`` copies of the sample session's events one after another from ``start`` (≈10 min)."""
    t0 = template[0]["ts"]
    span = max(e["ts"] for e in template) - t0 + 2.0
    out: list[tuple[int, dict[str, Any]]] = []
    for r in range(repeats):
        for e in template:
            if e["type"] in ("SessionStarted", "SessionEnded") and r:
                continue
            shifted = dict(e, ts=start + r * span + (e["ts"] - t0))
            out.append((len(out) + 1, shifted))
    return out


def populate(url: str, work: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Accounts, assignments and 200 sessions; returns the coaches and each coach's visible session ids."""
    store = SessionStore(work / "template-home")
    try:
        sample = samples.english_session(store, work)
    finally:
        store.close()
    events, _ = read_events(sample.events_path)
    template = [e.to_dict() for e in events]
    review = ReviewStore(url)
    org = OrgStore(review)
    try:
        streamers = [review.add_user(f"主播{i:02d}", "streamer", PASSWORD) for i in range(STREAMERS)]
        coaches = [review.add_user(f"教练{i:02d}", "coach", PASSWORD).name for i in range(COACHES)]
        review.add_user("organiser", "organiser", PASSWORD)
        owned: dict[str, list[str]] = {}
        now = time.time()
        for i, streamer in enumerate(streamers):
            for j in range(SESSIONS_EACH):
                sid = f"bench-{i:02d}-{j:02d}"
                start = now - (i * SESSIONS_EACH + j + 1) * 3600
                org.open_session(sid, streamer, {"name": f"{streamer.name} 第{j + 1}场", "started": start,
                                                 "ended": start + 600})
                org.add_events(sid, session_events(template, start, 20))
                owned.setdefault(streamer.name, []).append(sid)
        visible: dict[str, list[str]] = {}
        for k, coach in enumerate(coaches):
            mine = [streamers[k % STREAMERS].name, streamers[(k + 7) % STREAMERS].name]
            for name in mine:
                review.assign(coach, name)
            visible[coach] = [sid for name in mine for sid in owned[name]]
        return coaches, visible
    finally:
        review.close()


async def log_in(client: httpx.AsyncClient, name: str, out: dict[str, list[Any]]) -> bool:
    try:
        login_page = await client.get("/login")
        answer = await client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf_of(login_page.text)})
    except httpx.HTTPError as exc:
        out["errors"].append(f"login {name}: {exc!r}")
        return False
    if answer.status_code != 303:
        out["errors"].append(f"login {name}: {answer.status_code}")
    return answer.status_code == 303


async def coach_loop(client: httpx.AsyncClient, name: str, sessions: list[str], until: float,
                     out: dict[str, list[Any]], think: tuple[float, float]) -> None:
    """One coach: the list, a session page (with the transcript and comments its script loads), a comment;
    ``think`` seconds (at random in that range) between the steps."""
    rnd = random.Random(name)
    i = 0
    while time.monotonic() < until:
        i += 1
        sid = rnd.choice(sessions)
        await timed(client, "GET", "/", out, "page")
        await asyncio.sleep(rnd.uniform(*think))
        page = await timed(client, "GET", f"/sessions/{sid}", out, "page")
        token = csrf_of(page.text) if page is not None and page.status_code == 200 else ""
        await asyncio.gather(timed(client, "GET", f"/api/sessions/{sid}/transcript", out, "api"),
                             timed(client, "GET", f"/api/sessions/{sid}/comments", out, "api"))
        await asyncio.sleep(rnd.uniform(*think))
        if token:
            await timed(client, "POST", f"/api/sessions/{sid}/comments", out, "comment",
                        json={"body": f"{name} 的第 {i} 条点评：这里语速可以慢一点。", "t_start": rnd.uniform(0, 600)},
                        headers={"X-CSRF-Token": token}, expect=201)
        await asyncio.sleep(rnd.uniform(*think))


async def timed(client: httpx.AsyncClient, method: str, path: str, out: dict[str, list[Any]], kind: str,
                expect: int = 200, **kwargs: Any) -> httpx.Response | None:
    t = time.perf_counter()
    try:
        answer = await client.request(method, path, **kwargs)
    except httpx.HTTPError as exc:
        out["errors"].append(f"{method} {path}: {exc!r}")
        return None
    out[kind].append(time.perf_counter() - t)
    if answer.status_code != expect:
        out["errors"].append(f"{method} {path}: {answer.status_code}")
    return answer


async def load(url: str, coaches: list[str], visible: dict[str, list[str]], seconds: float,
               think: tuple[float, float], browsing: threading.Event) -> dict[str, list[Any]]:
    """Every coach logs in (a few at a time: they all come from this one address, which the login
    throttle counts), then all browse and comment at once for ``seconds`` (``browsing`` is set then)."""
    out: dict[str, list[Any]] = {"page": [], "api": [], "comment": [], "errors": []}
    # idle connections are let go after 4 s, before the server's 5 s keep-alive ends them (httpx's own 5 s
    # races it: a request sent on a connection the server is closing fails where a browser would retry)
    limits = httpx.Limits(keepalive_expiry=4.0)
    clients = {name: httpx.AsyncClient(base_url=url, timeout=60, limits=limits) for name in coaches}
    try:
        for i in range(0, len(coaches), 5):
            await asyncio.gather(*(log_in(clients[name], name, out) for name in coaches[i:i + 5]))
        until = time.monotonic() + seconds
        browsing.set()
        await asyncio.gather(*(coach_loop(clients[name], name, visible[name], until, out, think) for name in coaches))
    finally:
        for client in clients.values():
            await client.aclose()
    return out


class Streamer:
    """A streamer's PC: a session runtime with the review-link component, timing prompts to its bus."""

    def __init__(self, url: str, home: Path, user: str) -> None:
        os.environ["STREAMKIT_REVIEW_PASSWORD"] = PASSWORD
        config = validate({"overlay": {"enabled": False}, "review": {"server": url, "user": user}}, "pc.toml",
                          {**CORE_SECTIONS, "review": ReviewConfig})
        self.runtime = test_runtime(config, DryRunObs(out=io.StringIO()), home=home)
        self.arrived: dict[str, float] = {}
        self.runtime.bus.subscribe(self._on_prompt, CoachPrompt)
        self.link = OrgLink(self.runtime, config.section("review"))
        self.runtime.start_component(self.link)
        self.runtime.bus.publish(SessionStarted(session_id=self.runtime.session.id))

    def _on_prompt(self, event: Any) -> None:
        self.arrived[event.text] = time.perf_counter()

    def stop(self) -> None:
        self.runtime.stop_components()
        self.runtime.recorder.close()
        self.runtime.store.close()


class Prompter:
    """A coach on the live page sending a prompt every 1.5 s; times each to the streamer's bus."""

    def __init__(self, url: str, streamer: Streamer, coach: str) -> None:
        self.url, self.streamer, self.coach = url, streamer, coach
        self.lost: list[str] = []

    def run(self, count: int, label: str) -> list[float]:
        sid = self.streamer.runtime.session.id
        with httpx.Client(base_url=self.url, timeout=60) as client:
            page = client.get("/login")
            client.post("/login", data={"name": self.coach, "password": PASSWORD, "csrf": csrf_of(page.text)})
            token = csrf_of(client.get(f"/sessions/{sid}/live").text)
            out: list[float] = []
            for i in range(count):
                text = f"{label} 提示 {i}：语速慢一点"
                t = time.perf_counter()
                answer = client.post(f"/api/sessions/{sid}/prompts", json={"text": text},
                                     headers={"X-CSRF-Token": token})
                if answer.status_code != 201:
                    self.lost.append(f"{text}: {answer.status_code}")
                    continue
                deadline = time.monotonic() + 30
                while text not in self.streamer.arrived and time.monotonic() < deadline:
                    time.sleep(0.002)
                if text in self.streamer.arrived:
                    out.append(self.streamer.arrived[text] - t)
                else:
                    self.lost.append(f"{text}: not on the streamer's bus within 30 s")
                time.sleep(1.5)
        return out


def wait_for_live_session(url: str, session_id: str, timeout: float = 30.0) -> None:
    """Until the streamer's first live events have made the session on the server."""
    review = ReviewStore(url)
    try:
        org = OrgStore(review)
        deadline = time.monotonic() + timeout
        while org.session(session_id) is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the live session {session_id} did not reach the server in {timeout:.0f} s")
            time.sleep(0.2)
    finally:
        review.close()


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    return {"n": len(values), "p50": round(percentile(values, 50), 3), "p90": round(percentile(values, 90), 3),
            "max": round(max(values), 3)}


def measure(work: Path, seconds: float, think: tuple[float, float], prompts: int) -> dict[str, Any]:
    """One run against a fresh PostgreSQL: prompts idle, then pages and prompts under the load."""
    pg = TempPostgres().start()
    server: ReviewServer | None = None
    streamer: Streamer | None = None
    try:
        url = pg.create_database("bench")
        t = time.monotonic()
        coaches, visible = populate(url, work)
        print(f"{STREAMERS * SESSIONS_EACH} sessions, {COACHES} coaches, {STREAMERS} streamers "
              f"in {time.monotonic() - t:.0f} s", flush=True)
        server = ReviewServer(work / "server-home", "--database", url).start()
        streamer = Streamer(server.url, work / "pc-home", "主播00")
        wait_for_live_session(url, streamer.runtime.session.id)
        prompter = Prompter(server.url, streamer, coaches[0])  # coach 00 is assigned to 主播00
        idle = prompter.run(10, "idle")
        print(f"prompt to the streamer's bus, idle: {summary(idle)}", flush=True)
        busy: list[float] = []
        browsing = threading.Event()

        def prompt_under_load() -> None:
            if browsing.wait(300):
                busy.extend(prompter.run(prompts, "busy"))

        thread = threading.Thread(target=prompt_under_load, daemon=True)
        thread.start()
        result = asyncio.run(load(server.url, coaches, visible, seconds, think, browsing))
        thread.join(120)
        return {"result": result, "idle": idle, "busy": busy, "lost_prompts": prompter.lost}
    finally:
        if streamer is not None:
            streamer.stop()
        if server is not None:
            server.stop()
        pg.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the page load (default 60)")
    parser.add_argument("--prompts", type=int, default=20, help="prompts timed under load (default 20)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="seconds a coach spends on a page before the next step (default 1 3)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"result file (default {RESULTS.name} in results/)")
    args = parser.parse_args()
    think = (args.think[0], args.think[1])
    with tempfile.TemporaryDirectory(prefix="streamkit-bench-org-") as tmp:
        run = measure(Path(tmp), args.seconds, think, args.prompts)
    result = run["result"]
    pages = summary(result["page"])
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "setup": {"sessions": STREAMERS * SESSIONS_EACH, "coaches": COACHES, "streamers": STREAMERS,
                  "seconds": args.seconds, "think_s": list(think)},
        "pages": pages, "api": summary(result["api"]), "comments": summary(result["comment"]),
        "errors": len(result["errors"]), "error_samples": result["errors"][:10],
        "prompt_to_bus_idle": summary(run["idle"]), "prompt_to_bus_under_load": summary(run["busy"]),
        "prompts_lost": len(run["lost_prompts"]), "prompt_loss_samples": run["lost_prompts"][:10],
        "targets": {"page_p90_s": 1.0, "errors": 0, "prompt_p50_s": 0.5},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    under_load = report["prompt_to_bus_under_load"]
    print(f"pages ({pages.get('n', 0)}): p50 {pages.get('p50')} s, p90 {pages.get('p90')} s (target ≤ 1 s); "
          f"API p90 {report['api'].get('p90')} s; comments ({report['comments'].get('n', 0)}) p90 "
          f"{report['comments'].get('p90')} s; errors {report['errors']} (target 0)")
    print(f"prompt to the streamer's bus under load ({under_load.get('n', 0)}): p50 {under_load.get('p50')} s "
          f"(target ≤ 0.5 s), p90 {under_load.get('p90')} s; lost {report['prompts_lost']}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
