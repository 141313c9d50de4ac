"""A running session: config, bus, clock, OBS sink, session log and the features' components.

:func:`start_session` creates the session, starts the overlay server and asks every plugin for its
:class:`~streamkit.component.Component` (hook ``streamkit_session_start``); the runtime starts them
in that order, owns their threads, reports their status, and :func:`finish_session` stops them in
reverse order before closing the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .bus import EventBus
from .clock import Clock, WallClock
from .component import Component, State, Status, Tasks
from .config import Config
from .events import SessionEnded, SessionStarted
from .features import Services
from .hooks import Plugins
from .obs.base import ObsSink
from .overlay import OverlayServer
from .session import Session, SessionRecorder, SessionStore

log = logging.getLogger(__name__)


@dataclass
class Running:
    """A started component and its threads."""

    component: Component
    tasks: Tasks
    error: str = ""


@dataclass
class Runtime:
    """Everything a plugin needs during a session."""

    config: Config
    bus: EventBus
    obs: ObsSink
    session: Session
    store: SessionStore
    plugins: Plugins
    recorder: SessionRecorder
    clock: Clock = field(default_factory=WallClock)
    realtime: bool = True
    overlay: OverlayServer | None = None
    services: Services = field(default_factory=Services)
    running: list[Running] = field(default_factory=list)

    @property
    def home(self) -> Path:
        return self.store.home

    def start_component(self, component: Component) -> None:
        """Start one component; one that fails to start is reported and the session goes on without it."""
        tasks = Tasks(component.name)
        entry = Running(component, tasks)
        self.running.append(entry)
        try:
            component.start(tasks)
        except Exception as exc:  # noqa: BLE001 - a missing camera must not stop the captions
            entry.error = str(exc)
            log.error("%s could not start: %s", component.name, exc)
            tasks.stop(timeout=2.0)

    @property
    def input_running(self) -> bool:
        """True while any component's pipeline still runs (a session on files ends when they all end)."""
        return any(r.tasks.input_running for r in self.running if not r.error)

    def wait_input(self, timeout: float = 0.2) -> None:
        for r in self.running:
            r.tasks.wait_input(timeout)

    def statuses(self) -> list[Status]:
        """Every component's status, in start order (a component that failed to start says why)."""
        out: list[Status] = []
        for r in self.running:
            if r.error:
                out.append(Status(r.component.name, State.FAILED, r.error))
                continue
            try:
                out.append(r.component.status())
            except Exception as exc:  # noqa: BLE001 - a status must never break the panel
                out.append(Status(r.component.name, State.FAILED, f"status unavailable: {exc}"))
        return out

    def stop_components(self, timeout: float = 10.0) -> None:
        """Stop every component in reverse start order: its threads first, then the component."""
        for r in reversed(self.running):
            r.tasks.stop(timeout)
            if r.error:
                continue
            try:
                r.component.stop()
            except Exception:  # noqa: BLE001 - the other components must still stop
                log.exception("%s did not stop cleanly", r.component.name)


def start_session(config: Config, obs: ObsSink, plugins: Plugins | None = None, *, store: SessionStore | None = None,
                  clock: Clock | None = None, realtime: bool = True, media_path: str = "",
                  bus: EventBus | None = None, services: Services | None = None) -> Runtime:
    """Create the session, attach the recorder, start OBS recording when configured, and start the features.

    ``services`` may hold what the caller offers the features before they start (``SESSION``)."""
    store = store or SessionStore()
    session = store.create(config.session.name, str(config.path or ""), media_path)
    bus = bus or EventBus()
    recorder = SessionRecorder(session, store).attach(bus)
    ov = config.overlay
    overlay = OverlayServer(ov.host, ov.port, ov.allowed_hosts).start() if ov.enabled else None
    runtime = Runtime(config=config, bus=bus, obs=obs, session=session, store=store,
                      plugins=plugins or config.plugins, recorder=recorder, clock=clock or WallClock(),
                      realtime=realtime, overlay=overlay, services=services or Services())
    bus.publish(SessionStarted(session_id=session.id, config_path=str(config.path or "")))
    if config.obs.main_scene:
        obs.set_scene(config.obs.main_scene)
    if config.obs.record:
        _start_recording(runtime)
    for component in runtime.plugins.session_components(runtime):
        runtime.start_component(component)
    return runtime


def _start_recording(runtime: Runtime) -> None:
    obs = runtime.obs
    try:
        obs.wait_connected(runtime.config.obs.timeout)
        obs.start_record()  # the OBS sink publishes RecordingStarted itself
    except Exception as exc:  # noqa: BLE001 - a session without a recording is still a session
        log.warning("could not start the OBS recording: %s", exc)


def finish_session(runtime: Runtime, reason: str = "stopped") -> Session:
    """Stop the features, stop OBS recording (keeping its path), write the end event and close the log."""
    runtime.stop_components()
    if runtime.config.obs.record:
        try:
            runtime.session.info.recording_path = runtime.obs.stop_record() or ""
        except Exception as exc:  # noqa: BLE001
            log.warning("could not stop the OBS recording: %s", exc)
    runtime.bus.publish(SessionEnded(session_id=runtime.session.id, reason=reason))
    if runtime.overlay is not None:
        runtime.overlay.stop()
    runtime.recorder.close()
    runtime.store.finish(runtime.session)
    return runtime.session

