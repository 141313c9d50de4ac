"""``streamkit run``: a live session from a config file, until its sources end or Ctrl-C."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from .bus import EventBus
from .clock import SimulatedClock, WallClock
from .config import Config, load
from .hooks import plugin_manager
from .runtime import Runtime, finish_session, start_session

log = logging.getLogger(__name__)


def make_obs(config: Config, dry_run: bool = False, bus: Any = None) -> Any:
    """The OBS sink for a session: the real client, or the dry-run printer when disabled."""
    if dry_run or not config.obs.enabled:
        from .obs.dryrun import DryRunObs

        return DryRunObs(bus=bus)
    from .obs.client import ObsClient

    return ObsClient(config.obs.url, config.obs.resolved_password(), timeout=config.obs.timeout, bus=bus)


def wait_for_end(runtime: Runtime) -> str:
    """Block until every pipeline ended (returns "end of input") or Ctrl-C (returns "interrupted")."""
    try:
        while any(t.is_alive() for t in runtime.threads):
            for t in runtime.threads:
                t.join(0.2)
    except KeyboardInterrupt:
        return "interrupted"
    return "end of input"


def run_session(config: Config, obs: Any, *, bus: EventBus | None = None, fast: bool = False,
                media_path: str = "") -> Runtime:
    """Start a session, wait for it, finish it; returns the finished runtime.

    Pass the ``bus`` the OBS client publishes on, so its connection events reach the session log.
    """
    clock = SimulatedClock() if fast else WallClock()
    runtime = start_session(config, obs, plugin_manager(), clock=clock, realtime=not fast, media_path=media_path,
                            bus=bus)
    overlay = runtime.services.get("overlay")
    print(f"session {runtime.session.id}: recording to {runtime.session.dir}")
    if overlay is not None:
        print(f"overlay pages: {overlay.url('/')}")
    reason = wait_for_end(runtime)
    finish_session(runtime, reason)
    return runtime


def run_session_command(args: argparse.Namespace) -> int:
    config = load(args.config)
    bus = EventBus()
    obs = make_obs(config, dry_run=args.dry_run, bus=bus)
    try:
        runtime = run_session(config, obs, bus=bus, fast=args.fast)
    finally:
        close = getattr(obs, "close", None)
        if close:
            close()
    print(f"session {runtime.session.id} ended; events: {runtime.session.events_path}")
    return 0
