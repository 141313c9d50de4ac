"""``streamkit run``: a live session from a config file, until its sources end or Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Callable

from .bus import EventBus
from .clock import SimulatedClock, WallClock
from .config import Config, load
from .features import REVIEW, SESSION, Services
from .obs.base import ObsSink
from .runtime import Runtime, finish_session, start_session

log = logging.getLogger(__name__)


def make_obs(config: Config, dry_run: bool = False, bus: EventBus | None = None) -> ObsSink:
    """The OBS sink for a session: the real client, or the dry-run printer when disabled."""
    if dry_run or not config.obs.enabled:
        from .obs.dryrun import DryRunObs

        return DryRunObs(bus=bus)
    from .obs.client import ObsClient

    return ObsClient(config.obs.url, config.obs.resolved_password(), timeout=config.obs.timeout, bus=bus)


class SessionStop:
    """Ends one running session from any thread; it is that session's ``SESSION`` service."""

    def __init__(self, event: threading.Event | None = None) -> None:
        self.event = event or threading.Event()
        self.reason = "stopped"  # why the session ended, once it has
        self.ended = threading.Event()

    @property
    def running(self) -> bool:
        return not self.event.is_set() and not self.ended.is_set()

    def stop(self, reason: str = "stopped") -> None:
        if not self.event.is_set():
            self.reason = reason or "stopped"
        self.event.set()


def wait_for_end(runtime: Runtime, stop: threading.Event | None = None) -> str:
    """Block until every pipeline ended ("end of input"), ``stop`` is set ("stopped") or Ctrl-C ("interrupted")."""
    try:
        while runtime.input_running:
            if stop is not None and stop.is_set():
                return "stopped"
            runtime.wait_input(0.2)
    except KeyboardInterrupt:
        return "interrupted"
    return "end of input"


def run_session(config: Config, obs: ObsSink, *, bus: EventBus | None = None, fast: bool = False,
                media_path: str = "", stop: threading.Event | SessionStop | None = None,
                on_start: Callable[[Runtime], None] | None = None) -> Runtime:
    """Start a session, wait for it, finish it; returns the finished runtime.

    Pass the ``bus`` the OBS client publishes on, so its connection events reach the session log.
    ``stop`` ends the session early (a :class:`SessionStop` also says why; features get it as ``SESSION``);
    ``on_start`` is called with the runtime once every feature has started.
    """
    control = stop if isinstance(stop, SessionStop) else SessionStop(stop)
    services = Services()
    services.provide(SESSION, control)
    clock = SimulatedClock() if fast else WallClock()
    try:
        runtime = start_session(config, obs, config.plugins, clock=clock, realtime=not fast, media_path=media_path,
                                bus=bus, services=services)
    except BaseException:
        control.ended.set()
        raise
    print(f"session {runtime.session.id}: recording to {runtime.session.dir}")
    if runtime.overlay is not None:
        print(f"overlay pages: {runtime.overlay.url('/')}")
    if on_start is not None:
        on_start(runtime)
    reason = wait_for_end(runtime, control.event)
    control.reason = control.reason if reason == "stopped" else reason
    try:
        finish_session(runtime, control.reason)
    finally:
        control.ended.set()
    review = runtime.services.find(REVIEW)
    if review is not None:
        print(f"复盘 / review: streamkit review serve → {review.session_url(runtime.session.id)}", flush=True)
    return runtime


def run_session_command(args: argparse.Namespace) -> int:
    config = load(args.config, args.plugins)
    bus = EventBus()
    obs = make_obs(config, dry_run=args.dry_run, bus=bus)
    try:
        runtime = run_session(config, obs, bus=bus, fast=args.fast)
    finally:
        obs.close()
    print(f"session {runtime.session.id} ended; events: {runtime.session.events_path}")
    return 0
