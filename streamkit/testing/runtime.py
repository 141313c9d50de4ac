"""A session runtime for testing one feature's component: real bus, session folder and log, no other plugins."""

from __future__ import annotations

from pathlib import Path

from ..bus import EventBus
from ..clock import Clock, WallClock
from ..config import Config
from ..hooks import Plugins
from ..obs.base import ObsSink
from ..overlay import OverlayServer
from ..runtime import Runtime
from ..session import SessionRecorder, SessionStore


def test_runtime(config: Config, obs: ObsSink, *, home: Path | None = None, realtime: bool = False,
                 overlay: OverlayServer | None = None, clock: Clock | None = None,
                 plugins: Plugins | None = None) -> Runtime:
    """A :class:`~streamkit.runtime.Runtime` with no components started: start yours with
    ``runtime.start_component(component)``, wait with ``runtime.wait_input(timeout)``, then
    ``runtime.stop_components()`` — the same calls a real session makes."""
    store = SessionStore(home)
    session = store.create("test")
    bus = EventBus()
    recorder = SessionRecorder(session, store).attach(bus)
    return Runtime(config=config, bus=bus, obs=obs, session=session, store=store,
                   plugins=plugins or Plugins.of(), recorder=recorder, clock=clock or WallClock(),
                   realtime=realtime, overlay=overlay)


test_runtime.__test__ = False  # type: ignore[attr-defined]  # not a test, whatever pytest thinks of the name
