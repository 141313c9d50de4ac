"""``streamkit demo``: a session on the bundled sample media, with a real headless OBS when one can start.

Needs no camera, microphone or OBS of the user's: the sample recordings play as sources; on Linux
with obs-studio and Xvfb a private OBS is started headless, set up by ``streamkit obs setup`` logic,
and screenshotted at the end; otherwise a dry-run OBS prints every action it would have taken.
"""

from __future__ import annotations

import argparse
import base64
import logging
import queue
import threading
import time
from pathlib import Path
from typing import Any

from .bundled import samples_dir
from .bus import EventBus
from .config import Config, load
from .events import Event, SceneChanged
from .features import REVIEW, SPEECH, SpeechApi
from .obs.dryrun import DryRunObs
from .run import run_session

log = logging.getLogger(__name__)

SAMPLES = samples_dir()
DEMO_CONFIG = SAMPLES / "demo.toml"
#: The scene demo.toml's smile switches to, and the quick phrase (demo.toml's [[speech.phrases]]) the
#: demo's seller then presses, as on the panel's board: it plays into OBS with its words on screen.
LIVE_SCENE = "直播间"
WELCOME_PHRASE = "welcome"


def demo_scenes() -> list[Any]:
    """The test scenes, with the caption text lower-left and sized so two lines fit on the canvas."""
    from dataclasses import replace

    from .testing.headless_obs import DEFAULT_SCENES, Text

    return [replace(scene, items=[replace(item, y=500, size=56) if isinstance(item, Text) and item.name == "字幕" else item
                                  for item in scene.items]) for scene in DEFAULT_SCENES]


def start_demo_obs(config: Config, bus: EventBus) -> tuple[Any, Any]:
    """Start a private headless OBS with what the config needs; returns ``(headless, client)``.

    Raises when OBS cannot be started here (the caller falls back to the dry run).
    """
    from .obs.client import ObsClient
    from .obs.connection import ObsConnection
    from .obs.doctor import requirements_from_config
    from .obs.setup import inputs_from_config, setup
    from .testing.headless_obs import HeadlessObs, missing_programs

    missing = missing_programs()
    if missing:
        raise RuntimeError(f"{', '.join(missing)} not installed")
    headless = HeadlessObs(scenes=demo_scenes())
    try:
        headless.start()
        conn = ObsConnection(headless.url, headless.password, timeout=5.0)
        conn.connect()
        try:
            result = setup(conn, requirements_from_config(config), inputs_from_config(config))
            print(result)
        finally:
            conn.close()
        client = ObsClient(headless.url, headless.password, timeout=5.0, bus=bus)
        client.connect(timeout=10.0)
    except Exception:
        headless.stop()
        headless.cleanup()
        raise
    return headless, client


class MomentScreenshots:
    """Saves what OBS shows shortly after each moment worth seeing (events with ``moment``: scene switch, card
    shown; and words spoken into the stream, shown as a caption line).

    Screenshots are taken on a thread of their own, never inside the bus callback.
    """

    def __init__(self, client: Any, folder: Path, delay: float = 0.5) -> None:
        self.client, self.folder, self.delay = client, folder, delay
        self.saved: list[Path] = []
        self._queue: queue.Queue[Event | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="demo-screenshots", daemon=True)
        self._thread.start()

    def on_event(self, event: Event) -> None:
        if event.shows_on_stream():
            self._queue.put(event)

    def _run(self) -> None:
        while (event := self._queue.get()) is not None:
            time.sleep(self.delay)
            path = self.folder / f"obs-{len(self.saved) + 1:02d}-{event.type}.png"
            if save_program_screenshot(self.client, path):
                self.saved.append(path)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(10)


class WelcomePress:
    """The demo's seller who cannot speak: once the live room is on, they press the quick phrase
    :data:`WELCOME_PHRASE` (once), through the session's speech feature like the panel's button."""

    def __init__(self, bus: EventBus) -> None:
        self.speech: SpeechApi | None = None
        self.live = False
        self.pressed = False
        self._lock = threading.Lock()
        bus.subscribe(self.on_event, SceneChanged)

    def on_start(self, runtime: Any) -> None:
        """The session runs (a fast demo may have reached the live room already)."""
        with self._lock:
            self.speech = runtime.services.find(SPEECH)
            self._press()

    def on_event(self, event: Event) -> None:
        if isinstance(event, SceneChanged) and event.scene == LIVE_SCENE:
            with self._lock:
                self.live = True
                self._press()

    def _press(self) -> None:
        if self.live and self.speech is not None and not self.pressed:
            self.pressed = True
            print(f"demo: the seller presses the quick phrase {WELCOME_PHRASE!r} (快捷语：欢迎) — it plays into OBS")
            self.speech.say_phrase(WELCOME_PHRASE)  # queued: it never blocks the bus


def save_program_screenshot(client: Any, path: Path) -> Path | None:
    """Save what OBS shows on the program output as a PNG; None when it can't."""
    try:
        scene = client.request("GetCurrentProgramScene")["currentProgramSceneName"]
        shot = client.request("GetSourceScreenshot", {"sourceName": scene, "imageFormat": "png", "imageWidth": 1280})
    except Exception as exc:  # noqa: BLE001 - a screenshot is a bonus, not the demo
        log.warning("no OBS screenshot: %s", exc)
        return None
    data = shot["imageData"].split(",", 1)[1]
    path.write_bytes(base64.b64decode(data))
    return path


def run_demo(args: argparse.Namespace) -> int:
    config = load(DEMO_CONFIG, args.plugins)
    bus = EventBus()
    headless: Any = None
    obs: Any = None
    if not getattr(args, "no_obs", False):
        try:
            headless, obs = start_demo_obs(config, bus)
            print(f"OBS: a private headless OBS at {headless.url} (display {headless.display})")
        except Exception as exc:  # noqa: BLE001 - no OBS here: the dry run shows every action instead
            print(f"OBS: could not start a headless OBS ({exc}); using the dry run, which prints each action")
    if obs is None:
        obs = DryRunObs(bus=bus)
    shots: MomentScreenshots | None = None
    if headless is not None:
        shots = MomentScreenshots(obs, Path(headless.dir))
        bus.subscribe(shots.on_event)
    welcome = WelcomePress(bus)
    try:
        runtime = run_session(config, obs, bus=bus, fast=getattr(args, "fast", False), on_start=welcome.on_start)
        shot = save_program_screenshot(obs, runtime.session.dir / "obs-program.png") if headless else None
        if shots is not None:
            shots.close()
            for i, path in enumerate(shots.saved, start=1):
                shots.saved[i - 1] = path.replace(runtime.session.dir / path.name)
    finally:
        obs.close()
        if headless is not None:
            headless.stop()
            headless.cleanup()
    session = runtime.session
    print()
    print(f"Session {session.id} written to {session.dir}")
    for f in sorted(session.dir.iterdir()):
        print(f"  {f.name}")
    if shot:
        print(f"What OBS showed at the end: {shot}")
    if shots is not None and shots.saved:
        print(f"What OBS showed at each scene switch and card: {len(shots.saved)} screenshots (obs-NN-*.png)")
    review = runtime.services.find(REVIEW)
    if review is not None:
        print("Review it with the coach (复盘): run `streamkit review serve`, then open")
        print(f"  {review.session_url(session.id)}")
    return 0
