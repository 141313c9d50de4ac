"""Helpers of the panel tests: the panel served from a thread of the test process (so a test can look
at its host and bus), axe-core checks that count what they checked, and a fake camera file."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from streamkit.hooks import Plugins
from streamkit.net import listen
from streamkit.plugins.panel.app import create_panel_app
from streamkit.plugins.panel.host import CONFIG_NAME, Host
from streamkit.testing.web import csrf_of

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / ".artifacts" / "panel"
SHOTS = Path("/work/brief/shots/panel")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_LOG = ARTIFACTS / "axe-checked.jsonl"


class PanelThread:
    """``streamkit app`` in a background thread, on a free loopback port."""

    def __init__(self, home: Path, config: Path | None = None) -> None:
        self.host = Host((config or home / CONFIG_NAME).resolve(), Plugins.installed(), home)
        self.app = create_panel_app(self.host)
        self._sock = listen("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off"))
        self._thread = threading.Thread(target=self._serve, name="panel-test-server", daemon=True)
        self._client: httpx.Client | None = None

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.run_until_complete(self._server.serve(sockets=[self._sock]))

    def start(self, timeout: float = 15.0) -> "PanelThread":
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        if not self._server.started:
            raise RuntimeError("the panel did not start")
        return self

    def client(self) -> httpx.Client:
        """An HTTP client that writes as the panel's pages do: this browser's cookie and CSRF token."""
        if self._client is None:
            self._client = httpx.Client(base_url=self.url, timeout=60)
            self._client.headers["X-CSRF-Token"] = csrf_of(self._client.get("/setup/language").text)
        return self._client

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
        self.host.close()
        assert self.host.feed is not None
        self.host.feed.close()
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()


def check_axe(page: Any, what: str) -> None:
    """axe-core (WCAG 2.2 AA tags) finds nothing on the page as it is now; logs what was checked."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with AXE_LOG.open("a", encoding="utf-8") as log:
        log.write(json.dumps({"state": what, "url": page.url, "violations": len(violations)}, ensure_ascii=False) + "\n")
    assert not violations, f"{what}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} — " + ", ".join(str(n['target']) for n in v["nodes"][:4])
        for v in violations)


def shot(page: Any, name: str, full_page: bool = True, shots: Path = SHOTS) -> Path:
    """Save a screenshot under .artifacts/panel (and the brief's ``shots`` folder when it exists)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if shots.parent.is_dir():
        shots.mkdir(exist_ok=True)
        (shots / path.name).write_bytes(path.read_bytes())
    return path


def fake_camera_file(video: Path, out: Path, seconds: float = 4.0) -> Path:
    """A 640×480 y4m made from ``video``, for Chromium's fake camera (--use-file-for-fake-video-capture)."""
    if not out.exists():
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-t", str(seconds), "-i", str(video),
                        "-vf", "scale=640:480,fps=15", "-pix_fmt", "yuv420p", str(out)], check=True)
    return out


def fake_camera_from_photos(photos: list[Path], out: Path, seconds: float = 2.0) -> Path:
    """A 640×480 y4m showing each photo for ``seconds`` (portrait ones cropped to 4:3), for Chromium's fake
    camera: real hands in front of the browser's camera."""
    args = ["ffmpeg", "-loglevel", "error", "-y"]
    chains = []
    for i, photo in enumerate(photos):
        args += ["-loop", "1", "-t", str(seconds), "-i", str(photo)]
        crop = "crop=iw:iw*3/4:0:(ih-iw*3/4)/2," if _portrait(photo) else ""  # the middle 4:3, as a desk webcam
        chains.append(f"[{i}]{crop}scale=640:480,setsar=1,fps=15[v{i}]")
    concat = "".join(f"[v{i}]" for i in range(len(photos))) + f"concat=n={len(photos)}:v=1[out]"
    subprocess.run(args + ["-filter_complex", ";".join(chains + [concat]), "-map", "[out]", "-pix_fmt", "yuv420p",
                           str(out)], check=True)
    return out


def _portrait(photo: Path) -> bool:
    from PIL import Image

    with Image.open(photo) as image:
        return image.height > image.width


def tab_to(page: Any, selector: str, limit: int = 60) -> int:
    """Press Tab until ``selector`` has focus; returns the number of presses (fails after ``limit``)."""
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return n
    raise AssertionError(f"{selector} never got focus in {limit} Tab presses")
