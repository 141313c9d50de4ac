"""OBS beyond the text source: which audio inputs are muted, and CEA-608 captions in the stream.

:class:`MuteTracker` asks OBS ``GetInputMute`` for each configured input when the connection is
(re)made and follows ``InputMuteStateChanged``; a source whose input is muted gets no captions.
:class:`Cea608Sender` sends committed captions with ``SendStreamCaption`` only while OBS streams
and only when the text is Latin script (CEA-608 has no Chinese characters); every other caption is
skipped, and each reason is logged once and recorded as a ``CaptionsSkipped`` event.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from streamkit.events import Caption, ObsConnected

from .events import CaptionsSkipped

log = logging.getLogger(__name__)


class MuteTracker:
    """Mute state of OBS audio inputs, kept current from OBS events."""

    def __init__(self, obs: Any, inputs: list[str], bus: Any = None) -> None:
        self.obs = obs
        self.inputs = [i for i in dict.fromkeys(inputs) if i]
        self.bus = bus
        self._muted: dict[str, bool] = {}
        self._unsubscribe: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def start(self) -> "MuteTracker":
        if not self.inputs:
            return self
        on_event = getattr(self.obs, "on_event", None)
        if on_event is not None:
            self._unsubscribe.append(on_event(self._on_obs_event, "InputMuteStateChanged"))
        if self.bus is not None:
            self._unsubscribe.append(self.bus.subscribe(lambda _e: self._query_async(), ObsConnected))
        self._query_async()
        return self

    def stop(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()

    def is_muted(self, input_name: str) -> bool:
        with self._lock:
            return self._muted.get(input_name, False)

    def muted_check(self, input_name: str) -> Callable[[], bool] | None:
        """A no-argument predicate for one input (None when no input is named)."""
        if not input_name:
            return None
        return lambda: self.is_muted(input_name)

    def _set(self, name: str, muted: bool) -> None:
        with self._lock:
            changed = self._muted.get(name) != muted
            self._muted[name] = muted
        if changed:
            log.info("OBS input %s %s", name, "muted: its captions pause" if muted else "unmuted")

    def _on_obs_event(self, event: Any) -> None:
        name = event.data.get("inputName")
        if name in self.inputs:
            self._set(name, bool(event.data.get("inputMuted")))

    def query(self) -> None:
        """Ask OBS for the current state of every input (blocking; OBS away → states unchanged)."""
        for name in self.inputs:
            try:
                reply = self.obs.request("GetInputMute", {"inputName": name})
            except Exception as exc:  # noqa: BLE001 - OBS away or input missing: keep captioning
                log.warning("cannot read the mute state of OBS input %s: %s", name, exc)
                continue
            if "inputMuted" in reply:
                self._set(name, bool(reply["inputMuted"]))

    def _query_async(self) -> None:
        threading.Thread(target=self.query, name="captions-mute-query", daemon=True).start()


def is_latin_script(text: str) -> bool:
    """True when every letter is Latin (what CEA-608 can carry)."""
    for ch in text:
        code = ord(ch)
        if code < 0x250 or 0x2000 <= code < 0x2070 or 0x1E00 <= code < 0x1F00:
            continue
        return False
    return True


class Cea608Sender:
    """Committed captions → ``SendStreamCaption`` while streaming, Latin script only."""

    def __init__(self, obs: Any, bus: Any = None) -> None:
        self.obs = obs
        self.bus = bus
        self.streaming = False
        self.sent = 0
        self.skipped: dict[str, int] = {}
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> "Cea608Sender":
        on_event = getattr(self.obs, "on_event", None)
        if on_event is not None:
            self._unsubscribe = on_event(self._on_stream_state, "StreamStateChanged")
        self._thread = threading.Thread(target=self._run, name="captions-cea608", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._unsubscribe:
            self._unsubscribe()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(2)

    def _on_stream_state(self, event: Any) -> None:
        self.streaming = bool(event.data.get("outputActive"))

    def send(self, c: Caption) -> None:
        if c.kind != "final" or not c.text.strip():
            return
        if not is_latin_script(c.text):
            self._skip("not Latin script (CEA-608 cannot carry Chinese characters)", c.source)
            return
        self._queue.put(c.text)

    def _skip(self, reason: str, source: str) -> None:
        first = reason not in self.skipped
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        if first:
            log.info("CEA-608 captions skipped: %s", reason)
            if self.bus is not None:
                self.bus.publish(CaptionsSkipped(output="cea608", reason=reason, source=source))

    def _run(self) -> None:
        try:
            status = self.obs.request("GetStreamStatus")
            self.streaming = bool(status.get("outputActive"))
        except Exception as exc:  # noqa: BLE001
            log.debug("GetStreamStatus failed: %s", exc)
        while True:
            text = self._queue.get()
            if text is None:
                return
            if not self.streaming:
                self._skip("OBS is not streaming", "")
                continue
            try:
                self.obs.request("SendStreamCaption", {"captionText": text})
                self.sent += 1
            except Exception as exc:  # noqa: BLE001 - e.g. 501 OutputNotRunning: the stream stopped
                if getattr(exc, "code", None) == 501:
                    self.streaming = False
                    self._skip("OBS is not streaming", "")
                else:
                    log.warning("SendStreamCaption failed: %s", exc)
