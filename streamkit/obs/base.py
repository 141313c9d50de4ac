"""What the rest of streamkit may ask of OBS: the :class:`ObsSink` protocol, OBS events and URL parsing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlparse

from ..errors import ConfigError

DEFAULT_URL = "ws://127.0.0.1:4455"


@dataclass(frozen=True)
class ObsEvent:
    """One event sent by OBS, e.g. ``ObsEvent("CurrentProgramSceneChanged", {"sceneName": "直播间"})``."""

    name: str
    data: dict[str, Any] = field(default_factory=dict)


ObsEventCallback = Callable[[ObsEvent], None]


@runtime_checkable
class ObsSink(Protocol):
    """OBS as plugins see it.

    The ``set_*`` methods record *target state* and return at once; they never raise. Failures
    are published on the bus (``ObsActionFailed``) and the state is re-applied after a reconnect.
    ``request`` / ``play_media`` / ``start_record`` / ``stop_record`` block and raise
    :class:`~streamkit.obs.errors.ObsRequestError` or :class:`~streamkit.obs.errors.ObsUnavailable`.
    """

    url: str

    @property
    def connected(self) -> bool: ...

    def wait_connected(self, timeout: float | None = None) -> bool:
        """Wait until OBS answers (True), or ``timeout`` seconds (False); a dry run answers True at once."""
        ...

    def set_scene(self, scene: str) -> None: ...

    def set_item_visible(self, scene: str, source: str, visible: bool) -> None: ...

    def set_text(self, input_name: str, text: str) -> None: ...

    def set_input_settings(self, input_name: str, settings: dict[str, Any]) -> None: ...

    def set_input_muted(self, input_name: str, muted: bool) -> None:
        """Mute or unmute an audio input (a microphone, desktop audio)."""
        ...

    def request(self, request_type: str, data: dict[str, Any] | None = None, timeout: float | None = None) -> dict[str, Any]: ...

    def play_media(self, input_name: str, path: str) -> None: ...

    def start_record(self) -> None: ...

    def stop_record(self) -> str: ...

    def on_event(self, callback: ObsEventCallback, name: str | None = None) -> Callable[[], None]: ...

    def flush(self, timeout: float | None = None) -> bool: ...

    def close(self) -> None: ...


def parse_url(url: str) -> tuple[str, int]:
    """``ws://HOST:PORT`` → ``(host, port)``; raises :class:`ConfigError` for anything else."""
    parsed = urlparse(url)
    if parsed.scheme not in ("ws", "wss") or not parsed.hostname:
        raise ConfigError(f"OBS address {url!r} is not a ws://HOST:PORT address", f"use e.g. {DEFAULT_URL}")
    try:
        port = parsed.port or (443 if parsed.scheme == "wss" else 80)
    except ValueError:
        raise ConfigError(f"OBS address {url!r} has a bad port", f"use e.g. {DEFAULT_URL}") from None
    return parsed.hostname, port
