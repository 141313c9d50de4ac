"""Benchmarks of the control panel (``streamkit app``), in headless Chromium against a real headless OBS.

1. Keys from first start to a running session: the must-show test (tests/panel/test_panel_e2e.py)
   goes from an empty STREAMKIT_HOME through the wizard with the keyboard only and starts a session;
   it counts every key press and typed character (run here, its count read back).
2. Panel load to interactive: navigation start → the dashboard's first live update applied
   (``body[data-live]``), and → a wizard page ready (``body[data-ready]``), fresh browser context each.
3. Event → dashboard update: an event published on the panel's bus → the page shows it
   (a caption line in the monitor; the pause switch flipped after GESTURES.pause() in a real session;
   an OBS-lost announcement in the live region). Clock: the machine's wall clock on both sides.

Writes benchmarks/results/panel.json and prints p50/p90. Run: .venv/bin/python benchmarks/panel.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "panel"))

from panel_helpers import PanelThread  # noqa: E402

from streamkit.events import Caption, ObsDisconnected  # noqa: E402
from streamkit.features import GESTURES  # noqa: E402
from streamkit.testing.headless_obs import HeadlessObs  # noqa: E402
from streamkit.testing.helpers import CHROMIUM, CHROMIUM_ARGS, wait_until  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "panel.json"
E2E_FIGURES = REPO / ".artifacts" / "panel" / "e2e-keys.json"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 1)


def dist(values: list[float]) -> dict[str, float]:
    return {"p50": pct(values, 0.5), "p90": pct(values, 0.9), "n": len(values)}


def keys_to_running() -> dict[str, Any]:
    """Run the must-show test and read what it counted."""
    E2E_FIGURES.unlink(missing_ok=True)
    code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            str(REPO / "tests" / "panel" / "test_panel_e2e.py")], cwd=REPO,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if code != 0 or not E2E_FIGURES.exists():
        return {"error": f"the must-show test failed (exit {code})"}
    return json.loads(E2E_FIGURES.read_text(encoding="utf-8"))


def load_times(browser: Any, url: str, path: str, mark: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        page.goto(url + path)
        page.wait_for_selector(f"body[data-{mark}]", state="attached", timeout=30_000)
        out.append(float(page.get_attribute("body", f"data-{mark}-at") or "nan"))
        context.close()
    return out


def observe(page: Any, script: str) -> None:
    """Record Date.now() in window.__seen each time ``script`` (a JS expression) becomes true."""
    page.evaluate("""(check) => {
        window.__seen = []; const f = new Function('return ' + check);
        let last = f();
        new MutationObserver(() => { const now = f(); if (now !== last) { window.__seen.push([Date.now(), now]); last = now; } })
          .observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    }""", script)


def event_latencies(page: Any, panel: PanelThread, runs: int) -> dict[str, list[float]]:
    bus = panel.host.bus
    out: dict[str, list[float]] = {"caption": [], "pause_switch": [], "obs_lost_announced": []}
    observe(page, "document.getElementById('monitor').textContent.length")
    for i in range(runs):
        sent = time.time() * 1000
        bus.publish(Caption(kind="final", text=f"第{i}句测试字幕。", source="host", speaker="主播", audio_start=0,
                            audio_end=1, emitted_at=1, language="zh", utterance=1000 + i, utterance_end=True))
        page.wait_for_function(f"window.__seen.length >= {i + 1}", timeout=10_000)
        out["caption"].append(page.evaluate(f"window.__seen[{i}][0]") - sent)
    runtime = panel.host.session()
    gestures = runtime.services.get(GESTURES) if runtime else None
    if gestures is not None:
        observe(page, "document.getElementById('pause-switch').getAttribute('aria-checked')")
        for i in range(runs):
            sent = time.time() * 1000
            (gestures.resume if gestures.paused else gestures.pause)()
            page.wait_for_function(f"window.__seen.length >= {i + 1}", timeout=10_000)
            out["pause_switch"].append(page.evaluate(f"window.__seen[{i}][0]") - sent)
    observe(page, "document.getElementById('announce-urgent').textContent")
    for _ in range(runs):
        before = page.evaluate("window.__seen.length")
        sent = time.time() * 1000
        bus.publish(ObsDisconnected(url="ws://bench", reason="benchmark"))
        seen = f"window.__seen.slice({before}).find(([t, text]) => text)"
        page.wait_for_function(f"!!({seen})", timeout=10_000)
        out["obs_lost_announced"].append(page.evaluate(f"({seen})[0]") - sent)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-e2e", action="store_true", help="skip the keyboard run (keys to a running session)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    result: dict[str, Any] = {"machine": f"{platform.machine()}, {os.cpu_count()} CPU", "runs": args.runs}
    result["keys_to_running_session"] = {} if args.no_e2e else keys_to_running()
    with tempfile.TemporaryDirectory(prefix="streamkit-bench-panel-") as tmp, HeadlessObs() as obs:
        home = Path(tmp)
        os.environ["STREAMKIT_HOME"] = str(home)
        panel = PanelThread(home).start()
        try:
            panel.host.write_config("obs", {"url": obs.url, "password": obs.password})
            panel.host.write_config("overlay", {"port": 0})
            panel.host.write_config("captions", {"enabled": False})
            panel.host.write_config("gestures", {"source": "obs", "obs_source": "商品图", "fps": 5.0, "bindings": [
                {"gestures": ["smile"], "action": "scene", "scene": "暂停"}]})
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                wait_until(lambda: panel.host.obs().connected, 15)
                result["load_to_interactive_ms"] = {
                    "dashboard": dist(load_times(browser, panel.url, "/", "live", args.runs)),
                    "wizard_page": dist(load_times(browser, panel.url, "/setup/features", "ready", args.runs))}
                panel.host.controller.start(panel.host.config(), panel.host.obs())
                wait_until(lambda: panel.host.session() is not None, 60)
                page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True).new_page()
                page.goto(panel.url + "/")
                page.wait_for_selector("#pause-switch:not([aria-disabled])", state="attached", timeout=30_000)
                result["event_to_dashboard_ms"] = {k: dist(v) for k, v in event_latencies(page, panel, args.runs).items() if v}
                browser.close()
        finally:
            panel.stop()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    keys = result["keys_to_running_session"]
    if keys:
        print(f"keys from first start to a running session: {keys.get('key_presses_to_start')} presses "
              f"+ {keys.get('characters_typed')} characters typed ({keys.get('seconds_to_running')} s)")
    for name, d in result["load_to_interactive_ms"].items():
        print(f"load to interactive, {name}: p50 {d['p50']} ms, p90 {d['p90']} ms")
    for name, d in result["event_to_dashboard_ms"].items():
        print(f"event → dashboard, {name}: p50 {d['p50']} ms, p90 {d['p90']} ms")
    print(f"written: {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
