"""Running a binding's action: OBS through the session's ObsSink, product cards through ``PRODUCTS``,
pausing triggers through ``GESTURES``, ending the session through ``SESSION`` and quick phrases through ``SPEECH``.

Scene and visibility changes are OBS *target state* (non-blocking, re-applied after a reconnect).
Blocking requests (recording, streaming, any obs-websocket request) run on one worker thread in
order, so the frame loop never waits for OBS; their failures become ``GestureActionFailed``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from streamkit.bus import EventBus
from streamkit.events import Event, MomentMarked
from streamkit.features import (
    GESTURES,
    PRODUCTS,
    SESSION,
    SESSION_LAUNCHER,
    SPEECH,
    FeatureOff,
    ProductAction,
    Services,
    ServiceKey,
    run_product_action,
)
from streamkit.obs.base import ObsSink

from .config import Binding
from .events import GestureActionFailed

log = logging.getLogger(__name__)

T = TypeVar("T")


class ActionRunner:
    """Does what a :class:`~.config.Binding` says, on ``obs`` and the session's ``services``."""

    def __init__(self, obs: ObsSink, bus: EventBus | None = None, services: Services | None = None) -> None:
        self.obs = obs
        self.bus = bus
        self.services = services if services is not None else Services()
        self._visible: dict[tuple[str, str], bool] = {}
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gesture-actions")
        self.pending: list[Future[None]] = []

    def _publish(self, event: Event) -> None:
        if self.bus is not None:
            self.bus.publish(event)

    def _fail(self, binding: Binding, reason: str) -> None:
        log.warning("gesture action %s failed: %s", binding.describe(), reason)
        self._publish(GestureActionFailed(action=binding.action, target=binding.target, reason=reason))

    def _in_background(self, binding: Binding, work: Callable[[], None]) -> None:
        def run() -> None:
            try:
                work()
            except Exception as exc:  # noqa: BLE001 - reported as an event, never kills the loop
                self._fail(binding, str(exc))

        self.pending.append(self._worker.submit(run))

    def _service(self, binding: Binding, key: ServiceKey[T]) -> T | None:
        """The service under ``key``, or None after reporting the failure in one sentence."""
        try:
            return self.services.get(key)
        except FeatureOff as exc:
            self._fail(binding, exc.one_line())
            return None

    def run(self, binding: Binding) -> list[Event]:
        """Start the action; returns events to publish now (e.g. ``MomentMarked``)."""
        a = binding.action
        if a in ("pause_triggers", "resume_triggers"):
            gestures = self._service(binding, GESTURES)
            if gestures is not None and a == "pause_triggers":
                gestures.pause("gesture")
            elif gestures is not None:
                gestures.resume()
        elif a == "session_stop":
            self._stop_session(binding)
        elif a == "session_start":
            launcher = self._service(binding, SESSION_LAUNCHER)
            if launcher is not None and not launcher.running:
                launcher.start("gesture")
        elif a in ("mute", "unmute"):
            self.obs.set_input_muted(binding.source, a == "mute")
        elif a == "scene":
            self.obs.set_scene(binding.scene)
        elif a in ("show_source", "hide_source", "toggle_source"):
            key = (binding.scene, binding.source)
            visible = {"show_source": True, "hide_source": False}.get(a, not self._visible.get(key, False))
            self._visible[key] = visible
            self.obs.set_item_visible(binding.scene, binding.source, visible)
        elif a.startswith("product_"):
            products = self._service(binding, PRODUCTS)
            if products is not None:
                action = ProductAction(a.removeprefix("product_"))
                self._in_background(binding, lambda: run_product_action(products, action, serial=binding.serial))
        elif a == "record_start":
            self._in_background(binding, self.obs.start_record)  # the OBS sink reports RecordingStarted itself
        elif a == "record_stop":
            self._in_background(binding, self.obs.stop_record)
        elif a in ("stream_start", "stream_stop"):
            request = "StartStream" if a == "stream_start" else "StopStream"
            self._in_background(binding, lambda: self.obs.request(request))
        elif a == "request":
            self._in_background(binding, lambda: self.obs.request(binding.request, dict(binding.data) or None))
        elif a == "say_phrase":
            speech = self._service(binding, SPEECH)
            if speech is not None and not speech.say_phrase(binding.phrase):
                self._fail(binding, f"quick phrase {binding.phrase!r} was not spoken (unknown, or just played)")
        elif a == "mark_moment":
            return [MomentMarked(label=binding.label or binding.describe(), source="gesture")]
        return []

    def _stop_session(self, binding: Binding) -> None:
        """End the session hands-free (returns at once; the session stops its features in order)."""
        session = self._service(binding, SESSION)
        if session is not None:
            session.stop("gesture")

    def wait(self, timeout: float = 10.0) -> None:
        """Wait for the background actions started so far."""
        for f in list(self.pending):
            try:
                f.result(timeout)
            except Exception:  # noqa: BLE001 - already reported
                pass
        self.pending.clear()

    def close(self) -> None:
        self._worker.shutdown(wait=True, cancel_futures=False)
