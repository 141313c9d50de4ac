"""OBS as the voice feature hears it: live scene and source names, and what status reads back.

:class:`ObsState` asks OBS for its scenes, inputs (which carry sound, which are muted), scene items,
program scene and recording/streaming state, and asks again whenever OBS says a name changed or it
reconnected. State changes that OBS reports (program scene, mute, recording, streaming) are applied
from the events directly. Refreshes run on the caller's background thread, never inside an OBS callback.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from streamkit.obs.base import ObsEvent, ObsSink
from streamkit.obs.errors import ObsError

log = logging.getLogger(__name__)

#: OBS events after which the names are asked for again.
NAME_EVENTS = frozenset({
    "SceneCreated", "SceneRemoved", "SceneNameChanged", "InputCreated", "InputRemoved", "InputNameChanged",
    "SceneItemCreated", "SceneItemRemoved", "SceneListChanged", "Identified",
})
#: How often the names are asked for anyway (a missed event, a reconnect).
REFRESH_SECONDS = 30.0


@dataclass
class ObsSnapshot:
    """What OBS had at the last refresh, updated by its events since."""

    scenes: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    audio_inputs: tuple[str, ...] = ()
    items: dict[str, tuple[str, ...]] = field(default_factory=dict)  # scene → source names in it
    scene: str = ""
    muted: dict[str, bool] = field(default_factory=dict)
    recording: bool | None = None
    streaming: bool | None = None
    known: bool = False  # a refresh has succeeded

    def scene_holding(self, source: str) -> str:
        """The scene to show/hide ``source`` in: the program scene when it has it, else the first that does."""
        if source in self.items.get(self.scene, ()):
            return self.scene
        return next((s for s, names in self.items.items() if source in names), "")


class ObsState:
    """Keeps an :class:`ObsSnapshot` of OBS current; ``version`` grows whenever the names change."""

    def __init__(self, obs: ObsSink, *, on_names: Callable[[], None] | None = None) -> None:
        self.obs = obs
        self.on_names = on_names
        self.version = 0
        self._snap = ObsSnapshot()
        self._lock = threading.Lock()
        self._dirty = threading.Event()
        self._dirty.set()
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def snapshot(self) -> ObsSnapshot:
        with self._lock:
            return ObsSnapshot(self._snap.scenes, self._snap.inputs, self._snap.audio_inputs, dict(self._snap.items),
                               self._snap.scene, dict(self._snap.muted), self._snap.recording, self._snap.streaming,
                               self._snap.known)

    def watch(self) -> None:
        """Follow OBS's events (call :meth:`close` to stop)."""
        self._unsubscribe = self.obs.on_event(self._on_event)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def run(self, stop: threading.Event) -> None:
        """Refresh when names changed (or every :data:`REFRESH_SECONDS`) until ``stop`` is set."""
        last = 0.0
        while not stop.is_set():
            if not self._dirty.wait(0.25) and time.monotonic() - last < REFRESH_SECONDS:
                continue
            self._dirty.clear()
            last = time.monotonic()
            if not self.refresh():
                stop.wait(1.0)  # OBS away: try again soon
                self._dirty.set()

    def mark_dirty(self) -> None:
        self._dirty.set()

    # -- events -------------------------------------------------------------------------------------

    def _on_event(self, event: ObsEvent) -> None:
        d = event.data
        with self._lock:
            if event.name == "CurrentProgramSceneChanged":
                self._snap.scene = str(d.get("sceneName", ""))
            elif event.name == "InputMuteStateChanged":
                self._snap.muted[str(d.get("inputName", ""))] = bool(d.get("inputMuted"))
            elif event.name == "RecordStateChanged" and d.get("outputState") in ("OBS_WEBSOCKET_OUTPUT_STARTED",
                                                                                    "OBS_WEBSOCKET_OUTPUT_STOPPED"):
                self._snap.recording = bool(d.get("outputActive"))
            elif event.name == "StreamStateChanged" and d.get("outputState") in ("OBS_WEBSOCKET_OUTPUT_STARTED",
                                                                                    "OBS_WEBSOCKET_OUTPUT_STOPPED"):
                self._snap.streaming = bool(d.get("outputActive"))
        if event.name in NAME_EVENTS:
            self._dirty.set()

    # -- asking OBS ---------------------------------------------------------------------------------

    def refresh(self) -> bool:
        """Ask OBS for everything; False (snapshot kept) when OBS does not answer."""
        try:
            snap = self._ask()
        except (ObsError, KeyError, TypeError) as exc:
            log.info("voice: OBS names not refreshed (%s)", exc)
            return False
        with self._lock:
            changed = (snap.scenes, snap.inputs, snap.audio_inputs) != (
                self._snap.scenes, self._snap.inputs, self._snap.audio_inputs)
            self._snap = snap
            if changed:
                self.version += 1
        if changed and self.on_names is not None:
            self.on_names()
        return True

    def _ask(self) -> ObsSnapshot:
        request = self.obs.request
        scenes_reply = request("GetSceneList")
        scenes = tuple(s["sceneName"] for s in reversed(scenes_reply.get("scenes", [])))  # OBS lists bottom-up
        inputs = tuple(i["inputName"] for i in request("GetInputList").get("inputs", []))
        muted: dict[str, bool] = {}
        for name in inputs:
            try:
                reply = request("GetInputMute", {"inputName": name})
            except ObsError:
                continue  # no audio
            if "inputMuted" in reply:
                muted[name] = bool(reply["inputMuted"])
        items = {scene: tuple(i["sourceName"] for i in request("GetSceneItemList", {"sceneName": scene})
                              .get("sceneItems", [])) for scene in scenes}
        return ObsSnapshot(scenes, inputs, tuple(muted), items,
                           str(scenes_reply.get("currentProgramSceneName", "")), muted,
                           _active(request, "GetRecordStatus"), _active(request, "GetStreamStatus"), True)


def _active(request: Callable[..., dict], name: str) -> bool | None:
    try:
        return bool(request(name).get("outputActive"))
    except ObsError:
        return None
