"""PhraseGate: a phrase is never played twice by accident.

A request for a phrase that is still playing, or that started less than ``window`` seconds ago, is
refused — a double-clicked quick phrase, a gesture that fires twice, a command heard twice. Asking
with ``repeat=True`` (an explicit "say it again") always passes. Phrases are compared by
:func:`~streamkit.speech.text.normalize_phrase`, per destination.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .text import normalize_phrase

__all__ = ["REPEAT_WINDOW", "PhraseGate"]

#: Seconds after a phrase starts during which the same phrase is taken as an accidental repeat.
REPEAT_WINDOW = 3.0


class PhraseGate:
    """Admits phrases; call :meth:`finished` when one has been played (keeps it blocked meanwhile)."""

    def __init__(self, window: float = REPEAT_WINDOW, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()
        self._started: dict[tuple[str, str], float] = {}
        self._playing: dict[tuple[str, str], int] = {}

    def admit(self, text: str, destination: str, *, repeat: bool = False) -> bool:
        """True (and the phrase counts as playing from now) unless it would be an accidental repeat."""
        key = (destination, normalize_phrase(text))
        now = self.clock()
        with self._lock:
            if not repeat and not key[1]:
                return False
            if not repeat and (self._playing.get(key, 0) > 0 or now - self._started.get(key, -1e18) < self.window):
                return False
            self._started[key] = now
            self._playing[key] = self._playing.get(key, 0) + 1
            self._forget_old(now)
            return True

    def finished(self, text: str, destination: str) -> None:
        """The phrase admitted earlier has been played (or failed): only the window holds it now."""
        key = (destination, normalize_phrase(text))
        with self._lock:
            left = self._playing.get(key, 0) - 1
            if left > 0:
                self._playing[key] = left
            else:
                self._playing.pop(key, None)

    def _forget_old(self, now: float) -> None:
        old = [k for k, t in self._started.items() if now - t >= self.window and k not in self._playing]
        for key in old:
            del self._started[key]
