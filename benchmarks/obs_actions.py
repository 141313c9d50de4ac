"""OBS action latency: from the ObsClient call to OBS confirming the new state, p50/p90 over N runs.

Starts its own headless OBS (needs obs-studio and Xvfb). Actions:

- ``scene_switch_cut``: ``set_scene`` → OBS's ``CurrentProgramSceneChanged`` event (Cut transition);
- ``text_update``: ``set_text`` → ``GetInputSettings`` returns the new text;
- ``item_toggle``: ``set_item_visible`` → ``GetSceneItemEnabled`` returns the new state;
- ``request_roundtrip``: one blocking ``GetVersion`` (the floor under the others).

Usage: ``python benchmarks/obs_actions.py [--n 100] [--fps 30]``; writes benchmarks/results/obs_actions.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from streamkit.obs import ObsClient, ObsEvent
from streamkit.testing.headless_obs import HeadlessObs

RESULTS = Path(__file__).resolve().parent / "results" / "obs_actions.json"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(ms: list[float], confirmed_by: str) -> dict[str, float | int | str]:
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p90_ms": round(percentile(ms, 90), 2),
            "mean_ms": round(statistics.fmean(ms), 2), "min_ms": round(min(ms), 2), "max_ms": round(max(ms), 2),
            "confirmed_by": confirmed_by}


def poll(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("OBS never confirmed the change")


def bench_scene_switch(client: ObsClient, n: int) -> list[float]:
    arrived: dict[str, threading.Event] = {}

    def on_scene(event: ObsEvent) -> None:
        waiter = arrived.get(event.data.get("sceneName", ""))
        if waiter is not None:
            waiter.set()

    unsubscribe = client.on_event(on_scene, "CurrentProgramSceneChanged")
    out = []
    try:
        for i in range(n):
            scene = "商品特写" if i % 2 == 0 else "直播间"
            arrived[scene] = done = threading.Event()
            t0 = time.perf_counter()
            client.set_scene(scene)
            if not done.wait(5):
                raise TimeoutError(f"no CurrentProgramSceneChanged for {scene}")
            out.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.02)
    finally:
        unsubscribe()
    return out


def bench_text(client: ObsClient, n: int) -> list[float]:
    out = []
    for i in range(n):
        text = f"第{i}号商品 限时特价"
        t0 = time.perf_counter()
        client.set_text("字幕", text)
        poll(lambda: client.request("GetInputSettings", {"inputName": "字幕"})["inputSettings"].get("text") == text)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def bench_toggle(client: ObsClient, n: int) -> list[float]:
    item_id = client.request("GetSceneItemId", {"sceneName": "商品特写", "sourceName": "商品卡"})["sceneItemId"]
    out = []
    for i in range(n):
        visible = i % 2 == 0
        t0 = time.perf_counter()
        client.set_item_visible("商品特写", "商品卡", visible)
        poll(lambda: client.request("GetSceneItemEnabled", {"sceneName": "商品特写", "sceneItemId": item_id})
             ["sceneItemEnabled"] is visible)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def bench_roundtrip(client: ObsClient, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        client.request("GetVersion")
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="repetitions per action (default 100)")
    parser.add_argument("--fps", type=int, default=30, help="OBS frame rate; a Cut lands on the next frame (default 30)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON output (default {RESULTS})")
    args = parser.parse_args(argv)

    with HeadlessObs(fps=args.fps) as obs:
        client = ObsClient(obs.url, obs.password)
        try:
            client.connect()
            actions = {
                "scene_switch_cut": summary(bench_scene_switch(client, args.n), "CurrentProgramSceneChanged event"),
                "text_update": summary(bench_text(client, args.n), "GetInputSettings"),
                "item_toggle": summary(bench_toggle(client, args.n), "GetSceneItemEnabled"),
                "request_roundtrip": summary(bench_roundtrip(client, args.n), "GetVersion reply"),
            }
            versions = (client.obs_version, client.websocket_version)
        finally:
            client.close()
    result = {
        "benchmark": "obs_actions", "n": args.n, "fps": args.fps,
        "obs_version": versions[0], "websocket_version": versions[1],
        "python": platform.python_version(), "machine": f"{platform.system()} {platform.machine()}",
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "actions": actions,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"OBS {versions[0]} / obs-websocket {versions[1]}, {args.fps} fps, n={args.n}")
    for name, s in actions.items():
        print(f"  {name:<18} p50 {s['p50_ms']:7.2f} ms   p90 {s['p90_ms']:7.2f} ms   ({s['confirmed_by']})")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
