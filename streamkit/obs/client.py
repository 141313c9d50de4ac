"""ObsClient: one long-lived OBS connection with a worker thread, target state and reconnects.

Three threads:

- the *worker* owns the connection: it connects, reconnects with backoff (capped at
  :data:`MAX_BACKOFF` s), applies target state and runs blocking requests, one at a time, in order;
- the library's *receive* thread only reads the socket and hands OBS events on;
- the *dispatcher* runs user callbacks (:meth:`ObsClient.on_event`) and publishes bus events,
  so a callback may itself call :meth:`ObsClient.request` without deadlocking.

Target state (:meth:`set_scene`, :meth:`set_item_visible`, :meth:`set_text`,
:meth:`set_input_settings`, :meth:`set_input_muted`) is recorded, applied asynchronously (rapid changes to one thing
collapse into one request) and applied again after every reconnect. These methods never raise.
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..bus import EventBus
from ..events import (
    Event,
    ObsActionFailed,
    ObsConnected,
    ObsDisconnected,
    RecordingStarted,
    RecordingStopped,
    SceneChanged,
    SourceVisibilityChanged,
)
from .base import DEFAULT_URL, ObsEvent, ObsEventCallback, parse_url
from .connection import ObsConnection
from .errors import ObsError, ObsRequestError, ObsUnavailable

log = logging.getLogger("streamkit.obs")

MIN_BACKOFF = 0.1
MAX_BACKOFF = 1.0
NOT_READY = 207
RESOURCE_NOT_FOUND = 600

TargetKey = tuple[str, ...]  # ("scene",) | ("item", scene, source) | ("settings", input_name) | ("mute", input_name)


@dataclass
class _Apply:
    key: TargetKey


@dataclass
class _Request:
    request_type: str
    data: dict[str, Any] | None
    timeout: float
    future: concurrent.futures.Future[dict[str, Any]]


def backoff_delays(start: float = MIN_BACKOFF, cap: float = MAX_BACKOFF):  # type: ignore[no-untyped-def]
    """0.1, 0.2, 0.4, 0.8, 1.0, 1.0, … seconds between reconnect attempts."""
    delay = start
    while True:
        yield delay
        delay = min(cap, delay * 2)


class ObsClient:
    """The real :class:`~streamkit.obs.base.ObsSink`. Starts connecting as soon as it is created."""

    def __init__(
        self,
        url: str = DEFAULT_URL,
        password: str = "",
        timeout: float = 3.0,
        bus: EventBus | None = None,
        *,
        publish_obs_events: bool = True,
        connection_factory: Callable[..., ObsConnection] = ObsConnection,
    ) -> None:
        """``publish_obs_events``: publish SceneChanged / SourceVisibilityChanged / Recording* on
        ``bus`` when OBS reports them (also changes the streamer makes by hand in OBS).
        ``connection_factory`` exists for unit tests of the reconnect logic."""
        parse_url(url)
        self.url = url
        self.password = password
        self.timeout = timeout
        self.bus = bus
        self.publish_obs_events = publish_obs_events
        self._factory = connection_factory
        self._cond = threading.Condition()
        self._ops: deque[_Apply | _Request] = deque()
        self._queued_keys: set[TargetKey] = set()
        self._busy = False
        self._scene: str | None = None
        self._visible: dict[tuple[str, str], bool] = {}
        self._settings: dict[str, dict[str, Any]] = {}
        self._muted: dict[str, bool] = {}
        self._item_ids: dict[tuple[str, str], int] = {}
        self._item_names: dict[tuple[str, int], str] = {}
        self._conn: ObsConnection | None = None
        self._ready = False
        self._closing = False
        self._connect_now = False
        self._attempts = 0
        self._last_error: ObsError | None = None
        self.obs_version = ""
        self.websocket_version = ""
        self._callbacks: list[tuple[ObsEventCallback, str | None]] = []
        self._dispatch_q: queue.Queue[Any] = queue.Queue()
        self._dispatcher = threading.Thread(target=self._dispatch_loop, name="streamkit-obs-events", daemon=True)
        self._worker = threading.Thread(target=self._work_loop, name="streamkit-obs-worker", daemon=True)
        self._dispatcher.start()
        self._worker.start()

    # -- state ------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True once connected and identified, until the connection is lost."""
        conn = self._conn
        return self._ready and conn is not None and conn.alive

    @property
    def last_error(self) -> ObsError | None:
        """Why the latest connection attempt failed (None after a success)."""
        return self._last_error

    def wait_connected(self, timeout: float | None = None) -> bool:
        """Block until connected; False when ``timeout`` passes first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self.connected and not self._closing:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(0.1 if remaining is None else min(0.1, remaining))
            return self.connected

    def connect(self, timeout: float | None = None) -> None:
        """Block until connected; raise the error of the next failed attempt
        (:class:`ObsAuthError`, :class:`ObsConnectError`, :class:`ObsUnavailable`)."""
        limit = self.timeout * 2 + 1 if timeout is None else timeout
        deadline = time.monotonic() + limit
        with self._cond:
            if self.connected:
                return
            start = self._attempts
            self._connect_now = True
            self._cond.notify_all()
            while not self.connected and self._attempts == start and not self._closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ObsUnavailable(f"no answer from OBS at {self.url} within {limit:g} s",
                                         "check that OBS is running and not frozen")
                self._cond.wait(min(0.1, remaining))
            if self.connected:
                return
            if self._last_error is not None:
                raise self._last_error
            raise ObsUnavailable(f"not connected to OBS at {self.url}", "the client is closed")

    # -- target state (never raise) ---------------------------------------------------------

    def set_scene(self, scene: str) -> None:
        """Make ``scene`` the program scene, now and after every reconnect."""
        with self._cond:
            self._scene = scene
            self._enqueue_apply(("scene",))

    def set_item_visible(self, scene: str, source: str, visible: bool) -> None:
        """Show or hide the item of ``source`` in ``scene``."""
        with self._cond:
            self._visible[(scene, source)] = bool(visible)
            self._enqueue_apply(("item", scene, source))

    def set_text(self, input_name: str, text: str) -> None:
        """Set the text of a text source."""
        self.set_input_settings(input_name, {"text": text})

    def set_input_settings(self, input_name: str, settings: dict[str, Any]) -> None:
        """Merge ``settings`` into the input's target settings (applied with ``overlay=True``)."""
        with self._cond:
            merged = dict(self._settings.get(input_name, {}))
            merged.update(settings)
            self._settings[input_name] = merged
            self._enqueue_apply(("settings", input_name))

    def set_input_muted(self, input_name: str, muted: bool) -> None:
        """Mute or unmute an audio input, now and after every reconnect."""
        with self._cond:
            self._muted[input_name] = bool(muted)
            self._enqueue_apply(("mute", input_name))

    def target_state(self) -> dict[str, Any]:
        """A copy of the state this client keeps applying (for status pages and tests)."""
        with self._cond:
            return {"scene": self._scene,
                    "visible": {f"{s}/{n}": v for (s, n), v in self._visible.items()},
                    "settings": {k: dict(v) for k, v in self._settings.items()},
                    "muted": dict(self._muted)}

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued so far has been applied; False on timeout or when disconnected."""
        limit = self.timeout * 2 if timeout is None else timeout
        deadline = time.monotonic() + limit
        with self._cond:
            while self._ops or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closing:
                    return False
                self._cond.wait(min(0.05, remaining))
            return self.connected

    def _enqueue_apply(self, key: TargetKey, front: bool = False) -> None:
        """Queue one apply of ``key`` unless one is already queued (it will read the latest value)."""
        if key in self._queued_keys:
            return
        self._queued_keys.add(key)
        if front:
            self._ops.appendleft(_Apply(key))
        else:
            self._ops.append(_Apply(key))
        self._cond.notify_all()

    # -- blocking requests (raise typed errors) ---------------------------------------------

    def request(self, request_type: str, data: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        """Send one request and return OBS's ``responseData``.

        Raises :class:`ObsRequestError` (OBS's code and comment) or :class:`ObsUnavailable`.
        Safe from any thread, including :meth:`on_event` callbacks.
        """
        limit = self.timeout if timeout is None else timeout
        if threading.current_thread() is self._worker:
            return self._call(request_type, data, limit)
        if not self.wait_connected(limit):
            reason = f" ({self._last_error.problem})" if self._last_error else ""
            raise ObsUnavailable(f"not connected to OBS at {self.url}{reason}, so {request_type} was not sent",
                                 "start OBS or check [obs] url and password")
        future: concurrent.futures.Future[dict[str, Any]] = concurrent.futures.Future()
        with self._cond:
            self._ops.append(_Request(request_type, data, limit, future))
            self._cond.notify_all()
        try:
            return future.result(timeout=limit * 2 + 1)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ObsUnavailable(f"OBS at {self.url} did not answer {request_type} within {limit * 2 + 1:g} s",
                                 "OBS may be busy or frozen") from None

    def start_record(self) -> None:
        """Start an OBS recording (raises ObsRequestError 500 OutputRunning when already recording)."""
        self.request("StartRecord")

    def stop_record(self, finish_timeout: float = 10.0) -> str:
        """Stop the recording; return the path of the file once OBS reports it finished writing.

        (OBS answers StopRecord at once but writes the file ≈ 0.5 s later.) Called from an
        :meth:`on_event` callback it cannot wait for that report and returns at once.
        """
        finished = threading.Event()

        def on_state(event: ObsEvent) -> None:
            if event.data.get("outputState") == "OBS_WEBSOCKET_OUTPUT_STOPPED":
                finished.set()

        unsubscribe = self.on_event(on_state, "RecordStateChanged")
        try:
            path = str(self.request("StopRecord", timeout=max(self.timeout, 10.0)).get("outputPath", ""))
            if threading.current_thread() is not self._dispatcher and not finished.wait(finish_timeout):
                log.warning("OBS did not report %s finished within %g s", path, finish_timeout)
        finally:
            unsubscribe()
        return path

    def play_media(self, input_name: str, path: str) -> None:
        """Play the local file ``path`` from its start through the media input ``input_name``.

        One blocking request, never target state: a reconnect must not play a phrase again. OBS's
        media source restarts whenever its settings are set, also with the same file.
        """
        self.request("SetInputSettings", {"inputName": input_name, "overlay": True,
                                          "inputSettings": {"is_local_file": True, "local_file": str(path)}})

    # -- events -----------------------------------------------------------------------------

    def on_event(self, callback: ObsEventCallback, name: str | None = None) -> Callable[[], None]:
        """Call ``callback(ObsEvent)`` on the dispatcher thread for OBS events (all, or those named ``name``)."""
        entry = (callback, name)
        with self._cond:
            self._callbacks.append(entry)

        def unsubscribe() -> None:
            with self._cond:
                if entry in self._callbacks:
                    self._callbacks.remove(entry)

        return unsubscribe

    def _publish(self, event: Event) -> None:
        """Bus events go through the dispatcher too, so the worker never waits on subscribers."""
        if self.bus is not None:
            self._dispatch_q.put(event)

    def _dispatch_loop(self) -> None:
        while True:
            item = self._dispatch_q.get()
            if item is None:
                return
            if isinstance(item, Event):
                if self.bus is not None:
                    self.bus.publish(item)
                continue
            self._deliver_obs_event(item)

    def _deliver_obs_event(self, event: ObsEvent) -> None:
        with self._cond:
            callbacks = [cb for cb, name in self._callbacks if name is None or name == event.name]
        for callback in callbacks:
            try:
                callback(event)
            except Exception:  # noqa: BLE001 - one bad callback must not stop the others
                log.exception("OBS event callback %r failed on %s", callback, event.name)
        if self.bus is not None and self.publish_obs_events:
            for bus_event in self._bus_events_for(event):
                self.bus.publish(bus_event)

    def _bus_events_for(self, event: ObsEvent) -> list[Event]:
        d = event.data
        if event.name == "CurrentProgramSceneChanged":
            return [SceneChanged(scene=d.get("sceneName", ""))]
        if event.name == "SceneItemEnableStateChanged":
            scene, item_id = d.get("sceneName", ""), int(d.get("sceneItemId", 0))
            source = self._item_names.get((scene, item_id)) or self._lookup_item_name(scene, item_id)
            if source:
                return [SourceVisibilityChanged(scene=scene, source=source, visible=bool(d.get("sceneItemEnabled")))]
            return []
        if event.name == "RecordStateChanged":
            state, path = d.get("outputState", ""), d.get("outputPath") or ""
            if state == "OBS_WEBSOCKET_OUTPUT_STARTED":
                return [RecordingStarted(output_path=path)]
            if state == "OBS_WEBSOCKET_OUTPUT_STOPPED":
                return [RecordingStopped(output_path=path)]
        return []

    def _lookup_item_name(self, scene: str, item_id: int) -> str:
        try:
            items = self.request("GetSceneItemList", {"sceneName": scene}, timeout=1.0).get("sceneItems", [])
        except ObsError as exc:
            log.debug("cannot name scene item %s/%d: %s", scene, item_id, exc)
            return ""
        for item in items:
            self._item_names[(scene, int(item.get("sceneItemId", 0)))] = item.get("sourceName", "")
        return self._item_names.get((scene, item_id), "")

    # -- worker -----------------------------------------------------------------------------

    def _work_loop(self) -> None:
        delays = backoff_delays()
        while True:
            with self._cond:
                if self._closing:
                    break
            conn = self._conn
            if conn is None or not conn.alive:
                if conn is not None:
                    self._lost(conn)
                if self._try_connect():
                    delays = backoff_delays()
                else:
                    self._sleep_before_retry(next(delays))
                continue
            op = self._next_op(conn)
            if op is not None:
                try:
                    self._run(op)
                finally:
                    with self._cond:
                        self._busy = False
                        self._cond.notify_all()
        conn = self._conn
        self._conn = None
        if conn is not None:
            conn.close()
        self._fail_pending_requests("the OBS client was closed")

    def _next_op(self, conn: ObsConnection) -> _Apply | _Request | None:
        with self._cond:
            while not self._ops and not self._closing and conn.alive:
                self._cond.wait(0.5)  # the receive thread's end also notifies; this is a safety net
            if self._closing or not self._ops or not conn.alive:
                return None
            op = self._ops.popleft()
            if isinstance(op, _Apply):
                self._queued_keys.discard(op.key)
            self._busy = True
            return op

    def _sleep_before_retry(self, delay: float) -> None:
        deadline = time.monotonic() + delay
        with self._cond:
            while not self._closing and not self._connect_now:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)

    def _try_connect(self) -> bool:
        with self._cond:
            self._connect_now = False
        conn = self._factory(self.url, self.password, self.timeout,
                             on_event=self._dispatch_q.put, on_lost=self._notify_lost)
        try:
            conn.connect()
            version = conn.request("GetVersion")
        except ObsError as exc:
            conn.close()
            with self._cond:
                first = self._last_error is None or type(exc) is not type(self._last_error)
                self._last_error = exc
                self._attempts += 1
                self._cond.notify_all()
            (log.warning if first else log.debug)("%s", exc)
            return False
        self.obs_version = str(version.get("obsVersion", ""))
        self.websocket_version = str(version.get("obsWebSocketVersion", ""))
        with self._cond:
            self._conn = conn
            self._item_ids.clear()
            self._item_names.clear()
            keys = self._target_keys()  # re-apply everything, before requests still queued
            requests = [op for op in self._ops if isinstance(op, _Request)]
            self._ops = deque([_Apply(k) for k in keys] + requests)
            self._queued_keys = set(keys)
            self._ready = True
            self._last_error = None
            self._attempts += 1
            self._cond.notify_all()
        log.info("connected to OBS %s (obs-websocket %s) at %s", self.obs_version, self.websocket_version, self.url)
        self._publish(ObsConnected(url=self.url, obs_version=self.obs_version, websocket_version=self.websocket_version))
        return True

    def _target_keys(self) -> list[TargetKey]:
        """Every key with a target, in the order to apply: input settings, mutes, item visibility, scene."""
        keys: list[TargetKey] = [("settings", name) for name in self._settings]
        keys += [("mute", name) for name in self._muted]
        keys += [("item", scene, source) for scene, source in self._visible]
        if self._scene is not None:
            keys.append(("scene",))
        return keys

    def _notify_lost(self, conn: ObsConnection) -> None:
        with self._cond:
            self._cond.notify_all()

    def _lost(self, conn: ObsConnection) -> None:
        reason = conn.lost_reason or "connection closed"
        conn.close()
        with self._cond:
            self._conn = None
            self._ready = False
            self._item_ids.clear()
            self._cond.notify_all()
        log.warning("lost the connection to OBS at %s (%s); reconnecting", self.url, reason)
        self._publish(ObsDisconnected(url=self.url, reason=reason))

    def _run(self, op: _Apply | _Request) -> None:
        if isinstance(op, _Request):
            if not op.future.set_running_or_notify_cancel():
                return
            try:
                op.future.set_result(self._call(op.request_type, op.data, op.timeout))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                op.future.set_exception(exc)
            return
        try:
            self._apply(op.key)
        except ObsRequestError as exc:
            if exc.code == NOT_READY:
                time.sleep(0.2)
                with self._cond:
                    self._enqueue_apply(op.key, front=True)
                return
            log.warning("%s", exc)
            self._publish(ObsActionFailed(request=exc.request_type, code=exc.code, comment=exc.comment))
        except ObsUnavailable as exc:
            log.info("%s; applying it again once OBS is back", exc)
            self._publish(ObsActionFailed(request=_request_name(op.key), code=0, comment=exc.problem))
            with self._cond:
                self._enqueue_apply(op.key, front=True)
            conn = self._conn
            if conn is not None and conn.alive:
                conn._mark_lost(f"no answer: {exc.problem}")  # a frozen OBS: drop and reconnect

    def _call(self, request_type: str, data: dict[str, Any] | None, timeout: float | None = None) -> dict[str, Any]:
        conn = self._conn
        if conn is None:
            raise ObsUnavailable(f"not connected to OBS at {self.url}", "wait for OBS to come back")
        return conn.request(request_type, data, timeout)

    def _apply(self, key: TargetKey) -> None:
        with self._cond:
            if key[0] == "scene":
                value: Any = self._scene
            elif key[0] == "item":
                value = self._visible.get((key[1], key[2]))
            elif key[0] == "mute":
                value = self._muted.get(key[1])
            else:
                value = dict(self._settings.get(key[1], {}))
        if value is None:
            return
        if key[0] == "scene":
            self._call("SetCurrentProgramScene", {"sceneName": value})
        elif key[0] == "item":
            self._apply_visible(key[1], key[2], value)
        elif key[0] == "mute":
            self._call("SetInputMute", {"inputName": key[1], "inputMuted": value})
        else:
            self._call("SetInputSettings", {"inputName": key[1], "inputSettings": value, "overlay": True})

    def _apply_visible(self, scene: str, source: str, visible: bool) -> None:
        cached = (scene, source) in self._item_ids
        item_id = self._item_id(scene, source)
        try:
            self._call("SetSceneItemEnabled", {"sceneName": scene, "sceneItemId": item_id, "sceneItemEnabled": visible})
        except ObsRequestError as exc:
            if not (cached and exc.code == RESOURCE_NOT_FOUND):
                raise
            self._item_ids.pop((scene, source), None)  # the item was re-created in OBS: look it up again
            item_id = self._item_id(scene, source)
            self._call("SetSceneItemEnabled", {"sceneName": scene, "sceneItemId": item_id, "sceneItemEnabled": visible})

    def _item_id(self, scene: str, source: str) -> int:
        item_id = self._item_ids.get((scene, source))
        if item_id is None:
            item_id = int(self._call("GetSceneItemId", {"sceneName": scene, "sourceName": source})["sceneItemId"])
            self._item_ids[(scene, source)] = item_id
            self._item_names[(scene, item_id)] = source
        return item_id

    def _fail_pending_requests(self, why: str) -> None:
        with self._cond:
            ops, self._ops = list(self._ops), deque()
            self._queued_keys.clear()
        for op in ops:
            if isinstance(op, _Request) and op.future.set_running_or_notify_cancel():
                op.future.set_exception(ObsUnavailable(why))

    # -- closing ----------------------------------------------------------------------------

    def close(self, flush_timeout: float = 1.0) -> None:
        """Apply what is still queued (up to ``flush_timeout`` s), then disconnect and stop the threads."""
        if self._closing:
            return
        if flush_timeout > 0 and self.connected:
            self.flush(flush_timeout)
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._worker.join(timeout=self.timeout + 2)
        self._dispatch_q.put(None)
        if threading.current_thread() is not self._dispatcher:
            self._dispatcher.join(timeout=2)

    def __enter__(self) -> ObsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "connected" if self.connected else "disconnected"
        return f"<ObsClient {self.url} {state}>"


def _request_name(key: TargetKey) -> str:
    return {"scene": "SetCurrentProgramScene", "item": "SetSceneItemEnabled", "mute": "SetInputMute"}.get(key[0], "SetInputSettings")
