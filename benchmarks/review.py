"""Benchmarks of the review plugin, on recordings built from the real sample clips.

1. ``review import`` real-time factor (whisper-base, int8, 2 threads): import time / audio time,
   for an English recording (the five LibriVox sentences, 31 s) and a Mandarin one (AISHELL ×3).
2. Session page load to interactive for a 2-hour session (≈20,000 words in ≈2,000 captions plus
   scenes, product segments, gestures and marks): from navigation start to the page's ready mark
   (transcript rendered, comments loaded, handlers attached), in headless Chromium, fresh browser
   context each load. Target ≤ 1.5 s p50.

Writes benchmarks/results/review.json and prints p50/p90. Run: .venv/bin/python benchmarks/review.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from streamkit.plugins.review import samples
from streamkit.plugins.review.importer import import_recording, load_whisper
from streamkit.plugins.review.sessiondata import load_session, media_duration
from streamkit.session import SessionStore

RESULTS = Path(__file__).resolve().parent / "results" / "review.json"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 4)


def bench_import(work: Path, runs: int) -> dict:
    t = time.perf_counter()
    decoder = load_whisper("base", threads=2)
    load_s = time.perf_counter() - t
    en_wav = work / "en.wav"
    samples.build_audio([0.5, *[x for c in samples.EN_CLIPS for x in (c, 0.4)]], en_wav)
    zh_wav = work / "zh.wav"
    samples.build_audio([0.5, samples.ZH_CLIP, 0.6, samples.ZH_CLIP, 0.6, samples.ZH_CLIP, 0.5], zh_wav)
    recordings = {"en": samples.encode_video(en_wav, work / "en.webm"), "zh": samples.encode_video(zh_wav, work / "zh.webm")}
    out: dict = {"model": "whisper-base int8, 2 threads", "model_load_s": round(load_s, 2), "by_language": {}}
    all_rtf: list[float] = []
    for lang, video in recordings.items():
        seconds = media_duration(video) or 0.0
        rtf: list[float] = []
        for _ in range(runs):
            store = SessionStore(work / f"home-{lang}")
            t = time.perf_counter()
            import_recording(video, store=store, decoder=decoder, language="auto", progress=False)
            rtf.append((time.perf_counter() - t) / seconds)
            store.close()
        all_rtf += rtf
        out["by_language"][lang] = {"audio_s": round(seconds, 2), "rtf": [round(r, 4) for r in rtf],
                                    "rtf_p50": pct(rtf, 0.5), "rtf_p90": pct(rtf, 0.9)}
        print(f"import {lang} ({seconds:.1f} s audio): RTF p50 {pct(rtf, 0.5):.3f}  p90 {pct(rtf, 0.9):.3f}")
    out["rtf_p50"], out["rtf_p90"] = pct(all_rtf, 0.5), pct(all_rtf, 0.9)
    return out


def bench_page(work: Path, loads: int) -> dict:
    from playwright.sync_api import sync_playwright

    home = work / "home-long"
    store = SessionStore(home)
    t = time.perf_counter()
    session = samples.long_session(store, work, hours=2.0)
    build_s = time.perf_counter() - t
    store.close()
    loaded = load_session(session.dir)
    words = sum(len(x.text.split()) for x in loaded.lines)
    env = {**os.environ, "STREAMKIT_HOME": str(home)}
    server = subprocess.Popen([sys.executable, "-m", "streamkit.plugins.review", "serve", "--port", "0"],
                              stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        url = re.search(r"(http://\S+)/ ", server.stdout.readline()).group(1)  # type: ignore[union-attr]
        page_url = f"{url}/sessions/{session.id}"
        ready: list[float] = []
        wall: list[float] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for i in range(loads + 1):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                t = time.perf_counter()
                page.goto(page_url)
                page.wait_for_selector("body[data-ready='1']", timeout=60_000)
                w = time.perf_counter() - t
                r = page.evaluate("window.reviewReadyAt") / 1000
                if i == 0:
                    first = {"wall_s": round(w, 3), "ready_s": round(r, 3)}
                else:
                    wall.append(w)
                    ready.append(r)
                ctx.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    print(f"2 h session page ({len(loaded.lines)} lines, {words} words, {loaded.event_count} events): "
          f"ready p50 {pct(ready, 0.5):.3f} s  p90 {pct(ready, 0.9):.3f} s (first, cold server: {first['ready_s']:.3f} s)")
    return {"lines": len(loaded.lines), "words": words, "events": loaded.event_count, "duration_s": loaded.duration,
            "build_s": round(build_s, 1), "first_load": first, "ready_s": [round(x, 3) for x in ready],
            "ready_p50": pct(ready, 0.5), "ready_p90": pct(ready, 0.9), "wall_p50": pct(wall, 0.5),
            "wall_p90": pct(wall, 0.9), "target_p50_s": 1.5, "meets_target": pct(ready, 0.5) <= 1.5}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="imports per recording")
    parser.add_argument("--loads", type=int, default=10, help="page loads (after one warm-up)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        result = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                  "import": bench_import(work, args.runs), "page": bench_page(work, args.loads)}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
