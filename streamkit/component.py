"""One lifecycle for every feature in a session: a :class:`Component` with start, stop and status.

A plugin's ``streamkit_session_start`` hook returns a component (or None when the feature is off).
The runtime starts the components in hook order and stops them in reverse, so a feature that
others depend on (products, used by captions and gestures) starts first and stops last. The
runtime owns every thread: a component asks its :class:`Tasks` for a pipeline or a background
thread, and the runtime stops and joins them before calling the component's :meth:`~Component.stop`.
:meth:`~Component.status` is a small snapshot the control panel and ``streamkit run`` show.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from .pipeline import Pipeline

log = logging.getLogger(__name__)


class State(enum.StrEnum):
    """Where a component is in its life."""

    STARTING = "starting"
    RUNNING = "running"
    PAUSED = "paused"
    RECONNECTING = "reconnecting"
    ENDED = "ended"  # its input ended (a file was played to the end)
    STOPPED = "stopped"
    FAILED = "failed"


Figure = int | float | str


@dataclass(frozen=True)
class Status:
    """What a component shows: its state, the last error in plain words, and a few key figures."""

    name: str
    state: State
    last_error: str = ""
    figures: Mapping[str, Figure] = field(default_factory=dict)


class Tasks:
    """The threads of one component, owned by the runtime.

    Pipelines count as the session's input: a session whose pipelines have all ended is over.
    Background threads (timers, workers) get a stop event and are joined when the component stops.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.stopping = threading.Event()
        self._pipelines: list[tuple[Pipeline, threading.Thread]] = []
        self._background: list[threading.Thread] = []

    def pipeline(self, pipeline: Pipeline) -> threading.Thread:
        """Start ``pipeline`` in its own thread."""
        thread = pipeline.start()
        self._pipelines.append((pipeline, thread))
        return thread

    def background(self, name: str, target: Callable[[threading.Event], None]) -> threading.Thread:
        """Run ``target(stop_event)`` in a daemon thread until the component stops."""
        thread = threading.Thread(target=target, args=(self.stopping,), name=f"{self.name}-{name}", daemon=True)
        thread.start()
        self._background.append(thread)
        return thread

    @property
    def input_running(self) -> bool:
        """True while any pipeline of this component still runs."""
        return any(t.is_alive() for _, t in self._pipelines)

    def wait_input(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for the pipelines to end."""
        for _, thread in self._pipelines:
            thread.join(timeout)

    def stop(self, timeout: float = 10.0) -> list[str]:
        """Ask every thread to stop, wait for each; returns the names of threads still running."""
        self.stopping.set()
        for pipeline, _ in self._pipelines:
            pipeline.stop()
        threads = [t for _, t in self._pipelines] + self._background
        for thread in threads:
            thread.join(timeout)
        stuck = [t.name for t in threads if t.is_alive()]
        if stuck:
            log.warning("%s: threads still running after %.0f s: %s", self.name, timeout, ", ".join(stuck))
        return stuck


@runtime_checkable
class Component(Protocol):
    """A feature running in a session."""

    name: str

    def start(self, tasks: Tasks) -> None:
        """Open devices and models, subscribe to the bus, start threads through ``tasks``."""

    def stop(self) -> None:
        """Called after the component's threads ended: flush and close outputs, write summary files."""

    def status(self) -> Status:
        """A snapshot for the panel: state, last error, key figures. Cheap and thread-safe."""


@contextmanager
def running(component: Component, timeout: float = 10.0) -> Iterator[Tasks]:
    """Run one component outside a session (tests, benchmarks, tools): start it, yield its tasks, then
    stop its threads and the component, exactly as the runtime does."""
    tasks = Tasks(component.name)
    component.start(tasks)
    try:
        yield tasks
    finally:
        tasks.stop(timeout)
        component.stop()
