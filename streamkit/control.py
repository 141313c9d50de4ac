"""Start and stop sessions from a long-lived program (the control panel): one session at a time, in a
background thread, ended through its :class:`~streamkit.run.SessionStop`.

The controller is itself a :class:`~streamkit.features.SessionControl` (``running``, ``stop(reason)``),
and each session it starts offers features the same control under ``SESSION``, so a sign, a face
gesture or a voice command can end the session the panel started.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .bus import EventBus
from .config import Config
from .errors import StreamkitError
from .obs.base import ObsSink
from .run import SessionStop, run_session
from .runtime import Runtime

log = logging.getLogger(__name__)


class Phase(enum.StrEnum):
    """Where the controller's session is."""

    IDLE = "idle"
    STARTING = "starting"  # features are loading models and opening devices
    RUNNING = "running"
    STOPPING = "stopping"


@dataclass(frozen=True)
class SessionState:
    """A snapshot of the controller: its phase, the current or last session, and why it ended."""

    phase: Phase
    session_id: str = ""
    started: float | None = None  # wall clock, when the session began running
    end_reason: str = ""  # why the last session ended ("stopped", "end of input", a feature's reason)
    error: str = ""  # why the last start failed, in one line


class SessionBusy(StreamkitError):
    """A session is already running."""


class SessionController:
    """Runs sessions on a shared ``bus`` (the one the OBS client publishes on), one at a time."""

    def __init__(self, bus: EventBus, on_change: Callable[[SessionState], None] | None = None) -> None:
        self.bus = bus
        self.on_change = on_change
        self._lock = threading.Lock()
        self._state = SessionState(Phase.IDLE)
        self._runtime: Runtime | None = None
        self._last: Runtime | None = None
        self._stop: SessionStop | None = None
        self._thread: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()

    # SessionControl -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True from start until the session has finished."""
        return self._state.phase is not Phase.IDLE

    def stop(self, reason: str = "stopped") -> None:
        """Ask the session to end; returns at once (see :meth:`wait_idle`)."""
        with self._lock:
            stop = self._stop
            if stop is None or self._state.phase is Phase.IDLE:
                return
            self._set(SessionState(Phase.STOPPING, self._state.session_id, self._state.started))
        stop.stop(reason)

    # the panel's side -----------------------------------------------------------------------------
    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def runtime(self) -> Runtime | None:
        """The running session's runtime (None while starting or idle)."""
        return self._runtime

    @property
    def last_runtime(self) -> Runtime | None:
        """The running session's runtime, or the last one after it ended (its features' final status)."""
        return self._runtime or self._last

    def start(self, config: Config, obs: ObsSink) -> None:
        """Start a session on ``config`` in a background thread; raises :class:`SessionBusy` when one runs."""
        with self._lock:
            if self._state.phase is not Phase.IDLE:
                raise SessionBusy("a session is already running", "stop it first")
            self._stop = SessionStop()
            self._idle.clear()
            self._set(SessionState(Phase.STARTING))
            self._thread = threading.Thread(target=self._run, args=(config, obs, self._stop),
                                            name="streamkit-session", daemon=True)
            self._thread.start()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no session runs; False when ``timeout`` passes first."""
        return self._idle.wait(timeout)

    def _run(self, config: Config, obs: ObsSink, stop: SessionStop) -> None:
        error, runtime = "", None
        try:
            runtime = run_session(config, obs, bus=self.bus, stop=stop, on_start=self._started)
        except Exception as exc:  # noqa: BLE001 - the panel shows why, in one line
            log.exception("the session could not run")
            error = exc.one_line() if isinstance(exc, StreamkitError) else f"{exc.__class__.__name__}: {exc}"
        with self._lock:
            self._runtime = None
            session_id = runtime.session.id if runtime is not None else self._state.session_id
            self._set(SessionState(Phase.IDLE, session_id, end_reason="" if error else stop.reason, error=error))
            self._stop = None
        self._idle.set()

    def _started(self, runtime: Runtime) -> None:
        with self._lock:
            self._runtime = self._last = runtime
            phase = Phase.STOPPING if self._state.phase is Phase.STOPPING else Phase.RUNNING
            self._set(SessionState(phase, runtime.session.id, time.time()))

    def _set(self, state: SessionState) -> None:
        self._state = state
        if self.on_change is not None:
            try:
                self.on_change(state)
            except Exception:  # noqa: BLE001 - a listener must not break the session
                log.exception("session state listener failed")
