"""DryRunObs: the ObsSink used when ``[obs] enabled = false`` — prints each action instead of doing it."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from ..bus import EventBus
from ..events import RecordingStarted, RecordingStopped, SceneChanged, SourceVisibilityChanged
from .base import ObsEventCallback

PREFIX = "[OBS dry run]"


class DryRunObs:
    """Same methods as :class:`~streamkit.obs.client.ObsClient`; nothing is sent anywhere.

    Every action prints one line and is kept in :attr:`calls` as ``(request_type, data)``.
    With a bus it publishes what OBS would have reported (SceneChanged, SourceVisibilityChanged,
    RecordingStarted/Stopped), so a dry-run session still has a scene timeline.
    """

    url = "dry run"

    def __init__(self, bus: EventBus | None = None, out: TextIO | None = None) -> None:
        self.bus = bus
        self.out = out
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._recording = False

    @property
    def connected(self) -> bool:
        """Always False: a dry run talks to no OBS."""
        return False

    def wait_connected(self, timeout: float | None = None) -> bool:
        """Nothing to wait for."""
        return True

    def _say(self, line: str, request_type: str, data: dict[str, Any]) -> None:
        with self._lock:
            self.calls.append((request_type, data))
            print(f"{PREFIX} {line}", file=self.out or sys.stdout, flush=True)

    def set_scene(self, scene: str) -> None:
        self._say(f"scene → {scene}", "SetCurrentProgramScene", {"sceneName": scene})
        if self.bus is not None:
            self.bus.publish(SceneChanged(scene=scene))

    def set_item_visible(self, scene: str, source: str, visible: bool) -> None:
        self._say(f"{'show' if visible else 'hide'} {source} in {scene}", "SetSceneItemEnabled",
                  {"sceneName": scene, "sourceName": source, "sceneItemEnabled": bool(visible)})
        if self.bus is not None:
            self.bus.publish(SourceVisibilityChanged(scene=scene, source=source, visible=bool(visible)))

    def set_text(self, input_name: str, text: str) -> None:
        self._say(f"{input_name} text → {text}", "SetInputSettings",
                  {"inputName": input_name, "inputSettings": {"text": text}})

    def set_input_settings(self, input_name: str, settings: dict[str, Any]) -> None:
        shown = ", ".join(f"{k}={v!r}" for k, v in settings.items())
        self._say(f"{input_name} settings → {shown}", "SetInputSettings",
                  {"inputName": input_name, "inputSettings": dict(settings)})

    def set_input_muted(self, input_name: str, muted: bool) -> None:
        self._say(f"{'mute' if muted else 'unmute'} {input_name}", "SetInputMute",
                  {"inputName": input_name, "inputMuted": bool(muted)})

    def request(self, request_type: str, data: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]:
        """Record the call; read-only requests (``Get…``) return ``{}`` silently, others print a line."""
        if request_type.startswith("Get"):
            with self._lock:
                self.calls.append((request_type, dict(data or {})))
        else:
            self._say(f"{request_type} {data or ''}".rstrip(), request_type, dict(data or {}))
        return {}

    def play_media(self, input_name: str, path: str) -> None:
        self._say(f"play {path} in {input_name}", "SetInputSettings",
                  {"inputName": input_name, "inputSettings": {"is_local_file": True, "local_file": str(path)}})

    def start_record(self) -> None:
        self._say("start recording", "StartRecord", {})
        self._recording = True
        if self.bus is not None:
            self.bus.publish(RecordingStarted(output_path=""))

    def stop_record(self) -> str:
        """Returns ``""``: nothing was recorded."""
        self._say("stop recording", "StopRecord", {})
        if self._recording and self.bus is not None:
            self.bus.publish(RecordingStopped(output_path=""))
        self._recording = False
        return ""

    def on_event(self, callback: ObsEventCallback, name: str | None = None) -> Callable[[], None]:
        """Accepted and never called: no OBS sends events in a dry run."""
        return lambda: None

    def flush(self, timeout: float | None = None) -> bool:
        return True

    def close(self) -> None:
        """Nothing to close."""
