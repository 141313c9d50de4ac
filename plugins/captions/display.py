"""Where captions are shown live: the OBS text source (rate-limited) and the overlay / monitor pages.

:class:`CaptionDisplay` keeps two layouts — the stream's (few rows, cleared after silence) and
the streamer's monitor (more lines, kept, always labelled by speaker) — and a worker thread that
sends the OBS text at most every ``min_interval`` seconds (the latest text wins) and clears the
screen after silence. Both show one line per speaker utterance, growing in place, in speaking
order (:mod:`.utterances`); the pages get each line with a stable ``key`` so they update it in place.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from streamkit.events import Caption, SpokenPhrase

from .layout import CaptionLayout, Line
from .utterances import UtteranceLine

log = logging.getLogger(__name__)

#: The caption source of words streamkit speaks into the stream (:class:`SpokenPhrase`).
SPOKEN_SOURCE = "speech"
OVERLAY_CHANNEL = "captions"
MONITOR_CHANNEL = "captions-monitor"
PROMPT_CHANNEL = "captions-monitor-prompts"  # a coach's private prompts (CoachPrompt), on the monitor only


def rows_json(rows: list[Line]) -> list[list[dict[str, Any]]]:
    return [[{"text": s.text, "partial": s.partial} for s in row] for row in rows]


def line_json(layout: CaptionLayout, line: UtteranceLine, rows: list[Line] | None = None) -> dict[str, Any]:
    """One utterance line for a page: its key, label, committed and partial text (and its rows when wrapped)."""
    data = {**line.to_json(), "label": f"{line.speaker}：" if layout.labelled and line.speaker else ""}
    if rows is not None:
        data["rows"] = rows_json(rows)
    return data


def overlay_message(layout: CaptionLayout) -> dict[str, Any]:
    """The stream's lines as wrapped rows (the overlay mirrors the OBS text source)."""
    return {"lines": [line_json(layout, line, rows) for line, rows in layout.line_rows()]}


def monitor_message(layout: CaptionLayout) -> dict[str, Any]:
    """The monitor's recent lines, unwrapped (the page wraps them at the streamer's text size)."""
    return {"lines": [line_json(layout, line) for line in layout.recent()]}


class CaptionDisplay:
    """Feed captions with :meth:`show`; :meth:`start` the worker, :meth:`stop` it at the end."""

    def __init__(self, stream_layout: CaptionLayout, monitor_layout: CaptionLayout | None = None, *,
                 obs: Any = None, obs_input: str = "", min_interval: float = 0.2, overlay: Any = None,
                 now: Callable[[], float] = time.monotonic, spoken_label: str = "") -> None:
        self.stream = stream_layout
        self.monitor = monitor_layout
        self.obs = obs
        self.obs_input = obs_input
        self.min_interval = min_interval
        self.overlay = overlay
        self.now = now
        self.spoken_label = spoken_label  # the speaker label of a seller's spoken words
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._dirty = False
        self._last_sent_text: str | None = None
        self._last_sent_at = -1e9
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.obs_updates = 0
        self._heard_until = 0.0  # the latest audio time of the sources' captions

    def show(self, c: Caption) -> None:
        now = self.now()
        with self._lock:
            self._heard_until = max(self._heard_until, c.audio_end)
            self.stream.show(c, now)
            if self.monitor is not None:
                self.monitor.show(c, now)
            self._dirty = True
            self._wake.notify()
        self._publish()

    def show_spoken(self, phrase: SpokenPhrase) -> None:
        """Show words streamkit speaks into the stream (a seller's quick phrase) as a caption line, after the
        lines already heard (lines are in speaking order: with audio time 0 it would sort first and be the
        first to roll off the stream's two lines, never shown while a guest's captions run)."""
        with self._lock:
            heard = self._heard_until
        self.show(Caption(kind="final", text=phrase.text, source=SPOKEN_SOURCE, speaker=self.spoken_label,
                          audio_start=heard, audio_end=heard, emitted_at=0.0, language=phrase.language,
                          utterance_end=True))

    def end_source(self, source: str) -> None:
        """A source ended: drop its partial text from the screens."""
        with self._lock:
            for layout in (self.stream, self.monitor):
                if layout is not None:
                    layout.end_source(source, self.now())
            self._dirty = True
            self._wake.notify()
        self._publish()

    def _publish(self) -> None:
        if self.overlay is None:
            return
        with self._lock:  # built and sent under the lock: two sources' messages never arrive out of order
            self.overlay.publish(OVERLAY_CHANNEL, overlay_message(self.stream))
            if self.monitor is not None:
                self.overlay.publish(MONITOR_CHANNEL, monitor_message(self.monitor))

    # ------------------------------------------------------------------ worker
    def start(self) -> "CaptionDisplay":
        self._thread = threading.Thread(target=self._run, name="captions-display", daemon=True)
        self._thread.start()
        return self

    def stop(self, clear: bool = True) -> None:
        """Stop the worker; ``clear`` empties the OBS text and the overlay (no stale captions after a session)."""
        self._stop.set()
        with self._lock:
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(2)
        if clear:
            with self._lock:
                self.stream.clear()
                self._dirty = True
            self._publish()
        self._send(force=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                self._wake.wait(timeout=0.25)
                cleared = self.stream.tick(self.now())
                if cleared:
                    self._dirty = True
            if cleared:
                self._publish()
            self._send()

    def _send(self, force: bool = False) -> None:
        if self.obs is None or not self.obs_input:
            return
        with self._lock:
            if not self._dirty and not force:
                return
            while not force and not self._stop.is_set():
                wait = self.min_interval - (self.now() - self._last_sent_at)
                if wait <= 0:
                    break
                self._wake.wait(timeout=wait)  # releases the lock meanwhile; newer captions are included
            text = self.stream.text()
            self._dirty = False
            if text == self._last_sent_text:
                return
            self._last_sent_text = text
            self._last_sent_at = self.now()
        self.obs.set_text(self.obs_input, text)
        self.obs_updates += 1
