"""``streamkit run``: a live session from a config file, until its sources end or Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import threading

from .bus import EventBus
from .clock import SimulatedClock, WallClock
from .config import Config, load
from .features import REVIEW
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
                media_path: str = "", stop: threading.Event | None = None) -> Runtime:
    """Start a session, wait for it, finish it; returns the finished runtime.

    Pass the ``bus`` the OBS client publishes on, so its connection events reach the session log.
    """
    clock = SimulatedClock() if fast else WallClock()
    runtime = start_session(config, obs, config.plugins, clock=clock, realtime=not fast, media_path=media_path,
                            bus=bus)
    print(f"session {runtime.session.id}: recording to {runtime.session.dir}")
    if runtime.overlay is not None:
        print(f"overlay pages: {runtime.overlay.url('/')}")
    reason = wait_for_end(runtime, stop)
    finish_session(runtime, reason)
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
