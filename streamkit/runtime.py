"""A running session: config, bus, clock, OBS sink and session log, shared by every plugin.

``streamkit run`` builds a :class:`Runtime`, lets every plugin attach its sources, processors
and sinks through the ``streamkit_session_start`` hook, waits until the sources end (or Ctrl-C),
then calls ``streamkit_session_stop`` and closes the session.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from .bus import EventBus
from .clock import Clock, WallClock
from .config import Config
from .events import SessionEnded, SessionStarted
from .pipeline import Pipeline
from .session import Session, SessionRecorder, SessionStore

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Everything a plugin needs during a session."""

    config: Config
    bus: EventBus
    obs: Any  # streamkit.obs.base.ObsSink
    session: Session
    store: SessionStore
    pm: pluggy.PluginManager
    clock: Clock = field(default_factory=WallClock)
    realtime: bool = True
    threads: list[threading.Thread] = field(default_factory=list)
    pipelines: list[Pipeline] = field(default_factory=list)
    services: dict[str, Any] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.store.home

    def add_pipeline(self, pipeline: Pipeline) -> None:
        """Start ``pipeline`` in its own thread; the session waits for it to end."""
        self.pipelines.append(pipeline)
        self.threads.append(pipeline.start())

    def add_thread(self, thread: threading.Thread) -> None:
        """Track a started thread the session should wait for."""
        self.threads.append(thread)

    def wait(self, timeout: float | None = None) -> None:
        """Wait until every tracked thread has ended."""
        for t in list(self.threads):
            t.join(timeout)

    def stop(self) -> None:
        for p in self.pipelines:
            p.stop()


def start_session(config: Config, obs: Any, pm: pluggy.PluginManager, *, store: SessionStore | None = None,
                  clock: Clock | None = None, realtime: bool = True, media_path: str = "",
                  bus: EventBus | None = None) -> Runtime:
    """Create the session, attach the recorder, start OBS recording when configured, and start the plugins."""
    store = store or SessionStore()
    session = store.create(config.session.name, str(config.path or ""), media_path)
    bus = bus or EventBus()
    recorder = SessionRecorder(session, store).attach(bus)
    runtime = Runtime(config=config, bus=bus, obs=obs, session=session, store=store, pm=pm,
                      clock=clock or WallClock(), realtime=realtime)
    runtime.services["recorder"] = recorder
    if config.overlay.enabled:
        from .overlay import OverlayServer

        overlay = config.overlay
        runtime.services["overlay"] = OverlayServer(overlay.host, overlay.port, overlay.allowed_hosts).start()
    bus.publish(SessionStarted(session_id=session.id, config_path=str(config.path or "")))
    if config.obs.main_scene:
        obs.set_scene(config.obs.main_scene)
    if config.obs.record:
        try:
            if hasattr(obs, "wait_connected"):
                obs.wait_connected(config.obs.timeout)
            obs.start_record()  # the OBS sink publishes RecordingStarted itself
        except Exception as exc:  # noqa: BLE001 - a session without a recording is still a session
            log.warning("could not start the OBS recording: %s", exc)
    pm.hook.streamkit_session_start(runtime=runtime)
    return runtime


def finish_session(runtime: Runtime, reason: str = "stopped") -> Session:
    """Stop the plugins, stop OBS recording (keeping its path), write the end event and close the log."""
    runtime.stop()
    runtime.pm.hook.streamkit_session_stop(runtime=runtime)
    if runtime.config.obs.record:
        try:
            runtime.session.info.recording_path = runtime.obs.stop_record() or ""
        except Exception as exc:  # noqa: BLE001
            log.warning("could not stop the OBS recording: %s", exc)
    runtime.bus.publish(SessionEnded(session_id=runtime.session.id, reason=reason))
    overlay = runtime.services.get("overlay")
    if overlay is not None:
        overlay.stop()
    runtime.services["recorder"].close()
    runtime.store.finish(runtime.session)
    return runtime.session
