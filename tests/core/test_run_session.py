"""A whole session against the real headless OBS, with OBS killed and restarted in the middle."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from streamkit.testing.helpers import wait_until

from streamkit.bus import EventBus
from streamkit.config import CORE_SECTIONS, validate
from streamkit.events import MomentMarked
from streamkit.component import State, Status, Tasks
from streamkit.hooks import Plugins, hookimpl
from streamkit.obs.client import ObsClient
from streamkit.runtime import finish_session, start_session
from streamkit.session import SessionStore
from streamkit.testing.headless_obs import HeadlessObs

TICKS = 60


class Ticker:
    """A component: publishes a numbered event and sets OBS text every 50 ms, as a pipeline would."""

    name = "ticker"

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        self.errors: list[BaseException] = []
        self.sent = 0

    def start(self, tasks: Tasks) -> None:
        from streamkit.pipeline import Pipeline

        tasks.pipeline(Pipeline(self._ticks(), [], self.runtime.bus))

    def _ticks(self) -> Any:
        try:
            for i in range(TICKS):
                self.runtime.obs.set_text("字幕", f"第{i}条")
                self.sent += 1
                yield MomentMarked(label=str(i), source="ticker")
                time.sleep(0.05)
        except BaseException as exc:  # noqa: BLE001 - the test asserts nothing reached the caller
            self.errors.append(exc)

    def stop(self) -> None:
        pass

    def status(self) -> Status:
        return Status(self.name, State.RUNNING, figures={"sent": self.sent})


class TickerPlugin:
    """A third-party-style plugin whose session component is a :class:`Ticker`."""

    def __init__(self) -> None:
        self.ticker: Ticker | None = None

    @property
    def errors(self) -> list[BaseException]:
        return self.ticker.errors if self.ticker else []

    @hookimpl
    def streamkit_session_start(self, runtime: Any) -> Ticker:
        self.ticker = Ticker(runtime)
        return self.ticker


def test_session_keeps_every_event_while_obs_is_killed_and_restarted(headless_obs: HeadlessObs, tmp_path: Path) -> None:
    if not headless_obs.running:
        headless_obs.start()
    config = validate({"obs": {"main_scene": "暂停"}, "overlay": {"enabled": False}}, "test", dict(CORE_SECTIONS))
    ticker = TickerPlugin()
    plugins = Plugins.of(ticker)
    bus = EventBus()
    client = ObsClient(headless_obs.url, headless_obs.password, timeout=2.0, bus=bus)
    client.connect(timeout=10)
    try:
        runtime = start_session(config, client, plugins, store=SessionStore(tmp_path), bus=bus)
        time.sleep(0.6)
        headless_obs.kill()
        time.sleep(0.8)
        headless_obs.start()
        back = time.monotonic()
        assert wait_until(lambda: client.connected, timeout=3.0), "client not back within 3 s of OBS answering"
        reconnect_s = time.monotonic() - back
        runtime.wait_input(30)
        assert [(st.name, st.figures["sent"]) for st in runtime.statuses()] == [("ticker", TICKS)]
        session = finish_session(runtime)
        assert client.flush(5)
        text = client.request("GetInputSettings", {"inputName": "字幕"})["inputSettings"]["text"]
        scene = client.request("GetCurrentProgramScene")["currentProgramSceneName"]
    finally:
        client.close(flush_timeout=0)
        headless_obs.reset()
    assert ticker.errors == []
    events = [json.loads(line) for line in session.events_path.read_text(encoding="utf-8").splitlines()]
    labels = [e["label"] for e in events if e["type"] == "MomentMarked"]
    assert labels == [str(i) for i in range(TICKS)], "an event went missing while OBS was away"
    types = [e["type"] for e in events]
    assert "ObsDisconnected" in types and types.index("ObsDisconnected") < len(types) - 1
    assert types[0] == "SessionStarted" and types[-1] == "SessionEnded"
    assert text == f"第{TICKS - 1}条", "target text not re-applied after the restart"
    assert scene == "暂停", "target scene not re-applied after the restart"
    assert reconnect_s < 3.0


def test_session_starts_and_stops_an_obs_recording_and_keeps_its_path(headless_obs: HeadlessObs, tmp_path: Path) -> None:
    if not headless_obs.running:
        headless_obs.start()
    config = validate({"obs": {"record": True}, "overlay": {"enabled": False}}, "test", dict(CORE_SECTIONS))
    bus = EventBus()
    client = ObsClient(headless_obs.url, headless_obs.password, timeout=3.0, bus=bus)
    try:
        runtime = start_session(config, client, Plugins.of(), store=SessionStore(tmp_path), bus=bus)
        time.sleep(1.5)
        session = finish_session(runtime)
    finally:
        client.close(flush_timeout=0)
        headless_obs.reset()
    info = json.loads((session.dir / "session.json").read_text(encoding="utf-8"))
    recording = Path(info["recording_path"])
    assert recording.is_file() and recording.stat().st_size > 1000
    types = [json.loads(line)["type"] for line in session.events_path.read_text(encoding="utf-8").splitlines()]
    assert "RecordingStarted" in types and "RecordingStopped" in types
    assert types.index("RecordingStarted") < types.index("RecordingStopped") < types.index("SessionEnded")
